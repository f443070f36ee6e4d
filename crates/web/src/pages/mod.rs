//! Every page of the site, each with `.json` and `.csv` twins.

mod claims;
mod documents;
mod incidents;
mod map;
mod overview;
mod reconciliation;
mod reviews;
mod search;
mod statements;
mod timeline;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::AppState;
use crate::error::{FormattedError, PageError};
use crate::format::Format;
use crate::page_cache::{CachedResponse, PageCache};
use crate::params::Params;

/// What a listing handler is given.
pub(crate) struct Ctx {
    pub state: AppState,
    pub params: Params,
    pub format: Format,
}

type Handler = fn(&Ctx) -> Result<Response, PageError>;

/// Runs a handler off the async workers (ledger reads may block: SQLite),
/// or answers from the page cache when this URI was rendered under the
/// current ledger generation.
async fn cached(
    ctx: Ctx,
    uri: &Uri,
    handler: impl FnOnce(&Ctx) -> Result<Response, PageError> + Send + 'static,
) -> Response {
    enum Outcome {
        Kept(CachedResponse),
        Rendered(Option<i64>, Result<Response, PageError>),
    }
    let format = ctx.format;
    let key = uri.to_string();
    let pages = ctx.state.pages.clone();
    let lookup = key.clone();
    let found = tokio::task::spawn_blocking(move || {
        // Without a generation nothing is kept. Only the incident pages
        // are kept: other pages also read documents, which can change
        // under one ledger generation.
        let generation = if lookup.starts_with("/incidents") {
            ctx.state.ledger.ledger_generation().ok().flatten()
        } else {
            None
        };
        if let Some(hit) = generation.and_then(|g| ctx.state.pages.get(g, &lookup)) {
            return Outcome::Kept(hit);
        }
        Outcome::Rendered(generation, handler(&ctx))
    })
    .await;
    match found {
        Ok(Outcome::Kept(hit)) => (hit.status, hit.headers, hit.body).into_response(),
        Ok(Outcome::Rendered(Some(g), Ok(response))) => keep(&pages, g, key, response).await,
        Ok(Outcome::Rendered(None, Ok(response))) => response,
        Ok(Outcome::Rendered(_, Err(e))) => FormattedError(e, format).into_response(),
        Err(e) => FormattedError(PageError::Internal(e.to_string()), format).into_response(),
    }
}

/// Stores a rendered response in the page cache and serves it.
async fn keep(pages: &PageCache, generation: i64, key: String, response: Response) -> Response {
    let (parts, body) = response.into_parts();
    match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => {
            pages.put(
                generation,
                key,
                CachedResponse {
                    status: parts.status,
                    headers: parts.headers.clone(),
                    body: bytes.clone(),
                },
            );
            Response::from_parts(parts, axum::body::Body::from(bytes))
        }
        Err(e) => FormattedError(PageError::Internal(e.to_string()), Format::Html).into_response(),
    }
}

async fn run(ctx: Ctx, uri: Uri, handler: Handler) -> Response {
    cached(ctx, &uri, handler).await
}

/// Registers `path`, `path.json` and `path.csv` on one handler.
fn twins(router: Router<AppState>, path: &str, handler: Handler) -> Router<AppState> {
    let r = router.route(
        path,
        get(
            move |State(state): State<AppState>, uri: Uri, Query(params): Query<Params>| {
                run(
                    Ctx {
                        state,
                        params,
                        format: Format::Html,
                    },
                    uri,
                    handler,
                )
            },
        ),
    );
    data_twins(r, path, handler)
}

/// Registers only `path.json` and `path.csv` (the HTML route is set apart).
fn data_twins(router: Router<AppState>, path: &str, handler: Handler) -> Router<AppState> {
    let mut r = router;
    for format in [Format::Json, Format::Csv] {
        let full = if path == "/" {
            format!("/index{}", format.suffix())
        } else {
            format!("{path}{}", format.suffix())
        };
        r = r.route(
            &full,
            get(
                move |State(state): State<AppState>, uri: Uri, Query(params): Query<Params>| {
                    run(
                        Ctx {
                            state,
                            params,
                            format,
                        },
                        uri,
                        handler,
                    )
                },
            ),
        );
    }
    r
}

/// Registers `path/{id}` where the id may end in `.json` or `.csv`.
fn item(
    router: Router<AppState>,
    path: &str,
    handler: fn(&Ctx, &str) -> Result<Response, PageError>,
) -> Router<AppState> {
    router.route(
        &format!("{path}/{{id}}"),
        get(
            move |State(state): State<AppState>,
                  uri: Uri,
                  Path(raw): Path<String>,
                  Query(params): Query<Params>| async move {
                let (id, format) = Format::split(&raw);
                let id = id.to_string();
                let ctx = Ctx {
                    state,
                    params,
                    format,
                };
                cached(ctx, &uri, move |ctx| handler(ctx, &id)).await
            },
        ),
    )
}

pub(crate) fn routes() -> Router<AppState> {
    let mut r = Router::new();
    r = twins(r, "/", overview::page);
    r = twins(r, "/incidents", incidents::list);
    r = item(r, "/incidents", incidents::detail);
    r = twins(r, "/timeline", timeline::page);
    r = twins(r, "/map", map::page);
    r = twins(r, "/statements", statements::page);
    r = twins(r, "/claims", claims::page);
    r = twins(r, "/reconciliation", reconciliation::page);
    r = twins(r, "/search", search::page);
    r = item(r, "/documents", documents::viewer);
    r = data_twins(r, "/reviews", reviews::page);
    r.route(
        "/reviews",
        get(
            |State(state): State<AppState>, uri: Uri, Query(params): Query<Params>| {
                run(
                    Ctx {
                        state,
                        params,
                        format: Format::Html,
                    },
                    uri,
                    reviews::page,
                )
            },
        )
        .post(crate::writes::post_review),
    )
    .route(
        "/documents",
        axum::routing::post(crate::writes::post_document),
    )
}

/// An HTML page as a response.
pub(crate) fn html(markup: maud::Markup) -> Response {
    axum::response::Html(markup.into_string()).into_response()
}
