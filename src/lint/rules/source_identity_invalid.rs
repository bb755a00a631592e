use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};
use crate::lint::session_name;
use crate::saml::aws as names;

pub(crate) static META: RuleMeta = RuleMeta {
    id: "source-identity-invalid",
    code: "SL0707",
    default_severity: Severity::Error,
    profiles: &[Profile::AwsIam],
    summary: "SourceIdentity does not match [a-zA-Z_0-9+=,.@-]{2,64} or begins with aws:",
    aws_error: "Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with \"aws:\" (Service: AWSSecurityTokenService; Status Code: 400; Error Code: InvalidIdentityToken)",
    fix_okta: "Map SourceIdentity to a login or email without spaces.",
    fix_idp: &[(
        IdpKind::Other,
        "Map SourceIdentity to a login or email without spaces.",
    )],
    fix_aws: "",
    explain: include_str!("../explain/source-identity-invalid.md"),
    since: "0.1.0",
};

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(a) = cx.assertion else { return };
    for attr in a.attributes_named(names::SOURCE_IDENTITY) {
        for v in &attr.values {
            let t = &v.value.text;
            let why = if t.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:")) {
                Some("begins with the reserved prefix aws:".to_owned())
            } else {
                session_name::problem(t)
            };
            if let Some(why) = why {
                out.push(
                    Finding::new(
                        &META,
                        format!(
                            "SourceIdentity {t:?} {why}; AWS expects [a-zA-Z_0-9+=,.@-]{{2,64}} not beginning with aws:"
                        ),
                    )
                    .at(v.value.span, "invalid SourceIdentity"),
                );
            }
        }
    }
}
