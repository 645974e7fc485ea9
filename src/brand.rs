//! The campaign's look on its share images, from `brand:` in site.yaml: a background, the
//! text on it and an accent, as `#rrggbb` colours whose contrast is checked where they are
//! read, and a logo from `static/`.
//!
//! The text colour is used at every size, so it must keep 4.5:1 on the background (WCAG AA
//! for normal text); the accent is used only for large text (a headline number) and marks, so
//! 3:1 is enough. The images are shown small in a feed, so no text on them counts as large
//! but the headline.

use crate::colour::{contrast, Colour};
use crate::error::Location;
use serde::{Deserialize, Serialize};

/// WCAG AA contrast for normal text, and for large text.
pub const NORMAL_TEXT: f64 = 4.5;
pub const LARGE_TEXT: f64 = 3.0;

/// `brand:` in site.yaml.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Look {
    /// Behind the images' title and footer, so they stand out in a white timeline.
    pub background: Colour,
    /// Every text on the background.
    pub text: Colour,
    /// The headline number and the marks; the text colour when not given.
    #[serde(default)]
    pub accent: Option<Colour>,
    /// A PNG or SVG file in `static/`, drawn in a corner of every image.
    #[serde(default)]
    pub logo: Option<String>,
    /// Where `logo:` stands in site.yaml, for a logo that is not there.
    #[serde(skip)]
    pub logo_at: Option<Location>,
}

/// A problem with a [`Look`]: the key it is about, what is wrong and what to do.
#[derive(Debug, PartialEq)]
pub struct Problem {
    pub key: &'static str,
    pub message: String,
    pub hint: String,
}

impl Default for Look {
    /// Ink on white, as the images were before brands: the campaign red marks them.
    fn default() -> Look {
        Look { background: Colour::WHITE, text: Colour(0x0b, 0x1f, 0x3a), accent: Some(Colour(0xc8, 0x10, 0x2e)), logo: None, logo_at: None }
    }
}

impl Look {
    pub fn accent(&self) -> Colour {
        self.accent.unwrap_or(self.text)
    }

    /// What keeps the text or the accent from being read on the background, or a logo path
    /// that cannot be a PNG or SVG file in `static/`.
    pub fn problem(&self) -> Option<Problem> {
        let ratio = contrast(self.text, self.background);
        if ratio < NORMAL_TEXT {
            return Some(Problem {
                key: "text",
                message: format!(
                    "the text colour {} on the background {} has a contrast of {ratio:.1}:1; text needs at least 4.5:1",
                    self.text, self.background
                ),
                hint: "make one of them darker or lighter: white (`#ffffff`) or near-black (`#1a1a1a`) text suits most backgrounds".into(),
            });
        }
        if let Some(accent) = self.accent {
            let ratio = contrast(accent, self.background);
            if ratio < LARGE_TEXT {
                return Some(Problem {
                    key: "accent",
                    message: format!(
                        "the accent colour {accent} on the background {} has a contrast of {ratio:.1}:1; the large headline needs at least 3:1",
                        self.background
                    ),
                    hint: "choose a lighter accent on a dark background, or a darker one on a light background".into(),
                });
            }
        }
        let logo = self.logo.as_deref()?;
        let climbs = logo.split(['/', '\\']).any(|part| part == ".." || part.is_empty()) || logo.starts_with('/');
        let kind = logo.rsplit_once('.').map(|(_, ext)| ext.to_ascii_lowercase());
        if climbs || !matches!(kind.as_deref(), Some("png" | "svg")) {
            return Some(Problem {
                key: "logo",
                message: format!("the logo `{logo}` must be a PNG or SVG file in `static/`"),
                hint: "put the file in `static/` and give its name, such as `logo: logo.svg`".into(),
            });
        }
        None
    }
}

/// The logo that `look` names, when the file is missing from `static/` or is no PNG or SVG:
/// `file` gives a static file's bytes by its path there.
pub fn logo_problem<'a>(look: &Look, file: impl Fn(&str) -> Option<&'a [u8]>) -> Option<crate::error::Error> {
    let logo = look.logo.as_deref()?;
    let (message, hint) = match file(logo) {
        None => (format!("there is no logo `static/{logo}`"), "put the logo in `static/`, or correct its name"),
        Some(bytes) if logo_type(bytes).is_none() => (format!("the logo `static/{logo}` is neither a PNG nor an SVG file"), "save it as PNG or SVG"),
        Some(bytes) if svg_has_text(bytes) => (format!("the logo `static/{logo}` sets its lettering as text, which the share images cannot draw"), OUTLINES),
        Some(_) => return None,
    };
    let error = crate::error::Error::new(message).hint(hint);
    Some(match &look.logo_at {
        Some(at) => error.at(at.clone()),
        None => error.in_file("content/site.yaml"),
    })
}

/// How to make an SVG's lettering into shapes, in the editors campaign designers use.
pub const OUTLINES: &str =
    "turn its text into outlines (Inkscape: Path › Object to Path; Illustrator: Type › Create Outlines; Figma: Outline stroke) and save it again";

/// Whether an SVG file sets text (a `<text>` element, in it or in an SVG image it embeds).
/// Images draw text from the outlines of soapbox's own font, so a logo's or an icon's
/// lettering must be shapes: the rasteriser would leave its text out.
pub fn svg_has_text(bytes: &[u8]) -> bool {
    use resvg::usvg::roxmltree::{Document, ParsingOptions};
    let Ok(text) = std::str::from_utf8(bytes) else { return false };
    let options = ParsingOptions { allow_dtd: true, ..ParsingOptions::default() };
    let Ok(doc) = Document::parse_with_options(text, options) else { return false };
    doc.descendants().any(|node| {
        node.has_tag_name("text") || node.attributes().filter(|a| a.name() == "href").filter_map(|a| embedded_svg(a.value())).any(|svg| svg_has_text(&svg))
    })
}

/// The SVG that a `data:` address holds, decoded.
fn embedded_svg(href: &str) -> Option<Vec<u8>> {
    let url = data_url::DataUrl::process(href.trim()).ok()?;
    url.mime_type().matches("image", "svg+xml").then(|| url.decode_to_vec().ok()).flatten().map(|(bytes, _)| bytes)
}

/// What a logo file holds, by its first bytes: `image/png`, `image/svg+xml`, or `None`.
pub fn logo_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some("image/png");
    }
    let text = std::str::from_utf8(bytes.get(..bytes.len().min(4096))?).ok()?;
    text.contains("<svg").then_some("image/svg+xml")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_needs_4_5_to_1_and_the_accent_3_to_1() {
        let navy = Colour::parse("#0b1f3a").unwrap();
        let look = |text: &str, accent: &str| Look {
            background: navy,
            text: Colour::parse(text).unwrap(),
            accent: Some(Colour::parse(accent).unwrap()),
            logo: None,
            logo_at: None,
        };
        assert_eq!(look("#ffffff", "#ff8a98").problem(), None);
        assert_eq!(look("#4d5d7a", "#ff8a98").problem().unwrap().key, "text");
        assert_eq!(look("#ffffff", "#c8102e").problem().unwrap().key, "accent", "campaign red on navy is 2.6:1");
        assert_eq!(Look::default().problem(), None);
    }

    #[test]
    fn lettering_set_as_text_is_found_in_an_svg_and_in_the_svgs_it_embeds() {
        use base64::Engine as _;
        let text = r#"<svg xmlns="http://www.w3.org/2000/svg"><g><text x="0" y="10">Us</text></g></svg>"#;
        let shapes = r#"<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0h4v4z"/></svg>"#;
        assert!(svg_has_text(text.as_bytes()));
        assert!(!svg_has_text(shapes.as_bytes()));
        let doctype = format!("<?xml version=\"1.0\"?><!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"x\">{text}");
        assert!(svg_has_text(doctype.as_bytes()), "an editor's DOCTYPE hides nothing");
        let prefixed = r#"<s:svg xmlns:s="http://www.w3.org/2000/svg"><s:text>Us</s:text></s:svg>"#;
        assert!(svg_has_text(prefixed.as_bytes()));
        let embed =
            |href: String| format!(r#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="{href}"/></svg>"#);
        let base64 = base64::engine::general_purpose::STANDARD.encode(text);
        assert!(svg_has_text(embed(format!("data:image/svg+xml;base64,{base64}")).as_bytes()));
        let escaped = text.replace('<', "%3C").replace('>', "%3E").replace('"', "%22");
        assert!(svg_has_text(embed(format!("data:image/svg+xml;utf8,{escaped}")).as_bytes()));
        assert!(!svg_has_text(embed(format!("data:image/svg+xml;base64,{}", base64::engine::general_purpose::STANDARD.encode(shapes))).as_bytes()));
    }

    #[test]
    fn a_logo_is_a_png_or_svg_inside_static() {
        for (logo, ok) in
            [("logo.png", true), ("img/Logo.SVG", true), ("logo.jpg", false), ("../secret.png", false), ("/etc/x.svg", false), ("a//b.png", false)]
        {
            let look = Look { logo: Some(logo.into()), ..Look::default() };
            assert_eq!(look.problem().is_none(), ok, "{logo}");
        }
        assert_eq!(logo_type(b"\x89PNG\r\n\x1a\nrest"), Some("image/png"));
        assert_eq!(logo_type(b"<?xml version=\"1.0\"?>\n<svg xmlns=\"...\">"), Some("image/svg+xml"));
        assert_eq!(logo_type(b"GIF89a"), None);
    }
}
