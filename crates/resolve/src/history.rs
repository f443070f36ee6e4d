//! The ledger over time, computed deterministically from the corpus.
//!
//! The natural clock is the publication day of the documents and the day of
//! the reviews: the ledger "as it stood on day D" is the ledger resolved from
//! the documents published on or before D, with the reviews made on or
//! before D applied. [`history`] replays the corpus one day at a time through
//! the incremental [`Resolver`] (which gives exactly what a full build
//! gives), and records:
//! - every change of an incident between successive days (added, changed
//!   with its fields, merged into another, deleted), with its cause: the
//!   documents of the day that brought reports, the reviews of the day;
//! - versions of every incident's listing row and of every reconciliation
//!   row, each valid from one day until the next change, so the ledger of
//!   any day is read back without resolving anything.
//!
//! Documents without a publication date join in one last, undated step: their
//! changes carry no day and no as-of view holds them.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use chrono::NaiveDate;
use strikewatch_model::ledger::{Incident, Ledger, Reconciliation, Review, ReviewAction};
use strikewatch_model::read::IncidentSummary;
use strikewatch_model::tracking::{
    CHANGE_DOCUMENTS, ChangeKind, FieldChange, IncidentChange, LedgerDay, LedgerHistory,
    ReconciliationVersion, SummaryVersion,
};

use crate::config::ResolveConfig;
use crate::engine::{ResolveDelta, Resolver};
use crate::error::ResolveError;
use crate::input::{ResolveInput, SourceDocument};
use crate::reviews::apply_reviews_with;

/// Documents named in a change's cause text.
const CAUSE_DOCUMENTS: usize = 3;

/// The day a review was made: the date of its RFC 3339 `at`.
pub fn review_day(r: &Review) -> Option<NaiveDate> {
    r.at.get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

/// One step of the replay: a day, or the undated documents at the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Day(NaiveDate),
    Undated,
}

impl Step {
    fn day(self) -> Option<NaiveDate> {
        match self {
            Step::Day(d) => Some(d),
            Step::Undated => None,
        }
    }
}

/// What the ledger looked like at the end of a step. Incidents are shared
/// between steps: an unchanged incident is the same allocation.
#[derive(Default)]
struct State {
    incidents: BTreeMap<String, Arc<Incident>>,
    reconciliation: BTreeMap<(String, usize), Reconciliation>,
    /// True when the incidents are exactly the resolver's (no review
    /// applied, no id disambiguated), so the next step may update them by
    /// the resolver's delta.
    machine_exact: bool,
}

/// Versions kept open while replaying.
#[derive(Default)]
struct Versions {
    incidents: BTreeMap<String, SummaryVersion>,
    reconciliation: BTreeMap<(String, usize), ReconciliationVersion>,
    closed_incidents: Vec<SummaryVersion>,
    closed_reconciliation: Vec<ReconciliationVersion>,
}

/// The incident ids a review names.
fn review_targets(r: &Review) -> Vec<&str> {
    match &r.action {
        ReviewAction::Confirm { incident }
        | ReviewAction::Correct { incident, .. }
        | ReviewAction::Split { incident, .. }
        | ReviewAction::Reject { incident }
        | ReviewAction::Annotate { incident, .. } => vec![incident.as_str()],
        ReviewAction::Merge { incident, into } => vec![incident.as_str(), into.as_str()],
        ReviewAction::CorrectSpeaker { .. } => Vec::new(),
    }
}

fn review_name(r: &Review) -> &'static str {
    match &r.action {
        ReviewAction::Confirm { .. } => "confirm",
        ReviewAction::Correct { .. } => "correct",
        ReviewAction::Merge { .. } => "merge",
        ReviewAction::Split { .. } => "split",
        ReviewAction::Reject { .. } => "reject",
        ReviewAction::Annotate { .. } => "annotate",
        ReviewAction::CorrectSpeaker { .. } => "speaker",
    }
}

fn opt<T: ToString>(v: Option<T>) -> Option<String> {
    v.map(|v| v.to_string())
}

fn joined(items: impl Iterator<Item = String>) -> Option<String> {
    let v: Vec<String> = items.collect();
    if v.is_empty() {
        None
    } else {
        Some(v.join(", "))
    }
}

fn range(r: strikewatch_model::ledger::CountRange) -> Option<String> {
    match (r.min, r.max) {
        (Some(a), Some(b)) if a != b => Some(format!("{a}–{b}")),
        (_, Some(b)) => Some(b.to_string()),
        (Some(a), None) => Some(a.to_string()),
        (None, None) => None,
    }
}

/// The fields of an incident whose changes its history records, as text.
fn tracked_fields(i: &Incident) -> Vec<(&'static str, Option<String>)> {
    vec![
        ("date", opt(i.date)),
        ("date_from", opt(i.date_from)),
        ("date_to", opt(i.date_to)),
        ("region", i.region.clone()),
        ("vessels", range(i.vessels)),
        ("killed", range(i.killed)),
        ("survivors", range(i.survivors)),
        ("official_killed", opt(i.official_killed)),
        ("grade", Some(i.grade.as_str().to_string())),
        ("reports", Some(i.reports.len().to_string())),
        (
            "conflicts",
            joined(i.conflicts.iter().map(|c| c.field.clone())),
        ),
        ("corrections", Some(i.corrections.len().to_string())),
        ("notes", Some(i.notes.len().to_string())),
        ("aliases", joined(i.aliases.iter().cloned())),
        (
            "reviewed",
            joined(
                i.reviewed
                    .iter()
                    .map(|v| format!("{}={}", v.field, v.value)),
            ),
        ),
    ]
}

fn field_changes(old: &Incident, new: &Incident) -> Vec<FieldChange> {
    tracked_fields(old)
        .into_iter()
        .zip(tracked_fields(new))
        .filter(|((_, a), (_, b))| a != b)
        .map(|((field, from), (_, to))| FieldChange {
            field: field.to_string(),
            from,
            to,
        })
        .collect()
}

/// Ranges that grew wider: "killed range widened".
fn widened(old: &Incident, new: &Incident) -> Vec<&'static str> {
    let spread = |r: strikewatch_model::ledger::CountRange| match (r.min, r.max) {
        (Some(a), Some(b)) => b.saturating_sub(a),
        _ => 0,
    };
    [
        ("vessels", old.vessels, new.vessels),
        ("killed", old.killed, new.killed),
        ("survivors", old.survivors, new.survivors),
    ]
    .into_iter()
    .filter(|(_, a, b)| spread(*b) > spread(*a))
    .map(|(f, _, _)| f)
    .collect()
}

/// What the step brought to an incident: documents of the day among its
/// reports that were not there before, and the reviews of the day naming it.
struct Cause {
    /// Every document that brought reports, by id.
    documents: Vec<String>,
    reviews: Vec<i64>,
    review_names: Vec<String>,
}

fn cause_of(
    id: &str,
    old: Option<&Incident>,
    new: Option<&Incident>,
    step_documents: &BTreeSet<&str>,
    step_reviews: &[&Review],
) -> Cause {
    let before: BTreeSet<(&str, usize)> = old
        .map(|i| {
            i.reports
                .iter()
                .map(|r| (r.document_id.as_str(), r.report_index))
                .collect()
        })
        .unwrap_or_default();
    let documents: BTreeSet<String> = new
        .map(|i| {
            i.reports
                .iter()
                .filter(|r| step_documents.contains(r.document_id.as_str()))
                .filter(|r| !before.contains(&(r.document_id.as_str(), r.report_index)))
                .map(|r| r.document_id.clone())
                .collect()
        })
        .unwrap_or_default();
    let aliases: Vec<&str> = new
        .map(|i| i.aliases.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let named: Vec<&&Review> = step_reviews
        .iter()
        .filter(|r| {
            review_targets(r)
                .iter()
                .any(|t| *t == id || aliases.contains(t))
        })
        .collect();
    Cause {
        documents: documents.into_iter().collect(),
        reviews: named.iter().map(|r| r.seq).collect(),
        review_names: named
            .iter()
            .map(|r| format!("review #{} ({})", r.seq, review_name(r)))
            .collect(),
    }
}

fn cause_text(kind: ChangeKind, cause: &Cause, widened: &[&str], into: Option<&str>) -> String {
    let mut parts: Vec<String> = Vec::new();
    if !cause.documents.is_empty() {
        let what = if kind == ChangeKind::Added {
            "first reported"
        } else {
            "report added"
        };
        let named = cause.documents.iter().take(CAUSE_DOCUMENTS).cloned();
        let more = cause.documents.len().saturating_sub(CAUSE_DOCUMENTS);
        let mut list = named.collect::<Vec<_>>().join(", ");
        if more > 0 {
            list.push_str(&format!(" and {more} more"));
        }
        parts.push(format!("{what}: {list}"));
    }
    for f in widened {
        parts.push(format!("{f} range widened"));
    }
    parts.extend(cause.review_names.iter().cloned());
    if let Some(target) = into {
        parts.push(format!("now part of {target}"));
    }
    if parts.is_empty() {
        parts.push("regrouped with the reports of the day".into());
    }
    parts.join("; ")
}

/// The incident of `now` that holds most of `old`'s reports, or that lists
/// it as an alias.
fn successor<'a>(old: &Incident, now: &'a BTreeMap<String, Arc<Incident>>) -> Option<&'a Incident> {
    if let Some(i) = now.values().find(|i| i.aliases.contains(&old.id)) {
        return Some(i.as_ref());
    }
    let keys: BTreeSet<(&str, usize)> = old
        .reports
        .iter()
        .map(|r| (r.document_id.as_str(), r.report_index))
        .collect();
    now.values()
        .map(|i| {
            let held = i
                .reports
                .iter()
                .filter(|r| keys.contains(&(r.document_id.as_str(), r.report_index)))
                .count();
            (held, std::cmp::Reverse(i.id.as_str()), i.as_ref())
        })
        .filter(|(held, _, _)| *held > 0)
        .max_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)))
        .map(|(_, _, i)| i)
}

/// The changes between two successive states, in incident id order.
fn diff_states(
    step: Step,
    old: &State,
    new: &State,
    step_documents: &BTreeSet<&str>,
    step_reviews: &[&Review],
) -> Vec<IncidentChange> {
    let ids: BTreeSet<&String> = old.incidents.keys().chain(new.incidents.keys()).collect();
    let mut out = Vec::new();
    for id in ids {
        let (a, b) = (
            old.incidents.get(id).map(Arc::as_ref),
            new.incidents.get(id).map(Arc::as_ref),
        );
        // Most incidents do not change on a given day: look no further.
        if let (Some(a), Some(b)) = (a, b)
            && (std::ptr::eq(a, b) || tracked_fields(a) == tracked_fields(b))
        {
            continue;
        }
        let cause = cause_of(id, a, b, step_documents, step_reviews);
        let change = |kind, fields, into: Option<String>, text: String| IncidentChange {
            seq: 0,
            day: step.day(),
            incident_id: id.clone(),
            kind,
            fields,
            into,
            cause: text,
            documents: cause
                .documents
                .iter()
                .take(CHANGE_DOCUMENTS)
                .cloned()
                .collect(),
            more_documents: cause.documents.len().saturating_sub(CHANGE_DOCUMENTS) as u64,
            reviews: cause.reviews.clone(),
        };
        match (a, b) {
            (None, Some(_)) => out.push(change(
                ChangeKind::Added,
                Vec::new(),
                None,
                cause_text(ChangeKind::Added, &cause, &[], None),
            )),
            (Some(a), Some(b)) => {
                let fields = field_changes(a, b);
                if !fields.is_empty() {
                    let text = cause_text(ChangeKind::Changed, &cause, &widened(a, b), None);
                    out.push(change(ChangeKind::Changed, fields, None, text));
                }
            }
            (Some(a), None) => match successor(a, &new.incidents) {
                Some(s) => {
                    let text = cause_text(ChangeKind::Merged, &cause, &[], Some(&s.id));
                    out.push(change(
                        ChangeKind::Merged,
                        Vec::new(),
                        Some(s.id.clone()),
                        text,
                    ));
                }
                None => {
                    let text = cause_text(ChangeKind::Deleted, &cause, &[], None);
                    out.push(change(ChangeKind::Deleted, Vec::new(), None, text));
                }
            },
            (None, None) => {}
        }
    }
    out
}

impl Versions {
    /// Closes versions that changed or ended on `day` and opens new ones
    /// (`before` is the previous step's state: incidents it shares are
    /// unchanged).
    fn advance(&mut self, day: NaiveDate, before: &State, state: &State) {
        let gone: Vec<String> = self
            .incidents
            .keys()
            .filter(|id| !state.incidents.contains_key(*id))
            .cloned()
            .collect();
        for id in gone {
            if let Some(mut v) = self.incidents.remove(&id) {
                v.to_day = Some(day);
                self.closed_incidents.push(v);
            }
        }
        for (id, incident) in &state.incidents {
            let same = before
                .incidents
                .get(id)
                .is_some_and(|b| Arc::ptr_eq(b, incident));
            if same && self.incidents.contains_key(id) {
                continue;
            }
            let summary = IncidentSummary::of(incident);
            if self.incidents.get(id).is_some_and(|v| v.summary == summary) {
                continue;
            }
            if let Some(mut v) = self.incidents.remove(id) {
                v.to_day = Some(day);
                self.closed_incidents.push(v);
            }
            self.incidents.insert(
                id.clone(),
                SummaryVersion {
                    from_day: day,
                    to_day: None,
                    summary,
                },
            );
        }
        let gone: Vec<(String, usize)> = self
            .reconciliation
            .keys()
            .filter(|k| !state.reconciliation.contains_key(*k))
            .cloned()
            .collect();
        for k in gone {
            if let Some(mut v) = self.reconciliation.remove(&k) {
                v.to_day = Some(day);
                self.closed_reconciliation.push(v);
            }
        }
        for (k, row) in &state.reconciliation {
            if self.reconciliation.get(k).is_some_and(|v| &v.row == row) {
                continue;
            }
            if let Some(mut v) = self.reconciliation.remove(k) {
                v.to_day = Some(day);
                self.closed_reconciliation.push(v);
            }
            self.reconciliation.insert(
                k.clone(),
                ReconciliationVersion {
                    from_day: day,
                    to_day: None,
                    row: row.clone(),
                },
            );
        }
    }

    fn finish(mut self) -> (Vec<SummaryVersion>, Vec<ReconciliationVersion>) {
        let mut incidents = std::mem::take(&mut self.closed_incidents);
        incidents.extend(self.incidents.into_values());
        incidents.sort_by(|a, b| (&a.summary.id, a.from_day).cmp(&(&b.summary.id, b.from_day)));
        let mut reconciliation = std::mem::take(&mut self.closed_reconciliation);
        reconciliation.extend(self.reconciliation.into_values());
        reconciliation.sort_by(|a, b| {
            (&a.row.document_id, a.row.total_index, a.from_day).cmp(&(
                &b.row.document_id,
                b.row.total_index,
                b.from_day,
            ))
        });
        (incidents, reconciliation)
    }
}

/// The ledger's parts at the end of a step: the resolver's incidents and
/// reconciliation with the reviews made so far applied.
fn state_of(resolver: &Resolver, reviews: &[Review], cfg: &ResolveConfig) -> State {
    let (incidents, reconciliation) = resolver.incidents_and_reconciliation();
    let machine_exact = reviews.is_empty() && !resolver.has_id_collisions();
    let (incidents, reconciliation) = if reviews.is_empty() {
        (incidents, reconciliation)
    } else {
        let machine = Ledger {
            incidents,
            reconciliation,
            ..Ledger::default()
        };
        let reviewed = apply_reviews_with(&machine, reviews, cfg);
        (reviewed.incidents, reviewed.reconciliation)
    };
    State {
        incidents: incidents
            .into_iter()
            .map(|i| (i.id.clone(), Arc::new(i)))
            .collect(),
        reconciliation: reconciliation_by_key(reconciliation),
        machine_exact,
    }
}

fn reconciliation_by_key(rows: Vec<Reconciliation>) -> BTreeMap<(String, usize), Reconciliation> {
    rows.into_iter()
        .map(|r| ((r.document_id.clone(), r.total_index), r))
        .collect()
}

/// An incident with only the reports reconciliation reads: the main, dated
/// reports of documents that state a total (cheap to copy every day).
fn placement_copy(i: &Incident, stating: &std::collections::HashSet<&str>) -> Incident {
    // Every field but `reports` is listed, so a new field is a decision
    // here, not a silent drop.
    Incident {
        id: i.id.clone(),
        date: i.date,
        date_from: i.date_from,
        date_to: i.date_to,
        region: i.region.clone(),
        point: i.point,
        point_precision: i.point_precision.clone(),
        vessels: i.vessels,
        killed: i.killed,
        survivors: i.survivors,
        official_killed: i.official_killed,
        grade: i.grade,
        reports: i
            .reports
            .iter()
            .filter(|r| {
                r.role == strikewatch_model::ReportRole::Main
                    && !r.undated
                    && stating.contains(r.document_id.as_str())
            })
            .cloned()
            .collect(),
        conflicts: i.conflicts.clone(),
        corrections: i.corrections.clone(),
        notes: i.notes.clone(),
        official_date: i.official_date,
        official_vessels: i.official_vessels,
        official_survivors: i.official_survivors,
        aliases: i.aliases.clone(),
        reviewed: i.reviewed.clone(),
        suspect: i.suspect.clone(),
        parts: i.parts.clone(),
    }
}

/// The next state from the previous one and the resolver's delta, when the
/// previous state is exactly the resolver's and nothing forces a whole
/// rebuild of it (reviews, ids disambiguated); `None` otherwise.
fn state_by_delta(resolver: &Resolver, before: &State, delta: &ResolveDelta) -> Option<State> {
    if !before.machine_exact || resolver.has_id_collisions() {
        return None;
    }
    let mut incidents = before.incidents.clone();
    for id in &delta.removed {
        incidents.remove(id);
    }
    let changed: BTreeSet<String> = delta.changed.iter().cloned().collect();
    for i in resolver.shared_incidents_named(&changed) {
        incidents.insert(i.id.clone(), i);
    }
    // An incident whose id changed leaves a stale entry: start over.
    if incidents.len() != resolver.incident_count() {
        return None;
    }
    // Placement and suspicion are settled over the whole ledger, on copies
    // that keep only the reports placement reads (a stating document's main,
    // dated reports); an incident whose suspicion or grade moved takes its
    // grade again from all its reports.
    let stating = resolver.stating_documents();
    let mut settled: Vec<Incident> = incidents
        .values()
        .map(|i| placement_copy(i, &stating))
        .collect();
    crate::engine::sort_incidents(&mut settled);
    let reconciliation = resolver.settle_with(&mut settled);
    for after in settled {
        if let Some(full) = incidents.get_mut(&after.id)
            && (full.suspect != after.suspect || full.grade != after.grade)
        {
            let mut updated = Incident::clone(full);
            updated.suspect = after.suspect;
            crate::suspect::settle_grade(&mut updated);
            *full = Arc::new(updated);
        }
    }
    Some(State {
        reconciliation: reconciliation_by_key(reconciliation),
        incidents,
        machine_exact: true,
    })
}

/// The replay plan: documents and reviews by step, in step order (the
/// documents moved, not copied).
fn plan(
    documents: Vec<SourceDocument>,
    reviews: &[Review],
) -> BTreeMap<Step, (Vec<SourceDocument>, Vec<&Review>)> {
    let mut steps: BTreeMap<Step, (Vec<SourceDocument>, Vec<&Review>)> = BTreeMap::new();
    for doc in documents {
        let step = doc.meta.published.map_or(Step::Undated, Step::Day);
        steps.entry(step).or_default().0.push(doc);
    }
    for r in reviews {
        let step = review_day(r).map_or(Step::Undated, Step::Day);
        steps.entry(step).or_default().1.push(r);
    }
    for (docs, revs) in steps.values_mut() {
        docs.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
        revs.sort_by_key(|r| r.seq);
    }
    steps
}

/// What one replay of the corpus gives: its dated history and, from the
/// same resolver at the end of the last step, the machine ledger (no
/// reviews applied), which is what a full [`crate::resolve`] of the corpus
/// gives.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Replay {
    pub history: LedgerHistory,
    pub machine: Ledger,
}

/// Replays `input` and `reviews` day by day into the ledger's history
/// (a copy of `input` is replayed; [`replay`] takes the corpus instead).
pub fn history(
    input: &ResolveInput,
    reviews: &[Review],
    cfg: &ResolveConfig,
) -> Result<LedgerHistory, ResolveError> {
    Ok(replay_steps(input.documents.clone(), reviews, cfg)?.0)
}

/// Replays the corpus (moved into the replay, not copied) day by day into
/// its history.
pub fn history_of(
    input: ResolveInput,
    reviews: &[Review],
    cfg: &ResolveConfig,
) -> Result<LedgerHistory, ResolveError> {
    Ok(replay_steps(input.documents, reviews, cfg)?.0)
}

/// Replays the corpus day by day into its history and its machine ledger.
///
/// The corpus is moved into the replay's resolver, and each day's state
/// shares the resolver's incidents, so what is held at once is one copy of
/// the extractions with their reports and incidents, not one per stage
/// (resolving the corpus apart from its replay held both, and the input
/// beside them).
pub fn replay(
    input: ResolveInput,
    reviews: &[Review],
    cfg: &ResolveConfig,
) -> Result<Replay, ResolveError> {
    let (history, resolver) = replay_steps(input.documents, reviews, cfg)?;
    Ok(Replay {
        history,
        machine: resolver.into_ledger(),
    })
}

fn replay_steps(
    documents: Vec<SourceDocument>,
    reviews: &[Review],
    cfg: &ResolveConfig,
) -> Result<(LedgerHistory, Resolver), ResolveError> {
    {
        let mut seen: HashMap<&str, ()> = HashMap::with_capacity(documents.len());
        for doc in &documents {
            if seen.insert(doc.meta.id.as_str(), ()).is_some() {
                return Err(ResolveError::DuplicateDocument(doc.meta.id.clone()));
            }
        }
    }
    let mut resolver = Resolver::new(cfg.clone());
    let mut applied: Vec<Review> = Vec::new();
    let mut state = State {
        machine_exact: true,
        ..State::default()
    };
    let mut versions = Versions::default();
    let mut out = LedgerHistory::default();
    let mut documents_seen = 0u64;
    for (step, (docs, revs)) in plan(documents, reviews) {
        let ids: Vec<String> = docs.iter().map(|d| d.meta.id.clone()).collect();
        documents_seen += docs.len() as u64;
        let delta = resolver.add_all(docs);
        applied.extend(revs.iter().map(|r| (*r).clone()));
        applied.sort_by_key(|r| r.seq);
        let by_delta = if applied.is_empty() {
            state_by_delta(&resolver, &state, &delta)
        } else {
            None
        };
        let next = by_delta.unwrap_or_else(|| state_of(&resolver, &applied, cfg));
        let step_documents: BTreeSet<&str> = ids.iter().map(String::as_str).collect();
        out.changes
            .extend(diff_states(step, &state, &next, &step_documents, &revs));
        if let Step::Day(day) = step {
            versions.advance(day, &state, &next);
            out.days.push(LedgerDay {
                day,
                documents: documents_seen,
                reviews: applied.len() as u64,
            });
        }
        state = next;
    }
    // The last state shares the resolver's incidents: let go of it so the
    // ledger can take them without a copy.
    drop(state);
    for (n, change) in out.changes.iter_mut().enumerate() {
        change.seq = n as u64 + 1;
    }
    let (incidents, reconciliation) = versions.finish();
    out.incidents = incidents;
    out.reconciliation = reconciliation;
    Ok((out, resolver))
}
