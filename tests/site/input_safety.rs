//! Input that is too big, too strange or in the wrong place: errors that stay small however
//! long the line, links out of the site folder, invisible characters, page addresses that
//! would land on a file soapbox writes, and requests the preview must not answer. Each test
//! is named after its case in issue 17.

use crate::common::guard;
use crate::common::server::serve;
use crate::common::TestSite;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::Duration;

/// `soapbox check` on `site`: (passed, stderr).
fn check(site: &TestSite) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_soapbox")).arg("check").arg("--root").arg(site.root()).env("NO_COLOR", "1").output().expect("run soapbox");
    let stderr = guard::assert_no_panic(&output);
    (output.status.success(), stderr)
}

fn check_fails(site: &TestSite) -> String {
    let (ok, stderr) = check(site);
    assert!(!ok, "the check should have failed:\n{stderr}");
    stderr
}

fn page(title: &str, front: &str, body: &str) -> String {
    format!("---\ntitle: {title}\n{front}---\n{body}\n")
}

#[test]
fn case_8_a_line_of_8000_broken_links_gives_bounded_output_and_every_distinct_problem() {
    let site = TestSite::fixture("kinds");
    let mut line = vec!["[x](/nope/)"; 8000].join(" ");
    line.push_str(" [y](/also-missing/) ![](/favicon.svg)");
    site.write("content/broken.md", &page("Broken", "", &line));
    let stderr = check_fails(&site);
    assert!(stderr.len() < 4000, "{} bytes of errors:\n{}", stderr.len(), &stderr[..stderr.len().min(2000)]);
    assert!(stderr.contains("… and 7,999 more like this on this line"), "{stderr}");
    assert!(stderr.contains("`/nope/`") && stderr.contains("`/also-missing/`") && stderr.contains("no alt text"), "every distinct problem is shown:\n{stderr}");
    // The caret sits under the link it names, even 96 KB into the line.
    let lines: Vec<&str> = stderr.lines().collect();
    let at = lines.iter().position(|l| l.contains("`/also-missing/`")).unwrap();
    let (shown, caret) = (lines[at + 3], lines[at + 4]);
    let column = caret.chars().position(|c| c == '^').unwrap();
    assert!(shown.chars().skip(column).collect::<String>().starts_with("[y](/also-missing/)"), "{shown}\n{caret}");
    assert!(shown.contains('…') && shown.chars().count() < 200, "{shown}");
    assert!(lines[at + 1].contains(&format!("content/broken.md:4:{}", 8000 * 12 + 1)), "{}", lines[at + 1]);
}

#[test]
fn case_10_a_slug_on_a_generated_file_is_refused_at_check_with_its_line() {
    let slugs = [
        "robots.txt",
        "404.html",
        "sitemap.xml",
        "_headers",
        "style.3f9a1c0b.css",
        "feed.xml",
        "favicon.png",
        "icon-512.png",
        "apple-touch-icon.png",
        "manifest.webmanifest",
        "social-card.png",
        "figures",
    ];
    for slug in slugs {
        let site = TestSite::fixture("kinds");
        site.write("content/taken.md", &page("Taken", &format!("slug: {slug}\n"), "Words."));
        let stderr = check_fails(&site);
        assert!(stderr.contains("cannot have the address") && stderr.contains("content/taken.md:3:1"), "{slug}:\n{stderr}");
        assert!(!site.build(&[]).ok, "{slug}: build refuses it too");
    }
    // A section's feed, and a static file's name.
    let site = TestSite::fixture("kinds");
    site.write("content/news/feed.md", &page("Feed", "slug: atom.xml\n", "Words."));
    site.write("content/report.md", &page("Report", "slug: annual-report\n", "Words."));
    site.write("static/annual-report", "a file without an extension");
    let stderr = check_fails(&site);
    assert!(stderr.contains("content/news/feed.md:3:1") && stderr.contains("content/report.md:3:1"), "{stderr}");
    assert!(stderr.contains("static/annual-report"), "{stderr}");
}

#[test]
fn case_10_a_slug_that_is_fine_still_builds() {
    let site = TestSite::fixture("kinds");
    site.write("content/asks.md", &page("Our asks", "slug: our-asks\n", "Words."));
    site.write("content/privacy.md", &page("Privacy", "", "Our own privacy note."));
    site.write("content/news/v2.md", &page("Version 2", "slug: v2.0\n", "Words."));
    assert!(check(&site).0);
    site.build_ok();
    assert!(site.read("our-asks/index.html").contains("Our asks"));
    assert!(site.read("privacy/index.html").contains("Our own privacy note."));
    assert!(site.read("news/v2.0/index.html").contains("Version 2"));
}

#[cfg(unix)]
#[test]
fn case_12_a_site_yaml_linked_out_of_the_site_is_not_read() {
    let site = TestSite::fixture("kinds");
    site.remove("content/site.yaml");
    std::os::unix::fs::symlink("/etc/passwd", site.root().join("content/site.yaml")).unwrap();
    let stderr = check_fails(&site);
    assert!(stderr.contains("`content/site.yaml` is a link that points outside the site folder, to `/etc/passwd`"), "{stderr}");
    assert!(!stderr.contains("root:"), "nothing of the file is shown:\n{stderr}");
}

#[cfg(unix)]
#[test]
fn case_12_a_content_folder_linked_out_of_the_site_is_refused() {
    let site = TestSite::fixture("kinds");
    let elsewhere = tempfile::tempdir().unwrap();
    crate::common::copy_tree(&site.root().join("content"), &elsewhere.path().join("content"));
    std::fs::remove_dir_all(site.root().join("content")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path().join("content"), site.root().join("content")).unwrap();
    let stderr = check_fails(&site);
    assert!(
        stderr.contains("`content` is a link that points outside the site folder, to `") && stderr.contains("on the way to `content/site.yaml`"),
        "{stderr}"
    );
    assert!(!site.build(&[]).ok);
}

#[cfg(unix)]
#[test]
fn case_12_links_that_stay_inside_the_site_keep_working() {
    let site = TestSite::fixture("kinds");
    site.write("shared/asks.md", &page("Shared asks", "", "Linked in."));
    std::os::unix::fs::symlink("../shared/asks.md", site.root().join("content/asks.md")).unwrap();
    std::fs::rename(site.root().join("content/figures"), site.root().join("figure-files")).unwrap();
    std::os::unix::fs::symlink("../figure-files", site.root().join("content/figures")).unwrap();
    site.build_ok();
    assert!(site.read("asks/index.html").contains("Linked in."));
    assert!(site.read("figures/column/index.html").contains("Offences"));
}

#[test]
fn case_16_invisible_characters_are_refused_where_they_are_read() {
    let cases = [
        ("content/index.md", page("Home", "weight: 1\n", "Hello\u{0}world."), "content/index.md:5:6", "U+0000 (NUL)"),
        ("content/news/older.md", page("Older", "", "An \u{1b}[31mescape."), "content/news/older.md:4:4", "U+001B (ESC)"),
        ("content/news/newer.md", page("Newer", "", "A \u{85} next line."), "content/news/newer.md:4:3", "U+0085 (NEL)"),
        (
            "content/figures/bar.yaml",
            "title: Bar\u{7}\nsource: S\nchart: bar\nunit: count\ndata:\n  - { label: A, value: 1 }\n".to_string(),
            "content/figures/bar.yaml:1:11",
            "U+0007 (BEL)",
        ),
        (
            "content/site.yaml",
            "title: T\ndescription: D\u{fffe}\nbase_url: https://t.example.org/\nlanguage: en\norganisation: O\n".to_string(),
            "content/site.yaml:2:15",
            "U+FFFE",
        ),
        ("templates/page.html", "{% extends \"base.html\" %}\u{0}".to_string(), "templates/page.html:1:26", "U+0000 (NUL)"),
    ];
    for (file, text, place, named) in cases {
        let site = TestSite::fixture("kinds");
        site.write(file, &text);
        let stderr = check_fails(&site);
        assert!(stderr.contains(place) && stderr.contains(named) && stderr.contains("invisible"), "{file}:\n{stderr}");
        assert!(stderr.contains("pasted in from another program; delete it"), "{stderr}");
    }
    // Tabs and Windows line ends are ordinary.
    let site = TestSite::fixture("kinds");
    site.write("content/tabs.md", "---\r\ntitle: Tabs\r\n---\r\nA\ttab.\r\n");
    assert!(check(&site).0);
}

#[test]
fn case_19_a_file_over_the_limit_says_sizes_that_differ() {
    let site = TestSite::fixture("kinds");
    let file = std::fs::File::create(site.root().join("content/huge.md")).unwrap();
    file.set_len(64 * 1024 * 1024 + 1).unwrap();
    let stderr = check_fails(&site);
    assert!(stderr.contains("this file is 67,108,865 bytes; the largest file soapbox reads is 67,108,864 bytes"), "{stderr}");
}

/// Sends `request` and returns the whole reply as text.
fn ask(port: u16, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    // A server that stops reading early may refuse the rest of a large request.
    let _ = stream.write_all(request);
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    String::from_utf8_lossy(&bytes).into_owned()
}

fn status(reply: &str) -> u16 {
    reply.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
}

#[test]
fn case_18_the_preview_answers_only_its_own_host_and_caps_request_heads() {
    let site = TestSite::fixture("kinds");
    let server = serve(&site);
    let port = server.port;
    let get = |host: &str| ask(port, format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes());
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}"), "localhost".to_string()] {
        assert_eq!(status(&get(&host)), 200, "{host}");
    }
    for host in [format!("attacker.example:{port}"), format!("localhost.attacker.example:{port}"), format!("localhost:{}", port.wrapping_add(1))] {
        let reply = get(&host);
        assert_eq!(status(&reply), 421, "{host}:\n{reply}");
        assert!(!reply.contains("<html") && reply.contains("answers only at its own address"), "{reply}");
    }
    assert_eq!(status(&ask(port, b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n")), 400, "no Host at all");
    // A head of 200 KB, in one header and in many.
    let long = format!("GET / HTTP/1.1\r\nHost: localhost\r\nX-Long: {}\r\n\r\n", "a".repeat(200 * 1024));
    assert_eq!(status(&ask(port, long.as_bytes())), 431);
    let many = format!("GET / HTTP/1.1\r\nHost: localhost\r\n{}\r\n", "X-A: b\r\n".repeat(25_000));
    assert_eq!(status(&ask(port, many.as_bytes())), 431);
    // A head that never ends is refused once it is too long, without waiting for the end.
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    stream.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Endless: ").unwrap();
    let _ = stream.write_all(&vec![b'a'; 64 * 1024]);
    let mut reply = Vec::new();
    let _ = stream.read_to_end(&mut reply);
    assert_eq!(status(&String::from_utf8_lossy(&reply)), 431);
    assert_eq!(status(&get("localhost")), 200, "still up");
}
