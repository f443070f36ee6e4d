//! Statements, by speaker.

use std::collections::BTreeMap;

use axum::response::Response;
use maud::html;
use serde_json::json;
use strikewatch_model::read::{Filter, StatementRow, sort_statement_rows};

use super::{Ctx, html};
use crate::error::PageError;
use crate::format::{Csv, Format, json, opt};
use crate::layout::{self, evidence_href, opt_text, pager};
use crate::params::{encode, next_page, paginate};
use crate::stream::{CHUNK_ROWS, Export};

pub(crate) fn page(ctx: &Ctx) -> Result<Response, PageError> {
    let params = &ctx.params;
    let filter = params.filter()?;
    let (page_no, per_page) = params.paging()?;
    let mut rows = ctx.state.ledger.statements(&filter)?;
    sort_statement_rows(&mut rows, params.descending());
    let (rows, total) = paginate(rows, page_no, per_page);
    match ctx.format {
        Format::Json => Ok(json(&json!({
            "total": total, "page": page_no, "per_page": per_page,
            "next": next_page("/statements.json", params, page_no, per_page, total),
            "statements": rows,
        }))),
        Format::Csv => {
            let mut csv = Csv::new(&CSV_HEADER);
            for r in &rows {
                csv.row(csv_row(r));
            }
            Ok(csv.finish("statements"))
        }
        Format::Html => {
            // Speaker counts ignore the speaker filter, so every speaker stays reachable.
            let all = ctx.state.ledger.statements(&Filter {
                speaker: None,
                ..filter.clone()
            })?;
            let mut speakers: BTreeMap<&str, usize> = BTreeMap::new();
            for r in &all {
                *speakers.entry(r.statement.speaker.as_str()).or_default() += 1;
            }
            let body = html! {
                form.filters method="get" action="/statements" {
                    label { "Words " input type="search" name="q" value=(params.q.clone().unwrap_or_default()); }
                    @if let Some(s) = &params.speaker { input type="hidden" name="speaker" value=(s); }
                    button type="submit" { "Filter" }
                }
                div.layout {
                    aside.facets {
                        h2 { "Speaker" }
                        ul {
                            @if params.speaker.is_some() { li.active { a href={ "/statements" (params.with("speaker", None).query()) } { "× all speakers" } } }
                            @for (s, n) in &speakers {
                                li { a href={ "/statements" (params.with("speaker", Some(s)).query()) } { (s) } " " span.count { (n) } }
                            }
                        }
                    }
                    section {
                        (pager("/statements", params, page_no, per_page, total))
                        @for r in &rows { (statement(r)) }
                        @if rows.is_empty() { p.empty { "No statement matches." } }
                    }
                }
            };
            Ok(html(layout::page(
                &ctx.state.title,
                "Statements",
                Some(("/statements", &params.query())),
                body,
            )))
        }
    }
}

const CSV_HEADER: [&str; 12] = [
    "document_id",
    "statement_index",
    "speaker",
    "speaker_role",
    "said_at",
    "published",
    "channel",
    "quote",
    "claims",
    "span_start",
    "span_end",
    "url",
];

fn csv_row(r: &StatementRow) -> Vec<String> {
    let s = &r.statement;
    vec![
        r.document_id.clone(),
        r.statement_index.to_string(),
        s.speaker.clone(),
        s.speaker_role.clone().unwrap_or_default(),
        opt(s.said_at),
        opt(r.published),
        s.channel
            .map(|c| {
                serde_json::to_value(c)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default()
            })
            .unwrap_or_default(),
        s.quote.clone(),
        s.claims
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(";"),
        s.span.start.to_string(),
        s.span.end.to_string(),
        r.url.clone().unwrap_or_default(),
    ]
}

/// Every statement the filters match, in the listing's order, a chunk at a
/// time.
pub(crate) fn export(ctx: &Ctx) -> Result<Export, PageError> {
    let filter = ctx.params.filter()?;
    let descending = ctx.params.descending();
    let ledger = ctx.state.ledger.clone();
    let mut after: Option<String> = None;
    Ok(Export {
        name: "statements",
        header: &CSV_HEADER,
        next: Box::new(move |out| {
            let chunk =
                ledger.statement_chunk(&filter, descending, after.as_deref(), CHUNK_ROWS)?;
            for r in &chunk.rows {
                out.row(r, csv_row);
            }
            after = chunk.next;
            Ok(after.is_some())
        }),
    })
}

fn statement(r: &StatementRow) -> maud::Markup {
    let s = &r.statement;
    html! {
        article.statement {
            blockquote { (s.quote) }
            p.meta {
                strong { (s.speaker) }
                @if let Some(role) = &s.speaker_role { ", " (role) }
                " · " (opt_text(s.said_at.or(r.published)))
                @for c in &s.claims { " " span.claim { (c.as_str().replace('_', " ")) } }
                " · " a href=(evidence_href(&r.document_id, s.span.start, s.span.end)) { "in context" }
                " · " a href={ "/documents/" (encode(&r.document_id)) } { (r.document_id) }
            }
        }
    }
}
