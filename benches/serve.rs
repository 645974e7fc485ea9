//! How fast serve turns a one-page edit into a servable site: the default site, one page
//! rewritten, rebuilt through the cache. Run with `cargo bench --bench serve`.

#[path = "../tests/site/common/mod.rs"]
mod common;

use soapbox::serve::Project;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn main() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("soapbox-serve-bench-{}", std::process::id()));
    for part in ["content", "templates", "static"] {
        common::copy_tree(&repo.join(part), &dir.join(part));
    }
    let mut project = Project::new(&dir, "http://127.0.0.1:4000/", soapbox::moment::Moment::from_unix(0));
    let start = Instant::now();
    project.build().unwrap();
    let first = start.elapsed();
    let page = dir.join("content/asks.md");
    let original = std::fs::read_to_string(&page).unwrap();
    let mut times = Vec::new();
    for i in 0..41 {
        std::fs::write(&page, format!("{original}\nEdit number {}.\n", ["one", "two"][i % 2])).unwrap();
        let start = Instant::now();
        project.rebuild(&[PathBuf::from("content/asks.md")]).unwrap();
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let stats = project.last_render();
    println!("serve, default site: first build {:.0} ms", first.as_secs_f64() * 1000.0);
    println!(
        "one-page edit rebuilt and ready to serve: median {:.1} ms, slowest {:.1} ms ({} pages re-rendered, {} figures redrawn)",
        times[times.len() / 2],
        times[times.len() - 1],
        stats.pages.len(),
        stats.figures
    );
    let _ = std::fs::remove_dir_all(&dir);
}
