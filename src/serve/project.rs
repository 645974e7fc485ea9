//! A site kept loaded between edits, and the build's own [`Stages`] with what they keep. An
//! edit reloads only the files it names, then checks and renders through the same stages as a
//! build, whose caches redo only what the edit touches.

use crate::error::{Error, Result};
use crate::load::{self, Reloaded, Site};
use crate::output::Output;
use crate::pipeline::Stages;
use crate::render::{Purpose, RenderStats};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub struct Project {
    root: PathBuf,
    /// The address the preview is served at; it replaces `base_url`.
    base_url: String,
    /// The site as it loaded in full, brought up to date by each edit.
    site: Option<Site>,
    stages: Stages,
    /// Files that did not load at the last rebuild: read again at the next one, with whatever
    /// changed since, until they do.
    pending: BTreeSet<PathBuf>,
}

impl Project {
    /// The site at `root`, served at `base_url`, as it is at `at`.
    pub fn new(root: &Path, base_url: &str, at: crate::moment::Moment) -> Project {
        let stages = Stages::new(root, Purpose::Preview, at);
        Project { root: root.to_path_buf(), base_url: base_url.to_string(), site: None, stages, pending: BTreeSet::new() }
    }

    /// Loads everything and renders it. The site is kept for the next edit only when every
    /// file loaded; until then each rebuild loads everything again.
    pub fn build(&mut self) -> Result<(Output, Option<Error>)> {
        self.site = None;
        // Everything is read again, so nothing is left to retry.
        self.pending.clear();
        let (mut site, problems) = load::load_partial(&self.root)?;
        site.config.base_url = self.base_url.clone();
        let complete = problems.is_empty();
        let result = self.stages.run(&site, problems, &|_| {});
        if complete {
            self.site = Some(site);
        }
        result
    }

    /// Reloads the files at `changed` (paths under the root, absolute or relative) and renders
    /// again. Anything it cannot place precisely leads to a full reload.
    ///
    /// Every file named is read, even after one fails: a batch of saves is applied whole, not
    /// up to its first broken file. A file that fails is read again at every rebuild until it
    /// loads, so the site in memory always comes back to what is on disk.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Result<(Output, Option<Error>)> {
        let Some(site) = self.site.as_mut() else { return self.build() };
        let mut todo = std::mem::take(&mut self.pending);
        todo.extend(changed.iter().map(|path| {
            let rel = path.strip_prefix(&self.root).unwrap_or(path);
            rel.strip_prefix(".").unwrap_or(rel).to_path_buf()
        }));
        let todo: Vec<PathBuf> = todo.into_iter().collect();
        let problems = match site.reload(&todo) {
            Ok(Reloaded::Applied { problems, failed }) => {
                self.pending.extend(failed);
                problems
            }
            Ok(Reloaded::Everything) => return self.build(),
            Err(e) => {
                self.pending.extend(todo);
                return Err(e);
            }
        };
        site.config.base_url = self.base_url.clone();
        self.stages.run(site, problems, &|_| {})
    }

    /// What the last render redid.
    pub fn last_render(&self) -> &RenderStats {
        self.stages.last_render()
    }
}
