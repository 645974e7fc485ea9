//! Photos: every photo a page shows, made into the widths and formats the page offers it in;
//! every photo among the static files written again at its own address; and the link-preview
//! card of a page whose front matter names a photo. Nothing of a source's metadata reaches
//! a reader: every file is encoded anew from the decoded pixels (see [`crate::photo`]).
//!
//! A photo is planned from its header alone (its size gives its widths and file names), so a
//! page is written without decoding anything. Its files are made only when the disk cache
//! does not hold them, under a SHA-256 key of the photo's bytes and the settings: a warm build
//! and the preview decode nothing. That key is also in every file name
//! (`media/march-800.1a2b3c4d.webp`), so a host may cache the files for a year, and a photo
//! saved again under the same name gets new addresses.

use super::{Common, Images};
use crate::cache::{Cache, Image};
use crate::chart::image::{self as share, Brand};
use crate::error::{Error, Location, Result};
use crate::hash::{key, mix};
use crate::load::{Page, Site};
use crate::output::{Bytes, OutPath, Stored};
use crate::photo::{self, Focus, Kind, Photo, Probe};
use crate::urls;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};

/// How wide a photo in a page's text is shown: the page's column on a wide screen (48rem less
/// its 2rem margins), the screen less those margins below it, and less 1.25rem margins on a
/// phone (see `.wrap` in style.css). Browsers pick the size to download from it.
pub const SIZES: &str = "(min-width: 48rem) 44rem, (min-width: 40em) calc(100vw - 4rem), calc(100vw - 2.5rem)";

/// The size of a link-preview card, and how hard it is compressed.
const CARD: (u32, u32) = (1200, 630);
const CARD_QUALITY: u8 = 85;

/// A format a photo is offered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Webp,
    Jpeg,
    Png,
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Format::Webp => "webp",
            Format::Jpeg => "jpg",
            Format::Png => "png",
        }
    }

    fn of(kind: Kind) -> Format {
        match kind {
            Kind::Jpeg => Format::Jpeg,
            Kind::Png => Format::Png,
            Kind::Webp => Format::Webp,
        }
    }

    fn encode(self, photo: &Photo, quality: u8) -> Vec<u8> {
        match self {
            Format::Webp => photo.webp(quality),
            Format::Jpeg => photo.jpeg(quality),
            Format::Png => photo.png(),
        }
    }
}

/// A photo as pages offer it: the sizes it is made in and where each is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Offered {
    /// Width and height of each size, narrowest first.
    sizes: Vec<(u32, u32)>,
    /// `media/march`: the folder and the source's name.
    stem: String,
    /// The first 8 hex digits of the photo's key, in every file name.
    tag: String,
}

impl Offered {
    /// The file of the size `width` in `format`.
    fn file(&self, width: u32, format: Format) -> String {
        format!("{}-{width}.{}.{}", self.stem, self.tag, format.extension())
    }

    /// Every file pages use: each size as WebP, and as JPEG for browsers without WebP.
    fn files(&self) -> impl Iterator<Item = (String, u32, Format)> + '_ {
        [Format::Webp, Format::Jpeg].into_iter().flat_map(move |format| self.sizes.iter().map(move |&(w, _)| (self.file(w, format), w, format)))
    }

    /// The photo as a page shows it: a `<picture>` offering every size as WebP, with JPEG for
    /// browsers without it, its own width and height (so the page does not move when it
    /// loads), and loaded at once when it is the first thing a reader sees, else lazily.
    pub fn html(&self, base_path: &str, alt: &str, eager: bool) -> String {
        let srcset = |format| self.sizes.iter().map(|&(w, _)| format!("{base_path}{} {w}w", self.file(w, format))).collect::<Vec<_>>().join(", ");
        let &(width, height) = self.sizes.last().expect("a photo has a size");
        // The `src` for browsers without `srcset`: the size nearest a phone's screen.
        let fallback = self.sizes.iter().rev().find(|(w, _)| *w <= 800).or(self.sizes.first()).map_or(width, |(w, _)| *w);
        let loading = if eager { "fetchpriority=\"high\"" } else { "loading=\"lazy\"" };
        format!(
            "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"{SIZES}\"><img src=\"{base_path}{}\" srcset=\"{}\" sizes=\"{SIZES}\" width=\"{width}\" height=\"{height}\" alt=\"{}\" {loading} decoding=\"async\"></picture>",
            srcset(Format::Webp),
            self.file(fallback, Format::Jpeg),
            srcset(Format::Jpeg),
            crate::escape::xml(alt),
        )
    }
}

/// A source's key: SHA-256 of its bytes and the settings, as 32 bytes.
fn source_key(bytes: &[u8], settings: &photo::Settings) -> [u8; 32] {
    let mut hash = Sha256::new();
    hash.update(bytes);
    hash.update(format!("{settings:?}").as_bytes());
    hash.finalize().into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `media/march` for `content/news/march.jpg`: the name, in lower-case letters, digits and
/// hyphens, so that any file name gives a plain address.
fn stem_of(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    let name = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let mut stem = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            stem.push(c);
        } else if !stem.ends_with('-') && !stem.is_empty() {
            stem.push('-');
        }
    }
    let stem = stem.trim_end_matches('-');
    format!("{}/{}", urls::MEDIA, if stem.is_empty() { "photo" } else { stem })
}

/// A source photo of the site, as a render plans it.
struct Source {
    /// `content/news/march.jpg`, `static/photos/march.jpg`.
    path: String,
    key: [u8; 32],
    probe: Probe,
    /// Where a page shows it first, to place a problem of its pixels.
    at: Location,
    /// The sizes pages use, when a page shows it in its text.
    offered: Option<Offered>,
}

/// Every photo of this render, planned.
pub(super) struct Photos {
    sources: BTreeMap<String, Source>,
    /// Each page's preview card, by page index: the photo and its focus.
    cards: BTreeMap<usize, (String, Focus)>,
    /// The pages that have one, by [`Page::id`].
    carded: std::collections::HashSet<u64>,
    /// Changes whenever any photo, or what pages show of them, does.
    pub key: u64,
}

impl Photos {
    /// The photo a page in the content folder `dir` shows as `dest`, as pages offer it.
    pub fn offered(&self, dir: &str, dest: &str) -> Option<&Offered> {
        self.sources.get(&crate::load::photo_path(dir, dest)?)?.offered.as_ref()
    }

    /// A key of the photos `page` shows, for its body's key.
    pub fn key_of(&self, page: &Page) -> u64 {
        let keys: Vec<u64> = page.photos().filter_map(|(path, _)| self.sources.get(&path)).map(|s| key(s.key)).collect();
        mix(&keys)
    }

    /// The address (from the site root) of `page`'s preview card, when its front matter
    /// names a photo.
    pub fn card_of(&self, page: &Page) -> Option<String> {
        self.carded.contains(&page.id).then(|| card_file(page))
    }
}

fn card_file(page: &Page) -> String {
    urls::photo_card(&page.url)
}

/// What earlier renders made of the photos.
#[derive(Default)]
pub(super) struct PhotoCache {
    /// Each source's header, by its key.
    probes: HashMap<[u8; 32], Probe>,
    /// The files made, by a key of what they were made from: a source's sizes or static copy,
    /// or a card.
    made: HashMap<u64, Made>,
}

#[derive(Default, Clone)]
struct Made {
    files: BTreeMap<OutPath, Bytes>,
    stored: BTreeMap<OutPath, Stored>,
}

impl PhotoCache {
    /// The files made in memory.
    pub fn files(&self) -> impl Iterator<Item = (&OutPath, &Bytes)> {
        self.made.values().flat_map(|m| m.files.iter())
    }

    /// The files left in the disk cache.
    pub fn stored(&self) -> impl Iterator<Item = (&OutPath, &Stored)> {
        self.made.values().flat_map(|m| m.stored.iter())
    }
}

/// Plans every photo of the site from its header: those pages show, in their text or as their
/// preview, and those among the static files.
pub(super) fn plan(site: &Site, cache: &mut PhotoCache) -> Result<Photos> {
    let settings = &site.config.photos;
    let mut sources: BTreeMap<String, Source> = BTreeMap::new();
    let mut cards = BTreeMap::new();
    let mut add = |path: &str, at: Location, shown: bool, sources: &mut BTreeMap<String, Source>| -> Result<()> {
        if !sources.contains_key(path) {
            // `check` has reported a photo that is missing already.
            let Some(bytes) = site.photo(path) else { return Ok(()) };
            let key = source_key(bytes, settings);
            let probe = match cache.probes.get(&key) {
                Some(probe) => *probe,
                None => photo::probe(bytes).map_err(|e| e.about(path).at(at.clone()))?,
            };
            cache.probes.insert(key, probe);
            sources.insert(path.to_string(), Source { path: path.to_string(), key, probe, at, offered: None });
        }
        if let Some(source) = sources.get_mut(path).filter(|s| shown && s.offered.is_none()) {
            let widths = photo::widths(source.probe.width, &settings.widths);
            let sizes = widths.iter().map(|&w| (w, photo::scaled_height(source.probe.width, source.probe.height, w))).collect();
            source.offered = Some(Offered { sizes, stem: stem_of(path), tag: hex(&source.key[..4]) });
        }
        Ok(())
    };
    for (index, page) in site.pages.iter().enumerate() {
        for (path, span) in page.photos() {
            let at = span.as_ref().map_or_else(|| Location::file(&page.file), |span| page.locate(span.start, span.len()));
            add(&path, at, span.is_some(), &mut sources)?;
            if span.is_none() && sources.contains_key(&path) {
                let focus = page.front.focus.as_deref().and_then(|f| Focus::parse(f).ok()).unwrap_or_default();
                cards.insert(index, (path, focus));
            }
        }
    }
    for (path, file) in &site.static_files {
        if photo::is_photo_name(path) && !file.built_in {
            add(&format!("static/{path}"), Location::file(&file.file), false, &mut sources)?;
        }
    }
    let keep: std::collections::HashSet<[u8; 32]> = sources.values().map(|s| s.key).collect();
    cache.probes.retain(|k, _| keep.contains(k));
    let key = key((
        sources.values().map(|s| (&s.key, &s.offered)).collect::<Vec<_>>(),
        cards.iter().map(|(i, (p, f))| (i, p, f.x.to_bits(), f.y.to_bits())).collect::<Vec<_>>(),
    ));
    let carded = cards.keys().map(|&i| site.pages[i].id).collect();
    Ok(Photos { sources, cards, carded, key })
}

/// Makes every file of the site's photos that this render has not made before: the sizes
/// pages show, the static photos at their own addresses, and the preview cards, each from the
/// disk cache when it holds it. A build leaves them there (`mode`), the preview keeps them in
/// memory, and a check makes none. Every file is a job of its own, so both cores share one
/// big photo; a source is decoded and resized once, by the first job that needs it.
pub(super) fn make(common: &Common, photos: &Photos, cache: &mut PhotoCache, disk: &Cache, mode: Images) -> Result<()> {
    if mode == Images::Skipped {
        return Ok(());
    }
    let site = common.site;
    let settings = &site.config.photos;
    let settings_text = format!("{settings:?}");
    let pixels: HashMap<&str, Pixels> = photos.sources.values().map(|source| (source.path.as_str(), Pixels::new(site, source))).collect();
    // Each file's work under a key of what it is made from.
    let mut jobs: Vec<(u64, Job)> = Vec::new();
    for source in photos.sources.values() {
        for (path, width, format) in source.offered.iter().flat_map(Offered::files) {
            jobs.push((key((&source.key, &path, b"size")), Job::Size { source, path, width, format }));
        }
        if let Some(path) = source.path.strip_prefix("static/") {
            jobs.push((key((&source.key, path, b"static")), Job::Static { source, path }));
        }
    }
    for (&index, (path, focus)) in &photos.cards {
        let page = &site.pages[index];
        let language = common.language(site.config.language_of(page));
        let source = &photos.sources[path];
        let job = Job::Card { page, source, focus: *focus, brand: &language.brand };
        jobs.push((key((&source.key, focus.x.to_bits(), focus.y.to_bits(), &page.front.title, format!("{:?}", language.brand), card_file(page))), job));
    }
    let live: std::collections::HashSet<u64> = jobs.iter().map(|(k, _)| *k).collect();
    cache.made.retain(|k, _| live.contains(k));
    let todo: Vec<&(u64, Job)> = jobs.iter().filter(|(k, _)| !cache.made.contains_key(k)).collect();
    let on_disk = mode == Images::OnDisk;
    let code = crate::cache::CODE.as_bytes();
    let made: Vec<Result<(u64, Made)>> = todo
        .par_iter()
        .map(|(k, job)| {
            let mut made = Made::default();
            match job {
                Job::Size { source, path, width, format } => {
                    let w = width.to_le_bytes();
                    let parts = [b"photo".as_slice(), code, &source.key, settings_text.as_bytes(), &w, format.extension().as_bytes()];
                    let image = cached(disk, &parts, on_disk, || {
                        let sizes = pixels[source.path.as_str()].sizes()?;
                        let size = sizes
                            .iter()
                            .find(|p| p.width() == *width)
                            .ok_or_else(|| Error::new(format!("no {width} px size of `{}` was made", source.path)))?;
                        Ok(format.encode(size, settings.quality))
                    })?;
                    place(&mut made, path.clone(), image);
                }
                Job::Static { source, path } => {
                    let format = Format::of(source.probe.kind);
                    let parts = [b"static photo".as_slice(), code, &source.key, settings_text.as_bytes()];
                    // In memory: the static files are gathered with the rest of the site's files.
                    let image = disk.image(&parts, || Ok(format.encode(pixels[source.path.as_str()].photo()?, settings.quality)))?;
                    place(&mut made, path.to_string(), Image::Made(image));
                }
                Job::Card { page, source, focus, brand } => {
                    let image = card(page, source, &pixels[source.path.as_str()], *focus, brand, disk, on_disk)?;
                    place(&mut made, card_file(page), image);
                }
            }
            Ok((*k, made))
        })
        .collect();
    for result in made {
        let (k, m) = result?;
        cache.made.insert(k, m);
    }
    Ok(())
}

enum Job<'a> {
    /// One size of a photo a page shows, in one format.
    Size {
        source: &'a Source,
        path: String,
        width: u32,
        format: Format,
    },
    /// A photo among the static files, written again at its own address.
    Static {
        source: &'a Source,
        path: &'a str,
    },
    Card {
        page: &'a Page,
        source: &'a Source,
        focus: Focus,
        brand: &'a Brand,
    },
}

/// A source's pixels and sizes, made on first use by whichever job needs them first; the
/// others wait for them rather than decoding again.
struct Pixels<'a> {
    site: &'a Site,
    source: &'a Source,
    decoded: OnceLock<Result<Photo>>,
    sized: OnceLock<Result<Vec<Photo>>>,
}

impl<'a> Pixels<'a> {
    fn new(site: &'a Site, source: &'a Source) -> Self {
        Pixels { site, source, decoded: OnceLock::new(), sized: OnceLock::new() }
    }

    fn photo(&self) -> Result<&Photo> {
        let source = self.source;
        let decode = || {
            let bytes = self.site.photo(&source.path).ok_or_else(|| Error::new(format!("`{}` is gone", source.path)).at(source.at.clone()))?;
            photo::decode(bytes).map_err(|e| e.about(&source.path).at(source.at.clone()))
        };
        self.decoded.get_or_init(decode).as_ref().map_err(Clone::clone)
    }

    fn sizes(&self) -> Result<&[Photo]> {
        let widths: Vec<u32> = self.source.offered.as_ref().map(|o| o.sizes.iter().map(|(w, _)| *w).collect()).unwrap_or_default();
        self.sized.get_or_init(|| self.photo().map(|p| p.sizes(&widths))).as_deref().map_err(Clone::clone)
    }
}

/// Puts a made or stored file in `made`.
fn place(made: &mut Made, path: String, image: Image) {
    match image {
        Image::Made(bytes) => {
            made.files.insert(path.into(), Arc::new(bytes));
        }
        Image::Stored(entry) => {
            made.stored.insert(path.into(), entry);
        }
    }
}

/// The disk cache's entry of `parts`, as a build (`on_disk`) or the preview takes it.
fn cached(disk: &Cache, parts: &[&[u8]], on_disk: bool, make: impl FnOnce() -> Result<Vec<u8>>) -> Result<Image> {
    if on_disk {
        disk.image_on_disk(parts, make)
    } else {
        disk.image(parts, make).map(Image::Made)
    }
}

/// A page's preview card: its photo cropped around the focus to 1200 × 630, with the page's
/// title and the hashtag on a band in the brand's colours (see [`share::photo_card`]).
fn card(page: &Page, source: &Source, pixels: &Pixels, focus: Focus, brand: &Brand, disk: &Cache, on_disk: bool) -> Result<Image> {
    let what = format!("{brand:?}\n{}\n{}", page.front.title, card_file(page));
    let (fx, fy) = (focus.x.to_le_bytes(), focus.y.to_le_bytes());
    let parts = [b"card".as_slice(), share::theme_key(), &source.key, &fx, &fy, what.as_bytes()];
    cached(disk, &parts, on_disk, || {
        use base64::Engine as _;
        let cropped = pixels.photo()?.cover(CARD.0, CARD.1, focus);
        let uri = format!("data:image/jpeg;base64,{}", base64::engine::general_purpose::STANDARD.encode(cropped.jpeg(95)));
        let svg = share::photo_card(brand, &page.front.title, &uri);
        let (w, h, rgba) = share::pixels(&svg)?;
        Ok(Photo::from_rgba_pixels(w, h, rgba).ok_or_else(|| Error::new("the card's pixels do not match its size"))?.jpeg(CARD_QUALITY))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_plain_addresses() {
        assert_eq!(stem_of("content/news/March 2019 (1).JPG"), "media/march-2019-1");
        assert_eq!(stem_of("static/Ünïcode.jpg"), "media/n-code");
        assert_eq!(stem_of("content/___.png"), "media/photo");
    }

    #[test]
    fn a_picture_offers_every_size_in_both_formats_with_its_size_and_alt() {
        let offered = Offered { sizes: vec![(480, 320), (800, 533), (1200, 800)], stem: "media/march".into(), tag: "1a2b3c4d".into() };
        let html = offered.html("/camp/", "Campaigners & \"friends\"", false);
        assert!(html.starts_with("<picture><source type=\"image/webp\" srcset=\"/camp/media/march-480.1a2b3c4d.webp 480w, /camp/media/march-800.1a2b3c4d.webp 800w, /camp/media/march-1200.1a2b3c4d.webp 1200w\""), "{html}");
        assert!(html.contains("<img src=\"/camp/media/march-800.1a2b3c4d.jpg\" srcset=\"/camp/media/march-480.1a2b3c4d.jpg 480w,"), "{html}");
        assert!(html.contains("width=\"1200\" height=\"800\" alt=\"Campaigners &amp; &quot;friends&quot;\" loading=\"lazy\""), "{html}");
        assert!(offered.html("/", "", true).contains("alt=\"\" fetchpriority=\"high\""));
        assert_eq!(offered.files().count(), 6);
    }
}
