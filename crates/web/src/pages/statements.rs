//! Statements, by speaker.

use axum::response::Response;
use maud::html;
use serde_json::json;
use strikewatch_model::public::NonPublic;
use strikewatch_model::read::{Filter, StatementRow, merge_page, statement_order};
use strikewatch_model::versions::DocumentHistory;

use super::{Ctx, html};
use crate::error::PageError;
use crate::format::{Csv, Format, json, opt};
use crate::layout::{self, evidence_href, opt_text, pager};
use crate::params::{encode, next_page};
use crate::stream::{CHUNK_ROWS, Export};

pub(crate) fn page(ctx: &Ctx) -> Result<Response, PageError> {
    let params = &ctx.params;
    let filter = params.filter()?;
    let (page_no, per_page) = params.paging()?;
    let (rows, total) = listed_page(ctx, &filter, params.descending(), page_no, per_page)?;
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
            let speakers = ctx.state.ledger.statement_speakers(
                &Filter {
                    speaker: None,
                    ..filter.clone()
                },
                &NonPublic::default(),
            )?;
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

/// One page of the listing and the number of rows in it all. The ledger
/// reads only the stored statements near the page (by the index of the
/// listing order); the statements first read from a page that no longer
/// holds them (stored nowhere in the ledger) are merged in where sorting
/// everything together would put them, and statements of pages edited or
/// deleted since they were read are marked.
fn listed_page(
    ctx: &Ctx,
    filter: &Filter,
    descending: bool,
    page_no: usize,
    per_page: usize,
) -> Result<(Vec<StatementRow>, usize), PageError> {
    let ledger = &ctx.state.ledger;
    let changed = ledger.changed_documents()?;
    let removed = removed_statements(ctx, filter, &changed)?;
    let offset = (page_no - 1).saturating_mul(per_page);
    // Every removed statement may come before the page: the window of
    // stored rows starts that many rows earlier.
    let window_start = offset.saturating_sub(removed.len());
    let mut window = ledger.statement_page(
        &Filter {
            offset: Some(window_start),
            limit: Some(per_page.saturating_add(removed.len())),
            ..filter.clone()
        },
        descending,
        &NonPublic::default(),
    )?;
    mark_edits(&changed, &mut window.rows);
    let total = window.total + removed.len();
    let rows = merge_page(
        window.rows,
        window_start,
        window.total,
        removed,
        statement_order,
        descending,
        offset,
        per_page,
    );
    Ok((rows, total))
}

/// Marks the stored statements of pages edited or deleted since they were
/// read.
fn mark_edits(changed: &[DocumentHistory], rows: &mut [StatementRow]) {
    for history in changed {
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
    }
}

/// The statements first read from a page that no longer holds them, so
/// they stay listed (filtered like the rest), in the order pages and their
/// statements come.
fn removed_statements(
    ctx: &Ctx,
    filter: &Filter,
    changed: &[DocumentHistory],
) -> Result<Vec<StatementRow>, PageError> {
    let mut out = Vec::new();
    for history in changed {
        let edits = history.statement_edits();
        if edits.removed.is_empty() {
            continue;
        }
        // The page's address and day as its listed statements give them.
        let template = ctx
            .state
            .ledger
            .document_statement(filter, &history.document_id)?;
        let url = template
            .as_ref()
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
            out.push(StatementRow {
                document_id: history.document_id.clone(),
                statement_index: index,
                url: url.clone(),
                published,
                statement,
                edit: Some(mark),
            });
        }
    }
    Ok(out)
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
