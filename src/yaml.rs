//! All YAML reading: site.yaml, front matter and figure files go through [`parse`].
//!
//! serde_yaml is deprecated upstream, so it is kept behind this one door. Before the text
//! reaches it, a byte-order mark is dropped and [`check_depth`] refuses nesting deeper than
//! [`MAX_DEPTH`] in one linear pass (libyaml's own scanner takes time that grows with the
//! square of the depth, long before serde_yaml's limit applies). Its errors are rewritten here
//! into plain words, with the file, line and column, and a hint: an unknown key gets "did you
//! mean …?", a missing key gets an example line to add. A message that still carries a Rust
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
    serde_yaml::from_str(src.text).map_err(|err| translate(&err, src))
}

/// [`parse`] with a seed, for a second reading of text that [`parse`] has already accepted.
pub fn parse_seed<'a, S: DeserializeSeed<'a>>(src: &YamlText<'a>, seed: S) -> Result<S::Value> {
    let src = &without_bom(src);
    check_depth(src)?;
    seed.deserialize(serde_yaml::Deserializer::from_str(src.text)).map_err(|err| translate(&err, src))
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

/// Refuses nesting deeper than [`MAX_DEPTH`], in one pass over the text. It reads just enough
/// YAML to tell structure from text: quoted scalars, comments, block scalars (`|`, `>`), and
/// brackets inside plain text (`note: see [1]`), which open nothing.
pub fn check_depth(src: &YamlText) -> Result<()> {
    match Depth::default().scan(src.text) {
        None => Ok(()),
        Some(offset) => Err(Error::new(format!("the YAML here is nested more than {MAX_DEPTH} levels deep"))
            .at(Location::in_text(src.file, src.text, offset, 1, src.first_line))
            .hint("no setting or figure needs this many levels of brackets or indentation; remove the extra levels, or put the text in quotes")),
    }
}

#[derive(Default)]
struct Depth {
    /// Open `[` and `{`.
    flow: usize,
    /// The columns of the open block levels.
    indents: Vec<usize>,
    /// The quote mark of a quoted scalar that is still open.
    quote: Option<u8>,
    /// Inside a `|` or `>` block scalar, the indentation its lines must exceed.
    block_scalar: Option<usize>,
    /// The next character may open a node: a flow collection or a quoted scalar.
    node_start: bool,
}

impl Depth {
    /// The offset where the limit is passed, if it is.
    fn scan(mut self, text: &str) -> Option<usize> {
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let at = self.line(line.as_bytes());
            if let Some(i) = at {
                return Some(offset + i);
            }
            offset += line.len();
        }
        None
    }

    fn too_deep(&self) -> bool {
        self.flow + self.indents.len() > MAX_DEPTH
    }

    fn line(&mut self, line: &[u8]) -> Option<usize> {
        let indent = line.iter().take_while(|&&b| b == b' ').count();
        let blank = line[indent..].iter().all(|b| b.is_ascii_whitespace());
        if let Some(parent) = self.block_scalar {
            if blank || indent > parent {
                return None;
            }
            self.block_scalar = None;
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
                if self.too_deep() {
                    return Some(i.min(line.len()));
                }
            }
            if self.too_deep() {
                return Some(indent);
            }
            self.node_start = true;
        }
        self.rest(line, i, indent)
    }

    fn rest(&mut self, line: &[u8], mut i: usize, indent: usize) -> Option<usize> {
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
                    self.flow += 1;
                    if self.too_deep() {
                        return Some(i);
                    }
                    self.node_start = true;
                }
                b']' | b'}' if self.flow > 0 => {
                    self.flow -= 1;
                    self.node_start = false;
                }
                b',' if self.flow > 0 => self.node_start = true,
                b':' if line.get(i + 1).is_none_or(|c| c.is_ascii_whitespace() || (self.flow > 0 && b",[]{}".contains(c))) => self.node_start = true,
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
                _ => self.node_start = false,
            }
            i += 1;
        }
        None
    }
}

fn translate(err: &serde_yaml::Error, src: &YamlText) -> Error {
    let raw = err.to_string();
    if let Some(at) = raw.split("while scanning a quoted scalar at line ").nth(1) {
        // Point where the quote opens, not at the end of the file where the parser gave up.
        let mut numbers = at.split(" column ").map(|n| n.trim().parse::<usize>().unwrap_or(1));
        let (line, column) = (numbers.next().unwrap_or(1), numbers.next().unwrap_or(1));
        let offset: usize = src.text.split_inclusive('\n').take(line - 1).map(str::len).sum::<usize>() + column - 1;
        return Error::new("this quoted text is never closed")
            .at(Location::in_text(src.file, src.text, offset.min(src.text.len()), 1, src.first_line))
            .hint("add the closing quote mark at the end of the text, on the same line");
    }
    let text = strip_position(&raw);
    // serde_yaml prefixes nested errors with the path to the value: `data[0].value: …`.
    let (path, detail) = split_path(text);
    let (message, hint, needle) = explain(path, detail);
    let location = match err.location() {
        Some(loc) => {
            let offset = loc.index().min(src.text.len());
            let len = token_len(&src.text[offset..]);
            Location::in_text(src.file, src.text, offset, len, src.first_line)
        }
        None => locate(src, needle.as_deref()),
    };
    let (message, hint) = if speaks_rust(&message) {
        let hint = "check this value against the examples in the README: it is not the kind of value this key takes";
        (path.map_or("this value is not what soapbox expects here".to_string(), |p| format!("`{p}` does not take this value")), Some(hint.to_string()))
    } else {
        (message, hint)
    };
    let mut error = Error::new(message).at(location);
    if let Some(hint) = hint {
        error = error.hint(hint);
    }
    error
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
    rest.find([':', '\n', ',', '}', ']']).unwrap_or(rest.len()).max(1)
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
        Some(p) => format!("{s} (in `{p}`)"),
        None => s,
    };
    if let Some(rest) = detail.strip_prefix(PLAIN) {
        let (message, hint) = rest.split_once(PLAIN).unwrap_or((rest, ""));
        return (inside(message.to_string()), Some(hint.to_string()).filter(|h| !h.is_empty()), None);
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
        let what = path.map_or("value".to_string(), |p| format!("`{p}`"));
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
        assert_eq!(err.message(), "`0x10` is odd (in `data[0].value`)");
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

    fn src(text: &str) -> YamlText<'_> {
        YamlText { file: Path::new("content/x.md"), text, first_line: 1 }
    }
}
