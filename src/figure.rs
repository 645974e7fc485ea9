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
use crate::layouts::{Layout, Layouts};
use crate::numbers::{counted, Style};
use crate::strings::{Language, SiteStrings, Strings};
use crate::yaml::{self, YamlText};
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;
use std::sync::Arc;

mod annotations;
pub use annotations::{Annotation, Reference, Shade, Target, NOTE_CHARS};
use annotations::{RawAnnotation, RawReference, RawShade};

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
/// The squares of a waffle chart when its file does not say, and the fewest and most it may
/// ask for: fewer than 10 cannot show a part smaller than a tenth, and more than 400 makes
/// squares too small to count at a phone's width.
pub const WAFFLE_SQUARES: (u32, u32, u32) = (100, 10, 400);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChartKind {
    Bar,
    Column,
    StackedBar,
    Donut,
    Line,
    Waffle,
    Dot,
    /// One equal tile per area, placed by a [`crate::layouts::Layout`].
    TileMap,
}

impl ChartKind {
    pub fn name(self) -> &'static str {
        match self {
            ChartKind::Bar => "bar chart",
            ChartKind::Column => "column chart",
            ChartKind::StackedBar => "stacked bar chart",
            ChartKind::Donut => "donut chart",
            ChartKind::Line => "line chart",
            ChartKind::Waffle => "waffle chart",
            ChartKind::Dot => "dot plot",
            ChartKind::TileMap => "tile map",
        }
    }
}

/// How a number reads: what it measures, and how many decimal places it shows (as written,
/// up to two, when not set).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Unit {
    pub kind: UnitKind,
    pub decimals: Option<u8>,
    /// How the site's language writes numbers.
    pub style: Style,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum UnitKind {
    /// 32.6%
    Percent,
    /// 1,628
    Count,
    /// A plain number, such as a ratio: 1.7
    Number,
    /// £1,628, or £3.50 when it has pence
    Money(Currency),
    /// A rate: 4.2 per 1,000
    Per(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Currency {
    Pound,
    Euro,
    Dollar,
}

impl Currency {
    fn symbol(self) -> &'static str {
        match self {
            Currency::Pound => "£",
            Currency::Euro => "€",
            Currency::Dollar => "$",
        }
    }

    /// The ISO 4217 code, for a table's heading.
    pub fn code(self) -> &'static str {
        match self {
            Currency::Pound => "GBP",
            Currency::Euro => "EUR",
            Currency::Dollar => "USD",
        }
    }
}

const UNIT_HINT: &str = "write `percent` (32.6%), `count` (1,628), `number` (1.7), a currency (`£`, `€` or `$`), or a rate such as `per 1000`";

impl Unit {
    pub const PERCENT: Unit = Unit { kind: UnitKind::Percent, decimals: None, style: Style::Comma };
    pub const COUNT: Unit = Unit { kind: UnitKind::Count, decimals: None, style: Style::Comma };
    pub const NUMBER: Unit = Unit { kind: UnitKind::Number, decimals: None, style: Style::Comma };

    /// Reads a unit as a figure writes it.
    fn parse(text: &str) -> std::result::Result<Unit, String> {
        let kind = match text.trim() {
            "percent" => UnitKind::Percent,
            "count" => UnitKind::Count,
            "number" => UnitKind::Number,
            "£" | "GBP" | "pounds" => UnitKind::Money(Currency::Pound),
            "€" | "EUR" | "euros" => UnitKind::Money(Currency::Euro),
            "$" | "USD" | "dollars" => UnitKind::Money(Currency::Dollar),
            other => match other.strip_prefix("per ").map(str::trim) {
                Some(n) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => match n.parse::<u32>() {
                    Ok(n) if n >= 1 => UnitKind::Per(n),
                    _ => {
                        return Err(format!("`{other}` is not a rate soapbox can show: the number after `per` must be a whole number from 1 to 4,294,967,295"))
                    }
                },
                Some(n) if n.contains(',') => return Err(format!("`{other}` has a comma in it: write `per {}`, without the comma", n.replace(',', ""))),
                _ => return Err(format!("there is no unit `{other}`")),
            },
        };
        Ok(Unit { kind, decimals: None, style: Style::Comma })
    }

    /// A number as a reader sees it: `1,628` for a count, `32.6%` for a percentage, `£3.50`,
    /// `4.2 per 1,000`.
    pub fn format(self, value: f64) -> String {
        let digits = self.digits(value.abs(), true);
        let sign = if self.rounded(value) < 0.0 { "-" } else { "" };
        match self.kind {
            UnitKind::Percent => format!("{sign}{digits}%"),
            UnitKind::Count | UnitKind::Number => format!("{sign}{digits}"),
            UnitKind::Money(currency) => format!("{sign}{}{digits}", currency.symbol()),
            UnitKind::Per(n) => format!("{sign}{digits} per {}", self.style.write(&n.to_string())),
        }
    }

    /// A number as a spreadsheet reads it, `-1234.5`: the digits [`Unit::format`] shows,
    /// without the commas or the unit.
    pub fn plain(self, value: f64) -> String {
        let sign = if self.rounded(value) < 0.0 { "-" } else { "" };
        format!("{sign}{}", self.digits(value.abs(), false))
    }

    /// An axis mark: a round number, shown without the decimal places the figure's own
    /// numbers may carry.
    pub fn tick(self, value: f64) -> String {
        Unit { decimals: None, ..self }.format(value)
    }

    /// The decimal places shown: as set, else two for money with pence and none for whole
    /// pounds, else as written.
    fn places(self, value: f64) -> Option<u8> {
        match (self.decimals, self.kind) {
            (Some(places), _) => Some(places),
            (None, UnitKind::Money(_)) => Some(if written_precision(value).fract() == 0.0 { 0 } else { 2 }),
            (None, _) => None,
        }
    }

    /// `value` rounded as it is shown: half away from zero, once, to the places shown.
    pub fn rounded(self, value: f64) -> f64 {
        match self.places(value) {
            Some(places) => {
                let scale = 10f64.powi(i32::from(places));
                (value * scale).round() / scale + 0.0
            }
            None => written_precision(value),
        }
    }

    fn digits(self, size: f64, grouped: bool) -> String {
        let text = match self.places(size) {
            Some(places) => format!("{:.*}", usize::from(places), self.rounded(size)),
            None => format!("{}", written_precision(size)),
        };
        if grouped {
            self.style.write(&text)
        } else {
            text
        }
    }

    /// The unit in words, for an error.
    fn noun(self) -> &'static str {
        match self.kind {
            UnitKind::Percent => "percentage",
            UnitKind::Count => "count",
            UnitKind::Number => "plain number",
            UnitKind::Money(_) => "sum of money",
            UnitKind::Per(_) => "rate",
        }
    }
}

impl<'de> Deserialize<'de> for Unit {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct UnitText;
        impl Visitor<'_> for UnitText {
            type Value = Unit;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a unit")
            }
            // Refused while the scalar is read, so that the error points at it.
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Unit, E> {
                Unit::parse(text).map_err(|message| yaml::refusal(message, UNIT_HINT))
            }
        }
        deserializer.deserialize_str(UnitText)
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

/// The order a figure shows its labels (or categories) in: as its file gives them, by value
/// (largest first; for several series, by each category's whole), or by label in the
/// alphabetical order of the language the chart is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Order {
    #[default]
    File,
    Value,
    Label,
}

impl Body {
    /// The body with its labels (or categories) in `order`; labels compared as `language`
    /// sorts them. Values no one reported go last when sorting by value.
    fn ordered(&mut self, order: Order, language: Language) {
        if order == Order::File {
            return;
        }
        let by_value = |a: Option<f64>, b: Option<f64>| b.unwrap_or(f64::NEG_INFINITY).total_cmp(&a.unwrap_or(f64::NEG_INFINITY));
        match self {
            Body::Single { points, .. } => match order {
                Order::Value => points.sort_by(|a, b| by_value(a.value, b.value)),
                _ => points.sort_by(|a, b| language.collate(&a.label, &b.label)),
            },
            Body::Multi { categories, series, totals } => {
                let whole = |i: usize| -> Option<f64> {
                    let given = totals.as_ref().and_then(|t| t.get(i).copied().flatten());
                    given.or_else(|| series.iter().map(|s| s.values.get(i).copied().flatten()).sum::<Option<f64>>())
                };
                let mut at: Vec<usize> = (0..categories.len()).collect();
                match order {
                    Order::Value => at.sort_by(|&a, &b| by_value(whole(a), whole(b))),
                    _ => at.sort_by(|&a, &b| language.collate(&categories[a], &categories[b])),
                }
                let pick = |values: &[Option<f64>]| at.iter().map(|&i| values.get(i).copied().flatten()).collect::<Vec<_>>();
                *categories = at.iter().map(|&i| categories[i].clone()).collect();
                for s in series.iter_mut() {
                    s.values = pick(&s.values);
                }
                if let Some(t) = totals.as_mut() {
                    *t = pick(t);
                }
            }
        }
    }
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

/// What a page or a figure's text quotes from a figure: a number, or words (a computed
/// value's label, a checked claim, a statement with its attribution).
#[derive(Debug, Clone, PartialEq)]
pub enum Quoted {
    Number(Quantity),
    Words(String),
}

impl Quoted {
    /// As a reader sees it.
    pub fn formatted(&self) -> String {
        match self {
            Quoted::Number(q) => q.formatted(),
            Quoted::Words(words) => words.clone(),
        }
    }
}

/// A phrase about a figure's numbers that the build checks: its words, the number it is
/// about (a value's key or a data point's label), and the test the number must pass.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    pub words: String,
    pub about: String,
    pub test: Test,
}

/// What a claim's number must be, with no tolerance beyond what is written.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    Above(f64),
    Below(f64),
    AtLeast(f64),
    AtMost(f64),
    /// From the first to the second, both included.
    Between(f64, f64),
    /// The largest of the data points beside it (in its category, for several series).
    Largest,
    Smallest,
}

impl Test {
    /// The test in words, for an error: "above 50".
    fn describe(&self, unit: Unit) -> String {
        match self {
            Test::Above(n) => format!("above {}", unit.format(*n)),
            Test::Below(n) => format!("below {}", unit.format(*n)),
            Test::AtLeast(n) => format!("at least {}", unit.format(*n)),
            Test::AtMost(n) => format!("at most {}", unit.format(*n)),
            Test::Between(a, b) => format!("between {} and {}", unit.format(*a), unit.format(*b)),
            Test::Largest => "the largest of the parts beside it".to_string(),
            Test::Smallest => "the smallest of the parts beside it".to_string(),
        }
    }
}

/// Words the figure's source said that its data cannot test (the data may not hold what
/// they are about): always shown with who said them, never as a checked claim.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub words: String,
    pub by: String,
}

/// A date as precise as the source gives it: a year, a month or a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct DataDate {
    year: u16,
    month: Option<u8>,
    day: Option<u8>,
}

const DATE_HINT: &str = "write a year (2018), a month (2018-04) or a day (2018-04-03)";

impl DataDate {
    fn parse(text: &str) -> std::result::Result<DataDate, String> {
        let parts: Vec<&str> = text.trim().split('-').collect();
        let number = |part: &str, len: usize| (part.len() == len && part.bytes().all(|b| b.is_ascii_digit())).then(|| part.parse::<u16>().ok()).flatten();
        let not_a_date = || format!("`{text}` is not a date soapbox can read");
        let (year, month, day) = match parts.as_slice() {
            [y] => (number(y, 4), None, None),
            [y, m] => (number(y, 4), Some(number(m, 2).ok_or_else(not_a_date)?), None),
            [y, m, d] => (number(y, 4), Some(number(m, 2).ok_or_else(not_a_date)?), Some(number(d, 2).ok_or_else(not_a_date)?)),
            _ => return Err(not_a_date()),
        };
        let year = year.filter(|y| (1000..=9999).contains(y)).ok_or_else(not_a_date)?;
        let month = month.map(|m| u8::try_from(m).ok().filter(|m| (1..=12).contains(m)).ok_or_else(|| format!("`{text}` has no month {m}"))).transpose()?;
        let days = |m: u8| match m {
            2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        let day = match (day, month) {
            (Some(d), Some(m)) => {
                Some(u8::try_from(d).ok().filter(|d| *d >= 1 && *d <= days(m)).ok_or_else(|| format!("`{text}` is not a day of the calendar"))?)
            }
            _ => None,
        };
        Ok(DataDate { year, month, day })
    }

    /// ISO 8601, as precise as the date: `2018`, `2018-04`, `2018-04-03`.
    pub fn iso(self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }

    /// For reading, in English (soapbox's own messages): `2018`, `April 2018`, `3 April 2018`.
    pub fn display(self) -> String {
        self.display_in(Language::English)
    }

    /// For reading in `language`: `3 April 2018`, `3 Ebrill 2018`.
    pub fn display_in(self, language: Language) -> String {
        language.date(self.year, self.month, self.day)
    }
}

impl<'de> Deserialize<'de> for DataDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DateText;
        impl Visitor<'_> for DateText {
            type Value = DataDate;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<DataDate, E> {
                DataDate::parse(text).map_err(|message| yaml::refusal(message, DATE_HINT))
            }
            fn visit_u64<E: de::Error>(self, year: u64) -> Result<DataDate, E> {
                self.visit_str(&year.to_string())
            }
            fn visit_i64<E: de::Error>(self, year: i64) -> Result<DataDate, E> {
                self.visit_str(&year.to_string())
            }
        }
        deserializer.deserialize_any(DateText)
    }
}

/// When a figure's data was gathered and published, so that a chart shared years later still
/// says how old it is.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Dates {
    /// The time the data covers, from and to.
    pub period: Option<(DataDate, DataDate)>,
    pub published: Option<DataDate>,
    pub updated: Option<DataDate>,
}

impl Dates {
    /// The dates in words, for the chart's footer and images: "Data for April 2017 to January
    /// 2018; published 3 April 2018, updated 1 May 2018."
    pub fn words(&self, words: &Strings) -> Option<String> {
        let date = |d: DataDate| d.display_in(words.language());
        let mut parts = Vec::new();
        if let Some((from, to)) = self.period {
            parts.push(if from == to {
                words.fill("data_for", &[("date", &date(from))])
            } else {
                words.fill("data_for_period", &[("from", &date(from)), ("to", &date(to))])
            });
        }
        let mut issued = Vec::new();
        issued.extend(self.published.map(|d| words.fill("published", &[("date", &date(d))])));
        issued.extend(self.updated.map(|d| words.fill("updated", &[("date", &date(d))])));
        if !issued.is_empty() {
            parts.push(issued.join(", "));
        }
        let text = parts.join("; ");
        let mut chars = text.chars();
        let first = chars.next()?;
        Some(format!("{}{}.", first.to_uppercase(), chars.as_str()))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPeriod {
    from: DataDate,
    to: DataDate,
}

/// A figure's texts as the file wrote them, before the values they quote are filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    pub title: String,
    pub subtitle: Option<String>,
    pub note: Option<String>,
    pub alt: Option<String>,
    /// The figure's key before its texts were filled.
    hash: u64,
    /// The key of the figure's file: its id, path and text.
    source: u64,
    /// Where the texts that quote values stand in the file.
    places: BTreeMap<&'static str, Location>,
    /// The words it draws on the chart beyond its data (notes, reference and period labels),
    /// by the key of the list each is in.
    pub chart: Vec<(&'static str, String)>,
}

impl Written {
    /// The key of the figure's file: its id, path and text.
    pub fn source_hash(&self) -> u64 {
        self.source
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
    /// How many squares a waffle chart has (see [`WAFFLE_SQUARES`]); other kinds ignore it.
    pub squares: u32,
    /// Named values, typed or computed from the data.
    pub values: BTreeMap<String, Quoted>,
    /// Claims in words, each checked against the data when the figure loads.
    pub claims: BTreeMap<String, Claim>,
    pub statements: BTreeMap<String, Statement>,
    /// The title, subtitle, note and alt text as written; the fields above hold them with
    /// their `{{ value(…) }}` calls filled (see [`fill_texts`]).
    pub written: Written,
    pub dates: Dates,
    /// The colours of the series (or points) in order, where the figure or the site's
    /// palette sets them; the built-in palette gives the rest. Checked in the check stage.
    pub colours: Vec<crate::colour::SetColour>,
    /// The value (a key of `values`) that share images show large beside the title.
    pub headline: Option<String>,
    /// The order it shows its labels in, applied to `body` as it is loaded or translated.
    pub order: Order,
    /// The labels (or categories) and series it emphasises; the rest recede.
    pub highlight: Vec<String>,
    /// Lines and bands across its value axis, each with its label.
    pub references: Vec<Reference>,
    /// Periods of a line chart, shaded with their labels.
    pub shaded: Vec<Shade>,
    /// Short notes pinned to a point, a category or a value.
    pub annotations: Vec<Annotation>,
    /// The words soapbox writes for it, in its language with the site's own over them: its
    /// description, the words drawn in the chart, its table's headings, its dates and what a
    /// page quotes of it (see [`Figure::with_strings`]). Its key covers them.
    pub strings: Arc<Strings>,
    /// The site's words in each of its languages, from which [`Figure::translated`] takes them.
    pub site_strings: SiteStrings,
    /// Whether the file named the remainder; if not, its label is the language's own.
    pub remainder_given: bool,
    /// Its words in the site's other languages, by tag (see [`Figure::translated`]).
    pub translations: BTreeMap<String, Words>,
    /// A tile map's layout, with its areas named in the figure's language; every data label
    /// is one of its areas.
    pub layout: Option<std::sync::Arc<Layout>>,
    /// When it is on the site (`publish_at`, `expire_at`): a build at another moment leaves
    /// out everything made of it.
    pub schedule: crate::moment::Schedule,
}

/// A figure's words in another language (`translations: { cy: … }` in its file); any not
/// given are the file's own. Its numbers are written once, for every language.
#[derive(Debug, Clone, Default, PartialEq, Hash, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Words {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub subtitle: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub alt: Option<String>,
    #[serde(default)]
    pub remainder: Option<String>,
    /// Each label (or category), by the label the file gives it.
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    /// Each series' name, by the name the file gives it.
    #[serde(default)]
    pub series: BTreeMap<String, String>,
    /// Each claim's words, by the claim's name.
    #[serde(default)]
    pub claims: BTreeMap<String, String>,
    /// Each reference line's or band's label, by the label the file gives it.
    #[serde(default)]
    pub references: BTreeMap<String, String>,
    /// Each shaded period's label, by the label the file gives it.
    #[serde(default)]
    pub shaded: BTreeMap<String, String>,
    /// Each annotation's text, by the text the file gives it.
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
}

impl Words {
    /// The texts that may quote values: its title, subtitle, note and alt, and its chart
    /// words (notes, reference and period labels).
    fn texts(&self) -> Vec<&String> {
        let fields = [&self.title, &self.subtitle, &self.note, &self.alt].into_iter().flatten();
        fields.chain(self.annotations.values()).chain(self.references.values()).chain(self.shaded.values()).collect()
    }

    /// [`Words::texts`], to fill.
    fn texts_mut(&mut self) -> Vec<&mut String> {
        let fields = [&mut self.title, &mut self.subtitle, &mut self.note, &mut self.alt].into_iter().flatten();
        fields.chain(self.annotations.values_mut()).chain(self.references.values_mut()).chain(self.shaded.values_mut()).collect()
    }
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
    decimals: Option<u8>,
    data: Option<Vec<RawPoint>>,
    total: Option<Number>,
    categories: Option<Vec<String>>,
    series: Option<Vec<RawSeries>>,
    totals: Option<Vec<Option<Number>>>,
    remainder: Option<String>,
    squares: Option<Number>,
    #[serde(default)]
    values: BTreeMap<String, RawQuantity>,
    period: Option<RawPeriod>,
    published: Option<DataDate>,
    updated: Option<DataDate>,
    #[serde(default)]
    claims: BTreeMap<String, RawClaim>,
    #[serde(default)]
    statements: BTreeMap<String, RawStatement>,
    #[serde(default)]
    colours: Vec<crate::colour::Colour>,
    headline: Option<String>,
    #[serde(default)]
    order: Order,
    #[serde(default)]
    highlight: Vec<String>,
    #[serde(default)]
    references: Vec<RawReference>,
    #[serde(default)]
    shaded: Vec<RawShade>,
    #[serde(default)]
    annotations: Vec<RawAnnotation>,
    #[serde(default)]
    translations: BTreeMap<String, Words>,
    layout: Option<String>,
    publish_at: Option<crate::moment::Moment>,
    expire_at: Option<crate::moment::Moment>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClaim {
    words: String,
    key: Option<String>,
    label: Option<String>,
    above: Option<Number>,
    below: Option<Number>,
    at_least: Option<Number>,
    at_most: Option<Number>,
    between: Option<(Number, Number)>,
    #[serde(default)]
    largest: bool,
    #[serde(default)]
    smallest: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStatement {
    words: String,
    by: String,
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
        let whole = Unit::NUMBER.plain(value * times);
        return refuse(
            format!("`{text}` is not a number written in digits alone"),
            format!("write the whole number in digits, such as {sign}{whole}, without a currency sign or a letter for thousands or millions; the figure's unit says what it counts"),
        );
    }
    refuse(format!("expected a number, found the text \"{text}\""), WRITE_PLAINLY.to_string())
}

/// A named value: a bare number in the figure's unit, `{ value: …, unit: … }`, or computed
/// from the figure's data. A bare number is only recognised here; [`BareValues`] reads its
/// text, which YAML's reading of an unknown shape has already turned into a float.
enum RawQuantity {
    Bare,
    WithUnit { value: Number, unit: Unit },
    Computed { op: Op, decimals: Option<u8> },
}

/// How a computed value is made from operands: each the label of a data point or the key of
/// another value of the same figure.
#[derive(Debug, Clone, PartialEq)]
enum Op {
    Sum(Vec<String>),
    /// The first as a percentage of the second.
    Share(String, String),
    Difference(String, String),
    Ratio(String, String),
    /// The label of the largest of these data points (all of them when `None`).
    Largest(Option<Vec<String>>),
    Smallest(Option<Vec<String>>),
}

impl<'de> Deserialize<'de> for RawQuantity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(QuantityShape)
    }
}

struct QuantityShape;

const QUANTITY_HINT: &str = "write a number, such as `share: 52`, a number with its unit, such as `cases: { value: 956, unit: count }`, or a value computed from the data, such as `both: { sum: [Facebook, Instagram] }`";

/// The keys a named value may have.
const QUANTITY_KEYS: [&str; 10] = ["value", "unit", "sum", "share", "of", "difference", "ratio", "largest", "smallest", "decimals"];

/// `largest: data`, or a list of labels.
struct Labels(Option<Vec<String>>);

impl<'de> Deserialize<'de> for Labels {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Shape;
        impl<'de> Visitor<'de> for Shape {
            type Value = Labels;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("`data` or a list of labels")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Labels, E> {
                match text {
                    "data" => Ok(Labels(None)),
                    _ => Err(yaml::refusal(
                        format!("expected `data` or a list of labels, found `{text}`"),
                        "write `data` for every data point, or list the labels: [Facebook, Snapchat]",
                    )),
                }
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Labels, A::Error> {
                let mut labels = Vec::new();
                while let Some(label) = seq.next_element::<String>()? {
                    labels.push(label);
                }
                Ok(Labels(Some(labels)))
            }
        }
        deserializer.deserialize_any(Shape)
    }
}

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
        let (mut value, mut unit, mut decimals, mut of) = (None, None, None, None);
        let mut ops: Vec<(&'static str, Op)> = Vec::new();
        let mut seen = BTreeSet::new();
        while let Some(key) = map.next_key_seed(QuantityKey)? {
            if !seen.insert(key) {
                return Err(yaml::refusal(format!("the key `{key}` is given twice"), "remove one of the two"));
            }
            let pair = |map: &mut A, op: &str| -> Result<(String, String), A::Error> {
                let list: Vec<String> = map.next_value()?;
                match <[String; 2]>::try_from(list) {
                    Ok([a, b]) => Ok((a, b)),
                    Err(_) => {
                        Err(yaml::refusal(format!("`{op}` takes two labels or values"), format!("for example `{op}: [Offences recorded, Platform recorded]`")))
                    }
                }
            };
            match key {
                "value" => value = Some(map.next_value::<Number>()?),
                "unit" => unit = Some(map.next_value::<Unit>()?),
                "decimals" => {
                    let n: u8 = map.next_value()?;
                    if usize::from(n) > MAX_DECIMALS {
                        return Err(yaml::refusal(format!("`decimals` is {n}; a figure shows at most {MAX_DECIMALS} decimal places"), "write 0, 1 or 2"));
                    }
                    decimals = Some(n);
                }
                "sum" => ops.push(("sum", Op::Sum(map.next_value()?))),
                "share" => ops.push(("share", Op::Share(map.next_value()?, String::new()))),
                "of" => of = Some(map.next_value::<String>()?),
                "difference" => {
                    let (a, b) = pair(&mut map, "difference")?;
                    ops.push(("difference", Op::Difference(a, b)));
                }
                "ratio" => {
                    let (a, b) = pair(&mut map, "ratio")?;
                    ops.push(("ratio", Op::Ratio(a, b)));
                }
                "largest" => ops.push(("largest", Op::Largest(map.next_value::<Labels>()?.0))),
                _ => ops.push(("smallest", Op::Smallest(map.next_value::<Labels>()?.0))),
            }
        }
        if ops.len() > 1 {
            let names: Vec<&str> = ops.iter().map(|(name, _)| *name).collect();
            return Err(yaml::refusal(format!("a value is computed one way, not by `{}`", names.join("` and `")), "give each way a value of its own"));
        }
        match (ops.pop(), value) {
            (Some(_), Some(_)) => Err(yaml::refusal("a value is either written (`value`) or computed, not both", "remove `value`, or the computation")),
            (Some((_, Op::Share(part, _))), None) => match of {
                Some(whole) => Ok(RawQuantity::Computed { op: Op::Share(part, whole), decimals }),
                None => {
                    Err(yaml::refusal("`share` needs `of`: the whole it is a share of", "for example `{ share: Platform recorded, of: Offences recorded }`"))
                }
            },
            (Some(_), None) | (None, None) if of.is_some() => {
                Err(yaml::refusal("`of` goes with `share`", "for example `{ share: Platform recorded, of: Offences recorded }`"))
            }
            (Some(_), None) if unit.is_some() => Err(yaml::refusal(
                "a computed value takes its unit from what it is computed from",
                "remove `unit`; a share is a percentage, a ratio a plain number",
            )),
            (Some((_, op)), None) => Ok(RawQuantity::Computed { op, decimals }),
            (None, Some(value)) => match unit {
                Some(unit) => Ok(RawQuantity::WithUnit { value, unit: Unit { decimals, ..unit } }),
                None => Err(yaml::refusal("missing required key `unit`", QUANTITY_HINT)),
            },
            (None, None) => Err(yaml::refusal("missing required key `value`", QUANTITY_HINT)),
        }
    }
}

/// A key of a named value (one of [`QUANTITY_KEYS`]). Any other is refused as it is read, so
/// that the error points at the key itself.
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
        f.write_str("`value` and `unit`, or a computation")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<&'static str, E> {
        QUANTITY_KEYS.iter().find(|k| **k == key).copied().ok_or_else(|| yaml::refusal(format!("unknown key `{key}`"), suggestion(key, QUANTITY_KEYS)))
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

/// `text` with its first letter a capital, for a hint that opens a sentence.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default()
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
        Figure::load_in(id, file, text, Style::Comma)
    }

    /// [`Figure::load`], for a site whose language writes numbers in `style`.
    pub fn load_in(id: &str, file: &Path, text: &str, style: Style) -> Result<Figure> {
        Figure::load_among(id, file, text, style, &Layouts::built_in())
    }

    /// [`Figure::load_in`], for a site whose tile maps may name any of `layouts`.
    pub fn load_among(id: &str, file: &Path, text: &str, style: Style, layouts: &Layouts) -> Result<Figure> {
        // Stripped here as well as in `yaml::parse`, so that the checks below count the same columns.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let src = YamlText { file, text, first_line: 1 };
        let mut raw: RawFigure = yaml::parse(&src)?;
        // The texts a reader sees get the punctuation body text gets, once, as they are read.
        raw.title = crate::typography::smart_text(&raw.title);
        for text in [&mut raw.subtitle, &mut raw.note, &mut raw.alt].into_iter().flatten() {
            *text = crate::typography::smart_text(text);
        }
        if let Some(places) = raw.decimals {
            if usize::from(places) > MAX_DECIMALS {
                let check = Checker { file, text };
                return Err(check.error(
                    format!("`decimals` is {places}; a figure shows at most {MAX_DECIMALS} decimal places"),
                    "decimals",
                    "write 0, 1 or 2",
                ));
            }
            raw.unit.decimals = Some(places);
        }
        raw.unit.style = style;
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
        let mut written_values = BTreeMap::new();
        let mut computed = BTreeMap::new();
        for (key, q) in raw.values {
            match q {
                RawQuantity::Bare => match bare.get(&key) {
                    Some(value) => drop(written_values.insert(key, Quantity { value: value.0, unit: raw.unit })),
                    None => return Err(check.error(format!("the value `{key}` could not be read as a number"), &key, WRITE_PLAINLY)),
                },
                RawQuantity::WithUnit { value, unit } => drop(written_values.insert(key, Quantity { value: value.0, unit: Unit { style, ..unit } })),
                RawQuantity::Computed { op, decimals } => drop(computed.insert(key, (op, decimals))),
            }
        }
        let source = crate::hash::key((id, file, text));
        let hash = if style == Style::Comma { source } else { crate::hash::key((source, style)) };
        let places =
            text_places(file, text, [("title", Some(&raw.title)), ("subtitle", raw.subtitle.as_ref()), ("note", raw.note.as_ref()), ("alt", raw.alt.as_ref())]);
        let written = Written {
            title: raw.title.clone(),
            subtitle: raw.subtitle.clone(),
            note: raw.note.clone(),
            alt: raw.alt.clone(),
            hash,
            source,
            places,
            chart: Vec::new(),
        };
        let mut figure = Figure {
            hash,
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
            remainder_given: raw.remainder.is_some(),
            strings: Arc::clone(Language::English.words()),
            site_strings: SiteStrings::default(),
            squares: squares(&check, raw.squares, raw.chart)?,
            remainder: raw.remainder.unwrap_or_else(|| Language::English.words().get("not_recorded")),
            values: written_values.into_iter().map(|(k, q)| (k, Quoted::Number(q))).collect(),
            claims: BTreeMap::new(),
            statements: BTreeMap::new(),
            written,
            dates: Dates { period: raw.period.map(|p| (p.from, p.to)), published: raw.published, updated: raw.updated },
            colours: crate::colour::locate(file, text, "colours", &raw.colours),
            headline: None,
            order: raw.order,
            highlight: raw.highlight,
            references: Vec::new(),
            shaded: Vec::new(),
            annotations: Vec::new(),
            translations: BTreeMap::new(),
            layout: None,
            schedule: crate::moment::Schedule { publish_at: raw.publish_at, expire_at: raw.expire_at },
        };
        if let Some(problem) = figure.schedule.problem() {
            return Err(check.error(problem.message, "expire_at", &problem.hint));
        }
        if let Some((from, to)) = figure.dates.period.filter(|(from, to)| from > to) {
            return Err(check.error(
                format!("the period starts on {} but ends before, on {}", from.display(), to.display()),
                "period",
                "give `from` the earlier date",
            ));
        }
        if let (Some(published), Some(updated)) = (figure.dates.published, figure.dates.updated) {
            if updated < published {
                return Err(check.error(
                    format!("the figure was updated on {}, before it was published on {}", updated.display(), published.display()),
                    "updated",
                    "`updated` is the date of the latest change, after `published`",
                ));
            }
        }
        if let Some(url) = figure.source_url.as_deref().filter(|u| !crate::web::is_web_address(u)) {
            return Err(check.error(
                format!("`source_url` must be a web address starting with https://, not `{url}`"),
                "source_url",
                "link to the report the numbers come from, such as `source_url: https://www.example.org/report`",
            ));
        }
        figure.check_kind(&check)?;
        if figure.order != Order::File && figure.kind == ChartKind::Line {
            return Err(check.error(
                "a line chart keeps its categories in the file's order: they are points in time".into(),
                "order",
                "remove `order`, or write the categories in the order to show them",
            ));
        }
        figure.body.ordered(figure.order, figure.strings.language());
        figure.check_highlight(&check)?;
        figure.take_annotations(&check, raw.references, raw.shaded, raw.annotations)?;
        figure.written.chart = figure.chart_words_keyed();
        figure.place_on(&check, raw.layout.as_deref(), layouts)?;
        figure.compute(&check, &computed)?;
        figure.statements = raw.statements.into_iter().map(|(name, s)| (name, Statement { words: s.words, by: s.by })).collect();
        for (name, claim) in raw.claims {
            let claim = figure.claim(&check, &name, claim)?;
            figure.claims.insert(name, claim);
        }
        figure.check_names(&check)?;
        if let Some(key) = raw.headline.as_ref().filter(|key| !figure.values.contains_key(key.as_str())) {
            let names = figure.values.keys().map(String::as_str);
            return Err(check.error(format!("`headline` names `{key}`, which is not one of this figure's `values`"), "headline", &suggestion(key, names)));
        }
        figure.headline = raw.headline;
        figure.translations = raw.translations;
        figure.check_translations(&check)?;
        Ok(figure)
    }

    /// Each translated label, series and claim must be one the figure has.
    fn check_translations(&mut self, check: &Checker) -> Result<()> {
        let (labels, series): (Vec<&str>, Vec<&str>) = match &self.body {
            Body::Single { points, .. } => (points.iter().map(|p| p.label.as_str()).collect(), Vec::new()),
            Body::Multi { categories, series, .. } => (categories.iter().map(String::as_str).collect(), series.iter().map(|s| s.name.as_str()).collect()),
        };
        let claims: Vec<&str> = self.claims.keys().map(String::as_str).collect();
        let references: Vec<&str> = self.references.iter().map(|r| r.label.as_str()).collect();
        let shaded: Vec<&str> = self.shaded.iter().map(|s| s.label.as_str()).collect();
        let annotations: Vec<&str> = self.annotations.iter().map(|a| a.text.as_str()).collect();
        for words in self.translations.values_mut() {
            for (what, names, given) in [
                ("label", &labels, &words.labels),
                ("series", &series, &words.series),
                ("claim", &claims, &words.claims),
                ("reference label", &references, &words.references),
                ("shaded period's label", &shaded, &words.shaded),
                ("annotation", &annotations, &words.annotations),
            ] {
                if let Some(name) = given.keys().find(|k| !names.contains(&k.as_str())) {
                    let message = format!("`{name}` under `translations` is no {what} of this figure");
                    return Err(check.error(message, name, &suggestion(name, names.iter().copied())));
                }
            }
            for text in [&mut words.title, &mut words.subtitle, &mut words.note, &mut words.alt, &mut words.source, &mut words.remainder].into_iter().flatten()
            {
                *text = crate::typography::smart_text(text);
            }
        }
        Ok(())
    }

    /// Each name under `highlight` is a label (a category) or a series of the figure, once; a
    /// line chart highlights its lines, as its categories are points in time.
    fn check_highlight(&self, check: &Checker) -> Result<()> {
        let (labels, series): (Vec<&str>, Vec<&str>) = match &self.body {
            Body::Single { points, .. } => (points.iter().map(|p| p.label.as_str()).collect(), Vec::new()),
            Body::Multi { categories, series, .. } => (categories.iter().map(String::as_str).collect(), series.iter().map(|s| s.name.as_str()).collect()),
        };
        if self.kind == ChartKind::TileMap && !self.highlight.is_empty() {
            return Err(check.error(
                "a tile map shades every area by its value, so it cannot highlight some".into(),
                "highlight",
                "remove `highlight`, and name the areas that matter in the title or note",
            ));
        }
        // Lines and dot plots highlight their series: their categories are times, or rows.
        let by_series = matches!(self.kind, ChartKind::Line | ChartKind::Dot);
        let names: Vec<&str> = if by_series { series.clone() } else { labels.iter().chain(&series).copied().collect() };
        for (i, name) in self.highlight.iter().enumerate() {
            if self.highlight[..i].contains(name) {
                return Err(check.error(format!("`{name}` is highlighted twice"), name, "name each label or series once under `highlight`"));
            }
            if !names.contains(&name.as_str()) {
                let what = if by_series { "series (this chart highlights its series)" } else { "label, category or series" };
                return Err(check.error(format!("`{name}` under `highlight` is no {what} of this figure"), name, &suggestion(name, names.iter().copied())));
            }
        }
        let every = |names: &[&str]| !names.is_empty() && names.iter().all(|n| self.highlight.iter().any(|h| h == n));
        if every(&labels) || every(&series) {
            return Err(check.error(
                "every part is highlighted, so none stands out".into(),
                "highlight",
                "name only the labels or series the chart's point is about",
            ));
        }
        Ok(())
    }

    /// Whether the mark of `label` in `series` (empty for one series) is emphasised: the
    /// figure highlights nothing, or that label or that series.
    pub fn is_highlighted(&self, series: &str, label: &str) -> bool {
        self.highlight.is_empty() || self.highlight.iter().any(|h| h == label || (!series.is_empty() && h == series))
    }

    /// Rules that tie the chart kind to the shape of the data.
    fn check_kind(&self, check: &Checker) -> Result<()> {
        let parts_of_whole = matches!(self.kind, ChartKind::StackedBar | ChartKind::Donut | ChartKind::Waffle);
        match (&self.body, self.kind) {
            (Body::Single { .. }, ChartKind::StackedBar) => Err(check.error(
                "a stacked-bar chart needs `categories` and `series`".into(),
                "data",
                "list the bars under `categories`, and each coloured part as a `series` with one value per category",
            )),
            (Body::Single { .. }, ChartKind::Dot) => Err(check.error(
                "a dot plot compares two or more values per category: it needs `categories` and `series`".into(),
                "data",
                "list the rows under `categories`, and each thing compared (such as before and after) as a `series` with one value per category",
            )),
            (Body::Multi { series, .. }, ChartKind::Dot) if series.len() < 2 => Err(check.error(
                "a dot plot compares two or more values per category, but this figure has one series".into(),
                "series",
                "add the series to compare with (such as the national rate), or use `chart: bar` for one series",
            )),
            (Body::Multi { .. }, ChartKind::Donut | ChartKind::Bar | ChartKind::Waffle | ChartKind::TileMap) => Err(check.error(
                format!("a {} shows one series: use `data`", self.kind.name()),
                "series",
                if self.kind == ChartKind::TileMap {
                    "a tile map colours each area by one value: list them under `data`, as `- { label: Durham, value: 92 }`"
                } else {
                    "for several series, use `chart: stacked-bar`, `column`, `line` or `dot`"
                },
            )),
            (Body::Single { total: Some(_), .. }, _) | (Body::Multi { totals: Some(_), .. }, _) if !parts_of_whole => Err(check.error(
                format!("a {} cannot show a remainder up to a total", self.kind.name()),
                if matches!(self.body, Body::Single { .. }) { "total" } else { "totals" },
                "totals apply to `stacked-bar`, `donut` and `waffle` charts; remove the line or change the chart kind",
            )),
            _ if parts_of_whole => {
                self.check_parts(check)?;
                if self.kind == ChartKind::Waffle && !self.waffle_has_a_whole() {
                    return Err(check.error(
                        "a waffle chart shares its squares out by value, but no value here is above zero".into(),
                        "data",
                        "give at least one part a value above zero, or a `total` above zero",
                    ));
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Whether a waffle has something to share its squares out by: a part or total above zero.
    fn waffle_has_a_whole(&self) -> bool {
        match &self.body {
            Body::Single { points, total } => points.iter().filter_map(|p| p.value).sum::<f64>() > 0.0 || total.is_some_and(|t| t > 0.0),
            Body::Multi { .. } => false,
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
    pub fn lookup(&self, key: Option<&str>, label: Option<&str>) -> Result<Quoted> {
        let refuse = |message: String, hint: String| Error::new(message).hint(hint);
        match (key, label) {
            (Some(key), None) => {
                if let Some(value) = self.values.get(key) {
                    return Ok(value.clone());
                }
                if let Some(claim) = self.claims.get(key) {
                    return Ok(Quoted::Words(claim.words.clone()));
                }
                if let Some(said) = self.statements.get(key) {
                    return Ok(Quoted::Words(format!("{} {}", said.words, self.strings.fill("according_to", &[("by", &said.by)]))));
                }
                let names = self.values.keys().chain(self.claims.keys()).chain(self.statements.keys());
                Err(refuse(format!("figure `{}` has no value, claim or statement named `{key}`", self.id), suggestion(key, names.map(String::as_str))))
            }
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
                Ok(Quoted::Number(Quantity { value, unit: self.unit }))
            }
            _ => Err(refuse(
                "`value` needs `id` and exactly one of `key` or `label`".to_string(),
                r#"for example {{ value(id="figure-id", key="total") }}"#.to_string(),
            )),
        }
    }

    /// What a text quotes of the figure, in its language: `translated` is the figure in that
    /// language, when it is not the site's own. A label is the file's own in every language and
    /// quotes a number, which is the same in all of them; a key may quote words (a claim, a
    /// computed label, a statement's attribution), which are the language's.
    pub fn quote(&self, translated: Option<&Figure>, key: Option<&str>, label: Option<&str>) -> Result<Quoted> {
        match (translated, key, label) {
            (Some(translated), Some(_), None) => translated.lookup(key, label),
            _ => self.lookup(key, label),
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

    /// A tile map's areas in its layout's order, each with its value: `None` where the
    /// figure leaves the area out, `Some(None)` where it gives it as not reported.
    pub fn tiles(&self) -> Vec<(&crate::layouts::Area, Option<Option<f64>>)> {
        let (Some(layout), Body::Single { points, .. }) = (&self.layout, &self.body) else { return Vec::new() };
        layout.areas.iter().map(|a| (a, points.iter().find(|p| p.label == a.shown).map(|p| p.value))).collect()
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

/// Fills the `{{ value(…) }}` calls in every figure's title, subtitle, note and alt text
/// from the figure itself (a call may leave out `id`) or another figure, so that every place
/// they are shown (the chart, its images, the share page, the meta tags) carries the data's
/// numbers. Gives the problems of the calls that quote nothing; a figure with such a call
/// keeps its texts as written. A figure's key then covers what it quotes, so that caches
/// made from its texts follow the figures it quotes.
pub fn fill_texts(figures: &mut BTreeMap<String, Figure>) -> Vec<Error> {
    let mut problems = Vec::new();
    let mut filled = Vec::new();
    for (id, figure) in figures.iter() {
        let w = &figure.written;
        let place = |field: &str| w.places.get(field).cloned().unwrap_or_else(|| Location::file(&figure.file));
        let mut texts =
            vec![(Some(&w.title), place("title")), (w.subtitle.as_ref(), place("subtitle")), (w.note.as_ref(), place("note")), (w.alt.as_ref(), place("alt"))];
        texts.extend(figure.chart_words().into_iter().map(|(text, at)| (Some(text), at.clone())));
        if texts.iter().all(|(t, _)| t.is_none_or(|t| !t.contains("{{"))) {
            continue;
        }
        let mut out: Vec<Option<String>> = Vec::new();
        let mut ok = true;
        for (text, at) in texts {
            let Some(text) = text else {
                out.push(None);
                continue;
            };
            match fill(text, Some(id), Quotable::of(figures), &|_| at.clone()) {
                Ok(text) => out.push(Some(text)),
                Err(e) => {
                    problems.push(e);
                    ok = false;
                }
            }
        }
        if ok {
            filled.push((id.clone(), out));
        }
    }
    // What each chart word was as written, to find its translation by.
    let mut renamed: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for (id, out) in filled {
        let Some(figure) = figures.get_mut(&id) else { continue };
        let mut out = out.into_iter();
        let mut next = || out.next().flatten();
        figure.title = next().unwrap_or_default();
        (figure.subtitle, figure.note, figure.alt) = (next(), next(), next());
        let names = renamed.entry(id).or_default();
        for text in figure.chart_words_mut() {
            if let Some(new) = next() {
                names.insert(text.clone(), new.clone());
                *text = new;
            }
        }
        let chart_words: Vec<&String> = figure.chart_words().into_iter().map(|(t, _)| t).collect();
        figure.hash = crate::hash::key((figure.written.hash, &figure.title, &figure.subtitle, &figure.note, &figure.alt, chart_words));
    }
    // Their words in other languages quote values as theirs do, in those languages: the
    // figures are translated once for each language whose words quote any. A chart word's
    // translation is found by its words as filled, as the figure now holds them.
    for (id, names) in &renamed {
        if let Some(figure) = figures.get_mut(id) {
            for words in figure.translations.values_mut() {
                for map in [&mut words.annotations, &mut words.references, &mut words.shaded] {
                    *map = std::mem::take(map).into_iter().map(|(k, v)| (names.get(&k).cloned().unwrap_or(k), v)).collect();
                }
            }
        }
    }
    let quoting = |w: &Words| w.texts().into_iter().any(|t| t.contains("{{"));
    let tags: BTreeSet<&String> = figures.values().flat_map(|f| f.translations.iter().filter(|(_, w)| quoting(w)).map(|(tag, _)| tag)).collect();
    let in_language: BTreeMap<&String, BTreeMap<String, Figure>> =
        tags.into_iter().map(|tag| (tag, figures.iter().map(|(id, f)| (id.clone(), f.translated(tag))).collect())).collect();
    let mut translated = Vec::new();
    for (id, figure) in figures.iter() {
        for (tag, words) in figure.translations.iter().filter(|(_, w)| quoting(w)) {
            let quoted = Quotable { figures, translated: in_language.get(tag) };
            let mut words = words.clone();
            let mut changed = false;
            for text in words.texts_mut().into_iter().filter(|t| t.contains("{{")) {
                let place = |_| Location::file(&figure.file);
                match fill(text, Some(id), quoted, &place) {
                    Ok(filled) => (*text, changed) = (filled, true),
                    Err(e) => problems.push(e),
                }
            }
            if changed {
                translated.push((id.clone(), tag.clone(), words));
            }
        }
    }
    for (id, tag, words) in translated {
        if let Some(figure) = figures.get_mut(&id) {
            figure.translations.insert(tag, words);
        }
    }
    problems
}

/// The figures as a text in one language quotes them: `figures` as their files give them, and
/// `translated`, where the text is in another language than the site's, those it quotes in
/// that language (see [`Figure::quote`]).
#[derive(Clone, Copy)]
pub struct Quotable<'a> {
    pub figures: &'a BTreeMap<String, Figure>,
    pub translated: Option<&'a BTreeMap<String, Figure>>,
}

impl<'a> Quotable<'a> {
    /// The figures in the site's own language.
    pub fn of(figures: &'a BTreeMap<String, Figure>) -> Quotable<'a> {
        Quotable { figures, translated: None }
    }

    /// What `value(id, key, label)` quotes; `None` when there is no figure `id`.
    pub fn quote(&self, id: &str, key: Option<&str>, label: Option<&str>) -> Option<Result<Quoted>> {
        let figure = self.figures.get(id)?;
        Some(figure.quote(self.translated.and_then(|t| t.get(id)), key, label))
    }
}

/// `text` with each `{{ value(…) }}` call replaced by what it quotes, and each
/// `{{ literal(…) }}` by its text.
/// Without `own`, every call names its figure.
pub fn fill(text: &str, own: Option<&str>, figures: Quotable, locate: &dyn Fn(std::ops::Range<usize>) -> Location) -> Result<String> {
    let mut filled: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for call in crate::markdown::value_calls_in(text, own, locate)? {
        let crate::markdown::EmbedKind::Value { id, key, label } = &call.kind else { continue };
        let quoted = figures.quote(id, key.as_deref(), label.as_deref()).ok_or_else(|| {
            Error::new(format!("there is no figure `{id}`")).at(locate(call.span.clone())).hint(suggestion(id, figures.figures.keys().map(String::as_str)))
        })?;
        let quoted = quoted.map_err(|e| e.at(locate(call.span.clone())))?;
        filled.push((call.span, quoted.formatted()));
    }
    // Text marked as meant, such as a phone number, is shown as written.
    filled.extend(crate::markdown::literals_in(text, locate)?.into_iter().map(|l| (l.span, l.text)));
    Ok(crate::markdown::spliced(text, filled))
}

impl Figure {
    /// The figure in the site `site`: soapbox's words for it are the site's in its language.
    /// Its key covers the site's words in every language, as it is drawn in each (see
    /// [`Figure::translated`]): a change of any redraws it.
    pub fn in_site(mut self, site: SiteStrings) -> Figure {
        let words = site.default_strings();
        if site != SiteStrings::default() {
            self.key_in(&site);
        }
        self.site_strings = site;
        self.with_strings(words)
    }

    /// The figure with `words` as soapbox's words for it: the remainder's label, if the file
    /// gave none, and (through [`Figure::strings`]) everything else soapbox writes. Its key
    /// follows them, so that a chart drawn in other words is not taken for this one.
    pub fn with_strings(mut self, words: Arc<Strings>) -> Figure {
        if Arc::ptr_eq(&words, &self.strings) || words == self.strings {
            return self;
        }
        self.rename_areas(words.language(), &BTreeMap::new());
        if !self.remainder_given {
            self.remainder = words.get("not_recorded");
        }
        if self.order == Order::Label {
            self.body.ordered(Order::Label, words.language());
        }
        self.key_in(&*words);
        self.strings = words;
        self
    }

    /// Makes `part` a part of the figure's key, as it was read: the key that [`fill_texts`]
    /// starts again from, so that filling its texts anew keeps it.
    pub fn key_in(&mut self, part: impl std::hash::Hash) {
        self.hash = crate::hash::key((self.hash, &part));
        self.written.hash = crate::hash::key((self.written.hash, part));
    }

    /// The figure with the built-in words of `language` (see [`Figure::with_strings`]).
    pub fn in_language(self, language: Language) -> Figure {
        self.with_strings(Arc::clone(language.words()))
    }

    /// The figure in the language `tag`: its words there where its file gives them (see
    /// [`Words`]), and the site's words for it in that language. Its numbers are the same.
    pub fn translated(&self, tag: &str) -> Figure {
        let mut figure = self.clone().with_strings(self.site_strings.get(tag));
        let Some(words) = self.translations.get(tag) else { return figure };
        let swap = |text: &mut String, by: &BTreeMap<String, String>| {
            if let Some(new) = by.get(text.as_str()) {
                text.clone_from(new);
            }
        };
        for (field, given) in [(&mut figure.title, &words.title), (&mut figure.source, &words.source)] {
            if let Some(text) = given {
                field.clone_from(text);
            }
        }
        for (field, given) in [(&mut figure.subtitle, &words.subtitle), (&mut figure.note, &words.note), (&mut figure.alt, &words.alt)] {
            if given.is_some() {
                field.clone_from(given);
            }
        }
        if let Some(remainder) = &words.remainder {
            figure.remainder.clone_from(remainder);
        }
        // A tile map's labels are its areas' names, which its layout may translate too.
        figure.rename_areas(Language::or_english(tag), &words.labels);
        match &mut figure.body {
            Body::Single { .. } if figure.layout.is_some() => {}
            Body::Single { points, .. } => points.iter_mut().for_each(|p| swap(&mut p.label, &words.labels)),
            Body::Multi { categories, series, .. } => {
                categories.iter_mut().for_each(|c| swap(c, &words.labels));
                series.iter_mut().for_each(|s| swap(&mut s.name, &words.series));
            }
        }
        for (name, claim) in &mut figure.claims {
            if let Some(text) = words.claims.get(name) {
                claim.words.clone_from(text);
            }
        }
        for name in &mut figure.highlight {
            swap(name, &words.labels);
            swap(name, &words.series);
        }
        for reference in &mut figure.references {
            swap(&mut reference.label, &words.references);
        }
        for shade in &mut figure.shaded {
            swap(&mut shade.label, &words.shaded);
        }
        for annotation in &mut figure.annotations {
            swap(&mut annotation.text, &words.annotations);
            if let Target::Mark { label, series } = &mut annotation.target {
                swap(label, &words.labels);
                if let Some(series) = series {
                    swap(series, &words.series);
                }
            }
        }
        // Sorted by label, the labels in this language sort in its alphabet.
        if figure.order == Order::Label {
            figure.body.ordered(Order::Label, figure.strings.language());
        }
        // A computed value that names a data point (`largest`) names it as the chart does.
        for value in figure.values.values_mut() {
            if let Quoted::Words(label) = value {
                *label = translated_label(label, words, &self.remainder, &figure.remainder);
            }
        }
        figure.hash = crate::hash::key((figure.hash, tag, words));
        figure
    }

    /// The words of its own that the figure shows and its file gives none of in the language
    /// `tag` (`title`, `subtitle`, `source`, `note`, `alt`): shown there in its file's language.
    /// Labels and series names are left out, as many stay the same (Facebook, Cleveland).
    pub fn missing_words(&self, tag: &str) -> Vec<&'static str> {
        let words = self.translations.get(tag);
        let given = |field: fn(&Words) -> &Option<String>| words.is_some_and(|w| field(w).is_some());
        [
            ("title", true, given(|w| &w.title)),
            ("subtitle", self.subtitle.is_some(), given(|w| &w.subtitle)),
            ("source", true, given(|w| &w.source)),
            ("note", self.note.is_some(), given(|w| &w.note)),
            ("alt", self.alt.is_some(), given(|w| &w.alt)),
        ]
        .into_iter()
        .filter(|(_, shown, given)| *shown && !given)
        .map(|(name, _, _)| name)
        .collect()
    }

    /// The dates of its data in words, in its language.
    pub fn dated(&self) -> Option<String> {
        self.dates.words(&self.strings)
    }
}

/// A data point's label (`CATEGORY / SERIES` in a chart of several series) in the words
/// `words` give it, where `remainder` is the remainder's label before and `remainder_now` its
/// label in those words.
fn translated_label(label: &str, words: &Words, remainder: &str, remainder_now: &str) -> String {
    let one = |part: &str, by: &BTreeMap<String, String>| {
        if part == remainder {
            return remainder_now.to_string();
        }
        by.get(part).cloned().unwrap_or_else(|| part.to_string())
    };
    match label.split_once(" / ") {
        Some((category, series)) => format!("{} / {}", one(category, &words.labels), one(series, &words.series)),
        None => one(label, &words.labels),
    }
}

/// Where each text that quotes values stands in a figure file (`title:` and so on): a
/// problem in a call is placed at its text's line, as a text may be folded over several.
fn text_places(file: &Path, source: &str, texts: [(&'static str, Option<&String>); 4]) -> BTreeMap<&'static str, Location> {
    texts
        .into_iter()
        .filter(|(_, text)| text.is_some_and(|t| t.contains("{{")))
        .filter_map(|(field, _)| Some((field, Location::in_text(file, source, find_line_with(source, field)?, field.len(), 1))))
        .collect()
}

/// `is 1 category` or `are 3 categories`, to follow "there".
fn there_are(categories: usize) -> String {
    format!("{} {}", if categories == 1 { "is" } else { "are" }, counted(categories, "category", "categories"))
}

/// Computed values, claims and statements.
impl Figure {
    /// Computes each value of `computed` from the data and the other values, in any order
    /// they depend on each other; a value that depends on itself is refused.
    fn compute(&mut self, check: &Checker, computed: &BTreeMap<String, (Op, Option<u8>)>) -> Result<()> {
        let mut pending: Vec<&String> = computed.keys().collect();
        while !pending.is_empty() {
            let before = pending.len();
            let mut waiting = Vec::new();
            for key in pending {
                let (op, decimals) = &computed[key];
                let needs = op.operands().into_iter().find(|o| self.point(o).is_none() && !self.values.contains_key(*o) && computed.contains_key(*o));
                if needs.is_some() {
                    waiting.push(key);
                    continue;
                }
                let value = self.evaluate(check, key, op, *decimals)?;
                self.values.insert(key.clone(), value);
            }
            if waiting.len() == before {
                let key = waiting[0];
                return Err(check.error(
                    format!("the value `{key}` is computed from itself, through the values it uses"),
                    key,
                    "compute each value from data labels or from values that do not use it",
                ));
            }
            pending = waiting;
        }
        Ok(())
    }

    fn evaluate(&self, check: &Checker, key: &str, op: &Op, decimals: Option<u8>) -> Result<Quoted> {
        let number = |name: &str| self.operand(check, key, name);
        let same_unit = |a: Quantity, b: Quantity, a_name: &str, b_name: &str| -> Result<Unit> {
            if a.unit.kind == b.unit.kind {
                Ok(a.unit)
            } else {
                Err(check.error(
                    format!("`{key}` mixes units: `{a_name}` is a {} and `{b_name}` a {}", a.unit.noun(), b.unit.noun()),
                    key,
                    "compute only from numbers of one unit, or use `share` to make a percentage",
                ))
            }
        };
        let quantity = match op {
            Op::Sum(names) => {
                let Some(first) = names.first() else {
                    return Err(check.error(format!("`{key}` sums nothing"), key, "list what to add up: `sum: [Facebook, Instagram]`"));
                };
                let first_value = number(first)?;
                let mut total = first_value;
                for name in &names[1..] {
                    let next = number(name)?;
                    same_unit(first_value, next, first, name)?;
                    total.value += next.value;
                }
                total
            }
            Op::Share(part, whole) => {
                let (a, b) = (number(part)?, number(whole)?);
                same_unit(a, b, part, whole)?;
                if b.value == 0.0 {
                    return Err(check.error(format!("`{key}` is a share of `{whole}`, which is 0"), key, "a share of nothing cannot be shown"));
                }
                Quantity { value: a.value / b.value * 100.0, unit: Unit { style: self.unit.style, ..Unit::PERCENT } }
            }
            Op::Difference(a_name, b_name) => {
                let (a, b) = (number(a_name)?, number(b_name)?);
                let unit = same_unit(a, b, a_name, b_name)?;
                Quantity { value: a.value - b.value, unit }
            }
            Op::Ratio(a_name, b_name) => {
                let (a, b) = (number(a_name)?, number(b_name)?);
                same_unit(a, b, a_name, b_name)?;
                if b.value == 0.0 {
                    return Err(check.error(format!("`{key}` divides by `{b_name}`, which is 0"), key, "a ratio to nothing cannot be shown"));
                }
                Quantity { value: a.value / b.value, unit: Unit { style: self.unit.style, ..Unit::NUMBER } }
            }
            Op::Largest(labels) | Op::Smallest(labels) => {
                let candidates: Vec<(String, f64)> = match labels {
                    Some(labels) => labels.iter().map(|l| number(l).map(|q| (l.clone(), q.value))).collect::<Result<_>>()?,
                    None => self.data_points(),
                };
                let pick = if matches!(op, Op::Largest(_)) { f64::total_cmp } else { |a: &f64, b: &f64| b.total_cmp(a) };
                let best = candidates.iter().map(|(_, v)| *v).max_by(pick);
                let winners: Vec<&str> = candidates.iter().filter(|(_, v)| Some(*v) == best).map(|(l, _)| l.as_str()).collect();
                return match winners.as_slice() {
                    [one] => Ok(Quoted::Words((*one).to_string())),
                    [] => Err(check.error(format!("`{key}` has no reported numbers to compare"), key, "list labels whose values were reported")),
                    tied => Err(check.error(
                        format!("`{key}` has no single answer: {} are level", tied.join(" and ")),
                        key,
                        "say in words that they are level, or compare other labels",
                    )),
                };
            }
        };
        // Rounded once, as shown, so that a claim tests the number readers see.
        let unit = Unit { decimals: decimals.or(op.default_decimals()).or(quantity.unit.decimals), ..quantity.unit };
        let value = unit.rounded(quantity.value);
        Ok(Quoted::Number(Quantity { value, unit }))
    }

    /// The number `name` stands for in the value `key`: a data point's label, or another value.
    fn operand(&self, check: &Checker, key: &str, name: &str) -> Result<Quantity> {
        match (self.point(name), self.values.get(name)) {
            (Some(Some(value)), _) => Ok(Quantity { value, unit: self.unit }),
            (Some(None), _) => Err(check.error(
                format!("`{key}` uses `{name}`, which was not reported, so there is no number to compute with"),
                key,
                "compute from reported numbers only",
            )),
            (None, Some(Quoted::Number(q))) => Ok(*q),
            (None, Some(Quoted::Words(_))) => Err(check.error(format!("`{key}` uses `{name}`, which is a label, not a number"), key, "compute from numbers")),
            (None, None) => {
                let mut known = self.labels();
                known.extend(self.values.keys().cloned());
                Err(check.error(
                    format!("`{key}` uses `{name}`, which is neither a label of this figure's data nor one of its values"),
                    key,
                    &suggestion(name, known.iter().map(String::as_str)),
                ))
            }
        }
    }

    /// Every reported data point, labelled as a page would quote it.
    fn data_points(&self) -> Vec<(String, f64)> {
        match &self.body {
            Body::Single { points, .. } => points.iter().filter_map(|p| Some((p.label.clone(), p.value?))).collect(),
            Body::Multi { categories, series, .. } => {
                categories.iter().enumerate().flat_map(|(i, c)| series.iter().filter_map(move |s| Some((format!("{c} / {}", s.name), s.values[i]?)))).collect()
            }
        }
    }

    /// Reads a claim and checks it against the data: a claim the data no longer supports
    /// fails the build, naming its words, the number now and the test.
    fn claim(&self, check: &Checker, name: &str, raw: RawClaim) -> Result<Claim> {
        let hint = "give the number it is about with `key: VALUE-NAME` or `label: LABEL`, and one test: `above`, `below`, `at_least`, `at_most`, `between: [LOW, HIGH]`, `largest: true` or `smallest: true`";
        let about = match (raw.key, raw.label) {
            (Some(about), None) | (None, Some(about)) => about,
            _ => return Err(check.error(format!("the claim `{name}` needs exactly one of `key` or `label`"), name, hint)),
        };
        let mut tests = Vec::new();
        tests.extend(raw.above.map(|n| Test::Above(n.0)));
        tests.extend(raw.below.map(|n| Test::Below(n.0)));
        tests.extend(raw.at_least.map(|n| Test::AtLeast(n.0)));
        tests.extend(raw.at_most.map(|n| Test::AtMost(n.0)));
        tests.extend(raw.between.map(|(a, b)| Test::Between(a.0.min(b.0), a.0.max(b.0))));
        tests.extend(raw.largest.then_some(Test::Largest));
        tests.extend(raw.smallest.then_some(Test::Smallest));
        let [test] = <[Test; 1]>::try_from(tests).map_err(|_| check.error(format!("the claim `{name}` needs exactly one test"), name, hint))?;
        if raw.words.trim().is_empty() {
            return Err(check.error(format!("the claim `{name}` has no words"), name, "write the words a page shows, such as `words: more than half`"));
        }
        let now = self.operand(check, name, &about)?;
        let holds = match test {
            Test::Above(n) => now.value > n,
            Test::Below(n) => now.value < n,
            Test::AtLeast(n) => now.value >= n,
            Test::AtMost(n) => now.value <= n,
            Test::Between(a, b) => a <= now.value && now.value <= b,
            Test::Largest | Test::Smallest => {
                let Some(beside) = self.siblings(&about) else {
                    return Err(check.error(
                        format!("the claim `{name}` compares `{about}` with the parts beside it, but it is not a data point"),
                        name,
                        "use `label:` with a data point's label for `largest` or `smallest`",
                    ));
                };
                let others = beside.iter().filter(|(label, _)| *label != about).map(|(_, v)| *v);
                let mut others = others.peekable();
                others.peek().is_some() && if test == Test::Largest { others.all(|v| now.value > v) } else { others.all(|v| now.value < v) }
            }
        };
        if !holds {
            return Err(check.error(
                format!("the claim \"{}\" is no longer true: `{about}` is {}, and the claim needs it {}", raw.words, now.formatted(), test.describe(now.unit)),
                name,
                "change the words, and their test, to what the data says now; or check the data",
            ));
        }
        Ok(Claim { words: raw.words, about, test })
    }

    /// The reported data points compared with `label` by `largest` and `smallest`: every point
    /// of one series, or the series of its category.
    fn siblings(&self, label: &str) -> Option<Vec<(String, f64)>> {
        match &self.body {
            Body::Single { points, .. } => points.iter().any(|p| p.label == label).then(|| self.data_points()),
            Body::Multi { .. } => {
                let (category, _) = label.split_once(" / ")?;
                let prefix = format!("{category} / ");
                let beside: Vec<(String, f64)> = self.data_points().into_iter().filter(|(l, _)| l.starts_with(&prefix)).collect();
                beside.iter().any(|(l, _)| l == label).then_some(beside)
            }
        }
    }

    /// Values, claims and statements share one set of names, which a page quotes by `key`.
    /// A tile map's layout: named with `layout`, known to the site, and holding every label
    /// of the data. Other kinds take no layout.
    fn place_on(&mut self, check: &Checker, name: Option<&str>, layouts: &Layouts) -> Result<()> {
        let name = match (self.kind, name) {
            (ChartKind::TileMap, Some(name)) => name,
            (ChartKind::TileMap, None) => {
                let names: Vec<&str> = layouts.names().collect();
                return Err(check.error(
                    "a tile map needs `layout`: the areas it shows, and where each tile stands".into(),
                    "chart",
                    &format!("add a line such as `layout: {}`", names.first().copied().unwrap_or("police-forces-england-wales")),
                ));
            }
            (_, Some(_)) => {
                return Err(check.error(format!("a {} takes no `layout`", self.kind.name()), "layout", "`layout` is for `chart: tile-map`; remove the line"))
            }
            (_, None) => return Ok(()),
        };
        if !self.colours.is_empty() {
            return Err(check.error(
                "a tile map colours its tiles in steps of its own, so it takes no `colours`".into(),
                "colours",
                "remove `colours`: the steps are one blue, darker for larger values, which every reader tells apart",
            ));
        }
        let layout = layouts.get(name).ok_or_else(|| {
            check.error(
                format!("there is no layout `{name}`"),
                "layout",
                &format!("{} A site's own layouts are the files under `content/layouts/`.", capitalised(&layouts.suggest(name))),
            )
        })?;
        if let Body::Single { points, .. } = &self.body {
            for p in points {
                if layout.area(&p.label).is_none() {
                    return Err(check.error(
                        format!("`{}` is no area of the layout `{name}`", p.label),
                        &p.label,
                        &suggestion(&p.label, layout.areas.iter().map(|a| a.name.as_str())),
                    ));
                }
            }
        }
        self.hash = crate::hash::key((self.hash, layout.as_ref()));
        self.layout = Some(std::sync::Arc::new(layout.renamed(self.strings.language(), &BTreeMap::new())));
        Ok(())
    }

    /// Names a tile map's areas, and its data's labels, in `language`: as `labels` (the
    /// figure's own translations) give them, else as its layout does.
    fn rename_areas(&mut self, language: Language, labels: &BTreeMap<String, String>) {
        let Some(layout) = &self.layout else { return };
        let renamed = layout.renamed(language, labels);
        if let Body::Single { points, .. } = &mut self.body {
            for p in points.iter_mut() {
                if let Some((_, new)) = layout.areas.iter().zip(&renamed.areas).find(|(old, _)| old.shown == p.label) {
                    p.label.clone_from(&new.shown);
                }
            }
        }
        self.layout = Some(std::sync::Arc::new(renamed));
    }

    fn check_names(&self, check: &Checker) -> Result<()> {
        for name in self.claims.keys().chain(self.statements.keys()) {
            if self.values.contains_key(name) || (self.claims.contains_key(name) && self.statements.contains_key(name)) {
                return Err(check.error(
                    format!("`{name}` names two things in this figure"),
                    name,
                    "values, claims and statements are quoted by name, so each needs its own",
                ));
            }
        }
        Ok(())
    }
}

impl Op {
    fn operands(&self) -> Vec<&str> {
        match self {
            Op::Sum(names) => names.iter().map(String::as_str).collect(),
            Op::Share(a, b) | Op::Difference(a, b) | Op::Ratio(a, b) => vec![a, b],
            Op::Largest(names) | Op::Smallest(names) => names.iter().flatten().map(String::as_str).collect(),
        }
    }

    /// A share or a ratio is rarely a round number: one decimal place unless told otherwise.
    fn default_decimals(&self) -> Option<u8> {
        matches!(self, Op::Share(..) | Op::Ratio(..)).then_some(1)
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

/// The squares a waffle chart has: [`WAFFLE_SQUARES`]' default, or a whole number within its
/// bounds. Only a waffle takes `squares`.
fn squares(check: &Checker, given: Option<Number>, kind: ChartKind) -> Result<u32> {
    let (default, least, most) = WAFFLE_SQUARES;
    let Some(Number(n)) = given else { return Ok(default) };
    if kind != ChartKind::Waffle {
        return Err(check.error(
            format!("a {} has no squares", kind.name()),
            "squares",
            "`squares` sets how many squares a `waffle` chart has; remove the line or use `chart: waffle`",
        ));
    }
    if n.fract() != 0.0 || n < f64::from(least) || n > f64::from(most) {
        return Err(check.error(
            format!("`squares` is {n}; a waffle chart has a whole number of squares from {least} to {most}"),
            "squares",
            "write `squares: 100` for \"in every 100\", or leave the line out",
        ));
    }
    Ok(n as u32)
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
                format!("the series `{}` has {}, but there {}", s.name, counted(s.values.len(), "value", "values"), there_are(categories.len())),
                &s.name,
                "give one value per category, in the same order; write `null` where a value was not reported",
            ));
        }
    }
    if let Some(t) = &totals {
        if t.len() != categories.len() {
            return Err(check.error(
                format!("`totals` has {}, but there {}", counted(t.len(), "entry", "entries"), there_are(categories.len())),
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

    /// A donut with two parts, and `extra` lines after it.
    fn shares(extra: &str) -> Result<Figure> {
        load(&format!("title: T\nsource: S\nchart: donut\nunit: percent\ndata:\n  - {{ label: Facebook, value: 32.6 }}\n  - {{ label: Instagram, value: 19.8 }}\ntotal: 100\n{extra}"))
    }

    fn quoted(f: &Figure, key: &str) -> String {
        f.lookup(Some(key), None).unwrap().formatted()
    }

    #[test]
    fn a_tile_map_takes_one_series_on_a_layout_and_only_a_tile_map_takes_a_layout() {
        let map = "title: T\nsource: S\nchart: tile-map\nlayout: police-forces-england-wales\nunit: count\n";
        let e = load(&format!("{map}categories: [a]\nseries:\n  - {{ name: Durham, values: [1] }}\n")).unwrap_err();
        assert!(e.message().contains("a tile map shows one series") && e.hint_text().is_some_and(|h| h.contains("label: Durham")), "{e:?}");
        let e = load(&format!("{map}total: 100\ndata:\n  - {{ label: Durham, value: 1 }}\n")).unwrap_err();
        assert!(e.message().contains("cannot show a remainder"), "{e:?}");
        let e =
            load("title: T\nsource: S\nchart: bar\nlayout: police-forces-england-wales\nunit: count\ndata:\n  - { label: Durham, value: 1 }\n").unwrap_err();
        assert_eq!((e.message(), e.location().and_then(|l| l.line).map(|l| l.0)), ("a bar chart takes no `layout`", Some(4)));
        let e = load(&format!("{map}colours: ['#C02B3A']\ndata:\n  - {{ label: Durham, value: 1 }}\n")).unwrap_err();
        assert!(e.message().contains("takes no `colours`") && e.location().and_then(|l| l.line).map(|l| l.0) == Some(6), "{e:?}");
        // Its words in Welsh: the figure's own translation first, else the layout's name.
        let f = load(&format!(
            "{map}data:\n  - {{ label: North Wales, value: 1 }}\n  - {{ label: South Wales, value: 2 }}\ntranslations:\n  cy:\n    labels: {{ South Wales: Y De }}\n"
        ))
        .unwrap();
        let welsh = f.translated("cy");
        assert_eq!(welsh.labels(), ["Gogledd Cymru", "Y De"]);
        let tiles = welsh.tiles();
        let value = |shown: &str| tiles.iter().find(|(a, _)| a.shown == shown).map(|(_, v)| *v);
        assert_eq!((value("Gogledd Cymru"), value("Y De"), value("Gwent")), (Some(Some(Some(1.0))), Some(Some(Some(2.0))), Some(None)));
        assert_eq!(f.labels(), ["North Wales", "South Wales"], "the file's own language keeps its names");
        assert_ne!(f.hash, welsh.hash);
    }

    #[test]
    fn values_are_computed_from_the_data() {
        let f = shares(
            "values:\n  both: { sum: [Facebook, Instagram] }\n  both_round: { sum: [Facebook, Instagram], decimals: 0 }\n  gap: { difference: [Facebook, Instagram] }\n  \
             times: { ratio: [Facebook, Instagram] }\n  part: { share: Instagram, of: both }\n  top: { largest: data }\n  low: { smallest: [Facebook, Instagram] }\n  \
             rest: { difference: [both, Instagram] }\n",
        )
        .unwrap();
        assert_eq!(quoted(&f, "both"), "52.4%");
        assert_eq!(quoted(&f, "both_round"), "52%");
        assert_eq!(quoted(&f, "gap"), "12.8%");
        // 32.6 / 19.8 = 1.6464…, a plain number to one decimal place unless told otherwise.
        assert_eq!(quoted(&f, "times"), "1.6");
        // 19.8 / 52.4 = 37.786…%, computed from another computed value.
        assert_eq!(quoted(&f, "part"), "37.8%");
        assert_eq!(quoted(&f, "top"), "Facebook");
        assert_eq!(quoted(&f, "low"), "Instagram");
        assert_eq!(quoted(&f, "rest"), "32.6%");
    }

    #[test]
    fn computed_values_that_cannot_be_made_are_refused_where_they_stand() {
        let cases = [
            ("values:\n  a: { sum: [Facebok] }\n", "neither a label of this figure's data nor one of its values", "did you mean `Facebook`?"),
            ("values:\n  a: { sum: [b] }\n  b: { sum: [a] }\n", "computed from itself", ""),
            ("values:\n  n: { value: 3, unit: count }\n  a: { sum: [Facebook, n] }\n", "mixes units", ""),
            ("values:\n  a: { share: Facebook }\n", "`share` needs `of`", ""),
            ("values:\n  a: { sum: [Facebook], value: 3 }\n", "either written (`value`) or computed", ""),
            ("values:\n  a: { sum: [Facebook], ratio: [Facebook, Instagram] }\n", "computed one way", ""),
            ("values:\n  a: { sum: [Facebook], decimals: 3 }\n", "at most 2 decimal places", ""),
            ("values:\n  a: { sum: [Facebook], unit: count }\n", "takes its unit from what it is computed from", ""),
            ("values:\n  a: { ratio: [Facebook] }\n", "takes two labels or values", ""),
            ("values:\n  a: { summ: [Facebook] }\n", "unknown key `summ`", "did you mean `sum`?"),
        ];
        for (extra, message, hint) in cases {
            let error = shares(extra).unwrap_err();
            assert!(error.message().contains(message), "{extra}: {}", error.message());
            let line = error.location().and_then(|l| l.line).map(|(line, _, _)| line);
            assert!(line.is_some_and(|line| line >= 9), "{extra}: the error points into `values`: {error:?}");
            if !hint.is_empty() {
                assert_eq!(error.hint_text(), Some(hint), "{extra}");
            }
        }
        let tie = load(
            "title: T\nsource: S\nchart: bar\nunit: count\ndata:\n  - { label: A, value: 3 }\n  - { label: B, value: 3 }\nvalues:\n  top: { largest: data }\n",
        );
        assert!(tie.unwrap_err().message().contains("A and B are level"));
    }

    #[test]
    fn claims_hold_or_the_figure_is_refused_naming_the_words_the_number_and_the_test() {
        let claims = "values:\n  both: { sum: [Facebook, Instagram], decimals: 0 }\nclaims:\n  half: { words: more than half, key: both, above: 50 }\n  \
                      third: { words: a third, label: Facebook, between: [31, 35] }\n  top: { words: the most-recorded site, label: Facebook, largest: true }\n  \
                      low: { words: the least, label: Instagram, smallest: true }\n  floor: { words: at least a fifth, label: Instagram, at_least: 19.8 }\n";
        let f = shares(claims).unwrap();
        assert_eq!(quoted(&f, "half"), "more than half");
        assert_eq!(quoted(&f, "third"), "a third");
        assert_eq!(f.claims["half"].test, Test::Above(50.0));
        // The same claims after new data: each fails with its own words, the number now and the test.
        let later = |facebook: &str, instagram: &str| {
            load(&format!(
                "title: T\nsource: S\nchart: donut\nunit: percent\ndata:\n  - {{ label: Facebook, value: {facebook} }}\n  - {{ label: Instagram, value: {instagram} }}\ntotal: 100\n{claims}"
            ))
        };
        let error = later("30.1", "19.8").unwrap_err();
        assert_eq!(error.message(), "the claim \"more than half\" is no longer true: `both` is 50%, and the claim needs it above 50%");
        assert_eq!(error.location().and_then(|l| l.line).map(|(line, _, _)| line), Some(12), "{error:?}");
        let error = later("35.1", "19.8").unwrap_err();
        assert!(
            error.message().starts_with("the claim \"a third\" is no longer true: `Facebook` is 35.1%, and the claim needs it between 31% and 35%"),
            "{}",
            error.message()
        );
        let error = later("32.6", "19.79").unwrap_err();
        assert!(error.message().contains("\"at least a fifth\"") && error.message().contains("19.79%"), "{}", error.message());
        let error = later("19.8", "32.6").unwrap_err();
        assert!(error.message().contains("\"the least\"") && error.message().contains("the smallest of the parts beside it"), "{}", error.message());
        // No hidden tolerance: the edge of `between` holds, a hair past it does not.
        assert!(later("35", "19.8").is_ok());
        let missing = shares("claims:\n  x: { words: big, label: Facebook }\n").unwrap_err();
        assert!(missing.message().contains("needs exactly one test"), "{}", missing.message());
        let two = shares("claims:\n  x: { words: big, label: Facebook, above: 1, below: 50 }\n").unwrap_err();
        assert!(two.message().contains("needs exactly one test"), "{}", two.message());
        let not_a_point = shares("values:\n  v: { value: 3, unit: count }\nclaims:\n  x: { words: big, key: v, largest: true }\n").unwrap_err();
        assert!(not_a_point.message().contains("not a data point"), "{}", not_a_point.message());
    }

    #[test]
    fn largest_compares_a_series_with_the_others_in_its_category() {
        let claim = |label: &str| load(&format!("{STACKED}claims:\n  x: {{ words: most, label: {label}, largest: true }}\n"));
        assert!(claim("B / Y").is_ok());
        // Y is not reported in A: one number alone is not the largest of anything.
        assert!(claim("A / X").unwrap_err().message().contains("no longer true"));
        assert!(claim("B / X").unwrap_err().message().contains("no longer true"));
    }

    /// Sites whose English is the built-in words, with `english` over them, and Welsh.
    fn site(english: &str) -> SiteStrings {
        let en = Strings::for_language("en-GB", Some((Path::new("templates/strings/en.yaml"), english))).unwrap();
        SiteStrings::new("en-GB", [("en-GB".to_string(), Arc::new(en)), ("cy".to_string(), Arc::clone(Language::Welsh.words()))].into())
    }

    const QUOTED: &str = "title: T\nsource: S\nchart: column\nunit: count\ncategories: [North, South]\nseries:\n  - { name: Calls, values: [5, 9] }\n  \
        - { name: Texts, values: [7, 2] }\nvalues:\n  top: { largest: data }\nclaims:\n  most: { words: the most calls, label: South / Calls, largest: true }\n\
        statements:\n  said: { words: calls rose, by: the police }\ntranslations:\n  cy:\n    labels: { South: De }\n    series: { Calls: Galwadau }\n    \
        claims: { most: y mwyaf o alwadau }\n";

    #[test]
    fn a_translated_figure_quotes_its_claims_labels_and_attributions_in_its_language() {
        let f = load(QUOTED).unwrap().in_site(site(""));
        let welsh = f.translated("cy");
        assert_eq!(
            [quoted(&welsh, "most"), quoted(&welsh, "top"), quoted(&welsh, "said")],
            ["y mwyaf o alwadau", "De / Galwadau", "calls rose (yn ôl the police)"]
        );
        assert_eq!([quoted(&f, "most"), quoted(&f, "top"), quoted(&f, "said")], ["the most calls", "South / Calls", "calls rose (according to the police)"]);
        // A language the file has no words for keeps the file's own, in that language's strings.
        assert_eq!(quoted(&f.translated("en-GB"), "top"), "South / Calls");
    }

    #[test]
    fn a_computed_label_names_the_remainder_as_the_language_does() {
        let f = shares("values:\n  top: { largest: [Facebook, Not recorded] }\ntranslations:\n  cy:\n    labels: { Facebook: Ffesbwc }\n").unwrap();
        let f = f.in_site(site(""));
        assert_eq!(quoted(&f, "top"), "Not recorded");
        assert_eq!(quoted(&f.translated("cy"), "top"), "Heb ei gofnodi");
    }

    #[test]
    fn the_sites_own_strings_reach_the_figure_and_its_key() {
        let plain = load(QUOTED).unwrap();
        let own = plain.clone().in_site(site("according_to: \"(said {by})\"\nnot_recorded: Unrecorded\n"));
        assert_eq!(quoted(&own, "said"), "calls rose (said the police)");
        assert_eq!(own.remainder, "Unrecorded", "a remainder the file does not name takes the site's word");
        assert_ne!(own.hash, plain.hash, "a chart in other words is not taken for one drawn before");
        // Its key follows the site's words in every language it is drawn in.
        let cy = Strings::for_language("cy", Some((Path::new("templates/strings/cy.yaml"), "according_to: \"(meddai {by})\"\n"))).unwrap();
        let welsh_own = SiteStrings::new("en-GB", [("en-GB".to_string(), Arc::clone(Language::English.words())), ("cy".to_string(), Arc::new(cy))].into());
        let (built_in, welsh_own) = (plain.clone().in_site(site("")), plain.clone().in_site(welsh_own));
        assert_eq!(built_in.strings, welsh_own.strings);
        assert_ne!(built_in.hash, welsh_own.hash, "a Welsh chart drawn in the old words is not kept");
        assert_eq!(quoted(&welsh_own.translated("cy"), "said"), "calls rose (meddai the police)");
        // Translated, it takes the site's words for that language.
        assert_eq!(quoted(&own.translated("cy"), "said"), "calls rose (yn ôl the police)");
        assert_ne!(own.translated("cy").hash, plain.in_site(site("")).translated("cy").hash);
    }

    #[test]
    fn filling_a_figures_texts_keeps_the_sites_words_in_its_key() {
        let text = QUOTED.replace("title: T", "title: 'T {{ value(key=\"most\") }}'");
        let filled = |strings: SiteStrings| {
            let mut figures: BTreeMap<String, Figure> = [("f".to_string(), load(&text).unwrap().in_site(strings))].into();
            assert!(fill_texts(&mut figures).is_empty());
            figures.remove("f").unwrap()
        };
        let (built_in, own) = (filled(site("")), filled(site("in_all: \"{value} altogether\"\n")));
        assert_eq!(built_in.title, "T the most calls");
        assert_ne!(built_in.hash, own.hash, "a figure whose texts quote values is drawn again when the site's words change");
    }

    #[test]
    fn translated_texts_quote_claims_in_their_own_language() {
        let text = QUOTED.replace("    claims: { most", "    title: 'Y {{ value(key=\"most\") }}'\n    claims: { most");
        let mut figures: BTreeMap<String, Figure> = [("f".to_string(), load(&text).unwrap().in_site(site("")))].into();
        assert!(fill_texts(&mut figures).is_empty());
        assert_eq!(figures["f"].translations["cy"].title.as_deref(), Some("Y y mwyaf o alwadau"));
        assert_eq!(figures["f"].translated("cy").title, "Y y mwyaf o alwadau");
    }

    #[test]
    fn statements_are_quoted_with_who_said_them_and_names_are_not_shared() {
        let f = shares("statements:\n  second: { words: Snapchat was the second most-used app, by: the NSPCC }\n").unwrap();
        assert_eq!(quoted(&f, "second"), "Snapchat was the second most-used app (according to the NSPCC)");
        let clash = shares("values:\n  x: { sum: [Facebook] }\nstatements:\n  x: { words: W, by: B }\n").unwrap_err();
        assert!(clash.message().contains("`x` names two things"), "{}", clash.message());
        let unknown = f.lookup(Some("secnd"), None).unwrap_err();
        assert_eq!(unknown.hint_text(), Some("did you mean `second`?"));
    }

    #[test]
    fn texts_quote_their_own_values_and_other_figures() {
        let own = "title: '{{ value(key=\"both\") }} of cases'\nsource: S\nchart: donut\nunit: percent\nnote: >-\n  Of {{ value(id=\"g\", label=\"All\") }} cases,\n  \
                   {{ value(label=\"A\") }} were A.\ndata:\n  - { label: A, value: 40 }\n  - { label: B, value: 12 }\ntotal: 100\nvalues:\n  both: { sum: [A, B] }\n";
        let other = |n: u32| format!("title: G\nsource: S\nchart: column\nunit: count\ndata:\n  - {{ label: All, value: {n} }}\n");
        let mut figures = BTreeMap::new();
        figures.insert("f".to_string(), load(own).unwrap());
        figures.insert("g".to_string(), Figure::load("g", Path::new("content/figures/g.yaml"), &other(1628)).unwrap());
        assert!(fill_texts(&mut figures).is_empty());
        assert_eq!(figures["f"].title, "52% of cases");
        assert_eq!(figures["f"].note.as_deref(), Some("Of 1,628 cases, 40% were A."));
        figures.get_mut("f").unwrap().written.subtitle = Some("Call {{ literal(\"0800 1111\") }}".into());
        assert!(fill_texts(&mut figures).is_empty());
        assert_eq!(figures["f"].subtitle.as_deref(), Some("Call 0800 1111"), "a literal is shown as written");
        assert_eq!(figures["f"].written.title, "{{ value(key=\"both\") }} of cases");
        let before = figures["f"].hash;
        // The quoted figure changes: the text and the key follow.
        figures.insert("g".to_string(), Figure::load("g", Path::new("content/figures/g.yaml"), &other(2000)).unwrap());
        assert!(fill_texts(&mut figures).is_empty());
        assert_eq!(figures["f"].note.as_deref(), Some("Of 2,000 cases, 40% were A."));
        assert_ne!(figures["f"].hash, before);
        // A call that quotes nothing is placed at its text's line.
        figures.remove("g");
        let problems = fill_texts(&mut figures);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].message(), "there is no figure `g`");
        assert_eq!(problems[0].location().and_then(|l| l.line).map(|(line, _, _)| line), Some(5), "{:?}", problems[0]);
    }

    #[test]
    fn order_sorts_by_value_or_label_or_keeps_the_files() {
        let labels = |f: &Figure| f.labels();
        let bars = |order: &str| {
            load(&format!("title: T\nsource: S\nchart: bar\nunit: count\norder: {order}\ndata:\n  - {{ label: Gwent, value: 3 }}\n  - {{ label: Cleveland, value: 9 }}\n  - {{ label: Durham, value: null }}\n  - {{ label: Avon, value: 5 }}\n"))
        };
        assert_eq!(labels(&bars("file").unwrap()), ["Gwent", "Cleveland", "Durham", "Avon"]);
        assert_eq!(labels(&bars("value").unwrap()), ["Cleveland", "Avon", "Gwent", "Durham"], "largest first, not reported last");
        assert_eq!(labels(&bars("label").unwrap()), ["Avon", "Cleveland", "Durham", "Gwent"]);
        let wrong = bars("size").unwrap_err();
        assert!(wrong.location().is_some_and(|l| l.line.is_some_and(|(line, _, _)| line == 5)), "{wrong:?}");
        assert!(wrong.message().contains("size"), "{wrong:?}");
        // Several series: categories by their whole, every series' values moved with them.
        let stacked = load(&STACKED.replace("unit: count\n", "unit: count\norder: value\n")).unwrap();
        let Body::Multi { categories, series, totals } = &stacked.body else { panic!() };
        assert_eq!(categories, &["B", "A"]);
        assert_eq!(series[0].values, [Some(2.0), Some(1.0)]);
        assert_eq!(series[1].values, [Some(3.0), None]);
        assert_eq!(totals.as_deref(), Some(&[Some(10.0), Some(5.0)][..]));
        // Sorted by label, a translation sorts in its own alphabet.
        let welsh = load("title: T\nsource: S\nchart: bar\nunit: count\norder: label\ndata:\n  - { label: Chester, value: 1 }\n  - { label: Cardiff, value: 2 }\n  - { label: Dover, value: 3 }\ntranslations:\n  cy:\n    labels: { Cardiff: Caerdydd, Chester: Caer, Dover: Dofr }\n").unwrap();
        assert_eq!(labels(&welsh), ["Cardiff", "Chester", "Dover"]);
        assert_eq!(labels(&welsh.translated("cy")), ["Caer", "Caerdydd", "Dofr"]);
        let line =
            load("title: T\nsource: S\nchart: line\nunit: count\norder: value\ncategories: ['2019', '2020']\nseries:\n  - { name: X, values: [1, 2] }\n")
                .unwrap_err();
        assert!(line.message().contains("a line chart keeps its categories in the file's order"), "{line:?}");
    }

    #[test]
    fn highlight_names_labels_or_series_and_follows_translation() {
        let bars = |extra: &str| {
            load(&format!("title: T\nsource: S\nchart: bar\nunit: count\ndata:\n  - {{ label: Facebook, value: 3 }}\n  - {{ label: Kik, value: 1 }}\n{extra}"))
        };
        let f = bars("highlight: [Facebook]\ntranslations:\n  cy:\n    labels: { Facebook: Ffacebook }\n").unwrap();
        assert!(f.is_highlighted("", "Facebook") && !f.is_highlighted("", "Kik"));
        assert_eq!(f.translated("cy").highlight, ["Ffacebook"], "named in the language the chart is drawn in");
        assert!(bars("").unwrap().is_highlighted("", "Kik"), "nothing highlighted: every mark stands as it is");
        let unknown = bars("highlight: [Facebok]\n").unwrap_err();
        assert!(unknown.message().contains("`Facebok` under `highlight` is no label"), "{unknown:?}");
        assert_eq!(unknown.hint_text(), Some("did you mean `Facebook`?"));
        assert!(unknown.location().is_some_and(|l| l.line.is_some_and(|(line, _, _)| line == 8)), "{unknown:?}");
        assert!(bars("highlight: [Facebook, Kik]\n").unwrap_err().message().contains("every part is highlighted"));
        assert!(bars("highlight: [Kik, Kik]\n").unwrap_err().message().contains("highlighted twice"));
        // Several series: a series or a category; a line chart only its lines.
        let stacked = load(&STACKED.replace("totals:", "highlight: [Y]\ntotals:")).unwrap();
        assert!(stacked.is_highlighted("Y", "A") && !stacked.is_highlighted("X", "A"));
        assert!(load(&STACKED.replace("totals:", "highlight: [B]\ntotals:")).unwrap().is_highlighted("X", "B"));
        let line = "title: T\nsource: S\nchart: line\nunit: count\ncategories: ['2019', '2020']\nseries:\n  - { name: X, values: [1, 2] }\n  - { name: Y, values: [2, 2] }\n";
        assert!(load(&format!("{line}highlight: [X]\n")).is_ok());
        assert!(load(&format!("{line}highlight: ['2019']\n")).unwrap_err().message().contains("this chart highlights its series"));
    }

    const STACKED: &str = "title: T\nsource: S\nchart: stacked-bar\nunit: count\ncategories: [A, B]\nseries:\n  - { name: X, values: [1, 2] }\n  - { name: Y, values: [null, 3] }\ntotals: [5, 10]\n";

    #[test]
    fn formats_counts_and_percentages() {
        assert_eq!(Unit::COUNT.format(1628.0), "1,628");
        assert_eq!(Unit::COUNT.format(956.0), "956");
        assert_eq!(Unit::COUNT.format(1234567.0), "1,234,567");
        assert_eq!(Unit::COUNT.format(-1234.5), "-1,234.5");
        assert_eq!(Unit::PERCENT.format(32.6), "32.6%");
        assert_eq!(Unit::PERCENT.format(52.0), "52%");
        assert_eq!(Unit::PERCENT.format(0.125), "0.13%");
    }

    #[test]
    fn dates_are_as_precise_as_the_source_and_real() {
        let date = |text: &str| DataDate::parse(text);
        assert_eq!(date("2018").map(|d| (d.iso(), d.display())), Ok(("2018".into(), "2018".into())));
        assert_eq!(date("2018-04").map(|d| (d.iso(), d.display())), Ok(("2018-04".into(), "April 2018".into())));
        assert_eq!(date("2018-04-03").map(|d| (d.iso(), d.display())), Ok(("2018-04-03".into(), "3 April 2018".into())));
        assert!(date("2016-02-29").is_ok());
        for bad in ["2018-02-29", "2018-13", "2018-04-31", "18", "2018/04", "April 2018", "2018-4-3", "0999"] {
            assert!(date(bad).is_err(), "{bad}");
        }
        let figure = |extra: &str| load(&format!("title: T\nsource: S\nchart: bar\nunit: count\ndata:\n  - {{ label: a, value: 1 }}\n{extra}"));
        let f = figure("period: { from: 2017-04, to: 2018-01 }\npublished: 2018-04-03\nupdated: 2018-05-01\n").unwrap();
        assert_eq!(
            f.dates.words(Language::English.words()).as_deref(),
            Some("Data for April 2017 to January 2018; published 3 April 2018, updated 1 May 2018.")
        );
        assert_eq!(figure("published: 2018\n").unwrap().dates.words(Language::English.words()).as_deref(), Some("Published 2018."));
        assert_eq!(figure("period: { from: 2018, to: 2018 }\n").unwrap().dates.words(Language::English.words()).as_deref(), Some("Data for 2018."));
        assert_eq!(figure("").unwrap().dates.words(Language::English.words()), None);
        assert_eq!(
            f.clone().in_language(Language::Welsh).dated().as_deref(),
            Some("Data ar gyfer Ebrill 2017 – Ionawr 2018; cyhoeddwyd 3 Ebrill 2018, diweddarwyd 1 Mai 2018.")
        );
        let backwards = figure("period: { from: 2018-05, to: 2018-01 }\n").unwrap_err();
        assert!(backwards.message().contains("starts on May 2018 but ends before, on January 2018"), "{}", backwards.message());
        let early = figure("published: 2018-04-03\nupdated: 2018-04-02\n").unwrap_err();
        assert!(early.message().contains("updated on 2 April 2018, before it was published on 3 April 2018"), "{}", early.message());
        let wrong = figure("published: 2018-02-30\n").unwrap_err();
        assert!(wrong.message().contains("is not a day of the calendar") && wrong.location().and_then(|l| l.line).is_some(), "{wrong:?}");
    }

    #[test]
    fn numbers_are_written_the_way_the_sites_language_writes_them() {
        let text = "title: T\nsource: S\nchart: bar\nunit: percent\ndata:\n  - { label: a, value: 1628.5 }\n  - { label: b, value: 12 }\nvalues:\n  \
                    n: { value: 1234567, unit: count }\n  s: { share: b, of: a }\n  r: { ratio: [a, b] }\n";
        let f = Figure::load_in("f", Path::new("f.yaml"), text, Style::of_language("de")).unwrap();
        assert_eq!(f.lookup(None, Some("a")).unwrap().formatted(), "1.628,5%");
        assert_eq!(f.lookup(Some("n"), None).unwrap().formatted(), "1.234.567");
        assert_eq!(f.lookup(Some("s"), None).unwrap().formatted(), "0,7%");
        assert_eq!(f.lookup(Some("r"), None).unwrap().formatted(), "135,7");
        assert_eq!(f.unit.plain(1628.5), "1628.5", "a CSV is for machines: a point, no grouping");
        let welsh = Figure::load_in("f", Path::new("f.yaml"), text, Style::of_language("cy")).unwrap();
        assert_eq!(welsh.lookup(None, Some("a")).unwrap().formatted(), "1,628.5%");
        assert_eq!(welsh.hash, Figure::load("f", Path::new("f.yaml"), text).unwrap().hash, "English and Welsh write numbers alike");
        assert_ne!(f.hash, welsh.hash, "a chart drawn for one style is not taken for another's");
    }

    #[test]
    fn units_beyond_percent_and_count_read_as_written_for_them() {
        let unit = |text: &str| Unit::parse(text).unwrap();
        assert_eq!(unit("£").format(1628.0), "£1,628");
        assert_eq!(unit("GBP").format(3.5), "£3.50");
        assert_eq!(unit("€").format(-1234.5), "-€1,234.50");
        assert_eq!(unit("dollars").format(0.0), "$0");
        assert_eq!(unit("per 1000").format(4.2), "4.2 per 1,000");
        assert_eq!(unit("number").format(1.75), "1.75");
        assert!(Unit::parse("per 0").is_err() && Unit::parse("per").is_err() && Unit::parse("per -3").is_err());
        // Fixed places: padded and rounded half away from zero, the same in text and CSV.
        let one = Unit { decimals: Some(1), ..Unit::PERCENT };
        assert_eq!(one.format(20.0), "20.0%");
        assert_eq!(one.format(32.65), "32.7%");
        assert_eq!(one.format(-0.04), "0.0%");
        assert_eq!(one.plain(1234.25), "1234.3");
        assert_eq!(Unit { decimals: Some(0), ..Unit::COUNT }.format(-2.5), "-3");
        assert_eq!(Unit { decimals: Some(2), ..Unit::NUMBER }.tick(20.0), "20", "axis marks show no padding");
    }

    #[test]
    fn a_figure_sets_its_decimal_places_for_every_number_it_shows() {
        let f = load("title: T\nsource: S\nchart: bar\nunit: percent\ndecimals: 1\ndata:\n  - { label: a, value: 20 }\n  - { label: b, value: 19.86 }\nvalues:\n  share: 52\n").unwrap();
        assert_eq!(f.lookup(None, Some("a")).unwrap().formatted(), "20.0%");
        assert_eq!(f.lookup(None, Some("b")).unwrap().formatted(), "19.9%");
        assert_eq!(f.lookup(Some("share"), None).unwrap().formatted(), "52.0%");
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
            ("title: T\nsource: S\nchart: bar\nunit: quid\ndata: [{label: a, value: 1}]\n", "there is no unit `quid`"),
            (
                "title: T\nsource: S\nchart: bar\nunit: per 1,000\ndata: [{label: a, value: 1}]\n",
                "`per 1,000` has a comma in it: write `per 1000`, without the comma",
            ),
            (
                "title: T\nsource: S\nchart: bar\nunit: count\ndecimals: 3\ndata: [{label: a, value: 1}]\n",
                "`decimals` is 3; a figure shows at most 2 decimal places",
            ),
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
        assert_eq!(err.message(), "the series `X` has 1 value, but there are 2 categories");
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
            assert_eq!(Unit::COUNT.plain(value), written);
            assert_eq!(Unit::COUNT.plain(-value), if value == 0.0 { written.clone() } else { format!("-{written}") });
            assert_eq!(Unit::COUNT.format(value).replace(',', ""), written);
        }
    }

    #[test]
    fn case_16_minus_zero_is_zero() {
        assert_eq!(parse_number("-0").unwrap().to_bits(), 0.0f64.to_bits());
        assert_eq!(parse_number("-0.00").unwrap().to_bits(), 0.0f64.to_bits());
        assert_eq!(Unit::COUNT.format(-0.0), "0");
        assert_eq!(Unit::COUNT.plain(-0.0), "0");
        assert_eq!(Unit::COUNT.plain(-1e-12), "0");
        assert_eq!(Unit::PERCENT.format(-0.001), "0%");
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
