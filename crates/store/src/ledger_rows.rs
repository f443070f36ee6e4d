//! SQL for the derived data: extractions, the review log, the resolved
//! ledger and API tokens. The ledger is written whole in one transaction.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, SecondsFormat, Utc};
use rusqlite::{Connection, params};
use strikewatch_model::ledger::{
    ClaimGroup, Incident, IncidentReport, Ledger, LedgerStatement, Reconciliation, Review,
    ReviewAction, ReviewOutcome,
};
use strikewatch_model::read::ClaimRow;
use strikewatch_model::{Claim, Extraction, SourceKind};

use crate::StoreError;
use crate::store::StoredExtraction;
use crate::tokens::{hash_token, new_token};

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
    author: &str,
    reason: &str,
    action: ReviewAction,
) -> Result<Review, StoreError> {
    let at = now();
    conn.execute(
        "INSERT INTO reviews (at, author, reason, action) VALUES (?1, ?2, ?3, ?4)",
        params![at, author, reason, serde_json::to_string(&action)?],
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

pub(crate) fn create_token(conn: &Connection, name: &str) -> Result<String, StoreError> {
    let token = new_token()?;
    conn.execute(
        "INSERT INTO api_tokens (name, sha256, created_at) VALUES (?1, ?2, ?3)",
        params![name, hash_token(&token), now()],
    )?;
    Ok(token)
}

pub(crate) fn token_is_valid(conn: &Connection, token: &str) -> Result<bool, StoreError> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM api_tokens WHERE sha256 = ?1")?
        .exists([hash_token(token)])?)
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
    group.occurrences.iter().map(move |o| ClaimRow {
        document_id: o.document_id.clone(),
        url: o.url.clone(),
        published: o.date,
        claim: Claim {
            kind: group.kind,
            text: o.text.clone(),
            speaker: o.speaker.clone(),
            span: o.span.clone(),
        },
    })
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

fn delete_incident(tx: &Connection, id: &str) -> Result<(), StoreError> {
    for sql in [
        "DELETE FROM ledger_incidents WHERE id = ?1",
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

fn write_statements(tx: &Connection, statements: &[LedgerStatement]) -> Result<(), StoreError> {
    clear(tx, &["ledger_statements", "statements_fts"])?;
    let mut put = tx.prepare_cached(
        "INSERT INTO ledger_statements (position, document_id, statement_index, speaker,
             kinds, day, quote, json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    let mut fts = tx.prepare_cached("INSERT INTO statements_fts (rowid, quote) VALUES (?1, ?2)")?;
    for (position, s) in statements.iter().enumerate() {
        let mut kinds = String::from(",");
        for k in &s.statement.claims {
            kinds.push_str(k.as_str());
            kinds.push(',');
        }
        put.execute(params![
            position as i64,
            s.document_id,
            s.statement_index as i64,
            s.speaker(),
            kinds,
            day(s.date()),
            s.statement.quote,
            serde_json::to_string(s)?,
        ])?;
        fts.execute(params![position as i64, s.statement.quote])?;
    }
    Ok(())
}

fn write_claims(tx: &Connection, groups: &[ClaimGroup]) -> Result<(), StoreError> {
    clear(tx, &["ledger_claim_groups", "ledger_claims"])?;
    let mut group =
        tx.prepare_cached("INSERT INTO ledger_claim_groups (position, json) VALUES (?1, ?2)")?;
    let mut row = tx.prepare_cached(
        "INSERT INTO ledger_claims (position, document_id, kind, speaker, day, claim_text, json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut position = 0i64;
    for (g, claims) in groups.iter().enumerate() {
        group.execute(params![g as i64, serde_json::to_string(claims)?])?;
        for c in claim_rows(claims) {
            row.execute(params![
                position,
                c.document_id,
                c.claim.kind.as_str(),
                c.claim.speaker,
                day(c.published),
                c.claim.text,
                serde_json::to_string(&c)?,
            ])?;
            position += 1;
        }
    }
    Ok(())
}

fn write_reconciliation(tx: &Connection, rows: &[Reconciliation]) -> Result<(), StoreError> {
    clear(tx, &["ledger_reconciliation"])?;
    let mut put = tx.prepare_cached(
        "INSERT INTO ledger_reconciliation (position, document_id, as_of, json)
         VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (position, r) in rows.iter().enumerate() {
        put.execute(params![
            position as i64,
            r.document_id,
            day(r.as_of),
            serde_json::to_string(r)?
        ])?;
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

fn bump_generation(tx: &Connection) -> Result<(), StoreError> {
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
