//! What templates see: serialisable views of the site, its pages and its figures, with every
//! address already placed under the base URL.

use crate::chart::image::{ImageSize, SIZES};
use crate::data::Table;
use crate::figure::{Figure, Unit};
use crate::load::{Page, SiteConfig};
use crate::share::{self, ShareLink};
use crate::urls::{self, Urls, SITE_CARD};
use serde::Serialize;

#[derive(Serialize)]
pub struct SiteView<'a> {
    #[serde(flatten)]
    pub config: &'a SiteConfig,
    pub base_path: &'a str,
    /// The home page of the language the page is in.
    pub home: String,
    /// `en_GB`, as Open Graph wants it.
    pub locale: String,
    /// The press pack of every figure, and the privacy note, in the page's language.
    pub figures_url: String,
    pub privacy_url: String,
    /// An Atom feed for each section, for `<link rel="alternate">`.
    pub feeds: Vec<FeedLink>,
    /// What the site's forms collect, why, who holds it and where it goes, in the page's
    /// language, for the privacy note: only when a page of the site has a form.
    pub forms: Option<FormsView>,
    /// The hosts the site's videos play from (`YouTube`), for the privacy note.
    pub video_hosts: Vec<&'static str>,
    /// The language's calendar feed of upcoming events, when the site has events.
    pub calendar_url: Option<String>,
}

/// The site's forms as the privacy note describes them.
#[derive(Serialize, Debug, Clone)]
pub struct FormsView {
    pub controller: String,
    pub purpose: String,
    /// Where answers are posted: the endpoint's host.
    pub host: String,
    /// The fields the forms ask for, each once, by its label.
    pub fields: Vec<String>,
}

impl FormsView {
    /// The forms of `site` as its privacy note in the language `tag` describes them: the
    /// fields of the forms in that language, or of all of them if it has none of its own.
    pub fn of(site: &crate::load::Site, config: &SiteConfig, tag: &str) -> Option<FormsView> {
        use crate::components::Component;
        let settings = config.forms.as_ref()?;
        let words = site.strings.get(tag);
        let lang = (tag != site.config.language).then_some(tag);
        let forms = |own: bool| {
            site.pages.iter().filter(move |p| !own || p.lang.as_deref() == lang).flat_map(|p| p.scanned.components.iter()).filter_map(|(c, _)| {
                if let Component::Form(form) = c {
                    Some(form)
                } else {
                    None
                }
            })
        };
        let all: Vec<&crate::components::form::Form> = if forms(true).next().is_some() { forms(true).collect() } else { forms(false).collect() };
        if all.is_empty() {
            return None;
        }
        let mut fields: Vec<(String, String)> = Vec::new();
        for (name, label) in all.iter().flat_map(|f| f.collects(&words)) {
            if !fields.iter().any(|(n, _)| *n == name) {
                fields.push((name, label));
            }
        }
        Some(FormsView {
            controller: settings.controller.clone(),
            purpose: settings.purpose.clone(),
            host: settings.host(),
            fields: fields.into_iter().map(|(_, label)| label).collect(),
        })
    }
}

/// The hosts that the videos of `site` play from, each once, by name.
pub fn video_hosts(site: &crate::load::Site) -> Vec<&'static str> {
    let mut hosts: Vec<crate::components::video::Host> = site
        .pages
        .iter()
        .flat_map(|p| p.scanned.components.iter())
        .filter_map(|(c, _)| if let crate::components::Component::Video(v) = c { Some(v.host) } else { None })
        .collect();
    hosts.sort();
    hosts.dedup();
    hosts.into_iter().map(|h| h.name()).collect()
}

#[derive(Serialize, Clone, Debug)]
pub struct FeedLink {
    pub title: String,
    pub url: String,
}

impl<'a> SiteView<'a> {
    /// The site as pages in the language whose addresses start with `prefix` see it.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        config: &'a SiteConfig,
        urls: &'a Urls,
        sections: &[&Page],
        prefix: &str,
        forms: Option<FormsView>,
        video_hosts: Vec<&'static str>,
        has_events: bool,
    ) -> SiteView<'a> {
        let feeds =
            sections.iter().map(|s| FeedLink { title: format!("{}: {}", config.title, s.front.title), url: urls.relative(&urls::feed(&s.url)) }).collect();
        SiteView {
            config,
            base_path: &urls.base_path,
            home: urls.relative(prefix),
            locale: config.language.replace('-', "_"),
            figures_url: urls.relative(&format!("{prefix}{}", urls::press_pack())),
            privacy_url: urls.relative(&format!("{prefix}{}", urls::privacy())),
            feeds,
            forms,
            video_hosts,
            calendar_url: has_events.then(|| urls.relative(&urls::calendar(prefix))),
        }
    }
}

/// A picture for link previews.
#[derive(Serialize, Clone, Debug)]
pub struct ImageView {
    /// Absolute, for `og:image`.
    pub url: String,
    /// Site-relative, for `<img>` and downloads.
    pub path: String,
    pub width: u32,
    pub height: u32,
    pub alt: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
}

/// Output path of a figure's share image at `size`, in the language whose addresses start
/// with `prefix`.
pub fn png_path(prefix: &str, id: &str, size: ImageSize) -> String {
    format!("{prefix}{}", urls::figure_png(id, &size.name()))
}

impl ImageView {
    pub fn of_figure(figure: &Figure, description: &str, urls: &Urls, prefix: &str) -> ImageView {
        let size = SIZES[0];
        let path = png_path(prefix, &figure.id, size);
        ImageView {
            url: urls.absolute(&path),
            path: urls.relative(&path),
            width: size.width,
            height: size.height,
            alt: figure.alt.clone().unwrap_or_else(|| format!("{}. {description}", figure.title)),
            kind: "image/png",
        }
    }

    /// A page's own card, made of the photo its front matter names (`path`, from the site root).
    pub fn of_photo(path: &str, alt: &str, urls: &Urls) -> ImageView {
        let size = SIZES[0];
        ImageView { url: urls.absolute(path), path: urls.relative(path), width: size.width, height: size.height, alt: alt.to_string(), kind: "image/jpeg" }
    }

    /// The site card in the language whose addresses start with `prefix`, from the site's
    /// words in that language.
    pub fn site_card(config: &SiteConfig, urls: &Urls, prefix: &str) -> ImageView {
        let size = SIZES[0];
        let alt = match &config.tagline {
            Some(t) => format!("{}: {t}", config.title),
            None => config.title.clone(),
        };
        let path = format!("{prefix}{SITE_CARD}");
        ImageView { url: urls.absolute(&path), path: urls.relative(&path), width: size.width, height: size.height, alt, kind: "image/png" }
    }
}

#[derive(Serialize, Clone, Debug)]
pub struct Download {
    pub label: String,
    pub url: String,
    pub format: &'static str,
}

/// The language of each of a figure's own words where it is not the page's: a Welsh page
/// shows the file's English title when the file gives none in Welsh, and marks it with `lang`.
#[derive(Serialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct WordsLang {
    pub title: Option<String>,
    pub subtitle: Option<String>,
    pub source: Option<String>,
    pub note: Option<String>,
}

impl WordsLang {
    /// For `figure` shown in `tag`, its file's words being in `default` where its
    /// translations into `tag` give none.
    pub fn of(figure: &Figure, tag: &str, default: &str) -> WordsLang {
        if tag == default {
            return WordsLang::default();
        }
        let missing = figure.missing_words(tag);
        let own = |field: &str| missing.contains(&field).then(|| default.to_string());
        WordsLang { title: own("title"), subtitle: own("subtitle"), source: own("source"), note: own("note") }
    }
}

/// Everything a template needs to show, share and offer one figure.
#[derive(Serialize, Clone, Debug)]
pub struct FigureView {
    pub id: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub source: String,
    pub source_url: Option<String>,
    pub note: Option<String>,
    /// The period the data covers and when it was published, in words.
    pub dated: Option<String>,
    pub unit: Unit,
    /// The inline SVG, already accessible; output it with `| safe`.
    pub svg: String,
    /// The chart in words.
    pub description: String,
    pub table: Table,
    pub share: Vec<ShareLink>,
    /// The share page, relative and absolute.
    pub url: String,
    pub permalink: String,
    pub embed_url: String,
    /// The embed page's link back to the share page.
    pub embed_link: String,
    /// A copyable `<iframe>` for bloggers and newspapers, and the script from this site that
    /// keeps the frame as tall as the chart.
    pub embed_snippet: String,
    pub image: ImageView,
    pub downloads: Vec<Download>,
    /// Where its own words are in another language than the page's.
    pub words_lang: WordsLang,
}

impl FigureView {
    /// The figure in the language whose addresses start with `prefix` (`figure` is already
    /// in that language: see [`Figure::translated`]).
    pub fn new(figure: &Figure, svg: String, height: u32, urls: &Urls, prefix: &str, hashtag: Option<&str>, site_title: &str) -> FigureView {
        let description = crate::chart::describe(figure);
        let words = &*figure.strings;
        let at = |address: String| format!("{prefix}{address}");
        let page = at(urls::figure_page(&figure.id));
        let permalink = urls.absolute(&page);
        let embed = urls.absolute(&at(urls::embed_page(&figure.id)));
        let mut downloads = vec![Download { label: words.get("download_svg"), url: urls.relative(&at(urls::figure_svg(&figure.id))), format: "SVG" }];
        for size in SIZES {
            downloads.push(Download {
                label: words.get(&format!("download_png_{}x{}", size.width, size.height)),
                url: urls.relative(&png_path(prefix, &figure.id, size)),
                format: "PNG",
            });
        }
        downloads.push(Download { label: words.get("download_csv"), url: urls.relative(&at(urls::figure_csv(&figure.id))), format: "CSV" });
        downloads.push(Download { label: words.get("download_metadata"), url: urls.relative(&at(urls::figure_csv_metadata(&figure.id))), format: "JSON" });
        let embed_link = words.fill("embed_link", &[("site", site_title)]);
        // A 320 px frame shows the chart's narrowest layout, the first of the page's SVGs.
        let (narrow_width, _) = crate::chart::BANDS[0];
        let narrow = svg.find("<svg").and_then(|at| crate::chart::height_of(&svg[at..])).map_or((height, crate::chart::WIDTH), |h| (h, narrow_width));
        let frame_height =
            fallback_height(figure, narrow, &[&format!("{} {}", words.get("source"), figure.source), &figure.dated().unwrap_or_default(), &embed_link]);
        let embed_snippet = format!(
            "<iframe src=\"{embed}\" title=\"{}\" data-soapbox-embed=\"{}\" width=\"100%\" height=\"{frame_height}\" style=\"border:0;width:100%;max-width:40rem\" loading=\"lazy\"></iframe>\n<script src=\"{}\" async></script>",
            crate::escape::xml(&figure.title),
            crate::escape::xml(&figure.id),
            urls.absolute(urls::EMBED_SCRIPT),
        );
        FigureView {
            id: figure.id.clone(),
            title: figure.title.clone(),
            subtitle: figure.subtitle.clone(),
            source: figure.source.clone(),
            source_url: figure.source_url.clone(),
            note: figure.note.clone(),
            dated: figure.dated(),
            unit: figure.unit,
            svg,
            image: ImageView::of_figure(figure, &description, urls, prefix),
            description: figure.alt.clone().unwrap_or(description),
            table: Table::of(figure),
            share: share::links(&figure.title, &permalink, hashtag),
            url: urls.relative(&page),
            permalink,
            embed_url: embed,
            embed_link,
            embed_snippet,
            downloads,
            words_lang: WordsLang::default(),
        }
    }
}

/// The narrowest frame an embed is made to fit without its script: a 320 px phone.
pub const NARROWEST_FRAME: f64 = 320.0;

/// The height an embed's `<iframe>` gets before its script sets it, or without the script:
/// enough for the chart, its title and subtitle, and the `lines` under it (its source, dates
/// and link back) in a frame [`NARROWEST_FRAME`] wide, the chart drawn `chart_height` units tall
/// in [`crate::chart::WIDTH`]. Text lines are counted on the safe side (fewer characters to a
/// line than the site's fonts fit), so wider frames only have room to spare. The lengths
/// follow the embed page's template and stylesheet; the browser tests measure the result.
/// `chart` is the drawn height of the chart and the width it was drawn at, in units.
pub fn fallback_height(figure: &Figure, chart: (u32, u32), lines: &[&str]) -> u32 {
    // The page's side padding, 0.75rem each side.
    let chart_width = NARROWEST_FRAME - 24.0;
    let wrapped = |text: &str, per_line: usize| text.chars().count().div_ceil(per_line).max(1) as f64;
    let chart = f64::from(chart.0) * chart_width / f64::from(chart.1);
    // The figure's border and padding, the caption's margin, the title's margin.
    let mut text = 4.0 + 16.0 + 20.0 + 16.0 + 4.0;
    // The title at 19 px bold (24.7 px lines), the subtitle at 17 px (27.2 px lines).
    text += wrapped(&figure.title, 22) * 24.7;
    text += figure.subtitle.as_deref().map_or(0.0, |s| wrapped(s, 28) * 27.2);
    // Each line under the chart at 14 px (22.4 px lines), 12 px apart.
    text += lines.iter().filter(|l| !l.is_empty()).map(|l| 12.0 + wrapped(l, 32) * 22.4).sum::<f64>();
    // Rounding in the layout, and a little air.
    (chart + text + 16.0).ceil() as u32
}

#[derive(Serialize, Clone)]
pub struct PageView {
    pub title: String,
    pub description: Option<String>,
    pub date: Option<String>,
    pub date_display: Option<String>,
    pub url: String,
    pub permalink: String,
    pub summary: String,
    pub kind: &'static str,
    pub weight: Option<i64>,
    pub image: ImageView,
    /// The site's own scripts and stylesheets the page needs for its components (`form.js`
    /// and `form.css`, `video.js` and `video.css`), by their names in `static/`, for
    /// `asset()`: pages without them stay lighter.
    pub scripts: Vec<&'static str>,
    pub styles: Vec<&'static str>,
    /// When, where and how to join, for a page that is an event.
    pub event: Option<super::calendar::EventView>,
}

impl PageView {
    pub fn new(page: &Page, html: &str, urls: &Urls, image: ImageView, language: crate::strings::Language) -> PageView {
        let summary = page.front.description.clone().unwrap_or_else(|| first_paragraph(html));
        PageView {
            title: page.front.title.clone(),
            description: page.front.description.clone(),
            date: page.date.map(|d| d.iso()),
            date_display: page.date.map(|d| d.display(language)),
            url: urls.relative(&page.url),
            permalink: urls.absolute(&page.url),
            summary,
            kind: if page.is_section { "section" } else { "page" },
            weight: page.front.weight,
            image,
            scripts: Vec::new(),
            styles: Vec::new(),
            event: None,
        }
    }

    /// A page soapbox makes itself (a share page, the press pack).
    pub fn generated(title: &str, description: &str, path: &str, urls: &Urls, image: ImageView) -> PageView {
        PageView {
            title: title.to_string(),
            description: Some(description.to_string()),
            date: None,
            date_display: None,
            url: urls.relative(path),
            permalink: urls.absolute(path),
            summary: description.to_string(),
            kind: "generated",
            weight: None,
            image,
            scripts: Vec::new(),
            styles: Vec::new(),
            event: None,
        }
    }
}

/// The text of the first paragraph, as a plain-text summary of about 200 characters at most.
pub fn first_paragraph(html: &str) -> String {
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
pub struct NavItem<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub current: bool,
    /// The campaign's main action (`primary: true`): shown as a button in the header.
    pub primary: bool,
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
