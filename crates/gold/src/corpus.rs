//! The corpus documents gold files annotate, read as plain records (the
//! product reads them with `ingest`; tests pairing gold with documents need
//! only these fields).

use chrono::{DateTime, NaiveDate};
use serde::Deserialize;
use strikewatch_model::SourceKind;

use crate::{GoldError, parse_lines};

/// One line of a corpus `docs.jsonl`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CorpusDoc {
    pub id: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub published_at: Option<String>,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub source_kind: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub text: String,
}

impl CorpusDoc {
    /// The publication day: an RFC 3339 time's date, or a leading
    /// `YYYY-MM-DD`.
    pub fn published(&self) -> Option<NaiveDate> {
        let p = self.published_at.as_deref()?.trim();
        DateTime::parse_from_rfc3339(p)
            .map(|d| d.date_naive())
            .ok()
            .or_else(|| NaiveDate::parse_from_str(p.get(..10)?, "%Y-%m-%d").ok())
    }

    /// The kind of source; news when the line does not say.
    pub fn source_kind(&self) -> SourceKind {
        self.source_kind
            .as_deref()
            .map_or(SourceKind::News, SourceKind::from_corpus)
    }
}

/// Parses a corpus file's text; `file` names it in errors.
pub fn parse_corpus(file: &str, jsonl: &str) -> Result<Vec<CorpusDoc>, GoldError> {
    parse_lines(file, jsonl)
}
