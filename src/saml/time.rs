//! SAML times (`xs:dateTime`). SAML core §1.3.3 requires UTC: a value without a zone
//! is read as UTC and an offset is converted.

use chrono::{DateTime, NaiveDateTime, Utc};

/// Parses an `xs:dateTime`, or `None` when it is not one.
pub fn parse_datetime(text: &str) -> Option<DateTime<Utc>> {
    // xs:dateTime allows surrounding whitespace (whitespace="collapse").
    let text = text.trim_matches([' ', '\t', '\n', '\r']);
    if !text.contains('T') {
        return None;
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .ok()
        .map(|n| n.and_utc())
}

/// Formats a duration as `4m12s`, `2h0m5s`, `850ms`, for "expired 4m12s before ...".
pub fn human_duration(d: chrono::TimeDelta) -> String {
    let ms = d.num_milliseconds().unsigned_abs();
    if ms < 1000 {
        return format!("{ms}ms");
    }
    let s = ms / 1000;
    let (h, m, s) = (s / 3600, (s % 3600) / 60, s % 60);
    let days = h / 24;
    match (days, h, m) {
        (d, _, _) if d >= 2 => format!("{d}d{}h", h % 24),
        (_, 0, 0) => format!("{s}s"),
        (_, 0, _) => format!("{m}m{s}s"),
        _ => format!("{h}h{m}m{s}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_saml_times() {
        let z = parse_datetime("2026-01-15T10:00:00.123Z").unwrap();
        assert_eq!(z.to_rfc3339(), "2026-01-15T10:00:00.123+00:00");
        let naive = parse_datetime("2026-01-15T10:00:00").unwrap();
        assert_eq!(naive.to_rfc3339(), "2026-01-15T10:00:00+00:00");
        let offset = parse_datetime(" 2026-01-15T12:00:00+02:00\n").unwrap();
        assert_eq!(offset, naive + chrono::TimeDelta::hours(0));
        assert!(parse_datetime("2026-01-15").is_none());
        assert!(parse_datetime("yesterday").is_none());
        assert!(parse_datetime("2026-13-15T10:00:00Z").is_none());
    }

    #[test]
    fn human_durations() {
        let d = chrono::TimeDelta::seconds;
        assert_eq!(human_duration(d(252)), "4m12s");
        assert_eq!(human_duration(d(-40)), "40s");
        assert_eq!(human_duration(d(7205)), "2h0m5s");
        assert_eq!(human_duration(d(3 * 86400 + 7200)), "3d2h");
        assert_eq!(
            human_duration(chrono::TimeDelta::milliseconds(850)),
            "850ms"
        );
    }
}
