//! Numbers as readers see them: digits grouped in thousands, the way the site's language
//! writes them.

use crate::strings::{Language, Plural};

/// How a language writes a number: what goes between thousands, and what marks the decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
pub enum Style {
    /// 1,628.5: English, Welsh, Irish, Scottish Gaelic, and most languages of Asia.
    #[default]
    Comma,
    /// 1.628,5: German, Dutch, Danish, Spanish, Italian, Portuguese, Greek, Turkish and others.
    Dot,
    /// 1 628,5 (a no-break space): French, the Nordic languages but Danish, Polish, Czech,
    /// Russian and others.
    Space,
}

impl Style {
    /// The style of the language `tag` (`en-GB`, `cy`, `de-AT`): by its first part. A language
    /// not named here is written as English is.
    pub fn of_language(tag: &str) -> Style {
        let language = tag.split('-').next().unwrap_or_default().to_ascii_lowercase();
        match language.as_str() {
            "de" | "nl" | "da" | "es" | "it" | "pt" | "el" | "tr" | "ro" | "hr" | "sl" | "sr" | "id" | "ca" | "eu" | "gl" => Style::Dot,
            "fr" | "sv" | "nb" | "nn" | "no" | "fi" | "pl" | "cs" | "sk" | "ru" | "uk" | "hu" | "et" | "lt" | "lv" | "bg" => Style::Space,
            _ => Style::Comma,
        }
    }

    /// `digits` (an optional `-`, then decimal digits, then perhaps a `.` and a fraction),
    /// with a separator between each group of three digits before the decimal mark.
    pub fn write(self, digits: &str) -> String {
        let (group, decimal) = match self {
            Style::Comma => (",", "."),
            Style::Dot => (".", ","),
            Style::Space => ("\u{a0}", ","),
        };
        let (sign, unsigned) = digits.strip_prefix('-').map_or(("", digits), |rest| ("-", rest));
        let (whole, fraction) = unsigned.split_once('.').map_or((unsigned, None), |(w, f)| (w, Some(f)));
        let mut out = String::with_capacity(digits.len() + whole.len() / 3 * 2);
        out.push_str(sign);
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i).is_multiple_of(3) {
                out.push_str(group);
            }
            out.push(c);
        }
        if let Some(fraction) = fraction {
            out.push_str(decimal);
            out.push_str(fraction);
        }
        out
    }
}

/// `digits` grouped the English way, `1628` as `1,628`: for soapbox's own messages.
pub fn grouped(digits: &str) -> String {
    Style::Comma.write(digits)
}

/// `n` and the word for what it counts, singular or plural as `n` needs: `1 page`,
/// `2 pages`, `1,628 categories`. Every count in soapbox's own messages goes through it; the
/// messages are in English, so English's plural rule (the one the site's words use) chooses.
pub fn counted(n: usize, one: &str, many: &str) -> String {
    let form = Language::English.plural(u64::try_from(n).unwrap_or(u64::MAX));
    format!("{} {}", grouped(&n.to_string()), if form == Plural::One { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::{counted, grouped, Style};

    #[test]
    fn one_of_a_thing_is_singular_and_every_other_count_plural() {
        assert_eq!(counted(1, "page", "pages"), "1 page");
        assert_eq!(counted(0, "page", "pages"), "0 pages");
        assert_eq!(counted(2, "category", "categories"), "2 categories");
        assert_eq!(counted(1628, "byte", "bytes"), "1,628 bytes");
    }

    #[test]
    fn each_language_writes_its_own_separators() {
        assert_eq!(Style::of_language("en-GB").write("-1234567.25"), "-1,234,567.25");
        assert_eq!(Style::of_language("cy").write("1628.5"), "1,628.5");
        assert_eq!(Style::of_language("de-AT").write("1628.5"), "1.628,5");
        assert_eq!(Style::of_language("fr").write("1628.5"), "1\u{a0}628,5");
        assert_eq!(Style::of_language("xx").write("1628"), "1,628");
    }

    #[test]
    fn thousands_are_grouped_before_the_point_only() {
        assert_eq!(grouped("0"), "0");
        assert_eq!(grouped("999"), "999");
        assert_eq!(grouped("1628"), "1,628");
        assert_eq!(grouped("67108864"), "67,108,864");
        assert_eq!(grouped("-1234567.125"), "-1,234,567.125");
        assert_eq!(grouped("100000.5"), "100,000.5");
    }
}
