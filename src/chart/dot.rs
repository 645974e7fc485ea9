//! The dot plot: two or more values per category compared along one axis (before and after,
//! this force and the national rate). Each category is a row with a dot per series and a
//! line between its dots; the series are named in a key with their dots' colours. Each value
//! is written by its dot where it fits: below the dots, else above them, else beside, and a
//! label that fits nowhere without overlapping another is left out (the smaller values first,
//! as the larger are placed first), for the table and description to give.

use super::canvas::{series_colours, text_width, wrap, Align, Canvas, Paint, Type, GRID, INK, LABEL, MUTED, SMALL};
use super::describe::{capitalise, gap_words, not_reported};
use super::draw::ticks;
use crate::figure::{Figure, Series};

/// The height of a line of text, and the most lines a category's name takes.
const LINE: f64 = 20.0;
const NAME_LINES: usize = 3;
/// A dot's radius.
const DOT: f64 = 6.0;
/// The least room between two labels.
const PAD: f64 = 6.0;

/// Where a value's label goes, relative to its dot.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Side {
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

/// Places the labels of one row's values, `(x, text)` by series, largest value first: each
/// at the first of centred below, centred above, then beside its dot (below, then above)
/// that stays inside `0..w` and clear of those placed before. The rest are left out.
fn place(values: &[(usize, f64, f64, String)], w: f64) -> Vec<(usize, Label)> {
    let mut order: Vec<&(usize, f64, f64, String)> = values.iter().collect();
    order.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
    let mut placed: Vec<(usize, Label)> = Vec::new();
    for (s, x, _, text) in order {
        let width = text_width(text, SMALL, true);
        let centred = (x - width / 2.0).clamp(0.0, (w - width).max(0.0));
        let candidates = [
            (centred, Side::Below),
            (centred, Side::Above),
            (x + DOT + 2.0, Side::Below),
            (x - DOT - 2.0 - width, Side::Below),
            (x + DOT + 2.0, Side::Above),
            (x - DOT - 2.0 - width, Side::Above),
        ];
        let clear = |x0: f64, side: Side| {
            x0 >= 0.0 && x0 + width <= w && placed.iter().all(|(_, l)| l.side != side || x0 + width + PAD <= l.x0 || l.x0 + l.width + PAD <= x0)
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
pub fn draw(canvas: &mut Canvas, w: f64, figure: &Figure, categories: &[String], series: &[Series], extra: f64) -> f64 {
    let colours = series_colours(&figure.colours.iter().map(|c| c.colour).collect::<Vec<_>>(), series.len());
    let items: Vec<(&str, Paint)> = series.iter().zip(&colours).map(|(s, c)| (s.name.as_str(), *c)).collect();
    let top = key(canvas, w, &items);
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for v in series.iter().flat_map(|s| s.values.iter().flatten()) {
        (lo, hi) = (lo.min(*v), hi.max(*v));
    }
    if hi - lo <= f64::EPSILON {
        hi = lo + 1.0;
    }
    let marks = ticks(lo, hi);
    let (lo, hi) = (marks[0], *marks.last().unwrap_or(&hi));
    let half = |t: f64| text_width(&figure.unit.tick(t), SMALL, false) / 2.0;
    let (left, right) = (half(lo).max(DOT + 2.0), w - half(hi).max(DOT + 2.0));
    let x_of = move |v: f64| left + (v - lo) / (hi - lo).max(f64::MIN_POSITIVE) * (right - left);
    let row_gap = 14.0 + (extra / categories.len().max(1) as f64).clamp(0.0, 14.0);

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
        let name = wrap(category, LABEL, false, w, NAME_LINES);
        let name_y = y;
        y += LINE * name.len() as f64 + 2.0;
        let band_top = y;
        let values: Vec<(usize, f64, f64, String)> =
            series.iter().enumerate().filter_map(|(s, line)| line.values[i].map(|v| (s, x_of(v), v, figure.unit.format(v)))).collect();
        let labels = place(&values, w);
        let above = labels.iter().any(|(_, l)| l.side == Side::Above);
        let below = labels.iter().any(|(_, l)| l.side == Side::Below);
        let dot_y = y + if above { SMALL + 6.0 } else { 0.0 } + DOT + 2.0;
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
                Side::Below => row.dot_y + DOT + 4.0,
                Side::Above => row.dot_y - DOT - 4.0 - SMALL,
            };
            canvas.text(&label.text, label.x0, ty, Type { px: SMALL, bold: true, colour: INK }, Align::Start);
        }
    }
    for (text, x0) in thinned(&marks, &x_of, figure, w) {
        canvas.text(&text, x0, plot_bottom + 6.0, Type { px: SMALL, bold: false, colour: MUTED }, Align::Start);
    }
    plot_bottom + 6.0 + LINE
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
    let words = figure.language.words();
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
    let missing = series
        .iter()
        .flat_map(|s| {
            categories
                .iter()
                .zip(&s.values)
                .filter(|(_, v)| v.is_none())
                .map(move |(c, _)| words.fill("describe_series_for", &[("series", &s.name), ("category", c)]))
        })
        .collect();
    text.push_str(&not_reported(words, missing));
    text
}
