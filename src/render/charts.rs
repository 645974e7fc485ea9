//! Charts as pages place them. A page's body marks where each chart goes with private-use
//! characters; each chart is made once from the `chart.html` template (and minified once,
//! through the disk cache), and put in at its marks once the page is made, so a chart is
//! not minified again in every page that shows it.

use super::figures::FigureCache;
use super::templates::{self, finish, render_template};
use super::views::FigureView;
use super::{page_code_key, Common};
use crate::cache::Cache;
use crate::chart::image;
use crate::error::Result;
use crate::hash::key;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;
use tera::{Context, Tera};

/// Marks where a page's body shows a chart: `CHART id SEP repeat END`. Markdown, templates
/// and the minifier pass these private-use characters through untouched, and
/// [`place_charts`] puts each chart in its place once the page is made.
const CHART: char = '\u{E000}';
const SEP: char = '\u{E001}';
const END: char = '\u{E002}';

/// The mark of the `repeat`-th showing (from 0) of the chart `id` on one page.
pub(super) fn mark(id: &str, repeat: usize) -> String {
    format!("{CHART}{id}{SEP}{repeat}{END}")
}

/// Makes each chart again, in each of the site's languages, where its figure or the chart
/// template changed; a chart whose HTML changed gives its figure a new generation, so the
/// pages that show it follow.
pub(super) fn place(common: &Common, tera: &Tera, figures: &mut FigureCache, disk: &Cache) -> Result<()> {
    let chart_key = common.chart_key;
    let redo: Vec<(&String, &str, &FigureView, u64)> = figures
        .by_id
        .iter()
        .filter(|(_, c)| c.placed_with != chart_key)
        .flat_map(|(id, c)| c.files.iter().map(move |(tag, files)| (id, tag.as_str(), &files.view, c.figure.hash)))
        .collect();
    // On disk they are kept under what they are made from, so a warm build need not make them.
    let inputs = (common.minify && !redo.is_empty()).then(|| {
        let values = templates::values_key(common.site, &["chart.html"]);
        key((common.settings, chart_key, common.sections_key, values, page_code_key()))
    });
    let placed: Vec<(String, String, String)> = redo
        .into_par_iter()
        .map(|(id, tag, view, file)| {
            let through = inputs.map(|inputs| ThroughDisk { disk, inputs, file });
            Ok((id.clone(), tag.to_string(), placed_chart(tera, common, view, tag, through)?))
        })
        .collect::<Result<_>>()?;
    let mut by_id: BTreeMap<String, BTreeMap<String, Arc<String>>> = BTreeMap::new();
    for (id, tag, html) in placed {
        by_id.entry(id).or_default().insert(tag, Arc::new(html));
    }
    for (id, charts) in by_id {
        let changed = figures.by_id.get(&id).is_some_and(|c| charts != c.charts);
        let generation = if changed { Some(figures.next_generation()) } else { None };
        let Some(cached) = figures.by_id.get_mut(&id) else { continue };
        if let Some(generation) = generation {
            cached.generation = generation;
            cached.charts = charts;
        }
        cached.placed_with = chart_key;
    }
    Ok(())
}

/// The disk cache a chart is minified through, and the keys it is kept under: of what every
/// chart is made from, and of its figure's file.
struct ThroughDisk<'a> {
    disk: &'a Cache,
    inputs: u64,
    file: u64,
}

/// The `<figure>` a chart embed places on a page in `lang`, from the `chart.html` template.
fn chart_html(tera: &Tera, common: &Common, figure: &FigureView, lang: &str) -> Result<String> {
    let mut context = Context::new();
    context.insert("figure", figure);
    context.insert_value("site", common.site_view_in(lang).clone());
    context.insert("lang", lang);
    context.insert("share_page", &false);
    render_template(tera, common.site, "chart.html", &context)
}

/// A chart as a page in `lang` places it: the `chart.html` template; minified, when `through`
/// is given, and kept there under the keys of what it is made from.
fn placed_chart(tera: &Tera, common: &Common, figure: &FigureView, lang: &str, through: Option<ThroughDisk>) -> Result<String> {
    let Some(ThroughDisk { disk, inputs, file }) = through else { return chart_html(tera, common, figure, lang) };
    let made = disk.pages(&[b"chart", &inputs.to_le_bytes(), &file.to_le_bytes(), lang.as_bytes(), image::theme_key()], || {
        Ok(finish(chart_html(tera, common, figure, lang)?.into_bytes(), true))
    })?;
    Ok(String::from_utf8(made).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

/// `html` with each chart mark replaced by its chart from `charts`. The `repeat`-th showing of
/// a chart on one page gets element ids of its own.
pub(super) fn place_charts(html: &str, charts: &BTreeMap<&str, &str>) -> String {
    let mut out = String::with_capacity(html.len() + 16 * 1024);
    let mut rest = html;
    while let Some(at) = rest.find(CHART) {
        out.push_str(&rest[..at]);
        let after = &rest[at + CHART.len_utf8()..];
        let mark = after.split_once(SEP).and_then(|(id, tail)| {
            let (repeat, tail) = tail.split_once(END)?;
            Some((id, repeat.parse::<usize>().ok()?, tail))
        });
        let Some((id, repeat, tail)) = mark else {
            out.push(CHART);
            rest = after;
            continue;
        };
        let html = charts.get(id).copied().unwrap_or_default();
        if repeat == 0 {
            out.push_str(html);
        } else {
            let n = repeat + 1;
            out.push_str(&html.replace(&format!("figure-{id}"), &format!("figure-{id}-{n}")).replace(&format!("chart-{id}-"), &format!("chart-{id}-{n}-")));
        }
        rest = tail;
    }
    out.push_str(rest);
    out
}

/// A page as made from its template's `html`: minified when asked, with its charts placed.
/// Should the minifier ever change a chart mark, the page is made the slow way instead:
/// charts placed first, then the whole page minified.
pub(super) fn finish_page(html: String, minify: bool, charts: &BTreeMap<&str, &str>) -> Vec<u8> {
    let marks = html.matches(CHART).count();
    if marks == 0 {
        return finish(html.into_bytes(), minify);
    }
    match String::from_utf8(finish(html.as_bytes().to_vec(), minify)) {
        Ok(made) if made.matches(CHART).count() == marks => place_charts(&made, charts).into_bytes(),
        _ => finish(place_charts(&html, charts).into_bytes(), minify),
    }
}

/// Where a large body stands in its page while the page around it is minified.
pub(super) const BODY: &str = "\u{E003}";

/// A page's body larger than this is minified apart from the page, in pieces of about this
/// size: minify-html holds a tree of all it reads, about 1 KB an element, so a page of
/// 250,000 tiny elements would take hundreds of megabytes in one piece. Ordinary pages are
/// far smaller and are minified whole.
pub(super) const LARGE_BODY: usize = 256 * 1024;

/// The page `shell`, made with [`BODY`] in place of its body, minified, with `body` minified in
/// pieces put in its place and then the charts. `None` when the template did not show the
/// body exactly once as it is (a filter on it, say): the page is then made whole.
pub(super) fn finish_large_page(shell: String, body: &str, charts: &BTreeMap<&str, &str>) -> Option<Vec<u8>> {
    if shell.matches(BODY).count() != 1 {
        return None;
    }
    let shell = String::from_utf8(finish(shell.into_bytes(), true)).ok()?;
    let (before, after) = shell.split_once(BODY)?;
    let mut pieces = String::with_capacity(body.len());
    let (mut at, mut open) = (0, None);
    for cut in cuts(body, LARGE_BODY).into_iter().chain([Cut { at: body.len(), open: None }]) {
        pieces.push_str(&minify_piece(&body[at..cut.at], open.map(|r: std::ops::Range<usize>| &body[r]), cut.open.clone().map(|r| &body[r]))?);
        (at, open) = (cut.at, cut.open);
    }
    let page = [before, &pieces, after].concat();
    Some(if page.contains(CHART) { place_charts(&page, charts) } else { page }.into_bytes())
}

/// Where a large body may be cut, and the list or quote it is inside there, if any: the
/// opening tag's place in the body.
struct Cut {
    at: usize,
    open: Option<std::ops::Range<usize>>,
}

/// Containers whose children may be minified apart: white space between their children means
/// nothing, so a piece that starts or ends inside one minifies as it would whole.
const CONTAINERS: [&[u8]; 3] = [b"<ul", b"<ol", b"<blockquote"];

/// `piece` minified. It starts inside the element `starts_in` opens (when given) and ends
/// inside the one `ends_in` opens: each is opened and closed around it for the minifier, and
/// its minified tags taken off again. `None` when they are not found as expected.
fn minify_piece(piece: &str, starts_in: Option<&str>, ends_in: Option<&str>) -> Option<String> {
    let name = |open: &str| open[1..].split(|c: char| !c.is_ascii_alphanumeric()).next().unwrap_or_default().to_string();
    let close = |open: &str| format!("</{}>", name(open));
    let minified = |text: String| String::from_utf8(finish(text.into_bytes(), true)).ok();
    let head = match starts_in {
        Some(open) => minified(format!("{open}{}", close(open)))?.strip_suffix(&close(open))?.to_string(),
        None => String::new(),
    };
    let tail = ends_in.map(close).unwrap_or_default();
    let made = minified(format!("{}{piece}{tail}", starts_in.unwrap_or_default()))?;
    Some(made.strip_prefix(head.as_str())?.strip_suffix(tail.as_str())?.to_string())
}

/// Places in `body` (HTML as the Markdown renderer writes it: every tag closed or ending in
/// `/>`, every `<` of text escaped) where a piece may end, at least `piece` bytes apart: just
/// after a top-level element, or after a child of a top-level list or quote. None at all where
/// the tags do not balance, so that nothing is cut inside an element.
fn cuts(body: &str, piece: usize) -> Vec<Cut> {
    let bytes = body.as_bytes();
    let (mut cuts, mut depth, mut last, mut i) = (Vec::new(), 0i64, 0, 0);
    // The top-level element open now, when it is a container.
    let mut container: Option<std::ops::Range<usize>> = None;
    // A cut with only white space after it would leave an empty piece.
    let stop = body.trim_end().len();
    while let Some(found) = memchr::memchr(b'<', &bytes[i..]) {
        let at = i + found;
        let Some(close) = memchr::memchr(b'>', &bytes[at..]) else { return Vec::new() };
        let end = at + close + 1;
        let tag = &bytes[at..end];
        if tag.starts_with(b"</") {
            depth -= 1;
            if depth < 0 {
                return Vec::new();
            }
            let open = match depth {
                0 => Some(None),
                1 => container.clone().map(Some),
                _ => None,
            };
            if let Some(open) = open.filter(|_| end - last >= piece && end < stop) {
                cuts.push(Cut { at: end, open });
                last = end;
            }
        } else if !tag.ends_with(b"/>") && !tag.starts_with(b"<!") {
            if depth == 0 {
                let is_container = CONTAINERS.iter().any(|c| tag.starts_with(c) && matches!(tag.get(c.len()), Some(b'>' | b' ')));
                container = is_container.then_some(at..end);
            }
            depth += 1;
        }
        i = end;
    }
    if depth == 0 {
        cuts
    } else {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_is_cut_only_between_its_top_level_elements() {
        let body = "<h1 id=\"a\">A</h1>\n<ul>\n<li>x<br />y</li>\n</ul>\n<p>T &lt;b&gt; <em>e</em></p>\n";
        let found = cuts(body, 1);
        let ends: Vec<&str> = found.iter().map(|c| body[..c.at].rsplit('<').next().unwrap()).collect();
        assert_eq!(ends, ["/h1>", "/li>", "/ul>"], "after top-level elements, and children of a list");
        assert_eq!(found.iter().map(|c| c.open.clone().map(|r| &body[r])).collect::<Vec<_>>(), [None, Some("<ul>"), None]);
        assert_eq!(cuts(body, 30).len(), 1, "pieces at least 30 bytes apart");
        assert!(cuts("<p>open <em>never closed</p>", 1).is_empty(), "unbalanced: no cut at all");
        assert!(cuts("</p><p>x</p>", 1).is_empty());
        assert!(cuts("<p><em>a</em> <em>b</em></p>", 1).is_empty(), "never inside a paragraph, where a space means something");
    }

    #[test]
    fn a_large_page_is_minified_in_pieces_with_its_body_and_charts_in_place() {
        let chart = r#"<figure class="chart" id="figure-f"><svg><title>T</title></svg></figure>"#;
        let charts = BTreeMap::from([("f", chart)]);
        let body: String = (0..40_000).map(|i| format!("<h2 id=\"h-{i}\">Heading {i}</h2>\n<p>Some   text.</p>\n")).collect::<String>() + &mark("f", 0);
        assert!(body.len() > 2 * LARGE_BODY && cuts(&body, LARGE_BODY).len() > 2);
        let shell = format!("<!doctype html><html><head><title>T</title></head><body><main>\n  {BODY}\n</main></body></html>");
        let page = String::from_utf8(finish_large_page(shell, &body, &charts).unwrap()).unwrap();
        let whole = String::from_utf8(finish(body.clone().into_bytes(), true)).unwrap();
        assert!(page.contains(&whole[..whole.find(CHART).unwrap()]), "the body, minified as it would be whole");
        assert!(page.contains("<h2 id=h-39999>Heading 39999</h2><p>Some text.</p>"), "{}", &page[page.len() - 300..]);
        assert!(page.contains(chart) && !page.contains(BODY) && !page.contains(CHART));
        assert!(finish_large_page("<p>no body here</p>".into(), &body, &charts).is_none());
        // One long numbered list, cut between its items: the same as minified whole.
        let list = format!("<ol start=\"3\">\n{}</ol>\n", "<li>An item   here</li>\n".repeat(40_000));
        let page = String::from_utf8(finish_large_page(format!("<main>{BODY}</main>"), &list, &charts).unwrap()).unwrap();
        assert!(cuts(&list, LARGE_BODY).len() > 2);
        assert_eq!(page, format!("<main>{}</main>", String::from_utf8(finish(list.into_bytes(), true)).unwrap()));
    }

    #[test]
    fn charts_are_placed_after_minifying_with_ids_of_their_own_when_repeated() {
        let chart = r#"<figure class="chart" id="figure-f"><svg aria-labelledby="chart-f-title"><title id="chart-f-title">T</title></svg></figure>"#;
        let charts = BTreeMap::from([("f", chart)]);
        let page = format!("<html><body><main>\n  <p>Before</p>\n{}\n<p>Between</p>\n{}\n</main></body></html>", mark("f", 0), mark("f", 1));
        let made = String::from_utf8(finish_page(page, true, &charts)).unwrap();
        assert!(!made.contains(CHART) && !made.contains(SEP) && !made.contains(END), "{made}");
        assert!(made.contains(chart), "{made}");
        assert!(made.contains(r#"id="figure-f-2""#) && made.contains(r#"id="chart-f-2-title""#), "{made}");
        assert!(made.find("Before") < made.find("figure-f\"") && made.find("Between") < made.find("figure-f-2"), "{made}");
    }

    #[test]
    fn unminified_pages_get_the_chart_exactly_where_the_mark_was() {
        let charts = BTreeMap::from([("f", "<figure>F</figure>")]);
        let made = finish_page(format!("<p>a</p>{}<p>b</p>", mark("f", 0)), false, &charts);
        assert_eq!(made, b"<p>a</p><figure>F</figure><p>b</p>");
    }

    #[test]
    fn text_that_only_looks_like_a_mark_is_kept() {
        let charts = BTreeMap::from([("f", "<figure>F</figure>")]);
        let text = format!("<p>{CHART}f no end</p><p>{CHART}f{SEP}x{END}</p>");
        assert_eq!(place_charts(&text, &charts), text);
    }
}
