//! Writes: posting a document to ingest and posting a review. Each needs a
//! bearer token (`Authorization: Bearer …`); tokens are made by the command
//! line and stored hashed by the backend. A site started without a write
//! backend is read-only and refuses every write with 403.
//!
//! A token is an account: it may write only what its scopes allow, every
//! write records it, and a review is signed with its public name (whatever
//! author the body names is ignored). A posted document never replaces a
//! stored one unless the post says so (`?replace=ID`), which is logged.
//!
//! The accounts and the backend trait are `strikewatch_model::writes`; the
//! pipeline's `StoreWriter` implements it over the store.

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;
use strikewatch_model::ledger::{Review, ReviewAction};
use strikewatch_model::writes::{WriteBackend, WriteError, WriteScope, Writer};

use crate::AppState;

/// A review as posted: the server stamps the time and the author (the
/// token's public name; an `author` in the body is ignored), the backend
/// numbers it.
#[derive(Debug, Deserialize)]
struct NewReview {
    reason: String,
    #[serde(flatten)]
    action: ReviewAction,
}

/// `POST /documents?replace=ID`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct DocumentQuery {
    replace: Option<String>,
}

const MAX_BODY: usize = 2 * 1024 * 1024;

/// The body of an authorized write, read only now: a request without a
/// valid token (or any write to a read-only server) is answered from its
/// headers alone, and its body is never read into memory.
#[allow(clippy::result_large_err)] // the error is the response itself
async fn read_body(request: Request) -> Result<Bytes, Response> {
    axum::body::to_bytes(request.into_body(), MAX_BODY)
        .await
        .map_err(|e| {
            let too_large = std::error::Error::source(&e)
                .is_some_and(|s| s.is::<http_body_util::LengthLimitError>());
            if too_large {
                refuse(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "the body is larger than 2 MiB",
                )
            } else {
                refuse(StatusCode::BAD_REQUEST, "the body could not be read")
            }
        })
}

/// Bodies larger than this are refused before any parsing.
pub(crate) fn body_limit() -> axum::extract::DefaultBodyLimit {
    axum::extract::DefaultBodyLimit::max(MAX_BODY)
}

fn refuse(status: StatusCode, message: &str) -> Response {
    let mut response = (status, axum::Json(json!({ "error": message }))).into_response();
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(
            WWW_AUTHENTICATE,
            axum::http::HeaderValue::from_static("Bearer"),
        );
    }
    response
}

/// The write backend and the writer when writes are on and the request
/// carries a valid token whose scopes allow `scope`.
#[allow(clippy::result_large_err)] // the error is the response itself, built once
fn authorize<'a>(
    state: &'a AppState,
    headers: &HeaderMap,
    scope: WriteScope,
) -> Result<(&'a dyn WriteBackend, Writer), Response> {
    let Some(backend) = state.writes.as_deref() else {
        return Err(refuse(StatusCode::FORBIDDEN, "this server is read-only"));
    };
    let token = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(bearer_token)
        .unwrap_or("");
    let writer = match (!token.is_empty()).then(|| backend.authenticate(token)) {
        Some(Some(writer)) => writer,
        _ => {
            return Err(refuse(
                StatusCode::UNAUTHORIZED,
                "a valid bearer token is required (unknown, revoked or expired)",
            ));
        }
    };
    if !writer.scopes.contains(&scope) {
        return Err(refuse(
            StatusCode::FORBIDDEN,
            &format!("this token may not write {}", scope.as_str()),
        ));
    }
    Ok((backend, writer))
}

/// The token of an `Authorization: Bearer <token>` value. The scheme name is
/// case-insensitive (RFC 9110, section 11.1), so `bearer` and `BEARER` work.
fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim_start().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Runs a backend call, which is synchronous and may take a while (the
/// first write loads the ledger). On the multi-threaded runtime the runtime
/// is told first, so it moves other requests off this worker meanwhile.
fn blocking_write<T>(write: impl FnOnce() -> T) -> T {
    let on_multi_thread = tokio::runtime::Handle::try_current()
        .is_ok_and(|h| h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread);
    if on_multi_thread {
        tokio::task::block_in_place(write)
    } else {
        write()
    }
}

fn failed(e: WriteError) -> Response {
    match e {
        WriteError::Invalid(why) => refuse(StatusCode::UNPROCESSABLE_ENTITY, &why),
        WriteError::NotFound(why) => refuse(StatusCode::NOT_FOUND, &why),
        WriteError::Backend(why) => {
            tracing::error!(error = %why, "write failed");
            refuse(StatusCode::INTERNAL_SERVER_ERROR, "the write failed")
        }
    }
}

/// A write let in: its backend and writer, its turn in the write lane (held
/// until the response is made) and its body.
struct Admitted<'a> {
    backend: &'a dyn WriteBackend,
    writer: Writer,
    _turn: Option<tokio::sync::OwnedSemaphorePermit>,
    body: Bytes,
}

/// Lets a write of `scope` in: the token is checked from the headers before
/// a turn is taken, and the body is read only once both are had.
async fn admit(
    state: &AppState,
    request: Request,
    scope: WriteScope,
) -> Result<Admitted<'_>, Response> {
    let (backend, writer) = authorize(state, request.headers(), scope)?;
    let turn = crate::limits::write_turn(&request).await?;
    let body = read_body(request).await?;
    Ok(Admitted {
        backend,
        writer,
        _turn: turn,
        body,
    })
}

pub(crate) async fn post_document(
    State(state): State<AppState>,
    axum::extract::Query(query): axum::extract::Query<DocumentQuery>,
    request: Request,
) -> Response {
    // Held to the end: the turn in the write lane goes with it.
    let write = match admit(&state, request, WriteScope::Documents).await {
        Ok(write) => write,
        Err(r) => return r,
    };
    let replace = query.replace.filter(|r| !r.trim().is_empty());
    let value: serde_json::Value = match serde_json::from_slice(&write.body) {
        Ok(v) => v,
        Err(e) => return refuse(StatusCode::BAD_REQUEST, &format!("body is not JSON: {e}")),
    };
    match blocking_write(|| {
        write
            .backend
            .ingest_document(&write.writer, value, replace.as_deref())
    }) {
        Ok(posted) => (
            StatusCode::CREATED,
            axum::Json(json!({ "id": posted.id, "replaced": posted.replaced })),
        )
            .into_response(),
        Err(e) => failed(e),
    }
}

pub(crate) async fn post_review(State(state): State<AppState>, request: Request) -> Response {
    // Held to the end: the turn in the write lane goes with it.
    let write = match admit(&state, request, WriteScope::Reviews).await {
        Ok(write) => write,
        Err(r) => return r,
    };
    let new: NewReview = match serde_json::from_slice(&write.body) {
        Ok(v) => v,
        Err(e) => return refuse(StatusCode::BAD_REQUEST, &format!("not a review: {e}")),
    };
    if new.reason.trim().is_empty() {
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, "a reason is required");
    }
    let review = Review {
        seq: 0,
        at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        author: write.writer.public_name.clone(),
        reason: new.reason,
        action: new.action,
    };
    match blocking_write(|| write.backend.add_review(&write.writer, review)) {
        Ok(stored) => (StatusCode::CREATED, axum::Json(stored)).into_response(),
        Err(e) => failed(e),
    }
}

#[cfg(test)]
mod bearer_tests {
    use super::bearer_token;

    #[test]
    fn the_scheme_is_case_insensitive() {
        for value in ["Bearer abc", "bearer abc", "BEARER  abc ", " Bearer abc"] {
            assert_eq!(bearer_token(value), Some("abc"), "{value:?}");
        }
        assert_eq!(bearer_token("Basic abc"), None);
        assert_eq!(bearer_token("Bearerabc"), None);
        assert_eq!(bearer_token("Bearer"), None);
    }
}
