//! Publishing: a site built for a subpath works under it, and the standard files are there.

use crate::common::{pages, TestSite};
use std::path::Path;
use std::process::Command;

const BASE: &str = "https://campaigns.example.net/wild-west/";

fn build_under_subpath() -> TestSite {
    let site = TestSite::fixture("default");
    let run = site.build(&["--base-url", BASE]);
    assert!(run.ok, "{}", run.stderr);
    site
}

#[test]
fn every_internal_address_sits_under_the_subpath() {
    let site = build_under_subpath();
    let files = site.tree();
    for (path, html) in pages(&files) {
        for attr in ["href=", "src="] {
            for value in html.split(attr).skip(1) {
                let value = value.trim_start_matches('"');
                let end = value.find(['"', ' ', '>']).unwrap_or(value.len());
                let url = &value[..end];
                let internal = url.starts_with('/');
                assert!(!internal || url.starts_with("/wild-west/"), "{path}: {url} is not under the subpath");
                if let Some(rest) = url.strip_prefix("/wild-west/") {
                    let target = rest.split(['#', '?']).next().unwrap_or_default();
                    let file = if target.is_empty() || target.ends_with('/') { format!("{target}index.html") } else { target.to_string() };
                    assert!(files.contains_key(&file), "{path}: {url} leads nowhere");
                }
            }
        }
    }
}

#[test]
fn sitemap_robots_and_404_follow_base_url() {
    let site = build_under_subpath();
    let sitemap = site.read("sitemap.xml");
    let locs: Vec<&str> = sitemap.split("<loc>").skip(1).map(|s| &s[..s.find("</loc>").unwrap()]).collect();
    assert!(locs.len() >= 11, "pages, the press pack and share pages");
    for loc in &locs {
        assert!(loc.starts_with(BASE), "{loc}");
    }
    for page in ["", "evidence/", "asks/", "news/", "take-action/", "figures/", "figures/north-east-platforms/"] {
        assert!(locs.contains(&format!("{BASE}{page}").as_str()), "sitemap lacks {page}");
    }
    assert!(site.read("robots.txt").contains(&format!("Sitemap: {BASE}sitemap.xml")));
    let not_found = site.read("404.html");
    assert!(not_found.contains("Page not found") && not_found.contains("href=/wild-west/style."), "styled like the site");
}

#[test]
fn a_bad_base_url_override_is_refused() {
    let site = TestSite::fixture("kinds");
    let run = site.build(&["--base-url", "not a url"]);
    assert!(!run.ok && run.stderr.contains("`base_url` must be a full web address"), "{}", run.stderr);
}

#[test]
fn the_site_works_in_a_browser_under_its_subpath() {
    if !Path::new("/usr/bin/chromium").exists() {
        panic!("Chromium is missing: run `.ci/run`, or install it as `.ci/run` does");
    }
    let site = build_under_subpath();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/check.mjs");
    let output = Command::new("node").arg(script).arg(site.out()).args(["--base", "/wild-west/"]).output().unwrap();
    assert!(output.status.success(), "{}\n{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
}

/// Every address a page loads on its own (not links a reader follows).
fn loaded_resources(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (tag, attrs, raw) in tags_with_values(html) {
        let rel = attrs.iter().find(|(k, _)| k == "rel").map(|(_, v)| v.as_str()).unwrap_or_default();
        // A page's canonical address and its translations' (`hreflang`) are named, not loaded.
        let names_a_page = rel == "canonical" || (rel == "alternate" && attrs.iter().any(|(k, _)| k == "hreflang"));
        for (name, value) in &attrs {
            let loads = name == "src" || name == "srcset" || name == "poster" || (tag == "link" && name == "href" && !names_a_page);
            if loads {
                found.push(value.clone());
            }
        }
        let _ = raw;
    }
    found
}

/// An opening tag: its name, its attributes with their values unquoted, and its raw text.
type Tag = (String, Vec<(String, String)>, String);

/// Each opening tag of `html`; the text of a `<textarea>` (the embed code) is text, not tags.
fn tags_with_values(html: &str) -> Vec<Tag> {
    let mut html = html.to_string();
    while let (Some(open), Some(close)) = (html.find("<textarea"), html.find("</textarea>")) {
        let body = html[open..].find('>').map_or(open, |i| open + i + 1);
        html.replace_range(body..close, "");
        html = html.replacen("</textarea>", "</ta>", 1);
    }
    let mut out = Vec::new();
    for piece in html.split('<').skip(1) {
        let Some(end) = piece.find('>') else { continue };
        let raw = &piece[..end];
        let chars: Vec<char> = raw.chars().collect();
        let mut i = chars.iter().position(|c| c.is_whitespace()).unwrap_or(chars.len());
        let tag: String = chars[..i].iter().collect::<String>().to_ascii_lowercase();
        let mut attrs = Vec::new();
        while i < chars.len() {
            while i < chars.len() && (chars[i].is_whitespace() || chars[i] == '/') {
                i += 1;
            }
            let start = i;
            while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '=' {
                i += 1;
            }
            let name: String = chars[start..i].iter().collect::<String>().to_ascii_lowercase();
            let mut value = String::new();
            if i < chars.len() && chars[i] == '=' {
                i += 1;
                if let Some(q) = chars.get(i).copied().filter(|c| *c == '"' || *c == '\'') {
                    i += 1;
                    while i < chars.len() && chars[i] != q {
                        value.push(chars[i]);
                        i += 1;
                    }
                    i += 1;
                } else {
                    while i < chars.len() && !chars[i].is_whitespace() {
                        value.push(chars[i]);
                        i += 1;
                    }
                }
            }
            if !name.is_empty() {
                attrs.push((name, value));
            }
        }
        out.push((tag, attrs, raw.to_string()));
    }
    out
}

#[test]
fn nothing_is_loaded_from_another_site_and_nothing_is_inline() {
    let site = build_under_subpath();
    let files = site.tree();
    let mut checked = 0;
    for (path, html) in pages(&files) {
        for url in loaded_resources(&html) {
            assert!(url.starts_with("/wild-west/") || url.starts_with("data:"), "{path} loads {url} from elsewhere");
            checked += 1;
        }
        for (tag, attrs, _) in tags_with_values(&html) {
            assert_ne!(tag, "iframe", "{path}: an iframe");
            assert_ne!(tag, "style", "{path}: an inline stylesheet");
            assert!(!attrs.iter().any(|(k, _)| k == "style" || k.starts_with("on")), "{path}: inline style or handler on <{tag}>");
            if tag == "script" {
                assert!(attrs.iter().any(|(k, v)| k == "src" && v.starts_with("/wild-west/")), "{path}: an inline or foreign script");
            }
        }
    }
    assert!(checked > 30);
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".css")) {
        let css = String::from_utf8_lossy(bytes);
        for url in css.split("url(").skip(1).map(|u| u[..u.find(')').unwrap()].trim_matches(['"', '\''])) {
            assert!(!url.contains("//") && !url.starts_with('/'), "{path} loads {url}");
            assert!(files.contains_key(&format!("{}{url}", &path[..path.rfind('/').map_or(0, |i| i + 1)])), "{path}: {url} is missing");
        }
    }
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".js")) {
        let js = String::from_utf8_lossy(bytes);
        assert!(!js.contains("document.cookie") && !js.contains("localStorage") && !js.contains("http"), "{path} stores or fetches something");
    }
}

#[test]
fn headers_give_every_page_a_policy_and_cache_hashed_assets() {
    let site = build_under_subpath();
    let files = site.tree();
    let headers = site.read("_headers");
    for path in files.keys().filter(|p| p.ends_with(".html")) {
        let url = format!("/wild-west/{}", path.strip_suffix("index.html").unwrap_or(path));
        let rule = headers.split(&format!("\n{url}\n")).nth(1).unwrap_or_else(|| panic!("no rule for {url}"));
        let policy = rule.lines().next().unwrap();
        assert!(policy.starts_with("  Content-Security-Policy: default-src 'none'; script-src 'self';"), "{url}: {policy}");
        let frames = if path.ends_with("/embed/index.html") { "frame-ancestors *" } else { "frame-ancestors 'none'" };
        assert!(policy.ends_with(frames), "{url}: {policy}");
    }
    for name in ["X-Content-Type-Options: nosniff", "Referrer-Policy: no-referrer", "Permissions-Policy: "] {
        assert!(headers.contains(name), "{name}");
    }
    let hashed: Vec<&String> = files.keys().filter(|p| p.starts_with("style.") || p.starts_with("site.") || p.ends_with(".woff2")).collect();
    assert_eq!(hashed.len(), 4);
    for path in hashed {
        assert!(headers.contains(&format!("/wild-west/{path}\n  Cache-Control: public, max-age=31536000, immutable")), "{path}");
    }
}

#[test]
fn hashed_names_change_with_their_content_and_only_then() {
    let names = |site: &TestSite| -> Vec<String> {
        site.tree().into_keys().filter(|p| p.starts_with("style.") || p.starts_with("site.") || p.ends_with(".woff2")).collect()
    };
    let a = TestSite::fixture("kinds");
    a.build_ok();
    let b = TestSite::fixture("kinds");
    b.build_ok();
    assert_eq!(names(&a), names(&b));
    let js = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/static/site.js")).unwrap();
    b.write("static/site.js", &format!("{js}\n// changed\n"));
    b.build_ok();
    let (before, after) = (names(&a), names(&b));
    let changed: Vec<_> = after.iter().filter(|n| !before.contains(n)).collect();
    assert_eq!(changed.len(), 1, "only the script's name changes: {changed:?}");
    assert!(changed[0].starts_with("site.") && changed[0].ends_with(".js"));
    assert!(b.read("index.html").contains(changed[0].as_str()), "and every reference follows it");
}

#[test]
fn quick_exit_and_privacy_note_on_every_page() {
    let site = TestSite::fixture("default");
    site.build_ok();
    let files = site.tree();
    for (path, html) in pages(&files).into_iter().filter(|(p, _)| !p.ends_with("/embed/index.html")) {
        let exit = tags_with_values(&html).into_iter().find(|(t, a, _)| t == "a" && a.iter().any(|(k, _)| k == "data-quick-exit"));
        let (_, attrs, _) = exit.unwrap_or_else(|| panic!("{path}: no quick exit"));
        assert!(attrs.iter().any(|(k, v)| k == "href" && v == "https://www.bbc.co.uk/weather"), "{path}: {attrs:?}");
        assert!(attrs.iter().any(|(k, v)| k == "rel" && v == "noreferrer"), "{path}");
        // The note in the page's own language.
        let note = if path.starts_with("cy/") { "href=/cy/privacy/>Preifatrwydd</a>" } else { "href=/privacy/>Privacy</a>" };
        assert!(html.contains(note), "{path}: a link to the privacy note");
    }
    let privacy = site.read("privacy/index.html");
    assert!(privacy.contains("It sets no cookies.") && privacy.contains("NSPCC"));
    let css = files.iter().find(|(p, _)| p.starts_with("style.")).map(|(_, b)| String::from_utf8_lossy(b).into_owned()).unwrap();
    assert!(css.contains(".quick-exit{") || css.contains(".quick-exit {"), "styled");
    assert!(css.contains("min-height:44px") || css.contains("min-height: 44px"), "a large target");
    let js = files.iter().find(|(p, _)| p.starts_with("site.") && p.ends_with(".js")).map(|(_, b)| String::from_utf8_lossy(b).into_owned()).unwrap();
    assert!(js.contains("location.replace") && js.contains("'Shift'"), "history replaced; the shortcut");

    let site = TestSite::fixture("kinds");
    site.build_ok();
    assert!(!site.read("index.html").contains("data-quick-exit"), "off unless site.yaml asks for it");
}

#[test]
fn icons_and_manifest_follow_the_favicon_and_base_url() {
    let site = build_under_subpath();
    let files = site.tree();
    for (path, size) in [("favicon.png", 32u32), ("apple-touch-icon.png", 180), ("icon-192.png", 192), ("icon-512.png", 512)] {
        let png = &files[path];
        assert_eq!(&png[1..4], b"PNG");
        assert_eq!((u32::from_be_bytes(png[16..20].try_into().unwrap()), u32::from_be_bytes(png[20..24].try_into().unwrap())), (size, size), "{path}");
    }
    let manifest = site.read("manifest.webmanifest");
    assert!(manifest.contains("\"start_url\":\"/wild-west/\"") && manifest.contains("\"src\":\"/wild-west/icon-512.png\""), "{manifest}");
    let home = site.read("index.html");
    for link in ["rel=icon", "href=/wild-west/favicon.svg", "href=/wild-west/favicon.png", "rel=apple-touch-icon", "rel=manifest"] {
        assert!(home.contains(link), "{link}");
    }
}

#[test]
fn news_has_an_atom_feed_linked_from_every_page() {
    let site = TestSite::fixture("kinds");
    let run = site.build(&["--base-url", BASE]);
    assert!(run.ok, "{}", run.stderr);
    let feed = site.read("news/atom.xml");
    assert!(feed.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\""));
    assert!(feed.contains(&format!("<link href=\"{BASE}news/atom.xml\" rel=\"self\"")));
    assert!(feed.contains("<updated>2018-04-12T00:00:00Z</updated>"), "the newest entry's date");
    let newer = feed.find(&format!("<id>{BASE}news/newer/</id>")).expect("the newer story");
    let older = feed.find(&format!("<id>{BASE}news/older/</id>")).expect("the older story");
    assert!(newer < older, "newest first");
    assert!(!feed.contains("Not yet"), "no drafts");
    assert_eq!(feed.matches("<entry>").count(), 2);
    for (path, html) in pages(&site.tree()).into_iter().filter(|(p, _)| !p.ends_with("/embed/index.html")) {
        assert!(html.contains("href=/wild-west/news/atom.xml rel=alternate type=application/atom+xml"), "{path}: no feed link");
    }
}
