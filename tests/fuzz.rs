//! Property tests: random and half-valid input fed to the loader, the figure rules, the chart
//! drawing and the Markdown renderer. Whatever comes in, soapbox answers with a value or an
//! error, never a panic. Each property runs 10,000 cases (set PROPTEST_CASES to change it).

use proptest::prelude::*;
use proptest::test_runner::Config;
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
    "title: ", "subtitle: ", "source: ", "source_url: ", "note: ", "alt: ", "chart: ", "unit: ", "data:", "series:",
    "categories: ", "totals: ", "total: ", "remainder: ", "values:", "label: ", "value: ", "name: ", "values: ",
    "bar", "column", "stacked-bar", "donut", "line", "pie", "percent", "count", "null", "~", "-1", "0", "1e308",
    "-1e308", "1e-308", ".nan", ".inf", "-.inf", "[", "]", "{", "}", ", ", "- ", ": ", "\n", "\n  ", "\n  - ",
    "  ", "\"", "'", "&anchor ", "*anchor", "!!binary ", "<script>alert(1)</script>", "ŵŷâ", "=SUM(A1)",
    "{ label: A, value: 1 }", "{ name: S, values: [1, null, 3] }", "[A, B, C]", "[1, 2, 3]", "https://x.org/",
    "javascript:alert(1)", "---", "...", "#", "%", "\t", "\r\n", "\u{0}", "\u{feff}",
    "draft: ", "date: ", "weight: ", "slug: ", "template: ", "2018-04-12", "2019-02-29", "../../x", "true",
    "base_url: ", "language: ", "hashtag: ", "organisation: ", "organisation_url: ", "extra: ", "en-GB",
];

const MARKDOWN: &[&str] = &[
    "{{ value(id=\"a\", key=\"k\") }}", "{{ value(id=\"a\", label=\"A / S\") }}", "{{ value(", "{{", "}}", "value(",
    "id=\"", "\"", ")", "```chart a\n```\n", "```chart\n", "```", "~~~", "`", "``", "# ", "## x {#id}", "> ",
    "- ", "1. ", "|a|b|\n|-|-|\n|1|2|\n", "[^1]", "[^1]: note\n", "~~x~~", "[link](/news/)", "[x](javascript:a)",
    "![img](", "](", "<script>", "</svg>", "<!--", "-->", "\n", "\n\n", "    ", "**", "_", "*", "ŵ", "é", "\u{0}",
    "\r", "\t", "&amp;", "&", "<", ">", "\\", "[", "]", "{#", "}",
];

fn render_body(body: &str, scanned: &Scanned) -> String {
    let values = |_: &Embed| "1,234".to_string();
    let chart = |id: &str, n: usize| format!("<figure>{id}{n}</figure>");
    markdown::render(body, scanned, &RenderContext { values: &values, chart: &chart, base_path: "/sub/" })
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
        if let Ok(scanned) = markdown::scan(&body) {
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
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_valid_figure_draws(kind in proptest::sample::select(&["bar", "column", "stacked-bar", "donut", "line"][..]),
                              values in proptest::collection::vec(numbers(), 1..12),
                              label in any::<String>()) {
        let yaml_value = |v: &Option<f64>| v.map_or("null".to_string(), |v| format!("{v:e}"));
        let quoted = label.replace('\\', "\\\\").replace('"', "\\\"");
        let text = if kind == "stacked-bar" || kind == "line" && values.len() % 2 == 0 {
            let cats: Vec<String> = (0..values.len()).map(|i| format!("\"c{i}\"")).collect();
            let vals: Vec<String> = values.iter().map(yaml_value).collect();
            format!("title: \"{quoted}\"\nsource: s\nchart: {kind}\nunit: count\ncategories: [{}]\nseries:\n  - {{ name: \"{quoted}\", values: [{}] }}\n", cats.join(", "), vals.join(", "))
        } else {
            let rows: String = values.iter().enumerate().map(|(i, v)| format!("  - {{ label: \"{quoted}{i}\", value: {} }}\n", yaml_value(v))).collect();
            format!("title: \"{quoted}\"\nsource: s\nchart: {kind}\nunit: percent\ndata:\n{rows}")
        };
        if let Ok(figure) = Figure::load("f", Path::new("f.yaml"), &text) {
            let svg = chart::svg(&figure).expect("a valid figure draws");
            prop_assert_eq!(svg.matches("<svg").count(), 1);
            prop_assert_eq!(svg.matches("</svg>").count(), 1);
            prop_assert!(!svg.contains("<script"));
        }
    }
}
