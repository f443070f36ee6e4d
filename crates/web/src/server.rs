//! The socket side of `serve`: accepting connections and handing them to
//! HTTP/1, so that slow or idle clients cannot use up the server.
//!
//! - A client has `header_read_timeout` to send each request head; an
//!   idle keep-alive connection is closed after the same time.
//! - At most `max_connections` are open, fewer when the process may not
//!   open that many files. When full, the connection that has waited
//!   longest for a request head (a half-sent head, or an idle keep-alive
//!   connection) is closed to make room for the new one; only when every
//!   connection is in the middle of a request does a newcomer get a 503.
//!   The server never runs out of file descriptors, so it keeps accepting.
//! - An accept error (such as too many open files, from elsewhere in the
//!   process) pauses accepting briefly instead of spinning.

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, watch};

use crate::limits::Limits;

/// Files the process keeps for itself beside client connections (the
/// database, its journal, logs, the listening socket, blocking threads).
const FILES_KEPT_BACK: usize = 64;

/// What the server knows of one open connection.
struct Connection {
    /// Requests being answered on it (their responses not yet fully sent).
    busy: AtomicUsize,
    /// When it last became idle, in milliseconds since the server started.
    idle_since: AtomicU64,
    /// Told when the connection is to be closed to make room.
    evict: Notify,
}

/// Every open connection, to count them and choose one to close.
struct Connections {
    max: usize,
    started: Instant,
    next_id: AtomicU64,
    open: Mutex<HashMap<u64, Arc<Connection>>>,
}

impl Connections {
    fn now_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// Room for one more connection: at once while below the limit, else
    /// by closing the one that has waited longest for a request head.
    /// `None` when every open connection is busy.
    fn admit(&self) -> Option<(u64, Arc<Connection>)> {
        let mut open = self.open.lock().ok()?;
        if open.len() >= self.max {
            let oldest_idle = open
                .iter()
                .filter(|(_, c)| c.busy.load(Ordering::SeqCst) == 0)
                .min_by_key(|(_, c)| c.idle_since.load(Ordering::SeqCst))
                .map(|(id, _)| *id)?;
            if let Some(evicted) = open.remove(&oldest_idle) {
                // Stored if the connection's task is not waiting yet.
                evicted.evict.notify_one();
            }
        }
        let id = self.next_id.fetch_add(1, Ordering::SeqCst);
        let connection = Arc::new(Connection {
            busy: AtomicUsize::new(0),
            idle_since: AtomicU64::new(self.now_ms()),
            evict: Notify::new(),
        });
        open.insert(id, connection.clone());
        Some((id, connection))
    }

    fn close(&self, id: u64) {
        if let Ok(mut open) = self.open.lock() {
            open.remove(&id);
        }
    }

    fn count(&self) -> usize {
        self.open.lock().map_or(0, |open| open.len())
    }
}

/// Marks a connection busy from a request's head until its response has
/// been sent (or dropped).
struct Busy {
    connection: Arc<Connection>,
    connections: Arc<Connections>,
}

impl Busy {
    fn start(connection: Arc<Connection>, connections: Arc<Connections>) -> Busy {
        connection.busy.fetch_add(1, Ordering::SeqCst);
        Busy {
            connection,
            connections,
        }
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.connection
            .idle_since
            .store(self.connections.now_ms(), Ordering::SeqCst);
        self.connection.busy.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The number of files this process may open (its soft limit), read from
/// `/proc/self/limits` where there is one.
fn open_file_limit() -> Option<usize> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

/// The connection limit actually used: the configured one, lowered to
/// leave room under the process's limit of open files.
pub(crate) fn connection_limit(configured: usize, file_limit: Option<usize>) -> usize {
    let fitting = file_limit.map_or(usize::MAX, |files| {
        files.saturating_sub(FILES_KEPT_BACK).max(files / 2)
    });
    configured.min(fitting).max(1)
}

/// A short answer for a connection there is no room for.
const FULL: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 2\r\n\
Content-Type: text/plain; charset=utf-8\r\nContent-Length: 31\r\nConnection: close\r\n\r\n\
the server is full; try again.\n";

async fn refuse(stream: TcpStream) {
    // A best effort: the client may be gone already.
    let mut stream = stream;
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        use tokio::io::AsyncWriteExt;
        let _ = stream.write_all(FULL).await;
        let _ = stream.shutdown().await;
    })
    .await;
}

/// Serves `app` on `listener` until `shutdown` completes, then lets open
/// requests finish (for at most a few seconds).
pub(crate) async fn run(
    listener: TcpListener,
    app: Router,
    limits: &Limits,
    shutdown: impl Future<Output = ()>,
) {
    let max = connection_limit(limits.max_connections, open_file_limit());
    tracing::info!(
        max_connections = max,
        header_read_timeout = ?limits.header_read_timeout,
        "accepting connections"
    );
    let connections = Arc::new(Connections {
        max,
        started: Instant::now(),
        next_id: AtomicU64::new(0),
        open: Mutex::new(HashMap::new()),
    });
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let (stop, stopping) = watch::channel(false);
    tokio::pin!(shutdown);
    let mut accept_errors_told = false;
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(e) => {
                // Out of files or memory for a moment: wait instead of
                // spinning on the error. Said once, not once per attempt.
                if !accept_errors_told {
                    tracing::warn!(error = %e, open = connections.count(), "accept failed; pausing");
                    accept_errors_told = true;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        accept_errors_told = false;
        let Some((id, connection)) = connections.admit() else {
            tokio::spawn(refuse(stream));
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service = {
            let (app, connection, connections) =
                (app.clone(), connection.clone(), connections.clone());
            hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
                let busy = Busy::start(connection.clone(), connections.clone());
                let app = app.clone();
                async move {
                    let response = tower::ServiceExt::oneshot(app, request.map(Body::new)).await?;
                    // Busy until the body has been sent: the guard goes
                    // with the body and is dropped with it.
                    Ok::<_, std::convert::Infallible>(response.map(|body| {
                        Body::new(body.map_frame(move |frame| {
                            let _sending = &busy;
                            frame
                        }))
                    }))
                }
            })
        };
        let serving = http.serve_connection(TokioIo::new(stream), service);
        let connections = connections.clone();
        let mut stopping = stopping.clone();
        tokio::spawn(async move {
            tokio::pin!(serving);
            tokio::select! {
                // Errors here are the client's (reset, bad request, slow
                // head): hyper has answered what could be answered.
                _ = serving.as_mut() => {}
                () = connection.evict.notified() => {}
                () = async { drop(stopping.wait_for(|stop| *stop).await) } => {
                    serving.as_mut().graceful_shutdown();
                    let _ = tokio::time::timeout(Duration::from_secs(5), serving).await;
                }
            }
            connections.close(id);
        });
    }
    let _ = stop.send(true);
    let deadline = Instant::now() + Duration::from_secs(5);
    while connections.count() > 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_connection_limit_fits_under_the_file_limit() {
        assert_eq!(connection_limit(1024, Some(20_000)), 1024);
        assert_eq!(connection_limit(1024, Some(256)), 192);
        assert_eq!(connection_limit(1024, Some(100)), 50);
        assert_eq!(connection_limit(1024, None), 1024);
        assert_eq!(connection_limit(0, Some(0)), 1);
    }

    #[test]
    fn reads_this_process_file_limit() {
        if std::path::Path::new("/proc/self/limits").exists() {
            assert!(open_file_limit().is_some_and(|n| n > 0));
        }
    }
}
