use crate::lint::rule::{Profile, RuleMeta, Severity};

pub static META: RuleMeta = RuleMeta {
    id: "signature-untrusted",
    code: "SL0203",
    default_severity: Severity::Error,
    profiles: Profile::ALL,
    summary: "The signature verifies with a key that is in no trust entry",
    aws_error: "Response signature invalid (Service: AWSSecurityTokenService; Status Code: 400; Error Code: InvalidIdentityToken)",
    fix_okta: "Sign On → SAML Signing Certificates: download this app's IdP metadata (Active cert).",
    fix_aws: "aws iam update-saml-provider --saml-provider-arn ARN --saml-metadata-document file://metadata.xml; Identity Center: Settings → Identity source → Manage authentication.",
    explain: include_str!("../explain/signature-untrusted.md"),
    since: "0.1.0",
};
