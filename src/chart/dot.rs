//! The dot plot: two or more values per category compared along one axis (before and after,
//! this force and the national rate). Each category is a row with a dot per series and a
//! line between its dots; the series are named in a key with their dots' colours. Each value
//! is written by its dot where it fits: below the dots, else above them, else beside, and a
//! label that fits nowhere without overlapping another is left out (the smaller values first,
//! as the larger are placed first), for the table and description to give.

use super::annotate::Pin;
use super::canvas::{series_colours, text_width, wrap, Align, Canvas, Paint, Type, GRID, INK, LABEL, MUTED, SMALL};
use super::describe::{capitalise, gap_words, not_reported, series_not_reported};
use super::draw::{reference_rows, referenced, references_down, ticks};
use crate::error::Result;
use crate::figure::{Figure, Series};

/// The height of a line of text, and the most lines a category's name takes.
const LINE: f64 = 20.0;
const NAME_LINES: usize = 3;
/// The width from which a dot plot puts each category's name beside its row: wider than any
/// page's band, so only share images use it.
const WIDE: f64 = 480.0;
/// A dot's radius.
const DOT: f64 = 6.0;
/// The least room between two labels.
const PAD: f64 = 6.0;

/// Where a value's label goes, relative to its dot.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Side {
    /// On the dots' own line, outside the row's first or last dot.
    Inline,
    Below,
    Above,
}

/// A value's label as placed: its text, its box's left edge and width, and its side.
struct Label {
    text: String,
    x0: f64,
    width: f64,
    side: Side,
}

/// Places the labels of one row's values, `(series, x, value, text)`, largest value first:
/// each at the first of these that stays inside `from..w` and clear of those placed before:
/// on the dots' line outside the row's last (or first) dot, as "40 ●—● 58" reads; centred
/// below its dot, centred above; then beside its dot, below and then above. The rest are
/// left out, so a crowded row keeps its largest values.
fn place(values: &[(usize, f64, f64, String)], from: f64, w: f64) -> Vec<(usize, Label)> {
    let mut order: Vec<&(usize, f64, f64, String)> = values.iter().collect();
    order.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
    let first = values.iter().map(|v| v.1).fold(f64::INFINITY, f64::min);
    let last = values.iter().map(|v| v.1).fold(f64::NEG_INFINITY, f64::max);
    let mut placed: Vec<(usize, Label)> = Vec::new();
    for (s, x, _, text) in order {
        let width = text_width(text, SMALL, true);
        let centred = (x - width / 2.0).clamp(from, (w - width).max(from));
        // Off the line's ends only: a label inside the row would cover a dot or the line.
        let outside = if *x >= last {
            x + DOT + 4.0
        } else if *x <= first {
            x - DOT - 4.0 - width
        } else {
            f64::NAN
        };
        let candidates = [
            (outside, Side::Inline),
            (centred, Side::Below),
            (centred, Side::Above),
            (x + DOT + 2.0, Side::Below),
            (x - DOT - 2.0 - width, Side::Below),
            (x + DOT + 2.0, Side::Above),
            (x - DOT - 2.0 - width, Side::Above),
        ];
        let clear = |x0: f64, side: Side| {
            x0 >= from && x0 + width <= w && placed.iter().all(|(_, l)| l.side != side || x0 + width + PAD <= l.x0 || l.x0 + l.width + PAD <= x0)
        };
        if let Some(&(x0, side)) = candidates.iter().find(|(x0, side)| clear(*x0, *side)) {
            placed.push((*s, Label { text: text.clone(), x0, width, side }));
        }
    }
    placed.sort_by_key(|(s, _)| *s);
    placed
}

/// The key: each series' dot and name, in rows that wrap. Returns the y below it.
fn key(canvas: &mut Canvas, w: f64, items: &[(&str, Paint)]) -> f64 {
    let (mut x, mut y) = (0.0, 0.0);
    for (name, fill) in items {
        let name = super::canvas::fit(name, SMALL, false, w - 20.0);
        let item_w = 20.0 + text_width(&name, SMALL, false);
        if x > 0.0 && x + item_w > w {
            x = 0.0;
            y += LINE + 2.0;
        }
        canvas.circle(x + DOT + 1.0, y + 9.0, DOT, *fill);
        canvas.text(&name, x + 20.0, y + 2.0, Type { px: SMALL, bold: false, colour: INK }, Align::Start);
        x += item_w + 18.0;
    }
    y + LINE + 10.0
}

/// The tick labels along the foot, every `k`-th from the first, for the least `k` at which
/// none overlaps the next: their values, x and width.
fn thinned(marks: &[f64], x_of: &dyn Fn(f64) -> f64, figure: &Figure, w: f64) -> Vec<(String, f64)> {
    let all: Vec<(String, f64, f64)> = marks
        .iter()
        .map(|t| {
            let text = figure.unit.tick(*t);
            let width = text_width(&text, SMALL, false);
            (text, (x_of(*t) - width / 2.0).clamp(0.0, (w - width).max(0.0)), width)
        })
        .collect();
    (1..=all.len().max(1))
        .map(|k| all.iter().step_by(k).collect::<Vec<_>>())
        .find(|kept| kept.windows(2).all(|p| p[0].1 + p[0].2 + 2.0 * PAD <= p[1].1))
        .unwrap_or_default()
        .into_iter()
        .map(|(text, x0, _)| (text.clone(), *x0))
        .collect()
}

/// Draws the dot plot `w` units wide; given `extra` height (a share image), the rows part
/// further, up to twice their usual gap. Returns the height drawn.
pub fn draw<'a>(canvas: &mut Canvas, w: f64, figure: &'a Figure, categories: &[String], series: &[Series], extra: f64) -> Result<(f64, Vec<Pin<'a>>)> {
    // A series the figure does not highlight recedes, its key with it.
    let colours: Vec<Paint> = series_colours(&figure.colours.iter().map(|c| c.colour).collect::<Vec<_>>(), series.len())
        .into_iter()
        .zip(series)
        .map(|(c, s)| super::draw::key_fill(figure, c, &s.name))
        .collect();
    let items: Vec<(&str, Paint)> = series.iter().zip(&colours).map(|(s, c)| (s.name.as_str(), *c)).collect();
    let key_bottom = key(canvas, w, &items);
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for v in series.iter().flat_map(|s| s.values.iter().flatten().copied()).chain(referenced(figure)) {
        (lo, hi) = (lo.min(v), hi.max(v));
    }
    if hi - lo <= f64::EPSILON {
        hi = lo + 1.0;
    }
    let marks = ticks(lo, hi);
    let (lo, hi) = (marks[0], *marks.last().unwrap_or(&hi));
    // Where the chart is wide (a share image) and the names are short, each name sits beside
    // its row, in a column of its own, so the chart is short enough for a link preview.
    let names_w = categories.iter().map(|c| text_width(c, LABEL, false)).fold(0.0, f64::max) + 12.0;
    let beside = w >= WIDE && names_w <= w * 0.3;
    let plot = if beside { names_w } else { 0.0 };
    let half = |t: f64| text_width(&figure.unit.tick(t), SMALL, false) / 2.0;
    let (left, right) = (plot + half(lo).max(DOT + 2.0), w - half(hi).max(DOT + 2.0));
    let x_of = move |v: f64| left + (v - lo) / (hi - lo).max(f64::MIN_POSITIVE) * (right - left);
    let row_gap = if beside { 8.0 } else { 14.0 } + (extra / categories.len().max(1) as f64).clamp(0.0, 14.0);
    // Each reference's words on rows of their own above the plot, over its line or band.
    let label_rows = reference_rows(canvas, figure, w, key_bottom, &x_of)?;
    let top = label_rows.last().copied().unwrap_or(key_bottom);
    let behind = canvas.ops();

    // Laid out first, so the grid can be drawn under the rows.
    struct Row {
        name: Vec<String>,
        name_y: f64,
        dot_y: f64,
        /// The top and bottom of its dots and labels, below its name, where the grid runs.
        band: (f64, f64),
        dots: Vec<(usize, f64)>,
        labels: Vec<(usize, Label)>,
    }
    let mut rows = Vec::new();
    let mut y = top;
    for (i, category) in categories.iter().enumerate() {
        let name = if beside { vec![category.clone()] } else { wrap(category, LABEL, false, w, NAME_LINES) };
        let mut name_y = y;
        if !beside {
            y += LINE * name.len() as f64 + 2.0;
        }
        let band_top = y;
        let values: Vec<(usize, f64, f64, String)> =
            series.iter().enumerate().filter_map(|(s, line)| line.values[i].map(|v| (s, x_of(v), v, figure.unit.format(v)))).collect();
        let labels = place(&values, plot, w);
        let above = labels.iter().any(|(_, l)| l.side == Side::Above);
        let below = labels.iter().any(|(_, l)| l.side == Side::Below);
        // Beside, the name is centred on the dots, and needs room above them for its top half.
        let dot_y = y + if above { SMALL + 6.0 } else { 0.0 } + if beside { f64::max(DOT + 2.0, 10.0) } else { DOT + 2.0 };
        if beside {
            name_y = dot_y - 10.0;
        }
        y = dot_y + DOT + if below { 4.0 + SMALL + 4.0 } else { 2.0 };
        rows.push(Row { name, name_y, dot_y, band: (band_top, y), dots: values.iter().map(|(s, x, _, _)| (*s, *x)).collect(), labels });
        y += row_gap;
    }
    let plot_bottom = y - row_gap + 4.0;
    // The grid runs beside each row's dots, not through the category names above them.
    for (i, row) in rows.iter().enumerate() {
        let bottom = if i + 1 == rows.len() { plot_bottom } else { row.band.1 };
        for t in &marks {
            canvas.line(&[(x_of(*t), row.band.0), (x_of(*t), bottom)], if *t == 0.0 { MUTED } else { GRID }, 1);
        }
    }
    for row in &rows {
        for (j, line) in row.name.iter().enumerate() {
            canvas.text(line, 0.0, row.name_y + LINE * j as f64, Type { px: LABEL, bold: false, colour: INK }, Align::Start);
        }
        let xs = row.dots.iter().map(|(_, x)| *x);
        let (min, max) = (xs.clone().fold(f64::INFINITY, f64::min), xs.fold(f64::NEG_INFINITY, f64::max));
        if row.dots.len() > 1 && max > min {
            canvas.line(&[(min, row.dot_y), (max, row.dot_y)], MUTED, 3);
        }
        for (s, x) in &row.dots {
            canvas.circle(*x, row.dot_y, DOT, colours[*s]);
        }
        for (_, label) in &row.labels {
            let ty = match label.side {
                Side::Inline => row.dot_y - SMALL / 2.0,
                Side::Below => row.dot_y + DOT + 4.0,
                Side::Above => row.dot_y - DOT - 4.0 - SMALL,
            };
            canvas.text(&label.text, label.x0, ty, Type { px: SMALL, bold: true, colour: INK }, Align::Start);
        }
    }
    for (text, x0) in thinned(&marks, &x_of, figure, w) {
        canvas.text(&text, x0, plot_bottom + 6.0, Type { px: SMALL, bold: false, colour: MUTED }, Align::Start);
    }
    references_down(canvas, figure, &label_rows, &x_of, plot_bottom, behind);
    let rows_top = label_rows.last().copied().unwrap_or(key_bottom);
    let dot = |label: &str, name: Option<&str>| {
        let i = categories.iter().position(|c| c == label)?;
        let row = &rows[i];
        let s = match name {
            Some(name) => series.iter().position(|s| s.name == name)?,
            // The category's row: its last dot.
            None => row.dots.iter().max_by(|a, b| a.1.total_cmp(&b.1))?.0,
        };
        row.dots.iter().find(|d| d.0 == s).map(|d| (d.1, row.dot_y))
    };
    let pins = super::annotate::pins(figure, w, dot, |v| (x_of(v), rows_top));
    Ok((plot_bottom + 6.0 + LINE, pins))
}

/// A value as the description names it: the series and category it belongs to.
struct Value<'a> {
    series: &'a str,
    category: &'a str,
    value: f64,
}

/// The dot plot in words: its series and categories, each category's values, the largest and
/// smallest value, the biggest gap within a category, and what was not reported.
pub fn describe(figure: &Figure, categories: &[String], series: &[Series]) -> String {
    let words = &*figure.strings;
    let unit = figure.unit;
    let kind = words.get("chart_dot");
    let names = words.list(&series.iter().map(|s| s.name.clone()).collect::<Vec<_>>());
    let mut text = capitalise(&words.fill("describe_series", &[("kind", &kind), ("series", &names), ("categories", &words.list(categories))]));
    // The category with the widest gap, its largest and its smallest value; the first of equals.
    let mut widest: Option<(f64, &Value, &Value)> = None;
    let mut rows: Vec<Vec<Value>> = Vec::new();
    for (i, category) in categories.iter().enumerate() {
        let row: Vec<Value> = series.iter().filter_map(|s| s.values[i].map(|value| Value { series: &s.name, category, value })).collect();
        if !row.is_empty() {
            let list: Vec<String> = row.iter().map(|v| format!("{} {}", v.series, unit.format(v.value))).collect();
            text.push(' ');
            text.push_str(&words.fill("describe_category", &[("category", category), ("list", &words.list(&list))]));
        }
        rows.push(row);
    }
    for row in &rows {
        let high = row.iter().rev().max_by(|a, b| a.value.total_cmp(&b.value));
        let low = row.iter().rev().min_by(|a, b| a.value.total_cmp(&b.value));
        if let (Some(high), Some(low), true) = (high, low, row.len() > 1) {
            if widest.is_none_or(|(gap, _, _)| high.value - low.value > gap) {
                widest = Some((high.value - low.value, high, low));
            }
        }
    }
    let all: Vec<&Value> = rows.iter().flatten().collect();
    let named = |v: &Value| words.fill("describe_series_for", &[("series", v.series), ("category", v.category)]);
    let high = all.iter().copied().rev().max_by(|a, b| a.value.total_cmp(&b.value));
    let low = all.iter().copied().rev().min_by(|a, b| a.value.total_cmp(&b.value));
    if let (Some(high), Some(low)) = (high, low) {
        text.push(' ');
        text.push_str(&words.fill(
            "describe_dot_extremes",
            &[("high", &named(high)), ("high_value", &unit.format(high.value)), ("low", &named(low)), ("low_value", &unit.format(low.value))],
        ));
    }
    match widest {
        Some((gap, high, low)) if gap > 0.0 => {
            text.push(' ');
            text.push_str(&words.fill(
                "describe_dot_gap",
                &[
                    ("category", high.category),
                    ("gap", &gap_words(words, unit, gap)),
                    ("high", high.series),
                    ("high_value", &unit.format(high.value)),
                    ("low", low.series),
                    ("low_value", &unit.format(low.value)),
                ],
            ));
        }
        Some(_) => {
            text.push(' ');
            text.push_str(&words.get("describe_dot_level"));
        }
        None => {}
    }
    text.push_str(&not_reported(words, series_not_reported(words, categories, series)));
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::layout::assert_readable;
    use crate::figure::Body;
    use std::path::Path;

    fn load(yaml: &str) -> crate::error::Result<Figure> {
        Figure::load("d", Path::new("content/figures/d.yaml"), yaml)
    }

    fn dot(rest: &str) -> Figure {
        load(&format!("title: T\nsource: S\nchart: dot\n{rest}")).unwrap()
    }

    fn body(figure: &Figure) -> (&[String], &[Series]) {
        match &figure.body {
            Body::Multi { categories, series, .. } => (categories, series),
            Body::Single { .. } => panic!("a dot plot has several series"),
        }
    }

    fn labels(values: &[(f64, &str)], w: f64) -> Vec<(usize, f64, Side)> {
        let values: Vec<(usize, f64, f64, String)> =
            values.iter().enumerate().map(|(s, (x, t))| (s, *x, t.replace(',', "").parse().unwrap(), t.to_string())).collect();
        place(&values, 0.0, w).into_iter().map(|(s, l)| (s, l.x0, l.side)).collect()
    }

    #[test]
    fn a_highlighted_series_keeps_its_colour_and_the_others_recede() {
        let figure =
            dot("unit: count\ncategories: [A, B]\nhighlight: [After]\nseries:\n  - { name: Before, values: [1, 2] }\n  - { name: After, values: [3, 4] }\n");
        let svg = crate::chart::svg(&figure).unwrap();
        let hex = |c: crate::colour::Colour| format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2);
        assert!(svg.contains(&hex(crate::colour::receded(super::super::canvas::colour(0).colour()))), "Before recedes");
        assert!(svg.contains(&hex(super::super::canvas::colour(1).colour())) && !svg.contains(&hex(super::super::canvas::colour(0).colour())));
        assert!(load("title: T\nsource: S\nchart: dot\nunit: count\ncategories: [A, B]\nhighlight: [A]\nseries:\n  - { name: X, values: [1, 2] }\n  - { name: Y, values: [3, 4] }\n").is_err(), "a dot plot highlights series, not rows");
    }

    #[test]
    fn labels_that_would_collide_move_or_the_smaller_is_left_out() {
        // Room on the line: each outside its end of the row, "10 ●—● 90".
        let apart = labels(&[(50.0, "10"), (250.0, "90")], 300.0);
        assert!(apart.iter().all(|(_, _, side)| *side == Side::Inline), "{apart:?}");
        assert!(apart[0].1 < 50.0 && apart[1].1 > 250.0, "{apart:?}");
        // Five at one place: the largest on the line, the next below and above; the two
        // smallest fit nowhere clear of them, and are left out.
        let crowded = labels(&[(150.0, "50"), (150.0, "51"), (150.0, "52"), (150.0, "53"), (150.0, "49")], 300.0);
        assert_eq!(crowded.iter().map(|l| (l.0, l.2)).collect::<Vec<_>>(), vec![(1, Side::Above), (2, Side::Below), (3, Side::Inline)], "{crowded:?}");
        // The same input, the same placing.
        assert_eq!(crowded, labels(&[(150.0, "50"), (150.0, "51"), (150.0, "52"), (150.0, "53"), (150.0, "49")], 300.0));
        // Three close together: the middle one goes below, and its neighbours on the line.
        let three = labels(&[(100.0, "1,000"), (130.0, "1,001"), (160.0, "1,002")], 300.0);
        assert_eq!(three.iter().map(|l| l.2).collect::<Vec<_>>(), vec![Side::Inline, Side::Below, Side::Inline], "{three:?}");
        // At the edge, a label is kept inside the chart.
        let edge = labels(&[(299.0, "123,456")], 300.0);
        assert_eq!((edge[0].1, edge[0].2), (300.0 - text_width("123,456", SMALL, true), Side::Below));
    }

    #[test]
    fn text_is_clear_and_readable_at_every_band_and_image_size() {
        let cases = [
            dot("unit: count\ncategories: [North Testshire, South Testshire, East Fixtureland]\nseries:\n  - { name: Year one, values: [40, 12, 75] }\n  - { name: Year two, values: [58, 14, 103] }\n  - { name: Test average, values: [50, 50, null] }\n"),
            // Values that meet: labels must make way.
            dot("unit: percent\ncategories: [A place with a long name that wraps at a narrow width, B]\nseries:\n  - { name: Before, values: [50, 10.5] }\n  - { name: After, values: [50.1, 10.4] }\n  - { name: National, values: [49.9, 10.6] }\n  - { name: Regional, values: [50.2, 10.5] }\n"),
            dot("unit: count\ncategories: [A, B, C, D, E, F]\nseries:\n  - { name: Here, values: [-1200, 3400000, 2, 0, 17, 900] }\n  - { name: There, values: [1300, 3500000, 3, 0, null, 1000] }\n"),
        ];
        for (i, f) in cases.iter().enumerate() {
            let (categories, series) = body(f);
            let counts = assert_readable(f, &|canvas, w, extra| draw(canvas, w, f, categories, series, extra).unwrap().0);
            // Three rows fit a link preview, their names beside them.
            assert!(i > 0 || counts.iter().all(Option::is_some), "{counts:?}");
        }
    }

    #[test]
    fn draws_a_dot_per_value_and_a_line_between_them() {
        let f = dot("unit: count\ncategories: [A, B]\nseries:\n  - { name: Before, values: [10, 20] }\n  - { name: After, values: [30, null] }\n");
        let svg = crate::chart::svg(&f).unwrap();
        // Three dots and two in the key.
        assert_eq!(svg.matches("<circle").count(), 5, "{svg}");
        // One line joins A's dots; B has one dot, so none.
        assert_eq!(svg.matches("stroke-width=\"3\"").count(), 1, "{svg}");
        for text in ["Before", "After", "10", "30", "20"] {
            assert!(svg.contains(&format!(">\n{text}\n</text>")), "{text}: {svg}");
        }
    }

    #[test]
    fn the_description_names_the_extremes_and_the_biggest_gap() {
        let f = dot("unit: percent\ncategories: [North, South]\nseries:\n  - { name: This force, values: [40, 12] }\n  - { name: National, values: [58, 14] }\n  - { name: Region, values: [50, null] }\n");
        assert_eq!(
            crate::chart::describe(&f),
            "Dot plot of This force, National and Region, for North and South. North: This force 40%, National 58% and Region 50%. South: This force 12% and National 14%. The largest value is National for North at 58%; the smallest is This force for South at 12%. The biggest gap is in North: 18 percentage points between National at 58% and This force at 40%. Not reported: Region for South."
        );
        assert_eq!(
            crate::chart::describe(&f.in_language(crate::strings::Language::Welsh)),
            "Mae'r plot dotiau yn dangos This force, National a Region, ar gyfer North a South. North: This force 40%, National 58% a Region 50%. South: This force 12% a National 14%. Y gwerth mwyaf yw National ar gyfer North, sef 58%; y lleiaf yw This force ar gyfer South, sef 12%. Mae'r bwlch mwyaf ar gyfer North, sef 18 pwynt canran: National, 58%; This force, 40%. Heb eu hadrodd: Region ar gyfer South."
        );
        let level = dot("unit: count\ncategories: [A]\nseries:\n  - { name: X, values: [3] }\n  - { name: Y, values: [3] }\n");
        assert!(crate::chart::describe(&level).ends_with("In every category the values are level."), "{}", crate::chart::describe(&level));
    }

    #[test]
    fn the_table_and_csv_hold_every_value_and_leave_gaps_unreported() {
        let f = dot("unit: count\ncategories: [A, B]\nseries:\n  - { name: Before, values: [10, 20] }\n  - { name: After, values: [30, null] }\n");
        let table = crate::data::Table::of(&f);
        assert_eq!(table.columns[1..], ["Before".to_string(), "After".to_string()]);
        let rows: Vec<(&str, Vec<&str>)> = table.rows.iter().map(|r| (r.label.as_str(), r.cells.iter().map(String::as_str).collect())).collect();
        assert_eq!(rows, vec![("A", vec!["10", "30"]), ("B", vec!["20", "not reported"])]);
        let csv = table.csv();
        assert!(csv.contains("A,10,30") && (csv.contains("B,20,\r\n") || csv.contains("B,20,\n")), "{csv:?}");
    }

    #[test]
    fn dot_plots_are_checked_with_the_line_and_a_hint() {
        let refused = |rest: &str, line: usize, message: &str, hint: &str| {
            let e = load(&format!("title: T\nsource: S\n{rest}")).err().unwrap_or_else(|| panic!("{rest} was accepted"));
            assert!(e.message().contains(message), "{e:?}");
            assert!(e.hint_text().is_some_and(|h| h.contains(hint)), "{e:?}");
            assert_eq!(e.location().and_then(|l| l.line).map(|(l, _, _)| l), Some(line), "{e:?}");
        };
        refused("chart: dot\nunit: count\ndata:\n  - { label: A, value: 3 }\n", 5, "needs `categories` and `series`", "as a `series`");
        refused("chart: dot\nunit: count\ncategories: [A]\nseries:\n  - { name: X, values: [1] }\n", 6, "this figure has one series", "chart: bar");
        refused(
            "chart: dot\nunit: count\ncategories: [A]\nseries:\n  - { name: X, values: [1] }\n  - { name: Y, values: [2] }\ntotals: [5]\n",
            9,
            "cannot show a remainder",
            "waffle",
        );
        refused(
            "chart: dot\nunit: count\nsquares: 100\ncategories: [A]\nseries:\n  - { name: X, values: [1] }\n  - { name: Y, values: [2] }\n",
            5,
            "a dot plot has no squares",
            "chart: waffle",
        );
    }
}
