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
//! the blocks and places them. A [`form`] and a [`video`] have a file each.

pub mod form;
pub mod video;

use crate::error::{Error, Location, Result};
use crate::escape;
use std::ops::Range;

/// The components there are, by the name that opens their block.
pub const NAMES: [&str; 8] = ["button", "letter", "callout", "details", "support", "donate", "form", "video"];

/// The kinds of call-out, by the word after `callout`.
/// The kinds of call-out; each is labelled with the `callout_KIND` words of the page's language.
const CALLOUTS: [&str; 3] = ["note", "warning", "content-warning"];

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
    /// A note, a warning, or a content warning before hard reading, set apart from the text.
    Callout { kind: &'static str, paragraphs: Vec<Vec<String>> },
    /// More for those who want it: a summary that opens to the text.
    Details { summary: String, paragraphs: Vec<Vec<String>> },
    /// Where to get help (`support`), or a way to give (`donate`): a panel with a title, its
    /// text and a link drawn as a button.
    Panel { class: &'static str, title: String, link: Option<Link>, paragraphs: Vec<Vec<String>> },
    /// A sign-up or petition form, posting to the site's form endpoint.
    Form(form::Form),
    /// A video that loads nothing from its host until the reader asks.
    Video(video::Video),
}

/// A `key: value` line of a block, with where the line and the value stand in its body.
#[derive(Debug, Clone)]
struct Located {
    /// Empty when the line has no `:`.
    key: String,
    value: String,
    span: Range<usize>,
    value_span: Range<usize>,
}

impl Located {
    /// The line `line`, which starts at `start` of the body; `None` when it is blank.
    fn read(line: &str, start: usize) -> Option<Located> {
        let span = start..start + line.trim_end().len().max(1);
        if line.trim().is_empty() {
            return None;
        }
        let Some((key, value)) = line.split_once(':') else {
            return Some(Located { key: String::new(), value: String::new(), value_span: span.clone(), span });
        };
        let value_start = start + key.len() + 1 + (value.len() - value.trim_start().len());
        let value_span = value_start..value_start + value.trim().len().max(1);
        Some(Located { key: key.trim().to_string(), value: unescaped(value.trim()), span, value_span })
    }
}

/// Where a component stands, for the HTML it writes: its links as the page writes them (under
/// the base path, made safe), in the order of [`Component::links`]; its number among the
/// page's components of its kind, for ids; the theme's words in the page's language; and
/// where the page's forms post.
pub struct Place<'a> {
    pub dests: &'a [String],
    pub n: usize,
    pub words: &'a crate::strings::Strings,
    pub forms: Option<&'a form::Target>,
    /// For each of the component's links, in the order of [`Component::links`], the
    /// `<picture>` that shows it when it is one of the site's photos.
    pub pictures: &'a [Option<String>],
}

/// A link a component holds, as the Markdown stage checks and places it: where it leads, where
/// it is written in the block's body, and for an image, its alt text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentLink<'a> {
    pub dest: String,
    pub span: Range<usize>,
    pub image_alt: Option<&'a str>,
}

/// The ids a component's block takes on its page before any heading is given one, from its
/// body as written: a letter's text, a form's fields. `n` numbers it among its kind, from 0.
pub fn ids(info: &str, n: usize, body: &str) -> Vec<String> {
    match info.split_whitespace().next() {
        Some("letter") => vec![letter_id(n)],
        Some("form") => form::ids(n, body),
        _ => Vec::new(),
    }
}

/// A link a component holds, checked as every link is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub text: String,
    pub dest: String,
    /// Where `dest` is written in the block's body.
    pub span: Range<usize>,
}

/// Reads the component block whose info string is `info` and whose body is `body`. `locate`
/// places a span of `body` in its page.
pub fn parse(info: &str, body: &str, locate: &dyn Fn(Range<usize>) -> Location) -> Result<Component> {
    let whole = || 0..body.trim_end().len().max(1).min(body.len().max(1));
    let mut words = info.split_whitespace();
    match words.next() {
        Some("button") => button(body, locate),
        Some("letter") => letter(body, locate),
        Some("callout") => callout(words.next(), body, locate),
        Some("details") => {
            let (mut fields, paragraphs) = framed(body, "details", &["summary"], DETAILS_HINT, locate)?;
            let summary =
                fields.remove("summary").map(|(s, _)| s).ok_or_else(|| Error::new("this disclosure has no summary").at(locate(whole())).hint(DETAILS_HINT))?;
            Ok(Component::Details { summary, paragraphs })
        }
        Some(class @ ("support" | "donate")) => {
            let class = if class == "support" { "support" } else { "donate" };
            let hint = if class == "support" { SUPPORT_HINT } else { DONATE_HINT };
            let (mut fields, paragraphs) = framed(body, class, &["title", "link"], hint, locate)?;
            let title =
                fields.remove("title").map(|(t, _)| t).ok_or_else(|| Error::new(format!("this {class} panel has no title")).at(locate(whole())).hint(hint))?;
            let link = fields.remove("link").map(|(text, span)| link(&text, span.start, locate)).transpose()?;
            if class == "donate" && link.is_none() {
                return Err(Error::new("this donate panel has no link to give through").at(locate(whole())).hint(DONATE_HINT));
            }
            Ok(Component::Panel { class, title, link, paragraphs })
        }
        Some("form") => form::parse(body, locate).map(Component::Form),
        Some("video") => video::parse(body, locate).map(Component::Video),
        _ => Err(Error::new(format!("there is no component `{info}`")).at(locate(whole()))),
    }
}

const DETAILS_HINT: &str = "start with `summary: …`, then a line `---`, then the text that opens";
const SUPPORT_HINT: &str = "start with `title: …` and `link: [Get help](https://…)`, then a line `---`, then the text";
const DONATE_HINT: &str = "start with `title: …` and `link: [Donate](https://…)`, then a line `---`, then the text";

/// `callout KIND`, whose body is its text.
fn callout(kind: Option<&str>, body: &str, locate: &dyn Fn(Range<usize>) -> Location) -> Result<Component> {
    let kind = kind.unwrap_or_default();
    let Some(kind) = CALLOUTS.iter().find(|k| **k == kind) else {
        let hint = if kind.is_empty() {
            "write ```callout note, ```callout warning or ```callout content-warning".to_string()
        } else {
            crate::error::suggestion(kind, CALLOUTS)
        };
        return Err(Error::new(format!("there is no kind of call-out `{kind}`")).at(locate(0..body.len().clamp(1, 1))).hint(hint));
    };
    let paragraphs = paragraphs(body);
    if paragraphs.is_empty() {
        return Err(Error::new("this call-out has no text")
            .at(locate(0..body.len().clamp(1, 1)))
            .hint("write what readers should know first inside the block"));
    }
    Ok(Component::Callout { kind, paragraphs })
}

const BUTTON_HINT: &str = "a button holds one link, such as [Write to your MP](/take-action/)";

fn button(body: &str, locate: &dyn Fn(Range<usize>) -> Location) -> Result<Component> {
    let start = body.len() - body.trim_start().len();
    let Link { text, dest, span } = link(body.trim(), start, locate)?;
    Ok(Component::Button { text, dest, dest_span: span })
}

/// The Markdown link `text`, which stands at `start` of the block's body.
fn link(text: &str, start: usize, locate: &dyn Fn(Range<usize>) -> Location) -> Result<Link> {
    let refuse = |message: &str| Error::new(message).at(locate(start..start + text.len().max(1))).hint(BUTTON_HINT);
    let inner = text.strip_prefix('[').ok_or_else(|| refuse("this is not a link"))?;
    let (label, rest) = inner.split_once("](").ok_or_else(|| refuse("this is not a link"))?;
    let dest = rest.strip_suffix(')').filter(|d| !d.is_empty() && !d.contains(char::is_whitespace)).ok_or_else(|| refuse("this is not one link"))?;
    if label.trim().is_empty() {
        return Err(refuse("this link has no words"));
    }
    let dest_start = start + 1 + label.len() + 2;
    Ok(Link { text: unescaped(label.trim()), dest: dest.to_string(), span: dest_start..dest_start + dest.len() })
}

const LETTER_HINT: &str = "start with `subject: …`, then a line `---`, then the letter";

fn letter(body: &str, locate: &dyn Fn(Range<usize>) -> Location) -> Result<Component> {
    let (mut fields, paragraphs) = framed(body, "letter", &["subject", "to"], LETTER_HINT, locate)?;
    let to = match fields.remove("to") {
        Some((to, _)) if to.contains('@') && !to.contains(char::is_whitespace) => Some(to),
        Some((to, span)) => {
            return Err(Error::new(format!("`{to}` is not an email address"))
                .at(locate(span))
                .hint("give one address, such as `to: team@example.org`, or leave `to` out"))
        }
        None => None,
    };
    let subject = fields
        .remove("subject")
        .map(|(s, _)| s)
        .ok_or_else(|| Error::new("this letter has no subject").at(locate(0..body.len().clamp(1, 3))).hint(LETTER_HINT))?;
    Ok(Component::Letter { subject, to, paragraphs })
}

/// A block of `key: value` lines (only `keys`, each at most once), a `---` line, and text:
/// the values, each with where it is written, and the text's paragraphs.
#[allow(clippy::type_complexity)]
fn framed(
    body: &str,
    what: &str,
    keys: &[&'static str],
    hint: &str,
    locate: &dyn Fn(Range<usize>) -> Location,
) -> Result<(std::collections::BTreeMap<&'static str, (String, Range<usize>)>, Vec<Vec<String>>)> {
    let Some(split) =
        body.match_indices("---").find(|(i, _)| (*i == 0 || body[..*i].ends_with('\n')) && body[i + 3..].starts_with(['\n', '\r'])).map(|(i, _)| i)
    else {
        return Err(Error::new(format!("this {what} has no `---` line between its settings and its text")).at(locate(0..body.len().clamp(1, 3))).hint(hint));
    };
    let mut fields = std::collections::BTreeMap::new();
    let mut at = 0;
    for line in body[..split].split_inclusive('\n') {
        let span = at..at + line.trim_end().len().max(1);
        at += line.len();
        if line.trim().is_empty() {
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            return Err(Error::new(format!("expected `key: value` before the {what}'s `---`")).at(locate(span)).hint(hint));
        };
        let Some(key) = keys.iter().find(|k| **k == key.trim()) else {
            return Err(Error::new(format!("a {what} has no `{}`", key.trim()))
                .at(locate(span))
                .hint(crate::error::suggestion(key.trim(), keys.iter().copied())));
        };
        let (written_key, _) = line.split_once(':').unwrap_or_default();
        let value_start = span.start + written_key.len() + 1 + (value.len() - value.trim_start().len());
        if fields.insert(*key, (unescaped(value.trim()), value_start..value_start + value.trim().len().max(1))).is_some() {
            return Err(Error::new(format!("`{key}` is given twice")).at(locate(span)).hint("remove one of the two"));
        }
    }
    let paragraphs = paragraphs(&body[split + 3..]);
    if paragraphs.is_empty() {
        return Err(Error::new(format!("this {what} has no text after its `---`")).at(locate(split..split + 3)).hint(hint));
    }
    Ok((fields, paragraphs))
}

/// Paragraphs as HTML, with the curly quotes and apostrophes of the body text around them.
fn text_html(paragraphs: &[Vec<String>]) -> String {
    let line = |l: &String| escape::xml(&crate::typography::smart_text(l));
    paragraphs.iter().map(|lines| format!("<p>{}</p>\n", lines.iter().map(line).collect::<Vec<_>>().join("<br>\n"))).collect()
}

/// Text as paragraphs, separated by blank lines, each a list of its lines.
fn paragraphs(text: &str) -> Vec<Vec<String>> {
    text.trim_start_matches(['\r', '\n'])
        .replace("\r\n", "\n")
        .split("\n\n")
        .map(|p| p.lines().map(|l| unescaped(l.trim_end())).filter(|l| !l.trim().is_empty()).collect::<Vec<_>>())
        .filter(|p| !p.is_empty())
        .collect()
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
    /// The component's HTML, as it stands at `place`.
    pub fn html(&self, place: &Place) -> String {
        let (n, words) = (place.n, place.words);
        let dest = place.dests.first().map_or("", String::as_str);
        let text = text_html;
        match self {
            Component::Button { text, .. } => {
                format!("<p class=\"button-row\"><a class=\"button\" href=\"{}\">{}</a></p>\n", escape::xml(dest), escape::xml(text))
            }
            Component::Letter { subject, to, paragraphs } => {
                let id = letter_id(n);
                let mut html = format!("<div class=\"letter\">\n<div class=\"letter-text\" id=\"{id}\">\n");
                html.push_str(&format!(
                    "<p class=\"letter-subject\"><strong>{}</strong> {}</p>\n",
                    escape::xml(&words.get("letter_subject")),
                    escape::xml(subject)
                ));
                for lines in paragraphs {
                    let lines: Vec<String> = lines.iter().map(|l| escape::xml(l)).collect();
                    html.push_str(&format!("<p>{}</p>\n", lines.join("<br>\n")));
                }
                html.push_str("</div>\n<p class=\"button-row\">");
                html.push_str(&format!(
                    "<a class=\"button\" href=\"{}\">{}</a>",
                    escape::xml(&self.mailto(to.as_deref())),
                    escape::xml(&words.get("letter_open"))
                ));
                html.push_str(&format!(
                    " <button type=\"button\" class=\"button button-secondary\" data-copy=\"{id}\" hidden>{}</button>",
                    escape::xml(&words.get("letter_copy"))
                ));
                html.push_str("</p>\n</div>\n");
                html
            }
            Component::Callout { kind, paragraphs } => {
                let label = escape::xml(&words.get(&format!("callout_{}", kind.replace('-', "_"))));
                format!("<div class=\"callout callout-{kind}\" role=\"note\">\n<p class=\"callout-label\">{label}</p>\n{}</div>\n", text(paragraphs))
            }
            Component::Details { summary, paragraphs } => {
                format!("<details class=\"disclosure\">\n<summary>{}</summary>\n{}</details>\n", escape::xml(summary), text(paragraphs))
            }
            Component::Panel { class, title, link, paragraphs } => {
                let button = link.as_ref().map_or(String::new(), |l| {
                    format!("<p class=\"button-row\"><a class=\"button\" href=\"{}\">{}</a></p>\n", escape::xml(dest), escape::xml(&l.text))
                });
                format!("<aside class=\"panel panel-{class}\">\n<p class=\"panel-title\">{}</p>\n{}{button}</aside>\n", escape::xml(title), text(paragraphs))
            }
            Component::Form(form) => form.html(n, words, place.forms),
            Component::Video(video) => {
                let picture = place.pictures.first().and_then(Option::as_deref);
                video.html(dest, picture, place.dests.get(1).map_or("", String::as_str), words)
            }
        }
    }

    /// The links the component holds, to check and to place under the base path: a button's,
    /// a panel's, a video's poster (with its alt text) and transcript.
    pub fn links(&self) -> Vec<ComponentLink<'_>> {
        let plain = |dest: &'_ str, span: Range<usize>| ComponentLink { dest: dest.to_string(), span, image_alt: None };
        match self {
            Component::Button { dest, dest_span, .. } => vec![plain(dest, dest_span.clone())],
            Component::Panel { link: Some(link), .. } => vec![plain(&link.dest, link.span.clone())],
            Component::Video(video) => {
                let poster = ComponentLink { dest: video.poster.dest.clone(), span: video.poster.span.clone(), image_alt: Some(video.poster.text.as_str()) };
                std::iter::once(poster).chain(video.transcript.iter().map(|t| plain(&t.dest, t.span.clone()))).collect()
            }
            _ => Vec::new(),
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

    fn shown(component: &Component, dest: &str, n: usize, words: &crate::strings::Strings) -> String {
        component.html(&Place { dests: &[dest.to_string()], n, words, forms: None, pictures: &[] })
    }

    fn read(info: &str, body: &str) -> Result<Component> {
        parse(info, body, &|span| Location::in_text("content/a.md", body, span.start, span.len(), 1))
    }

    #[test]
    fn a_button_is_one_link() {
        let button = read("button", "[Write to your MP](/take-action/#write)\n").unwrap();
        assert_eq!(button, Component::Button { text: "Write to your MP".into(), dest: "/take-action/#write".into(), dest_span: 19..38 });
        assert_eq!(
            shown(&button, "/camp/take-action/#write", 0, crate::strings::Language::English.words()),
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
        let html = shown(&letter, "", 0, crate::strings::Language::English.words());
        assert!(html.contains("<p class=\"letter-subject\"><strong>Subject:</strong> Please back the asks &amp; more</p>"), "{html}");
        assert!(html.contains("<p>I am worried.<br>\nPolice say 52%.</p>"), "{html}");
        assert!(html.contains("data-copy=\"letter-text\" hidden>Copy the letter</button>"), "{html}");
        let mailto = "mailto:?subject=Please%20back%20the%20asks%20%26%20more&amp;body=Dear%20%5Byour%20MP%27s%20name%5D%2C%0D%0A%0D%0AI%20am%20worried.%0D%0APolice%20say%2052%25.%0D%0A%0D%0AYours%20sincerely%2C%0D%0A%5BYour%20name%5D";
        assert!(html.contains(mailto), "{html}");
        let to = read("letter", "to: mp@example.org\nsubject: S\n---\nHello\n").unwrap();
        assert!(
            shown(&to, "", 1, crate::strings::Language::English.words()).contains("href=\"mailto:mp%40example.org?subject=S&amp;body=Hello\"")
                && shown(&to, "", 1, crate::strings::Language::English.words()).contains("id=\"letter-text-2\"")
        );
        assert_eq!(unescaped(r"0800\ 1111 \[x\]"), r"0800\ 1111 [x]");
    }

    #[test]
    fn a_components_text_takes_the_curly_punctuation_and_the_words_of_its_page() {
        let note = read("callout note", "Mae'r dudalen hon yn \"bwysig\".\n").unwrap();
        let html = shown(&note, "", 0, crate::strings::Language::Welsh.words());
        assert!(html.contains("<p class=\"callout-label\">Nodyn</p>\n<p>Mae’r dudalen hon yn “bwysig”.</p>"), "{html}");
    }

    #[test]
    fn callouts_disclosures_and_panels_say_what_they_hold() {
        let warning = read("callout content-warning", "This page discusses sexual offences against children.\n").unwrap();
        assert_eq!(
            shown(&warning, "", 0, crate::strings::Language::English.words()),
            "<div class=\"callout callout-content-warning\" role=\"note\">\n<p class=\"callout-label\">Content warning</p>\n<p>This page discusses sexual offences against children.</p>\n</div>\n"
        );
        let details = read("details", "summary: How police <record> platforms\n---\nOne.\n\nTwo.\n").unwrap();
        assert_eq!(
            shown(&details, "", 0, crate::strings::Language::English.words()),
            "<details class=\"disclosure\">\n<summary>How police &lt;record&gt; platforms</summary>\n<p>One.</p>\n<p>Two.</p>\n</details>\n"
        );
        let body = "title: Worried about a child?\nlink: [Get help](https://www.example.org/help)\n---\nAdvice is there.\n";
        let support = read("support", body).unwrap();
        let link = support.links().remove(0);
        assert_eq!((link.dest.as_str(), &body[link.span]), ("https://www.example.org/help", "https://www.example.org/help"));
        assert!(shown(&support, "https://www.example.org/help", 0, crate::strings::Language::English.words()).contains("<aside class=\"panel panel-support\">\n<p class=\"panel-title\">Worried about a child?</p>\n<p>Advice is there.</p>\n<p class=\"button-row\"><a class=\"button\" href=\"https://www.example.org/help\">Get help</a></p>"));
        let cases = [
            ("callout", "caution", "Careful.\n", "there is no kind of call-out `caution`"),
            ("callout", "warnin", "Careful.\n", "did you mean `warning`?"),
            ("callout", "note", "\n", "this call-out has no text"),
            ("details", "", "---\nText.\n", "this disclosure has no summary"),
            ("details", "", "summery: S\n---\nText.\n", "did you mean `summary`?"),
            ("donate", "", "title: Give\n---\nText.\n", "no link to give through"),
            ("support", "", "title: Help\nlink: help page\n---\nText.\n", "this is not a link"),
            ("support", "", "title: A\ntitle: B\n---\nText.\n", "`title` is given twice"),
        ];
        for (name, kind, body, expected) in cases {
            let error = read(&format!("{name} {kind}"), body).unwrap_err();
            let said = format!("{} {}", error.message(), error.hint_text().unwrap_or_default());
            assert!(said.contains(expected), "{name} {kind} {body:?}: {said}");
            assert!(error.location().is_some_and(|l| l.line.is_some()), "{name} {body:?}");
        }
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
