//! Which IdP issued a payload, so the IdP-side fix speaks its language (DESIGN.md lint:
//! "The IdP-side fix speaks the user's IdP").
//!
//! The IdP is recognised from the values that name it, in order of trust: the Issuer
//! (the IdP wrote it), the entityID and endpoints of the trusted metadata (the user
//! chose it), then the capture's URLs (where the browser went). Each product has
//! well-known entity ID and endpoint shapes; a self-hosted one (AD FS, Keycloak,
//! Shibboleth, NetIQ) is known by its fixed path.

use super::aws;

pub use crate::finding::IdpKind;

/// The recognised IdP and the value that decided it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Idp {
    pub kind: IdpKind,
    /// e.g. "Issuer https://sts.windows.net/…/"; empty for `Other` with nothing to go on.
    pub reason: String,
}

impl Idp {
    pub fn other() -> Self {
        Idp {
            kind: IdpKind::Other,
            reason: String::new(),
        }
    }
}

/// The values a payload offers to recognise its IdP.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Clues<'a> {
    /// The assertion's (else the Response's) Issuer.
    pub issuer: Option<&'a str>,
    /// entityIDs of the trusted metadata.
    pub entity_ids: &'a [String],
    /// URLs of the capture: where the payload was sent, and the pages around it.
    pub urls: &'a [&'a str],
}

/// Recognises the IdP; `Other` (with why) when no value is known.
pub(crate) fn detect(clues: &Clues<'_>) -> Idp {
    let issuer = clues.issuer.map(|i| ("Issuer", i.trim()));
    let metadata = clues
        .entity_ids
        .iter()
        .map(|e| ("metadata entityID", e.trim()));
    let urls = clues.urls.iter().map(|u| ("capture URL", u.trim()));
    for (what, value) in issuer.into_iter().chain(metadata).chain(urls) {
        if let Some(kind) = recognise(value) {
            return Idp {
                kind,
                reason: format!("{what} {value}"),
            };
        }
    }
    match clues.issuer {
        Some(i) => Idp {
            kind: IdpKind::Other,
            reason: format!("Issuer {} names no IdP samlint knows", i.trim()),
        },
        None => Idp::other(),
    }
}

/// The product an entity ID or URL names, by its host, path or URN shape.
fn recognise(value: &str) -> Option<IdpKind> {
    let lower = value.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("urn:") {
        // Auth0's default entity ID is `urn:<tenant>.auth0.com`; `urn:mace:` names
        // are InCommon's, whose members run the Shibboleth IdP.
        if rest.ends_with(".auth0.com") || rest.contains(".auth0.com:") {
            return Some(IdpKind::Auth0);
        }
        return None;
    }
    let parts = aws::split_url(&lower)?;
    let host = parts.host.rsplit('@').next().unwrap_or(parts.host);
    let host = host.split(':').next().unwrap_or(host);
    let path = parts.path;
    let under = |domain: &str| host == domain || host.ends_with(&format!(".{domain}"));
    // Hosted IdPs, by domain.
    let hosted = [
        ("okta.com", IdpKind::Okta),
        ("oktapreview.com", IdpKind::Okta),
        ("okta-emea.com", IdpKind::Okta),
        ("okta-gov.com", IdpKind::Okta),
        ("sts.windows.net", IdpKind::Entra),
        ("login.microsoftonline.com", IdpKind::Entra),
        ("login.microsoftonline.us", IdpKind::Entra),
        ("login.partner.microsoftonline.cn", IdpKind::Entra),
        ("sts.chinacloudapi.cn", IdpKind::Entra),
        ("accounts.google.com", IdpKind::Google),
        ("pingone.com", IdpKind::Ping),
        ("pingone.eu", IdpKind::Ping),
        ("pingone.asia", IdpKind::Ping),
        ("pingone.ca", IdpKind::Ping),
        ("pingidentity.com", IdpKind::Ping),
        ("onelogin.com", IdpKind::OneLogin),
        ("jumpcloud.com", IdpKind::JumpCloud),
        ("auth0.com", IdpKind::Auth0),
    ];
    if let Some((_, kind)) = hosted.iter().find(|(d, _)| under(d)) {
        return Some(*kind);
    }
    // Self-hosted IdPs, by the fixed paths of their endpoints and entity IDs.
    let paths = [
        ("/adfs/", IdpKind::Adfs),
        ("/realms/", IdpKind::Keycloak),
        ("/idp/shibboleth", IdpKind::Shibboleth),
        ("/idp/profile/saml2/", IdpKind::Shibboleth),
        ("/nidp/", IdpKind::NetIq),
        ("/idp/sso.saml2", IdpKind::Ping),
        ("/idp/startsso.ping", IdpKind::Ping),
        ("/pf/federation_metadata", IdpKind::Ping),
    ];
    paths
        .iter()
        .find(|(p, _)| path.contains(p) || path.ends_with(p.trim_end_matches('/')))
        .map(|(_, kind)| *kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from_issuer(issuer: &str) -> IdpKind {
        detect(&Clues {
            issuer: Some(issuer),
            ..Clues::default()
        })
        .kind
    }

    #[test]
    fn issuers_name_their_idp() {
        let cases = [
            ("http://www.okta.com/exk1fxp0h4KeDbOKs5d7", IdpKind::Okta),
            (
                "https://sts.windows.net/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/",
                IdpKind::Entra,
            ),
            ("http://sts.absa.co.za/adfs/services/trust", IdpKind::Adfs),
            (
                "https://accounts.google.com/o/saml2?idpid=abcd12345",
                IdpKind::Google,
            ),
            ("https://auth.pingone.com/0a1b2c3d", IdpKind::Ping),
            (
                "https://app.onelogin.com/saml/metadata/123456",
                IdpKind::OneLogin,
            ),
            ("https://sso.jumpcloud.com/saml2/aws", IdpKind::JumpCloud),
            ("https://id.example.org/realms/corp", IdpKind::Keycloak),
            ("https://id.example.org/auth/realms/corp", IdpKind::Keycloak),
            ("urn:dev-abc123.us.auth0.com", IdpKind::Auth0),
            (
                "https://idp.example.edu/idp/shibboleth",
                IdpKind::Shibboleth,
            ),
            (
                "https://login.authbridge.westpacgroup.com/nidp/saml2/metadata",
                IdpKind::NetIq,
            ),
            ("https://samltest.id/saml/idp", IdpKind::Other),
            ("https://idp-integ.federate.amazon.com", IdpKind::Other),
        ];
        for (issuer, want) in cases {
            assert_eq!(from_issuer(issuer), want, "{issuer}");
        }
    }

    #[test]
    fn lookalike_hosts_are_not_recognised() {
        assert_eq!(from_issuer("https://notokta.com/app"), IdpKind::Other);
        assert_eq!(
            from_issuer("https://okta.com.evil.example/"),
            IdpKind::Other
        );
    }

    #[test]
    fn the_issuer_wins_then_metadata_then_urls() {
        let ids = ["https://sts.windows.net/t/".to_owned()];
        let urls = ["https://corp.okta.com/app/amazon_aws/sso/saml"];
        let both = detect(&Clues {
            issuer: Some("http://adfs.example.com/adfs/services/trust"),
            entity_ids: &ids,
            urls: &urls,
        });
        assert_eq!(both.kind, IdpKind::Adfs);
        assert_eq!(
            both.reason,
            "Issuer http://adfs.example.com/adfs/services/trust"
        );
        let meta = detect(&Clues {
            issuer: Some("https://idp.example.com"),
            entity_ids: &ids,
            urls: &urls,
        });
        assert_eq!(meta.kind, IdpKind::Entra);
        assert!(meta.reason.starts_with("metadata entityID"));
        let url = detect(&Clues {
            issuer: None,
            entity_ids: &[],
            urls: &urls,
        });
        assert_eq!(url.kind, IdpKind::Okta);
        assert!(url.reason.starts_with("capture URL"));
    }

    #[test]
    fn every_idp_side_fix_has_a_generic_text_that_names_no_product() {
        for rule in crate::lint::RULES {
            let m = rule.meta;
            let generic = m.own_fix(IdpKind::Other);
            if !m.fix_okta.is_empty() || !m.fix_idp.is_empty() {
                assert!(generic.is_some(), "{}: no generic IdP-side text", m.id);
            }
            for (kind, text) in m.fix_idp {
                assert!(!text.is_empty(), "{}: empty text for {kind:?}", m.id);
                // A text for one IdP (or the generic one) never names another
                // product: that is the failure this table exists to prevent.
                for other in IdpKind::ALL
                    .iter()
                    .filter(|k| **k != *kind && **k != IdpKind::Other)
                {
                    let name = other.name().split(' ').next().unwrap_or_default();
                    assert!(
                        !text.contains(name),
                        "{}: the {kind:?} text names {name}: {text}",
                        m.id
                    );
                }
            }
            let listed: Vec<_> = m.fix_idp.iter().map(|(k, _)| *k).collect();
            let mut unique = listed.clone();
            unique.dedup();
            assert_eq!(listed, unique, "{}: an IdP is listed twice", m.id);
            assert!(
                !listed.contains(&IdpKind::Okta),
                "{}: Okta's text is fix_okta",
                m.id
            );
        }
    }

    #[test]
    fn product_specific_texts_cite_the_vendor_documentation() {
        for rule in crate::lint::RULES {
            let m = rule.meta;
            let cited = [
                IdpKind::Entra,
                IdpKind::Adfs,
                IdpKind::Google,
                IdpKind::Ping,
                IdpKind::OneLogin,
                IdpKind::JumpCloud,
                IdpKind::Auth0,
                IdpKind::Shibboleth,
            ];
            if m.fix_idp.iter().any(|(k, _)| cited.contains(k)) {
                assert!(
                    m.explain.contains("## IdP documentation"),
                    "{}: IdP-specific fixes without their sources",
                    m.id
                );
            }
        }
    }

    #[test]
    fn unknown_issuers_say_so() {
        let idp = detect(&Clues {
            issuer: Some("https://samltest.id/saml/idp"),
            ..Clues::default()
        });
        assert_eq!(idp.kind, IdpKind::Other);
        assert!(idp.reason.contains("names no IdP"), "{}", idp.reason);
        assert_eq!(detect(&Clues::default()), Idp::other());
    }
}
