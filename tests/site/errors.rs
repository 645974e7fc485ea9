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
            "has 1 values, but there are 2 categories",
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
