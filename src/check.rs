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
    Error::collect(errors)
}

/// Two pages, or a page and a static file, that would write the same output file.
fn url_clashes(site: &Site) -> Vec<Error> {
    let mut errors = Vec::new();
    let mut claimed: BTreeMap<String, &std::path::Path> = BTreeMap::new();
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
