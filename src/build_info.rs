//! Which commit a soapbox binary was built from, for `soapbox --version`. `build.rs` asks git
//! at compile time with [`commit`] and tells cargo, with [`watched`], which files move when
//! the checkout's HEAD does, so that a new commit always rebuilds the version line. Built
//! outside a git checkout (a source archive, no git installed) the answer is
//! "unknown commit", never a failed build.

use std::path::{Path, PathBuf};
use std::process::Command;

/// What the version line says when the commit cannot be known.
pub const UNKNOWN: &str = "unknown commit";

/// The version line's commit part for the source folder `dir`: `commit 0123456789ab`, or
/// [`UNKNOWN`].
pub fn describe(dir: &Path) -> String {
    commit(dir).map_or_else(|| UNKNOWN.to_string(), |hash| format!("commit {}", &hash[..12]))
}

/// The full hash of the commit checked out in `dir`, if `dir` is the top of a git checkout.
/// A source folder unpacked inside some other repository is not that repository's commit.
pub fn commit(dir: &Path) -> Option<String> {
    let top = git(dir, &["rev-parse", "--show-toplevel"])?;
    if std::fs::canonicalize(top).ok()? != std::fs::canonicalize(dir).ok()? {
        return None;
    }
    git(dir, &["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]).filter(|h| h.len() >= 40 && h.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The files and folders whose change means HEAD may have moved: HEAD itself (a checkout
/// switches branch), the folder of the branch's own ref (a commit rewrites the ref, or
/// creates it when it was packed), and `packed-refs`. Only those that exist: cargo would run
/// the build script on every build for a path that does not.
pub fn watched(dir: &Path) -> Vec<PathBuf> {
    if commit(dir).is_none() {
        return Vec::new();
    }
    let path = |name: &str| git(dir, &["rev-parse", "--git-path", name]).map(|p| dir.join(p));
    let branch = git(dir, &["rev-parse", "--symbolic-full-name", "HEAD"]).filter(|r| r.starts_with("refs/"));
    let mut found = vec![path("HEAD"), path("packed-refs")];
    found.push(branch.and_then(|r| path(&r)).and_then(|p| p.parent().map(Path::to_path_buf)));
    found.into_iter().flatten().filter(|p| p.exists()).collect()
}

/// git's answer, trimmed, or nothing when git is missing or fails.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git").arg("-C").arg(dir).args(args).output().ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    (output.status.success() && !text.trim().is_empty()).then(|| text.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_git(dir: &Path, args: &[&str]) {
        let status = Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(["-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"])
            .args(args)
            .output()
            .unwrap();
        assert!(status.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&status.stderr));
    }

    #[test]
    fn a_folder_outside_any_checkout_has_an_unknown_commit_and_nothing_to_watch() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(describe(dir.path()), UNKNOWN);
        assert!(watched(dir.path()).is_empty());
    }

    #[test]
    fn a_checkout_names_its_commit_and_a_new_commit_changes_what_is_watched() {
        let dir = tempfile::tempdir().unwrap();
        run_git(dir.path(), &["init", "-q", "-b", "main"]);
        assert_eq!(describe(dir.path()), UNKNOWN, "a repository without a commit");
        std::fs::write(dir.path().join("a"), "a").unwrap();
        run_git(dir.path(), &["add", "a"]);
        run_git(dir.path(), &["commit", "-q", "-m", "a"]);
        let first = commit(dir.path()).expect("the first commit");
        assert_eq!(describe(dir.path()), format!("commit {}", &first[..12]));
        let watched = watched(dir.path());
        assert!(watched.iter().any(|p| p.ends_with("HEAD")), "{watched:?}");
        assert!(watched.iter().any(|p| p.ends_with("refs/heads")), "the branch's folder: {watched:?}");
        run_git(dir.path(), &["commit", "-q", "--allow-empty", "-m", "b"]);
        assert_ne!(commit(dir.path()), Some(first), "HEAD moved");
        // A folder inside the checkout is not the checkout.
        std::fs::create_dir(dir.path().join("inner")).unwrap();
        assert_eq!(describe(&dir.path().join("inner")), UNKNOWN);
    }
}
