//! Load: reads a site folder into a typed [`Site`].
//!
//! It owns everything that touches the source folders: `content/site.yaml`, the pages under
//! `content/`, the figures under `content/figures/`, and the templates and static files, each
//! merged over the built-in theme. Every item keeps the file it came from, so later stages can
//! point at it. Load validates what can be known from one file alone (keys, types, figure
//! rules, front matter); references between files are the `check` stage's job.

use crate::error::{Error, LineIndex, Location, Result};
use crate::figure::{Figure, Quotable};
use crate::layouts::{Layout, Layouts};
use crate::markdown::{self, Scanned};
use crate::numbers::Style;
use crate::strings::{Language, SiteStrings, Strings};
use crate::theme;
use crate::web::is_web_address;
use crate::yaml::{self, YamlText};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fs;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// The largest source file soapbox reads. Larger files are refused before they are read.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Everything a build needs, read and validated file by file.
#[derive(Debug, Clone)]
pub struct Site {
    pub root: PathBuf,
    pub config: SiteConfig,
    /// Pages in URL order, drafts left out.
    pub pages: Vec<Page>,
    pub figures: BTreeMap<String, Figure>,
    /// Figures whose files exist but did not load (their errors are reported on their own).
    pub broken_figures: std::collections::BTreeSet<String>,
    pub templates: BTreeMap<String, Source<String>>,
    pub static_files: BTreeMap<String, Source<Cow<'static, [u8]>>>,
    /// The photos in `content/` that pages show, by path from the site root
    /// (`content/news/march.jpg`): only those, so a folder of unused originals is never read.
    /// A photo in `static/` is among the static files.
    pub photos: BTreeMap<String, Arc<Vec<u8>>>,
    /// The theme's words in each of the site's languages, its own strings files over the
    /// built-in ones (see [`site_strings`]).
    pub strings: SiteStrings,
}

/// A file's contents and where they came from: the site's own file, or the built-in theme.
#[derive(Debug, Clone)]
pub struct Source<T> {
    pub content: T,
    /// The path relative to the site root, such as `templates/base.html`.
    pub file: PathBuf,
    pub built_in: bool,
}

/// `content/site.yaml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    #[serde(default)]
    pub tagline: Option<String>,
    pub description: String,
    pub base_url: String,
    pub language: String,
    #[serde(default)]
    pub hashtag: Option<String>,
    pub organisation: String,
    #[serde(default)]
    pub organisation_url: Option<String>,
    /// A "Quick exit" link on every page, to a neutral site, for readers who may be watched.
    #[serde(default)]
    pub quick_exit: Option<QuickExit>,
    /// The site's chart colours (brand colours), in series order, for every chart whose
    /// figure does not set its own; the built-in palette gives the rest.
    #[serde(default, skip_serializing, deserialize_with = "crate::colour::set_colours")]
    pub palette: Vec<crate::colour::SetColour>,
    /// The share images' colours and logo.
    #[serde(default)]
    pub brand: Option<crate::brand::Look>,
    /// Where the site's forms post, who holds what they collect and why. Templates see it as
    /// `site.forms` only on a site that has a form (see the render's site view).
    #[serde(default, skip_serializing)]
    pub forms: Option<crate::components::form::Settings>,
    /// The widths photos are made in, and how hard they are compressed.
    #[serde(default)]
    pub photos: crate::photo::Settings,
    /// The site's other languages, by tag, each with the site's own words in it; `language`
    /// is the first. A page's translation into one is `NAME.TAG.md` beside it.
    #[serde(default)]
    pub languages: BTreeMap<String, SiteWords>,
    /// Free-form settings for templates.
    #[serde(default)]
    pub extra: BTreeMap<String, yaml::Value>,
    /// The `base_url` that site.yaml gives, kept when the preview or a preview deploy
    /// replaces `base_url`: share images print it, so they are the same pictures (and the
    /// same cache entries) wherever the site is built.
    #[serde(skip)]
    pub published_url: Option<String>,
    /// The tagline and description as written, when they quote values (see [`fill_texts`]).
    #[serde(skip)]
    pub written: Option<Quoting>,
}

/// The site's own words in one of its other languages (`languages:` in site.yaml); each
/// one not given is the default language's.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SiteWords {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub tagline: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub organisation: Option<String>,
    /// The Quick exit button's words; else the language's strings file gives them.
    #[serde(default)]
    pub quick_exit: Option<String>,
    /// Who holds what forms collect, and why, in this language.
    #[serde(default)]
    pub forms: Option<crate::components::form::Words>,
}

/// `quick_exit:` in site.yaml.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct QuickExit {
    /// Where the link goes: a neutral page such as a weather or search site.
    pub url: String,
    /// The button's words; empty, the page's language gives them (`quick_exit` in the
    /// strings file).
    #[serde(default)]
    pub label: String,
}

impl SiteConfig {
    /// Every language of the site, the default first.
    pub fn all_languages(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.language.as_str()).chain(self.languages.keys().map(String::as_str))
    }

    /// The language of `page`: its own, or the site's default.
    pub fn language_of<'a>(&'a self, page: &'a Page) -> &'a str {
        page.lang.as_deref().unwrap_or(&self.language)
    }

    /// The prefix of the addresses in the language `tag`: none for the default language,
    /// `cy/` for Welsh on an English site.
    pub fn prefix_of(&self, tag: &str) -> String {
        if tag == self.language {
            String::new()
        } else {
            crate::urls::language_prefix(tag)
        }
    }

    /// The config as a page in `lang` shows it: the site's words in that language where
    /// site.yaml gives them.
    pub fn in_language(&self, lang: &str) -> SiteConfig {
        let mut config = self.clone();
        if let Some(words) = self.languages.get(lang) {
            let SiteWords { title, tagline, description, organisation, quick_exit, forms } = words.clone();
            if let (Some(settings), Some(words)) = (config.forms.as_mut(), forms) {
                settings.controller = words.controller.unwrap_or(settings.controller.clone());
                settings.purpose = words.purpose.unwrap_or(settings.purpose.clone());
            }
            config.title = title.unwrap_or(config.title);
            config.tagline = tagline.or(config.tagline);
            config.description = description.unwrap_or(config.description);
            config.organisation = organisation.unwrap_or(config.organisation);
            // The default language's label is in that language: without one of its own,
            // the language's strings file gives the words.
            if let Some(exit) = config.quick_exit.as_mut() {
                exit.label = quick_exit.unwrap_or_default();
            }
            config.language = lang.to_string();
        }
        config
    }

    /// The path part of `base_url`, always starting and ending with `/`.
    pub fn base_path(&self) -> String {
        let after_scheme = self.base_url.split_once("://").map_or("", |(_, rest)| rest);
        let path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
        let trimmed = path.trim_matches('/');
        if trimmed.is_empty() {
            "/".to_string()
        } else {
            format!("/{trimmed}/")
        }
    }
}

/// A page's front matter.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub draft: bool,
    #[serde(default)]
    pub weight: Option<i64>,
    /// What previews this page when it is shared: a figure's id, or a photo (`march.jpg`
    /// beside the page, `/photos/march.jpg` in `static/`).
    #[serde(default)]
    pub image: Option<String>,
    /// What the preview photo shows, for readers who cannot see it.
    #[serde(default)]
    pub image_alt: Option<String>,
    /// The point of the preview photo to keep in its crop: `30% 40%` (across, then down).
    #[serde(default)]
    pub focus: Option<String>,
    /// A shorter title for the navigation menu.
    #[serde(default)]
    pub nav_title: Option<String>,
    /// The page of the campaign's main action: every page's header links to it as a button.
    #[serde(default)]
    pub primary: bool,
    #[serde(default)]
    pub slug: Option<String>,
    #[serde(default)]
    pub template: Option<String>,
    /// When the page goes live; a build before then leaves it out everywhere.
    #[serde(default)]
    pub publish_at: Option<crate::moment::Moment>,
    /// When the page comes down; a build from then on leaves it out everywhere.
    #[serde(default)]
    pub expire_at: Option<crate::moment::Moment>,
    /// The page is an event: when, where and how to join.
    #[serde(default)]
    pub event: Option<crate::event::Event>,
}

impl FrontMatter {
    /// The page's own `publish_at` and `expire_at` (a translation may take the rest from its
    /// page: see `schedule`).
    pub fn schedule(&self) -> crate::moment::Schedule {
        crate::moment::Schedule { publish_at: self.publish_at, expire_at: self.expire_at }
    }
}

/// A calendar date from front matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD`, checking that the day exists.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.trim().splitn(3, '-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let (year, month, day): (u16, u8, u8) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        (1..=12).contains(&month).then_some(())?;
        (1..=days[month as usize - 1]).contains(&day).then_some(())?;
        Some(Date { year, month, day })
    }

    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// `12 April 2018`, `12 Ebrill 2018`: in `language`.
    pub fn display(self, language: crate::strings::Language) -> String {
        language.date(self.year, Some(self.month), Some(self.day))
    }
}

/// One Markdown file, with its front matter parsed and its embeds found.
#[derive(Debug, Clone)]
pub struct Page {
    /// `content/news/launch.md`, relative to the site root.
    pub file: PathBuf,
    pub text: String,
    /// Byte offset where the Markdown body starts, after the front matter.
    pub body_start: usize,
    pub front: FrontMatter,
    pub date: Option<Date>,
    /// Site-relative URL path without the base path: `""` for the home page, `news/launch/`.
    pub url: String,
    /// The content folder the page sits in: `""` at the top, `news` for `content/news/`.
    pub dir: String,
    /// A folder's `_index.md`: a listing of that folder's pages.
    pub is_section: bool,
    /// The page's language when it is not the site's default: `cy` for `about.cy.md`, whose
    /// address then starts `cy/`.
    pub lang: Option<String>,
    /// What its translations share: its file's path without the language (`content/about.md`).
    pub translation: String,
    /// The body's embeds, heading ids and links.
    pub scanned: Scanned,
    /// A key of `text`, and of the values its title and description quote, so that a render
    /// can tell an edited page without reading it through.
    pub hash: u64,
    /// The title and description as written, when they quote values (see [`fill_texts`]).
    pub written: Option<Quoting>,
    /// A key of `file`, to find the page's earlier work quickly.
    pub id: u64,
    /// A key of the page's address and the ids a link may name on it: while no page's
    /// changes, links elsewhere need no new check.
    pub anchors: u64,
    /// Made on the first error in the page, so that each further one is placed without
    /// reading the page from its start again.
    lines: std::sync::OnceLock<LineIndex>,
}

impl Page {
    /// The page's address within its language: `take-action/` for `cy/take-action/`.
    pub fn local_url(&self) -> &str {
        match &self.lang {
            Some(tag) => self.url.strip_prefix(tag.as_str()).and_then(|u| u.strip_prefix('/')).unwrap_or(&self.url),
            None => &self.url,
        }
    }

    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// Where byte `offset` of the body is, for error messages.
    pub fn locate(&self, offset: usize, len: usize) -> Location {
        let lines = self.lines.get_or_init(|| LineIndex::new(&self.text));
        Location::indexed(&self.file, &self.text, lines, self.body_start + offset, len)
    }

    /// The photos the page shows, each as the path of its file from the site root (see
    /// [`photo_path`]) with the span of the image in the body, or `None` for the preview
    /// photo its front matter names.
    pub fn photos(&self) -> impl Iterator<Item = (String, Option<Range<usize>>)> + '_ {
        let shown = self.scanned.links.iter().filter(|l| l.image_alt.is_some()).filter_map(|l| Some((photo_path(&self.dir, &l.dest)?, Some(l.span.clone()))));
        shown.chain(self.preview_photo().map(|path| (path, None)))
    }

    /// The photo the page's `image:` names for its link preview (`content/news/march.jpg`), or
    /// `None` when it names a figure or nothing.
    pub fn preview_photo(&self) -> Option<String> {
        self.front.image.as_deref().and_then(|image| photo_path(&self.dir, image))
    }

    /// What gives the page its address: its `slug:` when it has one, else its file name.
    pub fn address_location(&self) -> Location {
        match self.front.slug.as_ref().and_then(|_| self.text[..self.body_start].find("slug:")) {
            Some(offset) => Location::in_text(&self.file, &self.text, offset, 4, 1),
            None => Location::file(&self.file),
        }
    }
}

/// Reads the site at `root`, failing on the first file that cannot be read.
pub fn load(root: &Path) -> Result<Site> {
    let (site, problems) = load_partial(root)?;
    match Error::collect(problems) {
        Some(all) => Err(all),
        None => Ok(site),
    }
}

/// Reads the site at `root` as far as it can: the files that loaded, and the problems of the
/// ones that did not, so that `check` can report everything at once. Only a missing or
/// broken `site.yaml`, templates or static files stop it.
pub fn load_partial(root: &Path) -> Result<(Site, Vec<Error>)> {
    let mut reader = Reader::new(root)?;
    let config = reader.config()?;
    reader.style = Style::of_language(&config.language);
    reader.language = Language::or_english(&config.language);
    reader.palette.clone_from(&config.palette);
    reader.languages = config.languages.keys().cloned().collect();
    let (page_files, figure_files) = reader.content_files()?;
    let templates = reader.templates()?;
    // Before the figures, which write the site's words.
    reader.strings = site_strings(&config, &templates);
    // Every file is read even when an earlier one fails, so all problems are reported at once.
    let mut errors = Vec::new();
    reader.layouts = reader.layouts(&mut errors)?;
    let pages: Vec<Result<Option<Page>>> = page_files.par_iter().map(|file| reader.page(file)).collect();
    let mut pages: Vec<Page> = keep_ok(pages, &mut errors).into_iter().flatten().collect();
    sort_pages(&mut pages);
    let figures: Vec<Result<(String, Figure)>> = figure_files.par_iter().map(|file| reader.figure(file)).collect();
    let mut figures: BTreeMap<String, Figure> = keep_ok(figures, &mut errors).into_iter().collect();
    errors.extend(crate::figure::fill_texts(&mut figures));
    let broken_figures =
        figure_files.iter().filter_map(|f| f.file_stem()).map(|s| s.to_string_lossy().into_owned()).filter(|id| !figures.contains_key(id)).collect();
    let static_files = reader.static_files()?;
    let strings = std::mem::take(&mut reader.strings);
    let mut site = Site { root: root.to_path_buf(), config, pages, figures, broken_figures, templates, static_files, photos: BTreeMap::new(), strings };
    site.read_photos(&reader);
    errors.extend(fill_texts(&mut site));
    Ok((site, errors))
}

/// Two texts a reader sees that may quote figures (a page's title and description, or the
/// site's tagline and description), as written, with where each stands in its file.
#[derive(Debug, Clone, PartialEq)]
pub struct Quoting {
    texts: [(&'static str, Option<String>, Option<Location>); 2],
    /// The key of the file the texts came from.
    hash: u64,
}

impl Quoting {
    /// The text of `key` as written.
    pub fn text(&self, key: &str) -> Option<&str> {
        self.texts.iter().find(|(k, _, _)| *k == key).and_then(|(_, text, _)| text.as_deref())
    }

    /// Each text as written, by its key, with where it stands in its file.
    pub fn written(&self) -> impl Iterator<Item = (&'static str, &str, Option<&Location>)> {
        self.texts.iter().filter_map(|(key, text, place)| text.as_deref().map(|t| (*key, t, place.as_ref())))
    }

    /// The texts as written, if either quotes anything.
    fn of(file: &Path, source: &str, texts: [(&'static str, Option<&String>); 2], hash: u64) -> Option<Quoting> {
        if texts.iter().all(|(_, text)| text.is_none_or(|t| !t.contains("{{"))) {
            return None;
        }
        let place = |key: &str| {
            let offset = source.match_indices(&format!("{key}:")).find(|(i, _)| *i == 0 || source[..*i].ends_with('\n')).map(|(i, _)| i)?;
            Some(Location::in_text(file, source, offset, key.len(), 1))
        };
        let texts = texts.map(|(key, text)| (key, text.cloned(), place(key)));
        Some(Quoting { texts, hash })
    }

    /// The texts with their calls filled from `figures`, or the problems of the calls.
    fn filled(&self, file: &Path, figures: Quotable) -> std::result::Result<[Option<String>; 2], Vec<Error>> {
        let mut problems = Vec::new();
        let out = self.texts.clone().map(|(_, text, place)| {
            let text = text?;
            let locate = |_| place.clone().unwrap_or_else(|| Location::file(file));
            match crate::figure::fill(&text, None, figures, &locate) {
                Ok(filled) => Some(filled),
                Err(e) => {
                    problems.push(e);
                    None
                }
            }
        });
        if problems.is_empty() {
            Ok(out)
        } else {
            Err(problems)
        }
    }
}

/// Fills the `{{ value(…) }}` calls in the site's tagline and description and in every page's
/// title and description from the figures, so that the menus, listings, feeds, meta tags and
/// share links that show them carry the data's numbers. A page's key then covers what it
/// quotes. Gives the problems of calls that quote nothing.
pub fn fill_texts(site: &mut Site) -> Vec<Error> {
    let mut problems = Vec::new();
    let config_file = Path::new("content/site.yaml");
    if let Some(written) = site.config.written.clone() {
        match written.filled(config_file, Quotable::of(&site.figures)) {
            Ok([tagline, description]) => {
                site.config.tagline = tagline;
                site.config.description = description.unwrap_or_default();
            }
            Err(found) => problems.extend(found),
        }
    }
    // A page in another language quotes the figures in its language: they are translated once
    // for each language whose pages' titles or descriptions quote any.
    let tags: std::collections::BTreeSet<&str> = site.pages.iter().filter(|p| p.written.is_some()).filter_map(|p| p.lang.as_deref()).collect();
    let in_language: BTreeMap<String, BTreeMap<String, Figure>> =
        tags.into_iter().map(|tag| (tag.to_string(), site.figures.iter().map(|(id, f)| (id.clone(), f.translated(tag))).collect())).collect();
    for page in &mut site.pages {
        let Some(written) = &page.written else { continue };
        let figures = Quotable { figures: &site.figures, translated: page.lang.as_ref().and_then(|tag| in_language.get(tag)) };
        match written.filled(&page.file, figures) {
            Ok([title, description]) => {
                page.front.title = title.unwrap_or_default();
                page.front.description = description;
                page.hash = crate::hash::key((written.hash, &page.front.title, &page.front.description));
            }
            Err(found) => problems.extend(found),
        }
    }
    problems
}

/// What [`Site::reload`] did with a batch of changed files.
pub enum Reloaded {
    /// Every file was read again, and the site is what [`load_partial`] would read now, with
    /// the problems of the files that did not load, which it would give too. A file of the
    /// site's settings, templates or static files that did not load keeps its last good
    /// version; those are in `failed`, with the pages and figures that did not, to read
    /// again.
    Applied { problems: Vec<Error>, failed: Vec<PathBuf> },
    /// A folder came or went: load the whole site again.
    Everything,
}

impl Site {
    /// The pages by what their translations share ([`Page::translation`]): each page's
    /// versions in every language it has, by page index.
    pub fn translations(&self) -> std::collections::HashMap<&str, Vec<usize>> {
        let mut by_translation: std::collections::HashMap<&str, Vec<usize>> = std::collections::HashMap::new();
        for (i, page) in self.pages.iter().enumerate() {
            by_translation.entry(page.translation.as_str()).or_default().push(i);
        }
        by_translation
    }

    /// Reads again the files at `changed` (paths relative to the site root), however many,
    /// applying each: a batch of saves is never applied only up to its first broken file.
    pub fn reload(&mut self, changed: &[PathBuf]) -> Result<Reloaded> {
        let mut reader = Reader::new(&self.root)?;
        reader.style = Style::of_language(&self.config.language);
        reader.language = Language::or_english(&self.config.language);
        reader.palette.clone_from(&self.config.palette);
        reader.languages = self.config.languages.keys().cloned().collect();
        reader.strings = self.strings.clone();
        let (mut problems, mut failed) = (Vec::new(), Vec::new());
        // A layout that changed loads the whole site again (below), which reports its problems.
        reader.layouts = reader.layouts(&mut Vec::new())?;
        let (mut templates, mut statics) = (Vec::new(), Vec::new());
        let figures_changed = changed.iter().any(|rel| is_figure(rel));
        for rel in changed {
            let read = if rel == Path::new("content/site.yaml") {
                match reader.config() {
                    // Every figure's numbers are written the way the language writes them.
                    Ok(config) if Style::of_language(&config.language) != reader.style => return Ok(Reloaded::Everything),
                    // And soapbox's words for them are in the language.
                    Ok(config) if Language::or_english(&config.language) != reader.language => return Ok(Reloaded::Everything),
                    // Every chart without colours of its own is drawn in the site's palette.
                    Ok(config) if config.palette != reader.palette => return Ok(Reloaded::Everything),
                    // Which files are pages in which language, and at which address.
                    Ok(config) if !config.languages.keys().eq(reader.languages.iter()) => return Ok(Reloaded::Everything),
                    Ok(config) => {
                        self.config = config;
                        Ok(())
                    }
                    Err(e) => Err(e),
                }
            } else if is_figure(rel) {
                self.reload_figure(&reader, rel)
            } else if rel.starts_with("content") && is_page(rel) {
                self.reload_page(&reader, rel)
            } else if rel.starts_with("templates/strings") {
                // Every figure writes the site's words, and its key follows them.
                return Ok(Reloaded::Everything);
            } else if rel.starts_with("templates") {
                templates.push(rel.clone());
                Ok(())
            } else if rel.starts_with("static") {
                statics.push(rel.clone());
                Ok(())
            } else if rel.starts_with("content") && crate::photo::is_photo_name(&rel.to_string_lossy()) {
                // Read again below when a page shows it.
                self.photos.remove(&*rel.to_string_lossy());
                Ok(())
            } else if rel.starts_with("content") {
                return Ok(Reloaded::Everything);
            } else {
                Ok(())
            };
            if let Err(e) = read {
                problems.push(e);
                failed.push(rel.clone());
            }
        }
        if figures_changed {
            // A figure's texts may quote another figure.
            problems.extend(crate::figure::fill_texts(&mut self.figures));
        }
        // Pages and site.yaml quote figures; filling a text that quotes nothing costs nothing.
        problems.extend(fill_texts(self));
        if !templates.is_empty() {
            match reader.templates() {
                Ok(loaded) => self.templates = loaded,
                Err(e) => {
                    problems.push(e);
                    failed.extend(templates);
                }
            }
        }
        if !statics.is_empty() {
            match reader.static_files() {
                Ok(loaded) => self.static_files = loaded,
                Err(e) => {
                    problems.push(e);
                    failed.extend(statics);
                }
            }
        }
        self.read_photos(&reader);
        Ok(Reloaded::Applied { problems, failed })
    }

    /// Reads the photos in `content/` that pages show and are not read yet, and forgets those
    /// no page shows any more. One that is missing or cannot be read is left out: `check`
    /// reports it at the page that shows it.
    fn read_photos(&mut self, reader: &Reader) {
        let wanted: std::collections::BTreeSet<String> =
            self.pages.iter().flat_map(|p| p.photos().map(|(path, _)| path)).filter(|path| path.starts_with("content/")).collect();
        self.photos.retain(|path, _| wanted.contains(path));
        for path in wanted {
            if let std::collections::btree_map::Entry::Vacant(entry) = self.photos.entry(path) {
                if let Ok(bytes) = reader.read_bytes(Path::new(entry.key())) {
                    entry.insert(Arc::new(bytes));
                }
            }
        }
    }

    /// The bytes of the photo at `path` (from the site root: `content/news/march.jpg` or
    /// `static/photos/march.jpg`), when the site has it.
    pub fn photo(&self, path: &str) -> Option<&[u8]> {
        match path.strip_prefix("static/") {
            Some(file) => self.static_files.get(file).map(|f| &*f.content),
            None => self.photos.get(path).map(|b| b.as_slice()),
        }
    }

    /// Reads the figure file at `rel` again; one that is gone or broken leaves the site, as
    /// [`load_partial`] leaves it out.
    fn reload_figure(&mut self, reader: &Reader, rel: &Path) -> Result<()> {
        let id = rel.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        self.figures.remove(&id);
        self.broken_figures.remove(&id);
        if !self.root.join(rel).is_file() {
            return Ok(());
        }
        match reader.figure(rel) {
            Ok((id, figure)) => {
                self.figures.insert(id, figure);
                Ok(())
            }
            Err(e) => {
                self.broken_figures.insert(id);
                Err(e)
            }
        }
    }

    /// Reads the page file at `rel` again; one that is gone, a draft or broken leaves the
    /// site, as [`load_partial`] leaves it out.
    fn reload_page(&mut self, reader: &Reader, rel: &Path) -> Result<()> {
        let read = if self.root.join(rel).is_file() { reader.page(rel) } else { Ok(None) };
        let at = self.pages.iter().position(|p| p.file == rel);
        match (at, read) {
            // An edit that keeps the address: the page keeps its place.
            (Some(i), Ok(Some(page))) if self.pages[i].url == page.url => self.pages[i] = page,
            (_, read) => {
                self.pages.retain(|p| p.file != rel);
                let page = read?;
                self.pages.extend(page);
                sort_pages(&mut self.pages);
            }
        }
        Ok(())
    }
}

/// Pages in URL order, the order every later stage visits them in.
pub fn sort_pages(pages: &mut [Page]) {
    pages.sort_by(|a, b| a.url.cmp(&b.url).then_with(|| a.file.cmp(&b.file)));
}

/// The values that loaded, with the errors of the rest moved into `errors`.
fn keep_ok<T>(results: Vec<Result<T>>, errors: &mut Vec<Error>) -> Vec<T> {
    let mut ok = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(value) => ok.push(value),
            Err(e) => errors.push(e),
        }
    }
    ok
}

pub fn is_page(p: &Path) -> bool {
    p.extension().is_some_and(|e| e == "md")
}

pub fn is_figure(p: &Path) -> bool {
    p.parent() == Some(Path::new("content/figures")) && p.extension().is_some_and(|e| e == "yaml" || e == "yml")
}

fn not_utf8(file: &Path) -> Error {
    Error::new("this file is not UTF-8 text").in_file(file).hint("save it as UTF-8 in your editor")
}

/// Source text as soapbox takes it: UTF-8, and without invisible characters. A NUL or an
/// escape code pasted in from another program would otherwise reach the built pages, where
/// nobody can see it and browsers and feed readers each treat it differently.
fn source_text(bytes: Vec<u8>, file: &Path) -> Result<String> {
    let text = String::from_utf8(bytes).map_err(|_| not_utf8(file))?;
    match text.char_indices().find(|&(_, c)| is_invisible(c)) {
        None => Ok(text),
        Some((at, c)) => Err(Error::new(format!("this file has {}", describe_invisible(c)))
            .at(Location::in_text(file, &text, at, c.len_utf8(), 1))
            .hint("it was probably pasted in from another program; delete it (it may look like nothing at all, or like a box)")),
    }
}

/// A character that shows as nothing and means nothing in text: the control codes (all but
/// tab, line feed and carriage return) and the Unicode noncharacters.
pub fn is_invisible(c: char) -> bool {
    let code = c as u32;
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || (0xFDD0..=0xFDEF).contains(&code) || code & 0xFFFE == 0xFFFE
}

/// "an invisible control character U+0000 (NUL)".
fn describe_invisible(c: char) -> String {
    const C0: [&str; 32] = [
        "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "TAB", "LF", "VT", "FF", "CR", "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK",
        "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US",
    ];
    let code = c as u32;
    let name = match code {
        0..=0x1F => Some(C0[code as usize]),
        0x7F => Some("DEL"),
        0x85 => Some("NEL"),
        _ => None,
    };
    match (c.is_control(), name) {
        (true, Some(name)) => format!("an invisible control character U+{code:04X} ({name})"),
        (true, None) => format!("an invisible control character U+{code:04X}"),
        (false, _) => format!("an invisible character U+{code:04X}, which is not a letter or sign (a Unicode noncharacter)"),
    }
}

/// `bytes` in exact words, so that two sizes either side of a limit never read the same.
fn size_in_words(bytes: u64) -> String {
    crate::numbers::counted(usize::try_from(bytes).unwrap_or(usize::MAX), "byte", "bytes")
}

/// Lays the site's own files over the built-in ones of the same name.
fn merge<T>(
    built_in: Vec<(&'static str, T)>,
    own: Vec<(PathBuf, Vec<u8>)>,
    convert: impl Fn(Vec<u8>, &Path) -> Result<T>,
) -> Result<BTreeMap<String, Source<T>>> {
    let mut merged = BTreeMap::new();
    for (name, content) in built_in {
        let file = PathBuf::from(name);
        let key = name.split_once('/').map_or(name, |(_, rest)| rest).to_string();
        merged.insert(key, Source { content, file, built_in: true });
    }
    for (file, bytes) in own {
        let key = relative_key(&file);
        let content = convert(bytes, &file)?;
        merged.insert(key, Source { content, file, built_in: false });
    }
    Ok(merged)
}

/// The words for the language `tag`: the built-in ones with the site's own
/// `templates/strings/TAG.yaml` (or the file of its first part, `cy.yaml` for `cy-GB`) over them.
pub fn strings_for(templates: &BTreeMap<String, Source<String>>, tag: &str) -> Result<Strings> {
    let primary = tag.split('-').next().unwrap_or(tag);
    let own = [format!("strings/{tag}.yaml"), format!("strings/{primary}.yaml")].into_iter().filter_map(|n| templates.get(&n)).find(|s| !s.built_in);
    Strings::for_language(tag, own.map(|s| (s.file.as_path(), s.content.as_str())))
}

/// The words of each of the site's languages. A strings file that does not read leaves its
/// language the built-in words here, and is reported once, at its line, by the templates'
/// set-up, which reads the same files and stops the build (see `render::check_templates`).
pub fn site_strings(config: &SiteConfig, templates: &BTreeMap<String, Source<String>>) -> SiteStrings {
    let by_tag = config
        .all_languages()
        .map(|tag| {
            let words = strings_for(templates, tag).map_or_else(|_| Arc::clone(Language::or_english(tag).words()), Arc::new);
            (tag.to_string(), words)
        })
        .collect();
    SiteStrings::new(&config.language, by_tag)
}

/// `templates/partials/a.html` -> `partials/a.html`, always with forward slashes.
fn relative_key(file: &Path) -> String {
    let parts: Vec<String> = file.components().skip(1).map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    parts.join("/")
}

/// Reads and validates `content/site.yaml`.
pub fn parse_config(file: &Path, text: &str) -> Result<SiteConfig> {
    let mut config: SiteConfig = yaml::parse(&YamlText { file, text, first_line: 1 })?;
    let at = |key: &str| {
        let offset = text.find(&format!("{key}:")).unwrap_or(0);
        Location::in_text(file, text, offset, key.len(), 1)
    };
    config.base_url = checked_base_url(&config.base_url).map_err(|e| e.at(at("base_url")))?;
    config.published_url = Some(config.base_url.clone());
    if !is_language_tag(&config.language) {
        return Err(Error::new(format!("`language` must be a language tag such as `en-GB`, not `{}`", config.language))
            .at(at("language"))
            .hint("use `en-GB` for British English, `cy` for Welsh"));
    }
    for (tag, words) in &mut config.languages {
        let at_tag = || {
            let offset = text.find(&format!("\n  {tag}:")).map_or_else(|| text.find("languages:").unwrap_or(0), |i| i + 3);
            Location::in_text(file, text, offset, tag.len(), 1)
        };
        if !is_language_tag(tag) || tag.contains('.') {
            return Err(Error::new(format!("`{tag}` under `languages` is not a language tag")).at(at_tag()).hint("write a tag such as `cy` (Welsh) or `fr`"));
        }
        if *tag == config.language {
            return Err(Error::new(format!("`{tag}` is the site's `language` already"))
                .at(at_tag())
                .hint("`language` is the default language; list only the others under `languages`"));
        }
        for text in [&mut words.title, &mut words.tagline, &mut words.description, &mut words.organisation].into_iter().flatten() {
            *text = crate::typography::smart_text(text);
        }
        if let Some(purpose) = words.forms.as_mut().and_then(|f| f.purpose.as_mut()) {
            *purpose = crate::typography::smart_text(purpose);
        }
    }
    if let Some(url) = config.organisation_url.as_deref().filter(|u| !is_web_address(u)) {
        return Err(Error::new(format!("`organisation_url` must be a web address starting with https://, not `{url}`"))
            .at(at("organisation_url"))
            .hint("for example `organisation_url: https://www.example.org/`"));
    }
    if let Some(exit) = config.quick_exit.as_ref().filter(|q| !is_web_address(&q.url)) {
        return Err(Error::new(format!("the quick exit `url` must be a web address starting with https://, not `{}`", exit.url))
            .at(at("quick_exit"))
            .hint("send readers somewhere neutral, such as `url: https://www.bbc.co.uk/weather`"));
    }
    if let Some(tag) = &config.hashtag {
        let bare = tag.trim_start_matches('#');
        if bare.is_empty() || bare.contains(char::is_whitespace) {
            return Err(Error::new(format!("`hashtag` must be one word, not `{tag}`")).at(at("hashtag")).hint("for example `hashtag: WildWestWeb`"));
        }
        config.hashtag = Some(bare.to_string());
    }
    for (key, value) in [("title", &config.title), ("description", &config.description), ("organisation", &config.organisation)] {
        if value.trim().is_empty() {
            return Err(Error::new(format!("`{key}` is empty")).at(at(key)).hint("write it in plain words"));
        }
    }
    config.description = crate::typography::smart_text(&config.description);
    config.tagline = config.tagline.as_deref().map(crate::typography::smart_text);
    let palette: Vec<_> = config.palette.iter().map(|c| c.colour).collect();
    config.palette = crate::colour::locate(file, text, "palette", &palette);
    if let Some(problem) = crate::colour::palette_fault(&config.palette) {
        return Err(problem);
    }
    if let Some(look) = config.brand.as_mut() {
        let at_key = |key: &str| block_key(text, "brand", key).map_or_else(|| at("brand"), |offset| Location::in_text(file, text, offset, key.len(), 1));
        if let Some(problem) = look.problem() {
            return Err(Error::new(problem.message).at(at_key(problem.key)).hint(problem.hint));
        }
        look.logo_at = look.logo.is_some().then(|| at_key("logo"));
    }
    if let Some(forms) = config.forms.take() {
        let at_key = |key: &str| block_key(text, "forms", key).map_or_else(|| at("forms"), |offset| Location::in_text(file, text, offset, key.len(), 1));
        let mut forms = forms.checked(&at_key)?;
        forms.purpose = crate::typography::smart_text(&forms.purpose);
        config.forms = Some(forms);
    }
    if let Err(problem) = config.photos.checked() {
        return Err(Error::new(problem).at(at("photos")).hint("for example `photos: { widths: [480, 800, 1200, 1600], quality: 75 }`"));
    }
    config.written = Quoting::of(file, text, [("tagline", config.tagline.as_ref()), ("description", Some(&config.description))], 0);
    Ok(config)
}

/// A BCP 47 language tag's shape: `en-GB`, `cy`.
fn is_language_tag(tag: &str) -> bool {
    !tag.is_empty() && tag.split('-').all(|part| !part.is_empty() && part.len() <= 8 && part.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Where `key:` stands inside the `block:` block of site.yaml (`brand:`, `forms:`): the first
/// `key:` after `block:` at the start of a line, whether the block is indented or written in
/// braces.
fn block_key(text: &str, block: &str, key: &str) -> Option<usize> {
    let start = text.match_indices(&format!("{block}:")).find(|(i, _)| *i == 0 || text.as_bytes()[i - 1] == b'\n')?.0;
    let after = &text[start..];
    let block_end = after.match_indices('\n').map(|(i, _)| i + 1).find(|&i| after[i..].starts_with(|c: char| c.is_ascii_alphabetic())).unwrap_or(after.len());
    let block = &after[..block_end];
    let found = block.match_indices(&format!("{key}:")).find(|(i, _)| *i > 0 && matches!(block.as_bytes()[i - 1], b' ' | b'{' | b',' | b'\t' | b'\n'))?;
    Some(start + found.0)
}

/// `url` as a base address: absolute, without query or fragment, ending in `/`.
pub fn checked_base_url(url: &str) -> Result<String> {
    let url = url.trim();
    if !is_web_address(url) || url.contains(['?', '#']) {
        return Err(Error::new(format!("`base_url` must be a full web address, not `{url}`"))
            .hint("write the address the site will live at, such as `https://example.org/` or `https://example.org/campaign/`"));
    }
    Ok(format!("{}/", url.trim_end_matches('/')))
}

/// Splits front matter from body, parses it and finds the body's embeds, for a site of one
/// language.
pub fn parse_page(file: &Path, text: String) -> Result<Page> {
    parse_page_in(file, text, &[])
}

/// [`parse_page`] for a site whose other languages are `languages`: `NAME.TAG.md` is the
/// page `NAME` in the language `TAG`.
pub fn parse_page_in(file: &Path, text: String, languages: &[String]) -> Result<Page> {
    let (front_text, front_start, body_start) = match split_front_matter(&text) {
        FrontMatterSplit::Found(front, start, body) => (front, start, body),
        FrontMatterSplit::Missing => {
            return Err(Error::new("this page has no front matter")
                .at(Location::in_text(file, &text, 0, 0, 1))
                .hint("start the file with a title between two `---` lines:\n---\ntitle: My page\n---"))
        }
        FrontMatterSplit::Unclosed(opened) => {
            return Err(Error::new("the front matter that opens here is never closed")
                .at(Location::in_text(file, &text, opened, 3, 1))
                .hint("add a line holding only `---` after the last setting (such as `title: …`), before the page's text"))
        }
    };
    let front_line = text[..front_start].matches('\n').count() + 1;
    let mut front: FrontMatter = yaml::parse(&YamlText { file, text: front_text, first_line: front_line })?;
    // The texts a reader sees get the punctuation body text gets, once, as they are read.
    front.title = crate::typography::smart_text(&front.title);
    for text in [&mut front.nav_title, &mut front.description].into_iter().flatten() {
        *text = crate::typography::smart_text(text);
    }
    let locate_key = |key: &str| {
        let offset = front_text.find(&format!("{key}:")).map_or(0, |i| front_start + i);
        Location::in_text(file, &text, offset, key.len(), 1)
    };
    if front.title.trim().is_empty() {
        return Err(Error::new("`title` is empty").at(locate_key("title")).hint("every page needs a title"));
    }
    let date = match &front.date {
        None => None,
        Some(d) => Some(Date::parse(d).ok_or_else(|| {
            Error::new(format!("`{d}` is not a date")).at(locate_key("date")).hint("write dates as YYYY-MM-DD, for example `date: 2018-04-12`")
        })?),
    };
    if let Some(problem) = front.schedule().problem() {
        return Err(Error::new(problem.message).at(locate_key("expire_at")).hint(problem.hint));
    }
    if let Some(event) = &mut front.event {
        event.check(file, &text, front_start..front_start + front_text.len())?;
    }
    if let Some(slug) = &front.slug {
        if !is_safe_segment(slug) {
            return Err(Error::new(format!("`{slug}` cannot be a slug"))
                .at(locate_key("slug"))
                .hint("a slug is one part of a web address: lowercase letters, digits and hyphens, such as `our-asks`"));
        }
    }
    let (lang, translation) = language_of_file(file, languages)?;
    let (url, dir, is_section) = url_of(&translation, front.slug.as_deref())?;
    if is_section && front.slug.is_some() {
        // Its pages' addresses follow the folder, so a slug would part the listing from them.
        return Err(Error::new("a section's address is its folder's name, so its `_index` cannot have a `slug:`")
            .at(locate_key("slug"))
            .hint("remove `slug:`, or rename the folder (its pages move with it)"));
    }
    // Each language has the generated pages and files of its own under its prefix.
    let problem = crate::urls::page_address_problem(&url);
    let url = match &lang {
        Some(tag) => format!("{}{url}", crate::urls::language_prefix(tag)),
        None => url,
    };
    if let Some(problem) = problem {
        let at = if front.slug.is_some() { locate_key("slug") } else { Location::file(file) };
        return Err(Error::new(format!("this page cannot have the address /{url}: {problem}"))
            .at(at)
            .hint("choose another `slug:` (or file name) in plain words with hyphens, such as `our-asks`"));
    }
    let body = &text[body_start..];
    let scanned = markdown::scan(body, &|span| Location::in_text(file, &text, body_start + span.start, span.len(), 1))?;
    let charts: Vec<&str> = scanned.embeds.iter().filter(|e| matches!(e.kind, markdown::EmbedKind::Chart { .. })).map(|e| e.figure_id()).collect();
    let anchors = crate::hash::key((&url, &scanned.heading_ids, charts));
    let (hash, id) = (crate::hash::key(&text), crate::hash::key(file));
    let lines = std::sync::OnceLock::new();
    let written = Quoting::of(file, &text, [("title", Some(&front.title)), ("description", front.description.as_ref())], hash);
    let translation = translation.to_string_lossy().into_owned();
    Ok(Page { file: file.to_path_buf(), front, date, url, dir, is_section, lang, translation, scanned, body_start, text, hash, written, id, anchors, lines })
}

/// Where a page's front matter is, if it has any.
enum FrontMatterSplit<'a> {
    /// The front matter's text, its byte offset, and the body's offset.
    Found(&'a str, usize, usize),
    Missing,
    /// A first `---` line, at this offset, with no closing one.
    Unclosed(usize),
}

fn split_front_matter(text: &str) -> FrontMatterSplit<'_> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[start..];
    let first_len = rest.find('\n').map_or(rest.len(), |i| i + 1);
    if rest[..first_len].trim_end() != "---" {
        return FrontMatterSplit::Missing;
    }
    let front_start = start + first_len;
    let mut offset = front_start;
    for line in text[front_start..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            return FrontMatterSplit::Found(&text[front_start..offset], front_start, offset + line.len());
        }
        offset += line.len();
    }
    FrontMatterSplit::Unclosed(start)
}

/// Where the photo that a page in the content folder `dir` names as `dest` is, from the site
/// root: `march.jpg` sits beside the page (`content/news/march.jpg`), `/photos/march.jpg` among
/// the static files (`static/photos/march.jpg`). `None` when `dest` is not a photo of the site:
/// a web address, another kind of file, or a path that climbs out of its folder.
pub fn photo_path(dir: &str, dest: &str) -> Option<String> {
    let path = dest.trim().split(['?', '#']).next().unwrap_or_default();
    if !crate::photo::is_photo_name(path) || crate::markdown::scheme(path).is_some() || path.starts_with("//") {
        return None;
    }
    let (folder, rest) = match path.strip_prefix('/') {
        Some(rest) => ("static".to_string(), rest),
        None if dir.is_empty() => ("content".to_string(), path),
        None => (format!("content/{dir}"), path),
    };
    // `content` or `static` stays: a photo never comes from elsewhere.
    let root = if path.starts_with('/') { "static/" } else { "content/" };
    crate::urls::resolve(&format!("{folder}/"), rest).filter(|p| p.starts_with(root))
}

/// One URL path segment that cannot climb out of its folder.
pub fn is_safe_segment(s: &str) -> bool {
    !s.is_empty() && s.len() <= 100 && !s.starts_with('.') && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
}

fn check_id(id: &str, file: &Path) -> Result<()> {
    if is_safe_segment(id) {
        return Ok(());
    }
    Err(Error::new(format!("`{id}` cannot be a figure id"))
        .in_file(file)
        .hint("rename the file using letters, digits and hyphens only, such as `platforms-2018.yaml`"))
}

/// The language a page file names (`about.cy.md`), if one of `languages`, and the file's
/// path without it. Any other dotted name is refused, naming the site's languages.
fn language_of_file(file: &Path, languages: &[String]) -> Result<(Option<String>, PathBuf)> {
    let stem = file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let Some((name, tag)) = stem.rsplit_once('.') else { return Ok((None, file.to_path_buf())) };
    if !languages.iter().any(|l| l == tag) {
        let hint = if languages.is_empty() {
            format!("a page in another language needs that language under `languages:` in site.yaml, such as `languages: {{ {tag}: {{}} }}`; otherwise use hyphens, not dots, in file names")
        } else {
            format!("the site's other languages are {}; a translation is named like `{name}.{}.md`", languages.join(", "), languages[0])
        };
        return Err(Error::new(format!(
            "`{tag}` in the file name `{}` is not one of the site's languages",
            file.file_name().unwrap_or_default().to_string_lossy()
        ))
        .in_file(file)
        .hint(hint));
    }
    let extension = file.extension().map(|e| e.to_string_lossy().into_owned()).unwrap_or_default();
    Ok((Some(tag.to_string()), file.with_file_name(format!("{name}.{extension}"))))
}

/// (URL, content folder, is a section) for a page file.
fn url_of(file: &Path, slug: Option<&str>) -> Result<(String, String, bool)> {
    let rel = file.strip_prefix("content").unwrap_or(file);
    let mut folders = Vec::new();
    for part in rel.parent().into_iter().flat_map(Path::components) {
        let name = match part {
            Component::Normal(n) => n.to_string_lossy().into_owned(),
            _ => continue,
        };
        if !is_safe_segment(&name) {
            return Err(Error::new(format!("the folder name `{name}` cannot be part of a web address"))
                .in_file(file)
                .hint("use lowercase letters, digits and hyphens in folder names"));
        }
        folders.push(name);
    }
    let dir = folders.join("/");
    let stem = rel.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let is_section = stem == "_index";
    let mut segments = folders;
    if stem != "_index" && stem != "index" {
        let name = slug.map_or(stem, str::to_string);
        if !is_safe_segment(&name) {
            return Err(Error::new(format!("the file name `{name}` cannot be part of a web address"))
                .in_file(file)
                .hint("rename the file using letters, digits and hyphens, or set `slug:` in its front matter"));
        }
        segments.push(name);
    } else if let (Some(slug), Some(last)) = (slug, segments.last_mut()) {
        *last = slug.to_string();
    }
    let url = segments.iter().map(|s| format!("{s}/")).collect();
    Ok((url, dir, is_section))
}

/// Reads files under the site root, refusing anything that leads outside it.
pub struct Reader {
    root: PathBuf,
    root_canonical: PathBuf,
    /// How the site's language writes numbers, for the figures read.
    pub style: Style,
    /// The site's language, in which soapbox writes its words for the figures read.
    pub language: Language,
    /// The site's words in each of its languages, which the figures read write.
    pub strings: SiteStrings,
    /// The site's palette, which a figure without colours of its own takes.
    pub palette: Vec<crate::colour::SetColour>,
    /// The site's other languages, which page files may name.
    pub languages: Vec<String>,
    /// The tile-map layouts the figures read may name: soapbox's and the site's.
    pub layouts: Layouts,
}

impl Reader {
    pub fn new(root: &Path) -> Result<Reader> {
        let root_canonical = fs::canonicalize(root).map_err(|e| Error::io("open the site folder", root, e))?;
        Ok(Reader {
            root: root.to_path_buf(),
            root_canonical,
            style: Style::default(),
            language: Language::default(),
            strings: SiteStrings::default(),
            palette: Vec::new(),
            languages: Vec::new(),
            layouts: Layouts::built_in(),
        })
    }

    /// `content/site.yaml`.
    pub fn config(&self) -> Result<SiteConfig> {
        let path = Path::new("content/site.yaml");
        let text = self.read_text(path).map_err(|e| match fs::symlink_metadata(self.full(path)) {
            Err(_) => e.hint("every site needs `content/site.yaml`; run `soapbox new DIR` to see a working example"),
            Ok(_) => e,
        })?;
        parse_config(path, &text)
    }

    /// The page files and the figure files under `content/`.
    pub fn content_files(&self) -> Result<(Vec<PathBuf>, Vec<PathBuf>)> {
        let files = self.walk(Path::new("content"))?;
        let pages = files.iter().filter(|p| is_page(p)).cloned().collect();
        let figures = files.into_iter().filter(|p| is_figure(p)).collect();
        Ok((pages, figures))
    }

    /// One page, or `None` for a draft.
    pub fn page(&self, file: &Path) -> Result<Option<Page>> {
        let page = parse_page_in(file, self.read_text(file)?, &self.languages)?;
        Ok((!page.front.draft).then_some(page))
    }

    pub fn templates(&self) -> Result<BTreeMap<String, Source<String>>> {
        merge(theme::templates(), self.walk_files(Path::new("templates"))?, source_text)
    }

    pub fn static_files(&self) -> Result<BTreeMap<String, Source<Cow<'static, [u8]>>>> {
        merge(theme::static_files(), self.walk_files(Path::new("static"))?, |bytes, _| Ok(Cow::Owned(bytes)))
    }

    fn full(&self, rel: &Path) -> PathBuf {
        self.root.join(rel)
    }

    /// A source file's bytes: opened once, its size checked, then read in one go. A file
    /// reached through a link out of the site folder is never opened.
    fn read_bytes(&self, rel: &Path) -> Result<Vec<u8>> {
        let io = |e| Error::io("read", rel, e);
        self.stays_inside(rel)?;
        let file = fs::File::open(self.full(rel)).map_err(io)?;
        let len = file.metadata().map_err(io)?.len();
        if len > MAX_FILE_BYTES {
            return Err(Error::new(format!(
                "this file is {}; the largest file soapbox reads is {} (64 MB)",
                size_in_words(len),
                size_in_words(MAX_FILE_BYTES)
            ))
            .in_file(rel)
            .hint("split it into smaller files"));
        }
        // A file saved again while it is read is read again on that save (serve watches it).
        let mut bytes = Vec::new();
        crate::read::opened(&file, len, &mut bytes).map_err(io)?;
        Ok(bytes)
    }

    fn read_text(&self, rel: &Path) -> Result<String> {
        source_text(self.read_bytes(rel)?, rel)
    }

    /// Reads `content/figures/ID.yaml`.
    pub fn figure(&self, file: &Path) -> Result<(String, Figure)> {
        let text = self.read_text(file)?;
        let id = file.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
        check_id(&id, file)?;
        let mut figure = Figure::load_among(&id, file, &text, self.style, &self.layouts)?.in_site(self.strings.clone());
        if figure.colours.is_empty() && !self.palette.is_empty() {
            figure.colours.clone_from(&self.palette);
            let colours: Vec<String> = figure.colours.iter().map(|c| c.colour.to_string()).collect();
            figure.key_in(colours);
        }
        Ok((id, figure))
    }

    /// soapbox's layouts and the site's own, `content/layouts/NAME.yaml`; the problems of
    /// those that do not load go in `errors`, and the figures that name them say so too.
    pub fn layouts(&self, errors: &mut Vec<Error>) -> Result<Layouts> {
        let mut layouts = Layouts::built_in();
        for file in self.walk(Path::new("content/layouts"))?.into_iter().filter(|f| crate::layouts::is_layout(f)) {
            let name = file.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
            let read = check_id(&name, &file)
                .map_err(|_| {
                    Error::new(format!("`{name}` cannot be a layout's name"))
                        .in_file(&file)
                        .hint("rename the file using letters, digits and hyphens only, such as `regions.yaml`")
                })
                .and_then(|()| self.read_text(&file))
                .and_then(|text| Layout::load(&name, &file, &text));
            match read {
                Ok(layout) => layouts.add(layout),
                Err(e) => errors.push(e),
            }
        }
        Ok(layouts)
    }

    /// Every file below `rel` (which may be missing), sorted, skipping hidden files.
    fn walk(&self, rel: &Path) -> Result<Vec<PathBuf>> {
        let mut found = Vec::new();
        if self.full(rel).exists() {
            self.stays_inside(rel)?;
            self.walk_into(rel, &mut found, 0)?;
        }
        found.sort();
        Ok(found)
    }

    fn walk_files(&self, rel: &Path) -> Result<Vec<(PathBuf, Vec<u8>)>> {
        self.walk(rel)?.into_iter().map(|p| self.read_bytes(&p).map(|b| (p, b))).collect()
    }

    fn walk_into(&self, rel: &Path, found: &mut Vec<PathBuf>, depth: usize) -> Result<()> {
        if depth > 32 {
            return Err(Error::new("folders are nested more than 32 deep").in_file(rel));
        }
        let full = self.full(rel);
        let entries = fs::read_dir(&full).map_err(|e| Error::io("list", rel, e))?;
        for entry in entries {
            let entry = entry.map_err(|e| Error::io("list", rel, e))?;
            let name = entry.file_name();
            if name.to_string_lossy().starts_with('.') {
                continue;
            }
            let child = rel.join(&name);
            // The listing says what each entry is, so only a symlink needs a look of its own.
            let kind = entry.file_type().map_err(|e| Error::io("read", &child, e))?;
            let (is_dir, is_file) = if kind.is_symlink() {
                let meta = self.follow(&child)?;
                (meta.is_dir(), meta.is_file())
            } else {
                (kind.is_dir(), kind.is_file())
            };
            if is_dir {
                self.walk_into(&child, found, depth + 1)?;
            } else if is_file {
                found.push(child);
            }
        }
        Ok(())
    }

    /// A symlink is followed only when it stays inside the site folder.
    fn follow(&self, rel: &Path) -> Result<fs::Metadata> {
        self.stays_inside(rel)?;
        fs::metadata(self.full(rel)).map_err(|e| Error::io("read", rel, e))
    }

    /// Refuses `rel` when it, or a folder on the way to it, is a link that leads out of the
    /// site folder: a cloned site could otherwise make soapbox read (and print in an error)
    /// any file the user can read. A path that does not exist is left to the caller.
    fn stays_inside(&self, rel: &Path) -> Result<()> {
        let Ok(target) = fs::canonicalize(self.full(rel)) else {
            return match fs::symlink_metadata(self.full(rel)) {
                Ok(meta) if meta.file_type().is_symlink() => Err(self.outside(rel, rel)),
                _ => Ok(()),
            };
        };
        if target.starts_with(&self.root_canonical) {
            return Ok(());
        }
        // Name the link itself, which may be a folder on the way (`content` -> /elsewhere).
        let mut step = PathBuf::new();
        for part in rel.components() {
            step.push(part);
            let is_link = fs::symlink_metadata(self.full(&step)).is_ok_and(|m| m.file_type().is_symlink());
            let leaves = fs::canonicalize(self.full(&step)).map_or(true, |t| !t.starts_with(&self.root_canonical));
            if is_link && leaves {
                return Err(self.outside(&step, rel));
            }
        }
        Err(self.outside(rel, rel))
    }

    fn outside(&self, link: &Path, rel: &Path) -> Error {
        let leads = fs::read_link(self.full(link)).map_or_else(|_| String::new(), |t| format!(", to `{}`", t.display()));
        let what = if link == rel { String::new() } else { format!(" (on the way to `{}`)", rel.display()) };
        Error::new(format!("`{}` is a link that points outside the site folder{leads}{what}, so soapbox will not follow it", link.display()))
            .in_file(link)
            .hint("copy the files into the site folder instead of linking to them; links that stay inside the site folder work")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photo_paths_stay_in_their_folder() {
        assert_eq!(photo_path("news", "march.jpg").as_deref(), Some("content/news/march.jpg"));
        assert_eq!(photo_path("news", "../march.jpg").as_deref(), Some("content/march.jpg"));
        assert_eq!(photo_path("", "/photos/team.png").as_deref(), Some("static/photos/team.png"));
        assert_eq!(photo_path("news", "../../march.jpg"), None);
        assert_eq!(photo_path("", "/../march.jpg"), None);
        assert_eq!(photo_path("", "https://example.org/march.jpg"), None);
        assert_eq!(photo_path("", "report.pdf"), None);
    }

    #[test]
    fn urls_follow_the_folders() {
        let url = |f: &str, slug: Option<&str>| url_of(Path::new(f), slug).unwrap();
        assert_eq!(url("content/index.md", None), (String::new(), String::new(), false));
        assert_eq!(url("content/asks.md", None), ("asks/".into(), String::new(), false));
        assert_eq!(url("content/news/_index.md", None), ("news/".into(), "news".into(), true));
        assert_eq!(url("content/news/launch.md", None), ("news/launch/".into(), "news".into(), false));
        assert_eq!(url("content/news/launch.md", Some("start")), ("news/start/".into(), "news".into(), false));
        assert!(url_of(Path::new("content/My Page.md"), None).is_err());
    }

    #[test]
    fn a_sections_index_cannot_take_a_slug() {
        let err =
            parse_page_in(Path::new("content/news/_index.cy.md"), "---\ntitle: Newyddion\nslug: newyddion\n---\n".into(), &["cy".to_string()]).unwrap_err();
        assert!(err.to_string().contains("cannot have a `slug:`") && err.to_string().contains("_index.cy.md:3:1"), "{err}");
        let page = parse_page_in(Path::new("content/news/_index.cy.md"), "---\ntitle: Newyddion\n---\n".into(), &["cy".to_string()]).unwrap();
        assert_eq!((page.url.as_str(), page.translation.as_str(), page.lang.as_deref()), ("cy/news/", "content/news/_index.md", Some("cy")));
    }

    #[test]
    fn figures_take_the_sites_own_strings_and_a_change_of_them_reloads_everything() {
        let dir = tempfile::tempdir().unwrap();
        let write = |rel: &str, text: &str| {
            let path = dir.path().join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        };
        write("content/site.yaml", "title: T\ndescription: D\nbase_url: https://example.org/\nlanguage: en-GB\norganisation: O\nlanguages:\n  cy: {}\n");
        write("content/figures/f.yaml", "title: T\nsource: S\nchart: donut\nunit: count\ntotal: 5\ndata:\n  - { label: A, value: 2 }\n");
        write("templates/strings/en.yaml", "not_recorded: Unknown\n");
        let mut site = load(dir.path()).unwrap();
        assert_eq!(site.figures["f"].remainder, "Unknown");
        assert_eq!(site.figures["f"].translated("cy").remainder, "Heb ei gofnodi");
        assert_eq!(site.strings.get("en-GB").get("not_recorded"), "Unknown");
        // A strings file that does not read leaves the built-in words to the figures; the
        // templates' set-up reports it.
        write("templates/strings/en.yaml", "not_recordd: Unknown\n");
        assert!(matches!(site.reload(&[PathBuf::from("templates/strings/en.yaml")]), Ok(Reloaded::Everything)));
        assert_eq!(load(dir.path()).unwrap().figures["f"].remainder, "Not recorded");
        let err = strings_for(&Reader::new(dir.path()).unwrap().templates().unwrap(), "en-GB").unwrap_err();
        assert!(err.report(false).contains("templates/strings/en.yaml:1"), "{}", err.report(false));
    }

    #[test]
    fn slugs_cannot_climb() {
        for bad in ["../../x", "/etc", "a/b", "..", ".hidden", ""] {
            assert!(!is_safe_segment(bad), "{bad}");
        }
        assert!(is_safe_segment("our-asks_2"));
    }

    #[test]
    fn front_matter_is_split_and_located() {
        let text = "---\ntitle: Hi\n---\n# Body\n".to_string();
        let FrontMatterSplit::Found(front, start, body) = split_front_matter(&text) else { panic!("found") };
        assert_eq!(front, "title: Hi\n");
        assert_eq!(start, 4);
        assert_eq!(&text[body..], "# Body\n");
        assert!(matches!(split_front_matter("# no front matter"), FrontMatterSplit::Missing));
        assert!(matches!(split_front_matter("---\ntitle: never closed\n"), FrontMatterSplit::Unclosed(0)));
        let err = parse_page(Path::new("content/a.md"), "---\ntitle: A\n\n# Body\n".into()).unwrap_err();
        assert_eq!(err.message(), "the front matter that opens here is never closed");
        assert_eq!(err.location().unwrap().line, Some((1, 1, 3)));
    }

    #[test]
    fn front_matter_errors_count_lines_in_the_md_file() {
        let err = parse_page(Path::new("content/a.md"), "---\ntitle: A\nweight: heavy\n---\n".into()).unwrap_err();
        assert_eq!(err.location().unwrap().line.unwrap().0, 3);
        let err = parse_page(Path::new("content/a.md"), "---\ntitle: A\ndate: 2018-02-30\n---\n".into()).unwrap_err();
        assert_eq!(err.message(), "`2018-02-30` is not a date");
        assert_eq!(err.location().unwrap().line.unwrap().0, 3);
    }

    #[test]
    fn dates_parse_and_display() {
        assert_eq!(Date::parse("2018-04-12").unwrap().display(Language::English), "12 April 2018");
        assert_eq!(Date::parse("2018-04-12").unwrap().display(Language::Welsh), "12 Ebrill 2018");
        assert!(Date::parse("2020-02-29").is_some());
        assert!(Date::parse("2019-02-29").is_none());
        assert!(Date::parse("12/04/2018").is_none());
    }

    #[test]
    fn base_path_is_taken_from_base_url() {
        let mut c: SiteConfig = serde_yaml::from_str("title: t\ndescription: d\nbase_url: https://a.org\nlanguage: en\norganisation: o\n").unwrap();
        assert_eq!(c.base_path(), "/");
        c.base_url = "https://a.org/camp/".into();
        assert_eq!(c.base_path(), "/camp/");
    }
}
