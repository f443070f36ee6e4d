//! Readers that turn the bytes of one capture into documents.

pub mod corpus;
pub mod html;
mod html_scan;
pub mod markdown;
pub mod newsplease;

use strikewatch_archive::MediaType;
use strikewatch_model::{Document, PublishedAt, SourceKind};

use crate::detect::language_of;
use crate::normalize::normalize_text;

/// What a reader found, before normalization and id assignment.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parsed {
    pub id: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    pub published_at: Option<PublishedAt>,
    pub language: Option<String>,
    pub source: Option<String>,
    pub source_kind: Option<SourceKind>,
    /// Text as found; normalized by [`Parsed::into_document`].
    pub text: String,
    /// Marked non-public by the input itself.
    pub private: bool,
    /// How the reader had to depart from its usual reading (a hostile page
    /// read flat, say), for the person running the ingest.
    pub notes: Vec<String>,
}

impl Parsed {
    /// Normalizes the text, settles the language and attaches the capture.
    /// `fallback_id` is used when the input carries neither id nor URL.
    pub fn into_document(
        self,
        fallback_id: String,
        capture_sha256: &str,
    ) -> Result<Document, String> {
        let text = normalize_text(&self.text);
        if text.is_empty() {
            return Err("no text".into());
        }
        let id = match (self.id.map(|i| i.trim().to_string()), &self.url) {
            (Some(id), _) if !id.is_empty() => id,
            (_, Some(url)) => crate::ids::id_from_url(url),
            _ => fallback_id,
        };
        let clean = |v: Option<String>| v.map(|s| normalize_text(&s)).filter(|s| !s.is_empty());
        Ok(Document {
            id,
            language: language_of(self.language.as_deref(), &text),
            url: self
                .url
                .map(|u| u.trim().to_string())
                .filter(|u| !u.is_empty()),
            title: clean(self.title),
            published_at: self.published_at,
            source: clean(self.source),
            source_kind: self.source_kind.unwrap_or_default(),
            text,
            capture_sha256: Some(capture_sha256.to_string()),
            private: self.private,
        })
    }
}

/// Which reader a capture goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    PlainText,
    Markdown,
    Html,
    /// Corpus documents, one JSON object per line.
    CorpusLines,
    /// A news-please article.
    NewsPlease,
}

impl Format {
    pub fn for_media(media: MediaType) -> Format {
        match media {
            MediaType::PlainText | MediaType::Other => Format::PlainText,
            MediaType::Markdown => Format::Markdown,
            MediaType::Html => Format::Html,
            MediaType::JsonLines => Format::CorpusLines,
            MediaType::Json => Format::NewsPlease,
        }
    }
}

/// Bytes as UTF-8 text, refusing binary content (NUL bytes) and invalid
/// UTF-8 with a message that says where. A UTF-8 byte-order mark is dropped.
pub fn decode_text(bytes: &[u8]) -> Result<&str, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(format!(
            "binary content (NUL byte at offset {at}), not text"
        ));
    }
    std::str::from_utf8(bytes).map_err(|e| format!("invalid UTF-8 at byte {}", e.valid_up_to()))
}

/// Reads a capture that holds exactly one document.
pub fn parse_single(format: Format, bytes: &[u8]) -> Result<Parsed, String> {
    let text = decode_text(bytes)?;
    match format {
        Format::PlainText => Ok(Parsed {
            text: text.to_string(),
            ..Parsed::default()
        }),
        Format::Markdown => Ok(markdown::parse_markdown(text)),
        Format::Html => html::parse_html(text),
        // A `.json` file is a news-please article, or else one document in
        // the corpus shape.
        Format::NewsPlease => newsplease::parse_newsplease(text).or_else(|first| {
            match corpus::parse_line(text.as_bytes()) {
                Ok(Some(parsed)) => Ok(parsed),
                _ => Err(first),
            }
        }),
        Format::CorpusLines => Err("corpus JSONL holds many documents; read it by lines".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_binary_and_bad_utf8() {
        assert!(
            decode_text(b"\x89PNG\r\n\x1a\n\x00\x00")
                .unwrap_err()
                .contains("binary")
        );
        assert_eq!(
            decode_text(b"ok \xff").unwrap_err(),
            "invalid UTF-8 at byte 3"
        );
        assert_eq!(decode_text(b"\xEF\xBB\xBFhi").unwrap(), "hi");
    }

    #[test]
    fn empty_text_is_an_error_and_ids_fall_back() {
        let p = Parsed {
            text: " \n ".into(),
            ..Parsed::default()
        };
        assert_eq!(p.into_document("x".into(), "h").unwrap_err(), "no text");
        let p = Parsed {
            text: "Three dead".into(),
            url: Some("https://e.org/a".into()),
            ..Parsed::default()
        };
        let d = p.into_document("fallback".into(), "h").unwrap();
        assert_eq!(d.id, crate::ids::id_from_url("https://e.org/a"));
        assert_eq!(d.language, "en");
    }
}
