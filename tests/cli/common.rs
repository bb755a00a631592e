//! A small builder around the `samlint` binary: a clean environment (no `NO_COLOR`,
//! `CI`, terminal hints), the repository as working directory unless told otherwise.

use std::path::{Path, PathBuf};

pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

pub struct Samlint {
    cmd: assert_cmd::Command,
    stdin: Option<String>,
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn samlint(args: &[&str]) -> Samlint {
    // SAMLINT_BIN: a binary to test instead of the one cargo built (useful when
    // several checkouts share one target directory).
    let mut cmd = match std::env::var_os("SAMLINT_BIN") {
        Some(bin) => assert_cmd::Command::new(bin),
        None => assert_cmd::cargo_bin_cmd!("samlint"),
    };
    for var in [
        "NO_COLOR",
        "CI",
        "CLICOLOR",
        "CLICOLOR_FORCE",
        "TERM",
        "COLUMNS",
    ] {
        cmd.env_remove(var);
    }
    cmd.current_dir(repo()).args(args);
    Samlint { cmd, stdin: None }
}

impl Samlint {
    pub fn cwd(mut self, dir: &Path) -> Self {
        self.cmd.current_dir(dir);
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
