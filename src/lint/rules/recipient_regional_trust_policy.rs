use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};
use crate::lint::{aws, common};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "recipient-regional-trust-policy",
    code: "SL0405",
    default_severity: Severity::Warning,
    profiles: &[Profile::AwsIam],
    summary: "The Recipient is a regional or provider-specific ACS URL the console's default trust policy does not allow",
    aws_error: "Not authorized to perform sts:AssumeRoleWithSAML (Service: AWSSecurityTokenService; Status Code: 403; Error Code: AccessDenied) unless each role's trust policy lists this URL in SAML:aud",
    fix_okta: "Or use the global ACS URL https://signin.aws.amazon.com/saml.",
    fix_idp: &[(
        IdpKind::Other,
        "Or use the global ACS URL https://signin.aws.amazon.com/saml.",
    )],
    fix_aws: "List the URL in each role's trust policy: \"StringEquals\": {\"SAML:aud\": [\"https://signin.aws.amazon.com/saml\", \"https://us-east-2.signin.aws.amazon.com/saml\"]}.",
    explain: include_str!("../explain/recipient-regional-trust-policy.md"),
    since: "0.1.0",
};

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(a) = cx.assertion else { return };
    for bearer in common::bearers(a) {
        let Some(r) = bearer.data.as_ref().and_then(|d| d.recipient.as_ref()) else {
            continue;
        };
        let Some(p) = aws::iam_acs_partition(&r.text) else {
            continue;
        };
        if !aws::is_global_acs(p, &r.text) {
            let global = aws::global_acs(p);
            out.push(
                Finding::new(
                    &META,
                    format!(
                        "Recipient is '{}', so SAML:aud is that URL, but the default role trust policy allows only SAML:aud = {global}",
                        aws::trim_uri(&r.text)
                    ),
                )
                .at(r.span, "SAML:aud value"),
            );
        }
    }
}
