//! The chart font, Inter, embedded in the binary: its two weights, and which characters it can
//! draw. Charts and share images use it (never the system's fonts), and the check refuses text
//! it cannot draw before anything is rendered.

use std::sync::OnceLock;

pub static REGULAR: &[u8] = include_bytes!("chart/fonts/Inter-Regular.otf");
pub static BOLD: &[u8] = include_bytes!("chart/fonts/Inter-Bold.otf");

/// Characters of `text` that the embedded font cannot draw (they would show as boxes).
pub fn missing_glyphs(text: &str) -> Vec<char> {
    use ab_glyph::{Font, FontRef};
    // Parsed once: the check runs on every edit in the preview, for every figure.
    static FONT: OnceLock<Option<FontRef<'static>>> = OnceLock::new();
    let Some(font) = FONT.get_or_init(|| FontRef::try_from_slice(REGULAR).ok()) else { return Vec::new() };
    let mut missing: Vec<char> = text.chars().filter(|c| !c.is_ascii() && !c.is_whitespace() && !c.is_control() && font.glyph_id(*c).0 == 0).collect();
    missing.dedup();
    missing
}

#[cfg(test)]
mod tests {
    #[test]
    fn welsh_letters_are_drawn_and_emoji_are_not() {
        assert!(super::missing_glyphs("Beth yw'r ŵyl? Ŷ â é – ’ £1,628").is_empty());
        assert_eq!(super::missing_glyphs("ok 😀"), vec!['😀']);
    }
}
