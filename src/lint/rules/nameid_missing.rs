use crate::lint::common;
use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "nameid-missing",
    code: "SL0401",
    default_severity: Severity::Error,
    profiles: &[Profile::AwsIam, Profile::AwsIdentityCenter],
    summary: "The assertion has no Subject NameID, or it is empty",
    aws_error: "Not authorized to perform sts:AssumeRoleWithSAML (Service: AWSSecurityTokenService; Status Code: 403; Error Code: AccessDenied)",
    fix_okta: "Sign On -> Credentials Details -> Application username format (custom app: Name ID format and Application username) must give a value.",
    fix_idp: &[
        (
            IdpKind::Other,
            "Configure the NameID (name identifier) of the AWS app so it always has a value for this user.",
        ),
        (
            IdpKind::Entra,
            "Attributes & Claims: Unique User Identifier (Name ID) must map to a source the user has (user.userprincipalname).",
        ),
        (
            IdpKind::Adfs,
            "Edit Claim Issuance Policy: a rule issuing Name ID (Transform an Incoming Claim, Windows account name -> Name ID, Persistent Identifier).",
        ),
        (
            IdpKind::Google,
            "The AWS SAML app -> Service provider details: Name ID = Basic Information > Primary email.",
        ),
        (
            IdpKind::Keycloak,
            "The AWS client: Name ID format, and a mapper or user property that gives it a value.",
        ),
    ],
    fix_aws: "",
    explain: include_str!("../explain/nameid-missing.md"),
    since: "0.1.0",
};

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let Some(a) = cx.assertion else { return };
    let err = match cx.profile {
        Profile::AwsIdentityCenter => common::IC_GENERIC,
        _ => META.aws_error,
    };
    let f = match &a.subject {
        None => Finding::new(&META, "the assertion has no Subject; AWS needs a Subject with a NameID")
            .at(common::start_tag(cx, a.node), "no Subject"),
        Some(s) => match &s.name_id {
            None => Finding::new(
                &META,
                "the Subject has no NameID (BaseID or EncryptedID do not count); AWS needs a NameID",
            )
            .at(common::start_tag(cx, s.node), "no NameID"),
            Some(n) if n.value.text.trim().is_empty() => Finding::new(
                &META,
                "the NameID is empty; AWS needs the user's name in it",
            )
            .at(n.value.span, "empty NameID"),
            Some(_) => return,
        },
    };
    out.push(f.aws_error(err));
}
