//! The resolver: holds every document's reports indexed by date, the strikes
//! ("cores") built from them and the incidents materialized from those, and
//! keeps them up to date as documents arrive. An update re-resolves only the
//! days its reports can influence, and gives exactly the ledger a full
//! rebuild gives.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use chrono::{Duration, NaiveDate};
use strikewatch_model::ledger::{Incident, IncidentReport, Ledger, Reconciliation};

use crate::attach::{attach_target, fits};
use crate::cluster::{Core, CoreId, DayIndex, compute_cores, dependency_radius};
use crate::config::ResolveConfig;
use crate::error::ResolveError;
use crate::input::{ResolveInput, SourceDocument};
use crate::materialize::{materialize, sort_reports};
use crate::reconcile::{reconcile, settle};
use crate::report::{Placement, Rep, RepKey, reps_of};
use crate::statements::{claim_groups, claim_occurrences, statements};

/// What one update changed, by incident id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResolveDelta {
    /// Incidents that are new or whose content changed.
    pub changed: Vec<String>,
    /// Incidents that no longer exist (their reports now sit elsewhere).
    pub removed: Vec<String>,
    /// The day window that was re-resolved, if any.
    pub window: Option<(NaiveDate, NaiveDate)>,
}

struct DocEntry {
    doc: SourceDocument,
    reps: Vec<Arc<Rep>>,
}

/// Incremental resolution state.
pub struct Resolver {
    cfg: Arc<ResolveConfig>,
    docs: BTreeMap<String, DocEntry>,
    day: DayIndex,
    range: DayIndex,
    /// Undated reports by the last day of their window.
    loose: DayIndex,
    /// Undated reports with no window at all.
    nowhere: BTreeMap<RepKey, Arc<Rep>>,
    cores: BTreeMap<NaiveDate, Vec<Core>>,
    attached: HashMap<RepKey, CoreId>,
    attached_to: BTreeMap<CoreId, BTreeMap<RepKey, Arc<Rep>>>,
    /// Shared, so the history's replay holds each day's incidents without
    /// copying them (an incident is never changed in place: a changed one
    /// is materialized anew).
    incidents: BTreeMap<CoreId, Arc<Incident>>,
}

fn shift(d: NaiveDate, days: i64) -> NaiveDate {
    d.checked_add_signed(Duration::days(days)).unwrap_or(d)
}

fn index_insert(index: &mut DayIndex, day: NaiveDate, rep: Arc<Rep>) {
    let list = index.entry(day).or_default();
    let pos = list.partition_point(|r| r.key < rep.key);
    list.insert(pos, rep);
}

fn index_remove(index: &mut DayIndex, day: NaiveDate, key: &RepKey) {
    if let Some(list) = index.get_mut(&day) {
        list.retain(|r| &r.key != key);
        if list.is_empty() {
            index.remove(&day);
        }
    }
}

impl Resolver {
    pub fn new(cfg: ResolveConfig) -> Resolver {
        Resolver {
            cfg: Arc::new(cfg),
            docs: BTreeMap::new(),
            day: BTreeMap::new(),
            range: BTreeMap::new(),
            loose: BTreeMap::new(),
            nowhere: BTreeMap::new(),
            cores: BTreeMap::new(),
            attached: HashMap::new(),
            attached_to: BTreeMap::new(),
            incidents: BTreeMap::new(),
        }
    }

    /// A resolver with the bundled data files.
    pub fn bundled() -> Result<Resolver, ResolveError> {
        Ok(Resolver::new(ResolveConfig::bundled()?))
    }

    pub fn config(&self) -> &ResolveConfig {
        &self.cfg
    }

    pub fn document_count(&self) -> usize {
        self.docs.len()
    }

    /// Full build from a whole corpus (faster than adding one by one).
    pub fn from_input(cfg: ResolveConfig, input: &ResolveInput) -> Result<Resolver, ResolveError> {
        Resolver::from_documents(cfg, input.documents.clone())
    }

    /// Full build from a whole corpus moved in (no copy of it is made).
    pub fn from_documents(
        cfg: ResolveConfig,
        documents: Vec<SourceDocument>,
    ) -> Result<Resolver, ResolveError> {
        let mut r = Resolver::new(cfg);
        for doc in documents {
            if r.docs.contains_key(&doc.meta.id) {
                return Err(ResolveError::DuplicateDocument(doc.meta.id.clone()));
            }
            r.index_document(doc);
        }
        r.rebuild_all();
        Ok(r)
    }

    fn index_document(&mut self, mut doc: SourceDocument) -> Vec<Arc<Rep>> {
        let reps = reps_of(&doc.meta, &doc.extraction, &self.cfg);
        // The reports hold each strike report's evidence now: the one kept
        // with the document would be a second copy of every span, and
        // nothing reads it there (statements read a report's role).
        for report in &mut doc.extraction.incidents {
            report.evidence = BTreeMap::new();
        }
        for rep in &reps {
            match rep.placement {
                Placement::Day(d) => index_insert(&mut self.day, d, rep.clone()),
                Placement::Range(f, _) => index_insert(&mut self.range, f, rep.clone()),
                Placement::Loose(Some((_, to))) => index_insert(&mut self.loose, to, rep.clone()),
                Placement::Loose(None) => {
                    self.nowhere.insert(rep.key.clone(), rep.clone());
                }
            }
        }
        self.docs.insert(
            doc.meta.id.clone(),
            DocEntry {
                doc,
                reps: reps.clone(),
            },
        );
        reps
    }

    fn unindex_document(&mut self, id: &str) -> Vec<Arc<Rep>> {
        let Some(entry) = self.docs.remove(id) else {
            return Vec::new();
        };
        for rep in &entry.reps {
            match rep.placement {
                Placement::Day(d) => index_remove(&mut self.day, d, &rep.key),
                Placement::Range(f, _) => index_remove(&mut self.range, f, &rep.key),
                Placement::Loose(Some((_, to))) => index_remove(&mut self.loose, to, &rep.key),
                Placement::Loose(None) => {
                    self.nowhere.remove(&rep.key);
                }
            }
        }
        entry.reps
    }

    fn rebuild_all(&mut self) {
        self.cores.clear();
        self.attached.clear();
        self.attached_to.clear();
        self.incidents.clear();
        let first = [self.day.keys().next(), self.range.keys().next()]
            .into_iter()
            .flatten()
            .min()
            .copied();
        let last = [self.day.keys().next_back(), self.range.keys().next_back()]
            .into_iter()
            .flatten()
            .max()
            .copied();
        if let (Some(lo), Some(hi)) = (first, last) {
            for core in compute_cores(&self.day, &self.range, lo, hi, &self.cfg) {
                self.cores.entry(core.anchor).or_default().push(core);
            }
        }
        let loose: Vec<Arc<Rep>> = self.loose.values().flatten().cloned().collect();
        for rep in loose {
            self.reattach(&rep, &mut BTreeSet::new());
        }
        let ids: Vec<CoreId> = self.cores.values().flatten().map(Core::id).collect();
        for id in ids {
            self.rematerialize(&id);
        }
    }

    /// Adds a document, or replaces the one with the same id.
    pub fn add(&mut self, doc: SourceDocument) -> ResolveDelta {
        let old = self.unindex_document(&doc.meta.id);
        let new = self.index_document(doc);
        self.update(old, new)
    }

    /// Adds or replaces several documents with one re-resolution of the
    /// days they touch (what replaying a corpus day by day needs).
    pub fn add_all(&mut self, docs: Vec<SourceDocument>) -> ResolveDelta {
        let mut old = Vec::new();
        let mut new = Vec::new();
        for doc in docs {
            old.extend(self.unindex_document(&doc.meta.id));
            new.extend(self.index_document(doc));
        }
        self.update(old, new)
    }

    /// Removes a document and everything it said.
    pub fn remove(&mut self, id: &str) -> ResolveDelta {
        let old = self.unindex_document(id);
        self.update(old, Vec::new())
    }

    fn update(&mut self, old: Vec<Arc<Rep>>, new: Vec<Arc<Rep>>) -> ResolveDelta {
        let before: BTreeMap<CoreId, String> = self
            .incidents
            .iter()
            .map(|(k, v)| (k.clone(), v.id.clone()))
            .collect();
        let mut dirty: BTreeSet<CoreId> = BTreeSet::new();
        let radius = dependency_radius(&self.cfg);
        let dated: Vec<(NaiveDate, NaiveDate)> = old
            .iter()
            .chain(&new)
            .filter(|r| matches!(r.placement, Placement::Day(_) | Placement::Range(..)))
            .filter_map(|r| r.span_days())
            .collect();
        // Each report touches the days around it only: merge overlapping
        // neighbourhoods into separate windows rather than one span from
        // the earliest to the latest report.
        let mut spans: Vec<(NaiveDate, NaiveDate)> = dated
            .iter()
            .map(|(a, b)| (shift(*a, -radius), shift(*b, radius)))
            .collect();
        spans.sort();
        let mut windows: Vec<(NaiveDate, NaiveDate)> = Vec::new();
        for (a, b) in spans {
            match windows.last_mut() {
                Some(w) if a <= shift(w.1, 1) => w.1 = w.1.max(b),
                _ => windows.push((a, b)),
            }
        }
        let window = match (windows.first(), windows.last()) {
            (Some(f), Some(l)) => Some((f.0, l.1)),
            _ => None,
        };
        // Undated reports whose target may have changed.
        let mut recheck: BTreeMap<RepKey, Arc<Rep>> = BTreeMap::new();
        for rep in old
            .iter()
            .filter(|r| matches!(r.placement, Placement::Loose(_)))
        {
            self.detach(&rep.key, &mut dirty);
        }
        for rep in new
            .iter()
            .filter(|r| matches!(r.placement, Placement::Loose(_)))
        {
            recheck.insert(rep.key.clone(), rep.clone());
        }
        let mut old_cores: BTreeMap<CoreId, Core> = BTreeMap::new();
        for (lo, hi) in windows {
            let days: Vec<NaiveDate> = self.cores.range(lo..=hi).map(|(d, _)| *d).collect();
            let removed: BTreeMap<CoreId, Core> = days
                .iter()
                .filter_map(|d| self.cores.remove(d))
                .flatten()
                .map(|c| (c.id(), c))
                .collect();
            let fresh = compute_cores(&self.day, &self.range, lo, hi, &self.cfg);
            let mut new_ids = BTreeSet::new();
            for core in fresh {
                let id = core.id();
                let same = removed.get(&id).is_some_and(|o| o.same_reports(&core));
                if !same {
                    dirty.insert(id.clone());
                }
                new_ids.insert(id);
                self.cores.entry(core.anchor).or_default().push(core);
            }
            for list in self.cores.range_mut(lo..=hi) {
                list.1.sort_by_key(Core::id);
            }
            for gone in removed.keys().filter(|k| !new_ids.contains(*k)) {
                dirty.insert(gone.clone());
            }
            old_cores.extend(removed);
        }
        {
            // Only undated mentions that a changed strike fits (before or
            // after the change), or that sat on one, can change target.
            let changed: Vec<&Core> = dirty
                .iter()
                .flat_map(|id| [self.find_core(id), old_cores.get(id)])
                .flatten()
                .collect();
            if let (Some(first), Some(last)) = (
                changed.iter().map(|c| c.anchor).min(),
                changed.iter().map(|c| c.anchor).max(),
            ) {
                let lookback = self.cfg.dates.undated_lookback_days;
                for (_, list) in self.loose.range(first..=shift(last, lookback.max(1) + 1)) {
                    for rep in list {
                        let Placement::Loose(Some((f, t))) = rep.placement else {
                            continue;
                        };
                        let sat_on_changed = self
                            .attached
                            .get(&rep.key)
                            .is_some_and(|c| dirty.contains(c));
                        let fits_changed = changed
                            .iter()
                            .any(|c| f <= c.anchor && c.anchor <= t && fits(c, rep));
                        if sat_on_changed || fits_changed {
                            recheck.insert(rep.key.clone(), rep.clone());
                        }
                    }
                }
            }
        }
        for rep in recheck.values() {
            self.reattach(rep, &mut dirty);
        }
        for id in &dirty {
            self.rematerialize(id);
        }
        let mut delta = ResolveDelta {
            window,
            ..ResolveDelta::default()
        };
        for id in &dirty {
            match (before.get(id), self.incidents.get(id)) {
                (_, Some(now)) => delta.changed.push(now.id.clone()),
                (Some(was), None) => delta.removed.push(was.clone()),
                (None, None) => {}
            }
        }
        delta.changed.sort();
        delta.changed.dedup();
        delta.removed.retain(|r| !delta.changed.contains(r));
        delta.removed.sort();
        delta.removed.dedup();
        delta
    }

    fn detach(&mut self, key: &RepKey, dirty: &mut BTreeSet<CoreId>) {
        if let Some(core) = self.attached.remove(key) {
            if let Some(set) = self.attached_to.get_mut(&core) {
                set.remove(key);
                if set.is_empty() {
                    self.attached_to.remove(&core);
                }
            }
            dirty.insert(core);
        }
    }

    fn reattach(&mut self, rep: &Arc<Rep>, dirty: &mut BTreeSet<CoreId>) {
        let target = attach_target(rep, &self.cores);
        if self.attached.get(&rep.key) == target.as_ref() {
            return;
        }
        self.detach(&rep.key, dirty);
        if let Some(core) = target {
            self.attached.insert(rep.key.clone(), core.clone());
            self.attached_to
                .entry(core.clone())
                .or_default()
                .insert(rep.key.clone(), rep.clone());
            dirty.insert(core);
        }
    }

    fn find_core(&self, id: &CoreId) -> Option<&Core> {
        self.cores.get(&id.0)?.iter().find(|c| &c.id() == id)
    }

    fn rematerialize(&mut self, id: &CoreId) {
        let Some(core) = self.find_core(id) else {
            self.incidents.remove(id);
            return;
        };
        let mut reports: Vec<IncidentReport> = core.reps.iter().map(|r| r.report.clone()).collect();
        if let Some(extra) = self.attached_to.get(id) {
            reports.extend(extra.values().map(|r| r.report.clone()));
        }
        let incident = materialize(reports, None, &self.cfg);
        self.incidents.insert(id.clone(), Arc::new(incident));
    }

    /// The stored document with this id; its strike reports come without
    /// their evidence, which the ledger's reports hold.
    pub fn document(&self, id: &str) -> Option<&SourceDocument> {
        self.docs.get(id).map(|e| &e.doc)
    }

    /// True when two incidents share an id before disambiguation (then the
    /// ledger's `-2`, `-3` suffixes depend on the whole set of incidents).
    pub(crate) fn has_id_collisions(&self) -> bool {
        let mut seen = std::collections::HashSet::with_capacity(self.incidents.len());
        self.incidents.values().any(|i| !seen.insert(i.id.as_str()))
    }

    /// How many incidents the resolver holds.
    pub(crate) fn incident_count(&self) -> usize {
        self.incidents.len()
    }

    /// Clones of the incidents with these (machine) ids.
    pub(crate) fn incidents_named(&self, ids: &BTreeSet<String>) -> Vec<Incident> {
        self.shared_incidents_named(ids)
            .into_iter()
            .map(Arc::unwrap_or_clone)
            .collect()
    }

    /// The incidents with these (machine) ids, shared with the resolver.
    pub(crate) fn shared_incidents_named(&self, ids: &BTreeSet<String>) -> Vec<Arc<Incident>> {
        if ids.is_empty() {
            return Vec::new();
        }
        self.incidents
            .values()
            .filter(|i| ids.contains(&i.id))
            .cloned()
            .collect()
    }

    /// Reports tied to no incident, canonically sorted.
    pub(crate) fn unplaced(&self) -> Vec<IncidentReport> {
        let mut unplaced: Vec<IncidentReport> = self
            .loose
            .values()
            .flatten()
            .filter(|r| !self.attached.contains_key(&r.key))
            .chain(self.nowhere.values())
            .map(|r| r.report.clone())
            .collect();
        sort_reports(&mut unplaced);
        unplaced
    }

    /// The machine incidents (no reviews applied), canonically sorted and
    /// settled (suspicion, grades), and the reconciliation of every stated
    /// total against them: the parts of the ledger its history follows.
    pub(crate) fn incidents_and_reconciliation(&self) -> (Vec<Incident>, Vec<Reconciliation>) {
        let mut incidents: Vec<Incident> = self
            .incidents
            .values()
            .map(|i| Incident::clone(i))
            .collect();
        disambiguate_ids(&mut incidents);
        sort_incidents(&mut incidents);
        let reconciliation = self.settle_with(&mut incidents);
        (incidents, reconciliation)
    }

    /// The documents held that state a running total.
    pub(crate) fn stating_documents(&self) -> HashSet<&str> {
        self.docs
            .values()
            .filter(|e| !e.doc.extraction.totals.is_empty())
            .map(|e| e.doc.meta.id.as_str())
            .collect()
    }

    /// Every stated total of the documents held, placed and given a cause
    /// against `incidents`, which get their suspicion and grade from it.
    pub(crate) fn settle_with(&self, incidents: &mut [Incident]) -> Vec<Reconciliation> {
        let mut rows = reconcile(self.docs.values().flat_map(|e| {
            e.doc
                .extraction
                .totals
                .iter()
                .enumerate()
                .map(move |(i, t)| (&e.doc.meta, i, t))
        }));
        settle(incidents, &mut rows, &self.cfg);
        rows
    }

    /// The machine ledger (no reviews applied), canonically sorted.
    pub fn ledger(&self) -> Ledger {
        let incidents = self
            .incidents
            .values()
            .map(|i| Incident::clone(i))
            .collect();
        self.ledger_of(incidents)
    }

    /// The machine ledger, its incidents moved out of the resolver rather
    /// than copied (an incident still shared elsewhere is copied).
    pub fn into_ledger(mut self) -> Ledger {
        let incidents = std::mem::take(&mut self.incidents)
            .into_values()
            .map(Arc::unwrap_or_clone)
            .collect();
        self.ledger_of(incidents)
    }

    fn ledger_of(&self, mut incidents: Vec<Incident>) -> Ledger {
        disambiguate_ids(&mut incidents);
        sort_incidents(&mut incidents);
        let unplaced = self.unplaced();

        let incident_of: HashMap<(&str, usize), &str> = incidents
            .iter()
            .flat_map(|i| {
                i.reports
                    .iter()
                    .map(move |r| ((r.document_id.as_str(), r.report_index), i.id.as_str()))
            })
            .collect();
        let docs = || self.docs.values().map(|e| &e.doc);
        let statements = statements(docs(), &incident_of);
        let claims = claim_groups(claim_occurrences(docs()));
        let mut reconciliation = reconcile(docs().flat_map(|d| {
            d.extraction
                .totals
                .iter()
                .enumerate()
                .map(move |(i, t)| (&d.meta, i, t))
        }));
        settle(&mut incidents, &mut reconciliation, &self.cfg);
        Ledger {
            incidents,
            unplaced,
            reconciliation,
            statements,
            claims,
            review_log: Vec::new(),
        }
    }
}

/// The ledger's incident order: first day (undated first), then id.
pub(crate) fn sort_incidents(incidents: &mut [Incident]) {
    incidents.sort_by(|a, b| incident_order(a).cmp(&incident_order(b)));
}

pub(crate) fn incident_order(i: &Incident) -> (Option<NaiveDate>, &str) {
    (i.date.or(i.date_from), i.id.as_str())
}

/// Two incidents with one id (a hash collision of their earliest reports)
/// get `-2`, `-3`, … in the order of their reports.
fn disambiguate_ids(incidents: &mut [Incident]) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut order: Vec<usize> = (0..incidents.len()).collect();
    order.sort_by(|a, b| {
        let ka = incidents[*a]
            .reports
            .first()
            .map(|r| (&r.document_id, r.report_index));
        let kb = incidents[*b]
            .reports
            .first()
            .map(|r| (&r.document_id, r.report_index));
        (&incidents[*a].id, ka).cmp(&(&incidents[*b].id, kb))
    });
    for i in order {
        let n = seen.entry(incidents[i].id.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            incidents[i].id = format!("{}-{}", incidents[i].id, n);
        }
    }
}
