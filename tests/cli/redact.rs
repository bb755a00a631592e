use crate::common::cli;

const SECRETS: &[&str] = &[
    "jane.doe@acmecorp.example",
    "Jane.Doe",
    "jdoe-session",
    "VGhpcyBpcyBub3Qg",
    "ZmlsbGVy",
    "q9RhD5NIbUTG0r3Cw",
];

fn check(format: &str, redact: bool) -> String {
    let mut args = vec![
        "check",
        "tests/fixtures/responses/okta-iam.xml",
        "--now",
        "2026-01-15T10:01:00Z",
        "--format",
        format,
        "--no-config",
    ];
    if redact {
        args.push("--redact");
    }
    let r = cli(&args).run();
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    r.stdout
}

#[test]
fn redact_masks_text_and_json() {
    for format in ["text", "json"] {
        let plain = check(format, false);
        assert!(plain.contains("jdoe-session"), "{plain}");
        let masked = check(format, true);
        for s in SECRETS {
            assert!(!masked.contains(s), "{s} in {format} output:\n{masked}");
        }
        assert!(masked.contains("[redacted]"));
    }
}

#[test]
fn redact_keeps_roles_and_issuer() {
    let masked = check("text", true);
    assert!(masked.contains("arn:aws:iam::123456789012:role/Admin"));
    assert!(masked.contains("http://www.okta.com/exk1a2b3c4d5e6f7g8h9"));
}
