use thiserror::Error;

#[derive(Debug, Error)]
pub enum ExportError {
    #[error("csv: {0}")]
    Csv(#[from] csv::Error),
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    /// A table read back does not fit the ledger (e.g. a report row naming
    /// an incident that is not in the incidents table).
    #[error("{table}: {message}")]
    Shape {
        table: &'static str,
        message: String,
    },
}

pub type ExportResult<T> = Result<T, ExportError>;
