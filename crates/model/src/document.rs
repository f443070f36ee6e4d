//! Documents: a capture turned into normalized text.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Who published a source. `Official` is the striking party (Department of
/// War/Defense, U.S. Southern Command, the White House); its figures are the
/// "declared" ones in the ledger.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    Official,
    #[default]
    News,
    Ngo,
    Analysis,
    Other,
}

impl SourceKind {
    /// Maps the corpus vocabulary (`official_post`, `press_release`, `news`,
    /// `analysis`, ...) to a source kind. Unknown words become `Other`.
    pub fn from_corpus(word: &str) -> SourceKind {
        match word.trim().to_ascii_lowercase().as_str() {
            "official" | "official_post" | "press_release" | "government" => SourceKind::Official,
            "news" | "wire" => SourceKind::News,
            "ngo" => SourceKind::Ngo,
            "analysis" | "opinion" => SourceKind::Analysis,
            _ => SourceKind::Other,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Official => "official",
            SourceKind::News => "news",
            SourceKind::Ngo => "ngo",
            SourceKind::Analysis => "analysis",
            SourceKind::Other => "other",
        }
    }
}

/// How precisely a publication time is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimePrecision {
    Second,
    Day,
    Month,
    Year,
}

/// A publication time as the source gave it, with its precision.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PublishedAt {
    /// The calendar date (UTC date when a time was given).
    pub date: NaiveDate,
    /// RFC 3339 text when the source gave a time, else `YYYY-MM-DD`.
    pub text: String,
    pub precision: TimePrecision,
}

/// A document: one capture turned into text that evidence spans point into.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// Stable id: the corpus id when given, otherwise derived from the capture.
    pub id: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub published_at: Option<PublishedAt>,
    /// ISO 639-1 code (`en`, `es`), given or detected.
    pub language: String,
    /// Outlet or account name when known.
    pub source: Option<String>,
    pub source_kind: SourceKind,
    /// Unicode NFC, whitespace normalized, paragraphs separated by one blank
    /// line. All evidence offsets are byte offsets into this string.
    pub text: String,
    /// SHA-256 (lowercase hex) of the raw bytes this document came from.
    pub capture_sha256: Option<String>,
    /// A non-public document (a tip, a leaked memo, a source's message):
    /// archived, extracted and shown to reviewers, but never published; see
    /// [`crate::public`]. Once stored as private it stays private.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub private: bool,
}

/// The id prefix given only to posts read from platform exports (an X
/// archive, a Telegram channel export, an ActivityPub outbox): the whole
/// text of such a document is its author's words.
pub const EXPORT_POST_ID_PREFIX: &str = "post-";

impl Document {
    /// True for a post read from a platform export: its `source` is the
    /// account that posted it and its text is that account's statement.
    pub fn is_export_post(&self) -> bool {
        self.id.starts_with(EXPORT_POST_ID_PREFIX)
    }

    /// The date relative expressions ("on Tuesday", "yesterday") resolve against.
    pub fn publication_date(&self) -> Option<NaiveDate> {
        self.published_at.as_ref().map(|p| p.date)
    }
}
