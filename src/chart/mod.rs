//! Charts: a figure drawn as an accessible SVG with plotters, and described in words.
//!
//! [`svg`] lays the chart out for its kind (bar, column, stacked bar, donut, line), draws it
//! through [`canvas::Canvas`] in data order, so the output is byte-stable, and then adds what
//! plotters does not write: `role="img"`, a `<title>` and a `<desc>` that `aria-labelledby`
//! points at, and a class for styling. [`describe`] writes the summary that goes in `<desc>`.
//!
//! A page shows [`inline`] instead: the chart laid out once per width band ([`BANDS`]), its
//! text sized so that at every width the page's CSS shows it, it reads at 14 px or more and
//! never larger than the chart's title, and its colours as CSS custom properties, so that
//! one SVG serves light and dark mode.

mod annotate;
pub mod canvas;
mod describe;
mod dot;
mod draw;
pub mod image;
mod outline;
mod tilemap;
mod waffle;

pub use describe::describe;

use crate::error::Result;
use crate::figure::Figure;

/// The width of the standalone chart's coordinate system, and the share images' chart.
pub const WIDTH: u32 = 400;

/// The widths a page's chart is laid out at, narrowest first, and the class that names each.
/// The page shows the widest that its column holds (with a container query; see the section
/// "Charts: width bands" of `static/style.css`), at between 1 and [`MAX_SCALE`] times its
/// size. From 320 to 1280 px, columns are 280 to 544 px wide: the narrow layout serves
/// 280 to 429 px, shown at most 354 px wide, and the wide one 430 to 544 px.
pub const BANDS: [(u32, &str); 2] = [(280, "chart-narrow"), (430, "chart-wide")];

/// The most a page enlarges a chart: its largest text (15 px) then matches the chart's title
/// (19 px), and its smallest (14 px) is never shown smaller, as no band is shown in a column
/// narrower than its width.
pub const MAX_SCALE: f64 = 19.0 / 15.0;

/// The chart of `figure` as a standalone SVG document (also valid inline in HTML).
pub fn svg(figure: &Figure) -> Result<String> {
    svg_and_height(figure).map(|(svg, _)| svg)
}

/// [`svg`] and its height, from one drawing.
pub fn svg_and_height(figure: &Figure) -> Result<(String, f64)> {
    let (drawn, height) = drawing(figure, 0.0)?;
    Ok((accessible(&drawn, figure, None), height))
}

/// The chart as a page shows it: one `<svg>` per width band of [`BANDS`], with themed
/// colours. The first holds the `<title>` and `<desc>`; every one is named by them, and the
/// page's CSS shows exactly one, so a reader (or screen reader) meets one chart.
pub fn inline(figure: &Figure) -> Result<String> {
    // Its own container, for the container query and the dark background, in any template.
    let mut out = String::from("<div class=\"chart-bands\">");
    for (i, (width, class)) in BANDS.into_iter().enumerate() {
        let (svg, _) = draw::draw(figure, width, 0.0, true).map_err(|e| if e.location().is_some() { e } else { e.in_file(&figure.file) })?;
        let svg = accessible(&tidy(&svg), figure, Some(class));
        if i == 0 {
            out.push_str(&svg);
        } else {
            out.push_str(&without_title(&svg));
        }
    }
    out.push_str("</div>");
    Ok(out)
}

/// `svg` without its `<title>` and `<desc>`, which another variant of the chart holds.
fn without_title(svg: &str) -> String {
    let cut = |s: &str, open: &str, close: &str| match (s.find(open), s.find(close)) {
        (Some(a), Some(b)) if a < b => format!("{}{}", &s[..a], s[b + close.len()..].trim_start_matches('\n')),
        _ => s.to_string(),
    };
    cut(&cut(svg, "<title", "</title>"), "<desc", "</desc>")
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
    drawing_at(figure, WIDTH, extra)
}

/// [`drawing`], laid out `width` units wide: as narrow as [`BANDS`]' narrowest, whose layout
/// every chart kind keeps, or wider.
pub fn drawing_at(figure: &Figure, width: u32, extra: f64) -> Result<(String, f64)> {
    let (svg, height) =
        draw::draw(figure, width.max(BANDS[0].0), extra, false).map_err(|e| if e.location().is_some() { e } else { e.in_file(&figure.file) })?;
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

/// Adds role, labels, title and desc to plotters' `<svg>`, and `band`'s class.
fn accessible(svg: &str, figure: &Figure, band: Option<&str>) -> String {
    let id = dom_id(figure);
    let title = crate::escape::xml(&figure.title);
    let desc = crate::escape::xml(&figure.alt.clone().unwrap_or_else(|| describe(figure)));
    let Some(open_end) = svg.find('>') else { return svg.to_string() };
    let open = svg[..open_end].trim_end_matches('/');
    let class = band.map_or(String::new(), |b| format!(" {b}"));
    let head = format!(
        "{open} role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" class=\"chart-svg{class}\">\n<title id=\"{id}-title\">{title}</title>\n<desc id=\"{id}-desc\">{desc}</desc>"
    );
    let mut out = String::with_capacity(svg.len() + head.len());
    out.push_str(&head);
    out.push_str(&svg[open_end + 1..]);
    out
}

/// Checks of a chart kind's layout, in the canvas's own boxes, for the kinds' own tests.
#[cfg(test)]
pub(crate) mod layout {
    use super::canvas::{Canvas, TextBox, SMALL};
    use super::image::{compose, min_text, Brand, SIZES};
    use super::BANDS;
    use crate::figure::Figure;

    /// Draws a kind: onto a canvas, `w` wide with `extra` room to grow into; gives its height.
    pub type Draw<'a> = &'a dyn Fn(&mut Canvas, f64, f64) -> f64;

    /// No two texts overlap, none is smaller than 14 px or leaves the chart's width, and all
    /// are within its height.
    fn assert_clear(boxes: &[TextBox], w: f64, height: f64, at: &str) {
        for (i, a) in boxes.iter().enumerate() {
            assert!(a.px >= SMALL, "{at}: `{}` is {} px", a.text, a.px);
            assert!(a.x0 >= -0.5 && a.x1 <= w + 0.5 && a.y0 >= -0.5 && a.y1 <= height + 0.5, "{at}: `{}` leaves the chart: {a:?}", a.text);
            for b in &boxes[i + 1..] {
                assert!(!a.overlaps(b), "{at}: `{}` overlaps `{}`: {a:?} {b:?}", a.text, b.text);
            }
        }
    }

    /// At every width band, and in every share image as [`compose`] lays it out (its width
    /// and the room it grows into), the chart's text is clear of other text and at the
    /// reading size: 14 px in a page, the image's least size in an image. Returns how many
    /// texts each layout drew, band by band and then image by image; none for a link preview
    /// that leaves a chart too dense for it out (as [`compose`] does), which only it may.
    pub fn assert_readable(figure: &Figure, draw: Draw) -> Vec<Option<usize>> {
        assert_readable_and(figure, draw, &|_, _, _| {})
    }

    /// [`assert_readable`], and `also` of each layout's canvas, width and name.
    pub fn assert_readable_and(figure: &Figure, draw: Draw, also: &dyn Fn(&Canvas, f64, &str)) -> Vec<Option<usize>> {
        let drawn = |draw: Draw, w: f64, extra: f64| {
            let mut canvas = Canvas::new(w as u32);
            let height = draw(&mut canvas, w, extra);
            // As the whole chart places them, the room above the drawing included.
            let up = canvas.headroom();
            let boxes = canvas.text_boxes().into_iter().map(|b| TextBox { y0: b.y0 + up, y1: b.y1 + up, ..b }).collect::<Vec<_>>();
            (boxes, height, canvas)
        };
        let mut counts = Vec::new();
        for (width, class) in BANDS {
            let (boxes, height, canvas) = drawn(draw, f64::from(width), 0.0);
            assert_clear(&boxes, f64::from(width), height, class);
            also(&canvas, f64::from(width), class);
            counts.push(Some(boxes.len()));
        }
        let brand = Brand { address: "example.org".into(), hashtag: Some("Tag".into()), ..Brand::default() };
        for size in SIZES {
            let Some(at) = compose(figure, size, &brand).unwrap().chart else {
                assert!(size.width > size.height, "{size:?} leaves the chart out");
                counts.push(None);
                continue;
            };
            // The room the image gave the chart: the extra at which it is drawn at the height placed.
            let extra = (-600..2000).map(f64::from).find(|e| drawn(draw, at.units, *e).1.ceil().max(1.0) == at.height);
            let extra = extra.unwrap_or_else(|| panic!("{size:?}: no layout {} units wide is {} high", at.units, at.height));
            let (boxes, height, canvas) = drawn(draw, at.units, extra);
            assert_clear(&boxes, at.units, height, &format!("{size:?}"));
            also(&canvas, at.units, &format!("{size:?}"));
            let least = boxes.iter().map(|b| b.px).fold(f64::INFINITY, f64::min);
            assert!(least * at.scale >= min_text(size) - 0.01, "{size:?}: {least} px at {}", at.scale);
            counts.push(Some(boxes.len()));
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    pub(crate) fn figure(yaml: &str) -> Figure {
        Figure::load("f", Path::new("content/figures/f.yaml"), yaml).unwrap()
    }

    #[test]
    fn a_sites_own_strings_are_drawn_and_written_in_the_chart() {
        let yaml = "in_all: \"{value} altogether\"\nnot_reported: Nothing given\nchart_stacked_bar: pile chart\n";
        let en = crate::strings::Strings::for_language("en-GB", Some((Path::new("templates/strings/en.yaml"), yaml))).unwrap();
        let site = crate::strings::SiteStrings::new("en-GB", [("en-GB".to_string(), std::sync::Arc::new(en))].into());
        let text = "title: T\nsource: S\nchart: stacked-bar\nunit: count\ncategories: [A, B]\nseries:\n  - {name: X, values: [1, 2]}\n  - {name: Y, values: [null, 3]}\ntotals: [5, 10]\n";
        let (plain, own) = (figure(text), figure(text).in_site(site));
        let (svg, plain_svg) = (svg(&own).unwrap(), svg(&plain).unwrap());
        assert!(svg.contains("10 altogether") && !plain_svg.contains("altogether"), "{svg}");
        assert!(describe(&own).starts_with("Pile chart"), "{}", describe(&own));
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
        assert_eq!(kinds, 8);
        assert_eq!(height_of("<svg width=\"4\">"), None);
        assert_eq!(height_of("<svg width=\"4\"><rect height=\"9\"/>"), None, "only the root's height counts");
        assert_eq!(height_of("<svg height=\"x\">"), None);
    }

    /// The value of `--name` in the dark-mode section of the stylesheet.
    fn dark(name: &str) -> crate::colour::Colour {
        let css = include_str!("../../static/style.css");
        let section = &css[css.find("@media (prefers-color-scheme: dark)").unwrap()..];
        let at = section.find(&format!("{name}:")).unwrap_or_else(|| panic!("{name} is not set for dark mode"));
        let value = section[at + name.len() + 1..].split(';').next().unwrap();
        crate::colour::Colour::parse(value).unwrap()
    }

    #[test]
    fn dark_mode_colours_keep_contrast_and_are_told_apart() {
        use crate::colour::{chart_fault, contrast, Colour, Fault, PALETTE, REMAINDER};
        let bg = dark("--chart-bg");
        assert!(contrast(dark("--chart-ink"), bg) >= 7.0);
        assert!(contrast(dark("--chart-muted"), bg) >= 4.5);
        assert!(contrast(REMAINDER, bg) >= 3.0);
        let series: Vec<Colour> = (0..PALETTE.len()).map(|i| dark(&format!("--chart-s{i}"))).collect();
        for c in &series {
            assert!(contrast(*c, bg) >= 4.5, "{c} on {bg}");
            assert!(contrast(*c, dark("--chart-on-series")) >= 4.5, "text on {c}");
        }
        // The dark series against the dark background, as the light ones against white.
        let fault = chart_fault(&series, true).filter(|f| !matches!(f, Fault::TooLight(_)));
        assert_eq!(fault, None);
    }

    #[test]
    fn the_stylesheet_shows_each_band_within_its_scale() {
        let css = include_str!("../../static/style.css");
        let max_width = |class: &str| {
            let rule = &css[css.find(&format!("svg.{class} {{")).unwrap()..];
            let at = rule.find("max-width: ").unwrap() + "max-width: ".len();
            rule[at..rule.find("px").unwrap()].parse::<f64>().unwrap()
        };
        for (i, (width, class)) in BANDS.into_iter().enumerate() {
            let shown = max_width(class);
            assert!(shown <= f64::from(width) * MAX_SCALE && shown >= f64::from(width), "{class}: {shown}px");
            if let Some((next, _)) = BANDS.get(i + 1) {
                assert!(css.contains(&format!("@container (min-width: {next}px)")), "the next band takes over at its own width");
                assert!(shown + 80.0 >= f64::from(*next), "{class} leaves no wide gap before the next band");
            }
        }
        const { assert!(canvas::SMALL >= 14.0 && canvas::LABEL * MAX_SCALE <= 19.0 + 1e-9, "the title is 19 px") };
        assert!(css.contains(".chart-title {\n  margin: 0 0 0.25rem;\n  color: var(--strong);\n  font-size: 1.1875rem;"), "the title is 19 px");
    }

    #[test]
    fn a_page_chart_has_a_layout_per_band_and_one_title() {
        let f = figure("title: T\nsource: S\nchart: stacked-bar\nunit: count\ncategories: [A, B]\nseries:\n  - { name: Facebook, values: [30, 1] }\n  - { name: Kik, values: [2, 40] }\n");
        let html = inline(&f).unwrap();
        assert_eq!(html.matches("<svg ").count(), BANDS.len());
        assert_eq!(html.matches("<title id=\"chart-f-title\">").count(), 1, "{html}");
        assert_eq!(html.matches("<desc id=\"chart-f-desc\">").count(), 1);
        assert_eq!(html.matches("aria-labelledby=\"chart-f-title chart-f-desc\"").count(), BANDS.len());
        for (width, class) in BANDS {
            assert!(html.contains(&format!("viewBox=\"0 0 {width} ")) && html.contains(class), "{html}");
        }
        assert!(html.contains("fill=\"var(--chart-ink,"), "themed");
        assert!(!svg(&f).unwrap().contains("var("), "the standalone SVG keeps literal colours");
        // "Kik 2" and "Facebook 1" are too narrow for their number inside: named under the bar.
        assert!(html.contains("Kik 2") && html.contains("Facebook 1"), "{html}");
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
        assert!(svg.contains("font-size=\"15\"") && !svg.contains("opacity=\"1\""));
    }
}
