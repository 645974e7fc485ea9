//! Layout and drawing of each chart kind. Labels and values are written on the chart itself
//! (direct labelling), so a reader needs no legend lookup where it can be avoided.

use super::annotate::{self, Pin};
use super::canvas::{fit, series_colours, text_on, text_width, wrap, Align, Canvas, Paint, Type, BACKGROUND, GRID, INK, LABEL, MUTED, REMAINDER, SMALL};
use crate::error::{Error, Result};
use crate::figure::{Body, ChartKind, Figure};
use std::borrow::Cow;

const LINE: f64 = 20.0;
const BAR: f64 = 26.0;
/// The most lines a label takes on a chart; a longer one ends in an ellipsis. The chart's
/// table and description, in the page, always give it whole.
const LABEL_LINES: usize = 3;
/// The width from which a stacked bar chart puts each category's name beside its bar: wider
/// than any page's band, so only share images use it.
const WIDE_STACKED: f64 = 480.0;

/// Draws `figure` `width` units wide and returns plotters' SVG and its height. Column and
/// line charts grow their plot by `extra` units, so a share image can fill its frame without
/// stretching. `themed`, the colours that dark mode changes are CSS custom properties.
pub fn draw(figure: &Figure, width: u32, extra: f64, themed: bool) -> Result<(String, f64)> {
    let (canvas, height) = layout(figure, width, extra)?;
    canvas.finish(height, themed).map(|svg| (svg, height))
}

/// The chart laid out on its canvas, and its height: what [`draw`] writes, and what tests
/// measure. Its annotations go beside their points where they are clear; where one is not,
/// the chart is laid out again with room above it for that note, until every note has a
/// place or one fits nowhere, which is refused at its line.
pub(super) fn layout(figure: &Figure, width: u32, extra: f64) -> Result<(Canvas, f64)> {
    let w = f64::from(width);
    let mut headroom = 0.0;
    let mut refused = None;
    for _ in 0..=figure.annotations.len() {
        let mut canvas = Canvas::with_headroom(width, headroom);
        let (height, pins) = kind(&mut canvas, figure, width, extra)?;
        match annotate::place(&mut canvas, w, (-headroom, height), &pins) {
            Ok(()) => return Ok((canvas, (height + headroom).ceil().max(1.0))),
            Err(i) => {
                headroom += annotate::height_above(&pins[i].note.text, w);
                refused = Some(pins[i].note);
            }
        }
    }
    let note = refused.unwrap_or_else(|| &figure.annotations[0]);
    Err(Error::new(format!("there is no room for the annotation `{}` at {width} units wide without covering the chart's marks or words", note.text))
        .at(note.at.clone())
        .hint("shorten it, or pin it to another point; the figure's note can say more"))
}

/// The chart of `figure`'s kind drawn on `canvas`, its height, and where its annotations
/// are pinned.
fn kind<'a>(canvas: &mut Canvas, figure: &'a Figure, width: u32, extra: f64) -> Result<(f64, Vec<annotate::Pin<'a>>)> {
    let w = f64::from(width);
    let plot_h = (200.0 + extra).clamp(120.0, 640.0);
    let count = match &figure.body {
        Body::Single { points, .. } => points.len(),
        Body::Multi { series, .. } => series.len(),
    };
    let colours = series_colours(&figure.colours.iter().map(|c| c.colour).collect::<Vec<_>>(), count);
    let none = Vec::new;
    Ok(match (figure.kind, &figure.body) {
        (ChartKind::Bar, Body::Single { points, .. }) => {
            let rows: Vec<(&str, Option<f64>)> = points.iter().map(|p| (p.label.as_str(), p.value)).collect();
            bars(canvas, w, &rows, figure, colours[0], extra)?
        }
        (ChartKind::Column, _) | (ChartKind::Line, _) => {
            let (labels, series) = as_series(figure);
            if figure.kind == ChartKind::Column {
                // A reference's words go beside its line where they cover nothing, else in a
                // key above the chart.
                let start = canvas.ops();
                match columns(canvas, w, figure, &labels, &series, &colours, plot_h, false) {
                    Ok(drawn) => drawn,
                    Err(_) if !figure.references.is_empty() => {
                        canvas.truncate(start);
                        columns(canvas, w, figure, &labels, &series, &colours, plot_h, true)?
                    }
                    Err(e) => return Err(e),
                }
            } else {
                lines(canvas, w, figure, &labels, &series, &colours, plot_h)?
            }
        }
        (ChartKind::StackedBar, Body::Multi { categories, series, .. }) => (stacked(canvas, w, figure, categories, series, &colours, extra), none()),
        (ChartKind::Donut, Body::Single { points, .. }) => (donut(canvas, w, figure, points, &colours, extra), none()),
        (ChartKind::Waffle, Body::Single { points, .. }) => (super::waffle::draw(canvas, w, figure, points, extra), none()),
        (ChartKind::Dot, Body::Multi { categories, series, .. }) => super::dot::draw(canvas, w, figure, categories, series, extra)?,
        (ChartKind::TileMap, Body::Single { .. }) => (super::tilemap::draw(canvas, w, figure, extra)?, none()),
        _ => return Err(Error::new(format!("a {} cannot show this data", figure.kind.name()))),
    })
}

/// The fill of the mark of `label` in `series` (empty for a chart of one series): `fill`, or
/// grey where the figure highlights other marks, so that the highlighted ones stand out. The
/// grey keeps 3:1 against the background, as every mark does.
pub(super) fn mark_fill(figure: &Figure, fill: Paint, series: &str, label: &str) -> Paint {
    if figure.is_highlighted(series, label) {
        fill
    } else {
        recede(fill)
    }
}

/// `fill` receded (see [`crate::colour::receded`]); the remainder's grey is grey already.
fn recede(fill: Paint) -> Paint {
    if fill == REMAINDER {
        fill
    } else {
        Paint::literal(crate::colour::receded(fill.colour()))
    }
}

/// The key's colour for `series`: grey where the figure highlights other series.
pub(super) fn key_fill(figure: &Figure, fill: Paint, series: &str) -> Paint {
    let names_series = |names: &[&str]| figure.highlight.iter().any(|h| names.contains(&h.as_str()));
    let all: Vec<&str> = match &figure.body {
        Body::Multi { series, .. } => series.iter().map(|s| s.name.as_str()).collect(),
        Body::Single { .. } => Vec::new(),
    };
    if names_series(&all) && !figure.highlight.iter().any(|h| h == series) {
        recede(fill)
    } else {
        fill
    }
}

/// Whether the figure highlights the label or series `name`, to set its text in bold.
fn stands_out(figure: &Figure, name: &str) -> bool {
    figure.highlight.iter().any(|h| h == name)
}

/// A series by name, for the kinds that accept one or several.
struct Line<'a> {
    name: &'a str,
    values: Cow<'a, [Option<f64>]>,
}

fn as_series(figure: &Figure) -> (Vec<&str>, Vec<Line<'_>>) {
    match &figure.body {
        Body::Single { points, .. } => {
            let labels = points.iter().map(|p| p.label.as_str()).collect();
            let values = points.iter().map(|p| p.value).collect();
            (labels, vec![Line { name: "", values: Cow::Owned(values) }])
        }
        Body::Multi { categories, series, .. } => {
            (categories.iter().map(String::as_str).collect(), series.iter().map(|s| Line { name: &s.name, values: Cow::Borrowed(&s.values) }).collect())
        }
    }
}

/// The span of the value axis: always includes zero, never empty.
fn domain(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for v in values {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if hi - lo <= f64::EPSILON {
        hi = lo + 1.0;
    }
    (lo, hi)
}

fn legend(canvas: &mut Canvas, w: f64, items: &[(&str, Paint)], top: f64) -> f64 {
    legend_from(canvas, 0.0, w, items, top)
}

/// [`legend`], in the band from `left` to `w`.
fn legend_from(canvas: &mut Canvas, left: f64, w: f64, items: &[(&str, Paint)], top: f64) -> f64 {
    let mut x = left;
    let mut y = top;
    for (name, fill) in items {
        let name = fit(name, SMALL, false, w - left - 20.0);
        let item_w = 14.0 + 6.0 + text_width(&name, SMALL, false);
        if x > left && x + item_w > w {
            x = left;
            y += LINE + 2.0;
        }
        canvas.rect(x, y + 2.0, x + 14.0, y + 16.0, *fill);
        canvas.text(&name, x + 20.0, y + 2.0, Type { px: SMALL, bold: false, colour: INK }, Align::Start);
        x += item_w + 18.0;
    }
    y + LINE + 10.0
}

/// Horizontal bars, one row per label: the label above its bar, the value at the bar's end.
/// Reference lines and bands cross the bars, each labelled on a line of its own above them.
fn bars<'a>(canvas: &mut Canvas, w: f64, rows: &[(&str, Option<f64>)], figure: &'a Figure, fill: Paint, extra: f64) -> Result<(f64, Vec<Pin<'a>>)> {
    let unit = figure.unit;
    let (bar, gap) = grown(extra, rows.len());
    let texts: Vec<Option<String>> = rows.iter().map(|(_, v)| v.map(|v| unit.format(v))).collect();
    let value_w = texts.iter().flatten().map(|t| text_width(t, LABEL, true)).fold(0.0, f64::max) + 10.0;
    let (lo, hi) = domain(rows.iter().filter_map(|r| r.1).chain(referenced(figure)));
    let left = if lo < 0.0 { value_w } else { 0.0 };
    let span = w - value_w - left;
    let x_of = |v: f64| left + (v - lo) / (hi - lo) * span;
    let label_rows = reference_rows(canvas, figure, w, 0.0, &x_of)?;
    let mut y = label_rows.last().copied().unwrap_or(0.0);
    let (behind, bars_top) = (canvas.ops(), y);
    let mut ends = Vec::new();
    for ((label, value), text) in rows.iter().zip(&texts) {
        let (fill, bold) = (mark_fill(figure, fill, "", label), stands_out(figure, label));
        for line in wrap(label, LABEL, bold, w, LABEL_LINES) {
            canvas.text(&line, 0.0, y, Type { px: LABEL, bold, colour: INK }, Align::Start);
            y += LINE;
        }
        y += 2.0;
        match (value, text) {
            (Some(v), Some(t)) => {
                let (x0, x1) = (x_of(0.0), x_of(*v));
                let x1 = if (x1 - x0).abs() < 1.0 && *v != 0.0 { x0 + 1.0_f64.copysign(*v) } else { x1 };
                canvas.rect(x0, y, x1, y + bar, fill);
                let (tx, align) = if *v >= 0.0 { (x1.max(x0) + 6.0, Align::Start) } else { (x1.min(x0) - 6.0, Align::End) };
                canvas.text(t, tx, y + (bar - BAR) / 2.0 + 5.0, Type { px: LABEL, bold: true, colour: INK }, align);
                let end = if *v >= 0.0 { tx + text_width(t, LABEL, true) } else { tx - text_width(t, LABEL, true) };
                ends.push((*label, end + 4.0_f64.copysign(*v), y + bar / 2.0));
            }
            // A line of text, not a bar: it keeps a bar's usual room, not a grown one.
            _ => {
                canvas.text(&figure.strings.get("not_reported"), x_of(0.0), y + 6.0, Type { px: SMALL, bold: false, colour: MUTED }, Align::Start);
                y -= bar - BAR;
            }
        }
        y += bar + gap;
    }
    if lo < 0.0 {
        canvas.line(&[(x_of(0.0), 0.0), (x_of(0.0), y - gap)], INK, 1);
    }
    references_down(canvas, figure, &label_rows, &x_of, y - gap, behind);
    let pins = annotate::pins(figure, w, |label, _| ends.iter().find(|(l, _, _)| *l == label).map(|&(_, x, y)| (x, y)), |v| (x_of(v), bars_top));
    Ok((y - gap + 2.0, pins))
}

/// Every value the references reach, which the value axis must show.
pub(super) fn referenced(figure: &Figure) -> impl Iterator<Item = f64> + '_ {
    figure.references.iter().flat_map(|r| [r.span().0, r.span().1])
}

/// Each reference's words on rows of their own from `top`, above a chart whose value axis runs
/// across (bars, a dot plot), centred over its line or band: the y under each reference's
/// last row.
pub(super) fn reference_rows(canvas: &mut Canvas, figure: &Figure, w: f64, top: f64, x_of: &dyn Fn(f64) -> f64) -> Result<Vec<f64>> {
    let mut y = top;
    let mut rows = Vec::new();
    for reference in &figure.references {
        let (a, b) = reference.span();
        for line in reference_lines(figure, reference, w)? {
            let half = text_width(&line, SMALL, true) / 2.0;
            canvas.text(&line, ((x_of(a) + x_of(b)) / 2.0).clamp(half, w - half), y, Type { px: SMALL, bold: true, colour: INK }, Align::Middle);
            y += LINE;
        }
        rows.push(y);
    }
    Ok(rows)
}

/// Each reference down such a chart, from under its words (`rows`, as [`reference_rows`]
/// gives them) to `bottom`: a band behind what was drawn from `behind` on, or a line parted
/// around any words in its way.
pub(super) fn references_down(canvas: &mut Canvas, figure: &Figure, rows: &[f64], x_of: &dyn Fn(f64) -> f64, bottom: f64, behind: usize) {
    for (reference, row) in figure.references.iter().zip(rows) {
        let from = row - LINE + SMALL * 1.2 + 2.0;
        let (a, b) = reference.span();
        if reference.to.is_some() {
            canvas.band(behind, x_of(a), from, x_of(b), bottom);
            continue;
        }
        let x = x_of(a);
        let blocked: Vec<(f64, f64)> =
            canvas.text_rects().iter().filter(|t| t[0] - 2.0 <= x && x <= t[2] + 2.0 && t[3] > from).map(|t| (t[1] - 3.0, t[3] + 3.0)).collect();
        for (y0, y1) in open_spans(from, bottom, &blocked) {
            canvas.line(&[(x, y0), (x, y1)], INK, 2);
        }
    }
}

/// A reference line's words as the chart shows them: its label and its value.
fn reference_text(figure: &Figure, reference: &crate::figure::Reference) -> String {
    match reference.to {
        Some(to) => format!("{} ({}–{})", reference.label, figure.unit.format(reference.value), figure.unit.format(to)),
        None => format!("{} ({})", reference.label, figure.unit.format(reference.value)),
    }
}

/// A reference's words on at most two lines `max` wide; longer words are refused at the
/// reference rather than cut short, as a cut label could say something else.
fn reference_lines(figure: &Figure, reference: &crate::figure::Reference, max: f64) -> Result<Vec<String>> {
    let text = reference_text(figure, reference);
    let lines = wrap(&text, SMALL, true, max, 2);
    if lines.join(" ").split_whitespace().eq(text.split_whitespace()) {
        Ok(lines)
    } else {
        Err(Error::new(format!("the reference line's words `{}` take more than two lines of the chart", reference.label))
            .at(reference.at.clone())
            .hint("shorten its `label`; the figure's note can say more"))
    }
}

/// The parts of `from..to` that none of the `blocked` spans covers, longer than 2 units.
fn open_spans(from: f64, to: f64, blocked: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut blocked = blocked.to_vec();
    blocked.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut open = Vec::new();
    let mut at = from;
    for (a, b) in blocked {
        if a > at && a.min(to) - at > 2.0 {
            open.push((at, a.min(to)));
        }
        at = at.max(b);
    }
    if to - at > 2.0 {
        open.push((at, to));
    }
    open
}

/// Whether the boxes `a` and `b` (left, top, right, bottom) overlap.
fn overlaps(a: &[f64; 4], b: &[f64; 4]) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

/// The thickness of each of `rows` bars and the gap after it, given `extra` height to grow
/// into (a share image): bars up to twice as thick, gaps up to twice as wide, and no more,
/// so that a short chart never stretches into stripes.
fn grown(extra: f64, rows: usize) -> (f64, f64) {
    let each = (extra / rows.max(1) as f64).max(0.0);
    let bar = BAR + (each * 0.6).min(BAR);
    let gap = 16.0 + (each - (bar - BAR)).clamp(0.0, 16.0);
    (bar, gap)
}

/// Vertical columns over categories, grouped when there are several series.
/// With `keyed`, each reference line's words are in a key above the chart rather than
/// beside the line.
#[allow(clippy::too_many_arguments)]
fn columns<'a>(
    canvas: &mut Canvas,
    w: f64,
    figure: &'a Figure,
    labels: &[&str],
    series: &[Line],
    colours: &[Paint],
    plot_h: f64,
    keyed: bool,
) -> Result<(f64, Vec<Pin<'a>>)> {
    let unit = figure.unit;
    let mut top = 0.0;
    if series.len() > 1 {
        let items: Vec<(&str, Paint)> = series.iter().zip(colours).map(|(s, c)| (s.name, key_fill(figure, *c, s.name))).collect();
        top = legend(canvas, w, &items, 0.0);
    }
    if keyed {
        for reference in &figure.references {
            let lines = reference_lines(figure, reference, w - 24.0)?;
            if reference.to.is_some() {
                canvas.band(canvas.ops(), 0.0, top + 2.0, 18.0, top + 16.0);
            } else {
                canvas.line(&[(0.0, top + 9.0), (18.0, top + 9.0)], INK, 2);
            }
            for line in lines {
                canvas.text(&line, 24.0, top, Type { px: SMALL, bold: true, colour: INK }, Align::Start);
                top += LINE;
            }
            top += 4.0;
        }
    }
    let plot_top = top + LINE + 4.0;
    let (lo, hi) = domain(series.iter().flat_map(|s| s.values.iter().flatten().copied()).chain(referenced(figure)));
    let y_of = |v: f64| plot_top + (hi - v) / (hi - lo) * plot_h;
    let behind = canvas.ops();
    // Where each column's top is, with its value's words over it: where a note points.
    let mut tops: Vec<(&str, &str, f64, f64)> = Vec::new();
    let slot = w / labels.len() as f64;
    let group = slot * if series.len() > 1 { 0.84 } else { 0.7 };
    let bar_w = (group - 2.0 * (series.len() as f64 - 1.0)) / series.len() as f64;
    let size = if bar_w >= 56.0 { LABEL } else { SMALL };
    for (c, _) in labels.iter().enumerate() {
        let group_x = c as f64 * slot + (slot - group) / 2.0;
        for (s, line) in series.iter().enumerate() {
            let x0 = group_x + s as f64 * (bar_w + 2.0);
            let centre = x0 + bar_w / 2.0;
            match line.values[c] {
                Some(v) => {
                    let (y0, y1) = (y_of(0.0), y_of(v));
                    canvas.rect(x0, y0, x0 + bar_w, y1, mark_fill(figure, colours[s], line.name, labels[c]));
                    let text = unit.format(v);
                    let mut top = y1.min(y0);
                    if text_width(&text, size, true) <= slot / series.len() as f64 + 2.0 {
                        let ty = if v >= 0.0 { y1 - size - 5.0 } else { y1 + 4.0 };
                        canvas.text(&text, centre, ty, Type { px: size, bold: true, colour: INK }, Align::Middle);
                        top = top.min(ty);
                    }
                    tops.push((labels[c], line.name, centre, top));
                }
                None => canvas.text("–", centre, y_of(0.0) - SMALL - 5.0, Type { px: SMALL, bold: false, colour: MUTED }, Align::Middle),
            }
        }
    }
    let base = y_of(0.0);
    canvas.line(&[(0.0, base), (w, base)], INK, 1);
    let mut label_top = y_of(lo) + if lo < 0.0 { LINE + 4.0 } else { 8.0 };
    let label_size = if slot >= 110.0 { LABEL } else { SMALL };
    let mut bottom = label_top;
    for (c, label) in labels.iter().enumerate() {
        let centre = c as f64 * slot + slot / 2.0;
        let mut y = label_top;
        let bold = stands_out(figure, label);
        for line in wrap(label, label_size, bold, slot - 6.0, LABEL_LINES) {
            canvas.text(&line, centre, y, Type { px: label_size, bold, colour: INK }, Align::Middle);
            y += LINE;
        }
        bottom = f64::max(bottom, y);
    }
    label_top = bottom;
    for reference in &figure.references {
        let (a, b) = reference.span();
        if reference.to.is_some() {
            canvas.band(behind, 0.0, y_of(b), w, y_of(a));
        }
        reference_across(canvas, (0.0, w), figure, reference, (y_of(b), y_of(a)), keyed)?;
    }
    let category = |label: &str| tops.iter().filter(|t| t.0 == label).map(|t| (t.2, t.3)).reduce(|a, b| ((a.0 + b.0) / 2.0, a.1.min(b.1)));
    let pins = annotate::pins(
        figure,
        w,
        |label, name| match name {
            Some(name) => tops.iter().find(|t| t.0 == label && t.1 == name).map(|t| (t.2, t.3)),
            None => category(label),
        },
        |v| (w, y_of(v)),
    );
    Ok((label_top, pins))
}

/// A reference line across the plot from `left` to `right` at `y` (or a band, from its top
/// `y` to its bottom, drawn behind already), parted around any words it would cross, and its
/// words beside it, where they cover no mark and no other words: above it at the right, then
/// at the left, then below its top. Where none of those is free, the figure is refused at
/// the reference, rather than drawn with words over words.
fn reference_across(
    canvas: &mut Canvas,
    (left, right): (f64, f64),
    figure: &Figure,
    reference: &crate::figure::Reference,
    (y, _bottom): (f64, f64),
    keyed: bool,
) -> Result<()> {
    let text = reference_text(figure, reference);
    let th = SMALL * 1.2;
    let band = reference.to.is_some();
    let (texts, marks) = (canvas.text_rects(), canvas.marks());
    let blocked: Vec<(f64, f64)> = texts.iter().filter(|b| b[1] - 2.0 <= y && y <= b[3] + 2.0).map(|b| (b[0] - 3.0, b[2] + 3.0)).collect();
    let rule = |canvas: &mut Canvas| {
        if !band {
            for (a, b) in open_spans(left, right, &blocked) {
                canvas.line(&[(a, y), (b, y)], INK, 2);
            }
        }
    };
    if keyed {
        rule(canvas);
        return Ok(());
    }
    let w = right - left;
    // On one line, else on two lines half the chart wide, which fit between columns.
    let shapes: Vec<Vec<String>> = [w, w * 0.45].into_iter().map(|max| wrap(&text, SMALL, true, max, 2)).collect();
    let placed = shapes.iter().find_map(|lines| {
        let tw = lines.iter().map(|l| text_width(l, SMALL, true)).fold(0.0, f64::max);
        let h = th * lines.len() as f64;
        let candidates = [(right - tw, y - h - 3.0), (left, y - h - 3.0), (right - tw, y + 3.0), (left, y + 3.0)];
        let free = |&(x, top): &(f64, f64)| {
            let wanted = [x, top, x + tw, top + h];
            top >= 0.0 && lines.iter().all(|l| text_width(l, SMALL, true) <= w) && !texts.iter().chain(&marks).any(|b| overlaps(&wanted, b))
        };
        candidates.into_iter().find(free).map(|at| (lines, at))
    });
    let Some((lines, (x, top))) = placed else {
        return Err(Error::new(format!(
            "there is no room to write the reference line's words `{}` without covering the chart's marks or words",
            reference.label
        ))
        .at(reference.at.clone())
        .hint("shorten its `label`, or move the reference to a value the marks do not reach"));
    };
    rule(canvas);
    for (n, line) in lines.iter().enumerate() {
        canvas.text(line, x, top + n as f64 * th, Type { px: SMALL, bold: true, colour: INK }, Align::Start);
    }
    Ok(())
}

/// One bar per category, split into its series, with the category's total. Where the chart
/// is wide (a share image), each category's name sits beside its bar rather than above it,
/// so that the chart is short enough to be read in a link preview.
fn stacked(canvas: &mut Canvas, w: f64, figure: &Figure, categories: &[String], series: &[crate::figure::Series], colours: &[Paint], extra: f64) -> f64 {
    let unit = figure.unit;
    let (bar, gap) = grown(extra, categories.len());
    let mut items: Vec<(&str, Paint)> = series.iter().zip(colours).map(|(s, c)| (s.name.as_str(), key_fill(figure, *c, &s.name))).collect();
    let remainders: Vec<Option<f64>> = (0..categories.len()).map(|i| figure.remainder_of(i)).collect();
    if remainders.iter().flatten().any(|r| *r > 0.0) {
        items.push((figure.remainder.as_str(), REMAINDER));
    }
    let whole = |i: usize| series.iter().filter_map(|s| s.values[i]).sum::<f64>() + remainders[i].unwrap_or(0.0).max(0.0);
    let max = (0..categories.len()).map(whole).fold(0.0, f64::max).max(f64::MIN_POSITIVE);
    let totals: Vec<String> = (0..categories.len()).map(|i| figure.strings.fill("in_all", &[("value", &unit.format(whole(i)))])).collect();
    // Beside: the names in a column of their own, each total after its bar, and the key in a
    // column at the right.
    let names_w = categories.iter().map(|c| text_width(c, LABEL, true)).fold(0.0, f64::max) + 12.0;
    let totals_w = totals.iter().map(|t| text_width(t, SMALL, false)).fold(0.0, f64::max) + 8.0;
    let key_w = items.iter().map(|(name, _)| 20.0 + text_width(name, SMALL, false)).fold(0.0, f64::max) + 16.0;
    let beside = w >= WIDE_STACKED && names_w <= w * 0.3 && w - names_w - totals_w - key_w >= w * 0.4;
    let (left, span) = if beside { (names_w, w - names_w - totals_w - key_w) } else { (0.0, w) };
    let mut y = 0.0;
    let mut key_bottom = 0.0;
    if beside {
        for (name, fill) in &items {
            key_bottom = legend_from(canvas, w - key_w + 16.0, w, &[(name, *fill)], key_bottom) - 8.0;
        }
    } else {
        y = legend(canvas, w, &items, 0.0);
    }
    for (i, category) in categories.iter().enumerate() {
        let total = &totals[i];
        if beside {
            canvas.text(
                &fit(category, LABEL, true, names_w - 12.0),
                0.0,
                y + (bar - BAR) / 2.0 + 4.0,
                Type { px: LABEL, bold: true, colour: INK },
                Align::Start,
            );
        } else {
            let total_w = text_width(total, SMALL, false);
            canvas.text(total, w, y + 2.0, Type { px: SMALL, bold: false, colour: MUTED }, Align::End);
            for line in wrap(category, LABEL, true, w - total_w - 12.0, LABEL_LINES) {
                canvas.text(&line, 0.0, y, Type { px: LABEL, bold: true, colour: INK }, Align::Start);
                y += LINE;
            }
            y += 2.0;
        }
        let parts = series
            .iter()
            .zip(colours)
            .filter_map(|(line, c)| line.values[i].map(|v| (line.name.as_str(), v, mark_fill(figure, *c, &line.name, category))))
            .chain(remainders[i].filter(|r| *r > 0.0).map(|r| (figure.remainder.as_str(), r, REMAINDER)));
        let mut x = left;
        // Parts too narrow for their value inside are named under the bar, by colour.
        let mut called_out: Vec<(String, Paint)> = Vec::new();
        for (name, v, fill) in parts {
            let part_w = v / max * span;
            if part_w <= 0.0 {
                continue;
            }
            // A 2px white gap separates parts, so neighbours need not contrast with each other.
            let right = if part_w > 4.0 { x + part_w - 2.0 } else { x + part_w };
            canvas.rect(x, y, right, y + bar, fill);
            let text = unit.format(v);
            if text_width(&text, SMALL, true) + 8.0 <= right - x {
                canvas.text(&text, (x + right) / 2.0, y + (bar - BAR) / 2.0 + 6.0, Type { px: SMALL, bold: true, colour: text_on(fill) }, Align::Middle);
            } else {
                called_out.push((format!("{name} {text}"), fill));
            }
            x += part_w;
        }
        if beside {
            canvas.text(total, x + 8.0, y + (bar - BAR) / 2.0 + 6.0, Type { px: SMALL, bold: false, colour: MUTED }, Align::Start);
        }
        y += bar + gap + 2.0;
        if !called_out.is_empty() {
            let items: Vec<(&str, Paint)> = called_out.iter().map(|(t, c)| (t.as_str(), *c)).collect();
            // As far below the call-outs as the next bar's label is below a bar without them.
            y = legend_from(canvas, left, left + span + totals_w, &items, y - 12.0) + 8.0;
        }
    }
    f64::max(y - gap, key_bottom)
}

/// A donut of parts of a whole, with its legend beside it, or below it where the chart is
/// too narrow for both side by side. Given `extra` height (a share image), the ring grows
/// into it, as far as the legend keeps room.
fn donut(canvas: &mut Canvas, w: f64, figure: &Figure, points: &[crate::figure::Point], colours: &[Paint], extra: f64) -> f64 {
    let unit = figure.unit;
    let mut parts: Vec<(&str, f64, Paint)> =
        points.iter().zip(colours).filter_map(|(p, c)| p.value.map(|v| (p.label.as_str(), v, mark_fill(figure, *c, "", &p.label)))).collect();
    if let Some(r) = figure.remainder_of(0).filter(|r| *r > 0.0) {
        parts.push((figure.remainder.as_str(), r, REMAINDER));
    }
    let whole: f64 = parts.iter().map(|p| p.1).sum::<f64>().max(f64::MIN_POSITIVE);
    let outer = 84.0 + (extra / 2.0).clamp(0.0, 24.0);
    let inner = outer * 50.0 / 84.0;
    let beside = w >= 2.0 * outer + 24.0 + 150.0;
    let (cx, cy) = (if beside { outer + 4.0 } else { w / 2.0 }, outer + 4.0);
    let mut angle = -90.0f64;
    let mut boundaries = Vec::new();
    for (_, v, fill) in &parts {
        let sweep = v / whole * 360.0;
        if sweep > 0.0 {
            canvas.ring_slice((cx, cy), (outer, inner), (angle, angle + sweep), *fill);
        }
        boundaries.push(angle);
        angle += sweep;
    }
    if parts.len() > 1 {
        for a in boundaries {
            let r = a.to_radians();
            canvas.line(&[(cx + inner * r.cos(), cy + inner * r.sin()), (cx + outer * r.cos(), cy + outer * r.sin())], BACKGROUND, 3);
        }
    }
    let legend_x = if beside { 2.0 * outer + 24.0 } else { 0.0 };
    let legend_w = w - legend_x;
    let mut y = if beside { 8.0 } else { 2.0 * outer + 24.0 };
    for (label, v, fill) in &parts {
        canvas.rect(legend_x, y + 2.0, legend_x + 14.0, y + 16.0, *fill);
        let bold = stands_out(figure, label);
        for line in wrap(label, LABEL, bold, legend_w - 22.0, LABEL_LINES) {
            canvas.text(&line, legend_x + 22.0, y, Type { px: LABEL, bold, colour: INK }, Align::Start);
            y += LINE;
        }
        canvas.text(&unit.format(*v), legend_x + 22.0, y, Type { px: LABEL, bold: true, colour: INK }, Align::Start);
        y += LINE + 12.0;
    }
    f64::max(2.0 * outer + 8.0, y)
}

/// Round tick values covering `lo..hi`: steps of 1, 2 or 5 times a power of ten, and never
/// finer than the hundredth a figure's number is shown to, so no two ticks read the same.
pub(super) fn ticks(lo: f64, hi: f64) -> Vec<f64> {
    let raw = ((hi - lo) / 4.0).max(0.01);
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * magnitude).find(|s| *s >= raw).unwrap_or(10.0 * magnitude);
    let start = (lo / step).floor() * step;
    // Counted, not summed, so no error builds up. The last tick reaches `hi` even when a tiny
    // `hi` sits against a huge `lo`; the slack is far below the hundredth a value is written
    // to, and above the float error, since the axis includes zero and so a step below one
    // only comes with values below ten.
    let mut out: Vec<f64> = Vec::new();
    while out.last().is_none_or(|last| *last < hi - 1e-9) && out.len() < 12 {
        let v = start + out.len() as f64 * step;
        out.push(if v.abs() < step * 1e-9 { 0.0 } else { v });
    }
    out
}

/// Lines over categories, with a light grid and values at the points. Shaded periods lie
/// behind the lines, labelled in rows above the plot; references cross it, dashed so that
/// they do not read as a series.
fn lines<'a>(canvas: &mut Canvas, w: f64, figure: &'a Figure, labels: &[&str], series: &[Line], colours: &[Paint], plot_h: f64) -> Result<(f64, Vec<Pin<'a>>)> {
    let unit = figure.unit;
    let mut top = 8.0;
    if series.len() > 1 {
        let items: Vec<(&str, Paint)> = series.iter().zip(colours).map(|(s, c)| (s.name, key_fill(figure, *c, s.name))).collect();
        top = legend(canvas, w, &items, 0.0);
    }
    let (lo, hi) = domain(series.iter().flat_map(|s| s.values.iter().flatten().copied()).chain(referenced(figure)));
    let marks = ticks(lo, hi);
    let (lo, hi) = (marks[0], *marks.last().unwrap_or(&hi));
    let tick_w = marks.iter().map(|t| text_width(&unit.tick(*t), SMALL, false)).fold(0.0, f64::max);
    let (left, right) = (tick_w + 10.0, w - 24.0);
    let n = labels.len();
    let x_of = |i: usize| if n == 1 { (left + right) / 2.0 } else { left + (right - left) * i as f64 / (n - 1) as f64 };
    // A shaded period runs from its first point to its last; one point is shaded half a
    // step either side.
    let half_step = if n > 1 { (right - left) / (n - 1) as f64 / 2.0 } else { (right - left) / 2.0 };
    let shade_x = |shade: &crate::figure::Shade| {
        let (a, b) = (x_of(shade.from), x_of(shade.to));
        if shade.from == shade.to {
            ((a - half_step).max(left), (b + half_step).min(right))
        } else {
            (a, b)
        }
    };
    top = shade_labels(canvas, figure, w, top, &shade_x)?;
    let plot_top = top + 14.0;
    let y_of = |v: f64| plot_top + (hi - v) / (hi - lo).max(f64::MIN_POSITIVE) * plot_h;
    for shade in &figure.shaded {
        let (a, b) = shade_x(shade);
        canvas.band(canvas.ops(), a, plot_top - 8.0, b, y_of(lo));
    }
    for reference in figure.references.iter().filter(|r| r.to.is_some()) {
        let (a, b) = reference.span();
        canvas.band(canvas.ops(), left, y_of(b), right, y_of(a));
    }
    for t in &marks {
        let y = y_of(*t);
        canvas.line(&[(left, y), (right, y)], if *t == 0.0 { MUTED } else { GRID }, 1);
        canvas.text(&unit.tick(*t), left - 8.0, y - 9.0, Type { px: SMALL, bold: false, colour: MUTED }, Align::End);
    }
    let label_every = series.len() == 1 && n <= 8;
    // Each point, with the top of its value's words where it has them: where a note points.
    let mut points: Vec<(&str, usize, f64, f64)> = Vec::new();
    // Lines that recede are drawn first, so the highlighted ones cross over them.
    let mut order: Vec<usize> = (0..series.len()).collect();
    order.sort_by_key(|&s| figure.highlight.iter().any(|h| h == series[s].name));
    for (s, line) in order.into_iter().map(|s| (s, &series[s])) {
        let fill = key_fill(figure, colours[s], line.name);
        let mut run: Vec<(f64, f64)> = Vec::new();
        for (i, v) in line.values.iter().enumerate() {
            match v {
                Some(v) => run.push((x_of(i), y_of(*v))),
                None if run.len() > 1 => canvas.line(&std::mem::take(&mut run), fill, 3),
                None => run.clear(),
            }
        }
        if run.len() > 1 {
            canvas.line(&run, fill, 3);
        }
        let last = line.values.iter().rposition(Option::is_some);
        for (i, v) in line.values.iter().enumerate() {
            let Some(v) = v else { continue };
            canvas.circle(x_of(i), y_of(*v), 4.0, fill);
            let mut y = y_of(*v) - 4.0;
            if label_every || Some(i) == last {
                y = y_of(*v) - SMALL - 8.0;
                canvas.text(&unit.format(*v), x_of(i), y, Type { px: SMALL, bold: true, colour: INK }, Align::Middle);
            }
            points.push((line.name, i, x_of(i), y));
        }
    }
    for reference in &figure.references {
        let (a, b) = reference.span();
        if reference.to.is_none() {
            canvas.path(&[vec![(left, y_of(a)), (right, y_of(a))]], INK, 2, true);
        }
        reference_across(canvas, (left, right), figure, reference, (y_of(b), y_of(a)), false)?;
    }
    let shown: Vec<String> = labels.iter().map(|l| fit(l, SMALL, false, w)).collect();
    let widest = shown.iter().map(|l| text_width(l, SMALL, false)).fold(0.0, f64::max) + 12.0;
    let room = if n > 1 { (right - left) / (n - 1) as f64 } else { w };
    let every = (widest / room).ceil().max(1.0) as usize;
    let label_y = y_of(lo) + 12.0;
    for (i, label) in shown.iter().enumerate() {
        if i % every == 0 || i + 1 == n && (n - 1).is_multiple_of(every) {
            let half = text_width(label, SMALL, false) / 2.0;
            // Kept inside the chart; a label wider than the chart is centred on it.
            let x = if half * 2.0 < w { x_of(i).clamp(half, w - half) } else { w / 2.0 };
            canvas.text(label, x, label_y, Type { px: SMALL, bold: false, colour: INK }, Align::Middle);
        }
    }
    let index = |label: &str| labels.iter().position(|l| *l == label);
    let pins = annotate::pins(
        figure,
        w,
        |label, name| {
            let i = index(label)?;
            match (name, series.len()) {
                (Some(name), _) => points.iter().find(|p| p.0 == name && p.1 == i).map(|p| (p.2, p.3)),
                // One line: its point; several: the place on the axis.
                (None, 1) => points.iter().find(|p| p.1 == i).map(|p| (p.2, p.3)),
                (None, _) => Some((x_of(i), y_of(lo))),
            }
        },
        |v| (right, y_of(v)),
    );
    Ok((label_y + LINE, pins))
}

/// Each shaded period's label, centred over it in a row above the plot, a row lower where
/// it would meet the one before. Returns the y under the last row.
/// A label wider than the chart is refused at its line rather than cut short.
fn shade_labels(canvas: &mut Canvas, figure: &Figure, w: f64, top: f64, shade_x: &dyn Fn(&crate::figure::Shade) -> (f64, f64)) -> Result<f64> {
    let mut rows: Vec<Vec<(f64, f64)>> = Vec::new();
    for shade in &figure.shaded {
        let text = &shade.label;
        let width = text_width(text, SMALL, true);
        if width > w {
            return Err(Error::new(format!("the shaded period's label `{text}` is wider than the chart"))
                .at(shade.at.clone())
                .hint("shorten its `label` to a few words; the figure's note can say more"));
        }
        let (a, b) = shade_x(shade);
        let x = ((a + b) / 2.0 - width / 2.0).clamp(0.0, (w - width).max(0.0));
        let row = rows.iter().position(|r| r.iter().all(|&(x0, x1)| x + width + 8.0 <= x0 || x1 + 8.0 <= x)).unwrap_or(rows.len());
        if row == rows.len() {
            rows.push(Vec::new());
        }
        rows[row].push((x, x + width));
        canvas.text(text, x, top + row as f64 * LINE, Type { px: SMALL, bold: true, colour: MUTED }, Align::Start);
    }
    Ok(top + rows.len() as f64 * LINE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figure::Unit;

    #[test]
    fn what_is_not_highlighted_recedes_to_grey_and_the_description_says_what_is() {
        use crate::colour::Colour;
        let load = |extra: &str| {
            let text = format!("title: T\nsource: s\nchart: donut\nunit: percent\ndata:\n  - {{label: Facebook, value: 33}}\n  - {{label: Instagram, value: 20}}\n  - {{label: Other, value: 47}}\n{extra}");
            crate::figure::Figure::load("f", std::path::Path::new("f.yaml"), &text).unwrap()
        };
        let hex = |c: Colour| format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2);
        let third = super::super::canvas::colour(2).colour();
        let grey = hex(crate::colour::receded(third));
        let plain = draw(&load(""), 400, 0.0, false).unwrap().0;
        assert!(!plain.contains(&grey), "nothing recedes without a highlight");
        let highlighted = load("highlight: [Facebook, Instagram]\n");
        let svg = draw(&highlighted, 400, 0.0, false).unwrap().0;
        assert!(svg.contains(&hex(super::super::canvas::colour(0).colour())) && svg.contains(&hex(super::super::canvas::colour(1).colour())));
        assert!(svg.contains(&grey) && !svg.contains(&hex(third)), "Other recedes");
        for i in 0..8 {
            let receded = crate::colour::receded(super::super::canvas::colour(i).colour());
            for background in [Colour::WHITE, Colour(0x16, 0x18, 0x1d)] {
                assert!(crate::colour::contrast(receded, background) >= 3.0, "receded colour {i} keeps 3:1 on {background:?}");
            }
            assert_ne!(receded, REMAINDER.colour(), "a receded part is not taken for the remainder");
        }
        let words = super::super::describe(&highlighted);
        assert!(words.ends_with("The chart highlights Facebook and Instagram."), "{words}");
        assert!(super::super::describe(&highlighted.translated("cy")).ends_with("Mae'r siart yn amlygu Facebook ac Instagram."));
    }

    #[test]
    fn a_reference_line_is_labelled_where_it_covers_no_mark_and_no_words_at_any_width() {
        let load = |kind: &str, data: &str, label: &str| {
            let text = format!("title: T\nsource: s\nchart: {kind}\nunit: percent\ndata:\n{data}references:\n  - {{ value: 50, label: {label} }}\n");
            crate::figure::Figure::load("f", std::path::Path::new("f.yaml"), &text)
        };
        let data =
            "  - {label: Facebook, value: 32.6}\n  - {label: Instagram and WhatsApp, value: 19.8}\n  - {label: Facebook and the apps it owns, value: 52}\n";
        for kind in ["bar", "column"] {
            let figure = load(kind, data, "half of all cases").unwrap();
            // Every width band and share image layout: the words stand clear of each other
            // and of the marks.
            for (width, extra) in [(280, 0.0), (430, 0.0), (400, 0.0), (520, 180.0), (900, 120.0), (640, 400.0)] {
                let (canvas, _) = layout(&figure, width, extra).unwrap();
                let (texts, marks) = (canvas.text_rects(), canvas.rect_boxes());
                let label = texts.iter().find(|b| (b[2] - b[0] - text_width("half of all cases (50%)", SMALL, true)).abs() < 1.0);
                let label = label.unwrap_or_else(|| panic!("{kind} at {width}: the reference is labelled"));
                for other in texts.iter().filter(|b| *b != label) {
                    assert!(!overlaps(label, other), "{kind} at {width}+{extra}: {label:?} covers {other:?}");
                }
                if kind == "column" {
                    for mark in &marks {
                        assert!(!overlaps(label, mark), "{kind} at {width}+{extra}: {label:?} covers a column {mark:?}");
                    }
                }
                assert!(label[0] >= -0.5 && label[2] <= f64::from(width) + 0.5, "{kind} at {width}: inside the chart");
            }
            assert!(super::super::describe(&figure).contains("A line marks 50%: half of all cases."));
        }
        // Where no place beside the line is free, its words go in a key above the columns.
        let crowded = load("column", "  - {label: A, value: 80}\n  - {label: B, value: 90}\n", "most").unwrap();
        let (canvas, _) = layout(&crowded, 280, 0.0).unwrap();
        let texts = canvas.text_rects();
        let key = texts.iter().find(|b| (b[2] - b[0] - text_width("most (50%)", SMALL, true)).abs() < 1.0).expect("the key");
        assert!(key[0] >= 23.0 && key[1] < 1.0, "at the top, after its line sample: {key:?}");
        assert!(texts.iter().filter(|b| *b != key).all(|b| !overlaps(key, b)));
        // Words too long for two lines are refused at the reference, not cut short.
        let long = load("bar", data, &"a very long label ".repeat(8)).unwrap();
        let Err(refused) = layout(&long, 280, 0.0) else { panic!("a label too long is refused") };
        assert!(refused.message().contains("take more than two lines"), "{refused:?}");
        assert!(refused.location().is_some_and(|l| l.line.is_some_and(|(line, _, _)| line == 10)), "{refused:?}");
        assert!(load("donut", data, "half").unwrap_err().message().contains("a donut chart has no value axis"));
    }

    #[test]
    fn open_spans_leave_out_what_is_blocked() {
        assert_eq!(open_spans(0.0, 100.0, &[(10.0, 20.0), (15.0, 30.0), (90.0, 120.0)]), [(0.0, 10.0), (30.0, 90.0)]);
        assert_eq!(open_spans(0.0, 100.0, &[]), [(0.0, 100.0)]);
        assert!(open_spans(0.0, 10.0, &[(-5.0, 20.0)]).is_empty());
    }

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(ticks(0.0, 92.0), vec![0.0, 50.0, 100.0]);
        assert_eq!(ticks(0.0, 1628.0), vec![0.0, 500.0, 1000.0, 1500.0, 2000.0]);
        let t = ticks(-3.0, 7.0);
        assert!(t[0] <= -3.0 && *t.last().unwrap() >= 7.0);
    }

    #[test]
    fn ticks_at_the_extremes_are_distinct_and_finite() {
        let max = 999_999_999_999_999.0;
        for (lo, hi) in [(-max, max), (0.0, max), (-max, 0.0), (0.0, 0.01), (-0.01, 0.0), (-0.01, 0.01), (0.0, 1.0), (-max, 0.01)] {
            let marks = ticks(lo, hi);
            assert!(marks.len() >= 2 && marks[0] <= lo && *marks.last().unwrap() >= hi, "{lo}..{hi}: {marks:?}");
            let shown: Vec<String> = marks.iter().map(|t| Unit::PERCENT.format(*t)).collect();
            assert!(marks.iter().all(|t| t.is_finite()), "{marks:?}");
            assert!(shown.windows(2).all(|w| w[0] != w[1]), "{lo}..{hi}: two ticks read the same: {shown:?}");
        }
        assert_eq!(ticks(0.0, 0.01), vec![0.0, 0.01]);
    }

    #[test]
    fn donut_slices_are_true_arcs() {
        let text = "title: T\nsource: s\nchart: donut\nunit: percent\ntotal: 100\ndata:\n  - {label: a, value: 75}\n  - {label: b, value: 5}\n";
        let figure = crate::figure::Figure::load("f", std::path::Path::new("f.yaml"), text).unwrap();
        let svg = crate::chart::svg(&figure).unwrap();
        assert!(!svg.contains("<polygon"), "{svg}");
        let paths: Vec<&str> = svg.split("<path ").skip(1).collect();
        assert_eq!(paths.len(), 3, "a, b and the remainder: {svg}");
        // Three quarters: the outer arc takes the long way round (large-arc flag 1).
        assert!(paths[0].starts_with("fill=\"#1D4E89\" d=\"M88 4A84 84 0 1 1 4 88L38 88A50 50 0 1 0 88 38Z\""), "{}", paths[0]);
        assert!(paths[1].contains(" 0 0 1 ") && paths[1].contains(" 0 0 0 "), "{}", paths[1]);
        // A single part is the whole ring: two halves, since an arc cannot end where it starts.
        let whole = crate::figure::Figure::load(
            "f",
            std::path::Path::new("f.yaml"),
            "title: T\nsource: s\nchart: donut\nunit: count\ndata:\n  - {label: a, value: 3}\n",
        )
        .unwrap();
        assert_eq!(crate::chart::svg(&whole).unwrap().matches("<path ").count(), 2);
    }

    #[test]
    fn a_line_label_wider_than_the_chart_is_drawn() {
        let label = "Every force in the region that answered the request, ".repeat(4);
        let text = format!("title: T\nsource: s\nchart: line\nunit: count\ndata:\n  - {{label: \"{label}\", value: 3}}\n  - {{label: b, value: 5}}\n");
        let figure = crate::figure::Figure::load("f", std::path::Path::new("f.yaml"), &text).unwrap();
        let svg = crate::chart::svg(&figure).unwrap();
        assert!(svg.contains("Every force in the region"), "{svg}");
    }

    #[test]
    fn domain_always_includes_zero() {
        assert_eq!(domain([5.0, 10.0].into_iter()), (0.0, 10.0));
        assert_eq!(domain([-5.0, 10.0].into_iter()), (-5.0, 10.0));
        assert_eq!(domain(std::iter::empty()), (0.0, 1.0));
    }
}
