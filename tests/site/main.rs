//! soapbox's integration tests, one binary with a module per area, so the suite links once.
//!
//! Each module drives the real `soapbox` binary (through `common`) or the library on real
//! sites. Run one area alone by its module path, for example
//! `cargo test --release --test site -- hostile::`, and skip one with `--skip browser::`.
//! A new area is a file beside this one and a `mod` line below.

mod common;

#[cfg(unix)]
mod harness;

mod actions;
mod build;
mod check_implies_build;
mod cli;
#[cfg(unix)]
mod dist;
mod errors;
mod events;
mod forms;
mod fuzz;
mod hostile;
mod input_safety;
mod languages;
mod markup_safety;
mod numbers_truth;
mod output_safety;
mod photos;
mod preview_equals_build;
mod publish;
mod serve;
mod share;
mod snapshots;
mod story;
mod tilemap;

mod browser;
