//! Builds a [`LedgerData`] from a corpus (`docs.jsonl`) and its hand-made gold
//! extraction (`gold.jsonl`), for development and tests. Incidents are made
//! naively, one per (date, region) of the gold reports; the real resolver
//! replaces this. A hostile document is added so escaping can be tested.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;
use strikewatch_model::ledger::{
    Conflict, ConflictValue, CountRange, Grade, Incident, IncidentReport, Reconciliation, Review,
    ReviewAction,
};
use strikewatch_model::read::{ClaimRow, StatementRow};
use strikewatch_model::{
    Channel, Claim, ClaimKind, Document, PublishedAt, ReportRole, SourceKind, Span, Statement,
    TimePrecision,
};

use crate::memory::LedgerData;

#[derive(Debug, thiserror::Error)]
pub enum FixtureError {
    #[error("reading {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("line {line}: {source}")]
    Json {
        line: usize,
        source: serde_json::Error,
    },
    #[error("document: {0}")]
    Document(String),
}

/// A document line of the corpus format.
#[derive(Debug, Deserialize)]
struct CorpusDoc {
    id: String,
    url: Option<String>,
    published_at: Option<String>,
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    source_kind: Option<String>,
    #[serde(default)]
    source: Option<String>,
    title: Option<String>,
    text: String,
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

#[derive(Debug, Deserialize)]
struct GoldIncident {
    date: Option<NaiveDate>,
    date_text: Option<String>,
    region: Option<String>,
    vessels: Option<u32>,
    killed: Option<u32>,
    survivors: Option<u32>,
    role: Option<String>,
}

#[derive(Debug, Deserialize)]
struct GoldTotal {
    as_of: Option<NaiveDate>,
    strikes: Option<u32>,
    killed: Option<u32>,
    text: String,
}

#[derive(Debug, Deserialize)]
struct GoldStatement {
    speaker: String,
    quote_start: String,
    #[serde(default)]
    channel: Option<String>,
    #[serde(default)]
    said_at: Option<NaiveDate>,
    #[serde(default)]
    claims: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct GoldClaim {
    kind: String,
    text: String,
    speaker: String,
}

fn parse_published(text: &str) -> Option<PublishedAt> {
    let date = NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()?;
    let precision = if text.len() > 10 {
        TimePrecision::Second
    } else {
        TimePrecision::Day
    };
    Some(PublishedAt {
        date,
        text: text.to_string(),
        precision,
    })
}

/// Turns a JSON document, either in the model's own form or in the corpus
/// line form (`id`, `url`, `published_at`, `source_kind`, `title`, `text`),
/// into a [`Document`].
pub fn document_from_json(value: serde_json::Value) -> Result<Document, FixtureError> {
    if let Ok(doc) = serde_json::from_value::<Document>(value.clone()) {
        return Ok(doc);
    }
    let doc: CorpusDoc =
        serde_json::from_value(value).map_err(|e| FixtureError::Document(e.to_string()))?;
    if doc.id.trim().is_empty() {
        return Err(FixtureError::Document("empty id".into()));
    }
    Ok(Document {
        id: doc.id,
        url: doc.url,
        title: doc.title,
        published_at: doc.published_at.as_deref().and_then(parse_published),
        language: doc.language.unwrap_or_else(|| "en".into()),
        source: doc.source,
        source_kind: doc
            .source_kind
            .as_deref()
            .map(SourceKind::from_corpus)
            .unwrap_or_default(),
        text: doc.text,
        capture_sha256: None,
        private: false,
    })
}

fn lines<T: for<'de> Deserialize<'de>>(jsonl: &str) -> Result<Vec<T>, FixtureError> {
    jsonl
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|source| FixtureError::Json {
                line: i + 1,
                source,
            })
        })
        .collect()
}

fn span_of(text: &str, needle: &str) -> Option<Span> {
    let start = text.find(needle)?;
    Span::of(text, start, start + needle.len())
}

/// The quote from its first words to the closing quote mark (or the end of
/// the paragraph when the quote never closes).
fn quote_span(text: &str, quote_start: &str) -> Option<Span> {
    let start = text.find(quote_start)?;
    let rest = &text[start..];
    let para_end = rest.find("\n\n").unwrap_or(rest.len());
    let close = rest[..para_end]
        .find(['"', '\u{201d}', '\u{bb}'])
        .unwrap_or(para_end);
    let end = start + close.max(quote_start.len());
    Span::of(text, start, end)
}

/// Representative points per region: region-level placement, not a location.
fn region_point(region: Option<&str>) -> Option<[f64; 2]> {
    match region? {
        "caribbean" => Some([-75.0, 15.0]),
        "eastern_pacific" => Some([-96.0, 10.0]),
        _ => None,
    }
}

fn range(values: impl Iterator<Item = Option<u32>>) -> CountRange {
    let known: Vec<u32> = values.flatten().collect();
    CountRange {
        min: known.iter().min().copied(),
        max: known.iter().max().copied(),
    }
}

fn conflict(
    field: &str,
    reports: &[IncidentReport],
    get: fn(&IncidentReport) -> Option<u32>,
) -> Option<Conflict> {
    let mut by_value: BTreeMap<u32, ConflictValue> = BTreeMap::new();
    for r in reports {
        if let Some(v) = get(r) {
            let entry = by_value.entry(v).or_insert_with(|| ConflictValue {
                value: v.to_string(),
                documents: Vec::new(),
                official: false,
            });
            entry.documents.push(r.document_id.clone());
            entry.official |= r.official;
        }
    }
    (by_value.len() > 1).then(|| Conflict {
        field: field.into(),
        values: by_value.into_values().collect(),
    })
}

fn build_incident(key: &(NaiveDate, Option<String>), reports: Vec<IncidentReport>) -> Incident {
    let (date, region) = key;
    let conflicts: Vec<Conflict> = [
        conflict("vessels", &reports, |r| r.vessels),
        conflict("killed", &reports, |r| r.killed),
        conflict("survivors", &reports, |r| r.survivors),
    ]
    .into_iter()
    .flatten()
    .collect();
    let has_official = reports.iter().any(|r| r.official);
    let has_independent = reports.iter().any(|r| !r.official);
    let grade = match (conflicts.is_empty(), has_official, has_independent) {
        (false, _, _) => Grade::Contested,
        (true, true, true) => Grade::Corroborated,
        (true, true, false) => Grade::Declared,
        _ => Grade::SingleSource,
    };
    let point = region_point(region.as_deref());
    Incident {
        id: format!(
            "inc-{}-{}",
            date,
            region.as_deref().unwrap_or("unknown").replace('_', "-")
        ),
        date: Some(*date),
        date_from: Some(*date),
        date_to: Some(*date),
        region: region.clone(),
        point,
        point_precision: point.map(|_| "region".to_string()),
        vessels: range(reports.iter().map(|r| r.vessels)),
        killed: range(reports.iter().map(|r| r.killed)),
        survivors: range(reports.iter().map(|r| r.survivors)),
        official_killed: reports
            .iter()
            .filter(|r| r.official)
            .filter_map(|r| r.killed)
            .max(),
        grade,
        reports,
        conflicts,
        corrections: Vec::new(),
        notes: Vec::new(),
        ..Incident::default()
    }
}

/// The hostile document every XSS test looks for.
pub const HOSTILE_DOCUMENT_ID: &str = "hostile-001";

fn hostile_document() -> Document {
    Document {
        id: HOSTILE_DOCUMENT_ID.into(),
        url: Some("javascript:alert(1)".into()),
        title: Some("<script>alert(1)</script>".into()),
        published_at: parse_published("2025-09-03"),
        language: "en".into(),
        source: Some("<b>Hostile</b> Outlet".into()),
        source_kind: SourceKind::Other,
        text: "A boat was struck on Tuesday <img src=x onerror=alert(1)> in the Caribbean.\n\n\
               More at <a href=\"javascript:alert(1)\">this link</a> and javascript:alert(1).\n\n\
               \"<script>alert(2)</script> was the message,\" said Mallory Injector."
            .into(),
        capture_sha256: None,
        private: false,
    }
}

/// A made-up independent report that disagrees on the count, so the fixture
/// always holds a contested incident to show side by side.
pub const CONFLICTING_DOCUMENT_ID: &str = "fixture-conflict-001";

fn conflicting_document(date: NaiveDate, killed: u32) -> Document {
    Document {
        id: CONFLICTING_DOCUMENT_ID.into(),
        url: Some("https://example.net/fixture/conflicting-count".into()),
        title: Some("[fixture] A regional outlet gives a different death toll".into()),
        published_at: parse_published(&date.to_string()),
        language: "en".into(),
        source: Some("Fixture Outlet".into()),
        source_kind: SourceKind::News,
        text: format!(
            "A regional outlet said {} people were killed in the strike on {date}, citing port officials.",
            killed + 1
        ),
        capture_sha256: None,
        private: false,
    }
}

/// Builds the ledger from the contents of docs and gold files (several
/// corpora may be concatenated).
pub fn build(docs_jsonl: &str, gold_jsonl: &str) -> Result<LedgerData, FixtureError> {
    let mut documents = Vec::new();
    for value in lines::<serde_json::Value>(docs_jsonl)? {
        documents.push(document_from_json(value)?);
    }
    documents.push(hostile_document());
    let by_id: BTreeMap<String, &Document> = documents.iter().map(|d| (d.id.clone(), d)).collect();
    let gold: Vec<GoldLine> = lines(gold_jsonl)?;

    let mut grouped: BTreeMap<(NaiveDate, Option<String>), Vec<IncidentReport>> = BTreeMap::new();
    let mut statements = Vec::new();
    let mut claims = Vec::new();
    let mut totals = Vec::new();
    for line in &gold {
        let Some(doc) = by_id.get(&line.id) else {
            continue;
        };
        let official = doc.source_kind == SourceKind::Official;
        for (index, g) in line.incidents.iter().enumerate() {
            let Some(date) = g.date else { continue };
            let mut evidence = BTreeMap::new();
            if let Some(span) = g.date_text.as_deref().and_then(|t| span_of(&doc.text, t)) {
                evidence.insert("date".to_string(), span);
            }
            let report = IncidentReport {
                document_id: doc.id.clone(),
                report_index: index,
                url: doc.url.clone(),
                title: doc.title.clone(),
                published: doc.publication_date(),
                source_kind: doc.source_kind,
                official,
                role: if g.role.as_deref() == Some("background") {
                    ReportRole::Background
                } else {
                    ReportRole::Main
                },
                date: Some(date),
                date_text: g.date_text.clone(),
                region: g.region.clone(),
                vessels: g.vessels,
                killed: g.killed,
                survivors: g.survivors,
                evidence,
                date_from: Some(date),
                date_to: Some(date),
                killed_at_least: false,
                announced_by: None,
                undated: false,
                source: doc.source.clone(),
                location_text: None,
                coordinates: None,
                parts: Vec::new(),
            };
            grouped
                .entry((date, g.region.clone()))
                .or_default()
                .push(report);
        }
        for g in &line.statements {
            let Some(span) = quote_span(&doc.text, &g.quote_start) else {
                continue;
            };
            let statement = Statement {
                speaker: g.speaker.clone(),
                speaker_role: None,
                quote: span.text.clone(),
                quote_start: g.quote_start.clone(),
                channel: match g.channel.as_deref() {
                    Some("social_post") => Some(Channel::SocialPost),
                    Some("press_conference") => Some(Channel::PressConference),
                    Some("statement") => Some(Channel::Statement),
                    Some("interview") => Some(Channel::Interview),
                    Some("testimony") => Some(Channel::Testimony),
                    _ => None,
                },
                said_at: g.said_at.or(doc.publication_date()),
                span,
                attribution: None,
                claims: g
                    .claims
                    .iter()
                    .filter_map(|c| ClaimKind::parse(c))
                    .collect(),
                confidence: Default::default(),
            };
            statements.push(StatementRow {
                document_id: doc.id.clone(),
                statement_index: statements
                    .iter()
                    .filter(|s: &&StatementRow| s.document_id == doc.id)
                    .count(),
                url: doc.url.clone(),
                published: doc.publication_date(),
                statement,
                edit: None,
            });
        }
        for g in &line.claims {
            let (Some(kind), Some(span)) = (ClaimKind::parse(&g.kind), span_of(&doc.text, &g.text))
            else {
                continue;
            };
            claims.push(ClaimRow {
                document_id: doc.id.clone(),
                url: doc.url.clone(),
                published: doc.publication_date(),
                claim: Claim {
                    kind,
                    text: g.text.clone(),
                    speaker: g.speaker.clone(),
                    span,
                },
            });
        }
        for (index, g) in line.totals.iter().enumerate() {
            let Some(span) = span_of(&doc.text, &g.text) else {
                continue;
            };
            totals.push((doc.id.clone(), doc.url.clone(), index, g, span));
        }
    }

    // The hostile document backs the first incident without adding figures,
    // so its title and link show on an incident page.
    let hostile = hostile_document();
    if let Some((_, reports)) = grouped.iter_mut().next() {
        reports.push(IncidentReport {
            document_id: hostile.id.clone(),
            report_index: 0,
            url: hostile.url.clone(),
            title: hostile.title.clone(),
            published: hostile.publication_date(),
            source_kind: hostile.source_kind,
            official: false,
            role: ReportRole::Background,
            date: None,
            date_text: Some("on Tuesday".into()),
            region: None,
            vessels: None,
            killed: None,
            survivors: None,
            evidence: span_of(&hostile.text, "<img src=x onerror=alert(1)>")
                .map(|s| BTreeMap::from([("trigger".to_string(), s)]))
                .unwrap_or_default(),
            date_from: None,
            date_to: None,
            killed_at_least: false,
            announced_by: None,
            undated: true,
            source: hostile.source.clone(),
            location_text: Some("<b>off</b> the coast".into()),
            coordinates: None,
            parts: Vec::new(),
        });
    }
    if let Some(span) = quote_span(&hostile.text, "<script>alert(2)</script>") {
        statements.push(StatementRow {
            document_id: hostile.id.clone(),
            statement_index: 0,
            url: hostile.url.clone(),
            published: hostile.publication_date(),
            statement: Statement {
                speaker: "Mallory <i>Injector</i>".into(),
                speaker_role: Some("<script>alert(3)</script>".into()),
                quote: span.text.clone(),
                quote_start: span.text.clone(),
                channel: None,
                said_at: hostile.publication_date(),
                span: span.clone(),
                attribution: None,
                claims: vec![ClaimKind::Other],
                confidence: Default::default(),
            },
            edit: None,
        });
        claims.push(ClaimRow {
            document_id: hostile.id.clone(),
            url: hostile.url.clone(),
            published: hostile.publication_date(),
            claim: Claim {
                kind: ClaimKind::Other,
                text: span.text.clone(),
                speaker: "Mallory <i>Injector</i>".into(),
                span,
            },
        });
    }

    let mut extra_documents = Vec::new();
    if let Some(((date, region), reports)) = grouped
        .iter_mut()
        .find(|(_, r)| r.iter().any(|r| r.official && r.killed.is_some()))
    {
        let official = reports
            .iter()
            .find_map(|r| r.killed.filter(|_| r.official))
            .unwrap_or(0);
        let doc = conflicting_document(*date, official);
        let killed_text = (official + 1).to_string();
        let evidence: BTreeMap<String, Span> = [
            ("killed", killed_text.as_str()),
            ("date", date.to_string().as_str()),
        ]
        .into_iter()
        .filter_map(|(field, needle)| span_of(&doc.text, needle).map(|s| (field.to_string(), s)))
        .collect();
        reports.push(IncidentReport {
            document_id: doc.id.clone(),
            report_index: 0,
            url: doc.url.clone(),
            title: doc.title.clone(),
            published: doc.publication_date(),
            source_kind: doc.source_kind,
            official: false,
            role: ReportRole::Main,
            date: Some(*date),
            date_text: Some(date.to_string()),
            region: region.clone(),
            vessels: None,
            killed: Some(official + 1),
            survivors: None,
            evidence,
            date_from: Some(*date),
            date_to: Some(*date),
            killed_at_least: false,
            announced_by: None,
            undated: false,
            source: doc.source.clone(),
            location_text: None,
            coordinates: None,
            parts: Vec::new(),
        });
        extra_documents.push(doc);
    }
    documents.extend(extra_documents);

    let incidents: Vec<Incident> = grouped
        .iter()
        .map(|(k, r)| build_incident(k, r.clone()))
        .collect();
    let reconciliations = totals
        .into_iter()
        .map(|(document_id, url, total_index, g, span)| {
            let upto: Vec<&Incident> = incidents
                .iter()
                .filter(|i| g.as_of.is_some_and(|a| i.date.is_some_and(|d| d <= a)))
                .collect();
            let ledger_strikes = upto.len() as u32;
            let ledger_killed = CountRange {
                min: Some(upto.iter().filter_map(|i| i.killed.min).sum()),
                max: Some(upto.iter().filter_map(|i| i.killed.max).sum()),
            };
            Reconciliation {
                document_id,
                total_index,
                url,
                as_of: g.as_of,
                attributed_to: None,
                stated_strikes: g.strikes,
                stated_killed: g.killed,
                ledger_strikes,
                ledger_killed,
                killed_gap: g
                    .killed
                    .map(|k| i64::from(k) - i64::from(ledger_killed.max.unwrap_or(0))),
                strikes_gap: g.strikes.map(|s| i64::from(s) - i64::from(ledger_strikes)),
                span,
                killed_gap_min: g
                    .killed
                    .map(|k| i64::from(k) - i64::from(ledger_killed.min.unwrap_or(0))),
                killed_at_least: false,
                cause: None,
                explanation: Default::default(),
            }
        })
        .collect();
    let reviews = incidents
        .first()
        .map(|i| {
            vec![Review {
                seq: 1,
                at: "2025-09-04T12:00:00Z".into(),
                author: "reviewer".into(),
                reason: "Checked against the announcement video post.".into(),
                action: ReviewAction::Confirm {
                    incident: i.id.clone(),
                },
            }]
        })
        .unwrap_or_default();
    Ok(LedgerData {
        incidents,
        documents,
        statements,
        claims,
        reconciliations,
        reviews,
    })
}

fn read(path: &Path) -> Result<String, FixtureError> {
    std::fs::read_to_string(path).map_err(|source| FixtureError::Io {
        path: path.display().to_string(),
        source,
    })
}

/// Builds the development fixture from a `testdata` folder holding
/// `dev/{docs,gold}.jsonl` and `seed/{docs,gold}.jsonl`.
pub fn dev_ledger(testdata: &Path) -> Result<LedgerData, FixtureError> {
    let mut docs = read(&testdata.join("dev/docs.jsonl"))?;
    let mut gold = read(&testdata.join("dev/gold.jsonl"))?;
    for (file, out) in [
        ("seed/docs.jsonl", &mut docs),
        ("seed/gold.jsonl", &mut gold),
    ] {
        out.push('\n');
        out.push_str(&read(&testdata.join(file))?);
    }
    build(&docs, &gold)
}
