//! The harness every integration test uses: copy a fixture site into a temporary folder, run
//! the real `soapbox` binary on it (every run through the panic guard), and read what it wrote.

#![allow(dead_code)]

pub mod guard;
pub mod server;
pub mod synthetic;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The moment the library-driven tests build at: any fixed moment, as their sites schedule
/// nothing (the events tests name their own).
pub const MOMENT: soapbox::moment::Moment = soapbox::moment::Moment::EPOCH;

pub struct TestSite {
    pub dir: tempfile::TempDir,
}

pub struct Run {
    pub ok: bool,
    pub stderr: String,
}

impl TestSite {
    /// A copy of `tests/fixtures/NAME`, or of the repo's own default site for `"default"`.
    pub fn fixture(name: &str) -> TestSite {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let dir = tempfile::tempdir().expect("temp dir");
        if name == "default" {
            for part in ["content", "templates", "static"] {
                copy_tree(&repo.join(part), &dir.path().join(part));
            }
        } else {
            copy_tree(&repo.join("tests/fixtures").join(name), dir.path());
        }
        TestSite { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn out(&self) -> PathBuf {
        self.root().join("public")
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    pub fn remove(&self, rel: &str) {
        fs::remove_file(self.root().join(rel)).unwrap();
    }

    /// `soapbox build --root ROOT` with extra arguments.
    pub fn build(&self, extra: &[&str]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_soapbox"))
            .arg("build")
            .arg("--root")
            .arg(self.root())
            .args(extra)
            .env("NO_COLOR", "1")
            .output()
            .expect("run soapbox");
        let stderr = guard::assert_no_panic(&output);
        Run { ok: output.status.success(), stderr }
    }

    /// Builds and insists that it worked.
    pub fn build_ok(&self) -> Run {
        let run = self.build(&[]);
        assert!(run.ok, "build failed:\n{}", run.stderr);
        run
    }

    pub fn read(&self, rel: &str) -> String {
        let path = self.out().join(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// Every file of the output folder, by path.
    pub fn tree(&self) -> BTreeMap<String, Vec<u8>> {
        tree(&self.out())
    }
}

pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    collect(dir, dir, &mut files);
    files
}

fn collect(base: &Path, dir: &Path, files: &mut BTreeMap<String, Vec<u8>>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(base, &path, files);
        } else {
            let rel = path.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/");
            files.insert(rel, fs::read(&path).unwrap());
        }
    }
}

pub fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The HTML pages of an output tree.
pub fn pages(files: &BTreeMap<String, Vec<u8>>) -> Vec<(&String, String)> {
    files.iter().filter(|(p, _)| p.ends_with(".html")).map(|(p, b)| (p, String::from_utf8(b.clone()).unwrap())).collect()
}

/// How many times an element opens in minified HTML (`<h1>` or `<h1 class=…>`).
pub fn count_tag(html: &str, tag: &str) -> usize {
    let open = format!("<{tag}");
    html.match_indices(&open).filter(|(i, _)| html[i + open.len()..].starts_with(['>', ' ', '\n'])).count()
}

/// The tags a browser would really read in `html`, with their attribute names (closing tags
/// as `/name`): text inside an HTML `<title>`, attribute values and comments cannot open a
/// tag. A small tokenizer after the HTML standard's rules, enough to tell live markup from
/// escaped text.
pub fn real_tags(html: &str) -> Vec<(String, Vec<String>)> {
    let bytes = html.as_bytes();
    let mut tags = Vec::new();
    let mut in_svg = false;
    let mut i = 0;
    while let Some(at) = html[i..].find('<') {
        i += at + 1;
        if html[i..].starts_with("!--") {
            i = html[i..].find("-->").map_or(html.len(), |e| i + e + 3);
            continue;
        }
        if html[i..].starts_with('!') {
            i = html[i..].find('>').map_or(html.len(), |e| i + e + 1);
            continue;
        }
        if html[i..].starts_with('/') {
            let end = html[i..].find('>').map_or(html.len(), |e| i + e);
            let name = html[i + 1..end].trim().to_ascii_lowercase();
            in_svg &= name != "svg";
            tags.push((format!("/{name}"), Vec::new()));
            i = (end + 1).min(html.len());
            continue;
        }
        let name_len = html[i..].find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(html.len() - i);
        if name_len == 0 {
            continue;
        }
        let name = html[i..i + name_len].to_ascii_lowercase();
        i += name_len;
        let mut attrs = Vec::new();
        loop {
            while i < bytes.len() && (bytes[i] as char).is_whitespace() || i < bytes.len() && bytes[i] == b'/' {
                i += 1;
            }
            if i >= bytes.len() || bytes[i] == b'>' {
                i += 1;
                break;
            }
            let start = i;
            while i < bytes.len() && !(bytes[i] as char).is_whitespace() && !b"=>/".contains(&bytes[i]) {
                i += 1;
            }
            attrs.push(html[start..i].to_ascii_lowercase());
            if i < bytes.len() && bytes[i] == b'=' {
                i += 1;
                match bytes.get(i) {
                    Some(q @ (b'"' | b'\'')) => {
                        let q = *q as char;
                        i = html[i + 1..].find(q).map_or(html.len(), |e| i + 1 + e + 1);
                    }
                    _ => {
                        while i < bytes.len() && !(bytes[i] as char).is_whitespace() && bytes[i] != b'>' {
                            i += 1;
                        }
                    }
                }
            }
        }
        in_svg |= name == "svg";
        let raw_text = ["textarea", "script", "style"].contains(&name.as_str()) || name == "title" && !in_svg;
        if raw_text {
            let close = format!("</{name}");
            i = html[i..].to_ascii_lowercase().find(&close).map_or(html.len(), |e| i + e);
        }
        tags.push((name, attrs));
    }
    tags
}
