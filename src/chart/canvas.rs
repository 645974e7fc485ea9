//! The drawing surface every chart kind uses: plotters' SVG backend, the embedded Inter font,
//! the palette, and text measured with the real glyph advances so labels fit.

use ab_glyph::{Font, FontRef};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::sync::OnceLock;

/// The font family written into the SVG; the page's CSS loads Inter under this name.
pub const FAMILY: &str = "Inter, sans-serif";
pub static REGULAR: &[u8] = include_bytes!("fonts/Inter-Regular.otf");
pub static BOLD: &[u8] = include_bytes!("fonts/Inter-Bold.otf");

/// Chart colours in series order. Each has at least 4.5:1 contrast with white, so it meets
/// WCAG 1.4.11 against the background and white text on it stays legible.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0x1d, 0x4e, 0x89), // navy
    RGBColor(0xc0, 0x2b, 0x3a), // campaign red
    RGBColor(0x00, 0x73, 0x6b), // teal
    RGBColor(0x6f, 0x3f, 0x9e), // purple
    RGBColor(0xa3, 0x4b, 0x05), // burnt orange
    RGBColor(0x2e, 0x6b, 0x30), // green
    RGBColor(0xa3, 0x1f, 0x6a), // magenta
    RGBColor(0x3d, 0x4f, 0x5c), // slate
];
/// The "not recorded" remainder: grey, still 3:1 against white.
pub const REMAINDER: RGBColor = RGBColor(0x8a, 0x8a, 0x8a);
pub const INK: RGBColor = RGBColor(0x1a, 0x1a, 0x1a);
pub const MUTED: RGBColor = RGBColor(0x4d, 0x4d, 0x4d);
pub const GRID: RGBColor = RGBColor(0xd9, 0xd9, 0xd9);

pub fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// The text colour with the better contrast on `fill`.
pub fn text_on(fill: RGBColor) -> RGBColor {
    if contrast(fill, WHITE) >= contrast(fill, INK) {
        WHITE
    } else {
        INK
    }
}

/// WCAG contrast ratio of two colours.
pub fn contrast(a: RGBColor, b: RGBColor) -> f64 {
    fn luminance(c: RGBColor) -> f64 {
        let lin = |v: u8| {
            let s = f64::from(v) / 255.0;
            if s <= 0.04045 {
                s / 12.92
            } else {
                ((s + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
    }
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Text sizes in pixels, as they appear in the SVG. None is below 12 px.
pub const LABEL: f64 = 16.0;
pub const SMALL: f64 = 14.0;

fn fonts() -> &'static Result<(FontRef<'static>, FontRef<'static>), String> {
    static FONTS: OnceLock<Result<(FontRef<'static>, FontRef<'static>), String>> = OnceLock::new();
    FONTS.get_or_init(|| {
        let bad = |_| "the embedded chart font could not be read".to_string();
        for family in [FAMILY, "sans-serif"] {
            plotters::style::register_font(family, FontStyle::Normal, REGULAR).map_err(bad)?;
            plotters::style::register_font(family, FontStyle::Bold, BOLD).map_err(bad)?;
        }
        let regular = FontRef::try_from_slice(REGULAR).map_err(|_| "bad font".to_string())?;
        let bold = FontRef::try_from_slice(BOLD).map_err(|_| "bad font".to_string())?;
        Ok((regular, bold))
    })
}

/// The width in pixels of `text` set at `px` in Inter, with kerning.
pub fn text_width(text: &str, px: f64, bold: bool) -> f64 {
    let Ok((regular, bold_font)) = fonts() else {
        return text.chars().count() as f64 * px * 0.6;
    };
    let font = if bold { bold_font } else { regular };
    let units = f64::from(font.units_per_em().unwrap_or(2048.0));
    let mut width = 0.0;
    let mut prev = None;
    for c in text.chars() {
        let id = font.glyph_id(c);
        width += f64::from(font.h_advance_unscaled(id));
        if let Some(p) = prev {
            width += f64::from(font.kern_unscaled(p, id));
        }
        prev = Some(id);
    }
    width / units * px
}

/// Splits `text` into lines no wider than `max` pixels (a single long word may overflow).
pub fn wrap(text: &str, px: f64, bold: bool, max: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
        if !line.is_empty() && text_width(&candidate, px, bold) > max {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// plotters writes `font-size` as the requested size ÷ 1.24; ask for the size that comes out
/// as `px` (the SVG's tidy-up rounds away the float noise).
fn requested_size(px: f64) -> f64 {
    px * 1.24
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
}

enum Op {
    Rect { x0: i32, y0: i32, x1: i32, y1: i32, fill: RGBColor },
    Text { text: String, x: i32, y: i32, px: f64, bold: bool, colour: RGBColor, align: Align },
    Polygon { points: Vec<(i32, i32)>, fill: RGBColor },
    Line { points: Vec<(i32, i32)>, colour: RGBColor, width: u32 },
    Circle { x: i32, y: i32, r: i32, fill: RGBColor },
}

impl Canvas {
    pub fn new(width: u32) -> Canvas {
        Canvas { width, height: 0, svg: String::new(), ops: Vec::new() }
    }

    pub fn rect(&mut self, x0: f64, y0: f64, x1: f64, y1: f64, fill: RGBColor) {
        let (x0, x1) = (x0.min(x1), x0.max(x1));
        let (y0, y1) = (y0.min(y1), y0.max(y1));
        self.ops.push(Op::Rect { x0: px(x0), y0: px(y0), x1: px(x1), y1: px(y1), fill });
    }

    /// Text whose top sits at `y`.
    pub fn text(&mut self, text: &str, x: f64, y: f64, size: f64, bold: bool, colour: RGBColor, align: Align) {
        self.ops.push(Op::Text { text: text.to_string(), x: px(x), y: px(y), px: size, bold, colour, align });
    }

    pub fn polygon(&mut self, points: Vec<(f64, f64)>, fill: RGBColor) {
        self.ops.push(Op::Polygon { points: points.into_iter().map(|(x, y)| (px(x), px(y))).collect(), fill });
    }

    pub fn line(&mut self, points: &[(f64, f64)], colour: RGBColor, width: u32) {
        self.ops.push(Op::Line { points: points.iter().map(|&(x, y)| (px(x), px(y))).collect(), colour, width });
    }

    pub fn circle(&mut self, x: f64, y: f64, r: f64, fill: RGBColor) {
        self.ops.push(Op::Circle { x: px(x), y: px(y), r: px(r), fill });
    }

    /// Draws everything at the given height and returns plotters' SVG.
    pub fn finish(mut self, height: f64) -> Result<String, String> {
        fonts().as_ref().map_err(Clone::clone)?;
        self.height = height as u32;
        let size = (self.width, self.height);
        {
            let backend = SVGBackend::with_string(&mut self.svg, size);
            let area = backend.into_drawing_area();
            let fail = |e: DrawingAreaErrorKind<_>| format!("could not draw the chart: {e}");
            for op in &self.ops {
                match op {
                    Op::Rect { x0, y0, x1, y1, fill } => {
                        area.draw(&Rectangle::new([(*x0, *y0), (*x1, *y1)], fill.filled())).map_err(fail)?
                    }
                    Op::Text { text, x, y, px, bold, colour, align } => {
                        let style = if *bold { FontStyle::Bold } else { FontStyle::Normal };
                        let h = match align {
                            Align::Start => HPos::Left,
                            Align::Middle => HPos::Center,
                            Align::End => HPos::Right,
                        };
                        let font = (FAMILY, requested_size(*px), style).into_font().color(colour).pos(Pos::new(h, VPos::Top));
                        area.draw(&Text::new(text.as_str(), (*x, *y), font)).map_err(fail)?
                    }
                    Op::Polygon { points, fill } => area.draw(&Polygon::new(points.clone(), fill.filled())).map_err(fail)?,
                    Op::Line { points, colour, width } => {
                        area.draw(&PathElement::new(points.clone(), colour.stroke_width(*width))).map_err(fail)?
                    }
                    Op::Circle { x, y, r, fill } => area.draw(&Circle::new((*x, *y), *r, fill.filled())).map_err(fail)?,
                }
            }
            area.present().map_err(fail)?;
        }
        Ok(self.svg)
    }
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
        for c in PALETTE {
            assert!(contrast(c, WHITE) >= 4.5, "{c:?}: {}", contrast(c, WHITE));
            assert_eq!(text_on(c), WHITE);
        }
        assert!(contrast(REMAINDER, WHITE) >= 3.0);
        assert!(contrast(text_on(REMAINDER), REMAINDER) >= 4.5);
        assert!(contrast(MUTED, WHITE) >= 4.5);
    }

    #[test]
    fn measures_and_wraps_with_real_glyphs() {
        let narrow = text_width("iiii", 15.0, false);
        let wide = text_width("WWWW", 15.0, false);
        assert!(wide > narrow * 2.0, "{narrow} {wide}");
        assert!(text_width("Facebook", 15.0, true) > text_width("Facebook", 15.0, false));
        let lines = wrap("Instagram and WhatsApp together", 15.0, false, 100.0);
        assert!(lines.len() >= 2);
        assert!(lines.iter().all(|l| text_width(l, 15.0, false) <= 100.0));
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
