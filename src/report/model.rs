//! Report → InputReport → PayloadReport → Finding, Summary, SignatureReport.

use std::fmt::Write as _;
use std::io;

use chrono::{DateTime, Utc};

use crate::decode::Step;
use crate::input::{Binding, Container, ContainerStats, Origin, SamlParam};
use crate::lint::{Finding, Idp, NowSource, Profile, Severity};
use crate::verify::SignatureReport;
use crate::xml::{LineCol, LineIndex, Span};

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub inputs: Vec<InputReport>,
    /// Rules turned off (`ignore` in samlint.toml, `--ignore`): not enabled, so SARIF
    /// does not list them.
    pub ignored: Vec<&'static str>,
}

#[derive(Debug, Clone)]
pub struct InputReport {
    /// The input as named on the command line (or `-`).
    pub source: String,
    pub container: Option<Container>,
    pub stats: Option<ContainerStats>,
    /// The input could not be read at all (exit code 2).
    pub error: Option<String>,
    /// Input-level findings (no payload found, container unreadable).
    pub findings: Vec<Finding>,
    /// Container notes (a HAR saved without content...).
    pub notes: Vec<String>,
    pub payloads: Vec<PayloadReport>,
    /// The IdP the input-level findings' fixes speak of (from the trust metadata).
    pub idp: Idp,
}

impl InputReport {
    pub fn new(source: String) -> Self {
        InputReport {
            source,
            container: None,
            stats: None,
            error: None,
            findings: Vec::new(),
            notes: Vec::new(),
            payloads: Vec::new(),
            idp: Idp::other(),
        }
    }

    /// Payloads that could not be decoded or parsed as SAML.
    pub fn undecodable(&self) -> usize {
        self.payloads
            .iter()
            .filter(|p| p.document.is_none())
            .count()
    }
}

/// The decoded text a payload's spans index, with its line index built once.
#[derive(Debug, Clone)]
pub struct SourceText {
    pub text: String,
    pub lines: LineIndex,
}

impl SourceText {
    pub fn new(text: String) -> Self {
        let lines = LineIndex::new(&text);
        SourceText { text, lines }
    }

    pub fn line_col(&self, span: Span) -> LineCol {
        self.lines.line_col(&self.text, span.start)
    }
}

/// The evaluation time used for a payload's time rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NowUsed {
    pub at: DateTime<Utc>,
    pub source: NowSource,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RolePair {
    pub role: String,
    pub provider: String,
}

/// What AWS would read from the assertion, whatever the verdicts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub issuer: Option<String>,
    pub subject: Option<String>,
    pub subject_format: Option<String>,
    pub roles: Vec<RolePair>,
    pub session_name: Option<String>,
    /// SessionDuration as written.
    pub session_duration: Option<String>,
    pub not_before: Option<String>,
    pub not_on_or_after: Option<String>,
    pub destination: Option<String>,
    pub audiences: Vec<String>,
    pub issue_instant: Option<String>,
    /// `InResponseTo` of the Response, else of the bearer SubjectConfirmationData.
    pub in_response_to: Option<String>,
    /// The bearer SubjectConfirmationData `Recipient`.
    pub recipient: Option<String>,
}

/// Which side of the sign-in a payload is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MessageKind {
    /// The SP's request to the IdP (`AuthnRequest`, `LogoutRequest`).
    Request,
    /// The IdP's Response.
    Response,
}

#[derive(Debug, Clone)]
pub struct PayloadReport {
    /// 0-based index among the input's payloads.
    pub index: usize,
    pub origin: Origin,
    pub binding: Binding,
    pub param: Option<SamlParam>,
    /// Request or Response, once the XML says which (or the parameter, before).
    pub kind: Option<MessageKind>,
    /// What a request asks for (`kind` is `Request`).
    pub request: Option<crate::saml::request::RequestSummary>,
    pub decoded: Vec<Step>,
    pub decode_notes: Vec<String>,
    pub profile: Option<Profile>,
    pub profile_reason: Option<String>,
    /// The IdP that issued the payload, for the IdP-side fixes.
    pub idp: Idp,
    pub now: Option<NowUsed>,
    pub signature: Option<SignatureReport>,
    pub summary: Option<Summary>,
    pub findings: Vec<Finding>,
    /// The decoded text (for snippets and line:column); `None` when nothing decoded.
    pub document: Option<SourceText>,
    /// The XML parsed as a SAML Response.
    pub is_saml: bool,
    /// `--aws`: what STS will do with each Role pair.
    pub aws: Option<crate::aws::PayloadAws>,
}

impl InputReport {
    /// The IdP whose fixes a finding of `payload` (or of the input) shows.
    pub fn idp_of<'a>(&'a self, payload: Option<&'a PayloadReport>) -> &'a Idp {
        payload.map_or(&self.idp, |p| &p.idp)
    }
}

impl PayloadReport {
    pub fn location(&self, span: Span) -> Option<LineCol> {
        self.document.as_ref().map(|d| d.line_col(span))
    }
}

/// `--fail-on`: the lowest severity that makes the exit code 1 (command-line values in
/// `cli::values`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FailOn {
    #[default]
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}

/// Counts for the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Totals {
    pub inputs: usize,
    pub unreadable: usize,
    pub payloads: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Report {
    /// Every finding with the input and payload it belongs to.
    pub fn findings(
        &self,
    ) -> impl Iterator<Item = (&InputReport, Option<&PayloadReport>, &Finding)> {
        self.inputs
            .iter()
            .flat_map(|i| i.all_findings().map(move |(p, f)| (i, p, f)))
    }

    pub fn totals(&self) -> Totals {
        let mut t = Totals::default();
        for i in &self.inputs {
            t.add(&Totals::of(i));
        }
        t
    }

    /// Applies severity overrides and ignored rules to every finding (the one place
    /// they are applied, before any renderer).
    pub fn apply_overrides(&mut self, overrides: &crate::lint::overrides::Overrides) {
        self.ignored.clone_from(&overrides.ignore);
        for i in &mut self.inputs {
            i.apply_overrides(overrides);
        }
    }

    /// 2 when an input could not be read at all, 1 when a finding reaches
    /// `fail_on`, else 0.
    pub fn exit_code(&self, fail_on: FailOn) -> u8 {
        self.totals().exit_code(fail_on)
    }
}

impl InputReport {
    /// Every finding of the input, its own and its payloads'.
    pub fn all_findings(&self) -> impl Iterator<Item = (Option<&PayloadReport>, &Finding)> {
        self.findings.iter().map(|f| (None, f)).chain(
            self.payloads
                .iter()
                .flat_map(|p| p.findings.iter().map(move |f| (Some(p), f))),
        )
    }

    /// [`Report::apply_overrides`] for one input (the report's `ignored` list aside).
    pub fn apply_overrides(&mut self, overrides: &crate::lint::overrides::Overrides) {
        overrides.apply(&mut self.findings);
        for p in &mut self.payloads {
            overrides.apply(&mut p.findings);
        }
    }
}

/// Options every renderer honours.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    pub color: bool,
    /// The terminal's width when the text report goes to one: snippets fit it.
    pub width: Option<usize>,
    /// `--fail-on`: formats with a pass/fail notion (JUnit) fail a test case on
    /// findings at or above it.
    pub fail_on: FailOn,
    /// `--show-context-keys`: the text report lists the AWS condition keys.
    pub show_context_keys: bool,
}

impl FailOn {
    /// Whether a finding of this severity makes the run fail.
    pub fn fails(self, severity: Severity) -> bool {
        self.threshold().is_some_and(|t| severity >= t)
    }
}

/// The output formats (command-line values in `cli::values`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// rustc-style findings with the XML snippet, for people.
    #[default]
    Text,
    /// The JSON contract, version 1.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF consumers.
    Sarif,
    /// JUnit XML: one test suite per input, one test case per payload.
    Junit,
    /// GitHub Actions workflow commands (annotations).
    Github,
}

impl Format {
    /// Renders a report in this format.
    ///
    /// # Errors
    /// Errors of the writer.
    pub fn render(
        self,
        report: &Report,
        opts: &RenderOptions,
        out: &mut dyn io::Write,
    ) -> io::Result<()> {
        super::Target::Format(self).render(report, opts, out)
    }
}

impl Totals {
    /// The counts of one input.
    pub fn of(input: &InputReport) -> Totals {
        let mut t = Totals {
            inputs: 1,
            unreadable: usize::from(input.error.is_some()),
            payloads: input.payloads.len(),
            ..Totals::default()
        };
        for (_, f) in input.all_findings() {
            match f.severity {
                Severity::Error => t.errors += 1,
                Severity::Warning => t.warnings += 1,
                Severity::Info => t.infos += 1,
            }
        }
        t
    }

    pub fn add(&mut self, other: &Totals) {
        self.inputs += other.inputs;
        self.unreadable += other.unreadable;
        self.payloads += other.payloads;
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
    }

    /// 2 when an input could not be read at all, 1 when a finding reaches
    /// `fail_on`, else 0.
    pub fn exit_code(&self, fail_on: FailOn) -> u8 {
        if self.unreadable > 0 {
            return 2;
        }
        let failing = [
            (Severity::Error, self.errors),
            (Severity::Warning, self.warnings),
            (Severity::Info, self.infos),
        ]
        .into_iter()
        .any(|(severity, n)| n > 0 && fail_on.fails(severity));
        u8::from(failing)
    }

    /// `3 inputs, 4 payloads: 1 error, 2 warnings, 0 infos` (and unreadable inputs).
    pub fn describe(&self) -> String {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mut s = format!(
            "{}, {}: {}, {}, {}",
            plural(self.inputs, "input", "inputs"),
            plural(self.payloads, "payload", "payloads"),
            plural(self.errors, "error", "errors"),
            plural(self.warnings, "warning", "warnings"),
            plural(self.infos, "info", "infos"),
        );
        if self.unreadable > 0 {
            let _ = write!(s, ", {} unreadable", self.unreadable);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::{Profile, RuleMeta};

    const fn meta(id: &'static str, code: &'static str, severity: Severity) -> RuleMeta {
        RuleMeta {
            id,
            code,
            default_severity: severity,
            profiles: &[Profile::Generic],
            summary: "",
            aws_error: "",
            fix_okta: "",
            fix_idp: &[],
            fix_aws: "",
            explain: "",
            since: "0.1.0",
        }
    }
    static ERROR: RuleMeta = meta("e", "SL9901", Severity::Error);
    static WARNING: RuleMeta = meta("w", "SL9902", Severity::Warning);
    static INFO: RuleMeta = meta("i", "SL9903", Severity::Info);

    fn report_with(rule: Option<&'static RuleMeta>) -> Report {
        let mut input = InputReport::new("x".to_owned());
        input.findings.extend(rule.map(|r| Finding::new(r, "m")));
        Report {
            inputs: vec![input],
            ..Report::default()
        }
    }

    fn codes(r: &Report) -> [u8; 4] {
        [FailOn::Error, FailOn::Warning, FailOn::Info, FailOn::Never].map(|f| r.exit_code(f))
    }

    #[test]
    fn exit_code_for_each_fail_on_value() {
        assert_eq!(codes(&report_with(None)), [0, 0, 0, 0]);
        assert_eq!(codes(&report_with(Some(&ERROR))), [1, 1, 1, 0]);
        assert_eq!(codes(&report_with(Some(&WARNING))), [0, 1, 1, 0]);
        assert_eq!(codes(&report_with(Some(&INFO))), [0, 0, 1, 0]);
        let mut unreadable = report_with(Some(&INFO));
        unreadable.inputs[0].error = Some("gone".to_owned());
        assert_eq!(codes(&unreadable), [2, 2, 2, 2]);
    }

    #[test]
    fn totals_describe() {
        let mut r = report_with(Some(&WARNING));
        r.inputs.push(InputReport::new("y".to_owned()));
        r.inputs[1].error = Some("gone".to_owned());
        assert_eq!(
            r.totals().describe(),
            "2 inputs, 0 payloads: 0 errors, 1 warning, 0 infos, 1 unreadable"
        );
    }
}
