//! `_headers`: the HTTP headers the built site needs, in the format Netlify and Cloudflare
//! Pages read. A strict Content-Security-Policy that the pages really satisfy (the only
//! scripts are the site's own files, or inline ones allowed by their hash), no third-party
//! origins, no referrer, and a year's caching for the content-hashed assets.
//!
//! Two things open the policy, each on the pages that need it and on no other: a page with a
//! form may post to the site's form endpoint (`form-action` names its origin, and `'self'`,
//! because Chromium holds the endpoint's redirect back to the site's thank-you page to the
//! same directive; every other page keeps `form-action 'none'`, so markup that found its way
//! onto a page without a form could send nothing anywhere), and a page with a video may frame its host's
//! privacy-enhanced player (`frame-src`; elsewhere `default-src 'none'` refuses every frame).

use crate::components::Component;
use crate::load::Site;
use crate::output::{Bytes, OutPath};
use crate::urls;
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Everything a page may load comes from the site itself.
const POLICY: &str = "default-src 'none'; script-src 'self'{inline}; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'";

/// Headers for every response.
pub const COMMON: [(&str, &str); 3] = [
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"),
];

/// Headers for the embed script, which pages on any site load.
pub const EMBED_SCRIPT: [(&str, &str); 2] = [("Access-Control-Allow-Origin", "*"), ("Cross-Origin-Resource-Policy", "cross-origin")];

/// What one page's policy allows beyond the site itself.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Allowed {
    /// The origin the page's forms post to.
    pub form_action: Option<String>,
    /// The origins whose frames the page's videos show.
    pub frames: Vec<&'static str>,
}

/// What each page of `site` may do beyond the site itself, by output path: pages with a form
/// or a video, and no others.
pub fn allowed(site: &Site) -> BTreeMap<String, Allowed> {
    let mut by_path = BTreeMap::new();
    for page in &site.pages {
        let mut allowed = Allowed::default();
        for (component, _) in &page.scanned.components {
            match component {
                Component::Form(_) => allowed.form_action = site.config.forms.as_ref().map(|f| f.origin()),
                Component::Video(video) if !allowed.frames.contains(&video.host.frame_origin()) => allowed.frames.push(video.host.frame_origin()),
                _ => {}
            }
        }
        if allowed != Allowed::default() {
            allowed.frames.sort_unstable();
            by_path.insert(urls::page_file(&page.url), allowed);
        }
    }
    by_path
}

/// The policy for one page: inline scripts allowed by hash, framing only for embeds, forms
/// and frames as `allowed` says.
pub fn policy(html: &[u8], embeddable: bool, allowed: &Allowed) -> String {
    let inline: String = inline_scripts(html).iter().map(|s| format!(" 'sha256-{}'", base64(&Sha256::digest(s)))).collect();
    let mut policy = POLICY.replace("{inline}", &inline);
    if let Some(origin) = &allowed.form_action {
        policy = policy.replace("form-action 'none'", &format!("form-action {origin} 'self'"));
    }
    if !allowed.frames.is_empty() {
        policy.push_str(&format!("; frame-src {}", allowed.frames.join(" ")));
    }
    let ancestors = if embeddable { "frame-ancestors *" } else { "frame-ancestors 'none'" };
    format!("{policy}; {ancestors}")
}

/// The contents of `<script>` elements without a `src`, as bytes: what the browser hashes.
/// Searched as bytes, so a page need not be checked as UTF-8 first.
fn inline_scripts(html: &[u8]) -> Vec<&[u8]> {
    use memchr::memmem::find;
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(i) = find(rest, b"<script") {
        let after = &rest[i + 7..];
        let Some(close) = memchr::memchr(b'>', after) else { break };
        let attrs = &after[..close];
        let body_start = close + 1;
        let Some(end) = find(&after[body_start..], b"</script") else { break };
        if find(attrs, b"src=").is_none() {
            found.push(&after[body_start..body_start + end]);
        }
        rest = &after[body_start + end..];
    }
    found
}

fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(TABLE[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The `_headers` file for `files` (output path to bytes), served from `base_path`, each
/// page's policy opened only as far as `allowed` says (see [`allowed`]).
pub fn file(files: &BTreeMap<OutPath, Bytes>, base_path: &str, hashed: &[&str], allowed: &BTreeMap<String, Allowed>) -> String {
    let mut out = String::from("# Written by soapbox build. Netlify and Cloudflare Pages read this file.\n/*\n");
    for (name, value) in COMMON {
        out.push_str(&format!("  {name}: {value}\n"));
    }
    // Every page is searched for inline scripts: in parallel, in path order.
    let pages: Vec<(&str, &[u8])> = files.iter().filter(|(p, _)| p.ends_with(".html")).map(|(p, b)| (&**p, b.as_slice())).collect();
    let policies: Vec<String> = pages
        .par_iter()
        .map(|(path, bytes)| {
            let url = format!("{base_path}{}", urls::page_address(path).unwrap_or(path));
            let none = Allowed::default();
            let policy = policy(bytes, urls::is_embed_file(path), allowed.get(*path).unwrap_or(&none));
            format!("{url}\n  Content-Security-Policy: {policy}\n")
        })
        .collect();
    out.extend(policies);
    // Other sites load the embed script with their embeds: say they may.
    out.push_str(&format!("{base_path}{}\n", urls::EMBED_SCRIPT));
    for (name, value) in EMBED_SCRIPT {
        out.push_str(&format!("  {name}: {value}\n"));
    }
    for path in hashed {
        out.push_str(&format!("{base_path}{path}\n  Cache-Control: public, max-age=31536000, immutable\n"));
    }
    // Calendar files, so that a click adds the event and a feed can be subscribed to.
    for path in files.keys().filter(|p| p.ends_with(".ics")) {
        out.push_str(&format!("{base_path}{path}\n  Content-Type: {CALENDAR}\n"));
    }
    out
}

/// The media type of an iCalendar file (RFC 5545, 8.1).
pub const CALENDAR: &str = "text/calendar; charset=utf-8";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_allowed_by_hash_only() {
        let html = "<script src=/site.js defer></script><script>alert(1)</script>";
        let p = policy(html.as_bytes(), false, &Allowed::default());
        assert!(p.contains("script-src 'self' 'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"), "{p}");
        assert!(p.ends_with("form-action 'none'; frame-ancestors 'none'") && !p.contains("frame-src"), "{p}");
        assert!(policy(b"", true, &Allowed::default()).ends_with("frame-ancestors *"));
    }

    #[test]
    fn forms_and_videos_open_only_what_they_need() {
        let allowed = Allowed { form_action: Some("https://forms.example.org".into()), frames: vec!["https://www.youtube-nocookie.com"] };
        let p = policy(b"", false, &allowed);
        assert!(p.contains("; form-action https://forms.example.org 'self';") && !p.contains("form-action 'none'"), "{p}");
        assert!(p.contains("; frame-src https://www.youtube-nocookie.com;"), "{p}");
        assert!(p.starts_with("default-src 'none';"), "{p}");
    }

    #[test]
    fn base64_pads() {
        assert_eq!(base64(b"a"), "YQ==");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"abc"), "YWJj");
    }
}
