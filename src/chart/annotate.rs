//! Annotations on the chart: each note set beside the point, category or value it is pinned
//! to, where it covers no mark and no words, with a thin line back to its point when it
//! stands apart. Each kind says where its notes are pinned ([`Pin`]); this module finds each
//! a place, in the order the file gives them, from the canvas's own boxes of text and marks.
//! A note that fits nowhere beside the chart's marks goes above the chart, in room the
//! chart keeps for it ([`Canvas::with_headroom`]); one too long for that is refused.

use super::canvas::{text_width, wrap, Align, Canvas, Type, INK, MUTED, SMALL};
use crate::figure::{Annotation, Figure, Target};

/// A line of a note's text.
const LINE: f64 = SMALL * 1.25;
/// The most lines a note takes.
const LINES: usize = 3;
/// The least room between a note and what it must not cover.
const CLEAR: f64 = 3.0;

/// A note and the point it is pinned to, as the chart is drawn.
pub(super) struct Pin<'a> {
    pub note: &'a Annotation,
    pub x: f64,
    pub y: f64,
}

/// Where the kinds find a note's point: the mark of `label` (in `series`, where given) or
/// the place of a value on the axis, as the kind's `mark` and `value` say.
pub(super) fn pins<'a>(
    figure: &'a Figure,
    width: f64,
    mark: impl Fn(&str, Option<&str>) -> Option<(f64, f64)>,
    value: impl Fn(f64) -> (f64, f64),
) -> Vec<Pin<'a>> {
    figure
        .annotations
        .iter()
        .filter_map(|note| {
            let (x, y) = match &note.target {
                Target::Mark { label, series } => mark(label, series.as_deref())?,
                Target::Value(v) => value(*v),
            };
            Some(Pin { note, x: x.clamp(1.0, (width - 1.0).max(1.0)), y })
        })
        .collect()
}

/// A note as placed: its lines and the top left of its box.
struct Placed {
    lines: Vec<String>,
    x: f64,
    y: f64,
    width: f64,
}

impl Placed {
    fn rect(&self) -> [f64; 4] {
        [self.x, self.y, self.x + self.width, self.y + LINE * self.lines.len() as f64]
    }
}

/// Sets each of `pins` on `canvas`, `w` wide, between `top` and `bottom`: beside its point
/// where that is clear, else further off with a line back to it. Returns the index of the
/// first note with no clear place, having drawn none.
pub(super) fn place(canvas: &mut Canvas, w: f64, (top, bottom): (f64, f64), pins: &[Pin]) -> Result<(), usize> {
    let mut words = canvas.text_rects();
    let marks = canvas.marks();
    let mut placed = Vec::new();
    for (i, pin) in pins.iter().enumerate() {
        let Some(note) = find(pin, w, (top, bottom), &words, &marks) else { return Err(i) };
        words.push(note.rect());
        placed.push((pin, note));
    }
    for (pin, note) in placed {
        let [x0, y0, x1, y1] = note.rect();
        // From the point to the nearest edge of the note, where they stand apart.
        let (nx, ny) = (pin.x.clamp(x0, x1), pin.y.clamp(y0, y1));
        if (nx - pin.x).hypot(ny - pin.y) > 8.0 && line_is_clear((pin.x, pin.y), &note.rect(), &words) {
            canvas.line(&[(pin.x, pin.y), (nx, ny)], MUTED, 1);
        }
        for (n, line) in note.lines.iter().enumerate() {
            canvas.text(line, note.x, note.y + n as f64 * LINE, Type { px: SMALL, bold: false, colour: INK }, Align::Start);
        }
    }
    Ok(())
}

/// The first clear place for `pin`'s note: its text wrapped narrow, then wider; beside the
/// point, above it first, then further off; last, at the top of the room above the chart.
fn find(pin: &Pin, w: f64, (top, bottom): (f64, f64), words: &[[f64; 4]], marks: &[[f64; 4]]) -> Option<Placed> {
    let shapes = [w * 0.4, w * 0.6, w].into_iter().map(|max| wrap(&pin.note.text, SMALL, false, max.max(120.0).min(w), LINES));
    for lines in shapes {
        if lines.join(" ").split_whitespace().ne(pin.note.text.split_whitespace()) {
            continue;
        }
        let width = lines.iter().map(|l| text_width(l, SMALL, false)).fold(0.0, f64::max);
        let height = LINE * lines.len() as f64;
        let (px, py) = (pin.x, pin.y);
        let centred = (px - width / 2.0).clamp(0.0, (w - width).max(0.0));
        let mut spots = Vec::new();
        for d in [6.0, 20.0, 40.0, 64.0] {
            spots.extend([
                (centred, py - d - height),
                (px + d, py - height / 2.0),
                (px - d - width, py - height / 2.0),
                (px + d * 0.7, py - d * 0.7 - height),
                (px - d * 0.7 - width, py - d * 0.7 - height),
                (centred, py + d),
                (px + d * 0.7, py + d * 0.7),
                (px - d * 0.7 - width, py + d * 0.7),
            ]);
        }
        // Last, in the room above the chart (each note a row lower than the one before),
        // over its point: there it may stand without a line back.
        let above: Vec<(f64, f64)> = (0..).map(|row| (centred, top + 2.0 + LINE * f64::from(row))).take_while(|(_, y)| *y + height <= 0.0).collect();
        spots.extend(&above);
        let clear = |spot: &(f64, f64)| {
            let (x, y) = *spot;
            let rect = [x, y, x + width, y + height];
            let inside = x >= 0.0 && x + width <= w && y >= top && y + height <= bottom;
            inside && !words.iter().chain(marks).any(|t| covers(&rect, t)) && (above.contains(spot) || line_is_clear((px, py), &rect, words))
        };
        if let Some((x, y)) = spots.into_iter().find(clear) {
            return Some(Placed { lines, x, y, width });
        }
    }
    None
}

/// Whether `a`, with room around it, covers `b`.
fn covers(a: &[f64; 4], b: &[f64; 4]) -> bool {
    a[0] - CLEAR < b[2] && b[0] < a[2] + CLEAR && a[1] - CLEAR < b[3] && b[1] < a[3] + CLEAR
}

/// Whether the line from `point` to the nearest edge of `rect` crosses none of `words`
/// beyond its first few units, which leave the point.
fn line_is_clear(point: (f64, f64), rect: &[f64; 4], words: &[[f64; 4]]) -> bool {
    let to = (point.0.clamp(rect[0], rect[2]), point.1.clamp(rect[1], rect[3]));
    let length = (to.0 - point.0).hypot(to.1 - point.1);
    if length <= 8.0 {
        return true;
    }
    // The words beside the point (a mark's own value) are what the line leaves from.
    let near = |b: &&[f64; 4]| b[0] - 6.0 <= point.0 && point.0 <= b[2] + 6.0 && b[1] - 6.0 <= point.1 && point.1 <= b[3] + 6.0;
    let others: Vec<&[f64; 4]> = words.iter().filter(|b| !near(b)).collect();
    let steps = (length / 2.0).ceil() as usize;
    (0..=steps).map(|i| i as f64 / steps as f64).filter(|t| t * length > 6.0).all(|t| {
        let (x, y) = (point.0 + (to.0 - point.0) * t, point.1 + (to.1 - point.1) * t);
        !others.iter().any(|b| b[0] <= x && x <= b[2] && b[1] <= y && y <= b[3])
    })
}

/// The height a note of `text` takes above the chart, at its narrowest wrap in `w`.
pub(super) fn height_above(text: &str, w: f64) -> f64 {
    LINE * wrap(text, SMALL, false, w, LINES).len() as f64 + 8.0
}

#[cfg(test)]
mod tests {
    use crate::chart::canvas::Canvas;
    use crate::chart::layout::assert_readable_and;
    use crate::figure::Figure;
    use std::path::Path;

    /// The story fixture's figures: a line chart with a shaded period, a reference and two
    /// notes; columns with a band and a note; bars with a line and a note; a dot plot with
    /// a line and a note.
    fn story() -> Vec<Figure> {
        [
            ("trend", include_str!("../../tests/fixtures/story/content/figures/trend.yaml")),
            ("columns", include_str!("../../tests/fixtures/story/content/figures/columns.yaml")),
            ("bars", include_str!("../../tests/fixtures/story/content/figures/bars.yaml")),
            ("dots", include_str!("../../tests/fixtures/story/content/figures/dots.yaml")),
        ]
        .into_iter()
        .map(|(id, text)| Figure::load(id, Path::new(&format!("{id}.yaml")), text).unwrap())
        .collect()
    }

    /// Whether boxes `a` and `b` (left, top, right, bottom) share any area.
    fn meet(a: &[f64; 4], b: &[f64; 4]) -> bool {
        a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
    }

    #[test]
    fn notes_cover_no_mark_and_no_words_at_any_width_band_or_image_size() {
        for figure in story() {
            let note_lines: Vec<String> = figure.annotations.iter().map(|a| a.text.clone()).collect();
            let draw = |canvas: &mut Canvas, w: f64, extra: f64| {
                let (drawn, height) = super::super::draw::layout(&figure, w as u32, extra).unwrap();
                *canvas = drawn;
                height
            };
            let also = |canvas: &Canvas, w: f64, at: &str| {
                let boxes = canvas.text_boxes();
                let notes: Vec<_> = boxes.iter().filter(|b| note_lines.iter().any(|n| n.contains(b.text.as_str()))).collect();
                let words: String = notes.iter().map(|b| b.text.as_str()).collect::<Vec<_>>().join(" ");
                for note in &note_lines {
                    assert!(words.contains(note.as_str()), "{} at {at}: the note `{note}` is drawn whole: {words}", figure.id);
                }
                let marks = canvas.marks();
                for b in &notes {
                    let rect = [b.x0, b.y0, b.x1, b.y1];
                    assert!(b.x0 >= 0.0 && b.x1 <= w, "{} at {at}: `{}` stays inside the chart", figure.id, b.text);
                    if let Some(mark) = marks.iter().find(|m| meet(&rect, m)) {
                        panic!("{} at {at}: the note `{}` covers a mark at {mark:?}", figure.id, b.text);
                    }
                }
            };
            let counts = assert_readable_and(&figure, &draw, &also);
            assert!(counts.iter().all(Option::is_some), "{}: every layout keeps the chart", figure.id);
        }
    }

    #[test]
    fn a_note_that_fits_nowhere_is_refused_at_its_line() {
        let text = "title: T\nsource: s\nchart: column\nunit: count\ndata:\n  - { label: A, value: 3 }\n  - { label: B, value: 5 }\nannotations:\n  - { text: Llanfairpwllgwyngyllgogerychwyrndrobwllllantysiliogogogoch, label: B }\n";
        let figure = Figure::load("f", Path::new("f.yaml"), text).unwrap();
        let refused = super::super::draw::layout(&figure, 280, 0.0).err().expect("a note wider than the chart is refused");
        let at = refused.location().expect("at the note");
        assert_eq!(at.line.map(|l| l.0), Some(9), "{refused:?}");
        assert!(refused.message().contains("no room for the annotation"), "{}", refused.message());
    }

    #[test]
    fn notes_that_meet_above_the_chart_take_a_row_each() {
        let text = "title: T\nsource: s\nchart: column\nunit: count\ndata:\n  - { label: A, value: 5 }\n  - { label: B, value: 5 }\n  - { label: C, value: 5 }\n  - { label: D, value: 5 }\n  - { label: E, value: 5 }\nannotations:\n  - { text: The first of two long notes, label: B }\n  - { text: The second of two long notes, label: C }\n  - { text: A third note over the rest, label: D }\n";
        let figure = Figure::load("f", Path::new("f.yaml"), text).unwrap();
        let (canvas, _) = super::super::draw::layout(&figure, 280, 0.0).unwrap();
        let boxes = canvas.text_boxes();
        for (i, a) in boxes.iter().enumerate() {
            for b in &boxes[i + 1..] {
                assert!(!a.overlaps(b), "`{}` overlaps `{}`", a.text, b.text);
            }
        }
        assert!(canvas.headroom() > 0.0, "crowded columns send their notes above the chart");
    }

    #[test]
    fn the_description_reads_out_bands_periods_and_notes_in_each_language() {
        let text = "title: T\nsource: s\nchart: line\nunit: count\ncategories: [\"2019\", \"2020\", \"2021\"]\nseries:\n  - { name: Girls, values: [1, 2, 3] }\n  - { name: Boys, values: [2, 2, 2] }\nreferences:\n  - { from: 1, to: 1.5, label: Usual range }\nshaded:\n  - { from: \"2020\", to: \"2021\", label: Lockdown }\n  - { from: \"2019\", to: \"2019\", label: Before }\nannotations:\n  - { text: Girls pass boys, label: \"2021\", series: Girls }\n  - { text: The goal, value: 2.5 }\ntranslations:\n  cy:\n    series: { Girls: Merched }\n    references: { Usual range: Ystod arferol }\n    shaded: { Lockdown: Cyfnod clo, Before: Cyn }\n    annotations: { Girls pass boys: Merched yn pasio bechgyn, The goal: Y nod }\n";
        let figure = Figure::load("f", Path::new("f.yaml"), text).unwrap();
        let english = crate::chart::describe(&figure);
        for sentence in [
            "A band marks 1 to 1.5: Usual range.",
            "The period from 2020 to 2021 is shaded: Lockdown.",
            "2019 is shaded: Before.",
            "A note at Girls for 2021 reads: “Girls pass boys”.",
            "A note at 2.5 reads: “The goal”.",
        ] {
            assert!(english.contains(sentence), "{sentence} in {english}");
        }
        let welsh = crate::chart::describe(&figure.translated("cy"));
        for sentence in [
            "Mae band yn nodi 1 i 1.5: Ystod arferol.",
            "Mae'r cyfnod o 2020 i 2021 wedi'i arlliwio: Cyfnod clo.",
            "Mae 2019 wedi'i arlliwio: Cyn.",
            "Mae nodyn wrth Merched ar gyfer 2021 yn dweud: “Merched yn pasio bechgyn”.",
        ] {
            assert!(welsh.contains(sentence), "{sentence} in {welsh}");
        }
    }
}
