//! SQL for the derived data: extractions, the review log, the resolved
//! ledger and API tokens. The ledger is written whole in one transaction.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, SecondsFormat, Utc};
use rusqlite::{Connection, params};
use strikewatch_model::ledger::{
    ClaimGroup, Incident, IncidentReport, Ledger, LedgerStatement, Reconciliation, Review,
    ReviewAction, ReviewOutcome,
};
use strikewatch_model::ledger::{ClaimOccurrence, LedgerDelta};
use strikewatch_model::read::{ClaimRow, IncidentSummary};
use strikewatch_model::{Claim, ClaimKind, Extraction, SourceKind};

use crate::StoreError;
use crate::store::StoredExtraction;

pub(crate) fn day(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

pub(crate) fn parse_day(text: Option<String>) -> Result<Option<NaiveDate>, StoreError> {
    text.map(|t| {
        NaiveDate::parse_from_str(&t, "%Y-%m-%d")
            .map_err(|_| StoreError::Malformed(format!("date {t:?}")))
    })
    .transpose()
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub(crate) fn put_extractions(conn: &Connection, items: &[Extraction]) -> Result<(), StoreError> {
    let tx = conn.unchecked_transaction()?;
    {
        let mut put = tx.prepare_cached(
            "INSERT INTO extractions (document_id, lexicon_version, json) VALUES (?1, ?2, ?3)
             ON CONFLICT (document_id) DO UPDATE SET
                 lexicon_version = excluded.lexicon_version, json = excluded.json",
        )?;
        for e in items {
            put.execute(params![e.id, e.lexicon_version, serde_json::to_string(e)?])?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// One page of extractions after `after` (by document id).
pub(crate) fn extraction_page(
    conn: &Connection,
    after: &str,
    limit: i64,
) -> Result<Vec<StoredExtraction>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT d.id, d.url, d.title, d.published_date, d.source, d.source_kind, e.json
         FROM extractions e JOIN documents d ON d.id = e.document_id
         WHERE e.document_id > ?1 ORDER BY e.document_id LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![after, limit], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, Option<String>>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, Option<String>>(3)?,
            r.get::<_, Option<String>>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (document_id, url, title, published, source, kind, json) = row?;
        out.push(StoredExtraction {
            document_id,
            url,
            title,
            published: parse_day(published)?,
            source,
            source_kind: SourceKind::from_corpus(&kind),
            extraction: serde_json::from_str(&json)?,
        });
    }
    Ok(out)
}

pub(crate) fn append_review(
    conn: &Connection,
    token_id: Option<i64>,
    author: &str,
    reason: &str,
    action: ReviewAction,
) -> Result<Review, StoreError> {
    let at = now();
    conn.execute(
        "INSERT INTO reviews (at, author, reason, action, token_id) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            at,
            author,
            reason,
            serde_json::to_string(&action)?,
            token_id
        ],
    )?;
    Ok(Review {
        seq: conn.last_insert_rowid(),
        at,
        author: author.into(),
        reason: reason.into(),
        action,
    })
}

pub(crate) fn review_log(conn: &Connection) -> Result<Vec<Review>, StoreError> {
    let mut stmt =
        conn.prepare_cached("SELECT seq, at, author, reason, action FROM reviews ORDER BY seq")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (seq, at, author, reason, action) = row?;
        out.push(Review {
            seq,
            at,
            author,
            reason,
            action: serde_json::from_str(&action)?,
        });
    }
    Ok(out)
}

fn incident_days(i: &Incident) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let first = i.date.or(i.date_from);
    let last = i.date.or(i.date_to).or(first);
    (first, last)
}

fn incident_search_text(i: &Incident) -> String {
    let mut text = i.id.to_lowercase();
    for r in &i.reports {
        if let Some(t) = &r.title {
            text.push('\n');
            text.push_str(&t.to_lowercase());
        }
    }
    text
}

/// The claim rows of the listing: one per occurrence of each claim group.
fn claim_rows(group: &ClaimGroup) -> impl Iterator<Item = ClaimRow> + '_ {
    group.occurrences.iter().map(move |o| claim_row(group, o))
}

fn claim_row(group: &ClaimGroup, o: &ClaimOccurrence) -> ClaimRow {
    ClaimRow {
        document_id: o.document_id.clone(),
        url: o.url.clone(),
        published: o.date,
        claim: Claim {
            kind: group.kind,
            text: o.text.clone(),
            speaker: o.speaker.clone(),
            span: o.span.clone(),
        },
    }
}

/// The order incidents are listed in: the ledger's own (first day, then id;
/// undated first).
pub(crate) const INCIDENT_ORDER: &str = "sort_day, id";

fn put_incident(tx: &Connection, position: i64, i: &Incident) -> Result<(), StoreError> {
    let (first, last) = incident_days(i);
    tx.prepare_cached(
        "INSERT INTO ledger_incidents (position, id, first_day, last_day, region, grade,
             killed_min, killed_max, lead_killed, search_text, json, sort_day)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?
    .execute(params![
        position,
        i.id,
        day(first),
        day(last),
        i.region.as_deref().unwrap_or("unknown"),
        i.grade.as_str(),
        i.killed.min,
        i.killed.max,
        i.lead_killed(),
        incident_search_text(i),
        serde_json::to_string(i)?,
        day(i.date.or(i.date_from)),
    ])?;
    put_summary(tx, &IncidentSummary::of(i))?;
    let mut alias = tx.prepare_cached(
        "INSERT OR REPLACE INTO ledger_incident_aliases (alias, incident_id) VALUES (?1, ?2)",
    )?;
    for a in &i.aliases {
        alias.execute(params![a, i.id])?;
    }
    let mut backs = tx.prepare_cached(
        "INSERT OR IGNORE INTO ledger_incident_documents (document_id, incident_id)
         VALUES (?1, ?2)",
    )?;
    for r in &i.reports {
        backs.execute(params![r.document_id, i.id])?;
    }
    Ok(())
}

fn put_summary(tx: &Connection, s: &IncidentSummary) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT OR REPLACE INTO ledger_incident_summaries (id, report_count, json)
         VALUES (?1, ?2, ?3)",
    )?
    .execute(params![
        s.id,
        i64::try_from(s.report_count).unwrap_or(i64::MAX),
        serde_json::to_string(s)?
    ])?;
    Ok(())
}

/// Writes the summary of every stored incident that has none (a ledger
/// written before summaries were stored), each incident parsed once.
pub(crate) fn fill_missing_summaries(conn: &Connection) -> Result<usize, StoreError> {
    let tx = conn.unchecked_transaction()?;
    let missing: Vec<String> = {
        let mut stmt = tx.prepare(
            "SELECT i.json FROM ledger_incidents i WHERE NOT EXISTS
                 (SELECT 1 FROM ledger_incident_summaries s WHERE s.id = i.id)",
        )?;
        stmt.query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<_>>()?
    };
    for json in &missing {
        let incident: Incident = serde_json::from_str(json)?;
        put_summary(&tx, &IncidentSummary::of(&incident))?;
    }
    tx.commit()?;
    Ok(missing.len())
}

fn delete_incident(tx: &Connection, id: &str) -> Result<(), StoreError> {
    for sql in [
        "DELETE FROM ledger_incidents WHERE id = ?1",
        "DELETE FROM ledger_incident_summaries WHERE id = ?1",
        "DELETE FROM ledger_incident_aliases WHERE incident_id = ?1",
        "DELETE FROM ledger_incident_documents WHERE incident_id = ?1",
    ] {
        tx.prepare_cached(sql)?.execute([id])?;
    }
    Ok(())
}

fn clear(tx: &Connection, tables: &[&str]) -> Result<(), StoreError> {
    for table in tables {
        tx.execute(&format!("DELETE FROM {table}"), [])?;
    }
    Ok(())
}

fn write_unplaced(tx: &Connection, unplaced: &[IncidentReport]) -> Result<(), StoreError> {
    clear(tx, &["ledger_unplaced"])?;
    let mut put =
        tx.prepare_cached("INSERT INTO ledger_unplaced (position, json) VALUES (?1, ?2)")?;
    for (position, r) in unplaced.iter().enumerate() {
        put.execute(params![position as i64, serde_json::to_string(r)?])?;
    }
    Ok(())
}

/// Rows of the ordered sections (statements, claims, reconciliation) are
/// numbered this far apart, so rows can later be inserted between two
/// neighbours without renumbering the rest.
const GAP: i64 = 1 << 16;

fn spread(index: usize) -> i64 {
    index as i64 * GAP
}

fn put_statement(tx: &Connection, position: i64, s: &LedgerStatement) -> Result<(), StoreError> {
    let mut kinds = String::from(",");
    for k in &s.statement.claims {
        kinds.push_str(k.as_str());
        kinds.push(',');
    }
    tx.prepare_cached(
        "INSERT INTO ledger_statements (position, document_id, statement_index, speaker,
             kinds, day, quote, json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        position,
        s.document_id,
        s.statement_index as i64,
        s.speaker(),
        kinds,
        day(s.date()),
        s.statement.quote,
        serde_json::to_string(s)?,
    ])?;
    Ok(())
}

fn write_statements(tx: &Connection, statements: &[LedgerStatement]) -> Result<(), StoreError> {
    clear(tx, &["ledger_statements"])?;
    for (position, s) in statements.iter().enumerate() {
        put_statement(tx, spread(position), s)?;
    }
    Ok(())
}

fn put_claim_group(tx: &Connection, position: i64, g: &ClaimGroup) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO ledger_claim_groups (position, kind, key, json) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![
        position,
        g.kind.as_str(),
        g.key,
        serde_json::to_string(g)?
    ])?;
    Ok(())
}

fn put_claim_row(tx: &Connection, position: i64, c: &ClaimRow) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO ledger_claims (position, document_id, kind, speaker, day, claim_text, json,
             span_start) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        position,
        c.document_id,
        c.claim.kind.as_str(),
        c.claim.speaker,
        day(c.published),
        c.claim.text,
        serde_json::to_string(c)?,
        i64::try_from(c.claim.span.start).unwrap_or(i64::MAX),
    ])?;
    Ok(())
}

fn write_claims(tx: &Connection, groups: &[ClaimGroup]) -> Result<(), StoreError> {
    clear(tx, &["ledger_claim_groups", "ledger_claims"])?;
    let mut position = 0usize;
    for (g, claims) in groups.iter().enumerate() {
        put_claim_group(tx, spread(g), claims)?;
        for c in claim_rows(claims) {
            put_claim_row(tx, spread(position), &c)?;
            position += 1;
        }
    }
    Ok(())
}

fn put_reconciliation(
    tx: &Connection,
    position: i64,
    r: &Reconciliation,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO ledger_reconciliation (position, document_id, total_index, as_of, json)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        position,
        r.document_id,
        r.total_index as i64,
        day(r.as_of),
        serde_json::to_string(r)?
    ])?;
    Ok(())
}

fn write_reconciliation(tx: &Connection, rows: &[Reconciliation]) -> Result<(), StoreError> {
    clear(tx, &["ledger_reconciliation"])?;
    for (position, r) in rows.iter().enumerate() {
        put_reconciliation(tx, spread(position), r)?;
    }
    Ok(())
}

fn write_review_log(tx: &Connection, log: &[ReviewOutcome]) -> Result<(), StoreError> {
    clear(tx, &["ledger_review_log"])?;
    let mut put =
        tx.prepare_cached("INSERT INTO ledger_review_log (position, json) VALUES (?1, ?2)")?;
    for (position, o) in log.iter().enumerate() {
        put.execute(params![position as i64, serde_json::to_string(o)?])?;
    }
    Ok(())
}

pub(crate) fn bump_generation(tx: &Connection) -> Result<(), StoreError> {
    tx.execute(
        "UPDATE ledger_generation SET generation = generation + 1 WHERE id = 1",
        [],
    )?;
    Ok(())
}

pub(crate) fn ledger_generation(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn
        .prepare_cached("SELECT generation FROM ledger_generation WHERE id = 1")?
        .query_row([], |r| r.get(0))?)
}

/// Every stored incident by id, parsed once per ledger generation.
pub(crate) fn incidents_by_id(conn: &Connection) -> Result<HashMap<String, Incident>, StoreError> {
    let mut stmt = conn.prepare("SELECT id, json FROM ledger_incidents")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = HashMap::new();
    for row in rows {
        let (id, json) = row?;
        out.insert(id, serde_json::from_str(&json)?);
    }
    Ok(out)
}

pub(crate) fn replace_ledger(conn: &Connection, ledger: &Ledger) -> Result<(), StoreError> {
    let tx = conn.unchecked_transaction()?;
    bump_generation(&tx)?;
    clear(
        &tx,
        &[
            "ledger_incidents",
            "ledger_incident_summaries",
            "ledger_incident_aliases",
            "ledger_incident_documents",
        ],
    )?;
    for (position, i) in ledger.incidents.iter().enumerate() {
        put_incident(&tx, position as i64, i)?;
    }
    write_unplaced(&tx, &ledger.unplaced)?;
    write_statements(&tx, &ledger.statements)?;
    write_claims(&tx, &ledger.claims)?;
    write_reconciliation(&tx, &ledger.reconciliation)?;
    write_review_log(&tx, &ledger.review_log)?;
    tx.commit()?;
    Ok(())
}

/// Moves the stored ledger from `old` (what is stored now) to `new` in one
/// transaction, writing only what differs: changed incidents one by one,
/// other sections whole when they changed at all.
pub(crate) fn update_ledger(
    conn: &Connection,
    old: &Ledger,
    new: &Ledger,
) -> Result<(), StoreError> {
    let tx = conn.unchecked_transaction()?;
    bump_generation(&tx)?;
    let before: HashMap<&str, &Incident> =
        old.incidents.iter().map(|i| (i.id.as_str(), i)).collect();
    let after: HashSet<&str> = new.incidents.iter().map(|i| i.id.as_str()).collect();
    for gone in old
        .incidents
        .iter()
        .filter(|i| !after.contains(i.id.as_str()))
    {
        delete_incident(&tx, &gone.id)?;
    }
    let mut next: i64 = tx.query_row(
        "SELECT COALESCE(MAX(position), -1) + 1 FROM ledger_incidents",
        [],
        |r| r.get(0),
    )?;
    for incident in &new.incidents {
        if before.get(incident.id.as_str()) == Some(&incident) {
            continue;
        }
        delete_incident(&tx, &incident.id)?;
        put_incident(&tx, next, incident)?;
        next += 1;
    }
    if old.unplaced != new.unplaced {
        write_unplaced(&tx, &new.unplaced)?;
    }
    if old.statements != new.statements {
        write_statements(&tx, &new.statements)?;
    }
    if old.claims != new.claims {
        write_claims(&tx, &new.claims)?;
    }
    if old.reconciliation != new.reconciliation {
        write_reconciliation(&tx, &new.reconciliation)?;
    }
    if old.review_log != new.review_log {
        write_review_log(&tx, &new.review_log)?;
    }
    tx.commit()?;
    Ok(())
}

fn all_json<T: serde::de::DeserializeOwned>(
    conn: &Connection,
    table: &str,
    order: &str,
) -> Result<Vec<T>, StoreError> {
    let mut stmt = conn.prepare(&format!("SELECT json FROM {table} ORDER BY {order}"))?;
    let texts = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    texts
        .iter()
        .map(|t| serde_json::from_str(t).map_err(StoreError::from))
        .collect()
}

pub(crate) fn load_ledger(conn: &Connection) -> Result<Ledger, StoreError> {
    // One read transaction: a refresh committing meanwhile is not seen half.
    let tx = conn.unchecked_transaction()?;
    let ledger = Ledger {
        incidents: all_json::<Incident>(&tx, "ledger_incidents", INCIDENT_ORDER)?,
        unplaced: all_json::<IncidentReport>(&tx, "ledger_unplaced", "position")?,
        reconciliation: all_json::<Reconciliation>(&tx, "ledger_reconciliation", "position")?,
        statements: all_json::<LedgerStatement>(&tx, "ledger_statements", "position")?,
        claims: all_json::<ClaimGroup>(&tx, "ledger_claim_groups", "position")?,
        review_log: all_json::<ReviewOutcome>(&tx, "ledger_review_log", "position")?,
    };
    tx.commit()?;
    Ok(ledger)
}

/// Positions for the new rows of an ordered section: each run of new rows
/// goes evenly into the gap between the stored rows around it. `None` when
/// a gap is too narrow or a neighbour is not stored (write it whole then).
fn place_runs<T>(
    rows: &[T],
    is_new: impl Fn(&T) -> bool,
    mut stored: impl FnMut(&T) -> Result<Option<i64>, StoreError>,
) -> Result<Option<Vec<(usize, i64)>>, StoreError> {
    let mut out = Vec::new();
    let mut k = 0;
    while k < rows.len() {
        if !is_new(&rows[k]) {
            k += 1;
            continue;
        }
        let start = k;
        while k < rows.len() && is_new(&rows[k]) {
            k += 1;
        }
        let n = (k - start) as i64;
        let lo = match start.checked_sub(1) {
            Some(p) => match stored(&rows[p])? {
                Some(pos) => Some(pos),
                None => return Ok(None),
            },
            None => None,
        };
        let hi = match rows.get(k) {
            Some(next) => match stored(next)? {
                Some(pos) => Some(pos),
                None => return Ok(None),
            },
            None => None,
        };
        let span = GAP.saturating_mul(n + 1);
        let (lo, hi) = match (lo, hi) {
            (Some(a), Some(b)) => (a, b),
            (Some(a), None) => (a, a.saturating_add(span)),
            (None, Some(b)) => (b.saturating_sub(span), b),
            (None, None) => (0, span),
        };
        let step = (hi - lo) / (n + 1);
        if step < 1 {
            return Ok(None);
        }
        for (j, idx) in (start..k).enumerate() {
            out.push((idx, lo + step * (j as i64 + 1)));
        }
    }
    Ok(Some(out))
}

fn position_of(
    tx: &Connection,
    sql: &str,
    args: impl rusqlite::Params,
) -> Result<Option<i64>, StoreError> {
    use rusqlite::OptionalExtension;
    Ok(tx
        .prepare_cached(sql)?
        .query_row(args, |r| r.get(0))
        .optional()?)
}

fn delta_statements(tx: &Connection, ledger: &Ledger, docs: &[String]) -> Result<(), StoreError> {
    for d in docs {
        tx.prepare_cached("DELETE FROM ledger_statements WHERE document_id = ?1")?
            .execute([d])?;
    }
    let set: HashSet<&str> = docs.iter().map(String::as_str).collect();
    let placed = place_runs(
        &ledger.statements,
        |s| set.contains(s.document_id.as_str()),
        |s| {
            position_of(
                tx,
                "SELECT position FROM ledger_statements
                 WHERE document_id = ?1 AND statement_index = ?2",
                params![s.document_id, s.statement_index as i64],
            )
        },
    )?;
    match placed {
        Some(rows) => {
            for (i, pos) in rows {
                put_statement(tx, pos, &ledger.statements[i])?;
            }
            Ok(())
        }
        None => write_statements(tx, &ledger.statements),
    }
}

fn delta_claims(tx: &Connection, ledger: &Ledger, delta: &LedgerDelta) -> Result<(), StoreError> {
    for (kind, key) in &delta.claim_groups {
        tx.prepare_cached("DELETE FROM ledger_claim_groups WHERE kind = ?1 AND key = ?2")?
            .execute(params![kind.as_str(), key])?;
    }
    for d in &delta.claim_documents {
        tx.prepare_cached("DELETE FROM ledger_claims WHERE document_id = ?1")?
            .execute([d])?;
    }
    let groups: HashSet<(ClaimKind, &str)> = delta
        .claim_groups
        .iter()
        .map(|(k, s)| (*k, s.as_str()))
        .collect();
    let placed_groups = place_runs(
        &ledger.claims,
        |g| groups.contains(&(g.kind, g.key.as_str())),
        |g| {
            position_of(
                tx,
                "SELECT position FROM ledger_claim_groups WHERE kind = ?1 AND key = ?2",
                params![g.kind.as_str(), g.key],
            )
        },
    )?;
    let docs: HashSet<&str> = delta.claim_documents.iter().map(String::as_str).collect();
    let all_rows: Vec<(&ClaimGroup, &ClaimOccurrence)> = ledger
        .claims
        .iter()
        .flat_map(|g| g.occurrences.iter().map(move |o| (g, o)))
        .collect();
    let placed_rows = place_runs(
        &all_rows,
        |(_, o)| docs.contains(o.document_id.as_str()),
        |(g, o)| {
            position_of(
                tx,
                "SELECT position FROM ledger_claims
                 WHERE document_id = ?1 AND kind = ?2
                   AND json_extract(json, '$.claim.span.start') = ?3
                   AND json_extract(json, '$.claim.span.end') = ?4",
                params![
                    o.document_id,
                    g.kind.as_str(),
                    o.span.start as i64,
                    o.span.end as i64
                ],
            )
        },
    )?;
    match (placed_groups, placed_rows) {
        (Some(g), Some(r)) => {
            for (i, pos) in g {
                put_claim_group(tx, pos, &ledger.claims[i])?;
            }
            for (i, pos) in r {
                let (g, o) = all_rows[i];
                put_claim_row(tx, pos, &claim_row(g, o))?;
            }
            Ok(())
        }
        _ => write_claims(tx, &ledger.claims),
    }
}

fn delta_reconciliation(
    tx: &Connection,
    ledger: &Ledger,
    delta: &LedgerDelta,
) -> Result<(), StoreError> {
    for d in &delta.reconciliation_documents {
        tx.prepare_cached("DELETE FROM ledger_reconciliation WHERE document_id = ?1")?
            .execute([d])?;
    }
    let docs: HashSet<&str> = delta
        .reconciliation_documents
        .iter()
        .map(String::as_str)
        .collect();
    let placed = place_runs(
        &ledger.reconciliation,
        |r| docs.contains(r.document_id.as_str()),
        |r| {
            position_of(
                tx,
                "SELECT position FROM ledger_reconciliation
                 WHERE document_id = ?1 AND total_index = ?2",
                params![r.document_id, r.total_index as i64],
            )
        },
    )?;
    let Some(placed) = placed else {
        return write_reconciliation(tx, &ledger.reconciliation);
    };
    for (i, pos) in placed {
        put_reconciliation(tx, pos, &ledger.reconciliation[i])?;
    }
    let changed: HashSet<(&str, usize)> = delta
        .reconciliation_rows
        .iter()
        .map(|(d, i)| (d.as_str(), *i))
        .collect();
    let mut update = tx.prepare_cached(
        "UPDATE ledger_reconciliation SET json = ?3 WHERE document_id = ?1 AND total_index = ?2",
    )?;
    for r in ledger
        .reconciliation
        .iter()
        .filter(|r| changed.contains(&(r.document_id.as_str(), r.total_index)))
    {
        let n = update.execute(params![
            r.document_id,
            r.total_index as i64,
            serde_json::to_string(r)?
        ])?;
        if n == 0 {
            drop(update);
            return write_reconciliation(tx, &ledger.reconciliation);
        }
    }
    Ok(())
}

/// Writes what `delta` names from `ledger` (the updated ledger) in one
/// transaction, bumping the generation; the stored ledger must be the one
/// the delta was made from.
pub(crate) fn apply_ledger_delta(
    conn: &Connection,
    ledger: &Ledger,
    delta: &LedgerDelta,
) -> Result<(), StoreError> {
    if delta.whole {
        return replace_ledger(conn, ledger);
    }
    let tx = conn.unchecked_transaction()?;
    bump_generation(&tx)?;
    for id in delta.removed_incidents.iter().chain(&delta.incidents) {
        delete_incident(&tx, id)?;
    }
    if !delta.incidents.is_empty() {
        let wanted: HashSet<&str> = delta.incidents.iter().map(String::as_str).collect();
        let first: i64 = tx.query_row(
            "SELECT COALESCE(MAX(position), -1) + 1 FROM ledger_incidents",
            [],
            |r| r.get(0),
        )?;
        let changed = ledger
            .incidents
            .iter()
            .filter(|i| wanted.contains(i.id.as_str()));
        for (position, incident) in (first..).zip(changed) {
            put_incident(&tx, position, incident)?;
        }
    }
    if delta.unplaced {
        write_unplaced(&tx, &ledger.unplaced)?;
    }
    if !delta.statement_documents.is_empty() {
        delta_statements(&tx, ledger, &delta.statement_documents)?;
    }
    if !delta.claim_groups.is_empty() || !delta.claim_documents.is_empty() {
        delta_claims(&tx, ledger, delta)?;
    }
    if !delta.reconciliation_documents.is_empty() || !delta.reconciliation_rows.is_empty() {
        delta_reconciliation(&tx, ledger, delta)?;
    }
    if delta.review_log {
        write_review_log(&tx, &ledger.review_log)?;
    }
    tx.commit()?;
    Ok(())
}
