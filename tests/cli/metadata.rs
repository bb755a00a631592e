use crate::common::cli;

const NOW: &str = "2027-01-15T00:00:00Z";

fn lint(file: &str, extra: &[&str]) -> crate::common::Run {
    let path = format!("tests/fixtures/metadata/{file}");
    let mut args = vec!["metadata", path.as_str(), "--now", NOW];
    args.extend_from_slice(extra);
    cli(&args).run()
}

#[test]
fn good_okta_metadata() {
    let r = lint("okta-good.xml", &[]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn good_okta_metadata_json() {
    let r = lint("okta-good.xml", &["--format", "json"]);
    assert_eq!(r.code, 0);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn expired_certificate() {
    let path = "tests/fixtures/metadata/okta-good.xml";
    let r = cli(&["metadata", path, "--now", "2040-01-01T00:00:00Z"]).run();
    assert_eq!(r.code, 0, "a warning does not fail by default");
    assert!(
        r.stdout.contains("warning[SL0904] metadata-cert-expired"),
        "{}",
        r.stdout
    );
    let r = cli(&[
        "metadata",
        path,
        "--now",
        "2040-01-01T00:00:00Z",
        "--fail-on",
        "warning",
    ])
    .run();
    assert_eq!(r.code, 1);
    let r = cli(&[
        "metadata",
        path,
        "--now",
        "2040-01-01T00:00:00Z",
        "--ignore",
        "metadata-cert-expired",
    ])
    .run();
    assert!(!r.stdout.contains("SL0904"));
}

#[test]
fn weak_key() {
    let r = lint("weak-key.xml", &[]);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn bad_metadata_for_identity_center() {
    let r = lint(
        "bad-entityid-encryption-only.xml",
        &["--profile", "aws-identity-center"],
    );
    assert_eq!(r.code, 1);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn sp_metadata_is_not_idp_metadata() {
    let r = lint("sp-metadata.xml", &[]);
    assert_eq!(r.code, 1);
    insta::assert_snapshot!(r.stdout);
}

#[test]
fn missing_file_is_exit_2() {
    let r = lint("nope.xml", &[]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .starts_with("samlint: tests/fixtures/metadata/nope.xml: "),
        "{}",
        r.stderr
    );
}
