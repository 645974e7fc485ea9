//! The chart in words: a summary generated from the data, for the SVG's `<desc>`, alt text,
//! and anyone who would rather read than look. It says what is largest and by how much, and
//! names what was not reported rather than treating it as zero.

use crate::figure::{Body, ChartKind, Figure, Point, Unit, UnitKind};

pub fn describe(figure: &Figure) -> String {
    let unit = figure.unit;
    let kind = capitalise(figure.kind.name());
    match &figure.body {
        Body::Single { points, .. } => {
            let mut parts: Vec<(String, f64)> = points.iter().filter_map(|p| p.value.map(|v| (p.label.clone(), v))).collect();
            if let Some(r) = figure.remainder_of(0).filter(|r| *r > 0.0) {
                parts.push((figure.remainder.clone(), r));
            }
            let listing = list(parts.iter().map(|(l, v)| format!("{l} {}", unit.format(*v))));
            let mut text = match figure.kind {
                ChartKind::Donut => format!("{kind} showing parts of a whole: {listing}."),
                ChartKind::Line => trend(&kind, points, unit),
                _ => format!("{kind}: {listing}."),
            };
            if figure.kind != ChartKind::Line {
                text.push_str(&largest(&parts, unit));
            }
            text.push_str(&not_reported(points.iter().filter(|p| p.value.is_none()).map(|p| p.label.clone())));
            text
        }
        Body::Multi { categories, series, .. } => {
            let names = list(series.iter().map(|s| s.name.clone()));
            let mut text = format!("{kind} of {names}, for {}.", list(categories.iter().cloned()));
            let mut wholes = Vec::new();
            for (i, category) in categories.iter().enumerate() {
                let mut parts: Vec<String> = series.iter().filter_map(|s| s.values[i].map(|v| format!("{} {}", s.name, unit.format(v)))).collect();
                let mut whole: f64 = series.iter().filter_map(|s| s.values[i]).sum();
                if let Some(r) = figure.remainder_of(i).filter(|r| *r > 0.0) {
                    parts.push(format!("{} {}", figure.remainder, unit.format(r)));
                    whole += r;
                }
                if figure.kind == ChartKind::StackedBar {
                    text.push_str(&format!(" {category}, {} in all: {}.", unit.format(whole), list(parts.into_iter())));
                } else {
                    text.push_str(&format!(" {category}: {}.", list(parts.into_iter())));
                }
                wholes.push((category.clone(), whole));
            }
            if figure.kind == ChartKind::StackedBar {
                text.push_str(&largest(&wholes, unit));
            }
            let missing =
                series.iter().flat_map(|s| categories.iter().zip(&s.values).filter(|(_, v)| v.is_none()).map(move |(c, _)| format!("{} for {c}", s.name)));
            text.push_str(&not_reported(missing));
            text
        }
    }
}

/// "X is the largest at 92, 30 more than Y (62)."
fn largest(parts: &[(String, f64)], unit: Unit) -> String {
    if parts.len() < 2 {
        return String::new();
    }
    let mut sorted: Vec<&(String, f64)> = parts.iter().collect();
    sorted.sort_by(|a, b| b.1.total_cmp(&a.1));
    let (first, second) = (sorted[0], sorted[1]);
    if first.1 == second.1 {
        return format!(" {} and {} are level at {}.", first.0, second.0, unit.format(first.1));
    }
    let gap = first.1 - second.1;
    let by = match unit.kind {
        UnitKind::Percent => format!("{} percentage points more than", Unit { kind: UnitKind::Number, ..unit }.format(gap)),
        _ => format!("{} more than", unit.format(gap)),
    };
    let mut text = format!(" The largest is {} at {}, {by} {} at {}.", first.0, unit.format(first.1), second.0, unit.format(second.1));
    if sorted.len() > 2 {
        let last = sorted[sorted.len() - 1];
        text.push_str(&format!(" The smallest is {} at {}.", last.0, unit.format(last.1)));
    }
    text
}

fn trend(kind: &str, points: &[Point], unit: Unit) -> String {
    let known: Vec<&Point> = points.iter().filter(|p| p.value.is_some()).collect();
    let (Some(first), Some(last)) = (known.first(), known.last()) else {
        return format!("{kind} with no reported values.");
    };
    let value = |p: &Point| unit.format(p.value.unwrap_or_default());
    let high = known.iter().max_by(|a, b| a.value.unwrap_or_default().total_cmp(&b.value.unwrap_or_default())).unwrap_or(first);
    let low = known.iter().min_by(|a, b| a.value.unwrap_or_default().total_cmp(&b.value.unwrap_or_default())).unwrap_or(first);
    format!(
        "{kind} from {} at {} to {} at {}. The highest is {} at {}; the lowest is {} at {}.",
        first.label,
        value(first),
        last.label,
        value(last),
        high.label,
        value(high),
        low.label,
        value(low)
    )
}

fn not_reported(items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.collect();
    if items.is_empty() {
        String::new()
    } else {
        format!(" Not reported: {}.", list(items.into_iter()))
    }
}

/// "a, b and c".
fn list(items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.collect();
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        n => format!("{} and {}", items[..n - 1].join(", "), items[n - 1]),
    }
}

fn capitalise(s: &str) -> String {
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
}
