//! Human judgment on top of machine output. Reviews are applied in log order
//! (by `seq`); machine values are never overwritten: reviewed values sit next
//! to them, and a rejected incident stays in the ledger graded `retracted`.

use chrono::NaiveDate;
use strikewatch_model::ledger::{
    Grade, Incident, IncidentReport, Ledger, Review, ReviewAction, ReviewOutcome, ReviewedValue,
};

use crate::config::ResolveConfig;
use crate::ids::incident_id;
use crate::materialize::{id_report, materialize};
use crate::reconcile::settle;
use crate::statements::sort_statements;
use crate::suspect::{TOTALS_RULE, settle_grade};

/// Fields a `correct` review may set, and how their values are checked.
const CORRECTABLE: [&str; 6] = ["date", "region", "vessels", "killed", "survivors", "grade"];

fn find(ledger: &Ledger, id: &str) -> Option<usize> {
    ledger
        .incidents
        .iter()
        .position(|i| i.id == id)
        .or_else(|| {
            ledger
                .incidents
                .iter()
                .position(|i| i.aliases.iter().any(|a| a == id))
        })
}

fn machine_value(i: &Incident, field: &str) -> Option<String> {
    let range = |r: &strikewatch_model::ledger::CountRange| match (r.min, r.max) {
        (Some(a), Some(b)) if a == b => Some(a.to_string()),
        (Some(a), Some(b)) => Some(format!("{a}-{b}")),
        _ => None,
    };
    match field {
        "date" => i.date.map(|d| d.format("%Y-%m-%d").to_string()),
        "region" => i.region.clone(),
        "vessels" => range(&i.vessels),
        "killed" => i
            .official_killed
            .map(|k| k.to_string())
            .or_else(|| range(&i.killed)),
        "survivors" => range(&i.survivors),
        "grade" => Some(i.grade.as_str().to_string()),
        _ => None,
    }
}

fn check_value(field: &str, value: &str) -> Result<(), String> {
    let ok = match field {
        "date" => NaiveDate::parse_from_str(value, "%Y-%m-%d").is_ok(),
        "vessels" | "killed" | "survivors" => value.parse::<u32>().is_ok(),
        "grade" => Grade::parse(value).is_some(),
        "region" => !value.trim().is_empty(),
        _ => return Err(format!("field {field} cannot be corrected")),
    };
    if ok {
        Ok(())
    } else {
        Err(format!("{value:?} is not a valid {field}"))
    }
}

fn reviewed(r: &Review, field: &str, value: &str, machine: Option<String>) -> ReviewedValue {
    ReviewedValue {
        field: field.to_string(),
        value: value.to_string(),
        machine_value: machine,
        seq: r.seq,
        author: r.author.clone(),
        reason: r.reason.clone(),
    }
}

fn note(r: &Review, what: &str) -> String {
    format!("review {} by {}: {} ({})", r.seq, r.author, what, r.reason)
}

/// Rebuilds an incident's machine view from a new set of reports, keeping
/// its id and everything reviews put on it.
fn rebuilt(old: &Incident, reports: Vec<IncidentReport>, cfg: &ResolveConfig) -> Incident {
    let mut fresh = materialize(reports, Some(old.id.clone()), cfg);
    fresh.notes.clone_from(&old.notes);
    fresh.aliases.clone_from(&old.aliases);
    fresh.reviewed.clone_from(&old.reviewed);
    settle_grade(&mut fresh);
    fresh
}

pub(crate) fn apply_one(
    ledger: &mut Ledger,
    r: &Review,
    cfg: &ResolveConfig,
) -> Result<String, String> {
    let missing = |id: &str| format!("no incident {id}");
    match &r.action {
        ReviewAction::Confirm { incident } => {
            let i = find(ledger, incident).ok_or_else(|| missing(incident))?;
            let inc = &mut ledger.incidents[i];
            inc.reviewed.push(reviewed(r, "confirmed", "true", None));
            inc.notes.push(note(r, "confirmed"));
            settle_grade(inc);
            Ok(format!("confirmed {}", inc.id))
        }
        ReviewAction::Correct {
            incident,
            field,
            value,
        } => {
            let i = find(ledger, incident).ok_or_else(|| missing(incident))?;
            if !CORRECTABLE.contains(&field.as_str()) {
                return Err(format!("field {field} cannot be corrected"));
            }
            check_value(field, value)?;
            let inc = &mut ledger.incidents[i];
            let machine = machine_value(inc, field);
            inc.reviewed
                .push(reviewed(r, field, value, machine.clone()));
            inc.notes.push(note(
                r,
                &format!(
                    "{field} set to {value} (machine: {})",
                    machine.as_deref().unwrap_or("none")
                ),
            ));
            if field == "grade"
                && let Some(g) = Grade::parse(value)
            {
                inc.grade = g;
            }
            Ok(format!("{field} of {} set to {value}", inc.id))
        }
        ReviewAction::Reject { incident } => {
            let i = find(ledger, incident).ok_or_else(|| missing(incident))?;
            let inc = &mut ledger.incidents[i];
            let machine = Some(inc.grade.as_str().to_string());
            inc.reviewed
                .push(reviewed(r, "grade", Grade::Retracted.as_str(), machine));
            inc.notes.push(note(r, "rejected"));
            inc.grade = Grade::Retracted;
            Ok(format!("rejected {}", inc.id))
        }
        ReviewAction::Annotate {
            incident,
            note: text,
        } => {
            let i = find(ledger, incident).ok_or_else(|| missing(incident))?;
            let inc = &mut ledger.incidents[i];
            inc.notes
                .push(format!("review {} by {}: {}", r.seq, r.author, text));
            Ok(format!("note on {}", inc.id))
        }
        ReviewAction::Merge { incident, into } => {
            let from = find(ledger, incident).ok_or_else(|| missing(incident))?;
            let to = find(ledger, into).ok_or_else(|| missing(into))?;
            if from == to {
                return Err(format!("{incident} and {into} are the same incident"));
            }
            let source = ledger.incidents[from].clone();
            let target = &ledger.incidents[to];
            let mut reports = target.reports.clone();
            reports.extend(source.reports.iter().cloned());
            let mut merged = rebuilt(target, reports, cfg);
            merged.aliases.push(source.id.clone());
            merged.aliases.extend(source.aliases.iter().cloned());
            merged.aliases.sort();
            merged.aliases.dedup();
            merged.notes.extend(source.notes.iter().cloned());
            merged
                .notes
                .push(note(r, &format!("merged {} into this incident", source.id)));
            ledger.incidents[to] = merged;
            ledger.incidents.remove(from);
            Ok(format!("merged {} into {}", source.id, into))
        }
        ReviewAction::Split {
            incident,
            document_id,
        } => {
            let i = find(ledger, incident).ok_or_else(|| missing(incident))?;
            let old = ledger.incidents[i].clone();
            let (out, keep): (Vec<IncidentReport>, Vec<IncidentReport>) = old
                .reports
                .iter()
                .cloned()
                .partition(|rep| &rep.document_id == document_id);
            if out.is_empty() {
                return Err(format!("{} has no report from {document_id}", old.id));
            }
            if keep.is_empty() {
                return Err(format!("{} has only reports from {document_id}", old.id));
            }
            let mut remaining = rebuilt(&old, keep, cfg);
            remaining
                .notes
                .push(note(r, &format!("reports of {document_id} split off")));
            let mut new_id = id_report(&out)
                .map(|x| incident_id(x, cfg))
                .unwrap_or_default();
            if new_id == old.id || ledger.incidents.iter().any(|x| x.id == new_id) {
                new_id = format!("{}-s{}", old.id, r.seq);
            }
            let mut split = materialize(out, Some(new_id), cfg);
            split
                .notes
                .push(note(r, &format!("split off {} ({document_id})", old.id)));
            let new_id = split.id.clone();
            ledger.incidents[i] = remaining;
            ledger.incidents.push(split);
            Ok(format!("split {document_id} off {} as {new_id}", old.id))
        }
        ReviewAction::CorrectSpeaker {
            document_id,
            statement_index,
            speaker,
        } => {
            let s = ledger
                .statements
                .iter_mut()
                .find(|s| &s.document_id == document_id && s.statement_index == *statement_index)
                .ok_or_else(|| format!("no statement {statement_index} in {document_id}"))?;
            if speaker.trim().is_empty() {
                return Err("empty speaker".into());
            }
            s.reviewed_speaker = Some(speaker.clone());
            let span = s.statement.span.clone();
            for group in &mut ledger.claims {
                let mut touched = false;
                for occ in &mut group.occurrences {
                    if &occ.document_id == document_id
                        && span.start <= occ.span.start
                        && occ.span.end <= span.end
                    {
                        occ.speaker = speaker.clone();
                        touched = true;
                    }
                }
                if touched {
                    group.settle_speakers();
                }
            }
            Ok(format!(
                "speaker of statement {statement_index} in {document_id} set to {speaker}"
            ))
        }
    }
}

/// Applies the review log on top of a machine ledger, in `seq` order (ties
/// in log order). Reviews that cannot apply (unknown incident, bad value)
/// are kept in the ledger's review log with the reason.
pub fn apply_reviews_with(ledger: &Ledger, reviews: &[Review], cfg: &ResolveConfig) -> Ledger {
    let mut out = ledger.clone();
    clear_unheld(&mut out.incidents);
    let mut ordered: Vec<&Review> = reviews.iter().collect();
    ordered.sort_by_key(|r| r.seq);
    for r in ordered {
        let (applied, detail) = match apply_one(&mut out, r, cfg) {
            Ok(d) => (true, d),
            Err(e) => (false, e),
        };
        out.review_log.push(ReviewOutcome {
            review: r.clone(),
            applied,
            detail,
        });
    }
    crate::engine::sort_incidents(&mut out.incidents);
    sort_statements(&mut out.statements);
    settle(&mut out.incidents, &mut out.reconciliation, cfg);
    out
}

/// Sets aside the totals' verdicts, so reviews apply to the machine's own
/// view of each incident (they are decided again after).
pub(crate) fn clear_unheld(incidents: &mut [Incident]) {
    for i in incidents {
        if i.suspect.as_ref().is_some_and(|s| s.rule == TOTALS_RULE) {
            i.suspect = None;
            settle_grade(i);
        }
    }
}
