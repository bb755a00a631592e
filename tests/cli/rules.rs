use samlint::lint::RULES;

use crate::common::cli;

#[test]
fn rules_table() {
    let r = cli(&["rules"]).run();
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn rules_json_lists_every_rule() {
    let r = cli(&["rules", "--format", "json"]).run();
    assert_eq!(r.code, 0);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["version"], 1);
    let rules = v["rules"].as_array().unwrap();
    assert_eq!(rules.len(), RULES.len());
    for (json, rule) in rules.iter().zip(RULES) {
        assert_eq!(json["id"], rule.meta.id);
        assert_eq!(json["code"], rule.meta.code);
        assert_eq!(json["severity"], rule.meta.default_severity.as_str());
        assert!(
            json["explain"]
                .as_str()
                .unwrap()
                .contains("## What it checks")
        );
    }
}

#[test]
fn explain_by_id_and_code() {
    let by_id = cli(&["explain", "input-not-saml"]).run();
    assert_eq!(by_id.code, 0);
    insta::assert_snapshot!(by_id.stdout);
    let by_code = cli(&["explain", "sl0101"]).run();
    assert_eq!(by_code.stdout, by_id.stdout);
}

#[test]
fn explain_knows_every_rule() {
    for rule in RULES {
        let r = cli(&["explain", rule.meta.code, "--format", "json"]).run();
        assert_eq!(r.code, 0, "{}", rule.meta.id);
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(v["id"], rule.meta.id);
    }
}

#[test]
fn explain_unknown_rule_is_a_usage_error() {
    let r = cli(&["explain", "input-not-sam"]).run();
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("unknown rule 'input-not-sam'"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("did you mean 'input-not-saml'"),
        "{}",
        r.stderr
    );
}
