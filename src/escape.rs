//! Escaping text for the markup it goes into: XML (SVG, feeds, the sitemap) and HTML.

/// Escapes text for XML element content and attribute values. Control characters other than
/// line feed and tab are dropped: XML 1.0 cannot hold them at all.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_and_quotes_become_entities_and_controls_go() {
        assert_eq!(super::xml("<a href=\"x\">Tom & Jo's</a>\u{1}\n"), "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jo&#39;s&lt;/a&gt;\n");
    }
}
