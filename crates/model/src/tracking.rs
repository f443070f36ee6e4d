//! The ledger over time and beside other organisations' lists:
//! - [`IncidentChange`]: one dated change of an incident (history), and
//!   [`LedgerAsOf`], the ledger as it stood on a day;
//! - [`TrackerRow`] / [`TrackerComparison`]: another organisation's list of
//!   strikes, compared with the ledger strike by strike.
//!
//! Owned by the resolve stage (which computes them); the store keeps them and
//! the web layer reads them.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::extraction::Span;
use crate::ledger::Reconciliation;
use crate::read::IncidentSummary;

/// What happened to an incident on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// The incident appears in the ledger.
    Added,
    /// Some of its fields changed (`fields` says which).
    Changed,
    /// It went into another incident (`into` says which).
    Merged,
    /// It left the ledger.
    Deleted,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Changed => "changed",
            ChangeKind::Merged => "merged",
            ChangeKind::Deleted => "deleted",
        }
    }
}

/// At most this many documents are named by one change: a day of a large
/// corpus can bring hundreds of reports to one incident.
pub const CHANGE_DOCUMENTS: usize = 20;

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// One field that changed, with its value before and after (as text;
/// `None` when there was none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// One dated change of one incident. `day` is the natural clock of the
/// ledger: the publication day of the documents (or the day of the reviews)
/// that caused it; `None` for documents without a publication date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentChange {
    /// Position in the whole history (day order, then incident id).
    pub seq: u64,
    pub day: Option<NaiveDate>,
    pub incident_id: String,
    pub kind: ChangeKind,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldChange>,
    /// The incident it went into (`merged`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub into: Option<String>,
    /// Short readable cause ("report added: dev-014", "review #3 applied").
    pub cause: String,
    /// Documents of that day whose reports the change brought in (the
    /// first [`CHANGE_DOCUMENTS`] by id; `more_documents` counts the rest).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<String>,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub more_documents: u64,
    /// Reviews of that day that named the incident, by `seq`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reviews: Vec<i64>,
}

/// One version of an incident's listing row, valid from `from_day` until the
/// day before `to_day` (open when `None`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummaryVersion {
    pub from_day: NaiveDate,
    pub to_day: Option<NaiveDate>,
    pub summary: IncidentSummary,
}

/// One version of a reconciliation row, valid as [`SummaryVersion`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReconciliationVersion {
    pub from_day: NaiveDate,
    pub to_day: Option<NaiveDate>,
    pub row: Reconciliation,
}

/// How many documents and reviews the ledger held at the end of a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerDay {
    pub day: NaiveDate,
    pub documents: u64,
    pub reviews: u64,
}

/// The whole dated history of a ledger, as resolution computes it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LedgerHistory {
    pub changes: Vec<IncidentChange>,
    pub incidents: Vec<SummaryVersion>,
    pub reconciliation: Vec<ReconciliationVersion>,
    pub days: Vec<LedgerDay>,
}

impl LedgerHistory {
    /// The ledger as it stood at the end of `day`, read from the versions
    /// valid that day (what a store does in SQL).
    pub fn as_of(&self, day: NaiveDate) -> LedgerAsOf {
        let valid =
            |from: NaiveDate, to: Option<NaiveDate>| from <= day && to.is_none_or(|t| t > day);
        let mut incidents: Vec<IncidentSummary> = self
            .incidents
            .iter()
            .filter(|v| valid(v.from_day, v.to_day))
            .map(|v| v.summary.clone())
            .collect();
        incidents.sort_by(|a, b| (a.sort_day(), &a.id).cmp(&(b.sort_day(), &b.id)));
        let mut reconciliation: Vec<Reconciliation> = self
            .reconciliation
            .iter()
            .filter(|v| valid(v.from_day, v.to_day))
            .map(|v| v.row.clone())
            .collect();
        sort_reconciliation(&mut reconciliation);
        let documents = self
            .days
            .iter()
            .take_while(|d| d.day <= day)
            .last()
            .map_or(0, |d| d.documents);
        LedgerAsOf {
            day: Some(day),
            incidents,
            reconciliation,
            documents,
        }
    }

    /// Changes dated after `since` (undated ones always), one page.
    pub fn changes_since(&self, since: Option<NaiveDate>, offset: u64, limit: u64) -> ChangePage {
        let matching: Vec<&IncidentChange> = self
            .changes
            .iter()
            .filter(|c| since.is_none_or(|s| c.day.is_none_or(|d| d > s)))
            .collect();
        let total = matching.len() as u64;
        let changes: Vec<IncidentChange> = matching
            .into_iter()
            .skip(usize::try_from(offset).unwrap_or(usize::MAX))
            .take(usize::try_from(limit).unwrap_or(usize::MAX))
            .cloned()
            .collect();
        let shown = offset.saturating_add(changes.len() as u64);
        let next = changes
            .last()
            .filter(|_| shown < total)
            .map(|c| c.seq.to_string());
        ChangePage {
            changes,
            total,
            next,
        }
    }
}

/// The reconciliation's own order: dated rows by day, then document, then
/// the total's index; undated last.
pub fn sort_reconciliation(rows: &mut [Reconciliation]) {
    rows.sort_by(|a, b| {
        (a.as_of.is_none(), a.as_of, &a.document_id, a.total_index).cmp(&(
            b.as_of.is_none(),
            b.as_of,
            &b.document_id,
            b.total_index,
        ))
    });
}

/// The ledger as it stood at the end of `day`: listing rows, reconciliation
/// and the number of documents then published.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LedgerAsOf {
    pub day: Option<NaiveDate>,
    /// In the ledger's own order (first day, then id).
    pub incidents: Vec<IncidentSummary>,
    pub reconciliation: Vec<Reconciliation>,
    pub documents: u64,
}

/// One page of changes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChangePage {
    pub changes: Vec<IncidentChange>,
    /// How many changes match in all.
    pub total: u64,
    /// When changes follow the page: the cursor of its last change (its
    /// `seq`), which `LedgerRead::changes` takes back as `after`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// One strike of another organisation's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackerRow {
    /// Line of the file it came from (1 is the header).
    pub line: u64,
    pub date: NaiveDate,
    /// Region key as the ledger keys it (`caribbean`, `eastern_pacific`),
    /// `None` when the tracker does not say.
    pub region: Option<String>,
    pub vessels: Option<u32>,
    pub killed: Option<u32>,
    pub survivors: Option<u32>,
    pub source_url: Option<String>,
}

/// An imported tracker: its name, version (1 on first import, one more on
/// every re-import) and rows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tracker {
    pub name: String,
    pub version: i64,
    /// File name it was imported from, and the SHA-256 of its bytes.
    pub file: String,
    pub sha256: String,
    pub rows: Vec<TrackerRow>,
}

/// How a strike of the ledger and of a tracker compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComparisonStatus {
    Agree,
    Differs,
    OnlyInLedger,
    OnlyInTracker,
}

impl ComparisonStatus {
    pub const ALL: [ComparisonStatus; 4] = [
        ComparisonStatus::Agree,
        ComparisonStatus::Differs,
        ComparisonStatus::OnlyInLedger,
        ComparisonStatus::OnlyInTracker,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ComparisonStatus::Agree => "agree",
            ComparisonStatus::Differs => "differs",
            ComparisonStatus::OnlyInLedger => "only_in_ledger",
            ComparisonStatus::OnlyInTracker => "only_in_tracker",
        }
    }
}

/// The ledger's evidence for one field of a difference: which document and
/// which sentence span say what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComparisonEvidence {
    pub document_id: String,
    pub url: Option<String>,
    pub value: Option<String>,
    pub span: Option<Span>,
}

/// One field the ledger and the tracker disagree on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldDifference {
    pub field: String,
    /// The ledger's value (a range `min–max` when sources disagree).
    pub ledger: Option<String>,
    pub tracker: Option<String>,
    pub evidence: Vec<ComparisonEvidence>,
}

/// The ledger's side of a compared strike.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerSide {
    pub incident_id: String,
    pub date: Option<NaiveDate>,
    pub region: Option<String>,
    pub vessels: Option<String>,
    pub killed: Option<String>,
    pub survivors: Option<String>,
}

/// One strike, compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComparisonRow {
    pub status: ComparisonStatus,
    /// The strike's day: the tracker's when it lists it, else the ledger's.
    pub day: Option<NaiveDate>,
    pub ledger: Option<LedgerSide>,
    pub tracker: Option<TrackerRow>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub differences: Vec<FieldDifference>,
}

/// A tracker compared with the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackerComparison {
    pub name: String,
    pub version: i64,
    pub file: String,
    pub sha256: String,
    pub rows: Vec<ComparisonRow>,
}

impl TrackerComparison {
    /// Rows per status.
    pub fn count(&self, status: ComparisonStatus) -> usize {
        self.rows.iter().filter(|r| r.status == status).count()
    }
}

/// A tracker as listed: name, version, how many rows and how they compare.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrackerInfo {
    pub name: String,
    pub version: i64,
    pub file: String,
    pub sha256: String,
    pub rows: usize,
    pub agree: usize,
    pub differs: usize,
    pub only_in_ledger: usize,
    pub only_in_tracker: usize,
}

impl TrackerInfo {
    pub fn of(c: &TrackerComparison) -> TrackerInfo {
        TrackerInfo {
            name: c.name.clone(),
            version: c.version,
            file: c.file.clone(),
            sha256: c.sha256.clone(),
            rows: c.rows.iter().filter(|r| r.tracker.is_some()).count(),
            agree: c.count(ComparisonStatus::Agree),
            differs: c.count(ComparisonStatus::Differs),
            only_in_ledger: c.count(ComparisonStatus::OnlyInLedger),
            only_in_tracker: c.count(ComparisonStatus::OnlyInTracker),
        }
    }
}
