//! Second signature engine: libxmlsec1 (the XML-DSig reference implementation) through
//! the `xmlsec` crate. Compiled only with the cargo feature `xmlsec`.
//!
//! [`verify_with_xmlsec`] checks every `ds:Signature` of a document with the trusted
//! keys and reports, per signature, whether its references' digests and its
//! SignatureValue hold. It does not decide the payload status and does no wrapping
//! analysis: the caller compares these results with the pure-Rust engine
//! (`--engine both` → `engine-disagreement`).
//!
//! Hardening (each verification):
//! - documents with a `<!DOCTYPE` are refused before libxml2 sees them (a DTD could
//!   declare other attributes as IDs); libxml2 parses without recovery and without
//!   network access;
//! - IDs are registered explicitly (`ID`, `AssertionID`, `ResponseID`); a value used
//!   twice is an error ([`XmlsecError::DuplicateId`]), never a pass;
//! - only same-document references (`URI=""`, `URI="#id"`) are enabled: a remote or
//!   local-file URI is refused by libxmlsec1;
//! - reference transforms are restricted to enveloped-signature and the c14n family
//!   (plus the SHA digests); signature methods to RSA and ECDSA with SHA-1/2 (HMAC is
//!   refused) and the c14n family for SignedInfo;
//! - the trusted key is preset in a fresh context, so the message's `ds:KeyInfo` is
//!   never read;
//! - libxmlsec1's error output is captured (it becomes [`XmlsecSignature::error`])
//!   instead of going to stderr.
//!
//! Threading: libxml2 documents are not `Send`; everything here is created and freed
//! inside one call on the calling thread. libxml2/libxmlsec1 are initialised once, and
//! calls are serialised by a process-wide lock, so the function may be called from any
//! thread (including rayon workers) without further care.
//!
//! libxmlsec1 1.2 stops at the first failing Reference and then does not check the
//! SignatureValue: `digest_ok == Some(false)` comes with `signature_ok == None`.

// The `xmlsec` crate covers loading keys and running a verification, but not the
// context settings needed for hardening (allowed URIs and transforms), the
// per-reference results, or the error callback. Those are set through its raw
// bindings, which needs `unsafe`; every block below says why it is sound. This is
// the only module of the crate allowed to use `unsafe`.
#![allow(unsafe_code)]

use std::cell::RefCell;
use std::ffi::{CStr, c_char, c_int};
use std::sync::{Mutex, Once, PoisonError};

use libxml::parser::{Parser, ParserOptions};
use libxml::tree::{Document as XmlDocument, Node as XmlNode};
use xmlsec::bindings as b;
use xmlsec::{XmlSecDocumentExt, XmlSecKey, XmlSecKeyFormat, XmlSecSignatureContext};

const DSIG_NS: &str = "http://www.w3.org/2000/09/xmldsig#";

/// ID attributes registered for `#id` references (SAML 2.0 `ID`; SAML 1.x
/// `AssertionID` and `ResponseID`).
const ID_ATTRIBUTES: [&str; 3] = ["ID", "AssertionID", "ResponseID"];

/// One `ds:Signature`, as libxmlsec1 judged it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct XmlsecSignature {
    /// Path of the `ds:Signature` by local names, e.g. `/Response/Assertion/Signature`
    /// (with `[n]` only where an element has same-named siblings, as
    /// `crate::xml::Document::path` writes it).
    pub signature_path: String,
    /// `URI` of the first `Reference` in `SignedInfo`.
    pub reference_uri: Option<String>,
    /// The ID the reference points at (`#id` → `id`; `""` → the root element's ID).
    pub covered_id: Option<String>,
    /// Whether every Reference digest matched; `None` when libxmlsec1 did not get that
    /// far (an error before the references were processed).
    pub digest_ok: Option<bool>,
    /// Whether the SignatureValue verified with one of the trusted keys; `None` when it
    /// was not checked (a digest failed first, or an error).
    pub signature_ok: Option<bool>,
    /// libxmlsec1's refusal or failure, when verification could not complete.
    pub error: Option<String>,
}

/// Why the document could not be given to libxmlsec1 at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum XmlsecError {
    #[error("xmlsec engine: no trusted certificate to verify with")]
    NoKeys,
    #[error("xmlsec engine: trusted certificate {index} could not be loaded: {message}")]
    Key { index: usize, message: String },
    #[error("xmlsec engine: documents with a DOCTYPE are refused")]
    Doctype,
    #[error("xmlsec engine: libxml2 could not parse the document: {0}")]
    Parse(String),
    #[error("xmlsec engine: duplicate ID {0:?}: refused, a reference to it is ambiguous")]
    DuplicateId(String),
    #[error("xmlsec engine: {0}")]
    Other(String),
}

static INIT: Once = Once::new();
static LOCK: Mutex<()> = Mutex::new(());

thread_local! {
    /// libxmlsec1 errors reported during the current verification on this thread.
    static ERRORS: RefCell<Vec<(c_int, String)>> = const { RefCell::new(Vec::new()) };
}

unsafe extern "C" {
    /// `void xmlSecErrorsSetCallback(xmlSecErrorsCallback)` from `<xmlsec/errors.h>`;
    /// not in the crate's generated bindings.
    fn xmlSecErrorsSetCallback(
        callback: Option<
            unsafe extern "C" fn(
                *const c_char,
                c_int,
                *const c_char,
                *const c_char,
                *const c_char,
                c_int,
                *const c_char,
            ),
        >,
    );
}

/// Collects libxmlsec1 errors instead of printing them.
unsafe extern "C" fn collect_error(
    _file: *const c_char,
    _line: c_int,
    func: *const c_char,
    _object: *const c_char,
    subject: *const c_char,
    reason: c_int,
    msg: *const c_char,
) {
    let text = |p: *const c_char| {
        if p.is_null() {
            String::new()
        } else {
            // SAFETY: libxmlsec1 passes NUL-terminated strings that live for the
            // duration of the callback; null was excluded above.
            unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
        }
    };
    let (func, subject, msg) = (text(func), text(subject), text(msg));
    // An algorithm URI libxmlsec1 does not know comes as a generic failure of the
    // lookup function: name it.
    let (mut line, subject) = if subject == "xmlSecTransformIdListFindByHref" {
        ("unknown algorithm".to_owned(), String::new())
    } else {
        let text = reason_text(reason).map_or_else(|| format!("error {reason}"), str::to_owned);
        (text, subject)
    };
    for part in [subject.as_str(), msg.trim()] {
        if !part.is_empty() && part != "unknown" && part != "details=NULL" {
            line.push_str(": ");
            line.push_str(part);
        }
    }
    line.push_str(" (in ");
    line.push_str(&func);
    line.push(')');
    ERRORS.with(|e| e.borrow_mut().push((reason, line)));
}

/// `XMLSEC_ERRORS_R_*` reason codes of `<xmlsec/errors.h>` (1.2) that a verification
/// can report.
fn reason_text(reason: c_int) -> Option<&'static str> {
    Some(match reason {
        1 => "xmlsec library function failed",
        4 => "crypto library function failed",
        5 => "libxml2 function failed",
        8 => "feature disabled",
        9 => "not implemented",
        12 => "invalid data",
        13 => "invalid result",
        14 => "invalid type",
        16 => "invalid status",
        17 => "invalid format",
        18 => "data do not match",
        21 => "invalid node",
        22 => "invalid node content",
        23 => "invalid node attribute",
        25 => "missing node attribute",
        26 => "node already present",
        27 => "unexpected node",
        28 => "node not found",
        31 => "invalid transform",
        32 => "invalid transform or key",
        33 => "invalid URI type (only same-document references are allowed)",
        34 => "same-document transform required",
        35 => "transform disabled (not allowed here)",
        36 => "invalid algorithm",
        41 => "invalid key data",
        42 => "key data not found",
        45 => "key not found (the trusted key does not fit this signature method)",
        61 => "no references",
        62 => "invalid reference",
        _ => return None,
    })
}

fn init() {
    INIT.call_once(|| {
        // SAFETY: xmlInitParser has no preconditions and is meant to be called once,
        // before any thread uses libxml2.
        unsafe { b::xmlInitParser() };
        // Creating a context runs the crate's one-time xmlSecInit and crypto setup.
        drop(XmlSecSignatureContext::new());
        // SAFETY: installs a plain function pointer; `collect_error` only reads the
        // strings it is given and never unwinds.
        unsafe { xmlSecErrorsSetCallback(Some(collect_error)) };
    });
}

/// Verifies every `ds:Signature` of `xml` with each trusted certificate (DER) and
/// returns one result per signature, in document order. A signature counts as
/// verified when any of the keys verifies it.
pub(crate) fn verify_with_xmlsec(
    xml: &str,
    trusted_certs_der: &[Vec<u8>],
) -> Result<Vec<XmlsecSignature>, XmlsecError> {
    if trusted_certs_der.is_empty() {
        return Err(XmlsecError::NoKeys);
    }
    if has_doctype(xml) {
        return Err(XmlsecError::Doctype);
    }
    init();
    let _guard = LOCK.lock().unwrap_or_else(PoisonError::into_inner);
    ERRORS.with(|e| e.borrow_mut().clear());

    let keys = trusted_certs_der
        .iter()
        .enumerate()
        .map(|(index, der)| {
            XmlSecKey::from_memory(der, XmlSecKeyFormat::CertDer, None).map_err(|e| {
                XmlsecError::Key {
                    index,
                    message: e.to_string(),
                }
            })
        })
        .collect::<Result<Vec<_>, _>>()?;

    let options = ParserOptions {
        recover: false,
        no_net: true,
        no_def_dtd: true,
        encoding: Some("UTF-8"),
        ..ParserOptions::default()
    };
    let doc = Parser::default()
        .parse_string_with_options(xml, options)
        .map_err(|e| XmlsecError::Parse(format!("{e:?}")))?;
    let root = doc
        .get_root_element()
        .ok_or_else(|| XmlsecError::Parse("no root element".into()))?;
    register_ids(&doc)?;

    let signatures = find_signatures(&doc)?;
    let mut out = Vec::with_capacity(signatures.len());
    for sig in &signatures {
        let reference_uri = first_reference_uri(sig);
        let covered_id = match reference_uri.as_deref() {
            Some("") => id_of(&root),
            Some(uri) => uri.strip_prefix('#').map(str::to_owned),
            None => None,
        };
        let mut result = XmlsecSignature {
            signature_path: path_of(sig),
            reference_uri,
            covered_id,
            digest_ok: None,
            signature_ok: None,
            error: None,
        };
        // Each key in turn (a wrong key type is an error for that key only).
        for key in &keys {
            merge(&mut result, verify_one(sig, key));
            if result.signature_ok == Some(true) {
                result.error = None;
                break;
            }
        }
        out.push(result);
    }
    ERRORS.with(|e| e.borrow_mut().clear());
    Ok(out)
}

/// What one key made of one signature.
struct Outcome {
    digest_ok: Option<bool>,
    signature_ok: Option<bool>,
    error: Option<String>,
}

fn merge(into: &mut XmlsecSignature, o: Outcome) {
    into.digest_ok = match (into.digest_ok, o.digest_ok) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (a, b) => b.or(a),
    };
    into.signature_ok = match (into.signature_ok, o.signature_ok) {
        (Some(true), _) | (_, Some(true)) => Some(true),
        (a, b) => b.or(a),
    };
    if o.signature_ok != Some(true) && o.error.is_some() {
        into.error = o.error;
    }
}

fn verify_one(sig: &XmlNode, key: &XmlSecKey) -> Outcome {
    ERRORS.with(|e| e.borrow_mut().clear());
    let mut ctx = XmlSecSignatureContext::new();
    // A preset key: libxmlsec1 then never reads the signature's KeyInfo.
    ctx.insert_key(key.clone());
    if let Err(e) = harden(&ctx) {
        return Outcome {
            digest_ok: None,
            signature_ok: None,
            error: Some(e),
        };
    }
    let verified = ctx.verify_node(sig);
    let references = reference_statuses(&ctx);
    // A reference libxmlsec1 refused before digesting keeps the status "unknown":
    // that is no digest result at all.
    let digest_ok = if references.contains(&b::xmlSecDSigStatus_xmlSecDSigStatusInvalid) {
        Some(false)
    } else if !references.is_empty()
        && references
            .iter()
            .all(|&s| s == b::xmlSecDSigStatus_xmlSecDSigStatusSucceeded)
    {
        Some(true)
    } else {
        None
    };
    match verified {
        Ok(true) => Outcome {
            digest_ok: Some(true),
            signature_ok: Some(true),
            error: None,
        },
        // All references held (and, in 1.2, none was skipped): the SignatureValue
        // itself failed.
        Ok(false) if digest_ok == Some(true) => Outcome {
            digest_ok,
            signature_ok: Some(false),
            error: None,
        },
        Ok(false) if digest_ok == Some(false) => Outcome {
            digest_ok,
            signature_ok: None,
            error: None,
        },
        Ok(false) => Outcome {
            digest_ok: None,
            signature_ok: None,
            error: Some(first_error().unwrap_or_else(|| "signature not verified".into())),
        },
        Err(e) => Outcome {
            digest_ok: digest_ok.filter(|ok| !ok),
            signature_ok: None,
            error: Some(first_error().unwrap_or_else(|| e.to_string())),
        },
    }
}

/// The most specific libxmlsec1 error of this verification: the first one reported
/// with a reason other than the generic "function failed" (the first reported is the
/// root cause; the rest are the call chain unwinding).
fn first_error() -> Option<String> {
    ERRORS.with(|e| {
        let errors = e.borrow();
        errors
            .iter()
            .find(|(reason, _)| *reason != 1)
            .or_else(|| errors.first())
            .map(|(_, line)| line.clone())
    })
}

/// Restricts what this context accepts; see the module docs.
fn harden(ctx: &XmlSecSignatureContext) -> Result<(), String> {
    // SAFETY: `as_ptr` is the live context owned by `ctx` (created non-null by the
    // crate, freed only on drop). Only plain fields are written, before the context
    // is used, and the GetKlass functions return static transform descriptors, which
    // the Enable* functions store in the context's own lists.
    unsafe {
        let c = ctx.as_ptr();
        (*c).enabledReferenceUris =
            b::xmlSecTransformUriTypeEmpty | b::xmlSecTransformUriTypeSameDocument;
        (*c).flags |= b::XMLSEC_DSIG_FLAGS_STORE_SIGNEDINFO_REFERENCES
            | b::XMLSEC_DSIG_FLAGS_IGNORE_MANIFESTS;
        let c14n = [
            b::xmlSecTransformInclC14NGetKlass(),
            b::xmlSecTransformInclC14NWithCommentsGetKlass(),
            b::xmlSecTransformInclC14N11GetKlass(),
            b::xmlSecTransformInclC14N11WithCommentsGetKlass(),
            b::xmlSecTransformExclC14NGetKlass(),
            b::xmlSecTransformExclC14NWithCommentsGetKlass(),
        ];
        let digests = [
            b::xmlSecOpenSSLTransformSha1GetKlass(),
            b::xmlSecOpenSSLTransformSha224GetKlass(),
            b::xmlSecOpenSSLTransformSha256GetKlass(),
            b::xmlSecOpenSSLTransformSha384GetKlass(),
            b::xmlSecOpenSSLTransformSha512GetKlass(),
        ];
        let methods = [
            b::xmlSecOpenSSLTransformRsaSha1GetKlass(),
            b::xmlSecOpenSSLTransformRsaSha224GetKlass(),
            b::xmlSecOpenSSLTransformRsaSha256GetKlass(),
            b::xmlSecOpenSSLTransformRsaSha384GetKlass(),
            b::xmlSecOpenSSLTransformRsaSha512GetKlass(),
            b::xmlSecOpenSSLTransformEcdsaSha1GetKlass(),
            b::xmlSecOpenSSLTransformEcdsaSha224GetKlass(),
            b::xmlSecOpenSSLTransformEcdsaSha256GetKlass(),
            b::xmlSecOpenSSLTransformEcdsaSha384GetKlass(),
            b::xmlSecOpenSSLTransformEcdsaSha512GetKlass(),
        ];
        let reference = std::iter::once(b::xmlSecTransformEnvelopedGetKlass())
            .chain(c14n)
            .chain(digests);
        for id in reference {
            if b::xmlSecDSigCtxEnableReferenceTransform(c, id) < 0 {
                return Err("could not restrict reference transforms".into());
            }
        }
        for id in c14n.into_iter().chain(methods) {
            if b::xmlSecDSigCtxEnableSignatureTransform(c, id) < 0 {
                return Err("could not restrict signature transforms".into());
            }
        }
    }
    Ok(())
}

/// Status of each SignedInfo Reference libxmlsec1 processed, in order.
fn reference_statuses(ctx: &XmlSecSignatureContext) -> Vec<b::xmlSecDSigStatus> {
    // SAFETY: the context is alive (owned by `ctx`); with
    // XMLSEC_DSIG_FLAGS_STORE_SIGNEDINFO_REFERENCES its `signedInfoReferences` list
    // holds xmlSecDSigReferenceCtx pointers owned by the context, valid until it is
    // destroyed or reused. Only the `status` field is read; null items are skipped.
    unsafe {
        let c = ctx.as_ptr();
        let list: b::xmlSecPtrListPtr = &raw mut (*c).signedInfoReferences;
        let n = b::xmlSecPtrListGetSize(list);
        (0..n)
            .filter_map(|i| {
                let item = b::xmlSecPtrListGetItem(list, i).cast::<b::xmlSecDSigReferenceCtx>();
                (!item.is_null()).then(|| (*item).status)
            })
            .collect()
    }
}

fn has_doctype(xml: &str) -> bool {
    memchr::memmem::find_iter(xml.as_bytes(), b"<!").any(|i| {
        xml.as_bytes()[i + 2..]
            .get(..7)
            .is_some_and(|w| w.eq_ignore_ascii_case(b"DOCTYPE"))
    })
}

fn register_ids(doc: &XmlDocument) -> Result<(), XmlsecError> {
    let ctx = libxml::xpath::Context::new(doc)
        .map_err(|()| XmlsecError::Other("no XPath context".into()))?;
    for attr in ID_ATTRIBUTES {
        let search = format!("//*[@{attr}]");
        let found = ctx
            .evaluate(&search)
            .map_err(|()| XmlsecError::Other(format!("XPath {search} failed")))?;
        if found.get_nodes_as_vec().is_empty() {
            continue;
        }
        doc.specify_idattr(&search, attr, None).map_err(|e| {
            let text = e.to_string();
            match text.strip_prefix("Error: duplicate ID attribute: ") {
                Some(id) => XmlsecError::DuplicateId(id.to_owned()),
                None => XmlsecError::Other(text),
            }
        })?;
    }
    Ok(())
}

fn find_signatures(doc: &XmlDocument) -> Result<Vec<XmlNode>, XmlsecError> {
    let ctx = libxml::xpath::Context::new(doc)
        .map_err(|()| XmlsecError::Other("no XPath context".into()))?;
    let search = format!("//*[local-name()='Signature' and namespace-uri()='{DSIG_NS}']");
    let found = ctx
        .evaluate(&search)
        .map_err(|()| XmlsecError::Other("XPath for ds:Signature failed".into()))?;
    Ok(found.get_nodes_as_vec())
}

fn is_dsig(node: &XmlNode, local: &str) -> bool {
    node.get_name() == local
        && node
            .get_namespace()
            .is_some_and(|ns| ns.get_href() == DSIG_NS)
}

fn first_reference_uri(sig: &XmlNode) -> Option<String> {
    let signed_info = sig
        .get_child_elements()
        .into_iter()
        .find(|n| is_dsig(n, "SignedInfo"))?;
    let reference = signed_info
        .get_child_elements()
        .into_iter()
        .find(|n| is_dsig(n, "Reference"))?;
    reference.get_property_no_ns("URI")
}

fn id_of(node: &XmlNode) -> Option<String> {
    ID_ATTRIBUTES
        .iter()
        .find_map(|a| node.get_property_no_ns(a))
}

fn namespace_of(node: &XmlNode) -> Option<String> {
    node.get_namespace().map(|ns| ns.get_href())
}

fn path_of(node: &XmlNode) -> String {
    let mut parts = Vec::new();
    let mut cur = Some(node.clone());
    while let Some(n) = cur {
        let parent = n.get_parent().filter(XmlNode::is_element_node);
        let name = n.get_name();
        let part = match &parent {
            Some(p) => {
                let ns = namespace_of(&n);
                let same: Vec<XmlNode> = p
                    .get_child_elements()
                    .into_iter()
                    .filter(|s| s.get_name() == name && namespace_of(s) == ns)
                    .collect();
                if same.len() > 1 {
                    let pos = same.iter().position(|s| s == &n).unwrap_or(0) + 1;
                    format!("{name}[{pos}]")
                } else {
                    name
                }
            }
            None => name,
        };
        parts.push(part);
        cur = parent;
    }
    parts.reverse();
    format!("/{}", parts.join("/"))
}

#[cfg(test)]
#[path = "engine_xmlsec_tests.rs"]
mod tests;
