//! A ledger kept in memory next to the store, for a long-running server:
//! a new document goes into an incremental [`Resolver`] (only the days it
//! can influence are re-resolved) and only what changed is written back.
//! The result is the ledger [`refresh_ledger`](crate::refresh_ledger) gives.

use strikewatch_extract::Extractor;
use strikewatch_model::ledger::{Ledger, LedgerDelta, Review, ReviewAction};
use strikewatch_resolve::{LiveResolver, ResolveConfig, Resolver, SourceDocument};
use strikewatch_store::Store;

use crate::PipelineError;
use crate::ingest::{Post, Posted, store_json_document};
use crate::ledger::load_input;

pub struct LiveLedger {
    live: LiveResolver,
    /// The store's ledger generation right after this wrote it.
    generation: i64,
}

impl LiveLedger {
    /// Loads every stored extraction and the review log, and brings the
    /// stored ledger up to date with them.
    pub fn load(store: &dyn Store) -> Result<LiveLedger, PipelineError> {
        let input = load_input(store)?;
        let resolver = Resolver::from_documents(ResolveConfig::bundled()?, input.documents)?;
        let live = LiveResolver::new(resolver, store.review_log()?);
        let stored = store.ledger()?;
        if stored != *live.ledger() {
            store.update_ledger(&stored, live.ledger())?;
            crate::derived::refresh_history(store)?;
        }
        let generation = Store::ledger_generation(store)?;
        Ok(LiveLedger { live, generation })
    }

    pub fn ledger(&self) -> &Ledger {
        self.live.ledger()
    }

    /// False when another process wrote the ledger since this one did (a
    /// review or an ingest from the command line): reload before writing.
    pub fn is_current(&self, store: &dyn Store) -> Result<bool, PipelineError> {
        Ok(Store::ledger_generation(store)? == self.generation)
    }

    /// Writes what changed.
    fn persist(&mut self, store: &dyn Store, delta: &LedgerDelta) -> Result<(), PipelineError> {
        store.apply_ledger_delta(self.live.ledger(), delta)?;
        if !delta.is_empty() {
            crate::derived::refresh_history(store)?;
        }
        self.generation = Store::ledger_generation(store)?;
        Ok(())
    }

    /// Archives, stores and extracts one posted corpus-format document and
    /// updates the ledger incrementally. Returns the document id.
    pub fn ingest_json(
        &mut self,
        store: &dyn Store,
        extractor: &Extractor,
        json: &serde_json::Value,
    ) -> Result<String, PipelineError> {
        Ok(self
            .ingest_post(store, extractor, json, &Post::default())?
            .id)
    }

    /// Like [`LiveLedger::ingest_json`] for a post through the API: by a
    /// token, maybe an explicit replacement (see [`Post`]).
    pub fn ingest_post(
        &mut self,
        store: &dyn Store,
        extractor: &Extractor,
        json: &serde_json::Value,
        post: &Post<'_>,
    ) -> Result<Posted, PipelineError> {
        let (document, extraction, replaced) = store_json_document(store, extractor, json, post)?;
        // A replaced document's old reports leave with it (`add` replaces
        // the document with the same id).
        let delta = self.live.add(SourceDocument::new(&document, extraction));
        self.persist(store, &delta)?;
        Ok(Posted {
            id: document.id,
            replaced,
        })
    }

    /// Adds one already stored document's extraction and writes the change.
    pub fn add_document(
        &mut self,
        store: &dyn Store,
        document: SourceDocument,
    ) -> Result<LedgerDelta, PipelineError> {
        let delta = self.live.add(document);
        self.persist(store, &delta)?;
        Ok(delta)
    }

    /// Appends a review to the log and applies it.
    pub fn add_review(
        &mut self,
        store: &dyn Store,
        author: &str,
        reason: &str,
        action: ReviewAction,
    ) -> Result<Review, PipelineError> {
        self.add_review_as(store, None, author, reason, action)
    }

    /// Like [`LiveLedger::add_review`], recording the token that wrote it.
    pub fn add_review_as(
        &mut self,
        store: &dyn Store,
        token_id: Option<i64>,
        author: &str,
        reason: &str,
        action: ReviewAction,
    ) -> Result<Review, PipelineError> {
        let review = store.append_review_as(token_id, author, reason, action)?;
        let delta = self.live.add_review(review.clone());
        self.persist(store, &delta)?;
        Ok(review)
    }
}
