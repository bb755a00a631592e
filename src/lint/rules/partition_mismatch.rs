use crate::lint::aws::{self, Partition};
use crate::lint::context::Ctx;
use crate::lint::finding::Finding;
use crate::lint::idp::IdpKind;
use crate::lint::rule::{Profile, RuleMeta, Severity};
use crate::lint::{arn, common};
use crate::saml::{Value, aws as names};

pub(crate) static META: RuleMeta = RuleMeta {
    id: "partition-mismatch",
    code: "SL0502",
    default_severity: Severity::Error,
    profiles: &[Profile::AwsIam],
    summary: "Destination, Recipient, Audience and Role ARNs name different AWS partitions",
    aws_error: "Audience: Response does not contain the required audience.; ARNs: generic",
    fix_okta: "AWS Environment = the accounts' partition (GovCloud: ACS https://signin.amazonaws-us-gov.com/saml, audience urn:amazon:webservices:govcloud); ARNs with the matching prefix.",
    fix_idp: &[(
        IdpKind::Other,
        "Point the app at the accounts' partition (GovCloud: ACS https://signin.amazonaws-us-gov.com/saml, audience urn:amazon:webservices:govcloud) and send ARNs with the matching prefix.",
    )],
    fix_aws: "",
    explain: include_str!("../explain/partition-mismatch.md"),
    since: "0.1.0",
};

pub(crate) fn check(cx: &Ctx<'_>, out: &mut Vec<Finding>) {
    // The first value that names a partition, and the first after it naming another.
    let mut first: Option<(Partition, &'static str, &Value)> = None;
    let mut other: Option<(Partition, &'static str, &Value)> = None;
    let mut seen = |p: Partition, what: &'static str, v| match first {
        None => first = Some((p, what, v)),
        Some((f, _, _)) if p != f && other.is_none() => other = Some((p, what, v)),
        Some(_) => {}
    };
    let host_partition = |v: &Value| {
        aws::split_url(aws::trim_uri(&v.text)).and_then(|u| aws::iam_host_partition(u.host))
    };
    if let Some(d) = &cx.response.destination
        && let Some(p) = host_partition(d)
    {
        seen(p, "Destination", d);
    }
    if let Some(a) = cx.assertion {
        for b in common::bearers(a) {
            if let Some(r) = b.data.as_ref().and_then(|d| d.recipient.as_ref())
                && let Some(p) = host_partition(r)
            {
                seen(p, "Recipient", r);
            }
        }
        for r in a
            .conditions
            .iter()
            .flat_map(|c| c.audience_restrictions.iter())
        {
            for v in &r.audiences {
                if let Some(p) = aws::iam_audience_partition(&v.text) {
                    seen(p, "Audience", v);
                }
            }
        }
        for attr in a.attributes_named(names::ROLE) {
            for v in &attr.values {
                for part in v.value.text.split(',') {
                    let part = part.trim();
                    let p = arn::parse_role_arn(part)
                        .map(|r| r.partition)
                        .or_else(|| arn::parse_provider_arn(part).map(|p| p.partition))
                        // A malformed ARN (role-pair-malformed) still names its partition.
                        .or_else(|| arn::ArnFields::of(part).map(|f| f.partition))
                        .and_then(aws::partition_named);
                    if let Some(p) = p {
                        seen(p, "Role ARN", &v.value);
                    }
                }
            }
        }
    }
    let (Some((first, first_what, first_v)), Some((other, what, v))) = (first, other) else {
        return;
    };
    let err = if what == "Audience" || first_what == "Audience" {
        "Response does not contain the required audience."
    } else {
        common::IAM_GENERIC
    };
    out.push(
        Finding::new(
            &META,
            format!(
                "{what} '{}' is in partition {} but {first_what} '{}' is in partition {}; all must name the same partition",
                aws::trim_uri(&v.text),
                other.as_str(),
                aws::trim_uri(&first_v.text),
                first.as_str()
            ),
        )
        .at(v.span, format!("partition {}", other.as_str()))
        .related(first_v.span, format!("partition {}", first.as_str()))
        .aws_error(err),
    );
}
