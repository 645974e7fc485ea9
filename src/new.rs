//! `soapbox new`: a small working site to start from, with every key explained in comments.
//! The built-in theme means it needs no templates; it builds as soon as it is written.

use crate::error::{Error, Result};
use crate::strings::Language;
use std::fs;
use std::path::Path;

const SITE: &str = r#"# The settings of your campaign site. Every key is explained; unknown keys are errors,
# so a typo is caught rather than ignored.

# The campaign's name: shown in the header, page titles and share images.
title: @TITLE@
# A short strapline for the home page and the share card (optional).
tagline: @TAGLINE@
# Used in search results and link previews when a page has no description of its own.
description: @DESCRIPTION@
# The address the site will live at. It may have a path, such as https://example.org/campaign/
base_url: https://campaign.example.org/
# The language of the text, such as en-GB (British English) or cy (Welsh).
language: @LANGUAGE@
# The campaign hashtag, without the # (optional).
hashtag: @HASHTAG@
# Who runs the campaign, and their website (optional).
organisation: @ORGANISATION@
organisation_url: https://www.example.org/
"#;

/// The `languages:` block of a site in more than one language, opened once.
const LANGUAGES: &str = r#"
# The site's other languages, each with the site's own words in it; a word left out is the
# default language's (above). A page's translation sits beside it, named for its language
# (index.@TAG@.md beside index.md), and is published under the language's prefix (/@TAG@/).
# The theme's own words (the menu, "Source:", dates) are built in for English and Welsh.
languages:
"#;

/// One language under `languages:`.
const LANGUAGE: &str = r#"  @TAG@:
    # The campaign's name, strapline and description in this language.
    title: @TITLE@
    tagline: @TAGLINE@
    description: @DESCRIPTION@
    # Who runs the campaign, where its name differs in this language (optional).
    organisation: @ORGANISATION@
    # The Quick exit button's words, if you set quick_exit (optional: the theme has them).
    # quick_exit: @QUICK_EXIT@
"#;

const INDEX: &str = r#"---
title: Our campaign
description: The case for change, in numbers.
weight: 1
nav_title: Home
---
Write your pages in Markdown. Numbers come from the figure files in `content/figures/`,
so the text and the charts always agree: {{ value(id="example", label="@AGREE@") }} of the
people asked agreed, out of {{ value(id="example", key="asked") }}.

A chart is a fenced block with the figure's id:

```chart example
```

## Next steps

- Edit `content/site.yaml` with your campaign's name and address.
- Replace `content/figures/example.yaml` with your own numbers and their source.
- Run `soapbox serve` and open http://127.0.0.1:4000 to see changes as you type.
"#;

const INDEX_CY: &str = r#"---
title: Ein hymgyrch
description: Y ddadl dros newid, mewn rhifau.
weight: 1
nav_title: Hafan
---
Ysgrifennwch eich tudalennau yn Markdown. Daw'r rhifau o'r ffeiliau ffigurau yn
`content/figures/`, felly mae'r testun a'r siartiau bob amser yn cytuno: cytunodd
{{ value(id="example", label="@AGREE@") }} o'r {{ value(id="example", key="asked") }} o bobl a holwyd.

I ddangos siart, ysgrifennwch floc wedi'i ffensio gydag id y ffigur:

```chart example
```

## Y camau nesaf

- Golygwch `content/site.yaml` gydag enw a chyfeiriad eich ymgyrch.
- Rhowch eich rhifau eich hun, a'u ffynhonnell, yn lle'r rhai yn `content/figures/example.yaml`.
- Rhedwch `soapbox serve` ac agorwch http://127.0.0.1:4000 i weld y newidiadau wrth i chi deipio.
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

/// The example figure's words in Welsh, for a site whose default language is Welsh: each
/// English text of [`FIGURE`] and the Welsh that replaces it (the comments stay English).
const FIGURE_CY: &[(&str, &str)] = &[
    ("title: Most people asked agree that change is needed", "title: Mae'r rhan fwyaf o'r bobl a holwyd yn cytuno bod angen newid"),
    ("subtitle: Example survey, share of responses", "subtitle: Arolwg enghreifftiol, cyfran yr ymatebion"),
    ("source: Example survey (replace with your source)", "source: Arolwg enghreifftiol (rhowch eich ffynhonnell chi yn ei le)"),
    ("note: These are example numbers.", "note: Rhifau enghreifftiol yw'r rhain."),
    ("label: Agree,", "label: Cytuno,"),
    ("label: Disagree,", "label: Anghytuno,"),
    ("label: Not sure,", "label: Ddim yn siŵr,"),
];

/// A new site's own words in one language: site.yaml's, the home page's and the example
/// figure's. Every language with built-in strings has them (see [`words`]).
struct Words {
    title: &'static str,
    tagline: &'static str,
    description: &'static str,
    hashtag: &'static str,
    organisation: &'static str,
    quick_exit: &'static str,
    index: &'static str,
    /// The last of the home page's next steps in a site of several languages; `@OTHER@` is
    /// the file of the same page in another language.
    translations: &'static str,
    /// The figure's text in this language, and the label of its first data point, which the
    /// home pages quote.
    figure: fn() -> String,
    agree: &'static str,
}

const ENGLISH: Words = Words {
    title: "Our campaign",
    tagline: "One sentence that says what you want to change.",
    description: "What the campaign is about, in a sentence or two.",
    hashtag: "OurCampaign",
    organisation: "Our organisation",
    quick_exit: "Quick exit",
    index: INDEX,
    translations: "- Keep each page's translation beside it, named for its language, such as `content/@OTHER@`.\n",
    figure: || FIGURE.to_string(),
    agree: "Agree",
};

const WELSH: Words = Words {
    title: "Ein hymgyrch",
    tagline: "Un frawddeg sy'n dweud beth rydych chi am ei newid.",
    description: "Beth yw pwrpas yr ymgyrch, mewn brawddeg neu ddwy.",
    hashtag: "EinHymgyrch",
    organisation: "Ein sefydliad",
    quick_exit: "Gadael yn gyflym",
    index: INDEX_CY,
    translations: "- Cadwch gyfieithiad pob tudalen wrth ei hochr, fel `content/@OTHER@`.\n",
    figure: || FIGURE_CY.iter().fold(FIGURE.to_string(), |text, (english, welsh)| text.replace(english, welsh)),
    agree: "Cytuno",
};

/// The words of a new site in `language`: a language soapbox has strings for has them too.
fn words(language: Language) -> &'static Words {
    match language {
        Language::English => &ENGLISH,
        Language::Welsh => &WELSH,
    }
}

/// The languages whose words are built in, as the refusal of any other names them.
const BUILT_IN: &str = "English (`en`, `en-GB`) and Welsh (`cy`)";

/// The languages of a new site, the default first. Only languages whose words soapbox has
/// built in: a site in any other needs a whole strings file written before it builds.
#[derive(Debug, Clone, PartialEq)]
pub struct Languages(Vec<(String, Language)>);

impl Default for Languages {
    /// A site in British English only, as `soapbox new` without `--languages` writes.
    fn default() -> Self {
        Languages(vec![("en-GB".to_string(), Language::English)])
    }
}

impl Languages {
    /// Reads `--languages`: language tags with commas between them, the default first, such
    /// as `en-GB,cy`. Every fault in the list is reported, not only the first.
    pub fn parse(list: &str) -> Result<Languages> {
        let usage = "list the site's languages with commas between them, the default first, such as `--languages en-GB,cy`";
        if list.trim().is_empty() {
            return Err(Error::new("`--languages` names no language").hint(usage));
        }
        let mut languages: Vec<(String, Language)> = Vec::new();
        let mut errors = Vec::new();
        for tag in list.split(',').map(str::trim) {
            if tag.is_empty() {
                errors.push(Error::new(format!("`--languages {list}` has an empty part between its commas")).hint(usage));
            } else if !is_language_tag(tag) {
                errors.push(
                    Error::new(format!("`{tag}` in `--languages` is not a language tag"))
                        .hint("a tag is letters with hyphens between its parts, such as `en-GB` (British English) or `cy` (Welsh)"),
                );
            } else if let Some(language) = Language::of(tag) {
                if let Some((same, _)) = languages.iter().find(|(_, known)| *known == language) {
                    let message = if same.eq_ignore_ascii_case(tag) {
                        format!("`{tag}` is in `--languages` twice")
                    } else {
                        format!("`{same}` and `{tag}` in `--languages` are the same language")
                    };
                    errors.push(Error::new(message).hint("list each language once"));
                } else {
                    languages.push((tag.to_string(), language));
                }
            } else {
                errors.push(Error::new(format!("soapbox has no built-in words in `{tag}`, so `new` cannot start a site in it")).hint(format!(
                    "the built-in languages are {BUILT_IN}; for another, start with them and add a strings file for `{tag}` that translates every word of the theme, as the README's \"Two languages\" says"
                )));
            }
        }
        match Error::collect(errors) {
            Some(errors) => Err(errors),
            None => Ok(Languages(languages)),
        }
    }

    fn default_language(&self) -> (&str, Language) {
        let (tag, language) = &self.0[0];
        (tag, *language)
    }

    fn others(&self) -> &[(String, Language)] {
        &self.0[1..]
    }
}

/// A BCP 47 language tag's shape, as site.yaml's `language` is read: `en-GB`, `cy`.
fn is_language_tag(tag: &str) -> bool {
    tag.split('-').all(|part| !part.is_empty() && part.len() <= 8 && part.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// `text` with each `@NAME@` replaced.
fn fill(text: &str, with: &[(&str, &str)]) -> String {
    with.iter().fold(text.to_string(), |text, (name, value)| text.replace(&format!("@{name}@"), value))
}

/// site.yaml: the default language's words, then each other language's under `languages:`.
fn site_yaml(languages: &Languages) -> String {
    let (tag, language) = languages.default_language();
    let own = words(language);
    let mut text = fill(
        SITE,
        &[
            ("TITLE", own.title),
            ("TAGLINE", own.tagline),
            ("DESCRIPTION", own.description),
            ("LANGUAGE", tag),
            ("HASHTAG", own.hashtag),
            ("ORGANISATION", own.organisation),
        ],
    );
    if let Some((first, _)) = languages.others().first() {
        text.push_str(&fill(LANGUAGES, &[("TAG", first)]));
    }
    for (tag, language) in languages.others() {
        let other = words(*language);
        text.push_str(&fill(
            LANGUAGE,
            &[
                ("TAG", tag),
                ("TITLE", other.title),
                ("TAGLINE", other.tagline),
                ("DESCRIPTION", other.description),
                ("ORGANISATION", other.organisation),
                ("QUICK_EXIT", other.quick_exit),
            ],
        ));
    }
    text
}

/// The home page in each language, by path: `index.md` in the default language, `index.TAG.md`
/// in each other. In a site of several languages each one's next steps name another's file.
fn home_pages(languages: &Languages) -> Vec<(String, String)> {
    let agree = words(languages.default_language().1).agree;
    let file = |i: usize| if i == 0 { "index.md".to_string() } else { format!("index.{}.md", languages.0[i].0) };
    (0..languages.0.len())
        .map(|i| {
            let own = words(languages.0[i].1);
            let mut text = fill(own.index, &[("AGREE", agree)]);
            if languages.0.len() > 1 {
                text.push_str(&fill(own.translations, &[("OTHER", &file(if i == 0 { 1 } else { 0 }))]));
            }
            (format!("content/{}", file(i)), text)
        })
        .collect()
}

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
fn files(languages: &Languages) -> Vec<(String, String)> {
    let publishing = |text: &str| text.replace("@VERSION@", env!("CARGO_PKG_VERSION")).replace("@RELEASES@", RELEASES);
    let mut files = vec![
        (".github/workflows/publish.yml".to_string(), publishing(PUBLISH_WORKFLOW)),
        (".gitignore".to_string(), GITIGNORE.to_string()),
        (".soapbox/build.sh".to_string(), publishing(BUILD_SCRIPT)),
        ("content/figures/example.yaml".to_string(), example_figure(languages)),
        ("content/site.yaml".to_string(), site_yaml(languages)),
        ("netlify.toml".to_string(), publishing(NETLIFY)),
    ];
    files.extend(home_pages(languages));
    files.sort();
    files
}

/// The example figure in the default language, with its words in each other language under
/// `translations:`, so its chart reads in every language of the site.
fn example_figure(languages: &Languages) -> String {
    let default = languages.default_language().1;
    let mut figure = (words(default).figure)();
    if languages.others().is_empty() {
        return figure;
    }
    // The figure's words in `language`: its texts by key, and its labels in order.
    let texts = |language: Language| {
        let text = (words(language).figure)();
        let value = |key: &str| text.lines().find_map(|l| l.strip_prefix(&format!("{key}: "))).map(|v| v.split("  #").next().unwrap_or(v).trim().to_string());
        let labels: Vec<String> = text.lines().filter_map(|l| l.split("label: ").nth(1)?.split(',').next().map(str::to_string)).collect();
        (["title", "subtitle", "source", "note"].map(|k| (k, value(k))), labels)
    };
    let (_, own_labels) = texts(default);
    figure.push_str("# The figure's words in the site's other languages; its numbers are written once, above.\ntranslations:\n");
    for (tag, language) in languages.others() {
        let (words, labels) = texts(*language);
        figure.push_str(&format!("  {tag}:\n"));
        for (key, text) in words {
            if let Some(text) = text {
                figure.push_str(&format!("    {key}: \"{}\"\n", text.replace('"', "\\\"")));
            }
        }
        let pairs: Vec<String> = own_labels.iter().zip(&labels).map(|(own, theirs)| format!("{own}: {theirs}")).collect();
        figure.push_str(&format!("    labels: {{ {} }}\n", pairs.join(", ")));
    }
    figure
}

/// Writes a new site in British English into `dir`, which must be empty or not exist yet.
pub fn new_site(dir: &Path) -> Result<()> {
    new_site_in(dir, &Languages::default())
}

/// Writes a new site in `languages` into `dir`, which must be empty or not exist yet: each
/// page in each language, and the site's words in each in site.yaml.
///
/// The site is written into a staging folder beside `dir` and moved into place only once it
/// is whole, so a full disk or a kill never leaves half a site that a retry would refuse: a
/// failed `new` leaves `dir` as it found it.
pub fn new_site_in(dir: &Path, languages: &Languages) -> Result<()> {
    new_site_with(dir, &files(languages), &|path, text| fs::write(path, text))
}

fn new_site_with(dir: &Path, files: &[(String, String)], write: &dyn Fn(&Path, &str) -> std::io::Result<()>) -> Result<()> {
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
    let written = stage(&staging, files, write).and_then(|()| move_into_place(&staging, &real, existed, files));
    if written.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    written
}

/// Writes every file of the new site under `staging`.
fn stage(staging: &Path, files: &[(String, String)], write: &dyn Fn(&Path, &str) -> std::io::Result<()>) -> Result<()> {
    for (path, text) in files {
        let full = staging.join(path);
        if let Some(parent) = full.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
        }
        write(&full, text).map_err(|e| Error::io("write", &full, e))?;
    }
    Ok(())
}

/// Moves the whole site from `staging` to `dir`: the folder itself when there is none yet, or
/// its entries into the empty folder that is there (which may be someone's working folder,
/// so it is never replaced). `content/` goes last: a site without it is no site, and when a
/// move fails the entries moved before it go back.
fn move_into_place(staging: &Path, dir: &Path, existed: bool, files: &[(String, String)]) -> Result<()> {
    if !existed {
        return fs::rename(staging, dir).map_err(|e| Error::io("create", dir, e));
    }
    let mut names: Vec<String> = files.iter().map(|(path, _)| path.split('/').next().unwrap_or(path).to_string()).collect();
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
        let checked = crate::check(&site, crate::moment::Moment::EPOCH, crate::moment::Moment::EPOCH).unwrap();
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
        for (path, _) in files(&Languages::default()) {
            let path = path.as_str();
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
        for fail_at in 0..files(&Languages::default()).len() {
            let dir = tempfile::tempdir().unwrap();
            // A folder that is not there yet, and an empty one made beforehand.
            for (site, made) in [(dir.path().join("campaign"), false), (dir.path().join("made"), true)] {
                if made {
                    fs::create_dir(&site).unwrap();
                }
                let err = new_site_with(&site, &files(&Languages::default()), &full_disk(fail_at)).unwrap_err();
                assert!(err.message().contains("could not write"), "{}", err.message());
                if made {
                    assert!(names(&site).is_empty(), "the empty folder stays empty");
                } else {
                    assert!(!site.exists(), "no half-written site");
                }
                new_site(&site).unwrap();
                assert!(crate::check(&site, crate::moment::Moment::EPOCH, crate::moment::Moment::EPOCH).is_ok(), "the retry writes a whole site");
            }
            assert_eq!(names(dir.path()), ["campaign", "made"], "no staging folder is left behind");
        }
    }

    #[test]
    fn a_site_in_any_order_of_the_built_in_languages_checks_clean_with_every_page_in_each() {
        for list in ["en-GB,cy", "cy,en-GB", "cy", "en", "cy-GB,en"] {
            let dir = tempfile::tempdir().unwrap();
            let site = dir.path().join("campaign");
            let languages = Languages::parse(list).unwrap();
            new_site_in(&site, &languages).unwrap();
            let checked =
                crate::check(&site, crate::moment::Moment::EPOCH, crate::moment::Moment::EPOCH).unwrap_or_else(|e| panic!("{list}: {}", e.report(false)));
            assert!(checked.warnings.is_none(), "{list}: {:?}", checked.warnings);
            let config = &checked.site.config;
            assert_eq!(config.all_languages().collect::<Vec<_>>(), list.split(',').collect::<Vec<_>>(), "{list}: the first is the default");
            assert_eq!(checked.site.pages.len(), languages.0.len(), "{list}: the home page in each language");
            // The example figure's chart reads in every language of the site.
            let figure = &checked.site.figures["example"];
            for (tag, _) in languages.others() {
                let words = figure.translations.get(tag).unwrap_or_else(|| panic!("{list}: no `{tag}` words"));
                assert_eq!(words.labels.len(), 3, "{list}: {words:?}");
                assert_ne!(figure.translated(tag).title, figure.title, "{list}: {tag}");
            }
            for (path, text) in files(&languages) {
                let left = text.split('@').skip(1).find(|name| !name.is_empty() && name.chars().all(|c| c.is_ascii_uppercase() || c == '_'));
                assert!(left.is_none(), "{list}: {path} still has @{}@", left.unwrap_or_default());
            }
        }
    }

    #[test]
    fn a_welsh_site_has_welsh_words_and_an_english_site_english_ones() {
        let yaml = site_yaml(&Languages::parse("en-GB,cy").unwrap());
        let (english, welsh) = yaml.split_once("\nlanguages:\n").unwrap();
        assert!(english.contains("title: Our campaign\n") && english.contains("language: en-GB\n"), "{english}");
        assert!(welsh.starts_with("  cy:\n") && welsh.contains("    title: Ein hymgyrch\n") && welsh.contains("# quick_exit: Gadael yn gyflym"), "{welsh}");
        assert!(yaml.contains("(index.cy.md beside index.md)"), "the comment names the site's own files");
        let pages = home_pages(&Languages::parse("en-GB,cy").unwrap());
        assert_eq!(pages.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(), ["content/index.md", "content/index.cy.md"]);
        assert!(pages[0].1.ends_with("such as `content/index.cy.md`.\n") && pages[1].1.ends_with("fel `content/index.md`.\n"));
        assert!(pages[1].1.contains("label=\"Agree\"") && pages[1].1.contains("nav_title: Hafan"), "Welsh words, the English figure's label");
        let figure = (WELSH.figure)();
        assert!(FIGURE_CY.iter().all(|(english, welsh)| FIGURE.matches(english).count() == 1 && figure.contains(welsh)), "{figure}");
        let welsh_first = home_pages(&Languages::parse("cy,en-GB").unwrap());
        assert_eq!(welsh_first[1].0, "content/index.en-GB.md");
        assert!(welsh_first.iter().all(|(_, text)| text.contains("label=\"Cytuno\"")), "both quote the Welsh figure's label");
    }

    #[test]
    fn without_languages_the_site_is_in_english_alone() {
        let files = files(&Languages::default());
        let content: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).filter(|p| p.starts_with("content/")).collect();
        assert_eq!(content, ["content/figures/example.yaml", "content/index.md", "content/site.yaml"]);
        let read = |name: &str| files.iter().find(|(p, _)| p == name).unwrap().1.clone();
        assert!(!read("content/site.yaml").contains("languages:") && read("content/site.yaml").contains("\nlanguage: en-GB\n"));
        assert_eq!(read("content/figures/example.yaml"), FIGURE);
        assert_eq!(read("content/index.md"), INDEX.replace("@AGREE@", "Agree"));
    }

    #[test]
    fn a_bad_list_of_languages_is_refused_with_every_fault_named() {
        let refused = |list: &str| {
            Languages::parse(list).unwrap_err().all().map(|e| format!("{} ({})", e.message(), e.hint_text().unwrap_or(""))).collect::<Vec<_>>().join("\n")
        };
        for (list, says) in [
            ("", "names no language"),
            (" , ", "has an empty part"),
            ("en-GB,,cy", "`--languages en-GB,,cy` has an empty part"),
            ("en-GB,", "has an empty part"),
            ("en_GB", "`en_GB` in `--languages` is not a language tag"),
            ("en-GB,cy-", "`cy-` in `--languages` is not a language tag"),
            ("cy,cy", "`cy` is in `--languages` twice"),
            ("en-GB,CY,cy", "`cy` is in `--languages` twice"),
            ("en-GB,en", "`en-GB` and `en` in `--languages` are the same language"),
            ("en-GB,fr", "soapbox has no built-in words in `fr`"),
            ("en-GB,fr", "the built-in languages are English (`en`, `en-GB`) and Welsh (`cy`)"),
        ] {
            assert!(refused(list).contains(says), "`{list}`: {}", refused(list));
        }
        let all = refused("fr,,cy,cy");
        assert!(all.contains("`fr`") && all.contains("empty part") && all.contains("twice"), "every fault at once: {all}");
        assert_eq!(Languages::parse(" en-GB , cy ").unwrap(), Languages::parse("en-GB,cy").unwrap(), "spaces around tags are allowed");
    }
}
