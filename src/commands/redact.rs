//! `samlint redact`: writes a copy of each capture that can be shared, with the
//! verdict taken before redaction recorded inside; `--dry-run` lists the changes,
//! `--verify ORIGINAL REDACTED` proves where a redacted file came from.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::cli::RedactArgs;
use crate::input::{self, InputSpec, OriginKind};
use crate::pipeline::{self, Options};
use crate::redact::Body;
use crate::redact::record::{self, Record};
use crate::redact::{Policy, Redactor, redact_file};

/// # Errors
/// Usage or configuration errors, and outputs that cannot be written.
pub(crate) fn run(args: &RedactArgs) -> anyhow::Result<ExitCode> {
    let mut stderr = io::stderr().lock();
    if args.verify {
        return verify(args, &mut stderr);
    }
    let super::Setup {
        options: opts,
        overrides,
        ..
    } = match super::setup(&args.pipeline)? {
        Ok(setup) => setup,
        Err(code) => return Ok(code),
    };
    let mut specs = Vec::new();
    for s in input::expand(&args.inputs) {
        match s {
            Ok(s) => specs.push(s),
            Err(e) => {
                writeln!(stderr, "samlint: {e}")?;
                return Ok(ExitCode::from(2));
            }
        }
    }
    let dir = match (&args.output, specs.len()) {
        (Some(o), n) if o != "-" && (n > 1 || Path::new(o).is_dir()) => {
            std::fs::create_dir_all(o)
                .map_err(|e| anyhow::anyhow!("{}: {e}", Path::new(o).display()))?;
            Some(PathBuf::from(o))
        }
        (Some(o), n) if o == "-" && n > 1 => {
            anyhow::bail!("-o -: several inputs need an output directory")
        }
        _ => None,
    };
    let policy = Policy {
        mask_accounts: args.mask_accounts,
    };
    let mut failed = false;
    let mut used = std::collections::HashSet::new();
    for spec in &specs {
        let name = spec.display_name();
        let bytes = match read(spec) {
            Ok(b) => b,
            Err(e) => {
                writeln!(stderr, "samlint: {name}: {e}")?;
                failed = true;
                continue;
            }
        };
        let out = match redact_one(&bytes, policy, &opts, &overrides) {
            Ok(o) => o,
            Err(e) => {
                writeln!(stderr, "samlint: {name}: {e}")?;
                failed = true;
                continue;
            }
        };
        if args.dry_run {
            let mut stdout = io::stdout().lock();
            stdout.write_all(dry_run(&name, &out).as_bytes())?;
            continue;
        }
        let target = match (&dir, &args.output) {
            (Some(d), _) => Some(d.join(file_name(spec, &mut used))),
            (None, Some(o)) if o != "-" => Some(PathBuf::from(o)),
            _ => None,
        };
        if let (Some(t), Some(p)) = (&target, spec.path())
            && same_file(t, p)
        {
            writeln!(
                stderr,
                "samlint: {name}: the output would overwrite the input"
            )?;
            failed = true;
            continue;
        }
        let mut sidecar = None;
        match &target {
            Some(t) => {
                std::fs::write(t, &out.bytes)
                    .map_err(|e| anyhow::anyhow!("{}: {e}", t.display()))?;
                if let Some(rec) = &out.sidecar {
                    let path = record::sidecar(t);
                    std::fs::write(&path, rec)
                        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
                    sidecar = Some(path);
                }
            }
            None => io::stdout().lock().write_all(&out.bytes)?,
        }
        let where_ = target
            .as_ref()
            .map_or_else(|| "stdout".to_owned(), |t| t.display().to_string());
        let mut line = format!(
            "samlint: {name} → {where_}: {} payload(s) redacted, {} pseudonym(s), {} change(s)",
            out.payloads,
            out.pseudonyms.len(),
            out.changes.len()
        );
        match (&sidecar, &out.sidecar) {
            (Some(p), _) => {
                let _ = write!(line, "; the verdict record is in {}", p.display());
            }
            (None, Some(_)) => {
                line.push_str(
                    "; a raw base64, form or URL value has no room for the verdict record",
                );
            }
            (None, None) => {}
        }
        writeln!(stderr, "{line}")?;
    }
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// One redacted file and what was done to it.
struct Redacted {
    bytes: Vec<u8>,
    changes: Vec<crate::redact::Change>,
    pseudonyms: Vec<(String, String)>,
    payloads: usize,
    /// The record, when the format has no room for it (written beside the output).
    sidecar: Option<Vec<u8>>,
}

fn redact_one(
    bytes: &[u8],
    policy: Policy,
    opts: &Options,
    overrides: &crate::lint::overrides::Overrides,
) -> Result<Redacted, String> {
    let mut r = Redactor::new(policy, opts.limits);
    let (format, mut body) = redact_file(&mut r, bytes)?;
    // The verdict on the original, payload by payload.
    let original = input::scan_bytes(bytes, OriginKind::File, &opts.limits);
    let raws: Vec<Vec<u8>> = original.payloads.iter().map(|p| p.raw.clone()).collect();
    let places: Vec<String> = original
        .payloads
        .iter()
        .map(|p| {
            let mut s = p.param.map_or("payload", |x| x.name()).to_owned();
            if let Some(e) = p.origin.entry {
                let _ = write!(s, " in entry {e}");
            }
            s
        })
        .collect();
    let mut report = pipeline::check_scanned(String::new(), original, opts);
    report.apply_overrides(overrides);
    let redacted = input::scan_bytes(&serialize(&body), OriginKind::File, &opts.limits);
    if redacted.payloads.len() != raws.len() {
        let why = r
            .changes()
            .iter()
            .rev()
            .find(|c| c.what.contains(" removed: "))
            .map_or(String::new(), |c| format!(" ({}: {})", c.place, c.what));
        return Err(format!(
            "{} payload(s) in the original but {} after redaction{why}; nothing written",
            raws.len(),
            redacted.payloads.len()
        ));
    }
    // The safety net: no identity value may survive in any decoded payload.
    let originals = r.originals();
    for (i, p) in redacted.payloads.iter().enumerate() {
        let Ok(d) = crate::decode::decode(p, &opts.limits) else {
            continue;
        };
        let unchanged = raws.get(i).is_some_and(|o| *o == p.raw) && d.text.contains("Assertion");
        // A whole text node or attribute value: a replaced group name may still
        // be part of a (kept) Role ARN.
        let leak = originals.iter().find(|o| {
            let o = crate::redact::document::escape(o, false);
            d.text.contains(&format!(">{o}<")) || d.text.contains(&format!("\"{o}\""))
        });
        if unchanged {
            return Err(format!(
                "payload {i} is unchanged after redaction (no SAML 2.0 identity element \
                 samlint can rewrite); nothing written"
            ));
        }
        if leak.is_some() {
            return Err(format!(
                "payload {i} could not be redacted in every place it appears; nothing written"
            ));
        }
    }
    let record = Record {
        samlint: env!("CARGO_PKG_VERSION").to_owned(),
        payloads: report
            .payloads
            .iter()
            .zip(&raws)
            .zip(&redacted.payloads)
            .zip(places)
            .map(|(((p, raw), red), place)| record::payload_record(place, raw, &red.raw, p))
            .collect(),
    };
    let recorded = raws.is_empty() || record::embed(format, &mut body, &record);
    let sidecar = (!recorded).then(|| {
        let mut b = serde_json::to_vec_pretty(&record).unwrap_or_default();
        b.push(b'\n');
        b
    });
    Ok(Redacted {
        bytes: serialize(&body),
        changes: r.changes().to_vec(),
        pseudonyms: r.pseudonyms(),
        payloads: raws.len(),
        sidecar,
    })
}

fn serialize(body: &Body) -> Vec<u8> {
    match body {
        Body::Json(v) => {
            let mut b = serde_json::to_vec_pretty(v).unwrap_or_default();
            b.push(b'\n');
            b
        }
        Body::Text(t) => t.clone().into_bytes(),
    }
}

fn dry_run(name: &str, out: &Redacted) -> String {
    let mut s = format!("{name}: {} payload(s); nothing written\n", out.payloads);
    for c in &out.changes {
        let _ = writeln!(s, "  {}: {}", c.place, c.what);
    }
    if !out.pseudonyms.is_empty() {
        let _ = writeln!(s, "  pseudonyms:");
        for (o, p) in &out.pseudonyms {
            let _ = writeln!(s, "    {o} → {p}");
        }
    }
    s
}

fn read(spec: &InputSpec) -> io::Result<Vec<u8>> {
    match spec {
        InputSpec::Stdin => {
            let mut b = Vec::new();
            io::stdin().lock().read_to_end(&mut b)?;
            Ok(b)
        }
        InputSpec::Path(p) | InputSpec::Listed(p) => std::fs::read(p),
    }
}

/// The input's file name, made unique within the output directory.
fn file_name(spec: &InputSpec, used: &mut std::collections::HashSet<OsString>) -> OsString {
    let base = match spec {
        InputSpec::Path(p) | InputSpec::Listed(p) => p
            .file_name()
            .map_or_else(|| "input".into(), ToOwned::to_owned),
        InputSpec::Stdin => "stdin".into(),
    };
    let mut name = base.clone();
    let mut n = 1;
    while !used.insert(name.clone()) {
        n += 1;
        name = format!("{n}-{}", base.to_string_lossy()).into();
    }
    name
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

fn verify(args: &RedactArgs, stderr: &mut impl Write) -> anyhow::Result<ExitCode> {
    let [original, redacted] = args.inputs.as_slice() else {
        anyhow::bail!("--verify takes two inputs: ORIGINAL REDACTED");
    };
    let limits = crate::limits::Limits::default();
    let read_path = |p: &OsString| {
        std::fs::read(p).map_err(|e| anyhow::anyhow!("{}: {e}", Path::new(p).display()))
    };
    let (orig_bytes, red_bytes) = (read_path(original)?, read_path(redacted)?);
    let name = Path::new(redacted).display();
    let Some(rec) = record::read_path(Path::new(redacted)) else {
        writeln!(
            stderr,
            "samlint: {name}: no samlint redaction record in this file"
        )?;
        return Ok(ExitCode::from(1));
    };
    let raws: Vec<Vec<u8>> = input::scan_bytes(&orig_bytes, OriginKind::File, &limits)
        .payloads
        .into_iter()
        .map(|p| p.raw)
        .collect();
    let red: Vec<String> = input::scan_bytes(&red_bytes, OriginKind::File, &limits)
        .payloads
        .iter()
        .map(|p| record::payload_hash(&p.raw))
        .collect();
    let edited = rec
        .payloads
        .iter()
        .position(|p| !red.contains(&p.redacted_sha256));
    let result = record::verify(&rec, &raws).and_then(|n| match edited {
        Some(i) => Err(format!(
            "payload {i} of the redacted file was changed after redaction"
        )),
        None => Ok(n),
    });
    match result {
        Ok(n) => {
            let mut out = io::stdout().lock();
            writeln!(
                out,
                "ok: {name} was redacted from {}: {n} payload(s), each original SHA-256 matches the record",
                Path::new(original).display()
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            writeln!(
                stderr,
                "samlint: {name}: does not match {}: {e}",
                Path::new(original).display()
            )?;
            Ok(ExitCode::from(1))
        }
    }
}
