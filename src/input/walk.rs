//! Expanding command-line arguments into inputs.

use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::{InputError, InputSpec};

/// Extensions collected when a directory is searched (compared without case).
pub(crate) const EXTENSIONS: &[&str] = &["har", "json", "xml", "b64", "txt", "html", "htm"];

pub(super) fn expand(args: &[OsString]) -> Vec<Result<InputSpec, InputError>> {
    let mut out = Vec::new();
    for arg in args {
        if arg == "-" {
            out.push(Ok(InputSpec::Stdin));
            continue;
        }
        let path = PathBuf::from(arg);
        match fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => {
                walk_dir(&path, &mut out);
            }
            Ok(_) => out.push(Ok(InputSpec::Path(path))),
            Err(e) => out.push(Err(io_error(&path, e))),
        }
    }
    out
}

/// Turns an I/O error on `path` into the input error reported for it.
pub(super) fn io_error(path: &Path, source: io::Error) -> InputError {
    let path = path.display().to_string();
    if source.kind() == io::ErrorKind::NotFound {
        InputError::NotFound { path }
    } else {
        InputError::Io { path, source }
    }
}

/// Collects the matching files under `dir`, recursively, in path order. Hidden
/// directories are skipped; symbolic links to directories are not followed (no
/// cycles), links to files are. A directory that cannot be read becomes an error in
/// the list.
///
/// Each directory's entries are sorted by name and visited depth first, which is the
/// order of the whole paths (`Path` compares component by component) without
/// comparing whole paths: that sort was most of the walk's time on large batches.
fn walk_dir(dir: &Path, out: &mut Vec<Result<InputSpec, InputError>>) {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            out.push(Err(io_error(dir, e)));
            return;
        }
    };
    let mut listed = Vec::new();
    // Whether any name here is a redaction record (`<file>.samlint-record`): when
    // none is, the files of this directory are not looked for one each.
    let mut records = false;
    for entry in entries {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                out.push(Err(io_error(dir, e)));
                continue;
            }
        };
        records |= entry
            .file_name()
            .as_encoded_bytes()
            .ends_with(super::RECORD_SIDECAR.as_bytes());
        let path = entry.path();
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        let is_dir = if file_type.is_symlink() {
            // A link to a directory is left alone; a dangling link is skipped.
            match fs::metadata(&path) {
                Ok(meta) if meta.is_dir() => continue,
                Ok(_) => false,
                Err(_) => continue,
            }
        } else {
            file_type.is_dir()
        };
        if is_dir && is_hidden(&path) || !is_dir && !has_wanted_extension(&path) {
            continue;
        }
        listed.push((entry.file_name(), is_dir, path));
    }
    listed.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    for (_, is_dir, path) in listed {
        if is_dir {
            walk_dir(&path, out);
        } else if records {
            out.push(Ok(InputSpec::Path(path)));
        } else {
            out.push(Ok(InputSpec::Listed(path)));
        }
    }
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|name| name.as_encoded_bytes().starts_with(b"."))
}

fn has_wanted_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|ext| ext.to_str())
        .is_some_and(|ext| EXTENSIONS.iter().any(|w| ext.eq_ignore_ascii_case(w)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(path: &Path) {
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).unwrap();
        }
        fs::write(path, b"x").unwrap();
    }

    fn paths(results: Vec<Result<InputSpec, InputError>>) -> Vec<PathBuf> {
        results
            .into_iter()
            .map(|r| match r.unwrap() {
                InputSpec::Path(p) | InputSpec::Listed(p) => p,
                InputSpec::Stdin => PathBuf::from("-"),
            })
            .collect()
    }

    #[test]
    fn dash_is_stdin() {
        let out = expand(&[OsString::from("-")]);
        assert!(matches!(out.as_slice(), [Ok(InputSpec::Stdin)]));
    }

    #[test]
    fn directory_is_walked_sorted_with_extension_filter() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        for name in [
            "b/login.har",
            "a.xml",
            "c.B64",
            "notes.md",
            "z/deep/x.txt",
            "export.json",
            "image.png",
            "saved/page.HTM",
            "saved/idp.html",
            ".git/config.json",
            ".hidden/skipped.har",
        ] {
            touch(&root.join(name));
        }
        let got = paths(expand(&[root.as_os_str().to_owned()]));
        let want: Vec<PathBuf> = [
            "a.xml",
            "b/login.har",
            "c.B64",
            "export.json",
            "saved/idp.html",
            "saved/page.HTM",
            "z/deep/x.txt",
        ]
        .iter()
        .map(|p| root.join(p))
        .collect();
        assert_eq!(got, want);
    }

    /// The walk's order is `Path` order, also where a directory name is a prefix of
    /// a sibling's name (byte order would put `a-c.xml` before `a/b.xml`).
    #[test]
    fn walk_order_is_path_order() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let names = [
            "a/b.xml",
            "a-c.xml",
            "a.xml",
            "a0/x.txt",
            "A.xml",
            "a/a/z.har",
            "a/a.b64",
            "\u{e9}.xml",
            "a b/c.json",
            "ab.txt",
        ];
        for name in names {
            touch(&root.join(name));
        }
        let mut want: Vec<PathBuf> = names.iter().map(|n| root.join(n)).collect();
        want.sort();
        assert_eq!(paths(expand(&[root.as_os_str().to_owned()])), want);
    }

    #[test]
    fn plain_file_is_taken_whatever_its_extension() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("capture.log");
        touch(&file);
        let got = paths(expand(&[file.as_os_str().to_owned()]));
        assert_eq!(got, vec![file]);
    }

    #[test]
    fn missing_path_is_not_found_and_others_go_on() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("ok.txt");
        touch(&file);
        let missing = tmp.path().join("nope.har");
        let out = expand(&[missing.as_os_str().to_owned(), file.as_os_str().to_owned()]);
        assert_eq!(out.len(), 2);
        match &out[0] {
            Err(InputError::NotFound { path }) => assert!(path.ends_with("nope.har")),
            other => panic!("expected NotFound, got {other:?}"),
        }
        assert!(matches!(&out[1], Ok(InputSpec::Path(p)) if *p == file));
    }

    #[cfg(unix)]
    #[test]
    fn unreadable_directory_is_an_io_error() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let locked = tmp.path().join("locked");
        fs::create_dir(&locked).unwrap();
        touch(&tmp.path().join("a.har"));
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
        if fs::read_dir(&locked).is_ok() {
            // Running as root: permissions are not enforced.
            fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
            return;
        }
        let out = expand(&[tmp.path().as_os_str().to_owned()]);
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(out.len(), 2);
        assert!(matches!(&out[0], Ok(InputSpec::Path(p)) if p.ends_with("a.har")));
        assert!(matches!(&out[1], Err(InputError::Io { .. })));
    }

    /// A file of a directory that holds no redaction record is not looked for one;
    /// in a directory that holds any, every file is.
    #[test]
    fn files_of_a_directory_without_records_are_listed() {
        let tmp = tempfile::tempdir().unwrap();
        touch(&tmp.path().join("plain/a.b64"));
        touch(&tmp.path().join("redacted/b.b64"));
        touch(&tmp.path().join("redacted/c.b64"));
        touch(&tmp.path().join("redacted/b.b64.samlint-record"));
        let out = expand(&[tmp.path().as_os_str().to_owned()]);
        let kinds: Vec<String> = out
            .iter()
            .map(|r| match r.as_ref().unwrap() {
                InputSpec::Listed(p) => format!("listed {}", p.file_name().unwrap().display()),
                InputSpec::Path(p) => format!("path {}", p.file_name().unwrap().display()),
                InputSpec::Stdin => "stdin".to_owned(),
            })
            .collect();
        assert_eq!(kinds, ["listed a.b64", "path b.b64", "path c.b64"]);
    }
}
