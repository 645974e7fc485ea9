//! Launch timing and events, on `tests/fixtures/events`: a bilingual site with an embargoed
//! report and figure (`publish_at` 2027-04-01T09:00:00+01:00, the Welsh page following its
//! English one), a petition page that came down on 2027-02-01, and two events (a meeting on
//! 2027-03-10 in a town hall, an online briefing on 2027-06-10).
//!
//! The leak test searches every byte of every file of the output and the spare beside it for
//! the held items' titles, ids and slugs. The calendar files are read back by Python's
//! `icalendar`, which `.ci/run` installs into `target/ci-tools/`.

use crate::common::{tree, TestSite};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const BEFORE: &str = "2027-04-01T07:59:59Z";
/// The minute it goes live, written at another offset.
const LAUNCH: &str = "2027-04-01T08:00:00Z";

/// What names the embargoed report and figure, and the petition that came down, in any file.
const HELD: [&str; 9] = [
    "Quillfeather",
    "quillfeather-report",
    "embargoed-report",
    "hidden-ledger",
    "Hidden ledger",
    "cyfriflyfr cudd",
    "Marrowbone",
    "old-petition",
    "Llofnodwch ddeiseb",
];

fn build_at(site: &TestSite, at: &str) {
    let run = site.build(&["--at", at]);
    assert!(run.ok, "the build at {at} failed:\n{}", run.stderr);
}

/// Each file of `files` that holds one of `needles`, with the needle, searched as bytes.
fn traces<'a>(files: &BTreeMap<String, Vec<u8>>, needles: &[&'a str]) -> Vec<(String, &'a str)> {
    let mut found = Vec::new();
    for (path, bytes) in files {
        for needle in needles {
            let needle_lower = needle.to_lowercase();
            let in_path = path.to_lowercase().contains(&needle_lower);
            let in_bytes = bytes.windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle.as_bytes()));
            if in_path || in_bytes {
                found.push((path.clone(), *needle));
            }
        }
    }
    found
}

fn spare(site: &TestSite) -> PathBuf {
    site.root().join(".public.soapbox-spare")
}

#[test]
fn an_embargoed_page_and_figure_leave_no_trace_until_the_minute_they_go_live() {
    let site = TestSite::fixture("events");
    build_at(&site, BEFORE);
    let files = site.tree();
    assert!(files.contains_key("index.html") && files.contains_key("events/index.html"), "the live site is built");
    assert_eq!(traces(&files, &HELD), [], "a build before the embargo");
    assert!(!files.keys().any(|p| p.contains("soapbox-cache")), "the build cache is never in the output");

    // The minute it goes live, it is everywhere a page and a figure go.
    build_at(&site, LAUNCH);
    let files = site.tree();
    for path in [
        "quillfeather-report/index.html",
        "cy/quillfeather-report/index.html",
        "figures/hidden-ledger/index.html",
        "figures/hidden-ledger/embed/index.html",
        "figures/hidden-ledger.svg",
        "figures/hidden-ledger.csv",
        "figures/hidden-ledger-1200x630.png",
        "cy/figures/hidden-ledger/index.html",
    ] {
        assert!(files.contains_key(path), "{path} is built once live");
    }
    for listing in ["sitemap.xml", "figures/index.html", "_headers", ".soapbox-manifest"] {
        assert!(String::from_utf8_lossy(&files[listing]).contains("hidden-ledger"), "{listing} names the figure once live");
    }
    assert!(String::from_utf8_lossy(&files["sitemap.xml"]).contains("quillfeather-report"));
    assert!(site.read("quillfeather-report/index.html").contains("hreflang=cy"), "with its Welsh alternate");
    assert_eq!(traces(&files, &["Marrowbone", "old-petition"]), [], "the petition stays down");

    // Built before the embargo again (a preview of the launch, then a build of today): the
    // output, and the spare that held the launch build, keep nothing of it.
    build_at(&site, BEFORE);
    assert_eq!(traces(&site.tree(), &HELD), [], "the output after a launch build");
    if spare(&site).exists() {
        assert_eq!(traces(&tree(&spare(&site)), &HELD), [], "the spare beside the output");
    }
    // And a build after that, which writes into a spare of its own, is as clean.
    build_at(&site, BEFORE);
    assert_eq!(traces(&site.tree(), &HELD), []);
    assert!(spare(&site).exists(), "an unchanged rebuild keeps its spare");
    assert_eq!(traces(&tree(&spare(&site)), &HELD), [], "the spare beside the output");

    // Before it came down, the petition was there, in both languages.
    build_at(&site, "2027-01-31T23:59:59Z");
    assert!(site.tree().contains_key("old-petition/index.html") && site.tree().contains_key("cy/old-petition/index.html"));
}

#[test]
fn builds_at_one_moment_are_identical_and_moments_of_one_live_set_too() {
    let site = TestSite::fixture("events");
    build_at(&site, "2027-03-05T12:00:00Z");
    let first = site.tree();
    build_at(&site, "2027-03-05T12:00:00Z");
    assert!(first == site.tree(), "two builds at one moment differ");
    // After the launch, the petition's end and the meeting, nothing changes until the
    // briefing ends: the moment itself is written nowhere.
    build_at(&site, "2027-04-02T00:00:00Z");
    let after = site.tree();
    build_at(&site, "2027-06-10T12:59:59+01:00");
    assert!(after == site.tree(), "two moments with the same live site built differently");
    build_at(&site, "2027-06-10T13:00:00+01:00");
    assert!(after != site.tree(), "the briefing ended");
}

#[test]
fn a_live_page_that_links_to_or_shows_what_is_held_back_fails_there_saying_when() {
    let site = TestSite::fixture("events");
    build_at(&site, BEFORE);
    let before = site.tree();
    site.write("content/teaser.md", "---\ntitle: Teaser\n---\nRead [the report](/quillfeather-report/) soon.\n\n```chart hidden-ledger\n```\n");
    site.write("content/teaser.cy.md", "---\ntitle: Ymlid\n---\nDim.\n");
    let run = site.build(&["--at", BEFORE]);
    assert!(!run.ok);
    assert!(
        run.stderr.contains("this live page links to /quillfeather-report/, which goes live at 2027-04-01T09:00:00+01:00")
            && run.stderr.contains("content/teaser.md:4:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("shows the figure `hidden-ledger`, which goes live at 2027-04-01T09:00:00+01:00") && run.stderr.contains("content/teaser.md:6:"),
        "{}",
        run.stderr
    );
    assert!(before == site.tree(), "the output is left as it was");
    // At the launch, the same page builds.
    build_at(&site, LAUNCH);
}

#[test]
fn times_need_an_offset_and_an_order_and_event_keys_are_checked_at_their_line() {
    let site = TestSite::fixture("events");
    let cases = [
        (
            "content/embargoed-report.md",
            "publish_at: 2027-04-01T09:00:00+01:00",
            "publish_at: 2027-04-01T09:00:00",
            "content/embargoed-report.md:5:13",
            "no offset from UTC",
        ),
        (
            "content/figures/hidden-ledger.yaml",
            "publish_at: 2027-04-01T09:00:00+01:00",
            "publish_at: 2027-04-01T09:00:00",
            "hidden-ledger.yaml:8:13",
            "no offset from UTC",
        ),
        (
            "content/figures/hidden-ledger.yaml",
            "publish_at: 2027-04-01T09:00:00+01:00",
            "publish_at: 2027-04-01T09:00:00+01:00\nexpire_at: 2027-04-01T08:00:00Z",
            "hidden-ledger.yaml:9:1",
            "is not after `publish_at`",
        ),
        ("content/events/online-briefing.md", "  start:", "  strat:", "online-briefing.md:5:3", "did you mean `start`?"),
        ("content/events/online-briefing.md", "  online: true", "  onlin: true", "online-briefing.md:7:3", "did you mean `online`?"),
        (
            "content/events/online-briefing.md",
            "  end: 2027-06-10T13:00:00+01:00",
            "  end: 2027-06-10T11:00:00+01:00",
            "online-briefing.md:6:3",
            "ends (2027-06-10T11:00:00+01:00) before it starts",
        ),
        ("content/events/online-briefing.md", "  join: https://example.org/briefing?ref=site\n", "", "online-briefing.md:7:3", "does not say how to join"),
    ];
    for (file, from, to, place, message) in cases {
        let original = std::fs::read_to_string(site.root().join(file)).unwrap();
        assert!(original.contains(from), "{file}: {from}");
        site.write(file, &original.replacen(from, to, 1));
        let run = site.build(&["--at", BEFORE]);
        assert!(!run.ok && run.stderr.contains(place) && run.stderr.contains(message), "{file}, {to:?}: wanted {place} and {message:?}:\n{}", run.stderr);
        site.write(file, &original);
    }
    build_at(&site, BEFORE);
}

#[test]
fn check_at_lists_what_is_held_back_then() {
    let site = TestSite::fixture("events");
    let output = Command::new(env!("CARGO_BIN_EXE_soapbox"))
        .args(["check", "--at", "2027-03-31T00:00:00Z", "--root"])
        .arg(site.root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let held = stderr.split("not live yet at 2027-03-31T00:00:00Z").nth(1).unwrap_or_else(|| panic!("{stderr}"));
    for line in [
        "2027-04-01T09:00:00+01:00 (figure content/figures/hidden-ledger.yaml",
        "2027-04-01T09:00:00+01:00 (page content/embargoed-report.cy.md",
        "2027-04-01T09:00:00+01:00 (page content/embargoed-report.md",
    ] {
        assert!(held.contains(line), "{line}:\n{stderr}");
    }
    assert!(stderr.contains("come down at 2027-03-31T00:00:00Z") && stderr.contains("2027-02-01T00:00:00Z (page content/old-petition.md"), "{stderr}");
    let bad = Command::new(env!("CARGO_BIN_EXE_soapbox")).args(["check", "--at", "2027-03-31T00:00:00", "--root"]).arg(site.root()).output().unwrap();
    assert!(!bad.status.success() && String::from_utf8_lossy(&bad.stderr).contains("no offset from UTC"));
}

#[test]
fn the_preview_shows_held_pages_with_a_notice_in_their_language_and_a_build_never_does() {
    use soapbox::moment::Moment;
    let site = TestSite::fixture("events");
    let at = |text: &str| Moment::parse(text).unwrap();
    let (output, _) = soapbox::serve::Project::new(site.root(), "http://127.0.0.1:4000/", at(BEFORE)).build().unwrap_or_else(|e| panic!("{}", e.report(false)));
    let page = |path: &str| String::from_utf8_lossy(&output.files[path]).into_owned();
    assert!(
        page("quillfeather-report/index.html").contains("Preview only: this page goes live on 1 April 2027, 09:00 (UTC+1)."),
        "{}",
        page("quillfeather-report/index.html")
    );
    assert!(page("cy/quillfeather-report/index.html").contains("Rhagolwg yn unig: bydd y dudalen hon yn mynd yn fyw ar 1 Ebrill 2027, 09:00 (UTC+1)."));
    assert!(page("old-petition/index.html").contains("Preview only: this page came down on 1 February 2027, 00:00 (UTC)."));
    assert!(!page("index.html").contains("schedule-notice"), "a live page has none");
    let (output, _) = soapbox::serve::Project::new(site.root(), "http://127.0.0.1:4000/", at(LAUNCH)).build().unwrap();
    assert!(!String::from_utf8_lossy(&output.files["quillfeather-report/index.html"]).contains("schedule-notice"));
    build_at(&site, LAUNCH);
    for (path, bytes) in site.tree().into_iter().filter(|(p, _)| p.ends_with(".html")) {
        assert!(!String::from_utf8_lossy(&bytes).contains("schedule-notice"), "{path}");
    }
}

#[test]
fn event_pages_say_when_where_and_how_to_join_and_the_listing_splits_upcoming_and_past() {
    let site = TestSite::fixture("events");
    build_at(&site, "2027-03-20T00:00:00Z");
    let meeting = site.read("events/town-hall-meeting/index.html");
    assert!(meeting.contains("<time datetime=2027-03-10T18:00:00Z>10 March 2027, 18:00–19:30 (UTC)</time>"), "{meeting}");
    assert!(meeting.contains("Fixture Town Hall, 1 High Street, Testville") && meeting.contains("This event has ended."));
    let briefing = site.read("cy/events/online-briefing/index.html");
    assert!(briefing.contains("10 Mehefin 2027, 12:00–13:00 (UTC+1)") && briefing.contains("Ar-lein"), "{briefing}");
    assert!(
        briefing.contains("href=\"https://example.org/briefing?ref=site\"") || briefing.contains("href=https://example.org/briefing?ref=site"),
        "{briefing}"
    );
    assert!(briefing.contains("/cy/events/online-briefing/online-briefing.ics") && briefing.contains("Ychwanegu at eich calendr"));
    let listing = site.read("events/index.html");
    let (upcoming, past) = listing.split_once("Past events").unwrap_or_else(|| panic!("{listing}"));
    assert!(upcoming.contains("Upcoming events") && upcoming.contains("Online briefing") && !upcoming.contains("Public meeting"), "{listing}");
    assert!(past.contains("Public meeting"));
    assert!(site.read("cy/events/index.html").contains("Digwyddiadau a fu"));
    let headers = site.read("_headers");
    for path in ["/calendar.ics", "/cy/calendar.ics", "/events/town-hall-meeting/town-hall-meeting.ics", "/cy/events/online-briefing/online-briefing.ics"] {
        assert!(headers.contains(&format!("{path}\n  Content-Type: text/calendar; charset=utf-8\n")), "{path}:\n{headers}");
    }
}

/// Python's `icalendar`, from `.ci/run`'s tools.
fn python() -> PathBuf {
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/ci-tools/bin/python");
    assert!(python.is_file(), "target/ci-tools is missing: run `.ci/run`, or install it as `.ci/run` does");
    python
}

/// Each event of the calendar file at `path`, as `icalendar` reads it: start and end (ISO,
/// with their offset), the time zone's name, summary, location, URL and UID.
fn read_back(path: &Path) -> Vec<BTreeMap<String, String>> {
    let script = r#"
import json, sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
out = []
for ev in cal.walk('VEVENT'):
    start, end = ev.decoded('dtstart'), ev.decoded('dtend')
    out.append({'start': start.isoformat(), 'end': end.isoformat(), 'zone': start.tzname(),
                'summary': str(ev['summary']), 'location': str(ev['location']), 'url': str(ev['url']),
                'uid': str(ev['uid']), 'description': str(ev.get('description', ''))})
print(json.dumps(out))
"#;
    let output = Command::new(python()).arg("-c").arg(script).arg(path).output().unwrap();
    assert!(output.status.success(), "icalendar could not read {}: {}", path.display(), String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn every_calendar_file_is_valid_icalendar_with_the_exact_instants() {
    let site = TestSite::fixture("events");
    build_at(&site, "2027-03-01T00:00:00Z");
    for (path, bytes) in site.tree().into_iter().filter(|(p, _)| p.ends_with(".ics")) {
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.ends_with("END:VCALENDAR\r\n") && !text.replace("\r\n", "").contains('\n'), "{path}: CRLF line endings");
        assert!(text.split("\r\n").all(|line| line.len() <= 75), "{path}: lines folded at 75 octets");
    }
    let meeting = read_back(&site.out().join("events/town-hall-meeting/town-hall-meeting.ics"));
    assert_eq!(meeting.len(), 1);
    let m = &meeting[0];
    assert_eq!((m["start"].as_str(), m["end"].as_str(), m["zone"].as_str()), ("2027-03-10T18:00:00+00:00", "2027-03-10T19:30:00+00:00", "UTC"));
    assert_eq!(m["summary"], "Public meeting, Fixture Town Hall");
    assert_eq!(m["location"], "Fixture Town Hall, 1 High Street, Testville");
    assert_eq!(m["url"], "https://events.example.org/events/town-hall-meeting/");
    assert!(m["description"].contains("tea, coffee; all welcome.") && m["description"].contains("https://example.org/meeting"), "{}", m["description"]);

    // Noon in British summer time is 11:00 UTC.
    let briefing = read_back(&site.out().join("cy/events/online-briefing/online-briefing.ics"));
    let b = &briefing[0];
    assert_eq!((b["start"].as_str(), b["end"].as_str(), b["zone"].as_str()), ("2027-06-10T11:00:00+00:00", "2027-06-10T12:00:00+00:00", "UTC"));
    assert_eq!((b["summary"].as_str(), b["location"].as_str()), ("Sesiwn friffio ar-lein i gefnogwyr", "Ar-lein"));
    assert_eq!(b["url"], "https://events.example.org/cy/events/online-briefing/");

    // The feed: every upcoming event, soonest first, each with the UID of its own file.
    let feed = read_back(&site.out().join("calendar.ics"));
    let summaries: Vec<&str> = feed.iter().map(|e| e["summary"].as_str()).collect();
    assert_eq!(summaries, ["Public meeting, Fixture Town Hall", "Online briefing for supporters"]);
    assert_eq!(feed[0]["uid"], m["uid"]);
    assert_eq!(read_back(&site.out().join("cy/calendar.ics")).len(), 2);
    // Once the meeting is over, the feed holds only the briefing.
    build_at(&site, "2027-03-10T19:30:00Z");
    let feed = read_back(&site.out().join("calendar.ics"));
    assert_eq!(feed.iter().map(|e| e["summary"].as_str()).collect::<Vec<_>>(), ["Online briefing for supporters"]);
    assert_eq!(feed[0]["uid"], read_back(&site.out().join("events/online-briefing/online-briefing.ics"))[0]["uid"], "the UID is stable");
}
