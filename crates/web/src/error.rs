//! Errors: of the server as a whole ([`WebError`]) and of one request
//! ([`PageError`], turned into a response).

use std::net::SocketAddr;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use strikewatch_model::read::ReadError;

use crate::format::Format;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("server: {0}")]
    Io(std::io::Error),
}

/// Why one request failed.
#[derive(Debug)]
pub(crate) enum PageError {
    NotFound(String),
    BadRequest(String),
    Read(ReadError),
    Internal(String),
}

impl From<ReadError> for PageError {
    fn from(e: ReadError) -> Self {
        // A cursor the ledger does not read is the client's to fix.
        if e.is_bad_cursor() {
            PageError::BadRequest(
                "cursor is not one this listing gave: pass back the next_cursor of a page \
                 unchanged (or leave cursor out to start from the first page)"
                    .to_string(),
            )
        } else {
            PageError::Read(e)
        }
    }
}

/// A failure rendered in the format the client asked for.
pub(crate) struct FormattedError(pub PageError, pub Format);

impl IntoResponse for FormattedError {
    fn into_response(self) -> Response {
        let (status, message) = match self.0 {
            PageError::NotFound(what) => (StatusCode::NOT_FOUND, format!("not found: {what}")),
            PageError::BadRequest(why) => (StatusCode::BAD_REQUEST, why),
            PageError::Read(e) => {
                tracing::error!(error = %e, "ledger read failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "the ledger could not be read".to_string(),
                )
            }
            PageError::Internal(e) => {
                tracing::error!(error = %e, "rendering failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal error".to_string(),
                )
            }
        };
        match self.1 {
            Format::Json => {
                (status, axum::Json(serde_json::json!({ "error": message }))).into_response()
            }
            Format::Csv => (status, message).into_response(),
            Format::Html => (
                status,
                axum::response::Html(crate::layout::error_page(status, &message).into_string()),
            )
                .into_response(),
        }
    }
}

pub(crate) async fn not_found() -> Response {
    FormattedError(PageError::NotFound("no such page".into()), Format::Html).into_response()
}
