//! A standalone SQLite file holding the ledger tables, readable by any
//! SQLite tool. Rows are inserted in ledger order inside one transaction, so
//! the same ledger gives the same file.

use std::path::Path;

use rusqlite::{Connection, params};
use strikewatch_model::ledger::Ledger;

use crate::error::ExportResult;

const SCHEMA: &str = "
CREATE TABLE incidents (
  id TEXT PRIMARY KEY, date TEXT, date_from TEXT, date_to TEXT, region TEXT,
  lon REAL, lat REAL, point_precision TEXT,
  vessels_min INTEGER, vessels_max INTEGER, killed_min INTEGER, killed_max INTEGER,
  survivors_min INTEGER, survivors_max INTEGER,
  official_date TEXT, official_vessels INTEGER, official_killed INTEGER, official_survivors INTEGER,
  reviewed_killed TEXT, grade TEXT NOT NULL, source_urls TEXT NOT NULL, aliases TEXT NOT NULL,
  notes TEXT NOT NULL, reviewed TEXT NOT NULL
);
CREATE TABLE incident_reports (
  incident_id TEXT REFERENCES incidents(id), document_id TEXT NOT NULL, report_index INTEGER NOT NULL,
  url TEXT, title TEXT, published TEXT, source_kind TEXT NOT NULL, official INTEGER NOT NULL,
  announced_by TEXT, role TEXT NOT NULL, date TEXT, date_from TEXT, date_to TEXT, date_text TEXT,
  undated INTEGER NOT NULL, region TEXT, vessels INTEGER, killed INTEGER, killed_at_least INTEGER NOT NULL,
  survivors INTEGER, evidence TEXT NOT NULL,
  PRIMARY KEY (document_id, report_index)
);
CREATE TABLE conflicts (
  incident_id TEXT NOT NULL REFERENCES incidents(id), field TEXT NOT NULL, value TEXT NOT NULL,
  official INTEGER NOT NULL, documents TEXT NOT NULL
);
CREATE TABLE corrections (
  incident_id TEXT NOT NULL REFERENCES incidents(id), field TEXT NOT NULL, from_value TEXT NOT NULL,
  to_value TEXT NOT NULL, document_id TEXT NOT NULL
);
CREATE TABLE statements (
  document_id TEXT NOT NULL, statement_index INTEGER NOT NULL, url TEXT, published TEXT,
  speaker TEXT NOT NULL, machine_speaker TEXT NOT NULL, speaker_role TEXT, said_at TEXT, channel TEXT,
  quote TEXT NOT NULL, span_start INTEGER NOT NULL, span_end INTEGER NOT NULL, claims TEXT NOT NULL,
  incidents TEXT NOT NULL,
  PRIMARY KEY (document_id, statement_index)
);
CREATE TABLE claims (
  kind TEXT NOT NULL, key TEXT NOT NULL, claim_text TEXT NOT NULL, first_made TEXT, last_made TEXT,
  document_id TEXT NOT NULL, claim_index INTEGER NOT NULL, date TEXT, speaker TEXT NOT NULL,
  text TEXT NOT NULL, span_start INTEGER NOT NULL, span_end INTEGER NOT NULL
);
CREATE TABLE reconciliation (
  document_id TEXT NOT NULL, total_index INTEGER NOT NULL, url TEXT, as_of TEXT, attributed_to TEXT,
  stated_strikes INTEGER, stated_killed INTEGER, ledger_strikes INTEGER NOT NULL,
  ledger_killed_min INTEGER, ledger_killed_max INTEGER, strikes_gap INTEGER, killed_gap INTEGER,
  killed_gap_min INTEGER, span_text TEXT NOT NULL,
  PRIMARY KEY (document_id, total_index)
);
CREATE TABLE reviews (
  seq INTEGER NOT NULL, at TEXT NOT NULL, author TEXT NOT NULL, reason TEXT NOT NULL,
  applied INTEGER NOT NULL, detail TEXT NOT NULL, review TEXT NOT NULL
);
";

fn day(d: Option<chrono::NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

fn enum_word<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// Writes the ledger to a new SQLite file at `path` (replacing one there).
pub fn write_sqlite(ledger: &Ledger, path: &Path) -> ExportResult<()> {
    if path.exists() {
        std::fs::remove_file(path)?;
    }
    let mut conn = Connection::open(path)?;
    conn.execute_batch("PRAGMA journal_mode = DELETE;")?;
    let tx = conn.transaction()?;
    tx.execute_batch(SCHEMA)?;
    {
        let mut inc = tx.prepare(
            "INSERT INTO incidents VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23,?24)",
        )?;
        let mut rep = tx.prepare(
            "INSERT INTO incident_reports VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21)",
        )?;
        let mut con = tx.prepare("INSERT INTO conflicts VALUES (?1,?2,?3,?4,?5)")?;
        let mut cor = tx.prepare("INSERT INTO corrections VALUES (?1,?2,?3,?4,?5)")?;
        let mut insert_report = |incident: Option<&str>,
                                 r: &strikewatch_model::ledger::IncidentReport|
         -> ExportResult<()> {
            rep.execute(params![
                incident,
                r.document_id,
                r.report_index as i64,
                r.url,
                r.title,
                day(r.published),
                r.source_kind.as_str(),
                r.official,
                r.announced_by,
                enum_word(&r.role),
                day(r.date),
                day(r.date_from),
                day(r.date_to),
                r.date_text,
                r.undated,
                r.region,
                r.vessels,
                r.killed,
                r.killed_at_least,
                r.survivors,
                serde_json::to_string(&r.evidence)?,
            ])?;
            Ok(())
        };
        for i in &ledger.incidents {
            inc.execute(params![
                i.id,
                day(i.date),
                day(i.date_from),
                day(i.date_to),
                i.region,
                i.point.map(|p| p[0]),
                i.point.map(|p| p[1]),
                i.point_precision,
                i.vessels.min,
                i.vessels.max,
                i.killed.min,
                i.killed.max,
                i.survivors.min,
                i.survivors.max,
                day(i.official_date),
                i.official_vessels,
                i.official_killed,
                i.official_survivors,
                i.reviewed_value("killed"),
                i.grade.as_str(),
                i.source_urls().join(" "),
                i.aliases.join(" "),
                serde_json::to_string(&i.notes)?,
                serde_json::to_string(&i.reviewed)?,
            ])?;
            for r in &i.reports {
                insert_report(Some(&i.id), r)?;
            }
            for c in &i.conflicts {
                for v in &c.values {
                    con.execute(params![
                        i.id,
                        c.field,
                        v.value,
                        v.official,
                        v.documents.join(" ")
                    ])?;
                }
            }
            for c in &i.corrections {
                cor.execute(params![i.id, c.field, c.from, c.to, c.document_id])?;
            }
        }
        for r in &ledger.unplaced {
            insert_report(None, r)?;
        }
        let mut st = tx.prepare(
            "INSERT INTO statements VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)",
        )?;
        for s in &ledger.statements {
            st.execute(params![
                s.document_id,
                s.statement_index as i64,
                s.url,
                day(s.published),
                s.speaker(),
                s.statement.speaker,
                s.statement.speaker_role,
                day(s.statement.said_at),
                s.statement.channel.as_ref().map(enum_word),
                s.statement.quote,
                s.statement.span.start as i64,
                s.statement.span.end as i64,
                s.statement
                    .claims
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                s.incidents.join(" "),
            ])?;
        }
        let mut cl =
            tx.prepare("INSERT INTO claims VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)")?;
        for g in &ledger.claims {
            for o in &g.occurrences {
                cl.execute(params![
                    g.kind.as_str(),
                    g.key,
                    g.text,
                    day(g.first_made),
                    day(g.last_made),
                    o.document_id,
                    o.claim_index as i64,
                    day(o.date),
                    o.speaker,
                    o.text,
                    o.span.start as i64,
                    o.span.end as i64,
                ])?;
            }
        }
        let mut rc = tx.prepare(
            "INSERT INTO reconciliation VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)",
        )?;
        for r in &ledger.reconciliation {
            rc.execute(params![
                r.document_id,
                r.total_index as i64,
                r.url,
                day(r.as_of),
                r.attributed_to,
                r.stated_strikes,
                r.stated_killed,
                r.ledger_strikes,
                r.ledger_killed.min,
                r.ledger_killed.max,
                r.strikes_gap,
                r.killed_gap,
                r.killed_gap_min,
                r.span.text,
            ])?;
        }
        let mut rv = tx.prepare("INSERT INTO reviews VALUES (?1,?2,?3,?4,?5,?6,?7)")?;
        for o in &ledger.review_log {
            rv.execute(params![
                o.review.seq,
                o.review.at,
                o.review.author,
                o.review.reason,
                o.applied,
                o.detail,
                serde_json::to_string(&o.review)?,
            ])?;
        }
    }
    tx.commit()?;
    conn.close().map_err(|(_, e)| e)?;
    Ok(())
}
