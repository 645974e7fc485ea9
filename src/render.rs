//! Render: turns a checked [`Site`] into an [`Output`], an in-memory map from output path to
//! bytes.
//!
//! Figures become SVG (in parallel), pages become HTML through Markdown and then their Tera
//! template (in parallel), and static files are carried over. Nothing touches the disk here,
//! so the same output can be written, served or compared in tests, and it is deterministic:
//! the map is ordered and every input is visited in a fixed order.

use crate::chart;
use crate::error::{suggestion, Error, Location, Result};
use crate::figure::Figure;
use crate::load::{Page, Site, SiteConfig, Source};
use crate::markdown::{self, Embed, EmbedKind, RenderContext};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;
use tera::{Context, Kwargs, State, Tera};

/// The built site, before it is written: output path (`asks/index.html`) to bytes.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Output {
    pub files: BTreeMap<String, Vec<u8>>,
    pub pages: usize,
    pub figures: usize,
}

impl Output {
    pub fn bytes(&self) -> usize {
        self.files.values().map(Vec::len).sum()
    }
}

/// Renders every page, figure and static file of `site`.
pub fn render(site: &Site) -> Result<Output> {
    let base_path = site.config.base_path();
    let tera = templates(site, &base_path)?;
    let svgs: BTreeMap<&str, String> = site
        .figures
        .par_iter()
        .map(|(id, figure)| chart::svg(figure).map(|svg| (id.as_str(), svg)))
        .collect::<Vec<_>>()
        .into_iter()
        .collect::<Result<_>>()?;
    let charts: BTreeMap<&str, String> = site
        .figures
        .iter()
        .map(|(id, figure)| chart_html(&tera, site, figure, &svgs[id.as_str()]).map(|html| (id.as_str(), html)))
        .collect::<Result<_>>()?;

    let bodies: Vec<String> = site.pages.par_iter().map(|page| body_html(page, site, &charts, &base_path)).collect();
    let views: Vec<PageView> = site.pages.iter().zip(&bodies).map(|(page, html)| PageView::new(page, html, &site.config)).collect();
    let site_view = SiteView { config: &site.config, base_path: &base_path };

    let pages: Vec<(String, Vec<u8>)> = site
        .pages
        .par_iter()
        .enumerate()
        .map(|(i, page)| {
            let html = page_html(&tera, site, &site_view, &views, i)?;
            Ok((format!("{}index.html", page.url), html.into_bytes()))
        })
        .collect::<Vec<Result<_>>>()
        .into_iter()
        .collect::<Result<_>>()?;

    let mut files = BTreeMap::new();
    for (path, file) in &site.static_files {
        files.insert(path.clone(), file.content.to_vec());
    }
    for (id, svg) in svgs {
        files.insert(format!("figures/{id}.svg"), svg.into_bytes());
    }
    files.extend(pages);
    Ok(Output { files, pages: site.pages.len(), figures: site.figures.len() })
}

/// Parses every template once, with soapbox's functions registered first.
fn templates(site: &Site, base_path: &str) -> Result<Tera> {
    let mut tera = Tera::new();
    let figures = Arc::new(site.figures.clone());
    tera.register_function("value", move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
        let id: &str = kwargs.must_get("id")?;
        let figure = figures.get(id).ok_or_else(|| {
            tera::Error::message(format!("there is no figure `{id}`; {}", suggestion(id, figures.keys().map(String::as_str))))
        })?;
        let key: Option<&str> = kwargs.get("key")?;
        let label: Option<&str> = kwargs.get("label")?;
        figure.lookup(key, label).map(|q| q.formatted()).map_err(|(m, h)| tera::Error::message(format!("{m}; {h}")))
    });
    let statics: BTreeSet<String> = site.static_files.keys().cloned().collect();
    let base = base_path.to_string();
    tera.register_function("asset", move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
        let path: &str = kwargs.must_get("path")?;
        let path = path.trim_start_matches('/');
        if !statics.contains(path) {
            let hint = suggestion(path, statics.iter().map(String::as_str));
            return Err(tera::Error::message(format!("there is no static file `{path}`; {hint}")));
        }
        Ok(format!("{base}{path}"))
    });
    let sources = site.templates.iter().map(|(name, source)| (name.as_str(), source.content.as_str()));
    tera.add_raw_templates(sources).map_err(|e| template_error(&e, site))?;
    Ok(tera)
}

/// A Tera error, pointing into the template file it came from.
fn template_error(err: &tera::Error, site: &Site) -> Error {
    use tera::ErrorKind;
    let report = match err.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => Some(r),
        _ => None,
    };
    let Some(report) = report else {
        return reports_in_text(&err.to_string(), site).unwrap_or_else(|| {
            Error::new(format!("template problem: {}", first_line(&err.to_string())))
                .in_file("templates")
                .hint("check the template names in `{% extends %}` and `{% include %}`")
        });
    };
    let name = report.filename();
    let source = site.templates.get(name);
    let span = report.span();
    let location = match source {
        Some(Source { content, file, .. }) => Location::at_line(file, content, span.start_line, span.start_col + 1),
        None => Location::file(Path::new("templates").join(name)),
    };
    let mut error = Error::new(format!("template problem: {}", report.message())).at(location);
    if source.is_some_and(|s| s.built_in) {
        error = error.hint("this is a built-in template; copy it into your templates/ folder to change it");
    }
    error
}

/// Tera reports missing filters, functions and includes as pre-formatted text, one
/// `error: …` / `--> name:line:col` block each; turn those into our errors.
fn reports_in_text(text: &str, site: &Site) -> Option<Error> {
    let mut errors = Vec::new();
    let mut message = None;
    for line in text.lines() {
        if let Some(m) = line.strip_prefix("error: ") {
            message = Some(m.to_string());
        } else if let (Some(place), Some(m)) = (line.trim_start().strip_prefix("--> "), message.take()) {
            let mut parts = place.rsplitn(3, ':');
            let (col, line_no, name) = (parts.next()?, parts.next()?, parts.next()?);
            let (line_no, col): (usize, usize) = (line_no.parse().ok()?, col.parse().ok()?);
            let source = site.templates.get(name)?;
            let mut error = Error::new(format!("template problem: {m}")).at(Location::at_line(&source.file, &source.content, line_no, col));
            if let Some(word) = m.split('`').nth(1) {
                if m.starts_with("Unknown filter") {
                    error = error.hint("soapbox's templates have Tera 2's built-in filters; check the spelling");
                } else if m.starts_with("Unknown template") {
                    error = error.hint(suggestion(word, site.templates.keys().map(String::as_str)));
                }
            }
            errors.push(error);
        }
    }
    Error::collect(errors)
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

#[derive(Serialize)]
struct FigureView<'a> {
    id: &'a str,
    title: &'a str,
    subtitle: Option<&'a str>,
    source: &'a str,
    source_url: Option<&'a str>,
    note: Option<&'a str>,
    unit: crate::figure::Unit,
    svg: &'a str,
    description: String,
}

/// The `<figure>` a chart embed places, from the `chart.html` template.
fn chart_html(tera: &Tera, site: &Site, figure: &Figure, svg: &str) -> Result<String> {
    let view = FigureView {
        id: &figure.id,
        title: &figure.title,
        subtitle: figure.subtitle.as_deref(),
        source: &figure.source,
        source_url: figure.source_url.as_deref(),
        note: figure.note.as_deref(),
        unit: figure.unit,
        svg,
        description: figure.alt.clone().unwrap_or_else(|| chart::describe(figure)),
    };
    let mut context = Context::new();
    context.insert("figure", &view);
    context.insert("site", &SiteView { config: &site.config, base_path: &site.config.base_path() });
    tera.render("chart.html", &context).map_err(|e| template_error(&e, site))
}

/// A page's Markdown as HTML, with its numbers and charts in place.
fn body_html(page: &Page, site: &Site, charts: &BTreeMap<&str, String>, base_path: &str) -> String {
    let values = |embed: &Embed| match &embed.kind {
        EmbedKind::Value { id, key, label } => site
            .figures
            .get(id)
            .and_then(|f| f.lookup(key.as_deref(), label.as_deref()).ok())
            .map(|q| q.formatted())
            .unwrap_or_default(),
        EmbedKind::Chart { .. } => String::new(),
    };
    let chart = |id: &str, repeat: usize| {
        let html = charts.get(id).cloned().unwrap_or_default();
        if repeat == 0 {
            return html;
        }
        // The same chart twice on a page: keep its element ids unique.
        let n = repeat + 1;
        html.replace(&format!("figure-{id}"), &format!("figure-{id}-{n}")).replace(&format!("chart-{id}-"), &format!("chart-{id}-{n}-"))
    };
    markdown::render(page.body(), &page.embeds, &RenderContext { values: &values, chart: &chart, base_path })
}

#[derive(Serialize)]
struct SiteView<'a> {
    #[serde(flatten)]
    config: &'a SiteConfig,
    base_path: &'a str,
}

#[derive(Serialize, Clone)]
struct PageView {
    title: String,
    description: Option<String>,
    date: Option<String>,
    date_display: Option<String>,
    url: String,
    permalink: String,
    content: String,
    summary: String,
    kind: &'static str,
    weight: Option<i64>,
}

impl PageView {
    fn new(page: &Page, html: &str, config: &SiteConfig) -> PageView {
        let summary = page.front.description.clone().unwrap_or_else(|| first_paragraph(html));
        PageView {
            title: page.front.title.clone(),
            description: page.front.description.clone(),
            date: page.date.map(|d| d.iso()),
            date_display: page.date.map(|d| d.display()),
            url: format!("{}{}", config.base_path(), page.url),
            permalink: format!("{}{}", config.base_url, page.url),
            content: html.to_string(),
            summary,
            kind: if page.is_section { "section" } else { "page" },
            weight: page.front.weight,
        }
    }
}

/// The text of the first paragraph, as a plain-text summary of about 200 characters at most.
fn first_paragraph(html: &str) -> String {
    let Some(start) = html.find("<p>") else { return String::new() };
    let end = html[start..].find("</p>").map_or(html.len(), |i| start + i);
    let mut text = String::new();
    let mut in_tag = false;
    for c in html[start + 3..end].chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = unescape(&text);
    if text.chars().count() <= 200 {
        return text;
    }
    let cut: String = text.chars().take(200).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.']))
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

#[derive(Serialize)]
struct NavItem<'a> {
    title: &'a str,
    url: &'a str,
    current: bool,
}

fn page_html(tera: &Tera, site: &Site, site_view: &SiteView, views: &[PageView], i: usize) -> Result<String> {
    let page = &site.pages[i];
    let view = &views[i];
    let mut context = Context::new();
    context.insert("site", site_view);
    context.insert("page", view);
    context.insert("nav", &nav(site, views, page));
    if page.is_section {
        context.insert("pages", &section_pages(site, views, page));
    }
    let template = template_for(site, page);
    tera.render(&template, &context).map_err(|e| template_error(&e, site))
}

fn template_for(site: &Site, page: &Page) -> String {
    if let Some(t) = &page.front.template {
        return t.clone();
    }
    if page.url.is_empty() && site.templates.contains_key("index.html") {
        return "index.html".into();
    }
    if page.is_section {
        "section.html".into()
    } else {
        "page.html".into()
    }
}

/// Top-level pages and sections that have a `weight`, in weight order.
fn nav<'a>(site: &'a Site, views: &'a [PageView], current: &Page) -> Vec<NavItem<'a>> {
    let mut items: Vec<(i64, &str, usize)> = site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.url.matches('/').count() <= 1)
        .filter_map(|(i, p)| p.front.weight.map(|w| (w, p.front.title.as_str(), i)))
        .collect();
    items.sort();
    items
        .into_iter()
        .map(|(_, _, i)| {
            let url = &site.pages[i].url;
            let current = *url == current.url || (!url.is_empty() && current.url.starts_with(url.as_str()));
            let page = &site.pages[i];
            let title = page.front.nav_title.as_deref().unwrap_or(&page.front.title);
            NavItem { title, url: &views[i].url, current }
        })
        .collect()
}

/// The pages in a section's folder: dated ones newest first, then by weight and title.
fn section_pages<'a>(site: &Site, views: &'a [PageView], section: &Page) -> Vec<&'a PageView> {
    let mut members: Vec<usize> = (0..site.pages.len()).filter(|&i| !site.pages[i].is_section && site.pages[i].dir == section.dir).collect();
    members.sort_by(|&a, &b| {
        let (pa, pb) = (&site.pages[a], &site.pages[b]);
        pb.date
            .cmp(&pa.date)
            .then_with(|| pa.front.weight.unwrap_or(i64::MAX).cmp(&pb.front.weight.unwrap_or(i64::MAX)))
            .then_with(|| pa.front.title.cmp(&pb.front.title))
    });
    members.into_iter().map(|i| &views[i]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_are_plain_and_short() {
        assert_eq!(first_paragraph("<h2>x</h2><p>Police <em>recorded</em> 1,628 &amp; more.</p><p>b</p>"), "Police recorded 1,628 & more.");
        let long = format!("<p>{}</p>", "word ".repeat(100));
        let s = first_paragraph(&long);
        assert!(s.ends_with('…') && s.chars().count() <= 201);
    }
}
