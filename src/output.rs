//! The hand-off between the stages: [`Output`], the built site in memory (output path to
//! bytes), and the kinds of content it holds, including [`Stored`], a file left in the disk
//! cache until it is written. Render makes an `Output`; write, headers and serve read it
//! without depending on render. It is on the bottom floor: it imports nothing of soapbox.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A file's bytes, shared between the render cache, the output and the preview server.
pub type Bytes = Arc<Vec<u8>>;

/// An output path (`asks/index.html`), shared the same way: the render cache, the output and
/// the preview's two maps all hold the same paths.
pub type OutPath = Arc<str>;

/// Every file of a built site: output path (`asks/index.html`) to bytes. Shared, so that the
/// preview can serve one while the next edit is patched into another.
pub type Files = Arc<BTreeMap<OutPath, Bytes>>;

/// The built site, before it is written.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Output {
    pub files: Files,
    /// Files that stay in the disk cache until they are written: a build's share images and
    /// chart SVGs, as soon as they are stored there. The preview has none; it serves
    /// everything from `files`.
    pub stored: BTreeMap<OutPath, Stored>,
    pub pages: usize,
    /// Of a site in several languages, each language's name (in itself) and its pages.
    pub languages: Vec<(String, usize)>,
    pub figures: usize,
}

impl Output {
    /// How many files the site has.
    pub fn len(&self) -> usize {
        self.files.len() + self.stored.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The size of the whole site.
    pub fn bytes(&self) -> usize {
        self.files.values().map(|b| b.len()).sum::<usize>() + self.stored.values().map(|s| s.len as usize).sum::<usize>()
    }
}

/// An output file that stays in the cache until it is written: the entry at `path`, `len`
/// bytes long, checked when it was looked up or stored just then. Entries are only ever
/// replaced whole by a rename, so the bytes at `path` stay the ones that were checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub path: PathBuf,
    pub len: u64,
    /// The entry's device and inode (see [`file_id`]): an output file that is the same file
    /// holds its bytes without being read.
    pub id: Option<(u64, u64)>,
}

impl Stored {
    /// The entry at `path`, as `metadata` describes it.
    pub fn at(path: &Path, metadata: &fs::Metadata) -> Stored {
        Stored { path: path.to_path_buf(), len: metadata.len(), id: file_id(metadata) }
    }
}

/// A file's device and inode, where the system has them: the same pair is the same file.
pub fn file_id(metadata: &fs::Metadata) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        Some((metadata.dev(), metadata.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = metadata;
        None
    }
}
