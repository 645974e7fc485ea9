//! Tile maps in a real build: the built-in and a site's own layouts, their tables and CSV,
//! and the errors a figure or layout gets, each with its file, line and a hint.

use crate::common::TestSite;

/// Builds `site` and returns stderr, insisting that the build failed cleanly.
fn fails(site: &TestSite) -> String {
    let run = site.build(&[]);
    assert!(!run.ok, "the build should have failed");
    assert!(!run.stderr.contains("RUST_BACKTRACE"), "no internals:\n{}", run.stderr);
    run.stderr
}

const MAP: &str = "title: T\nsource: S\nchart: tile-map\nlayout: police-forces-england-wales\nunit: count\ndata:\n  - { label: Durham, value: 92 }\n";

#[test]
fn an_unknown_area_is_refused_at_its_line_with_the_nearest_name() {
    let site = TestSite::fixture("kinds");
    site.write("content/figures/map.yaml", &format!("{MAP}  - {{ label: Clevland, value: 62 }}\n"));
    let stderr = fails(&site);
    assert!(stderr.contains("`Clevland` is no area of the layout `police-forces-england-wales`"), "{stderr}");
    assert!(stderr.contains("content/figures/map.yaml:8:"), "{stderr}");
    assert!(stderr.contains("did you mean `Cleveland`?"), "{stderr}");
}

#[test]
fn an_unknown_layout_is_refused_at_its_line_with_the_nearest_name() {
    let site = TestSite::fixture("kinds");
    site.write("content/figures/map.yaml", &MAP.replace("police-forces-england-wales", "police-force-england-wales"));
    let stderr = fails(&site);
    assert!(stderr.contains("there is no layout `police-force-england-wales`"), "{stderr}");
    assert!(stderr.contains("content/figures/map.yaml:4:"), "{stderr}");
    assert!(stderr.contains("Did you mean `police-forces-england-wales`?"), "{stderr}");
    site.write("content/figures/map.yaml", &MAP.replace("layout: police-forces-england-wales\n", ""));
    let stderr = fails(&site);
    assert!(stderr.contains("a tile map needs `layout`") && stderr.contains("content/figures/map.yaml:3:"), "{stderr}");
}

const REGIONS: &str = "title: regions\ntranslations: { cy: rhanbarthau }\nareas:\n  - { name: North, code: N, column: 0, row: 0, translations: { cy: Gogledd } }\n  - { name: Middle, code: M, column: 0, row: 1 }\n  - { name: South, code: S, column: 1, row: 1, translations: { cy: De } }\n";

#[test]
fn a_site_keeps_its_own_layouts_and_every_area_is_listed() {
    let site = TestSite::fixture("kinds");
    site.write("content/layouts/regions.yaml", REGIONS);
    site.write(
        "content/figures/regions.yaml",
        "title: T\nsource: S\nchart: tile-map\nlayout: regions\nunit: count\ndata:\n  - { label: North, value: 5 }\n  - { label: Middle, value: null }\n",
    );
    site.build_ok();
    // The fixture's site writes in Welsh, so its map shows the layout's Welsh names.
    let csv = site.read("figures/regions.csv");
    assert_eq!(csv, "\u{feff}Label,Nifer,Nodyn\r\nGogledd,5,\r\nMiddle,,heb ei adrodd\r\nDe,,ddim yn y data hwn\r\n");
    let svg = site.read("figures/regions.svg");
    for words in ["Gogledd", "Middle", "De", "Heb ei adrodd", "Ddim yn y data hwn"] {
        assert!(svg.contains(&format!(">\n{words}\n<")), "{words}: {svg}");
    }
    assert!(svg.contains("Mae&#39;r map teils yn dangos rhanbarthau, un deilsen i bob un"), "{svg}");
    assert!(svg.contains("Heb eu hadrodd: Middle. Nid yw&#39;r data hwn yn cynnwys: De."), "{svg}");
}

#[test]
fn a_broken_layout_is_refused_at_its_line() {
    let site = TestSite::fixture("kinds");
    site.write("content/layouts/regions.yaml", &REGIONS.replace("column: 1, row: 1", "column: 0, row: 1"));
    let stderr = fails(&site);
    assert!(stderr.contains("`South` and `Middle` both stand at column 0, row 1"), "{stderr}");
    assert!(stderr.contains("content/layouts/regions.yaml:6:"), "{stderr}");
    assert!(stderr.contains("give each area a cell of its own"), "{stderr}");
}
