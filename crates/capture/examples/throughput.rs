//! Capture throughput against loopback fixture servers.
//!
//! `cargo run --release -p strikewatch-capture --example throughput -- [HOSTS] [PAGES_PER_HOST] [DELAY_MS]`
//!
//! Starts HOSTS servers on 127.0.0.1 (one port each: politeness is per host
//! and port), each serving PAGES_PER_HOST HTML pages of about 6 KB, and
//! captures them all into a scratch SQLite database (HTML → document, every
//! exchange archived; no extraction). Then captures pages from one host at
//! the politeness limit DELAY_MS. Prints pages/s and peak memory.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use strikewatch_capture::capture::{Capturer, Hints};
use strikewatch_capture::{FetchOptions, Fetcher, capture_all};
use strikewatch_store::SqliteStore;

fn page(n: usize) -> String {
    let para = "The U.S. military struck a vessel in the eastern Pacific on Tuesday, killing three \
        people aboard, officials said in a statement released late in the evening. ";
    format!(
        "<!doctype html><html lang=\"en\"><head><title>Report {n}</title></head><body><article>{}</article></body></html>",
        (0..12)
            .map(|i| format!("<p>{i} {n} {para}{para}</p>"))
            .collect::<String>()
    )
}

fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                loop {
                    let mut first = String::new();
                    if reader.read_line(&mut first).unwrap_or(0) == 0 {
                        return;
                    }
                    loop {
                        let mut line = String::new();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                            break;
                        }
                    }
                    let path = first.split(' ').nth(1).unwrap_or("/");
                    let (status, body) = match path.strip_prefix("/p/") {
                        Some(n) => (200, page(n.parse().unwrap_or(0))),
                        None => (404, "not found".to_string()),
                    };
                    // One write, so Nagle and delayed ACKs add no latency.
                    let response = format!(
                        "HTTP/1.1 {status} X\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = stream.write_all(response.as_bytes());
                }
            });
        }
    });
    base
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map(|kb| kb / 1024.0)
        .unwrap_or(0.0)
}

fn main() {
    let args: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let hosts = args.first().copied().unwrap_or(32);
    let per_host = args.get(1).copied().unwrap_or(20);
    let delay_ms = args.get(2).copied().unwrap_or(1000) as u64;
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("bench.db")).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();

    let bases: Vec<String> = (0..hosts).map(|_| serve()).collect();
    // Host-major order, so concurrency spreads over hosts as a crawl would.
    let mut urls = Vec::new();
    for i in 0..per_host {
        for b in &bases {
            urls.push(format!("{b}/p/{i}"));
        }
    }
    let fetcher = Fetcher::new(FetchOptions {
        allow_private: true,
        host_delay: Duration::ZERO,
        ..FetchOptions::default()
    })
    .unwrap();
    let capturer = Capturer::new(&fetcher, &store).unwrap();
    let start = Instant::now();
    let items = rt.block_on(capture_all(
        &capturer,
        &urls,
        &Hints::default(),
        hosts,
        false,
        &mut |_| {},
    ));
    let secs = start.elapsed().as_secs_f64();
    let ok = items.iter().filter(|i| i.result.is_ok()).count();
    if let Some(e) = items.iter().find_map(|i| i.result.as_ref().err()) {
        println!("first error: {e}");
    }
    println!(
        "{hosts} hosts, no delay, concurrency {hosts}: {ok}/{} pages in {secs:.2}s = {:.0} pages/s",
        urls.len(),
        ok as f64 / secs
    );

    let one = serve();
    let n = 5;
    let urls: Vec<String> = (0..n).map(|i| format!("{one}/p/{i}")).collect();
    let fetcher = Fetcher::new(FetchOptions {
        allow_private: true,
        host_delay: Duration::from_millis(delay_ms),
        ..FetchOptions::default()
    })
    .unwrap();
    let capturer = Capturer::new(&fetcher, &store).unwrap();
    let start = Instant::now();
    let items = rt.block_on(capture_all(
        &capturer,
        &urls,
        &Hints::default(),
        8,
        false,
        &mut |_| {},
    ));
    let secs = start.elapsed().as_secs_f64();
    let ok = items.iter().filter(|i| i.result.is_ok()).count();
    println!(
        "1 host, delay {delay_ms} ms: {ok} pages (+ robots.txt) in {secs:.2}s = {:.2} pages/s",
        ok as f64 / secs
    );
    println!("peak RSS {:.0} MB", peak_rss_mb());
}
