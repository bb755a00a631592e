//! One test per rule fixture, so a single case can be run and is named in a failure:
//! `cargo test --test rules -- audience-invalid/fail-trailing-slash`.
//!
//! `tests/fixtures/rules/<rule-id>/fail-<case>.<ext>` must trigger the rule and
//! `pass-<case>.<ext>` must not (most are made by `tests/fixtures/gen/rules.py`). An
//! `.xml` fixture is the decoded XML of one payload; any other file goes through the
//! input stage as a user's file would. Each runs the whole pipeline at a fixed `--now`;
//! the findings of every fail fixture are snapshotted (`tests/snapshots/`).
//!
//! A sidecar `<case>.json` sets options; it is parsed strictly, so a typo fails the test
//! instead of silently emptying the context.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::path::Path;

use chrono::{DateTime, TimeDelta, Utc};
use serde::Deserialize;

use samlint::input::{Binding, InputSpec, Origin, OriginKind, Payload, RawForm};
use samlint::lint::{Expected, Finding};
use samlint::pipeline::{self, NowMode, Options};
use samlint::report::{InputReport, PayloadReport};

/// The instant every fixture is evaluated at.
const NOW: &str = "2026-01-15T10:00:00Z";

datatest_stable::harness! {
    {
        test = fixture,
        root = "tests/fixtures/rules",
        pattern = r"^[^/]+/(fail|pass)-[^/]+\.(xml|b64|txt|html|htm|har|json)$",
    },
}

/// Options a fixture may set beside the defaults. A `.json` file with an `input` and no
/// fixture of its own is a case by itself: it runs the file `input` names (a signed
/// fixture of `tests/fixtures/signature`, say) with these options.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct Sidecar {
    /// The fixture to run, from the crate root.
    input: Option<String>,
    /// The expected AWS context (`[context]`).
    expected: Expected,
    /// entityIDs of IdP metadata, as if metadata had been loaded as trust.
    entity_ids: Vec<String>,
    skew_seconds: Option<i64>,
    /// Trust, as `--idp-metadata` and `--idp-cert` (paths from the crate root).
    idp_metadata: Option<String>,
    idp_cert: Option<String>,
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(NOW)
        .unwrap()
        .with_timezone(&Utc)
}

/// Reads a sidecar strictly: one that does not parse is an error, never an empty
/// context.
fn read_sidecar(sidecar: &Path) -> Result<Sidecar, String> {
    let text =
        std::fs::read_to_string(sidecar).map_err(|e| format!("{}: {e}", sidecar.display()))?;
    serde_json::from_str(&text)
        .map_err(|e| format!("{}: not a valid sidecar: {e}", sidecar.display()))
}

/// The options of a fixture: the defaults at [`NOW`], and its sidecar if it has one.
fn options_for(sidecar: &Path) -> Result<Options, String> {
    let mut opts = Options {
        now: NowMode::At(now()),
        clock: now(),
        ..Options::default()
    };
    if !sidecar.exists() {
        return Ok(opts);
    }
    let side = read_sidecar(sidecar)?;
    opts.expected = side.expected;
    opts.trust.entity_ids = side.entity_ids;
    if let Some(s) = side.skew_seconds {
        opts.skew = TimeDelta::seconds(s);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if let Some(m) = &side.idp_metadata {
        opts.trust
            .add_metadata_file(&root.join(m))
            .map_err(|e| format!("{m}: {e}"))?;
    }
    if let Some(c) = &side.idp_cert {
        opts.trust
            .add_cert_file(&root.join(c))
            .map_err(|e| format!("{c}: {e}"))?;
    }
    Ok(opts)
}

/// Runs a fixture through the pipeline. Returns the input-level findings and the
/// payloads (one for an `.xml` fixture).
fn run(fixture: &Path, opts: &Options) -> (Vec<Finding>, Vec<PayloadReport>) {
    if fixture.extension().is_some_and(|e| e == "xml") {
        let payload = Payload {
            origin: Origin::new(OriginKind::File),
            binding: Binding::Unknown,
            param: None,
            relay_state: None,
            raw: std::fs::read(fixture).unwrap(),
            form: RawForm::DecodedXml,
            duplicate: None,
        };
        (Vec::new(), vec![pipeline::check_payload(0, &payload, opts)])
    } else {
        let input: InputReport =
            pipeline::check_spec(&InputSpec::Path(fixture.to_path_buf()), opts);
        (input.findings, input.payloads)
    }
}

/// Signature findings (section 2) are tested with the signature fixtures; a rule
/// fixture of another section is unsigned on purpose, and its snapshot leaves them out.
fn shown(rule_dir: &str, f: &Finding) -> bool {
    !f.rule.code.starts_with("SL02")
        || samlint::lint::registry::find(rule_dir).is_some_and(|m| m.code.starts_with("SL02"))
}

/// One line per finding, with line:column, label, message and AWS error.
fn render(rule_dir: &str, input: &[Finding], payloads: &[PayloadReport]) -> String {
    let mut out = String::new();
    for f in input.iter().filter(|f| shown(rule_dir, f)) {
        let _ = writeln!(
            out,
            "input: {} {} {}\n  {}",
            f.severity.as_str(),
            f.rule.code,
            f.rule.id,
            f.message
        );
    }
    for rep in payloads {
        let profile = rep.profile.map_or("-", |p| p.as_str());
        let _ = writeln!(out, "profile: {profile}");
        for f in rep.findings.iter().filter(|f| shown(rule_dir, f)) {
            let at = |span| {
                rep.document.as_ref().map_or_else(String::new, |d| {
                    let lc = d.line_col(span);
                    format!("{}:{}", lc.line, lc.column)
                })
            };
            let loc = f.primary.as_ref().map_or_else(
                || "-".to_owned(),
                |l| format!("{} ({})", at(l.span), l.label),
            );
            let _ = writeln!(
                out,
                "{} {} {} at {loc}\n  {}\n  aws: {}",
                f.severity.as_str(),
                f.rule.code,
                f.rule.id,
                f.message,
                f.aws_error_text()
            );
            for r in &f.related {
                let _ = writeln!(out, "  related: {} ({})", at(r.span), r.label);
            }
        }
    }
    out
}

fn fixture(path: &Path) -> datatest_stable::Result<()> {
    let case = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let rule = path
        .parent()
        .and_then(Path::file_name)
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let meta = samlint::lint::registry::find(rule)
        .ok_or_else(|| format!("{rule}: no such rule (the folder name is the rule id)"))?;
    let (data, opts) = if path.extension().is_some_and(|e| e == "json") {
        if has_data_sibling(path) {
            // The sidecar of another fixture, which reads it too: here it must parse.
            read_sidecar(path)?;
            return Ok(());
        }
        match read_sidecar(path).ok().and_then(|s| s.input) {
            Some(input) => (
                Path::new(env!("CARGO_MANIFEST_DIR")).join(input),
                options_for(path)?,
            ),
            // A SAML-tracer export.
            None => (path.to_path_buf(), options_for(Path::new(""))?),
        }
    } else {
        (
            path.to_path_buf(),
            options_for(&path.with_extension("json"))?,
        )
    };
    let (input, payloads) = run(&data, &opts);
    let fired = input
        .iter()
        .chain(payloads.iter().flat_map(|p| &p.findings))
        .any(|f| f.rule.id == meta.id);
    let text = render(rule, &input, &payloads);
    if case.starts_with("fail-") {
        if !fired {
            return Err(format!("{rule}/{case}: expected {rule}, got:\n{text}").into());
        }
        insta::assert_snapshot!(format!("{rule}__{case}"), text);
    } else if fired {
        return Err(format!("{rule}/{case}: {rule} fired:\n{text}").into());
    }
    Ok(())
}

/// Whether a `.json` file is the sidecar of another fixture rather than a fixture
/// (a HAR or SAML-tracer export) of its own.
fn has_data_sibling(json: &Path) -> bool {
    ["xml", "b64", "txt", "html", "htm", "har"]
        .iter()
        .any(|ext| json.with_extension(ext).exists())
}
