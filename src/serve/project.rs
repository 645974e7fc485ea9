//! A site kept in memory between edits: the loaded [`Site`], the render cache, and the last
//! good output. A change reloads only the files it names, checks the whole site again (cheap),
//! and renders again through the cache, so only what the change touches is redone.

use crate::check::CheckCache;
use crate::error::{Error, Result};
use crate::load::{self, Reader, Site};
use crate::output::Output;
use crate::render::{self, RenderCache, RenderStats};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub struct Project {
    root: PathBuf,
    /// The address the preview is served at; it replaces `base_url`.
    base_url: String,
    site: Option<Site>,
    cache: RenderCache,
    checked: CheckCache,
    /// Files that did not load at the last rebuild: read again at the next one, with whatever
    /// changed since, until they do.
    pending: BTreeSet<PathBuf>,
}

impl Project {
    pub fn new(root: &Path, base_url: &str) -> Project {
        let cache = RenderCache::with_disk(crate::cache::Cache::at(root));
        Project { root: root.to_path_buf(), base_url: base_url.to_string(), site: None, cache, checked: CheckCache::default(), pending: BTreeSet::new() }
    }

    /// Loads everything and renders it.
    pub fn build(&mut self) -> Result<Output> {
        self.site = None;
        // Everything is read again, so nothing is left to retry.
        self.pending.clear();
        let mut site = load::load(&self.root)?;
        site.config.base_url = self.base_url.clone();
        self.site = Some(site);
        self.render()
    }

    /// Reloads the files at `changed` (paths under the root, absolute or relative) and renders
    /// again. Anything it cannot place precisely leads to a full reload.
    ///
    /// Every file named is read, even after one fails: a batch of saves is applied whole, not
    /// up to its first broken file. A file that fails is kept and read again at every rebuild
    /// until it loads, so the site in memory always comes back to what is on disk.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<Output> {
        if self.site.is_none() {
            return self.build();
        }
        let mut todo = std::mem::take(&mut self.pending);
        todo.extend(changed.iter().map(|path| {
            let rel = path.strip_prefix(&self.root).unwrap_or(path);
            rel.strip_prefix(".").unwrap_or(rel).to_path_buf()
        }));
        let reader = match Reader::new(&self.root) {
            Ok(reader) => reader,
            Err(e) => {
                self.pending = todo;
                return Err(e);
            }
        };
        let (mut templates, mut statics) = (Vec::new(), Vec::new());
        let mut problems = Vec::new();
        for rel in todo {
            let Some(site) = self.site.as_mut() else { break };
            match reload(site, &reader, &self.root, &self.base_url, &rel) {
                Ok(Reload::Done) => {}
                Ok(Reload::Templates) => templates.push(rel),
                Ok(Reload::Static) => statics.push(rel),
                // A folder appeared or went away: read the content again.
                Ok(Reload::Everything) => return self.build(),
                Err(e) => {
                    problems.push(e);
                    self.pending.insert(rel);
                }
            }
        }
        if let Some(site) = self.site.as_mut() {
            if !templates.is_empty() {
                match reader.templates() {
                    Ok(loaded) => site.templates = loaded,
                    Err(e) => {
                        problems.push(e);
                        self.pending.extend(templates);
                    }
                }
            }
            if !statics.is_empty() {
                match reader.static_files() {
                    Ok(loaded) => site.static_files = loaded,
                    Err(e) => {
                        problems.push(e);
                        self.pending.extend(statics);
                    }
                }
            }
        }
        match Error::collect(problems) {
            Some(problems) => Err(problems),
            None => self.render(),
        }
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

/// What reading one changed file asks of the rest of the rebuild.
enum Reload {
    Done,
    Templates,
    Static,
    Everything,
}

/// Reads the changed file at `rel` into `site`, or says what more it needs.
fn reload(site: &mut Site, reader: &Reader, root: &Path, base_url: &str, rel: &Path) -> Result<Reload> {
    if rel == Path::new("content/site.yaml") {
        site.config = reader.config()?;
        site.config.base_url = base_url.to_string();
    } else if load::is_figure(rel) {
        let id = rel.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        if root.join(rel).is_file() {
            let (id, figure) = reader.figure(rel)?;
            site.figures.insert(id, figure);
        } else {
            site.figures.remove(&id);
        }
    } else if rel.starts_with("content") && load::is_page(rel) {
        let page = if root.join(rel).is_file() { reader.page(rel)? } else { None };
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
        return Ok(Reload::Templates);
    } else if rel.starts_with("static") {
        return Ok(Reload::Static);
    } else if rel.starts_with("content") {
        return Ok(Reload::Everything);
    }
    Ok(Reload::Done)
}
