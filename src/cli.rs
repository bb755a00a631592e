//! Command-line arguments (clap derive). Doc comments are the help text.

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::lint::overrides::{SeverityOverride, parse_rule, parse_severity_override};
use crate::lint::{IdpKind, Profile, RuleMeta};
use crate::pipeline::NowMode;
use crate::report::{FailOn, Format};

mod values;
pub use values::parse_duration;

#[derive(Debug, Parser)]
#[command(
    name = "samlint",
    bin_name = "samlint",
    version,
    about = "Tells exactly why a SAML sign-in to AWS fails, and whether an assertion can be trusted.",
    long_about = None,
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// When to colour the output: `auto` colours a terminal unless NO_COLOR is set
    /// (CLICOLOR_FORCE colours a pipe too).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check captured SAML responses: files, directories, HAR files, SAML-tracer
    /// exports, or `-` for stdin.
    Check(CheckArgs),
    /// Print the decoded XML of each payload (decode steps go to stderr).
    Decode(DecodeArgs),
    /// List every rule: code, id, default severity, profiles and summary.
    Rules(RulesArgs),
    /// Explain one rule (by id or code): what it checks, what AWS shows, the fix.
    Explain(ExplainArgs),
    /// Lint IdP metadata: signing certificates and their expiry, entityID, SSO services.
    Metadata(MetadataArgs),
    /// Simulate Okta's group-to-role mapping (AWS Account Federation, "Use Group
    /// Mapping") and lint the Role values it yields.
    OktaMap(OktaMapArgs),
    /// Inspect payloads interactively in the terminal (also `samlint` alone); paste
    /// more with `p`.
    Inspect(InspectArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell) to stdout.
    Completions(CompletionsArgs),
    /// Print the man page (roff) to stdout.
    Man,
    /// Run a local HTTP(S) capture proxy that records SAML sign-ins as they happen and
    /// shows each one live.
    Proxy(ProxyArgs),
    /// Write a copy of a capture that is safe to send to support: identities replaced
    /// by consistent pseudonyms, credentials removed, the verdict recorded inside.
    Redact(RedactArgs),
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Files, directories, HAR files, SAML-tracer exports, or `-` for stdin.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<OsString>,

    #[command(flatten)]
    pub pipeline: PipelineArgs,
}

/// What every front-end that runs the pipeline takes: evaluation time and profile,
/// trust, expected AWS context, rule selection and the configuration file.
#[derive(Debug, Args)]
pub struct PipelineArgs {
    #[command(flatten)]
    pub eval: EvalArgs,

    #[command(flatten)]
    pub trust: TrustArgs,

    #[command(flatten)]
    pub context: ContextArgs,

    #[command(flatten)]
    pub aws: AwsArgs,

    #[command(flatten)]
    pub rules: RuleSelectArgs,

    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files, directories (searched for *.har *.json *.xml *.b64 *.txt) or `-` for stdin.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<OsString>,

    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub pipeline: PipelineArgs,
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

    /// Mask NameIDs, session names, email addresses and signature values in the output.
    #[arg(long)]
    pub redact: bool,
}

#[derive(Debug, Args)]
#[command(next_help_heading = "Evaluation")]
pub struct EvalArgs {
    /// When time rules are evaluated: an RFC 3339 instant, `capture` (the HAR entry's
    /// or tracer export's capture time, else the clock), `issue-instant` or `clock`.
    #[arg(long, default_value = "capture", value_name = "WHEN")]
    pub now: NowMode,

    /// Tolerance applied both ways to every time window (`90s`, `5m`, `0`).
    #[arg(long, default_value = "5m", value_name = "DURATION", value_parser = values::parse_duration)]
    pub clock_skew: chrono::TimeDelta,

    /// Which service provider the payloads are checked as (default: detect per payload).
    #[arg(long, value_enum, value_name = "PROFILE")]
    pub profile: Option<Profile>,
}

#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Trust")]
pub struct TrustArgs {
    /// IdP metadata (EntityDescriptor or EntitiesDescriptor) whose signing keys are trusted.
    #[arg(long, value_name = "FILE")]
    pub idp_metadata: Vec<PathBuf>,

    /// A trusted IdP signing certificate (PEM or DER); repeatable.
    #[arg(long, value_name = "FILE")]
    pub idp_cert: Vec<PathBuf>,

    /// A trusted certificate fingerprint, `SHA256:hex` (colons optional; SHA-1 is
    /// accepted with a warning); repeatable.
    #[arg(long, value_name = "SHA256:HEX")]
    pub idp_fingerprint: Vec<String>,

    /// Signature engine: `rust` (built in), `xmlsec` (libxmlsec1) or `both` (report
    /// any disagreement); the xmlsec engines need a build with `--features xmlsec`.
    /// Default `rust`, or `engine` in samlint.toml `[trust]`.
    #[arg(long, value_enum, value_name = "ENGINE")]
    pub engine: Option<crate::verify::Engine>,

    /// The SP private key (PEM, RSA) that opens an EncryptedAssertion, to decrypt,
    /// verify and lint it.
    #[arg(long, value_name = "FILE")]
    pub sp_key: Option<PathBuf>,
}

impl TrustArgs {
    /// Loads the trust material once per run.
    ///
    /// # Errors
    /// A trust file that cannot be read or parsed, or a malformed fingerprint.
    pub fn load(&self) -> anyhow::Result<crate::verify::TrustStore> {
        let mut t = crate::verify::TrustStore::default();
        for p in &self.idp_metadata {
            t.add_metadata_file(p)?;
        }
        for p in &self.idp_cert {
            t.add_cert_file(p)?;
        }
        for f in &self.idp_fingerprint {
            t.add_fingerprint(f)
                .map_err(|e| anyhow::anyhow!("--idp-fingerprint: {e}"))?;
        }
        Ok(t)
    }

    /// The engine to run: the flag, else `default` (samlint.toml), else `rust`.
    ///
    /// # Errors
    /// An engine this build lacks (usage error).
    pub fn engine(
        &self,
        default: Option<crate::verify::Engine>,
    ) -> anyhow::Result<crate::verify::Engine> {
        let engine = self.engine.or(default).unwrap_or_default();
        engine.available().map_err(|e| anyhow::anyhow!(e))?;
        Ok(engine)
    }

    /// Loads `--sp-key` once per run.
    ///
    /// # Errors
    /// The file cannot be read or holds no usable RSA private key (usage error).
    pub fn load_sp_key(&self) -> anyhow::Result<Option<crate::verify::decrypt::SpKey>> {
        let Some(path) = &self.sp_key else {
            return Ok(None);
        };
        let bytes =
            std::fs::read(path).map_err(|e| anyhow::anyhow!("--sp-key {}: {e}", path.display()))?;
        crate::verify::decrypt::SpKey::from_pem(&bytes)
            .map(Some)
            .map_err(|e| anyhow::anyhow!("--sp-key {}: {e}", path.display()))
    }
}

/// What exists in AWS. Only the rules that name a value use it; each flag replaces the
/// matching `[context]` key of samlint.toml.
#[derive(Debug, Args, Default)]
#[command(next_help_heading = "Expected AWS context")]
pub struct ContextArgs {
    /// A SAML provider ARN that exists in AWS (repeatable).
    #[arg(long = "provider-arn", value_name = "ARN")]
    pub saml_providers: Vec<String>,

    /// An AWS account ID the roles may be in (repeatable).
    #[arg(long = "account", value_name = "ID")]
    pub accounts: Vec<String>,

    /// A role ARN that exists in AWS (repeatable).
    #[arg(long = "role-arn", value_name = "ARN")]
    pub roles: Vec<String>,

    /// The roles' maximum session duration in seconds (IAM default 3600).
    #[arg(long, value_name = "SECS")]
    pub max_session_duration: Option<u64>,

    /// The exact ACS URL the responses must be sent to.
    #[arg(long, value_name = "URL")]
    pub acs_url: Option<String>,

    /// The exact Audience the assertions must name.
    #[arg(long, value_name = "URI")]
    pub audience: Option<String>,

    /// An IAM Identity Center user name (repeatable).
    #[arg(long = "ic-user", value_name = "NAME")]
    pub ic_usernames: Vec<String>,
}

/// What the AWS account holds, read offline from AWS CLI and Terraform exports.
#[derive(Debug, Args, Default)]
#[command(next_help_heading = "AWS account")]
pub struct AwsArgs {
    /// An AWS CLI or Terraform JSON export, or a directory of them (repeatable):
    /// roles, SAML providers, Identity Center users, a Terraform state or plan,
    /// CloudTrail events. Replaces `[aws] paths` of samlint.toml.
    #[arg(long = "aws", value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Show the condition keys computed for AssumeRoleWithSAML (text output; JSON
    /// always has them).
    #[arg(long)]
    pub show_context_keys: bool,
}

#[derive(Debug, Args, Default)]
#[command(next_help_heading = "Rules")]
pub struct RuleSelectArgs {
    /// Drop findings of a rule, by id or code (repeatable).
    #[arg(long, value_name = "RULE", value_parser = parse_rule)]
    pub ignore: Vec<&'static RuleMeta>,

    /// Change a rule's severity: `RULE=error|warning|info` (repeatable).
    #[arg(long, value_name = "RULE=LEVEL", value_parser = parse_severity_override)]
    pub severity: Vec<SeverityOverride>,
}

#[derive(Debug, Args, Default)]
#[command(next_help_heading = "Configuration")]
pub struct ConfigArgs {
    /// Read this configuration file instead of the nearest samlint.toml upward from
    /// the working directory.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,

    /// Read no configuration file.
    #[arg(long, env = "SAMLINT_NO_CONFIG", value_parser = clap::builder::BoolishValueParser::new())]
    pub no_config: bool,
}

/// Output formats of `explain`, `metadata` and `okta-map`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum SimpleFormat {
    #[default]
    Text,
    Json,
}

/// Output formats of `samlint rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum RulesFormat {
    #[default]
    Text,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format (`markdown` is the source of docs/rules.md).
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule id (`audience-invalid`) or code (`SL0501`).
    #[arg(value_name = "RULE", value_parser = parse_rule)]
    pub rule: &'static RuleMeta,

    /// Output format.
    #[arg(long, value_enum, default_value_t = SimpleFormat::Text)]
    pub format: SimpleFormat,

    /// Show the IdP-side fix of one IdP only (`other`: the generic text); default:
    /// every IdP's.
    #[arg(long, value_enum, value_name = "IDP")]
    pub idp: Option<IdpKind>,
}

#[derive(Debug, Args)]
pub struct MetadataArgs {
    /// An IdP metadata file (EntityDescriptor or EntitiesDescriptor).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// Which service provider the metadata is for (`aws-identity-center` adds its
    /// own requirements).
    #[arg(long, value_enum, value_name = "PROFILE", default_value = "aws-iam")]
    pub profile: Profile,

    /// When certificate expiry is evaluated: an RFC 3339 instant, or `clock`.
    #[arg(long, default_value = "clock", value_name = "WHEN")]
    pub now: NowMode,

    /// Output format.
    #[arg(long, value_enum, default_value_t = SimpleFormat::Text)]
    pub format: SimpleFormat,

    /// Lowest severity that makes the exit code 1.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    pub fail_on: FailOn,

    /// Mask email addresses in the output.
    #[arg(long)]
    pub redact: bool,

    #[command(flatten)]
    pub rules: RuleSelectArgs,

    #[command(flatten)]
    pub config: ConfigArgs,
}

#[derive(Debug, Args)]
pub struct OktaMapArgs {
    /// Okta's Group Filter: a regular expression with `(?{{accountid}}...)` and
    /// `(?{{role}}...)` captures, matched against the whole group name.
    #[arg(long, value_name = "REGEX")]
    pub group_filter: String,

    /// Okta's Role Value Pattern, e.g.
    /// `arn:aws:iam::${accountid}:saml-provider/Okta,arn:aws:iam::${accountid}:role/${role}`.
    #[arg(long, value_name = "PATTERN")]
    pub role_pattern: String,

    /// Group names.
    #[arg(value_name = "GROUP")]
    pub groups: Vec<String>,

    /// Read group names from a file, one per line (`-` for stdin).
    #[arg(long, value_name = "FILE")]
    pub groups_file: Option<OsString>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = SimpleFormat::Text)]
    pub format: SimpleFormat,

    #[command(flatten)]
    pub context: ContextArgs,

    #[command(flatten)]
    pub config: ConfigArgs,
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
    /// Address to listen on (HOST:PORT; `localhost:8080` works). Loopback only,
    /// unless --allow-remote.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    pub listen: String,

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

    /// Write a shareable HAR, redacted as `samlint redact` does: identities become
    /// pseudonyms (consistent for the run), credentials are removed, signatures
    /// blanked; the printed lines keep the real verdict with the subject masked.
    #[arg(long)]
    pub redact: bool,

    #[command(flatten)]
    pub pipeline: PipelineArgs,
}

#[derive(Debug, Args)]
pub struct RedactArgs {
    /// HAR files, SAML-tracer exports, raw payloads (base64, form body, URL, XML),
    /// saved HTML pages, or `-` for stdin. With --verify: ORIGINAL REDACTED.
    #[arg(required = true, value_name = "INPUT")]
    pub inputs: Vec<OsString>,

    /// Where to write: a file for one input, a directory for several, `-` for stdout.
    #[arg(short, long, value_name = "OUT", required_unless_present_any = ["dry_run", "verify"])]
    pub output: Option<OsString>,

    /// Replace AWS account IDs in Role ARNs (and wherever they appear) with
    /// consistent 12-digit pseudonyms.
    #[arg(long)]
    pub mask_accounts: bool,

    /// List what would be replaced and where, without writing anything.
    #[arg(long, conflicts_with = "verify")]
    pub dry_run: bool,

    /// Prove that REDACTED was made from ORIGINAL: compare the SHA-256 of each
    /// original payload with the record inside the redacted file.
    #[arg(long)]
    pub verify: bool,

    #[command(flatten)]
    pub pipeline: PipelineArgs,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}
