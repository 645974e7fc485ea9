//! The `soapbox` command line: a thin layer over the library.

use clap::{Parser, Subcommand};
use soapbox::moment::Moment;
use soapbox::new::{new_site_in, Languages};
use soapbox::Error;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

/// Building a site allocates and frees millions of small strings and buffers (Markdown,
/// templates, the minifier), from two threads; mimalloc makes a 10,000-page build about a
/// quarter faster than the system allocator. Transparent huge pages stay off, which keeps
/// peak memory near the system allocator's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const EXAMPLES: &str = "Examples:
  soapbox new my-campaign                 start a new site
  soapbox serve --root my-campaign        preview it at http://127.0.0.1:4000, reloading as you type
  soapbox check --root my-campaign        find every problem, write nothing
  soapbox build --root my-campaign        build it into my-campaign/public";

/// `soapbox --version`: the release and the commit it was built from, so a report of a
/// problem names the exact code (build.rs sets `SOAPBOX_COMMIT`).
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("SOAPBOX_COMMIT"), ")");

#[derive(Parser)]
#[command(name = "soapbox", version = VERSION, about = "Builds static campaign microsites from Markdown pages and YAML figures", after_help = EXAMPLES)]
struct Cli {
    /// Print only errors.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Print more about what happens.
    #[arg(long, short, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into a folder of plain files.
    #[command(after_help = "Example: soapbox build --root my-campaign --out my-campaign/public")]
    Build {
        /// The site folder (the one holding content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: public inside the root]
        #[arg(long)]
        out: Option<PathBuf>,
        /// Build for this address instead of site.yaml's base_url (for preview deploys).
        #[arg(long)]
        base_url: Option<String>,
        /// Build the site as it is at this moment (RFC 3339 with an offset, such as
        /// 2027-03-10T09:00:00+00:00) [default: now]
        #[arg(long, value_name = "TIME")]
        at: Option<Moment>,
    },
    /// Check the site and report every problem, writing nothing.
    #[command(
        after_help = "Examples:\n  soapbox check --root my-campaign\n  soapbox check --root my-campaign --at 2027-03-10T09:00:00+00:00    what goes live or comes down by then"
    )]
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Check the site as it is at this moment, and list what goes live or comes down
        /// between now and then (RFC 3339 with an offset) [default: now]
        #[arg(long, value_name = "TIME")]
        at: Option<Moment>,
    },
    /// Preview the site, rebuilding and reloading the browser as you edit.
    #[command(after_help = "Example: soapbox serve --root my-campaign --port 4000 --open")]
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to listen on (0 picks a free one).
        #[arg(long, default_value_t = 4000)]
        port: u16,
        /// The address to listen on; only this computer can see the preview unless you change it.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Open the preview in a browser.
        #[arg(long)]
        open: bool,
        /// Preview the site as it is at this moment (RFC 3339 with an offset); pages that are
        /// not live then carry a notice [default: now]
        #[arg(long, value_name = "TIME")]
        at: Option<Moment>,
    },
    /// Create a new site in an empty folder.
    #[command(
        after_help = "Examples:\n  soapbox new my-campaign\n  soapbox new my-campaign --languages en-GB,cy    in English and Welsh, English the default"
    )]
    New {
        /// The folder to create.
        dir: PathBuf,
        /// The site's languages with commas between them, the default first, such as en-GB,cy
        /// (English and Welsh are built in) [default: en-GB]
        #[arg(long, value_name = "TAGS")]
        languages: Option<String>,
    },
}

/// Colour on a terminal, unless NO_COLOR says otherwise.
fn colour() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn report_failure(err: &Error, what: &str) -> ExitCode {
    eprint!("{}", err.report(colour()));
    let (errors, warnings) = (err.error_count(), err.count() - err.error_count());
    let mut summary = format!("\n{what} failed with {}", soapbox::numbers::counted(errors, "error", "errors"));
    if warnings > 0 {
        summary.push_str(&format!(" and {}", soapbox::numbers::counted(warnings, "warning", "warnings")));
    }
    eprintln!("{summary}");
    ExitCode::FAILURE
}

fn print_warnings(warnings: &Option<Error>, quiet: bool) {
    if let (Some(w), false) = (warnings, quiet) {
        eprintln!("{}", w.report(colour()));
    }
}

/// A bar over the build's stages, shown on a terminal once the build has run a second.
fn progress_bar(quiet: bool) -> indicatif::ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::with_draw_target(Some(soapbox::STAGES.len() as u64), indicatif::ProgressDrawTarget::hidden());
    let style = indicatif::ProgressStyle::with_template("{spinner} [{bar:20}] {pos}/{len} {msg} ({elapsed})");
    bar.set_style(style.unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()).progress_chars("=> "));
    let shown = bar.clone();
    std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(1));
        if !shown.is_finished() {
            shown.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            shown.enable_steady_tick(Duration::from_millis(120));
        }
    });
    bar
}

/// What `check` found of the site's schedule: what goes live or comes down between now and
/// `--at`, and what is held back at that moment.
fn print_schedule(report: &soapbox::schedule::Report, now: Moment, at: Option<Moment>) {
    let list = |heading: String, items: &[soapbox::schedule::Item]| {
        if !items.is_empty() {
            eprintln!("{heading}:");
            for item in items {
                eprintln!("  {item}");
            }
        }
    };
    if let Some(at) = at {
        let span = format!("between now ({}) and {at}", now.utc());
        list(format!("goes live {span}"), &report.going_live);
        list(format!("comes down {span}"), &report.coming_down);
        if report.going_live.is_empty() && report.coming_down.is_empty() {
            eprintln!("nothing goes live or comes down {span}");
        }
    }
    let then = at.map_or_else(|| "now".to_string(), |at| format!("at {at}"));
    list(format!("not live yet {then} (each with when it goes live)"), &report.embargoed);
    list(format!("come down {then} (each with when it came down)"), &report.expired);
}

fn main() -> ExitCode {
    // A bug in soapbox or a library must still read as a message, not a Rust dump.
    std::panic::set_hook(Box::new(|info| {
        let place = info.location().map(|l| format!(" ({}:{})", l.file(), l.line())).unwrap_or_default();
        eprintln!("error: soapbox hit an internal problem{place}; your output folder was not changed");
        eprintln!("  = help: this is a bug in soapbox; please report it with the files that caused it");
    }));
    let cli = Cli::parse();
    let quiet = cli.quiet;
    // The one reading of the clock: the library is handed the moment and never reads it.
    let now = Moment::from_unix(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64));
    match cli.command {
        Command::Build { root, out, base_url, at } => {
            let out = out.unwrap_or_else(|| if root == Path::new(".") { PathBuf::from("public") } else { root.join("public") });
            let bar = progress_bar(quiet);
            // For --verbose: when each stage started, to say where the time went.
            let stages = std::cell::RefCell::new(Vec::new());
            let result = soapbox::build_with(&root, &out, base_url.as_deref(), at.unwrap_or(now), &|stage| {
                bar.set_position(soapbox::STAGES.iter().position(|s| *s == stage).unwrap_or(0) as u64 + 1);
                bar.set_message(stage);
                stages.borrow_mut().push((stage, std::time::Instant::now()));
            });
            bar.finish_and_clear();
            if cli.verbose {
                let stages = stages.borrow();
                let ends = stages.iter().skip(1).map(|s| s.1).chain([std::time::Instant::now()]);
                for ((stage, start), end) in stages.iter().zip(ends) {
                    eprintln!("  {stage}: {:.2} s", (end - *start).as_secs_f64());
                }
            }
            match result {
                Ok(report) => {
                    print_warnings(&report.warnings, quiet);
                    if !quiet {
                        eprintln!("{report}");
                    }
                    if cli.verbose {
                        eprintln!("output: {}", report.out.display());
                    }
                    ExitCode::SUCCESS
                }
                Err(err) => {
                    let code = report_failure(&err, "the build");
                    eprintln!("{} was left unchanged", out.display());
                    code
                }
            }
        }
        Command::Check { root, at } => match soapbox::check(&root, now, at.unwrap_or(now)) {
            Ok(checked) => {
                print_warnings(&checked.warnings, quiet);
                if !quiet {
                    print_schedule(&checked.schedule, now, at);
                    let site = &checked.site;
                    let warnings = checked.warnings.as_ref().map_or(0, |w| w.count());
                    let count = |n, one, many| soapbox::numbers::counted(n, one, many);
                    let (pages, figures) = (count(site.pages.len(), "page", "pages"), count(site.figures.len(), "figure", "figures"));
                    eprintln!("checked {pages} and {figures}: no errors, {}", count(warnings, "warning", "warnings"));
                }
                ExitCode::SUCCESS
            }
            Err(err) => report_failure(&err, "the check"),
        },
        Command::Serve { root, port, bind, open, at } => {
            let options = soapbox::serve::Options { root, bind, port, open, quiet, at: at.unwrap_or(now) };
            match soapbox::serve::serve(&options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => report_failure(&err, "serve"),
            }
        }
        Command::New { dir, languages } => {
            match languages.as_deref().map_or_else(|| Ok(Languages::default()), Languages::parse).and_then(|l| new_site_in(&dir, &l)) {
                Ok(()) => {
                    if !quiet {
                        eprintln!("created a new site in {}", dir.display());
                        eprintln!("next: soapbox serve --root {}", dir.display());
                    }
                    ExitCode::SUCCESS
                }
                Err(err) => report_failure(&err, "new"),
            }
        }
    }
}
