//! Every condition operator against the examples of AWS's IAM documentation ("IAM
//! JSON policy elements: Condition operators", "Condition with multiple context
//! keys or values", "Configure SAML assertions", "Passing session tags"), with the
//! request values that make each example hold and fail.

use serde_json::json;

use super::*;

const OKTA: &str = "arn:aws:iam::123456789012:saml-provider/Okta";

fn request(keys: &[(&str, &[&str])]) -> Request<'static> {
    let mut r = Request::default();
    for (k, v) in keys {
        r.set(k, v.iter().map(|s| (*s).to_owned()).collect());
    }
    r
}

fn cond(operator: &str, key: &str, values: &[&str]) -> Condition {
    Condition::new(
        operator.to_owned(),
        key.to_owned(),
        values.iter().map(|s| (*s).to_owned()).collect(),
    )
}

/// (operator, key, policy values, request values or None for absent, expected).
type Row = (
    &'static str,
    &'static str,
    &'static [&'static str],
    Option<&'static [&'static str]>,
    Option<bool>,
);

#[rustfmt::skip]
const TABLE: &[Row] = &[
    // String: StringEquals is exact and case-sensitive.
    ("StringEquals", "aws:PrincipalTag/job-category", &["iamuser-admin"], Some(&["iamuser-admin"]), Some(true)),
    ("StringEquals", "aws:PrincipalTag/job-category", &["iamuser-admin"], Some(&["IAMUser-Admin"]), Some(false)),
    ("StringEquals", "aws:PrincipalTag/job-category", &["iamuser-admin"], None, Some(false)),
    ("StringNotEquals", "aws:PrincipalTag/job-category", &["iamuser-admin"], Some(&["dev"]), Some(true)),
    ("StringNotEquals", "aws:PrincipalTag/job-category", &["iamuser-admin"], Some(&["iamuser-admin"]), Some(false)),
    // A negated operator holds when the key is absent.
    ("StringNotEquals", "aws:PrincipalTag/job-category", &["iamuser-admin"], None, Some(true)),
    ("StringEqualsIgnoreCase", "aws:PrincipalTag/job-category", &["IAMUser-Admin"], Some(&["iamuser-admin"]), Some(true)),
    ("StringNotEqualsIgnoreCase", "aws:PrincipalTag/job-category", &["IAMUser-Admin"], Some(&["iamuser-admin"]), Some(false)),
    // StringLike: `*` any run, `?` one character, case-sensitive.
    ("StringLike", "s3:prefix", &["", "home/", "home/*"], Some(&["home/jane"]), Some(true)),
    ("StringLike", "s3:prefix", &["", "home/", "home/*"], Some(&["Home/jane"]), Some(false)),
    ("StringLike", "SAML:sub", &["user-?"], Some(&["user-1"]), Some(true)),
    ("StringLike", "SAML:sub", &["user-?"], Some(&["user-12"]), Some(false)),
    ("StringNotLike", "SAML:sub", &["*@example.com"], Some(&["jane@example.org"]), Some(true)),
    // Policy variables in the values.
    ("StringLike", "s3:prefix", &["home/${aws:username}/*"], Some(&["home/jane/x"]), Some(true)),
    // Numeric.
    ("NumericLessThanEquals", "s3:max-keys", &["10"], Some(&["10"]), Some(true)),
    ("NumericLessThanEquals", "s3:max-keys", &["10"], Some(&["11"]), Some(false)),
    ("NumericLessThan", "s3:max-keys", &["10"], Some(&["10"]), Some(false)),
    ("NumericGreaterThan", "s3:max-keys", &["10"], Some(&["11"]), Some(true)),
    ("NumericGreaterThanEquals", "s3:max-keys", &["10"], Some(&["10"]), Some(true)),
    ("NumericEquals", "s3:max-keys", &["10"], Some(&["10.0"]), Some(true)),
    ("NumericNotEquals", "s3:max-keys", &["10"], Some(&["9"]), Some(true)),
    ("NumericEquals", "s3:max-keys", &["10"], Some(&["ten"]), Some(false)),
    // Date: ISO 8601 or epoch seconds.
    ("DateGreaterThan", "aws:TokenIssueTime", &["2020-01-01T00:00:01Z"], Some(&["2020-06-01T00:00:00Z"]), Some(true)),
    ("DateGreaterThan", "aws:TokenIssueTime", &["2020-01-01T00:00:01Z"], Some(&["2019-06-01T00:00:00Z"]), Some(false)),
    ("DateLessThan", "aws:CurrentTime", &["2019-07-16T12:00:00Z"], Some(&["2019-07-16T11:59:59Z"]), Some(true)),
    ("DateLessThanEquals", "aws:CurrentTime", &["2019-07-16T12:00:00Z"], Some(&["2019-07-16T12:00:00Z"]), Some(true)),
    ("DateGreaterThanEquals", "aws:EpochTime", &["1563278400"], Some(&["2019-07-16T12:00:00Z"]), Some(true)),
    ("DateEquals", "aws:CurrentTime", &["2019-07-16"], Some(&["2019-07-16T00:00:00Z"]), Some(true)),
    ("DateNotEquals", "aws:CurrentTime", &["2019-07-16"], Some(&["2019-07-17T00:00:00Z"]), Some(true)),
    // Bool.
    ("Bool", "aws:SecureTransport", &["true"], Some(&["true"]), Some(true)),
    ("Bool", "aws:SecureTransport", &["false"], Some(&["true"]), Some(false)),
    ("Bool", "aws:SecureTransport", &["false"], None, Some(false)),
    // Binary (base64 compared as given).
    ("BinaryEquals", "key", &["QmluYXJ5VmFsdWVJbkJhc2U2NA=="], Some(&["QmluYXJ5VmFsdWVJbkJhc2U2NA=="]), Some(true)),
    // ARN: six parts, each with wildcards.
    ("ArnEquals", "aws:SourceArn", &["arn:aws:sns:us-east-1:123456789012:TOPIC-ID"], Some(&["arn:aws:sns:us-east-1:123456789012:TOPIC-ID"]), Some(true)),
    ("ArnLike", "aws:SourceArn", &["arn:aws:iam::*:saml-provider/Okta"], Some(&["arn:aws:iam::123456789012:saml-provider/Okta"]), Some(true)),
    ("ArnLike", "aws:SourceArn", &["arn:aws:iam::*:saml-provider/Okta"], Some(&["arn:aws:iam::123456789012:saml-provider/okta"]), Some(false)),
    ("ArnNotLike", "aws:SourceArn", &["arn:aws:iam::*:saml-provider/Okta"], Some(&["arn:aws:iam::123456789012:saml-provider/Entra"]), Some(true)),
    ("ArnNotEquals", "aws:SourceArn", &["arn:aws:iam::*:saml-provider/Okta"], None, Some(true)),
    // ...IfExists: holds when the key is absent, else as the operator.
    ("StringLikeIfExists", "ec2:InstanceType", &["t1.*", "t2.*", "m3.*"], None, Some(true)),
    ("StringLikeIfExists", "ec2:InstanceType", &["t1.*", "t2.*", "m3.*"], Some(&["t2.micro"]), Some(true)),
    ("StringLikeIfExists", "ec2:InstanceType", &["t1.*", "t2.*", "m3.*"], Some(&["c5.large"]), Some(false)),
    ("StringEqualsIfExists", "sts:SourceIdentity", &["jane"], None, Some(true)),
    // Null: "true" wants the key absent, "false" present.
    ("Null", "aws:TokenIssueTime", &["true"], None, Some(true)),
    ("Null", "aws:TokenIssueTime", &["true"], Some(&["2020-01-01T00:00:00Z"]), Some(false)),
    ("Null", "aws:TokenIssueTime", &["false"], Some(&["2020-01-01T00:00:00Z"]), Some(true)),
    // Set operators over a multi-valued key (aws:TagKeys).
    ("ForAllValues:StringEquals", "aws:TagKeys", &["environment", "cost-center"], Some(&["environment"]), Some(true)),
    ("ForAllValues:StringEquals", "aws:TagKeys", &["environment", "cost-center"], Some(&["environment", "dept"]), Some(false)),
    ("ForAllValues:StringEquals", "aws:TagKeys", &["environment", "cost-center"], None, Some(true)),
    ("ForAnyValue:StringEquals", "aws:TagKeys", &["environment", "cost-center"], Some(&["environment", "dept"]), Some(true)),
    ("ForAnyValue:StringEquals", "aws:TagKeys", &["environment", "cost-center"], Some(&["dept"]), Some(false)),
    ("ForAnyValue:StringEquals", "aws:TagKeys", &["environment", "cost-center"], None, Some(false)),
    ("ForAnyValue:StringLike", "SAML:edupersonaffiliation", &["staff*"], Some(&["student", "staff"]), Some(true)),
    ("ForAllValues:StringNotEquals", "aws:TagKeys", &["secret"], Some(&["a", "b"]), Some(true)),
    ("ForAllValues:StringNotEquals", "aws:TagKeys", &["secret"], Some(&["a", "secret"]), Some(false)),
    ("ForAnyValue:StringEqualsIfExists", "aws:TagKeys", &["a"], None, Some(true)),
    // A negated operator without a set operator on a multi-valued key: no value
    // may match.
    ("StringNotEquals", "SAML:edupersonaffiliation", &["student"], Some(&["staff", "student"]), Some(false)),
    // An address or an unknown operator cannot be decided offline.
    ("StringEqualsCaseFolded", "SAML:sub", &["x"], Some(&["x"]), None),
];

#[test]
fn every_operator_as_aws_documents_it() {
    for (i, (op, key, values, actual, want)) in TABLE.iter().enumerate() {
        let mut r = request(&[("aws:username", &["jane"])]);
        if let Some(a) = actual {
            r.set(key, a.iter().map(|s| (*s).to_owned()).collect());
        }
        assert_eq!(
            cond(op, key, values).evaluate(&r),
            *want,
            "row {i}: {op} {key} {values:?} with {actual:?}"
        );
    }
}

#[test]
fn keys_are_case_insensitive_and_unknown_keys_are_unknown() {
    let r = request(&[("saml:aud", &["https://signin.aws.amazon.com/saml"])]);
    let c = cond(
        "StringEquals",
        "SAML:aud",
        &["https://signin.aws.amazon.com/saml"],
    );
    assert_eq!(c.evaluate(&r), Some(true));
    let mut r = Request::default();
    r.unknown.push("aws:sourceip".into());
    assert_eq!(
        cond("IpAddress", "aws:SourceIp", &["203.0.113.0/24"]).evaluate(&r),
        None
    );
}

#[test]
fn glob_is_linear_and_exact() {
    assert!(glob("*", "", false));
    assert!(glob("a*b*c", "aXXbYYc", false));
    assert!(!glob("a*b*c", "aXXbYY", false));
    assert!(glob("sts:Assume*", "sts:AssumeRoleWithSAML", false));
    assert!(glob(
        "STS:assumerolewithsaml",
        "sts:AssumeRoleWithSAML",
        true
    ));
    let long = "a".repeat(10_000);
    assert!(!glob(&"*a".repeat(50), &format!("{long}b"), false));
}

/// The trust policy IAM writes for a SAML provider (console "SAML 2.0 federation").
fn console_policy() -> serde_json::Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Federated": OKTA},
            "Action": "sts:AssumeRoleWithSAML",
            "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}
        }]
    })
}

#[test]
fn console_policy_allows_the_global_endpoint_only() {
    let p = Policy::parse(&console_policy()).unwrap();
    let global = request(&[("SAML:aud", &["https://signin.aws.amazon.com/saml"])]);
    assert_eq!(
        p.decide(OKTA, "sts:AssumeRoleWithSAML", &global),
        Decision::Allowed {
            statement: "#1".to_owned()
        }
    );
    let regional = request(&[(
        "SAML:aud",
        &["https://us-east-2.signin.aws.amazon.com/saml"],
    )]);
    let Decision::ConditionFailed(f) = p.decide(OKTA, "sts:AssumeRoleWithSAML", &regional) else {
        panic!("regional Recipient must fail the condition");
    };
    assert_eq!(f.key, "SAML:aud");
    assert_eq!(f.actual, ["https://us-east-2.signin.aws.amazon.com/saml"]);
    // Another provider, another action.
    assert_eq!(
        p.decide(
            "arn:aws:iam::123456789012:saml-provider/Entra",
            "sts:AssumeRoleWithSAML",
            &global
        ),
        Decision::NoStatement
    );
    assert_eq!(
        p.decide(OKTA, "sts:TagSession", &global),
        Decision::NoStatement
    );
}

#[test]
fn explicit_deny_wins_and_wildcards_match() {
    let p = Policy::parse(&json!({
        "Statement": [
            {"Sid": "AllowAll", "Effect": "Allow", "Principal": "*", "Action": ["sts:Assume*", "sts:TagSession"]},
            {"Sid": "NoContractors", "Effect": "Deny", "Principal": {"Federated": OKTA},
             "Action": "sts:*", "Condition": {"StringLike": {"SAML:sub": "*@contractor.example"}}}
        ]
    }))
    .unwrap();
    let staff = request(&[("SAML:sub", &["jane@example.com"])]);
    let contractor = request(&[("SAML:sub", &["bob@contractor.example"])]);
    assert!(matches!(
        p.decide(OKTA, "sts:AssumeRoleWithSAML", &staff),
        Decision::Allowed { .. }
    ));
    assert_eq!(
        p.decide(OKTA, "sts:AssumeRoleWithSAML", &contractor),
        Decision::Denied {
            statement: "NoContractors".to_owned()
        }
    );
}

#[test]
fn not_principal_and_not_action() {
    let p = Policy::parse(&json!({
        "Statement": {"Effect": "Allow", "NotPrincipal": {"Federated": "arn:aws:iam::123456789012:saml-provider/Other"},
                      "NotAction": "sts:TagSession"}
    }))
    .unwrap();
    let r = Request::default();
    assert!(matches!(
        p.decide(OKTA, "sts:AssumeRoleWithSAML", &r),
        Decision::Allowed { .. }
    ));
    assert_eq!(p.decide(OKTA, "sts:TagSession", &r), Decision::NoStatement);
}

#[test]
fn an_unknown_key_leaves_the_answer_unknown() {
    let p = Policy::parse(&json!({
        "Statement": {"Effect": "Allow", "Principal": {"Federated": OKTA}, "Action": "sts:AssumeRoleWithSAML",
                      "Condition": {"IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}}
    }))
    .unwrap();
    let mut r = Request::default();
    r.unknown.push("aws:sourceip".into());
    assert!(matches!(
        p.decide(OKTA, "sts:AssumeRoleWithSAML", &r),
        Decision::Unknown { .. }
    ));
}

#[test]
fn malformed_policies_are_named() {
    assert!(Policy::parse(&json!({"Version": "2012-10-17"})).is_err());
    let e = Policy::parse(
        &json!({"Statement": [{"Sid": "X", "Effect": "Maybe", "Principal": "*", "Action": "*"}]}),
    )
    .unwrap_err();
    assert!(e.contains("statement \"X\""), "{e}");
}

/// The byte path (ASCII) and the character path (anything else) match alike.
#[test]
fn glob_matches_ascii_and_non_ascii_alike() {
    for (pattern, text, ignore_case, want) in [
        (
            "arn:aws:iam::*:role/Adm?n",
            "arn:aws:iam::123456789012:role/Admin",
            false,
            true,
        ),
        ("sts:Assume*", "STS:ASSUMEROLEWITHSAML", true, true),
        ("sts:Assume*", "STS:ASSUMEROLEWITHSAML", false, false),
        (
            "jürgen*@example.com",
            "jürgen.müller@example.com",
            false,
            true,
        ),
        ("J?RGEN*", "jürgen", true, true),
        ("j?rgen*", "jrgen", false, false),
        ("*é", "café", false, true),
    ] {
        assert_eq!(glob(pattern, text, ignore_case), want, "{pattern} ~ {text}");
    }
}

proptest::proptest! {
    /// `*suffix` and `prefix*` answer as the general matcher does.
    #[test]
    fn one_star_shapes_match_as_the_general_matcher(
        fixed in "[a-cA-C@.]{0,6}",
        text in "[a-cA-C@.]{0,10}",
        leading in proptest::bool::ANY,
        ignore_case in proptest::bool::ANY,
    ) {
        let pattern = if leading { format!("*{fixed}") } else { format!("{fixed}*") };
        let eq = |a: u8, b: u8| if ignore_case { a.eq_ignore_ascii_case(&b) } else { a == b };
        let general = glob_units(pattern.as_bytes(), text.as_bytes(), eq, b'*', b'?');
        proptest::prop_assert_eq!(glob(&pattern, &text, ignore_case), general);
    }
}

/// `aws:CurrentTime`, `aws:EpochTime` and `aws:SecureTransport` come with a request
/// to STS, written out when a condition asks; a key set explicitly wins.
#[test]
fn the_request_time_answers_time_conditions() {
    let mut r = Request::default();
    assert_eq!(
        cond("DateLessThan", "aws:CurrentTime", &["2030-01-01T00:00:00Z"]).evaluate(&r),
        Some(false),
        "no time, no key"
    );
    r.now = Some("2026-01-15T10:00:00Z".parse().unwrap());
    for (operator, key, value, want) in [
        (
            "DateLessThan",
            "aws:CurrentTime",
            "2026-01-15T10:00:01Z",
            true,
        ),
        (
            "DateGreaterThan",
            "aws:currenttime",
            "2026-01-15T10:00:00Z",
            false,
        ),
        (
            "StringEquals",
            "aws:CurrentTime",
            "2026-01-15T10:00:00Z",
            true,
        ),
        ("NumericEquals", "aws:EpochTime", "1768471200", true),
        ("NumericLessThan", "AWS:EPOCHTIME", "1768471200", false),
        ("Bool", "aws:SecureTransport", "true", true),
    ] {
        assert_eq!(
            cond(operator, key, &[value]).evaluate(&r),
            Some(want),
            "{operator} {key}"
        );
    }
    r.set("aws:EpochTime", vec!["5".to_owned()]);
    assert_eq!(
        cond("NumericEquals", "aws:EpochTime", &["5"]).evaluate(&r),
        Some(true)
    );
}
