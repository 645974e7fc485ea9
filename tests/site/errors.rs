//! Bad input: every validation error names its file and line, exits non-zero, never panics,
//! and leaves the previous output untouched.

use crate::common::TestSite;

/// Builds `site` and returns stderr, insisting that the build failed cleanly.
fn fails(site: &TestSite) -> String {
    let run = site.build(&[]);
    assert!(!run.ok, "the build should have failed");
    assert!(!run.stderr.contains("RUST_BACKTRACE") && !run.stderr.contains("Error {"), "no internals:\n{}", run.stderr);
    run.stderr
}

#[test]
fn a_broken_figure_leaves_the_previous_output_untouched() {
    let site = TestSite::fixture("kinds");
    site.build_ok();
    let before = site.tree();
    site.write("content/figures/column.yaml", "title: Offences\nsource: S\nchart: column\nunit: count\ndata:\n  - { label: A, value: lots }\n");
    let stderr = fails(&site);
    assert!(stderr.contains("content/figures/column.yaml:6:"), "{stderr}");
    assert!(stderr.contains("expected a number, found the text \"lots\""), "{stderr}");
    assert_eq!(site.tree(), before, "the old output is unchanged");
    let leftovers: Vec<String> =
        std::fs::read_dir(site.root()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).filter(|n| n.contains("soapbox-swap")).collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

const GOOD: &str = "title: T\nsource: S\nchart: bar\nunit: count\ndata:\n  - { label: A, value: 1 }\n";

#[test]
fn every_figure_rule_names_the_file_and_line() {
    let cases: &[(&str, &str, &str)] = &[
        ("source: S\nchart: bar\nunit: count\ndata: [{label: a, value: 1}]\n", "missing required key `title`", ":1:"),
        ("title: T\nchart: bar\nunit: count\ndata: [{label: a, value: 1}]\n", "missing required key `source`", ":1:"),
        ("title: T\nsource: S\nchart: bar\nunit: count\ncolor: red\ndata: [{label: a, value: 1}]\n", "unknown key `color`", ":5:"),
        ("title: T\nsource: S\nchart: bar\nunit: count\ncategories: [a]\nseries: [{name: x, values: [1]}]\ndata: [{label: a, value: 1}]\n", "not both", ":"),
        ("title: T\nsource: S\nchart: bar\nunit: count\n", "no numbers", ":3:"),
        (
            "title: T\nsource: S\nchart: stacked-bar\nunit: count\ncategories: [a, b]\nseries:\n  - {name: x, values: [1]}\n",
            "has 1 value, but there are 2 categories",
            ":7:",
        ),
        ("title: T\nsource: S\nchart: donut\nunit: count\ndata:\n  - {label: a, value: -4}\n", "negative", ":6:"),
        (
            "title: T\nsource: S\nchart: stacked-bar\nunit: count\ncategories: [a]\nseries:\n  - {name: x, values: [9]}\ntotals: [5]\n",
            "more than its total",
            ":8:",
        ),
        ("title: T\nsource: S\nchart: pie\nunit: count\ndata: [{label: a, value: 1}]\n", "`pie` is not an allowed `chart`", ":3:"),
        ("title: T\nsource: S\nchart: bar\nunit: yen\ndata: [{label: a, value: 1}]\n", "there is no unit `yen`", ":4:"),
        ("title: T\nsource: S\nchart: bar\nunit: count\ndata:\n  - {label: a, value: 1}\n  - {label: a, value: 2}\n", "the label `a` is used twice", ":7:"),
        ("title: \"unclosed\nsource: S\n", "this quoted text is never closed", ":1:8"),
    ];
    for (yaml, message, line) in cases {
        let site = TestSite::fixture("kinds");
        site.write("content/figures/broken.yaml", yaml);
        let stderr = fails(&site);
        assert!(stderr.contains(message), "expected `{message}` for:\n{yaml}\ngot:\n{stderr}");
        assert!(stderr.contains(&format!("content/figures/broken.yaml{line}")), "expected line `{line}` for:\n{yaml}\ngot:\n{stderr}");
        assert!(stderr.contains("\n  = help: "), "every figure rule says how to fix it:\n{stderr}");
    }
}

#[test]
fn unknown_references_in_markdown_point_at_the_page() {
    let site = TestSite::fixture("kinds");
    site.write("content/figures/good.yaml", GOOD);
    site.write(
        "content/about.md",
        "---\ntitle: About\n---\nIntro.\n\nSee {{ value(id=\"godo\", key=\"x\") }}.\n\n{{ value(id=\"good\", label=\"B\") }}\n\n```chart missing\n```\n",
    );
    let stderr = fails(&site);
    assert!(stderr.contains("there is no figure `godo`"), "{stderr}");
    assert!(stderr.contains("content/about.md:6:18"), "{stderr}");
    assert!(stderr.contains("did you mean `good`?"), "{stderr}");
    assert!(stderr.contains("figure `good` has no data point labelled `B`"), "{stderr}");
    assert!(stderr.contains("content/about.md:8:1"), "{stderr}");
    assert!(stderr.contains("there is no figure `missing`"), "{stderr}");
    assert!(stderr.contains("content/about.md:10:10"), "{stderr}");
    assert!(stderr.contains("build failed with 3 errors"), "all problems at once:\n{stderr}");
}

#[test]
fn site_yaml_and_front_matter_are_strict() {
    let site = TestSite::fixture("kinds");
    site.write("content/site.yaml", "title: T\ndescription: D\nbase_url: https://x.org/\nlanguage: en\norganisation: O\ntheme_colour: red\n");
    let stderr = fails(&site);
    assert!(stderr.contains("unknown key `theme_colour`") && stderr.contains("content/site.yaml:6:"), "{stderr}");

    let site = TestSite::fixture("kinds");
    site.write("content/about.md", "---\ntitle: About\nwieght: 3\n---\nText.\n");
    let stderr = fails(&site);
    assert!(stderr.contains("unknown key `wieght`") && stderr.contains("content/about.md:3:"), "{stderr}");
    assert!(stderr.contains("did you mean `weight`?"), "{stderr}");

    let site = TestSite::fixture("kinds");
    site.write("content/about.md", "---\ndescription: no title\n---\nText.\n");
    let stderr = fails(&site);
    assert!(stderr.contains("missing required key `title`") && stderr.contains("content/about.md:2:"), "{stderr}");

    let site = TestSite::fixture("kinds");
    site.write("content/about.md", "No front matter here.\n");
    assert!(fails(&site).contains("this page has no front matter"));
}

#[test]
fn template_errors_point_into_the_template() {
    let site = TestSite::fixture("kinds");
    site.write("templates/page.html", "{% extends \"base.html\" %}\n{% block content %}\n  {{ page.title | nosuchfilter }}\n{% endblock content %}\n");
    let stderr = fails(&site);
    assert!(stderr.contains("templates/page.html:3:"), "{stderr}");
}

#[test]
fn slugs_and_paths_cannot_escape_the_site() {
    let site = TestSite::fixture("kinds");
    site.write("content/evil.md", "---\ntitle: Evil\nslug: ../../x\n---\n");
    let stderr = fails(&site);
    assert!(stderr.contains("cannot be a slug") && stderr.contains("content/evil.md:3:"), "{stderr}");

    let site = TestSite::fixture("kinds");
    let run = site.build(&["--out", site.root().join("content").to_str().unwrap()]);
    assert!(!run.ok && run.stderr.contains("would replace your source files"), "{}", run.stderr);
    assert!(site.root().join("content/index.md").exists());
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_site_are_refused() {
    let site = TestSite::fixture("kinds");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.md"), "---\ntitle: Secret\n---\n").unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.md"), site.root().join("content/secret.md")).unwrap();
    let stderr = fails(&site);
    assert!(stderr.contains("points outside the site folder") && stderr.contains("content/secret.md"), "{stderr}");
}

#[test]
fn a_missing_site_yaml_says_what_to_do() {
    let site = TestSite::fixture("kinds");
    site.remove("content/site.yaml");
    let stderr = fails(&site);
    assert!(stderr.contains("content/site.yaml") && stderr.contains("soapbox new"), "{stderr}");
}

/// Writes each figure as its own file in one site, checks once, and returns what it said.
fn check_figures(figures: &[(String, String)]) -> String {
    let site = TestSite::fixture("kinds");
    for (name, text) in figures {
        site.write(&format!("content/figures/{name}.yaml"), text);
    }
    let run = site.build(&[]);
    assert!(!run.ok, "the broken figures were accepted:\n{}", run.stderr);
    run.stderr
}

/// Every place a figure takes a number refuses one written in quotes, at the quoted number.
#[test]
fn quoted_numbers_are_refused_everywhere_a_number_goes() {
    let head = "title: T\nsource: S\nunit: count\n";
    let cases = [
        ("q-data", format!("{head}chart: bar\ndata:\n  - {{ label: A, value: \"12\" }}\n"), ":6:24"),
        ("q-data-block", format!("{head}chart: bar\ndata:\n  - label: A\n    value: '12'\n"), ":7:12"),
        ("q-series", format!("{head}chart: column\ncategories: [a, b]\nseries:\n  - {{ name: X, values: [1, \"2\"] }}\n"), ":7:28"),
        ("q-totals", format!("{head}chart: stacked-bar\ncategories: [a]\nseries:\n  - {{ name: X, values: [1] }}\ntotals: [\"5\"]\n"), ":8:10"),
        ("q-total", format!("{head}chart: donut\ntotal: \"100\"\ndata:\n  - {{ label: A, value: 1 }}\n"), ":5:8"),
        ("q-value", format!("{head}chart: bar\ndata:\n  - {{ label: A, value: 1 }}\nvalues:\n  x: \"12\"\n"), ":8:6"),
        ("q-value-unit", format!("{head}chart: bar\ndata:\n  - {{ label: A, value: 1 }}\nvalues:\n  x: {{ value: \"12\", unit: count }}\n"), ":8:15"),
    ];
    let figures: Vec<(String, String)> = cases.iter().map(|(n, t, _)| (n.to_string(), t.clone())).collect();
    let stderr = check_figures(&figures);
    for (name, _, place) in &cases {
        let at = stderr.find(&format!("content/figures/{name}.yaml{place}")).unwrap_or_else(|| panic!("{name} not refused at {place}:\n{stderr}"));
        let report = &stderr[stderr[..at].rfind("error: ").unwrap_or(0)..];
        assert!(report.starts_with("error: the number `") && report.contains("is written in quotes"), "{name}:\n{report}");
        assert!(report.contains("= help: write the number without quotes"), "{name}:\n{report}");
    }
}

/// Money, thousands and infinities are refused where they are written, with a plain fix.
#[test]
fn numbers_written_as_money_or_words_are_refused_at_their_line_and_column() {
    let figure = |v: &str| format!("title: T\nsource: S\nchart: bar\nunit: count\ndata:\n  - {{ label: A, value: 1 }}\n  - {{ label: B, value: {v} }}\n");
    let cases = [
        ("pounds", "£3m", "`£3m` is not a number written in digits alone", "such as 3000000"),
        ("thousands", "1.2k", "`1.2k` is not a number written in digits alone", "such as 1200"),
        ("inf", ".inf", "`.inf` is not a finite number", "write a plain number"),
        ("nan", ".nan", "`.nan` is not a finite number", "write a plain number"),
        ("percent", "62%", "`62%` has a percent sign in it", "write 62, without the `%`"),
        ("comma", "1,200", "the comma in `1,200` split the number", "write 1200, without the comma"),
    ];
    let figures: Vec<(String, String)> = cases.iter().map(|(n, v, _, _)| (n.to_string(), figure(v))).collect();
    let stderr = check_figures(&figures);
    for (name, _, message, hint) in cases {
        let at = stderr.find(&format!("content/figures/{name}.yaml:7:24")).unwrap_or_else(|| panic!("{name} not at 7:24:\n{stderr}"));
        let report = &stderr[stderr[..at].rfind("error: ").unwrap_or(0)..];
        assert!(report.contains(message), "{name}:\n{report}");
        assert!(report[..report.find("\n\n").unwrap_or(report.len())].contains(hint), "{name}:\n{report}");
        if name != "comma" {
            assert!(report.contains("(in the second row of `data`, at `value`)"), "{name}:\n{report}");
        }
    }
}

/// An unknown key is refused in every mapping of a figure, block or flow, at the key.
#[test]
fn unknown_keys_are_refused_in_every_mapping_flow_or_block() {
    let head = "title: T\nsource: S\nunit: count\n";
    let cases = [
        ("k-top", format!("{head}chart: bar\ncolour: red\ndata:\n  - {{ label: A, value: 1 }}\n"), ":5:1", "`colour`"),
        ("k-row-flow", format!("{head}chart: bar\ndata:\n  - {{ label: A, value: 1, colour: red }}\n"), ":6:27", "`colour`"),
        ("k-row-block", format!("{head}chart: bar\ndata:\n  - label: A\n    value: 1\n    colour: red\n"), ":8:5", "`colour`"),
        ("k-series", format!("{head}chart: column\ncategories: [a]\nseries:\n  - {{ name: X, values: [1], colour: red }}\n"), ":7:29", "`colour`"),
        (
            "k-value",
            format!("{head}chart: bar\ndata:\n  - {{ label: A, value: 1 }}\nvalues:\n  x: {{ value: 1, unit: count, colour: red }}\n"),
            ":8:31",
            "`colour`",
        ),
        ("k-value-block", format!("{head}chart: bar\ndata:\n  - {{ label: A, value: 1 }}\nvalues:\n  x:\n    value: 1\n    unti: count\n"), ":10:5", "`unti`"),
    ];
    let figures: Vec<(String, String)> = cases.iter().map(|(n, t, _, _)| (n.to_string(), t.clone())).collect();
    let stderr = check_figures(&figures);
    for (name, _, place, key) in &cases {
        let at = stderr.find(&format!("content/figures/{name}.yaml{place}")).unwrap_or_else(|| panic!("{name} not refused at {place}:\n{stderr}"));
        let report = &stderr[stderr[..at].rfind("error: ").unwrap_or(0)..];
        assert!(report.starts_with(&format!("error: unknown key {key}")), "{name}:\n{report}");
    }
}

/// Words of the code that must never reach a campaigner.
const RUST_WORDS: [&str; 19] = [
    "enum",
    "struct",
    "untagged",
    "variant",
    "serde",
    "RawQuantity",
    "RawPoint",
    "RawFigure",
    "FrontMatter",
    "SiteConfig",
    "invalid type",
    "Option<",
    "Vec<",
    "u64",
    "i64",
    "f64",
    "usize",
    "u128",
    "a map",
];

/// Many broken figures and pages, made by putting each of many slips in each place a file
/// takes a value: no message, hint or snippet speaks Rust, and each broken file is named.
#[test]
fn no_broken_figure_or_page_gets_a_message_in_rust_words() {
    let slips = [
        "[1]",
        "{ a: 1 }",
        "\"12\"",
        "''",
        "~",
        "!tag x",
        "1,200",
        "62%",
        "£3m",
        "1.2k",
        ".nan",
        "-.inf",
        "true",
        "- x",
        "*nowhere",
        "{",
        "[",
        "Police: the numbers",
        "\"unclosed",
        "{ value: 1,200 }",
        "[1,200]",
        "1e400",
        "0x1F",
        "{ label: A, value: 3",
        "&a",
        "|\n  text",
        "? x",
    ];
    let figure = [
        "title: T",
        "subtitle: U",
        "source: S",
        "chart: column",
        "unit: count",
        "categories: [a, b]",
        "series:",
        "  - { name: X, values: [1, 2] }",
        "  - name: Y",
        "    values: [3, 4]",
        "totals: [5, 9]",
        "values:",
        "  x: 1",
        "  y: { value: 2, unit: count }",
    ];
    let mut figures = Vec::new();
    for (line, text) in figure.iter().enumerate() {
        let Some((key, _)) = text.split_once(": ").or_else(|| text.split_once(':')) else { continue };
        for (s, slip) in slips.iter().enumerate() {
            let mut lines: Vec<String> = figure.iter().map(|l| l.to_string()).collect();
            lines[line] = format!("{key}: {slip}");
            lines.push(String::new());
            figures.push((format!("b{line}-{s}"), lines.join("\n")));
        }
        let mut tabbed: Vec<String> = figure.iter().map(|l| l.to_string()).collect();
        tabbed[line] = format!("\t{text}");
        figures.push((format!("t{line}"), tabbed.join("\n") + "\n"));
    }
    let stderr = check_figures(&figures);
    for word in RUST_WORDS {
        assert!(!stderr.contains(word), "`{word}` reached the user:\n{stderr}");
    }
    assert!(stderr.lines().filter(|l| l.starts_with("error: ")).count() >= figures.len() / 2, "most slips are errors:\n{stderr}");

    let site = TestSite::fixture("kinds");
    let front = ["title: T", "description: D", "weight: 3", "date: 2018-04-12", "draft: false", "slug: page", "nav_title: N"];
    let mut pages = 0;
    for (line, text) in front.iter().enumerate() {
        let (key, _) = text.split_once(": ").unwrap_or((text, ""));
        for (s, slip) in slips.iter().enumerate() {
            let mut lines: Vec<String> = front.iter().map(|l| l.to_string()).collect();
            lines[line] = format!("{key}: {slip}");
            site.write(&format!("content/p{line}-{s}.md"), &format!("---\n{}\n---\nText.\n", lines.join("\n")));
            pages += 1;
        }
    }
    site.write("content/unclosed.md", "---\ntitle: T\nText.\n");
    let run = site.build(&[]);
    assert!(!run.ok);
    for word in RUST_WORDS {
        assert!(!run.stderr.contains(word), "`{word}` reached the user:\n{}", run.stderr);
    }
    assert!(run.stderr.contains("content/unclosed.md:1:1") && run.stderr.contains("never closed"), "{}", run.stderr);
    assert!(run.stderr.lines().filter(|l| l.starts_with("error: ")).count() >= pages / 2, "{}", run.stderr);
}

#[test]
fn two_colours_that_deuteranopes_cannot_tell_apart_are_reported_at_their_line() {
    let site = TestSite::fixture("kinds");
    // A red and a green far apart to most readers, alike to readers without green cones.
    let figure = "title: Reports\nsource: S\nchart: donut\nunit: count\ncolours:\n  - \"#b82237\"\n  - \"#516e26\"\ndata:\n  - { label: A, value: 3 }\n  - { label: B, value: 5 }\n";
    site.write("content/figures/donut.yaml", figure);
    let stderr = fails(&site);
    assert!(stderr.contains("content/figures/donut.yaml:7:"), "at the second colour's line:\n{stderr}");
    assert!(stderr.contains("#b82237") && stderr.contains("#516e26") && stderr.contains("deuteranopia"), "{stderr}");
}

#[test]
fn a_site_palette_colour_too_light_for_white_is_reported_in_site_yaml() {
    let site = TestSite::fixture("kinds");
    let config = std::fs::read_to_string(site.root().join("content/site.yaml")).unwrap();
    site.write("content/site.yaml", &format!("{config}palette: [\"#1d4e89\", \"#f0c000\"]\n"));
    let stderr = fails(&site);
    let line = config.lines().count() + 1;
    assert!(stderr.contains(&format!("content/site.yaml:{line}:")), "{stderr}");
    assert!(stderr.contains("#f0c000") && stderr.contains("too light"), "{stderr}");
    assert_eq!(stderr.matches("too light").count(), 1, "once, not once a chart:\n{stderr}");
    site.write("content/site.yaml", &format!("{config}palette: [\"#1d4e89\", \"#5c3a47\"]\n"));
    site.build_ok();
    assert!(site.read("figures/stacked.svg").contains("#5C3A47"), "the site's palette colours its charts");
}
