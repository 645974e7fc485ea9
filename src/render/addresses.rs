//! The names soapbox gives the files it writes besides the pages, and the rule that keeps a
//! page's address clear of them. Render names what it writes from here, and load refuses a
//! page whose address would land on one of them, so `check` and `build` read the same list.
//! (Kept apart from the rest of render so that it can move into one plan of every address.)

/// The not-found page, at the top of the site.
pub const NOT_FOUND: &str = "404.html";
pub const ROBOTS: &str = "robots.txt";
pub const SITEMAP: &str = "sitemap.xml";
/// The HTTP headers file for Netlify and Cloudflare Pages.
pub const HEADERS: &str = "_headers";
/// The site-wide card, for pages without a chart.
pub const SITE_CARD: &str = "social-card.png";
pub const MANIFEST: &str = "manifest.webmanifest";
/// Icons drawn from `static/favicon.svg`: (file, size in pixels).
pub const ICONS: [(&str, u32); 4] = [("favicon.png", 32), ("apple-touch-icon.png", 180), ("icon-192.png", 192), ("icon-512.png", 512)];
/// Each section's feed, inside the section's folder.
pub const FEED: &str = "atom.xml";
/// The folder of figure pages, their images and data, and the press pack at its top.
pub const FIGURES: &str = "figures";
/// The privacy note's folder: written unless the site has a page of its own there.
pub const PRIVACY: &str = "privacy";

/// Every file soapbox writes at the top of the output folder, pages and static files aside.
pub fn top_level_files() -> impl Iterator<Item = &'static str> + Clone {
    [NOT_FOUND, ROBOTS, SITEMAP, HEADERS, SITE_CARD, MANIFEST].into_iter().chain(ICONS.iter().map(|(name, _)| *name))
}

/// Why a page cannot live at `url` (such as `news/launch/`), or `None` when it can. A page is
/// written as `URL/index.html`, a folder, so its address must not be the name of a file
/// soapbox writes, nor of a folder soapbox fills itself.
pub fn page_address_problem(url: &str) -> Option<String> {
    let segments: Vec<&str> = url.split('/').filter(|s| !s.is_empty()).collect();
    let first = *segments.first()?;
    if top_level_files().any(|name| name.eq_ignore_ascii_case(first)) {
        return Some(format!("`/{first}` is a file soapbox writes itself"));
    }
    if first == FIGURES {
        return Some(format!("`/{FIGURES}/` holds the figure pages soapbox writes itself"));
    }
    if let Some(feed) = segments.iter().find(|s| s.eq_ignore_ascii_case(FEED)) {
        return Some(format!("`{feed}` is the name of a section's feed, which soapbox writes itself"));
    }
    let file_like = segments.iter().find(|s| looks_like_a_file(s))?;
    Some(format!("`{file_like}` looks like a file name (such as a stylesheet or an image soapbox writes), but a page's address is a folder"))
}

/// `style.3f9a1c0b.css`, `report.pdf`: a name whose last part after a dot starts with a
/// letter, as every file extension does; `v1.2` is not one.
fn looks_like_a_file(segment: &str) -> bool {
    segment.rsplit_once('.').is_some_and(|(stem, ext)| !stem.is_empty() && ext.starts_with(|c: char| c.is_ascii_alphabetic()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_10_generated_names_are_not_page_addresses() {
        for bad in [
            "robots.txt/",
            "404.html/",
            "sitemap.xml/",
            "_headers/",
            "style.3f9a1c0b.css/",
            "icon-512.png/",
            "manifest.webmanifest/",
            "figures/",
            "figures/x/",
            "news/atom.xml/",
            "news/report.pdf/",
            "Robots.TXT/",
        ] {
            assert!(page_address_problem(bad).is_some(), "{bad}");
        }
        for good in ["", "asks/", "privacy/", "news/v1.2/", "news/launch/", "figures-2018/"] {
            assert_eq!(page_address_problem(good), None, "{good}");
        }
    }
}
