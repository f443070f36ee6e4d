//! Every page of the site, each with `.json` and `.csv` twins.

mod changes;
mod claims;
mod documents;
mod incidents;
mod map;
mod overview;
mod reconciliation;
mod reviews;
pub(crate) mod search;
mod statements;
mod timeline;
mod trackers;

use axum::Router;
use axum::extract::{Extension, Path, Query, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::AppState;
use crate::client_cache::KnownGeneration;
use crate::error::{FormattedError, PageError};
use crate::format::Format;
use crate::page_cache::CachedResponse;
use crate::params::Params;
use crate::stream::Exporter;

/// The summaries of the incidents `filter` matches, in the ledger's own
/// order: what charts, the map and the overview draw, without loading any
/// incident's reports.
pub(crate) fn summaries(
    state: &AppState,
    filter: &strikewatch_model::read::Filter,
) -> Result<Vec<strikewatch_model::read::IncidentSummary>, PageError> {
    Ok(state
        .ledger
        .incident_summaries(filter, strikewatch_model::read::IncidentOrder::default())?
        .rows)
}

/// What a listing handler is given.
pub(crate) struct Ctx {
    pub state: AppState,
    pub params: Params,
    pub format: Format,
}

type Handler = fn(&Ctx) -> Result<Response, PageError>;

/// Runs a handler off the async workers (ledger reads may block: SQLite),
/// or answers from the page cache when this URI was rendered under the
/// current ledger generation. Concurrent requests for a page not yet kept
/// share one render.
async fn cached(
    ctx: Ctx,
    uri: &Uri,
    known: Option<KnownGeneration>,
    handler: impl FnOnce(&Ctx) -> Result<Response, PageError> + Send + 'static,
) -> Response {
    enum Outcome {
        Kept(CachedResponse),
        Rendered(Response),
    }
    let format = ctx.format;
    let key = crate::page_cache::key(uri.path(), &ctx.params);
    let keep = crate::page_cache::keeps(&key);
    // A kept page is answered here, on the async worker: no thread hop, no
    // ledger read.
    if keep
        && let Some(KnownGeneration(g)) = known
        && let Some(hit) = ctx.state.pages.get(g, &key)
    {
        return (hit.status, hit.headers, hit.body).into_response();
    }
    let path = uri.path().to_string();
    // The lane turn goes with the render, held until it ends.
    let turn = crate::limits::take_turn();
    let found = crate::limits::render(turn, move || {
        let ctx = with_as_of(ctx, &path)?;
        // Without a generation nothing is kept (`page_cache::keeps` says
        // which pages are).
        let generation = if keep {
            ctx.state.ledger.ledger_generation().ok().flatten()
        } else {
            None
        };
        match generation {
            Some(g) => ctx
                .state
                .pages
                .render_once(g, &key, || handler(&ctx).and_then(collect))
                .map(Outcome::Kept),
            None => handler(&ctx).map(Outcome::Rendered),
        }
    })
    .await;
    match found {
        Ok(Ok(Outcome::Kept(hit))) => (hit.status, hit.headers, hit.body).into_response(),
        Ok(Ok(Outcome::Rendered(response))) => response,
        Ok(Err(e)) => FormattedError(e, format).into_response(),
        Err(e) => FormattedError(PageError::Internal(e), format).into_response(),
    }
}

/// The context a handler sees: with `?as_of=DATE`, the ledger as it stood
/// at the end of that day (only on the pages that can show it).
pub(crate) fn with_as_of(ctx: Ctx, path: &str) -> Result<Ctx, PageError> {
    let Some(day) = crate::as_of::parse_as_of(ctx.params.as_of.as_deref())? else {
        return Ok(ctx);
    };
    if !crate::as_of::supports_as_of(path) {
        return Err(PageError::BadRequest(format!(
            "as_of works on the overview, incidents, timeline, map and reconciliation pages, not on {path}"
        )));
    }
    let view = crate::as_of::AsOfLedger::load(ctx.state.ledger.clone(), day)?;
    let mut state = ctx.state.clone();
    state.ledger = std::sync::Arc::new(view);
    Ok(Ctx { state, ..ctx })
}

/// A rendered response as bytes, to keep and to share. Pages are rendered
/// whole into memory, so the body is ready at once; this runs on a blocking
/// thread, where waiting on it is allowed.
pub(crate) fn collect(response: Response) -> Result<CachedResponse, PageError> {
    let (parts, body) = response.into_parts();
    let bytes = tokio::runtime::Handle::current()
        .block_on(axum::body::to_bytes(body, usize::MAX))
        .map_err(|e| PageError::Internal(e.to_string()))?;
    Ok(CachedResponse {
        status: parts.status,
        headers: parts.headers,
        body: bytes,
    })
}

/// Answers a page: its `.csv`/`.json` twin streamed whole when it asks for
/// `_stream` (listings with an exporter only), else rendered or kept.
async fn run(
    ctx: Ctx,
    uri: Uri,
    known: Option<KnownGeneration>,
    handler: Handler,
    export: Option<Exporter>,
) -> Response {
    if ctx.format != Format::Html {
        match (crate::stream::wanted(ctx.params.stream.as_deref()), export) {
            (Err(e), _) => return FormattedError(e, ctx.format).into_response(),
            (Ok(true), Some(exporter)) => {
                // Ignored by a stream, but checked like everywhere else: a
                // malformed page number is refused, never passed over.
                if let Err(e) = ctx.params.paging() {
                    return FormattedError(e, ctx.format).into_response();
                }
                let turn = crate::limits::take_turn();
                let path = uri.path().to_string();
                return crate::stream::respond(ctx, path, exporter, turn).await;
            }
            (Ok(true), None) => {
                let e = PageError::BadRequest(format!(
                    "_stream works on the listings ({}), not on {}",
                    STREAMED.join(", "),
                    uri.path()
                ));
                return FormattedError(e, ctx.format).into_response();
            }
            (Ok(false), _) => {}
        }
    }
    cached(ctx, &uri, known, handler).await
}

/// The listings whose twins stream (`_stream`), for messages and the API
/// description.
pub(crate) const STREAMED: [&str; 4] = ["/incidents", "/statements", "/claims", "/changes"];

/// The exporter of a listing's twins.
fn exporter(path: &str) -> Option<Exporter> {
    Some(match path {
        "/incidents" => incidents::export,
        "/statements" => statements::export,
        "/claims" => claims::export,
        "/changes" => changes::export,
        _ => return None,
    })
}

/// Registers `path`, `path.json` and `path.csv` on one handler.
fn twins(router: Router<AppState>, path: &str, handler: Handler) -> Router<AppState> {
    let r = router.route(
        path,
        get(
            move |State(state): State<AppState>,
                  known: Option<Extension<KnownGeneration>>,
                  uri: Uri,
                  Query(params): Query<Params>| {
                run(
                    Ctx {
                        state,
                        params,
                        format: Format::Html,
                    },
                    uri,
                    known.map(|Extension(k)| k),
                    handler,
                    None,
                )
            },
        ),
    );
    data_twins(r, path, handler)
}

/// Registers only `path.json` and `path.csv` (the HTML route is set apart).
fn data_twins(router: Router<AppState>, path: &str, handler: Handler) -> Router<AppState> {
    let mut r = router;
    let export = exporter(path);
    for format in [Format::Json, Format::Csv] {
        let full = if path == "/" {
            format!("/index{}", format.suffix())
        } else {
            format!("{path}{}", format.suffix())
        };
        crate::openapi::note(&full);
        r = r.route(
            &full,
            get(
                move |State(state): State<AppState>,
                      known: Option<Extension<KnownGeneration>>,
                      uri: Uri,
                      Query(params): Query<Params>| {
                    run(
                        Ctx {
                            state,
                            params,
                            format,
                        },
                        uri,
                        known.map(|Extension(k)| k),
                        handler,
                        export,
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
    for format in [Format::Json, Format::Csv] {
        crate::openapi::note(&format!("{path}/{{id}}{}", format.suffix()));
    }
    router.route(
        &format!("{path}/{{id}}"),
        get(
            move |State(state): State<AppState>,
                  known: Option<Extension<KnownGeneration>>,
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
                let known = known.map(|Extension(k)| k);
                cached(ctx, &uri, known, move |ctx| handler(ctx, &id)).await
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
    r = r.merge(search::routes());
    r = item(r, "/documents", documents::viewer);
    r = twins(r, "/trackers", trackers::list);
    r = item(r, "/trackers", trackers::detail);
    r = data_twins(r, "/changes", changes::page);
    r = data_twins(r, "/reviews", reviews::page);
    crate::openapi::note("/reviews");
    r.route(
        "/reviews",
        get(
            |State(state): State<AppState>,
             known: Option<Extension<KnownGeneration>>,
             uri: Uri,
             Query(params): Query<Params>| {
                run(
                    Ctx {
                        state,
                        params,
                        format: Format::Html,
                    },
                    uri,
                    known.map(|Extension(k)| k),
                    reviews::page,
                    None,
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
