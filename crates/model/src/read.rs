//! The read-only query surface over a built ledger. Storage backends
//! implement it; the web layer and exports depend only on this trait.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::document::Document;
use crate::extraction::{Claim, ClaimKind, Span, Statement};
use crate::ledger::{CountRange, Grade, Incident, IncidentPart, Reconciliation, Review, Suspicion};

/// At most this many source URLs are carried by one [`IncidentSummary`]:
/// the incident page lists them all.
pub const SUMMARY_SOURCES: usize = 5;

/// One row of the incidents table: the incident's figures and counts of its
/// reports, without the reports themselves, so a listing costs the same
/// however many documents an incident gathers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentSummary {
    pub id: String,
    pub date: Option<NaiveDate>,
    pub date_from: Option<NaiveDate>,
    pub date_to: Option<NaiveDate>,
    pub region: Option<String>,
    pub point: Option<[f64; 2]>,
    pub point_precision: Option<String>,
    pub vessels: CountRange,
    pub killed: CountRange,
    pub survivors: CountRange,
    pub official_killed: Option<u32>,
    pub grade: Grade,
    /// How many reports back the incident, and how many are official.
    pub report_count: usize,
    pub official_report_count: usize,
    /// The fields sources disagree on.
    pub conflicts: Vec<String>,
    /// The first distinct source URLs, at most [`SUMMARY_SOURCES`].
    pub sources: Vec<String>,
    /// The seas of a multi-sea announcement (empty for one sea).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<IncidentPart>,
    /// Why it is graded `suspect`, when it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspect: Option<Suspicion>,
}

impl IncidentSummary {
    pub fn of(i: &Incident) -> IncidentSummary {
        let mut sources: Vec<String> = Vec::new();
        for url in i.reports.iter().filter_map(|r| r.url.as_ref()) {
            if sources.len() >= SUMMARY_SOURCES {
                break;
            }
            if !sources.contains(url) {
                sources.push(url.clone());
            }
        }
        IncidentSummary {
            id: i.id.clone(),
            date: i.date,
            date_from: i.date_from,
            date_to: i.date_to,
            region: i.region.clone(),
            point: i.point,
            point_precision: i.point_precision.clone(),
            vessels: i.vessels,
            killed: i.killed,
            survivors: i.survivors,
            official_killed: i.official_killed,
            grade: i.grade,
            report_count: i.reports.len(),
            official_report_count: i.reports.iter().filter(|r| r.official).count(),
            conflicts: i.conflicts.iter().map(|c| c.field.clone()).collect(),
            sources,
            parts: i.parts.clone(),
            suspect: i.suspect.clone(),
        }
    }

    /// The day the incident is listed under: its date, else its first day.
    pub fn sort_day(&self) -> Option<NaiveDate> {
        self.date.or(self.date_from)
    }
}

/// The column incidents are listed by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IncidentSort {
    /// The ledger's own order: first day, then id.
    #[default]
    Date,
    /// Highest count of killed, then date.
    Killed,
    /// Region (unknown first), then date.
    Region,
    /// Grade from declared to retracted, then date.
    Grade,
    /// Number of reports, then date.
    Reports,
}

impl IncidentSort {
    /// The sort named in a query (`date`, `killed`, ...); anything else is
    /// the ledger's own order.
    pub fn parse(name: &str) -> IncidentSort {
        match name {
            "killed" => IncidentSort::Killed,
            "region" => IncidentSort::Region,
            "grade" => IncidentSort::Grade,
            "reports" => IncidentSort::Reports,
            _ => IncidentSort::Date,
        }
    }
}

/// How a listing is ordered: a column, ascending unless `descending` (which
/// reverses the whole order, ties included).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentOrder {
    pub sort: IncidentSort,
    pub descending: bool,
}

impl IncidentOrder {
    /// Sorts rows that are in the ledger's own order.
    pub fn sort(&self, rows: &mut [IncidentSummary]) {
        match self.sort {
            IncidentSort::Date => rows.sort_by(|a, b| {
                a.sort_day()
                    .cmp(&b.sort_day())
                    .then_with(|| a.id.cmp(&b.id))
            }),
            IncidentSort::Killed => {
                rows.sort_by(|a, b| a.killed.max.cmp(&b.killed.max).then(a.date.cmp(&b.date)))
            }
            IncidentSort::Region => {
                rows.sort_by(|a, b| a.region.cmp(&b.region).then(a.date.cmp(&b.date)))
            }
            IncidentSort::Grade => {
                rows.sort_by(|a, b| a.grade.cmp(&b.grade).then(a.date.cmp(&b.date)))
            }
            IncidentSort::Reports => rows.sort_by(|a, b| {
                a.report_count
                    .cmp(&b.report_count)
                    .then(a.date.cmp(&b.date))
            }),
        }
        if self.descending {
            rows.reverse();
        }
    }
}

/// Counts of filtered incidents per value of region (`unknown` when
/// none), grade and month (`YYYY-MM` of the listed day; undated incidents
/// are not counted there).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentFacets {
    pub region: BTreeMap<String, usize>,
    pub grade: BTreeMap<String, usize>,
    pub month: BTreeMap<String, usize>,
}

impl IncidentFacets {
    pub fn count<'a>(rows: impl IntoIterator<Item = &'a IncidentSummary>) -> IncidentFacets {
        let mut out = IncidentFacets::default();
        for i in rows {
            let region = i.region.clone().unwrap_or_else(|| "unknown".into());
            *out.region.entry(region).or_default() += 1;
            *out.grade.entry(i.grade.as_str().to_string()).or_default() += 1;
            if let Some(d) = i.sort_day() {
                *out.month.entry(d.format("%Y-%m").to_string()).or_default() += 1;
            }
        }
        out
    }
}

/// One page of a listing and the number of rows on every page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummaryPage {
    pub rows: Vec<IncidentSummary>,
    pub total: usize,
    /// When rows follow the page: the cursor of its last row, which
    /// `Filter::after` takes back for the next page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

impl SummaryPage {
    /// The page `filter` asks for (its cursor, else its offset, and its
    /// limit) out of every matching row, sorted by `order`; `total` counts
    /// them all. The cursor is a row count.
    pub fn of(
        mut rows: Vec<IncidentSummary>,
        order: IncidentOrder,
        filter: &Filter,
    ) -> ReadResult<SummaryPage> {
        order.sort(&mut rows);
        let ListingPage { rows, total, next } = ListingPage::of_all(rows, filter)?;
        Ok(SummaryPage { rows, total, next })
    }
}

/// Filters shared by every listing. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub region: Option<String>,
    pub grade: Option<String>,
    pub speaker: Option<String>,
    pub kind: Option<String>,
    /// Full-text query.
    pub q: Option<String>,
    pub limit: Option<usize>,
    pub offset: Option<usize>,
    /// The page starts after the row this cursor names (the `next` of a
    /// page read before, in the same order); `offset` is then ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
}

impl Filter {
    /// The same filter over the whole listing: no page, no limit.
    pub fn unpaged(&self) -> Filter {
        Filter {
            limit: None,
            offset: None,
            after: None,
            ..self.clone()
        }
    }
}

/// A statement with the document it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementRow {
    pub document_id: String,
    pub statement_index: usize,
    pub url: Option<String>,
    pub published: Option<NaiveDate>,
    pub statement: Statement,
    /// Set when the page was edited or deleted after the statement was read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edit: Option<crate::versions::StatementEdit>,
}

/// One chunk of a listing read in its listed order, and the cursor the
/// next chunk starts after (`None` once the last row has been read). A
/// cursor is opaque: only the backend that gave it reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct Chunk<T> {
    pub rows: Vec<T>,
    pub next: Option<String>,
}

/// Where a listing read by a row-count cursor starts.
fn counted_cursor(after: Option<&str>) -> ReadResult<usize> {
    match after {
        None => Ok(0),
        Some(c) => c.parse::<usize>().map_err(|_| ReadError::bad_cursor(c)),
    }
}

impl<T> Chunk<T> {
    /// The chunk of `limit` rows after `after` out of every row, already in
    /// order; the cursor is a row count. Backends without an index of the
    /// listing order answer with this.
    pub fn of_all(rows: Vec<T>, after: Option<&str>, limit: usize) -> ReadResult<Chunk<T>> {
        let start = counted_cursor(after)?;
        let limit = limit.max(1);
        let total = rows.len();
        let rows: Vec<T> = rows.into_iter().skip(start).take(limit).collect();
        let end = start.saturating_add(rows.len());
        let next = (end < total).then(|| end.to_string());
        Ok(Chunk { rows, next })
    }
}

/// One page of a listing (`filter.after` or `filter.offset`,
/// `filter.limit`) and how many rows the whole listing holds.
#[derive(Debug, Clone, PartialEq)]
pub struct ListingPage<T> {
    pub rows: Vec<T>,
    pub total: usize,
    /// When rows follow the page: the cursor of its last row, which
    /// `Filter::after` takes back for the next page.
    pub next: Option<String>,
}

impl<T> ListingPage<T> {
    /// The page `filter` asks for out of every row, already in order; the
    /// cursor is a row count. Backends without an index of the listing
    /// order answer with this.
    pub fn of_all(rows: Vec<T>, filter: &Filter) -> ReadResult<ListingPage<T>> {
        let total = rows.len();
        let start = match filter.after.as_deref() {
            Some(c) => counted_cursor(Some(c))?,
            None => filter.offset.unwrap_or(0),
        };
        let rows: Vec<T> = rows
            .into_iter()
            .skip(start)
            .take(filter.limit.unwrap_or(usize::MAX))
            .collect();
        let end = start.saturating_add(rows.len());
        let next = (!rows.is_empty() && end < total).then(|| end.to_string());
        Ok(ListingPage { rows, total, next })
    }
}

/// The order statements are listed in, before ties (see
/// [`sort_statement_rows`]).
pub fn statement_order(a: &StatementRow, b: &StatementRow) -> std::cmp::Ordering {
    a.statement
        .said_at
        .or(a.published)
        .cmp(&b.statement.said_at.or(b.published))
        .then_with(|| a.document_id.cmp(&b.document_id))
        .then_with(|| a.statement_index.cmp(&b.statement_index))
}

/// One page of a listing whose stored rows are read a window at a time
/// from an index of their order, merged with a few rows kept nowhere
/// (`extra`: statements only an earlier version of a page holds), as if
/// every row had been sorted together: stored rows come before extra rows
/// of the same key, and `descending` reverses the whole order.
///
/// `window` holds the stored rows from `window_start` on, in listed order,
/// at least `limit + extra.len()` of them unless the listing ends sooner;
/// `window_start` is `offset - extra.len()` (0 when that is negative), so
/// that every extra row placed before the window's first row lies before
/// the page. `stored_total` counts every stored row.
#[allow(clippy::too_many_arguments)]
pub fn merge_page<T>(
    window: Vec<T>,
    window_start: usize,
    stored_total: usize,
    mut extra: Vec<T>,
    order: impl Fn(&T, &T) -> std::cmp::Ordering,
    descending: bool,
    offset: usize,
    limit: usize,
) -> Vec<T> {
    // Extra rows in listed order (ties keep the order they came in).
    extra.sort_by(&order);
    if descending {
        extra.reverse();
    }
    let extra_first = |e: &T, s: &T| {
        if descending {
            order(e, s).is_ge()
        } else {
            order(e, s).is_lt()
        }
    };
    let reaches_end = window_start + window.len() >= stored_total;
    let mut extra = extra.into_iter().peekable();
    // Where the merged run starts in the whole listing.
    let mut base = window_start;
    if window_start > 0 {
        if let Some(first) = window.first() {
            while extra.next_if(|e| extra_first(e, first)).is_some() {
                base += 1;
            }
        } else {
            // The window starts past the stored rows: so does the page.
            return Vec::new();
        }
    }
    let mut merged = Vec::with_capacity(window.len() + extra.len());
    for s in window {
        while let Some(e) = extra.next_if(|e| extra_first(e, &s)) {
            merged.push(e);
        }
        merged.push(s);
    }
    if reaches_end {
        merged.extend(extra);
    }
    merged
        .into_iter()
        .skip(offset.saturating_sub(base))
        .take(limit)
        .collect()
}

/// Statements in their listed order: by day (said, else published;
/// undated first), document, place in the document; ties keep the order
/// they came in. `descending` reverses the whole list.
pub fn sort_statement_rows(rows: &mut [StatementRow], descending: bool) {
    rows.sort_by(statement_order);
    if descending {
        rows.reverse();
    }
}

/// Claims in their listed order: by publication day (undated first),
/// document, place in the document; ties keep the order they came in.
/// `descending` reverses the whole list.
pub fn sort_claim_rows(rows: &mut [ClaimRow], descending: bool) {
    rows.sort_by(|a, b| {
        a.published
            .cmp(&b.published)
            .then_with(|| a.document_id.cmp(&b.document_id))
            .then_with(|| a.claim.span.start.cmp(&b.claim.span.start))
    });
    if descending {
        rows.reverse();
    }
}

/// The month a claim is counted under: `YYYY-MM` of its publication day,
/// or `undated`.
pub fn claim_month(published: Option<NaiveDate>) -> String {
    published
        .map(|d| d.format("%Y-%m").to_string())
        .unwrap_or_else(|| "undated".into())
}

/// A claim with the document it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimRow {
    pub document_id: String,
    pub url: Option<String>,
    pub published: Option<NaiveDate>,
    pub claim: Claim,
}

/// What a search asks for: free text, filters and one page of hits.
///
/// `q` is read as words (all must match, in any inflection the language's
/// stemmer joins), `"quoted phrases"`, `prefix*` and `-excluded` words.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    pub q: String,
    /// `document`, `statement`, `claim` or `incident`.
    pub kind: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub region: Option<String>,
    pub speaker: Option<String>,
    /// ISO 639-1 code of the document's language (`en`, `es`, ...).
    pub language: Option<String>,
    pub offset: usize,
    pub limit: usize,
    /// How long the search may take; past it, the hits found so far are
    /// returned with `partial` set.
    pub budget: Option<std::time::Duration>,
    /// Set by the caller when the answer is no longer wanted (the client
    /// went away): the search stops at its next check.
    pub cancel: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
}

/// One page of search hits, best first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    /// More hits follow this page.
    pub more: bool,
    /// The time budget ran out: the ranking covers only part of the index.
    pub partial: bool,
}

/// A full-text search hit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    /// `document`, `statement`, `claim` or `incident`.
    pub kind: String,
    /// The id of what was found: the document, the incident, or
    /// `DOCUMENT#N` for the Nth statement or claim of a document.
    pub id: String,
    /// The document it comes from (for an incident: its first report's).
    pub document_id: String,
    pub title: Option<String>,
    /// A short excerpt around the first match.
    pub snippet: String,
    /// Byte ranges `[start, end)` of the matched words inside `snippet`.
    pub highlights: Vec<[usize; 2]>,
    pub date: Option<NaiveDate>,
    pub region: Option<String>,
    pub speaker: Option<String>,
    pub language: Option<String>,
    /// Higher is better (BM25).
    pub rank: f64,
}

/// An evidence span inside one document, with what it is evidence of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceRef {
    /// What the span supports: a report field (`date`, `killed`, ...),
    /// `quote`, `claim:<kind>` or `total`.
    pub label: String,
    /// The incident the span belongs to, when it backs an incident report.
    pub incident_id: Option<String>,
    pub span: Span,
}

/// Error type of a read backend, kept opaque to callers.
#[derive(Debug)]
pub struct ReadError(pub String);

/// How every refused cursor's message begins ([`ReadError::bad_cursor`]).
const BAD_CURSOR: &str = "not a cursor of this listing";

impl ReadError {
    /// A cursor this backend did not give (or gave for another listing):
    /// the reader's mistake, not the ledger's.
    pub fn bad_cursor(cursor: &str) -> ReadError {
        let shown: String = cursor.chars().take(80).collect();
        ReadError(format!("{BAD_CURSOR}: {shown}"))
    }

    /// Was this error a refused cursor?
    pub fn is_bad_cursor(&self) -> bool {
        self.0.starts_with(BAD_CURSOR)
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ReadError {}

pub type ReadResult<T> = Result<T, ReadError>;

/// Queries over the ledger and the documents behind it.
pub trait LedgerRead: Send + Sync {
    fn incidents(&self, filter: &Filter) -> ReadResult<Vec<Incident>>;
    fn incident(&self, id: &str) -> ReadResult<Option<Incident>>;
    fn document(&self, id: &str) -> ReadResult<Option<Document>>;
    fn statements(&self, filter: &Filter) -> ReadResult<Vec<StatementRow>>;
    fn claims(&self, filter: &Filter) -> ReadResult<Vec<ClaimRow>>;
    fn reconciliation(&self, filter: &Filter) -> ReadResult<Vec<Reconciliation>>;
    fn reviews(&self) -> ReadResult<Vec<Review>>;
    fn search(&self, request: &SearchRequest) -> ReadResult<SearchResults>;
    /// Number of documents in the store.
    fn document_count(&self) -> ReadResult<u64>;

    /// One page (`filter.limit`/`filter.offset`) of incident summaries in
    /// `order`, with the number of incidents the filter matches. The
    /// default sorts the full listing; backends should page in their query.
    fn incident_summaries(&self, filter: &Filter, order: IncidentOrder) -> ReadResult<SummaryPage> {
        let unpaged = filter.unpaged();
        let rows: Vec<IncidentSummary> = self
            .incidents(&unpaged)?
            .iter()
            .map(IncidentSummary::of)
            .collect();
        SummaryPage::of(rows, order, filter)
    }

    /// The statements `filter` matches (paging ignored) in their listed
    /// order ([`sort_statement_rows`]), `limit` at most, after the row
    /// `after` names. The default sorts the whole listing for every chunk;
    /// backends should read the chunk by an index of that order.
    fn statement_chunk(
        &self,
        filter: &Filter,
        descending: bool,
        after: Option<&str>,
        limit: usize,
    ) -> ReadResult<Chunk<StatementRow>> {
        let mut rows = self.statements(&filter.unpaged())?;
        sort_statement_rows(&mut rows, descending);
        Chunk::of_all(rows, after, limit)
    }

    /// The claims `filter` matches, chunk by chunk, as
    /// [`LedgerRead::statement_chunk`] reads statements ([`sort_claim_rows`]).
    fn claim_chunk(
        &self,
        filter: &Filter,
        descending: bool,
        after: Option<&str>,
        limit: usize,
    ) -> ReadResult<Chunk<ClaimRow>> {
        let mut rows = self.claims(&filter.unpaged())?;
        sort_claim_rows(&mut rows, descending);
        Chunk::of_all(rows, after, limit)
    }

    /// One page (`filter.offset`, `filter.limit`) of the statements
    /// `filter` matches in their listed order ([`sort_statement_rows`]),
    /// leaving out the documents `hidden` names, with the number of rows
    /// the whole listing holds. The default sorts the whole listing;
    /// backends should read the page by an index of that order.
    fn statement_page(
        &self,
        filter: &Filter,
        descending: bool,
        hidden: &crate::public::NonPublic,
    ) -> ReadResult<ListingPage<StatementRow>> {
        let mut rows = self.statements(&filter.unpaged())?;
        rows.retain(|r| !hidden.has_document(&r.document_id));
        sort_statement_rows(&mut rows, descending);
        ListingPage::of_all(rows, filter)
    }

    /// How many statements each speaker has among those `filter` matches
    /// (paging ignored), leaving out the documents `hidden` names.
    fn statement_speakers(
        &self,
        filter: &Filter,
        hidden: &crate::public::NonPublic,
    ) -> ReadResult<BTreeMap<String, usize>> {
        let mut out = BTreeMap::new();
        for r in self.statements(&filter.unpaged())? {
            if !hidden.has_document(&r.document_id) {
                *out.entry(r.statement.speaker).or_default() += 1;
            }
        }
        Ok(out)
    }

    /// The first statement (in ledger order) of `document_id` that `filter`
    /// matches (paging ignored).
    fn document_statement(
        &self,
        filter: &Filter,
        document_id: &str,
    ) -> ReadResult<Option<StatementRow>> {
        Ok(self
            .statements(&filter.unpaged())?
            .into_iter()
            .find(|r| r.document_id == document_id))
    }

    /// One page of the claims `filter` matches, as
    /// [`LedgerRead::statement_page`] reads statements ([`sort_claim_rows`]).
    fn claim_page(
        &self,
        filter: &Filter,
        descending: bool,
        hidden: &crate::public::NonPublic,
    ) -> ReadResult<ListingPage<ClaimRow>> {
        let mut rows = self.claims(&filter.unpaged())?;
        rows.retain(|r| !hidden.has_document(&r.document_id));
        sort_claim_rows(&mut rows, descending);
        ListingPage::of_all(rows, filter)
    }

    /// How many claims `filter` matches (paging ignored) per kind and month
    /// of publication (`YYYY-MM`, or `undated`), leaving out the documents
    /// `hidden` names.
    fn claim_months(
        &self,
        filter: &Filter,
        hidden: &crate::public::NonPublic,
    ) -> ReadResult<BTreeMap<(ClaimKind, String), usize>> {
        let mut out = BTreeMap::new();
        for r in self.claims(&filter.unpaged())? {
            if !hidden.has_document(&r.document_id) {
                *out.entry((r.claim.kind, claim_month(r.published)))
                    .or_default() += 1;
            }
        }
        Ok(out)
    }

    /// Facet counts over every incident the filter matches (paging ignored).
    fn incident_facets(&self, filter: &Filter) -> ReadResult<IncidentFacets> {
        let unpaged = filter.unpaged();
        let rows: Vec<IncidentSummary> = self
            .incidents(&unpaged)?
            .iter()
            .map(IncidentSummary::of)
            .collect();
        Ok(IncidentFacets::count(&rows))
    }

    /// The texts of several documents at once (missing ids left out), for
    /// pages that quote many documents.
    fn document_texts(&self, ids: &[&str]) -> ReadResult<Vec<(String, String)>> {
        let mut out = Vec::new();
        for id in ids {
            if let Some(d) = self.document(id)? {
                out.push((d.id, d.text));
            }
        }
        Ok(out)
    }

    /// A number that changes whenever the ledger changes, so rendered pages
    /// can be kept until then; `None` when the backend cannot tell (nothing
    /// is then kept).
    fn ledger_generation(&self) -> ReadResult<Option<i64>> {
        Ok(None)
    }

    /// The ledger as it stood at the end of `day` (documents published on or
    /// before it, reviews made on or before it); `None` when the backend
    /// keeps no history.
    fn ledger_as_of(&self, _day: NaiveDate) -> ReadResult<Option<crate::tracking::LedgerAsOf>> {
        Ok(None)
    }

    /// Changes of incidents dated after `since` (all when `None`; changes
    /// from undated documents are always listed), in history order, one
    /// page: `limit` changes after the one the cursor `after` names (a
    /// page's `next`), else from `offset`.
    fn changes(
        &self,
        _since: Option<NaiveDate>,
        _after: Option<&str>,
        _offset: u64,
        _limit: u64,
    ) -> ReadResult<crate::tracking::ChangePage> {
        Ok(crate::tracking::ChangePage::default())
    }

    /// The dated changes of one incident (and of incidents merged into it).
    fn incident_history(&self, _id: &str) -> ReadResult<Vec<crate::tracking::IncidentChange>> {
        Ok(Vec::new())
    }

    /// Imported trackers, by name, with how they compare with the ledger.
    fn trackers(&self) -> ReadResult<Vec<crate::tracking::TrackerInfo>> {
        Ok(Vec::new())
    }

    /// One tracker compared with the ledger, strike by strike.
    fn tracker_comparison(
        &self,
        _name: &str,
    ) -> ReadResult<Option<crate::tracking::TrackerComparison>> {
        Ok(None)
    }

    /// The versions of a captured document and whether its URL still
    /// answers; `None` for documents not captured over HTTP (or backends
    /// that keep no capture log).
    fn document_history(
        &self,
        _document_id: &str,
    ) -> ReadResult<Option<crate::versions::DocumentHistory>> {
        Ok(None)
    }

    /// The histories of every captured document that changed or went
    /// away, with each version's statements but without its text: what the
    /// statement listing needs to mark statements edited or deleted.
    fn changed_documents(&self) -> ReadResult<Vec<crate::versions::DocumentHistory>> {
        Ok(Vec::new())
    }

    /// The documents no public reader may return ([`crate::public`]).
    /// Backends that store private documents must answer it; the default
    /// (none) suits backends that hold only public ones.
    fn non_public(&self) -> ReadResult<crate::public::NonPublic> {
        Ok(crate::public::NonPublic::default())
    }

    /// Every evidence span that points into one document (incident report
    /// fields, statement quotes, claims, stated totals), for the document
    /// viewer. The default scans the listings; backends with an index should
    /// answer it directly.
    fn document_evidence(&self, document_id: &str) -> ReadResult<Vec<EvidenceRef>> {
        let all = Filter::default();
        let incidents = self.incidents(&all)?;
        let statements = self.statements(&all)?;
        let claims = self.claims(&all)?;
        let totals = self.reconciliation(&all)?;
        let mine = |id: &str| id == document_id;
        Ok(gather_evidence(
            document_id,
            &incidents,
            statements
                .into_iter()
                .filter(|r| mine(&r.document_id))
                .map(|r| r.statement.span),
            claims
                .into_iter()
                .filter(|r| mine(&r.document_id))
                .map(|r| (r.claim.kind, r.claim.span)),
            totals
                .into_iter()
                .filter(|r| mine(&r.document_id))
                .map(|r| r.span),
        ))
    }
}

/// The evidence one document gives, sorted by position: the field spans of its
/// reports (with the incident each backs), then its quotes, claims and stated
/// totals. Shared by every backend so the document viewer marks the same spans.
pub fn gather_evidence<'a>(
    document_id: &str,
    incidents: impl IntoIterator<Item = &'a Incident>,
    quotes: impl IntoIterator<Item = Span>,
    claims: impl IntoIterator<Item = (ClaimKind, Span)>,
    totals: impl IntoIterator<Item = Span>,
) -> Vec<EvidenceRef> {
    let mut out = Vec::new();
    for incident in incidents {
        for report in incident
            .reports
            .iter()
            .filter(|r| r.document_id == document_id)
        {
            for (field, span) in &report.evidence {
                out.push(EvidenceRef {
                    label: field.clone(),
                    incident_id: Some(incident.id.clone()),
                    span: span.clone(),
                });
            }
        }
    }
    let unattached = |label: String, span: Span| EvidenceRef {
        label,
        incident_id: None,
        span,
    };
    out.extend(
        quotes
            .into_iter()
            .map(|span| unattached("quote".into(), span)),
    );
    out.extend(
        claims
            .into_iter()
            .map(|(kind, span)| unattached(format!("claim:{}", kind.as_str()), span)),
    );
    out.extend(
        totals
            .into_iter()
            .map(|span| unattached("total".into(), span)),
    );
    out.sort_by_key(|e| (e.span.start, e.span.end));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A row: its sort key and a tag saying which row it is (stored rows
    /// `s<position>`, extra rows `e<n>`).
    type Row = (u8, String);

    /// The page as the listing gave it before pages were read by index:
    /// every row sorted together (stored rows in position order first),
    /// reversed when descending, then cut.
    fn sorted_whole(
        stored: &[Row],
        extra: &[Row],
        descending: bool,
        offset: usize,
        limit: usize,
    ) -> Vec<Row> {
        let mut all: Vec<Row> = stored.iter().chain(extra).cloned().collect();
        all.sort_by_key(|r| r.0);
        if descending {
            all.reverse();
        }
        all.into_iter().skip(offset).take(limit).collect()
    }

    /// The stored rows in listed order (key, then position), as the index
    /// reads them.
    fn listed(stored: &[Row], descending: bool) -> Vec<Row> {
        let mut rows = stored.to_vec();
        rows.sort_by_key(|r| r.0);
        if descending {
            rows.reverse();
        }
        rows
    }

    #[test]
    fn merged_pages_are_the_pages_of_everything_sorted_together() {
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: u64| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % n
        };
        for _ in 0..300 {
            let stored: Vec<Row> = (0..next(30))
                .map(|p| (next(8) as u8, format!("s{p}")))
                .collect();
            let extra: Vec<Row> = (0..next(5))
                .map(|n| (next(8) as u8, format!("e{n}")))
                .collect();
            for descending in [false, true] {
                let order_of = listed(&stored, descending);
                for limit in 1..6 {
                    for offset in 0..(stored.len() + extra.len() + 2) {
                        let start = offset.saturating_sub(extra.len());
                        let window: Vec<Row> = order_of
                            .iter()
                            .skip(start)
                            .take(limit + extra.len())
                            .cloned()
                            .collect();
                        let page = merge_page(
                            window,
                            start,
                            stored.len(),
                            extra.clone(),
                            |a: &Row, b: &Row| a.0.cmp(&b.0),
                            descending,
                            offset,
                            limit,
                        );
                        assert_eq!(
                            page,
                            sorted_whole(&stored, &extra, descending, offset, limit),
                            "stored {stored:?} extra {extra:?} desc {descending} \
                             offset {offset} limit {limit}"
                        );
                    }
                }
            }
        }
    }
}
