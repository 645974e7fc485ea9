//! Check: the rules that tie files to each other, checked before anything is rendered.
//!
//! Every chart and value a page embeds must name a real figure, key and label; every page's
//! template must exist; no two files may claim the same URL. All problems are reported at
//! once, each pointing into the file that holds it.

use crate::error::{suggestion, Error};
use crate::load::Site;
use crate::markdown::EmbedKind;
use std::collections::BTreeMap;

/// Reference problems in `site`, or `None` when it is consistent.
pub fn check(site: &Site) -> Option<Error> {
    let mut errors = Vec::new();
    let figure_ids: Vec<&str> = site.figures.keys().map(String::as_str).collect();
    for page in &site.pages {
        for embed in &page.embeds {
            let id = embed.figure_id();
            let Some(figure) = site.figures.get(id) else {
                errors.push(
                    Error::new(format!("there is no figure `{id}`"))
                        .at(page.locate(embed.id_span.start, embed.id_span.len()))
                        .hint(format!("{} (figures are the files in content/figures/)", suggestion(id, figure_ids.iter().copied()))),
                );
                continue;
            };
            if let EmbedKind::Value { key, label, .. } = &embed.kind {
                if let Err((message, hint)) = figure.lookup(key.as_deref(), label.as_deref()) {
                    errors.push(Error::new(message).at(page.locate(embed.span.start, embed.span.len())).hint(hint));
                }
            }
        }
        if let Some(id) = page.front.image.as_deref().filter(|id| !site.figures.contains_key(*id)) {
            let offset = page.text.find("image:").unwrap_or(0);
            errors.push(
                Error::new(format!("there is no figure `{id}` to preview this page"))
                    .at(crate::error::Location::in_text(&page.file, &page.text, offset, 5, 1))
                    .hint(suggestion(id, figure_ids.iter().copied())),
            );
        }
        if let Some(name) = &page.front.template {
            if !site.templates.contains_key(name) {
                let offset = page.text.find("template:").unwrap_or(0);
                let names: Vec<&str> = site.templates.keys().map(String::as_str).collect();
                errors.push(
                    Error::new(format!("there is no template `{name}`"))
                        .at(crate::error::Location::in_text(&page.file, &page.text, offset, 8, 1))
                        .hint(suggestion(name, names)),
                );
            }
        }
    }
    errors.extend(url_clashes(site));
    errors.extend(missing_glyphs(site));
    Error::collect(errors)
}

/// Text that goes into share images must be drawable with the embedded font, or the PNGs
/// would show empty boxes where letters should be.
fn missing_glyphs(site: &Site) -> Vec<Error> {
    let mut errors = Vec::new();
    let site_text = [Some(&site.config.title), site.config.tagline.as_ref(), site.config.hashtag.as_ref()];
    let missing = crate::chart::image::missing_glyphs(&site_text.into_iter().flatten().cloned().collect::<Vec<_>>().join(" "));
    if !missing.is_empty() {
        errors.push(glyph_error(&missing).in_file("content/site.yaml"));
    }
    for figure in site.figures.values() {
        let mut text = vec![figure.title.clone(), figure.source.clone(), figure.remainder.clone()];
        text.extend(figure.subtitle.clone());
        text.extend(figure.labels());
        let missing = crate::chart::image::missing_glyphs(&text.join(" "));
        if !missing.is_empty() {
            errors.push(glyph_error(&missing).in_file(&figure.file));
        }
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
    let mut claimed: BTreeMap<String, &std::path::Path> = BTreeMap::new();
    let generated = std::path::Path::new("the figure pages soapbox makes");
    claimed.insert("figures/index.html".to_string(), generated);
    for id in site.figures.keys() {
        claimed.insert(format!("figures/{id}/index.html"), generated);
        claimed.insert(format!("figures/{id}/embed/index.html"), generated);
    }
    for page in &site.pages {
        let output = format!("{}index.html", page.url);
        if let Some(other) = claimed.insert(output, &page.file) {
            errors.push(
                Error::new(format!("this page has the same address, /{}, as `{}`", page.url, other.display()))
                    .in_file(&page.file)
                    .hint("give one of them a different file name or `slug:`"),
            );
        }
    }
    for (path, file) in &site.static_files {
        if let Some(page) = claimed.get(path).filter(|_| !file.built_in) {
            errors.push(
                Error::new(format!("`{}` would overwrite the page built from `{}`", file.file.display(), page.display()))
                    .in_file(&file.file)
                    .hint("rename or remove the static file"),
            );
        }
    }
    errors
}
