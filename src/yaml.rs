//! All YAML reading: site.yaml, front matter and figure files go through [`parse`].
//!
//! serde_yaml is deprecated upstream, so it is kept behind this one function. Its errors are
//! rewritten here into plain words, with the file, line and column, and a hint: an unknown key
//! gets "did you mean …?", a missing key gets an example line to add.

use crate::error::{suggestion, Error, Location, Result};
use serde::de::DeserializeOwned;
use std::path::Path;

/// Free-form YAML, for settings soapbox passes through to templates untouched.
pub use serde_yaml::Value;

/// A piece of YAML and where it sits: the whole of `file`, or front matter starting on `first_line`.
pub struct YamlText<'a> {
    pub file: &'a Path,
    pub text: &'a str,
    pub first_line: usize,
}

/// Deserializes `src`, turning any failure into an [`Error`] that points into the user's file.
pub fn parse<T: DeserializeOwned>(src: &YamlText) -> Result<T> {
    serde_yaml::from_str(src.text).map_err(|err| translate(&err, src))
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
    let mut error = Error::new(message).at(location);
    if let Some(hint) = hint {
        error = error.hint(hint);
    }
    error
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
    rest.find(|c: char| c == ':' || c == '\n' || c == ',' || c == '}' || c == ']').unwrap_or(rest.len()).max(1)
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
    if t.starts_with("struct ") {
        return "a set of `key: value` lines".to_string();
    }
    if let Some(s) = t.strip_prefix("string ") {
        return format!("the text {s}");
    }
    if let Some(n) = t.strip_prefix("floating point ").or_else(|| t.strip_prefix("integer ")) {
        return format!("the number {}", n.trim_matches('`'));
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
    fn deep_nesting_is_refused() {
        let deep = format!("title: t\nextra: {}{}", "[".repeat(10_000), "]".repeat(10_000));
        let err = parse_doc(&deep, 1).unwrap_err();
        assert_eq!(err.message(), "the YAML is nested too deeply");
    }
}
