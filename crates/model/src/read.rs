//! The read-only query surface over a built ledger. Storage backends
//! implement it; the web layer and exports depend only on this trait.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::document::Document;
use crate::extraction::{Claim, Span, Statement};
use crate::ledger::{Incident, Reconciliation, Review};

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
}

/// A statement with the document it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementRow {
    pub document_id: String,
    pub statement_index: usize,
    pub url: Option<String>,
    pub published: Option<NaiveDate>,
    pub statement: Statement,
}

/// A claim with the document it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimRow {
    pub document_id: String,
    pub url: Option<String>,
    pub published: Option<NaiveDate>,
    pub claim: Claim,
}

/// A full-text search hit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    /// `document` or `statement`.
    pub kind: String,
    pub document_id: String,
    pub title: Option<String>,
    pub snippet: String,
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
    fn search(&self, query: &str, limit: usize) -> ReadResult<Vec<SearchHit>>;
    /// Number of documents in the store.
    fn document_count(&self) -> ReadResult<u64>;

    /// Every evidence span that points into one document (incident report
    /// fields, statement quotes, claims, stated totals), for the document
    /// viewer. The default scans the listings; backends with an index should
    /// answer it directly.
    fn document_evidence(&self, document_id: &str) -> ReadResult<Vec<EvidenceRef>> {
        let all = Filter::default();
        let mut out = Vec::new();
        for incident in self.incidents(&all)? {
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
        for row in self
            .statements(&all)?
            .into_iter()
            .filter(|r| r.document_id == document_id)
        {
            out.push(EvidenceRef {
                label: "quote".into(),
                incident_id: None,
                span: row.statement.span,
            });
        }
        for row in self
            .claims(&all)?
            .into_iter()
            .filter(|r| r.document_id == document_id)
        {
            out.push(EvidenceRef {
                label: format!("claim:{}", row.claim.kind.as_str()),
                incident_id: None,
                span: row.claim.span,
            });
        }
        for rec in self
            .reconciliation(&all)?
            .into_iter()
            .filter(|r| r.document_id == document_id)
        {
            out.push(EvidenceRef {
                label: "total".into(),
                incident_id: None,
                span: rec.span,
            });
        }
        out.sort_by_key(|e| (e.span.start, e.span.end));
        Ok(out)
    }
}
