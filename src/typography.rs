//! Typography for plain text: the smart punctuation that body text gets from Markdown, given
//! to the one-line texts that are not Markdown (titles, descriptions, a chart's words, a
//! component's lines), so a page reads with one kind of quote throughout.

use pulldown_cmark::{Event, Options, Parser};

/// `text` (a title, a description, a chart's note: one line of plain text, not Markdown) with
/// the smart punctuation body text gets: curly quotes and apostrophes, `--` as an en dash,
/// `---` as an em dash and `...` as an ellipsis, exactly as pulldown-cmark makes them. The
/// `{{ … }}` calls are left as written, so their arguments keep their straight quotes and what
/// they quote is never changed; every other mark Markdown would read is shown as written.
pub fn smart_text(text: &str) -> String {
    if !text.contains(['\'', '"', '-', '.']) {
        return text.to_string();
    }
    // Each call stands in as one letter-like placeholder, so the quotes around it still pair.
    const CALL: char = '\u{E000}';
    let mut calls = Vec::new();
    let mut plain = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("{{") {
        let end = rest[i..].find("}}").map_or(rest.len(), |j| i + j + 2);
        plain.push_str(&rest[..i]);
        plain.push(CALL);
        calls.push(&rest[i..end]);
        rest = &rest[end..];
    }
    plain.push_str(rest);
    let lines: Vec<String> = plain.split('\n').map(smart_line).collect();
    let mut calls = calls.into_iter();
    lines.join("\n").split(CALL).enumerate().fold(String::with_capacity(text.len() + 8), |mut out, (i, part)| {
        if i > 0 {
            out.push_str(calls.next().unwrap_or_default());
        }
        out.push_str(part);
        out
    })
}

/// One line through pulldown-cmark's smart punctuation, with every other ASCII mark escaped
/// and a word in front, so that no line can start a list or a heading.
fn smart_line(line: &str) -> String {
    let mut escaped = String::from("a ");
    for c in line.chars() {
        if c.is_ascii_punctuation() && !matches!(c, '\'' | '"' | '-' | '.') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    let mut out = String::with_capacity(escaped.len());
    for event in Parser::new_ext(&escaped, Options::ENABLE_SMART_PUNCTUATION) {
        match event {
            Event::Text(text) => out.push_str(&text),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    match out.strip_prefix("a ") {
        Some(rest) => rest.to_string(),
        None => out.strip_prefix('a').unwrap_or(&out).to_string(),
    }
}
