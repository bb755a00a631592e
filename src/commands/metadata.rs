//! `samlint metadata FILE`: lint IdP metadata (RULES.md section 9).

use std::fmt::Write as _;
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

use crate::cli::{MetadataArgs, SimpleFormat as Format};
use crate::input::{Binding, Origin, OriginKind};
use crate::lint::metadata::{self, CertSummary, MetadataLint};
use crate::lint::{NowSource, Profile};
use crate::pipeline::NowMode;
use crate::report::redact::{mask_emails, redact};
use crate::report::text::sanitize;
use crate::report::{InputReport, NowUsed, PayloadReport, RenderOptions, Report, SourceText};

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The report model for the metadata file: one input, one "payload" whose document is
/// the metadata, so renderers show snippets and line:column.
fn to_report(source: &str, lint: &mut MetadataLint, profile: Profile, now: NowUsed) -> Report {
    let mut input = InputReport::new(source.to_owned());
    let payload = PayloadReport {
        index: 0,
        origin: Origin::new(OriginKind::File),
        binding: Binding::Unknown,
        param: None,
        kind: None,
        request: None,
        decoded: Vec::new(),
        decode_notes: Vec::new(),
        profile: Some(profile),
        profile_reason: Some("--profile".to_owned()),
        idp: crate::lint::idp::detect(&crate::lint::idp::Clues {
            entity_ids: &lint.entity_ids,
            ..crate::lint::idp::Clues::default()
        }),
        now: Some(now),
        signature: None,
        summary: None,
        findings: std::mem::take(&mut lint.findings),
        document: lint.text.take().map(SourceText::new),
        is_saml: false,
        aws: None,
    };
    input.payloads.push(payload);
    Report {
        inputs: vec![input],
        ..Report::default()
    }
}

#[derive(Serialize)]
struct JsonCert<'a> {
    #[serde(rename = "use")]
    key_use: Option<&'a str>,
    subject: String,
    issuer: String,
    serial: &'a str,
    not_before: String,
    not_after: String,
    key: &'a str,
    sha256: &'a str,
}

#[derive(Serialize)]
struct JsonSso<'a> {
    binding: &'a str,
    location: &'a str,
}

#[derive(Serialize)]
struct JsonMetadata<'a> {
    version: u32,
    source: &'a str,
    profile: Profile,
    now: String,
    now_source: &'static str,
    entity_ids: &'a [String],
    certificates: Vec<JsonCert<'a>>,
    single_sign_on: Vec<JsonSso<'a>>,
    findings: Vec<crate::report::json::JsonFinding<'a>>,
}

fn cert_line(c: &CertSummary, masked: bool) -> String {
    let subject = if masked {
        mask_emails(&c.subject)
    } else {
        c.subject.clone()
    };
    format!(
        "{} · {subject} · {} · valid {} → {} · {}",
        c.key_use.as_deref().unwrap_or("signing+encryption"),
        c.key,
        time(c.not_before),
        time(c.not_after),
        c.sha256
    )
}

/// # Errors
/// Write errors.
pub(crate) fn run(args: &MetadataArgs) -> anyhow::Result<ExitCode> {
    let config = match super::load_config(&args.config) {
        Ok(c) => c,
        Err(e) => return super::config_error(&e),
    };
    let source = args.file.display().to_string();
    let bytes = match std::fs::read(&args.file) {
        Ok(b) => b,
        Err(e) => {
            writeln!(io::stderr().lock(), "samlint: {source}: {e}")?;
            return Ok(ExitCode::from(2));
        }
    };
    let now = match args.now {
        NowMode::At(at) => NowUsed {
            at,
            source: NowSource::Given,
        },
        _ => NowUsed {
            at: Utc::now(),
            source: NowSource::Clock,
        },
    };
    let limits = config.as_ref().map(|c| c.limits).unwrap_or_default();
    let mut lint = metadata::lint(&bytes, args.profile, now.at, now.source.describe(), &limits);
    let mut report = to_report(&source, &mut lint, args.profile, now);
    report.apply_overrides(&super::overrides(&args.rules, config.as_ref()));
    if args.redact {
        redact(&mut report);
    }
    let input = &report.inputs[0];
    let payload = &input.payloads[0];

    let stdout = io::stdout();
    let render = RenderOptions {
        color: super::use_color(stdout.is_terminal()),
        ..RenderOptions::default()
    };
    let mut out = io::BufWriter::new(stdout.lock());
    match args.format {
        Format::Json => {
            let doc = JsonMetadata {
                version: 1,
                source: &source,
                profile: args.profile,
                now: time(now.at),
                now_source: now.source.describe(),
                entity_ids: &lint.entity_ids,
                certificates: lint
                    .certificates
                    .iter()
                    .map(|c| JsonCert {
                        key_use: c.key_use.as_deref(),
                        subject: if args.redact {
                            mask_emails(&c.subject)
                        } else {
                            c.subject.clone()
                        },
                        issuer: if args.redact {
                            mask_emails(&c.issuer)
                        } else {
                            c.issuer.clone()
                        },
                        serial: &c.serial,
                        not_before: time(c.not_before),
                        not_after: time(c.not_after),
                        key: &c.key,
                        sha256: &c.sha256,
                    })
                    .collect(),
                single_sign_on: lint
                    .sso
                    .iter()
                    .map(|s| JsonSso {
                        binding: &s.binding,
                        location: &s.location,
                    })
                    .collect(),
                findings: payload
                    .findings
                    .iter()
                    .map(|f| crate::report::json::finding(f, Some(payload), payload.idp.kind))
                    .collect(),
            };
            serde_json::to_writer_pretty(&mut out, &doc)?;
            writeln!(out)?;
        }
        Format::Text => {
            let mut head = format!(
                "{} (IdP metadata, profile {}, now {} from {})\n",
                sanitize(&source),
                args.profile.as_str(),
                time(now.at),
                now.source.describe()
            );
            let row = |head: &mut String, k: &str, v: &str| {
                let _ = writeln!(head, "  {k:<10} {}", sanitize(v));
            };
            for e in &lint.entity_ids {
                row(&mut head, "entityID", e);
            }
            for (i, c) in lint.certificates.iter().enumerate() {
                row(
                    &mut head,
                    if i == 0 { "certs" } else { "" },
                    &cert_line(c, args.redact),
                );
            }
            for (i, s) in lint.sso.iter().enumerate() {
                let binding = s.binding.rsplit(':').next().unwrap_or(&s.binding);
                row(
                    &mut head,
                    if i == 0 { "sso" } else { "" },
                    &format!("{binding} {}", s.location),
                );
            }
            head.push('\n');
            out.write_all(head.as_bytes())?;
            crate::report::text::render_payload_findings(input, payload, &render, &mut out)?;
            let t = report.totals();
            writeln!(
                out,
                "{}, {}, {}",
                crate::report::text::count(t.errors, "error", "errors"),
                crate::report::text::count(t.warnings, "warning", "warnings"),
                crate::report::text::count(t.infos, "info", "infos")
            )?;
        }
    }
    out.flush()?;
    Ok(ExitCode::from(report.exit_code(args.fail_on)))
}
