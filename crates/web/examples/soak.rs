//! Load for `scripts/soak.sh`: readers at a steady rate, measured alone and
//! then beside slow clients, expensive searches, document views, and posts
//! with and without a token, in rounds (one a minute) so that anything else
//! the machine is doing weighs on both measurements alike. Before readers
//! are measured alone, the server is given time to finish the searches and
//! document views left over from the load. Prints the
//! readers' p99 and errors for both and exits non-zero when the loaded p99
//! is more than twice the idle one or any reader request failed.
//!
//! Usage: `soak ADDR SECONDS [TOKEN]`, ADDR on loopback only. Every loop
//! stops by itself when its phase ends.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::Mutex;

/// Reader tasks, each at `READER_RATE` requests a second.
const READERS: usize = 8;
const READER_RATE: f64 = 10.0;
/// Connections that send their request head a byte at a time.
const SLOW_CLIENTS: usize = 300;
const SEARCHERS: usize = 6;
const VIEWERS: usize = 2;
const UNAUTHORIZED_POSTERS: usize = 4;
/// No client waits longer than this for an answer.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(30);

type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// One exchange over a fresh connection; the status, or 0 when none came.
async fn exchange(addr: SocketAddr, request: &[u8]) -> (u16, Vec<u8>) {
    let attempt = async {
        let mut stream = TcpStream::connect(addr).await?;
        stream.write_all(request).await?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await?;
        Ok::<_, std::io::Error>(raw)
    };
    match tokio::time::timeout(CLIENT_TIMEOUT, attempt).await {
        Ok(Ok(raw)) => {
            let status = std::str::from_utf8(raw.get(..12).unwrap_or_default())
                .ok()
                .and_then(|head| head.split_whitespace().nth(1)?.parse().ok())
                .unwrap_or(0);
            let body = raw
                .windows(4)
                .position(|w| w == b"\r\n\r\n")
                .map_or_else(Vec::new, |at| raw[at + 4..].to_vec());
            (status, body)
        }
        _ => (0, Vec::new()),
    }
}

fn get(path: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: soak\r\nConnection: close\r\n\r\n").into_bytes()
}

/// Statuses seen by one kind of client.
#[derive(Default)]
struct Tally(BTreeMap<u16, u64>);

impl Tally {
    fn add(&mut self, status: u16) {
        *self.0.entry(status).or_default() += 1;
    }

    fn line(&self) -> String {
        self.0
            .iter()
            .map(|(s, n)| {
                format!(
                    "{}: {n}",
                    if *s == 0 {
                        "none".into()
                    } else {
                        s.to_string()
                    }
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

struct Readings {
    latencies: Vec<Duration>,
    errors: Vec<String>,
    /// Requests that took over a second.
    slow: Vec<String>,
}

impl Readings {
    fn absorb(&mut self, other: Readings) {
        self.latencies.extend(other.latencies);
        self.errors.extend(other.errors);
        self.slow.extend(other.slow);
    }
}

fn p(latencies: &mut [Duration], q: f64) -> Duration {
    latencies.sort_unstable();
    let at = ((latencies.len() as f64 * q).ceil() as usize).clamp(1, latencies.len().max(1)) - 1;
    latencies.get(at).copied().unwrap_or_default()
}

/// Readers at a steady rate over `pages` until `stop`.
async fn readers(addr: SocketAddr, pages: Arc<Vec<String>>, stop: Arc<AtomicBool>) -> Readings {
    let readings = Arc::new(Mutex::new(Readings {
        latencies: Vec::new(),
        errors: Vec::new(),
        slow: Vec::new(),
    }));
    let tasks: Vec<_> = (0..READERS)
        .map(|r| {
            let (pages, stop, readings) = (pages.clone(), stop.clone(), readings.clone());
            tokio::spawn(async move {
                let period = Duration::from_secs_f64(1.0 / READER_RATE);
                let mut next = Instant::now() + period.mul_f64(r as f64 / READERS as f64);
                let mut n = r;
                while !stop.load(Ordering::Relaxed) {
                    tokio::time::sleep_until(next.into()).await;
                    next += period;
                    let page = &pages[n % pages.len()];
                    n += 1;
                    let started = Instant::now();
                    let (status, _) = exchange(addr, &get(page)).await;
                    let took = started.elapsed();
                    let mut r = readings.lock().await;
                    r.latencies.push(took);
                    if took > Duration::from_secs(1) {
                        r.slow.push(format!("{page}: {} ms", took.as_millis()));
                    }
                    if status != 200 {
                        r.errors.push(format!("{page}: status {status}"));
                    }
                }
            })
        })
        .collect();
    for t in tasks {
        let _ = t.await;
    }
    let mut r = readings.lock().await;
    Readings {
        latencies: std::mem::take(&mut r.latencies),
        errors: std::mem::take(&mut r.errors),
        slow: std::mem::take(&mut r.slow),
    }
}

/// A client that sends its request head one byte every half second, and
/// starts again when the server closes it.
async fn slow_client(addr: SocketAddr, stop: Arc<AtomicBool>, tally: Arc<Mutex<Tally>>) {
    let head = b"GET /incidents HTTP/1.1\r\nHost: soak\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
    while !stop.load(Ordering::Relaxed) {
        let Ok(mut stream) = TcpStream::connect(addr).await else {
            tally.lock().await.add(0);
            tokio::time::sleep(Duration::from_millis(200)).await;
            continue;
        };
        let mut closed = false;
        for byte in head {
            if stop.load(Ordering::Relaxed) || stream.write_all(&[*byte]).await.is_err() {
                closed = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        tally.lock().await.add(if closed { 408 } else { 200 });
    }
}

/// A loop of one kind of request until `stop`, counting statuses.
async fn hammer(
    addr: SocketAddr,
    requests: Vec<Vec<u8>>,
    pause: Duration,
    stop: Arc<AtomicBool>,
    tally: Arc<Mutex<Tally>>,
) {
    let mut n = 0;
    while !stop.load(Ordering::Relaxed) {
        let (status, _) = exchange(addr, &requests[n % requests.len()]).await;
        n += 1;
        tally.lock().await.add(status);
        if status == 0 || status == 503 {
            // Shed or refused: come back a little later, as told.
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        tokio::time::sleep(pause).await;
    }
}

/// Waits (at most a minute) until searches and document views left over
/// from a load phase have ended, so that readers alone meet an idle server:
/// a search for a word no document holds is answered at once only when the
/// heavy lane is free.
async fn settle(addr: SocketAddr) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        let started = Instant::now();
        let (status, _) = exchange(addr, &get("/search.json?q=soaksettleprobe")).await;
        if status == 200 && started.elapsed() < Duration::from_millis(100) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// A post declaring a 1.9 MB body and sending 64 KiB of it.
async fn stalled_post(addr: SocketAddr) -> u16 {
    let attempt = async {
        let mut stream = TcpStream::connect(addr).await?;
        let head = "POST /documents HTTP/1.1\r\nHost: soak\r\nContent-Type: application/json\r\nContent-Length: 1900000\r\n\r\n";
        stream.write_all(head.as_bytes()).await?;
        // The server may answer and close before taking all of it.
        let _ =
            tokio::time::timeout(Duration::from_secs(2), stream.write_all(&[b' '; 65536])).await;
        let mut raw = Vec::new();
        let _ = stream.read_to_end(&mut raw).await;
        Ok::<_, std::io::Error>(raw)
    };
    match tokio::time::timeout(CLIENT_TIMEOUT, attempt).await {
        Ok(Ok(raw)) => std::str::from_utf8(raw.get(..12).unwrap_or_default())
            .ok()
            .and_then(|h| h.split_whitespace().nth(1)?.parse().ok())
            .unwrap_or(0),
        _ => 0,
    }
}

fn post_document(token: &str, n: usize) -> Vec<u8> {
    let body = serde_json::json!({
        "id": format!("soak-{n}"),
        "url": format!("https://example.org/soak/{n}"),
        "title": "Strike on a vessel",
        "published_at": "2025-10-20",
        "language": "en",
        "text": format!("The U.S. military struck a vessel in the Caribbean on October {}, killing three people aboard, officials said.", 1 + n % 28),
    })
    .to_string();
    format!(
        "POST /documents HTTP/1.1\r\nHost: soak\r\nConnection: close\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

#[tokio::main]
async fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let addr: SocketAddr = args
        .next()
        .ok_or("usage: soak ADDR SECONDS [TOKEN]")?
        .parse()?;
    if !addr.ip().is_loopback() {
        return Err(format!("{addr} is not a loopback address").into());
    }
    let seconds: u64 = args
        .next()
        .ok_or("usage: soak ADDR SECONDS [TOKEN]")?
        .parse()?;
    let token = args.next();

    // Wait for the server, then find pages to read.
    let deadline = Instant::now() + Duration::from_secs(60);
    while exchange(addr, &get("/healthz")).await.0 != 200 {
        if Instant::now() > deadline {
            return Err("the server did not answer /healthz".into());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let (_, listing) = exchange(addr, &get("/incidents.json?per_page=20")).await;
    let listing: serde_json::Value = serde_json::from_slice(&listing)?;
    let mut pages: Vec<String> = [
        "/",
        "/incidents",
        "/incidents?page=2&per_page=10",
        "/timeline",
        "/map",
        "/statements",
        "/claims",
        "/reconciliation",
        "/changes.json",
        "/incidents.json",
        "/assets/style.css",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for i in listing["incidents"].as_array().into_iter().flatten() {
        if let Some(id) = i["id"].as_str() {
            pages.push(format!("/incidents/{id}"));
        }
    }
    let pages = Arc::new(pages);
    let (_, docs) = exchange(addr, &get("/search.json?q=vessel")).await;
    let docs: serde_json::Value = serde_json::from_slice(&docs).unwrap_or_default();
    let mut viewed: Vec<Vec<u8>> = docs["hits"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| h["document_id"].as_str())
        .take(5)
        .map(|id| get(&format!("/documents/{id}")))
        .collect();
    if let Ok(big) = std::env::var("SOAK_BIG_DOCUMENT") {
        viewed.push(get(&format!("/documents/{big}")));
    }
    if viewed.is_empty() {
        viewed.push(get("/documents/none"));
    }

    // Rounds of readers alone and then beside the load, so that whatever
    // else the machine is doing weighs on both measurements alike.
    let rounds = (seconds / 60).max(1);
    let load_for = Duration::from_secs(seconds / rounds);
    let idle_for = Duration::from_secs((seconds / rounds / 5).clamp(10, 60));
    println!(
        "soak: {READERS} readers at {READER_RATE} requests/s each over {} pages; {rounds} rounds of {} s readers alone, then {} s beside {SLOW_CLIENTS} slow clients, {SEARCHERS} searchers, {VIEWERS} document viewers, {UNAUTHORIZED_POSTERS} posters without a token and one with{}",
        pages.len(),
        idle_for.as_secs(),
        load_for.as_secs(),
        if token.is_some() {
            ""
        } else {
            "out (no token given)"
        }
    );
    let slow = Arc::new(Mutex::new(Tally::default()));
    let searches = Arc::new(Mutex::new(Tally::default()));
    let views = Arc::new(Mutex::new(Tally::default()));
    let unauthorized = Arc::new(Mutex::new(Tally::default()));
    let authorized = Arc::new(Mutex::new(Tally::default()));
    let mut idle = Readings {
        latencies: Vec::new(),
        errors: Vec::new(),
        slow: Vec::new(),
    };
    let mut loaded = Readings {
        latencies: Vec::new(),
        errors: Vec::new(),
        slow: Vec::new(),
    };
    for round in 0..rounds as usize {
        settle(addr).await;
        let stop = Arc::new(AtomicBool::new(false));
        let alone = tokio::spawn(readers(addr, pages.clone(), stop.clone()));
        tokio::time::sleep(idle_for).await;
        stop.store(true, Ordering::Relaxed);
        idle.absorb(alone.await?);

        let stop = Arc::new(AtomicBool::new(false));
        let beside = tokio::spawn(readers(addr, pages.clone(), stop.clone()));
        let mut load = Vec::new();
        for _ in 0..SLOW_CLIENTS {
            load.push(tokio::spawn(slow_client(addr, stop.clone(), slow.clone())));
        }
        let queries: Vec<Vec<u8>> = [
            "/search?q=strike",
            "/search.json?q=vessel%20OR%20boat%20OR%20killed%20OR%20military",
            "/search?q=s*",
            "/search?q=the",
            "/search.json?q=a*%20OR%20t*",
        ]
        .iter()
        .map(|q| get(q))
        .collect();
        for _ in 0..SEARCHERS {
            load.push(tokio::spawn(hammer(
                addr,
                queries.clone(),
                Duration::ZERO,
                stop.clone(),
                searches.clone(),
            )));
        }
        for _ in 0..VIEWERS {
            load.push(tokio::spawn(hammer(
                addr,
                viewed.clone(),
                Duration::from_millis(500),
                stop.clone(),
                views.clone(),
            )));
        }
        for _ in 0..UNAUTHORIZED_POSTERS {
            let (stop, tally) = (stop.clone(), unauthorized.clone());
            load.push(tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    let status = stalled_post(addr).await;
                    tally.lock().await.add(status);
                    // About 25 a second each: a steady stream, not a benchmark
                    // of the loopback interface.
                    tokio::time::sleep(Duration::from_millis(40)).await;
                }
            }));
        }
        if let Some(token) = &token {
            let (stop, tally, token) = (stop.clone(), authorized.clone(), token.clone());
            load.push(tokio::spawn(async move {
                let mut n = round * 1000;
                while !stop.load(Ordering::Relaxed) {
                    let (status, _) = exchange(addr, &post_document(&token, n)).await;
                    n += 1;
                    tally.lock().await.add(status);
                    tokio::time::sleep(Duration::from_secs(2)).await;
                }
            }));
        }
        tokio::time::sleep(load_for).await;
        stop.store(true, Ordering::Relaxed);
        loaded.absorb(beside.await?);
        for t in load {
            // Slow clients may be in the middle of a half-second pause.
            let _ = tokio::time::timeout(CLIENT_TIMEOUT, t).await;
        }
    }

    let idle_p99 = p(&mut idle.latencies, 0.99);
    let loaded_p99 = p(&mut loaded.latencies, 0.99);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "readers idle:   {} requests, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms, errors {}",
        idle.latencies.len(),
        ms(p(&mut idle.latencies, 0.5)),
        ms(idle_p99),
        ms(p(&mut idle.latencies, 1.0)),
        idle.errors.len()
    );
    println!(
        "readers loaded: {} requests, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms, errors {}",
        loaded.latencies.len(),
        ms(p(&mut loaded.latencies, 0.5)),
        ms(loaded_p99),
        ms(p(&mut loaded.latencies, 1.0)),
        loaded.errors.len()
    );
    println!(
        "slow clients (408 = closed by the server): {}",
        slow.lock().await.line()
    );
    println!("searches: {}", searches.lock().await.line());
    println!("document views: {}", views.lock().await.line());
    println!(
        "posts without a token: {}",
        unauthorized.lock().await.line()
    );
    println!("posts with a token: {}", authorized.lock().await.line());
    for e in idle.errors.iter().chain(&loaded.errors).take(20) {
        println!("reader error: {e}");
    }
    for s in idle.slow.iter().chain(&loaded.slow).take(20) {
        println!("slow reader request: {s}");
    }
    let ratio = ms(loaded_p99) / ms(idle_p99).max(0.001);
    let pass = ratio <= 2.0 && idle.errors.is_empty() && loaded.errors.is_empty();
    println!(
        "soak {}: loaded reader p99 is {ratio:.2}x the idle p99 (limit 2x), {} reader errors",
        if pass { "passed" } else { "FAILED" },
        idle.errors.len() + loaded.errors.len()
    );
    if pass {
        Ok(())
    } else {
        Err("soak failed".into())
    }
}
