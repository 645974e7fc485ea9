//! soapbox builds static campaign microsites: Markdown pages and YAML figures in, a folder of
//! plain, fast, accessible files out, with charts drawn at build time.
//!
//! The build is a pipeline, one module a stage:
//!
//! ```text
//! load    content/site.yaml, pages, figures, templates, static  -> Site
//! check   references between files                             -> errors with spans
//! render  Markdown + charts + Tera templates, minified          -> Output (path -> bytes)
//! write   into the spare beside the output folder, swap in      -> the site on disk
//! ```
//!
//! `main.rs` is a thin command line over [`build`], so tests and benchmarks drive the same
//! code that users run.

// The floor below every stage: vocabulary that any module may use.
pub mod brand;
pub mod build_info;
pub mod code_hash;
pub mod colour;
pub mod error;
pub mod escape;
pub mod fonts;
pub mod hash;
pub mod moment;
pub mod numbers;
pub mod output;
pub mod read;
pub mod strings;
pub mod theme;
pub mod typography;
pub mod urls;
pub mod web;
mod yaml;

// Load: the site's files, read and validated one by one.
pub mod components;
pub mod data;
pub mod event;
pub mod figure;
pub mod layouts;
pub mod load;
pub mod markdown;
pub mod photo;

// Check: the rules between files, and the numbers typed by hand.
pub mod check;
pub mod handtyped;
pub mod schedule;

// Render: charts, images and pages, in memory.
pub mod assets;
pub mod cache;
pub mod chart;
pub mod headers;
pub mod render;
pub mod share;

// Write: onto disk, atomically; and a new site's first files.
pub mod new;
pub mod write;

// The stages in order, for the command line and the preview.
pub mod pipeline;
pub mod serve;

#[cfg(test)]
mod floors;

pub use error::{Error, Result};
pub use output::Output;
pub use pipeline::{build, build_output, build_with, check, BuildReport, Checked, Progress, Stages, STAGES};
pub use render::Purpose;
