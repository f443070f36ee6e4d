use strikewatch_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("resolution failed: {0}")]
    Resolve(#[from] strikewatch_resolve::ResolveError),
    #[error(transparent)]
    Ingest(#[from] strikewatch_ingest::IngestError),
    /// A post asked to replace a document that is not stored.
    #[error("no document {0} to replace")]
    NoSuchDocument(String),
    /// A posted document that cannot be read.
    #[error("invalid document: {0}")]
    InvalidDocument(String),
    /// A tracker file that cannot be read (names the file and line).
    #[error(transparent)]
    Tracker(#[from] strikewatch_resolve::trackers::TrackerError),
    #[error("{0}")]
    InvalidTracker(String),
    /// The stored ledger could not be read back.
    #[error("reading the stored ledger: {0}")]
    Read(String),
}
