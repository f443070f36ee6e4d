//! `serve` under hostile clients, over real sockets on loopback: crowds of
//! half-sent request heads, and large posts without a token.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{BIN, Server, free_port};

/// Starts `serve` with the process limited to `files` open files.
fn start_limited(db: &std::path::Path, addr: SocketAddr, files: u32, writes: bool) -> Server {
    let mut args = vec![
        "--db".to_string(),
        db.display().to_string(),
        "serve".into(),
        "--addr".into(),
        addr.to_string(),
    ];
    if writes {
        args.push("--writes".into());
    }
    let child = Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -n {files} && exec \"$0\" \"$@\""))
        .arg(BIN)
        .args(&args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn sh");
    let server = Server(child);
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(addr).is_err() {
        assert!(Instant::now() < deadline, "server did not start on {addr}");
        std::thread::sleep(Duration::from_millis(50));
    }
    server
}

/// The status of one answer read from `stream`, or 0 when none came in time.
fn status_of(stream: &mut TcpStream, wait: Duration) -> u16 {
    stream.set_read_timeout(Some(wait)).unwrap();
    let mut raw = Vec::new();
    let mut buf = [0u8; 4096];
    while !raw.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
        }
    }
    String::from_utf8_lossy(&raw)
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

fn healthz(addr: SocketAddr) -> u16 {
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_secs(5)) else {
        return 0;
    };
    let _ = stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    status_of(&mut stream, Duration::from_secs(5))
}

/// Before, each half-sent head held a file descriptor until the client
/// went away: with enough of them `accept` failed ("Too many open files")
/// and `/healthz` stopped answering. Now the oldest waiting connection is
/// closed to make room, below the process's file limit.
#[test]
fn half_sent_heads_do_not_stop_the_health_check() {
    let dir = tempfile::tempdir().unwrap();
    let addr = free_port();
    let _server = start_limited(&dir.path().join("l.db"), addr, 256, false);
    assert_eq!(healthz(addr), 200);
    let mut held = Vec::new();
    for _ in 0..1000 {
        if let Ok(mut s) = TcpStream::connect_timeout(&addr, Duration::from_secs(2)) {
            let _ = s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ");
            held.push(s);
        }
    }
    for attempt in 0..3 {
        let status = healthz(addr);
        assert_eq!(
            status,
            200,
            "health check {attempt} with {} heads held",
            held.len()
        );
    }
}

/// A post that declares a 1.9 MB body, sends 64 KiB of it and then stalls.
fn stalled_post(addr: SocketAddr, path: &str) -> TcpStream {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_write_timeout(Some(Duration::from_secs(2)))
        .unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1900000\r\n\r\n"
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&vec![b' '; 64 * 1024]);
    stream
}

fn resident_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        .unwrap_or(0)
}

/// Before, the body was read whole before the token was looked at, even on
/// a read-only server: stalled bodies held memory and a worker each. Now a
/// post without a token is answered from its headers at once.
#[test]
fn posts_without_a_token_are_answered_before_their_body() {
    for (writes, expected) in [(false, 403), (true, 401)] {
        let dir = tempfile::tempdir().unwrap();
        let addr = free_port();
        let server = start_limited(&dir.path().join("w.db"), addr, 4096, writes);
        let before = resident_kib(server.0.id());
        let mut posts: Vec<TcpStream> = (0..200)
            .map(|n| stalled_post(addr, if n % 2 == 0 { "/documents" } else { "/reviews" }))
            .collect();
        let started = Instant::now();
        for post in &mut posts {
            assert_eq!(
                status_of(post, Duration::from_secs(5)),
                expected,
                "writes {writes}"
            );
        }
        assert!(started.elapsed() < Duration::from_secs(10));
        let grown = resident_kib(server.0.id()).saturating_sub(before);
        assert!(grown < 40 * 1024, "grew by {grown} KiB (writes {writes})");
    }
}
