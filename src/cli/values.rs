//! Parsers for command-line values (`--now`, `--clock-skew`): text in, typed value or a
//! message naming the value out. The pipeline receives only the typed values.

use chrono::{DateTime, TimeDelta, Utc};

use crate::pipeline::NowMode;

impl std::str::FromStr for NowMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "capture" => Ok(NowMode::Capture),
            "issue-instant" => Ok(NowMode::IssueInstant),
            "clock" => Ok(NowMode::Clock),
            _ => DateTime::parse_from_rfc3339(s)
                .map(|t| NowMode::At(t.with_timezone(&Utc)))
                .map_err(|_| {
                    format!(
                        "'{s}' is not an RFC 3339 time nor one of capture, issue-instant, clock"
                    )
                }),
        }
    }
}

/// Parses `90s`, `5m`, `1h`, `0`.
///
/// # Errors
/// A message naming the value when it is not a duration.
pub fn parse_duration(s: &str) -> Result<TimeDelta, String> {
    let bad = || format!("'{s}' is not a duration such as 90s, 5m, 1h or 0");
    if s == "0" {
        return Ok(TimeDelta::zero());
    }
    let split = s.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let n: i64 = s[..split].parse().map_err(|_| bad())?;
    match &s[split..] {
        "ms" => Ok(TimeDelta::milliseconds(n)),
        "s" => Ok(TimeDelta::seconds(n)),
        "m" => Ok(TimeDelta::minutes(n)),
        "h" => Ok(TimeDelta::hours(n)),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_and_durations() {
        assert_eq!("capture".parse::<NowMode>(), Ok(NowMode::Capture));
        assert!(matches!(
            "2026-01-15T10:00:00Z".parse::<NowMode>(),
            Ok(NowMode::At(_))
        ));
        assert!("tomorrow".parse::<NowMode>().is_err());
        assert_eq!(parse_duration("90s"), Ok(TimeDelta::seconds(90)));
        assert_eq!(parse_duration("5m"), Ok(TimeDelta::minutes(5)));
        assert_eq!(parse_duration("0"), Ok(TimeDelta::zero()));
        assert!(parse_duration("5 minutes").is_err());
        assert!(parse_duration("m").is_err());
    }
}
