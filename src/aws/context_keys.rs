//! The condition keys STS puts in the request context of `AssumeRoleWithSAML`,
//! computed from the assertion (IAM "Configure SAML assertions for the
//! authentication response" and "Available keys for SAML-based federation").

use std::borrow::Cow;
use std::collections::BTreeMap;

use base64::Engine as _;
use chrono::{DateTime, SecondsFormat, Utc};

use super::policy::Request;
use crate::saml::{self, Assertion, Response};

/// SAML attributes (by their `urn:oid` Name) that STS maps to `saml:` keys.
const OID_KEYS: &[(&str, &str)] = &[
    (
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.1",
        "SAML:edupersonaffiliation",
    ),
    ("urn:oid:1.3.6.1.4.1.5923.1.1.1.2", "SAML:edupersonnickname"),
    ("urn:oid:1.3.6.1.4.1.5923.1.1.1.3", "SAML:edupersonorgdn"),
    (
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.4",
        "SAML:edupersonorgunitdn",
    ),
    (
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.5",
        "SAML:edupersonprimaryaffiliation",
    ),
    (
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.6",
        "SAML:edupersonprincipalname",
    ),
    (
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.7",
        "SAML:edupersonentitlement",
    ),
    (
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.8",
        "SAML:edupersonprimaryorgunitdn",
    ),
    (
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.9",
        "SAML:edupersonscopedaffiliation",
    ),
    (
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.10",
        "SAML:edupersontargetedid",
    ),
    (
        "urn:oid:1.3.6.1.4.1.5923.1.1.1.11",
        "SAML:edupersonassurance",
    ),
    ("urn:oid:1.3.6.1.4.1.5923.1.2.1.2", "SAML:eduorghomepageuri"),
    ("urn:oid:1.3.6.1.4.1.5923.1.2.1.3", "SAML:eduorglegalname"),
    ("urn:oid:1.3.6.1.4.1.5923.1.2.1.4", "SAML:eduorgsuperioruri"),
    (
        "urn:oid:1.3.6.1.4.1.5923.1.2.1.5",
        "SAML:eduorgwhitepagesuri",
    ),
    (
        "urn:oid:1.3.6.1.4.1.5923.1.2.1.10",
        "SAML:eduorgidentityauthnpolicyuri",
    ),
    ("urn:oid:2.5.4.3", "SAML:cn"),
    ("urn:oid:2.5.4.4", "SAML:surname"),
    ("urn:oid:2.5.4.42", "SAML:givenName"),
    ("urn:oid:0.9.2342.19200300.100.1.1", "SAML:uid"),
    ("urn:oid:0.9.2342.19200300.100.1.3", "SAML:mail"),
];

/// Request keys samlint cannot compute offline: a condition on one leaves the
/// answer `unknown`.
const UNKNOWABLE: &[&str] = &[
    "aws:sourceip",
    "aws:requestedregion",
    "aws:useragent",
    "aws:referer",
    "aws:sourcevpc",
    "aws:sourcevpce",
    "aws:vpcsourceip",
    "aws:calledvia*",
    "aws:viaawsservice",
    "sts:rolesessionname",
];

/// What the assertion sends STS, and the keys that do not depend on the pair.
#[derive(Debug, Clone, Default)]
pub struct SamlKeys {
    /// Keys computed from the assertion, as AWS spells them (`SAML:aud`), for display
    /// and the request.
    pub keys: BTreeMap<String, Vec<String>>,
    /// `--now` (`aws:CurrentTime`, `aws:EpochTime`): in the request, not shown.
    pub now: DateTime<Utc>,
    pub issuer: Option<String>,
    /// `PrincipalTag:<key>` attributes, in order: (key, first value).
    pub tags: Vec<(String, String)>,
    pub source_identity: Option<String>,
    /// SessionDuration, when a whole number.
    pub session_duration: Option<u64>,
    /// Seconds from IssueInstant to `SessionNotOnOrAfter`, when both are given.
    pub session_limit: Option<i64>,
}

/// A SAML `NameID@Format` as `SAML:sub_type` carries it.
fn sub_type(format: Option<&str>) -> String {
    match format.map(str::trim) {
        None | Some("urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified") => {
            "unspecified".to_owned()
        }
        Some("urn:oasis:names:tc:SAML:2.0:nameid-format:persistent") => "persistent".to_owned(),
        Some("urn:oasis:names:tc:SAML:2.0:nameid-format:transient") => "transient".to_owned(),
        Some(other) => other.to_owned(),
    }
}

/// `SAML:namequalifier`: Base64 of the SHA-1 of Issuer + account ID + "/" +
/// provider name.
pub fn name_qualifier(issuer: &str, account: &str, provider_name: &str) -> String {
    let mut h = aws_lc_rs::digest::Context::new(&aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY);
    h.update(issuer.as_bytes());
    h.update(account.as_bytes());
    h.update(b"/");
    h.update(provider_name.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(h.finish())
}

impl SamlKeys {
    pub fn compute(response: &Response, assertion: &Assertion, now: DateTime<Utc>) -> SamlKeys {
        let mut keys: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let issuer = assertion
            .issuer
            .as_ref()
            .or(response.issuer.as_ref())
            .map(|i| i.value.text.trim().to_owned());
        if let Some(i) = &issuer {
            keys.insert("SAML:iss".to_owned(), vec![i.clone()]);
        }
        if let Some(subject) = &assertion.subject {
            if let Some(n) = &subject.name_id {
                keys.insert("SAML:sub".to_owned(), vec![n.value.text.clone()]);
                keys.insert(
                    "SAML:sub_type".to_owned(),
                    vec![sub_type(n.format.as_ref().map(saml::Value::as_str))],
                );
            }
            let recipient = subject
                .confirmations
                .iter()
                .filter(|c| c.method.as_ref().is_some_and(|m| m.text == saml::BEARER))
                .find_map(|c| c.data.as_ref()?.recipient.as_ref());
            if let Some(r) = recipient {
                keys.insert("SAML:aud".to_owned(), vec![r.text.trim().to_owned()]);
            }
        }
        for attr in &assertion.attributes {
            let Some(name) = attr.name.as_ref() else {
                continue;
            };
            if let Some((_, key)) = OID_KEYS.iter().find(|(oid, _)| *oid == name.text) {
                keys.entry((*key).to_owned())
                    .or_default()
                    .extend(attr.values.iter().map(|v| v.value.text.clone()));
            }
        }
        let first = |name: &str| {
            assertion
                .first_values(name)
                .and_then(|v| v.first())
                .map(|v| v.value.text.clone())
        };
        let source_identity = first(saml::aws::SOURCE_IDENTITY);
        if let Some(s) = &source_identity {
            keys.insert("sts:SourceIdentity".to_owned(), vec![s.clone()]);
        }
        let mut tags = Vec::new();
        for attr in &assertion.attributes {
            let Some(key) = attr
                .name
                .as_ref()
                .and_then(|n| n.text.strip_prefix(saml::aws::PRINCIPAL_TAG_PREFIX))
            else {
                continue;
            };
            let value = attr
                .values
                .first()
                .map(|v| v.value.text.clone())
                .unwrap_or_default();
            keys.insert(format!("aws:RequestTag/{key}"), vec![value.clone()]);
            tags.push((key.to_owned(), value));
        }
        if !tags.is_empty() {
            keys.insert(
                "aws:TagKeys".to_owned(),
                tags.iter().map(|(k, _)| k.clone()).collect(),
            );
        }
        if let Some(t) = assertion.first_values(saml::aws::TRANSITIVE_TAG_KEYS) {
            keys.insert(
                "sts:TransitiveTagKeys".to_owned(),
                t.iter().map(|v| v.value.text.clone()).collect(),
            );
        }
        let session_duration =
            first(saml::aws::SESSION_DURATION).and_then(|d| d.parse::<u64>().ok());
        let issue_instant = assertion
            .issue_instant
            .as_ref()
            .or(response.issue_instant.as_ref())
            .and_then(saml::Value::time);
        let session_limit = assertion
            .authn_statements
            .iter()
            .find_map(|s| s.session_not_on_or_after.as_ref()?.time())
            .zip(issue_instant)
            .map(|(end, start)| (end - start).num_seconds());
        SamlKeys {
            keys,
            now,
            issuer,
            tags,
            source_identity,
            session_duration,
            session_limit,
        }
    }

    /// The keys that depend on the pair: `SAML:doc` and `SAML:namequalifier`.
    pub fn pair_keys(&self, account: &str, provider_name: &str) -> BTreeMap<String, Vec<String>> {
        let mut k = BTreeMap::new();
        k.insert(
            "SAML:doc".to_owned(),
            vec![format!("{account}/{provider_name}")],
        );
        if let Some(i) = &self.issuer {
            k.insert(
                "SAML:namequalifier".to_owned(),
                vec![name_qualifier(i, account, provider_name)],
            );
        }
        k
    }

    /// The request context for one pair, with its [`pair_keys`](Self::pair_keys).
    pub fn request(&self, pair_keys: &BTreeMap<String, Vec<String>>) -> Request {
        let mut r = Request::default();
        for (k, v) in self.keys.iter().chain(pair_keys) {
            r.set(k, v.clone());
        }
        r.set(
            "aws:CurrentTime",
            vec![self.now.to_rfc3339_opts(SecondsFormat::Secs, true)],
        );
        r.set("aws:EpochTime", vec![self.now.timestamp().to_string()]);
        r.set("aws:SecureTransport", vec!["true".to_owned()]);
        r.unknown = UNKNOWABLE.iter().map(|s| Cow::Borrowed(*s)).collect();
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// AWS's worked example ("Configure SAML assertions": SAML:namequalifier).
    #[test]
    fn name_qualifier_is_base64_sha1_of_issuer_account_and_provider() {
        let q = name_qualifier(
            "http://www.okta.com/exk1fxp0h4KeDbOKs5d7",
            "123456789012",
            "Okta",
        );
        // Python: base64.b64encode(hashlib.sha1(issuer + account + "/" + name).digest())
        assert_eq!(q, "6/0a+C1BslTyOk0hNBLCdtaU+i0=");
    }

    #[test]
    fn sub_types_as_aws_names_them() {
        assert_eq!(sub_type(None), "unspecified");
        assert_eq!(
            sub_type(Some("urn:oasis:names:tc:SAML:2.0:nameid-format:persistent")),
            "persistent"
        );
        assert_eq!(
            sub_type(Some("urn:oasis:names:tc:SAML:2.0:nameid-format:transient")),
            "transient"
        );
        assert_eq!(
            sub_type(Some(
                "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
            )),
            "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
        );
    }
}
