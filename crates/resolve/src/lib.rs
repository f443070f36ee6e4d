//! The strikewatch resolve stage: from per-document extractions to the
//! ledger.
//!
//! - [`resolve`] builds the machine ledger from a whole corpus; [`Resolver`]
//!   keeps it up to date one document at a time, re-resolving only the days
//!   a new document can influence, with exactly the result of a full build.
//! - Reports of one strike become one [`Incident`](strikewatch_model::ledger::Incident)
//!   with min–max counts, conflicts, corrections, a grade and a stable id
//!   ([`ids`]); undated mentions attach only to an unambiguous match.
//! - Every stated running total is reconciled against the ledger as of its date.
//! - [`apply_reviews`] applies the review log on top.
//! - [`history`] replays the corpus day by day (by publication day and
//!   review day) into the dated changes of every incident and the ledger as
//!   it stood on each day; [`trackers`] compares another organisation's
//!   list of strikes with the ledger.
//!
//! Domain knowledge (regions, tolerances, official actors) lives in the
//! bundled data files, see [`ResolveConfig`].

mod attach;
mod cluster;
pub mod config;
mod engine;
pub mod error;
pub mod history;
pub mod ids;
pub mod input;
mod live;
mod materialize;
mod reconcile;
mod report;
mod reviews;
mod statements;
mod suspect;
pub mod trackers;

pub use config::ResolveConfig;
pub use engine::{ResolveDelta, Resolver};
pub use error::ResolveError;
pub use input::{DocMeta, ResolveInput, SourceDocument};
pub use live::LiveResolver;
pub use reviews::apply_reviews_with;
pub use statements::normalize_claim_text;

use strikewatch_model::ledger::{Ledger, Review};

/// Resolves a whole corpus with the bundled data files.
pub fn resolve(input: &ResolveInput) -> Result<Ledger, ResolveError> {
    resolve_with(input, ResolveConfig::bundled()?)
}

/// Resolves a whole corpus with the given configuration.
pub fn resolve_with(input: &ResolveInput, cfg: ResolveConfig) -> Result<Ledger, ResolveError> {
    Ok(Resolver::from_input(cfg, input)?.ledger())
}

/// Applies the review log on top of a machine ledger (bundled data files).
pub fn apply_reviews(ledger: &Ledger, reviews: &[Review]) -> Result<Ledger, ResolveError> {
    Ok(apply_reviews_with(
        ledger,
        reviews,
        &ResolveConfig::bundled()?,
    ))
}
