//! A small builder around the real binary: a clean environment, the crate root as
//! working directory, and JSON parsing helpers.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// Variables of the test runner's own environment that change samlint's output or
/// write outside the test (on GitHub Actions, `GITHUB_STEP_SUMMARY` is the real job
/// summary). Every spawned samlint starts without them; a test that wants one sets it.
pub const AMBIENT_VARS: &[&str] = &[
    "NO_COLOR",
    "CI",
    "GITHUB_ACTIONS",
    "GITHUB_STEP_SUMMARY",
    "CLICOLOR",
    "CLICOLOR_FORCE",
    "TERM",
    "COLUMNS",
    "SAMLINT_NO_CONFIG",
];

/// The binary under test with none of [`AMBIENT_VARS`], run from the crate root.
/// `SAMLINT_BIN` names a binary to test instead of the one cargo built (useful when
/// several checkouts share one target directory).
pub fn bare() -> Command {
    let mut cmd = match std::env::var_os("SAMLINT_BIN") {
        Some(bin) => Command::new(bin),
        None => assert_cmd::cargo_bin_cmd!("samlint"),
    };
    for var in AMBIENT_VARS {
        cmd.env_remove(var);
    }
    cmd.current_dir(repo());
    cmd
}

/// `samlint` with an environment that cannot change its output, and no config file.
pub fn samlint() -> Command {
    let mut cmd = bare();
    cmd.env("SAMLINT_NO_CONFIG", "1");
    cmd
}

/// Runs `samlint check --format json ARGS` and returns the exit code and document.
pub fn check_json(args: &[&str]) -> (i32, Value) {
    let out = samlint()
        .arg("check")
        .args(["--format", "json"])
        .args(args)
        .output()
        .expect("ran");
    let code = out.status.code().unwrap_or(-1);
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (code, doc)
}

/// Rule ids of every finding of an input (input-level and payload-level).
pub fn rules_of(input: &Value) -> Vec<String> {
    let mut ids: Vec<String> = input["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(
            input["payloads"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|p| p["findings"].as_array().into_iter().flatten()),
        )
        .filter_map(|f| f["rule"].as_str().map(str::to_owned))
        .collect();
    ids.sort();
    ids
}

/// Every finding of an input (input-level and payload-level), as JSON objects.
pub fn findings_of(input: &Value) -> Vec<Value> {
    input["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(
            input["payloads"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|p| p["findings"].as_array().into_iter().flatten()),
        )
        .cloned()
        .collect()
}

pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

pub struct Samlint {
    cmd: Command,
    stdin: Option<String>,
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `samlint ARGS` through the builder: clean environment, the crate root as working
/// directory, config discovery left on (tests that want none pass `--no-config`).
pub fn cli(args: &[&str]) -> Samlint {
    let mut cmd = bare();
    cmd.args(args);
    Samlint { cmd, stdin: None }
}

impl Samlint {
    pub fn cwd(mut self, dir: &Path) -> Self {
        self.cmd.current_dir(dir);
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Self {
        self.cmd.env(key, value);
        self
    }

    pub fn stdin(mut self, text: &str) -> Self {
        self.stdin = Some(text.to_owned());
        self
    }

    pub fn run(mut self) -> Run {
        if let Some(s) = self.stdin.take() {
            self.cmd.write_stdin(s);
        }
        let out = self.cmd.output().expect("samlint runs");
        Run {
            stdout: String::from_utf8(out.stdout).expect("UTF-8 stdout"),
            stderr: String::from_utf8(out.stderr).expect("UTF-8 stderr"),
            code: out.status.code().unwrap_or(-1),
        }
    }
}

/// Replaces a temporary directory in output with a placeholder.
pub fn scrub(text: &str, dir: &Path) -> String {
    text.replace(&dir.display().to_string(), "[TMP]")
}
