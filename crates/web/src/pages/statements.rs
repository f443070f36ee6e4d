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
    mark_edits(ctx, &filter, &mut rows)?;
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

/// Marks the statements of pages edited or deleted since they were read,
/// and adds the statements first read from a page that no longer holds
/// them, so they stay listed (filtered like the rest).
fn mark_edits(ctx: &Ctx, filter: &Filter, rows: &mut Vec<StatementRow>) -> Result<(), PageError> {
    let changed = ctx.state.ledger.changed_documents()?;
    for history in &changed {
        let edits = history.statement_edits();
        for row in rows
            .iter_mut()
            .filter(|r| r.document_id == history.document_id)
        {
            if let Some((_, mark)) = edits
                .current
                .iter()
                .find(|(q, _)| *q == row.statement.quote)
            {
                row.edit = Some(mark.clone());
            }
        }
        let template = rows.iter().find(|r| r.document_id == history.document_id);
        let url = template
            .map(|r| r.url.clone())
            .unwrap_or_else(|| Some(history.url.clone()));
        let published = template.and_then(|r| r.published);
        let first = history.versions.first();
        for (statement, mark) in edits.removed {
            if !filter_keeps(filter, &statement, published) {
                continue;
            }
            let index = first
                .and_then(|v| v.statements.iter().position(|s| *s == statement))
                .unwrap_or(0);
            rows.push(StatementRow {
                document_id: history.document_id.clone(),
                statement_index: index,
                url: url.clone(),
                published,
                statement,
                edit: Some(mark),
            });
        }
    }
    Ok(())
}

/// The listing's filters, for statements that are not in the ledger's
/// current rows (the store filters those).
fn filter_keeps(
    filter: &Filter,
    s: &strikewatch_model::Statement,
    published: Option<chrono::NaiveDate>,
) -> bool {
    let day = s.said_at.or(published);
    filter.speaker.as_ref().is_none_or(|w| *w == s.speaker)
        && filter
            .kind
            .as_ref()
            .is_none_or(|k| s.claims.iter().any(|c| c.as_str() == k))
        && filter
            .q
            .as_ref()
            .filter(|q| !q.trim().is_empty())
            .is_none_or(|q| s.quote.to_lowercase().contains(&q.to_lowercase()))
        && filter.from.is_none_or(|f| day.is_some_and(|d| d >= f))
        && filter.to.is_none_or(|t| day.is_some_and(|d| d <= t))
}

fn edit_note(r: &StatementRow) -> maud::Markup {
    let Some(e) = &r.edit else {
        return html! {};
    };
    let since = e.since.as_deref().and_then(|s| s.get(..10)).unwrap_or("");
    html! {
        p.meta {
            span.edit-mark { (e.kind.as_str()) } " "
            @match (e.kind, &e.now) {
                (strikewatch_model::versions::EditKind::Deleted, _) => { "The page is no longer published (gone since " (since) "). " }
                (_, Some(_)) => { "The page was edited on " (since) ". " }
                (_, None) => { "The page was edited on " (since) " and no longer holds these words. " }
            }
            a href={ "/documents/" (encode(&r.document_id)) "#versions" } { "versions" }
        }
        @if e.first_seen != r.statement.quote {
            p.meta { "As first seen:" } blockquote.first-seen { (e.first_seen) }
        }
        @if let Some(now) = e.now.as_ref().filter(|n| **n != r.statement.quote) {
            p.meta { "As now:" } blockquote.now { (now) }
        }
    }
}

const CSV_HEADER: [&str; 16] = [
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
    "edit",
    "edit_since",
    "quote_first_seen",
    "quote_now",
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
        r.edit
            .as_ref()
            .map(|e| e.kind.as_str().to_string())
            .unwrap_or_default(),
        r.edit
            .as_ref()
            .and_then(|e| e.since.clone())
            .unwrap_or_default(),
        r.edit
            .as_ref()
            .map(|e| e.first_seen.clone())
            .unwrap_or_default(),
        r.edit
            .as_ref()
            .and_then(|e| e.now.clone())
            .unwrap_or_default(),
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
    // A statement only an earlier version holds has no span in the text now.
    let earlier_only = r.edit.as_ref().is_some_and(|e| {
        e.now.is_none() && e.kind == strikewatch_model::versions::EditKind::Edited
    });
    html! {
        article.statement {
            blockquote { (s.quote) }
            (edit_note(r))
            p.meta {
                strong { (s.speaker) }
                @if let Some(role) = &s.speaker_role { ", " (role) }
                " · " (opt_text(s.said_at.or(r.published)))
                @for c in &s.claims { " " span.claim { (c.as_str().replace('_', " ")) } }
                @if !earlier_only { " · " a href=(evidence_href(&r.document_id, s.span.start, s.span.end)) { "in context" } }
                " · " a href={ "/documents/" (encode(&r.document_id)) } { (r.document_id) }
            }
        }
    }
}
