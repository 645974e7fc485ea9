//! The commands around the build: `check`, `new`, `--version`, `help`, `--quiet`, and the
//! exact text of every kind of error, kept as snapshots.

use crate::common::guard;
use crate::common::TestSite;
use std::path::Path;
use std::process::Command;

fn soapbox(args: &[&str], dir: &Path) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_soapbox")).args(args).current_dir(dir).env("NO_COLOR", "1").output().unwrap();
    let err = guard::assert_no_panic(&output);
    (output.status.success(), String::from_utf8_lossy(&output.stdout).into_owned(), err)
}

#[test]
fn check_reports_every_kind_of_problem_at_once_and_writes_nothing() {
    let site = TestSite::fixture("broken");
    let (ok, _, err) = soapbox(&["check", "--root", "."], site.root());
    assert!(!ok, "errors fail the check");
    let expected = [
        ("there is no page or file at `/nowhere/`", "content/index.md:5:3"),
        ("`/asks/` has no heading or section with the id `no-such-heading`", "content/index.md:5:34"),
        ("there is no page or file at `/files/report.pdf`", "content/index.md:7:3"),
        ("`https://example..org/` is not a well-formed web address", "content/index.md:7:"),
        ("this image has no alt text", "content/index.md:9:1"),
        ("there is no photo at `static/pictures/photo.jpg`", "content/index.md:9:1"),
        ("figure `platforms` has no data point labelled `Facebok`", "content/index.md:11:9"),
        ("there is no figure `plaforms`", "content/index.md:13:10"),
        ("`2018-13-40` is not a date", "content/news/launch.md:3:1"),
        ("the series for `A` add up to 9, more than its total of 5", "content/figures/over.yaml:8:"),
        ("no page uses the figure `unused`", "content/figures/unused.yaml"),
    ];
    for (message, place) in expected {
        assert!(err.contains(message), "missing `{message}` in:\n{err}");
        assert!(err.contains(place), "missing `{place}` in:\n{err}");
    }
    assert!(err.contains("did you mean `Facebook`?") && err.contains("did you mean `platforms`?"), "{err}");
    assert!(err.contains("warning: no page uses the figure `unused`"));
    assert!(err.contains("the check failed with 10 errors and 1 warning"), "{err}");
    assert!(!site.out().exists(), "check writes nothing");
    let (ok, _, err) = soapbox(&["build", "--root", "."], site.root());
    assert!(!ok && err.contains("the build failed with 10 errors"), "build runs the same checks:\n{err}");
}

#[test]
fn a_clean_site_checks_clean() {
    let site = TestSite::fixture("default");
    let (ok, _, err) = soapbox(&["check"], site.root());
    assert!(ok, "{err}");
    assert!(err.contains("checked 14 pages and 6 figures: no errors, 0 warnings"), "{err}");
}

#[test]
fn new_makes_a_site_that_builds_and_refuses_a_folder_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, err) = soapbox(&["new", "campaign"], dir.path());
    assert!(ok, "{err}");
    let site = dir.path().join("campaign");
    for file in ["content/site.yaml", "content/index.md", "content/figures/example.yaml", ".github/workflows/publish.yml", ".soapbox/build.sh", "netlify.toml"]
    {
        assert!(site.join(file).exists(), "{file}");
    }
    assert!(std::fs::read_to_string(site.join("content/site.yaml")).unwrap().contains("# The campaign's name"), "commented");
    let (ok, _, err) = soapbox(&["build", "--root", "campaign"], dir.path());
    assert!(ok, "{err}");
    let home = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(home.contains("62%") && home.contains("1,200") && home.contains("role=img"), "both embeds work");
    let (ok, _, err) = soapbox(&["new", "campaign"], dir.path());
    assert!(!ok && err.contains("is not empty"), "{err}");
}

/// `new --languages en-GB,cy`: a site whose home page is in both, each linked to the other,
/// that builds without a warning; the English-only site is what `new` writes without it.
#[test]
fn new_with_languages_starts_a_bilingual_site_that_builds_without_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, err) = soapbox(&["new", "campaign", "--languages", "en-GB,cy"], dir.path());
    assert!(ok, "{err}");
    let site = dir.path().join("campaign");
    let read = |path: &str| std::fs::read_to_string(site.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    let config = read("content/site.yaml");
    assert!(config.contains("\nlanguage: en-GB\n") && config.contains("\nlanguages:\n  cy:\n    # The campaign's name"), "{config}");
    assert!(read("content/index.cy.md").contains("title: Ein hymgyrch"));
    let (ok, _, err) = soapbox(&["build", "--root", "campaign"], dir.path());
    assert!(ok, "{err}");
    assert!(!err.contains("warning"), "no warnings:\n{err}");
    let (english, welsh) = (read("public/index.html"), read("public/cy/index.html"));
    assert!(english.contains("<html lang=en-GB") && welsh.contains("<html lang=cy"), "each page in its language");
    assert!(welsh.contains("Ysgrifennwch eich tudalennau") && welsh.contains("62%") && welsh.contains("1,200"), "the Welsh page quotes the figure");
    for page in [&english, &welsh] {
        for alternate in
            ["<link href=https://campaign.example.org/ hreflang=en-GB rel=alternate>", "<link href=https://campaign.example.org/cy/ hreflang=cy rel=alternate>"]
        {
            assert!(page.contains(alternate), "hreflang both ways: {alternate}");
        }
    }
    assert!(english.contains("<a href=/cy/ hreflang=cy lang=cy>") && welsh.contains("<a href=/ hreflang=en-GB lang=en-GB>"), "the switcher leads each way");
    let (ok, _, err) = soapbox(&["new", "english"], dir.path());
    assert!(ok, "{err}");
    assert!(!dir.path().join("english/content/index.cy.md").exists(), "no --languages, no Welsh");
    assert!(!std::fs::read_to_string(dir.path().join("english/content/site.yaml")).unwrap().contains("languages:"));
}

#[test]
fn new_refuses_a_bad_list_of_languages_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for (list, says) in [
        ("", "`--languages` names no language"),
        ("en-GB,,cy", "`--languages en-GB,,cy` has an empty part between its commas"),
        ("en-GB,cy,", "has an empty part"),
        ("en_GB,cy", "`en_GB` in `--languages` is not a language tag"),
        ("en-GB,cy,cy", "`cy` is in `--languages` twice"),
        ("en-GB,en", "`en-GB` and `en` in `--languages` are the same language"),
        ("en-GB,fr", "soapbox has no built-in words in `fr`, so `new` cannot start a site in it"),
    ] {
        let (ok, _, err) = soapbox(&["new", "campaign", "--languages", list], dir.path());
        assert!(!ok, "`{list}` is refused");
        assert!(err.contains(says) && err.contains("new failed with 1 error"), "`{list}`:\n{err}");
        assert!(!dir.path().join("campaign").exists(), "`{list}`: nothing written");
    }
    let (_, _, err) = soapbox(&["new", "campaign", "--languages", "de"], dir.path());
    assert!(err.contains("the built-in languages are English (`en`, `en-GB`) and Welsh (`cy`)"), "{err}");
}

#[test]
fn version_help_and_quiet() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (ok, out, _) = soapbox(&["--version"], here);
    assert!(ok && out.starts_with("soapbox "), "{out}");
    // The commit the binary was built from: cargo reruns build.rs whenever HEAD moves, so
    // the tested binary names the checkout's current commit.
    let head = soapbox::build_info::commit(here).expect("the tests run in a git checkout");
    assert_eq!(out.trim_end(), format!("soapbox {} (commit {})", env!("CARGO_PKG_VERSION"), &head[..12]));
    let (ok, out, _) = soapbox(&["help"], here);
    assert!(ok);
    for command in ["build", "check", "serve", "new"] {
        assert!(out.contains(&format!("  {command} ")), "help lists {command}:\n{out}");
        assert!(out.contains(&format!("soapbox {command} ")), "help shows an example of {command}:\n{out}");
    }
    let site = TestSite::fixture("kinds");
    let (ok, _, err) = soapbox(&["build", "--quiet", "--root", "."], site.root());
    assert!(ok && err.is_empty(), "quiet: {err}");
    let (ok, _, err) = soapbox(&["build", "--verbose", "--root", "."], site.root());
    assert!(ok && err.contains("built ") && err.contains("output: "), "verbose: {err}");
}

/// One snapshot per kind of error: the exact text a user sees. Rewrite with
/// `UPDATE_SNAPSHOTS=1` after an intended change.
#[test]
fn error_messages_match_their_snapshots() {
    let cases: [(&str, &str, &str); 17] = [
        ("colon-in-title", "content/figures/bar.yaml", "title: Police: the numbers\nsource: S\nchart: bar\nunit: count\ndata:\n  - { label: A, value: 1 }\n"),
        ("colon-in-page-title", "content/about.md", "---\ntitle: Police: the numbers\n---\nText.\n"),
        ("tab-indent", "content/figures/bar.yaml", "title: T\nsource: S\nchart: bar\nunit: count\ndata:\n\t- { label: A, value: 1 }\n"),
        (
            "unclosed-brace",
            "content/figures/bar.yaml",
            "title: T\nsource: S\nchart: bar\nunit: count\ndata:\n  - { label: A, value: 3\n  - { label: B, value: 4 }\n",
        ),
        ("percent-in-number", "content/figures/bar.yaml", "title: T\nsource: S\nchart: bar\nunit: percent\ndata:\n  - label: A\n    value: 62%\n"),
        ("comma-in-number", "content/figures/bar.yaml", "title: T\nsource: S\nchart: bar\nunit: count\ndata:\n  - label: A\n    value: 1,200\n"),
        (
            "comma-splits-number",
            "content/figures/bar.yaml",
            "title: T\nsource: S\nchart: bar\nunit: percent\ndata:\n  - { label: A, value: 62 }\nvalues:\n  asked: { value: 1,200, unit: count }\n",
        ),
        (
            "second-row",
            "content/figures/bar.yaml",
            "title: T\nsource: S\nchart: bar\nunit: count\ndata:\n  - { label: A, value: 1 }\n  - { label: B, value: lots }\n",
        ),
        ("unclosed-front-matter", "content/about.md", "---\ntitle: About\n\nText.\n"),
        ("yaml-syntax", "content/figures/bar.yaml", "title: \"unclosed\nsource: S\nchart: bar\n"),
        ("wrong-type", "content/figures/bar.yaml", "title: T\nsource: S\nchart: bar\nunit: count\ndata:\n  - { label: A, value: twelve }\n"),
        ("unknown-key", "content/figures/bar.yaml", "title: T\nsoruce: S\nchart: bar\nunit: count\ndata:\n  - { label: A, value: 1 }\n"),
        ("missing-key", "content/figures/bar.yaml", "title: T\nchart: bar\nunit: count\ndata:\n  - { label: A, value: 1 }\n"),
        ("unknown-figure", "content/about.md", "---\ntitle: About\n---\nSee below.\n\n```chart donught\n```\n"),
        ("unknown-label", "content/about.md", "---\ntitle: About\n---\nFacebook had {{ value(id=\"bar\", label=\"Facebok\") }} of cases.\n"),
        ("template", "templates/page.html", "{% extends \"base.html\" %}\n{% block content %}\n  {{ page.title | upcase }}\n{% endblock content %}\n"),
        ("broken-link", "content/about.md", "---\ntitle: About\n---\nRead [the news](/newz/) first.\n"),
    ];
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/errors");
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut changed = Vec::new();
    for (name, file, text) in cases {
        let site = TestSite::fixture("kinds");
        site.write(file, text);
        let (ok, _, err) = soapbox(&["check", "--root", "."], site.root());
        assert!(!ok, "{name} should fail");
        let path = dir.join(format!("{name}.txt"));
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &err).unwrap();
        } else if std::fs::read_to_string(&path).unwrap_or_default() != err {
            changed.push(format!("{name}:\n{err}"));
        }
    }
    assert!(changed.is_empty(), "error text changed (UPDATE_SNAPSHOTS=1 to accept):\n{}", changed.join("\n"));
}

/// A long build shows a progress bar on a terminal, and nothing extra when not on one.
/// `script` (util-linux) gives the build a terminal.
#[test]
fn long_builds_show_progress_on_a_terminal_only() {
    let site = TestSite::fixture("kinds");
    let paragraph = "Police recorded the platform in most cases, and **the evidence** is [here](/news/). ".repeat(8) + "\n\n";
    site.write("content/huge.md", &format!("---\ntitle: Huge\n---\n{}", paragraph.repeat(26_000)));
    let command = format!("{} build --root {}", env!("CARGO_BIN_EXE_soapbox"), site.root().display());
    let output = Command::new("script").args(["-qec", &command, "/dev/null"]).output().expect("script (util-linux) runs");
    let shown = String::from_utf8_lossy(&output.stdout);
    // `script -e` exits as the build did, and the terminal shows what it said.
    guard::assert_ended_cleanly(output.status, &shown);
    assert!(output.status.success(), "{shown}");
    assert!(shown.contains(&format!("/{} ", soapbox::STAGES.len())) && shown.contains("] "), "a progress bar on the terminal:\n{shown}");
    let (ok, _, err) = soapbox(&["build", "--root", "."], site.root());
    assert!(ok && err.lines().count() == 1 && err.starts_with("built "), "only the summary off a terminal: {err}");
}

/// A small site with numbers typed by hand where readers see them: in a page's body, title
/// and description, and in a figure's title, note and alt text.
fn site_with_hand_typed_numbers() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |rel: &str, text: &str| {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write("content/site.yaml", "title: T\ndescription: D\nbase_url: https://t.example.org/\nlanguage: en-GB\norganisation: O\n");
    write(
        "content/index.md",
        concat!(
            "---\n",
            "title: Top 5 reasons\n",
            "description: \"Why 1,628 matters\"\n",
            "---\n",
            "In 2018, police recorded 1,628 offences on 3 April 2018.\n",
            "\n",
            "| Force | Cases |\n",
            "|---|---|\n",
            "| Durham | 52% |\n",
            "\n",
            "Call {{ literal(\"0800 1111\") }} or see `code 7` and [report 8](https://example.org/r/9).\n",
            "\n",
            "1. COVID-19 and 4G, {{ value(id=\"f\", key=\"k\") }}.\n",
            "\n",
            "```chart f\n",
            "```\n",
        ),
    );
    write(
        "content/figures/f.yaml",
        "title: \"Up 12% since 2017\"\nsource: S\nchart: bar\nunit: count\nnote: >\n  About\n  956 of them.\nalt: Bar chart of 2 things\nvalues:\n  k: 3\ndata:\n  - { label: A, value: 1 }\n",
    );
    dir
}

#[test]
fn check_warns_of_each_hand_typed_number_where_it_is_and_still_passes() {
    let dir = site_with_hand_typed_numbers();
    let (ok, _, err) = soapbox(&["check", "--root", "."], dir.path());
    assert!(ok, "warnings do not fail the check:\n{err}");
    let expected = [
        ("content/index.md:2:12", "the number 5 is typed by hand"),
        ("content/index.md:3:19", "the number 1,628 is typed by hand"),
        ("content/index.md:5:26", "the number 1,628 is typed by hand"),
        ("content/index.md:9:12", "the number 52% is typed by hand"),
        ("content/index.md:11:61", "the number 8 is typed by hand"),
        ("content/index.md:13:10", "the number 19 in COVID-19 is typed by hand"),
        ("content/index.md:13:17", "the number 4 in 4G is typed by hand"),
        ("content/figures/f.yaml:1:12", "the number 12% is typed by hand"),
        ("content/figures/f.yaml:7:3", "the number 956 is typed by hand"),
        ("content/figures/f.yaml:8:19", "the number 2 is typed by hand"),
    ];
    let found: Vec<(String, String)> = err
        .split("\nwarning: ")
        .filter_map(|w| {
            let message = w.trim_start_matches("warning: ").lines().next()?.to_string();
            let place = w.lines().find_map(|l| l.trim_start().strip_prefix("--> "))?.to_string();
            Some((place, message))
        })
        .collect();
    let expected: Vec<(String, String)> = expected.iter().map(|(p, m)| (p.to_string(), m.to_string())).collect();
    assert_eq!(found, expected, "{err}");
    assert!(err.contains("no errors, 10 warnings"), "{err}");
    assert!(err.contains(r#"= help: quote it from a figure with {{ value(id="…", key="…") }} so it follows the data, or mark it {{ literal("1,628") }} if it is not a statistic"#), "{err}");
    assert!(err.contains(r#"= help: quote it from this figure's values with {{ value(key="…") }} so it follows the data, or mark it {{ literal("956") }} if it is not a statistic"#), "{err}");
    let (ok, _, err) = soapbox(&["build", "--root", "."], dir.path());
    assert!(ok && err.contains("warning: the number 5 is typed by hand"), "build runs the same checks and still builds:\n{err}");
    let home = std::fs::read_to_string(dir.path().join("public/index.html")).unwrap();
    assert!(home.contains("Call 0800 1111 or"), "a literal is shown as written");
}

#[test]
fn hand_typed_number_warnings_speak_no_rust() {
    let dir = site_with_hand_typed_numbers();
    let (_, _, err) = soapbox(&["check", "--root", "."], dir.path());
    for word in ["Number", "Hit", "Place", "Some(", "None", "Location", "Range", "usize", "Vec<", "&str", "String", "struct", "enum", "::"] {
        assert!(!err.contains(word), "`{word}` reached the user:\n{err}");
    }
}
