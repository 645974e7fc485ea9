//! Write: puts an [`Output`] on disk atomically.
//!
//! The whole site is written into a spare folder beside the output folder, then swapped in
//! with renames. If anything fails, the previous output is left exactly as it was: a reader
//! never sees a half-written site. The spare is the build before last, so only what changed
//! since then is written; until there is one, what the live output already holds is
//! hard-linked from it. Share images that stay in the cache are hard links to their entries
//! where the file system allows, so that one already in place is known by its inode without
//! being read; elsewhere they are compared with their entries and copied file to file.

use crate::error::{Error, Result};
use crate::cache::{file_id, Stored};
use crate::render::Output;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// Refuses output folders that would replace the sources: the site root itself, a folder that
/// contains it, or one inside `content/`, `templates/` or `static/`.
pub fn check_out_dir(root: &Path, out: &Path) -> Result<()> {
    let root = fs::canonicalize(root).map_err(|e| Error::io("open the site folder", root, e))?;
    let out_abs = absolute(out)?;
    let unsafe_place = root.starts_with(&out_abs)
        || ["content", "templates", "static"].iter().any(|d| out_abs.starts_with(root.join(d)));
    if unsafe_place {
        return Err(Error::new(format!("refusing to write the site into `{}`: it would replace your source files", out.display()))
            .hint("choose an output folder of its own, such as `public`"));
    }
    Ok(())
}

/// `path` made absolute, resolving symlinks in the part of it that exists.
fn absolute(path: &Path) -> Result<PathBuf> {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map_err(|e| Error::io("find", Path::new("."), e))?.join(path)
    };
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
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
    out.with_file_name(format!(".{name}.soapbox-{role}"))
}

/// Writes `output` to `out`, replacing what was there only once everything is written.
///
/// The new tree is made in the spare folder: the build before last, swapped out by the
/// previous build and kept for this. Only the files that differ from it are written and only
/// the folders it lacks are made, so a build that changed a page touches one file, not ten
/// thousand; creating and deleting many folders is the slowest thing a file system does.
/// Then the spare and `out` trade places with renames. A build that finds another one
/// writing to the same place (a lock file beside `out` names it) leaves the spare alone and
/// writes a fresh folder of its own instead.
pub fn write(output: &Output, out: &Path) -> Result<()> {
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
    let pid = std::process::id();
    let lock = Lock::take(&beside(out, "lock"));
    let spare = if lock.is_some() { spare_dir(out) } else { beside(out, &format!("staging-{pid}")) };
    let reusable = lock.is_some() && fs::symlink_metadata(&spare).is_ok_and(|m| m.is_dir());
    let live = fs::symlink_metadata(out).is_ok_and(|m| m.is_dir()).then_some(out);
    if !reusable || update_tree(output, &spare, live).is_err() {
        remove(&spare);
        if let Err(e) = update_tree(output, &spare, live) {
            remove(&spare);
            return Err(e);
        }
    }
    let had_previous = fs::symlink_metadata(out).is_ok();
    let swap = beside(out, &format!("swap-{pid}"));
    if had_previous {
        if let Err(e) = fs::rename(out, &swap) {
            remove(&spare);
            return Err(Error::io("move aside the previous output", out, e));
        }
    }
    if let Err(e) = fs::rename(&spare, out) {
        if had_previous {
            let _ = fs::rename(&swap, out);
        }
        remove(&spare);
        return Err(Error::io("put the new output in place at", out, e));
    }
    // The previous output is the next build's spare; if it cannot be kept, it goes.
    if had_previous && (lock.is_none() || fs::rename(&swap, spare_dir(out)).is_err()) {
        remove(&swap);
    }
    Ok(())
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
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = fs::read_to_string(path).ok().and_then(|t| t.trim().parse::<u32>().ok());
                    let gone = holder.is_some_and(|pid| Path::new("/proc/self").exists() && !Path::new(&format!("/proc/{pid}")).exists());
                    if !gone {
                        return None;
                    }
                    let _ = fs::remove_file(path);
                }
                Err(_) => return None,
            }
        }
        None
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

fn remove(path: &Path) {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => drop(fs::remove_dir_all(path)),
        Ok(_) => drop(fs::remove_file(path)),
        Err(_) => {}
    }
}

/// Makes the folder `dir` hold exactly `output`: removes what `output` lacks, makes the
/// folders it needs, and writes each file whose bytes differ.
///
/// A file that `live` (the output being served) already holds is hard-linked from there
/// instead of written. That makes the build after a first one cheap too, when there is no
/// spare yet: otherwise it would write all 200 MB of a large site again. Since the two trees
/// then share files, a file is never written in place: it is removed and made anew, so the
/// live output cannot change under a reader.
fn update_tree(output: &Output, dir: &Path, live: Option<&Path>) -> Result<()> {
    // A folder made just now holds nothing: there is nothing in it to prune, compare or
    // replace, which saves a failed open and a failed unlink a file on the build after a first
    // build.
    let fresh = match fs::create_dir(dir) {
        Ok(()) => true,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => false,
        Err(e) => return Err(Error::io("create", dir, e)),
    };
    let mut folders: BTreeSet<&str> = BTreeSet::new();
    for path in output.files.keys().chain(output.stored.keys()) {
        let mut at: &str = path;
        while let Some(cut) = at.rfind('/') {
            at = &at[..cut];
            if !folders.insert(at) {
                break;
            }
        }
    }
    // The folders already there, as pruning finds them: they need not be looked up again.
    let kept: std::collections::HashSet<String> = if fresh { Default::default() } else { prune(dir, "", output, &folders)?.into_iter().collect() };
    // In order, so that each folder's parent is made before it.
    for folder in folders.iter().filter(|f| !kept.contains(**f)) {
        let full = dir.join(folder);
        let made = if fresh { fs::create_dir(&full) } else { fs::create_dir_all(&full) };
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
            match fs::remove_file(&full) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(Error::io("replace", &full, e)),
                _ => {}
            }
        }
        if let Some(live) = live {
            let same = live.join(&**path);
            let plain = fs::symlink_metadata(&same).is_ok_and(|m| m.is_file());
            if plain && content.is_in(&same) && fs::hard_link(&same, &full).is_ok() {
                return Ok(());
            }
        }
        content.write(&full)
    })
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
            Content::Bytes(bytes) => fs::write(path, bytes).map_err(|e| Error::io("write", path, e)),
            Content::Stored(stored) => {
                use std::io::Read;
                if fs::hard_link(&stored.path, path).is_ok() {
                    return Ok(());
                }
                let gone = |e| {
                    Error::io("copy the cached image", &stored.path, e)
                        .hint("another build of this site may have pruned the cache meanwhile; build again")
                };
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

/// Removes everything under `dir/prefix` that is neither a file of `output` nor one of its
/// `folders`, and gives the folders it kept. Symlinks and other oddities are removed, never
/// followed. Folders are read in parallel: a large site has one for every page.
fn prune(dir: &Path, prefix: &str, output: &Output, folders: &BTreeSet<&str>) -> Result<Vec<String>> {
    let here = dir.join(prefix);
    let entries = fs::read_dir(&here).and_then(|entries| entries.collect::<std::io::Result<Vec<_>>>()).map_err(|e| Error::io("read", &here, e))?;
    entries
        .into_par_iter()
        .map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = if prefix.is_empty() { name } else { format!("{prefix}/{name}") };
            let kind = entry.file_type().map_err(|e| Error::io("read", &entry.path(), e))?;
            if kind.is_dir() && folders.contains(path.as_str()) {
                let mut kept = prune(dir, &path, output, folders)?;
                kept.push(path);
                return Ok(kept);
            }
            if !(kind.is_file() && (output.files.contains_key(path.as_str()) || output.stored.contains_key(path.as_str()))) {
                let full = entry.path();
                let gone = if kind.is_dir() { fs::remove_dir_all(&full) } else { fs::remove_file(&full) };
                gone.map_err(|e| Error::io("remove", &full, e))?;
            }
            Ok(Vec::new())
        })
        .try_reduce(Vec::new, |mut a, b| {
            a.extend(b);
            Ok(a)
        })
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
        fs::create_dir_all(&out).unwrap();
        fs::write(out.join("stale.html"), "old").unwrap();
        let mut output = Output::default();
        std::sync::Arc::make_mut(&mut output.files).insert("a/index.html".into(), std::sync::Arc::new(b"new".to_vec()));
        write(&output, &out).unwrap();
        assert_eq!(fs::read(out.join("a/index.html")).unwrap(), b"new");
        assert!(!out.join("stale.html").exists());
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

    fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut files = Vec::new();
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
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
        write(&site("two", None), &out).unwrap();
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
        assert_eq!(tree(&spare_dir(&out)), vec![("about/index.html".to_string(), b"two".to_vec()), ("index.html".to_string(), b"home".to_vec())]);
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
}
