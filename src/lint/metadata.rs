//! IdP metadata rules (RULES.md section 9, SL0901–SL0906), run by `samlint metadata`.
//! The document is parsed with the hardened XML parser; certificates with x509-parser.

use std::fmt::Write as _;

use base64::Engine as _;
use chrono::{DateTime, TimeDelta, Utc};
use x509_parser::prelude::{FromDer, X509Certificate, X509Error};
use x509_parser::public_key::PublicKey;

use super::finding::Finding;
use super::rule::{Profile, RuleMeta};
use super::rules::{
    metadata_cert_expired, metadata_cert_unacceptable, metadata_entityid_invalid,
    metadata_identity_center_incompatible, metadata_invalid, metadata_no_signing_cert,
};
use crate::limits::Limits;
use crate::saml::{METADATA_NS, metadata};
use crate::xml::{self, Document, Element, Span};

/// IAM's bounds on the metadata document, in characters.
pub(crate) const IAM_MIN_CHARS: usize = 1_000;
pub(crate) const IAM_MAX_CHARS: usize = 10_000_000;
/// Identity Center's upper bound, in characters.
pub(crate) const IC_MAX_CHARS: usize = 75_000;
/// SAML metadata's limit on entityID.
pub(crate) const ENTITY_ID_MAX: usize = 1024;

/// A certificate found in a `KeyDescriptor`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CertSummary {
    /// `signing`, `encryption`, or `None` (both).
    pub key_use: Option<String>,
    pub subject: String,
    pub issuer: String,
    pub serial: String,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
    /// `RSA 2048`, `EC 256`...
    pub key: String,
    /// `SHA256:` + hex of the DER certificate (what `--idp-fingerprint` takes).
    pub sha256: String,
}

/// A `SingleSignOnService`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SsoService {
    pub binding: String,
    pub location: String,
}

/// What `samlint metadata` reports.
#[derive(Debug, Clone)]
pub(crate) struct MetadataLint {
    pub entity_ids: Vec<String>,
    pub certificates: Vec<CertSummary>,
    pub sso: Vec<SsoService>,
    pub findings: Vec<Finding>,
    /// The document text the finding spans index, when it was UTF-8.
    pub text: Option<String>,
}

struct Sink {
    profile: Profile,
    findings: Vec<Finding>,
}

impl Sink {
    fn push(&mut self, meta: &'static RuleMeta, message: String, span: Option<(Span, &str)>) {
        if !meta.runs_in(self.profile) {
            return;
        }
        let f = Finding::new(meta, message);
        self.findings.push(match span {
            Some((s, label)) => f.at(s, label),
            None => f,
        });
    }
}

/// Human form of a duration: `40d 3h`, `4m12s`.
pub(crate) fn human(d: TimeDelta) -> String {
    let s = d.num_seconds().unsigned_abs();
    let (days, h, m, sec) = (s / 86_400, s % 86_400 / 3600, s % 3600 / 60, s % 60);
    match (days, h, m) {
        (0, 0, 0) => format!("{sec}s"),
        (0, 0, _) => format!("{m}m{sec:02}s"),
        (0, _, _) => format!("{h}h{m:02}m"),
        _ => format!("{days}d {h}h"),
    }
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

/// Lints an IdP metadata file's bytes. `now_source` names where `now` came from.
pub(crate) fn lint(
    bytes: &[u8],
    profile: Profile,
    now: DateTime<Utc>,
    now_source: &str,
    limits: &Limits,
) -> MetadataLint {
    let mut sink = Sink {
        profile,
        findings: Vec::new(),
    };
    let mut out = MetadataLint {
        entity_ids: Vec::new(),
        certificates: Vec::new(),
        sso: Vec::new(),
        findings: Vec::new(),
        text: None,
    };
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        sink.push(
            &metadata_invalid::META,
            "the file starts with a UTF-8 byte-order mark; AWS wants UTF-8 without BOM".to_owned(),
            None,
        );
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.trim_start_matches('\u{feff}'),
        Err(e) => {
            sink.push(
                &metadata_invalid::META,
                format!(
                    "the file is not UTF-8 (invalid byte at offset {})",
                    e.valid_up_to()
                ),
                None,
            );
            out.findings = sink.findings;
            return out;
        }
    };
    let chars = text.chars().count();
    if profile == Profile::AwsIam && !(IAM_MIN_CHARS..=IAM_MAX_CHARS).contains(&chars) {
        sink.push(
            &metadata_invalid::META,
            format!("the document is {chars} characters long; IAM accepts 1,000 to 10,000,000"),
            None,
        );
    }
    if chars > IC_MAX_CHARS {
        sink.push(
            &metadata_identity_center_incompatible::META,
            format!(
                "the document is {chars} characters long; Identity Center accepts at most 75,000"
            ),
            None,
        );
    }
    let doc = match xml::parse(text, limits) {
        Ok(d) => d,
        Err(e) => {
            let at = Span::new(e.offset, e.offset + 1);
            sink.push(
                &metadata_invalid::META,
                format!("not well-formed XML: {}", e.message),
                Some((at, "here")),
            );
            out.findings = sink.findings;
            out.text = Some(text.to_owned());
            return out;
        }
    };
    check_document(&doc, now, now_source, &mut sink, &mut out);
    out.findings = sink.findings;
    out.findings.sort_by_key(Finding::sort_key);
    out.text = Some(text.to_owned());
    out
}

fn check_document(
    doc: &Document,
    now: DateTime<Utc>,
    now_source: &str,
    sink: &mut Sink,
    out: &mut MetadataLint,
) {
    let root = doc.root();
    let Some(root_el) = doc.element(root) else {
        return;
    };
    let root_tag = root_el.start_tag();
    let Some(entities) = metadata::entities(doc) else {
        // A captured sign-in has its own command.
        let other = if root_el.is("urn:oasis:names:tc:SAML:2.0:protocol", "Response") {
            "; this is a SAML Response: check it with `samlint check FILE`"
        } else {
            ""
        };
        sink.push(
            &metadata_invalid::META,
            format!(
                "the root element is <{}>{}, not md:EntityDescriptor or md:EntitiesDescriptor{other}",
                root_el.qname(),
                root_el
                    .namespace()
                    .map_or(String::new(), |n| format!(" in namespace {n}"))
            ),
            Some((root_tag, "root element")),
        );
        return;
    };
    let idps = metadata::idp_roles(doc, &entities);
    if idps.is_empty() {
        sink.push(
            &metadata_invalid::META,
            "no IDPSSODescriptor lists urn:oasis:names:tc:SAML:2.0:protocol in protocolSupportEnumeration (is this SP metadata?)".to_owned(),
            Some((root_tag, "no SAML 2.0 IdP role here")),
        );
        return;
    }

    // entityID of each IdP entity.
    let mut seen = Vec::new();
    for &(entity, _) in &idps {
        if seen.contains(&entity) {
            continue;
        }
        seen.push(entity);
        let Some(el) = doc.element(entity) else {
            continue;
        };
        match el.attr("entityID") {
            None => {
                sink.push(
                    &metadata_entityid_invalid::META,
                    "EntityDescriptor has no entityID".to_owned(),
                    Some((el.start_tag(), "no entityID")),
                );
                sink.push(
                    &metadata_identity_center_incompatible::META,
                    "no entityID: Identity Center requires one".to_owned(),
                    Some((el.start_tag(), "no entityID")),
                );
            }
            Some(a) => {
                let v = a.value();
                let problem = if v.is_empty() {
                    Some("entityID is empty".to_owned())
                } else if v.chars().count() > ENTITY_ID_MAX {
                    Some(format!(
                        "entityID is {} characters long; SAML metadata allows {ENTITY_ID_MAX}",
                        v.chars().count()
                    ))
                } else if v.trim() != v {
                    Some(format!("entityID '{v}' has leading or trailing whitespace"))
                } else {
                    None
                };
                if let Some(p) = problem {
                    sink.push(
                        &metadata_entityid_invalid::META,
                        p,
                        Some((a.value_span(), "entityID")),
                    );
                }
                out.entity_ids.push(v.to_owned());
            }
        }
    }

    let mut usable_signing = 0;
    let mut any_cert = false;
    let mut unusable = Vec::new();
    for &(_, idp) in &idps {
        for (sso, el) in doc
            .child_elements(idp)
            .filter(|(_, e)| e.is(METADATA_NS, "SingleSignOnService"))
        {
            let _ = sso;
            out.sso.push(SsoService {
                binding: el.attr_value("Binding").unwrap_or("").to_owned(),
                location: el.attr_value("Location").unwrap_or("").to_owned(),
            });
        }
        for el in doc
            .children_named(idp, METADATA_NS, "KeyDescriptor")
            .filter_map(|kd| doc.element(kd))
            .filter(|el| el.attr_value("use").map(str::trim) == Some("encryption"))
        {
            sink.push(
                &metadata_identity_center_incompatible::META,
                "KeyDescriptor use=\"encryption\": Identity Center does not support encryption keys".to_owned(),
                Some((el.start_tag(), "encryption key")),
            );
        }
    }
    // The keys trust loading reads, through the same reader: only the IdP roles'.
    for key in metadata::keys(doc, &entities).iter().filter(|k| k.idp) {
        let signing = key.signing();
        any_cert = true;
        let span = doc
            .element(key.cert)
            .map_or(doc.span(key.cert), Element::start_tag);
        match read_cert(&key.text, key.key_use.map(str::to_owned)) {
            Ok((summary, bits_rsa)) => {
                if signing {
                    usable_signing += 1;
                    check_cert(&summary, bits_rsa, now, now_source, span, sink);
                }
                out.certificates.push(summary);
            }
            Err(CertError::DuplicateExtensions) if signing => {
                usable_signing += 1;
                sink.push(
                    &metadata_cert_unacceptable::META,
                    "a signing certificate has the same extension more than once".to_owned(),
                    Some((span, "duplicate extension")),
                );
            }
            Err(e) => {
                if signing {
                    unusable.push(e.to_string());
                }
            }
        }
    }
    if usable_signing == 0 {
        let why = if unusable.is_empty() {
            "no KeyDescriptor for signing (use=\"signing\" or no use) holds an X509Certificate"
                .to_owned()
        } else {
            format!(
                "no signing certificate parses as DER X.509 ({})",
                unusable.join("; ")
            )
        };
        sink.push(
            &metadata_no_signing_cert::META,
            why,
            Some((
                doc.element(idps[0].1).map_or(root_tag, Element::start_tag),
                "IDPSSODescriptor",
            )),
        );
    }
    if !any_cert {
        sink.push(
            &metadata_identity_center_incompatible::META,
            "no X509Certificate: Identity Center requires the IdP certificate".to_owned(),
            Some((root_tag, "no certificate")),
        );
    }
    if out.sso.is_empty() {
        sink.push(
            &metadata_identity_center_incompatible::META,
            "no SingleSignOnService: Identity Center requires one".to_owned(),
            Some((
                doc.element(idps[0].1).map_or(root_tag, Element::start_tag),
                "IDPSSODescriptor",
            )),
        );
    }
}

fn check_cert(
    c: &CertSummary,
    rsa_bits: Option<usize>,
    now: DateTime<Utc>,
    now_source: &str,
    span: Span,
    sink: &mut Sink,
) {
    if let Some(bits) = rsa_bits
        && bits < 1024
    {
        sink.push(
            &metadata_cert_unacceptable::META,
            format!(
                "signing certificate {} has a {bits}-bit RSA key; AWS needs at least 1024 bits",
                c.subject
            ),
            Some((span, "key too short")),
        );
    }
    if c.not_after < now {
        sink.push(
            &metadata_cert_expired::META,
            format!(
                "signing certificate {} expired {}, {} before now ({}, {now_source})",
                c.subject,
                time(c.not_after),
                human(now - c.not_after),
                time(now)
            ),
            Some((span, "expired")),
        );
    } else if c.not_before > now {
        sink.push(
            &metadata_cert_expired::META,
            format!(
                "signing certificate {} is valid only from {}, {} after now ({}, {now_source})",
                c.subject,
                time(c.not_before),
                human(c.not_before - now),
                time(now)
            ),
            Some((span, "not yet valid")),
        );
    }
}

#[derive(Debug)]
enum CertError {
    Base64(String),
    DuplicateExtensions,
    Der(String),
}

impl std::fmt::Display for CertError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CertError::Base64(e) => write!(f, "X509Certificate is not base64: {e}"),
            CertError::DuplicateExtensions => f.write_str("duplicate extensions"),
            CertError::Der(e) => write!(f, "X509Certificate is not a DER certificate: {e}"),
        }
    }
}

fn read_cert(
    b64: &str,
    key_use: Option<String>,
) -> Result<(CertSummary, Option<usize>), CertError> {
    let clean: String = b64.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(clean.as_bytes())
        .map_err(|e| CertError::Base64(e.to_string()))?;
    let (_, cert) = X509Certificate::from_der(&der).map_err(|e| match e {
        x509_parser::nom::Err::Error(X509Error::DuplicateExtensions)
        | x509_parser::nom::Err::Failure(X509Error::DuplicateExtensions) => {
            CertError::DuplicateExtensions
        }
        other => CertError::Der(crate::verify::trust::der_error_sentence(&other)),
    })?;
    let ts = |t: i64| DateTime::from_timestamp(t, 0).unwrap_or_default();
    let validity = cert.validity();
    let (key, rsa_bits) = match cert.public_key().parsed() {
        Ok(PublicKey::RSA(rsa)) => (format!("RSA {}", rsa.key_size()), Some(rsa.key_size())),
        Ok(PublicKey::EC(ec)) => (format!("EC {}", ec.key_size()), None),
        Ok(other) => (format!("{} bits", other.key_size()), None),
        Err(_) => ("unknown key".to_owned(), None),
    };
    let digest = crate::verify::crypto::digest(crate::verify::algorithms::DigestAlg::Sha256, &der);
    let mut sha256 = String::from("SHA256:");
    for b in digest.as_ref() {
        let _ = write!(sha256, "{b:02x}");
    }
    Ok((
        CertSummary {
            key_use,
            subject: cert.subject().to_string(),
            issuer: cert.issuer().to_string(),
            serial: cert.raw_serial_as_string(),
            not_before: ts(validity.not_before.timestamp()),
            not_after: ts(validity.not_after.timestamp()),
            key,
            sha256,
        },
        rsa_bits,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_well() {
        assert_eq!(human(TimeDelta::seconds(252)), "4m12s");
        assert_eq!(human(TimeDelta::seconds(-7)), "7s");
        assert_eq!(human(TimeDelta::hours(26)), "1d 2h");
    }

    fn ids(m: &MetadataLint) -> Vec<&str> {
        let mut v: Vec<&str> = m.findings.iter().map(|f| f.rule.id).collect();
        v.sort_unstable();
        v
    }

    #[test]
    fn structural_problems() {
        let now = Utc::now();
        let l = |s: &str, p| lint(s.as_bytes(), p, now, "clock", &Limits::default());
        let bom = lint(
            b"\xEF\xBB\xBF<x/>",
            Profile::Generic,
            now,
            "clock",
            &Limits::default(),
        );
        assert_eq!(ids(&bom), ["metadata-invalid", "metadata-invalid"]);
        assert_eq!(ids(&l("<x", Profile::Generic)), ["metadata-invalid"]);
        let sp = l(
            r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>"#,
            Profile::Generic,
        );
        assert_eq!(ids(&sp), ["metadata-invalid"]);
        assert!(sp.findings[0].message.contains("SP metadata"));
        let nocert = l(
            r#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID=" x "><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="encryption"/></md:IDPSSODescriptor></md:EntityDescriptor>"#,
            Profile::AwsIdentityCenter,
        );
        assert_eq!(
            ids(&nocert),
            [
                "metadata-entityid-invalid",
                "metadata-identity-center-incompatible",
                "metadata-identity-center-incompatible",
                "metadata-identity-center-incompatible",
                "metadata-no-signing-cert",
            ]
        );
    }

    /// `samlint metadata` and trust loading read files through one reader: what the
    /// linter calls SP metadata trusts no key, and what trusts a key lints clean.
    #[test]
    fn the_linter_and_trust_loading_agree() {
        let dir = env!("CARGO_MANIFEST_DIR");
        let now = Utc::now();
        for (file, trusts) in [
            ("tests/fixtures/signature/trust/sp-only.xml", false),
            ("tests/fixtures/signature/trust/aggregate-sp-key.xml", true),
            ("samples/trust/okta-metadata.xml", true),
        ] {
            let bytes = std::fs::read(format!("{dir}/{file}")).unwrap();
            let m = lint(&bytes, Profile::Generic, now, "clock", &Limits::default());
            let mut t = crate::verify::TrustStore::default();
            t.add_metadata(std::str::from_utf8(&bytes).unwrap(), file)
                .unwrap();
            assert_eq!(!t.certs.is_empty(), trusts, "{file}");
            assert_eq!(ids(&m).contains(&"metadata-invalid"), !trusts, "{file}");
            // The linter lists the IdP roles' certificates only: the ones trust holds.
            let linted: Vec<&str> = m.certificates.iter().map(|c| c.sha256.as_str()).collect();
            let trusted: Vec<&str> = t
                .certs
                .iter()
                .map(|c| c.cert.info.sha256.as_str())
                .collect();
            assert_eq!(linted, trusted, "{file}");
        }
    }
}
