use strikewatch_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("resolution failed: {0}")]
    Resolve(#[from] strikewatch_resolve::ResolveError),
    #[error(transparent)]
    Ingest(#[from] strikewatch_ingest::IngestError),
    /// A posted document that cannot be read.
    #[error("invalid document: {0}")]
    InvalidDocument(String),
}
