//! A ledger kept in memory next to the store, for a long-running server:
//! a new document goes into an incremental [`Resolver`] (only the days it
//! can influence are re-resolved) and only what changed is written back.
//! The result is the ledger [`refresh_ledger`](crate::refresh_ledger) gives.

use strikewatch_extract::Extractor;
use strikewatch_model::ledger::{Ledger, Review, ReviewAction};
use strikewatch_resolve::{ResolveConfig, ResolveInput, Resolver, SourceDocument, apply_reviews};
use strikewatch_store::Store;

use crate::PipelineError;
use crate::ingest::store_json_document;
use crate::ledger::source_document;

pub struct LiveLedger {
    resolver: Resolver,
    reviews: Vec<Review>,
    /// What the store holds now.
    current: Ledger,
    /// The store's ledger generation right after this wrote it.
    generation: i64,
}

impl LiveLedger {
    /// Loads every stored extraction and the review log, and brings the
    /// stored ledger up to date with them.
    pub fn load(store: &dyn Store) -> Result<LiveLedger, PipelineError> {
        let mut input = ResolveInput::default();
        store.for_each_extraction(&mut |stored| {
            input.documents.push(source_document(stored));
            Ok(())
        })?;
        let resolver = Resolver::from_input(ResolveConfig::bundled()?, &input)?;
        drop(input);
        let mut live = LiveLedger {
            resolver,
            reviews: store.review_log()?,
            current: store.ledger()?,
            generation: 0,
        };
        live.persist(store)?;
        Ok(live)
    }

    pub fn ledger(&self) -> &Ledger {
        &self.current
    }

    /// False when another process wrote the ledger since this one did (a
    /// review or an ingest from the command line): reload before writing.
    pub fn is_current(&self, store: &dyn Store) -> Result<bool, PipelineError> {
        Ok(store.ledger_generation()? == self.generation)
    }

    fn build(&self) -> Result<Ledger, PipelineError> {
        let machine = self.resolver.ledger();
        if self.reviews.is_empty() {
            return Ok(machine);
        }
        Ok(apply_reviews(&machine, &self.reviews)?)
    }

    /// Writes the difference between the stored ledger and the rebuilt one.
    fn persist(&mut self, store: &dyn Store) -> Result<(), PipelineError> {
        let next = self.build()?;
        store.update_ledger(&self.current, &next)?;
        self.current = next;
        self.generation = store.ledger_generation()?;
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
        let (document, extraction) = store_json_document(store, extractor, json)?;
        self.resolver
            .add(SourceDocument::new(&document, extraction));
        self.persist(store)?;
        Ok(document.id)
    }

    /// Appends a review to the log and applies it.
    pub fn add_review(
        &mut self,
        store: &dyn Store,
        author: &str,
        reason: &str,
        action: ReviewAction,
    ) -> Result<Review, PipelineError> {
        let review = store.append_review(author, reason, action)?;
        self.reviews.push(review.clone());
        self.persist(store)?;
        Ok(review)
    }
}
