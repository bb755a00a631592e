use crate::lint::common;
use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "subject-confirmation-invalid",
    code: "SL0403",
    default_severity: Severity::Error,
    profiles: &[Profile::AwsIam, Profile::AwsIdentityCenter],
    summary: "More than one SubjectConfirmation, or the bearer one lacks its data, NotOnOrAfter or Recipient",
    aws_error: crate::lint::GENERIC_AWS_ERROR,
    fix_okta: "IdP: one bearer confirmation whose SubjectConfirmationData has NotOnOrAfter and Recipient = the ACS URL.",
    fix_idp: &[(
        IdpKind::Other,
        "Send one bearer confirmation whose SubjectConfirmationData has NotOnOrAfter and Recipient = the ACS URL.",
    )],
    fix_aws: "",
    explain: include_str!("../explain/subject-confirmation-invalid.md"),
    since: "0.1.0",
};

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(a) = cx.assertion else { return };
    let Some(subject) = &a.subject else { return };
    let err = common::generic_error(cx.profile);
    if let [_, second, ..] = subject.confirmations.as_slice() {
        out.push(
            Finding::new(
                &META,
                format!(
                    "the Subject has {} SubjectConfirmation elements; AWS expects exactly one",
                    subject.confirmations.len()
                ),
            )
            .at(
                common::start_tag(cx, second.node),
                "extra SubjectConfirmation",
            )
            .aws_error(err),
        );
    }
    let Some(bearer) = common::bearers(a).next() else {
        return;
    };
    let Some(data) = &bearer.data else {
        out.push(
            Finding::new(
                &META,
                "the bearer SubjectConfirmation has no SubjectConfirmationData; AWS needs one with NotOnOrAfter and Recipient",
            )
            .at(common::start_tag(cx, bearer.node), "no SubjectConfirmationData")
            .aws_error(err),
        );
        return;
    };
    let missing: Vec<&str> = [
        ("NotOnOrAfter", data.not_on_or_after.is_none()),
        ("Recipient", data.recipient.is_none()),
    ]
    .into_iter()
    .filter_map(|(n, m)| m.then_some(n))
    .collect();
    if !missing.is_empty() {
        out.push(
            Finding::new(
                &META,
                format!(
                    "the bearer SubjectConfirmationData has no {}; AWS needs NotOnOrAfter and Recipient",
                    missing.join(" and no ")
                ),
            )
            .at(common::start_tag(cx, data.node), format!("no {}", missing.join(", no ")))
            .aws_error(err),
        );
    }
}
