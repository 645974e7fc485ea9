//! The chart in words: a summary generated from the data, for the SVG's `<desc>`, alt text,
//! and anyone who would rather read than look. It says what is largest and by how much, and
//! names what was not reported rather than treating it as zero.

use crate::figure::{Body, ChartKind, Figure, Point, Unit, UnitKind};
use crate::strings::Strings;

/// The chart in sentences of the figure's language, built from its strings file's patterns
/// (`describe_…`), so that each language writes its own grammar rather than English's words.
pub fn describe(figure: &Figure) -> String {
    let words = &*figure.strings;
    let unit = figure.unit;
    let kind = words.get(match figure.kind {
        ChartKind::Bar => "chart_bar",
        ChartKind::Column => "chart_column",
        ChartKind::StackedBar => "chart_stacked_bar",
        ChartKind::Donut => "chart_donut",
        ChartKind::Line => "chart_line",
        // Described in their own modules, above; a body of another shape is refused on loading.
        ChartKind::Waffle => "chart_waffle",
        ChartKind::Dot => "chart_dot",
        ChartKind::TileMap => "chart_tile_map",
    });
    // Sentences that open with the chart's name start with a capital; a label keeps its case.
    let sentence = |key: &str, fill: &[(&str, &str)]| capitalise(&words.fill(key, fill));
    let mut text = match &figure.body {
        Body::Single { points, .. } if figure.kind == ChartKind::Waffle => super::waffle::describe(figure, points),
        Body::Multi { categories, series, .. } if figure.kind == ChartKind::Dot => super::dot::describe(figure, categories, series),
        Body::Single { points, .. } => {
            let mut parts: Vec<(String, f64)> = points.iter().filter_map(|p| p.value.map(|v| (p.label.clone(), v))).collect();
            if let Some(r) = figure.remainder_of(0).filter(|r| *r > 0.0) {
                parts.push((figure.remainder.clone(), r));
            }
            let listing = words.list(&parts.iter().map(|(l, v)| format!("{l} {}", unit.format(*v))).collect::<Vec<_>>());
            let mut text = match (figure.kind, &figure.layout) {
                (ChartKind::TileMap, Some(layout)) => sentence("describe_tile_map", &[("kind", &kind), ("areas", &layout.title), ("list", &listing)]),
                (ChartKind::Donut, _) => sentence("describe_parts", &[("kind", &kind), ("list", &listing)]),
                (ChartKind::Line, _) => trend(words, &kind, points, unit),
                _ => sentence("describe_listing", &[("kind", &kind), ("list", &listing)]),
            };
            if figure.kind != ChartKind::Line {
                text.push_str(&largest(words, &parts, unit));
            }
            text.push_str(&not_reported(words, points.iter().filter(|p| p.value.is_none()).map(|p| p.label.clone()).collect()));
            text.push_str(&not_in_data(figure));
            text
        }
        Body::Multi { categories, series, .. } => {
            let names = words.list(&series.iter().map(|s| s.name.clone()).collect::<Vec<_>>());
            let mut text = sentence("describe_series", &[("kind", &kind), ("series", &names), ("categories", &words.list(categories))]);
            let mut wholes = Vec::new();
            for (i, category) in categories.iter().enumerate() {
                let mut parts: Vec<String> = series.iter().filter_map(|s| s.values[i].map(|v| format!("{} {}", s.name, unit.format(v)))).collect();
                let mut whole: f64 = series.iter().filter_map(|s| s.values[i]).sum();
                if let Some(r) = figure.remainder_of(i).filter(|r| *r > 0.0) {
                    parts.push(format!("{} {}", figure.remainder, unit.format(r)));
                    whole += r;
                }
                let list = words.list(&parts);
                text.push(' ');
                if figure.kind == ChartKind::StackedBar {
                    text.push_str(&words.fill("describe_category_total", &[("category", category), ("total", &unit.format(whole)), ("list", &list)]));
                } else {
                    text.push_str(&words.fill("describe_category", &[("category", category), ("list", &list)]));
                }
                wholes.push((category.clone(), whole));
            }
            if figure.kind == ChartKind::StackedBar {
                text.push_str(&largest(words, &wholes, unit));
            }
            text.push_str(&not_reported(words, series_not_reported(words, categories, series)));
            text
        }
    };
    for reference in &figure.references {
        text.push(' ');
        text.push_str(&match reference.to {
            Some(to) => sentence("describe_band", &[("from", &unit.format(reference.value)), ("to", &unit.format(to)), ("label", &reference.label)]),
            None => sentence("describe_reference", &[("value", &unit.format(reference.value)), ("label", &reference.label)]),
        });
    }
    text.push_str(&annotations(figure));
    // What the chart points at, as a sighted reader sees it stand out.
    if !figure.highlight.is_empty() {
        text.push(' ');
        text.push_str(&sentence("describe_highlight", &[("list", &words.list(&figure.highlight))]));
    }
    text
}

/// The shaded periods and the notes, as a sighted reader finds them on the chart: "The
/// period from 2020 to 2021 is shaded: lockdown. A note at Facebook reads: “…”."
fn annotations(figure: &Figure) -> String {
    use crate::figure::Target;
    let words = &*figure.strings;
    let labels = figure.categories();
    let mut text = String::new();
    for shade in &figure.shaded {
        let (from, to) = (labels.get(shade.from).copied().unwrap_or_default(), labels.get(shade.to).copied().unwrap_or_default());
        text.push(' ');
        text.push_str(&capitalise(&if from == to {
            words.fill("describe_shaded_one", &[("at", from), ("label", &shade.label)])
        } else {
            words.fill("describe_shaded", &[("from", from), ("to", to), ("label", &shade.label)])
        }));
    }
    for note in &figure.annotations {
        let at = match &note.target {
            Target::Mark { label, series: Some(series) } => words.fill("describe_series_for", &[("series", series), ("category", label)]),
            Target::Mark { label, series: None } => label.clone(),
            Target::Value(v) => figure.unit.format(*v),
        };
        text.push(' ');
        text.push_str(&capitalise(&words.fill("describe_annotation", &[("at", &at), ("text", &note.text)])));
    }
    text
}

/// Each value no one reported, as "SERIES for CATEGORY".
pub(super) fn series_not_reported(words: &Strings, categories: &[String], series: &[crate::figure::Series]) -> Vec<String> {
    series
        .iter()
        .flat_map(|s| {
            categories
                .iter()
                .zip(&s.values)
                .filter(|(_, v)| v.is_none())
                .map(move |(c, _)| words.fill("describe_series_for", &[("series", &s.name), ("category", c)]))
        })
        .collect()
}

/// "X is the largest at 92, 30 more than Y (62)."
fn largest(words: &Strings, parts: &[(String, f64)], unit: Unit) -> String {
    if parts.len() < 2 {
        return String::new();
    }
    let mut sorted: Vec<&(String, f64)> = parts.iter().collect();
    sorted.sort_by(|a, b| b.1.total_cmp(&a.1));
    let (first, second) = (sorted[0], sorted[1]);
    let sentence = |key: &str, fill: &[(&str, &str)]| format!(" {}", words.fill(key, fill));
    if first.1 == second.1 {
        return sentence("describe_level", &[("first", &first.0), ("second", &second.0), ("value", &unit.format(first.1))]);
    }
    let gap = gap_words(words, unit, first.1 - second.1);
    let mut text = sentence(
        "describe_largest",
        &[("first", &first.0), ("first_value", &unit.format(first.1)), ("gap", &gap), ("second", &second.0), ("second_value", &unit.format(second.1))],
    );
    if sorted.len() > 2 {
        let last = sorted[sorted.len() - 1];
        text.push_str(&sentence("describe_smallest", &[("last", &last.0), ("last_value", &unit.format(last.1))]));
    }
    text
}

/// A difference between two values: "30", or "15 percentage points" between percentages.
pub(super) fn gap_words(words: &Strings, unit: Unit, gap: f64) -> String {
    match unit.kind {
        UnitKind::Percent => words.fill("describe_points", &[("gap", &Unit { kind: UnitKind::Number, ..unit }.format(gap))]),
        _ => unit.format(gap),
    }
}

fn trend(words: &Strings, kind: &str, points: &[Point], unit: Unit) -> String {
    let known: Vec<&Point> = points.iter().filter(|p| p.value.is_some()).collect();
    let (Some(first), Some(last)) = (known.first(), known.last()) else {
        return capitalise(&words.fill("describe_no_values", &[("kind", kind)]));
    };
    let value = |p: &Point| unit.format(p.value.unwrap_or_default());
    let high = known.iter().max_by(|a, b| a.value.unwrap_or_default().total_cmp(&b.value.unwrap_or_default())).unwrap_or(first);
    let low = known.iter().min_by(|a, b| a.value.unwrap_or_default().total_cmp(&b.value.unwrap_or_default())).unwrap_or(first);
    capitalise(&words.fill(
        "describe_trend",
        &[
            ("kind", kind),
            ("first", &first.label),
            ("first_value", &value(first)),
            ("last", &last.label),
            ("last_value", &value(last)),
            ("high", &high.label),
            ("high_value", &value(high)),
            ("low", &low.label),
            ("low_value", &value(low)),
        ],
    ))
}

pub(super) fn not_reported(words: &Strings, items: Vec<String>) -> String {
    if items.is_empty() {
        String::new()
    } else {
        format!(" {}", words.fill("describe_not_reported", &[("list", &words.list(&items))]))
    }
}

/// A tile map's areas that the figure leaves out: named, or counted where they are most of
/// the map, so that a map of a few areas is not read out as a list of all the others.
fn not_in_data(figure: &Figure) -> String {
    let words = &*figure.strings;
    let tiles = figure.tiles();
    let left_out: Vec<String> = tiles.iter().filter(|(_, v)| v.is_none()).map(|(a, _)| a.shown.clone()).collect();
    if left_out.is_empty() {
        String::new()
    } else if left_out.len() >= 2 && left_out.len() * 2 > tiles.len() {
        format!(" {}", words.fill("describe_not_in_data_count", &[("count", &left_out.len().to_string())]))
    } else {
        format!(" {}", words.fill("describe_not_in_data", &[("list", &words.list(&left_out))]))
    }
}

pub(super) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn describe_yaml(yaml: &str) -> String {
        describe(&Figure::load("f", Path::new("f.yaml"), yaml).unwrap())
    }

    #[test]
    fn says_what_is_largest_and_by_how_much() {
        let text = describe_yaml("title: T\nsource: S\nchart: bar\nunit: count\ndata:\n  - {label: Durham, value: 92}\n  - {label: Cleveland, value: 62}\n  - {label: Northumbria, value: 19}\n");
        assert_eq!(
            text,
            "Bar chart: Durham 92, Cleveland 62 and Northumbria 19. The largest is Durham at 92, 30 more than Cleveland at 62. The smallest is Northumbria at 19."
        );
    }

    #[test]
    fn names_remainders_and_gaps() {
        let text = describe_yaml("title: T\nsource: S\nchart: stacked-bar\nunit: count\ncategories: [A, B]\nseries:\n  - {name: X, values: [1, 2]}\n  - {name: Y, values: [null, 3]}\ntotals: [5, 10]\n");
        assert!(text.contains("A, 5 in all: X 1 and Not recorded 4."), "{text}");
        assert!(text.contains("B, 10 in all: X 2, Y 3 and Not recorded 5."), "{text}");
        assert!(text.contains("Not reported: Y for A."), "{text}");
    }

    #[test]
    fn percent_gaps_are_points() {
        let text = describe_yaml("title: T\nsource: S\nchart: donut\nunit: percent\ntotal: 100\nremainder: Other\ndata:\n  - {label: Facebook, value: 32.6}\n  - {label: Instagram, value: 19.8}\n");
        assert!(text.starts_with("Donut chart showing parts of a whole: Facebook 32.6%, Instagram 19.8% and Other 47.6%."), "{text}");
        assert!(text.contains("The largest is Other at 47.6%, 15 percentage points more than Facebook at 32.6%."), "{text}");
    }

    #[test]
    fn a_tile_map_names_its_areas_largest_smallest_and_what_it_leaves_out() {
        let map = "title: T\nsource: S\nchart: tile-map\nlayout: police-forces-england-wales\nunit: count\ndata:\n  - {label: Durham, value: 92}\n  - {label: Cleveland, value: 62}\n  - {label: Northumbria, value: 19}\n  - {label: North Wales, value: null}\n";
        assert_eq!(
            describe_yaml(map),
            "Tile map of the police force areas of England and Wales, one tile for each, shaded by value: Durham 92, Cleveland 62 and Northumbria 19. The largest is Durham at 92, 30 more than Cleveland at 62. The smallest is Northumbria at 19. Not reported: North Wales. The other 39 areas are not in this data."
        );
        let welsh = describe(&Figure::load("f", Path::new("f.yaml"), map).unwrap().translated("cy"));
        assert!(welsh.starts_with("Mae'r map teils yn dangos ardaloedd heddlu Cymru a Lloegr, un deilsen i bob un, wedi'u lliwio yn ôl eu gwerth:"), "{welsh}");
        assert!(welsh.ends_with("Heb eu hadrodd: Gogledd Cymru. Nid yw'r data hwn yn cynnwys y 39 ardal arall."), "{welsh}");
        let most = describe_yaml(&map.replace("  - {label: North Wales, value: null}\n", ""));
        assert!(most.ends_with("The other 40 areas are not in this data."), "{most}");
    }

    #[test]
    fn welsh_figures_are_described_in_welsh_sentences() {
        let welsh = |yaml: &str| describe(&Figure::load("f", Path::new("f.yaml"), yaml).unwrap().in_language(crate::strings::Language::Welsh));
        let text = welsh("title: T\nsource: S\nchart: bar\nunit: count\ndata:\n  - {label: Gwent, value: 92}\n  - {label: Abertawe, value: 62}\n  - {label: Dyfed, value: 19}\n");
        assert_eq!(
            text,
            "Mae'r siart bar yn dangos: Gwent 92, Abertawe 62 a Dyfed 19. Y mwyaf yw Gwent, sef 92. Mae hynny 30 yn fwy na'r nesaf, Abertawe, sef 62. Y lleiaf yw Dyfed, sef 19."
        );
        let stacked = welsh("title: T\nsource: S\nchart: stacked-bar\nunit: count\ncategories: [A, B]\nseries:\n  - {name: X, values: [1, 2]}\n  - {name: Y, values: [null, 3]}\ntotals: [5, 10]\n");
        assert!(stacked.contains("A, 5 i gyd: X 1 a Heb ei gofnodi 4."), "{stacked}");
        assert!(stacked.contains("Heb eu hadrodd: Y ar gyfer A."), "{stacked}");
    }
}
