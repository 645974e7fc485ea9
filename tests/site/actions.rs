//! Calls to action (issue 20): buttons and letters written as components, and the campaign's
//! main action in the header of every page.

use crate::common::TestSite;

#[test]
fn a_button_is_a_real_link_under_the_base_and_its_link_is_checked() {
    let site = TestSite::fixture("default");
    site.build_ok();
    let home = site.read("index.html");
    assert!(home.contains(r#"<p class=button-row><a class=button href=/take-action/>Take action now</a></p>"#), "the home page's button");
    site.write("content/go.md", "---\ntitle: Go\n---\nText.\n\n```button\n[Go somewhere](/nowhere/)\n```\n");
    let run = site.build(&[]);
    assert!(!run.ok && run.stderr.contains("content/go.md:7:16") && run.stderr.contains("there is no page or file at `/nowhere/`"), "{}", run.stderr);
    site.write("content/go.md", "---\ntitle: Go\n---\n```button\nGo somewhere\n```\n");
    let run = site.build(&[]);
    assert!(!run.ok && run.stderr.contains("content/go.md:5:1") && run.stderr.contains("this is not a link"), "{}", run.stderr);
}

/// The letter is written once: the page shows it, the email link carries it encoded, and
/// the number it quotes comes from the data.
#[test]
fn the_letter_is_written_once_and_read_sent_and_copied_from_it() {
    let site = TestSite::fixture("default");
    site.build_ok();
    let page = site.read("take-action/index.html");
    let letter = std::fs::read_to_string(site.root().join("content/take-action.md")).unwrap();
    assert_eq!(letter.matches("I am writing as your constituent").count(), 1, "the letter is typed once");
    assert!(!letter.contains("mailto:"), "no hand-encoded email link");
    assert!(page.contains("<div class=letter-text id=letter-text>"), "the readable letter");
    assert!(page.contains("<h3 id=letter>"), "the heading keeps its own id");
    assert!(page.contains("where the platform was recorded, more than half of online grooming cases"), "the claim's words, filled");
    let mailto = page.split("href=\"mailto:").nth(1).and_then(|rest| rest.split('"').next()).expect("an email link");
    assert!(mailto.starts_with("?subject=Please%20back%20the%20NSPCC%27s%20%23WildWestWeb%20asks"), "{mailto}");
    let mailto = mailto.replace("&amp;", "&");
    assert!(mailto.contains("&body=Dear%20%5Byour%20MP%27s%20name%5D%2C%0D%0A%0D%0AI%20am%20writing"), "{mailto}");
    assert!(mailto.contains("more%20than%20half%20of%20online%20grooming"), "the email carries the same words: {mailto}");
    assert!(page.contains("data-copy=letter-text hidden"), "a copy button, shown where the browser can copy");
    // A mistake in a letter is found where it is written.
    site.write("content/take-action.md", &letter.replace("subject: Please", "subjct: Please"));
    let run = site.build(&[]);
    assert!(!run.ok && run.stderr.contains("a letter has no `subjct`") && run.stderr.contains("did you mean `subject`?"), "{}", run.stderr);
}

#[test]
fn the_main_action_is_in_every_pages_header_and_there_is_one() {
    let site = TestSite::fixture("default");
    site.build_ok();
    for page in ["index.html", "evidence/index.html", "news/wild-west-web-launch/index.html", "figures/index.html", "404.html"] {
        let html = site.read(page);
        assert!(html.contains("<a class=\"button header-action\" href=/take-action/"), "{page} has no main action");
    }
    let menu = site.read("index.html");
    let nav = menu.split("<ul id=site-menu>").nth(1).and_then(|n| n.split("</ul>").next()).unwrap();
    assert!(!nav.contains("/take-action/"), "the main action is a button, not also a menu item: {nav}");
    site.write("content/second.md", "---\ntitle: Second\nweight: 9\nprimary: true\n---\nText.\n");
    let run = site.build(&[]);
    assert!(
        !run.ok
            && run.stderr.contains("only one page can be the main action, and content/second.md already is")
            && run.stderr.contains("content/take-action.md:6:1"),
        "{}",
        run.stderr
    );
    site.write("content/second.md", "---\ntitle: Second\nprimary: true\n---\nText.\n");
    let run = site.build(&[]);
    assert!(run.stderr.contains("the main action's page must be in the menu"), "{}", run.stderr);
}
