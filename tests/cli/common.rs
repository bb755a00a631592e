//! A small builder around the real binary: a clean environment, the crate root as
//! working directory, and JSON parsing helpers.

use assert_cmd::Command;
use serde_json::Value;

/// `samlint` with an environment that cannot change its output.
pub fn samlint() -> Command {
    let mut cmd = Command::cargo_bin("samlint").expect("binary built");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .env_remove("CI")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env("SAMLINT_NO_CONFIG", "1");
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
