//! Stated running totals checked against the ledger as of their date: a
//! total higher than the ledger points at strikes the ledger is missing.

use chrono::NaiveDate;
use strikewatch_model::RunningTotal;
use strikewatch_model::ledger::{CountRange, Grade, Incident, Reconciliation};

use crate::input::DocMeta;

/// Cumulative counts of the ledger by date, for answering "as of" queries
/// with a binary search.
struct Cumulative {
    /// (last day, strikes, killed min, killed max) after each incident, by day.
    steps: Vec<(NaiveDate, u32, u64, u64)>,
}

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
    (
        u64::from(i.killed.min.unwrap_or(0)),
        u64::from(i.killed.max.unwrap_or(0)),
    )
}

impl Cumulative {
    fn new(incidents: &[Incident]) -> Cumulative {
        let mut dated: Vec<(NaiveDate, u64, u64)> = incidents
            .iter()
            .filter(|i| i.grade != Grade::Retracted)
            .filter_map(|i| {
                let (lo, hi) = killed_of(i);
                counted_on(i).map(|d| (d, lo, hi))
            })
            .collect();
        dated.sort();
        let mut steps: Vec<(NaiveDate, u32, u64, u64)> = Vec::new();
        let (mut n, mut lo, mut hi) = (0u32, 0u64, 0u64);
        for (d, a, b) in dated {
            n = n.saturating_add(1);
            lo += a;
            hi += b;
            match steps.last_mut() {
                Some(last) if last.0 == d => *last = (d, n, lo, hi),
                _ => steps.push((d, n, lo, hi)),
            }
        }
        Cumulative { steps }
    }

    fn as_of(&self, day: NaiveDate) -> (u32, u64, u64) {
        let idx = self.steps.partition_point(|s| s.0 <= day);
        if idx == 0 {
            (0, 0, 0)
        } else {
            let s = self.steps[idx - 1];
            (s.1, s.2, s.3)
        }
    }
}

fn to_u32(v: u64) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// One reconciliation row per stated total, sorted by date then document.
pub(crate) fn reconcile<'a>(
    incidents: &[Incident],
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
        })
        .collect();
    refresh(incidents, &mut rows);
    rows.sort_by(|a, b| {
        (a.as_of.is_none(), a.as_of, &a.document_id, a.total_index).cmp(&(
            b.as_of.is_none(),
            b.as_of,
            &b.document_id,
            b.total_index,
        ))
    });
    rows
}

/// Recomputes the ledger side of every row (after reviews changed incidents).
pub(crate) fn refresh(incidents: &[Incident], rows: &mut [Reconciliation]) {
    let cumulative = Cumulative::new(incidents);
    for row in rows {
        let Some(day) = row.as_of else {
            row.ledger_strikes = 0;
            row.ledger_killed = CountRange::default();
            row.killed_gap = None;
            row.killed_gap_min = None;
            row.strikes_gap = None;
            continue;
        };
        let (n, lo, hi) = cumulative.as_of(day);
        row.ledger_strikes = n;
        row.ledger_killed = CountRange {
            min: Some(to_u32(lo)),
            max: Some(to_u32(hi)),
        };
        row.killed_gap = row.stated_killed.map(|k| i64::from(k) - hi as i64);
        row.killed_gap_min = row.stated_killed.map(|k| i64::from(k) - lo as i64);
        row.strikes_gap = row.stated_strikes.map(|s| i64::from(s) - i64::from(n));
    }
}
