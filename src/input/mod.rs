//! Finding SAML payloads in sources: files, directories, stdin, HAR archives and
//! SAML-tracer exports. This stage only locates values and records where they came
//! from; turning a value into XML is `decode`'s job.

use std::path::PathBuf;

mod collect;
mod file;
pub(crate) mod form;
mod har;
pub(crate) mod html;
mod tracer;
mod walk;

pub(crate) use walk::EXTENSIONS as DIR_EXTENSIONS;

use chrono::{DateTime, Utc};

use crate::limits::Limits;
use serde::Serialize;

/// Which SAML protocol parameter carried the payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SamlParam {
    #[serde(rename = "SAMLResponse")]
    Response,
    #[serde(rename = "SAMLRequest")]
    Request,
}

impl SamlParam {
    pub fn name(self) -> &'static str {
        match self {
            SamlParam::Response => "SAMLResponse",
            SamlParam::Request => "SAMLRequest",
        }
    }

    /// Matches a form or query parameter name exactly as SAML bindings spell it.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "SAMLResponse" => Some(SamlParam::Response),
            "SAMLRequest" => Some(SamlParam::Request),
            _ => None,
        }
    }
}

/// How the payload travelled, as far as the container tells. `decode` may refine
/// `Unknown` (a pasted value) once it sees whether the bytes were deflated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Binding {
    /// HTTP-POST binding: form body, base64 of the XML.
    Post,
    /// HTTP-Redirect binding: query string, base64 of raw DEFLATE.
    Redirect,
    /// A SOAP envelope (ECP / PAOS, artifact resolution), found when the Response
    /// is taken out of the envelope's Body.
    Soap,
    /// Not known from the container (a pasted or file value).
    Unknown,
}

/// The kind of container a payload was found in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OriginKind {
    /// A plain file holding one value (base64, form body, URL, XML).
    File,
    /// Standard input.
    Stdin,
    /// An entry of a HAR 1.2 archive.
    Har,
    /// A request of a SAML-tracer export.
    Tracer,
    /// Captured live by `samlint proxy`.
    Proxy,
    /// Pasted into the TUI.
    Paste,
}

/// Where a payload was found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Origin {
    pub kind: OriginKind,
    /// HAR entry index or SAML-tracer request index (0-based).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<usize>,
    /// The request URL the payload was sent to, when the container records it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Capture time: HAR `startedDateTime`, a tracer export's `timestamp`, the proxy's clock.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<DateTime<Utc>>,
    /// The HTTP method of the request, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Set when the value was read out of an HTML page's form (a saved page, or an
    /// IdP page in a HAR entry's response) rather than a request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub html_form: Option<html::FormOrigin>,
}

impl Origin {
    pub fn new(kind: OriginKind) -> Self {
        Origin {
            kind,
            entry: None,
            url: None,
            time: None,
            method: None,
            html_form: None,
        }
    }

    /// Where an HTML-form payload was read, as one phrase: "HTML form in entry 7's
    /// response, action https://…" (`None` for a payload that was not in a page).
    pub fn form_description(&self) -> Option<String> {
        let form = self.html_form.as_ref()?;
        let page = match form.page {
            html::PageKind::SamlForm => "HTML form",
            html::PageKind::AwsRoleSelection => "AWS role-selection page form",
        };
        let place = match (self.kind, self.entry) {
            (OriginKind::Har, Some(i)) => format!(" in entry {i}'s response"),
            (OriginKind::Tracer, Some(i)) => format!(" in request {i}'s response"),
            _ => String::new(),
        };
        let action = form
            .action
            .as_deref()
            .map_or_else(|| ", no action".to_owned(), |a| format!(", action {a}"));
        Some(format!("{page}{place}{action}"))
    }
}

/// Whether the raw value is still encoded, or is already the decoded XML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawForm {
    /// As it appeared on the wire or in the file: `decode` works out what it is.
    Encoded,
    /// Already decoded XML text (a SAML-tracer `saml` field with values masked/removed).
    DecodedXml,
}

/// One SAML message value found in a source, not yet decoded.
#[derive(Debug, Clone)]
pub struct Payload {
    pub origin: Origin,
    pub binding: Binding,
    /// The parameter that carried it, when a container named one.
    pub param: Option<SamlParam>,
    /// `RelayState` sent beside it, when the container shows one.
    pub relay_state: Option<String>,
    pub raw: Vec<u8>,
    pub form: RawForm,
    /// Set when the form, query string or HTML form carried this parameter more than
    /// once (`form-parameter-duplicate`); every value is its own payload.
    pub duplicate: Option<form::Duplicate>,
}

/// Counts a container reports ("N entries, M with SAML").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ContainerStats {
    pub entries: usize,
    pub with_saml: usize,
}

/// What was found in one input source.
#[derive(Debug, Clone)]
pub struct Scanned {
    /// What the content was recognised as.
    pub container: Container,
    pub payloads: Vec<Payload>,
    /// For HAR and tracer exports.
    pub stats: Option<ContainerStats>,
    /// Problems with the container that did not stop the scan (a HAR saved without
    /// content, null fields, an entry that could not be read), one line each.
    pub notes: Vec<String>,
    /// The content could not be read as the container it claims to be (a `.har` that
    /// is not JSON). Payloads found before the problem are kept.
    pub error: Option<String>,
    /// A hardening limit was hit (input too large, too many payloads): reported as
    /// `xml-limits-exceeded`. Payloads found within the limit are kept.
    pub limit_exceeded: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Container {
    Har,
    Tracer,
    /// Plain text or XML holding one value.
    Text,
    /// An HTML page holding a SAML form (a saved page, an IdP's auto-post page).
    Html,
    Empty,
}

/// What `samlint redact` appends to an output's name for the file that records its
/// verdict, when the output has no room for it: the directory walk notes whether a
/// directory holds any (see [`InputSpec::Listed`]).
pub(crate) const RECORD_SIDECAR: &str = ".samlint-record";

/// An input named on the command line, before it is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputSpec {
    Path(PathBuf),
    /// A file found by walking a directory whose listing has no redaction record
    /// beside it (`<name>.samlint-record`), so none is looked for: a failed open per
    /// input was 1.7% of `check`'s time on 3,000 small files.
    Listed(PathBuf),
    Stdin,
}

impl InputSpec {
    /// The name used for this input in reports: the path as given, or `-`.
    pub fn display_name(&self) -> String {
        match self.path() {
            Some(p) => p.display().to_string(),
            None => "-".to_owned(),
        }
    }

    /// The file, unless the input is standard input.
    pub fn path(&self) -> Option<&std::path::Path> {
        match self {
            InputSpec::Path(p) | InputSpec::Listed(p) => Some(p),
            InputSpec::Stdin => None,
        }
    }
}

/// What was found in one input source.
impl Scanned {
    pub fn empty(container: Container) -> Self {
        Scanned {
            container,
            payloads: Vec::new(),
            stats: None,
            notes: Vec::new(),
            error: None,
            limit_exceeded: None,
        }
    }
}

/// An input that cannot be read at all (exit code 2). Content problems are not
/// errors: they go in [`Scanned::error`] / [`Scanned::notes`] and become findings.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: no such file or directory")]
    NotFound { path: String },
}

/// Expands command-line arguments into inputs: `-` is stdin, a directory is searched
/// recursively for `*.har *.json *.xml *.b64 *.txt *.html *.htm` (sorted, so output order is
/// stable), anything else is a file whatever its extension.
///
/// Each argument yields its own result, so one missing path does not hide the rest:
/// a missing path is [`InputError::NotFound`], a directory that cannot be read
/// [`InputError::Io`]. Hidden directories (`.git`) are not searched.
pub fn expand(args: &[std::ffi::OsString]) -> Vec<Result<InputSpec, InputError>> {
    walk::expand(args)
}

/// Reads one input and finds its payloads. The container is recognised by content
/// (HAR, SAML-tracer export, or a text/XML value), not by extension alone.
///
/// # Errors
/// [`InputError`] only when the input cannot be read at all.
pub fn scan(spec: &InputSpec, limits: &Limits) -> Result<Scanned, InputError> {
    file::scan(spec, limits)
}

/// [`scan`], handing `whole` the content of a regular file that is read whole in one
/// go (a small file) before it is scanned, so that a caller who also needs the
/// content (`check` looks for a redaction record in it) does not read the file again.
///
/// # Errors
/// [`InputError`] only when the input cannot be read at all.
pub fn scan_seeing(
    spec: &InputSpec,
    limits: &Limits,
    whole: &mut dyn FnMut(&[u8]),
) -> Result<Scanned, InputError> {
    file::scan_seeing(spec, limits, whole)
}

/// Scans bytes already in memory (stdin, a TUI paste, a proxy capture). HAR and
/// SAML-tracer content is still recognised as such; a text value gets `kind`.
pub fn scan_bytes(bytes: &[u8], kind: OriginKind, limits: &Limits) -> Scanned {
    file::scan_bytes(bytes, kind, limits)
}
