//! Publication times as sources write them, read into a date, a canonical
//! text and a precision.

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Utc};
use strikewatch_model::{PublishedAt, TimePrecision};

/// Reads RFC 3339 (`2025-09-02T21:30:00Z`), news-please style
/// (`2025-09-02 21:30:00`, taken as UTC), a plain date (`2025-09-02`), a
/// month (`2025-09`) or a year (`2025`). Anything else is `None`.
pub fn parse_published(raw: &str) -> Option<PublishedAt> {
    let text = raw.trim();
    if text.is_empty() {
        return None;
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(at_second(t.with_timezone(&Utc)));
    }
    for format in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"] {
        if let Ok(t) = NaiveDateTime::parse_from_str(text, format) {
            return Some(at_second(t.and_utc()));
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some(PublishedAt {
            date: d,
            text: d.format("%Y-%m-%d").to_string(),
            precision: TimePrecision::Day,
        });
    }
    if let Some((y, m)) = text.split_once('-')
        && y.len() == 4
        && m.len() == 2
        && let (Ok(y), Ok(m)) = (y.parse::<i32>(), m.parse::<u32>())
        && let Some(d) = NaiveDate::from_ymd_opt(y, m, 1)
    {
        return Some(PublishedAt {
            date: d,
            text: format!("{y:04}-{m:02}"),
            precision: TimePrecision::Month,
        });
    }
    if text.len() == 4
        && let Ok(y) = text.parse::<i32>()
        && let Some(d) = NaiveDate::from_ymd_opt(y, 1, 1)
    {
        return Some(PublishedAt {
            date: d,
            text: format!("{y:04}"),
            precision: TimePrecision::Year,
        });
    }
    None
}

fn at_second(t: DateTime<Utc>) -> PublishedAt {
    PublishedAt {
        date: t.date_naive(),
        text: t.to_rfc3339_opts(SecondsFormat::Secs, true),
        precision: TimePrecision::Second,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_formats_sources_use() {
        let p = parse_published("2025-09-02T21:30:00Z").unwrap();
        assert_eq!(
            (p.text.as_str(), p.precision),
            ("2025-09-02T21:30:00Z", TimePrecision::Second)
        );
        let p = parse_published("2025-09-02T23:30:00-05:00").unwrap();
        assert_eq!(p.date, NaiveDate::from_ymd_opt(2025, 9, 3).unwrap());
        assert_eq!(p.text, "2025-09-03T04:30:00Z");
        let p = parse_published("2025-10-16 15:00:00").unwrap();
        assert_eq!(p.text, "2025-10-16T15:00:00Z");
        let p = parse_published("2025-09-03").unwrap();
        assert_eq!(
            (p.text.as_str(), p.precision),
            ("2025-09-03", TimePrecision::Day)
        );
        assert_eq!(
            parse_published("2025-09").unwrap().precision,
            TimePrecision::Month
        );
        assert_eq!(
            parse_published("2025").unwrap().precision,
            TimePrecision::Year
        );
        assert!(parse_published("last Tuesday").is_none());
        assert!(parse_published("2025-13-45").is_none());
    }

    #[test]
    fn canonical_text_reads_back_the_same() {
        for raw in ["2025-09-02T21:30:00Z", "2025-09-03", "2025-09", "2025"] {
            let p = parse_published(raw).unwrap();
            assert_eq!(parse_published(&p.text), Some(p));
        }
    }
}
