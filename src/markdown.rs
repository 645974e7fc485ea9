//! Markdown: finds a page's embeds, and turns its body into HTML.
//!
//! Two embeds exist. A fenced block with the info string `chart ID` places figure ID, and
//! `{{ value(id="ID", key="KEY") }}` (or `label="LABEL"`) places one of its numbers. A third
//! call, `{{ literal("0800 1111") }}`, marks text the writer means as written (a phone number,
//! a name with a digit in it), so that `check` does not take it for a number typed by hand; it
//! is shown exactly as written, never read as Markdown or HTML. [`scan`] finds them all with
//! their byte spans, skipping code spans and code blocks, so that `check` can point at a bad
//! reference. [`render`] then writes the HTML: values substituted, charts
//! placed, an `id` on every heading, wide tables made scrollable, and root-relative links put
//! under the site's base path.
//!
//! No text of a page becomes markup of its own. Raw HTML is written as text; a heading may
//! carry only an id and classes, each a [safe token](is_safe_token); a link or image may not
//! use a scheme that runs code; every other piece of source (titles, footnote labels, code
//! languages) lands inside a quoted, escaped attribute value. [`scan`] reports what breaks
//! these rules, and [`render`] drops it even so, so that nothing reaches a page unchecked.
//! Every id on a page (headings, charts, footnotes, `main`) is unique.

use crate::components::{self, Component};
use crate::error::{Error, Location, Result};
use pulldown_cmark::{html, CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use std::collections::HashMap;
use std::ops::Range;

fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_SMART_PUNCTUATION | Options::ENABLE_HEADING_ATTRIBUTES
}

/// What an embed asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmbedKind {
    Chart { id: String },
    Value { id: String, key: Option<String>, label: Option<String> },
}

/// An embed and where it is in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Embed {
    pub kind: EmbedKind,
    /// The whole embed (for a value, the `{{ … }}` to replace).
    pub span: Range<usize>,
    /// The figure id inside it, for pointing at an unknown one.
    pub id_span: Range<usize>,
}

impl Embed {
    pub fn figure_id(&self) -> &str {
        match &self.kind {
            EmbedKind::Chart { id } | EmbedKind::Value { id, .. } => id,
        }
    }
}

/// How deeply Markdown structure (quotes, lists, emphasis…) may nest. Real pages stay well
/// under ten; the limit keeps hostile input from exhausting the stack of the HTML minifier.
pub const MAX_NESTING: usize = 100;

/// A problem found while scanning, before it is placed in its file: the message, a hint, and
/// the bytes of the body it is about. [`scan`] turns each into an [`Error`].
#[derive(Debug, Clone, PartialEq, Eq)]
struct Flaw {
    message: String,
    hint: String,
    span: Range<usize>,
}

impl Flaw {
    fn placed(self, locate: &dyn Fn(Range<usize>) -> Location) -> Error {
        Error::new(self.message).at(locate(self.span)).hint(self.hint)
    }
}

/// A link or image in a page, for `check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub dest: String,
    pub span: Range<usize>,
    /// For an image, its alt text.
    pub image_alt: Option<String>,
    /// An image marked as decoration (`![](border.jpg "decorative")`), which needs no alt text.
    pub decorative: bool,
}

/// The title that marks an image as decoration, which screen readers then pass over.
pub const DECORATIVE: &str = "decorative";

/// What a body holds that other stages need: its embeds, the `id` of each heading (in
/// order), its links, and the problems that do not stop it being read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scanned {
    pub embeds: Vec<Embed>,
    /// The `{{ literal("…") }}` calls, in order. Kept apart from `embeds`, which all name a figure.
    pub literals: Vec<Literal>,
    pub heading_ids: Vec<String>,
    pub links: Vec<Link>,
    /// Headings with attributes a page may not carry, and ids given twice. `check` reports
    /// them with the page's other problems, so that one does not hide the rest.
    pub problems: Vec<Error>,
    /// The components (buttons, letters, forms…), in order, each with the span of its block's
    /// body.
    pub components: Vec<(Component, Range<usize>)>,
}

/// A `{{ literal("…") }}` call: text the writer marks as meant, shown exactly as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Literal {
    pub text: String,
    /// The whole call, `{{` to `}}`.
    pub span: Range<usize>,
}

/// A heading as written: the id and classes it asks for, its other attributes, its text.
struct HeadingSource {
    given: Option<String>,
    classes: Vec<String>,
    attrs: Vec<String>,
    text: String,
    span: Range<usize>,
}

/// Finds the embeds, heading ids and links of a Markdown body, in order. See the module docs.
/// `locate` gives the place in the page's file of a span of the body, for its problems.
pub fn scan(body: &str, locate: &dyn Fn(Range<usize>) -> Location) -> Result<Scanned> {
    let (mut scanned, problems, blocks) = scan_spans(body).map_err(|flaw| flaw.placed(locate))?;
    scanned.problems = problems.into_iter().map(|flaw| flaw.placed(locate)).collect();
    for (info, at) in blocks {
        let inside = |span: Range<usize>| locate(at.start + span.start..at.start + span.end);
        match components::parse(&info, &body[at.clone()], &inside) {
            Ok(component) => {
                // A component's links are checked as every link is.
                for link in component.links() {
                    let span = at.start + link.span.start..at.start + link.span.end;
                    scanned.links.push(Link { dest: link.dest, span, image_alt: link.image_alt.map(str::to_string), decorative: false });
                }
                scanned.components.push((component, at));
            }
            Err(e) => scanned.problems.push(e),
        }
    }
    Ok(scanned)
}

/// A component's block: its info string, and the span of its body.
type Block = (String, Range<usize>);

/// [`scan`], with problems as spans of the body: the problems that stop it, else what it found
/// and the problems that do not.
fn scan_spans(body: &str) -> std::result::Result<(Scanned, Vec<Flaw>, Vec<Block>), Flaw> {
    let mut blocks = Vec::new();
    let mut embeds = Vec::new();
    let mut links = Vec::new();
    let mut headings: Vec<HeadingSource> = Vec::new();
    let mut footnotes: Vec<(String, Range<usize>)> = Vec::new();
    let mut in_heading = false;
    let mut image: Option<(String, Range<usize>, String, bool)> = None;
    let mut code: Vec<Range<usize>> = Vec::new();
    let mut parser = Parser::new_ext(body, options()).into_offset_iter();
    let mut depth = 0usize;
    while let Some((event, range)) = parser.next() {
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > MAX_NESTING {
            return Err(Flaw {
                message: format!("Markdown here is nested more than {MAX_NESTING} levels deep"),
                hint: "use fewer levels of quotes and lists".into(),
                span: range.start..(range.start + 1).min(body.len()).max(range.start),
            });
        }
        if let Event::Text(t) | Event::Code(t) = &event {
            if let Some(heading) = headings.last_mut().filter(|_| in_heading) {
                heading.text.push_str(t);
            }
            if let Some((_, _, alt, _)) = image.as_mut() {
                alt.push_str(t);
            }
        }
        match event {
            Event::Code(_) => code.push(range),
            Event::Start(Tag::Heading { id, classes, attrs, .. }) => {
                in_heading = true;
                headings.push(HeadingSource {
                    given: id.map(|i| i.to_string()),
                    classes: classes.iter().map(|c| c.to_string()).collect(),
                    attrs: attrs.iter().map(|(name, _)| name.to_string()).collect(),
                    text: String::new(),
                    span: range,
                });
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Start(Tag::FootnoteDefinition(label)) => footnotes.push((label.to_string(), range)),
            Event::Start(Tag::Link { dest_url, .. }) => {
                links.push(Link { dest: dest_url.to_string(), span: link_span(body, &range), image_alt: None, decorative: false })
            }
            Event::Start(Tag::Image { dest_url, title, .. }) => {
                let decorative = title.trim().eq_ignore_ascii_case(DECORATIVE);
                image = Some((dest_url.to_string(), link_span(body, &range), String::new(), decorative));
            }
            Event::End(TagEnd::Image) => {
                if let Some((dest, span, alt, decorative)) = image.take() {
                    links.push(Link { dest, span, image_alt: Some(alt), decorative });
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let mut content_empty = true;
                let mut content: Option<Range<usize>> = None;
                for (inner, inner_range) in parser.by_ref() {
                    match inner {
                        Event::End(TagEnd::CodeBlock) => {
                            depth -= 1;
                            break;
                        }
                        Event::Text(t) => {
                            content_empty &= t.trim().is_empty();
                            content = Some(content.map_or(inner_range.clone(), |c| c.start..inner_range.end));
                        }
                        _ => {}
                    }
                }
                match &kind {
                    // A component's words are text: values are filled in them and read.
                    CodeBlockKind::Fenced(info) if components::is_component(info) => {
                        let at = content.unwrap_or(range.end..range.end);
                        blocks.push((info.to_string(), at));
                        continue;
                    }
                    CodeBlockKind::Fenced(info) => {
                        if let Some(embed) = chart_block(body, info, &range, content_empty)? {
                            embeds.push(embed);
                        }
                    }
                    CodeBlockKind::Indented => {}
                }
                code.push(range);
            }
            _ => {}
        }
    }
    let mut ids = PageIds::new(&embeds);
    let mut placed: HashMap<&str, usize> = HashMap::new();
    for (info, at) in &blocks {
        let n = placed.entry(info.split_whitespace().next().unwrap_or_default()).or_default();
        ids.reserve(components::ids(info, *n, &body[at.clone()]).into_iter(), Owner::Component);
        *n += 1;
    }
    let mut problems = Vec::new();
    ids.footnotes(body, &footnotes, &mut problems);
    let heading_ids = ids.headings(body, &headings, &mut problems);
    embeds.extend(value_calls(body, &code, None)?);
    embeds.sort_by_key(|e| e.span.start);
    let literals = literal_calls(body, &code)?;
    Ok((Scanned { embeds, literals, heading_ids, links, problems: Vec::new(), components: Vec::new() }, problems, blocks))
}

/// The `{{ value(…) }}` calls in a text that is not Markdown, such as a figure's title or note,
/// where a call may leave out `id` to mean the figure `own`, if there is one. `locate` places a span of `text`.
pub fn value_calls_in(text: &str, own: Option<&str>, locate: &dyn Fn(Range<usize>) -> Location) -> Result<Vec<Embed>> {
    value_calls(text, &[], own).map_err(|flaw| flaw.placed(locate))
}

/// The `{{ value(…) }}` calls of `body` outside code (`code` holds the code's spans, in order);
/// with `own`, a call without `id` quotes that figure.
fn value_calls(body: &str, code: &[Range<usize>], own: Option<&str>) -> std::result::Result<Vec<Embed>, Flaw> {
    calls_outside_code(body, code, |start| value_call(body, start, own), |embed| embed.span.end)
}

/// The `{{ literal(…) }}` calls in a text that is not Markdown, such as a figure's title.
pub fn literals_in(text: &str, locate: &dyn Fn(Range<usize>) -> Location) -> Result<Vec<Literal>> {
    literal_calls(text, &[]).map_err(|flaw| flaw.placed(locate))
}

/// The `{{ literal(…) }}` calls of `body` outside code (`code` holds the code's spans, in order).
fn literal_calls(body: &str, code: &[Range<usize>]) -> std::result::Result<Vec<Literal>, Flaw> {
    calls_outside_code(body, code, |start| literal_call(body, start), |literal| literal.span.end)
}

/// What `call` finds at each `{{` of `body` outside code (`code` holds the code's spans, in
/// order), reading on from where each found call `ends`.
fn calls_outside_code<T>(
    body: &str,
    code: &[Range<usize>],
    call: impl Fn(usize) -> std::result::Result<Option<T>, Flaw>,
    ends: impl Fn(&T) -> usize,
) -> std::result::Result<Vec<T>, Flaw> {
    let mut found = Vec::new();
    let mut code = code.iter().peekable();
    let mut at = 0;
    while let Some(next) = body[at..].find("{{") {
        let start = at + next;
        at = start + 2;
        // Both move forward only, so a page of many calls and much code is read once.
        while code.next_if(|r| r.end <= start).is_some() {}
        if let Some(block) = code.peek().filter(|r| r.contains(&start)) {
            at = at.max(block.end);
            continue;
        }
        if let Some(made) = call(start)? {
            at = ends(&made);
            found.push(made);
        }
    }
    Ok(found)
}

const LITERAL_HINT: &str = r#"write the text in quotes, on one line, such as {{ literal("0800 1111") }}"#;

/// Parses `{{ literal("…") }}` (or with single quotes) at `start`. Text that is not a
/// `literal` call is left alone.
fn literal_call(body: &str, start: usize) -> std::result::Result<Option<Literal>, Flaw> {
    let rest = &body[start + 2..];
    let inner_start = start + 2 + (rest.len() - rest.trim_start().len());
    let name = "literal";
    let named = body[inner_start..].strip_prefix(name).is_some_and(|after| !after.starts_with(|c: char| c.is_alphanumeric() || c == '_'));
    if !named {
        return Ok(None);
    }
    let fail = |message: &str, span: Range<usize>| Flaw { message: message.to_string(), hint: LITERAL_HINT.to_string(), span };
    let close = body[start..].find("}}").map(|i| start + i).filter(|&close| memchr::memchr(b'\n', &body.as_bytes()[start..close]).is_none());
    let Some(close) = close else {
        let line_end = body[start..].find('\n').map_or(body.len(), |i| start + i);
        return Err(fail("this `{{ literal(…) }}` is not closed with `}}` on the same line", start..line_end));
    };
    let span = start..close + 2;
    let args = body[inner_start + name.len()..close].trim().strip_prefix('(').and_then(|a| a.strip_suffix(')')).map(str::trim);
    let quoted = args.and_then(|a| {
        let quote = a.chars().next().filter(|q| *q == '"' || *q == '\'')?;
        let text = a.strip_prefix(quote)?.strip_suffix(quote)?;
        (!text.contains(quote)).then_some(text)
    });
    match quoted {
        None => Err(fail("this is not a well-formed `literal(…)` call", span)),
        Some("") => Err(fail("this `literal(…)` holds no text", span)),
        Some(text) => Ok(Some(Literal { text: text.to_string(), span })),
    }
}

/// `text` with every ASCII punctuation mark escaped, so that Markdown shows it as written: a
/// literal is never emphasis, a link, a list or HTML, and smart punctuation leaves it alone.
fn escaped_for_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The spans of `body` that a reader sees as words: its text, outside code and raw HTML, and
/// not the addresses written as links of their own (`<https://…>`). Image alt text is
/// included; link addresses, heading ids, list numbers and footnote labels are not text.
pub fn prose(body: &str) -> Vec<Range<usize>> {
    let mut spans: Vec<Range<usize>> = Vec::new();
    let (mut code, mut address, mut component) = (0usize, false, false);
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        match event {
            // A component's words (a button, a letter) are read as text.
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if components::is_component(&info) => component = true,
            Event::End(TagEnd::CodeBlock) if component => component = false,
            Event::Start(Tag::CodeBlock(_)) => code += 1,
            Event::End(TagEnd::CodeBlock) => code = code.saturating_sub(1),
            Event::Start(Tag::Link { link_type: pulldown_cmark::LinkType::Autolink | pulldown_cmark::LinkType::Email, .. }) => address = true,
            Event::End(TagEnd::Link) => address = false,
            Event::Text(_) if code == 0 && !address => match spans.last_mut() {
                Some(last) if last.end == range.start => last.end = range.end,
                _ => spans.push(range),
            },
            _ => {}
        }
    }
    spans
}

/// A link's span for errors: its first line, so that a caret does not run on.
fn link_span(body: &str, range: &Range<usize>) -> Range<usize> {
    let line_end = memchr::memchr(b'\n', &body.as_bytes()[range.start..range.end]).map_or(range.end, |i| range.start + i);
    range.start..line_end.max(range.start + 1).min(body.len().max(range.start))
}

/// Heading text without `{{ … }}` calls, so that a heading's id does not depend on the
/// number it quotes.
fn strip_calls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("{{") {
        out.push_str(&rest[..i]);
        rest = rest[i..].find("}}").map_or("", |j| &rest[i + j + 2..]);
    }
    out.push_str(rest);
    out
}

/// Whether `token` may be a heading's id or class: letters and digits (of any script), `-`
/// and `_`. Such a token can neither end the attribute value it sits in nor start another.
pub fn is_safe_token(token: &str) -> bool {
    !token.is_empty() && token.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_')
}

/// The link schemes a page may use. Anything else (`javascript:`, `data:`, `vbscript:`…)
/// could run code in a reader's browser.
const SAFE_SCHEMES: [&str; 5] = ["http", "https", "mailto", "tel", "sms"];

/// The scheme of `url` (`javascript` for ` JavaScript:alert(1)`), if it has one.
pub fn scheme(url: &str) -> Option<String> {
    // Most links are site paths: without a colon there is no scheme to find.
    if !url.contains(':') {
        return None;
    }
    let cleaned: String = url.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
    let colon = cleaned.find(':')?;
    let name = &cleaned[..colon];
    let valid = name.starts_with(|c: char| c.is_ascii_alphabetic()) && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.');
    valid.then(|| name.to_ascii_lowercase())
}

/// Whether a reader's browser may follow `url` safely.
pub fn is_safe_url(url: &str) -> bool {
    scheme(url).is_none_or(|s| SAFE_SCHEMES.contains(&s.as_str()))
}

/// Why `url` may not be followed, for `check` to place; `None` when it is safe.
pub fn unsafe_url(url: &str) -> Option<Error> {
    if is_safe_url(url) {
        return None;
    }
    let message = format!("this link uses `{}:`, which could run code in a reader's browser", scheme(url).unwrap_or_default());
    Some(Error::new(message).hint("links may use http, https, mailto, tel or sms, or point to a page of this site such as /evidence/"))
}

fn chart_block(body: &str, info: &str, range: &Range<usize>, empty: bool) -> std::result::Result<Option<Embed>, Flaw> {
    let mut words = info.split_whitespace();
    if words.next() != Some("chart") {
        return Ok(None);
    }
    let first_line_end = body[range.clone()].find('\n').map_or(range.end, |i| range.start + i);
    let header = &body[range.start..first_line_end];
    let Some(id) = words.next() else {
        return Err(Flaw {
            message: "this chart block does not say which figure to show".into(),
            hint: "write the figure's id after `chart`, such as ```chart platforms-england-wales".into(),
            span: range.start..first_line_end,
        });
    };
    let id_start = range.start + header.find(id).unwrap_or(0);
    let id_span = id_start..id_start + id.len();
    // The id is looked up among the figures, never written out; a figure's id is its file's
    // name, so anything else cannot name one.
    if !id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) {
        return Err(Flaw {
            message: format!("`{id}` cannot be a figure id"),
            hint: "a figure's id is the name of its file in content/figures/ without `.yaml`, such as ```chart platforms-england-wales".into(),
            span: id_span,
        });
    }
    if words.next().is_some() || !empty {
        return Err(Flaw {
            message: "a chart block holds only the figure id".into(),
            hint: "write ```chart ID on one line and close the block on the next; the numbers belong in the figure file".into(),
            span: range.start..first_line_end,
        });
    }
    Ok(Some(Embed { kind: EmbedKind::Chart { id: id.to_string() }, span: range.clone(), id_span }))
}

/// Parses `{{ value(id="…", key="…") }}` at `start`. Text that is not a `value` call is left alone.
fn value_call(body: &str, start: usize, own: Option<&str>) -> std::result::Result<Option<Embed>, Flaw> {
    let rest = &body[start + 2..];
    let inner_start = start + 2 + (rest.len() - rest.trim_start().len());
    if !body[inner_start..].starts_with("value") {
        return Ok(None);
    }
    let fail = |message: &str, span: Range<usize>| Flaw {
        message: message.to_string(),
        hint: r#"write it as {{ value(id="figure-id", key="name") }} or {{ value(id="figure-id", label="Label") }}"#.to_string(),
        span,
    };
    // Read up to the call's own end, not the line's: a line may hold many thousands of calls.
    let close = body[start..].find("}}").map(|i| start + i).filter(|&close| memchr::memchr(b'\n', &body.as_bytes()[start..close]).is_none());
    let Some(close) = close else {
        let line_end = body[start..].find('\n').map_or(body.len(), |i| start + i);
        return Err(fail("this `{{ value(…) }}` is not closed with `}}` on the same line", start..line_end));
    };
    let span = start..close + 2;
    let call = body[inner_start..close].trim_end();
    let Some(args) = call.strip_prefix("value").map(str::trim_start).and_then(|a| a.strip_prefix('(')).and_then(|a| a.strip_suffix(')')) else {
        return Err(fail("this is not a well-formed `value(…)` call", span));
    };
    let args_start = inner_start + call.find('(').unwrap_or(0) + 1;
    let mut id = None;
    let mut key = None;
    let mut label = None;
    for (name, value, at) in parse_args(args, args_start).map_err(|(m, s)| fail(&m, s))? {
        let slot = match name.as_str() {
            "id" => &mut id,
            "key" => &mut key,
            "label" => &mut label,
            other => {
                let mut err = fail(&format!("`value` has no argument `{other}`"), at.clone());
                err.hint = crate::error::suggestion(other, ["id", "key", "label"]);
                return Err(err);
            }
        };
        if slot.is_some() {
            return Err(fail(&format!("`{name}` is given twice"), at));
        }
        *slot = Some((value, at));
    }
    let Some((id, id_span)) = id.or_else(|| own.map(|own| (own.to_string(), span.clone()))) else {
        return Err(fail("`value` needs the figure's `id`", span));
    };
    if key.is_some() == label.is_some() {
        return Err(fail("`value` needs exactly one of `key` or `label`", span));
    }
    let kind = EmbedKind::Value { id, key: key.map(|k| k.0), label: label.map(|l| l.0) };
    Ok(Some(Embed { kind, span, id_span }))
}

type Arg = (String, String, Range<usize>);

/// `id="a", key='b'` -> [(name, value, span of value)].
fn parse_args(args: &str, offset: usize) -> Result<Vec<Arg>, (String, Range<usize>)> {
    let mut out = Vec::new();
    let mut i = 0;
    let bytes = args.as_bytes();
    let skip_ws = |i: &mut usize| {
        while *i < bytes.len() && (bytes[*i] as char).is_whitespace() {
            *i += 1;
        }
    };
    loop {
        skip_ws(&mut i);
        if i >= bytes.len() {
            return Ok(out);
        }
        let name_start = i;
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
            i += 1;
        }
        let name = &args[name_start..i];
        skip_ws(&mut i);
        if name.is_empty() || i >= bytes.len() || bytes[i] != b'=' {
            return Err(("expected `name=\"…\"` here".into(), offset + name_start..offset + i.max(name_start + 1).min(args.len())));
        }
        i += 1;
        skip_ws(&mut i);
        let quote = bytes.get(i).copied().filter(|q| *q == b'"' || *q == b'\'');
        let Some(quote) = quote else {
            return Err((format!("the value of `{name}` must be in quotes"), offset + i..offset + (i + 1).min(args.len())));
        };
        let value_start = i + 1;
        let Some(len) = args[value_start..].find(quote as char) else {
            return Err((format!("the quote after `{name}=` is not closed"), offset + i..offset + args.len()));
        };
        out.push((name.to_string(), args[value_start..value_start + len].to_string(), offset + value_start..offset + value_start + len));
        i = value_start + len + 1;
        skip_ws(&mut i);
        if i < bytes.len() {
            if bytes[i] != b',' {
                return Err(("separate arguments with commas".into(), offset + i..offset + i + 1));
            }
            i += 1;
        }
    }
}

/// What [`render`] needs from the rest of the build.
pub struct RenderContext<'a> {
    /// The formatted number for each value embed, in the order of the embeds.
    pub values: &'a dyn Fn(&Embed) -> String,
    /// The HTML for a chart embed, given the figure id and how many times it was placed before.
    pub chart: &'a dyn Fn(&str, usize) -> String,
    /// The site's base path, `/` or `/campaign/`.
    pub base_path: &'a str,
    /// The theme's words in the page's language, for the components.
    pub words: &'a crate::strings::Strings,
    /// Where the page's forms post, when the site has somewhere for them to.
    pub forms: Option<&'a components::form::Target>,
    /// The HTML for an image that is one of the site's photos, given its destination as
    /// written, its alt text (empty for decoration) and whether it is the first thing a
    /// reader sees (load it at once) or further down (load it lazily); `None` for any other
    /// image, which is written as it is.
    pub photo: &'a dyn Fn(&str, &str, bool) -> Option<String>,
}

/// The body's HTML. `scanned` must be what [`scan`] found in this same body.
pub fn render(body: &str, scanned: &Scanned, ctx: &RenderContext) -> String {
    let source = substitute_values(body, scanned, ctx);
    let mut out = String::with_capacity(source.len() * 3 / 2);
    // The events stream straight into the HTML: a page of 250,000 tiny elements would hold
    // hundreds of megabytes of them if they were gathered first.
    let events = Rendered {
        parser: Parser::new_ext(&source, options()),
        ctx,
        ids: scanned.heading_ids.iter(),
        chart_count: std::collections::HashMap::new(),
        component_count: std::collections::HashMap::new(),
        queued: std::collections::VecDeque::new(),
        above_fold: true,
    };
    html::push_html(&mut out, events);
    // Column alignment as classes, not inline styles, so a strict Content-Security-Policy holds.
    if out.contains(" style=\"text-align: ") {
        for side in ["left", "center", "right"] {
            out = out.replace(&format!(" style=\"text-align: {side}\""), &format!(" class=\"align-{side}\""));
        }
    }
    out
}

/// A page's Markdown events as the page shows them: charts in place of their blocks, headings
/// with the ids scan chose and safe classes only, tables in a scrolling wrapper, links under
/// the base path and never to code, and raw HTML as text.
struct Rendered<'a, 'c, 'i> {
    parser: Parser<'a>,
    ctx: &'c RenderContext<'c>,
    ids: std::slice::Iter<'i, String>,
    chart_count: std::collections::HashMap<String, usize>,
    /// How many of each component the page has shown so far, for their ids.
    component_count: std::collections::HashMap<String, usize>,
    /// Events made by one source event beyond the first (a table's wrapper).
    queued: std::collections::VecDeque<Event<'a>>,
    /// Nothing yet that pushes a photo below the first screen: no heading, chart, table,
    /// component or earlier photo. A photo while this holds loads at once, the rest lazily.
    above_fold: bool,
}

impl<'a> Iterator for Rendered<'a, '_, '_> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        if let Some(event) = self.queued.pop_front() {
            return Some(event);
        }
        let event = self.parser.next()?;
        Some(match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if components::is_component(&info) => {
                self.above_fold = false;
                let mut text = String::new();
                for inner in self.parser.by_ref() {
                    match inner {
                        Event::End(TagEnd::CodeBlock) => break,
                        Event::Text(t) => text.push_str(&t),
                        _ => {}
                    }
                }
                // Checked when the page was read; here only its values are new.
                let Ok(component) = components::parse(&info, &text, &|_| Location::file("")) else { return Some(Event::Html(CowStr::from(""))) };
                let dests: Vec<String> =
                    component.links().into_iter().map(|link| under_base(safe_url(CowStr::from(link.dest)), self.ctx.base_path).to_string()).collect();
                let n = self.component_count.entry(info.split_whitespace().next().unwrap_or_default().to_string()).or_default();
                let pictures: Vec<Option<String>> = component
                    .links()
                    .into_iter()
                    .map(|link| link.image_alt.and_then(|alt| (self.ctx.photo)(&link.dest, &crate::typography::smart_text(alt), false)))
                    .collect();
                let place = components::Place { dests: &dests, n: *n, words: self.ctx.words, forms: self.ctx.forms, pictures: &pictures };
                let html = component.html(&place);
                *n += 1;
                Event::Html(CowStr::from(html))
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if info.split_whitespace().next() == Some("chart") => {
                for inner in self.parser.by_ref() {
                    if matches!(inner, Event::End(TagEnd::CodeBlock)) {
                        break;
                    }
                }
                self.above_fold = false;
                let id = info.split_whitespace().nth(1).unwrap_or_default().to_string();
                let n = self.chart_count.entry(id.clone()).or_default();
                let chart = (self.ctx.chart)(&id, *n);
                *n += 1;
                Event::Html(CowStr::from(chart))
            }
            // Only the id scan chose and safe classes: never an attribute of the source's own.
            // Headings do not nest, so the next id is this heading's.
            Event::Start(Tag::Heading { level, classes, .. }) => {
                self.above_fold = false;
                let classes = classes.into_iter().filter(|c| is_safe_token(c)).collect();
                let id = self.ids.next().map(|id| CowStr::from(id.clone()));
                Event::Start(Tag::Heading { level, id, classes, attrs: Vec::new() })
            }
            Event::Start(Tag::Table(alignments)) => {
                self.above_fold = false;
                self.queued.push_back(Event::Start(Tag::Table(alignments)));
                Event::Html(r#"<div class="table-wrap" role="region" aria-label="Table" tabindex="0">"#.into())
            }
            Event::End(TagEnd::Table) => {
                self.queued.push_back(Event::Html("</div>".into()));
                Event::End(TagEnd::Table)
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let dest_url = under_base(safe_url(dest_url), self.ctx.base_path);
                Event::Start(Tag::Link { link_type, dest_url, title, id })
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                // A photo's alt text is the image's text, without its markup.
                let mut alt = String::new();
                let mut inner = Vec::new();
                for event in self.parser.by_ref() {
                    match event {
                        Event::End(TagEnd::Image) => break,
                        Event::Text(ref t) | Event::Code(ref t) => alt.push_str(t),
                        _ => {}
                    }
                    inner.push(event);
                }
                let alt = if title.trim().eq_ignore_ascii_case(DECORATIVE) { String::new() } else { alt };
                let eager = std::mem::replace(&mut self.above_fold, false);
                if let Some(html) = (self.ctx.photo)(&dest_url, &alt, eager) {
                    return Some(Event::InlineHtml(CowStr::from(html)));
                }
                self.queued.extend(inner);
                self.queued.push_back(Event::End(TagEnd::Image));
                let dest_url = under_base(safe_url(dest_url), self.ctx.base_path);
                Event::Start(Tag::Image { link_type, dest_url, title, id })
            }
            // Raw HTML is shown as text, not run: pages stay free of scripts and styles that
            // the site's checks and Content-Security-Policy never saw.
            Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
            other => other,
        })
    }
}

/// The body with each value call replaced by its number, and each literal by its text,
/// escaped so that Markdown shows it as written.
fn substitute_values<'a>(body: &'a str, scanned: &Scanned, ctx: &RenderContext) -> std::borrow::Cow<'a, str> {
    let values = scanned.embeds.iter().filter(|e| matches!(e.kind, EmbedKind::Value { .. })).map(|e| (e.span.clone(), (ctx.values)(e)));
    let literals = scanned.literals.iter().map(|l| (l.span.clone(), escaped_for_markdown(&l.text)));
    let calls: Vec<(Range<usize>, String)> = values.chain(literals).collect();
    if calls.is_empty() {
        return body.into();
    }
    spliced(body, calls).into()
}

/// `text` with each span of `with` replaced by its text: the filling of every call, in a
/// page's Markdown or in a figure's title alike. The spans do not overlap.
pub fn spliced(text: &str, mut with: Vec<(Range<usize>, String)>) -> String {
    with.sort_by_key(|(span, _)| span.start);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (span, filled) in with {
        out.push_str(&text[at..span.start]);
        out.push_str(&filled);
        at = span.end;
    }
    out.push_str(&text[at..]);
    out
}

/// `url`, or nothing if it could run code: `check` refuses such links, and this keeps one out
/// of a page that was never checked.
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    if is_safe_url(&url) {
        url
    } else {
        CowStr::Borrowed("")
    }
}

/// Root-relative links (`/news/`) are written as if the site sat at the root; put them under
/// the base path. Protocol-relative (`//host`) and other links are left alone.
fn under_base<'a>(url: CowStr<'a>, base_path: &str) -> CowStr<'a> {
    if base_path == "/" || !url.starts_with('/') || url.starts_with("//") {
        return url;
    }
    CowStr::from(format!("{base_path}{}", &url[1..]))
}

/// What holds an id on a page, to say so when a heading or footnote asks for it too.
#[derive(Clone)]
enum Owner {
    Main,
    Chart(String),
    Component,
    Footnote,
    Heading,
}

impl Owner {
    fn describe(&self) -> String {
        match self {
            Owner::Main => "the page's main content".to_string(),
            Owner::Chart(id) => format!("the chart `{id}` on this page"),
            Owner::Component => "a letter or form on this page".to_string(),
            Owner::Footnote => "a footnote on this page".to_string(),
            Owner::Heading => "another heading on this page".to_string(),
        }
    }
}

/// The ids of one page, each given once. The templates' `main` and the charts' ids are fixed
/// first, then the footnotes', then the ids that headings ask for; the other headings get
/// readable ids from their text, numbered when taken.
struct PageIds {
    used: HashMap<String, Owner>,
    /// For a wanted id that was taken, the next number to try after it: without it, a page
    /// of many like headings tried every number from 1 for each (20,000 took 43 s).
    next: HashMap<String, usize>,
}

impl PageIds {
    /// The ids that `main` and the charts among `embeds` take: a chart's figure element, and
    /// its SVG's title and description, numbered from its second placing on.
    fn new(embeds: &[Embed]) -> PageIds {
        let mut used = HashMap::new();
        used.insert("main".to_string(), Owner::Main);
        let mut placed: HashMap<&str, usize> = HashMap::new();
        for embed in embeds {
            let EmbedKind::Chart { id } = &embed.kind else { continue };
            let n = placed.entry(id).or_default();
            *n += 1;
            let (figure, chart) =
                if *n == 1 { (format!("figure-{id}"), format!("chart-{id}")) } else { (format!("figure-{id}-{n}"), format!("chart-{id}-{n}")) };
            for taken in [figure, format!("{chart}-title"), format!("{chart}-desc")] {
                used.entry(taken).or_insert_with(|| Owner::Chart(id.clone()));
            }
        }
        PageIds { used, next: HashMap::new() }
    }

    /// Takes `taken` for `owner` before any heading is given an id.
    fn reserve(&mut self, taken: impl Iterator<Item = String>, owner: Owner) {
        for id in taken {
            self.used.entry(id).or_insert_with(|| owner.clone());
        }
    }

    /// Takes each footnote's id (its label); one that a chart or `main` holds is a problem.
    fn footnotes(&mut self, body: &str, footnotes: &[(String, Range<usize>)], problems: &mut Vec<Flaw>) {
        for (label, span) in footnotes {
            match self.used.get(label) {
                Some(Owner::Footnote) => {}
                Some(owner) => problems.push(Flaw {
                    message: format!("the footnote `{label}` has the same id as {}", owner.describe()),
                    hint: format!("give the footnote another name, such as [^{label}-note]"),
                    span: first_line(body, span),
                }),
                None => {
                    self.used.insert(label.clone(), Owner::Footnote);
                }
            }
        }
    }

    /// The id of each heading, in order, with a problem for each attribute, class or id that
    /// a heading may not have.
    fn headings(&mut self, body: &str, headings: &[HeadingSource], problems: &mut Vec<Flaw>) -> Vec<String> {
        let mut ids: Vec<Option<String>> = Vec::with_capacity(headings.len());
        for heading in headings {
            let at = |token: &str| token_span(body, &heading.span, token);
            for name in &heading.attrs {
                problems.push(Flaw {
                    message: format!("a heading may carry only an id and classes, not `{name}`"),
                    hint: "write `{#id .class}` after the heading; other attributes, such as styles or event handlers, could change or run the page".into(),
                    span: at(name),
                });
            }
            for class in heading.classes.iter().filter(|c| !is_safe_token(c)) {
                problems.push(Flaw { message: format!("`.{class}` cannot be a class"), hint: TOKEN_HINT.into(), span: at(class) });
            }
            let Some(given) = &heading.given else {
                ids.push(None);
                continue;
            };
            if !is_safe_token(given) {
                problems.push(Flaw { message: format!("`#{given}` cannot be a heading id"), hint: TOKEN_HINT.into(), span: at(given) });
                ids.push(None);
            } else if let Some(owner) = self.used.get(given) {
                problems.push(Flaw {
                    message: format!("this heading's id `{given}` is already the id of {}", owner.describe()),
                    hint: "ids must be unique on a page: give the heading another id, or none to have one made from its text".into(),
                    span: at(given),
                });
                ids.push(None);
            } else {
                self.used.insert(given.clone(), Owner::Heading);
                ids.push(Some(given.clone()));
            }
        }
        headings.iter().zip(ids).map(|(heading, id)| id.unwrap_or_else(|| self.unique(slugify(&strip_calls(&heading.text))))).collect()
    }

    /// `wanted`, or the first of `wanted-1`, `wanted-2`… that is free.
    fn unique(&mut self, wanted: String) -> String {
        let id = if self.used.contains_key(&wanted) {
            let n = self.next.entry(wanted.clone()).or_insert(1);
            loop {
                let candidate = format!("{wanted}-{n}");
                *n += 1;
                if !self.used.contains_key(&candidate) {
                    break candidate;
                }
            }
        } else {
            wanted
        };
        self.used.insert(id.clone(), Owner::Heading);
        id
    }
}

const TOKEN_HINT: &str = "ids and classes may hold only letters, digits, `-` and `_`, such as `{#our-asks .wide}`";

/// The first line of `span`, at least one byte long where the body allows.
fn first_line(body: &str, span: &Range<usize>) -> Range<usize> {
    link_span(body, span)
}

/// Where `token` is written in the heading at `span` (its attributes come last), or the
/// heading's first line.
fn token_span(body: &str, span: &Range<usize>, token: &str) -> Range<usize> {
    match body[span.clone()].rfind(token).filter(|_| !token.is_empty()) {
        Some(i) => span.start + i..span.start + i + token.len(),
        None => first_line(body, span),
    }
}

/// `Why it matters: the 52% figure` -> `why-it-matters-the-52-figure`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if (c.is_whitespace() || c == '-' || c == '_' || c == '/') && !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() {
        "section".to_string()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_get_the_smart_punctuation_of_body_text_and_calls_stay_as_written() {
        let body = |text: &str| {
            let html = render(
                text,
                &super::scan(text, &|_| Location::file("t.md")).unwrap(),
                &RenderContext {
                    values: &|_| String::new(),
                    chart: &|_, _| String::new(),
                    base_path: "/",
                    words: crate::strings::Language::English.words(),
                    forms: None,
                    photo: &|_, _, _| None,
                },
            );
            html.trim().trim_start_matches("<p>").trim_end_matches("</p>").replace("&quot;", "\"").replace("&amp;", "&").to_string()
        };
        for text in ["It's time for \"rules\"", "2019--2020 and more... 'quoted' --- really", "'single' and \"double\" -- yes", "plain words"] {
            assert_eq!(crate::typography::smart_text(text), body(text), "{text}");
        }
        assert_eq!(crate::typography::smart_text("It's \"{{ value(id=\"f\", key=\"a\") }}\" of cases"), "It’s “{{ value(id=\"f\", key=\"a\") }}” of cases");
        for as_written in ["1. *not* a [list] <b> & #1 `code`", "- not a list", "# not a heading", "1.5 million, north-east", "a\\b"] {
            assert_eq!(crate::typography::smart_text(as_written), as_written);
        }
        assert_eq!(crate::typography::smart_text("first 'line'\n---\nthird"), "first ‘line’\n—\nthird");
    }
    use std::collections::HashSet;

    /// What [`scan_spans`] finds, its problems aside.
    fn scan(body: &str) -> std::result::Result<Scanned, Flaw> {
        scan_spans(body).map(|(scanned, _, _)| scanned)
    }

    /// The problems that do not stop a scan, as spans, to compare with what the body says there.
    fn flaws(body: &str) -> Vec<Flaw> {
        scan_spans(body).unwrap().1
    }

    #[test]
    fn problems_are_placed_in_the_page_file() {
        let body = "Intro.\n\n## Title {#main}\n";
        let locate = |span: Range<usize>| Location::in_text("content/a.md", body, span.start, span.len(), 4);
        let scanned = super::scan(body, &locate).unwrap();
        let problem = &scanned.problems[0];
        assert_eq!(problem.location().and_then(|l| l.line).map(|(line, column, _)| (line, column)), Some((6, 12)), "{problem:?}");
        let stop = super::scan("a {{ value(id=\"f\") }}", &locate).unwrap_err();
        assert!(stop.hint_text().is_some() && stop.location().is_some_and(|l| l.line.is_some()), "{stop:?}");
    }

    fn render_plain(body: &str) -> String {
        let scanned = scan(body).unwrap();
        let values = |e: &Embed| match &e.kind {
            EmbedKind::Value { key: Some(k), .. } => format!("[{k}]"),
            EmbedKind::Value { label: Some(l), .. } => format!("[{l}]"),
            _ => unreachable!(),
        };
        let chart = |id: &str, n: usize| format!("<figure>{id}#{n}</figure>");
        render(
            body,
            &scanned,
            &RenderContext {
                values: &values,
                chart: &chart,
                base_path: "/camp/",
                words: crate::strings::Language::English.words(),
                forms: None,
                photo: &|_, _, _| None,
            },
        )
    }

    #[test]
    fn finds_values_and_charts_with_spans() {
        let body = "Police recorded {{ value(id=\"f\", key=\"total\") }} crimes.\n\n```chart f\n```\n";
        let embeds = scan(body).unwrap().embeds;
        assert_eq!(embeds.len(), 2);
        assert_eq!(&body[embeds[0].span.clone()], "{{ value(id=\"f\", key=\"total\") }}");
        assert_eq!(&body[embeds[0].id_span.clone()], "f");
        assert_eq!(embeds[1].kind, EmbedKind::Chart { id: "f".into() });
        assert_eq!(&body[embeds[1].id_span.clone()], "f");
    }

    #[test]
    fn code_is_never_interpreted() {
        let body = "`{{ value(id=\"x\", key=\"y\") }}`\n\n```\n{{ value(id=\"x\") }}\n```\n\n    {{ value(broken\n";
        assert_eq!(scan(body).unwrap().embeds, Vec::new());
        let html = render_plain(body);
        assert!(html.contains("<code>{{ value(id=\"x\", key=\"y\") }}</code>"), "{html}");
    }

    #[test]
    fn malformed_calls_are_errors_with_spans() {
        let cases = [
            ("a {{ value(id=\"f\", key=\"k\") b", "not closed"),
            ("a {{ value(id=\"f\") }}", "exactly one of `key` or `label`"),
            ("a {{ value(key=\"k\") }}", "needs the figure's `id`"),
            ("a {{ value(id=f, key=\"k\") }}", "must be in quotes"),
            ("a {{ value(id=\"f\", lable=\"k\") }}", "no argument `lable`"),
            ("```chart\n```\n", "does not say which figure"),
            ("```chart f\n1, 2\n```\n", "holds only the figure id"),
        ];
        for (body, expected) in cases {
            let err = scan(body).unwrap_err();
            assert!(err.message.contains(expected), "{body}: {}", err.message);
            assert!(err.span.end <= body.len() && !err.span.is_empty(), "{body}");
        }
        assert_eq!(scan("a {{ value(id=\"f\", lable=\"k\") }}").unwrap_err().hint, "did you mean `label`?");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let err = scan(&"> ".repeat(MAX_NESTING + 5)).unwrap_err();
        assert!(err.message.contains("nested more than"));
        assert!(scan(&"> ".repeat(20)).is_ok());
    }

    #[test]
    fn literals_are_found_outside_code_with_spans() {
        let body = "Call {{ literal(\"0800 1111\") }} or {{literal('a \"b\"')}}.\n\n`{{ literal(\"x\") }}`\n";
        let literals = scan(body).unwrap().literals;
        let found: Vec<(&str, &str)> = literals.iter().map(|l| (l.text.as_str(), &body[l.span.clone()])).collect();
        assert_eq!(found, [("0800 1111", "{{ literal(\"0800 1111\") }}"), ("a \"b\"", "{{literal('a \"b\"')}}")]);
        assert_eq!(scan("{{ literally }} {{ literal_x() }}").unwrap().literals, Vec::new(), "other names are text");
    }

    #[test]
    fn malformed_literals_are_errors_with_spans() {
        for (body, expected) in [
            ("a {{ literal(\"x\") b", "not closed"),
            ("a {{ literal(x) }}", "not a well-formed"),
            ("a {{ literal(\"x') }}", "not a well-formed"),
            ("a {{ literal(\"a\"b\") }}", "not a well-formed"),
            ("a {{ literal(\"\") }}", "holds no text"),
        ] {
            let err = scan(body).unwrap_err();
            assert!(err.message.contains(expected), "{body}: {}", err.message);
            assert!(err.hint.contains("{{ literal(\"0800 1111\") }}"), "{body}");
            assert!(err.span.end <= body.len() && !err.span.is_empty(), "{body}");
        }
    }

    /// A literal is shown exactly as written: never Markdown, HTML or smart punctuation, and
    /// escaped as text on the page.
    #[test]
    fn literals_render_as_plain_escaped_text() {
        let body = "A {{ literal(\"*1* <b>2</b> & [3](/x) -- 'q' \\\") }} and {{ value(id=\"f\", key=\"k\") }}.\n\n{{ literal(\"1. # > -\") }}\n";
        let html = render_plain(body);
        assert!(html.contains("<p>A *1* &lt;b&gt;2&lt;/b&gt; &amp; [3](/x) -- 'q' \\ and [k].</p>"), "{html}");
        assert!(html.contains("<p>1. # &gt; -</p>"), "no list or heading: {html}");
    }

    #[test]
    fn prose_is_the_text_a_reader_sees() {
        let body = "# Title {#t1}\n\nSee [two](/a2) <https://b3.org> `c4` and ![alt5](i6.png).\n\n```\nx7\n```\n\n1. item8\n";
        let seen: String = prose(body).into_iter().map(|r| &body[r]).collect::<Vec<_>>().join("|");
        for shown in ["Title", "two", "alt5", "item8"] {
            assert!(seen.contains(shown), "{shown} in {seen}");
        }
        for hidden in ["t1", "a2", "b3", "c4", "i6", "x7", "1."] {
            assert!(!seen.contains(hidden), "{hidden} in {seen}");
        }
    }

    #[test]
    fn other_braces_are_text() {
        assert_eq!(scan("{{ name }} and {{").unwrap().embeds, Vec::new());
    }

    #[test]
    fn renders_values_charts_ids_tables_and_links() {
        let body = "## Why it matters\n\nWe saw {{ value(id=\"f\", key=\"total\") }} cases.\n\n```chart f\n```\n\n```chart f\n```\n\n## Why it matters\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[news](/news/) [ext](https://x.org/) [proto](//x.org)\n";
        let html = render_plain(body);
        assert!(html.contains("<h2 id=\"why-it-matters\">"), "{html}");
        assert!(html.contains("<h2 id=\"why-it-matters-1\">"), "{html}");
        assert!(html.contains("We saw [total] cases."));
        assert!(html.contains("<figure>f#0</figure>") && html.contains("<figure>f#1</figure>"));
        assert!(html.contains("<div class=\"table-wrap\""));
        assert!(html.contains("href=\"/camp/news/\""));
        assert!(html.contains("href=\"https://x.org/\"") && html.contains("href=\"//x.org\""));
    }

    #[test]
    fn finds_heading_ids_links_and_image_alt() {
        let s = scan("## Cases: {{ value(id=\"f\", key=\"k\") }} so far\n\n[a](/asks/#x) ![](pic.png) ![A chart](b.png)\n").unwrap();
        assert_eq!(s.heading_ids, vec!["cases-so-far"]);
        let dests: Vec<(&str, Option<&str>)> = s.links.iter().map(|l| (l.dest.as_str(), l.image_alt.as_deref())).collect();
        assert_eq!(dests, vec![("/asks/#x", None), ("pic.png", Some("")), ("b.png", Some("A chart"))]);
    }

    #[test]
    fn table_alignment_uses_classes_not_styles() {
        let html = render_plain("| a | b |\n|:--|--:|\n| 1 | 2 |\n");
        assert!(html.contains("class=\"align-right\"") && !html.contains("style="), "{html}");
    }

    #[test]
    fn explicit_heading_ids_are_kept_and_main_is_reserved() {
        let html = render_plain("## Asks {#asks}\n\n## Main\n");
        assert!(html.contains("<h2 id=\"asks\">"));
        assert!(html.contains("<h2 id=\"main-1\">"), "{html}");
    }

    #[test]
    fn raw_html_is_shown_not_run() {
        let html = render_plain("<script>alert(1)</script>\n\nText <img src=x onerror=alert(1)> here.\n");
        assert!(!html.contains("<script") && !html.contains("<img"), "{html}");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{html}");
    }

    #[test]
    fn links_that_run_code_are_found_and_never_written() {
        for bad in [
            "[x](javascript:alert(1))",
            "[x]( JavaScript:alert(1))",
            "![x](data:text/html,hi)",
            "[x](vbscript:msgbox)",
            "<javascript:alert(1)>",
            "[x][r]\n\n[r]: javascript:alert(1)",
        ] {
            let scanned = scan(bad).unwrap();
            let link = &scanned.links[0];
            assert!(unsafe_url(&link.dest).is_some_and(|e| e.message().contains("could run code")), "{bad}");
            let html = render_plain(bad);
            assert!(html.contains("href=\"\"") || html.contains("src=\"\""), "{bad}: {html}");
        }
        for good in ["[x](https://a.org)", "[x](/news/)", "[x](mailto:?subject=hi)", "[x](#top)", "[x](tel:+441234)"] {
            assert!(unsafe_url(&scan(good).unwrap().links[0].dest).is_none(), "{good}");
        }
        assert!(is_safe_url("../x") && is_safe_url("page#a:b") && !is_safe_url("java\tscript:alert(1)") && !is_safe_url("a:b/../c"));
    }

    #[test]
    fn case_6_heading_attributes_allow_only_id_and_classes() {
        let body = "## Hi {#a tabindex=1 autofocus onfocus=alert(1)}\n\n## Styled {style=color:red .ok}\n\n## Link {href=javascript:alert(1)}\n\n## Bad id {#a\"b}\n\n## Fine {#fine .wide .x_y}\n";
        let scanned = scan(body).unwrap();
        let flaws = flaws(body);
        let problems: Vec<(&str, &str)> = flaws.iter().map(|p| (p.message.as_str(), &body[p.span.clone()])).collect();
        assert_eq!(
            problems,
            vec![
                ("a heading may carry only an id and classes, not `tabindex`", "tabindex"),
                ("a heading may carry only an id and classes, not `autofocus`", "autofocus"),
                ("a heading may carry only an id and classes, not `onfocus`", "onfocus"),
                ("a heading may carry only an id and classes, not `style`", "style"),
                ("a heading may carry only an id and classes, not `href`", "href"),
                ("`#a\"b` cannot be a heading id", "a\"b"),
            ]
        );
        assert_eq!(scanned.heading_ids, vec!["a", "styled", "link", "bad-id", "fine"]);
        // Rendered unchecked, none of it reaches the page either.
        let html = render_plain(body);
        for banned in ["tabindex", "autofocus", "onfocus", "style=", "href=", "javascript"] {
            assert!(!html.contains(banned), "{banned}: {html}");
        }
        assert!(html.contains("<h2 id=\"fine\" class=\"wide x_y\">") && html.contains("<h2 id=\"styled\" class=\"ok\">"), "{html}");
        assert!(
            is_safe_token("our-asks_2")
                && is_safe_token("ŵyl")
                && !is_safe_token("")
                && !is_safe_token("a b")
                && !is_safe_token("a\"")
                && !is_safe_token("a=b")
        );
    }

    #[test]
    fn case_16_heading_ids_never_take_a_chart_footnote_or_main_id() {
        let body = "## Figure f\n\n```chart f\n```\n\n```chart f\n```\n\n## Figure f 2\n\n## Chart f title\n\n## Note\n\nText.[^note]\n\n[^note]: A note.\n";
        let s = scan(body).unwrap();
        assert_eq!(s.heading_ids, vec!["figure-f-1", "figure-f-2-1", "chart-f-title-1", "note-1"]);
        assert!(flaws(body).is_empty());
        let clash = "Text.[^main]\n\n```chart f\n```\n\n## One {#figure-f}\n\n## Two {#x}\n\n## Three {#x}\n\n[^main]: A note.\n";
        let s = scan(clash).unwrap();
        let flaws = flaws(clash);
        let problems: Vec<(&str, &str)> = flaws.iter().map(|p| (p.message.as_str(), &clash[p.span.clone()])).collect();
        assert_eq!(
            problems,
            vec![
                ("the footnote `main` has the same id as the page's main content", "[^main]: A note."),
                ("this heading's id `figure-f` is already the id of the chart `f` on this page", "figure-f"),
                ("this heading's id `x` is already the id of another heading on this page", "x"),
            ]
        );
        let unique: HashSet<&String> = s.heading_ids.iter().collect();
        assert_eq!(unique.len(), 3, "{:?}", s.heading_ids);
    }

    #[test]
    fn case_9_many_like_headings_are_numbered_in_one_pass() {
        let body = "## Same\n\n".repeat(20_000) + "## Same 1\n";
        let ids = scan(&body).unwrap().heading_ids;
        assert_eq!(ids.len(), 20_001);
        assert_eq!((ids[0].as_str(), ids[1].as_str(), ids[19_999].as_str()), ("same", "same-1", "same-19999"));
        assert_eq!(ids[20_000], "same-1-1", "a heading whose own id was taken by numbering gets the next free one");
        assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len());
    }

    #[test]
    fn case_9_many_value_calls_on_one_line_are_all_found() {
        let body = "{{ value(id=\"f\", key=\"k\") }} `{{ x }}` ".repeat(50_000) + "\n";
        let embeds = scan(&body).unwrap().embeds;
        assert_eq!(embeds.len(), 50_000);
        assert!(embeds.iter().all(|e| &body[e.span.clone()] == "{{ value(id=\"f\", key=\"k\") }}"));
        let html = render_plain(&body);
        assert_eq!(html.matches("[k]").count(), 50_000);
        let unclosed = "{{ value(id=\"f\", key=\"k\") }} ".repeat(1000) + "{{ value(id=\"f\"\n}}";
        assert!(scan(&unclosed).unwrap_err().message.contains("not closed"));
    }

    #[test]
    fn chart_blocks_name_figures_only() {
        let err = scan("```chart a\"><script>\n```\n").unwrap_err();
        assert!(err.message.contains("cannot be a figure id"), "{}", err.message);
    }

    #[test]
    fn slugs_are_readable() {
        assert_eq!(slugify("Why it matters: the 52% figure"), "why-it-matters-the-52-figure");
        assert_eq!(slugify("Beth yw'r ŵyl?"), "beth-ywr-ŵyl");
        assert_eq!(slugify("!!!"), "section");
    }
}
