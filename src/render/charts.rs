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

/// A figure's chart as pages place it.
struct Placed {
    id: String,
    html: String,
}

/// Makes each chart again where its figure or the chart template changed; a chart whose HTML
/// changed gives its figure a new generation, so the pages that show it follow.
pub(super) fn place(common: &Common, tera: &Tera, figures: &mut FigureCache, disk: &Cache) -> Result<()> {
    let chart_key = common.chart_key;
    let redo: Vec<(&String, &FigureView, u64)> =
        figures.by_id.iter().filter(|(_, c)| c.placed_with != chart_key).map(|(id, c)| (id, &c.files.view, c.figure.hash)).collect();
    // On disk they are kept under what they are made from, so a warm build need not make them.
    let inputs = (common.minify && !redo.is_empty()).then(|| {
        let values = templates::values_key(common.site, &["chart.html"]);
        key((common.settings, chart_key, common.sections_key, values, page_code_key()))
    });
    let placed: Vec<Placed> = redo
        .into_par_iter()
        .map(|(id, view, file)| {
            let through = inputs.map(|inputs| ThroughDisk { disk, inputs, file });
            Ok(Placed { id: id.clone(), html: placed_chart(tera, common, view, through)? })
        })
        .collect::<Result<_>>()?;
    for Placed { id, html } in placed {
        let changed = figures.by_id.get(&id).is_some_and(|c| html != *c.chart_html);
        let generation = if changed { Some(figures.next_generation()) } else { None };
        let Some(cached) = figures.by_id.get_mut(&id) else { continue };
        if let Some(generation) = generation {
            cached.generation = generation;
            cached.chart_html = Arc::new(html);
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

/// The `<figure>` a chart embed places, from the `chart.html` template.
fn chart_html(tera: &Tera, common: &Common, figure: &FigureView) -> Result<String> {
    let mut context = Context::new();
    context.insert("figure", figure);
    context.insert_value("site", common.site_view.clone());
    context.insert("share_page", &false);
    render_template(tera, common.site, "chart.html", &context)
}

/// A chart as a page places it: the `chart.html` template; minified, when `through` is
/// given, and kept there under the keys of what it is made from.
fn placed_chart(tera: &Tera, common: &Common, figure: &FigureView, through: Option<ThroughDisk>) -> Result<String> {
    let Some(ThroughDisk { disk, inputs, file }) = through else { return chart_html(tera, common, figure) };
    let made = disk.pages(&[b"chart", &inputs.to_le_bytes(), &file.to_le_bytes(), image::theme_key()], || {
        Ok(finish(chart_html(tera, common, figure)?.into_bytes(), true))
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

#[cfg(test)]
mod tests {
    use super::*;

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
