//! The one list of rules, in catalogue order. Everything that shows rules reads it.

use super::context::Ctx;
use super::finding::Finding;
use super::rule::RuleMeta;
use super::rules;

/// A rule: its metadata and, for rules checked in the lint stage, its check.
/// Rules decided earlier in the pipeline (input, XML, signature) have no check here.
pub struct Rule {
    pub meta: &'static RuleMeta,
    pub check: Option<fn(&Ctx<'_>, &mut Vec<Finding>)>,
}

pub static RULES: &[Rule] = &[
    Rule {
        meta: &rules::input_not_saml::META,
        check: None,
    },
    Rule {
        meta: &rules::xml_dtd_forbidden::META,
        check: None,
    },
    Rule {
        meta: &rules::xml_limits_exceeded::META,
        check: None,
    },
    Rule {
        meta: &rules::response_too_large::META,
        check: Some(rules::response_too_large::check),
    },
    Rule {
        meta: &rules::signature_missing::META,
        check: None,
    },
    Rule {
        meta: &rules::signature_invalid::META,
        check: None,
    },
    Rule {
        meta: &rules::signature_untrusted::META,
        check: None,
    },
    Rule {
        meta: &rules::signature_wrapping::META,
        check: None,
    },
    Rule {
        meta: &rules::signature_weak_algorithm::META,
        check: None,
    },
    Rule {
        meta: &rules::signature_algorithm_unsupported::META,
        check: None,
    },
    Rule {
        meta: &rules::cert_expired::META,
        check: None,
    },
    Rule {
        meta: &rules::nameid_comment::META,
        check: Some(rules::nameid_comment::check),
    },
    Rule {
        meta: &rules::engine_disagreement::META,
        check: None,
    },
];

/// Finds a rule by id (`audience-invalid`) or code (`SL0501`, any case).
pub fn find(id_or_code: &str) -> Option<&'static RuleMeta> {
    RULES
        .iter()
        .map(|r| r.meta)
        .find(|m| m.id == id_or_code || m.code.eq_ignore_ascii_case(id_or_code))
}

/// Runs every rule of the payload's profile and returns the findings sorted by
/// position, then code.
pub fn run(cx: &Ctx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for rule in RULES {
        if let Some(check) = rule.check
            && rule.meta.runs_in(cx.profile)
        {
            check(cx, &mut out);
        }
    }
    out.sort_by_key(Finding::sort_key);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_codes_are_unique_and_well_formed() {
        let mut ids = std::collections::HashSet::new();
        let mut codes = std::collections::HashSet::new();
        for r in RULES {
            let m = r.meta;
            assert!(ids.insert(m.id), "duplicate id {}", m.id);
            assert!(codes.insert(m.code), "duplicate code {}", m.code);
            assert!(
                m.id.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{}",
                m.id
            );
            assert!(
                m.code.len() == 6
                    && m.code.starts_with("SL")
                    && m.code[2..].bytes().all(|b| b.is_ascii_digit()),
                "{}",
                m.code
            );
            for heading in [
                "## What it checks",
                "## What AWS shows",
                "## Why",
                "## Fix in Okta",
                "## Fix in AWS",
                "## Example",
            ] {
                assert!(m.explain.contains(heading), "{} lacks {heading}", m.id);
            }
        }
    }

    #[test]
    fn finds_by_id_or_code() {
        assert_eq!(find("input-not-saml").map(|m| m.code), Some("SL0101"));
        assert_eq!(find("sl0102").map(|m| m.id), Some("xml-dtd-forbidden"));
        assert!(find("nope").is_none());
    }
}
