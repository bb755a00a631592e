//! `samlint inspect` (and `samlint` alone on a terminal): the interactive UI.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::InspectArgs;
use crate::input::{self, InputError, InputSpec};
use crate::pipeline::Options;

/// # Errors
/// The terminal could not be used.
pub fn run(args: &InspectArgs) -> anyhow::Result<ExitCode> {
    let opts = Options {
        now: args.eval.now,
        skew: args.eval.clock_skew,
        profile: args.eval.profile,
        ..Options::default()
    };
    // An input that cannot be read still gets a row (with its error) in the list.
    let specs = input::expand(&args.inputs)
        .into_iter()
        .map(|r| match r {
            Ok(spec) => spec,
            Err(InputError::Io { path, .. } | InputError::NotFound { path }) => {
                InputSpec::Path(PathBuf::from(path))
            }
        })
        .collect();
    crate::tui::run(opts, specs, None)?;
    Ok(ExitCode::SUCCESS)
}
