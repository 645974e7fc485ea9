//! The pipeline: load and check a site, render it, write it. `build` and `check` here are
//! what the command line runs. After loading, every run goes through one [`Stages`]: `build`
//! and `check` run it once, and the preview ([`crate::serve`]) keeps one between edits, so it
//! serves what a build of the same files writes, byte for byte.

use crate::check::{self as checks, CheckCache};
use crate::error::{Error, Result};
use crate::load::{self, Site};
use crate::moment::Moment;
use crate::output::Output;
use crate::render::{self, Purpose, RenderCache, RenderStats};
use crate::schedule::{Report, Timetable};
use crate::{assets, headers, numbers, urls, write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What a build did, for the one-line summary.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub pages: usize,
    /// Of a site in several languages, each language's name and its pages.
    pub languages: Vec<(String, usize)>,
    pub figures: usize,
    pub files: usize,
    pub bytes: usize,
    pub elapsed: Duration,
    pub out: PathBuf,
    /// Problems that did not stop the build.
    pub warnings: Option<Error>,
}

impl std::fmt::Display for BuildReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let languages: Vec<String> = self.languages.iter().map(|(name, n)| format!("{name} {n}")).collect();
        let languages = if languages.is_empty() { String::new() } else { format!(" ({})", languages.join(", ")) };
        write!(
            f,
            "built {}{languages}, {}: {}, {} in {:.2} s -> {}",
            numbers::counted(self.pages, "page", "pages"),
            numbers::counted(self.figures, "figure", "figures"),
            numbers::counted(self.files, "file", "files"),
            numbers::counted(self.bytes, "byte", "bytes"),
            self.elapsed.as_secs_f64(),
            self.out.display()
        )
    }
}

/// A loaded site that passed every check, with the warnings it raised.
pub struct Checked {
    /// The whole site as loaded, what is held back included.
    pub site: load::Site,
    pub warnings: Option<Error>,
    /// What is held back at the moment checked, and what changes between the two moments.
    pub schedule: Report,
}

/// Loads and checks the site at `root` as it is at `at`, and renders every page without
/// writing it, to find what only running the templates shows. Any error fails; the error
/// then carries every problem found, warnings included. The report says what goes live or
/// comes down after `now` and by `at`, and what is held back at `at`.
pub fn check(root: &Path, now: Moment, at: Moment) -> Result<Checked> {
    let (site, problems) = load::load_partial(root)?;
    let (_, warnings) = Stages::new(root, Purpose::Check, at).run(&site, problems, &|_| {})?;
    let schedule = Timetable::of(&site).report(&site, now, at);
    Ok(Checked { site, warnings, schedule })
}

/// The stages after loading, and what they keep between runs: check the loaded site, render
/// it, and for a build add the host's headers. A build runs them once; the preview runs them
/// after every edit on the site it keeps loaded, so that what it serves is what a build of
/// the same files writes.
pub struct Stages {
    purpose: Purpose,
    /// The moment the site is built at: what is live then is built.
    at: Moment,
    checks: CheckCache,
    render: RenderCache,
}

impl Stages {
    /// Nothing kept yet, for renders of the site at `root` as it is at `at`.
    pub fn new(root: &Path, purpose: Purpose, at: Moment) -> Stages {
        Stages { purpose, at, checks: CheckCache::default(), render: RenderCache::new(root, purpose) }
    }

    /// Checks `site` and renders it. `loaded` holds the problems of the files that did not
    /// load. Any error stops the run before rendering, and the error carries every problem
    /// found, warnings included; else the output comes with the warnings.
    /// `progress` hears when rendering starts.
    ///
    /// A build and a check see only what is live at the stages' moment; the preview sees
    /// everything, and marks on each page that is not live when it goes live or came down.
    /// Either way, a live page that shows or links to what is not live is an error.
    pub fn run(&mut self, site: &Site, loaded: Vec<Error>, progress: Progress) -> Result<(Output, Option<Error>)> {
        let mut problems = loaded;
        let timetable = Timetable::of(site);
        problems.extend(timetable.problems(site, self.at));
        let live;
        let (site, notices) = match self.purpose {
            Purpose::Preview => (site, timetable.notices(site, self.at)),
            _ if timetable.holds_any(self.at) => {
                live = timetable.live_site(site, self.at);
                (&live, Default::default())
            }
            _ => (site, Default::default()),
        };
        problems.extend(checks::check_with(site, &mut self.checks).map(Error::into_list).unwrap_or_default());
        let warnings = match Error::collect(problems) {
            // Rendering is not reached, so broken templates are looked for now, so as to
            // report them with the rest.
            Some(found) if found.error_count() > 0 => return Err(found.and(render::check_templates(site))),
            warnings => warnings,
        };
        progress(STAGES[1]);
        let timing = render::Timing { at: self.at, notices: &notices };
        let mut output = render::render_with(site, &mut self.render, &timing).map_err(|e| e.and(warnings.clone()))?;
        if self.purpose == Purpose::Build {
            // A build looks up every figure of the site, so what it did not is no longer wanted.
            self.render.disk.prune();
            // The headers follow the pages as written, so the policy's script hashes match them.
            let hashed: Vec<&str> = output.files.keys().chain(output.stored.keys()).map(|p| &**p).filter(|p| assets::is_hashed_name(p)).collect();
            let headers = headers::file(&output.files, &site.config.base_path(), &hashed, &headers::allowed(site));
            Arc::make_mut(&mut output.files).insert(urls::HEADERS.into(), Arc::new(headers.into_bytes()));
        }
        Ok((output, warnings))
    }

    /// What the last render redid.
    pub fn last_render(&self) -> &RenderStats {
        &self.render.last
    }
}

/// The stage a build is in, for progress display: one of [`STAGES`].
pub type Progress<'a> = &'a dyn Fn(&'static str);

/// The stages of a build, in order.
pub const STAGES: [&str; 3] = ["loading and checking", "drawing charts and rendering pages", "writing"];

/// Loads, checks and renders the site at `root` as it is at `at` into memory, minified.
pub fn build_output(root: &Path, at: Moment) -> Result<(Output, Option<Error>)> {
    build_output_with(root, None, at, &|_| {})
}

fn build_output_with(root: &Path, base_url: Option<&str>, at: Moment, progress: Progress) -> Result<(Output, Option<Error>)> {
    progress(STAGES[0]);
    let (mut site, problems) = load::load_partial(root)?;
    if let Some(url) = base_url {
        site.config.base_url = load::checked_base_url(url)?;
    }
    Stages::new(root, Purpose::Build, at).run(&site, problems, progress)
}

/// Builds the site at `root`, as it is at `at`, into `out`. On any error, `out` is left as it
/// was.
pub fn build(root: &Path, out: &Path, at: Moment) -> Result<BuildReport> {
    build_with(root, out, None, at, &|_| {})
}

/// [`build`] with `base_url` in place of site.yaml's (when given), telling `progress` each
/// stage as it starts.
pub fn build_with(root: &Path, out: &Path, base_url: Option<&str>, at: Moment, progress: Progress) -> Result<BuildReport> {
    let started = Instant::now();
    write::check_out_dir(root, out)?;
    let (output, warnings) = build_output_with(root, base_url, at, progress)?;
    progress(STAGES[2]);
    write::write(&output, out)?;
    Ok(BuildReport {
        pages: output.pages,
        languages: output.languages.clone(),
        figures: output.figures,
        files: output.len(),
        bytes: output.bytes(),
        elapsed: started.elapsed(),
        out: out.to_path_buf(),
        warnings,
    })
}
