//! Layout and drawing of each chart kind. Labels and values are written on the chart itself
//! (direct labelling), so a reader needs no legend lookup where it can be avoided.

use super::canvas::{fit, series_colours, text_on, text_width, wrap, Align, Canvas, Paint, Type, BACKGROUND, GRID, INK, LABEL, MUTED, REMAINDER, SMALL};
use crate::error::{Error, Result};
use crate::figure::{Body, ChartKind, Figure, Unit};
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
    let mut canvas = Canvas::new(width);
    let w = f64::from(width);
    let plot_h = (200.0 + extra).clamp(120.0, 640.0);
    let count = match &figure.body {
        Body::Single { points, .. } => points.len(),
        Body::Multi { series, .. } => series.len(),
    };
    let colours = series_colours(&figure.colours.iter().map(|c| c.colour).collect::<Vec<_>>(), count);
    let height = match (figure.kind, &figure.body) {
        (ChartKind::Bar, Body::Single { points, .. }) => {
            let rows: Vec<(&str, Option<f64>)> = points.iter().map(|p| (p.label.as_str(), p.value)).collect();
            bars(&mut canvas, w, &rows, figure, colours[0], extra)
        }
        (ChartKind::Column, _) | (ChartKind::Line, _) => {
            let (labels, series) = as_series(figure);
            if figure.kind == ChartKind::Column {
                columns(&mut canvas, w, &labels, &series, &colours, figure.unit, plot_h)
            } else {
                lines(&mut canvas, w, &labels, &series, &colours, figure.unit, plot_h)
            }
        }
        (ChartKind::StackedBar, Body::Multi { categories, series, .. }) => stacked(&mut canvas, w, figure, categories, series, &colours, extra),
        (ChartKind::Donut, Body::Single { points, .. }) => donut(&mut canvas, w, figure, points, &colours, extra),
        (ChartKind::TileMap, Body::Single { .. }) => super::tilemap::draw(&mut canvas, w, figure, extra)?,
        _ => return Err(Error::new(format!("a {} cannot show this data", figure.kind.name()))),
    };
    let height = height.ceil().max(1.0);
    canvas.finish(height, themed).map(|svg| (svg, height))
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
fn bars(canvas: &mut Canvas, w: f64, rows: &[(&str, Option<f64>)], figure: &Figure, fill: Paint, extra: f64) -> f64 {
    let unit = figure.unit;
    let (bar, gap) = grown(extra, rows.len());
    let texts: Vec<Option<String>> = rows.iter().map(|(_, v)| v.map(|v| unit.format(v))).collect();
    let value_w = texts.iter().flatten().map(|t| text_width(t, LABEL, true)).fold(0.0, f64::max) + 10.0;
    let (lo, hi) = domain(rows.iter().filter_map(|r| r.1));
    let left = if lo < 0.0 { value_w } else { 0.0 };
    let span = w - value_w - left;
    let x_of = |v: f64| left + (v - lo) / (hi - lo) * span;
    let mut y = 0.0;
    for ((label, value), text) in rows.iter().zip(&texts) {
        for line in wrap(label, LABEL, false, w, LABEL_LINES) {
            canvas.text(&line, 0.0, y, Type { px: LABEL, bold: false, colour: INK }, Align::Start);
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
            }
            // A line of text, not a bar: it keeps a bar's usual room, not a grown one.
            _ => {
                canvas.text(&figure.language.words().get("not_reported"), x_of(0.0), y + 6.0, Type { px: SMALL, bold: false, colour: MUTED }, Align::Start);
                y -= bar - BAR;
            }
        }
        y += bar + gap;
    }
    if lo < 0.0 {
        canvas.line(&[(x_of(0.0), 0.0), (x_of(0.0), y - gap)], INK, 1);
    }
    y - gap + 2.0
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
fn columns(canvas: &mut Canvas, w: f64, labels: &[&str], series: &[Line], colours: &[Paint], unit: Unit, plot_h: f64) -> f64 {
    let mut top = 0.0;
    if series.len() > 1 {
        let items: Vec<(&str, Paint)> = series.iter().zip(colours).map(|(s, c)| (s.name, *c)).collect();
        top = legend(canvas, w, &items, 0.0);
    }
    let plot_top = top + LINE + 4.0;
    let (lo, hi) = domain(series.iter().flat_map(|s| s.values.iter().flatten().copied()));
    let y_of = |v: f64| plot_top + (hi - v) / (hi - lo) * plot_h;
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
                    canvas.rect(x0, y0, x0 + bar_w, y1, colours[s]);
                    let text = unit.format(v);
                    if text_width(&text, size, true) <= slot / series.len() as f64 + 2.0 {
                        let ty = if v >= 0.0 { y1 - size - 5.0 } else { y1 + 4.0 };
                        canvas.text(&text, centre, ty, Type { px: size, bold: true, colour: INK }, Align::Middle);
                    }
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
        for line in wrap(label, label_size, false, slot - 6.0, LABEL_LINES) {
            canvas.text(&line, centre, y, Type { px: label_size, bold: false, colour: INK }, Align::Middle);
            y += LINE;
        }
        bottom = f64::max(bottom, y);
    }
    label_top = bottom;
    label_top
}

/// One bar per category, split into its series, with the category's total. Where the chart
/// is wide (a share image), each category's name sits beside its bar rather than above it,
/// so that the chart is short enough to be read in a link preview.
fn stacked(canvas: &mut Canvas, w: f64, figure: &Figure, categories: &[String], series: &[crate::figure::Series], colours: &[Paint], extra: f64) -> f64 {
    let unit = figure.unit;
    let (bar, gap) = grown(extra, categories.len());
    let mut items: Vec<(&str, Paint)> = series.iter().zip(colours).map(|(s, c)| (s.name.as_str(), *c)).collect();
    let remainders: Vec<Option<f64>> = (0..categories.len()).map(|i| figure.remainder_of(i)).collect();
    if remainders.iter().flatten().any(|r| *r > 0.0) {
        items.push((figure.remainder.as_str(), REMAINDER));
    }
    let whole = |i: usize| series.iter().filter_map(|s| s.values[i]).sum::<f64>() + remainders[i].unwrap_or(0.0).max(0.0);
    let max = (0..categories.len()).map(whole).fold(0.0, f64::max).max(f64::MIN_POSITIVE);
    let totals: Vec<String> = (0..categories.len()).map(|i| figure.language.words().fill("in_all", &[("value", &unit.format(whole(i)))])).collect();
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
            .filter_map(|(line, c)| line.values[i].map(|v| (line.name.as_str(), v, *c)))
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
    let mut parts: Vec<(&str, f64, Paint)> = points.iter().zip(colours).filter_map(|(p, c)| p.value.map(|v| (p.label.as_str(), v, *c))).collect();
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
        for line in wrap(label, LABEL, false, legend_w - 22.0, LABEL_LINES) {
            canvas.text(&line, legend_x + 22.0, y, Type { px: LABEL, bold: false, colour: INK }, Align::Start);
            y += LINE;
        }
        canvas.text(&unit.format(*v), legend_x + 22.0, y, Type { px: LABEL, bold: true, colour: INK }, Align::Start);
        y += LINE + 12.0;
    }
    f64::max(2.0 * outer + 8.0, y)
}

/// Round tick values covering `lo..hi`: steps of 1, 2 or 5 times a power of ten, and never
/// finer than the hundredth a figure's number is shown to, so no two ticks read the same.
fn ticks(lo: f64, hi: f64) -> Vec<f64> {
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

/// Lines over categories, with a light grid and values at the points.
fn lines(canvas: &mut Canvas, w: f64, labels: &[&str], series: &[Line], colours: &[Paint], unit: Unit, plot_h: f64) -> f64 {
    let mut top = 8.0;
    if series.len() > 1 {
        let items: Vec<(&str, Paint)> = series.iter().zip(colours).map(|(s, c)| (s.name, *c)).collect();
        top = legend(canvas, w, &items, 0.0);
    }
    let (lo, hi) = domain(series.iter().flat_map(|s| s.values.iter().flatten().copied()));
    let marks = ticks(lo, hi);
    let (lo, hi) = (marks[0], *marks.last().unwrap_or(&hi));
    let tick_w = marks.iter().map(|t| text_width(&unit.tick(*t), SMALL, false)).fold(0.0, f64::max);
    let (left, right) = (tick_w + 10.0, w - 24.0);
    let plot_top = top + 14.0;
    let y_of = |v: f64| plot_top + (hi - v) / (hi - lo).max(f64::MIN_POSITIVE) * plot_h;
    let n = labels.len();
    let x_of = |i: usize| if n == 1 { (left + right) / 2.0 } else { left + (right - left) * i as f64 / (n - 1) as f64 };
    for t in &marks {
        let y = y_of(*t);
        canvas.line(&[(left, y), (right, y)], if *t == 0.0 { MUTED } else { GRID }, 1);
        canvas.text(&unit.tick(*t), left - 8.0, y - 9.0, Type { px: SMALL, bold: false, colour: MUTED }, Align::End);
    }
    let label_every = series.len() == 1 && n <= 8;
    for (s, line) in series.iter().enumerate() {
        let fill = colours[s];
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
            if label_every || Some(i) == last {
                canvas.text(&unit.format(*v), x_of(i), y_of(*v) - SMALL - 8.0, Type { px: SMALL, bold: true, colour: INK }, Align::Middle);
            }
        }
    }
    let labels: Vec<String> = labels.iter().map(|l| fit(l, SMALL, false, w)).collect();
    let widest = labels.iter().map(|l| text_width(l, SMALL, false)).fold(0.0, f64::max) + 12.0;
    let room = if n > 1 { (right - left) / (n - 1) as f64 } else { w };
    let every = (widest / room).ceil().max(1.0) as usize;
    let label_y = y_of(lo) + 12.0;
    for (i, label) in labels.iter().enumerate() {
        if i % every == 0 || i + 1 == n && (n - 1).is_multiple_of(every) {
            let half = text_width(label, SMALL, false) / 2.0;
            // Kept inside the chart; a label wider than the chart is centred on it.
            let x = if half * 2.0 < w { x_of(i).clamp(half, w - half) } else { w / 2.0 };
            canvas.text(label, x, label_y, Type { px: SMALL, bold: false, colour: INK }, Align::Middle);
        }
    }
    label_y + LINE
}

#[cfg(test)]
mod tests {
    use super::*;

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
