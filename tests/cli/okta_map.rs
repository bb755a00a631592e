use crate::common::cli;

/// Okta's documented default Group Filters and Role Value Pattern.
const HASH_FILTER: &str = r"^aws\#\S+\#(?{{role}}[\w\-]+)\#(?{{accountid}}\d+)$";
const UNDERSCORE_FILTER: &str = r"aws_(?{{accountid}}\d+)_(?{{role}}[a-zA-Z0-9+=,.@\-_]+)";
const PATTERN: &str =
    "arn:aws:iam::${accountid}:saml-provider/Okta,arn:aws:iam::${accountid}:role/${role}";

#[test]
fn hash_filter() {
    let r = cli(&[
        "okta-map",
        "--group-filter",
        HASH_FILTER,
        "--role-pattern",
        PATTERN,
        "aws#prod#Admin#123456789012",
        "aws#dev#ReadOnly#1234",
        "aws#sandbox#Dev.Ops#123456789012",
        "Everyone",
        "aws#prod#Admin#123456789012#old",
    ])
    .run();
    assert_eq!(r.code, 1, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn underscore_filter_with_context() {
    let r = cli(&[
        "okta-map",
        "--group-filter",
        UNDERSCORE_FILTER,
        "--role-pattern",
        PATTERN,
        "--provider-arn",
        "arn:aws:iam::123456789012:saml-provider/OktaProd",
        "aws_123456789012_Admin",
        "team-aws_123456789012_Admin",
        "aws_123456789012_AWSReservedSSO_Admin_0123456789abcdef",
        "engineering",
    ])
    .run();
    assert_eq!(r.code, 1);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn groups_from_stdin_as_json() {
    let r = cli(&[
        "okta-map",
        "--group-filter",
        UNDERSCORE_FILTER,
        "--role-pattern",
        PATTERN,
        "--groups-file",
        "-",
        "--format",
        "json",
    ])
    .stdin("aws_123456789012_Admin\r\n\nnope\n")
    .run();
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn pattern_needs_the_filter_captures() {
    let r = cli(&[
        "okta-map",
        "--group-filter",
        r"aws_(?{{role}}\w+)",
        "--role-pattern",
        PATTERN,
        "aws_Admin",
    ])
    .run();
    assert_eq!(r.code, 2);
    insta::assert_snapshot!(r.stderr);
}
