//! Cache: a figure's work kept on disk between builds, in `.soapbox-cache/` at the site root.
//!
//! Drawing a figure's three PNGs is most of what a build with figures costs, and most builds
//! change no figure. Each image is stored in `images/` under a SHA-256 key of everything that
//! decides its pixels: soapbox's version, the image format below, the theme (the source code
//! that lays out and draws charts, and the fonts), the figure's data, the site's brand, the
//! size and the text written into the PNG. Minified HTML is kept in `pages/`: each figure's
//! share and embed pages, the chart that pages show, and the press pack of every figure, each
//! under a key of what it is made from (the figure's file, or all of them for the press pack;
//! the templates it uses, the menu, the settings and soapbox's own page code), so that a warm
//! build need not make them to find them. A change to any input is a different key, so a stale
//! entry is never found.
//!
//! Each entry ends with a seal: its length and a CRC-32 of its key and contents. An entry
//! that is cut short, edited or damaged fails that check and is drawn again and rewritten,
//! never served. Entries are written to a temporary file and renamed, so two builds at once
//! cannot tear one. A full build removes the entries it did not use. The folder ignores
//! itself in git (it holds its own `.gitignore`) and carries a `CACHEDIR.TAG` for backup
//! tools. Deleting it is always safe. When it cannot be written, the build goes on without it.

use crate::error::Result;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The cache folder's name, at the site root.
pub const DIR: &str = ".soapbox-cache";

/// Bump when the PNG encoding or the minifier's settings change.
const FORMAT: u32 = 4;

const TAG: &str = "Signature: 8a477f597d28d172789f06886806bc55\n# This folder is a cache made by soapbox; it is safe to delete.\n";

/// A folder of cached work, or nothing when caching is off.
#[derive(Default)]
pub struct Cache {
    dir: Option<PathBuf>,
    /// Entries this build looked up (`kind/key`), kept by [`Cache::prune`].
    used: Mutex<HashSet<String>>,
}

/// An image as [`Cache::image_on_disk`] gives it.
#[derive(Debug, PartialEq, Eq)]
pub enum Image {
    /// Made just now (or the cache is off): its bytes.
    Made(Vec<u8>),
    /// A sound entry of the cache.
    Stored(Stored),
}

/// An output file that stays in the cache until it is written: the first `len` bytes of the
/// entry at `path` (the rest is its seal), checked when it was looked up. Entries are only
/// ever replaced whole by a rename, so the bytes at `path` stay the ones that were checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub path: PathBuf,
    pub len: u64,
}

/// The kinds of entry, each in a folder of its own.
const KINDS: [&str; 2] = ["images", "pages"];

impl Cache {
    /// The cache of the site at `root`. It is made on first write, not here.
    pub fn at(root: &Path) -> Cache {
        Cache { dir: Some(root.join(DIR)), used: Mutex::default() }
    }

    /// The share image `parts` describe: from the cache when a sound entry is there,
    /// otherwise made by `make` and stored.
    pub fn image(&self, parts: &[&[u8]], make: impl FnOnce() -> Result<Vec<u8>>) -> Result<Vec<u8>> {
        self.entry(KINDS[0], parts, make)
    }

    /// The share image `parts` describe, like [`Cache::image`], except that a sound entry is
    /// only checked and named, not kept in memory: a build's thousands of PNGs then go from
    /// the cache to the output file to file (see [`Stored`]).
    pub fn image_on_disk(&self, parts: &[&[u8]], make: impl FnOnce() -> Result<Vec<u8>>) -> Result<Image> {
        thread_local! {
            static ENTRY: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        // Read into a buffer each thread keeps, so that checking an entry allocates nothing.
        let found = |key: &str, path: &Path| {
            ENTRY.with_borrow_mut(|entry| {
                read_whole(path, entry).ok()?;
                let len = sealed_len(key, entry)? as u64;
                Some(Image::Stored(Stored { path: path.to_path_buf(), len }))
            })
        };
        self.lookup(KINDS[0], parts, found, Image::Made, make)
    }

    /// The page (or pages) `parts` describe, as made by `make` now or by an earlier build.
    pub fn pages(&self, parts: &[&[u8]], make: impl FnOnce() -> Result<Vec<u8>>) -> Result<Vec<u8>> {
        self.entry(KINDS[1], parts, make)
    }

    fn entry(&self, kind: &str, parts: &[&[u8]], make: impl FnOnce() -> Result<Vec<u8>>) -> Result<Vec<u8>> {
        let found = |key: &str, path: &Path| {
            let mut entry = Vec::new();
            read_whole(path, &mut entry).ok()?;
            verified(key, entry)
        };
        self.lookup(kind, parts, found, |bytes| bytes, make)
    }

    /// The entry of `kind` that `parts` describe, as `found` takes it from its key and path
    /// when it is sound; otherwise made by `make`, stored, and given by `made`.
    fn lookup<T>(
        &self,
        kind: &str,
        parts: &[&[u8]],
        found: impl FnOnce(&str, &Path) -> Option<T>,
        made: impl FnOnce(Vec<u8>) -> T,
        make: impl FnOnce() -> Result<Vec<u8>>,
    ) -> Result<T> {
        let Some(dir) = &self.dir else { return make().map(made) };
        let key = key(parts);
        let path = dir.join(kind).join(&key);
        self.used.lock().unwrap_or_else(|e| e.into_inner()).insert(format!("{kind}/{key}"));
        if let Some(entry) = found(&key, &path) {
            return Ok(entry);
        }
        let bytes = make()?;
        // A cache that cannot be written only costs speed.
        let _ = store(dir, &path, &key, &bytes);
        Ok(made(bytes))
    }

    /// Removes the entries this build did not look up: the work of figures since changed or
    /// deleted, and anything else that is not an entry.
    pub fn prune(&self) {
        let Some(dir) = &self.dir else { return };
        let used = self.used.lock().unwrap_or_else(|e| e.into_inner());
        for kind in KINDS {
            let Ok(entries) = fs::read_dir(dir.join(kind)) else { continue };
            for entry in entries.flatten() {
                if !used.contains(&format!("{kind}/{}", entry.file_name().to_string_lossy())) {
                    let _ = fs::remove_file(entry.path());
                }
            }
        }
    }
}

fn key(parts: &[&[u8]]) -> String {
    let mut hash = Sha256::new();
    hash.update(env!("CARGO_PKG_VERSION").as_bytes());
    hash.update(FORMAT.to_le_bytes());
    for part in parts {
        // Each part's length first, so that parts cannot run into each other.
        hash.update((part.len() as u64).to_le_bytes());
        hash.update(part);
    }
    hex(&hash.finalize())
}

/// The seal at the end of an entry: its length and a CRC-32 of its key and contents. The
/// key already names exactly what the entry holds, so the seal only has to catch damage, and
/// a CRC reads a warm cache several times faster than a second SHA-256 would.
fn seal(key: &str, bytes: &[u8]) -> [u8; SEAL] {
    let mut crc = crc32fast::Hasher::new();
    crc.update(key.as_bytes());
    crc.update(bytes);
    let mut seal = [0; SEAL];
    seal[..8].copy_from_slice(&(bytes.len() as u64).to_le_bytes());
    seal[8..].copy_from_slice(&crc.finalize().to_le_bytes());
    seal
}

const SEAL: usize = 12;

/// The contents of `entry` if its seal matches, else `None`.
fn verified(key: &str, mut entry: Vec<u8>) -> Option<Vec<u8>> {
    let len = sealed_len(key, &entry)?;
    entry.truncate(len);
    Some(entry)
}

/// How many bytes of `entry` come before its seal, if the seal matches.
fn sealed_len(key: &str, entry: &[u8]) -> Option<usize> {
    let cut = entry.len().checked_sub(SEAL)?;
    (seal(key, &entry[..cut])[..] == entry[cut..]).then_some(cut)
}

/// Reads the file at `path` into `buffer`, in as few calls as a file can be read: its length,
/// then its bytes, with no further read to find the end. An entry is replaced only whole, by
/// a rename, so it cannot grow meanwhile; one cut short fails its seal.
fn read_whole(path: &Path, buffer: &mut Vec<u8>) -> std::io::Result<()> {
    use std::io::Read;
    let file = fs::File::open(path)?;
    let len = file.metadata()?.len();
    buffer.clear();
    buffer.reserve(usize::try_from(len).map_err(|_| std::io::ErrorKind::OutOfMemory)?);
    file.take(len).read_to_end(buffer).map(drop)
}

fn store(dir: &Path, path: &Path, key: &str, bytes: &[u8]) -> std::io::Result<()> {
    let folder = path.parent().unwrap_or(dir);
    if !folder.is_dir() {
        fs::create_dir_all(folder)?;
        fs::write(dir.join(".gitignore"), "# Made by soapbox: this cache is never committed.\n*\n")?;
        fs::write(dir.join("CACHEDIR.TAG"), TAG)?;
    }
    let temporary = folder.join(format!(".{key}.{}.tmp", std::process::id()));
    let mut entry = Vec::with_capacity(bytes.len() + SEAL);
    entry.extend_from_slice(bytes);
    entry.extend_from_slice(&seal(key, bytes));
    fs::write(&temporary, entry)?;
    fs::rename(&temporary, path).inspect_err(|_| drop(fs::remove_file(&temporary)))
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes.iter().flat_map(|b| [DIGITS[usize::from(b >> 4)] as char, DIGITS[usize::from(b & 15)] as char]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// Looks up one image, counting how often it had to be made.
    fn lookup(cache: &Cache, svg: &str, made: &Cell<usize>) -> Vec<u8> {
        cache
            .image(&[svg.as_bytes(), b"Title"], || {
                made.set(made.get() + 1);
                Ok(format!("png of {svg}").into_bytes())
            })
            .unwrap()
    }

    fn only_entry(dir: &Path) -> PathBuf {
        let entries: Vec<PathBuf> = fs::read_dir(dir.join(DIR).join(KINDS[0])).unwrap().map(|e| e.unwrap().path()).collect();
        assert_eq!(entries.len(), 1, "{entries:?}");
        entries[0].clone()
    }

    #[test]
    fn keys_are_named_in_lowercase_hex() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
        let name = key(&[b"x"]);
        assert!(name.len() == 64 && name.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)), "{name}");
    }

    #[test]
    fn a_second_lookup_is_served_from_disk() {
        let dir = tempfile::tempdir().unwrap();
        let made = Cell::new(0);
        assert_eq!(lookup(&Cache::at(dir.path()), "<svg/>", &made), b"png of <svg/>");
        assert_eq!(lookup(&Cache::at(dir.path()), "<svg/>", &made), b"png of <svg/>");
        assert_eq!(made.get(), 1);
        assert_eq!(fs::read_to_string(dir.path().join(DIR).join(".gitignore")).unwrap().lines().last(), Some("*"));
        assert!(fs::read_to_string(dir.path().join(DIR).join("CACHEDIR.TAG")).unwrap().starts_with("Signature: 8a477f597d28d172789f06886806bc55"));
    }

    #[test]
    fn a_changed_input_is_a_different_entry() {
        let dir = tempfile::tempdir().unwrap();
        let made = Cell::new(0);
        lookup(&Cache::at(dir.path()), "<svg>1</svg>", &made);
        assert_eq!(lookup(&Cache::at(dir.path()), "<svg>2</svg>", &made), b"png of <svg>2</svg>");
        assert_eq!(made.get(), 2);
    }

    #[test]
    fn corrupt_entries_are_made_again_and_rewritten() {
        let dir = tempfile::tempdir().unwrap();
        let made = Cell::new(0);
        lookup(&Cache::at(dir.path()), "<svg/>", &made);
        let entry = only_entry(dir.path());
        let good = fs::read(&entry).unwrap();
        let mut flipped = good.clone();
        flipped[3] ^= 0x40;
        for damaged in [flipped, good[..good.len() - 5].to_vec(), Vec::new(), b"short".to_vec()] {
            fs::write(&entry, &damaged).unwrap();
            assert_eq!(lookup(&Cache::at(dir.path()), "<svg/>", &made), b"png of <svg/>");
            assert_eq!(fs::read(&entry).unwrap(), good, "the entry is rewritten whole");
        }
        assert_eq!(made.get(), 5);
    }

    #[test]
    fn prune_keeps_only_what_the_build_used() {
        let dir = tempfile::tempdir().unwrap();
        let made = Cell::new(0);
        let first = Cache::at(dir.path());
        lookup(&first, "<svg>old</svg>", &made);
        let second = Cache::at(dir.path());
        lookup(&second, "<svg>new</svg>", &made);
        fs::write(dir.path().join(DIR).join(KINDS[0]).join("stray.tmp"), "x").unwrap();
        second.prune();
        only_entry(dir.path());
        assert_eq!(lookup(&Cache::at(dir.path()), "<svg>new</svg>", &made), b"png of <svg>new</svg>");
        assert_eq!(made.get(), 2);
    }

    #[test]
    fn pages_are_kept_apart_from_images_and_pruned_alike() {
        let dir = tempfile::tempdir().unwrap();
        let made = Cell::new(0);
        let minify = || {
            made.set(made.get() + 1);
            Ok(b"<p>x".to_vec())
        };
        assert_eq!(Cache::at(dir.path()).pages(&[b"<p> x </p>"], minify).unwrap(), b"<p>x");
        let second = Cache::at(dir.path());
        assert_eq!(second.pages(&[b"<p> x </p>"], minify).unwrap(), b"<p>x");
        assert_eq!(made.get(), 1);
        lookup(&second, "<svg/>", &made);
        second.prune();
        let third = Cache::at(dir.path());
        third.pages(&[b"<p> y </p>"], minify).unwrap();
        third.prune();
        assert!(fs::read_dir(dir.path().join(DIR).join(KINDS[0])).unwrap().next().is_none(), "the image went unused");
        assert_eq!(fs::read_dir(dir.path().join(DIR).join(KINDS[1])).unwrap().count(), 1);
    }

    #[test]
    fn images_on_disk_are_named_once_sound_and_made_again_when_not() {
        let dir = tempfile::tempdir().unwrap();
        let made = Cell::new(0);
        let look = |cache: &Cache| {
            cache
                .image_on_disk(&[b"<svg/>"], || {
                    made.set(made.get() + 1);
                    Ok(b"png bytes".to_vec())
                })
                .unwrap()
        };
        assert!(matches!(look(&Cache::at(dir.path())), Image::Made(b) if b == b"png bytes"));
        let entry = only_entry(dir.path());
        let second = Cache::at(dir.path());
        assert_eq!(look(&second), Image::Stored(Stored { path: entry.clone(), len: 9 }));
        assert_eq!(fs::read(&entry).unwrap()[..9], *b"png bytes");
        second.prune();
        assert!(entry.exists(), "an image named on disk counts as used");
        let good = fs::read(&entry).unwrap();
        let mut flipped = good.clone();
        flipped[2] ^= 1;
        for damaged in [flipped, good[..good.len() - 1].to_vec(), Vec::new()] {
            fs::write(&entry, &damaged).unwrap();
            assert!(matches!(look(&Cache::at(dir.path())), Image::Made(b) if b == b"png bytes"), "a damaged entry is made again");
            assert_eq!(fs::read(&entry).unwrap(), good, "and rewritten whole");
        }
        assert_eq!(made.get(), 4);
        assert!(matches!(Cache::default().image_on_disk(&[b"x"], || Ok(b"y".to_vec())).unwrap(), Image::Made(_)));
    }

    #[test]
    fn a_cache_that_cannot_be_written_still_gives_images() {
        let dir = tempfile::tempdir().unwrap();
        // A file where the cache folder should be.
        fs::write(dir.path().join(DIR), "in the way").unwrap();
        let made = Cell::new(0);
        assert_eq!(lookup(&Cache::at(dir.path()), "<svg/>", &made), b"png of <svg/>");
        assert_eq!(lookup(&Cache::at(dir.path()), "<svg/>", &made), b"png of <svg/>");
        assert_eq!(made.get(), 2);
        assert!(Cache::default().image(&[b"x"], || Ok(b"y".to_vec())).is_ok());
    }
}
