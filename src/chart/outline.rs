//! An image's text drawn as the outlines of its glyphs, before it is rasterised. The images
//! are rendered from SVG, and the rasteriser then draws shapes only: each line is set by
//! [`crate::fonts::Line`] in the Inter that soapbox ships, kerned as a browser kerns it, so
//! what an image shows is the font and the widths that the layout measured, and no text
//! can go missing without an error.

use crate::error::{Error, Result};
use crate::fonts::Line;
use resvg::usvg::roxmltree::{Document, Node};
use std::fmt::Write as _;

/// `svg` with every `<text>` element replaced by a `<path>` of its glyphs, in place, so the
/// groups and transforms around it apply as before. Text that this cannot set exactly as a
/// renderer would (spans, lists of positions, styles) is an error, never left out.
pub fn outlined(svg: &str) -> Result<String> {
    let doc = Document::parse(svg).map_err(|e| Error::new(format!("its SVG is not well formed: {e}")))?;
    let mut out = String::with_capacity(svg.len() * 3);
    let mut copied = 0;
    for text in doc.descendants().filter(|n| n.has_tag_name("text")) {
        let range = text.range();
        out.push_str(&svg[copied..range.start]);
        out.push_str(&path(text)?);
        copied = range.end;
    }
    out.push_str(&svg[copied..]);
    Ok(out)
}

/// A `<path>` element that draws `text`, or nothing for text that is only spaces.
fn path(text: Node) -> Result<String> {
    let fail = |what: String| Error::new(format!("the text `{}` has {what}, which soapbox cannot draw", text.text().unwrap_or("").trim()));
    if let Some(child) = text.children().find(Node::is_element) {
        return Err(fail(format!("a `<{}>` inside it", child.tag_name().name())));
    }
    // Inherited like CSS: the element's own value, else its nearest ancestor's.
    let inherited = |name: &str| text.ancestors().find_map(|n| n.attribute(name));
    let number = |name: &str, value: &str| value.trim().parse::<f64>().map_err(|_| fail(format!("{name}=\"{value}\"")));
    let px = number("font-size", inherited("font-size").ok_or_else(|| fail("no font-size".into()))?)?;
    let bold = match inherited("font-weight").unwrap_or("normal") {
        "normal" | "400" => false,
        "bold" | "700" => true,
        other => return Err(fail(format!("font-weight=\"{other}\""))),
    };
    let x = number("x", text.attribute("x").unwrap_or("0"))?;
    let y = number("y", text.attribute("y").unwrap_or("0"))?;
    let dy = match text.attribute("dy") {
        None => 0.0,
        Some(dy) => match dy.strip_suffix("em") {
            Some(em) => number("dy", em)? * px,
            None => number("dy", dy)?,
        },
    };
    let mut kept = String::new();
    for attribute in text.attributes() {
        match attribute.name() {
            "x" | "y" | "dy" | "font-size" | "font-weight" | "font-family" | "text-anchor" => {}
            name @ ("fill" | "opacity" | "fill-opacity" | "transform") => {
                let _ = write!(kept, " {name}=\"{}\"", crate::escape::xml(attribute.value()));
            }
            name => return Err(fail(format!("{name}=\"{}\"", attribute.value()))),
        }
    }
    // As SVG sets text by default: spaces and line breaks run together, none at either end.
    let words: Vec<&str> = text.text().unwrap_or("").split_whitespace().collect();
    if words.is_empty() {
        return Ok(String::new());
    }
    let line = Line::set(&words.join(" "), px, bold)?;
    let left = match inherited("text-anchor").unwrap_or("start") {
        "start" => x,
        "middle" => x - line.width() / 2.0,
        "end" => x - line.width(),
        other => return Err(fail(format!("text-anchor=\"{other}\""))),
    };
    Ok(format!("<path d=\"{}\"{kept}/>", line.path(left, y + dy)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svg(body: &str) -> String {
        format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"400\" height=\"100\" font-family=\"Inter, sans-serif\">{body}</svg>")
    }

    /// The horizontal extent of the numbers in a path's data.
    fn extent(d: &str) -> (f64, f64) {
        let xs: Vec<f64> = d.split(|c: char| c.is_ascii_alphabetic() || c == ' ').filter_map(|n| n.parse().ok()).step_by(2).collect();
        (xs.iter().copied().fold(f64::INFINITY, f64::min), xs.iter().copied().fold(0.0, f64::max))
    }

    #[test]
    fn text_becomes_a_path_where_it_stood_with_its_paint_and_anchor() {
        let out = outlined(&svg(concat!(
            "<g transform=\"translate(10 0)\"><text x=\"200\" y=\"20\" dy=\"0.76em\" text-anchor=\"middle\" font-size=\"15\" fill=\"#1A1A1A\" font-weight=\"bold\">\n  A &amp; B\n</text></g>",
            "<text x=\"390\" y=\"80\" font-size=\"12\" fill=\"#4d4d4d\" text-anchor=\"end\" opacity=\"0.5\">£1,628 yn Nghymru</text>",
            "<text x=\"5\" y=\"9\" font-size=\"9\"> </text>",
        )))
        .unwrap();
        assert!(!out.contains("<text"), "{out}");
        assert!(out.contains("<g transform=\"translate(10 0)\"><path d=\"M"), "stays inside its group: {out}");
        let paths: Vec<&str> = out.split("<path d=\"").skip(1).collect();
        assert_eq!(paths.len(), 2, "text of spaces draws nothing: {out}");
        let (d, rest) = paths[0].split_once('"').unwrap();
        assert!(rest.starts_with(" fill=\"#1A1A1A\"/>"), "{rest}");
        let width = Line::set("A & B", 15.0, true).unwrap().width();
        let (left, right) = extent(d);
        assert!((left - (200.0 - width / 2.0)).abs() < 1.5 && (right - (200.0 + width / 2.0)).abs() < 1.5, "centred: {left}..{right}, {width}");
        let (d, rest) = paths[1].split_once('"').unwrap();
        assert!(rest.starts_with(" fill=\"#4d4d4d\" opacity=\"0.5\"/>"), "{rest}");
        let (_, right) = extent(d);
        assert!(right <= 390.0 && right > 388.0, "ends at its x: {right}");
    }

    #[test]
    fn text_it_cannot_set_exactly_is_an_error_never_left_out() {
        for (text, says) in [
            ("<text x=\"0\" y=\"9\" font-size=\"9\">a<tspan>b</tspan></text>", "a `<tspan>` inside it"),
            ("<text x=\"0 4\" y=\"9\" font-size=\"9\">ab</text>", "x=\"0 4\""),
            ("<text x=\"0\" y=\"9\" font-size=\"9\" style=\"font-size:20px\">ab</text>", "style="),
            ("<text x=\"0\" y=\"9\" font-size=\"9\" font-weight=\"300\">ab</text>", "font-weight=\"300\""),
            ("<text x=\"0\" y=\"9\">ab</text>", "no font-size"),
        ] {
            let error = outlined(&svg(text)).unwrap_err();
            assert!(error.message().contains(says), "{text}: {}", error.message());
        }
    }
}
