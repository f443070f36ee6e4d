//! Extractions made from gold lines, so that resolution can run on
//! hand-checked input.
//!
//! Gold lines carry no offsets: every span is found by searching its text
//! (`date_text`, a total's `text`, a statement's `quote_start`, a claim's
//! `text`) in the document's text. A text that cannot be found gets no span
//! (for reports) or an empty span at offset 0 (where a span is required).

use std::collections::BTreeMap;

use strikewatch_model::{
    Claim, DatePrecision, Extraction, RunningTotal, Span, Statement, StrikeReport,
};

use crate::{CorpusDoc, GoldDoc, GoldError, parse_corpus, parse_gold};

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

/// The extraction a perfect extractor would make of `doc`, as `gold` (its
/// gold line) annotates it. The extraction takes the gold line's id.
pub fn extraction_from_gold(doc: &CorpusDoc, gold: &GoldDoc) -> Extraction {
    let text = doc.text.as_str();
    let incidents = gold
        .incidents
        .iter()
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
                date_text: i.date_text.clone(),
                region: i.region.clone(),
                location_text: None,
                coordinates: None,
                vessels: i.vessels,
                killed: i.killed,
                killed_at_least: false,
                survivors: i.survivors,
                target_group: None,
                announced_by: i.announced_by.clone(),
                role: i.role,
                evidence,
                confidence: Default::default(),
            }
        })
        .collect();
    let totals = gold
        .totals
        .iter()
        .map(|t| {
            let words = t.text.clone().unwrap_or_default();
            RunningTotal {
                as_of: t.as_of,
                strikes: t.strikes,
                killed: t.killed,
                survivors: t.survivors,
                killed_at_least: false,
                attributed_to: None,
                span: span_or_empty(text, &words),
                text: words,
                evidence: BTreeMap::new(),
                confidence: Default::default(),
            }
        })
        .collect();
    let statements = gold
        .statements
        .iter()
        .map(|s| Statement {
            speaker: s.speaker.clone(),
            speaker_role: None,
            quote: s.quote_start.clone(),
            span: span_or_empty(text, &s.quote_start),
            quote_start: s.quote_start.clone(),
            channel: s.channel,
            said_at: s.said_at,
            attribution: None,
            claims: s.claims.clone(),
            confidence: Default::default(),
        })
        .collect();
    let claims = gold
        .claims
        .iter()
        .flatten()
        .map(|c| Claim {
            kind: c.kind,
            span: span_or_empty(text, &c.text),
            text: c.text.clone(),
            speaker: c.speaker.clone().unwrap_or_default(),
        })
        .collect();
    Extraction {
        id: gold.id.clone(),
        lexicon_version: "gold".to_string(),
        incidents,
        totals,
        statements,
        claims,
        diagnostics: Vec::new(),
        status: None,
        anchor_date: None,
        date_source: None,
    }
}

/// Pairs a corpus with its gold file: each gold line whose document is in
/// the corpus, with that document and the extraction it gives, in gold
/// order.
pub fn gold_extractions(
    docs_jsonl: &str,
    gold_jsonl: &str,
) -> Result<Vec<(CorpusDoc, Extraction)>, GoldError> {
    let docs: BTreeMap<String, CorpusDoc> = parse_corpus("docs", docs_jsonl)?
        .into_iter()
        .map(|d| (d.id.clone(), d))
        .collect();
    Ok(parse_gold("gold", gold_jsonl)?
        .iter()
        .filter_map(|g| {
            let doc = docs.get(&g.id)?;
            Some((doc.clone(), extraction_from_gold(doc, g)))
        })
        .collect())
}
