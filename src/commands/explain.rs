//! `samlint explain RULE`: one rule in full, by id or code.

use std::io::{self, Write};
use std::process::ExitCode;

use crate::cli::ExplainArgs;
use crate::cli::SimpleFormat as Format;
use crate::lint::RuleMeta;

/// The text form: a header, the summary, then the explanation.
pub fn text(m: &RuleMeta) -> String {
    let mut out = format!(
        "{} {}: {}\nseverity {} · profiles {} · since {}\n\n",
        m.code,
        m.id,
        m.summary,
        m.default_severity.as_str(),
        super::rules::profiles(m),
        m.since
    );
    out.push_str(m.explain.trim());
    out.push('\n');
    out
}

/// # Errors
/// Write errors.
pub fn run(args: &ExplainArgs) -> anyhow::Result<ExitCode> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    match args.format {
        Format::Text => out.write_all(text(args.rule).as_bytes())?,
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &super::rules::JsonRule::new(args.rule))?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
