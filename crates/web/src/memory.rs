//! An in-memory ledger: the whole built ledger held in vectors, with the
//! filters and a simple search. Used for development, route tests and small
//! demos; the SQLite store is the real backend.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use sha2::{Digest, Sha256};
use strikewatch_model::Document;
use strikewatch_model::ledger::{Incident, Reconciliation, Review};
use strikewatch_model::read::{
    ClaimRow, Filter, LedgerRead, ReadError, ReadResult, SearchHit, SearchRequest, SearchResults,
    StatementRow,
};

use strikewatch_model::tracking::{
    ChangePage, IncidentChange, LedgerAsOf, LedgerHistory, TrackerComparison, TrackerInfo,
};

use crate::writes::{PostedDocument, WriteBackend, WriteError, WriteScope, Writer};

/// Everything a ledger holds, as plain vectors.
#[derive(Debug, Clone, Default)]
pub struct LedgerData {
    pub incidents: Vec<Incident>,
    pub documents: Vec<Document>,
    pub statements: Vec<StatementRow>,
    pub claims: Vec<ClaimRow>,
    pub reconciliations: Vec<Reconciliation>,
    pub reviews: Vec<Review>,
}

struct Indexed {
    data: LedgerData,
    incident_by_id: HashMap<String, usize>,
    document_by_id: HashMap<String, usize>,
}

impl Indexed {
    fn new(data: LedgerData) -> Indexed {
        let incident_by_id = data
            .incidents
            .iter()
            .enumerate()
            .map(|(i, x)| (x.id.clone(), i))
            .collect();
        let document_by_id = data
            .documents
            .iter()
            .enumerate()
            .map(|(i, x)| (x.id.clone(), i))
            .collect();
        Indexed {
            data,
            incident_by_id,
            document_by_id,
        }
    }
}

/// A [`LedgerRead`] over data held in memory. Writes go through
/// [`MemoryWriter`].
pub struct MemoryLedger {
    inner: RwLock<Indexed>,
    /// The ledger's history and tracker comparisons, when given.
    tracking: Option<(LedgerHistory, Vec<TrackerComparison>)>,
}

impl MemoryLedger {
    pub fn new(data: LedgerData) -> MemoryLedger {
        MemoryLedger {
            inner: RwLock::new(Indexed::new(data)),
            tracking: None,
        }
    }

    /// The same ledger with a history (so `as_of` and `/changes` answer) and
    /// tracker comparisons.
    pub fn with_tracking(
        mut self,
        history: LedgerHistory,
        comparisons: Vec<TrackerComparison>,
    ) -> MemoryLedger {
        self.tracking = Some((history, comparisons));
        self
    }

    fn read(&self) -> ReadResult<RwLockReadGuard<'_, Indexed>> {
        self.inner
            .read()
            .map_err(|_| ReadError("memory ledger lock poisoned".into()))
    }

    fn write(&self) -> Result<RwLockWriteGuard<'_, Indexed>, WriteError> {
        self.inner
            .write()
            .map_err(|_| WriteError::Backend("memory ledger lock poisoned".into()))
    }

    /// Adds or replaces a document (by id).
    pub fn put_document(&self, document: Document) -> Result<(), WriteError> {
        let mut guard = self.write()?;
        let inner = &mut *guard;
        match inner.document_by_id.get(&document.id) {
            Some(&i) => inner.data.documents[i] = document,
            None => {
                inner
                    .document_by_id
                    .insert(document.id.clone(), inner.data.documents.len());
                inner.data.documents.push(document);
            }
        }
        Ok(())
    }

    /// Appends a review, numbering it after the last one.
    pub fn push_review(&self, mut review: Review) -> Result<Review, WriteError> {
        let mut guard = self.write()?;
        let next = guard.data.reviews.iter().map(|r| r.seq).max().unwrap_or(0) + 1;
        review.seq = next;
        guard.data.reviews.push(review.clone());
        Ok(review)
    }
}

fn page<T>(items: impl Iterator<Item = T>, filter: &Filter) -> Vec<T> {
    items
        .skip(filter.offset.unwrap_or(0))
        .take(filter.limit.unwrap_or(usize::MAX))
        .collect()
}

fn contains_ci(haystack: &str, needle_lower: &str) -> bool {
    haystack.to_lowercase().contains(needle_lower)
}

fn incident_matches(incident: &Incident, filter: &Filter) -> bool {
    let first = incident.date.or(incident.date_from);
    let last = incident.date.or(incident.date_to).or(first);
    if filter
        .from
        .is_some_and(|from| last.is_none_or(|d| d < from))
    {
        return false;
    }
    if filter.to.is_some_and(|to| first.is_none_or(|d| d > to)) {
        return false;
    }
    if filter
        .region
        .as_deref()
        .is_some_and(|r| incident.region.as_deref().unwrap_or("unknown") != r)
    {
        return false;
    }
    if filter
        .grade
        .as_deref()
        .is_some_and(|g| incident.grade.as_str() != g)
    {
        return false;
    }
    if let Some(q) = filter.q.as_deref().map(str::to_lowercase) {
        let hit = contains_ci(&incident.id, &q)
            || incident
                .reports
                .iter()
                .any(|r| r.title.as_deref().is_some_and(|t| contains_ci(t, &q)));
        if !hit {
            return false;
        }
    }
    true
}

fn date_in(date: Option<chrono::NaiveDate>, filter: &Filter) -> bool {
    match date {
        Some(d) => filter.from.is_none_or(|f| d >= f) && filter.to.is_none_or(|t| d <= t),
        None => filter.from.is_none() && filter.to.is_none(),
    }
}

/// A short plain-text excerpt around byte offset `at`, cut on char boundaries.
fn snippet(text: &str, at: usize, len: usize) -> String {
    let mut start = at.saturating_sub(60);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (at + len + 100).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.push_str(text[start..end].trim());
    if end < text.len() {
        out.push('…');
    }
    out
}

/// Byte ranges of the query's words in `snippet` (when lower-casing keeps
/// its length, so offsets carry over).
fn marks(snippet: &str, terms: &[String]) -> Vec<[usize; 2]> {
    let lower = snippet.to_lowercase();
    if lower.len() != snippet.len() {
        return Vec::new();
    }
    let mut out: Vec<[usize; 2]> = terms
        .iter()
        .flat_map(|t| {
            lower
                .match_indices(t.as_str())
                .map(|(i, m)| [i, i + m.len()])
        })
        .collect();
    out.sort_unstable();
    out
}

/// Scores `text` for the lower-cased query terms: occurrences counted, and
/// the byte offset of the first hit (searched in a lower-cased copy, mapped
/// back only when lower-casing kept the length).
fn score(text: &str, terms: &[String]) -> Option<(f64, usize, usize)> {
    let lower = text.to_lowercase();
    let mut total = 0usize;
    let mut first: Option<(usize, usize)> = None;
    for term in terms {
        let n = lower.matches(term.as_str()).count();
        if n == 0 {
            return None;
        }
        total += n;
        if first.is_none() {
            first = lower.find(term.as_str()).map(|i| (i, term.len()));
        }
    }
    let (at, len) = first.unwrap_or((0, 0));
    let at = if lower.len() == text.len() { at } else { 0 };
    Some((total as f64, at, len))
}

impl LedgerRead for MemoryLedger {
    fn ledger_as_of(&self, day: chrono::NaiveDate) -> ReadResult<Option<LedgerAsOf>> {
        Ok(self.tracking.as_ref().map(|(h, _)| h.as_of(day)))
    }

    fn changes(
        &self,
        since: Option<chrono::NaiveDate>,
        offset: u64,
        limit: u64,
    ) -> ReadResult<ChangePage> {
        Ok(self
            .tracking
            .as_ref()
            .map(|(h, _)| h.changes_since(since, offset, limit))
            .unwrap_or_default())
    }

    fn incident_history(&self, id: &str) -> ReadResult<Vec<IncidentChange>> {
        Ok(self
            .tracking
            .as_ref()
            .map(|(h, _)| {
                h.changes
                    .iter()
                    .filter(|c| c.incident_id == id || c.into.as_deref() == Some(id))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default())
    }

    fn trackers(&self) -> ReadResult<Vec<TrackerInfo>> {
        Ok(self
            .tracking
            .as_ref()
            .map(|(_, c)| c.iter().map(TrackerInfo::of).collect())
            .unwrap_or_default())
    }

    fn tracker_comparison(&self, name: &str) -> ReadResult<Option<TrackerComparison>> {
        Ok(self
            .tracking
            .as_ref()
            .and_then(|(_, c)| c.iter().find(|t| t.name == name).cloned()))
    }

    fn incidents(&self, filter: &Filter) -> ReadResult<Vec<Incident>> {
        let inner = self.read()?;
        Ok(page(
            inner
                .data
                .incidents
                .iter()
                .filter(|i| incident_matches(i, filter))
                .cloned(),
            filter,
        ))
    }

    fn incident(&self, id: &str) -> ReadResult<Option<Incident>> {
        let inner = self.read()?;
        Ok(inner
            .incident_by_id
            .get(id)
            .map(|&i| inner.data.incidents[i].clone()))
    }

    fn document(&self, id: &str) -> ReadResult<Option<Document>> {
        let inner = self.read()?;
        Ok(inner
            .document_by_id
            .get(id)
            .map(|&i| inner.data.documents[i].clone()))
    }

    fn statements(&self, filter: &Filter) -> ReadResult<Vec<StatementRow>> {
        let inner = self.read()?;
        let q = filter.q.as_deref().map(str::to_lowercase);
        let rows = inner.data.statements.iter().filter(|row| {
            filter
                .speaker
                .as_ref()
                .is_none_or(|s| &row.statement.speaker == s)
                && filter
                    .kind
                    .as_ref()
                    .is_none_or(|k| row.statement.claims.iter().any(|c| c.as_str() == k))
                && date_in(row.statement.said_at.or(row.published), filter)
                && q.as_ref()
                    .is_none_or(|q| contains_ci(&row.statement.quote, q))
        });
        Ok(page(rows.cloned(), filter))
    }

    fn claims(&self, filter: &Filter) -> ReadResult<Vec<ClaimRow>> {
        let inner = self.read()?;
        let q = filter.q.as_deref().map(str::to_lowercase);
        let rows = inner.data.claims.iter().filter(|row| {
            filter
                .speaker
                .as_ref()
                .is_none_or(|s| &row.claim.speaker == s)
                && filter
                    .kind
                    .as_ref()
                    .is_none_or(|k| row.claim.kind.as_str() == k)
                && date_in(row.published, filter)
                && q.as_ref().is_none_or(|q| contains_ci(&row.claim.text, q))
        });
        Ok(page(rows.cloned(), filter))
    }

    fn reconciliation(&self, filter: &Filter) -> ReadResult<Vec<Reconciliation>> {
        let inner = self.read()?;
        let rows = inner
            .data
            .reconciliations
            .iter()
            .filter(|r| date_in(r.as_of, filter));
        Ok(page(rows.cloned(), filter))
    }

    fn reviews(&self) -> ReadResult<Vec<Review>> {
        Ok(self.read()?.data.reviews.clone())
    }

    /// A plain scan for the query's words (no stemming): enough for the
    /// fixtures this ledger serves. The stored ledger uses the search index.
    fn search(&self, request: &SearchRequest) -> ReadResult<SearchResults> {
        let terms: Vec<String> = request
            .q
            .split_whitespace()
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase()
            })
            .filter(|w| !w.is_empty())
            .collect();
        if terms.is_empty() {
            return Ok(SearchResults::default());
        }
        let inner = self.read()?;
        let language_of: HashMap<&str, &str> = inner
            .data
            .documents
            .iter()
            .map(|d| (d.id.as_str(), d.language.as_str()))
            .collect();
        let in_range = |d: Option<chrono::NaiveDate>| {
            (request.from.is_none() && request.to.is_none())
                || d.is_some_and(|d| {
                    request.from.is_none_or(|f| d >= f) && request.to.is_none_or(|t| d <= t)
                })
        };
        let mut hits = Vec::new();
        let wants = |kind: &str| request.kind.as_deref().is_none_or(|k| k == kind);
        if wants("document") && request.speaker.is_none() && request.region.is_none() {
            for doc in &inner.data.documents {
                let date = doc.published_at.as_ref().map(|p| p.date);
                if request
                    .language
                    .as_deref()
                    .is_some_and(|l| l != doc.language)
                    || !in_range(date)
                {
                    continue;
                }
                let title = doc.title.as_deref().unwrap_or("");
                let in_title = score(title, &terms).map(|s| s.0 * 3.0).unwrap_or(0.0);
                let in_text = score(&doc.text, &terms);
                if in_title > 0.0 || in_text.is_some() {
                    let (n, at, len) = in_text.unwrap_or((0.0, 0, 0));
                    let snippet = snippet(&doc.text, at, len);
                    hits.push(SearchHit {
                        kind: "document".into(),
                        id: doc.id.clone(),
                        document_id: doc.id.clone(),
                        title: doc.title.clone(),
                        highlights: marks(&snippet, &terms),
                        snippet,
                        date,
                        region: None,
                        speaker: None,
                        language: Some(doc.language.clone()),
                        rank: in_title + n,
                    });
                }
            }
        }
        if wants("statement") && request.region.is_none() {
            for row in &inner.data.statements {
                let language = language_of
                    .get(row.document_id.as_str())
                    .map(|l| l.to_string());
                if request
                    .speaker
                    .as_deref()
                    .is_some_and(|s| s != row.statement.speaker)
                    || request.language.is_some() && request.language != language
                    || !in_range(row.published)
                {
                    continue;
                }
                if let Some((n, at, len)) = score(&row.statement.quote, &terms) {
                    let snippet = snippet(&row.statement.quote, at, len);
                    hits.push(SearchHit {
                        kind: "statement".into(),
                        id: format!("{}#{}", row.document_id, row.statement_index),
                        document_id: row.document_id.clone(),
                        title: Some(row.statement.speaker.clone()),
                        highlights: marks(&snippet, &terms),
                        snippet,
                        date: row.published,
                        region: None,
                        speaker: Some(row.statement.speaker.clone()),
                        language,
                        rank: n,
                    });
                }
            }
        }
        hits.sort_by(|a, b| b.rank.total_cmp(&a.rank).then_with(|| a.id.cmp(&b.id)));
        let more = hits.len() > request.offset.saturating_add(request.limit);
        let hits = hits
            .into_iter()
            .skip(request.offset)
            .take(request.limit)
            .collect();
        Ok(SearchResults {
            hits,
            more,
            partial: false,
        })
    }

    fn document_count(&self) -> ReadResult<u64> {
        Ok(self.read()?.data.documents.len() as u64)
    }

    fn non_public(&self) -> ReadResult<strikewatch_model::public::NonPublic> {
        let inner = self.read()?;
        Ok(strikewatch_model::public::NonPublic::new(
            inner
                .data
                .documents
                .iter()
                .filter(|d| d.private)
                .map(|d| (d.id.clone(), d.url.clone())),
        ))
    }
}

/// SHA-256 (lowercase hex) of a bearer token: the form tokens are stored in.
pub fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Writes into a [`MemoryLedger`], guarded by a set of hashed tokens.
pub struct MemoryWriter {
    ledger: Arc<MemoryLedger>,
    token_hashes: HashSet<String>,
}

impl MemoryWriter {
    /// `token_hashes` are SHA-256 hex digests (see [`hash_token`]).
    pub fn new(ledger: Arc<MemoryLedger>, token_hashes: impl IntoIterator<Item = String>) -> Self {
        MemoryWriter {
            ledger,
            token_hashes: token_hashes.into_iter().collect(),
        }
    }
}

impl WriteBackend for MemoryWriter {
    /// Every known token is account 1, allowed both scopes, signing as
    /// `fixture reviewer`.
    fn authenticate(&self, token: &str) -> Option<Writer> {
        (!token.is_empty() && self.token_hashes.contains(&hash_token(token))).then(|| Writer {
            token_id: 1,
            public_name: "fixture reviewer".into(),
            scopes: vec![WriteScope::Documents, WriteScope::Reviews],
        })
    }

    fn ingest_document(
        &self,
        _by: &Writer,
        json: serde_json::Value,
        replace: Option<&str>,
    ) -> Result<PostedDocument, WriteError> {
        let mut document = crate::fixture::document_from_json(json)
            .map_err(|e| WriteError::Invalid(e.to_string()))?;
        let taken = |id: &str| self.ledger.document(id).ok().flatten().is_some();
        match replace {
            Some(target) if !taken(target) => {
                return Err(WriteError::NotFound(format!(
                    "no document {target} to replace"
                )));
            }
            Some(target) => document.id = target.to_string(),
            None => {
                // Never a silent replacement: a taken id gets a numbered one.
                let base = document.id.clone();
                let mut n = 2;
                while taken(&document.id) {
                    document.id = format!("{base}-{n}");
                    n += 1;
                }
            }
        }
        let id = document.id.clone();
        self.ledger.put_document(document)?;
        Ok(PostedDocument {
            id,
            replaced: replace.is_some(),
        })
    }

    fn add_review(&self, _by: &Writer, review: Review) -> Result<Review, WriteError> {
        self.ledger.push_review(review)
    }
}
