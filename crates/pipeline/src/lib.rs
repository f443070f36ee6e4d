//! The strikewatch pipeline: the one place where extraction, resolution and
//! the store meet.
//!
//! - [`ingest_files`] archives and stores files, extracts every stored
//!   document and refreshes the ledger once at the end of the batch;
//! - [`ingest_json_document`] does the same for one posted document;
//! - [`rebuild`] re-extracts everything (after a lexicon change) and gives
//!   the same ledger a fresh ingest gives;
//! - [`refresh_ledger`] re-resolves from the stored extractions and the
//!   review log (after a review);
//! - [`refresh_ledger_and_history`] also replays the ledger's dated history
//!   and compares every imported tracker ([`import_tracker`]) with it;
//! - [`LiveLedger`] keeps a resolver in memory for a server, so a posted
//!   document or review updates only what it changes;
//! - [`StoreWriter`] is the site's write backend over the store, on a
//!   [`LiveLedger`].

mod derived;
mod error;
mod ingest;
mod ledger;
mod live;
mod writes;

pub use derived::{
    TrackerImport, file_sha256, import_tracker, refresh_comparisons, refresh_history,
    refresh_ledger_and_history,
};
pub use error::PipelineError;
pub use ingest::{Post, Posted, ingest_files, ingest_json_document};
pub use ledger::{RebuildStats, build_ledger, load_input, rebuild, refresh_ledger};
pub use live::LiveLedger;
pub use writes::StoreWriter;
