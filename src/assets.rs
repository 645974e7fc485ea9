//! Cacheable assets: stylesheets, fonts and scripts get content-hashed names
//! (`style.3f9a1c0b.css`), and every reference to them is rewritten: `asset()` in templates,
//! and `url(…)` inside stylesheets. A host can then cache them for a year, while HTML and
//! chart images keep stable addresses (social platforms cache images by URL).

use std::borrow::Cow;
use std::collections::BTreeMap;

/// The file kinds that get hashed names.
const HASHED: [&str; 3] = ["css", "js", "woff2"];

/// Static files as they are written: output name and bytes, and the map from each file's own
/// name to its output name.
pub struct Assets {
    pub files: BTreeMap<String, Vec<u8>>,
    pub names: BTreeMap<String, String>,
}

/// 64-bit FNV-1a: small, stable across machines and Rust versions, enough to tell versions apart.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

/// `fonts/inter.woff2` with its hash: `fonts/inter.1a2b3c4d.woff2`.
fn hashed_name(path: &str, bytes: &[u8]) -> String {
    let (stem, ext) = path.rsplit_once('.').unwrap_or((path, ""));
    format!("{stem}.{:08x}.{ext}", fnv1a(bytes) as u32)
}

/// Whether `path` is a name [`hashed_name`] gives, `style.3f9a1c0b.css`: one a host may cache
/// for a year.
pub fn is_hashed_name(path: &str) -> bool {
    let mut parts = path.rsplit('.');
    let (_, hash) = (parts.next(), parts.next().unwrap_or_default());
    // A photo's sizes carry a key of the photo: `media/march-800.1a2b3c4d.webp`.
    let photo = path.starts_with("media/") && ["jpg", "webp"].iter().any(|ext| path.ends_with(&format!(".{ext}")));
    hash.len() == 8 && hash.chars().all(|c| c.is_ascii_hexdigit()) && (is_hashed_kind(path) || photo)
}

fn is_hashed_kind(path: &str) -> bool {
    path.rsplit_once('.').is_some_and(|(_, ext)| HASHED.contains(&ext))
}

/// Names every static file. Fonts and scripts first, then stylesheets with their `url(…)`
/// references rewritten, so a stylesheet's hash covers the fonts it points at.
pub fn name(statics: &BTreeMap<String, Cow<'_, [u8]>>) -> Assets {
    let mut files = BTreeMap::new();
    let mut names = BTreeMap::new();
    for (path, bytes) in statics.iter().filter(|(p, _)| !p.ends_with(".css")) {
        let out = if is_hashed_kind(path) { hashed_name(path, bytes) } else { path.clone() };
        names.insert(path.clone(), out.clone());
        files.insert(out, bytes.to_vec());
    }
    for (path, bytes) in statics.iter().filter(|(p, _)| p.ends_with(".css")) {
        let css = rewrite_urls(&String::from_utf8_lossy(bytes), path, &names);
        let out = hashed_name(path, css.as_bytes());
        names.insert(path.clone(), out.clone());
        files.insert(out, css.into_bytes());
    }
    Assets { files, names }
}

/// The folder part of a site path: `fonts/` for `fonts/a.woff2`, `` at the top.
fn folder(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..=i])
}

/// Points each relative `url(…)` of the stylesheet at `css_path` to the hashed file.
fn rewrite_urls(css: &str, css_path: &str, names: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(i) = rest.find("url(") {
        out.push_str(&rest[..i + 4]);
        rest = &rest[i + 4..];
        let Some(end) = rest.find(')') else { break };
        let raw = rest[..end].trim();
        let quote = raw.chars().next().filter(|c| *c == '"' || *c == '\'');
        let target = raw.trim_matches(['"', '\'']);
        let resolved = format!("{}{target}", folder(css_path));
        match names.get(&resolved).filter(|_| !target.contains(':') && !target.starts_with('/')) {
            Some(hashed) => {
                let relative = hashed.strip_prefix(folder(css_path)).unwrap_or(hashed);
                let q = quote.map(String::from).unwrap_or_default();
                out.push_str(&format!("{q}{relative}{q}"));
            }
            None => out.push_str(&rest[..end]),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_are_known_as_hashed_and_others_are_not() {
        for path in ["style.css", "fonts/inter-regular.woff2", "site.js"] {
            assert!(is_hashed_name(&hashed_name(path, b"bytes")), "{path}");
            assert!(!is_hashed_name(path), "{path}");
        }
        assert!(!is_hashed_name(&hashed_name("favicon.svg", b"bytes")), "an SVG keeps its address");
        assert!(!is_hashed_name("notes.3f9a1c0b.txt"));
        assert!(is_hashed_name("media/march-800.3f9a1c0b.webp"));
        assert!(!is_hashed_name("photos/march-800.3f9a1c0b.webp"), "a static photo keeps its address");
    }

    fn statics(files: &[(&str, &str)]) -> BTreeMap<String, Cow<'static, [u8]>> {
        files.iter().map(|(p, b)| (p.to_string(), Cow::Owned(b.as_bytes().to_vec()))).collect()
    }

    #[test]
    fn hashes_css_fonts_and_scripts_and_rewrites_references() {
        let assets = name(&statics(&[
            ("style.css", "@font-face{src:url(\"fonts/a.woff2\")} .x{background:url(pic.png)}"),
            ("fonts/a.woff2", "font bytes"),
            ("site.js", "js"),
            ("pic.png", "png"),
        ]));
        let font = &assets.names["fonts/a.woff2"];
        assert!(font.starts_with("fonts/a.") && font.ends_with(".woff2") && font.len() == "fonts/a.12345678.woff2".len());
        assert_eq!(assets.names["pic.png"], "pic.png", "images keep stable names");
        let css = String::from_utf8(assets.files[&assets.names["style.css"]].clone()).unwrap();
        assert!(css.contains(&format!("url(\"{font}\")")), "{css}");
        assert!(css.contains("url(pic.png)"));
    }

    #[test]
    fn names_change_with_content_and_only_then() {
        let a = name(&statics(&[("style.css", "a{}"), ("fonts/f.woff2", "one")]));
        let b = name(&statics(&[("style.css", "a{}"), ("fonts/f.woff2", "one")]));
        let c = name(&statics(&[("style.css", "a{}"), ("fonts/f.woff2", "two")]));
        assert_eq!(a.names, b.names);
        assert_ne!(a.names["fonts/f.woff2"], c.names["fonts/f.woff2"]);
        assert_eq!(a.names["style.css"], c.names["style.css"], "this stylesheet does not point at the font");
        let d = name(&statics(&[("style.css", "a{ color: red }")]));
        assert_ne!(a.names["style.css"], d.names["style.css"]);
    }
}
