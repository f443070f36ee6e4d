//! Full-text search across documents and statements.

use axum::response::Response;
use maud::html;
use serde_json::json;

use super::{Ctx, html};
use crate::error::PageError;
use crate::format::{Csv, Format, json};
use crate::layout;
use crate::params::encode;

const LIMIT: usize = 100;
const MAX_QUERY: usize = 500;

pub(crate) fn page(ctx: &Ctx) -> Result<Response, PageError> {
    let q = ctx.params.q.as_deref().map(str::trim).unwrap_or("");
    if q.len() > MAX_QUERY {
        return Err(PageError::BadRequest(format!(
            "the query is longer than {MAX_QUERY} bytes"
        )));
    }
    let hits = if q.is_empty() {
        Vec::new()
    } else {
        ctx.state.ledger.search(q, LIMIT)?
    };
    match ctx.format {
        Format::Json => Ok(json(&json!({ "q": q, "hits": hits }))),
        Format::Csv => {
            let mut csv = Csv::new(&["kind", "document_id", "title", "snippet", "rank"]);
            for h in &hits {
                csv.row([
                    h.kind.clone(),
                    h.document_id.clone(),
                    h.title.clone().unwrap_or_default(),
                    h.snippet.clone(),
                    h.rank.to_string(),
                ]);
            }
            Ok(csv.finish("search"))
        }
        Format::Html => {
            let body = html! {
                form.filters method="get" action="/search" role="search" {
                    label { "Search documents and statements " input type="search" name="q" value=(q) maxlength=(MAX_QUERY); }
                    button type="submit" { "Search" }
                }
                @if !q.is_empty() {
                    p { (hits.len()) " results" @if hits.len() == LIMIT { " (first " (LIMIT) ")" } }
                    ol.hits {
                        @for h in &hits {
                            li {
                                span.kind { (h.kind) } " "
                                a href={ "/documents/" (encode(&h.document_id)) } { (h.title.clone().unwrap_or_else(|| h.document_id.clone())) }
                                p.snippet { (h.snippet) }
                            }
                        }
                    }
                }
            };
            Ok(html(layout::page(
                &ctx.state.title,
                "Search",
                Some(("/search", &ctx.params.query())),
                body,
            )))
        }
    }
}
