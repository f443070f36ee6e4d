//! The API as a client sees it, over a real server and SQLite file: search
//! with highlights and pages, validators (ETag / 304), CORS for reading and
//! compressed bodies.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use common::{free_port, run, start, stderr};

const DEV_DOCS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/dev/docs.jsonl");

/// One HTTP/1.0 exchange: the response head and body bytes.
fn exchange(addr: SocketAddr, path: &str, headers: &[&str]) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut request = format!("GET {path} HTTP/1.0\r\nHost: {addr}\r\n");
    for h in headers {
        request.push_str(h);
        request.push_str("\r\n");
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(raw.len());
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let body = raw.get(split + 4..).unwrap_or_default().to_vec();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, head, body)
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|l| {
        let (n, v) = l.split_once(':')?;
        n.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

#[test]
fn search_validators_cors_and_compression() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("api.db");
    let out = run(&db, &["ingest", DEV_DOCS]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let addr = free_port();
    let _server = start(&db, addr);

    // Search: ranked hits of every kind, highlighted, paged.
    let (status, _, body) = exchange(addr, "/search.json?q=caribbean&per_page=5", &[]);
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let found: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let hits = found["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 5);
    assert_eq!(found["more"], true);
    assert!(found["next"].as_str().unwrap().contains("page=2"));
    for h in hits {
        let snippet = h["snippet"].as_str().unwrap();
        let [a, b] =
            [&h["highlights"][0][0], &h["highlights"][0][1]].map(|v| v.as_u64().unwrap() as usize);
        assert!(snippet[a..b].to_lowercase().starts_with("caribbean"), "{h}");
    }
    let (status, _, body) = exchange(addr, "/search?q=%22eastern+pacific%22&kind=document", &[]);
    assert_eq!(status, 200);
    assert!(String::from_utf8_lossy(&body).contains("<mark>"));
    let (status, _, _) = exchange(addr, "/search.json?q=x&kind=vessel", &[]);
    assert_eq!(status, 400);

    // An incident's reports come a page at a time, with a link to the next.
    let (_, _, body) = exchange(addr, "/incidents.json?per_page=500", &[]);
    let list: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let busy = list["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["report_count"].as_u64().unwrap_or(0) > 3)
        .expect("an incident with several reports");
    let id = busy["id"].as_str().unwrap();
    let total = busy["report_count"].as_u64().unwrap();
    let mut url = format!("/incidents/{id}.json?per_page=2");
    let mut seen = 0;
    loop {
        let (status, _, body) = exchange(addr, &url, &[]);
        assert_eq!(status, 200, "{url}");
        let page: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(page["reports_total"].as_u64(), Some(total));
        let n = page["reports"].as_array().unwrap().len() as u64;
        assert!(n <= 2);
        seen += n;
        match page["next"].as_str() {
            Some(next) => url = next.to_string(),
            None => break,
        }
    }
    assert_eq!(seen, total);

    // Validators: the same URL under the same ledger is not sent twice.
    let (status, head, _) = exchange(addr, "/incidents.json", &[]);
    assert_eq!(status, 200);
    let etag = header(&head, "etag").expect("an etag").to_string();
    let (status, _, body) = exchange(
        addr,
        "/incidents.json",
        &[&format!("If-None-Match: {etag}")],
    );
    assert_eq!((status, body.len()), (304, 0));
    let (_, other, _) = exchange(addr, "/incidents.json?page=2", &[]);
    assert_ne!(header(&other, "etag"), Some(etag.as_str()));

    // CORS: any origin may read.
    let (_, head, _) = exchange(addr, "/incidents.json", &["Origin: https://example.org"]);
    assert_eq!(header(&head, "access-control-allow-origin"), Some("*"));

    // Compression as the client accepts.
    let (_, plain_head, plain) = exchange(addr, "/incidents.json", &[]);
    assert_eq!(header(&plain_head, "content-encoding"), None);
    for (accept, coding) in [("gzip", "gzip"), ("br", "br")] {
        let (status, head, body) = exchange(
            addr,
            "/incidents.json",
            &[&format!("Accept-Encoding: {accept}")],
        );
        assert_eq!(status, 200);
        assert_eq!(header(&head, "content-encoding"), Some(coding));
        assert!(
            body.len() < plain.len() / 2,
            "{coding}: {} of {}",
            body.len(),
            plain.len()
        );
    }
}
