//! soapbox builds static campaign microsites: Markdown pages and YAML figures in, a folder of
//! plain, fast, accessible files out, with charts drawn at build time.
//!
//! The build is a pipeline, one module a stage:
//!
//! ```text
//! load    content/site.yaml, pages, figures, templates, static  -> Site
//! check   references between files                             -> errors with spans
//! render  Markdown + charts + Tera templates                    -> Output (path -> bytes)
//! write   minify, stage beside the output folder, swap in       -> the site on disk
//! ```
//!
//! `main.rs` is a thin command line over [`build`], so tests and benchmarks drive the same
//! code that users run.

pub mod chart;
pub mod check;
pub mod data;
pub mod error;
pub mod figure;
pub mod load;
pub mod markdown;
pub mod render;
pub mod share;
pub mod theme;
pub mod write;
mod yaml;

pub use error::{Error, Result};
pub use render::Output;

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
}

impl std::fmt::Display for BuildReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "built {} pages, {} figures: {} files, {} bytes in {:.2} s -> {}",
            self.pages,
            self.figures,
            self.files,
            figure::Unit::Count.format(self.bytes as f64),
            self.elapsed.as_secs_f64(),
            self.out.display()
        )
    }
}

/// Loads, checks and renders the site at `root` into memory, minified.
pub fn build_output(root: &Path) -> Result<Output> {
    let site = load::load(root)?;
    if let Some(errors) = check::check(&site) {
        return Err(errors);
    }
    let mut output = render::render(&site)?;
    write::minify(&mut output);
    Ok(output)
}

/// Builds the site at `root` into `out`. On any error, `out` is left as it was.
pub fn build(root: &Path, out: &Path) -> Result<BuildReport> {
    let started = Instant::now();
    write::check_out_dir(root, out)?;
    let output = build_output(root)?;
    write::write(&output, out)?;
    Ok(BuildReport {
        pages: output.pages,
        figures: output.figures,
        files: output.files.len(),
        bytes: output.bytes(),
        elapsed: started.elapsed(),
        out: out.to_path_buf(),
    })
}
