//! soapbox's code hash: one number for every file that decides what soapbox makes (its source,
//! fonts and built-in theme). `build.rs` computes it at compile time with [`of_tree`], and the
//! disk cache keys every entry by it, so a cache written by any other build of soapbox is
//! never used. No hand-kept list of files can forget one.

use std::path::{Path, PathBuf};

/// The folders of the repository whose files decide soapbox's output.
pub const FOLDERS: [&str; 3] = ["src", "templates", "static"];

/// A 64-bit FNV-1a hash of every file under `folders` of `root`, in path order: each file's
/// path, length and bytes. Any change to a file's name or contents changes it.
pub fn of_tree(root: &Path, folders: &[&str]) -> std::io::Result<u64> {
    let mut files = Vec::new();
    for folder in folders {
        walk(&root.join(folder), &mut files)?;
    }
    files.sort();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            hash = (hash ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    };
    for file in &files {
        let bytes = std::fs::read(file)?;
        let name = file.strip_prefix(root).unwrap_or(file);
        eat(name.to_string_lossy().as_bytes());
        eat(&(bytes.len() as u64).to_le_bytes());
        eat(&bytes);
    }
    Ok(hash)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        if kind.is_dir() {
            walk(&entry.path(), files)?;
        } else if kind.is_file() {
            files.push(entry.path());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_change_under_the_folders_changes_the_hash_and_nothing_else_does() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for (path, text) in [("src/lib.rs", "pub mod a;"), ("src/chart/a.rs", "fn a() {}"), ("templates/base.html", "<html>"), ("static/style.css", "a{}")] {
            std::fs::create_dir_all(root.join(path).parent().unwrap()).unwrap();
            std::fs::write(root.join(path), text).unwrap();
        }
        let hash = || of_tree(root, &FOLDERS).unwrap();
        let first = hash();
        assert_eq!(hash(), first, "the same files give the same hash");
        std::fs::write(root.join("README.md"), "not code").unwrap();
        assert_eq!(hash(), first, "a file outside the folders is not code");
        let mut seen = vec![first];
        for (path, text) in [("src/chart/a.rs", "fn a() { }"), ("templates/base.html", "<html lang=cy>"), ("static/style.css", "a{}b{}"), ("src/new.rs", "")] {
            std::fs::write(root.join(path), text).unwrap();
            let now = hash();
            assert!(!seen.contains(&now), "changing {path} changes the hash");
            seen.push(now);
        }
        std::fs::rename(root.join("src/new.rs"), root.join("src/renamed.rs")).unwrap();
        assert!(!seen.contains(&hash()), "a renamed file changes the hash");
    }
}
