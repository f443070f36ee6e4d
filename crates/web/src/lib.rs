//! The public ledger site and its JSON/CSV API.
//!
//! The site serves whatever implements [`LedgerRead`]: it knows nothing of
//! SQL or parsing. Every page has `.json` and `.csv` twins taking the same
//! query parameters. All assets (CSS, JS, map data) are compiled into the
//! binary: the site works with no network. Content from documents is hostile
//! input: all HTML is built with `maud`, which escapes every interpolation,
//! and only `http(s)` URLs become links.

mod as_of;
mod assets;
mod charts;
mod client_cache;
mod cursor;
mod diff;
mod error;
mod flights;
mod format;
mod highlight;
mod layout;
mod limits;
mod map;
mod openapi;
mod page_cache;
mod pages;
mod params;
mod security;
mod server;
mod stream;
mod writes;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use strikewatch_model::public::PublicView;
use strikewatch_model::read::LedgerRead;
use tower_http::trace::TraceLayer;

pub use error::WebError;
pub use limits::Limits;
pub use strikewatch_model::writes::{PostedDocument, WriteBackend, WriteError, WriteScope, Writer};

/// The address `serve` binds by default: loopback only.
pub const DEFAULT_ADDR: SocketAddr =
    SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), 8080);

/// How the site runs. Read-only unless `writes` is set.
#[derive(Clone, Default)]
pub struct WebOptions {
    /// Where writes (document ingest, reviews) go; `None` answers every
    /// write with 403.
    pub writes: Option<Arc<dyn WriteBackend>>,
    /// Site title shown in the header.
    pub title: Option<String>,
    /// How much the server takes on at once.
    pub limits: Limits,
}

/// Shared state of every handler.
#[derive(Clone)]
pub(crate) struct AppState {
    pub ledger: Arc<dyn LedgerRead>,
    pub writes: Option<Arc<dyn WriteBackend>>,
    pub title: Arc<str>,
    /// Rendered pages of the current ledger generation.
    pub pages: Arc<page_cache::PageCache>,
    /// Searches running now, which requests for the same search wait on.
    pub searches: Arc<flights::Flights>,
}

/// The whole site as an axum router (no socket), ready to be served or
/// tested with `tower::ServiceExt::oneshot`. Every page reads through
/// [`PublicView`]: private documents never reach a handler.
pub fn router(state: Arc<dyn LedgerRead>, options: WebOptions) -> Router {
    let app = AppState {
        ledger: Arc::new(PublicView::new(state)),
        writes: options.writes,
        title: options.title.unwrap_or_else(|| "strikewatch".into()).into(),
        pages: Arc::default(),
        searches: Arc::default(),
    };
    let lanes = Arc::new(limits::Lanes::for_site(options.limits));
    pages::routes()
        .layer(writes::body_limit())
        .layer(axum::middleware::from_fn_with_state(
            app.clone(),
            client_cache::validators,
        ))
        .route("/healthz", get(|| async { "ok" }))
        .merge(assets::routes())
        .fallback(error::not_found)
        .with_state(app)
        .layer(axum::middleware::from_fn_with_state(lanes, limits::admit))
        .layer(axum::middleware::map_response(security::headers))
        .layer(client_cache::cors())
        .layer(client_cache::compression())
        .layer(TraceLayer::new_for_http())
}

/// Serves the site on `addr` until Ctrl-C.
pub async fn serve(
    addr: SocketAddr,
    state: Arc<dyn LedgerRead>,
    options: WebOptions,
) -> Result<(), WebError> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| WebError::Bind { addr, source })?;
    serve_on(listener, state, options, async {
        // If the signal handler cannot be installed, serve until killed.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    })
    .await
}

/// Serves the site on a bound `listener` until `shutdown` completes, within
/// the connection and request limits of `options.limits`.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    state: Arc<dyn LedgerRead>,
    options: WebOptions,
    shutdown: impl std::future::Future<Output = ()>,
) -> Result<(), WebError> {
    let local = listener.local_addr().map_err(WebError::Io)?;
    tracing::info!(%local, writes = options.writes.is_some(), "serving the ledger");
    let limits = options.limits.clone();
    server::run(listener, router(state, options), &limits, shutdown).await;
    Ok(())
}
