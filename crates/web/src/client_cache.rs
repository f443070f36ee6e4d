//! What makes the API friendly to clients: validators (`ETag`, answered
//! with `304 Not Modified` on `If-None-Match`), CORS for reading, and
//! compressed bodies.
//!
//! The validator is the ledger generation: every write of the ledger (and
//! so every document ingested, which refreshes it) bumps it, so a response
//! for one URL under one generation never changes. Backends that cannot
//! tell their generation get no validator.

use std::hash::{Hash, Hasher};

use axum::extract::{Request, State};
use axum::http::header::{ETAG, IF_NONE_MATCH};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::compression::CompressionLayer;
use tower_http::cors::{Any, CorsLayer};

use crate::AppState;

/// The validator of `uri` under `generation`: weak, as compression changes
/// the bytes but not the meaning.
fn tag(generation: i64, uri: &str) -> String {
    // FNV-1a: stable across builds and processes (std's hasher is not).
    struct Fnv(u64);
    impl Hasher for Fnv {
        fn finish(&self) -> u64 {
            self.0
        }
        fn write(&mut self, bytes: &[u8]) {
            for b in bytes {
                self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3);
            }
        }
    }
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    uri.hash(&mut h);
    format!("W/\"g{generation}-{:016x}\"", h.finish())
}

/// Does `If-None-Match` name `tag` (or `*`)?
fn matches(header: &HeaderValue, tag: &str) -> bool {
    let Ok(text) = header.to_str() else {
        return false;
    };
    let bare = tag.trim_start_matches("W/");
    text.split(',')
        .map(str::trim)
        .any(|t| t == "*" || t.trim_start_matches("W/") == bare)
}

/// The ledger generation a read was answered under, as `validators` found
/// it: handlers look kept pages up with it without asking the ledger again.
#[derive(Debug, Clone, Copy)]
pub(crate) struct KnownGeneration(pub i64);

/// Adds an `ETag` to successful reads and answers a matching
/// `If-None-Match` with 304 without rendering anything.
pub(crate) async fn validators(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return next.run(request).await;
    }
    let uri = request.uri().to_string();
    let ledger = state.ledger.clone();
    let generation = tokio::task::spawn_blocking(move || ledger.ledger_generation())
        .await
        .ok()
        .and_then(Result::ok)
        .flatten();
    let Some(generation) = generation else {
        return next.run(request).await;
    };
    let etag = tag(generation, &uri);
    if request
        .headers()
        .get(IF_NONE_MATCH)
        .is_some_and(|h| matches(h, &etag))
    {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        if let Ok(v) = HeaderValue::from_str(&etag) {
            response.headers_mut().insert(ETAG, v);
        }
        return response;
    }
    request.extensions_mut().insert(KnownGeneration(generation));
    let mut response = next.run(request).await;
    if response.status() == StatusCode::OK
        && let Ok(v) = HeaderValue::from_str(&etag)
    {
        response.headers_mut().insert(ETAG, v);
    }
    response
}

/// Any origin may read (GET, HEAD); writes get no CORS grant, so browsers
/// on other sites cannot post with a visitor's token.
pub(crate) fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([Method::GET, Method::HEAD])
        .expose_headers([ETAG])
}

/// gzip or Brotli, as the client accepts.
pub(crate) fn compression() -> CompressionLayer {
    CompressionLayer::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_stable_and_matched_weakly() {
        let t = tag(7, "/incidents.json?page=2");
        assert_eq!(t, tag(7, "/incidents.json?page=2"));
        assert_ne!(t, tag(8, "/incidents.json?page=2"));
        assert_ne!(t, tag(7, "/incidents.json?page=3"));
        let bare = t.trim_start_matches("W/").to_string();
        assert!(matches(
            &HeaderValue::from_str(&format!("\"x\", {bare}")).unwrap(),
            &t
        ));
        assert!(matches(&HeaderValue::from_static("*"), &t));
        assert!(!matches(&HeaderValue::from_static("\"x\""), &t));
    }
}
