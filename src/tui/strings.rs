//! Every piece of text the terminal UI shows, in one place.

pub(crate) const APP_TITLE: &str = "samlint";
pub(crate) const PAYLOADS_TITLE: &str = "Payloads";
pub(crate) const FILTER_PROMPT: &str = "/";
pub(crate) const FILTER_NO_MATCH: &str = "No payload matches the filter.";
/// The empty list, with the paste key (`p` unless remapped).
pub(crate) fn no_payloads(paste_key: Option<&str>) -> String {
    match paste_key {
        Some(k) => format!("No payloads yet. Press {k} to paste a SAMLResponse."),
        None => "No payloads yet. Paste a SAMLResponse into the terminal.".to_owned(),
    }
}
pub(crate) const LOADING: &str = "checking…";

pub(crate) const TAB_SUMMARY: &str = "Summary";
pub(crate) const TAB_FINDINGS: &str = "Findings";
pub(crate) const TAB_XML: &str = "XML";
pub(crate) const TAB_SIGNATURE: &str = "Signature";
pub(crate) const TAB_RAW: &str = "Raw";

pub(crate) const BADGE_OK: &str = " OK ";
/// Marks a SAMLRequest in the payload list (a response is unmarked).
pub(crate) const LIST_REQUEST: &str = "request ";
pub(crate) const BADGE_WARN: &str = "WARN";
pub(crate) const BADGE_FAIL: &str = "FAIL";
pub(crate) const BADGE_ERROR: &str = "ERR ";

pub(crate) const NOTHING_SELECTED: &str = "Nothing selected.";
pub(crate) const NOT_SAML: &str = "This payload is not a SAML Response: see Findings and Raw.";

// Summary.
pub(crate) const VERDICT_OK: &str = "AWS should accept this sign-in: no problems found.";
pub(crate) const VERDICT_WARN: &str = "AWS should accept this sign-in, with warnings.";
pub(crate) const VERDICT_FAIL: &str = "AWS will reject this sign-in.";
pub(crate) const VERDICT_UNREADABLE: &str = "This input could not be read.";
pub(crate) const ISSUER: &str = "Issuer";
/// The IdP the fixes speak of ("the IdP" when not recognised).
pub(crate) const IDP: &str = "IdP";
pub(crate) const SUBJECT: &str = "Subject";
pub(crate) const PROFILE: &str = "Profile";
pub(crate) const AUDIENCE: &str = "Audience";
pub(crate) const SESSION_NAME: &str = "Session name";
pub(crate) const SESSION_DURATION: &str = "Duration";
pub(crate) const VALID: &str = "Valid";
pub(crate) const CHECKED_AT: &str = "Checked at";
/// After the clock key: `c: use the clock`.
pub(crate) const CAPTURE_TO_CLOCK: &str = ": use the clock";
pub(crate) const CLOCK_TO_CAPTURE: &str = ": use capture time";
pub(crate) const SIGNATURE: &str = "Signature";
pub(crate) const ROLES: &str = "Roles";
pub(crate) const ROLE_ACCOUNT: &str = "Account";
pub(crate) const ROLE_NAME: &str = "Role";
pub(crate) const ROLE_PROVIDER: &str = "Provider";
pub(crate) const ROLE_AWS: &str = "AWS";
pub(crate) const CONTEXT_KEYS_TITLE: &str = "SAML context keys";
/// After the context keys' key: `a: the SAML context keys STS will see`.
pub(crate) const CONTEXT_KEYS_HINT: &str = ": the SAML context keys STS will see";
pub(crate) const CONTEXT_KEYS_NO_AWS: &str = "Computed with --aws (an account export).";
pub(crate) const NO_ROLES: &str = "(no Role attribute)";
pub(crate) const ROLE_MALFORMED: &str = "✗ malformed";
pub(crate) const NOT_USED_BY_IC: &str = "not used by Identity Center";
pub(crate) const MISSING: &str = "—";

// Signature verdicts in words.
pub(crate) const SIG_NOT_CHECKED: &str = "not checked (no verifier ran)";
pub(crate) const SIG_VALID: &str = "valid: signed by a trusted key";
pub(crate) const SIG_UNTRUSTED: &str = "verifies, but the key is not trusted";
pub(crate) const SIG_INVALID: &str = "INVALID: digest or signature does not match";
pub(crate) const SIG_WRAPPED: &str = "WRAPPED: the signed element is not the one AWS reads";
pub(crate) const SIG_UNSIGNED: &str = "unsigned";
pub(crate) const SIG_ERROR: &str = "could not be evaluated";

// Findings.
pub(crate) const NO_FINDINGS: &str = "No findings.";
pub(crate) const AWS_ERROR: &str = "AWS error";
/// Followed by the IdP the fix speaks of: "Fix (AD FS)".
pub(crate) const FIX: &str = "Fix";
pub(crate) const FIX_CAPTURE: &str = "Fix (capture)";
pub(crate) const FIX_AWS: &str = "Fix (AWS)";
pub(crate) const LOCATION: &str = "Location";
pub(crate) const NO_LOCATION: &str = "this finding has no place in the XML to show";

// XML.
pub(crate) const NO_XML: &str = "No XML: the payload did not decode to a parseable document.";
pub(crate) const SEARCH_PROMPT: &str = "/";
pub(crate) const NO_MATCH: &str = "no match";
/// The last column of a line cut at the right edge.
pub(crate) const CUT: &str = "›";
/// Gutter marks: an element that folds, one folded, a wrapped line's next rows.
pub(crate) const FOLD_OPEN: &str = "▾";
pub(crate) const FOLD_CLOSED: &str = "▸";
pub(crate) const CONTINUED: &str = "↳";

/// After a folded element's opening line, before its closing tag: how many lines
/// the fold hides (those between the two).
pub(crate) fn folded_lines(n: usize) -> String {
    let plural = if n == 1 { "" } else { "s" };
    format!(" … {n} line{plural} … ")
}

// Signature tab.
pub(crate) const SIG_FROM_XML: &str = "As declared in the XML (not verified):";
pub(crate) const SIG_NONE_IN_XML: &str = "The document carries no ds:Signature.";
pub(crate) const SIG_STATUS: &str = "Status";
pub(crate) const SIG_ENGINE: &str = "Engine";

// Raw.
pub(crate) const RAW_ORIGIN: &str = "Origin";
pub(crate) const RAW_ENTRY: &str = "Entry";
pub(crate) const RAW_REQUEST: &str = "Request";
pub(crate) const RAW_CAPTURED: &str = "Captured at";
pub(crate) const RAW_BINDING: &str = "Binding";
pub(crate) const RAW_STEPS: &str = "Decode steps";
pub(crate) const RAW_NOTES: &str = "Notes";
pub(crate) const RAW_TEXT: &str = "Decoded text";
pub(crate) const RAW_AS_GIVEN: &str = "used as given (no decoding needed)";
pub(crate) const RAW_NOT_DECODED: &str = "not decoded: see Findings for why";

// Overlays.
pub(crate) const HELP_TITLE: &str = "Keys";

/// The help overlay's title, with the key that closes it.
pub(crate) fn help_title(close_key: Option<&str>) -> String {
    match close_key {
        Some(k) => format!("{HELP_TITLE} ({k} closes)"),
        None => HELP_TITLE.to_owned(),
    }
}

/// The paste box's last line, with its (fixed) keys.
pub(crate) fn paste_hint(submit: &str, cancel: &str) -> String {
    format!("{submit} submits · {cancel} cancels")
}
pub(crate) const PASTE_TITLE: &str = " Paste a SAMLResponse: base64, form body, URL or XML ";
pub(crate) const PASTE_SOURCE: &str = "paste";
pub(crate) const PROXY_SOURCE: &str = "proxy";
pub(crate) const COPIED: &str = "copied to the clipboard";

// Key command descriptions (the footer and the help overlay are built from these).
pub(crate) const CMD_QUIT: &str = "quit";
pub(crate) const CMD_NEXT_FAILING: &str = "next/previous failing";
pub(crate) const CMD_DELETE_PASTE: &str = "delete a paste";
pub(crate) const CMD_CLOCK: &str = "capture time / clock";
pub(crate) const CMD_HELP: &str = "help";
pub(crate) const CMD_PASTE: &str = "paste";
pub(crate) const CMD_TABS: &str = "next/previous tab";
pub(crate) const CMD_TAB_N: &str = "go to tab";
pub(crate) const CMD_FOCUS: &str = "focus list / panel";
pub(crate) const CMD_MOVE: &str = "move";
pub(crate) const CMD_PAGE: &str = "page up/down";
pub(crate) const CMD_SCROLL_DETAIL: &str = "scroll the detail";
pub(crate) const CMD_TOP_BOTTOM: &str = "first/last";
pub(crate) const CMD_COPY: &str = "copy value";
pub(crate) const CMD_JUMP: &str = "show in XML";
pub(crate) const CMD_SEARCH: &str = "search";
pub(crate) const CMD_CONTEXT_KEYS: &str = "context keys (--aws)";
pub(crate) const CMD_FILTER: &str = "filter the list";
pub(crate) const CMD_FILTER_KEEP: &str = "keep the filter";
pub(crate) const CMD_FILTER_CLEAR: &str = "clear the filter";
pub(crate) const CMD_NEXT_MATCH: &str = "next/previous match";
pub(crate) const CMD_FOLD: &str = "fold/unfold element";
pub(crate) const CMD_UNFOLD_ALL: &str = "unfold all";
pub(crate) const CMD_HSCROLL: &str = "scroll left/right";
pub(crate) const CMD_WRAP: &str = "wrap long lines";
pub(crate) const CMD_CLOSE: &str = "close";
pub(crate) const CMD_CANCEL: &str = "cancel";
pub(crate) const CMD_SUBMIT: &str = "submit";
pub(crate) const CMD_INTERRUPT: &str = "quit (typing: cancel)";
pub(crate) const CMD_TYPING_DONE: &str = "keep / submit";
pub(crate) const CMD_TYPING_MOVE: &str = "move in the list";
pub(crate) const CMD_TYPING_DELETE: &str = "delete a character";
pub(crate) const CMD_OPEN: &str = "focus the tab";
pub(crate) const CMD_CLEAR_SEARCH: &str = "clear the search";
pub(crate) const CMD_SEARCH_KEEP: &str = "keep the search";
pub(crate) const CMD_CLEAR_TEXT: &str = "clear the text";

// The help overlay's groups (with the panels' titles).
pub(crate) const HELP_GLOBAL: &str = "Global";
/// The filter, the XML search and the paste box.
pub(crate) const HELP_TYPING: &str = "Typing (filter, search, paste)";
pub(crate) const HELP_OVERLAY: &str = "Help";

// Summary, with values.
pub(crate) fn verdict_fail(errors: usize) -> String {
    let plural = if errors == 1 { "" } else { "s" };
    format!("{VERDICT_FAIL} {errors} error{plural}.")
}

pub(crate) fn more_in_findings(n: usize) -> String {
    format!("  … {n} more in Findings")
}

pub(crate) fn not_yet_valid(wait: &str) -> String {
    format!("not valid yet, starts in {wait}")
}

pub(crate) fn expired_ago(ago: &str) -> String {
    format!("expired {ago} ago")
}

pub(crate) fn expires_in(left: &str) -> String {
    format!("expires in {left}")
}

pub(crate) fn xml_tab_line(line: usize) -> String {
    format!(", XML tab line {line}")
}

// Signature tab labels.
pub(crate) const CHECK_OK: &str = "ok";
pub(crate) const CHECK_FAILED: &str = "FAILED";
pub(crate) const CHECK_NOT_EVALUATED: &str = "not evaluated";
pub(crate) const SIG_ID: &str = "ID";
pub(crate) const SIG_PATH: &str = "Path";
pub(crate) const SIG_ALGORITHM: &str = "Algorithm";
pub(crate) const SIG_C14N: &str = "C14N";
pub(crate) const SIG_DIGEST_METHOD: &str = "Digest method";
pub(crate) const SIG_DIGEST: &str = "Digest";
pub(crate) const SIG_SIGNATURE: &str = "Signature";
pub(crate) const SIG_TRUSTED_KEY: &str = "Trusted key";
pub(crate) const SIG_TRUST_ENTRY: &str = "Trust entry";
pub(crate) const SIG_PARENT_ID: &str = "Parent ID";
pub(crate) const SIG_REFERENCE_URI: &str = "Reference URI";
pub(crate) const SIG_CERTIFICATE: &str = "Certificate";
pub(crate) const CERT_SUBJECT: &str = "Cert subject";
pub(crate) const CERT_ISSUER: &str = "Cert issuer";
pub(crate) const CERT_SERIAL: &str = "Cert serial";
pub(crate) const CERT_NOT_BEFORE: &str = "Not before";
pub(crate) const CERT_NOT_AFTER: &str = "Not after";
pub(crate) const CERT_SHA256: &str = "SHA-256";
pub(crate) const CERT_EMBEDDED: &str = "embedded in KeyInfo (never trusted by itself)";
pub(crate) const CERT_NONE: &str = "none in KeyInfo";

pub(crate) fn signature_covers(n: usize, covers: &str) -> String {
    format!("#{n} covers {covers}")
}

pub(crate) fn signature_in(n: usize, parent: &str) -> String {
    format!("#{n} in {parent}")
}

// Raw tab.
pub(crate) const STEP_URL: &str = "percent-decoded (URL / form encoding)";
pub(crate) const STEP_BASE64: &str = "base64-decoded";
pub(crate) const STEP_INFLATE: &str = "inflated (raw DEFLATE, HTTP-Redirect binding)";
pub(crate) const STEP_UTF8: &str = "read as UTF-8";
pub(crate) const ORIGIN_FILE: &str = "file";
pub(crate) const ORIGIN_STDIN: &str = "stdin";
pub(crate) const ORIGIN_HAR: &str = "HAR entry";
pub(crate) const ORIGIN_TRACER: &str = "SAML-tracer request";
pub(crate) const ORIGIN_PROXY: &str = "proxy capture";
pub(crate) const ORIGIN_PASTE: &str = "paste";
pub(crate) const BINDING_POST: &str = "HTTP-POST";
pub(crate) const BINDING_REDIRECT: &str = "HTTP-Redirect";
pub(crate) const BINDING_UNKNOWN: &str = "unknown";

pub(crate) fn decoded_bytes(n: usize) -> String {
    format!("  → {} bytes of text", crate::report::text::group(n))
}
