//! Undated mentions ("in an earlier strike this month, two survivors were
//! picked up"): they never make an incident of their own, and join one only
//! when exactly one strike in their window fits what they say.

use chrono::NaiveDate;
use std::collections::BTreeMap;

use crate::cluster::{Core, CoreId, Summary};
use crate::report::{Placement, Rep};

fn within(range: Option<(u32, u32)>, v: u32) -> Option<bool> {
    range.map(|(lo, hi)| lo <= v && v <= hi)
}

/// `Some(true)` when the mention's counts support the strike, `Some(false)`
/// when they contradict it, `None` when they say nothing either way.
fn support(s: &Summary, rep: &Rep) -> Option<bool> {
    let r = &rep.report;
    let mut supported = None;
    let checks = [
        r.killed
            .filter(|_| !r.killed_at_least)
            .map(|k| within(s.killed, k)),
        r.killed
            .filter(|_| r.killed_at_least)
            .map(|k| s.killed.map(|(_, hi)| k <= hi)),
        r.vessels.map(|v| within(s.vessels, v)),
        r.survivors.map(|v| within(s.survivors, v)),
    ];
    for c in checks.into_iter().flatten() {
        match c {
            Some(false) => return Some(false),
            Some(true) => supported = Some(true),
            None => {}
        }
    }
    supported
}

/// True when the mention could be about this strike: its counts support it,
/// its region fits, and it is not the same document's own report.
pub(crate) fn fits(core: &Core, rep: &Rep) -> bool {
    support(&core.summary, rep) == Some(true)
        && core.summary.region_fits(rep.report.region.as_deref())
        && !core.summary.docs.contains(&rep.key.0)
}

/// The core an undated mention belongs to, if exactly one fits.
pub(crate) fn attach_target(rep: &Rep, cores: &BTreeMap<NaiveDate, Vec<Core>>) -> Option<CoreId> {
    let Placement::Loose(Some((from, to))) = rep.placement else {
        return None;
    };
    let region = rep.report.region.as_deref();
    let fits: Vec<&Core> = cores
        .range(from..=to)
        .flat_map(|(_, list)| list.iter())
        .filter(|c| fits(c, rep))
        .collect();
    let chosen = match fits.as_slice() {
        [one] => Some(*one),
        [] => None,
        many => {
            let exact: Vec<&&Core> = many
                .iter()
                .filter(|c| c.summary.region_equal(region))
                .collect();
            match exact.as_slice() {
                [one] => Some(**one),
                _ => None,
            }
        }
    };
    chosen.map(Core::id)
}
