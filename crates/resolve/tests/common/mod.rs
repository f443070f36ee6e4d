//! Shared test input: the dev corpus with extractions made from its gold file.
#![allow(dead_code)]

use chrono::NaiveDate;
use strikewatch_gold::{CorpusDoc, find_span, gold_extractions, parse_corpus};
use strikewatch_model::ledger::{Incident, Ledger};
use strikewatch_model::{DatePrecision, ReportRole, StrikeReport};
use strikewatch_resolve::{DocMeta, ResolveInput, SourceDocument};

pub const DOCS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/dev/docs.jsonl"
));
pub const GOLD: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/dev/gold.jsonl"
));

pub fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The dev corpus, gold-derived, in gold order.
pub fn corpus() -> Vec<SourceDocument> {
    gold_documents(DOCS, GOLD)
}

/// Each gold line of `gold` whose document is in `docs`, as resolution
/// reads it.
pub fn gold_documents(docs: &str, gold: &str) -> Vec<SourceDocument> {
    gold_extractions(docs, gold)
        .unwrap()
        .into_iter()
        .map(|(doc, extraction)| SourceDocument {
            meta: meta(&doc),
            extraction,
        })
        .collect()
}

pub fn meta(doc: &CorpusDoc) -> DocMeta {
    DocMeta {
        id: doc.id.clone(),
        url: doc.url.clone(),
        title: doc.title.clone(),
        published: doc.published(),
        source: doc.source.clone(),
        source_kind: doc.source_kind(),
    }
}

pub fn input(docs: Vec<SourceDocument>) -> ResolveInput {
    ResolveInput { documents: docs }
}

/// The dev corpus as an extractor that also reads the rival account in
/// dev-007 would give it: the president's date attributed to him, and the
/// regional site's "at dawn on Wednesday" as a second report of six dead.
pub fn corpus_with_rival_date() -> Vec<SourceDocument> {
    let texts = parse_corpus("docs", DOCS).unwrap();
    let text = &texts.iter().find(|d| d.id == "dev-007").unwrap().text;
    let mut docs = corpus();
    let doc = docs.iter_mut().find(|d| d.meta.id == "dev-007").unwrap();
    let official = &mut doc.extraction.incidents[0];
    official.announced_by = Some("Donald Trump".into());
    let mut rival: StrikeReport = official.clone();
    rival.announced_by = None;
    rival.date = Some(day("2025-10-15"));
    rival.date_from = rival.date;
    rival.date_to = rival.date;
    rival.date_precision = DatePrecision::Day;
    rival.date_text = Some("at dawn on Wednesday".into());
    rival.role = ReportRole::Background;
    rival.evidence.clear();
    rival.evidence.insert(
        "date".into(),
        find_span(text, "at dawn on Wednesday").unwrap(),
    );
    doc.extraction.incidents.push(rival);
    docs
}

pub fn on(ledger: &Ledger, date: &str) -> Vec<Incident> {
    ledger
        .incidents
        .iter()
        .filter(|i| i.date == Some(day(date)))
        .cloned()
        .collect()
}

pub fn docs_of(i: &Incident) -> Vec<String> {
    let mut d: Vec<String> = i.reports.iter().map(|r| r.document_id.clone()).collect();
    d.sort();
    d.dedup();
    d
}
