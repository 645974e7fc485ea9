//! The pipeline: load and check a site, render it, write it. `build` and `check` here are
//! what the command line runs; the preview drives the same stages through [`crate::serve`].

use crate::error::{Error, Result};
use crate::output::Output;
use crate::{assets, headers, load, numbers, render, write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What a build did, for the one-line summary.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub pages: usize,
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
        write!(
            f,
            "built {} pages, {} figures: {} files, {} bytes in {:.2} s -> {}",
            self.pages,
            self.figures,
            self.files,
            numbers::grouped(&self.bytes.to_string()),
            self.elapsed.as_secs_f64(),
            self.out.display()
        )
    }
}

/// A loaded site that passed every check, with the warnings it raised.
pub struct Checked {
    pub site: load::Site,
    pub warnings: Option<Error>,
}

/// Loads and checks the site at `root`. Any error fails; the error then carries every
/// problem found, warnings included.
pub fn check(root: &Path) -> Result<Checked> {
    let checked = check_at(root, None)?;
    // What only running the templates shows; a build finds it in its render stage.
    match render::dry_run(&checked.site) {
        Some(error) => Err(error.and(checked.warnings)),
        None => Ok(checked),
    }
}

/// [`check`], with `base_url` in place of the one in site.yaml (for preview deploys).
pub fn check_at(root: &Path, base_url: Option<&str>) -> Result<Checked> {
    let (mut site, mut problems) = load::load_partial(root)?;
    if let Some(url) = base_url {
        site.config.base_url = load::checked_base_url(url)?;
    }
    problems.extend(crate::check::check(&site).map(Error::into_list).unwrap_or_default());
    problems.extend(render::check_templates(&site).map(Error::into_list).unwrap_or_default());
    match Error::collect(problems) {
        Some(p) if p.error_count() > 0 => Err(p),
        warnings => Ok(Checked { site, warnings }),
    }
}

/// The stage a build is in, for progress display: one of [`STAGES`].
pub type Progress<'a> = &'a dyn Fn(&'static str);

/// The stages of a build, in order.
pub const STAGES: [&str; 3] = ["loading and checking", "drawing charts and rendering pages", "writing"];

/// Loads, checks and renders the site at `root` into memory, minified.
pub fn build_output(root: &Path) -> Result<(Output, Option<Error>)> {
    build_output_with(root, None, &|_| {})
}

fn build_output_with(root: &Path, base_url: Option<&str>, progress: Progress) -> Result<(Output, Option<Error>)> {
    progress(STAGES[0]);
    let Checked { site, warnings } = check_at(root, base_url)?;
    progress(STAGES[1]);
    let mut output = render::render(&site)?;
    // The headers follow the pages as written, so the policy's script hashes match them.
    let hashed: Vec<&str> = output.files.keys().map(|p| &**p).filter(|p| assets::is_hashed_name(p)).collect();
    let headers = headers::file(&output.files, &site.config.base_path(), &hashed);
    std::sync::Arc::make_mut(&mut output.files).insert(crate::urls::HEADERS.into(), std::sync::Arc::new(headers.into_bytes()));
    Ok((output, warnings))
}

/// Builds the site at `root` into `out`. On any error, `out` is left as it was.
pub fn build(root: &Path, out: &Path) -> Result<BuildReport> {
    build_with(root, out, None, &|_| {})
}

/// [`build`] with `base_url` in place of site.yaml's (when given), telling `progress` each
/// stage as it starts.
pub fn build_with(root: &Path, out: &Path, base_url: Option<&str>, progress: Progress) -> Result<BuildReport> {
    let started = Instant::now();
    write::check_out_dir(root, out)?;
    let (output, warnings) = build_output_with(root, base_url, progress)?;
    progress(STAGES[2]);
    write::write(&output, out)?;
    Ok(BuildReport {
        pages: output.pages,
        figures: output.figures,
        files: output.len(),
        bytes: output.bytes(),
        elapsed: started.elapsed(),
        out: out.to_path_buf(),
        warnings,
    })
}
