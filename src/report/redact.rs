//! `--redact`: rewrites the report once, before any renderer runs, so that no format
//! can forget to mask. Masks NameID values, session names (RoleSessionName,
//! SourceIdentity), email addresses and signature values (SignatureValue, DigestValue).
//!
//! In the decoded documents each masked character becomes `*` repeated to its UTF-8
//! length and whitespace is kept, so every span and line number stays valid.

use std::sync::LazyLock;

use regex::Regex;

use super::model::{InputReport, PayloadReport, Report, SourceText};
use crate::limits::Limits;
use crate::lint::Finding;
use crate::saml::{ASSERTION_NS, DSIG_NS, aws};
use crate::xml::{self, Document, NodeId, NodeKind, Span};

/// What replaces a masked value in messages and summaries.
pub(crate) const MASK: &str = "[redacted]";

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
        .unwrap_or_else(|e| unreachable!("EMAIL: {e}"))
});

/// Masks personal data and signature values in the whole report.
pub(crate) fn redact(report: &mut Report) {
    for input in &mut report.inputs {
        redact_input(input);
    }
}

/// [`redact`] for one input.
pub(crate) fn redact_input(input: &mut InputReport) {
    for n in &mut input.notes {
        *n = mask_text(n, &[]);
    }
    if let Some(e) = &mut input.error {
        *e = mask_text(e, &[]);
    }
    for f in &mut input.findings {
        redact_finding(f, &[]);
    }
    for p in &mut input.payloads {
        redact_payload(p);
    }
}

fn redact_payload(p: &mut PayloadReport) {
    let mut secrets = Vec::new();
    if let Some(doc) = &mut p.document {
        let (masked, found) = mask_document(&doc.text);
        secrets = found;
        *doc = SourceText::new(masked);
    }
    if let Some(s) = &mut p.summary {
        for v in [&mut s.subject, &mut s.session_name].into_iter().flatten() {
            secrets.push(std::mem::replace(v, MASK.to_owned()));
        }
    }
    // Longest first, so a value containing another is replaced whole.
    secrets.retain(|s| !s.trim().is_empty());
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    secrets.dedup();
    if let Some(s) = &mut p.summary {
        for v in [
            &mut s.issuer,
            &mut s.subject_format,
            &mut s.destination,
            &mut s.not_before,
            &mut s.not_on_or_after,
        ]
        .into_iter()
        .flatten()
        {
            *v = mask_text(v, &secrets);
        }
        for a in &mut s.audiences {
            *a = mask_text(a, &secrets);
        }
    }
    if let Some(url) = &mut p.origin.url {
        *url = mask_text(&mask_saml_params(url), &secrets);
    }
    for n in &mut p.decode_notes {
        *n = mask_text(n, &secrets);
    }
    for f in &mut p.findings {
        redact_finding(f, &secrets);
    }
    if let Some(a) = &mut p.aws {
        a.redact(&|s| mask_text(s, &secrets));
    }
}

fn redact_finding(f: &mut Finding, secrets: &[String]) {
    f.message = mask_text(&f.message, secrets);
    if let Some(a) = &mut f.aws_error {
        *a = mask_text(a, secrets);
    }
    for l in f.primary.iter_mut().chain(f.related.iter_mut()) {
        l.label = mask_text(&l.label, secrets);
    }
}

/// Masks the values of `SAMLResponse` / `SAMLRequest` query parameters in a URL (the
/// Redirect binding carries the whole message there).
fn mask_saml_params(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_owned();
    };
    let parts: Vec<String> = query
        .split('&')
        .map(|kv| match kv.split_once('=') {
            Some((k, _)) if k == "SAMLResponse" || k == "SAMLRequest" => format!("{k}={MASK}"),
            _ => kv.to_owned(),
        })
        .collect();
    format!("{base}?{}", parts.join("&"))
}

/// Masks every email address in `s`.
pub(crate) fn mask_emails(s: &str) -> String {
    mask_text(s, &[])
}

/// Replaces each secret, then every email address, with [`MASK`].
fn mask_text(s: &str, secrets: &[String]) -> String {
    let mut out = s.to_owned();
    for secret in secrets {
        if out.contains(secret.as_str()) {
            out = out.replace(secret.as_str(), MASK);
        }
    }
    match EMAIL.replace_all(&out, MASK) {
        std::borrow::Cow::Borrowed(_) => out,
        std::borrow::Cow::Owned(o) => o,
    }
}

/// Masks the document in place of its bytes; returns the masked text and the values
/// that were masked (to scrub them from messages too).
fn mask_document(text: &str) -> (String, Vec<String>) {
    let mut spans: Vec<Span> = Vec::new();
    let mut secrets = Vec::new();
    if let Ok(doc) = xml::parse(text, &Limits::default()) {
        collect(&doc, &mut spans, &mut secrets);
    }
    for m in EMAIL.find_iter(text) {
        spans.push(Span::new(m.start(), m.end()));
        secrets.push(m.as_str().to_owned());
    }
    let mut bytes = text.to_owned().into_bytes();
    for span in spans {
        let Some(part) = text.get(span.start..span.end) else {
            continue;
        };
        let mut at = span.start;
        for c in part.chars() {
            let n = c.len_utf8();
            if !c.is_whitespace() {
                bytes[at..at + n].fill(b'*');
            }
            at += n;
        }
    }
    // Only whole characters were replaced by ASCII, so the bytes stay UTF-8.
    let masked = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    (masked, secrets)
}

/// Text spans of NameID, session-name attribute values, SignatureValue and DigestValue.
fn collect(doc: &Document, spans: &mut Vec<Span>, secrets: &mut Vec<String>) {
    // Signature values are base64, often wrapped: each line is masked in messages too.
    let take = |node: NodeId, split: bool, spans: &mut Vec<Span>, secrets: &mut Vec<String>| {
        for d in doc.descendants(node) {
            if let NodeKind::Text(t) = doc.kind(d) {
                spans.push(doc.span(d));
                if !t.trim().is_empty() {
                    secrets.push(t.trim().to_owned());
                }
                if split {
                    secrets.extend(t.split_whitespace().map(str::to_owned));
                }
            }
        }
        let all = doc.text_content(node);
        if !all.trim().is_empty() {
            secrets.push(all.trim().to_owned());
        }
    };
    for id in doc.descendants(doc.root()) {
        let Some(e) = doc.element(id) else { continue };
        let signature = e.is(DSIG_NS, "SignatureValue") || e.is(DSIG_NS, "DigestValue");
        if signature || e.is(ASSERTION_NS, "NameID") {
            take(id, signature, spans, secrets);
        } else if e.is(ASSERTION_NS, "Attribute")
            && matches!(
                e.attr_value("Name"),
                Some(aws::ROLE_SESSION_NAME | aws::SOURCE_IDENTITY)
            )
        {
            for (v, _) in doc
                .child_elements(id)
                .filter(|(_, c)| c.is(ASSERTION_NS, "AttributeValue"))
            {
                take(v, false, spans, secrets);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{Binding, Origin, OriginKind};
    use crate::lint::rules;
    use crate::report::{RenderOptions, Summary};

    const DOC: &str = r#"<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">
<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:Reference><ds:DigestValue>ZGlnZXN0</ds:DigestValue></ds:Reference></ds:SignedInfo>
<ds:SignatureValue>c2lnbmF0
dXJl</ds:SignatureValue></ds:Signature>
<saml:Assertion><saml:Subject><saml:NameID>jane.doe@example.com</saml:NameID></saml:Subject>
<saml:AttributeStatement><saml:Attribute Name="https://aws.amazon.com/SAML/Attributes/RoleSessionName"><saml:AttributeValue>jdoe-session</saml:AttributeValue></saml:Attribute>
<saml:Attribute Name="mail"><saml:AttributeValue>Ünïcode.Person@example.org</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion></samlp:Response>"#;

    fn sample() -> Report {
        let mut input = InputReport::new("login.har".to_owned());
        let f = Finding::new(
            &rules::input_not_saml::META,
            "NameID 'jane.doe@example.com' for session jdoe-session, signature c2lnbmF0",
        )
        .at(Span::new(10, 20), "sent by jane.doe@example.com");
        input.payloads.push(PayloadReport {
            index: 0,
            origin: Origin::new(OriginKind::File),
            binding: Binding::Post,
            param: None,
            kind: None,
            request: None,
            decoded: Vec::new(),
            decode_notes: Vec::new(),
            profile: None,
            profile_reason: None,
            idp: crate::lint::Idp::other(),
            now: None,
            signature: None,
            summary: Some(Summary {
                subject: Some("jane.doe@example.com".to_owned()),
                session_name: Some("jdoe-session".to_owned()),
                issuer: Some("http://www.okta.com/exk1".to_owned()),
                ..Summary::default()
            }),
            findings: vec![f],
            document: Some(SourceText::new(DOC.to_owned())),
            is_saml: true,
            aws: None,
        });
        Report {
            inputs: vec![input],
            ..Report::default()
        }
    }

    #[test]
    fn masks_every_secret_and_keeps_offsets() {
        let mut r = sample();
        let before = r.inputs[0].payloads[0].document.clone().unwrap();
        redact(&mut r);
        let p = &r.inputs[0].payloads[0];
        let doc = p.document.as_ref().unwrap();
        assert_eq!(doc.text.len(), before.text.len());
        assert_eq!(doc.lines.line_count(), before.lines.line_count());
        for secret in [
            "jane.doe",
            "jdoe-session",
            "ZGlnZXN0",
            "c2lnbmF0",
            "dXJl",
            "example.org",
        ] {
            assert!(!doc.text.contains(secret), "{secret} left in document");
        }
        assert!(
            doc.text
                .contains("<saml:NameID>********************</saml:NameID>")
        );
        assert!(doc.text.contains("http://www.okta.com") || !doc.text.contains("okta"));
        let s = p.summary.as_ref().unwrap();
        assert_eq!(s.subject.as_deref(), Some(MASK));
        assert_eq!(s.session_name.as_deref(), Some(MASK));
        assert_eq!(s.issuer.as_deref(), Some("http://www.okta.com/exk1"));
        let f = &p.findings[0];
        assert_eq!(
            f.message,
            "NameID '[redacted]' for session [redacted], signature [redacted]"
        );
        assert_eq!(f.primary.as_ref().unwrap().label, "sent by [redacted]");
    }

    #[test]
    fn redirect_urls_lose_their_payload() {
        assert_eq!(
            mask_saml_params("https://signin.aws.amazon.com/saml?SAMLResponse=fZJN&RelayState=x"),
            "https://signin.aws.amazon.com/saml?SAMLResponse=[redacted]&RelayState=x"
        );
        assert_eq!(mask_saml_params("https://x/saml"), "https://x/saml");
    }

    #[test]
    fn every_renderer_sees_the_masked_model() {
        let mut r = sample();
        redact(&mut r);
        let mut text = Vec::new();
        crate::report::Format::Text
            .render(&r, &RenderOptions::default(), &mut text)
            .unwrap();
        let mut json = Vec::new();
        crate::report::Format::Json
            .render(&r, &RenderOptions::default(), &mut json)
            .unwrap();
        for out in [
            String::from_utf8(text).unwrap(),
            String::from_utf8(json).unwrap(),
        ] {
            for secret in ["jane.doe", "jdoe-session", "c2lnbmF0"] {
                assert!(!out.contains(secret), "{secret} in {out}");
            }
            assert!(out.contains(MASK));
        }
    }
}
