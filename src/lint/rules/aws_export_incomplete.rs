//! `aws-export-incomplete` (SL1008). Decided by the AWS simulation (`--aws`, `aws::simulate`).

use crate::lint::rule::{Profile, RuleMeta, Severity};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "aws-export-incomplete",
    code: "SL1008",
    default_severity: Severity::Info,
    profiles: &[Profile::AwsIam, Profile::AwsIdentityCenter],
    summary: "The AWS export lacks something a decision could use",
    aws_error: "—",
    fix_okta: "",
    fix_idp: &[],
    fix_aws: "Add the named export.",
    explain: include_str!("../explain/aws-export-incomplete.md"),
    since: "0.2.0",
};
