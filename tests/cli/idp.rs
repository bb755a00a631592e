//! The IdP-side fix speaks the payload's IdP; edges seen in field captures.

use serde_json::Value;

use crate::common::{check_json, cli, findings_of};

fn finding(doc: &Value, rule: &str) -> Value {
    findings_of(&doc["inputs"][0])
        .into_iter()
        .find(|f| f["rule"] == rule)
        .unwrap_or_else(|| panic!("no {rule} finding in {doc}"))
}

#[test]
fn explain_shows_every_idp_or_the_one_asked_for() {
    let all = cli(&["explain", "signature-weak-algorithm"]).run();
    assert_eq!(all.code, 0);
    for who in [
        "- Okta:",
        "- Microsoft Entra ID:",
        "- AD FS:",
        "- Any other IdP:",
    ] {
        assert!(all.stdout.contains(who), "{who} missing:\n{}", all.stdout);
    }
    assert!(all.stdout.contains("## IdP documentation"));

    let adfs = cli(&["explain", "SL0205", "--idp", "adfs"]).run();
    assert_eq!(adfs.code, 0);
    assert!(
        adfs.stdout
            .contains("## Fix at the IdP (AD FS)\nSet-AdfsRelyingPartyTrust")
    );
    assert!(!adfs.stdout.contains("- Okta:"), "{}", adfs.stdout);

    // An IdP without its own text gets the generic one, and is told so.
    let netiq = cli(&["explain", "signature-weak-algorithm", "--idp", "netiq"]).run();
    assert!(
        netiq
            .stdout
            .contains("No text written for NetIQ Access Manager yet; the generic one:")
    );

    // A rule whose fix is not at the IdP says so.
    let none = cli(&["explain", "trust-not-given", "--idp", "entra"]).run();
    assert!(
        none.stdout
            .contains("Nothing to change at the IdP for this rule.")
    );
}

#[test]
fn explain_json_names_the_idp_of_the_text() {
    let r = cli(&[
        "explain",
        "role-missing",
        "--idp",
        "google",
        "--format",
        "json",
    ])
    .run();
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["fix"]["idp_name"], "Google Workspace");
    assert!(
        doc["fix"]["idp"]
            .as_str()
            .unwrap()
            .contains("Amazon > Role")
    );
    assert!(doc["fix"]["by_idp"]["okta"].is_string());
    assert!(doc["fix"]["by_idp"]["other"].is_string());
}

#[test]
fn a_non_okta_issuer_never_gets_okta_text() {
    let (_, doc) = check_json(&[
        "--now",
        "issue-instant",
        "tests/fixtures/field/cases/passport-saml-onelogin-crlf.b64",
    ]);
    let p = &doc["inputs"][0]["payloads"][0];
    assert_eq!(p["idp"]["id"], "onelogin");
    assert_eq!(
        p["idp"]["reason"],
        "Issuer https://app.onelogin.com/saml/metadata/371755"
    );
    for f in findings_of(&doc["inputs"][0]) {
        let text = f["fix"]["idp"].as_str().unwrap_or_default();
        assert!(!text.contains("Okta"), "{}: {text}", f["rule"]);
    }
    let weak = finding(&doc, "signature-weak-algorithm");
    assert_eq!(weak["fix"]["idp_name"], "OneLogin");
}

#[test]
fn the_text_report_names_the_idp_and_labels_its_fix() {
    let r = cli(&[
        "check",
        "--now",
        "issue-instant",
        "tests/fixtures/field/cases/passport-saml-onelogin-crlf.b64",
    ])
    .run();
    assert!(
        r.stdout
            .contains("idp        OneLogin (Issuer https://app.onelogin.com/saml/metadata/371755)")
    );
    assert!(r.stdout.contains("= fix (OneLogin): "), "{}", r.stdout);
    assert!(!r.stdout.contains("fix (Okta)"));
}

#[test]
fn issue_instant_falls_back_to_the_assertion_when_the_response_has_none() {
    let (_, doc) = check_json(&[
        "--now",
        "issue-instant",
        "tests/fixtures/rules/time-format-invalid/fail-no-issue-instant.xml",
    ]);
    let p = &doc["inputs"][0]["payloads"][0];
    assert_eq!(
        p["now"]["source"],
        "assertion IssueInstant; the Response has none"
    );
    assert_eq!(p["now"]["time"], "2026-01-15T09:59:30.123Z");
    let rules: Vec<&str> = p["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(rules.contains(&"time-format-invalid"), "{rules:?}");
    assert!(!rules.contains(&"assertion-expired"), "{rules:?}");
}

#[test]
fn the_role_max_fix_suggests_the_value_sent() {
    let (_, doc) = check_json(&[
        "--now",
        "2026-01-15T10:00:00Z",
        "tests/fixtures/rules/session-duration-over-role-max/fail-over-default-max.xml",
    ]);
    let f = finding(&doc, "session-duration-over-role-max");
    let aws = f["fix"]["aws"].as_str().unwrap();
    assert!(aws.contains("--max-session-duration 28800"), "{aws}");
    assert!(!aws.contains("43200"), "{aws}");
}

#[test]
fn a_capture_problem_has_a_capture_fix_and_no_aws_error() {
    for file in [
        "samples/broken/empty.txt",
        "samples/broken/not-json.har",
        "samples/broken/truncated.b64",
    ] {
        let (_, doc) = check_json(&[file]);
        let f = finding(&doc, "input-not-saml");
        assert!(
            f["aws_error"].as_str().unwrap().starts_with("none:"),
            "{file}: {f}"
        );
        assert!(
            f["fix"]["capture"].as_str().is_some_and(|t| !t.is_empty()),
            "{file}: {f}"
        );
        assert_eq!(f["fix"]["idp"], "", "{file}");
        assert_eq!(f["fix"]["aws"], "", "{file}");
    }
}

#[test]
fn a_govcloud_role_arn_with_a_region_says_so_and_keeps_its_partition() {
    let (_, doc) = check_json(&[
        "--now",
        "2026-01-15T10:00:00Z",
        "tests/fixtures/rules/role-pair-malformed/fail-govcloud-region.xml",
    ]);
    let malformed = finding(&doc, "role-pair-malformed");
    let msg = malformed["message"].as_str().unwrap();
    assert!(
        msg.contains("has region 'us-gov-west-1', but IAM ARNs have an empty region field"),
        "{msg}"
    );
    assert!(
        !msg.contains("is not an IAM ARN of the aws, aws-us-gov or aws-cn partition"),
        "{msg}"
    );
    finding(&doc, "partition-mismatch");
}
