//! What each page of the default site weighs on the wire for a first view: its HTML (inline
//! chart SVGs included) and its stylesheet, gzip-compressed. The budget is 14 KB, one TCP
//! round trip. Fonts and PNGs are left out: cached across pages, loaded after first paint.
//! Run with `cargo bench --bench weight`.

use flate2::{write::GzEncoder, Compression};
use std::io::Write;
use std::path::Path;

fn gzip(bytes: &[u8]) -> usize {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap().len()
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (output, _) = soapbox::build_output(root, soapbox::moment::Moment::from_unix(0)).expect("the default site builds");
    let css = output.files.iter().find(|(p, _)| p.starts_with("style.") && p.ends_with(".css")).map(|(_, b)| gzip(b)).unwrap_or(0);
    let mut rows: Vec<(usize, usize, &str)> = output.files.iter().filter(|(p, _)| p.ends_with(".html")).map(|(p, b)| (gzip(b) + css, gzip(b), &**p)).collect();
    rows.sort_by(|a, b| b.cmp(a));
    println!("first-view weight, gzip: page HTML + stylesheet ({:.1} KB); budget 14 KB", css as f64 / 1024.0);
    for (total, html, path) in &rows {
        println!("{:>8.1} KB  ({:>5.1} KB HTML)  /{}", *total as f64 / 1024.0, *html as f64 / 1024.0, path.trim_end_matches("index.html"));
    }
    if let Some((total, _, path)) = rows.first() {
        println!("heaviest: /{} at {:.1} KB", path.trim_end_matches("index.html"), *total as f64 / 1024.0);
    }
}
