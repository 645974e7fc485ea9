//! soapbox builds static campaign microsites: Markdown pages and YAML figures in, a folder of
//! plain, fast, accessible files out, with charts drawn at build time.
//!
//! The build is a pipeline, one module a stage:
//!
//! ```text
//! load    content/site.yaml, pages, figures, templates, static  -> Site
//! check   references between files                             -> errors with spans
//! render  Markdown + charts + Tera templates, minified          -> Output (path -> bytes)
//! write   into the spare beside the output folder, swap in      -> the site on disk
//! ```
//!
//! `main.rs` is a thin command line over [`build`], so tests and benchmarks drive the same
//! code that users run.

pub mod assets;
pub mod cache;
pub mod chart;
pub mod check;
pub mod data;
pub mod error;
pub mod figure;
pub mod headers;
pub mod load;
pub mod markdown;
pub mod new;
pub mod output;
pub mod render;
pub mod serve;
pub mod share;
pub mod theme;
pub mod urls;
pub mod write;
mod yaml;

pub use error::{Error, Result};
pub use output::Output;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A 64-bit key of `parts`, to tell whether something changed between two builds of one run.
/// It may differ between Rust versions: where one reaches the image cache's key (through
/// [`figure::Figure::hash`]), a new compiler only costs a cache miss.
pub(crate) fn key(parts: impl std::hash::Hash) -> u64 {
    use std::hash::Hasher;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    parts.hash(&mut h);
    h.finish()
}

/// Keys already made by [`key`], folded into one. Much cheaper than hashing them again, which
/// matters where it runs for every page on every edit in the preview.
pub(crate) fn mix(keys: &[u64]) -> u64 {
    keys.iter().fold(0x9E37_79B9_7F4A_7C15u64, |acc, k| {
        let x = (acc ^ k).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        (x ^ (x >> 31)).wrapping_mul(0x94D0_49BB_1331_11EB).rotate_left(17)
    })
}

/// A map keyed by a [`key`]: the key is already a hash, so it is used as it is.
pub(crate) type ByKey<V> = std::collections::HashMap<u64, V, std::hash::BuildHasherDefault<KeyHasher>>;

#[derive(Default)]
pub(crate) struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8 | u64::from(*b)).wrapping_mul(0x100_0000_01b3);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Reads the `len` bytes `file` holds (its length when it was opened) into `buffer`, in one
/// read where the system allows, without a further read to find the end. A file cut short
/// meanwhile gives what it still holds; the caller decides whether that will do. A length of
/// 0 is read to the end instead, since some network and virtual file systems give 0 for a
/// length they do not know.
pub(crate) fn read_opened(mut file: &std::fs::File, len: u64, buffer: &mut Vec<u8>) -> std::io::Result<()> {
    use std::io::Read;
    if len == 0 {
        buffer.clear();
        return file.read_to_end(buffer).map(drop);
    }
    let len = usize::try_from(len).map_err(|_| std::io::ErrorKind::OutOfMemory)?;
    // Every byte up to `len` is read over, so a buffer is not cleared first: only what it
    // grows by is zeroed, and a new one comes zeroed from the allocator.
    if buffer.capacity() < len {
        *buffer = vec![0; len];
    } else {
        buffer.resize(len, 0);
    }
    let mut at = 0;
    while at < len {
        match file.read(&mut buffer[at..]) {
            Ok(0) => break,
            Ok(n) => at += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    buffer.truncate(at);
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn mixed_keys_depend_on_every_key_and_its_place() {
        let base = super::mix(&[1, 2, 3]);
        assert_ne!(base, super::mix(&[1, 2, 4]));
        assert_ne!(base, super::mix(&[3, 2, 1]));
        assert_ne!(base, super::mix(&[1, 2]));
        assert_eq!(base, super::mix(&[1, 2, 3]));
    }

    #[test]
    fn an_opened_file_is_read_to_the_length_it_had_and_no_further() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, vec![5u8; 200_000]).unwrap();
        let file = std::fs::File::open(&path).unwrap();
        let mut buffer = vec![1, 2, 3];
        super::read_opened(&file, 200_000, &mut buffer).unwrap();
        assert_eq!(buffer, vec![5u8; 200_000], "the old contents are gone and every byte is read");
        // Grown since its length was taken: only that length is read.
        let file = std::fs::File::open(&path).unwrap();
        super::read_opened(&file, 10, &mut buffer).unwrap();
        assert_eq!(buffer, vec![5u8; 10]);
        // Cut short since: what is left, without an error.
        let file = std::fs::File::open(&path).unwrap();
        super::read_opened(&file, 300_000, &mut buffer).unwrap();
        assert_eq!(buffer.len(), 200_000);
        // A length of 0 may be one the file system does not know: read to the end.
        super::read_opened(&std::fs::File::open(&path).unwrap(), 0, &mut buffer).unwrap();
        assert_eq!(buffer.len(), 200_000);
        // A buffer that held more: nothing of it is left over.
        std::fs::write(&path, [5u8; 5]).unwrap();
        let mut buffer = vec![9u8; 100];
        super::read_opened(&std::fs::File::open(&path).unwrap(), 50, &mut buffer).unwrap();
        assert_eq!(buffer, [5u8; 5]);
    }
}

/// What a build did, for the one-line summary.
#[derive(Debug, Clone)]
pub struct BuildReport {
    pub pages: usize,
    pub figures: usize,
    pub files: usize,
    pub bytes: usize,
    pub elapsed: Duration,
    pub out: PathBuf,
    /// Problems that did not stop the build.
    pub warnings: Option<Error>,
}

impl std::fmt::Display for BuildReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "built {} pages, {} figures: {} files, {} bytes in {:.2} s -> {}",
            self.pages,
            self.figures,
            self.files,
            figure::Unit::Count.format(self.bytes as f64),
            self.elapsed.as_secs_f64(),
            self.out.display()
        )
    }
}

/// A loaded site that passed every check, with the warnings it raised.
pub struct Checked {
    pub site: load::Site,
    pub warnings: Option<Error>,
}

/// Loads and checks the site at `root`. Any error fails; the error then carries every
/// problem found, warnings included.
pub fn check(root: &Path) -> Result<Checked> {
    check_at(root, None)
}

/// [`check`], with `base_url` in place of the one in site.yaml (for preview deploys).
pub fn check_at(root: &Path, base_url: Option<&str>) -> Result<Checked> {
    let (mut site, mut problems) = load::load_partial(root)?;
    if let Some(url) = base_url {
        site.config.base_url = load::checked_base_url(url)?;
    }
    problems.extend(check::check(&site).map(Error::into_list).unwrap_or_default());
    problems.extend(render::check_templates(&site).map(Error::into_list).unwrap_or_default());
    match Error::collect(problems) {
        Some(p) if p.error_count() > 0 => Err(p),
        warnings => Ok(Checked { site, warnings }),
    }
}

/// The stage a build is in, for progress display: one of [`STAGES`].
pub type Progress<'a> = &'a dyn Fn(&'static str);

/// The stages of a build, in order.
pub const STAGES: [&str; 3] = ["loading and checking", "drawing charts and rendering pages", "writing"];

/// Loads, checks and renders the site at `root` into memory, minified.
pub fn build_output(root: &Path) -> Result<(Output, Option<Error>)> {
    build_output_with(root, None, &|_| {})
}

fn build_output_with(root: &Path, base_url: Option<&str>, progress: Progress) -> Result<(Output, Option<Error>)> {
    progress(STAGES[0]);
    let Checked { site, warnings } = check_at(root, base_url)?;
    progress(STAGES[1]);
    let mut output = render::render(&site)?;
    // The headers follow the pages as written, so the policy's script hashes match them.
    let hashed: Vec<&str> = output.files.keys().map(|p| &**p).filter(|p| is_hashed_asset(p)).collect();
    let headers = headers::file(&output.files, &site.config.base_path(), &hashed);
    std::sync::Arc::make_mut(&mut output.files).insert(crate::urls::HEADERS.into(), std::sync::Arc::new(headers.into_bytes()));
    Ok((output, warnings))
}

/// `style.3f9a1c0b.css`: a name with a content hash in it.
fn is_hashed_asset(path: &str) -> bool {
    let mut parts = path.rsplit('.');
    let (_, hash) = (parts.next(), parts.next().unwrap_or_default());
    hash.len() == 8 && hash.chars().all(|c| c.is_ascii_hexdigit()) && ["css", "js", "woff2"].iter().any(|e| path.ends_with(e))
}

/// Builds the site at `root` into `out`. On any error, `out` is left as it was.
pub fn build(root: &Path, out: &Path) -> Result<BuildReport> {
    build_with(root, out, None, &|_| {})
}

/// [`build`] with `base_url` in place of site.yaml's (when given), telling `progress` each
/// stage as it starts.
pub fn build_with(root: &Path, out: &Path, base_url: Option<&str>, progress: Progress) -> Result<BuildReport> {
    let started = Instant::now();
    write::check_out_dir(root, out)?;
    let (output, warnings) = build_output_with(root, base_url, progress)?;
    progress(STAGES[2]);
    write::write(&output, out)?;
    Ok(BuildReport {
        pages: output.pages,
        figures: output.figures,
        files: output.len(),
        bytes: output.bytes(),
        elapsed: started.elapsed(),
        out: out.to_path_buf(),
        warnings,
    })
}
