//! The corpus format: one JSON object per line with `id`, `url`,
//! `published_at`, `language`, `source_kind`, `title`, `text` (and optional
//! `source`, and `private`: true for a document that must never be
//! published, see `strikewatch_model::public`). The file is the capture; every line is a document. Lines in
//! the news-please shape (`maintext`, `date_publish`, `source_domain`) are
//! read too, so a news-please JSONL dump ingests the same way.

use serde::{Deserialize, Serialize};
use strikewatch_model::{Document, SourceKind};

use super::{Parsed, decode_text};
use crate::dates::parse_published;

#[derive(Debug, Deserialize)]
struct LineIn {
    id: Option<String>,
    url: Option<String>,
    published_at: Option<String>,
    language: Option<String>,
    source_kind: Option<String>,
    title: Option<String>,
    source: Option<String>,
    text: Option<String>,
    maintext: Option<String>,
    date_publish: Option<String>,
    source_domain: Option<String>,
    #[serde(default)]
    private: bool,
}

/// One line as written by [`to_corpus_line`]; field order follows the corpus.
#[derive(Debug, Serialize)]
struct LineOut<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    published_at: Option<&'a str>,
    language: &'a str,
    source_kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    text: &'a str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    private: bool,
}

/// Reads one line (without its line ending). `Ok(None)` for a blank line.
pub fn parse_line(bytes: &[u8]) -> Result<Option<Parsed>, String> {
    let text = decode_text(bytes)?;
    if text.trim().is_empty() {
        return Ok(None);
    }
    let line: LineIn =
        serde_json::from_str(text).map_err(|e| format!("invalid JSON document: {e}"))?;
    let text = line
        .text
        .or(line.maintext)
        .ok_or("document has no \"text\" (nor news-please \"maintext\") field")?;
    let published_at = match line
        .published_at
        .or(line.date_publish)
        .as_deref()
        .map(str::trim)
    {
        None | Some("") => None,
        Some(raw) => {
            Some(parse_published(raw).ok_or_else(|| format!("unreadable published_at {raw:?}"))?)
        }
    };
    Ok(Some(Parsed {
        id: line.id,
        url: line.url,
        title: line.title,
        published_at,
        language: line.language,
        source: line.source.or(line.source_domain),
        source_kind: line.source_kind.as_deref().map(SourceKind::from_corpus),
        text,
        private: line.private,
        notes: Vec::new(),
    }))
}

/// One document as a corpus line (no trailing newline).
pub fn to_corpus_line(doc: &Document) -> Result<String, serde_json::Error> {
    serde_json::to_string(&LineOut {
        id: &doc.id,
        url: doc.url.as_deref(),
        published_at: doc.published_at.as_ref().map(|p| p.text.as_str()),
        language: &doc.language,
        source_kind: doc.source_kind.as_str(),
        title: doc.title.as_deref(),
        source: doc.source.as_deref(),
        text: &doc.text,
        private: doc.private,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_corpus_line() {
        let line = br#"{"id":"dev-001","url":"https://example.org/a","published_at":"2025-09-02","language":"en","source_kind":"official_post","title":"T","text":"One.\n\nTwo."}"#;
        let p = parse_line(line).unwrap().unwrap();
        assert_eq!(p.id.as_deref(), Some("dev-001"));
        assert_eq!(p.source_kind, Some(SourceKind::Official));
        assert_eq!(p.published_at.unwrap().text, "2025-09-02");
    }

    #[test]
    fn reports_bad_lines() {
        assert!(
            parse_line(br#"{"id":"x","text":"cut"#)
                .unwrap_err()
                .starts_with("invalid JSON")
        );
        assert!(parse_line(br#"{"id":"x"}"#).unwrap_err().contains("text"));
        assert!(
            parse_line(br#"{"text":"a","published_at":"soon"}"#)
                .unwrap_err()
                .contains("soon")
        );
        assert_eq!(parse_line(b"   ").unwrap(), None);
        assert!(parse_line(b"[1]").unwrap_err().starts_with("invalid JSON"));
    }

    #[test]
    fn reads_news_please_shaped_lines() {
        let p = parse_line(
            br#"{"maintext":"Body.","date_publish":"2025-10-16 15:00:00","source_domain":"e.org"}"#,
        )
        .unwrap()
        .unwrap();
        assert_eq!(p.text, "Body.");
        assert_eq!(p.source.as_deref(), Some("e.org"));
        assert_eq!(p.published_at.unwrap().text, "2025-10-16T15:00:00Z");
    }
}
