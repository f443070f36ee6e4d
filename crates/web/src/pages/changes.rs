//! `/changes.json` and `/changes.csv`: every change of an incident (added,
//! changed with its fields, merged, deleted), in history order, dated by the
//! publication day of the documents (or the day of the reviews) that caused
//! it, paginated, so a mirror can sync with `?since=`.

use axum::response::Response;
use chrono::{DateTime, NaiveDate};
use serde_json::json;
use strikewatch_model::tracking::IncidentChange;

use super::Ctx;
use crate::cursor::{self, Position};
use crate::error::PageError;
use crate::format::{Csv, Format, json, opt, with_next_link};
use crate::stream::{CHUNK_ROWS, Export};

/// `since` as a day: a date `YYYY-MM-DD` or an RFC 3339 timestamp (its
/// UTC date). Changes dated after that day are listed.
pub(crate) fn parse_since(raw: Option<&str>) -> Result<Option<NaiveDate>, PageError> {
    let Some(s) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Ok(Some(d));
    }
    DateTime::parse_from_rfc3339(s)
        .map(|t| Some(t.to_utc().date_naive()))
        .map_err(|_| {
            PageError::BadRequest(format!(
                "since must be a date YYYY-MM-DD or an RFC 3339 timestamp, not `{s}`"
            ))
        })
}

fn fields_text(c: &IncidentChange) -> String {
    c.fields
        .iter()
        .map(|f| {
            format!(
                "{}: {} → {}",
                f.field,
                f.from.as_deref().unwrap_or("—"),
                f.to.as_deref().unwrap_or("—")
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

const CSV_HEADER: [&str; 10] = [
    "seq",
    "day",
    "incident_id",
    "kind",
    "fields",
    "into",
    "cause",
    "documents",
    "more_documents",
    "reviews",
];

fn csv_row(c: &IncidentChange) -> Vec<String> {
    vec![
        c.seq.to_string(),
        opt(c.day),
        c.incident_id.clone(),
        c.kind.as_str().to_string(),
        fields_text(c),
        c.into.clone().unwrap_or_default(),
        c.cause.clone(),
        c.documents.join(" "),
        c.more_documents.to_string(),
        c.reviews
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(" "),
    ]
}

/// Every change after `since`, in history order, a chunk at a time, each
/// chunk read after the cursor of the one before.
pub(crate) fn export(ctx: &Ctx) -> Result<Export, PageError> {
    let since = parse_since(ctx.params.since.as_deref())?;
    let mut after = cursor::stream_start(ctx.params.cursor.as_deref(), "changes", "seq")?;
    let ledger = ctx.state.ledger.clone();
    Ok(Export {
        name: "changes",
        header: &CSV_HEADER,
        next: Box::new(move |out| {
            let found = ledger.changes(since, after.as_deref(), 0, CHUNK_ROWS as u64)?;
            for c in &found.changes {
                out.row(c, csv_row);
            }
            after = found.next;
            Ok(after.is_some())
        }),
    })
}

pub(crate) fn page(ctx: &Ctx) -> Result<Response, PageError> {
    let since = parse_since(ctx.params.since.as_deref())?;
    let (page, per_page) = ctx.params.paging()?;
    let at = cursor::decode(ctx.params.cursor.as_deref(), "changes", "seq")?;
    let offset = (page - 1).saturating_mul(per_page) as u64;
    let found = ctx.state.ledger.changes(
        since,
        at.and_then(|p| p.after).as_deref(),
        offset,
        per_page as u64,
    )?;
    let next_cursor = found.next.map(|after| {
        cursor::encode(
            "changes",
            "seq",
            Position {
                after: Some(after),
                ..Position::default()
            },
        )
    });
    let next = next_cursor.as_deref().map(|c| {
        format!(
            "/changes{}{}",
            ctx.format.suffix(),
            ctx.params.next_query(page, Some(c))
        )
    });
    match ctx.format {
        Format::Csv => {
            let mut csv = Csv::new(&CSV_HEADER);
            for c in &found.changes {
                csv.row(csv_row(c));
            }
            Ok(with_next_link(csv.finish("changes"), next.as_deref()))
        }
        _ => Ok(json(&json!({
            "since": since,
            "total": found.total,
            "page": page,
            "per_page": per_page,
            "next": next,
            "next_cursor": next_cursor,
            "changes": found.changes,
        }))),
    }
}
