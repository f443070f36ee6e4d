//! The embedded SQLite backend: one file, WAL journal, migrations on open.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{NaiveDate, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};
use strikewatch_archive::{Capture, StreamHasher, VerifyReport, check_blob};
use strikewatch_model::{Document, PublishedAt, SourceKind, TimePrecision};

use strikewatch_model::Extraction;
use strikewatch_model::ledger::{Incident, Ledger, LedgerDelta, Review, ReviewAction};
use strikewatch_model::tracking::{LedgerHistory, Tracker, TrackerComparison, TrackerRow};

use crate::StoreError;
use crate::ledger_rows;
use crate::migrations::{MIGRATIONS, latest_version};
use crate::store::{BatchOutcome, Counts, Store, StoredExtraction};

/// SQLite caps a single value at one billion bytes by default.
const MAX_BLOB_BYTES: u64 = 1_000_000_000;
const COPY_CHUNK: usize = 256 * 1024;
/// How much of a blob a stream reads in one read transaction.
const STREAM_PIECE: usize = 32 * 1024 * 1024;
/// The size a write-ahead log is cut back to once checkpointed: one large
/// transaction (a corpus file archived whole) grows it, and without a limit
/// the file keeps that size until the last connection closes.
const WAL_SIZE_LIMIT: i64 = 64 * 1024 * 1024;
const PAGE_SIZE: i64 = 16 * 1024;

pub struct SqliteStore {
    path: PathBuf,
    /// Writes and short reads.
    conn: Mutex<Connection>,
    /// Long blob streams, so writes can go on while a capture is read.
    reader: Mutex<Connection>,
    /// Read-only connections for the site's queries: WAL lets them run side
    /// by side, and beside a write.
    ledger_readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
    /// Parsed incidents of one ledger generation: listings select ids in
    /// SQL and take the incidents from here instead of re-parsing JSON.
    pub(crate) incident_cache: Mutex<Option<IncidentCache>>,
    /// How many rows each filtered statement or claim listing holds, at one
    /// ledger generation: pages after the first do not count it again.
    pub(crate) listing_totals: Mutex<crate::read::ListingTotals>,
    /// The search index beside the file (`<file>.search`); `None` when it
    /// could not be opened (searches then say so, nothing else is hurt).
    pub(crate) search: Option<strikewatch_search::SearchIndex>,
    /// The stamp the index was last seen to match (`search_sync`).
    pub(crate) search_stamp: Mutex<Option<String>>,
    /// One catch-up at a time.
    pub(crate) search_sync: Mutex<()>,
}

pub(crate) struct IncidentCache {
    pub generation: i64,
    pub by_id: Arc<HashMap<String, Incident>>,
}

/// At most this many read connections, however many cores.
const MAX_LEDGER_READERS: usize = 8;

impl SqliteStore {
    /// Opens or creates the database file and applies pending migrations.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let conn = connect(path)?;
        migrate(&conn)?;
        crate::ledger_rows::fill_missing_summaries(&conn)?;
        let reader = connect(path)?;
        let readers = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .clamp(1, MAX_LEDGER_READERS);
        let read_only = || -> Result<Mutex<Connection>, StoreError> {
            let c = connect(path)?;
            c.pragma_update(None, "query_only", "ON")?;
            Ok(Mutex::new(c))
        };
        let ledger_readers = (0..readers)
            .map(|_| read_only())
            .collect::<Result<Vec<_>, _>>()?;
        Ok(SqliteStore {
            path: path.to_path_buf(),
            conn: Mutex::new(conn),
            reader: Mutex::new(reader),
            ledger_readers,
            next_reader: AtomicUsize::new(0),
            incident_cache: Mutex::new(None),
            listing_totals: Mutex::default(),
            search: open_search_index(path),
            search_stamp: Mutex::new(None),
            search_sync: Mutex::new(()),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A free read-only connection (round robin; waits when all are busy).
    pub(crate) fn read_conn(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        match free_connection(&self.ledger_readers, &self.next_reader) {
            Some(found) => found,
            None => self.conn(),
        }
    }

    pub(crate) fn conn(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        self.conn.lock().map_err(|_| StoreError::Poisoned)
    }
}

fn open_search_index(db: &Path) -> Option<strikewatch_search::SearchIndex> {
    let dir = crate::search_sync::index_dir(db);
    match strikewatch_search::SearchIndex::open(&dir) {
        Ok(index) => Some(index),
        Err(e) => {
            tracing::warn!(error = %e, "search is unavailable");
            None
        }
    }
}

/// A connection of `pool`, the first free one from the next in turn, else
/// (all busy) the next in turn once it is free. `None` for an empty pool.
fn free_connection<'a>(
    pool: &'a [Mutex<Connection>],
    next: &AtomicUsize,
) -> Option<Result<MutexGuard<'a, Connection>, StoreError>> {
    let n = pool.len();
    if n == 0 {
        return None;
    }
    let start = next.fetch_add(1, Ordering::Relaxed) % n;
    for k in 0..n {
        if let Ok(guard) = pool[(start + k) % n].try_lock() {
            return Some(Ok(guard));
        }
    }
    Some(pool[start].lock().map_err(|_| StoreError::Poisoned))
}

pub(crate) fn connect(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(path).map_err(|source| StoreError::Open {
        path: path.to_path_buf(),
        source,
    })?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    // Takes effect only when the file is created. Documents are a few KB
    // each: 4 KB pages would hold one and waste the rest, 16 KB pages hold
    // several, and long blobs need fewer overflow pages.
    conn.pragma_update(None, "page_size", PAGE_SIZE)?;
    // WAL keeps readers working during ingest; NORMAL sync is durable
    // against a killed process (only power loss can drop the last commit).
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "journal_size_limit", WAL_SIZE_LIMIT)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

fn migrate(conn: &Connection) -> Result<(), StoreError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    INTEGER PRIMARY KEY NOT NULL,
             name       TEXT NOT NULL,
             applied_at TEXT NOT NULL
         );",
    )?;
    let current: i64 = conn.query_row(
        "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
        [],
        |r| r.get(0),
    )?;
    if current > latest_version() {
        return Err(StoreError::NewerSchema {
            found: current,
            known: latest_version(),
        });
    }
    // Every migration not yet recorded, so numbers added out of order
    // (parallel branches) are applied too.
    let applied: Vec<i64> = conn
        .prepare("SELECT version FROM schema_migrations")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    for migration in MIGRATIONS.iter().filter(|m| !applied.contains(&m.version)) {
        let tx = conn.unchecked_transaction()?;
        tx.execute_batch(migration.sql)?;
        tx.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
            params![migration.version, migration.name, now()],
        )?;
        tx.commit()?;
    }
    Ok(())
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn to_i64(n: u64) -> Result<i64, StoreError> {
    i64::try_from(n).map_err(|_| StoreError::TooLarge {
        size: n,
        limit: MAX_BLOB_BYTES,
    })
}

fn blob_rowid(conn: &Connection, sha256: &str) -> Result<Option<(i64, u64)>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT rowid, size FROM blobs WHERE sha256 = ?1")?
        .query_row([sha256], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)? as u64))
        })
        .optional()?)
}

const DOCUMENT_COLUMNS: &str = "id, url, title, published_at, published_date, \
     published_precision, language, source, source_kind, text, capture_sha256, private";

fn precision_str(p: TimePrecision) -> &'static str {
    match p {
        TimePrecision::Second => "second",
        TimePrecision::Day => "day",
        TimePrecision::Month => "month",
        TimePrecision::Year => "year",
    }
}

fn precision_from(s: &str) -> Option<TimePrecision> {
    Some(match s {
        "second" => TimePrecision::Second,
        "day" => TimePrecision::Day,
        "month" => TimePrecision::Month,
        "year" => TimePrecision::Year,
        _ => return None,
    })
}

fn document_from_row(row: &Row<'_>) -> rusqlite::Result<Result<Document, StoreError>> {
    let published_text: Option<String> = row.get(3)?;
    let published_date: Option<String> = row.get(4)?;
    let precision: Option<String> = row.get(5)?;
    let published_at = match (published_text, published_date, precision) {
        (Some(text), Some(date), Some(precision)) => {
            let date = match NaiveDate::parse_from_str(&date, "%Y-%m-%d") {
                Ok(d) => d,
                Err(_) => return Ok(Err(StoreError::Malformed(format!("date {date:?}")))),
            };
            let Some(precision) = precision_from(&precision) else {
                return Ok(Err(StoreError::Malformed(format!(
                    "precision {precision:?}"
                ))));
            };
            Some(PublishedAt {
                date,
                text,
                precision,
            })
        }
        _ => None,
    };
    let kind: String = row.get(8)?;
    Ok(Ok(Document {
        id: row.get(0)?,
        url: row.get(1)?,
        title: row.get(2)?,
        published_at,
        language: row.get(6)?,
        source: row.get(7)?,
        source_kind: SourceKind::from_corpus(&kind),
        text: row.get(9)?,
        capture_sha256: row.get(10)?,
        private: row.get(11)?,
    }))
}

fn capture_from_row(row: &Row<'_>) -> rusqlite::Result<Capture> {
    Ok(Capture {
        seq: row.get(0)?,
        sha256: row.get(1)?,
        origin: row.get(2)?,
        media_type: row.get(3)?,
        captured_at: row.get(4)?,
        size: row.get::<_, i64>(5)? as u64,
    })
}

/// Upserts `documents` and records `capture` inside transaction `tx`
/// (a document whose fields are unchanged is left alone).
fn write_documents(
    tx: &Connection,
    documents: &[Document],
    capture: Option<&Capture>,
) -> Result<BatchOutcome, StoreError> {
    let mut outcome = BatchOutcome::default();
    let stored_at = now();
    {
        let mut exists = tx.prepare_cached("SELECT 1 FROM documents WHERE id = ?1")?;
        let mut withhold = tx.prepare_cached(
            "INSERT INTO withheld_blobs (sha256, recorded_at) VALUES (?1, ?2)
             ON CONFLICT (sha256) DO NOTHING",
        )?;
        // The bytes a document was stored from before it was marked
        // private hold its text too.
        let mut withhold_stored = tx.prepare_cached(
            "INSERT INTO withheld_blobs (sha256, recorded_at)
             SELECT capture_sha256, ?2 FROM documents
             WHERE id = ?1 AND capture_sha256 IS NOT NULL
             ON CONFLICT (sha256) DO NOTHING",
        )?;
        let mut upsert = tx.prepare_cached(
            "INSERT INTO documents (id, url, title, published_at, published_date,
                 published_precision, language, source, source_kind, text,
                 capture_sha256, stored_at, private)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
             ON CONFLICT (id) DO UPDATE SET
                 url = excluded.url, title = excluded.title,
                 published_at = excluded.published_at,
                 published_date = excluded.published_date,
                 published_precision = excluded.published_precision,
                 language = excluded.language, source = excluded.source,
                 source_kind = excluded.source_kind, text = excluded.text,
                 capture_sha256 = excluded.capture_sha256,
                 stored_at = excluded.stored_at,
                 -- Once private, always private.
                 private = max(documents.private, excluded.private)
             WHERE documents.text IS NOT excluded.text
                OR documents.private < excluded.private
                OR documents.url IS NOT excluded.url
                OR documents.title IS NOT excluded.title
                OR documents.published_at IS NOT excluded.published_at
                OR documents.published_precision IS NOT excluded.published_precision
                OR documents.language IS NOT excluded.language
                OR documents.source IS NOT excluded.source
                OR documents.source_kind IS NOT excluded.source_kind",
        )?;
        for doc in documents {
            if doc.private {
                if let Some(sha) = doc.capture_sha256.as_deref() {
                    withhold.execute(params![sha, stored_at])?;
                }
                withhold_stored.execute(params![doc.id, stored_at])?;
            }
            let existed = exists.exists([&doc.id])?;
            let published = doc.published_at.as_ref();
            let changed = upsert.execute(params![
                doc.id,
                doc.url,
                doc.title,
                published.map(|p| p.text.as_str()),
                published.map(|p| p.date.format("%Y-%m-%d").to_string()),
                published.map(|p| precision_str(p.precision)),
                doc.language,
                doc.source,
                doc.source_kind.as_str(),
                doc.text,
                doc.capture_sha256,
                stored_at,
                doc.private,
            ])?;
            // A changed document gets a new `stored_at` and a row in
            // `document_changes`: the search index picks it up from there.
            match (existed, changed > 0) {
                (false, _) => outcome.added += 1,
                (true, true) => outcome.updated += 1,
                (true, false) => outcome.unchanged += 1,
            }
        }
    }
    if let Some(c) = capture {
        let n = tx.execute(
            "INSERT INTO captures (sha256, origin, media_type, captured_at, size)
             VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (origin, sha256) DO NOTHING",
            params![
                c.sha256,
                c.origin,
                c.media_type,
                c.captured_at,
                to_i64(c.size)?
            ],
        )?;
        outcome.capture_recorded = n > 0;
    }
    Ok(outcome)
}

/// One document by id, on any connection.
pub(crate) fn document_on(conn: &Connection, id: &str) -> Result<Option<Document>, StoreError> {
    let sql = format!("SELECT {DOCUMENT_COLUMNS} FROM documents WHERE id = ?1");
    let found = conn
        .prepare_cached(&sql)?
        .query_row([id], document_from_row)
        .optional()?;
    found.transpose()
}

impl Store for SqliteStore {
    fn sync_search_index(&self) -> Result<crate::SearchSync, StoreError> {
        self.catch_up_search_index()
    }

    fn rebuild_search_index(&self) -> Result<crate::SearchSync, StoreError> {
        self.refill_search_index()
    }

    fn backend(&self) -> &'static str {
        "sqlite"
    }

    fn http_log(&self) -> Option<&dyn crate::HttpLog> {
        Some(self)
    }

    fn schema_version(&self) -> Result<i64, StoreError> {
        let conn = self.conn()?;
        Ok(conn.query_row(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            [],
            |r| r.get(0),
        )?)
    }

    fn has_capture(&self, origin: &str, sha256: &str) -> Result<bool, StoreError> {
        let conn = self.conn()?;
        Ok(conn
            .prepare_cached(
                "SELECT 1 FROM captures c
                 LEFT JOIN withheld_origins w ON w.capture_seq = c.seq
                 WHERE (c.origin = ?1 OR w.public_origin = ?1) AND c.sha256 = ?2",
            )?
            .exists(params![origin, sha256])?)
    }

    fn put_blob(&self, sha256: &str, size: u64, bytes: &mut dyn Read) -> Result<bool, StoreError> {
        if size > MAX_BLOB_BYTES {
            return Err(StoreError::TooLarge {
                size,
                limit: MAX_BLOB_BYTES,
            });
        }
        let conn = self.conn()?;
        if blob_rowid(&conn, sha256)?.is_some() {
            return Ok(false);
        }
        let tx = conn.unchecked_transaction()?;
        tx.execute(
            "INSERT INTO blobs (sha256, size, data) VALUES (?1, ?2, zeroblob(?2))",
            params![sha256, to_i64(size)?],
        )?;
        let rowid = tx.last_insert_rowid();
        let mut hasher = StreamHasher::new();
        {
            let mut blob = tx.blob_open(rusqlite::MAIN_DB, "blobs", "data", rowid, false)?;
            let mut buf = vec![0u8; COPY_CHUNK];
            loop {
                let n = match bytes.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e.into()),
                };
                let at = hasher.len();
                hasher.update(&buf[..n]);
                if hasher.len() > size {
                    break;
                }
                blob.write_at(&buf[..n], at as usize)?;
            }
        }
        let got = hasher.len();
        let actual = hasher.finish();
        if got != size || actual != sha256 {
            // Dropping the transaction rolls the row back.
            return Err(StoreError::ContentChanged {
                expected: sha256.into(),
                actual,
                size: got,
            });
        }
        tx.commit()?;
        Ok(true)
    }

    fn read_blob_at(&self, sha256: &str, offset: u64, buf: &mut [u8]) -> Result<usize, StoreError> {
        let conn = self.conn()?;
        let (rowid, size) =
            blob_rowid(&conn, sha256)?.ok_or_else(|| StoreError::MissingBlob(sha256.into()))?;
        if offset >= size || buf.is_empty() {
            return Ok(0);
        }
        let blob = conn.blob_open(rusqlite::MAIN_DB, "blobs", "data", rowid, true)?;
        Ok(blob.read_at(buf, offset as usize)?)
    }

    fn read_blob_stream(
        &self,
        sha256: &str,
        visit: &mut dyn FnMut(&mut dyn std::io::BufRead) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let (rowid, size) = {
            let reader = self.reader.lock().map_err(|_| StoreError::Poisoned)?;
            blob_rowid(&reader, sha256)?.ok_or_else(|| StoreError::MissingBlob(sha256.into()))?
        };
        let mut pieces = BlobPieces {
            reader: &self.reader,
            rowid,
            size,
            next: 0,
            piece: Vec::new(),
            at: 0,
        };
        visit(&mut pieces)
    }

    fn blob_size(&self, sha256: &str) -> Result<Option<u64>, StoreError> {
        let conn = self.conn()?;
        Ok(blob_rowid(&conn, sha256)?.map(|(_, size)| size))
    }

    fn write_batch(
        &self,
        documents: &[Document],
        capture: Option<&Capture>,
    ) -> Result<BatchOutcome, StoreError> {
        let conn = self.conn()?;
        let tx = conn.unchecked_transaction()?;
        let outcome = write_documents(&tx, documents, capture)?;
        tx.commit()?;
        Ok(outcome)
    }

    fn document(&self, id: &str) -> Result<Option<Document>, StoreError> {
        let conn = self.conn()?;
        document_on(&conn, id)
    }

    fn for_each_document(
        &self,
        visit: &mut dyn FnMut(Document) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        // Page through ids so the connection is not held during `visit`.
        let sql =
            format!("SELECT {DOCUMENT_COLUMNS} FROM documents WHERE id > ?1 ORDER BY id LIMIT 500");
        let mut after = String::new();
        loop {
            let page: Vec<Result<Document, StoreError>> = {
                let conn = self.conn()?;
                let mut stmt = conn.prepare_cached(&sql)?;
                stmt.query_map([&after], document_from_row)?
                    .collect::<rusqlite::Result<Vec<_>>>()?
            };
            if page.is_empty() {
                return Ok(());
            }
            for doc in page {
                let doc = doc?;
                after = doc.id.clone();
                visit(doc)?;
            }
        }
    }

    fn withheld_blobs(&self) -> Result<std::collections::BTreeSet<String>, StoreError> {
        let conn = self.conn()?;
        let mut stmt = conn.prepare(
            "SELECT capture_sha256 FROM documents
             WHERE private = 1 AND capture_sha256 IS NOT NULL
             UNION SELECT sha256 FROM withheld_blobs",
        )?;
        Ok(stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<_>>()?)
    }

    fn captures(&self) -> Result<Vec<Capture>, StoreError> {
        let conn = self.conn()?;
        let mut stmt = conn.prepare(
            // A withheld origin is never handed out: its public form is.
            "SELECT c.seq, c.sha256, COALESCE(w.public_origin, c.origin), c.media_type,
                    c.captured_at, c.size
             FROM captures c LEFT JOIN withheld_origins w ON w.capture_seq = c.seq
             ORDER BY c.seq",
        )?;
        Ok(stmt
            .query_map([], capture_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn verify(&self, progress: &mut dyn FnMut(u64)) -> Result<VerifyReport, StoreError> {
        let mut report = VerifyReport::default();
        let (blobs, problems, captures) = {
            let conn = self.conn()?;
            let blobs: Vec<(String, u64)> = conn
                .prepare("SELECT sha256, size FROM blobs ORDER BY sha256")?
                .query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?
                .collect::<rusqlite::Result<_>>()?;
            let mut problems = Vec::new();
            let mut stmt = conn.prepare(
                "SELECT c.seq, c.origin, c.sha256, c.size, b.size FROM captures c
                 LEFT JOIN blobs b ON b.sha256 = c.sha256
                 WHERE b.sha256 IS NULL OR b.size != c.size",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, Option<i64>>(4)?,
                ))
            })?;
            for row in rows {
                let (seq, origin, sha, size, blob_size) = row?;
                problems.push(match blob_size {
                    None => format!("capture {seq} ({origin}) points at missing blob {sha}"),
                    Some(b) => {
                        format!("capture {seq} ({origin}) records {size} bytes, blob {sha} has {b}")
                    }
                });
            }
            let mut stmt = conn.prepare(
                "SELECT d.id, d.capture_sha256 FROM documents d
                 LEFT JOIN blobs b ON b.sha256 = d.capture_sha256
                 WHERE d.capture_sha256 IS NOT NULL AND b.sha256 IS NULL",
            )?;
            for row in
                stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
            {
                let (id, sha) = row?;
                problems.push(format!("document {id} points at missing blob {sha}"));
            }
            let captures: u64 =
                conn.query_row("SELECT COUNT(*) FROM captures", [], |r| r.get::<_, i64>(0))? as u64;
            (blobs, problems, captures)
        };
        for (sha, size) in blobs {
            self.read_blob_stream(&sha, &mut |stream| {
                report.record(check_blob(&sha, size, stream));
                Ok(())
            })?;
            progress(report.bytes_checked);
        }
        report.problems = problems;
        report.captures_checked = captures;
        Ok(report)
    }

    fn counts(&self) -> Result<Counts, StoreError> {
        let conn = self.conn()?;
        let count = |sql: &str| -> Result<u64, StoreError> {
            Ok(conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64)
        };
        Ok(Counts {
            documents: count("SELECT COUNT(*) FROM documents")?,
            captures: count("SELECT COUNT(*) FROM captures")?,
            blobs: count("SELECT COUNT(*) FROM blobs")?,
            blob_bytes: count("SELECT COALESCE(SUM(size), 0) FROM blobs")?,
        })
    }

    fn put_extractions(&self, extractions: &[Extraction]) -> Result<(), StoreError> {
        let conn = self.conn()?;
        ledger_rows::put_extractions(&conn, extractions)
    }

    fn extraction_count(&self) -> Result<u64, StoreError> {
        let conn = self.conn()?;
        Ok(conn.query_row("SELECT COUNT(*) FROM extractions", [], |r| {
            r.get::<_, i64>(0)
        })? as u64)
    }

    fn for_each_extraction(
        &self,
        visit: &mut dyn FnMut(StoredExtraction) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        // Paged so the connection is not held while `visit` runs.
        let mut after = String::new();
        loop {
            let page = {
                let conn = self.conn()?;
                ledger_rows::extraction_page(&conn, &after, 1000)?
            };
            let Some(last) = page.last() else {
                return Ok(());
            };
            after = last.document_id.clone();
            for item in page {
                visit(item)?;
            }
        }
    }

    fn append_review_as(
        &self,
        token_id: Option<i64>,
        author: &str,
        reason: &str,
        action: ReviewAction,
    ) -> Result<Review, StoreError> {
        let conn = self.conn()?;
        ledger_rows::append_review(&conn, token_id, author, reason, action)
    }

    fn review_log(&self) -> Result<Vec<Review>, StoreError> {
        let conn = self.conn()?;
        ledger_rows::review_log(&conn)
    }

    fn replace_ledger(&self, ledger: &Ledger) -> Result<(), StoreError> {
        let conn = self.conn()?;
        ledger_rows::replace_ledger(&conn, ledger)
    }

    fn update_ledger(&self, old: &Ledger, new: &Ledger) -> Result<(), StoreError> {
        let conn = self.conn()?;
        ledger_rows::update_ledger(&conn, old, new)
    }

    fn apply_ledger_delta(&self, ledger: &Ledger, delta: &LedgerDelta) -> Result<(), StoreError> {
        let conn = self.conn()?;
        ledger_rows::apply_ledger_delta(&conn, ledger, delta)
    }

    fn ledger_generation(&self) -> Result<i64, StoreError> {
        let conn = self.conn()?;
        ledger_rows::ledger_generation(&conn)
    }

    fn ledger(&self) -> Result<Ledger, StoreError> {
        let conn = self.conn()?;
        ledger_rows::load_ledger(&conn)
    }

    fn replace_history(&self, history: &LedgerHistory) -> Result<(), StoreError> {
        crate::history::replace_history(&*self.conn()?, history)
    }

    fn put_tracker(
        &self,
        name: &str,
        file: &str,
        sha256: &str,
        rows: &[TrackerRow],
    ) -> Result<i64, StoreError> {
        crate::history::put_tracker(&*self.conn()?, name, file, sha256, rows)
    }

    fn latest_trackers(&self) -> Result<Vec<Tracker>, StoreError> {
        crate::history::latest_trackers(&*self.conn()?)
    }

    fn replace_tracker_comparisons(
        &self,
        comparisons: &[TrackerComparison],
    ) -> Result<(), StoreError> {
        crate::history::replace_comparisons(&*self.conn()?, comparisons)
    }

    fn create_token(&self, new: &crate::NewToken) -> Result<String, crate::TokenError> {
        let conn = self.conn()?;
        crate::tokens::create_token(&conn, new)
    }

    fn authenticate(&self, token: &str) -> Result<Option<crate::TokenInfo>, StoreError> {
        crate::tokens::authenticate(&*self.conn()?, token)
    }

    fn tokens(&self) -> Result<Vec<crate::TokenInfo>, StoreError> {
        crate::tokens::list_tokens(&*self.conn()?)
    }

    fn revoke_token(&self, id: i64) -> Result<bool, StoreError> {
        crate::tokens::revoke_token(&*self.conn()?, id)
    }

    fn write_posted_document(
        &self,
        document: &Document,
        capture: &Capture,
        token_id: Option<i64>,
        replaced_sha256: Option<&str>,
    ) -> Result<BatchOutcome, StoreError> {
        let conn = self.conn()?;
        let tx = conn.unchecked_transaction()?;
        let outcome = write_documents(&tx, std::slice::from_ref(document), Some(capture))?;
        tx.execute(
            "INSERT INTO document_writes (document_id, token_id, sha256, replaced_sha256, at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                document.id,
                token_id,
                capture.sha256,
                replaced_sha256,
                now()
            ],
        )?;
        tx.commit()?;
        Ok(outcome)
    }
}

/// A stored blob read a piece at a time, each piece in a read transaction
/// of its own. A stream is read while its reader writes what it finds (a
/// corpus file becomes documents and extractions): one handle open for the
/// whole stream held one read transaction for that long, no checkpoint
/// could pass it, and the write-ahead log grew by everything written
/// meanwhile (3.5 GB while a million documents were ingested from four
/// files). Reopening costs a walk of the blob's overflow chain up to the
/// piece, which pieces of 32 MiB keep to a few passes over a large blob.
struct BlobPieces<'a> {
    reader: &'a Mutex<Connection>,
    rowid: i64,
    size: u64,
    /// Where the next piece starts in the blob.
    next: u64,
    piece: Vec<u8>,
    /// How much of `piece` was consumed.
    at: usize,
}

impl BlobPieces<'_> {
    fn read_piece(&mut self) -> std::io::Result<()> {
        let left = self.size.saturating_sub(self.next);
        let want = usize::try_from(left).map_or(STREAM_PIECE, |l| l.min(STREAM_PIECE));
        self.piece.resize(want, 0);
        self.at = 0;
        let reader = self
            .reader
            .lock()
            .map_err(|_| std::io::Error::other("the store's reader is poisoned"))?;
        let blob = reader
            .blob_open(rusqlite::MAIN_DB, "blobs", "data", self.rowid, true)
            .map_err(std::io::Error::other)?;
        let offset = usize::try_from(self.next).map_err(std::io::Error::other)?;
        blob.read_at_exact(&mut self.piece, offset)
            .map_err(std::io::Error::other)?;
        self.next += want as u64;
        Ok(())
    }
}

impl std::io::Read for BlobPieces<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let available = std::io::BufRead::fill_buf(self)?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        std::io::BufRead::consume(self, n);
        Ok(n)
    }
}

impl std::io::BufRead for BlobPieces<'_> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        if self.at >= self.piece.len() && self.next < self.size {
            self.read_piece()?;
        }
        Ok(&self.piece[self.at..])
    }

    fn consume(&mut self, amount: usize) {
        self.at = (self.at + amount).min(self.piece.len());
    }
}
