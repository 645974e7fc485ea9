//! Forms and videos (issue 23): a form posts to site.yaml's endpoint and nowhere else, the
//! build refuses a form it cannot account for, the privacy note says what forms collect in
//! every language, and a video opens frames from its host only on its own page. What a reader
//! meets in a browser is in `browser.rs`.

use crate::common::TestSite;

/// Each page's Content-Security-Policy in `_headers`, by address.
fn policies(site: &TestSite) -> Vec<(String, String)> {
    let headers = site.read("_headers");
    let mut out = Vec::new();
    let mut lines = headers.lines().peekable();
    while let Some(line) = lines.next() {
        if line.starts_with('/') {
            if let Some(policy) = lines.peek().and_then(|l| l.trim().strip_prefix("Content-Security-Policy: ")) {
                out.push((line.to_string(), policy.to_string()));
            }
        }
    }
    out
}

fn directive<'a>(policy: &'a str, name: &str) -> Option<&'a str> {
    policy.split("; ").find_map(|d| d.strip_prefix(name).and_then(|rest| rest.strip_prefix(' ')))
}

/// The line of `text` that holds `needle`, from 1.
fn line_of(text: &str, needle: &str) -> usize {
    text[..text.find(needle).unwrap_or_else(|| panic!("`{needle}` is in the text"))].matches('\n').count() + 1
}

#[test]
fn form_action_allows_the_endpoint_only_on_pages_with_a_form() {
    let site = TestSite::fixture("default");
    site.build_ok();
    let all = policies(&site);
    assert!(all.len() >= 14, "{all:?}");
    for (address, policy) in &all {
        let expected = if ["/take-action/", "/cy/gweithredu/"].contains(&address.as_str()) { "https://forms.example.org 'self'" } else { "'none'" };
        assert_eq!(directive(policy, "form-action"), Some(expected), "{address}");
        assert_eq!(directive(policy, "frame-src"), None, "{address}: the default site has no video");
    }
    let page = site.read("take-action/index.html");
    let form = &page[page.find("<form").unwrap()..page.find("</form>").unwrap()];
    for part in [
        "action=https://forms.example.org/wildwestweb/sign-up",
        "method=post",
        "<label for=form-1-name>Full name</label><input",
        "autocomplete=email",
        "<label for=form-1-postcode>Postcode (optional)</label>",
        "<legend>Your consent</legend>",
        "<div aria-hidden=true class=form-trap>",
        "tabindex=-1",
    ] {
        assert!(form.contains(part), "{part}\n{form}");
    }
    assert!(page.contains("<script defer src=/form."), "the form's script, on its page");
    assert!(!site.read("index.html").contains("/form."), "and only there");
    // A site without forms keeps 'none' on every page.
    let plain = TestSite::fixture("bilingual");
    plain.build_ok();
    for (address, policy) in policies(&plain) {
        assert_eq!(directive(&policy, "form-action"), Some("'none'"), "{address}");
    }
    assert!(plain.read("privacy/index.html").contains("It has no forms"));
}

#[test]
fn a_form_needs_an_endpoint_a_controller_a_purpose_and_a_thank_you_page() {
    let site = TestSite::fixture("forms");
    site.build_ok();
    let yaml = std::fs::read_to_string(site.root().join("content/site.yaml")).unwrap();
    for key in ["endpoint", "controller", "purpose", "thanks"] {
        let line = yaml.lines().find(|l| l.trim_start().starts_with(&format!("{key}:")) && l.starts_with("  ") && !l.starts_with("    ")).unwrap();
        site.write("content/site.yaml", &yaml.replace(&format!("{line}\n"), ""));
        let run = site.build(&[]);
        assert!(!run.ok && run.stderr.contains(&format!("missing required key `{key}`")) && run.stderr.contains("content/site.yaml:"), "{key}: {}", run.stderr);
        assert!(run.stderr.contains(&format!("add a line such as `{key}: …`")), "{}", run.stderr);
    }
    let cases = [
        ("controller: Fixture Trust", "controller: \"\"", "the forms' `controller` is empty"),
        ("endpoint: https://forms.example.org/fixture/sign-up", "endpoint: http://forms.example.org/sign-up", "must be a full https:// address"),
        ("thanks: /thank-you/", "thanks: /thank-yuo/", "did you mean `/thank-you/`?"),
        ("redirect_field: _next", "redirect_feild: _next", "did you mean `redirect_field`?"),
    ];
    for (from, to, expected) in cases {
        site.write("content/site.yaml", &yaml.replace(from, to));
        let run = site.build(&[]);
        let at = format!("content/site.yaml:{}:", line_of(&yaml, from));
        assert!(!run.ok && run.stderr.contains(expected) && run.stderr.contains(&at), "{to}: expected {expected} at {at}:\n{}", run.stderr);
    }
    // No `forms:` at all: the form is refused where it is written, with what to add.
    let without: String = yaml
        .split("forms:\n  endpoint")
        .next()
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with("    forms:") && !l.starts_with("      "))
        .map(|l| format!("{l}\n"))
        .collect();
    site.write("content/site.yaml", &without);
    let run = site.build(&[]);
    let page = std::fs::read_to_string(site.root().join("content/index.md")).unwrap();
    let at = format!("content/index.md:{}:1", line_of(&page, "name: required"));
    assert!(!run.ok && run.stderr.contains("this form has nowhere to send what readers type") && run.stderr.contains(&at), "{at}\n{}", run.stderr);
    assert!(run.stderr.contains("controller: …") && run.stderr.contains("purpose: …"), "{}", run.stderr);
    assert!(!site.out().join("index.html").exists() || site.read("index.html").contains("<form"), "the last good site is left as it was");
}

#[test]
fn a_misspelt_key_or_kind_in_a_form_is_found_where_it_is_written() {
    let site = TestSite::fixture("forms");
    let page = std::fs::read_to_string(site.root().join("content/index.md")).unwrap();
    for (from, to, expected) in [
        ("email: required", "emial: required", "did you mean `email`?"),
        ("postcode: optional", "postcode: optinal", "did you mean `optional`?"),
        ("| long-text |", "| longtext |", "did you mean `long-text`?"),
        ("submit: Sign up", "sumbit: Sign up", "did you mean `submit`?"),
        ("field: school |", "field: website |", "honeypot or redirect field"),
    ] {
        site.write("content/index.md", &page.replace(from, to));
        let run = site.build(&[]);
        let at = format!("content/index.md:{}:", line_of(&page, from));
        assert!(!run.ok && run.stderr.contains(expected) && run.stderr.contains(&at), "{to}: expected {expected} at {at}\n{}", run.stderr);
    }
}

#[test]
fn the_privacy_note_says_what_forms_collect_why_who_holds_it_and_where_it_goes() {
    let site = TestSite::fixture("default");
    site.build_ok();
    let english = site.read("privacy/index.html");
    for part in [
        "<h2 id=forms>Forms</h2>",
        "What is collected: Full name, Email address, Postcode, whether you ticked the consent box.",
        "Why: to email you news of the #WildWestWeb campaign and the ways you can help it.",
        "Who holds it: NSPCC, the data controller.",
        "straight from your browser to forms.example.org",
        "a field that people never see, to catch automatic spam",
    ] {
        assert!(english.contains(part), "{part}");
    }
    assert!(!english.contains("It has no forms"), "the note no longer says there are none");
    let welsh = site.read("cy/privacy/index.html");
    for part in [
        "<h2 id=forms>Ffurflenni</h2>",
        "Beth sy'n cael ei gasglu: Enw llawn, Cyfeiriad e-bost, Cod post",
        "Pam: i anfon newyddion am ymgyrch #WildWestWeb",
        "Pwy sy'n ei gadw: NSPCC",
        "forms.example.org",
    ] {
        assert!(welsh.contains(part), "{part}");
    }
    // The form links to the note, in its own language, and the thank-you page is a page.
    assert!(site.read("take-action/index.html").contains("<a href=/privacy/#forms>How NSPCC uses your details</a>"));
    assert!(site.read("cy/gweithredu/index.html").contains("<a href=/cy/privacy/#forms>Sut mae NSPCC yn defnyddio eich manylion</a>"));
    assert!(site.read("thank-you/index.html").contains("Thank you for signing up") && site.read("cy/diolch/index.html").contains("Diolch am gofrestru"));
}

#[test]
fn the_redirect_field_names_the_thank_you_page_in_the_pages_language() {
    let site = TestSite::fixture("forms");
    site.build_ok();
    assert!(
        site.read("index.html").contains("<input name=_next type=hidden value=https://forms-fixture.example.org/thank-you/>"),
        "{}",
        site.read("index.html")
    );
    assert!(site.read("cy/index.html").contains("value=https://forms-fixture.example.org/cy/diolch/>"));
    assert!(site.read("cy/privacy/index.html").contains("Pwy sy'n ei gadw: Ymddiriedolaeth y Prawf"), "the controller's Welsh name");
}

#[test]
fn a_video_frames_its_host_only_on_its_own_page_and_is_checked_where_written() {
    let site = TestSite::fixture("forms");
    site.build_ok();
    for (address, policy) in policies(&site) {
        let expected = match address.as_str() {
            "/video/" => Some("https://www.youtube-nocookie.com"),
            "/cy/video/" => Some("https://player.vimeo.com"),
            _ => None,
        };
        assert_eq!(directive(&policy, "frame-src"), expected, "{address}");
    }
    let page = site.read("video/index.html");
    assert!(
        page.contains(
            "<a href=\"https://www.youtube.com/watch?v=aqz-KE-bpKQ\" class=video-poster rel=noreferrer><img alt=\"The campaign’s name in white on dark blue\""
        ),
        "{page}"
    );
    assert!(page.contains("data-video=\"https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ?autoplay=1&rel=0\""), "{page}");
    assert!(!page.contains("<iframe"), "no frame until the reader asks");
    assert!(site.read("privacy/index.html").contains("<h2 id=videos>Videos</h2>"));
    let video = std::fs::read_to_string(site.root().join("content/video.md")).unwrap();
    for (from, to, expected) in [
        ("url: https://www.youtube.com/watch?v=aqz-KE-bpKQ", "url: https://www.dailymotion.com/video/x1", "is not a YouTube or Vimeo video's address"),
        ("poster: /images/poster.svg", "poster: /images/postr.svg", "there is no image at `/images/postr.svg`"),
        ("title: The campaign", "titel: The campaign", "did you mean `title`?"),
    ] {
        site.write("content/video.md", &video.replace(from, to));
        let run = site.build(&[]);
        let at = format!("content/video.md:{}:", line_of(&video, from));
        assert!(!run.ok && run.stderr.contains(expected) && run.stderr.contains(&at), "{to}: expected {expected} at {at}\n{}", run.stderr);
    }
}
