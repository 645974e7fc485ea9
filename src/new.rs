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
unit: percent     # percent (32.6%) or count (1,628)
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

/// Writes a new site into `dir`, which must be empty or not exist yet.
pub fn new_site(dir: &Path) -> Result<()> {
    if dir.exists() {
        let mut entries = fs::read_dir(dir).map_err(|e| Error::io("read", dir, e))?;
        if entries.next().is_some() {
            return Err(Error::new(format!("`{}` is not empty, so soapbox will not write a new site into it", dir.display()))
                .hint("choose a new folder name, such as `soapbox new my-campaign`"));
        }
    }
    for (path, text) in [("content/site.yaml", SITE), ("content/index.md", INDEX), ("content/figures/example.yaml", FIGURE), (".gitignore", GITIGNORE)] {
        let full = dir.join(path);
        if let Some(parent) = full.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io("create", parent, e))?;
        }
        fs::write(&full, text).map_err(|e| Error::io("write", &full, e))?;
    }
    Ok(())
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
}
