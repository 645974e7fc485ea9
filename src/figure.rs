//! Figures: the numbers behind the campaign, one YAML file each, and the one place they are
//! formatted for reading.
//!
//! [`Figure::load`] reads `content/figures/ID.yaml` and enforces every rule of the format, so
//! that later stages can trust a `Figure`: one of `data` or `series`, series as long as the
//! categories, no negative parts of a whole, no part summing above its total, no duplicate
//! labels. Text, charts and tables all read their numbers from here, through
//! [`Figure::lookup`] and [`Unit::format`], so they cannot disagree.
//!
//! Every number is read from the text the file wrote ([`parse_number`]), not through YAML's
//! own number rules, and is refused unless it can be shown exactly as written: see
//! [`MAX_MAGNITUDE`]. So a reader never sees a number other than the file's.

use crate::error::{suggestion, Error, Location, Result};
use crate::yaml::{self, YamlText};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

/// The most data points one figure may hold. A chart with more is unreadable, and the limit
/// keeps a runaway file from exhausting memory.
pub const MAX_POINTS: usize = 2_000;

/// Numbers must lie below this in size: a thousand million million, far beyond any count a
/// campaign quotes. Within it, and with at most [`MAX_DIGITS`] significant digits and
/// [`MAX_DECIMALS`] decimal places, a number is held exactly and shown as written.
pub const MAX_MAGNITUDE: f64 = 1e15;
/// The most significant digits a number may have: an f64 holds any 15 exactly.
pub const MAX_DIGITS: usize = 15;
/// The most decimal places a number may have: as many as [`Unit::format`] shows.
pub const MAX_DECIMALS: usize = 2;

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

/// `value` to the finest step a figure's number may be written in at its size, with -0 made 0:
/// a sum of parts can carry a trace of float error, which must not show. That step is a
/// hundredth, but with at most 15 significant digits a number of 14 digits before the point
/// has one decimal, and one of 15 none; rounding to a finer step there would itself err.
fn written_precision(value: f64) -> f64 {
    let size = value.abs();
    let rounded = if size < 1e13 {
        (value * 100.0).round() / 100.0
    } else if size < 1e14 {
        (value * 10.0).round() / 10.0
    } else {
        value.round()
    };
    rounded + 0.0
}

/// A number as a spreadsheet reads it, `-1234.5`: the digits [`Unit::format`] shows, without
/// the commas.
pub fn plain_number(value: f64) -> String {
    format!("{}", written_precision(value))
}

/// Writes `value` with as many decimals as it needs (at most two) and commas between thousands.
fn group_thousands(value: f64) -> String {
    crate::numbers::grouped(&format!("{}", written_precision(value)))
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
    total: Option<Number>,
    categories: Option<Vec<String>>,
    series: Option<Vec<RawSeries>>,
    totals: Option<Vec<Option<Number>>>,
    remainder: Option<String>,
    #[serde(default)]
    values: BTreeMap<String, RawQuantity>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPoint {
    label: String,
    value: Option<Number>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSeries {
    name: String,
    values: Vec<Option<Number>>,
}

/// A number exactly as the file wrote it. It is read from the scalar's text, never through
/// YAML's number rules, which take `0x10` for 16 and `1e308` for a float shown as "inf".
#[derive(Debug, Clone, Copy, PartialEq)]
struct Number(f64);

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(NumberText)
    }
}

struct NumberText;

impl<'de> Visitor<'de> for NumberText {
    type Value = Number;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number")
    }

    fn visit_borrowed_str<E: de::Error>(self, text: &'de str) -> Result<Number, E> {
        read_number(text, yaml::written_in_quotes(text, true))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Number, E> {
        read_number(text, yaml::written_in_quotes(text, false))
    }
}

/// A number is refused as text when it is quoted: `"12"` would otherwise pass for 12, and a
/// quoted `"1,200"` is how a slip hides.
fn read_number<E: de::Error>(text: &str, quoted: bool) -> Result<Number, E> {
    let value = parse_number(text).map_err(|e| yaml::refusal(e.message(), e.hint_text().unwrap_or_default()))?;
    if quoted {
        let text = text.trim();
        return Err(yaml::refusal(
            format!("the number `{text}` is written in quotes, so it reads as text"),
            format!("write the number without quotes: `{text}`"),
        ));
    }
    Ok(Number(value))
}

const WRITE_PLAINLY: &str = "write a plain number such as 12 or 4.5";
const ROUND_IT: &str = "round the number in the file, so that readers see exactly what the file says";

/// Reads a number as written: decimal digits, an optional sign, point and exponent. It is
/// refused, with a message and a hint, unless it can be shown exactly as written (see
/// [`MAX_MAGNITUDE`]). `-0` is 0.
pub fn parse_number(written: &str) -> Result<f64> {
    let text = written.trim();
    let refuse = |message: String, hint: &str| Err(Error::new(message).hint(hint));
    if matches!(text, "" | "~" | "null" | "Null" | "NULL") {
        return refuse("expected a number, found nothing".to_string(), WRITE_PLAINLY);
    }
    let negative = text.starts_with('-');
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let lower = unsigned.to_ascii_lowercase();
    if ["0x", "0o", "0b"].iter().any(|p| lower.starts_with(p)) && lower.len() > 2 {
        return refuse(
            format!("`{text}` is not written in ordinary decimal digits"),
            "write the number in decimal digits, as readers will see it, such as 16 or 4.5",
        );
    }
    if matches!(lower.as_str(), ".inf" | "inf" | "infinity" | ".nan" | "nan") {
        return refuse(format!("`{text}` is not a finite number"), WRITE_PLAINLY);
    }
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
        None => (unsigned, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    if !(digits(int) && digits(frac) && !(int.is_empty() && frac.is_empty()) && exponent_ok) {
        return refuse_written(text);
    }
    // The value is `significant` × 10^scale.
    let all = format!("{int}{frac}");
    let significant = all.trim_start_matches('0').trim_end_matches('0');
    if significant.is_empty() {
        return Ok(0.0);
    }
    let trailing_zeros = all.len() - all.trim_end_matches('0').len();
    let exponent: i64 = match exponent {
        None => 0,
        Some(e) => e.parse().unwrap_or(if e.starts_with('-') { -1_000_000 } else { 1_000_000 }),
    };
    let scale = exponent - frac.len() as i64 + trailing_zeros as i64;
    let range = "figures take numbers from -999,999,999,999,999 to 999,999,999,999,999; give larger amounts in a larger unit, such as millions, and say so in the title";
    if significant.len() as i64 + scale > 15 {
        return refuse(format!("`{text}` is too large: numbers must be below a thousand million million"), range);
    }
    if -scale > MAX_DECIMALS as i64 {
        return refuse(format!("`{text}` has more than {MAX_DECIMALS} decimal places, the most a figure shows"), ROUND_IT);
    }
    if significant.len() > MAX_DIGITS {
        return refuse(format!("`{text}` has more than {MAX_DIGITS} significant digits, the most soapbox holds exactly"), ROUND_IT);
    }
    let magnitude: f64 = unsigned.parse().map_err(|_| Error::new(format!("expected a number, found the text \"{text}\"")).hint(WRITE_PLAINLY))?;
    Ok(if negative { -magnitude } else { magnitude })
}

/// Refuses text that is not a number, naming the slip when it is a common one: a comma
/// between thousands, a percent sign, a currency sign or a letter for thousands or millions.
fn refuse_written(text: &str) -> Result<f64> {
    let refuse = |message: String, hint: String| Err(Error::new(message).hint(hint));
    let (sign, unsigned) = text.strip_prefix('-').map_or(("", text), |rest| ("-", rest));
    let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if int.contains(',') && digits(&int.replace(',', "")) && (frac.is_empty() || digits(frac)) {
        let plain = text.replace(',', "");
        let the_comma = if int.matches(',').count() == 1 { "the comma" } else { "the commas" };
        return refuse(
            format!("`{text}` has {} in it", if the_comma == "the comma" { "a comma" } else { "commas" }),
            format!("write {plain}, without {the_comma}: soapbox adds them when it shows the number"),
        );
    }
    if let Some(number) = text.strip_suffix('%').map(str::trim_end).filter(|n| parse_number(n).is_ok()) {
        return refuse(
            format!("`{text}` has a percent sign in it"),
            format!("write {number}, without the `%`: a figure with `unit: percent` adds it when it shows the number"),
        );
    }
    let bare = unsigned.trim_start_matches(['£', '$', '€']);
    let (mantissa, times) = [("bn", 1e9), ("b", 1e9), ("m", 1e6), ("k", 1e3), ("", 1.0)]
        .iter()
        .find_map(|(letter, times)| bare.strip_suffix(letter).or_else(|| bare.strip_suffix(&letter.to_uppercase())).map(|m| (m.trim_end(), *times)))
        .unwrap_or((bare, 1.0));
    let decorated = bare.len() < unsigned.len() || times > 1.0;
    if let Some(value) = decorated.then(|| parse_number(mantissa).ok()).flatten() {
        let whole = plain_number(value * times);
        return refuse(
            format!("`{text}` is not a number written in digits alone"),
            format!("write the whole number in digits, such as {sign}{whole}, without a currency sign or a letter for thousands or millions; the figure's unit says what it counts"),
        );
    }
    refuse(format!("expected a number, found the text \"{text}\""), WRITE_PLAINLY.to_string())
}

/// A named value: a bare number in the figure's unit, or `{ value: …, unit: … }`. A bare
/// number is only recognised here; [`BareValues`] reads its text, which YAML's reading of an
/// unknown shape has already turned into a float.
enum RawQuantity {
    Bare,
    WithUnit { value: Number, unit: Unit },
}

impl<'de> Deserialize<'de> for RawQuantity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(QuantityShape)
    }
}

struct QuantityShape;

const QUANTITY_HINT: &str = "write a number, such as `share: 52`, or a number with its unit, such as `cases: { value: 956, unit: count }`";

impl<'de> Visitor<'de> for QuantityShape {
    type Value = RawQuantity;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number")
    }

    fn visit_bool<E>(self, _: bool) -> Result<RawQuantity, E> {
        Ok(RawQuantity::Bare)
    }

    fn visit_i64<E>(self, _: i64) -> Result<RawQuantity, E> {
        Ok(RawQuantity::Bare)
    }

    fn visit_u64<E>(self, _: u64) -> Result<RawQuantity, E> {
        Ok(RawQuantity::Bare)
    }

    fn visit_i128<E>(self, _: i128) -> Result<RawQuantity, E> {
        Ok(RawQuantity::Bare)
    }

    fn visit_u128<E>(self, _: u128) -> Result<RawQuantity, E> {
        Ok(RawQuantity::Bare)
    }

    fn visit_f64<E>(self, _: f64) -> Result<RawQuantity, E> {
        Ok(RawQuantity::Bare)
    }

    fn visit_str<E>(self, _: &str) -> Result<RawQuantity, E> {
        Ok(RawQuantity::Bare)
    }

    fn visit_unit<E>(self) -> Result<RawQuantity, E> {
        Ok(RawQuantity::Bare)
    }

    fn visit_none<E>(self) -> Result<RawQuantity, E> {
        Ok(RawQuantity::Bare)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<RawQuantity, A::Error> {
        Err(yaml::refusal("expected a number, found a list", QUANTITY_HINT))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawQuantity, A::Error> {
        let (mut value, mut unit) = (None, None);
        while let Some(key) = map.next_key_seed(QuantityKey)? {
            let twice = || yaml::refusal(format!("the key `{key}` is given twice"), "remove one of the two");
            match key {
                "value" if value.is_some() => return Err(twice()),
                "unit" if unit.is_some() => return Err(twice()),
                "value" => value = Some(map.next_value::<Number>()?),
                _ => unit = Some(map.next_value::<Unit>()?),
            }
        }
        match (value, unit) {
            (Some(value), Some(unit)) => Ok(RawQuantity::WithUnit { value, unit }),
            (None, _) => Err(yaml::refusal("missing required key `value`", QUANTITY_HINT)),
            (_, None) => Err(yaml::refusal("missing required key `unit`", QUANTITY_HINT)),
        }
    }
}

/// A key of `{ value: …, unit: … }`. Any other is refused as it is read, so that the error
/// points at the key itself.
struct QuantityKey;

impl<'de> DeserializeSeed<'de> for QuantityKey {
    type Value = &'static str;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for QuantityKey {
    type Value = &'static str;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("`value` or `unit`")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<&'static str, E> {
        match key {
            "value" => Ok("value"),
            "unit" => Ok("unit"),
            _ => Err(yaml::refusal(format!("unknown key `{key}`"), suggestion(key, ["value", "unit"]))),
        }
    }
}

/// The second reading of a figure file: the named values written as bare numbers, as text.
/// At the top (`inside` false) it looks only at `values`; inside, only at the `names`.
struct BareValues<'a> {
    names: &'a BTreeSet<String>,
    inside: bool,
}

impl<'de> DeserializeSeed<'de> for BareValues<'_> {
    type Value = BTreeMap<String, Number>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for BareValues<'_> {
    type Value = BTreeMap<String, Number>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = BTreeMap::new();
        while let Some(key) = map.next_key::<String>()? {
            if !self.inside && key == "values" {
                found = map.next_value_seed(BareValues { names: self.names, inside: true })?;
            } else if self.inside && self.names.contains(&key) {
                found.insert(key, map.next_value::<Number>()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(found)
    }
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
        // Stripped here as well as in `yaml::parse`, so that the checks below count the same columns.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let src = YamlText { file, text, first_line: 1 };
        let raw: RawFigure = yaml::parse(&src)?;
        let bare: BTreeSet<String> = raw.values.iter().filter(|(_, q)| matches!(q, RawQuantity::Bare)).map(|(k, _)| k.clone()).collect();
        let bare = if bare.is_empty() { BTreeMap::new() } else { yaml::parse_seed(&src, BareValues { names: &bare, inside: false })? };
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
            (Some(points), None) => single_body(&check, points, raw.total.map(|n| n.0), raw.totals.is_some())?,
            (None, Some(series)) => {
                let totals = raw.totals.map(|t| t.into_iter().map(|n| n.map(|n| n.0)).collect());
                multi_body(&check, raw.categories, series, totals, raw.total.is_some())?
            }
        };
        let values = raw
            .values
            .into_iter()
            .map(|(key, q)| {
                let quantity = match q {
                    RawQuantity::Bare => match bare.get(&key) {
                        Some(value) => Quantity { value: value.0, unit: raw.unit },
                        None => return Err(check.error(format!("the value `{key}` could not be read as a number"), &key, WRITE_PLAINLY)),
                    },
                    RawQuantity::WithUnit { value, unit } => Quantity { value: value.0, unit },
                };
                Ok((key, quantity))
            })
            .collect::<Result<_>>()?;
        let figure = Figure {
            hash: crate::hash::key((id, file, text)),
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
        if let Some(url) = figure.source_url.as_deref().filter(|u| !crate::web::is_web_address(u)) {
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
            (Body::Single { total: Some(_), .. }, _) | (Body::Multi { totals: Some(_), .. }, _) if !parts_of_whole => Err(check.error(
                format!("a {} cannot show a remainder up to a total", self.kind.name()),
                if matches!(self.body, Body::Single { .. }) { "total" } else { "totals" },
                "totals apply to `stacked-bar` and `donut` charts; remove the line or change the chart kind",
            )),
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
                            format!("the series for `{category}` add up to {}, more than its total of {}", self.unit.format(sum), self.unit.format(t)),
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
    /// chart with several series is `CATEGORY / SERIES`). The error says why, with a hint; the
    /// caller knows where the page quotes it.
    pub fn lookup(&self, key: Option<&str>, label: Option<&str>) -> Result<Quantity> {
        let refuse = |message: String, hint: String| Error::new(message).hint(hint);
        match (key, label) {
            (Some(key), None) => self
                .values
                .get(key)
                .copied()
                .ok_or_else(|| refuse(format!("figure `{}` has no value named `{key}`", self.id), suggestion(key, self.values.keys().map(String::as_str)))),
            (None, Some(label)) => {
                let value = self.point(label).ok_or_else(|| {
                    let labels = self.labels();
                    refuse(format!("figure `{}` has no data point labelled `{label}`", self.id), suggestion(label, labels.iter().map(String::as_str)))
                })?;
                let value = value.ok_or_else(|| {
                    refuse(
                        format!("`{label}` in figure `{}` was not reported, so there is no number to show", self.id),
                        "quote another value, or say in words that it was not reported".to_string(),
                    )
                })?;
                Ok(Quantity { value, unit: self.unit })
            }
            _ => Err(refuse(
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
    let points = points.into_iter().map(|p| Point { label: p.label, value: p.value.map(|n| n.0) }).collect();
    Ok(Body::Single { points, total })
}

fn multi_body(check: &Checker, categories: Option<Vec<String>>, series: Vec<RawSeries>, totals: Option<Vec<Option<f64>>>, has_total: bool) -> Result<Body> {
    if has_total {
        return Err(check.error(
            "`total` goes with `data`; with `series`, use `totals`".into(),
            "total",
            "write one total per category, such as `totals: [62, 92, 19]`",
        ));
    }
    let categories = categories
        .ok_or_else(|| check.error("`series` needs `categories`".into(), "series", "add a line such as `categories: [Cleveland, Durham, Northumbria]`"))?;
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
    }
    if let Some(t) = &totals {
        if t.len() != categories.len() {
            return Err(check.error(
                format!("`totals` has {} entries, but there are {} categories", t.len(), categories.len()),
                "totals",
                "give one total per category, in the same order",
            ));
        }
    }
    let series = series.into_iter().map(|s| Series { name: s.name, values: s.values.into_iter().map(|n| n.map(|n| n.0)).collect() }).collect();
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
        assert!(f.lookup(None, Some("A / Y")).unwrap_err().message().contains("not reported"));
        assert_eq!(f.lookup(None, Some("A / Z")).unwrap_err().hint_text(), Some("did you mean `A / X`?"));
    }

    #[test]
    fn named_values_take_the_figure_unit_unless_given() {
        let f = load(
            "title: T\nsource: S\nchart: bar\nunit: percent\ndata:\n  - { label: a, value: 1 }\nvalues:\n  share: 52\n  cases: { value: 956, unit: count }\n",
        )
        .unwrap();
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
            (
                "title: T\nsource: S\nchart: donut\nunit: percent\ntotal: 100\ndata:\n  - {label: a, value: 60}\n  - {label: b, value: 50}\n",
                "the values add up to 110%, more than the total of 100%",
            ),
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
    fn case_15_numbers_are_read_as_written_or_refused() {
        let accepted = [
            ("12", 12.0),
            ("+12", 12.0),
            ("-4.5", -4.5),
            ("1.10", 1.1),
            ("007", 7.0),
            (".5", 0.5),
            ("1e3", 1000.0),
            ("1.5E2", 150.0),
            ("12.5e-1", 1.25),
            ("999999999999999", 999_999_999_999_999.0),
            ("1234567890123.45", 1_234_567_890_123.45),
            ("0.01", 0.01),
        ];
        for (text, value) in accepted {
            assert_eq!(parse_number(text), Ok(value), "{text}");
        }
        let refused = [
            ("1e308", "is too large"),
            ("1000000000000000", "is too large"),
            ("9007199254740993", "is too large"),
            ("18446744073709551617", "is too large"),
            ("1e99999999999999999999", "is too large"),
            ("0.125", "more than 2 decimal places"),
            ("1e-99999999999999999999", "more than 2 decimal places"),
            ("0.1000000000000000001", "more than 2 decimal places"),
            ("12345678901234.56", "more than 15 significant digits"),
            ("0x10", "ordinary decimal digits"),
            ("-0b1", "ordinary decimal digits"),
            (".inf", "not a finite number"),
            ("-.Inf", "not a finite number"),
            (".NaN", "not a finite number"),
            ("1,628", "has a comma"),
            ("1,234,567", "has commas"),
            ("62%", "has a percent sign"),
            ("£3m", "digits alone"),
            ("1.2k", "digits alone"),
            ("$5", "digits alone"),
            ("1_000", "found the text \"1_000\""),
            ("1e", "found the text"),
            ("e3", "found the text"),
            (".", "found the text"),
            ("--1", "found the text"),
            ("", "found nothing"),
        ];
        for (text, message) in refused {
            let refused = parse_number(text).unwrap_err();
            assert!(refused.message().contains(message), "{text}: {}", refused.message());
            assert!(refused.hint_text().is_some_and(|hint| !hint.is_empty()));
        }
    }

    #[test]
    fn case_15_every_accepted_number_is_shown_as_written() {
        // Pseudo-random numbers of every length the rules accept, formatted back.
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..20_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let decimals = (seed % 3) as usize;
            let int_digits = 1 + (seed >> 8) as usize % (15 - decimals);
            let digits: String = (0..int_digits + decimals).map(|i| char::from(b'0' + ((seed >> (i * 4 % 60)) % 10) as u8)).collect();
            let (int, frac) = digits.split_at(int_digits);
            let int = int.trim_start_matches('0');
            let int = if int.is_empty() { "0" } else { int };
            let frac = frac.trim_end_matches('0');
            let written = if frac.is_empty() { int.to_string() } else { format!("{int}.{frac}") };
            let value = parse_number(&written).unwrap();
            assert_eq!(plain_number(value), written);
            assert_eq!(plain_number(-value), if value == 0.0 { written.clone() } else { format!("-{written}") });
            assert_eq!(Unit::Count.format(value).replace(',', ""), written);
        }
    }

    #[test]
    fn case_16_minus_zero_is_zero() {
        assert_eq!(parse_number("-0").unwrap().to_bits(), 0.0f64.to_bits());
        assert_eq!(parse_number("-0.00").unwrap().to_bits(), 0.0f64.to_bits());
        assert_eq!(Unit::Count.format(-0.0), "0");
        assert_eq!(plain_number(-0.0), "0");
        assert_eq!(plain_number(-1e-12), "0");
        assert_eq!(Unit::Percent.format(-0.001), "0%");
    }

    #[test]
    fn case_19_named_values_speak_plainly() {
        let base = "title: T\nsource: S\nchart: bar\nunit: count\ndata:\n  - { label: a, value: 1 }\nvalues:\n";
        let cases = [
            ("  x: [1]\n", "expected a number, found a list (in `values.x`)", 8),
            ("  x: { value: 1 }\n", "missing required key `unit` (in `values.x`)", 8),
            ("  x: { value: 1, unit: count, colour: red }\n", "unknown key `colour` (in `values.x`)", 8),
            ("  x: { value: 0x10, unit: count }\n", "`0x10` is not written in ordinary decimal digits (in `values.x.value`)", 8),
            ("  a: 1\n  x: 0x10\n", "`0x10` is not written in ordinary decimal digits (in `values.x`)", 9),
            ("  x: lots\n", "expected a number, found the text \"lots\" (in `values.x`)", 8),
        ];
        for (tail, message, line) in cases {
            let err = err_of(&format!("{base}{tail}"));
            assert_eq!(err.message(), message, "{tail}");
            assert_eq!(err.location().unwrap().line.unwrap().0, line, "{tail}");
        }
    }

    #[test]
    fn case_14_a_figure_may_start_with_a_byte_order_mark() {
        let f = load(&format!("\u{feff}{STACKED}")).unwrap();
        assert_eq!(f.title, "T");
        assert_eq!(f, load(STACKED).unwrap());
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
