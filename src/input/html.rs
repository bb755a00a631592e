//! HTML pages that carry a SAML message in a form: the IdP's auto-post interstitial,
//! a saved page source, AWS's role-selection page (which holds the response AWS
//! already accepted in a hidden input). The page is read with html5ever's tokenizer
//! (the WHATWG algorithm browsers use), so attribute values arrive with their
//! character references decoded (`&#x2b;` `&#43;` `&amp;`) and markup inside
//! `<script>`, `<style>` or comments is not mistaken for a form.
//!
//! A page without any SAML form field is classified (login, MFA or error page) for the
//! `input-not-saml` message.

use std::cell::RefCell;

use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use serde::Serialize;

use super::form::Duplicate;
use super::{Binding, Origin, Payload, RawForm, SamlParam};

/// Which page a form was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PageKind {
    /// A page whose form posts a SAML message (an IdP's auto-post interstitial).
    SamlForm,
    /// AWS's role-selection page: it is shown only after AWS accepted the response.
    AwsRoleSelection,
}

/// Where in an HTML page a payload was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FormOrigin {
    /// The form's `action` (the URL the browser posts to), resolved against the page's
    /// URL when the page came with one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    pub page: PageKind,
}

/// One `<form>` (or the inputs outside any form) with its SAML fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Form {
    pub action: Option<String>,
    /// `SAMLResponse` / `SAMLRequest` values in page order, references decoded.
    pub fields: Vec<(SamlParam, String)>,
    pub relay_states: Vec<String>,
    /// A `roleIndex` input: AWS's role-selection page.
    pub role_choice: bool,
}

/// What a page holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Page {
    pub title: Option<String>,
    /// Forms with at least one SAML field, in page order.
    pub forms: Vec<Form>,
    password: bool,
    one_time_code: bool,
    /// The start of the page's visible text, lowercased, for naming an error page.
    text: String,
}

/// Visible text kept for classifying a page.
const TEXT_KEPT: usize = 4096;

impl Page {
    /// What a page without a SAML form is, for `input-not-saml`: `"a login page"`,
    /// `"an MFA page"`, `"an error page"` or `"a page"`.
    pub(crate) fn kind(&self) -> &'static str {
        let title = self.title.as_deref().unwrap_or("").to_ascii_lowercase();
        let has = |words: &[&str]| {
            words
                .iter()
                .any(|w| title.contains(w) || self.text.contains(w))
        };
        if self.one_time_code
            || has(&[
                "verification code",
                "one-time",
                "two-factor",
                "2-step",
                "multi-factor",
                "authenticator app",
                "okta verify",
                "passcode",
                "security code",
                "push notification",
                "mfa",
            ])
        {
            "an MFA page"
        } else if self.password {
            "a login page"
        } else if has(&[
            "error",
            "denied",
            "forbidden",
            "failed",
            "not authorized",
            "unauthorized",
            "went wrong",
        ]) {
            "an error page"
        } else if has(&["sign in", "sign-in", "log in", "login"]) {
            "a login page"
        } else {
            "a page"
        }
    }

    /// Whether any form carries `SAMLResponse` or `SAMLRequest`.
    pub(crate) fn has_saml(&self) -> bool {
        !self.forms.is_empty()
    }
}

/// Whether text may be a page (or a copied fragment of one) holding a SAML form: an
/// HTML document, or markup with a `<form>` or `<input>` that names a SAML parameter.
/// A SAML XML document has neither.
pub(crate) fn may_hold_form(text: &str) -> bool {
    if crate::xml::looks_like_html(text) {
        return true;
    }
    let bytes = text.trim_start().as_bytes();
    let has = |needle: &[u8]| {
        bytes
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle))
    };
    bytes.first() == Some(&b'<')
        && (memchr::memmem::find(bytes, b"SAMLResponse").is_some()
            || memchr::memmem::find(bytes, b"SAMLRequest").is_some())
        && (has(b"<form") || has(b"<input"))
}

/// Reads a page. Linear in its length; never fails (HTML has no syntax errors that stop
/// a browser, and none stop this).
pub(crate) fn read(text: &str) -> Page {
    let sink = Sink::default();
    let input = BufferQueue::default();
    input.push_back(text.into());
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let state = tokenizer.sink.state.into_inner();
    let mut page = state.page;
    page.forms = state
        .forms
        .into_iter()
        .chain(state.loose)
        .filter(|f| !f.fields.is_empty())
        .collect();
    page
}

/// Decodes the HTML character references of a value copied out of a page's source
/// (`PHg&#x2b;Pw&#x3d;&#x3d;` → `PHg+Pw==`), the way a browser decodes an attribute
/// value. `None` when the value holds none, or holds markup (a `"`, `<` or `>`).
pub(crate) fn decode_references(value: &str) -> Option<String> {
    if !value.contains('&') || value.contains(['"', '<', '>']) {
        return None;
    }
    let page = read(&format!("<input name=\"SAMLResponse\" value=\"{value}\">"));
    let (_, decoded) = page.forms.first()?.fields.first()?;
    (decoded != value).then(|| decoded.clone())
}

/// The duplicate marker of the field at `index` of a form, when its parameter appears
/// more than once there.
pub(crate) fn duplicate_of(form: &Form, index: usize) -> Option<Duplicate> {
    let (param, _) = form.fields.get(index)?;
    let same: Vec<usize> = form
        .fields
        .iter()
        .enumerate()
        .filter(|(_, (p, _))| p == param)
        .map(|(i, _)| i)
        .collect();
    let position = same.iter().position(|&i| i == index).map_or(1, |p| p + 1);
    Duplicate::of(position, same.len(), form.relay_states.len(), "HTML form")
}

/// The payloads of a page's SAML forms, in page order. `origin` says where the page
/// came from (a file, a HAR entry's response); each payload's `url` becomes the form's
/// `action`, the URL the browser posts it to.
pub(crate) fn payloads(page: &Page, origin: &Origin) -> Vec<Payload> {
    let mut out = Vec::new();
    for form in &page.forms {
        let action = form
            .action
            .as_deref()
            .map(|a| resolve_action(a, origin.url.as_deref()));
        let kind = if form.role_choice {
            PageKind::AwsRoleSelection
        } else {
            PageKind::SamlForm
        };
        for (i, (param, value)) in form.fields.iter().enumerate() {
            let mut origin = origin.clone();
            origin.html_form = Some(FormOrigin {
                action: action.clone(),
                page: kind,
            });
            if let Some(a) = &action {
                origin.url = Some(a.clone());
                origin.method = Some("POST".to_owned());
            }
            out.push(Payload {
                origin,
                binding: Binding::Post,
                param: Some(*param),
                relay_state: form.relay_states.first().cloned(),
                raw: value.clone().into_bytes(),
                form: RawForm::Encoded,
                duplicate: duplicate_of(form, i),
            });
        }
    }
    out
}

/// Resolves a form `action` against the URL of the page it came from (`/saml` on
/// `https://signin.aws.amazon.com/saml` → `https://signin.aws.amazon.com/saml`).
pub(crate) fn resolve_action(action: &str, page_url: Option<&str>) -> String {
    let action = action.trim();
    let Some(base) = page_url else {
        return action.to_owned();
    };
    if action.contains("://") {
        return action.to_owned();
    }
    let Some((scheme, rest)) = base.split_once("://") else {
        return action.to_owned();
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    if let Some(path) = action.strip_prefix("//") {
        return format!("{scheme}://{path}");
    }
    if action.starts_with('/') {
        return format!("{scheme}://{host}{action}");
    }
    if action.is_empty() {
        return base.split('#').next().unwrap_or(base).to_owned();
    }
    let path = rest.get(host.len()..).unwrap_or("");
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let dir = path
        .rfind('/')
        .map_or("/", |i| path.get(..=i).unwrap_or("/"));
    format!("{scheme}://{host}{dir}{action}")
}

#[derive(Default)]
struct State {
    page: Page,
    forms: Vec<Form>,
    /// Inputs outside any `<form>` (a page fragment).
    loose: Option<Form>,
    in_form: bool,
    in_title: bool,
    title: String,
}

#[derive(Default)]
struct Sink {
    state: RefCell<State>,
}

fn attr<'t>(tag: &'t Tag, name: &str) -> Option<&'t str> {
    tag.attrs
        .iter()
        .find(|a| a.name.ns.is_empty() && &*a.name.local == name)
        .map(|a| &*a.value)
}

impl State {
    fn form(&mut self) -> &mut Form {
        if self.in_form
            && let Some(last) = self.forms.last_mut()
        {
            return last;
        }
        self.loose.get_or_insert_with(Form::default)
    }

    fn start(&mut self, tag: &Tag) -> TokenSinkResult<()> {
        match &*tag.name {
            "form" => {
                self.forms.push(Form {
                    action: attr(tag, "action").map(str::to_owned),
                    ..Form::default()
                });
                self.in_form = true;
            }
            "input" | "button" => self.input(tag),
            "title" => {
                self.in_title = true;
                return TokenSinkResult::RawData(RawKind::Rcdata);
            }
            "textarea" => return TokenSinkResult::RawData(RawKind::Rcdata),
            "script" => return TokenSinkResult::RawData(RawKind::ScriptData),
            "style" | "xmp" | "iframe" | "noembed" | "noframes" => {
                return TokenSinkResult::RawData(RawKind::Rawtext);
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }

    fn input(&mut self, tag: &Tag) {
        let kind = attr(tag, "type").unwrap_or("").to_ascii_lowercase();
        let name = attr(tag, "name").unwrap_or("");
        if kind == "password" {
            self.page.password = true;
        }
        if attr(tag, "autocomplete").is_some_and(|a| a.eq_ignore_ascii_case("one-time-code")) {
            self.page.one_time_code = true;
        }
        let value = || attr(tag, "value").unwrap_or("").to_owned();
        match name {
            "RelayState" => {
                let v = value();
                self.form().relay_states.push(v);
            }
            "roleIndex" => self.form().role_choice = true,
            _ => {
                if let Some(param) = SamlParam::from_name(name) {
                    let v = value();
                    self.form().fields.push((param, v));
                }
            }
        }
    }

    fn text(&mut self, s: &str) {
        if self.in_title {
            self.title.push_str(s);
        } else if self.page.text.len() < TEXT_KEPT {
            let room = TEXT_KEPT - self.page.text.len();
            let cut = s
                .char_indices()
                .map(|(i, _)| i)
                .find(|&i| i >= room)
                .unwrap_or(s.len());
            self.page
                .text
                .push_str(&s.get(..cut).unwrap_or("").to_lowercase());
        }
    }
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut state = self.state.borrow_mut();
        match token {
            Token::TagToken(tag) => match tag.kind {
                TagKind::StartTag => return state.start(&tag),
                TagKind::EndTag => match &*tag.name {
                    "form" => state.in_form = false,
                    "title" if state.in_title => {
                        state.in_title = false;
                        let title = state.title.split_whitespace().collect::<Vec<_>>().join(" ");
                        if state.page.title.is_none() && !title.is_empty() {
                            state.page.title = Some(title);
                        }
                    }
                    _ => {}
                },
            },
            Token::CharacterTokens(s) => state.text(&s),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_post_form_with_character_references() {
        let page = read(
            "<!DOCTYPE html><html><head><title>Working...</title>\
             <script>document.write('<input name=\"SAMLResponse\" value=\"no\">')</script></head>\
             <body onload=\"document.forms[0].submit()\">\
             <form method=\"post\" action=\"https://signin.aws.amazon.com/saml\">\
             <input type=\"hidden\" name=\"SAMLResponse\" value=\"PHg&#x2b;a&#43;b&#x3d;&#61;\"/>\
             <input type=hidden name=RelayState value='https://a/?x=1&amp;y=2'>\
             </form><!-- <input name=\"SAMLResponse\" value=\"no\"> --></body></html>",
        );
        assert_eq!(page.title.as_deref(), Some("Working..."));
        let [form] = page.forms.as_slice() else {
            panic!("one form expected: {page:?}")
        };
        assert_eq!(
            form.action.as_deref(),
            Some("https://signin.aws.amazon.com/saml")
        );
        assert_eq!(form.fields, [(SamlParam::Response, "PHg+a+b==".to_owned())]);
        assert_eq!(form.relay_states, ["https://a/?x=1&y=2"]);
        assert!(!form.role_choice);
        assert_eq!(duplicate_of(form, 0), None);
    }

    #[test]
    fn role_selection_and_duplicates() {
        let page = read(
            "<html><form id=saml_form action=/saml method=post>\
             <input name=roleIndex type=radio value=arn:aws:iam::1:role/a>\
             <input name=SAMLResponse value=A><input name=SAMLResponse value=B>\
             </form></html>",
        );
        let form = &page.forms[0];
        assert!(form.role_choice);
        assert_eq!(form.fields.len(), 2);
        assert_eq!(
            duplicate_of(form, 1),
            Some(Duplicate {
                position: 2,
                count: 2,
                relay_states: 0,
                place: "HTML form"
            })
        );
    }

    #[test]
    fn pages_without_a_saml_form_are_named() {
        let login = read(
            "<html><title>Sign In</title><form><input name=username>\
             <input type=password name=pw></form></html>",
        );
        assert!(!login.has_saml());
        assert_eq!(login.kind(), "a login page");
        let mfa = read("<html><body><input autocomplete=one-time-code name=code></body></html>");
        assert_eq!(mfa.kind(), "an MFA page");
        let error = read("<html><title>Oops</title><body><h1>403 Forbidden</h1></body></html>");
        assert_eq!(error.kind(), "an error page");
        assert_eq!(read("<html><p>hello</p></html>").kind(), "a page");
    }

    #[test]
    fn fragments_with_a_saml_input_are_pages() {
        assert!(may_hold_form(
            "<form action=x><input name=\"SAMLResponse\" value=\"PHg+\"></form>"
        ));
        assert!(may_hold_form("<!DOCTYPE html><p>error</p>"));
        assert!(!may_hold_form(
            "<samlp:Response xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\"/>"
        ));
        assert!(!may_hold_form("SAMLResponse=PHg%2B"));
    }

    #[test]
    fn references_in_a_pasted_value() {
        assert_eq!(
            decode_references("PHg&#x2b;Pw&#43;&#x3d;&#61;&amp;").as_deref(),
            Some("PHg+Pw+==&")
        );
        assert_eq!(decode_references("PHg+Pw=="), None);
        assert_eq!(decode_references("a&b\"><script>"), None);
    }

    #[test]
    fn actions_resolve_against_the_page_url() {
        let page = Some("https://signin.aws.amazon.com/saml?x=1");
        assert_eq!(
            resolve_action("/saml", page),
            "https://signin.aws.amazon.com/saml"
        );
        assert_eq!(
            resolve_action("acs", Some("https://sp.example/a/b")),
            "https://sp.example/a/acs"
        );
        assert_eq!(resolve_action("https://x/y", page), "https://x/y");
        assert_eq!(resolve_action("/saml", None), "/saml");
    }
}
