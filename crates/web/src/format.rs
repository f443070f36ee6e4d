//! The three faces of every page: HTML, `.json` and `.csv`.

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use strikewatch_model::cells::spreadsheet_cell;

use crate::error::{FormattedError, PageError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Html,
    Json,
    Csv,
}

impl Format {
    /// Splits a `.json` / `.csv` suffix off a path segment (`inc-1.json`).
    pub fn split(segment: &str) -> (&str, Format) {
        if let Some(base) = segment.strip_suffix(".json") {
            (base, Format::Json)
        } else if let Some(base) = segment.strip_suffix(".csv") {
            (base, Format::Csv)
        } else {
            (segment, Format::Html)
        }
    }

    pub fn suffix(self) -> &'static str {
        match self {
            Format::Html => "",
            Format::Json => ".json",
            Format::Csv => ".csv",
        }
    }
}

pub(crate) fn json<T: Serialize>(value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => ([(CONTENT_TYPE, "application/json")], body).into_response(),
        Err(e) => FormattedError(PageError::Internal(e.to_string()), Format::Json).into_response(),
    }
}

/// A CSV table under construction.
pub(crate) struct Csv {
    writer: csv::Writer<Vec<u8>>,
    error: Option<String>,
}

impl Csv {
    pub fn new(header: &[&str]) -> Csv {
        let mut table = Csv {
            writer: csv::Writer::from_writer(Vec::new()),
            error: None,
        };
        table.row(header.iter().map(|h| h.to_string()));
        table
    }

    pub fn row(&mut self, cells: impl IntoIterator<Item = String>) {
        let cells: Vec<String> = cells
            .into_iter()
            .map(|c| spreadsheet_cell(&c).into_owned())
            .collect();
        if let Err(e) = self.writer.write_record(&cells) {
            self.error.get_or_insert(e.to_string());
        }
    }

    pub fn finish(self, name: &str) -> Response {
        if let Some(e) = self.error {
            return FormattedError(PageError::Internal(e), Format::Csv).into_response();
        }
        match self.writer.into_inner() {
            Ok(body) => (
                [
                    (CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                    (CACHE_CONTROL, "no-cache".to_string()),
                    (
                        axum::http::header::CONTENT_DISPOSITION,
                        format!("inline; filename=\"{name}.csv\""),
                    ),
                ],
                body,
            )
                .into_response(),
            Err(e) => {
                FormattedError(PageError::Internal(e.to_string()), Format::Csv).into_response()
            }
        }
    }
}

/// A paged CSV twin with the link to its next page (RFC 8288: `Link:
/// <URL>; rel="next"`), the URL the JSON twin gives as `next`, built from
/// the same cursor (`next_cursor`); the last page has none. CSV has no room
/// for it in the body, so a client walks a listing by following headers.
pub(crate) fn with_next_link(mut response: Response, next: Option<&str>) -> Response {
    if let Some(next) = next
        && let Ok(value) = axum::http::HeaderValue::try_from(format!("<{next}>; rel=\"next\""))
    {
        response
            .headers_mut()
            .insert(axum::http::header::LINK, value);
    }
    response
}

/// Text of an optional value for a CSV cell.
pub(crate) fn opt<T: ToString>(value: Option<T>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}
