//! The claims tracker: claims by kind over time (a kind × month table whose
//! counts link to the filtered list), then the claims themselves.

use std::collections::{BTreeMap, BTreeSet};

use axum::response::Response;
use maud::html;
use serde_json::json;
use strikewatch_model::ClaimKind;
use strikewatch_model::public::NonPublic;
use strikewatch_model::read::{ClaimRow, Filter, ListingPage};

use super::{Ctx, html};
use crate::cursor::{self, Position};
use crate::error::PageError;
use crate::format::{Csv, Format, json, opt, with_next_link};
use crate::layout::{self, evidence_href, opt_text, pager};
use crate::params::next_page;
use crate::stream::{CHUNK_ROWS, Export};

const CSV_HEADER: [&str; 8] = [
    "document_id",
    "published",
    "kind",
    "speaker",
    "text",
    "span_start",
    "span_end",
    "url",
];

fn csv_row(r: &ClaimRow) -> Vec<String> {
    vec![
        r.document_id.clone(),
        opt(r.published),
        r.claim.kind.as_str().into(),
        r.claim.speaker.clone(),
        r.claim.text.clone(),
        r.claim.span.start.to_string(),
        r.claim.span.end.to_string(),
        r.url.clone().unwrap_or_default(),
    ]
}

/// Every claim the filters match, in the listing's order, a chunk at a time.
pub(crate) fn export(ctx: &Ctx) -> Result<Export, PageError> {
    let filter = ctx.params.filter()?;
    let descending = ctx.params.descending();
    let order = if descending { "desc" } else { "asc" };
    let mut after = cursor::stream_start(ctx.params.cursor.as_deref(), "claims", order)?;
    let ledger = ctx.state.ledger.clone();
    Ok(Export {
        name: "claims",
        header: &CSV_HEADER,
        next: Box::new(move |out| {
            let chunk = ledger.claim_chunk(&filter, descending, after.as_deref(), CHUNK_ROWS)?;
            for r in &chunk.rows {
                out.row(r, csv_row);
            }
            after = chunk.next;
            Ok(after.is_some())
        }),
    })
}

pub(crate) fn page(ctx: &Ctx) -> Result<Response, PageError> {
    let params = &ctx.params;
    let filter = params.filter()?;
    let (page_no, per_page) = params.paging()?;
    let order = if params.descending() { "desc" } else { "asc" };
    let at = cursor::decode(params.cursor.as_deref(), "claims", order)?;
    // Only the page's rows are read, by the index of the listing order:
    // sought after the cursor, or stepped to by offset.
    let ListingPage {
        rows: page_rows,
        total,
        next,
    } = ctx.state.ledger.claim_page(
        &Filter {
            offset: Some((page_no - 1).saturating_mul(per_page)),
            limit: Some(per_page),
            after: at.and_then(|p| p.after),
            ..filter.clone()
        },
        params.descending(),
        &NonPublic::default(),
    )?;
    let next_cursor = next.map(|after| {
        cursor::encode(
            "claims",
            order,
            Position {
                after: Some(after),
                ..Position::default()
            },
        )
    });
    let next_cursor = next_cursor.as_deref();
    match ctx.format {
        Format::Json => Ok(json(&json!({
            "total": total, "page": page_no, "per_page": per_page,
            "next": next_page("/claims.json", params, page_no, per_page, total, next_cursor),
            "next_cursor": next_cursor,
            "claims": page_rows,
        }))),
        Format::Csv => {
            let mut csv = Csv::new(&CSV_HEADER);
            for r in &page_rows {
                csv.row(csv_row(r));
            }
            let next =
                next_cursor.map(|c| format!("/claims.csv{}", params.next_query(page_no, Some(c))));
            Ok(with_next_link(csv.finish("claims"), next.as_deref()))
        }
        Format::Html => {
            // The tracker counts over every kind, whatever kind is selected.
            let counts: BTreeMap<(ClaimKind, String), usize> = ctx.state.ledger.claim_months(
                &Filter {
                    speaker: filter.speaker.clone(),
                    q: filter.q.clone(),
                    ..Filter::default()
                },
                &NonPublic::default(),
            )?;
            let months: BTreeSet<String> = counts.keys().map(|(_, m)| m.clone()).collect();
            let body = html! {
                h2 { "By kind and month" }
                div.scroll { table.tracker {
                    thead { tr { th { "Kind" } @for m in &months { th { (m) } } th { "All" } } }
                    tbody {
                        @for kind in ClaimKind::ALL {
                            @let row_total: usize = months.iter().map(|m| counts.get(&(kind, m.clone())).copied().unwrap_or(0)).sum();
                            tr class=(if params.kind.as_deref() == Some(kind.as_str()) { "active" } else { "" }) {
                                th scope="row" { a href={ "/claims" (params.with("kind", Some(kind.as_str())).with("month", None).query()) } { (kind.as_str().replace('_', " ")) } }
                                @for m in &months {
                                    @let n = counts.get(&(kind, m.clone())).copied().unwrap_or(0);
                                    td.num { @if n > 0 {
                                        @if m == "undated" { (n) } @else {
                                            a href={ "/claims" (params.with("kind", Some(kind.as_str())).with("month", Some(m)).query()) } { (n) }
                                        }
                                    } }
                                }
                                td.num { (row_total) }
                            }
                        }
                    }
                } }
                h2 { "Claims" @if let Some(k) = &params.kind { " of kind " (k.replace('_', " ")) " " a href={ "/claims" (params.with("kind", None).query()) } { "× all kinds" } } }
                (pager("/claims", params, page_no, per_page, total, next_cursor))
                @for r in &page_rows {
                    article.claim-row {
                        blockquote { (r.claim.text) }
                        p.meta { span.claim { (r.claim.kind.as_str().replace('_', " ")) } " · " strong { (r.claim.speaker) } " · " (opt_text(r.published))
                            " · " a href=(evidence_href(&r.document_id, r.claim.span.start, r.claim.span.end)) { "in context" } }
                    }
                }
                @if page_rows.is_empty() { p.empty { "No claim matches." } }
            };
            Ok(html(layout::page(
                &ctx.state.title,
                "Claims",
                Some(("/claims", &params.query())),
                body,
            )))
        }
    }
}
