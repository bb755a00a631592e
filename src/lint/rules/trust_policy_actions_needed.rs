use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::rule::{Profile, RuleMeta, Severity};
use crate::saml::aws as names;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "trust-policy-actions-needed",
    code: "SL0710",
    default_severity: Severity::Info,
    profiles: &[Profile::AwsIam],
    summary: "Session tags or SourceIdentity need sts:TagSession / sts:SetSourceIdentity in each role trust policy",
    aws_error: "if not allowed: `Not authorized to perform sts:AssumeRoleWithSAML (Service: AWSSecurityTokenService; Status Code: 403; Error Code: AccessDenied)`",
    fix_okta: "",
    fix_idp: &[],
    fix_aws: "Allow sts:TagSession and/or sts:SetSourceIdentity beside sts:AssumeRoleWithSAML in every role trusted by this provider.",
    explain: include_str!("../explain/trust-policy-actions-needed.md"),
    since: "0.1.0",
};

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(a) = cx.assertion else { return };
    let tag = a.attributes.iter().find_map(|attr| {
        attr.name
            .as_ref()
            .filter(|n| n.text.starts_with(names::PRINCIPAL_TAG_PREFIX))
    });
    if let Some(n) = tag {
        out.push(
            Finding::new(
                &META,
                format!(
                    "{} is a session tag: each role's trust policy must also allow sts:TagSession",
                    n.text
                ),
            )
            .at(n.span, "needs sts:TagSession"),
        );
    }
    if let Some(n) = a
        .attributes_named(names::SOURCE_IDENTITY)
        .next()
        .and_then(|at| at.name.as_ref())
    {
        out.push(
            Finding::new(
                &META,
                "SourceIdentity is set: each role's trust policy must also allow sts:SetSourceIdentity",
            )
            .at(n.span, "needs sts:SetSourceIdentity"),
        );
    }
}
