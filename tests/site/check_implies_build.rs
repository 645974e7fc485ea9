//! `check` finds everything `build` would fail on because of the site's own files: random
//! small sites, written to temporary folders, go through `soapbox::check` and then a real
//! `soapbox::build`; whenever the check passes, the build must pass too, and neither may
//! panic. The sites are built from pieces chosen to collide: slugs and file names that are
//! also generated files (`robots.txt`, `404.html`, `_headers`, icons, hashed assets, figure
//! files), pages that share an address, links to every kind of place, figures valid and
//! half-valid, embeds that name them, front matter, templates and static files of the
//! site's own. Each case runs a real build, so a run has 64 cases (PROPTEST_CASES changes it).

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::collections::BTreeSet;
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(64);
    // A shrink step is a build too: enough steps to reach a small site, not a long wait.
    Config { cases, failure_persistence: None, max_shrink_iters: 300, ..Config::default() }
}

/// A site as a list of (path under the root, text), shown file by file when a case fails.
#[derive(Clone)]
struct SiteFiles(Vec<(String, String)>);

impl fmt::Debug for SiteFiles {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (path, text) in &self.0 {
            writeln!(f, "==> {path}\n{}", text.escape_debug().to_string().replace("\\n", "\n"))?;
        }
        Ok(())
    }
}

const SITE_YAML: &str = "title: Wild West Web\ndescription: Groomers use social networks.\nlanguage: en-GB\norganisation: NSPCC\n";

/// One figure, valid, used to learn the names a build writes for a site.
const BAR: &str = "title: Facebook leads\nsource: Police\nchart: bar\nunit: percent\ndata:\n  - { label: Facebook, value: 32.6 }\n  - { label: Instagram, value: 19.8 }\nvalues:\n  share: 52\n  cases: { value: 956, unit: count }\n";

/// Every name a build of a small site writes at the top of the output folder and under
/// `figures/` (hashed stylesheets and scripts included): each is a slug that must not pass
/// `check` and then break `build`.
fn generated_names() -> &'static [String] {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let site = SiteFiles(vec![
            ("content/site.yaml".into(), format!("{SITE_YAML}base_url: https://x.org/\n")),
            ("content/index.md".into(), "---\ntitle: Home\n---\n```chart a\n```\n".into()),
            ("content/figures/a.yaml".into(), BAR.into()),
        ]);
        write_site(dir.path(), &site);
        let out = dir.path().join("public");
        soapbox::build(dir.path(), &out, crate::common::MOMENT).unwrap_or_else(|e| panic!("the base site builds:\n{e}"));
        let mut names = BTreeSet::new();
        for path in crate::common::tree(&out).keys() {
            let mut parts = path.split('/');
            names.extend(parts.next().map(str::to_string));
            if path.starts_with("figures/") {
                names.extend(parts.next().map(str::to_string));
            }
        }
        names.into_iter().collect()
    })
}

/// Slugs and file names that a page may take.
const NAMES: &[&str] = &["asks", "news", "launch", "index", "privacy", "fonts", "embed", "a", "b", "public", "A", "x_y", "Page"];

/// Slugs and file names that a build also writes, or that cannot be an address: each one is
/// refused by check, so they come rarely enough that most sites still reach the build.
const CLASHING_NAMES: &[&str] = &[
    "robots.txt",
    "404.html",
    "sitemap.xml",
    "_headers",
    "figures",
    "feed.xml",
    "atom.xml",
    "icon-512.png",
    "icon-192.png",
    "favicon.png",
    "favicon.svg",
    "apple-touch-icon.png",
    "social-card.png",
    "manifest.webmanifest",
    "site.js",
    "style.css",
    "style.0123abcd.css",
    "a.svg",
    "a.csv",
    "a-1200x630.png",
    "a-1080x1080.png",
    "index.html",
    ".hidden",
];

/// Figure ids: ordinary ones, and ones whose share page is another figure's file.
const FIGURE_IDS: &[&str] = &["a", "b", "index", "embed", "privacy"];
/// Figure ids whose share page lands on another figure's file or the press pack.
const CLASHING_FIGURE_IDS: &[&str] = &["a-1200x630.png", "a.svg", "a.csv", "a-1080x1350.png", "index.html"];

const FOLDERS: &[&str] = &["", "", "", "news/", "privacy/", "fonts/", "a/"];
/// Folders whose pages would land among the figure pages soapbox writes.
const BAD_FOLDERS: &[&str] = &["figures/", "figures/a/"];

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        24 => proptest::sample::select(NAMES).prop_map(str::to_string),
        1 => proptest::sample::select(CLASHING_NAMES).prop_map(str::to_string),
        1 => (0..64usize).prop_map(|i| {
            let names = generated_names();
            names[i % names.len()].clone()
        }),
    ]
}

/// Mostly `good`, rarely `bad`: a site with one fault fails `check` and proves nothing
/// about `build`, so most pieces are sound and faults are rare.
fn mostly(good: &'static [&'static str], bad: &'static [&'static str]) -> BoxedStrategy<String> {
    sometimes(good, bad, 24)
}

fn sometimes(good: &'static [&'static str], bad: &'static [&'static str], odds: u32) -> BoxedStrategy<String> {
    prop_oneof![
        odds => proptest::sample::select(good).prop_map(str::to_string),
        1 => proptest::sample::select(bad).prop_map(str::to_string),
    ]
    .boxed()
}

/// How many of the first [`FIGURES`] have a point labelled `Facebook`, which pages quote from
/// figure `a`.
const WITH_FACEBOOK: usize = 5;

/// Figures of every kind that load; some of them at the edges of what is allowed.
const FIGURES: &[&str] = &[
    BAR,
    "title: Share by site\nsource: Police\nchart: donut\nunit: percent\ndata:\n  - { label: Facebook, value: 32.6 }\n  - { label: Instagram, value: 19.8 }\ntotal: 100\nremainder: Other\n",
    "title: Columns\nsource: Police\nchart: column\nunit: count\ndata:\n  - { label: Facebook, value: -3 }\n  - { label: Kik, value: null }\n",
    "\u{feff}title: With a byte-order mark\nsource: Police\nchart: bar\nunit: count\ndata:\n  - { label: Facebook, value: 1 }\n",
    "title: Minus zero\nsource: Police\nchart: bar\nunit: count\ndata:\n  - { label: Facebook, value: -0 }\nvalues:\n  zero: -0\n",
    "title: North East\nsource: Police\nchart: stacked-bar\nunit: count\ncategories: [Cleveland, Durham]\nseries:\n  - { name: Facebook, values: [22, 21] }\n  - { name: Kik, values: [null, 2] }\ntotals: [62, 92]\nremainder: Not recorded\nvalues:\n  share: 2\n",
    "title: Over time\nsource: ONS\nsource_url: https://example.org/r\nnote: Rising.\nchart: line\nunit: count\ncategories: [\"2017\", \"2018\"]\nseries:\n  - { name: Offences, values: [1000, 1628] }\n",
    "title: Long label\nsource: Police\nchart: bar\nunit: count\ndata:\n  - { label: Facebookfacebookfacebookfacebookfacebookfacebookfacebookfacebookfacebookfacebookfacebook, value: 1 }\n",
    "title: <script>alert(1)</script>\nsource: \"=SUM(A1)\"\nchart: bar\nunit: count\ndata:\n  - { label: \"</svg><script>\", value: 1 }\n",
];

/// Figures with one thing wrong, for the loader, the checks and the drawing alike.
const BROKEN_FIGURES: &[&str] = &[
    "title: Huge\nsource: Police\nchart: bar\nunit: count\ndata:\n  - { label: Facebook, value: 1e308 }\n",
    "title: Emoji 📊 in the title\nsource: Police\nchart: bar\nunit: count\ndata:\n  - { label: Facebook, value: 1 }\n",
    "title: Beyond a float\nsource: Police\nchart: bar\nunit: count\ndata:\n  - { label: Facebook, value: 9007199254740993 }\nvalues:\n  big: 18446744073709551617\n",
    "title: Control\u{1}character\nsource: Police\nchart: bar\nunit: count\ndata:\n  - { label: \"Face\\0book\", value: 1 }\n",
    "title: Hex\nsource: Police\nchart: bar\nunit: count\ndata:\n  - { label: Facebook, value: 0x10 }\n",
    "title: Negative part\nsource: Police\nchart: donut\nunit: percent\ndata:\n  - { label: Facebook, value: -1 }\n",
    "title: Above total\nsource: Police\nchart: donut\nunit: percent\ndata:\n  - { label: Facebook, value: 90 }\n  - { label: Kik, value: 20 }\ntotal: 100\n",
    "title: Twice\nsource: Police\nchart: bar\nunit: count\ndata:\n  - { label: Facebook, value: 1 }\n  - { label: Facebook, value: 2 }\n",
    "title: No source\nchart: bar\nunit: count\ndata:\n  - { label: Facebook, value: 1 }\n",
    "title: Pie\nsource: Police\nchart: pie\nunit: count\ndata:\n  - { label: Facebook, value: 1 }\n",
    "title: Bad link\nsource: Police\nsource_url: javascript:alert(1)\nchart: bar\nunit: count\ndata:\n  - { label: Facebook, value: 1 }\n",
    "title: Infinite\nsource: Police\nchart: bar\nunit: count\ndata:\n  - { label: Facebook, value: 1 }\nvalues:\n  x: .inf\n",
    "title: [\n",
    "",
];

const TITLES: &[&str] = &[
    "Our asks",
    "Ŵales & <b>bold</b>",
    "\"Quote \\\" here\"",
    "'single'",
    "Averyveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryveryverylongtitlewithoutspaces",
];
const BAD_TITLES: &[&str] = &["\"\"", "[a, b]", "\"\\0\"", "\"\\x1b[31m\"", "\"Bell \\a ring\"", "📊 Numbers"];

const TEMPLATES: &[&str] = &["page.html", "section.html", "index.html", "base.html", "privacy.html", "404.html", "mine.html"];
const BAD_TEMPLATES: &[&str] = &["nope.html", "figure.html", "embed.html", "chart.html", "figures.html"];

fn front_matter() -> impl Strategy<Value = String> {
    let line = |key: &'static str, values: BoxedStrategy<String>| {
        proptest::option::weighted(0.25, values).prop_map(move |v| v.map_or(String::new(), |v| format!("{key}: {v}\n")))
    };
    (
        mostly(TITLES, BAD_TITLES),
        line("slug", name().boxed()),
        line("date", mostly(&["2018-04-12", "2020-02-29"], &["2019-02-29", "tomorrow", "2018-4-1"])),
        line("draft", mostly(&["true", "false"], &["yes", "1"])),
        line("weight", mostly(&["1", "-5", "3"], &["99999999999999999999", "2.5"])),
        line("image", mostly(&["a"], &["b", "index", "nope", "a.svg"])),
        line("template", mostly(TEMPLATES, BAD_TEMPLATES)),
        (line("nav_title", mostly(TITLES, BAD_TITLES)), line("description", mostly(TITLES, BAD_TITLES))),
    )
        .prop_map(|(title, slug, date, draft, weight, image, template, (nav, description))| {
            format!("title: {title}\n{slug}{date}{draft}{weight}{image}{template}{nav}{description}")
        })
}

/// Markdown: headings, links to every kind of place, embeds naming figure `a` (which every
/// site has, though it may be any kind) and others, and odd characters.
const BODY: &[&str] = &[
    "Some text.\n\n",
    "\n\n",
    "# Heading\n\n",
    "## Same {#dup}\n\n",
    "[x](/) ",
    "[x](/figures/) ",
    "[x](/figures/a/) ",
    "[x](/figures/a.csv) ",
    "[x](/figures/a.svg) ",
    "[x](/privacy/) ",
    "[x](/robots.txt) ",
    "[x](/sitemap.xml) ",
    "[x](https://example.org/) ",
    "[x](mailto:a@b.org) ",
    "[x][ref]\n\n[ref]: /\n\n",
    "<https://x.org>\n\n",
    "![A chart](/figures/a.svg)\n\n",
    "![alt](https://x.org/a.png)\n\n",
    "```chart a\n```\n\n",
    "{{ value(id=\"a\", label=\"Facebook\") }} ",
    "`{{ value(id=\"x\") }}` ",
    "<div>raw</div>\n\n",
    "[^1]\n\n[^1]: A note.\n\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n\n",
    "Ŵ ",
    "&amp; ",
    "\r\n",
];
/// Characters no page should carry into HTML, whether `check` refuses them or `build` drops them.
const ODD_CHARACTERS: &[&str] = &["\u{1b}[31m", "\u{7f}", "\u{85}", "\u{feff}", "\u{7}", "\u{0}", "\u{2028}"];
const BAD_BODY: &[&str] = &[
    "## Hi {#h .c onclick=alert(1)}\n\n",
    "## Chart id {#a}\n\n",
    "## Same {#dup}\n\n[x](#dup) ",
    "[x](/asks/) ",
    "[x](/news/) ",
    "[x](/404.html) ",
    "[x](#nope) ",
    "[x](/asks/#dup) ",
    "[x](../) ",
    "[x](asks/) ",
    "[x](javascript:alert(1)) ",
    "[x](http://) ",
    "![](/figures/a.svg)\n\n",
    "![alt](/nope.png)\n\n",
    "```chart b\n```\n\n",
    "```chart index\n```\n\n",
    "```chart nope\n```\n\n",
    "```chart\n```\n\n",
    "{{ value(id=\"a\", key=\"share\") }} ",
    "{{ value(id=\"b\", label=\"Durham / Kik\") }} ",
    "{{ value(id=\"a\", label=\"Cleveland\") }} ",
    "{{ value(id=\"a\", label=\"Other\") }} ",
    "{{ value(id=\"a\", key=\"nope\") }} ",
    "{{ value(id=\"nope\", key=\"x\") }} ",
    "{{ value(id=\"a\") }} ",
    "{{ value( ",
    "<script>alert(1)</script>\n\n",
];

fn page() -> impl Strategy<Value = (String, String)> {
    let stem = prop_oneof![1 => Just("index".to_string()), 1 => Just("_index".to_string()), 12 => name()];
    let piece = prop_oneof![60 => mostly(BODY, BAD_BODY), 1 => proptest::sample::select(ODD_CHARACTERS).prop_map(str::to_string).boxed()];
    let body = proptest::collection::vec(piece, 0..8).prop_map(|v| v.concat());
    (mostly(FOLDERS, BAD_FOLDERS), stem, front_matter(), body)
        .prop_map(|(folder, stem, front, body)| (format!("content/{folder}{stem}.md"), format!("---\n{front}---\n{body}")))
}

fn figure(ids: BoxedStrategy<String>, kinds: &'static [&'static str]) -> impl Strategy<Value = (String, String)> {
    (ids, mostly(kinds, BROKEN_FIGURES), proptest::sample::select(&["yaml", "yml"][..]))
        .prop_map(|(id, text, ext)| (format!("content/figures/{id}.{ext}"), text))
}

fn site_yaml() -> impl Strategy<Value = String> {
    let base_url = proptest::sample::select(&["https://x.org/", "https://x.org/camp/", "http://x.org/a/b", "https://x.org/robots.txt/"][..]);
    let extra = mostly(
        &[
            "",
            "hashtag: WildWestWeb\n",
            "tagline: Keep children safe.\n",
            "title: Ŵales\n",
            "quick_exit:\n  url: https://www.bbc.co.uk/weather\n",
            "organisation_url: https://www.nspcc.org.uk/\n",
            "extra:\n  donate_url: https://example.org/donate\n",
        ],
        &["tagline: 📊 Emoji\n", "hashtag: two words\n", "quick_exit:\n  url: javascript:alert(1)\n"],
    );
    (base_url, extra).prop_map(|(url, extra)| {
        let text = if extra.starts_with("title:") { SITE_YAML.replacen("title: Wild West Web\n", "", 1) } else { SITE_YAML.to_string() };
        format!("{text}base_url: {url}\n{extra}")
    })
}

/// The site's own templates and static files, some of them at generated addresses.
const OWN_FILES: &[(&str, &str)] = &[
    ("templates/page.html", "{% extends \"base.html\" %}{% block content %}{{ page.content | safe }}{% endblock content %}"),
    ("templates/page.html", "{% extends \"base.html\" %}{% block content %}{{ value(id=\"a\", key=\"share\") }}{% endblock content %}"),
    ("templates/page.html", "{% extends \"base.html\" %}{% block content %}{{ value(id=\"nope\", key=\"x\") }}{% endblock content %}"),
    ("templates/page.html", "{% extends \"base.html\" %}{% block content %}{{ page.nonexistent }}{% endblock content %}"),
    ("templates/page.html", "{% extends \"base.html\" %}{% block content %}{% include \"nope.html\" %}{% endblock content %}"),
    ("templates/page.html", "{% if %}"),
    ("templates/mine.html", "{% extends \"base.html\" %}"),
    ("static/robots.txt", "User-agent: *\n"),
    ("static/sitemap.xml", "<urlset/>"),
    ("static/_headers", "/*\n  X-A: b\n"),
    ("static/figures/a.svg", "<svg/>"),
    ("static/privacy/index.html", "<p>mine</p>"),
    ("static/404.html", "<p>lost</p>"),
    ("static/style.css", "body { color: red }"),
    ("static/CNAME", "x.org"),
];

fn site() -> impl Strategy<Value = SiteFiles> {
    (
        site_yaml(),
        proptest::collection::vec(page(), 1..5),
        figure(Just("a".to_string()).boxed(), &FIGURES[..WITH_FACEBOOK]),
        proptest::collection::vec(figure(mostly(FIGURE_IDS, CLASHING_FIGURE_IDS), FIGURES), 0..3),
        // Most sites have a home page, which most pages link to.
        proptest::option::weighted(0.9, front_matter()),
        proptest::option::weighted(0.3, proptest::sample::select(OWN_FILES)),
    )
        .prop_map(|(yaml, pages, a, figures, home, own)| {
            let mut files = vec![("content/site.yaml".to_string(), yaml), a];
            files.extend(home.map(|front| ("content/index.md".to_string(), format!("---\n{front}---\nHome.\n"))));
            files.extend(pages);
            files.extend(figures);
            files.extend(own.map(|(p, t)| (p.to_string(), t.to_string())));
            // A later file of the same path replaces an earlier one, as on disk.
            let mut seen = BTreeSet::new();
            files.reverse();
            files.retain(|(p, _)| seen.insert(p.clone()));
            files.reverse();
            SiteFiles(files)
        })
}

fn write_site(root: &Path, site: &SiteFiles) {
    for (rel, text) in &site.0 {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
}

#[test]
fn whenever_check_passes_build_passes() {
    let config = config();
    let cases = config.cases as usize;
    let (tried, checked_ok) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let mut runner = TestRunner::new(config);
    let result = runner.run(&site(), |site| {
        let dir = tempfile::tempdir().unwrap();
        write_site(dir.path(), &site);
        // Only whether each passed, and the build's report, matter here.
        let checked = catch_unwind(AssertUnwindSafe(|| soapbox::check(dir.path(), crate::common::MOMENT, crate::common::MOMENT).is_ok()));
        prop_assert!(checked.is_ok(), "check panicked");
        let out = tempfile::tempdir().unwrap();
        let out = out.path().join("public");
        let built = catch_unwind(AssertUnwindSafe(|| soapbox::build(dir.path(), &out, crate::common::MOMENT).map(drop).map_err(|e| e.report(false))));
        prop_assert!(built.is_ok(), "build panicked");
        tried.fetch_add(1, Ordering::Relaxed);
        if let (Ok(true), Ok(built)) = (checked, built) {
            checked_ok.fetch_add(1, Ordering::Relaxed);
            if let Err(report) = built {
                prop_assert!(false, "check passed but build failed:\n{report}");
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    let (tried, passed) = (tried.into_inner(), checked_ok.into_inner());
    eprintln!("{passed} of {tried} random sites passed check and were built");
    // A generator whose sites all fail `check` would prove nothing about `build`. About a
    // quarter pass (13 to 18 of 64 in runs so far), so one in eight leaves room for chance.
    assert!(tried < cases || passed * 8 >= tried, "only {passed} of {tried} random sites passed check");
}
