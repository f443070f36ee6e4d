//! Domain types shared by every stage of the pipeline.
//!
//! This crate holds plain data and nothing else: no I/O, no parsing, no SQL.
//! Each module is owned by the stage that produces its values:
//! - [`document`]: what ingest turns a capture into;
//! - [`extraction`]: what the extractor says about one document;
//! - [`ledger`]: what resolution builds from many extractions;
//! - [`read`]: the read-only query surface the web layer and exports use;
//! - [`public`]: what may be published (private documents taken out);
//! - [`tracking`]: the ledger's dated history and its comparison with trackers;
//! - [`versions`]: the versions of a captured page, and statements marked
//!   edited or deleted when it changed or went away;
//! - [`cells`]: spreadsheet-safe CSV cell text, shared by every CSV writer;
//! - [`writes`]: write accounts and the backend the site posts documents
//!   and reviews to.

pub mod cells;
pub mod document;
pub mod extraction;
pub mod ledger;
pub mod public;
pub mod read;
pub mod tracking;
pub mod versions;
pub mod writes;

pub use document::{Document, PublishedAt, SourceKind, TimePrecision};
pub use extraction::{
    Channel, Claim, ClaimKind, Confidence, ConfidenceLevel, DatePrecision, DateSource, Extraction,
    ExtractionStatus, ReportRole, RunningTotal, Span, Statement, StrikeReport,
};
