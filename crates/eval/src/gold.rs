//! Corpus documents as the extractor reads them; gold files are read by
//! `strikewatch-gold`.

use std::path::Path;

use strikewatch_model::Document;

pub use strikewatch_gold::{
    GoldClaim, GoldDoc, GoldError, GoldIncident, GoldStatement, GoldTotal, load_gold,
};

/// Why a documents file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} line {line}: {message}")]
    Line {
        path: String,
        line: usize,
        message: String,
    },
}

/// Reads a corpus-format documents JSONL file.
pub fn load_docs(path: impl AsRef<Path>) -> Result<Vec<Document>, LoadError> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io {
        path: path.display().to_string(),
        source,
    })?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            // The extractor's own reader of the corpus format, so scoring sees
            // exactly the documents `strikewatch extract` would.
            strikewatch_extract::parse_document_line(l).map_err(|message| LoadError::Line {
                path: path.display().to_string(),
                line: i + 1,
                message,
            })
        })
        .collect()
}
