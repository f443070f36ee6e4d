//! How much the site takes on at once, so that a burst of expensive
//! requests or a crowd of slow clients slows the site down instead of
//! taking it offline.
//!
//! Requests go in lanes, each with its own limit, so that a flood in one
//! lane leaves the others alone. Cheap reads are many at once and never
//! wait; searches and document views (which read and render whole
//! documents) take turns in one lane as wide as the machine has cores, on
//! threads of a lower CPU priority than readers', and work moved to a
//! blocking thread keeps its turn until it ends;
//! writes go one at a time. A search or write that finds its lane full
//! waits a short while for a turn, among a bounded number of others; past
//! that, a request is refused with `503 Service Unavailable` and
//! `Retry-After` rather than queued without end. Every request has a
//! deadline.
//! `/healthz` is in no lane: it answers whatever else is going on.
//!
//! The socket side (header deadline, connection limit) is in `server`.

use std::cell::RefCell;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::header::RETRY_AFTER;
use axum::http::{HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The limits of one server. [`Limits::default`] suits the machine it runs on.
#[derive(Debug, Clone)]
pub struct Limits {
    /// How long a client has to send a request's head (line and headers),
    /// counted from when the server starts waiting for it; also how long an
    /// idle keep-alive connection stays open.
    pub header_read_timeout: Duration,
    /// How long one request may take, body included, before it is answered
    /// with 503.
    pub request_timeout: Duration,
    /// Open connections at most (lowered at start to fit the process's
    /// limit of open files). When full, the connection that has waited
    /// longest for a request head is closed to make room; when none is
    /// waiting, the new connection gets a 503.
    pub max_connections: usize,
    /// Reads in flight at most; more are refused at once with 503.
    pub max_requests: usize,
    /// Searches and document views at once, together (thirty-two times as
    /// many may wait: a crowd of searches then waits its turn rather than
    /// being refused at once and asking again, which took the CPU the
    /// searches needed).
    pub max_heavy: usize,
    /// Writes at once (eight times as many may wait).
    pub max_writes: usize,
    /// Streamed exports (`?_stream=1`) at once (eight times as many may
    /// wait); each keeps its turn until its last byte is handed over.
    pub max_exports: usize,
    /// How long a search, document view or write waits for its turn.
    pub queue_wait: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Limits {
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_connections: 1024,
            max_requests: 256,
            // One per core: heavy renders run at nice +10, so readers still
            // win the CPU whenever they need it, while a crowd of searches
            // not asked before is answered at the machine's pace rather than
            // half of it.
            max_heavy: cores.max(1),
            max_writes: 1,
            // One per core: an export reads a chunk, then waits for its
            // client, so a few at once keep the cores busy but not full.
            max_exports: cores.max(1),
            queue_wait: Duration::from_secs(5),
        }
    }
}

/// Which lane a request goes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lane {
    /// Answered whatever the load: the health check.
    Free,
    /// Listings, incident pages, assets: cheap, or kept in the page cache.
    Read,
    /// Full-text search.
    Search,
    /// The document viewer: whole documents read and marked.
    Document,
    /// Anything that is not a read.
    Write,
    /// A whole listing streamed (`?_stream=1`).
    Export,
}

impl Lane {
    /// The lane of a request, with its query string.
    pub(crate) fn of_request(method: &Method, path: &str, query: Option<&str>) -> Lane {
        let lane = Lane::of(method, path);
        if lane == Lane::Read && streamed(query) {
            Lane::Export
        } else {
            lane
        }
    }

    pub(crate) fn of(method: &Method, path: &str) -> Lane {
        if path == "/healthz" {
            Lane::Free
        } else if method != Method::GET && method != Method::HEAD {
            Lane::Write
        } else if path.starts_with("/search") {
            Lane::Search
        } else if path.starts_with("/documents/") {
            Lane::Document
        } else {
            Lane::Read
        }
    }
}

/// Does the query ask for a streamed export? (Checked again, with a 400
/// for a bad value, by the page.)
fn streamed(query: Option<&str>) -> bool {
    query.is_some_and(|q| {
        q.split('&').any(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            key == "_stream" && matches!(value, "1" | "true")
        })
    })
}

/// Requests that may wait for each turn of the heavy lane. Waiting
/// searches hold read turns (they are admitted as reads), so this many per
/// core still leaves most of [`Limits::max_requests`] to readers.
const HEAVY_WAITING: usize = 32;

/// One lane: so many turns, and so many requests at most waiting for one.
struct Turns {
    turns: Arc<Semaphore>,
    waiting: AtomicUsize,
    max_waiting: usize,
}

impl Turns {
    fn new(turns: usize, max_waiting: usize) -> Turns {
        Turns {
            turns: Arc::new(Semaphore::new(turns.max(1))),
            waiting: AtomicUsize::new(0),
            max_waiting,
        }
    }

    /// A turn at once, or after waiting at most `wait` when fewer than
    /// `max_waiting` requests are waiting already.
    async fn take(&self, wait: Duration) -> Option<OwnedSemaphorePermit> {
        if let Ok(turn) = self.turns.clone().try_acquire_owned() {
            return Some(turn);
        }
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.max_waiting {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return None;
        }
        let turn = tokio::time::timeout(wait, self.turns.clone().acquire_owned()).await;
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        turn.ok()?.ok()
    }
}

/// The turns of every lane, shared by all requests. Each lane has its own
/// limits, so a flood of searches or of writes never takes the turns of
/// readers.
pub(crate) struct Lanes {
    limits: Limits,
    /// Searches are admitted as reads and take their heavy turn in their
    /// handler, only when their answer is not kept ([`heavy_turn`]): a
    /// repeated search then costs a read, and is never shed for want of a
    /// heavy turn it does not need.
    searches_choose: bool,
    reads: Turns,
    /// Searches and document views: one budget, so that together they
    /// never run on more threads than there are cores (at a lower CPU
    /// priority than readers).
    heavy: Turns,
    writes: Turns,
    exports: Turns,
}

impl Lanes {
    pub(crate) fn new(limits: Limits) -> Lanes {
        Lanes {
            searches_choose: false,
            reads: Turns::new(limits.max_requests, 0),
            heavy: Turns::new(limits.max_heavy, limits.max_heavy * HEAVY_WAITING),
            writes: Turns::new(limits.max_writes, limits.max_writes * 8),
            exports: Turns::new(limits.max_exports, limits.max_exports * 8),
            limits,
        }
    }
}

impl Lanes {
    /// How long a request waits for a turn in a full lane.
    pub(crate) fn queue_wait(&self) -> Duration {
        self.limits.queue_wait
    }

    /// The site's lanes: searches take their heavy turn in their handler.
    pub(crate) fn for_site(limits: Limits) -> Lanes {
        Lanes {
            searches_choose: true,
            ..Lanes::new(limits)
        }
    }
}

/// A 503 that tells the client when to come back.
pub(crate) fn busy(why: &str) -> Response {
    let mut response = (
        StatusCode::SERVICE_UNAVAILABLE,
        axum::Json(json!({ "error": why })),
    )
        .into_response();
    response
        .headers_mut()
        .insert(RETRY_AFTER, HeaderValue::from_static("2"));
    response
}

/// Middleware: admits a request to its lane, or refuses it with 503.
/// Writes are admitted as reads here: their handler answers a request
/// without a valid token from its headers at once, and only then waits for
/// a write turn ([`write_turn`]), so posts without a token never take the
/// turns of real writes.
pub(crate) async fn admit(
    State(lanes): State<Arc<Lanes>>,
    mut request: Request,
    next: Next,
) -> Response {
    let lane = Lane::of_request(
        request.method(),
        request.uri().path(),
        request.uri().query(),
    );
    if lane == Lane::Free {
        return next.run(request).await;
    }
    let deferred = lane == Lane::Search && lanes.searches_choose;
    let (turns, why) = match lane {
        Lane::Search if deferred => (
            &lanes.reads,
            "the server is answering as many requests as it can; try again shortly",
        ),
        Lane::Search => (&lanes.heavy, "too many searches at once; try again shortly"),
        Lane::Document => (
            &lanes.heavy,
            "too many document views at once; try again shortly",
        ),
        Lane::Export => (
            &lanes.exports,
            "too many exports are streaming; try again shortly",
        ),
        Lane::Free | Lane::Read | Lane::Write => (
            &lanes.reads,
            "the server is answering as many requests as it can; try again shortly",
        ),
    };
    let Some(permit) = turns.take(lanes.limits.queue_wait).await else {
        return busy(why);
    };
    let turn = Turn {
        lane: if deferred { Lane::Read } else { lane },
        _permit: permit,
    };
    if lane == Lane::Write || deferred {
        request.extensions_mut().insert(lanes.clone());
    }
    let deadline = lanes.limits.request_timeout;
    let answer = HELD_TURN.scope(RefCell::new(Some(turn)), async move {
        tokio::time::timeout(deadline, next.run(request)).await
    });
    match answer.await {
        Ok(response) => response,
        Err(_) => busy("the request took too long and was stopped"),
    }
}

tokio::task_local! {
    /// The lane turn of the request this task is answering, until a render
    /// on another thread takes it along ([`take_turn`]).
    static HELD_TURN: RefCell<Option<Turn>>;
}

/// A request's turn in its lane.
pub(crate) struct Turn {
    lane: Lane,
    _permit: OwnedSemaphorePermit,
}

impl Turn {
    /// A turn of the lane searches and document views share.
    pub(crate) fn is_heavy(&self) -> bool {
        matches!(self.lane, Lane::Search | Lane::Document)
    }
}

/// The current request's lane turn, for work moved to another thread: that
/// work runs to its end even when the client has gone or the deadline has
/// passed, so it keeps the turn until it is done, and a lane's width bounds
/// the work running, not only the requests waiting.
pub(crate) fn take_turn() -> Option<Turn> {
    HELD_TURN
        .try_with(|turn| turn.borrow_mut().take())
        .ok()
        .flatten()
}

/// Runs a render off the async workers, holding `turn` until it ends.
/// Searches and document views run on a thread of their own at a lower CPU
/// priority, so that while they fill the cores, readers' pages still
/// win the CPU whenever they need it; everything else runs on tokio's
/// blocking pool.
pub(crate) async fn render<T: Send + 'static>(
    turn: Option<Turn>,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, String> {
    let heavy = turn
        .as_ref()
        .is_some_and(|t| matches!(t.lane, Lane::Search | Lane::Document));
    if !heavy {
        return tokio::task::spawn_blocking(move || {
            let _turn = turn;
            work()
        })
        .await
        .map_err(|e| e.to_string());
    }
    let (sender, receiver) = tokio::sync::oneshot::channel();
    let runtime = tokio::runtime::Handle::current();
    std::thread::Builder::new()
        .name("heavy-render".into())
        .spawn(move || {
            let _turn = turn;
            let _inside = runtime.enter();
            lower_this_threads_priority();
            // The requester may be gone: then the result is dropped.
            let _ = sender.send(work());
        })
        .map_err(|e| format!("cannot start a render thread: {e}"))?;
    receiver.await.map_err(|_| "the render stopped".to_string())
}

/// Raises the calling thread's nice value by 10. Lowering one's own
/// priority needs no privilege; it is a best effort, and a no-op off Linux.
fn lower_this_threads_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority takes plain integers and touches no memory of
    // ours; on Linux, PRIO_PROCESS with 0 names the calling thread alone.
    unsafe {
        let _ = libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
}

/// A turn in the heavy lane for a search whose answer is not kept, taken
/// by its handler; `Ok(None)` for a router used without its limits, or
/// whose lanes gave the turn already; a 503 when the lane is full.
pub(crate) async fn heavy_turn(lanes: Option<Arc<Lanes>>) -> Result<Option<Turn>, Response> {
    let Some(lanes) = lanes.filter(|l| l.searches_choose) else {
        return Ok(None);
    };
    match lanes.heavy.take(lanes.limits.queue_wait).await {
        Some(permit) => Ok(Some(Turn {
            lane: Lane::Search,
            _permit: permit,
        })),
        None => Err(busy("too many searches at once; try again shortly")),
    }
}

/// A turn in the write lane for an authorized write, held until dropped;
/// a 503 when other writes fill the lane.
pub(crate) fn write_turn(
    request: &Request,
) -> impl Future<Output = Result<Option<OwnedSemaphorePermit>, Response>> + Send + 'static {
    // Taken out now: the future holds no borrow of the request.
    let lanes = request.extensions().get::<Arc<Lanes>>().cloned();
    async move {
        let Some(lanes) = lanes else {
            // A router used without its limits (tests with `oneshot`).
            return Ok(None);
        };
        match lanes.writes.take(lanes.limits.queue_wait).await {
            Some(turn) => Ok(Some(turn)),
            None => Err(busy("other writes are still running; try again shortly")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::body::Body;
    use axum::routing::get;
    use tower::ServiceExt;

    /// A site whose searches take `search_ms` and whose other pages are
    /// instant, behind the lanes.
    fn site(limits: Limits, search_ms: u64) -> Router {
        let slow = move || async move {
            tokio::time::sleep(Duration::from_millis(search_ms)).await;
            "hits"
        };
        Router::new()
            .route("/search", get(slow))
            .route("/incidents", get(|| async { "rows" }))
            .route("/healthz", get(|| async { "ok" }))
            .layer(axum::middleware::from_fn_with_state(
                Arc::new(Lanes::new(limits)),
                admit,
            ))
    }

    async fn status(app: &Router, uri: &str) -> (StatusCode, Option<HeaderValue>) {
        let response = app
            .clone()
            .oneshot(axum::http::Request::get(uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
        (
            response.status(),
            response.headers().get(RETRY_AFTER).cloned(),
        )
    }

    /// A burst of slow searches: one runs, a bounded number wait for a
    /// short while, the rest are refused at once with 503 and Retry-After,
    /// and pages in the read lane answer throughout.
    #[tokio::test]
    async fn a_full_lane_sheds_its_excess_and_leaves_readers_alone() {
        let limits = Limits {
            max_heavy: 1,
            queue_wait: Duration::from_millis(200),
            ..Limits::default()
        };
        let app = site(limits, 1000);
        let searches: Vec<_> = (0..20)
            .map(|_| {
                let app = app.clone();
                tokio::spawn(async move { status(&app, "/search").await })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(50)).await;
        let started = std::time::Instant::now();
        assert_eq!(status(&app, "/incidents").await.0, StatusCode::OK);
        assert_eq!(status(&app, "/healthz").await.0, StatusCode::OK);
        assert!(started.elapsed() < Duration::from_millis(100));
        let mut answered = 0;
        for search in searches {
            let (code, retry) = search.await.unwrap();
            match code {
                StatusCode::OK => answered += 1,
                StatusCode::SERVICE_UNAVAILABLE => assert!(retry.is_some()),
                other => panic!("unexpected {other}"),
            }
        }
        assert_eq!(answered, 1);
    }

    /// Before, every search took a heavy turn in the middleware, so at 64
    /// clients a repeated search was shed with 503 although its answer was
    /// kept. Now the site's searches are admitted as reads and only those
    /// that must run take a heavy turn.
    #[tokio::test]
    async fn kept_searches_need_no_heavy_turn_and_new_ones_still_wait_for_one() {
        let limits = Limits {
            max_heavy: 1,
            queue_wait: Duration::from_millis(50),
            ..Limits::default()
        };
        let lanes = Arc::new(Lanes::for_site(limits));
        let search = |axum::extract::Query(q): axum::extract::Query<
            std::collections::HashMap<String, String>,
        >,
                      lanes: Option<axum::Extension<Arc<Lanes>>>| async move {
            if q.get("q").map(String::as_str) == Some("kept") {
                return "kept".into_response();
            }
            match heavy_turn(lanes.map(|axum::Extension(l)| l)).await {
                Ok(turn) => {
                    assert!(turn.is_some_and(|t| t.is_heavy()));
                    "ran".into_response()
                }
                Err(busy) => busy,
            }
        };
        let app = Router::new()
            .route("/search", get(search))
            .layer(axum::middleware::from_fn_with_state(lanes.clone(), admit));
        assert_eq!(status(&app, "/search?q=new").await.0, StatusCode::OK);
        let held = lanes.heavy.turns.clone().try_acquire_owned().unwrap();
        assert_eq!(status(&app, "/search?q=kept").await.0, StatusCode::OK);
        let (code, retry) = status(&app, "/search?q=new").await;
        assert_eq!(code, StatusCode::SERVICE_UNAVAILABLE);
        assert!(retry.is_some());
        drop(held);
        assert_eq!(status(&app, "/search?q=new").await.0, StatusCode::OK);
    }

    #[tokio::test]
    async fn a_request_past_its_deadline_is_answered_with_503() {
        let limits = Limits {
            request_timeout: Duration::from_millis(100),
            ..Limits::default()
        };
        let app = site(limits, 5000);
        let started = std::time::Instant::now();
        let (code, retry) = status(&app, "/search").await;
        assert_eq!(code, StatusCode::SERVICE_UNAVAILABLE);
        assert!(retry.is_some());
        assert!(started.elapsed() < Duration::from_secs(1));
    }

    /// Before, a search abandoned at its deadline (or by its client) gave
    /// up its turn while its work ran on, so searches piled up on the
    /// blocking threads without bound. Now the work keeps the turn.
    #[tokio::test]
    async fn work_on_a_blocking_thread_keeps_its_turn_past_the_deadline() {
        let limits = Limits {
            max_heavy: 1,
            queue_wait: Duration::from_millis(20),
            request_timeout: Duration::from_millis(50),
            ..Limits::default()
        };
        let render = || async {
            let turn = take_turn();
            assert!(turn.is_some(), "the handler sees its turn");
            render(turn, || std::thread::sleep(Duration::from_millis(600)))
                .await
                .ok();
            "hits"
        };
        let app = Router::new().route("/search", get(render)).layer(
            axum::middleware::from_fn_with_state(Arc::new(Lanes::new(limits)), admit),
        );
        let why = |app: Router| async move {
            let response = app
                .oneshot(
                    axum::http::Request::get("/search")
                        .body(Body::empty())
                        .unwrap(),
                )
                .await
                .unwrap();
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap();
            String::from_utf8_lossy(&body).into_owned()
        };
        assert!(why(app.clone()).await.contains("took too long"));
        // The first search still runs on its blocking thread: the lane is full.
        assert!(why(app.clone()).await.contains("too many searches"));
        tokio::time::sleep(Duration::from_millis(700)).await;
        // Done now: the next search is admitted (and runs into its deadline).
        assert!(why(app.clone()).await.contains("took too long"));
    }

    /// The nice value of the calling thread, from /proc (Linux).
    fn nice() -> Option<i64> {
        let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
        // Fields after the parenthesised name; nice is field 19 overall.
        let rest = stat.rsplit_once(')')?.1;
        rest.split_whitespace().nth(16)?.parse().ok()
    }

    #[tokio::test]
    async fn heavy_renders_run_at_a_lower_priority_than_readers() {
        if !cfg!(target_os = "linux") || nice().is_none() {
            return;
        }
        let turn = |lane| {
            Some(Turn {
                lane,
                _permit: Arc::new(Semaphore::new(1)).try_acquire_owned().unwrap(),
            })
        };
        let reader = render(turn(Lane::Read), nice).await.unwrap().unwrap();
        let search = render(turn(Lane::Search), nice).await.unwrap().unwrap();
        assert_eq!(
            search,
            (reader + 10).min(19),
            "reader {reader}, search {search}"
        );
    }

    #[tokio::test]
    async fn reads_past_the_limit_are_refused_at_once() {
        let limits = Limits {
            max_requests: 2,
            ..Limits::default()
        };
        let lanes = Arc::new(Lanes::new(limits));
        let held: Vec<_> = (0..2)
            .map(|_| lanes.reads.turns.clone().try_acquire_owned().unwrap())
            .collect();
        let app = Router::new()
            .route("/incidents", get(|| async { "rows" }))
            .route("/healthz", get(|| async { "ok" }))
            .layer(axum::middleware::from_fn_with_state(lanes, admit));
        assert_eq!(
            status(&app, "/incidents").await.0,
            StatusCode::SERVICE_UNAVAILABLE
        );
        assert_eq!(status(&app, "/healthz").await.0, StatusCode::OK);
        drop(held);
        assert_eq!(status(&app, "/incidents").await.0, StatusCode::OK);
    }

    #[test]
    fn lanes_by_method_and_path() {
        assert_eq!(Lane::of(&Method::GET, "/healthz"), Lane::Free);
        assert_eq!(Lane::of(&Method::GET, "/incidents"), Lane::Read);
        assert_eq!(Lane::of(&Method::GET, "/search.json"), Lane::Search);
        assert_eq!(Lane::of(&Method::GET, "/documents/d1"), Lane::Document);
        assert_eq!(Lane::of(&Method::POST, "/documents"), Lane::Write);
        assert_eq!(Lane::of(&Method::POST, "/reviews"), Lane::Write);
        let get = |path, query| Lane::of_request(&Method::GET, path, query);
        assert_eq!(get("/statements.csv", Some("q=a&_stream=1")), Lane::Export);
        assert_eq!(get("/statements.csv", Some("_stream=true")), Lane::Export);
        assert_eq!(get("/statements.csv", Some("_stream=0")), Lane::Read);
        assert_eq!(get("/statements.csv", Some("x_stream=1")), Lane::Read);
        assert_eq!(get("/search.json", Some("_stream=1")), Lane::Search);
    }
}
