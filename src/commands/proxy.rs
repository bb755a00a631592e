//! `samlint proxy`: starts the capture proxy and shows each capture with its
//! verdict, until Ctrl-C / SIGTERM.

use std::io::{self, Write};
use std::net::{SocketAddr, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use anyhow::Context;
use chrono::{SecondsFormat, Utc};

use crate::cli::ProxyArgs;
use crate::input::Payload;
use crate::lint::Severity;
use crate::lint::overrides::Overrides;
use crate::pipeline::{self, Options};
use crate::proxy::capture::HarHealth;
use crate::proxy::har::Opened;
use crate::proxy::{self, ProxyConfig, ca};
use crate::report::PayloadReport;
use crate::tui::event::LiveStatus;

/// # Errors
/// Usage errors (a remote address without `--allow-remote`, an unusable CA
/// directory or HAR file) and write errors.
pub(crate) fn run(args: &ProxyArgs) -> anyhow::Result<ExitCode> {
    // A bad samlint.toml or trust file is reported before anything listens.
    let super::Setup {
        options: opts,
        overrides,
        keys,
    } = match super::setup(&args.pipeline)? {
        Ok(setup) => setup,
        Err(code) => return Ok(code),
    };
    let mut stderr = io::stderr().lock();
    let listen = resolve_listen(&args.listen)?;
    let remote = proxy::check_listen(listen, args.allow_remote)?;
    if remote {
        writeln!(
            stderr,
            "samlint proxy: warning: listening on {listen}, which is not loopback: anyone who can \
             reach it can use this proxy and read what goes through it",
        )?;
    }
    let ca_dir = match &args.ca_dir {
        Some(dir) => dir.clone(),
        None => default_ca_dir()
            .context("no platform configuration directory is known here; pass --ca-dir")?,
    };
    let config = ProxyConfig {
        har: args.har.clone(),
        upstream_cas: args.upstream_ca.clone(),
        redact: args.redact,
        verdict: args.redact.then(|| {
            let (opts, overrides) = (opts.clone(), overrides.clone());
            proxy::capture::Verdict(Arc::new(move |payload| {
                let opts = Options {
                    clock: Utc::now(),
                    ..opts.clone()
                };
                let mut report = pipeline::check_payload(0, payload, &opts);
                overrides.apply(&mut report.findings);
                report
            }))
        }),
        allow_remote: args.allow_remote,
        // Both modes: in the live view Ctrl-C is also a key, but SIGTERM is not.
        handle_signals: true,
        ..ProxyConfig::new(listen, ca_dir)
    };

    let mut handle = proxy::start(config).context("samlint proxy")?;
    // The first line names the address, so scripts (and tests using port 0) can read it.
    writeln!(
        stderr,
        "samlint proxy: listening on http://{}",
        handle.addr()
    )?;
    if handle.ca_created() {
        writeln!(stderr, "{}", ca::install_hint(handle.ca_cert()))?;
    } else {
        writeln!(
            stderr,
            "samlint proxy: CA certificate {} (docs/proxy.md: trusting and removing it)",
            handle.ca_cert().display()
        )?;
    }
    if let Some(har) = handle.har() {
        writeln!(
            stderr,
            "samlint proxy: appending SAML requests to {}",
            har.display()
        )?;
        if let Some(Opened::TornTail { dropped_bytes }) = handle.har_opened() {
            writeln!(
                stderr,
                "samlint proxy: {}: cut off {dropped_bytes} byte(s) of an entry an earlier run \
                 did not finish writing",
                har.display()
            )?;
        }
    }
    let (Some(captures), Some(notices)) = (handle.take_captures(), handle.take_notices()) else {
        anyhow::bail!("samlint proxy: the capture channel is gone");
    };
    let health = handle.har_health();

    let shown = if args.headless {
        writeln!(stderr, "samlint proxy: Ctrl-C stops")?;
        drop(stderr);
        headless(&captures, &notices, &opts, &overrides, args.redact)
    } else {
        drop(stderr);
        let status_health = Arc::clone(&health);
        let has_har = handle.har().is_some();
        let addr = handle.addr();
        // The footer shows whether captures really reach the disk.
        let status: LiveStatus = Box::new(move || {
            let har = if has_har {
                format!("HAR {}", status_health.summary())
            } else {
                "no HAR (--har)".to_owned()
            };
            (format!("proxy {addr} · {har}"), status_health.any_failed())
        });
        // Each capture joins the UI's payload list as it crosses the wire; the UI
        // ends when the user quits or the proxy stops on a signal.
        crate::tui::run_live(opts, overrides, keys, captures, status).map(|()| 0)
    };

    let har = handle.har().map(std::path::Path::to_owned);
    handle.shutdown();
    // In the live view, notices wait until the screen is given back.
    let mut stderr = io::stderr().lock();
    for n in notices.try_iter() {
        writeln!(stderr, "samlint proxy: {n}")?;
    }
    shown?;
    let payloads = health.payloads.load(Ordering::SeqCst);
    let Some(har) = har else {
        writeln!(
            stderr,
            "samlint proxy: stopped; {payloads} SAML payload(s) captured"
        )?;
        return Ok(ExitCode::SUCCESS);
    };
    writeln!(
        stderr,
        "samlint proxy: stopped; {payloads} SAML payload(s) captured; {}",
        har_final_line(&har, &health)
    )?;
    // A capture (or a response) that did not reach the disk is a failure the exit
    // code tells too.
    Ok(if health.any_failed() {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// What is really in the HAR now, read back from the disk.
fn har_final_line(har: &Path, health: &HarHealth) -> String {
    use std::fmt::Write as _;
    let written = health.written.load(Ordering::SeqCst);
    let failed = health.failed.load(Ordering::SeqCst);
    let responses = health.responses_failed.load(Ordering::SeqCst);
    let on_disk = match proxy::har::on_disk(har) {
        Ok((entries, false)) => format!("{entries} entries on disk"),
        Ok((entries, true)) => format!("{entries} complete entries on disk, then a torn one"),
        Err(e) => format!("could not be read back: {e}"),
    };
    let mut line = format!("HAR {}: {on_disk} ({written} written now", har.display());
    if failed > 0 {
        let _ = write!(line, ", {failed} NOT written");
    }
    if responses > 0 {
        let plural = if responses == 1 { "" } else { "s" };
        let _ = write!(line, ", {responses} response{plural} NOT added");
    }
    if health.any_failed() {
        let _ = write!(line, ": {}", health.last_error().unwrap_or_default());
    }
    line.push(')');
    line
}

/// `--listen`: an address, or a host name (`localhost:8080`) whose loopback
/// address is preferred.
fn resolve_listen(listen: &str) -> anyhow::Result<SocketAddr> {
    if let Ok(addr) = listen.parse() {
        return Ok(addr);
    }
    let addrs: Vec<SocketAddr> = listen
        .to_socket_addrs()
        .with_context(|| format!("--listen {listen}: expected HOST:PORT"))?
        .collect();
    addrs
        .iter()
        .find(|a| a.is_ipv4() && a.ip().is_loopback())
        .or_else(|| addrs.iter().find(|a| a.ip().is_loopback()))
        .or_else(|| addrs.first())
        .copied()
        .with_context(|| format!("--listen {listen}: the name has no address"))
}

/// `<config dir>/samlint`: `~/.config/samlint` on Linux,
/// `~/Library/Application Support/samlint` on macOS, `%APPDATA%\samlint` on Windows.
fn default_ca_dir() -> Option<PathBuf> {
    directories::BaseDirs::new().map(|b| b.config_dir().join("samlint"))
}

/// Prints one line per capture until the proxy stops; returns how many.
fn headless(
    captures: &Receiver<Payload>,
    notices: &Receiver<String>,
    opts: &Options,
    overrides: &Overrides,
    redact: bool,
) -> anyhow::Result<usize> {
    let mut count = 0;
    loop {
        for n in notices.try_iter() {
            writeln!(io::stderr(), "samlint proxy: {n}")?;
        }
        match captures.recv_timeout(Duration::from_millis(200)) {
            Ok(payload) => {
                let opts = Options {
                    clock: Utc::now(),
                    ..opts.clone()
                };
                let mut report = pipeline::check_payload(count, &payload, &opts);
                overrides.apply(&mut report.findings);
                let mut out = io::stdout().lock();
                writeln!(out, "{}", capture_line(&payload, &report, redact))?;
                out.flush()?;
                count += 1;
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return Ok(count),
        }
    }
}

/// `time METHOD url PARAM: verdict` (the subject masked with `--redact`), e.g.
/// `2026-01-15T10:00:02Z POST https://signin.aws.amazon.com/saml SAMLResponse: decoded (url, base64, utf8); subject jane.doe@example.com; signature not checked; 0 errors, 1 warning, 0 info`.
fn capture_line(payload: &Payload, report: &PayloadReport, redact: bool) -> String {
    let o = &payload.origin;
    let time = o.time.unwrap_or_else(Utc::now);
    let head = format!(
        "{} {} {} {}:",
        time.to_rfc3339_opts(SecondsFormat::Secs, true),
        o.method.as_deref().unwrap_or("-"),
        o.url.as_deref().unwrap_or("-"),
        payload.param.map_or("SAML", |p| p.name()),
    );
    let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
    let (errors, warnings, infos) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    );
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let findings = format!(
        "{}, {}, {} info",
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings"),
        infos
    );
    if !report.is_saml {
        let why = report
            .findings
            .first()
            .map_or("not a SAML message", |f| f.message.as_str());
        return format!("{head} not decoded: {why}; {findings}");
    }
    let steps: Vec<String> = report
        .decoded
        .iter()
        .map(|s| {
            serde_json::to_value(s)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        })
        .collect();
    let subject = match report.summary.as_ref().and_then(|s| s.subject.as_deref()) {
        Some(_) if redact => "[redacted]",
        Some(s) => s,
        None => "-",
    };
    let signature = report
        .signature
        .as_ref()
        .map_or("not checked", |s| s.status.as_str());
    format!(
        "{head} decoded ({}); subject {subject}; signature {signature}; {findings}",
        steps.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{Binding, Origin, OriginKind, RawForm, SamlParam};

    #[test]
    fn capture_line_names_the_request_and_the_verdict() {
        let sample = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/okta-aws-iam.b64"),
        )
        .unwrap();
        let raw: String = form_urlencoded::byte_serialize(sample.trim().as_bytes()).collect();
        let payload = Payload {
            origin: Origin {
                kind: OriginKind::Proxy,
                entry: Some(0),
                url: Some("https://signin.aws.amazon.com/saml".to_owned()),
                time: Some("2026-01-15T10:00:02Z".parse().unwrap()),
                method: Some("POST".to_owned()),
                html_form: None,
            },
            binding: Binding::Post,
            param: Some(SamlParam::Response),
            relay_state: None,
            raw: raw.into_bytes(),
            form: RawForm::Encoded,
            duplicate: None,
        };
        let report = pipeline::check_payload(0, &payload, &Options::default());
        let line = capture_line(&payload, &report, false);
        assert!(
            line.starts_with(
                "2026-01-15T10:00:02Z POST https://signin.aws.amazon.com/saml SAMLResponse: decoded (url, base64, utf8); subject jane.doe@example.com; signature "
            ),
            "{line}"
        );
        assert!(line.contains(" info"), "{line}");
        let redacted = capture_line(&payload, &report, true);
        assert!(redacted.contains("; subject [redacted]; "), "{redacted}");
        assert!(!redacted.contains("jane.doe"), "{redacted}");

        let junk = Payload {
            raw: b"hello".to_vec(),
            ..payload
        };
        let report = pipeline::check_payload(0, &junk, &Options::default());
        assert!(capture_line(&junk, &report, false).contains("SAMLResponse: not decoded: "));
    }
}
