//! Rendered responses kept until the ledger changes: a listing or an
//! incident page asked for again under the same ledger generation is served
//! from memory instead of being queried and rendered again.
//!
//! Anyone can ask for pages no one else wants (every `?q=` is a new page),
//! so the cache is bounded in entries and bytes and split in two: a page
//! rendered once waits on probation, and only a page asked for again moves
//! to the protected part. A stream of one-off pages therefore churns the
//! probation part alone and never pushes out the pages readers come back
//! to. Each part drops its least recently used page when full.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};

/// Larger responses are not kept (big CSV exports, full listings).
const MAX_BODY_BYTES: usize = 512 * 1024;
/// Pages seen once: entries and bytes.
const PROBATION: Budget = Budget {
    entries: 256,
    bytes: 16 * 1024 * 1024,
};
/// Pages asked for again: entries and bytes.
const PROTECTED: Budget = Budget {
    entries: 768,
    bytes: 48 * 1024 * 1024,
};

/// The key a page is kept under: its path and the parameters as parsed, in
/// one order. Unknown parameters, empty ones and their order in the URL make
/// no new entries.
pub(crate) fn key(path: &str, params: &crate::params::Params) -> String {
    format!("{path}{}", params.query())
}

/// Is the page under `key` kept? Pages that read only the ledger (and the
/// number of documents, which moves only with it): incident listings and
/// pages, the overview, the timeline, the map, and search answers (the
/// index is stamped with the generation it reflects). Pages that quote
/// documents at length (the viewer, statements, claims) are rendered each
/// time, as is anything streamed.
pub(crate) fn keeps(key: &str) -> bool {
    let path = key.split('?').next().unwrap_or(key);
    path == "/"
        || path.starts_with("/index.")
        || path.starts_with("/incidents")
        || path.starts_with("/timeline")
        || path.starts_with("/map")
        || path.starts_with("/search")
}

#[derive(Clone)]
pub(crate) struct CachedResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl CachedResponse {
    fn size(&self) -> usize {
        self.body.len()
    }

    /// A `200` with `body` and no headers, for tests.
    #[cfg(test)]
    pub(crate) fn ok(body: &'static str) -> CachedResponse {
        CachedResponse {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: Bytes::from_static(body.as_bytes()),
        }
    }
}

#[derive(Clone, Copy)]
struct Budget {
    entries: usize,
    bytes: usize,
}

/// One part of the cache: pages with the tick of their last use.
struct Segment {
    budget: Budget,
    pages: HashMap<String, (CachedResponse, u64)>,
    bytes: usize,
}

impl Segment {
    fn new(budget: Budget) -> Segment {
        Segment {
            budget,
            pages: HashMap::new(),
            bytes: 0,
        }
    }

    fn take(&mut self, key: &str) -> Option<CachedResponse> {
        let (response, _) = self.pages.remove(key)?;
        self.bytes -= response.size();
        Some(response)
    }

    /// Keeps `response`, dropping least recently used pages to make room.
    fn insert(&mut self, key: String, response: CachedResponse, tick: u64) {
        if let Some((old, _)) = self.pages.remove(&key) {
            self.bytes -= old.size();
        }
        while !self.pages.is_empty()
            && (self.pages.len() + 1 > self.budget.entries
                || self.bytes + response.size() > self.budget.bytes)
        {
            // A scan of a few hundred entries, only when full.
            let oldest = self
                .pages
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(k, _)| k.clone());
            match oldest {
                Some(k) => {
                    self.take(&k);
                }
                None => break,
            }
        }
        self.bytes += response.size();
        self.pages.insert(key, (response, tick));
    }

    fn clear(&mut self) {
        self.pages.clear();
        self.bytes = 0;
    }
}

struct Held {
    generation: i64,
    tick: u64,
    probation: Segment,
    protected: Segment,
}

impl Default for Held {
    fn default() -> Held {
        Held {
            generation: 0,
            tick: 0,
            probation: Segment::new(PROBATION),
            protected: Segment::new(PROTECTED),
        }
    }
}

#[cfg(test)]
impl Held {
    fn len(&self) -> usize {
        self.probation.pages.len() + self.protected.pages.len()
    }

    fn bytes(&self) -> usize {
        self.probation.bytes + self.protected.bytes
    }
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
    /// The response kept for `key` under `generation`, if any. A page
    /// found on probation has now been asked for twice: it moves to the
    /// protected part.
    pub fn get(&self, generation: i64, key: &str) -> Option<CachedResponse> {
        let mut held = self.held.lock().ok()?;
        if held.generation != generation {
            return None;
        }
        held.tick += 1;
        let tick = held.tick;
        if let Some((response, used)) = held.protected.pages.get_mut(key) {
            *used = tick;
            return Some(response.clone());
        }
        let response = held.probation.take(key)?;
        held.protected
            .insert(key.to_string(), response.clone(), tick);
        Some(response)
    }

    /// How many pages and bytes are kept.
    #[cfg(test)]
    fn size(&self) -> (usize, usize) {
        self.held
            .lock()
            .map(|h| (h.len(), h.bytes()))
            .unwrap_or((0, 0))
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

    /// Keeps a successful response rendered under `generation`, on
    /// probation until it is asked for again.
    pub fn put(&self, generation: i64, key: String, response: CachedResponse) {
        if response.status != StatusCode::OK || response.body.len() > MAX_BODY_BYTES {
            return;
        }
        let Ok(mut held) = self.held.lock() else {
            return;
        };
        if held.generation != generation {
            held.probation.clear();
            held.protected.clear();
            held.generation = generation;
        }
        held.tick += 1;
        let tick = held.tick;
        if held.protected.pages.contains_key(&key) {
            held.protected.insert(key, response, tick);
        } else {
            held.probation.insert(key, response, tick);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_generation_drops_what_was_kept() {
        let cache = PageCache::default();
        cache.put(3, "/incidents".into(), CachedResponse::ok("a"));
        assert_eq!(cache.get(3, "/incidents").unwrap().body, "a");
        assert!(cache.get(4, "/incidents").is_none());
        cache.put(4, "/x".into(), CachedResponse::ok("b"));
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
                            Ok::<_, ()>(CachedResponse::ok("rows"))
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
        let second = cache.render_once(1, "/x", || Ok::<_, &str>(CachedResponse::ok("fine")));
        assert_eq!(second.unwrap().body, "fine");
    }

    /// Before, unknown pages filled the cache up to its entry limit (about
    /// 512 MB of bodies) and then emptied it, taking every kept page along.
    #[test]
    fn one_off_pages_neither_grow_the_cache_nor_push_out_pages_asked_again() {
        let cache = PageCache::default();
        let page = CachedResponse {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: Bytes::from(vec![b'x'; 400 * 1024]),
        };
        cache.put(1, "/incidents".into(), page.clone());
        assert!(
            cache.get(1, "/incidents").is_some(),
            "asked again: protected"
        );
        for n in 0..5000 {
            cache.put(1, format!("/incidents?q=junk{n}"), page.clone());
            let (entries, bytes) = cache.size();
            assert!(entries <= PROBATION.entries + PROTECTED.entries);
            assert!(
                bytes <= PROBATION.bytes + PROTECTED.bytes,
                "{bytes} bytes kept"
            );
        }
        assert!(
            cache.get(1, "/incidents").is_some(),
            "pushed out by one-off pages"
        );
        assert!(cache.get(1, "/incidents?q=junk0").is_none());
        assert!(cache.get(1, "/incidents?q=junk4999").is_some());
    }

    #[test]
    fn the_protected_part_drops_its_least_recently_used_page() {
        let cache = PageCache::default();
        for n in 0..PROTECTED.entries + 1 {
            let key = format!("/incidents/{n}");
            cache.put(1, key.clone(), CachedResponse::ok("page"));
            assert!(cache.get(1, &key).is_some());
            // Page 0 is read again and again, so it stays.
            assert!(cache.get(1, "/incidents/0").is_some());
        }
        assert!(cache.get(1, "/incidents/1").is_none());
        assert!(cache.get(1, "/incidents/0").is_some());
        assert_eq!(cache.size().0, PROTECTED.entries);
    }

    /// Before, the key was the raw URL: `?page=2&x=1`, `?x=2&page=2`, … were
    /// each a new entry.
    #[test]
    fn keys_come_from_parsed_parameters() {
        let parsed = |query: &str| -> crate::params::Params {
            axum::extract::Query::try_from_uri(&format!("/incidents?{query}").parse().unwrap())
                .unwrap()
                .0
        };
        let plain = key("/incidents", &parsed("page=2"));
        for noisy in ["page=2&junk=1", "junk=x&page=2&", "page=2&q=&utm_source=a"] {
            assert_eq!(key("/incidents", &parsed(noisy)), plain, "{noisy}");
        }
        assert_ne!(key("/incidents", &parsed("page=3")), plain);
        assert_ne!(key("/incidents.json", &parsed("page=2")), plain);
    }

    #[test]
    fn pages_that_read_only_the_ledger_are_kept() {
        for kept in [
            "/",
            "/index.json",
            "/incidents?page=2",
            "/timeline.csv",
            "/map",
            "/search.json?q=a",
        ] {
            assert!(keeps(kept), "{kept}");
        }
        for not in [
            "/statements",
            "/claims.json",
            "/documents/d1",
            "/reconciliation",
            "/reviews",
        ] {
            assert!(!keeps(not), "{not}");
        }
    }

    #[test]
    fn errors_are_not_kept() {
        let cache = PageCache::default();
        let mut r = CachedResponse::ok("gone");
        r.status = StatusCode::NOT_FOUND;
        cache.put(1, "/incidents/x".into(), r);
        assert!(cache.get(1, "/incidents/x").is_none());
    }
}
