//! What a figure points at beyond its data: reference lines and bands across the value axis
//! (`references:`), shaded periods of a line chart (`shaded:`) and short notes pinned to a
//! data point, a category or a value (`annotations:`). This module reads them from the file
//! and refuses, at their line, any that the chart could not show; the chart stage places
//! them and the description reads them out.

use super::{suggestion, Body, ChartKind, Checker, Error, Figure, Location, Number, Result};
use serde::Deserialize;

/// The most characters of a note: a few words that point at the finding. More belongs in
/// the figure's `note`, which has room for it.
pub const NOTE_CHARS: usize = 90;

/// A line across a chart's value axis (`{ value: 50, label: half of all cases }`), or a band
/// across it (`{ from: 40, to: 60, label: … }`, with `to` set), with its words. `at` is where
/// the file gives it, for a chart with no room to label it.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    /// The line's value, or the band's lower end.
    pub value: f64,
    /// The band's upper end; none for a line.
    pub to: Option<f64>,
    pub label: String,
    pub at: Location,
}

impl Reference {
    /// The values it covers: the line's value twice, or the band's two ends.
    pub fn span(&self) -> (f64, f64) {
        (self.value, self.to.unwrap_or(self.value))
    }
}

/// A period of a line chart shaded with its label: from one category to another, both
/// included. `from` and `to` index the categories as the figure holds them.
#[derive(Debug, Clone, PartialEq)]
pub struct Shade {
    pub from: usize,
    pub to: usize,
    pub label: String,
    pub at: Location,
}

/// A short note pinned to something on the chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Annotation {
    pub text: String,
    pub target: Target,
    pub at: Location,
}

/// What a note points at.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A data point: the label (a category), and the series where there are several. A
    /// category of several series, without one named, is a place on the category axis.
    Mark { label: String, series: Option<String> },
    /// A place on the value axis.
    Value(f64),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawReference {
    value: Option<Number>,
    from: Option<Number>,
    to: Option<Number>,
    label: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawShade {
    from: String,
    to: String,
    label: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAnnotation {
    text: String,
    label: Option<String>,
    series: Option<String>,
    value: Option<Number>,
}

/// The kinds with a value axis, which take references and annotations.
fn has_value_axis(kind: ChartKind) -> bool {
    matches!(kind, ChartKind::Bar | ChartKind::Column | ChartKind::Line | ChartKind::Dot)
}

impl Figure {
    /// Reads `references:`, `shaded:` and `annotations:` into the figure, each refused at its
    /// line where the chart could not show it.
    pub(super) fn take_annotations(
        &mut self,
        check: &Checker,
        references: Vec<RawReference>,
        shaded: Vec<RawShade>,
        annotations: Vec<RawAnnotation>,
    ) -> Result<()> {
        for raw in references {
            let reference = self.reference(check, raw)?;
            self.references.push(reference);
        }
        for raw in shaded {
            let shade = self.shade(check, raw)?;
            self.shaded.push(shade);
        }
        for raw in annotations {
            let annotation = self.annotation(check, raw)?;
            self.annotations.push(annotation);
        }
        Ok(())
    }

    fn reference(&self, check: &Checker, RawReference { value, from, to, label }: RawReference) -> Result<Reference> {
        let label = crate::typography::smart_text(label.trim());
        let at = located(check, &label);
        if !has_value_axis(self.kind) {
            return Err(Error::new(format!("a {} has no value axis to draw a reference line across", self.kind.name()))
                .at(at)
                .hint("reference lines and bands go on bar, column, line and dot charts; say the value in the title or note instead"));
        }
        if label.is_empty() {
            return Err(Error::new("a reference line needs a `label` that says what its value means").at(at).hint("such as `label: half of all cases`"));
        }
        let (value, to) = match (value, from, to) {
            (Some(value), None, None) => (value.0, None),
            (None, Some(from), Some(to)) if from.0 < to.0 => (from.0, Some(to.0)),
            (None, Some(from), Some(to)) => {
                return Err(Error::new(format!("the band runs from {} to {}: `from` must be the smaller", from.0, to.0))
                    .at(at)
                    .hint("give `from` the lower end of the band and `to` the higher"));
            }
            _ => {
                return Err(Error::new("a reference is a line at a `value`, or a band `from` one value `to` another")
                    .at(at)
                    .hint("write `{ value: 50, label: … }` for a line, or `{ from: 40, to: 60, label: … }` for a band"));
            }
        };
        Ok(Reference { value, to, label, at })
    }

    fn shade(&self, check: &Checker, RawShade { from, to, label }: RawShade) -> Result<Shade> {
        let label = crate::typography::smart_text(label.trim());
        let at = located(check, &label);
        if self.kind != ChartKind::Line {
            return Err(Error::new(format!("a {} has no periods to shade", self.kind.name()))
                .at(at)
                .hint("`shaded` marks a period of a line chart; on other kinds, say it in an annotation or the note"));
        }
        if label.is_empty() {
            return Err(Error::new("a shaded period needs a `label` that says what happened then").at(at).hint("such as `label: lockdown`"));
        }
        let categories = self.categories();
        let find = |name: &str| {
            categories.iter().position(|c| *c == name.trim()).ok_or_else(|| {
                check.error(format!("`{}` is no category of this figure", name.trim()), name.trim(), &suggestion(name.trim(), categories.iter().copied()))
            })
        };
        let (from_at, to_at) = (find(&from)?, find(&to)?);
        if from_at > to_at {
            return Err(Error::new(format!("the shaded period runs from `{}` back to `{}`", from.trim(), to.trim()))
                .at(at)
                .hint("give `from` the earlier category and `to` the later, as the chart shows them"));
        }
        Ok(Shade { from: from_at, to: to_at, label, at })
    }

    fn annotation(&self, check: &Checker, RawAnnotation { text, label, series, value }: RawAnnotation) -> Result<Annotation> {
        let text = crate::typography::smart_text(text.trim());
        let at = located(check, &text);
        if !has_value_axis(self.kind) {
            return Err(Error::new(format!("a {} takes no annotations", self.kind.name()))
                .at(at)
                .hint("annotations go on bar, column, line and dot charts; on this kind, highlight the part or say it in the note"));
        }
        if text.is_empty() {
            return Err(Error::new("an annotation needs its `text`").at(at).hint("a few words that point at the finding"));
        }
        if shown_chars(&text) > NOTE_CHARS {
            return Err(Error::new(format!("the annotation is {} characters long; a note on a chart has room for {NOTE_CHARS}", shown_chars(&text)))
                .at(at)
                .hint("keep it to a few words; the figure's `note` can say more"));
        }
        let target = match (label, series, value) {
            (Some(label), series, None) => {
                let labels = self.categories();
                if !labels.contains(&label.trim()) {
                    let message = format!("`{}` is no label or category of this figure", label.trim());
                    return Err(check.error(message, label.trim(), &suggestion(label.trim(), labels.iter().copied())));
                }
                let names = self.series_names();
                match series {
                    Some(name) if !names.contains(&name.trim()) => {
                        let message = format!("`{}` is no series of this figure", name.trim());
                        return Err(check.error(message, name.trim(), &suggestion(name.trim(), names.iter().copied())));
                    }
                    _ => {}
                }
                Target::Mark { label: label.trim().to_string(), series: series.map(|s| s.trim().to_string()) }
            }
            (None, None, Some(value)) => Target::Value(value.0),
            (None, Some(_), _) => {
                return Err(Error::new("an annotation on a series needs the `label` of its point")
                    .at(at)
                    .hint("such as `{ text: …, label: 2023, series: Girls }`"))
            }
            _ => {
                return Err(Error::new("an annotation points at a `label` (and a `series`), or at a `value` on the axis, not both")
                    .at(at)
                    .hint("write `{ text: …, label: Facebook }` or `{ text: …, value: 50 }`"));
            }
        };
        Ok(Annotation { text, target, at })
    }

    /// The words it draws on the chart beyond its data, with where each is written: each
    /// note, reference label and shaded period's label, in that order.
    pub(super) fn chart_words(&self) -> Vec<(&String, &Location)> {
        let notes = self.annotations.iter().map(|a| (&a.text, &a.at));
        notes.chain(self.references.iter().map(|r| (&r.label, &r.at))).chain(self.shaded.iter().map(|s| (&s.label, &s.at))).collect()
    }

    /// [`Figure::chart_words`], each with the key of its list.
    pub(super) fn chart_words_keyed(&self) -> Vec<(&'static str, String)> {
        let notes = self.annotations.iter().map(|a| ("annotations", a.text.clone()));
        notes.chain(self.references.iter().map(|r| ("references", r.label.clone()))).chain(self.shaded.iter().map(|s| ("shaded", s.label.clone()))).collect()
    }

    /// [`Figure::chart_words`], to fill, in the same order.
    pub(super) fn chart_words_mut(&mut self) -> Vec<&mut String> {
        let notes = self.annotations.iter_mut().map(|a| &mut a.text);
        notes.chain(self.references.iter_mut().map(|r| &mut r.label)).chain(self.shaded.iter_mut().map(|s| &mut s.label)).collect()
    }

    /// Its labels, or categories, as the figure holds them.
    pub(crate) fn categories(&self) -> Vec<&str> {
        match &self.body {
            Body::Single { points, .. } => points.iter().map(|p| p.label.as_str()).collect(),
            Body::Multi { categories, .. } => categories.iter().map(String::as_str).collect(),
        }
    }

    /// Its series' names; none for a chart of one series.
    pub(crate) fn series_names(&self) -> Vec<&str> {
        match &self.body {
            Body::Single { .. } => Vec::new(),
            Body::Multi { series, .. } => series.iter().map(|s| s.name.as_str()).collect(),
        }
    }
}

/// About how many characters `text` shows: a `{{ … }}` call counts as a short number.
fn shown_chars(text: &str) -> usize {
    let mut count = 0;
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        count += rest[..open].chars().count() + 4;
        rest = rest[open..].find("}}").map_or("", |close| &rest[open + close + 2..]);
    }
    count + rest.chars().count()
}

/// Where `needle` stands in the figure's file, or the file itself.
fn located(check: &Checker, needle: &str) -> Location {
    check.error(String::new(), needle, "").location().cloned().unwrap_or_else(|| Location::file(check.file))
}

#[cfg(test)]
mod tests {
    use crate::figure::{Figure, Target};
    use std::path::Path;

    const COLUMNS: &str = "title: T\nsource: s\nchart: column\nunit: percent\ndata:\n  - { label: Facebook, value: 33 }\n  - { label: Instagram, value: 20 }\n";
    const LINE: &str = "title: T\nsource: s\nchart: line\nunit: count\ncategories: [\"2019\", \"2020\", \"2021\"]\nseries:\n  - { name: Girls, values: [1, 2, 3] }\n  - { name: Boys, values: [2, 2, 2] }\n";

    fn load(text: &str) -> crate::error::Result<Figure> {
        Figure::load("f", Path::new("f.yaml"), text)
    }

    /// The refusal of `text`: its message, line and hint.
    fn refused(text: &str) -> (String, usize, String) {
        let e = load(text).expect_err("refused");
        let line = e.location().and_then(|l| l.line).map_or(0, |l| l.0);
        (e.message().to_string(), line, e.hint_text().unwrap_or_default().to_string())
    }

    #[test]
    fn lines_bands_periods_and_notes_are_read_as_written() {
        let figure = load(&format!(
            "{LINE}references:\n  - {{ value: 2, label: Level }}\n  - {{ from: 1, to: 1.5, label: Usual range }}\nshaded:\n  - {{ from: \"2020\", to: \"2021\", label: Lockdown }}\nannotations:\n  - {{ text: Girls pass boys, label: \"2021\", series: Girls }}\n  - {{ text: The goal, value: 2.5 }}\n"
        ))
        .unwrap();
        assert_eq!(figure.references.iter().map(|r| (r.value, r.to)).collect::<Vec<_>>(), [(2.0, None), (1.0, Some(1.5))]);
        assert_eq!((figure.shaded[0].from, figure.shaded[0].to, figure.shaded[0].label.as_str()), (1, 2, "Lockdown"));
        assert_eq!(figure.annotations[0].target, Target::Mark { label: "2021".into(), series: Some("Girls".into()) });
        assert_eq!(figure.annotations[1].target, Target::Value(2.5));
        assert_eq!(figure.annotations[1].at.line.map(|l| l.0), Some(16));
    }

    #[test]
    fn what_a_chart_could_not_show_is_refused_at_its_line_with_a_hint() {
        let (message, line, hint) = refused(&format!("{COLUMNS}annotations:\n  - {{ text: Most, label: Facebok }}\n"));
        assert!(message.contains("`Facebok` is no label") && hint.contains("Facebook"), "{message} / {hint}");
        assert_eq!(line, 9);
        let (message, line, hint) = refused(&format!("{LINE}annotations:\n  - {{ text: Most, label: \"2020\", series: Girsl }}\n"));
        assert!(message.contains("`Girsl` is no series") && hint.contains("Girls"), "{message} / {hint}");
        assert_eq!(line, 10);
        let (message, line, _) = refused(&format!("{COLUMNS}shaded:\n  - {{ from: Facebook, to: Instagram, label: Both }}\n"));
        assert!(message.contains("column chart has no periods to shade"), "{message}");
        assert_eq!(line, 9);
        let (message, _, hint) = refused(&format!("{LINE}shaded:\n  - {{ from: \"2021\", to: \"2019\", label: Back }}\n"));
        assert!(message.contains("from `2021` back to `2019`") && hint.contains("earlier"), "{message}");
        let (message, _, hint) = refused(&format!("{LINE}shaded:\n  - {{ from: \"2018\", to: \"2019\", label: Before }}\n"));
        assert!(message.contains("`2018` is no category") && hint.contains("2019"), "{message} / {hint}");
        let (message, line, _) = refused(&format!("{COLUMNS}references:\n  - {{ from: 60, to: 40, label: Range }}\n"));
        assert!(message.contains("`from` must be the smaller"), "{message}");
        assert_eq!(line, 9);
        let (message, _, hint) = refused(&format!("{COLUMNS}references:\n  - {{ value: 50, to: 60, label: Range }}\n"));
        assert!(message.contains("a line at a `value`, or a band") && hint.contains("from: 40"), "{message}");
        let donut = COLUMNS.replace("chart: column", "chart: donut");
        let (message, _, _) = refused(&format!("{donut}annotations:\n  - {{ text: Most, label: Facebook }}\n"));
        assert!(message.contains("donut chart takes no annotations"), "{message}");
        let long = "word ".repeat(20);
        let (message, line, _) = refused(&format!("{COLUMNS}annotations:\n  - {{ text: {long}, label: Facebook }}\n"));
        assert!(message.contains("a note on a chart has room for 90"), "{message}");
        assert_eq!(line, 9);
        let (message, _, _) = refused(&format!("{COLUMNS}annotations:\n  - {{ text: Both, label: Facebook, value: 3 }}\n"));
        assert!(message.contains("not both"), "{message}");
    }

    #[test]
    fn notes_periods_and_bands_take_their_words_in_each_language_and_pin_to_its_names() {
        let figure = load(&format!(
            "{LINE}references:\n  - {{ from: 1, to: 1.5, label: Usual range }}\nshaded:\n  - {{ from: \"2020\", to: \"2021\", label: Lockdown }}\nannotations:\n  - {{ text: Girls pass boys, label: \"2021\", series: Girls }}\ntranslations:\n  cy:\n    series: {{ Girls: Merched }}\n    references: {{ Usual range: Ystod arferol }}\n    shaded: {{ Lockdown: Cyfnod clo }}\n    annotations: {{ Girls pass boys: Merched yn pasio bechgyn }}\n"
        ))
        .unwrap();
        let welsh = figure.translated("cy");
        assert_eq!(welsh.annotations[0].target, Target::Mark { label: "2021".into(), series: Some("Merched".into()) });
        assert_eq!((welsh.annotations[0].text.as_str(), welsh.shaded[0].label.as_str()), ("Merched yn pasio bechgyn", "Cyfnod clo"));
        assert_eq!(welsh.references[0].label, "Ystod arferol");
        let (message, _, hint) =
            refused(&format!("{LINE}annotations:\n  - {{ text: Up, value: 2 }}\ntranslations:\n  cy:\n    annotations: {{ Upp: I fyny }}\n"));
        assert!(message.contains("`Upp` under `translations` is no annotation") && hint.contains("Up"), "{message} / {hint}");
    }
}
