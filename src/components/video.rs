//! The `video` component: a YouTube or Vimeo video that loads nothing from its host until the
//! reader asks for it.
//!
//! ````markdown
//! ```video
//! url: https://www.youtube.com/watch?v=aqz-KE-bpKQ
//! title: What the police figures show
//! poster: /images/video-poster.jpg
//! alt: A teenager looking at a phone in a dark bedroom
//! caption: Two minutes on what the campaign asks for.
//! transcript: [Read the transcript](/video-transcript/)
//! ```
//! ````
//!
//! The page shows the poster (an image of the site's own, from `static/`) as a link to the
//! video on its host, and that works without JavaScript. The site's `video.js` turns the
//! poster into a button that, when pressed, puts the host's privacy-enhanced player in its
//! place (`youtube-nocookie.com`, or Vimeo's player with `dnt=1`). The page's
//! Content-Security-Policy lets that one host's frames in, and only on pages with a video.

use super::{unescaped, Link, Located};
use crate::error::{suggestion, Error, Location, Result};
use crate::escape::xml;
use std::ops::Range;

/// A video, and where to watch it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Video {
    pub host: Host,
    /// The video's id on its host (and, for an unlisted Vimeo video, its key).
    pub id: String,
    pub key: Option<String>,
    pub title: String,
    /// The poster image, with its alt text.
    pub poster: Link,
    pub caption: Option<String>,
    pub transcript: Option<Link>,
}

/// The hosts a video may come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Host {
    YouTube,
    Vimeo,
}

impl Host {
    /// The host's name, for readers.
    pub fn name(self) -> &'static str {
        match self {
            Host::YouTube => "YouTube",
            Host::Vimeo => "Vimeo",
        }
    }

    /// The origin its privacy-enhanced player is framed from: what the page's `frame-src`
    /// allows.
    pub fn frame_origin(self) -> &'static str {
        match self {
            Host::YouTube => "https://www.youtube-nocookie.com",
            Host::Vimeo => "https://player.vimeo.com",
        }
    }
}

const KEYS: [&str; 6] = ["url", "title", "poster", "alt", "caption", "transcript"];

const HINT: &str = "give `url:` (a YouTube or Vimeo address), `title:`, `poster:` (an image in static/, such as /images/poster.jpg) and `alt:`; `caption:` and `transcript: [Read the transcript](/transcript/)` are optional";

const URL_HINT: &str = "give the video's address on YouTube (https://www.youtube.com/watch?v=…, https://youtu.be/…) or Vimeo (https://vimeo.com/…)";

/// Reads a video's body.
pub fn parse(body: &str, locate: &dyn Fn(Range<usize>) -> Location) -> Result<Video> {
    let mut found: std::collections::BTreeMap<&str, Located> = std::collections::BTreeMap::new();
    let mut at = 0;
    for line in body.split_inclusive('\n') {
        let start = at;
        at += line.len();
        let Some(read) = Located::read(line, start) else { continue };
        let Some(key) = KEYS.iter().copied().find(|k| *k == read.key) else {
            let (message, hint) = if read.key.is_empty() {
                ("expected `key: value` in a video".to_string(), HINT.to_string())
            } else {
                (format!("a video has no `{}`", read.key), suggestion(&read.key, KEYS))
            };
            return Err(Error::new(message).at(locate(read.span)).hint(hint));
        };
        let span = read.span.clone();
        if found.insert(key, read).is_some() {
            return Err(Error::new(format!("`{key}` is given twice")).at(locate(span)).hint("remove one of the two"));
        }
    }
    let whole = || locate(0..body.trim_end().len().clamp(1, body.len().max(1)));
    let mut take = |key: &str| found.remove(key).filter(|l| !l.value.is_empty());
    let missing = |what: &str| Error::new(format!("this video has no {what}")).at(whole()).hint(HINT);
    let url = take("url").ok_or_else(|| missing("`url`"))?;
    let title = take("title").ok_or_else(|| missing("`title`"))?;
    let poster = take("poster").ok_or_else(|| missing("`poster` image"))?;
    let alt = take("alt").ok_or_else(|| missing("`alt` text for its poster"))?;
    let (host, id, key) = watch_address(&url.value)
        .ok_or_else(|| Error::new(format!("`{}` is not a YouTube or Vimeo video's address", url.value)).at(locate(url.value_span.clone())).hint(URL_HINT))?;
    if poster.value.split('/').next().unwrap_or_default().contains(':') || poster.value.starts_with("//") {
        return Err(Error::new("the poster must be an image of this site, not another's")
            .at(locate(poster.value_span))
            .hint("put the image in static/ and give its path from the site root, such as `poster: /images/poster.jpg`: a poster from the video's host would tell it who visits"));
    }
    let transcript = take("transcript").map(|t| super::link(&t.value, t.value_span.start, locate)).transpose()?;
    let poster = Link { text: unescaped(&alt.value), dest: poster.value.clone(), span: poster.value_span };
    Ok(Video { host, id, key, title: unescaped(&title.value), poster, caption: take("caption").map(|c| unescaped(&c.value)), transcript })
}

/// The host, id and (for an unlisted Vimeo video) key of a video's address on its host.
fn watch_address(url: &str) -> Option<(Host, String, Option<String>)> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let path = path.split('#').next().unwrap_or_default().trim_end_matches('/');
    let youtube_id = |id: &str| (id.len() == 11 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')).then(|| id.to_string());
    match host {
        "www.youtube.com" | "youtube.com" | "m.youtube.com" => {
            let id = match path {
                "watch" => query.split('&').find_map(|pair| pair.strip_prefix("v="))?,
                _ => path.strip_prefix("shorts/").or_else(|| path.strip_prefix("embed/"))?,
            };
            Some((Host::YouTube, youtube_id(id)?, None))
        }
        "youtu.be" => Some((Host::YouTube, youtube_id(path)?, None)),
        "vimeo.com" | "www.vimeo.com" | "player.vimeo.com" => {
            let path = path.strip_prefix("video/").unwrap_or(path);
            let mut parts = path.split('/');
            let id = parts.next().filter(|id| !id.is_empty() && id.len() <= 12 && id.chars().all(|c| c.is_ascii_digit()))?;
            let key = match parts.next() {
                Some(key) if key.chars().all(|c| c.is_ascii_alphanumeric()) && !key.is_empty() => Some(key.to_string()),
                Some(_) => return None,
                None => query.split('&').find_map(|pair| pair.strip_prefix("h=")).filter(|k| k.chars().all(|c| c.is_ascii_alphanumeric())).map(str::to_string),
            };
            parts.next().is_none().then(|| (Host::Vimeo, id.to_string(), key))
        }
        _ => None,
    }
}

impl Video {
    /// The video's own page on its host, for readers without JavaScript.
    pub fn watch_url(&self) -> String {
        match (self.host, &self.key) {
            (Host::YouTube, _) => format!("https://www.youtube.com/watch?v={}", self.id),
            (Host::Vimeo, None) => format!("https://vimeo.com/{}", self.id),
            (Host::Vimeo, Some(key)) => format!("https://vimeo.com/{}/{key}", self.id),
        }
    }

    /// The privacy-enhanced player, which `video.js` frames when the reader asks.
    pub fn player_url(&self) -> String {
        match (self.host, &self.key) {
            (Host::YouTube, _) => format!("{}/embed/{}?autoplay=1&rel=0", self.host.frame_origin(), self.id),
            (Host::Vimeo, None) => format!("{}/video/{}?dnt=1&autoplay=1", self.host.frame_origin(), self.id),
            (Host::Vimeo, Some(key)) => format!("{}/video/{}?h={key}&dnt=1&autoplay=1", self.host.frame_origin(), self.id),
        }
    }

    /// The video's HTML. `poster` and `transcript` are their links as the page writes them;
    /// `picture`, the poster as the site's photos are shown, when it is one.
    pub fn html(&self, poster: &str, picture: Option<&str>, transcript: &str, words: &crate::strings::Strings) -> String {
        let host = self.host.name();
        let smart = |t: &str| xml(&crate::typography::smart_text(t));
        let mut html = format!(
            "<figure class=\"video\" data-video=\"{}\" data-video-title=\"{}\" data-video-play=\"{}\">\n",
            xml(&self.player_url()),
            xml(&self.title),
            xml(&words.fill("video_play", &[("host", host)]))
        );
        let image = picture.map_or_else(|| format!("<img src=\"{}\" alt=\"{}\" loading=\"lazy\">", xml(poster), smart(&self.poster.text)), str::to_string);
        html.push_str(&format!(
            "<a class=\"video-poster\" href=\"{}\" rel=\"noreferrer\">{image}<span class=\"video-label\">{}</span></a>\n",
            xml(&self.watch_url()),
            xml(&words.fill("video_watch", &[("host", host)]))
        ));
        html.push_str(&format!("<figcaption>\n<p class=\"video-title\">{}</p>\n", smart(&self.title)));
        if let Some(caption) = &self.caption {
            html.push_str(&format!("<p>{}</p>\n", smart(caption)));
        }
        if let Some(link) = &self.transcript {
            html.push_str(&format!("<p><a href=\"{}\">{}</a></p>\n", xml(transcript), smart(&link.text)));
        }
        html.push_str(&format!("<p class=\"video-note\">{}</p>\n</figcaption>\n</figure>\n", xml(&words.fill("video_note", &[("host", host)]))));
        html
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strings::Language;

    fn read(body: &str) -> Result<Video> {
        parse(body, &|span| Location::in_text("content/a.md", body, span.start, span.len(), 1))
    }

    const BODY: &str = "url: https://www.youtube.com/watch?v=aqz-KE-bpKQ&t=3\ntitle: What \"the figures\" show\nposter: /images/poster.jpg\nalt: A phone in a dark room\ncaption: Two minutes.\ntranscript: [Read the transcript](/transcript/)\n";

    #[test]
    fn youtube_and_vimeo_addresses_give_their_privacy_enhanced_players() {
        let video = read(BODY).unwrap();
        assert_eq!(video.player_url(), "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ?autoplay=1&rel=0");
        assert_eq!(video.watch_url(), "https://www.youtube.com/watch?v=aqz-KE-bpKQ");
        assert_eq!(&BODY[video.poster.span.clone()], "/images/poster.jpg");
        for (url, player) in [
            ("https://youtu.be/aqz-KE-bpKQ", "https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ?autoplay=1&rel=0"),
            ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1"),
            ("https://vimeo.com/76979871/abc123", "https://player.vimeo.com/video/76979871?h=abc123&dnt=1&autoplay=1"),
        ] {
            let (host, id, key) = watch_address(url).unwrap();
            let video = Video { host, id, key, ..read(BODY).unwrap() };
            assert_eq!(video.player_url(), player, "{url}");
        }
        for bad in ["https://www.youtube.com/watch?v=short", "https://example.org/video", "https://vimeo.com/abc", "javascript:alert(1)"] {
            assert!(watch_address(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn without_javascript_the_poster_links_to_the_host() {
        let html = read(BODY).unwrap().html("/camp/images/poster.jpg", None, "/camp/transcript/", Language::English.words());
        for part in [
            "data-video=\"https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ?autoplay=1&amp;rel=0\"",
            "<a class=\"video-poster\" href=\"https://www.youtube.com/watch?v=aqz-KE-bpKQ\" rel=\"noreferrer\"><img src=\"/camp/images/poster.jpg\" alt=\"A phone in a dark room\"",
            "<p class=\"video-title\">What “the figures” show</p>",
            "<p><a href=\"/camp/transcript/\">Read the transcript</a></p>",
            "Watch on YouTube",
        ] {
            assert!(html.contains(part), "{part}\n{html}");
        }
    }

    #[test]
    fn a_broken_video_says_what_is_wrong_where() {
        let cases = [
            ("url: https://example.org/v\ntitle: T\nposter: /p.jpg\nalt: A\n", "not a YouTube or Vimeo"),
            ("url: https://youtu.be/aqz-KE-bpKQ\nposter: /p.jpg\nalt: A\n", "no `title`"),
            ("url: https://youtu.be/aqz-KE-bpKQ\ntitle: T\nalt: A\n", "no `poster`"),
            ("url: https://youtu.be/aqz-KE-bpKQ\ntitle: T\nposter: /p.jpg\n", "no `alt`"),
            ("url: https://youtu.be/aqz-KE-bpKQ\ntitle: T\nposter: https://i.ytimg.com/p.jpg\nalt: A\n", "image of this site"),
            ("url: https://youtu.be/aqz-KE-bpKQ\ntitel: T\n", "did you mean `title`?"),
            ("url: https://youtu.be/aqz-KE-bpKQ\ntitle: T\nposter: /p.jpg\nalt: A\ntranscript: the transcript\n", "not a link"),
        ];
        for (body, expected) in cases {
            let error = read(body).unwrap_err();
            let said = format!("{} {}", error.message(), error.hint_text().unwrap_or_default());
            assert!(said.contains(expected), "{body:?}: {said}");
            assert!(error.location().is_some_and(|l| l.line.is_some()), "{body:?}");
        }
    }
}
