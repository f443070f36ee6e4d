//! Other organisations' lists of strikes beside the ledger: `/trackers`
//! lists the imported trackers, `/trackers/{name}` compares one with the
//! ledger strike by strike (agree, differs, only in the ledger, only in the
//! tracker), with the ledger's evidence beside each difference.

use axum::response::Response;
use maud::{Markup, html};
use serde_json::json;
use strikewatch_model::tracking::{ComparisonRow, ComparisonStatus, FieldDifference};

use super::{Ctx, html};
use crate::error::PageError;
use crate::format::{Csv, Format, json, opt};
use crate::layout::{self, evidence_href, opt_text, region_label, source_link};
use crate::params::encode;

pub(crate) fn list(ctx: &Ctx) -> Result<Response, PageError> {
    let trackers = ctx.state.ledger.trackers()?;
    match ctx.format {
        Format::Json => Ok(json(&json!({ "trackers": trackers }))),
        Format::Csv => {
            let mut csv = Csv::new(&[
                "name",
                "version",
                "file",
                "sha256",
                "rows",
                "agree",
                "differs",
                "only_in_ledger",
                "only_in_tracker",
            ]);
            for t in &trackers {
                csv.row([
                    t.name.clone(),
                    t.version.to_string(),
                    t.file.clone(),
                    t.sha256.clone(),
                    t.rows.to_string(),
                    t.agree.to_string(),
                    t.differs.to_string(),
                    t.only_in_ledger.to_string(),
                    t.only_in_tracker.to_string(),
                ]);
            }
            Ok(csv.finish("trackers"))
        }
        Format::Html => {
            let body = html! {
                p { "Lists of strikes kept by other organisations, imported with "
                    code { "strikewatch trackers import FILE.csv --name NAME" }
                    ", compared with this ledger strike by strike (same region, days at most one apart)." }
                @if trackers.is_empty() { p.empty { "No tracker imported yet." } }
                @else {
                    table { thead { tr { th { "Tracker" } th { "Version" } th { "Strikes" } th { "Agree" } th { "Differ" } th { "Only in ledger" } th { "Only in tracker" } } }
                        tbody { @for t in &trackers { tr {
                            td { a href={ "/trackers/" (encode(&t.name)) } { (t.name) } }
                            td.num { (t.version) }
                            td.num { (t.rows) }
                            td.num { (t.agree) }
                            td.num { (t.differs) }
                            td.num { (t.only_in_ledger) }
                            td.num { (t.only_in_tracker) }
                        } } } }
                }
            };
            Ok(html(layout::page(
                &ctx.state.title,
                "Trackers",
                Some(("/trackers", "")),
                body,
            )))
        }
    }
}

fn differences_text(row: &ComparisonRow) -> String {
    row.differences
        .iter()
        .map(|d| {
            format!(
                "{}: ledger {} / tracker {}",
                d.field,
                d.ledger.as_deref().unwrap_or("—"),
                d.tracker.as_deref().unwrap_or("—")
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn evidence_text(row: &ComparisonRow) -> String {
    row.differences
        .iter()
        .flat_map(|d| {
            d.evidence.iter().map(move |e| {
                format!(
                    "{} {} says {}: \"{}\"",
                    d.field,
                    e.document_id,
                    e.value.as_deref().unwrap_or("—"),
                    e.span.as_ref().map(|s| s.text.as_str()).unwrap_or("")
                )
            })
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

fn status_label(s: ComparisonStatus) -> &'static str {
    match s {
        ComparisonStatus::Agree => "agree",
        ComparisonStatus::Differs => "differs",
        ComparisonStatus::OnlyInLedger => "only in ledger",
        ComparisonStatus::OnlyInTracker => "only in tracker",
    }
}

fn difference_markup(d: &FieldDifference) -> Markup {
    html! {
        li { strong { (d.field) } ": ledger " (d.ledger.as_deref().unwrap_or("—"))
            ", tracker " (d.tracker.as_deref().unwrap_or("—"))
            @if !d.evidence.is_empty() { ul.evidence { @for e in &d.evidence { li {
                a href={ "/documents/" (encode(&e.document_id)) } { (e.document_id) }
                " says " (e.value.as_deref().unwrap_or("—"))
                @if let Some(span) = &e.span { ": "
                    a href=(evidence_href(&e.document_id, span.start, span.end)) { blockquote.inline { (span.text) } } }
            } } } }
        }
    }
}

fn figures(v: Option<&str>) -> String {
    v.unwrap_or("—").to_string()
}

pub(crate) fn detail(ctx: &Ctx, name: &str) -> Result<Response, PageError> {
    let comparison = ctx
        .state
        .ledger
        .tracker_comparison(name)?
        .ok_or_else(|| PageError::NotFound(format!("tracker {name}")))?;
    match ctx.format {
        Format::Json => Ok(json(&comparison)),
        Format::Csv => {
            let mut csv = Csv::new(&[
                "status",
                "day",
                "incident_id",
                "ledger_date",
                "ledger_region",
                "ledger_vessels",
                "ledger_killed",
                "ledger_survivors",
                "tracker_line",
                "tracker_date",
                "tracker_region",
                "tracker_vessels",
                "tracker_killed",
                "tracker_survivors",
                "tracker_source_url",
                "differences",
                "evidence",
            ]);
            for r in &comparison.rows {
                let l = r.ledger.as_ref();
                let t = r.tracker.as_ref();
                csv.row([
                    r.status.as_str().to_string(),
                    opt(r.day),
                    opt(l.map(|l| l.incident_id.clone())),
                    opt(l.and_then(|l| l.date)),
                    opt(l.and_then(|l| l.region.clone())),
                    opt(l.and_then(|l| l.vessels.clone())),
                    opt(l.and_then(|l| l.killed.clone())),
                    opt(l.and_then(|l| l.survivors.clone())),
                    opt(t.map(|t| t.line)),
                    opt(t.map(|t| t.date)),
                    opt(t.and_then(|t| t.region.clone())),
                    opt(t.and_then(|t| t.vessels)),
                    opt(t.and_then(|t| t.killed)),
                    opt(t.and_then(|t| t.survivors)),
                    opt(t.and_then(|t| t.source_url.clone())),
                    differences_text(r),
                    evidence_text(r),
                ]);
            }
            Ok(csv.finish(&format!("tracker-{}", comparison.name)))
        }
        Format::Html => {
            let body = html! {
                p { "Version " (comparison.version) " imported from " code { (comparison.file) }
                    " (SHA-256 " code { (comparison.sha256.get(..12).unwrap_or(&comparison.sha256)) } "…). "
                    "A tracker strike matches a ledger incident in the same region (or where one side does not say) at most one day apart; "
                    "figures are compared with the ledger's leading figure (reviewed, else official, else the highest stated)." }
                dl.figures { @for s in ComparisonStatus::ALL {
                    div { dt { (status_label(s)) } dd { (comparison.count(s)) } }
                } }
                div.scroll { table.trackers {
                    thead { tr { th { "Status" } th { "Day" } th { "Ledger" } th { "Tracker" } th { "Differences and the ledger's evidence" } } }
                    tbody { @for r in &comparison.rows { tr class=(r.status.as_str()) {
                        td { (status_label(r.status)) }
                        td { (opt_text(r.day)) }
                        td { @if let Some(l) = &r.ledger {
                            a href={ "/incidents/" (encode(&l.incident_id)) } { (l.incident_id) } br;
                            (opt_text(l.date)) " · " (region_label(l.region.as_deref())) br;
                            "boats " (figures(l.vessels.as_deref())) ", killed " (figures(l.killed.as_deref())) ", survivors " (figures(l.survivors.as_deref()))
                        } }
                        td { @if let Some(t) = &r.tracker {
                            "line " (t.line) ": " (t.date) " · " (region_label(t.region.as_deref())) br;
                            "boats " (opt_text(t.vessels)) ", killed " (opt_text(t.killed)) ", survivors " (opt_text(t.survivors))
                            @if let Some(u) = &t.source_url { br; (source_link(Some(u), "its source")) }
                        } }
                        td { @if !r.differences.is_empty() { ul { @for d in &r.differences { (difference_markup(d)) } } } }
                    } } }
                } }
            };
            Ok(html(layout::page(
                &ctx.state.title,
                &format!("Tracker {}", comparison.name),
                Some((&format!("/trackers/{}", encode(&comparison.name)), "")),
                body,
            )))
        }
    }
}
