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
    /// The text of that line, shown under the message.
    pub source_line: Option<String>,
}

impl Location {
    /// A whole file, with no line.
    pub fn file(file: impl Into<PathBuf>) -> Self {
        Location { file: file.into(), line: None, source_line: None }
    }

    /// The place of byte `offset` in `text`, underlining `len` bytes (at least one character).
    /// `first_line` is the line of the file on which `text` starts (1 for a whole file).
    pub fn in_text(file: impl Into<PathBuf>, text: &str, offset: usize, len: usize, first_line: usize) -> Self {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let line_no = text[..line_start].matches('\n').count() + first_line;
        let column = text[line_start..offset].chars().count() + 1;
        let end = floor_char_boundary(text, (offset + len).min(line_end));
        let width = text[offset..end].chars().count().max(1);
        Location {
            file: file.into(),
            line: Some((line_no, column, width)),
            source_line: Some(text[line_start..line_end].trim_end_matches('\r').to_string()),
        }
    }

    /// A 1-based line and column in `text` (whose first line is line 1 of the file).
    pub fn at_line(file: impl Into<PathBuf>, text: &str, line: usize, column: usize) -> Self {
        let source_line = text.lines().nth(line.saturating_sub(1)).map(str::to_string);
        Location { file: file.into(), line: Some((line.max(1), column.max(1), 1)), source_line }
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A problem found while building a site. See the module docs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    message: String,
    location: Option<Location>,
    hint: Option<String>,
    /// A warning is reported but does not fail the build.
    warning: bool,
    more: Vec<Error>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A problem described in plain words.
    pub fn new(message: impl Into<String>) -> Self {
        Error { message: message.into(), location: None, hint: None, warning: false, more: Vec::new() }
    }

    /// A problem worth knowing about that does not stop the build.
    pub fn warning(message: impl Into<String>) -> Self {
        Error { warning: true, ..Error::new(message) }
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
        self.all().filter(|e| !e.warning).count()
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

    pub fn in_file(self, file: impl Into<PathBuf>) -> Self {
        self.at(Location::file(file))
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Gathers several errors into one, or `None` when there are none.
    pub fn collect(errors: impl IntoIterator<Item = Error>) -> Option<Error> {
        let mut all = errors.into_iter().flat_map(Error::into_list);
        let mut first = all.next()?;
        first.more = all.collect();
        Some(first)
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

    /// How many problems this error holds.
    pub fn count(&self) -> usize {
        1 + self.more.len()
    }

    fn write_one(&self, out: &mut String, p: Paint) {
        use std::fmt::Write as _;
        let (label, tone) = if self.warning { ("warning", YELLOW) } else { ("error", RED) };
        let _ = writeln!(out, "{}{}", p.paint(label, tone), p.paint(&format!(": {}", self.message), BOLD));
        let help = |out: &mut String, pad: &str| {
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
                let _ = writeln!(out, "{} {bar} {}", p.paint(&line.to_string(), BLUE), src.replace('\t', " "));
                let _ = writeln!(out, "{pad} {bar} {}{}", " ".repeat(col - 1), p.paint(&"^".repeat(width), tone));
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
    for j in 0..=b.len() {
        d[0][j] = j;
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
        let err = Error::new("unknown chart kind `pie`")
            .at(Location::in_text("content/figures/a.yaml", text, 16, 3, 1))
            .hint("did you mean `bar`?");
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
