//! Another organisation's list of strikes, read from CSV and compared with
//! the ledger strike by strike.
//!
//! A tracker strike and a ledger incident match when their days are at most
//! one day apart ([`MATCH_DAYS`]) and their regions are the same (or one side
//! does not say). Pairs are taken closest first, one to one. A matched pair
//! `agree`s when every figure the tracker gives equals the ledger's leading
//! figure (reviewed, else official, else the highest stated), else it
//! `differs`, and each differing field carries the ledger's evidence: which
//! document says what, in which sentence span.

use chrono::NaiveDate;
use strikewatch_model::ledger::{CountRange, Grade, Incident};
use strikewatch_model::tracking::{
    ComparisonEvidence, ComparisonRow, ComparisonStatus, FieldDifference, LedgerSide, Tracker,
    TrackerComparison, TrackerRow,
};
use thiserror::Error;

use crate::config::ResolveConfig;

/// Largest distance in days between a tracker's strike and the ledger's.
pub const MATCH_DAYS: i64 = 1;

/// At most this many documents are shown as evidence of one difference.
pub const EVIDENCE_PER_FIELD: usize = 5;

/// The columns a tracker file must have (in any order; others are ignored).
pub const COLUMNS: [&str; 6] = [
    "date",
    "region",
    "vessels",
    "killed",
    "survivors",
    "source_url",
];

/// A tracker file that cannot be read: one readable error naming the file
/// and the line.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum TrackerError {
    #[error("{file}: line {line}: {message}")]
    Row {
        file: String,
        line: u64,
        message: String,
    },
    #[error("{file}: {message}")]
    File { file: String, message: String },
}

fn row_error(file: &str, line: u64, message: impl Into<String>) -> TrackerError {
    TrackerError::Row {
        file: file.to_string(),
        line,
        message: message.into(),
    }
}

/// Column positions of the header.
struct Header {
    positions: [usize; 6],
}

fn read_header(file: &str, record: &csv::StringRecord) -> Result<Header, TrackerError> {
    let names: Vec<String> = record.iter().map(|h| h.trim().to_lowercase()).collect();
    let mut positions = [0usize; 6];
    for (slot, column) in positions.iter_mut().zip(COLUMNS) {
        *slot = names.iter().position(|n| n == column).ok_or_else(|| {
            row_error(
                file,
                1,
                format!(
                    "the header has no `{column}` column (expected {})",
                    COLUMNS.join(", ")
                ),
            )
        })?;
    }
    Ok(Header { positions })
}

/// A region as a tracker writes it (`Caribbean`, `eastern pacific`, `EP`,
/// `C`), as the ledger keys it; `None` when the tracker does not say.
pub fn tracker_region(text: &str, cfg: &ResolveConfig) -> Result<Option<String>, String> {
    let t = text.trim().to_lowercase().replace(['-', ' '], "_");
    if matches!(
        t.as_str(),
        "" | "unknown" | "not_stated" | "unstated" | "n/a"
    ) {
        return Ok(None);
    }
    let short = match t.as_str() {
        "c" => Some("caribbean"),
        "ep" | "epac" | "e_pacific" => Some("eastern_pacific"),
        _ => None,
    };
    if let Some(key) = short.filter(|k| cfg.regions.contains_key(*k)) {
        return Ok(Some(key.to_string()));
    }
    cfg.regions
        .values()
        .find(|r| r.key == t || r.code == t || r.label.to_lowercase().replace(' ', "_") == t)
        .map(|r| Some(r.key.clone()))
        .ok_or_else(|| {
            let known: Vec<&str> = cfg.regions.values().map(|r| r.label.as_str()).collect();
            format!(
                "region `{}` is not known (known: {}, or empty)",
                text.trim(),
                known.join(", ")
            )
        })
}

fn count(column: &str, text: &str) -> Result<Option<u32>, String> {
    let t = text.trim();
    if t.is_empty() || t == "-" || t == "–" {
        return Ok(None);
    }
    t.parse::<u32>()
        .map(Some)
        .map_err(|_| format!("{column} `{t}` is not a whole number (or empty)"))
}

fn source_url(text: &str) -> Result<Option<String>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if t.starts_with("https://") || t.starts_with("http://") {
        Ok(Some(t.to_string()))
    } else {
        Err(format!("source_url `{t}` is not an http(s) URL"))
    }
}

fn read_row(
    header: &Header,
    record: &csv::StringRecord,
    line: u64,
    cfg: &ResolveConfig,
) -> Result<TrackerRow, String> {
    let field = |i: usize| record.get(header.positions[i]).unwrap_or("");
    let date_text = field(0).trim();
    let date = NaiveDate::parse_from_str(date_text, "%Y-%m-%d")
        .map_err(|_| format!("date `{date_text}` is not a date YYYY-MM-DD"))?;
    Ok(TrackerRow {
        line,
        date,
        region: tracker_region(field(1), cfg)?,
        vessels: count("vessels", field(2))?,
        killed: count("killed", field(3))?,
        survivors: count("survivors", field(4))?,
        source_url: source_url(field(5))?,
    })
}

/// Reads a tracker CSV (`file` names it in errors). Lines starting with `#`
/// are comments. The first bad row stops the import with an error naming the
/// file and its line.
pub fn parse_tracker_csv(
    file: &str,
    bytes: &[u8],
    cfg: &ResolveConfig,
) -> Result<Vec<TrackerRow>, TrackerError> {
    let text = std::str::from_utf8(bytes).map_err(|e| TrackerError::File {
        file: file.to_string(),
        message: format!("not UTF-8 text ({e})"),
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .comment(Some(b'#'))
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => read_header(file, &h)?,
        Some(Err(e)) => return Err(row_error(file, 1, e.to_string())),
        None => {
            return Err(TrackerError::File {
                file: file.to_string(),
                message: "the file is empty (expected a header line)".into(),
            });
        }
    };
    let mut rows = Vec::new();
    for record in records {
        let record = record.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            row_error(file, line, e.to_string())
        })?;
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        rows.push(read_row(&header, &record, line, cfg).map_err(|m| row_error(file, line, m))?);
    }
    if rows.is_empty() {
        return Err(TrackerError::File {
            file: file.to_string(),
            message: "no strikes after the header".into(),
        });
    }
    Ok(rows)
}

/// The days an incident covers: its date, else its range.
fn incident_days(i: &Incident) -> Option<(NaiveDate, NaiveDate)> {
    match (i.date, i.date_from, i.date_to) {
        (Some(d), _, _) => Some((d, d)),
        (None, Some(f), Some(t)) => Some((f, t)),
        (None, Some(f), None) => Some((f, f)),
        (None, None, Some(t)) => Some((t, t)),
        _ => None,
    }
}

/// Days between a tracker's day and an incident's days (0 inside them).
fn distance(day: NaiveDate, i: &Incident) -> Option<i64> {
    let (from, to) = incident_days(i)?;
    Some(if day < from {
        (from - day).num_days()
    } else if day > to {
        (day - to).num_days()
    } else {
        0
    })
}

fn regions_fit(row: &TrackerRow, i: &Incident) -> bool {
    match (&row.region, &i.region) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    }
}

fn lead(reviewed: Option<&str>, official: Option<u32>, range: CountRange) -> Option<u32> {
    reviewed
        .and_then(|v| v.parse().ok())
        .or(official)
        .or(range.max)
}

fn range_text(range: CountRange) -> Option<String> {
    match (range.min, range.max) {
        (Some(a), Some(b)) if a != b => Some(format!("{a}–{b}")),
        (_, Some(b)) => Some(b.to_string()),
        (Some(a), None) => Some(a.to_string()),
        (None, None) => None,
    }
}

fn ledger_side(i: &Incident) -> LedgerSide {
    LedgerSide {
        incident_id: i.id.clone(),
        date: i.date.or(i.date_from),
        region: i.region.clone(),
        vessels: range_text(i.vessels),
        killed: range_text(i.killed),
        survivors: range_text(i.survivors),
    }
}

/// The reports of `i` that give `field`, official first, with their spans.
fn evidence_for(i: &Incident, field: &str) -> Vec<ComparisonEvidence> {
    let value = |r: &strikewatch_model::ledger::IncidentReport| match field {
        "date" => r.date.map(|d| d.to_string()),
        "vessels" => r.vessels.map(|v| v.to_string()),
        "killed" => r.killed.map(|v| v.to_string()),
        "survivors" => r.survivors.map(|v| v.to_string()),
        _ => None,
    };
    let mut out: Vec<(bool, ComparisonEvidence)> = i
        .reports
        .iter()
        .filter(|r| value(r).is_some() || r.evidence.contains_key(field))
        .map(|r| {
            (
                !r.official,
                ComparisonEvidence {
                    document_id: r.document_id.clone(),
                    url: r.url.clone(),
                    value: value(r),
                    // One announcement over two seas keeps its spans per sea
                    // ("killed (caribbean)"): the first stands for the field.
                    span: r
                        .evidence
                        .get(field)
                        .or_else(|| {
                            r.evidence
                                .iter()
                                .find(|(k, _)| {
                                    k.strip_prefix(field)
                                        .is_some_and(|rest| rest.starts_with(" ("))
                                })
                                .map(|(_, s)| s)
                        })
                        .cloned(),
                },
            )
        })
        .collect();
    out.sort_by(|a, b| (a.0, &a.1.document_id).cmp(&(b.0, &b.1.document_id)));
    out.into_iter()
        .map(|(_, e)| e)
        .take(EVIDENCE_PER_FIELD)
        .collect()
}

/// The fields a tracker strike and a ledger incident disagree on.
fn differences(row: &TrackerRow, i: &Incident) -> Vec<FieldDifference> {
    let mut out = Vec::new();
    let mut push = |field: &str, ledger: Option<String>, tracker: Option<String>| {
        out.push(FieldDifference {
            field: field.to_string(),
            ledger,
            tracker,
            evidence: evidence_for(i, field),
        });
    };
    let ledger_day = i
        .reviewed_value("date")
        .and_then(|d| d.parse().ok())
        .or(i.date);
    if let Some(d) = ledger_day.filter(|d| *d != row.date) {
        push("date", Some(d.to_string()), Some(row.date.to_string()));
    }
    let counts = [
        (
            "vessels",
            row.vessels,
            lead(i.reviewed_value("vessels"), i.official_vessels, i.vessels),
            i.vessels,
        ),
        ("killed", row.killed, i.lead_killed(), i.killed),
        (
            "survivors",
            row.survivors,
            lead(
                i.reviewed_value("survivors"),
                i.official_survivors,
                i.survivors,
            ),
            i.survivors,
        ),
    ];
    for (field, tracker, ledger, range) in counts {
        if let Some(t) = tracker
            && ledger != Some(t)
        {
            push(field, range_text(range), Some(t.to_string()));
        }
    }
    out
}

/// How close a candidate pair is: days apart, a region unsaid, the gap
/// between the death tolls, then the tracker's line and the incident id.
type Closeness<'a> = (i64, bool, u32, u64, &'a str);

/// Candidate pairs (tracker row index, incident index), closest first.
fn candidate_pairs(rows: &[TrackerRow], incidents: &[&Incident]) -> Vec<(usize, usize)> {
    let mut pairs: Vec<(Closeness<'_>, usize, usize)> = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        for (k, i) in incidents.iter().enumerate() {
            let Some(d) = distance(row.date, i).filter(|d| *d <= MATCH_DAYS) else {
                continue;
            };
            if !regions_fit(row, i) {
                continue;
            }
            let region_unsaid = row.region.is_none() || i.region.is_none();
            let killed_gap = match (row.killed, i.lead_killed()) {
                (Some(a), Some(b)) => a.abs_diff(b),
                _ => u32::MAX,
            };
            pairs.push(((d, region_unsaid, killed_gap, row.line, &i.id), r, k));
        }
    }
    pairs.sort();
    pairs.into_iter().map(|(_, r, k)| (r, k)).collect()
}

/// One announcement of several seas is one incident with per-sea parts and
/// a combined toll, where a tracker often lists one strike per sea: a
/// tracker row left unpaired that falls on such an incident's days, in a
/// sea of its parts not yet paired with it, joins that incident.
fn attach_other_seas(rows: &[TrackerRow], incidents: &[&Incident], taken: &mut [Option<usize>]) {
    for r in 0..rows.len() {
        if taken[r].is_some() {
            continue;
        }
        let row = &rows[r];
        let Some(region) = row.region.as_deref() else {
            continue;
        };
        let home = incidents.iter().enumerate().find(|(k, i)| {
            i.parts.len() > 1
                && i.parts.iter().any(|p| p.region == region)
                && distance(row.date, i).is_some_and(|d| d <= MATCH_DAYS)
                && !rows
                    .iter()
                    .zip(taken.iter())
                    .any(|(other, t)| *t == Some(*k) && other.region.as_deref() == Some(region))
        });
        if let Some((k, _)) = home {
            taken[r] = Some(k);
        }
    }
}

/// The tracker rows paired with one incident, as one row: their counts
/// summed (a count no row gives stays unknown), the first row's day.
fn combined(rows: &[&TrackerRow]) -> TrackerRow {
    let sum = |get: fn(&TrackerRow) -> Option<u32>| {
        rows.iter()
            .filter_map(|r| get(r))
            .reduce(|a, b| a.saturating_add(b))
    };
    let mut out = rows.first().map(|r| (*r).clone()).unwrap_or(TrackerRow {
        line: 0,
        date: NaiveDate::MIN,
        region: None,
        vessels: None,
        killed: None,
        survivors: None,
        source_url: None,
    });
    if rows.len() > 1 {
        out.vessels = sum(|r| r.vessels);
        out.killed = sum(|r| r.killed);
        out.survivors = sum(|r| r.survivors);
    }
    out
}

/// Compares a tracker with the ledger's incidents (retracted ones left out),
/// strike by strike, in day order.
pub fn compare_tracker(tracker: &Tracker, incidents: &[Incident]) -> TrackerComparison {
    let live: Vec<&Incident> = incidents
        .iter()
        .filter(|i| i.grade != Grade::Retracted)
        .collect();
    let mut row_taken = vec![None; tracker.rows.len()];
    let mut incident_taken = vec![false; live.len()];
    for (r, k) in candidate_pairs(&tracker.rows, &live) {
        if row_taken[r].is_none() && !incident_taken[k] {
            row_taken[r] = Some(k);
            incident_taken[k] = true;
        }
    }
    attach_other_seas(&tracker.rows, &live, &mut row_taken);
    let mut rows: Vec<ComparisonRow> = Vec::new();
    for (row, taken) in tracker.rows.iter().zip(&row_taken) {
        rows.push(match taken {
            Some(k) => {
                let same: Vec<&TrackerRow> = tracker
                    .rows
                    .iter()
                    .zip(&row_taken)
                    .filter(|(_, t)| **t == Some(*k))
                    .map(|(r, _)| r)
                    .collect();
                let differences = differences(&combined(&same), live[*k]);
                ComparisonRow {
                    status: if differences.is_empty() {
                        ComparisonStatus::Agree
                    } else {
                        ComparisonStatus::Differs
                    },
                    day: Some(row.date),
                    ledger: Some(ledger_side(live[*k])),
                    tracker: Some(row.clone()),
                    differences,
                }
            }
            None => ComparisonRow {
                status: ComparisonStatus::OnlyInTracker,
                day: Some(row.date),
                ledger: None,
                tracker: Some(row.clone()),
                differences: Vec::new(),
            },
        });
    }
    for (i, _) in live.iter().zip(&incident_taken).filter(|(_, t)| !**t) {
        rows.push(ComparisonRow {
            status: ComparisonStatus::OnlyInLedger,
            day: i.date.or(i.date_from),
            ledger: Some(ledger_side(i)),
            tracker: None,
            differences: Vec::new(),
        });
    }
    rows.sort_by(|a, b| {
        let key = |r: &ComparisonRow| {
            (
                r.day.is_none(),
                r.day,
                r.tracker.as_ref().map(|t| t.line),
                r.ledger.as_ref().map(|l| l.incident_id.clone()),
            )
        };
        key(a).cmp(&key(b))
    });
    TrackerComparison {
        name: tracker.name.clone(),
        version: tracker.version,
        file: tracker.file.clone(),
        sha256: tracker.sha256.clone(),
        rows,
    }
}

/// A tracker name usable in a URL: letters, digits, `-` and `_`, 1 to 64
/// characters.
pub fn check_tracker_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "tracker name `{name}` must be 1 to 64 letters, digits, `-` or `_`"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strikewatch_model::ledger::CountRange;

    fn cfg() -> ResolveConfig {
        ResolveConfig::bundled().unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn incident(id: &str, d: &str, region: &str, killed: u32) -> Incident {
        Incident {
            id: id.into(),
            date: Some(day(d)),
            region: Some(region.into()),
            killed: CountRange {
                min: Some(killed),
                max: Some(killed),
            },
            ..Incident::default()
        }
    }

    fn row(line: u64, d: &str, region: Option<&str>, killed: u32) -> TrackerRow {
        TrackerRow {
            line,
            date: day(d),
            region: region.map(str::to_string),
            vessels: None,
            killed: Some(killed),
            survivors: None,
            source_url: None,
        }
    }

    fn tracker(rows: Vec<TrackerRow>) -> Tracker {
        Tracker {
            name: "t".into(),
            version: 1,
            file: "t.csv".into(),
            sha256: String::new(),
            rows,
        }
    }

    #[test]
    fn regions_as_trackers_write_them() {
        let c = cfg();
        for (text, key) in [
            ("Caribbean", Some("caribbean")),
            ("eastern pacific", Some("eastern_pacific")),
            ("Eastern-Pacific", Some("eastern_pacific")),
            ("EP", Some("eastern_pacific")),
            ("c", Some("caribbean")),
            ("", None),
            ("not stated", None),
        ] {
            assert_eq!(tracker_region(text, &c).unwrap().as_deref(), key, "{text}");
        }
        assert!(tracker_region("Atlantic", &c).is_err());
    }

    #[test]
    fn matched_within_one_day_and_region_one_to_one() {
        let incidents = vec![
            incident("a", "2025-10-03", "caribbean", 4),
            incident("b", "2025-10-10", "caribbean", 2),
        ];
        let c = compare_tracker(
            &tracker(vec![
                row(2, "2025-10-04", Some("caribbean"), 4),
                row(3, "2025-10-03", Some("caribbean"), 4),
                row(4, "2025-10-12", Some("caribbean"), 2),
                row(5, "2025-10-10", Some("eastern_pacific"), 2),
            ]),
            &incidents,
        );
        let status = |line: u64| {
            c.rows
                .iter()
                .find(|r| r.tracker.as_ref().is_some_and(|t| t.line == line))
                .map(|r| r.status)
        };
        // The same-day row takes the incident; the day-after row is left over.
        assert_eq!(status(3), Some(ComparisonStatus::Agree));
        assert_eq!(status(2), Some(ComparisonStatus::OnlyInTracker));
        // Two days apart, or another sea: no match.
        assert_eq!(status(4), Some(ComparisonStatus::OnlyInTracker));
        assert_eq!(status(5), Some(ComparisonStatus::OnlyInTracker));
        assert_eq!(c.count(ComparisonStatus::OnlyInLedger), 1);
    }

    #[test]
    fn a_two_sea_announcement_takes_one_tracker_row_per_sea() {
        let part = |region: &str| strikewatch_model::ledger::IncidentPart {
            region: region.into(),
            point: None,
            vessels: None,
            killed: None,
        };
        let mut both = incident("ab", "2026-02-16", "caribbean", 11);
        both.region = None;
        both.parts = vec![part("caribbean"), part("eastern_pacific")];
        let c = compare_tracker(
            &tracker(vec![
                row(2, "2026-02-16", Some("eastern_pacific"), 8),
                row(3, "2026-02-16", Some("caribbean"), 3),
            ]),
            &[both.clone()],
        );
        // The combined toll is counted once, against the rows' sum.
        assert_eq!(c.count(ComparisonStatus::Agree), 2, "{:?}", c.rows);
        assert_eq!(c.count(ComparisonStatus::OnlyInTracker), 0);
        // A sum that differs is a difference on both rows, not a missing strike.
        let c = compare_tracker(
            &tracker(vec![
                row(2, "2026-02-16", Some("eastern_pacific"), 8),
                row(3, "2026-02-16", Some("caribbean"), 4),
            ]),
            &[both],
        );
        assert_eq!(c.count(ComparisonStatus::Differs), 2);
        assert_eq!(c.count(ComparisonStatus::OnlyInTracker), 0);
    }

    #[test]
    fn names_usable_in_urls() {
        assert!(check_tracker_name("acled-2026").is_ok());
        assert!(check_tracker_name("").is_err());
        assert!(check_tracker_name("a/b").is_err());
    }
}
