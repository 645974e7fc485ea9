//! Check: the rules that tie files to each other, checked before anything is rendered.
//!
//! Every chart and value a page embeds must name a real figure, key and label; every page's
//! template must exist; no two files may claim the same URL; every internal link and `#anchor`
//! must lead somewhere, every image must have alt text, and every web address must be
//! well-formed (nothing is fetched). A figure that no page uses is a warning, and so is a
//! number typed by hand where a reader sees it (see [`crate::handtyped`]). All problems are
//! reported at once, each pointing into the file that holds it.

use crate::error::{suggestion, Error};
use crate::load::{Page, Site};
use crate::markdown::{self, EmbedKind};
use crate::urls::{self, Kind};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

/// What earlier checks found in each page's links, kept while neither the page nor any
/// address or anchor on the site changed: the preview checks the whole site on every edit.
#[derive(Default)]
pub struct CheckCache {
    links: crate::hash::ByKey<(u64, Vec<Error>)>,
    /// A key of every address and anchor on the site, the targets it gives links, and the
    /// clashes between addresses.
    site: Option<SiteTargets>,
    /// By figure key: the letters its text needs that the chart font lacks.
    glyphs: crate::hash::ByKey<Option<Error>>,
    /// By page key: what [`references`] found in the page, the figures it uses, and the key
    /// they were found under.
    references: crate::hash::ByKey<(u64, Vec<Error>, Vec<String>)>,
    /// How often pages use each figure (charts, values, preview images), kept up to date as
    /// pages are checked again, so that finding unused figures does not visit every page.
    uses: HashMap<String, usize>,
    /// Each page's and figure's numbers typed by hand, kept while it is unchanged.
    handtyped: crate::handtyped::Cache,
}

/// What every page's links are checked against, and the key of what it was found from.
struct SiteTargets {
    key: u64,
    /// Each address, with the anchors on it.
    targets: Arc<HashMap<String, BTreeSet<String>>>,
    /// Addresses claimed twice.
    clashes: Vec<Error>,
}

/// Reference problems in `site` (errors and warnings), or `None` when it is consistent.
pub fn check(site: &Site) -> Option<Error> {
    check_with(site, &mut CheckCache::default())
}

/// Each page's charts, values, preview image and template: they must name a real figure, key,
/// label and template. A page is checked again only when it, a figure or a template changed.
fn references(site: &Site, cache: &mut CheckCache) -> Vec<Error> {
    let figure_ids: Vec<&str> = site.figures.keys().map(String::as_str).collect();
    let figures: Vec<u64> = site.figures.values().map(|f| f.hash).collect();
    let elsewhere = crate::hash::key((figures, &site.broken_figures, site.templates.keys().collect::<Vec<_>>()));
    let mut errors = Vec::new();
    for page in &site.pages {
        let key = crate::hash::mix(&[page.hash, elsewhere]);
        if let Some((k, found, _)) = cache.references.get(&page.id) {
            if *k == key {
                errors.extend(found.iter().cloned());
                continue;
            }
        }
        let mut found = Vec::new();
        for embed in &page.scanned.embeds {
            let id = embed.figure_id();
            if site.broken_figures.contains(id) {
                continue;
            }
            let Some(figure) = site.figures.get(id) else {
                found.push(
                    Error::new(format!("there is no figure `{id}`"))
                        .at(page.locate(embed.id_span.start, embed.id_span.len()))
                        .hint(format!("{} (figures are the files in content/figures/)", suggestion(id, figure_ids.iter().copied()))),
                );
                continue;
            };
            if let EmbedKind::Value { key, label, .. } = &embed.kind {
                if let Err(error) = figure.lookup(key.as_deref(), label.as_deref()) {
                    found.push(error.at(page.locate(embed.span.start, embed.span.len())));
                }
            }
        }
        let is_photo = page.preview_photo().is_some();
        if let Some(id) = page.front.image.as_deref().filter(|id| !is_photo && !site.figures.contains_key(*id)) {
            let offset = page.text.find("image:").unwrap_or(0);
            found.push(
                Error::new(format!("there is no figure `{id}` to preview this page"))
                    .at(crate::error::Location::in_text(&page.file, &page.text, offset, 5, 1))
                    .hint(suggestion(id, figure_ids.iter().copied())),
            );
        }
        if let Some(name) = &page.front.template {
            if !site.templates.contains_key(name) {
                let offset = page.text.find("template:").unwrap_or(0);
                let names: Vec<&str> = site.templates.keys().map(String::as_str).collect();
                found.push(
                    Error::new(format!("there is no template `{name}`"))
                        .at(crate::error::Location::in_text(&page.file, &page.text, offset, 8, 1))
                        .hint(suggestion(name, names)),
                );
            }
        }
        errors.extend(found.iter().cloned());
        let used: Vec<String> = page.scanned.embeds.iter().map(|e| e.figure_id().to_string()).chain(page.front.image.clone().filter(|_| !is_photo)).collect();
        for id in &used {
            *cache.uses.entry(id.clone()).or_default() += 1;
        }
        if let Some((_, _, before)) = cache.references.insert(page.id, (key, found, used)) {
            forget(&mut cache.uses, &before);
        }
    }
    if cache.references.len() > site.pages.len() {
        let live: BTreeSet<u64> = site.pages.iter().map(|p| p.id).collect();
        let uses = &mut cache.uses;
        cache.references.retain(|id, (_, _, used)| {
            let keep = live.contains(id);
            if !keep {
                forget(uses, used);
            }
            keep
        });
    }
    errors
}

/// Takes a page's uses of figures off the count.
fn forget(uses: &mut HashMap<String, usize>, used: &[String]) {
    for id in used {
        if let Some(n) = uses.get_mut(id) {
            *n -= 1;
            if *n == 0 {
                uses.remove(id);
            }
        }
    }
}

/// [`check`], reusing what `cache` holds of an earlier check.
pub fn check_with(site: &Site, cache: &mut CheckCache) -> Option<Error> {
    let mut errors = pages_over_static_files(site);
    errors.extend(primary_pages(site));
    errors.extend(translations(site));
    errors.extend(references(site, cache));
    let (clashes, links) = links(site, cache);
    errors.extend(clashes);
    errors.extend(missing_glyphs(site, &mut cache.glyphs));
    errors.extend(site.figures.values().filter_map(chart_colours));
    errors.extend(links);
    errors.extend(unused_figures(site, &cache.uses));
    errors.extend(crate::handtyped::check(site, &mut cache.handtyped));
    errors.extend(site.config.brand.as_ref().and_then(|look| crate::brand::logo_problem(look, |path| site.static_files.get(path).map(|f| &*f.content))));
    errors.extend(forms(site));
    let addresses = cache.site.as_ref().map(|s| Arc::clone(&s.targets)).unwrap_or_default();
    errors.extend(photos(site, &addresses));
    Error::collect(errors)
}

/// Every photo a page shows must be there and be one soapbox can read safely (its header is
/// read, not its pixels: a decompression bomb is refused here). A preview photo needs words
/// for readers who cannot see it, and its focus must be a point of it. An image at the address
/// of a file the build writes itself (`/social-card.png`) is no photo: `links` checks it.
fn photos(site: &Site, addresses: &HashMap<String, BTreeSet<String>>) -> Vec<Error> {
    let mut errors = Vec::new();
    for page in &site.pages {
        let front_key = |key: &str| {
            let offset = page.text[..page.body_start].find(&format!("{key}:")).unwrap_or(0);
            crate::error::Location::in_text(&page.file, &page.text, offset, key.len(), 1)
        };
        for (path, span) in page.photos() {
            let at = || span.clone().map_or_else(|| front_key("image"), |span| page.locate(span.start, span.len()));
            let Some(bytes) = site.photo(&path) else {
                if path.strip_prefix("static/").is_some_and(|address| addresses.contains_key(address)) {
                    continue;
                }
                let (folder, name) = path.rsplit_once('/').unwrap_or(("", &path));
                let nearby: Vec<String> = site
                    .photos
                    .keys()
                    .map(String::as_str)
                    .chain(site.static_files.keys().map(String::as_str))
                    .filter(|p| crate::photo::is_photo_name(p))
                    .map(|p| p.rsplit('/').next().unwrap_or(p).to_string())
                    .collect();
                let seen: Vec<String> = list_photos(&site.root.join(folder));
                let hint = match crate::error::did_you_mean(name, seen.iter().chain(nearby.iter()).map(String::as_str)) {
                    Some(close) => format!("did you mean `{close}`? Put photos beside the page that shows them, or in `static/` and start the path with `/`"),
                    None => "put the photo beside the page that shows it (`photo.jpg`), or in `static/` and write its path from there (`/photos/photo.jpg`)"
                        .to_string(),
                };
                errors.push(Error::new(format!("there is no photo at `{path}`")).at(at()).hint(hint));
                continue;
            };
            if let Err(e) = crate::photo::probe(bytes) {
                errors.push(e.about(&path).at(at()));
            }
        }
        if page.preview_photo().is_some() && page.front.image_alt.as_deref().is_none_or(|alt| alt.trim().is_empty()) {
            errors.push(
                Error::new("this page's preview photo has no `image_alt`")
                    .at(front_key("image"))
                    .hint("describe what the photo shows, for readers who cannot see it: `image_alt: Campaigners hand in the petition`"),
            );
        }
        if let Some(focus) = &page.front.focus {
            if let Err(problem) = crate::photo::Focus::parse(focus) {
                errors.push(Error::new(problem).at(front_key("focus")).hint("give the point to keep as across, then down: `focus: 30% 40%`"));
            }
        }
    }
    errors
}

/// The names of the photo files in `folder`, for a "did you mean".
fn list_photos(folder: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(folder)
        .map(|entries| entries.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).filter(|n| crate::photo::is_photo_name(n)).collect())
        .unwrap_or_default()
}

/// Forms need somewhere to post and a privacy note to stand on: a form on a site whose
/// site.yaml has no `forms:` is refused where the form is written, and so is a field of its
/// own named like the honeypot or the redirect field; the thank-you page must exist when a
/// page has a form.
fn forms(site: &Site) -> Vec<Error> {
    use crate::components::Component;
    let mut errors = Vec::new();
    let settings = site.config.forms.as_ref();
    for page in &site.pages {
        for (component, at) in &page.scanned.components {
            let Component::Form(form) = component else { continue };
            let Some(settings) = settings else {
                errors.push(
                    Error::new("this form has nowhere to send what readers type: content/site.yaml has no `forms:`")
                        .at(page.locate(at.start, at.len().clamp(1, 4)))
                        .hint("add to content/site.yaml:\nforms:\n  endpoint: https://forms.example.org/sign-up   # where forms post\n  controller: …                                  # who holds what readers send\n  purpose: …                                     # why, in plain words\n  thanks: /thank-you/                            # the page readers are sent back to"),
                );
                continue;
            };
            let taken = [Some(&settings.honeypot), settings.redirect_field.as_ref()];
            for field in form.fields.iter().filter(|f| taken.contains(&Some(&f.name))) {
                errors.push(
                    Error::new(format!("the field `{}` has the name site.yaml gives the forms' honeypot or redirect field", field.name))
                        .at(page.locate(at.start + field.span.start, field.span.len()))
                        .hint("give the field another name"),
                );
            }
        }
    }
    // The thank-you page is there for the forms: a site whose forms are all gone may keep its
    // settings for the next one.
    let has_form = site.pages.iter().any(|p| p.scanned.components.iter().any(|(c, _)| matches!(c, Component::Form(_))));
    if let Some(settings) = settings.filter(|_| has_form) {
        let thanks = settings.thanks.trim_start_matches('/');
        if !site.pages.iter().any(|p| p.url == thanks && p.lang.is_none()) {
            let pages: Vec<String> = site.pages.iter().filter(|p| p.lang.is_none()).map(|p| format!("/{}", p.url)).collect();
            let mut error = Error::new(format!("there is no page at `{}` to thank readers who send a form", settings.thanks))
                .hint(format!("{}, or add the page (content/thank-you.md)", suggestion(&settings.thanks, pages.iter().map(String::as_str))));
            if let Some(at) = &settings.thanks_at {
                error = error.at(at.clone());
            }
            errors.push(error);
        }
    }
    errors
}

/// The page of the main action: at most one, and in the menu (with a `weight`, at the top),
/// which is where the header finds it.
fn primary_pages(site: &Site) -> Vec<Error> {
    let at = |page: &Page| {
        let offset = page.text[..page.body_start].find("primary:").unwrap_or(0);
        crate::error::Location::in_text(&page.file, &page.text, offset, 7, 1)
    };
    let primary: Vec<&Page> = site.pages.iter().filter(|p| p.front.primary).collect();
    let mut errors: Vec<Error> = primary
        .iter()
        .filter(|p| p.front.weight.is_none() || p.local_url().matches('/').count() > 1)
        .map(|p| Error::new("the main action's page must be in the menu").at(at(p)).hint("give it a `weight:`, and keep it at the top of content/"))
        .collect();
    // One in each language: each language has its own menu.
    for (i, page) in primary.iter().enumerate() {
        if let Some(first) = primary[..i].iter().find(|p| p.lang == page.lang) {
            errors.push(
                Error::new(format!("only one page can be the main action, and {} already is", first.file.display()))
                    .at(at(page))
                    .hint("remove `primary: true` from one of them"),
            );
        }
    }
    errors
}

/// In a site of several languages: each page without a translation into one of them (its
/// readers in that language are sent to that language's home instead), and each link from a
/// page to a page in another language that has a translation in the page's own.
fn translations(site: &Site) -> Vec<Error> {
    if site.config.languages.is_empty() {
        return Vec::new();
    }
    let translations = site.translations();
    let versions_of = |page: &Page| translations[page.translation.as_str()].iter().map(|&i| &site.pages[i]).collect::<Vec<_>>();
    let mut problems = Vec::new();
    for page in site.pages.iter().filter(|p| p.lang.is_none()) {
        let versions = versions_of(page);
        let missing: Vec<&str> =
            site.config.languages.keys().map(String::as_str).filter(|tag| !versions.iter().any(|v| v.lang.as_deref() == Some(*tag))).collect();
        if !missing.is_empty() {
            let names: Vec<String> = missing.iter().map(|tag| format!("`{}`", page.translation.replace(".md", &format!(".{tag}.md")))).collect();
            problems.push(
                Error::warning(format!("this page has no translation into {}", missing.join(", ")))
                    .in_file(&page.file)
                    .hint(format!("write {} beside it; until then, its language switcher leads to that language's home", names.join(" and "))),
            );
        }
    }
    for figure in site.figures.values() {
        for tag in site.config.languages.keys() {
            let missing = figure.missing_words(tag);
            if missing.is_empty() {
                continue;
            }
            problems.push(
                Error::warning(format!(
                    "this figure has no {} in {tag}",
                    crate::strings::Language::English.words().list(&missing.iter().map(|w| w.to_string()).collect::<Vec<_>>())
                ))
                .in_file(&figure.file)
                .hint(format!(
                    "give them under `translations:` → `{tag}:` in this file; until then, pages in {tag} show them in {}, marked as such",
                    site.config.language
                )),
            );
        }
    }
    let by_url: std::collections::HashMap<&str, &Page> = site.pages.iter().map(|p| (p.url.as_str(), p)).collect();
    for page in &site.pages {
        for link in &page.scanned.links {
            let Some(target) = link.dest.strip_prefix('/').map(|u| u.split('#').next().unwrap_or(u)).and_then(|u| by_url.get(u)) else { continue };
            if target.lang == page.lang {
                continue;
            }
            let own = versions_of(target).into_iter().find(|v| v.lang == page.lang);
            if let Some(own) = own {
                problems.push(
                    Error::warning(format!("this links to /{} in another language, though the page has a version in this page's language", target.url))
                        .at(page.locate(link.span.start, link.span.len()))
                        .hint(format!("link to /{} instead", own.url)),
                );
            }
        }
    }
    problems
}

/// A chart's colours: each series colour readable on white, and every two colours of the
/// chart (its remainder's grey too) told apart by readers with every kind of colour vision.
/// A fault is placed where a colour is set: the figure's `colours`, or the site's `palette`.
fn chart_colours(figure: &crate::figure::Figure) -> Option<Error> {
    use crate::colour::{chart_fault, series_colours, Fault};
    use crate::figure::{Body, ChartKind};
    let (count, parts) = match (&figure.body, figure.kind) {
        (_, ChartKind::Bar) => (1, 1),
        (Body::Single { points, .. }, _) => (if matches!(figure.kind, ChartKind::Donut | ChartKind::Waffle) { points.len() } else { 1 }, 1),
        (Body::Multi { series, categories, .. }, _) => (series.len(), categories.len()),
    };
    let remainder = matches!(figure.kind, ChartKind::StackedBar | ChartKind::Donut | ChartKind::Waffle)
        && (0..parts).any(|i| figure.remainder_of(i).is_some_and(|r| r > 0.0));
    let distinct = figure.colours.len().max(crate::colour::PALETTE.len());
    if count > distinct {
        // The built-in palette repeats: a warning, as a chart of many parts is still worth
        // building, with its table and description naming every part.
        return Some(
            Error::warning(format!(
                "the chart `{}` has {count} parts, and only the first {distinct} have colours that every reader tells apart: the rest repeat them",
                figure.id
            ))
            .at(crate::error::Location::file(&figure.file))
            .hint("group the smallest parts into one, or give the figure `colours:` for every part"),
        );
    }
    let colours = series_colours(&figure.colours, count);
    let name = |i: usize| if i < colours.len() { format!("series {}", i + 1) } else { format!("the “{}” remainder", figure.remainder) };
    let at = |i: usize| figure.colours.get(i).map_or_else(|| crate::error::Location::file(&figure.file), |c| c.at.clone());
    let error = match chart_fault(&colours, remainder)? {
        Fault::TooLight(i) => Error::new(format!(
            "the colour {} of {} in the chart `{}` is too light to read on white ({:.1}:1, and at least 4.5:1 is needed)",
            colours[i],
            name(i),
            figure.id,
            crate::colour::contrast(colours[i], crate::colour::Colour::WHITE)
        ))
        .at(at(i))
        .hint("choose a darker colour"),
        Fault::Clash(i, j, clash) => {
            let set = if j < figure.colours.len() { j } else { i };
            let hint = "choose colours that differ more in lightness, not only in hue";
            Error::new(format!("in the chart `{}`, {} and {}: {}", figure.id, name(i), name(j), clash.words())).at(at(set)).hint(hint)
        }
    };
    Some(error)
}

/// Pages whose folder would be a static file's name: a page at `/report/` next to a static
/// file `report` cannot both be written.
fn pages_over_static_files(site: &Site) -> Vec<Error> {
    let mut errors = Vec::new();
    for page in &site.pages {
        let mut folder = String::new();
        for segment in page.url.split('/').filter(|s| !s.is_empty()) {
            if !folder.is_empty() {
                folder.push('/');
            }
            folder.push_str(segment);
            if let Some(file) = site.static_files.get(&folder) {
                errors.push(
                    Error::new(format!("this page's address, /{}, would need a folder where the static file `{}` is", page.url, file.file.display()))
                        .at(page.address_location())
                        .hint("give the page another `slug:` or file name, or rename the static file"),
                );
                break;
            }
        }
    }
    errors
}

/// Every address a reader can reach on the built site, with the ids a link's `#fragment` may
/// name there: a page's headings, its charts and `main`.
fn targets(site: &Site) -> HashMap<String, BTreeSet<String>> {
    let mut targets: HashMap<String, BTreeSet<String>> = HashMap::with_capacity(site.pages.len() + site.static_files.len() + 16);
    let main = || BTreeSet::from(["main".to_string()]);
    for page in &site.pages {
        // A chart's figure element, numbered from its second placing on, as the page shows it.
        let mut placed: HashMap<&str, usize> = HashMap::new();
        let charts = page.scanned.embeds.iter().filter_map(|e| match &e.kind {
            EmbedKind::Chart { id } => {
                let n = placed.entry(id).or_default();
                *n += 1;
                Some(if *n == 1 { format!("figure-{id}") } else { format!("figure-{id}-{n}") })
            }
            EmbedKind::Value { .. } => None,
        });
        let ids = std::iter::once("main".to_string()).chain(page.scanned.heading_ids.iter().cloned()).chain(charts).collect();
        targets.insert(page.url.clone(), ids);
    }
    for path in site.static_files.keys() {
        targets.insert(path.clone(), BTreeSet::new());
    }
    for page in site.pages.iter().filter(|p| p.preview_photo().is_some()) {
        targets.insert(urls::photo_card(&page.url), BTreeSet::new());
    }
    for address in generated_addresses(site) {
        // A page of the site's own at /privacy/ keeps its headings.
        let ids = match address.kind {
            Kind::File => BTreeSet::new(),
            Kind::Page => main(),
            Kind::SharePage(id) => ["main", "downloads", "embed"].iter().map(|s| s.to_string()).chain([format!("figure-{id}")]).collect(),
        };
        targets.entry(address.path).or_insert(ids);
    }
    targets
}

/// Every address a build of `site` writes besides its pages and static files.
fn generated_addresses(site: &Site) -> Vec<urls::Generated> {
    let sizes: Vec<String> = urls::SIZES.iter().map(|size| size.name()).collect();
    let sections = site.pages.iter().filter(|p| p.is_section).map(|p| p.url.as_str());
    let languages: Vec<&str> = site.config.languages.keys().map(String::as_str).collect();
    urls::generated(site.figures.keys().map(String::as_str), sections, &sizes, &languages)
}

/// Addresses claimed twice; and internal links and anchors that lead nowhere, images without
/// alt text, and web addresses that are not well-formed. Pages are checked in parallel, and
/// their errors kept in order.
fn links(site: &Site, cache: &mut CheckCache) -> (Vec<Error>, Vec<Error>) {
    let statics: Vec<(&String, bool)> = site.static_files.iter().map(|(p, f)| (p, f.built_in)).collect();
    let pages: Vec<_> = site.pages.iter().map(|p| (p.anchors, p.id, p.preview_photo().is_some())).collect();
    let anchors = crate::hash::key((pages, statics, site.figures.keys().collect::<Vec<_>>()));
    let (targets, clashes) = match cache.site.take() {
        Some(SiteTargets { key, targets, clashes }) if key == anchors => (targets, clashes),
        _ => (Arc::new(targets(site)), url_clashes(site)),
    };
    let keys: Vec<u64> = site.pages.iter().map(|p| crate::hash::mix(&[p.hash, anchors])).collect();
    let stale: Vec<usize> = (0..site.pages.len()).filter(|&i| cache.links.get(&site.pages[i].id).is_none_or(|(k, _)| *k != keys[i])).collect();
    let pages = || site.pages.iter().map(|p| format!("/{}", p.url)).collect::<Vec<_>>();
    let found: Vec<Vec<Error>> = stale.par_iter().map(|&i| page_links(&site.pages[i], &targets, &pages)).collect();
    for (i, errors) in stale.into_iter().zip(found) {
        cache.links.insert(site.pages[i].id, (keys[i], errors));
    }
    if cache.links.len() != site.pages.len() {
        let live: BTreeSet<u64> = site.pages.iter().map(|p| p.id).collect();
        cache.links.retain(|id, _| live.contains(id));
    }
    let errors = site.pages.iter().flat_map(|p| cache.links[&p.id].1.iter().cloned()).collect();
    cache.site = Some(SiteTargets { key: anchors, targets, clashes: clashes.clone() });
    (clashes, errors)
}

fn page_links(page: &Page, targets: &HashMap<String, BTreeSet<String>>, pages: &dyn Fn() -> Vec<String>) -> Vec<Error> {
    let mut errors = page.scanned.problems.clone();
    for link in &page.scanned.links {
        let at = || page.locate(link.span.start, link.span.len());
        if link.image_alt.as_deref().is_some_and(|alt| alt.trim().is_empty()) && !link.decorative {
            errors.push(Error::new("this image has no alt text").at(at()).hint(
                "describe what the image shows between the brackets: ![Police officers at a school gate](photo.jpg); an image that is only decoration says so: ![](border.jpg \"decorative\")",
            ));
        }
        // Photos are checked against their files (see `photos`), not the site's addresses, unless
        // they name a file the build writes (`/social-card.png`).
        if link.image_alt.is_some() && crate::load::photo_path(&page.dir, &link.dest).is_some() {
            let address = link.dest.trim().strip_prefix('/').map(|p| p.split(['?', '#']).next().unwrap_or_default());
            if !address.is_some_and(|a| targets.contains_key(a)) {
                continue;
            }
        }
        let dest = link.dest.trim();
        match markdown::scheme(dest).as_deref() {
            Some("http" | "https") => {
                if !is_well_formed(dest) {
                    errors.push(
                        Error::new(format!("`{dest}` is not a well-formed web address"))
                            .at(at())
                            .hint("check for spaces or a missing part, such as https://www.example.org/page"),
                    );
                }
                continue;
            }
            Some(_) => {
                if let Some(error) = markdown::unsafe_url(dest) {
                    errors.push(error.at(at()));
                }
                continue;
            }
            None => {}
        }
        let (path, fragment) = dest.split_once('#').map_or((dest, None), |(p, f)| (p, Some(f)));
        let path = path.split('?').next().unwrap_or_default();
        // Most links are plain site paths (`/news/launch/`), which need no resolving.
        let plain = path.strip_prefix('/').filter(|p| !p.starts_with('/') && !p.split('/').any(|s| s == "." || s == ".."));
        let target = match plain {
            Some(p) => Some(Cow::Borrowed(p)),
            None if path.is_empty() => Some(Cow::Borrowed(page.url.as_str())),
            None => urls::resolve(&page.url, path).map(Cow::Owned),
        };
        let Some(target) = target else {
            errors.push(Error::new(format!("`{dest}` points outside the site")).at(at()).hint("link to a page of this site, such as /evidence/"));
            continue;
        };
        let found = targets.get(target.as_ref()).map(|ids| (target.to_string(), ids)).or_else(|| {
            let with_slash = format!("{target}/");
            targets.get(with_slash.as_str()).map(|ids| (with_slash, ids))
        });
        let Some((found, ids)) = found else {
            let what = if link.image_alt.is_some() { "image" } else { "page or file" };
            errors.push(Error::new(format!("there is no {what} at `/{target}`")).at(at()).hint(format!(
                "{} (pages are addressed from the site root, such as /news/)",
                suggestion(&format!("/{target}/"), pages().iter().map(String::as_str))
            )));
            continue;
        };
        if let Some(fragment) = fragment.filter(|f| !f.is_empty() && !ids.contains(*f)) {
            errors.push(
                Error::new(format!("`/{found}` has no heading or section with the id `{fragment}`"))
                    .at(at())
                    .hint(suggestion(fragment, ids.iter().map(String::as_str))),
            );
        }
    }
    errors
}

/// A web address with a host made of letters, digits, dots and hyphens, and no spaces.
fn is_well_formed(url: &str) -> bool {
    let Some((_, rest)) = url.split_once("://") else { return false };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let (host, port) = host_port.rsplit_once(':').filter(|(_, p)| !p.is_empty()).map_or((host_port, None), |(h, p)| (h, Some(p)));
    let host_ok = !host.is_empty()
        && host.split('.').all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-') && l.chars().all(|c| c.is_alphanumeric() || c == '-'));
    host_ok && port.is_none_or(|p| p.parse::<u16>().is_ok()) && !url.contains(char::is_whitespace)
}

/// Figures that no page shows or quotes (`uses` counts what pages use), and no template names.
fn unused_figures(site: &Site, uses: &HashMap<String, usize>) -> Vec<Error> {
    site.figures
        .values()
        .filter(|f| !uses.contains_key(&f.id))
        .filter(|f| !site.templates.values().any(|t| t.content.contains(&format!("\"{}\"", f.id))))
        .map(|f| {
            Error::warning(format!("no page uses the figure `{}`", f.id))
                .in_file(&f.file)
                .hint(format!("show it with ```chart {}``` in a page, or delete the file; it still gets its share page", f.id))
        })
        .collect()
}

/// Text that goes into share images must be drawable with the embedded font, or the PNGs
/// would show empty boxes where letters should be.
fn missing_glyphs(site: &Site, known: &mut crate::hash::ByKey<Option<Error>>) -> Vec<Error> {
    let mut errors = Vec::new();
    let site_text = [Some(&site.config.title), site.config.tagline.as_ref(), site.config.hashtag.as_ref()];
    let missing = crate::fonts::missing_glyphs(&site_text.into_iter().flatten().cloned().collect::<Vec<_>>().join(" "));
    if !missing.is_empty() {
        errors.push(glyph_error(&missing).in_file("content/site.yaml"));
    }
    // A figure's text is looked up again only when its file changed.
    if known.len() > site.figures.len() * 2 {
        known.clear();
    }
    for figure in site.figures.values() {
        let found = known.entry(figure.hash).or_insert_with(|| {
            let mut text = vec![figure.title.clone(), figure.source.clone(), figure.remainder.clone()];
            text.extend(figure.subtitle.clone());
            text.extend(figure.labels());
            let missing = crate::fonts::missing_glyphs(&text.join(" "));
            (!missing.is_empty()).then(|| glyph_error(&missing).in_file(&figure.file))
        });
        errors.extend(found.clone());
    }
    errors
}

fn glyph_error(missing: &[char]) -> Error {
    let list: Vec<String> = missing.iter().map(|c| format!("`{c}` (U+{:04X})", *c as u32)).collect();
    Error::new(format!("the chart font cannot draw {}", list.join(", ")))
        .hint("share images would show empty boxes there; use letters from Latin scripts (Welsh and accented letters work), or words instead of symbols")
}

/// Two pages, or a page and a static file, that would write the same output file.
fn url_clashes(site: &Site) -> Vec<Error> {
    let mut errors = Vec::new();
    // By address: a page at `news/` writes `news/index.html`.
    let all = generated_addresses(site);
    let mut claimed: HashMap<Cow<str>, &std::path::Path> = HashMap::with_capacity(site.pages.len() + all.len());
    let generated = std::path::Path::new("the figure pages soapbox makes");
    // A site may have a privacy page of its own, in any language.
    let privacy = |path: &str| site.config.all_languages().any(|tag| path == format!("{}{}", site.config.prefix_of(tag), urls::privacy()));
    for address in all.iter().filter(|a| a.kind != Kind::File && !privacy(&a.path)) {
        claimed.insert(Cow::Borrowed(address.path.as_str()), generated);
    }
    for clash in urls::folder_clashes(&all) {
        let Kind::SharePage(id) = &clash.kind else { continue };
        let Some(figure) = site.figures.get(id) else { continue };
        errors.push(
            Error::new(format!("the figure `{id}` has its pages at /{}, where soapbox writes a file of its own", clash.path))
                .in_file(&figure.file)
                .hint("rename the figure's file, such as with hyphens in place of dots"),
        );
    }
    for page in &site.pages {
        if let Some(other) = claimed.insert(Cow::Borrowed(page.url.as_str()), &page.file) {
            errors.push(
                Error::new(format!("this page has the same address, /{}, as `{}`", page.url, other.display()))
                    .in_file(&page.file)
                    .hint("give one of them a different file name or `slug:`"),
            );
        }
    }
    let cards: HashMap<String, &std::path::Path> =
        site.pages.iter().filter(|p| p.preview_photo().is_some()).map(|p| (urls::photo_card(&p.url), p.file.as_path())).collect();
    for (path, file) in site.static_files.iter().filter(|(_, f)| !f.built_in) {
        if let Some(page) = cards.get(path) {
            errors.push(
                Error::new(format!("`{}` would overwrite the preview card of the page built from `{}`", file.file.display(), page.display()))
                    .in_file(&file.file)
                    .hint("rename or remove the static file"),
            );
        }
        let page = match urls::page_address(path) {
            Some(address) => claimed.get(address).copied(),
            None => (path == urls::NOT_FOUND).then_some(generated),
        };
        if let Some(page) = page {
            errors.push(
                Error::new(format!("`{}` would overwrite the page built from `{}`", file.file.display(), page.display()))
                    .in_file(&file.file)
                    .hint("rename or remove the static file"),
            );
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The preview checks the whole site on every edit, counting figure uses as pages change:
    /// the count must always agree with a fresh check.
    #[test]
    fn unused_figures_follow_pages_as_they_change_and_go() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |rel: &str, text: &str| {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("content/site.yaml", "title: T\ndescription: D\nbase_url: https://t.example.org/\nlanguage: en-GB\norganisation: O\n");
        write("content/index.md", "---\ntitle: Home\n---\nHello.\n");
        write("content/figures/f.yaml", "title: F\nsource: S\nchart: bar\nunit: count\ndata:\n  - { label: A, value: 1 }\n  - { label: B, value: 2 }\n");
        let mut cache = CheckCache::default();
        let mut unused = |step: &str| {
            let site = crate::load::load(root).unwrap();
            let says = |e: Option<Error>| e.is_some_and(|e| e.report(false).contains("no page uses the figure `f`"));
            let (kept, fresh) = (says(check_with(&site, &mut cache)), says(check(&site)));
            assert_eq!(kept, fresh, "after {step}, the kept count disagrees with a fresh check");
            kept
        };
        assert!(unused("no page yet"));
        write("content/uses.md", "---\ntitle: Uses\n---\n```chart f\n```\n");
        assert!(!unused("a page shows it"));
        write("content/uses.md", "---\ntitle: Uses\n---\nNo chart now.\n");
        assert!(unused("the page dropped it"));
        write("content/uses.md", "---\ntitle: Uses\n---\n```chart f\n```\n\nAgain:\n\n```chart f\n```\n");
        assert!(!unused("the page shows it twice"));
        std::fs::remove_file(root.join("content/uses.md")).unwrap();
        assert!(unused("the page went"));
        write("content/preview.md", "---\ntitle: Preview\nimage: f\n---\nText.\n");
        assert!(!unused("a page takes it as its preview image"));
    }

    /// The figure `a-1200x630.png` would have its pages in the folder where the figure `a`
    /// has its share image: the build cannot write both, so check refuses it.
    #[test]
    fn a_figure_named_as_another_figures_file_fails_check() {
        let dir = tempfile::tempdir().unwrap();
        let write = |rel: &str, text: &str| {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        let figure = "title: F\nsource: S\nchart: bar\nunit: count\ndata:\n  - { label: A, value: 1 }\n  - { label: B, value: 2 }\n";
        write("content/site.yaml", "title: T\ndescription: D\nbase_url: https://t.example.org/\nlanguage: en-GB\norganisation: O\n");
        write("content/index.md", "---\ntitle: Home\n---\n```chart a\n```\n```chart a-1200x630.png\n```\n");
        write("content/figures/a.yaml", figure);
        write("content/figures/a-1200x630.png.yaml", figure);
        let site = crate::load::load(dir.path()).unwrap();
        let errors = check(&site).expect("an error").to_string();
        assert!(errors.contains("the figure `a-1200x630.png` has its pages at /figures/a-1200x630.png/"), "{errors}");
        std::fs::rename(dir.path().join("content/figures/a.yaml"), dir.path().join("content/figures/b.yaml")).unwrap();
        write("content/index.md", "---\ntitle: Home\n---\n```chart b\n```\n```chart a-1200x630.png\n```\n");
        let site = crate::load::load(dir.path()).unwrap();
        assert!(check(&site).is_none(), "without the figure `a`, nothing clashes");
    }

    #[test]
    fn web_addresses_must_be_well_formed() {
        assert!(is_well_formed("https://www.example.org/a?b=c#d"));
        assert!(is_well_formed("http://localhost:4000/"));
        assert!(!is_well_formed("https://exa mple.org/"));
        assert!(!is_well_formed("https:///path"));
        assert!(!is_well_formed("https://example..org"));
        assert!(!is_well_formed("https://example.org:99999/"));
    }
}
