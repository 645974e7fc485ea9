//! The built site in a real browser and in the Nu HTML Checker.
//!
//! These tests need Debian's Chromium, Java and the npm packages in `tests/browser/`;
//! `.ci/run` installs them. Run them alone with `cargo test --release --test site -- browser::`.
//! Screenshots at 320, 390 and 1280 px, light and dark, land in `target/browser-screenshots/`
//! for review, with the share page and a host page of embeds at 320, 390 and 1280 px, and the
//! share images in `share-images/`.

use crate::common::TestSite;
use std::path::{Path, PathBuf};
use std::process::Command;

fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

fn require(what: &str, ok: bool) {
    assert!(ok, "{what} is missing: run `.ci/run`, or install it as `.ci/run` does");
}

/// Runs a tool and fails the test with its output when it reports problems.
fn run(mut command: Command, what: &str) {
    let output = command.output().unwrap_or_else(|e| panic!("could not start {what}: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{what} found problems:\n{stdout}\n{stderr}");
    println!("{stdout}");
}

#[test]
fn every_page_works_in_chromium() {
    require("Chromium (/usr/bin/chromium)", Path::new("/usr/bin/chromium").exists());
    require("the npm packages of tests/browser", browser_dir().join("node_modules/playwright-core").exists());
    let site = TestSite::fixture("default");
    site.build_ok();
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/browser-screenshots");
    let mut node = Command::new("node");
    node.arg(browser_dir().join("check.mjs"))
        .arg(site.out())
        .arg("--screenshots")
        .arg(&shots)
        .arg("--headers")
        .arg(site.out().join("_headers"))
        .arg("--photos");
    run(node, "the browser check");
    keep_share_images(&site, &shots.join("share-images"));
}

/// Copies the site's share images beside the screenshots, for people to review with them.
fn keep_share_images(site: &TestSite, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    let mut kept = 0;
    for entry in std::fs::read_dir(site.out().join("figures")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "png") {
            std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
            kept += 1;
        }
    }
    assert!(kept > 0, "the site has share images");
}

/// Embeds pasted into another site's page at 320, 640 and 1280 px show their whole chart,
/// source and link back, with the embed script and (at 320 px) without it; Quick exit covers
/// no text however far a phone reader scrolls; tables too wide for a phone say they scroll.
#[test]
fn embeds_quick_exit_and_tables_hold_up_on_every_screen() {
    require("Chromium (/usr/bin/chromium)", Path::new("/usr/bin/chromium").exists());
    require("the npm packages of tests/browser", browser_dir().join("node_modules/playwright-core").exists());
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/browser-screenshots");
    for fixture in ["default", "kinds"] {
        let site = TestSite::fixture(fixture);
        site.build_ok();
        let mut node = Command::new("node");
        node.arg(browser_dir().join("finish.mjs")).arg(site.out());
        if fixture == "default" {
            node.arg("--screenshots").arg(&shots);
        }
        run(node, &format!("the embed, Quick exit and table check of the {fixture} site"));
    }
}

/// The fixture with every chart kind, and the story fixture's charts with notes, bands,
/// shaded periods and highlights, through the same checks: above all, each chart's text reads
/// at 14 px or more and no larger than its title at 320, 390 and 1280 px, and no two overlap.
#[test]
fn every_chart_kind_reads_at_every_width_in_chromium() {
    require("Chromium (/usr/bin/chromium)", Path::new("/usr/bin/chromium").exists());
    require("the npm packages of tests/browser", browser_dir().join("node_modules/playwright-core").exists());
    for fixture in ["kinds", "story"] {
        let site = TestSite::fixture(fixture);
        site.build_ok();
        let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/browser-screenshots").join(fixture);
        let mut node = Command::new("node");
        node.arg(browser_dir().join("check.mjs")).arg(site.out()).arg("--screenshots").arg(&shots);
        run(node, &format!("the browser check of the {fixture} fixture's charts"));
        keep_share_images(&site, &shots.join("share-images"));
    }
}

/// The site in English and Welsh through the same checks: axe, the keyboard, text sizes and
/// layout on the Welsh pages (and the language switcher) as on the English ones.
#[test]
fn the_welsh_pages_pass_every_check_in_chromium() {
    require("Chromium (/usr/bin/chromium)", Path::new("/usr/bin/chromium").exists());
    require("the npm packages of tests/browser", browser_dir().join("node_modules/playwright-core").exists());
    let site = TestSite::fixture("bilingual");
    let built = site.build_ok();
    assert!(!built.stderr.contains("warning"), "the fixture builds clean:\n{}", built.stderr);
    assert!(site.out().join("cy/index.html").exists() && site.out().join("cy/gweithredu/index.html").exists(), "the Welsh pages are built");
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/browser-screenshots/bilingual");
    let mut node = Command::new("node");
    node.arg(browser_dir().join("check.mjs")).arg(site.out()).arg("--screenshots").arg(&shots);
    run(node, "the browser check of the bilingual site");
}

/// Forms and videos as a reader meets them: the sign-up form posted in Chromium to a receiver
/// on 127.0.0.1 (its fields arrive, the honeypot empty, and the reader lands on the thank-you
/// page under the site's own policy), the error summary, and a video that loads nothing from
/// its host before the click; then every page of the fixture through axe, the keyboard and
/// its Content-Security-Policy.
#[test]
fn forms_post_to_their_endpoint_and_videos_wait_for_a_click_in_chromium() {
    require("Chromium (/usr/bin/chromium)", Path::new("/usr/bin/chromium").exists());
    require("the npm packages of tests/browser", browser_dir().join("node_modules/playwright-core").exists());
    let site = TestSite::fixture("forms");
    // A free port for the receiver, named in site.yaml before the build.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let yaml = std::fs::read_to_string(site.root().join("content/site.yaml")).unwrap();
    site.write("content/site.yaml", &yaml.replace("https://forms.example.org/fixture/sign-up", &format!("http://127.0.0.1:{port}/receive")));
    site.build_ok();
    let mut node = Command::new("node");
    node.arg(browser_dir().join("forms.mjs")).arg(site.out()).arg("--receiver").arg(port.to_string());
    run(node, "the form and video check");
    let mut node = Command::new("node");
    node.arg(browser_dir().join("check.mjs")).arg(site.out()).arg("--headers").arg(site.out().join("_headers"));
    run(node, "the browser check of the forms fixture");
}

/// Events (one past, one to come, in both languages) and their listings, through the same
/// checks.
#[test]
fn the_event_pages_pass_every_check_in_chromium() {
    require("Chromium (/usr/bin/chromium)", Path::new("/usr/bin/chromium").exists());
    require("the npm packages of tests/browser", browser_dir().join("node_modules/playwright-core").exists());
    let site = TestSite::fixture("events");
    let built = site.build(&["--at", "2027-03-20T00:00:00Z"]);
    assert!(built.ok && !built.stderr.contains("warning"), "the fixture builds clean:\n{}", built.stderr);
    assert!(site.out().join("events/town-hall-meeting/index.html").exists() && site.out().join("cy/events/index.html").exists());
    let mut node = Command::new("node");
    node.arg(browser_dir().join("check.mjs")).arg(site.out());
    run(node, "the browser check of the events site");
}

#[test]
fn every_page_is_valid_html() {
    let jar = browser_dir().join("node_modules/vnu-jar/build/dist/vnu.jar");
    require("the Nu HTML Checker (npm vnu-jar)", jar.exists());
    let mut pages = Vec::new();
    let sites: Vec<TestSite> = ["default", "kinds", "story", "hostile", "bilingual", "forms", "events"].into_iter().map(TestSite::fixture).collect();
    for site in &sites {
        site.build_ok();
        pages.extend(site.tree().into_keys().filter(|p| p.ends_with(".html")).map(|p| site.out().join(p)));
    }
    assert!(pages.len() >= 10);
    let mut java = Command::new("java");
    java.arg("-jar").arg(&jar).arg("--errors-only").args(&pages);
    run(java, "the Nu HTML Checker");
}
