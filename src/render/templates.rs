//! The templates: Tera set up with soapbox's own functions (`value`, `asset`), the context
//! every page template sees, template errors turned into soapbox's errors with their file
//! and line, and [`check_templates`], which finds those errors without rendering a page.

use super::views::{NavItem, PageView};
use super::{try_reuse_or, Common, Keyed};
use crate::error::{suggestion, Error, Location, Result};
use crate::figure::{Figure, Quotable};
use crate::hash::key;
use crate::load::{Site, Source};
use crate::strings::Strings;
use crate::urls;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;
use tera::{Context, Kwargs, State, Tera};

/// The templates parsed, from `slot` when no template, static file's name or figure (which
/// `value()` reads) changed since.
pub(super) fn parsed(common: &Common, assets: &BTreeMap<String, String>, figures_changed: bool, slot: &mut Option<Keyed<Arc<Tera>>>) -> Result<Arc<Tera>> {
    let site = common.site;
    let tera_key = key((common.base_key, site.templates.iter().map(|(n, t)| (n, &t.content)).collect::<Vec<_>>()));
    if figures_changed {
        *slot = None;
    }
    try_reuse_or(slot, tera_key, || Ok(Arc::new(templates(site, &common.urls.base_path, assets)?)))
}

/// A page as made, minified when asked.
/// minify-html only ever sees HTML pages: a standalone SVG would come out as HTML, which is
/// not valid XML.
pub(super) fn finish(html: Vec<u8>, minify: bool) -> Vec<u8> {
    if !minify {
        return html;
    }
    minify_html::minify(&html, &MINIFY)
}

/// How pages are minified: markup and whitespace only. Inline CSS and JavaScript are left as
/// written: the Content-Security-Policy runs no inline style and only the theme's own inline
/// scripts (by hash), so there is nothing worth minifying there. A `static` of constant flags,
/// so that link-time optimisation sees the CSS and JavaScript minifiers (lightningcss and oxc,
/// which minify-html always compiles) are never called and leaves them out of the binary.
static MINIFY: minify_html::Cfg = minify_html::Cfg {
    allow_noncompliant_unquoted_attribute_values: false,
    allow_optimal_entities: false,
    allow_removing_spaces_between_attributes: false,
    keep_closing_tags: true,
    keep_comments: false,
    keep_html_and_head_opening_tags: true,
    keep_input_type_text_attr: false,
    keep_ssi_comments: false,
    minify_css: false,
    minify_doctype: false,
    minify_js: false,
    preserve_brace_template_syntax: false,
    preserve_chevron_percent_template_syntax: false,
    remove_bangs: false,
    remove_processing_instructions: false,
};

/// `name` and every template it extends or includes, however deep.
pub(super) fn closure<'a>(site: &'a Site, name: &str) -> BTreeSet<&'a str> {
    let mut seen = BTreeSet::new();
    let mut todo = vec![name.to_string()];
    while let Some(next) = todo.pop() {
        let Some((name, source)) = site.templates.get_key_value(&next) else { continue };
        if !seen.insert(name.as_str()) {
            continue;
        }
        for keyword in ["extends", "include"] {
            for part in source.content.split(&format!("{{% {keyword} ")).skip(1).chain(source.content.split(&format!("{{%- {keyword} ")).skip(1)) {
                let quoted = part.trim_start();
                if let Some(q) = quoted.chars().next().filter(|c| *c == '"' || *c == '\'') {
                    if let Some(end) = quoted[1..].find(q) {
                        todo.push(quoted[1..1 + end].to_string());
                    }
                }
            }
        }
    }
    seen
}

/// A page's view with its content, as its own template sees it. Listings see the view alone,
/// so that a section of ten thousand pages does not copy all their text into its context.
#[derive(serde::Serialize)]
struct WithContent<'a> {
    #[serde(flatten)]
    view: &'a PageView,
    content: &'a str,
}

/// `lang` is the page's language: `<html lang>`, and the words that `t()` gives.
pub(super) fn page_context(site: &tera::Value, lang: &str, page: &PageView, content: &str, nav: &[NavItem]) -> Context {
    let mut context = Context::new();
    context.insert("lang", lang);
    context.insert_value("site", site.clone());
    context.insert("page", &WithContent { view: page, content });
    context.insert("nav", nav);
    // A page of a site in several languages has its versions (see `pages::Version`).
    context.insert("versions", &Vec::<u8>::new());
    context
}

pub(super) fn render_template(tera: &Tera, site: &Site, name: &str, context: &Context) -> Result<String> {
    tera.render(name, context).map_err(|e| template_error(&e, site))
}

/// Problems in the templates (syntax, unknown filters, functions or includes), found without
/// rendering anything.
pub fn check_templates(site: &Site) -> Option<Error> {
    let mut names = crate::assets::name(&super::site_files::static_bytes(site)).names;
    for (path, _) in urls::ICONS {
        names.insert(path.to_string(), path.to_string());
    }
    names.insert(urls::MANIFEST.to_string(), urls::MANIFEST.to_string());
    templates(site, &site.config.base_path(), &names).err()
}

/// Parses every template once, with soapbox's functions registered first.
fn templates(site: &Site, base_path: &str, assets: &BTreeMap<String, String>) -> Result<Tera> {
    let mut tera = Tera::new();
    let figures = Arc::new(site.figures.clone());
    // A page in another language quotes the figures in its language: translated once here,
    // and only when a template quotes any.
    let quoting = site.templates.values().any(|t| t.content.contains("value("));
    let translated: Arc<BTreeMap<String, BTreeMap<String, Figure>>> = Arc::new(
        site.config
            .languages
            .keys()
            .filter(|_| quoting)
            .map(|tag| (tag.clone(), site.figures.iter().map(|(id, f)| (id.clone(), f.translated(tag))).collect()))
            .collect(),
    );
    tera.register_function("value", move |kwargs: Kwargs, state: &State| -> tera::TeraResult<String> {
        let id: &str = kwargs.must_get("id")?;
        let key: Option<&str> = kwargs.get("key")?;
        let label: Option<&str> = kwargs.get("label")?;
        let lang: Option<String> = state.get("lang")?;
        let quotable = Quotable { figures: &figures, translated: lang.and_then(|tag| translated.get(&tag)) };
        let quoted = quotable
            .quote(id, key, label)
            .ok_or_else(|| tera::Error::message(format!("there is no figure `{id}`; {}", suggestion(id, figures.keys().map(String::as_str)))))?;
        quoted.map(|q| q.formatted()).map_err(|e| tera::Error::message(format!("{}; {}", e.message(), e.hint_text().unwrap_or_default())))
    });
    let assets = assets.clone();
    let base = base_path.to_string();
    tera.register_function("asset", move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
        let path: &str = kwargs.must_get("path")?;
        let path = path.trim_start_matches('/');
        let Some(name) = assets.get(path) else {
            let hint = suggestion(path, assets.keys().map(String::as_str));
            return Err(tera::Error::message(format!("there is no static file `{path}`; {hint}")));
        };
        Ok(format!("{base}{name}"))
    });
    let default = site.config.language.clone();
    let words = Arc::new(site.config.all_languages().map(|tag| Ok((tag.to_string(), strings_for(site, tag)?))).collect::<Result<BTreeMap<_, _>>>()?);
    tera.register_function("t", move |kwargs: Kwargs, state: &State| -> tera::TeraResult<String> {
        let key: &str = kwargs.must_get("key")?;
        // `lang=` gives a passage in another language than the page's (the 404 page's).
        let lang: Option<String> = match kwargs.get("lang")? {
            Some(lang) => Some(lang),
            None => state.get("lang")?,
        };
        let tag = lang.unwrap_or_else(|| default.clone());
        let strings = words.get(&tag).or_else(|| words.get(&default)).ok_or_else(|| tera::Error::message(format!("there are no strings for `{tag}`")))?;
        if !strings.has(key) {
            return Err(tera::Error::message(format!("there is no string `{key}`; {}", suggestion(key, strings.keys()))));
        }
        let fill: Vec<(String, String)> = kwargs
            .iter()
            .filter_map(|(name, value)| {
                name.as_str()
                    .filter(|n| !["key", "count", "lang"].contains(n))
                    .map(|n| (n.to_string(), value.as_str().map_or_else(|| value.to_string(), str::to_string)))
            })
            .collect();
        let fill: Vec<(&str, &str)> = fill.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let count: Option<u64> = kwargs.get("count")?;
        Ok(match count {
            Some(n) => strings.count(key, n, &crate::numbers::Style::of_language(&tag).write(&n.to_string()), &fill),
            None => strings.fill(key, &fill),
        })
    });
    // The strings files sit in templates/ but are words, not templates.
    let sources = site.templates.iter().filter(|(name, _)| !name.starts_with("strings/")).map(|(name, source)| (name.as_str(), source.content.as_str()));
    tera.add_raw_templates(sources).map_err(|e| template_error(&e, site))?;
    Ok(tera)
}

/// The words for the language `tag`: the built-in ones with the site's own
/// `templates/strings/TAG.yaml` (or the file of its first part, `cy.yaml` for `cy-GB`) over them.
pub fn strings_for(site: &Site, tag: &str) -> Result<Strings> {
    crate::load::strings_for(&site.templates, tag)
}

/// A Tera error, pointing into the template file it came from.
fn template_error(err: &tera::Error, site: &Site) -> Error {
    use tera::ErrorKind;
    let report = match err.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => Some(r),
        _ => None,
    };
    let Some(report) = report else {
        return reports_in_text(&err.to_string(), site).unwrap_or_else(|| {
            Error::new(format!("template problem: {}", first_line(&err.to_string())))
                .in_file("templates")
                .hint("check the template names in `{% extends %}` and `{% include %}`")
        });
    };
    let name = report.filename();
    let source = site.templates.get(name);
    let span = report.span();
    let location = match source {
        Some(Source { content, file, .. }) => Location::at_line(file, content, span.start_line, span.start_col + 1),
        None => Location::file(Path::new("templates").join(name)),
    };
    let mut error = Error::new(format!("template problem: {}", report.message())).at(location);
    if source.is_some_and(|s| s.built_in) {
        error = error.hint("this is a built-in template; copy it into your templates/ folder to change it");
    }
    error
}

/// Tera reports missing filters, functions and includes as pre-formatted text, one
/// `error: …` / `--> name:line:col` block each; turn those into our errors.
fn reports_in_text(text: &str, site: &Site) -> Option<Error> {
    let mut errors = Vec::new();
    let mut message = None;
    for line in text.lines() {
        if let Some(m) = line.strip_prefix("error: ") {
            message = Some(m.to_string());
        } else if let (Some(place), Some(m)) = (line.trim_start().strip_prefix("--> "), message.take()) {
            let mut parts = place.rsplitn(3, ':');
            let (col, line_no, name) = (parts.next()?, parts.next()?, parts.next()?);
            let (line_no, col): (usize, usize) = (line_no.parse().ok()?, col.parse().ok()?);
            let source = site.templates.get(name)?;
            let mut error = Error::new(format!("template problem: {m}")).at(Location::at_line(&source.file, &source.content, line_no, col));
            if let Some(word) = m.split('`').nth(1) {
                if m.starts_with("Unknown filter") {
                    const FILTERS: [&str; 36] = [
                        "safe",
                        "default",
                        "upper",
                        "lower",
                        "wordcount",
                        "escape",
                        "escape_html",
                        "escape_xml",
                        "newlines_to_br",
                        "pluralize",
                        "trim",
                        "trim_start",
                        "trim_end",
                        "replace",
                        "capitalize",
                        "title",
                        "truncate",
                        "indent",
                        "str",
                        "int",
                        "float",
                        "length",
                        "reverse",
                        "split",
                        "abs",
                        "round",
                        "first",
                        "last",
                        "nth",
                        "join",
                        "sort",
                        "unique",
                        "get",
                        "values",
                        "keys",
                        "pairs",
                    ];
                    error = error.hint(suggestion(word, FILTERS));
                } else if m.starts_with("Unknown template") {
                    error = error.hint(suggestion(word, site.templates.keys().map(String::as_str)));
                }
            }
            errors.push(error);
        }
    }
    Error::collect(errors)
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

/// A key of every figure's file when any of `templates` (or what they include) quotes values
/// with `value()`, which reads any figure; otherwise 0.
pub(super) fn values_key(site: &Site, templates: &[&str]) -> u64 {
    let quotes = templates.iter().any(|t| closure(site, t).iter().any(|n| site.templates[*n].content.contains("value(")));
    if quotes {
        key(site.figures.values().map(|f| f.hash).collect::<Vec<_>>())
    } else {
        0
    }
}
