//! The resolved ledger: incidents built from many strike reports, the
//! reconciliation of stated running totals, and the review log.
//!
//! Owned by the resolve stage; the web layer and exports only read it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::document::SourceKind;
use crate::extraction::{ReportRole, Span};

/// A min–max range over what sources say. Both `None` when no source says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CountRange {
    pub min: Option<u32>,
    pub max: Option<u32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// Announced by the striking party.
    Declared,
    /// Declared and reported independently with consistent figures.
    Corroborated,
    /// One source only, not the striking party.
    SingleSource,
    /// Sources disagree on date or counts.
    Contested,
    /// Withdrawn by review or by the source.
    Retracted,
}

impl Grade {
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::Declared => "declared",
            Grade::Corroborated => "corroborated",
            Grade::SingleSource => "single_source",
            Grade::Contested => "contested",
            Grade::Retracted => "retracted",
        }
    }
}

/// One document's report behind an incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentReport {
    pub document_id: String,
    /// Index of the report in the document's extraction.
    pub report_index: usize,
    pub url: Option<String>,
    pub title: Option<String>,
    pub published: Option<NaiveDate>,
    pub source_kind: SourceKind,
    /// True when the figures are the striking party's (official source or
    /// attributed to an official actor).
    pub official: bool,
    pub role: ReportRole,
    pub date: Option<NaiveDate>,
    pub date_text: Option<String>,
    pub region: Option<String>,
    pub vessels: Option<u32>,
    pub killed: Option<u32>,
    pub survivors: Option<u32>,
    /// Evidence spans, keyed by field, as in the extraction.
    pub evidence: std::collections::BTreeMap<String, Span>,
}

/// A value one or more documents give for a field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConflictValue {
    pub value: String,
    pub documents: Vec<String>,
    pub official: bool,
}

/// Sources disagree on `field`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    pub field: String,
    pub values: Vec<ConflictValue>,
}

/// A later figure replacing an earlier one ("three, not four").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Correction {
    pub field: String,
    pub from: String,
    pub to: String,
    pub document_id: String,
    pub span: Option<Span>,
}

/// A resolved strike: the row users cite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    /// Stable, citable id (unchanged by later ingestion or rebuilds).
    pub id: String,
    pub date: Option<NaiveDate>,
    pub date_from: Option<NaiveDate>,
    pub date_to: Option<NaiveDate>,
    pub region: Option<String>,
    /// Representative `[longitude, latitude]` and how it was obtained
    /// (`stated` coordinates or `region` point).
    pub point: Option<[f64; 2]>,
    pub point_precision: Option<String>,
    pub vessels: CountRange,
    pub killed: CountRange,
    pub survivors: CountRange,
    /// The striking party's figures when it gave them (they lead).
    pub official_killed: Option<u32>,
    pub grade: Grade,
    pub reports: Vec<IncidentReport>,
    pub conflicts: Vec<Conflict>,
    pub corrections: Vec<Correction>,
    /// Review notes and decisions applied to this incident.
    pub notes: Vec<String>,
}

/// A stated running total compared with the ledger as of its date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reconciliation {
    pub document_id: String,
    pub total_index: usize,
    pub url: Option<String>,
    pub as_of: Option<NaiveDate>,
    pub attributed_to: Option<String>,
    pub stated_strikes: Option<u32>,
    pub stated_killed: Option<u32>,
    pub ledger_strikes: u32,
    pub ledger_killed: CountRange,
    /// stated − ledger (max); positive means the ledger is missing deaths.
    pub killed_gap: Option<i64>,
    pub strikes_gap: Option<i64>,
    pub span: Span,
}

/// The kinds of human judgment applied on top of machine output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum ReviewAction {
    Confirm { incident: String },
    Correct { incident: String, field: String, value: String },
    Merge { incident: String, into: String },
    Split { incident: String, document_id: String },
    Reject { incident: String },
    Annotate { incident: String, note: String },
    CorrectSpeaker { document_id: String, statement_index: usize, speaker: String },
}

/// One entry of the append-only review log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    pub seq: i64,
    /// RFC 3339 time the review was recorded.
    pub at: String,
    pub author: String,
    pub reason: String,
    #[serde(flatten)]
    pub action: ReviewAction,
}
