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

/// Every ```console block of README.md and docs/*.md is run: each `$ samlint ...` (or
/// `$ cargo run --release -- ...`) command (a trailing `\` continues it) with the lines under it as its expected
/// output, stdout then stderr. `...` on a line of its own stands for any number of
/// lines, `[..]` for any text within a line. Commands run in a scratch directory that
/// sees the repository's `samples/` and `tests/`, with no samlint.toml and no colour.
#[test]
fn console_examples_in_the_docs_run() {
    let root = repo();
    let mut files = vec![root.join("README.md")];
    let mut docs: Vec<_> = std::fs::read_dir(root.join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    let scratch = tempfile::tempdir().unwrap();
    for dir in ["samples", "tests"] {
        std::os::unix::fs::symlink(root.join(dir), scratch.path().join(dir)).unwrap();
    }
    let mut failures = Vec::new();
    let mut ran = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let name = file.strip_prefix(&root).unwrap().display().to_string();
        for (line, example) in console_examples(&text) {
            ran += 1;
            let Some(mut args) = shell_words(&example.command) else {
                failures.push(format!("{name}:{line}: cannot split {:?}", example.command));
                continue;
            };
            // `cargo run --release -- ARGS` (the README's form before installing) runs
            // the same binary as `samlint ARGS`.
            if let Some(rest) = args
                .strip_prefix(&["cargo", "run", "--release", "--"].map(str::to_owned))
                .map(<[String]>::to_vec)
            {
                args = std::iter::once("samlint".to_owned()).chain(rest).collect();
            }
            if args.first().map(String::as_str) != Some("samlint") {
                failures.push(format!("{name}:{line}: a console example runs samlint"));
                continue;
            }
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_samlint"))
                .args(&args[1..])
                .current_dir(scratch.path())
                // The scratch directory has no samlint.toml above it.
                .env_remove("SAMLINT_NO_CONFIG")
                .env("NO_COLOR", "1")
                .env_remove("CLICOLOR_FORCE")
                .env_remove("CI")
                .env_remove("GITHUB_STEP_SUMMARY")
                .output()
                .unwrap();
            let actual = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            let actual: Vec<&str> = actual.lines().collect();
            let expected: Vec<&str> = example.output.iter().map(String::as_str).collect();
            if !lines_match(&expected, &actual) {
                failures.push(format!(
                    "{name}:{line}: $ {}\n--- expected\n{}\n--- actual\n{}",
                    example.command,
                    expected.join("\n"),
                    actual.join("\n")
                ));
            }
        }
    }
    assert!(ran > 5, "only {ran} console examples found");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

struct Example {
    command: String,
    output: Vec<String>,
}

/// The examples of every ```console block, with the line of their `$`.
fn console_examples(text: &str) -> Vec<(usize, Example)> {
    let mut out: Vec<(usize, Example)> = Vec::new();
    let mut in_block = false;
    let mut continued = false;
    for (i, line) in text.lines().enumerate() {
        if line.starts_with("```") {
            in_block = line.trim_end() == "```console";
            continue;
        }
        if !in_block {
            continue;
        }
        if continued {
            let last = &mut out.last_mut().unwrap().1;
            last.command.push(' ');
            last.command
                .push_str(line.trim().trim_end_matches('\\').trim());
            continued = line.trim_end().ends_with('\\');
        } else if let Some(cmd) = line.strip_prefix("$ ") {
            continued = cmd.trim_end().ends_with('\\');
            out.push((
                i + 1,
                Example {
                    command: cmd.trim_end().trim_end_matches('\\').trim().to_owned(),
                    output: Vec::new(),
                },
            ));
        } else if let Some((_, e)) = out.last_mut() {
            e.output.push(line.to_owned());
        }
    }
    out
}

/// Splits a command line as a POSIX shell would, for the quoting the docs use.
fn shell_words(s: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        c => word.push(c),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => word.push(chars.next()?),
                        c => word.push(c),
                    }
                }
            }
            '\\' => {
                in_word = true;
                word.push(chars.next()?);
            }
            '|' | '>' | '<' | ';' | '&' | '#' | '$' | '`' => {
                // Pipes, redirections and expansions are not examples of samlint.
                return None;
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Some(words)
}

/// `expected` against `actual`: `...` matches any run of lines, `[..]` any text.
fn lines_match(expected: &[&str], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((&"...", rest)) => (0..=actual.len()).any(|i| lines_match(rest, &actual[i..])),
        Some((first, rest)) => actual
            .split_first()
            .is_some_and(|(a, more)| line_matches(first, a) && lines_match(rest, more)),
    }
}

fn line_matches(expected: &str, actual: &str) -> bool {
    let parts: Vec<&str> = expected.split("[..]").collect();
    if parts.len() == 1 {
        return expected == actual;
    }
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if !actual.starts_with(first) || !actual[first.len()..].ends_with(last) {
        return false;
    }
    let mut rest = &actual[first.len()..actual.len() - last.len()];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(i) => rest = &rest[i + part.len()..],
            None => return false,
        }
    }
    true
}

#[test]
fn the_docs_matcher_can_fail() {
    assert!(lines_match(&["a", "...", "z"], &["a", "b", "c", "z"]));
    assert!(!lines_match(&["a", "z"], &["a", "b", "z"]));
    assert!(line_matches("in [..]s; done", "in 0.08s; done"));
    assert!(!line_matches("in [..]s; done", "in 0.08s; undone"));
    assert_eq!(
        shell_words(r"samlint okta-map --group-filter 'a\d+' x").unwrap(),
        ["samlint", "okta-map", "--group-filter", r"a\d+", "x"]
    );
    assert!(shell_words("samlint decode x > y.xml").is_none());
}
