//! The rules of RULES.md section 2 that verification decides: each [`Issue`] it reports
//! is named here, so verification itself knows no rules.

use super::finding::Finding;
use super::rule::RuleMeta;
use super::rules;
use crate::verify::{Issue, Note};

/// The rule of an issue.
pub fn rule(issue: Issue) -> &'static RuleMeta {
    match issue {
        Issue::Missing => &rules::signature_missing::META,
        Issue::Invalid => &rules::signature_invalid::META,
        Issue::Untrusted => &rules::signature_untrusted::META,
        Issue::TrustNotGiven => &rules::trust_not_given::META,
        Issue::Wrapping => &rules::signature_wrapping::META,
        Issue::AlgorithmUnsupported => &rules::signature_algorithm_unsupported::META,
        Issue::WeakAlgorithm => &rules::signature_weak_algorithm::META,
        Issue::CertExpired => &rules::cert_expired::META,
        Issue::EngineDisagreement => &rules::engine_disagreement::META,
    }
}

/// The finding of a verification note.
pub fn finding(note: &Note) -> Finding {
    let f = Finding::new(rule(note.issue), note.message.clone());
    match note.at {
        Some((span, label)) => f.at(span, label),
        None => f,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_issue_has_its_own_rule() {
        let issues = [
            (Issue::Missing, "signature-missing"),
            (Issue::Invalid, "signature-invalid"),
            (Issue::Untrusted, "signature-untrusted"),
            (Issue::TrustNotGiven, "trust-not-given"),
            (Issue::Wrapping, "signature-wrapping"),
            (
                Issue::AlgorithmUnsupported,
                "signature-algorithm-unsupported",
            ),
            (Issue::WeakAlgorithm, "signature-weak-algorithm"),
            (Issue::CertExpired, "cert-expired"),
            (Issue::EngineDisagreement, "engine-disagreement"),
        ];
        for (issue, id) in issues {
            assert_eq!(rule(issue).id, id);
        }
        let span = crate::xml::Span::new(3, 9);
        let f = finding(&Note::new(Issue::Wrapping, "why").at(span, "here"));
        assert_eq!(f.message, "why");
        assert_eq!(
            f.primary.map(|l| (l.span, l.label)),
            Some((span, "here".to_owned()))
        );
    }
}
