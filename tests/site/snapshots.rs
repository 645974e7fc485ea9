//! Snapshot tests: the chart SVGs of every kind, byte for byte. Charts are drawn with an
//! embedded font and no system state, so these files are the same on every machine.
//! After an intended change, rewrite them with `UPDATE_SNAPSHOTS=1 cargo test --release`.

use crate::common::TestSite;
use std::path::Path;

#[test]
fn chart_svgs_match_their_snapshots() {
    let site = TestSite::fixture("kinds");
    site.build_ok();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut changed = Vec::new();
    for kind in ["bar", "column", "stacked", "donut", "line", "waffle", "dot", "tilemap"] {
        let actual = site.read(&format!("figures/{kind}.svg"));
        let path = dir.join(format!("{kind}.svg"));
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        if expected != actual {
            changed.push(format!("{} (compare with {}/public/figures/{kind}.svg)", path.display(), site.root().display()));
        }
    }
    if !changed.is_empty() {
        let kept = site.dir.keep();
        panic!("chart output changed; review and run with UPDATE_SNAPSHOTS=1 if intended (output kept in {}):\n{}", kept.display(), changed.join("\n"));
    }
}
