//! Statements, by speaker.

use axum::response::Response;
use maud::html;
use serde_json::json;
use strikewatch_model::public::NonPublic;
use strikewatch_model::read::{Filter, StatementRow, merge_page, statement_order};
use strikewatch_model::versions::DocumentHistory;

use super::{Ctx, html};
use crate::cursor::{self, Position};
use crate::error::PageError;
use crate::format::{Csv, Format, json, opt, with_next_link};
use crate::layout::{self, evidence_href, opt_text, pager};
use crate::params::{encode, next_page};
use crate::stream::{CHUNK_ROWS, Export};

pub(crate) fn page(ctx: &Ctx) -> Result<Response, PageError> {
    let params = &ctx.params;
    let filter = params.filter()?;
    let (page_no, per_page) = params.paging()?;
    let descending = params.descending();
    let order = if descending { "desc" } else { "asc" };
    let at = cursor::decode(params.cursor.as_deref(), "statements", order)?;
    let listed = match at {
        Some(at) => page_after(ctx, &filter, descending, at, per_page)?,
        // The first page is the walk's first step.
        None if page_no == 1 => {
            page_after(ctx, &filter, descending, Position::default(), per_page)?
        }
        None => listed_page(ctx, &filter, descending, page_no, per_page)?,
    };
    let Listed { rows, total, next } = listed;
    let next_cursor = next.map(|at| cursor::encode("statements", order, at));
    let next_cursor = next_cursor.as_deref();
    match ctx.format {
        Format::Json => Ok(json(&json!({
            "total": total, "page": page_no, "per_page": per_page,
            "next": next_page("/statements.json", params, page_no, per_page, total, next_cursor),
            "next_cursor": next_cursor,
            "statements": rows,
        }))),
        Format::Csv => {
            let mut csv = Csv::new(&CSV_HEADER);
            for r in &rows {
                csv.row(csv_row(r));
            }
            let next = next_cursor
                .map(|c| format!("/statements.csv{}", params.next_query(page_no, Some(c))));
            Ok(with_next_link(csv.finish("statements"), next.as_deref()))
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
                        (pager("/statements", params, page_no, per_page, total, next_cursor))
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

/// One page of the listing, the number of rows in it all, and where the
/// next page starts when one follows.
struct Listed {
    rows: Vec<StatementRow>,
    total: usize,
    next: Option<Position>,
}

/// The page after `at` in a walk by cursor. Stored statements are read
/// after the ledger's cursor of the last one listed (sought in the index
/// of the listing order); the statements kept nowhere in the ledger (first
/// read from a page that no longer holds them) are merged in where sorting
/// everything together would put them, as [`merge_page`] places them, and
/// counted in the cursor.
fn page_after(
    ctx: &Ctx,
    filter: &Filter,
    descending: bool,
    at: Position,
    per_page: usize,
) -> Result<Listed, PageError> {
    let ledger = &ctx.state.ledger;
    let changed = ledger.changed_documents()?;
    let mut extra = removed_statements(ctx, filter, &changed)?;
    let extra_total = extra.len();
    // In listed order, as `merge_page` orders them.
    extra.sort_by(statement_order);
    if descending {
        extra.reverse();
    }
    let mut pending = extra.into_iter().skip(at.extra).peekable();
    let stored = |after: Option<String>, limit: usize| {
        ledger.statement_page(
            &Filter {
                after,
                offset: None,
                limit: Some(limit),
                ..filter.clone()
            },
            descending,
            &NonPublic::default(),
        )
    };
    let mut window = stored(at.after.clone(), if at.stored_done { 0 } else { per_page })?;
    mark_edits(&changed, &mut window.rows);
    let read = window.rows.len();
    let extra_first = |e: &StatementRow, s: &StatementRow| {
        if descending {
            statement_order(e, s).is_ge()
        } else {
            statement_order(e, s).is_lt()
        }
    };
    let mut rows = Vec::with_capacity(per_page);
    let mut listed_extra = at.extra;
    let mut taken = 0;
    for s in window.rows {
        while rows.len() < per_page {
            match pending.next_if(|e| extra_first(e, &s)) {
                Some(e) => {
                    rows.push(e);
                    listed_extra += 1;
                }
                None => break,
            }
        }
        if rows.len() == per_page {
            break;
        }
        rows.push(s);
        taken += 1;
    }
    let stored_done = at.stored_done || (taken == read && window.next.is_none());
    if stored_done {
        while rows.len() < per_page {
            let Some(e) = pending.next() else { break };
            rows.push(e);
            listed_extra += 1;
        }
    }
    let next = if stored_done {
        pending.peek().is_some().then_some(Position {
            after: None,
            extra: listed_extra,
            stored_done: true,
        })
    } else {
        // The ledger's cursor of the last stored row listed: the window's
        // own when all of it was, else read again up to that row.
        let after = if taken == read {
            window.next
        } else if taken == 0 {
            at.after
        } else {
            stored(at.after, taken)?.next
        };
        Some(Position {
            after,
            extra: listed_extra,
            stored_done: false,
        })
    };
    Ok(Listed {
        rows,
        total: window.total + extra_total,
        next,
    })
}

/// Page `page_no` of the listing, by offset. The ledger reads only the
/// stored statements near the page (stepping over index entries to it);
/// the statements first read from a page that no longer holds them (stored
/// nowhere in the ledger) are merged in where sorting everything together
/// would put them, and statements of pages edited or deleted since they
/// were read are marked. The next page has a cursor when no such
/// statement is merged (else it is asked for by number).
fn listed_page(
    ctx: &Ctx,
    filter: &Filter,
    descending: bool,
    page_no: usize,
    per_page: usize,
) -> Result<Listed, PageError> {
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
    let next = removed.is_empty().then(|| {
        window.next.clone().map(|after| Position {
            after: Some(after),
            ..Position::default()
        })
    });
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
    Ok(Listed {
        rows,
        total,
        next: next.flatten(),
    })
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
    let order = if descending { "desc" } else { "asc" };
    let mut after = cursor::stream_start(ctx.params.cursor.as_deref(), "statements", order)?;
    let ledger = ctx.state.ledger.clone();
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
