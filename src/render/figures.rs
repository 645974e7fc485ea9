//! Figures as the site offers them: each figure's SVG, share images and CSV, drawn in
//! parallel through the disk cache; its share page and embed page; and the press pack of
//! them all. Redrawn only when the figure or the settings changed.

use super::pages::{Languages, Navs};
use super::templates::{self, finish, page_context, render_template};
use super::views::{png_path, FigureView, PageView, WordsLang};
use super::{page_code_key, Common, Images, Made, MadePages, PageSet, RenderStats, SiteLanguage};
use crate::cache::{Cache, Image};
use crate::chart::{self, image};
use crate::error::Result;
use crate::figure::Figure;
use crate::hash::{key, mix};
use crate::load::Site;
use crate::output::{Bytes, OutPath, Stored};
use crate::urls;
use rayon::prelude::*;
use sha2::Digest as _;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The brand every share image carries, from the site settings: the address is the one
/// site.yaml gives, even in the preview or a preview deploy.
pub fn brand(site: &Site) -> image::Brand {
    brand_in(site, &site.config.language)
}

/// The brand of share images in the language `tag`: the site's words in that language.
pub fn brand_in(site: &Site, tag: &str) -> image::Brand {
    let url = site.config.published_url.as_deref().unwrap_or(&site.config.base_url);
    let address = url.split_once("://").map_or(url, |(_, rest)| rest);
    let config = site.config.in_language(tag);
    image::Brand {
        site_title: config.title,
        tagline: config.tagline,
        address: address.trim_end_matches('/').to_string(),
        hashtag: site.config.hashtag.clone(),
        organisation: config.organisation,
        look: site.config.brand.clone().unwrap_or_default(),
        // A logo that is missing or no image is reported by `check`; the images go without.
        logo: site.config.brand.as_ref().and_then(|b| site.static_files.get(b.logo.as_deref()?)).and_then(|f| image::Logo::new(&f.content)),
    }
}

/// What one figure adds to the site.
pub(super) struct FigureFiles {
    pub view: FigureView,
    /// By output path.
    pub files: BTreeMap<String, Bytes>,
    /// Share images and the SVG left in the disk cache, by output path.
    pub stored: BTreeMap<String, Stored>,
}

/// An output path and a key of it.
struct PagePath {
    path: OutPath,
    key: u64,
}

impl PagePath {
    fn new(path: String) -> PagePath {
        PagePath { key: key(&path), path: path.into() }
    }
}

pub(super) struct CachedFigure {
    pub figure: Figure,
    /// Its share and embed pages' output paths, in each language.
    pages: Vec<PagePath>,
    settings: u64,
    /// The chart template's key when its chart was last placed (0 before).
    pub placed_with: u64,
    /// What it adds to the site in each of the site's languages, by tag.
    pub files: BTreeMap<String, Arc<FigureFiles>>,
    /// The chart as pages in each language place it, by tag.
    pub charts: BTreeMap<String, Arc<String>>,
    /// Changes whenever the figure's output changes, so dependants know to follow.
    pub generation: u64,
}

/// Every figure as last drawn, by id, in id order.
#[derive(Default)]
pub(super) struct FigureCache {
    pub by_id: BTreeMap<String, CachedFigure>,
    last_generation: u64,
}

impl FigureCache {
    /// A generation no figure has had yet.
    pub fn next_generation(&mut self) -> u64 {
        self.last_generation += 1;
        self.last_generation
    }

    /// The files every figure left in the disk cache.
    pub fn stored(&self) -> BTreeMap<OutPath, Stored> {
        self.by_id.values().flat_map(|c| c.files.values()).flat_map(|f| f.stored.iter().map(|(p, s)| (p.as_str().into(), s.clone()))).collect()
    }
}

/// Draws the figures that changed since the last render, in each of the site's languages, in
/// parallel, and forgets those the site no longer has. Gives whether any figure changed.
pub(super) fn draw(common: &Common, cache: &mut FigureCache, disk: &Cache, mode: Images, stats: &mut RenderStats) -> Result<bool> {
    let (site, settings) = (common.site, common.settings);
    let stale: Vec<&Figure> =
        site.figures.values().filter(|f| !cache.by_id.get(&f.id).is_some_and(|c| c.figure.hash == f.hash && c.settings == settings)).collect();
    let languages = &common.languages;
    // Each stale figure in each language, the default first.
    let jobs: Vec<(&Figure, &SiteLanguage)> = stale.iter().flat_map(|f| languages.iter().map(move |l| (*f, l))).collect();
    let drawn: Vec<FigureFiles> = jobs
        .par_iter()
        .map(|(figure, language)| {
            let translated;
            let figure = if language.is_default() {
                *figure
            } else {
                translated = figure.translated(&language.tag);
                &translated
            };
            figure_files(figure, &common.urls, language, &site.config.language, disk, mode)
        })
        .collect::<Vec<_>>()
        .into_iter()
        .collect::<Result<_>>()?;
    stats.figures = stale.len();
    let before = cache.by_id.len();
    cache.by_id.retain(|id, _| site.figures.contains_key(id));
    let changed = !stale.is_empty() || cache.by_id.len() != before;
    let mut drawn = drawn.into_iter();
    for figure in stale {
        let generation = cache.next_generation();
        let pages = languages
            .iter()
            .flat_map(|l| [urls::figure_page(&figure.id), urls::embed_page(&figure.id)].map(|address| PagePath::new(urls::page_file(&l.at(&address)))))
            .collect();
        let files = languages.iter().zip(drawn.by_ref()).map(|(l, files)| (l.tag.clone(), Arc::new(files))).collect();
        let entry = CachedFigure { figure: figure.clone(), pages, settings, placed_with: 0, files, charts: BTreeMap::new(), generation };
        cache.by_id.insert(figure.id.clone(), entry);
    }
    Ok(changed)
}

/// Draws a figure's SVG, share images and CSV in `language` (the figure is in it already).
/// With [`Images::OnDisk`], the SVG and share images that are in the cache are given as its
/// entries (see [`Stored`]), for the write stage to link.
/// `default` is the site's default language, which the figure's file is written in.
fn figure_files(figure: &Figure, urls: &urls::Urls, language: &SiteLanguage, default: &str, images: &Cache, mode: Images) -> Result<FigureFiles> {
    let brand = &language.brand;
    let on_disk = mode == Images::OnDisk;
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
    // The page's chart: a layout per width band, its colours themed (see `chart::inline`).
    let inline = chart::inline(figure)?;
    let mut view = FigureView::new(figure, inline, height, urls, &language.prefix, brand.hashtag.as_deref(), &brand.site_title);
    view.words_lang = WordsLang::of(figure, &language.tag, default);
    let mut made = FigureFiles { view, files: BTreeMap::new(), stored: BTreeMap::new() };
    let svg_path = language.at(&urls::figure_svg(&figure.id));
    match entry {
        Some(entry) => {
            made.stored.insert(svg_path, entry);
        }
        None => {
            made.files.insert(svg_path, Arc::new(svg.into_bytes()));
        }
    }
    if mode != Images::Skipped {
        share_images(figure, language, images, on_disk, &data, &mut made)?;
    }
    made.files.insert(language.at(&urls::figure_csv(&figure.id)), Arc::new(made.view.table.csv().into_bytes()));
    let metadata = crate::data::csv_metadata(figure, &made.view.table, &format!("{}.csv", figure.id));
    made.files.insert(language.at(&urls::figure_csv_metadata(&figure.id)), Arc::new(metadata.into_bytes()));
    Ok(made)
}

/// Draws a figure's share images in `language`, in parallel, into `made`: `data` is a hash
/// of the figure.
fn share_images(figure: &Figure, language: &SiteLanguage, images: &Cache, on_disk: bool, data: &[u8; 32], made: &mut FigureFiles) -> Result<()> {
    let brand = &language.brand;
    let dated = figure.dated().unwrap_or_default();
    let text = [
        ("Title", figure.title.as_str()),
        ("Description", made.view.description.as_str()),
        ("Source", figure.source.as_str()),
        ("Author", brand.organisation.as_str()),
        // How old the data is, for whoever finds the image on its own.
        ("Comment", dated.as_str()),
    ];
    // Keyed by what decides the pixels, so a cached image needs no layout at all.
    let what = format!("{brand:?}\n{text:?}");
    let pngs: Vec<Result<Image>> = image::SIZES
        .par_iter()
        .map(|size| {
            let dimensions = [size.width.to_le_bytes(), size.height.to_le_bytes()].concat();
            let parts = [image::theme_key(), data, what.as_bytes(), &dimensions];
            let draw = || image::rasterize(&image::compose(figure, *size, brand)?.svg, &text);
            let png = if on_disk { images.image_on_disk(&parts, draw) } else { images.image(&parts, draw).map(Image::Made) };
            // An image's error is about the figure, unless it already says where it is.
            png.map_err(|e| if e.location().is_some() { e } else { e.in_file(&figure.file) })
        })
        .collect();
    for (size, png) in image::SIZES.iter().zip(pngs) {
        let path = png_path(&language.prefix, &figure.id, *size);
        match png? {
            Image::Made(bytes) => {
                made.files.insert(path, Arc::new(bytes));
            }
            Image::Stored(entry) => {
                made.stored.insert(path, entry);
            }
        }
    }
    Ok(())
}

/// The figures as pages show them, once this render has drawn and placed them.
pub(super) struct Shown<'a> {
    /// Each figure as templates see it, by language tag, then id.
    views: BTreeMap<&'a str, BTreeMap<&'a str, &'a FigureView>>,
    /// Each chart as pages place it, by language tag, then figure id.
    charts: BTreeMap<&'a str, BTreeMap<&'a str, &'a str>>,
    /// Changes whenever any figure's output does.
    pub key: u64,
    cache: &'a FigureCache,
}

impl<'a> Shown<'a> {
    pub fn of(cache: &'a FigureCache) -> Shown<'a> {
        let mut views: BTreeMap<&str, BTreeMap<&str, &FigureView>> = BTreeMap::new();
        let mut charts: BTreeMap<&str, BTreeMap<&str, &str>> = BTreeMap::new();
        for (id, c) in &cache.by_id {
            for (tag, files) in &c.files {
                views.entry(tag.as_str()).or_default().insert(id.as_str(), &files.view);
            }
            for (tag, html) in &c.charts {
                charts.entry(tag.as_str()).or_default().insert(id.as_str(), html.as_str());
            }
        }
        Shown { views, charts, key: mix(&cache.by_id.values().map(|c| c.generation).collect::<Vec<_>>()), cache }
    }

    /// Each figure as templates in the language `tag` see it, by id.
    pub fn views_in(&self, tag: &str) -> &BTreeMap<&'a str, &'a FigureView> {
        static NONE: BTreeMap<&str, &FigureView> = BTreeMap::new();
        self.views.get(tag).unwrap_or(&NONE)
    }

    /// Each chart as pages in the language `tag` place it, by figure id.
    pub fn charts_in(&self, tag: &str) -> &BTreeMap<&'a str, &'a str> {
        static NONE: BTreeMap<&str, &str> = BTreeMap::new();
        self.charts.get(tag).unwrap_or(&NONE)
    }

    /// The ids of every figure.
    pub fn ids(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.cache.by_id.keys().map(String::as_str)
    }

    /// The generation of the figure `id`, or 0 when there is none.
    pub fn generation(&self, id: &str) -> u64 {
        self.cache.by_id.get(id).map_or(0, |c| c.generation)
    }
}

/// Figure ids in the site's own order, for the press pack: as charts first appear in the
/// pages, taken in the site's order (see [`super::pages::site_order`]), then the figures no
/// page shows, by id.
pub(super) fn site_order(site: &Site) -> Vec<&str> {
    let mut seen = std::collections::HashSet::new();
    let shown = super::pages::site_order(site).into_iter().flat_map(|i| {
        site.pages[i].scanned.embeds.iter().filter_map(|e| match &e.kind {
            crate::markdown::EmbedKind::Chart { id } => Some(id.as_str()),
            crate::markdown::EmbedKind::Value { .. } => None,
        })
    });
    let all = shown.chain(site.figures.keys().map(String::as_str));
    all.filter(|id| site.figures.contains_key(*id) && seen.insert(*id)).collect()
}

/// The keys a figure page is cached under: of its output path, and of what it shows.
#[derive(Clone, Copy)]
struct PageKeys {
    path: u64,
    shows: u64,
}

/// Each figure's share page and embed page, and the press pack, in each of the site's
/// languages, where what they show changed.
pub(super) fn pages(common: &Common, tera: &tera::Tera, navs: &Navs, languages: &Languages, shown: &Shown, made: &MadePages, disk: &Cache) -> Result<PageSet> {
    let (share_key, embed_key, pack_key) = (common.template_key("figure.html"), common.template_key("embed.html"), common.template_key("figures.html"));
    let press_packs: Vec<PagePath> = common.languages.iter().map(|l| PagePath::new(urls::page_file(&l.at(&urls::press_pack())))).collect();
    let order = site_order(common.site);
    let order_key = key(&order);
    let nav_keys: Vec<u64> = (0..common.languages.len()).map(|n| navs.of(n).1).collect();
    let nav_keys = &nav_keys;
    let all: Vec<(&OutPath, PageKeys)> = shown
        .cache
        .by_id
        .values()
        .flat_map(|c| {
            // Two pages in each language, in the order of `common.languages`.
            c.pages
                .iter()
                .enumerate()
                .map(move |(i, p)| (&p.path, PageKeys { path: p.key, shows: mix(&[c.generation, share_key, embed_key, nav_keys[i / 2]]) }))
        })
        .chain(press_packs.iter().enumerate().map(|(n, p)| (&p.path, PageKeys { path: p.key, shows: mix(&[shown.key, pack_key, nav_keys[n], order_key]) })))
        .collect();
    let stale: BTreeMap<&str, PageKeys> = all.iter().filter(|(_, k)| !made.is_fresh(k.path, k.shows)).map(|(p, k)| (&***p, *k)).collect();
    // What every share and embed page is made from but its figure's file: with that file, it
    // names the page in the disk cache, so a warm build or preview finds them without making
    // them. `check` does not minify, so it keeps no figure pages on disk and needs none of this.
    let (site, settings, sections) = (common.site, common.settings, common.sections_key);
    let through = common.minify.then(|| DiskPages {
        disk,
        shared: key((settings, share_key, embed_key, nav_keys, sections, templates::values_key(site, &["figure.html", "embed.html"]), page_code_key())),
        press_pack: key((settings, pack_key, nav_keys, order_key, sections, templates::values_key(site, &["figures.html"]), page_code_key())),
        files: shown.cache.by_id.iter().map(|(id, c)| (id.as_str(), c.figure.hash)).collect(),
    });
    let maker = FigurePages { tera, common, navs, languages, shown, order: &order, stale: &stale, through: through.as_ref() };
    let (pages, packs) = rayon::join(|| maker.share_pages(), || maker.press_packs());
    let mut out = Vec::new();
    for page in pages?.into_iter().chain(packs?) {
        // A share page and its embed page are made together; one found fresh is kept as it is.
        let Some(k) = stale.get(page.path.as_str()) else { continue };
        out.push(Made::new(page.path, k.path, k.shows, page.html));
    }
    Ok(PageSet { made: out, paths: all.iter().map(|(_, k)| k.path).collect() })
}

/// The disk cache that keeps figures' share and embed pages and the press pack minified, and
/// what decides those pages: a key of everything the share and embed pages share, one of
/// everything the press pack is made from but the figures, and each figure's file by id.
struct DiskPages<'a> {
    disk: &'a Cache,
    shared: u64,
    press_pack: u64,
    files: BTreeMap<&'a str, u64>,
}

/// A page as made: its output path and its HTML.
struct MadeHtml {
    path: String,
    html: Vec<u8>,
}

/// A figure's share page and embed page, made together.
#[derive(Debug, PartialEq, Eq)]
struct SharePair {
    share: Vec<u8>,
    embed: Vec<u8>,
}

impl SharePair {
    /// Both pages as one cache entry: the share page's length, then both.
    fn joined(&self) -> Vec<u8> {
        [&(self.share.len() as u64).to_le_bytes()[..], &self.share, &self.embed].concat()
    }

    fn split(entry: &[u8]) -> Option<SharePair> {
        let (length, rest) = entry.split_first_chunk::<8>()?;
        let at = usize::try_from(u64::from_le_bytes(*length)).ok().filter(|at| *at <= rest.len())?;
        Some(SharePair { share: rest[..at].to_vec(), embed: rest[at..].to_vec() })
    }
}

/// What the figure pages are made from: the pages due (by output path), and, when `through`
/// is given, the disk cache that keeps them minified under what they are made from.
struct FigurePages<'a> {
    tera: &'a tera::Tera,
    common: &'a Common<'a>,
    navs: &'a Navs<'a>,
    languages: &'a Languages<'a>,
    shown: &'a Shown<'a>,
    /// Figure ids in the order the press pack lists them.
    order: &'a [&'a str],
    stale: &'a BTreeMap<&'a str, PageKeys>,
    through: Option<&'a DiskPages<'a>>,
}

impl FigurePages<'_> {
    /// Each due figure's share page and embed page in each language, made in parallel.
    fn share_pages(&self) -> Result<Vec<MadeHtml>> {
        let due: Vec<(usize, &str, &FigureView)> = (self.common.languages.iter().enumerate())
            .flat_map(|(n, l)| self.shown.views_in(&l.tag).iter().map(move |(id, view)| (n, *id, *view)))
            .filter(|(n, id, _)| self.stale.contains_key(self.path(*n, &urls::figure_page(id)).as_str()))
            .collect();
        let pages: Vec<[MadeHtml; 2]> = due
            .into_par_iter()
            .map(|(n, id, figure)| {
                let pair = match self.through {
                    Some(inputs) => {
                        let file = inputs.files.get(id).copied().unwrap_or_default();
                        let tag = self.common.languages[n].tag.as_bytes();
                        let parts: [&[u8]; 4] = [&inputs.shared.to_le_bytes(), &file.to_le_bytes(), tag, image::theme_key()];
                        let entry = inputs.disk.pages(&parts, || self.share_pair(n, id, figure).map(|pair| pair.joined()))?;
                        SharePair::split(&entry).map_or_else(|| self.share_pair(n, id, figure), Ok)?
                    }
                    None => self.share_pair(n, id, figure)?,
                };
                Ok([
                    MadeHtml { path: self.path(n, &urls::figure_page(id)), html: pair.share },
                    MadeHtml { path: self.path(n, &urls::embed_page(id)), html: pair.embed },
                ])
            })
            .collect::<Result<_>>()?;
        Ok(pages.into_iter().flatten().collect())
    }

    /// The output path of the page at `address` in the `n`-th language.
    fn path(&self, n: usize, address: &str) -> String {
        urls::page_file(&self.common.languages[n].at(address))
    }

    /// A page soapbox makes in the `n`-th language, and the context its template gets.
    fn context(&self, n: usize, address: &str, page: &PageView) -> tera::Context {
        let language = &self.common.languages[n];
        let mut context = page_context(&language.site_view, &language.tag, page, "", self.navs.of(n).0);
        context.insert("versions", &self.languages.generated(address, n));
        context
    }

    fn share_pair(&self, n: usize, id: &str, figure: &FigureView) -> Result<SharePair> {
        let (site, minify) = (self.common.site, self.through.is_some());
        let address = urls::figure_page(id);
        let page = PageView::generated(&figure.title, &figure.description, &self.common.languages[n].at(&address), &self.common.urls, figure.image.clone());
        let mut context = self.context(n, &address, &page);
        context.insert("figure", figure);
        context.insert("share_page", &true);
        let share = render_template(self.tera, site, "figure.html", &context)?;
        let embed = render_template(self.tera, site, "embed.html", &context)?;
        Ok(SharePair { share: finish(share.into_bytes(), minify), embed: finish(embed.into_bytes(), minify) })
    }

    /// The press pack in each language, when due. It lists every figure, so it is large: it
    /// is made alongside the rest, and a warm build finds it on disk rather than filling its
    /// template with every figure again.
    fn press_packs(&self) -> Result<Vec<MadeHtml>> {
        let mut made = Vec::new();
        for (n, language) in self.common.languages.iter().enumerate() {
            let path = self.path(n, &urls::press_pack());
            if !self.stale.contains_key(path.as_str()) {
                continue;
            }
            let html = match self.through {
                Some(inputs) => {
                    let files = key(&inputs.files).to_le_bytes();
                    let parts: [&[u8]; 5] = [b"press pack", &inputs.press_pack.to_le_bytes(), &files, language.tag.as_bytes(), image::theme_key()];
                    inputs.disk.pages(&parts, || self.make_press_pack(n))?
                }
                None => self.make_press_pack(n)?,
            };
            made.push(MadeHtml { path, html });
        }
        Ok(made)
    }

    fn make_press_pack(&self, n: usize) -> Result<Vec<u8>> {
        let (site, language) = (self.common.site, &self.common.languages[n]);
        let words = super::templates::strings_for(site, &language.tag)?;
        let description = words.fill("press_pack_description", &[("site", &site.config.in_language(&language.tag).title)]);
        let address = urls::press_pack();
        let page = PageView::generated(&words.get("figures_and_downloads"), &description, &language.at(&address), &self.common.urls, language.card.clone());
        let mut context = self.context(n, &address, &page);
        let views = self.shown.views_in(&language.tag);
        let list: Vec<&FigureView> = self.order.iter().filter_map(|id| views.get(id).copied()).collect();
        context.insert("figures", &list);
        Ok(finish(render_template(self.tera, site, "figures.html", &context)?.into_bytes(), self.through.is_some()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_share_and_embed_entry_splits_back_into_both_pages() {
        let pair = |share: &[u8], embed: &[u8]| SharePair { share: share.to_vec(), embed: embed.to_vec() };
        assert_eq!(SharePair::split(&pair(b"share", b"embed").joined()), Some(pair(b"share", b"embed")));
        assert_eq!(SharePair::split(&pair(b"", b"").joined()), Some(pair(b"", b"")));
        assert_eq!(SharePair::split(b"short"), None);
        assert_eq!(SharePair::split(&[&99u64.to_le_bytes()[..], b"abc"].concat()), None);
    }
}
