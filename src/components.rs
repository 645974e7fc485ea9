//! Components: blocks a page writes for what Markdown has no word for, such as a button or a
//! letter to an MP.
//!
//! Every component is written the same way as the chart embed: a fenced block whose first
//! word names the component, holding what the component needs.
//!
//! ````markdown
//! ```button
//! [Write to your MP](/take-action/#write-to-your-mp)
//! ```
//!
//! ```letter
//! subject: Please back the campaign's asks
//! ---
//! Dear [your MP's name],
//!
//! I am writing as your constituent…
//! ```
//! ````
//!
//! A button holds one Markdown link. A letter holds `key: value` lines (`subject`, and `to`
//! when it goes to one address), a `---` line, and the letter itself: paragraphs separated by
//! blank lines, lines kept as written. Values (`{{ value(…) }}`) are filled in both, as in any
//! text. This module reads a component's body and writes its HTML; the Markdown stage finds
//! the blocks and places them.

use crate::error::{Error, Location, Result};
use crate::escape;
use std::ops::Range;

/// The components there are, by the name that opens their block.
pub const NAMES: [&str; 2] = ["button", "letter"];

/// Whether a fenced block's info string opens a component.
pub fn is_component(info: &str) -> bool {
    info.split_whitespace().next().is_some_and(|name| NAMES.contains(&name))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Component {
    /// A link drawn as a button: the main thing a reader can do next.
    Button { text: String, dest: String, dest_span: Range<usize> },
    /// A letter to send: shown to read, opened in the reader's email app, and copied.
    Letter { subject: String, to: Option<String>, paragraphs: Vec<Vec<String>> },
}

/// Reads the component block whose info string is `info` and whose body is `body`. `locate`
/// places a span of `body` in its page.
pub fn parse(info: &str, body: &str, locate: &dyn Fn(Range<usize>) -> Location) -> Result<Component> {
    let whole = || 0..body.trim_end().len().max(1).min(body.len().max(1));
    match info.split_whitespace().next() {
        Some("button") => button(body, locate),
        Some("letter") => letter(body, locate),
        _ => Err(Error::new(format!("there is no component `{info}`")).at(locate(whole()))),
    }
}

const BUTTON_HINT: &str = "a button holds one link, such as [Write to your MP](/take-action/)";

fn button(body: &str, locate: &dyn Fn(Range<usize>) -> Location) -> Result<Component> {
    let start = body.len() - body.trim_start().len();
    let text = body.trim();
    let refuse = |message: &str| Error::new(message).at(locate(start..start + text.len().max(1))).hint(BUTTON_HINT);
    let inner = text.strip_prefix('[').ok_or_else(|| refuse("this button is not a link"))?;
    let (label, rest) = inner.split_once("](").ok_or_else(|| refuse("this button is not a link"))?;
    let dest = rest.strip_suffix(')').filter(|d| !d.is_empty() && !d.contains(char::is_whitespace)).ok_or_else(|| refuse("this button is not one link"))?;
    if label.trim().is_empty() {
        return Err(refuse("this button has no words"));
    }
    let dest_start = start + 1 + label.len() + 2;
    Ok(Component::Button { text: unescaped(label.trim()), dest: dest.to_string(), dest_span: dest_start..dest_start + dest.len() })
}

const LETTER_HINT: &str = "start with `subject: …`, then a line `---`, then the letter";

fn letter(body: &str, locate: &dyn Fn(Range<usize>) -> Location) -> Result<Component> {
    let Some(split) =
        body.match_indices("---").find(|(i, _)| (*i == 0 || body[..*i].ends_with('\n')) && body[i + 3..].starts_with(['\n', '\r'])).map(|(i, _)| i)
    else {
        return Err(Error::new("this letter has no `---` line between its subject and its text").at(locate(0..body.len().clamp(1, 3))).hint(LETTER_HINT));
    };
    let (mut subject, mut to) = (None, None);
    let mut at = 0;
    for line in body[..split].split_inclusive('\n') {
        let span = at..at + line.trim_end().len().max(1);
        at += line.len();
        if line.trim().is_empty() {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            return Err(Error::new("expected `key: value` before the letter's `---`").at(locate(span)).hint(LETTER_HINT));
        };
        let value = unescaped(value.trim());
        match key.trim() {
            "subject" => subject = Some(value),
            "to" if value.contains('@') && !value.contains(char::is_whitespace) => to = Some(value),
            "to" => {
                return Err(Error::new(format!("`{value}` is not an email address"))
                    .at(locate(span))
                    .hint("give one address, such as `to: team@example.org`, or leave `to` out"))
            }
            other => return Err(Error::new(format!("a letter has no `{other}`")).at(locate(span)).hint(crate::error::suggestion(other, ["subject", "to"]))),
        }
    }
    let subject = subject.filter(|s| !s.is_empty()).ok_or_else(|| Error::new("this letter has no subject").at(locate(0..split.max(1))).hint(LETTER_HINT))?;
    let text = body[split + 3..].trim_start_matches(['\r', '\n']);
    let paragraphs: Vec<Vec<String>> = text
        .replace("\r\n", "\n")
        .split("\n\n")
        .map(|p| p.lines().map(|l| unescaped(l.trim_end())).filter(|l| !l.trim().is_empty()).collect::<Vec<_>>())
        .filter(|p| !p.is_empty())
        .collect();
    if paragraphs.is_empty() {
        return Err(Error::new("this letter has no text after its `---`").at(locate(split..split + 3)).hint(LETTER_HINT));
    }
    Ok(Component::Letter { subject, to, paragraphs })
}

/// Text as the reader sees it: the Markdown stage marks punctuation of text meant literally
/// (`{{ literal(…) }}`) with backslashes, which a block's body keeps as written.
fn unescaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match chars.peek() {
            Some(next) if c == '\\' && next.is_ascii_punctuation() => {}
            _ => out.push(c),
        }
    }
    out
}

impl Component {
    /// The component's HTML. `dest` is a button's link as the page writes it (under the base
    /// path, made safe); `n` numbers the component on its page, for ids.
    pub fn html(&self, dest: &str, n: usize) -> String {
        match self {
            Component::Button { text, .. } => {
                format!("<p class=\"button-row\"><a class=\"button\" href=\"{}\">{}</a></p>\n", escape::xml(dest), escape::xml(text))
            }
            Component::Letter { subject, to, paragraphs } => {
                let id = letter_id(n);
                let mut html = format!("<div class=\"letter\">\n<div class=\"letter-text\" id=\"{id}\">\n");
                html.push_str(&format!("<p class=\"letter-subject\"><strong>Subject:</strong> {}</p>\n", escape::xml(subject)));
                for lines in paragraphs {
                    let lines: Vec<String> = lines.iter().map(|l| escape::xml(l)).collect();
                    html.push_str(&format!("<p>{}</p>\n", lines.join("<br>\n")));
                }
                html.push_str("</div>\n<p class=\"button-row\">");
                html.push_str(&format!("<a class=\"button\" href=\"{}\">Open the letter in your email app</a>", escape::xml(&self.mailto(to.as_deref()))));
                html.push_str(&format!(" <button type=\"button\" class=\"button button-secondary\" data-copy=\"{id}\" hidden>Copy the letter</button>"));
                html.push_str("</p>\n</div>\n");
                html
            }
        }
    }

    /// A `mailto:` address with the subject and the letter's text, encoded as RFC 6068 asks:
    /// every byte but the unreserved ones percent-encoded, lines ending in `%0D%0A`.
    fn mailto(&self, to: Option<&str>) -> String {
        let Component::Letter { subject, paragraphs, .. } = self else { return String::new() };
        let text = paragraphs.iter().map(|p| p.join("\r\n")).collect::<Vec<_>>().join("\r\n\r\n");
        format!("mailto:{}?subject={}&body={}", to.map(encoded).unwrap_or_default(), encoded(subject), encoded(&text))
    }
}

/// The id of a page's `n`-th letter (from 0), which headings on its page leave to it.
pub fn letter_id(n: usize) -> String {
    if n == 0 {
        "letter-text".to_string()
    } else {
        format!("letter-text-{}", n + 1)
    }
}

/// `text` percent-encoded for a `mailto:` link: everything but letters, digits and `-._~`.
fn encoded(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(info: &str, body: &str) -> Result<Component> {
        parse(info, body, &|span| Location::in_text("content/a.md", body, span.start, span.len(), 1))
    }

    #[test]
    fn a_button_is_one_link() {
        let button = read("button", "[Write to your MP](/take-action/#write)\n").unwrap();
        assert_eq!(button, Component::Button { text: "Write to your MP".into(), dest: "/take-action/#write".into(), dest_span: 19..38 });
        assert_eq!(
            button.html("/camp/take-action/#write", 0),
            "<p class=\"button-row\"><a class=\"button\" href=\"/camp/take-action/#write\">Write to your MP</a></p>\n"
        );
        for bad in ["Write to your MP", "[](/x/)", "[Go](/x/) and more", "[Go]()"] {
            let error = read("button", bad).unwrap_err();
            assert_eq!(error.hint_text(), Some(BUTTON_HINT), "{bad}");
            assert!(error.location().is_some_and(|l| l.line.is_some()), "{bad}");
        }
    }

    #[test]
    fn a_letter_is_shown_sent_and_copied_from_one_text() {
        let body = "subject: Please back the asks & more\n---\nDear [your MP's name],\n\nI am worried.\nPolice say 52%.\n\nYours sincerely,\n[Your name]\n";
        let letter = read("letter", body).unwrap();
        let html = letter.html("", 0);
        assert!(html.contains("<p class=\"letter-subject\"><strong>Subject:</strong> Please back the asks &amp; more</p>"), "{html}");
        assert!(html.contains("<p>I am worried.<br>\nPolice say 52%.</p>"), "{html}");
        assert!(html.contains("data-copy=\"letter-text\" hidden>Copy the letter</button>"), "{html}");
        let mailto = "mailto:?subject=Please%20back%20the%20asks%20%26%20more&amp;body=Dear%20%5Byour%20MP%27s%20name%5D%2C%0D%0A%0D%0AI%20am%20worried.%0D%0APolice%20say%2052%25.%0D%0A%0D%0AYours%20sincerely%2C%0D%0A%5BYour%20name%5D";
        assert!(html.contains(mailto), "{html}");
        let to = read("letter", "to: mp@example.org\nsubject: S\n---\nHello\n").unwrap();
        assert!(to.html("", 1).contains("href=\"mailto:mp%40example.org?subject=S&amp;body=Hello\"") && to.html("", 1).contains("id=\"letter-text-2\""));
        assert_eq!(unescaped(r"0800\ 1111 \[x\]"), r"0800\ 1111 [x]");
    }

    #[test]
    fn a_broken_letter_says_what_it_lacks_where() {
        let cases = [
            ("Dear MP,\n", "has no `---` line"),
            ("subjet: S\n---\nHi\n", "a letter has no `subjet`"),
            ("to: my MP\nsubject: S\n---\nHi\n", "is not an email address"),
            ("---\nHi\n", "has no subject"),
            ("subject: S\n---\n\n", "has no text after"),
            ("subject S\n---\nHi\n", "expected `key: value`"),
        ];
        for (body, message) in cases {
            let error = read("letter", body).unwrap_err();
            assert!(error.message().contains(message), "{body:?}: {}", error.message());
            assert!(error.location().is_some_and(|l| l.line.is_some()), "{body:?}");
        }
        assert_eq!(read("letter", "subjet: S\n---\nHi\n").unwrap_err().hint_text(), Some("did you mean `subject`?"));
    }
}
