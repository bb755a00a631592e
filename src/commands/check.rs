//! `samlint check`: batch checking for people and CI.
//!
//! The report goes to standard output or `--output FILE`, written while the batch
//! runs in the formats that allow it (JSON, text). On stderr: one line per input that
//! cannot be read, when it is reached, a progress bar (only on a terminal, never with
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
use crate::pipeline;
use crate::report::{Format, Part, RenderContext, RenderOptions, Stream, Target, Totals};

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
pub(crate) fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let super::Setup {
        options: mut opts,
        overrides,
        ..
    } = match super::setup(&args.pipeline)? {
        Ok(setup) => setup,
        Err(code) => return Ok(code),
    };
    // CloudTrail files given as inputs are part of the export: their failed
    // events are matched to the captures, or explained alone.
    let (trail, inputs): (Vec<_>, Vec<_>) = args
        .inputs
        .iter()
        .cloned()
        .partition(|i| crate::aws::cloudtrail::looks_like_cloudtrail(Path::new(i)));
    if !trail.is_empty() {
        let paths: Vec<std::path::PathBuf> = trail.into_iter().map(Into::into).collect();
        let mut acct = opts.aws.as_deref().cloned().unwrap_or_default();
        let known = acct.errors.len();
        acct.load_more(&paths);
        for e in &acct.errors[known..] {
            writeln!(io::stderr().lock(), "samlint: {e}")?;
        }
        opts.aws = Some(std::sync::Arc::new(acct));
    }
    let matched = std::sync::Mutex::new(Vec::new());
    let out_args = &args.output;
    let stderr_tty = io::stderr().is_terminal();
    let format = out_args.format;
    let mut render = RenderOptions {
        fail_on: out_args.fail_on,
        show_context_keys: args.pipeline.aws.show_context_keys,
        ..RenderOptions::default()
    };
    if out_args.output.is_none() {
        render.color = super::use_color(io::stdout().is_terminal());
        render.width = super::terminal_width();
    }
    let cx = RenderContext {
        opts: render,
        ignored: overrides.ignore.clone(),
    };
    let summary_path = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty());
    let step_summary = format == Format::Github && summary_path.is_some();

    let Some(specs) = super::expand_inputs(&inputs)? else {
        return Ok(ExitCode::from(2));
    };
    // The report is written while the batch runs: each input is rendered on the
    // worker that checked it and written as soon as the inputs before it are.
    let out: Box<dyn Write + Send> = match &out_args.output {
        Some(path) => Box::new(io::BufWriter::with_capacity(
            OUT_BUFFER,
            File::create(path).with_context(|| format!("cannot write {}", path.display()))?,
        )),
        None => Box::new(io::BufWriter::with_capacity(OUT_BUFFER, io::stdout())),
    };
    let mut sink = Sink {
        report: Stream::new(Target::Format(format), out),
        failed: None,
        totals: Totals::default(),
        summary: Vec::new(),
    };
    let pb = progress_bar(specs.len(), stderr_tty && !out_args.quiet && !in_ci());
    // Inputs that cannot be read at all are also named on stderr, one line each, as
    // they come. (The text report names them itself, once.)
    let name_unreadable = format != Format::Text || out_args.output.is_some();
    pipeline::check_in_order(
        &specs,
        &opts,
        &|mut input| {
            if opts.aws.as_ref().is_some_and(|a| !a.events.is_empty()) {
                let found = input
                    .payloads
                    .iter()
                    .filter_map(|p| p.aws.as_ref())
                    .flat_map(|a| a.cloudtrail.iter().cloned());
                if let Ok(mut m) = matched.lock() {
                    m.extend(found);
                }
            }
            input.apply_overrides(&overrides);
            if out_args.redact {
                crate::report::redact::redact_input(&mut input);
            }
            let rendered = Checked {
                totals: Totals::of(&input),
                part: Target::Format(format).part(&input, &cx),
                summary: step_summary.then(|| Target::StepSummary.part(&input, &cx)),
                error: input.error,
            };
            pb.inc(1);
            rendered
        },
        &mut |c: Checked| {
            if let Some(e) = &c.error
                && name_unreadable
            {
                pb.suspend(|| {
                    let _ = writeln!(io::stderr().lock(), "samlint: {e}");
                });
            }
            sink.push(c.totals, c.part, c.summary);
        },
    );
    pb.finish_and_clear();

    if let Some(acct) = &opts.aws {
        let matched = matched.into_inner().unwrap_or_default();
        let alone = crate::aws::unmatched_events(acct, &matched);
        if !alone.is_empty() {
            let mut input = crate::report::InputReport::new("CloudTrail (--aws)".to_owned());
            input.findings = alone;
            input.apply_overrides(&overrides);
            if out_args.redact {
                crate::report::redact::redact_input(&mut input);
            }
            sink.push(
                Totals::of(&input),
                Target::Format(format).part(&input, &cx),
                step_summary.then(|| Target::StepSummary.part(&input, &cx)),
            );
        }
    }
    let Sink {
        report,
        failed,
        totals,
        summary,
    } = sink;
    let written = match failed {
        Some(e) => Err(e),
        None => report
            .finish(&totals, &cx)
            .and_then(|mut out| out.flush().map(|()| out)),
    };
    match written {
        Ok(out) => drop(out),
        // A reader that stops early (`| head`) ends the run quietly; the exit
        // status still tells what the inputs hold.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe && out_args.output.is_none() => {
            return Ok(ExitCode::from(totals.exit_code(out_args.fail_on)));
        }
        Err(e) => {
            return Err(match &out_args.output {
                Some(path) => {
                    anyhow::Error::new(e).context(format!("cannot write {}", path.display()))
                }
                None => e.into(),
            });
        }
    }

    if let Some(path) = summary_path.filter(|_| step_summary) {
        append_step_summary(Path::new(&path), |out| {
            Target::StepSummary.write(&summary, &totals, &cx, out)
        })?;
    }

    let show_summary =
        !out_args.quiet && (out_args.output.is_some() || (format != Format::Text && stderr_tty));
    if show_summary {
        let mut line = format!(
            "samlint: {} in {:.2}s",
            totals.describe(),
            started.elapsed().as_secs_f64()
        );
        if let Some(path) = &out_args.output {
            let _ = write!(line, "; report written to {}", path.display());
        }
        writeln!(io::stderr().lock(), "{line}")?;
    }
    // The process ends next: freeing the job summary's parts one allocation at a time
    // would only delay the exit, and the system takes the memory back at once.
    std::mem::forget(summary);
    Ok(ExitCode::from(totals.exit_code(out_args.fail_on)))
}

/// What is kept of one input once it has been checked and rendered.
struct Checked {
    totals: Totals,
    part: Part,
    /// Its share of the GitHub job summary, when one is written.
    summary: Option<Part>,
    error: Option<String>,
}

/// The report's write buffer: a few inputs' parts per system call.
const OUT_BUFFER: usize = 64 * 1024;

/// Where checked inputs go, in order: the report, the totals and the job summary.
struct Sink {
    report: Stream<Box<dyn Write + Send>>,
    /// The first write error; nothing more is written after it, but the batch is
    /// still checked for the exit status.
    failed: Option<io::Error>,
    totals: Totals,
    summary: Vec<Part>,
}

impl Sink {
    fn push(&mut self, totals: Totals, part: Part, summary: Option<Part>) {
        self.totals.add(&totals);
        if self.failed.is_none()
            && let Err(e) = self.report.push(part)
        {
            self.failed = Some(e);
        }
        self.summary.extend(summary);
    }
}

fn append_step_summary(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> anyhow::Result<()> {
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .with_context(|| format!("cannot append to $GITHUB_STEP_SUMMARY ({})", path.display()))?;
    let mut out = io::BufWriter::new(file);
    write(&mut out)
        .and_then(|()| out.flush())
        .with_context(|| format!("cannot append to $GITHUB_STEP_SUMMARY ({})", path.display()))
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::{Cli, Command};
    use crate::lint::Profile;

    fn check_args(argv: &[&str]) -> CheckArgs {
        let cli = Cli::try_parse_from(["samlint", "check"].iter().chain(argv)).unwrap();
        match cli.command {
            Some(Command::Check(a)) => a,
            _ => unreachable!(),
        }
    }

    #[test]
    fn context_flags_reach_options() {
        let args = check_args(&[
            "x.har",
            "--provider-arn",
            "arn:aws:iam::123456789012:saml-provider/Okta",
            "--provider-arn",
            "arn:aws:iam::123456789012:saml-provider/Okta2",
            "--account",
            "123456789012",
            "--role-arn",
            "arn:aws:iam::123456789012:role/Admin",
            "--max-session-duration",
            "43200",
            "--acs-url",
            "https://signin.aws.amazon.com/saml",
            "--audience",
            "urn:amazon:webservices",
            "--ic-user",
            "jane@example.com",
        ]);
        let e = super::super::options(&args.pipeline.eval, &args.pipeline.context, None).expected;
        assert_eq!(e.saml_providers.len(), 2);
        assert_eq!(e.accounts, ["123456789012"]);
        assert!(e.roles.iter().eq(["arn:aws:iam::123456789012:role/Admin"]));
        assert_eq!(e.max_session_duration, Some(43200));
        assert_eq!(
            e.acs_url.as_deref(),
            Some("https://signin.aws.amazon.com/saml")
        );
        assert_eq!(e.audience.as_deref(), Some("urn:amazon:webservices"));
        assert_eq!(e.ic_usernames, ["jane@example.com"]);
    }

    #[test]
    fn flags_beat_config() {
        let config = crate::config::parse(
            "profile = \"generic\"\n[context]\naccounts = [\"111111111111\"]\n[limits]\nmax_depth = 9\n[trust]\nidp_metadata = [\"m.xml\"]\n",
            "samlint.toml",
            std::path::Path::new("/c"),
        )
        .unwrap();
        let plain = check_args(&["x"]);
        let o = super::super::options(&plain.pipeline.eval, &plain.pipeline.context, Some(&config));
        assert_eq!(o.profile, Some(Profile::Generic));
        assert_eq!(o.expected.accounts, ["111111111111"]);
        assert_eq!(o.limits.max_depth, 9);
        assert_eq!(
            super::super::trust_sources(&plain.pipeline.trust, Some(&config)).idp_metadata,
            [std::path::PathBuf::from("/c/m.xml")]
        );
        let flagged = check_args(&[
            "x",
            "--profile",
            "aws-iam",
            "--account",
            "222222222222",
            "--idp-metadata",
            "other.xml",
        ]);
        let o = super::super::options(
            &flagged.pipeline.eval,
            &flagged.pipeline.context,
            Some(&config),
        );
        assert_eq!(o.profile, Some(Profile::AwsIam));
        assert_eq!(o.expected.accounts, ["222222222222"]);
        assert_eq!(
            super::super::trust_sources(&flagged.pipeline.trust, Some(&config)).idp_metadata,
            [std::path::PathBuf::from("other.xml")]
        );
    }

    #[test]
    fn ignore_and_severity_values_are_checked() {
        assert!(Cli::try_parse_from(["samlint", "check", "x", "--ignore", "nope"]).is_err());
        assert!(
            Cli::try_parse_from(["samlint", "check", "x", "--severity", "SL0104=fatal"]).is_err()
        );
        let a = check_args(&[
            "x",
            "--ignore",
            "SL0104",
            "--severity",
            "input-not-saml=warning",
        ]);
        let o = super::super::overrides(&a.pipeline.rules, None);
        assert_eq!(o.ignore, ["response-too-large"]);
    }
}
