//! `samlint check`: batch checking for people and CI.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use crate::cli::CheckArgs;
use crate::input;
use crate::pipeline::{self, Options};
use crate::report::RenderOptions;

/// # Errors
/// Usage or configuration errors.
pub fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let trust = args.trust.load()?;
    {
        let mut stderr = io::stderr().lock();
        for w in &trust.warnings {
            writeln!(stderr, "samlint: warning: {w}")?;
        }
    }
    let opts = Options {
        trust,
        now: args.eval.now,
        skew: args.eval.clock_skew,
        profile: args.eval.profile,
        ..Options::default()
    };
    let specs = input::expand(&args.inputs);
    let report = pipeline::check_all(specs, &opts);

    // Inputs that cannot be read at all are also named on stderr, one line each.
    let mut stderr = io::stderr().lock();
    for i in report.inputs.iter().filter(|i| i.error.is_some()) {
        writeln!(
            stderr,
            "samlint: {}",
            i.error.as_deref().unwrap_or_default()
        )?;
    }
    let stdout = io::stdout();
    let render = RenderOptions {
        color: super::use_color(stdout.is_terminal()),
    };
    let mut out = io::BufWriter::new(stdout.lock());
    args.output.format.render(&report, &render, &mut out)?;
    out.flush()?;
    Ok(ExitCode::from(report.exit_code(args.output.fail_on)))
}
