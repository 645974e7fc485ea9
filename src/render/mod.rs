//! Render: turns a checked [`Site`] into an [`Output`], an in-memory map from output path to
//! bytes.
//!
//! Figures become their SVG, share images, CSV, share page and embed page (in parallel);
//! pages become HTML through Markdown and then their Tera template (in parallel); the press
//! pack, the site card and the static files complete the site. Nothing touches the disk here,
//! so the same output can be written, served or compared in tests, and it is deterministic:
//! the map is ordered and every input is visited in a fixed order.

mod standard;
mod views;

pub use views::{png_path, FigureView, ImageView, PageView, Urls, SITE_CARD};

use crate::cache::ImageCache;
use crate::chart::{self, image};
use crate::error::{suggestion, Error, Location, Result};
use crate::figure::Figure;
use crate::load::{Page, Site, Source};
use crate::markdown::{self, Embed, EmbedKind, RenderContext};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;
use tera::{Context, Kwargs, State, Tera};
use views::{NavItem, SiteView};

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

/// The brand every share image carries, from the site settings.
pub fn brand(site: &Site) -> image::Brand {
    let address = site.config.base_url.split_once("://").map_or(site.config.base_url.as_str(), |(_, rest)| rest);
    image::Brand {
        site_title: site.config.title.clone(),
        tagline: site.config.tagline.clone(),
        address: address.trim_end_matches('/').to_string(),
        hashtag: site.config.hashtag.clone(),
        organisation: site.config.organisation.clone(),
    }
}

/// What one figure adds to the site.
struct FigureFiles {
    view: FigureView,
    files: Vec<(String, Vec<u8>)>,
}

/// Draws a figure's SVG, share images and CSV.
fn figure_files(figure: &Figure, urls: &Urls, brand: &image::Brand, images: &ImageCache) -> Result<FigureFiles> {
    let (_, height) = chart::drawing(figure, 0.0)?;
    let svg = chart::svg(figure)?;
    let view = FigureView::new(figure, svg.clone(), height as u32, urls, brand.hashtag.as_deref());
    let mut files = vec![(format!("figures/{}.svg", figure.id), svg.into_bytes())];
    let pngs: Vec<Result<(String, Vec<u8>)>> = image::SIZES
        .par_iter()
        .map(|size| {
            let composition = image::compose(figure, *size, brand)?;
            let text = [("Title", figure.title.as_str()), ("Description", view.description.as_str()), ("Source", figure.source.as_str()), ("Author", brand.organisation.as_str())];
            let metadata: Vec<&[u8]> = text.iter().flat_map(|(k, v)| [k.as_bytes(), v.as_bytes()]).collect();
            let png = images
                .image(&[&[composition.svg.as_bytes()], metadata.as_slice()].concat(), || image::rasterize(&composition.svg, &text))
                .map_err(|e| Error::new(e.message().to_string()).in_file(&figure.file))?;
            Ok((png_path(&figure.id, *size), png))
        })
        .collect();
    for png in pngs {
        files.push(png?);
    }
    files.push((format!("figures/{}.csv", figure.id), view.table.csv().into_bytes()));
    Ok(FigureFiles { view, files })
}

/// What earlier renders made, so that a later render of a changed site redoes only what the
/// change touches: a figure is redrawn when it changed, a page body when its text or a figure
/// it shows changed, a page when its body, its template, the menu or its listing changed.
#[derive(Default)]
pub struct RenderCache {
    figures: HashMap<String, CachedFigure>,
    bodies: HashMap<String, (u64, Arc<String>)>,
    pages: HashMap<String, (u64, Arc<Vec<u8>>)>,
    site_card: Option<(u64, Arc<Vec<u8>>)>,
    icons: Option<(u64, BTreeMap<String, Vec<u8>>)>,
    /// Share images from earlier builds, on disk.
    pub images: ImageCache,
    next_generation: u64,
    /// What the last render actually redid.
    pub last: RenderStats,
}

impl RenderCache {
    /// An empty cache whose share images come from, and go to, `images`.
    pub fn with_images(images: ImageCache) -> RenderCache {
        RenderCache { images, ..RenderCache::default() }
    }
}

struct CachedFigure {
    figure: Figure,
    settings: u64,
    shared: u64,
    files: Arc<FigureFiles>,
    chart_html: Arc<String>,
    /// Changes whenever the figure's output changes, so dependants know to follow.
    generation: u64,
}

/// How much a render redid.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RenderStats {
    pub figures: usize,
    pub bodies: usize,
    /// Output paths of the HTML pages rendered anew.
    pub pages: Vec<String>,
}

fn key(parts: impl std::hash::Hash) -> u64 {
    use std::hash::Hasher;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    parts.hash(&mut h);
    h.finish()
}

/// Renders every page, figure and static file of `site`, with share images cached on disk at
/// the site root.
pub fn render(site: &Site) -> Result<Output> {
    let mut cache = RenderCache::with_images(ImageCache::at(&site.root));
    let output = render_with(site, &mut cache)?;
    // Every image of the site was looked up, so what was not is no longer wanted.
    cache.images.prune();
    Ok(output)
}

/// Renders `site`, reusing whatever `cache` holds that the site has not changed.
pub fn render_with(site: &Site, cache: &mut RenderCache) -> Result<Output> {
    let urls = Urls::new(&site.config);
    let brand = brand(site);
    let settings = key(format!("{:?}", site.config));
    let icon_key = key((settings, site.static_files.get("favicon.svg").map(|f| &*f.content)));
    let generated = match &cache.icons {
        Some((k, files)) if *k == icon_key => files.clone(),
        _ => standard::icons(site, &urls)?,
    };
    cache.icons = Some((icon_key, generated.clone()));
    let mut statics = static_bytes(site);
    statics.extend(generated.iter().map(|(p, b)| (p.clone(), std::borrow::Cow::Borrowed(b.as_slice()))));
    let assets = crate::assets::name(&statics);
    let tera = templates(site, &urls.base_path, &assets.names)?;
    let sections: Vec<&Page> = site.pages.iter().filter(|p| p.is_section && !p.url.is_empty()).collect();
    let site_view = SiteView::new(&site.config, &urls, &sections);
    // What every page shares: the settings and the output names of the static files.
    let base_key = key((settings, &assets.names));
    // A template's key covers the templates it extends and includes, so an edit to one
    // template reaches exactly the pages that use it.
    let template_key = |name: &str| key((base_key, template_closure(site, name).iter().map(|n| (n, &site.templates[*n].content)).collect::<Vec<_>>()));
    let shared = template_key("chart.html");
    let mut stats = RenderStats::default();

    // Figures: redraw the changed ones, in parallel.
    let stale: Vec<&Figure> = site
        .figures
        .values()
        .filter(|f| !cache.figures.get(&f.id).is_some_and(|c| c.figure == **f && c.settings == settings))
        .collect();
    let drawn: Vec<FigureFiles> =
        stale.par_iter().map(|f| figure_files(f, &urls, &brand, &cache.images)).collect::<Vec<_>>().into_iter().collect::<Result<_>>()?;
    stats.figures = drawn.len();
    cache.figures.retain(|id, _| site.figures.contains_key(id));
    for (figure, files) in stale.into_iter().zip(drawn) {
        cache.next_generation += 1;
        let entry = CachedFigure {
            figure: figure.clone(),
            settings,
            shared: 0,
            files: Arc::new(files),
            chart_html: Arc::default(),
            generation: cache.next_generation,
        };
        cache.figures.insert(figure.id.clone(), entry);
    }
    for cached in cache.figures.values_mut() {
        if cached.shared != shared {
            let html = chart_html(&tera, site, &site_view, &cached.files.view)?;
            if html != *cached.chart_html {
                cache.next_generation += 1;
                cached.generation = cache.next_generation;
                cached.chart_html = Arc::new(html);
            }
            cached.shared = shared;
        }
    }
    let figures: BTreeMap<&str, &FigureView> = cache.figures.iter().map(|(id, c)| (id.as_str(), &c.files.view)).collect();
    let charts: BTreeMap<&str, String> = cache.figures.iter().map(|(id, c)| (id.as_str(), (*c.chart_html).clone())).collect();
    let generation = |id: &str| cache.figures.get(id).map_or(0, |c| c.generation);

    // Page bodies: Markdown again only where the text or a figure it uses changed.
    let body_keys: Vec<u64> = site
        .pages
        .iter()
        .map(|p| key((&p.text, &p.url, &urls.base_path, p.scanned.embeds.iter().map(|e| generation(e.figure_id())).collect::<Vec<_>>())))
        .collect();
    let file_key = |p: &Page| p.file.to_string_lossy().into_owned();
    let fresh: Vec<(usize, String)> = site
        .pages
        .par_iter()
        .enumerate()
        .filter(|(i, p)| !cache.bodies.get(&file_key(p)).is_some_and(|(k, _)| *k == body_keys[*i]))
        .map(|(i, p)| (i, body_html(p, site, &charts, &urls.base_path)))
        .collect();
    stats.bodies = fresh.len();
    for (i, html) in fresh {
        cache.bodies.insert(file_key(&site.pages[i]), (body_keys[i], Arc::new(html)));
    }
    let live: std::collections::HashSet<String> = site.pages.iter().map(file_key).collect();
    cache.bodies.retain(|k, _| live.contains(k));
    let bodies: Vec<Arc<String>> = site.pages.iter().map(|p| cache.bodies[&file_key(p)].1.clone()).collect();

    let card = ImageView::site_card(&site.config, &urls);
    let views: Vec<PageView> = site
        .pages
        .iter()
        .zip(&bodies)
        .map(|(page, html)| PageView::new(page, html, &urls, page_image(page, &figures, &card)))
        .collect();

    // Pages: the template again where anything the page shows changed.
    let menu = Menu::new(site);
    let page_templates: Vec<String> = site.pages.iter().map(|p| template_for(site, p)).collect();
    let used: BTreeSet<&str> = page_templates.iter().map(String::as_str).collect();
    let page_template_keys: HashMap<&str, u64> = used.into_iter().map(|t| (t, template_key(t))).collect();
    let page_keys: Vec<u64> = site
        .pages
        .iter()
        .enumerate()
        .map(|(i, page)| {
            let listing = if page.is_section { section_pages(site, &views, page).iter().map(|v| view_key(v)).collect() } else { Vec::new() };
            key((body_keys[i], shared, view_key(&views[i]), nav_key(&menu.items(site, &views, Some(page))), listing, page_template_keys[page_templates[i].as_str()]))
        })
        .collect();
    let rendered: Vec<(String, u64, Vec<u8>)> = site
        .pages
        .par_iter()
        .enumerate()
        .filter(|(i, p)| !cache.pages.get(&format!("{}index.html", p.url)).is_some_and(|(k, _)| *k == page_keys[*i]))
        .map(|(i, page)| {
            let mut context = page_context(&site_view, &views[i], &menu.items(site, &views, Some(page)));
            if page.is_section {
                context.insert("pages", &section_pages(site, &views, page));
            }
            let html = render_template(&tera, site, &page_templates[i], &context)?;
            Ok((format!("{}index.html", page.url), page_keys[i], html.into_bytes()))
        })
        .collect::<Vec<Result<_>>>()
        .into_iter()
        .collect::<Result<_>>()?;

    // Share pages, embeds and the press pack follow their figure and the menu.
    let menu_items = menu.items(site, &views, None);
    let menu = nav_key(&menu_items);
    let (share_key, embed_key) = (template_key("figure.html"), template_key("embed.html"));
    let figure_page_keys: BTreeMap<String, u64> = figures
        .keys()
        .flat_map(|id| {
            let k = key((generation(id), share_key, embed_key, menu));
            [(format!("figures/{id}/index.html"), k), (format!("figures/{id}/embed/index.html"), k)]
        })
        .chain([("figures/index.html".to_string(), key((figures.keys().map(|id| generation(id)).collect::<Vec<_>>(), template_key("figures.html"), menu)))])
        .collect();
    let stale_figure_pages: BTreeSet<&str> = figure_page_keys
        .iter()
        .filter(|(path, k)| !cache.pages.get(*path).is_some_and(|(old, _)| old == *k))
        .map(|(path, _)| path.as_str())
        .collect();
    let figure_pages = figure_pages(&tera, site, &site_view, &urls, &figures, &menu_items, &card, &stale_figure_pages)?;
    // Pages soapbox writes from the settings alone: a 404 page, and a privacy note unless the
    // site has its own page at /privacy/.
    let mut standard = vec![("404.html", "404.html", "Page not found", site.config.description.clone())];
    if !site.pages.iter().any(|p| p.url == "privacy/") {
        let about = format!("What {} does and does not collect: no cookies, no tracking, nothing loaded from other sites.", site.config.title);
        standard.push(("privacy/index.html", "privacy.html", "Privacy", about));
    }
    let mut standard_pages = Vec::new();
    for (path, template, title, description) in &standard {
        let k = key((template_key(template), menu));
        if cache.pages.get(*path).is_some_and(|(old, _)| *old == k) {
            continue;
        }
        let url_path = path.trim_end_matches("index.html");
        let page = PageView::generated(title, description, url_path, &urls, card.clone());
        let context = page_context(&site_view, &page, &menu_items);
        standard_pages.push((path.to_string(), k, render_template(&tera, site, template, &context)?.into_bytes()));
    }

    let mut live_pages: BTreeSet<String> = site.pages.iter().map(|p| format!("{}index.html", p.url)).collect();
    live_pages.extend(figure_page_keys.keys().cloned());
    live_pages.extend(standard.iter().map(|s| s.0.to_string()));
    for (path, k, html) in standard_pages {
        stats.pages.push(path.clone());
        cache.pages.insert(path, (k, Arc::new(html)));
    }
    cache.pages.retain(|k, _| live_pages.contains(k));
    for (path, k, html) in rendered {
        stats.pages.push(path.clone());
        cache.pages.insert(path, (k, Arc::new(html)));
    }
    for (path, html) in figure_pages {
        stats.pages.push(path.clone());
        cache.pages.insert(path.clone(), (figure_page_keys[&path], Arc::new(html)));
    }
    stats.pages.sort();

    let mut files: BTreeMap<String, Vec<u8>> = assets.files;
    for cached in cache.figures.values() {
        files.extend(cached.files.files.iter().cloned());
    }
    for (path, (_, html)) in &cache.pages {
        files.insert(path.clone(), (**html).clone());
    }
    let card_png = match &cache.site_card {
        Some((k, png)) if *k == settings => Arc::clone(png),
        _ => {
            let svg = image::site_card(&brand);
            let title = site.config.title.as_bytes();
            Arc::new(cache.images.image(&[svg.as_bytes(), b"Title", title], || image::rasterize(&svg, &[("Title", &site.config.title)]))?)
        }
    };
    files.insert(SITE_CARD.to_string(), (*card_png).clone());
    files.insert("sitemap.xml".to_string(), standard::sitemap(site, &urls).into_bytes());
    for section in &sections {
        let entries = section_pages(site, &views, section);
        files.insert(format!("{}atom.xml", section.url), standard::feed(site, section, &entries, &urls).into_bytes());
    }
    files.insert("robots.txt".to_string(), format!("User-agent: *\nAllow: /\nSitemap: {}\n", urls.absolute("sitemap.xml")).into_bytes());
    cache.site_card = Some((settings, card_png));
    cache.last = stats;
    Ok(Output { files, pages: site.pages.len(), figures: site.figures.len() })
}

/// `name` and every template it extends or includes, however deep.
fn template_closure<'a>(site: &'a Site, name: &str) -> BTreeSet<&'a str> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![name.to_string()];
    while let Some(next) = todo.pop() {
        let Some((name, source)) = site.templates.get_key_value(&next) else { continue };
        if !seen.insert(name.as_str()) {
            continue;
        }
        for keyword in ["extends", "include"] {
            for part in source.content.split(&format!("{{% {keyword} ")).skip(1).chain(source.content.split(&format!("{{%- {keyword} ")).skip(1)) {
                let quoted = part.trim_start();
                if let Some(q) = quoted.chars().next().filter(|c| *c == '"' || *c == '\'') {
                    if let Some(end) = quoted[1..].find(q) {
                        todo.push(quoted[1..1 + end].to_string());
                    }
                }
            }
        }
    }
    seen
}

/// What of a page's view a template shows, as a key.
fn view_key(v: &PageView) -> u64 {
    key((&v.title, &v.description, &v.date, &v.url, &v.summary, &v.image.url, &v.image.alt))
}

fn nav_key(items: &[NavItem]) -> u64 {
    key(items.iter().map(|n| (n.title, n.url, n.current)).collect::<Vec<_>>())
}

fn page_context(site: &SiteView, page: &PageView, nav: &[NavItem]) -> Context {
    let mut context = Context::new();
    context.insert("site", site);
    context.insert("page", page);
    context.insert("nav", nav);
    context
}

/// Each figure's share page and embed page, and the press pack of them all.
fn figure_pages(
    tera: &Tera,
    site: &Site,
    site_view: &SiteView,
    urls: &Urls,
    figures: &BTreeMap<&str, &FigureView>,
    nav: &[NavItem],
    card: &ImageView,
    stale: &BTreeSet<&str>,
) -> Result<Vec<(String, Vec<u8>)>> {
    let mut out: Vec<(String, Vec<u8>)> = figures
        .par_iter()
        .filter(|(id, _)| stale.contains(format!("figures/{id}/index.html").as_str()))
        .map(|(id, figure)| {
            let page = PageView::generated(&figure.title, &figure.description, &format!("figures/{id}/"), urls, figure.image.clone());
            let mut context = page_context(site_view, &page, nav);
            context.insert("figure", figure);
            context.insert("share_page", &true);
            let share = render_template(tera, site, "figure.html", &context)?;
            let embed = render_template(tera, site, "embed.html", &context)?;
            Ok(vec![(format!("figures/{id}/index.html"), share.into_bytes()), (format!("figures/{id}/embed/index.html"), embed.into_bytes())])
        })
        .collect::<Vec<Result<_>>>()
        .into_iter()
        .collect::<Result<Vec<_>>>()?
        .into_iter()
        .flatten()
        .collect();
    if !stale.contains("figures/index.html") {
        return Ok(out);
    }
    let description = format!("Every chart of {}, with its data and images to download and share.", site.config.title);
    let page = PageView::generated("Figures and downloads", &description, "figures/", urls, card.clone());
    let mut context = page_context(site_view, &page, nav);
    let list: Vec<&FigureView> = figures.values().copied().collect();
    context.insert("figures", &list);
    out.push(("figures/index.html".to_string(), render_template(tera, site, "figures.html", &context)?.into_bytes()));
    Ok(out)
}

/// A page's preview image: the figure its front matter names, else its first chart, else
/// the site card.
fn page_image(page: &Page, figures: &BTreeMap<&str, &FigureView>, card: &ImageView) -> ImageView {
    let first_chart = page.scanned.embeds.iter().find_map(|e| match &e.kind {
        EmbedKind::Chart { id } => Some(id.as_str()),
        EmbedKind::Value { .. } => None,
    });
    page.front
        .image
        .as_deref()
        .or(first_chart)
        .and_then(|id| figures.get(id))
        .map_or_else(|| card.clone(), |f| f.image.clone())
}

fn render_template(tera: &Tera, site: &Site, name: &str, context: &Context) -> Result<String> {
    tera.render(name, context).map_err(|e| template_error(&e, site))
}

/// Problems in the templates (syntax, unknown filters, functions or includes), found without
/// rendering anything.
pub fn check_templates(site: &Site) -> Option<Error> {
    let mut names = crate::assets::name(&static_bytes(site)).names;
    for (path, _) in standard::ICONS {
        names.insert(path.to_string(), path.to_string());
    }
    names.insert(standard::MANIFEST.to_string(), standard::MANIFEST.to_string());
    templates(site, &site.config.base_path(), &names).err()
}

/// The static files' bytes by path.
fn static_bytes(site: &Site) -> BTreeMap<String, std::borrow::Cow<'_, [u8]>> {
    site.static_files.iter().map(|(path, file)| (path.clone(), std::borrow::Cow::Borrowed(&*file.content))).collect()
}

/// Parses every template once, with soapbox's functions registered first.
fn templates(site: &Site, base_path: &str, assets: &BTreeMap<String, String>) -> Result<Tera> {
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
    let assets = assets.clone();
    let base = base_path.to_string();
    tera.register_function("asset", move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
        let path: &str = kwargs.must_get("path")?;
        let path = path.trim_start_matches('/');
        let Some(name) = assets.get(path) else {
            let hint = suggestion(path, assets.keys().map(String::as_str));
            return Err(tera::Error::message(format!("there is no static file `{path}`; {hint}")));
        };
        Ok(format!("{base}{name}"))
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
                    const FILTERS: [&str; 36] = [
                        "safe", "default", "upper", "lower", "wordcount", "escape", "escape_html", "escape_xml", "newlines_to_br", "pluralize",
                        "trim", "trim_start", "trim_end", "replace", "capitalize", "title", "truncate", "indent", "str", "int", "float",
                        "length", "reverse", "split", "abs", "round", "first", "last", "nth", "join", "sort", "unique", "get", "values", "keys",
                        "pairs",
                    ];
                    error = error.hint(suggestion(word, FILTERS));
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

/// The `<figure>` a chart embed places, from the `chart.html` template.
fn chart_html(tera: &Tera, site: &Site, site_view: &SiteView, figure: &FigureView) -> Result<String> {
    let mut context = Context::new();
    context.insert("figure", figure);
    context.insert("site", site_view);
    context.insert("share_page", &false);
    render_template(tera, site, "chart.html", &context)
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
    markdown::render(page.body(), &page.scanned, &RenderContext { values: &values, chart: &chart, base_path })
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

/// The top-level pages and sections that have a `weight`, in weight order: found once per
/// build, then marked for each page.
struct Menu(Vec<usize>);

impl Menu {
    fn new(site: &Site) -> Menu {
        let mut items: Vec<(i64, &str, usize)> = site
            .pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.url.matches('/').count() <= 1)
            .filter_map(|(i, p)| p.front.weight.map(|w| (w, p.front.title.as_str(), i)))
            .collect();
        items.sort();
        Menu(items.into_iter().map(|(_, _, i)| i).collect())
    }

    /// The menu as `current` shows it, with its own section marked.
    fn items<'a>(&self, site: &'a Site, views: &'a [PageView], current: Option<&Page>) -> Vec<NavItem<'a>> {
        self.0
            .iter()
            .map(|&i| {
                let page = &site.pages[i];
                let current = current.is_some_and(|c| page.url == c.url || (!page.url.is_empty() && c.url.starts_with(page.url.as_str())));
                let title = page.front.nav_title.as_deref().unwrap_or(&page.front.title);
                NavItem { title, url: &views[i].url, current }
            })
            .collect()
    }
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
