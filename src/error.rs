//! The one error type of the pipeline: what went wrong, where, and what to do about it.
//!
//! Every stage reports problems as [`Error`] values. An error carries the file it is about
//! (relative to the site root), the line and column when they are known, the line of source
//! itself so the user sees it with a caret under the problem, and a hint in plain words.
//! Several errors can travel together, so that `check` can report all problems at once.

use std::fmt;
use std::path::{Path, PathBuf};

/// Where a problem is: a file, and inside it a line and column when they are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file, as the user would type it from the site root (`content/index.md`).
    pub file: PathBuf,
    /// 1-based line and column, and the width of the underlined span in characters.
    pub line: Option<(usize, usize, usize)>,
    /// The part of that line around the problem, shown under the message.
    pub source_line: Option<Excerpt>,
}

/// How many characters of a line are shown on either side of a problem. A whole line could
/// be a megabyte long, and one error per link on it would print it a thousand times over.
pub const CONTEXT_CHARS: usize = 40;
/// The most characters of a problem that are shown (and underlined) after its start.
pub const SPAN_CHARS: usize = 60;

/// A window of a source line around a problem, as it is shown: at most [`CONTEXT_CHARS`]
/// before it and [`SPAN_CHARS`] plus [`CONTEXT_CHARS`] from its start, with `…` where the
/// line goes on, and tabs and control characters drawn one column wide so that the caret
/// stays under the right character.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    pub text: String,
    /// Characters of `text` before the problem.
    pub caret: usize,
    /// Characters of the line shown from the problem on.
    pub after: usize,
}

impl Excerpt {
    /// The window made of the line's text `before` the problem and `after` its start.
    fn around(before: &str, after: &str) -> Excerpt {
        let shown_before: Vec<char> = before.chars().rev().take(CONTEXT_CHARS + 1).collect();
        let cut_left = shown_before.len() > CONTEXT_CHARS;
        let mut text = String::new();
        if cut_left {
            text.push('…');
        }
        text.extend(shown_before.iter().rev().skip(usize::from(cut_left)).map(|&c| visible(c)));
        let caret = text.chars().count();
        let limit = SPAN_CHARS + CONTEXT_CHARS;
        let mut chars = after.chars();
        text.extend(chars.by_ref().take(limit).map(visible));
        let after = text.chars().count() - caret;
        if chars.next().is_some() {
            text.push('…');
        }
        Excerpt { text, caret, after }
    }
}

/// A character as one terminal column: a tab or an invisible character would shift the caret.
fn visible(c: char) -> char {
    let code = c as u32;
    match c {
        '\t' => ' ',
        c if c.is_control() || (0xFDD0..=0xFDEF).contains(&code) || code & 0xFFFE == 0xFFFE => '\u{fffd}',
        c => c,
    }
}

impl Location {
    /// A whole file, with no line.
    pub fn file(file: impl Into<PathBuf>) -> Self {
        Location { file: file.into(), line: None, source_line: None }
    }

    /// The place of byte `offset` in `text`, underlining `len` bytes (at least one character).
    /// `first_line` is the line of the file on which `text` starts (1 for a whole file).
    /// Reads `text` up to `offset`; for many places in one text, use a [`LineIndex`].
    pub fn in_text(file: impl Into<PathBuf>, text: &str, offset: usize, len: usize, first_line: usize) -> Self {
        Location::from_mark(file.into(), text, Mark::START, offset, len, first_line)
    }

    /// [`Location::in_text`], starting from the nearest mark of `index`, so that finding
    /// every place in a long text takes time in proportion to the text, not its square.
    pub fn indexed(file: impl Into<PathBuf>, text: &str, index: &LineIndex, offset: usize, len: usize) -> Self {
        let mark = index.marks[index.marks.partition_point(|m| m.byte <= offset).saturating_sub(1)];
        Location::from_mark(file.into(), text, mark, offset, len, 1)
    }

    fn from_mark(file: PathBuf, text: &str, mark: Mark, offset: usize, len: usize, first_line: usize) -> Self {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let mark = if mark.byte <= offset { mark } else { Mark::START };
        let here = mark.advance(&text[mark.byte..offset]);
        // Only the window around the problem is read back and forth, never the whole line.
        let back = text[..offset].char_indices().rev().take(CONTEXT_CHARS + 1).take_while(|(_, c)| *c != '\n').last().map_or(offset, |(i, _)| i);
        let line_rest = &text[offset..];
        let reach = line_rest.char_indices().nth(SPAN_CHARS + CONTEXT_CHARS + 1).map_or(line_rest.len(), |(i, _)| i);
        let ahead = &line_rest[..reach];
        let ahead = ahead.find('\n').map_or(ahead, |i| &ahead[..i]);
        let ahead = if ahead.len() < reach { ahead.trim_end_matches('\r') } else { ahead };
        let width = line_rest[..floor_char_boundary(line_rest, len.min(line_rest.len()))].chars().take_while(|c| *c != '\n').count().max(1);
        Location { file, line: Some((here.line + first_line, here.column + 1, width)), source_line: Some(Excerpt::around(&text[back..offset], ahead)) }
    }

    /// A 1-based line and column in `text` (whose first line is line 1 of the file).
    pub fn at_line(file: impl Into<PathBuf>, text: &str, line: usize, column: usize) -> Self {
        let (line, column) = (line.max(1), column.max(1));
        let source_line = text.lines().nth(line - 1).map(|src| {
            let at = src.char_indices().nth(column - 1).map_or(src.len(), |(i, _)| i);
            let reach = src[at..].char_indices().nth(SPAN_CHARS + CONTEXT_CHARS + 1).map_or(src.len(), |(i, _)| at + i);
            Excerpt::around(&src[..at], &src[at..reach])
        });
        Location { file: file.into(), line: Some((line, column, 1)), source_line }
    }
}

/// Where lines start in a text, every few kilobytes: a place's line and column are then
/// counted from the mark before it, not from the start of the text or of its line.
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    marks: Vec<Mark>,
}

/// A byte of a text and its 0-based line and column (in characters).
#[derive(Debug, Clone, Copy)]
struct Mark {
    byte: usize,
    line: usize,
    column: usize,
}

impl Mark {
    const START: Mark = Mark { byte: 0, line: 0, column: 0 };

    /// This mark moved to the end of `span`, which starts at it.
    fn advance(self, span: &str) -> Mark {
        let (mut line, mut column) = (self.line, self.column);
        for &b in span.as_bytes() {
            if b == b'\n' {
                line += 1;
                column = 0;
            } else if b & 0xC0 != 0x80 {
                column += 1;
            }
        }
        Mark { byte: self.byte + span.len(), line, column }
    }
}

impl LineIndex {
    const STRIDE: usize = 4096;

    pub fn new(text: &str) -> LineIndex {
        let mut marks = vec![Mark::START];
        let mut last = Mark::START;
        while last.byte + LineIndex::STRIDE < text.len() {
            let next = floor_char_boundary(text, last.byte + LineIndex::STRIDE).max(last.byte + 1);
            let next = (next..=text.len()).find(|&i| text.is_char_boundary(i)).unwrap_or(text.len());
            last = last.advance(&text[last.byte..next]);
            marks.push(last);
        }
        LineIndex { marks }
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A problem found while building a site. See the module docs.
///
/// Boxed, so that it is one pointer wide: every `Result` of the pipeline carries an `Error`,
/// and most are `Ok`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(Box<Problem>);

/// What an [`Error`] holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    message: String,
    location: Option<Location>,
    hint: Option<String>,
    /// A warning is reported but does not fail the build.
    warning: bool,
    /// How many more problems exactly like this one were found on the same line.
    repeats: usize,
    more: Vec<Error>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A problem described in plain words.
    pub fn new(message: impl Into<String>) -> Self {
        Error(Box::new(Problem { message: message.into(), location: None, hint: None, warning: false, repeats: 0, more: Vec::new() }))
    }

    /// A problem worth knowing about that does not stop the build.
    pub fn warning(message: impl Into<String>) -> Self {
        let mut error = Error::new(message);
        error.warning = true;
        error
    }

    pub fn is_warning(&self) -> bool {
        self.warning
    }

    /// Every problem held, in order.
    pub fn all(&self) -> impl Iterator<Item = &Error> {
        std::iter::once(self).chain(self.more.iter())
    }

    /// How many of the problems held are errors, not warnings.
    pub fn error_count(&self) -> usize {
        self.all().filter(|e| !e.warning).map(|e| 1 + e.repeats).sum()
    }

    /// The problems as the terminal shows them, coloured when `colour` is set.
    pub fn report(&self, colour: bool) -> String {
        let paint = Paint { on: colour };
        let mut out = String::new();
        for (i, e) in self.all().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            e.write_one(&mut out, paint);
        }
        out
    }

    /// An input/output failure on `path`.
    pub fn io(action: &str, path: &Path, err: std::io::Error) -> Self {
        Error::new(format!("could not {action} `{}`: {}", path.display(), io_reason(&err)))
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    /// Names what the problem is about, at the start of its message: "`content/a.jpg`: …", for a
    /// problem with a file that is reported at the place that uses it.
    pub fn about(mut self, subject: &str) -> Self {
        self.message = format!("`{subject}`: {}", self.message);
        self
    }

    pub fn in_file(self, file: impl Into<PathBuf>) -> Self {
        self.at(Location::file(file))
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Gathers several errors into one, or `None` when there are none. Problems that are the
    /// same in every word and on the same line are kept once, with their count: a line of
    /// 8,000 copies of one broken link is one problem to fix, and every other problem is
    /// still shown.
    pub fn collect(errors: impl IntoIterator<Item = Error>) -> Option<Error> {
        let mut kept: Vec<Error> = Vec::new();
        let mut seen: std::collections::HashMap<SameKind, usize> = std::collections::HashMap::new();
        for error in errors.into_iter().flat_map(Error::into_list) {
            match seen.entry(SameKind::of(&error)) {
                std::collections::hash_map::Entry::Occupied(at) => kept[*at.get()].repeats += 1 + error.repeats,
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(kept.len());
                    kept.push(error);
                }
            }
        }
        let mut all = kept.into_iter();
        let mut first = all.next()?;
        first.more = all.collect();
        Some(first)
    }

    /// This problem, followed by `others` (when there are any).
    pub fn and(mut self, others: Option<Error>) -> Error {
        self.more.extend(others.into_iter().flat_map(Error::into_list));
        self
    }

    /// Every problem held, each on its own.
    pub fn into_list(mut self) -> Vec<Error> {
        let more = std::mem::take(&mut self.more);
        let mut list = vec![self];
        list.extend(more.into_iter().flat_map(Error::into_list));
        list
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn location(&self) -> Option<&Location> {
        self.location.as_ref()
    }

    pub fn hint_text(&self) -> Option<&str> {
        self.hint.as_deref()
    }

    /// How many problems this error holds, each repeat counted.
    pub fn count(&self) -> usize {
        self.all().map(|e| 1 + e.repeats).sum()
    }

    /// How many more problems exactly like this one were found on the same line.
    pub fn repeats(&self) -> usize {
        self.repeats
    }

    fn write_one(&self, out: &mut String, p: Paint) {
        use std::fmt::Write as _;
        let (label, tone) = if self.warning { ("warning", YELLOW) } else { ("error", RED) };
        let _ = writeln!(out, "{}{}", p.paint(label, tone), p.paint(&format!(": {}", self.message), BOLD));
        let help = |out: &mut String, pad: &str| {
            if self.repeats > 0 {
                let place = match self.location() {
                    Some(Location { line: Some(_), .. }) => " on this line",
                    Some(_) => " in this file",
                    None => "",
                };
                let _ = writeln!(out, "{pad} {} … and {} more like this{place}", p.paint("= note:", CYAN), thousands(self.repeats));
            }
            if let Some(hint) = &self.hint {
                let _ = writeln!(out, "{pad} {} {hint}", p.paint("= help:", CYAN));
            }
        };
        let Some(loc) = &self.location else {
            help(out, " ");
            return;
        };
        let file = loc.file.display();
        match (loc.line, &loc.source_line) {
            (Some((line, col, width)), Some(src)) => {
                let pad = " ".repeat(line.to_string().len());
                let bar = p.paint("|", BLUE);
                let _ = writeln!(out, "{pad}{} {file}:{line}:{col}", p.paint("-->", BLUE));
                let _ = writeln!(out, "{pad} {bar}");
                let _ = writeln!(out, "{} {bar} {}", p.paint(&line.to_string(), BLUE), src.text);
                let width = width.min(SPAN_CHARS).min(src.after).max(1);
                let _ = writeln!(out, "{pad} {bar} {}{}", " ".repeat(src.caret), p.paint(&"^".repeat(width), tone));
                help(out, &pad);
            }
            (Some((line, col, _)), None) => {
                let _ = writeln!(out, " {} {file}:{line}:{col}", p.paint("-->", BLUE));
                help(out, " ");
            }
            _ => {
                let _ = writeln!(out, " {} {file}", p.paint("-->", BLUE));
                help(out, " ");
            }
        }
    }
}

/// What makes two problems the same: every word of them, and the line they are on.
#[derive(PartialEq, Eq, Hash)]
struct SameKind {
    message: String,
    hint: Option<String>,
    warning: bool,
    place: Option<(PathBuf, Option<usize>)>,
}

impl SameKind {
    fn of(e: &Error) -> SameKind {
        let place = e.location().map(|l| (l.file.clone(), l.line.map(|(line, ..)| line)));
        SameKind { message: e.message.clone(), hint: e.hint.clone(), warning: e.warning, place }
    }
}

/// `7999` as `7,999`.
fn thousands(n: usize) -> String {
    crate::numbers::grouped(&n.to_string())
}

const RED: &str = "1;31";
const YELLOW: &str = "1;33";
const BLUE: &str = "1;34";
const CYAN: &str = "1;36";
const BOLD: &str = "1";

/// ANSI colour, or none.
#[derive(Clone, Copy)]
struct Paint {
    on: bool,
}

impl Paint {
    fn paint(self, text: &str, code: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

impl std::ops::Deref for Error {
    type Target = Problem;
    fn deref(&self) -> &Problem {
        &self.0
    }
}

impl std::ops::DerefMut for Error {
    fn deref_mut(&mut self) -> &mut Problem {
        &mut self.0
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.report(false))
    }
}

impl std::error::Error for Error {}

/// The OS error in words, without Rust's `(os error 2)` suffix.
fn io_reason(err: &std::io::Error) -> String {
    let text = err.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// The candidate closest to `word` by edit distance, when it is close enough to be a typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word_lc = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (edit_distance(&word_lc, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count().max(word.chars().count()) / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Edit distance in characters, counting a swap of two neighbours as one edit (so that
/// `titel` is one step from `title`).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

/// "did you mean `x`?" when a candidate is close, else the list of what is allowed.
pub fn suggestion<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str> + Clone) -> String {
    match did_you_mean(word, candidates.clone()) {
        Some(c) => format!("did you mean `{c}`?"),
        None => {
            let list: Vec<String> = candidates.into_iter().map(|c| format!("`{c}`")).collect();
            if list.is_empty() {
                "there is nothing of that kind yet".to_string()
            } else {
                format!("expected one of {}", list.join(", "))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_file_line_caret_and_hint() {
        let text = "title: x\nchart: pie\n";
        let err = Error::new("unknown chart kind `pie`").at(Location::in_text("content/figures/a.yaml", text, 16, 3, 1)).hint("did you mean `bar`?");
        let shown = err.to_string();
        assert_eq!(
            shown,
            "error: unknown chart kind `pie`\n --> content/figures/a.yaml:2:8\n  |\n2 | chart: pie\n  |        ^^^\n  = help: did you mean `bar`?\n"
        );
    }

    #[test]
    fn colour_only_when_asked() {
        let err = Error::new("x").in_file("a.md").hint("y");
        assert!(!err.report(false).contains('\x1b'));
        assert!(err.report(true).contains("\x1b[1;31merror\x1b[0m"));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let loc = Location::in_text("a.md", "ŵŷ {{ x }}", 5, 2, 10);
        assert_eq!(loc.line, Some((10, 4, 2)));
    }

    #[test]
    fn case_8_long_lines_are_shown_as_a_window_with_the_caret_in_place() {
        let text = format!("{}\tbroken ŵ{}", "ŷ".repeat(5000), "x".repeat(5000));
        let offset = text.find("broken").unwrap();
        for loc in [Location::in_text("a.md", &text, offset, 6, 1), Location::indexed("a.md", &text, &LineIndex::new(&text), offset, 6)] {
            assert_eq!(loc.line, Some((1, 5002, 6)));
            let excerpt = loc.source_line.as_ref().unwrap();
            assert!(excerpt.text.starts_with('…') && excerpt.text.ends_with('…'), "{}", excerpt.text);
            assert_eq!(excerpt.text.chars().count(), 1 + CONTEXT_CHARS + SPAN_CHARS + CONTEXT_CHARS + 1);
            let shown = Error::new("broken").at(loc).to_string();
            let lines: Vec<&str> = shown.lines().collect();
            let caret = lines[4].chars().position(|c| c == '^').unwrap();
            assert_eq!(lines[3].chars().nth(caret), Some('b'), "{shown}");
            assert_eq!(lines[3].chars().nth(caret - 1), Some(' '), "the tab is one column");
        }
    }

    #[test]
    fn case_8_marks_find_lines_and_columns_far_into_a_text() {
        let text = "a\nŵŵŵ\n".repeat(3000);
        let index = LineIndex::new(&text);
        for offset in [0, 2, 4, 9, 4096, 9000, text.len() - 3] {
            let plain = Location::in_text("a.md", &text, offset, 1, 1);
            assert_eq!(Location::indexed("a.md", &text, &index, offset, 1), plain, "{offset}");
        }
    }

    #[test]
    fn case_8_identical_problems_on_one_line_are_counted_once() {
        let text = "[a](/x/) [a](/x/) [b](/y/)\n[a](/x/)";
        let broken = |at: usize| Error::new(format!("no page at `{}`", &text[at + 4..at + 7])).at(Location::in_text("a.md", text, at, 8, 1));
        let all = Error::collect([broken(0), broken(9), broken(18), broken(27)]).unwrap();
        assert_eq!(all.into_list().iter().map(Error::repeats).collect::<Vec<_>>(), vec![1, 0, 0]);
        let all = Error::collect([broken(0), broken(9), broken(18), broken(27)]).unwrap();
        assert_eq!(all.count(), 4);
        assert!(all.to_string().contains("… and 1 more like this on this line"), "{all}");
        assert_eq!(thousands(7999), "7,999");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn collects_many() {
        assert!(Error::collect(Vec::new()).is_none());
        let all = Error::collect([Error::new("a"), Error::warning("b"), Error::new("c")]).unwrap();
        assert_eq!(all.count(), 3);
        assert_eq!(all.error_count(), 2);
        assert!(all.to_string().contains("warning: b"));
    }

    #[test]
    fn suggests_close_words_only() {
        assert_eq!(did_you_mean("titel", ["title", "source"]), Some("title"));
        assert_eq!(did_you_mean("zzzzzz", ["title", "source"]), None);
        assert_eq!(suggestion("bra", ["bar", "column"]), "did you mean `bar`?");
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("titel", "title"), 1);
    }
}
