//! Storage for strikewatch. Nothing outside this crate speaks SQL.
//!
//! Callers use the [`Store`] trait and open a backend from a [`DbLocation`]
//! (`--db PATH` or `--db postgres://…`). SQLite is the embedded default and
//! keeps everything, blobs included, in one file. PostgreSQL is recognised
//! but not built yet; adding it means one more implementation of [`Store`].

mod error;
mod history;
mod http_log;
mod ledger_rows;
mod location;
mod migrations;
mod read;
mod search_sync;
mod sqlite;
mod store;
mod tokens;
mod versions;

pub use error::StoreError;
pub use http_log::{HttpExchange, HttpLog, UrlState, WatchState};
pub use location::DbLocation;
pub use migrations::{MIGRATIONS, Migration};
pub use search_sync::SearchSync;
pub use sqlite::SqliteStore;
pub use store::{BatchOutcome, Counts, Store, StoredExtraction};
pub use tokens::{NewToken, Scope, TokenError, TokenInfo, TokenRefused, hash_token};
pub use versions::NewDocumentVersion;

/// Opens (creating and migrating when needed) the store at `location`.
pub fn open(location: &DbLocation) -> Result<Box<dyn Store>, StoreError> {
    match location {
        DbLocation::Sqlite(path) => Ok(Box::new(SqliteStore::open(path)?)),
        DbLocation::Postgres(url) => Err(StoreError::BackendNotBuilt {
            backend: "postgres",
            location: location::redact(url),
        }),
    }
}
