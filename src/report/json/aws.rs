//! A payload's `aws` object, written by hand in serde_json's pretty format.
//!
//! Hand-written for measured speed: the object is about 2.6 KB a payload, half of it
//! indentation, and through serde it was a third of what `--aws` adds to a JSON report
//! (`scripts/bench-aws`). Here a key with its indentation is one write, and a string
//! with nothing to escape is checked in one pass and copied. The tests hold every
//! field to what serde_json writes for the same value.

use std::cell::RefCell;
use std::io::Write as _;
use std::sync::Arc;

use crate::aws::{PairOutcome, PayloadAws, Source, TrailMatch, policy::Failed};

/// Writes `aws` as an object value at nesting `level` of an element of the
/// top-level `inputs` array (see `InputFormatter`).
pub(super) fn write(out: &mut Vec<u8>, aws: &PayloadAws, level: usize) {
    let mut w = Pretty { out, level };
    w.open(b'{');
    w.key(true, "sources");
    w.sources(&aws.sources);
    w.key(false, "context_keys");
    w.map(&aws.context_keys, |w, v| w.strings(v));
    w.key(false, "roles");
    w.list(&aws.roles, Pretty::pair);
    w.key(false, "cloudtrail");
    w.list(&aws.cloudtrail, Pretty::trail);
    w.close(b'}');
}

/// Whether any byte needs an escape. Whole chunks are tested without an early exit,
/// so the compiler tests each chunk in vector registers: a byte at a time, this test
/// cost as much as serde_json's escaping (callgrind).
fn needs_escape(bytes: &[u8]) -> bool {
    let special = |b: u8| u8::from(b < 0x20) | u8::from(b == b'"') | u8::from(b == b'\\');
    let mut chunks = bytes.chunks_exact(32);
    for chunk in &mut chunks {
        if chunk.iter().fold(0, |hit, &b| hit | special(b)) != 0 {
            return true;
        }
    }
    let rest = chunks.remainder();
    let mut padded = [b' '; 32];
    padded
        .get_mut(..rest.len())
        .unwrap_or_default()
        .copy_from_slice(rest);
    padded.iter().fold(0, |hit, &b| hit | special(b)) != 0
}

struct Pretty<'a> {
    out: &'a mut Vec<u8>,
    /// Nesting level, as `InputFormatter` counts it.
    level: usize,
}

impl Pretty<'_> {
    fn line(&mut self) {
        // Writing into a `Vec` cannot fail.
        let _ = super::InputFormatter::at(self.level).line(self.out);
    }

    fn open(&mut self, bracket: u8) {
        self.out.push(bracket);
        self.level += 1;
    }

    /// Closes a container that has at least one value.
    fn close(&mut self, bracket: u8) {
        self.level -= 1;
        self.line();
        self.out.push(bracket);
    }

    /// One of the object's own keys, which need no escape.
    fn key(&mut self, first: bool, key: &'static str) {
        if !first {
            self.out.push(b',');
        }
        self.line();
        self.out.push(b'"');
        self.out.extend_from_slice(key.as_bytes());
        self.out.extend_from_slice(b"\": ");
    }

    /// A key from the data.
    fn data_key(&mut self, first: bool, key: &str) {
        if !first {
            self.out.push(b',');
        }
        self.line();
        self.string(key);
        self.out.extend_from_slice(b": ");
    }

    /// A string, escaped as serde_json escapes it.
    fn string(&mut self, s: &str) {
        self.out.push(b'"');
        let bytes = s.as_bytes();
        if needs_escape(bytes) {
            for &b in bytes {
                match b {
                    b'"' => self.out.extend_from_slice(b"\\\""),
                    b'\\' => self.out.extend_from_slice(b"\\\\"),
                    0x08 => self.out.extend_from_slice(b"\\b"),
                    0x0c => self.out.extend_from_slice(b"\\f"),
                    b'\n' => self.out.extend_from_slice(b"\\n"),
                    b'\r' => self.out.extend_from_slice(b"\\r"),
                    b'\t' => self.out.extend_from_slice(b"\\t"),
                    0..=0x1f => {
                        const HEX: &[u8; 16] = b"0123456789abcdef";
                        self.out.extend_from_slice(b"\\u00");
                        self.out.push(HEX[usize::from(b >> 4)]);
                        self.out.push(HEX[usize::from(b & 0xf)]);
                    }
                    _ => self.out.push(b),
                }
            }
        } else {
            self.out.extend_from_slice(bytes);
        }
        self.out.push(b'"');
    }

    fn opt_string(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.string(s),
            None => self.out.extend_from_slice(b"null"),
        }
    }

    fn number(&mut self, n: Option<u64>) {
        match n {
            // Writing into a `Vec` cannot fail.
            Some(n) => {
                let _ = write!(self.out, "{n}");
            }
            None => self.out.extend_from_slice(b"null"),
        }
    }

    /// An array, `[]` when empty.
    fn list<T>(&mut self, items: &[T], mut each: impl FnMut(&mut Self, &T)) {
        if items.is_empty() {
            self.out.extend_from_slice(b"[]");
            return;
        }
        self.open(b'[');
        for (n, item) in items.iter().enumerate() {
            if n > 0 {
                self.out.push(b',');
            }
            self.line();
            each(self, item);
        }
        self.close(b']');
    }

    /// An object of string keys, `{}` when empty.
    fn map<'v, K: AsRef<str> + 'v, V: 'v>(
        &mut self,
        entries: impl IntoIterator<Item = (&'v K, &'v V)>,
        mut each: impl FnMut(&mut Self, &V),
    ) {
        let mut entries = entries.into_iter().peekable();
        if entries.peek().is_none() {
            self.out.extend_from_slice(b"{}");
            return;
        }
        self.open(b'{');
        for (n, (k, v)) in entries.enumerate() {
            self.data_key(n == 0, k.as_ref());
            each(self, v);
        }
        self.close(b'}');
    }

    fn strings(&mut self, values: &[String]) {
        self.list(values, |w, v| w.string(v));
    }

    /// The export's files: the same array in every payload of a run, so it is
    /// rendered once per thread and copied.
    fn sources(&mut self, sources: &Arc<Vec<Source>>) {
        type Rendered = Option<(Arc<Vec<Source>>, usize, Vec<u8>)>;
        thread_local! {
            /// The last array rendered, its level and its bytes; holding the array
            /// keeps its address from being reused by another.
            static LAST: RefCell<Rendered> = const { RefCell::new(None) };
        }
        LAST.with_borrow_mut(|last| {
            if let Some((of, level, bytes)) = last.as_ref()
                && Arc::ptr_eq(of, sources)
                && *level == self.level
            {
                self.out.extend_from_slice(bytes);
                return;
            }
            let start = self.out.len();
            self.list(sources, Pretty::source);
            let bytes = self.out.get(start..).unwrap_or_default().to_vec();
            *last = Some((Arc::clone(sources), self.level, bytes));
        });
    }

    fn source(&mut self, s: &Source) {
        self.open(b'{');
        self.key(true, "file");
        self.string(&s.file);
        self.key(false, "kind");
        self.string(s.kind.as_str());
        self.close(b'}');
    }

    fn pair(&mut self, r: &PairOutcome) {
        self.open(b'{');
        self.key(true, "role_arn");
        self.string(&r.role_arn);
        self.key(false, "provider_arn");
        self.string(&r.provider_arn);
        self.key(false, "outcome");
        self.string(r.outcome.as_str());
        self.key(false, "rule");
        self.opt_string(r.rule);
        self.key(false, "aws_error");
        self.opt_string(r.aws_error.as_deref());
        self.key(false, "statement");
        self.opt_string(r.statement.as_deref());
        if let Some(c) = &r.condition {
            self.key(false, "condition");
            self.condition(c);
        }
        self.key(false, "detail");
        self.string(&r.detail);
        self.key(false, "session_duration");
        self.number(r.session_duration);
        self.key(false, "session_tags");
        self.map(r.session_tags.iter(), |w, v| w.string(v));
        self.key(false, "source_identity");
        self.opt_string(r.source_identity.as_deref());
        self.close(b'}');
    }

    fn condition(&mut self, c: &Failed) {
        self.open(b'{');
        self.key(true, "operator");
        self.string(&c.operator);
        self.key(false, "key");
        self.string(&c.key);
        self.key(false, "expected");
        self.strings(&c.expected);
        self.key(false, "actual");
        self.strings(&c.actual);
        self.close(b'}');
    }

    fn trail(&mut self, t: &TrailMatch) {
        self.open(b'{');
        self.key(true, "time");
        self.string(&t.time);
        self.key(false, "event");
        self.string(&t.event);
        self.key(false, "error_code");
        self.opt_string(t.error_code.as_deref());
        self.key(false, "error_message");
        self.opt_string(t.error_message.as_deref());
        self.key(false, "role_arn");
        self.opt_string(t.role_arn.as_deref());
        self.key(false, "provider_arn");
        self.opt_string(t.provider_arn.as_deref());
        self.key(false, "rule");
        self.opt_string(t.rule);
        self.key(false, "event_id");
        self.opt_string(t.event_id.as_deref());
        self.close(b'}');
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::sync::Arc;

    use super::*;
    use crate::aws::export::Kind;
    use crate::aws::{Outcome, TrailMatch};
    use crate::xml::Span;

    /// What serde_json writes for `aws` as the value of a key at `level`.
    fn serde_pretty(aws: &PayloadAws, level: usize) -> String {
        let pretty = serde_json::to_string_pretty(aws).unwrap();
        let indent = " ".repeat(super::super::INPUT_INDENT.len() + 2 * level);
        pretty.replace('\n', &format!("\n{indent}"))
    }

    fn ours(aws: &PayloadAws, level: usize) -> String {
        let mut out = Vec::new();
        write(&mut out, aws, level);
        String::from_utf8(out).unwrap()
    }

    fn pair(n: usize, text: &str) -> PairOutcome {
        PairOutcome {
            role_arn: format!("arn:aws:iam::123456789012:role/{text}"),
            provider_arn: "arn:aws:iam::123456789012:saml-provider/Okta".to_owned(),
            outcome: [Outcome::Allowed, Outcome::Denied, Outcome::Unknown][n % 3],
            rule: (n % 2 == 1).then_some("trust-policy-condition-failed"),
            aws_error: (n % 2 == 1).then(|| format!("Not authorized: {text}")),
            statement: (n % 3 != 2).then(|| format!("#{n}")),
            condition: (n % 2 == 1).then(|| Failed {
                statement: "#1".to_owned(),
                operator: "StringEquals".to_owned(),
                key: "SAML:aud".to_owned(),
                expected: vec![text.to_owned(), "b".to_owned()],
                actual: if n % 4 == 1 {
                    Vec::new()
                } else {
                    vec![text.to_owned()]
                },
            }),
            detail: text.to_owned(),
            session_duration: n.is_multiple_of(3).then_some(u64::MAX - n as u64),
            session_tags: Arc::new(
                (0..n % 3)
                    .map(|i| (format!("{text}{i}"), format!("v{i}{text}")))
                    .collect(),
            ),
            source_identity: n.is_multiple_of(2).then(|| text.to_owned()),
            span: Span::default(),
        }
    }

    /// Every field, empty and full, and strings that need each escape serde_json
    /// writes, at several levels: the bytes are serde_json's.
    #[test]
    fn writes_what_serde_json_writes() {
        let texts = [
            "",
            "plain",
            "quote \" and \\ backslash",
            "controls \u{0}\u{1}\u{8}\t\n\u{b}\u{c}\r\u{1f} and \u{7f}",
            "non-ASCII: é, 東京, 🔑",
            "slash / and </script>",
        ];
        let kinds = [
            Kind::ListRoles,
            Kind::GetRole,
            Kind::AccountAuthorizationDetails,
            Kind::ListSamlProviders,
            Kind::GetSamlProvider,
            Kind::IdentityStoreUsers,
            Kind::TerraformState,
            Kind::TerraformPlan,
            Kind::CloudTrail,
        ];
        let mut cases = vec![PayloadAws::default()];
        for (n, &text) in texts.iter().enumerate() {
            cases.push(PayloadAws {
                sources: Arc::new(
                    kinds
                        .iter()
                        .map(|&kind| Source {
                            file: format!("{text}/{}.json", kind.as_str()),
                            kind,
                        })
                        .collect(),
                ),
                context_keys: (0..n)
                    .map(|i| (format!("SAML:{text}{i}").into(), vec![text.to_owned(); i]))
                    .collect::<BTreeMap<_, _>>(),
                roles: (0..=n).map(|i| pair(i, text)).collect(),
                cloudtrail: (0..n % 3)
                    .map(|i| TrailMatch {
                        time: "2026-01-15T10:00:00Z".to_owned(),
                        event: text.to_owned(),
                        error_code: (i == 0).then(|| "AccessDenied".to_owned()),
                        error_message: (i == 0).then(|| text.to_owned()),
                        role_arn: (i == 1).then(|| text.to_owned()),
                        provider_arn: None,
                        rule: (i == 0).then_some("cloudtrail-failure"),
                        event_id: Some(format!("{i}")),
                    })
                    .collect(),
            });
        }
        for aws in &cases {
            // Twice at each level: the second `sources` is the copy kept from the first.
            for level in [0, 3, 3, 40, 40, 0] {
                assert_eq!(ours(aws, level), serde_pretty(aws, level));
            }
        }
    }
}
