//! Test helpers shared by the unit tests.

use std::path::PathBuf;

/// A file of `../shared/` (the spec and the conformance corpus), read in place.
/// Outside CI a missing `shared/` skips the caller with a message; in CI (`CI` set), where
/// it is cloned beside the repository, its absence fails the test instead of passing it.
#[allow(clippy::print_stderr)] // the skip message is the point
pub(crate) fn shared_file(relative: &str) -> Option<PathBuf> {
    let root = std::env::var_os("SAMLINT_SHARED").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"),
        PathBuf::from,
    );
    let path = root.join(relative);
    if path.is_file() {
        return Some(path);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{} is missing: CI must have shared/ beside the repository",
        path.display()
    );
    eprintln!("skipped: {} not found", path.display());
    None
}

/// The conformance corpus (`../shared/corpus`): its directory and the text of its
/// `MANIFEST.tsv`, or `None` when [`shared_file`] skips.
pub(crate) fn corpus_manifest() -> Option<(PathBuf, String)> {
    let manifest = shared_file("corpus/MANIFEST.tsv")?;
    let text = std::fs::read_to_string(&manifest).expect("corpus/MANIFEST.tsv is readable");
    let dir = manifest.parent()?.to_path_buf();
    Some((dir, text))
}
