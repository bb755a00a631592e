//! Every piece of text the terminal UI shows, in one place.

pub const APP_TITLE: &str = "samlint";
pub const PAYLOADS_TITLE: &str = "Payloads";
pub const FILTER_PROMPT: &str = "/";
pub const FILTER_NO_MATCH: &str = "No payload matches the filter.";
/// The empty list, with the paste key (`p` unless remapped).
pub fn no_payloads(paste_key: Option<&str>) -> String {
    match paste_key {
        Some(k) => format!("No payloads yet. Press {k} to paste a SAMLResponse."),
        None => "No payloads yet. Paste a SAMLResponse into the terminal.".to_owned(),
    }
}
pub const LOADING: &str = "checking…";

pub const TAB_SUMMARY: &str = "Summary";
pub const TAB_FINDINGS: &str = "Findings";
pub const TAB_XML: &str = "XML";
pub const TAB_SIGNATURE: &str = "Signature";
pub const TAB_RAW: &str = "Raw";

pub const BADGE_OK: &str = " OK ";
/// Marks a SAMLRequest in the payload list (a response is unmarked).
pub const LIST_REQUEST: &str = "request ";
pub const BADGE_WARN: &str = "WARN";
pub const BADGE_FAIL: &str = "FAIL";
pub const BADGE_ERROR: &str = "ERR ";

pub const NOTHING_SELECTED: &str = "Nothing selected.";
pub const NOT_SAML: &str = "This payload is not a SAML Response: see Findings and Raw.";

// Summary.
pub const VERDICT_OK: &str = "AWS should accept this sign-in: no problems found.";
pub const VERDICT_WARN: &str = "AWS should accept this sign-in, with warnings.";
pub const VERDICT_FAIL: &str = "AWS will reject this sign-in.";
pub const VERDICT_UNREADABLE: &str = "This input could not be read.";
pub const ISSUER: &str = "Issuer";
/// The IdP the fixes speak of ("the IdP" when not recognised).
pub const IDP: &str = "IdP";
pub const SUBJECT: &str = "Subject";
pub const PROFILE: &str = "Profile";
pub const AUDIENCE: &str = "Audience";
pub const DESTINATION: &str = "Destination";
pub const SESSION_NAME: &str = "Session name";
pub const SESSION_DURATION: &str = "Duration";
pub const VALID: &str = "Valid";
pub const CHECKED_AT: &str = "Checked at";
/// After the clock key: `c: use the clock`.
pub const CAPTURE_TO_CLOCK: &str = ": use the clock";
pub const CLOCK_TO_CAPTURE: &str = ": use capture time";
pub const SIGNATURE: &str = "Signature";
pub const ROLES: &str = "Roles";
pub const ROLE_ACCOUNT: &str = "Account";
pub const ROLE_NAME: &str = "Role";
pub const ROLE_PROVIDER: &str = "Provider";
pub const ROLE_AWS: &str = "AWS";
pub const CONTEXT_KEYS_TITLE: &str = "SAML context keys";
/// After the context keys' key: `a: the SAML context keys STS will see`.
pub const CONTEXT_KEYS_HINT: &str = ": the SAML context keys STS will see";
pub const CONTEXT_KEYS_NO_AWS: &str = "Computed with --aws (an account export).";
pub const NO_ROLES: &str = "(no Role attribute)";
pub const ROLE_MALFORMED: &str = "✗ malformed";
pub const NOT_USED_BY_IC: &str = "not used by Identity Center";
pub const MISSING: &str = "—";

// Signature verdicts in words.
pub const SIG_NOT_CHECKED: &str = "not checked (no verifier ran)";
pub const SIG_VALID: &str = "valid: signed by a trusted key";
pub const SIG_UNTRUSTED: &str = "verifies, but the key is not trusted";
pub const SIG_INVALID: &str = "INVALID: digest or signature does not match";
pub const SIG_WRAPPED: &str = "WRAPPED: the signed element is not the one AWS reads";
pub const SIG_UNSIGNED: &str = "unsigned";
pub const SIG_ERROR: &str = "could not be evaluated";

// Findings.
pub const NO_FINDINGS: &str = "No findings.";
pub const AWS_ERROR: &str = "AWS error";
/// Followed by the IdP the fix speaks of: "Fix (AD FS)".
pub const FIX: &str = "Fix";
pub const FIX_CAPTURE: &str = "Fix (capture)";
pub const FIX_AWS: &str = "Fix (AWS)";
pub const LOCATION: &str = "Location";
pub const NO_LOCATION: &str = "this finding has no place in the XML to show";

// XML.
pub const NO_XML: &str = "No XML: the payload did not decode to a parseable document.";
pub const SEARCH_PROMPT: &str = "/";
pub const NO_MATCH: &str = "no match";
/// The last column of a line cut at the right edge.
pub const CUT: &str = "›";
/// Gutter marks: an element that folds, one folded, a wrapped line's next rows.
pub const FOLD_OPEN: &str = "▾";
pub const FOLD_CLOSED: &str = "▸";
pub const CONTINUED: &str = "↳";

/// After a folded element's opening line, before its closing tag: how many lines
/// the fold hides (those between the two).
pub fn folded_lines(n: usize) -> String {
    let plural = if n == 1 { "" } else { "s" };
    format!(" … {n} line{plural} … ")
}

// Signature tab.
pub const SIG_FROM_XML: &str = "As declared in the XML (not verified):";
pub const SIG_NONE_IN_XML: &str = "The document carries no ds:Signature.";
pub const SIG_STATUS: &str = "Status";
pub const SIG_ENGINE: &str = "Engine";

// Raw.
pub const RAW_ORIGIN: &str = "Origin";
pub const RAW_ENTRY: &str = "Entry";
pub const RAW_REQUEST: &str = "Request";
pub const RAW_CAPTURED: &str = "Captured at";
pub const RAW_BINDING: &str = "Binding";
pub const RAW_STEPS: &str = "Decode steps";
pub const RAW_NOTES: &str = "Notes";
pub const RAW_TEXT: &str = "Decoded text";
pub const RAW_AS_GIVEN: &str = "used as given (no decoding needed)";
pub const RAW_NOT_DECODED: &str = "not decoded: see Findings for why";

// Overlays.
pub const HELP_TITLE: &str = "Keys";

/// The help overlay's title, with the key that closes it.
pub fn help_title(close_key: Option<&str>) -> String {
    match close_key {
        Some(k) => format!("{HELP_TITLE} ({k} closes)"),
        None => HELP_TITLE.to_owned(),
    }
}

/// The paste box's last line, with its (fixed) keys.
pub fn paste_hint(submit: &str, cancel: &str) -> String {
    format!("{submit} submits · {cancel} cancels")
}
pub const PASTE_TITLE: &str = " Paste a SAMLResponse: base64, form body, URL or XML ";
pub const PASTE_SOURCE: &str = "paste";
pub const PROXY_SOURCE: &str = "proxy";
pub const COPIED: &str = "copied to the clipboard";

// Key command descriptions (the footer and the help overlay are built from these).
pub const CMD_QUIT: &str = "quit";
pub const CMD_NEXT_FAILING: &str = "next/previous failing";
pub const CMD_DELETE_PASTE: &str = "delete a paste";
pub const CMD_CLOCK: &str = "capture time / clock";
pub const CMD_HELP: &str = "help";
pub const CMD_PASTE: &str = "paste";
pub const CMD_TABS: &str = "next/previous tab";
pub const CMD_TAB_N: &str = "go to tab";
pub const CMD_FOCUS: &str = "focus list / panel";
pub const CMD_MOVE: &str = "move";
pub const CMD_PAGE: &str = "page up/down";
pub const CMD_SCROLL_DETAIL: &str = "scroll the detail";
pub const CMD_TOP_BOTTOM: &str = "first/last";
pub const CMD_COPY: &str = "copy value";
pub const CMD_JUMP: &str = "show in XML";
pub const CMD_SEARCH: &str = "search";
pub const CMD_CONTEXT_KEYS: &str = "context keys (--aws)";
pub const CMD_FILTER: &str = "filter the list";
pub const CMD_FILTER_KEEP: &str = "keep the filter";
pub const CMD_FILTER_CLEAR: &str = "clear the filter";
pub const CMD_NEXT_MATCH: &str = "next/previous match";
pub const CMD_FOLD: &str = "fold/unfold element";
pub const CMD_UNFOLD_ALL: &str = "unfold all";
pub const CMD_HSCROLL: &str = "scroll left/right";
pub const CMD_WRAP: &str = "wrap long lines";
pub const CMD_CLOSE: &str = "close";
pub const CMD_CANCEL: &str = "cancel";
pub const CMD_SUBMIT: &str = "submit";
pub const CMD_INTERRUPT: &str = "quit (typing: cancel)";
pub const CMD_TYPING_DONE: &str = "keep / submit";
pub const CMD_TYPING_MOVE: &str = "move in the list";
pub const CMD_TYPING_DELETE: &str = "delete a character";
pub const CMD_OPEN: &str = "focus the tab";
pub const CMD_CLEAR_SEARCH: &str = "clear the search";
pub const CMD_SEARCH_KEEP: &str = "keep the search";
pub const CMD_CLEAR_TEXT: &str = "clear the text";

// The help overlay's groups (with the panels' titles).
pub const HELP_GLOBAL: &str = "Global";
/// The filter, the XML search and the paste box.
pub const HELP_TYPING: &str = "Typing (filter, search, paste)";
pub const HELP_OVERLAY: &str = "Help";

// Summary, with values.
pub fn verdict_fail(errors: usize) -> String {
    let plural = if errors == 1 { "" } else { "s" };
    format!("{VERDICT_FAIL} {errors} error{plural}.")
}

pub fn more_in_findings(n: usize) -> String {
    format!("  … {n} more in Findings")
}

pub fn not_yet_valid(wait: &str) -> String {
    format!("not valid yet, starts in {wait}")
}

pub fn expired_ago(ago: &str) -> String {
    format!("expired {ago} ago")
}

pub fn expires_in(left: &str) -> String {
    format!("expires in {left}")
}

pub fn xml_tab_line(line: usize) -> String {
    format!(", XML tab line {line}")
}

// Signature tab labels.
pub const CHECK_OK: &str = "ok";
pub const CHECK_FAILED: &str = "FAILED";
pub const CHECK_NOT_EVALUATED: &str = "not evaluated";
pub const SIG_ID: &str = "ID";
pub const SIG_PATH: &str = "Path";
pub const SIG_ALGORITHM: &str = "Algorithm";
pub const SIG_C14N: &str = "C14N";
pub const SIG_DIGEST_METHOD: &str = "Digest method";
pub const SIG_DIGEST: &str = "Digest";
pub const SIG_SIGNATURE: &str = "Signature";
pub const SIG_TRUSTED_KEY: &str = "Trusted key";
pub const SIG_TRUST_ENTRY: &str = "Trust entry";
pub const SIG_PARENT_ID: &str = "Parent ID";
pub const SIG_REFERENCE_URI: &str = "Reference URI";
pub const SIG_CERTIFICATE: &str = "Certificate";
pub const CERT_SUBJECT: &str = "Cert subject";
pub const CERT_ISSUER: &str = "Cert issuer";
pub const CERT_SERIAL: &str = "Cert serial";
pub const CERT_NOT_BEFORE: &str = "Not before";
pub const CERT_NOT_AFTER: &str = "Not after";
pub const CERT_SHA256: &str = "SHA-256";
pub const CERT_EMBEDDED: &str = "embedded in KeyInfo (never trusted by itself)";
pub const CERT_NONE: &str = "none in KeyInfo";

pub fn signature_covers(n: usize, covers: &str) -> String {
    format!("#{n} covers {covers}")
}

pub fn signature_in(n: usize, parent: &str) -> String {
    format!("#{n} in {parent}")
}

// Raw tab.
pub const STEP_URL: &str = "percent-decoded (URL / form encoding)";
pub const STEP_BASE64: &str = "base64-decoded";
pub const STEP_INFLATE: &str = "inflated (raw DEFLATE, HTTP-Redirect binding)";
pub const STEP_UTF8: &str = "read as UTF-8";
pub const ORIGIN_FILE: &str = "file";
pub const ORIGIN_STDIN: &str = "stdin";
pub const ORIGIN_HAR: &str = "HAR entry";
pub const ORIGIN_TRACER: &str = "SAML-tracer request";
pub const ORIGIN_PROXY: &str = "proxy capture";
pub const ORIGIN_PASTE: &str = "paste";
pub const BINDING_POST: &str = "HTTP-POST";
pub const BINDING_REDIRECT: &str = "HTTP-Redirect";
pub const BINDING_UNKNOWN: &str = "unknown";

pub fn decoded_bytes(n: usize) -> String {
    format!("  → {} bytes of text", crate::report::text::group(n))
}
