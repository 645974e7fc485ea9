//! Schedule: which pages and figures are on the site at the build's moment, and the rules
//! that keep what is held back from leaking.
//!
//! A page or figure is live from its `publish_at` until its `expire_at`. A translation takes
//! each time it does not give from its page in the site's default language, so a Welsh page
//! goes live with its English one unless it says otherwise. A build (and `check`) works on
//! the site without what is not live ([`Timetable::live_site`]), so nothing made of it (its
//! page, listings, menus, feeds, sitemap, alternates, share pages, images, data, press pack
//! and headers) is written. A live page that shows, quotes or links to something that is not
//! live is an error at that place, saying when it goes live, so that no link breaks and no
//! number leaks early. The preview keeps everything, and marks what is not live
//! ([`Timetable::notices`]).

use crate::error::{Error, Location};
use crate::load::{Page, Site};
use crate::markdown::EmbedKind;
use crate::moment::{Moment, Schedule, Status};
use crate::urls;
use std::collections::{BTreeMap, HashMap};

/// Every page's and figure's schedule, a translation's with its page's times filled in.
pub struct Timetable {
    /// By page index.
    pages: Vec<Schedule>,
    /// Of the figures that have one.
    figures: BTreeMap<String, Schedule>,
}

/// What is held back at a moment, and when it changes, for `check --at`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    /// What goes live after the first moment and by the second.
    pub going_live: Vec<Item>,
    /// What comes down after the first moment and by the second.
    pub coming_down: Vec<Item>,
    /// What is not live yet at the second moment.
    pub embargoed: Vec<Item>,
    /// What has come down by the second moment.
    pub expired: Vec<Item>,
}

/// A page or figure, named as a person finds it, and its time that matters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// `page content/launch.md` or `figure content/figures/f.yaml`.
    pub what: String,
    pub title: String,
    pub when: Moment,
}

impl std::fmt::Display for Item {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}, “{}”)", self.when, self.what, self.title)
    }
}

/// The status in words, for an error: "goes live at …" or "came down at …".
fn in_words(status: Status) -> String {
    match status {
        Status::Embargoed(when) => format!("goes live at {when}"),
        Status::Expired(when) => format!("came down at {when}"),
        Status::Live => "is live".to_string(),
    }
}

impl Timetable {
    pub fn of(site: &Site) -> Timetable {
        let own: Vec<Schedule> = site.pages.iter().map(|p| p.front.schedule()).collect();
        let mut pages = own.clone();
        if !site.config.languages.is_empty() && own.iter().any(|s| s.is_set()) {
            let originals: HashMap<&str, usize> =
                site.pages.iter().enumerate().filter(|(_, p)| p.lang.is_none()).map(|(i, p)| (p.translation.as_str(), i)).collect();
            for (i, page) in site.pages.iter().enumerate().filter(|(_, p)| p.lang.is_some()) {
                if let Some(&original) = originals.get(page.translation.as_str()) {
                    pages[i] = own[i].or(own[original]);
                }
            }
        }
        let figures = site.figures.iter().filter(|(_, f)| f.schedule.is_set()).map(|(id, f)| (id.clone(), f.schedule)).collect();
        Timetable { pages, figures }
    }

    /// Page `i`'s schedule, its page's times filled in for a translation.
    pub fn page(&self, i: usize) -> Schedule {
        self.pages.get(i).copied().unwrap_or_default()
    }

    fn figure(&self, id: &str) -> Schedule {
        self.figures.get(id).copied().unwrap_or_default()
    }

    /// Whether anything is not live at `at`.
    pub fn holds_any(&self, at: Moment) -> bool {
        self.pages.iter().chain(self.figures.values()).any(|s| !s.is_live(at))
    }

    /// `site` as it is at `at`: without the pages and figures that are not live.
    pub fn live_site(&self, site: &Site, at: Moment) -> Site {
        let mut live = site.clone();
        let mut i = 0;
        live.pages.retain(|_| {
            i += 1;
            self.page(i - 1).is_live(at)
        });
        live.figures.retain(|id, _| self.figure(id).is_live(at));
        live
    }

    /// The pages that are not live at `at`, by address, with where they stand: the preview
    /// shows them with a notice.
    pub fn notices(&self, site: &Site, at: Moment) -> BTreeMap<String, Status> {
        site.pages.iter().enumerate().map(|(i, p)| (p.url.clone(), self.page(i).status(at))).filter(|(_, s)| *s != Status::Live).collect()
    }

    /// Each place where a page or figure that is live at `at` shows, quotes or links to one
    /// that is not.
    pub fn problems(&self, site: &Site, at: Moment) -> Vec<Error> {
        if !self.holds_any(at) {
            return Vec::new();
        }
        let held_figures: BTreeMap<&str, Status> = self.figures.iter().map(|(id, s)| (id.as_str(), s.status(at))).filter(|(_, s)| *s != Status::Live).collect();
        let held = self.held_addresses(site, at, &held_figures);
        let mut problems = Vec::new();
        for (_, page) in site.pages.iter().enumerate().filter(|(i, _)| self.page(*i).is_live(at)) {
            problems.extend(page_problems(page, &held_figures, &held));
        }
        for figure in site.figures.values().filter(|f| f.schedule.is_live(at)) {
            let w = &figure.written;
            for (field, text) in [("title", Some(&w.title)), ("subtitle", w.subtitle.as_ref()), ("note", w.note.as_ref()), ("alt", w.alt.as_ref())] {
                let Some(text) = text else { continue };
                let calls = crate::markdown::value_calls_in(text, Some(&figure.id), &|_| Location::file(&figure.file)).unwrap_or_default();
                for call in calls {
                    if let Some(status) = held_figures.get(call.figure_id()) {
                        problems.push(
                            Error::new(format!(
                                "this figure's {field} quotes the figure `{}`, which {} (this figure is live at {at})",
                                call.figure_id(),
                                in_words(*status)
                            ))
                            .in_file(&figure.file)
                            .hint("give this figure the same `publish_at`, or quote the number once both are live"),
                        );
                    }
                }
            }
        }
        problems
    }

    /// Every address of what is not live at `at`, with where it stands.
    fn held_addresses(&self, site: &Site, at: Moment, held_figures: &BTreeMap<&str, Status>) -> HashMap<String, Status> {
        let mut held = HashMap::new();
        for (i, page) in site.pages.iter().enumerate() {
            let status = self.page(i).status(at);
            if status != Status::Live {
                held.insert(page.url.clone(), status);
                if page.front.event.is_some() {
                    held.insert(urls::event_calendar(&page.url, page.local_url()), status);
                }
                if page.is_section && !page.url.is_empty() {
                    held.insert(urls::feed(&page.url), status);
                }
            }
        }
        if !held_figures.is_empty() {
            let sizes: Vec<String> = urls::SIZES.iter().map(|size| size.name()).collect();
            let languages: Vec<&str> = site.config.languages.keys().map(String::as_str).collect();
            let common: std::collections::HashSet<String> =
                urls::generated(Vec::<&str>::new(), Vec::<&str>::new(), &sizes, &languages).into_iter().map(|g| g.path).collect();
            for (id, status) in held_figures {
                for address in urls::generated([*id], Vec::<&str>::new(), &sizes, &languages) {
                    if !common.contains(&address.path) {
                        held.insert(address.path, *status);
                    }
                }
            }
        }
        held
    }

    /// What is held back at `then`, and what changes after `now` and by `then`.
    pub fn report(&self, site: &Site, now: Moment, then: Moment) -> Report {
        let mut report = Report::default();
        let pages = site.pages.iter().enumerate().map(|(i, p)| (format!("page {}", p.file.display()), p.front.title.clone(), self.page(i)));
        let figures = site.figures.values().map(|f| (format!("figure {}", f.file.display()), f.title.clone(), f.schedule));
        for (what, title, schedule) in pages.chain(figures).filter(|(_, _, s)| s.is_set()) {
            let item = |when: Moment| Item { what: what.clone(), title: title.clone(), when };
            match (schedule.status(now), schedule.status(then)) {
                (Status::Embargoed(when), Status::Live) => report.going_live.push(item(when)),
                (Status::Live, Status::Expired(when)) => report.coming_down.push(item(when)),
                (Status::Embargoed(when), Status::Expired(down)) => {
                    report.going_live.push(item(when));
                    report.coming_down.push(item(down));
                }
                _ => {}
            }
            match schedule.status(then) {
                Status::Embargoed(when) => report.embargoed.push(item(when)),
                Status::Expired(when) => report.expired.push(item(when)),
                Status::Live => {}
            }
        }
        for list in [&mut report.going_live, &mut report.coming_down, &mut report.embargoed, &mut report.expired] {
            list.sort_by(|a, b| a.when.cmp(&b.when).then_with(|| a.what.cmp(&b.what)));
        }
        report
    }
}

/// Where a live page shows, quotes or links to what `held` holds back.
fn page_problems(page: &Page, held_figures: &BTreeMap<&str, Status>, held: &HashMap<String, Status>) -> Vec<Error> {
    let mut problems = Vec::new();
    let hint = "give this page a `publish_at` no earlier than that, or take this out until then";
    for embed in &page.scanned.embeds {
        let id = embed.figure_id();
        let Some(status) = held_figures.get(id) else { continue };
        let what = match embed.kind {
            EmbedKind::Chart { .. } => "shows",
            EmbedKind::Value { .. } => "quotes",
        };
        problems.push(
            Error::new(format!("this live page {what} the figure `{id}`, which {}", in_words(*status)))
                .at(page.locate(embed.id_span.start, embed.id_span.len()))
                .hint(hint),
        );
    }
    if let Some((id, status)) = page.front.image.as_deref().and_then(|id| held_figures.get_key_value(id)) {
        let offset = page.text[..page.body_start].find("image:").unwrap_or(0);
        problems.push(
            Error::new(format!("this live page's preview image is the figure `{id}`, which {}", in_words(*status)))
                .at(Location::in_text(&page.file, &page.text, offset, 5, 1))
                .hint(hint),
        );
    }
    if let Some(written) = &page.written {
        for (key, text, place) in written.written() {
            let place = || place.cloned().unwrap_or_else(|| Location::file(&page.file));
            for call in crate::markdown::value_calls_in(text, None, &|_| place()).unwrap_or_default() {
                if let Some(status) = held_figures.get(call.figure_id()) {
                    problems.push(
                        Error::new(format!("this live page's {key} quotes the figure `{}`, which {}", call.figure_id(), in_words(*status)))
                            .at(place())
                            .hint(hint),
                    );
                }
            }
        }
    }
    for link in &page.scanned.links {
        let dest = link.dest.trim();
        if crate::markdown::scheme(dest).is_some() || dest.starts_with("//") {
            continue;
        }
        let path = dest.split(['#', '?']).next().unwrap_or(dest);
        if path.is_empty() {
            continue;
        }
        let Some(target) = crate::urls::resolve(&page.url, path) else { continue };
        let status = held.get(&target).or_else(|| (!target.ends_with('/')).then(|| held.get(&format!("{target}/"))).flatten());
        if let Some(status) = status {
            problems.push(
                Error::new(format!("this live page links to /{target}, which {}", in_words(*status)))
                    .at(page.locate(link.span.start, link.span.len()))
                    .hint(hint),
            );
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn site(files: &[(&str, &str)]) -> (tempfile::TempDir, Site) {
        let dir = tempfile::tempdir().unwrap();
        let mut all =
            vec![("content/site.yaml", "title: T\ndescription: D\nbase_url: https://example.org/\nlanguage: en-GB\norganisation: O\nlanguages:\n  cy: {}\n")];
        all.extend_from_slice(files);
        for (rel, text) in all {
            let path = dir.path().join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        let site = crate::load::load(dir.path()).unwrap();
        (dir, site)
    }

    fn at(text: &str) -> Moment {
        Moment::parse(text).unwrap()
    }

    const FIGURE: &str = "title: T\nsource: S\nchart: bar\nunit: count\ndata:\n  - { label: A, value: 2 }\npublish_at: 2027-03-10T09:00:00Z\n";

    #[test]
    fn a_translation_follows_its_page_unless_it_says_otherwise() {
        let (_dir, site) = site(&[
            ("content/a.md", "---\ntitle: A\npublish_at: 2027-03-10T09:00:00Z\nexpire_at: 2027-04-10T09:00:00Z\n---\n"),
            ("content/a.cy.md", "---\ntitle: A\n---\n"),
            ("content/b.md", "---\ntitle: B\npublish_at: 2027-03-10T09:00:00Z\n---\n"),
            ("content/b.cy.md", "---\ntitle: B\npublish_at: 2027-03-11T09:00:00Z\n---\n"),
        ]);
        let table = Timetable::of(&site);
        let by_file = |f: &str| site.pages.iter().position(|p| p.file.to_string_lossy() == f).unwrap();
        assert_eq!(table.page(by_file("content/a.cy.md")), table.page(by_file("content/a.md")));
        let welsh_b = table.page(by_file("content/b.cy.md"));
        assert_eq!(welsh_b.publish_at, Some(at("2027-03-11T09:00:00Z")));
        let live = table.live_site(&site, at("2027-03-10T12:00:00Z"));
        let files: Vec<String> = live.pages.iter().map(|p| p.file.to_string_lossy().into_owned()).collect();
        assert_eq!(files, ["content/a.md", "content/b.md", "content/a.cy.md"], "in address order");
        assert!(table.live_site(&site, at("2027-03-10T08:59:59Z")).pages.is_empty());
        let report = table.report(&site, at("2027-03-01T00:00:00Z"), at("2027-03-10T12:00:00Z"));
        assert_eq!(report.going_live.len(), 3);
        assert_eq!(report.embargoed.len(), 1);
        assert_eq!(report.embargoed[0].what, "page content/b.cy.md");
    }

    #[test]
    fn a_live_page_may_not_show_or_link_to_what_is_held_back() {
        let (_dir, site) = site(&[
            ("content/figures/f.yaml", FIGURE),
            ("content/index.md", "---\ntitle: Home\n---\n```chart f\n```\n\nSee [the launch](/launch/) and [the data](/figures/f.csv).\n"),
            ("content/index.cy.md", "---\ntitle: Hafan\n---\nDim.\n"),
            ("content/launch.md", "---\ntitle: Launch\npublish_at: 2027-03-10T10:00:00+01:00\n---\n```chart f\n```\n"),
            ("content/launch.cy.md", "---\ntitle: Lansio\n---\nDim.\n"),
        ]);
        let table = Timetable::of(&site);
        let problems = table.problems(&site, at("2027-03-01T00:00:00Z"));
        let messages: Vec<String> = problems.iter().map(|e| e.report(false)).collect();
        assert_eq!(problems.len(), 3, "{messages:#?}");
        assert!(
            messages[0].contains("shows the figure `f`, which goes live at 2027-03-10T09:00:00Z") && messages[0].contains("content/index.md:4:"),
            "{}",
            messages[0]
        );
        assert!(messages[1].contains("links to /launch/, which goes live at 2027-03-10T10:00:00+01:00"), "{}", messages[1]);
        assert!(messages[2].contains("links to /figures/f.csv"), "{}", messages[2]);
        // Once both are live, nothing is wrong; the held page itself may show the held figure.
        assert!(table.problems(&site, at("2027-03-10T09:00:00Z")).is_empty());
        assert_eq!(table.notices(&site, at("2027-03-10T08:30:00Z")).len(), 2, "the launch page in both languages");
    }
}
