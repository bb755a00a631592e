//! `samlint decode`: the decoded XML of each payload on stdout, the steps on stderr.
//! A directory is searched as `check` searches it, and each payload then comes under
//! a `==> NAME #N <==` header.

use std::io::{self, Write};
use std::process::ExitCode;

use crate::cli::DecodeArgs;
use crate::decode::{self, Step};
use crate::input::{self, InputSpec};
use crate::limits::Limits;

/// # Errors
/// Usage errors and write errors.
pub(crate) fn run(args: &DecodeArgs) -> anyhow::Result<ExitCode> {
    let Some(specs) = super::expand_inputs(std::slice::from_ref(&args.input))? else {
        return Ok(ExitCode::from(2));
    };
    let headers = std::path::Path::new(&args.input).is_dir();
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut failed = false;
    let mut unusable = false;
    for spec in specs {
        match spec {
            Ok(spec) => match decode_one(&spec, args.raw, headers, &mut out) {
                Ok(ok) => failed |= !ok,
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                    // The reader stopped early (`| head`); the status still counts.
                    std::mem::forget(out);
                    return Ok(ExitCode::from(u8::from(failed)));
                }
                Err(e) => return Err(e.into()),
            },
            Err(e) => {
                writeln!(io::stderr().lock(), "samlint: {e}")?;
                unusable = true;
            }
        }
    }
    match out.flush() {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => return Err(e.into()),
        _ => {}
    }
    Ok(ExitCode::from(if unusable { 2 } else { u8::from(failed) }))
}

/// Decodes every payload of one input onto `out`. `Ok(false)`: something in it could
/// not be read or decoded (named on stderr).
fn decode_one(spec: &InputSpec, raw: bool, headers: bool, out: &mut dyn Write) -> io::Result<bool> {
    let limits = Limits::default();
    let mut stderr = io::stderr().lock();
    let name = spec.display_name();
    let scanned = match input::scan(spec, &limits) {
        Ok(s) => s,
        Err(e) => {
            writeln!(stderr, "samlint: {e}")?;
            return Ok(false);
        }
    };
    let mut ok = true;
    if let Some(e) = &scanned.error {
        writeln!(stderr, "samlint: {name}: {e}")?;
        ok = false;
    }
    if scanned.payloads.is_empty() && scanned.error.is_none() {
        writeln!(stderr, "samlint: {name}: no SAML payload found")?;
        ok = false;
    }
    for (i, payload) in scanned.payloads.iter().enumerate() {
        let mut at = format!("{name} #{i}");
        if let Some(entry) = payload.origin.entry {
            let _ = std::fmt::Write::write_fmt(&mut at, format_args!(" (entry {entry})"));
        }
        match decode::decode(payload, &limits) {
            Ok(d) => {
                let steps: Vec<&str> = d
                    .steps
                    .iter()
                    .map(|s| match s {
                        Step::Url => "url",
                        Step::Base64 => "base64",
                        Step::Inflate => "inflate",
                        Step::Utf8 => "utf8",
                    })
                    .collect();
                writeln!(
                    stderr,
                    "samlint: {at}: {} → {} bytes",
                    steps.join(", "),
                    d.text.len()
                )?;
                for n in &d.notes {
                    writeln!(stderr, "samlint: {at}: note: {n}")?;
                }
                let text = if raw {
                    d.text
                } else {
                    crate::xml::pretty(&d.text, &limits).unwrap_or(d.text)
                };
                if headers {
                    writeln!(out, "==> {} <==", crate::report::text::sanitize(&at))?;
                }
                out.write_all(text.as_bytes())?;
                if !text.ends_with('\n') {
                    out.write_all(b"\n")?;
                }
            }
            Err(e) => {
                writeln!(stderr, "samlint: {at}: could not be decoded: {e}")?;
                ok = false;
            }
        }
    }
    Ok(ok)
}
