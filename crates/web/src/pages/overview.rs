//! The front page: headline figures, the two charts and the latest strikes.

use axum::response::Response;
use maud::html;
use serde_json::json;
use strikewatch_model::read::Filter;

use super::{Ctx, html};
use crate::charts;
use crate::error::PageError;
use crate::format::{Csv, Format, json};
use crate::layout::{self, range, region_label};
use crate::params::encode;

pub(crate) fn page(ctx: &Ctx) -> Result<Response, PageError> {
    let ledger = &ctx.state.ledger;
    let all = super::summaries(&ctx.state, &Filter::default())?;
    let incidents: Vec<_> = all
        .iter()
        .filter(|i| i.grade.in_headline())
        .cloned()
        .collect();
    let left_out = super::reconciliation::excluded(ctx)?;
    let documents = ledger.document_count()?;
    let points = charts::series(&incidents);
    let killed = strikewatch_model::ledger::CountRange {
        min: points.last().map(|p| p.cumulative_min),
        max: points.last().map(|p| p.cumulative_max),
    };
    let latest = points.last().map(|p| p.date);
    match ctx.format {
        Format::Json => Ok(json(&json!({
            "incidents": incidents.len(), "killed": killed, "documents": documents, "latest_strike": latest,
            "excluded": super::reconciliation::excluded_json(&left_out),
        }))),
        Format::Csv => {
            let mut csv = Csv::new(&[
                "incidents",
                "killed_min",
                "killed_max",
                "documents",
                "latest_strike",
            ]);
            csv.row([
                incidents.len().to_string(),
                crate::format::opt(killed.min),
                crate::format::opt(killed.max),
                documents.to_string(),
                crate::format::opt(latest),
            ]);
            Ok(csv.finish("overview"))
        }
        Format::Html => {
            let stated = ledger.reconciliation(&Filter::default())?;
            let recent: Vec<&charts::SeriesPoint> = points.iter().rev().take(8).collect();
            let body = html! {
                (crate::as_of::banner("/", &ctx.params))
                dl.figures {
                    div { dt { "Strikes in the ledger" } dd { (incidents.len()) } }
                    div { dt { "Killed (min–max over sources)" } dd { (range(&killed)) } }
                    div { dt { "Latest strike" } dd { (crate::layout::opt_text(latest)) } }
                    div { dt { "Source documents" } dd { (documents) } }
                }
                @if !left_out.is_empty() {
                    p.suspect { (left_out.len()) " suspect incident" @if left_out.len() != 1 { "s" } " left out of these figures; see below." }
                }
                h2 { "Strikes over time" }
                (charts::timeline(&points))
                h2 { "Cumulative deaths" }
                (charts::cumulative(&points, &stated))
                h2 { "Latest strikes" }
                ul.latest {
                    @for p in recent {
                        li { a href={ "/incidents/" (encode(&p.incident_id)) } { (p.date) } " · " (region_label(p.region.as_deref())) " · killed "
                            (p.killed_min) @if p.killed_max != p.killed_min { "–" (p.killed_max) } }
                    }
                }
                (super::reconciliation::excluded_html(&left_out))
                p { a href="/incidents" { "All incidents →" } " " a href="/map" { "Map →" } " " a href="/reconciliation" { "Reconciliation →" } }
            };
            Ok(html(layout::page(
                &ctx.state.title,
                "Strikes on boats in the Caribbean and eastern Pacific",
                Some(("/index", "")),
                body,
            )))
        }
    }
}
