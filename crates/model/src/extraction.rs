//! What the extractor says about one document. Serialized, an [`Extraction`]
//! is the `strikewatch extract` output format of SPEC.md (a superset of the
//! gold files).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Byte offsets into a document's normalized text, plus the text they cover.
/// Invariant: `&doc.text[start..end] == text`, and both ends are char boundaries.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

impl Span {
    /// Builds a span over `source[start..end]`; `None` when the range is not
    /// a valid char-boundary range of `source`.
    pub fn of(source: &str, start: usize, end: usize) -> Option<Span> {
        source.get(start..end).map(|t| Span {
            start,
            end,
            text: t.to_string(),
        })
    }

    /// True when the span's text is exactly what its offsets point at.
    pub fn is_valid_in(&self, source: &str) -> bool {
        source.get(self.start..self.end) == Some(self.text.as_str())
    }
}

/// How strongly a reading is supported: `high` when the wording is explicit
/// and every field has its own evidence, `low` when it rests on a guess (a
/// date resolved from a weak anchor, a speaker found by a pronoun).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum ConfidenceLevel {
    Low,
    #[default]
    Medium,
    High,
}

/// A confidence and the cues behind it (names of the rules that fired, e.g.
/// `date:possessive_day`, `speaker:organisation_anaphor`), so reviewers can
/// treat weak readings apart from strong ones.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct Confidence {
    pub level: ConfidenceLevel,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cues: Vec<String>,
}

impl Confidence {
    pub fn new(level: ConfidenceLevel, cues: Vec<String>) -> Confidence {
        Confidence { level, cues }
    }
}

/// Where the date that relative expressions resolve against came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateSource {
    /// The document's own publication date.
    PublishedAt,
    /// A date inside the document's URL (`/2026/02/23/`).
    Url,
    /// A dateline or "Updated:" / "Published:" line.
    Dateline,
    /// An editor's note ("Editor's note: updated May 2, 2026").
    EditorsNote,
    /// A photo caption's date.
    Caption,
    /// The date closing an embedded post ("— Name (@handle) May 3, 2026").
    EmbeddedPost,
    /// The latest full date elsewhere in the text.
    Text,
}

/// Why an extraction holds no facts although the document was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExtractionStatus {
    /// No lexicon for the document's language: nothing is read from it.
    UnsupportedLanguage,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatePrecision {
    /// One known day.
    Day,
    /// A range of days (`earlier this week`): `date` is None in gold terms,
    /// `date_from..=date_to` holds the range.
    Range,
    /// The text gives no usable date.
    Unknown,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum ReportRole {
    /// The strike the document is about.
    #[default]
    Main,
    /// Another specific strike mentioned with a date or a count.
    Background,
}

/// What one document says about one strike.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StrikeReport {
    /// Resolved day; `None` when the text's date is vague.
    pub date: Option<NaiveDate>,
    pub date_precision: DatePrecision,
    /// Inclusive range when precision is `Range` (and equal to `date` for `Day`).
    pub date_from: Option<NaiveDate>,
    pub date_to: Option<NaiveDate>,
    /// The words that give the date, exactly as in the text.
    pub date_text: Option<String>,
    /// Region key from the gazetteer (`caribbean`, `eastern_pacific`), or None.
    pub region: Option<String>,
    /// The place wording, e.g. "off the coast of Venezuela".
    pub location_text: Option<String>,
    /// `[longitude, latitude]` when the text states coordinates.
    pub coordinates: Option<[f64; 2]>,
    pub vessels: Option<u32>,
    pub killed: Option<u32>,
    /// True when `killed` is a lower bound ("at least 6").
    pub killed_at_least: bool,
    pub survivors: Option<u32>,
    /// Named target group (e.g. "Tren de Aragua").
    pub target_group: Option<String>,
    /// Canonical actor or source whose figures these are.
    pub announced_by: Option<String>,
    pub role: ReportRole,
    /// Evidence per field name (`date`, `region`, `vessels`, `killed`,
    /// `survivors`, `target_group`, `announced_by`, `trigger`, ...).
    pub evidence: BTreeMap<String, Span>,
    #[serde(default)]
    pub confidence: Confidence,
}

/// A campaign-wide cumulative figure stated by a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunningTotal {
    pub as_of: Option<NaiveDate>,
    pub strikes: Option<u32>,
    pub killed: Option<u32>,
    pub survivors: Option<u32>,
    /// True when the killed figure is a lower bound ("at least 105").
    pub killed_at_least: bool,
    /// Whose figure this is, when the text says.
    pub attributed_to: Option<String>,
    /// The exact text that states the total (same as `span.text`).
    pub text: String,
    pub span: Span,
    pub evidence: BTreeMap<String, Span>,
    #[serde(default)]
    pub confidence: Confidence,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    SocialPost,
    PressConference,
    Statement,
    Interview,
    Testimony,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimKind {
    LegalBasis,
    TargetIdentity,
    Evidence,
    Casualties,
    Effectiveness,
    Intent,
    PressCriticism,
    Denial,
    Political,
    Other,
}

impl ClaimKind {
    pub const ALL: [ClaimKind; 10] = [
        ClaimKind::LegalBasis,
        ClaimKind::TargetIdentity,
        ClaimKind::Evidence,
        ClaimKind::Casualties,
        ClaimKind::Effectiveness,
        ClaimKind::Intent,
        ClaimKind::PressCriticism,
        ClaimKind::Denial,
        ClaimKind::Political,
        ClaimKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ClaimKind::LegalBasis => "legal_basis",
            ClaimKind::TargetIdentity => "target_identity",
            ClaimKind::Evidence => "evidence",
            ClaimKind::Casualties => "casualties",
            ClaimKind::Effectiveness => "effectiveness",
            ClaimKind::Intent => "intent",
            ClaimKind::PressCriticism => "press_criticism",
            ClaimKind::Denial => "denial",
            ClaimKind::Political => "political",
            ClaimKind::Other => "other",
        }
    }

    pub fn parse(word: &str) -> Option<ClaimKind> {
        ClaimKind::ALL.into_iter().find(|k| k.as_str() == word)
    }
}

/// A quote attributed to a named speaker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    /// Canonical actor name ("Pete Hegseth").
    pub speaker: String,
    /// The speaker's role on the date said, from the actor lexicon.
    pub speaker_role: Option<String>,
    pub quote: String,
    /// First words of the quote (up to 10), as written.
    pub quote_start: String,
    pub channel: Option<Channel>,
    pub said_at: Option<NaiveDate>,
    /// The quote's span (inside the quote marks).
    pub span: Span,
    /// Span of the words that attribute the quote ("Hegseth wrote").
    pub attribution: Option<Span>,
    pub claims: Vec<ClaimKind>,
    #[serde(default)]
    pub confidence: Confidence,
}

/// A checkable or contestable assertion inside a statement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    pub kind: ClaimKind,
    pub text: String,
    pub speaker: String,
    pub span: Span,
}

/// Everything the extractor found in one document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Extraction {
    /// The document id.
    pub id: String,
    /// Hash of the lexicon set that produced this output.
    pub lexicon_version: String,
    /// Strike reports (named `incidents` in the output format).
    pub incidents: Vec<StrikeReport>,
    pub totals: Vec<RunningTotal>,
    pub statements: Vec<Statement>,
    pub claims: Vec<Claim>,
    /// Set when the document was not read (e.g. `unsupported_language`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ExtractionStatus>,
    /// The day relative dates were resolved against ("today" for the page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor_date: Option<NaiveDate>,
    /// Where `anchor_date` came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_source: Option<DateSource>,
    /// What was skipped and why (e.g. "number 1986 read as a year").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<String>,
}

impl Extraction {
    /// Gives back the room its lists grew into while being read: a list
    /// read from JSON grows to four entries at its first, so a document's
    /// one strike report would hold the room of four. Worth it for
    /// extractions kept by the hundred thousand (resolution holds them all).
    pub fn shrink_to_fit(&mut self) {
        self.incidents.shrink_to_fit();
        for report in &mut self.incidents {
            report.confidence.cues.shrink_to_fit();
        }
        self.totals.shrink_to_fit();
        for total in &mut self.totals {
            total.confidence.cues.shrink_to_fit();
        }
        self.statements.shrink_to_fit();
        for statement in &mut self.statements {
            statement.claims.shrink_to_fit();
            statement.confidence.cues.shrink_to_fit();
        }
        self.claims.shrink_to_fit();
        self.diagnostics.shrink_to_fit();
    }
}
