//! [`LedgerRead`] over the stored ledger: indexed queries, never a scan of
//! the corpus for one incident or one document.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params_from_iter};
use strikewatch_model::ledger::{Incident, LedgerStatement, Reconciliation, Review};
use strikewatch_model::public::NonPublic;
use strikewatch_model::read::{
    Chunk, ClaimRow, EvidenceRef, Filter, IncidentFacets, IncidentOrder, IncidentSort,
    IncidentSummary, LedgerRead, ListingPage, ReadError, ReadResult, SearchRequest, SearchResults,
    StatementRow, SummaryPage, gather_evidence,
};
use strikewatch_model::{ClaimKind, Document};

use crate::ledger_rows::{INCIDENT_ORDER, day, incidents_by_id, ledger_generation, review_log};
use crate::sqlite::IncidentCache;
use crate::{SqliteStore, StoreError};

fn read_err(e: StoreError) -> ReadError {
    ReadError(e.to_string())
}

fn sql_err(e: rusqlite::Error) -> ReadError {
    ReadError(format!("database error: {e}"))
}

/// WHERE clauses and their parameters, built from a [`Filter`].
#[derive(Default)]
struct Conditions {
    clauses: Vec<String>,
    values: Vec<Value>,
}

impl Conditions {
    fn push(&mut self, clause: &str, value: impl Into<Value>) {
        self.values.push(value.into());
        self.clauses
            .push(clause.replace('?', &format!("?{}", self.values.len())));
    }

    /// `from`/`to` on one date column: rows without a date drop out when
    /// either bound is set.
    fn dates(&mut self, column: &str, filter: &Filter) {
        if let Some(from) = day(filter.from) {
            self.push(&format!("{column} >= ?"), from);
        }
        if let Some(to) = day(filter.to) {
            self.push(&format!("{column} <= ?"), to);
        }
    }

    /// `from`/`to` on the `day` of a listing read in its listed order, said
    /// as a range of the listing index's first key (`ifnull(day, '')`) so
    /// that the index is sought, not scanned; rows without a day drop out
    /// when either bound is set, as with [`Conditions::dates`].
    fn listed_dates(&mut self, filter: &Filter) {
        if let Some(from) = day(filter.from) {
            self.push("ifnull(day, '') >= ?", from);
        }
        if let Some(to) = day(filter.to) {
            self.push("ifnull(day, '') > '' AND ifnull(day, '') <= ?", to);
        }
    }

    /// Leaves out the rows of the documents `hidden` names.
    fn hide(&mut self, hidden: &NonPublic) {
        if hidden.is_empty() {
            return;
        }
        let ids: Vec<&str> = hidden.ids().collect();
        let list = serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into());
        self.push("document_id NOT IN (SELECT value FROM json_each(?))", list);
    }

    fn contains(&mut self, column: &str, q: Option<&str>) {
        if let Some(q) = q.filter(|q| !q.trim().is_empty()) {
            self.push(&format!("instr(lower({column}), ?) > 0"), q.to_lowercase());
        }
    }

    /// ` WHERE …` (or nothing when nothing filters).
    fn where_sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.clauses.join(" AND "))
        }
    }

    /// `SELECT json FROM table WHERE … ORDER BY … LIMIT … OFFSET …`.
    fn select_json(self, table: &str, order: &str, filter: &Filter) -> (String, Vec<Value>) {
        self.select_column("json", table, order, filter)
    }

    fn select_column(
        mut self,
        column: &str,
        table: &str,
        order: &str,
        filter: &Filter,
    ) -> (String, Vec<Value>) {
        let mut sql = format!("SELECT {column} FROM {table}{}", self.where_sql());
        let limit = filter
            .limit
            .map(|l| l.min(i64::MAX as usize) as i64)
            .unwrap_or(-1);
        let offset = filter.offset.unwrap_or(0).min(i64::MAX as usize) as i64;
        self.values.push(limit.into());
        self.values.push(offset.into());
        let n = self.values.len();
        sql.push_str(&format!(" ORDER BY {order} LIMIT ?{} OFFSET ?{}", n - 1, n));
        (sql, self.values)
    }
}

fn query_json<T: serde::de::DeserializeOwned>(
    conn: &Connection,
    sql: &str,
    values: Vec<Value>,
) -> ReadResult<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql).map_err(sql_err)?;
    let texts = stmt
        .query_map(params_from_iter(values), |r| r.get::<_, String>(0))
        .map_err(sql_err)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(sql_err)?;
    texts
        .iter()
        .map(|t| serde_json::from_str(t).map_err(|e| ReadError(format!("stored JSON: {e}"))))
        .collect()
}

fn statement_conditions(filter: &Filter) -> Conditions {
    let mut c = Conditions::default();
    if let Some(speaker) = &filter.speaker {
        c.push("speaker = ?", speaker.clone());
    }
    if let Some(kind) = &filter.kind {
        c.push("instr(kinds, ?) > 0", format!(",{kind},"));
    }
    c.listed_dates(filter);
    c.contains("quote", filter.q.as_deref());
    c
}

fn claim_conditions(filter: &Filter) -> Conditions {
    let mut c = Conditions::default();
    if let Some(speaker) = &filter.speaker {
        c.push("speaker = ?", speaker.clone());
    }
    if let Some(kind) = &filter.kind {
        c.push("kind = ?", kind.clone());
    }
    c.listed_dates(filter);
    c.contains("claim_text", filter.q.as_deref());
    c
}

/// A listing read in its listed order (`ifnull(day, '')`, `document_id`, a
/// place in the document, `position`; migration 0017 indexes it, 0018 the
/// same after a speaker or a kind), so that a chunk or a page reads only
/// its own rows:
///
/// - a chunk starts after a keyset cursor (the last key of the chunk
///   before), so reading a whole listing costs one pass however many chunks
///   it takes, and rows written meanwhile neither repeat nor push others
///   out;
/// - a page starts at an offset, which steps over index entries without
///   reading the rows they point to.
struct Listed {
    table: &'static str,
    /// The column of the row's place in its document.
    third: &'static str,
    conditions: Conditions,
}

/// The key of the last row of a chunk, written as the cursor.
type ListedKey = (String, String, i64, i64);

/// Row counts of filtered listings (by their count query and its values),
/// all of one ledger generation; a ledger write bumps the generation, and
/// the counts of the one before are dropped when it is first seen.
#[derive(Default)]
pub(crate) struct ListingTotals {
    generation: i64,
    counts: HashMap<String, usize>,
}

/// Counts kept at most: past that they are dropped and counted again.
const MAX_KEPT_TOTALS: usize = 4096;

impl ListingTotals {
    fn get(&self, generation: i64, key: &str) -> Option<usize> {
        (self.generation == generation)
            .then(|| self.counts.get(key).copied())
            .flatten()
    }

    fn put(&mut self, generation: i64, key: String, total: usize) {
        if self.generation != generation || self.counts.len() >= MAX_KEPT_TOTALS {
            self.counts.clear();
            self.generation = generation;
        }
        self.counts.insert(key, total);
    }
}

impl Listed {
    /// The query for the rows after `after` (a cursor) and `offset` more,
    /// `limit` at most, with their keys.
    fn select(
        self,
        descending: bool,
        after: Option<&str>,
        offset: usize,
        limit: usize,
    ) -> ReadResult<(String, Vec<Value>)> {
        let Listed {
            table,
            third,
            mut conditions,
        } = self;
        let key = format!("ifnull(day, ''), document_id, {third}, position");
        if let Some(cursor) = after {
            let (day, document, place, position): ListedKey =
                serde_json::from_str(cursor).map_err(|_| ReadError::bad_cursor(cursor))?;
            let n = conditions.values.len();
            conditions.values.extend([
                Value::from(day),
                Value::from(document),
                Value::from(place),
                Value::from(position),
            ]);
            let (op, first_op) = if descending { ("<", "<=") } else { (">", ">=") };
            // The bound on the first key alone is implied by the row value,
            // but SQLite seeks the index only with it (a row value over an
            // expression is checked row by row, from the index's start).
            conditions.clauses.push(format!(
                "ifnull(day, '') {first_op} ?{n1} AND ({key}) {op} (?{n1}, ?{}, ?{}, ?{})",
                n + 2,
                n + 3,
                n + 4,
                n1 = n + 1,
            ));
        }
        let dir = if descending { " DESC" } else { "" };
        let order = format!("ifnull(day, ''){dir}, document_id{dir}, {third}{dir}, position{dir}");
        let limit = limit.clamp(1, MAX_PAGE_ROWS + 1);
        let offset = offset.min(i64::MAX as usize);
        let sql = format!(
            "SELECT json, {key} FROM {table}{} ORDER BY {order} LIMIT {limit} OFFSET {offset}",
            conditions.where_sql()
        );
        Ok((sql, conditions.values))
    }

    /// The rows after `after` (a cursor) and `offset` more, `limit` at
    /// most, with their keys.
    fn read<T: serde::de::DeserializeOwned>(
        self,
        conn: &Connection,
        descending: bool,
        after: Option<&str>,
        offset: usize,
        limit: usize,
    ) -> ReadResult<Vec<(T, ListedKey)>> {
        let (sql, values) = self.select(descending, after, offset, limit)?;
        let mut stmt = conn.prepare_cached(&sql).map_err(sql_err)?;
        let found = stmt
            .query_map(params_from_iter(values), |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    (
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, i64>(3)?,
                        r.get::<_, i64>(4)?,
                    ),
                ))
            })
            .map_err(sql_err)?
            .collect::<rusqlite::Result<Vec<(String, ListedKey)>>>()
            .map_err(sql_err)?;
        found
            .into_iter()
            .map(|(json, key)| {
                serde_json::from_str(&json)
                    .map(|row| (row, key))
                    .map_err(|e| ReadError(format!("stored JSON: {e}")))
            })
            .collect()
    }

    fn chunk<T: serde::de::DeserializeOwned>(
        self,
        conn: &Connection,
        descending: bool,
        after: Option<&str>,
        limit: usize,
    ) -> ReadResult<Chunk<T>> {
        let limit = limit.clamp(1, 100_000);
        let found: Vec<(T, ListedKey)> = self.read(conn, descending, after, 0, limit)?;
        let next = if found.len() == limit {
            found
                .last()
                .map(|(_, key)| serde_json::to_string(key))
                .transpose()
                .map_err(|e| ReadError(e.to_string()))?
        } else {
            None
        };
        Ok(Chunk {
            rows: found.into_iter().map(|(row, _)| row).collect(),
            next,
        })
    }

    /// The page `filter` asks for (`offset`, `limit`) and the number of
    /// rows the listing holds, from one snapshot. The count (a pass over
    /// the index) is kept in `totals` for the ledger generation it was
    /// made at.
    fn page<T: serde::de::DeserializeOwned>(
        self,
        conn: &Connection,
        descending: bool,
        filter: &Filter,
        totals: &Mutex<ListingTotals>,
    ) -> ReadResult<ListingPage<T>> {
        let conn = conn.unchecked_transaction().map_err(sql_err)?;
        let generation = ledger_generation(&conn).map_err(read_err)?;
        let count_sql = format!(
            "SELECT COUNT(*) FROM {}{}",
            self.table,
            self.conditions.where_sql()
        );
        let key = format!("{count_sql}\n{:?}", self.conditions.values);
        let kept = totals
            .lock()
            .map_err(|_| ReadError("listing totals poisoned".into()))?
            .get(generation, &key);
        let total = match kept {
            Some(total) => total,
            None => {
                let total: i64 = conn
                    .prepare_cached(&count_sql)
                    .map_err(sql_err)?
                    .query_row(params_from_iter(self.conditions.values.clone()), |r| {
                        r.get(0)
                    })
                    .map_err(sql_err)?;
                let total = total.max(0) as usize;
                totals
                    .lock()
                    .map_err(|_| ReadError("listing totals poisoned".into()))?
                    .put(generation, key, total);
                total
            }
        };
        // After a cursor the page is sought in the index; else it steps
        // over `offset` index entries.
        let after = filter.after.as_deref();
        let offset = if after.is_some() {
            0
        } else {
            filter.offset.unwrap_or(0)
        };
        let limit = filter.limit.unwrap_or(usize::MAX).min(MAX_PAGE_ROWS);
        if (after.is_none() && offset >= total) || limit == 0 {
            return Ok(ListingPage {
                rows: Vec::new(),
                total,
                next: None,
            });
        }
        // One row more than the page tells whether any follow.
        let mut found: Vec<(T, ListedKey)> =
            self.read(&conn, descending, after, offset, limit + 1)?;
        let next = if found.len() > limit {
            found.truncate(limit);
            found
                .last()
                .map(|(_, key)| serde_json::to_string(key))
                .transpose()
                .map_err(|e| ReadError(e.to_string()))?
        } else {
            None
        };
        Ok(ListingPage {
            rows: found.into_iter().map(|(row, _)| row).collect(),
            total,
            next,
        })
    }
}

/// The most rows one page or chunk reads (one more is read to tell
/// whether rows follow).
const MAX_PAGE_ROWS: usize = 100_000 - 1;

/// The listing row of a ledger statement: the leading speaker (reviewed,
/// else the machine's) is the one shown.
fn statement_row(s: LedgerStatement) -> StatementRow {
    let speaker = s.speaker().to_string();
    let mut statement = s.statement;
    statement.speaker = speaker;
    StatementRow {
        document_id: s.document_id,
        statement_index: s.statement_index,
        url: s.url,
        published: s.published,
        statement,
        edit: None,
    }
}

impl SqliteStore {
    /// The parsed incidents of `generation`, loaded on `conn` (inside the
    /// caller's snapshot) when the cache holds another generation.
    fn cached_incidents(
        &self,
        conn: &Connection,
        generation: i64,
    ) -> ReadResult<Arc<HashMap<String, Incident>>> {
        let mut cache = self
            .incident_cache
            .lock()
            .map_err(|_| ReadError("incident cache poisoned".into()))?;
        if let Some(held) = cache.as_ref().filter(|c| c.generation == generation) {
            return Ok(held.by_id.clone());
        }
        let by_id = Arc::new(incidents_by_id(conn).map_err(read_err)?);
        *cache = Some(IncidentCache {
            generation,
            by_id: by_id.clone(),
        });
        Ok(by_id)
    }
}

impl SqliteStore {
    fn cached_incident(&self, generation: i64, id: &str) -> ReadResult<Option<Incident>> {
        let cache = self
            .incident_cache
            .lock()
            .map_err(|_| ReadError("incident cache poisoned".into()))?;
        Ok(cache
            .as_ref()
            .filter(|c| c.generation == generation)
            .and_then(|c| c.by_id.get(id).cloned()))
    }
}

/// The listing filter on `ledger_incidents`: an incident is in a date range
/// when its days overlap it.
fn incident_conditions(filter: &Filter) -> Conditions {
    let mut c = Conditions::default();
    if let Some(from) = day(filter.from) {
        c.push("last_day >= ?", from);
    }
    if let Some(to) = day(filter.to) {
        c.push("first_day <= ?", to);
    }
    if let Some(region) = &filter.region {
        c.push("region = ?", region.clone());
    }
    if let Some(grade) = &filter.grade {
        c.push("grade = ?", grade.clone());
    }
    c.contains("search_text", filter.q.as_deref());
    c
}

/// Incident facet counts, read from the listing index, which holds every
/// column they and the filters read (but the text filter's). A scan of the
/// table reached `sort_day` (added after `json`) through the overflow pages
/// of every incident's JSON: 810 MB for a million documents' 120 incidents,
/// 0.35 s for each listing not yet kept, against 13 ms from the index.
fn facets_sql(c: &Conditions) -> String {
    format!(
        "SELECT region, grade, substr(sort_day, 1, 7), COUNT(*)
         FROM ledger_incidents INDEXED BY ledger_incidents_listing{}
         GROUP BY 1, 2, 3",
        c.where_sql()
    )
}

/// The keys incidents are listed by in `order`: the sort's own column
/// (none for the ledger's own order), then the first day, then the id.
fn order_keys(order: IncidentOrder) -> Vec<&'static str> {
    let lead = match order.sort {
        IncidentSort::Date => None,
        IncidentSort::Killed => Some("killed_max"),
        // Unknown region (stored as `unknown`) sorts first, as no region.
        IncidentSort::Region => Some("CASE region WHEN 'unknown' THEN '' ELSE region END"),
        IncidentSort::Grade => Some(
            "CASE grade WHEN 'declared' THEN 0 WHEN 'corroborated' THEN 1 \
             WHEN 'single_source' THEN 2 WHEN 'contested' THEN 3 ELSE 4 END",
        ),
        IncidentSort::Reports => Some(
            "(SELECT s.report_count FROM ledger_incident_summaries s \
             WHERE s.id = ledger_incidents.id)",
        ),
    };
    lead.into_iter().chain(["sort_day", "id"]).collect()
}

/// `ORDER BY` keys of a listing order; ties fall to the ledger's own order,
/// and descending reverses every key.
fn order_sql(order: IncidentOrder) -> String {
    let dir = if order.descending { " DESC" } else { "" };
    order_keys(order)
        .into_iter()
        .map(|k| format!("{k}{dir}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The incidents listed after the row whose keys are `cursor` (a JSON
/// array of the values of [`order_keys`]), in `order`: a keyset bound
/// that places NULL where SQLite sorts it (first ascending, last
/// descending).
fn incidents_after(c: &mut Conditions, order: IncidentOrder, cursor: &str) -> ReadResult<()> {
    let keys = order_keys(order);
    let values: Vec<serde_json::Value> =
        serde_json::from_str(cursor).map_err(|_| ReadError::bad_cursor(cursor))?;
    if values.len() != keys.len() {
        return Err(ReadError::bad_cursor(cursor));
    }
    let mut bound: Vec<(&str, Option<usize>)> = Vec::with_capacity(keys.len());
    for (key, value) in keys.iter().zip(&values) {
        let value = match value {
            serde_json::Value::Null => None,
            serde_json::Value::Number(n) => Some(Value::from(
                n.as_i64().ok_or_else(|| ReadError::bad_cursor(cursor))?,
            )),
            serde_json::Value::String(t) => Some(Value::from(t.clone())),
            _ => return Err(ReadError::bad_cursor(cursor)),
        };
        let index = value.map(|v| {
            c.values.push(v);
            c.values.len()
        });
        bound.push((key, index));
    }
    // Later in the order: later on a key, or equal on it and later on the
    // next; built from the last key back.
    let mut clause = String::new();
    for (n, (key, index)) in bound.iter().enumerate().rev() {
        let later = match (index, order.descending) {
            (None, false) => format!("{key} IS NOT NULL"),
            (None, true) => "0".to_string(),
            (Some(i), false) => format!("{key} > ?{i}"),
            (Some(i), true) => format!("({key} < ?{i} OR {key} IS NULL)"),
        };
        clause = if n + 1 == bound.len() {
            later
        } else {
            let same = match index {
                None => format!("{key} IS NULL"),
                Some(i) => format!("{key} = ?{i}"),
            };
            format!("({later} OR ({same} AND {clause}))")
        };
    }
    c.clauses.push(clause);
    Ok(())
}

/// A row's keys in `order` ([`order_keys`]) as a cursor.
fn incident_cursor(keys: &[Value]) -> ReadResult<String> {
    let json: Vec<serde_json::Value> = keys
        .iter()
        .map(|v| match v {
            Value::Integer(i) => serde_json::Value::from(*i),
            Value::Text(t) => serde_json::Value::from(t.clone()),
            _ => serde_json::Value::Null,
        })
        .collect();
    serde_json::to_string(&json).map_err(|e| ReadError(e.to_string()))
}

fn parse_incident(json: &str) -> ReadResult<Incident> {
    serde_json::from_str(json).map_err(|e| ReadError(format!("stored JSON: {e}")))
}

impl LedgerRead for SqliteStore {
    fn incidents(&self, filter: &Filter) -> ReadResult<Vec<Incident>> {
        let c = incident_conditions(filter);
        let (sql, values) = c.select_column("id", "ledger_incidents", INCIDENT_ORDER, filter);
        let pooled = self.read_conn().map_err(read_err)?;
        // The ids and the cache check see one snapshot of the ledger.
        let conn = pooled.unchecked_transaction().map_err(sql_err)?;
        let generation = ledger_generation(&conn).map_err(read_err)?;
        let ids: Vec<String> = {
            let mut stmt = conn.prepare_cached(&sql).map_err(sql_err)?;
            stmt.query_map(params_from_iter(values), |r| r.get::<_, String>(0))
                .map_err(sql_err)?
                .collect::<rusqlite::Result<Vec<_>>>()
                .map_err(sql_err)?
        };
        let by_id = self.cached_incidents(&conn, generation)?;
        Ok(ids.iter().filter_map(|id| by_id.get(id).cloned()).collect())
    }

    fn incident(&self, id: &str) -> ReadResult<Option<Incident>> {
        let pooled = self.read_conn().map_err(read_err)?;
        let conn = pooled.unchecked_transaction().map_err(sql_err)?;
        // Parsed already when a listing loaded this generation; a single
        // look-up never loads the whole cache itself.
        let generation = ledger_generation(&conn).map_err(read_err)?;
        if let Some(found) = self.cached_incident(generation, id)? {
            return Ok(Some(found));
        }
        let json: Option<String> = conn
            .prepare_cached(
                "SELECT json FROM ledger_incidents WHERE id = ?1
                 UNION ALL
                 SELECT i.json FROM ledger_incident_aliases a
                 JOIN ledger_incidents i ON i.id = a.incident_id WHERE a.alias = ?1
                 LIMIT 1",
            )
            .map_err(sql_err)?
            .query_row([id], |r| r.get(0))
            .optional()
            .map_err(sql_err)?;
        json.map(|t| serde_json::from_str(&t).map_err(|e| ReadError(format!("stored JSON: {e}"))))
            .transpose()
    }

    fn document(&self, id: &str) -> ReadResult<Option<Document>> {
        let conn = self.read_conn().map_err(read_err)?;
        crate::sqlite::document_on(&conn, id).map_err(read_err)
    }

    fn statements(&self, filter: &Filter) -> ReadResult<Vec<StatementRow>> {
        let c = statement_conditions(filter);
        let (sql, values) = c.select_json("ledger_statements", "position", filter);
        let conn = self.read_conn().map_err(read_err)?;
        let rows: Vec<LedgerStatement> = query_json(&conn, &sql, values)?;
        Ok(rows.into_iter().map(statement_row).collect())
    }

    fn claims(&self, filter: &Filter) -> ReadResult<Vec<ClaimRow>> {
        let c = claim_conditions(filter);
        let (sql, values) = c.select_json("ledger_claims", "position", filter);
        let conn = self.read_conn().map_err(read_err)?;
        query_json(&conn, &sql, values)
    }

    fn statement_chunk(
        &self,
        filter: &Filter,
        descending: bool,
        after: Option<&str>,
        limit: usize,
    ) -> ReadResult<Chunk<StatementRow>> {
        let listed = Listed {
            table: "ledger_statements",
            third: "statement_index",
            conditions: statement_conditions(filter),
        };
        let conn = self.read_conn().map_err(read_err)?;
        let chunk: Chunk<LedgerStatement> = listed.chunk(&conn, descending, after, limit)?;
        Ok(Chunk {
            rows: chunk.rows.into_iter().map(statement_row).collect(),
            next: chunk.next,
        })
    }

    fn claim_chunk(
        &self,
        filter: &Filter,
        descending: bool,
        after: Option<&str>,
        limit: usize,
    ) -> ReadResult<Chunk<ClaimRow>> {
        let listed = Listed {
            table: "ledger_claims",
            third: "span_start",
            conditions: claim_conditions(filter),
        };
        let conn = self.read_conn().map_err(read_err)?;
        listed.chunk(&conn, descending, after, limit)
    }

    fn statement_page(
        &self,
        filter: &Filter,
        descending: bool,
        hidden: &NonPublic,
    ) -> ReadResult<ListingPage<StatementRow>> {
        let mut conditions = statement_conditions(filter);
        conditions.hide(hidden);
        let listed = Listed {
            table: "ledger_statements",
            third: "statement_index",
            conditions,
        };
        let conn = self.read_conn().map_err(read_err)?;
        let page: ListingPage<LedgerStatement> =
            listed.page(&conn, descending, filter, &self.listing_totals)?;
        Ok(ListingPage {
            rows: page.rows.into_iter().map(statement_row).collect(),
            total: page.total,
            next: page.next,
        })
    }

    fn statement_speakers(
        &self,
        filter: &Filter,
        hidden: &NonPublic,
    ) -> ReadResult<BTreeMap<String, usize>> {
        let mut c = statement_conditions(filter);
        c.hide(hidden);
        let sql = format!(
            "SELECT speaker, COUNT(*) FROM ledger_statements{} GROUP BY speaker",
            c.where_sql()
        );
        let conn = self.read_conn().map_err(read_err)?;
        let mut stmt = conn.prepare_cached(&sql).map_err(sql_err)?;
        let rows = stmt
            .query_map(params_from_iter(c.values), |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
            })
            .map_err(sql_err)?;
        let mut out = BTreeMap::new();
        for row in rows {
            let (speaker, n) = row.map_err(sql_err)?;
            *out.entry(speaker).or_default() += n.max(0) as usize;
        }
        Ok(out)
    }

    fn document_statement(
        &self,
        filter: &Filter,
        document_id: &str,
    ) -> ReadResult<Option<StatementRow>> {
        let mut c = statement_conditions(filter);
        c.push("document_id = ?", document_id.to_string());
        let sql = format!(
            "SELECT json FROM ledger_statements{} ORDER BY position LIMIT 1",
            c.where_sql()
        );
        let conn = self.read_conn().map_err(read_err)?;
        let rows: Vec<LedgerStatement> = query_json(&conn, &sql, c.values)?;
        Ok(rows.into_iter().next().map(statement_row))
    }

    fn claim_page(
        &self,
        filter: &Filter,
        descending: bool,
        hidden: &NonPublic,
    ) -> ReadResult<ListingPage<ClaimRow>> {
        let mut conditions = claim_conditions(filter);
        conditions.hide(hidden);
        let listed = Listed {
            table: "ledger_claims",
            third: "span_start",
            conditions,
        };
        let conn = self.read_conn().map_err(read_err)?;
        listed.page(&conn, descending, filter, &self.listing_totals)
    }

    fn claim_months(
        &self,
        filter: &Filter,
        hidden: &NonPublic,
    ) -> ReadResult<BTreeMap<(ClaimKind, String), usize>> {
        let mut c = claim_conditions(filter);
        c.hide(hidden);
        let sql = format!(
            "SELECT kind, ifnull(substr(day, 1, 7), 'undated'), COUNT(*) FROM ledger_claims{}
             GROUP BY 1, 2",
            c.where_sql()
        );
        let conn = self.read_conn().map_err(read_err)?;
        let mut stmt = conn.prepare_cached(&sql).map_err(sql_err)?;
        let rows = stmt
            .query_map(params_from_iter(c.values), |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            })
            .map_err(sql_err)?;
        let mut out = BTreeMap::new();
        for row in rows {
            let (kind, month, n) = row.map_err(sql_err)?;
            let kind = ClaimKind::parse(&kind)
                .ok_or_else(|| ReadError(format!("stored claim kind: {kind}")))?;
            *out.entry((kind, month)).or_default() += n.max(0) as usize;
        }
        Ok(out)
    }

    fn reconciliation(&self, filter: &Filter) -> ReadResult<Vec<Reconciliation>> {
        let mut c = Conditions::default();
        c.dates("as_of", filter);
        let (sql, values) = c.select_json("ledger_reconciliation", "position", filter);
        let conn = self.read_conn().map_err(read_err)?;
        query_json(&conn, &sql, values)
    }

    fn reviews(&self) -> ReadResult<Vec<Review>> {
        let conn = self.read_conn().map_err(read_err)?;
        review_log(&conn).map_err(read_err)
    }

    fn search(&self, request: &SearchRequest) -> ReadResult<SearchResults> {
        if request.q.trim().is_empty() {
            return Ok(SearchResults::default());
        }
        let Some(index) = &self.search else {
            return Err(ReadError("the search index could not be opened".into()));
        };
        self.search_catch_up();
        index.search(request).map_err(|e| ReadError(e.to_string()))
    }

    fn incident_summaries(&self, filter: &Filter, order: IncidentOrder) -> ReadResult<SummaryPage> {
        let mut c = incident_conditions(filter);
        let count_sql = format!("SELECT COUNT(*) FROM ledger_incidents{}", c.where_sql());
        let count_values = c.values.clone();
        if let Some(cursor) = filter.after.as_deref() {
            incidents_after(&mut c, order, cursor)?;
        }
        let keys = order_keys(order);
        // One row more than the page tells whether any follow; after a
        // cursor the offset is not read.
        let limit = filter.limit;
        let window = Filter {
            limit: limit.map(|l| l.saturating_add(1)),
            offset: if filter.after.is_some() {
                None
            } else {
                filter.offset
            },
            ..filter.clone()
        };
        let (sql, values) = c.select_column(
            &format!("id, {}", keys.join(", ")),
            "ledger_incidents",
            &order_sql(order),
            &window,
        );
        let pooled = self.read_conn().map_err(read_err)?;
        // Count, page and incidents from one snapshot of the ledger.
        let conn = pooled.unchecked_transaction().map_err(sql_err)?;
        let total: i64 = conn
            .prepare_cached(&count_sql)
            .map_err(sql_err)?
            .query_row(params_from_iter(count_values), |r| r.get(0))
            .map_err(sql_err)?;
        let mut listed: Vec<(String, Vec<Value>)> = {
            let mut stmt = conn.prepare_cached(&sql).map_err(sql_err)?;
            stmt.query_map(params_from_iter(values), |r| {
                let key = (1..=keys.len())
                    .map(|i| r.get::<_, Value>(i))
                    .collect::<rusqlite::Result<Vec<Value>>>()?;
                Ok((r.get::<_, String>(0)?, key))
            })
            .map_err(sql_err)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(sql_err)?
        };
        let next = match limit {
            Some(l) if listed.len() > l => {
                listed.truncate(l);
                listed
                    .last()
                    .map(|(_, key)| incident_cursor(key))
                    .transpose()?
            }
            _ => None,
        };
        let ids: Vec<String> = listed.into_iter().map(|(id, _)| id).collect();
        let mut rows = Vec::with_capacity(ids.len());
        let mut summary_of = conn
            .prepare_cached("SELECT json FROM ledger_incident_summaries WHERE id = ?1")
            .map_err(sql_err)?;
        for id in &ids {
            let stored: Option<String> = summary_of
                .query_row([id], |r| r.get(0))
                .optional()
                .map_err(sql_err)?;
            let summary = match stored {
                Some(json) => serde_json::from_str(&json)
                    .map_err(|e| ReadError(format!("stored JSON: {e}")))?,
                // Written by every ledger write and filled in on open; an
                // incident without one is summarised from its full record.
                None => {
                    let json: String = conn
                        .prepare_cached("SELECT json FROM ledger_incidents WHERE id = ?1")
                        .map_err(sql_err)?
                        .query_row([id], |r| r.get(0))
                        .map_err(sql_err)?;
                    IncidentSummary::of(&parse_incident(&json)?)
                }
            };
            rows.push(summary);
        }
        Ok(SummaryPage {
            rows,
            total: total.max(0) as usize,
            next,
        })
    }

    fn incident_facets(&self, filter: &Filter) -> ReadResult<IncidentFacets> {
        let c = incident_conditions(filter);
        let sql = facets_sql(&c);
        let conn = self.read_conn().map_err(read_err)?;
        let mut stmt = conn.prepare_cached(&sql).map_err(sql_err)?;
        let groups = stmt
            .query_map(params_from_iter(c.values), |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, i64>(3)?,
                ))
            })
            .map_err(sql_err)?;
        let mut out = IncidentFacets::default();
        for group in groups {
            let (region, grade, month, n) = group.map_err(sql_err)?;
            let n = n.max(0) as usize;
            *out.region.entry(region).or_default() += n;
            *out.grade.entry(grade).or_default() += n;
            if let Some(m) = month.filter(|m| m.len() == 7) {
                *out.month.entry(m).or_default() += n;
            }
        }
        Ok(out)
    }

    fn document_texts(&self, ids: &[&str]) -> ReadResult<Vec<(String, String)>> {
        let list = serde_json::to_string(ids).map_err(|e| ReadError(e.to_string()))?;
        let conn = self.read_conn().map_err(read_err)?;
        let mut stmt = conn
            .prepare_cached(
                "SELECT id, text FROM documents WHERE id IN (SELECT value FROM json_each(?1))",
            )
            .map_err(sql_err)?;
        let rows = stmt
            .query_map([list], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(sql_err)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(sql_err)
    }

    fn ledger_generation(&self) -> ReadResult<Option<i64>> {
        let conn = self.read_conn().map_err(read_err)?;
        ledger_generation(&conn).map(Some).map_err(read_err)
    }

    fn ledger_as_of(
        &self,
        day: chrono::NaiveDate,
    ) -> ReadResult<Option<strikewatch_model::tracking::LedgerAsOf>> {
        let conn = self.read_conn().map_err(read_err)?;
        crate::history::ledger_as_of(&conn, day)
            .map(Some)
            .map_err(read_err)
    }

    fn changes(
        &self,
        since: Option<chrono::NaiveDate>,
        after: Option<&str>,
        offset: u64,
        limit: u64,
    ) -> ReadResult<strikewatch_model::tracking::ChangePage> {
        // The cursor is the `seq` of the last change read.
        let after = after
            .map(|c| {
                c.parse::<u64>()
                    .ok()
                    .and_then(|n| i64::try_from(n).ok())
                    .ok_or_else(|| ReadError::bad_cursor(c))
            })
            .transpose()?;
        let conn = self.read_conn().map_err(read_err)?;
        crate::history::changes(&conn, since, after, offset, limit).map_err(read_err)
    }

    fn incident_history(
        &self,
        id: &str,
    ) -> ReadResult<Vec<strikewatch_model::tracking::IncidentChange>> {
        let conn = self.read_conn().map_err(read_err)?;
        crate::history::incident_history(&conn, id).map_err(read_err)
    }

    fn trackers(&self) -> ReadResult<Vec<strikewatch_model::tracking::TrackerInfo>> {
        let conn = self.read_conn().map_err(read_err)?;
        crate::history::tracker_infos(&conn).map_err(read_err)
    }

    fn tracker_comparison(
        &self,
        name: &str,
    ) -> ReadResult<Option<strikewatch_model::tracking::TrackerComparison>> {
        let conn = self.read_conn().map_err(read_err)?;
        crate::history::comparison(&conn, name).map_err(read_err)
    }

    fn document_count(&self) -> ReadResult<u64> {
        let conn = self.read_conn().map_err(read_err)?;
        conn.query_row("SELECT COUNT(*) FROM documents", [], |r| r.get::<_, i64>(0))
            .map(|n| n as u64)
            .map_err(sql_err)
    }

    fn document_history(
        &self,
        document_id: &str,
    ) -> ReadResult<Option<strikewatch_model::versions::DocumentHistory>> {
        let conn = self.read_conn().map_err(read_err)?;
        crate::versions::history(&conn, document_id, true).map_err(read_err)
    }

    fn changed_documents(&self) -> ReadResult<Vec<strikewatch_model::versions::DocumentHistory>> {
        let conn = self.read_conn().map_err(read_err)?;
        crate::versions::changed(&conn).map_err(read_err)
    }

    fn non_public(&self) -> ReadResult<NonPublic> {
        let conn = self.read_conn().map_err(read_err)?;
        let mut stmt = conn
            .prepare_cached("SELECT id, url FROM documents WHERE private = 1")
            .map_err(sql_err)?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get(1)?)))
            .map_err(sql_err)?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(sql_err)?;
        Ok(NonPublic::new(rows))
    }

    fn document_evidence(&self, document_id: &str) -> ReadResult<Vec<EvidenceRef>> {
        let pooled = self.read_conn().map_err(read_err)?;
        // One snapshot for the four queries.
        let conn = pooled.unchecked_transaction().map_err(sql_err)?;
        let one = || vec![Value::from(document_id.to_string())];
        let incidents: Vec<Incident> = query_json(
            &conn,
            "SELECT i.json FROM ledger_incident_documents d
             JOIN ledger_incidents i ON i.id = d.incident_id
             WHERE d.document_id = ?1 ORDER BY i.sort_day, i.id",
            one(),
        )?;
        let statements: Vec<LedgerStatement> = query_json(
            &conn,
            "SELECT json FROM ledger_statements WHERE document_id = ?1 ORDER BY position",
            one(),
        )?;
        let claims: Vec<ClaimRow> = query_json(
            &conn,
            "SELECT json FROM ledger_claims WHERE document_id = ?1 ORDER BY position",
            one(),
        )?;
        let totals: Vec<Reconciliation> = query_json(
            &conn,
            "SELECT json FROM ledger_reconciliation WHERE document_id = ?1 ORDER BY position",
            one(),
        )?;
        Ok(gather_evidence(
            document_id,
            &incidents,
            statements.into_iter().map(|s| s.statement.span),
            claims.into_iter().map(|c| (c.claim.kind, c.claim.span)),
            totals.into_iter().map(|r| r.span),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    /// Every filter a listing page accepts, alone and together.
    fn filters() -> Vec<Filter> {
        let day = |d| NaiveDate::from_ymd_opt(2025, 9, d);
        let one = |f: fn(&mut Filter)| {
            let mut filter = Filter::default();
            f(&mut filter);
            filter
        };
        vec![
            Filter::default(),
            one(|f| f.speaker = Some("A".into())),
            one(|f| f.kind = Some("legal_basis".into())),
            Filter {
                from: day(2),
                ..Filter::default()
            },
            Filter {
                to: day(4),
                ..Filter::default()
            },
            Filter {
                from: day(2),
                to: day(4),
                speaker: Some("A".into()),
                ..Filter::default()
            },
            Filter {
                from: day(2),
                kind: Some("other".into()),
                q: Some("x".into()),
                ..Filter::default()
            },
            one(|f| f.q = Some("x".into())),
        ]
    }

    /// Facets never read an incident's row (its JSON lies before
    /// `sort_day`) unless the text filter needs it.
    #[test]
    fn facets_read_the_listing_index() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        drop(crate::SqliteStore::open(&path).unwrap());
        let conn = Connection::open(&path).unwrap();
        let day = |d| NaiveDate::from_ymd_opt(2025, 9, d);
        for (filter, covered) in [
            (Filter::default(), true),
            (
                Filter {
                    region: Some("caribbean".into()),
                    grade: Some("declared".into()),
                    ..Filter::default()
                },
                true,
            ),
            (
                Filter {
                    from: day(2),
                    to: day(20),
                    ..Filter::default()
                },
                true,
            ),
            (
                Filter {
                    q: Some("boat".into()),
                    ..Filter::default()
                },
                false,
            ),
        ] {
            let c = incident_conditions(&filter);
            let plan: Vec<String> = conn
                .prepare(&format!("EXPLAIN QUERY PLAN {}", facets_sql(&c)))
                .unwrap()
                .query_map(params_from_iter(c.values), |r| r.get::<_, String>(3))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            let plan = plan.join(" | ");
            let index = if covered {
                "COVERING INDEX ledger_incidents_listing"
            } else {
                "INDEX ledger_incidents_listing"
            };
            assert!(plan.contains(index), "{filter:?}: {plan}");
        }
    }

    /// A page of statements or claims, with any filter, in either
    /// direction, is read in order from an index: SQLite never sorts the
    /// rows the filter matches (which read and sorted them all before the
    /// page could be cut).
    #[test]
    fn pages_are_read_in_index_order_under_every_filter() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        drop(crate::SqliteStore::open(&path).unwrap());
        let conn = Connection::open(&path).unwrap();
        let hidden = NonPublic::new([("private-1".to_string(), None)]);
        for filter in filters() {
            for (table, third, conditions) in [
                (
                    "ledger_statements",
                    "statement_index",
                    statement_conditions as fn(&Filter) -> Conditions,
                ),
                ("ledger_claims", "span_start", claim_conditions),
            ] {
                for descending in [false, true] {
                    for hide in [false, true] {
                        let mut conditions = conditions(&filter);
                        if hide {
                            conditions.hide(&hidden);
                        }
                        let listed = Listed {
                            table,
                            third,
                            conditions,
                        };
                        let (sql, values) = listed.select(descending, None, 5_000, 50).unwrap();
                        let plan: Vec<String> = conn
                            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                            .unwrap()
                            .query_map(params_from_iter(values), |r| r.get::<_, String>(3))
                            .unwrap()
                            .map(Result::unwrap)
                            .collect();
                        let plan = plan.join(" | ");
                        assert!(
                            !plan.contains("TEMP B-TREE"),
                            "{table} {filter:?} desc={descending}: {plan}"
                        );
                        assert!(
                            plan.contains(&format!("USING INDEX {table}_listed")),
                            "{table} {filter:?} desc={descending}: {plan}"
                        );
                        // A filter on the listing's first key seeks the index.
                        if filter.from.is_some() || filter.to.is_some() {
                            assert!(
                                plan.contains("<expr>>") || plan.contains("<expr><"),
                                "{filter:?}: {plan}"
                            );
                        }
                    }
                }
            }
        }
    }
}
