//! Reconciliation: each running total a source stated, against the ledger
//! as of the same date. A positive gap means the ledger is missing deaths.

use axum::response::Response;
use maud::html;
use serde_json::json;

use super::{Ctx, html};
use crate::error::PageError;
use crate::format::{Csv, Format, json, opt};
use crate::layout::{self, evidence_href, opt_text, range};

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
        Format::Json => Ok(json(
            &json!({ "total": rows.len(), "reconciliation": rows }),
        )),
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
                    r.span.text.clone(),
                    r.url.clone().unwrap_or_default(),
                ]);
            }
            Ok(csv.finish("reconciliation"))
        }
        Format::Html => {
            let body = html! {
                (crate::as_of::banner("/reconciliation", &ctx.params))
                p { "Each row is a campaign-wide total as a source stated it, set against the strikes in this ledger up to the same date. "
                    "A positive gap means the source counts more deaths than the ledger holds: strikes may be missing." }
                div.scroll { table.reconciliation {
                    thead { tr {
                        th { "As of" } th { "Source says" } th { "Stated strikes" } th { "Ledger strikes" } th { "Gap" }
                        th { "Stated killed" } th { "Ledger killed" } th { "Gap" }
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
