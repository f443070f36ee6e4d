//! Incidents graded `suspect`: dated before the campaign, with figures far
//! outside the campaign's (a cumulative sentence read as one strike), or
//! that the stated running totals cannot hold (decided in
//! [`crate::reconcile::settle`]). They stay in the ledger, listed with their
//! reason, and out of the headline sums and charts until a reviewer
//! confirms them. The thresholds are data (`data/resolve.toml`).

use strikewatch_model::ledger::{Grade, Incident, Suspicion};

use crate::config::ResolveConfig;
use crate::materialize::report_grade;

pub(crate) const BEFORE_CAMPAIGN_RULE: &str = "before_campaign";
pub(crate) const FIGURES_RULE: &str = "figures_out_of_range";
pub(crate) const TOTALS_RULE: &str = "totals_cannot_hold";

/// The rule an incident breaks on its own (date or figures), if any.
pub(crate) fn rule_suspicion(i: &Incident, cfg: &ResolveConfig) -> Option<Suspicion> {
    let c = &cfg.campaign;
    if let (Some(day), Some(start)) = (i.date.or(i.date_to).or(i.date_from), c.start_date())
        && day < start
    {
        return Some(Suspicion {
            rule: BEFORE_CAMPAIGN_RULE.into(),
            reason: format!("dated {day}, before the campaign began on {start}"),
        });
    }
    let vessels = i.vessels.min.filter(|v| *v > c.max_vessels_per_incident);
    let killed = i.killed.min.filter(|k| *k > c.max_killed_per_incident);
    if vessels.is_some() || killed.is_some() {
        let mut what = Vec::new();
        if let Some(v) = vessels {
            what.push(format!(
                "{v} vessels (the most one announcement of the campaign holds is {})",
                c.max_vessels_per_incident
            ));
        }
        if let Some(k) = killed {
            what.push(format!(
                "{k} killed (the most is {})",
                c.max_killed_per_incident
            ));
        }
        return Some(Suspicion {
            rule: FIGURES_RULE.into(),
            reason: format!(
                "{} for one incident: likely a cumulative figure read as a strike",
                what.join(" and ")
            ),
        });
    }
    None
}

/// Sets the grade that follows from reviews, suspicion and reports: a
/// reviewed grade wins; a suspicion holds until a reviewer confirms.
pub(crate) fn settle_grade(i: &mut Incident) {
    if let Some(g) = i.reviewed_value("grade").and_then(Grade::parse) {
        i.grade = g;
    } else if i.suspect.is_some() && !i.confirmed() {
        i.grade = Grade::Suspect;
    } else if i.grade == Grade::Suspect {
        i.grade = report_grade(i);
    }
}
