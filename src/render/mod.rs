//! Render: turns a checked [`Site`] into an [`Output`], an in-memory map from output path to
//! bytes.
//!
//! Figures become their SVG, share images, CSV, share page and embed page (in parallel);
//! pages become HTML through Markdown and then their Tera template, minified as they are made
//! (in parallel), with each chart minified once and placed into the pages that show it; the
//! press pack, the site card and the static files complete the site. The only disk it
//! touches is the [`Cache`] of figures' work. The output stays in memory, so it can be
//! written, served or compared in tests; only a build's share images and chart SVGs stay in
//! the cache once they are there, named in [`Output::stored`], so as not to hold 90 MB of PNGs
//! and so that the output can link to them. It
//! is deterministic: the map is ordered, every input is visited in a fixed order, and a
//! cached entry holds exactly what would be made again.

pub mod addresses;
mod standard;
mod views;

pub use views::{png_path, FigureView, ImageView, PageView, Urls, SITE_CARD};

use crate::cache::{Cache, Image, Stored};
use crate::chart::{self, image};
use crate::error::{suggestion, Error, Location, Result};
use crate::figure::Figure;
use crate::hash::{key, mix};
use crate::load::{Page, Site, Source};
use crate::markdown::{self, Embed, EmbedKind, RenderContext};
use rayon::prelude::*;
use sha2::Digest as _;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tera::{Context, Kwargs, State, Tera};
use views::{NavItem, SiteView};

/// A file's bytes, shared between the render cache, the output and the preview server.
pub type Bytes = Arc<Vec<u8>>;

/// An output path (`asks/index.html`), shared the same way: the render cache, the output and
/// the preview's two maps all hold the same paths.
pub type OutPath = Arc<str>;

/// Every file of a built site: output path (`asks/index.html`) to bytes. Shared, so that the
/// preview can serve one while the next edit is patched into another.
pub type Files = Arc<BTreeMap<OutPath, Bytes>>;

/// The built site, before it is written.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Output {
    pub files: Files,
    /// Files that stay in the disk cache until they are written: a build's share images and
    /// chart SVGs, as soon as they are stored there. The preview has none; it serves
    /// everything from `files`.
    pub stored: BTreeMap<OutPath, Stored>,
    pub pages: usize,
    pub figures: usize,
}

impl Output {
    /// How many files the site has.
    pub fn len(&self) -> usize {
        self.files.len() + self.stored.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The size of the whole site.
    pub fn bytes(&self) -> usize {
        self.files.values().map(|b| b.len()).sum::<usize>() + self.stored.values().map(|s| s.len as usize).sum::<usize>()
    }
}

/// The brand every share image carries, from the site settings: the address is the one
/// site.yaml gives, even in the preview or a preview deploy.
pub fn brand(site: &Site) -> image::Brand {
    let url = site.config.published_url.as_deref().unwrap_or(&site.config.base_url);
    let address = url.split_once("://").map_or(url, |(_, rest)| rest);
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
    files: Vec<(String, Bytes)>,
    /// Share images left in the disk cache.
    stored: Vec<(String, Stored)>,
}

/// Draws a figure's SVG, share images and CSV. With `on_disk`, the SVG and share images that
/// are in the cache are given as its entries (see [`Stored`]), for the write stage to link.
fn figure_files(figure: &Figure, urls: &Urls, brand: &image::Brand, images: &Cache, on_disk: bool, skip_images: bool) -> Result<FigureFiles> {
    // The figure's data, hashed once as the key of everything cached for it.
    let data: [u8; 32] = sha2::Sha256::digest(format!("{figure:?}")).into();
    // The chart's SVG is cached with its images, under the same kind of key: the drawing code,
    // the fonts and the figure's data. An entry holds the SVG alone, so that a build's
    // `figures/ID.svg` can be a link to it, like a share image; its height is on its root.
    let parts: [&[u8]; 3] = [image::theme_key(), b"svg", &data];
    let draw = || chart::svg(figure).map(String::into_bytes);
    let (drawn, entry) = if on_disk { images.image_kept(&parts, draw)? } else { (images.image(&parts, draw)?, None) };
    let (svg, height, entry) = match String::from_utf8(drawn).ok().and_then(|svg| Some((chart::height_of(&svg)?, svg))) {
        Some((height, svg)) => (svg, height, entry),
        None => chart::svg_and_height(figure).map(|(svg, height)| (svg, height as u32, None))?,
    };
    let svg_path = format!("figures/{}.svg", figure.id);
    let (mut files, mut stored) = match entry {
        Some(entry) => (Vec::new(), vec![(svg_path, entry)]),
        None => (vec![(svg_path, Arc::new(svg.clone().into_bytes()))], Vec::new()),
    };
    let view = FigureView::new(figure, svg, height, urls, brand.hashtag.as_deref());
    let text = [
        ("Title", figure.title.as_str()),
        ("Description", view.description.as_str()),
        ("Source", figure.source.as_str()),
        ("Author", brand.organisation.as_str()),
    ];
    // Keyed by what decides the pixels, so a cached image needs no layout at all.
    let what = format!("{brand:?}\n{text:?}");
    let sizes = if skip_images { &[][..] } else { &image::SIZES[..] };
    let pngs: Vec<Result<(String, Image)>> = sizes
        .par_iter()
        .map(|size| {
            let dimensions = [size.width.to_le_bytes(), size.height.to_le_bytes()].concat();
            let parts = [image::theme_key(), &data, what.as_bytes(), &dimensions];
            let draw = || image::rasterize(&image::compose(figure, *size, brand)?.svg, &text);
            let png = if on_disk { images.image_on_disk(&parts, draw) } else { images.image(&parts, draw).map(Image::Made) };
            Ok((png_path(&figure.id, *size), png.map_err(|e| Error::new(e.message().to_string()).in_file(&figure.file))?))
        })
        .collect();
    for png in pngs {
        match png? {
            (path, Image::Made(bytes)) => files.push((path, Arc::new(bytes))),
            (path, Image::Stored(entry)) => stored.push((path, entry)),
        }
    }
    files.push((format!("figures/{}.csv", figure.id), Arc::new(view.table.csv().into_bytes())));
    Ok(FigureFiles { view, files, stored })
}

/// Each section's pages, by page index: the indices of its members, in order.
type Listings = Arc<HashMap<usize, Vec<usize>>>;

/// What earlier renders made, so that a later render of a changed site redoes only what the
/// change touches: a figure is redrawn when it changed, a page body when its text or a figure
/// it shows changed, a page when its body, its template, the menu or its listing changed.
/// Every check is a comparison of keys, so an edit to one page of ten thousand costs little
/// more than that page.
#[derive(Default)]
pub struct RenderCache {
    /// By figure id, in id order.
    figures: BTreeMap<String, CachedFigure>,
    /// By source file ([`Page::id`]): the page's body and what templates see of it.
    sources: crate::hash::ByKey<CachedSource>,
    /// Each section's pages in order, and a key of what decides that order.
    listings: Option<(u64, Listings)>,
    /// The last output, and a key of its set of paths: an edit that adds or removes nothing
    /// only patches it.
    files: Option<(u64, Files)>,
    /// The output before the last, and the pages changed since: the next patch is made in it
    /// once nobody serves it any more, so an edit copies no map.
    behind: Option<(Files, Vec<u64>)>,
    /// By a key of the output path: HTML pages, feeds and the sitemap.
    pages: crate::hash::ByKey<CachedPage>,
    /// Each page's menu key, by page index, and a key of the menu and the pages' addresses.
    menu_keys: Option<(u64, Arc<Vec<u64>>)>,
    tera: Option<(u64, Arc<Tera>)>,
    assets: Option<(u64, Arc<crate::assets::Assets>)>,
    site_card: Option<(u64, Bytes)>,
    icons: Option<(u64, BTreeMap<String, Vec<u8>>)>,
    /// The output paths of the last render, to drop what a deleted page left behind.
    paths: u64,
    /// Minify each HTML page as it is made (builds do; the preview skips it).
    pub minify: bool,
    /// Leave share images in the disk cache once they are there, for the write stage to link
    /// or copy (builds do, to keep 90 MB of PNGs out of memory; the preview serves from memory).
    pub images_on_disk: bool,
    /// Share images and minified figure pages from earlier builds, on disk.
    pub disk: Cache,
    /// Draw no share images: [`dry_run`] renders every page to find what only rendering
    /// finds, and needs no pictures for that.
    pub skip_images: bool,
    next_generation: u64,
    /// What the last render actually redid.
    pub last: RenderStats,
}

impl RenderCache {
    /// An empty cache whose figures' work comes from, and goes to, `disk`.
    pub fn with_disk(disk: Cache) -> RenderCache {
        RenderCache { disk, ..RenderCache::default() }
    }
}

/// An HTML page, feed or sitemap as made, and the key of what it was made from.
struct CachedPage {
    path: OutPath,
    key: u64,
    bytes: Bytes,
}

struct CachedFigure {
    figure: Figure,
    /// Its share and embed pages' output paths, with a key of each.
    pages: [(OutPath, u64); 2],
    settings: u64,
    shared: u64,
    files: Arc<FigureFiles>,
    chart_html: Arc<String>,
    /// Changes whenever the figure's output changes, so dependants know to follow.
    generation: u64,
}

struct CachedSource {
    file: PathBuf,
    /// `news/launch/index.html`, and a key of it.
    path: OutPath,
    path_key: u64,
    /// A key of what decides the page's place in its section: date, weight, title, folder.
    order: u64,
    body_key: u64,
    body: Arc<String>,
    view_key: u64,
    view: Arc<PageView>,
    /// A key of what a listing or feed shows of the page.
    shown: u64,
}

/// How much a render redid.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RenderStats {
    pub figures: usize,
    pub bodies: usize,
    /// Output paths of the HTML pages rendered anew.
    pub pages: Vec<String>,
}

/// Renders every page, figure and static file of `site`, minified, with share images cached
/// on disk at the site root.
pub fn render(site: &Site) -> Result<Output> {
    let mut cache = RenderCache { minify: true, images_on_disk: true, ..RenderCache::with_disk(Cache::at(&site.root)) };
    let output = render_with(site, &mut cache)?;
    // Every figure of the site was looked up, so what was not is no longer wanted.
    cache.disk.prune();
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
    let assets_key = key((icon_key, site.static_files.iter().map(|(p, f)| (p, &*f.content)).collect::<Vec<_>>()));
    let assets = match &cache.assets {
        Some((k, assets)) if *k == assets_key => Arc::clone(assets),
        _ => {
            let mut statics = static_bytes(site);
            statics.extend(generated.iter().map(|(p, b)| (p.clone(), std::borrow::Cow::Borrowed(b.as_slice()))));
            Arc::new(crate::assets::name(&statics))
        }
    };
    cache.assets = Some((assets_key, Arc::clone(&assets)));
    let sections: Vec<&Page> = site.pages.iter().filter(|p| p.is_section && !p.url.is_empty()).collect();
    // Serialized once: every page's template gets the same `site`.
    let site_view = tera::Value::from_serializable(&SiteView::new(&site.config, &urls, &sections));
    // What every page shares: the settings and the output names of the static files.
    let base_key = key((settings, &assets.names));
    // A template's key covers the templates it extends and includes, so an edit to one
    // template reaches exactly the pages that use it.
    let template_key = |name: &str| key((base_key, template_closure(site, name).iter().map(|n| (n, &site.templates[*n].content)).collect::<Vec<_>>()));
    let shared = template_key("chart.html");
    let mut stats = RenderStats::default();

    // Figures: redraw the changed ones, in parallel.
    let stale: Vec<&Figure> =
        site.figures.values().filter(|f| !cache.figures.get(&f.id).is_some_and(|c| c.figure.hash == f.hash && c.settings == settings)).collect();
    let drawn: Vec<FigureFiles> = stale
        .par_iter()
        .map(|f| figure_files(f, &urls, &brand, &cache.disk, cache.images_on_disk, cache.skip_images))
        .collect::<Vec<_>>()
        .into_iter()
        .collect::<Result<_>>()?;
    stats.figures = drawn.len();
    let figures_before = cache.figures.len();
    cache.figures.retain(|id, _| site.figures.contains_key(id));
    let figures_changed = !stale.is_empty() || cache.figures.len() != figures_before;
    for (figure, files) in stale.into_iter().zip(drawn) {
        cache.next_generation += 1;
        let pages = [format!("figures/{}/index.html", figure.id), format!("figures/{}/embed/index.html", figure.id)].map(|p| {
            let k = key(&p);
            (OutPath::from(p), k)
        });
        let entry = CachedFigure {
            figure: figure.clone(),
            pages,
            settings,
            shared: 0,
            files: Arc::new(files),
            chart_html: Arc::default(),
            generation: cache.next_generation,
        };
        cache.figures.insert(figure.id.clone(), entry);
    }
    // Templates are parsed again only when a template, a static file's name or a figure
    // (which `value()` reads) changed.
    let tera_key = key((base_key, site.templates.iter().map(|(n, t)| (n, &t.content)).collect::<Vec<_>>()));
    let tera = match &cache.tera {
        Some((k, tera)) if *k == tera_key && !figures_changed => Arc::clone(tera),
        _ => Arc::new(templates(site, &urls.base_path, &assets.names)?),
    };
    cache.tera = Some((tera_key, Arc::clone(&tera)));
    // Each chart as pages place it, made again when its figure or chart.html changed, and
    // minified here (through the disk cache) rather than in every page that shows it.
    // On disk they are kept under what they are made from, so a warm build need not make them.
    let sections_key = key(sections.iter().map(|s| (&s.front.title, &s.url)).collect::<Vec<_>>());
    let redo: Vec<(&String, &CachedFigure)> = cache.figures.iter().filter(|(_, c)| c.shared != shared).collect();
    let disk =
        (cache.minify && !redo.is_empty()).then(|| (&cache.disk, key((settings, shared, sections_key, values_key(site, &["chart.html"]), page_code_key()))));
    let placed: Vec<(String, String)> = redo
        .into_par_iter()
        .map(|(id, c)| {
            let through = disk.map(|(d, chart_inputs)| (d, [chart_inputs, c.figure.hash]));
            Ok((id.clone(), placed_chart(&tera, site, &site_view, &c.files.view, through)?))
        })
        .collect::<Result<_>>()?;
    for (id, html) in placed {
        let Some(cached) = cache.figures.get_mut(&id) else { continue };
        if html != *cached.chart_html {
            cache.next_generation += 1;
            cached.generation = cache.next_generation;
            cached.chart_html = Arc::new(html);
        }
        cached.shared = shared;
    }
    let figures: BTreeMap<&str, &FigureView> = cache.figures.iter().map(|(id, c)| (id.as_str(), &c.files.view)).collect();
    let charts: BTreeMap<&str, &str> = cache.figures.iter().map(|(id, c)| (id.as_str(), c.chart_html.as_str())).collect();
    let generation = |id: &str| cache.figures.get(id).map_or(0, |c| c.generation);
    // Changes whenever any figure's output does.
    let figures_key = mix(&cache.figures.values().map(|c| c.generation).collect::<Vec<_>>());

    // Page bodies and views: Markdown again only where the text or a figure it uses changed.
    let card = ImageView::site_card(&site.config, &urls);
    let source_keys: Vec<(u64, u64)> = site
        .pages
        .iter()
        .map(|p| {
            let generations: Vec<u64> = p.scanned.embeds.iter().map(|e| generation(e.figure_id())).collect();
            let body = if generations.is_empty() { mix(&[p.hash, settings]) } else { key((p.hash, settings, generations)) };
            (body, p.front.image.as_deref().map_or(body, |id| mix(&[body, generation(id)])))
        })
        .collect();
    let cached = |p: &Page| cache.sources.get(&p.id).filter(|c| c.file.as_os_str() == p.file.as_os_str());
    let fresh: Vec<(usize, Option<Arc<String>>, CachedSource)> = site
        .pages
        .par_iter()
        .enumerate()
        .filter(|(i, p)| cached(p).is_none_or(|c| c.view_key != source_keys[*i].1))
        .map(|(i, page)| {
            let (body_key, view_key) = source_keys[i];
            let old = cached(page).filter(|c| c.body_key == body_key).map(|c| Arc::clone(&c.body));
            let body = old.clone().unwrap_or_else(|| Arc::new(body_html(page, site, &urls.base_path)));
            let view = PageView::new(page, &body, &urls, page_image(page, &figures, &card));
            let shown = view_key_of(&view);
            let order = key((&page.date, page.front.weight, &page.front.title, &page.dir, page.is_section));
            let path = format!("{}index.html", page.url);
            let source =
                CachedSource { file: page.file.clone(), path_key: key(&path), path: path.into(), order, body_key, body, view_key, view: Arc::new(view), shown };
            (i, old, source)
        })
        .collect();
    stats.bodies = fresh.iter().filter(|(_, old, _)| old.is_none()).count();
    for (i, _, source) in fresh {
        cache.sources.insert(site.pages[i].id, source);
    }
    if cache.sources.len() != site.pages.len() {
        let live: BTreeSet<u64> = site.pages.iter().map(|p| p.id).collect();
        cache.sources.retain(|k, _| live.contains(k));
    }
    let sources: Vec<&CachedSource> = site.pages.iter().map(|p| &cache.sources[&p.id]).collect();
    let views: Vec<&PageView> = sources.iter().map(|s| &*s.view).collect();

    // Pages: the template again where anything the page shows changed.
    let menu = Menu::new(site, &views);
    let order_key = key(sources.iter().map(|s| s.order).collect::<Vec<_>>());
    let listings = match &cache.listings {
        Some((k, listings)) if *k == order_key => Arc::clone(listings),
        _ => Arc::new((0..site.pages.len()).filter(|&i| site.pages[i].is_section).map(|i| (i, section_members(site, &site.pages[i]))).collect()),
    };
    cache.listings = Some((order_key, Arc::clone(&listings)));
    // A key of what each section lists, by page index (0 for a page that lists nothing).
    let mut listing_keys = vec![0u64; site.pages.len()];
    for (&i, members) in listings.iter() {
        listing_keys[i] = mix(&members.iter().map(|&m| sources[m].shown).collect::<Vec<_>>()) | 1;
    }
    let page_templates: Vec<&str> = site.pages.iter().map(|p| template_for(site, p)).collect();
    let used: BTreeSet<&str> = page_templates.iter().copied().collect();
    // A handful of templates: found by a short scan, which is cheaper than hashing each name.
    let used_keys: Vec<(&str, u64)> = used.into_iter().map(|t| (t, template_key(t))).collect();
    let template_key_of = |name: &str| used_keys.iter().find(|(t, _)| *t == name).map_or(0, |(_, k)| *k);
    let paths: Vec<&OutPath> = sources.iter().map(|s| &s.path).collect();
    let paths_key = key(sources.iter().map(|s| s.path_key).collect::<Vec<_>>());
    // Which menu entry each page marks changes only with the menu or the pages' addresses.
    let marks_key = mix(&[menu.base, paths_key]);
    let menu_keys = match &cache.menu_keys {
        Some((k, keys)) if *k == marks_key => Arc::clone(keys),
        _ => Arc::new(site.pages.iter().map(|p| menu.key(Some(p))).collect()),
    };
    cache.menu_keys = Some((marks_key, Arc::clone(&menu_keys)));
    let page_keys: Vec<u64> = (0..site.pages.len())
        .map(|i| mix(&[sources[i].view_key, shared, sources[i].shown, menu_keys[i], listing_keys[i], template_key_of(page_templates[i])]))
        .collect();
    let minify = cache.minify;
    let is_fresh = |path_key: u64, k: u64| cache.pages.get(&path_key).is_some_and(|p| p.key == k);
    let rendered: Vec<(usize, Vec<u8>)> = (0..site.pages.len())
        .into_par_iter()
        .filter(|&i| !is_fresh(sources[i].path_key, page_keys[i]))
        .map(|i| {
            let page = &site.pages[i];
            let mut context = page_context(&site_view, views[i], &sources[i].body, &menu.items(Some(page)));
            // Every page gets its listing, empty but for a section's, so that any page may
            // use a section's template.
            let listed: Vec<&PageView> = listings.get(&i).map_or_else(Vec::new, |members| members.iter().map(|&m| views[m]).collect());
            context.insert("pages", &listed);
            let html = render_template(&tera, site, page_templates[i], &context)?;
            Ok((i, finish_page(html, minify, &charts)))
        })
        .collect::<Vec<Result<_>>>()
        .into_iter()
        .collect::<Result<_>>()?;

    // Share pages, embeds and the press pack follow their figure and the menu.
    let menu_items = menu.items(None);
    let menu_key = menu.key(None);
    let (share_key, embed_key) = (template_key("figure.html"), template_key("embed.html"));
    // Each figure page: its output path, the path's key and the key of what it shows.
    let press_pack: (OutPath, u64) = ("figures/index.html".into(), key("figures/index.html"));
    let figure_page_keys: Vec<(&OutPath, u64, u64)> = cache
        .figures
        .values()
        .flat_map(|c| {
            let k = mix(&[c.generation, share_key, embed_key, menu_key]);
            c.pages.iter().map(move |(path, path_key)| (path, *path_key, k))
        })
        .chain([(&press_pack.0, press_pack.1, mix(&[figures_key, template_key("figures.html"), menu_key]))])
        .collect();
    let stale_figure_pages: BTreeMap<&str, (u64, u64)> =
        figure_page_keys.iter().filter(|(_, path_key, k)| !is_fresh(*path_key, *k)).map(|(path, path_key, k)| (&***path, (*path_key, *k))).collect();
    // What every share and embed page is made from but its figure's file: with that file, it
    // names the page in the disk cache, so a warm build finds them without making them. The
    // preview does not minify, so it keeps no figure pages on disk and needs none of this.
    let through = minify.then(|| FigurePageInputs {
        disk: &cache.disk,
        shared: key((settings, share_key, embed_key, menu_key, sections_key, values_key(site, &["figure.html", "embed.html"]), page_code_key())),
        press_pack: key((settings, template_key("figures.html"), menu_key, sections_key, values_key(site, &["figures.html"]), page_code_key())),
        files: cache.figures.iter().map(|(id, c)| (id.as_str(), c.figure.hash)).collect(),
    });
    let figure_pages = figure_pages(&tera, site, &site_view, &urls, &figures, &menu_items, &card, &stale_figure_pages, through.as_ref())?;
    // Pages soapbox writes from the settings alone: a 404 page, and a privacy note unless the
    // site has its own page at /privacy/.
    let privacy = format!("{}/index.html", addresses::PRIVACY);
    let mut standard = vec![(addresses::NOT_FOUND, "404.html", "Page not found", site.config.description.clone())];
    if !site.pages.iter().any(|p| p.url == privacy.trim_end_matches("index.html")) {
        let about = format!("What {} does and does not collect: no cookies, no tracking, nothing loaded from other sites.", site.config.title);
        standard.push((privacy.as_str(), "privacy.html", "Privacy", about));
    }
    let mut made: Vec<(OutPath, u64, u64, Vec<u8>)> = Vec::new();
    for (path, template, title, description) in &standard {
        let (path_key, k) = (key(*path), key((template_key(template), menu_key)));
        if is_fresh(path_key, k) {
            continue;
        }
        let url_path = path.trim_end_matches("index.html");
        let page = PageView::generated(title, description, url_path, &urls, card.clone());
        let context = page_context(&site_view, &page, "", &menu_items);
        made.push(((*path).into(), path_key, k, finish(render_template(&tera, site, template, &context)?.into_bytes(), minify)));
    }
    for (i, html) in rendered {
        made.push((Arc::clone(paths[i]), sources[i].path_key, page_keys[i], html));
    }
    for (path, html) in figure_pages {
        // A share page and its embed page are made together; one found fresh is kept as it is.
        let Some(&(path_key, k)) = stale_figure_pages.get(path.as_str()) else { continue };
        made.push((path.into(), path_key, k, html));
    }
    stats.pages = made.iter().map(|(path, ..)| path.to_string()).collect();
    stats.pages.sort();
    // The sitemap and each section's feed, when the pages they list changed.
    let sitemap = (key(addresses::SITEMAP), key((settings, paths_key, figures.keys().collect::<Vec<_>>())));
    if !is_fresh(sitemap.0, sitemap.1) {
        made.push((addresses::SITEMAP.into(), sitemap.0, sitemap.1, standard::sitemap(site, &urls).into_bytes()));
    }
    let mut feeds = Vec::new();
    for (i, section) in site.pages.iter().enumerate().filter(|(_, p)| p.is_section && !p.url.is_empty()) {
        let path = format!("{}{}", section.url, addresses::FEED);
        let (path_key, k) = (key(&path), key((settings, views[i].title.as_str(), listing_keys[i])));
        if !is_fresh(path_key, k) {
            let entries: Vec<&PageView> = listings[&i].iter().map(|&m| views[m]).collect();
            made.push((path.as_str().into(), path_key, k, standard::feed(site, section, &entries, &urls).into_bytes()));
        }
        feeds.push(path_key);
    }
    let changed: Vec<u64> = made.iter().map(|(_, path_key, ..)| *path_key).collect();
    for (path, path_key, k, bytes) in made {
        cache.pages.insert(path_key, CachedPage { path, key: k, bytes: Arc::new(bytes) });
    }
    // Drop what a deleted page, figure or section left behind, when the set of paths changed.
    let figure_paths: Vec<u64> = figure_page_keys.iter().map(|(_, path_key, _)| *path_key).collect();
    let standard_paths: Vec<u64> = standard.iter().map(|s| key(s.0)).chain([sitemap.0]).collect();
    let path_set = key((paths_key, &figure_paths, &feeds, &standard_paths));
    if path_set != cache.paths {
        let live: std::collections::HashSet<u64> = sources.iter().map(|s| s.path_key).chain(figure_paths).chain(feeds).chain(standard_paths).collect();
        cache.pages.retain(|k, _| live.contains(k));
        cache.paths = path_set;
    }

    // The whole output: the last one with the changed pages patched in, when nothing else
    // changed; otherwise gathered afresh.
    let files_key = key((path_set, assets_key, settings, figures_key));
    let files = match cache.files.take() {
        Some((k, files)) if k == files_key => patched(cache, files, changed),
        _ => {
            cache.behind = None;
            Arc::new(gather(cache, &assets, &brand, site, &urls, settings)?)
        }
    };
    cache.files = Some((files_key, Arc::clone(&files)));
    cache.last = stats;
    let stored = cache.figures.values().flat_map(|c| c.files.stored.iter().map(|(p, s)| (p.as_str().into(), s.clone()))).collect();
    Ok(Output { files, stored, pages: site.pages.len(), figures: site.figures.len() })
}

/// `current` with the pages at `changed` made anew. The new map is the output before
/// `current`, brought up to date, once nobody holds it any more (the preview has moved on to
/// serving `current`); otherwise `current` is copied.
fn patched(cache: &mut RenderCache, current: Files, changed: Vec<u64>) -> Files {
    let (mut next, mut replay) = match cache.behind.take() {
        Some((old, since)) if Arc::strong_count(&old) == 1 && since.iter().all(|k| cache.pages.contains_key(k)) => (old, since),
        _ => (Arc::clone(&current), Vec::new()),
    };
    let files = Arc::make_mut(&mut next);
    replay.extend_from_slice(&changed);
    for page in replay.iter().filter_map(|k| cache.pages.get(k)) {
        files.insert(Arc::clone(&page.path), Arc::clone(&page.bytes));
    }
    cache.behind = Some((current, changed));
    next
}

/// Every file of the site, from what `cache` holds after a render.
fn gather(
    cache: &mut RenderCache,
    assets: &crate::assets::Assets,
    brand: &image::Brand,
    site: &Site,
    urls: &Urls,
    settings: u64,
) -> Result<BTreeMap<OutPath, Bytes>> {
    let mut files: BTreeMap<OutPath, Bytes> = assets.files.iter().map(|(p, b)| (p.as_str().into(), Arc::new(b.clone()))).collect();
    for cached in cache.figures.values() {
        files.extend(cached.files.files.iter().map(|(p, b)| (p.as_str().into(), Arc::clone(b))));
    }
    for page in cache.pages.values() {
        files.insert(Arc::clone(&page.path), Arc::clone(&page.bytes));
    }
    let card_png = match &cache.site_card {
        Some((k, png)) if *k == settings => Arc::clone(png),
        _ => {
            let svg = image::site_card(brand);
            let title = site.config.title.as_bytes();
            Arc::new(cache.disk.image(&[image::theme_key(), svg.as_bytes(), b"Title", title], || image::rasterize(&svg, &[("Title", &site.config.title)]))?)
        }
    };
    files.insert(SITE_CARD.into(), Arc::clone(&card_png));
    files.insert(addresses::ROBOTS.into(), Arc::new(format!("User-agent: *\nAllow: /\nSitemap: {}\n", urls.absolute(addresses::SITEMAP)).into_bytes()));
    cache.site_card = Some((settings, card_png));
    Ok(files)
}

/// A page as made, minified when asked.
/// minify-html only ever sees HTML pages: a standalone SVG would come out as HTML, which is
/// not valid XML.
fn finish(html: Vec<u8>, minify: bool) -> Vec<u8> {
    if !minify {
        return html;
    }
    let mut cfg = minify_html::Cfg::new();
    cfg.minify_css = true;
    cfg.minify_js = true;
    cfg.keep_closing_tags = true;
    cfg.keep_html_and_head_opening_tags = true;
    minify_html::minify(&html, &cfg)
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

/// What of a page's view a listing or feed shows, as a key.
fn view_key_of(v: &PageView) -> u64 {
    key((&v.title, &v.description, &v.date, &v.url, &v.summary, &v.image.url, &v.image.alt))
}

/// A page's view with its content, as its own template sees it. Listings see the view alone,
/// so that a section of ten thousand pages does not copy all their text into its context.
#[derive(serde::Serialize)]
struct WithContent<'a> {
    #[serde(flatten)]
    view: &'a PageView,
    content: &'a str,
}

fn page_context(site: &tera::Value, page: &PageView, content: &str, nav: &[NavItem]) -> Context {
    let mut context = Context::new();
    context.insert_value("site", site.clone());
    context.insert("page", &WithContent { view: page, content });
    context.insert("nav", nav);
    context
}

/// The disk cache that keeps figures' share and embed pages and the press pack minified, and
/// what decides those pages: a key of everything the share and embed pages share, one of
/// everything the press pack is made from but the figures, and each figure's file by id.
struct FigurePageInputs<'a> {
    disk: &'a Cache,
    shared: u64,
    press_pack: u64,
    files: BTreeMap<&'a str, u64>,
}

/// A key of the code that makes pages from figures, so that pages cached by one build of
/// soapbox are never taken for another's.
fn page_code_key() -> u64 {
    key(crate::cache::CODE)
}

/// A share page and an embed page as one cache entry: the first one's length, then both.
fn joined(share: &[u8], embed: &[u8]) -> Vec<u8> {
    [&(share.len() as u64).to_le_bytes()[..], share, embed].concat()
}

fn split(entry: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let (length, rest) = entry.split_first_chunk::<8>()?;
    let at = usize::try_from(u64::from_le_bytes(*length)).ok().filter(|at| *at <= rest.len())?;
    Some((rest[..at].to_vec(), rest[at..].to_vec()))
}

/// Each figure's share page and embed page, and the press pack of them all, made in parallel
/// and, when `minify` is given, minified and kept in its disk cache under what they are made
/// from.
#[allow(clippy::too_many_arguments)]
fn figure_pages(
    tera: &Tera,
    site: &Site,
    site_view: &tera::Value,
    urls: &Urls,
    figures: &BTreeMap<&str, &FigureView>,
    nav: &[NavItem],
    card: &ImageView,
    stale: &BTreeMap<&str, (u64, u64)>,
    minify: Option<&FigurePageInputs>,
) -> Result<Vec<(String, Vec<u8>)>> {
    let pages = || -> Result<Vec<(String, Vec<u8>)>> {
        let pages: Vec<Vec<(String, Vec<u8>)>> = figures
            .par_iter()
            .filter(|(id, _)| stale.contains_key(format!("figures/{id}/index.html").as_str()))
            .map(|(id, figure)| {
                let make = || -> Result<(Vec<u8>, Vec<u8>)> {
                    let page = PageView::generated(&figure.title, &figure.description, &format!("figures/{id}/"), urls, figure.image.clone());
                    let mut context = page_context(site_view, &page, "", nav);
                    context.insert("figure", figure);
                    context.insert("share_page", &true);
                    let share = render_template(tera, site, "figure.html", &context)?;
                    let embed = render_template(tera, site, "embed.html", &context)?;
                    let minify = minify.is_some();
                    Ok((finish(share.into_bytes(), minify), finish(embed.into_bytes(), minify)))
                };
                let (share, embed) = match minify {
                    Some(inputs) => {
                        let file = inputs.files.get(id).copied().unwrap_or_default();
                        let entry = inputs
                            .disk
                            .pages(&[&inputs.shared.to_le_bytes(), &file.to_le_bytes(), image::theme_key()], || make().map(|(s, e)| joined(&s, &e)))?;
                        split(&entry).map_or_else(make, Ok)?
                    }
                    None => make()?,
                };
                Ok(vec![(format!("figures/{id}/index.html"), share), (format!("figures/{id}/embed/index.html"), embed)])
            })
            .collect::<Result<_>>()?;
        Ok(pages.into_iter().flatten().collect())
    };
    // The press pack lists every figure, so it is large: it is made alongside the rest, and a
    // warm build finds it on disk rather than filling its template with every figure again.
    let press_pack = || -> Result<Option<(String, Vec<u8>)>> {
        if !stale.contains_key("figures/index.html") {
            return Ok(None);
        }
        let make = || -> Result<Vec<u8>> {
            let description = format!("Every chart of {}, with its data and images to download and share.", site.config.title);
            let page = PageView::generated("Figures and downloads", &description, "figures/", urls, card.clone());
            let mut context = page_context(site_view, &page, "", nav);
            let list: Vec<&FigureView> = figures.values().copied().collect();
            context.insert("figures", &list);
            Ok(finish(render_template(tera, site, "figures.html", &context)?.into_bytes(), minify.is_some()))
        };
        let html = match minify {
            Some(inputs) => {
                inputs.disk.pages(&[b"press pack", &inputs.press_pack.to_le_bytes(), &key(&inputs.files).to_le_bytes(), image::theme_key()], make)?
            }
            None => make()?,
        };
        Ok(Some(("figures/index.html".to_string(), html)))
    };
    let (pages, press_pack) = rayon::join(pages, press_pack);
    let mut out = pages?;
    out.extend(press_pack?);
    Ok(out)
}

/// A page's preview image: the figure its front matter names, else its first chart, else
/// the site card.
fn page_image(page: &Page, figures: &BTreeMap<&str, &FigureView>, card: &ImageView) -> ImageView {
    let first_chart = page.scanned.embeds.iter().find_map(|e| match &e.kind {
        EmbedKind::Chart { id } => Some(id.as_str()),
        EmbedKind::Value { .. } => None,
    });
    page.front.image.as_deref().or(first_chart).and_then(|id| figures.get(id)).map_or_else(|| card.clone(), |f| f.image.clone())
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

/// Renders `site` in memory, as a build would but without its share images or the disk cache,
/// and gives what failed. Templates are code: whether a page's template works with that page
/// (a section's template on a page, a `value` that names no figure, a variable no page has)
/// is only known by running it, and `check` must find everything a build would fail on.
pub fn dry_run(site: &Site) -> Option<Error> {
    render_with(site, &mut RenderCache { skip_images: true, ..RenderCache::default() }).err()
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
        let figure = figures
            .get(id)
            .ok_or_else(|| tera::Error::message(format!("there is no figure `{id}`; {}", suggestion(id, figures.keys().map(String::as_str)))))?;
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
                        "safe",
                        "default",
                        "upper",
                        "lower",
                        "wordcount",
                        "escape",
                        "escape_html",
                        "escape_xml",
                        "newlines_to_br",
                        "pluralize",
                        "trim",
                        "trim_start",
                        "trim_end",
                        "replace",
                        "capitalize",
                        "title",
                        "truncate",
                        "indent",
                        "str",
                        "int",
                        "float",
                        "length",
                        "reverse",
                        "split",
                        "abs",
                        "round",
                        "first",
                        "last",
                        "nth",
                        "join",
                        "sort",
                        "unique",
                        "get",
                        "values",
                        "keys",
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
fn chart_html(tera: &Tera, site: &Site, site_view: &tera::Value, figure: &FigureView) -> Result<String> {
    let mut context = Context::new();
    context.insert("figure", figure);
    context.insert_value("site", site_view.clone());
    context.insert("share_page", &false);
    render_template(tera, site, "chart.html", &context)
}

/// A chart as a page places it: the `chart.html` template; minified, when `disk` is given,
/// and kept there under the keys of what it is made from.
fn placed_chart(tera: &Tera, site: &Site, site_view: &tera::Value, figure: &FigureView, disk: Option<(&Cache, [u64; 2])>) -> Result<String> {
    let Some((disk, [inputs, file])) = disk else { return chart_html(tera, site, site_view, figure) };
    let made = disk.pages(&[b"chart", &inputs.to_le_bytes(), &file.to_le_bytes(), image::theme_key()], || {
        Ok(finish(chart_html(tera, site, site_view, figure)?.into_bytes(), true))
    })?;
    Ok(String::from_utf8(made).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

/// A key of every figure's file when any of `templates` (or what they include) quotes values
/// with `value()`, which reads any figure; otherwise 0.
fn values_key(site: &Site, templates: &[&str]) -> u64 {
    let quotes = templates.iter().any(|t| template_closure(site, t).iter().any(|n| site.templates[*n].content.contains("value(")));
    if quotes {
        key(site.figures.values().map(|f| f.hash).collect::<Vec<_>>())
    } else {
        0
    }
}

/// Marks where a page's body shows a chart: `CHART id SEP repeat END`. Markdown, templates
/// and the minifier pass these private-use characters through untouched, and
/// [`place_charts`] puts each chart in its place once the page is made, so a chart is
/// minified once, not once in every page that shows it.
const CHART: char = '\u{E000}';
const SEP: char = '\u{E001}';
const END: char = '\u{E002}';

/// `html` with each chart mark replaced by its chart from `charts`. The `repeat`-th showing of
/// a chart on one page gets element ids of its own.
fn place_charts(html: &str, charts: &BTreeMap<&str, &str>) -> String {
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
fn finish_page(html: String, minify: bool, charts: &BTreeMap<&str, &str>) -> Vec<u8> {
    let marks = html.matches(CHART).count();
    if marks == 0 {
        return finish(html.into_bytes(), minify);
    }
    match String::from_utf8(finish(html.as_bytes().to_vec(), minify)) {
        Ok(made) if made.matches(CHART).count() == marks => place_charts(&made, charts).into_bytes(),
        _ => finish(place_charts(&html, charts).into_bytes(), minify),
    }
}

/// A page's Markdown as HTML, with its numbers in place and its charts marked.
fn body_html(page: &Page, site: &Site, base_path: &str) -> String {
    let values = |embed: &Embed| match &embed.kind {
        EmbedKind::Value { id, key, label } => {
            site.figures.get(id).and_then(|f| f.lookup(key.as_deref(), label.as_deref()).ok()).map(|q| q.formatted()).unwrap_or_default()
        }
        EmbedKind::Chart { .. } => String::new(),
    };
    let chart = |id: &str, repeat: usize| format!("{CHART}{id}{SEP}{repeat}{END}");
    markdown::render(page.body(), &page.scanned, &RenderContext { values: &values, chart: &chart, base_path })
}

fn template_for<'a>(site: &Site, page: &'a Page) -> &'a str {
    if let Some(t) = &page.front.template {
        return t;
    }
    if page.url.is_empty() && site.templates.contains_key("index.html") {
        return "index.html";
    }
    if page.is_section {
        "section.html"
    } else {
        "page.html"
    }
}

/// The top-level pages and sections that have a `weight`, in weight order: found once per
/// build, then marked for each page.
struct Menu<'a> {
    site: &'a Site,
    views: &'a [&'a PageView],
    entries: Vec<usize>,
    /// A key of the entries' titles and addresses.
    base: u64,
}

impl<'a> Menu<'a> {
    fn new(site: &'a Site, views: &'a [&'a PageView]) -> Menu<'a> {
        let mut items: Vec<(i64, &str, usize)> = site
            .pages
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.front.weight.map(|w| (w, p.front.title.as_str(), i)))
            .filter(|(_, _, i)| site.pages[*i].url.matches('/').count() <= 1)
            .collect();
        items.sort();
        let entries: Vec<usize> = items.into_iter().map(|(_, _, i)| i).collect();
        let mut menu = Menu { site, views, entries, base: 0 };
        menu.base = key(menu.items(None).iter().map(|n| (n.title, n.url)).collect::<Vec<_>>());
        menu
    }

    /// Whether menu entry `i` is, or holds, the page `current`.
    fn is_current(&self, i: usize, current: Option<&Page>) -> bool {
        let page = &self.site.pages[i];
        current.is_some_and(|c| page.url == c.url || (!page.url.is_empty() && c.url.starts_with(page.url.as_str())))
    }

    /// The menu as `current` shows it, with its own section marked.
    fn items(&self, current: Option<&Page>) -> Vec<NavItem<'a>> {
        self.entries
            .iter()
            .map(|&i| {
                let page = &self.site.pages[i];
                let title = page.front.nav_title.as_deref().unwrap_or(&page.front.title);
                NavItem { title, url: &self.views[i].url, current: self.is_current(i, current) }
            })
            .collect()
    }

    /// A key of the menu as `current` shows it.
    fn key(&self, current: Option<&Page>) -> u64 {
        // Which entries are current, as bits: no allocation, as this runs for every page.
        let marked = self.entries.iter().enumerate().filter(|(_, &i)| self.is_current(i, current)).fold(0u128, |bits, (n, _)| bits | 1 << (n % 128));
        mix(&[self.base, marked as u64, (marked >> 64) as u64])
    }
}

/// The pages in a section's folder, by index: dated ones newest first, then by weight and
/// title.
fn section_members(site: &Site, section: &Page) -> Vec<usize> {
    let mut members: Vec<usize> = (0..site.pages.len()).filter(|&i| !site.pages[i].is_section && site.pages[i].dir == section.dir).collect();
    members.sort_by(|&a, &b| {
        let (pa, pb) = (&site.pages[a], &site.pages[b]);
        pb.date
            .cmp(&pa.date)
            .then_with(|| pa.front.weight.unwrap_or(i64::MAX).cmp(&pb.front.weight.unwrap_or(i64::MAX)))
            .then_with(|| pa.front.title.cmp(&pb.front.title))
    });
    members
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(id: &str, repeat: usize) -> String {
        format!("{CHART}{id}{SEP}{repeat}{END}")
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

    #[test]
    fn a_share_and_embed_entry_splits_back_into_both_pages() {
        assert_eq!(split(&joined(b"share", b"embed")), Some((b"share".to_vec(), b"embed".to_vec())));
        assert_eq!(split(&joined(b"", b"")), Some((Vec::new(), Vec::new())));
        assert_eq!(split(b"short"), None);
        assert_eq!(split(&[&99u64.to_le_bytes()[..], b"abc"].concat()), None);
    }
}
