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
//! and so that the output can link to them. It is deterministic: the map is ordered, every
//! input is visited in a fixed order, and a cached entry holds exactly what would be made
//! again.
//!
//! This file is the driver: [`render_with`] runs the parts in order, each in a file of its
//! own: the site files ([`site_files`]: icons, static files, the site card, sitemap, feeds,
//! robots, 404 and privacy), the [`figures`] (their files, share and embed pages and the press
//! pack), the [`templates`], the [`charts`] as pages place them, and the [`pages`]. Every
//! address comes from [`crate::urls`].

mod calendar;
mod charts;
mod figures;
mod pages;
mod photos;
mod site_files;
mod templates;
mod views;

pub use figures::brand;
pub use templates::check_templates;
pub use views::{FigureView, ImageView, PageView};

use crate::cache::Cache;
use crate::error::Result;
use crate::hash::{key, mix};
use crate::load::Site;
use crate::output::{Bytes, Files, OutPath, Output};
use crate::urls::Urls;
use std::collections::HashSet;
use std::sync::Arc;

/// A value and a key of what it was made from.
struct Keyed<T> {
    key: u64,
    value: T,
}

/// The value `slot` holds when it was made from `key`, else one made by `make`; `slot` holds
/// it afterwards either way.
fn try_reuse_or<T: Clone>(slot: &mut Option<Keyed<T>>, key: u64, make: impl FnOnce() -> Result<T>) -> Result<T> {
    let value = match slot.take() {
        Some(kept) if kept.key == key => kept.value,
        _ => make()?,
    };
    *slot = Some(Keyed { key, value: value.clone() });
    Ok(value)
}

/// [`try_reuse_or`], for a `make` that cannot fail.
fn reuse_or<T: Clone>(slot: &mut Option<Keyed<T>>, key: u64, make: impl FnOnce() -> T) -> T {
    let value = match slot.take() {
        Some(kept) if kept.key == key => kept.value,
        _ => make(),
    };
    *slot = Some(Keyed { key, value: value.clone() });
    value
}

/// What earlier renders made, so that a later render of a changed site redoes only what the
/// change touches: a figure is redrawn when it changed, a page body when its text or a figure
/// it shows changed, a page when its body, its template, the menu or its listing changed.
/// Every check is a comparison of keys, so an edit to one page of ten thousand costs little
/// more than that page.
#[derive(Default)]
pub struct RenderCache {
    figures: figures::FigureCache,
    pages: pages::PageCache,
    /// HTML pages, feeds and the sitemap as made.
    made: MadePages,
    /// The last output, keyed by its set of paths and what every page shares: an edit that
    /// changes none of that only patches it.
    files: Option<Keyed<Files>>,
    /// The output before the last, and the pages changed since: the next patch is made in it
    /// once nobody serves it any more, so an edit copies no map.
    behind: Option<Behind>,
    tera: Option<Keyed<Arc<tera::Tera>>>,
    site_files: site_files::SiteFileCache,
    photos: photos::PhotoCache,
    /// Minify each HTML page as it is made.
    minify: bool,
    /// What to do with share images.
    images: Images,
    /// Share images and minified figure pages from earlier builds, on disk.
    pub disk: Cache,
    /// What the last render actually redid.
    pub last: RenderStats,
}

impl RenderCache {
    /// An empty cache whose figures' work comes from, and goes to, `disk`.
    fn with_disk(disk: Cache) -> RenderCache {
        RenderCache { disk, ..RenderCache::default() }
    }
}

/// How much a render redid.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RenderStats {
    pub figures: usize,
    pub bodies: usize,
    /// Output paths of the HTML pages rendered anew.
    pub pages: Vec<String>,
}

/// The output before the last, and the keys of the pages changed since it.
struct Behind {
    files: Files,
    changed: Vec<u64>,
}

/// An HTML page, feed or sitemap as made, and the key of what it was made from.
struct CachedPage {
    path: OutPath,
    key: u64,
    bytes: Bytes,
}

/// Every HTML page, feed and sitemap as made, by a key of its output path.
#[derive(Default)]
struct MadePages {
    by_path: crate::hash::ByKey<CachedPage>,
    /// A key of the output paths of the last render, to drop what a deleted page left behind.
    paths: u64,
}

impl MadePages {
    /// Whether the page at `path_key` was made from what `key` stands for.
    fn is_fresh(&self, path_key: u64, key: u64) -> bool {
        self.by_path.get(&path_key).is_some_and(|p| p.key == key)
    }

    /// Keeps what this render made, and drops pages whose path is no longer in `live`.
    /// Gives the path keys of what was made.
    fn store(&mut self, made: Vec<Made>, live: &[u64]) -> Vec<u64> {
        let changed = made.iter().map(|m| m.path_key).collect();
        for Made { path, path_key, key, bytes } in made {
            self.by_path.insert(path_key, CachedPage { path, key, bytes: Arc::new(bytes) });
        }
        let paths = mix(live);
        if paths != self.paths {
            let live: HashSet<u64> = live.iter().copied().collect();
            self.by_path.retain(|k, _| live.contains(k));
            self.paths = paths;
        }
        changed
    }
}

/// A page, feed or sitemap made by this render: its output path, a key of that path, a key of
/// what it was made from, and its bytes.
struct Made {
    path: OutPath,
    path_key: u64,
    key: u64,
    bytes: Vec<u8>,
}

impl Made {
    fn new(path: impl Into<OutPath>, path_key: u64, key: u64, bytes: Vec<u8>) -> Made {
        Made { path: path.into(), path_key, key, bytes }
    }
}

/// One kind of page (the figures' pages, the standard pages, the sitemap and feeds): what
/// this render made of them, and the path keys of all of them, made or kept.
struct PageSet {
    made: Vec<Made>,
    paths: Vec<u64>,
}

/// One of the site's languages as a render makes pages in it.
pub(super) struct SiteLanguage {
    pub tag: String,
    /// Of its addresses: empty for the default language, `cy/` for Welsh on an English site.
    pub prefix: String,
    /// What its share images carry.
    pub brand: crate::chart::image::Brand,
    /// Its site card, for link previews of pages without a chart.
    pub card: ImageView,
    /// What its pages' templates see as `site`, serialized once: every page gets the same.
    pub site_view: tera::Value,
    /// A key of what the site's pages give its `site` view (their forms' fields, their videos'
    /// hosts), which the privacy note shows: an edit to a form reaches the note.
    pub features_key: u64,
}

impl SiteLanguage {
    pub fn is_default(&self) -> bool {
        self.prefix.is_empty()
    }

    /// `address` in this language.
    pub fn at(&self, address: &str) -> String {
        format!("{}{address}", self.prefix)
    }
}

/// The moment a render shows the site at (which events are to come), and the pages that are
/// not live then, each with where it stands: only the preview, which shows them, has any.
pub struct Timing<'a> {
    pub at: crate::moment::Moment,
    pub notices: &'a std::collections::BTreeMap<String, crate::moment::Status>,
}

/// What every part of one render reads: the site, its addresses, and keys of what all its
/// pages share.
struct Common<'a> {
    site: &'a Site,
    /// The render's moment, and the notices of the pages not live then (see [`Timing`]).
    at: crate::moment::Moment,
    notices: &'a std::collections::BTreeMap<String, crate::moment::Status>,
    urls: Urls,
    /// A key of the site settings.
    settings: u64,
    /// A key of the settings and the output names of the static files.
    base_key: u64,
    /// A key of the sections' titles and addresses, which every page's `site` shows.
    sections_key: u64,
    /// The site's languages, the default first.
    languages: Vec<SiteLanguage>,
    /// A key of the chart template and what it includes.
    chart_key: u64,
    minify: bool,
}

impl<'a> Common<'a> {
    fn new(site: &'a Site, urls: Urls, settings: u64, assets: &crate::assets::Assets, minify: bool, timing: &Timing<'a>) -> Common<'a> {
        let sections = site_files::sections(site);
        let has_events = site.pages.iter().any(|p| p.front.event.is_some());
        let languages = site
            .config
            .all_languages()
            .map(|tag| {
                let (config, prefix) = (site.config.in_language(tag), site.config.prefix_of(tag));
                let lang = (!prefix.is_empty()).then(|| tag.to_string());
                let sections: Vec<&crate::load::Page> = sections.iter().copied().filter(|s| s.lang == lang).collect();
                let (forms, video_hosts) = (views::FormsView::of(site, &config, tag), views::video_hosts(site));
                let features_key = key(format!("{forms:?}{video_hosts:?}"));
                SiteLanguage {
                    tag: tag.to_string(),
                    brand: figures::brand_in(site, tag),
                    card: ImageView::site_card(&config, &urls, &prefix),
                    site_view: tera::Value::from_serializable(&views::SiteView::new(&config, &urls, &sections, &prefix, forms, video_hosts, has_events)),
                    features_key,
                    prefix,
                }
            })
            .collect();
        // Every page's `site` links to the calendar once the site has an event.
        let events = |k: u64| if has_events { mix(&[k, 1]) } else { k };
        let sections_key = events(key(sections.iter().map(|s| (&s.front.title, &s.url)).collect::<Vec<_>>()));
        let base_key = events(key((settings, &assets.names)));
        let (at, notices) = (timing.at, timing.notices);
        let mut common = Common { site, urls, at, notices, settings, base_key, sections_key, languages, chart_key: 0, minify };
        common.chart_key = common.template_key("chart.html");
        common
    }

    /// The language `tag`, or the default one for a tag the site does not have.
    fn language(&self, tag: &str) -> &SiteLanguage {
        self.languages.iter().find(|l| l.tag == tag).unwrap_or(&self.languages[0])
    }

    /// What templates see as `site` on a page in `lang`.
    fn site_view_in(&self, lang: &str) -> &tera::Value {
        &self.language(lang).site_view
    }

    /// A key of the template `name` and every template it extends and includes, so an edit
    /// to one template reaches exactly the pages that use it.
    fn template_key(&self, name: &str) -> u64 {
        // Every template may ask `t()` for the theme's words, so the strings files count too.
        let words = self.site.templates.keys().filter(|n| n.starts_with("strings/")).map(String::as_str);
        let sources = templates::closure(self.site, name).into_iter().chain(words).map(|n| (n, &self.site.templates[n].content)).collect::<Vec<_>>();
        key((self.base_key, sources))
    }
}

/// A key of the code that makes pages from figures: the code hash of this build of soapbox
/// (see [`crate::code_hash`]), so that pages cached by one build are never taken for another's.
fn page_code_key() -> u64 {
    key(crate::cache::CODE)
}

/// What a render does with share images.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Images {
    /// Drawn and kept in memory, for the preview to serve.
    #[default]
    InMemory,
    /// Left in the disk cache once there, for the write stage to link or copy: builds do, to
    /// keep 90 MB of PNGs out of memory.
    OnDisk,
    /// Not drawn: `check` renders every page to find what only rendering finds, and needs no
    /// pictures for that.
    Skipped,
}

/// Who a render is for, which decides what it keeps and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// `soapbox build`: minified, share images left in the disk cache at the site root.
    Build,
    /// `soapbox serve`: the same pages as a build, byte for byte, with every file in memory.
    Preview,
    /// `soapbox check`: every page rendered to find what only rendering finds (templates are
    /// code: whether a page's template works with that page is only known by running it), with
    /// no images, no minifying and no disk cache.
    Check,
}

impl RenderCache {
    /// An empty cache for renders of the site at `root`, for `purpose`.
    pub fn new(root: &std::path::Path, purpose: Purpose) -> RenderCache {
        match purpose {
            Purpose::Build => RenderCache { minify: true, images: Images::OnDisk, ..RenderCache::with_disk(Cache::at(root)) },
            Purpose::Preview => RenderCache { minify: true, images: Images::InMemory, ..RenderCache::with_disk(Cache::at(root)) },
            Purpose::Check => RenderCache { minify: false, images: Images::Skipped, ..RenderCache::default() },
        }
    }
}

/// Renders `site` as it is at `timing`'s moment, reusing whatever `cache` holds that the site
/// has not changed. A cache serves renders at one moment only.
pub fn render_with(site: &Site, cache: &mut RenderCache, timing: &Timing) -> Result<Output> {
    let urls = Urls::new(site.config.base_path(), site.config.base_url.clone());
    // The brand holds a key of the logo file, so a new logo redraws the images.
    let settings = key(format!("{:?}{:?}", site.config, brand(site)));
    let assets = site_files::assets(site, &urls, settings, &mut cache.site_files)?;
    let common = Common::new(site, urls, settings, &assets.value, cache.minify, timing);
    let mut stats = RenderStats::default();
    let figures_changed = figures::draw(&common, &mut cache.figures, &cache.disk, cache.images, &mut stats)?;
    let tera = templates::parsed(&common, &assets.value.names, figures_changed, &mut cache.tera)?;
    charts::place(&common, &tera, &mut cache.figures, &cache.disk)?;

    let photos = photos::plan(site, &mut cache.photos)?;
    photos::make(&common, &photos, &mut cache.photos, &cache.disk, cache.images)?;

    let shown = figures::Shown::of(&cache.figures);
    stats.bodies = pages::bodies(&common, &shown, &photos, &mut cache.pages);
    let listed = pages::Listed::new(&common, &mut cache.pages);
    let mut made = pages::render(&common, &tera, &listed, &shown, &cache.made)?;
    let languages = pages::Languages::new(&common)?;
    let navs = pages::Navs::new(&common, &listed.menu);
    let figure_pages = figures::pages(&common, &tera, &navs, &languages, &shown, &cache.made, &cache.disk)?;
    made.extend(figure_pages.made);
    let standard = site_files::standard_pages(&common, &tera, &navs, &languages, &cache.made)?;
    made.extend(standard.made);
    stats.pages = made.iter().map(|m| m.path.to_string()).collect();
    stats.pages.sort();
    let lists = site_files::lists(&common, &listed, &shown, &cache.made);
    made.extend(lists.made);
    let calendars = calendar::files(&common, listed.views(), &cache.made);
    made.extend(calendars.made);

    let live: Vec<u64> = listed.path_keys().chain(figure_pages.paths).chain(lists.paths).chain(standard.paths).chain(calendars.paths).collect();
    let changed = cache.made.store(made, &live);
    let files_key = key((cache.made.paths, assets.key, settings, shown.key, photos.key));
    let files = match cache.files.take() {
        Some(kept) if kept.key == files_key => patched(cache, kept.value, changed),
        _ => {
            cache.behind = None;
            Arc::new(site_files::gather(&common, &assets.value, cache)?)
        }
    };
    cache.files = Some(Keyed { key: files_key, value: Arc::clone(&files) });
    cache.last = stats;
    let mut stored = cache.figures.stored();
    stored.extend(cache.photos.stored().map(|(p, s)| (Arc::clone(p), s.clone())));
    Ok(Output { files, stored, pages: site.pages.len(), languages: languages.pages(), figures: site.figures.len() })
}

/// `current` with the pages at `changed` made anew. The new map is the output before
/// `current`, brought up to date, once nobody holds it any more (the preview has moved on to
/// serving `current`); otherwise `current` is copied.
fn patched(cache: &mut RenderCache, current: Files, changed: Vec<u64>) -> Files {
    let (mut next, mut replay) = match cache.behind.take() {
        Some(Behind { files, changed: since }) if Arc::strong_count(&files) == 1 && since.iter().all(|k| cache.made.by_path.contains_key(k)) => (files, since),
        _ => (Arc::clone(&current), Vec::new()),
    };
    let files = Arc::make_mut(&mut next);
    replay.extend_from_slice(&changed);
    for page in replay.iter().filter_map(|k| cache.made.by_path.get(k)) {
        files.insert(Arc::clone(&page.path), Arc::clone(&page.bytes));
    }
    cache.behind = Some(Behind { files: current, changed });
    next
}
