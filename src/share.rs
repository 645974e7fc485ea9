//! Share links: plain addresses of each platform's own share form, pre-filled with the
//! finding, the share page's address and the hashtag. No scripts, no tracking parameters, no
//! cookies: nothing reaches a platform until a reader chooses to follow a link.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShareLink {
    /// The platform, as a reader knows it.
    pub name: &'static str,
    pub url: String,
}

/// Links to share `url` with `title` and the hashtag on X, Facebook, LinkedIn, WhatsApp,
/// Bluesky and email.
pub fn links(title: &str, url: &str, hashtag: Option<&str>) -> Vec<ShareLink> {
    let text = match hashtag {
        Some(tag) => format!("{title} #{tag}"),
        None => title.to_string(),
    };
    let (t, u) = (encode(&text), encode(url));
    let with_url = encode(&format!("{text} {url}"));
    vec![
        ShareLink { name: "X", url: format!("https://x.com/intent/tweet?text={t}&url={u}") },
        ShareLink { name: "Facebook", url: format!("https://www.facebook.com/sharer/sharer.php?u={u}") },
        ShareLink { name: "LinkedIn", url: format!("https://www.linkedin.com/sharing/share-offsite/?url={u}") },
        ShareLink { name: "WhatsApp", url: format!("https://wa.me/?text={with_url}") },
        ShareLink { name: "Bluesky", url: format!("https://bsky.app/intent/compose?text={with_url}") },
        ShareLink { name: "Email", url: format!("mailto:?subject={}&body={}", encode(title), encode(&format!("{text}\r\n\r\n{url}"))) },
    ]
}

/// Percent-encodes everything but RFC 3986's unreserved characters, so no text can end the
/// query, the attribute or the link.
pub fn encode(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.extend(['%', HEX[usize::from(b >> 4)] as char, HEX[usize::from(b & 15)] as char]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_carry_title_url_and_hashtag() {
        let links = links("Facebook & co: 52%", "https://x.org/figures/a/", Some("WildWestWeb"));
        let names: Vec<&str> = links.iter().map(|l| l.name).collect();
        assert_eq!(names, vec!["X", "Facebook", "LinkedIn", "WhatsApp", "Bluesky", "Email"]);
        assert_eq!(links[0].url, "https://x.com/intent/tweet?text=Facebook%20%26%20co%3A%2052%25%20%23WildWestWeb&url=https%3A%2F%2Fx.org%2Ffigures%2Fa%2F");
        for link in &links {
            assert!(link.url.contains("x.org%2Ffigures%2Fa"), "{}", link.name);
            assert!(!link.url.contains("utm_"), "no tracking");
        }
        assert!(links[3].url.contains("%23WildWestWeb%20https%3A"));
    }

    #[test]
    fn hostile_text_cannot_break_out() {
        let encoded = encode("\"><script>alert(1)</script>&x=1#");
        assert!(encoded.chars().all(|c| c.is_ascii_alphanumeric() || "%-._~".contains(c)));
        assert_eq!(encode("£5 ~ a-b_c.d"), "%C2%A35%20~%20a-b_c.d", "UTF-8 bytes, high half first");
    }
}
