//! One search over documents, statements, claims and incidents: ranked,
//! filtered, paged, with the matched words highlighted.
//!
//! Its routes are its own (not the page cache's): each search runs on a
//! blocking thread under a time budget, with a flag set when the client
//! goes away, so an abandoned search stops at its next check. Requests for
//! the same search not yet kept share one run (`flights`): the flag is then
//! set only when every one of them has gone.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::{Extension, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use maud::{Markup, html};
use serde_json::json;
use strikewatch_model::read::{SearchHit, SearchRequest, SearchResults};

use super::{Ctx, html};
use crate::AppState;
use crate::client_cache::KnownGeneration;
use crate::error::{FormattedError, PageError};
use crate::flights::{Lead, Role};
use crate::format::{Csv, Format, json};
use crate::layout;
use crate::limits::{Lanes, Turn};
use crate::page_cache::CachedResponse;
use crate::params::{Params, encode};

pub(crate) const MAX_QUERY: usize = 500;
pub(crate) const DEFAULT_PER_PAGE: usize = 20;
pub(crate) const MAX_PER_PAGE: usize = 100;
/// The deepest page one can ask for: hits past it cost more than they help.
pub(crate) const MAX_PAGE: usize = 100;
/// How long one search may run before it answers with what it has.
const BUDGET: Duration = Duration::from_secs(1);
pub(crate) const KINDS: [&str; 4] = ["document", "statement", "claim", "incident"];

/// Sets the flag when dropped: when axum drops the request's future (the
/// client hung up), the search on its blocking thread sees it.
struct CancelOnDrop(Arc<AtomicBool>);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

async fn serve(
    state: AppState,
    params: Params,
    format: Format,
    known: Option<KnownGeneration>,
    lanes: Option<Arc<Lanes>>,
) -> Response {
    let path = format!("/search{}", format.suffix());
    let key = crate::page_cache::key(&path, &params);
    // The same search under the same ledger generation: its kept answer,
    // with no heavy turn and no thread.
    if let Some(KnownGeneration(g)) = known
        && let Some(hit) = state.pages.get(g, &key)
    {
        return kept(hit);
    }
    // A bad request is answered at once: nothing to run, nothing to share.
    if let Err(e) = request(&params) {
        return FormattedError(e, format).into_response();
    }
    let Some(KnownGeneration(generation)) = known else {
        return run(state, params, format, known, lanes, None).await;
    };
    // The same search running for another request: its answer, shared.
    // A follower whose leader lands without one tries once more (it may
    // lead then), and after that runs the search on its own.
    let wait = lanes
        .as_ref()
        .map_or(crate::Limits::default().queue_wait, |l| l.queue_wait())
        + BUDGET
        + FOLLOW_MARGIN;
    for _ in 0..2 {
        match state.searches.join(generation, &key) {
            Role::Lead(lead, _interest) => {
                // Landed and kept between the first look and now.
                if let Some(hit) = state.pages.get(generation, &key) {
                    lead.land(hit.clone());
                    return kept(hit);
                }
                return run(state, params, format, known, lanes, Some(lead)).await;
            }
            Role::Follow(follow, _interest) => {
                if let Some(answer) = follow.answer(wait).await {
                    return kept(answer);
                }
            }
        }
    }
    run(state, params, format, known, lanes, None).await
}

/// How much longer than its leader may take a follower waits.
const FOLLOW_MARGIN: Duration = Duration::from_secs(1);

fn kept(answer: CachedResponse) -> Response {
    (answer.status, answer.headers, answer.body).into_response()
}

/// Runs the search on a heavy-render thread and keeps its answer when it is
/// whole; as the leader of a flight, hands the answer (whole, or cut short
/// by the budget) to the requests waiting for it.
async fn run(
    state: AppState,
    params: Params,
    format: Format,
    known: Option<KnownGeneration>,
    lanes: Option<Arc<Lanes>>,
    lead: Option<Lead>,
) -> Response {
    let path = format!("/search{}", format.suffix());
    let key = crate::page_cache::key(&path, &params);
    // Its lane turn from the middleware, else one taken now. Refused, the
    // lead is dropped here: its followers are told at once.
    let turn = match crate::limits::take_turn().filter(Turn::is_heavy) {
        Some(turn) => Some(turn),
        None => match crate::limits::heavy_turn(lanes).await {
            Ok(turn) => turn,
            Err(busy) => return busy,
        },
    };
    // A flight's search stops when no request wants it any more; a search
    // of its own stops when this request is dropped (the client hung up).
    let cancel = match &lead {
        Some(lead) => lead.cancel(),
        None => Arc::new(AtomicBool::new(false)),
    };
    let _guard = lead.is_none().then(|| CancelOnDrop(cancel.clone()));
    let ctx = Ctx {
        state,
        params,
        format,
    };
    let stopped = cancel.clone();
    let rendered = crate::limits::render(turn, move || {
        let (response, partial) = page_of(&ctx, Some(cancel))?;
        match known {
            // An answer stopped by a hang-up is no one's answer.
            Some(KnownGeneration(g)) if !stopped.load(Ordering::Relaxed) => {
                let answer = super::collect(response)?;
                // Kept only when whole: not cut short by the budget.
                if !partial {
                    ctx.state.pages.put(g, key, answer.clone());
                }
                if let Some(lead) = lead {
                    lead.land(answer.clone());
                }
                Ok(kept(answer))
            }
            _ => Ok(response),
        }
    })
    .await;
    match rendered {
        Ok(Ok(response)) => response,
        Ok(Err(e)) => FormattedError(e, format).into_response(),
        Err(e) => FormattedError(PageError::Internal(e), format).into_response(),
    }
}

pub(crate) fn routes() -> Router<AppState> {
    let mut r = Router::new();
    for format in [Format::Html, Format::Json, Format::Csv] {
        if format != Format::Html {
            crate::openapi::note(&format!("/search{}", format.suffix()));
        }
        r = r.route(
            &format!("/search{}", format.suffix()),
            get(
                move |State(state): State<AppState>,
                      known: Option<Extension<KnownGeneration>>,
                      lanes: Option<Extension<Arc<Lanes>>>,
                      Query(params): Query<Params>| {
                    serve(
                        state,
                        params,
                        format,
                        known.map(|Extension(k)| k),
                        lanes.map(|Extension(l)| l),
                    )
                },
            ),
        );
    }
    r
}

fn one_of(
    name: &str,
    value: Option<String>,
    allowed: &[&str],
) -> Result<Option<String>, PageError> {
    match value {
        Some(v) if !allowed.contains(&v.as_str()) => Err(PageError::BadRequest(format!(
            "{name} must be one of {}",
            allowed.join(", ")
        ))),
        v => Ok(v),
    }
}

/// The search these parameters ask for, checked.
pub(crate) fn request(params: &Params) -> Result<(SearchRequest, usize, usize), PageError> {
    let q = params.q.as_deref().map(str::trim).unwrap_or("");
    if q.chars().count() > MAX_QUERY {
        return Err(PageError::BadRequest(format!(
            "the query is longer than {MAX_QUERY} characters"
        )));
    }
    let filter = params.filter()?;
    let language = filter_language(params)?;
    let page = number("page", &params.page)?.unwrap_or(1);
    if !(1..=MAX_PAGE).contains(&page) {
        return Err(PageError::BadRequest(format!(
            "page must be a whole number from 1 to {MAX_PAGE}"
        )));
    }
    let per_page = number("per_page", &params.per_page)?.unwrap_or(DEFAULT_PER_PAGE);
    if !(1..=MAX_PER_PAGE).contains(&per_page) {
        return Err(PageError::BadRequest(format!(
            "per_page must be a whole number from 1 to {MAX_PER_PAGE}"
        )));
    }
    let request = SearchRequest {
        q: q.to_string(),
        kind: one_of("kind", filter.kind, &KINDS)?,
        from: filter.from,
        to: filter.to,
        region: filter.region,
        speaker: filter.speaker,
        language,
        offset: (page - 1) * per_page,
        limit: per_page,
        budget: Some(BUDGET),
        cancel: None,
    };
    Ok((request, page, per_page))
}

fn number(name: &str, v: &Option<String>) -> Result<Option<usize>, PageError> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s
            .parse::<usize>()
            .map(Some)
            .map_err(|_| PageError::BadRequest(format!("{name} must be a positive whole number"))),
    }
}

fn filter_language(params: &Params) -> Result<Option<String>, PageError> {
    match params
        .language
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => Ok(None),
        Some(l) if (2..=3).contains(&l.len()) && l.bytes().all(|b| b.is_ascii_lowercase()) => {
            Ok(Some(l.to_string()))
        }
        Some(_) => Err(PageError::BadRequest(
            "language must be a two- or three-letter code such as en or es".into(),
        )),
    }
}

/// The search page, and whether its hits are partial (the budget ran out).
fn page_of(ctx: &Ctx, cancel: Option<Arc<AtomicBool>>) -> Result<(Response, bool), PageError> {
    let (mut request, page_no, per_page) = request(&ctx.params)?;
    request.cancel = cancel;
    let results = if request.q.is_empty() {
        SearchResults::default()
    } else {
        ctx.state.ledger.search(&request)?
    };
    let next = results.more.then(|| {
        format!(
            "/search{}{}",
            ctx.format.suffix(),
            ctx.params
                .with("page", Some(&(page_no + 1).to_string()))
                .query()
        )
    });
    let partial = results.partial;
    let response = match ctx.format {
        Format::Json => Ok(json(&json!({
            "q": request.q,
            "page": page_no,
            "per_page": per_page,
            "hits": results.hits,
            "more": results.more,
            "partial": results.partial,
            "next": next,
        }))),
        Format::Csv => {
            let mut csv = Csv::new(&[
                "kind",
                "id",
                "document_id",
                "title",
                "date",
                "region",
                "speaker",
                "language",
                "snippet",
                "rank",
            ]);
            for h in &results.hits {
                csv.row([
                    h.kind.clone(),
                    h.id.clone(),
                    h.document_id.clone(),
                    h.title.clone().unwrap_or_default(),
                    h.date.map(|d| d.to_string()).unwrap_or_default(),
                    h.region.clone().unwrap_or_default(),
                    h.speaker.clone().unwrap_or_default(),
                    h.language.clone().unwrap_or_default(),
                    h.snippet.clone(),
                    h.rank.to_string(),
                ]);
            }
            Ok(csv.finish("search"))
        }
        Format::Html => Ok(html(layout::page(
            &ctx.state.title,
            "Search",
            Some(("/search", &ctx.params.query())),
            body(ctx, &request, &results, page_no, next.as_deref()),
        ))),
    };
    response.map(|r| (r, partial))
}

fn selected(params: &Params, value: &str) -> bool {
    params.kind.as_deref() == Some(value)
}

fn body(
    ctx: &Ctx,
    request: &SearchRequest,
    results: &SearchResults,
    page_no: usize,
    next: Option<&str>,
) -> Markup {
    let p = &ctx.params;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    html! {
        form.filters method="get" action="/search" role="search" {
            label { "Search " input type="search" name="q" value=(request.q) maxlength=(MAX_QUERY); }
            label { "Kind "
                select name="kind" {
                    option value="" { "all" }
                    @for k in KINDS { option value=(k) selected[selected(p, k)] { (k) } }
                }
            }
            label { "From " input type="date" name="from" value=(text(&p.from)); }
            label { "To " input type="date" name="to" value=(text(&p.to)); }
            label { "Region " input type="text" name="region" value=(text(&p.region)) size="12"; }
            label { "Speaker " input type="text" name="speaker" value=(text(&p.speaker)) size="14"; }
            label { "Language " input type="text" name="language" value=(text(&p.language)) size="3" maxlength="3"; }
            button type="submit" { "Search" }
        }
        p.hint { "All words must match, in any form (strike, strikes, striking). "
            "Use \"quotes\" for a phrase, word* for a prefix, -word to leave a word out." }
        @if !request.q.is_empty() {
            @if results.partial {
                p.warning { "The search stopped after its time budget: these results cover part of the archive." }
            }
            @if results.hits.is_empty() {
                p { "No results." }
            } @else {
                ol.hits start=(request.offset + 1) {
                    @for h in &results.hits { (hit(h)) }
                }
            }
            nav.pager {
                @if page_no > 1 {
                    a rel="prev" href={ "/search" (p.with("page", Some(&(page_no - 1).to_string())).query()) } { "← previous" } " "
                }
                "page " (page_no)
                @if let Some(next) = next { " " a rel="next" href=(next) { "next →" } }
            }
        }
    }
}

fn href(h: &SearchHit) -> String {
    match h.kind.as_str() {
        "incident" => format!("/incidents/{}", encode(&h.id)),
        _ => format!("/documents/{}", encode(&h.document_id)),
    }
}

fn hit(h: &SearchHit) -> Markup {
    let label = h.title.clone().unwrap_or_else(|| h.document_id.clone());
    html! {
        li {
            span.kind { (h.kind) } " "
            a href=(href(h)) { (label) }
            @if let Some(d) = h.date { " " span.date { (d) } }
            @if let Some(s) = &h.speaker { " — " span.speaker { (s) } }
            p.snippet { (marked(&h.snippet, &h.highlights)) }
        }
    }
}

/// The snippet with its highlighted ranges in `<mark>`; ranges that are out
/// of bounds, overlapping or off char boundaries are left unmarked.
fn marked(snippet: &str, highlights: &[[usize; 2]]) -> Markup {
    let mut pieces: Vec<(&str, bool)> = Vec::new();
    let mut at = 0;
    for &[a, b] in highlights {
        if a < at || a >= b || snippet.get(a..b).is_none() || snippet.get(at..a).is_none() {
            continue;
        }
        pieces.push((&snippet[at..a], false));
        pieces.push((&snippet[a..b], true));
        at = b;
    }
    pieces.push((snippet.get(at..).unwrap_or(""), false));
    html! {
        @for (text, mark) in pieces {
            @if mark { mark { (text) } } @else { (text) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_escape_and_skip_bad_ranges() {
        let m = marked("a <b> strike", &[[6, 12], [0, 99], [3, 2]]).into_string();
        assert_eq!(m, "a &lt;b&gt; <mark>strike</mark>");
    }

    #[test]
    fn bad_filters_are_refused() {
        let p = Params {
            kind: Some("vessel".into()),
            ..Params::default()
        };
        assert!(request(&p).is_err());
        let p = Params {
            page: Some("101".into()),
            ..Params::default()
        };
        assert!(request(&p).is_err());
    }
}
