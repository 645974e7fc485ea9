//! Serve: the authoring loop. Builds the site into memory, serves it over HTTP, watches the
//! source folders, rebuilds what an edit touches, and tells every open tab to reload.
//!
//! Nothing is written to disk. A rebuild swaps in a whole new output at once, so a page is
//! never served half-built. When a rebuild fails, the last good site is still served, with the
//! error laid over it in the browser, the same text as in the terminal.

mod http;
mod project;

pub use project::Project;

use crate::error::{Error, Result};
use crate::numbers::counted;
use crate::output::Output;
use notify::{RecursiveMode, Watcher};
use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// What `soapbox serve` was asked for.
pub struct Options {
    pub root: PathBuf,
    pub bind: String,
    pub port: u16,
    pub open: bool,
    pub quiet: bool,
    /// The moment to preview the site at: what is not live then carries a notice.
    pub at: crate::moment::Moment,
}

/// The site as served: the files of the last good build, and the error of the last build if
/// it failed. Replaced whole, never edited in place.
#[derive(Default)]
pub struct Snapshot {
    pub files: crate::output::Files,
    pub error: Option<String>,
    /// Goes up with every rebuild, good or bad; open tabs reload when it changes.
    pub version: u64,
}

/// The current snapshot and a signal for the tabs waiting on a change.
pub struct State {
    snapshot: Mutex<Arc<Snapshot>>,
    changed: Condvar,
}

impl State {
    fn new() -> State {
        State { snapshot: Mutex::new(Arc::new(Snapshot::default())), changed: Condvar::new() }
    }

    pub fn current(&self) -> Arc<Snapshot> {
        self.snapshot.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Publishes the result of a build: new files, or an error over the old ones.
    fn publish(&self, result: Result<Output>) {
        let mut guard = self.snapshot.lock().unwrap_or_else(|e| e.into_inner());
        let version = guard.version + 1;
        let next = match result {
            Ok(output) => Snapshot { files: output.files, error: None, version },
            Err(error) => Snapshot { files: guard.files.clone(), error: Some(overlay_text(error.report(false))), version },
        };
        *guard = Arc::new(next);
        self.changed.notify_all();
    }

    /// Waits until the version differs from `seen`, or `timeout` passes.
    fn wait_change(&self, seen: u64, timeout: Duration) -> u64 {
        let guard = self.snapshot.lock().unwrap_or_else(|e| e.into_inner());
        let (guard, _) = self.changed.wait_timeout_while(guard, timeout, |s| s.version == seen).unwrap_or_else(|e| e.into_inner());
        guard.version
    }
}

/// The most characters of a failed build's report laid over every page: each problem is
/// short, but a site can have thousands, and the overlay is sent with every page.
const OVERLAY_CHARS: usize = 20_000;

/// The report as the overlay shows it: whole when short, else its first problems and a
/// pointer to the terminal, which has them all.
fn overlay_text(report: String) -> String {
    let Some((cut, _)) = report.char_indices().nth(OVERLAY_CHARS) else { return report };
    let cut = report[..cut].rfind("\nerror").or_else(|| report[..cut].rfind('\n')).unwrap_or(cut);
    let left = report[cut..].matches("\nerror").count() + report[cut..].matches("\nwarning").count();
    format!("{}\n… and {}, listed in the terminal where `soapbox serve` runs.\n", &report[..cut], counted(left, "more problem", "more problems"))
}

/// Runs the preview server until the process is stopped.
pub fn serve(options: &Options) -> Result<()> {
    let addr: SocketAddr = format!("{}:{}", options.bind, options.port)
        .parse()
        .map_err(|_| Error::new(format!("`{}` is not an address to listen on", options.bind)).hint("use an IP address such as 127.0.0.1"))?;
    let listener = std::net::TcpListener::bind(addr).map_err(|e| {
        let error = if e.kind() == std::io::ErrorKind::AddrInUse {
            Error::new(format!("port {} is already in use", options.port))
        } else {
            Error::io("listen on", Path::new(&addr.to_string()), e)
        };
        error.hint(format!("choose another port, such as `soapbox serve --port {}`", options.port.saturating_add(1)))
    })?;
    let local = listener.local_addr().unwrap_or(addr);
    let url = format!("http://{local}/");
    // Watch before the first build, so that no edit made after it can be missed.
    let (mut watcher, changes) = watcher(&options.root)?;
    let state = Arc::new(State::new());
    let mut project = Project::new(&options.root, &url, options.at);
    let started = Instant::now();
    let first = told(project.build(), options.quiet);
    let ok = first.is_ok();
    state.publish(first);
    if !options.quiet {
        let note = if ok { format!("built in {} ms", started.elapsed().as_millis()) } else { "the build has errors (shown in the browser too)".into() };
        eprintln!("serving {} at {url} ({note}); press Ctrl+C to stop", options.root.display());
    }
    http::spawn(listener, Arc::clone(&state));
    if options.open {
        open_browser(&url);
    }
    rebuild_on_change(options, (&mut watcher, &changes), &mut project, &state);
    Ok(())
}

type Changes = mpsc::Receiver<Vec<PathBuf>>;

/// Watches the root and its source folders; changed paths arrive on the receiver.
fn watcher(root: &Path) -> Result<(notify::RecommendedWatcher, Changes)> {
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        use notify::event::{EventKind, ModifyKind};
        // Reading a file is an event too; only writes, creations and removals matter.
        let Ok(event) = event else { return };
        if matches!(event.kind, EventKind::Create(_) | EventKind::Remove(_))
            || matches!(event.kind, EventKind::Modify(kind) if !matches!(kind, ModifyKind::Metadata(_)))
        {
            let _ = tx.send(event.paths);
        }
    })
    .map_err(|e| Error::new(format!("could not watch the site folder: {e}")))?;
    watcher.watch(root, RecursiveMode::NonRecursive).map_err(|e| Error::new(format!("could not watch `{}`: {e}", root.display())))?;
    for folder in ["content", "templates", "static"] {
        let dir = root.join(folder);
        if dir.is_dir() {
            watcher.watch(&dir, RecursiveMode::Recursive).map_err(|e| Error::new(format!("could not watch `{}`: {e}", dir.display())))?;
        }
    }
    Ok((watcher, rx))
}

/// Rebuilds after each burst of changes, until the watcher stops.
fn rebuild_on_change(options: &Options, (watcher, rx): (&mut notify::RecommendedWatcher, &Changes), project: &mut Project, state: &State) {
    let root = &options.root;
    let root_canonical = std::fs::canonicalize(root).unwrap_or_else(|_| root.clone());
    while let Ok(first) = rx.recv() {
        // Editors save in bursts (write, rename, replace): wait for a quiet moment.
        let mut changed: BTreeSet<PathBuf> = first.into_iter().collect();
        let burst = Instant::now();
        while let Ok(more) = rx.recv_timeout(Duration::from_millis(40)) {
            changed.extend(more);
            if burst.elapsed() > Duration::from_millis(500) {
                break;
            }
        }
        let relevant: Vec<PathBuf> = changed.into_iter().filter_map(|p| relative(&p, root, &root_canonical)).filter(|p| is_source(p)).collect();
        if relevant.is_empty() {
            continue;
        }
        for folder in ["templates", "static"] {
            if relevant.iter().any(|p| p == Path::new(folder)) {
                // A folder made after serve started: watch inside it too.
                let _ = watcher.watch(&root.join(folder), RecursiveMode::Recursive);
            }
        }
        let started = Instant::now();
        let result = told(project.rebuild(&relevant), options.quiet);
        if result.is_ok() && !options.quiet {
            let stats = project.last_render();
            let (pages, figures) = (counted(stats.pages.len(), "page", "pages"), counted(stats.figures, "figure", "figures"));
            eprintln!("rebuilt {pages}, {figures} in {} ms", started.elapsed().as_millis());
        }
        state.publish(result);
    }
}

/// The output of a build, once its problems are told in the terminal as `soapbox build` tells
/// them: errors always, warnings unless `quiet`.
fn told(result: Result<(Output, Option<Error>)>, quiet: bool) -> Result<Output> {
    match result {
        Ok((output, warnings)) => {
            if let Some(warnings) = warnings.filter(|_| !quiet) {
                eprint!("{}", warnings.report(false));
            }
            Ok(output)
        }
        Err(error) => {
            eprint!("{}", error.report(false));
            Err(error)
        }
    }
}

/// `path` relative to the site root, whichever way the watcher spelled it.
fn relative(path: &Path, root: &Path, canonical: &Path) -> Option<PathBuf> {
    path.strip_prefix(canonical).or_else(|_| path.strip_prefix(root)).ok().map(Path::to_path_buf)
}

/// Source files, not editor back-ups or swap files.
fn is_source(rel: &Path) -> bool {
    let name = rel.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let top = rel.components().next().map(|c| c.as_os_str().to_string_lossy().into_owned()).unwrap_or_default();
    ["content", "templates", "static"].contains(&top.as_str()) && !name.starts_with('.') && !name.ends_with('~') && !name.ends_with(".swp")
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    let _ = std::process::Command::new(opener).arg(url).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_8_the_overlay_is_bounded_and_says_where_the_rest_is() {
        let one = "error: there is no page at `/x/`\n --> content/a.md:1:1\n";
        let report = one.repeat(2000);
        let shown = overlay_text(report.clone());
        assert!(shown.chars().count() <= OVERLAY_CHARS + 100, "{}", shown.len());
        assert!(shown.ends_with("more problems, listed in the terminal where `soapbox serve` runs.\n"));
        assert!(shown.starts_with(one));
        assert_eq!(overlay_text(one.to_string()), one);
    }

    #[test]
    fn only_source_files_trigger_rebuilds() {
        assert!(is_source(Path::new("content/index.md")));
        assert!(is_source(Path::new("templates/base.html")));
        assert!(!is_source(Path::new("content/.index.md.swp")));
        assert!(!is_source(Path::new("content/index.md~")));
        assert!(!is_source(Path::new("public/index.html")));
    }
}
