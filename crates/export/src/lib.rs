//! strikewatch exports: the ledger as CSV tables, JSON, GeoJSON and a
//! standalone SQLite file. Every export of the same ledger is byte-identical
//! (the ledger is canonically sorted; writers add no timestamps), and the
//! CSV and JSON exports read back into the same ledger.

pub mod error;
mod geo;
mod json;
mod sqlite;
mod tables;

pub use error::{ExportError, ExportResult};
pub use geo::incidents_geojson;
pub use json::{ledger_json, read_ledger_json};
pub use sqlite::write_sqlite;
pub use tables::{CsvTables, incidents_csv, ledger_csv, read_ledger_csv};
