//! Ingest: files in, archived captures and normalized documents out.
//!
//! - [`walk`] lists input files (recursive, sorted) and applies the size limit;
//! - [`formats`] turns the bytes of one capture into documents;
//! - [`normalize`] gives every document the same text shape, since evidence
//!   offsets point into that text;
//! - [`pipeline`] archives each file, stores its documents in batched
//!   transactions and calls a hook after each stored document.

pub mod dates;
pub mod detect;
pub mod error;
pub mod formats;
pub mod ids;
pub mod normalize;
pub mod pipeline;
pub mod walk;

pub use error::{IngestError, Skip};
pub use pipeline::{
    FileOutcome, IngestOptions, Ingester, Observer, QuietObserver, Summary, store_documents,
};
pub use walk::{InputFile, collect_inputs, collect_inputs_from};
