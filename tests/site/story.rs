//! Charts that point at their finding, as a reader meets them: the story fixture's notes,
//! reference lines and bands and shaded periods in the chart, its description and its share
//! page; notes that quote the data, hand-typed numbers in them found, and a note with no room
//! refused with its place while the last build stays as it was.

use crate::common::TestSite;

#[test]
fn notes_bands_and_periods_reach_the_chart_and_its_description() {
    let site = TestSite::fixture("story");
    site.build_ok();
    let home = site.read("index.html");
    for words in [
        // Drawn in the chart, in both of its width bands.
        ">Highest on record<",
        ">Actions level off<",
        ">Fixture rule in force<",
        ">Target (200)<",
        ">Usual range (40%–60%)<",
        ">Twice the lowest area<",
        ">The largest rise<",
        // Read out in the description.
        "The period from 2017 to 2018 is shaded: Fixture rule in force.",
        "A line marks 200: Target.",
        "A note at Reports for 2018 reads: “Highest on record”.",
        "A band marks 40% to 60%: Usual range.",
        "A note at East reads: “Twice the lowest area”.",
        "A note at Year two for East Fixtureland reads: “The largest rise”.",
        "The chart highlights Platform A.",
    ] {
        assert!(home.contains(words), "the home page shows `{words}`");
    }
    // The band lies behind the columns, in the colour dark mode changes.
    let columns = site.read("figures/columns.svg");
    let band = columns.find("#F2F3F5").expect("the band is drawn");
    assert!(band < columns.find("#1F4E8C").or_else(|| columns.find("fill=\"#")).unwrap_or(usize::MAX) || band < columns.find("<rect").unwrap_or(0) + 400);
    assert!(home.contains("var(--chart-band,#F2F3F5)"), "the inline chart's band follows dark mode");
    // Ordered by value: East leads, North is last, in the chart and in the table.
    let table = &home[home.find("<table").unwrap()..];
    let order: Vec<usize> = ["East", "South", "West", "North"].iter().map(|l| table.find(&format!(">{l}<")).unwrap()).collect();
    assert!(order.windows(2).all(|p| p[0] < p[1]), "{order:?}");
}

/// A small site whose column chart carries `annotations`.
fn site_with_notes(notes: &str) -> TestSite {
    let site = TestSite::fixture("story");
    site.write(
        "content/figures/columns.yaml",
        &format!(
            "title: Two areas\nsource: Fixture source\nchart: column\nunit: percent\ndata:\n  - {{ label: North, value: 38 }}\n  - {{ label: East, value: 71 }}\nvalues:\n  gap: {{ difference: [East, North] }}\nannotations:\n{notes}"
        ),
    );
    site
}

#[test]
fn a_note_quotes_the_data_and_a_number_typed_into_one_is_found() {
    let site = site_with_notes("  - { text: 'Up {{ value(key=\"gap\") }} on North', label: East }\n  - { text: Down 12 points, label: North }\n");
    let run = site.build_ok();
    let svg = site.read("figures/columns.svg");
    assert!(svg.contains("A note at East reads: “Up 33% on North”."), "the note quotes the gap from the data: {svg}");
    assert!(
        run.stderr.contains("warning: the number 12 is typed by hand") && run.stderr.contains("content/figures/columns.yaml:12:18"),
        "a number typed into a note is found at its line:\n{}",
        run.stderr
    );
}

#[test]
fn a_note_with_no_room_is_refused_at_its_line_and_the_last_build_stays() {
    let site = site_with_notes("  - { text: Twice, label: East }\n");
    site.build_ok();
    let before = site.tree();
    site.write(
        "content/figures/columns.yaml",
        "title: Two areas\nsource: Fixture source\nchart: column\nunit: percent\ndata:\n  - { label: North, value: 38 }\n  - { label: East, value: 71 }\nannotations:\n  - { text: Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogochuchaf, label: East }\n",
    );
    let run = site.build(&[]);
    assert!(!run.ok, "the build fails");
    assert!(run.stderr.contains("there is no room for the annotation") && run.stderr.contains("content/figures/columns.yaml:9:13"), "{}", run.stderr);
    assert!(run.stderr.contains("help: shorten it, or pin it to another point"), "{}", run.stderr);
    assert_eq!(site.tree(), before, "the last build is untouched");
}
