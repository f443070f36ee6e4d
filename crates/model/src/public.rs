//! What the public may see. Private documents (tips, leaked memos, a
//! source's messages) are archived, extracted and resolved like any other,
//! so reviewers can use them; this module is the one place that takes them
//! out of everything published.
//!
//! [`PublicView`] wraps any [`LedgerRead`] and redacts every answer with the
//! functions below; the site reads through it, and exports redact the
//! ledger with [`redact_ledger`]. The rules:
//!
//! - a private document is never returned, searched, counted or listed;
//! - its statements, claims and stated totals are left out;
//! - an incident report it gives keeps its facts (date, region, counts) but
//!   loses its text, title, URL, publisher and document id: the incident is
//!   shown as supported by a non-public source ([`NON_PUBLIC`]);
//! - its id and URL are scrubbed from free text that may name them (change
//!   causes, review reasons and notes).
//!
//! A query method added to [`LedgerRead`] with a default body is redacted by
//! construction (the default calls methods this view redacts); one without
//! a default does not compile until this view forwards it.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Deref;

use chrono::NaiveDate;

use crate::document::Document;
use crate::extraction::ClaimKind;
use crate::ledger::{Incident, IncidentReport, Ledger, Reconciliation, Review, ReviewAction};
use crate::read::{
    Chunk, ClaimRow, EvidenceRef, Filter, IncidentFacets, IncidentOrder, IncidentSummary,
    LedgerRead, ListingPage, ReadResult, SearchRequest, SearchResults, StatementRow, SummaryPage,
};
use crate::tracking::{ChangePage, IncidentChange, LedgerAsOf, TrackerComparison, TrackerInfo};

/// What a private document's id becomes in published data: `non-public-N`,
/// N numbering the private documents (so two private reports of one
/// incident stay two), and what private URLs in free text become.
pub const NON_PUBLIC: &str = "non-public";

/// Which documents must not be published: their ids and URLs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NonPublic {
    ids: BTreeSet<String>,
    urls: BTreeSet<String>,
}

impl NonPublic {
    /// From `(id, url)` pairs of private documents.
    pub fn new(documents: impl IntoIterator<Item = (String, Option<String>)>) -> NonPublic {
        let mut out = NonPublic::default();
        for (id, url) in documents {
            out.ids.insert(id);
            if let Some(url) = url.filter(|u| !u.is_empty()) {
                out.urls.insert(url);
            }
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// How many private documents there are.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn has_document(&self, id: &str) -> bool {
        self.ids.contains(id)
    }

    pub fn has_url(&self, url: &str) -> bool {
        self.urls.contains(url)
    }

    /// `text` with every private URL, and every private id standing as a
    /// word of its own, replaced by [`NON_PUBLIC`].
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_string();
        for url in &self.urls {
            if out.contains(url.as_str()) {
                out = out.replace(url.as_str(), NON_PUBLIC);
            }
        }
        for id in &self.ids {
            if out.contains(id.as_str()) {
                out = replace_word(&out, id, &self.placeholder(id));
            }
        }
        out
    }

    /// The ids of the documents named.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.ids.iter().map(String::as_str)
    }

    /// The documents named here or in `other`.
    pub fn with(&self, other: &NonPublic) -> NonPublic {
        let mut out = self.clone();
        out.ids.extend(other.ids.iter().cloned());
        out.urls.extend(other.urls.iter().cloned());
        out
    }

    /// The published stand-in for private document `id`.
    pub fn placeholder(&self, id: &str) -> String {
        let n = self.ids.iter().position(|i| i == id).map_or(0, |n| n + 1);
        format!("{NON_PUBLIC}-{n}")
    }

    fn scrub_in_place(&self, text: &mut String) {
        if !self.is_empty() {
            *text = self.scrub(text);
        }
    }

    fn id_or_placeholder(&self, id: &mut String) {
        if self.has_document(id) {
            *id = self.placeholder(id);
        }
    }
}

/// Replaces `word` where it is not part of a longer id (a letter, digit,
/// `-` or `_` on either side).
fn replace_word(text: &str, word: &str, with: &str) -> String {
    let is_id_char = |c: char| c.is_alphanumeric() || "-_".contains(c);
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(word) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + word.len()..].chars().next();
        let bounded = !before.is_some_and(is_id_char) && !after.is_some_and(is_id_char);
        out.push_str(&rest[..at]);
        out.push_str(if bounded { with } else { word });
        rest = &rest[at + word.len()..];
    }
    out.push_str(rest);
    out
}

/// A report from a private document: its facts stay, its words go.
pub fn redact_report(report: &mut IncidentReport, np: &NonPublic) {
    report.document_id = np.placeholder(&report.document_id);
    report.url = None;
    report.title = None;
    report.published = None;
    report.source = None;
    report.evidence.clear();
    report.date_text = None;
    report.location_text = None;
    report.announced_by = None;
}

/// True when the report was taken from a private document (and redacted).
pub fn is_non_public(report: &IncidentReport) -> bool {
    report
        .document_id
        .strip_prefix(NON_PUBLIC)
        .is_some_and(|n| n.starts_with('-'))
}

pub fn redact_incident(incident: &mut Incident, np: &NonPublic) {
    if np.is_empty() {
        return;
    }
    for report in &mut incident.reports {
        if np.has_document(&report.document_id) {
            redact_report(report, np);
        }
    }
    for conflict in &mut incident.conflicts {
        for value in &mut conflict.values {
            for id in &mut value.documents {
                np.id_or_placeholder(id);
            }
            value.documents.dedup();
        }
    }
    for correction in &mut incident.corrections {
        if np.has_document(&correction.document_id) {
            np.id_or_placeholder(&mut correction.document_id);
            correction.span = None;
        }
    }
    for note in &mut incident.notes {
        np.scrub_in_place(note);
    }
    for reviewed in &mut incident.reviewed {
        np.scrub_in_place(&mut reviewed.reason);
    }
}

pub fn redact_summary(summary: &mut IncidentSummary, np: &NonPublic) {
    summary.sources.retain(|url| !np.has_url(url));
}

pub fn redact_review(review: &mut Review, np: &NonPublic) {
    if np.is_empty() {
        return;
    }
    np.scrub_in_place(&mut review.reason);
    match &mut review.action {
        ReviewAction::Split { document_id, .. }
        | ReviewAction::CorrectSpeaker { document_id, .. } => np.id_or_placeholder(document_id),
        ReviewAction::Annotate { note, .. } => np.scrub_in_place(note),
        ReviewAction::Correct { value, .. } => np.scrub_in_place(value),
        ReviewAction::Confirm { .. } | ReviewAction::Merge { .. } | ReviewAction::Reject { .. } => {
        }
    }
}

pub fn redact_change(change: &mut IncidentChange, np: &NonPublic) {
    if np.is_empty() {
        return;
    }
    change.documents.retain(|id| !np.has_document(id));
    np.scrub_in_place(&mut change.cause);
    for field in &mut change.fields {
        for value in [&mut field.from, &mut field.to].into_iter().flatten() {
            np.scrub_in_place(value);
        }
    }
}

pub fn redact_comparison(comparison: &mut TrackerComparison, np: &NonPublic) {
    if np.is_empty() {
        return;
    }
    for row in &mut comparison.rows {
        for difference in &mut row.differences {
            for evidence in &mut difference.evidence {
                if np.has_document(&evidence.document_id) {
                    np.id_or_placeholder(&mut evidence.document_id);
                    evidence.url = None;
                    evidence.span = None;
                }
            }
        }
    }
}

fn keep_reconciliation(row: &Reconciliation, np: &NonPublic) -> bool {
    !np.has_document(&row.document_id)
}

/// The public stated totals: those of private documents left out, the
/// explanations of the others scrubbed.
fn public_reconciliation(rows: &mut Vec<Reconciliation>, np: &NonPublic) {
    if np.is_empty() {
        return;
    }
    rows.retain(|r| keep_reconciliation(r, np));
    for row in rows {
        np.scrub_in_place(&mut row.explanation.text);
    }
}

/// The ledger as it may be published.
pub fn redact_ledger(ledger: &mut Ledger, np: &NonPublic) {
    if np.is_empty() {
        return;
    }
    for incident in &mut ledger.incidents {
        redact_incident(incident, np);
    }
    ledger.unplaced.retain(|r| !np.has_document(&r.document_id));
    public_reconciliation(&mut ledger.reconciliation, np);
    ledger
        .statements
        .retain(|s| !np.has_document(&s.document_id));
    for group in &mut ledger.claims {
        let before = group.occurrences.len();
        group
            .occurrences
            .retain(|o| !np.has_document(&o.document_id));
        if group.occurrences.len() == before {
            continue;
        }
        // Settle what the group says from its public occurrences alone.
        group.settle_speakers();
        group.first_made = group.occurrences.iter().filter_map(|o| o.date).min();
        group.last_made = group.occurrences.iter().filter_map(|o| o.date).max();
        if let Some(first) = group.occurrences.first() {
            group.text = first.text.clone();
        }
    }
    ledger.claims.retain(|g| !g.occurrences.is_empty());
    for outcome in &mut ledger.review_log {
        redact_review(&mut outcome.review, np);
        np.scrub_in_place(&mut outcome.detail);
    }
}

/// A [`LedgerRead`] that answers only what may be published, over any
/// pointer to one (`Arc<dyn LedgerRead>`, `Box<dyn Store>`, `&T`).
pub struct PublicView<R> {
    inner: R,
}

impl<R> PublicView<R>
where
    R: Deref + Send + Sync,
    R::Target: LedgerRead,
{
    pub fn new(inner: R) -> PublicView<R> {
        PublicView { inner }
    }

    /// Asked on every call, so a document stored as private while the site
    /// runs is hidden from the next request on.
    fn np(&self) -> ReadResult<NonPublic> {
        self.inner.non_public()
    }
}

impl<R> LedgerRead for PublicView<R>
where
    R: Deref + Send + Sync,
    R::Target: LedgerRead,
{
    fn incidents(&self, filter: &Filter) -> ReadResult<Vec<Incident>> {
        let np = self.np()?;
        let mut rows = self.inner.incidents(filter)?;
        rows.iter_mut().for_each(|i| redact_incident(i, &np));
        Ok(rows)
    }

    fn incident(&self, id: &str) -> ReadResult<Option<Incident>> {
        let np = self.np()?;
        let mut found = self.inner.incident(id)?;
        if let Some(i) = found.as_mut() {
            redact_incident(i, &np);
        }
        Ok(found)
    }

    fn document(&self, id: &str) -> ReadResult<Option<Document>> {
        let np = self.np()?;
        Ok(self
            .inner
            .document(id)?
            .filter(|d| !d.private && !np.has_document(&d.id)))
    }

    fn statements(&self, filter: &Filter) -> ReadResult<Vec<StatementRow>> {
        let np = self.np()?;
        let mut rows = self.inner.statements(filter)?;
        rows.retain(|r| !np.has_document(&r.document_id));
        Ok(rows)
    }

    fn statement_chunk(
        &self,
        filter: &Filter,
        descending: bool,
        after: Option<&str>,
        limit: usize,
    ) -> ReadResult<Chunk<StatementRow>> {
        let np = self.np()?;
        // Rows left out still move the cursor: a chunk may come back short,
        // or empty, with more to follow.
        let mut chunk = self
            .inner
            .statement_chunk(filter, descending, after, limit)?;
        chunk.rows.retain(|r| !np.has_document(&r.document_id));
        Ok(chunk)
    }

    fn claim_chunk(
        &self,
        filter: &Filter,
        descending: bool,
        after: Option<&str>,
        limit: usize,
    ) -> ReadResult<Chunk<ClaimRow>> {
        let np = self.np()?;
        let mut chunk = self.inner.claim_chunk(filter, descending, after, limit)?;
        chunk.rows.retain(|r| !np.has_document(&r.document_id));
        Ok(chunk)
    }

    fn statement_page(
        &self,
        filter: &Filter,
        descending: bool,
        hidden: &NonPublic,
    ) -> ReadResult<ListingPage<StatementRow>> {
        // Left out in the query, so pages and totals count public rows only.
        let np = self.np()?.with(hidden);
        self.inner.statement_page(filter, descending, &np)
    }

    fn statement_speakers(
        &self,
        filter: &Filter,
        hidden: &NonPublic,
    ) -> ReadResult<BTreeMap<String, usize>> {
        let np = self.np()?.with(hidden);
        self.inner.statement_speakers(filter, &np)
    }

    fn document_statement(
        &self,
        filter: &Filter,
        document_id: &str,
    ) -> ReadResult<Option<StatementRow>> {
        if self.np()?.has_document(document_id) {
            return Ok(None);
        }
        self.inner.document_statement(filter, document_id)
    }

    fn claim_page(
        &self,
        filter: &Filter,
        descending: bool,
        hidden: &NonPublic,
    ) -> ReadResult<ListingPage<ClaimRow>> {
        let np = self.np()?.with(hidden);
        self.inner.claim_page(filter, descending, &np)
    }

    fn claim_months(
        &self,
        filter: &Filter,
        hidden: &NonPublic,
    ) -> ReadResult<BTreeMap<(ClaimKind, String), usize>> {
        let np = self.np()?.with(hidden);
        self.inner.claim_months(filter, &np)
    }

    fn claims(&self, filter: &Filter) -> ReadResult<Vec<ClaimRow>> {
        let np = self.np()?;
        let mut rows = self.inner.claims(filter)?;
        rows.retain(|r| !np.has_document(&r.document_id));
        Ok(rows)
    }

    fn reconciliation(&self, filter: &Filter) -> ReadResult<Vec<Reconciliation>> {
        let np = self.np()?;
        let mut rows = self.inner.reconciliation(filter)?;
        public_reconciliation(&mut rows, &np);
        Ok(rows)
    }

    fn reviews(&self) -> ReadResult<Vec<Review>> {
        let np = self.np()?;
        let mut rows = self.inner.reviews()?;
        rows.iter_mut().for_each(|r| redact_review(r, &np));
        Ok(rows)
    }

    fn search(&self, request: &SearchRequest) -> ReadResult<SearchResults> {
        let np = self.np()?;
        let mut results = self.inner.search(request)?;
        // The index holds no private document (the store keeps them out of
        // it); a hit naming one is dropped all the same.
        results.hits.retain(|h| !np.has_document(&h.document_id));
        Ok(results)
    }

    fn document_count(&self) -> ReadResult<u64> {
        let np = self.np()?;
        Ok(self.inner.document_count()?.saturating_sub(np.len() as u64))
    }

    fn incident_summaries(&self, filter: &Filter, order: IncidentOrder) -> ReadResult<SummaryPage> {
        let np = self.np()?;
        let mut page = self.inner.incident_summaries(filter, order)?;
        page.rows.iter_mut().for_each(|s| redact_summary(s, &np));
        Ok(page)
    }

    fn incident_facets(&self, filter: &Filter) -> ReadResult<IncidentFacets> {
        // Counts of incidents by region, grade and month name no document.
        self.inner.incident_facets(filter)
    }

    fn document_texts(&self, ids: &[&str]) -> ReadResult<Vec<(String, String)>> {
        let np = self.np()?;
        let public: Vec<&str> = ids
            .iter()
            .copied()
            .filter(|id| !np.has_document(id))
            .collect();
        self.inner.document_texts(&public)
    }

    fn ledger_generation(&self) -> ReadResult<Option<i64>> {
        // Marking a document private may leave the ledger as it was, but
        // pages rendered before must not be served again: the number of
        // private documents (which only grows) is part of the generation.
        let private = self.np()?.len() as i64;
        Ok(self
            .inner
            .ledger_generation()?
            .map(|g| g.wrapping_mul(1 << 20).wrapping_add(private)))
    }

    fn ledger_as_of(&self, day: NaiveDate) -> ReadResult<Option<LedgerAsOf>> {
        let np = self.np()?;
        let mut found = self.inner.ledger_as_of(day)?;
        if let Some(as_of) = found.as_mut() {
            as_of
                .incidents
                .iter_mut()
                .for_each(|s| redact_summary(s, &np));
            public_reconciliation(&mut as_of.reconciliation, &np);
        }
        Ok(found)
    }

    fn changes(
        &self,
        since: Option<NaiveDate>,
        after: Option<&str>,
        offset: u64,
        limit: u64,
    ) -> ReadResult<ChangePage> {
        let np = self.np()?;
        let mut page = self.inner.changes(since, after, offset, limit)?;
        page.changes.iter_mut().for_each(|c| redact_change(c, &np));
        Ok(page)
    }

    fn incident_history(&self, id: &str) -> ReadResult<Vec<IncidentChange>> {
        let np = self.np()?;
        let mut rows = self.inner.incident_history(id)?;
        rows.iter_mut().for_each(|c| redact_change(c, &np));
        Ok(rows)
    }

    fn trackers(&self) -> ReadResult<Vec<TrackerInfo>> {
        self.inner.trackers()
    }

    fn tracker_comparison(&self, name: &str) -> ReadResult<Option<TrackerComparison>> {
        let np = self.np()?;
        let mut found = self.inner.tracker_comparison(name)?;
        if let Some(c) = found.as_mut() {
            redact_comparison(c, &np);
        }
        Ok(found)
    }

    fn document_evidence(&self, document_id: &str) -> ReadResult<Vec<EvidenceRef>> {
        let np = self.np()?;
        if np.has_document(document_id) {
            return Ok(Vec::new());
        }
        self.inner.document_evidence(document_id)
    }

    fn document_history(
        &self,
        document_id: &str,
    ) -> ReadResult<Option<crate::versions::DocumentHistory>> {
        // Only a document the public may read has a public history.
        if self.document(document_id)?.is_none() {
            return Ok(None);
        }
        self.inner.document_history(document_id)
    }

    fn changed_documents(&self) -> ReadResult<Vec<crate::versions::DocumentHistory>> {
        let np = self.np()?;
        let mut rows = self.inner.changed_documents()?;
        rows.retain(|h| !np.has_document(&h.document_id) && !np.has_url(&h.url));
        Ok(rows)
    }

    fn non_public(&self) -> ReadResult<NonPublic> {
        self.np()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_scrubbed_as_words_only() {
        let np = NonPublic::new([(
            "tip-1".to_string(),
            Some("https://x.example/memo".to_string()),
        )]);
        assert_eq!(
            np.scrub("report added: tip-1, see https://x.example/memo"),
            "report added: non-public-1, see non-public"
        );
        assert_eq!(np.scrub("tip-10 and tip-1."), "tip-10 and non-public-1.");
        assert_eq!(np.scrub("nothing here"), "nothing here");
    }
}
