//! What is derived from the ledger beside it: its dated history (replayed
//! from the stored extractions and the review log) and the comparison of
//! every imported tracker with it. Written whenever the ledger is.

use sha2::{Digest, Sha256};
use strikewatch_model::ledger::{Incident, Ledger};
use strikewatch_model::tracking::TrackerComparison;
use strikewatch_resolve::trackers::{check_tracker_name, compare_tracker, parse_tracker_csv};
use strikewatch_resolve::{ResolveConfig, apply_reviews, history::history, resolve};
use strikewatch_store::Store;

use crate::PipelineError;
use crate::ledger::load_input;

/// Resolves every stored extraction, applies the review log, replays the
/// history, compares the trackers, and stores it all (history and
/// comparisons first, so a reader of the new ledger finds them).
pub fn refresh_ledger_and_history(store: &dyn Store) -> Result<Ledger, PipelineError> {
    let input = load_input(store)?;
    let reviews = store.review_log()?;
    let machine = resolve(&input)?;
    let ledger = if reviews.is_empty() {
        machine
    } else {
        apply_reviews(&machine, &reviews)?
    };
    let cfg = ResolveConfig::bundled()?;
    store.replace_history(&history(&input, &reviews, &cfg)?)?;
    drop(input);
    refresh_comparisons(store, &ledger.incidents)?;
    store.replace_ledger(&ledger)?;
    Ok(ledger)
}

/// Recomputes the history and the tracker comparisons from what the store
/// holds (after a write that updated the ledger by a delta).
pub fn refresh_history(store: &dyn Store) -> Result<(), PipelineError> {
    let input = load_input(store)?;
    let reviews = store.review_log()?;
    let cfg = ResolveConfig::bundled()?;
    store.replace_history(&history(&input, &reviews, &cfg)?)?;
    drop(input);
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
