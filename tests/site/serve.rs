//! `soapbox serve`: the real binary on a free port, fetched over loopback while its files
//! change underneath it. Every wait is a bounded poll, not a timing assertion.

use crate::common::guard;
use crate::common::server::serve;
use crate::common::TestSite;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::{Duration, Instant};

struct Reply {
    status: u16,
    headers: String,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends raw bytes and reads the whole reply (the connection is closed after it).
fn raw(port: u16, request: &[u8]) -> Reply {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream.write_all(request).unwrap();
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    let split = bytes.windows(4).position(|w| w == b"\r\n\r\n").map_or(bytes.len(), |i| i + 4);
    let headers = String::from_utf8_lossy(&bytes[..split]).into_owned();
    let status = headers.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let mut body = bytes[split..].to_vec();
    if headers.to_ascii_lowercase().contains("transfer-encoding: chunked") {
        body = dechunk(&body);
    }
    Reply { status, headers, body }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(end) = data.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(std::str::from_utf8(&data[..end]).unwrap().trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&data[end + 2..end + 2 + size]);
        data = &data[end + 2 + size + 2..];
    }
    out
}

fn get(port: u16, path: &str) -> Reply {
    raw(port, format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").as_bytes())
}

/// Polls `path` until `test` holds, for at most 20 seconds.
fn wait_for(port: u16, path: &str, test: impl Fn(&Reply) -> bool) -> Reply {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let reply = get(port, path);
        if test(&reply) || Instant::now() > deadline {
            return reply;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serves_pages_and_follows_edits_to_pages_figures_and_templates() {
    let site = TestSite::fixture("kinds");
    let server = serve(&site);
    let home = get(server.port, "/");
    assert_eq!(home.status, 200);
    assert!(home.headers.to_ascii_lowercase().contains("content-type: text/html; charset=utf-8"));
    assert!(home.text().contains("<script src=\"/__soapbox/live.js\"></script></body>"), "the reload snippet, in serve only");
    assert!(!site.out().exists(), "serve never writes public/");
    // Served as built: minified, so the address may stand unquoted.
    let stylesheet = home.text().split("href=/style.").nth(1).map(|s| format!("/style.{}", &s[..s.find(['"', ' ', '>']).unwrap()])).expect("a stylesheet link");
    let css = get(server.port, &stylesheet);
    assert!(css.status == 200 && css.headers.to_ascii_lowercase().contains("content-type: text/css"));
    let svg = get(server.port, "/figures/bar.svg");
    assert!(svg.headers.to_ascii_lowercase().contains("content-type: image/svg+xml"));

    site.write("content/news/older.md", "---\ntitle: A rewritten story\ndate: 2018-01-05\n---\nNew words.\n");
    assert!(wait_for(server.port, "/news/older/", |r| r.text().contains("A rewritten story")).text().contains("New words."));
    assert!(get(server.port, "/news/").text().contains("A rewritten story"), "the listing follows");

    let figure = std::fs::read_to_string(site.root().join("content/figures/bar.yaml")).unwrap();
    site.write("content/figures/bar.yaml", &figure.replace("32.6", "41.5"));
    assert!(wait_for(server.port, "/", |r| r.text().contains("Share: 41.5%.")).text().contains("Share: 41.5%."), "a quoted value follows its figure");
    assert!(get(server.port, "/figures/bar.svg").text().contains("41.5%"), "the chart follows");

    let base = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/base.html")).unwrap();
    site.write("templates/base.html", &base.replace("{{ t(key=\"footer_campaign_by\") }}", "Brought to you by"));
    assert!(wait_for(server.port, "/news/", |r| r.text().contains("Brought to you by")).text().contains("Brought to you by"));
}

/// A site's strings are drawn in every language's charts: a change of the Welsh ones redraws
/// the Welsh charts in the preview, though the figure's own (English) words are the same.
#[test]
fn a_change_of_a_sites_strings_redraws_the_charts_of_that_language() {
    let site = TestSite::fixture("default");
    let server = serve(&site);
    assert!(get(server.port, "/cy/tystiolaeth/").text().contains("62 i gyd"));
    site.write("templates/strings/cy.yaml", "in_all: \"{value} yn gyfan\"\n");
    let welsh = wait_for(server.port, "/cy/tystiolaeth/", |r| r.text().contains("62 yn gyfan")).text();
    assert!(welsh.contains("62 yn gyfan"), "the Welsh chart is drawn again");
    site.write("templates/strings/en.yaml", "in_all: \"{value} altogether\"\n");
    assert!(wait_for(server.port, "/evidence/", |r| r.text().contains("62 altogether")).text().contains("62 altogether"));
    assert!(get(server.port, "/figures/north-east-platforms.svg").text().contains("62 altogether"), "the figure's SVG follows");
}

#[test]
fn a_broken_figure_shows_an_overlay_over_the_last_good_site_until_fixed() {
    let site = TestSite::fixture("kinds");
    let server = serve(&site);
    let good = get(server.port, "/").text();
    assert!(good.contains("Offences: 1,628."));
    let figure = std::fs::read_to_string(site.root().join("content/figures/column.yaml")).unwrap();
    site.write("content/figures/column.yaml", &figure.replace("value: 1628", "value: lots"));
    let broken = wait_for(server.port, "/", |r| r.text().contains("soapbox-error"));
    let text = broken.text();
    assert!(text.contains("id=\"soapbox-error\" role=\"alert\""), "the overlay");
    assert!(text.contains("content/figures/column.yaml:6:"), "the same text as the terminal: {text}");
    assert!(text.contains("Offences: 1,628."), "the last good page is still served under it");
    site.write("content/figures/column.yaml", &figure.replace("value: 1628", "value: 1700"));
    let fixed = wait_for(server.port, "/", |r| !r.text().contains("soapbox-error"));
    assert!(fixed.text().contains("Offences: 1,700."));
}

#[test]
fn tabs_are_told_to_reload() {
    let site = TestSite::fixture("kinds");
    let server = serve(&site);
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    stream.write_all(b"GET /__soapbox/events HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
    let mut reader = BufReader::new(stream);
    let mut data_lines = Vec::new();
    let mut line = String::new();
    let deadline = Instant::now() + Duration::from_secs(40);
    while data_lines.is_empty() && Instant::now() < deadline && reader.read_line(&mut line).unwrap_or(0) > 0 {
        if line.starts_with("data: ") {
            data_lines.push(line.clone());
        }
        line.clear();
    }
    site.write("content/index.md", "---\ntitle: Changed\nweight: 1\n---\nHello.\n");
    while data_lines.len() < 2 && Instant::now() < deadline && reader.read_line(&mut line).unwrap_or(0) > 0 {
        if line.starts_with("data: ") {
            data_lines.push(line.clone());
        }
        line.clear();
    }
    assert_eq!(data_lines.len(), 2, "a second version was announced");
    assert_ne!(data_lines[0], data_lines[1]);
}

#[test]
fn answers_404_400_head_and_refuses_traversal() {
    let site = TestSite::fixture("kinds");
    let server = serve(&site);
    let missing = get(server.port, "/no-such-page/");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("Heb ddod o hyd"), "the site's own 404 page, in the fixture's Welsh");
    for path in ["/../Cargo.toml", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc/passwd", "/figures/..%5c..%5cCargo.toml"] {
        let reply = get(server.port, path);
        assert!(reply.status == 400 || reply.status == 404, "{path}: {}", reply.status);
        assert!(!reply.text().contains("[package]") && !reply.text().contains("root:"), "{path} leaked a file");
    }
    let head = raw(server.port, b"HEAD / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty(), "HEAD has no body");
    let garbage = raw(server.port, b"\x00\x01 NONSENSE\r\n\r\n");
    assert_eq!(garbage.status, 400);
    let post = raw(server.port, b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    assert_eq!(post.status, 405);
    assert_eq!(get(server.port, "/news").status, 301, "a folder without its slash is redirected");
    assert_eq!(get(server.port, "/").status, 200, "still up after all that");
}

#[test]
fn a_taken_port_is_named_with_a_way_out() {
    let site = TestSite::fixture("kinds");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let output = Command::new(env!("CARGO_BIN_EXE_soapbox")).args(["serve", "--port", &port, "--root"]).arg(site.root()).output().unwrap();
    let stderr = guard::assert_no_panic(&output);
    assert!(!output.status.success());
    assert!(stderr.contains(&format!("port {port} is already in use")) && stderr.contains("--port"), "{stderr}");
}

/// A bounded load on loopback: four clients, 150 requests each, while a page and a figure
/// are rewritten underneath. Every page served must be whole.
#[test]
fn under_load_with_files_changing_nothing_half_built_is_served() {
    let site = TestSite::fixture("kinds");
    let server = serve(&site);
    let port = server.port;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let stop = std::sync::Arc::clone(&stop);
        let root = site.root().to_path_buf();
        std::thread::spawn(move || {
            let mut n = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) && n < 40 {
                std::fs::write(root.join("content/news/older.md"), format!("---\ntitle: Story {n}\ndate: 2018-01-05\n---\n{}\n", "Words. ".repeat(200 + n)))
                    .unwrap();
                std::fs::write(root.join("content/figures/column.yaml"), format!("title: Offences and platforms\nsource: Fixture source\nchart: column\nunit: count\ndata:\n  - {{ label: Offences recorded, value: {} }}\n  - {{ label: Platform recorded, value: 956 }}\n", 1628 + n)).unwrap();
                n += 1;
                std::thread::sleep(Duration::from_millis(25));
            }
        })
    };
    let paths = ["/", "/news/", "/news/older/", "/figures/column.svg", "/favicon.svg", "/../Cargo.toml", "/%2e%2e/x", "/missing/"];
    let clients: Vec<_> = (0..4)
        .map(|c| {
            std::thread::spawn(move || {
                let mut failures = Vec::new();
                for i in 0..150 {
                    let path = paths[(i + c) % paths.len()];
                    let reply = get(port, path);
                    let ok = match path {
                        "/../Cargo.toml" | "/%2e%2e/x" => reply.status == 400,
                        "/missing/" => reply.status == 404,
                        _ => reply.status == 200,
                    };
                    let whole = !path.ends_with('/') || reply.status != 200 || reply.text().trim_end().ends_with("</html>");
                    let sized = reply
                        .headers
                        .to_ascii_lowercase()
                        .split("content-length: ")
                        .nth(1)
                        .and_then(|v| v.split("\r\n").next()?.trim().parse::<usize>().ok())
                        .is_none_or(|n| n == reply.body.len());
                    if !(ok && whole && sized) {
                        failures.push(format!("{path}: status {} whole {whole} sized {sized}", reply.status));
                    }
                }
                failures
            })
        })
        .collect();
    let failures: Vec<String> = clients.into_iter().flat_map(|c| c.join().unwrap()).collect();
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    writer.join().unwrap();
    assert!(failures.is_empty(), "{} failures: {:?}", failures.len(), &failures[..failures.len().min(5)]);
    assert_eq!(get(port, "/").status, 200, "the server is still up");
}

/// Incremental rebuilds, seen from the library: what a change re-renders.
mod incremental {
    use crate::common::TestSite;
    use soapbox::serve::Project;
    use std::path::PathBuf;

    fn project(site: &TestSite) -> Project {
        let mut project = Project::new(site.root(), "http://127.0.0.1:4000/", crate::common::MOMENT);
        project.build().expect("the first build");
        project
    }

    /// After every step of a run of edits, the incremental output is exactly what a fresh
    /// build of the same files gives: the caches never serve something stale.
    #[test]
    fn edits_in_any_order_give_what_a_fresh_build_gives() {
        let site = TestSite::fixture("kinds");
        site.write("content/a.md", "---\ntitle: A\n---\n## Target heading\n\nText.\n");
        site.write("content/b.md", "---\ntitle: B\nweight: 9\n---\nSee [the target](/a/#target-heading).\n");
        let mut project = project(&site);
        let column = std::fs::read_to_string(site.root().join("content/figures/column.yaml")).unwrap();
        let page = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/page.html")).unwrap();
        let steps: Vec<(&str, Option<String>)> = vec![
            ("content/a.md", Some("---\ntitle: A, edited\n---\n## Target heading\n\nMore text.\n".into())),
            ("content/news/fresh.md", Some("---\ntitle: Fresh\ndate: 2019-02-03\n---\nNew story.\n".into())),
            ("content/figures/column.yaml", Some(column.replace("1628", "1701"))),
            ("content/b.md", Some("---\ntitle: B moved\nweight: 1\n---\nSee [the target](/a/#target-heading).\n".into())),
            ("templates/page.html", Some(page.replace("<article", "<article data-edited"))),
            ("content/news/fresh.md", None),
            ("content/a.md", Some("---\ntitle: A\nslug: a-new\n---\n## Target heading\n".into())),
            ("content/b.md", Some("---\ntitle: B\n---\nSee [the target](/a-new/#target-heading).\n".into())),
        ];
        for (file, text) in steps {
            match &text {
                Some(text) => site.write(file, text),
                None => site.remove(file),
            }
            // A step may break the site (a.md moves before b.md follows): then both must say so.
            let incremental = project.rebuild(&[PathBuf::from(file)]).map(|(output, _)| output).map_err(|e| e.report(false));
            let fresh =
                Project::new(site.root(), "http://127.0.0.1:4000/", crate::common::MOMENT).build().map(|(output, _)| output).map_err(|e| e.report(false));
            assert!(incremental == fresh, "after writing {file}, the incremental result differs from a fresh build");
            assert_eq!(incremental.is_err(), file == "content/a.md" && text.as_deref().is_some_and(|t| t.contains("a-new")), "after {file}");
        }
    }

    /// The preview patches an edit into the output before the last once nobody serves that
    /// one any more, and copies the last otherwise. Either way every result must be a fresh
    /// build's, and an output still held must never change under its holder.
    #[test]
    fn patched_outputs_match_fresh_builds_whether_or_not_the_last_is_still_served() {
        let site = TestSite::fixture("kinds");
        site.write("content/a.md", "---\ntitle: A\n---\nFirst.\n");
        site.write("content/b.md", "---\ntitle: B\n---\nFirst.\n");
        let mut project = project(&site);
        let mut held = Vec::new();
        for step in 0..8 {
            let file = if step % 2 == 0 { "content/a.md" } else { "content/b.md" };
            site.write(file, &format!("---\ntitle: Step {step}\n---\nText of step {step}.\n"));
            let incremental = project.rebuild(&[PathBuf::from(file)]).map(|(output, _)| output).unwrap();
            let fresh = Project::new(site.root(), "http://127.0.0.1:4000/", crate::common::MOMENT).build().map(|(output, _)| output).unwrap();
            assert!(incremental == fresh, "after step {step}, the incremental result differs from a fresh build");
            // Some outputs are kept, as a tab still being served would keep them.
            if step % 3 == 0 {
                let copy = (*incremental.files).clone();
                held.push((incremental, copy));
            }
        }
        for (output, copy) in held {
            assert!(*output.files == copy, "a later edit changed an output that was still held");
        }
    }

    /// A link is checked again when the page it points at changes, not only when its own page
    /// does.
    #[test]
    fn removing_a_heading_breaks_the_links_to_it_on_other_pages() {
        let site = TestSite::fixture("kinds");
        site.write("content/a.md", "---\ntitle: A\n---\n## Target heading\n");
        site.write("content/b.md", "---\ntitle: B\n---\nSee [the target](/a/#target-heading).\n");
        let mut project = project(&site);
        site.write("content/a.md", "---\ntitle: A\n---\n## Renamed heading\n");
        let error = project.rebuild(&[PathBuf::from("content/a.md")]).expect_err("the link in b.md is now broken").report(false);
        assert!(error.contains("content/b.md:4:") && error.contains("no heading or section with the id `target-heading`"), "{error}");
        site.write("content/a.md", "---\ntitle: A\n---\n## Target heading\n");
        assert!(project.rebuild(&[PathBuf::from("content/a.md")]).is_ok());
    }

    /// A page whose title quotes a figure follows the figure in the preview, as a fresh build
    /// does, though the page file itself did not change.
    #[test]
    fn a_title_that_quotes_a_figure_follows_it() {
        let site = TestSite::fixture("kinds");
        site.write("content/quoted.md", "---\ntitle: 'Offences: {{ value(id=\"column\", label=\"Offences recorded\") }}'\n---\nText.\n");
        let mut project = project(&site);
        let path = site.root().join("content/figures/column.yaml");
        let yaml = std::fs::read_to_string(&path).unwrap();
        assert!(yaml.contains("value: 1628"), "{yaml}");
        site.write("content/figures/column.yaml", &yaml.replace("value: 1628", "value: 1800"));
        let output = project.rebuild(&[path]).map(|(output, _)| output).unwrap();
        assert!(String::from_utf8_lossy(&output.files["quoted/index.html"]).contains("<title>Offences: 1,800"));
        let fresh = Project::new(site.root(), "http://127.0.0.1:4000/", crate::common::MOMENT).build().map(|(output, _)| output).unwrap();
        assert!(output == fresh, "the preview differs from a fresh build");
    }

    /// A change of language rewrites every number in the preview, as a fresh build does.
    #[test]
    fn a_change_of_language_rewrites_every_number() {
        let site = TestSite::fixture("kinds");
        let mut project = project(&site);
        let yaml = std::fs::read_to_string(site.root().join("content/site.yaml")).unwrap();
        let language = yaml.lines().find(|l| l.starts_with("language:")).expect("a language").to_string();
        site.write("content/site.yaml", &yaml.replace(&language, "language: de"));
        let output = project.rebuild(&[std::path::PathBuf::from("content/site.yaml")]).map(|(output, _)| output).unwrap();
        assert!(String::from_utf8_lossy(&output.files["figures/column.svg"]).contains("1.628"));
        let fresh = Project::new(site.root(), "http://127.0.0.1:4000/", crate::common::MOMENT).build().map(|(output, _)| output).unwrap();
        assert!(output == fresh, "the preview differs from a fresh build");
    }

    /// The preview runs the build's own checks: a static file added where a page's folder
    /// would go fails there as it fails a build (the preview once missed this rule, which lived
    /// in the build's loading alone), and each says the same.
    #[test]
    fn a_static_file_in_a_pages_way_fails_the_preview_as_it_fails_a_build() {
        let site = TestSite::fixture("kinds");
        site.write("content/report.md", "---\ntitle: Report\n---\nThe report.\n");
        let mut project = project(&site);
        site.write("static/report", "a file where the page's folder goes");
        let error = project.rebuild(&[PathBuf::from("static/report")]).expect_err("the page and the file cannot both be written").report(false);
        assert!(error.contains("would need a folder where the static file `static/report` is"), "{error}");
        let built = site.build(&[]);
        assert!(!built.ok);
        assert_eq!(built.stderr.matches("would need a folder where the static file `static/report` is").count(), 1, "{}", built.stderr);
        site.remove("static/report");
        assert!(project.rebuild(&[PathBuf::from("static/report")]).is_ok());
    }

    /// A page that quotes a figure is checked again when the figure changes, though the page
    /// itself did not.
    #[test]
    fn renaming_a_label_breaks_the_values_that_quote_it() {
        let site = TestSite::fixture("kinds");
        let mut project = project(&site);
        let path = site.root().join("content/figures/column.yaml");
        let yaml = std::fs::read_to_string(&path).unwrap();
        site.write("content/figures/column.yaml", &yaml.replace("Offences recorded", "Offences logged"));
        let error = project.rebuild(std::slice::from_ref(&path)).expect_err("the value in index.md now names no label").report(false);
        assert!(error.contains("content/index.md:5:") && error.contains("Offences recorded"), "{error}");
        site.write("content/figures/column.yaml", &yaml);
        assert!(project.rebuild(&[path]).is_ok());
    }

    #[test]
    fn a_page_edit_re_renders_that_page_and_its_listing() {
        let site = TestSite::fixture("kinds");
        let mut project = project(&site);
        site.write("content/news/older.md", "---\ntitle: Older story, revised\ndate: 2018-01-05\n---\nRevised.\n");
        project.rebuild(&[PathBuf::from("content/news/older.md")]).unwrap();
        assert_eq!(project.last_render().pages, vec!["news/index.html", "news/older/index.html"]);
        assert_eq!(project.last_render().figures, 0);
    }

    /// Share images print the address in site.yaml, not the preview's: the preview shows the
    /// pictures that will be shared, and finds them in the cache a build left.
    #[test]
    fn the_preview_shows_the_share_images_the_build_made() {
        let site = TestSite::fixture("kinds");
        site.build_ok();
        let built = site.tree();
        let images: Vec<&String> = built.keys().filter(|p| p.starts_with("figures/") && p.ends_with(".png")).collect();
        assert!(images.len() >= 3, "{images:?}");
        let cache = site.root().join(soapbox::cache::DIR).join("images");
        let entries = || std::fs::read_dir(&cache).unwrap().count();
        let before = entries();
        let output = Project::new(site.root(), "http://127.0.0.1:4000/", crate::common::MOMENT).build().map(|(output, _)| output).unwrap();
        for path in images {
            assert!(output.files.get(path.as_str()).is_some_and(|png| **png == built[path]), "{path} differs in the preview");
        }
        assert_eq!(entries(), before, "the preview drew nothing new");
    }

    #[test]
    fn a_figure_edit_redraws_it_and_the_pages_that_use_it() {
        let site = TestSite::fixture("kinds");
        site.write("content/about.md", "---\ntitle: About\n---\nNo numbers here.\n");
        let mut project = project(&site);
        let path = site.root().join("content/figures/column.yaml");
        let yaml = std::fs::read_to_string(&path).unwrap();
        site.write("content/figures/column.yaml", &yaml.replace("1628", "1700"));
        let output = project.rebuild(&[path]).map(|(output, _)| output).unwrap();
        let stats = project.last_render();
        assert_eq!(stats.figures, 1);
        assert!(stats.pages.contains(&"index.html".to_string()), "the page that shows it");
        assert!(stats.pages.contains(&"figures/column/index.html".to_string()), "its share page");
        assert!(!stats.pages.contains(&"about/index.html".to_string()), "not a page that does not use it");
        assert!(String::from_utf8_lossy(&output.files["index.html"]).contains("Offences: 1,700."));
    }

    #[test]
    fn a_template_edit_re_renders_the_pages_that_use_it() {
        let site = TestSite::fixture("kinds");
        let page = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/page.html")).unwrap();
        let mut project = project(&site);
        site.write("templates/page.html", &page.replace("<article", "<article data-edited"));
        project.rebuild(&[PathBuf::from("templates/page.html")]).unwrap();
        assert_eq!(project.last_render().pages, vec!["news/newer/index.html", "news/older/index.html"], "only pages on page.html");
    }

    #[test]
    fn a_static_edit_changes_only_that_file() {
        let site = TestSite::fixture("kinds");
        let mut project = project(&site);
        // Images keep stable names, so replacing one changes nothing else.
        site.write("static/favicon.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
        let output = project.rebuild(&[PathBuf::from("static/favicon.svg")]).map(|(output, _)| output).unwrap();
        assert!(project.last_render().pages.is_empty() && project.last_render().figures == 0, "{:?}", project.last_render());
        assert_eq!(output.files["favicon.svg"].as_slice(), b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    }
}
