//! Markdown: finds a page's embeds, and turns its body into HTML.
//!
//! Two embeds exist. A fenced block with the info string `chart ID` places figure ID, and
//! `{{ value(id="ID", key="KEY") }}` (or `label="LABEL"`) places one of its numbers. [`scan`]
//! finds them with their byte spans, skipping code spans and code blocks, so that `check` can
//! point at a bad reference. [`render`] then writes the HTML: values substituted, charts
//! placed, an `id` on every heading, wide tables made scrollable, and root-relative links put
//! under the site's base path.

use pulldown_cmark::{html, CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;
use std::ops::Range;

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
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

/// A malformed embed: the message, a hint, and the bytes of the body it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanError {
    pub message: String,
    pub hint: String,
    pub span: Range<usize>,
}

/// A link or image in a page, for `check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub dest: String,
    pub span: Range<usize>,
    /// For an image, its alt text.
    pub image_alt: Option<String>,
}

/// What a body holds that other stages need: its embeds, the `id` of each heading (in
/// order), and its links.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scanned {
    pub embeds: Vec<Embed>,
    pub heading_ids: Vec<String>,
    pub links: Vec<Link>,
}

/// Finds the embeds, heading ids and links of a Markdown body, in order. See the module docs.
pub fn scan(body: &str) -> Result<Scanned, ScanError> {
    let mut embeds = Vec::new();
    let mut links = Vec::new();
    let mut heading_ids = HeadingIds::default();
    let mut heading: Option<(Option<String>, String)> = None;
    let mut image: Option<(String, Range<usize>, String)> = None;
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
            return Err(ScanError {
                message: format!("Markdown here is nested more than {MAX_NESTING} levels deep"),
                hint: "use fewer levels of quotes and lists".into(),
                span: range.start..(range.start + 1).min(body.len()).max(range.start),
            });
        }
        if let Event::Text(t) | Event::Code(t) = &event {
            if let Some((_, text)) = heading.as_mut() {
                text.push_str(t);
            }
            if let Some((_, _, alt)) = image.as_mut() {
                alt.push_str(t);
            }
        }
        match event {
            Event::Code(_) => code.push(range),
            Event::Start(Tag::Heading { id, .. }) => heading = Some((id.map(|i| i.to_string()), String::new())),
            Event::End(TagEnd::Heading(_)) => {
                if let Some((given, text)) = heading.take() {
                    let id = heading_ids.unique(given.unwrap_or_else(|| slugify(&strip_calls(&text))));
                    heading_ids.ids.push(id);
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                check_url(&dest_url, body, &range)?;
                links.push(Link { dest: dest_url.to_string(), span: range, image_alt: None });
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                check_url(&dest_url, body, &range)?;
                image = Some((dest_url.to_string(), range, String::new()));
            }
            Event::End(TagEnd::Image) => {
                if let Some((dest, span, alt)) = image.take() {
                    links.push(Link { dest, span, image_alt: Some(alt) });
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let mut content_empty = true;
                for (inner, _) in parser.by_ref() {
                    match inner {
                        Event::End(TagEnd::CodeBlock) => {
                            depth -= 1;
                            break;
                        }
                        Event::Text(t) if !t.trim().is_empty() => content_empty = false,
                        _ => {}
                    }
                }
                if let CodeBlockKind::Fenced(info) = &kind {
                    if let Some(embed) = chart_block(body, info, &range, content_empty)? {
                        embeds.push(embed);
                    }
                }
                code.push(range);
            }
            _ => {}
        }
    }
    let mut at = 0;
    while let Some(found) = body[at..].find("{{") {
        let start = at + found;
        at = start + 2;
        if let Some(block) = code.iter().find(|r| r.contains(&start)) {
            at = at.max(block.end);
            continue;
        }
        if let Some(embed) = value_call(body, start)? {
            at = embed.span.end;
            embeds.push(embed);
        }
    }
    embeds.sort_by_key(|e| e.span.start);
    Ok(Scanned { embeds, heading_ids: heading_ids.ids, links })
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
    let valid = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.');
    valid.then(|| name.to_ascii_lowercase())
}

/// Whether a reader's browser may follow `url` safely.
pub fn is_safe_url(url: &str) -> bool {
    scheme(url).is_none_or(|s| SAFE_SCHEMES.contains(&s.as_str()))
}

fn check_url(url: &str, body: &str, range: &Range<usize>) -> Result<(), ScanError> {
    if is_safe_url(url) {
        return Ok(());
    }
    let line_end = body[range.start..range.end].find('\n').map_or(range.end, |i| range.start + i);
    Err(ScanError {
        message: format!("this link uses `{}:`, which could run code in a reader's browser", scheme(url).unwrap_or_default()),
        hint: "links may use http, https, mailto, tel or sms, or point to a page of this site such as /evidence/".into(),
        span: range.start..line_end.max(range.start + 1),
    })
}

fn chart_block(body: &str, info: &str, range: &Range<usize>, empty: bool) -> Result<Option<Embed>, ScanError> {
    let mut words = info.split_whitespace();
    if words.next() != Some("chart") {
        return Ok(None);
    }
    let first_line_end = body[range.clone()].find('\n').map_or(range.end, |i| range.start + i);
    let header = &body[range.start..first_line_end];
    let Some(id) = words.next() else {
        return Err(ScanError {
            message: "this chart block does not say which figure to show".into(),
            hint: "write the figure's id after `chart`, such as ```chart platforms-england-wales".into(),
            span: range.start..first_line_end,
        });
    };
    let id_start = range.start + header.find(id).unwrap_or(0);
    let id_span = id_start..id_start + id.len();
    if words.next().is_some() || !empty {
        return Err(ScanError {
            message: "a chart block holds only the figure id".into(),
            hint: "write ```chart ID on one line and close the block on the next; the numbers belong in the figure file".into(),
            span: range.start..first_line_end,
        });
    }
    Ok(Some(Embed { kind: EmbedKind::Chart { id: id.to_string() }, span: range.clone(), id_span }))
}

/// Parses `{{ value(id="…", key="…") }}` at `start`. Text that is not a `value` call is left alone.
fn value_call(body: &str, start: usize) -> Result<Option<Embed>, ScanError> {
    let rest = &body[start + 2..];
    let inner_start = start + 2 + (rest.len() - rest.trim_start().len());
    if !body[inner_start..].starts_with("value") {
        return Ok(None);
    }
    let line_end = body[start..].find('\n').map_or(body.len(), |i| start + i);
    let fail = |message: &str, span: Range<usize>| ScanError {
        message: message.to_string(),
        hint: r#"write it as {{ value(id="figure-id", key="name") }} or {{ value(id="figure-id", label="Label") }}"#.to_string(),
        span,
    };
    let Some(close) = body[start..line_end].find("}}").map(|i| start + i) else {
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
    let Some((id, id_span)) = id else {
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
}

/// The body's HTML. `scanned` must be what [`scan`] found in this same body.
pub fn render(body: &str, scanned: &Scanned, ctx: &RenderContext) -> String {
    let source = substitute_values(body, &scanned.embeds, ctx);
    let mut events: Vec<Event> = Vec::new();
    let mut ids = scanned.heading_ids.iter();
    let mut chart_count: std::collections::HashMap<String, usize> = Default::default();
    let mut heading_start = None;
    let mut parser = Parser::new_ext(&source, options());
    while let Some(event) = parser.next() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if info.split_whitespace().next() == Some("chart") => {
                for inner in parser.by_ref() {
                    if matches!(inner, Event::End(TagEnd::CodeBlock)) {
                        break;
                    }
                }
                let id = info.split_whitespace().nth(1).unwrap_or_default().to_string();
                let n = chart_count.entry(id.clone()).or_default();
                events.push(Event::Html(CowStr::from((ctx.chart)(&id, *n))));
                *n += 1;
            }
            Event::Start(Tag::Heading { .. }) => {
                heading_start = Some(events.len());
                events.push(event);
            }
            Event::End(TagEnd::Heading(_)) => {
                if let (Some(start), Some(id)) = (heading_start.take(), ids.next()) {
                    if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[start] {
                        *slot = Some(CowStr::from(id.clone()));
                    }
                }
                events.push(event);
            }
            Event::Start(Tag::Table(_)) => {
                events.push(Event::Html(r#"<div class="table-wrap" role="region" aria-label="Table" tabindex="0">"#.into()));
                events.push(event);
            }
            Event::End(TagEnd::Table) => {
                events.push(event);
                events.push(Event::Html("</div>".into()));
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let dest_url = under_base(dest_url, ctx.base_path);
                events.push(Event::Start(Tag::Link { link_type, dest_url, title, id }));
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                let dest_url = under_base(dest_url, ctx.base_path);
                events.push(Event::Start(Tag::Image { link_type, dest_url, title, id }));
            }
            // Raw HTML is shown as text, not run: pages stay free of scripts and styles that
            // the site's checks and Content-Security-Policy never saw.
            Event::Html(raw) | Event::InlineHtml(raw) => events.push(Event::Text(raw)),
            other => events.push(other),
        }
    }
    let mut out = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    // Column alignment as classes, not inline styles, so a strict Content-Security-Policy holds.
    if out.contains(" style=\"text-align: ") {
        for side in ["left", "center", "right"] {
            out = out.replace(&format!(" style=\"text-align: {side}\""), &format!(" class=\"align-{side}\""));
        }
    }
    out
}

fn substitute_values<'a>(body: &'a str, embeds: &[Embed], ctx: &RenderContext) -> std::borrow::Cow<'a, str> {
    let values: Vec<&Embed> = embeds.iter().filter(|e| matches!(e.kind, EmbedKind::Value { .. })).collect();
    if values.is_empty() {
        return body.into();
    }
    let mut out = String::with_capacity(body.len());
    let mut at = 0;
    for embed in values {
        out.push_str(&body[at..embed.span.start]);
        out.push_str(&(ctx.values)(embed));
        at = embed.span.end;
    }
    out.push_str(&body[at..]);
    out.into()
}

/// Root-relative links (`/news/`) are written as if the site sat at the root; put them under
/// the base path. Protocol-relative (`//host`) and other links are left alone.
fn under_base<'a>(url: CowStr<'a>, base_path: &str) -> CowStr<'a> {
    if base_path == "/" || !url.starts_with('/') || url.starts_with("//") {
        return url;
    }
    CowStr::from(format!("{base_path}{}", &url[1..]))
}

/// Unique, readable heading ids, in document order.
#[derive(Default)]
struct HeadingIds {
    used: HashSet<String>,
    ids: Vec<String>,
}

impl HeadingIds {
    fn unique(&mut self, wanted: String) -> String {
        if self.used.is_empty() {
            // Ids the page templates use themselves.
            self.used.insert("main".to_string());
        }
        let mut unique = wanted.clone();
        let mut n = 1;
        while !self.used.insert(unique.clone()) {
            unique = format!("{wanted}-{n}");
            n += 1;
        }
        unique
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

    fn render_plain(body: &str) -> String {
        let scanned = scan(body).unwrap();
        let values = |e: &Embed| match &e.kind {
            EmbedKind::Value { key: Some(k), .. } => format!("[{k}]"),
            EmbedKind::Value { label: Some(l), .. } => format!("[{l}]"),
            _ => unreachable!(),
        };
        let chart = |id: &str, n: usize| format!("<figure>{id}#{n}</figure>");
        render(body, &scanned, &RenderContext { values: &values, chart: &chart, base_path: "/camp/" })
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
    fn links_that_run_code_are_refused() {
        for bad in ["[x](javascript:alert(1))", "[x]( JavaScript:alert(1))", "![x](data:text/html,hi)", "[x](vbscript:msgbox)"] {
            let err = scan(bad).unwrap_err();
            assert!(err.message.contains("could run code"), "{bad}");
        }
        for good in ["[x](https://a.org)", "[x](/news/)", "[x](mailto:?subject=hi)", "[x](#top)", "[x](tel:+441234)", "[x](a:b/../c)"] {
            assert!(scan(good).is_ok() || good.contains("a:b"), "{good}");
        }
        assert!(is_safe_url("../x") && is_safe_url("page#a:b") && !is_safe_url("java\tscript:alert(1)"));
    }

    #[test]
    fn slugs_are_readable() {
        assert_eq!(slugify("Why it matters: the 52% figure"), "why-it-matters-the-52-figure");
        assert_eq!(slugify("Beth yw'r ŵyl?"), "beth-ywr-ŵyl");
        assert_eq!(slugify("!!!"), "section");
    }
}
