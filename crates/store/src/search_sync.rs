//! Keeps the search index beside the database file in step with it.
//!
//! The index's commit carries a stamp of what the database held when it was
//! written: the last document write (`document_changes`, filled by
//! triggers) and the ledger generation. A search first compares that stamp with the database (a few
//! indexed lookups) and, when they differ, indexes the documents stored since
//! and, if the ledger changed, its statements, claims and incidents again.
//! An index that is missing, of another schema or unreadable is refilled
//! whole, in row order; `rebuild_search_index` does that on demand.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rusqlite::{Connection, params};
use strikewatch_search::{SearchEntry, Update};

use crate::{SqliteStore, StoreError};

/// `ledger.db` → `ledger.db.search`.
pub(crate) fn index_dir(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".search");
    PathBuf::from(name)
}

/// What the database held, as far as search is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
struct DbStamp {
    /// The last document write (`document_changes.seq`).
    change: i64,
    generation: i64,
}

impl DbStamp {
    fn read(conn: &Connection) -> rusqlite::Result<DbStamp> {
        conn.prepare_cached(
            "SELECT (SELECT COALESCE(MAX(seq), 0) FROM document_changes),
                    (SELECT COALESCE(MAX(generation), 0) FROM ledger_generation)",
        )?
        .query_row([], |r| {
            Ok(DbStamp {
                change: r.get(0)?,
                generation: r.get(1)?,
            })
        })
    }

    fn text(&self) -> String {
        format!(
            "strikewatch-search 2 documents {} ledger {}",
            self.change, self.generation
        )
    }

    fn parse(text: &str) -> Option<DbStamp> {
        let rest = text.strip_prefix("strikewatch-search 2 documents ")?;
        let (change, generation) = rest.split_once(" ledger ")?;
        Some(DbStamp {
            change: change.parse().ok()?,
            generation: generation.parse().ok()?,
        })
    }
}

fn day(text: Option<String>) -> Option<NaiveDate> {
    text.and_then(|t| NaiveDate::parse_from_str(&t, "%Y-%m-%d").ok())
}

/// Documents written after change `since` (all of them without one), in
/// row order.
fn put_documents(
    conn: &Connection,
    update: &mut Update<'_>,
    since: Option<&DbStamp>,
) -> Result<usize, StoreError> {
    const COLUMNS: &str = "d.rowid, d.id, d.title, d.language, d.published_date, d.text, d.private";
    let sql = match since {
        None => format!("SELECT {COLUMNS} FROM documents d WHERE ?1 = ?1 ORDER BY d.rowid"),
        Some(_) => format!(
            "SELECT {COLUMNS} FROM documents d WHERE d.rowid IN
                 (SELECT document_rowid FROM document_changes WHERE seq > ?1)
             ORDER BY d.rowid"
        ),
    };
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(params![since.map_or(0, |s| s.change)])?;
    let mut n = 0;
    while let Some(r) = rows.next()? {
        let id: String = r.get(1)?;
        // The index is public: a private document is never in it, and one
        // marked private after it was indexed leaves it.
        if r.get::<_, bool>(6)? {
            update.remove("document", &id);
            continue;
        }
        let entry = SearchEntry {
            kind: "document",
            document_id: id.clone(),
            id,
            title: r.get(2)?,
            language: r.get(3)?,
            date: day(r.get(4)?),
            text: r.get(5)?,
            ..SearchEntry::default()
        };
        if since.is_some() {
            update.put(&entry)?;
        } else {
            update.add(&entry)?;
        }
        n += 1;
    }
    Ok(n)
}

/// Every statement, claim and incident of the stored ledger.
fn put_ledger(conn: &Connection, update: &mut Update<'_>) -> Result<usize, StoreError> {
    let mut n = 0;
    for kind in ["statement", "claim", "incident"] {
        update.clear_kind(kind);
    }
    let mut stmt = conn.prepare(
        "SELECT s.document_id, s.statement_index, s.speaker, s.day, s.quote, d.title, d.language
         FROM ledger_statements s LEFT JOIN documents d ON d.id = s.document_id
         WHERE COALESCE(d.private, 0) = 0
         ORDER BY s.position",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let document_id: String = r.get(0)?;
        let index: i64 = r.get(1)?;
        update.add(&SearchEntry {
            kind: "statement",
            id: format!("{document_id}#{index}"),
            document_id,
            speaker: r.get(2)?,
            date: day(r.get(3)?),
            text: r.get(4)?,
            title: r.get(5)?,
            language: r.get(6)?,
            region: None,
        })?;
        n += 1;
    }
    let mut stmt = conn.prepare(
        "SELECT c.document_id, c.speaker, c.day, c.claim_text, d.title, d.language,
                row_number() OVER (PARTITION BY c.document_id ORDER BY c.position) - 1
         FROM ledger_claims c LEFT JOIN documents d ON d.id = c.document_id
         WHERE COALESCE(d.private, 0) = 0
         ORDER BY c.position",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let document_id: String = r.get(0)?;
        let index: i64 = r.get(6)?;
        update.add(&SearchEntry {
            kind: "claim",
            id: format!("{document_id}#{index}"),
            document_id,
            speaker: r.get(1)?,
            date: day(r.get(2)?),
            text: r.get(3)?,
            title: r.get(4)?,
            language: r.get(5)?,
            region: None,
        })?;
        n += 1;
    }
    let mut stmt = conn.prepare(
        // An incident is found by its id and the titles of its public
        // documents only.
        "SELECT i.id, i.first_day, i.region,
                CASE WHEN EXISTS (
                    SELECT 1 FROM ledger_incident_documents x JOIN documents d ON d.id = x.document_id
                    WHERE x.incident_id = i.id AND d.private = 1)
                THEN lower(i.id) || COALESCE(char(10) ||
                    (SELECT group_concat(lower(d.title), char(10))
                     FROM ledger_incident_documents x JOIN documents d ON d.id = x.document_id
                     WHERE x.incident_id = i.id AND d.private = 0 AND d.title IS NOT NULL),
                    '')
                ELSE i.search_text END
         FROM ledger_incidents i ORDER BY i.position",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let id: String = r.get(0)?;
        let region: String = r.get(2)?;
        let text: String = r.get(3)?;
        update.add(&SearchEntry {
            kind: "incident",
            title: Some(format!("Incident {id}")),
            id,
            document_id: String::new(),
            date: day(r.get(1)?),
            text: format!("{region}\n{text}"),
            region: Some(region),
            ..SearchEntry::default()
        })?;
        n += 1;
    }
    Ok(n)
}

/// What one catch-up did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SearchSync {
    pub documents: usize,
    pub ledger_entries: usize,
    pub whole: bool,
}

impl SqliteStore {
    /// Brings the search index up to date with the database, waiting for a
    /// catch-up another thread runs.
    pub(crate) fn catch_up_search_index(&self) -> Result<SearchSync, StoreError> {
        let _one = self.search_sync.lock().map_err(|_| StoreError::Poisoned)?;
        self.catch_up(false)
    }

    /// Empties the search index and fills it again from the database.
    pub(crate) fn refill_search_index(&self) -> Result<SearchSync, StoreError> {
        let _one = self.search_sync.lock().map_err(|_| StoreError::Poisoned)?;
        self.catch_up(true)
    }

    /// Before a search: catches up when the database moved on, unless a
    /// catch-up is already running (the search then reads the index as it
    /// stands rather than wait).
    pub(crate) fn search_catch_up(&self) {
        if let Ok(conn) = self.read_conn()
            && let Ok(now) = DbStamp::read(&conn)
            && self
                .search_stamp
                .lock()
                .is_ok_and(|held| held.as_deref() == Some(now.text().as_str()))
        {
            return;
        }
        let Ok(_one) = self.search_sync.try_lock() else {
            return;
        };
        if let Err(e) = self.catch_up(false) {
            tracing::warn!(error = %e, "the search index could not catch up");
        }
    }

    fn catch_up(&self, whole: bool) -> Result<SearchSync, StoreError> {
        let Some(index) = &self.search else {
            return Ok(SearchSync::default());
        };
        // Its own connection: a long refill holds none of the site's.
        let conn = crate::sqlite::connect(self.path())?;
        conn.pragma_update(None, "query_only", "ON")?;
        let tx = conn.unchecked_transaction()?;
        let now = DbStamp::read(&tx)?;
        let held = if whole {
            None
        } else {
            index.stamp()?.as_deref().and_then(DbStamp::parse)
        };
        if held.as_ref() == Some(&now) {
            self.remember_stamp(&now);
            return Ok(SearchSync::default());
        }
        let mut update = index.update()?;
        let mut done = SearchSync {
            whole: held.is_none(),
            ..SearchSync::default()
        };
        if held.is_none() {
            update.clear()?;
        }
        if held.as_ref().is_none_or(|h| h.change != now.change) {
            done.documents = put_documents(&tx, &mut update, held.as_ref())?;
        }
        if held.as_ref().is_none_or(|h| h.generation != now.generation) {
            done.ledger_entries = put_ledger(&tx, &mut update)?;
        }
        update.commit(&now.text())?;
        self.remember_stamp(&now);
        Ok(done)
    }

    fn remember_stamp(&self, stamp: &DbStamp) {
        if let Ok(mut held) = self.search_stamp.lock() {
            *held = Some(stamp.text());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_read_back() {
        let s = DbStamp {
            change: 12,
            generation: 7,
        };
        assert_eq!(DbStamp::parse(&s.text()), Some(s));
        assert_eq!(DbStamp::parse("garbage"), None);
    }

    #[test]
    fn index_sits_beside_the_database() {
        assert_eq!(
            index_dir(Path::new("/data/ledger.db")),
            PathBuf::from("/data/ledger.db.search")
        );
    }
}
