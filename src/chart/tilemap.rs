//! The tile map: one equal square tile per area of a layout, coloured by its value in steps,
//! with a legend of the steps' ranges.
//!
//! [`plan`] lays the map out (where each tile stands, which words it shows and where, where
//! the legend goes) and [`draw`] draws that plan, so tests measure the same layout readers
//! see. An area the figure leaves out is "not in this data" (the background, a dashed edge)
//! and one given as `null` is "not reported" (hatched): neither is ever drawn as a value.

use super::canvas::{text_on, text_width, wrap, Align, Canvas, Paint, Type, BACKGROUND, INK, MUTED, REMAINDER, SMALL};
use crate::colour::Colour;
use crate::error::{Error, Result};
use crate::figure::{Figure, Unit};

/// The steps' colours, lightest (smallest values) first: one hue, each step darker, so that
/// order reads without telling hues apart, and every two told apart by every kind of colour
/// vision (a test holds this). A tile's edge is drawn in the muted ink, 3:1 or more against
/// the background in both modes, so even the lightest step's tile has a visible edge.
pub const STEPS: [Colour; 5] =
    [Colour(0xe1, 0xf0, 0xfb), Colour(0x98, 0xc0, 0xe0), Colour(0x59, 0x8f, 0xc6), Colour(0x11, 0x63, 0xa9), Colour(0x00, 0x39, 0x76)];

/// The gap between tiles, in chart units.
const GAP: f64 = 2.0;
/// The largest tile: a map no larger than a page's column needs.
const MAX_TILE: f64 = 64.0;
/// The room left around a tile's words, on each side.
const PAD: f64 = 2.0;
/// The height of a line of tile or legend text.
const LINE: f64 = 17.0;
/// The side of a legend swatch.
const SWATCH: f64 = 16.0;

/// What a tile stands for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fill {
    /// A value, in step `n` of the legend.
    Step(usize),
    NotReported,
    NotInData,
}

/// Words placed on the chart: their lines, top-left corner and size.
#[derive(Debug, Clone, PartialEq)]
pub struct Words {
    pub lines: Vec<String>,
    /// Left edge and top of the first line.
    pub x: f64,
    pub y: f64,
    pub px: f64,
    pub bold: bool,
    pub colour: Paint,
}

impl Words {
    /// Its box: left, top, right, bottom.
    pub fn bounds(&self) -> (f64, f64, f64, f64) {
        let width = self.lines.iter().map(|l| text_width(l, self.px, self.bold)).fold(0.0, f64::max);
        (self.x, self.y, self.x + width, self.y + self.lines.len() as f64 * LINE - (LINE - self.px))
    }
}

/// One area's tile.
#[derive(Debug, Clone, PartialEq)]
pub struct Tile {
    pub x: f64,
    pub y: f64,
    pub side: f64,
    pub fill: Fill,
    pub words: Words,
}

/// One legend entry: its swatch's corner and its words.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    pub x: f64,
    pub y: f64,
    pub fill: Fill,
    pub words: Words,
}

/// The map as laid out at one width.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub tiles: Vec<Tile>,
    pub keys: Vec<Key>,
    pub height: f64,
}

/// The legend's steps: equal ranges of round numbers from `start`, `step` wide.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Steps {
    pub start: f64,
    pub step: f64,
    pub count: usize,
}

impl Steps {
    /// At most five equal steps of a round width (1, 2, 2.5 or 5 times a power of ten, no
    /// finer than the hundredth a value is written to) that cover `values`; none for none.
    pub fn of(values: &[f64]) -> Option<Steps> {
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if !lo.is_finite() || !hi.is_finite() {
            return None;
        }
        if hi - lo < 0.01 {
            return Some(Steps { start: lo, step: 0.0, count: 1 });
        }
        let raw = ((hi - lo) / 5.0).max(0.01);
        let mut magnitude = 10f64.powf(raw.log10().floor());
        loop {
            for m in [1.0, 2.0, 2.5, 5.0] {
                let step = m * magnitude;
                let start = (lo / step).floor() * step;
                let count = ((hi - start) / step).floor() as usize + 1;
                if step >= 0.01 - 1e-12 && count <= 5 {
                    return Some(Steps { start: start + 0.0, step, count });
                }
            }
            magnitude *= 10.0;
        }
    }

    /// The step `value` falls in: each step holds its lower end, not its upper.
    pub fn of_value(&self, value: f64) -> usize {
        if self.step <= 0.0 {
            return 0;
        }
        (((value - self.start) / self.step + 1e-9).floor().max(0.0) as usize).min(self.count - 1)
    }

    /// The colour of step `n`: spread over [`STEPS`], lightest first.
    pub fn colour(&self, n: usize) -> Colour {
        if self.count <= 1 {
            return STEPS[2];
        }
        STEPS[(n * (STEPS.len() - 1) + (self.count - 1) / 2) / (self.count - 1)]
    }

    /// Step `n`'s range in words: "10 to under 20".
    fn words(&self, n: usize, figure: &Figure) -> String {
        let words = &*figure.strings;
        let unit = Unit { decimals: None, ..figure.unit };
        let from = unit.format(self.start + n as f64 * self.step);
        if self.step <= 0.0 {
            return from;
        }
        let to = unit.format(self.start + (n + 1) as f64 * self.step);
        words.fill("tile_range", &[("from", &from), ("to", &to)])
    }
}

/// The legend's entries in order: each step, then "not reported" and "not in this data"
/// where the map has them.
fn legend_entries(figure: &Figure, steps: Option<Steps>, fills: &[Fill]) -> Vec<(Fill, String)> {
    let words = &*figure.strings;
    let mut entries: Vec<(Fill, String)> = steps.map(|s| (0..s.count).map(|n| (Fill::Step(n), s.words(n, figure))).collect()).unwrap_or_default();
    if fills.contains(&Fill::NotReported) {
        entries.push((Fill::NotReported, words.get("not_reported")));
    }
    if fills.contains(&Fill::NotInData) {
        entries.push((Fill::NotInData, words.get("tile_not_in_data")));
    }
    entries
}

/// The tile's words: its name where it fits in at most two lines, else its code.
fn tile_words(name: &str, code: &str, side: f64) -> Option<(Vec<String>, bool)> {
    let room = side - 2.0 * PAD;
    let lines = wrap(name, SMALL, false, room, 2);
    let fits = |lines: &[String]| lines.iter().all(|l| !l.ends_with('…') && text_width(l, SMALL, false) <= room) && lines.len() as f64 * LINE <= room;
    if fits(&lines) {
        return Some((lines, false));
    }
    (text_width(code, SMALL, false) <= room).then(|| (vec![code.to_string()], false))
}

/// The smallest tile on which every area's code fits at reading size.
fn least_tile(figure: &Figure) -> f64 {
    figure.tiles().iter().map(|(a, _)| text_width(&a.code, SMALL, false)).fold(0.0, f64::max) + 2.0 * PAD + GAP + 0.5
}

/// Lays the map out `w` units wide. With `extra` below zero (a share image's frame), the map
/// shrinks, setting its legend beside it where that leaves larger tiles, down to the least
/// tile on which its codes read; it never grows past its natural size.
pub fn plan(figure: &Figure, w: f64, extra: f64) -> Result<Plan> {
    let Some(layout) = figure.layout.as_deref() else { return Err(Error::new("a tile map needs `layout`")) };
    let tiles = figure.tiles();
    let values: Vec<f64> = tiles.iter().filter_map(|(_, v)| v.flatten()).collect();
    let steps = Steps::of(&values);
    let fills: Vec<Fill> = tiles
        .iter()
        .map(|(_, v)| match v {
            None => Fill::NotInData,
            Some(None) => Fill::NotReported,
            Some(Some(v)) => Fill::Step(steps.map_or(0, |s| s.of_value(*v))),
        })
        .collect();
    let entries = legend_entries(figure, steps, &fills);
    let (cols, rows) = (f64::from(layout.columns), f64::from(layout.rows));
    let least = least_tile(figure);
    let widest_key = entries.iter().map(|(_, t)| SWATCH + 8.0 + text_width(t, SMALL, false)).fold(0.0, f64::max);
    let natural = (w / cols).min(MAX_TILE);
    if natural < least {
        return Err(Error::new(format!("this tile map's {} columns are too many for a chart {w} px wide: its codes do not fit their tiles", layout.columns))
            .hint("give the layout fewer columns, or its areas shorter codes"));
    }
    let below_height = |tile: f64| rows * tile + 12.0 + legend_rows(&entries, w) * (LINE + 6.0);
    let target = below_height(natural) + extra.min(0.0);
    let mut tile = natural;
    let mut beside = false;
    if extra < 0.0 {
        let legend_h = legend_rows(&entries, w) * (LINE + 6.0) + 12.0;
        let below = ((target - legend_h) / rows).min(natural);
        let beside_w = (w - widest_key - 16.0) / cols;
        let beside_tile = beside_w.min(target / rows).min(MAX_TILE);
        let beside_fits = entries.len() as f64 * (LINE + 6.0) <= (beside_tile * rows).max(target);
        beside = beside_fits && beside_tile > below && beside_tile >= least;
        tile = if beside { beside_tile } else { below.max(least) };
    }
    let map_w = cols * tile;
    let left = if beside { 0.0 } else { ((w - map_w) / 2.0).max(0.0) };
    let mut placed = Vec::new();
    for ((area, _), fill) in tiles.iter().zip(&fills) {
        let (x, y) = (left + f64::from(area.column) * tile, f64::from(area.row) * tile);
        let side = tile - GAP;
        let (lines, bold) = tile_words(&area.shown, &area.code, side).ok_or_else(|| {
            Error::new(format!("the code `{}` of `{}` is too wide for its tile, {side:.0} px, at reading size", area.code, area.name))
                .hint("give the area a shorter code in its layout")
        })?;
        let colour = match fill {
            Fill::Step(n) => text_on(Paint::literal(steps.map_or(STEPS[2], |s| s.colour(*n)))),
            Fill::NotReported => INK,
            Fill::NotInData => MUTED,
        };
        let text_h = lines.len() as f64 * LINE - (LINE - SMALL);
        let widest = lines.iter().map(|l| text_width(l, SMALL, bold)).fold(0.0, f64::max);
        let words = Words { x: x + (side - widest) / 2.0, y: y + (side - text_h) / 2.0, lines, px: SMALL, bold, colour };
        placed.push(Tile { x, y, side, fill: *fill, words });
    }
    let map_h = rows * tile - GAP;
    let (keys, legend_bottom) = if beside { legend(&entries, map_w + 16.0, w, 0.0, true) } else { legend(&entries, 0.0, w, map_h + 12.0, false) };
    Ok(Plan { tiles: placed, keys, height: map_h.max(legend_bottom) })
}

/// How many rows the legend takes across `w`.
fn legend_rows(entries: &[(Fill, String)], w: f64) -> f64 {
    let (_, bottom) = legend(entries, 0.0, w, 0.0, false);
    ((bottom + 6.0) / (LINE + 6.0)).round()
}

/// The legend's entries from (`left`, `top`): one a line when `column`, else as many a line
/// as fit between `left` and `w`. Gives them and the legend's bottom.
fn legend(entries: &[(Fill, String)], left: f64, w: f64, top: f64, column: bool) -> (Vec<Key>, f64) {
    let (mut x, mut y) = (left, top);
    let mut keys = Vec::new();
    for (fill, text) in entries {
        let lines = wrap(text, SMALL, false, (w - left - SWATCH - 8.0).max(1.0), 2);
        let item_w = SWATCH + 8.0 + lines.iter().map(|l| text_width(l, SMALL, false)).fold(0.0, f64::max);
        if x > left && (column || x + item_w > w) {
            x = left;
            y += LINE + 6.0;
        }
        let words = Words { x: x + SWATCH + 8.0, y: y + 1.0, lines, px: SMALL, bold: false, colour: INK };
        let extra_lines = words.lines.len() as f64 - 1.0;
        keys.push(Key { x, y, fill: *fill, words });
        y += extra_lines * LINE;
        x += item_w + 18.0;
    }
    let bottom = if keys.is_empty() { top } else { y + LINE };
    (keys, bottom)
}

/// Draws `figure`'s tile map `w` units wide and gives its height.
pub fn draw(canvas: &mut Canvas, w: f64, figure: &Figure, extra: f64) -> Result<f64> {
    let plan = plan(figure, w, extra)?;
    let steps = Steps::of(&figure.tiles().iter().filter_map(|(_, v)| v.flatten()).collect::<Vec<_>>());
    let paint = |fill: Fill| match fill {
        Fill::Step(n) => Paint::literal(steps.map_or(STEPS[2], |s| s.colour(n))),
        Fill::NotReported | Fill::NotInData => BACKGROUND,
    };
    for tile in &plan.tiles {
        shape(canvas, (tile.x, tile.y, tile.side), tile.fill, paint(tile.fill));
        if tile.fill == Fill::NotReported {
            // The words on a clear ground, over the hatching.
            let (l, t, r, b) = tile.words.bounds();
            canvas.rect(l - 2.0, t - 2.0, r + 2.0, b + 3.0, BACKGROUND);
        }
        write(canvas, &tile.words);
    }
    for key in &plan.keys {
        shape(canvas, (key.x, key.y + 1.0, SWATCH), key.fill, paint(key.fill));
        write(canvas, &key.words);
    }
    Ok(plan.height)
}

/// A tile or swatch: its fill, and its edge (dashed where the area is not in the data, with
/// hatching where it was not reported).
fn shape(canvas: &mut Canvas, (x, y, side): (f64, f64, f64), fill: Fill, paint: Paint) {
    canvas.rect(x, y, x + side, y + side, paint);
    if fill == Fill::NotReported {
        let mut hatching = Vec::new();
        let mut d = 6.0;
        while d < 2.0 * side {
            let (x0, y0) = if d <= side { (x, y + d) } else { (x + d - side, y + side) };
            let (x1, y1) = if d <= side { (x + d, y) } else { (x + side, y + d - side) };
            hatching.push(vec![(x0, y0), (x1, y1)]);
            d += 6.0;
        }
        canvas.path(&hatching, REMAINDER, 1, false);
    }
    let corners = vec![(x, y), (x + side, y), (x + side, y + side), (x, y + side), (x, y)];
    if fill == Fill::NotInData {
        canvas.path(&[corners], MUTED, 1, true);
    } else {
        canvas.line(&corners, MUTED, 1);
    }
}

fn write(canvas: &mut Canvas, words: &Words) {
    for (i, line) in words.lines.iter().enumerate() {
        let width = text_width(line, words.px, words.bold);
        let widest = words.lines.iter().map(|l| text_width(l, words.px, words.bold)).fold(0.0, f64::max);
        canvas.text(
            line,
            words.x + (widest - width) / 2.0,
            words.y + i as f64 * LINE,
            Type { px: words.px, bold: words.bold, colour: words.colour },
            Align::Start,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::colour::{contrast, distance, Vision};
    use std::path::Path;

    fn figure(data: &str) -> Figure {
        let text = format!("title: T\nsource: S\nchart: tile-map\nlayout: police-forces-england-wales\nunit: count\ndata:\n{data}");
        Figure::load("f", Path::new("content/figures/f.yaml"), &text).unwrap()
    }

    fn sample() -> Figure {
        figure(
            "  - { label: Durham, value: 92 }\n  - { label: Cleveland, value: 62 }\n  - { label: Northumbria, value: 19 }\n  - { label: North Wales, value: null }\n  - { label: Metropolitan Police, value: 40 }\n  - { label: Kent, value: 7 }\n",
        )
    }

    #[test]
    fn the_steps_are_told_apart_and_every_tile_has_an_edge() {
        for (i, a) in STEPS.iter().enumerate() {
            for b in &STEPS[i + 1..] {
                for vision in Vision::ALL {
                    assert!(distance(*a, *b, vision) >= crate::colour::DISTINCT, "{a} and {b} under {}", vision.name());
                }
            }
            assert!(contrast(MUTED.colour(), *a) >= 3.0 || contrast(MUTED.colour(), Colour::WHITE) >= 3.0);
            assert!(contrast(text_on(Paint::literal(*a)).colour(), *a) >= 4.5, "text on {a}");
        }
        assert!(contrast(MUTED.colour(), Colour::WHITE) >= 3.0, "the edge against the background");
        let lightness: Vec<f64> = STEPS.iter().map(|c| c.luminance()).collect();
        assert!(lightness.windows(2).all(|w| w[0] > w[1]), "darker for larger values");
    }

    #[test]
    fn steps_are_round_and_hold_every_value() {
        let s = Steps::of(&[7.0, 19.0, 40.0, 62.0, 92.0]).unwrap();
        assert_eq!((s.start, s.step, s.count), (0.0, 20.0, 5));
        assert_eq!(s.of_value(92.0), 4);
        assert_eq!(s.of_value(20.0), 1, "a step holds its lower end");
        assert_eq!(s.of_value(7.0), 0);
        let one = Steps::of(&[5.0, 5.0]).unwrap();
        assert_eq!((one.count, one.of_value(5.0)), (1, 0));
        assert_eq!(Steps::of(&[]), None);
        for values in [[0.0, 100.0], [-3.0, 7.0], [0.01, 0.02], [1.0, 999_999_999_999.0]] {
            let s = Steps::of(&values).unwrap();
            assert!(s.count <= 5 && s.start <= values[0] && s.start + s.count as f64 * s.step > values[1], "{values:?}: {s:?}");
        }
        assert_eq!(s.colour(0), STEPS[0]);
        assert_eq!(s.colour(4), STEPS[4]);
    }

    /// Every two boxes of words apart, each tile's words inside it, and all at 14 px or more.
    fn check(plan: &Plan, w: f64, what: &str) {
        let mut boxes: Vec<(f64, f64, f64, f64)> = Vec::new();
        for tile in &plan.tiles {
            let (l, t, r, b) = tile.words.bounds();
            assert!(l >= tile.x && r <= tile.x + tile.side && t >= tile.y && b <= tile.y + tile.side, "{what}: {:?} outside its tile", tile.words.lines);
            boxes.push((l, t, r, b));
        }
        for key in &plan.keys {
            let (l, t, r, b) = key.words.bounds();
            assert!(r <= w + 0.5 && b <= plan.height + 0.5, "{what}: {:?} outside the chart", key.words.lines);
            boxes.push((l, t, r, b));
            boxes.push((key.x, key.y, key.x + SWATCH, key.y + SWATCH));
        }
        for tile in &plan.tiles {
            assert!(tile.x + tile.side <= w + 0.5 && tile.y + tile.side <= plan.height + 0.5, "{what}: a tile outside the chart");
        }
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                let apart = a.2 <= b.0 || b.2 <= a.0 || a.3 <= b.1 || b.3 <= a.1;
                assert!(apart, "{what}: {a:?} overlaps {b:?}");
            }
        }
        let texts = plan.tiles.iter().map(|t| &t.words).chain(plan.keys.iter().map(|k| &k.words));
        assert!(texts.clone().all(|w| w.px >= 14.0), "{what}");
        assert_eq!(plan.keys.iter().filter(|k| matches!(k.fill, Fill::NotInData | Fill::NotReported)).count(), 2, "{what}");
    }

    #[test]
    fn words_never_overlap_and_read_at_every_band() {
        let f = sample();
        for (width, class) in crate::chart::BANDS {
            let plan = plan(&f, f64::from(width), 0.0).unwrap();
            check(&plan, f64::from(width), class);
            assert_eq!(plan.tiles.len(), 43);
        }
        let welsh = f.translated("cy");
        let plan = plan(&welsh, 430.0, 0.0).unwrap();
        check(&plan, 430.0, "Welsh");
    }

    #[test]
    fn words_never_overlap_and_read_on_every_share_image() {
        use crate::chart::image::{compose, min_text, SIZES};
        let f = sample();
        let brand = crate::chart::image::Brand::default();
        let mut drawn_in = 0;
        for size in SIZES {
            let composed = compose(&f, size, &brand).unwrap();
            // A link preview too small for the map shows the finding alone.
            let Some(at) = composed.chart else {
                assert!(size.width > size.height, "{size:?}: only a link preview leaves the chart out");
                continue;
            };
            drawn_in += 1;
            let natural = plan(&f, at.units, 0.0).unwrap().height;
            let drawn = plan(&f, at.units, at.height - natural).unwrap();
            assert!((drawn.height - at.height).abs() < 1.0, "{size:?}: the plan is the image's");
            check(&drawn, at.units, &format!("{size:?}"));
            assert!(SMALL * at.scale >= min_text(size) - 0.01, "{size:?}: text at {}", SMALL * at.scale);
        }
        assert!(drawn_in >= 2, "the square and upright images show the map");
    }

    #[test]
    fn names_show_where_they_fit_and_codes_elsewhere() {
        let f = sample();
        let wide = plan(&f, 430.0, 0.0).unwrap();
        let shown: Vec<String> = wide.tiles.iter().map(|t| t.words.lines.join(" ")).collect();
        assert!(shown.contains(&"Kent".to_string()), "{shown:?}");
        assert!(shown.contains(&"NB".to_string()), "Northumbria is too long for its tile: {shown:?}");
        let svg = crate::chart::svg(&f).unwrap();
        for words in ["Kent", "NB", "Not reported", "Not in this data", "0 to under 20", "80 to under 100"] {
            assert!(svg.contains(&format!(">\n{words}\n<")), "{words}: {svg}");
        }
    }
}
