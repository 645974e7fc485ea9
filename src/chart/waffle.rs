//! The waffle chart: a grid of squares (100 unless the figure says otherwise), each part of
//! the whole given as many squares as its share, for "52 in every 100" findings. Squares are
//! shared out by the largest-remainder method, so they always add up to the grid; the parts
//! are named, with their values, in a key beside the grid or below it.

use super::canvas::{series_colours, wrap, Align, Canvas, Paint, Type, INK, LABEL, REMAINDER};
use super::describe::{capitalise, not_reported};
use crate::figure::{Figure, Point};

/// The height of a line of the key's text.
const LINE: f64 = 20.0;
/// The most lines a part's name takes in the key.
const NAME_LINES: usize = 3;
/// The grid's side at its natural size, and the most it grows into a share image's room.
const SIDE: f64 = 176.0;
const GROWTH: f64 = 48.0;
/// The narrowest the key beside the grid may be; narrower, it goes below.
const KEY: f64 = 150.0;

/// One part of the whole as drawn: its name, value, colour and squares.
pub struct Part<'a> {
    pub label: &'a str,
    pub value: f64,
    pub fill: Paint,
    pub squares: u32,
}

/// `squares` shared out between `values` (none negative) by the largest-remainder method:
/// each gets the whole squares of its exact share, and the squares left go one each to the
/// largest fractions, ties to the larger value and then to the earlier part. Values are
/// counted in hundredths (a figure's finest), as whole numbers, so no rounding error can
/// decide a tie. The result adds up to `squares` whenever any value is above zero.
pub fn allot(values: &[f64], squares: u32) -> Vec<u32> {
    let hundredths: Vec<i128> = values.iter().map(|v| (v.max(0.0) * 100.0).round() as i128).collect();
    let whole: i128 = hundredths.iter().sum();
    if whole <= 0 {
        return vec![0; values.len()];
    }
    let n = i128::from(squares);
    let mut allotted: Vec<u32> = hundredths.iter().map(|h| u32::try_from(h * n / whole).unwrap_or(0)).collect();
    let fraction = |i: usize| hundredths[i] * n % whole;
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| fraction(b).cmp(&fraction(a)).then(hundredths[b].cmp(&hundredths[a])).then(a.cmp(&b)));
    let left = squares.saturating_sub(allotted.iter().sum());
    for &i in order.iter().cycle().take(left as usize) {
        allotted[i] += 1;
    }
    allotted
}

/// The parts a waffle draws, in the file's order, then the remainder up to its total: those
/// with a value, each with its colour and squares.
pub fn parts<'a>(figure: &'a Figure, points: &'a [Point]) -> Vec<Part<'a>> {
    let colours = series_colours(&figure.colours.iter().map(|c| c.colour).collect::<Vec<_>>(), points.len());
    let mut parts: Vec<Part> =
        points.iter().zip(colours).filter_map(|(p, fill)| p.value.map(|value| Part { label: p.label.as_str(), value, fill, squares: 0 })).collect();
    if let Some(r) = figure.remainder_of(0).filter(|r| *r > 0.0) {
        parts.push(Part { label: figure.remainder.as_str(), value: r, fill: REMAINDER, squares: 0 });
    }
    let squares = allot(&parts.iter().map(|p| p.value).collect::<Vec<_>>(), figure.squares);
    for (part, n) in parts.iter_mut().zip(squares) {
        part.squares = n;
    }
    parts
}

/// The columns and rows of a grid of `n` squares: a whole rectangle where a divisor of `n`
/// gives one no more than twice as wide as tall (10 by 10, 10 by 5), else the squarest grid
/// that holds them, its last row short.
pub fn grid(n: u32) -> (u32, u32) {
    let n = n.max(1);
    let root = f64::from(n).sqrt();
    let least = root.ceil() as u32;
    let cols = (least..=n).find(|c| n.is_multiple_of(*c) && f64::from(*c) <= 2.0 * root + 1e-9).unwrap_or(least);
    (cols, n.div_ceil(cols))
}

/// Draws the waffle `w` units wide; given `extra` height (a share image), the grid grows
/// into it, as far as [`GROWTH`]. Returns the height drawn.
pub fn draw(canvas: &mut Canvas, w: f64, figure: &Figure, points: &[Point], extra: f64) -> f64 {
    let parts = parts(figure, points);
    let (cols, rows) = grid(figure.squares);
    let side = (SIDE + extra.clamp(0.0, GROWTH)).min(w);
    let cell = side / f64::from(cols);
    let gap = if cell >= 10.0 { 2.0 } else { 1.0 };
    let grid_h = cell * f64::from(rows);
    let mut fills = parts.iter().flat_map(|p| std::iter::repeat_n(p.fill, p.squares as usize));
    for i in 0..figure.squares {
        let (c, r) = (f64::from(i % cols), f64::from(i / cols));
        let fill = fills.next().unwrap_or(REMAINDER);
        canvas.rect(c * cell, r * cell, (c + 1.0) * cell - gap, (r + 1.0) * cell - gap, fill);
    }
    let beside = w >= side + 24.0 + KEY;
    let key_x = if beside { side + 24.0 } else { 0.0 };
    let key_w = w - key_x;
    let mut y = if beside { 4.0 } else { grid_h + 20.0 };
    for part in &parts {
        canvas.rect(key_x, y + 2.0, key_x + 14.0, y + 16.0, part.fill);
        for line in wrap(part.label, LABEL, false, key_w - 22.0, NAME_LINES) {
            canvas.text(&line, key_x + 22.0, y, Type { px: LABEL, bold: false, colour: INK }, Align::Start);
            y += LINE;
        }
        canvas.text(&figure.unit.format(part.value), key_x + 22.0, y, Type { px: LABEL, bold: true, colour: INK }, Align::Start);
        y += LINE + 12.0;
    }
    if beside {
        f64::max(grid_h, y - 12.0)
    } else {
        y - 12.0
    }
}

/// The waffle in words: how many squares and what one stands for, each part with its value
/// and squares, its largest and smallest parts, and what was not reported.
pub fn describe(figure: &Figure, points: &[Point]) -> String {
    let words = figure.language.words();
    let unit = figure.unit;
    let parts = parts(figure, points);
    let count = |n: u32| if n == 1 { words.get("describe_square_one") } else { words.fill("describe_squares", &[("n", &n.to_string())]) };
    let listing: Vec<String> = parts
        .iter()
        .map(|p| words.fill("describe_waffle_part", &[("label", p.label), ("value", &unit.format(p.value)), ("squares", &count(p.squares))]))
        .collect();
    let kind = words.get("chart_waffle");
    let n = figure.squares.to_string();
    let mut text = capitalise(&words.fill("describe_waffle", &[("kind", &kind), ("squares", &n), ("list", &words.list(&listing))]));
    // The first of the largest and the last of the smallest, in the file's order.
    let largest = parts.iter().rev().max_by(|a, b| a.value.total_cmp(&b.value));
    let smallest = parts.iter().rev().min_by(|a, b| a.value.total_cmp(&b.value));
    if let (Some(first), Some(last), true) = (largest, smallest, parts.len() > 1) {
        text.push(' ');
        if first.value == last.value {
            text.push_str(&words.fill("describe_all_level", &[("value", &unit.format(first.value))]));
        } else {
            text.push_str(&words.fill(
                "describe_waffle_extremes",
                &[
                    ("first", first.label),
                    ("first_value", &unit.format(first.value)),
                    ("first_squares", &count(first.squares)),
                    ("last", last.label),
                    ("last_value", &unit.format(last.value)),
                    ("last_squares", &count(last.squares)),
                ],
            ));
        }
    }
    text.push_str(&not_reported(words, points.iter().filter(|p| p.value.is_none()).map(|p| p.label.clone()).collect()));
    text
}
