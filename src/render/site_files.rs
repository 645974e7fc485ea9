//! The site-wide files every build writes besides the pages and figures: the static files
//! under content-hashed names, the icons and web app manifest drawn from the favicon, the
//! site card, the sitemap, a feed for each section, robots.txt, the not-found page and the
//! privacy note; and [`gather`], which puts every file of the site together.

use super::figures::Shown;
use super::pages::Listed;
use super::pages::{Languages, Navs};
use super::templates::{finish, page_context, render_template};
use super::views::PageView;
use super::{reuse_or, try_reuse_or, Common, Keyed, Made, MadePages, PageSet, RenderCache};
use crate::assets::Assets;
use crate::chart::image;
use crate::error::Result;
use crate::hash::key;
use crate::load::{Page, Site};
use crate::output::{Bytes, OutPath};
use crate::urls::{self, Urls, ICONS, MANIFEST};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

/// What earlier renders made of the site-wide files.
#[derive(Default)]
pub(super) struct SiteFileCache {
    icons: Option<Keyed<BTreeMap<String, Vec<u8>>>>,
    assets: Option<Keyed<Arc<Assets>>>,
    /// The site card in each language, by output path.
    site_cards: Option<Keyed<Vec<(String, Bytes)>>>,
}

/// The sections that have a feed: every section but the home page.
pub(super) fn sections(site: &Site) -> Vec<&Page> {
    site.pages.iter().filter(|p| p.is_section && !p.url.is_empty()).collect()
}

/// The static files under their output names, with the icons and manifest drawn from the
/// favicon, and a key of what they are made from.
pub(super) fn assets(site: &Site, urls: &Urls, settings: u64, cache: &mut SiteFileCache) -> Result<Keyed<Arc<Assets>>> {
    let icon_key = key((settings, site.static_files.get("favicon.svg").map(|f| &*f.content)));
    let generated = try_reuse_or(&mut cache.icons, icon_key, || icons(site, urls))?;
    let assets_key = key((icon_key, site.static_files.iter().map(|(p, f)| (p, &*f.content)).collect::<Vec<_>>()));
    let assets = reuse_or(&mut cache.assets, assets_key, || {
        let mut statics = static_bytes(site);
        statics.extend(generated.iter().map(|(p, b)| (p.clone(), Cow::Borrowed(b.as_slice()))));
        statics.entry(EMBED_FRAME_SCRIPT.0.to_string()).or_insert(Cow::Borrowed(EMBED_FRAME_SCRIPT.1.as_bytes()));
        Arc::new(crate::assets::name(&statics))
    });
    Ok(Keyed { key: assets_key, value: assets })
}

/// The static files' bytes by path.
pub(super) fn static_bytes(site: &Site) -> BTreeMap<String, Cow<'_, [u8]>> {
    site.static_files.iter().map(|(path, file)| (path.clone(), Cow::Borrowed(&*file.content))).collect()
}

/// PNG icons for browsers that take no SVG, and the web app manifest that lists them.
fn icons(site: &Site, urls: &Urls) -> Result<BTreeMap<String, Vec<u8>>> {
    let mut files = BTreeMap::new();
    let Some(svg) = site.static_files.get("favicon.svg") else { return Ok(files) };
    for (path, size) in ICONS {
        files.insert(path.to_string(), image::rasterize_icon(&svg.content, size)?);
    }
    let json = |s: &str| {
        let mut out = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    };
    let short = site.config.hashtag.as_ref().map_or(site.config.title.clone(), |t| format!("#{t}"));
    let icons: Vec<String> = ICONS[2..]
        .iter()
        .map(|(path, size)| format!("{{\"src\":{},\"sizes\":\"{size}x{size}\",\"type\":\"image/png\"}}", json(&urls.relative(path))))
        .collect();
    let manifest = format!(
        "{{\"name\":{},\"short_name\":{},\"description\":{},\"lang\":{},\"start_url\":{},\"scope\":{},\"display\":\"browser\",\"background_color\":\"#ffffff\",\"theme_color\":\"#0b1f3a\",\"icons\":[{}]}}\n",
        json(&site.config.title),
        json(&short),
        json(&site.config.description),
        json(&site.config.language),
        json(&urls.base_path),
        json(&urls.base_path),
        icons.join(",")
    );
    files.insert(MANIFEST.to_string(), manifest.into_bytes());
    Ok(files)
}

/// A page soapbox makes from the settings alone, in one of the site's languages.
struct StandardPage {
    /// The language, by its place in [`Common::languages`].
    n: usize,
    /// Its address within the language.
    address: String,
    path: String,
    template: &'static str,
    title: String,
    description: String,
}

/// The pages soapbox makes from the settings alone, where their template or the menu
/// changed: a 404 page, which speaks every language of the site (a host has one for the whole
/// site), and in each language a privacy note, unless the site has its own page there.
pub(super) fn standard_pages(common: &Common, tera: &tera::Tera, navs: &Navs, languages: &Languages, made: &MadePages) -> Result<PageSet> {
    let site = common.site;
    let mut pages = Vec::new();
    for (n, language) in common.languages.iter().enumerate() {
        let words = super::templates::strings_for(site, &language.tag)?;
        if language.is_default() {
            let (title, description) = (words.get("not_found_title"), site.config.description.clone());
            pages.push(StandardPage { n, address: String::new(), path: urls::NOT_FOUND.to_string(), template: "404.html", title, description });
        }
        let privacy = language.at(&urls::privacy());
        if !site.pages.iter().any(|p| p.url == privacy) {
            let description = words.fill("privacy_description", &[("site", &site.config.in_language(&language.tag).title)]);
            let (address, path) = (urls::privacy(), urls::page_file(&privacy));
            pages.push(StandardPage { n, address, path, template: "privacy.html", title: words.get("privacy"), description });
        }
    }
    let mut set = PageSet { made: Vec::new(), paths: Vec::new() };
    for page in pages {
        let language = &common.languages[page.n];
        let (nav, nav_key) = navs.of(page.n);
        let versions = languages.generated(&page.address, page.n);
        let (path_key, k) = (key(&page.path), key((common.template_key(page.template), nav_key, &versions, language.features_key)));
        set.paths.push(path_key);
        if made.is_fresh(path_key, k) {
            continue;
        }
        let address = urls::page_address(&page.path).unwrap_or(&page.path);
        let view = PageView::generated(&page.title, &page.description, address, &common.urls, language.card.clone());
        let mut context = page_context(&language.site_view, &language.tag, &view, "", nav);
        if page.template == "404.html" {
            // One page for every language: the others' homes, for its words in each of them.
            context.insert("languages", &versions);
        } else {
            context.insert("versions", &versions);
        }
        let html = finish(render_template(tera, site, page.template, &context)?.into_bytes(), common.minify);
        set.made.push(Made::new(page.path, path_key, k, html));
    }
    Ok(set)
}

/// The sitemap and each section's feed, where the pages they list changed.
pub(super) fn lists(common: &Common, listed: &Listed, shown: &Shown, made: &MadePages) -> PageSet {
    let (site, settings) = (common.site, common.settings);
    let mut set = PageSet { made: Vec::new(), paths: Vec::new() };
    let (path_key, k) = (key(urls::SITEMAP), key((settings, listed.paths_key, shown.ids().collect::<Vec<_>>())));
    if !made.is_fresh(path_key, k) {
        set.made.push(Made::new(urls::SITEMAP, path_key, k, sitemap(common, &common.urls).into_bytes()));
    }
    set.paths.push(path_key);
    for (i, section) in site.pages.iter().enumerate().filter(|(_, p)| p.is_section && !p.url.is_empty()) {
        let path = urls::feed(&section.url);
        let (path_key, k) = (key(&path), key((settings, listed.views()[i].title.as_str(), listed.listing_keys[i])));
        if !made.is_fresh(path_key, k) {
            set.made.push(Made::new(path.as_str(), path_key, k, feed(site, section, &listed.members(i), &common.urls).into_bytes()));
        }
        set.paths.push(path_key);
    }
    set
}

/// An Atom feed of a section's dated pages, newest first. A page without a date has no time
/// to be listed under, so it is left out.
fn feed(site: &Site, section: &Page, entries: &[&PageView], urls: &Urls) -> String {
    let x = |s: &str| crate::escape::xml(s);
    let dated: Vec<&&PageView> = entries.iter().filter(|e| e.date.is_some()).collect();
    // With no dated page yet, the feed is valid and empty, dated at the start of Unix time.
    let updated = dated.iter().filter_map(|e| e.date.clone()).max().unwrap_or_else(|| "1970-01-01".to_string());
    let home = urls.absolute(&section.url);
    let this = urls.absolute(&urls::feed(&section.url));
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}: {}</title>\n  <link href=\"{this}\" rel=\"self\" type=\"application/atom+xml\"/>\n  <link href=\"{home}\" rel=\"alternate\" type=\"text/html\"/>\n  <id>{home}</id>\n  <updated>{updated}T00:00:00Z</updated>\n  <author><name>{}</name></author>\n",
        x(site.config.language_of(section)),
        x(&site.config.in_language(site.config.language_of(section)).title),
        x(&section.front.title),
        x(&site.config.in_language(site.config.language_of(section)).organisation)
    );
    for entry in dated {
        let date = entry.date.as_deref().unwrap_or_default();
        xml.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <link href=\"{}\" rel=\"alternate\" type=\"text/html\"/>\n    <id>{}</id>\n    <published>{date}T00:00:00Z</published>\n    <updated>{date}T00:00:00Z</updated>\n    <summary>{}</summary>\n  </entry>\n",
            x(&entry.title),
            x(&entry.permalink),
            x(&entry.permalink),
            x(&entry.summary)
        ));
    }
    xml.push_str("</feed>\n");
    xml
}

/// Every page and share page, by absolute address, for search engines.
fn sitemap(common: &Common, urls: &Urls) -> String {
    let site = common.site;
    let xml = crate::escape::xml;
    // A page with translations lists them all, itself included, and the default language's
    // as `x-default`, as search engines read alternates in a sitemap.
    let links = |versions: &[(&str, String)]| -> String {
        if versions.len() < 2 {
            return String::new();
        }
        let mut links = String::new();
        for (n, (lang, path)) in versions.iter().enumerate() {
            let href = xml(&urls.absolute(path));
            links.push_str(&format!("\n    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{href}\"/>", xml(lang)));
            if n == 0 {
                links.push_str(&format!("\n    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{href}\"/>"));
            }
        }
        links + "\n  "
    };
    let translations = site.translations();
    let alternates = |page: &Page| -> String {
        let mut versions: Vec<&Page> = translations.get(page.translation.as_str()).map_or(&[][..], Vec::as_slice).iter().map(|&i| &site.pages[i]).collect();
        // The default language first, then the others in the order site.yaml gives them.
        versions.sort_by_key(|p| site.config.all_languages().position(|tag| Some(tag) == p.lang.as_deref()).map_or(0, |n| n + 1));
        links(&versions.iter().map(|p| (site.config.language_of(p), p.url.clone())).collect::<Vec<_>>())
    };
    let mut addresses: Vec<(String, String)> = site.pages.iter().map(|p| (urls.absolute(&p.url), alternates(p))).collect();
    // The pages soapbox makes are in every language.
    let generated = |address: &str| -> Vec<(String, String)> {
        let versions: Vec<(&str, String)> = common.languages.iter().map(|l| (l.tag.as_str(), l.at(address))).collect();
        let alternates = links(&versions);
        versions.iter().map(|(_, path)| (urls.absolute(path), alternates.clone())).collect()
    };
    addresses.extend(generated(&urls::press_pack()));
    for privacy in generated(&urls::privacy()) {
        if !site.pages.iter().any(|p| urls.absolute(&p.url) == privacy.0) {
            addresses.push(privacy);
        }
    }
    addresses.extend(site.figures.keys().flat_map(|id| generated(&urls::figure_page(id))));
    addresses.sort();
    let xhtml = if site.config.languages.is_empty() { "" } else { " xmlns:xhtml=\"http://www.w3.org/1999/xhtml\"" };
    let mut out = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"{xhtml}>\n");
    for (address, alternates) in addresses {
        out.push_str(&format!("  <url><loc>{}</loc>{alternates}</url>\n", xml(&address)));
    }
    out.push_str("</urlset>\n");
    out
}

/// The script embeds load from the campaign's site (see [`urls::EMBED_SCRIPT`]): it listens
/// for each embed page's height and sizes that page's `<iframe>`.
const EMBED_SCRIPT: &str = include_str!("embed.js");

/// The script of the embed pages, which tells the page that frames one how tall it is: a
/// content-hashed asset like the site's own (`asset(path="embed-frame.js")`), as the site's
/// policy allows no inline script.
const EMBED_FRAME_SCRIPT: (&str, &str) = ("embed-frame.js", include_str!("embed-frame.js"));

/// Every file of the site, from what `cache` holds after a render.
pub(super) fn gather(common: &Common, assets: &Assets, cache: &mut RenderCache) -> Result<BTreeMap<OutPath, Bytes>> {
    let mut files: BTreeMap<OutPath, Bytes> = assets.files.iter().map(|(p, b)| (p.as_str().into(), Arc::new(b.clone()))).collect();
    for figure in cache.figures.by_id.values().flat_map(|c| c.files.values()) {
        files.extend(figure.files.iter().map(|(p, b)| (p.as_str().into(), Arc::clone(b))));
    }
    for page in cache.made.by_path.values() {
        files.insert(Arc::clone(&page.path), Arc::clone(&page.bytes));
    }
    let disk = &cache.disk;
    let cards = try_reuse_or(&mut cache.site_files.site_cards, common.settings, || {
        common.languages.iter().map(|l| Ok((l.at(urls::SITE_CARD), site_card(&l.brand, disk)?))).collect::<Result<Vec<_>>>()
    })?;
    for (path, card) in cards {
        files.insert(path.into(), card);
    }
    // The photos made in memory; the static photos among them take the place of their
    // sources, which may carry a camera's metadata.
    files.extend(cache.photos.files().map(|(p, b)| (Arc::clone(p), Arc::clone(b))));
    files.insert(urls::ROBOTS.into(), Arc::new(robots(&common.urls).into_bytes()));
    files.insert(urls::EMBED_SCRIPT.into(), Arc::new(EMBED_SCRIPT.as_bytes().to_vec()));
    Ok(files)
}

/// The site-wide card, for link previews of pages without a chart.
fn site_card(brand: &image::Brand, disk: &crate::cache::Cache) -> Result<Bytes> {
    let svg = image::site_card(brand);
    let title = brand.site_title.as_bytes();
    Ok(Arc::new(disk.image(&[image::theme_key(), svg.as_bytes(), b"Title", title], || image::rasterize(&svg, &[("Title", &brand.site_title)]))?))
}

fn robots(urls: &Urls) -> String {
    format!("User-agent: *\nAllow: /\nSitemap: {}\n", urls.absolute(urls::SITEMAP))
}
