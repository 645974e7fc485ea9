//! What a page's author writes never becomes markup of its own, every problem with a page's
//! links is reported at once, every id on a page is unique, and pages and figures of odd
//! shapes take work in proportion to their size (issue 17: cases 6, 9, 11 and 16). Each test
//! builds a site with the real binary and reads what it wrote or said.

use crate::common::{real_tags, TestSite};
use soapbox::chart;
use soapbox::figure::Figure;
use std::collections::HashSet;
use std::path::Path;

/// Every place a page's text could try to become markup, in forms a page may hold: raw HTML
/// (shown as text), link and image titles, footnote labels and code languages (escaped
/// attribute values).
const ACCEPTED_ATTACKS: &str = r#"---
title: Attack
---
<img src=x onerror=alert(1)> <a href="javascript:alert(2)">x</a> <div style="color:red" onclick="alert(3)">d</div>

Inline <b onmouseover=alert(4)>b</b> and <script>alert(5)</script> and <svg onload=alert(6)>.

[titled](/asks/ "a\" onmouseover=\"alert(7)") and ![A picture](/favicon.png "t' onload='alert(8)")

A note.[^x"onclick="alert(9)]

[^x"onclick="alert(9)]: The note.

```js" onload="alert(10)
code
```

## Fine heading {#fine .wide}
"#;

/// Whether `html` has `javascript:` (or `data:`, `vbscript:`) as an attribute's value: right
/// after an `=` and any quote or space. In text it is harmless, and the page shows raw HTML
/// as text.
fn runnable_url(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    for scheme in ["javascript:", "vbscript:", "data:"] {
        for (at, _) in lower.match_indices(scheme) {
            let before = lower[..at].trim_end_matches(['"', '\'', ' ', '\t', '\n']);
            // Text holds `<` only as `&lt;`: a bare one not yet closed opens a real tag.
            let in_tag = lower[..at].rfind('<') > lower[..at].rfind('>');
            if in_tag && before.ends_with('=') {
                return Some(html[at.saturating_sub(40)..(at + 30).min(html.len())].to_string());
            }
        }
    }
    None
}

#[test]
fn case_6_markup_written_in_a_page_never_reaches_the_output() {
    let site = TestSite::fixture("default");
    site.write("content/attack.md", ACCEPTED_ATTACKS);
    site.build_ok();
    let html = site.read("attack/index.html");
    let tags = real_tags(&html);
    for (tag, attrs) in &tags {
        for attr in attrs {
            assert!(!attr.starts_with("on") && attr != "style" && attr != "autofocus", "<{tag} {attr}> in\n{html}");
        }
    }
    assert!(!tags.iter().any(|(t, _)| t == "script" && html.contains("alert(5)</script>")), "{html}");
    assert_eq!(runnable_url(&html), None);
    assert!(html.contains("alert(2)") && html.contains("alert(6)"), "the attacks are on the page, as text: {html}");
    // The control: the checks above find the real thing.
    assert!(real_tags("<h2 onfocus=x style=y>").iter().any(|(_, a)| a.contains(&"onfocus".to_string())));
    assert!(runnable_url("<a href=javascript:x>").is_some() && runnable_url("<a href=\" JavaScript:x\">").is_some());
}

#[test]
fn case_6_heading_attributes_are_refused_where_they_are_written() {
    let site = TestSite::fixture("default");
    let headings = [
        "## Hi {#a tabindex=1 autofocus onfocus=alert(1)}",
        "## Styled {style=color:red}",
        "## Linked {href=javascript:alert(1)}",
        "## Quoted {#x\"onclick=y}",
    ];
    site.write("content/attack.md", &format!("---\ntitle: Attack\n---\n{}\n", headings.join("\n\n")));
    let run = site.build(&[]);
    assert!(!run.ok && !site.out().exists(), "{}", run.stderr);
    let mut expected = Vec::new();
    for (line, heading, name) in
        [(4, headings[0], "tabindex"), (4, headings[0], "autofocus"), (4, headings[0], "onfocus"), (6, headings[1], "style"), (8, headings[2], "href")]
    {
        let column = heading.find(name).unwrap() + 1;
        expected.push((format!("not `{name}`"), format!("content/attack.md:{line}:{column}")));
    }
    expected.push(("cannot be a heading id".to_string(), format!("content/attack.md:10:{}", headings[3].find("x\"").unwrap() + 1)));
    for (message, place) in expected {
        let at = run.stderr.find(&message).unwrap_or_else(|| panic!("no `{message}` in\n{}", run.stderr));
        assert!(run.stderr[at..].lines().nth(1).is_some_and(|l| l.contains(&place)), "`{message}` not at {place}:\n{}", run.stderr);
    }
}

#[test]
fn case_11_every_link_problem_in_a_file_is_reported_at_once() {
    let site = TestSite::fixture("default");
    let body = "[run](javascript:alert(1)) and [gone](/nowhere/) and [anchor](/asks/#nothing-here)\n\n![](/favicon.png) ![pic](data:text/html,x) [bad](https://example..org/)\n";
    site.write("content/links.md", &format!("---\ntitle: Links\n---\n{body}"));
    let run = site.build(&[]);
    assert!(!run.ok);
    for expected in [
        "`javascript:`, which could run code",
        "there is no page or file at `/nowhere/`",
        "has no heading or section with the id `nothing-here`",
        "this image has no alt text",
        "`data:`, which could run code",
        "is not a well-formed web address",
    ] {
        assert!(run.stderr.contains(expected), "`{expected}` is not reported:\n{}", run.stderr);
    }
    assert!(run.stderr.contains("content/links.md:4:1") && run.stderr.contains("content/links.md:6:19"), "{}", run.stderr);
}

/// Every `id="…"` value in `html`, in order.
fn ids(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for quote in ["id=\"", " id="] {
        for (at, _) in html.match_indices(quote) {
            let rest = &html[at + quote.len()..];
            let end = rest.find(['"', ' ', '>']).unwrap_or(rest.len());
            found.push(rest[..end].to_string());
        }
    }
    found.retain(|id| !id.is_empty());
    found
}

#[test]
fn case_16_a_heading_never_shares_an_id_with_a_chart() {
    let site = TestSite::fixture("default");
    let body = "## Figure platforms England Wales\n\n```chart platforms-england-wales\n```\n\n## Main\n\n```chart platforms-england-wales\n```\n\n## Figure platforms England Wales 2\n";
    site.write("content/ids.md", &format!("---\ntitle: Ids\n---\n{body}"));
    site.build_ok();
    let html = site.read("ids/index.html");
    let all = ids(&html);
    assert!(all.contains(&"figure-platforms-england-wales".to_string()) && all.contains(&"figure-platforms-england-wales-2".to_string()), "{all:?}");
    assert!(all.contains(&"figure-platforms-england-wales-1".to_string()) && all.contains(&"main-1".to_string()), "{all:?}");
    let unique: HashSet<&String> = all.iter().collect();
    assert_eq!(unique.len(), all.len(), "an id is given twice: {all:?}");

    let site = TestSite::fixture("default");
    site.write("content/ids.md", "---\ntitle: Ids\n---\n```chart platforms-england-wales\n```\n\n## Ours {#figure-platforms-england-wales}\n");
    let run = site.build(&[]);
    assert!(!run.ok);
    assert!(
        run.stderr.contains("this heading's id `figure-platforms-england-wales` is already the id of the chart `platforms-england-wales`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("content/ids.md:7:11"), "{}", run.stderr);
}

#[test]
fn case_9_pages_of_many_headings_and_values_build_whole() {
    let site = TestSite::fixture("default");
    let value = "{{ value(id=\"platforms-england-wales\", key=\"facebook_owned\") }}";
    site.write("content/many.md", &format!("---\ntitle: Many\n---\n{}\n\n{}\n", "## Same\n\n".repeat(20_000), value.repeat(10_000)));
    site.build_ok();
    let html = site.read("many/index.html");
    let headings = ids(&html).into_iter().filter(|id| id.starts_with("same")).collect::<Vec<_>>();
    assert_eq!(headings.len(), 20_000);
    assert_eq!(headings.iter().collect::<HashSet<_>>().len(), 20_000);
    assert!(!html.contains("value("), "every call was replaced");
}

fn long_figure(title: &str, labels: usize, label_len: usize) -> String {
    let rows: String = (0..labels).map(|i| format!("  - {{ label: \"{i} {}\", value: {} }}\n", "word ".repeat(label_len / 5), i + 1)).collect();
    format!("title: \"{title}\"\nsource: S\nchart: bar\nunit: count\ndata:\n{rows}")
}

#[test]
fn case_9_long_labels_are_cut_on_the_chart_and_whole_in_its_table() {
    let site = TestSite::fixture("default");
    site.write("content/figures/long.yaml", &long_figure("Long", 200, 5_000));
    site.write("content/long.md", "---\ntitle: Long\n---\n```chart long\n```\n");
    site.build_ok();
    let svg = std::fs::read_to_string(site.out().join("figures/long.svg")).unwrap();
    let (description, drawn) = svg.split_once("</desc>").unwrap();
    let label = format!("7 {}", "word ".repeat(1_000));
    let label = label.trim_end();
    assert_eq!(drawn.matches('…').count(), 200, "each label is cut once on the chart");
    assert!(!drawn.contains(label) && description.contains(label), "the chart's description gives each label whole");
    assert!(drawn.len() < 400_000, "the chart draws three lines a label, not the labels whole: {} bytes", drawn.len());
    let page = site.read("figures/long/index.html");
    let table = &page[page.find("<table").unwrap()..];
    assert!(table.contains(&format!(">{label}<")), "the table gives each label whole");
}

#[test]
fn case_9_a_long_title_without_spaces_is_broken_and_cut_on_share_images() {
    let title = "a".repeat(40_000);
    let figure = Figure::load("f", Path::new("content/figures/f.yaml"), &long_figure(&title, 2, 10)).unwrap();
    let brand = chart::image::Brand {
        site_title: "T".into(),
        address: "t.example.org".into(),
        hashtag: Some("T".into()),
        organisation: "O".into(),
        ..Default::default()
    };
    for size in chart::image::SIZES {
        let svg = chart::image::compose(&figure, size, &brand).unwrap().svg;
        let title_lines: Vec<&str> = svg.lines().filter(|l| l.contains(">aaa")).collect();
        assert!((2..=7).contains(&title_lines.len()), "{size:?}: {} lines", title_lines.len());
        assert!(title_lines.last().unwrap().contains("a…<"), "{size:?}: the title ends in an ellipsis");
        let shown: usize = title_lines.iter().map(|l| l.matches('a').count()).sum();
        assert!(shown < 400, "{size:?}: only what fits is drawn, {shown} letters");
    }
}
