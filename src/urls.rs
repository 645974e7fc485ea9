//! The URL plan: the address of every file and page the build writes besides the site's own
//! pages and static files, and how an address becomes an output path and a link. Render
//! names what it writes from here, check reads the same list for its link targets, and load
//! refuses a page whose address would land on one of them, so no two copies can drift.
//!
//! Addresses are site-relative without a leading slash (`figures/f/`), as output paths are;
//! [`Urls`] places them under the site's base. This module takes plain ids and strings, so
//! that every stage can read it: it sits on the bottom floor and imports nothing of soapbox.

/// The not-found page, at the top of the site.
pub const NOT_FOUND: &str = "404.html";
pub const ROBOTS: &str = "robots.txt";
pub const SITEMAP: &str = "sitemap.xml";
/// The HTTP headers file for Netlify and Cloudflare Pages.
pub const HEADERS: &str = "_headers";
/// The site-wide card, for pages without a chart.
pub const SITE_CARD: &str = "social-card.png";
pub const MANIFEST: &str = "manifest.webmanifest";
/// The script that other sites load with an embed, to size its `<iframe>`: at a stable
/// address (not content-hashed), as embeds pasted years ago still point at it.
pub const EMBED_SCRIPT: &str = "embed.js";
/// Icons drawn from `static/favicon.svg`: (file, size in pixels).
pub const ICONS: [(&str, u32); 4] = [("favicon.png", 32), ("apple-touch-icon.png", 180), ("icon-192.png", 192), ("icon-512.png", 512)];
/// Each section's feed, inside the section's folder.
pub const FEED: &str = "atom.xml";
/// Each language's calendar feed of its upcoming events, at the top of the language, written
/// when the site has events.
pub const CALENDAR: &str = "calendar.ics";
/// The folder of figure pages, their images and data, and the press pack at its top.
pub const FIGURES: &str = "figures";
/// The privacy note's folder: written unless the site has a page of its own there.
pub const PRIVACY: &str = "privacy";
/// The folder of the photos' sizes, each named by its content (`media/march-800.1a2b3c4d.webp`).
pub const MEDIA: &str = "media";
/// The file a page's address is written as, inside the address's folder.
const PAGE_FILE: &str = "index.html";

/// Addresses of the site: relative ones (`/camp/asks/`) and absolute ones
/// (`https://example.org/camp/asks/`).
#[derive(Debug, Clone)]
pub struct Urls {
    pub base_path: String,
    pub base_url: String,
}

impl Urls {
    /// `base_path` is `/camp/` for a `base_url` of `https://example.org/camp/`.
    pub fn new(base_path: String, base_url: String) -> Urls {
        Urls { base_path, base_url }
    }

    /// `path` is site-relative without a leading slash, as output paths are.
    pub fn relative(&self, path: &str) -> String {
        format!("{}{path}", self.base_path)
    }

    pub fn absolute(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }
}

/// The prefix of every address in the language `tag` that is not the site's default: the
/// Welsh pages and figure pages of an English site are under `cy/`.
pub fn language_prefix(tag: &str) -> String {
    format!("{tag}/")
}

/// The output path of the page at `address` (`news/` gives `news/index.html`).
pub fn page_file(address: &str) -> String {
    format!("{address}{PAGE_FILE}")
}

/// The address of the page an output path holds (`news/index.html` gives `news/`), or `None`
/// for a file that is not a page.
pub fn page_address(path: &str) -> Option<&str> {
    path.strip_suffix(PAGE_FILE)
}

/// A section's feed, such as `news/atom.xml`.
pub fn feed(section: &str) -> String {
    format!("{section}{FEED}")
}

/// An event page's calendar file, inside the page's folder and named after it:
/// `events/launch/launch.ics` for the page at `events/launch/` (`local` is its address within
/// its language, which names the file; a language's home gives `event.ics`).
pub fn event_calendar(address: &str, local: &str) -> String {
    let name = local.trim_end_matches('/').rsplit('/').next().filter(|n| !n.is_empty()).unwrap_or("event");
    format!("{address}{name}.ics")
}

/// A page's preview card, when its `image:` is a photo: `news/march/preview.jpg` for the page
/// at `news/march/`, beside its page.
pub fn photo_card(address: &str) -> String {
    format!("{address}preview.jpg")
}

/// The calendar feed of the language whose addresses start with `prefix`.
pub fn calendar(prefix: &str) -> String {
    format!("{prefix}{CALENDAR}")
}

/// The press pack of every figure.
pub fn press_pack() -> String {
    format!("{FIGURES}/")
}

/// The privacy note, unless the site has a page of its own there.
pub fn privacy() -> String {
    format!("{PRIVACY}/")
}

/// A figure's share page.
pub fn figure_page(id: &str) -> String {
    format!("{FIGURES}/{id}/")
}

/// A figure's embed page, for other sites' `<iframe>`s.
pub fn embed_page(id: &str) -> String {
    format!("{FIGURES}/{id}/embed/")
}

/// Whether the output path `path` is an embed page, which other sites may frame.
pub fn is_embed_file(path: &str) -> bool {
    path.ends_with(&format!("/embed/{PAGE_FILE}"))
}

pub fn figure_svg(id: &str) -> String {
    format!("{FIGURES}/{id}.svg")
}

pub fn figure_csv(id: &str) -> String {
    format!("{FIGURES}/{id}.csv")
}

/// What the CSV holds and when (its source, period and dates, its columns), in the W3C's
/// "CSV on the Web" metadata, named as that standard finds it: beside the CSV, with
/// `-metadata.json` added.
pub fn figure_csv_metadata(id: &str) -> String {
    format!("{FIGURES}/{id}.csv-metadata.json")
}

/// A figure's share image at `size`, named as `1200x630`.
pub fn figure_png(id: &str, size: &str) -> String {
    format!("{FIGURES}/{id}-{size}.png")
}

/// Every file soapbox writes at the top of the output folder, pages and static files aside.
pub fn top_level_files() -> impl Iterator<Item = &'static str> + Clone {
    [NOT_FOUND, ROBOTS, SITEMAP, HEADERS, SITE_CARD, MANIFEST, EMBED_SCRIPT].into_iter().chain(ICONS.iter().map(|(name, _)| *name))
}

/// What a reader finds at a generated address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A file: an image, data, a feed.
    File,
    /// A page soapbox makes: the press pack, an embed page, the privacy note.
    Page,
    /// The share page of the figure with this id, which shows the figure, its downloads
    /// and its embed code.
    SharePage(String),
}

/// One address the build writes, and what is there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generated {
    pub path: String,
    pub kind: Kind,
}

/// Every address a build of a site writes besides its own pages and static files, for a site
/// with these figures (by id), sections (by address), share image sizes (`1200x630`) and
/// languages besides the default (by tag). Each of those languages has its own press pack,
/// privacy note, site card and figure pages and files, under its prefix.
pub fn generated<'a>(
    figures: impl IntoIterator<Item = &'a str> + Clone,
    sections: impl IntoIterator<Item = &'a str>,
    image_sizes: &[String],
    languages: &[&str],
) -> Vec<Generated> {
    let at = |path: String, kind: Kind| Generated { path, kind };
    let mut all: Vec<Generated> = top_level_files().map(|name| at(name.to_string(), Kind::File)).collect();
    all.extend(sections.into_iter().filter(|s| !s.is_empty()).map(|s| at(feed(s), Kind::File)));
    let prefixes = std::iter::once(String::new()).chain(languages.iter().map(|tag| language_prefix(tag)));
    for prefix in prefixes {
        let at = |path: String, kind: Kind| at(format!("{prefix}{path}"), kind);
        all.extend([at(press_pack(), Kind::Page), at(privacy(), Kind::Page)]);
        if !prefix.is_empty() {
            all.push(at(SITE_CARD.to_string(), Kind::File));
        }
        for id in figures.clone() {
            all.extend([at(figure_page(id), Kind::SharePage(id.to_string())), at(embed_page(id), Kind::Page)]);
            all.extend([figure_svg(id), figure_csv(id), figure_csv_metadata(id)].into_iter().map(|p| at(p, Kind::File)));
            all.extend(image_sizes.iter().map(|size| at(figure_png(id, size), Kind::File)));
        }
    }
    all
}

/// The generated pages whose folder has the name of a file the build writes, so that it
/// could not write both: the figure `a-1200x630.png` has its pages in
/// `figures/a-1200x630.png/`, where the figure `a` has its share image, and the figure
/// `index.html` has them where the press pack is written.
pub fn folder_clashes(all: &[Generated]) -> Vec<&Generated> {
    let files: std::collections::HashSet<String> = all.iter().map(|g| if g.kind == Kind::File { g.path.clone() } else { page_file(&g.path) }).collect();
    all.iter().filter(|g| g.kind != Kind::File && files.contains(g.path.trim_end_matches('/'))).collect()
}

/// Why a page cannot live at `url` (such as `news/launch/`, an address within its language,
/// without the language's prefix), or `None` when it can. A page is
/// written as `URL/index.html`, a folder, so its address must not be the name of a file
/// soapbox writes, nor of a folder soapbox fills itself.
pub fn page_address_problem(url: &str) -> Option<String> {
    let segments: Vec<&str> = url.split('/').filter(|s| !s.is_empty()).collect();
    let first = *segments.first()?;
    if top_level_files().any(|name| name.eq_ignore_ascii_case(first)) {
        return Some(format!("`/{first}` is a file soapbox writes itself"));
    }
    if first.eq_ignore_ascii_case(CALENDAR) {
        return Some(format!("`/{CALENDAR}` is the calendar feed soapbox writes itself"));
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

/// A share image's size: each figure has one PNG of each of [`SIZES`], named by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageSize {
    pub width: u32,
    pub height: u32,
    /// What the size is for, for download links.
    pub purpose: &'static str,
}

impl ImageSize {
    pub fn name(self) -> String {
        format!("{}x{}", self.width, self.height)
    }
}

/// The link-preview size first: pages point their `og:image` at it.
pub const SIZES: [ImageSize; 3] = [
    ImageSize { width: 1200, height: 630, purpose: "link previews (Facebook, X, LinkedIn, WhatsApp, Bluesky)" },
    ImageSize { width: 1080, height: 1080, purpose: "square posts" },
    ImageSize { width: 1080, height: 1350, purpose: "portrait posts (Instagram)" },
];

/// `dest` as a site path without its leading slash (`asks/`), resolved from `page_url`;
/// `None` when it leaves the site.
pub fn resolve(page_url: &str, dest: &str) -> Option<String> {
    let mut parts: Vec<&str> = if dest.starts_with('/') { Vec::new() } else { page_url.split('/').filter(|s| !s.is_empty()).collect() };
    let trailing = dest.ends_with('/') || dest.is_empty();
    for segment in dest.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    let mut path = parts.join("/");
    if trailing && !path.is_empty() {
        path.push('/');
    }
    Some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_links_from_the_page() {
        assert_eq!(resolve("news/launch/", "/asks/").as_deref(), Some("asks/"));
        assert_eq!(resolve("news/launch/", "../").as_deref(), Some("news/"));
        assert_eq!(resolve("news/launch/", "../../evidence/").as_deref(), Some("evidence/"));
        assert_eq!(resolve("", "../x"), None);
        assert_eq!(resolve("news/", "photo.jpg").as_deref(), Some("news/photo.jpg"));
        assert_eq!(resolve("asks/", "/").as_deref(), Some(""));
    }

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
            "embed.js/",
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

    #[test]
    fn a_figure_has_its_pages_and_files_in_the_figures_folder() {
        assert_eq!(figure_page("f"), "figures/f/");
        assert_eq!(embed_page("f"), "figures/f/embed/");
        assert_eq!(figure_svg("f"), "figures/f.svg");
        assert_eq!(figure_csv("f"), "figures/f.csv");
        assert_eq!(figure_png("f", "1200x630"), "figures/f-1200x630.png");
        assert_eq!(page_file(&embed_page("f")), "figures/f/embed/index.html");
        assert!(is_embed_file(&page_file(&embed_page("f"))));
        assert!(!is_embed_file(&page_file(&figure_page("f"))));
    }

    #[test]
    fn a_page_file_and_its_address_go_both_ways() {
        for address in ["", "news/", "news/launch/"] {
            assert_eq!(page_address(&page_file(address)), Some(address));
        }
        assert_eq!(page_address("style.css"), None);
        assert_eq!(feed("news/"), "news/atom.xml");
    }

    #[test]
    fn the_generated_list_holds_every_file_and_page_and_no_page_address_can_take_one() {
        let all = generated(["f"], ["", "news/", "cy/news/"], &["1200x630".to_string()], &["cy"]);
        let paths: Vec<&str> = all.iter().map(|g| g.path.as_str()).collect();
        for expected in [
            "icon-192.png",
            "icon-512.png",
            "favicon.png",
            "apple-touch-icon.png",
            "manifest.webmanifest",
            "embed.js",
            "social-card.png",
            "sitemap.xml",
            "robots.txt",
            "404.html",
            "_headers",
            "figures/",
            "privacy/",
            "news/atom.xml",
            "figures/f/",
            "figures/f/embed/",
            "figures/f.svg",
            "figures/f.csv",
            "figures/f.csv-metadata.json",
            "figures/f-1200x630.png",
            "cy/figures/",
            "cy/privacy/",
            "cy/social-card.png",
            "cy/news/atom.xml",
            "cy/figures/f/",
            "cy/figures/f/embed/",
            "cy/figures/f.csv",
            "cy/figures/f-1200x630.png",
        ] {
            assert!(paths.contains(&expected), "{expected} is missing from {paths:?}");
        }
        assert!(!paths.contains(&"atom.xml"), "the home page is no section with a feed");
        assert_eq!(all.iter().find(|g| g.path == "figures/f/").map(|g| &g.kind), Some(&Kind::SharePage("f".into())));
        // The privacy note may be replaced by a page of the site's own; nothing else may.
        // A Welsh page's address is checked within its language, without its prefix.
        for g in all.iter().filter(|g| !g.path.ends_with(&privacy())) {
            let path = g.path.strip_prefix("cy/").unwrap_or(&g.path);
            assert!(page_address_problem(path).is_some() || page_address_problem(&format!("{path}/")).is_some(), "{}", g.path);
        }
    }

    #[test]
    fn a_figure_named_as_another_figures_file_clashes() {
        let sizes = ["1200x630".to_string()];
        for id in ["a-1200x630.png", "a.svg", "a.csv", "a.csv-metadata.json", "index.html"] {
            let all = generated(["a", id], [], &sizes, &[]);
            let clashes: Vec<&str> = folder_clashes(&all).iter().map(|g| g.path.as_str()).collect();
            assert_eq!(clashes, [figure_page(id)], "{id}");
        }
        assert!(folder_clashes(&generated(["a", "a-1080x1080.png", "b.svg"], ["news/"], &sizes, &["cy"])).is_empty());
    }

    #[test]
    fn addresses_are_placed_under_the_base() {
        let urls = Urls::new("/camp/".into(), "https://example.org/camp/".into());
        assert_eq!(urls.relative(&figure_page("f")), "/camp/figures/f/");
        assert_eq!(urls.absolute(SITEMAP), "https://example.org/camp/sitemap.xml");
    }
}
