//! `samlint check`: batch checking for people and CI.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use crate::cli::CheckArgs;
use crate::input;
use crate::pipeline;
use crate::pipeline::Options;
use crate::report::RenderOptions;

/// # Errors
/// Usage or configuration errors.
pub fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let config = match super::load_config(&args.config) {
        Ok(c) => c,
        Err(e) => return super::config_error(&e),
    };
    let opts = Options {
        trust: super::load_trust(&args.trust, config.as_ref())?,
        engine: args
            .trust
            .engine(config.as_ref().and_then(|c| c.trust.engine))?,
        sp_key: args.trust.load_sp_key()?,
        ..super::options(&args.eval, &args.context, config.as_ref())
    };
    let specs = input::expand(&args.inputs);
    let mut report = pipeline::check_all(specs, &opts);
    report.apply_overrides(&super::overrides(&args.rules, config.as_ref()));
    if args.output.redact {
        crate::report::redact::redact(&mut report);
    }

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
        let e = super::super::options(&args.eval, &args.context, None).expected;
        assert_eq!(e.saml_providers.len(), 2);
        assert_eq!(e.accounts, ["123456789012"]);
        assert_eq!(e.roles, ["arn:aws:iam::123456789012:role/Admin"]);
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
        let o = super::super::options(&plain.eval, &plain.context, Some(&config));
        assert_eq!(o.profile, Some(Profile::Generic));
        assert_eq!(o.expected.accounts, ["111111111111"]);
        assert_eq!(o.limits.max_depth, 9);
        assert_eq!(
            super::super::trust_sources(&plain.trust, Some(&config)).idp_metadata,
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
        let o = super::super::options(&flagged.eval, &flagged.context, Some(&config));
        assert_eq!(o.profile, Some(Profile::AwsIam));
        assert_eq!(o.expected.accounts, ["222222222222"]);
        assert_eq!(
            super::super::trust_sources(&flagged.trust, Some(&config)).idp_metadata,
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
        let o = super::super::overrides(&a.rules, None);
        assert_eq!(o.ignore, ["response-too-large"]);
    }
}
