//! A figure's numbers as a table: the HTML data table under every chart, and the CSV download.
//!
//! Both come from one [`Table`], built from the figure data, so what a reader downloads is
//! exactly what the chart shows: the same rows, the same remainders, gaps where nothing was
//! reported, and the same digits ([`crate::figure::Unit::plain`]).

use crate::figure::{Body, Figure, Unit, UnitKind};
use serde::Serialize;

/// Rows of labelled cells, with the column headings.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    pub caption: String,
    /// The first heading names the row labels; the rest name the value columns.
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
    /// How the numbers read, for the CSV's digits.
    #[serde(skip)]
    pub unit: Unit,
    /// The CSV's heading for the row labels, in the figure's language.
    #[serde(skip)]
    pub label_heading: String,
    /// A column of words the CSV adds after the numbers, with its heading: why a tile map's
    /// area has no number (its table says so in the number's cell).
    #[serde(skip)]
    pub notes: Option<(String, Vec<String>)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    pub label: String,
    /// Formatted for reading: `1,628`, `32.6%`, or `not reported`.
    pub cells: Vec<String>,
    /// The raw numbers, `None` where nothing was reported.
    #[serde(skip)]
    pub values: Vec<Option<f64>>,
}

impl Table {
    pub fn of(figure: &Figure) -> Table {
        let unit = figure.unit;
        let words = &*figure.strings;
        let missing = words.get("table_not_reported");
        let row = |label: &str, values: Vec<Option<f64>>| Row {
            label: label.to_string(),
            cells: values.iter().map(|v| v.map_or_else(|| missing.clone(), |v| unit.format(v))).collect(),
            values,
        };
        let value_heading = match unit.kind {
            UnitKind::Percent => words.get("table_per_cent"),
            UnitKind::Count => words.get("table_number"),
            UnitKind::Number => words.get("table_value"),
            UnitKind::Money(currency) => words.fill("table_amount", &[("currency", currency.code())]),
            UnitKind::Per(n) => words.fill("table_per", &[("n", &crate::numbers::grouped(&n.to_string()))]),
        };
        let total_word = words.get("table_total");
        let label_heading = words.get("table_label_column");
        if figure.layout.is_some() {
            // A tile map's table lists every area of its layout, in the layout's order.
            let left_out = words.get("table_not_in_data");
            let (mut rows, mut notes) = (Vec::new(), Vec::new());
            for (area, value) in figure.tiles() {
                let mut r = row(&area.shown, vec![value.flatten()]);
                let note = match value {
                    None => left_out.clone(),
                    Some(None) => missing.clone(),
                    Some(Some(_)) => String::new(),
                };
                if value.is_none() {
                    r.cells = vec![left_out.clone()];
                }
                rows.push(r);
                notes.push(note);
            }
            let notes = Some((words.get("table_note"), notes));
            return Table { caption: figure.title.clone(), columns: vec![String::new(), value_heading], rows, unit, label_heading, notes };
        }
        match &figure.body {
            Body::Single { points, total } => {
                let mut rows: Vec<Row> = points.iter().map(|p| row(&p.label, vec![p.value])).collect();
                if let Some(t) = total {
                    rows.push(row(&figure.remainder, vec![figure.remainder_of(0)]));
                    rows.push(row(&total_word, vec![Some(*t)]));
                }
                Table { caption: figure.title.clone(), columns: vec![String::new(), value_heading], rows, unit, label_heading, notes: None }
            }
            Body::Multi { categories, series, totals } => {
                let mut columns = vec![String::new()];
                columns.extend(series.iter().map(|s| s.name.clone()));
                if totals.is_some() {
                    columns.push(figure.remainder.clone());
                    columns.push(total_word.clone());
                }
                let rows = categories
                    .iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let mut values: Vec<Option<f64>> = series.iter().map(|s| s.values[i]).collect();
                        if let Some(t) = totals {
                            values.push(figure.remainder_of(i));
                            values.push(t[i]);
                        }
                        row(c, values)
                    })
                    .collect();
                Table { caption: figure.title.clone(), columns, rows, unit, label_heading, notes: None }
            }
        }
    }

    /// RFC 4180 CSV in UTF-8 (with a byte-order mark, so spreadsheets read accents right):
    /// a header row, CRLF line ends, an empty cell where nothing was reported.
    pub fn csv(&self) -> String {
        let mut out = String::from("\u{feff}");
        let mut header = self.columns.clone();
        if header[0].is_empty() {
            header[0].clone_from(&self.label_heading);
        }
        header.extend(self.notes.iter().map(|(heading, _)| heading.clone()));
        push_record(&mut out, header.iter().map(|h| text_cell(h)));
        for (i, row) in self.rows.iter().enumerate() {
            let numbers = row.values.iter().map(|v| v.map_or_else(String::new, |v| self.unit.plain(v)));
            let note = self.notes.as_ref().map(|(_, notes)| text_cell(notes.get(i).map_or("", String::as_str)));
            push_record(&mut out, std::iter::once(text_cell(&row.label)).chain(numbers).chain(note));
        }
        out
    }
}

/// The CSV's metadata in the W3C's "CSV on the Web" vocabulary (with Dublin Core terms): its
/// title, source, the period the data covers and when it was published and updated, and its
/// columns. The CSV itself stays plain RFC 4180; this file travels beside it, so data reused
/// years later still says where it came from and how old it is.
pub fn csv_metadata(figure: &Figure, table: &Table, csv_url: &str) -> String {
    let mut meta = serde_json::Map::new();
    let mut put = |key: &str, value: serde_json::Value| {
        meta.insert(key.to_string(), value);
    };
    put("@context", "http://www.w3.org/ns/csvw".into());
    put("url", csv_url.into());
    put("dc:title", figure.title.clone().into());
    put("dc:source", figure.source.clone().into());
    if let Some(url) = &figure.source_url {
        put("dc:relation", url.clone().into());
    }
    if let Some((from, to)) = figure.dates.period {
        put("dc:temporal", format!("{}/{}", from.iso(), to.iso()).into());
    }
    if let Some(date) = figure.dates.published {
        put("dc:issued", date.iso().into());
    }
    if let Some(date) = figure.dates.updated {
        put("dc:modified", date.iso().into());
    }
    if let Some(note) = &figure.note {
        put("dc:description", note.clone().into());
    }
    let mut header = table.columns.clone();
    if header[0].is_empty() {
        header[0].clone_from(&table.label_heading);
    }
    let numbers = header.len();
    header.extend(table.notes.iter().map(|(heading, _)| heading.clone()));
    let columns: Vec<serde_json::Value> = header
        .iter()
        .enumerate()
        .map(|(i, title)| serde_json::json!({ "titles": title, "datatype": if i == 0 || i >= numbers { "string" } else { "number" } }))
        .collect();
    put("dialect", serde_json::json!({ "header": true, "encoding": "utf-8" }));
    put("tableSchema", serde_json::json!({ "columns": columns }));
    let mut text = serde_json::to_string_pretty(&serde_json::Value::Object(meta)).unwrap_or_default();
    text.push('\n');
    text
}

fn push_record(out: &mut String, cells: impl Iterator<Item = String>) {
    let cells: Vec<String> = cells.collect();
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

/// A text cell, quoted when it must be, and neutralised when a spreadsheet would take it for a
/// formula: a leading `=`, `+`, `-`, `@`, tab or carriage return gets a `'` before it.
fn text_cell(text: &str) -> String {
    let neutral = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_string() };
    if neutral.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", neutral.replace('"', "\"\""))
    } else {
        neutral
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn figure(yaml: &str) -> Figure {
        Figure::load("f", Path::new("f.yaml"), yaml).unwrap()
    }

    #[test]
    fn the_table_and_csv_show_the_figures_decimal_places() {
        let f = figure("title: T\nsource: S\nchart: bar\nunit: percent\ndecimals: 1\ndata:\n  - { label: a, value: 20 }\n  - { label: b, value: 19.86 }\n");
        let table = Table::of(&f);
        assert_eq!(table.rows[1].cells, vec!["19.9%"]);
        assert!(table.csv().contains("a,20.0\r\nb,19.9\r\n"), "{}", table.csv());
        let money = Table::of(&figure("title: T\nsource: S\nchart: bar\nunit: £\ndata:\n  - { label: a, value: 3.5 }\n"));
        assert_eq!((money.columns[1].as_str(), money.rows[0].cells[0].as_str()), ("Amount (GBP)", "£3.50"));
    }

    #[test]
    fn stacked_tables_show_remainders_totals_and_gaps() {
        let f = figure("title: T\nsource: S\nchart: stacked-bar\nunit: count\ncategories: [Cleveland, Durham]\nseries:\n  - {name: Facebook, values: [22, 21]}\n  - {name: Kik, values: [null, 2]}\ntotals: [62, 92]\n");
        let t = Table::of(&f);
        assert_eq!(t.columns, vec!["", "Facebook", "Kik", "Not recorded", "Total"]);
        assert_eq!(t.rows[0].cells, vec!["22", "not reported", "40", "62"]);
        assert_eq!(t.csv(), "\u{feff}Label,Facebook,Kik,Not recorded,Total\r\nCleveland,22,,40,62\r\nDurham,21,2,69,92\r\n");
    }

    #[test]
    fn csv_quotes_and_neutralises_text() {
        let f = figure("title: T\nsource: S\nchart: bar\nunit: percent\ndata:\n  - {label: '=HYPERLINK(\"x\")', value: 1.5}\n  - {label: '+1, -2', value: -3}\n  - {label: '@me', value: null}\n  - {label: 'Plain ŵ', value: 32.6}\n");
        let csv = Table::of(&f).csv();
        assert_eq!(csv, "\u{feff}Label,Per cent\r\n\"'=HYPERLINK(\"\"x\"\")\",1.5\r\n\"'+1, -2\",-3\r\n'@me,\r\nPlain ŵ,32.6\r\n");
    }

    #[test]
    fn case_16_csv_and_table_show_the_same_digits_as_the_text() {
        let f = figure("title: T\nsource: S\nchart: donut\nunit: percent\ntotal: 100\ndata:\n  - {label: A, value: 33.33}\n  - {label: B, value: 33.33}\n  - {label: C, value: 33.34}\n  - {label: D, value: -0}\n");
        let t = Table::of(&f);
        let cells: Vec<&str> = t.rows.iter().map(|r| r.cells[0].as_str()).collect();
        assert_eq!(cells, vec!["33.33%", "33.33%", "33.34%", "0%", "0%", "100%"]);
        assert_eq!(t.csv(), "\u{feff}Label,Per cent\r\nA,33.33\r\nB,33.33\r\nC,33.34\r\nD,0\r\nNot recorded,0\r\nTotal,100\r\n");
    }

    #[test]
    fn a_tile_map_table_lists_every_area_of_its_layout() {
        let f = figure("title: T\nsource: S\nchart: tile-map\nlayout: police-forces-england-wales\nunit: count\ndata:\n  - {label: Durham, value: 92}\n  - {label: Kent, value: null}\n");
        let t = Table::of(&f);
        assert_eq!(t.rows.len(), 43);
        let row = |label: &str| t.rows.iter().find(|r| r.label == label).unwrap();
        assert_eq!((row("Durham").cells[0].as_str(), row("Durham").values[0]), ("92", Some(92.0)));
        assert_eq!((row("Kent").cells[0].as_str(), row("Kent").values[0]), ("not reported", None));
        assert_eq!((row("Essex").cells[0].as_str(), row("Essex").values[0]), ("not in this data", None));
        let csv = t.csv();
        assert!(csv.starts_with("\u{feff}Label,Number,Note\r\nNorthumbria,,not in this data\r\n"), "{csv}");
        assert!(csv.contains("\r\nDurham,92,\r\n") && csv.contains("\r\nKent,,not reported\r\n"), "{csv}");
        let meta = csv_metadata(&f, &t, "f.csv");
        assert!(meta.contains("\"titles\": \"Note\"") && meta.matches("\"datatype\": \"string\"").count() == 2, "{meta}");
        let welsh = Table::of(&f.translated("cy"));
        assert!(welsh.rows.iter().any(|r| r.label == "Gogledd Cymru") && welsh.rows.iter().any(|r| r.label == "De Cymru"));
    }

    #[test]
    fn donut_tables_end_with_the_remainder_and_total() {
        let f = figure("title: T\nsource: S\nchart: donut\nunit: percent\ntotal: 100\nremainder: Other\ndata:\n  - {label: A, value: 32.6}\n");
        let t = Table::of(&f);
        let labels: Vec<&str> = t.rows.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(labels, vec!["A", "Other", "Total"]);
        assert_eq!(t.rows[1].cells, vec!["67.4%"]);
    }

    #[test]
    fn a_sites_own_strings_head_the_table_and_csv() {
        let yaml = "table_label_column: Force\ntable_total: All\nnot_recorded: Unknown\n";
        let en = crate::strings::Strings::for_language("en-GB", Some((Path::new("templates/strings/en.yaml"), yaml))).unwrap();
        let site = crate::strings::SiteStrings::new("en-GB", [("en-GB".to_string(), std::sync::Arc::new(en))].into());
        let f = figure("title: T\nsource: S\nchart: donut\nunit: count\ntotal: 10\ndata:\n  - {label: A, value: 4}\n").in_site(site);
        assert_eq!(Table::of(&f).csv(), "\u{feff}Force,Number\r\nA,4\r\nUnknown,6\r\nAll,10\r\n");
    }
}
