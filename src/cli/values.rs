//! Parsers for command-line values (`--now`, `--clock-skew`, `--format`, `--fail-on`):
//! text in, typed value or a message naming the value out. The pipeline and the report
//! receive only the typed values and know nothing of clap.

use chrono::{DateTime, TimeDelta, Utc};
use clap::ValueEnum;
use clap::builder::PossibleValue;

use crate::pipeline::NowMode;
use crate::report::{FailOn, Format};

impl ValueEnum for Format {
    fn value_variants<'a>() -> &'a [Self] {
        &[
            Format::Text,
            Format::Json,
            Format::Sarif,
            Format::Junit,
            Format::Github,
        ]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        let (name, help) = match self {
            Format::Text => (
                "text",
                "rustc-style findings with the XML snippet, for people",
            ),
            Format::Json => ("json", "The JSON contract, version 1"),
            Format::Sarif => (
                "sarif",
                "SARIF 2.1.0, for GitHub code scanning and other SARIF consumers",
            ),
            Format::Junit => (
                "junit",
                "JUnit XML: one test suite per input, one test case per payload",
            ),
            Format::Github => ("github", "GitHub Actions workflow commands (annotations)"),
        };
        Some(PossibleValue::new(name).help(help))
    }
}

impl ValueEnum for FailOn {
    fn value_variants<'a>() -> &'a [Self] {
        &[FailOn::Error, FailOn::Warning, FailOn::Info, FailOn::Never]
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        Some(PossibleValue::new(match self {
            FailOn::Error => "error",
            FailOn::Warning => "warning",
            FailOn::Info => "info",
            FailOn::Never => "never",
        }))
    }
}

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

    #[test]
    fn report_enums_round_trip_their_names() {
        for f in Format::value_variants() {
            let name = f.to_possible_value().map(|v| v.get_name().to_owned());
            assert_eq!(Format::from_str(&name.unwrap(), false), Ok(*f));
        }
        for f in FailOn::value_variants() {
            let name = f.to_possible_value().map(|v| v.get_name().to_owned());
            assert_eq!(FailOn::from_str(&name.unwrap(), false), Ok(*f));
        }
        assert_eq!(FailOn::from_str("warning", false), Ok(FailOn::Warning));
        assert!(Format::from_str("xml", false).is_err());
    }
}
