//! What the images of the default site cost: milliseconds per figure for the SVG and for each
//! PNG size, and the whole build with them. Run with `cargo bench --bench images`.

mod common;

use common::median_ms;
use soapbox::chart::{self, image};
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = soapbox::load::load(root).expect("the default site loads");
    let brand = soapbox::render::brand(&site);
    let runs = 15;
    println!("images of the default site, median of {runs} runs, one core");
    println!("{:<26} {:>8} {:>10} {:>10} {:>10} {:>10}", "figure", "SVG ms", "1200x630", "1080x1080", "1080x1350", "all ms");
    let mut total = 0.0;
    for figure in site.figures.values() {
        let svg = median_ms(runs, || {
            chart::svg(figure).unwrap();
        });
        let pngs: Vec<f64> = image::SIZES
            .iter()
            .map(|size| {
                median_ms(runs, || {
                    let c = image::compose(figure, *size, &brand).unwrap();
                    image::rasterize(&c.svg, &[("Title", &figure.title)]).unwrap();
                })
            })
            .collect();
        let all = svg + pngs.iter().sum::<f64>();
        total += all;
        println!("{:<26} {:>8.2} {:>10.1} {:>10.1} {:>10.1} {:>10.1}", figure.id, svg, pngs[0], pngs[1], pngs[2], all);
    }
    let card = median_ms(runs, || {
        image::rasterize(&image::site_card(&brand), &[]).unwrap();
    });
    total += card;
    println!("{:<26} {:>8} {:>10.1} {:>10} {:>10} {:>10.1}", "site card", "", card, "", "", card);
    println!("all images, one after another: {total:.0} ms");
    // The cache is only a cache: emptying it gives a cold build to time.
    let _ = std::fs::remove_dir_all(root.join(soapbox::cache::DIR));
    let cold = median_ms(1, || {
        soapbox::build_output(root, soapbox::moment::Moment::from_unix(0)).unwrap();
    });
    let warm = median_ms(5, || {
        soapbox::build_output(root, soapbox::moment::Moment::from_unix(0)).unwrap();
    });
    println!("whole default-site build in memory (parallel, minified): {cold:.0} ms cold, {warm:.0} ms with the image cache");
}
