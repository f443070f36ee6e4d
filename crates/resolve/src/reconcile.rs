//! Stated running totals set against the ledger, each with the cause of its
//! gap.
//!
//! A total is placed at the strike it follows: after the latest strike its
//! own document reports (the text counts it), else at the day it was given,
//! compared with the ledger both before and after that day's strikes (the
//! better fit wins). Its gap then gets a cause: `matched`, `missing_strike`
//! (with the days likely lacking one, from the totals before it),
//! `announcement_lag`, `counting_difference` or `suspect_incident`. When the
//! ledger exceeds every total from some date on, the incident that makes it
//! so is graded `suspect` ([`settle`]) and left out of the sums.

use std::collections::{BTreeSet, HashMap};

use chrono::{Duration, NaiveDate};
use strikewatch_model::ReportRole;
use strikewatch_model::RunningTotal;
use strikewatch_model::ledger::{
    CountRange, GapCause, GapExplanation, Grade, Incident, Reconciliation, Suspicion,
};

use crate::config::{ReconcileRules, ResolveConfig};
use crate::input::DocMeta;
use crate::suspect::{TOTALS_RULE, settle_grade};

/// The day an incident counts from in "as of" questions: its date, else the
/// last day of its range.
fn counted_on(i: &Incident) -> Option<NaiveDate> {
    i.date.or(i.date_to).or(i.date_from)
}

/// Killed min and max an incident contributes: a reviewed figure replaces
/// the machine range.
fn killed_of(i: &Incident) -> (u64, u64) {
    if let Some(v) = i
        .reviewed_value("killed")
        .and_then(|v| v.parse::<u64>().ok())
    {
        return (v, v);
    }
    let lo = i.killed.min.or(i.killed.max).unwrap_or(0);
    let hi = i.killed.max.or(i.killed.min).unwrap_or(0);
    (u64::from(lo), u64::from(hi))
}

/// One incident on the cumulative line.
struct Step {
    day: NaiveDate,
    id: String,
    lo: u64,
    hi: u64,
    survivors: u64,
}

/// The ledger's cumulative counts by day, for "as of" questions answered
/// with a binary search.
struct Cumulative {
    steps: Vec<Step>,
    /// (strikes, killed min, killed max, survivors) after each step.
    sums: Vec<(u32, u64, u64, u64)>,
}

/// The ledger up to some point: what a total is compared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cut {
    /// Steps included.
    upto: usize,
    strikes: u32,
    lo: u64,
    hi: u64,
    survivors: u64,
}

impl Cumulative {
    fn new<'a>(incidents: impl Iterator<Item = &'a Incident>) -> Cumulative {
        let mut steps: Vec<Step> = incidents
            .filter_map(|i| {
                let (lo, hi) = killed_of(i);
                counted_on(i).map(|day| Step {
                    day,
                    id: i.id.clone(),
                    lo,
                    hi,
                    survivors: u64::from(i.survivors.max.unwrap_or(0)),
                })
            })
            .collect();
        steps.sort_by(|a, b| (a.day, &a.id).cmp(&(b.day, &b.id)));
        let mut sums = Vec::with_capacity(steps.len());
        let (mut n, mut lo, mut hi, mut sv) = (0u32, 0u64, 0u64, 0u64);
        for s in &steps {
            n = n.saturating_add(1);
            lo += s.lo;
            hi += s.hi;
            sv += s.survivors;
            sums.push((n, lo, hi, sv));
        }
        Cumulative { steps, sums }
    }

    fn cut_at(&self, upto: usize) -> Cut {
        match upto.checked_sub(1).and_then(|i| self.sums.get(i)) {
            None => Cut {
                upto: 0,
                strikes: 0,
                lo: 0,
                hi: 0,
                survivors: 0,
            },
            Some(&(strikes, lo, hi, survivors)) => Cut {
                upto,
                strikes,
                lo,
                hi,
                survivors,
            },
        }
    }

    /// Every strike up to and including `day`.
    fn through(&self, day: NaiveDate) -> Cut {
        self.cut_at(self.steps.partition_point(|s| s.day <= day))
    }

    /// Every strike before `day`.
    fn before(&self, day: NaiveDate) -> Cut {
        self.cut_at(self.steps.partition_point(|s| s.day < day))
    }

    /// The last day a cut includes.
    fn last_day(&self, cut: Cut) -> Option<NaiveDate> {
        cut.upto.checked_sub(1).map(|i| self.steps[i].day)
    }

    fn last_id(&self, cut: Cut) -> Option<String> {
        cut.upto.checked_sub(1).map(|i| self.steps[i].id.clone())
    }
}

fn to_u32(v: u64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

fn shift(d: NaiveDate, days: i64) -> NaiveDate {
    d.checked_add_signed(Duration::days(days)).unwrap_or(d)
}

/// How far a stated figure is outside a cut's min–max.
fn distance(stated: u32, cut: Cut) -> u64 {
    let k = u64::from(stated);
    if k > cut.hi {
        k - cut.hi
    } else {
        cut.lo.saturating_sub(k)
    }
}

/// The rows, one per stated total, ledger side empty; sorted by date then
/// document. [`settle`] fills them in.
pub(crate) fn reconcile<'a>(
    totals: impl Iterator<Item = (&'a DocMeta, usize, &'a RunningTotal)>,
) -> Vec<Reconciliation> {
    let mut rows: Vec<Reconciliation> = totals
        .map(|(meta, index, t)| Reconciliation {
            document_id: meta.id.clone(),
            total_index: index,
            url: meta.url.clone(),
            as_of: t.as_of.or(meta.published),
            attributed_to: t.attributed_to.clone(),
            stated_strikes: t.strikes,
            stated_killed: t.killed,
            ledger_strikes: 0,
            ledger_killed: CountRange::default(),
            killed_gap: None,
            strikes_gap: None,
            span: t.span.clone(),
            killed_gap_min: None,
            killed_at_least: t.killed_at_least,
            cause: None,
            explanation: GapExplanation::default(),
        })
        .collect();
    sort_rows(&mut rows);
    rows
}

pub(crate) fn row_key(r: &Reconciliation) -> (bool, Option<NaiveDate>, &str, usize) {
    (
        r.as_of.is_none(),
        r.as_of,
        r.document_id.as_str(),
        r.total_index,
    )
}

fn sort_rows(rows: &mut [Reconciliation]) {
    rows.sort_by(|a, b| row_key(a).cmp(&row_key(b)));
}

/// The strikes each document that states a total reports as its main
/// news, by the day of the incident they sit on: the total counts them.
fn main_strikes<'a>(
    incidents: impl Iterator<Item = &'a Incident>,
    rows: &[Reconciliation],
) -> HashMap<String, Vec<NaiveDate>> {
    let mut out: HashMap<String, Vec<NaiveDate>> = rows
        .iter()
        .map(|r| (r.document_id.clone(), Vec::new()))
        .collect();
    for i in incidents {
        let Some(day) = counted_on(i) else { continue };
        for r in i
            .reports
            .iter()
            .filter(|r| r.role == ReportRole::Main && !r.undated)
        {
            if let Some(days) = out.get_mut(r.document_id.as_str()) {
                days.push(day);
            }
        }
    }
    out
}

/// Where a total sits on the ledger: the cut it is compared with, and
/// whether its text counts a strike there.
struct Placement {
    cut: Cut,
    /// The day of the latest strike the document itself reports.
    own_strike: Option<NaiveDate>,
}

/// Candidate cuts in order of preference: after the strike the document
/// reports, then the ledger through its day, then before its day.
fn place(day: NaiveDate, own: Option<&Vec<NaiveDate>>, cum: &Cumulative) -> Vec<Placement> {
    let own_strike = own.and_then(|days| days.iter().filter(|d| **d <= day).max().copied());
    let mut out = Vec::with_capacity(3);
    if let Some(d) = own_strike {
        out.push(Placement {
            cut: cum.through(d),
            own_strike,
        });
    }
    for cut in [cum.through(day), cum.before(day)] {
        out.push(Placement {
            cut,
            own_strike: None,
        });
    }
    out
}

/// The best-fitting placement for a stated figure (ties keep preference).
fn best_fit(stated: Option<u32>, strikes: Option<u32>, placements: &[Placement]) -> usize {
    let fit = |p: &Placement| match (stated, strikes) {
        (Some(k), _) => distance(k, p.cut),
        (None, Some(s)) => u64::from(s).abs_diff(u64::from(p.cut.strikes)),
        (None, None) => 0,
    };
    let mut best = 0;
    for (i, p) in placements.iter().enumerate().skip(1) {
        if fit(p) < fit(&placements[best]) {
            best = i;
        }
    }
    best
}

/// Rows with a date and a killed figure, with the cut each fits best.
fn fitted(
    rows: &[Reconciliation],
    cum: &Cumulative,
    own: &HashMap<String, Vec<NaiveDate>>,
) -> Vec<Option<Cut>> {
    rows.iter()
        .map(|r| {
            let (Some(day), Some(_)) = (r.as_of, r.stated_killed) else {
                return None;
            };
            let places = place(day, own.get(&r.document_id), cum);
            let at = best_fit(r.stated_killed, r.stated_strikes, &places);
            Some(places[at].cut)
        })
        .collect()
}

/// How well leaving an incident out fits the exceeded totals: totals fixed,
/// then deaths removed, then the earlier day.
type UnheldScore = (usize, u64, std::cmp::Reverse<NaiveDate>);

/// Finds the incident the stated totals cannot hold: the ledger's minimum
/// exceeds every total from some date on, and leaving that incident out
/// brings them back. Returns its index in `pool` and the reason.
fn find_unheld(
    pool: &[&Incident],
    rows: &[Reconciliation],
    own: &HashMap<String, Vec<NaiveDate>>,
    rules: &ReconcileRules,
) -> Option<(usize, String)> {
    let cum = Cumulative::new(pool.iter().copied());
    let cuts = fitted(rows, &cum, own);
    let judged: Vec<(usize, Cut, u32)> = rows
        .iter()
        .zip(&cuts)
        .enumerate()
        .filter_map(|(i, (r, c))| Some((i, (*c)?, r.stated_killed?)))
        .collect();
    // The longest run of exceeded totals that reaches the last one.
    let mut start = judged.len();
    while start > 0 {
        let (_, cut, k) = judged[start - 1];
        if !rules.exceeds(cut.lo, k) {
            break;
        }
        start -= 1;
    }
    let run = &judged[start..];
    let docs: BTreeSet<&str> = run
        .iter()
        .map(|(i, _, _)| rows[*i].document_id.as_str())
        .collect();
    if run.len() < rules.min_exceeded_totals.max(1) || docs.len() < 2 {
        return None;
    }
    let (first_row, first_cut, _) = run[0];
    let from = start
        .checked_sub(1)
        .and_then(|p| rows[judged[p].0].as_of)
        .unwrap_or(NaiveDate::MIN);
    let until = cum.last_day(first_cut)?;
    let mut best: Option<(UnheldScore, usize)> = None;
    for (idx, inc) in pool.iter().enumerate() {
        let Some(day) = counted_on(inc) else { continue };
        if day <= from || day > until || inc.confirmed() {
            continue;
        }
        let (k_lo, _) = killed_of(inc);
        if k_lo == 0 {
            continue;
        }
        let fixed = run
            .iter()
            .filter(|(_, cut, k)| !rules.exceeds(cut.lo.saturating_sub(k_lo), *k))
            .count();
        let score = (fixed, k_lo, std::cmp::Reverse(day));
        if fixed >= rules.min_exceeded_totals.max(1)
            && best.as_ref().is_none_or(|(s, _)| score > *s)
        {
            best = Some((score, idx));
        }
    }
    let ((fixed, k_lo, _), idx) = best?;
    let row = &rows[first_row];
    let reason = format!(
        "the ledger exceeds every stated total from {} on ({} totals, the first {} killed in {}, against {} in the ledger); \
         without this incident ({} killed) {} of them fit",
        row.as_of.map_or_else(|| "?".into(), |d| d.to_string()),
        run.len(),
        row.stated_killed
            .map_or_else(|| "?".into(), |k| k.to_string()),
        row.document_id,
        first_cut.lo,
        k_lo,
        fixed,
    );
    Some((idx, reason))
}

/// Recomputes the ledger side and cause of every row, and which incidents
/// the totals cannot hold (graded `suspect`, left out of the sums). Returns
/// the ids of incidents whose grade or suspicion changed.
pub(crate) fn settle(
    incidents: &mut [Incident],
    rows: &mut [Reconciliation],
    cfg: &ResolveConfig,
) -> BTreeSet<String> {
    let rules = &cfg.reconciliation;
    let before: HashMap<String, (Grade, bool)> = incidents
        .iter()
        .filter(|i| i.suspect.is_some())
        .map(|i| (i.id.clone(), (i.grade, i.suspect.is_some())))
        .collect();
    // Set aside the earlier verdicts of the totals; decide them anew.
    for i in incidents.iter_mut() {
        if i.suspect.as_ref().is_some_and(|s| s.rule == TOTALS_RULE) {
            i.suspect = None;
            settle_grade(i);
        }
    }
    let own = main_strikes(incidents.iter().filter(|i| i.grade.in_headline()), rows);
    let mut unheld: Vec<(String, String)> = Vec::new();
    {
        let mut pool: Vec<&Incident> = incidents.iter().filter(|i| i.grade.in_headline()).collect();
        for _ in 0..rules.max_unheld_incidents {
            let Some((idx, reason)) = find_unheld(&pool, rows, &own, rules) else {
                break;
            };
            unheld.push((pool[idx].id.clone(), reason));
            pool.remove(idx);
        }
    }
    let unheld_ids: HashMap<String, String> = unheld.into_iter().collect();
    for i in incidents.iter_mut() {
        if let Some(reason) = unheld_ids.get(&i.id) {
            i.suspect = Some(Suspicion {
                rule: TOTALS_RULE.to_string(),
                reason: reason.clone(),
            });
            settle_grade(i);
        }
    }
    explain_rows(incidents, rows, &own, cfg);
    incidents
        .iter()
        .filter(|i| {
            let now = (i.grade, i.suspect.is_some());
            match before.get(&i.id) {
                Some(was) => *was != now,
                None => i.suspect.is_some(),
            }
        })
        .map(|i| i.id.clone())
        .collect()
}

/// Suspect incidents left out of the sums, by day, with their killed minimum.
fn left_out(incidents: &[Incident]) -> Vec<(NaiveDate, &str, u64)> {
    let mut out: Vec<(NaiveDate, &str, u64)> = incidents
        .iter()
        .filter(|i| i.grade == Grade::Suspect)
        .filter_map(|i| Some((counted_on(i)?, i.id.as_str(), killed_of(i).0)))
        .filter(|(_, _, k)| *k > 0)
        .collect();
    out.sort();
    out
}

/// A missing-strike episode: the window the deaths went missing in and the
/// gap when it was first seen.
struct Episode {
    from: NaiveDate,
    to: NaiveDate,
    gap: u64,
}

fn explain_rows(
    incidents: &[Incident],
    rows: &mut [Reconciliation],
    own: &HashMap<String, Vec<NaiveDate>>,
    cfg: &ResolveConfig,
) {
    let rules = &cfg.reconciliation;
    let cum = Cumulative::new(incidents.iter().filter(|i| i.grade.in_headline()));
    let suspects = left_out(incidents);
    let start = cfg.campaign.start_date().unwrap_or(NaiveDate::MIN);
    // (day, missing deaths) of the rows seen so far, for missing windows.
    let mut seen: Vec<(NaiveDate, u64)> = Vec::new();
    let mut episode: Option<Episode> = None;
    for row in rows.iter_mut() {
        let Some(day) = row.as_of else {
            clear(
                row,
                "The total has no date: it cannot be placed on the ledger.",
            );
            continue;
        };
        if row.stated_killed.is_none() && row.stated_strikes.is_none() {
            clear(row, "The total states no figure to compare.");
            continue;
        }
        let places = place(day, own.get(&row.document_id), &cum);
        let at = best_fit(row.stated_killed, row.stated_strikes, &places);
        let cut = places[at].cut;
        fill_ledger_side(row, cut);
        row.explanation = GapExplanation {
            placed_after: cum.last_id(cut),
            compared_through: cum.last_day(cut),
            ..GapExplanation::default()
        };
        let through = cum.last_day(cut).map_or_else(
            || "before the first strike".to_string(),
            |d| format!("through {d}"),
        );
        let placed = match places[at].own_strike {
            Some(d) => format!("placed after the strike of {d} its text reports"),
            None if cum.last_day(cut).is_some_and(|d| d >= day) || cut == cum.through(day) => {
                format!("given on {day}, compared with the ledger including that day")
            }
            None => format!("given on {day}, compared with the ledger before that day's strikes"),
        };
        let Some(k) = row.stated_killed else {
            explain_strikes(row, cut, &placed);
            continue;
        };
        let tol = u64::from(rules.killed_tolerance);
        let gap = distance(k, cut);
        let stated = if row.killed_at_least {
            format!("at least {k}")
        } else {
            k.to_string()
        };
        let ledger = if cut.lo == cut.hi {
            cut.lo.to_string()
        } else {
            format!("{}–{}", cut.lo, cut.hi)
        };
        let strike_note = strike_note(row);
        if gap <= tol {
            let named: Vec<&(NaiveDate, &str, u64)> = suspects
                .iter()
                .filter(|(d, _, _)| cum.last_day(cut).is_none_or(|l| *d <= l))
                .collect();
            let with: u64 = named.iter().map(|(_, _, k)| k).sum();
            if with > 0
                && distance(
                    k,
                    Cut {
                        lo: cut.lo + with,
                        hi: cut.hi + with,
                        ..cut
                    },
                ) > tol
            {
                row.cause = Some(GapCause::SuspectIncident);
                row.explanation.incidents = named.iter().map(|(_, id, _)| id.to_string()).collect();
                row.explanation.text = format!(
                    "{stated} killed matches the ledger's {ledger} {through} ({placed}) only with the suspect incident{} {} left out: \
                     with {} the ledger would hold {} more deaths than any total says.{strike_note}",
                    if named.len() > 1 { "s" } else { "" },
                    row.explanation.incidents.join(", "),
                    if named.len() > 1 { "them" } else { "it" },
                    with,
                );
            } else {
                row.cause = Some(GapCause::Matched);
                row.explanation.text = format!(
                    "{stated} killed matches the ledger's {ledger} {through} ({placed}).{strike_note}"
                );
            }
            seen.push((day, 0));
            continue;
        }
        if let Some(lag_day) = lag_fit(k, day, &cum, rules.lag_days, tol) {
            let days = (day - lag_day).num_days();
            row.cause = Some(GapCause::AnnouncementLag);
            let lag = if days >= 0 {
                format!(
                    "the total was compiled {days} days before the day it was given, without the strikes after {lag_day}"
                )
            } else {
                format!(
                    "the total already counts the strikes through {lag_day}, {} days after the day it was given (or the ledger dates them later than its source)",
                    -days
                )
            };
            row.explanation.text = format!(
                "{stated} killed differs from the ledger's {ledger} {through} ({placed}), but matches the ledger through {lag_day}: {lag}.{strike_note}"
            );
            seen.push((day, 0));
            continue;
        }
        if u64::from(k) > cut.hi {
            let missing = u64::from(k) - cut.hi;
            if missing <= cut.survivors {
                row.cause = Some(GapCause::CountingDifference);
                row.explanation.text = format!(
                    "{stated} killed is {missing} above the ledger's {ledger} {through} ({placed}); the ledger holds {} survivors \
                     and missing, whom this source may count as dead (presumed dead).{strike_note}",
                    cut.survivors
                );
                seen.push((day, 0));
                continue;
            }
            let window = match &episode {
                Some(e) if missing <= e.gap + tol.max(1) && e.from <= day => (e.from, e.to),
                _ => {
                    let after = seen
                        .iter()
                        .rev()
                        .take(500)
                        .find(|(d, m)| *d < day && *m < missing)
                        .map(|(d, _)| shift(*d, 1))
                        .unwrap_or(start);
                    let to = cum.last_day(cut).map_or(day, |l| l.max(day));
                    episode = Some(Episode {
                        from: after.min(to),
                        to,
                        gap: missing,
                    });
                    (after.min(to), to)
                }
            };
            row.cause = Some(GapCause::MissingStrike);
            row.explanation.likely_from = Some(window.0);
            row.explanation.likely_to = Some(window.1);
            row.explanation.text = format!(
                "{stated} killed is {missing} above the ledger's {ledger} {through} ({placed}): the ledger likely lacks a strike \
                 between {} and {} (the totals before it fit the ledger with fewer deaths missing).{strike_note}",
                window.0, window.1
            );
            seen.push((day, missing));
            continue;
        }
        let over = cut.lo - u64::from(k);
        row.cause = Some(GapCause::CountingDifference);
        row.explanation.text = format!(
            "the ledger's {ledger} {through} ({placed}) is {over} above {stated} killed: this source counts fewer deaths for the \
             same strikes (its own figures, or it leaves out deaths others report).{strike_note}"
        );
        seen.push((day, 0));
    }
}

/// A note on the strike count when it differs from the ledger's incidents.
fn strike_note(row: &Reconciliation) -> String {
    match row.strikes_gap {
        Some(g) if g != 0 => format!(
            " Its strike count differs by {g:+}: an announcement of several boats is one incident here and may be several strikes there."
        ),
        _ => String::new(),
    }
}

/// The day through which the ledger matches a stated figure, within the
/// lag window around the day it was given.
fn lag_fit(k: u32, day: NaiveDate, cum: &Cumulative, lag: i64, tol: u64) -> Option<NaiveDate> {
    let lo = cum.steps.partition_point(|s| s.day < shift(day, -lag));
    let hi = cum.steps.partition_point(|s| s.day <= shift(day, lag));
    let mut best: Option<(i64, NaiveDate)> = None;
    for upto in lo..=hi {
        let cut = cum.cut_at(upto);
        // Only whole days: a cut between two strikes of one day is no state
        // the ledger was ever in.
        if upto < cum.steps.len() && upto > 0 && cum.steps[upto].day == cum.steps[upto - 1].day {
            continue;
        }
        if distance(k, cut) > tol {
            continue;
        }
        let through = cum.last_day(cut).unwrap_or(shift(day, -lag));
        let off = (day - through).num_days().abs();
        if best.is_none_or(|(o, _)| off < o) {
            best = Some((off, through));
        }
    }
    best.map(|(_, d)| d)
}

fn fill_ledger_side(row: &mut Reconciliation, cut: Cut) {
    row.ledger_strikes = cut.strikes;
    row.ledger_killed = CountRange {
        min: Some(to_u32(cut.lo)),
        max: Some(to_u32(cut.hi)),
    };
    row.killed_gap = row.stated_killed.map(|k| i64::from(k) - cut.hi as i64);
    row.killed_gap_min = row.stated_killed.map(|k| i64::from(k) - cut.lo as i64);
    row.strikes_gap = row
        .stated_strikes
        .map(|s| i64::from(s) - i64::from(cut.strikes));
}

fn clear(row: &mut Reconciliation, why: &str) {
    row.ledger_strikes = 0;
    row.ledger_killed = CountRange::default();
    row.killed_gap = None;
    row.killed_gap_min = None;
    row.strikes_gap = None;
    row.cause = None;
    row.explanation = GapExplanation {
        text: why.to_string(),
        ..GapExplanation::default()
    };
}

/// A total that states strikes but no deaths.
fn explain_strikes(row: &mut Reconciliation, cut: Cut, placed: &str) {
    let Some(s) = row.stated_strikes else { return };
    let n = cut.strikes;
    let (cause, text) = if s == n {
        (
            GapCause::Matched,
            format!("{s} strikes match the ledger's {n} incidents ({placed})."),
        )
    } else if s > n {
        (
            GapCause::CountingDifference,
            format!(
                "{s} strikes against the ledger's {n} incidents ({placed}): an announcement of several boats is one incident \
                 here and may be several strikes there, or strikes are missing."
            ),
        )
    } else {
        (
            GapCause::CountingDifference,
            format!(
                "{s} strikes against the ledger's {n} incidents ({placed}): this source counts fewer strikes."
            ),
        )
    };
    row.cause = Some(cause);
    row.explanation.text = text;
}
