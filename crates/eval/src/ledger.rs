//! Ledger-level scoring: does a ledger resolved from the extractions add up?
//!
//! Per-document scores can look fine while the ledger is wrong: one
//! cumulative sentence read as a strike adds a hundred phantom dead. This
//! compares the resolved ledger with the reference strikes the gold files
//! name (every dated gold incident, one per day and region), and measures
//! the share of the ledger's dead held by incidents no reference strike
//! holds — SPEC's bar is 2 %.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use strikewatch_model::ledger::{Incident, Ledger};

use strikewatch_model::{Document, Extraction};
use strikewatch_resolve::{ResolveError, ResolveInput, SourceDocument, resolve};

use crate::GoldDoc;

/// Resolves `predicted` (one extraction per document of `docs`) with the
/// bundled resolver configuration and scores the ledger against `gold`.
pub fn resolve_and_score(
    docs: &[Document],
    predicted: &[Extraction],
    gold: &[GoldDoc],
) -> Result<LedgerScore, ResolveError> {
    let input = ResolveInput {
        documents: docs
            .iter()
            .zip(predicted)
            .map(|(d, e)| SourceDocument::new(d, e.clone()))
            .collect(),
    };
    let ledger = resolve(&input)?;
    let mut score = score_ledger(&ledger, gold, |i| i.grade.in_headline());
    score.left_out = ledger
        .incidents
        .iter()
        .filter(|i| !i.grade.in_headline())
        .map(describe)
        .collect();
    Ok(score)
}

/// A strike the gold files agree happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferenceStrike {
    pub date: NaiveDate,
    pub region: Option<String>,
    /// The largest toll any gold line gives it.
    pub killed: Option<u32>,
}

/// How a ledger compares with the reference strikes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LedgerScore {
    pub reference_strikes: usize,
    pub reference_killed: u32,
    pub ledger_incidents: usize,
    /// Sum of each incident's lowest toll.
    pub ledger_killed: u32,
    /// Incidents no reference strike holds (by day ±1 and region), with their dead.
    pub phantom_incidents: Vec<String>,
    pub phantom_killed: u32,
    /// `phantom_killed / ledger_killed` (0 for an empty ledger).
    pub phantom_share: f64,
    /// Reference strikes no incident holds.
    pub missing_strikes: Vec<String>,
    /// Reference strikes held by an incident whose lowest toll differs.
    pub toll_differences: Vec<String>,
    /// Reference strikes held by more than one counted incident: the same
    /// strike counted twice.
    pub duplicated_strikes: Vec<String>,
    /// Incidents the ledger keeps out of its headline (suspect, retracted).
    #[serde(default)]
    pub left_out: Vec<String>,
}

impl LedgerScore {
    pub fn to_table(&self) -> String {
        let mut s = format!(
            "ledger (headline): {} incidents, {} dead (lowest figures); reference: {} strikes, {} dead\n\
             dead in incidents no reference strike holds: {} ({:.1} %)\n",
            self.ledger_incidents,
            self.ledger_killed,
            self.reference_strikes,
            self.reference_killed,
            self.phantom_killed,
            self.phantom_share * 100.0
        );
        for p in &self.phantom_incidents {
            s.push_str(&format!("  phantom  {p}\n"));
        }
        for m in &self.missing_strikes {
            s.push_str(&format!("  missing  {m}\n"));
        }
        for d in &self.toll_differences {
            s.push_str(&format!("  toll     {d}\n"));
        }
        for d in &self.duplicated_strikes {
            s.push_str(&format!("  twice    {d}\n"));
        }
        for d in &self.left_out {
            s.push_str(&format!("  left out {d}\n"));
        }
        s
    }
}

/// The reference strikes of a gold file: every dated gold incident, merged
/// by (day, region); an undated region-less mention adds nothing.
pub fn reference_strikes(gold: &[GoldDoc]) -> Vec<ReferenceStrike> {
    let mut by_key: BTreeMap<(NaiveDate, Option<String>), Option<u32>> = BTreeMap::new();
    for g in gold {
        for inc in &g.incidents {
            let Some(date) = inc.date else { continue };
            let slot = by_key.entry((date, inc.region.clone())).or_insert(None);
            *slot = (*slot).max(inc.killed);
        }
    }
    // A region-less mention of a day that also has a located one is the same strike.
    let located: Vec<NaiveDate> = by_key
        .keys()
        .filter(|(_, r)| r.is_some())
        .map(|(d, _)| *d)
        .collect();
    by_key
        .into_iter()
        .filter(|((d, r), _)| r.is_some() || !located.contains(d))
        .map(|((date, region), killed)| ReferenceStrike {
            date,
            region,
            killed,
        })
        .collect()
}

fn holds(strike: &ReferenceStrike, inc: &Incident) -> bool {
    let Some(date) = inc.date.or(inc.date_from) else {
        return false;
    };
    let near = (strike.date - date).num_days().abs() <= 1;
    let region_ok = strike.region.is_none() || inc.region.is_none() || strike.region == inc.region;
    near && region_ok
}

fn describe(inc: &Incident) -> String {
    format!(
        "{} {} {} killed={:?}",
        inc.id,
        inc.date
            .map(|d| d.to_string())
            .unwrap_or_else(|| "undated".into()),
        inc.region.as_deref().unwrap_or("-"),
        inc.killed.min
    )
}

/// Scores `ledger`'s incidents for which `in_headline` is true (the ones
/// counted in its sums) against the reference strikes of `gold`.
pub fn score_ledger(
    ledger: &Ledger,
    gold: &[GoldDoc],
    in_headline: impl Fn(&Incident) -> bool,
) -> LedgerScore {
    let reference = reference_strikes(gold);
    let counted: Vec<&Incident> = ledger.incidents.iter().filter(|i| in_headline(i)).collect();
    let mut score = LedgerScore {
        reference_strikes: reference.len(),
        reference_killed: reference.iter().filter_map(|r| r.killed).sum(),
        ledger_incidents: counted.len(),
        ..LedgerScore::default()
    };
    for inc in &counted {
        let dead = inc.killed.min.unwrap_or(0);
        score.ledger_killed += dead;
        if !reference.iter().any(|r| holds(r, inc)) {
            score.phantom_killed += dead;
            score.phantom_incidents.push(describe(inc));
        }
    }
    // Each incident belongs to the nearest reference strike that holds it
    // (strikes a day apart are common, so "holds" alone cannot tell a
    // double count from a neighbour).
    let nearest: Vec<Option<usize>> = counted
        .iter()
        .map(|inc| {
            reference
                .iter()
                .enumerate()
                .filter(|(_, r)| holds(r, inc))
                .min_by_key(|(_, r)| {
                    let day = inc.date.or(inc.date_from).unwrap_or(r.date);
                    ((r.date - day).num_days().abs(), r.region != inc.region)
                })
                .map(|(n, _)| n)
        })
        .collect();
    for (n, r) in reference.iter().enumerate() {
        let holding: Vec<&Incident> = counted
            .iter()
            .zip(&nearest)
            .filter(|(_, near)| **near == Some(n))
            .map(|(inc, _)| *inc)
            .collect();
        if let [inc] = holding.as_slice()
            && r.killed.is_some()
            && inc.killed.min != r.killed
        {
            score.toll_differences.push(format!(
                "{} {}: reference {:?}, ledger {}",
                r.date,
                r.region.as_deref().unwrap_or("-"),
                r.killed,
                describe(inc)
            ));
        }
        if holding.len() > 1 {
            let ids: Vec<String> = holding.iter().map(|i| describe(i)).collect();
            score.duplicated_strikes.push(format!(
                "{} {}: {}",
                r.date,
                r.region.as_deref().unwrap_or("-"),
                ids.join("; ")
            ));
        }
        if !counted.iter().any(|inc| holds(r, inc)) {
            score.missing_strikes.push(format!(
                "{} {} killed={:?}",
                r.date,
                r.region.as_deref().unwrap_or("-"),
                r.killed
            ));
        }
    }
    score.phantom_share = if score.ledger_killed == 0 {
        0.0
    } else {
        f64::from(score.phantom_killed) / f64::from(score.ledger_killed)
    };
    score
}
