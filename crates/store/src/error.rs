use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("cannot open database {path}: {source}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("the {backend} backend is not built yet ({location}); use a SQLite file path for --db")]
    BackendNotBuilt {
        backend: &'static str,
        location: String,
    },
    #[error("database schema version {found} is newer than this program knows ({known})")]
    NewerSchema { found: i64, known: i64 },
    #[error("bytes for {expected} changed while being stored (now {actual}, {size} bytes)")]
    ContentChanged {
        expected: String,
        actual: String,
        size: u64,
    },
    #[error("blob of {size} bytes is larger than the store accepts ({limit})")]
    TooLarge { size: u64, limit: u64 },
    #[error("no blob stored under {0}")]
    MissingBlob(String),
    #[error("reading input: {0}")]
    Io(#[from] std::io::Error),
    #[error("stored row is malformed: {0}")]
    Malformed(String),
    #[error("the database connection was poisoned by an earlier panic")]
    Poisoned,
    #[error("stored JSON is malformed: {0}")]
    Json(#[from] serde_json::Error),
    #[error(transparent)]
    Search(#[from] strikewatch_search::SearchError),
    #[error("no random source for a token: {0}")]
    Random(String),
}
