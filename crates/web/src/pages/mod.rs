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
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::AppState;
use crate::error::{FormattedError, PageError};
use crate::format::Format;
use crate::params::Params;

/// What a listing handler is given.
pub(crate) struct Ctx {
    pub state: AppState,
    pub params: Params,
    pub format: Format,
}

type Handler = fn(&Ctx) -> Result<Response, PageError>;

/// Runs a handler off the async workers: ledger reads may block (SQLite).
async fn run(ctx: Ctx, handler: Handler) -> Response {
    let format = ctx.format;
    match tokio::task::spawn_blocking(move || handler(&ctx)).await {
        Ok(Ok(response)) => response,
        Ok(Err(e)) => FormattedError(e, format).into_response(),
        Err(e) => FormattedError(PageError::Internal(e.to_string()), format).into_response(),
    }
}

/// Registers `path`, `path.json` and `path.csv` on one handler.
fn twins(router: Router<AppState>, path: &str, handler: Handler) -> Router<AppState> {
    let r = router.route(
        path,
        get(
            move |State(state): State<AppState>, Query(params): Query<Params>| {
                run(
                    Ctx {
                        state,
                        params,
                        format: Format::Html,
                    },
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
                move |State(state): State<AppState>, Query(params): Query<Params>| {
                    run(
                        Ctx {
                            state,
                            params,
                            format,
                        },
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
                  Path(raw): Path<String>,
                  Query(params): Query<Params>| async move {
                let (id, format) = Format::split(&raw);
                let id = id.to_string();
                let ctx = Ctx {
                    state,
                    params,
                    format,
                };
                match tokio::task::spawn_blocking(move || handler(&ctx, &id)).await {
                    Ok(Ok(response)) => response,
                    Ok(Err(e)) => FormattedError(e, format).into_response(),
                    Err(e) => {
                        FormattedError(PageError::Internal(e.to_string()), format).into_response()
                    }
                }
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
            |State(state): State<AppState>, Query(params): Query<Params>| {
                run(
                    Ctx {
                        state,
                        params,
                        format: Format::Html,
                    },
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
