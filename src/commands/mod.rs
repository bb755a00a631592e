//! One module per subcommand. Commands turn arguments into pipeline options, run the
//! pipeline and pick a renderer; they are the only place that writes to the terminal.

pub mod check;
pub mod decode;
pub mod proxy;

use std::process::ExitCode;

use crate::cli::{Cli, Command};

/// Runs the parsed command line.
///
/// # Errors
/// Usage and configuration errors (exit code 2).
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Some(Command::Check(args)) => check::run(&args),
        Some(Command::Decode(args)) => decode::run(&args),
        Some(Command::Proxy(args)) => proxy::run(&args),
        None => {
            use clap::CommandFactory;
            let mut cmd = Cli::command();
            cmd.print_help()?;
            Ok(ExitCode::from(2))
        }
    }
}

/// Colour only on a terminal, and never with `NO_COLOR`.
pub(crate) fn use_color(stream_is_terminal: bool) -> bool {
    stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}
