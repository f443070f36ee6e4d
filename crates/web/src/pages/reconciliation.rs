//! Reconciliation: each running total a source stated, placed at the strike
//! it follows, with the cause of its gap from the ledger; a summary of the
//! causes, the totals drawn over the ledger's cumulative line, and the
//! incidents left out of the sums as suspect.

use std::collections::BTreeSet;

use axum::response::Response;
use maud::{Markup, html};
use serde::Serialize;
use serde_json::json;
use strikewatch_model::ledger::{GapCause, Grade, Reconciliation};
use strikewatch_model::read::{Filter, IncidentOrder, IncidentSummary};

use super::{Ctx, html};
use crate::charts;
use crate::error::PageError;
use crate::format::{Csv, Format, json, opt};
use crate::layout::{self, evidence_href, opt_text, range};
use crate::params::encode;

/// Counts of causes over the rows shown.
#[derive(Debug, Default, Serialize)]
pub(crate) struct CauseSummary {
    pub matched: usize,
    /// Distinct windows of days that likely lack a strike.
    pub strikes_missing: usize,
    pub missing_strike_totals: usize,
    pub announcement_lags: usize,
    pub counting_differences: usize,
    /// Distinct suspect incidents the totals name.
    pub suspect_incidents: usize,
    pub suspect_incident_totals: usize,
    /// Totals with no date or figure to compare.
    pub not_compared: usize,
}

pub(crate) fn summarize(rows: &[Reconciliation]) -> CauseSummary {
    let mut s = CauseSummary::default();
    let mut windows = BTreeSet::new();
    let mut named = BTreeSet::new();
    for r in rows {
        match r.cause {
            Some(GapCause::Matched) => s.matched += 1,
            Some(GapCause::MissingStrike) => {
                s.missing_strike_totals += 1;
                windows.insert((r.explanation.likely_from, r.explanation.likely_to));
            }
            Some(GapCause::AnnouncementLag) => s.announcement_lags += 1,
            Some(GapCause::CountingDifference) => s.counting_differences += 1,
            Some(GapCause::SuspectIncident) => {
                s.suspect_incident_totals += 1;
                named.extend(r.explanation.incidents.iter().cloned());
            }
            None => s.not_compared += 1,
        }
    }
    s.strikes_missing = windows.len();
    s.suspect_incidents = named.len();
    s
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "3 strikes missing, 1 suspect incident, 2 lags" (and the rest).
pub(crate) fn summary_line(s: &CauseSummary, total: usize) -> String {
    let mut parts = Vec::new();
    if s.strikes_missing > 0 {
        parts.push(format!(
            "{} missing",
            plural(s.strikes_missing, "strike", "strikes")
        ));
    }
    if s.suspect_incidents > 0 {
        parts.push(plural(
            s.suspect_incidents,
            "suspect incident",
            "suspect incidents",
        ));
    }
    if s.announcement_lags > 0 {
        parts.push(plural(s.announcement_lags, "lag", "lags"));
    }
    if s.counting_differences > 0 {
        parts.push(plural(
            s.counting_differences,
            "counting difference",
            "counting differences",
        ));
    }
    let head = if parts.is_empty() {
        "Nothing unexplained".to_string()
    } else {
        parts.join(", ")
    };
    let held = s.matched + s.suspect_incident_totals;
    let tail = if s.suspect_incident_totals > 0 {
        format!(
            " ({} of them only with the suspect incident{} left out)",
            s.suspect_incident_totals,
            if s.suspect_incidents == 1 { "" } else { "s" }
        )
    } else {
        String::new()
    };
    format!(
        "{head}; {held} of {} matched{tail}.",
        plural(total, "stated total", "stated totals")
    )
}

/// The incidents left out of the headline sums, with why. Read from the
/// summary rows, which every ledger view (an `as_of` day included) holds.
pub(crate) fn excluded(ctx: &Ctx) -> Result<Vec<IncidentSummary>, PageError> {
    let filter = Filter {
        grade: Some(Grade::Suspect.as_str().to_string()),
        ..Filter::default()
    };
    Ok(ctx
        .state
        .ledger
        .incident_summaries(&filter, IncidentOrder::default())?
        .rows)
}

pub(crate) fn excluded_json(list: &[IncidentSummary]) -> serde_json::Value {
    serde_json::Value::Array(
        list.iter()
            .map(|i| {
                json!({
                    "id": i.id, "date": i.date, "grade": i.grade.as_str(),
                    "killed": i.killed, "vessels": i.vessels,
                    "rule": i.suspect.as_ref().map(|s| s.rule.clone()),
                    "reason": i.suspect.as_ref().map(|s| s.reason.clone()),
                })
            })
            .collect(),
    )
}

pub(crate) fn excluded_html(list: &[IncidentSummary]) -> Markup {
    html! {
        @if !list.is_empty() {
            h2 { "Left out of the headline (suspect)" }
            p { "Counted in no sum or chart until a reviewer confirms them (" code { "strikewatch review confirm" } ")." }
            ul.excluded { @for i in list { li {
                a href={ "/incidents/" (encode(&i.id)) } { (i.id) } " · killed " (range(&i.killed))
                @if let Some(s) = &i.suspect { " — " (s.reason) }
            } } }
        }
    }
}

fn gap_label(gap: Option<i64>) -> String {
    match gap {
        Some(g) if g > 0 => format!("+{g}"),
        Some(g) => g.to_string(),
        None => "—".into(),
    }
}

pub(crate) fn page(ctx: &Ctx) -> Result<Response, PageError> {
    let filter = ctx.params.filter()?;
    let mut rows = ctx.state.ledger.reconciliation(&filter)?;
    rows.sort_by(|a, b| {
        a.as_of
            .cmp(&b.as_of)
            .then_with(|| a.document_id.cmp(&b.document_id))
            .then_with(|| a.total_index.cmp(&b.total_index))
    });
    match ctx.format {
        Format::Json => {
            let left_out = excluded(ctx)?;
            Ok(json(&json!({
                "total": rows.len(),
                "summary": summarize(&rows),
                "excluded": excluded_json(&left_out),
                "reconciliation": rows,
            })))
        }
        Format::Csv => {
            let mut csv = Csv::new(&[
                "document_id",
                "total_index",
                "as_of",
                "attributed_to",
                "stated_strikes",
                "stated_killed",
                "ledger_strikes",
                "ledger_killed_min",
                "ledger_killed_max",
                "strikes_gap",
                "killed_gap",
                "cause",
                "likely_from",
                "likely_to",
                "incidents",
                "explanation",
                "text",
                "url",
            ]);
            for r in &rows {
                csv.row([
                    r.document_id.clone(),
                    r.total_index.to_string(),
                    opt(r.as_of),
                    r.attributed_to.clone().unwrap_or_default(),
                    opt(r.stated_strikes),
                    opt(r.stated_killed),
                    r.ledger_strikes.to_string(),
                    opt(r.ledger_killed.min),
                    opt(r.ledger_killed.max),
                    opt(r.strikes_gap),
                    opt(r.killed_gap),
                    r.cause.map(|c| c.as_str().to_string()).unwrap_or_default(),
                    opt(r.explanation.likely_from),
                    opt(r.explanation.likely_to),
                    r.explanation.incidents.join(" "),
                    r.explanation.text.clone(),
                    r.span.text.clone(),
                    r.url.clone().unwrap_or_default(),
                ]);
            }
            Ok(csv.finish("reconciliation"))
        }
        Format::Html => {
            let left_out = excluded(ctx)?;
            let summary = summarize(&rows);
            let points = charts::series(&super::summaries(&ctx.state, &Filter::default())?);
            let body = html! {
                (crate::as_of::banner("/reconciliation", &ctx.params))
                p.recon-summary { (summary_line(&summary, rows.len())) }
                p { "Each row is a campaign-wide total as a source stated it, placed at the strike it follows (the latest strike its own text reports, "
                    "else the day it was given, compared with the ledger before and after that day's strikes), with the cause of any gap. "
                    "A positive gap means the source counts more deaths than the ledger holds." }
                (charts::cumulative(&points, &rows))
                (excluded_html(&left_out))
                div.scroll { table.reconciliation {
                    thead { tr {
                        th { "As of" } th { "Source says" } th { "Stated strikes" } th { "Ledger strikes" } th { "Gap" }
                        th { "Stated killed" } th { "Ledger killed" } th { "Gap" } th { "Cause" }
                    } }
                    tbody { @for r in &rows { tr {
                        td { (opt_text(r.as_of)) }
                        td { blockquote.inline { (r.span.text) } " " a href=(evidence_href(&r.document_id, r.span.start, r.span.end)) { "source" }
                            @if let Some(a) = &r.attributed_to { " (" (a) ")" } }
                        td.num { (opt_text(r.stated_strikes)) }
                        td.num { (r.ledger_strikes) }
                        td.num class=(gap_class(r.strikes_gap)) { (gap_label(r.strikes_gap)) }
                        td.num { (opt_text(r.stated_killed)) }
                        td.num { (range(&r.ledger_killed)) }
                        td.num class=(gap_class(r.killed_gap)) { (gap_label(r.killed_gap)) }
                        td { span class={ "cause " (r.cause.map_or("none", GapCause::as_str)) } { (r.cause.map_or("not compared", GapCause::as_str).replace('_', " ")) }
                            " " small { (r.explanation.text) } }
                    } } }
                } }
                @if rows.is_empty() { p.empty { "No stated totals in this range." } }
            };
            Ok(html(layout::page(
                &ctx.state.title,
                "Reconciliation",
                Some(("/reconciliation", &ctx.params.query())),
                body,
            )))
        }
    }
}

fn gap_class(gap: Option<i64>) -> &'static str {
    match gap {
        Some(g) if g > 0 => "gap missing",
        Some(g) if g < 0 => "gap over",
        _ => "gap",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cause: &str, window: Option<&str>, named: &[&str]) -> Reconciliation {
        serde_json::from_value(json!({
            "document_id": "d", "total_index": 0, "url": null, "as_of": "2025-10-01",
            "attributed_to": null, "stated_strikes": null, "stated_killed": 10,
            "ledger_strikes": 1, "ledger_killed": {"min": 10, "max": 10},
            "killed_gap": 0, "strikes_gap": null,
            "span": {"start": 0, "end": 1, "text": "x"},
            "cause": cause,
            "explanation": {"likely_from": window, "likely_to": window, "incidents": named, "text": "t"},
        }))
        .unwrap()
    }

    #[test]
    fn the_summary_counts_missing_windows_suspects_and_lags() {
        let rows = vec![
            row("matched", None, &[]),
            row("missing_strike", Some("2025-09-10"), &[]),
            row("missing_strike", Some("2025-09-10"), &[]),
            row("missing_strike", Some("2025-11-01"), &[]),
            row("suspect_incident", None, &["sw-a"]),
            row("suspect_incident", None, &["sw-a"]),
            row("announcement_lag", None, &[]),
            row("announcement_lag", None, &[]),
        ];
        let line = summary_line(&summarize(&rows), rows.len());
        assert_eq!(
            line,
            "2 strikes missing, 1 suspect incident, 2 lags; 3 of 8 stated totals matched \
             (2 of them only with the suspect incident left out)."
        );
    }
}
