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
        meta: &rules::form_parameter_duplicate::META,
        check: None,
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
    Rule {
        meta: &rules::trust_not_given::META,
        check: None,
    },
    Rule {
        meta: &rules::version_invalid::META,
        check: Some(rules::version_invalid::check),
    },
    Rule {
        meta: &rules::status_not_success::META,
        check: Some(rules::status_not_success::check),
    },
    Rule {
        meta: &rules::issuer_mismatch::META,
        check: Some(rules::issuer_mismatch::check),
    },
    Rule {
        meta: &rules::assertion_missing::META,
        check: Some(rules::assertion_missing::check),
    },
    Rule {
        meta: &rules::multiple_assertions::META,
        check: Some(rules::multiple_assertions::check),
    },
    Rule {
        meta: &rules::encrypted_assertion::META,
        check: Some(rules::encrypted_assertion::check),
    },
    Rule {
        meta: &rules::destination_invalid::META,
        check: Some(rules::destination_invalid::check),
    },
    Rule {
        meta: &rules::id_missing::META,
        check: Some(rules::id_missing::check),
    },
    Rule {
        meta: &rules::nameid_missing::META,
        check: Some(rules::nameid_missing::check),
    },
    Rule {
        meta: &rules::bearer_confirmation_missing::META,
        check: Some(rules::bearer_confirmation_missing::check),
    },
    Rule {
        meta: &rules::subject_confirmation_invalid::META,
        check: Some(rules::subject_confirmation_invalid::check),
    },
    Rule {
        meta: &rules::recipient_invalid::META,
        check: Some(rules::recipient_invalid::check),
    },
    Rule {
        meta: &rules::recipient_regional_trust_policy::META,
        check: Some(rules::recipient_regional_trust_policy::check),
    },
    Rule {
        meta: &rules::audience_invalid::META,
        check: Some(rules::audience_invalid::check),
    },
    Rule {
        meta: &rules::partition_mismatch::META,
        check: Some(rules::partition_mismatch::check),
    },
    Rule {
        meta: &rules::assertion_expired::META,
        check: Some(rules::assertion_expired::check),
    },
    Rule {
        meta: &rules::assertion_not_yet_valid::META,
        check: Some(rules::assertion_not_yet_valid::check),
    },
    Rule {
        meta: &rules::subject_confirmation_expired::META,
        check: Some(rules::subject_confirmation_expired::check),
    },
    Rule {
        meta: &rules::issue_instant_skew::META,
        check: Some(rules::issue_instant_skew::check),
    },
    Rule {
        meta: &rules::time_format_invalid::META,
        check: Some(rules::time_format_invalid::check),
    },
    Rule {
        meta: &rules::authn_statement_missing::META,
        check: Some(rules::authn_statement_missing::check),
    },
    Rule {
        meta: &rules::role_missing::META,
        check: Some(rules::role_missing::check),
    },
    Rule {
        meta: &rules::aws_attribute_name_invalid::META,
        check: Some(rules::aws_attribute_name_invalid::check),
    },
    Rule {
        meta: &rules::role_pair_malformed::META,
        check: Some(rules::role_pair_malformed::check),
    },
    Rule {
        meta: &rules::role_arn_whitespace::META,
        check: Some(rules::role_arn_whitespace::check),
    },
    Rule {
        meta: &rules::role_provider_account_mismatch::META,
        check: Some(rules::role_provider_account_mismatch::check),
    },
    Rule {
        meta: &rules::role_reserved_sso::META,
        check: Some(rules::role_reserved_sso::check),
    },
    Rule {
        meta: &rules::role_provider_unknown::META,
        check: Some(rules::role_provider_unknown::check),
    },
    Rule {
        meta: &rules::role_unknown::META,
        check: Some(rules::role_unknown::check),
    },
    Rule {
        meta: &rules::role_session_name_missing::META,
        check: Some(rules::role_session_name_missing::check),
    },
    Rule {
        meta: &rules::role_session_name_invalid::META,
        check: Some(rules::role_session_name_invalid::check),
    },
    Rule {
        meta: &rules::aws_attribute_multivalued::META,
        check: Some(rules::aws_attribute_multivalued::check),
    },
    Rule {
        meta: &rules::session_duration_invalid::META,
        check: Some(rules::session_duration_invalid::check),
    },
    Rule {
        meta: &rules::session_duration_over_role_max::META,
        check: Some(rules::session_duration_over_role_max::check),
    },
    Rule {
        meta: &rules::session_not_on_or_after_shortens::META,
        check: Some(rules::session_not_on_or_after_shortens::check),
    },
    Rule {
        meta: &rules::source_identity_invalid::META,
        check: Some(rules::source_identity_invalid::check),
    },
    Rule {
        meta: &rules::principal_tag_invalid::META,
        check: Some(rules::principal_tag_invalid::check),
    },
    Rule {
        meta: &rules::transitive_tag_key_unknown::META,
        check: Some(rules::transitive_tag_key_unknown::check),
    },
    Rule {
        meta: &rules::trust_policy_actions_needed::META,
        check: Some(rules::trust_policy_actions_needed::check),
    },
    Rule {
        meta: &rules::ic_nameid_format::META,
        check: Some(rules::ic_nameid_format::check),
    },
    Rule {
        meta: &rules::ic_nameid_not_email::META,
        check: Some(rules::ic_nameid_not_email::check),
    },
    Rule {
        meta: &rules::ic_nameid_user_unknown::META,
        check: Some(rules::ic_nameid_user_unknown::check),
    },
    Rule {
        meta: &rules::ic_encrypted_assertion::META,
        check: Some(rules::ic_encrypted_assertion::check),
    },
    Rule {
        meta: &rules::ic_abac_attribute_invalid::META,
        check: Some(rules::ic_abac_attribute_invalid::check),
    },
    // Section 9: IdP metadata, checked by `samlint metadata` (lint::metadata).
    Rule {
        meta: &rules::metadata_invalid::META,
        check: None,
    },
    Rule {
        meta: &rules::metadata_no_signing_cert::META,
        check: None,
    },
    Rule {
        meta: &rules::metadata_cert_unacceptable::META,
        check: None,
    },
    Rule {
        meta: &rules::metadata_cert_expired::META,
        check: None,
    },
    Rule {
        meta: &rules::metadata_entityid_invalid::META,
        check: None,
    },
    Rule {
        meta: &rules::metadata_identity_center_incompatible::META,
        check: None,
    },
    // Section 10: AWS configuration, decided by the `--aws` simulation.
    Rule {
        meta: &rules::trust_policy_principal_missing::META,
        check: None,
    },
    Rule {
        meta: &rules::trust_policy_condition_failed::META,
        check: None,
    },
    Rule {
        meta: &rules::trust_policy_explicit_deny::META,
        check: None,
    },
    Rule {
        meta: &rules::trust_policy_tag_session_denied::META,
        check: None,
    },
    Rule {
        meta: &rules::trust_policy_source_identity_denied::META,
        check: None,
    },
    Rule {
        meta: &rules::provider_key_mismatch::META,
        check: None,
    },
    Rule {
        meta: &rules::provider_issuer_mismatch::META,
        check: None,
    },
    Rule {
        meta: &rules::aws_export_incomplete::META,
        check: None,
    },
    Rule {
        meta: &rules::cloudtrail_failure::META,
        check: None,
    },
    // Section 11: requests and the sign-in flow, decided across a capture.
    Rule {
        meta: &rules::in_response_to_mismatch::META,
        check: None,
    },
    Rule {
        meta: &rules::request_acs_mismatch::META,
        check: None,
    },
    Rule {
        meta: &rules::request_nameid_policy_unmet::META,
        check: None,
    },
];

/// Ids that were renamed: `(old, new)`. An id is never renamed without an entry here,
/// so a user's config and `--ignore` keep working.
pub static REDIRECTS: &[(&str, &str)] = &[];

/// Finds a rule by id (`audience-invalid`) or code (`SL0501`, any case), following
/// [`REDIRECTS`].
pub fn find(id_or_code: &str) -> Option<&'static RuleMeta> {
    let wanted = REDIRECTS
        .iter()
        .find(|(old, _)| *old == id_or_code)
        .map_or(id_or_code, |(_, new)| *new);
    RULES
        .iter()
        .map(|r| r.meta)
        .find(|m| m.id == wanted || m.code.eq_ignore_ascii_case(wanted))
}

/// The id closest to an unknown name, for "did you mean".
pub fn suggest(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    RULES
        .iter()
        .map(|r| (super::arn::edit_distance(&lower, r.meta.id), r.meta.id))
        .filter(|(d, id)| *d <= id.len() / 3 + 1)
        .min_by_key(|(d, _)| *d)
        .map(|(_, id)| id)
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
