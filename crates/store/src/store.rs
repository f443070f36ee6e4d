//! The storage interface every backend implements.

use chrono::NaiveDate;
use strikewatch_archive::{Capture, VerifyReport};
use strikewatch_model::ledger::{Ledger, LedgerDelta, Review, ReviewAction};
use strikewatch_model::read::LedgerRead;
use strikewatch_model::tracking::{LedgerHistory, Tracker, TrackerComparison, TrackerRow};
use strikewatch_model::{Document, Extraction, SourceKind};

use crate::StoreError;

/// What one written batch changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchOutcome {
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// True when the batch recorded a new capture.
    pub capture_recorded: bool,
}

impl BatchOutcome {
    pub fn absorb(&mut self, other: BatchOutcome) {
        self.added += other.added;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
        self.capture_recorded |= other.capture_recorded;
    }
}

/// Sizes of what the store holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub documents: u64,
    pub captures: u64,
    pub blobs: u64,
    pub blob_bytes: u64,
}

/// A stored extraction with the document metadata resolution needs (the
/// text stays in the store).
#[derive(Debug, Clone, PartialEq)]
pub struct StoredExtraction {
    pub document_id: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub published: Option<NaiveDate>,
    pub source: Option<String>,
    pub source_kind: SourceKind,
    pub extraction: Extraction,
}

/// The storage interface. Methods take `&self` so a stored blob can be
/// streamed while documents from it are being written. The read side of the
/// ledger is [`LedgerRead`].
pub trait Store: LedgerRead + Send + Sync {
    /// `sqlite`, later `postgres`.
    fn backend(&self) -> &'static str;

    /// The highest applied migration.
    fn schema_version(&self) -> Result<i64, StoreError>;

    /// Brings the search index up to date with what is stored (searches do
    /// this themselves; calling it ahead spares the first search the wait).
    fn sync_search_index(&self) -> Result<crate::SearchSync, StoreError> {
        Ok(crate::SearchSync::default())
    }

    /// Empties the search index and fills it again from what is stored.
    fn rebuild_search_index(&self) -> Result<crate::SearchSync, StoreError> {
        Ok(crate::SearchSync::default())
    }

    /// True when this exact retrieval (same origin, same bytes) is recorded.
    fn has_capture(&self, origin: &str, sha256: &str) -> Result<bool, StoreError>;

    /// Stores `size` bytes read from `bytes` under `sha256`, unless a blob
    /// with that address exists (then nothing is read). The bytes are hashed
    /// while stored; if they do not match, nothing is kept and
    /// [`StoreError::ContentChanged`] is returned. Returns true when stored.
    fn put_blob(
        &self,
        sha256: &str,
        size: u64,
        bytes: &mut dyn std::io::Read,
    ) -> Result<bool, StoreError>;

    /// Copies stored bytes starting at `offset` into `buf`; returns how many
    /// (0 at the end).
    fn read_blob_at(&self, sha256: &str, offset: u64, buf: &mut [u8]) -> Result<usize, StoreError>;

    /// Streams the blob stored under `sha256` to `visit` in one pass. The
    /// stream uses its own read connection, so `visit` may write to the
    /// store meanwhile.
    fn read_blob_stream(
        &self,
        sha256: &str,
        visit: &mut dyn FnMut(&mut dyn std::io::BufRead) -> Result<(), StoreError>,
    ) -> Result<(), StoreError>;

    /// Size of the blob stored under `sha256`, if any.
    fn blob_size(&self, sha256: &str) -> Result<Option<u64>, StoreError>;

    /// In one transaction: upserts `documents` (a document whose fields are
    /// unchanged is left alone) and, when given, records `capture`.
    fn write_batch(
        &self,
        documents: &[Document],
        capture: Option<&Capture>,
    ) -> Result<BatchOutcome, StoreError>;

    fn document(&self, id: &str) -> Result<Option<Document>, StoreError>;

    /// Calls `visit` for every document in id order.
    fn for_each_document(
        &self,
        visit: &mut dyn FnMut(Document) -> Result<(), StoreError>,
    ) -> Result<(), StoreError>;

    /// Every capture record in recording order.
    fn captures(&self) -> Result<Vec<Capture>, StoreError>;

    /// Re-hashes every blob and checks that captures and documents point at
    /// stored blobs. `progress` gets the bytes checked after each blob.
    fn verify(&self, progress: &mut dyn FnMut(u64)) -> Result<VerifyReport, StoreError>;

    fn counts(&self) -> Result<Counts, StoreError>;

    /// Replaces the stored extractions of these documents (by `Extraction::id`)
    /// in one transaction.
    fn put_extractions(&self, extractions: &[Extraction]) -> Result<(), StoreError>;

    /// How many documents have a stored extraction.
    fn extraction_count(&self) -> Result<u64, StoreError>;

    /// Calls `visit` for every stored extraction, in document id order.
    fn for_each_extraction(
        &self,
        visit: &mut dyn FnMut(StoredExtraction) -> Result<(), StoreError>,
    ) -> Result<(), StoreError>;

    /// Appends one entry to the review log (which refuses UPDATE and
    /// DELETE); the store assigns `seq` and the time.
    fn append_review(
        &self,
        author: &str,
        reason: &str,
        action: ReviewAction,
    ) -> Result<Review, StoreError> {
        self.append_review_as(None, author, reason, action)
    }

    /// Like [`Store::append_review`], recording the token that wrote it.
    fn append_review_as(
        &self,
        token_id: Option<i64>,
        author: &str,
        reason: &str,
        action: ReviewAction,
    ) -> Result<Review, StoreError>;

    /// The whole review log in `seq` order.
    fn review_log(&self) -> Result<Vec<Review>, StoreError>;

    /// Replaces the stored ledger in one transaction.
    fn replace_ledger(&self, ledger: &Ledger) -> Result<(), StoreError>;

    /// Moves the stored ledger from `old` (which must be what is stored) to
    /// `new` in one transaction, writing only incidents that changed and
    /// the other sections only when they changed.
    fn update_ledger(&self, old: &Ledger, new: &Ledger) -> Result<(), StoreError>;

    /// Writes what `delta` names from `ledger` (the ledger after the
    /// change) in one transaction; the stored ledger must be the one the
    /// delta was made from. A delta marked `whole` replaces the ledger.
    fn apply_ledger_delta(&self, ledger: &Ledger, delta: &LedgerDelta) -> Result<(), StoreError>;

    /// A number that changes with every write of the stored ledger (by any
    /// process), so a copy held in memory can tell it is out of date.
    fn ledger_generation(&self) -> Result<i64, StoreError>;

    /// The stored ledger, reviews applied (as it was last persisted).
    fn ledger(&self) -> Result<Ledger, StoreError>;

    /// Replaces the stored history of the ledger (changes, versions of
    /// incidents and reconciliation rows, days).
    fn replace_history(&self, history: &LedgerHistory) -> Result<(), StoreError>;

    /// Stores a new version of tracker `name` (the file it came from, the
    /// SHA-256 of its bytes, its rows); returns the version number.
    fn put_tracker(
        &self,
        name: &str,
        file: &str,
        sha256: &str,
        rows: &[TrackerRow],
    ) -> Result<i64, StoreError>;

    /// The latest version of every tracker, by name.
    fn latest_trackers(&self) -> Result<Vec<Tracker>, StoreError>;

    /// Replaces the stored comparisons of trackers with the ledger.
    fn replace_tracker_comparisons(
        &self,
        comparisons: &[TrackerComparison],
    ) -> Result<(), StoreError>;

    /// SHA-256 addresses of the blobs that back a private document: their
    /// bytes are never published (a corpus file holding one private line is
    /// withheld whole).
    fn withheld_blobs(&self) -> Result<std::collections::BTreeSet<String>, StoreError>;

    /// The stored ledger as it may be published: reviews applied, private
    /// documents taken out ([`strikewatch_model::public`]).
    fn public_ledger(&self) -> Result<Ledger, StoreError> {
        let mut ledger = self.ledger()?;
        let np = self
            .non_public()
            .map_err(|e| StoreError::Malformed(e.to_string()))?;
        strikewatch_model::public::redact_ledger(&mut ledger, &np);
        Ok(ledger)
    }

    /// Makes a new API token (a write account); returns the plain token,
    /// which is shown once: only its SHA-256 is stored.
    fn create_token(&self, new: &crate::NewToken) -> Result<String, crate::TokenError>;

    /// The account `token` belongs to, when it is known, not revoked and
    /// not expired.
    fn authenticate(&self, token: &str) -> Result<Option<crate::TokenInfo>, StoreError>;

    /// True when `token` may write (see [`Store::authenticate`]).
    fn token_is_valid(&self, token: &str) -> Result<bool, StoreError> {
        Ok(self.authenticate(token)?.is_some())
    }

    /// Every token ever made, revoked and expired ones included, by id.
    fn tokens(&self) -> Result<Vec<crate::TokenInfo>, StoreError>;

    /// Revokes token `id` from the next request on; false when it was not
    /// an active token.
    fn revoke_token(&self, id: i64) -> Result<bool, StoreError>;

    /// Stores one posted document (by token `token_id`, when posted
    /// through the API) in one transaction
    /// with its capture and a row of the append-only write log
    /// (`replaced_sha256`: what the document was stored from before, for an
    /// explicit replacement).
    fn write_posted_document(
        &self,
        document: &Document,
        capture: &Capture,
        token_id: Option<i64>,
        replaced_sha256: Option<&str>,
    ) -> Result<BatchOutcome, StoreError>;

    /// The live-capture log (HTTP exchanges, URL and watch state), when
    /// this backend keeps one.
    fn http_log(&self) -> Option<&dyn crate::HttpLog> {
        None
    }
}
