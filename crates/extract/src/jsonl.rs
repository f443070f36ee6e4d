//! Streaming extraction over corpus-format JSONL: one document per line in,
//! one JSON extraction per line out. A bad line gives an error record that
//! names the line; it never stops the stream.

use std::io::{BufRead, Write};

use chrono::{DateTime, NaiveDate};
use serde::{Deserialize, Serialize};
use strikewatch_model::{Document, PublishedAt, SourceKind, TimePrecision};

use crate::Extractor;

#[derive(Debug, thiserror::Error)]
pub enum JsonlError {
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
    #[error("writing JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error(transparent)]
    Lexicon(#[from] crate::LexiconError),
}

/// What a streaming run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    pub lines: usize,
    pub documents: usize,
    pub errors: usize,
    pub incidents: usize,
    pub totals: usize,
    pub statements: usize,
    pub bytes: usize,
}

#[derive(Debug, Deserialize)]
struct CorpusLine {
    id: String,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    published_at: Option<String>,
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    source_kind: Option<String>,
    #[serde(default)]
    title: Option<String>,
    text: String,
}

#[derive(Debug, Serialize)]
struct ErrorRecord<'a> {
    line: usize,
    error: &'a str,
}

/// Parses `YYYY-MM-DDTHH:MM:SSZ` (any RFC 3339) or `YYYY-MM-DD`.
pub fn parse_published(text: &str) -> Option<PublishedAt> {
    let t = text.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Some(PublishedAt {
            date: dt.with_timezone(&chrono::Utc).date_naive(),
            text: t.to_string(),
            precision: TimePrecision::Second,
        });
    }
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .ok()
        .map(|date| PublishedAt {
            date,
            text: t.to_string(),
            precision: TimePrecision::Day,
        })
}

/// Parses one corpus-format JSON line into a [`Document`] (text as is).
pub fn parse_document_line(line: &str) -> Result<Document, String> {
    let c: CorpusLine = serde_json::from_str(line).map_err(|e| e.to_string())?;
    let published_at = match c.published_at.as_deref() {
        Some(p) if !p.trim().is_empty() => Some(
            parse_published(p)
                .ok_or_else(|| format!("published_at {p:?} is not YYYY-MM-DD[THH:MM:SSZ]"))?,
        ),
        _ => None,
    };
    Ok(Document {
        id: c.id,
        url: c.url,
        title: c.title,
        published_at,
        language: c.language.unwrap_or_else(|| "en".to_string()),
        source: None,
        source_kind: c
            .source_kind
            .as_deref()
            .map(SourceKind::from_corpus)
            .unwrap_or_default(),
        text: c.text,
        capture_sha256: None,
        private: false,
    })
}

/// [`extract_jsonl_with`] over the embedded lexicons.
pub fn extract_jsonl(reader: impl BufRead, writer: impl Write) -> Result<Stats, JsonlError> {
    let extractor = Extractor::embedded()?;
    extract_jsonl_with(&extractor, reader, writer)
}

/// Reads corpus JSONL from `reader`, writes one extraction (or one
/// `{"line":N,"error":...}` record) per non-empty line to `writer`.
pub fn extract_jsonl_with(
    extractor: &Extractor,
    reader: impl BufRead,
    mut writer: impl Write,
) -> Result<Stats, JsonlError> {
    let mut stats = Stats::default();
    for (n, line) in reader.lines().enumerate() {
        let line = line?;
        stats.lines += 1;
        if line.trim().is_empty() {
            continue;
        }
        match parse_document_line(&line) {
            Ok(doc) => {
                let extraction = extractor.extract(&doc);
                stats.documents += 1;
                stats.bytes += doc.text.len();
                stats.incidents += extraction.incidents.len();
                stats.totals += extraction.totals.len();
                stats.statements += extraction.statements.len();
                serde_json::to_writer(&mut writer, &extraction)?;
            }
            Err(e) => {
                stats.errors += 1;
                serde_json::to_writer(
                    &mut writer,
                    &ErrorRecord {
                        line: n + 1,
                        error: &e,
                    },
                )?;
            }
        }
        writer.write_all(b"\n")?;
    }
    writer.flush()?;
    Ok(stats)
}
