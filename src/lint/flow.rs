//! The sign-in flow across the payloads of one input, in capture order (RULES.md
//! section 11): a Response is held against the AuthnRequest it answers.
//!
//! A Response is paired with the earlier AuthnRequest whose `ID` its `InResponseTo`
//! names (Response `InResponseTo`, else the bearer SubjectConfirmationData's); when
//! none matches, with the latest AuthnRequest before it, and `in-response-to-mismatch`
//! says so. A request on its own is never a finding.

use crate::lint::{Finding, rules};
use crate::report::{MessageKind, PayloadReport};
use crate::saml::request::RequestSummary;

const UNSPECIFIED: &str = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified";

/// Adds the section 11 findings to the Responses of `payloads` (one input, in order).
pub(crate) fn check(payloads: &mut [PayloadReport]) {
    let mut requests: Vec<(usize, RequestSummary)> = Vec::new();
    for p in payloads.iter_mut() {
        match p.kind {
            Some(MessageKind::Request) => {
                if let Some(r) = p.request.as_ref().filter(|r| r.kind == "AuthnRequest") {
                    requests.push((p.index, r.clone()));
                }
            }
            Some(MessageKind::Response) if p.is_saml => {
                let Some((index, request)) = requests.last() else {
                    continue;
                };
                let found = check_response(p, &requests, *index, request);
                p.findings.extend(found);
            }
            _ => {}
        }
    }
}

fn check_response(
    p: &PayloadReport,
    requests: &[(usize, RequestSummary)],
    latest_index: usize,
    latest: &RequestSummary,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let Some(summary) = &p.summary else {
        return out;
    };
    let irt = summary.in_response_to.as_deref();
    let paired = irt.and_then(|irt| {
        requests
            .iter()
            .rev()
            .find(|(_, r)| r.id.as_deref() == Some(irt))
    });
    let (index, request) = if let Some((i, r)) = paired {
        (*i, r)
    } else {
        let id = latest.id.as_deref().unwrap_or("(no ID)");
        let message = match irt {
            None => format!(
                "payload #{latest_index} is an AuthnRequest (ID {id}) sent before this \
                 Response, but the Response has no InResponseTo: the IdP answered as if \
                 the sign-in were IdP-initiated"
            ),
            Some(irt) => format!(
                "the Response answers InResponseTo {irt}, but the AuthnRequest sent before \
                 it (payload #{latest_index}) has ID {id}"
            ),
        };
        out.push(Finding::new(&rules::in_response_to_mismatch::META, message));
        (latest_index, latest)
    };
    if let Some(acs) = request.acs_url.as_deref() {
        let sent_to = [
            ("Destination", summary.destination.as_deref()),
            ("bearer Recipient", summary.recipient.as_deref()),
        ];
        if let Some((what, value)) = sent_to
            .iter()
            .find_map(|(w, v)| v.filter(|v| *v != acs).map(|v| (w, v)))
        {
            out.push(Finding::new(
                &rules::request_acs_mismatch::META,
                format!(
                    "the AuthnRequest (payload #{index}) asks for the Response at {acs} \
                     (AssertionConsumerServiceURL), but its {what} is {value}"
                ),
            ));
        }
    }
    if let Some(format) = request
        .nameid_format
        .as_deref()
        .filter(|f| *f != UNSPECIFIED)
    {
        let got = summary.subject_format.as_deref();
        if got != Some(format) {
            out.push(Finding::new(
                &rules::request_nameid_policy_unmet::META,
                format!(
                    "the AuthnRequest (payload #{index}) asks for NameID format {format} \
                     (NameIDPolicy), but the Response's NameID {}",
                    got.map_or_else(
                        || "has no Format (unspecified)".to_owned(),
                        |g| format!("has Format {g}")
                    )
                ),
            ));
        }
    }
    out
}
