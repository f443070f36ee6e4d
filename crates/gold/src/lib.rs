//! Gold annotation files (`testdata/*/gold.jsonl`) and the corpus documents
//! they annotate (`testdata/*/docs.jsonl`): one reading of the format for
//! scoring (`eval`) and for the tests that run later stages on hand-checked
//! input (`resolve`, `extract`, `export`).
//!
//! - [`parse_gold`] / [`load_gold`]: a gold file, one [`GoldDoc`] per line;
//! - [`parse_corpus`]: a corpus file, one [`CorpusDoc`] per line;
//! - [`extraction_from_gold`] / [`gold_extractions`]: what a perfect
//!   extractor would have said, with spans found by searching the text.
//!
//! Nothing here panics on input: every bad line is one [`GoldError`] naming
//! the file and the line.

mod corpus;
mod extraction;
mod types;

use std::path::Path;

use serde::de::DeserializeOwned;

pub use corpus::{CorpusDoc, parse_corpus};
pub use extraction::{extraction_from_gold, find_span, gold_extractions};
pub use types::{GoldClaim, GoldDoc, GoldIncident, GoldStatement, GoldTotal};

/// Why a gold or corpus file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum GoldError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    /// A line that is not a valid record; `file` names the input.
    #[error("{file} line {line}: {message}")]
    Line {
        file: String,
        line: usize,
        message: String,
    },
}

/// The non-empty lines of a JSONL text, each with its 1-based number,
/// parsed as `T`.
pub(crate) fn parse_lines<T: DeserializeOwned>(
    file: &str,
    jsonl: &str,
) -> Result<Vec<T>, GoldError> {
    jsonl
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| GoldError::Line {
                file: file.to_string(),
                line: i + 1,
                message: e.to_string(),
            })
        })
        .collect()
}

/// Parses a gold file's text; `file` names it in errors.
pub fn parse_gold(file: &str, jsonl: &str) -> Result<Vec<GoldDoc>, GoldError> {
    parse_lines(file, jsonl)
}

/// Reads and parses a gold file.
pub fn load_gold(path: impl AsRef<Path>) -> Result<Vec<GoldDoc>, GoldError> {
    let path = path.as_ref();
    let text = read(path)?;
    parse_gold(&path.display().to_string(), &text)
}

/// A whole file as text, its path named in the error.
pub fn read(path: &Path) -> Result<String, GoldError> {
    std::fs::read_to_string(path).map_err(|source| GoldError::Io {
        path: path.display().to_string(),
        source,
    })
}
