//! The `form` component: a sign-up or petition form that posts what readers type straight to
//! the organisation's own endpoint (site.yaml's `forms:`), and nowhere else.
//!
//! ````markdown
//! ```form
//! name: required
//! email: required
//! postcode: optional
//! field: school | Your school or group | text | optional
//! consent: Email me news of the campaign. I can stop at any time.
//! submit: Sign up
//! ---
//! Add your name, and we will tell you when the government answers.
//! ```
//! ````
//!
//! The standard fields (`name`, `email`, `postcode`) are labelled in the page's language and
//! carry the `autocomplete` words browsers fill them from; `field:` adds one of the form's
//! own; `consent:` is a box to tick, in a fieldset. The text after `---` (optional) comes
//! before the fields. The HTML works without JavaScript: labels bound to inputs, `required`,
//! the browser's own checks. With the site's `form.js`, an error summary (GOV.UK's pattern)
//! lists what to fix, each linked to its field, and is announced at once (`role="alert"`).
//! Every form has a honeypot field, hidden from people and screen readers and out of the tab
//! order, which the endpoint must drop any submission for filling.

use super::{paragraphs, unescaped, Located};
use crate::error::{suggestion, Error, Location, Result};
use crate::escape::xml;
use std::ops::Range;

/// A form: its fields in order, its consent box, its button's words and its opening text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub fields: Vec<Field>,
    /// The words beside the consent box, when the form asks for consent.
    pub consent: Option<String>,
    pub submit: String,
    pub intro: Vec<Vec<String>>,
}

/// One field of a form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// The name it is posted under.
    pub name: String,
    /// Its label as written; `None` for a standard field, labelled in the page's language.
    pub label: Option<String>,
    pub kind: Kind,
    pub required: bool,
    /// Where it is written in the block's body.
    pub span: Range<usize>,
}

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Name,
    Email,
    Postcode,
    Text,
    LongText,
    Tel,
    Number,
    Checkbox,
}

/// The kinds a form's own field may be, by the word that names each.
const KINDS: [(&str, Kind); 6] =
    [("text", Kind::Text), ("long-text", Kind::LongText), ("email", Kind::Email), ("tel", Kind::Tel), ("number", Kind::Number), ("checkbox", Kind::Checkbox)];

/// The keys of a form's block.
const KEYS: [&str; 6] = ["name", "email", "postcode", "field", "consent", "submit"];

/// The names soapbox posts a form's own fields may not take.
pub const STANDARD_NAMES: [&str; 4] = ["name", "email", "postcode", "consent"];

pub const HINT: &str = "list the fields, one a line: `name: required`, `email: required`, `postcode: optional`, `field: school | Your school | text | optional`, `consent: …`, and `submit: Sign up`";

/// Where a page's forms post, and what they send besides the reader's answers: the site's
/// `forms:` settings as a page in one language uses them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Target {
    pub endpoint: String,
    /// The honeypot field's name.
    pub honeypot: String,
    /// The hidden field that tells the endpoint where to send readers afterwards, and the
    /// thank-you page's full address in the page's language.
    pub redirect: Option<(String, String)>,
    /// The privacy note's address, under the base path, where it says what forms collect.
    pub privacy: String,
    /// Who holds what the form collects, in the page's language.
    pub controller: String,
}

/// `forms:` in site.yaml: where every form of the site posts, and what the privacy note says
/// of what they collect.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The address every form posts to: the organisation's CRM or its host's form service.
    pub endpoint: String,
    /// Who holds what readers send (the data controller).
    pub controller: String,
    /// Why it is collected, in plain words.
    pub purpose: String,
    /// The site's thank-you page, where the endpoint sends readers back to.
    pub thanks: String,
    /// The name of a hidden field holding the thank-you page's full address, for an endpoint
    /// that takes where to send readers from the form itself.
    #[serde(default)]
    pub redirect_field: Option<String>,
    /// The honeypot field's name.
    #[serde(default = "default_honeypot")]
    pub honeypot: String,
    /// Where `thanks:` is written in site.yaml, for `check`.
    #[serde(skip)]
    pub thanks_at: Option<Location>,
}

fn default_honeypot() -> String {
    "website".to_string()
}

/// The site's words for forms in one of its other languages (`languages: TAG: forms:`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Words {
    #[serde(default)]
    pub controller: Option<String>,
    #[serde(default)]
    pub purpose: Option<String>,
}

impl Settings {
    /// Checks each setting, placing a problem with `at(key)`, the place of `key` in site.yaml.
    pub fn checked(mut self, at: &dyn Fn(&str) -> Location) -> Result<Settings> {
        let endpoint = self.endpoint.trim().to_string();
        if origin(&endpoint).is_none() {
            return Err(Error::new(format!("the forms' `endpoint` must be a full https:// address, not `{endpoint}`"))
                .at(at("endpoint"))
                .hint("give the address your CRM or form service gives for posting forms, such as `endpoint: https://forms.example.org/sign-up` (http:// only for 127.0.0.1 or localhost, to test)"));
        }
        self.endpoint = endpoint;
        for (key, value) in [("controller", &self.controller), ("purpose", &self.purpose)] {
            if value.trim().is_empty() {
                let hint = if key == "controller" {
                    "name who holds what readers send, such as `controller: NSPCC`"
                } else {
                    "say in plain words why you collect it, such as `purpose: to send you news of the campaign`"
                };
                return Err(Error::new(format!("the forms' `{key}` is empty")).at(at(key)).hint(hint));
            }
        }
        let thanks = self.thanks.trim();
        if !thanks.starts_with('/') || thanks.starts_with("//") || thanks.contains(['?', '#', ':', ' ']) || thanks.split('/').any(|s| s == "..") {
            return Err(Error::new(format!("the forms' `thanks` must be a page of this site, such as `/thank-you/`, not `{thanks}`"))
                .at(at("thanks"))
                .hint("write the thank-you page's address from the site root, and add the page (content/thank-you.md)"));
        }
        self.thanks = format!("{}/", thanks.trim_end_matches('/'));
        self.thanks_at = Some(at("thanks"));
        let is_name = |n: &str| !n.is_empty() && n.len() <= 40 && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        for (key, name) in [("honeypot", Some(&self.honeypot)), ("redirect_field", self.redirect_field.as_ref())] {
            let Some(name) = name else { continue };
            if !is_name(name) || STANDARD_NAMES.contains(&name.as_str()) {
                return Err(Error::new(format!("`{name}` cannot name the forms' `{key}` field"))
                    .at(at(key))
                    .hint("a field's name is letters, digits, `-` and `_`, and not one of `name`, `email`, `postcode` or `consent`"));
            }
        }
        if self.redirect_field.as_ref() == Some(&self.honeypot) {
            return Err(Error::new("the honeypot and the redirect field have the same name").at(at("redirect_field")).hint("give them different names"));
        }
        Ok(self)
    }

    /// The origin forms post to, `https://forms.example.org`: what `form-action` allows.
    pub fn origin(&self) -> String {
        origin(&self.endpoint).unwrap_or_default()
    }

    /// The host forms post to, for the privacy note.
    pub fn host(&self) -> String {
        let origin = self.origin();
        origin.split_once("://").map_or(origin.clone(), |(_, host)| host.to_string())
    }
}

/// The origin of `url` (scheme, host and port), when it is an https address, or an http one
/// on this machine; `None` otherwise.
pub fn origin(url: &str) -> Option<String> {
    if !crate::web::is_web_address(url) || url.contains('#') {
        return None;
    }
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?']).next().unwrap_or_default().to_ascii_lowercase();
    if authority.is_empty() || authority.contains('@') || !authority.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c)) {
        return None;
    }
    let host = authority.rsplit_once(':').filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit())).map_or(authority.as_str(), |(host, _)| host);
    let local = ["127.0.0.1", "localhost", "[::1]"].contains(&host);
    (scheme == "https" || (scheme == "http" && local)).then(|| format!("{scheme}://{authority}"))
}

/// Reads a form's body.
pub fn parse(body: &str, locate: &dyn Fn(Range<usize>) -> Location) -> Result<Form> {
    let (lines, intro) = settings(body);
    let mut form = Form { fields: Vec::new(), consent: None, submit: String::new(), intro };
    let mut seen: Vec<&str> = Vec::new();
    for Located { key, value, span, value_span } in lines {
        let Some(key) = KEYS.iter().copied().find(|k| *k == key) else {
            let message = if key.is_empty() { "expected `key: value` in a form".to_string() } else { format!("a form has no `{key}`") };
            let hint = if key.is_empty() { HINT.to_string() } else { suggestion(&key, KEYS) };
            return Err(Error::new(message).at(locate(span)).hint(hint));
        };
        if key != "field" && seen.contains(&key) {
            return Err(Error::new(format!("`{key}` is given twice")).at(locate(span)).hint("remove one of the two"));
        }
        seen.push(key);
        match key {
            "submit" => form.submit = value,
            "consent" if value.is_empty() => {
                return Err(Error::new("this consent box has no words")
                    .at(locate(span))
                    .hint("say what the reader agrees to, such as `consent: Email me news of the campaign`"))
            }
            "consent" => form.consent = Some(value),
            "field" => form.fields.push(own_field(&value, value_span, locate)?),
            standard => {
                let required = requirement(&value).ok_or_else(|| {
                    Error::new(format!("`{standard}` must be `required` or `optional`, not `{value}`"))
                        .at(locate(value_span.clone()))
                        .hint(suggestion(&value, ["required", "optional"]))
                })?;
                let kind = match standard {
                    "name" => Kind::Name,
                    "email" => Kind::Email,
                    _ => Kind::Postcode,
                };
                form.fields.push(Field { name: standard.to_string(), label: None, kind, required, span });
            }
        }
    }
    let whole = || locate(0..body.trim_end().len().clamp(1, body.len().max(1)));
    if form.fields.is_empty() && form.consent.is_none() {
        return Err(Error::new("this form has no fields").at(whole()).hint(HINT));
    }
    if form.submit.is_empty() {
        return Err(Error::new("this form has no button").at(whole()).hint("add a line such as `submit: Sign up`"));
    }
    for (i, field) in form.fields.iter().enumerate() {
        if form.fields[..i].iter().any(|f| f.name == field.name) || (field.name == "consent" && form.consent.is_some()) {
            return Err(Error::new(format!("two fields of this form are named `{}`", field.name))
                .at(locate(field.span.clone()))
                .hint("give each field its own name"));
        }
    }
    Ok(form)
}

/// `required` or `optional`, as a flag.
fn requirement(word: &str) -> Option<bool> {
    match word {
        "required" => Some(true),
        "optional" => Some(false),
        _ => None,
    }
}

const FIELD_HINT: &str =
    "write `field: NAME | LABEL | KIND | required` (KIND and `required` may be left out), such as `field: school | Your school | text | optional`";

/// `NAME | LABEL | KIND | required`, written at `span`.
fn own_field(value: &str, span: Range<usize>, locate: &dyn Fn(Range<usize>) -> Location) -> Result<Field> {
    let mut parts = Vec::new();
    let mut at = span.start;
    for part in value.split('|') {
        let lead = part.len() - part.trim_start().len();
        parts.push((part.trim(), at + lead..at + lead + part.trim().len().max(1)));
        at += part.len() + 1;
    }
    let refuse = |message: String, span: Range<usize>, hint: String| Error::new(message).at(locate(span)).hint(hint);
    if parts.len() < 2 || parts.len() > 4 {
        return Err(refuse("a form's own field needs a name and a label".into(), span, FIELD_HINT.into()));
    }
    let (name, name_span) = parts[0].clone();
    let is_name = !name.is_empty() && name.len() <= 40 && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !is_name || !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Err(refuse(
            format!("`{name}` cannot name a field"),
            name_span,
            "a field's name is what it is posted under: lowercase letters, digits, `-` and `_`, starting with a letter, such as `school`".into(),
        ));
    }
    if STANDARD_NAMES.contains(&name) {
        let hint =
            if name == "consent" { "use `consent: …` for the consent box".to_string() } else { format!("use `{name}: required` for the standard field") };
        return Err(refuse(format!("`{name}` is the name of a standard field"), name_span, hint));
    }
    let (label, label_span) = parts[1].clone();
    if label.is_empty() {
        return Err(refuse("this field has no label".into(), label_span, FIELD_HINT.into()));
    }
    let kind = match parts.get(2) {
        None => Kind::Text,
        Some((word, word_span)) => KINDS
            .iter()
            .find(|(k, _)| k == word)
            .map(|(_, kind)| *kind)
            .ok_or_else(|| refuse(format!("there is no kind of field `{word}`"), word_span.clone(), suggestion(word, KINDS.iter().map(|(k, _)| *k))))?,
    };
    let required = match parts.get(3) {
        None => true,
        Some((word, word_span)) => requirement(word).ok_or_else(|| {
            refuse(format!("a field is `required` or `optional`, not `{word}`"), word_span.clone(), suggestion(word, ["required", "optional"]))
        })?,
    };
    Ok(Field { name: name.to_string(), label: Some(unescaped(label)), kind, required, span })
}

/// The block's `key: value` lines, each where it stands, and the text after a `---` line.
fn settings(body: &str) -> (Vec<Located>, Vec<Vec<String>>) {
    let mut lines = Vec::new();
    let mut at = 0;
    for line in body.split_inclusive('\n') {
        let start = at;
        at += line.len();
        if line.trim_end() == "---" {
            return (lines, paragraphs(&body[at..]));
        }
        if let Some(found) = Located::read(line, start) {
            lines.push(found);
        }
    }
    (lines, Vec::new())
}

/// The ids a form takes on its page, from its body as written, before any heading is given
/// one: the form's own, its error summary's title and each field's. `n` numbers the form on
/// its page, from 0.
pub fn ids(n: usize, body: &str) -> Vec<String> {
    let (lines, _) = settings(body);
    let mut ids = vec![form_id(n), format!("{}-problems", form_id(n)), format!("{}-trap", form_id(n))];
    for line in lines.into_iter().filter(|l| l.key != "submit") {
        let name = if line.key == "field" { line.value.split('|').next().unwrap_or_default().trim().to_string() } else { line.key };
        ids.push(format!("{}-{name}", form_id(n)));
    }
    ids
}

/// The id of a page's `n`-th form (from 0).
fn form_id(n: usize) -> String {
    format!("form-{}", n + 1)
}

impl Form {
    /// The form's HTML, posting to `target`, with the words of the page's language.
    pub fn html(&self, n: usize, words: &crate::strings::Strings, target: Option<&Target>) -> String {
        let id = form_id(n);
        let Some(target) = target else {
            // `check` refuses a form without a site to post to; a check render still runs.
            return String::new();
        };
        let mut html = format!(
            "<form class=\"form\" id=\"{id}\" action=\"{}\" method=\"post\" accept-charset=\"UTF-8\" data-form data-error-title=\"{}\" data-error-prefix=\"{}\">\n",
            xml(&target.endpoint),
            xml(&words.get("form_error_title")),
            xml(&words.get("form_error_prefix"))
        );
        html.push_str(&super::text_html(&self.intro));
        for field in &self.fields {
            html.push_str(&field.html(&id, words));
        }
        if let Some(consent) = &self.consent {
            let field_id = format!("{id}-consent");
            html.push_str(&format!(
                "<fieldset class=\"field field-consent\">\n<legend>{}</legend>\n<div class=\"checkbox\"><input id=\"{field_id}\" name=\"consent\" type=\"checkbox\" value=\"yes\" required data-error-missing=\"{}\"><label for=\"{field_id}\">{}</label></div>\n</fieldset>\n",
                xml(&words.get("form_consent")),
                xml(&words.get("form_error_consent")),
                xml(&crate::typography::smart_text(consent))
            ));
        }
        // The honeypot: off screen, out of the tab order and hidden from screen readers, with a
        // label that asks anyone who meets it to leave it empty.
        html.push_str(&format!(
            "<div class=\"form-trap\" aria-hidden=\"true\"><label for=\"{id}-trap\">{}</label><input id=\"{id}-trap\" name=\"{}\" type=\"text\" tabindex=\"-1\" autocomplete=\"off\"></div>\n",
            xml(&words.get("form_trap")),
            xml(&target.honeypot)
        ));
        if let Some((name, address)) = &target.redirect {
            html.push_str(&format!("<input type=\"hidden\" name=\"{}\" value=\"{}\">\n", xml(name), xml(address)));
        }
        html.push_str(&format!("<p class=\"button-row\"><button type=\"submit\" class=\"button\">{}</button></p>\n", xml(&self.submit)));
        html.push_str(&format!(
            "<p class=\"form-privacy\"><a href=\"{}\">{}</a></p>\n</form>\n",
            xml(&target.privacy),
            xml(&words.fill("form_privacy", &[("controller", &target.controller)]))
        ));
        html
    }

    /// What the form collects, by posted name, each with its label in `words`' language.
    pub fn collects(&self, words: &crate::strings::Strings) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = self.fields.iter().map(|f| (f.name.clone(), f.label(words))).collect();
        if self.consent.is_some() {
            out.push(("consent".to_string(), words.get("form_consent_collected")));
        }
        out
    }
}

impl Field {
    /// Its label: its own, or the page's language's word for a standard field.
    pub fn label(&self, words: &crate::strings::Strings) -> String {
        match (&self.label, self.kind) {
            (Some(label), _) => label.clone(),
            (None, Kind::Name) => words.get("form_name"),
            (None, Kind::Email) => words.get("form_email"),
            (None, _) => words.get("form_postcode"),
        }
    }

    fn html(&self, form: &str, words: &crate::strings::Strings) -> String {
        let id = format!("{form}-{}", self.name);
        let label = self.label(words);
        let shown = if self.required { xml(&label) } else { format!("{} {}", xml(&label), xml(&words.get("form_optional"))) };
        let filled = |key: &str| words.fill(key, &[("label", &label)]);
        let missing = match (self.label.is_some(), self.kind) {
            (false, Kind::Name) => words.get("form_error_name"),
            (false, Kind::Email) => words.get("form_error_email"),
            (false, _) => words.get("form_error_postcode"),
            (true, Kind::Checkbox) => filled("form_error_tick"),
            (true, _) => filled("form_error_field"),
        };
        let invalid = match self.kind {
            Kind::Email => Some(words.get("form_error_email_format")),
            Kind::Number | Kind::Tel => Some(filled("form_error_format")),
            _ => None,
        };
        let mut attrs = format!("id=\"{id}\" name=\"{}\"", xml(&self.name));
        let (kind, extra) = match self.kind {
            Kind::Name => ("text", " autocomplete=\"name\" spellcheck=\"false\""),
            Kind::Email => ("email", " autocomplete=\"email\" spellcheck=\"false\""),
            Kind::Postcode => ("text", " autocomplete=\"postal-code\" spellcheck=\"false\" autocapitalize=\"characters\""),
            Kind::Tel => ("tel", " autocomplete=\"tel\""),
            Kind::Number => ("text", " inputmode=\"numeric\" pattern=\"[0-9]*\""),
            Kind::Text | Kind::LongText => ("text", ""),
            Kind::Checkbox => ("checkbox", " value=\"yes\""),
        };
        if self.kind != Kind::LongText {
            attrs.push_str(&format!(" type=\"{kind}\""));
        }
        attrs.push_str(extra);
        if self.required {
            attrs.push_str(&format!(" required data-error-missing=\"{}\"", xml(&missing)));
        }
        if let Some(invalid) = invalid {
            attrs.push_str(&format!(" data-error-invalid=\"{}\"", xml(&invalid)));
        }
        match self.kind {
            Kind::Checkbox => format!("<div class=\"field checkbox\"><input {attrs}><label for=\"{id}\">{shown}</label></div>\n"),
            Kind::LongText => format!("<div class=\"field\"><label for=\"{id}\">{shown}</label><textarea {attrs} rows=\"5\"></textarea></div>\n"),
            _ => format!("<div class=\"field\"><label for=\"{id}\">{shown}</label><input {attrs}></div>\n"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::strings::Language;

    fn read(body: &str) -> Result<Form> {
        parse(body, &|span| Location::in_text("content/a.md", body, span.start, span.len(), 1))
    }

    fn target() -> Target {
        Target {
            endpoint: "https://forms.example.org/sign-up".into(),
            honeypot: "website".into(),
            redirect: Some(("_next".into(), "https://site.example.org/thank-you/".into())),
            privacy: "/privacy/#forms".into(),
            controller: "NSPCC".into(),
        }
    }

    const BODY: &str = "name: required\nemail: required\npostcode: optional\nfield: school | Your school | text | optional\nconsent: Email me news.\nsubmit: Sign up\n---\nAdd your name.\n";

    #[test]
    fn a_form_is_read_in_order_and_written_for_people_and_browsers() {
        let form = read(BODY).unwrap();
        let names: Vec<&str> = form.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["name", "email", "postcode", "school"]);
        assert_eq!((form.fields[2].required, form.fields[3].kind), (false, Kind::Text));
        let html = form.html(0, Language::English.words(), Some(&target()));
        for part in [
            "<form class=\"form\" id=\"form-1\" action=\"https://forms.example.org/sign-up\" method=\"post\"",
            "<p>Add your name.</p>",
            "<label for=\"form-1-name\">Full name</label><input id=\"form-1-name\" name=\"name\" type=\"text\" autocomplete=\"name\"",
            "name=\"email\" type=\"email\" autocomplete=\"email\"",
            "<label for=\"form-1-postcode\">Postcode (optional)</label>",
            "autocomplete=\"postal-code\"",
            "<label for=\"form-1-school\">Your school (optional)</label><input id=\"form-1-school\" name=\"school\" type=\"text\"></div>",
            "<fieldset class=\"field field-consent\">\n<legend>",
            "name=\"consent\" type=\"checkbox\" value=\"yes\" required",
            "<div class=\"form-trap\" aria-hidden=\"true\"><label for=\"form-1-trap\">",
            "name=\"website\" type=\"text\" tabindex=\"-1\" autocomplete=\"off\"",
            "<input type=\"hidden\" name=\"_next\" value=\"https://site.example.org/thank-you/\">",
            "<button type=\"submit\" class=\"button\">Sign up</button>",
            "<a href=\"/privacy/#forms\">How NSPCC uses your details</a>",
        ] {
            assert!(html.contains(part), "{part}\n{html}");
        }
        assert!(!html.contains("name=\"postcode\" type=\"text\" autocomplete=\"postal-code\" spellcheck=\"false\" autocapitalize=\"characters\" required"));
        assert_eq!(
            ids(0, BODY),
            ["form-1", "form-1-problems", "form-1-trap", "form-1-name", "form-1-email", "form-1-postcode", "form-1-school", "form-1-consent"]
        );
    }

    #[test]
    fn a_welsh_page_labels_and_explains_in_welsh() {
        let html = read(BODY).unwrap().html(1, Language::Welsh.words(), Some(&target()));
        assert!(html.contains("id=\"form-2\""), "{html}");
        assert!(html.contains(">Cod post (dewisol)</label>"), "{html}");
        assert!(html.contains("data-error-title=\"Mae problem\""), "{html}");
    }

    #[test]
    fn the_endpoint_is_https_or_this_machine() {
        assert_eq!(origin("https://Forms.example.org/sign-up?x=1").as_deref(), Some("https://forms.example.org"));
        assert_eq!(origin("http://127.0.0.1:8123/receive").as_deref(), Some("http://127.0.0.1:8123"));
        for bad in ["http://forms.example.org/", "https://a@b.org/", "ftp://x.org/", "/sign-up", "https://x.org/#a", "javascript:alert(1)"] {
            assert_eq!(origin(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_broken_form_says_what_is_wrong_where() {
        let cases = [
            ("nmae: required\nsubmit: Go\n", "did you mean `name`?"),
            ("name: requred\nsubmit: Go\n", "did you mean `required`?"),
            ("name: required\n", "no button"),
            ("submit: Go\n", "no fields"),
            ("field: school | Your school | txt\nsubmit: Go\n", "did you mean `text`?"),
            ("field: School! | Your school\nsubmit: Go\n", "cannot name a field"),
            ("field: email | Email\nsubmit: Go\n", "standard field"),
            ("field: school\nsubmit: Go\n", "needs a name and a label"),
            ("field: a | A\nfield: a | B\nsubmit: Go\n", "two fields of this form are named `a`"),
            ("name: required\nname: optional\nsubmit: Go\n", "given twice"),
            ("consent:\nsubmit: Go\n", "no words"),
        ];
        for (body, expected) in cases {
            let error = read(body).unwrap_err();
            let said = format!("{} {}", error.message(), error.hint_text().unwrap_or_default());
            assert!(said.contains(expected), "{body:?}: {said}");
            assert!(error.location().is_some_and(|l| l.line.is_some()), "{body:?}");
        }
        let error = read("submit: Go\nfield: school | Your school | txt\n").unwrap_err();
        assert_eq!(error.location().and_then(|l| l.line).map(|(line, _, _)| line), Some(2), "the kind's own line");
    }
}
