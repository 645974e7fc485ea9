//! Write: puts an [`Output`] on disk atomically, in a folder soapbox owns.
//!
//! The whole site is written into a spare folder beside the output folder, then the two trade
//! places in one atomic exchange (`renameat2(RENAME_EXCHANGE)` on Linux). If anything fails,
//! the previous output is left exactly as it was, and a reader never finds a page missing: a
//! path names the old file or the new one at every moment. The spare is then the build before
//! last, so the next build writes only what changed since; until there is one, what the live
//! output already holds is hard-linked from it. Share images that stay in the cache are hard
//! links to their entries where the file system allows, so that one already in place is known
//! by its inode without being read; elsewhere they are compared with their entries and copied
//! file to file.
//!
//! Where the kernel or file system cannot exchange (`EINVAL`, `ENOSYS`, `EOPNOTSUPP`, or a
//! system other than Linux), the swap falls back to three renames through
//! `.NAME.soapbox-swap-PID`. A kill between them leaves the old site in that folder and none
//! at the output path for a moment; the next build puts it back before it does anything else.
//!
//! **Own only what you made.** Every tree soapbox writes holds a manifest, [`MANIFEST`]: the
//! files it wrote there. soapbox writes into an output folder only when it is absent, empty,
//! or its own (it holds a manifest, or is an output of soapbox before manifests: a `_headers`
//! soapbox wrote, or a spare beside it); anything else is refused before a byte is written.
//! It deletes only files a manifest lists (in an output without one, everything, as before):
//! a file or folder placed in the output by hand, such as `CNAME` or `.git`, makes the build
//! stop and name it, so that nothing of it is lost, neither in the live folder nor later in the
//! spare. The manifest lives inside the tree, not beside it, because the exchange then swaps
//! it with the tree: at every moment each tree's manifest describes that tree, whatever was
//! killed when. It is published with the site; it names only the site's own files.
//!
//! A build killed at any moment leaves a whole old or new site. What it leaves beside the
//! output (a half-updated spare, which its manifest still covers; `staging-PID` or `swap-PID`
//! folders of a process that is gone) is reused or cleaned by the next build that holds the
//! lock.

use crate::error::{Error, Result};
use crate::output::{file_id, Output, Stored};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The manifest's name inside each tree soapbox writes: the files it wrote there.
pub const MANIFEST: &str = ".soapbox-manifest";

/// The manifest's first line, which tells it from a file of the same name that soapbox did
/// not write.
const MANIFEST_HEAD: &str = "# soapbox output manifest 1: the files soapbox wrote here, one a line. It removes only these.";

/// The start of the `_headers` every soapbox build before manifests wrote.
const HEADERS_HEAD: &str = "# Written by soapbox build.";

/// How many names of files soapbox did not write an error shows at most.
const SHOWN: usize = 8;

/// Refuses output folders that would replace the sources (the site root itself, a folder that
/// contains it, or one inside `content/`, `templates/` or `static/`), and output paths that
/// soapbox may not own: a symlink, a file, or a folder of someone else's files.
pub fn check_out_dir(root: &Path, out: &Path) -> Result<()> {
    let root = fs::canonicalize(root).map_err(|e| Error::io("open the site folder", root, e))?;
    let out_abs = absolute(out)?;
    let unsafe_place = root.starts_with(&out_abs) || ["content", "templates", "static"].iter().any(|d| out_abs.starts_with(root.join(d)));
    if unsafe_place {
        return Err(Error::new(format!("refusing to write the site into `{}`: it would replace your source files", out.display()))
            .hint("choose an output folder of its own, such as `public`"));
    }
    owner(out).map(drop)
}

/// `path` made absolute, resolving symlinks in the part of it that exists.
fn absolute(path: &Path) -> Result<PathBuf> {
    let joined = if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().map_err(|e| Error::io("find", Path::new("."), e))?.join(path) };
    let mut existing = joined.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut resolved = fs::canonicalize(existing).unwrap_or_else(|_| existing.to_path_buf());
    for name in rest.into_iter().rev() {
        if name == ".." {
            resolved.pop();
        } else if name != "." {
            resolved.push(name);
        }
    }
    Ok(resolved)
}

/// The folder beside `out` that holds the build before last, kept to be reused.
pub fn spare_dir(out: &Path) -> PathBuf {
    beside(out, "spare")
}

/// `.NAME.soapbox-ROLE` beside the output folder `out` (named NAME): where the build keeps
/// its spare, its lock, and the folders it swaps.
fn beside(out: &Path, role: &str) -> PathBuf {
    out.with_file_name(format!(".{}.soapbox-{role}", out_name(out)))
}

fn out_name(out: &Path) -> String {
    out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into())
}

/// What soapbox wrote into a tree, as far as it can tell: the files its manifest lists, or
/// everything, in a tree it made before it kept manifests.
struct Written {
    files: HashSet<String>,
    folders: HashSet<String>,
    everything: bool,
}

impl Written {
    fn everything() -> Written {
        Written { files: HashSet::new(), folders: HashSet::new(), everything: true }
    }

    fn listed(files: HashSet<String>) -> Written {
        let mut folders = HashSet::new();
        for path in &files {
            let mut at: &str = path;
            while let Some(cut) = at.rfind('/') {
                at = &at[..cut];
                if !folders.insert(at.to_string()) {
                    break;
                }
            }
        }
        Written { files, folders, everything: false }
    }

    /// Whether the plain file at `path` is soapbox's.
    fn file(&self, path: &str) -> bool {
        self.everything || self.files.contains(path) || is_manifest(path)
    }

    /// Whether the folder at `path` is one soapbox made for its files.
    fn folder(&self, path: &str) -> bool {
        self.everything || self.folders.contains(path)
    }
}

/// The manifest, or what is left of writing one.
fn is_manifest(path: &str) -> bool {
    path == MANIFEST || path.strip_prefix(MANIFEST).is_some_and(|rest| rest.starts_with('.') && rest.ends_with(".tmp"))
}

/// The manifest of the tree `dir`, if it has one soapbox wrote.
fn read_manifest(dir: &Path) -> Option<Written> {
    let text = fs::read_to_string(dir.join(MANIFEST)).ok()?;
    let mut lines = text.lines();
    (lines.next() == Some(MANIFEST_HEAD)).then(|| Written::listed(lines.map(str::to_string).collect()))
}

/// Writes the manifest of the tree `dir`: `paths`, whole or not at all.
fn write_manifest<'a>(dir: &Path, paths: impl Iterator<Item = &'a str>) -> Result<()> {
    let mut paths: Vec<&str> = paths.collect();
    paths.sort_unstable();
    paths.dedup();
    let mut text = String::with_capacity(paths.iter().map(|p| p.len() + 1).sum::<usize>() + MANIFEST_HEAD.len() + 1);
    text.push_str(MANIFEST_HEAD);
    for path in paths {
        text.push('\n');
        text.push_str(path);
    }
    text.push('\n');
    let temporary = dir.join(format!("{MANIFEST}.{}.tmp", std::process::id()));
    let path = dir.join(MANIFEST);
    step(&temporary).and_then(|()| fs::write(&temporary, text)).map_err(|e| Error::io("write", &temporary, e))?;
    step(&path).and_then(|()| fs::rename(&temporary, &path)).map_err(|e| Error::io("write", &path, e))
}

/// Whose the output folder `out` is: `None` when there is none yet; what soapbox wrote there
/// when it is soapbox's own (or empty). Anything else is refused, with what to do instead.
fn owner(out: &Path) -> Result<Option<Written>> {
    let found = match fs::symlink_metadata(out) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io("look at the output folder", out, e)),
        Ok(found) => found,
    };
    if found.file_type().is_symlink() {
        let hint = match fs::canonicalize(out) {
            Ok(real) => format!(
                "soapbox replaces the output folder whole on every build, which would replace the link with a folder; point it at the real folder instead: `--out {}`",
                real.display()
            ),
            Err(_) => "the link leads to nothing; remove it, or give --out a real folder".to_string(),
        };
        return Err(Error::new(format!("refusing to write the site to `{}`: it is a symbolic link, not a folder", out.display())).hint(hint));
    }
    if !found.is_dir() {
        return Err(Error::new(format!("refusing to write the site to `{}`: it is a file, not a folder", out.display()))
            .hint("soapbox never replaces a file; choose an output folder that does not exist yet, such as `public`"));
    }
    if let Some(written) = read_manifest(out) {
        return Ok(Some(written));
    }
    let headers = fs::read(out.join("_headers")).unwrap_or_default();
    if headers.starts_with(HEADERS_HEAD.as_bytes()) || fs::symlink_metadata(spare_dir(out)).is_ok_and(|m| m.is_dir()) {
        return Ok(Some(Written::everything()));
    }
    let first = fs::read_dir(out).map_err(|e| Error::io("read", out, e))?.flatten().next();
    match first {
        None => Ok(Some(Written::listed(HashSet::new()))),
        Some(entry) => Err(Error::new(format!(
            "refusing to write the site into `{}`: it already holds files that soapbox did not write, such as `{}`",
            out.display(),
            entry.file_name().to_string_lossy()
        ))
        .hint("soapbox writes only into an empty folder or one it made itself; nothing was changed. Choose another --out folder, such as `public`, or empty this one first if it is meant for the site")),
    }
}

/// The files and folders under `dir` that soapbox did not write (folders end in `/`), sorted.
/// Symlinks are reported, never followed.
fn strangers(dir: &Path, prefix: &str, written: &Written) -> Result<Vec<String>> {
    if written.everything {
        return Ok(Vec::new());
    }
    let here = dir.join(prefix);
    let entries = fs::read_dir(&here).and_then(|entries| entries.collect::<io::Result<Vec<_>>>()).map_err(|e| Error::io("read", &here, e))?;
    let mut found = entries
        .into_par_iter()
        .map(|entry| {
            let path = join(prefix, &entry.file_name().to_string_lossy());
            let kind = entry.file_type().map_err(|e| Error::io("read", &entry.path(), e))?;
            Ok(if kind.is_dir() && written.folder(&path) {
                strangers(dir, &path, written)?
            } else if kind.is_dir() {
                vec![format!("{path}/")]
            } else if (kind.is_file() || kind.is_symlink()) && written.file(&path) {
                // A link at a path soapbox writes is replaced, never followed: it holds nothing.
                Vec::new()
            } else {
                vec![path]
            })
        })
        .try_reduce(Vec::new, |mut a, b| {
            a.extend(b);
            Ok(a)
        })?;
    found.sort();
    Ok(found)
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}/{name}")
    }
}

/// The error for a tree soapbox would change that holds files it did not write.
fn holds_strangers(tree: &Path, strangers: &[String], spare: bool) -> Error {
    let mut names: Vec<String> = strangers.iter().take(SHOWN).map(|s| format!("`{s}`")).collect();
    if strangers.len() > SHOWN {
        names.push(format!("and {} more", strangers.len() - SHOWN));
    }
    let why = if spare {
        "it keeps the build before last, to make the next build faster, and soapbox deletes only the files it wrote there"
    } else {
        "soapbox replaces this folder on every build and deletes only the files it wrote there"
    };
    let hint = if spare {
        format!("nothing of them was changed. Move them somewhere else, or delete the folder `{}` if you do not need them", tree.display())
    } else {
        "nothing was changed. Move them into `static/` (its files are copied into every build), or out of this folder".to_string()
    };
    Error::new(format!("`{}` holds files that soapbox did not write: {}; {why}", tree.display(), names.join(", "))).hint(hint)
}

/// A file-system step of the write stage. Tests make one of them fail or stop (see `faults`).
#[cfg(not(test))]
#[inline(always)]
fn step(_path: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
use faults::step;

/// Writes `output` to `out`, replacing what was there only once everything is written.
///
/// The new tree is made in the spare folder: the build before last, swapped out by the
/// previous build and kept for this. Only the files that differ from it are written and only
/// the folders it lacks are made, so a build that changed a page touches one file, not ten
/// thousand; creating and deleting many folders is the slowest thing a file system does.
/// Then the spare and `out` trade places. A build that finds another one writing to the same
/// place (a lock file beside `out` names it) leaves the spare alone and writes a fresh folder
/// of its own instead.
pub fn write(output: &Output, out: &Path) -> Result<()> {
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    step(parent).and_then(|()| fs::create_dir_all(parent)).map_err(|e| Error::io("create", parent, e))?;
    let pid = std::process::id();
    let lock = Lock::take(&beside(out, "lock"));
    if lock.is_some() {
        recover_leftovers(out);
    }
    let live = owner(out)?;
    if let Some(written) = &live {
        let strangers = strangers(out, "", written)?;
        if !strangers.is_empty() {
            return Err(holds_strangers(out, &strangers, false));
        }
    }
    let tree = if lock.is_some() { spare_dir(out) } else { beside(out, &format!("staging-{pid}")) };
    make_tree(output, &tree, live.is_some().then_some(out))?;
    if live.is_some() {
        match exchange(&tree, out) {
            Ok(()) => {}
            Err(e) if cannot_exchange(&e) => swap_by_renames(&tree, out, pid)?,
            Err(e) => {
                if lock.is_none() {
                    let _ = clear_tree(&tree);
                }
                return Err(Error::io("put the new output in place at", out, e));
            }
        }
    } else if let Err(e) = step(out).and_then(|()| fs::rename(&tree, out)) {
        if lock.is_none() {
            let _ = clear_tree(&tree);
        }
        return Err(Error::io("put the new output in place at", out, e));
    }
    // `tree` now holds the previous output: with the lock, that is the next build's spare,
    // unless it holds files this output dropped (a page deleted, or held back or taken down
    // at the build's moment): what was taken off the site must not stay beside it.
    let dropped = || {
        live.as_ref().is_some_and(|w| w.everything || w.files.iter().any(|p| !output.files.contains_key(p.as_str()) && !output.stored.contains_key(p.as_str())))
    };
    if lock.is_none() || dropped() {
        let _ = clear_tree(&tree);
    }
    Ok(())
}

/// Exchanges the folders `a` and `b` in one step.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    step(b)?;
    #[cfg(test)]
    if faults::no_exchange(b) {
        return Err(io::Error::from_raw_os_error(rustix::io::Errno::INVAL.raw_os_error()));
    }
    rustix::fs::renameat_with(rustix::fs::CWD, a, rustix::fs::CWD, b, rustix::fs::RenameFlags::EXCHANGE).map_err(io::Error::from)
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

/// Whether `e` says that this kernel or file system cannot exchange two folders, rather than
/// that something is wrong with them.
fn cannot_exchange(e: &io::Error) -> bool {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        use rustix::io::Errno;
        if [Errno::INVAL, Errno::NOSYS, Errno::OPNOTSUPP].iter().any(|n| e.raw_os_error() == Some(n.raw_os_error())) {
            return true;
        }
    }
    e.kind() == io::ErrorKind::Unsupported
}

/// The fallback swap: the output moves aside, the new tree takes its place, and the old output
/// takes the new tree's. A kill between the first two renames is undone by the next build.
fn swap_by_renames(tree: &Path, out: &Path, pid: u32) -> Result<()> {
    let aside = beside(out, &format!("swap-{pid}"));
    step(out).and_then(|()| fs::rename(out, &aside)).map_err(|e| Error::io("move aside the previous output", out, e))?;
    if let Err(e) = step(tree).and_then(|()| fs::rename(tree, out)) {
        let _ = fs::rename(&aside, out);
        return Err(Error::io("put the new output in place at", out, e));
    }
    if step(&aside).and_then(|()| fs::rename(&aside, tree)).is_err() {
        let _ = clear_tree(&aside);
    }
    Ok(())
}

/// Folders that builds killed before they finished left beside `out`: a swapped-out output
/// goes back in place (or becomes the spare), and half-written trees are cleared. Only called
/// by the build that holds the lock, so that a folder named after this process is no longer in
/// use either.
fn recover_leftovers(out: &Path) {
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let prefix = format!(".{}.soapbox-", out_name(out));
    let Ok(entries) = fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(&prefix) else { continue };
        let (swapped, pid) = match (rest.strip_prefix("swap-"), rest.strip_prefix("staging-")) {
            (Some(pid), _) => (true, pid),
            (_, Some(pid)) => (false, pid),
            _ => continue,
        };
        let Ok(pid) = pid.parse::<u32>() else { continue };
        if !Lock::gone(pid) && pid != std::process::id() {
            continue;
        }
        let path = entry.path();
        if swapped && fs::symlink_metadata(out).is_err() {
            let _ = step(out).and_then(|()| fs::rename(&path, out));
        } else if swapped && fs::symlink_metadata(spare_dir(out)).is_err() {
            let _ = step(&path).and_then(|()| fs::rename(&path, spare_dir(out)));
        } else {
            let _ = clear_tree(&path);
        }
    }
}

/// Makes `tree` hold exactly `output` (and its manifest): updated in place when it is a tree
/// soapbox can reuse, otherwise made afresh. A tree that holds files soapbox did not write is
/// left alone and the build refused.
fn make_tree(output: &Output, tree: &Path, live: Option<&Path>) -> Result<()> {
    let failed = match update_tree(output, tree, live) {
        Ok(()) => return Ok(()),
        Err(Fault::Strangers(strangers)) => return Err(holds_strangers(tree, &strangers, true)),
        Err(Fault::Failed(e)) => e,
    };
    // A damaged or half-made tree: start again from nothing, where it can be cleared.
    let cleared = clear_tree(tree);
    let again = cleared.is_ok().then(|| update_tree(output, tree, live));
    match again {
        Some(Ok(())) => Ok(()),
        Some(Err(Fault::Strangers(strangers))) => Err(holds_strangers(tree, &strangers, true)),
        Some(Err(Fault::Failed(e))) => {
            let _ = clear_tree(tree);
            Err(e.hint(unusable(tree)))
        }
        None => Err(failed.hint(unusable(tree))),
    }
}

/// What to do about a folder beside the output that soapbox cannot change.
fn unusable(tree: &Path) -> String {
    let parent = tree.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    format!(
        "soapbox writes the new site into `{}` before it swaps it in. Make it writable (`chmod -R u+w {}`) or delete it: it holds only an earlier build, never your sources. Its folder `{}` must be writable too",
        tree.display(),
        tree.display(),
        parent.display()
    )
}

/// Why a tree could not be made.
enum Fault {
    /// Files soapbox did not write, which it will not delete.
    Strangers(Vec<String>),
    Failed(Error),
}

impl From<Error> for Fault {
    fn from(e: Error) -> Fault {
        Fault::Failed(e)
    }
}

/// Removes the tree at `path`: a file or link that stands at a name soapbox keeps for itself,
/// or a folder of which only the files its manifest lists are removed. Fails, keeping them,
/// when it holds anything else.
fn clear_tree(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
        Ok(found) if !found.is_dir() => step(path).and_then(|()| fs::remove_file(path)),
        Ok(_) => {
            let written = read_manifest(path).unwrap_or_else(Written::everything);
            let kept = clear(path, "", &written).map_err(|e| io::Error::other(e.to_string()))?;
            if !kept.is_empty() {
                return Err(io::Error::other(format!("it holds files soapbox did not write: {}", kept.join(", "))));
            }
            step(path).and_then(|()| fs::remove_dir(path))
        }
    }
}

/// Removes what soapbox wrote under `dir/prefix`, and each folder it empties, and gives what it
/// kept: files it did not write. Symlinks are removed, never followed: they hold nothing.
fn clear(dir: &Path, prefix: &str, written: &Written) -> Result<Vec<String>> {
    let here = dir.join(prefix);
    let entries = fs::read_dir(&here).and_then(|entries| entries.collect::<io::Result<Vec<_>>>()).map_err(|e| Error::io("read", &here, e))?;
    let mut kept = Vec::new();
    for entry in entries {
        let path = join(prefix, &entry.file_name().to_string_lossy());
        let kind = entry.file_type().map_err(|e| Error::io("read", &entry.path(), e))?;
        let full = entry.path();
        if kind.is_dir() && written.folder(&path) {
            let inner = clear(dir, &path, written)?;
            if inner.is_empty() {
                step(&full).and_then(|()| fs::remove_dir(&full)).map_err(|e| Error::io("remove", &full, e))?;
            }
            kept.extend(inner);
        } else if kind.is_dir() {
            kept.push(format!("{path}/"));
        } else if kind.is_symlink() || (kind.is_file() && written.file(&path)) || written.everything {
            step(&full).and_then(|()| fs::remove_file(&full)).map_err(|e| Error::io("remove", &full, e))?;
        } else {
            kept.push(path);
        }
    }
    Ok(kept)
}

/// A lock file naming the process that writes an output folder, removed when dropped.
struct Lock(PathBuf);

impl Lock {
    /// The lock at `path`, unless a running process holds it. A lock left by a process that
    /// is gone (on Linux, where that can be seen) is taken over.
    fn take(path: &Path) -> Option<Lock> {
        for _ in 0..2 {
            match fs::OpenOptions::new().write(true).create_new(true).open(path) {
                Ok(mut file) => {
                    use std::io::Write as _;
                    let _ = write!(file, "{}", std::process::id());
                    return Some(Lock(path.to_path_buf()));
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    let holder = fs::read_to_string(path).ok().and_then(|t| t.trim().parse::<u32>().ok());
                    if !holder.is_some_and(Lock::gone) {
                        return None;
                    }
                    let _ = fs::remove_file(path);
                }
                Err(_) => return None,
            }
        }
        None
    }

    /// Whether the process `pid` is known to be gone (on Linux, where that can be seen).
    fn gone(pid: u32) -> bool {
        Path::new("/proc/self").exists() && !Path::new(&format!("/proc/{pid}")).exists()
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

/// Makes the folder `dir` hold exactly `output` and its manifest: removes what `output` lacks
/// (of what soapbox wrote there), makes the folders it needs, and writes each file whose bytes
/// differ.
///
/// A file that `live` (the output being served) already holds is hard-linked from there
/// instead of written. That makes the build after a first one cheap too, when there is no
/// spare yet: otherwise it would write all 200 MB of a large site again. Since the two trees
/// then share files, a file is never written in place: it is removed and made anew, so the
/// live output cannot change under a reader.
///
/// The manifest is written first, listing what the tree held and will hold, so that a build
/// killed halfway leaves no file unlisted; once the tree is whole it lists exactly `output`.
fn update_tree(output: &Output, dir: &Path, live: Option<&Path>) -> std::result::Result<(), Fault> {
    // A folder made just now holds nothing: there is nothing in it to prune, compare or
    // replace, which saves a failed open and a failed unlink a file on the build after a first
    // build.
    let fresh = match step(dir).and_then(|()| fs::create_dir(dir)) {
        Ok(()) => true,
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => false,
        Err(e) => return Err(Error::io("create", dir, e).into()),
    };
    let paths = || output.files.keys().chain(output.stored.keys()).map(|p| &**p);
    // A tree without a manifest at a name soapbox keeps for itself is one it made before it
    // kept manifests: all of it is soapbox's.
    let written = if fresh { Written::listed(HashSet::new()) } else { read_manifest(dir).unwrap_or_else(Written::everything) };
    // A tree without a manifest gets one only once it is pruned: until then, all of it is
    // still soapbox's to remove.
    if !written.everything {
        write_manifest(dir, paths().chain(written.files.iter().map(|p| p.as_str())))?;
    }
    let mut folders: BTreeSet<&str> = BTreeSet::new();
    for path in paths() {
        let mut at: &str = path;
        while let Some(cut) = at.rfind('/') {
            at = &at[..cut];
            if !folders.insert(at) {
                break;
            }
        }
    }
    // The folders already there, as pruning finds them: they need not be looked up again.
    let kept: HashSet<String> = if fresh {
        HashSet::new()
    } else {
        let (kept, strangers) = prune(dir, "", output, &folders, &written)?;
        if !strangers.is_empty() {
            let mut strangers = strangers;
            strangers.sort();
            return Err(Fault::Strangers(strangers));
        }
        kept.into_iter().collect()
    };
    if written.everything {
        write_manifest(dir, paths())?;
    }
    // In order, so that each folder's parent is made before it.
    for folder in folders.iter().filter(|f| !kept.contains(**f)) {
        let full = dir.join(folder);
        let made = step(&full).and_then(|()| if fresh { fs::create_dir(&full) } else { fs::create_dir_all(&full) });
        made.map_err(|e| Error::io("create", &full, e))?;
    }
    let in_memory = output.files.par_iter().map(|(path, bytes)| (path, Content::Bytes(bytes)));
    let on_disk = output.stored.par_iter().map(|(path, stored)| (path, Content::Stored(stored)));
    in_memory.chain(on_disk).try_for_each(|(path, content)| {
        let full = dir.join(&**path);
        if !fresh {
            if content.is_in(&full) {
                return Ok(());
            }
            match step(&full).and_then(|()| fs::remove_file(&full)) {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(Error::io("replace", &full, e)),
                _ => {}
            }
        }
        if let Some(live) = live {
            let same = live.join(&**path);
            let plain = fs::symlink_metadata(&same).is_ok_and(|m| m.is_file());
            if plain && content.is_in(&same) && step(&full).and_then(|()| fs::hard_link(&same, &full)).is_ok() {
                return Ok(());
            }
        }
        content.write(&full)
    })?;
    write_manifest(dir, paths())?;
    Ok(())
}

/// What a file of the output holds: bytes in memory, or a cache entry.
#[derive(Clone, Copy)]
enum Content<'a> {
    Bytes(&'a [u8]),
    Stored(&'a Stored),
}

impl Content<'_> {
    /// Whether the file at `path` holds exactly this.
    fn is_in(self, path: &Path) -> bool {
        match self {
            Content::Bytes(bytes) => holds(path, bytes),
            Content::Stored(stored) => match fs::symlink_metadata(path) {
                // The entry itself, linked here by an earlier build: nothing to read.
                Ok(found) if found.is_file() && stored.id.is_some() && file_id(&found) == stored.id => found.len() == stored.len,
                // On the cache's file system a link is cheaper than a compare; elsewhere the
                // bytes are compared, which saves a copy.
                Ok(found) if found.is_file() && !same_device(&found, stored) => holds_entry(path, stored),
                _ => false,
            },
        }
    }

    /// Writes this as a new file at `path`. A cache entry is hard-linked, or copied file to
    /// file where the file system cannot link it.
    fn write(self, path: &Path) -> Result<()> {
        match self {
            Content::Bytes(bytes) => step(path).and_then(|()| fs::write(path, bytes)).map_err(|e| Error::io("write", path, e)),
            Content::Stored(stored) => {
                use std::io::Read;
                step(path).map_err(|e| Error::io("write", path, e))?;
                if fs::hard_link(&stored.path, path).is_ok() {
                    return Ok(());
                }
                let gone =
                    |e| Error::io("copy the cached image", &stored.path, e).hint("another build of this site may have pruned the cache meanwhile; build again");
                let mut from = fs::File::open(&stored.path).map_err(gone)?.take(stored.len);
                let mut to = fs::File::create(path).map_err(|e| Error::io("write", path, e))?;
                let copied = std::io::copy(&mut from, &mut to).map_err(|e| Error::io("write", path, e))?;
                if copied != stored.len {
                    return Err(gone(std::io::Error::from(std::io::ErrorKind::UnexpectedEof)));
                }
                Ok(())
            }
        }
    }
}

/// Whether `found` is on the file system of the cache entry `stored`, where it can be linked.
fn same_device(found: &fs::Metadata, stored: &Stored) -> bool {
    matches!((file_id(found), stored.id), (Some((a, _)), Some((b, _))) if a == b)
}

/// Whether the file at `path` holds exactly `bytes`.
fn holds(path: &Path, bytes: &[u8]) -> bool {
    file_matches(path, bytes.len() as u64, |at, piece| bytes[at..at + piece.len()] == *piece)
}

/// Whether the file at `path` holds exactly the `stored.len` bytes of the cache entry at
/// `stored.path`: both read in pieces, side by side.
fn holds_entry(path: &Path, stored: &Stored) -> bool {
    use std::io::Read;
    thread_local! {
        static OTHER: std::cell::RefCell<Vec<u8>> = std::cell::RefCell::new(vec![0; PIECE]);
    }
    let mut entry = None;
    OTHER.with_borrow_mut(|other| {
        file_matches(path, stored.len, |_, piece| {
            let entry = entry.get_or_insert_with(|| fs::File::open(&stored.path));
            let other = &mut other[..piece.len()];
            entry.as_mut().is_ok_and(|entry| entry.read_exact(other).is_ok()) && *other == *piece
        })
    })
}

/// How much of a file is compared at a time.
const PIECE: usize = 64 * 1024;

/// Whether the file at `path` is `len` bytes long and `same(offset, piece)` for each piece
/// of it in turn. Read into one buffer per thread, so that comparing a site of 200 MB
/// allocates nothing, and no further than its length, which is checked first.
fn file_matches(path: &Path, len: u64, mut same: impl FnMut(usize, &[u8]) -> bool) -> bool {
    use std::io::Read;
    thread_local! {
        static BUFFER: std::cell::RefCell<Vec<u8>> = std::cell::RefCell::new(vec![0; PIECE]);
    }
    let Ok(mut file) = fs::File::open(path) else { return false };
    if !file.metadata().is_ok_and(|m| m.is_file() && m.len() == len) {
        return false;
    }
    let Ok(len) = usize::try_from(len) else { return false };
    BUFFER.with_borrow_mut(|buffer| {
        let mut at = 0;
        while at < len {
            let piece = &mut buffer[..PIECE.min(len - at)];
            if file.read_exact(piece).is_err() || !same(at, piece) {
                return false;
            }
            at += piece.len();
        }
        true
    })
}

/// Removes everything under `dir/prefix` that soapbox wrote (as `written` says) and that is
/// neither a file of `output` nor one of its `folders`, and gives the folders it kept and the
/// files it did not write, which it leaves alone. Symlinks are removed, never followed: they
/// hold nothing. Folders are read in parallel: a large site has one for every page.
fn prune(dir: &Path, prefix: &str, output: &Output, folders: &BTreeSet<&str>, written: &Written) -> Result<(Vec<String>, Vec<String>)> {
    let here = dir.join(prefix);
    let entries = fs::read_dir(&here).and_then(|entries| entries.collect::<io::Result<Vec<_>>>()).map_err(|e| Error::io("read", &here, e))?;
    entries
        .into_par_iter()
        .map(|entry| {
            let path = join(prefix, &entry.file_name().to_string_lossy());
            let kind = entry.file_type().map_err(|e| Error::io("read", &entry.path(), e))?;
            let full = entry.path();
            if kind.is_dir() && folders.contains(path.as_str()) {
                let (mut kept, strangers) = prune(dir, &path, output, folders, written)?;
                kept.push(path);
                return Ok((kept, strangers));
            }
            if path == MANIFEST || (kind.is_file() && (output.files.contains_key(path.as_str()) || output.stored.contains_key(path.as_str()))) {
                return Ok((Vec::new(), Vec::new()));
            }
            if kind.is_dir() {
                if !written.folder(&path) {
                    return Ok((Vec::new(), vec![format!("{path}/")]));
                }
                let strangers = clear(dir, &path, written)?;
                if strangers.is_empty() {
                    step(&full).and_then(|()| fs::remove_dir(&full)).map_err(|e| Error::io("remove", &full, e))?;
                }
                return Ok((Vec::new(), strangers));
            }
            if kind.is_symlink() || (kind.is_file() && written.file(&path)) || written.everything {
                step(&full).and_then(|()| fs::remove_file(&full)).map_err(|e| Error::io("remove", &full, e))?;
                return Ok((Vec::new(), Vec::new()));
            }
            Ok((Vec::new(), vec![path]))
        })
        .try_reduce(
            || (Vec::new(), Vec::new()),
            |mut a, b| {
                a.0.extend(b.0);
                a.1.extend(b.1);
                Ok(a)
            },
        )
}

/// Test-only faults: the step a count reaches under a folder fails, or stops the build as a
/// kill would (a panic, which leaves on disk what a kill leaves). Armed per folder, so that
/// tests running side by side do not trip each other.
#[cfg(test)]
pub(crate) mod faults {
    use std::io;
    use std::path::{Path, PathBuf};
    use std::sync::Mutex;

    #[derive(Clone, Copy, PartialEq, Eq, Debug)]
    pub enum Fault {
        /// The step fails.
        Fail,
        /// The build stops there.
        Stop,
        /// The step and every one after it fails, as in a read-only folder.
        Deny,
    }

    struct Armed {
        root: PathBuf,
        left: Option<usize>,
        fault: Fault,
        fired: bool,
        no_exchange: bool,
    }

    static ARMED: Mutex<Vec<Armed>> = Mutex::new(Vec::new());

    fn armed() -> std::sync::MutexGuard<'static, Vec<Armed>> {
        ARMED.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Makes step `n` (from 0) under `root` fail or stop; `None` counts steps only.
    pub fn arm(root: &Path, n: Option<usize>, fault: Fault, no_exchange: bool) {
        armed().push(Armed { root: root.to_path_buf(), left: n, fault, fired: false, no_exchange });
    }

    /// Disarms `root`, telling whether its fault fired.
    pub fn disarm(root: &Path) -> bool {
        let mut armed = armed();
        let fired = armed.iter().any(|a| a.root == root && a.fired);
        armed.retain(|a| a.root != root);
        fired
    }

    pub fn no_exchange(path: &Path) -> bool {
        armed().iter().any(|a| path.starts_with(&a.root) && a.no_exchange)
    }

    pub fn step(path: &Path) -> io::Result<()> {
        let mut armed = armed();
        let Some(a) = armed.iter_mut().find(|a| path.starts_with(&a.root)) else { return Ok(()) };
        match a.left {
            Some(0) if a.fault == Fault::Deny => {
                a.fired = true;
                Err(io::ErrorKind::PermissionDenied.into())
            }
            Some(0) if !a.fired => {
                a.fired = true;
                let fault = a.fault;
                drop(armed);
                match fault {
                    Fault::Stop => std::panic::resume_unwind(Box::new("injected stop")),
                    _ => Err(io::Error::other("injected failure")),
                }
            }
            Some(ref mut n) if !a.fired => {
                *n -= 1;
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_holds_exactly_its_bytes_or_not() {
        let dir = tempfile::tempdir().unwrap();
        let big: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let path = dir.path().join("big");
        fs::write(&path, &big).unwrap();
        assert!(holds(&path, &big));
        let mut changed = big.clone();
        *changed.last_mut().unwrap() ^= 1;
        assert!(!holds(&path, &changed), "the last byte differs, past the first buffer");
        assert!(!holds(&path, &big[..big.len() - 1]), "one byte shorter");
        assert!(!holds(&dir.path().join("missing"), b""));
        assert!(!holds(dir.path(), b""), "a folder holds no bytes");
        fs::write(&path, b"").unwrap();
        assert!(holds(&path, b""));
    }

    #[test]
    fn refuses_to_write_over_sources() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("content")).unwrap();
        assert!(check_out_dir(root, root).is_err());
        assert!(check_out_dir(root, &root.join("content")).is_err());
        assert!(check_out_dir(root, &root.join("content/x/..")).is_err());
        assert!(check_out_dir(root, root.parent().unwrap()).is_err());
        assert!(check_out_dir(root, &root.join("public")).is_ok());
    }

    #[test]
    fn swaps_in_a_complete_tree() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut stale = Output::default();
        std::sync::Arc::make_mut(&mut stale.files).insert("stale.html".into(), std::sync::Arc::new(b"old".to_vec()));
        write(&stale, &out).unwrap();
        let mut output = Output::default();
        std::sync::Arc::make_mut(&mut output.files).insert("a/index.html".into(), std::sync::Arc::new(b"new".to_vec()));
        write(&output, &out).unwrap();
        assert_eq!(fs::read(out.join("a/index.html")).unwrap(), b"new");
        assert!(!out.join("stale.html").exists());
        let mut leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        leftovers.sort();
        // The previous output held a file this one dropped, so it is not kept as the spare.
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
        write(&output, &out).unwrap();
        let mut leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        leftovers.sort();
        assert_eq!(leftovers, vec![std::ffi::OsString::from(".public.soapbox-spare"), std::ffi::OsString::from("public")]);
    }

    /// A cache entry at `dir/name` holding `image`, as the cache names one it has checked.
    fn entry(dir: &Path, name: &str, image: &[u8]) -> Stored {
        let path = dir.join(name);
        fs::write(&path, image).unwrap();
        Stored { id: file_id(&fs::metadata(&path).unwrap()), path, len: image.len() as u64 }
    }

    fn with_image(stored: Stored) -> Output {
        let mut output = Output::default();
        std::sync::Arc::make_mut(&mut output.files).insert("index.html".into(), std::sync::Arc::new(b"home".to_vec()));
        output.stored.insert("figures/a.png".into(), stored);
        output
    }

    fn inode(path: &Path) -> u64 {
        use std::os::unix::fs::MetadataExt;
        fs::metadata(path).unwrap().ino()
    }

    #[test]
    fn cached_images_are_linked_to_their_entries_and_known_by_them() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let image = out.join("figures/a.png");
        let first = entry(dir.path(), "first", &vec![7; 100_000]);
        for _ in 0..3 {
            write(&with_image(first.clone()), &out).unwrap();
            assert_eq!(inode(&image), inode(&first.path), "the output image is the entry itself, in the live tree and the spare");
        }
        assert_eq!(inode(&spare_dir(&out).join("figures/a.png")), inode(&first.path));
        let mut changed = vec![7; 100_000];
        changed[99_999] = 8;
        let changed = entry(dir.path(), "changed", &changed);
        write(&with_image(changed.clone()), &out).unwrap();
        assert_eq!(inode(&image), inode(&changed.path), "another entry is linked in its place");
        assert_eq!(fs::read(&first.path).unwrap(), vec![7; 100_000], "the entry that was linked is never written through");
        // Without an inode to know it by, the image is compared, and kept when it matches.
        let unknown = Stored { id: None, ..changed.clone() };
        write(&with_image(unknown.clone()), &out).unwrap();
        write(&with_image(unknown.clone()), &out).unwrap();
        assert_eq!(inode(&image), inode(&changed.path), "kept, not linked again");
        assert!(!holds_entry(&image, &Stored { len: 99_999, ..unknown }), "a length that differs");
        let before = tree(&out);
        let gone = Stored { path: dir.path().join("pruned meanwhile"), len: 3, id: None };
        let err = write(&with_image(gone), &out).unwrap_err();
        assert!(err.to_string().contains("pruned meanwhile"), "{err}");
        assert_eq!(tree(&out), before, "the output is left as it was");
    }

    /// An output folder on another file system than the cache (here a tmpfs) cannot link to
    /// it: images are copied, then compared and kept like bytes.
    #[test]
    fn cached_images_on_another_file_system_are_copied_compared_and_kept() {
        let cache = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir_in("/dev/shm").unwrap();
        let first = entry(cache.path(), "first", &vec![7; 100_000]);
        let out = elsewhere.path().join("public");
        let image = out.join("figures/a.png");
        assert!(!same_device(&fs::metadata(elsewhere.path()).unwrap(), &first), "the test needs two file systems");
        write(&with_image(first.clone()), &out).unwrap();
        assert_eq!(fs::read(&image).unwrap(), vec![7; 100_000], "copied, past one buffer");
        write(&with_image(first.clone()), &out).unwrap();
        write(&with_image(first.clone()), &out).unwrap();
        let kept = inode(&image);
        write(&with_image(first.clone()), &out).unwrap();
        assert_eq!(inode(&image), kept, "an unchanged image is kept, not copied again");
        write(&with_image(entry(cache.path(), "shorter", b"png")), &out).unwrap();
        assert_eq!(fs::read(&image).unwrap(), b"png");
    }

    /// The site's files in `dir`, without soapbox's manifest.
    fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut files = Vec::new();
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.file_name().is_some_and(|n| n == MANIFEST) {
                continue;
            }
            if path.is_dir() {
                files.extend(tree(&path).into_iter().map(|(p, b)| (format!("{}/{p}", path.file_name().unwrap().to_string_lossy()), b)));
            } else {
                files.push((path.file_name().unwrap().to_string_lossy().into_owned(), fs::read(&path).unwrap()));
            }
        }
        files.sort();
        files
    }

    #[test]
    fn reuses_the_spare_and_writes_only_what_changed() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let site = |about: &str, extra: Option<&str>| {
            let mut output = Output::default();
            std::sync::Arc::make_mut(&mut output.files).insert("index.html".into(), std::sync::Arc::new(b"home".to_vec()));
            std::sync::Arc::make_mut(&mut output.files).insert("about/index.html".into(), std::sync::Arc::new(about.as_bytes().to_vec()));
            if let Some(path) = extra {
                std::sync::Arc::make_mut(&mut output.files).insert(path.into(), std::sync::Arc::new(b"x".to_vec()));
            }
            output
        };
        write(&site("one", Some("old/deep/index.html")), &out).unwrap();
        write(&site("two", Some("old/deep/index.html")), &out).unwrap();
        let home = fs::metadata(spare_dir(&out).join("index.html")).unwrap().ino();
        // Junk in the spare, including a symlink out of it, is removed and never followed.
        let outside = dir.path().join("outside.txt");
        fs::write(&outside, "keep me").unwrap();
        std::os::unix::fs::symlink(&outside, spare_dir(&out).join("link.html")).unwrap();
        write(&site("three", Some("new/index.html")), &out).unwrap();
        let expected = vec![
            ("about/index.html".to_string(), b"three".to_vec()),
            ("index.html".to_string(), b"home".to_vec()),
            ("new/index.html".to_string(), b"x".to_vec()),
        ];
        assert_eq!(tree(&out), expected, "exactly the new output, nothing left from two builds ago");
        assert_eq!(fs::metadata(out.join("index.html")).unwrap().ino(), home, "an unchanged file is kept, not rewritten");
        assert_eq!(fs::read_to_string(&outside).unwrap(), "keep me");
        // The third build took `old/deep` off the site: the second, which held it, is not kept.
        assert!(!spare_dir(&out).exists(), "nothing taken off the site stays beside it");
        write(&site("four", Some("new/index.html")), &out).unwrap();
        let spare = tree(&spare_dir(&out));
        assert_eq!(
            spare,
            vec![
                ("about/index.html".to_string(), b"three".to_vec()),
                ("index.html".to_string(), b"home".to_vec()),
                ("new/index.html".to_string(), b"x".to_vec())
            ]
        );
    }

    #[test]
    fn a_first_rebuild_links_what_is_unchanged_and_never_writes_through_a_link() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let site = |x: &str, y: &str| {
            let mut output = Output::default();
            let files = std::sync::Arc::make_mut(&mut output.files);
            files.insert("x.html".into(), std::sync::Arc::new(x.as_bytes().to_vec()));
            files.insert("a/y.html".into(), std::sync::Arc::new(y.as_bytes().to_vec()));
            files.insert("z.html".into(), std::sync::Arc::new(b"z".to_vec()));
            output
        };
        write(&site("a", "1"), &out).unwrap();
        let x = fs::metadata(out.join("x.html")).unwrap().ino();
        // A symlink in the live output, to a file that happens to hold the right bytes.
        let outside = dir.path().join("outside.html");
        fs::write(&outside, "z").unwrap();
        fs::remove_file(out.join("z.html")).unwrap();
        std::os::unix::fs::symlink(&outside, out.join("z.html")).unwrap();
        // No spare yet: what is unchanged is linked from the live output, not written again.
        write(&site("a", "2"), &out).unwrap();
        assert_eq!(fs::metadata(out.join("x.html")).unwrap().ino(), x, "linked, not copied");
        assert_eq!(fs::read(out.join("a/y.html")).unwrap(), b"2");
        assert!(fs::symlink_metadata(out.join("z.html")).unwrap().is_file(), "a symlink is never linked into the output");
        // The spare (the first output) shares x.html with the live one; changing it there
        // must leave the live file alone, so the build before stays exactly as it was.
        write(&site("b", "2"), &out).unwrap();
        assert_eq!(fs::read(out.join("x.html")).unwrap(), b"b");
        assert_eq!(fs::read(spare_dir(&out).join("x.html")).unwrap(), b"a");
        assert_eq!(fs::read(&outside).unwrap(), b"z");
    }

    #[test]
    fn a_build_that_finds_another_writing_leaves_the_spare_alone() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let site = |text: &str| {
            let mut output = Output::default();
            std::sync::Arc::make_mut(&mut output.files).insert("index.html".into(), std::sync::Arc::new(text.as_bytes().to_vec()));
            output
        };
        write(&site("one"), &out).unwrap();
        write(&site("two"), &out).unwrap();
        let spare = fs::read(spare_dir(&out).join("index.html")).unwrap();
        // Another build, still running (this process), holds the lock.
        let lock = dir.path().join(".public.soapbox-lock");
        fs::write(&lock, std::process::id().to_string()).unwrap();
        write(&site("three"), &out).unwrap();
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"three");
        assert_eq!(fs::read(spare_dir(&out).join("index.html")).unwrap(), spare, "the other build's spare is untouched");
        let mut names: Vec<String> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        assert_eq!(names, [".public.soapbox-lock", ".public.soapbox-spare", "public"], "no staging or swap folder left");
        // A lock left by a process that is gone is taken over, and released after.
        fs::write(&lock, "4294967295").unwrap();
        write(&site("four"), &out).unwrap();
        assert_eq!(fs::read(spare_dir(&out).join("index.html")).unwrap(), b"three");
        assert!(!lock.exists());
    }

    #[test]
    fn a_spare_that_is_a_file_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        fs::write(spare_dir(&out), "not a folder").unwrap();
        let mut output = Output::default();
        std::sync::Arc::make_mut(&mut output.files).insert("index.html".into(), std::sync::Arc::new(b"home".to_vec()));
        write(&output, &out).unwrap();
        assert_eq!(fs::read(out.join("index.html")).unwrap(), b"home");
    }

    /// A site of three pages, one of which only `text` "old" has and one only the others.
    fn versioned(text: &str) -> Output {
        let mut output = Output::default();
        let files = std::sync::Arc::make_mut(&mut output.files);
        files.insert("index.html".into(), std::sync::Arc::new(format!("home {text}").into_bytes()));
        files.insert("about/index.html".into(), std::sync::Arc::new(b"about".to_vec()));
        let only = if text == "old" { "gone/deep/index.html" } else { "fresh/index.html" };
        files.insert(only.into(), std::sync::Arc::new(text.as_bytes().to_vec()));
        output
    }

    fn site_files(out: &Path) -> Vec<(String, Vec<u8>)> {
        tree(out)
    }

    fn expected(output: &Output) -> Vec<(String, Vec<u8>)> {
        output.files.iter().map(|(p, b)| (p.to_string(), b.to_vec())).collect()
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    }

    /// A failure, or a stop as a kill would make it, at every file-system step of the write
    /// stage in turn, from each state an output can be in, with and without the exchange:
    /// the output is always the whole old site or the whole new one, and the next build
    /// leaves the new one with nothing orphaned beside it.
    #[test]
    fn case_5_a_fault_at_every_step_leaves_a_whole_site_and_nothing_orphaned() {
        use faults::Fault;
        let (old, new) = (versioned("old"), versioned("new"));
        for fault in [Fault::Fail, Fault::Stop] {
            for no_exchange in [false, true] {
                for builds_before in 0..3 {
                    for n in 0.. {
                        let dir = tempfile::tempdir().unwrap();
                        let out = dir.path().join("public");
                        for _ in 0..builds_before {
                            write(&old, &out).unwrap();
                        }
                        faults::arm(dir.path(), Some(n), fault, no_exchange);
                        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| write(&new, &out)));
                        let fired = faults::disarm(dir.path());
                        let case = format!("{fault:?} at step {n}, exchange {}, {builds_before} builds before", !no_exchange);
                        if !fired {
                            assert!(matches!(result, Ok(Ok(()))), "{case}");
                            assert_eq!(site_files(&out), expected(&new), "{case}");
                            assert!(n > 5, "{case}: the steps were counted");
                            break;
                        }
                        let found = out.exists().then(|| site_files(&out));
                        let whole = found.as_ref().is_some_and(|f| *f == expected(&old) || *f == expected(&new));
                        // Nothing yet to keep whole before a first build; the fallback's kill
                        // between its renames is the one moment without an output.
                        let allowed = found.is_none() && (builds_before == 0 || (no_exchange && fault == Fault::Stop));
                        assert!(whole || allowed, "{case}: {found:?}");
                        if found.is_some() && builds_before > 0 && matches!(result, Ok(Err(_))) {
                            assert_eq!(found, Some(expected(&old)), "{case}: a failed build changes nothing");
                        }
                        write(&new, &out).unwrap_or_else(|e| panic!("{case}: {e}"));
                        assert_eq!(site_files(&out), expected(&new), "{case}");
                        let mut listed: Vec<String> = fs::read_to_string(out.join(MANIFEST)).unwrap().lines().skip(1).map(str::to_string).collect();
                        listed.sort();
                        assert_eq!(listed, expected(&new).into_iter().map(|(p, _)| p).collect::<Vec<_>>(), "{case}");
                        let left = names(dir.path());
                        assert!(left.iter().all(|n| n == "public" || n == ".public.soapbox-spare"), "{case}: orphaned {left:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn case_5_a_reader_never_finds_a_page_missing_during_builds() {
        use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&versioned("0"), &out).unwrap();
        let (stop, reads, missing) = (AtomicBool::new(false), AtomicUsize::new(0), AtomicUsize::new(0));
        std::thread::scope(|scope| {
            scope.spawn(|| {
                while !stop.load(Ordering::Relaxed) {
                    if fs::read(out.join("index.html")).is_err() {
                        missing.fetch_add(1, Ordering::Relaxed);
                    }
                    reads.fetch_add(1, Ordering::Relaxed);
                }
            });
            for i in 1..40 {
                write(&versioned(&i.to_string()), &out).unwrap();
            }
            // At least as many reads as builds, so that each swap had a reader to miss it.
            while reads.load(Ordering::Relaxed) < 40 {
                std::thread::yield_now();
            }
            stop.store(true, Ordering::Relaxed);
        });
        assert_eq!(missing.load(Ordering::Relaxed), 0, "of {} reads", reads.load(Ordering::Relaxed));
    }

    /// A spare soapbox cannot change (as a read-only one, which root could still change, so the
    /// refusal is injected): the build stops, names the folder, and says what to do.
    #[test]
    fn case_13_a_spare_that_cannot_be_changed_is_named_with_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&versioned("old"), &out).unwrap();
        write(&versioned("old"), &out).unwrap();
        let spare = spare_dir(&out);
        faults::arm(&spare, Some(0), faults::Fault::Fail, false);
        // The first failure is recovered from: the spare is cleared and made again.
        write(&versioned("new"), &out).unwrap();
        assert!(faults::disarm(&spare));
        assert_eq!(site_files(&out), expected(&versioned("new")));
        // Every step in it refused: the build stops with a hint, and the output is untouched.
        faults::arm(&spare, Some(0), faults::Fault::Deny, false);
        let err = write(&versioned("old"), &out).unwrap_err();
        faults::disarm(&spare);
        let hint = err.hint_text().unwrap_or_default();
        assert!(hint.contains(&spare.display().to_string()) && hint.contains("chmod") && hint.contains("delete it"), "{hint}");
        assert_eq!(site_files(&out), expected(&versioned("new")));
        write(&versioned("old"), &out).unwrap();
        assert_eq!(site_files(&out), expected(&versioned("old")));
    }

    #[test]
    fn case_1_2_4_an_output_soapbox_does_not_own_is_refused_and_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let docs = dir.path().join("docs");
        fs::create_dir(&docs).unwrap();
        fs::write(docs.join("thesis.txt"), "thesis").unwrap();
        let err = write(&versioned("new"), &docs).unwrap_err();
        assert!(err.message().contains("soapbox did not write, such as `thesis.txt`"), "{}", err.message());
        let file = dir.path().join("file");
        fs::write(&file, "mine").unwrap();
        assert!(write(&versioned("new"), &file).unwrap_err().message().contains("is a file"));
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&docs, &link).unwrap();
        let err = write(&versioned("new"), &link).unwrap_err();
        assert!(
            err.message().contains("symbolic link") && err.hint_text().unwrap().contains(&format!("--out {}", fs::canonicalize(&docs).unwrap().display())),
            "{err}"
        );
        assert_eq!(names(dir.path()), ["docs", "file", "link"], "nothing made beside them");
        assert_eq!(tree(&docs), vec![("thesis.txt".to_string(), b"thesis".to_vec())]);
        assert_eq!(fs::read(&file).unwrap(), b"mine");
        // An empty folder is taken.
        fs::remove_file(docs.join("thesis.txt")).unwrap();
        write(&versioned("new"), &docs).unwrap();
        assert_eq!(site_files(&docs), expected(&versioned("new")));
    }

    /// Files placed by hand in the output, or in the spare it becomes, stop the build and are
    /// named; none is ever deleted.
    #[test]
    fn hand_placed_files_and_folders_are_reported_never_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&versioned("old"), &out).unwrap();
        write(&versioned("old"), &out).unwrap();
        fs::write(out.join("CNAME"), "example.org").unwrap();
        fs::create_dir_all(out.join(".git/objects")).unwrap();
        fs::write(out.join(".git/objects/pack"), "history").unwrap();
        fs::write(out.join("about/notes.txt"), "mine").unwrap();
        let before = tree(&out);
        let err = write(&versioned("new"), &out).unwrap_err();
        assert!(err.message().contains("`.git/`, `CNAME`, `about/notes.txt`"), "{}", err.message());
        assert!(err.hint_text().unwrap().contains("static/"));
        assert_eq!(tree(&out), before, "nothing changed");
        // Placed in the spare (as when one is dropped in while a build swaps): kept there too,
        // and soapbox's own files around them are still removed.
        let spare = spare_dir(&out);
        for name in ["CNAME", ".git", "about/notes.txt"] {
            fs::rename(out.join(name), spare.join(name)).unwrap();
        }
        let err = write(&versioned("new"), &out).unwrap_err();
        assert!(err.message().contains(&spare.display().to_string()) && err.message().contains("`CNAME`"), "{}", err.message());
        assert_eq!(fs::read(spare.join("CNAME")).unwrap(), b"example.org");
        assert_eq!(fs::read(spare.join(".git/objects/pack")).unwrap(), b"history");
        assert_eq!(fs::read(spare.join("about/notes.txt")).unwrap(), b"mine");
        assert_eq!(site_files(&out), expected(&versioned("old")), "the live output is untouched");
        fs::remove_dir_all(&spare).unwrap();
        write(&versioned("new"), &out).unwrap();
        assert_eq!(site_files(&out), expected(&versioned("new")));
    }
}
