//! SAML times (`xs:dateTime`). SAML core §1.3.3 requires UTC: a value without a zone
//! is read as UTC and an offset is converted.

use chrono::{DateTime, NaiveDateTime, Utc};

/// Parses an `xs:dateTime`, or `None` when it is not one.
pub(crate) fn parse_datetime(text: &str) -> Option<DateTime<Utc>> {
    // xs:dateTime allows surrounding whitespace (whitespace="collapse").
    let text = text.trim_matches([' ', '\t', '\n', '\r']);
    utc_fast(text).or_else(|| by_chrono(text))
}

/// Any `xs:dateTime` (trimmed): with an offset, or without one (read as UTC).
fn by_chrono(text: &str) -> Option<DateTime<Utc>> {
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

/// The form IdPs write, `2026-01-15T10:00:00Z` or `2026-01-15T10:00:00.123Z` (up to
/// nine fraction digits), read directly: a payload carries about ten of them. `None`
/// for anything else, including values that are not a valid time (the general path
/// then decides).
fn utc_fast(text: &str) -> Option<DateTime<Utc>> {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        b.get(range)?.iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let (&b'Z', head) = b.split_last()? else {
        return None;
    };
    if head.len() < 19
        || [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')]
            .iter()
            .any(|&(i, c)| head.get(i) != Some(&c))
    {
        return None;
    }
    let nanos = match head.get(19..) {
        Some([]) => 0,
        Some([b'.', fraction @ ..]) if (1..=9).contains(&fraction.len()) => {
            let n = digits(20..head.len())?;
            n * 10u32.pow(u32::try_from(9 - fraction.len()).ok()?)
        }
        _ => return None,
    };
    let year = i32::try_from(digits(0..4)?).ok()?;
    let date = chrono::NaiveDate::from_ymd_opt(year, digits(5..7)?, digits(8..10)?)?;
    let (h, m, sec) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    // A leap second (60) is left to chrono.
    if sec > 59 {
        return None;
    }
    Some(date.and_hms_nano_opt(h, m, sec, nanos)?.and_utc())
}

/// Formats a duration as `4m12s`, `2h0m5s`, `850ms`, for "expired 4m12s before ...".
pub(crate) fn human_duration(d: chrono::TimeDelta) -> String {
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

    /// The general path alone, as before the fast one.
    fn chrono_only(text: &str) -> Option<DateTime<Utc>> {
        by_chrono(text.trim_matches([' ', '\t', '\n', '\r']))
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]

        /// The fast reading of `...Z` times gives what chrono gives, valid or not.
        #[test]
        fn fast_times_read_as_chrono_does(
            t in "[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{0,11})?[Zz]?",
            y in 0i32..10000, mo in 0u32..14, d in 0u32..33, h in 0u32..25, mi in 0u32..61, s in 0u32..62,
            frac in "(\\.[0-9]{1,10})?",
        ) {
            proptest::prop_assert_eq!(parse_datetime(&t), chrono_only(&t), "{}", t);
            let built = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{frac}Z");
            proptest::prop_assert_eq!(parse_datetime(&built), chrono_only(&built), "{}", built);
        }
    }

    #[test]
    fn fast_times() {
        for t in [
            "2026-01-15T10:00:00Z",
            "2026-01-15T10:00:00.5Z",
            "2026-01-15T10:00:00.123456789Z",
            "2024-02-29T23:59:59.999Z",
        ] {
            assert_eq!(utc_fast(t), chrono_only(t), "{t}");
            assert!(utc_fast(t).is_some(), "{t}");
        }
        for t in [
            "2026-01-15T10:00:60Z",
            "2025-02-29T10:00:00Z",
            "2026-01-15T24:00:00Z",
            "2026-01-15T10:00:00.Z",
            "2026-01-15T10:00:00.1234567890Z",
            "2026-01-15t10:00:00Z",
            "2026-01-15T10:00:00+00:00",
            "+2026-01-15T10:00:00Z",
        ] {
            assert_eq!(utc_fast(t), None, "{t}");
        }
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
