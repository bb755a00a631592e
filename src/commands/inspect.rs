//! `samlint inspect` (and `samlint` alone on a terminal): the interactive UI.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::InspectArgs;
use crate::input::{self, InputError, InputSpec};
use crate::pipeline::Options;

/// # Errors
/// The terminal could not be used.
pub fn run(args: &InspectArgs) -> anyhow::Result<ExitCode> {
    // A bad samlint.toml is reported before the screen is taken over.
    let config = match super::load_config(&args.config) {
        Ok(c) => c,
        Err(e) => return super::config_error(&e),
    };
    if !std::io::stdout().is_terminal() {
        anyhow::bail!(
            "inspect draws on a terminal and standard output is not one; use `samlint check` for text or JSON"
        );
    }
    let opts = Options {
        trust: super::load_trust(&args.trust, config.as_ref())?,
        engine: args
            .trust
            .engine(config.as_ref().and_then(|c| c.trust.engine))?,
        sp_key: args.trust.load_sp_key()?,
        ..super::options(&args.eval, &args.context, config.as_ref())
    };
    let overrides = super::overrides(&args.rules, config.as_ref());
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
    crate::tui::run_with(opts, overrides, specs, None)?;
    Ok(ExitCode::SUCCESS)
}
