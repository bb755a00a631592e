//! `--aws`: one test per scenario of the AWS simulation, over the signed captures and
//! the AWS CLI / Terraform exports of `tests/fixtures/aws/` (variants are written to a
//! temporary directory from those exports).

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::common::{check_json, samlint};

const NOW: &str = "2026-01-15T10:00:02Z";
const FIX: &str = "tests/fixtures/aws";
const ADMIN: &str = "arn:aws:iam::123456789012:role/Admin";
const READONLY: &str = "arn:aws:iam::123456789012:role/ReadOnly";
const OKTA: &str = "arn:aws:iam::123456789012:saml-provider/Okta";

fn capture(name: &str) -> String {
    format!("{FIX}/captures/{name}.xml")
}

fn fixture(rel: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(FIX).join(rel);
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// A copy of the `account/` export with `edit` applied to its list-roles output.
struct Export {
    dir: tempfile::TempDir,
}

impl Export {
    fn account() -> Export {
        let dir = tempfile::tempdir().unwrap();
        for f in [
            "list-roles.json",
            "list-saml-providers.json",
            "Okta.json",
            "list-users.json",
        ] {
            let src = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(FIX)
                .join("account")
                .join(f);
            std::fs::copy(src, dir.path().join(f)).unwrap();
        }
        Export { dir }
    }

    fn path(&self) -> PathBuf {
        self.dir.path().to_path_buf()
    }

    fn edit(&self, file: &str, f: impl FnOnce(&mut Value)) -> &Self {
        let p = self.dir.path().join(file);
        let mut v: Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
        f(&mut v);
        std::fs::write(&p, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
        self
    }

    fn remove(&self, file: &str) -> &Self {
        std::fs::remove_file(self.dir.path().join(file)).unwrap();
        self
    }

    /// Replaces the trust policy of one role.
    fn trust(&self, role: &str, policy: &Value) -> &Self {
        self.edit("list-roles.json", |v| {
            for r in v["Roles"].as_array_mut().unwrap() {
                if r["RoleName"] == role {
                    r["AssumeRolePolicyDocument"] = policy.clone();
                }
            }
        })
    }
}

fn run(capture_name: &str, aws: &[&Path]) -> (i32, Value) {
    let cap = capture(capture_name);
    let mut args = vec![cap.as_str(), "--now", NOW];
    for a in aws {
        args.push("--aws");
        args.push(a.to_str().unwrap());
    }
    check_json(&args)
}

fn payload(doc: &Value) -> &Value {
    &doc["inputs"][0]["payloads"][0]
}

fn pair<'a>(doc: &'a Value, role: &str) -> &'a Value {
    payload(doc)["aws"]["roles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["role_arn"] == role)
        .unwrap_or_else(|| panic!("no pair for {role}: {doc:#}"))
}

fn findings<'a>(doc: &'a Value, rule: &str) -> Vec<&'a Value> {
    payload(doc)["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .collect()
}

fn allow(condition: Option<Value>, actions: &[&str]) -> Value {
    let mut s = json!({"Effect": "Allow", "Principal": {"Federated": OKTA}, "Action": actions});
    if let Some(c) = condition {
        s["Condition"] = c;
    }
    s
}

fn policy(statements: &[Value]) -> Value {
    json!({"Version": "2012-10-17", "Statement": statements})
}

#[test]
fn allowed_with_the_session_sts_gives() {
    let e = Export::account();
    let (code, doc) = run("okta", &[&e.path()]);
    assert_eq!(code, 0, "{doc:#}");
    let admin = pair(&doc, ADMIN);
    assert_eq!(admin["outcome"], "allowed");
    assert_eq!(admin["session_duration"], 3600);
    assert_eq!(admin["statement"], "#1");
    assert_eq!(pair(&doc, READONLY)["statement"], "OktaUsersOfExampleCom");
    let keys = &payload(&doc)["aws"]["context_keys"];
    assert_eq!(
        keys["SAML:aud"],
        json!(["https://signin.aws.amazon.com/saml"])
    );
    assert_eq!(
        keys["SAML:namequalifier"],
        json!(["6/0a+C1BslTyOk0hNBLCdtaU+i0="])
    );
    assert_eq!(keys["SAML:doc"], json!(["123456789012/Okta"]));
    assert_eq!(keys["SAML:sub_type"], json!(["unspecified"]));
    let sources = payload(&doc)["aws"]["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 4);
    // Trust comes from the provider's metadata: no --idp-metadata needed.
    assert_eq!(payload(&doc)["signature"]["status"], "valid");

    let text = samlint()
        .args([
            "check",
            &capture("okta"),
            "--now",
            NOW,
            "--show-context-keys",
            "--aws",
        ])
        .arg(e.path())
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("STS: allowed, 1h session"), "{text}");
    assert!(
        text.contains("SAML:namequalifier = 6/0a+C1BslTyOk0hNBLCdtaU+i0="),
        "{text}"
    );
}

#[test]
fn provider_missing() {
    let e = Export::account();
    e.remove("Okta.json").edit("list-saml-providers.json", |v| {
        v["SAMLProviderList"][0]["Arn"] = json!("arn:aws:iam::123456789012:saml-provider/Entra");
    });
    let (code, doc) = run("okta", &[&e.path()]);
    assert_eq!(code, 1);
    let admin = pair(&doc, ADMIN);
    assert_eq!(admin["outcome"], "denied");
    assert_eq!(admin["rule"], "role-provider-unknown");
    assert!(
        admin["detail"]
            .as_str()
            .unwrap()
            .contains("saml-provider/Entra")
    );
    assert_eq!(findings(&doc, "role-provider-unknown").len(), 2);
}

#[test]
fn role_missing_or_differing_in_case() {
    let e = Export::account();
    e.edit("list-roles.json", |v| {
        v["Roles"][0]["RoleName"] = json!("admin");
        v["Roles"][0]["Arn"] = json!("arn:aws:iam::123456789012:role/admin");
    });
    let (code, doc) = run("okta", &[&e.path()]);
    assert_eq!(code, 1);
    let admin = pair(&doc, ADMIN);
    assert_eq!(admin["outcome"], "denied");
    assert_eq!(admin["rule"], "role-unknown");
    assert!(
        admin["detail"]
            .as_str()
            .unwrap()
            .contains("differs only in case")
    );
    let f = findings(&doc, "role-unknown");
    assert_eq!(f.len(), 1);
    // The export lists every role of the account: the role does not exist.
    assert_eq!(f[0]["severity"], "error");
    assert_eq!(pair(&doc, READONLY)["outcome"], "allowed");
}

#[test]
fn trust_policy_for_another_provider() {
    let e = Export::account();
    e.trust(
        "Admin",
        &json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"Federated": "arn:aws:iam::123456789012:saml-provider/Entra"},
            "Action": "sts:AssumeRoleWithSAML"}]}),
    );
    let (_, doc) = run("okta", &[&e.path()]);
    let admin = pair(&doc, ADMIN);
    assert_eq!(admin["rule"], "trust-policy-principal-missing");
    assert_eq!(
        admin["aws_error"],
        "Not authorized to perform sts:AssumeRoleWithSAML (Service: AWSSecurityTokenService; Status Code: 403; Error Code: AccessDenied)"
    );
}

#[test]
fn saml_aud_fails_on_a_regional_recipient() {
    let (code, doc) = run("regional", &[&Export::account().path()]);
    assert_eq!(code, 1);
    let admin = pair(&doc, ADMIN);
    assert_eq!(admin["outcome"], "denied");
    assert_eq!(admin["rule"], "trust-policy-condition-failed");
    assert_eq!(admin["condition"]["key"], "SAML:aud");
    assert_eq!(
        admin["condition"]["expected"],
        json!(["https://signin.aws.amazon.com/saml"])
    );
    assert_eq!(
        admin["condition"]["actual"],
        json!(["https://us-east-2.signin.aws.amazon.com/saml"])
    );
    // The evaluated policy replaces the guess about default trust policies.
    assert!(findings(&doc, "recipient-regional-trust-policy").is_empty());
}

#[test]
fn namequalifier() {
    let e = Export::account();
    let cond = |v: &str| {
        Some(json!({"StringEquals": {"SAML:namequalifier": v, "SAML:sub_type": "unspecified"}}))
    };
    e.trust(
        "Admin",
        &policy(&[allow(
            cond("6/0a+C1BslTyOk0hNBLCdtaU+i0="),
            &["sts:AssumeRoleWithSAML"],
        )]),
    )
    .trust(
        "ReadOnly",
        &policy(&[allow(
            cond("c2FtZSBJc3N1ZXIsIG90aGVyIGFjY291bnQ="),
            &["sts:AssumeRoleWithSAML"],
        )]),
    );
    let (_, doc) = run("okta", &[&e.path()]);
    assert_eq!(pair(&doc, ADMIN)["outcome"], "allowed");
    let ro = pair(&doc, READONLY);
    assert_eq!(ro["rule"], "trust-policy-condition-failed");
    assert_eq!(ro["condition"]["key"], "SAML:namequalifier");
    assert_eq!(
        ro["condition"]["actual"],
        json!(["6/0a+C1BslTyOk0hNBLCdtaU+i0="])
    );
}

#[test]
fn string_like() {
    let e = Export::account();
    e.trust(
        "Admin",
        &policy(&[allow(
            Some(json!({"StringLike": {"SAML:sub": "*@example.org"}})),
            &["sts:AssumeRoleWithSAML"],
        )]),
    );
    let (_, doc) = run("okta", &[&e.path()]);
    // ReadOnly's "*@example.com" matches, Admin's "*@example.org" does not.
    assert_eq!(pair(&doc, READONLY)["outcome"], "allowed");
    let admin = pair(&doc, ADMIN);
    assert_eq!(admin["rule"], "trust-policy-condition-failed");
    assert_eq!(admin["condition"]["operator"], "StringLike");
}

fn tagging_policy(extra: Option<Value>) -> Value {
    let mut statements = vec![allow(
        Some(json!({"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}})),
        &["sts:AssumeRoleWithSAML"],
    )];
    statements.push(allow(
        Some(json!({"ForAnyValue:StringEquals": {"SAML:edupersonaffiliation": ["staff", "faculty"]}})),
        &["sts:TagSession"],
    ));
    statements.extend(extra);
    policy(&statements)
}

#[test]
fn for_any_value_and_session_tags_with_tag_session() {
    let e = Export::account();
    e.trust(
        "Admin",
        &tagging_policy(Some(allow(None, &["sts:SetSourceIdentity"]))),
    );
    let (_, doc) = run("tags", &[&e.path()]);
    let admin = pair(&doc, ADMIN);
    assert_eq!(admin["outcome"], "allowed", "{doc:#}");
    assert_eq!(
        admin["session_tags"],
        json!({"CostCenter": "12345", "Department": "Engineering"})
    );
    assert_eq!(admin["source_identity"], "jane.doe");
    assert_eq!(
        payload(&doc)["aws"]["context_keys"]["aws:TagKeys"],
        json!(["Department", "CostCenter"])
    );
    assert!(findings(&doc, "trust-policy-actions-needed").is_empty());
}

#[test]
fn session_tags_without_tag_session() {
    let (code, doc) = run("tags", &[&Export::account().path()]);
    assert_eq!(code, 1);
    assert_eq!(pair(&doc, ADMIN)["rule"], "trust-policy-tag-session-denied");
}

#[test]
fn source_identity_without_set_source_identity() {
    let e = Export::account();
    e.trust("Admin", &tagging_policy(None));
    let (_, doc) = run("tags", &[&e.path()]);
    let admin = pair(&doc, ADMIN);
    assert_eq!(admin["rule"], "trust-policy-source-identity-denied");
    assert_eq!(
        findings(&doc, "trust-policy-source-identity-denied").len(),
        1
    );
}

#[test]
fn if_exists_with_the_key_absent() {
    let e = Export::account();
    e.trust(
        "Admin",
        &policy(&[allow(
            Some(
                json!({"StringEqualsIfExists": {"sts:SourceIdentity": "jane.doe"},
                        "StringLikeIfExists": {"SAML:edupersonaffiliation": "staff"}}),
            ),
            &["sts:AssumeRoleWithSAML"],
        )]),
    );
    let (_, doc) = run("okta", &[&e.path()]);
    assert_eq!(pair(&doc, ADMIN)["outcome"], "allowed");
}

#[test]
fn explicit_deny() {
    let e = Export::account();
    e.trust(
        "ReadOnly",
        &policy(&[
            allow(None, &["sts:AssumeRoleWithSAML"]),
            json!({"Sid": "NoJane", "Effect": "Deny", "Principal": "*", "Action": "sts:*",
                   "Condition": {"StringLike": {"SAML:sub": "jane.*"}}}),
        ]),
    );
    let (_, doc) = run("okta", &[&e.path()]);
    let ro = pair(&doc, READONLY);
    assert_eq!(ro["rule"], "trust-policy-explicit-deny");
    assert_eq!(ro["statement"], "NoJane");
}

#[test]
fn rotated_certificate() {
    let (code, doc) = run("rotated", &[&Export::account().path()]);
    assert_eq!(code, 1);
    let admin = pair(&doc, ADMIN);
    assert_eq!(admin["rule"], "provider-key-mismatch");
    assert_eq!(
        admin["aws_error"],
        "Response signature invalid (Service: AWSSecurityTokenService; Status Code: 400; Error Code: InvalidIdentityToken)"
    );
}

#[test]
fn issuer_not_the_providers_entity_id() {
    let e = Export::account();
    e.edit("Okta.json", |v| {
        let doc = v["SAMLMetadataDocument"].as_str().unwrap().replace(
            "http://www.okta.com/exk1fxp0h4KeDbOKs5d7",
            "http://www.okta.com/exkOTHERAPP00000000",
        );
        v["SAMLMetadataDocument"] = json!(doc);
    });
    let (_, doc) = run("okta", &[&e.path()]);
    let admin = pair(&doc, ADMIN);
    assert_eq!(admin["rule"], "provider-issuer-mismatch");
    assert!(admin["detail"].as_str().unwrap().contains("exkOTHERAPP"));
}

#[test]
fn session_duration_over_max_session_duration() {
    let e = Export::account();
    e.trust(
        "Admin",
        &tagging_policy(Some(allow(None, &["sts:SetSourceIdentity"]))),
    );
    let (_, doc) = run("tags", &[&e.path()]);
    let admin = pair(&doc, ADMIN);
    // The console honours 7200 s; CLI tools asking for it fail.
    assert_eq!(admin["outcome"], "allowed");
    assert_eq!(admin["session_duration"], 7200);
    let f = findings(&doc, "session-duration-over-role-max");
    assert_eq!(f.len(), 1);
    assert!(
        f[0]["message"]
            .as_str()
            .unwrap()
            .contains("MaxSessionDuration is 3600 s")
    );
}

#[test]
fn authorization_details_only() {
    let details = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(FIX)
        .join("details");
    let (_, alone) = run("okta", &[&details]);
    let admin = pair(&alone, ADMIN);
    // Without the providers, the answer is unknown, and the message names the command.
    assert_eq!(admin["outcome"], "unknown");
    let notes = findings(&alone, "aws-export-incomplete");
    assert!(notes.iter().any(|f| {
        f["message"]
            .as_str()
            .unwrap()
            .contains("aws iam list-saml-providers")
    }));
    // The export lists the account's roles: ReadOnly does not exist.
    assert_eq!(pair(&alone, READONLY)["rule"], "role-unknown");

    let account = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(FIX)
        .join("account");
    let providers = [
        account.join("list-saml-providers.json"),
        account.join("Okta.json"),
    ];
    let (_, doc) = run("okta", &[&details, &providers[0], &providers[1]]);
    let admin = pair(&doc, ADMIN);
    assert_eq!(admin["outcome"], "allowed");
    assert!(findings(&doc, "aws-export-incomplete").iter().any(|f| {
        f["message"]
            .as_str()
            .unwrap()
            .contains("no MaxSessionDuration")
    }));
}

#[test]
fn terraform_state_and_plan() {
    let tf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(FIX)
        .join("terraform");
    let (code, doc) = run("okta", &[&tf.join("state.json")]);
    assert_eq!(code, 0, "{doc:#}");
    assert_eq!(pair(&doc, ADMIN)["outcome"], "allowed");
    // A state holds only the roles Terraform manages: not an error.
    assert_eq!(pair(&doc, READONLY)["outcome"], "unknown");
    assert_eq!(
        payload(&doc)["aws"]["sources"][0]["kind"],
        "terraform-state"
    );

    // The plan trusts another provider: the pull request breaks sign-in.
    let (code, doc) = run("okta", &[&tf.join("plan.json")]);
    assert_eq!(code, 1);
    assert_eq!(pair(&doc, ADMIN)["rule"], "trust-policy-principal-missing");
    assert_eq!(payload(&doc)["aws"]["sources"][0]["kind"], "terraform-plan");
}

#[test]
fn cloudtrail_match_and_events_alone() {
    let account = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(FIX)
        .join("account");
    let trail = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(FIX)
        .join("cloudtrail/lookup-events.json");
    let (_, doc) = run("regional", &[&account, &trail]);
    let matched = &payload(&doc)["aws"]["cloudtrail"];
    assert_eq!(matched.as_array().unwrap().len(), 1);
    assert_eq!(matched[0]["error_code"], "AccessDenied");
    assert_eq!(matched[0]["rule"], "trust-policy-condition-failed");
    assert_eq!(findings(&doc, "cloudtrail-failure").len(), 1);
    assert_eq!(doc["inputs"].as_array().unwrap().len(), 1);

    // Another capture does not match; the event given as an input is explained alone.
    let (code, doc) = check_json(&[trail.to_str().unwrap(), "--aws", account.to_str().unwrap()]);
    assert_eq!(code, 1);
    let input = &doc["inputs"][0];
    assert_eq!(input["source"], "CloudTrail (--aws)");
    let f = &input["findings"][0];
    assert_eq!(f["rule"], "cloudtrail-failure");
    assert_eq!(
        f["aws_error"],
        "Not authorized to perform sts:AssumeRoleWithSAML"
    );
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("trusts this provider")
    );
}

#[test]
fn url_encoded_policy_documents() {
    let fix = Path::new(env!("CARGO_MANIFEST_DIR")).join(FIX);
    let raw = fixture("encoded/get-role-Admin.json");
    assert!(
        raw["Role"]["AssumeRolePolicyDocument"]
            .as_str()
            .unwrap()
            .starts_with("%7B")
    );
    let account = fix.join("account");
    let (_, doc) = run(
        "regional",
        &[
            &fix.join("encoded/get-role-Admin.json"),
            &account.join("list-saml-providers.json"),
            &account.join("Okta.json"),
        ],
    );
    let admin = pair(&doc, ADMIN);
    assert_eq!(admin["rule"], "trust-policy-condition-failed");
    assert_eq!(admin["condition"]["key"], "SAML:aud");
    // get-role is not the account's role list: ReadOnly is unknown, not missing.
    assert_eq!(pair(&doc, READONLY)["outcome"], "unknown");
}

#[test]
fn bad_exports_are_one_line_each_and_the_rest_runs() {
    let e = Export::account();
    std::fs::write(e.path().join("broken.json"), "{not json").unwrap();
    std::fs::write(e.path().join("other.json"), r#"{"Buckets": []}"#).unwrap();
    let out = samlint()
        .args([
            "check",
            &capture("okta"),
            "--now",
            NOW,
            "--format",
            "json",
            "--aws",
        ])
        .arg(e.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("samlint: --aws"))
        .collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(lines[0].contains("broken.json: not JSON"), "{stderr}");
    assert!(
        lines[1].contains("other.json: not a recognised export"),
        "{stderr}"
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(pair(&doc, ADMIN)["outcome"], "allowed");

    let missing = samlint()
        .args(["check", &capture("okta"), "--aws", "no/such/dir"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn config_aws_paths() {
    let dir = tempfile::tempdir().unwrap();
    let account = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(FIX)
        .join("account");
    std::fs::write(
        dir.path().join("samlint.toml"),
        format!("[aws]\npaths = [{:?}]\n", account.to_str().unwrap()),
    )
    .unwrap();
    let out = samlint()
        .env_remove("SAMLINT_NO_CONFIG")
        .current_dir(dir.path())
        .args(["check", "--format", "json", "--now", NOW])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join(capture("regional")))
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(pair(&doc, ADMIN)["rule"], "trust-policy-condition-failed");
}

#[test]
fn redact_masks_the_context_keys() {
    let e = Export::account();
    let out = samlint()
        .args([
            "check",
            &capture("okta"),
            "--now",
            NOW,
            "--format",
            "json",
            "--redact",
            "--aws",
        ])
        .arg(e.path())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("jane.doe@example.com"), "{text}");
}

#[test]
fn sarif_junit_and_github_carry_the_section_10_findings() {
    let account = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(FIX)
        .join("account");
    let trail = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(FIX)
        .join("cloudtrail/lookup-events.json");
    let run = |format: &str, input: &str| {
        let out = samlint()
            .args(["check", input, "--now", NOW, "--format", format, "--aws"])
            .arg(&account)
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let regional = capture("regional");
    let sarif: Value = serde_json::from_str(&run("sarif", &regional)).unwrap();
    crate::formats::assert_valid_sarif(&sarif);
    let ids: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["ruleId"].as_str())
        .collect();
    assert_eq!(ids.iter().filter(|r| **r == "SL1002").count(), 2);
    // An event explained alone is an input-level finding, valid SARIF too.
    let alone: Value = serde_json::from_str(&run("sarif", trail.to_str().unwrap())).unwrap();
    crate::formats::assert_valid_sarif(&alone);
    assert!(run("junit", &regional).contains("trust-policy-condition-failed"));
    assert!(run("github", &regional).contains("::error"));
}

/// Identity Center's failed `ExternalIdPDirectoryLogin` is matched by user and time.
#[test]
fn identity_center_events_match_by_user() {
    let dir = tempfile::tempdir().unwrap();
    let event = |user: &str| {
        json!({"eventVersion": "1.08", "eventTime": "2026-01-15T10:00:04Z",
               "eventSource": "signin.amazonaws.com", "eventName": "ExternalIdPDirectoryLogin",
               "awsRegion": "us-east-1", "errorCode": "AccessDenied",
               "errorMessage": "An unexpected error has occurred",
               "userIdentity": {"type": "Unknown", "userName": user},
               "eventID": format!("ic-{user}")})
    };
    std::fs::write(
        dir.path().join("trail.json"),
        serde_json::to_vec(
            &json!({"Records": [event("jane.doe@example.com"), event("someone@example.com")]}),
        )
        .unwrap(),
    )
    .unwrap();
    let (_, doc) = check_json(&[
        "samples/identity-center.b64",
        "--now",
        NOW,
        "--aws",
        dir.path().to_str().unwrap(),
    ]);
    let matched = &payload(&doc)["aws"]["cloudtrail"];
    assert_eq!(matched.as_array().unwrap().len(), 1, "{doc:#}");
    assert_eq!(matched[0]["event"], "ExternalIdPDirectoryLogin");
    // The other user's failure stands alone.
    let alone = &doc["inputs"][1];
    assert_eq!(alone["source"], "CloudTrail (--aws)");
    assert_eq!(alone["findings"].as_array().unwrap().len(), 1);
}
