//! `samlint decode`: the decoded XML of each payload on stdout, the steps on stderr.

use std::io::{self, Write};
use std::process::ExitCode;

use crate::cli::DecodeArgs;
use crate::decode::{self, Step};
use crate::input;
use crate::limits::Limits;

/// # Errors
/// Usage errors and write errors.
pub fn run(args: &DecodeArgs) -> anyhow::Result<ExitCode> {
    let limits = Limits::default();
    let mut stderr = io::stderr().lock();
    let spec = match input::expand(std::slice::from_ref(&args.input)).pop() {
        Some(Ok(spec)) => spec,
        Some(Err(e)) => {
            writeln!(stderr, "samlint: {e}")?;
            return Ok(ExitCode::from(2));
        }
        None => return Ok(ExitCode::from(2)),
    };
    let name = spec.display_name();
    let scanned = match input::scan(&spec, &limits) {
        Ok(s) => s,
        Err(e) => {
            writeln!(stderr, "samlint: {e}")?;
            return Ok(ExitCode::from(2));
        }
    };
    let mut failed = false;
    if let Some(e) = &scanned.error {
        writeln!(stderr, "samlint: {name}: {e}")?;
        failed = true;
    }
    if scanned.payloads.is_empty() && scanned.error.is_none() {
        writeln!(stderr, "samlint: {name}: no SAML payload found")?;
        failed = true;
    }
    let mut out = io::BufWriter::new(io::stdout().lock());
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
                let text = if args.raw {
                    d.text
                } else {
                    crate::xml::pretty(&d.text, &limits).unwrap_or(d.text)
                };
                out.write_all(text.as_bytes())?;
                if !text.ends_with('\n') {
                    out.write_all(b"\n")?;
                }
            }
            Err(e) => {
                writeln!(stderr, "samlint: {at}: could not be decoded: {e}")?;
                failed = true;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::from(u8::from(failed)))
}
