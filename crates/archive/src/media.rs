//! Media types the archive records, guessed from the file name and the first
//! bytes. The guess decides which reader turns a capture into documents.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MediaType {
    PlainText,
    Markdown,
    Html,
    /// One JSON document per line (the corpus format).
    JsonLines,
    /// One JSON object (news-please article).
    Json,
    Other,
}

impl MediaType {
    /// The IANA media type written to capture records and WARC headers.
    pub fn mime(self) -> &'static str {
        match self {
            MediaType::PlainText => "text/plain; charset=utf-8",
            MediaType::Markdown => "text/markdown; charset=utf-8",
            MediaType::Html => "text/html",
            MediaType::JsonLines => "application/jsonl",
            MediaType::Json => "application/json",
            MediaType::Other => "application/octet-stream",
        }
    }

    /// Inverse of [`MediaType::mime`]; unknown strings are `Other`.
    pub fn from_mime(mime: &str) -> MediaType {
        [
            MediaType::PlainText,
            MediaType::Markdown,
            MediaType::Html,
            MediaType::JsonLines,
            MediaType::Json,
        ]
        .into_iter()
        .find(|m| m.mime() == mime)
        .unwrap_or(MediaType::Other)
    }

    /// Guesses from a file name's extension, then from the leading bytes.
    pub fn guess(name: &str, head: &[u8]) -> MediaType {
        let lower = name.to_ascii_lowercase();
        let ext = lower.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        match ext {
            "txt" | "text" => return MediaType::PlainText,
            "md" | "markdown" => return MediaType::Markdown,
            "html" | "htm" | "xhtml" => return MediaType::Html,
            "jsonl" | "ndjson" => return MediaType::JsonLines,
            "json" => return MediaType::Json,
            _ => {}
        }
        let start = head
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .map(|i| &head[i..])
            .unwrap_or(&[]);
        let lead: Vec<u8> = start
            .iter()
            .take(15)
            .map(|b| b.to_ascii_lowercase())
            .collect();
        if lead.starts_with(b"<!doctype html") || lead.starts_with(b"<html") {
            MediaType::Html
        } else if lead.starts_with(b"{") {
            MediaType::Json
        } else {
            MediaType::Other
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_by_extension_then_content() {
        assert_eq!(MediaType::guess("a/b.JSONL", b""), MediaType::JsonLines);
        assert_eq!(
            MediaType::guess("page", b"  <!DOCTYPE html><html>"),
            MediaType::Html
        );
        assert_eq!(MediaType::guess("x.bin", b"\x00\x01"), MediaType::Other);
        for m in [MediaType::Html, MediaType::JsonLines, MediaType::Markdown] {
            assert_eq!(MediaType::from_mime(m.mime()), m);
        }
    }
}
