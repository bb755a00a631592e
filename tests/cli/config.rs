//! samlint.toml: discovery, errors with lines, overrides, precedence.

use std::path::Path;

use crate::common::{cli, repo, scrub};

const PAGE: &str = "okta-mfa-page.html";

/// A temporary project: a copy of the HTML page fixture (an `input-not-saml` error)
/// and optionally a samlint.toml at its root; returns (dir, sub-directory).
fn project(config: Option<&str>) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("captures/2026");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::copy(
        repo().join("tests/fixtures/responses").join(PAGE),
        sub.join(PAGE),
    )
    .unwrap();
    if let Some(c) = config {
        std::fs::write(dir.path().join("samlint.toml"), c).unwrap();
    }
    (dir, sub)
}

fn check_in(dir: &Path, extra: &[&str]) -> crate::common::Run {
    let mut args = vec!["check", PAGE];
    args.extend_from_slice(extra);
    cli(&args).cwd(dir).run()
}

#[test]
fn without_config_the_page_is_an_error() {
    let (_dir, sub) = project(None);
    let r = check_in(&sub, &[]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("error[SL0101] input-not-saml"),
        "{}",
        r.stdout
    );
}

#[test]
fn config_is_discovered_upward_and_ignore_applies() {
    let (_dir, sub) = project(Some("ignore = [\"input-not-saml\"]\n"));
    let r = check_in(&sub, &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(!r.stdout.contains("SL0101"));
    let r = check_in(&sub, &["--no-config"]);
    assert_eq!(r.code, 1);
}

#[test]
fn severity_override_from_config_and_flag() {
    let (_dir, sub) = project(Some("[severity]\ninput-not-saml = \"warning\"\n"));
    let r = check_in(&sub, &[]);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout.contains("warning[SL0101] input-not-saml"),
        "{}",
        r.stdout
    );
    let r = check_in(&sub, &["--severity", "SL0101=error"]);
    assert_eq!(r.code, 1, "the flag beats the file");
    let r = check_in(&sub, &["--fail-on", "warning"]);
    assert_eq!(r.code, 1);
}

#[test]
fn explicit_config_file() {
    let (dir, sub) = project(None);
    let other = dir.path().join("ci.toml");
    std::fs::write(&other, "ignore = [\"SL0101\"]\n").unwrap();
    let r = check_in(&sub, &["--config", other.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = check_in(&sub, &["--config", "missing.toml"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .starts_with("samlint: missing.toml: cannot be read"),
        "{}",
        r.stderr
    );
}

#[test]
fn unknown_key_names_key_and_line() {
    let (dir, sub) = project(Some(
        "profile = \"aws-iam\"\n\n[context]\nsaml_providers = []\nmax_sesion_duration = 3600\n",
    ));
    let r = check_in(&sub, &[]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stdout, "");
    insta::assert_snapshot!(scrub(&r.stderr, dir.path()));
}

#[test]
fn unknown_rule_in_config() {
    let (dir, sub) = project(Some(
        "ignore = [\n  \"input-not-saml\",\n  \"response-to-large\",\n]\n",
    ));
    let r = check_in(&sub, &[]);
    assert_eq!(r.code, 2);
    insta::assert_snapshot!(scrub(&r.stderr, dir.path()));
}

#[test]
fn config_in_the_working_directory() {
    let (dir, _sub) = project(Some("profile = \"nope\"\n"));
    let r = cli(&["check", "captures"]).cwd(dir.path()).run();
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .starts_with("samlint: samlint.toml:1: profile 'nope'"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("\nhelp: "));
}

#[test]
fn bad_flag_values_are_checked_against_the_registry() {
    let r = cli(&["check", "x", "--ignore", "no-such-rule"]).run();
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("unknown rule 'no-such-rule'"),
        "{}",
        r.stderr
    );
    let r = cli(&["check", "x", "--severity", "input-not-saml=fatal"]).run();
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not a severity"), "{}", r.stderr);
}

#[test]
fn no_config_from_the_environment() {
    let (_dir, sub) = project(Some("ignore = [\"input-not-saml\"]\n"));
    let r = cli(&["check", PAGE])
        .cwd(&sub)
        .env("SAMLINT_NO_CONFIG", "1")
        .run();
    assert_eq!(r.code, 1, "the file was read: {}", r.stdout);
}

#[test]
fn expected_context_reaches_the_role_rules() {
    let sample = repo().join("samples/okta-signin.har");
    let sample = sample.to_str().unwrap();
    let other = "arn:aws:iam::123456789012:saml-provider/OktaProd";
    let r = cli(&["check", sample, "--no-config", "--provider-arn", other]).run();
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("error[SL0607] role-provider-unknown"),
        "{}",
        r.stdout
    );

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("samlint.toml"),
        format!(
            "[trust]\nidp_metadata = [\"{}\"]\n[context]\nsaml_providers = [\"{other}\"]\n",
            repo().join("samples/trust/okta-metadata.xml").display()
        ),
    )
    .unwrap();
    let r = cli(&["check", sample]).cwd(dir.path()).run();
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("role-provider-unknown"), "{}", r.stdout);
    let okta = "arn:aws:iam::123456789012:saml-provider/Okta";
    let r = cli(&["check", sample, "--provider-arn", okta])
        .cwd(dir.path())
        .run();
    assert_eq!(r.code, 0, "the flag replaces the file's list: {}", r.stdout);
    // The trust came from samlint.toml.
    assert!(r.stdout.contains("signature  valid"), "{}", r.stdout);
}
