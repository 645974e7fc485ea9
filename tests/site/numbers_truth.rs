//! Numbers reach readers exactly as the file wrote them, or not at all; every YAML door
//! refuses deep nesting at once and reads files that start with a byte-order mark; and no
//! error speaks Rust. (Issue 17, cases 7, 14, 15, 16 and 19.)

use crate::common::TestSite;

/// Words from Rust and serde that must never reach a campaigner.
const INTERNAL_WORDS: [&str; 13] =
    ["enum", "struct", "u64", "f64", "u128", "i64", "usize", "untagged", "variant", "serde", "RawQuantity", "Option<", "invalid type"];

fn assert_plain(stderr: &str, input: &str) {
    for word in INTERNAL_WORDS {
        assert!(!stderr.contains(word), "`{word}` reached the user for {input:?}:\n{stderr}");
    }
}

fn figure_with_value(value: &str) -> String {
    format!("title: T\nsource: S\nchart: bar\nunit: count\ndata:\n  - {{ label: A, value: {value} }}\n")
}

fn fails_with(site: &TestSite, place: &str, message: &str, input: &str) -> String {
    let run = site.build(&[]);
    assert!(!run.ok, "{input:?} was accepted");
    assert!(run.stderr.contains(place), "{input:?}: no `{place}` in\n{}", run.stderr);
    assert!(run.stderr.contains(message), "{input:?}: no `{message}` in\n{}", run.stderr);
    assert_plain(&run.stderr, input);
    run.stderr
}

#[test]
fn case_15_numbers_that_cannot_be_shown_as_written_are_refused_where_they_stand() {
    let site = TestSite::fixture("default");
    let cases = [
        ("1e308", "is too large"),
        ("18446744073709551617", "is too large"),
        ("9007199254740993", "is too large"),
        ("1000000000000000", "is too large"),
        ("-1e15", "is too large"),
        ("0x10", "is not written in ordinary decimal digits"),
        ("0o17", "is not written in ordinary decimal digits"),
        (".inf", "is not a finite number"),
        ("-.inf", "is not a finite number"),
        (".nan", "is not a finite number"),
        ("0.125", "has more than 2 decimal places"),
        ("0.1000000000000000001", "has more than 2 decimal places"),
        ("12345678901234.56", "has more than 15 significant digits"),
        ("1e-3", "has more than 2 decimal places"),
        ("twelve", "expected a number, found the text \"twelve\""),
        ("true", "expected a number, found the text \"true\""),
        ("1_000", "expected a number, found the text \"1_000\""),
    ];
    for (number, message) in cases {
        site.write("content/figures/f.yaml", &figure_with_value(number));
        fails_with(&site, "content/figures/f.yaml:6:24", message, number);
    }
    // The named values, bare and with a unit, and totals go through the same reading.
    let named = [
        "values:\n  big: 1e308\n",
        "values:\n  big: 9007199254740993\n",
        "values:\n  big: { value: 0x10, unit: count }\n",
        "values:\n  small: 1\n  big: 0x10\n  other: { value: 2, unit: percent }\n",
    ];
    for tail in named {
        site.write("content/figures/f.yaml", &format!("{}{tail}", figure_with_value("1")));
        let stderr = fails_with(&site, "content/figures/f.yaml:", "`", tail);
        assert!(!stderr.contains("number 16"), "0x10 was read as 16:\n{stderr}");
    }
    site.write("content/figures/f.yaml", "title: T\nsource: S\nchart: donut\nunit: count\ntotal: 1e308\ndata:\n  - { label: A, value: 1 }\n");
    fails_with(&site, "content/figures/f.yaml:5:8", "is too large", "total");
}

#[test]
fn case_15_numbers_at_the_edges_are_shown_exactly_as_written() {
    let site = TestSite::fixture("default");
    site.write(
        "content/figures/edges.yaml",
        "title: T\nsource: S\nchart: column\nunit: count\ndata:\n  - { label: A, value: 999999999999999 }\n  - { label: B, value: -999999999999999 }\n  - { label: C, value: 1234567890123.45 }\n  - { label: D, value: 0.01 }\n  - { label: E, value: 1e3 }\nvalues:\n  big: 999999999999999\n  cents: { value: 1234567890123.45, unit: count }\n",
    );
    site.write(
        "content/edges.md",
        "---\ntitle: Edges\n---\nBig {{ value(id=\"edges\", key=\"big\") }}, cents {{ value(id=\"edges\", key=\"cents\") }}, small {{ value(id=\"edges\", label=\"D\") }}, e {{ value(id=\"edges\", label=\"E\") }}.\n",
    );
    site.build_ok();
    let page = site.read("edges/index.html");
    assert!(page.contains("Big 999,999,999,999,999, cents 1,234,567,890,123.45, small 0.01, e 1,000."), "{page}");
    let csv = site.read("figures/edges.csv");
    assert_eq!(csv, "\u{feff}Label,Number\r\nA,999999999999999\r\nB,-999999999999999\r\nC,1234567890123.45\r\nD,0.01\r\nE,1000\r\n");
}

#[test]
fn case_16_minus_zero_is_zero_in_text_chart_table_and_csv() {
    let site = TestSite::fixture("default");
    site.write(
        "content/figures/zero.yaml",
        "title: T\nsource: S\nchart: column\nunit: count\ndata:\n  - { label: A, value: 5 }\n  - { label: B, value: -0 }\n  - { label: C, value: -0.00 }\nvalues:\n  nothing: -0\n",
    );
    site.write(
        "content/zero.md",
        "---\ntitle: Zero\n---\nB is {{ value(id=\"zero\", label=\"B\") }} and nothing is {{ value(id=\"zero\", key=\"nothing\") }}.\n\n```chart zero\n```\n",
    );
    site.build_ok();
    let page = site.read("zero/index.html");
    assert!(page.contains("B is 0 and nothing is 0."), "{page}");
    let csv = site.read("figures/zero.csv");
    assert_eq!(csv, "\u{feff}Label,Number\r\nA,5\r\nB,0\r\nC,0\r\n");
    let (chart, figure_page) = (site.read("figures/zero.svg"), site.read("figures/zero/index.html"));
    for (name, text) in [("page", &page), ("chart", &chart), ("figure page", &figure_page)] {
        let minus_zero = [">-0<", " -0<", ">-0 ", ">\n-0\n<", " -0,", " -0 "];
        assert!(!minus_zero.iter().any(|m| text.contains(m)), "the {name} shows -0:\n{text}");
        assert!(text.contains("A 5, B 0 and C 0."), "the {name}'s description shows no 0:\n{text}");
    }
    // The bars' labels, in the chart file and as minified into the page, and the data tables.
    assert_eq!(chart.matches(">\n0\n</text>").count(), 2, "{chart}");
    assert_eq!(page.matches(">0</text>").count(), 2 * soapbox::chart::BANDS.len(), "in each layout: {page}");
    let table = "<th scope=row>B</th><td>0</td></tr><tr><th scope=row>C</th><td>0</td>";
    assert!(page.contains(table) && figure_page.contains(table), "the tables show no 0:\n{page}\n{figure_page}");
}

#[test]
fn case_7_deep_nesting_is_refused_at_once_in_figures_front_matter_and_site_yaml() {
    let deep = "[".repeat(100_000);
    let places = [
        ("content/figures/north-east-offences.yaml", "content/figures/north-east-offences.yaml:"),
        ("content/asks.md", "content/asks.md:"),
        ("content/site.yaml", "content/site.yaml:"),
    ];
    for (file, place) in places {
        let site = TestSite::fixture("default");
        let text = std::fs::read_to_string(site.root().join(file)).unwrap();
        let text = if file.ends_with(".md") { text.replacen("---\n", &format!("---\nnote: {deep}\n"), 1) } else { format!("{text}\nnote: {deep}\n") };
        site.write(file, &text);
        fails_with(&site, place, "nested more than 64 levels deep", file);
    }
    // Brackets in quotes, comments and block text are text, not nesting.
    let site = TestSite::fixture("default");
    let text = std::fs::read_to_string(site.root().join("content/figures/north-east-offences.yaml")).unwrap();
    let many = "[".repeat(1_000);
    let text = text.replacen("title: ", &format!("title: see {many} "), 1);
    let quoted = format!("{text}note: \"{many}\"\n# {deep}\nalt: |\n  {many}\n  more {many}\n");
    site.write("content/figures/north-east-offences.yaml", &quoted);
    site.build_ok();
}

#[test]
fn case_14_a_byte_order_mark_is_read_as_nothing_in_figures_site_yaml_and_pages() {
    let plain = TestSite::fixture("default");
    plain.build_ok();
    let marked = TestSite::fixture("default");
    for file in ["content/figures/north-east-offences.yaml", "content/site.yaml", "content/asks.md"] {
        let text = std::fs::read_to_string(marked.root().join(file)).unwrap();
        marked.write(file, &format!("\u{feff}{text}"));
    }
    marked.build_ok();
    assert!(plain.tree() == marked.tree(), "a byte-order mark changed the output");
}

#[test]
fn case_19_no_error_speaks_rust() {
    let figure = |tail: &str| format!("title: T\nsource: S\nchart: bar\nunit: count\n{tail}");
    let figures = [
        figure("data:\n  - { label: A, value: 18446744073709551617 }\n"),
        figure("data:\n  - { label: A, value: 0x10 }\n"),
        figure("data:\n  - { label: A, value: [1] }\n"),
        figure("data:\n  - { label: A, value: { a: 1 } }\n"),
        figure("data: [{ label: A, value: 1 }]\nvalues:\n  x: [1, 2]\n"),
        figure("data: [{ label: A, value: 1 }]\nvalues:\n  x: { value: 1 }\n"),
        figure("data: [{ label: A, value: 1 }]\nvalues:\n  x: { value: 1, unit: count, colour: red }\n"),
        figure("data: [{ label: A, value: 1 }]\nvalues:\n  x: { value: 1, unit: quid }\n"),
        figure("data: [{ label: A, value: 1 }]\nvalues:\n  x: !tag 1\n"),
        figure("data: [{ label: A, value: 1 }]\nvalues: [1]\n"),
        figure("data: { label: A }\n"),
        figure("data: [{ label: A, value: 1 }]\ntotal: [1]\n"),
        "title: T\nsource: S\nchart: [bar]\nunit: count\ndata: [{ label: A, value: 1 }]\n".to_string(),
        "title: T\nsource: S\nchart: { bar: 1 }\nunit: count\ndata: [{ label: A, value: 1 }]\n".to_string(),
        "title: T\nsource: S\nchart: !bar x\nunit: count\ndata: [{ label: A, value: 1 }]\n".to_string(),
        "title: [T]\nsource: S\nchart: bar\nunit: count\ndata: [{ label: A, value: 1 }]\n".to_string(),
        "- 1\n- 2\n".to_string(),
        "just text\n".to_string(),
        "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n".to_string(),
        "title: T\n---\ntitle: U\n".to_string(),
    ];
    for text in &figures {
        let site = TestSite::fixture("default");
        site.write("content/figures/f.yaml", text);
        let run = site.build(&[]);
        assert!(!run.ok, "{text:?} was accepted");
        assert!(run.stderr.contains("content/figures/f.yaml"), "{text:?}:\n{}", run.stderr);
        assert_plain(&run.stderr, text);
    }
    let pages = ["title: [a]\n", "title: T\nweight: 0.5\n", "title: T\nweight: 18446744073709551617\n", "title: T\ndraft: 3\n", "title: T\ndate: [1]\n"];
    for front in pages {
        let site = TestSite::fixture("default");
        site.write("content/p.md", &format!("---\n{front}---\nBody\n"));
        let run = site.build(&[]);
        assert!(!run.ok, "{front:?} was accepted");
        assert!(run.stderr.contains("content/p.md:"), "{front:?}:\n{}", run.stderr);
        assert_plain(&run.stderr, front);
    }
    let configs = ["quick_exit: [1]\n", "hashtag: { a: 1 }\n", "language: 12\nlanguage: 13\n"];
    for tail in configs {
        let site = TestSite::fixture("default");
        let text = std::fs::read_to_string(site.root().join("content/site.yaml")).unwrap();
        site.write("content/site.yaml", &format!("{text}{tail}"));
        let run = site.build(&[]);
        assert!(!run.ok, "{tail:?} was accepted");
        assert_plain(&run.stderr, tail);
    }
    // A file just over the size limit: the two sizes in the message must differ.
    let site = TestSite::fixture("default");
    let file = std::fs::File::create(site.root().join("content/figures/huge.yaml")).unwrap();
    file.set_len((64 << 20) + 1).unwrap();
    let run = site.build(&[]);
    assert!(!run.ok);
    assert!(run.stderr.contains("this file is 67,108,865 bytes; the largest file soapbox reads is 67,108,864 bytes (64 MB)"), "{}", run.stderr);
}

/// Issue 19: the default site's derived numbers are computed from its data, so new data
/// changes every text that quotes them: the chart's title in the SVG, the share page and the
/// page that quotes the figure.
#[test]
fn derived_numbers_follow_the_data_into_every_text() {
    let site = TestSite::fixture("default");
    let path = "content/figures/north-east-offences.yaml";
    let figure = std::fs::read_to_string(site.root().join(path)).unwrap();
    assert!(figure.contains("total: { sum: [Durham, Cleveland, Northumbria] }"), "the total is computed, not typed");
    site.write(path, &figure.replace("value: 92", "value: 93"));
    site.build_ok();
    for file in ["figures/north-east-offences.svg", "figures/north-east-offences/index.html", "evidence/index.html"] {
        let text = site.read(file);
        assert!(text.contains("recorded 174 grooming offences"), "{file} does not follow the data");
        // As words or a label; a coordinate of the chart may well be 173.
        assert!(!text.contains("recorded 173") && !text.contains(">173<") && !text.contains(">\n173\n<"), "{file} still shows the old total");
    }
}

/// Issue 19: a claim in words is checked against the data it is tied to. New data that no
/// longer supports it fails the build, naming the claim's words, where it is declared, the
/// number now and the test, and the last good site stays as it was.
#[test]
fn a_claim_that_new_data_makes_false_fails_the_build_and_names_it() {
    let site = TestSite::fixture("default");
    site.build_ok();
    let before = site.tree();
    let path = "content/figures/platforms-england-wales.yaml";
    let figure = std::fs::read_to_string(site.root().join(path)).unwrap();
    let line = figure.lines().position(|l| l.trim_start().starts_with("more_than_half:")).unwrap() + 1;
    // 31.2 + 18.2 = 49.4, shown as 49%: no longer "more than half". "A third" (31 to 35) and
    // "nearly a fifth" (18 to 20) still hold, so this is the one claim that fails.
    site.write(path, &figure.replace("value: 32.6", "value: 31.2").replace("value: 19.8", "value: 18.2"));
    let stderr = fails_with(
        &site,
        &format!("{path}:{line}:"),
        "the claim \"more than half\" is no longer true: `facebook_owned` is 49%, and the claim needs it above 50%",
        "31.2 + 18.2",
    );
    assert!(stderr.contains("help: change the words, and their test, to what the data says now"), "{stderr}");
    assert_eq!(site.tree(), before, "the previous output is untouched");
    // Pages quote the claim's words, so the words and their check are one thing.
    site.write(path, &figure);
    site.build_ok();
    assert!(site.read("evidence/index.html").contains("featured in 52%: more than half."));
}

/// Issue 19: page titles and descriptions, and the site's tagline and description, quote
/// figures too; what they quote reaches the title, the meta tags and the listings, and a call
/// that quotes nothing is an error at its line.
#[test]
fn front_matter_and_site_texts_quote_figures() {
    let site = TestSite::fixture("default");
    let quote = r#"{{ value(id="north-east-offences", key="total") }}"#;
    site.write("content/quoted.md", &format!("---\ntitle: '{quote} offences in the North East'\ndescription: 'Forces recorded {quote}.'\n---\nText.\n"));
    // The site in one language, which the test changes.
    let yaml = std::fs::read_to_string(site.root().join("content/site.yaml")).unwrap().replace("languages:\n  cy:", "extra:\n  cy:");
    for page in ["index", "evidence", "asks", "take-action", "thank-you", "news/_index", "news/wild-west-web-launch"] {
        site.remove(&format!("content/{page}.cy.md"));
    }
    let tagline = yaml.lines().find(|l| l.starts_with("tagline:")).unwrap();
    site.write("content/site.yaml", &yaml.replace(tagline, &format!("tagline: 'Police recorded {quote} grooming offences in the North East.'")));
    site.build_ok();
    let page = site.read("quoted/index.html");
    assert!(page.contains("<title>173 offences in the North East"), "the title is filled");
    assert!(page.contains("content=\"Forces recorded 173.\" name=description"), "the description is filled");
    assert!(site.read("index.html").contains("Police recorded 173 grooming offences in the North East."), "the tagline is filled");
    assert!(!site.tree().values().any(|bytes| String::from_utf8_lossy(bytes).contains("value(id=")), "no call is left unfilled anywhere");
    site.write("content/quoted.md", "---\ntitle: Quoted\ndescription: 'Forces recorded {{ value(id=\"north-east-offences\", key=\"totl\") }}.'\n---\nText.\n");
    let stderr = fails_with(&site, "content/quoted.md:3:1", "figure `north-east-offences` has no value, claim or statement named `totl`", "totl");
    assert!(stderr.contains("did you mean `total`?"), "{stderr}");
}

/// The extreme values a figure may hold, each a list of data points (`None` is not reported).
const EXTREMES: [(&str, &[Option<f64>]); 15] = [
    ("widest", &[Some(999_999_999_999_999.0), Some(-999_999_999_999_999.0)]),
    ("largest", &[Some(999_999_999_999_999.0), Some(1.0)]),
    ("most-negative", &[Some(-999_999_999_999_999.0), Some(-1.0)]),
    ("neighbours", &[Some(999_999_999_999_999.0), Some(999_999_999_999_998.0)]),
    ("cents", &[Some(0.01), Some(-0.01)]),
    ("one-cent", &[Some(0.01)]),
    ("minus-one-cent", &[Some(-0.01)]),
    ("zeros", &[Some(0.0), Some(0.0), Some(0.0)]),
    ("equal", &[Some(7.0), Some(7.0), Some(7.0)]),
    ("nulls", &[None, None]),
    ("one-point", &[Some(5.0)]),
    ("huge-and-tiny", &[Some(999_999_999_999_999.0), Some(0.01), None]),
    ("negative-only", &[Some(-3.0), Some(-12.5), Some(-0.01)]),
    ("long-decimals", &[Some(99_999_999_999_999.9), Some(1_234_567_890_123.45)]),
    ("many-largest", &[Some(999_999_999_999_999.0); 40]),
];

const KINDS: [&str; 5] = ["bar", "column", "stacked-bar", "donut", "line"];

fn extreme_figure(kind: &str, unit: &str, values: &[Option<f64>]) -> String {
    let written = |v: &Option<f64>| v.map_or("null".to_string(), |v| soapbox::figure::Unit::COUNT.plain(v));
    let head = format!("title: Extremes\nsource: S\nchart: {kind}\nunit: {unit}\n");
    if kind == "stacked-bar" {
        let categories: Vec<String> = (0..values.len()).map(|i| format!("C{i}")).collect();
        let values: Vec<String> = values.iter().map(written).collect();
        format!(
            "{head}categories: [{}]\nseries:\n  - {{ name: X, values: [{}] }}\n  - {{ name: Y, values: [{}] }}\n",
            categories.join(", "),
            values.join(", "),
            values.join(", ")
        )
    } else {
        let rows: String = values.iter().enumerate().map(|(i, v)| format!("  - {{ label: L{i}, value: {} }}\n", written(v))).collect();
        format!("{head}data:\n{rows}")
    }
}

/// `inf`, `NaN` or `nan` standing as a word: what a float that escaped the checks prints.
fn non_finite_word(text: &str) -> Option<&'static str> {
    let bounded = |at: usize, len: usize| {
        let before = text[..at].chars().next_back().is_none_or(|c| !c.is_ascii_alphanumeric());
        let after = text[at + len..].chars().next().is_none_or(|c| !c.is_ascii_alphanumeric());
        before && after
    };
    ["inf", "NaN", "nan"].into_iter().find(|word| text.match_indices(word).any(|(at, _)| bounded(at, word.len())))
}

/// Every chart kind, in both units, with values at and near the limits: each either builds,
/// with every value shown as written and no `inf` or `NaN` in any file, or is refused in plain
/// words with its file and line. Only parts of a whole that are negative are refused.
#[test]
fn case_3_extreme_values_build_cleanly_or_are_refused_at_every_chart_kind() {
    let site = TestSite::fixture("default");
    let mut page = String::from("---\ntitle: Extremes\n---\nEvery kind at the limits.\n\n");
    let mut built = Vec::new();
    for kind in KINDS {
        for unit in ["percent", "count"] {
            for (case, values) in EXTREMES {
                let id = format!("x-{kind}-{unit}-{case}");
                let file = format!("content/figures/{id}.yaml");
                let text = extreme_figure(kind, unit, values);
                let parts_of_whole = kind == "donut" || kind == "stacked-bar";
                match soapbox::figure::Figure::load(&id, std::path::Path::new(&file), &text) {
                    Ok(figure) => {
                        assert!(!(parts_of_whole && values.iter().flatten().any(|v| *v < 0.0)), "{id}: negative parts were accepted");
                        let svg = soapbox::chart::svg(&figure).unwrap_or_else(|e| panic!("{id} does not draw: {}", e.message()));
                        assert!(non_finite_word(&svg).is_none(), "{id}:\n{svg}");
                        site.write(&file, &text);
                        page.push_str(&format!("```chart {id}\n```\n\n"));
                        built.push((id, kind, figure));
                    }
                    Err(err) => {
                        assert!(parts_of_whole && values.iter().flatten().any(|v| *v < 0.0), "{id} was refused: {}", err.message());
                        assert!(err.message().contains("is negative") && err.hint_text().is_some(), "{id}: {}", err.message());
                        assert!(err.location().and_then(|l| l.line).is_some(), "{id}: the refusal has no line");
                        assert_plain(err.message(), &id);
                    }
                }
            }
        }
    }
    assert!(built.len() > 100, "most cases build");
    site.write("content/extremes.md", &page);
    site.build_ok();
    let tree = site.tree();
    for (path, bytes) in &tree {
        if let Ok(text) = std::str::from_utf8(bytes) {
            assert!(non_finite_word(text).is_none(), "{path} holds `{:?}`", non_finite_word(text));
        }
    }
    // Bars and donuts print every value: each as the text and the CSV say it.
    for (id, kind, figure) in &built {
        let svg = site.read(&format!("figures/{id}.svg"));
        if let (true, soapbox::figure::Body::Single { points, .. }) = (matches!(*kind, "bar" | "donut"), &figure.body) {
            for value in points.iter().filter_map(|p| p.value) {
                let shown = figure.unit.format(value);
                assert!(svg.contains(&shown), "{id}: `{shown}` is not on the chart:\n{svg}");
            }
        }
        assert!(tree.contains_key(&format!("figures/{id}.csv")), "{id}: no CSV");
    }
}

/// Issue 19: numbers are written the way the site's language writes them, in the text, the
/// chart and the share page alike; the CSV stays machine-readable.
#[test]
fn numbers_follow_the_sites_language() {
    let site = TestSite::fixture("default");
    // The site in one language, which the test changes.
    let yaml = std::fs::read_to_string(site.root().join("content/site.yaml")).unwrap().replace("languages:\n  cy:", "extra:\n  cy:");
    for page in ["index", "evidence", "asks", "take-action", "thank-you", "news/_index", "news/wild-west-web-launch"] {
        site.remove(&format!("content/{page}.cy.md"));
    }
    site.write("content/site.yaml", &yaml.replace("language: en-GB", "language: de-DE"));
    site.build_ok();
    assert!(site.read("evidence/index.html").contains("1.628"), "the text");
    let chart = site.read("figures/offences-england-wales.svg");
    assert!(chart.contains("1.628") && !chart.contains("1,628"), "the chart");
    assert!(site.read("figures/platforms-england-wales/index.html").contains("32,6%"), "the share page");
    assert!(site.read("figures/offences-england-wales.csv").contains("Offences recorded,1628\r\n"), "the CSV");
    site.write("content/site.yaml", &yaml.replace("language: en-GB", "language: cy"));
    site.build_ok();
    assert!(site.read("evidence/index.html").contains("1,628"), "Welsh writes numbers as English does");
}
