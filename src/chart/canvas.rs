//! The drawing surface every chart kind uses: plotters' SVG backend, the embedded Inter font,
//! the palette, and text measured with the real glyph advances so labels fit.

use crate::colour::{self, contrast, Colour, PALETTE};
use crate::error::{Error, Result};
use ab_glyph::{Font, FontRef, GlyphId};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::sync::OnceLock;

/// The font family written into the SVG; the page's CSS loads Inter under this name.
pub const FAMILY: &str = "Inter, sans-serif";
pub use crate::fonts::{BOLD, REGULAR};

/// A colour as a chart uses it: the colour itself, and, for the colours that dark mode
/// changes, the CSS custom property that carries it in a page (see `static/style.css`, the
/// section "Charts: colours"). Standalone SVGs and PNGs keep the colour itself: resvg and
/// image viewers do not read custom properties.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Paint {
    pub rgb: RGBColor,
    pub var: Option<&'static str>,
}

impl Paint {
    pub const fn literal(c: Colour) -> Paint {
        Paint { rgb: RGBColor(c.0, c.1, c.2), var: None }
    }

    const fn themed(c: Colour, var: &'static str) -> Paint {
        Paint { rgb: RGBColor(c.0, c.1, c.2), var: Some(var) }
    }

    pub fn colour(self) -> Colour {
        Colour(self.rgb.0, self.rgb.1, self.rgb.2)
    }
}

/// The custom property of each built-in series colour, in palette order.
const SERIES: [&str; 8] = ["--chart-s0", "--chart-s1", "--chart-s2", "--chart-s3", "--chart-s4", "--chart-s5", "--chart-s6", "--chart-s7"];

/// The "not recorded" remainder: grey, 3:1 against white and against the dark background.
pub const REMAINDER: Paint = Paint::literal(colour::REMAINDER);
pub const INK: Paint = Paint::themed(Colour(0x1a, 0x1a, 0x1a), "--chart-ink");
pub const MUTED: Paint = Paint::themed(Colour(0x4d, 0x4d, 0x4d), "--chart-muted");
pub const GRID: Paint = Paint::themed(Colour(0xd9, 0xd9, 0xd9), "--chart-grid");
/// The chart's background, where a line is drawn to part two shapes.
/// A reference band or a shaded period, behind the marks: light enough that marks and words
/// on it keep their contrast.
pub const BAND: Paint = Paint::themed(Colour(0xF2, 0xF3, 0xF5), "--chart-band");
pub const BACKGROUND: Paint = Paint::themed(Colour::WHITE, "--chart-bg");
/// Text on a built-in series colour, which dark mode makes lighter.
const ON_SERIES: Paint = Paint::themed(Colour::WHITE, "--chart-on-series");

/// The built-in series colour `i` (repeating after the last).
pub fn colour(i: usize) -> Paint {
    let at = i % PALETTE.len();
    Paint::themed(PALETTE[at], SERIES[at])
}

/// The colours of a chart's series, in order: the figure's own where it sets them, else the
/// built-in palette's.
pub fn series_colours(set: &[Colour], count: usize) -> Vec<Paint> {
    (0..count).map(|i| set.get(i).map_or_else(|| colour(i), |c| Paint::literal(*c))).collect()
}

/// How a piece of chart text is set: its size in pixels, its weight and its colour.
#[derive(Debug, Clone, Copy)]
pub struct Type {
    pub px: f64,
    pub bold: bool,
    pub colour: Paint,
}

/// The text colour with the better contrast on `fill`. It is never themed but on a themed
/// series colour: text on a shape must follow that shape's colour, not the page's.
pub fn text_on(fill: Paint) -> Paint {
    if fill.var.is_some_and(|v| SERIES.contains(&v)) {
        return ON_SERIES;
    }
    let ink = INK.colour();
    if contrast(fill.colour(), Colour::WHITE) >= contrast(fill.colour(), ink) {
        Paint::literal(Colour::WHITE)
    } else {
        Paint::literal(ink)
    }
}

/// Text sizes in pixels, as they appear in the SVG. A page shows a chart at between 1 and
/// [`super::MAX_SCALE`] times its size, so its text is read at 14 px or more and never
/// larger than the chart's title.
pub const LABEL: f64 = 15.0;
pub const SMALL: f64 = 14.0;

fn fonts() -> &'static Result<(FontRef<'static>, FontRef<'static>)> {
    static FONTS: OnceLock<Result<(FontRef<'static>, FontRef<'static>)>> = OnceLock::new();
    FONTS.get_or_init(|| {
        let damaged = crate::fonts::damaged;
        for family in [FAMILY, "sans-serif"] {
            plotters::style::register_font(family, FontStyle::Normal, REGULAR).map_err(|_| damaged())?;
            plotters::style::register_font(family, FontStyle::Bold, BOLD).map_err(|_| damaged())?;
        }
        let regular = FontRef::try_from_slice(REGULAR).map_err(|_| damaged())?;
        let bold = FontRef::try_from_slice(BOLD).map_err(|_| damaged())?;
        Ok((regular, bold))
    })
}

/// Measures text set in Inter at one size and weight, a character at a time, in font units
/// (whole numbers, so sums are exact in any order): a line can be extended, broken or cut
/// without measuring it again.
struct Ruler {
    font: Option<&'static FontRef<'static>>,
    units: f64,
    px: f64,
}

impl Ruler {
    fn new(px: f64, bold: bool) -> Ruler {
        match fonts() {
            Ok((regular, bold_font)) => {
                let font = if bold { bold_font } else { regular };
                Ruler { font: Some(font), units: f64::from(font.units_per_em().unwrap_or(2048.0)), px }
            }
            Err(_) => Ruler { font: None, units: 1.0, px },
        }
    }

    /// The advance of `c` after the glyph `prev`, with their kerning, and `c`'s glyph.
    fn step(&self, prev: Option<GlyphId>, c: char) -> (f64, Option<GlyphId>) {
        let Some(font) = self.font else { return (0.6, None) };
        let id = font.glyph_id(c);
        let kern = prev.map_or(0.0, |p| f64::from(font.kern_unscaled(p, id)));
        (f64::from(font.h_advance_unscaled(id)) + kern, Some(id))
    }

    /// `units` in pixels.
    fn px(&self, units: f64) -> f64 {
        units / self.units * self.px
    }

    /// The width of `text` after `prev`, in units, and its last glyph.
    fn measure(&self, prev: Option<GlyphId>, text: &str) -> (f64, Option<GlyphId>) {
        text.chars().fold((0.0, prev), |(width, prev), c| {
            let (advance, id) = self.step(prev, c);
            (width + advance, id)
        })
    }
}

/// The width in pixels of `text` set at `px` in Inter, with kerning.
pub fn text_width(text: &str, px: f64, bold: bool) -> f64 {
    let ruler = Ruler::new(px, bold);
    ruler.px(ruler.measure(None, text).0)
}

/// A word wider than a line by up to this many lines is kept whole and overflows it: a reader
/// would rather see "Instagram" whole under a narrow column. A wider one is broken.
const OVERFLOW: f64 = 2.0;

/// Lines being filled, left to right.
struct Lines {
    ruler: Ruler,
    max: f64,
    max_lines: usize,
    lines: Vec<String>,
    line: String,
    /// The line's width in units, and its last glyph.
    width: f64,
    last: Option<GlyphId>,
}

impl Lines {
    /// Ends the line. `false` once the lines are full and this one is more than can be shown.
    fn push(&mut self) -> bool {
        if self.lines.len() == self.max_lines {
            return false;
        }
        self.lines.push(std::mem::take(&mut self.line));
        (self.width, self.last) = (0.0, None);
        true
    }

    /// Adds `word` to the line, or starts a new line with it; `false` once the lines are full.
    fn word(&mut self, word: &str) -> bool {
        let (word_width, word_last) = self.ruler.measure(None, word);
        if !self.line.is_empty() {
            let (space, space_id) = self.ruler.step(self.last, ' ');
            let first = word.chars().next().map_or(0.0, |c| self.ruler.step(space_id, c).0 - self.ruler.step(None, c).0);
            let joined = self.width + space + first + word_width;
            if self.ruler.px(joined) <= self.max {
                self.line.push(' ');
                self.line.push_str(word);
                (self.width, self.last) = (joined, word_last);
                return true;
            }
            if !self.push() {
                return false;
            }
        }
        if self.ruler.px(word_width) <= self.max * OVERFLOW {
            self.line.push_str(word);
            (self.width, self.last) = (word_width, word_last);
            return true;
        }
        // Broken where the next letter would pass the edge, at least one letter a line.
        for c in word.chars() {
            let (advance, id) = self.ruler.step(self.last, c);
            if !self.line.is_empty() && self.ruler.px(self.width + advance) > self.max {
                if !self.push() {
                    return false;
                }
                let (advance, id) = self.ruler.step(None, c);
                (self.width, self.last) = (advance, id);
            } else {
                (self.width, self.last) = (self.width + advance, id);
            }
            self.line.push(c);
        }
        true
    }

    /// The last line cut to fit with an ellipsis after it: the longest start of it that does.
    fn ellipsis(&mut self) {
        let Some(last) = self.lines.last_mut() else { return };
        let (mut width, mut prev, mut keep) = (0.0, None, 0);
        let fits = |width: f64, prev| self.ruler.px(width + self.ruler.step(prev, '…').0) <= self.max;
        for (i, c) in last.char_indices() {
            let (advance, id) = self.ruler.step(prev, c);
            (width, prev) = (width + advance, id);
            if fits(width, prev) {
                keep = i + c.len_utf8();
            }
        }
        last.truncate(keep);
        let trimmed = last.trim_end().len();
        last.truncate(trimmed);
        last.push('…');
    }
}

/// Splits `text` into at most `max_lines` lines no wider than `max` pixels, breaking between
/// words (a single long word may overflow; see [`OVERFLOW`]). If the text goes on past the
/// last line, that line ends in an ellipsis. The work grows with the text shown, not the
/// text given: each letter is measured about once, and none after the last line.
pub fn wrap(text: &str, px: f64, bold: bool, max: f64, max_lines: usize) -> Vec<String> {
    let ruler = Ruler::new(px, bold);
    let mut lines = Lines { ruler, max, max_lines: max_lines.max(1), lines: Vec::new(), line: String::new(), width: 0.0, last: None };
    for word in text.split_whitespace() {
        if !lines.word(word) {
            lines.ellipsis();
            return lines.lines;
        }
    }
    if (!lines.line.is_empty() || lines.lines.is_empty()) && !lines.push() {
        lines.ellipsis();
    }
    lines.lines
}

/// `text` on one line of at most `max` pixels, cut with an ellipsis if it is wider.
pub fn fit(text: &str, px: f64, bold: bool, max: f64) -> String {
    wrap(text, px, bold, max, 1).into_iter().next().unwrap_or_default()
}

/// plotters writes `font-size` as the requested size ÷ 1.24; ask for the size that comes out
/// as `px` (the SVG's tidy-up rounds away the float noise).
fn requested_size(px: f64) -> f64 {
    px * 1.24
}

/// A piece of text as the canvas lays it out: its box in chart units (left, top, right and
/// bottom, from its measured width and its size) and its size, so that a test can check the
/// layout itself for text that overlaps or is too small.
#[derive(Debug, Clone, PartialEq)]
pub struct TextBox {
    pub text: String,
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
    pub px: f64,
}

impl TextBox {
    /// Whether this box and `other` share any area.
    pub fn overlaps(&self, other: &TextBox) -> bool {
        self.x0 < other.x1 && other.x0 < self.x1 && self.y0 < other.y1 && other.y0 < self.y1
    }
}

#[derive(Clone, Copy)]
pub enum Align {
    Start,
    Middle,
    End,
}

/// A chart being drawn: a fixed-size SVG that plotters writes into a string.
pub struct Canvas {
    pub width: u32,
    pub height: u32,
    svg: String,
    ops: Vec<Op>,
    /// Room kept above what is drawn: every y is drawn this much lower, and the measures
    /// ([`Canvas::text_boxes`], [`Canvas::marks`]) give y as it was drawn. Annotations that
    /// fit nowhere beside their mark go up there.
    headroom: f64,
}

enum Op {
    Rect {
        x0: i32,
        y0: i32,
        x1: i32,
        y1: i32,
        fill: Paint,
    },
    Text {
        text: String,
        x: i32,
        y: i32,
        px: f64,
        bold: bool,
        colour: Paint,
        align: Align,
    },
    Polygon {
        points: Vec<(i32, i32)>,
        fill: Paint,
    },
    Line {
        points: Vec<(i32, i32)>,
        colour: Paint,
        width: u32,
    },
    Circle {
        x: i32,
        y: i32,
        r: i32,
        fill: Paint,
    },
    /// Written as an SVG path of true arcs, which plotters cannot write.
    /// Strokes written as one SVG path (dashed with `dash`), which plotters would write as
    /// an element per stroke.
    Path {
        d: String,
        colour: Paint,
        width: u32,
        dash: bool,
    },
    RingSlice {
        d: String,
        fill: Paint,
    },
}

impl Canvas {
    pub fn new(width: u32) -> Canvas {
        Canvas::with_headroom(width, 0.0)
    }

    /// A canvas that keeps `headroom` units above the drawing (see [`Canvas::headroom`]).
    pub fn with_headroom(width: u32, headroom: f64) -> Canvas {
        Canvas { width, height: 0, svg: String::new(), ops: Vec::new(), headroom }
    }

    /// The room kept above the drawing; the whole is this much taller than what is drawn.
    pub fn headroom(&self) -> f64 {
        self.headroom
    }

    pub fn rect(&mut self, x0: f64, y0: f64, x1: f64, y1: f64, fill: Paint) {
        let (x0, x1) = (x0.min(x1), x0.max(x1));
        let (y0, y1) = (y0.min(y1) + self.headroom, y0.max(y1) + self.headroom);
        self.ops.push(Op::Rect { x0: px(x0), y0: px(y0), x1: px(x1), y1: px(y1), fill });
    }

    /// How many things are drawn so far: a place to draw behind later ([`Canvas::band`]), or
    /// to go back to ([`Canvas::truncate`]).
    pub fn ops(&self) -> usize {
        self.ops.len()
    }

    /// Forgets everything drawn from `at` on.
    pub fn truncate(&mut self, at: usize) {
        self.ops.truncate(at);
    }

    /// A band across the chart (a reference band or a shaded period), behind everything
    /// drawn from `at` on.
    pub fn band(&mut self, at: usize, x0: f64, y0: f64, x1: f64, y1: f64) {
        self.rect(x0, y0, x1, y1, BAND);
        if let Some(band) = self.ops.pop() {
            self.ops.insert(at.min(self.ops.len()), band);
        }
    }

    /// Text whose top sits at `y`.
    pub fn text(&mut self, text: &str, x: f64, y: f64, font: Type, align: Align) {
        let Type { px: size, bold, colour } = font;
        self.ops.push(Op::Text { text: text.to_string(), x: px(x), y: px(y + self.headroom), px: size, bold, colour, align });
    }

    /// Every text drawn so far, as laid out, in drawing order.
    pub fn text_boxes(&self) -> Vec<TextBox> {
        self.ops
            .iter()
            .filter_map(|op| match op {
                Op::Text { text, x, y, px, bold, align, .. } => {
                    let width = text_width(text, *px, *bold);
                    let x = f64::from(*x);
                    let x0 = match align {
                        Align::Start => x,
                        Align::Middle => x - width / 2.0,
                        Align::End => x - width,
                    };
                    let y0 = f64::from(*y) - self.headroom;
                    Some(TextBox { text: text.clone(), x0, y0, x1: x0 + width, y1: y0 + px, px: *px })
                }
                _ => None,
            })
            .collect()
    }

    /// The boxes of the text drawn so far, as (left, top, right, bottom), a line's height
    /// tall: what a mark or other words must keep clear of.
    pub fn text_rects(&self) -> Vec<[f64; 4]> {
        self.text_boxes().iter().map(|b| [b.x0, b.y0, b.x1, b.y0 + b.px * 1.2]).collect()
    }

    /// The boxes of the rectangles (bars, columns, keys) drawn so far; bands behind the
    /// marks are not among them, as words may sit on a band.
    pub fn rect_boxes(&self) -> Vec<[f64; 4]> {
        let up = self.headroom;
        self.ops
            .iter()
            .filter_map(|op| match op {
                Op::Rect { fill, .. } if *fill == BAND => None,
                Op::Rect { x0, y0, x1, y1, .. } => Some([f64::from(*x0), f64::from(*y0) - up, f64::from(*x1), f64::from(*y1) - up]),
                _ => None,
            })
            .collect()
    }

    /// Every mark drawn so far, as boxes (left, top, right, bottom) that words must keep
    /// clear of: rectangles but bands, dots, shapes, and lines but the grid, a line as
    /// small boxes along it so that words may sit beside a slope.
    pub fn marks(&self) -> Vec<[f64; 4]> {
        let up = self.headroom;
        let mut boxes = self.rect_boxes();
        for op in &self.ops {
            match op {
                Op::Circle { x, y, r, .. } => {
                    let (x, y, r) = (f64::from(*x), f64::from(*y) - up, f64::from(*r));
                    boxes.push([x - r, y - r, x + r, y + r]);
                }
                Op::Polygon { points, .. } => {
                    let (xs, ys) = (points.iter().map(|p| f64::from(p.0)), points.iter().map(|p| f64::from(p.1) - up));
                    let (x0, x1) = (xs.clone().fold(f64::INFINITY, f64::min), xs.fold(f64::NEG_INFINITY, f64::max));
                    let (y0, y1) = (ys.clone().fold(f64::INFINITY, f64::min), ys.fold(f64::NEG_INFINITY, f64::max));
                    boxes.push([x0, y0, x1, y1]);
                }
                Op::Line { points, colour, width } if *colour != GRID => {
                    let half = f64::from(*width) / 2.0 + 1.0;
                    for pair in points.windows(2) {
                        let (a, b) = ((f64::from(pair[0].0), f64::from(pair[0].1) - up), (f64::from(pair[1].0), f64::from(pair[1].1) - up));
                        let steps = ((b.0 - a.0).hypot(b.1 - a.1) / 3.0).ceil().max(1.0) as usize;
                        for i in 0..=steps {
                            let t = i as f64 / steps as f64;
                            let (x, y) = (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
                            boxes.push([x - half, y - half, x + half, y + half]);
                        }
                    }
                }
                _ => {}
            }
        }
        boxes
    }

    pub fn polygon(&mut self, points: Vec<(f64, f64)>, fill: Paint) {
        let up = self.headroom;
        self.ops.push(Op::Polygon { points: points.into_iter().map(|(x, y)| (px(x), px(y + up))).collect(), fill });
    }

    pub fn line(&mut self, points: &[(f64, f64)], colour: Paint, width: u32) {
        let up = self.headroom;
        self.ops.push(Op::Line { points: points.iter().map(|&(x, y)| (px(x), px(y + up))).collect(), colour, width });
    }

    pub fn circle(&mut self, x: f64, y: f64, r: f64, fill: Paint) {
        self.ops.push(Op::Circle { x: px(x), y: px(y + self.headroom), r: px(r), fill });
    }

    /// Each of `strokes` (a run of points) drawn as a line `width` wide, dashed with `dash`,
    /// all as one element: a tile map's hatching and dashed edges stay small.
    pub fn path(&mut self, strokes: &[Vec<(f64, f64)>], colour: Paint, width: u32, dash: bool) {
        let mut d = String::new();
        for stroke in strokes.iter().filter(|s| s.len() > 1) {
            for (i, (x, y)) in stroke.iter().enumerate() {
                d.push_str(&format!("{}{} {}", if i == 0 { 'M' } else { 'L' }, short(*x), short(*y + self.headroom)));
            }
        }
        if !d.is_empty() {
            self.ops.push(Op::Path { d, colour, width, dash });
        }
    }

    /// One slice of a ring centred on (`cx`, `cy`), from angle `a0` to `a1` in degrees
    /// (0 = east, clockwise), as a path of two true arcs: round at any size, and smaller than
    /// a polygon. A whole ring is two halves, since an arc cannot end where it starts.
    pub fn ring_slice(&mut self, (cx, cy): (f64, f64), (outer, inner): (f64, f64), (a0, a1): (f64, f64), fill: Paint) {
        if a1 - a0 >= 359.99 {
            self.ring_slice((cx, cy), (outer, inner), (a0, a0 + 180.0), fill);
            self.ring_slice((cx, cy), (outer, inner), (a0 + 180.0, a1), fill);
            return;
        }
        let cy = cy + self.headroom;
        let at = |r: f64, a: f64| {
            let (x, y) = (cx + r * a.to_radians().cos(), cy + r * a.to_radians().sin());
            format!("{} {}", short(x), short(y))
        };
        let large = u8::from(a1 - a0 > 180.0);
        let (ro, ri) = (short(outer), short(inner));
        let d = format!("M{}A{ro} {ro} 0 {large} 1 {}L{}A{ri} {ri} 0 {large} 0 {}Z", at(outer, a0), at(outer, a1), at(inner, a1), at(inner, a0));
        self.ops.push(Op::RingSlice { d, fill });
    }

    /// Draws everything at the given height and returns plotters' SVG, with the ops plotters
    /// cannot write spliced in where they were drawn; `themed`, its colours that dark mode
    /// changes are written as custom properties, with the colour as fallback.
    /// `height` is the whole height, the headroom included.
    pub fn finish(mut self, height: f64, themed: bool) -> Result<String> {
        fonts().as_ref().map_err(Clone::clone)?;
        self.height = height as u32;
        let size = (self.width, self.height);
        let mut body = String::new();
        for run in self.ops.split_inclusive(|op| matches!(op, Op::RingSlice { .. } | Op::Path { .. })) {
            let (last, plotted) = match run.split_last() {
                Some((op @ (Op::RingSlice { .. } | Op::Path { .. }), before)) => (Some(op), before),
                _ => (None, run),
            };
            // Each run is drawn on an SVG of its own; only its elements are kept.
            let mut part = String::new();
            Canvas::plot(&mut part, size, plotted)?;
            let start = part.find('\n').map_or(0, |i| i + 1);
            let end = part.rfind("</svg>").unwrap_or(part.len());
            if self.svg.is_empty() {
                self.svg.push_str(&part[..start]);
            }
            body.push_str(&part[start..end]);
            match last {
                Some(Op::RingSlice { d, fill }) => {
                    body.push_str(&format!("<path fill=\"#{:02X}{:02X}{:02X}\" d=\"{d}\"/>\n", fill.rgb.0, fill.rgb.1, fill.rgb.2));
                }
                Some(Op::Path { d, colour, width, dash }) => {
                    let dash = if *dash { " stroke-dasharray=\"4 3\"" } else { "" };
                    let (r, g, b) = (colour.rgb.0, colour.rgb.1, colour.rgb.2);
                    body.push_str(&format!("<path fill=\"none\" stroke=\"#{r:02X}{g:02X}{b:02X}\" stroke-width=\"{width}\"{dash} d=\"{d}\"/>\n"));
                }
                _ => {}
            }
        }
        if self.svg.is_empty() {
            Canvas::plot(&mut self.svg, size, &[])?;
            let start = self.svg.find('\n').map_or(0, |i| i + 1);
            self.svg.truncate(start);
        }
        self.svg.push_str(&body);
        self.svg.push_str("</svg>\n");
        if !themed {
            return Ok(self.svg);
        }
        let vars: Vec<Option<&str>> = self.ops.iter().map(Op::var).collect();
        Ok(with_vars(&self.svg, &vars))
    }

    /// Draws `ops` through plotters into `svg`, a whole SVG document of `size`.
    fn plot(svg: &mut String, size: (u32, u32), ops: &[Op]) -> Result<()> {
        {
            let backend = SVGBackend::with_string(svg, size);
            let area = backend.into_drawing_area();
            let fail = |e: DrawingAreaErrorKind<_>| Error::new(format!("could not draw the chart: {e}"));
            for op in ops {
                match op {
                    Op::Rect { x0, y0, x1, y1, fill } => area.draw(&Rectangle::new([(*x0, *y0), (*x1, *y1)], fill.rgb.filled())).map_err(fail)?,
                    Op::Text { text, x, y, px, bold, colour, align } => {
                        let style = if *bold { FontStyle::Bold } else { FontStyle::Normal };
                        let h = match align {
                            Align::Start => HPos::Left,
                            Align::Middle => HPos::Center,
                            Align::End => HPos::Right,
                        };
                        let font = (FAMILY, requested_size(*px), style).into_font().color(&colour.rgb).pos(Pos::new(h, VPos::Top));
                        area.draw(&Text::new(text.as_str(), (*x, *y), font)).map_err(fail)?
                    }
                    Op::Polygon { points, fill } => area.draw(&Polygon::new(points.clone(), fill.rgb.filled())).map_err(fail)?,
                    Op::Line { points, colour, width } => area.draw(&PathElement::new(points.clone(), colour.rgb.stroke_width(*width))).map_err(fail)?,
                    Op::Circle { x, y, r, fill } => area.draw(&Circle::new((*x, *y), *r, fill.rgb.filled())).map_err(fail)?,
                    Op::RingSlice { .. } | Op::Path { .. } => {}
                }
            }
            area.present().map_err(fail)?;
        }
        Ok(())
    }
}

impl Op {
    fn var(&self) -> Option<&'static str> {
        match self {
            Op::Rect { fill, .. } | Op::Polygon { fill, .. } | Op::Circle { fill, .. } | Op::RingSlice { fill, .. } => fill.var,
            Op::Text { colour, .. } | Op::Line { colour, .. } | Op::Path { colour, .. } => colour.var,
        }
    }
}

/// `svg` (one element per op, in order) with the colour of the `i`-th element written as
/// `var(vars[i], colour)` where `vars[i]` names one.
fn with_vars(svg: &str, vars: &[Option<&str>]) -> String {
    let mut out = String::with_capacity(svg.len() + vars.len() * 16);
    let body = svg.find('>').map_or(0, |i| i + 1);
    out.push_str(&svg[..body]);
    let mut rest = &svg[body..];
    let mut element = 0;
    while let Some(at) = rest.find('<') {
        let starts = rest[at + 1..].starts_with(|c: char| c.is_ascii_alphabetic());
        let var = if starts { vars.get(element).copied().flatten() } else { None };
        element += usize::from(starts);
        let end = rest[at..].find('>').map_or(rest.len(), |e| at + e + 1);
        let tag = &rest[at..end];
        out.push_str(&rest[..at]);
        match var.and_then(|v| tag.find("=\"#").map(|i| (v, i + 2))) {
            Some((var, i)) if tag.len() >= i + 7 => {
                out.push_str(&tag[..i]);
                out.push_str(&format!("var({var},{})", &tag[i..i + 7]));
                out.push_str(&tag[i + 7..]);
            }
            _ => out.push_str(tag),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// `v` to two decimals, without trailing zeros: exact enough for an arc's ends.
fn short(v: f64) -> String {
    let v = if v.is_finite() { (v * 100.0).round() / 100.0 } else { 0.0 };
    format!("{}", v + 0.0)
}

fn px(v: f64) -> i32 {
    if v.is_finite() {
        v.round().clamp(-1e6, 1e6) as i32
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn palette_meets_contrast() {
        let white = Colour::WHITE;
        for i in 0..PALETTE.len() {
            let c = colour(i).colour();
            assert!(contrast(c, white) >= 4.5, "{c}: {}", contrast(c, white));
            assert_eq!(text_on(colour(i)), ON_SERIES);
            assert_eq!(text_on(Paint::literal(c)).colour(), white);
        }
        assert!(contrast(REMAINDER.colour(), white) >= 3.0);
        assert!(contrast(text_on(REMAINDER).colour(), REMAINDER.colour()) >= 4.5);
        assert_eq!(text_on(REMAINDER).var, None, "text on a literal colour stays literal");
        assert!(contrast(MUTED.colour(), white) >= 4.5);
    }

    #[test]
    fn themed_colours_become_custom_properties_with_the_colour_as_fallback() {
        let mut canvas = Canvas::new(100);
        canvas.rect(0.0, 0.0, 10.0, 10.0, colour(0));
        canvas.rect(0.0, 0.0, 10.0, 10.0, Paint::literal(Colour(0x12, 0x34, 0x56)));
        canvas.text("a < b", 0.0, 0.0, Type { px: SMALL, bold: false, colour: INK }, Align::Start);
        canvas.line(&[(0.0, 0.0), (5.0, 5.0)], BACKGROUND, 2);
        let themed = canvas.finish(20.0, true).unwrap();
        assert!(themed.contains(&format!("fill=\"var(--chart-s0,#{:02X}{:02X}{:02X})\"", PALETTE[0].0, PALETTE[0].1, PALETTE[0].2)), "{themed}");
        assert!(themed.contains("fill=\"#123456\""), "{themed}");
        assert!(themed.contains("fill=\"var(--chart-ink,#1A1A1A)\"") && themed.contains("a &lt; b"), "{themed}");
        assert!(themed.contains("stroke=\"var(--chart-bg,#FFFFFF)\""), "{themed}");
        let mut plain = Canvas::new(100);
        plain.text("a", 0.0, 0.0, Type { px: SMALL, bold: false, colour: INK }, Align::Start);
        assert!(!plain.finish(20.0, false).unwrap().contains("var("));
    }

    #[test]
    fn measures_and_wraps_with_real_glyphs() {
        let narrow = text_width("iiii", 15.0, false);
        let wide = text_width("WWWW", 15.0, false);
        assert!(wide > narrow * 2.0, "{narrow} {wide}");
        assert!(text_width("Facebook", 15.0, true) > text_width("Facebook", 15.0, false));
        let lines = wrap("Instagram and WhatsApp together", 15.0, false, 100.0, 9);
        assert!(lines.len() >= 2);
        assert!(lines.iter().all(|l| text_width(l, 15.0, false) <= 100.0));
    }

    #[test]
    fn case_9_wrapping_breaks_only_words_far_wider_than_a_line_and_stops_at_the_last() {
        assert_eq!(wrap("Instagram", 14.0, false, 50.0, 3), vec!["Instagram"], "a word a little too wide stays whole");
        let lines = wrap(&"a".repeat(40_000), 38.0, true, 384.0, 4);
        assert_eq!(lines.len(), 4);
        assert!(lines.iter().all(|l| text_width(l, 38.0, true) <= 384.0) && lines[3].ends_with('…'), "{lines:?}");
        let words = "one two three four five six seven ".repeat(2_000);
        let lines = wrap(&words, 16.0, false, 400.0, 3);
        assert_eq!((lines.len(), lines[0].as_str()), (3, "one two three four five six seven one two three four"));
        assert!(lines[2].ends_with('…') && text_width(&lines[2], 16.0, false) <= 400.0);
        assert_eq!(fit("Short", 14.0, false, 400.0), "Short");
    }

    #[test]
    fn welsh_letters_have_glyphs() {
        let (regular, bold) = fonts().as_ref().unwrap();
        for c in "ŵŷâêîôûëïÿáéíóú’–".chars() {
            assert_ne!(regular.glyph_id(c).0, 0, "{c}");
            assert_ne!(bold.glyph_id(c).0, 0, "{c}");
        }
    }
}
