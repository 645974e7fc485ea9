//! Pages: each page's body from its Markdown (made again only when its text, or a figure it
//! shows, changed), what templates see of it, the sections' listings and the menu, and each
//! page through its template, with its charts placed.

use super::charts::{self, finish_page};
use super::figures::Shown;
use super::photos::Photos;
use super::templates::{page_context, render_template};
use super::views::{ImageView, NavItem, PageView};
use super::{reuse_or, Common, Keyed, Made, MadePages};
use crate::components::form::Target;
use crate::error::Result;
use crate::figure::{Figure, Quotable};
use crate::hash::{key, mix};
use crate::load::{Page, Site};
use crate::markdown::{self, Embed, EmbedKind, RenderContext};
use crate::output::OutPath;
use crate::strings::Language;
use crate::urls;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

/// Each section's pages, by page index: the indices of its members, in order.
type Listings = Arc<HashMap<usize, Vec<usize>>>;

/// What earlier renders made of the pages.
#[derive(Default)]
pub(super) struct PageCache {
    /// By source file ([`Page::id`]): the page's body and what templates see of it.
    sources: crate::hash::ByKey<CachedSource>,
    /// Each section's pages in order, keyed by what decides that order.
    listings: Option<Keyed<Listings>>,
    /// Each page's menu key, by page index, keyed by the menu and the pages' addresses.
    menu_keys: Option<Keyed<Arc<Vec<u64>>>>,
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

/// The keys a page's body and its view are made under.
struct SourceKeys {
    body: u64,
    view: u64,
}

impl SourceKeys {
    /// The body follows the page's text, the settings (with the words of its language, which
    /// its components write) and the figures it shows; the view also follows the figure that
    /// gives its preview image.
    fn of(page: &Page, settings: u64, shown: &Shown, photos: &Photos) -> SourceKeys {
        let generations: Vec<u64> = page.scanned.embeds.iter().map(|e| shown.generation(e.figure_id())).collect();
        let body = if generations.is_empty() { mix(&[page.hash, settings]) } else { key((page.hash, settings, generations)) };
        // The photos it shows: their file names carry a key of their bytes.
        let body = if page.photos().next().is_some() { mix(&[body, photos.key_of(page)]) } else { body };
        SourceKeys { body, view: page.front.image.as_deref().map_or(body, |id| mix(&[body, shown.generation(id)])) }
    }
}

/// A page's body and view made anew, and whether its body was kept from before.
struct Remade {
    index: usize,
    kept_body: bool,
    source: CachedSource,
}

/// Makes again the bodies and views of the pages whose text, or a figure they show, changed,
/// and forgets those of pages gone. Gives how many bodies were made anew.
pub(super) fn bodies(common: &Common, shown: &Shown, photos: &Photos, cache: &mut PageCache) -> usize {
    let site = common.site;
    // Each language's words, as a key: a page's components write them.
    // And where its forms post, with the thank-you page in its language.
    let targets = form_targets(common);
    let words_keys: BTreeMap<&str, u64> =
        site.config.all_languages().map(|tag| (tag, mix(&[common.settings, key(&*site.strings.get(tag)), key(targets.get(tag))]))).collect();
    let settings_of = |p: &Page| words_keys.get(site.config.language_of(p)).copied().unwrap_or(common.settings);
    let keys: Vec<SourceKeys> = site.pages.iter().map(|p| SourceKeys::of(p, settings_of(p), shown, photos)).collect();
    let cached = |p: &Page| cache.sources.get(&p.id).filter(|c| c.file.as_os_str() == p.file.as_os_str());
    let todo: Vec<usize> = (0..site.pages.len()).filter(|&i| cached(&site.pages[i]).is_none_or(|c| c.view_key != keys[i].view)).collect();
    let quoted = QuotedIn::of(site, todo.iter().map(|&i| &site.pages[i]));
    let remade: Vec<Remade> = todo
        .into_par_iter()
        .map(|i| {
            let page = &site.pages[i];
            let old = cached(page).filter(|c| c.body_key == keys[i].body).map(|c| Arc::clone(&c.body));
            let target = targets.get(site.config.language_of(page));
            Remade { index: i, kept_body: old.is_some(), source: source(common, page, &keys[i], old, (shown, photos), &quoted, target) }
        })
        .collect();
    let made = remade.iter().filter(|r| !r.kept_body).count();
    for Remade { index, source, .. } in remade {
        cache.sources.insert(site.pages[index].id, source);
    }
    if cache.sources.len() != site.pages.len() {
        let live: BTreeSet<u64> = site.pages.iter().map(|p| p.id).collect();
        cache.sources.retain(|k, _| live.contains(k));
    }
    made
}

/// The figures as pages in the site's other languages quote them: each figure that such a
/// page quotes, translated once per language for every page that quotes it.
struct QuotedIn<'a> {
    site: &'a Site,
    /// By language tag, then figure id.
    translated: BTreeMap<&'a str, BTreeMap<String, Figure>>,
}

impl<'a> QuotedIn<'a> {
    /// The figures that `pages` quote by key, in each page's language.
    fn of(site: &'a Site, pages: impl Iterator<Item = &'a Page>) -> QuotedIn<'a> {
        let mut translated: BTreeMap<&str, BTreeMap<String, Figure>> = BTreeMap::new();
        for page in pages {
            let Some(tag) = page.lang.as_deref() else { continue };
            for embed in &page.scanned.embeds {
                // A label quotes a number, the same in every language.
                let EmbedKind::Value { id, key: Some(_), .. } = &embed.kind else { continue };
                let figures = translated.entry(tag).or_default();
                if let (false, Some(figure)) = (figures.contains_key(id.as_str()), site.figures.get(id)) {
                    figures.insert(id.clone(), figure.translated(tag));
                }
            }
        }
        QuotedIn { site, translated }
    }

    /// The figures as a page in `lang` (`None`: the default language) quotes them.
    fn in_language(&self, lang: Option<&str>) -> Quotable<'_> {
        Quotable { figures: &self.site.figures, translated: lang.and_then(|tag| self.translated.get(tag)) }
    }
}

/// Where the forms of pages in each of the site's languages post, by language tag: none when
/// site.yaml has no `forms:`.
fn form_targets(common: &Common) -> BTreeMap<String, Target> {
    let site = common.site;
    let Some(settings) = &site.config.forms else { return BTreeMap::new() };
    let thanks = settings.thanks.trim_start_matches('/');
    let translations = site.translations();
    let versions: Vec<&Page> = site
        .pages
        .iter()
        .find(|p| p.url == thanks && p.lang.is_none())
        .and_then(|p| translations.get(p.translation.as_str()))
        .map_or_else(Vec::new, |found| found.iter().map(|&i| &site.pages[i]).collect());
    common
        .languages
        .iter()
        .map(|language| {
            let config = site.config.in_language(&language.tag);
            let words = config.forms.unwrap_or_else(|| settings.clone());
            let lang = (!language.is_default()).then_some(language.tag.as_str());
            let thanks_url = versions.iter().find(|p| p.lang.as_deref() == lang).or(versions.first()).map_or(thanks, |p| p.url.as_str());
            let privacy = language.at(&urls::privacy());
            let own_privacy = site.pages.iter().any(|p| p.url == privacy);
            let privacy = format!("{}{}", common.urls.relative(&privacy), if own_privacy { "" } else { "#forms" });
            let target = Target {
                endpoint: settings.endpoint.clone(),
                honeypot: settings.honeypot.clone(),
                redirect: settings.redirect_field.clone().map(|name| (name, common.urls.absolute(thanks_url))),
                privacy,
                controller: words.controller,
            };
            (language.tag.clone(), target)
        })
        .collect()
}

/// The site's own scripts and stylesheets a page needs beyond `site.js` and `style.css`, for
/// the components it shows.
fn assets_for(page: &Page) -> (Vec<&'static str>, Vec<&'static str>) {
    use crate::components::Component;
    let has = |want: fn(&Component) -> bool| page.scanned.components.iter().any(|(c, _)| want(c));
    let (mut scripts, mut styles) = (Vec::new(), Vec::new());
    if has(|c| matches!(c, Component::Form(_))) {
        scripts.push("form.js");
        styles.push("form.css");
    }
    if has(|c| matches!(c, Component::Video(_))) {
        scripts.push("video.js");
        styles.push("video.css");
    }
    (scripts, styles)
}

/// A page's body (`body` when it is still good) and view, as the cache keeps them.
fn source(
    common: &Common,
    page: &Page,
    keys: &SourceKeys,
    body: Option<Arc<String>>,
    (shown, photos): (&Shown, &Photos),
    quoted: &QuotedIn,
    target: Option<&Target>,
) -> CachedSource {
    let body = body.unwrap_or_else(|| Arc::new(body_html(page, quoted, &common.urls.base_path, target, photos)));
    let lang = common.site.config.language_of(page);
    let image = match photos.card_of(page) {
        Some(path) => ImageView::of_photo(&path, page.front.image_alt.as_deref().unwrap_or_default(), &common.urls),
        None => page_image(page, shown.views_in(lang), &common.language(lang).card),
    };
    let mut view = PageView::new(page, &body, &common.urls, image, Language::or_english(lang));
    (view.scripts, view.styles) = assets_for(page);
    view.event = page.front.event.as_ref().map(|e| super::calendar::EventView::new(page, e, &common.urls, &common.site.strings.get(lang), common.at));
    let shown = view_key_of(&view);
    let order = key((&page.date, page.front.weight, &page.front.title, &page.dir, page.is_section));
    let path = urls::page_file(&page.url);
    let (body_key, view_key, view) = (keys.body, keys.view, Arc::new(view));
    CachedSource { file: page.file.clone(), path_key: key(&path), path: path.into(), order, body_key, body, view_key, view, shown }
}

/// The pages as listings, feeds and the menu show them, once [`bodies`] has made them.
pub(super) struct Listed<'a> {
    sources: Vec<&'a CachedSource>,
    pub menu: Menu<'a>,
    pub listings: Listings,
    /// A key of what each section lists, by page index (0 for a page that lists nothing).
    pub listing_keys: Vec<u64>,
    /// A key of every page's output path.
    pub paths_key: u64,
    /// A key of the menu as each page shows it, by page index.
    menu_keys: Arc<Vec<u64>>,
}

impl<'a> Listed<'a> {
    pub fn new(common: &Common<'a>, cache: &'a mut PageCache) -> Listed<'a> {
        let site = common.site;
        let PageCache { sources, listings, menu_keys } = cache;
        let sources: &'a crate::hash::ByKey<CachedSource> = sources;
        let sources: Vec<&CachedSource> = site.pages.iter().map(|p| &sources[&p.id]).collect();
        let menu = Menu::new(site, sources.iter().map(|s| &*s.view).collect());
        let order_key = key(sources.iter().map(|s| s.order).collect::<Vec<_>>());
        let listings = reuse_or(listings, order_key, || {
            Arc::new((0..site.pages.len()).filter(|&i| site.pages[i].is_section).map(|i| (i, section_members(site, &site.pages[i]))).collect())
        });
        let mut listing_keys = vec![0u64; site.pages.len()];
        for (&i, members) in listings.iter() {
            listing_keys[i] = mix(&members.iter().map(|&m| sources[m].shown).collect::<Vec<_>>()) | 1;
        }
        let paths_key = key(sources.iter().map(|s| s.path_key).collect::<Vec<_>>());
        // Which menu entry each page marks changes only with the menu or the pages' addresses.
        let menu_keys = reuse_or(menu_keys, mix(&[menu.base, paths_key]), || Arc::new(site.pages.iter().map(|p| menu.key(Some(p))).collect()));
        Listed { sources, menu, listings, listing_keys, paths_key, menu_keys }
    }

    /// Each page's view, by page index.
    pub fn views(&self) -> &[&'a PageView] {
        &self.menu.views
    }

    /// The views of the pages section `i` lists, in order.
    pub fn members(&self, i: usize) -> Vec<&'a PageView> {
        self.listings.get(&i).map_or_else(Vec::new, |members| members.iter().map(|&m| self.menu.views[m]).collect())
    }

    /// Each page's output path key, by page index.
    pub fn path_keys(&self) -> impl Iterator<Item = u64> + '_ {
        self.sources.iter().map(|s| s.path_key)
    }
}

/// Each page through its template, where anything it shows changed.
pub(super) fn render(common: &Common, tera: &tera::Tera, listed: &Listed, shown: &Shown, made: &MadePages) -> Result<Vec<Made>> {
    let (site, sources) = (common.site, &listed.sources);
    let page_templates: Vec<&str> = site.pages.iter().map(|p| template_for(site, p)).collect();
    let used: BTreeSet<&str> = page_templates.iter().copied().collect();
    // A handful of templates: found by a short scan, which is cheaper than hashing each name.
    let used_keys: Vec<(&str, u64)> = used.into_iter().map(|t| (t, common.template_key(t))).collect();
    let template_key_of = |name: &str| used_keys.iter().find(|(t, _)| *t == name).map_or(0, |(_, k)| *k);
    let languages = Languages::new(common)?;
    let versions: Vec<Vec<Version>> = (0..site.pages.len()).map(|i| languages.versions(i, listed.views())).collect();
    // The preview's notice on each page that is not live at the render's moment.
    let notices: Vec<Option<String>> = site.pages.iter().map(|p| common.notices.get(&p.url).map(|s| notice(common, p, *s))).collect();
    let page_keys: Vec<u64> = (0..site.pages.len())
        .map(|i| {
            let s = sources[i];
            let versions = if versions[i].is_empty() { 0 } else { key(&versions[i]) };
            let notice = notices[i].as_ref().map_or(0, key);
            mix(&[s.view_key, common.chart_key, s.shown, listed.menu_keys[i], listed.listing_keys[i], template_key_of(page_templates[i]), versions, notice])
        })
        .collect();
    (0..site.pages.len())
        .into_par_iter()
        .filter(|&i| !made.is_fresh(sources[i].path_key, page_keys[i]))
        .map(|i| {
            let page = &site.pages[i];
            let body = &sources[i].body;
            let make = |content: &str| {
                let lang = site.config.language_of(page);
                let mut context = page_context(common.site_view_in(lang), lang, listed.views()[i], content, &listed.menu.items(Some(page)));
                context.insert("versions", &versions[i]);
                // Every page gets its listing, empty but for a section's, so that any page may
                // use a section's template.
                let members = listed.members(i);
                context.insert("pages", &members);
                // A section of events lists those to come, soonest first, and those past,
                // latest first, and the rest of its pages apart.
                let (mut upcoming, mut past): (Vec<&PageView>, Vec<&PageView>) =
                    members.iter().copied().filter(|m| m.event.is_some()).partition(|m| m.event.as_ref().is_some_and(|e| e.upcoming));
                upcoming.sort_by_key(|a| event_start(a));
                past.sort_by_key(|a| std::cmp::Reverse(event_start(a)));
                context.insert("upcoming_events", &upcoming);
                context.insert("past_events", &past);
                context.insert("other_pages", &members.iter().filter(|m| m.event.is_none()).collect::<Vec<_>>());
                if let Some(notice) = &notices[i] {
                    context.insert("schedule_notice", notice);
                }
                render_template(tera, site, page_templates[i], &context)
            };
            // A very large body is minified apart, in pieces (see `charts::LARGE_BODY`).
            let large = (common.minify && body.len() > charts::LARGE_BODY).then(|| make(charts::BODY)).transpose()?;
            // The charts drawn in the page's language.
            let charts = shown.charts_in(site.config.language_of(page));
            let bytes = match large.and_then(|shell| charts::finish_large_page(shell, body, charts)) {
                Some(bytes) => bytes,
                None => finish_page(make(body)?, common.minify, charts),
            };
            Ok(Made::new(Arc::clone(&sources[i].path), sources[i].path_key, page_keys[i], bytes))
        })
        .collect::<Vec<Result<_>>>()
        .into_iter()
        .collect()
}

/// When an event's page starts, as an instant (its view writes it with its offset).
fn event_start(view: &PageView) -> Option<crate::moment::Moment> {
    view.event.as_ref().and_then(|e| crate::moment::Moment::parse(&e.start).ok())
}

/// The preview's notice on a page that is not live: when it goes live, or came down, in the
/// page's language.
fn notice(common: &Common, page: &Page, status: crate::moment::Status) -> String {
    let lang = common.site.config.language_of(page);
    let words = common.site.strings.get(lang);
    let language = Language::or_english(lang);
    match status {
        crate::moment::Status::Embargoed(when) => words.fill("schedule_embargoed", &[("time", &when.words_in(language))]),
        crate::moment::Status::Expired(when) => words.fill("schedule_expired", &[("time", &when.words_in(language))]),
        crate::moment::Status::Live => String::new(),
    }
}

/// A page's Markdown as HTML, with its numbers (and the words it quotes, in its language) in
/// place, its components in the site's words for its language, and its charts marked.
fn body_html(page: &Page, quoted: &QuotedIn, base_path: &str, forms: Option<&Target>, photos: &Photos) -> String {
    let figures = quoted.in_language(page.lang.as_deref());
    let values = |embed: &Embed| match &embed.kind {
        EmbedKind::Value { id, key, label } => {
            figures.quote(id, key.as_deref(), label.as_deref()).and_then(Result::ok).map(|q| q.formatted()).unwrap_or_default()
        }
        EmbedKind::Chart { .. } => String::new(),
    };
    let site = quoted.site;
    let words = site.strings.get(site.config.language_of(page));
    let photo = |dest: &str, alt: &str, eager: bool| photos.offered(&page.dir, dest).map(|offered| offered.html(base_path, alt, eager));
    markdown::render(page.body(), &page.scanned, &RenderContext { values: &values, chart: &charts::mark, base_path, words: &words, forms, photo: &photo })
}

/// A page's preview image: the figure its front matter names, else its first chart, else
/// the site card.
fn page_image(page: &Page, figures: &BTreeMap<&str, &super::views::FigureView>, card: &ImageView) -> ImageView {
    let first_chart = page.scanned.embeds.iter().find_map(|e| match &e.kind {
        EmbedKind::Chart { id } => Some(id.as_str()),
        EmbedKind::Value { .. } => None,
    });
    page.front.image.as_deref().or(first_chart).and_then(|id| figures.get(id)).map_or_else(|| card.clone(), |f| f.image.clone())
}

/// What of a page's view a listing or feed shows, as a key.
fn view_key_of(v: &PageView) -> u64 {
    key((&v.title, &v.description, &v.date, &v.url, &v.summary, &v.image.url, &v.image.alt, &v.event))
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
pub(super) struct Menu<'a> {
    site: &'a Site,
    /// Each page's view, by page index.
    views: Vec<&'a PageView>,
    entries: Vec<usize>,
    /// A key of the entries' titles and addresses.
    base: u64,
}

/// The pages the menu lists, by index, in its order: the top-level pages and sections that
/// have a `weight`, by weight, then title.
pub(super) fn menu_entries(site: &Site) -> Vec<usize> {
    let mut items: Vec<(i64, &str, usize)> = site
        .pages
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.front.weight.map(|w| (w, p.front.title.as_str(), i)))
        .filter(|(_, _, i)| site.pages[*i].local_url().matches('/').count() <= 1)
        .collect();
    items.sort();
    items.into_iter().map(|(_, _, i)| i).collect()
}

/// Whether the page `entry` is, or holds, the page `page`, as the menu marks it: in the same
/// language, where a language's home holds nothing but itself.
fn holds(entry: &Page, page: &Page) -> bool {
    let (entry_url, url) = (entry.local_url(), page.local_url());
    entry.lang == page.lang && (entry_url == url || (!entry_url.is_empty() && url.starts_with(entry_url)))
}

/// Every page, by index, in the site's own order: each menu entry in menu order, followed by
/// the pages it holds, then the pages under no entry; otherwise as the site lists them.
pub(super) fn site_order(site: &Site) -> Vec<usize> {
    let entries = menu_entries(site);
    let place = |i: usize| {
        let entry = entries.iter().position(|&e| holds(&site.pages[e], &site.pages[i])).unwrap_or(entries.len());
        (entry, entries.get(entry) != Some(&i), i)
    };
    let mut order: Vec<usize> = (0..site.pages.len()).collect();
    order.sort_by_key(|&i| place(i));
    order
}

impl<'a> Menu<'a> {
    fn new(site: &'a Site, views: Vec<&'a PageView>) -> Menu<'a> {
        let entries = menu_entries(site);
        let mut menu = Menu { site, views, entries, base: 0 };
        // Every language's entries: a Welsh title changes the Welsh pages' menu.
        let entries = menu.entries.iter().map(|&i| {
            let page = &site.pages[i];
            (page.front.nav_title.as_deref().unwrap_or(&page.front.title), &menu.views[i].url, page.front.primary)
        });
        menu.base = key(entries.collect::<Vec<_>>());
        menu
    }

    /// Whether menu entry `i` is, or holds, the page `current`.
    fn is_current(&self, i: usize, current: Option<&Page>) -> bool {
        current.is_some_and(|c| holds(&self.site.pages[i], c))
    }

    /// The menu as `current` shows it, with its own section marked.
    pub fn items(&self, current: Option<&Page>) -> Vec<NavItem<'a>> {
        self.items_in(current.and_then(|c| c.lang.as_deref()), current)
    }

    /// The menu of the language `lang` (`None` for the default) as `current` shows it.
    fn items_in(&self, lang: Option<&str>, current: Option<&Page>) -> Vec<NavItem<'a>> {
        self.entries
            .iter()
            .filter(|&&i| self.site.pages[i].lang.as_deref() == lang)
            .map(|&i| {
                let page = &self.site.pages[i];
                let title = page.front.nav_title.as_deref().unwrap_or(&page.front.title);
                NavItem { title, url: &self.views[i].url, current: self.is_current(i, current), primary: page.front.primary }
            })
            .collect()
    }

    /// A key of the menu as `current` shows it.
    pub fn key(&self, current: Option<&Page>) -> u64 {
        // Which entries are current, as bits: no allocation, as this runs for every page.
        let marked = self.entries.iter().enumerate().filter(|(_, &i)| self.is_current(i, current)).fold(0u128, |bits, (n, _)| bits | 1 << (n % 128));
        let lang = current.and_then(|c| c.lang.as_deref()).map_or(0, key);
        mix(&[self.base, marked as u64, (marked >> 64) as u64, lang])
    }
}

/// The menu on the pages soapbox makes (share pages, the press pack, the privacy note) in each
/// of the site's languages, with no entry marked, and a key of each.
pub(super) struct Navs<'a> {
    /// In the order of [`Common::languages`].
    menus: Vec<(Vec<NavItem<'a>>, u64)>,
}

impl<'a> Navs<'a> {
    pub fn new(common: &Common, menu: &Menu<'a>) -> Navs<'a> {
        let menus = common
            .languages
            .iter()
            .map(|l| {
                let lang = (!l.is_default()).then_some(l.tag.as_str());
                (menu.items_in(lang, None), mix(&[menu.base, lang.map_or(0, key)]))
            })
            .collect();
        Navs { menus }
    }

    /// The menu in the `n`-th language, and its key.
    pub fn of(&self, n: usize) -> (&[NavItem<'a>], u64) {
        let (items, key) = &self.menus[n];
        (items, *key)
    }
}

/// One language's version of a page, for its `hreflang` links and the language switcher.
#[derive(Serialize, Hash)]
pub(super) struct Version {
    /// The language's tag, and its name in itself (`Cymraeg`).
    pub lang: String,
    pub name: String,
    /// Site-relative and absolute.
    pub url: String,
    pub permalink: String,
    /// The page shown.
    pub current: bool,
    /// The language has no translation of the page: the link leads to its home instead.
    pub home: bool,
}

/// The site's languages as pages link between them: each page's translations, by what they
/// share, and each language's home.
pub(super) struct Languages<'a> {
    common: &'a Common<'a>,
    /// The tag and name of each language, the default first.
    names: Vec<(String, String)>,
    by_translation: HashMap<&'a str, Vec<usize>>,
    homes: HashMap<Option<&'a str>, usize>,
}

impl<'a> Languages<'a> {
    pub fn new(common: &'a Common<'a>) -> Result<Languages<'a>> {
        let site = common.site;
        let names = site
            .config
            .all_languages()
            .map(|tag| Ok((tag.to_string(), super::templates::strings_for(site, tag)?.get("language_name"))))
            .collect::<Result<_>>()?;
        let (mut by_translation, mut homes) = (HashMap::new(), HashMap::new());
        if !site.config.languages.is_empty() {
            by_translation = site.translations();
            homes = site.pages.iter().enumerate().filter(|(_, p)| p.local_url().is_empty()).map(|(i, p)| (p.lang.as_deref(), i)).collect();
        }
        Ok(Languages { common, names, by_translation, homes })
    }

    /// Of a site in several languages, each language's name and how many pages it has.
    pub fn pages(&self) -> Vec<(String, usize)> {
        if self.common.site.config.languages.is_empty() {
            return Vec::new();
        }
        let site = self.common.site;
        let count = |n: usize| site.pages.iter().filter(|p| p.lang.as_deref() == (n > 0).then_some(self.names[n].0.as_str())).count();
        self.names.iter().enumerate().map(|(n, (_, name))| (name.clone(), count(n))).collect()
    }

    /// The page soapbox makes at `address` (within a language) in every language of the site,
    /// for the one in the `n`-th language (none for a site of one language).
    pub fn generated(&self, address: &str, n: usize) -> Vec<Version> {
        if self.common.site.config.languages.is_empty() {
            return Vec::new();
        }
        let urls = &self.common.urls;
        let at = self.common.languages.iter().map(|l| l.at(address));
        self.names
            .iter()
            .zip(at)
            .enumerate()
            .map(|(m, ((tag, name), path))| Version {
                lang: tag.clone(),
                name: name.clone(),
                url: urls.relative(&path),
                permalink: urls.absolute(&path),
                current: m == n,
                home: false,
            })
            .collect()
    }

    /// Page `i` in every language of the site (none for a site of one language): its own
    /// translation where there is one, else that language's home.
    pub fn versions(&self, i: usize, views: &[&PageView]) -> Vec<Version> {
        let site = self.common.site;
        if site.config.languages.is_empty() {
            return Vec::new();
        }
        let page = &site.pages[i];
        let siblings = self.by_translation.get(page.translation.as_str()).map_or(&[][..], Vec::as_slice);
        self.names
            .iter()
            .enumerate()
            .filter_map(|(n, (tag, name))| {
                let lang = (n > 0).then_some(tag.as_str());
                let own = siblings.iter().copied().find(|&s| site.pages[s].lang.as_deref() == lang);
                let (target, home) = match own {
                    Some(s) => (s, false),
                    None => (*self.homes.get(&lang)?, true),
                };
                let url = views[target].url.clone();
                let permalink = views[target].permalink.clone();
                Some(Version { lang: tag.clone(), name: name.clone(), url, permalink, current: target == i, home })
            })
            .collect()
    }
}

/// The pages in a section's folder, by index: dated ones newest first, then by weight and
/// title.
fn section_members(site: &Site, section: &Page) -> Vec<usize> {
    let mut members: Vec<usize> =
        (0..site.pages.len()).filter(|&i| !site.pages[i].is_section && site.pages[i].dir == section.dir && site.pages[i].lang == section.lang).collect();
    members.sort_by(|&a, &b| {
        let (pa, pb) = (&site.pages[a], &site.pages[b]);
        pb.date
            .cmp(&pa.date)
            .then_with(|| pa.front.weight.unwrap_or(i64::MAX).cmp(&pb.front.weight.unwrap_or(i64::MAX)))
            .then_with(|| pa.front.title.cmp(&pb.front.title))
    });
    members
}
