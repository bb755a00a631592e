//! The condition keys STS puts in the request context of `AssumeRoleWithSAML`,
//! computed from the assertion (IAM "Configure SAML assertions for the
//! authentication response" and "Available keys for SAML-based federation").

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::rc::Rc;

use base64::Engine as _;
use chrono::{DateTime, Utc};

use super::policy::Request;
use crate::saml::{self, Assertion, Response};

/// The attributes STS maps to `saml:` keys, by `Name` exactly as IAM's tables
/// print them ("Configure SAML assertions for the authentication response",
/// "Mapping SAML attributes to AWS trust policy context keys"): eduPerson and
/// eduOrg as `urn:oid:` names, Active Directory claims as URIs, X.500 attributes as
/// bare OIDs (with the table's own spellings for givenName, `2.4.5.42`, and for uid and
/// mail, `0.9.2342.19200300100.1.x`).
const DOCUMENTED_KEYS: &[(&str, &str)] = &[
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
    (
        "urn:oid:1.3.6.1.4.1.5923.1.2.1.3",
        "SAML:eduorgidentityauthnpolicyuri",
    ),
    ("urn:oid:1.3.6.1.4.1.5923.1.2.1.4", "SAML:eduorglegalname"),
    ("urn:oid:1.3.6.1.4.1.5923.1.2.1.5", "SAML:eduorgsuperioruri"),
    (
        "urn:oid:1.3.6.1.4.1.5923.1.2.1.6",
        "SAML:eduorgwhitepagesuri",
    ),
    ("urn:oid:2.5.4.3", "SAML:cn"),
    (
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
        "SAML:name",
    ),
    (
        "http://schemas.xmlsoap.org/claims/CommonName",
        "SAML:commonName",
    ),
    (
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
        "SAML:givenName",
    ),
    (
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
        "SAML:surname",
    ),
    (
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
        "SAML:mail",
    ),
    (
        "http://schemas.microsoft.com/ws/2008/06/identity/claims/primarygroupsid",
        "SAML:uid",
    ),
    ("2.5.4.3", "SAML:commonName"),
    ("2.5.4.4", "SAML:surname"),
    ("2.4.5.42", "SAML:givenName"),
    ("2.5.4.45", "SAML:x500UniqueIdentifier"),
    ("0.9.2342.19200300100.1.1", "SAML:uid"),
    ("0.9.2342.19200300100.1.3", "SAML:mail"),
    ("0.9.2342.19200300.100.1.45", "SAML:organizationStatus"),
];

/// Names IdPs send for the X.500 attributes of [`DOCUMENTED_KEYS`] that IAM's
/// tables do not list (the `urn:oid:` form, the standard OID spellings): whether STS
/// maps them is not documented, so a condition on their key is `unknown`, not
/// decided either way.
const UNDOCUMENTED_KEYS: &[(&str, &str)] = &[
    ("urn:oid:2.5.4.4", "SAML:surname"),
    ("urn:oid:2.5.4.42", "SAML:givenName"),
    ("2.5.4.42", "SAML:givenName"),
    ("urn:oid:2.5.4.45", "SAML:x500UniqueIdentifier"),
    ("urn:oid:0.9.2342.19200300.100.1.1", "SAML:uid"),
    ("0.9.2342.19200300.100.1.1", "SAML:uid"),
    ("urn:oid:0.9.2342.19200300.100.1.3", "SAML:mail"),
    ("0.9.2342.19200300.100.1.3", "SAML:mail"),
    (
        "urn:oid:0.9.2342.19200300.100.1.45",
        "SAML:organizationStatus",
    ),
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

/// Condition keys, as AWS spells them, to their values. Most names are fixed
/// (`SAML:aud`), so they are borrowed, not allocated, for every payload.
pub(crate) type ContextKeys = BTreeMap<Cow<'static, str>, Vec<String>>;

/// What the assertion sends STS, and the keys that do not depend on the pair.
#[derive(Debug, Clone, Default)]
pub(crate) struct SamlKeys {
    /// Keys computed from the assertion, as AWS spells them (`SAML:aud`), for display
    /// and the request.
    pub keys: ContextKeys,
    /// Keys whose presence or value depends on what IAM does not document: the key
    /// and why. A condition on one is `unknown`.
    pub uncertain: Vec<(&'static str, String)>,
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
pub(crate) fn name_qualifier(issuer: &str, account: &str, provider_name: &str) -> String {
    let mut h = aws_lc_rs::digest::Context::new(&aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY);
    h.update(issuer.as_bytes());
    h.update(account.as_bytes());
    h.update(b"/");
    h.update(provider_name.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(h.finish())
}

/// Whether two attributes give the same values, in any order.
fn same_values(a: &[String], b: &[String]) -> bool {
    let a: std::collections::BTreeSet<&String> = a.iter().collect();
    let b: std::collections::BTreeSet<&String> = b.iter().collect();
    a == b
}

/// Maps the attributes of [`DOCUMENTED_KEYS`] into `keys`. Returns, with the
/// reason, the keys that only an attribute of [`UNDOCUMENTED_KEYS`] gives, and those
/// that two attributes give with different values (IAM: "If you include more than
/// one, only one claim will be mapped", without saying which).
fn map_attributes(assertion: &Assertion, keys: &mut ContextKeys) -> Vec<(&'static str, String)> {
    // (key, attribute Name, values, documented); an attribute Name given more than
    // once (its values split over several elements) is one attribute.
    let mut found: Vec<(&'static str, &str, Vec<String>, bool)> = Vec::new();
    for attr in &assertion.attributes {
        let Some(name) = attr.name.as_ref().map(|n| n.text.as_str()) else {
            continue;
        };
        let documented = DOCUMENTED_KEYS.iter().find(|(n, _)| *n == name);
        let undocumented = UNDOCUMENTED_KEYS.iter().find(|(n, _)| *n == name);
        let Some(&(_, key)) = documented.or(undocumented) else {
            continue;
        };
        let values = attr.values.iter().map(|v| v.value.text.clone());
        match found.iter_mut().find(|(_, n, ..)| *n == name) {
            Some((_, _, v, _)) => v.extend(values),
            None => found.push((key, name, values.collect(), documented.is_some())),
        }
    }
    // Two attributes agree when they give the same values, in any order.
    let mut uncertain = Vec::new();
    for (i, (key, name, values, _)) in found.iter().enumerate() {
        if found[..i].iter().any(|(k, ..)| k == key) {
            continue; // the key's first attribute speaks for all
        }
        let same_key = || found[i..].iter().filter(|(k, ..)| k == key);
        if let Some((_, other, ..)) = same_key().find(|(_, _, v, _)| !same_values(v, values)) {
            uncertain.push((
                *key,
                format!("the attributes {name} and {other} both give {key}, and STS maps only one"),
            ));
        } else if let Some((.., v, _)) = same_key().find(|(.., documented)| *documented) {
            keys.insert(Cow::Borrowed(*key), v.clone());
        } else {
            uncertain.push((
                *key,
                format!("IAM does not document that STS maps the attribute {name} to {key}"),
            ));
        }
    }
    uncertain
}

impl SamlKeys {
    pub(crate) fn compute(
        response: &Response,
        assertion: &Assertion,
        now: DateTime<Utc>,
    ) -> SamlKeys {
        let mut keys = ContextKeys::new();
        let issuer = assertion
            .issuer
            .as_ref()
            .or(response.issuer.as_ref())
            .map(|i| i.value.text.trim().to_owned());
        if let Some(i) = &issuer {
            keys.insert(Cow::Borrowed("SAML:iss"), vec![i.clone()]);
        }
        if let Some(subject) = &assertion.subject {
            if let Some(n) = &subject.name_id {
                keys.insert(Cow::Borrowed("SAML:sub"), vec![n.value.text.clone()]);
                keys.insert(
                    Cow::Borrowed("SAML:sub_type"),
                    vec![sub_type(n.format.as_ref().map(saml::Value::as_str))],
                );
            }
            let recipient = subject
                .confirmations
                .iter()
                .filter(|c| c.method.as_ref().is_some_and(|m| m.text == saml::BEARER))
                .find_map(|c| c.data.as_ref()?.recipient.as_ref());
            if let Some(r) = recipient {
                keys.insert(Cow::Borrowed("SAML:aud"), vec![r.text.trim().to_owned()]);
            }
        }
        let uncertain = map_attributes(assertion, &mut keys);
        let first = |name: &str| {
            assertion
                .first_values(name)
                .and_then(|v| v.first())
                .map(|v| v.value.text.clone())
        };
        let source_identity = first(saml::aws::SOURCE_IDENTITY);
        if let Some(s) = &source_identity {
            keys.insert(Cow::Borrowed("sts:SourceIdentity"), vec![s.clone()]);
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
            keys.insert(
                Cow::Owned(format!("aws:RequestTag/{key}")),
                vec![value.clone()],
            );
            tags.push((key.to_owned(), value));
        }
        if !tags.is_empty() {
            keys.insert(
                Cow::Borrowed("aws:TagKeys"),
                tags.iter().map(|(k, _)| k.clone()).collect(),
            );
        }
        if let Some(t) = assertion.first_values(saml::aws::TRANSITIVE_TAG_KEYS) {
            keys.insert(
                Cow::Borrowed("sts:TransitiveTagKeys"),
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
            uncertain,
            now,
            issuer,
            tags,
            source_identity,
            session_duration,
            session_limit,
        }
    }

    /// The keys that depend on the pair: `SAML:doc` and `SAML:namequalifier`.
    pub(crate) fn pair_keys(&self, account: &str, provider_name: &str) -> ContextKeys {
        let mut k = BTreeMap::new();
        k.insert(
            Cow::Borrowed("SAML:doc"),
            vec![format!("{account}/{provider_name}")],
        );
        if let Some(i) = &self.issuer {
            k.insert(
                Cow::Borrowed("SAML:namequalifier"),
                vec![name_qualifier(i, account, provider_name)],
            );
        }
        k
    }

    /// The request context for one pair, with its [`pair_keys`](Self::pair_keys).
    pub(crate) fn request(&self, pair_keys: Rc<ContextKeys>) -> Request<'_> {
        let mut r = Request::default();
        r.shared = Some(pair_keys);
        r.now = Some(self.now);
        r.unknowable = UNKNOWABLE;
        r.unknown_also = &self.uncertain;
        r.borrow_all(&self.keys);
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

    /// The keys an assertion with these (Name, value) attributes gives, and the
    /// uncertain ones.
    fn mapped(attrs: &[(&str, &str)]) -> (ContextKeys, Vec<&'static str>) {
        let statements = attrs.iter().fold(String::new(), |mut out, (n, v)| {
            out.push_str("<saml:Attribute Name=\"");
            out.push_str(n);
            out.push_str("\"><saml:AttributeValue>");
            out.push_str(v);
            out.push_str("</saml:AttributeValue></saml:Attribute>");
            out
        });
        let xml = format!(
            "<saml:Assertion xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"a\">\
             <saml:AttributeStatement>{statements}</saml:AttributeStatement></saml:Assertion>"
        );
        let doc = crate::xml::parse(&xml, &crate::limits::Limits::default()).unwrap();
        let assertion = Assertion::read(&doc, doc.root());
        let mut keys = BTreeMap::new();
        let uncertain = map_attributes(&assertion, &mut keys);
        (keys, uncertain.into_iter().map(|(k, _)| k).collect())
    }

    /// IAM's tables, spelled as IAM prints them.
    #[test]
    fn documented_attributes_map_to_their_keys() {
        let (keys, uncertain) = mapped(&[
            (
                "urn:oid:1.3.6.1.4.1.5923.1.2.1.3",
                "https://example.edu/policy",
            ),
            ("urn:oid:1.3.6.1.4.1.5923.1.2.1.6", "https://example.edu/wp"),
            (
                "http://schemas.microsoft.com/ws/2008/06/identity/claims/primarygroupsid",
                "S-1-5-21-513",
            ),
            ("2.4.5.42", "Jane"),
            ("0.9.2342.19200300.100.1.45", "active"),
            (
                "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
                "jane",
            ),
        ]);
        assert!(uncertain.is_empty());
        let get = |k: &str| keys.get(k).map(|v| v.join(","));
        assert_eq!(
            get("SAML:eduorgidentityauthnpolicyuri").as_deref(),
            Some("https://example.edu/policy")
        );
        assert_eq!(
            get("SAML:eduorgwhitepagesuri").as_deref(),
            Some("https://example.edu/wp")
        );
        assert_eq!(get("SAML:uid").as_deref(), Some("S-1-5-21-513"));
        assert_eq!(get("SAML:givenName").as_deref(), Some("Jane"));
        assert_eq!(get("SAML:organizationStatus").as_deref(), Some("active"));
        assert_eq!(get("SAML:name").as_deref(), Some("jane"));
    }

    /// An attribute IAM does not list leaves its key undecided; so do two
    /// attributes that disagree, since STS maps only one of them.
    #[test]
    fn undocumented_or_conflicting_attributes_leave_the_key_uncertain() {
        let (keys, uncertain) =
            mapped(&[("urn:oid:0.9.2342.19200300.100.1.3", "jane@example.com")]);
        assert!(keys.is_empty());
        assert_eq!(uncertain, ["SAML:mail"]);

        let (keys, uncertain) = mapped(&[
            (
                "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
                "jane@example.com",
            ),
            ("urn:oid:0.9.2342.19200300.100.1.3", "other@example.com"),
        ]);
        assert!(keys.is_empty());
        assert_eq!(uncertain, ["SAML:mail"]);

        // One attribute split over two elements is one attribute; the same values
        // in another order agree.
        let (keys, uncertain) = mapped(&[
            ("urn:oid:1.3.6.1.4.1.5923.1.1.1.1", "faculty"),
            ("urn:oid:1.3.6.1.4.1.5923.1.1.1.1", "staff"),
        ]);
        assert!(uncertain.is_empty());
        assert_eq!(keys["SAML:edupersonaffiliation"], ["faculty", "staff"]);

        // The same value either way: the key is known.
        let (keys, uncertain) = mapped(&[
            ("urn:oid:0.9.2342.19200300.100.1.3", "jane@example.com"),
            (
                "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
                "jane@example.com",
            ),
        ]);
        assert!(uncertain.is_empty());
        assert_eq!(keys["SAML:mail"], ["jane@example.com"]);
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
