use crate::lint::common;
use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "multiple-assertions",
    code: "SL0305",
    default_severity: Severity::Error,
    profiles: Profile::ALL,
    summary: "The Response carries more than one assertion",
    aws_error: crate::lint::GENERIC_AWS_ERROR,
    fix_okta: "Okta sends one assertion; look for tampering or a proxy merging responses.",
    fix_idp: &[(
        IdpKind::Other,
        "Mainstream IdPs send one assertion; look for tampering or a proxy merging responses.",
    )],
    fix_aws: "",
    explain: include_str!("../explain/multiple-assertions.md"),
    since: "0.1.0",
};

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let r = cx.response;
    if r.assertions.len() + r.encrypted_assertions.len() < 2 {
        return;
    }
    let mut all: Vec<_> = r
        .assertions
        .iter()
        .chain(r.encrypted_assertions.iter())
        .copied()
        .collect();
    all.sort_by_key(|n| cx.doc.span(*n).start);
    let mut f = Finding::new(
        &META,
        format!(
            "the Response has {} assertions ({} Assertion, {} EncryptedAssertion); AWS expects exactly one",
            all.len(),
            r.assertions.len(),
            r.encrypted_assertions.len()
        ),
    );
    if let Some(second) = all.get(1) {
        f = f.at(common::start_tag(cx, *second), "extra assertion");
    }
    if let Some(first) = all.first() {
        f = f.related(common::start_tag(cx, *first), "first assertion");
    }
    let err = if cx.profile == Profile::AwsIdentityCenter {
        "An unexpected error has occurred (IAM Identity Center supports only one assertion per response)"
    } else {
        common::generic_error(cx.profile)
    };
    out.push(f.aws_error(err));
}
