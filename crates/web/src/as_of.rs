//! `?as_of=DATE`: the ledger as it stood at the end of a day, served through
//! the same pages. The backend answers with the listing rows and
//! reconciliation rows valid that day ([`LedgerRead::ledger_as_of`]); this
//! wraps them in a [`LedgerRead`] so the overview, incidents, timeline, map
//! and reconciliation pages draw from it unchanged. Documents, search and
//! reviews are read from the current ledger.

use std::sync::Arc;

use chrono::NaiveDate;
use strikewatch_model::Document;
use strikewatch_model::ledger::{Incident, Reconciliation, Review};
use strikewatch_model::read::{
    ClaimRow, Filter, IncidentFacets, IncidentOrder, IncidentSummary, LedgerRead, ReadError,
    ReadResult, SearchRequest, SearchResults, StatementRow, SummaryPage,
};
use strikewatch_model::tracking::LedgerAsOf;

use maud::{Markup, html};
use strikewatch_model::tracking::{ChangeKind, IncidentChange};

use crate::error::PageError;
use crate::params::{Params, encode};

/// Pages that can be shown as of a past day.
pub(crate) const AS_OF_PAGES: [&str; 5] =
    ["/", "/incidents", "/timeline", "/map", "/reconciliation"];

/// True when `path` (a route, twins included) can be shown as of a day.
pub(crate) fn supports_as_of(path: &str) -> bool {
    let base = path
        .strip_suffix(".json")
        .or_else(|| path.strip_suffix(".csv"))
        .unwrap_or(path);
    let base = if base == "/index" { "/" } else { base };
    AS_OF_PAGES.contains(&base)
}

/// The `as_of` parameter as a day: 400 with a clear message when it is not one.
pub(crate) fn parse_as_of(raw: Option<&str>) -> Result<Option<NaiveDate>, PageError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                PageError::BadRequest(format!(
                    "as_of must be a date YYYY-MM-DD (the ledger as it stood at the end of that day), not `{s}`"
                ))
            }),
    }
}

/// The ledger of one past day over the current one.
pub(crate) struct AsOfLedger {
    snapshot: LedgerAsOf,
    current: Arc<dyn LedgerRead>,
}

impl AsOfLedger {
    /// The ledger at the end of `day`, or a 400 when the backend keeps no
    /// history.
    pub fn load(current: Arc<dyn LedgerRead>, day: NaiveDate) -> Result<AsOfLedger, PageError> {
        let snapshot = current.ledger_as_of(day)?.ok_or_else(|| {
            PageError::BadRequest("this ledger keeps no history: as_of is not available".into())
        })?;
        Ok(AsOfLedger { snapshot, current })
    }
}

fn overlaps(first: Option<NaiveDate>, last: Option<NaiveDate>, filter: &Filter) -> bool {
    let last = last.or(first);
    if filter.from.is_some_and(|f| last.is_none_or(|d| d < f)) {
        return false;
    }
    filter.to.is_none_or(|t| first.is_some_and(|d| d <= t))
}

fn summary_matches(s: &IncidentSummary, filter: &Filter) -> bool {
    let first = s.date.or(s.date_from);
    let last = s.date.or(s.date_to);
    let q = filter.q.as_deref().map(str::to_lowercase);
    overlaps(first, last, filter)
        && filter
            .region
            .as_deref()
            .is_none_or(|r| s.region.as_deref().unwrap_or("unknown") == r)
        && filter
            .grade
            .as_deref()
            .is_none_or(|g| s.grade.as_str() == g)
        && q.is_none_or(|q| s.id.to_lowercase().contains(&q))
}

fn no_full_incidents() -> ReadError {
    ReadError("full incidents are not kept for past days; drop as_of".into())
}

impl LedgerRead for AsOfLedger {
    fn incidents(&self, _filter: &Filter) -> ReadResult<Vec<Incident>> {
        Err(no_full_incidents())
    }

    fn incident(&self, _id: &str) -> ReadResult<Option<Incident>> {
        Err(no_full_incidents())
    }

    fn document(&self, id: &str) -> ReadResult<Option<Document>> {
        self.current.document(id)
    }

    fn statements(&self, filter: &Filter) -> ReadResult<Vec<StatementRow>> {
        self.current.statements(filter)
    }

    fn claims(&self, filter: &Filter) -> ReadResult<Vec<ClaimRow>> {
        self.current.claims(filter)
    }

    fn reconciliation(&self, filter: &Filter) -> ReadResult<Vec<Reconciliation>> {
        Ok(self
            .snapshot
            .reconciliation
            .iter()
            .filter(|r| {
                r.as_of
                    .map_or(filter.from.is_none() && filter.to.is_none(), |d| {
                        filter.from.is_none_or(|f| d >= f) && filter.to.is_none_or(|t| d <= t)
                    })
            })
            .skip(filter.offset.unwrap_or(0))
            .take(filter.limit.unwrap_or(usize::MAX))
            .cloned()
            .collect())
    }

    fn reviews(&self) -> ReadResult<Vec<Review>> {
        self.current.reviews()
    }

    fn search(&self, request: &SearchRequest) -> ReadResult<SearchResults> {
        self.current.search(request)
    }

    fn document_count(&self) -> ReadResult<u64> {
        Ok(self.snapshot.documents)
    }

    fn incident_summaries(&self, filter: &Filter, order: IncidentOrder) -> ReadResult<SummaryPage> {
        let rows: Vec<IncidentSummary> = self
            .snapshot
            .incidents
            .iter()
            .filter(|s| summary_matches(s, filter))
            .cloned()
            .collect();
        SummaryPage::of(rows, order, filter)
    }

    fn incident_facets(&self, filter: &Filter) -> ReadResult<IncidentFacets> {
        Ok(IncidentFacets::count(
            self.snapshot
                .incidents
                .iter()
                .filter(|s| summary_matches(s, filter)),
        ))
    }

    fn ledger_generation(&self) -> ReadResult<Option<i64>> {
        self.current.ledger_generation()
    }

    fn ledger_as_of(&self, day: NaiveDate) -> ReadResult<Option<LedgerAsOf>> {
        self.current.ledger_as_of(day)
    }
}

/// The notice on a page shown as of a past day, with a link to today's.
pub(crate) fn banner(path: &str, params: &Params) -> Markup {
    match params
        .as_of
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => html! {},
        Some(day) => html! {
            p.as-of role="note" {
                "The ledger as it stood at the end of " strong { (day) }
                ": documents published on or before that day, reviews made on or before it. "
                a href={ (path) (params.with("as_of", None).query()) } { "Today's ledger →" }
            }
        },
    }
}

fn change_line(c: &IncidentChange) -> Markup {
    html! {
        li {
            strong { (c.day.map_or_else(|| "undated".to_string(), |d| d.to_string())) } " · "
            (c.kind.as_str())
            @if let Some(into) = &c.into { " into " a href={ "/incidents/" (encode(into)) } { (into) } }
            @if !c.fields.is_empty() { " · "
                @for (n, f) in c.fields.iter().enumerate() {
                    @if n > 0 { ", " }
                    (f.field) " " (f.from.as_deref().unwrap_or("—")) " → " (f.to.as_deref().unwrap_or("—"))
                }
            }
            " — " (c.cause)
            @if c.kind != ChangeKind::Deleted && c.kind != ChangeKind::Merged {
                @if let Some(d) = c.day { " " a href={ "/incidents?as_of=" (d) } { "(ledger that day)" } }
            }
        }
    }
}

/// An incident's history: every dated change, oldest first.
pub(crate) fn history_section(changes: &[IncidentChange]) -> Markup {
    if changes.is_empty() {
        return html! {};
    }
    html! {
        h2 { "History" }
        p { "Dated by the publication day of the documents (and the day of the reviews) that changed it." }
        ol.history { @for c in changes { (change_line(c)) } }
    }
}
