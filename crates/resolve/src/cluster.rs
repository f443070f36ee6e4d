//! Grouping dated reports into strikes ("cores").
//!
//! Every decision here looks only a bounded number of days around a report,
//! so the cores anchored in a date window can be recomputed from the reports
//! near that window alone: that is what makes an incremental update give
//! exactly what a full rebuild gives.
//!
//! 1. Reports dated to one day are grouped per day: same region (or one
//!    unknown), compatible counts, never two reports of one document (a
//!    document that reports two strikes on one day states them as separate).
//! 2. A group with no report from the striking party, dated within the rival
//!    tolerance of an officially announced group with the same death toll, is
//!    a rival account of that strike's date and joins it.
//! 3. Reports dated to a short range join the best compatible group inside
//!    the range; those that find none form range groups of their own.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use chrono::{Duration, NaiveDate};

use crate::config::ResolveConfig;
use crate::report::{EarliestKey, Placement, Rep};

/// Counts and region a group of reports holds, to test whether one more
/// report fits.
#[derive(Debug, Clone, Default)]
pub(crate) struct Summary {
    pub region: Option<String>,
    /// Exact killed figures, min and max.
    pub killed: Option<(u32, u32)>,
    /// Largest lower bound ("at least N") given.
    pub killed_floor: Option<u32>,
    pub vessels: Option<(u32, u32)>,
    pub survivors: Option<(u32, u32)>,
    pub officials: usize,
    pub docs: HashSet<Arc<str>>,
}

fn widen(range: Option<(u32, u32)>, v: u32) -> (u32, u32) {
    match range {
        None => (v, v),
        Some((lo, hi)) => (lo.min(v), hi.max(v)),
    }
}

impl Summary {
    pub fn of<'a>(reps: impl IntoIterator<Item = &'a Arc<Rep>>) -> Summary {
        let mut s = Summary::default();
        for r in reps {
            s.push(r);
        }
        s
    }

    pub fn push(&mut self, rep: &Rep) {
        let r = &rep.report;
        if self.region.is_none() {
            self.region.clone_from(&r.region);
        }
        if let Some(k) = r.killed {
            if r.killed_at_least {
                self.killed_floor = Some(self.killed_floor.map_or(k, |f| f.max(k)));
            } else {
                self.killed = Some(widen(self.killed, k));
            }
        }
        if let Some(v) = r.vessels {
            self.vessels = Some(widen(self.vessels, v));
        }
        if let Some(v) = r.survivors {
            self.survivors = Some(widen(self.survivors, v));
        }
        if r.official {
            self.officials += 1;
        }
        self.docs.insert(rep.key.0.clone());
    }

    pub fn region_fits(&self, region: Option<&str>) -> bool {
        match (self.region.as_deref(), region) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        }
    }

    pub fn region_equal(&self, region: Option<&str>) -> bool {
        matches!((self.region.as_deref(), region), (Some(a), Some(b)) if a == b)
    }

    /// True when the report's counts can describe the same strike.
    pub fn counts_fit(&self, rep: &Rep, cfg: &ResolveConfig) -> bool {
        let r = &rep.report;
        if let Some(k) = r.killed {
            if r.killed_at_least {
                if let Some((_, hi)) = self.killed
                    && k > hi
                    && !cfg.killed_compatible(hi, k)
                {
                    return false;
                }
            } else {
                let (lo, hi) = widen(self.killed, k);
                if !cfg.killed_compatible(lo, hi) {
                    return false;
                }
                if let Some(f) = self.killed_floor
                    && f > hi
                    && !cfg.killed_compatible(hi, f)
                {
                    return false;
                }
            }
        }
        if let Some(v) = r.vessels {
            let (lo, hi) = widen(self.vessels, v);
            if !cfg.vessels_compatible(lo, hi) {
                return false;
            }
        }
        if let Some(v) = r.survivors {
            let (lo, hi) = widen(self.survivors, v);
            if !cfg.survivors_compatible(lo, hi) {
                return false;
            }
        }
        true
    }

    pub fn accepts(&self, rep: &Rep, cfg: &ResolveConfig) -> bool {
        !self.docs.contains(&rep.key.0)
            && self.region_fits(rep.report.region.as_deref())
            && self.counts_fit(rep, cfg)
    }

    /// One exact death toll, when every report that gives one agrees.
    pub fn single_killed(&self) -> Option<u32> {
        self.killed.filter(|(lo, hi)| lo == hi).map(|(lo, _)| lo)
    }
}

/// A group of reports of one strike, before the ledger's view of it.
#[derive(Debug, Clone)]
pub(crate) struct Core {
    /// The day it is filed under (the announced day; a range's first day).
    pub anchor: NaiveDate,
    /// Set for a range group: its last day.
    pub range_to: Option<NaiveDate>,
    /// Sorted by earliest publication.
    pub reps: Vec<Arc<Rep>>,
    pub summary: Summary,
}

/// Identifies a core across updates: its anchor, kind and earliest report.
pub(crate) type CoreId = (NaiveDate, bool, EarliestKey);

impl Core {
    fn new(anchor: NaiveDate, range_to: Option<NaiveDate>, mut reps: Vec<Arc<Rep>>) -> Core {
        reps.sort_by_key(|r| r.earliest_key());
        let summary = Summary::of(&reps);
        Core {
            anchor,
            range_to,
            reps,
            summary,
        }
    }

    pub fn id(&self) -> CoreId {
        let first = self.reps.first().map(|r| r.earliest_key());
        (
            self.anchor,
            self.range_to.is_some(),
            first.unwrap_or((true, None, Arc::from(""), 0)),
        )
    }

    pub fn same_reports(&self, other: &Core) -> bool {
        self.reps.len() == other.reps.len()
            && self
                .reps
                .iter()
                .zip(&other.reps)
                .all(|(a, b)| a.key == b.key)
    }
}

/// A group being built.
struct Group {
    anchor: NaiveDate,
    reps: Vec<Arc<Rep>>,
    summary: Summary,
}

impl Group {
    fn new(anchor: NaiveDate) -> Group {
        Group {
            anchor,
            reps: Vec::new(),
            summary: Summary::default(),
        }
    }

    fn push(&mut self, rep: Arc<Rep>) {
        self.summary.push(&rep);
        self.reps.push(rep);
    }

    fn first_key(&self) -> Option<EarliestKey> {
        self.reps.iter().map(|r| r.earliest_key()).min()
    }
}

/// Greedy grouping in a canonical order: each report joins the first group
/// that accepts it.
fn group_greedy(anchor: NaiveDate, reps: &[Arc<Rep>], cfg: &ResolveConfig) -> Vec<Group> {
    let mut ordered: Vec<&Arc<Rep>> = reps.iter().collect();
    ordered.sort_by_key(|r| r.offer_key());
    let mut groups: Vec<Group> = Vec::new();
    for rep in ordered {
        match groups.iter_mut().find(|g| g.summary.accepts(rep, cfg)) {
            Some(g) => g.push(rep.clone()),
            None => {
                let mut g = Group::new(anchor);
                g.push(rep.clone());
                groups.push(g);
            }
        }
    }
    groups
}

/// Reports indexed by day (day reports) or by first day (range reports).
pub(crate) type DayIndex = BTreeMap<NaiveDate, Vec<Arc<Rep>>>;

/// How far (days) the cores anchored at a day depend on reports around it.
pub(crate) fn dependency_radius(cfg: &ResolveConfig) -> i64 {
    cfg.dates.max_range_days + 2 * cfg.dates.rival_tolerance_days
}

fn shift(d: NaiveDate, days: i64) -> NaiveDate {
    d.checked_add_signed(Duration::days(days)).unwrap_or(d)
}

/// Ranks announced groups a rival account could join: most official
/// reports, nearest day, earliest day, earliest report.
type RivalScore = (std::cmp::Reverse<usize>, i64, NaiveDate, EarliestKey);

/// True when the rival group `b` may join the announced group `a`.
fn rival_joins(b: &Group, a: &Group, cfg: &ResolveConfig) -> bool {
    if b.summary.officials > 0 || a.summary.officials == 0 {
        return false;
    }
    let (Some(bk), Some((alo, ahi))) = (b.summary.single_killed(), a.summary.killed) else {
        return false;
    };
    if bk < alo || bk > ahi || !a.summary.region_fits(b.summary.region.as_deref()) {
        return false;
    }
    if let (Some((blo, bhi)), Some((vlo, vhi))) = (b.summary.vessels, a.summary.vessels)
        && !cfg.vessels_compatible(blo.min(vlo), bhi.max(vhi))
    {
        return false;
    }
    // A document that gives both dates must be setting a rival account
    // against the official one, not listing two strikes.
    for doc in b.summary.docs.intersection(&a.summary.docs) {
        let b_rival = b
            .reps
            .iter()
            .filter(|r| r.doc() == &**doc)
            .all(|r| !r.official());
        let a_official = a
            .reps
            .iter()
            .filter(|r| r.doc() == &**doc)
            .all(|r| r.official());
        if !(b_rival && a_official) {
            return false;
        }
    }
    true
}

/// Computes the cores anchored in `[lo, hi]`. `day` and `range` must hold
/// every report within [`dependency_radius`] days of the window (more is fine).
pub(crate) fn compute_cores(
    day: &DayIndex,
    range: &DayIndex,
    lo: NaiveDate,
    hi: NaiveDate,
    cfg: &ResolveConfig,
) -> Vec<Core> {
    let t = cfg.dates.rival_tolerance_days;
    let r = cfg.dates.max_range_days;
    let reach = r + 2 * t;

    // 1. Day groups.
    let mut groups: BTreeMap<NaiveDate, Vec<Group>> = BTreeMap::new();
    for (d, reps) in day.range(shift(lo, -reach)..=shift(hi, reach)) {
        groups.insert(*d, group_greedy(*d, reps, cfg));
    }

    // 2. Rival accounts: decided against the day groups as they stand, so
    // no decision depends on another.
    let mut moves: Vec<((NaiveDate, usize), (NaiveDate, usize))> = Vec::new();
    for (d, list) in groups.range(shift(lo, -(r + t))..=shift(hi, r + t)) {
        for (bi, b) in list.iter().enumerate() {
            if b.summary.officials > 0 {
                continue;
            }
            let mut best: Option<(RivalScore, (NaiveDate, usize))> = None;
            for delta in (-t..=t).filter(|x| *x != 0) {
                let ad = shift(*d, delta);
                let Some(cands) = groups.get(&ad) else {
                    continue;
                };
                for (ai, a) in cands.iter().enumerate() {
                    if !rival_joins(b, a, cfg) {
                        continue;
                    }
                    let Some(first) = a.first_key() else { continue };
                    let score = (
                        std::cmp::Reverse(a.summary.officials),
                        delta.abs(),
                        ad,
                        first,
                    );
                    if best.as_ref().is_none_or(|(s, _)| score < *s) {
                        best = Some((score, (ad, ai)));
                    }
                }
            }
            if let Some((_, target)) = best {
                moves.push(((*d, bi), target));
            }
        }
    }
    let mut emptied: HashSet<(NaiveDate, usize)> = HashSet::new();
    for (from, to) in moves {
        let taken = groups
            .get_mut(&from.0)
            .and_then(|l| l.get_mut(from.1))
            .map(|g| std::mem::take(&mut g.reps))
            .unwrap_or_default();
        emptied.insert(from);
        if let Some(g) = groups.get_mut(&to.0).and_then(|l| l.get_mut(to.1)) {
            for rep in taken {
                g.push(rep);
            }
        }
    }
    for (d, list) in groups.iter_mut() {
        let mut i = 0;
        list.retain(|_| {
            let keep = !emptied.contains(&(*d, i));
            i += 1;
            keep
        });
    }

    // 3. Range reports: each decided against the day groups alone.
    let mut range_joins: Vec<((NaiveDate, usize), Arc<Rep>)> = Vec::new();
    let mut unmatched: BTreeMap<(NaiveDate, NaiveDate), Vec<Arc<Rep>>> = BTreeMap::new();
    for (_, reps) in range.range(shift(lo, -r)..=hi) {
        for rep in reps {
            let Placement::Range(f, to) = rep.placement else {
                continue;
            };
            let region = rep.report.region.as_deref();
            let mut best: Option<(_, (NaiveDate, usize))> = None;
            for (d, list) in groups.range(f..=to) {
                for (gi, g) in list.iter().enumerate() {
                    if !g.summary.accepts(rep, cfg) {
                        continue;
                    }
                    let Some(first) = g.first_key() else { continue };
                    let killed_equal = rep.report.killed.is_some()
                        && rep.report.killed == g.summary.single_killed();
                    let score = (
                        !g.summary.region_equal(region),
                        !killed_equal,
                        std::cmp::Reverse(g.summary.officials),
                        std::cmp::Reverse(g.reps.len()),
                        *d,
                        first,
                    );
                    if best.as_ref().is_none_or(|(s, _)| score < *s) {
                        best = Some((score, (*d, gi)));
                    }
                }
            }
            match best {
                Some((_, target)) => range_joins.push((target, rep.clone())),
                None => unmatched.entry((f, to)).or_default().push(rep.clone()),
            }
        }
    }
    for (target, rep) in range_joins {
        if let Some(g) = groups.get_mut(&target.0).and_then(|l| l.get_mut(target.1)) {
            g.push(rep);
        }
    }

    let mut cores: Vec<Core> = Vec::new();
    for (d, list) in groups.range(lo..=hi) {
        for g in list {
            if !g.reps.is_empty() {
                cores.push(Core::new(*d, None, g.reps.clone()));
            }
        }
    }
    for ((f, to), reps) in unmatched.range((lo, NaiveDate::MIN)..=(hi, NaiveDate::MAX)) {
        for g in group_greedy(*f, reps, cfg) {
            cores.push(Core::new(g.anchor, Some(*to), g.reps));
        }
    }
    cores.sort_by_key(|c| c.id());
    cores
}
