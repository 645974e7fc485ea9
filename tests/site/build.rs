//! The build pipeline end to end: real sites, built by the real binary into temporary folders.

use crate::common::{count_tag, pages, TestSite};

#[test]
fn default_site_builds_with_every_page_well_formed() {
    let site = TestSite::fixture("default");
    let run = site.build_ok();
    // Seven pages, each in English and Welsh.
    assert!(run.stderr.starts_with("built 14 pages (English 7, Cymraeg 7), 6 figures"), "{}", run.stderr);
    let files = site.tree();
    assert!(files.keys().any(|p| p.starts_with("style.") && p.ends_with(".css")), "a hashed stylesheet");
    for expected in ["index.html", "evidence/index.html", "asks/index.html", "news/index.html", "take-action/index.html"] {
        assert!(files.contains_key(expected), "missing {expected}");
    }
    assert!(files.keys().any(|p| p.starts_with("news/") && p.ends_with("/index.html") && p != "news/index.html"));
    for (path, html) in pages(&files) {
        assert!(html.starts_with("<!doctype html>"), "{path}: no doctype");
        let lang = if path.starts_with("cy/") { "cy" } else { "en-GB" };
        assert!(html.contains(&format!("<html lang={lang}>")), "{path}: lang");
        let head = &html[..html.find("</head>").expect("a head")];
        assert_eq!(count_tag(head, "title"), 1, "{path}: title");
        assert!(html.contains(" name=description>"), "{path}: description");
        assert!(html.contains("href=#main"), "{path}: skip link");
        // Embed pages go inside other sites' articles: a chart and a link back, no site chrome.
        let landmarks: &[&str] = if path.ends_with("/embed/index.html") { &["main"] } else { &["header", "nav", "main", "footer"] };
        for landmark in landmarks {
            // Beside the menu, a page of a site in two languages has the language switcher.
            let switcher = usize::from(*landmark == "nav" && html.contains("class=language-switcher"));
            assert_eq!(count_tag(&html, landmark), 1 + switcher, "{path}: <{landmark}>");
        }
        assert_eq!(count_tag(&html, "h1"), 1, "{path}: exactly one h1");
        assert!(!html.contains("{{") && !html.contains("value("), "{path}: an unrendered shortcode");
    }
}

#[test]
fn default_site_numbers_come_from_the_figures() {
    let site = TestSite::fixture("default");
    site.build_ok();
    let home = site.read("index.html");
    assert!(home.contains("52%"), "the headline finding");
    let evidence = site.read("evidence/index.html");
    for number in ["1,628", "956", "32.6%", "19.8%", "176", "173"] {
        assert!(evidence.contains(number), "evidence page lacks {number}");
    }
    assert_eq!(count_tag(&evidence, "svg"), 4 * soapbox::chart::BANDS.len(), "four charts on the evidence page, a layout per width band");
    assert!(evidence.contains("Not recorded"), "the unrecorded remainder is labelled");
}

#[test]
fn every_chart_kind_is_an_accessible_svg() {
    let site = TestSite::fixture("kinds");
    site.build_ok();
    for kind in ["bar", "column", "stacked", "donut", "line", "waffle", "dot", "tilemap"] {
        let svg = site.read(&format!("figures/{kind}.svg"));
        assert!(svg.starts_with("<svg "), "{kind}");
        assert!(svg.contains(&format!("role=\"img\" aria-labelledby=\"chart-{kind}-title chart-{kind}-desc\"")), "{kind}");
        assert!(svg.contains(&format!("<title id=\"chart-{kind}-title\">")), "{kind}");
        assert!(svg.contains(&format!("<desc id=\"chart-{kind}-desc\">")), "{kind}");
        assert!(svg.contains("viewBox=\"0 0 400 "), "{kind}: scales with its viewBox");
        for size in svg.split("font-size=\"").skip(1).map(|s| s[..s.find('"').unwrap()].parse::<f64>().unwrap()) {
            assert!(size >= 12.0, "{kind}: text of {size}px");
        }
    }
    let home = site.read("index.html");
    assert_eq!(count_tag(&home, "svg"), 8 * soapbox::chart::BANDS.len(), "a layout per width band");
    assert!(home.contains("role=img"), "inline charts keep their role");
    let stacked = site.read("figures/stacked.svg");
    assert!(stacked.contains("Not recorded"), "the remainder is labelled");
    assert!(!stacked.contains(">\n0\n<"), "a null is never drawn as zero");
}

#[test]
fn values_are_formatted_by_unit() {
    let site = TestSite::fixture("kinds");
    site.build_ok();
    let home = site.read("index.html");
    assert!(home.contains("Offences: 1,628."), "count");
    assert!(home.contains("Share: 32.6%."), "percent");
    assert!(home.contains("Named: 1,628 and 52%."), "named values with and without their own unit");
    assert!(home.contains("Stacked part: 20; remainder 29."), "stacked labels and remainders");
    assert!(
        home.contains("<code>{{ value(id=\"nope\", key=\"nope\") }}</code>")
            || home.contains("<code>{{ value(id=&quot;nope&quot;, key=&quot;nope&quot;) }}</code>"),
        "code is left alone"
    );
}

#[test]
fn sections_list_their_pages_newest_first_without_drafts() {
    let site = TestSite::fixture("kinds");
    site.build_ok();
    let news = site.read("news/index.html");
    let newer = news.find("Newer story").expect("newer listed");
    let older = news.find("Older story").expect("older listed");
    assert!(newer < older, "newest first");
    assert!(news.contains("12 Ebrill 2018"), "the fixture is in Welsh, and so are its dates");
    assert!(!news.contains("Not yet"), "drafts are left out");
    assert!(!site.out().join("news/draft").exists());
}

#[test]
fn built_in_theme_serves_a_site_with_only_content() {
    let site = TestSite::fixture("kinds");
    assert!(!site.root().join("templates").exists() && !site.root().join("static").exists());
    site.build_ok();
    let files = site.tree();
    let css = files.iter().find(|(p, _)| p.starts_with("style.") && p.ends_with(".css")).expect("the theme's stylesheet");
    assert!(String::from_utf8_lossy(css.1).contains("@font-face"));
    assert!(files.keys().any(|p| p.starts_with("fonts/inter-regular.") && p.ends_with(".woff2")));
}

#[test]
fn a_site_template_overrides_the_built_in_one() {
    let site = TestSite::fixture("kinds");
    let base = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/base.html")).unwrap();
    site.write("templates/base.html", &base.replace("{{ t(key=\"footer_campaign_by\") }}", "Brought to you by"));
    site.build_ok();
    assert!(site.read("index.html").contains("Brought to you by"));
}

#[test]
fn two_builds_are_byte_identical() {
    let a = TestSite::fixture("default");
    let b = TestSite::fixture("default");
    a.build_ok();
    b.build_ok();
    assert_eq!(a.tree(), b.tree());
    a.build_ok();
    assert_eq!(a.tree(), b.tree());
}

/// Threads never change the output: a generated site of 300 pages and 25 figures of every
/// kind, built on one thread and on four, cold and then warm from the image cache, gives the
/// same bytes every time.
#[test]
fn a_generated_site_is_byte_identical_on_one_thread_and_many() {
    let build = |threads: &str, dir: &std::path::Path| {
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_soapbox"))
            .args(["build", "--quiet", "--root"])
            .arg(dir)
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        let stderr = crate::common::guard::assert_no_panic(&run);
        assert!(run.status.success(), "{stderr}");
        crate::common::tree(&dir.join("public"))
    };
    let (one, many) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    crate::common::synthetic::generate(one.path(), 300, 25);
    crate::common::synthetic::generate(many.path(), 300, 25);
    let single = build("1", one.path());
    assert!(single.len() > 300 + 25 * 7, "{} files", single.len());
    assert!(single == build("4", many.path()), "four threads, cold: the same bytes as one");
    assert!(single == build("4", many.path()), "four threads, warm from the image cache: the same bytes");
    assert!(single == build("1", one.path()), "one thread, warm: the same bytes");
}

/// A build links share images straight to their cache entries, so a damaged entry must be
/// caught there: each is drawn again, the output is what a cold build gives, and the entry
/// is rewritten whole. (Damaged in place, as here, an entry damages the output linked to it
/// until the next build; soapbox itself only ever replaces entries whole.)
#[test]
fn damaged_cached_images_are_drawn_again_not_copied() {
    let site = TestSite::fixture("kinds");
    site.build_ok();
    let cold = crate::common::tree(&site.root().join("public"));
    let images = site.root().join(".soapbox-cache/images");
    let entries: Vec<(std::path::PathBuf, Vec<u8>)> =
        std::fs::read_dir(&images).unwrap().map(|e| e.unwrap().path()).map(|p| (p.clone(), std::fs::read(&p).unwrap())).collect();
    assert!(entries.len() >= 5 * 3, "{} entries", entries.len());
    for (path, good) in &entries {
        let mut damaged = good.clone();
        let middle = damaged.len() / 2;
        damaged[middle] ^= 0x10;
        std::fs::write(path, damaged).unwrap();
    }
    site.build_ok();
    assert!(crate::common::tree(&site.root().join("public")) == cold, "the same bytes as the cold build");
    for (path, good) in &entries {
        assert!(std::fs::read(path).unwrap() == *good, "{} is rewritten", path.display());
    }
}

/// A chart's SVG and its share images are hard links to their cache entries, so the next
/// build knows each by one look at its inode, without reading or comparing it.
#[cfg(unix)]
#[test]
fn charts_and_share_images_are_links_to_their_entries() {
    use std::os::unix::fs::MetadataExt;
    let site = TestSite::fixture("kinds");
    site.build_ok();
    site.build_ok();
    let entries: Vec<u64> = std::fs::read_dir(site.root().join(".soapbox-cache/images")).unwrap().map(|e| e.unwrap().metadata().unwrap().ino()).collect();
    let figures = site.out().join("figures");
    let mut linked = 0;
    for entry in std::fs::read_dir(&figures).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".svg") || name.ends_with(".png") {
            assert!(entries.contains(&std::fs::metadata(&path).unwrap().ino()), "{name} is its entry");
            linked += 1;
        } else if name.ends_with(".csv") {
            assert!(!entries.contains(&std::fs::metadata(&path).unwrap().ino()), "{name} is made, not cached");
        }
    }
    let figures = std::fs::read_dir(site.root().join("content/figures")).unwrap().count();
    assert!(figures >= 6, "a figure of every kind");
    assert_eq!(linked, figures * 4, "every figure with an SVG and three PNGs");
}

#[test]
fn out_and_root_flags_place_the_output() {
    let site = TestSite::fixture("kinds");
    let elsewhere = tempfile::tempdir().unwrap();
    let out = elsewhere.path().join("deep/site");
    let run = site.build(&["--out", out.to_str().unwrap()]);
    assert!(run.ok, "{}", run.stderr);
    assert!(out.join("index.html").exists());
    assert!(!site.out().exists());
}

/// The default site's copy types no statistic by hand: every number in the text comes through
/// `value`, so the text cannot disagree with the charts. List markers and link addresses aside,
/// a digit in a page's prose is a number someone typed.
#[test]
fn default_site_prose_has_no_hand_typed_numbers() {
    let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut pages = Vec::new();
    let mut stack = vec![content];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                pages.push(path);
            }
        }
    }
    assert!(pages.len() >= 6);
    for page in pages {
        let text = std::fs::read_to_string(&page).unwrap();
        let body = text.splitn(3, "---\n").nth(2).expect("front matter");
        for (n, line) in body.lines().enumerate() {
            let mut prose = line.trim_start().to_string();
            if let Some(pos) = prose.find(". ").filter(|p| prose[..*p].chars().all(|c| c.is_ascii_digit()) && *p > 0) {
                prose = prose[pos + 2..].to_string();
            }
            let prose = strip_between(&strip_between(&prose, "{{", "}}"), "](", ")");
            assert!(!prose.chars().any(|c| c.is_ascii_digit()), "{}:{}: a number typed by hand: {line}", page.display(), n + 1);
        }
    }
}

fn strip_between(text: &str, open: &str, close: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(open) {
        out.push_str(&rest[..i + open.len()]);
        match rest[i + open.len()..].find(close) {
            Some(j) => rest = &rest[i + open.len() + j..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// A warm build takes charts, share and embed pages and the press pack from the cache under
/// what they are made from, so a change to anything they show must still reach them: a
/// template they include, a menu entry, the figure itself.
#[test]
fn cached_figure_pages_follow_their_templates_menu_and_figure() {
    let site = TestSite::fixture("kinds");
    site.build_ok();
    let share = site.read("figures/column/index.html");
    let chart = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/chart.html")).unwrap();
    site.write("templates/chart.html", &chart.replace("class=\"chart\"", "class=\"chart edited-chart\""));
    site.build_ok();
    assert!(site.read("figures/column/index.html").contains("edited-chart"), "a template the share page includes was edited");
    assert!(site.read("index.html").contains("edited-chart"), "the chart a page shows was edited");
    let embed = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/embed.html")).unwrap();
    site.write("templates/embed.html", &embed.replacen("<main", "<main data-edited-embed", 1));
    site.build_ok();
    assert!(site.read("figures/column/embed/index.html").contains("data-edited-embed"), "the embed template was edited");
    let pack = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/figures.html")).unwrap();
    site.write("templates/figures.html", &pack.replace("class=\"press-pack\"", "class=\"press-pack edited-pack\""));
    site.build_ok();
    assert!(site.read("figures/index.html").contains("edited-pack"), "the press pack's template was edited");
    let base = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/base.html")).unwrap();
    site.write("templates/base.html", &base.replacen("<body", "<body data-edited-base", 1));
    site.build_ok();
    assert!(site.read("figures/index.html").contains("data-edited-base"), "a template the press pack extends was edited");
    site.write("content/menu-entry.md", "---\ntitle: Brand new entry\nweight: 3\n---\nHello.\n");
    site.build_ok();
    assert!(site.read("figures/column/index.html").contains("Brand new entry"), "the menu gained an entry");
    assert!(site.read("figures/index.html").contains("Brand new entry"), "the press pack's menu gained an entry");
    let figure = std::fs::read_to_string(site.root().join("content/figures/column.yaml")).unwrap();
    site.write("content/figures/column.yaml", &figure.replacen("title: ", "title: Retitled ", 1));
    site.build_ok();
    let retitled = site.read("figures/column/index.html");
    assert!(retitled.contains("Retitled") && retitled != share, "the figure was retitled");
    assert!(site.read("figures/index.html").contains("Retitled"), "the press pack lists the new title");
    assert!(site.read("figures/index.html").contains("figures/line/"));
    std::fs::remove_file(site.root().join("content/figures/line.yaml")).unwrap();
    let index = std::fs::read_to_string(site.root().join("content/index.md")).unwrap();
    site.write("content/index.md", &index.replace("```chart line\n```", ""));
    site.build_ok();
    assert!(!site.read("figures/index.html").contains("figures/line/"), "the press pack drops a deleted figure");
}

/// Every file and page a build writes can be linked from a page, and `check` agrees: a page
/// that links to each of them (the icons, share images, feeds, press pack and privacy note
/// among them) passes `check`, and the site still builds.
#[test]
fn a_page_may_link_to_every_file_and_page_the_build_writes() {
    let site = TestSite::fixture("default");
    site.build_ok();
    let written = site.tree();
    // Content-hashed names change with their file, so pages link to a static file by its own
    // name; the manifest belongs to the write stage, not to the site's addresses.
    let is_hashed = |path: &str| path.split('.').rev().nth(1).is_some_and(|h| h.len() == 8 && h.chars().all(|c| c.is_ascii_hexdigit()));
    let mut links: Vec<String> = written
        .keys()
        .filter(|path| !is_hashed(path) && *path != ".soapbox-manifest")
        .map(|path| format!("/{}", path.strip_suffix("index.html").unwrap_or(path)))
        .collect();
    for expected in [
        "/icon-192.png",
        "/icon-512.png",
        "/favicon.png",
        "/apple-touch-icon.png",
        "/manifest.webmanifest",
        "/social-card.png",
        "/sitemap.xml",
        "/robots.txt",
        "/404.html",
        "/_headers",
        "/figures/",
        "/privacy/",
        "/news/atom.xml",
    ] {
        assert!(links.iter().any(|l| l == expected), "the build no longer writes {expected}: {links:?}");
    }
    let figure = links.iter().find_map(|l| l.strip_prefix("/figures/").and_then(|f| f.strip_suffix("/embed/"))).expect("a figure's embed page").to_string();
    for expected in
        [format!("/figures/{figure}/"), format!("/figures/{figure}.svg"), format!("/figures/{figure}.csv"), format!("/figures/{figure}-1200x630.png")]
    {
        assert!(links.contains(&expected), "the build no longer writes {expected}");
    }
    links.extend([format!("/figures/{figure}/#downloads"), format!("/figures/{figure}/embed/#main"), "/privacy/#main".into(), "/figures/#main".into()]);
    let list: String = links.iter().enumerate().map(|(i, l)| format!("- [link {i}]({l})\n")).collect();
    site.write("content/everything.md", &format!("---\ntitle: Everything\n---\n{list}"));
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_soapbox")).arg("check").arg("--root").arg(site.root()).env("NO_COLOR", "1").output().unwrap();
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(check.status.success(), "check refused a link to a file the build writes:\n{stderr}");
    site.build_ok();
    assert!(site.read("everything/index.html").contains("icon-512.png"));
}

#[test]
fn a_share_page_shows_its_title_once_as_its_only_h1() {
    let site = TestSite::fixture("default");
    site.build_ok();
    for id in ["offences-england-wales", "platforms-england-wales", "north-east-offences", "north-east-platforms"] {
        let html = site.read(&format!("figures/{id}/index.html"));
        let start = html.find("<h1").expect("an h1");
        let title = &html[html[start..].find('>').unwrap() + start + 1..html[start..].find("</h1>").unwrap() + start];
        assert_eq!(count_tag(&html, "h1"), 1, "{id}");
        // The page's head and the chart's caption, down to the chart itself.
        let head = &html[html.find("<main").unwrap()..html.find("<svg").unwrap()];
        assert_eq!(head.matches(&format!(">{title}<")).count(), 1, "{id}: the title {title:?} is shown more than once");
    }
}

#[test]
fn the_press_pack_lists_figures_as_the_site_first_shows_them() {
    let site = TestSite::fixture("default");
    // A figure no page shows comes last, whatever its name.
    let unshown = std::fs::read_to_string(site.root().join("content/figures/north-east-offences.yaml")).unwrap();
    site.write("content/figures/aaa-unshown.yaml", &unshown);
    site.build_ok();
    let html = site.read("figures/index.html");
    let order: Vec<&str> = html.split("<h2 class=card-title><a href=/figures/").skip(1).map(|s| &s[..s.find('/').unwrap()]).collect();
    // The home page (first in the menu) shows the waffle; the evidence page, second, shows
    // four more in this order; the news story the map.
    assert_eq!(
        order,
        ["facebook-owned", "offences-england-wales", "platforms-england-wales", "north-east-offences", "north-east-platforms", "north-east-map", "aaa-unshown"]
    );
}

#[test]
fn titles_and_notes_have_the_punctuation_of_body_text_and_quoted_numbers_are_unchanged() {
    let site = TestSite::fixture("default");
    let figure = std::fs::read_to_string(site.root().join("content/figures/north-east-offences.yaml")).unwrap();
    let figure = figure.replacen("title: ", "title: 'The \"{{ value(key=\"total\") }}\" offences -- that''s it... ' #", 1);
    site.write("content/figures/north-east-offences.yaml", &figure);
    site.build_ok();
    let html = site.read("figures/north-east-offences/index.html");
    assert!(html.contains("The “173” offences – that’s it…"), "{}", &html[html.find("<h1").unwrap()..][..300]);
    assert!(site.read("index.html").contains("It’s time for rules."), "a page title");
}

#[test]
fn a_site_of_one_page_and_one_figure_counts_them_in_the_singular() {
    let site = TestSite::fixture("default");
    for page in ["evidence", "asks", "take-action", "thank-you", "news/_index", "news/wild-west-web-launch"] {
        site.remove(&format!("content/{page}.md"));
    }
    for page in ["index", "evidence", "asks", "take-action", "thank-you", "news/_index", "news/wild-west-web-launch"] {
        site.remove(&format!("content/{page}.cy.md"));
    }
    let config = std::fs::read_to_string(site.root().join("content/site.yaml")).unwrap();
    site.write(
        "content/site.yaml",
        &config.replace(
            "languages:
  cy:",
            "extra:
  cy:",
        ),
    );
    site.write("content/index.md", "---\ntitle: One page\n---\n\n```chart offences-england-wales\n```\n");
    for figure in ["north-east-platforms", "north-east-offences", "platforms-england-wales", "facebook-owned", "north-east-map"] {
        site.remove(&format!("content/figures/{figure}.yaml"));
    }
    let run = site.build_ok();
    assert!(run.stderr.starts_with("built 1 page, 1 figure: "), "{}", run.stderr);
}
