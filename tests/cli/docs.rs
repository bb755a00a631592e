//! docs/rules.md is generated from the registry; this test fails when it is stale.
//! Regenerate with `cargo run -- rules --format markdown > docs/rules.md`, or run the
//! tests with `SAMLINT_UPDATE_DOCS=1`.

use crate::common::{cli, repo};

#[test]
fn rules_md_is_up_to_date() {
    let r = cli(&["rules", "--format", "markdown"]).run();
    assert_eq!(r.code, 0);
    let path = repo().join("docs/rules.md");
    if std::env::var_os("SAMLINT_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &r.stdout).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == r.stdout,
        "docs/rules.md is stale: run `cargo run -- rules --format markdown > docs/rules.md`"
    );
    for rule in samlint::lint::RULES {
        assert!(committed.contains(&format!("\n## {}\n", rule.meta.id)));
    }
}

#[test]
fn guide_uses_real_commands() {
    let guide = std::fs::read_to_string(repo().join("docs/guide.md")).unwrap();
    for cmd in [
        "samlint check",
        "samlint explain",
        "samlint rules",
        "samlint metadata",
        "samlint okta-map",
        "samlint decode",
        "samlint redact",
    ] {
        assert!(guide.contains(cmd), "docs/guide.md does not show `{cmd}`");
    }
}
