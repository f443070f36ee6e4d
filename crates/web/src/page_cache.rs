//! Rendered responses kept until the ledger changes: a listing or an
//! incident page asked for again under the same ledger generation is served
//! from memory instead of being queried and rendered again.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

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

/// A render in progress: its leader holds the lock until the response is
/// in; requests for the same page wait on it and take a copy.
type Flight = Arc<Mutex<Option<CachedResponse>>>;

#[derive(Default)]
pub(crate) struct PageCache {
    held: Mutex<Held>,
    flights: Mutex<HashMap<(i64, String), Flight>>,
}

/// Takes a finished (or abandoned) render off the list of those in flight.
struct Landing<'a> {
    flights: &'a Mutex<HashMap<(i64, String), Flight>>,
    key: (i64, String),
}

impl Drop for Landing<'_> {
    fn drop(&mut self) {
        if let Ok(mut flights) = self.flights.lock() {
            flights.remove(&self.key);
        }
    }
}

impl PageCache {
    /// The response kept for `key` under `generation`, if any.
    pub fn get(&self, generation: i64, key: &str) -> Option<CachedResponse> {
        let held = self.held.lock().ok()?;
        (held.generation == generation)
            .then(|| held.pages.get(key).cloned())
            .flatten()
    }

    /// The response for `key` under `generation`: kept, else rendered once
    /// however many requests ask for it at the same time (the others wait
    /// for that render and share it), so a burst of requests for a page
    /// not yet kept costs one render. A failed render is not shared: each
    /// waiter then renders for itself.
    pub fn render_once<E>(
        &self,
        generation: i64,
        key: &str,
        render: impl FnOnce() -> Result<CachedResponse, E>,
    ) -> Result<CachedResponse, E> {
        if let Some(hit) = self.get(generation, key) {
            return Ok(hit);
        }
        let id = (generation, key.to_string());
        let flight = Flight::default();
        let Ok(mut flights) = self.flights.lock() else {
            return render();
        };
        if let Some(running) = flights.get(&id).cloned() {
            drop(flights);
            let shared = running.lock().ok().and_then(|done| done.clone());
            return match shared {
                Some(response) => Ok(response),
                None => render(),
            };
        }
        // Locked before it is listed, so whoever finds it waits for it.
        let Ok(mut slot) = flight.lock() else {
            drop(flights);
            return render();
        };
        flights.insert(id.clone(), flight.clone());
        drop(flights);
        let _landing = Landing {
            flights: &self.flights,
            key: id,
        };
        // A render that finished between the first look and now has kept
        // its response already.
        if let Some(hit) = self.get(generation, key) {
            *slot = Some(hit.clone());
            return Ok(hit);
        }
        let rendered = render()?;
        self.put(generation, key.to_string(), rendered.clone());
        *slot = Some(rendered.clone());
        Ok(rendered)
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
    fn concurrent_misses_render_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let cache = Arc::new(PageCache::default());
        let renders = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..16)
            .map(|_| {
                let (cache, renders) = (cache.clone(), renders.clone());
                std::thread::spawn(move || {
                    cache
                        .render_once(7, "/incidents?page=2", || {
                            renders.fetch_add(1, Ordering::SeqCst);
                            std::thread::sleep(std::time::Duration::from_millis(50));
                            Ok::<_, ()>(ok("rows"))
                        })
                        .unwrap()
                        .body
                })
            })
            .collect();
        for t in threads {
            assert_eq!(t.join().unwrap(), "rows");
        }
        assert_eq!(renders.load(Ordering::SeqCst), 1);
        assert!(cache.flights.lock().unwrap().is_empty());
    }

    #[test]
    fn a_failed_render_is_not_shared() {
        let cache = PageCache::default();
        let first: Result<CachedResponse, &str> = cache.render_once(1, "/x", || Err("broken"));
        assert!(first.is_err());
        let second = cache.render_once(1, "/x", || Ok::<_, &str>(ok("fine")));
        assert_eq!(second.unwrap().body, "fine");
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
