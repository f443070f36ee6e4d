//! `rebuild`: re-extract every stored document (after a lexicon change),
//! resolve, apply the review log and replace the stored ledger.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use strikewatch_extract::Extractor;

use super::open_store;

pub const EXAMPLES: &str = "Example:\n  strikewatch rebuild --db team.db\n\n\
The result is the same ledger a fresh ingest of the same documents gives.";

pub fn run(db: &str) -> anyhow::Result<ExitCode> {
    let store = open_store(db)?;
    let extractor = Extractor::embedded().context("loading the bundled lexicons")?;
    let started = Instant::now();
    let stats = strikewatch_pipeline::rebuild(store.as_ref(), &extractor)
        .context("rebuilding the ledger")?;
    let indexed = store
        .rebuild_search_index()
        .context("rebuilding the search index")?;
    say!(
        "rebuilt {} documents (lexicons {}): {} incidents, {} unplaced reports, {} statements, \
         {} reconciled totals, {} reviews applied, {} search entries; extract {:.1}s, resolve {:.1}s, \
         total {:.1}s",
        stats.documents,
        extractor.lexicon_version(),
        stats.incidents,
        stats.unplaced,
        stats.statements,
        stats.reconciliations,
        stats.reviews,
        indexed.documents + indexed.ledger_entries,
        stats.extract_time.as_secs_f64(),
        stats.resolve_time.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}
