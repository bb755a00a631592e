//! The algorithm URIs of XML-DSig that samlint understands, and their short names.

use super::c14n::Method;

/// A canonicalization algorithm (for SignedInfo or as a Reference transform).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct C14nAlg {
    pub method: Method,
    pub with_comments: bool,
}

impl C14nAlg {
    pub(crate) fn from_uri(uri: &str) -> Option<C14nAlg> {
        let (method, with_comments) = match uri {
            "http://www.w3.org/2001/10/xml-exc-c14n#" => (Method::Exclusive, false),
            "http://www.w3.org/2001/10/xml-exc-c14n#WithComments" => (Method::Exclusive, true),
            "http://www.w3.org/TR/2001/REC-xml-c14n-20010315" => (Method::Inclusive10, false),
            "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments" => {
                (Method::Inclusive10, true)
            }
            "http://www.w3.org/2006/12/xml-c14n11" => (Method::Inclusive11, false),
            "http://www.w3.org/2006/12/xml-c14n11#WithComments" => (Method::Inclusive11, true),
            _ => return None,
        };
        Some(C14nAlg {
            method,
            with_comments,
        })
    }

    pub(crate) fn short(self) -> &'static str {
        match (self.method, self.with_comments) {
            (Method::Exclusive, false) => "exc-c14n",
            (Method::Exclusive, true) => "exc-c14n-with-comments",
            (Method::Inclusive10, false) => "c14n",
            (Method::Inclusive10, true) => "c14n-with-comments",
            (Method::Inclusive11, false) => "c14n11",
            (Method::Inclusive11, true) => "c14n11-with-comments",
        }
    }
}

pub(crate) const ENVELOPED: &str = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DigestAlg {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

impl DigestAlg {
    pub(crate) fn from_uri(uri: &str) -> Option<DigestAlg> {
        Some(match uri {
            "http://www.w3.org/2000/09/xmldsig#sha1" => DigestAlg::Sha1,
            "http://www.w3.org/2001/04/xmlenc#sha256" => DigestAlg::Sha256,
            "http://www.w3.org/2001/04/xmldsig-more#sha384" => DigestAlg::Sha384,
            "http://www.w3.org/2001/04/xmlenc#sha512" => DigestAlg::Sha512,
            _ => return None,
        })
    }

    pub(crate) fn short(self) -> &'static str {
        match self {
            DigestAlg::Sha1 => "sha1",
            DigestAlg::Sha256 => "sha256",
            DigestAlg::Sha384 => "sha384",
            DigestAlg::Sha512 => "sha512",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyKind {
    Rsa,
    /// RSASSA-PSS with MGF1 (RFC 6931).
    RsaPss,
    Ecdsa,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SignatureAlg {
    pub key: KeyKind,
    pub digest: DigestAlg,
}

impl SignatureAlg {
    pub(crate) fn from_uri(uri: &str) -> Option<SignatureAlg> {
        let (key, digest) = match uri {
            "http://www.w3.org/2000/09/xmldsig#rsa-sha1" => (KeyKind::Rsa, DigestAlg::Sha1),
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256" => {
                (KeyKind::Rsa, DigestAlg::Sha256)
            }
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384" => {
                (KeyKind::Rsa, DigestAlg::Sha384)
            }
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512" => {
                (KeyKind::Rsa, DigestAlg::Sha512)
            }
            "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1" => {
                (KeyKind::RsaPss, DigestAlg::Sha256)
            }
            "http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1" => {
                (KeyKind::RsaPss, DigestAlg::Sha384)
            }
            "http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1" => {
                (KeyKind::RsaPss, DigestAlg::Sha512)
            }
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256" => {
                (KeyKind::Ecdsa, DigestAlg::Sha256)
            }
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384" => {
                (KeyKind::Ecdsa, DigestAlg::Sha384)
            }
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512" => {
                (KeyKind::Ecdsa, DigestAlg::Sha512)
            }
            _ => return None,
        };
        Some(SignatureAlg { key, digest })
    }

    pub(crate) fn short(self) -> &'static str {
        match (self.key, self.digest) {
            (KeyKind::Rsa, DigestAlg::Sha1) => "rsa-sha1",
            (KeyKind::Rsa, DigestAlg::Sha256) => "rsa-sha256",
            (KeyKind::Rsa, DigestAlg::Sha384) => "rsa-sha384",
            (KeyKind::Rsa, DigestAlg::Sha512) => "rsa-sha512",
            (KeyKind::RsaPss, DigestAlg::Sha1) => "rsa-pss-sha1",
            (KeyKind::RsaPss, DigestAlg::Sha256) => "rsa-pss-sha256",
            (KeyKind::RsaPss, DigestAlg::Sha384) => "rsa-pss-sha384",
            (KeyKind::RsaPss, DigestAlg::Sha512) => "rsa-pss-sha512",
            (KeyKind::Ecdsa, DigestAlg::Sha1) => "ecdsa-sha1",
            (KeyKind::Ecdsa, DigestAlg::Sha256) => "ecdsa-sha256",
            (KeyKind::Ecdsa, DigestAlg::Sha384) => "ecdsa-sha384",
            (KeyKind::Ecdsa, DigestAlg::Sha512) => "ecdsa-sha512",
        }
    }
}

/// Whether a URI names an HMAC signature method (always refused: a shared secret
/// proves nothing about the IdP).
pub(crate) fn is_hmac(uri: &str) -> bool {
    uri.contains("hmac")
}

/// Whether a SignatureMethod or DigestMethod URI is SHA-1 based.
pub(crate) fn is_weak(uri: &str) -> bool {
    matches!(
        uri,
        "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
            | "http://www.w3.org/2000/09/xmldsig#dsa-sha1"
            | "http://www.w3.org/2000/09/xmldsig#sha1"
    )
}
