//! Preview equals build (issue 18): whatever sequence of edits reaches a running
//! `soapbox serve`, once the files are good again every file it serves is the file a fresh
//! `soapbox build --base-url` of the same sources writes.
//!
//! What is compared, and why:
//! - Every file of the build is fetched from the preview: HTML pages, feeds, the sitemap,
//!   `robots.txt`, CSS and scripts under their hashed names, chart SVGs, CSV and every share
//!   image. Files only a build writes are left out: `_headers` (the host's headers, which the
//!   preview sends itself) and the output manifest.
//! - A served HTML page is the built page plus the live-reload script that serve adds before
//!   `</body>` (see `live` in src/serve/http.rs). The script must be there exactly once, and the
//!   error overlay not at all; both are taken out before comparing.
//! - Every file is compared as it is, byte for byte: the preview renders, minifies and places
//!   charts through the build's own stages.
//! - The build is made in a fresh copy of the sources, without the preview's disk cache, so
//!   that nothing the preview cached can stand in for what a build makes.
//! - A page the run created and then removed must be gone from the preview too (404).
//!
//! Each case runs a real server and a real build, so there are few of them: 8 by default
//! (set PROPTEST_CASES to change it). Every wait is bounded and event-driven (the preview's
//! own reload events, or a poll for the overlay); nothing asserts on time.

use crate::common::{self, TestSite};
use proptest::prelude::*;
use proptest::test_runner::Config;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

/// How long a rebuild may take to be announced before the run is declared stuck.
const PATIENCE: Duration = Duration::from_secs(20);

struct Reply {
    status: u16,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

fn get(port: u16, path: &str) -> Reply {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_read_timeout(Some(PATIENCE)).expect("a timeout");
    write!(stream, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n").expect("send");
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    let split = bytes.windows(4).position(|w| w == b"\r\n\r\n").map_or(bytes.len(), |i| i + 4);
    let headers = String::from_utf8_lossy(&bytes[..split]).to_ascii_lowercase();
    let status = headers.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = bytes[split..].to_vec();
    let body = if headers.contains("transfer-encoding: chunked") { dechunk(&body) } else { body };
    Reply { status, body }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&data[..end]).ok().and_then(|s| usize::from_str_radix(s.trim(), 16).ok()).unwrap_or(0);
        if size == 0 || data.len() < end + 2 + size {
            break;
        }
        out.extend_from_slice(&data[end + 2..end + 2 + size]);
        data = &data[(end + 4 + size).min(data.len())..];
    }
    out
}

/// Polls `path` until `test` holds, for at most [`PATIENCE`].
fn wait_for(port: u16, path: &str, test: impl Fn(&Reply) -> bool) -> Reply {
    let deadline = Instant::now() + PATIENCE;
    loop {
        let reply = get(port, path);
        if test(&reply) || Instant::now() > deadline {
            return reply;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The preview's reload channel, as a tab sees it: one version number per rebuild.
struct Events {
    reader: BufReader<TcpStream>,
    line: String,
    seen: u64,
}

impl Events {
    fn open(port: u16) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        write!(stream, "GET /__soapbox/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n").expect("send");
        stream.set_read_timeout(Some(Duration::from_millis(250))).expect("a timeout");
        let mut events = Events { reader: BufReader::new(stream), line: String::new(), seen: 0 };
        events.seen = events.next_version(PATIENCE).expect("the current version, on connecting");
        events
    }

    /// The next version announced within `patience`, if any.
    fn next_version(&mut self, patience: Duration) -> Option<u64> {
        let deadline = Instant::now() + patience;
        while Instant::now() < deadline {
            // A read cut short by the timeout keeps what it read in `line`, for the next one.
            match self.reader.read_line(&mut self.line) {
                Ok(0) => return None,
                Ok(_) if self.line.ends_with('\n') => {
                    let version = self.line.strip_prefix("data: ").and_then(|v| v.trim().parse().ok());
                    self.line.clear();
                    if let Some(version) = version {
                        return Some(version);
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// Waits until a version other than the last one seen is announced: a rebuild happened.
    fn rebuilt(&mut self, patience: Duration) -> bool {
        let deadline = Instant::now() + patience;
        while let Some(version) = self.next_version(deadline.saturating_duration_since(Instant::now())) {
            if version != self.seen {
                self.seen = version;
                return true;
            }
        }
        false
    }
}

const LIVE_SCRIPT: &str = "<script src=\"/__soapbox/live.js\"></script>";

/// A served HTML page without what serve adds, or why it cannot be.
fn as_built(served: &[u8]) -> Result<Vec<u8>, String> {
    let html = String::from_utf8_lossy(served);
    if html.contains("id=\"soapbox-error\"") {
        return Err("the error overlay is still shown".into());
    }
    if html.matches(LIVE_SCRIPT).count() != 1 {
        return Err(format!("the reload script is there {} times, not once", html.matches(LIVE_SCRIPT).count()));
    }
    Ok(html.replacen(LIVE_SCRIPT, "", 1).into_bytes())
}

/// Where two files first differ, with some bytes of each around it.
fn difference(path: &str, built: &[u8], served: &[u8]) -> String {
    let at = built.iter().zip(served).position(|(a, b)| a != b).unwrap_or(built.len().min(served.len()));
    let around = |bytes: &[u8]| String::from_utf8_lossy(&bytes[at.saturating_sub(80)..(at + 80).min(bytes.len())]).into_owned();
    format!(
        "{path}: {} bytes built, {} served, first difference at byte {at}:\n  built:  {:?}\n  served: {:?}",
        built.len(),
        served.len(),
        around(built),
        around(served)
    )
}

/// A fresh build of the site's sources, in a copy without the preview's cache, for the
/// preview's address.
fn fresh_build(site: &TestSite, port: u16) -> BTreeMap<String, Vec<u8>> {
    let fresh = tempfile::tempdir().expect("temp dir");
    for part in ["content", "templates", "static"] {
        if site.root().join(part).is_dir() {
            common::copy_tree(&site.root().join(part), &fresh.path().join(part));
        }
    }
    let output = Command::new(env!("CARGO_BIN_EXE_soapbox"))
        .args(["build", "--base-url", &format!("http://127.0.0.1:{port}/"), "--root"])
        .arg(fresh.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("run soapbox build");
    let stderr = common::guard::assert_no_panic(&output);
    assert!(output.status.success(), "the final sources do not build:\n{stderr}");
    let mut files = common::tree(&fresh.path().join("public"));
    files.remove("_headers");
    files.remove(soapbox::write::MANIFEST);
    files
}

/// Every difference between the build and what the preview serves; `gone` are paths the run
/// made at some point, which the preview must not serve once the build has none.
fn differences(port: u16, built: &BTreeMap<String, Vec<u8>>, gone: &BTreeSet<String>) -> Vec<String> {
    let mut found = Vec::new();
    for (path, bytes) in built {
        let reply = get(port, &format!("/{path}"));
        if reply.status != 200 {
            found.push(format!("{path}: the build has it, the preview answers {}", reply.status));
            continue;
        }
        let (built, served) = if path.ends_with(".html") { (bytes.clone(), as_built(&reply.body)) } else { (bytes.clone(), Ok(reply.body)) };
        match served {
            Ok(served) if served == built => {}
            Ok(served) => found.push(difference(path, &built, &served)),
            Err(why) => found.push(format!("{path}: {why}")),
        }
    }
    for path in gone.iter().filter(|p| !built.contains_key(*p)) {
        let status = get(port, &format!("/{path}")).status;
        if status != 404 {
            found.push(format!("{path}: gone from the build, but the preview answers {status}"));
        }
    }
    found
}

/// The files the edits touch. Each has a few versions: good ones, numbered so that they
/// differ, sometimes none (the file is deleted), and broken ones.
#[derive(Debug, Clone, Copy)]
enum Slot {
    /// A page every listing shows; its date decides its place.
    Story,
    /// A top-level page that comes and goes, with a chart in it.
    Extra,
    /// A page in a folder of its own, made by the run.
    Nested,
    /// The figure that pages quote and show.
    Figure,
    /// The template of the news stories.
    Template,
    /// A static file.
    Static,
}

const SLOTS: [Slot; 6] = [Slot::Story, Slot::Extra, Slot::Nested, Slot::Figure, Slot::Template, Slot::Static];

/// One file written (or deleted): `version` picks good, missing or broken, `n` tells good
/// versions apart.
#[derive(Debug, Clone, Copy)]
struct Edit {
    slot: Slot,
    version: u8,
    n: u32,
}

const BROKEN_FRONT_MATTER: &str = "---\ntitle: [unclosed\ndate: 2018-01-05\n---\nText.\n";

impl Slot {
    fn file(self) -> &'static str {
        match self {
            Slot::Story => "content/news/older.md",
            Slot::Extra => "content/extra.md",
            Slot::Nested => "content/more/item.md",
            Slot::Figure => "content/figures/column.yaml",
            Slot::Template => "templates/page.html",
            Slot::Static => "static/notes.txt",
        }
    }

    /// What the build serves for this file, when it is there.
    fn output(self) -> Option<&'static str> {
        match self {
            Slot::Extra => Some("extra/index.html"),
            Slot::Nested => Some("more/item/index.html"),
            Slot::Static => Some("notes.txt"),
            _ => None,
        }
    }

    /// The file's text at `version` (`None`: no file), and whether that text is broken.
    fn text(self, version: u8, n: u32) -> (Option<String>, bool) {
        let good = |text: String| (Some(text), false);
        match (self, version % 4) {
            (Slot::Story, 0 | 1) => good(format!(
                "---\ntitle: Older story {n}\ndate: 2018-0{}-05\n---\nParagraph {n}: {{{{ value(id=\"column\", label=\"Offences recorded\") }}}}.\n",
                1 + n % 9
            )),
            (Slot::Story, 2) => (Some(BROKEN_FRONT_MATTER.into()), true),
            (Slot::Story, _) => (Some("---\ntitle: Older story\ndate: 2018-01-05\n---\n```chart no-such-chart\n```\n".into()), true),
            (Slot::Extra, 0 | 3) => good(format!("---\ntitle: Extra {n}\nweight: {}\n---\nExtra text {n}.\n\n```chart bar\n```\n", 3 + n % 4)),
            (Slot::Extra, 1) => (None, false),
            (Slot::Extra, _) => (Some(BROKEN_FRONT_MATTER.into()), true),
            (Slot::Nested, 0 | 1) => good(format!("---\ntitle: Item {n}\n---\nAn item, {n}.\n")),
            (Slot::Nested, 2) => (None, false),
            (Slot::Nested, _) => (Some(BROKEN_FRONT_MATTER.into()), true),
            (Slot::Figure, 3) => (Some(figure("lots")), true),
            (Slot::Figure, _) => good(figure(&(1600 + n).to_string())),
            (Slot::Template, 0 | 1) => good(template().replace("<article", &format!("<article data-edit=\"{n}\""))),
            (Slot::Template, 2) => (None, false),
            (Slot::Template, _) => (Some(format!("{}{{% if %}}", template())), true),
            (Slot::Static, 0 | 1) => good(format!("Notes, version {n}.\n")),
            (Slot::Static, _) => (None, false),
        }
    }
}

fn figure(value: &str) -> String {
    format!("title: Offences and platforms\nsource: Fixture source\nchart: column\nunit: count\ndata:\n  - {{ label: Offences recorded, value: {value} }}\n  - {{ label: Platform recorded, value: 956 }}\n")
}

fn template() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/page.html")).expect("the default page template")
}

fn edit() -> impl Strategy<Value = Edit> {
    (0..SLOTS.len(), 0..4u8, 0..1000u32).prop_map(|(slot, version, n)| Edit { slot: SLOTS[slot], version, n })
}

/// Writes a batch of edits at once, before the watcher settles; whether any file changed.
fn apply(site: &TestSite, batch: &[Edit], broken: &mut BTreeSet<&'static str>, made: &mut BTreeSet<String>) -> bool {
    let mut touched = false;
    for edit in batch {
        let file = edit.slot.file();
        let path = site.root().join(file);
        let (text, is_broken) = edit.slot.text(edit.version, edit.n);
        match text {
            Some(text) => {
                site.write(file, &text);
                made.extend(edit.slot.output().map(str::to_string));
                touched = true;
            }
            None if path.exists() => {
                site.remove(file);
                touched = true;
            }
            None => {}
        }
        if is_broken {
            broken.insert(file);
        } else {
            broken.remove(file);
        }
    }
    touched
}

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(8);
    // A case runs a server and a build: shrink a little, not for hours.
    Config { cases, failure_persistence: None, max_shrink_iters: 24, ..Config::default() }
}

/// One run: the edits in batches, then every broken file made good, then the comparison.
fn preview_equals_build(batches: &[Vec<Edit>]) -> Result<(), TestCaseError> {
    let site = TestSite::fixture("kinds");
    let server = common::server::serve(&site);
    let mut events = Events::open(server.port);
    let mut broken = BTreeSet::new();
    let mut made = BTreeSet::new();
    for batch in batches {
        if !apply(&site, batch, &mut broken, &mut made) {
            continue;
        }
        prop_assert!(events.rebuilt(PATIENCE), "no rebuild was announced after {batch:?}");
        if !broken.is_empty() {
            let shown = wait_for(server.port, "/", |r| r.text().contains("id=\"soapbox-error\""));
            prop_assert!(shown.text().contains("id=\"soapbox-error\""), "{broken:?} are broken, but no error is shown");
        }
    }
    let repairs: Vec<Edit> =
        broken.iter().map(|file| Edit { slot: SLOTS.into_iter().find(|s| s.file() == *file).expect("a slot"), version: 0, n: 7 }).collect();
    if apply(&site, &repairs, &mut broken, &mut made) {
        prop_assert!(events.rebuilt(PATIENCE), "no rebuild was announced after the repairs");
    }
    let built = fresh_build(&site, server.port);
    // The last rebuild announced may not be the last one coming (a batch can reach the
    // watcher in two bursts), so a difference is looked at again after each further rebuild,
    // until none comes.
    loop {
        let found = differences(server.port, &built, &made);
        if found.is_empty() {
            return Ok(());
        }
        if !events.rebuilt(Duration::from_secs(5)) {
            prop_assert!(false, "after {batches:?}, the preview differs from the build:\n{}", found.join("\n"));
        }
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn after_any_edits_the_preview_serves_what_a_build_writes(batches in proptest::collection::vec(proptest::collection::vec(edit(), 1..4), 1..6)) {
        preview_equals_build(&batches)?;
    }
}

/// The run that issue 18 names, by hand: the preview with no edits at all equals the build.
#[test]
fn with_no_edits_the_preview_serves_what_a_build_writes() {
    preview_equals_build(&[]).unwrap();
}

/// Issue 18: "save a broken `a.md` and an edited `b.md` together, fix `a.md`, and the preview
/// still shows the old `b.md`". The rebuild stopped at the broken file and never read the
/// rest of its batch. Seen from the library, so the batch is exactly those two files.
#[test]
fn issue_18_a_broken_file_does_not_drop_the_rest_of_its_batch() {
    use soapbox::serve::Project;
    let site = TestSite::fixture("kinds");
    site.write("content/a.md", "---\ntitle: A\n---\nFirst a.\n");
    site.write("content/b.md", "---\ntitle: B\n---\nFirst b.\n");
    let url = "http://127.0.0.1:4000/";
    let mut project = Project::new(site.root(), url, crate::common::MOMENT);
    project.build().expect("the first build");
    let (a, b) = (PathBuf::from("content/a.md"), PathBuf::from("content/b.md"));
    site.write("content/a.md", BROKEN_FRONT_MATTER);
    site.write("content/b.md", "---\ntitle: B\n---\nSecond b.\n");
    let error = project.rebuild(&[a.clone(), b.clone()]).expect_err("a.md is broken").report(false);
    assert!(error.contains("content/a.md"), "{error}");
    site.write("content/a.md", "---\ntitle: A\n---\nSecond a.\n");
    let preview = project.rebuild(&[a]).map(|(output, _)| output).expect("both files are good again");
    let page = String::from_utf8_lossy(&preview.files["b/index.html"]).into_owned();
    assert!(page.contains("Second b."), "the edit to b.md was dropped: {page}");
    let fresh = Project::new(site.root(), url, crate::common::MOMENT).build().map(|(output, _)| output).expect("a fresh build");
    assert!(preview == fresh, "the preview differs from a fresh build of the same files");
}

/// The same through the real server: while a.md is broken, the last good site is served
/// under the error; once it is fixed, b.md's edit shows too.
#[test]
fn issue_18_the_preview_shows_every_edit_of_a_batch_once_the_broken_one_is_fixed() {
    let site = TestSite::fixture("kinds");
    site.write("content/a.md", "---\ntitle: A\n---\nFirst a.\n");
    site.write("content/b.md", "---\ntitle: B\n---\nFirst b.\n");
    let server = common::server::serve(&site);
    assert!(get(server.port, "/b/").text().contains("First b."));
    site.write("content/a.md", BROKEN_FRONT_MATTER);
    site.write("content/b.md", "---\ntitle: B\n---\nSecond b.\n");
    let broken = wait_for(server.port, "/b/", |r| r.text().contains("id=\"soapbox-error\""));
    let text = broken.text();
    assert!(text.contains("id=\"soapbox-error\"") && text.contains("content/a.md"), "the error is shown: {text}");
    assert!(text.contains("First b.") && !text.contains("Second b."), "the last good site is served under the error: {text}");
    site.write("content/a.md", "---\ntitle: A\n---\nSecond a.\n");
    let fixed = wait_for(server.port, "/b/", |r| !r.text().contains("id=\"soapbox-error\"") && r.text().contains("Second b."));
    assert!(!fixed.text().contains("id=\"soapbox-error\""), "the error is gone once a.md is fixed");
    assert!(fixed.text().contains("Second b."), "the edit to b.md made with the broken a.md shows: {}", fixed.text());
    assert!(get(server.port, "/a/").text().contains("Second a."));
}
