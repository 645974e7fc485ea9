//! Figures: the numbers behind the campaign, one YAML file each, and the one place they are
//! formatted for reading.
//!
//! [`Figure::load`] reads `content/figures/ID.yaml` and enforces every rule of the format, so
//! that later stages can trust a `Figure`: one of `data` or `series`, series as long as the
//! categories, no negative parts of a whole, no part summing above its total, no duplicate
//! labels. Text, charts and tables all read their numbers from here, through
//! [`Figure::lookup`] and [`Unit::format`], so they cannot disagree.

use crate::error::{suggestion, Error, Location, Result};
use crate::yaml::{self, YamlText};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The most data points one figure may hold. A chart with more is unreadable, and the limit
/// keeps a runaway file from exhausting memory.
pub const MAX_POINTS: usize = 2_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChartKind {
    Bar,
    Column,
    StackedBar,
    Donut,
    Line,
}

impl ChartKind {
    pub fn name(self) -> &'static str {
        match self {
            ChartKind::Bar => "bar chart",
            ChartKind::Column => "column chart",
            ChartKind::StackedBar => "stacked bar chart",
            ChartKind::Donut => "donut chart",
            ChartKind::Line => "line chart",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    Percent,
    Count,
}

impl Unit {
    /// A number as a reader sees it: `1,628` for a count, `32.6%` for a percentage.
    pub fn format(self, value: f64) -> String {
        let plain = group_thousands(value);
        match self {
            Unit::Count => plain,
            Unit::Percent => format!("{plain}%"),
        }
    }
}

/// Writes `value` with as many decimals as it needs (at most two) and commas between thousands.
fn group_thousands(value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    let text = format!("{}", rounded.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::with_capacity(int.len() + int.len() / 3 + 4);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if !frac.is_empty() {
        grouped.push('.');
        grouped.push_str(frac);
    }
    if rounded < 0.0 {
        grouped.insert(0, '-');
    }
    grouped
}

/// One label and its value; `None` means not reported, which is never drawn as zero.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    pub label: String,
    pub value: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    pub name: String,
    pub values: Vec<Option<f64>>,
}

/// What a figure holds: one series of points, or several series over shared categories.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    Single {
        points: Vec<Point>,
        /// The whole that the points are parts of; the rest is drawn as `remainder`.
        total: Option<f64>,
    },
    Multi {
        categories: Vec<String>,
        series: Vec<Series>,
        /// One total per category (a `None` total has no remainder).
        totals: Option<Vec<Option<f64>>>,
    },
}

/// A named number for the text, with the unit it is read in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quantity {
    pub value: f64,
    pub unit: Unit,
}

impl Quantity {
    pub fn formatted(self) -> String {
        self.unit.format(self.value)
    }
}

/// A validated figure. See the module docs.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// A key of the file's name and text: two figures with the same key are the same figure.
    pub hash: u64,
    pub id: String,
    /// The file it came from, relative to the site root.
    pub file: std::path::PathBuf,
    pub title: String,
    pub subtitle: Option<String>,
    pub source: String,
    pub source_url: Option<String>,
    pub note: Option<String>,
    pub alt: Option<String>,
    pub kind: ChartKind,
    pub unit: Unit,
    pub body: Body,
    /// The label of the remainder segment, drawn when totals are given.
    pub remainder: String,
    pub values: BTreeMap<String, Quantity>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFigure {
    title: String,
    subtitle: Option<String>,
    source: String,
    source_url: Option<String>,
    note: Option<String>,
    alt: Option<String>,
    chart: ChartKind,
    unit: Unit,
    data: Option<Vec<RawPoint>>,
    total: Option<f64>,
    categories: Option<Vec<String>>,
    series: Option<Vec<RawSeries>>,
    totals: Option<Vec<Option<f64>>>,
    remainder: Option<String>,
    #[serde(default)]
    values: BTreeMap<String, RawQuantity>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPoint {
    label: String,
    value: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSeries {
    name: String,
    values: Vec<Option<f64>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawQuantity {
    Bare(f64),
    WithUnit { value: f64, unit: Unit },
}

/// Reports problems inside one figure file, pointing at the line that holds `needle`.
struct Checker<'a> {
    file: &'a Path,
    text: &'a str,
}

impl Checker<'_> {
    fn error(&self, message: String, needle: &str, hint: &str) -> Error {
        let loc = match find_line_with(self.text, needle) {
            Some(offset) => Location::in_text(self.file, self.text, offset, needle.len(), 1),
            None => Location::file(self.file),
        };
        let err = Error::new(message).at(loc);
        if hint.is_empty() {
            err
        } else {
            err.hint(hint)
        }
    }
}

/// The offset of the first place `needle` stands: as a key (`needle:` at the start of a
/// line), else as a whole value (`label: needle,`).
fn find_line_with(text: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    let key = format!("{needle}:");
    let starts_line = |i: usize| text[..i].rsplit('\n').next().is_some_and(|l| l.trim().is_empty() || l.trim() == "-");
    text.match_indices(&key).find(|(i, _)| starts_line(*i)).map(|(i, _)| i).or_else(|| nth_place(text, needle, 0))
}

/// The n-th (0-based) place `needle` stands in `text` as a whole value, not inside a word.
fn nth_place(text: &str, needle: &str, n: usize) -> Option<usize> {
    let bounded = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric() && c != '_' && c != '-');
    text.match_indices(needle)
        .filter(|(i, _)| bounded(text[..*i].chars().next_back()) && bounded(text[i + needle.len()..].chars().next()))
        .nth(n)
        .map(|(i, _)| i)
}

impl Figure {
    /// Reads and validates one figure file. `file` is relative to the site root.
    pub fn load(id: &str, file: &Path, text: &str) -> Result<Figure> {
        let raw: RawFigure = yaml::parse(&YamlText { file, text, first_line: 1 })?;
        let check = Checker { file, text };
        let body = match (raw.data, raw.series) {
            (Some(_), Some(_)) => {
                return Err(check.error(
                    "a figure takes `data` or `series`, not both".into(),
                    "series",
                    "use `data` for one series of label/value pairs, or `categories` with `series` for several",
                ))
            }
            (None, None) => {
                return Err(check.error(
                    "this figure has no numbers: add `data` (one series) or `series` (several)".into(),
                    "chart",
                    "for example:\ndata:\n  - { label: Facebook, value: 32.6 }",
                ))
            }
            (Some(points), None) => single_body(&check, points, raw.total, raw.totals.is_some())?,
            (None, Some(series)) => multi_body(&check, raw.categories, series, raw.totals, raw.total.is_some())?,
        };
        let values = raw
            .values
            .into_iter()
            .map(|(key, q)| {
                let quantity = match q {
                    RawQuantity::Bare(value) => Quantity { value, unit: raw.unit },
                    RawQuantity::WithUnit { value, unit } => Quantity { value, unit },
                };
                if !quantity.value.is_finite() {
                    return Err(check.error(format!("the value `{key}` is not a finite number"), &key, ""));
                }
                Ok((key, quantity))
            })
            .collect::<Result<_>>()?;
        let figure = Figure {
            hash: crate::key((id, file, text)),
            id: id.to_string(),
            file: file.to_path_buf(),
            title: non_empty(&check, raw.title, "title")?,
            subtitle: raw.subtitle,
            source: non_empty(&check, raw.source, "source")?,
            source_url: raw.source_url,
            note: raw.note,
            alt: raw.alt,
            kind: raw.chart,
            unit: raw.unit,
            body,
            remainder: raw.remainder.unwrap_or_else(|| "Not recorded".to_string()),
            values,
        };
        if let Some(url) = figure.source_url.as_deref().filter(|u| !crate::load::is_web_address(u)) {
            return Err(check.error(
                format!("`source_url` must be a web address starting with https://, not `{url}`"),
                "source_url",
                "link to the report the numbers come from, such as `source_url: https://www.example.org/report`",
            ));
        }
        figure.check_kind(&check)?;
        Ok(figure)
    }

    /// Rules that tie the chart kind to the shape of the data.
    fn check_kind(&self, check: &Checker) -> Result<()> {
        let parts_of_whole = matches!(self.kind, ChartKind::StackedBar | ChartKind::Donut);
        match (&self.body, self.kind) {
            (Body::Single { .. }, ChartKind::StackedBar) => Err(check.error(
                "a stacked-bar chart needs `categories` and `series`".into(),
                "data",
                "list the bars under `categories`, and each coloured part as a `series` with one value per category",
            )),
            (Body::Multi { .. }, ChartKind::Donut | ChartKind::Bar) => Err(check.error(
                format!("a {} shows one series: use `data`", self.kind.name()),
                "series",
                "for several series, use `chart: stacked-bar`, `column` or `line`",
            )),
            (Body::Single { total: Some(_), .. }, _) | (Body::Multi { totals: Some(_), .. }, _) if !parts_of_whole => {
                Err(check.error(
                    format!("a {} cannot show a remainder up to a total", self.kind.name()),
                    if matches!(self.body, Body::Single { .. }) { "total" } else { "totals" },
                    "totals apply to `stacked-bar` and `donut` charts; remove the line or change the chart kind",
                ))
            }
            _ if parts_of_whole => self.check_parts(check),
            _ => Ok(()),
        }
    }

    /// Parts of a whole: no negative part, and no sum above its total.
    fn check_parts(&self, check: &Checker) -> Result<()> {
        let negative = |label: &str, v: f64| {
            check.error(
                format!("`{label}` is negative ({v}), but a {} shows parts of a whole", self.kind.name()),
                label,
                "parts of a whole cannot be negative; use a column or line chart for changes",
            )
        };
        match &self.body {
            Body::Single { points, total } => {
                for p in points {
                    if let Some(v) = p.value.filter(|v| *v < 0.0) {
                        return Err(negative(&p.label, v));
                    }
                }
                let sum: f64 = points.iter().filter_map(|p| p.value).sum();
                if let Some(t) = total.filter(|t| sum > *t + 1e-9) {
                    return Err(check.error(
                        format!("the values add up to {}, more than the total of {}", self.unit.format(sum), self.unit.format(t)),
                        "total",
                        "check the values and the total: the parts cannot add up to more than the whole",
                    ));
                }
            }
            Body::Multi { categories, series, totals } => {
                for s in series {
                    if let Some(v) = s.values.iter().flatten().find(|v| **v < 0.0) {
                        return Err(negative(&s.name, *v));
                    }
                }
                for (i, category) in categories.iter().enumerate() {
                    let sum: f64 = series.iter().filter_map(|s| s.values[i]).sum();
                    let total = totals.as_ref().and_then(|t| t[i]);
                    if let Some(t) = total.filter(|t| sum > *t + 1e-9) {
                        return Err(check.error(
                            format!(
                                "the series for `{category}` add up to {}, more than its total of {}",
                                self.unit.format(sum),
                                self.unit.format(t)
                            ),
                            "totals",
                            "check that category's values and its entry in `totals`",
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// The number a page quotes: a named value (`key`) or a data point (`label`, which in a
    /// chart with several series is `CATEGORY / SERIES`). The error is a message and a hint.
    pub fn lookup(&self, key: Option<&str>, label: Option<&str>) -> Result<Quantity, (String, String)> {
        match (key, label) {
            (Some(key), None) => self.values.get(key).copied().ok_or_else(|| {
                (
                    format!("figure `{}` has no value named `{key}`", self.id),
                    suggestion(key, self.values.keys().map(String::as_str)),
                )
            }),
            (None, Some(label)) => {
                let value = self.point(label).ok_or_else(|| {
                    let labels = self.labels();
                    (format!("figure `{}` has no data point labelled `{label}`", self.id), suggestion(label, labels.iter().map(String::as_str)))
                })?;
                let value = value.ok_or_else(|| {
                    (format!("`{label}` in figure `{}` was not reported, so there is no number to show", self.id), "quote another value, or say in words that it was not reported".to_string())
                })?;
                Ok(Quantity { value, unit: self.unit })
            }
            _ => Err((
                "`value` needs `id` and exactly one of `key` or `label`".to_string(),
                r#"for example {{ value(id="figure-id", key="total") }}"#.to_string(),
            )),
        }
    }

    /// Every label a page may quote, in order.
    pub fn labels(&self) -> Vec<String> {
        match &self.body {
            Body::Single { points, total } => {
                let mut labels: Vec<String> = points.iter().map(|p| p.label.clone()).collect();
                if total.is_some() {
                    labels.push(self.remainder.clone());
                }
                labels
            }
            Body::Multi { categories, series, totals } => {
                let mut labels = Vec::new();
                for (i, c) in categories.iter().enumerate() {
                    if totals.as_ref().is_some_and(|t| t[i].is_some()) {
                        labels.push(c.clone());
                    }
                    labels.extend(series.iter().map(|s| format!("{c} / {}", s.name)));
                    if totals.as_ref().is_some_and(|t| t[i].is_some()) {
                        labels.push(format!("{c} / {}", self.remainder));
                    }
                }
                labels
            }
        }
    }

    /// The value at `label`: outer `None` if there is no such label, inner `None` if not reported.
    fn point(&self, label: &str) -> Option<Option<f64>> {
        match &self.body {
            Body::Single { points, total } => {
                if let Some(p) = points.iter().find(|p| p.label == label) {
                    return Some(p.value);
                }
                let t = total.filter(|_| label == self.remainder)?;
                Some(Some(t - points.iter().filter_map(|p| p.value).sum::<f64>()))
            }
            Body::Multi { categories, series, totals } => {
                let total_of = |i: usize| totals.as_ref().and_then(|t| t[i]);
                if let Some(i) = categories.iter().position(|c| c == label) {
                    return total_of(i).map(Some);
                }
                let (category, name) = label.split_once(" / ")?;
                let i = categories.iter().position(|c| c == category)?;
                if let Some(s) = series.iter().find(|s| s.name == name) {
                    return Some(s.values[i]);
                }
                let t = total_of(i).filter(|_| name == self.remainder)?;
                Some(Some(t - series.iter().filter_map(|s| s.values[i]).sum::<f64>()))
            }
        }
    }

    /// The remainder of category `i` (or of the single series), when a total is given.
    pub fn remainder_of(&self, i: usize) -> Option<f64> {
        match &self.body {
            Body::Single { points, total } => total.map(|t| t - points.iter().filter_map(|p| p.value).sum::<f64>()),
            Body::Multi { series, totals, .. } => {
                let t = totals.as_ref().and_then(|t| t[i])?;
                Some(t - series.iter().filter_map(|s| s.values[i]).sum::<f64>())
            }
        }
    }
}

fn non_empty(check: &Checker, value: String, key: &str) -> Result<String> {
    if value.trim().is_empty() {
        return Err(check.error(format!("`{key}` is empty"), key, "write it in plain words"));
    }
    Ok(value)
}

fn check_finite(check: &Checker, label: &str, values: &[Option<f64>]) -> Result<()> {
    if values.iter().flatten().any(|v| !v.is_finite()) {
        return Err(check.error(format!("`{label}` has a value that is not a finite number"), label, "write a plain number such as 12 or 4.5"));
    }
    Ok(())
}

fn check_unique<'a>(check: &Checker, what: &str, labels: impl Iterator<Item = &'a str>) -> Result<()> {
    let mut seen = BTreeSet::new();
    for label in labels {
        if label.trim().is_empty() {
            return Err(check.error(format!("a {what} is empty"), what, "give every one a name"));
        }
        if !seen.insert(label) {
            let at = nth_place(check.text, label, 1);
            let loc = match at {
                Some(offset) => Location::in_text(check.file, check.text, offset, label.len(), 1),
                None => Location::file(check.file),
            };
            return Err(Error::new(format!("the {what} `{label}` is used twice"))
                .at(loc)
                .hint(format!("each {what} must be different, so that numbers can be quoted by it")));
        }
    }
    Ok(())
}

fn check_size(check: &Checker, n: usize) -> Result<()> {
    if n > MAX_POINTS {
        return Err(check.error(
            format!("this figure has {n} data points; the most one figure can hold is {MAX_POINTS}"),
            "data",
            "a chart with more points cannot be read; split it or summarise the data",
        ));
    }
    Ok(())
}

fn single_body(check: &Checker, points: Vec<RawPoint>, total: Option<f64>, has_totals: bool) -> Result<Body> {
    if has_totals {
        return Err(check.error("`totals` goes with `series`; with `data`, use `total`".into(), "totals", "write `total: 100`"));
    }
    if points.is_empty() {
        return Err(check.error("`data` is empty".into(), "data", "add at least one `{ label: …, value: … }`"));
    }
    check_size(check, points.len())?;
    check_unique(check, "label", points.iter().map(|p| p.label.as_str()))?;
    for p in &points {
        check_finite(check, &p.label, &[p.value])?;
    }
    check_finite(check, "total", &[total])?;
    let points = points.into_iter().map(|p| Point { label: p.label, value: p.value }).collect();
    Ok(Body::Single { points, total })
}

fn multi_body(
    check: &Checker,
    categories: Option<Vec<String>>,
    series: Vec<RawSeries>,
    totals: Option<Vec<Option<f64>>>,
    has_total: bool,
) -> Result<Body> {
    if has_total {
        return Err(check.error("`total` goes with `data`; with `series`, use `totals`".into(), "total", "write one total per category, such as `totals: [62, 92, 19]`"));
    }
    let categories = categories.ok_or_else(|| {
        check.error("`series` needs `categories`".into(), "series", "add a line such as `categories: [Cleveland, Durham, Northumbria]`")
    })?;
    if categories.is_empty() || series.is_empty() {
        return Err(check.error("`categories` and `series` cannot be empty".into(), "categories", ""));
    }
    check_size(check, categories.len().saturating_mul(series.len()))?;
    check_unique(check, "category", categories.iter().map(String::as_str))?;
    check_unique(check, "series name", series.iter().map(|s| s.name.as_str()))?;
    for s in &series {
        if s.values.len() != categories.len() {
            return Err(check.error(
                format!("the series `{}` has {} values, but there are {} categories", s.name, s.values.len(), categories.len()),
                &s.name,
                "give one value per category, in the same order; write `null` where a value was not reported",
            ));
        }
        check_finite(check, &s.name, &s.values)?;
    }
    if let Some(t) = &totals {
        if t.len() != categories.len() {
            return Err(check.error(
                format!("`totals` has {} entries, but there are {} categories", t.len(), categories.len()),
                "totals",
                "give one total per category, in the same order",
            ));
        }
        check_finite(check, "totals", t)?;
    }
    let series = series.into_iter().map(|s| Series { name: s.name, values: s.values }).collect();
    Ok(Body::Multi { categories, series, totals })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Figure> {
        Figure::load("f", Path::new("content/figures/f.yaml"), text)
    }

    const STACKED: &str = "title: T\nsource: S\nchart: stacked-bar\nunit: count\ncategories: [A, B]\nseries:\n  - { name: X, values: [1, 2] }\n  - { name: Y, values: [null, 3] }\ntotals: [5, 10]\n";

    #[test]
    fn formats_counts_and_percentages() {
        assert_eq!(Unit::Count.format(1628.0), "1,628");
        assert_eq!(Unit::Count.format(956.0), "956");
        assert_eq!(Unit::Count.format(1234567.0), "1,234,567");
        assert_eq!(Unit::Count.format(-1234.5), "-1,234.5");
        assert_eq!(Unit::Percent.format(32.6), "32.6%");
        assert_eq!(Unit::Percent.format(52.0), "52%");
        assert_eq!(Unit::Percent.format(0.125), "0.13%");
    }

    #[test]
    fn looks_up_values_labels_and_remainders() {
        let f = load(STACKED).unwrap();
        assert_eq!(f.lookup(None, Some("B / Y")).unwrap().formatted(), "3");
        assert_eq!(f.lookup(None, Some("A / Not recorded")).unwrap().formatted(), "4");
        assert_eq!(f.lookup(None, Some("B")).unwrap().formatted(), "10");
        assert!(f.lookup(None, Some("A / Y")).unwrap_err().0.contains("not reported"));
        assert_eq!(f.lookup(None, Some("A / Z")).unwrap_err().1, "did you mean `A / X`?");
    }

    #[test]
    fn named_values_take_the_figure_unit_unless_given() {
        let f = load("title: T\nsource: S\nchart: bar\nunit: percent\ndata:\n  - { label: a, value: 1 }\nvalues:\n  share: 52\n  cases: { value: 956, unit: count }\n").unwrap();
        assert_eq!(f.lookup(Some("share"), None).unwrap().formatted(), "52%");
        assert_eq!(f.lookup(Some("cases"), None).unwrap().formatted(), "956");
    }

    fn err_of(text: &str) -> Error {
        load(text).unwrap_err()
    }

    #[test]
    fn rejects_each_broken_shape_with_a_line() {
        let cases = [
            ("source: S\nchart: bar\nunit: count\ndata: [{label: a, value: 1}]\n", "missing required key `title`"),
            ("title: T\nchart: bar\nunit: count\ndata: [{label: a, value: 1}]\n", "missing required key `source`"),
            ("title: T\nsource: S\nchart: bar\nunit: count\ncolour: red\ndata: [{label: a, value: 1}]\n", "unknown key `colour`"),
            ("title: T\nsource: S\nchart: bar\nunit: count\n", "this figure has no numbers"),
            ("title: T\nsource: S\nchart: pie\nunit: count\ndata: [{label: a, value: 1}]\n", "`pie` is not an allowed `chart`"),
            ("title: T\nsource: S\nchart: bar\nunit: pounds\ndata: [{label: a, value: 1}]\n", "`pounds` is not an allowed `unit`"),
            ("title: T\nsource: S\nchart: bar\nunit: count\ndata:\n  - {label: a, value: 1}\n  - {label: a, value: 2}\n", "the label `a` is used twice"),
            ("title: T\nsource: S\nchart: donut\nunit: count\ndata:\n  - {label: a, value: -1}\n", "`a` is negative"),
            ("title: T\nsource: S\nchart: donut\nunit: percent\ntotal: 100\ndata:\n  - {label: a, value: 60}\n  - {label: b, value: 50}\n", "the values add up to 110%, more than the total of 100%"),
        ];
        for (text, expected) in cases {
            let err = err_of(text);
            assert!(err.message().starts_with(expected), "{text}\n gave: {}", err.message());
            assert_eq!(err.location().unwrap().file, Path::new("content/figures/f.yaml"));
        }
    }

    #[test]
    fn rejects_broken_series() {
        let both = format!("{STACKED}data: [{{label: a, value: 1}}]\n");
        assert!(err_of(&both).message().contains("not both"));
        let short = STACKED.replace("[1, 2]", "[1]");
        let err = err_of(&short);
        assert_eq!(err.message(), "the series `X` has 1 values, but there are 2 categories");
        assert_eq!(err.location().unwrap().line.unwrap().0, 7);
        let over = STACKED.replace("totals: [5, 10]", "totals: [5, 4]");
        assert!(err_of(&over).message().contains("add up to 5, more than its total of 4"));
        let negative = STACKED.replace("[1, 2]", "[1, -2]");
        assert!(err_of(&negative).message().contains("`X` is negative"));
        let dup = STACKED.replace("name: Y", "name: X");
        let err = err_of(&dup);
        assert_eq!(err.message(), "the series name `X` is used twice");
        assert_eq!(err.location().unwrap().line.unwrap().0, 8);
    }

    #[test]
    fn refuses_huge_figures_at_the_limit() {
        let mut text = String::from("title: T\nsource: S\nchart: bar\nunit: count\ndata:\n");
        for i in 0..=MAX_POINTS {
            text.push_str(&format!("  - {{ label: l{i}, value: {i} }}\n"));
        }
        assert!(err_of(&text).message().contains("the most one figure can hold"));
    }
}
