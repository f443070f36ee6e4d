//! A fixture HTTP server on 127.0.0.1 (an ephemeral port): routes are set
//! by the test, every request head is recorded. No test sends traffic to
//! any other address.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone)]
pub enum Body {
    Bytes(Vec<u8>),
    /// Sends the head, then never the body.
    Stall,
    /// Streams this many bytes without a Content-Length.
    Endless(u64),
}

#[derive(Clone)]
pub struct Route {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Body,
}

impl Route {
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Route {
        Route {
            status: 200,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: Body::Bytes(body.into()),
        }
    }
    pub fn status(status: u16) -> Route {
        Route {
            status,
            headers: vec![("Content-Type".into(), "text/plain".into())],
            body: Body::Bytes(format!("status {status}").into_bytes()),
        }
    }
    pub fn redirect(status: u16, to: &str) -> Route {
        Route {
            status,
            headers: vec![("Location".into(), to.into())],
            body: Body::Bytes(Vec::new()),
        }
    }
    pub fn header(mut self, name: &str, value: &str) -> Route {
        self.headers.push((name.into(), value.into()));
        self
    }
}

#[derive(Clone, Default)]
pub struct Server {
    pub addr: Option<SocketAddr>,
    routes: Arc<Mutex<HashMap<String, Route>>>,
    pub requests: Arc<Mutex<Vec<String>>>,
}

impl Server {
    pub fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let server = Server {
            addr: Some(listener.local_addr().unwrap()),
            ..Server::default()
        };
        let s = server.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let s = s.clone();
                std::thread::spawn(move || s.handle(stream));
            }
        });
        server
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr.unwrap(), path)
    }

    pub fn set(&self, path: &str, route: Route) {
        self.routes.lock().unwrap().insert(path.to_string(), route);
    }

    pub fn hits(&self, path: &str) -> usize {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.starts_with(&format!("GET {path} ")))
            .count()
    }

    fn handle(&self, stream: TcpStream) {
        let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut head = String::new();
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            head.push_str(&line);
            if line == "\r\n" {
                break;
            }
        }
        self.requests.lock().unwrap().push(head.clone());
        let path = head.split(' ').nth(1).unwrap_or("/").to_string();
        let route = self
            .routes
            .lock()
            .unwrap()
            .get(&path)
            .cloned()
            .unwrap_or_else(|| Route::status(404));
        let mut out = stream;
        let mut resp = format!("HTTP/1.1 {} X\r\nConnection: close\r\n", route.status);
        for (n, v) in &route.headers {
            resp.push_str(&format!("{n}: {v}\r\n"));
        }
        match route.body {
            Body::Bytes(b) => {
                resp.push_str(&format!("Content-Length: {}\r\n\r\n", b.len()));
                let _ = out.write_all(resp.as_bytes());
                let _ = out.write_all(&b);
            }
            Body::Stall => {
                resp.push_str("Content-Length: 100\r\n\r\n");
                let _ = out.write_all(resp.as_bytes());
                std::thread::sleep(Duration::from_secs(10));
            }
            Body::Endless(n) => {
                resp.push_str("\r\n");
                let _ = out.write_all(resp.as_bytes());
                let chunk = vec![b'a'; 64 * 1024];
                let mut sent = 0;
                while sent < n {
                    if out.write_all(&chunk).is_err() {
                        break;
                    }
                    sent += chunk.len() as u64;
                }
            }
        }
    }
}

pub fn page(title: &str, text: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><title>{title}</title>\
         <meta property=\"article:published_time\" content=\"2025-10-16T15:00:00Z\"></head>\
         <body><article><h1>{title}</h1><p>{text}</p><p>{text}</p><p>{text}</p></article></body></html>"
    )
}
