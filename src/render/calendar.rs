//! Events on the page and in calendars: what templates see of an event ([`EventView`]), an
//! iCalendar file for each event, and each language's calendar feed of its upcoming events.
//!
//! The files follow RFC 5545: CRLF line endings, lines folded at 75 octets (never inside a
//! character), text escaped (`\`, `;`, `,`, new lines), times in UTC (`…Z`, form 2 of 3.3.5),
//! which names the instant exactly without a time-zone database. Each event's `UID` is its
//! page's address, stable from build to build, and its `DTSTAMP` comes from the page (its
//! `date`, else its `publish_at`, else the event's start), never from the clock, so the same
//! site makes the same files.

use super::views::PageView;
use super::{Common, Made, MadePages, PageSet};
use crate::event::Event;
use crate::hash::key;
use crate::load::Page;
use crate::moment::Moment;
use crate::strings::Strings;
use crate::urls::{self, Urls};
use serde::Serialize;

/// An event as templates see it.
#[derive(Serialize, Clone, Debug, Hash)]
pub struct EventView {
    /// RFC 3339, with the offset it was written in, for `<time datetime>`.
    pub start: String,
    pub end: String,
    /// When, in the page's language, with the offset: `10 March 2027, 18:00–19:30 (UTC+1)`.
    pub when: String,
    /// Where, in words: the place, `Online`, or both.
    #[serde(rename = "where")]
    pub place_words: String,
    pub place: Option<String>,
    pub online: bool,
    /// Where readers sign up or join.
    pub join: Option<String>,
    /// Its `.ics` file, site-relative.
    pub calendar: String,
    /// It has not ended at the build's moment.
    pub upcoming: bool,
}

impl EventView {
    pub fn new(page: &Page, event: &Event, urls: &Urls, words: &Strings, at: Moment) -> EventView {
        EventView {
            start: event.start.rfc3339(),
            end: event.end.rfc3339(),
            when: when(event, words),
            place_words: place_words(event, words),
            place: event.place.clone(),
            online: event.online,
            join: event.join.clone(),
            calendar: urls.relative(&urls::event_calendar(&page.url, page.local_url())),
            upcoming: event.is_upcoming(at),
        }
    }
}

/// `10 March 2027, 18:00–19:30 (UTC+1)`; across days, or offsets, each end in full.
fn when(event: &Event, words: &Strings) -> String {
    let language = words.language();
    let (start, end) = (event.start, event.end);
    if start.civil().year == end.civil().year && start.date_in(language) == end.date_in(language) && start.offset_minutes() == end.offset_minutes() {
        format!("{}, {}\u{2013}{} ({})", start.date_in(language), start.clock(), end.clock(), start.zone_name())
    } else {
        format!("{} \u{2013} {}", start.words_in(language), end.words_in(language))
    }
}

/// Where, in words: the place, `Online`, or `Town Hall, Cardiff, and online`.
fn place_words(event: &Event, words: &Strings) -> String {
    match (&event.place, event.online) {
        (Some(place), true) => words.fill("event_place_and_online", &[("place", place)]),
        (Some(place), false) => place.clone(),
        (None, _) => words.get("event_online"),
    }
}

/// iCalendar text: `\`, `;` and `,` escaped, new lines as `\n` (RFC 5545, 3.3.11).
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded at 75 octets (RFC 5545, 3.1) and ended with CRLF. A fold never
/// splits a character: each continuation line starts with a space.
fn line(out: &mut String, name: &str, value: &str) {
    let whole = format!("{name}:{value}");
    let mut room = 75;
    let mut used = 0;
    for c in whole.chars() {
        if used + c.len_utf8() > room {
            out.push_str("\r\n ");
            // The space counts towards the continuation line's 75.
            room = 74;
            used = 0;
        }
        out.push(c);
        used += c.len_utf8();
    }
    out.push_str("\r\n");
}

/// The start of a calendar, with its name when it is a feed.
fn begin(name: Option<&str>) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN", "VCALENDAR");
    line(&mut out, "VERSION", "2.0");
    line(&mut out, "PRODID", "-//soapbox//soapbox campaign site//EN");
    line(&mut out, "CALSCALE", "GREGORIAN");
    if let Some(name) = name {
        line(&mut out, "X-WR-CALNAME", &text(name));
    }
    out
}

/// One event of a calendar: the page `page` as `view` shows it.
fn vevent(out: &mut String, page: &Page, event: &Event, view: &PageView, urls: &Urls, words: &Strings) {
    let host = urls.base_url.split_once("://").map_or(urls.base_url.as_str(), |(_, rest)| rest);
    let host = host.split('/').next().unwrap_or(host);
    let stamp = page.date.and_then(|d| Moment::parse(&format!("{}T00:00:00Z", d.iso())).ok()).or(page.front.publish_at).unwrap_or(event.start);
    line(out, "BEGIN", "VEVENT");
    let address = if page.url.is_empty() { "home".to_string() } else { page.url.trim_end_matches('/').to_string() };
    line(out, "UID", &text(&format!("{address}@{host}")));
    line(out, "DTSTAMP", &stamp.ical_utc());
    line(out, "DTSTART", &event.start.ical_utc());
    line(out, "DTEND", &event.end.ical_utc());
    line(out, "SUMMARY", &text(&view.title));
    let mut description = view.summary.clone();
    if let Some(join) = &event.join {
        if !description.is_empty() {
            description.push_str("\n\n");
        }
        description.push_str(&words.fill("event_join_at", &[("url", join)]));
    }
    if !description.is_empty() {
        line(out, "DESCRIPTION", &text(&description));
    }
    line(out, "LOCATION", &text(&place_words(event, words)));
    line(out, "URL", &view.permalink);
    line(out, "END", "VEVENT");
}

/// Each event page's `.ics` file and, when the site has events, each language's calendar
/// feed of its upcoming events, soonest first; where what they show changed.
pub(super) fn files(common: &Common, views: &[&PageView], made: &MadePages) -> PageSet {
    let site = common.site;
    let mut set = PageSet { made: Vec::new(), paths: Vec::new() };
    let events: Vec<(usize, &Event)> = site.pages.iter().enumerate().filter_map(|(i, p)| p.front.event.as_ref().map(|e| (i, e))).collect();
    if events.is_empty() {
        return set;
    }
    let words_of = |page: &Page| site.strings.get(site.config.language_of(page));
    for &(i, event) in &events {
        let page = &site.pages[i];
        let path = urls::event_calendar(&page.url, page.local_url());
        let words = words_of(page);
        let (path_key, k) =
            (key(&path), key((common.settings, event, views[i].title.as_str(), views[i].summary.as_str(), &page.date, page.front.publish_at, key(&*words))));
        set.paths.push(path_key);
        if !made.is_fresh(path_key, k) {
            let mut ics = begin(None);
            vevent(&mut ics, page, event, views[i], &common.urls, &words);
            line(&mut ics, "END", "VCALENDAR");
            set.made.push(Made::new(path, path_key, k, ics.into_bytes()));
        }
    }
    for language in &common.languages {
        let lang = (!language.is_default()).then_some(language.tag.as_str());
        let mut upcoming: Vec<&(usize, &Event)> = events.iter().filter(|(i, e)| site.pages[*i].lang.as_deref() == lang && e.is_upcoming(common.at)).collect();
        upcoming.sort_by(|a, b| a.1.start.cmp(&b.1.start).then_with(|| site.pages[a.0].url.cmp(&site.pages[b.0].url)));
        let path = urls::calendar(&language.prefix);
        let words = site.strings.get(&language.tag);
        let name = words.fill("calendar_name", &[("site", &site.config.in_language(&language.tag).title)]);
        let shown: Vec<u64> =
            upcoming.iter().map(|(i, e)| key((*e, views[*i].title.as_str(), views[*i].summary.as_str(), &site.pages[*i].url, &site.pages[*i].date))).collect();
        let (path_key, k) = (key(&path), key((common.settings, &name, shown, key(&*words))));
        set.paths.push(path_key);
        if made.is_fresh(path_key, k) {
            continue;
        }
        let mut ics = begin(Some(&name));
        for (i, event) in upcoming {
            vevent(&mut ics, &site.pages[*i], event, views[*i], &common.urls, &words);
        }
        line(&mut ics, "END", "VCALENDAR");
        set.made.push(Made::new(path, path_key, k, ics.into_bytes()));
    }
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(text("a, b; c\\d\ne\r\nf"), "a\\, b\\; c\\\\d\\ne\\nf");
    }

    #[test]
    fn long_lines_fold_at_75_octets_between_characters() {
        let mut out = String::new();
        let value = format!("{}ŵŵŵ{}", "a".repeat(70), "b".repeat(200));
        line(&mut out, "SUMMARY", &value);
        let lines: Vec<&str> = out.split("\r\n").collect();
        assert_eq!(lines.last(), Some(&""), "ends with CRLF");
        for l in &lines {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        assert!(lines[1..lines.len() - 1].iter().all(|l| l.starts_with(' ')));
        let unfolded: String = out.trim_end_matches("\r\n").split("\r\n ").collect();
        assert_eq!(unfolded, format!("SUMMARY:{value}"));
    }
}
