//! Building the ledger from what the store holds, and re-extracting it all.

use std::time::{Duration, Instant};

use strikewatch_extract::Extractor;
use strikewatch_model::Extraction;
use strikewatch_model::ledger::Ledger;
use strikewatch_resolve::{
    DocMeta, ResolveConfig, ResolveInput, Resolver, SourceDocument, apply_reviews,
};
use strikewatch_store::{Store, StoreError, StoredExtraction};

use crate::PipelineError;

/// Extractions written per transaction.
pub(crate) const EXTRACTION_BATCH: usize = 500;

/// What a rebuild did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RebuildStats {
    pub documents: u64,
    pub incidents: u64,
    pub unplaced: u64,
    pub statements: u64,
    pub reconciliations: u64,
    pub reviews: u64,
    pub extract_time: Duration,
    pub resolve_time: Duration,
}

fn source_document(stored: StoredExtraction) -> SourceDocument {
    SourceDocument {
        meta: DocMeta {
            id: stored.document_id,
            url: stored.url,
            title: stored.title,
            published: stored.published,
            source: stored.source,
            source_kind: stored.source_kind,
        },
        extraction: stored.extraction,
    }
}

/// Every stored extraction, as resolution reads it.
pub fn load_input(store: &dyn Store) -> Result<ResolveInput, PipelineError> {
    // Sized once: grown by doubling, a million documents' entries would be
    // held twice over while the vector moves.
    let count = usize::try_from(store.extraction_count()?).unwrap_or(0);
    let mut input = ResolveInput {
        documents: Vec::with_capacity(count),
    };
    store.for_each_extraction(&mut |mut stored| {
        stored.extraction.shrink_to_fit();
        input.documents.push(source_document(stored));
        Ok(())
    })?;
    Ok(input)
}

/// Resolves every stored extraction and applies the review log.
pub fn build_ledger(store: &dyn Store) -> Result<Ledger, PipelineError> {
    let documents = load_input(store)?.documents;
    let machine = Resolver::from_documents(ResolveConfig::bundled()?, documents)?.into_ledger();
    let reviews = store.review_log()?;
    if reviews.is_empty() {
        return Ok(machine);
    }
    Ok(apply_reviews(&machine, &reviews)?)
}

/// Re-resolves from the stored extractions and reviews, and replaces the
/// stored ledger in one transaction (with its history and tracker
/// comparisons).
pub fn refresh_ledger(store: &dyn Store) -> Result<(), PipelineError> {
    crate::derived::refresh_ledger_and_history(store)?;
    Ok(())
}

/// Writes buffered extractions once a batch is full (or when `force`).
pub(crate) fn flush(
    store: &dyn Store,
    pending: &mut Vec<Extraction>,
    force: bool,
) -> Result<(), StoreError> {
    if !pending.is_empty() && (force || pending.len() >= EXTRACTION_BATCH) {
        store.put_extractions(pending)?;
        pending.clear();
    }
    Ok(())
}

/// Re-extracts every stored document with `extractor`, resolves, applies
/// the review log and persists the ledger.
pub fn rebuild(store: &dyn Store, extractor: &Extractor) -> Result<RebuildStats, PipelineError> {
    let started = Instant::now();
    let mut stats = RebuildStats::default();
    let mut pending = Vec::with_capacity(EXTRACTION_BATCH);
    store.for_each_document(&mut |doc| {
        pending.push(extractor.extract(&doc));
        stats.documents += 1;
        flush(store, &mut pending, false)
    })?;
    flush(store, &mut pending, true)?;
    stats.extract_time = started.elapsed();
    let resolving = Instant::now();
    let ledger = crate::derived::refresh_ledger_and_history(store)?;
    stats.resolve_time = resolving.elapsed();
    stats.incidents = ledger.incidents.len() as u64;
    stats.unplaced = ledger.unplaced.len() as u64;
    stats.statements = ledger.statements.len() as u64;
    stats.reconciliations = ledger.reconciliation.len() as u64;
    stats.reviews = ledger.review_log.len() as u64;
    Ok(stats)
}
