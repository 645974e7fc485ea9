//! Share images: a figure composed with its finding, source, the site's address and hashtag,
//! at the sizes social platforms show, and rasterised to PNG with resvg.
//!
//! Each size has its own layout (the finding beside the chart for a link preview, above it
//! for a square or portrait post), on the campaign's brand background with the chart on a
//! white panel, so the image stands out in a white timeline. The chart keeps the layout,
//! colours and font of its SVG and is scaled evenly, never stretched: wide enough that its
//! smallest text is still 12 px when the image is shown 500 px wide, as a feed shows it. What
//! room is left goes to a larger title and even gaps, so no band of the image stays empty.
//! Text is drawn as the outlines of the embedded font's glyphs ([`super::outline`]), never
//! with the system's fonts, so the PNGs are identical on every machine.

use super::canvas::{text_width, wrap};
use super::{drawing, drawing_at, BANDS, WIDTH};
use crate::brand::Look;
use crate::colour::Colour;
use crate::error::{Error, Result};
use crate::escape::xml as escape_xml;
use crate::figure::{ChartKind, Figure};
use std::fmt::Write;
use std::sync::Arc;

/// A share image size, named as it appears in file names (`ID-1200x630.png`).
pub use crate::urls::{ImageSize, SIZES};

/// A key of everything besides a figure and the brand that decides how its images look: the
/// code hash of this build of soapbox, which covers the code that lays them out and draws them
/// and the fonts. An image cached by other code, even of the same version, is never reused.
pub fn theme_key() -> &'static [u8] {
    crate::cache::CODE.as_bytes()
}

/// What every image carries besides the figure, so a repost never loses where it came from.
#[derive(Debug, Clone, Default)]
pub struct Brand {
    pub site_title: String,
    pub tagline: Option<String>,
    /// The site's address without the scheme: `wildwestweb.example.org`.
    pub address: String,
    pub hashtag: Option<String>,
    pub organisation: String,
    /// The colours, from `brand:` in site.yaml.
    pub look: Look,
    pub logo: Option<Logo>,
}

/// A logo as the images embed it: a data URI, so resvg draws it with the rest.
#[derive(Clone)]
pub struct Logo {
    data_uri: Arc<str>,
    /// A key of the file, which is what the image cache sees of it.
    key: u64,
}

impl Logo {
    /// The logo in a PNG or SVG file's `bytes`; `None` for any other file.
    pub fn new(bytes: &[u8]) -> Option<Logo> {
        use base64::Engine as _;
        let mime = crate::brand::logo_type(bytes)?;
        let data_uri = format!("data:{mime};base64,{}", base64::engine::general_purpose::STANDARD.encode(bytes));
        Some(Logo { data_uri: data_uri.into(), key: crate::hash::key(bytes) })
    }
}

impl std::fmt::Debug for Logo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Logo({:016x})", self.key)
    }
}

/// Text on the white panel: the source and the address.
const INK: &str = "#0b1f3a";
const MUTED: &str = "#4d4d4d";
/// The panel the chart sits on: its colours are made for white.
const PANEL: &str = "#ffffff";
/// The smallest text on the chart's drawing, in chart units, as the chart module sets it.
pub const CHART_TEXT: f64 = super::canvas::SMALL;
/// The width at which a feed shows an image, and the least text size a reader gets there.
pub const FEED_WIDTH: f64 = 500.0;
pub const FEED_TEXT: f64 = 12.0;
/// The widest gap between the parts of an upright image that a larger title avoids.
const MAX_GAP: f64 = 24.0;
/// The side of the logo's square, in pixels of the image.
const LOGO: f64 = 72.0;

/// The smallest text on an image of `size`, in its pixels: 12 px once it is shown 500 px wide.
pub fn min_text(size: ImageSize) -> f64 {
    (FEED_TEXT * f64::from(size.width) / FEED_WIDTH).ceil()
}

/// Where the chart sits in an image: top-left corner and scale.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placement {
    pub x: f64,
    pub y: f64,
    pub scale: f64,
    /// The width the chart was laid out at, in its own units: [`WIDTH`], or narrower where the
    /// frame is too narrow for its text at `WIDTH`.
    pub units: f64,
    /// Its height, in its own units.
    pub height: f64,
}

/// The composed SVG of one share image, and where its chart sits.
pub struct Composition {
    pub svg: String,
    /// Where the chart sits; none where a link preview shows the finding alone, as it does for
    /// a chart too dense to read at its size.
    pub chart: Option<Placement>,
}

/// Text laid out in lines, top to bottom.
struct Block {
    lines: Vec<String>,
    size: f64,
    bold: bool,
    colour: String,
}

impl Block {
    fn new(text: &str, size: f64, bold: bool, colour: impl ToString, width: f64, max_lines: usize) -> Block {
        Block { lines: wrap(text, size, bold, width, max_lines), size, bold, colour: colour.to_string() }
    }

    fn empty() -> Block {
        Block { lines: Vec::new(), size: 0.0, bold: false, colour: String::new() }
    }

    fn height(&self) -> f64 {
        self.lines.len() as f64 * self.size * 1.2
    }

    fn width(&self) -> f64 {
        self.lines.iter().map(|l| text_width(l, self.size, self.bold)).fold(0.0, f64::max)
    }

    /// Writes the block with its top at `y`; returns the y below it.
    fn write(&self, svg: &mut String, x: f64, y: f64, anchor: &str) -> f64 {
        let mut y = y;
        for line in &self.lines {
            let baseline = y + self.size * 0.97;
            let weight = if self.bold { " font-weight=\"700\"" } else { "" };
            let _ = writeln!(
                svg,
                "<text x=\"{x:.0}\" y=\"{baseline:.1}\" font-size=\"{}\"{weight} fill=\"{}\" text-anchor=\"{anchor}\">{}</text>",
                self.size,
                self.colour,
                escape_xml(line)
            );
            y += self.size * 1.2;
        }
        y
    }
}

/// The start of an image's SVG, on `background`. [`rasterize`] starts from white pixels, so a
/// white background is not drawn again: a full-image rectangle is a whole pass over 4 MB.
fn open(size: ImageSize, background: Colour) -> String {
    let (w, h) = (size.width, size.height);
    let fill = if background == Colour::WHITE { String::new() } else { format!("<rect width=\"{w}\" height=\"{h}\" fill=\"{background}\"/>\n") };
    format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"Inter, sans-serif\">\n{fill}")
}

/// The white panel the chart sits on, unless the background is white already.
fn panel(svg: &mut String, look: &Look, (x, y, w, h): (f64, f64, f64, f64), radius: f64) {
    if look.background != Colour::WHITE {
        let _ = writeln!(svg, "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" rx=\"{radius}\" fill=\"{PANEL}\"/>");
    }
}

/// The logo in a `LOGO`-pixel square with its top-left corner at (`x`, `y`).
fn logo(svg: &mut String, brand: &Brand, x: f64, y: f64) {
    if let Some(logo) = &brand.logo {
        let _ = writeln!(
            svg,
            "<image x=\"{x:.0}\" y=\"{y:.0}\" width=\"{LOGO}\" height=\"{LOGO}\" preserveAspectRatio=\"xMidYMid meet\" href=\"{}\"/>",
            logo.data_uri
        );
    }
}

/// The chart's own SVG placed at `at`, scaled evenly.
fn place_chart(svg: &mut String, chart: &str, at: Placement) {
    let body_start = chart.find('>').map_or(0, |i| i + 1);
    let body_end = chart.rfind("</svg>").unwrap_or(chart.len());
    // A transformed group, not a nested <svg>: a nested viewport clips, and a clip makes the
    // rasteriser draw the whole chart on a layer of its own, which tripled the render time.
    let _ = writeln!(svg, "<g transform=\"translate({:.2} {:.2}) scale({:.4})\">{}</g>", at.x, at.y, at.scale, &chart[body_start..body_end]);
}

/// The smallest `font-size` in an SVG; the chart text size when there is none.
pub fn smallest_font(svg: &str) -> f64 {
    let smallest = svg.split("font-size=\"").skip(1).filter_map(|s| s[..s.find('"')?].parse::<f64>().ok()).fold(f64::INFINITY, f64::min);
    if smallest.is_finite() && smallest > 0.0 {
        smallest
    } else {
        CHART_TEXT
    }
}

/// A chart drawn for an image: its SVG, its height in chart units and the scale it is shown at.
struct Fitted {
    svg: String,
    height: f64,
    scale: f64,
    units: f64,
}

/// Draws the chart to fill a frame `w` wide and at most `h` tall, never smaller than `least`
/// scale: column and line charts fit their plot to it and a donut grows its ring; others
/// keep their height, and are scaled down only as far as `least` when they are too tall.
/// Where `w` at `least` is narrower than [`WIDTH`], the chart is laid out narrower, as a
/// phone's page lays it out, rather than shrunk below readable text.
fn fit_chart(figure: &Figure, w: f64, h: f64, least: f64) -> Result<Fitted> {
    fit_chart_within(figure, w, h, least, f64::from(WIDTH))
}

/// [`fit_chart`], laid out at most `widest` units wide.
fn fit_chart_within(figure: &Figure, w: f64, h: f64, least: f64, widest: f64) -> Result<Fitted> {
    let units = layout_width(w, least).max((w / least).floor().min(widest));
    let wanted = w / units;
    let (mut svg, mut height) = drawing_at(figure, units as u32, 0.0)?;
    // Column and line charts fit their plot to the frame, a tile map its tiles and a waffle
    // its grid; the others only grow into it.
    let fits_plot = matches!(figure.kind, ChartKind::Column | ChartKind::Line | ChartKind::TileMap | ChartKind::Waffle);
    {
        let extra = h / wanted - height;
        if extra.abs() > 1.0 && (extra > 0.0 || fits_plot) {
            (svg, height) = drawing_at(figure, units as u32, extra)?;
        }
    }
    let scale = wanted.min(h / height).max(least.min(wanted));
    Ok(Fitted { svg, height, scale, units })
}

/// The width, in chart units, at which a chart fills `w` pixels with its text at `least`
/// scale or more: [`WIDTH`] where that holds, else narrower, down to the narrowest band.
fn layout_width(w: f64, least: f64) -> f64 {
    (w / least).floor().clamp(f64::from(BANDS[0].0), f64::from(WIDTH))
}

/// The source line: where the numbers come from and how old they are, so a reposted image
/// still says so.
fn source_text(figure: &Figure) -> String {
    match figure.dated() {
        Some(dated) => format!("{} {}. {dated}", source_word(figure), figure.source.trim_end_matches('.')),
        None => format!("{} {}", source_word(figure), figure.source),
    }
}

/// "Source:" in the figure's language.
fn source_word(figure: &Figure) -> String {
    figure.strings.get("source")
}

/// The figure's headline value as a reader sees it (`52%`), when it names one.
fn headline(figure: &Figure) -> Option<String> {
    figure.headline.as_ref().and_then(|key| figure.values.get(key)).map(crate::figure::Quoted::formatted)
}

/// The colour for small text in the accent: the accent where it keeps 4.5:1 on the
/// background, else the text colour.
fn small_accent(look: &Look) -> Colour {
    let accent = look.accent();
    if crate::colour::contrast(accent, look.background) >= crate::brand::NORMAL_TEXT {
        accent
    } else {
        look.text
    }
}

/// An image's size, its least text size, and the least scale at which the chart's own
/// smallest text reaches it.
struct Frame {
    w: f64,
    h: f64,
    text: f64,
    least: f64,
}

impl Frame {
    fn of(figure: &Figure, size: ImageSize) -> Result<Frame> {
        let text = min_text(size);
        let (probe, _) = drawing(figure, 0.0)?;
        Ok(Frame { w: f64::from(size.width), h: f64::from(size.height), text, least: text / smallest_font(&probe) })
    }
}

/// Composes the share image of `figure` at `size`.
pub fn compose(figure: &Figure, size: ImageSize, brand: &Brand) -> Result<Composition> {
    let mut svg = open(size, brand.look.background);
    let chart = if size.width > size.height { landscape(&mut svg, figure, size, brand)? } else { Some(upright(&mut svg, figure, size, brand)?) };
    svg.push_str("</svg>\n");
    Ok(Composition { svg, chart })
}

/// Link preview: the finding on the brand background at the left, the chart on a panel
/// that fills the right, with the source and address under it.
fn landscape(svg: &mut String, figure: &Figure, size: ImageSize, brand: &Brand) -> Result<Option<Placement>> {
    let Frame { w, h, text, least } = Frame::of(figure, size)?;
    let look = &brand.look;
    let (margin, pad) = (36.0, 20.0);
    // Beside a title column of 420 px, laid out narrower if its text needs it.
    let chart_w = (w - 420.0 - margin - 2.0 * pad).max(f64::from(BANDS[0].0) * least);
    let panel_x = w - chart_w - 2.0 * pad;
    let source = Block::new(&source_text(figure), text, false, MUTED, chart_w, 3);
    let address = Block::new(&brand.address, text, true, INK, chart_w, 1);
    let below = source.height() + 8.0 + address.height();
    let room = h - 2.0 * pad - below - 12.0;
    let fitted = fit_chart(figure, chart_w, room, least)?;
    if fitted.height * fitted.scale > room + 0.5 {
        return across(svg, figure, size, brand);
    }
    panel(svg, look, (panel_x, 0.0, w - panel_x, h), 0.0);
    let chart_h = fitted.height * fitted.scale;
    // The chart and its lines centred as one on the panel.
    let top = ((h - chart_h - 12.0 - below) / 2.0).max(pad);
    let at =
        Placement { x: panel_x + pad + (chart_w - fitted.units * fitted.scale) / 2.0, y: top, scale: fitted.scale, units: fitted.units, height: fitted.height };
    place_chart(svg, &fitted.svg, at);
    let y = source.write(svg, panel_x + pad, top + chart_h + 12.0, "start") + 8.0;
    address.write(svg, panel_x + pad, y, "start");

    // The left column: logo, headline number and title from the top, hashtag at the foot.
    let column = panel_x - 2.0 * margin;
    let mut y = margin;
    if brand.logo.is_some() {
        logo(svg, brand, margin, y);
        y += LOGO + 20.0;
    }
    let tag = brand.hashtag.as_ref().map_or_else(Block::empty, |t| Block::new(&format!("#{t}"), text, true, small_accent(look), column, 2));
    let foot = h - margin - tag.height();
    tag.write(svg, margin, foot, "start");
    if let Some(value) = headline(figure) {
        let number = Block::new(&value, (column / 2.4).clamp(text * 2.5, 120.0), true, look.accent(), column, 1);
        y = number.write(svg, margin - 4.0, y, "start") + 4.0;
    }
    // The title as large as the column holds it.
    let room = foot - 16.0 - y;
    let title = [44.0, 40.0, 36.0, 33.0, 30.0, text]
        .into_iter()
        .map(|px| Block::new(&figure.title, px.max(text), true, look.text, column, 7))
        .find(|b| b.height() <= room && b.width() <= column && !b.lines.last().is_some_and(|l| l.ends_with('…')))
        .unwrap_or_else(|| Block::new(&figure.title, text, true, look.text, column, (room / (text * 1.2)).floor().clamp(1.0, 7.0) as usize));
    title.write(svg, margin, y, "start");
    Ok(Some(at))
}

/// Link preview for a chart too tall to read beside the title: the title across the top, the
/// chart across the whole width below it (a wide stacked bar puts its names and key beside
/// the bars, so it is short), and the source, address and hashtag along the foot.
fn across(svg: &mut String, figure: &Figure, size: ImageSize, brand: &Brand) -> Result<Option<Placement>> {
    let Frame { w, h, text, least } = Frame::of(figure, size)?;
    let look = &brand.look;
    let (margin, pad) = (36.0, 20.0);
    let width = w - 2.0 * margin;
    let chart_w = width - 2.0 * pad;
    let number = headline(figure).map(|v| Block::new(&v, text * 1.6, true, look.accent(), width / 3.0, 1));
    let number_w = number.as_ref().map_or(0.0, |n| n.width() + 20.0);
    let logo_w = if brand.logo.is_some() { LOGO * 0.6 + 20.0 } else { 0.0 };
    let title_w = width - number_w - logo_w;
    let title = [40.0, 36.0, 33.0, text]
        .into_iter()
        .map(|px| Block::new(&figure.title, px.max(text), true, look.text, title_w, 2))
        .find(|b| b.lines.len() == 1)
        .unwrap_or_else(|| Block::new(&figure.title, text, true, look.text, title_w, 2));
    let source = Block::new(&source_text(figure), text, false, MUTED, chart_w, 2);
    let tag = brand.hashtag.as_ref().map(|t| Block::new(&format!("#{t}"), text, true, small_accent(look), width / 2.0, 1));
    let address = Block::new(&brand.address, text, true, look.text, width - tag.as_ref().map_or(0.0, |t| t.width() + 24.0), 1);
    let top_h = title.height().max(number.as_ref().map_or(0.0, |n| n.height()));
    let panel_y = 24.0 + top_h + 12.0;
    let foot_y = h - 16.0 - address.height();
    let room = foot_y - 12.0 - panel_y - pad - 10.0 - source.height() - pad;
    // As wide as its text allows: a wide stacked bar is a short one.
    let fitted = fit_chart_within(figure, chart_w, room, least, f64::INFINITY)?;
    // A chart that would have to be drawn smaller than the reading size is left out: the
    // preview is the finding, and the chart and its numbers are on the page it links to, and
    // in the square and portrait images.
    if fitted.height * fitted.scale > room + 0.5 {
        finding(svg, figure, size, brand);
        return Ok(None);
    }
    let scale = fitted.scale;
    let chart_h = fitted.height * scale;
    if let Some(number) = &number {
        number.write(svg, margin, 24.0 + (top_h - number.height()) / 2.0, "start");
    }
    title.write(svg, margin + number_w, 24.0 + (top_h - title.height()) / 2.0, "start");
    if brand.logo.is_some() {
        let mut small = String::new();
        logo(&mut small, brand, 0.0, 0.0);
        let _ = writeln!(svg, "<g transform=\"translate({:.2} 24) scale(0.6)\">{small}</g>", w - margin - LOGO * 0.6);
    }
    let panel_h = foot_y - 12.0 - panel_y;
    panel(svg, look, (margin, panel_y, width, panel_h), 16.0);
    let top = panel_y + pad + ((room - chart_h) / 2.0).max(0.0);
    let at = Placement { x: margin + pad + (chart_w - fitted.units * scale) / 2.0, y: top, scale, units: fitted.units, height: fitted.height };
    place_chart(svg, &fitted.svg, at);
    source.write(svg, margin + pad, top + chart_h + 10.0, "start");
    address.write(svg, margin, foot_y, "start");
    if let Some(tag) = tag {
        tag.write(svg, w - margin, foot_y, "end");
    }
    Ok(Some(at))
}

/// A link preview of the finding alone, for a chart too dense to read at that size: the
/// headline number and title large, the subtitle, and the source, address and hashtag.
fn finding(svg: &mut String, figure: &Figure, size: ImageSize, brand: &Brand) {
    let (w, h) = (f64::from(size.width), f64::from(size.height));
    let text = min_text(size);
    let look = &brand.look;
    let (pad, width) = (64.0, w - 128.0);
    logo(svg, brand, w - pad - LOGO, pad - 8.0);
    let title_w = if brand.logo.is_some() { width - LOGO - 24.0 } else { width };
    let mut foot = vec![Block::new(&source_text(figure), text, false, look.text, width, 2), Block::new(&brand.address, text, true, look.text, width, 1)];
    if let Some(tag) = &brand.hashtag {
        foot.insert(0, Block::new(&format!("#{tag}"), text + 6.0, true, small_accent(look), width, 1));
    }
    let foot_h: f64 = foot.iter().map(Block::height).sum::<f64>() + 8.0 * (foot.len() - 1) as f64;
    let number = headline(figure).map(|v| Block::new(&v, 96.0, true, look.accent(), title_w, 1));
    let room = h - 2.0 * pad - foot_h - 24.0 - number.as_ref().map_or(0.0, Block::height);
    let title = [72.0, 64.0, 56.0, 50.0, 44.0, 40.0, text]
        .into_iter()
        .map(|px| Block::new(&figure.title, px, true, look.text, title_w, 4))
        .find(|b| b.height() <= room && !b.lines.last().is_some_and(|l| l.ends_with('…')))
        .unwrap_or_else(|| Block::new(&figure.title, text, true, look.text, title_w, 4));
    // Centred as one, with a fixed gap before the foot, so no band of the card stands empty.
    let content = number.as_ref().map_or(0.0, Block::height) + title.height() + 24.0 + foot_h;
    let mut y = ((h - content) / 2.0).max(pad / 2.0).round();
    if let Some(number) = &number {
        y = number.write(svg, pad - 4.0, y, "start");
    }
    y = title.write(svg, pad, y, "start") + 24.0;
    for block in &foot {
        y = block.write(svg, pad, y, "start") + 8.0;
    }
}

/// Square and portrait posts: the headline number and title above, the chart across the
/// middle on its panel with the source, and the address and hashtag at the foot.
fn upright(svg: &mut String, figure: &Figure, size: ImageSize, brand: &Brand) -> Result<Placement> {
    let Frame { w, h, text, least } = Frame::of(figure, size)?;
    let look = &brand.look;
    let (margin, pad) = (48.0, 28.0);
    let width = w - 2.0 * margin;
    let chart_w = width - 2.0 * pad;
    let value = headline(figure);
    let beside_logo = if brand.logo.is_some() { LOGO + 24.0 } else { 0.0 };
    let source = Block::new(&source_text(figure), text, false, MUTED, chart_w, 3);
    let mut foot = vec![Block::new(&brand.address, text + 4.0, true, look.text, width, 1)];
    if let Some(tag) = &brand.hashtag {
        foot.push(Block::new(&format!("#{tag}"), text + 4.0, true, small_accent(look), width, 1));
    }
    let foot_h: f64 = foot.iter().map(Block::height).sum();
    // The header: the largest title that leaves the chart its full width, else the largest
    // that leaves it readable.
    let header = |px: f64| {
        let number = value.as_ref().map(|v| Block::new(v, (px * 2.6).clamp(text * 4.0, 200.0), true, look.accent(), width / 2.0, 1));
        let number_w = number.as_ref().map_or(0.0, |n| n.width() + 28.0);
        let title = Block::new(&figure.title, px, true, look.text, width - number_w - beside_logo, 5);
        let subtitle = figure.subtitle.as_ref().map_or_else(Block::empty, |s| Block::new(s, (px * 0.55).max(text), false, look.text, width, 3));
        let top_h = title.height().max(number.as_ref().map_or(0.0, |n| n.size * 1.05)).max(if beside_logo > 0.0 { LOGO } else { 0.0 });
        (number, number_w, title, subtitle, top_h)
    };
    let fixed = |top_h: f64, subtitle: &Block| margin + top_h + 8.0 + subtitle.height() + 16.0 + 2.0 * pad + 16.0 + source.height() + 12.0 + foot_h + margin;
    let sizes = [88.0, 80.0, 72.0, 66.0, 60.0, 54.0, 48.0, 44.0, 40.0, 36.0, 32.0, text];
    let chart_room = |px: f64| {
        let (_, _, _, subtitle, top_h) = header(px);
        h - fixed(top_h, &subtitle)
    };
    // A donut grows its ring, and a waffle its grid, into the room it is given, up to a limit: that is its height here.
    let units = layout_width(chart_w, least);
    let (_, natural) = drawing_at(figure, units as u32, if matches!(figure.kind, ChartKind::Donut | ChartKind::Waffle) { 48.0 } else { 0.0 })?;
    let grows = matches!(figure.kind, ChartKind::Column | ChartKind::Line);
    let full = chart_w / units;
    let px = sizes
        .iter()
        .copied()
        .find(|px| {
            let room = chart_room(*px);
            // A chart that grows fills any room of a sensible height; the others need theirs.
            // The largest title that leaves the chart its full width, without gaps so wide they
            // read as empty bands.
            let (_, _, title, _, _) = header(*px);
            let fits = title.width() <= width && if grows { room >= 200.0 * full } else { room >= natural * full };
            fits && (*px <= 72.0 || !grows && chart_room(72.0) - natural * full > 4.0 * MAX_GAP)
        })
        .or_else(|| sizes.iter().copied().find(|px| chart_room(*px) >= natural * least))
        .unwrap_or(text);
    let (number, number_w, title, subtitle, top_h) = header(px);
    let room = h - fixed(top_h, &subtitle);
    let fitted = fit_chart(figure, chart_w, room, least)?;
    let chart_h = fitted.height * fitted.scale;
    // What is left is shared evenly between the gaps, so nothing looks stranded.
    // Past a gap of 44 px the whole is centred instead, on a wider margin of background.
    // Whole pixels, so edges fall on pixel rows wherever the image is cut to be drawn.
    // Without a subtitle, the gaps on either side of it are one.
    let gaps = if subtitle.lines.is_empty() { 3.0 } else { 4.0 };
    let gap = ((room - chart_h) / gaps).clamp(0.0, 44.0).floor();
    let mut y = (margin + ((room - chart_h) - gaps * gap).max(0.0) / 2.0).round();
    if let Some(number) = &number {
        number.write(svg, margin - 4.0, y - number.size * 0.12, "start");
    }
    logo(svg, brand, w - margin - LOGO, y);
    let title_y = y + (top_h - title.height()).max(0.0) / 2.0;
    title.write(svg, margin + number_w, title_y, "start");
    y += top_h + 8.0 + gap;
    if !subtitle.lines.is_empty() {
        y = subtitle.write(svg, margin, y, "start") + 16.0 + gap;
    }
    // On white there is no panel to pad below the source.
    let below = if look.background == Colour::WHITE { 0.0 } else { pad };
    let panel_h = pad + below + chart_h + 16.0 + gap + source.height();
    panel(svg, look, (margin, y, width, panel_h), 16.0);
    let at = Placement {
        x: margin + pad + (chart_w - fitted.units * fitted.scale) / 2.0,
        y: y + pad,
        scale: fitted.scale,
        units: fitted.units,
        height: fitted.height,
    };
    place_chart(svg, &fitted.svg, at);
    source.write(svg, margin + pad, y + pad + chart_h + 16.0 + gap, "start");
    y += panel_h + 12.0 + gap;
    for block in &foot {
        y = block.write(svg, margin, y, "start");
    }
    Ok(at)
}

/// The site-wide card, for pages without a chart: campaign name, tagline and hashtag, on
/// the brand background (the site's ink when it sets none).
pub fn site_card(brand: &Brand) -> String {
    let size = SIZES[0];
    let look = if brand.look.background == Colour::WHITE {
        Look { background: Colour(0x0b, 0x1f, 0x3a), text: Colour::WHITE, accent: Some(Colour(0xff, 0x9a, 0xa8)), ..Look::default() }
    } else {
        brand.look.clone()
    };
    let mut svg = open(size, look.background);
    let (pad, width) = (72.0, f64::from(size.width) - 144.0);
    logo(&mut svg, brand, f64::from(size.width) - pad - LOGO, pad - 8.0);
    let title_w = if brand.logo.is_some() { width - LOGO - 24.0 } else { width };
    let mut y = Block::new(&brand.site_title, 84.0, true, look.text, title_w, 2).write(&mut svg, pad, 110.0, "start") + 16.0;
    if let Some(tagline) = &brand.tagline {
        y = Block::new(tagline, 38.0, false, look.text, width, 4).write(&mut svg, pad, y, "start");
    }
    let _ = y;
    let mut footer = vec![
        Block::new(&format!("A campaign by {}", brand.organisation), 30.0, false, look.text, width, 1),
        Block::new(&brand.address, 30.0, true, look.text, width, 1),
    ];
    if let Some(tag) = brand.hashtag.as_ref().filter(|t| brand.site_title != format!("#{t}")) {
        footer.insert(0, Block::new(&format!("#{tag}"), 40.0, true, small_accent(&look), width, 1));
    }
    let mut fy = f64::from(size.height) - pad - footer.iter().map(Block::height).sum::<f64>();
    for block in &footer {
        fy = block.write(&mut svg, pad, fy, "start");
    }
    svg.push_str("</svg>\n");
    svg
}

/// A page's link preview made of a photo: the photo (already cropped to the size, given as a
/// data URI) fills the card, and a solid band across its foot carries the page's title and the
/// hashtag or the site's address in the brand's colours, whose contrast site.yaml's check
/// holds to AA, so they read over any photo. The title takes up to three lines, made smaller
/// until it fits; the band grows to hold it.
pub fn photo_card(brand: &Brand, title: &str, photo: &str) -> String {
    let size = SIZES[0];
    let look = if brand.look.background == Colour::WHITE {
        Look { background: Colour(0x0b, 0x1f, 0x3a), text: Colour::WHITE, accent: Some(Colour(0xff, 0x9a, 0xa8)), ..Look::default() }
    } else {
        brand.look.clone()
    };
    let (w, h) = (f64::from(size.width), f64::from(size.height));
    let pad = 48.0;
    let width = w - 2.0 * pad - if brand.logo.is_some() { LOGO + 24.0 } else { 0.0 };
    let mut svg = open(size, Colour::WHITE);
    let _ = writeln!(svg, "<image width=\"{w}\" height=\"{h}\" preserveAspectRatio=\"xMidYMid slice\" href=\"{photo}\"/>");
    // The largest title size at which the title fits in three lines.
    let title_size = [56.0, 48.0, 42.0].into_iter().find(|&size| wrap(title, size, true, width, 4).len() <= 3).unwrap_or(36.0);
    let title_block = Block::new(title, title_size, true, look.text, width, 3);
    let tag = brand.hashtag.as_ref().map_or_else(|| brand.address.clone(), |t| format!("#{t}"));
    let footer = Block::new(&tag, 30.0, true, small_accent(&look), width, 1);
    let band = pad * 0.75 + title_block.height() + 12.0 + footer.height() + pad * 0.75;
    let top = h - band;
    let _ = writeln!(svg, "<rect y=\"{top:.1}\" width=\"{w}\" height=\"{band:.1}\" fill=\"{}\"/>", look.background);
    logo(&mut svg, brand, w - pad - LOGO, top + (band - LOGO) / 2.0);
    let y = title_block.write(&mut svg, pad, top + pad * 0.75, "start") + 12.0;
    footer.write(&mut svg, pad, y, "start");
    svg.push_str("</svg>\n");
    svg
}

/// Renders a composed SVG to its RGBA pixels, on white: for a card that is stored as a JPEG.
pub fn pixels(svg: &str) -> Result<(u32, u32, Vec<u8>)> {
    let tree = tree(svg)?;
    let size = tree.size().to_int_size();
    let mut pixmap =
        resvg::tiny_skia::Pixmap::new(size.width(), size.height()).ok_or_else(|| Error::new("could not render a share image: the image has no size"))?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(&tree, resvg::tiny_skia::Transform::identity(), &mut pixmap.as_mut());
    Ok((size.width(), size.height(), pixmap.take()))
}

/// The tree that resvg draws from a composed SVG, its text outlined first.
fn tree(svg: &str) -> Result<resvg::usvg::Tree> {
    let fail = |e: &dyn std::fmt::Display| Error::new(format!("could not render a share image: {e}"));
    let outlined = super::outline::outlined(svg).map_err(|e| fail(&e.message()))?;
    resvg::usvg::Tree::from_str(&outlined, &resvg::usvg::Options::default()).map_err(|e| fail(&e))
}

/// Renders a composed SVG to an opaque PNG, with `text` as iTXt metadata (Title, Source…).
pub fn rasterize(svg: &str, text: &[(&str, &str)]) -> Result<Vec<u8>> {
    let fail = |e: String| Error::new(format!("could not render a share image: {e}"));
    let tree = tree(svg)?;
    let size = tree.size().to_int_size();
    let (width, height) = (size.width(), size.height());
    // Drawn a band of lines at a time, each small enough to stay in the core's own cache while
    // it is filled with white, drawn and read back for the palette. Drawn whole, a 6 MB image
    // went out to memory and back three times, and reading it back for the palette alone
    // cost as much as deflating it.
    let band = (BAND_BYTES / (width as usize * 4)).max(1) as u32;
    let draw = |top: u32, pixels: &mut [u8]| {
        // White: the background of share images, which their SVG leaves undrawn.
        pixels.fill(255);
        let rows = (pixels.len() / (width as usize * 4)) as u32;
        let mut pixmap = resvg::tiny_skia::PixmapMut::from_bytes(pixels, width, rows)?;
        resvg::render(&tree, resvg::tiny_skia::Transform::from_translate(0.0, -(top as f32)), &mut pixmap);
        Some(())
    };
    encode_opaque(width, height, band, draw, text).map_err(fail)
}

/// How much of an image is drawn at once: well inside a core's 1–2 MB of L2 cache.
const BAND_BYTES: usize = 512 * 1024;

/// An opaque image of `width` × `height` as a PNG, drawn `band` lines at a time by `draw`,
/// which is given the first line and the RGBA pixels of the lines from it to fill.
///
/// A chart has a few hundred colours at most, usually about a hundred, so the image is
/// stored with a palette whenever it fits in 256: a third of the data to compress, which
/// makes the file smaller and the encoding four times faster. Otherwise it is drawn again
/// whole and stored as RGB.
fn encode_opaque(
    width: u32,
    height: u32,
    band: u32,
    mut draw: impl FnMut(u32, &mut [u8]) -> Option<()>,
    text: &[(&str, &str)],
) -> std::result::Result<Vec<u8>, String> {
    // Each thread keeps its buffers: fresh ones per image cost more in zeroing and page faults
    // than the drawing itself.
    thread_local! {
        static PIXELS: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        static LINES: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let (w, h) = (width as usize, height as usize);
    let empty = || "empty image".to_string();
    PIXELS.with_borrow_mut(|pixels| {
        LINES.with_borrow_mut(|lines| {
            let band = band.clamp(1, height.max(1));
            pixels.resize(w * band as usize * 4, 0);
            // Every byte is written below, so a buffer kept from the last image needs no clearing.
            lines.resize(h * (w + 1), 0);
            let mut table = Palette { slots: [0; Palette::SLOTS], colours: Vec::with_capacity(256), last: None };
            let mut indexed = true;
            for top in (0..height).step_by(band as usize) {
                let rows = band.min(height - top) as usize;
                let strip = &mut pixels[..w * rows * 4];
                draw(top, strip).ok_or_else(empty)?;
                let at = top as usize * (w + 1);
                if table.lines(strip, w, &mut lines[at..at + rows * (w + 1)]).is_none() {
                    indexed = false;
                    break;
                }
            }
            let mut png_bytes = Vec::with_capacity(w * h / 8);
            let mut encoder = png::Encoder::new(&mut png_bytes, width, height);
            encoder.set_depth(png::BitDepth::Eight);
            if indexed {
                encoder.set_color(png::ColorType::Indexed);
                encoder.set_palette(table.rgb());
            } else {
                encoder.set_color(png::ColorType::Rgb);
                encoder.set_compression(png::Compression::Balanced);
            }
            let error = |e: png::EncodingError| e.to_string();
            for (key, value) in text.iter().filter(|(_, value)| !value.is_empty()) {
                encoder.add_itxt_chunk((*key).to_string(), (*value).to_string()).map_err(error)?;
            }
            let mut writer = encoder.write_header().map_err(error)?;
            if indexed {
                // Fast deflate (level 1) over unfiltered lines, in one call: the lines are
                // mostly runs of one index, which deflate finds quickest. (png's own loop
                // zeroes 32 KB of buffer for each line it compresses.)
                writer.write_chunk(png::chunk::IDAT, &miniz_oxide::deflate::compress_to_vec_zlib(lines, 1)).map_err(error)?;
            } else {
                pixels.resize(w * h * 4, 0);
                draw(0, pixels).ok_or_else(empty)?;
                writer.write_image_data(&pixels.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect::<Vec<u8>>()).map_err(error)?;
            }
            writer.finish().map_err(error)?;
            Ok(png_bytes)
        })
    })
}

/// The colours met so far, in order of first use, with an open-addressed table from colour
/// to index (slots hold index + 1; 0 is empty) and the last colour looked up. Pixels are
/// read as whole words; alpha is always 255 here, so the word is the colour.
struct Palette {
    slots: [u16; Palette::SLOTS],
    colours: Vec<u32>,
    last: Option<(u32, u8)>,
}

impl Palette {
    const SLOTS: usize = 1024;

    /// The colours, in order of first use, as a PNG palette.
    fn rgb(&self) -> Vec<u8> {
        self.colours.iter().flat_map(|c| c.to_le_bytes().into_iter().take(3)).collect()
    }

    /// Writes into `lines` the PNG scanlines of opaque RGBA pixels, `width` to a line: each a
    /// filter byte (0, none) then the index of each pixel's colour, added in order of first
    /// use. `None` once there are more than 256 colours.
    fn lines(&mut self, rgba: &[u8], width: usize, lines: &mut [u8]) -> Option<()> {
        let word = |pixel: &[u8]| u32::from_le_bytes(pixel.try_into().unwrap_or_default());
        for (row, line) in rgba.chunks_exact(width * 4).zip(lines.chunks_exact_mut(width + 1)) {
            line[0] = 0;
            let out = &mut line[1..];
            let mut at = 0;
            while at < width {
                // Most of a chart is runs of one colour (the background above all): a run of
                // the last colour is measured eight pixels at a time and filled at once.
                if let Some((last, index)) = self.last {
                    let colour = last.to_le_bytes();
                    let eight: [u8; 32] = std::array::from_fn(|i| colour[i % 4]);
                    let rest = &row[at * 4..];
                    let blocks = rest.chunks_exact(32).take_while(|block| <&[u8; 32]>::try_from(*block).is_ok_and(|b| *b == eight)).count();
                    let pixels = rest[blocks * 32..].chunks_exact(4).take_while(|pixel| *pixel == colour).count();
                    let end = at + blocks * 8 + pixels;
                    out[at..end].fill(index);
                    at = end;
                    if at == width {
                        break;
                    }
                }
                out[at] = self.index(word(&row[at * 4..at * 4 + 4]))?;
                at += 1;
            }
        }
        Some(())
    }

    /// The index of `word`, added if it is new; `None` once a 257th colour turns up.
    fn index(&mut self, word: u32) -> Option<u8> {
        if let Some((_, index)) = self.last.filter(|(last, _)| *last == word) {
            return Some(index);
        }
        let mut slot = (word.wrapping_mul(0x9E37_79B1) >> 22) as usize;
        let index = loop {
            match self.slots[slot] {
                0 if self.colours.len() == 256 => return None,
                0 => {
                    self.colours.push(word);
                    self.slots[slot] = self.colours.len() as u16;
                    break self.colours.len() - 1;
                }
                n if self.colours[usize::from(n) - 1] == word => break usize::from(n) - 1,
                _ => slot = (slot + 1) % Self::SLOTS,
            }
        } as u8;
        self.last = Some((word, index));
        Some(index)
    }
}

/// An SVG icon at `size` × `size` pixels, transparent around it, as PNG.
pub fn rasterize_icon(svg: &[u8], size: u32) -> Result<Vec<u8>> {
    let fail = |e: String| Error::new(format!("could not draw the icon from static/favicon.svg: {e}")).in_file("static/favicon.svg");
    if crate::brand::svg_has_text(svg) {
        return Err(fail("it sets its lettering as text, which the icons cannot draw".into()).hint(crate::brand::OUTLINES));
    }
    let tree = resvg::usvg::Tree::from_data(svg, &resvg::usvg::Options::default()).map_err(|e| fail(e.to_string()))?;
    let (w, h) = (tree.size().width(), tree.size().height());
    let scale = size as f32 / w.max(h);
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size, size).ok_or_else(|| fail("empty icon".into()))?;
    let offset = ((size as f32 - w * scale) / 2.0, (size as f32 - h * scale) / 2.0);
    let transform = resvg::tiny_skia::Transform::from_scale(scale, scale).post_translate(offset.0, offset.1);
    resvg::render(&tree, transform, &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| fail(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// Decodes a PNG to RGB pixels, whatever colour type it was stored with.
    fn decode_rgb(png_bytes: &[u8]) -> (png::ColorType, Vec<u8>) {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
        decoder.set_transformations(png::Transformations::EXPAND);
        let mut reader = decoder.read_info().unwrap();
        let stored = reader.info().color_type;
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        reader.next_frame(&mut pixels).unwrap();
        (stored, pixels)
    }

    /// The palette as first written, one pixel at a time: the fast one must agree exactly.
    fn reference_palette(rgba: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
        // An open-addressed table from colour to index: slots hold index + 1, 0 is empty.
        const SLOTS: usize = 1024;
        let mut slots = [0u16; SLOTS];
        let mut colours: Vec<u32> = Vec::with_capacity(256);
        // Neighbours mostly share a colour: only a change needs a lookup. Pixels are read as
        // whole words; alpha is always 255 here, so the word is the colour.
        let (mut last, mut last_index) = (None, 0u8);
        let mut full = false;
        let indices: Vec<u8> = rgba
            .chunks_exact(4)
            .map(|p| {
                let word = u32::from_le_bytes([p[0], p[1], p[2], p[3]]);
                if last == Some(word) {
                    return last_index;
                }
                let mut slot = (word.wrapping_mul(0x9E37_79B1) >> 22) as usize;
                let index = loop {
                    match slots[slot] {
                        0 if colours.len() == 256 => {
                            full = true;
                            break 0;
                        }
                        0 => {
                            colours.push(word);
                            slots[slot] = colours.len() as u16;
                            break colours.len() - 1;
                        }
                        n if colours[usize::from(n) - 1] == word => break usize::from(n) - 1,
                        _ => slot = (slot + 1) % SLOTS,
                    }
                } as u8;
                (last, last_index) = (Some(word), index);
                index
            })
            .collect();
        if full {
            return None;
        }
        Some((colours.iter().flat_map(|c| c.to_le_bytes().into_iter().take(3)).collect(), indices))
    }

    #[test]
    fn the_palette_taken_in_runs_matches_one_pixel_at_a_time() {
        let mut n = 7u32;
        let mut next = move || {
            n = n.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            n >> 16
        };
        for (colours, width, height, run) in
            [(3u32, 40usize, 25usize, 40u32), (200, 61, 67, 9), (255, 37, 21, 1), (256, 100, 50, 3), (300, 60, 50, 17), (2, 7, 1, 100), (1, 5, 0, 1)]
        {
            let mut rgba = Vec::new();
            let mut colour = 0;
            for i in 0..width * height {
                if (i as u32).is_multiple_of(run.max(1)) || next() % 5 == 0 {
                    colour = next() % colours;
                }
                rgba.extend_from_slice(&[(colour % 256) as u8, (colour / 256) as u8, 9, 255]);
            }
            let lines = reference_palette(&rgba)
                .map(|(colours, indices)| (colours, indices.chunks_exact(width).flat_map(|row| std::iter::once(0).chain(row.iter().copied())).collect()));
            // Lines left from another image, full of other bytes, must not show through.
            let mut got = vec![7; height * (width + 1)];
            let mut table = Palette { slots: [0; Palette::SLOTS], colours: Vec::new(), last: None };
            let colours_got = table.lines(&rgba, width, &mut got).map(|()| table.rgb());
            assert_eq!(colours_got.map(|c| (c, got)), lines, "{colours} colours, {width}×{height} pixels, runs of {run}");
        }
    }

    #[test]
    fn pngs_keep_every_pixel_with_or_without_a_palette() {
        // Few colours: a palette. 300 colours: plain RGB. Both must decode to the same pixels.
        for (colours, expected) in [(3usize, png::ColorType::Indexed), (300, png::ColorType::Rgb)] {
            let (w, h) = (40u32, 20u32);
            let rgba: Vec<u8> = (0..w * h)
                .flat_map(|i| {
                    let c = (i as usize * 7) % colours;
                    [(c % 256) as u8, (c / 256 * 90) as u8, 17, 255]
                })
                .collect();
            let want: Vec<u8> = rgba.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
            // Whatever the band, and wherever the 257th colour turns up.
            for band in [1, 3, 7, h, 100] {
                let copy = |top: u32, pixels: &mut [u8]| {
                    let at = top as usize * w as usize * 4;
                    pixels.copy_from_slice(&rgba[at..at + pixels.len()]);
                    Some(())
                };
                let png_bytes = encode_opaque(w, h, band, copy, &[("Title", "T")]).unwrap();
                let (stored, rgb) = decode_rgb(&png_bytes);
                assert_eq!(stored, expected, "{colours} colours in bands of {band}");
                assert_eq!(rgb, want, "{colours} colours in bands of {band}");
            }
        }
    }

    #[test]
    fn an_image_drawn_in_bands_is_the_image_drawn_whole_but_for_edges_at_the_seams() {
        let figure = figure();
        for size in SIZES {
            let svg = compose(&figure, size, &brand()).unwrap().svg;
            let tree = tree(&svg).unwrap();
            let mut whole = resvg::tiny_skia::Pixmap::new(size.width, size.height).unwrap();
            whole.fill(resvg::tiny_skia::Color::WHITE);
            resvg::render(&tree, resvg::tiny_skia::Transform::default(), &mut whole.as_mut());
            let want: Vec<u8> = whole.data().chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
            let (stored, rgb) = decode_rgb(&rasterize(&svg, &[]).unwrap());
            assert_eq!((stored, rgb.len()), (png::ColorType::Indexed, want.len()));
            // A curve that crosses a band's edge is cut there, so its anti-aliased edge may
            // shade a little differently, near the seam; nothing else may move.
            let band = BAND_BYTES / (size.width as usize * 4);
            let differ: Vec<(usize, u8)> =
                rgb.iter().zip(&want).enumerate().filter(|(_, (a, b))| a != b).map(|(i, (a, b))| (i / 3 / size.width as usize, a.abs_diff(*b))).collect();
            let at = format!("{}x{}: {} values differ", size.width, size.height, differ.len());
            // Large type (a headline number, a title of 72 px) crosses more seams than the
            // chart alone; each difference must still sit at a seam, below.
            assert!(differ.len() < want.len() / 1000, "{at}");
            for (row, by) in differ {
                let seam = (row + band / 2) / band * band;
                assert!(by <= 80 && row.abs_diff(seam) <= 96, "{at}; line {row} by {by}, the nearest seam at {seam}");
            }
        }
    }

    fn brand() -> Brand {
        Brand {
            site_title: "#WildWestWeb".into(),
            tagline: Some("Social networks must keep children safe.".into()),
            address: "wildwestweb.example.org".into(),
            hashtag: Some("WildWestWeb".into()),
            organisation: "NSPCC".into(),
            ..Brand::default()
        }
    }

    fn figure() -> Figure {
        Figure::load(
            "f",
            Path::new("f.yaml"),
            "title: Facebook leads by far in every force of the region\nsource: NSPCC\nchart: bar\nunit: count\ndata:\n  - {label: Durham, value: 92}\n  - {label: Cleveland, value: 62}\n",
        )
        .unwrap()
    }

    #[test]
    fn every_size_carries_title_source_address_and_hashtag() {
        for size in SIZES {
            let c = compose(&figure(), size, &brand()).unwrap();
            for needle in ["Facebook leads", "Source: NSPCC", "wildwestweb.example.org", "#WildWestWeb"] {
                assert!(c.svg.contains(needle), "{size:?} lacks {needle}");
            }
            assert!(c.svg.contains(&format!("width=\"{}\" height=\"{}\"", size.width, size.height)));
            let chart = c.chart.unwrap();
            let chart_right = chart.x + chart.units * chart.scale;
            assert!(chart.x >= 0.0 && chart_right <= f64::from(size.width) + 0.5, "{size:?}: chart fits");
        }
    }

    #[test]
    fn chart_text_stays_legible_in_link_previews() {
        let c = compose(&figure(), SIZES[0], &brand()).unwrap();
        let chart = c.svg.split("scale(").nth(1).unwrap();
        let scale = c.chart.unwrap().scale;
        assert!(smallest_font(chart) * scale >= min_text(SIZES[0]) - 0.01, "scale {scale}");
        assert_eq!((min_text(SIZES[0]), min_text(SIZES[1])), (29.0, 26.0));
    }

    /// Every kind, and a stacked bar too dense for a link preview: at every size the chart
    /// and every line of text sit inside the frame, the chart's text is at the reading size,
    /// and a chart that cannot be is left out of the link preview rather than shrunk.
    #[test]
    fn nothing_leaves_the_frame_and_dense_charts_make_way_for_the_finding() {
        let stacked = |categories: usize| {
            let names = ["Facebook", "Instagram", "Snapchat", "WhatsApp", "Kik", "Phone calls"];
            let series: String = names
                .iter()
                .enumerate()
                .map(|(i, n)| format!("  - {{ name: {n}, values: [{}] }}\n", vec![(30 - 4 * i).to_string(); categories].join(", ")))
                .collect();
            let cats: Vec<String> = (0..categories).map(|i| format!("Force {i}")).collect();
            format!("title: A finding\nsource: S\nchart: stacked-bar\nunit: count\ncategories: [{}]\nseries:\n{series}", cats.join(", "))
        };
        let cases = [
            ("bar", "title: T\nsource: S\nchart: bar\nunit: count\ndata:\n  - {label: a, value: 3}\n  - {label: b, value: 5}\n".to_string()),
            ("donut", "title: T\nsource: S\nchart: donut\nunit: percent\ndata:\n  - {label: a, value: 30}\n  - {label: b, value: 50}\n".to_string()),
            ("line", "title: T\nsource: S\nchart: line\nunit: count\ndata:\n  - {label: '2019', value: 3}\n  - {label: '2020', value: 5}\n".to_string()),
            ("one force", stacked(1)),
            ("five forces", stacked(5)),
        ];
        for (name, yaml) in cases {
            let figure = Figure::load("f", Path::new("f.yaml"), &yaml).unwrap();
            for size in SIZES {
                let (w, h) = (f64::from(size.width), f64::from(size.height));
                let c = compose(&figure, size, &brand()).unwrap();
                let least = min_text(size) - 0.01;
                match c.chart {
                    Some(at) => {
                        assert!(at.x >= 0.0 && at.x + at.units * at.scale <= w + 0.5, "{name} {size:?}: across");
                        assert!(at.y >= 0.0 && at.y + at.height * at.scale <= h + 0.5, "{name} {size:?}: down");
                        let chart = c.svg.split(") scale(").nth(1).unwrap();
                        assert!(smallest_font(chart) * at.scale >= least, "{name} {size:?}: chart text");
                    }
                    None => assert!(size.width > size.height && name == "five forces", "{name} {size:?}: only a dense link preview drops its chart"),
                }
                // Outside the chart, every text's baseline is inside the frame.
                let outside = c.svg.split("<g transform").next().unwrap().to_string() + c.svg.rsplit("</g>").next().unwrap();
                for text in outside.split("<text ").skip(1) {
                    let y: f64 = text.split(" y=\"").nth(1).map(|v| v[..v.find('"').unwrap()].parse().unwrap()).unwrap();
                    assert!(y > 0.0 && y <= h, "{name} {size:?}: text at {y}");
                }
            }
        }
    }

    #[test]
    fn renders_png_of_the_exact_size_with_metadata() {
        let c = compose(&figure(), SIZES[0], &brand()).unwrap();
        let png = rasterize(&c.svg, &[("Title", "Facebook leads ŵ")]).unwrap();
        assert_eq!(&png[1..4], b"PNG");
        assert_eq!(u32::from_be_bytes(png[16..20].try_into().unwrap()), 1200);
        assert_eq!(u32::from_be_bytes(png[20..24].try_into().unwrap()), 630);
        assert!(png.windows(4).any(|w| w == b"iTXt"));
        assert!(png.len() < 300 * 1024);
    }

    #[test]
    fn long_titles_are_cut_with_an_ellipsis() {
        let lines = wrap(&"word ".repeat(60), 38.0, true, 384.0, 3);
        assert_eq!(lines.len(), 3);
        assert!(lines[2].ends_with('…'));
    }
}
