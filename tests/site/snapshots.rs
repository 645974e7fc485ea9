//! Snapshot tests: the chart SVGs of every kind, and the SVG and every share image of each
//! newer kind and of each feature that points at a finding (highlight, order, reference lines
//! and bands, shaded periods, annotations), byte for byte. Charts are drawn and rasterised
//! with an embedded font and no system state, so these files are the same on every machine.
//! After an intended change, rewrite them with `UPDATE_SNAPSHOTS=1 cargo test --release`.
//! The README shows some of the PNGs: they are the pictures of each kind and feature.

use crate::common::TestSite;
use std::path::Path;

/// Compares each of `files` (paths in the built site) with its snapshot under
/// `tests/snapshots/FOLDER`, or rewrites the snapshots with `UPDATE_SNAPSHOTS` set.
fn compare(fixture: &str, folder: &str, files: &[String]) {
    let site = TestSite::fixture(fixture);
    site.build_ok();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots").join(folder);
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut changed = Vec::new();
    for file in files {
        let actual = std::fs::read(site.out().join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let path = dir.join(Path::new(file).file_name().unwrap());
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &actual).unwrap();
            continue;
        }
        if std::fs::read(&path).unwrap_or_default() != actual {
            changed.push(format!("{} (compare with {}/public/{file})", path.display(), site.root().display()));
        }
    }
    if !changed.is_empty() {
        let kept = site.dir.keep();
        panic!("chart output changed; review and run with UPDATE_SNAPSHOTS=1 if intended (output kept in {}):\n{}", kept.display(), changed.join("\n"));
    }
}

/// The SVG and the three share images of each figure `ids`.
fn svg_and_images(ids: &[&str]) -> Vec<String> {
    ids.iter()
        .flat_map(|id| {
            ["svg", "1200x630.png", "1080x1080.png", "1080x1350.png"].map(|end| format!("figures/{id}{}{end}", if end == "svg" { "." } else { "-" }))
        })
        .collect()
}

#[test]
fn chart_svgs_match_their_snapshots() {
    let kinds = ["bar", "column", "stacked", "donut", "line", "waffle", "dot", "tilemap"];
    compare("kinds", "", &kinds.map(|kind| format!("figures/{kind}.svg")));
}

#[test]
fn the_newer_kinds_and_those_the_story_fixture_lacks_match_their_snapshots_as_svg_and_every_share_image() {
    compare("kinds", "kinds", &svg_and_images(&["waffle", "dot", "tilemap", "stacked", "donut"]));
}

#[test]
fn charts_that_point_at_their_finding_match_their_snapshots_as_svg_and_every_share_image() {
    // trend: a shaded period, a reference line, a highlighted series, notes on points;
    // columns: ordered by value, a reference band, a note on a column; bars: a reference
    // line, a highlight and a note; dots: a reference line and a note on a dot.
    compare("story", "story", &svg_and_images(&["trend", "columns", "bars", "dots"]));
}
