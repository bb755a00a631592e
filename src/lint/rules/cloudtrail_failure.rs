//! `cloudtrail-failure` (SL1009). Decided from the CloudTrail events of `--aws`, matched in `aws`.

use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "cloudtrail-failure",
    code: "SL1009",
    default_severity: Severity::Error,
    profiles: &[Profile::AwsIam, Profile::AwsIdentityCenter],
    summary: "A failed AssumeRoleWithSAML or ExternalIdPDirectoryLogin event in CloudTrail matches this capture",
    aws_error: "the event's errorMessage (quoted in the finding)",
    fix_okta: "",
    fix_idp: &[],
    fix_aws: "Apply the explaining rule's fix.",
    explain: include_str!("../explain/cloudtrail-failure.md"),
    since: "0.2.0",
};
