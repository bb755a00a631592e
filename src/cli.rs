//! Command-line arguments (clap derive). Doc comments are the help text.

use std::ffi::OsString;
use std::net::SocketAddr;
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
    /// Run a local HTTP(S) capture proxy that records SAML sign-ins as they happen.
    Proxy(ProxyArgs),
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

#[derive(Debug, Args)]
pub struct ProxyArgs {
    /// Address to listen on. Loopback only, unless --allow-remote.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    pub listen: SocketAddr,

    /// Append every request carrying SAMLResponse/SAMLRequest to this HAR file (it
    /// stays a valid HAR after each capture). Other traffic is never written.
    #[arg(long, value_name = "FILE")]
    pub har: Option<PathBuf>,

    /// Directory holding the proxy's CA (ca.pem, ca-key.pem), created on first run
    /// [default: the platform config directory + samlint/]
    #[arg(long, value_name = "DIR")]
    pub ca_dir: Option<PathBuf>,

    /// Print one line per capture on stdout instead of the live view.
    #[arg(long)]
    pub headless: bool,

    /// Also trust this CA (PEM) for upstream servers, besides the built-in roots.
    #[arg(long, value_name = "FILE")]
    pub upstream_ca: Vec<PathBuf>,

    /// Allow a --listen address that is not loopback.
    #[arg(long)]
    pub allow_remote: bool,

    /// Leave cookies and Authorization headers out of the HAR (the SAML payload is
    /// written as sent) and mask the subject in the printed lines.
    #[arg(long)]
    pub redact: bool,

    #[command(flatten)]
    pub eval: EvalArgs,

    #[command(flatten)]
    pub trust: TrustArgs,
}
