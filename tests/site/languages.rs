//! Languages: a Welsh site shows no English interface text, and a site's strings files change
//! or complete the theme's words.
//!
//! The English text looked for is never typed here: it is every value of the English strings
//! file (less those the Welsh file gives the same, such as `CSV`), and the words of the English
//! build's own generated text (chart descriptions, words drawn in charts, table headings) that
//! the site's files and the Welsh strings do not contain.

use crate::common::{pages, TestSite};
use std::collections::BTreeSet;
use std::path::Path;

fn strings_file(tag: &str) -> serde_yaml::Mapping {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("templates/strings/{tag}.yaml"));
    serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Every text of a value: itself, or each of its plural forms.
fn texts(value: &serde_yaml::Value) -> Vec<String> {
    match value {
        serde_yaml::Value::Mapping(forms) => forms.values().filter_map(|v| v.as_str().map(str::to_string)).collect(),
        other => other.as_str().map(str::to_string).into_iter().collect(),
    }
}

/// The parts of a text between its `{placeholders}` that have a word in them.
fn fragments(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, part) in text.split(['{', '}']).enumerate() {
        let part = part.trim_matches(|c: char| c.is_whitespace() || ",.;:".contains(c));
        // Odd parts are placeholder names.
        if i % 2 == 0 && part.chars().filter(|c| c.is_alphabetic()).count() >= 3 {
            out.push(part.to_string());
        }
    }
    out
}

/// The text a reader meets in a page: what is between its tags, and the attributes read aloud
/// or shown (`aria-label`, `alt`, `title`, `content`), with entities decoded.
fn reader_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        out.push('\n');
        let Some(close) = rest[open..].find('>') else { break };
        let tag = &rest[open..open + close];
        for attribute in ["aria-label=\"", "alt=\"", "title=\"", "content=\""] {
            for (at, _) in tag.match_indices(attribute) {
                let value = &tag[at + attribute.len()..];
                out.push_str(&value[..value.find('"').unwrap_or(value.len())]);
                out.push('\n');
            }
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out.replace("&#x27;", "'").replace("&#39;", "'").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

/// Whether `needle` stands in `hay` as whole words.
fn has_words(hay: &str, needle: &str) -> bool {
    hay.match_indices(needle).any(|(at, _)| {
        let before = hay[..at].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
        let after = hay[at + needle.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric());
        before && after
    })
}

/// The kinds fixture in `language`, with a quick exit whose label the language gives, and its
/// own words kept clear of the theme's: a remainder and a note that quote no interface word.
fn kinds_in(language: &str) -> TestSite {
    let site = TestSite::fixture("kinds");
    let config = site.root().join("content/site.yaml");
    let text = std::fs::read_to_string(&config)
        .unwrap()
        .replace("language: cy-GB", &format!("language: {language}\nquick_exit:\n  url: https://www.bbc.co.uk/weather"));
    site.write("content/site.yaml", &text);
    let stacked = std::fs::read_to_string(site.root().join("content/figures/stacked.yaml")).unwrap();
    site.write(
        "content/figures/stacked.yaml",
        &stacked.replace("remainder: Not recorded", "remainder: Arall").replace("A dash means not reported.", "Fixture note."),
    );
    let index = std::fs::read_to_string(site.root().join("content/index.md")).unwrap();
    site.write("content/index.md", &index.replace("Cleveland / Not recorded", "Cleveland / Arall"));
    site
}

fn page_texts(site: &TestSite) -> Vec<(String, String)> {
    let files = site.tree();
    pages(&files).into_iter().map(|(path, html)| (path.clone(), reader_text(&html))).collect()
}

/// All the text of the site's own files, whose words are the site's and not the theme's.
fn site_words(site: &TestSite) -> String {
    let mut words = String::new();
    for (_, bytes) in crate::common::tree(&site.root().join("content")) {
        words.push_str(&String::from_utf8_lossy(&bytes));
        words.push('\n');
    }
    // A tile map's area names and codes come from its layout, a built-in one too: they are
    // the data's words, as a figure file's labels are, not soapbox's.
    for (_, layout) in soapbox::layouts::BUILT_IN {
        words.push_str(layout);
        words.push('\n');
    }
    words
}

/// The English build's generated words: its figure pages' descriptions, chart text and table
/// headings, as single words that neither the site's files nor the Welsh strings contain.
fn generated_english_words(english: &TestSite) -> BTreeSet<String> {
    let site_words = site_words(english);
    let welsh: String = strings_file("cy").values().flat_map(texts).collect::<Vec<_>>().join("\n");
    let mut words = BTreeSet::new();
    for (path, html) in pages(&english.tree()) {
        if !path.starts_with("figures/") {
            continue;
        }
        let mut generated = Vec::new();
        for (open, close) in [("<details", "</details>"), ("<svg", "</svg>")] {
            for (at, _) in html.match_indices(open) {
                let end = html[at..].find(close).map_or(html.len(), |e| at + e);
                generated.push(reader_text(&html[at..end]));
            }
        }
        for text in generated {
            for word in text.split(|c: char| !c.is_alphabetic()).filter(|w| w.chars().count() >= 3) {
                if !has_words(&site_words, word) && !has_words(&welsh, word) {
                    words.insert(word.to_string());
                }
            }
        }
    }
    words
}

#[test]
fn a_welsh_site_shows_no_english_interface_string() {
    let english_site = kinds_in("en-GB");
    english_site.build_ok();
    let welsh_site = kinds_in("cy-GB");
    welsh_site.build_ok();

    let (english, welsh) = (strings_file("en"), strings_file("cy"));
    let mut phrases = BTreeSet::new();
    for (key, value) in &english {
        let welsh_texts = welsh.get(key).map(texts).unwrap_or_default();
        for text in texts(value) {
            if welsh_texts.contains(&text) {
                continue;
            }
            phrases.extend(fragments(&text).into_iter().filter(|f| !welsh_texts.iter().any(|w| fragments(w).contains(f))));
        }
    }
    // A lone word of the theme's ("and", "The") that the fixture's English content also uses
    // is the site's word there; phrases of several words are looked for wherever they are.
    let own = site_words(&english_site);
    phrases.retain(|p| p.contains(' ') || !has_words(&own, p));
    let words = generated_english_words(&english_site);
    for needed in ["largest", "smallest", "reported", "all"] {
        assert!(words.contains(needed), "the English build's description should give `{needed}`: {words:?}");
    }

    let english_text: String = page_texts(&english_site).into_iter().map(|(_, t)| t).collect();
    let shown = phrases.iter().filter(|p| has_words(&english_text, p)).count();
    assert!(shown >= 20, "the English build shows only {shown} of the English strings; the scan would prove nothing");

    let mut found = Vec::new();
    for (path, text) in page_texts(&welsh_site) {
        for phrase in phrases.iter().chain(&words) {
            if has_words(&text, phrase) {
                found.push(format!("{path}: {phrase:?}"));
            }
        }
    }
    assert!(found.is_empty(), "English interface text on the Welsh site:\n{}", found.join("\n"));

    let html = welsh_site.read("news/newer/index.html");
    assert!(html.contains("<html lang=cy-GB>"), "the page says its language");
    assert!(html.contains("12 Ebrill 2018"), "the date is in Welsh");
    assert!(html.contains(">Gadael yn gyflym<"), "the quick exit without a label of its own is in the page's language");
}

#[test]
fn a_site_strings_file_changes_only_the_strings_it_names() {
    let site = kinds_in("cy-GB");
    site.write("templates/strings/cy.yaml", "source: \"Yn ôl:\"\n");
    site.build_ok();
    let text: String = page_texts(&site).into_iter().map(|(_, t)| t).collect();
    assert!(text.contains("Yn ôl: Fixture source"), "the site's own word for Source");
    assert!(!text.contains("Ffynhonnell:"), "the built-in word is replaced everywhere the templates use it");
    assert!(text.contains("Y data y tu ôl i'r siart hwn"), "the other strings stay built in");
}

#[test]
fn a_language_without_built_in_strings_needs_every_key_from_the_site() {
    let site = kinds_in("fr");
    site.write("templates/strings/fr.yaml", "source: \"Source :\"\n");
    let run = site.build(&[]);
    assert!(!run.ok, "a build with strings missing must fail");
    assert!(run.stderr.contains("templates/strings/fr.yaml"), "{}", run.stderr);
    assert!(run.stderr.contains("the strings for `fr` have no `note`"), "{}", run.stderr);

    let misspelt = kinds_in("cy");
    misspelt.write("templates/strings/cy.yaml", "note: Nodyn\nsorce: O\n");
    let run = misspelt.build(&[]);
    assert!(!run.ok);
    assert!(run.stderr.contains("templates/strings/cy.yaml:2"), "{}", run.stderr);
    assert!(run.stderr.contains("source"), "did you mean: {}", run.stderr);
}

#[test]
fn a_template_asking_for_a_string_that_does_not_exist_is_told_the_nearest() {
    let site = kinds_in("cy-GB");
    let base = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/base.html")).unwrap();
    site.write("templates/base.html", &base.replace("t(key=\"privacy\")", "t(key=\"privacyy\")"));
    let run = site.build(&[]);
    assert!(!run.ok, "a misspelt string must stop the build");
    assert!(run.stderr.contains("templates/base.html"), "{}", run.stderr);
    assert!(run.stderr.contains("there is no string `privacyy`") && run.stderr.contains("`privacy`"), "{}", run.stderr);
}

/// The default site with Welsh as a second language: the home page, the main action (under a
/// Welsh slug) and the news section with one dated story have Welsh translations; the other
/// pages do not.
fn bilingual() -> TestSite {
    let site = TestSite::fixture("default");
    // The default site is itself bilingual: its Welsh pages give way to the test's own.
    for page in ["index", "evidence", "asks", "take-action", "thank-you", "news/_index", "news/wild-west-web-launch"] {
        site.remove(&format!("content/{page}.cy.md"));
    }
    let config = std::fs::read_to_string(site.root().join("content/site.yaml")).unwrap();
    // Its own Welsh words give way to the test's.
    let config: String = {
        let mut inside = false;
        config
            .lines()
            .filter(|line| {
                inside = line.starts_with("languages:") || (inside && line.starts_with(' '));
                !inside
            })
            .map(|line| format!("{line}\n"))
            .collect()
    };
    site.write("content/site.yaml", &format!("{config}languages:\n  cy:\n    description: Disgrifiad Cymraeg o'r ymgyrch.\n    quick_exit: Gadael nawr\n"));
    site.write("content/index.cy.md", "---\ntitle: Hafan yr ymgyrch\nweight: 1\nnav_title: Hafan\n---\nTestun.\n");
    site.write("content/take-action.cy.md", "---\ntitle: Gweithredu\nslug: gweithredu\nweight: 5\nprimary: true\n---\nGweithredwch.\n");
    site.write("content/news/_index.cy.md", "---\ntitle: Newyddion\nweight: 4\n---\n");
    site.write("content/news/lansio.cy.md", "---\ntitle: Lansio'r ymgyrch\ndate: 2018-04-12\n---\nStori.\n");
    site
}

/// Issue 21: pages in each language under its prefix, linked both ways by `hreflang` (with
/// `x-default`), in the sitemap and by the language switcher, with a menu and feeds per
/// language and the site's own words in each.
#[test]
fn a_bilingual_site_links_every_page_to_its_translations_both_ways() {
    let site = bilingual();
    site.build_ok();
    let (english, welsh) = (site.read("take-action/index.html"), site.read("cy/gweithredu/index.html"));
    let base = "https://wildwestweb.example.org/";
    // The URL scheme: the language's prefix, and the translation's own slug.
    for page in ["cy/index.html", "cy/news/index.html", "cy/news/lansio/index.html"] {
        assert!(site.out().join(page).exists(), "{page}");
    }
    assert!(english.contains("<html lang=en-GB") && welsh.contains("<html lang=cy"));
    // hreflang both ways, the default language as x-default.
    for html in [&english, &welsh] {
        assert!(html.contains(&format!("<link href={base}take-action/ hreflang=en-GB rel=alternate>")), "{html}");
        assert!(html.contains(&format!("<link href={base}cy/gweithredu/ hreflang=cy rel=alternate>")));
        assert!(html.contains(&format!("<link href={base}take-action/ hreflang=x-default rel=alternate>")));
    }
    // The switcher leads to the same page in the other language, marked with its language...
    assert!(english.contains("<a href=/cy/gweithredu/ hreflang=cy lang=cy>Cymraeg</a>"), "{english}");
    assert!(welsh.contains("<a href=/take-action/ hreflang=en-GB lang=en-GB>English</a>"));
    // ...or to that language's home, where the page has no translation (and then no hreflang).
    let evidence = site.read("evidence/index.html");
    assert!(evidence.contains("<a href=/cy/ hreflang=cy lang=cy>Cymraeg</a>") && !evidence.contains("hreflang=cy rel=alternate"));
    // Each language has its own menu, main action and words.
    let menu = |html: &str| {
        let nav = &html[html.find("class=site-nav").unwrap()..];
        nav[..nav.find("</nav>").unwrap()].to_string()
    };
    assert!(menu(&welsh).contains("href=/cy/news/") && !menu(&welsh).contains("href=/evidence/"), "{}", menu(&welsh));
    assert!(menu(&english).contains("href=/evidence/") && !menu(&english).contains("/cy/"));
    assert!(welsh.contains("class=\"button header-action\" aria-current=page href=/cy/gweithredu/>Gweithredu</a>"), "{welsh}");
    assert!(welsh.contains("content=\"Disgrifiad Cymraeg o’r ymgyrch.\"") && welsh.contains("Gadael nawr"));
    assert!(site.read("cy/index.html").contains("<a class=site-title href=/cy/>"));
    // The sitemap lists the alternates.
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
    let entry = &sitemap[sitemap.find(&format!("<loc>{base}cy/gweithredu/</loc>")).unwrap()..];
    let entry = &entry[..entry.find("</url>").unwrap()];
    for (lang, url) in [("en-GB", "take-action/"), ("x-default", "take-action/"), ("cy", "cy/gweithredu/")] {
        assert!(entry.contains(&format!("hreflang=\"{lang}\" href=\"{base}{url}\"")), "{entry}");
    }
    // A feed per language, each of its own language's stories.
    let (feed, cy_feed) = (site.read("news/atom.xml"), site.read("cy/news/atom.xml"));
    assert!(cy_feed.contains("xml:lang=\"cy\"") && cy_feed.contains("Lansio’r ymgyrch") && !cy_feed.contains("/news/wild-west-web-launch/"));
    assert!(feed.contains("xml:lang=\"en-GB\"") && !feed.contains("Lansio"));
    // The Welsh home and section list only Welsh pages.
    assert!(site.read("cy/news/index.html").contains("href=/cy/news/lansio/") && !site.read("cy/news/index.html").contains("/news/wild-west-web-launch/"));
}

#[test]
fn a_page_named_for_a_language_the_site_does_not_have_is_refused() {
    let site = bilingual();
    site.write("content/asks.fr.md", "---\ntitle: Nos demandes\n---\n");
    let run = site.build(&[]);
    assert!(!run.ok, "{}", run.stderr);
    assert!(
        run.stderr.contains("`fr` in the file name `asks.fr.md` is not one of the site's languages") && run.stderr.contains("content/asks.fr.md"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("the site's other languages are cy"), "{}", run.stderr);
}

/// `check` tells the editor which pages have no translation, and which links lead to a page in
/// the other language where the page's own language has a version.
#[test]
fn check_names_missing_translations_and_links_into_the_other_language() {
    let site = bilingual();
    site.write(
        "content/news/lansio.cy.md",
        "---\ntitle: Lansio\ndate: 2018-04-12\n---\nDarllenwch [y dystiolaeth](/evidence/) a [gweithredwch](/take-action/).\n",
    );
    let run = site.build(&[]);
    assert!(run.ok, "{}", run.stderr);
    assert!(run.stderr.contains("this page has no translation into cy") && run.stderr.contains("content/evidence.cy.md"), "{}", run.stderr);
    assert!(!run.stderr.contains("content/take-action.cy.md`"), "take-action has its translation: {}", run.stderr);
    // The evidence page has no Welsh version, so linking to the English one is right.
    let across = run.stderr.matches("in another language").count();
    assert_eq!(across, 1, "{}", run.stderr);
    assert!(run.stderr.contains("content/news/lansio.cy.md:5:") && run.stderr.contains("link to /cy/gweithredu/ instead"), "{}", run.stderr);
}

/// A figure's words in another language, written once beside its numbers, make its chart on
/// that language's pages: the title, labels, remainder and description, with soapbox's words
/// in the language; a translated label that is no label of the figure is refused at its line.
#[test]
fn a_figures_words_in_welsh_make_its_chart_on_welsh_pages() {
    let site = TestSite::fixture("default");
    site.build_ok();
    let (english, welsh) = (site.read("evidence/index.html"), site.read("cy/tystiolaeth/index.html"));
    assert!(welsh.contains("<p class=chart-title>Mae Facebook a’r apiau y mae’n berchen arnynt i’w gweld mewn 52% o’r achosion"), "{welsh}");
    assert!(welsh.contains("Ffynhonnell:") && welsh.contains("Heb ei gofnodi") && welsh.contains("Troseddau a gofnodwyd"));
    assert!(welsh.contains("Mae'r siart colofn yn dangos: Troseddau a gofnodwyd 1,628"), "the description is written in Welsh from the Welsh labels");
    let main = &welsh[welsh.find("<main").unwrap()..welsh.find("</main>").unwrap()];
    assert!(!main.contains("Offences recorded") && !main.contains("Not recorded"), "{main}");
    assert!(english.contains("<p class=chart-title>Facebook and the apps it owns feature in more than half of cases") && !english.contains("Ffynhonnell"));
    let figure = "content/figures/offences-england-wales.yaml";
    let text = std::fs::read_to_string(site.root().join(figure)).unwrap();
    site.write(figure, &text.replace("labels: { Offences recorded:", "labels: { Offences recordd:"));
    let run = site.build(&[]);
    assert!(!run.ok && run.stderr.contains("`Offences recordd` under `translations` is no label of this figure"), "{}", run.stderr);
    assert!(run.stderr.contains(figure) && run.stderr.contains("did you mean `Offences recorded`?"), "{}", run.stderr);
}

/// Issue 21: each language has a figure's whole set of outputs under its prefix: the share
/// page, embed page, share images (their title read back from the PNG's text), SVG and CSV with
/// its headers in that language, the press pack, the privacy note and the site card; pages
/// preview with their own language's image, and the 404 page speaks every language.
#[test]
fn every_figure_output_and_generated_page_exists_in_each_language() {
    let site = TestSite::fixture("default");
    site.build_ok();
    let files = site.tree();
    let base = "https://wildwestweb.example.org/";
    let id = "offences-england-wales";
    let (english, welsh) = (site.read(&format!("figures/{id}/index.html")), site.read(&format!("cy/figures/{id}/index.html")));
    let chart_title = |html: &str| {
        let at = html.find("<title>").unwrap() + "<title>".len();
        html[at..at + html[at..].find(" · ").unwrap()].replace("&#39;", "'")
    };
    let welsh_title = chart_title(&welsh);
    assert_ne!(welsh_title, chart_title(&english));
    assert!(welsh.contains("<html lang=cy>") && english.contains("<html lang=en-GB>"));
    // Linked both ways, as every page is.
    for html in [&english, &welsh] {
        assert!(html.contains(&format!("<link href={base}figures/{id}/ hreflang=en-GB rel=alternate>")), "{html}");
        assert!(html.contains(&format!("<link href={base}cy/figures/{id}/ hreflang=cy rel=alternate>")), "{html}");
    }
    // Its downloads and embed code are the Welsh ones; the sizing script is the site's one.
    for download in [format!("href=/cy/figures/{id}.csv"), format!("href=/cy/figures/{id}-1200x630.png"), format!("href=/cy/figures/{id}.svg")] {
        assert!(welsh.contains(&download), "{download}");
    }
    assert!(
        welsh.contains(&format!("src=&quot;{base}cy/figures/{id}/embed/&quot;")) || welsh.contains(&format!("src=\"{base}cy/figures/{id}/embed/\"")),
        "{welsh}"
    );
    assert!(welsh.contains(&format!("{base}embed.js")) && !welsh.contains(&format!("{base}cy/embed.js")));
    let embed = site.read(&format!("cy/figures/{id}/embed/index.html"));
    assert!(embed.contains("<html lang=cy>") && embed.contains(&format!("{base}cy/figures/{id}/")), "{embed}");
    // The share images carry the Welsh title, and the Welsh pages preview with them.
    for size in ["1200x630", "1080x1080", "1080x1350"] {
        let (_, _, text) = crate::share::png_info(&files[&format!("cy/figures/{id}-{size}.png")]);
        assert_eq!(text["Title"], welsh_title, "{size}");
        assert_ne!(files[&format!("cy/figures/{id}-{size}.png")], files[&format!("figures/{id}-{size}.png")]);
    }
    let evidence = site.read("cy/tystiolaeth/index.html");
    let preview = &evidence[evidence.find("property=og:image>").map(|at| evidence[..at].rfind("<meta").unwrap()).unwrap()..];
    assert!(preview.starts_with(&format!("<meta content={base}cy/figures/")), "{preview}");
    // The SVG and the data speak Welsh; the numbers are the same.
    let svg = String::from_utf8(files[&format!("cy/figures/{id}.svg")].clone()).unwrap();
    assert!(svg.contains(&welsh_title.replace('\'', "&#39;")) || svg.contains(&welsh_title), "{svg}");
    let csv = |path: &str| String::from_utf8(files[path].clone()).unwrap();
    let (en_csv, cy_csv) = (csv(&format!("figures/{id}.csv")), csv(&format!("cy/figures/{id}.csv")));
    let header = |csv: &str| csv.lines().next().unwrap().to_string();
    assert_ne!(header(&en_csv), header(&cy_csv));
    let numbers = |csv: &str| csv.lines().skip(1).map(|l| l.split(',').skip(1).collect::<Vec<_>>().join(",")).collect::<Vec<_>>();
    assert_eq!(numbers(&en_csv), numbers(&cy_csv));
    // The press pack, privacy note and site card, in Welsh, linked from the Welsh footer.
    let pack = site.read("cy/figures/index.html");
    assert!(pack.contains("<html lang=cy>") && pack.contains(&format!("href=/cy/figures/{id}/")) && !pack.contains(&format!("href=/figures/{id}/")));
    let privacy = site.read("cy/privacy/index.html");
    assert!(privacy.contains("<html lang=cy>") && privacy.contains(&format!("<link href={base}privacy/ hreflang=en-GB rel=alternate>")));
    assert!(evidence.contains("href=/cy/privacy/") && evidence.contains("href=/cy/figures/>"), "the footer");
    let (_, _, card) = crate::share::png_info(&files["cy/social-card.png"]);
    let (_, _, english_card) = crate::share::png_info(&files["social-card.png"]);
    assert!(card.contains_key("Title") && english_card.contains_key("Title"));
    // One 404 page for the host, with its words in Welsh too, marked as Welsh.
    let not_found = site.read("404.html");
    let welsh_part = &not_found[not_found.find("lang=cy>").expect("a Welsh part")..];
    assert!(welsh_part.contains("href=/cy/ hreflang=cy>"), "{welsh_part}");
    // Every one of them is in the sitemap, with its alternates.
    let sitemap = site.read("sitemap.xml");
    for page in [format!("cy/figures/{id}/"), "cy/figures/".to_string(), "cy/privacy/".to_string()] {
        let entry = &sitemap[sitemap.find(&format!("<loc>{base}{page}</loc>")).unwrap_or_else(|| panic!("{page}"))..];
        assert!(entry[..entry.find("</url>").unwrap()].contains("hreflang=\"x-default\""), "{page}");
    }
}

/// A figure without words in a language still shows on that language's pages, in its file's
/// words, each marked with its language so that screen readers say it right; `check` names it.
#[test]
fn a_figure_without_words_in_the_pages_language_marks_its_own_words_with_theirs() {
    let site = TestSite::fixture("default");
    let figure = "content/figures/offences-england-wales.yaml";
    let text = std::fs::read_to_string(site.root().join(figure)).unwrap();
    let title_only = text.lines().take_while(|l| !l.starts_with("    subtitle:")).map(|l| format!("{l}\n")).collect::<String>();
    site.write(figure, &title_only);
    let run = site.build(&[]);
    assert!(run.ok, "{}", run.stderr);
    let welsh = site.read("cy/figures/offences-england-wales/index.html");
    let english = site.read("figures/offences-england-wales/index.html");
    // The Welsh title is the file's own; the subtitle and source are English, marked so.
    assert!(welsh.contains("<h1 class=\"chart-title share-title\">Cofnododd yr heddlu"), "{welsh}");
    assert!(welsh.contains("<p class=chart-subtitle lang=en-GB>Sexual Communication with a Child"), "{welsh}");
    assert!(welsh.contains("lang=en-GB>NSPCC"), "{welsh}");
    assert!(english.contains("<p class=chart-subtitle>Sexual"), "nothing is marked on a page in the file's own language");
    let pack = site.read("cy/figures/index.html");
    assert!(pack.contains("<span lang=en-GB>NSPCC"), "{pack}");
    assert!(run.stderr.contains(figure) && run.stderr.contains("this figure has no subtitle, source and note in cy"), "check names the figure: {}", run.stderr);
}

/// A page quotes a figure in its own language: a claim in the words the figure's file gives
/// it in that language, a computed value that names a data point by that language's label,
/// and a statement with its attribution in the language's words. A label quotes the same
/// number in every language.
#[test]
fn a_welsh_page_quotes_a_figures_words_in_welsh() {
    let site = TestSite::fixture("default");
    let figure = "content/figures/platforms-england-wales.yaml";
    let text = std::fs::read_to_string(site.root().join(figure)).unwrap();
    site.write(figure, &text.replace("values:\n", "values:\n  least: { smallest: data }\n"));
    let quotes = "{{ value(id=\"platforms-england-wales\", key=\"most_recorded\") }} | \
                  {{ value(id=\"platforms-england-wales\", key=\"least\") }} | \
                  {{ value(id=\"platforms-england-wales\", key=\"snapchat_second\") }} | \
                  {{ value(id=\"platforms-england-wales\", label=\"Instagram and WhatsApp\") }}";
    site.write("content/quotes.md", &format!("---\ntitle: Quotes\n---\nQuoted: {quotes}\n"));
    let title = "'Dyfyniadau: {{ value(id=\"platforms-england-wales\", key=\"most_recorded\") }}'";
    site.write("content/quotes.cy.md", &format!("---\ntitle: {title}\n---\nDyfynnwyd: {quotes}\n"));
    // A template quotes in the page's language too.
    let template = std::fs::read_to_string(site.root().join("templates/page.html")).unwrap();
    let quoting = "<p class=quoted>{{ value(id=\"platforms-england-wales\", key=\"most_recorded\") }}</p>\n{% endblock content %}";
    site.write("templates/page.html", &template.replace("{% endblock content %}", quoting));
    site.build_ok();
    assert!(site.read("cy/quotes/index.html").contains("<p class=quoted>y safle a gofnodwyd amlaf</p>"));
    assert!(site.read("quotes/index.html").contains("<p class=quoted>the most-recorded site</p>"));
    assert!(site.read("cy/quotes/index.html").contains("<h1>Dyfyniadau: y safle a gofnodwyd amlaf</h1>"), "the title, filled as the site loads");
    let paragraph = |html: &str, start: &str| {
        let from = &html[html.find(start).unwrap_or_else(|| panic!("{start} in {html}"))..];
        from[..from.find("</p>").unwrap()].to_string()
    };
    let welsh = paragraph(&site.read("cy/quotes/index.html"), "Dyfynnwyd:");
    assert_eq!(welsh, "Dyfynnwyd: y safle a gofnodwyd amlaf | Instagram a WhatsApp | Snapchat was the second most-used app (yn ôl the NSPCC) | 19.8%");
    let english = paragraph(&site.read("quotes/index.html"), "Quoted:");
    assert_eq!(english, "Quoted: the most-recorded site | Instagram and WhatsApp | Snapchat was the second most-used app (according to the NSPCC) | 19.8%");
}

/// A Welsh page so large that it is minified in pieces places its charts drawn in Welsh, as
/// a page of ordinary size does.
#[test]
fn a_very_large_welsh_page_places_its_charts_in_welsh() {
    let site = TestSite::fixture("default");
    let filler: String = (0..12_000).map(|i| format!("Paragraff {i} o destun hir.\n\n")).collect();
    assert!(filler.len() > 256 * 1024, "the body must be past charts::LARGE_BODY");
    site.write("content/hir.md", "---\ntitle: Long\n---\n```chart platforms-england-wales\n```\n");
    site.write("content/hir.cy.md", &format!("---\ntitle: Hir\n---\n{filler}```chart platforms-england-wales\n```\n"));
    site.build_ok();
    let welsh = site.read("cy/hir/index.html");
    assert!(welsh.contains("Paragraff 11999 o destun hir."), "the whole body is there");
    assert!(welsh.contains("<p class=chart-title>Mae Facebook a’r apiau y mae’n berchen arnynt i’w gweld mewn 52% o’r achosion"), "the Welsh chart");
    assert!(!welsh.contains("Facebook and the apps it owns feature in"), "not the English one");
}

/// A site's own strings reach every word soapbox writes for a figure (drawn in its chart
/// and share images, in its description, table and CSV) and the words of components, in
/// each language; and a build after a change of those strings draws again rather than
/// taking the images and SVG it cached for the old words.
#[test]
fn a_sites_own_strings_reach_charts_tables_images_and_components_even_when_cached() {
    let site = TestSite::fixture("default");
    site.build_ok();
    let png = "figures/north-east-platforms-1200x630.png";
    let (svg, image) = (site.read("figures/north-east-platforms.svg"), std::fs::read(site.out().join(png)).unwrap());
    assert!(!svg.contains("62 altogether"), "{svg}");
    site.write(
        "templates/strings/en.yaml",
        "in_all: \"{value} altogether\"\nsource: \"Data from:\"\ntable_label_column: Force\ncallout_content_warning: Please note\nchart_stacked_bar: pile chart\n",
    );
    site.write("templates/strings/cy.yaml", "in_all: \"{value} yn gyfan\"\n");
    site.build_ok();
    let svg = site.read("figures/north-east-platforms.svg");
    assert!(svg.contains("62 altogether"), "the cached SVG is drawn again: {svg}");
    assert_ne!(std::fs::read(site.out().join(png)).unwrap(), image, "the share image is drawn again with the site's `source`");
    assert!(site.read("figures/north-east-platforms.csv").starts_with("\u{feff}Force,Facebook,"), "the CSV's headings");
    let english = site.read("evidence/index.html");
    assert!(english.contains("62 altogether") && english.contains("<p class=chart-source>Data from: NSPCC"), "the chart on the page");
    assert!(english.contains("Pile chart"), "the chart's description");
    assert!(english.contains("<p class=callout-label>Please note</p>"), "a component's words");
    let welsh = site.read("cy/tystiolaeth/index.html");
    assert!(welsh.contains("62 yn gyfan"), "the Welsh chart takes the site's Welsh words");
    assert!(welsh.contains("Ffynhonnell:") && !welsh.contains("Data from:"), "and not the English ones");
}
