//! A site kept in memory between edits: the loaded [`Site`], the render cache, and the last
//! good output. A change reloads only the files it names, checks the whole site again (cheap),
//! and renders again through the cache, so only what the change touches is redone.

use crate::check::CheckCache;
use crate::error::{Error, Result};
use crate::load::{self, Reader, Site};
use crate::output::Output;
use crate::render::{self, RenderCache, RenderStats};
use std::path::{Path, PathBuf};

pub struct Project {
    root: PathBuf,
    /// The address the preview is served at; it replaces `base_url`.
    base_url: String,
    site: Option<Site>,
    cache: RenderCache,
    checked: CheckCache,
}

impl Project {
    pub fn new(root: &Path, base_url: &str) -> Project {
        let cache = RenderCache::with_disk(crate::cache::Cache::at(root));
        Project { root: root.to_path_buf(), base_url: base_url.to_string(), site: None, cache, checked: CheckCache::default() }
    }

    /// Loads everything and renders it.
    pub fn build(&mut self) -> Result<Output> {
        self.site = None;
        let mut site = load::load(&self.root)?;
        site.config.base_url = self.base_url.clone();
        self.site = Some(site);
        self.render()
    }

    /// Reloads the files at `changed` (paths under the root, absolute or relative) and renders
    /// again. Anything it cannot place precisely leads to a full reload.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Output> {
        let Some(site) = self.site.as_mut() else { return self.build() };
        let reader = Reader::new(&self.root)?;
        let mut reload_templates = false;
        let mut reload_static = false;
        for path in changed {
            let rel = path.strip_prefix(&self.root).unwrap_or(path);
            let rel = rel.strip_prefix(".").unwrap_or(rel);
            if rel == Path::new("content/site.yaml") {
                site.config = reader.config()?;
                site.config.base_url = self.base_url.clone();
            } else if load::is_figure(rel) {
                let id = rel.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                if self.root.join(rel).is_file() {
                    let (id, figure) = reader.figure(rel)?;
                    site.figures.insert(id, figure);
                } else {
                    site.figures.remove(&id);
                }
            } else if rel.starts_with("content") && load::is_page(rel) {
                let page = if self.root.join(rel).is_file() { reader.page(rel)? } else { None };
                let at = site.pages.iter().position(|p| p.file == rel);
                match (at, page) {
                    // An edit that keeps the address: the page keeps its place.
                    (Some(i), Some(page)) if site.pages[i].url == page.url => site.pages[i] = page,
                    (_, page) => {
                        site.pages.retain(|p| p.file != rel);
                        site.pages.extend(page);
                        load::sort_pages(&mut site.pages);
                    }
                }
            } else if rel.starts_with("templates") {
                reload_templates = true;
            } else if rel.starts_with("static") {
                reload_static = true;
            } else if rel.starts_with("content") {
                // A folder appeared or went away: read the content again.
                return self.build();
            }
        }
        if reload_templates {
            site.templates = reader.templates()?;
        }
        if reload_static {
            site.static_files = reader.static_files()?;
        }
        self.render()
    }

    fn render(&mut self) -> Result<Output> {
        let Some(site) = self.site.as_ref() else { return Err(Error::new("the site is not loaded")) };
        if let Some(problems) = crate::check::check_with(site, &mut self.checked) {
            if problems.error_count() > 0 {
                return Err(problems);
            }
        }
        render::render_with(site, &mut self.cache)
    }

    /// What the last render redid.
    pub fn last_render(&self) -> &RenderStats {
        &self.cache.last
    }
}
