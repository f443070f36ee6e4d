//! Writes through the site: the accounts behind write tokens and the
//! [`WriteBackend`] the site posts documents and reviews to.
//!
//! The web layer checks tokens and scopes and reads request bodies; the
//! pipeline's `StoreWriter` implements the backend over the store. Both see
//! only these types, so neither depends on the other.

use crate::ledger::Review;

/// Why a write failed.
#[derive(Debug)]
pub enum WriteError {
    /// The request body does not describe a valid document or review.
    Invalid(String),
    /// The document to replace is not stored.
    NotFound(String),
    /// The store failed.
    Backend(String),
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Invalid(why) => write!(f, "invalid input: {why}"),
            WriteError::NotFound(why) => write!(f, "not found: {why}"),
            WriteError::Backend(why) => write!(f, "backend: {why}"),
        }
    }
}

impl std::error::Error for WriteError {}

/// What a token may write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteScope {
    Documents,
    Reviews,
}

impl WriteScope {
    /// The scope's name as refusals state it.
    pub fn as_str(self) -> &'static str {
        match self {
            WriteScope::Documents => "documents",
            WriteScope::Reviews => "reviews",
        }
    }
}

/// The account behind a valid token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Writer {
    /// Recorded with every write it makes.
    pub token_id: i64,
    /// Signs its reviews; the login name never reaches the site.
    pub public_name: String,
    pub scopes: Vec<WriteScope>,
}

/// What a posted document became.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostedDocument {
    pub id: String,
    /// True when the post explicitly replaced a stored document.
    pub replaced: bool,
}

/// Where writes go. Calls are synchronous and may take a while (the caller
/// keeps them off its async workers); `authenticate` compares against
/// stored SHA-256 digests, never plain tokens, and refuses revoked and
/// expired tokens.
pub trait WriteBackend: Send + Sync {
    fn authenticate(&self, token: &str) -> Option<Writer>;
    /// Ingests one document (JSON in the corpus or model form) for `by`;
    /// a new id when its own is taken, unless `replace` names the document
    /// it explicitly replaces.
    fn ingest_document(
        &self,
        by: &Writer,
        json: serde_json::Value,
        replace: Option<&str>,
    ) -> Result<PostedDocument, WriteError>;
    /// Appends a review by `by` (signed with its public name); the backend
    /// assigns `seq` and returns the stored entry.
    fn add_review(&self, by: &Writer, review: Review) -> Result<Review, WriteError>;
}
