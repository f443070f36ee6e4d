//! The ledger as CSV tables, and the reader that turns them back into the
//! same ledger. Nested values (conflicts, evidence spans, review actions)
//! sit in JSON-encoded columns; lists of plain words are space-separated.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use strikewatch_model::cells::{from_spreadsheet_cell, spreadsheet_cell};
use strikewatch_model::ledger::{
    ClaimGroup, ClaimOccurrence, CountRange, GapCause, Grade, Incident, IncidentReport, Ledger,
    LedgerStatement, Reconciliation, ReviewOutcome, Suspicion,
};
use strikewatch_model::{Channel, ClaimKind, ReportRole, SourceKind, Span, Statement};

use crate::error::{ExportError, ExportResult};

/// One CSV file per ledger table.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CsvTables {
    pub incidents: Vec<u8>,
    pub incident_reports: Vec<u8>,
    pub statements: Vec<u8>,
    pub claims: Vec<u8>,
    pub reconciliation: Vec<u8>,
    pub reviews: Vec<u8>,
}

impl CsvTables {
    /// File names and contents, in a fixed order.
    pub fn files(&self) -> [(&'static str, &[u8]); 6] {
        [
            ("incidents.csv", &self.incidents),
            ("incident_reports.csv", &self.incident_reports),
            ("statements.csv", &self.statements),
            ("claims.csv", &self.claims),
            ("reconciliation.csv", &self.reconciliation),
            ("reviews.csv", &self.reviews),
        ]
    }

    /// Writes the tables into a folder.
    pub fn write_dir(&self, dir: &std::path::Path) -> ExportResult<()> {
        std::fs::create_dir_all(dir)?;
        for (name, bytes) in self.files() {
            std::fs::write(dir.join(name), bytes)?;
        }
        Ok(())
    }

    /// Reads the tables from a folder written by [`CsvTables::write_dir`].
    pub fn read_dir(dir: &std::path::Path) -> ExportResult<CsvTables> {
        let read = |n: &str| std::fs::read(dir.join(n));
        Ok(CsvTables {
            incidents: read("incidents.csv")?,
            incident_reports: read("incident_reports.csv")?,
            statements: read("statements.csv")?,
            claims: read("claims.csv")?,
            reconciliation: read("reconciliation.csv")?,
            reviews: read("reviews.csv")?,
        })
    }
}

fn words(list: &[String]) -> String {
    list.join(" ")
}

fn unwords(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_string).collect()
}

fn to_json<T: Serialize>(v: &T) -> ExportResult<String> {
    Ok(serde_json::to_string(v)?)
}

fn from_json<T: DeserializeOwned>(s: &str) -> ExportResult<T> {
    Ok(serde_json::from_str(s)?)
}

#[derive(Debug, Serialize, Deserialize)]
struct IncidentRow {
    id: String,
    date: Option<NaiveDate>,
    date_from: Option<NaiveDate>,
    date_to: Option<NaiveDate>,
    region: Option<String>,
    lon: Option<f64>,
    lat: Option<f64>,
    point_precision: Option<String>,
    vessels_min: Option<u32>,
    vessels_max: Option<u32>,
    killed_min: Option<u32>,
    killed_max: Option<u32>,
    survivors_min: Option<u32>,
    survivors_max: Option<u32>,
    official_date: Option<NaiveDate>,
    official_vessels: Option<u32>,
    official_killed: Option<u32>,
    official_survivors: Option<u32>,
    reviewed_killed: Option<String>,
    grade: Grade,
    official_reports: usize,
    independent_reports: usize,
    /// Space-separated.
    source_urls: String,
    document_ids: String,
    aliases: String,
    conflicts: String,
    corrections: String,
    notes: String,
    reviewed: String,
    /// Why the incident is graded (or was, before review) `suspect`.
    #[serde(default)]
    suspect_rule: Option<String>,
    #[serde(default)]
    suspect_reason: Option<String>,
    /// The seas of a multi-sea announcement, as JSON.
    #[serde(default)]
    parts: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct ReportRow {
    /// Empty for a report no incident holds.
    incident_id: Option<String>,
    document_id: String,
    report_index: usize,
    url: Option<String>,
    title: Option<String>,
    published: Option<NaiveDate>,
    source_kind: SourceKind,
    source: Option<String>,
    official: bool,
    announced_by: Option<String>,
    role: ReportRole,
    date: Option<NaiveDate>,
    date_from: Option<NaiveDate>,
    date_to: Option<NaiveDate>,
    date_text: Option<String>,
    undated: bool,
    region: Option<String>,
    location_text: Option<String>,
    lon: Option<f64>,
    lat: Option<f64>,
    vessels: Option<u32>,
    killed: Option<u32>,
    killed_at_least: bool,
    survivors: Option<u32>,
    evidence: String,
    /// Per-sea parts of a multi-sea announcement, as JSON.
    #[serde(default)]
    parts: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct StatementRow {
    document_id: String,
    statement_index: usize,
    url: Option<String>,
    published: Option<NaiveDate>,
    /// The speaker that leads (reviewed, else the machine's).
    speaker: String,
    machine_speaker: String,
    reviewed_speaker: Option<String>,
    speaker_role: Option<String>,
    said_at: Option<NaiveDate>,
    channel: Option<Channel>,
    quote_start: String,
    quote: String,
    span_start: usize,
    span_end: usize,
    span_text: String,
    attribution: String,
    claims: String,
    incidents: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct ClaimRow {
    kind: ClaimKind,
    key: String,
    claim_text: String,
    first_made: Option<NaiveDate>,
    last_made: Option<NaiveDate>,
    document_id: String,
    claim_index: usize,
    url: Option<String>,
    date: Option<NaiveDate>,
    speaker: String,
    text: String,
    span_start: usize,
    span_end: usize,
    span_text: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct ReconciliationRow {
    document_id: String,
    total_index: usize,
    url: Option<String>,
    as_of: Option<NaiveDate>,
    attributed_to: Option<String>,
    stated_strikes: Option<u32>,
    stated_killed: Option<u32>,
    killed_at_least: bool,
    ledger_strikes: u32,
    ledger_killed_min: Option<u32>,
    ledger_killed_max: Option<u32>,
    strikes_gap: Option<i64>,
    killed_gap: Option<i64>,
    killed_gap_min: Option<i64>,
    span_start: usize,
    span_end: usize,
    span_text: String,
    #[serde(default)]
    cause: Option<GapCause>,
    #[serde(default)]
    explanation: String,
    /// The whole explanation (placement, window, incidents named), as JSON.
    #[serde(default)]
    explanation_detail: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct ReviewRow {
    seq: i64,
    at: String,
    author: String,
    reason: String,
    applied: bool,
    detail: String,
    /// The review itself, as JSON.
    review: String,
}

/// Rows as CSV, every cell spreadsheet-safe (see `strikewatch_model::cells`):
/// serde writes the plain table, then each cell is rewritten.
fn table<T: Serialize>(rows: impl IntoIterator<Item = T>) -> ExportResult<Vec<u8>> {
    let mut plain = csv::Writer::from_writer(Vec::new());
    for r in rows {
        plain.serialize(r)?;
    }
    plain.flush()?;
    let plain = plain
        .into_inner()
        .map_err(|e| ExportError::Io(e.into_error()))?;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(plain.as_slice());
    for record in reader.records() {
        let record = record?;
        w.write_record(
            record
                .iter()
                .map(|cell| spreadsheet_cell(cell).into_owned()),
        )?;
    }
    w.flush()?;
    w.into_inner().map_err(|e| ExportError::Io(e.into_error()))
}

fn rows<T: DeserializeOwned>(bytes: &[u8]) -> ExportResult<Vec<T>> {
    let mut reader = csv::Reader::from_reader(bytes);
    let headers = reader.headers()?.clone();
    reader
        .records()
        .map(|record| {
            let record = record?;
            let original: csv::StringRecord = record
                .iter()
                .map(|cell| from_spreadsheet_cell(cell).into_owned())
                .collect();
            original
                .deserialize(Some(&headers))
                .map_err(ExportError::from)
        })
        .collect()
}

fn report_row(incident_id: Option<&str>, r: &IncidentReport) -> ExportResult<ReportRow> {
    Ok(ReportRow {
        incident_id: incident_id.map(str::to_string),
        document_id: r.document_id.clone(),
        report_index: r.report_index,
        url: r.url.clone(),
        title: r.title.clone(),
        published: r.published,
        source_kind: r.source_kind,
        source: r.source.clone(),
        official: r.official,
        announced_by: r.announced_by.clone(),
        role: r.role,
        date: r.date,
        date_from: r.date_from,
        date_to: r.date_to,
        date_text: r.date_text.clone(),
        undated: r.undated,
        region: r.region.clone(),
        location_text: r.location_text.clone(),
        lon: r.coordinates.map(|c| c[0]),
        lat: r.coordinates.map(|c| c[1]),
        vessels: r.vessels,
        killed: r.killed,
        killed_at_least: r.killed_at_least,
        survivors: r.survivors,
        evidence: to_json(&r.evidence)?,
        parts: to_json(&r.parts)?,
    })
}

fn report_of(row: ReportRow) -> ExportResult<IncidentReport> {
    Ok(IncidentReport {
        document_id: row.document_id,
        report_index: row.report_index,
        url: row.url,
        title: row.title,
        published: row.published,
        source_kind: row.source_kind,
        official: row.official,
        role: row.role,
        date: row.date,
        date_text: row.date_text,
        region: row.region,
        vessels: row.vessels,
        killed: row.killed,
        survivors: row.survivors,
        evidence: from_json(&row.evidence)?,
        date_from: row.date_from,
        date_to: row.date_to,
        killed_at_least: row.killed_at_least,
        announced_by: row.announced_by,
        undated: row.undated,
        source: row.source,
        location_text: row.location_text,
        coordinates: row.lon.zip(row.lat).map(|(a, b)| [a, b]),
        parts: json_or_default(&row.parts)?,
    })
}

/// A JSON column that older files may leave empty.
fn json_or_default<T: DeserializeOwned + Default>(s: &str) -> ExportResult<T> {
    if s.trim().is_empty() {
        Ok(T::default())
    } else {
        from_json(s)
    }
}

/// Incidents only (one row per incident, each with its source URLs), for a
/// quick spreadsheet.
pub fn incidents_csv(ledger: &Ledger) -> ExportResult<Vec<u8>> {
    let rows: ExportResult<Vec<IncidentRow>> = ledger.incidents.iter().map(incident_row).collect();
    table(rows?)
}

fn incident_row(i: &Incident) -> ExportResult<IncidentRow> {
    let mut docs: Vec<String> = i.reports.iter().map(|r| r.document_id.clone()).collect();
    docs.dedup();
    let urls: Vec<String> = i.source_urls().into_iter().map(str::to_string).collect();
    Ok(IncidentRow {
        id: i.id.clone(),
        date: i.date,
        date_from: i.date_from,
        date_to: i.date_to,
        region: i.region.clone(),
        lon: i.point.map(|p| p[0]),
        lat: i.point.map(|p| p[1]),
        point_precision: i.point_precision.clone(),
        vessels_min: i.vessels.min,
        vessels_max: i.vessels.max,
        killed_min: i.killed.min,
        killed_max: i.killed.max,
        survivors_min: i.survivors.min,
        survivors_max: i.survivors.max,
        official_date: i.official_date,
        official_vessels: i.official_vessels,
        official_killed: i.official_killed,
        official_survivors: i.official_survivors,
        reviewed_killed: i.reviewed_value("killed").map(str::to_string),
        grade: i.grade,
        official_reports: i.official_reports().count(),
        independent_reports: i.independent_reports().count(),
        source_urls: words(&urls),
        document_ids: words(&docs),
        aliases: words(&i.aliases),
        conflicts: to_json(&i.conflicts)?,
        corrections: to_json(&i.corrections)?,
        notes: to_json(&i.notes)?,
        reviewed: to_json(&i.reviewed)?,
        suspect_rule: i.suspect.as_ref().map(|s| s.rule.clone()),
        suspect_reason: i.suspect.as_ref().map(|s| s.reason.clone()),
        parts: to_json(&i.parts)?,
    })
}

/// Every table of the ledger.
pub fn ledger_csv(ledger: &Ledger) -> ExportResult<CsvTables> {
    let mut reports = Vec::new();
    for i in &ledger.incidents {
        for r in &i.reports {
            reports.push(report_row(Some(&i.id), r)?);
        }
    }
    for r in &ledger.unplaced {
        reports.push(report_row(None, r)?);
    }
    let statements: ExportResult<Vec<StatementRow>> = ledger
        .statements
        .iter()
        .map(|s| {
            Ok(StatementRow {
                document_id: s.document_id.clone(),
                statement_index: s.statement_index,
                url: s.url.clone(),
                published: s.published,
                speaker: s.speaker().to_string(),
                machine_speaker: s.statement.speaker.clone(),
                reviewed_speaker: s.reviewed_speaker.clone(),
                speaker_role: s.statement.speaker_role.clone(),
                said_at: s.statement.said_at,
                channel: s.statement.channel,
                quote_start: s.statement.quote_start.clone(),
                quote: s.statement.quote.clone(),
                span_start: s.statement.span.start,
                span_end: s.statement.span.end,
                span_text: s.statement.span.text.clone(),
                attribution: to_json(&s.statement.attribution)?,
                claims: s
                    .statement
                    .claims
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                incidents: words(&s.incidents),
            })
        })
        .collect();
    let claims: Vec<ClaimRow> = ledger
        .claims
        .iter()
        .flat_map(|g| {
            g.occurrences.iter().map(move |o| ClaimRow {
                kind: g.kind,
                key: g.key.clone(),
                claim_text: g.text.clone(),
                first_made: g.first_made,
                last_made: g.last_made,
                document_id: o.document_id.clone(),
                claim_index: o.claim_index,
                url: o.url.clone(),
                date: o.date,
                speaker: o.speaker.clone(),
                text: o.text.clone(),
                span_start: o.span.start,
                span_end: o.span.end,
                span_text: o.span.text.clone(),
            })
        })
        .collect();
    let reconciliation = ledger.reconciliation.iter().map(|r| ReconciliationRow {
        document_id: r.document_id.clone(),
        total_index: r.total_index,
        url: r.url.clone(),
        as_of: r.as_of,
        attributed_to: r.attributed_to.clone(),
        stated_strikes: r.stated_strikes,
        stated_killed: r.stated_killed,
        killed_at_least: r.killed_at_least,
        ledger_strikes: r.ledger_strikes,
        ledger_killed_min: r.ledger_killed.min,
        ledger_killed_max: r.ledger_killed.max,
        strikes_gap: r.strikes_gap,
        killed_gap: r.killed_gap,
        killed_gap_min: r.killed_gap_min,
        span_start: r.span.start,
        span_end: r.span.end,
        span_text: r.span.text.clone(),
        cause: r.cause,
        explanation: r.explanation.text.clone(),
        explanation_detail: to_json(&r.explanation).unwrap_or_default(),
    });
    let reviews: ExportResult<Vec<ReviewRow>> = ledger
        .review_log
        .iter()
        .map(|o| {
            Ok(ReviewRow {
                seq: o.review.seq,
                at: o.review.at.clone(),
                author: o.review.author.clone(),
                reason: o.review.reason.clone(),
                applied: o.applied,
                detail: o.detail.clone(),
                review: to_json(&o.review)?,
            })
        })
        .collect();
    Ok(CsvTables {
        incidents: incidents_csv(ledger)?,
        incident_reports: table(reports)?,
        statements: table(statements?)?,
        claims: table(claims)?,
        reconciliation: table(reconciliation)?,
        reviews: table(reviews?)?,
    })
}

/// Reads tables written by [`ledger_csv`] back into the ledger.
pub fn read_ledger_csv(tables: &CsvTables) -> ExportResult<Ledger> {
    let mut reports_of: BTreeMap<String, Vec<IncidentReport>> = BTreeMap::new();
    let mut unplaced = Vec::new();
    for row in rows::<ReportRow>(&tables.incident_reports)? {
        match row.incident_id.clone() {
            Some(id) => reports_of.entry(id).or_default().push(report_of(row)?),
            None => unplaced.push(report_of(row)?),
        }
    }
    let mut incidents = Vec::new();
    for row in rows::<IncidentRow>(&tables.incidents)? {
        let reports = reports_of.remove(&row.id).unwrap_or_default();
        incidents.push(Incident {
            id: row.id,
            date: row.date,
            date_from: row.date_from,
            date_to: row.date_to,
            region: row.region,
            point: row.lon.zip(row.lat).map(|(a, b)| [a, b]),
            point_precision: row.point_precision,
            vessels: CountRange {
                min: row.vessels_min,
                max: row.vessels_max,
            },
            killed: CountRange {
                min: row.killed_min,
                max: row.killed_max,
            },
            survivors: CountRange {
                min: row.survivors_min,
                max: row.survivors_max,
            },
            official_killed: row.official_killed,
            grade: row.grade,
            reports,
            conflicts: from_json(&row.conflicts)?,
            corrections: from_json(&row.corrections)?,
            notes: from_json(&row.notes)?,
            official_date: row.official_date,
            official_vessels: row.official_vessels,
            official_survivors: row.official_survivors,
            aliases: unwords(&row.aliases),
            reviewed: from_json(&row.reviewed)?,
            suspect: row
                .suspect_rule
                .zip(row.suspect_reason)
                .map(|(rule, reason)| Suspicion { rule, reason }),
            parts: json_or_default(&row.parts)?,
        });
    }
    if let Some(id) = reports_of.keys().next() {
        return Err(ExportError::Shape {
            table: "incident_reports.csv",
            message: format!("reports name incident {id}, which is not in incidents.csv"),
        });
    }
    let mut statements = Vec::new();
    for row in rows::<StatementRow>(&tables.statements)? {
        let claims: Option<Vec<ClaimKind>> = row
            .claims
            .split_whitespace()
            .map(ClaimKind::parse)
            .collect();
        statements.push(LedgerStatement {
            document_id: row.document_id,
            statement_index: row.statement_index,
            url: row.url,
            published: row.published,
            reviewed_speaker: row.reviewed_speaker,
            statement: Statement {
                speaker: row.machine_speaker,
                speaker_role: row.speaker_role,
                quote: row.quote,
                quote_start: row.quote_start,
                channel: row.channel,
                said_at: row.said_at,
                span: Span {
                    start: row.span_start,
                    end: row.span_end,
                    text: row.span_text,
                },
                attribution: from_json(&row.attribution)?,
                claims: claims.ok_or_else(|| ExportError::Shape {
                    table: "statements.csv",
                    message: format!("unknown claim kind in {:?}", row.claims),
                })?,
                confidence: Default::default(),
            },
            incidents: unwords(&row.incidents),
        });
    }
    let mut claims: Vec<ClaimGroup> = Vec::new();
    for row in rows::<ClaimRow>(&tables.claims)? {
        let occ = ClaimOccurrence {
            document_id: row.document_id,
            claim_index: row.claim_index,
            url: row.url,
            date: row.date,
            speaker: row.speaker,
            text: row.text,
            span: Span {
                start: row.span_start,
                end: row.span_end,
                text: row.span_text,
            },
        };
        match claims.last_mut() {
            Some(g) if g.kind == row.kind && g.key == row.key => g.occurrences.push(occ),
            _ => claims.push(ClaimGroup {
                kind: row.kind,
                key: row.key,
                text: row.claim_text,
                speakers: Vec::new(),
                first_made: row.first_made,
                last_made: row.last_made,
                occurrences: vec![occ],
            }),
        }
    }
    for g in &mut claims {
        let mut s: Vec<String> = g.occurrences.iter().map(|o| o.speaker.clone()).collect();
        s.sort();
        s.dedup();
        g.speakers = s;
    }
    let reconciliation = rows::<ReconciliationRow>(&tables.reconciliation)?
        .into_iter()
        .map(|r| Reconciliation {
            document_id: r.document_id,
            total_index: r.total_index,
            url: r.url,
            as_of: r.as_of,
            attributed_to: r.attributed_to,
            stated_strikes: r.stated_strikes,
            stated_killed: r.stated_killed,
            ledger_strikes: r.ledger_strikes,
            ledger_killed: CountRange {
                min: r.ledger_killed_min,
                max: r.ledger_killed_max,
            },
            killed_gap: r.killed_gap,
            strikes_gap: r.strikes_gap,
            span: Span {
                start: r.span_start,
                end: r.span_end,
                text: r.span_text,
            },
            killed_gap_min: r.killed_gap_min,
            killed_at_least: r.killed_at_least,
            cause: r.cause,
            explanation: json_or_default(&r.explanation_detail).unwrap_or_default(),
        })
        .collect();
    let mut review_log = Vec::new();
    for row in rows::<ReviewRow>(&tables.reviews)? {
        review_log.push(ReviewOutcome {
            review: from_json(&row.review)?,
            applied: row.applied,
            detail: row.detail,
        });
    }
    Ok(Ledger {
        incidents,
        unplaced,
        reconciliation,
        statements,
        claims,
        review_log,
    })
}
