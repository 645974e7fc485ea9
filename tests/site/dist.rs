//! Getting soapbox to campaign staff: the release archive `.ci/dist` makes, unpacked and run on
//! the default site; a new site's build script downloading that archive, checking its SHA-256
//! sum and building with it; and every GitHub workflow, the project's own and the one
//! `soapbox new` writes, through actionlint and zizmor.
//!
//! These need Python 3 (the licence listing), tar and, for the workflows, actionlint and
//! zizmor, which `.ci/run` installs into `target/ci-tools/`.

use crate::common::{guard, TestSite};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn require(what: &str, ok: bool) {
    assert!(ok, "{what} is missing: run `.ci/run`, or install it as `.ci/run` does");
}

/// Runs `command` and insists that it succeeded.
fn run_ok(command: &mut Command, what: &str) -> Output {
    let output = command.output().unwrap_or_else(|e| panic!("could not start {what}: {e}"));
    let (stdout, stderr) = (String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{what} failed:\n{stdout}\n{stderr}");
    output
}

/// `.ci/dist` run on the binary under test, once for the whole suite: the archive's path.
struct Release {
    _dir: tempfile::TempDir,
    archive: PathBuf,
}

fn dist(out: &Path) -> PathBuf {
    let mut command = Command::new("bash");
    command.arg(repo().join(".ci/dist")).arg("--binary").arg(env!("CARGO_BIN_EXE_soapbox")).arg("--out").arg(out);
    let output = run_ok(&mut command, ".ci/dist");
    PathBuf::from(String::from_utf8(output.stdout).unwrap().lines().last().expect("dist names its archive").trim())
}

fn release() -> &'static Release {
    static RELEASE: OnceLock<Release> = OnceLock::new();
    RELEASE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let archive = dist(dir.path());
        Release { _dir: dir, archive }
    })
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn the_release_archive_holds_the_licences_checks_out_and_builds_the_default_site() {
    let archive = &release().archive;
    let name = archive.file_name().unwrap().to_string_lossy().into_owned();
    let folder = name.strip_suffix(".tar.gz").expect("a .tar.gz on this platform");
    assert!(folder.starts_with(&format!("soapbox-{}-", env!("CARGO_PKG_VERSION"))), "{name}");

    // The checksum beside it, in sha256sum's format, matches the bytes.
    let bytes = std::fs::read(archive).unwrap();
    let sum = std::fs::read_to_string(format!("{}.sha256", archive.display())).unwrap();
    assert_eq!(sum, format!("{}  {name}\n", sha256_hex(&bytes)));

    let unpacked = tempfile::tempdir().unwrap();
    run_ok(Command::new("tar").arg("-xzf").arg(archive).arg("-C").arg(unpacked.path()), "tar");
    let top = unpacked.path().join(folder);
    for file in ["soapbox", "README.md", "LICENSE-MIT", "LICENSE-APACHE", "licences/Inter-OFL.txt", "licences/THIRD-PARTY-LICENCES.md"] {
        assert!(top.join(file).is_file(), "{file} is in the archive");
    }
    let crates = std::fs::read_to_string(top.join("licences/THIRD-PARTY-LICENCES.md")).unwrap();
    for line in ["| minify-html | 0.18.1 | MIT |", "| tera | ", "| resvg | "] {
        assert!(crates.contains(line), "the crates' licences list `{line}`");
    }
    assert!(crates.contains("Apache License") && crates.contains("Permission is hereby granted"), "and give their texts");
    assert!(!crates.contains("| tempfile |"), "test-only crates are not in the binary");
    assert!(std::fs::read_to_string(top.join("licences/Inter-OFL.txt")).unwrap().contains("SIL Open Font License"));

    // The unpacked binary builds the default site.
    let site = TestSite::fixture("default");
    let output = Command::new(top.join("soapbox")).arg("build").arg("--root").arg(site.root()).env("NO_COLOR", "1").output().unwrap();
    let stderr = guard::assert_no_panic(&output);
    assert!(output.status.success(), "{stderr}");
    assert!(site.read("index.html").contains("<h1"), "the home page was built");
    assert!(site.out().join("_headers").is_file());
}

#[test]
fn the_release_archive_is_the_same_bytes_every_time() {
    let again = tempfile::tempdir().unwrap();
    let archive = dist(again.path());
    assert_eq!(std::fs::read(archive).unwrap(), std::fs::read(&release().archive).unwrap(), "same binary, same archive");
}

/// A release as GitHub serves it, in a folder: `vVERSION/` with the archive and SHA256SUMS
/// (the release workflow's concatenation of the `.sha256` files), and a `curl` in front of
/// PATH that serves its URLs from there, so a new site's build script runs as on a host.
struct FakeReleases {
    dir: tempfile::TempDir,
}

impl FakeReleases {
    fn new(archive: &Path) -> FakeReleases {
        let dir = tempfile::tempdir().unwrap();
        let tag = dir.path().join("releases").join(format!("v{}", env!("CARGO_PKG_VERSION")));
        std::fs::create_dir_all(&tag).unwrap();
        let name = archive.file_name().unwrap();
        std::fs::copy(archive, tag.join(name)).unwrap();
        std::fs::copy(format!("{}.sha256", archive.display()), tag.join("SHA256SUMS")).unwrap();
        let bin = dir.path().join("bin");
        std::fs::create_dir(&bin).unwrap();
        let prefix = concat!(env!("CARGO_PKG_REPOSITORY"), "/releases/download/");
        let curl = format!(
            "#!/bin/sh\n# Serves {prefix}… from {releases}/.\nout=''\nwhile [ $# -gt 1 ]; do\n  [ \"$1\" = --output ] && out=\"$2\"\n  shift\ndone\ncase \"$1\" in\n  {prefix}*) cp \"{releases}/${{1#{prefix}}}\" \"$out\" ;;\n  *) echo \"curl: unexpected address $1\" >&2; exit 22 ;;\nesac\n",
            releases = dir.path().join("releases").display()
        );
        std::fs::write(bin.join("curl"), curl).unwrap();
        run_ok(Command::new("chmod").arg("+x").arg(bin.join("curl")), "chmod");
        FakeReleases { dir }
    }

    fn tag(&self) -> PathBuf {
        self.dir.path().join("releases").join(format!("v{}", env!("CARGO_PKG_VERSION")))
    }

    /// `sh .soapbox/build.sh ARGS` in `site`, with this fake in front of PATH.
    fn build_script(&self, site: &Path, args: &[&str]) -> Output {
        let path = format!("{}:{}", self.dir.path().join("bin").display(), std::env::var("PATH").unwrap_or_default());
        Command::new("sh").arg(".soapbox/build.sh").args(args).current_dir(site).env("PATH", path).env("NO_COLOR", "1").output().unwrap()
    }
}

fn new_site(parent: &Path) -> PathBuf {
    run_ok(Command::new(env!("CARGO_BIN_EXE_soapbox")).arg("new").arg("campaign").current_dir(parent), "soapbox new");
    parent.join("campaign")
}

#[test]
fn a_new_site_downloads_checks_and_builds_with_the_release_that_wrote_it() {
    let releases = FakeReleases::new(&release().archive);
    let dir = tempfile::tempdir().unwrap();
    let site = new_site(dir.path());
    let output = releases.build_script(&site, &["https://example.org/campaign/"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{}\n{stderr}", String::from_utf8_lossy(&output.stdout));
    let home = std::fs::read_to_string(site.join("public/index.html")).unwrap();
    assert!(home.contains("https://example.org/campaign/"), "built for the address given");

    // An archive whose bytes are not the published ones is refused, and nothing is built.
    std::fs::remove_dir_all(site.join("public")).unwrap();
    let name = release().archive.file_name().unwrap();
    let mut bytes = std::fs::read(releases.tag().join(name)).unwrap();
    bytes.push(0);
    std::fs::write(releases.tag().join(name), bytes).unwrap();
    let output = releases.build_script(&site, &[]);
    assert!(!output.status.success(), "a changed archive must fail the check");
    assert!(String::from_utf8_lossy(&output.stdout).contains("FAILED"), "sha256sum says so");
    assert!(!site.join("public").exists(), "nothing was built");

    // A release without this archive's sum is refused too.
    std::fs::write(releases.tag().join("SHA256SUMS"), "").unwrap();
    let output = releases.build_script(&site, &[]);
    assert!(!output.status.success() && String::from_utf8_lossy(&output.stderr).contains("has no line for"));
}

/// actionlint and zizmor, from `.ci/run`'s tools folder or else PATH.
fn tool(name: &str) -> PathBuf {
    let installed = repo().join("target/ci-tools/bin").join(name);
    if installed.is_file() {
        return installed;
    }
    let found = std::env::var_os("PATH").and_then(|path| std::env::split_paths(&path).map(|d| d.join(name)).find(|p| p.is_file()));
    require(name, found.is_some());
    found.unwrap()
}

#[test]
fn every_workflow_passes_actionlint_and_zizmor() {
    let (actionlint, zizmor) = (tool("actionlint"), tool("zizmor"));
    let dir = tempfile::tempdir().unwrap();
    let site = new_site(dir.path());
    let ours: Vec<PathBuf> = std::fs::read_dir(repo().join(".github/workflows")).unwrap().map(|e| e.unwrap().path()).collect();
    assert!(ours.len() >= 2, "release.yml and ci.yml: {ours:?}");
    let written = site.join(".github/workflows/publish.yml");
    // actionlint's shellcheck pass needs shellcheck; it runs when it is there.
    run_ok(Command::new(&actionlint).args(&ours).arg(&written), "actionlint");
    // zizmor at its default settings; offline, as its online audits need a GitHub token.
    run_ok(Command::new(&zizmor).arg("--offline").args(&ours).arg(&written), "zizmor");
}
