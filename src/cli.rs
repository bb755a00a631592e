//! Command-line arguments (clap derive). Doc comments are the help text.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::lint::Profile;
use crate::pipeline::NowMode;
use crate::report::{FailOn, Format};

#[derive(Debug, Parser)]
#[command(
    name = "samlint",
    version,
    about = "Tells exactly why a SAML sign-in to AWS fails, and whether an assertion can be trusted.",
    long_about = None,
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check captured SAML responses: files, directories, HAR files, SAML-tracer
    /// exports, or `-` for stdin.
    Check(CheckArgs),
    /// Print the decoded XML of each payload (decode steps go to stderr).
    Decode(DecodeArgs),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files, directories (searched for *.har *.json *.xml *.b64 *.txt) or `-` for stdin.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<OsString>,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub eval: EvalArgs,

    #[command(flatten)]
    pub trust: TrustArgs,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Output")]
pub struct OutputArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Lowest severity that makes the exit code 1.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,

    /// Write the report to FILE instead of standard output; the summary line still
    /// goes to the terminal (stderr).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// No progress bar and no summary line on stderr (unreadable inputs are still named).
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Evaluation")]
pub struct EvalArgs {
    /// When time rules are evaluated: an RFC 3339 instant, `capture` (the HAR entry's
    /// or tracer export's capture time, else the clock), `issue-instant` or `clock`.
    #[arg(long, default_value = "capture", value_name = "WHEN")]
    pub now: NowMode,

    /// Tolerance applied both ways to every time window (`90s`, `5m`, `0`).
    #[arg(long, default_value = "5m", value_name = "DURATION", value_parser = crate::pipeline::parse_duration)]
    pub clock_skew: chrono::TimeDelta,

    /// Which service provider the payloads are checked as (default: detect per payload).
    #[arg(long, value_enum, value_name = "PROFILE")]
    pub profile: Option<Profile>,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Trust")]
pub struct TrustArgs {
    /// IdP metadata (EntityDescriptor or EntitiesDescriptor) whose signing keys are trusted.
    #[arg(long, value_name = "FILE")]
    pub idp_metadata: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DecodeArgs {
    /// A file, HAR, SAML-tracer export, or `-` for stdin.
    #[arg(value_name = "INPUT")]
    pub input: OsString,

    /// Print the decoded document exactly as decoded, not pretty-printed.
    #[arg(long)]
    pub raw: bool,
}
