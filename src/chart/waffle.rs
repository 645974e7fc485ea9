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
/// The grid's side at its natural size, the most it grows into a share image's room, and the
/// most it shrinks where a share image has less room than that (so its key stays readable).
const SIDE: f64 = 176.0;
const GROWTH: f64 = 48.0;
const SHRINK: f64 = 56.0;
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
    let mut parts: Vec<Part> = points
        .iter()
        .zip(colours)
        .filter_map(|(p, fill)| {
            p.value.map(|value| Part { label: p.label.as_str(), value, fill: super::draw::mark_fill(figure, fill, "", &p.label), squares: 0 })
        })
        .collect();
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
    let side = (SIDE + extra.clamp(-SHRINK, GROWTH)).min(w);
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
    let words = &*figure.strings;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::layout::assert_readable;
    use crate::figure::Body;
    use std::path::Path;

    fn load(yaml: &str) -> crate::error::Result<Figure> {
        Figure::load("w", Path::new("content/figures/w.yaml"), yaml)
    }

    fn waffle(rest: &str) -> Figure {
        load(&format!("title: T\nsource: S\nchart: waffle\n{rest}")).unwrap()
    }

    fn points(figure: &Figure) -> &[Point] {
        match &figure.body {
            Body::Single { points, .. } => points,
            Body::Multi { .. } => panic!("a waffle has one series"),
        }
    }

    #[test]
    fn a_highlighted_part_keeps_its_colour_and_the_rest_recede() {
        let text = "title: T\nsource: S\nchart: waffle\nunit: percent\ntotal: 100\nremainder: Rest\nhighlight: [A]\ndata:\n  - { label: A, value: 52 }\n  - { label: B, value: 20 }\n";
        let figure = Figure::load("w", std::path::Path::new("w.yaml"), text).unwrap();
        let Body::Single { points, .. } = &figure.body else { panic!() };
        let fills: Vec<_> = parts(&figure, points).iter().map(|p| p.fill).collect();
        assert_eq!(fills[0], super::super::canvas::colour(0));
        assert_eq!(fills[1], Paint::literal(crate::colour::receded(super::super::canvas::colour(1).colour())));
        assert_eq!(fills[2], REMAINDER, "the remainder stays grey");
        assert!(super::super::describe(&figure).ends_with("The chart highlights A."));
    }

    #[test]
    fn squares_are_allotted_by_largest_remainder_and_add_up() {
        // 52.4 + 18.3 + 0.3 + 29: the one square left goes to the largest fraction, 0.4.
        assert_eq!(allot(&[52.4, 18.3, 0.3, 29.0], 100), vec![53, 18, 0, 29]);
        // A part that rounds to nothing gets no square when its fraction is not the largest.
        assert_eq!(allot(&[99.6, 0.4], 100), vec![100, 0]);
        // But gets one when it is.
        assert_eq!(allot(&[90.4, 9.1, 0.5], 100), vec![90, 9, 1]);
        // Equal fractions: the larger value first, then the earlier part.
        assert_eq!(allot(&[1.0, 1.0, 1.0], 100), vec![34, 33, 33]);
        assert_eq!(allot(&[0.5, 1.5], 10), vec![2, 8]);
        assert_eq!(allot(&[1.5, 0.5], 10), vec![8, 2]);
        assert_eq!(allot(&[2.0, 1.0, 1.0], 10), vec![5, 3, 2]);
        // Nothing to share by: no squares, rather than a division by zero.
        assert_eq!(allot(&[0.0, 0.0], 100), vec![0, 0]);
        assert_eq!(allot(&[], 100), Vec::<u32>::new());
        // Any values, any grid: the squares add up exactly.
        for n in [10, 37, 100, 400] {
            for values in [vec![33.33, 33.33, 33.34], vec![0.01, 999_999_999_999.99], vec![7.0; 13], vec![12.5, 0.0, 87.5], vec![0.3, 0.3, 0.4]] {
                let got = allot(&values, n);
                assert_eq!(got.iter().sum::<u32>(), n, "{values:?} in {n}: {got:?}");
                // Each part is within one square of its exact share.
                let whole: f64 = values.iter().sum();
                for (v, g) in values.iter().zip(&got) {
                    assert!((f64::from(*g) - v / whole * f64::from(n)).abs() < 1.0, "{values:?} in {n}: {got:?}");
                }
            }
        }
    }

    #[test]
    fn grids_are_whole_rectangles_where_they_can_be() {
        assert_eq!(grid(100), (10, 10));
        assert_eq!(grid(50), (10, 5));
        assert_eq!(grid(10), (5, 2));
        assert_eq!(grid(400), (20, 20));
        // A prime: the squarest grid that holds it, its last row short.
        assert_eq!(grid(97), (10, 10));
        for n in 10..=400 {
            let (cols, rows) = grid(n);
            assert!(cols * rows >= n && cols * (rows - 1) < n && cols >= rows, "{n}: {cols} by {rows}");
        }
    }

    #[test]
    fn draws_every_square_in_its_parts_colours() {
        let f = waffle("unit: percent\ntotal: 100\ndata:\n  - { label: Yes, value: 52 }\n  - { label: No, value: 40 }\n");
        let svg = crate::chart::svg(&f).unwrap();
        // 100 squares and a key swatch for each of three parts (the remainder is the third).
        assert_eq!(svg.matches("<rect").count(), 103, "{svg}");
        let blue = format!("fill=\"#{:02X}", crate::colour::PALETTE[0].0);
        assert_eq!(svg.matches(&blue).count(), 52 + 1, "{svg}");
        assert_eq!(svg.matches("fill=\"#8A8A8A\"").count(), 8 + 1, "the remainder grey");
        for text in ["Yes", "52%", "No", "40%", "Not recorded", "8%"] {
            assert!(svg.contains(&format!(">\n{text}\n</text>")), "{text}: {svg}");
        }
        let fifty = waffle("unit: count\nsquares: 50\ndata:\n  - { label: A, value: 3 }\n  - { label: B, value: 1 }\n");
        assert_eq!(crate::chart::svg(&fifty).unwrap().matches("<rect").count(), 52);
    }

    #[test]
    fn text_is_clear_and_readable_at_every_band_and_image_size() {
        let long = "A part with a long name that wraps onto a second line in the key";
        let cases = [
            waffle("unit: percent\ntotal: 100\ndata:\n  - { label: Yes, value: 52 }\n"),
            waffle(&format!("unit: count\nsquares: 400\ndata:\n  - {{ label: {long}, value: 1234 }}\n  - {{ label: B, value: 2 }}\n  - {{ label: C, value: 0 }}\n  - {{ label: D, value: null }}\n")),
            waffle("unit: percent\nsquares: 10\ndata:\n  - { label: A, value: 20 }\n  - { label: B, value: 20 }\n  - { label: C, value: 20 }\n  - { label: D, value: 20 }\n  - { label: E, value: 20 }\n"),
        ];
        for f in &cases {
            let counts = assert_readable(f, &|canvas, w, extra| draw(canvas, w, f, points(f), extra));
            // Every drawn part has its name and value in every layout.
            let parts = parts(f, points(f)).len();
            assert!(counts.iter().all(|c| c.is_some_and(|c| c >= 2 * parts)), "{counts:?}");
        }
    }

    #[test]
    fn the_description_says_what_a_square_is_and_names_the_largest_and_smallest() {
        let f = waffle("unit: percent\ntotal: 100\nremainder: Other\ndata:\n  - { label: Fixture app, value: 52.4 }\n  - { label: Test network, value: 18.3 }\n  - { label: Sample site, value: 0.3 }\n  - { label: Unknown, value: null }\n");
        assert_eq!(
            crate::chart::describe(&f),
            "Waffle chart of 100 squares, each square 1 in 100: Fixture app 52.4% (53 squares), Test network 18.3% (18 squares), Sample site 0.3% (0 squares) and Other 29% (29 squares). The largest part is Fixture app at 52.4% (53 squares); the smallest is Sample site at 0.3% (0 squares). Not reported: Unknown."
        );
        let welsh = f.in_language(crate::strings::Language::Welsh);
        assert_eq!(
            crate::chart::describe(&welsh),
            "Mae'r siart sgwariau yn dangos 100 sgwâr, a phob sgwâr yn 1 ym mhob 100: Fixture app 52.4% (53 sgwâr), Test network 18.3% (18 sgwâr), Sample site 0.3% (0 sgwâr) ac Other 29% (29 sgwâr). Y rhan fwyaf yw Fixture app, sef 52.4% (53 sgwâr); y lleiaf yw Sample site, sef 0.3% (0 sgwâr). Heb eu hadrodd: Unknown."
        );
        let one = waffle("unit: count\nsquares: 20\ndata:\n  - { label: A, value: 19 }\n  - { label: B, value: 1 }\n");
        assert!(crate::chart::describe(&one).contains("B 1 (1 square)"), "{}", crate::chart::describe(&one));
        let level = waffle("unit: count\ndata:\n  - { label: A, value: 5 }\n  - { label: B, value: 5 }\n");
        assert!(crate::chart::describe(&level).ends_with("Every part is the same size, 5."), "{}", crate::chart::describe(&level));
    }

    #[test]
    fn the_table_and_csv_hold_every_part_the_remainder_and_the_total() {
        let f = waffle("unit: percent\ntotal: 100\nremainder: Other\ndata:\n  - { label: Yes, value: 52.4 }\n  - { label: Tiny, value: 0.3 }\n  - { label: Unknown, value: null }\n");
        let table = crate::data::Table::of(&f);
        let rows: Vec<(&str, &str)> = table.rows.iter().map(|r| (r.label.as_str(), r.cells[0].as_str())).collect();
        assert_eq!(rows, vec![("Yes", "52.4%"), ("Tiny", "0.3%"), ("Unknown", "not reported"), ("Other", "47.3%"), ("Total", "100%")]);
        let csv = table.csv();
        assert!(csv.contains("Yes,52.4\r\n") || csv.contains("Yes,52.4\n"), "{csv}");
        assert!(csv.contains("Tiny,0.3") && csv.contains("Other,47.3"), "a part without a square is still in the data: {csv}");
    }

    #[test]
    fn waffles_are_checked_with_the_line_and_a_hint() {
        let refused = |rest: &str, line: usize, message: &str, hint: &str| {
            let e = load(&format!("title: T\nsource: S\n{rest}")).err().unwrap_or_else(|| panic!("{rest} was accepted"));
            assert!(e.message().contains(message), "{e:?}");
            assert!(e.hint_text().is_some_and(|h| h.contains(hint)), "{e:?}");
            assert_eq!(e.location().and_then(|l| l.line).map(|(l, _, _)| l), Some(line), "{e:?}");
        };
        let data = "data:\n  - { label: A, value: 3 }\n";
        refused(&format!("chart: waffle\nunit: count\nsquares: 5\n{data}"), 5, "from 10 to 400", "squares: 100");
        refused(&format!("chart: waffle\nunit: count\nsquares: 401\n{data}"), 5, "from 10 to 400", "squares: 100");
        refused(&format!("chart: waffle\nunit: count\nsquares: 12.5\n{data}"), 5, "whole number", "squares: 100");
        refused(&format!("chart: bar\nunit: count\nsquares: 100\n{data}"), 5, "a bar chart has no squares", "chart: waffle");
        refused("chart: waffle\nunit: count\ncategories: [A]\nseries:\n  - { name: X, values: [1] }\n", 6, "a waffle chart shows one series", "dot");
        refused(
            "chart: waffle\nunit: count\ndata:\n  - { label: A, value: 0 }\n  - { label: B, value: null }\n",
            5,
            "no value here is above zero",
            "above zero",
        );
        refused("chart: waffle\nunit: count\ndata:\n  - { label: A, value: -3 }\n", 6, "negative", "parts of a whole");
        refused("chart: waffle\nunit: count\ntotal: 2\ndata:\n  - { label: A, value: 3 }\n", 5, "more than the total", "whole");
        let e = load(&format!("title: T\nsource: S\nchart: wafle\nunit: count\n{data}")).err().unwrap();
        assert!(e.hint_text().is_some_and(|h| h.contains("waffle")), "{e:?}");
    }
}
