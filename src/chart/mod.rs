//! Charts: a figure drawn as an accessible SVG with plotters, and described in words.
//!
//! [`svg`] lays the chart out for its kind (bar, column, stacked bar, donut, line), draws it
//! through [`canvas::Canvas`] in data order, so the output is byte-stable, and then adds what
//! plotters does not write: `role="img"`, a `<title>` and a `<desc>` that `aria-labelledby`
//! points at, and a class for styling. [`describe`] writes the summary that goes in `<desc>`.

pub mod canvas;
mod describe;
mod draw;
pub mod image;

pub use describe::describe;

use crate::error::Result;
use crate::figure::Figure;

/// The width of every chart's coordinate system; the SVG scales to its container from here.
pub const WIDTH: u32 = 400;

/// The chart of `figure` as a standalone SVG document (also valid inline in HTML).
pub fn svg(figure: &Figure) -> Result<String> {
    svg_and_height(figure).map(|(svg, _)| svg)
}

/// [`svg`] and its height, from one drawing.
pub fn svg_and_height(figure: &Figure) -> Result<(String, f64)> {
    let (drawn, height) = drawing(figure, 0.0)?;
    Ok((accessible(&drawn, figure), height))
}

/// The height that an SVG made by [`svg`] gives on its root element, in pixels: the same as
/// [`svg_and_height`] gives, without drawing again.
pub fn height_of(svg: &str) -> Option<u32> {
    let root = &svg[..svg.find('>')?];
    let at = root.find(" height=\"")? + " height=\"".len();
    let value = &root[at..];
    value[..value.find('"')?].parse().ok()
}

/// plotters' SVG of `figure`, tidied, and its height; see [`draw::draw`] for `extra`.
pub fn drawing(figure: &Figure, extra: f64) -> Result<(String, f64)> {
    let (svg, height) = draw::draw(figure, extra).map_err(|e| e.in_file(&figure.file))?;
    Ok((tidy(&svg), height))
}

/// Trims what plotters writes by default: `opacity="1"` on everything, and font sizes such as
/// `13.000000000000002` that float division leaves behind.
fn tidy(svg: &str) -> String {
    let svg = svg.replace(" opacity=\"1\"", "");
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg.as_str();
    while let Some(i) = rest.find("font-size=\"") {
        let start = i + "font-size=\"".len();
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find('"').unwrap_or(rest.len());
        match rest[..end].parse::<f64>() {
            Ok(size) => out.push_str(&format!("{}", (size * 100.0).round() / 100.0)),
            Err(_) => out.push_str(&rest[..end]),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The id prefix of a figure's `<title>` and `<desc>`.
pub fn dom_id(figure: &Figure) -> String {
    format!("chart-{}", figure.id)
}

/// Adds role, labels, title and desc to plotters' `<svg>`.
fn accessible(svg: &str, figure: &Figure) -> String {
    let id = dom_id(figure);
    let title = crate::escape::xml(&figure.title);
    let desc = crate::escape::xml(&figure.alt.clone().unwrap_or_else(|| describe(figure)));
    let Some(open_end) = svg.find('>') else { return svg.to_string() };
    let open = svg[..open_end].trim_end_matches('/');
    let head = format!(
        "{open} role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" class=\"chart-svg\">\n<title id=\"{id}-title\">{title}</title>\n<desc id=\"{id}-desc\">{desc}</desc>"
    );
    let mut out = String::with_capacity(svg.len() + head.len());
    out.push_str(&head);
    out.push_str(&svg[open_end + 1..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    pub(crate) fn figure(yaml: &str) -> Figure {
        Figure::load("f", Path::new("content/figures/f.yaml"), yaml).unwrap()
    }

    #[test]
    fn an_svg_gives_the_height_it_was_drawn_at() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kinds/content/figures");
        let mut kinds = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let f = Figure::load("f", &path, &std::fs::read_to_string(&path).unwrap()).unwrap();
            let (svg, height) = svg_and_height(&f).unwrap();
            assert_eq!(height_of(&svg), Some(height as u32), "{}", path.display());
            kinds += 1;
        }
        assert_eq!(kinds, 5);
        assert_eq!(height_of("<svg width=\"4\">"), None);
        assert_eq!(height_of("<svg width=\"4\"><rect height=\"9\"/>"), None, "only the root's height counts");
        assert_eq!(height_of("<svg height=\"x\">"), None);
    }

    #[test]
    fn svg_is_labelled_and_escaped() {
        let mut f = figure("title: T\nsource: S\nchart: bar\nunit: count\ndata:\n  - { label: '<script>x</script>', value: 3 }\n");
        // Set after loading, which gives titles curly quotes: a straight one must be escaped.
        f.title = "A <b> & \"c\" </svg>".into();
        let svg = svg(&f).unwrap();
        assert!(svg.starts_with("<svg "));
        assert!(svg.contains("role=\"img\" aria-labelledby=\"chart-f-title chart-f-desc\""));
        assert!(svg.contains("<title id=\"chart-f-title\">A &lt;b&gt; &amp; &quot;c&quot; &lt;/svg&gt;</title>"));
        assert!(!svg.contains("<script>"));
        assert!(!svg.contains("</svg>\n</title>"));
        assert_eq!(svg.matches("</svg>").count(), 1);
        assert!(svg.contains("font-size=\"16\"") && !svg.contains("opacity=\"1\""));
    }
}
