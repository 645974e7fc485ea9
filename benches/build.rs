//! Speed at scale: builds deterministic synthetic campaign sites with the real binary and
//! reports wall time, pages and figures per second, peak RSS and output bytes, and a one-page
//! edit in serve mode. Run with `cargo bench --bench build` (`-- --quick` for small sizes).

use soapbox::serve::Project;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// A small deterministic generator (a linear congruential one), so every run builds the same site.
struct Numbers(u64);

impl Numbers {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below.max(1)
    }
}

const WORDS: [&str; 24] = [
    "children", "online", "safety", "police", "recorded", "platform", "offences", "social", "networks", "regulator",
    "report", "campaign", "families", "schools", "evidence", "moderators", "accounts", "grooming", "alerts", "code",
    "practice", "transparency", "government", "protect",
];

fn sentence(n: &mut Numbers, words: usize) -> String {
    let mut s: Vec<&str> = (0..words).map(|_| WORDS[n.next(WORDS.len() as u64) as usize]).collect();
    let first = s[0].to_string();
    let capital = first[..1].to_uppercase() + &first[1..];
    s[0] = Box::leak(capital.into_boxed_str());
    format!("{}.", s.join(" "))
}

/// A site of `pages` pages of about 600 words and `figures` figures, under `dir`.
fn generate(dir: &Path, pages: usize, figures: usize, with_charts: bool) {
    let mut n = Numbers(42);
    std::fs::create_dir_all(dir.join("content/news")).unwrap();
    std::fs::create_dir_all(dir.join("content/figures")).unwrap();
    std::fs::write(dir.join("content/site.yaml"), "title: Scale test\ndescription: A synthetic campaign.\nbase_url: https://scale.example.org/\nlanguage: en-GB\norganisation: Bench Trust\n").unwrap();
    std::fs::write(dir.join("content/index.md"), "---\ntitle: Home\nweight: 1\n---\nA synthetic campaign site. [News](/news/).\n").unwrap();
    std::fs::write(dir.join("content/news/_index.md"), "---\ntitle: News\nweight: 2\n---\nEverything.\n").unwrap();
    let kinds = ["bar", "column", "stacked-bar", "donut", "line"];
    for f in 0..figures {
        let kind = kinds[f % kinds.len()];
        let mut yaml = format!("title: Figure {f} shows a finding\nsource: Bench source\nchart: {kind}\nunit: count\nvalues:\n  total: {}\n", 100 + n.next(900));
        if kind == "stacked-bar" {
            yaml.push_str("categories: [North, South, East]\nseries:\n");
            for s in ["A", "B", "C"] {
                let _ = writeln!(yaml, "  - {{ name: {s}, values: [{}, {}, {}] }}", n.next(50), n.next(50), n.next(50));
            }
        } else {
            yaml.push_str("data:\n");
            for l in 0..5 {
                let _ = writeln!(yaml, "  - {{ label: Item {l}, value: {} }}", 1 + n.next(99));
            }
        }
        std::fs::write(dir.join(format!("content/figures/f{f}.yaml")), yaml).unwrap();
    }
    for p in 0..pages {
        let mut body = format!("---\ntitle: Story {p}\ndate: 2018-{:02}-{:02}\n---\n", 1 + p % 12, 1 + p % 28);
        for section in 0..4 {
            let _ = writeln!(body, "## Part {section}\n");
            for _ in 0..3 {
                let para: Vec<String> = (0..3).map(|_| sentence(&mut n, 12)).collect();
                let _ = writeln!(body, "{} See [story {}](/news/p{}/).\n", para.join(" "), (p + 1) % pages, (p + 1) % pages);
            }
        }
        body.push_str("- first point\n- second point\n- third point\n\n| Area | Cases |\n|---|---:|\n| North | 12 |\n| South | 30 |\n\n");
        if with_charts && figures > 0 && p % 10 == 0 {
            let f = p / 10 % figures;
            let _ = writeln!(body, "The figure: {{{{ value(id=\"f{f}\", key=\"total\") }}}} in all.\n\n```chart f{f}\n```\n\nAgain: {{{{ value(id=\"f{f}\", key=\"total\") }}}}.\n");
        }
        std::fs::write(dir.join(format!("content/news/p{p}.md")), body).unwrap();
    }
}

/// Loads the site at `dir` as serve does, then edits one page eleven times; the median time
/// from the edit to a site ready to serve again.
fn serve_edit(dir: &Path) -> Duration {
    let mut project = Project::new(dir, "http://127.0.0.1:4000/");
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

/// Runs `command`, returning wall time and peak resident memory (VmHWM, sampled).
fn measure(mut command: Command) -> (Duration, u64, bool) {
    let start = Instant::now();
    let mut child = command.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn().expect("start");
    let mut peak = 0;
    loop {
        if let Ok(status) = std::fs::read_to_string(format!("/proc/{}/status", child.id())) {
            if let Some(kb) = status.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok()) {
                peak = peak.max(kb);
            }
        }
        if let Ok(Some(status)) = child.try_wait() {
            return (start.elapsed(), peak * 1024, status.success());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn bytes_under(dir: &Path) -> u64 {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries.flatten().map(|e| if e.path().is_dir() { bytes_under(&e.path()) } else { e.metadata().map_or(0, |m| m.len()) }).sum()
    })
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

fn main() {
    let args: Vec<String> = std::env::args().collect();
    // `--generate DIR PAGES FIGURES` only writes a site, for profiling by hand.
    if let Some(at) = args.iter().position(|a| a == "--generate") {
        let number = |i: usize| args.get(at + i).and_then(|a| a.parse().ok()).expect("--generate DIR PAGES FIGURES");
        generate(Path::new(&args[at + 1]), number(2), number(3), true);
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
    println!("{:<34} {:>10} {:>15} {:>17} {:>11} {:>12}", "case", "wall", "pages", "figures", "peak RSS", "output");
    let build = |dir: &PathBuf| {
        let mut c = Command::new(soapbox);
        c.args(["build", "--quiet", "--root"]).arg(dir);
        c
    };
    for (case, pages, figs) in [("N={small}, M=0", small, 0), ("N={large}, M=0", large, 0), ("N={large}, M={figures}", large, figures)] {
        let case = case.replace("{small}", &small.to_string()).replace("{large}", &large.to_string()).replace("{figures}", &figures.to_string());
        let dir = base.join(case.replace([',', ' ', '='], "_"));
        generate(&dir, pages, figs, true);
        let (wall, rss, ok) = measure(build(&dir));
        assert!(ok, "{case} failed to build");
        row(&case, pages + 2, figs, wall, rss, bytes_under(&dir.join("public")));
        if figs > 0 {
            let (wall, rss, ok) = measure(build(&dir));
            assert!(ok);
            row(&format!("{case}, second (warm) build"), pages + 2, figs, wall, rss, bytes_under(&dir.join("public")));
            let median = serve_edit(&dir);
            println!("{:<34} {:>8.1} ms (median of 11 one-page edits, serve)", format!("N={large}, serve edit"), median.as_secs_f64() * 1000.0);
        }
    }
    let _ = std::fs::remove_dir_all(&base);
}
