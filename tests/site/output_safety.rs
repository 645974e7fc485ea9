//! The output folder is soapbox's only when it made it: anything else is refused untouched,
//! hand-placed files are never deleted, links out of the site are never followed, and a build
//! killed at any moment leaves a whole site with nothing orphaned. Issue 17, cases 1-5.

use crate::common::{tree, TestSite};
use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::Command;

/// The site's files in `out`, without soapbox's manifest.
fn site_files(out: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = tree(out);
    files.remove(".soapbox-manifest");
    files
}

/// What lies beside the output in the site folder, made by soapbox.
fn beside(site: &TestSite) -> Vec<String> {
    let mut names: Vec<String> =
        fs::read_dir(site.root()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).filter(|n| n.starts_with(".public.")).collect();
    names.sort();
    names
}

#[test]
fn an_output_of_the_layout_before_manifests_keeps_building() {
    for with_spare in [false, true] {
        let site = TestSite::fixture("kinds");
        // What the build before this version left: pages, a `_headers` it wrote, no manifest.
        let out = site.out();
        fs::create_dir_all(out.join("old-page")).unwrap();
        fs::write(out.join("old-page/index.html"), "<!doctype html>old").unwrap();
        fs::write(out.join("index.html"), "<!doctype html>old home").unwrap();
        fs::write(out.join("_headers"), "# Written by soapbox build. Netlify and Cloudflare Pages read this file.\n/*\n  X-Content-Type-Options: nosniff\n")
            .unwrap();
        if with_spare {
            fs::remove_file(out.join("_headers")).unwrap();
            fs::create_dir_all(site.root().join(".public.soapbox-spare/older")).unwrap();
            fs::write(site.root().join(".public.soapbox-spare/older/index.html"), "older").unwrap();
        }
        let run = site.build(&[]);
        assert!(run.ok, "spare {with_spare}: {}", run.stderr);
        assert!(!out.join("old-page").exists(), "what the earlier build wrote is soapbox's to remove");
        assert!(site.read(".soapbox-manifest").contains("\nindex.html\n"));
        site.build_ok();
        assert!(!site.root().join(".public.soapbox-spare/older").exists());
    }
}

#[test]
fn case_1_an_out_folder_soapbox_did_not_make_is_refused_untouched() {
    let site = TestSite::fixture("kinds");
    let docs = site.root().join("docs");
    fs::create_dir(&docs).unwrap();
    fs::write(docs.join("thesis.txt"), "thesis").unwrap();
    for _ in 0..2 {
        let run = site.build(&["--out", docs.to_str().unwrap()]);
        assert!(!run.ok && run.stderr.contains("soapbox did not write, such as `thesis.txt`"), "{}", run.stderr);
    }
    assert_eq!(tree(&docs), BTreeMap::from([("thesis.txt".to_string(), b"thesis".to_vec())]));
    assert!(!site.root().join(".docs.soapbox-spare").exists());
}

#[test]
fn case_2_an_out_that_is_a_file_is_refused_untouched() {
    let site = TestSite::fixture("kinds");
    let file = site.root().join("notes");
    fs::write(&file, "mine").unwrap();
    let run = site.build(&["--out", file.to_str().unwrap()]);
    assert!(!run.ok && run.stderr.contains("it is a file, not a folder"), "{}", run.stderr);
    assert_eq!(fs::read(&file).unwrap(), b"mine");
}

#[cfg(unix)]
#[test]
fn case_3_a_cache_linked_out_of_the_site_is_left_alone() {
    for linked in [".soapbox-cache", ".soapbox-cache/images"] {
        let site = TestSite::fixture("kinds");
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("precious.txt"), "mine").unwrap();
        let link = site.root().join(linked);
        fs::create_dir_all(link.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(outside.path(), &link).unwrap();
        site.build_ok();
        site.build_ok();
        assert_eq!(tree(outside.path()), BTreeMap::from([("precious.txt".to_string(), b"mine".to_vec())]), "{linked}");
        assert!(site.out().join("index.html").exists());
    }
}

#[cfg(unix)]
#[test]
fn case_4_an_out_that_is_a_symlink_is_refused_with_the_real_folder() {
    let site = TestSite::fixture("kinds");
    let web = tempfile::tempdir().unwrap();
    let real = web.path().join("www");
    fs::create_dir(&real).unwrap();
    std::os::unix::fs::symlink(&real, site.out()).unwrap();
    let run = site.build(&[]);
    let shown = format!("--out {}", fs::canonicalize(&real).unwrap().display());
    assert!(!run.ok && run.stderr.contains("symbolic link") && run.stderr.contains(&shown), "{}", run.stderr);
    assert!(fs::symlink_metadata(site.out()).unwrap().file_type().is_symlink(), "the link is left as it was");
    let run = site.build(&["--out", real.to_str().unwrap()]);
    assert!(run.ok, "{}", run.stderr);
    assert!(real.join("index.html").exists());
}

#[test]
fn hand_placed_files_in_the_output_stop_the_build_and_are_kept() {
    let site = TestSite::fixture("kinds");
    site.build_ok();
    fs::write(site.out().join("CNAME"), "example.org").unwrap();
    fs::create_dir_all(site.out().join(".git")).unwrap();
    fs::write(site.out().join(".git/HEAD"), "ref").unwrap();
    for _ in 0..2 {
        let run = site.build(&[]);
        assert!(!run.ok && run.stderr.contains("`.git/`, `CNAME`") && run.stderr.contains("static/"), "{}", run.stderr);
    }
    assert_eq!(fs::read(site.out().join("CNAME")).unwrap(), b"example.org");
    assert_eq!(fs::read(site.out().join(".git/HEAD")).unwrap(), b"ref");
    // Moved into static/, it is part of every build.
    fs::create_dir_all(site.root().join("static")).unwrap();
    fs::rename(site.out().join("CNAME"), site.root().join("static/CNAME")).unwrap();
    fs::remove_dir_all(site.out().join(".git")).unwrap();
    site.build_ok();
    assert_eq!(site.read("CNAME"), "example.org");
}

/// The real binary, killed with SIGKILL at many moments of builds that change the site: the
/// output is always one whole build, and the next build leaves nothing orphaned beside it.
#[test]
fn case_5_a_build_killed_at_any_moment_leaves_a_whole_site() {
    let site = TestSite::fixture("kinds");
    for f in fs::read_dir(site.root().join("content")).unwrap() {
        let path = f.unwrap().path();
        if path.is_dir() {
            fs::remove_dir_all(path).unwrap();
        } else {
            fs::remove_file(path).unwrap();
        }
    }
    crate::common::synthetic::generate(site.root(), 300, 10);
    let version = |v: usize| site.write("content/index.md", &format!("---\ntitle: Home\nweight: 1\n---\nVersion {v}. [News](/news/).\n"));
    // Each version, built whole, to compare with.
    let references: Vec<BTreeMap<String, Vec<u8>>> = (0..2)
        .map(|v| {
            version(v);
            let started = std::time::Instant::now();
            site.build_ok();
            let files = site_files(&site.out());
            (files, started.elapsed())
        })
        .map(|(files, _)| files)
        .collect();
    assert_ne!(references[0], references[1]);
    let started = std::time::Instant::now();
    site.build_ok();
    let took = started.elapsed();
    for kill in 0..16u32 {
        let v = kill as usize % 2;
        version(v);
        let mut child = Command::new(env!("CARGO_BIN_EXE_soapbox"))
            .args(["build", "--quiet", "--root"])
            .arg(site.root())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Moments spread over a whole build, from its start to past its end.
        std::thread::sleep(took * kill / 12);
        let _ = child.kill();
        // Killed, it says nothing; a build that ended first must have ended cleanly.
        crate::common::guard::assert_no_panic(&child.wait_with_output().unwrap());
        let found = site_files(&site.out());
        assert!(found == references[0] || found == references[1], "kill {kill}: not a whole site");
    }
    site.build_ok();
    assert_eq!(beside(&site), [".public.soapbox-spare"], "nothing orphaned");
}
