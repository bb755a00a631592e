//! Rendering input by input.
//!
//! `check` renders each input on the worker that checked it, as soon as it is
//! checked, and keeps only the bytes: memory then follows the size of the output, not
//! the decoded documents of every input of a batch. Every format is written this way:
//! [`Target::part`] renders one input (in parallel), [`Target::write`] puts the parts
//! together in input order with what comes before and after them. Whole reports
//! ([`Format::render`]) go through the same two functions, so both give the same bytes.
//! [`Stream`] writes the parts as they come, for the formats whose document allows it.

use std::io;

use rayon::prelude::*;

use super::model::{Format, InputReport, RenderOptions, Report, Totals};
use super::{github, json, junit, sarif, text};

/// One input rendered for one output.
#[derive(Debug, Default, Clone)]
pub struct Part {
    /// What the input adds to the body of the output.
    pub body: Vec<u8>,
    /// What it adds to a section written before every body: GitHub's lines for
    /// unreadable inputs, SARIF's tool notifications, the step summary's list of
    /// unreadable inputs.
    pub head: Vec<u8>,
    /// JUnit: test cases, failures and errors of the input's suite.
    pub counts: [usize; 3],
}

/// Where a report goes: a `--format`, or the GitHub job summary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Format(Format),
    /// The markdown table for `$GITHUB_STEP_SUMMARY`.
    StepSummary,
}

/// What rendering needs besides the inputs.
#[derive(Debug, Clone, Default)]
pub struct RenderContext {
    pub opts: RenderOptions,
    /// Rules turned off: SARIF lists only the enabled ones.
    pub ignored: Vec<&'static str>,
}

impl Target {
    /// Renders one input.
    pub fn part(self, input: &InputReport, cx: &RenderContext) -> Part {
        match self {
            Target::Format(Format::Text) => text::part(input, cx.opts),
            Target::Format(Format::Json) => json::part(input),
            Target::Format(Format::Sarif) => sarif::part(input, &cx.ignored),
            Target::Format(Format::Junit) => junit::part(input, cx.opts),
            Target::Format(Format::Github) => github::part(input),
            Target::StepSummary => github::summary_part(input),
        }
    }

    /// Writes the parts of every input, in order, as one document.
    ///
    /// # Errors
    /// Errors of the writer.
    pub fn write(
        self,
        parts: &[Part],
        totals: &Totals,
        cx: &RenderContext,
        out: &mut dyn io::Write,
    ) -> io::Result<()> {
        match self {
            Target::Format(Format::Text) => text::write(parts, totals, cx.opts, out),
            Target::Format(Format::Json) => json::write(parts, out),
            Target::Format(Format::Sarif) => sarif::write(parts, &cx.ignored, out),
            Target::Format(Format::Junit) => junit::write(parts, out),
            Target::Format(Format::Github) => github::write(parts, out),
            Target::StepSummary => github::write_summary(parts, totals, out),
        }
    }

    /// Renders a whole report: its inputs in parallel, then the document.
    ///
    /// # Errors
    /// Errors of the writer.
    pub fn render(
        self,
        report: &Report,
        opts: &RenderOptions,
        out: &mut dyn io::Write,
    ) -> io::Result<()> {
        let cx = RenderContext {
            opts: *opts,
            ignored: report.ignored.clone(),
        };
        let parts: Vec<Part> = report
            .inputs
            .par_iter()
            .map(|i| self.part(i, &cx))
            .collect();
        self.write(&parts, &report.totals(), &cx, out)
    }
}

/// Writes a report as its inputs' parts come, in order.
///
/// JSON and text write each part at once, so a batch's report flows while it runs and
/// is never held whole. SARIF, JUnit and the GitHub formats put something that depends
/// on every input (counts, notifications, unreadable inputs) before the first body, so
/// their parts are kept and written by [`finish`](Self::finish). Either way the bytes
/// are those of [`Target::write`].
pub struct Stream<W> {
    target: Target,
    out: W,
    /// Parts written so far.
    written: usize,
    /// Parts of a format that cannot be written before the end.
    kept: Vec<Part>,
}

impl<W: io::Write> Stream<W> {
    pub fn new(target: Target, out: W) -> Self {
        Stream {
            target,
            out,
            written: 0,
            kept: Vec::new(),
        }
    }

    /// Writes the next input's part, or keeps it for the end.
    ///
    /// # Errors
    /// Errors of the writer.
    pub fn push(&mut self, part: Part) -> io::Result<()> {
        match self.target {
            Target::Format(Format::Json) => json::write_item(self.written, &part, &mut self.out)?,
            Target::Format(Format::Text) => self.out.write_all(&part.body)?,
            _ => {
                self.kept.push(part);
                return Ok(());
            }
        }
        self.written += 1;
        Ok(())
    }

    /// Writes what is left of the document and returns the writer, unflushed.
    ///
    /// # Errors
    /// Errors of the writer.
    pub fn finish(mut self, totals: &Totals, cx: &RenderContext) -> io::Result<W> {
        match self.target {
            Target::Format(Format::Json) if self.written > 0 => self.out.write_all(json::CLOSE)?,
            // Every part is written: the rest is the document without them.
            Target::Format(Format::Json | Format::Text) => {
                self.target.write(&[], totals, cx, &mut self.out)?;
            }
            _ => self.target.write(&self.kept, totals, cx, &mut self.out)?,
        }
        Ok(self.out)
    }
}
