//! One module per subcommand. Commands turn arguments into pipeline options, run the
//! pipeline and pick a renderer; they are the only place that writes to the terminal.

pub(crate) mod check;
pub(crate) mod completions;
pub(crate) mod decode;
pub(crate) mod explain;
pub(crate) mod inspect;
pub(crate) mod metadata;
pub(crate) mod okta_map;
pub(crate) mod proxy;
pub(crate) mod redact;
pub(crate) mod rules;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use crate::cli::{
    Cli, ColorChoice, Command, ConfigArgs, ContextArgs, EvalArgs, PipelineArgs, RuleSelectArgs,
    TrustArgs,
};
use crate::config::{self, Config, ConfigError, TrustConfig};
use crate::lint::Expected;
use crate::lint::overrides::Overrides;
use crate::pipeline::Options;
use crate::verify::TrustStore;

/// Runs the parsed command line.
///
/// # Errors
/// Usage and configuration errors (exit code 2).
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let _ = COLOR.set(cli.color);
    match cli.command {
        Some(Command::Check(args)) => check::run(&args),
        Some(Command::Decode(args)) => decode::run(&args),
        Some(Command::Rules(args)) => rules::run(&args),
        Some(Command::Explain(args)) => explain::run(&args),
        Some(Command::Metadata(args)) => metadata::run(&args),
        Some(Command::OktaMap(args)) => okta_map::run(&args),
        Some(Command::Inspect(args)) => inspect::run(&args),
        None if std::io::stdout().is_terminal() => {
            // `samlint` alone is `samlint inspect` with its defaults.
            use clap::Parser;
            match Cli::try_parse_from(["samlint", "inspect"])?.command {
                Some(Command::Inspect(args)) => inspect::run(&args),
                _ => Ok(ExitCode::from(2)),
            }
        }
        Some(Command::Proxy(args)) => proxy::run(&args),
        Some(Command::Redact(args)) => redact::run(&args),
        Some(Command::Completions(args)) => completions::completions(&args),
        Some(Command::Man) => completions::man(),
        None => {
            use clap::CommandFactory;
            let mut cmd = Cli::command();
            cmd.print_help()?;
            Ok(ExitCode::from(2))
        }
    }
}

/// Expands the arguments into inputs. A directory that holds nothing to check is a
/// usage error (a mistyped captures folder must not pass in CI): it is named on
/// stderr and `None` comes back.
pub(crate) fn expand_inputs(
    args: &[std::ffi::OsString],
) -> io::Result<Option<Vec<Result<crate::input::InputSpec, crate::input::InputError>>>> {
    let mut specs = Vec::new();
    for arg in args {
        let found = crate::input::expand(std::slice::from_ref(arg));
        if found.is_empty() && std::path::Path::new(arg).is_dir() {
            let looked: Vec<String> = crate::input::DIR_EXTENSIONS
                .iter()
                .map(|e| format!("*.{e}"))
                .collect();
            writeln!(
                io::stderr().lock(),
                "samlint: no inputs found in {} (looked for {})",
                std::path::Path::new(arg).display(),
                looked.join(" ")
            )?;
            return Ok(None);
        }
        specs.extend(found);
    }
    Ok(Some(specs))
}

/// Whether `e` comes from writing to a closed pipe (`samlint ... | head`), directly or
/// through a serializer.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|j| j.io_error_kind() == Some(io::ErrorKind::BrokenPipe))
    })
}

/// The width of the terminal on stdout (`COLUMNS` wins), for text that should fit it;
/// `None` in a pipe, whose output stays the same everywhere.
pub(crate) fn terminal_width() -> Option<usize> {
    if !io::stdout().is_terminal() {
        return None;
    }
    if let Some(n) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok())
    {
        return Some(n);
    }
    ratatui::crossterm::terminal::size()
        .ok()
        .map(|(w, _)| usize::from(w))
}

/// The run's `--color`, set once when the command line is parsed.
static COLOR: std::sync::OnceLock<ColorChoice> = std::sync::OnceLock::new();

/// Whether to colour a stream: `--color always|never` decide; `auto` colours a
/// terminal unless `NO_COLOR` is set, and a pipe when `CLICOLOR_FORCE` is set
/// (<https://no-color.org>, <https://bixense.com/clicolors/>).
pub(crate) fn use_color(stream_is_terminal: bool) -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
    match COLOR.get().copied().unwrap_or_default() {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if set("NO_COLOR") => false,
        ColorChoice::Auto => stream_is_terminal || set("CLICOLOR_FORCE"),
    }
}

/// What a pipeline front-end needs before it starts: options (trust loaded once for
/// the run) and rule overrides, from its flags and samlint.toml.
pub(crate) struct Setup {
    pub options: Options,
    pub overrides: Overrides,
    /// The terminal UI's keys (samlint.toml's `[keys]` over the defaults).
    pub keys: crate::tui::keys::Keymap,
}

/// Reads samlint.toml and the pipeline flags shared by `check`, `inspect` and
/// `proxy`. `Ok(Err(code))`: a configuration error was reported; exit with `code`.
///
/// # Errors
/// A trust or SP key file that cannot be read or parsed, or an engine this build
/// lacks (exit code 2).
pub(crate) fn setup(args: &PipelineArgs) -> anyhow::Result<Result<Setup, ExitCode>> {
    let config = match load_config(&args.config) {
        Ok(c) => c,
        Err(e) => return config_error(&e).map(Err),
    };
    let config = config.as_ref();
    let mut options = Options {
        trust: load_trust(&args.trust, config)?,
        engine: args.trust.engine(config.and_then(|c| c.trust.engine))?,
        sp_key: args.trust.load_sp_key()?,
        ..options(&args.eval, &args.context, config)
    };
    let aws_paths = if args.aws.paths.is_empty() {
        config.map(|c| c.aws_paths.clone()).unwrap_or_default()
    } else {
        args.aws.paths.clone()
    };
    if !aws_paths.is_empty() {
        load_aws(&aws_paths, &mut options)?;
    }
    Ok(Ok(Setup {
        options,
        overrides: overrides(&args.rules, config),
        keys: config.map(|c| c.keys.clone()).unwrap_or_default(),
    }))
}

/// Reads the AWS exports once for the run: each file that cannot be used is one
/// line on stderr, and the rest is used. The providers' metadata becomes trust, and
/// the expected context is filled where the user gave none.
///
/// # Errors
/// Writing to stderr.
pub(crate) fn load_aws(paths: &[std::path::PathBuf], options: &mut Options) -> anyhow::Result<()> {
    use std::io::Write as _;
    for p in paths {
        if !p.exists() {
            anyhow::bail!("{}: no such file or directory (--aws)", p.display());
        }
    }
    let acct = crate::aws::Account::load(paths);
    let mut err = std::io::stderr().lock();
    for e in &acct.errors {
        writeln!(err, "samlint: --aws {e}")?;
    }
    acct.add_trust(&mut options.trust);
    crate::aws::fill_expected(&acct, &mut options.expected);
    options.aws = Some(std::sync::Arc::new(acct));
    Ok(())
}

/// Pipeline options from the command line and the configuration file (flags win).
/// Shared by every front-end; trust is loaded separately ([`load_trust`]).
pub fn options(eval: &EvalArgs, context: &ContextArgs, config: Option<&Config>) -> Options {
    let profile = eval
        .profile
        .or_else(|| config.and_then(|c| c.profile).flatten());
    Options {
        now: eval.now,
        skew: eval.clock_skew,
        profile,
        limits: config.map(|c| c.limits).unwrap_or_default(),
        expected: expected(context, config),
        ..Options::default()
    }
}

/// The trust sources of the run: the command line's when it names any, else the
/// configuration's.
pub fn trust_sources(args: &TrustArgs, config: Option<&Config>) -> TrustArgs {
    let given = !(args.idp_metadata.is_empty()
        && args.idp_cert.is_empty()
        && args.idp_fingerprint.is_empty());
    match config {
        Some(c) if !given => {
            let TrustConfig {
                idp_metadata,
                idp_cert,
                idp_fingerprint,
                engine: _,
            } = c.trust.clone();
            TrustArgs {
                idp_metadata,
                idp_cert,
                idp_fingerprint,
                engine: args.engine,
                sp_key: args.sp_key.clone(),
            }
        }
        _ => args.clone(),
    }
}

/// Loads the run's trust once (flags, else `samlint.toml`), naming its warnings on
/// stderr.
///
/// # Errors
/// A trust file that cannot be read or parsed (exit code 2).
pub fn load_trust(args: &TrustArgs, config: Option<&Config>) -> anyhow::Result<TrustStore> {
    let trust = trust_sources(args, config).load()?;
    let mut stderr = io::stderr().lock();
    for w in &trust.warnings {
        writeln!(stderr, "samlint: warning: {w}")?;
    }
    Ok(trust)
}

/// Reads the configuration the arguments ask for: none with `--no-config`, the
/// `--config` file, or the nearest samlint.toml upward from the working directory.
///
/// # Errors
/// The file cannot be read or is invalid.
pub(crate) fn load_config(args: &ConfigArgs) -> Result<Option<Config>, ConfigError> {
    if args.no_config {
        return Ok(None);
    }
    let cwd = std::env::current_dir().unwrap_or_default();
    config::load(args.config.as_deref(), &cwd)
}

/// Prints a configuration error with its `help:` line; exit code 2.
pub(crate) fn config_error(e: &ConfigError) -> anyhow::Result<ExitCode> {
    let mut err = io::stderr().lock();
    writeln!(err, "samlint: {e}")?;
    writeln!(err, "help: {}", e.help)?;
    Ok(ExitCode::from(2))
}

/// The expected context: each flag that is given replaces the config's key.
pub(crate) fn expected(args: &ContextArgs, config: Option<&Config>) -> Expected {
    let base = config.map(|c| c.context.clone()).unwrap_or_default();
    let list = |flag: &Vec<String>, conf: Vec<String>| {
        if flag.is_empty() { conf } else { flag.clone() }
    };
    Expected {
        saml_providers: list(&args.saml_providers, base.saml_providers),
        accounts: list(&args.accounts, base.accounts),
        roles: if args.roles.is_empty() {
            base.roles
        } else {
            args.roles.iter().cloned().collect()
        },
        max_session_duration: args.max_session_duration.or(base.max_session_duration),
        acs_url: args.acs_url.clone().or(base.acs_url),
        audience: args.audience.clone().or(base.audience),
        ic_usernames: list(&args.ic_usernames, base.ic_usernames),
    }
}

/// Config overrides first, then the command line's (later entries win).
pub(crate) fn overrides(args: &RuleSelectArgs, config: Option<&Config>) -> Overrides {
    let mut o = config.map(|c| c.overrides.clone()).unwrap_or_default();
    o.ignore.extend(args.ignore.iter().map(|m| m.id));
    o.severity
        .extend(args.severity.iter().map(|s| (s.rule.id, s.severity)));
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_replace_config_context_keys() {
        let config = Config {
            context: Expected {
                saml_providers: vec!["from-config".to_owned()],
                accounts: vec!["111111111111".to_owned()],
                max_session_duration: Some(7200),
                ..Expected::default()
            },
            ..Config::default()
        };
        let args = ContextArgs {
            saml_providers: vec!["from-flag".to_owned()],
            audience: Some("urn:amazon:webservices".to_owned()),
            ..ContextArgs::default()
        };
        let e = expected(&args, Some(&config));
        assert_eq!(e.saml_providers, ["from-flag"]);
        assert_eq!(e.accounts, ["111111111111"]);
        assert_eq!(e.max_session_duration, Some(7200));
        assert_eq!(e.audience.as_deref(), Some("urn:amazon:webservices"));
        assert_eq!(expected(&ContextArgs::default(), None), Expected::default());
    }
}
