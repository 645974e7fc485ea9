//! Hostile shapes at growing sizes: each pathological input of issue 17 (deep YAML nesting,
//! a long line of broken links, many link references, many identical headings, many `value`
//! calls on one line, a long title without spaces, long labels) is written into a site in a
//! temporary folder, at 1/16, 1/8, 1/4, 1/2 and 1 MB, and built in a child process of its own
//! by the library, as `soapbox build` does, printing its errors as the binary would. Each run
//! prints its wall time, peak memory and bytes of error output, so growth can be seen to be
//! linear; the target is every file up to 1 MB built or refused in under 2 s and 300 MB.
//! (The child is this bench, not `target/release/soapbox`: in a shared target folder that
//! binary may have been written by another branch's build.)
//!
//! Run with `cargo bench --bench pathological` (Linux: it uses GNU `time` for peak memory and
//! coreutils `timeout`). A name after `--` runs only the shapes whose names contain it.
//! PATHOLOGICAL_CAP_SECS (default 60) ends a run that takes longer; PATHOLOGICAL_MEMORY_MB
//! (default 4096) caps its address space, so a runaway input cannot take the machine down.
//! A shape that passes a cap is not run at larger sizes.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SITE_YAML: &str = "title: Pathological\ndescription: Hostile shapes.\nbase_url: https://x.org/\nlanguage: en-GB\norganisation: Tests\n";
const FIGURE: &str = "title: A figure\nsource: Tests\nchart: bar\nunit: count\ndata:\n  - { label: Facebook, value: 1 }\nvalues:\n  share: 52\n";
const SIZES: [usize; 5] = [1 << 16, 1 << 17, 1 << 18, 1 << 19, 1 << 20];

/// A site's files, beyond the site.yaml, index page and figure every site has.
type Files = Vec<(&'static str, String)>;

fn page(body: &str) -> String {
    format!("---\ntitle: A page\n---\n```chart a\n```\n\n{body}\n")
}

/// `unit` repeated until it fills `size` bytes.
fn fill(unit: &str, size: usize) -> String {
    unit.repeat((size / unit.len()).max(1))
}

/// A shape: its name, and the files that make it `size` bytes.
type Shape = (&'static str, fn(usize) -> Files);

const SHAPES: &[Shape] = &[
    ("[ in a figure note", |n| vec![("content/figures/a.yaml", format!("{FIGURE}note: {}\n", "[".repeat(n)))]),
    ("[ in front matter", |n| vec![("content/p.md", format!("---\ntitle: P\ndescription: {}\n---\n", "[".repeat(n)))]),
    ("[ in site.yaml", |n| vec![("content/site.yaml", format!("{SITE_YAML}extra:\n  x: {}\n", "[".repeat(n)))]),
    ("nested blocks in site.yaml", |n| {
        let depth = ((n as f64).sqrt() as usize).max(1);
        let nested: String = (0..depth).map(|d| format!("{}k:\n", " ".repeat(2 * d + 2))).collect();
        vec![("content/site.yaml", format!("{SITE_YAML}extra:\n{nested}"))]
    }),
    ("one line of broken links", |n| vec![("content/p.md", page(&fill("[x](/nope/) ", n)))]),
    ("link references", |n| vec![("content/p.md", page(&format!("{}\n\n[r]: /nope/\n", fill("[x][r] ", n))))]),
    ("identical headings", |n| vec![("content/p.md", page(&fill("# a\n\n", n)))]),
    ("value calls on one line", |n| vec![("content/p.md", page(&fill("{{ value(id=\"a\", key=\"share\") }} ", n)))]),
    ("title without spaces", |n| vec![("content/figures/a.yaml", FIGURE.replacen("A figure", &"x".repeat(n), 1))]),
    ("200 long labels", |n| {
        let rows: String = (0..200).map(|i| format!("  - {{ label: {i}{}, value: {i} }}\n", "x".repeat(n / 200))).collect();
        vec![("content/figures/a.yaml", format!("title: Labels\nsource: Tests\nchart: bar\nunit: count\ndata:\n{rows}"))]
    }),
];

/// One build's outcome.
struct Run {
    wall: Duration,
    /// Peak resident memory in bytes, when the run ended on its own.
    peak: Option<u64>,
    error_bytes: u64,
    outcome: &'static str,
}

fn write_site(dir: &Path, files: &Files) {
    let base = [("content/site.yaml", SITE_YAML.to_string()), ("content/index.md", page("Home.")), ("content/figures/a.yaml", FIGURE.to_string())];
    let _ = std::fs::remove_dir_all(dir);
    for (rel, text) in base.iter().filter(|(rel, _)| !files.iter().any(|(f, _)| f == rel)).chain(files) {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

/// Builds the site at `dir` with the real binary, under the time and memory caps.
fn build(dir: &Path, cap: Duration, memory_mb: u64) -> Run {
    let rss = dir.with_extension("rss");
    let _ = std::fs::remove_file(&rss);
    let start = Instant::now();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {}; exec \"$@\"", memory_mb * 1024))
        .arg("sh")
        .args(["timeout", "-s", "KILL", &cap.as_secs().to_string(), "/usr/bin/time", "-q", "-f", "%M", "-o"])
        .arg(&rss)
        .arg(std::env::current_exe().unwrap())
        .env(CHILD, dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run sh, timeout and /usr/bin/time");
    // The error output is counted, not kept: before the fixes it could run to gigabytes.
    let mut stderr = child.stderr.take().unwrap();
    let mut error_bytes = 0;
    let mut buffer = vec![0; 1 << 16];
    while let Ok(n) = stderr.read(&mut buffer) {
        if n == 0 {
            break;
        }
        error_bytes += n as u64;
    }
    let status = child.wait().unwrap();
    let wall = start.elapsed();
    let peak = std::fs::read_to_string(&rss).ok().and_then(|t| t.lines().last()?.trim().parse::<u64>().ok()).map(|kb| kb * 1024);
    let outcome = match status.code() {
        Some(0) => "built",
        Some(1) => "refused",
        _ if wall >= cap => "over time",
        _ => "died", // out of memory under the cap, as a rule
    };
    Run { wall, peak, error_bytes, outcome }
}

/// Set in the child: the site to build.
const CHILD: &str = "SOAPBOX_PATHOLOGICAL_SITE";

/// The child's work: `soapbox build --root DIR --out DIR/public`, its errors on stderr.
fn child(dir: &Path) -> std::process::ExitCode {
    match soapbox::build(dir, &dir.join("public"), soapbox::moment::Moment::from_unix(0)) {
        Ok(_) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            use std::io::Write;
            let _ = std::io::stderr().lock().write_all(e.report(false).as_bytes());
            std::process::ExitCode::FAILURE
        }
    }
}

fn main() -> std::process::ExitCode {
    if let Some(dir) = std::env::var_os(CHILD) {
        return child(Path::new(&dir));
    }
    let cap = Duration::from_secs(std::env::var("PATHOLOGICAL_CAP_SECS").ok().and_then(|s| s.parse().ok()).unwrap_or(60));
    let memory_mb: u64 = std::env::var("PATHOLOGICAL_MEMORY_MB").ok().and_then(|s| s.parse().ok()).unwrap_or(4096);
    let filter: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let root = std::env::temp_dir().join(format!("soapbox-pathological-{}", std::process::id()));
    println!("cap {} s and {memory_mb} MB a run; soapbox {}", cap.as_secs(), env!("CARGO_PKG_VERSION"));
    println!("{:<28} {:>8} {:>10} {:>10} {:>10} {:>14}", "shape", "size", "outcome", "time", "peak", "error output");
    for (name, make) in SHAPES.iter().filter(|(name, _)| filter.is_empty() || filter.iter().any(|f| name.contains(f.as_str()))) {
        let mut capped = false;
        for size in SIZES {
            let label = format!("{} KB", size >> 10);
            if capped {
                println!("{name:<28} {label:>8} {:>10}", "not run");
                continue;
            }
            let dir = root.join(format!("site-{size}"));
            write_site(&dir, &make(size));
            let run = build(&dir, cap, memory_mb);
            let _ = std::fs::remove_dir_all(&dir);
            let time = if run.outcome == "over time" { format!("> {} s", cap.as_secs()) } else { format!("{:.2} s", run.wall.as_secs_f64()) };
            let peak = match run.peak {
                Some(bytes) => format!("{:.0} MB", bytes as f64 / 1e6),
                None if run.outcome == "died" => format!("> {memory_mb} MB?"),
                None => "?".to_string(),
            };
            let errors = format!("{:.1} KB", run.error_bytes as f64 / 1e3);
            println!("{name:<28} {label:>8} {:>10} {time:>10} {peak:>10} {errors:>14}", run.outcome);
            capped = run.outcome == "over time" || run.outcome == "died";
        }
    }
    let _ = std::fs::remove_dir_all(&root);
    std::process::ExitCode::SUCCESS
}
