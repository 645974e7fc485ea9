//! `soapbox new`: a small working site to start from, with every key explained in comments.
//! The built-in theme means it needs no templates; it builds as soon as it is written.

use crate::error::{Error, Result};
use std::fs;
use std::path::Path;

const SITE: &str = r#"# The settings of your campaign site. Every key is explained; unknown keys are errors,
# so a typo is caught rather than ignored.

# The campaign's name: shown in the header, page titles and share images.
title: Our campaign
# A short strapline for the home page and the share card (optional).
tagline: One sentence that says what you want to change.
# Used in search results and link previews when a page has no description of its own.
description: What the campaign is about, in a sentence or two.
# The address the site will live at. It may have a path, such as https://example.org/campaign/
base_url: https://campaign.example.org/
# The language of the text, such as en-GB (British English) or cy (Welsh).
language: en-GB
# The campaign hashtag, without the # (optional).
hashtag: OurCampaign
# Who runs the campaign, and their website (optional).
organisation: Our organisation
organisation_url: https://www.example.org/
"#;

const INDEX: &str = r#"---
title: Our campaign
description: The case for change, in numbers.
weight: 1
nav_title: Home
---
Write your pages in Markdown. Numbers come from the figure files in `content/figures/`,
so the text and the charts always agree: {{ value(id="example", label="Agree") }} of the
people asked agreed, out of {{ value(id="example", key="asked") }}.

A chart is a fenced block with the figure's id:

```chart example
```

## Next steps

- Edit `content/site.yaml` with your campaign's name and address.
- Replace `content/figures/example.yaml` with your own numbers and their source.
- Run `soapbox serve` and open http://127.0.0.1:4000 to see changes as you type.
"#;

const FIGURE: &str = r#"# One figure: the numbers behind one chart. Its id is the file name: example.
# These example numbers are placeholders: replace them, and the source, with your own.

# The finding, in plain words. It is the chart's title and its caption when shared.
title: Most people asked agree that change is needed
subtitle: Example survey, share of responses            # optional
source: Example survey (replace with your source)        # required: where the numbers come from
# source_url: https://www.example.org/report            # optional: a link to it
note: These are example numbers.                         # optional
chart: bar        # bar (horizontal), column, stacked-bar, donut or line
unit: percent     # percent (32.6%), count (1,628), number (1.7), £ / € / $ (£3.50), or a rate: per 1000
data:             # label and value, in the order to show them; null means not reported
  - { label: Agree, value: 62 }
  - { label: Disagree, value: 23 }
  - { label: Not sure, value: 15 }
values:           # named numbers to quote in the text
  asked: { value: 1200, unit: count }
"#;

/// What git should leave out: the built site, the build kept beside it for the next one, and
/// the cache (which also ignores itself).
const GITIGNORE: &str = "# Made by soapbox build: rebuild them rather than commit them.\n/public/\n/.public.soapbox-spare/\n/.soapbox-cache/\n";

/// Publishing in one push: the script every host runs (download this soapbox's release, check
/// its SHA-256 sum, build), the GitHub Pages workflow, and Netlify's settings. Cloudflare Pages
/// has no settings file for a build command; the script's opening comment says what to set.
const BUILD_SCRIPT: &str = include_str!("new/build.sh");
const PUBLISH_WORKFLOW: &str = include_str!("new/publish.yml");
const NETLIFY: &str = include_str!("new/netlify.toml");

/// Where this soapbox's release binaries are published, one folder per tag.
const RELEASES: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/releases/download");

/// The files of a new site, by path. The publishing files download exactly the soapbox that
/// wrote them, so the site builds on a host as it built here.
fn files() -> [(&'static str, String); 7] {
    let publishing = |text: &str| text.replace("@VERSION@", env!("CARGO_PKG_VERSION")).replace("@RELEASES@", RELEASES);
    [
        (".github/workflows/publish.yml", publishing(PUBLISH_WORKFLOW)),
        (".gitignore", GITIGNORE.to_string()),
        (".soapbox/build.sh", publishing(BUILD_SCRIPT)),
        ("content/figures/example.yaml", FIGURE.to_string()),
        ("content/index.md", INDEX.to_string()),
        ("content/site.yaml", SITE.to_string()),
        ("netlify.toml", publishing(NETLIFY)),
    ]
}

/// Writes a new site into `dir`, which must be empty or not exist yet.
///
/// The site is written into a staging folder beside `dir` and moved into place only once it
/// is whole, so a full disk or a kill never leaves half a site that a retry would refuse: a
/// failed `new` leaves `dir` as it found it.
pub fn new_site(dir: &Path) -> Result<()> {
    new_site_with(dir, &|path, text| fs::write(path, text))
}

fn new_site_with(dir: &Path, write: &dyn Fn(&Path, &str) -> std::io::Result<()>) -> Result<()> {
    let existed = dir.exists();
    if existed {
        let mut entries = fs::read_dir(dir).map_err(|e| Error::io("read", dir, e))?;
        if entries.next().is_some() {
            return Err(Error::new(format!("`{}` is not empty, so soapbox will not write a new site into it", dir.display()))
                .hint("choose a new folder name, such as `soapbox new my-campaign`"));
        }
    }
    // Named from the real path, so that `soapbox new .` stages beside the current folder.
    let real = if existed { fs::canonicalize(dir).map_err(|e| Error::io("open", dir, e))? } else { dir.to_path_buf() };
    let name = real.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "site".into());
    let staging = real.with_file_name(format!(".{name}.soapbox-new-{}", std::process::id()));
    if let Some(parent) = staging.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
    }
    let _ = fs::remove_dir_all(&staging);
    let written = stage(&staging, write).and_then(|()| move_into_place(&staging, &real, existed));
    if written.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    written
}

/// Writes every file of the new site under `staging`.
fn stage(staging: &Path, write: &dyn Fn(&Path, &str) -> std::io::Result<()>) -> Result<()> {
    for (path, text) in files() {
        let full = staging.join(path);
        if let Some(parent) = full.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
        }
        write(&full, &text).map_err(|e| Error::io("write", &full, e))?;
    }
    Ok(())
}

/// Moves the whole site from `staging` to `dir`: the folder itself when there is none yet, or
/// its entries into the empty folder that is there (which may be someone's working folder,
/// so it is never replaced). `content/` goes last: a site without it is no site, and when a
/// move fails the entries moved before it go back.
fn move_into_place(staging: &Path, dir: &Path, existed: bool) -> Result<()> {
    if !existed {
        return fs::rename(staging, dir).map_err(|e| Error::io("create", dir, e));
    }
    let mut names: Vec<String> = files().iter().map(|(path, _)| path.split('/').next().unwrap_or(path).to_string()).collect();
    names.dedup();
    names.sort_by_key(|name| name == "content");
    for (i, name) in names.iter().enumerate() {
        if let Err(e) = fs::rename(staging.join(name), dir.join(name)) {
            for back in &names[..i] {
                let _ = fs::rename(dir.join(back), staging.join(back));
            }
            return Err(Error::io("create", &dir.join(name), e));
        }
    }
    fs::remove_dir(staging).map_err(|e| Error::io("remove", staging, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_a_site_that_builds_and_refuses_a_full_folder() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("campaign");
        new_site(&site).unwrap();
        let checked = crate::check(&site).unwrap();
        assert!(checked.warnings.is_none(), "{:?}", checked.warnings);
        let ignored = fs::read_to_string(site.join(".gitignore")).unwrap();
        assert!(["/public/", "/.public.soapbox-spare/", "/.soapbox-cache/"].iter().all(|p| ignored.contains(p)), "{ignored}");
        let err = new_site(&site).unwrap_err();
        assert!(err.message().contains("is not empty"));
    }

    #[test]
    fn a_new_site_publishes_with_exactly_the_soapbox_that_wrote_it() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("campaign");
        new_site(&site).unwrap();
        let read = |path: &str| fs::read_to_string(site.join(path)).unwrap();
        for (path, _) in files() {
            assert!(!read(path).contains("@VERSION@") && !read(path).contains("@RELEASES@"), "{path} is filled in");
        }
        let script = read(".soapbox/build.sh");
        assert!(script.contains(&format!("\nversion={}\n", env!("CARGO_PKG_VERSION"))), "{script}");
        assert!(script.contains(&format!("\nreleases={RELEASES}\n")) && RELEASES.starts_with("https://github.com/"), "{script}");
        assert!(script.contains("sha256sum -c"), "the download is checked");
        let netlify = read("netlify.toml");
        assert!(netlify.contains("command = \"sh .soapbox/build.sh\"") && netlify.contains("publish = \"public\""), "{netlify}");
        let workflow = read(".github/workflows/publish.yml");
        assert!(workflow.contains("run: sh .soapbox/build.sh \"$BASE_URL/\""), "built for the Pages address");
        assert!(workflow.contains("name: site-preview"), "a pull request's preview is an artifact");
        let uses: Vec<&str> = workflow.lines().filter_map(|l| l.trim().trim_start_matches("- ").strip_prefix("uses: ")).collect();
        assert_eq!(uses.len(), 5, "{uses:?}");
        for action in uses {
            let (_, pin) = action.split_once('@').unwrap();
            let (hash, tag) = pin.split_once(" # v").unwrap_or_else(|| panic!("{action} names its tag"));
            assert!(hash.len() == 40 && hash.bytes().all(|b| b.is_ascii_hexdigit()) && !tag.is_empty(), "{action} is pinned by commit");
        }
    }

    /// Everything in `dir`, by name.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    }

    #[test]
    fn case_17_a_new_site_that_cannot_be_written_leaves_nothing_and_a_retry_works() {
        let full_disk = |fail_at: usize| {
            let count = std::cell::Cell::new(0);
            move |path: &Path, text: &str| {
                count.set(count.get() + 1);
                if count.get() > fail_at {
                    return Err(std::io::Error::from_raw_os_error(28));
                }
                fs::write(path, text)
            }
        };
        for fail_at in 0..files().len() {
            let dir = tempfile::tempdir().unwrap();
            // A folder that is not there yet, and an empty one made beforehand.
            for (site, made) in [(dir.path().join("campaign"), false), (dir.path().join("made"), true)] {
                if made {
                    fs::create_dir(&site).unwrap();
                }
                let err = new_site_with(&site, &full_disk(fail_at)).unwrap_err();
                assert!(err.message().contains("could not write"), "{}", err.message());
                if made {
                    assert!(names(&site).is_empty(), "the empty folder stays empty");
                } else {
                    assert!(!site.exists(), "no half-written site");
                }
                new_site(&site).unwrap();
                assert!(crate::check(&site).is_ok(), "the retry writes a whole site");
            }
            assert_eq!(names(dir.path()), ["campaign", "made"], "no staging folder is left behind");
        }
    }
}
