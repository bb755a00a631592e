//! What a new user trips over at the command line: directories, pipes, colours,
//! long values and the words used.

use std::io::Read;
use std::process::{Command, Stdio};

use crate::common::{cli, repo};

#[test]
fn decode_dir_decodes_every_payload_under_a_header() {
    let r = cli(&["decode", "samples/"]).run();
    let headers: Vec<&str> = r.stdout.lines().filter(|l| l.starts_with("==> ")).collect();
    assert!(headers.len() > 10, "{}", r.stdout);
    assert!(headers.contains(&"==> samples/okta-signin.har #0 (entry 4) <=="));
    assert!(headers.contains(&"==> samples/okta-aws-iam.b64 #0 <=="));
    // Some inputs hold no payload (empty.txt, not-json.har): named, and the run fails.
    assert!(
        r.stderr.contains("samples/broken/empty.txt"),
        "{}",
        r.stderr
    );
    assert_eq!(r.code, 1);
    // One file: the XML alone, no header.
    let one = cli(&["decode", "samples/okta-aws-iam.b64"]).run();
    assert_eq!(one.code, 0);
    assert!(one.stdout.starts_with('<'), "{}", one.stdout);
}

#[test]
fn check_on_a_directory_without_inputs_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        vec!["check"],
        vec!["check", "--format", "json"],
        vec!["decode"],
    ] {
        let mut args = args.clone();
        let path = dir.path().display().to_string();
        args.push(&path);
        let r = cli(&args).run();
        assert_eq!(r.code, 2, "{args:?}: {}", r.stdout);
        assert!(r.stdout.is_empty());
        assert_eq!(
            r.stderr,
            format!(
                "samlint: no inputs found in {path} (looked for *.har *.json *.xml *.b64 *.txt *.html *.htm)\n"
            )
        );
    }
    // Files of other kinds only: the same.
    std::fs::write(dir.path().join("screenshot.png"), b"\x89PNG").unwrap();
    let r = cli(&["check", &dir.path().display().to_string()]).run();
    assert_eq!(r.code, 2);
}

/// Runs samlint with stdout on a pipe that is closed after `keep` bytes; returns the
/// exit code and stderr.
fn closed_pipe(args: &[&str], keep: usize) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_samlint"))
        .args(args)
        .current_dir(repo())
        .env("SAMLINT_NO_CONFIG", "1")
        .env_remove("NO_COLOR")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut buf = vec![0; keep];
    stdout.read_exact(&mut buf).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_closed_pipe_ends_quietly_with_the_findings_status() {
    // Both outputs are far larger than a pipe buffer, so the write does fail.
    let (code, err) = closed_pipe(&["rules", "--format", "json"], 600);
    assert_eq!((code, err.as_str()), (0, ""));
    let (code, err) = closed_pipe(&["check", "--format", "json", "samples/"], 100);
    assert_eq!((code, err.as_str()), (1, ""), "the run has errors");
    let (code, err) = closed_pipe(&["check", "samples/"], 100);
    assert_eq!((code, err.as_str()), (1, ""));
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('\x1b') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let end = after.find('m').map_or(after.len(), |m| m + 1);
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn colour_keeps_the_columns_aligned() {
    let args = ["check", "samples/okta-signin.har", "--now", "issue-instant"];
    let plain = cli(&args).run().stdout;
    let coloured = cli(&[&args[..], &["--color", "always"]].concat())
        .run()
        .stdout;
    assert!(coloured.contains("\x1b["), "no colour with --color always");
    assert_eq!(strip_ansi(&coloured), plain);
    // CLICOLOR_FORCE colours a pipe; NO_COLOR wins over it in `auto`.
    let forced = cli(&args).env("CLICOLOR_FORCE", "1").run().stdout;
    assert!(forced.contains("\x1b["));
    let none = cli(&args)
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .run()
        .stdout;
    assert_eq!(none, plain);
    assert_eq!(
        cli(&[&args[..], &["--color", "never"]].concat())
            .env("CLICOLOR_FORCE", "1")
            .run()
            .stdout,
        plain
    );
}

#[test]
fn long_values_are_elided_in_text_and_whole_in_json() {
    let xml = std::fs::read_to_string(repo().join("samples/okta-aws-iam.xml")).unwrap();
    let at = xml.find("RoleSessionName").unwrap();
    let value = at + xml[at..].find("jane.doe@example.com").unwrap();
    let long = "a".repeat(60_000);
    let doc = format!("{}{long}{}", &xml[..value], &xml[value + 20..]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.xml");
    std::fs::write(&path, doc).unwrap();
    let path = path.display().to_string();
    let r = cli(&["check", &path, "--now", "issue-instant"]).run();
    let widest = r.stdout.lines().map(|l| l.chars().count()).max().unwrap();
    assert!(widest < 400, "a line of {widest} characters");
    assert!(r.stdout.contains("…[60,000 chars]…"), "{}", r.stdout);
    let json = cli(&["check", &path, "--now", "issue-instant", "--format", "json"]).run();
    assert!(json.stdout.contains(&long));
}

#[test]
fn no_dangling_via_for_a_malformed_role_pair() {
    let r = cli(&[
        "check",
        "samples/broken/role-pair-malformed.b64",
        "--now",
        "issue-instant",
    ])
    .run();
    assert!(
        !r.stdout.lines().any(|l| l.trim_end().ends_with(" via")),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("malformed pair"), "{}", r.stdout);
}

#[test]
fn words_say_what_happened() {
    let dir = tempfile::tempdir().unwrap();
    let hello = dir.path().join("hello.txt");
    std::fs::write(&hello, "hello").unwrap();
    let r = cli(&["check", &hello.display().to_string()]).run();
    assert!(!r.stdout.contains("truncated"), "{}", r.stdout);
    assert!(r.stdout.contains("not a SAML value"), "{}", r.stdout);
    // A missing file is reported once, in the report.
    let r = cli(&["check", "no-such-file.b64"]).run();
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stdout.matches("no-such-file.b64: no such file").count(),
        1
    );
    assert!(!r.stderr.contains("no-such-file.b64"), "{}", r.stderr);
    // Clock times come in whole seconds.
    let r = cli(&["check", "samples/okta-aws-iam.b64"]).run();
    let valid = r.stdout.lines().find(|l| l.contains("valid ")).unwrap();
    let now = valid.split("(now ").nth(1).unwrap();
    assert_eq!(now.find('Z'), Some(19), "{valid}");
    // Plurals.
    let r = cli(&["metadata", "samples/trust/okta-metadata.xml"]).run();
    assert!(!r.stdout.contains("(s)"), "{}", r.stdout);
}

#[test]
fn check_and_metadata_point_at_each_other() {
    let r = cli(&["check", "samples/trust/okta-metadata.xml"]).run();
    assert!(r.stdout.contains("`samlint metadata FILE`"), "{}", r.stdout);
    let r = cli(&["metadata", "samples/okta-aws-iam.xml"]).run();
    assert!(r.stdout.contains("`samlint check FILE`"), "{}", r.stdout);
}

#[test]
fn explain_suggests_the_closest_rule() {
    let r = cli(&["explain", "audiance-invalid"]).run();
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("did you mean 'audience-invalid'?"),
        "{}",
        r.stderr
    );
}

#[test]
fn completions_and_the_man_page_come_from_the_flags() {
    for shell in ["bash", "zsh", "fish"] {
        let r = cli(&["completions", shell]).run();
        assert_eq!(r.code, 0, "{shell}: {}", r.stderr);
        assert!(r.stdout.contains("idp-metadata"), "{shell}");
        assert!(r.stdout.contains("okta-map"), "{shell}");
    }
    let man = cli(&["man"]).run();
    assert_eq!(man.code, 0);
    assert!(man.stdout.starts_with(".ie") || man.stdout.contains(".TH samlint 1"));
    assert!(man.stdout.contains("check"));
    let (code, err) = closed_pipe(&["completions", "bash"], 10);
    assert_eq!((code, err.as_str()), (0, ""));
}

#[test]
fn explain_renders_markdown_on_a_terminal_and_keeps_it_in_a_pipe() {
    let piped = cli(&["explain", "audience-invalid"]).run().stdout;
    assert!(piped.contains("## What it checks"));
    assert!(!piped.contains('\x1b'));
    let rendered = cli(&["explain", "audience-invalid", "--color", "always"])
        .run()
        .stdout;
    assert!(!rendered.contains("## "), "{rendered}");
    assert!(
        rendered.contains("\x1b[1mWhat it checks\x1b[0m"),
        "{rendered}"
    );
    assert!(!rendered.contains("```"));
}
