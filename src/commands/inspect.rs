//! `samlint inspect` (and `samlint` alone on a terminal): the interactive UI.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::InspectArgs;
use crate::input::{self, InputError, InputSpec};

/// # Errors
/// The terminal could not be used.
pub(crate) fn run(args: &InspectArgs) -> anyhow::Result<ExitCode> {
    // A bad samlint.toml is reported before the screen is taken over.
    let super::Setup {
        options: opts,
        overrides,
        keys,
    } = match super::setup(&args.pipeline)? {
        Ok(setup) => setup,
        Err(code) => return Ok(code),
    };
    if !std::io::stdout().is_terminal() {
        anyhow::bail!(
            "inspect draws on a terminal and standard output is not one; use `samlint check` for text or JSON"
        );
    }
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
    crate::tui::run_with(opts, overrides, keys, specs, None)?;
    Ok(ExitCode::SUCCESS)
}
