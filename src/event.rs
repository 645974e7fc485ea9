//! Events: a page whose front matter has an `event:` is an event, with a start, an end, a
//! place or `online: true` (or both), and a way to join. This module reads and validates that
//! block, each key at its line; the render stage shows it, lists it and writes its `.ics`.

use crate::error::{Error, Location, Result};
use crate::moment::Moment;
use serde::Deserialize;
use std::path::Path;

/// `event:` in a page's front matter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// When it starts and ends, each with its offset from UTC.
    pub start: Moment,
    pub end: Moment,
    /// Where it happens, in words: a venue and its town, as a reader would find it.
    #[serde(default)]
    pub place: Option<String>,
    /// It happens online (too, when it has a place).
    #[serde(default)]
    pub online: bool,
    /// Where to sign up, book or join: a web address.
    #[serde(default)]
    pub join: Option<String>,
}

/// The most characters a place may have: it is one line of a page and of a calendar entry.
const MAX_PLACE: usize = 300;

impl Event {
    /// Checks what the keys say together; `text` is the page's file and `front` the byte range
    /// of its front matter, to place each problem at its key.
    pub fn check(&mut self, file: &Path, text: &str, front: std::ops::Range<usize>) -> Result<()> {
        let at = |key: &str| {
            let offset = key_in_block(&text[front.clone()], "event", key)
                .map_or_else(|| front.start + text[front.clone()].find("event:").unwrap_or(0), |i| front.start + i);
            Location::in_text(file, text, offset, key.len(), 1)
        };
        if self.end <= self.start {
            return Err(Error::new(format!("the event ends ({}) before it starts ({})", self.end, self.start))
                .at(at("end"))
                .hint("`end` is when it finishes, after `start`; check the date, and the offset of each"));
        }
        if let Some(place) = &mut self.place {
            *place = crate::typography::smart_text(place.trim());
            if place.is_empty() {
                return Err(Error::new("`place` is empty").at(at("place")).hint("say where it happens, such as `place: Town Hall, Cardiff`, or remove it"));
            }
            if place.chars().count() > MAX_PLACE || place.contains('\n') {
                return Err(Error::new(format!("`place` is one line of at most {MAX_PLACE} characters"))
                    .at(at("place"))
                    .hint("give the venue and its town; say more in the page's text"));
            }
        }
        if self.place.is_none() && !self.online {
            return Err(Error::new("this event has no `place`, and is not `online`")
                .at(at("event"))
                .hint("add `place: Town Hall, Cardiff`, or `online: true` with a `join:` link"));
        }
        match self.join.as_deref().map(str::trim) {
            Some(join) if !crate::web::is_web_address(join) => Err(Error::new(format!("`join` must be a web address starting with https://, not `{join}`"))
                .at(at("join"))
                .hint("link to where readers sign up or join, such as `join: https://example.org/register`")),
            None if self.online && self.place.is_none() => Err(Error::new("this event is online, and does not say how to join")
                .at(at("online"))
                .hint("add `join:` with the web address where readers sign up or join")),
            _ => {
                self.join = self.join.as_deref().map(|j| j.trim().to_string());
                Ok(())
            }
        }
    }

    /// Whether it is still to come, or going on, at `at`: it ends after `at`.
    pub fn is_upcoming(&self, at: Moment) -> bool {
        self.end > at
    }
}

/// Where `key:` stands inside the block `block:` of YAML `text`: the first `key:` after a
/// `block:` at the start of a line, whether the block is indented or written in braces.
pub fn key_in_block(text: &str, block: &str, key: &str) -> Option<usize> {
    let start = text.match_indices(&format!("{block}:")).find(|(i, _)| *i == 0 || text.as_bytes()[i - 1] == b'\n')?.0;
    if key == block {
        return Some(start);
    }
    let after = &text[start..];
    let end = after.match_indices('\n').map(|(i, _)| i + 1).find(|&i| after[i..].starts_with(|c: char| c.is_ascii_alphabetic())).unwrap_or(after.len());
    let inside = &after[..end];
    let found = inside.match_indices(&format!("{key}:")).find(|(i, _)| *i > 0 && matches!(inside.as_bytes()[i - 1], b' ' | b'{' | b',' | b'\t' | b'\n'))?;
    Some(start + found.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(block: &str) -> Result<Event> {
        let text = format!("---\ntitle: T\nevent:\n{block}---\n");
        let front = 4..text.len() - 4;
        let mut event: Event = serde_yaml::from_str::<serde_yaml::Value>(&text[front.clone()])
            .ok()
            .and_then(|v| v.get("event").cloned())
            .and_then(|v| serde_yaml::from_value(v).ok())
            .expect("the block reads");
        event.check(Path::new("content/e.md"), &text, front).map(|()| event)
    }

    #[test]
    fn an_event_needs_a_place_or_to_be_online_and_a_way_to_join_online() {
        let ok = read("  start: 2027-03-10T18:00:00+00:00\n  end: 2027-03-10T19:30:00+00:00\n  place: Town Hall, Cardiff\n").unwrap();
        assert_eq!(ok.place.as_deref(), Some("Town Hall, Cardiff"));
        let nowhere = read("  start: 2027-03-10T18:00Z\n  end: 2027-03-10T19:30Z\n").unwrap_err();
        assert!(nowhere.message().contains("no `place`") && nowhere.location().unwrap().line.unwrap().0 == 3, "{}", nowhere.report(false));
        let online = read("  start: 2027-03-10T18:00Z\n  end: 2027-03-10T19:30Z\n  online: true\n").unwrap_err();
        assert!(online.message().contains("how to join") && online.location().unwrap().line.unwrap().0 == 6, "{}", online.report(false));
        assert!(read("  start: 2027-03-10T18:00Z\n  end: 2027-03-10T19:30Z\n  online: true\n  join: https://example.org/join\n").is_ok());
        let bad = read("  start: 2027-03-10T18:00Z\n  end: 2027-03-10T19:30Z\n  online: true\n  join: javascript:alert(1)\n").unwrap_err();
        assert_eq!(bad.location().unwrap().line.unwrap().0, 7, "{}", bad.report(false));
    }

    #[test]
    fn an_event_ends_after_it_starts() {
        let err = read("  start: 2027-03-10T18:00:00+01:00\n  end: 2027-03-10T17:00:00Z\n  place: Online and in Cardiff\n").unwrap_err();
        assert!(err.message().contains("ends") && err.location().unwrap().line.unwrap().0 == 5, "{}", err.report(false));
        // The same wall-clock hour at a later offset is the earlier instant.
        assert!(read("  start: 2027-03-10T18:00:00+00:00\n  end: 2027-03-10T18:30:00+01:00\n  place: P\n").is_err());
    }

    #[test]
    fn keys_are_found_in_their_block() {
        let text = "title: end\nevent: { start: a, end: b }\nend: x\n";
        assert_eq!(key_in_block(text, "event", "end"), Some(text.find("end: b").unwrap()));
        let text = "event:\n  start: a\n  end: b\nplace: x\n";
        assert_eq!(key_in_block(text, "event", "place"), None);
        assert_eq!(key_in_block(text, "event", "event"), Some(0));
    }
}
