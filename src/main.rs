use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

// Each payload still allocates small strings (decoding, the SAML model, findings,
// reports); mimalloc keeps that cheap across the worker threads of a batch.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = samlint::cli::Cli::parse();
    match samlint::commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            // A closed pipe (`samlint rules | head`) ends the run quietly; `check`
            // still reports its findings in the exit status (it handles the pipe itself).
            if samlint::commands::is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            let _ = writeln!(std::io::stderr(), "samlint: {e:#}");
            ExitCode::from(2)
        }
    }
}
