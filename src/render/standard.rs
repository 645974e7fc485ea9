//! The site-wide files every build writes besides its pages: the sitemap, a feed for each
//! section, and the icons and web app manifest drawn from the favicon.

use super::addresses::{FIGURES, PRIVACY};
use super::{PageView, Urls};
use crate::chart::image;
use crate::error::Result;
use crate::load::{Page, Site};
use std::collections::BTreeMap;

pub use super::addresses::{ICONS, MANIFEST};

/// PNG icons for browsers that take no SVG, and the web app manifest that lists them.
pub fn icons(site: &Site, urls: &Urls) -> Result<BTreeMap<String, Vec<u8>>> {
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

/// An Atom feed of a section's dated pages, newest first. A page without a date has no time
/// to be listed under, so it is left out.
pub fn feed(site: &Site, section: &Page, entries: &[&PageView], urls: &Urls) -> String {
    let x = |s: &str| crate::escape::xml(s);
    let dated: Vec<&&PageView> = entries.iter().filter(|e| e.date.is_some()).collect();
    // With no dated page yet, the feed is valid and empty, dated at the start of Unix time.
    let updated = dated.iter().filter_map(|e| e.date.clone()).max().unwrap_or_else(|| "1970-01-01".to_string());
    let home = urls.absolute(&section.url);
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}: {}</title>\n  <link href=\"{home}atom.xml\" rel=\"self\" type=\"application/atom+xml\"/>\n  <link href=\"{home}\" rel=\"alternate\" type=\"text/html\"/>\n  <id>{home}</id>\n  <updated>{updated}T00:00:00Z</updated>\n  <author><name>{}</name></author>\n",
        x(&site.config.language),
        x(&site.config.title),
        x(&section.front.title),
        x(&site.config.organisation)
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
pub fn sitemap(site: &Site, urls: &Urls) -> String {
    let mut addresses: Vec<String> = site.pages.iter().map(|p| urls.absolute(&p.url)).collect();
    addresses.push(urls.absolute(&format!("{FIGURES}/")));
    let privacy = format!("{PRIVACY}/");
    if !site.pages.iter().any(|p| p.url == privacy) {
        addresses.push(urls.absolute(&privacy));
    }
    addresses.extend(site.figures.keys().map(|id| urls.absolute(&format!("figures/{id}/"))));
    addresses.sort();
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for address in addresses {
        xml.push_str(&format!("  <url><loc>{}</loc></url>\n", crate::escape::xml(&address)));
    }
    xml.push_str("</urlset>\n");
    xml
}
