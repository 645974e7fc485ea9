//! Property tests: random and half-valid input fed to the loader, the figure rules, the chart
//! drawing and the Markdown renderer. Whatever comes in, soapbox answers with a value or an
//! error, never a panic. Each property runs 10,000 cases (set PROPTEST_CASES to change it).

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError};
use soapbox::chart;
use soapbox::figure::Figure;
use soapbox::load::{parse_config, parse_page};
use soapbox::markdown::{self, Embed, RenderContext, Scanned};
use std::path::Path;

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(10_000);
    Config { cases, failure_persistence: None, ..Config::default() }
}

/// Text built from pieces of the real formats, so that many cases get past the parser and
/// reach the rules behind it; mixed with arbitrary characters.
fn pieces(vocabulary: &'static [&'static str], max: usize) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => proptest::sample::select(vocabulary).prop_map(str::to_string),
        1 => any::<String>(),
        1 => (-1e12f64..1e12).prop_map(|v| v.to_string()),
    ];
    proptest::collection::vec(piece, 0..max).prop_map(|v| v.concat())
}

const YAML: &[&str] = &[
    "title: ",
    "subtitle: ",
    "source: ",
    "source_url: ",
    "note: ",
    "alt: ",
    "chart: ",
    "unit: ",
    "data:",
    "series:",
    "categories: ",
    "totals: ",
    "total: ",
    "remainder: ",
    "values:",
    "label: ",
    "value: ",
    "name: ",
    "values: ",
    "bar",
    "column",
    "stacked-bar",
    "donut",
    "line",
    "pie",
    "percent",
    "count",
    "null",
    "~",
    "-1",
    "0",
    "1e308",
    "-1e308",
    "1e-308",
    ".nan",
    ".inf",
    "-.inf",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "- ",
    ": ",
    "\n",
    "\n  ",
    "\n  - ",
    "  ",
    "\"",
    "'",
    "&anchor ",
    "*anchor",
    "!!binary ",
    "<script>alert(1)</script>",
    "ŵŷâ",
    "=SUM(A1)",
    "{ label: A, value: 1 }",
    "{ name: S, values: [1, null, 3] }",
    "[A, B, C]",
    "[1, 2, 3]",
    "https://x.org/",
    "javascript:alert(1)",
    "---",
    "...",
    "#",
    "%",
    "\t",
    "\r\n",
    "\u{0}",
    "\u{feff}",
    "draft: ",
    "date: ",
    "weight: ",
    "slug: ",
    "template: ",
    "2018-04-12",
    "2019-02-29",
    "../../x",
    "true",
    "base_url: ",
    "language: ",
    "hashtag: ",
    "organisation: ",
    "organisation_url: ",
    "extra: ",
    "en-GB",
];

const MARKDOWN: &[&str] = &[
    "{{ value(id=\"a\", key=\"k\") }}",
    "{{ value(id=\"a\", label=\"A / S\") }}",
    "{{ value(",
    "{{",
    "}}",
    "value(",
    "id=\"",
    "\"",
    ")",
    "```chart a\n```\n",
    "```chart\n",
    "```",
    "~~~",
    "`",
    "``",
    "# ",
    "## x {#id}",
    "> ",
    "- ",
    "1. ",
    "|a|b|\n|-|-|\n|1|2|\n",
    "[^1]",
    "[^1]: note\n",
    "~~x~~",
    "[link](/news/)",
    "[x](javascript:a)",
    "![img](",
    "](",
    "<script>",
    "</svg>",
    "<!--",
    "-->",
    "\n",
    "\n\n",
    "    ",
    "**",
    "_",
    "*",
    "ŵ",
    "é",
    "\u{0}",
    "\r",
    "\t",
    "&amp;",
    "&",
    "<",
    ">",
    "\\",
    "[",
    "]",
    "{#",
    "}",
];

fn render_body(body: &str, scanned: &Scanned) -> String {
    let values = |_: &Embed| "1,234".to_string();
    let chart = |id: &str, n: usize| format!("<figure>{id}{n}</figure>");
    markdown::render(
        body,
        scanned,
        &RenderContext {
            values: &values,
            chart: &chart,
            base_path: "/sub/",
            words: soapbox::strings::Language::English.words(),
            forms: None,
            photo: &|_, _, _| None,
        },
    )
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn figures_never_panic(text in pieces(YAML, 40)) {
        if let Ok(figure) = Figure::load("a", Path::new("content/figures/a.yaml"), &text) {
            let _ = chart::svg(&figure);
            let _ = chart::describe(&figure);
            for label in figure.labels() {
                let _ = figure.lookup(None, Some(&label));
            }
        }
    }

    #[test]
    fn pages_never_panic(front in pieces(YAML, 16), body in pieces(MARKDOWN, 40)) {
        let text = format!("---\n{front}\n---\n{body}");
        if let Ok(page) = parse_page(Path::new("content/a.md"), text) {
            let _ = render_body(page.body(), &page.scanned);
        }
    }

    #[test]
    fn markdown_with_embeds_never_panics(body in pieces(MARKDOWN, 60)) {
        let locate = |span: std::ops::Range<usize>| soapbox::error::Location::in_text("content/a.md", &body, span.start, span.len(), 1);
        if let Ok(scanned) = markdown::scan(&body, &locate) {
            for e in &scanned.embeds {
                prop_assert!(e.span.end <= body.len() && body.is_char_boundary(e.span.start) && body.is_char_boundary(e.span.end));
            }
            let _ = render_body(&body, &scanned);
        }
    }

    #[test]
    fn site_settings_never_panic(text in pieces(YAML, 30)) {
        let _ = parse_config(Path::new("content/site.yaml"), &text);
    }
}

/// Whole figures with arbitrary numbers: every valid one draws, and its SVG stays one document.
fn numbers() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![
        1 => Just(None),
        6 => any::<f64>().prop_filter("finite", |v| v.is_finite()).prop_map(Some),
        6 => (-1000.0f64..1000.0).prop_map(Some),
        4 => proptest::sample::select(EXTREME_VALUES).prop_map(Some),
    ]
}

/// Values at and near the edges of what a figure may hold.
const EXTREME_VALUES: &[f64] =
    &[999_999_999_999_999.0, -999_999_999_999_999.0, 999_999_999_999_998.0, 99_999_999_999_999.9, 0.01, -0.01, 0.0, 1_234_567_890_123.45];

/// `NaN` or `inf` in a chart, unless the figure's own words hold it.
fn non_finite_in(svg: &str, label: &str) -> bool {
    ["NaN", "inf"].iter().any(|word| svg.contains(word) && !label.contains(word) && !svg.contains(&format!("{word}o")))
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_valid_figure_draws(kind in proptest::sample::select(&["bar", "column", "stacked-bar", "donut", "line", "waffle", "dot"][..]),
                              values in proptest::collection::vec(numbers(), 1..12),
                              label in any::<String>()) {
        let yaml_value = |v: &Option<f64>| v.map_or("null".to_string(), |v| format!("{v:e}"));
        let quoted = label.replace('\\', "\\\\").replace('"', "\\\"");
        let text = if kind == "stacked-bar" || kind == "dot" || kind == "line" && values.len() % 2 == 0 {
            let cats: Vec<String> = (0..values.len()).map(|i| format!("\"c{i}\"")).collect();
            let vals: Vec<String> = values.iter().map(yaml_value).collect();
            // A dot plot compares: a second series, the same values the other way round.
            let second = if kind == "dot" { format!("  - {{ name: \"{quoted} 2\", values: [{}] }}\n", vals.iter().rev().cloned().collect::<Vec<_>>().join(", ")) } else { String::new() };
            format!("title: \"{quoted}\"\nsource: s\nchart: {kind}\nunit: count\ncategories: [{}]\nseries:\n  - {{ name: \"{quoted}\", values: [{}] }}\n{second}", cats.join(", "), vals.join(", "))
        } else {
            let rows: String = values.iter().enumerate().map(|(i, v)| format!("  - {{ label: \"{quoted}{i}\", value: {} }}\n", yaml_value(v))).collect();
            format!("title: \"{quoted}\"\nsource: s\nchart: {kind}\nunit: percent\ndata:\n{rows}")
        };
        if let Ok(figure) = Figure::load("f", Path::new("f.yaml"), &text) {
            let svg = chart::svg(&figure).expect("a valid figure draws");
            prop_assert_eq!(svg.matches("<svg").count(), 1);
            prop_assert_eq!(svg.matches("</svg>").count(), 1);
            prop_assert!(!svg.contains("<script"));
            prop_assert!(!non_finite_in(&svg, &label), "a value drew as NaN or inf:\n{}", svg);
        }
    }
}

/// Words of the code, not of the campaign: none may reach an error message unless the input
/// itself holds it (a report shows the user's own line).
const INTERNAL_WORDS: &[&str] = &[
    "enum",
    "struct",
    "untagged",
    "u64",
    "i64",
    "f64",
    "u128",
    "usize",
    "serde",
    "RawQuantity",
    "variant",
    "panicked",
    "as u",
    "Option<",
    "expected a number, found the number",
];

/// The heavier properties (deep and long inputs) run 64 cases unless PROPTEST_CASES says otherwise.
fn heavy_config() -> Config {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(64);
    Config { cases, failure_persistence: None, ..Config::default() }
}

fn assert_plain(err: &soapbox::Error, input: &str) -> Result<(), TestCaseError> {
    let report = err.report(false);
    for word in INTERNAL_WORDS {
        prop_assert!(!report.contains(word) || input.contains(word), "`{word}` reached the user:\n{report}");
    }
    Ok(())
}

/// Every way a page, figure or site.yaml is read, with no panic and plain errors.
fn load_all(text: &str) -> Result<(), TestCaseError> {
    match Figure::load("a", Path::new("content/figures/a.yaml"), text) {
        Ok(figure) => {
            let _ = chart::svg(&figure);
            let _ = chart::describe(&figure);
        }
        Err(e) => assert_plain(&e, text)?,
    }
    match parse_page(Path::new("content/a.md"), text.to_string()) {
        Ok(page) => drop(render_body(page.body(), &page.scanned)),
        Err(e) => assert_plain(&e, text)?,
    }
    if let Err(e) = parse_config(Path::new("content/site.yaml"), text) {
        assert_plain(&e, text)?;
    }
    Ok(())
}

/// Numbers at and beyond the edges of what a float holds, in every notation YAML knows.
const EDGE_NUMBERS: &[&str] = &[
    "0",
    "-0",
    "+0",
    "0.0",
    "-0.0",
    "1e308",
    "-1e308",
    "1e309",
    "-1e309",
    "1.7976931348623157e308",
    "4.9e-324",
    "1e-400",
    "9007199254740992",
    "9007199254740993",
    "-9007199254740993",
    "18446744073709551615",
    "18446744073709551616",
    "18446744073709551617",
    "-9223372036854775808",
    "-9223372036854775809",
    "340282366920938463463374607431768211457",
    "0x10",
    "0o17",
    "0b101",
    "017",
    "1_000",
    ".inf",
    "-.inf",
    ".nan",
    ".NaN",
    "+.inf",
    "1.",
    ".5",
    "1e3",
    "1E3",
    "32.6",
    "32.60",
    "32.65",
    "0.1",
    "1.005",
    "123456789.123456789",
    "1,000",
    "0x",
    "1e",
    "+1",
    "99999999999999999999999999999999999999",
    "0.000000000000000000001",
    // The edges of the allowed range, and the slips people make when typing numbers.
    "999999999999999",
    "-999999999999999",
    "999999999999999.0",
    "1000000000000000",
    "-1000000000000000",
    "99999999999999.9",
    "99999999999999.99",
    "9999999999999.99",
    "9.99999999999999e14",
    "1e14",
    "0.01",
    "-0.01",
    "0.001",
    "62%",
    "£3m",
    "1.2k",
    "\"12\"",
    "'12'",
    "1,200,000",
];

/// A number as YAML text: an edge, or a random decimal of up to 40 digits.
fn number_text() -> impl Strategy<Value = String> {
    let digits = |max| proptest::collection::vec(proptest::sample::select(&['0', '1', '2', '5', '7', '9'][..]), 1..max).prop_map(String::from_iter);
    prop_oneof![
        3 => proptest::sample::select(EDGE_NUMBERS).prop_map(str::to_string),
        2 => (proptest::sample::select(&["", "-", "+"][..]), digits(40), proptest::option::of(digits(20)), proptest::option::of(-400i32..400))
            .prop_map(|(sign, int, frac, exp)| format!("{sign}{int}{}{}", frac.map_or(String::new(), |f| format!(".{f}")), exp.map_or(String::new(), |e| format!("e{e}")))),
    ]
}

/// The exact value of a decimal (or hexadecimal, octal) literal as (negative, digits, power of
/// ten), with zeros trimmed so that equal values compare equal; `None` for anything else.
fn exact(text: &str) -> Option<(bool, String, i64)> {
    let text = text.trim();
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let radix = |digits: &str, radix: u32| -> Option<(bool, String, i64)> {
        let value = u128::from_str_radix(digits, radix).ok()?;
        exact(&format!("{}{value}", if negative { "-" } else { "" }))
    };
    if let Some(hex) = body.strip_prefix("0x") {
        return radix(hex, 16);
    }
    if let Some(octal) = body.strip_prefix("0o") {
        return radix(octal, 8);
    }
    let (mantissa, power) = match body.split_once(['e', 'E']) {
        Some((m, p)) => (m, p.parse::<i64>().ok()?),
        None => (body, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int.is_empty() && frac.is_empty() || !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let all = format!("{int}{frac}");
    let trimmed = all.trim_start_matches('0');
    let significant = trimmed.trim_end_matches('0');
    let power = power - frac.len() as i64 + (trimmed.len() - significant.len()) as i64;
    if significant.is_empty() {
        return Some((false, String::new(), 0));
    }
    Some((negative, significant.to_string(), power))
}

proptest! {
    #![proptest_config(config())]

    /// A number that loads is shown exactly as written, once thousands separators are gone;
    /// one that cannot be is refused in plain words.
    #[test]
    fn numbers_are_shown_as_written_or_refused(number in number_text(), place in 0..4usize) {
        let text = match place {
            0 => format!("title: t\nsource: s\nchart: bar\nunit: count\ndata:\n  - {{ label: A, value: {number} }}\n"),
            1 => format!("title: t\nsource: s\nchart: bar\nunit: count\ndata:\n  - {{ label: A, value: 1 }}\nvalues:\n  n: {number}\n"),
            2 => format!("title: t\nsource: s\nchart: bar\nunit: count\ndata:\n  - {{ label: A, value: 1 }}\nvalues:\n  n: {{ value: {number}, unit: percent }}\n"),
            _ => format!("title: t\nsource: s\nchart: column\nunit: count\ncategories: [C]\nseries:\n  - {{ name: A, values: [{number}] }}\n"),
        };
        match Figure::load("f", Path::new("content/figures/f.yaml"), &text) {
            Err(e) => assert_plain(&e, &text)?,
            Ok(figure) => {
                let _ = chart::svg(&figure);
                let shown = match place {
                    0 => figure.lookup(None, Some("A")),
                    1 | 2 => figure.lookup(Some("n"), None),
                    _ => figure.lookup(None, Some("C / A")),
                };
                if let Ok(quantity) = shown {
                    let formatted = quantity.formatted();
                    let plain = formatted.replace(',', "");
                    let plain = plain.trim_end_matches('%');
                    prop_assert!(exact(&number).is_some(), "`{number}` was accepted and shown as `{formatted}`");
                    prop_assert_eq!(exact(plain), exact(&number), "`{}` is shown as `{}`", number, formatted);
                }
            }
        }
    }

    /// Every C0 and C1 control character, DEL and the byte-order mark, anywhere in a page,
    /// figure or site.yaml.
    #[test]
    fn control_characters_never_panic(base in proptest::sample::select(&[
        "title: t\nsource: s\nchart: bar\nunit: count\ndata:\n  - { label: A, value: 1 }\n",
        "---\ntitle: T\n---\n# Heading\n\nText {{ value(id=\"a\", key=\"k\") }} and [a link](/x/).\n",
        "title: T\ndescription: D\nbase_url: https://x.org/\nlanguage: en\norganisation: O\n",
    ][..]), inserts in proptest::collection::vec((any::<prop::sample::Index>(), proptest::sample::select(
        (0u32..0x20).chain([0x7f]).chain(0x80..0xa0).chain([0xfeff, 0x2028, 0xfffe]).filter_map(char::from_u32).collect::<Vec<char>>(),
    )), 1..4)) {
        let mut text = base.to_string();
        for (at, c) in inserts {
            let boundaries: Vec<usize> = (0..=text.len()).filter(|i| text.is_char_boundary(*i)).collect();
            text.insert(boundaries[at.index(boundaries.len())], c);
        }
        load_all(&text)?;
    }
}

proptest! {
    #![proptest_config(heavy_config())]

    /// Nesting, flow and block, deeper than any limit, in every YAML file and in Markdown.
    #[test]
    fn deep_nesting_never_panics(depth in 1..3000usize, shape in 0..6usize, closed in any::<bool>()) {
        let (open, close) = [("[", "]"), ("{a: ", "}"), ("[{a: ", "}]"), ("- ", ""), ("> ", ""), ("* ", "")][shape];
        let nested = format!("{}1{}", open.repeat(depth), if closed { close.repeat(depth) } else { String::new() });
        let block: String = (0..depth.min(300)).map(|d| format!("{}k:\n", "  ".repeat(d))).collect();
        for text in [
            format!("title: t\nsource: s\nnote: {nested}\nchart: bar\nunit: count\ndata:\n  - {{ label: A, value: 1 }}\n"),
            format!("---\ntitle: T\ndescription: {nested}\n---\n{nested}\n"),
            format!("title: T\ndescription: D\nbase_url: https://x.org/\nlanguage: en\norganisation: O\nextra:\n  x: {nested}\n"),
            format!("title: T\ndescription: D\nbase_url: https://x.org/\nlanguage: en\norganisation: O\nextra:\n{block}"),
        ] {
            load_all(&text)?;
        }
    }


    /// Huge repetition: many headings, many `value` calls on a line, long words and labels.
    #[test]
    fn repetition_never_panics(count in 1..1500usize, shape in 0..5usize) {
        let text = match shape {
            0 => format!("---\ntitle: T\n---\n{}", "# a\n\n".repeat(count)),
            1 => format!("---\ntitle: T\n---\n{}", "{{ value(id=\"a\", key=\"k\") }} ".repeat(count)),
            2 => format!("title: {}\nsource: s\nchart: bar\nunit: count\ndata:\n  - {{ label: A, value: 1 }}\n", "x".repeat(count * 4)),
            3 => {
                let rows: String = (0..count.min(50)).map(|i| format!("  - {{ label: {i}{}, value: {i} }}\n", "x".repeat(count))).collect();
                format!("title: t\nsource: s\nchart: bar\nunit: count\ndata:\n{rows}")
            }
            _ => format!("---\ntitle: T\n---\n{}\n\n[r]: /x/\n", "[x][r] [y](/nope/) ".repeat(count)),
        };
        load_all(&text)?;
    }
}

/// A byte-order mark before a file changes nothing: editors on Windows add one unasked.
#[test]
fn a_byte_order_mark_at_the_start_changes_nothing() {
    let figure = "title: t\nsource: s\nchart: bar\nunit: count\ndata:\n  - { label: A, value: 1 }\n";
    // The key of a figure covers its text, mark and all; everything else must be the same.
    let load = |text: &str| Figure::load("a", Path::new("content/figures/a.yaml"), text).map(|f| Figure { hash: 0, ..f }).map_err(|e| e.report(false));
    assert_eq!(load(&format!("\u{feff}{figure}")), load(figure));
    let page = "---\ntitle: T\n---\nText.\n";
    assert!(parse_page(Path::new("content/a.md"), format!("\u{feff}{page}")).is_ok());
    let site = "title: T\ndescription: D\nbase_url: https://x.org/\nlanguage: en\norganisation: O\n";
    assert!(parse_config(Path::new("content/site.yaml"), &format!("\u{feff}{site}")).is_ok());
}
