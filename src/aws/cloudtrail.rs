//! CloudTrail: failed `AssumeRoleWithSAML` and Identity Center
//! `ExternalIdPDirectoryLogin` events, read from `aws cloudtrail lookup-events`
//! output or CloudTrail log files, matched to captures and mapped to the rule that
//! explains their `errorMessage`.

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::Value;

/// One sign-in event.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[allow(clippy::struct_field_names)] // `event_id`: CloudTrail's `eventID`
pub struct Event {
    pub time: DateTime<Utc>,
    pub name: String,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub role_arn: Option<String>,
    pub principal_arn: Option<String>,
    pub user: Option<String>,
    /// `requestParameters.sAMLAssertionID`: the assertion's ID, when logged.
    pub assertion_id: Option<String>,
    pub event_id: Option<String>,
}

/// Whether a file given to `check` is CloudTrail output rather than a capture (its
/// start names CloudTrail's fields): such a file is read as part of the export.
pub(crate) fn looks_like_cloudtrail(path: &std::path::Path) -> bool {
    use std::io::Read as _;
    if !path.is_file() {
        return false;
    }
    let mut head = Vec::with_capacity(1 << 16);
    let read = std::fs::File::open(path).and_then(|f| f.take(1 << 16).read_to_end(&mut head));
    if read.is_err() {
        return false;
    }
    if head.starts_with(&[0x1f, 0x8b]) {
        // CloudTrail delivers its log files gzipped.
        return true;
    }
    let has = |needle: &[u8]| memchr::memmem::find(&head, needle).is_some();
    has(b"\"CloudTrailEvent\"") || (has(b"\"Records\"") && has(b"\"eventName\""))
}

const NAMES: &[&str] = &["AssumeRoleWithSAML", "ExternalIdPDirectoryLogin"];

/// The sign-in events of a CloudTrail document, `None` when it is not one.
pub(crate) fn events(v: &Value) -> Option<Result<Vec<Event>, String>> {
    if let Some(list) = v.get("Events").and_then(Value::as_array)
        && list.iter().all(|e| e.get("CloudTrailEvent").is_some())
    {
        return Some(
            list.iter()
                .filter_map(|e| {
                    let text = e.get("CloudTrailEvent")?.as_str()?;
                    Some(
                        serde_json::from_str::<Value>(text)
                            .map_err(|err| format!("a CloudTrailEvent is not JSON: {err}")),
                    )
                })
                .filter_map(|r| r.map(|v| record(&v)).transpose())
                .collect(),
        );
    }
    let records = v.get("Records")?.as_array()?;
    Some(Ok(records.iter().filter_map(record).collect()))
}

fn record(r: &Value) -> Option<Event> {
    let s = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
    let name = s(r.get("eventName"))?;
    if !NAMES.contains(&name.as_str()) {
        return None;
    }
    let time = DateTime::parse_from_rfc3339(r.get("eventTime")?.as_str()?)
        .ok()?
        .with_timezone(&Utc);
    let req = r.get("requestParameters");
    let ui = r.get("userIdentity");
    Some(Event {
        time,
        name,
        error_code: s(r.get("errorCode")),
        error_message: s(r.get("errorMessage")),
        role_arn: s(req.and_then(|q| q.get("roleArn"))),
        principal_arn: s(req.and_then(|q| q.get("principalArn"))),
        user: s(ui.and_then(|u| u.get("userName")))
            .or_else(|| s(r.get("additionalEventData").and_then(|a| a.get("UserName")))),
        assertion_id: s(req.and_then(|q| q.get("sAMLAssertionID"))),
        event_id: s(r.get("eventID")),
    })
}

/// The rule that explains an event's error, by the text STS logs.
pub(crate) fn explaining_rule(e: &Event) -> Option<&'static str> {
    let m = e.error_message.as_deref().unwrap_or("");
    let table: &[(&str, &str)] = &[
        ("sts:TagSession", "trust-policy-tag-session-denied"),
        (
            "sts:SetSourceIdentity",
            "trust-policy-source-identity-denied",
        ),
        (
            "Not authorized to perform sts:AssumeRoleWithSAML",
            "trust-policy-condition-failed",
        ),
        ("Response signature invalid", "provider-key-mismatch"),
        (
            "Issuer not present in specified provider",
            "provider-issuer-mismatch",
        ),
        ("Specified provider doesn't exist", "role-provider-unknown"),
        ("RoleSessionName is required", "role-session-name-missing"),
        (
            "RoleSessionName in AuthnResponse must match",
            "role-session-name-invalid",
        ),
        ("Source Identity must match", "source-identity-invalid"),
        ("DurationSeconds exceeds", "session-duration-over-role-max"),
        ("Principal ARN is invalid", "role-pair-malformed"),
        ("Request ARN is invalid", "role-pair-malformed"),
        ("expired", "assertion-expired"),
        ("NotOnOrAfter", "assertion-expired"),
        ("audience", "audience-invalid"),
    ];
    table
        .iter()
        .find(|(needle, _)| {
            m.to_ascii_lowercase()
                .contains(&needle.to_ascii_lowercase())
        })
        .map(|(_, rule)| *rule)
}

/// What a capture offers to match events against.
pub(crate) struct Capture<'a> {
    pub time: DateTime<Utc>,
    pub assertion_id: Option<&'a str>,
    /// (role ARN, provider ARN) of each pair.
    pub pairs: &'a [(String, String)],
    pub user: Option<&'a str>,
}

/// Whether a failed event belongs to this capture: the assertion ID when CloudTrail
/// logged it, else time within the skew and the same pair (IAM) or user (Identity
/// Center).
pub(crate) fn matches(e: &Event, c: &Capture<'_>, skew: TimeDelta) -> bool {
    if e.error_code.is_none() {
        return false;
    }
    if let (Some(a), Some(b)) = (e.assertion_id.as_deref(), c.assertion_id) {
        return a == b;
    }
    if (e.time - c.time).abs() > skew {
        return false;
    }
    match (&e.role_arn, &e.principal_arn) {
        (Some(r), Some(p)) => c.pairs.iter().any(|(cr, cp)| cr == r && cp == p),
        _ => match (&e.user, c.user) {
            (Some(u), Some(cu)) => u == cu,
            _ => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shaped as the CloudTrail user guide's AssumeRoleWithSAML example.
    fn failed() -> Value {
        serde_json::json!({
            "eventVersion": "1.08",
            "userIdentity": {"type": "SAMLUser", "principalId": "SAMPLE_NameQualifier_Value:SamlExample",
                             "userName": "SamlExample", "identityProvider": "SAMPLE_NameQualifier_Value"},
            "eventTime": "2026-01-15T10:00:03Z",
            "eventSource": "sts.amazonaws.com",
            "eventName": "AssumeRoleWithSAML",
            "awsRegion": "us-east-1",
            "sourceIPAddress": "192.0.2.101",
            "errorCode": "AccessDenied",
            "errorMessage": "Not authorized to perform sts:AssumeRoleWithSAML",
            "requestParameters": {
                "sAMLAssertionID": "_c0046cEXAMPLEb9d4b8eEXAMPLE2619aEXAMPLE",
                "roleSessionName": "MyAssignedRoleSessionName",
                "roleArn": "arn:aws:iam::444455556666:role/SAMLTestRoleShibboleth",
                "principalArn": "arn:aws:iam::444455556666:saml-provider/Shibboleth",
                "durationSeconds": 3600
            },
            "eventID": "e0d2c2d1-0000-0000-0000-000000000000"
        })
    }

    #[test]
    fn lookup_events_and_log_files_read_alike() {
        let rec = failed();
        let log = serde_json::json!({"Records": [rec, {"eventName": "ConsoleLogin", "eventTime": "2026-01-15T10:00:00Z"}]});
        let lookup = serde_json::json!({"Events": [{"EventId": "x", "EventName": "AssumeRoleWithSAML",
            "CloudTrailEvent": serde_json::to_string(&failed()).unwrap()}]});
        let a = events(&log).unwrap().unwrap();
        let b = events(&lookup).unwrap().unwrap();
        assert_eq!(a, b);
        assert_eq!(a.len(), 1);
        assert_eq!(
            explaining_rule(&a[0]),
            Some("trust-policy-condition-failed")
        );
        assert!(events(&serde_json::json!({"Roles": []})).is_none());
        let bad = serde_json::json!({"Events": [{"CloudTrailEvent": "{not json"}]});
        assert!(events(&bad).unwrap().is_err());
    }

    #[test]
    fn matched_by_assertion_id_else_by_time_and_pair() {
        let e = events(&serde_json::json!({"Records": [failed()]}))
            .unwrap()
            .unwrap()
            .remove(0);
        let pairs = [(
            "arn:aws:iam::444455556666:role/SAMLTestRoleShibboleth".to_owned(),
            "arn:aws:iam::444455556666:saml-provider/Shibboleth".to_owned(),
        )];
        let at = |t: &str, id: Option<&'static str>| Capture {
            time: DateTime::parse_from_rfc3339(t).unwrap().with_timezone(&Utc),
            assertion_id: id,
            pairs: &pairs,
            user: None,
        };
        let skew = TimeDelta::minutes(5);
        assert!(matches(&e, &at("2026-01-15T10:00:00Z", None), skew));
        assert!(!matches(&e, &at("2026-01-15T10:10:00Z", None), skew));
        assert!(!matches(
            &e,
            &at("2026-01-15T10:00:00Z", Some("_other")),
            skew
        ));
        assert!(matches(
            &e,
            &at(
                "2020-01-01T00:00:00Z",
                Some("_c0046cEXAMPLEb9d4b8eEXAMPLE2619aEXAMPLE")
            ),
            skew
        ));
    }
}
