//! Rewrites one decoded SAML document on its parsed tree: identity text and
//! attribute values are replaced through their source spans (escaped for where they
//! go), everything else (structure, issuers, ARNs, conditions, times, algorithms,
//! certificates) is kept byte for byte. `SessionIndex` is kept: IdPs such as Okta
//! use the assertion's ID for it, and IDs are structure.

use std::sync::LazyLock;

use regex::Regex;

use super::pseudonym::{Kind, Pseudonyms};
use crate::limits::Limits;
use crate::saml::{ASSERTION_NS, DSIG_NS, XENC_NS, aws};
use crate::xml::{self, Document, NodeId, Span};

static ACCOUNT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b[0-9]{12}\b").unwrap_or_else(|e| unreachable!("ACCOUNT: {e}")));

/// What to keep.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Policy {
    /// Replace 12-digit account IDs (in Role values) with consistent pseudonyms.
    pub mask_accounts: bool,
}

/// Attribute values that are not about the person and that rules read as they are.
fn kept_attribute(name: &str) -> bool {
    name == aws::SESSION_DURATION || name == aws::TRANSITIVE_TAG_KEYS
}

/// The rewritten document text.
///
/// # Errors
/// The text is not well-formed XML (the caller drops the value instead).
pub(crate) fn rewrite(
    text: &str,
    names: &mut Pseudonyms,
    policy: Policy,
    limits: &Limits,
) -> Result<String, String> {
    let doc =
        xml::parse(text, limits).map_err(|e| format!("not well-formed XML: {}", e.message))?;
    let mut edits: Vec<(Span, String)> = Vec::new();
    for id in doc.descendants(doc.root()) {
        let Some(el) = doc.element(id) else { continue };
        let ns = el.namespace().unwrap_or_default();
        match (ns, el.local()) {
            (ASSERTION_NS, "NameID") => {
                texts(&doc, id, &mut edits, |t| names.get(Kind::Identity, t));
                if let Some(a) = el.attr("SPProvidedID") {
                    edits.push((a.value_span(), attr(&names.get(Kind::Identity, a.value()))));
                }
            }
            (ASSERTION_NS, "AttributeValue") => {
                let name = doc
                    .parent(id)
                    .and_then(|p| doc.element(p))
                    .and_then(|p| p.attr_value("Name"))
                    .unwrap_or_default();
                if name == aws::ROLE {
                    if policy.mask_accounts {
                        texts(&doc, id, &mut edits, |t| {
                            ACCOUNT
                                .replace_all(t, |c: &regex::Captures<'_>| {
                                    names.get(Kind::Account, &c[0])
                                })
                                .into_owned()
                        });
                    }
                } else if !kept_attribute(name) {
                    texts(&doc, id, &mut edits, |t| names.get(Kind::Identity, t));
                }
            }
            (ASSERTION_NS, "SubjectLocality" | "SubjectConfirmationData") => {
                if let Some(a) = el.attr("Address") {
                    edits.push((a.value_span(), attr(&names.get(Kind::Address, a.value()))));
                }
                if let Some(a) = el.attr("DNSName") {
                    edits.push((a.value_span(), attr(&names.get(Kind::Identity, a.value()))));
                }
            }
            // The signature cannot verify after redaction, and the digest of a known
            // document would let a guess at the original values be confirmed.
            (DSIG_NS, "SignatureValue" | "DigestValue") | (XENC_NS, "CipherValue") => {
                texts(&doc, id, &mut edits, blank_base64);
            }
            _ => {}
        }
    }
    Ok(apply(doc.text(), edits))
}

/// Replaces each text child of `id` (descendants too: an AttributeValue may hold a
/// NameID) by `f` of its value.
fn texts(
    doc: &Document,
    id: NodeId,
    edits: &mut Vec<(Span, String)>,
    mut f: impl FnMut(&str) -> String,
) {
    for d in doc.descendants(id) {
        if let Some(t) = doc.text_of(d)
            && !t.trim().is_empty()
        {
            edits.push((doc.span(d), escape(&f(t), false)));
        }
    }
}

/// Base64 text of the same length and line breaks, decoding to zero bytes.
fn blank_base64(t: &str) -> String {
    t.chars()
        .map(|c| match c {
            '=' | '\n' | '\r' | ' ' | '\t' => c,
            _ => 'A',
        })
        .collect()
}

fn attr(v: &str) -> String {
    escape(v, true)
}

/// XML escaping for text (`quotes`: for an attribute value).
pub(crate) fn escape(v: &str, quotes: bool) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if quotes => out.push_str("&quot;"),
            '\'' if quotes => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}

/// Applies non-overlapping edits (nested ones: the outer wins).
fn apply(text: &str, mut edits: Vec<(Span, String)>) -> String {
    edits.sort_by_key(|(s, _)| (s.start, std::cmp::Reverse(s.end)));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (span, new) in edits {
        if span.start < at {
            continue;
        }
        out.push_str(text.get(at..span.start).unwrap_or_default());
        out.push_str(&new);
        at = span.end;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identities_replaced_structure_kept() {
        let text = std::fs::read_to_string("tests/fixtures/responses/okta-iam.xml").unwrap();
        let mut names = Pseudonyms::new();
        let out = rewrite(
            &text,
            &mut names,
            Policy {
                mask_accounts: true,
            },
            &Limits::default(),
        )
        .unwrap();
        for secret in [
            "jane.doe@acmecorp.example",
            "jdoe-session",
            "q9RhD5NIbUTG0r3Cw",
        ] {
            assert!(text.contains(secret), "{secret}");
            assert!(!out.contains(secret), "{secret} survived:\n{out}");
        }
        assert!(out.contains("saml-provider/"), "{out}");
        assert!(out.contains("https://signin.aws.amazon.com/saml"));
        let again = rewrite(
            &text,
            &mut names,
            Policy {
                mask_accounts: true,
            },
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(out, again, "the same map gives the same document");
        assert!(xml::parse(&out, &Limits::default()).is_ok());
    }

    #[test]
    fn escapes_what_it_writes() {
        assert_eq!(escape("a&b<\"c\"", true), "a&amp;b&lt;&quot;c&quot;");
        assert_eq!(blank_base64("ab+/\ncd=="), "AAAA\nAA==");
    }
}
