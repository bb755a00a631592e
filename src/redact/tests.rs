//! Property test over generated captures: Okta (IAM) and Identity Center sign-ins of
//! several users, in HAR (Chrome and Firefox shapes, an auto-post page in a response,
//! a redirect-binding AuthnRequest) and SAML-tracer form. No original identity or
//! credential may survive anywhere, at any decoding layer; the findings stay the same
//! except the signature rules; the output is still a HAR / tracer export.

use std::io::Read as _;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use percent_encoding::{NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use proptest::prelude::*;
use serde_json::{Value, json};

use super::record::is_signature_rule;
use super::{Body, Policy, Redactor, redact_file};
use crate::input::{self, OriginKind};
use crate::limits::Limits;
use crate::pipeline::{self, NowMode, Options};

#[derive(Debug, Clone)]
struct User {
    first: String,
    last: String,
    domain: String,
    session: String,
    group: String,
}

impl User {
    fn email(&self) -> String {
        format!("{}.{}@{}", self.first, self.last, self.domain)
    }
    fn identities(&self) -> Vec<String> {
        vec![
            self.email(),
            self.session.clone(),
            self.group.clone(),
            format!("{} {}", cap(&self.first), cap(&self.last)),
        ]
    }
}

fn cap(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

fn user() -> impl Strategy<Value = User> {
    (
        "[a-z]{4,8}",
        "[a-z]{4,9}",
        "[a-z]{5,9}\\.(com|org|io)",
        "[a-z]{3,6}[-_.][a-z]{3,8}",
        "grp[a-z]{5,8}",
    )
        .prop_map(|(first, last, domain, session, group)| User {
            first,
            last,
            domain,
            session,
            group,
        })
}

/// An unsigned Response for `u` (Okta to AWS IAM, or to Identity Center).
fn response(u: &User, ic: bool, n: usize) -> String {
    let (dest, aud, issuer) = if ic {
        (
            "https://us-east-1.signin.aws/platform/saml/acs/d-906712ab34",
            "https://us-east-1.signin.aws/platform/saml/d-906712ab34",
            "http://www.okta.com/exkic",
        )
    } else {
        (
            "https://signin.aws.amazon.com/saml",
            "urn:amazon:webservices",
            "http://www.okta.com/exkiam",
        )
    };
    let attrs = if ic {
        format!(
            r#"<saml2:Attribute Name="firstName"><saml2:AttributeValue>{}</saml2:AttributeValue></saml2:Attribute><saml2:Attribute Name="https://aws.amazon.com/SAML/Attributes/AccessControl:Department"><saml2:AttributeValue>{}</saml2:AttributeValue></saml2:Attribute>"#,
            cap(&u.first),
            u.group
        )
    } else {
        format!(
            r#"<saml2:Attribute Name="https://aws.amazon.com/SAML/Attributes/Role"><saml2:AttributeValue>arn:aws:iam::123456789012:saml-provider/Okta,arn:aws:iam::123456789012:role/Admin</saml2:AttributeValue></saml2:Attribute><saml2:Attribute Name="https://aws.amazon.com/SAML/Attributes/RoleSessionName"><saml2:AttributeValue>{}</saml2:AttributeValue></saml2:Attribute><saml2:Attribute Name="https://aws.amazon.com/SAML/Attributes/SessionDuration"><saml2:AttributeValue>3600</saml2:AttributeValue></saml2:Attribute><saml2:Attribute Name="groups"><saml2:AttributeValue>{}</saml2:AttributeValue></saml2:Attribute><saml2:Attribute Name="displayName"><saml2:AttributeValue>{} {}</saml2:AttributeValue></saml2:Attribute>"#,
            u.session,
            u.group,
            cap(&u.first),
            cap(&u.last)
        )
    };
    format!(
        r#"<saml2p:Response xmlns:saml2p="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" Destination="{dest}" ID="r{n}" IssueInstant="2026-01-15T10:00:00Z" Version="2.0"><saml2:Issuer>{issuer}</saml2:Issuer><saml2p:Status><saml2p:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></saml2p:Status><saml2:Assertion ID="a{n}" IssueInstant="2026-01-15T10:00:00Z" Version="2.0"><saml2:Issuer>{issuer}</saml2:Issuer><saml2:Subject><saml2:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">{email}</saml2:NameID><saml2:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml2:SubjectConfirmationData NotOnOrAfter="2026-01-15T10:05:00Z" Recipient="{dest}"/></saml2:SubjectConfirmation></saml2:Subject><saml2:Conditions NotBefore="2026-01-15T09:55:00Z" NotOnOrAfter="2026-01-15T10:05:00Z"><saml2:AudienceRestriction><saml2:Audience>{aud}</saml2:Audience></saml2:AudienceRestriction></saml2:Conditions><saml2:AuthnStatement AuthnInstant="2026-01-15T10:00:00Z" SessionIndex="a{n}"><saml2:AuthnContext><saml2:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml2:AuthnContextClassRef></saml2:AuthnContext></saml2:AuthnStatement><saml2:AttributeStatement>{attrs}</saml2:AttributeStatement></saml2:Assertion></saml2p:Response>"#,
        email = u.email()
    )
}

fn form(v: &str) -> String {
    utf8_percent_encode(v, NON_ALPHANUMERIC).to_string()
}

fn deflate_b64(xml: &str) -> String {
    use std::io::Write as _;
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(xml.as_bytes()).unwrap();
    STANDARD.encode(e.finish().unwrap())
}

#[derive(Debug, Clone)]
struct Capture {
    users: Vec<User>,
    ic: Vec<bool>,
    tracer: bool,
    firefox: bool,
    token: String,
    password: String,
}

fn capture() -> impl Strategy<Value = Capture> {
    (
        prop::collection::vec((user(), any::<bool>()), 1..4),
        any::<bool>(),
        any::<bool>(),
        "[A-Za-z0-9]{24,32}",
        "[A-Za-z0-9!#]{10,16}",
    )
        .prop_map(|(u, tracer, firefox, token, password)| Capture {
            ic: u.iter().map(|x| x.1).collect(),
            users: u.into_iter().map(|x| x.0).collect(),
            tracer,
            firefox,
            token,
            password,
        })
}

impl Capture {
    fn secrets(&self) -> Vec<String> {
        let mut s: Vec<String> = self.users.iter().flat_map(User::identities).collect();
        s.push(self.token.clone());
        s.push(self.password.clone());
        s
    }

    fn build(&self) -> Value {
        let mut entries = Vec::new();
        let mut requests = Vec::new();
        for (n, (u, &ic)) in self.users.iter().zip(&self.ic).enumerate() {
            let xml = response(u, ic, n);
            let b64 = STANDARD.encode(&xml);
            let acs = if ic {
                "https://us-east-1.signin.aws/platform/saml/acs/d-906712ab34"
            } else {
                "https://signin.aws.amazon.com/saml"
            };
            let login = format!(
                "https://acme.okta.com/api/v1/authn?login_hint={}&code={}",
                form(&u.email()),
                self.token
            );
            let authn = format!(
                r#"<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="q{n}" Version="2.0" IssueInstant="2026-01-15T09:59:00Z"><saml:Subject><saml:NameID>{}</saml:NameID></saml:Subject></samlp:AuthnRequest>"#,
                u.email()
            );
            let redirect = format!(
                "https://acme.okta.com/app/sso/saml?SAMLRequest={}",
                form(&deflate_b64(&authn))
            );
            let page = format!(
                r#"<html><body onload="document.forms[0].submit()"><p>Signed in as {}</p><form method="post" action="{acs}"><input type="hidden" name="SAMLResponse" value="{}"/><input type="hidden" name="RelayState" value=""/></form></body></html>"#,
                u.email(),
                b64.replace('+', "&#x2b;")
            );
            if self.tracer {
                requests.push(
                    json!({"method": "POST", "url": login, "requestId": format!("l{n}"),
                    "requestHeaders": [{"name": "Cookie", "value": format!("sid={}", self.token)}],
                    "post": [["username", u.email()], ["password", self.password]], "get": []}),
                );
                requests.push(
                    json!({"method": "GET", "url": redirect, "requestId": format!("g{n}"),
                    "get": [["SAMLRequest", deflate_b64(&authn)]], "saml": authn}),
                );
                requests.push(json!({"method": "POST", "url": acs, "requestId": format!("p{n}"),
                    "requestHeaders": [{"name": "Authorization", "value": format!("Bearer {}", self.token)}],
                    "post": [["SAMLResponse", b64], ["RelayState", ""]], "get": [], "saml": xml}));
            } else {
                let value = if self.firefox {
                    b64.clone()
                } else {
                    form(&b64)
                };
                entries.push(json!({"startedDateTime": "2026-01-15T09:59:00Z", "time": 1,
                    "request": {"method": "POST", "url": login, "httpVersion": "HTTP/1.1",
                        "headers": [{"name": "Cookie", "value": format!("sid={}", self.token)}],
                        "cookies": [{"name": "sid", "value": self.token}], "queryString": [],
                        "postData": {"mimeType": "application/json", "text": format!("{{\"username\":\"{}\",\"password\":\"{}\"}}", u.email(), self.password)},
                        "headersSize": -1, "bodySize": -1},
                    "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1",
                        "headers": [{"name": "Set-Cookie", "value": format!("sid={}; Secure", self.token)}], "cookies": [],
                        "content": {"size": 1, "mimeType": "text/html", "text": page}, "redirectURL": "", "headersSize": -1, "bodySize": -1},
                    "cache": {}, "timings": {"send": 0, "wait": 0, "receive": 0}}));
                entries.push(json!({"startedDateTime": "2026-01-15T09:59:30Z", "time": 1,
                    "request": {"method": "GET", "url": redirect, "httpVersion": "HTTP/1.1", "headers": [], "cookies": [],
                        "queryString": [{"name": "SAMLRequest", "value": form(&deflate_b64(&authn))}], "headersSize": -1, "bodySize": 0},
                    "response": {"status": 302, "statusText": "", "httpVersion": "HTTP/1.1", "headers": [], "cookies": [],
                        "content": {"size": 0, "mimeType": "text/html"}, "redirectURL": "", "headersSize": -1, "bodySize": -1},
                    "cache": {}, "timings": {"send": 0, "wait": 0, "receive": 0}}));
                entries.push(json!({"startedDateTime": "2026-01-15T10:00:02Z", "time": 1,
                    "request": {"method": "POST", "url": acs, "httpVersion": "HTTP/1.1",
                        "headers": [{"name": "Authorization", "value": format!("Bearer {}", self.token)}], "cookies": [],
                        "queryString": [],
                        "postData": {"mimeType": "application/x-www-form-urlencoded", "text": format!("SAMLResponse={}&RelayState=", form(&b64)),
                            "params": [{"name": "SAMLResponse", "value": value}, {"name": "RelayState", "value": ""}]},
                        "headersSize": -1, "bodySize": -1},
                    "response": {"status": 302, "statusText": "", "httpVersion": "HTTP/1.1", "headers": [], "cookies": [],
                        "content": {"size": 0, "mimeType": "text/html"}, "redirectURL": "https://console.aws.amazon.com/", "headersSize": -1, "bodySize": -1},
                    "cache": {}, "timings": {"send": 0, "wait": 0, "receive": 0}}));
            }
        }
        if self.tracer {
            json!({"requests": requests, "timestamp": "2026-01-15T10:01:00Z"})
        } else {
            json!({"log": {"version": "1.2", "creator": {"name": "test", "version": "1"}, "entries": entries}})
        }
    }
}

/// Every text `s` stands for, one decoding layer at a time: URL, HTML references,
/// base64 (and DEFLATE under it), and the text and attribute values of XML.
fn layers(s: &str, out: &mut Vec<String>, depth: usize) {
    out.push(s.to_owned());
    if depth == 0 {
        return;
    }
    let url = percent_decode_str(&s.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned();
    if url != s {
        layers(&url, out, depth - 1);
    }
    let html = s
        .replace("&#x2b;", "+")
        .replace("&amp;", "&")
        .replace("&quot;", "\"");
    if html != s {
        layers(&html, out, depth - 1);
    }
    for token in s.split(|c: char| !(c.is_ascii_alphanumeric() || "+/=".contains(c))) {
        if token.len() < 16 {
            continue;
        }
        let Ok(bytes) = STANDARD.decode(token) else {
            continue;
        };
        let mut inflated = Vec::new();
        let bytes = if flate2::read::DeflateDecoder::new(bytes.as_slice())
            .read_to_end(&mut inflated)
            .is_ok()
            && !inflated.is_empty()
        {
            inflated
        } else {
            bytes
        };
        if let Ok(t) = String::from_utf8(bytes) {
            layers(&t, out, depth - 1);
        }
    }
    if let Ok(doc) = crate::xml::parse(s, &Limits::default()) {
        for id in doc.descendants(doc.root()) {
            if let Some(t) = doc.text_of(id) {
                out.push(t.to_owned());
            }
            if let Some(e) = doc.element(id) {
                out.extend(e.attributes().map(|a| a.value().to_owned()));
            }
        }
    }
}

fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => layers(s, out, 4),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

fn findings(bytes: &[u8]) -> Vec<Vec<&'static str>> {
    let opts = Options {
        now: NowMode::At(
            chrono::DateTime::parse_from_rfc3339("2026-01-15T10:00:00Z")
                .unwrap()
                .into(),
        ),
        ..Options::default()
    };
    let scanned = input::scan_bytes(bytes, OriginKind::File, &opts.limits);
    let r = pipeline::check_scanned(String::new(), scanned, &opts);
    let mut v = vec![r.findings.iter().map(|f| f.rule.code).collect::<Vec<_>>()];
    for p in &r.payloads {
        let mut codes: Vec<&str> = p
            .findings
            .iter()
            .map(|f| f.rule.code)
            .filter(|c| !is_signature_rule(c))
            .collect();
        codes.sort_unstable();
        v.push(codes);
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn nothing_identifying_survives(c in capture()) {
        let original = serde_json::to_vec(&c.build()).unwrap();
        let mut r = Redactor::new(Policy::default(), Limits::default());
        let (_, body) = redact_file(&mut r, &original).unwrap();
        let Body::Json(out) = body else { panic!("not JSON") };
        let bytes = serde_json::to_vec(&out).unwrap();

        let mut all = Vec::new();
        strings(&out, &mut all);
        for secret in c.secrets() {
            for s in &all {
                prop_assert!(!s.contains(&secret), "{secret} survives in {s}");
            }
        }
        prop_assert_eq!(findings(&original), findings(&bytes));
        if c.tracer {
            prop_assert!(out["requests"].as_array().is_some_and(|a| a.len() == 3 * c.users.len()));
        } else {
            for e in out["log"]["entries"].as_array().unwrap() {
                for k in ["startedDateTime", "time", "request", "response", "cache", "timings"] {
                    prop_assert!(e.get(k).is_some(), "entry lost {k}");
                }
                for k in ["method", "url", "httpVersion", "headers", "cookies", "queryString", "headersSize", "bodySize"] {
                    prop_assert!(e["request"].get(k).is_some(), "request lost {k}");
                }
                prop_assert!(e["response"]["content"].get("mimeType").is_some());
            }
        }
    }
}
