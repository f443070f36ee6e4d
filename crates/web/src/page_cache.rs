//! Rendered responses kept until the ledger changes: a listing or an
//! incident page asked for again under the same ledger generation is served
//! from memory instead of being queried and rendered again.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};

/// At most this many responses are kept; when full, the cache starts over.
const MAX_ENTRIES: usize = 1024;
/// Larger responses are not kept (big CSV exports, full listings).
const MAX_BODY_BYTES: usize = 512 * 1024;

#[derive(Clone)]
pub(crate) struct CachedResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

#[derive(Default)]
struct Held {
    generation: i64,
    pages: HashMap<String, CachedResponse>,
}

#[derive(Default)]
pub(crate) struct PageCache {
    held: Mutex<Held>,
}

impl PageCache {
    /// The response kept for `key` under `generation`, if any.
    pub fn get(&self, generation: i64, key: &str) -> Option<CachedResponse> {
        let held = self.held.lock().ok()?;
        (held.generation == generation)
            .then(|| held.pages.get(key).cloned())
            .flatten()
    }

    /// Keeps a successful response rendered under `generation`.
    pub fn put(&self, generation: i64, key: String, response: CachedResponse) {
        if response.status != StatusCode::OK || response.body.len() > MAX_BODY_BYTES {
            return;
        }
        let Ok(mut held) = self.held.lock() else {
            return;
        };
        if held.generation != generation || held.pages.len() >= MAX_ENTRIES {
            held.pages.clear();
            held.generation = generation;
        }
        held.pages.insert(key, response);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(body: &'static str) -> CachedResponse {
        CachedResponse {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: Bytes::from_static(body.as_bytes()),
        }
    }

    #[test]
    fn a_new_generation_drops_what_was_kept() {
        let cache = PageCache::default();
        cache.put(3, "/incidents".into(), ok("a"));
        assert_eq!(cache.get(3, "/incidents").unwrap().body, "a");
        assert!(cache.get(4, "/incidents").is_none());
        cache.put(4, "/x".into(), ok("b"));
        assert!(cache.get(3, "/incidents").is_none());
    }

    #[test]
    fn errors_are_not_kept() {
        let cache = PageCache::default();
        let mut r = ok("gone");
        r.status = StatusCode::NOT_FOUND;
        cache.put(1, "/incidents/x".into(), r);
        assert!(cache.get(1, "/incidents/x").is_none());
    }
}
