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
//! An entry holds exactly what was made, so that an output image can be a hard link to it.
//! Its seal is in its name, `KEY.CRC`: a CRC-32 of its key and contents. An entry that is cut
//! short, edited or damaged fails that check and is drawn again and rewritten, never served.
//! Entries are written to a temporary file and renamed, never changed in place, so two builds
//! at once cannot tear one and a linked output file never changes under a reader. A full build
//! removes the entries it did not use. The folder ignores itself in git (it holds its own
//! `.gitignore`) and carries a `CACHEDIR.TAG` for backup tools. Deleting it is always safe.
//! When it cannot be written, the build goes on without it.

use crate::error::Result;
#[cfg(test)]
use crate::output::file_id;
use crate::output::Stored;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// The cache folder's name, at the site root.
pub const DIR: &str = ".soapbox-cache";

/// The layout of an entry. Anything that changes what soapbox makes already changes [`CODE`].
const FORMAT: u32 = 6;

/// The code hash of this build of soapbox (see [`crate::code_hash`]): part of every key, so an
/// entry written by any other build, even of the same version, is never found.
pub const CODE: &str = env!("SOAPBOX_CODE_HASH");

const TAG: &str = "Signature: 8a477f597d28d172789f06886806bc55\n# This folder is a cache made by soapbox; it is safe to delete.\n";

/// A folder of cached work, or nothing when caching is off.
#[derive(Default)]
pub struct Cache {
    dir: Option<PathBuf>,
    /// The code hash its keys carry: [`CODE`], except in tests of that rule.
    code: &'static str,
    state: Mutex<State>,
}

/// What a build knows of the cache folder.
#[derive(Default)]
struct State {
    /// Each kind's entries, as its folder was when first looked in (and as this build stored
    /// them since): the seal of each key.
    listed: [Option<HashMap<String, u32>>; KINDS.len()],
    /// Entries this build looked up or stored (`kind/name`), kept by [`Cache::prune`].
    used: HashSet<String>,
}

/// An image as [`Cache::image_on_disk`] gives it.
#[derive(Debug, PartialEq, Eq)]
pub enum Image {
    /// Made just now and not stored (the cache is off or cannot be written): its bytes.
    Made(Vec<u8>),
    /// A sound entry of the cache.
    Stored(Stored),
}

/// The kinds of entry, each in a folder of its own.
const KINDS: [&str; 2] = ["images", "pages"];
const IMAGES: usize = 0;
const PAGES: usize = 1;

impl Cache {
    /// The cache of the site at `root`. It is made on first write, not here.
    pub fn at(root: &Path) -> Cache {
        let dir = root.join(DIR);
        Cache { dir: stays_inside(root, &dir).then_some(dir), code: CODE, state: Mutex::default() }
    }

    /// [`Cache::at`], as a build of soapbox whose code hash is `code` would see it.
    #[cfg(test)]
    fn for_code(root: &Path, code: &'static str) -> Cache {
        Cache { code, ..Cache::at(root) }
    }

    /// The share image `parts` describe: from the cache when a sound entry is there,
    /// otherwise made by `make` and stored.
    pub fn image(&self, parts: &[&[u8]], make: impl FnOnce() -> Result<Vec<u8>>) -> Result<Vec<u8>> {
        self.entry(IMAGES, parts, make)
    }

    /// The share image `parts` describe, like [`Cache::image`], except that it is only checked
    /// and named, not kept in memory, once it is in the cache: a build's thousands of PNGs then
    /// go from the cache to the output as links or file to file (see [`Stored`]).
    pub fn image_on_disk(&self, parts: &[&[u8]], make: impl FnOnce() -> Result<Vec<u8>>) -> Result<Image> {
        thread_local! {
            static ENTRY: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        // Read into a buffer each thread keeps, so that checking an entry allocates nothing.
        let found = |key: &str, path: &Path, sealed: u32| {
            ENTRY.with_borrow_mut(|entry| {
                let metadata = read_whole(path, entry).ok()?;
                (seal(key, entry) == sealed).then(|| Image::Stored(Stored::at(path, &metadata)))
            })
        };
        let made = |bytes, at: Option<(&Path, &fs::Metadata)>| at.map_or(Image::Made(bytes), |(path, metadata)| Image::Stored(Stored::at(path, metadata)));
        self.lookup(IMAGES, parts, found, made, make)
    }

    /// The image `parts` describe, like [`Cache::image`], with the entry that holds it once it
    /// is in the cache: for a file a build both reads and links, such as a chart's SVG.
    pub fn image_kept(&self, parts: &[&[u8]], make: impl FnOnce() -> Result<Vec<u8>>) -> Result<(Vec<u8>, Option<Stored>)> {
        self.kept(IMAGES, parts, make)
    }

    /// The page (or pages) `parts` describe, as made by `make` now or by an earlier build.
    pub fn pages(&self, parts: &[&[u8]], make: impl FnOnce() -> Result<Vec<u8>>) -> Result<Vec<u8>> {
        self.entry(PAGES, parts, make)
    }

    fn entry(&self, kind: usize, parts: &[&[u8]], make: impl FnOnce() -> Result<Vec<u8>>) -> Result<Vec<u8>> {
        self.kept(kind, parts, make).map(|(bytes, _)| bytes)
    }

    /// The bytes of the entry of `kind` that `parts` describe, read whole, and the entry itself
    /// once it is in the cache.
    fn kept(&self, kind: usize, parts: &[&[u8]], make: impl FnOnce() -> Result<Vec<u8>>) -> Result<(Vec<u8>, Option<Stored>)> {
        let found = |key: &str, path: &Path, sealed: u32| {
            let mut entry = Vec::new();
            let metadata = read_whole(path, &mut entry).ok()?;
            (seal(key, &entry) == sealed).then(|| (entry, Some(Stored::at(path, &metadata))))
        };
        let made = |bytes, at: Option<(&Path, &fs::Metadata)>| (bytes, at.map(|(path, metadata)| Stored::at(path, metadata)));
        self.lookup(kind, parts, found, made, make)
    }

    /// The entry of `kind` that `parts` describe, as `found` takes it from its key, path and
    /// seal when it is sound; otherwise made by `make`, stored, and given by `made` with the
    /// path it was stored at and its metadata, when it could be stored.
    fn lookup<T>(
        &self,
        kind: usize,
        parts: &[&[u8]],
        found: impl FnOnce(&str, &Path, u32) -> Option<T>,
        made: impl FnOnce(Vec<u8>, Option<(&Path, &fs::Metadata)>) -> T,
        make: impl FnOnce() -> Result<Vec<u8>>,
    ) -> Result<T> {
        let Some(dir) = &self.dir else { return make().map(|bytes| made(bytes, None)) };
        let key = key(self.code, parts);
        let folder = dir.join(KINDS[kind]);
        let listed = self.state().listed(kind, &folder).get(&key).copied();
        if let Some(sealed) = listed {
            let name = name(&key, sealed);
            if let Some(entry) = found(&key, &folder.join(&name), sealed) {
                self.state().used.insert(format!("{}/{name}", KINDS[kind]));
                return Ok(entry);
            }
        }
        let bytes = make()?;
        let sealed = seal(&key, &bytes);
        let name = name(&key, sealed);
        let path = folder.join(&name);
        // A cache that cannot be written only costs speed.
        let kept = store(dir, &folder, &path, &bytes).ok();
        let mut state = self.state();
        state.used.insert(format!("{}/{name}", KINDS[kind]));
        state.listed(kind, &folder).insert(key, sealed);
        drop(state);
        Ok(made(bytes, kept.as_ref().map(|metadata| (path.as_path(), metadata))))
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Removes the entries this build did not look up (the work of figures since changed or
    /// deleted) and temporary files that builds killed while storing left. Nothing else is
    /// removed: a file whose name soapbox would not give an entry is not soapbox's.
    pub fn prune(&self) {
        let Some(dir) = &self.dir else { return };
        let state = self.state();
        for kind in KINDS {
            let Ok(entries) = fs::read_dir(dir.join(kind)) else { continue };
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let ours = parse_name(&name).is_some() || is_temporary(&name);
                if ours && entry.file_type().is_ok_and(|t| t.is_file()) && !state.used.contains(&format!("{kind}/{name}")) {
                    let _ = fs::remove_file(entry.path());
                }
            }
        }
    }
}

impl State {
    /// The entries of `kind`, from its `folder` the first time they are asked for.
    fn listed(&mut self, kind: usize, folder: &Path) -> &mut HashMap<String, u32> {
        self.listed[kind].get_or_insert_with(|| {
            let Ok(entries) = fs::read_dir(folder) else { return HashMap::new() };
            entries.flatten().filter_map(|entry| parse_name(&entry.file_name().to_string_lossy()).map(|(key, seal)| (key.to_string(), seal))).collect()
        })
    }
}

fn key(code: &str, parts: &[&[u8]]) -> String {
    let mut hash = Sha256::new();
    hash.update(code.as_bytes());
    hash.update(FORMAT.to_le_bytes());
    for part in parts {
        // Each part's length first, so that parts cannot run into each other.
        hash.update((part.len() as u64).to_le_bytes());
        hash.update(part);
    }
    hex(&hash.finalize())
}

/// An entry's seal: a CRC-32 of its key and contents. The key already names exactly what the
/// entry holds, so the seal only has to catch damage, and a CRC reads a warm cache several
/// times faster than a second SHA-256 would.
fn seal(key: &str, bytes: &[u8]) -> u32 {
    let mut crc = crc32fast::Hasher::new();
    crc.update(key.as_bytes());
    crc.update(bytes);
    crc.finalize()
}

/// An entry's file name: its key, then its seal.
fn name(key: &str, seal: u32) -> String {
    format!("{key}.{seal:08x}")
}

/// The key and seal an entry's file name holds, if it is one.
fn parse_name(name: &str) -> Option<(&str, u32)> {
    let (key, seal) = name.split_once('.')?;
    if key.len() != 64 || seal.len() != 8 || !is_hex(key) || !is_hex(seal) {
        return None;
    }
    u32::from_str_radix(seal, 16).ok().map(|seal| (key, seal))
}

/// Whether `name` is a temporary file [`store`] writes an entry to: `.KEY.SEAL.PID.tmp`.
fn is_temporary(name: &str) -> bool {
    let Some(inner) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".tmp")) else { return false };
    let Some((entry, pid)) = inner.rsplit_once('.') else { return false };
    parse_name(entry).is_some() && !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())
}

/// Whether the cache folder `dir` of the site at `root`, and each kind's folder in it, lies
/// inside the site where it exists: a cache reached through a symlink out of the site (a
/// cloned repository can carry one) would write and prune someone else's folder, so the
/// build then runs without a cache. Symlinks that stay inside the site are followed.
fn stays_inside(root: &Path, dir: &Path) -> bool {
    let Ok(root) = fs::canonicalize(root) else { return false };
    std::iter::once(dir.to_path_buf()).chain(KINDS.iter().map(|kind| dir.join(kind))).all(|path| match fs::symlink_metadata(&path) {
        Err(_) => true,
        Ok(_) => fs::canonicalize(&path).is_ok_and(|real| real.starts_with(&root)),
    })
}

fn is_hex(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Reads the file at `path` into `buffer`: its length, then its bytes in one read. An entry is
/// replaced only whole, by a rename, so it cannot grow meanwhile; one cut short fails its seal.
fn read_whole(path: &Path, buffer: &mut Vec<u8>) -> std::io::Result<fs::Metadata> {
    let file = fs::File::open(path)?;
    let metadata = file.metadata()?;
    crate::read::opened(&file, metadata.len(), buffer)?;
    Ok(metadata)
}

/// Writes `bytes` as the entry at `path`, giving the new file's metadata (which the rename
/// keeps: it is the same file).
fn store(dir: &Path, folder: &Path, path: &Path, bytes: &[u8]) -> std::io::Result<fs::Metadata> {
    if !folder.is_dir() {
        fs::create_dir_all(folder)?;
        fs::write(dir.join(".gitignore"), "# Made by soapbox: this cache is never committed.\n*\n")?;
        fs::write(dir.join("CACHEDIR.TAG"), TAG)?;
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary = folder.join(format!(".{name}.{}.tmp", std::process::id()));
    let metadata = {
        use std::io::Write;
        let mut file = fs::File::create(&temporary)?;
        file.write_all(bytes)?;
        file.metadata()?
    };
    fs::rename(&temporary, path).inspect_err(|_| drop(fs::remove_file(&temporary)))?;
    Ok(metadata)
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes.iter().flat_map(|b| [DIGITS[usize::from(b >> 4)] as char, DIGITS[usize::from(b & 15)] as char]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// Makes `bytes`, counting in `made` each time it is asked to.
    fn counted<'a>(made: &'a Cell<usize>, bytes: &'a [u8]) -> impl FnOnce() -> Result<Vec<u8>> + 'a {
        move || {
            made.set(made.get() + 1);
            Ok(bytes.to_vec())
        }
    }

    /// Looks up one image, counting how often it had to be made.
    fn lookup(cache: &Cache, svg: &str, made: &Cell<usize>) -> Vec<u8> {
        let png = format!("png of {svg}");
        cache.image(&[svg.as_bytes(), b"Title"], counted(made, png.as_bytes())).unwrap()
    }

    fn only_entry(dir: &Path) -> PathBuf {
        let entries: Vec<PathBuf> = fs::read_dir(dir.join(DIR).join(KINDS[0])).unwrap().map(|e| e.unwrap().path()).collect();
        assert_eq!(entries.len(), 1, "{entries:?}");
        entries[0].clone()
    }

    #[test]
    fn keys_are_named_in_lowercase_hex() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
        let key = key(CODE, &[b"x"]);
        assert!(key.len() == 64 && is_hex(&key), "{key}");
        assert_eq!(parse_name(&name(&key, 0xa5)), Some((key.as_str(), 0xa5)));
        for stray in [".tmp", "x.0000000a", &format!("{key}.a5"), &format!("{key}.0000000A"), &format!("{key}.0000000a.tmp")] {
            assert_eq!(parse_name(stray), None, "{stray}");
        }
    }

    #[test]
    fn an_entry_written_by_another_build_of_soapbox_is_never_used() {
        let dir = tempfile::tempdir().unwrap();
        let made = Cell::new(0);
        assert_eq!(lookup(&Cache::for_code(dir.path(), "another build"), "<svg/>", &made), b"png of <svg/>");
        assert_eq!(lookup(&Cache::for_code(dir.path(), "another build"), "<svg/>", &made), b"png of <svg/>");
        assert_eq!(made.get(), 1, "the same build finds its entry");
        assert_eq!(lookup(&Cache::at(dir.path()), "<svg/>", &made), b"png of <svg/>");
        assert_eq!(made.get(), 2, "this build made it again rather than use the other's");
        assert_eq!(CODE.len(), 16, "build.rs gave the code hash: {CODE}");
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
        let images = dir.path().join(DIR).join(KINDS[0]);
        fs::write(images.join(format!(".{}.00000000.123.tmp", key(CODE, &[b"gone"]))), "x").unwrap();
        fs::write(images.join("stray.tmp"), "not soapbox's").unwrap();
        second.prune();
        assert_eq!(fs::read_to_string(images.join("stray.tmp")).unwrap(), "not soapbox's", "a file soapbox did not name is kept");
        fs::remove_file(images.join("stray.tmp")).unwrap();
        only_entry(dir.path());
        assert_eq!(lookup(&Cache::at(dir.path()), "<svg>new</svg>", &made), b"png of <svg>new</svg>");
        assert_eq!(made.get(), 2);
    }

    #[test]
    fn pages_are_kept_apart_from_images_and_pruned_alike() {
        let dir = tempfile::tempdir().unwrap();
        let made = Cell::new(0);
        assert_eq!(Cache::at(dir.path()).pages(&[b"<p> x </p>"], counted(&made, b"<p>x")).unwrap(), b"<p>x");
        let second = Cache::at(dir.path());
        assert_eq!(second.pages(&[b"<p> x </p>"], counted(&made, b"<p>x")).unwrap(), b"<p>x");
        assert_eq!(made.get(), 1);
        lookup(&second, "<svg/>", &made);
        second.prune();
        let third = Cache::at(dir.path());
        third.pages(&[b"<p> y </p>"], counted(&made, b"<p>x")).unwrap();
        third.prune();
        assert!(fs::read_dir(dir.path().join(DIR).join(KINDS[0])).unwrap().next().is_none(), "the image went unused");
        assert_eq!(fs::read_dir(dir.path().join(DIR).join(KINDS[1])).unwrap().count(), 1);
    }

    #[test]
    fn images_on_disk_are_named_once_sound_and_made_again_when_not() {
        let dir = tempfile::tempdir().unwrap();
        let made = Cell::new(0);
        let look = |cache: &Cache| cache.image_on_disk(&[b"<svg/>"], counted(&made, b"png bytes")).unwrap();
        let first = look(&Cache::at(dir.path()));
        let entry = only_entry(dir.path());
        let id = file_id(&fs::metadata(&entry).unwrap());
        assert!(id.is_some());
        assert_eq!(first, Image::Stored(Stored { path: entry.clone(), len: 9, id }), "named as soon as it is stored");
        assert_eq!(fs::read(&entry).unwrap(), b"png bytes", "the entry is the image alone, fit to link to");
        let second = Cache::at(dir.path());
        assert_eq!(look(&second), Image::Stored(Stored { path: entry.clone(), len: 9, id }));
        assert_eq!(made.get(), 1);
        second.prune();
        assert!(entry.exists(), "an image named on disk counts as used");
        let mut flipped = b"png bytes".to_vec();
        flipped[2] ^= 1;
        for (damaged, made_so_far) in [(flipped, 2), (b"png byte".to_vec(), 3), (Vec::new(), 4)] {
            fs::write(&entry, &damaged).unwrap();
            assert!(matches!(look(&Cache::at(dir.path())), Image::Stored(s) if s.path == entry), "a damaged entry is made again");
            assert_eq!(made.get(), made_so_far);
            assert_eq!(fs::read(&entry).unwrap(), b"png bytes", "and rewritten whole");
        }
        assert!(matches!(Cache::default().image_on_disk(&[b"x"], || Ok(b"y".to_vec())).unwrap(), Image::Made(b) if b == b"y"));
        // A file where the cache folder should be: the image is made and given whole.
        let blocked = tempfile::tempdir().unwrap();
        fs::write(blocked.path().join(DIR), "in the way").unwrap();
        assert!(matches!(Cache::at(blocked.path()).image_on_disk(&[b"x"], || Ok(b"y".to_vec())).unwrap(), Image::Made(b) if b == b"y"));
    }

    #[test]
    fn an_entry_under_another_key_fails_its_seal() {
        let dir = tempfile::tempdir().unwrap();
        let made = Cell::new(0);
        lookup(&Cache::at(dir.path()), "<svg>a</svg>", &made);
        let a = only_entry(dir.path());
        fs::remove_file(&a).unwrap();
        lookup(&Cache::at(dir.path()), "<svg>b</svg>", &made);
        let b = only_entry(dir.path());
        // b's entry under a's key, seal and all: the seal fails, since the key is in it.
        let (a_key, _) = parse_name(a.file_name().unwrap().to_str().unwrap()).unwrap();
        let (_, b_seal) = parse_name(b.file_name().unwrap().to_str().unwrap()).unwrap();
        fs::rename(&b, a.with_file_name(name(a_key, b_seal))).unwrap();
        assert_eq!(lookup(&Cache::at(dir.path()), "<svg>a</svg>", &made), b"png of <svg>a</svg>");
        assert_eq!(made.get(), 3, "drawn again, not taken from the forged entry");
    }

    #[test]
    fn kept_images_come_with_their_entry_once_it_is_stored() {
        let dir = tempfile::tempdir().unwrap();
        let made = Cell::new(0);
        let look = |cache: &Cache| cache.image_kept(&[b"chart"], counted(&made, b"<svg/>")).unwrap();
        let (bytes, first) = look(&Cache::at(dir.path()));
        let entry = only_entry(dir.path());
        let id = file_id(&fs::metadata(&entry).unwrap());
        let stored = Stored { path: entry.clone(), len: 6, id };
        assert_eq!((bytes, first), (b"<svg/>".to_vec(), Some(stored.clone())), "named as soon as it is stored");
        assert_eq!(look(&Cache::at(dir.path())), (b"<svg/>".to_vec(), Some(stored)), "and when it is found");
        assert_eq!(made.get(), 1);
        fs::write(&entry, b"<svg/?").unwrap();
        assert_eq!(look(&Cache::at(dir.path())).0, b"<svg/>", "a damaged entry is made again");
        assert_eq!((made.get(), fs::read(&entry).unwrap()), (2, b"<svg/>".to_vec()), "and rewritten");
        assert_eq!(Cache::default().image_kept(&[b"x"], || Ok(b"y".to_vec())).unwrap(), (b"y".to_vec(), None), "no cache, no entry");
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

    #[cfg(unix)]
    #[test]
    fn case_3_a_cache_linked_out_of_the_site_is_never_written_or_pruned() {
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("precious.txt"), "mine").unwrap();
        for linked in [DIR, "images"] {
            let dir = tempfile::tempdir().unwrap();
            let at = if linked == DIR { dir.path().join(DIR) } else { dir.path().join(DIR).join(KINDS[IMAGES]) };
            fs::create_dir_all(at.parent().unwrap()).unwrap();
            std::os::unix::fs::symlink(outside.path(), &at).unwrap();
            let made = Cell::new(0);
            let cache = Cache::at(dir.path());
            assert_eq!(lookup(&cache, "<svg/>", &made), b"png of <svg/>");
            cache.prune();
            let mut names: Vec<_> = fs::read_dir(outside.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
            names.sort();
            assert_eq!(names, ["precious.txt"], "{linked}: nothing written there");
            assert_eq!(fs::read_to_string(outside.path().join("precious.txt")).unwrap(), "mine");
        }
        // A link that stays inside the site is followed as before.
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("kept")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("kept"), dir.path().join(DIR)).unwrap();
        let made = Cell::new(0);
        lookup(&Cache::at(dir.path()), "<svg/>", &made);
        lookup(&Cache::at(dir.path()), "<svg/>", &made);
        assert_eq!(made.get(), 1, "served from the linked folder");
        assert!(dir.path().join("kept").join(KINDS[IMAGES]).is_dir());
    }
}
