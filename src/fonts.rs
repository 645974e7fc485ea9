//! The chart font, Inter, embedded in the binary: its two weights, which characters it can
//! draw, and lines set in it as outlines for the images. Charts and share images use it (never
//! the system's fonts), and the check refuses text it cannot draw before anything is rendered.

use crate::error::{Error, Result};
use std::sync::OnceLock;
use ttf_parser::GlyphId;

pub static REGULAR: &[u8] = include_bytes!("chart/fonts/Inter-Regular.otf");
pub static BOLD: &[u8] = include_bytes!("chart/fonts/Inter-Bold.otf");

/// Characters of `text` that the embedded font cannot draw (they would show as boxes).
pub fn missing_glyphs(text: &str) -> Vec<char> {
    // The face is parsed once: the check runs on every edit in the preview, for every figure.
    let Ok(font) = face(false) else { return Vec::new() };
    let drawn = |c: char| font.face.glyph_index(c).is_some_and(|id| id.0 != 0);
    let mut missing: Vec<char> = text.chars().filter(|&c| !c.is_ascii() && !c.is_whitespace() && !c.is_control() && !drawn(c)).collect();
    missing.dedup();
    missing
}

/// One of the two weights, parsed once, with the GPOS lookups that kern it.
struct Face {
    face: ttf_parser::Face<'static>,
    kerning: Vec<u16>,
}

fn face(bold: bool) -> Result<&'static Face> {
    static FACES: OnceLock<Option<[Face; 2]>> = OnceLock::new();
    let faces = FACES.get_or_init(|| {
        let parse = |data: &'static [u8]| {
            let face = ttf_parser::Face::parse(data, 0).ok()?;
            let mut kerning: Vec<u16> = face.tables().gpos.map_or_else(Vec::new, |gpos| {
                gpos.features.into_iter().filter(|f| f.tag == ttf_parser::Tag::from_bytes(b"kern")).flat_map(|f| f.lookup_indices).collect()
            });
            // Every script names the same lookups; each is applied once.
            kerning.sort_unstable();
            kerning.dedup();
            Some(Face { face, kerning })
        };
        Some([parse(REGULAR)?, parse(BOLD)?])
    });
    faces.as_ref().map(|[regular, bold_face]| if bold { bold_face } else { regular }).ok_or_else(damaged)
}

/// The error when the font built into soapbox cannot be read: only a damaged copy does that.
pub fn damaged() -> Error {
    Error::new("the chart font built into soapbox could not be read").hint("this copy of soapbox is damaged: install it again")
}

impl Face {
    /// The kerning between `a` and `b`, in font units: what each kerning lookup's first
    /// subtable that covers the pair adds to `a`'s advance.
    fn kern(&self, a: GlyphId, b: GlyphId) -> i32 {
        use ttf_parser::gpos::{PairAdjustment, PositioningSubtable};
        let Some(gpos) = self.face.tables().gpos else { return 0 };
        let pair = |subtable: PositioningSubtable| match subtable {
            PositioningSubtable::Pair(PairAdjustment::Format1 { coverage, sets }) => sets.get(coverage.get(a)?)?.get(b).map(|(first, _)| first.x_advance),
            PositioningSubtable::Pair(PairAdjustment::Format2 { coverage, classes, matrix }) => {
                coverage.get(a)?;
                Some(matrix.get((classes.0.get(a), classes.1.get(b))).map_or(0, |(first, _)| first.x_advance))
            }
            _ => None,
        };
        self.kerning
            .iter()
            .filter_map(|&i| gpos.lookups.get(i))
            .filter_map(|lookup| lookup.subtables.into_iter::<PositioningSubtable>().find_map(pair))
            .map(i32::from)
            .sum()
    }
}

/// A line of text set in Inter: its glyphs and where each starts, in font units, with the
/// font's kerning applied as a browser applies it.
pub struct Line {
    face: &'static Face,
    glyphs: Vec<(GlyphId, i32)>,
    /// The line's advance, in font units.
    advance: i32,
    /// Pixels per font unit.
    scale: f64,
}

impl Line {
    /// `text` set at `px` pixels, in the bold weight or the regular.
    pub fn set(text: &str, px: f64, bold: bool) -> Result<Line> {
        let face = face(bold)?;
        let mut glyphs = Vec::with_capacity(text.len());
        let mut pen = 0;
        let mut prev = None;
        for c in text.chars() {
            let id = face.face.glyph_index(c).unwrap_or(GlyphId(0));
            if let Some(prev) = prev {
                pen += face.kern(prev, id);
            }
            glyphs.push((id, pen));
            pen += i32::from(face.face.glyph_hor_advance(id).unwrap_or(0));
            prev = Some(id);
        }
        Ok(Line { face, glyphs, advance: pen, scale: px / f64::from(face.face.units_per_em()) })
    }

    /// The line's width in pixels.
    pub fn width(&self) -> f64 {
        f64::from(self.advance) * self.scale
    }

    /// The outlines of the line's glyphs as SVG path data, with the line's left end at `x` and
    /// its baseline at `baseline`, in pixels.
    pub fn path(&self, x: f64, baseline: f64) -> String {
        let mut pen = Pen { d: String::with_capacity(self.glyphs.len() * 160), x, y: baseline, scale: self.scale };
        for &(id, at) in &self.glyphs {
            pen.x = x + f64::from(at) * self.scale;
            self.face.face.outline_glyph(id, &mut pen);
        }
        pen.d
    }
}

/// Writes a glyph's outline as path data, from font units (y up) to pixels (y down).
struct Pen {
    d: String,
    x: f64,
    y: f64,
    scale: f64,
}

impl Pen {
    fn point(&mut self, command: char, points: &[(f32, f32)]) {
        self.d.push(command);
        for &(px, py) in points {
            hundredths(&mut self.d, self.x + f64::from(px) * self.scale);
            self.d.push(' ');
            hundredths(&mut self.d, self.y - f64::from(py) * self.scale);
            self.d.push(' ');
        }
    }
}

/// Writes `v` to two decimals, without trailing zeros: as whole numbers, which format several
/// times faster than floats, and a share image's text has thousands of points.
fn hundredths(d: &mut String, v: f64) {
    use std::fmt::Write as _;
    let n = (v * 100.0).round() as i64;
    if n < 0 {
        d.push('-');
    }
    let (whole, part) = (n.unsigned_abs() / 100, n.unsigned_abs() % 100);
    let _ = match part {
        0 => write!(d, "{whole}"),
        p if p % 10 == 0 => write!(d, "{whole}.{}", p / 10),
        p => write!(d, "{whole}.{p:02}"),
    };
}

impl ttf_parser::OutlineBuilder for Pen {
    fn move_to(&mut self, x: f32, y: f32) {
        self.point('M', &[(x, y)]);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.point('L', &[(x, y)]);
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.point('Q', &[(x1, y1), (x, y)]);
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.point('C', &[(x1, y1), (x2, y2), (x, y)]);
    }
    fn close(&mut self) {
        self.d.push('Z');
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn welsh_letters_are_drawn_and_emoji_are_not() {
        assert!(super::missing_glyphs("Beth yw'r ŵyl? Ŷ â é – ’ £1,628").is_empty());
        assert_eq!(super::missing_glyphs("ok 😀"), vec!['😀']);
    }

    #[test]
    fn lines_are_kerned_as_a_browser_kerns_them() {
        use super::Line;
        let width = |text: &str, bold: bool| Line::set(text, 100.0, bold).unwrap().width();
        // Inter kerns "AV" and "To" tighter than their letters set apart; "HH" not at all.
        for bold in [false, true] {
            assert!(width("AV", bold) < width("A", bold) + width("V", bold) - 1.0, "bold {bold}");
            assert!(width("To", bold) < width("T", bold) + width("o", bold) - 1.0, "bold {bold}");
            assert_eq!(width("HH", bold), 2.0 * width("H", bold));
        }
        assert!(width("Wales", true) > width("Wales", false));
        assert_eq!(width("", false), 0.0);
    }

    #[test]
    fn points_are_written_to_two_decimals_without_trailing_zeros() {
        let written = |v: f64| {
            let mut d = String::new();
            super::hundredths(&mut d, v);
            d
        };
        for (v, want) in [(0.0, "0"), (12.0, "12"), (12.5, "12.5"), (12.345, "12.35"), (3.004, "3"), (-0.25, "-0.25"), (-7.1, "-7.1"), (-0.001, "0")] {
            assert_eq!(written(v), want, "{v}");
        }
    }

    #[test]
    fn a_lines_outline_sits_on_its_baseline_from_its_left_end() {
        let line = super::Line::set("Ill", 20.0, false).unwrap();
        let d = line.path(100.0, 50.0);
        assert!(d.starts_with('M') && d.ends_with('Z'), "{d}");
        assert_eq!(d.matches('M').count(), 3, "one closed shape a letter: {d}");
        let numbers: Vec<f64> = d.split(|c: char| c.is_ascii_alphabetic() || c == ' ').filter_map(|n| n.parse().ok()).collect();
        let (xs, ys): (Vec<f64>, Vec<f64>) = numbers.chunks(2).map(|p| (p[0], p[1])).unzip();
        let (left, right) = (xs.iter().copied().fold(f64::INFINITY, f64::min), xs.iter().copied().fold(0.0, f64::max));
        let (top, bottom) = (ys.iter().copied().fold(f64::INFINITY, f64::min), ys.iter().copied().fold(0.0, f64::max));
        assert!(left > 100.0 && left < 103.0 && right < 100.0 + line.width(), "{left}..{right} of {}", line.width());
        // Capitals stand about 0.73 em above the baseline; nothing of "Ill" goes below it.
        assert!((bottom - 50.0).abs() < 0.01 && (35.0..37.0).contains(&top), "{top}..{bottom}");
    }
}
