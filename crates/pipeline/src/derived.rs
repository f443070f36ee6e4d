//! What is derived from the ledger beside it: its dated history (replayed
//! from the stored extractions and the review log) and the comparison of
//! every imported tracker with it. Written whenever the ledger is.

use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use strikewatch_model::ledger::{Incident, Ledger};
use strikewatch_model::tracking::TrackerComparison;
use strikewatch_resolve::history::{Replay, history_of, replay};
use strikewatch_resolve::trackers::{check_tracker_name, compare_tracker, parse_tracker_csv};
use strikewatch_resolve::{ResolveConfig, apply_reviews};
use strikewatch_store::Store;

use crate::PipelineError;
use crate::ledger::load_input;

/// Resolves every stored extraction, applies the review log, replays the
/// history, compares the trackers, and stores it all (history and
/// comparisons first, so a reader of the new ledger finds them).
///
/// One replay gives both the history and the machine ledger (its resolver
/// at the end of the last day), so the extractions are held once, moved
/// into that resolver, and resolved once.
pub fn refresh_ledger_and_history(store: &dyn Store) -> Result<Ledger, PipelineError> {
    let started = Instant::now();
    let input = load_input(store)?;
    let documents = input.documents.len();
    let reviews = store.review_log()?;
    let cfg = ResolveConfig::bundled()?;
    let loaded = Instant::now();
    let Replay { history, machine } = replay(input, &reviews, &cfg)?;
    let replayed = Instant::now();
    store.replace_history(&history)?;
    drop(history);
    let ledger = if reviews.is_empty() {
        machine
    } else {
        apply_reviews(&machine, &reviews)?
    };
    refresh_comparisons(store, &ledger.incidents)?;
    store.replace_ledger(&ledger)?;
    tracing::info!(
        documents,
        load_s = secs(loaded - started),
        resolve_and_history_s = secs(replayed - loaded),
        store_s = secs(replayed.elapsed()),
        "ledger and history refreshed"
    );
    Ok(ledger)
}

fn secs(d: Duration) -> f64 {
    (d.as_secs_f64() * 100.0).round() / 100.0
}

/// Recomputes the history and the tracker comparisons from what the store
/// holds (after a write that updated the ledger by a delta).
pub fn refresh_history(store: &dyn Store) -> Result<(), PipelineError> {
    let input = load_input(store)?;
    let reviews = store.review_log()?;
    let cfg = ResolveConfig::bundled()?;
    store.replace_history(&history_of(input, &reviews, &cfg)?)?;
    let incidents = store
        .incidents(&strikewatch_model::read::Filter::default())
        .map_err(|e| PipelineError::Read(e.to_string()))?;
    refresh_comparisons(store, &incidents)
}

/// Compares the latest version of every tracker with `incidents`.
pub fn refresh_comparisons(store: &dyn Store, incidents: &[Incident]) -> Result<(), PipelineError> {
    let comparisons: Vec<TrackerComparison> = store
        .latest_trackers()?
        .iter()
        .map(|t| compare_tracker(t, incidents))
        .collect();
    store.replace_tracker_comparisons(&comparisons)?;
    Ok(())
}

/// The SHA-256 of a tracker file, as stored with each version.
pub fn file_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What one tracker import stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackerImport {
    pub name: String,
    pub version: i64,
    pub rows: usize,
    pub comparison: TrackerComparison,
}

/// Reads a tracker CSV (`file` names it in errors), stores it as a new
/// version of `name` and compares it with the stored ledger. A bad row
/// stores nothing.
pub fn import_tracker(
    store: &dyn Store,
    name: &str,
    file: &str,
    bytes: &[u8],
) -> Result<TrackerImport, PipelineError> {
    check_tracker_name(name).map_err(PipelineError::InvalidTracker)?;
    let cfg = ResolveConfig::bundled()?;
    let rows = parse_tracker_csv(file, bytes, &cfg)?;
    let sha256 = file_sha256(bytes);
    let version = store.put_tracker(name, file, &sha256, &rows)?;
    let incidents = store
        .incidents(&strikewatch_model::read::Filter::default())
        .map_err(|e| PipelineError::Read(e.to_string()))?;
    refresh_comparisons(store, &incidents)?;
    let comparison = store
        .latest_trackers()?
        .iter()
        .find(|t| t.name == name)
        .map(|t| compare_tracker(t, &incidents))
        .ok_or_else(|| PipelineError::InvalidTracker(format!("tracker {name} was not stored")))?;
    Ok(TrackerImport {
        name: name.to_string(),
        version,
        rows: rows.len(),
        comparison,
    })
}
