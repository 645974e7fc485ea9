//! Web addresses: what counts as one that a reader's browser can follow to another site.

/// Whether `url` is an absolute `http` or `https` address with a host, and nothing in it that
/// could end an attribute or a line.
pub fn is_web_address(url: &str) -> bool {
    let url = url.trim();
    (url.starts_with("https://") || url.starts_with("http://"))
        && url.split_once("://").is_some_and(|(_, rest)| !rest.is_empty() && !rest.starts_with('/'))
        && !url.contains(|c: char| c.is_whitespace() || c.is_control() || c == '"' || c == '<' || c == '>')
}

#[cfg(test)]
mod tests {
    use super::is_web_address;

    #[test]
    fn only_absolute_http_addresses_with_a_host() {
        assert!(is_web_address("https://www.nspcc.org.uk/"));
        assert!(is_web_address(" http://example.org/a?b=c "));
        for bad in ["javascript:alert(1)", "https://", "https:///x", "/news/", "https://a b.org/", "https://a.org/\"x", "ftp://a.org/"] {
            assert!(!is_web_address(bad), "{bad}");
        }
    }
}
