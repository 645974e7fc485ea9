//! The theme's words in each language: the interface strings of the templates, the words
//! drawn in charts and written in their tables, the sentences of a chart's description, month
//! names and plural forms.
//!
//! English and Welsh are built in (`templates/strings/en.yaml`, `cy.yaml`, kept as YAML so a
//! speaker can review a language in one place). A site's own `templates/strings/LANG.yaml`
//! replaces them key by key; a language with no built-in file needs every key from the site.
//! English's file names the keys: a key it lacks is a misspelling, refused at its line.

use crate::error::{suggestion, Error, Location, Result};
use crate::theme;
use crate::yaml::{self, YamlText};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// A language whose words, months and plural rules soapbox knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
pub enum Language {
    #[default]
    English,
    Welsh,
}

/// CLDR's plural categories: which form of a word a count takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Plural {
    Zero,
    One,
    Two,
    Few,
    Many,
    Other,
}

const CATEGORIES: [(&str, Plural); 6] =
    [("zero", Plural::Zero), ("one", Plural::One), ("two", Plural::Two), ("few", Plural::Few), ("many", Plural::Many), ("other", Plural::Other)];

/// The Welsh alphabet's letters of two characters.
const WELSH_DIGRAPHS: [&str; 8] = ["ch", "dd", "ff", "ng", "ll", "ph", "rh", "th"];

/// A lowercase letter without its accent (`ŵ` is `w`), for sorting.
fn base_letter(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ä' => 'a',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ò' | 'ó' | 'ô' | 'ö' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ẁ' | 'ẃ' | 'ŵ' | 'ẅ' => 'w',
        'ỳ' | 'ý' | 'ŷ' | 'ÿ' => 'y',
        c => c,
    }
}

impl Language {
    /// The language of a tag such as `en-GB` or `cy`, by its first part.
    pub fn of(tag: &str) -> Option<Language> {
        match tag.split('-').next().unwrap_or_default().to_ascii_lowercase().as_str() {
            "en" => Some(Language::English),
            "cy" => Some(Language::Welsh),
            _ => None,
        }
    }

    /// The language a tag's words are read in: a language soapbox does not know counts as
    /// English does (one, other) and has its strings from the site.
    pub fn or_english(tag: &str) -> Language {
        Language::of(tag).unwrap_or_default()
    }

    /// The form a whole number `n` takes, by CLDR's rules for the language.
    pub fn plural(self, n: u64) -> Plural {
        match (self, n) {
            (Language::English, 1) => Plural::One,
            (Language::English, _) => Plural::Other,
            (Language::Welsh, 0) => Plural::Zero,
            (Language::Welsh, 1) => Plural::One,
            (Language::Welsh, 2) => Plural::Two,
            (Language::Welsh, 3) => Plural::Few,
            (Language::Welsh, 6) => Plural::Many,
            (Language::Welsh, _) => Plural::Other,
        }
    }

    /// How `a` and `b` sort in the language's alphabet, letter case and accents aside (but
    /// deciding a tie). Welsh letters of two characters sort as one: `ch` after `c`, `dd` after
    /// `d`, and so on (`llan` after `lyn`), as Welsh dictionaries do.
    pub fn collate(self, a: &str, b: &str) -> std::cmp::Ordering {
        let keys = |text: &str| -> Vec<(u32, u32)> {
            let folded: Vec<char> = text.chars().flat_map(char::to_lowercase).map(base_letter).collect();
            let mut keys = Vec::with_capacity(folded.len());
            let mut i = 0;
            while i < folded.len() {
                let pair: String = folded[i..folded.len().min(i + 2)].iter().collect();
                let digraph = self == Language::Welsh && WELSH_DIGRAPHS.contains(&pair.as_str());
                // A digraph sorts after every word with its first letter alone there.
                keys.push((folded[i] as u32, u32::from(digraph)));
                i += if digraph { 2 } else { 1 };
            }
            keys
        };
        keys(a).cmp(&keys(b)).then_with(|| a.cmp(b))
    }

    /// The name of month `m` (1 to 12).
    pub fn month(self, m: u8) -> &'static str {
        const ENGLISH: [&str; 12] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
        const WELSH: [&str; 12] = ["Ionawr", "Chwefror", "Mawrth", "Ebrill", "Mai", "Mehefin", "Gorffennaf", "Awst", "Medi", "Hydref", "Tachwedd", "Rhagfyr"];
        let names = match self {
            Language::English => &ENGLISH,
            Language::Welsh => &WELSH,
        };
        names[usize::from(m.clamp(1, 12) - 1)]
    }

    /// A date in words: `3 April 2018`, `Ebrill 2018`, `2018`.
    pub fn date(self, year: u16, month: Option<u8>, day: Option<u8>) -> String {
        match (month, day) {
            (Some(m), Some(d)) => format!("{d} {} {year}", self.month(m)),
            (Some(m), None) => format!("{} {year}", self.month(m)),
            _ => year.to_string(),
        }
    }

    /// The built-in words of the language, read once.
    pub fn words(self) -> &'static Arc<Strings> {
        static ENGLISH: OnceLock<Arc<Strings>> = OnceLock::new();
        static WELSH: OnceLock<Arc<Strings>> = OnceLock::new();
        let (cell, tag) = match self {
            Language::English => (&ENGLISH, "en"),
            Language::Welsh => (&WELSH, "cy"),
        };
        // The built-in files are part of the program; their tests prove that they read.
        cell.get_or_init(|| Arc::new(Strings::for_language(tag, None).unwrap_or_else(|e| panic!("built-in strings for `{tag}`: {}", e.message()))))
    }
}

/// One string: plain text, or a form for each plural category.
#[derive(Debug, Clone, PartialEq, Hash)]
enum Text {
    Plain(String),
    Counted(BTreeMap<Plural, String>),
}

/// The words of one language, complete: every key of the English file has a text.
#[derive(Debug, Clone, PartialEq, Hash)]
pub struct Strings {
    language: Language,
    texts: BTreeMap<String, Text>,
}

/// A site's words in each of its languages, its own files over the built-in ones, resolved
/// once as the site loads and shared by every figure, so that a figure drawn in any language
/// writes the site's words (see `Figure::translated`).
#[derive(Clone, Default, PartialEq)]
pub struct SiteStrings {
    default: String,
    by_tag: Arc<BTreeMap<String, Arc<Strings>>>,
}

impl SiteStrings {
    /// `by_tag` holds the words of every language of the site; `default` is its language.
    pub fn new(default: &str, by_tag: BTreeMap<String, Arc<Strings>>) -> SiteStrings {
        SiteStrings { default: default.to_string(), by_tag: Arc::new(by_tag) }
    }

    /// The words for `tag`; for a language the site does not have, the built-in ones.
    pub fn get(&self, tag: &str) -> Arc<Strings> {
        self.by_tag.get(tag).map_or_else(|| Arc::clone(Language::or_english(tag).words()), Arc::clone)
    }

    /// The words of the site's own language.
    pub fn default_strings(&self) -> Arc<Strings> {
        self.get(&self.default)
    }
}

/// Every language's words, for a figure's key: it is drawn in each of them (see
/// `Figure::in_site`).
impl std::hash::Hash for SiteStrings {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.default.hash(state);
        self.by_tag.hash(state);
    }
}

/// Only the languages: what a figure writes in its own language depends on that language's
/// words alone, which it carries apart, so that its drawings in the cache (keyed by what it
/// prints) are not made again when another language's words change.
impl std::fmt::Debug for SiteStrings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.by_tag.keys()).finish()
    }
}

/// The path of a language's strings file, from the site root.
pub fn file_of(tag: &str) -> String {
    format!("templates/strings/{tag}.yaml")
}

fn built_in_text(tag: &str) -> Option<String> {
    let lang = Language::of(tag)?;
    let name = match lang {
        Language::English => "templates/strings/en.yaml",
        Language::Welsh => "templates/strings/cy.yaml",
    };
    theme::templates().into_iter().find(|(path, _)| *path == name).map(|(_, text)| text)
}

impl Strings {
    /// The words for the language `tag`: the built-in file, if there is one, with the site's
    /// file (`site`: its path and text) over it key by key. Without a built-in file, the
    /// site's file must give every key; a site that gives no file for such a language keeps
    /// the English words, as every site had before it could choose.
    pub fn for_language(tag: &str, site: Option<(&Path, &str)>) -> Result<Strings> {
        if site.is_none() && built_in_text(tag).is_none() {
            return Ok(Strings::clone(Language::English.words()));
        }
        let language = Language::or_english(tag);
        let english = built_in_text("en").unwrap_or_default();
        let keys: Vec<String> = read_keys(&english);
        let mut texts = BTreeMap::new();
        if let Some(text) = built_in_text(tag) {
            texts = read(Path::new(&file_of(tag)), &text, &keys)?;
        }
        let site_file = site.map(|(file, _)| file.to_path_buf()).unwrap_or_else(|| PathBuf::from(file_of(tag)));
        if let Some((file, text)) = site {
            texts.extend(read(file, text, &keys)?);
        }
        let missing = keys.iter().filter(|k| !texts.contains_key(*k)).map(|key| {
            Error::new(format!("the strings for `{tag}` have no `{key}`"))
                .at(Location::file(&site_file))
                .hint(format!("soapbox has no built-in words for `{tag}`, so this file needs every key of the English file; add a line `{key}: …`"))
        });
        if let Some(error) = Error::collect(missing) {
            return Err(error);
        }
        Ok(Strings { language, texts })
    }

    pub fn has(&self, key: &str) -> bool {
        self.texts.contains_key(key)
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> + Clone {
        self.texts.keys().map(String::as_str)
    }

    pub fn language(&self) -> Language {
        self.language
    }

    /// The text of `key`, with each `{name}` replaced by its value in `fill`.
    pub fn fill(&self, key: &str, fill: &[(&str, &str)]) -> String {
        let text = match self.texts.get(key) {
            Some(Text::Plain(text)) => text.as_str(),
            Some(Text::Counted(forms)) => forms.get(&Plural::Other).map_or("", String::as_str),
            None => key,
        };
        placeholders(text, fill)
    }

    /// The text of `key` as it is.
    pub fn get(&self, key: &str) -> String {
        self.fill(key, &[])
    }

    /// The form of `key` that `n` takes, with `{n}` as `written` (the number as the language
    /// writes it) and the other placeholders from `fill`. A plain text serves every count.
    pub fn count(&self, key: &str, n: u64, written: &str, fill: &[(&str, &str)]) -> String {
        let text = match self.texts.get(key) {
            Some(Text::Counted(forms)) => {
                let form = self.language.plural(n);
                forms.get(&form).or_else(|| forms.get(&Plural::Other)).map_or("", String::as_str)
            }
            Some(Text::Plain(text)) => text.as_str(),
            None => key,
        };
        let mut all = vec![("n", written)];
        all.extend_from_slice(fill);
        placeholders(text, &all)
    }

    /// `a, b and c` in the language, `and` becoming `list_and_before_vowel` before a word that
    /// starts with a vowel (Welsh `ac`).
    pub fn list(&self, items: &[String]) -> String {
        match items {
            [] => String::new(),
            [one] => one.clone(),
            [rest @ .., last] => {
                let vowel = last.chars().next().is_some_and(|c| "aeiouwyâêîôûŵŷAEIOUWYÂÊÎÔÛŴŶ".contains(c));
                let and = self.get(if vowel { "list_and_before_vowel" } else { "list_and" });
                format!("{} {and} {last}", rest.join(", "))
            }
        }
    }
}

fn placeholders(text: &str, fill: &[(&str, &str)]) -> String {
    let mut out = text.to_string();
    for (name, value) in fill {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// The keys of a strings file, in order, for the built-in English file that names them all.
fn read_keys(text: &str) -> Vec<String> {
    let src = YamlText { file: Path::new("en.yaml"), text, first_line: 1 };
    let value: yaml::Value = yaml::parse(&src).unwrap_or(yaml::Value::Null);
    value.as_mapping().map(|m| m.keys().filter_map(|k| k.as_str().map(str::to_string)).collect()).unwrap_or_default()
}

/// Reads one strings file, refusing a key that the English file lacks at its line.
fn read(file: &Path, text: &str, keys: &[String]) -> Result<BTreeMap<String, Text>> {
    let src = YamlText { file, text, first_line: 1 };
    let value: yaml::Value = yaml::parse(&src)?;
    let at = |key: &str| {
        let offset = line_of(text, key).unwrap_or(0);
        Location::in_text(file, text, offset, key.len().max(1), 1)
    };
    let entries = match value {
        yaml::Value::Null => return Ok(BTreeMap::new()),
        yaml::Value::Mapping(entries) => entries,
        _ => {
            return Err(Error::new("a strings file is lines of `key: text`")
                .at(Location::file(file))
                .hint("write one `key: text` a line, as in the built-in file"))
        }
    };
    let mut texts = BTreeMap::new();
    let mut errors = Vec::new();
    for (key, value) in entries {
        let key = scalar(&key).unwrap_or_default();
        if !keys.contains(&key) {
            errors
                .push(Error::new(format!("`{key}` is not a key of the theme's strings")).at(at(&key)).hint(suggestion(&key, keys.iter().map(String::as_str))));
            continue;
        }
        match text_of(&key, value) {
            Ok(found) => {
                texts.insert(key, found);
            }
            Err((message, hint)) => errors.push(Error::new(message).at(at(&key)).hint(hint)),
        }
    }
    match Error::collect(errors) {
        Some(error) => Err(error),
        None => Ok(texts),
    }
}

/// Where the line that gives `key` starts in `text`.
fn line_of(text: &str, key: &str) -> Option<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let rest = line.strip_prefix(key).or_else(|| line.strip_prefix(&format!("\"{key}\"")));
        if rest.is_some_and(|r| r.trim_start().starts_with(':')) {
            return Some(offset);
        }
        offset += line.len();
    }
    None
}

fn scalar(value: &yaml::Value) -> Option<String> {
    match value {
        yaml::Value::String(s) => Some(s.clone()),
        yaml::Value::Number(n) => Some(n.to_string()),
        yaml::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn text_of(key: &str, value: yaml::Value) -> std::result::Result<Text, (String, String)> {
    if let Some(text) = scalar(&value) {
        return Ok(Text::Plain(text));
    }
    let names = CATEGORIES.map(|(name, _)| name);
    let Some(forms) = value.as_mapping() else {
        return Err((format!("`{key}` needs a text"), "write `key: text`, or a form for each count: `one:` and `other:` on the lines below".into()));
    };
    let mut counted = BTreeMap::new();
    for (name, form) in forms {
        let name = name.as_str().unwrap_or_default();
        let Some((_, category)) = CATEGORIES.iter().find(|(n, _)| *n == name) else {
            return Err((format!("`{name}` in `{key}` is not a plural form"), format!("the forms are {}; {}", names.join(", "), suggestion(name, names))));
        };
        let Some(text) = scalar(form) else { return Err((format!("the `{name}` form of `{key}` needs a text"), "write it on the same line".into())) };
        counted.insert(*category, text);
    }
    if !counted.contains_key(&Plural::Other) {
        return Err((
            format!("`{key}` has no `other` form"),
            "every word with forms for counting needs `other:`, the form for any count the others do not cover".into(),
        ));
    }
    Ok(Text::Counted(counted))
}

#[cfg(test)]
mod tests {
    #[test]
    fn welsh_sorts_its_two_letter_letters_as_one_and_english_by_letters() {
        fn sorted(language: Language, words: &[&'static str]) -> Vec<&'static str> {
            let mut words = words.to_vec();
            words.sort_by(|a, b| language.collate(a, b));
            words
        }
        let words = ["Llandudno", "Lyn", "Cymru", "Caerdydd", "Chwilog", "Dinbych", "ŵyr", "wal", "Aber"];
        assert_eq!(sorted(Language::Welsh, &words), ["Aber", "Caerdydd", "Cymru", "Chwilog", "Dinbych", "Lyn", "Llandudno", "wal", "ŵyr"]);
        assert_eq!(sorted(Language::English, &words), ["Aber", "Caerdydd", "Chwilog", "Cymru", "Dinbych", "Llandudno", "Lyn", "wal", "ŵyr"]);
        assert_eq!(Language::English.collate("durham", "Durham"), "durham".cmp("Durham"), "case decides only a tie");
        assert_eq!(Language::English.collate("durham", "Eden"), std::cmp::Ordering::Less, "before case");
    }

    use super::*;

    #[test]
    fn welsh_counts_take_cldr_forms() {
        let forms: Vec<Plural> = [0, 1, 2, 3, 4, 6, 7, 10, 100].into_iter().map(|n| Language::Welsh.plural(n)).collect();
        use Plural::*;
        assert_eq!(forms, [Zero, One, Two, Few, Other, Many, Other, Other, Other]);
        assert_eq!([0, 1, 2].map(|n| Language::English.plural(n)), [Other, One, Other]);
    }

    #[test]
    fn tags_name_their_language() {
        assert_eq!(Language::of("en-GB"), Some(Language::English));
        assert_eq!(Language::of("EN"), Some(Language::English));
        assert_eq!(Language::of("cy-GB"), Some(Language::Welsh));
        assert_eq!(Language::of("cy"), Some(Language::Welsh));
        assert_eq!(Language::of("fr"), None);
    }

    #[test]
    fn months_are_named_in_each_language() {
        assert_eq!(Language::Welsh.date(2018, Some(4), Some(3)), "3 Ebrill 2018");
        assert_eq!(Language::Welsh.date(2018, Some(1), None), "Ionawr 2018");
        assert_eq!(
            (1..=12).map(|m| Language::Welsh.month(m)).collect::<Vec<_>>().join(" "),
            "Ionawr Chwefror Mawrth Ebrill Mai Mehefin Gorffennaf Awst Medi Hydref Tachwedd Rhagfyr"
        );
        assert_eq!(Language::English.date(2018, Some(12), Some(25)), "25 December 2018");
        assert_eq!(Language::English.date(2018, None, None), "2018");
    }

    #[test]
    fn both_built_in_files_give_every_key() {
        let english = Language::English.words();
        let welsh = Language::Welsh.words();
        assert_eq!(english.texts.keys().collect::<Vec<_>>(), welsh.texts.keys().collect::<Vec<_>>());
        assert_eq!(welsh.get("source"), "Ffynhonnell:");
        assert_eq!(english.fill("in_all", &[("value", "12")]), "12 in all");
    }

    #[test]
    fn a_site_file_changes_only_the_keys_it_names() {
        let strings = Strings::for_language("cy-GB", Some((Path::new("templates/strings/cy-GB.yaml"), "source: \"O:\"\n"))).unwrap();
        assert_eq!(strings.get("source"), "O:");
        assert_eq!(strings.get("note"), "Nodyn:");
    }

    #[test]
    fn a_language_without_built_in_words_needs_every_key() {
        let err = Strings::for_language("fr", Some((Path::new("templates/strings/fr.yaml"), "source: \"Source :\"\n"))).unwrap_err();
        let first = err.all().next().unwrap();
        assert!(first.message().contains("the strings for `fr` have no `"), "{}", first.message());
        assert!(err.report(false).contains("templates/strings/fr.yaml"), "{}", err.report(false));
        assert!(err.all().any(|e| e.message().contains("`note`")));
        let none = Strings::for_language("fr", None).unwrap();
        assert_eq!(none.get("source"), "Source:", "without a file of its own, a site keeps the English words");
    }

    #[test]
    fn a_misspelt_key_is_refused_at_its_line_with_a_suggestion() {
        let err = Strings::for_language("cy", Some((Path::new("templates/strings/cy.yaml"), "note: Nodyn\nsorce: O\n"))).unwrap_err();
        let report = err.report(false);
        assert!(report.contains("`sorce` is not a key"), "{report}");
        assert!(report.contains("source"), "{report}");
        assert!(report.contains("cy.yaml:2"), "{report}");
    }

    #[test]
    fn counted_words_take_the_form_of_their_count() {
        let yaml =
            "embed_code:\n  zero: \"{n} cod\"\n  one: \"{n} cod\"\n  two: \"{n} god\"\n  few: \"{n} chod\"\n  many: \"{n} chod\"\n  other: \"{n} cod\"\n";
        let strings = Strings::for_language("cy", Some((Path::new("cy.yaml"), yaml))).unwrap();
        let forms: Vec<String> = [0, 1, 2, 3, 4, 6, 7, 10, 100].into_iter().map(|n| strings.count("embed_code", n, &n.to_string(), &[])).collect();
        assert_eq!(forms, ["0 cod", "1 cod", "2 god", "3 chod", "4 cod", "6 chod", "7 cod", "10 cod", "100 cod"]);
        let no_other = Strings::for_language("cy", Some((Path::new("cy.yaml"), "note: N\nembed_code:\n  one: x\n"))).unwrap_err();
        assert!(no_other.message().contains("no `other` form"), "{}", no_other.message());
        assert!(no_other.report(false).contains("cy.yaml:2"), "{}", no_other.report(false));
    }

    #[test]
    fn welsh_lists_join_with_ac_before_a_vowel() {
        let welsh = Language::Welsh.words();
        let items = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(welsh.list(&items(&["Gwent", "Dyfed-Powys"])), "Gwent a Dyfed-Powys");
        assert_eq!(welsh.list(&items(&["Gwent", "Abertawe"])), "Gwent ac Abertawe");
        assert_eq!(Language::English.words().list(&items(&["a", "b", "c"])), "a, b and c");
    }
}
