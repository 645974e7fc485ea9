//! What a photo costs: a 12-megapixel photo (4000 × 3000, as a phone takes it) made into every
//! width and format, step by step in the library, and a whole build of a page that shows it
//! with the real binary, cold (an empty cache) and cached: wall time and peak memory.
//! Run with `cargo bench --bench photos`.

mod common;

use common::{measure, median_ms};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// A photo-like 12-megapixel JPEG: smooth light across the frame with fine grain on it, which
/// costs an encoder what a real photo's detail does.
fn twelve_megapixels() -> Vec<u8> {
    let (w, h) = (4000u16, 3000u16);
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut pixels = Vec::with_capacity(usize::from(w) * usize::from(h) * 3);
    for y in 0..u32::from(h) {
        for x in 0..u32::from(w) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let grain = (seed % 24) as u32;
            let (fx, fy) = (x as f64 / f64::from(w), y as f64 / f64::from(h));
            let wave = ((fx * 9.0).sin() * (fy * 7.0).cos() * 40.0) as i32;
            let r = (90.0 + 120.0 * fy) as i32 + wave;
            let g = (60.0 + 100.0 * fx) as i32 - wave / 2;
            let b = (140.0 - 80.0 * fy) as i32 + wave / 3;
            for c in [r, g, b] {
                pixels.push((c + grain as i32).clamp(0, 255) as u8);
            }
        }
    }
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, 92).encode(&pixels, w, h, jpeg_encoder::ColorType::Rgb).unwrap();
    out
}

fn main() {
    let source = twelve_megapixels();
    let settings = soapbox::photo::Settings::default();
    println!("a 12-megapixel JPEG of {:.1} MB, widths {:?}, quality {}", source.len() as f64 / 1e6, settings.widths, settings.quality);
    let runs = 3;
    let decode = median_ms(runs, || {
        soapbox::photo::decode(&source).unwrap();
    });
    let photo = soapbox::photo::decode(&source).unwrap();
    let sizes_ms = median_ms(runs, || {
        photo.sizes(&settings.widths);
    });
    let sizes = photo.sizes(&settings.widths);
    println!("{:<28} {:>9.0} ms", "decode", decode);
    println!("{:<28} {:>9.0} ms", "resize to every width", sizes_ms);
    let mut encode_total = 0.0;
    for size in &sizes {
        let (mut webp_bytes, mut jpeg_bytes) = (0, 0);
        let webp = median_ms(runs, || webp_bytes = size.webp(settings.quality).len());
        let jpeg = median_ms(runs, || jpeg_bytes = size.jpeg(settings.quality).len());
        encode_total += webp + jpeg;
        println!(
            "{:<28} {:>9.0} ms  {:>6.0} KB   JPEG {:>5.0} ms  {:>6.0} KB",
            format!("{} x {}: WebP", size.width(), size.height()),
            webp,
            webp_bytes as f64 / 1024.0,
            jpeg,
            jpeg_bytes as f64 / 1024.0
        );
    }
    println!("{:<28} {:>9.0} ms (one core, one file after another)", "all of it", decode + sizes_ms + encode_total);

    // A whole build of a page showing it, with the binary users run.
    let dir = std::env::temp_dir().join(format!("soapbox-photo-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("content")).unwrap();
    std::fs::write(
        dir.join("content/site.yaml"),
        "title: Photo bench\ndescription: A page with one 12-megapixel photo.\nbase_url: https://bench.example.org/\nlanguage: en-GB\norganisation: Bench\n",
    )
    .unwrap();
    std::fs::write(dir.join("content/index.md"), "---\ntitle: One photo\n---\n\n![A field of grain in evening light](photo.jpg)\n").unwrap();
    std::fs::write(dir.join("content/photo.jpg"), &source).unwrap();
    let build = || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_soapbox"));
        command.arg("build").arg("--root").arg(&dir);
        measure(command)
    };
    let (cold, cold_rss, ok) = build();
    assert!(ok, "the bench site builds");
    let mut cached: Vec<(Duration, u64)> = (0..5).map(|_| build()).map(|(t, rss, _)| (t, rss)).collect();
    cached.sort();
    let (warm, warm_rss) = cached[cached.len() / 2];
    let media = std::fs::read_dir(dir.join("public/media")).map_or(0, |d| d.count());
    println!(
        "whole build, {media} photo files: {:.2} s and {:.0} MB peak cold; {:.2} s and {:.0} MB cached (median of 5)",
        cold.as_secs_f64(),
        cold_rss as f64 / 1e6,
        warm.as_secs_f64(),
        warm_rss as f64 / 1e6
    );
    let empty = |d: &Path| std::fs::remove_dir_all(d);
    let _ = empty(&dir);
}
