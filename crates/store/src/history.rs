//! The ledger's history and other organisations' trackers: the SQL behind
//! `as_of` views, `/changes`, incident histories and tracker comparisons.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use strikewatch_model::ledger::Reconciliation;
use strikewatch_model::read::IncidentSummary;
use strikewatch_model::tracking::{
    ChangePage, IncidentChange, LedgerAsOf, LedgerHistory, Tracker, TrackerComparison, TrackerInfo,
    TrackerRow, sort_reconciliation,
};

use crate::StoreError;
use crate::ledger_rows::{bump_generation, day};

/// Replaces the stored history in one transaction (and bumps the ledger
/// generation, so pages showing history are rendered again).
pub(crate) fn replace_history(
    conn: &Connection,
    history: &LedgerHistory,
) -> Result<(), StoreError> {
    let tx = conn.unchecked_transaction()?;
    tx.execute_batch(
        "DELETE FROM ledger_changes; DELETE FROM ledger_incident_versions;
         DELETE FROM ledger_reconciliation_versions; DELETE FROM ledger_days;",
    )?;
    {
        let mut put = tx.prepare_cached(
            "INSERT INTO ledger_changes (seq, day, incident_id, kind, json) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for c in &history.changes {
            put.execute(params![
                i64::try_from(c.seq).unwrap_or(i64::MAX),
                day(c.day),
                c.incident_id,
                c.kind.as_str(),
                serde_json::to_string(c)?
            ])?;
        }
        let mut put = tx.prepare_cached(
            "INSERT INTO ledger_incident_versions (incident_id, from_day, to_day, json) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for v in &history.incidents {
            put.execute(params![
                v.summary.id,
                day(Some(v.from_day)),
                day(v.to_day),
                serde_json::to_string(&v.summary)?
            ])?;
        }
        let mut put = tx.prepare_cached(
            "INSERT INTO ledger_reconciliation_versions (document_id, total_index, from_day, to_day, json)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for v in &history.reconciliation {
            put.execute(params![
                v.row.document_id,
                v.row.total_index as i64,
                day(Some(v.from_day)),
                day(v.to_day),
                serde_json::to_string(&v.row)?
            ])?;
        }
        let mut put = tx.prepare_cached(
            "INSERT INTO ledger_days (day, documents, reviews) VALUES (?1, ?2, ?3)",
        )?;
        for d in &history.days {
            put.execute(params![
                day(Some(d.day)),
                d.documents as i64,
                d.reviews as i64
            ])?;
        }
    }
    bump_generation(&tx)?;
    tx.commit()?;
    Ok(())
}

fn parse_rows<T: serde::de::DeserializeOwned>(
    conn: &Connection,
    sql: &str,
    on: &str,
) -> Result<Vec<T>, StoreError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let texts = stmt
        .query_map(params![on], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<String>, _>>()?;
    texts
        .iter()
        .map(|t| serde_json::from_str(t).map_err(StoreError::from))
        .collect()
}

/// The ledger at the end of `on`, read from the versions valid that day.
pub(crate) fn ledger_as_of(conn: &Connection, on: NaiveDate) -> Result<LedgerAsOf, StoreError> {
    let key = on.format("%Y-%m-%d").to_string();
    let mut incidents: Vec<IncidentSummary> = parse_rows(
        conn,
        "SELECT json FROM ledger_incident_versions
         WHERE from_day <= ?1 AND (to_day IS NULL OR to_day > ?1)",
        &key,
    )?;
    incidents.sort_by(|a, b| (a.sort_day(), &a.id).cmp(&(b.sort_day(), &b.id)));
    let mut reconciliation: Vec<Reconciliation> = parse_rows(
        conn,
        "SELECT json FROM ledger_reconciliation_versions
         WHERE from_day <= ?1 AND (to_day IS NULL OR to_day > ?1)",
        &key,
    )?;
    sort_reconciliation(&mut reconciliation);
    let documents: i64 = conn
        .query_row(
            "SELECT documents FROM ledger_days WHERE day <= ?1 ORDER BY day DESC LIMIT 1",
            params![key],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0);
    Ok(LedgerAsOf {
        day: Some(on),
        incidents,
        reconciliation,
        documents: u64::try_from(documents).unwrap_or(0),
    })
}

/// Changes dated after `since` (undated ones always), one page.
pub(crate) fn changes(
    conn: &Connection,
    since: Option<NaiveDate>,
    after: Option<i64>,
    offset: u64,
    limit: u64,
) -> Result<ChangePage, StoreError> {
    let since = day(since).unwrap_or_default();
    let filter = "(?1 = '' OR day IS NULL OR day > ?1)";
    // Count and page from one snapshot.
    let conn = conn.unchecked_transaction()?;
    let total: i64 = conn.query_row(
        &format!("SELECT COUNT(*) FROM ledger_changes WHERE {filter}"),
        params![since],
        |r| r.get(0),
    )?;
    // After a cursor the page is sought by `seq` (the primary key); else
    // it steps over `offset` rows. One row more tells whether any follow.
    let limit = i64::try_from(limit)
        .unwrap_or(i64::MAX - 1)
        .min(i64::MAX - 1);
    let offset = if after.is_some() {
        0
    } else {
        i64::try_from(offset).unwrap_or(i64::MAX)
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT json FROM ledger_changes WHERE {filter} AND seq > ?4 ORDER BY seq LIMIT ?2 OFFSET ?3"
    ))?;
    let texts = stmt
        .query_map(
            params![since, limit + 1, offset, after.unwrap_or(i64::MIN)],
            |r| r.get::<_, String>(0),
        )?
        .collect::<Result<Vec<String>, _>>()?;
    let more = texts.len() as i64 > limit;
    let mut changes = texts
        .iter()
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .map(|t| serde_json::from_str(t).map_err(StoreError::from))
        .collect::<Result<Vec<IncidentChange>, _>>()?;
    changes.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next = changes.last().filter(|_| more).map(|c| c.seq.to_string());
    Ok(ChangePage {
        changes,
        total: u64::try_from(total).unwrap_or(0),
        next,
    })
}

/// The changes of one incident and of the incidents merged into it.
pub(crate) fn incident_history(
    conn: &Connection,
    id: &str,
) -> Result<Vec<IncidentChange>, StoreError> {
    let canonical: String = conn
        .query_row(
            "SELECT incident_id FROM ledger_incident_aliases WHERE alias = ?1",
            params![id],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_else(|| id.to_string());
    parse_rows(
        conn,
        "SELECT json FROM ledger_changes
         WHERE incident_id = ?1
            OR incident_id IN (SELECT alias FROM ledger_incident_aliases WHERE incident_id = ?1)
            OR (kind = 'merged' AND json_extract(json, '$.into') = ?1)
         ORDER BY seq",
        &canonical,
    )
}

/// Stores a new version of tracker `name`; returns its version number.
pub(crate) fn put_tracker(
    conn: &Connection,
    name: &str,
    file: &str,
    sha256: &str,
    rows: &[TrackerRow],
) -> Result<i64, StoreError> {
    let tx = conn.unchecked_transaction()?;
    let version: i64 = tx.query_row(
        "SELECT COALESCE(MAX(version), 0) + 1 FROM trackers WHERE name = ?1",
        params![name],
        |r| r.get(0),
    )?;
    tx.execute(
        "INSERT INTO trackers (name, version, file, sha256) VALUES (?1, ?2, ?3, ?4)",
        params![name, version, file, sha256],
    )?;
    {
        let mut put = tx.prepare_cached(
            "INSERT INTO tracker_rows (name, version, line, json) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for row in rows {
            put.execute(params![
                name,
                version,
                i64::try_from(row.line).unwrap_or(i64::MAX),
                serde_json::to_string(row)?
            ])?;
        }
    }
    tx.commit()?;
    Ok(version)
}

/// The latest version of every tracker, by name.
pub(crate) fn latest_trackers(conn: &Connection) -> Result<Vec<Tracker>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.name, t.version, t.file, t.sha256 FROM trackers t
         WHERE t.version = (SELECT MAX(version) FROM trackers u WHERE u.name = t.name)
         ORDER BY t.name",
    )?;
    let heads = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let mut rows_of = conn.prepare_cached(
        "SELECT json FROM tracker_rows WHERE name = ?1 AND version = ?2 ORDER BY line",
    )?;
    let mut out = Vec::with_capacity(heads.len());
    for (name, version, file, sha256) in heads {
        let texts = rows_of
            .query_map(params![name, version], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<String>, _>>()?;
        let rows = texts
            .iter()
            .map(|t| serde_json::from_str(t).map_err(StoreError::from))
            .collect::<Result<Vec<TrackerRow>, _>>()?;
        out.push(Tracker {
            name,
            version,
            file,
            sha256,
            rows,
        });
    }
    Ok(out)
}

/// Replaces every stored comparison.
pub(crate) fn replace_comparisons(
    conn: &Connection,
    comparisons: &[TrackerComparison],
) -> Result<(), StoreError> {
    let tx = conn.unchecked_transaction()?;
    tx.execute("DELETE FROM tracker_comparisons", [])?;
    {
        let mut put =
            tx.prepare_cached("INSERT INTO tracker_comparisons (name, json) VALUES (?1, ?2)")?;
        for c in comparisons {
            put.execute(params![c.name, serde_json::to_string(c)?])?;
        }
    }
    tx.commit()?;
    Ok(())
}

pub(crate) fn comparison(
    conn: &Connection,
    name: &str,
) -> Result<Option<TrackerComparison>, StoreError> {
    Ok(parse_rows(
        conn,
        "SELECT json FROM tracker_comparisons WHERE name = ?1",
        name,
    )?
    .into_iter()
    .next())
}

pub(crate) fn tracker_infos(conn: &Connection) -> Result<Vec<TrackerInfo>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT json FROM tracker_comparisons ORDER BY name")?;
    let texts = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<String>, _>>()?;
    texts
        .iter()
        .map(|t| {
            serde_json::from_str::<TrackerComparison>(t)
                .map(|c| TrackerInfo::of(&c))
                .map_err(StoreError::from)
        })
        .collect()
}
