//! All YAML reading: site.yaml, front matter and figure files go through [`parse`].
//!
//! serde_yaml is deprecated upstream, so it is kept behind this one door. Before the text
//! reaches it, a byte-order mark is dropped and [`check_depth`] refuses nesting deeper than
//! [`MAX_DEPTH`] in one linear pass (libyaml's own scanner takes time that grows with the
//! square of the depth, long before serde_yaml's limit applies), a comma that splits a number
//! inside brackets, and a bracket left open. Its errors are rewritten here
//! into plain words, with the file, line and column, and a hint: an unknown key gets "did you
//! mean …?", a missing key gets an example line to add, a tab or a colon in plain text gets
//! its fix, and a path such as `data[1]` reads "the second row of `data`". While it reads, a
//! number can ask [`written_in_quotes`] whether it was typed as text. A message that still carries a Rust
//! or serde word is replaced by a plain one, so none reaches a campaigner.

use crate::error::{suggestion, Error, Location, Result};
use serde::de::{DeserializeOwned, DeserializeSeed};
use std::fmt::Display;
use std::path::Path;

/// Free-form YAML, for settings soapbox passes through to templates untouched.
pub use serde_yaml::Value;

/// How many levels deep YAML may nest, counting flow brackets (`[`, `{`) and block levels
/// (indentation, and each `- ` or `? ` that opens a level on the same line) together. A figure
/// needs four; serde_yaml gives up at 128, but only after a parse whose time grows with the
/// square of the depth, so the text is refused before that parse starts.
pub const MAX_DEPTH: usize = 64;

/// A piece of YAML and where it sits: the whole of `file`, or front matter starting on `first_line`.
pub struct YamlText<'a> {
    pub file: &'a Path,
    pub text: &'a str,
    pub first_line: usize,
}

/// Deserializes `src`, turning any failure into an [`Error`] that points into the user's file.
pub fn parse<T: DeserializeOwned>(src: &YamlText) -> Result<T> {
    let src = &without_bom(src);
    check_depth(src)?;
    let _reading = Reading::start(src.text);
    serde_yaml::from_str(src.text).map_err(|err| translate(&err, src))
}

/// [`parse`] with a seed, for a second reading of text that [`parse`] has already accepted.
pub fn parse_seed<'a, S: DeserializeSeed<'a>>(src: &YamlText<'a>, seed: S) -> Result<S::Value> {
    let src = &without_bom(src);
    check_depth(src)?;
    let _reading = Reading::start(src.text);
    seed.deserialize(serde_yaml::Deserializer::from_str(src.text)).map_err(|err| translate(&err, src))
}

thread_local! {
    /// The text that [`parse`] is reading on this thread, and its address, for [`written_in_quotes`].
    static READING: std::cell::RefCell<Option<(usize, String)>> = const { std::cell::RefCell::new(None) };
}

/// Marks the text being read for as long as it lives.
struct Reading;

impl Reading {
    fn start(text: &str) -> Reading {
        READING.with(|r| *r.borrow_mut() = Some((text.as_ptr() as usize, text.to_string())));
        Reading
    }
}

impl Drop for Reading {
    fn drop(&mut self) {
        READING.with(|r| *r.borrow_mut() = None);
    }
}

/// Whether a scalar that a `Deserialize` impl was handed was written in quotes (or as a block
/// scalar) in the text [`parse`] is reading, so that a number typed as `"12"` can be refused
/// as text. serde_yaml hands over a plain or simply quoted scalar as a slice of the text itself
/// (`borrowed`), so the byte before it tells; any other scalar it has rebuilt, which a plain
/// one-line scalar never needs. Outside [`parse`] nothing is known, and this says no.
pub fn written_in_quotes(scalar: &str, borrowed: bool) -> bool {
    READING.with(|r| {
        let reading = r.borrow();
        let Some((start, text)) = reading.as_ref() else { return false };
        if !borrowed {
            return true;
        }
        let at = (scalar.as_ptr() as usize).wrapping_sub(*start);
        at > 0 && at <= text.len() && matches!(text.as_bytes()[at - 1], b'"' | b'\'')
    })
}

/// An error for a `Deserialize` impl to return, already in plain words: [`parse`] shows
/// `message` and `hint` as they are, at the value's line and column.
pub fn refusal<E: serde::de::Error>(message: impl Display, hint: impl Display) -> E {
    E::custom(format_args!("{PLAIN}{message}{PLAIN}{hint}"))
}

/// Marks a [`refusal`] inside serde_yaml's message; no YAML text can put it there.
const PLAIN: char = '\u{1}';

/// Editors on Windows start UTF-8 files with a byte-order mark; YAML would read it as part of
/// the first key. It is invisible, so columns are counted without it.
fn without_bom<'a>(src: &YamlText<'a>) -> YamlText<'a> {
    YamlText { file: src.file, text: src.text.strip_prefix('\u{feff}').unwrap_or(src.text), first_line: src.first_line }
}

/// Refuses, in one pass over the text, what YAML would read wrongly or slowly: nesting deeper
/// than [`MAX_DEPTH`], a number split by a comma inside `{ }` or `[ ]` (`value: 1,200`, which
/// YAML reads as `1` and a key `200`), and a `{` or `[` left open when a new row starts. It
/// reads just enough YAML to tell structure from text: quoted scalars, comments, block
/// scalars (`|`, `>`), and brackets inside plain text (`note: see [1]`), which open nothing.
pub fn check_depth(src: &YamlText) -> Result<()> {
    let at = |offset: usize, len: usize| Location::in_text(src.file, src.text, offset, len, src.first_line);
    match Depth::default().scan(src.text) {
        None => Ok(()),
        Some(Problem::TooDeep(offset)) => Err(Error::new(format!("the YAML here is nested more than {MAX_DEPTH} levels deep"))
            .at(at(offset, 1))
            .hint("no setting or figure needs this many levels of brackets or indentation; remove the extra levels, or put the text in quotes")),
        Some(Problem::SplitNumber(offset, len)) => {
            let written = &src.text[offset..offset + len];
            let (commas, plain) = (written.matches(',').count(), written.replace(',', ""));
            let the_comma = if commas == 1 { "the comma" } else { "the commas" };
            Err(Error::new(format!("{the_comma} in `{written}` split the number: inside `{{ }}` or `[ ]`, YAML reads a comma as the end of a value"))
                .at(at(offset, len))
                .hint(format!("write {plain}, without {the_comma}: soapbox adds them when it shows the number")))
        }
        Some(Problem::Unclosed(offset, open)) => Err(unclosed(src, offset, open)),
    }
}

/// The `{` or `[` at `offset` in `text`, never closed. The hint shows its line closed.
fn unclosed(src: &YamlText, offset: usize, open: u8) -> Error {
    let (open, close) = if open == b'{' { ('{', '}') } else { ('[', ']') };
    let line_start = src.text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = src.text[line_start..].lines().next().unwrap_or("").trim();
    Error::new(format!("this `{open}` is never closed"))
        .at(Location::in_text(src.file, src.text, offset, 1, src.first_line))
        .hint(format!("close it with `{close}` at the end of its row: `{line} {close}`"))
}

enum Problem {
    TooDeep(usize),
    /// A number such as `1,200` inside brackets: its offset and length.
    SplitNumber(usize, usize),
    /// The offset of a bracket still open where a new row starts, and the bracket.
    Unclosed(usize, u8),
}

#[derive(Default)]
struct Depth {
    /// Open `[` and `{`.
    flow: usize,
    /// The outermost open bracket: its offset, the indentation of its line, and the bracket.
    opened: Option<(usize, usize, u8)>,
    /// The offset of the current line in the text.
    line_start: usize,
    /// The columns of the open block levels.
    indents: Vec<usize>,
    /// The quote mark of a quoted scalar that is still open.
    quote: Option<u8>,
    /// Inside a `|` or `>` block scalar, the indentation its lines must exceed.
    block_scalar: Option<usize>,
    /// The next character may open a node: a flow collection or a quoted scalar.
    node_start: bool,
    /// Where the plain scalar being read inside brackets starts on this line.
    plain_start: Option<usize>,
}

impl Depth {
    /// The first problem, if there is one.
    fn scan(mut self, text: &str) -> Option<Problem> {
        for line in text.split_inclusive('\n') {
            if let Some(problem) = self.line(line.as_bytes()) {
                return Some(problem);
            }
            self.line_start += line.len();
        }
        // YAML may read on past a bracket left open to the end, and fail on something else.
        self.opened.filter(|_| self.quote.is_none()).map(|(offset, _, open)| Problem::Unclosed(offset, open))
    }

    fn too_deep(&self, i: usize) -> Option<Problem> {
        (self.flow + self.indents.len() > MAX_DEPTH).then_some(Problem::TooDeep(self.line_start + i))
    }

    fn line(&mut self, line: &[u8]) -> Option<Problem> {
        let indent = line.iter().take_while(|&&b| b == b' ').count();
        let blank = line[indent..].iter().all(|b| b.is_ascii_whitespace());
        if let Some(parent) = self.block_scalar {
            if blank || indent > parent {
                return None;
            }
            self.block_scalar = None;
        }
        self.plain_start = None;
        if let Some((offset, opened_indent, open)) = self.opened.filter(|_| self.quote.is_none() && !blank) {
            // A new `- ` row no deeper than the line that opened the bracket: the bracket was
            // never closed. YAML would read the row into it as text.
            let row = line[indent] == b'-' && line.get(indent + 1).is_none_or(|b| b.is_ascii_whitespace());
            if row && indent <= opened_indent {
                return Some(Problem::Unclosed(offset, open));
            }
        }
        let mut i = 0;
        if self.quote.is_none() && self.flow == 0 {
            if blank || line[indent] == b'#' {
                return None;
            }
            while self.indents.last().is_some_and(|&top| top > indent) {
                self.indents.pop();
            }
            if self.indents.last() != Some(&indent) {
                self.indents.push(indent);
            }
            i = indent;
            // `- - - x` and `? ? x` open one level each, on a single line.
            while matches!(line.get(i), Some(b'-' | b'?')) && line.get(i + 1).is_none_or(|b| b.is_ascii_whitespace()) {
                i += 1;
                while line.get(i).is_some_and(|&b| b == b' ') {
                    i += 1;
                }
                self.indents.push(i);
                if let Some(problem) = self.too_deep(i.min(line.len())) {
                    return Some(problem);
                }
            }
            if let Some(problem) = self.too_deep(indent) {
                return Some(problem);
            }
            self.node_start = true;
        }
        self.rest(line, i, indent)
    }

    fn rest(&mut self, line: &[u8], mut i: usize, indent: usize) -> Option<Problem> {
        while i < line.len() {
            let b = line[i];
            if let Some(q) = self.quote {
                match (q, b) {
                    (b'\'', b'\'') if line.get(i + 1) == Some(&b'\'') => i += 1,
                    (b'"', b'\\') => i += 1,
                    (_, _) if b == q => {
                        self.quote = None;
                        self.node_start = false;
                    }
                    _ => {}
                }
                i += 1;
                continue;
            }
            let after_space = i == 0 || line[i - 1].is_ascii_whitespace();
            match b {
                b'#' if after_space => return None,
                b'"' | b'\'' if self.node_start => self.quote = Some(b),
                b'[' | b'{' if self.node_start || self.flow > 0 => {
                    if self.flow == 0 {
                        self.opened = Some((self.line_start + i, indent, b));
                    }
                    self.flow += 1;
                    if let Some(problem) = self.too_deep(i) {
                        return Some(problem);
                    }
                    self.node_start = true;
                    self.plain_start = None;
                }
                b']' | b'}' if self.flow > 0 => {
                    self.flow -= 1;
                    if self.flow == 0 {
                        self.opened = None;
                    }
                    self.node_start = false;
                    self.plain_start = None;
                }
                b',' if self.flow > 0 => {
                    if let Some(len) = self.plain_start.and_then(|start| split_number(line, start, i)) {
                        return Some(Problem::SplitNumber(self.line_start + self.plain_start.unwrap_or(i), len));
                    }
                    self.node_start = true;
                    self.plain_start = None;
                }
                b':' if line.get(i + 1).is_none_or(|c| c.is_ascii_whitespace() || (self.flow > 0 && b",[]{}".contains(c))) => {
                    self.node_start = true;
                    self.plain_start = None;
                }
                b'|' | b'>' if self.node_start && self.flow == 0 => {
                    self.block_scalar = Some(indent);
                    return None;
                }
                b'&' | b'!' if self.node_start => {
                    while line.get(i + 1).is_some_and(|c| !c.is_ascii_whitespace()) {
                        i += 1;
                    }
                }
                b' ' | b'\t' | b'\r' | b'\n' => {}
                _ => {
                    if self.node_start {
                        self.plain_start = Some(i);
                    }
                    self.node_start = false;
                }
            }
            i += 1;
        }
        None
    }
}

/// Whether the plain scalar `line[start..comma]` and what follows the comma read as one number
/// with a thousands separator, such as `1,200` or `-12,500,000.5`: one to three digits, then
/// groups of exactly three. Returns the length of the whole number. `2019,2020` and `1,2` are
/// two values, and are left alone.
fn split_number(line: &[u8], start: usize, comma: usize) -> Option<usize> {
    let head = &line[start..comma];
    let digits = head.strip_prefix(b"-").or_else(|| head.strip_prefix(b"+")).unwrap_or(head);
    if digits.is_empty() || digits.len() > 3 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut end = comma;
    while line.get(end) == Some(&b',') && line.get(end + 1..end + 4).is_some_and(|g| g.iter().all(u8::is_ascii_digit)) {
        end += 4;
    }
    if end == comma || line.get(end).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    if line.get(end) == Some(&b'.') {
        end += 1;
        while line.get(end).is_some_and(u8::is_ascii_digit) {
            end += 1;
        }
    }
    Some(end - start)
}

fn translate(err: &serde_yaml::Error, src: &YamlText) -> Error {
    let raw = err.to_string();
    if let Some(error) = syntax_slip(&raw, src) {
        return error;
    }
    let text = strip_position(&raw);
    // serde_yaml prefixes nested errors with the path to the value: `data[0].value: …`.
    let (path, detail) = split_path(text);
    let (message, hint, needle) = explain(path, detail);
    let location = match err.location() {
        Some(loc) => {
            let mut offset = loc.index().min(src.text.len());
            // A refusal of a value inside a mapping may be placed at the mapping's start: the
            // text it names, found after there, places it.
            if raw.contains(PLAIN) {
                let word = message.split('`').nth(1).filter(|w| w.len() > 3 && !src.text[offset..].starts_with(*w));
                offset += word.and_then(|w| src.text[offset..].find(w)).unwrap_or(0);
            }
            let rest = &src.text[offset..];
            // A refusal names the text it refuses: `1,200` is one token, though it holds a comma.
            let named = message.split('`').nth(1).filter(|word| !word.is_empty() && rest.starts_with(word));
            let len = named.map_or_else(|| token_len(rest), str::len);
            Location::in_text(src.file, src.text, offset, len, src.first_line)
        }
        None => locate(src, needle.as_deref()),
    };
    let (message, hint) = if speaks_rust(&message) {
        let hint = "check this value against the examples in the README: it is not the kind of value this key takes";
        (path.map_or("this value is not what soapbox expects here".to_string(), |p| format!("{} does not take this value", place(p))), Some(hint.to_string()))
    } else {
        (message, hint)
    };
    let mut error = Error::new(message).at(location);
    if let Some(hint) = hint {
        error = error.hint(hint);
    }
    error
}

/// The common slips that make YAML unreadable, each explained where it happened: an unclosed
/// quote or bracket (shown where it opens, not where the parser gave up), a tab in the
/// indentation, and a colon inside unquoted text (`title: Police: the numbers`).
fn syntax_slip(raw: &str, src: &YamlText) -> Option<Error> {
    let mark = |after: &str| -> Option<usize> {
        let at = raw.split(after).nth(1)?;
        let mut numbers = at.split(" column ").map(|n| n.split(|c: char| !c.is_ascii_digit()).next().unwrap_or("").parse::<usize>().ok());
        let (line, column) = (numbers.next()??, numbers.next()??);
        let start: usize = src.text.split_inclusive('\n').take(line.checked_sub(1)?).map(str::len).sum();
        // libyaml counts columns in characters, not bytes.
        let rest = src.text.get(start..)?;
        Some(start + rest.char_indices().nth(column.checked_sub(1)?).map_or(rest.len(), |(i, _)| i))
    };
    let at = |offset: usize, len: usize| Location::in_text(src.file, src.text, offset, len, src.first_line);
    if let Some(offset) = mark("while scanning a quoted scalar at line ") {
        return Some(
            Error::new("this quoted text is never closed").at(at(offset, 1)).hint("add the closing quote mark at the end of the text, on the same line"),
        );
    }
    for (context, open) in [("while parsing a flow mapping at line ", b'{'), ("while parsing a flow sequence at line ", b'[')] {
        if raw.contains("did not find expected ',' or") {
            if let Some(offset) = mark(context) {
                return Some(unclosed(src, offset, open));
            }
        }
    }
    // The problem's own position: the first "line L column C" in the message.
    let problem = mark(" at line ")?;
    let line_start = src.text[..problem].rfind('\n').map_or(0, |i| i + 1);
    let line = src.text[line_start..].split('\n').next().unwrap_or("");
    let indent = &line[..line.len() - line.trim_start_matches([' ', '\t']).len()];
    if let Some(tab) = indent.find('\t') {
        return Some(
            Error::new("this line is indented with a tab")
                .at(at(line_start + tab, 1))
                .hint("YAML indents with spaces only: replace the tab with spaces, lined up with the lines above"),
        );
    }
    if raw.starts_with("mapping values are not allowed in this context") {
        let entry = line.trim_start().trim_start_matches("- ");
        let (key, value) = entry.split_once(": ").unwrap_or(("title", entry));
        let value = value.trim();
        let quoted = if value.contains('"') { format!("'{}'", value.replace('\'', "''")) } else { format!("\"{value}\"") };
        return Some(
            Error::new("YAML reads a colon followed by a space as the start of a new key, so this line cannot be read")
                .at(at(problem, 1))
                .hint(format!("put the {} in quotes: `{key}: {quoted}`", if key.contains(' ') { "text" } else { key })),
        );
    }
    None
}

/// A path such as `series[1].values[2]` in words: "the second row of `series`, the third
/// entry of `values`". Rows are counted from one, as a person counts them.
fn place(path: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut keys = String::new();
    let mut rest = path;
    while !rest.is_empty() {
        let end = rest.find('[').unwrap_or(rest.len());
        let key = rest[..end].trim_start_matches('.');
        rest = &rest[end..];
        let index = rest.strip_prefix('[').and_then(|r| r.split_once(']'));
        match index.and_then(|(n, after)| Some((n.parse::<usize>().ok()?, after))) {
            Some((n, after)) => {
                let list = if key.is_empty() { std::mem::take(&mut keys) } else { key.to_string() };
                let row = after.starts_with('.') || matches!(list.as_str(), "data" | "series");
                parts.push(format!("the {} {} of `{list}`", ordinal(n + 1), if row { "row" } else { "entry" }));
                keys.clear();
                rest = after;
            }
            None => {
                keys = key.to_string();
                rest = "";
            }
        }
    }
    match (parts.is_empty(), keys.is_empty()) {
        (true, _) => format!("`{path}`"),
        (false, true) => parts.join(", "),
        (false, false) => format!("{}, at `{keys}`", parts.join(", ")),
    }
}

/// 1 → "first", 22 → "22nd".
fn ordinal(n: usize) -> String {
    const WORDS: [&str; 10] = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"];
    if let Some(word) = n.checked_sub(1).and_then(|i| WORDS.get(i)) {
        return word.to_string();
    }
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// Words from Rust and serde that mean nothing to a campaigner.
const RUST_WORDS: [&str; 21] = [
    "enum", "struct", "variant", "untagged", "serde", "tuple", "newtype", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64", "i128",
    "isize", "f32", "f64",
];

/// Whether `message` carries a Rust or serde word (with the user's own words in backticks or
/// quotes left out, since a key may well be called `option`).
fn speaks_rust(message: &str) -> bool {
    let mut outside = String::with_capacity(message.len());
    let mut quote = None;
    for c in message.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '`' || c == '"' => quote = Some(c),
            None => outside.push(c),
        }
    }
    message.contains("` as ") || outside.split(|c: char| !c.is_ascii_alphanumeric()).any(|word| RUST_WORDS.contains(&word.to_ascii_lowercase().as_str()))
}

/// Finds `key:` in the text for errors that serde_yaml reports without a position.
fn locate(src: &YamlText, needle: Option<&str>) -> Location {
    if let Some(key) = needle {
        let mut offset = 0;
        for line in src.text.split_inclusive('\n') {
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            let bare = trimmed.trim_start_matches("- ").trim_start_matches(['"', '\'']);
            if bare.starts_with(key) && bare[key.len()..].trim_start_matches(['"', '\'']).starts_with(':') {
                let at = offset + indent + (trimmed.len() - bare.len());
                return Location::in_text(src.file, src.text, at, key.len(), src.first_line);
            }
            offset += line.len();
        }
    }
    if src.text.trim().is_empty() {
        return Location::file(src.file);
    }
    Location::in_text(src.file, src.text, 0, 0, src.first_line)
}

fn token_len(rest: &str) -> usize {
    rest[..rest.find([':', '\n', ',', '}', ']']).unwrap_or(rest.len())].trim_end().len().max(1)
}

fn strip_position(text: &str) -> &str {
    match text.rfind(" at line ") {
        Some(i) if text[i..].contains(" column ") => &text[..i],
        _ => text,
    }
}

fn split_path(text: &str) -> (Option<&str>, &str) {
    match text.split_once(": ") {
        Some((path, rest)) if !path.contains(' ') && !path.is_empty() => (Some(path), rest),
        _ => (None, text),
    }
}

/// Rewrites one serde message into (message, hint, key to look for when there is no position).
fn explain(path: Option<&str>, detail: &str) -> (String, Option<String>, Option<String>) {
    let inside = |s: String| match path {
        Some(p) => format!("{s} (in {})", place(p)),
        None => s,
    };
    if let Some(rest) = detail.strip_prefix(PLAIN) {
        let (message, hint) = rest.split_once(PLAIN).unwrap_or((rest, ""));
        // Where serde_yaml gives no position, the refused value's key places it.
        let key = path.and_then(|p| p.rsplit('.').next()).map(|k| k.split('[').next().unwrap_or(k).to_string()).filter(|k| !k.is_empty());
        return (inside(message.to_string()), Some(hint.to_string()).filter(|h| !h.is_empty()), key);
    }
    if detail.contains("repetition limit exceeded") {
        let hint = "an alias (`*name`) here repeats so much text that soapbox stops; write the values out once".to_string();
        return ("the YAML repeats itself too many times through aliases".to_string(), Some(hint), None);
    }
    if detail.contains("more than one document") {
        let hint = "remove the `---` line: each file holds one set of settings".to_string();
        return ("this file holds more than one YAML document".to_string(), Some(hint), None);
    }
    if let Some(rest) = detail.strip_prefix("unknown field `") {
        let (word, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let names = backticked(expected);
        let hint = suggestion(word, names.iter().map(String::as_str));
        return (inside(format!("unknown key `{word}`")), Some(hint), Some(word.to_string()));
    }
    if let Some(rest) = detail.strip_prefix("unknown variant `") {
        let (word, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let names = backticked(expected);
        let hint = suggestion(word, names.iter().map(String::as_str));
        let what = path.map_or("value".to_string(), |p| if p.contains('[') { format!("value ({})", place(p)) } else { format!("`{p}`") });
        return (format!("`{word}` is not an allowed {what}"), Some(hint), None);
    }
    if let Some(rest) = detail.strip_prefix("missing field `") {
        let word = rest.trim_end_matches('`');
        let hint = format!("add a line such as `{word}: …` (this key is required)");
        return (inside(format!("missing required key `{word}`")), Some(hint), None);
    }
    if let Some(rest) = detail.strip_prefix("duplicate field `") {
        let key = rest.trim_end_matches('`');
        let hint = "remove one of the two lines, or rename one".to_string();
        return (inside(format!("the key `{key}` is given twice")), Some(hint), Some(key.to_string()));
    }
    if let Some(rest) = detail.strip_prefix("duplicate entry with key ") {
        let key = rest.trim_matches('"');
        let hint = "remove one of the two lines, or rename one".to_string();
        return (inside(format!("the key `{key}` is given twice")), Some(hint), Some(key.to_string()));
    }
    if let Some(rest) = detail.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "something else"));
        let msg = format!("expected {}, found {}", plain_type(expected), plain_type(found));
        return (inside(msg), None, None);
    }
    if let Some(rest) = detail.strip_prefix("invalid value: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "something else"));
        let msg = format!("expected {}, found {}", plain_type(expected), plain_type(found));
        return (inside(msg), None, None);
    }
    if detail.contains("recursion limit exceeded") {
        let hint = "YAML here is nested more than 128 levels deep; flatten it".to_string();
        return ("the YAML is nested too deeply".to_string(), Some(hint), None);
    }
    let hint = "check the indentation and that every `key: value` pair is on its own line".to_string();
    (inside(format!("this is not valid YAML: {detail}")), Some(hint), None)
}

fn backticked(text: &str) -> Vec<String> {
    text.split('`').skip(1).step_by(2).map(str::to_string).collect()
}

/// serde's type names in a campaigner's words.
fn plain_type(t: &str) -> String {
    let t = t.trim();
    let words = [
        ("f64", "a number"),
        ("f32", "a number"),
        ("i64", "a whole number"),
        ("u64", "a whole number"),
        ("i32", "a whole number"),
        ("u32", "a whole number"),
        ("a sequence", "a list"),
        ("sequence", "a list"),
        ("a boolean", "true or false"),
        ("a string", "text"),
        ("string", "text"),
        ("a map", "a set of `key: value` lines"),
        ("map", "a set of `key: value` lines"),
        ("unit value", "nothing (an empty value)"),
    ];
    for (from, to) in words {
        if t == from {
            return to.to_string();
        }
    }
    if t.starts_with("a YAML tag") {
        // serde_yaml's word for a choice such as `chart: bar`.
        return "a single word".to_string();
    }
    if t.starts_with("struct ") {
        return "a set of `key: value` lines".to_string();
    }
    if let Some(s) = t.strip_prefix("string ") {
        return format!("the text {s}");
    }
    if let Some(n) = t.strip_prefix("floating point ").or_else(|| t.strip_prefix("integer ")) {
        // serde writes a number too large for 64 bits as "integer `N` as u128".
        return format!("the number {}", n.split('`').find(|part| !part.is_empty()).unwrap_or(n));
    }
    t.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Doc {
        title: String,
        count: Option<f64>,
        extra: Option<Value>,
    }

    fn parse_doc(text: &str, first_line: usize) -> Result<Doc> {
        parse(&YamlText { file: Path::new("content/x.md"), text, first_line })
    }

    #[test]
    fn unknown_key_points_at_line_with_hint() {
        let err = parse_doc("title: a\ntitel: b\n", 2).unwrap_err();
        assert_eq!(err.message(), "unknown key `titel`");
        assert_eq!(err.hint_text(), Some("did you mean `title`?"));
        assert_eq!(err.location().unwrap().line.unwrap().0, 3);
    }

    #[test]
    fn wrong_type_in_words() {
        let err = parse_doc("title: a\ncount: lots\n", 1).unwrap_err();
        assert_eq!(err.message(), "expected a number, found the text \"lots\" (in `count`)");
        assert_eq!(err.location().unwrap().line.unwrap().0, 2);
    }

    #[test]
    fn missing_key_has_example() {
        let err = parse_doc("count: 1\n", 1).unwrap_err();
        assert_eq!(err.message(), "missing required key `title`");
        assert!(err.hint_text().unwrap().contains("title: …"));
    }

    #[test]
    fn syntax_error_has_position() {
        let err = parse_doc("title: \"unclosed\ncount: 1\n", 1).unwrap_err();
        assert_eq!(err.message(), "this quoted text is never closed");
        assert_eq!(err.location().unwrap().line, Some((1, 8, 1)));
    }

    #[test]
    fn case_7_deep_nesting_is_refused_where_the_limit_is_passed() {
        let deep = format!("title: t\nextra: {}{}", "[".repeat(10_000), "]".repeat(10_000));
        let err = parse_doc(&deep, 3).unwrap_err();
        assert_eq!(err.message(), "the YAML here is nested more than 64 levels deep");
        assert_eq!(err.location().unwrap().line, Some((4, 7 + MAX_DEPTH, 1)));
        let braces = format!("title: t\nextra: {}", "{a: ".repeat(MAX_DEPTH + 1));
        assert!(parse_doc(&braces, 1).unwrap_err().message().contains("nested more than"));
        let dashes = format!("title: t\nextra:\n  {}x\n", "- ".repeat(MAX_DEPTH + 1));
        assert!(parse_doc(&dashes, 1).unwrap_err().message().contains("nested more than"));
        let mut indented = String::from("title: t\nextra:\n");
        for level in 1..=MAX_DEPTH + 1 {
            indented.push_str(&format!("{}k{level}:\n", " ".repeat(level)));
        }
        assert!(parse_doc(&indented, 1).unwrap_err().message().contains("nested more than"));
    }

    #[test]
    fn case_7_nesting_up_to_the_limit_is_parsed() {
        let depth = MAX_DEPTH - 1;
        let flow = format!("title: t\nextra: {}{}\n", "[".repeat(depth), "]".repeat(depth));
        assert!(parse_doc(&flow, 1).is_ok());
    }

    #[test]
    fn case_7_brackets_in_text_open_nothing() {
        let many = "[".repeat(1_000);
        let texts = [
            format!("title: \"{many}\"\n"),
            format!("title: '{many} it''s'\n"),
            format!("title: t # {many}\n"),
            format!("title: see {many}\n"),
            format!("title: |\n  {many}\n  {many}\nextra: 1\n"),
            format!("title: >-\n  {many}\n\n  {many}\nextra: 1\n"),
            format!("title: \"two\n  lines {many}\"\nextra: [\"{many}\", '{many}']\n"),
            format!("title: t\nextra: {{ a: \"{many}\", b: it's }}\n"),
            format!("title: https://x.org/{many}\n"),
        ];
        for text in texts {
            assert!(parse_doc(&text, 1).is_ok(), "{text}: {:?}", parse_doc(&text, 1).err().map(|e| e.message().to_string()));
        }
    }

    #[test]
    fn case_7_aliases_that_repeat_without_end_are_refused() {
        let mut text = String::from("title: t\nextra:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (name, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"].iter().zip(["a", "b", "c", "d", "e", "f", "g", "h"]) {
            text.push_str(&format!("  {name}: &{name} [{}]\n", vec![format!("*{prev}"); 10].join(", ")));
        }
        let err = parse_doc(&text, 1).unwrap_err();
        assert_eq!(err.message(), "the YAML repeats itself too many times through aliases");
    }

    #[test]
    fn case_14_a_byte_order_mark_is_not_part_of_the_first_key() {
        let doc = parse_doc("\u{feff}title: a\ncount: 2\n", 1).unwrap();
        assert_eq!(doc.title, "a");
        let err = parse_doc("\u{feff}titel: a\n", 1).unwrap_err();
        assert_eq!(err.message(), "unknown key `titel`");
        assert_eq!(err.location().unwrap().line, Some((1, 1, 5)));
    }

    #[test]
    fn case_19_refusals_keep_their_words_and_rust_words_never_pass() {
        use serde::de::Error as _;
        let err = translate(&serde_yaml::Error::custom(format!("data[0].value: {PLAIN}`0x10` is odd{PLAIN}write 16")), &src("x: 1\n"));
        assert_eq!(err.message(), "`0x10` is odd (in the first row of `data`, at `value`)");
        assert_eq!(err.hint_text(), Some("write 16"));
        for raw in ["data did not match any variant of untagged enum RawQuantity", "invalid type: integer `1` as u128, expected f64", "expected struct Foo"] {
            let err = translate(&serde_yaml::Error::custom(raw), &src("x: 1\n"));
            assert!(!speaks_rust(err.message()), "{raw} -> {}", err.message());
        }
        assert!(!speaks_rust("unknown key `enum` (in `option`)"));
        let err = translate(&serde_yaml::Error::custom("chart: invalid type: sequence, expected a YAML tag starting with '!'"), &src("x: 1\n"));
        assert_eq!(err.message(), "expected a single word, found a list (in `chart`)");
        assert!(speaks_rust("expected u64"));
    }

    #[test]
    fn case_19_paths_read_as_rows_counted_from_one() {
        assert_eq!(place("data[1]"), "the second row of `data`");
        assert_eq!(place("data[0].value"), "the first row of `data`, at `value`");
        assert_eq!(place("series[1].values[2]"), "the second row of `series`, the third entry of `values`");
        assert_eq!(place("totals[10]"), "the 11th entry of `totals`");
        assert_eq!(place("values.x.value"), "`values.x.value`");
        assert_eq!([ordinal(21), ordinal(112), ordinal(3), ordinal(23)], ["21st", "112th", "third", "23rd"]);
    }

    #[test]
    fn case_19_a_comma_inside_brackets_splitting_a_number_is_refused_at_the_number() {
        for (text, written, plain) in [
            ("title: t\nextra: { value: 1,200, unit: count }\n", "1,200", "1200"),
            ("title: t\nextra: [5, -12,500,000.5]\n", "-12,500,000.5", "-12500000.5"),
            ("title: t\nextra: {\n  value: 1,200 }\n", "1,200", "1200"),
        ] {
            let err = parse_doc(text, 1).unwrap_err();
            assert!(err.message().starts_with("the comma") && err.message().contains(&format!("`{written}`")), "{}", err.message());
            assert!(err.hint_text().unwrap().starts_with(&format!("write {plain}, without the comma")), "{:?}", err.hint_text());
            let at = text.find(written).unwrap();
            let (line, column) = (text[..at].matches('\n').count() + 1, at - text[..at].rfind('\n').map_or(0, |i| i + 1) + 1);
            assert_eq!(err.location().unwrap().line, Some((line, column, written.len())), "{text}");
        }
        for fine in
            ["title: t\nextra: [2019,2020]\n", "title: t\nextra: [1,2]\n", "title: t\nextra: \"1,200\"\n", "title: t\nextra: 1,200\n", "title: 1,200 people\n"]
        {
            assert!(parse_doc(fine, 1).is_ok(), "{fine}");
        }
    }

    #[test]
    fn case_19_an_open_bracket_is_shown_where_it_opens() {
        for text in [
            "title: t\nextra:\n  - { a: 3\n  - { a: 4 }\n",
            "title: t\nextra:\n  - { a: 3\n",
            "title: t\nextra:\n  x: { a: 3, b: c\ncount: 1\n",
            "title: t\nextra:\n  - [ 3\n",
        ] {
            let err = parse_doc(text, 1).unwrap_err();
            assert!(err.message().ends_with("is never closed"), "{text}: {}", err.message());
            assert_eq!(err.location().unwrap().line.unwrap().0, 3, "{text}");
        }
        for fine in ["title: t\nextra: [\n  1, 2\n]\n", "title: t\nextra:\n  - { a: 3,\n    b: 4 }\n  - { a: 5 }\n", "title: t # {\n", "title: \"{\"\n"] {
            assert!(parse_doc(fine, 1).is_ok(), "{fine}");
        }
    }

    #[test]
    fn case_19_tabs_and_colons_get_a_plain_fix() {
        let err = parse_doc("title: t\nextra:\n\t- 1\n", 1).unwrap_err();
        assert_eq!(err.message(), "this line is indented with a tab");
        assert_eq!(err.location().unwrap().line, Some((3, 1, 1)));
        let err = parse_doc("title: Police: the numbers\n", 1).unwrap_err();
        assert!(err.message().contains("colon"), "{}", err.message());
        assert_eq!(err.hint_text(), Some("put the title in quotes: `title: \"Police: the numbers\"`"));
        let err = parse_doc("title: Police: \"the\" numbers\n", 1).unwrap_err();
        assert_eq!(err.hint_text(), Some("put the title in quotes: `title: 'Police: \"the\" numbers'`"));
        // libyaml counts columns in characters: a wide character before the slip is one column.
        let err = parse_doc("title: 𝔏𝔏: the numbers\n", 1).unwrap_err();
        assert_eq!(err.location().unwrap().line, Some((1, 10, 1)));
        let err = parse_doc("title: 𝔏\nextra: \"𝔏\n", 1).unwrap_err();
        assert_eq!(err.location().unwrap().line, Some((2, 8, 1)));
    }

    #[test]
    fn case_19_quotes_are_told_from_plain_scalars() {
        #[derive(Deserialize)]
        struct Quoting {
            #[serde(deserialize_with = "quoted")]
            a: bool,
            #[serde(deserialize_with = "quoted")]
            b: bool,
            #[serde(deserialize_with = "quoted")]
            c: bool,
            #[serde(deserialize_with = "quoted")]
            d: bool,
        }
        struct Quoted;
        impl<'de> serde::de::Visitor<'de> for Quoted {
            type Value = bool;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("text")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> std::result::Result<bool, E> {
                Ok(written_in_quotes(v, true))
            }
            fn visit_str<E>(self, v: &str) -> std::result::Result<bool, E> {
                Ok(written_in_quotes(v, false))
            }
        }
        fn quoted<'de, D: serde::Deserializer<'de>>(d: D) -> std::result::Result<bool, D::Error> {
            d.deserialize_str(Quoted)
        }
        let q: Quoting = parse(&src("a: 12\nb: \"12\"\nc: '12'\nd: \"1\\x32\"\n")).unwrap();
        assert_eq!([q.a, q.b, q.c, q.d], [false, true, true, true]);
        assert!(!written_in_quotes("12", true), "outside a parse nothing is known");
    }

    fn src(text: &str) -> YamlText<'_> {
        YamlText { file: Path::new("content/x.md"), text, first_line: 1 }
    }
}
