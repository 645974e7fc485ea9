//! Write: minifies the HTML of an [`Output`] and puts it on disk atomically.
//!
//! The whole site is written into a staging folder beside the output folder, then swapped in
//! with two renames. If anything fails, the staging folder is removed and the previous output
//! is left exactly as it was: a reader never sees a half-written site.

use crate::error::{Error, Result};
use crate::render::Output;
use rayon::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};

/// Minifies every HTML page, with its inline CSS and JS. Standalone SVG files are left alone:
/// minify-html would turn them into HTML, which is not valid XML.
pub fn minify(output: &mut Output) {
    let mut cfg = minify_html::Cfg::new();
    cfg.minify_css = true;
    cfg.minify_js = true;
    cfg.keep_closing_tags = true;
    cfg.keep_html_and_head_opening_tags = true;
    output.files.par_iter_mut().filter(|(path, _)| path.ends_with(".html")).for_each(|(_, bytes)| {
        *bytes = minify_html::minify(bytes, &cfg);
    });
}

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

/// Writes `output` to `out`, replacing what was there only once everything is written.
pub fn write(output: &Output, out: &Path) -> Result<()> {
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
    let pid = std::process::id();
    let staging = parent.join(format!(".{name}.staging-{pid}"));
    let retired = parent.join(format!(".{name}.old-{pid}"));
    let _ = fs::remove_dir_all(&staging);
    if let Err(e) = write_tree(output, &staging) {
        let _ = fs::remove_dir_all(&staging);
        return Err(e);
    }
    let had_previous = out.exists();
    if had_previous {
        if let Err(e) = fs::rename(out, &retired) {
            let _ = fs::remove_dir_all(&staging);
            return Err(Error::io("move aside the previous output", out, e));
        }
    }
    if let Err(e) = fs::rename(&staging, out) {
        if had_previous {
            let _ = fs::rename(&retired, out);
        }
        let _ = fs::remove_dir_all(&staging);
        return Err(Error::io("put the new output in place at", out, e));
    }
    if had_previous {
        let _ = fs::remove_dir_all(&retired);
    }
    Ok(())
}

fn write_tree(output: &Output, staging: &Path) -> Result<()> {
    fs::create_dir_all(staging).map_err(|e| Error::io("create", staging, e))?;
    let dirs: std::collections::BTreeSet<PathBuf> =
        output.files.keys().filter_map(|p| Path::new(p).parent().map(Path::to_path_buf)).filter(|p| !p.as_os_str().is_empty()).collect();
    for dir in dirs {
        let full = staging.join(dir);
        fs::create_dir_all(&full).map_err(|e| Error::io("create", &full, e))?;
    }
    output.files.par_iter().try_for_each(|(path, bytes)| {
        let full = staging.join(path);
        fs::write(&full, bytes).map_err(|e| Error::io("write", &full, e))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
        output.files.insert("a/index.html".into(), b"new".to_vec());
        write(&output, &out).unwrap();
        assert_eq!(fs::read(out.join("a/index.html")).unwrap(), b"new");
        assert!(!out.join("stale.html").exists());
        let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
    }
}
