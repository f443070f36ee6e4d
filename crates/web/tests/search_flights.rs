//! Many clients asking the same search at once, over real HTTP on
//! 127.0.0.1: the search runs once and every client gets its answer, also
//! when the client whose request started the search hangs up.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use strikewatch_model::Document;
use strikewatch_model::ledger::{Incident, Reconciliation, Review};
use strikewatch_model::public::NonPublic;
use strikewatch_model::read::{
    ClaimRow, Filter, LedgerRead, ReadResult, SearchRequest, SearchResults, StatementRow,
};
use strikewatch_store::SqliteStore;
use strikewatch_web::{WebOptions, serve_on};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

mod common;

/// The store's reads, counting the searches run; each search takes a
/// while longer, so that requests arriving together overlap it.
struct CountedSearches {
    store: Arc<SqliteStore>,
    runs: AtomicUsize,
    /// Whether a search saw its cancel flag set once it had run.
    cancelled: AtomicBool,
}

impl LedgerRead for CountedSearches {
    fn incidents(&self, filter: &Filter) -> ReadResult<Vec<Incident>> {
        self.store.incidents(filter)
    }
    fn incident(&self, id: &str) -> ReadResult<Option<Incident>> {
        self.store.incident(id)
    }
    fn document(&self, id: &str) -> ReadResult<Option<Document>> {
        self.store.document(id)
    }
    fn statements(&self, filter: &Filter) -> ReadResult<Vec<StatementRow>> {
        self.store.statements(filter)
    }
    fn claims(&self, filter: &Filter) -> ReadResult<Vec<ClaimRow>> {
        self.store.claims(filter)
    }
    fn reconciliation(&self, filter: &Filter) -> ReadResult<Vec<Reconciliation>> {
        self.store.reconciliation(filter)
    }
    fn reviews(&self) -> ReadResult<Vec<Review>> {
        self.store.reviews()
    }
    fn document_count(&self) -> ReadResult<u64> {
        self.store.document_count()
    }
    fn ledger_generation(&self) -> ReadResult<Option<i64>> {
        self.store.ledger_generation()
    }
    fn non_public(&self) -> ReadResult<NonPublic> {
        self.store.non_public()
    }
    fn search(&self, request: &SearchRequest) -> ReadResult<SearchResults> {
        self.runs.fetch_add(1, Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(400));
        if request
            .cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::Relaxed))
        {
            self.cancelled.store(true, Ordering::SeqCst);
        }
        self.store.search(request)
    }
}

/// The site over `ledger` on a free port of 127.0.0.1; stops when the
/// test's runtime does.
async fn serve(ledger: Arc<CountedSearches>) -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(serve_on(
        listener,
        ledger,
        WebOptions::default(),
        std::future::pending(),
    ));
    addr
}

fn counted() -> Arc<CountedSearches> {
    Arc::new(CountedSearches {
        store: common::dev_ledger(),
        runs: AtomicUsize::new(0),
        cancelled: AtomicBool::new(false),
    })
}

/// Sends `GET path` and reads the whole answer (the server closes).
async fn get(addr: std::net::SocketAddr, path: &str) -> String {
    let mut socket = TcpStream::connect(addr).await.expect("connect");
    socket
        .write_all(
            format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").as_bytes(),
        )
        .await
        .expect("request");
    let mut answer = Vec::new();
    socket.read_to_end(&mut answer).await.expect("answer");
    String::from_utf8_lossy(&answer).into_owned()
}

fn body(answer: &str) -> &str {
    answer.split_once("\r\n\r\n").map_or("", |(_, b)| b)
}

/// Before, each of the 16 requests ran the search (16 runs on 2 heavy
/// turns, the last answered after about eight search times).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_identical_searches_run_once() {
    let ledger = counted();
    let addr = serve(ledger.clone()).await;
    let clients: Vec<_> = (0..16)
        .map(|_| tokio::spawn(get(addr, "/search.json?q=strike&per_page=5")))
        .collect();
    let mut bodies = Vec::new();
    for client in clients {
        let answer = client.await.expect("client");
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        bodies.push(body(&answer).to_string());
    }
    assert_eq!(ledger.runs.load(Ordering::SeqCst), 1, "searches run");
    assert!(bodies[0].contains("\"hits\""), "{}", bodies[0]);
    assert!(bodies.iter().all(|b| *b == bodies[0]), "one answer for all");
    // Kept now: asked again, it does not run.
    let again = get(addr, "/search.json?q=strike&per_page=5").await;
    assert_eq!(body(&again), bodies[0]);
    assert_eq!(ledger.runs.load(Ordering::SeqCst), 1);
    // Another search is another run.
    let other = get(addr, "/search.json?q=caribbean&per_page=5").await;
    assert!(other.starts_with("HTTP/1.1 200"), "{other}");
    assert_eq!(ledger.runs.load(Ordering::SeqCst), 2);
}

/// The client that started the search hangs up while it runs: the search
/// goes on for those waiting for it, and each gets the answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_leader_that_hangs_up_leaves_no_follower_without_an_answer() {
    let ledger = counted();
    let addr = serve(ledger.clone()).await;
    let path = "/search.json?q=caribbean&per_page=3";
    let mut leader = TcpStream::connect(addr).await.expect("connect");
    leader
        .write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes())
        .await
        .expect("request");
    // Until its search runs.
    for _ in 0..200 {
        if ledger.runs.load(Ordering::SeqCst) > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(ledger.runs.load(Ordering::SeqCst), 1);
    let followers: Vec<_> = (0..4).map(|_| tokio::spawn(get(addr, path))).collect();
    tokio::time::sleep(Duration::from_millis(50)).await;
    drop(leader);
    for follower in followers {
        let answer = follower.await.expect("follower");
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(body(&answer).contains("\"hits\""), "{answer}");
        assert!(body(&answer).contains("\"partial\":false"), "{answer}");
    }
    assert_eq!(ledger.runs.load(Ordering::SeqCst), 1, "searches run");
    assert!(
        !ledger.cancelled.load(Ordering::SeqCst),
        "the search was cancelled while others waited for it"
    );
}
