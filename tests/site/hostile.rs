//! Hostile and oversized input: text that tries to break out of HTML, SVG and attributes comes
//! out escaped; paths that try to leave the site are refused; huge inputs build or are refused
//! at a documented limit, and a refused build leaves the previous output untouched.

use crate::common::{pages, real_tags, TestSite};

/// Markup that would run if it reached the page unescaped.
const LIVE: &[&str] = &["<script", "<img", "<iframe", "<style", "onerror=alert", "<text>injected"];

/// Elements and attributes that hostile text must never create. The theme's own markup is
/// known: at most one external script (the share button), and images only in the press pack.
fn assert_no_live_markup(path: &str, html: &str) {
    let tags = real_tags(html);
    let scripts: Vec<&Vec<String>> = tags.iter().filter(|(t, _)| t == "script").map(|(_, a)| a).collect();
    assert!(scripts.len() <= 1 && scripts.iter().all(|a| a.contains(&"src".to_string())), "{path}: scripts {scripts:?}");
    for (tag, attrs) in &tags {
        let allowed_img = tag == "img" && path == "figures/index.html";
        assert!(!["iframe", "style", "object", "embed"].contains(&tag.as_str()) && (tag != "img" || allowed_img), "{path}: a live <{tag}>");
        assert!(!attrs.iter().any(|a| a.starts_with("on")), "{path}: <{tag}> has an event handler: {attrs:?}");
    }
}

#[test]
fn hostile_text_comes_out_escaped_everywhere() {
    let site = TestSite::fixture("hostile");
    site.build_ok();
    let files = site.tree();
    for (path, html) in pages(&files) {
        assert_no_live_markup(path, &html);
        let head = &html[..html.find("</head>").expect("a head")];
        let closes = real_tags(head).into_iter().filter(|(t, _)| t == "/title").count();
        assert_eq!(closes, 1, "{path}: a title was closed early");
    }
    let home = site.read("index.html");
    assert!(home.contains("<h1>&lt;script>alert(‘title’)&lt;/script>"), "the title is shown as text, its quotes curly as body text's are");
    assert!(home.contains("&lt;script>alert(‘body’)&lt;/script>"), "raw HTML in Markdown is shown as text");
    assert!(home.contains("&lt;iframe"), "raw HTML blocks are shown as text");
    // One <svg> in, one </svg> out per layout: a label cannot close the chart early.
    let tags = real_tags(&home);
    let layouts = soapbox::chart::BANDS.len();
    assert_eq!(tags.iter().filter(|(t, _)| t == "svg").count(), layouts);
    assert_eq!(tags.iter().filter(|(t, _)| t == "/svg").count(), layouts);
    for (path, svg) in files.iter().filter(|(p, _)| p.ends_with(".svg") && p.starts_with("figures/")) {
        let svg = String::from_utf8(svg.clone()).unwrap();
        for live in LIVE.iter().filter(|l| l.starts_with('<')) {
            assert!(!svg.contains(live), "{path} carries live `{live}`");
        }
        assert_eq!(svg.matches("</svg>").count(), 1, "{path}");
        assert_no_live_markup(path, &svg);
        assert!(!svg.contains("]]>"), "{path}: CDATA end left raw");
        assert!(svg.contains("&lt;/svg&gt;&lt;script&gt;"), "{path}: the title is escaped");
    }
}

#[test]
fn meta_tags_hold_hostile_text_inside_their_attribute() {
    let site = TestSite::fixture("hostile");
    site.build_ok();
    let home = site.read("index.html");
    let head = &home[..home.find("</head>").unwrap()];
    let metas: Vec<Vec<String>> = real_tags(head).into_iter().filter(|(t, _)| t == "meta").map(|(_, a)| a).collect();
    assert!(metas.len() >= 5);
    for attrs in &metas {
        assert!(attrs.iter().all(|a| ["charset", "name", "content", "property"].contains(&a.as_str())), "an attribute broke out of its quotes: {attrs:?}");
    }
    // Its quotes come out curly, as body text's do; the angle brackets stay as written.
    assert!(head.contains("“><img src=x onerror=alert(‘meta’)> ]]> </svg>\" name=description>"), "the description is kept whole, as text");
}

#[test]
fn links_that_run_code_are_refused() {
    let site = TestSite::fixture("hostile");
    site.write("content/bad.md", "---\ntitle: Bad\n---\nClick [here](javascript:alert(1)).\n");
    let run = site.build(&[]);
    assert!(!run.ok);
    assert!(run.stderr.contains("could run code") && run.stderr.contains("content/bad.md:4:7"), "{}", run.stderr);

    let site = TestSite::fixture("hostile");
    site.write(
        "content/figures/evil.yaml",
        &std::fs::read_to_string(site.root().join("content/figures/evil.yaml")).unwrap().replace("https://example.org/?q=", "javascript:alert(1)//"),
    );
    let run = site.build(&[]);
    assert!(!run.ok && run.stderr.contains("`source_url` must be a web address") && run.stderr.contains("content/figures/evil.yaml:4:"), "{}", run.stderr);
}

#[test]
fn paths_cannot_leave_the_site() {
    for (front, expected) in [
        ("slug: ../../soapbox-escaped", "cannot be a slug"),
        ("slug: /etc/passwd", "cannot be a slug"),
        ("template: ../../../etc/passwd", "there is no template `../../../etc/passwd`"),
        ("template: /etc/passwd", "there is no template `/etc/passwd`"),
    ] {
        let site = TestSite::fixture("hostile");
        site.write("content/away.md", &format!("---\ntitle: Away\n{front}\n---\n"));
        let run = site.build(&[]);
        assert!(!run.ok && run.stderr.contains(expected) && run.stderr.contains("content/away.md:3:"), "{front}:\n{}", run.stderr);
    }
    let site = TestSite::fixture("hostile");
    site.write("content/figures/..evil.yaml", "title: T\nsource: S\nchart: bar\nunit: count\ndata: [{label: a, value: 1}]\n");
    let run = site.build(&[]);
    // A leading dot hides the file, as it does for every other tool.
    assert!(run.ok, "{}", run.stderr);
    assert!(!site.out().join("figures/..evil.svg").exists());
    let outside = site.root().parent().unwrap().join("soapbox-escaped");
    assert!(!outside.exists());
}

#[test]
fn a_twenty_megabyte_page_builds() {
    let site = TestSite::fixture("kinds");
    let paragraph = "Police recorded the platform in most cases, and **the evidence** is [here](/news/). ".repeat(8) + "\n\n";
    let mut body = String::with_capacity(21 << 20);
    body.push_str("---\ntitle: Huge\n---\n");
    let mut n = 0;
    while body.len() < 20 << 20 {
        if n % 50 == 0 {
            body.push_str(&format!("## Part {n}\n\n"));
        }
        body.push_str(&paragraph);
        n += 1;
    }
    site.write("content/huge.md", &body);
    site.build_ok();
    let html = site.read("huge/index.html");
    assert!(html.len() > 15 << 20);
    assert!(html.contains("<h2 id=part-0>") || html.contains("<h2 id=\"part-0\">"));
}

#[test]
fn a_ten_thousand_row_figure_is_refused_at_the_limit() {
    let site = TestSite::fixture("kinds");
    site.build_ok();
    let before = site.tree();
    let mut yaml = String::from("title: T\nsource: S\nchart: bar\nunit: count\ndata:\n");
    for i in 0..10_000 {
        yaml.push_str(&format!("  - {{ label: row {i}, value: {i} }}\n"));
    }
    site.write("content/figures/big.yaml", &yaml);
    let run = site.build(&[]);
    assert!(!run.ok && run.stderr.contains("the most one figure can hold is 2000"), "{}", run.stderr);
    assert_eq!(site.tree(), before);
}

#[test]
fn deeply_nested_input_is_refused_or_built_without_crashing() {
    let site = TestSite::fixture("kinds");
    site.build_ok();
    let before = site.tree();
    let deep = format!("title: T\nsource: S\nchart: bar\nunit: count\nnote: {}{}\ndata: [{{label: a, value: 1}}]\n", "[".repeat(50_000), "]".repeat(50_000));
    site.write("content/figures/deep.yaml", &deep);
    let run = site.build(&[]);
    assert!(!run.ok && run.stderr.contains("content/figures/deep.yaml"), "{}", run.stderr);
    assert_eq!(site.tree(), before);
    site.remove("content/figures/deep.yaml");

    site.write("content/nested.md", &format!("---\ntitle: Nested\n---\n{}deep\n\n{}x\n", "> ".repeat(20_000), "- ".repeat(20_000)));
    let run = site.build(&[]);
    assert!(!run.ok && run.stderr.contains("nested more than 100 levels deep") && run.stderr.contains("content/nested.md:4:"), "{}", run.stderr);
    assert_eq!(site.tree(), before);

    site.write("content/nested.md", &format!("---\ntitle: Nested\n---\n{}deep\n\n{}x\n", "> ".repeat(40), "- ".repeat(40)));
    site.build_ok();
}

#[test]
fn hostile_labels_are_neutralised_in_csv_and_share_links() {
    let site = TestSite::fixture("hostile");
    site.build_ok();
    let csv = site.read("figures/evil.csv");
    let rows: Vec<&str> = csv.trim_start_matches('\u{feff}').split("\r\n").collect();
    assert_eq!(rows[0], "Label,Number");
    assert_eq!(rows[1], "<script>alert('label')</script>,3", "text, not markup: a CSV is not HTML");
    assert_eq!(rows[2], "\"\"\"><img src=x onerror=alert('label2')>\",2");
    assert_eq!(rows[4], "'=1+1,4", "a formula is neutralised");
    assert_eq!(rows[5], "'+44 -1 @me,", "a leading + is neutralised; not reported is empty");
    let page = site.read("figures/evil/index.html");
    let mut share_links = 0;
    for (tag, attrs) in real_tags(&page) {
        assert!(!attrs.iter().any(|a| a.starts_with("on")), "<{tag}> {attrs:?}");
    }
    for prefix in ["https://x.com/intent/tweet?", "https://wa.me/?", "https://bsky.app/intent/compose?", "mailto:?"] {
        let at = page.find(prefix).unwrap_or_else(|| panic!("no {prefix} link"));
        let end = at + page[at..].find(['"', '>', ' ']).unwrap();
        let href = &page[at..end];
        let query = &href[href.find('?').unwrap() + 1..];
        assert!(query.chars().all(|c| c.is_ascii_alphanumeric() || "%-._~=&;".contains(c)), "{href}");
        assert!(query.contains("%3C%2Fsvg%3E%3Cscript%3E"), "the title travels encoded: {href}");
        share_links += 1;
    }
    assert_eq!(share_links, 4);
}
