//! The resolved ledger: incidents built from many strike reports, the
//! reconciliation of stated running totals, and the review log.
//!
//! Owned by the resolve stage; the web layer and exports only read it.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::document::SourceKind;
use crate::extraction::{ClaimKind, ReportRole, Span, Statement};

/// A min–max range over what sources say. Both `None` when no source says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CountRange {
    pub min: Option<u32>,
    pub max: Option<u32>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// Announced by the striking party.
    Declared,
    /// Declared and reported independently with consistent figures; also
    /// given when no declaration is held but two or more independent outlets
    /// agree.
    Corroborated,
    /// Not announced by the striking party in any source held, and reported
    /// by one outlet only. (The weakest grade, and the default.)
    #[default]
    SingleSource,
    /// Sources disagree on date or counts.
    Contested,
    /// Withdrawn by review or by the source.
    Retracted,
    /// The stated running totals cannot hold it, or its figures or date are
    /// far outside the campaign's (a cumulative figure read as a strike):
    /// kept out of the headline sums and charts until a reviewer confirms it.
    Suspect,
}

impl Grade {
    pub const ALL: [Grade; 6] = [
        Grade::Declared,
        Grade::Corroborated,
        Grade::SingleSource,
        Grade::Contested,
        Grade::Retracted,
        Grade::Suspect,
    ];

    pub fn parse(word: &str) -> Option<Grade> {
        Grade::ALL.into_iter().find(|g| g.as_str() == word)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Grade::Declared => "declared",
            Grade::Corroborated => "corroborated",
            Grade::SingleSource => "single_source",
            Grade::Contested => "contested",
            Grade::Retracted => "retracted",
            Grade::Suspect => "suspect",
        }
    }

    /// True when incidents of this grade count in headline sums and charts
    /// (suspect and retracted incidents are listed, never summed).
    pub fn in_headline(self) -> bool {
        !matches!(self, Grade::Suspect | Grade::Retracted)
    }
}

/// Why an incident is graded `suspect`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suspicion {
    /// The rule that fired: `before_campaign`, `figures_out_of_range` or
    /// `totals_cannot_hold`.
    pub rule: String,
    /// A sentence a reader can check.
    pub reason: String,
}

/// One sea of an announcement that covers several (one toll for all,
/// the split between the seas unknown unless a source gives it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentPart {
    pub region: String,
    /// Representative `[longitude, latitude]` of the region.
    pub point: Option<[f64; 2]>,
    /// Boats struck in this sea, when a source says.
    pub vessels: Option<u32>,
    /// Deaths in this sea, when a source splits the toll.
    pub killed: Option<u32>,
}

/// One sea's share of a report of a multi-sea announcement, as the
/// extraction gave it (its report index in the document).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportPart {
    pub report_index: usize,
    pub region: String,
    pub vessels: Option<u32>,
    /// This sea's own deaths, when the text splits the toll.
    pub killed: Option<u32>,
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
    /// Inclusive date range when the report gives one ("earlier this week").
    #[serde(default)]
    pub date_from: Option<NaiveDate>,
    #[serde(default)]
    pub date_to: Option<NaiveDate>,
    /// True when `killed` is a lower bound ("at least 6").
    #[serde(default)]
    pub killed_at_least: bool,
    /// Whose figures these are, as the extraction says.
    #[serde(default)]
    pub announced_by: Option<String>,
    /// True when the report gives no usable date of its own and was attached
    /// to this incident by its counts and region alone.
    #[serde(default)]
    pub undated: bool,
    /// Outlet or account name of the document, when known.
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub location_text: Option<String>,
    /// `[longitude, latitude]` when the report states coordinates.
    #[serde(default)]
    pub coordinates: Option<[f64; 2]>,
    /// For one announcement covering several seas: its per-sea parts (the
    /// report's own figures are then the announcement's combined ones).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<ReportPart>,
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
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
    /// The striking party's date, vessels and survivors when it gave them.
    #[serde(default)]
    pub official_date: Option<NaiveDate>,
    #[serde(default)]
    pub official_vessels: Option<u32>,
    #[serde(default)]
    pub official_survivors: Option<u32>,
    /// Earlier ids that now point here (incidents merged into this one by review).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Values set by review, recorded next to the machine values (which stay
    /// in the fields above).
    #[serde(default)]
    pub reviewed: Vec<ReviewedValue>,
    /// Why the machine graded it `suspect` (kept after a reviewer confirms
    /// it, when the grade is lifted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspect: Option<Suspicion>,
    /// One announcement covering several seas: one part per sea (`region`
    /// is then `None`, and the toll is the combined one, counted once).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<IncidentPart>,
}

impl Incident {
    /// True when a reviewer confirmed the incident.
    pub fn confirmed(&self) -> bool {
        self.reviewed_value("confirmed") == Some("true")
    }

    /// Reports whose figures are the striking party's.
    pub fn official_reports(&self) -> impl Iterator<Item = &IncidentReport> {
        self.reports.iter().filter(|r| r.official)
    }

    /// Reports from anyone else.
    pub fn independent_reports(&self) -> impl Iterator<Item = &IncidentReport> {
        self.reports.iter().filter(|r| !r.official)
    }

    /// The latest reviewed value of `field`, if a review set one.
    pub fn reviewed_value(&self, field: &str) -> Option<&str> {
        self.reviewed
            .iter()
            .rev()
            .find(|v| v.field == field)
            .map(|v| v.value.as_str())
    }

    /// The killed figure that leads: reviewed, else official, else the maximum stated.
    pub fn lead_killed(&self) -> Option<u32> {
        self.reviewed_value("killed")
            .and_then(|v| v.parse().ok())
            .or(self.official_killed)
            .or(self.killed.max)
    }

    /// Source URLs of the reports, deduplicated, in report order.
    pub fn source_urls(&self) -> Vec<&str> {
        let mut seen = std::collections::BTreeSet::new();
        self.reports
            .iter()
            .filter_map(|r| r.url.as_deref())
            .filter(|u| seen.insert(*u))
            .collect()
    }
}

/// A value set by a reviewer, kept beside the machine value it overrides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewedValue {
    pub field: String,
    pub value: String,
    /// What the machine said, when it said anything.
    pub machine_value: Option<String>,
    pub seq: i64,
    pub author: String,
    pub reason: String,
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
    /// stated − ledger (min): the largest number of deaths the ledger may miss.
    #[serde(default)]
    pub killed_gap_min: Option<i64>,
    /// True when the stated killed figure is a lower bound.
    #[serde(default)]
    pub killed_at_least: bool,
    /// Why the stated total and the ledger agree or differ; `None` only when
    /// the total has no date or no figure to compare.
    #[serde(default)]
    pub cause: Option<GapCause>,
    #[serde(default)]
    pub explanation: GapExplanation,
}

/// What explains a stated total's gap from the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GapCause {
    /// The stated figure is inside the ledger's range at the total's place.
    Matched,
    /// The source counts deaths the ledger has no strike for.
    MissingStrike,
    /// The figure matches the ledger as it stood a few days apart: the
    /// total was compiled before (or after) the day it was given.
    AnnouncementLag,
    /// Same strikes, counted differently: presumed dead, survivors, or one
    /// source's own figures.
    CountingDifference,
    /// The total matches only with a suspect incident left out of the ledger.
    SuspectIncident,
}

impl GapCause {
    pub const ALL: [GapCause; 5] = [
        GapCause::Matched,
        GapCause::MissingStrike,
        GapCause::AnnouncementLag,
        GapCause::CountingDifference,
        GapCause::SuspectIncident,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            GapCause::Matched => "matched",
            GapCause::MissingStrike => "missing_strike",
            GapCause::AnnouncementLag => "announcement_lag",
            GapCause::CountingDifference => "counting_difference",
            GapCause::SuspectIncident => "suspect_incident",
        }
    }

    pub fn parse(word: &str) -> Option<GapCause> {
        GapCause::ALL.into_iter().find(|c| c.as_str() == word)
    }
}

/// The details behind a reconciliation row's cause.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GapExplanation {
    /// The last strike the total is taken to include (the incident it is
    /// placed after).
    #[serde(default)]
    pub placed_after: Option<String>,
    /// The last day of the ledger the total is compared with.
    #[serde(default)]
    pub compared_through: Option<NaiveDate>,
    /// For a missing strike: the days that likely lack one.
    #[serde(default)]
    pub likely_from: Option<NaiveDate>,
    #[serde(default)]
    pub likely_to: Option<NaiveDate>,
    /// Incidents the explanation names (the suspect ones left out).
    #[serde(default)]
    pub incidents: Vec<String>,
    /// One or two sentences a reader can check.
    #[serde(default)]
    pub text: String,
}

/// The kinds of human judgment applied on top of machine output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum ReviewAction {
    Confirm {
        incident: String,
    },
    Correct {
        incident: String,
        field: String,
        value: String,
    },
    Merge {
        incident: String,
        into: String,
    },
    Split {
        incident: String,
        document_id: String,
    },
    Reject {
        incident: String,
    },
    Annotate {
        incident: String,
        note: String,
    },
    CorrectSpeaker {
        document_id: String,
        statement_index: usize,
        speaker: String,
    },
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

/// A statement in the ledger, with its document and the incidents it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerStatement {
    pub document_id: String,
    pub statement_index: usize,
    pub url: Option<String>,
    pub published: Option<NaiveDate>,
    /// The speaker a review set, when one did (the machine's stays in `statement`).
    pub reviewed_speaker: Option<String>,
    pub statement: Statement,
    /// Incidents the statement is about, when its document ties it to one.
    pub incidents: Vec<String>,
}

impl LedgerStatement {
    /// The speaker that leads: reviewed, else the machine's.
    pub fn speaker(&self) -> &str {
        self.reviewed_speaker
            .as_deref()
            .unwrap_or(&self.statement.speaker)
    }

    /// When it was said, else when it was published.
    pub fn date(&self) -> Option<NaiveDate> {
        self.statement.said_at.or(self.published)
    }
}

/// One time a claim was made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimOccurrence {
    pub document_id: String,
    pub claim_index: usize,
    pub url: Option<String>,
    pub date: Option<NaiveDate>,
    pub speaker: String,
    pub text: String,
    pub span: Span,
}

/// The same claim (same kind, same normalized text) made one or more times.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimGroup {
    pub kind: ClaimKind,
    /// Normalized text the occurrences are grouped by.
    pub key: String,
    /// The text of the earliest occurrence.
    pub text: String,
    pub speakers: Vec<String>,
    pub first_made: Option<NaiveDate>,
    pub last_made: Option<NaiveDate>,
    pub occurrences: Vec<ClaimOccurrence>,
}

impl ClaimGroup {
    /// Sets `speakers` to the distinct speakers of the occurrences, sorted:
    /// what the group says is derived from them whenever they change.
    pub fn settle_speakers(&mut self) {
        let mut speakers: Vec<String> =
            self.occurrences.iter().map(|o| o.speaker.clone()).collect();
        speakers.sort();
        speakers.dedup();
        self.speakers = speakers;
    }
}

/// What became of one review when it was applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewOutcome {
    pub review: Review,
    pub applied: bool,
    /// Why a review could not be applied, or what it changed.
    pub detail: String,
}

/// The whole resolved ledger: what exports write and the site shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Ledger {
    /// Sorted by date, then id.
    pub incidents: Vec<Incident>,
    /// Reports that could not be tied to any incident (no date, no unique match).
    pub unplaced: Vec<IncidentReport>,
    pub reconciliation: Vec<Reconciliation>,
    pub statements: Vec<LedgerStatement>,
    pub claims: Vec<ClaimGroup>,
    pub review_log: Vec<ReviewOutcome>,
}

impl Ledger {
    pub fn incident(&self, id: &str) -> Option<&Incident> {
        self.incidents
            .iter()
            .find(|i| i.id == id || i.aliases.iter().any(|a| a == id))
    }

    /// Statements grouped by their leading speaker, in date order within each.
    pub fn statements_by_speaker(&self) -> BTreeMap<&str, Vec<&LedgerStatement>> {
        let mut out: BTreeMap<&str, Vec<&LedgerStatement>> = BTreeMap::new();
        for s in &self.statements {
            out.entry(s.speaker()).or_default().push(s);
        }
        for list in out.values_mut() {
            list.sort_by(|a, b| {
                (a.date(), &a.document_id, a.statement_index).cmp(&(
                    b.date(),
                    &b.document_id,
                    b.statement_index,
                ))
            });
        }
        out
    }

    /// Claim groups of one kind.
    pub fn claims_of_kind(&self, kind: ClaimKind) -> impl Iterator<Item = &ClaimGroup> {
        self.claims.iter().filter(move |c| c.kind == kind)
    }
}

/// What one incremental update changed in a [`Ledger`], so a store can
/// write only that. The content itself is read from the updated ledger.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LedgerDelta {
    /// Anything may have changed: write the ledger whole.
    pub whole: bool,
    /// Incidents that are new or changed (by id, as in the ledger).
    pub incidents: Vec<String>,
    /// Incidents no longer in the ledger.
    pub removed_incidents: Vec<String>,
    /// The unplaced reports changed (they are written whole).
    pub unplaced: bool,
    /// Documents whose statements were replaced (all of each one's rows).
    pub statement_documents: Vec<String>,
    /// Claim groups, by kind and key, that changed, appeared or went away.
    pub claim_groups: Vec<(ClaimKind, String)>,
    /// Documents whose claim occurrences were replaced.
    pub claim_documents: Vec<String>,
    /// Documents whose reconciliation rows were replaced.
    pub reconciliation_documents: Vec<String>,
    /// Other reconciliation rows whose ledger side changed, by document and
    /// total index.
    pub reconciliation_rows: Vec<(String, usize)>,
    /// The review outcomes changed (the log is written whole).
    pub review_log: bool,
}

impl LedgerDelta {
    /// A delta that asks for the whole ledger to be written.
    pub fn whole() -> LedgerDelta {
        LedgerDelta {
            whole: true,
            ..LedgerDelta::default()
        }
    }

    /// True when nothing changed.
    pub fn is_empty(&self) -> bool {
        *self == LedgerDelta::default()
    }
}
