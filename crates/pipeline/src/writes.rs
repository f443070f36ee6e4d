//! Writes from the site, over the store: the one [`WriteBackend`] behind
//! `serve --writes`. Documents go through the full pipeline (archive,
//! extraction, ledger update); reviews are appended to the log and applied.

use std::sync::{Arc, Mutex};

use strikewatch_extract::Extractor;
use strikewatch_model::ledger::Review;
use strikewatch_model::writes::{PostedDocument, WriteBackend, WriteError, WriteScope, Writer};
use strikewatch_store::{Scope, Store};

use crate::{LiveLedger, PipelineError, Post};

/// Tokens are checked by the store; documents and reviews are applied to a
/// [`LiveLedger`] held in memory after the first write, so each later write
/// re-resolves only what it touches. A ledger written meanwhile by another
/// process is loaded again before the next write.
pub struct StoreWriter {
    store: Arc<dyn Store>,
    extractor: Extractor,
    /// One write at a time; loaded on the first write.
    live: Mutex<Option<LiveLedger>>,
}

impl StoreWriter {
    pub fn new(store: Arc<dyn Store>, extractor: Extractor) -> Self {
        StoreWriter {
            store,
            extractor,
            live: Mutex::new(None),
        }
    }

    /// Loads the ledger for writes now (a server calls it in the background
    /// at start-up), so the first write does not wait for it.
    pub fn load_ledger(&self) -> Result<(), WriteError> {
        self.with_live(|_, _| Ok(()))
    }

    /// Runs one write on the live ledger, loaded first when it is missing
    /// or stale.
    fn with_live<T>(
        &self,
        write: impl FnOnce(&mut LiveLedger, &dyn Store) -> Result<T, PipelineError>,
    ) -> Result<T, WriteError> {
        let mut slot = self.live.lock().map_err(backend)?;
        let stale = match slot.as_ref() {
            Some(live) => !live.is_current(self.store.as_ref()).map_err(backend)?,
            None => true,
        };
        if stale {
            *slot = Some(LiveLedger::load(self.store.as_ref()).map_err(backend)?);
        }
        let Some(live) = slot.as_mut() else {
            return Err(WriteError::Backend("ledger not loaded".into()));
        };
        let result = write(live, self.store.as_ref());
        if result.is_err() {
            // The store may now differ from what is held: reload next time.
            *slot = None;
        }
        result.map_err(|e| match e {
            PipelineError::InvalidDocument(m) => WriteError::Invalid(m),
            e @ PipelineError::NoSuchDocument(_) => WriteError::NotFound(e.to_string()),
            other => backend(other),
        })
    }
}

fn backend(e: impl std::fmt::Display) -> WriteError {
    WriteError::Backend(e.to_string())
}

impl WriteBackend for StoreWriter {
    fn authenticate(&self, token: &str) -> Option<Writer> {
        // A store failure refuses the write rather than allowing it.
        let account = self.store.authenticate(token).ok().flatten()?;
        let scopes = account
            .scopes
            .iter()
            .map(|s| match s {
                Scope::Documents => WriteScope::Documents,
                Scope::Reviews => WriteScope::Reviews,
            })
            .collect();
        Some(Writer {
            token_id: account.id,
            public_name: account.public_name,
            scopes,
        })
    }

    fn ingest_document(
        &self,
        by: &Writer,
        json: serde_json::Value,
        replace: Option<&str>,
    ) -> Result<PostedDocument, WriteError> {
        let post = Post {
            token_id: Some(by.token_id),
            replace,
        };
        let posted =
            self.with_live(|live, store| live.ingest_post(store, &self.extractor, &json, &post))?;
        if posted.replaced {
            tracing::info!(document = %posted.id, token = by.token_id, "document replaced");
        }
        Ok(PostedDocument {
            id: posted.id,
            replaced: posted.replaced,
        })
    }

    fn add_review(&self, by: &Writer, review: Review) -> Result<Review, WriteError> {
        // Signed by the token's public name, whatever the body said.
        let author = by.public_name.trim();
        let reason = review.reason.trim();
        if author.is_empty() || reason.is_empty() {
            return Err(WriteError::Invalid(
                "a review needs an author and a reason".into(),
            ));
        }
        self.with_live(|live, store| {
            live.add_review_as(
                store,
                Some(by.token_id),
                author,
                reason,
                review.action.clone(),
            )
        })
    }
}
