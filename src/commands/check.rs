//! `samlint check`: batch checking for people and CI.
//!
//! The report goes to standard output or `--output FILE`. On stderr: one line per
//! input that cannot be read, a progress bar (only on a terminal, never with
//! `--quiet` or in CI), and a summary line with the elapsed time (for non-text
//! formats on a terminal, and always with `--output`; never with `--quiet`). The
//! text format prints its own summary on stdout, without a time, so its output is
//! deterministic.

use std::fmt::Write as _;
use std::fs::{File, OpenOptions};
use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::CheckArgs;
use crate::input;
use crate::pipeline::{self, Options};
use crate::report::github;
use crate::report::{Format, RenderOptions, Report};

/// Whether the environment says this is a CI run (`CI=true`, or any value but
/// `false`/`0`).
fn in_ci() -> bool {
    std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
}

fn progress_bar(len: usize, show: bool) -> ProgressBar {
    if !show || len < 2 {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::with_draw_target(
        Some(u64::try_from(len).unwrap_or(u64::MAX)),
        ProgressDrawTarget::stderr(),
    );
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} checking {pos}/{len} inputs {wide_bar} {eta}")
    {
        pb.set_style(style);
    }
    pb.enable_steady_tick(Duration::from_millis(120));
    pb
}

/// # Errors
/// Usage or configuration errors, and a report that cannot be written.
pub fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let opts = Options {
        now: args.eval.now,
        skew: args.eval.clock_skew,
        profile: args.eval.profile,
        ..Options::default()
    };
    let out_args = &args.output;
    let stderr_tty = io::stderr().is_terminal();
    let specs = input::expand(&args.inputs);
    let pb = progress_bar(specs.len(), stderr_tty && !out_args.quiet && !in_ci());
    let report = pipeline::check_all_with(specs, &opts, &|| pb.inc(1));
    pb.finish_and_clear();

    // Inputs that cannot be read at all are also named on stderr, one line each.
    let mut stderr = io::stderr().lock();
    for i in report.inputs.iter().filter(|i| i.error.is_some()) {
        writeln!(
            stderr,
            "samlint: {}",
            i.error.as_deref().unwrap_or_default()
        )?;
    }
    drop(stderr);

    let format = out_args.format;
    let mut render = RenderOptions {
        fail_on: out_args.fail_on,
        ..RenderOptions::default()
    };
    if let Some(path) = &out_args.output {
        write_report_file(path, format, &report, render)?;
    } else {
        let stdout = io::stdout();
        render.color = super::use_color(stdout.is_terminal());
        let mut out = io::BufWriter::new(stdout.lock());
        format.render(&report, &render, &mut out)?;
        out.flush()?;
    }

    if format == Format::Github
        && let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty())
    {
        append_step_summary(Path::new(&path), &report)?;
    }

    let show_summary =
        !out_args.quiet && (out_args.output.is_some() || (format != Format::Text && stderr_tty));
    if show_summary {
        let mut line = format!(
            "samlint: {} in {:.2}s",
            report.totals().describe(),
            started.elapsed().as_secs_f64()
        );
        if let Some(path) = &out_args.output {
            let _ = write!(line, "; report written to {}", path.display());
        }
        writeln!(io::stderr().lock(), "{line}")?;
    }
    Ok(ExitCode::from(report.exit_code(out_args.fail_on)))
}

fn write_report_file(
    path: &Path,
    format: Format,
    report: &Report,
    render: RenderOptions,
) -> anyhow::Result<()> {
    let file = File::create(path).with_context(|| format!("cannot write {}", path.display()))?;
    let mut out = io::BufWriter::new(file);
    format
        .render(report, &render, &mut out)
        .and_then(|()| out.flush())
        .with_context(|| format!("cannot write {}", path.display()))
}

fn append_step_summary(path: &Path, report: &Report) -> anyhow::Result<()> {
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("cannot append to $GITHUB_STEP_SUMMARY ({})", path.display()))?;
    let mut out = io::BufWriter::new(file);
    github::render_summary(report, &mut out)
        .and_then(|()| out.flush())
        .with_context(|| format!("cannot append to $GITHUB_STEP_SUMMARY ({})", path.display()))
}
