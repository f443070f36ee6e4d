//! Gold files and corpus documents as written on disk.

use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use strikewatch_model::Document;

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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoldIncident {
    pub date: Option<NaiveDate>,
    #[serde(default)]
    pub date_text: Option<String>,
    pub region: Option<String>,
    pub vessels: Option<u32>,
    pub killed: Option<u32>,
    pub survivors: Option<u32>,
    #[serde(default = "main_role")]
    pub role: String,
}

fn main_role() -> String {
    "main".to_string()
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoldTotal {
    pub as_of: Option<NaiveDate>,
    pub strikes: Option<u32>,
    pub killed: Option<u32>,
    #[serde(default)]
    pub survivors: Option<u32>,
    #[serde(default)]
    pub text: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoldStatement {
    pub speaker: String,
    pub quote_start: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoldClaim {
    pub kind: String,
    pub text: String,
    #[serde(default)]
    pub speaker: Option<String>,
}

/// One gold line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoldDoc {
    pub id: String,
    #[serde(default)]
    pub incidents: Vec<GoldIncident>,
    #[serde(default)]
    pub totals: Vec<GoldTotal>,
    #[serde(default)]
    pub statements: Vec<GoldStatement>,
    /// `None` when the gold file does not annotate claims for this document.
    #[serde(default)]
    pub claims: Option<Vec<GoldClaim>>,
    #[serde(default)]
    pub notes: Option<String>,
}

fn read_lines(path: &Path) -> Result<Vec<(usize, String)>, LoadError> {
    let text = std::fs::read_to_string(path).map_err(|source| LoadError::Io {
        path: path.display().to_string(),
        source,
    })?;
    Ok(text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| (i + 1, l.to_string()))
        .collect())
}

/// Reads a gold JSONL file.
pub fn load_gold(path: impl AsRef<Path>) -> Result<Vec<GoldDoc>, LoadError> {
    let path = path.as_ref();
    read_lines(path)?
        .into_iter()
        .map(|(line, l)| {
            serde_json::from_str(&l).map_err(|e| LoadError::Line {
                path: path.display().to_string(),
                line,
                message: e.to_string(),
            })
        })
        .collect()
}

/// Reads a corpus-format documents JSONL file.
pub fn load_docs(path: impl AsRef<Path>) -> Result<Vec<Document>, LoadError> {
    let path = path.as_ref();
    read_lines(path)?
        .into_iter()
        .map(|(line, l)| {
            // The extractor's own reader of the corpus format, so scoring sees
            // exactly the documents `strikewatch extract` would.
            strikewatch_extract::parse_document_line(&l).map_err(|message| LoadError::Line {
                path: path.display().to_string(),
                line,
                message,
            })
        })
        .collect()
}
