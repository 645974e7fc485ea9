//! Hand-typed numbers: every number a reader sees that does not come from a figure.
//!
//! A number typed into a page or a figure's text does not follow the data: update the figure
//! and the text quietly goes wrong. [`check`] warns about each one, with its file, line and
//! column, in page bodies, in a page's `title` and `description`, and in a figure's `title`,
//! `subtitle`, `note` and `alt`, and the words it draws on its chart (notes, reference and
//! period labels). It is a warning, never an error: a site with one still builds.
//!
//! The rule, kept simple so that a writer can predict it:
//! - A number is a run of digits (any character Unicode counts as a digit), with a `,` or `.`
//!   between two digits kept inside it: `1,628`, `32.6`. Digits inside a word are numbers too:
//!   the `19` of `COVID-19`, the `4` of `4G`, the `2` of `2nd`.
//! - Not reported: anything inside a `{{ … }}` call, which is how a page quotes a figure's value
//!   or marks text as meant (`{{ literal("0800 1111") }}`); a web address written out
//!   (`http://127.0.0.1:4000`, from its word holding `://` to the next space); a year, 1900 to 2100, standing
//!   alone, as a decade (`1990s`) or as a span of years (`2018-19`, `2018/19`); and a date
//!   (`2018-04-03`, `3/4/2018`, `3 April`, `April 3rd`, with English month names).
//! - In a page body only the words a reader sees are read: not code, link addresses, heading
//!   ids, list numbering, footnote labels or raw HTML (see [`markdown::prose`]).
//!
//! A figure's texts are found again in its file, whose text the loaded figure does not keep:
//! the file is read once more, and only trusted when it is the text the figure was made from.

use crate::error::{Error, LineIndex, Location};
use crate::figure::Figure;
use crate::load::{Page, Site};
use crate::markdown;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// How many numbers one line reports one by one; the rest of the line is one warning, with a
/// count, so that a table row of figures does not fill the terminal.
pub const SHOWN_PER_LINE: usize = 3;

/// What earlier checks found, kept while a page or figure is unchanged: the preview checks
/// the whole site on every edit.
#[derive(Default)]
pub struct Cache {
    /// By page key: the page's hash and its warnings.
    pages: crate::hash::ByKey<(u64, Vec<Error>)>,
    /// By figure hash: its warnings.
    figures: crate::hash::ByKey<Vec<Error>>,
}

/// Every hand-typed number in `site`'s pages and figures, as warnings.
pub fn check(site: &Site, cache: &mut Cache) -> Vec<Error> {
    let stale: Vec<&Page> = site.pages.iter().filter(|p| cache.pages.get(&p.id).is_none_or(|(hash, _)| *hash != p.hash)).collect();
    let found: Vec<Vec<Error>> = stale.par_iter().map(|p| in_page(p)).collect();
    for (page, warnings) in stale.into_iter().zip(found) {
        cache.pages.insert(page.id, (page.hash, warnings));
    }
    if cache.pages.len() != site.pages.len() {
        let live: BTreeSet<u64> = site.pages.iter().map(|p| p.id).collect();
        cache.pages.retain(|id, _| live.contains(id));
    }
    if cache.figures.len() > site.figures.len() * 2 {
        cache.figures.clear();
    }
    let stale: Vec<&Figure> = site.figures.values().filter(|f| !cache.figures.contains_key(&f.hash)).collect();
    let found: Vec<Vec<Error>> = stale.par_iter().map(|f| in_figure(&site.root, f)).collect();
    for (figure, warnings) in stale.into_iter().zip(found) {
        cache.figures.insert(figure.hash, warnings);
    }
    let pages = site.pages.iter().flat_map(|p| cache.pages[&p.id].1.iter().cloned());
    let figures = site.figures.values().flat_map(|f| cache.figures[&f.hash].iter().cloned());
    pages.chain(figures).collect()
}

/// Where a number was typed, which decides how the hint says to quote a value.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Place {
    Page,
    Figure,
}

fn in_page(page: &Page) -> Vec<Error> {
    let front = &page.text[..page.body_start];
    let lines = std::sync::OnceLock::new();
    let mut found = Vec::new();
    // The texts as written: a title that quotes a value holds its number only once filled.
    let written = |key: &str, filled: Option<&String>| match &page.written {
        Some(quoting) => quoting.text(key).map(str::to_string),
        None => filled.cloned(),
    };
    for (key, value) in [("title", written("title", Some(&page.front.title))), ("description", written("description", page.front.description.as_ref()))] {
        let Some(value) = value.as_ref() else { continue };
        for (number, offset) in in_yaml_value(front, key, value) {
            let at = match offset {
                Some(offset) => Location::indexed(&page.file, front, lines.get_or_init(|| LineIndex::new(front)), offset, number.span.len()),
                None => Location::file(&page.file),
            };
            found.push((warning(value, &number, Place::Page), at));
        }
    }
    let body = page.body();
    for number in in_body(body) {
        found.push((warning(body, &number, Place::Page), page.locate(number.span.start, number.span.len())));
    }
    grouped(found, Place::Page)
}

fn in_figure(root: &Path, figure: &Figure) -> Vec<Error> {
    let read = std::fs::read_to_string(root.join(&figure.file)).ok();
    // Only the text the figure was made from can place its numbers: a file changed since
    // is placed on its next load.
    let source = read
        .as_deref()
        .map(|t| t.strip_prefix('\u{feff}').unwrap_or(t))
        .filter(|text| crate::hash::key((figure.id.as_str(), figure.file.as_path(), *text)) == figure.written.source_hash());
    let index = source.map(LineIndex::new);
    // The texts as written: a title that quotes a value holds its number only once filled.
    let w = &figure.written;
    // The chart's own words, each list's words as one text, found in that list in the file.
    let mut chart: BTreeMap<&str, String> = BTreeMap::new();
    for (key, text) in &w.chart {
        let joined = chart.entry(key).or_default();
        joined.push_str(text);
        joined.push('\n');
    }
    let fields = [("title", Some(&w.title)), ("subtitle", w.subtitle.as_ref()), ("note", w.note.as_ref()), ("alt", w.alt.as_ref())];
    let fields = fields.into_iter().chain(chart.iter().map(|(key, text)| (*key, Some(text))));
    let mut found = Vec::new();
    for (key, value) in fields {
        let Some(value) = value else { continue };
        let placed = match source {
            Some(source) => in_yaml_value(source, key, value),
            None => numbers(value).into_iter().filter(|n| !n.exempt).map(|n| (n, None)).collect(),
        };
        for (number, offset) in placed {
            let at = match (source, &index, offset) {
                (Some(source), Some(index), Some(offset)) => Location::indexed(&figure.file, source, index, offset, number.span.len()),
                _ => Location::file(&figure.file),
            };
            found.push((warning(value, &number, Place::Figure), at));
        }
    }
    grouped(found, Place::Figure)
}

/// The warnings of `found`, placed, in order: each number on its own, up to
/// [`SHOWN_PER_LINE`] on a line, then one for the rest of the line (which [`Error::collect`]
/// counts).
fn grouped(found: Vec<(Error, Location)>, place: Place) -> Vec<Error> {
    let mut per_line: HashMap<(PathBuf, Option<usize>), usize> = HashMap::new();
    found
        .into_iter()
        .map(|(warning, at)| {
            let seen = per_line.entry((at.file.clone(), at.line.map(|(line, ..)| line))).or_default();
            *seen += 1;
            let warning = if *seen > SHOWN_PER_LINE && at.line.is_some() {
                Error::warning("more numbers on this line are typed by hand").hint(hint(place, None))
            } else {
                warning
            };
            warning.at(at)
        })
        .collect()
}

/// The most characters of a number or its word that a warning quotes.
const QUOTED_CHARS: usize = 40;

/// The warning for one number found in `text`.
fn warning(text: &str, number: &Number, place: Place) -> Error {
    let digits = &text[number.span.clone()];
    let word = &text[word_around(text, &number.span)];
    let too_long = word.chars().count() > QUOTED_CHARS;
    let message = if too_long {
        let start: String = digits.chars().take(QUOTED_CHARS).collect();
        let more = if digits.chars().count() > QUOTED_CHARS { "…" } else { "" };
        format!("the number {start}{more} is typed by hand")
    } else if word.trim_start_matches(CURRENCY).trim_end_matches('%') == digits {
        format!("the number {word} is typed by hand")
    } else {
        format!("the number {digits} in {word} is typed by hand")
    };
    Error::warning(message).hint(hint(place, (!too_long).then_some(word)))
}

fn hint(place: Place, word: Option<&str>) -> String {
    let quote = match place {
        Place::Page => r#"quote it from a figure with {{ value(id="…", key="…") }}"#,
        Place::Figure => r#"quote it from this figure's values with {{ value(key="…") }}"#,
    };
    let literal = word.unwrap_or("…");
    format!(r#"{quote} so it follows the data, or mark it {{{{ literal("{literal}") }}}} if it is not a statistic"#)
}

/// The hand-typed numbers of a Markdown body, with spans in the body.
fn in_body(body: &str) -> Vec<Number> {
    let prose = markdown::prose(body);
    let inside = |at: usize| {
        prose
            .binary_search_by(|r| {
                if r.end <= at {
                    std::cmp::Ordering::Less
                } else if r.start > at {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .is_ok()
    };
    let calls = calls(body, &inside);
    numbers_outside(body, &calls).into_iter().filter(|n| !n.exempt && inside(n.span.start)).collect()
}

/// The hand-typed numbers of the top-level `key`'s `value` in the YAML text `yaml`, each with
/// the offset in `yaml` where it is written, when it can be found there. The numbers are read
/// from the value (what a reader sees), and found in the source in the same order: quotes,
/// escapes and folded lines may stand between the two.
fn in_yaml_value(yaml: &str, key: &str, value: &str) -> Vec<(Number, Option<usize>)> {
    let in_value = numbers(value);
    if in_value.iter().all(|n| n.exempt) {
        return Vec::new();
    }
    let region = value_region(yaml, key);
    let written: Vec<Range<usize>> = match &region {
        Some(region) => numbers(&yaml[region.clone()]).into_iter().map(|n| n.span.start + region.start..n.span.end + region.start).collect(),
        None => Vec::new(),
    };
    // Once a number cannot be found (an escape such as `\x35` wrote it), the rest are placed
    // at the value's start rather than searched for again, which could take long.
    let mut next = Some(0);
    let mut placed = Vec::new();
    for number in in_value {
        let digits = &value[number.span.clone()];
        next = next.and_then(|from| written[from..].iter().position(|span| &yaml[span.clone()] == digits).map(|i| from + i + 1));
        let offset = match next {
            Some(after) => Some(written[after - 1].start),
            None => region.as_ref().map(|r| r.start),
        };
        if !number.exempt {
            placed.push((number, offset));
        }
    }
    placed
}

/// Where the top-level `key`'s value is written in `yaml`: from after `key:` up to the next
/// line that starts at the left margin (the next key, or the front matter's closing `---`).
fn value_region(yaml: &str, key: &str) -> Option<Range<usize>> {
    let mut offset = 0;
    let mut start = None;
    for line in yaml.split_inclusive('\n') {
        let here = offset;
        offset += line.len();
        if let Some(start) = start {
            let at_margin = !line.starts_with([' ', '\t']) && !line.trim().is_empty();
            if at_margin {
                return Some(start..here);
            }
            continue;
        }
        let after_colon = line.strip_prefix(key).map(str::trim_start).and_then(|rest| rest.strip_prefix(':'));
        if let Some(rest) = after_colon {
            start = Some(here + line.len() - rest.len());
        }
    }
    start.map(|start| start..yaml.len())
}

/// The `{{ … }}` calls in `text` that open where `opens` allows, each closed on its line.
fn calls(text: &str, opens: &dyn Fn(usize) -> bool) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut at = 0;
    while let Some(i) = text[at..].find("{{") {
        let start = at + i;
        at = start + 2;
        if !opens(start) {
            continue;
        }
        let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
        if let Some(close) = text[start..line_end].find("}}") {
            at = start + close + 2;
            found.push(start..at);
        }
    }
    found
}

/// A number in a text, and whether it is a year or part of a date.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Number {
    span: Range<usize>,
    exempt: bool,
}

/// Every number in `text` outside its `{{ … }}` calls and web addresses.
fn numbers(text: &str) -> Vec<Number> {
    numbers_outside(text, &calls(text, &|_| true))
}

/// The web addresses written out in `text` (`http://127.0.0.1:4000/`): from the scheme before
/// `://` to the next space. An address is not a statistic, and a reader copies it; the words
/// before it, such as a Markdown link's text (`[report 8](https://…)`), are still read.
fn addresses(text: &str) -> Vec<Range<usize>> {
    let mut found: Vec<Range<usize>> = Vec::new();
    for (at, _) in text.match_indices("://") {
        if found.last().is_some_and(|r| r.end > at) {
            continue;
        }
        let scheme = |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.');
        let start = text[..at].rfind(|c: char| !scheme(c)).map_or(0, |i| i + text[i..].chars().next().map_or(1, char::len_utf8));
        let end = text[at..].find(char::is_whitespace).map_or(text.len(), |i| at + i);
        found.push(start..end);
    }
    found
}

/// Every number in `text` outside `calls` (spans in order) and its web addresses.
fn numbers_outside(text: &str, calls: &[Range<usize>]) -> Vec<Number> {
    let mut found = Vec::new();
    let mut skip: Vec<Range<usize>> = calls.iter().cloned().chain(addresses(text)).collect();
    skip.sort_by_key(|r| r.start);
    let mut skip = skip.iter().peekable();
    let mut dated_until = 0;
    let mut next = 0;
    for (i, c) in text.char_indices() {
        if i < next || !c.is_numeric() {
            continue;
        }
        while skip.next_if(|r| r.end <= i).is_some() {}
        if let Some(call) = skip.peek().filter(|r| r.contains(&i)) {
            next = call.end;
            continue;
        }
        let span = i..number_end(text, i);
        next = span.end;
        if let Some(end) = date_at(text, &span) {
            dated_until = dated_until.max(end);
        }
        let exempt = span.start < dated_until || is_year(text, &span);
        found.push(Number { span, exempt });
    }
    found
}

/// The end of the number starting at `start`: digits, with a `,` or `.` between two digits.
fn number_end(text: &str, start: usize) -> usize {
    let mut end = start;
    let mut chars = text[start..].char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_numeric() {
            end = start + i + c.len_utf8();
        } else if matches!(c, ',' | '.') && chars.peek().is_some_and(|(_, n)| n.is_numeric()) {
            continue;
        } else {
            break;
        }
    }
    end
}

const CURRENCY: &[char] = &['£', '$', '€', '¥'];

fn before(text: &str, at: usize) -> Option<char> {
    text[..at].chars().next_back()
}

fn after(text: &str, at: usize) -> Option<char> {
    text[at..].chars().next()
}

/// Whether nothing that would make a word or a larger number touches the span's end.
fn ends_clear(text: &str, end: usize) -> bool {
    after(text, end).is_none_or(|c| !c.is_alphanumeric() && c != '%')
}

/// [`ends_clear`], and no date or span of years goes on after it (`2018-13` of `2018-13-03`).
fn date_ends(text: &str, end: usize) -> bool {
    let mut rest = text[end..].chars();
    let goes_on = matches!(rest.next(), Some('-' | '–' | '/' | '.')) && rest.next().is_some_and(|c| c.is_ascii_digit());
    ends_clear(text, end) && !goes_on
}

fn starts_clear(text: &str, start: usize) -> bool {
    before(text, start).is_none_or(|c| !c.is_alphanumeric() && !CURRENCY.contains(&c))
}

/// The value of `digits` when it is four ASCII digits from 1900 to 2100.
fn year_value(digits: &str) -> Option<u32> {
    (digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit())).then(|| digits.parse().ok()).flatten().filter(|y| (1900..=2100).contains(y))
}

/// A year standing alone, or as a decade (`1990s`).
fn is_year(text: &str, span: &Range<usize>) -> bool {
    let decade = text[span.end..].strip_prefix('s').is_some_and(|rest| rest.chars().next().is_none_or(|c| !c.is_alphanumeric()));
    year_value(&text[span.clone()]).is_some() && starts_clear(text, span.start) && (ends_clear(text, span.end) || decade)
}

/// The ASCII digits at the start of `text`, at most `most` of them, as a number with its length.
fn leading_digits(text: &str, most: usize) -> Option<(u32, usize)> {
    let len = text.bytes().take(most + 1).take_while(u8::is_ascii_digit).count();
    (1..=most).contains(&len).then(|| text[..len].parse().ok().map(|v| (v, len))).flatten()
}

/// Months' names as English writes them in dates, capitalised: `may 5` is no date.
const MONTHS: [&str; 24] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Sept",
    "Oct",
    "Nov",
    "Dec",
];

/// A month's name at the start of `text`, standing alone: its length.
fn month_at(text: &str) -> Option<usize> {
    MONTHS.iter().find(|m| text.starts_with(*m) && text[m.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric())).map(|m| m.len())
}

/// When the number at `span` starts a date or a span of years, the end of what that makes
/// exempt: `2018-04-03`, `3/4/2018`, `2018-19`, `3 April`, `April 3rd`.
fn date_at(text: &str, span: &Range<usize>) -> Option<usize> {
    if !starts_clear(text, span.start) {
        return None;
    }
    let rest = &text[span.start..];
    let year_at = |s: &str| leading_digits(s, 4).filter(|(y, len)| *len == 4 && (1900..=2100).contains(y));
    // 2018-04-03, and spans of years: 2018-19, 2018/19, 2018–2019.
    if year_at(rest).is_some() {
        let tail = &rest[4..];
        let iso = tail.strip_prefix('-').and_then(|t| {
            leading_digits(t, 2).filter(|(m, len)| *len == 2 && (1..=12).contains(m))?;
            let t = t[2..].strip_prefix('-')?;
            leading_digits(t, 2).filter(|(d, len)| *len == 2 && (1..=31).contains(d))?;
            Some("2018-04-03".len())
        });
        let years = ["-", "–", "/"].iter().find_map(|sep| {
            let t = tail.strip_prefix(sep)?;
            let (_, len) = year_at(t).or_else(|| leading_digits(t, 2).filter(|(_, len)| *len == 2))?;
            Some(4 + sep.len() + len)
        });
        return iso.or(years).map(|len| span.start + len).filter(|&end| date_ends(text, end));
    }
    let (_, d_len) = leading_digits(rest, 2).filter(|(d, _)| (1..=31).contains(d))?;
    // 3/4/2018, 03-04-2018, 3.4.2018.
    let numeric = ["/", "-", "."].iter().find_map(|sep| {
        let t = rest[d_len..].strip_prefix(sep)?;
        let (_, m_len) = leading_digits(t, 2).filter(|(m, _)| (1..=12).contains(m))?;
        let t = t[m_len..].strip_prefix(sep)?;
        year_at(t)?;
        Some(d_len + 2 * sep.len() + m_len + 4)
    });
    if let Some(end) = numeric.map(|len| span.start + len).filter(|&end| date_ends(text, end)) {
        return Some(end);
    }
    // A day with its month: 3 April, 3rd of April, April 3, April 3rd.
    let suffix = ["st", "nd", "rd", "th"].iter().find(|s| rest[d_len..].starts_with(*s)).map_or(0, |s| s.len());
    let day_end = span.start + d_len + suffix;
    if after(text, day_end).is_some_and(|c| c.is_alphanumeric()) {
        return None;
    }
    let following = text[day_end..].trim_start();
    let following = following.strip_prefix("of").filter(|t| t.starts_with(char::is_whitespace)).map_or(following, str::trim_start);
    let month_after = text[day_end..].starts_with(char::is_whitespace) && month_at(following).is_some();
    let preceding = text[..span.start].trim_end();
    let month_before = preceding.len() < span.start
        && MONTHS.iter().any(|m| preceding.ends_with(m) && before(preceding, preceding.len() - m.len()).is_none_or(|c| !c.is_alphanumeric()));
    (month_after || month_before).then_some(day_end)
}

/// The word a number stands in, for quoting: letters and digits, joined by `-`, `_`, `/`, `.`,
/// `,` and apostrophes between them, with a currency sign before and `%` after.
/// It reaches at most [`QUOTED_CHARS`] either side, so that a long run of letters and digits
/// is read once, not once for each number in it.
fn word_around(text: &str, span: &Range<usize>) -> Range<usize> {
    const JOINERS: &[char] = &['-', '‑', '_', '/', '.', ',', '\'', '’'];
    let mut start = span.start;
    for _ in 0..=QUOTED_CHARS {
        match before(text, start) {
            Some(c) if c.is_alphanumeric() => start -= c.len_utf8(),
            Some(c) if JOINERS.contains(&c) && before(text, start - c.len_utf8()).is_some_and(char::is_alphanumeric) => start -= c.len_utf8(),
            _ => break,
        }
    }
    let mut end = span.end;
    for _ in 0..=QUOTED_CHARS {
        match after(text, end) {
            Some(c) if c.is_alphanumeric() => end += c.len_utf8(),
            Some(c) if JOINERS.contains(&c) && after(text, end + c.len_utf8()).is_some_and(char::is_alphanumeric) => end += c.len_utf8(),
            _ => break,
        }
    }
    if let Some(c) = before(text, start).filter(|c| CURRENCY.contains(c)) {
        start -= c.len_utf8();
    }
    if after(text, end) == Some('%') {
        end += 1;
    }
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand-typed numbers of `text`, as written.
    fn found(text: &str) -> Vec<&str> {
        numbers(text).into_iter().filter(|n| !n.exempt).map(|n| &text[n.span]).collect()
    }

    fn in_markdown(body: &str) -> Vec<&str> {
        in_body(body).into_iter().map(|n| &body[n.span]).collect()
    }

    fn message(text: &str) -> String {
        let number = numbers(text).into_iter().find(|n| !n.exempt).unwrap();
        warning(text, &number, Place::Page).message().to_string()
    }

    #[test]
    fn a_number_is_digits_with_commas_and_points_between_them() {
        assert_eq!(found("1,628 of 956 people, 32.6% and 3, 4."), ["1,628", "956", "32.6", "3", "4"]);
        assert_eq!(found("1,000,000.5 and 7."), ["1,000,000.5", "7"]);
        assert_eq!(found("No numbers here."), Vec::<&str>::new());
        assert_eq!(found("٣ and ½"), ["٣", "½"], "digits of any script");
    }

    #[test]
    fn digits_inside_words_are_numbers_too() {
        assert_eq!(found("Channel 4, COVID-19, B2B, 4G and the 2nd app"), ["4", "19", "2", "4", "2"]);
        assert_eq!(message("COVID-19 cases"), "the number 19 in COVID-19 is typed by hand");
        assert_eq!(message("the 2nd app"), "the number 2 in 2nd is typed by hand");
    }

    #[test]
    fn a_number_is_quoted_with_its_sign() {
        assert_eq!(message("Some 1,628 children."), "the number 1,628 is typed by hand");
        assert_eq!(message("It was 52%."), "the number 52% is typed by hand");
        assert_eq!(message("It cost £3m."), "the number 3 in £3m is typed by hand");
        let long = "9".repeat(100);
        assert!(message(&long).ends_with("9… is typed by hand"), "{}", message(&long));
    }

    #[test]
    fn the_hint_says_how_to_quote_or_mark_it() {
        let text = "Some 1,628 children.";
        let number = &numbers(text)[0];
        let page = warning(text, number, Place::Page);
        assert_eq!(
            page.hint_text(),
            Some(
                r#"quote it from a figure with {{ value(id="…", key="…") }} so it follows the data, or mark it {{ literal("1,628") }} if it is not a statistic"#
            )
        );
        let figure = warning(text, number, Place::Figure);
        assert!(figure.hint_text().is_some_and(|h| h.starts_with(r#"quote it from this figure's values with {{ value(key="…") }}"#)), "{figure:?}");
        assert!(page.is_warning());
    }

    /// Hostile text takes time in proportion to its length: one long word of many numbers,
    /// and a title of many numbers, are each read once.
    #[test]
    fn many_numbers_in_one_word_or_title_are_read_once() {
        let word = "1a".repeat(200_000);
        let all = numbers(&word);
        assert_eq!(all.len(), 200_000);
        let shown = warning(&word, &all[100_000], Place::Page);
        assert_eq!(shown.message(), "the number 1 is typed by hand", "a word too long to quote");
        let yaml = format!("title: \"{}\"\n", "7 ".repeat(100_000));
        let value = "7 ".repeat(100_000);
        let placed = in_yaml_value(&yaml, "title", &value);
        assert_eq!(placed.len(), 100_000);
        assert_eq!(placed[99_999].1, Some(8 + 2 * 99_999));
    }

    #[test]
    fn web_addresses_are_not_typed_by_hand() {
        assert_eq!(found("open http://127.0.0.1:4000 or (https://x.org/r/2019/5) then 6"), ["6"]);
        assert_eq!(found("http://a.org/1 7 ://8"), ["7"]);
        assert_eq!(in_body("Open http://127.0.0.1:4000 to see 9.\n").len(), 1);
        assert_eq!(found("[report 8](https://x.org/r/9)"), ["8"], "the words before an address are read");
    }

    #[test]
    fn calls_are_not_typed_by_hand() {
        assert_eq!(found(r#"{{ value(id="f2", key="k3") }} and {{ literal("0800 1111") }} but 5"#), ["5"]);
        assert_eq!(found("{{ not closed 5\n}} 6"), ["5", "6"], "a call closes on its own line");
    }

    #[test]
    fn years_standing_alone_are_not_reported() {
        assert_eq!(found("In 2018, and in 1900 and 2100."), Vec::<&str>::new());
        assert_eq!(found("In 1899, 2101 and 20180."), ["1899", "2101", "20180"]);
        assert_eq!(found("£2000, 2000%, 2,018, 2018.5 and A2018"), ["2000", "2000", "2,018", "2018.5", "2018"]);
        assert_eq!(found("mid-2018, the 1990s and 2018's report"), Vec::<&str>::new());
        assert_eq!(found("in 2018-19 and 2018/19 and 2018–2019"), Vec::<&str>::new(), "spans of years");
        assert_eq!(found("2018-190"), ["190"]);
    }

    #[test]
    fn dates_are_not_reported() {
        for date in ["2018-04-03", "3/4/2018", "03-04-2018", "3.4.2018", "3 April 2018", "3rd April", "3 of April", "April 3, 2018", "Sept 30th", "on 31 Dec."]
        {
            assert_eq!(found(date), Vec::<&str>::new(), "{date}");
        }
        assert_eq!(found("2018-13-03"), ["13", "03"], "not a month");
        assert_eq!(found("32 April"), ["32"], "not a day");
        assert_eq!(found("3 Aprils and may 5"), ["3", "5"], "a month's name, capitalised, standing alone");
        assert_eq!(found("3/4 of them"), ["3", "4"]);
    }

    #[test]
    fn in_a_page_only_the_words_a_reader_sees_count() {
        let body = "## Why 52 {#why-2}\n\n1. First, 7 things\n2. Then\n\nSee [3 reports](/r/4) and <https://x.org/5>.\n\n`code 6` and\n\n```\n8\n```\n\n![Chart of 9](c10.png)\n\nText[^11].\n\n[^11]: Note 12.\n\n| a | b |\n|---|---|\n| 13 | x |\n\n<div>14</div>\n\n    indented 15\n";
        assert_eq!(in_markdown(body), ["52", "7", "3", "9", "12", "13"]);
    }

    #[test]
    fn in_a_page_calls_are_skipped_across_smart_punctuation() {
        let body = "He said \"{{ value(id=\"f\", key=\"a1\") }}\" and {{ literal('0800 1111') }}, not 999.\n";
        assert_eq!(in_markdown(body), ["999"]);
    }

    #[test]
    fn a_yaml_value_is_found_where_it_is_written() {
        let yaml = "title: \"Up 52% in 2018\" # 7\nnote: >\n  One 3 and\n  again 3\nalt: x\n";
        let place = |key: &str, value: &str| in_yaml_value(yaml, key, value).into_iter().map(|(n, at)| (value[n.span].to_string(), at)).collect::<Vec<_>>();
        assert_eq!(place("title", "Up 52% in 2018"), [("52".to_string(), Some(yaml.find("52").unwrap()))]);
        let second = yaml.rfind('3').unwrap();
        assert_eq!(place("note", "One 3 and again 3\n"), [("3".to_string(), Some(yaml.find("3 and").unwrap())), ("3".to_string(), Some(second))]);
        assert_eq!(value_region(yaml, "alt"), Some(yaml.len() - 3..yaml.len()));
        assert_eq!(value_region(yaml, "missing"), None);
        assert_eq!(value_region("---\ntitle: A 1\n---\n", "title"), Some(10..15));
    }

    #[test]
    fn many_numbers_on_one_line_are_grouped() {
        let dir = tempfile::tempdir().unwrap();
        let write = |rel: &str, text: &str| {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("content/site.yaml", "title: T\ndescription: D\nbase_url: https://t.example.org/\nlanguage: en-GB\norganisation: O\n");
        let row = (1..=50).map(|n| format!("{n}1")).collect::<Vec<_>>().join(" ");
        write("content/index.md", &format!("---\ntitle: Home\n---\n{row}\n\nOnce: 7.\n"));
        let site = crate::load::load(dir.path()).unwrap();
        let all = Error::collect(check(&site, &mut Cache::default())).unwrap();
        let messages: Vec<(String, usize)> = all.all().map(|e| (e.message().to_string(), e.repeats())).collect();
        assert_eq!(
            messages,
            [
                ("the number 11 is typed by hand".to_string(), 0),
                ("the number 21 is typed by hand".to_string(), 0),
                ("the number 31 is typed by hand".to_string(), 0),
                ("more numbers on this line are typed by hand".to_string(), 46),
                ("the number 7 is typed by hand".to_string(), 0),
            ]
        );
        assert_eq!(all.error_count(), 0, "only warnings");
    }

    /// The preview checks on every edit: what is kept must agree with a fresh check, and a
    /// figure's numbers are placed in its file.
    #[test]
    fn kept_warnings_follow_pages_and_figures_as_they_change() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |rel: &str, text: &str| {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("content/site.yaml", "title: T\ndescription: D\nbase_url: https://t.example.org/\nlanguage: en-GB\norganisation: O\n");
        write("content/index.md", "---\ntitle: Top 5\ndescription: \"Why 6\"\n---\nSeven 7.\n");
        write("content/figures/f.yaml", "title: F\nsource: S 9\nchart: bar\nunit: count\nnote: |\n  About\n  8 of them\ndata:\n  - { label: A, value: 1 }\n");
        let mut cache = Cache::default();
        let mut places = |step: &str| {
            let site = crate::load::load(root).unwrap();
            let shown = |errors: Vec<Error>| -> Vec<String> {
                errors
                    .iter()
                    .map(|e| format!("{} {:?} {}", e.location().unwrap().file.display(), e.location().unwrap().line.map(|(l, c, _)| (l, c)), e.message()))
                    .collect()
            };
            let (kept, fresh) = (shown(check(&site, &mut cache)), shown(check(&site, &mut Cache::default())));
            assert_eq!(kept, fresh, "after {step}");
            kept
        };
        assert_eq!(
            places("the first check"),
            [
                "content/index.md Some((2, 12)) the number 5 is typed by hand",
                "content/index.md Some((3, 19)) the number 6 is typed by hand",
                "content/index.md Some((5, 7)) the number 7 is typed by hand",
                "content/figures/f.yaml Some((7, 3)) the number 8 is typed by hand",
            ]
        );
        write("content/index.md", "---\ntitle: Top\n---\nSeven {{ literal(\"7\") }}.\n");
        write("content/figures/f.yaml", "title: F 10\nsource: S\nchart: bar\nunit: count\ndata:\n  - { label: A, value: 1 }\n");
        assert_eq!(places("both changed"), ["content/figures/f.yaml Some((1, 10)) the number 10 is typed by hand"]);
    }
}
