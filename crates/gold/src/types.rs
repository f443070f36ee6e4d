//! One gold line and its parts, as written in `gold.jsonl`. Fields a line
//! leaves out take their defaults; fields the format does not know (notes
//! for annotators, `anchor`, `actors`) are ignored.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use strikewatch_model::{Channel, ClaimKind, ReportRole};

/// A strike the document reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoldIncident {
    pub date: Option<NaiveDate>,
    /// The words that give the date, exactly as in the text.
    #[serde(default)]
    pub date_text: Option<String>,
    pub region: Option<String>,
    pub vessels: Option<u32>,
    pub killed: Option<u32>,
    pub survivors: Option<u32>,
    /// `main` when left out.
    #[serde(default)]
    pub role: ReportRole,
    #[serde(default)]
    pub announced_by: Option<String>,
}

/// A campaign-wide running total the document states.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoldTotal {
    pub as_of: Option<NaiveDate>,
    pub strikes: Option<u32>,
    pub killed: Option<u32>,
    #[serde(default)]
    pub survivors: Option<u32>,
    /// The words that state the total.
    #[serde(default)]
    pub text: Option<String>,
}

/// A quoted statement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoldStatement {
    pub speaker: String,
    /// The quote's first words.
    pub quote_start: String,
    #[serde(default)]
    pub channel: Option<Channel>,
    #[serde(default)]
    pub said_at: Option<NaiveDate>,
    /// The kinds of claim the statement makes.
    #[serde(default)]
    pub claims: Vec<ClaimKind>,
}

/// A claim made in the document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoldClaim {
    pub kind: ClaimKind,
    pub text: String,
    #[serde(default)]
    pub speaker: Option<String>,
}

/// One gold line: everything annotated for one document.
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
