//! Reading exports by content, over the fixtures of `tests/fixtures/aws/`.

use std::path::{Path, PathBuf};

use serde_json::json;

use super::export::Kind;
use super::*;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/aws")
        .join(rel)
}

const ADMIN: &str = "arn:aws:iam::123456789012:role/Admin";
const OKTA: &str = "arn:aws:iam::123456789012:saml-provider/Okta";

#[test]
fn each_export_is_recognised_by_content() {
    let acct = Account::load(&[
        fixture("account"),
        fixture("details"),
        fixture("encoded"),
        fixture("terraform/state.json"),
        fixture("cloudtrail"),
    ]);
    assert!(acct.errors.is_empty(), "{:?}", acct.errors);
    let kinds: Vec<Kind> = acct.sources.iter().map(|s| s.kind).collect();
    for k in [
        Kind::ListRoles,
        Kind::ListSamlProviders,
        Kind::GetSamlProvider,
        Kind::IdentityStoreUsers,
        Kind::AccountAuthorizationDetails,
        Kind::GetRole,
        Kind::TerraformState,
        Kind::CloudTrail,
    ] {
        assert!(kinds.contains(&k), "{k:?} not in {kinds:?}");
    }
    assert_eq!(acct.roles.len(), 2);
    assert_eq!(acct.roles[ADMIN].max_session_duration, Some(3600));
    assert!(matches!(acct.roles[ADMIN].trust(), Some(Ok(_))));
    // Okta.json carries no ARN: its file name pairs it with the listed provider.
    let meta = acct.metadata_for(OKTA).unwrap();
    assert_eq!(
        meta.entity_ids,
        ["http://www.okta.com/exk1fxp0h4KeDbOKs5d7"]
    );
    assert_eq!(meta.certs.len(), 1);
    assert!(acct.role_accounts.contains("123456789012"));
    assert!(acct.provider_accounts.contains("123456789012"));
    assert_eq!(acct.ic_users, ["jane.doe@example.com"]);
    assert_eq!(acct.events.len(), 1);
}

#[test]
fn url_encoded_and_object_policies_read_alike() {
    let encoded = Account::load(&[fixture("encoded")]);
    let object = Account::load(&[fixture("account/list-roles.json")]);
    let (Some(Ok(a)), Some(Ok(b))) = (encoded.roles[ADMIN].trust(), object.roles[ADMIN].trust())
    else {
        panic!("both policies must parse");
    };
    assert_eq!(a, b);
    // get-role is not the account's list of roles.
    assert!(encoded.role_accounts.is_empty());
}

#[test]
fn terraform_child_modules_and_planned_arns() {
    let state = Account::load(&[fixture("terraform/state.json")]);
    assert!(state.metadata_for(OKTA).is_some(), "provider in module.idp");
    assert!(state.roles.contains_key(ADMIN));
    assert!(state.role_accounts.is_empty());

    // A role planned for creation has no ARN yet: it is made from the plan's account.
    let plan = json!({
        "format_version": "1.2",
        "planned_values": {"root_module": {"resources": [
            {"type": "aws_iam_role", "values": {"name": "New", "path": "/team/",
              "assume_role_policy": "{\"Statement\":[]}", "max_session_duration": 7200}},
        ], "child_modules": [{"resources": [
            {"type": "aws_iam_saml_provider", "values": {"arn": OKTA, "name": "Okta"}}
        ]}]}}
    });
    let mut acct = Account::default();
    let kind = acct
        .add(&plan, Path::new("plan.json"), "plan.json")
        .unwrap();
    assert_eq!(kind, Kind::TerraformPlan);
    let new = &acct.roles["arn:aws:iam::123456789012:role/team/New"];
    assert_eq!(new.max_session_duration, Some(7200));
}

#[test]
fn the_plan_wins_over_the_current_state_in_any_order() {
    let principal = |acct: &Account| match acct.roles[ADMIN].trust() {
        Some(Ok(p)) => format!("{:?}", p.statements[0].principal),
        other => panic!("{other:?}"),
    };
    let plan_last = Account::load(&[fixture("account"), fixture("terraform/plan.json")]);
    let plan_first = Account::load(&[fixture("terraform/plan.json"), fixture("account")]);
    assert!(principal(&plan_last).contains("Entra"));
    assert!(principal(&plan_first).contains("Entra"));
}

#[test]
fn unrelated_and_broken_files_are_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.json"), "[1, 2]").unwrap();
    std::fs::write(dir.path().join("b.json"), "{").unwrap();
    std::fs::write(
        dir.path().join("c.json"),
        r#"{"Roles": [{"Arn": "arn:aws:iam::111111111111:role/X", "AssumeRolePolicyDocument": "%7Bnot"}]}"#,
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.txt"), "ignored").unwrap();
    let acct = Account::load(&[dir.path().to_path_buf()]);
    assert_eq!(acct.errors.len(), 2, "{:?}", acct.errors);
    assert!(acct.errors[0].contains("a.json: not a recognised export"));
    assert!(acct.errors[1].contains("b.json: not JSON"));
    // A role whose policy cannot be read is still a role; its policy names the problem.
    let x = &acct.roles["arn:aws:iam::111111111111:role/X"];
    assert!(matches!(x.trust(), Some(Err(e)) if e.contains("cannot be read")));
}

#[test]
fn gzipped_cloudtrail_log_files() {
    use std::io::Write as _;
    let dir = tempfile::tempdir().unwrap();
    let lookup: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fixture("cloudtrail/lookup-events.json")).unwrap())
            .unwrap();
    let event: serde_json::Value =
        serde_json::from_str(lookup["Events"][0]["CloudTrailEvent"].as_str().unwrap()).unwrap();
    let log = serde_json::to_vec(&json!({"Records": [event]})).unwrap();
    let path = dir
        .path()
        .join("123456789012_CloudTrail_us-east-1_20260115T1000Z_abc.json.gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&log).unwrap();
    std::fs::write(&path, gz.finish().unwrap()).unwrap();
    assert!(cloudtrail::looks_like_cloudtrail(&path));
    let acct = Account::load(&[dir.path().to_path_buf()]);
    assert_eq!(acct.events.len(), 1, "{:?}", acct.errors);
    assert_eq!(acct.events[0].role_arn.as_deref(), Some(ADMIN));
}

#[test]
fn expected_context_only_from_authoritative_exports() {
    let mut e = crate::lint::Expected::default();
    fill_expected(&Account::load(&[fixture("account")]), &mut e);
    assert_eq!(e.saml_providers, [OKTA]);
    assert_eq!(e.roles.len(), 2);
    assert_eq!(e.accounts, ["123456789012"]);
    assert_eq!(e.ic_usernames, ["jane.doe@example.com"]);

    let mut e = crate::lint::Expected::default();
    fill_expected(&Account::load(&[fixture("terraform/state.json")]), &mut e);
    assert!(e.roles.is_empty() && e.accounts.is_empty() && e.saml_providers.is_empty());
}

#[test]
fn pair_lines() {
    let mut o = PairOutcome::new(ADMIN, OKTA, crate::xml::Span::default());
    o.outcome = Outcome::Allowed;
    o.session_duration = Some(3600);
    o.session_tags = std::sync::Arc::new(
        [("a", "1"), ("b", "2")]
            .map(|(k, v)| (k.into(), v.into()))
            .into(),
    );
    assert_eq!(o.describe(), "allowed, 1h session, 2 tags");
    o.session_duration = Some(5400);
    o.session_tags = std::sync::Arc::default();
    assert_eq!(o.describe(), "allowed, 1h30m session");
}

proptest::proptest! {
    /// The byte scans give what splitting the string gives, for any value.
    #[test]
    fn arn_fields_match_splitting(
        arn in "(arn|:|aws|iam|saml-provider/|role/|/|[0-9]{1,12}|é|Okta|x){0,12}",
    ) {
        let account = arn.split(':').nth(4).filter(|a| !a.is_empty());
        proptest::prop_assert_eq!(export::arn_account(&arn), account);
        let name = arn.rsplit_once(":saml-provider/").map_or(arn.as_str(), |(_, n)| n);
        proptest::prop_assert_eq!(export::provider_name(&arn), name);
        for mark in [":role/", ":saml-provider/"] {
            proptest::prop_assert_eq!(names(&arn, mark), arn.contains(mark));
        }
    }
}

/// Roles whose trust policies have the same text share one policy, decided once per
/// payload; a role with another policy is decided on its own.
#[test]
fn roles_share_a_trust_policy_only_when_its_text_is_the_same() {
    let allow = json!({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"Federated": OKTA}, "Action": "sts:AssumeRoleWithSAML",
        "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}}}]});
    let deny = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Federated": OKTA}, "Action": "sts:AssumeRoleWithSAML"},
        {"Effect": "Deny", "Principal": {"Federated": OKTA}, "Action": "sts:AssumeRoleWithSAML"}]});
    let outcomes = |read_only: &serde_json::Value| {
        let dir = tempfile::tempdir().unwrap();
        for f in ["Okta.json", "list-saml-providers.json"] {
            std::fs::copy(fixture("account").join(f), dir.path().join(f)).unwrap();
        }
        let role = |name: &str, policy: &serde_json::Value| {
            json!({"RoleName": name, "Arn": format!("arn:aws:iam::123456789012:role/{name}"),
                   "AssumeRolePolicyDocument": policy, "MaxSessionDuration": 3600})
        };
        let roles = json!({"Roles": [role("Admin", &allow), role("ReadOnly", read_only)]});
        std::fs::write(dir.path().join("list-roles.json"), roles.to_string()).unwrap();
        let acct = Account::load(&[dir.path().to_path_buf()]);
        let (admin, read_only) = (
            &acct.roles[ADMIN],
            &acct.roles["arn:aws:iam::123456789012:role/ReadOnly"],
        );
        let shared = std::sync::Arc::ptr_eq(
            admin.trust_policy.as_ref().unwrap(),
            read_only.trust_policy.as_ref().unwrap(),
        );
        let opts = crate::pipeline::Options {
            now: crate::pipeline::NowMode::IssueInstant,
            aws: Some(std::sync::Arc::new(acct)),
            ..crate::pipeline::Options::default()
        };
        let spec = crate::input::expand(&[fixture("captures/okta.xml").into_os_string()]).remove(0);
        let report = crate::pipeline::check_all(&[spec], &opts);
        let aws = report.inputs[0].payloads[0].aws.clone().unwrap();
        let got: Vec<Outcome> = aws.roles.iter().map(|r| r.outcome).collect();
        (shared, got)
    };
    assert_eq!(
        outcomes(&allow),
        (true, vec![Outcome::Allowed, Outcome::Allowed])
    );
    assert_eq!(
        outcomes(&deny),
        (false, vec![Outcome::Allowed, Outcome::Denied])
    );
}
