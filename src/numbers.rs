//! Numbers as readers see them: digits grouped in thousands with commas.

/// `digits` (an optional `-`, then decimal digits, then perhaps a fraction) with a comma
/// between each group of three digits before the point: `1628` as `1,628`.
pub fn grouped(digits: &str) -> String {
    let (sign, unsigned) = digits.strip_prefix('-').map_or(("", digits), |rest| ("-", rest));
    let (whole, fraction) = unsigned.split_once('.').map_or((unsigned, None), |(w, f)| (w, Some(f)));
    let mut out = String::with_capacity(digits.len() + whole.len() / 3);
    out.push_str(sign);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(fraction) = fraction {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::grouped;

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
