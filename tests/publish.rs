//! Publishing: a site built for a subpath works under it, and the standard files are there.

mod common;

use common::{pages, TestSite};
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
