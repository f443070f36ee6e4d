//! Extractions made from gold annotation files (the corpus format of
//! `testdata/*/gold.jsonl`), so that resolution can run on hand-checked
//! input: evaluation of the resolve stage, demos, and tests.
//!
//! Gold lines carry no offsets: every span is found by searching its text
//! (`date_text`, a total's `text`, a statement's `quote_start`, a claim's
//! `text`) in the document's text. A text that cannot be found gets no span
//! (for reports) or an empty span at offset 0 (where a span is required).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate};
use serde::Deserialize;
use strikewatch_model::{
    Channel, Claim, ClaimKind, DatePrecision, Extraction, ReportRole, RunningTotal, SourceKind,
    Span, Statement, StrikeReport,
};

use crate::error::ResolveError;
use crate::input::{DocMeta, SourceDocument};

/// One line of a corpus `docs.jsonl`.
#[derive(Debug, Clone, Deserialize)]
pub struct CorpusDoc {
    pub id: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub published_at: Option<String>,
    #[serde(default)]
    pub source_kind: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub text: String,
}

impl CorpusDoc {
    pub fn published(&self) -> Option<NaiveDate> {
        let p = self.published_at.as_deref()?.trim();
        DateTime::parse_from_rfc3339(p)
            .map(|d| d.date_naive())
            .ok()
            .or_else(|| NaiveDate::parse_from_str(p.get(..10)?, "%Y-%m-%d").ok())
    }

    pub fn meta(&self) -> DocMeta {
        DocMeta {
            id: self.id.clone(),
            url: self.url.clone(),
            title: self.title.clone(),
            published: self.published(),
            source: self.source.clone(),
            source_kind: self
                .source_kind
                .as_deref()
                .map_or(SourceKind::News, SourceKind::from_corpus),
        }
    }
}

#[derive(Debug, Deserialize)]
struct GoldIncident {
    date: Option<NaiveDate>,
    date_text: Option<String>,
    region: Option<String>,
    vessels: Option<u32>,
    killed: Option<u32>,
    survivors: Option<u32>,
    #[serde(default)]
    role: Option<String>,
    #[serde(default)]
    announced_by: Option<String>,
}

#[derive(Debug, Deserialize)]
struct GoldTotal {
    as_of: Option<NaiveDate>,
    strikes: Option<u32>,
    killed: Option<u32>,
    survivors: Option<u32>,
    text: String,
}

#[derive(Debug, Deserialize)]
struct GoldStatement {
    speaker: String,
    quote_start: String,
    #[serde(default)]
    channel: Option<Channel>,
    #[serde(default)]
    said_at: Option<NaiveDate>,
    #[serde(default)]
    claims: Vec<ClaimKind>,
}

#[derive(Debug, Deserialize)]
struct GoldClaim {
    kind: ClaimKind,
    text: String,
    speaker: String,
}

#[derive(Debug, Deserialize)]
struct GoldLine {
    id: String,
    #[serde(default)]
    incidents: Vec<GoldIncident>,
    #[serde(default)]
    totals: Vec<GoldTotal>,
    #[serde(default)]
    statements: Vec<GoldStatement>,
    #[serde(default)]
    claims: Vec<GoldClaim>,
}

/// The first occurrence of `needle` in `text` as a span.
pub fn find_span(text: &str, needle: &str) -> Option<Span> {
    if needle.is_empty() {
        return None;
    }
    text.find(needle)
        .and_then(|start| Span::of(text, start, start + needle.len()))
}

fn span_or_empty(text: &str, needle: &str) -> Span {
    find_span(text, needle).unwrap_or(Span {
        start: 0,
        end: 0,
        text: String::new(),
    })
}

/// Converts one gold line into an extraction of `doc`.
pub fn extraction_from_gold(doc: &CorpusDoc, gold_line: &str) -> Result<Extraction, String> {
    let g: GoldLine = serde_json::from_str(gold_line).map_err(|e| e.to_string())?;
    if g.id != doc.id {
        return Err(format!("gold line is for {}, document is {}", g.id, doc.id));
    }
    let text = doc.text.as_str();
    let incidents = g
        .incidents
        .into_iter()
        .map(|i| {
            let mut evidence = BTreeMap::new();
            if let Some(s) = i.date_text.as_deref().and_then(|t| find_span(text, t)) {
                evidence.insert("date".to_string(), s);
            }
            StrikeReport {
                date: i.date,
                date_precision: if i.date.is_some() {
                    DatePrecision::Day
                } else {
                    DatePrecision::Unknown
                },
                date_from: i.date,
                date_to: i.date,
                date_text: i.date_text,
                region: i.region,
                location_text: None,
                coordinates: None,
                vessels: i.vessels,
                killed: i.killed,
                killed_at_least: false,
                survivors: i.survivors,
                target_group: None,
                announced_by: i.announced_by,
                role: if i.role.as_deref() == Some("background") {
                    ReportRole::Background
                } else {
                    ReportRole::Main
                },
                evidence,
                confidence: Default::default(),
            }
        })
        .collect();
    let totals = g
        .totals
        .into_iter()
        .map(|t| RunningTotal {
            as_of: t.as_of,
            strikes: t.strikes,
            killed: t.killed,
            survivors: t.survivors,
            killed_at_least: false,
            attributed_to: None,
            span: span_or_empty(text, &t.text),
            text: t.text,
            evidence: BTreeMap::new(),
            confidence: Default::default(),
        })
        .collect();
    let statements = g
        .statements
        .into_iter()
        .map(|s| Statement {
            speaker: s.speaker,
            speaker_role: None,
            quote: s.quote_start.clone(),
            span: span_or_empty(text, &s.quote_start),
            quote_start: s.quote_start,
            channel: s.channel,
            said_at: s.said_at,
            attribution: None,
            claims: s.claims,
            confidence: Default::default(),
        })
        .collect();
    let claims = g
        .claims
        .into_iter()
        .map(|c| Claim {
            kind: c.kind,
            span: span_or_empty(text, &c.text),
            text: c.text,
            speaker: c.speaker,
        })
        .collect();
    Ok(Extraction {
        id: g.id,
        lexicon_version: "gold".to_string(),
        incidents,
        totals,
        statements,
        claims,
        diagnostics: Vec::new(),
        status: None,
        anchor_date: None,
        date_source: None,
    })
}

/// Reads a corpus `docs.jsonl`.
pub fn read_corpus_docs(jsonl: &str) -> Result<Vec<CorpusDoc>, ResolveError> {
    jsonl
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| {
            serde_json::from_str(l).map_err(|e| ResolveError::Corpus {
                what: "docs".into(),
                line: n + 1,
                message: e.to_string(),
            })
        })
        .collect()
}

/// Pairs a corpus with its gold file: one [`SourceDocument`] per gold line
/// whose document is in the corpus, in gold order.
pub fn gold_documents(
    docs_jsonl: &str,
    gold_jsonl: &str,
) -> Result<Vec<SourceDocument>, ResolveError> {
    let docs: BTreeMap<String, CorpusDoc> = read_corpus_docs(docs_jsonl)?
        .into_iter()
        .map(|d| (d.id.clone(), d))
        .collect();
    let mut out = Vec::new();
    for (n, line) in gold_jsonl
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let err = |message: String| ResolveError::Corpus {
            what: "gold".into(),
            line: n + 1,
            message,
        };
        #[derive(Deserialize)]
        struct Id {
            id: String,
        }
        let id: Id = serde_json::from_str(line).map_err(|e| err(e.to_string()))?;
        let Some(doc) = docs.get(&id.id) else {
            continue;
        };
        let extraction = extraction_from_gold(doc, line).map_err(err)?;
        out.push(SourceDocument {
            meta: doc.meta(),
            extraction,
        });
    }
    Ok(out)
}
