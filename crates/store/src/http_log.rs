//! The live-capture log: HTTP exchanges (append-only), the state of each
//! captured URL, and the state of each watched source.

use rusqlite::{OptionalExtension, Row, params};

use crate::StoreError;
use crate::sqlite::SqliteStore;

/// One HTTP request and its response (or the error that replaced it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HttpExchange {
    /// Assigned by the store; 0 before.
    pub seq: i64,
    pub requested_url: String,
    /// 0 for the first request, 1.. for each redirect followed.
    pub hop: u32,
    pub url: String,
    pub method: String,
    /// RFC 3339 UTC.
    pub started_at: String,
    /// Request line and headers as sent, CRLF-separated, ending in a blank line.
    pub request_head: String,
    pub status: Option<u16>,
    /// Status line and headers as received, CRLF-separated, ending in a blank line.
    pub response_head: Option<String>,
    pub body_sha256: Option<String>,
    pub body_size: Option<u64>,
    pub media_type: Option<String>,
    /// `ok`, `redirect`, `not_modified`, `gone`, `http_error` or `error`.
    pub outcome: String,
    pub error: Option<String>,
}

/// What is known about one captured URL now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UrlState {
    pub url: String,
    /// `live`, `gone` or `failing`.
    pub state: String,
    pub final_url: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub body_sha256: Option<String>,
    /// Distinct bodies seen for this URL.
    pub versions: i64,
    pub first_seen: String,
    pub last_seen: String,
    pub last_changed: Option<String>,
    pub gone_since: Option<String>,
    pub last_status: Option<u16>,
    pub note: Option<String>,
}

/// Where a watched source stands between runs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WatchState {
    pub name: String,
    pub url: String,
    /// RFC 3339 UTC.
    pub next_due: String,
    pub failures: u32,
    pub last_run: Option<String>,
    pub last_result: Option<String>,
}

/// Storage for live capture. Backends that support it return themselves
/// from [`crate::Store::http_log`].
pub trait HttpLog: Send + Sync {
    /// Appends one exchange; returns its sequence number. The body blob, if
    /// any, must already be stored.
    fn record_exchange(&self, exchange: &HttpExchange) -> Result<i64, StoreError>;

    /// Every exchange in recording order.
    fn exchanges(&self) -> Result<Vec<HttpExchange>, StoreError>;

    /// Exchanges made for one requested URL, in order.
    fn exchanges_for(&self, requested_url: &str) -> Result<Vec<HttpExchange>, StoreError>;

    fn url_state(&self, url: &str) -> Result<Option<UrlState>, StoreError>;

    /// Inserts or replaces the state of `state.url`.
    fn put_url_state(&self, state: &UrlState) -> Result<(), StoreError>;

    /// Every URL state, by URL.
    fn url_states(&self) -> Result<Vec<UrlState>, StoreError>;

    fn watch_state(&self, name: &str) -> Result<Option<WatchState>, StoreError>;

    fn put_watch_state(&self, state: &WatchState) -> Result<(), StoreError>;

    /// Adds a captured text as the next version of its document, unless the
    /// latest version already holds it; the statements are copied from the
    /// document's stored extraction. Returns the version number added.
    fn record_document_version(
        &self,
        version: &crate::NewDocumentVersion,
    ) -> Result<Option<u32>, StoreError>;

    /// The versions of one document, texts included, and its URL's state.
    fn document_history(
        &self,
        document_id: &str,
    ) -> Result<Option<strikewatch_model::versions::DocumentHistory>, StoreError>;
}

const EXCHANGE_COLUMNS: &str = "seq, requested_url, hop, url, method, started_at, request_head, \
     status, response_head, body_sha256, body_size, media_type, outcome, error";

fn exchange_from_row(row: &Row<'_>) -> rusqlite::Result<HttpExchange> {
    Ok(HttpExchange {
        seq: row.get(0)?,
        requested_url: row.get(1)?,
        hop: row.get::<_, i64>(2)? as u32,
        url: row.get(3)?,
        method: row.get(4)?,
        started_at: row.get(5)?,
        request_head: row.get(6)?,
        status: row.get::<_, Option<i64>>(7)?.map(|s| s as u16),
        response_head: row.get(8)?,
        body_sha256: row.get(9)?,
        body_size: row.get::<_, Option<i64>>(10)?.map(|s| s as u64),
        media_type: row.get(11)?,
        outcome: row.get(12)?,
        error: row.get(13)?,
    })
}

const URL_COLUMNS: &str = "url, state, final_url, etag, last_modified, body_sha256, versions, \
     first_seen, last_seen, last_changed, gone_since, last_status, note";

fn url_state_from_row(row: &Row<'_>) -> rusqlite::Result<UrlState> {
    Ok(UrlState {
        url: row.get(0)?,
        state: row.get(1)?,
        final_url: row.get(2)?,
        etag: row.get(3)?,
        last_modified: row.get(4)?,
        body_sha256: row.get(5)?,
        versions: row.get(6)?,
        first_seen: row.get(7)?,
        last_seen: row.get(8)?,
        last_changed: row.get(9)?,
        gone_since: row.get(10)?,
        last_status: row.get::<_, Option<i64>>(11)?.map(|s| s as u16),
        note: row.get(12)?,
    })
}

impl HttpLog for SqliteStore {
    fn record_document_version(
        &self,
        version: &crate::NewDocumentVersion,
    ) -> Result<Option<u32>, StoreError> {
        crate::versions::record(&*self.conn()?, version)
    }

    fn document_history(
        &self,
        document_id: &str,
    ) -> Result<Option<strikewatch_model::versions::DocumentHistory>, StoreError> {
        crate::versions::history(&*self.conn()?, document_id, true)
    }

    fn record_exchange(&self, e: &HttpExchange) -> Result<i64, StoreError> {
        let conn = self.conn()?;
        conn.prepare_cached(
            "INSERT INTO http_exchanges (requested_url, hop, url, method, started_at,
                 request_head, status, response_head, body_sha256, body_size, media_type,
                 outcome, error)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )?
        .execute(params![
            e.requested_url,
            e.hop,
            e.url,
            e.method,
            e.started_at,
            e.request_head,
            e.status,
            e.response_head,
            e.body_sha256,
            e.body_size.map(|s| s as i64),
            e.media_type,
            e.outcome,
            e.error,
        ])?;
        Ok(conn.last_insert_rowid())
    }

    fn exchanges(&self) -> Result<Vec<HttpExchange>, StoreError> {
        let conn = self.conn()?;
        let sql = format!("SELECT {EXCHANGE_COLUMNS} FROM http_exchanges ORDER BY seq");
        let rows = conn
            .prepare(&sql)?
            .query_map([], exchange_from_row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    fn exchanges_for(&self, requested_url: &str) -> Result<Vec<HttpExchange>, StoreError> {
        let conn = self.conn()?;
        let sql = format!(
            "SELECT {EXCHANGE_COLUMNS} FROM http_exchanges WHERE requested_url = ?1 ORDER BY seq"
        );
        let rows = conn
            .prepare_cached(&sql)?
            .query_map([requested_url], exchange_from_row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    fn url_state(&self, url: &str) -> Result<Option<UrlState>, StoreError> {
        let conn = self.conn()?;
        let sql = format!("SELECT {URL_COLUMNS} FROM url_states WHERE url = ?1");
        Ok(conn
            .prepare_cached(&sql)?
            .query_row([url], url_state_from_row)
            .optional()?)
    }

    fn put_url_state(&self, s: &UrlState) -> Result<(), StoreError> {
        let conn = self.conn()?;
        let tx = conn.unchecked_transaction()?;
        let before: Option<String> = tx
            .prepare_cached("SELECT state FROM url_states WHERE url = ?1")?
            .query_row([&s.url], |r| r.get(0))
            .optional()?;
        // A page going (or coming back) marks its statements deleted (or
        // not): what is published changed, so the generation moves.
        if before.is_some_and(|b| (b == "gone") != (s.state == "gone")) {
            crate::ledger_rows::bump_generation(&tx)?;
        }
        tx.prepare_cached(
            "INSERT OR REPLACE INTO url_states (url, state, final_url, etag, last_modified,
                 body_sha256, versions, first_seen, last_seen, last_changed, gone_since,
                 last_status, note)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )?
        .execute(params![
            s.url,
            s.state,
            s.final_url,
            s.etag,
            s.last_modified,
            s.body_sha256,
            s.versions,
            s.first_seen,
            s.last_seen,
            s.last_changed,
            s.gone_since,
            s.last_status,
            s.note,
        ])?;
        tx.commit()?;
        Ok(())
    }

    fn url_states(&self) -> Result<Vec<UrlState>, StoreError> {
        let conn = self.conn()?;
        let sql = format!("SELECT {URL_COLUMNS} FROM url_states ORDER BY url");
        let rows = conn
            .prepare(&sql)?
            .query_map([], url_state_from_row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    fn watch_state(&self, name: &str) -> Result<Option<WatchState>, StoreError> {
        let conn = self.conn()?;
        Ok(conn
            .prepare_cached(
                "SELECT name, url, next_due, failures, last_run, last_result
                 FROM watch_sources WHERE name = ?1",
            )?
            .query_row([name], |r| {
                Ok(WatchState {
                    name: r.get(0)?,
                    url: r.get(1)?,
                    next_due: r.get(2)?,
                    failures: r.get::<_, i64>(3)? as u32,
                    last_run: r.get(4)?,
                    last_result: r.get(5)?,
                })
            })
            .optional()?)
    }

    fn put_watch_state(&self, s: &WatchState) -> Result<(), StoreError> {
        let conn = self.conn()?;
        conn.prepare_cached(
            "INSERT OR REPLACE INTO watch_sources (name, url, next_due, failures, last_run,
                 last_result) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute(params![
            s.name,
            s.url,
            s.next_due,
            s.failures,
            s.last_run,
            s.last_result
        ])?;
        Ok(())
    }
}
