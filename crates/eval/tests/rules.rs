//! The scoring rules of SCORING.md, one by one.

use std::collections::BTreeMap;

use strikewatch_eval::{GoldDoc, GoldIncident, GoldStatement, GoldTotal, normalize_quote, score};
use strikewatch_model::{
    DatePrecision, Extraction, ReportRole, RunningTotal, Span, Statement, StrikeReport,
};

fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

fn gold_inc(date: Option<&str>, region: Option<&str>, killed: Option<u32>) -> GoldIncident {
    GoldIncident {
        date: date.map(day),
        date_text: None,
        region: region.map(str::to_string),
        vessels: Some(1),
        killed,
        survivors: None,
        role: ReportRole::Main,
        announced_by: None,
    }
}

fn pred_inc(date: Option<&str>, region: Option<&str>, killed: Option<u32>) -> StrikeReport {
    StrikeReport {
        date: date.map(day),
        date_precision: DatePrecision::Day,
        date_from: None,
        date_to: None,
        date_text: None,
        region: region.map(str::to_string),
        location_text: None,
        coordinates: None,
        vessels: Some(1),
        killed,
        killed_at_least: false,
        survivors: None,
        target_group: None,
        announced_by: None,
        role: ReportRole::Main,
        evidence: BTreeMap::new(),
        confidence: Default::default(),
    }
}

fn gold(id: &str, incidents: Vec<GoldIncident>) -> GoldDoc {
    GoldDoc {
        id: id.into(),
        incidents,
        totals: vec![],
        statements: vec![],
        claims: None,
        notes: None,
    }
}

fn pred(id: &str, incidents: Vec<StrikeReport>) -> Extraction {
    Extraction {
        id: id.into(),
        incidents,
        ..Default::default()
    }
}

#[test]
fn incidents_match_on_date_and_region_and_null_only_equals_null() {
    let g = vec![gold(
        "a",
        vec![gold_inc(Some("2025-09-02"), None, Some(11))],
    )];
    let p = vec![pred(
        "a",
        vec![pred_inc(Some("2025-09-02"), Some("caribbean"), Some(11))],
    )];
    let r = score(&[], &p, &g);
    assert_eq!((r.incidents.tp, r.incidents.fp, r.incidents.fn_), (0, 1, 1));
    assert_eq!(r.findings.len(), 2);
}

#[test]
fn tie_goes_to_the_prediction_agreeing_on_most_fields() {
    let g = vec![gold(
        "a",
        vec![gold_inc(Some("2025-09-02"), Some("caribbean"), Some(11))],
    )];
    let p = vec![pred(
        "a",
        vec![
            pred_inc(Some("2025-09-02"), Some("caribbean"), Some(4)),
            pred_inc(Some("2025-09-02"), Some("caribbean"), Some(11)),
        ],
    )];
    let r = score(&[], &p, &g);
    assert_eq!((r.incidents.tp, r.incidents.fp), (1, 1));
    assert_eq!(r.incident_fields["killed"].accuracy, 1.0);
}

#[test]
fn relaxed_date_accepts_one_day_apart_and_is_reported_separately() {
    let g = vec![gold(
        "a",
        vec![gold_inc(Some("2025-10-14"), Some("caribbean"), Some(6))],
    )];
    let p = vec![pred(
        "a",
        vec![pred_inc(Some("2025-10-15"), Some("caribbean"), Some(6))],
    )];
    let r = score(&[], &p, &g);
    assert_eq!(r.incidents.tp, 0);
    assert_eq!(r.incidents_relaxed.tp, 1);
}

#[test]
fn no_strike_documents_count_false_positives() {
    let g = vec![gold("a", vec![])];
    let p = vec![pred("a", vec![pred_inc(Some("1986-01-01"), None, None)])];
    let r = score(&[], &p, &g);
    assert_eq!((r.no_strike_documents, r.no_strike_false_positives), (1, 1));
    assert!(r.incidents.precision < 1.0);
}

fn total(as_of: &str, strikes: Option<u32>, killed: u32) -> RunningTotal {
    let span = Span {
        start: 0,
        end: 1,
        text: "x".into(),
    };
    RunningTotal {
        as_of: Some(day(as_of)),
        strikes,
        killed: Some(killed),
        survivors: None,
        killed_at_least: false,
        attributed_to: None,
        text: "x".into(),
        span,
        evidence: BTreeMap::new(),
        confidence: Default::default(),
    }
}

#[test]
fn totals_sharing_an_as_of_pair_by_killed_then_strikes() {
    let mut g = gold("a", vec![]);
    g.totals = vec![
        GoldTotal {
            as_of: Some(day("2025-11-17")),
            strikes: Some(21),
            killed: Some(82),
            survivors: None,
            text: None,
        },
        GoldTotal {
            as_of: Some(day("2025-11-17")),
            strikes: None,
            killed: Some(83),
            survivors: None,
            text: None,
        },
    ];
    let mut p = pred("a", vec![]);
    p.totals = vec![
        total("2025-11-17", None, 83),
        total("2025-11-17", Some(21), 82),
    ];
    let r = score(&[], &[p], &[g]);
    assert_eq!(r.totals.tp, 2);
    assert_eq!(r.total_fields["killed"].accuracy, 1.0);
    assert_eq!(r.total_fields["strikes"].accuracy, 1.0);
}

fn statement(speaker: &str, quote_start: &str) -> Statement {
    Statement {
        speaker: speaker.into(),
        speaker_role: None,
        quote: quote_start.into(),
        quote_start: quote_start.into(),
        channel: None,
        said_at: None,
        span: Span {
            start: 0,
            end: 0,
            text: String::new(),
        },
        attribution: None,
        claims: vec![],
        confidence: Default::default(),
    }
}

#[test]
fn statements_match_on_speaker_and_normalized_quote_prefix() {
    assert_eq!(
        normalize_quote("  “We  will”  KEEP going… "),
        "\"we will\" keep going"
    );
    let mut g = gold("a", vec![]);
    g.statements = vec![
        GoldStatement {
            speaker: "Pete Hegseth".into(),
            quote_start: "We will track these networks and deal with them".into(),
            channel: None,
            said_at: None,
            claims: vec![],
        },
        GoldStatement {
            speaker: "Donald Trump".into(),
            quote_start: "narcoterrorists".into(),
            channel: None,
            said_at: None,
            claims: vec![],
        },
        GoldStatement {
            speaker: "Donald Trump".into(),
            quote_start: "Anyone moving this poison toward our country".into(),
            channel: None,
            said_at: None,
            claims: vec![],
        },
    ];
    let mut p = pred("a", vec![]);
    p.statements = vec![
        statement(
            "pete hegseth",
            "We will track these networks and deal with them the way",
        ),
        statement("Donald Trump", "narcoterrorists."),
        // Shares only four words with a six-word gold start: no match.
        statement("Donald Trump", "Anyone moving this poison"),
    ];
    let r = score(&[], &[p], &[g]);
    assert_eq!(
        (r.statements.tp, r.statements.fp, r.statements.fn_),
        (2, 1, 1)
    );
}

#[test]
fn report_renders_as_table_and_json() {
    let g = vec![gold(
        "a",
        vec![gold_inc(Some("2025-09-02"), Some("caribbean"), Some(11))],
    )];
    let p = vec![pred(
        "a",
        vec![pred_inc(Some("2025-09-02"), Some("caribbean"), Some(10))],
    )];
    let r = score(&[], &p, &g);
    let table = r.to_table();
    assert!(
        table.contains("incidents") && table.contains("field:killed"),
        "{table}"
    );
    let json: serde_json::Value = serde_json::from_str(&r.to_json()).expect("json");
    assert_eq!(json["incidents"]["tp"], 1);
    assert_eq!(json["findings"][0]["document"], "a");
}

fn doc(id: &str, language: &str) -> strikewatch_model::Document {
    strikewatch_extract::parse_document_line(&format!(
        r#"{{"id":"{id}","language":"{language}","text":"x"}}"#
    ))
    .expect("corpus line")
}

#[test]
fn scores_are_broken_down_by_language() {
    let g = vec![
        gold(
            "a",
            vec![gold_inc(Some("2025-09-02"), Some("caribbean"), Some(11))],
        ),
        gold("b", vec![gold_inc(Some("2025-09-15"), None, Some(3))]),
    ];
    // The English document is right, the Spanish one missed.
    let p = vec![pred(
        "a",
        vec![pred_inc(Some("2025-09-02"), Some("caribbean"), Some(11))],
    )];
    let r = score(&[doc("a", "en"), doc("b", "es")], &p, &g);
    assert_eq!(r.incidents.tp, 1);
    assert_eq!(r.by_language["en"].incidents.recall, 1.0);
    assert_eq!(r.by_language["es"].incidents.recall, 0.0);
    assert_eq!(r.by_language["es"].documents, 1);
    assert!(r.to_table().contains("lang"));
    // One language: no breakdown.
    let r = score(&[doc("a", "en")], &p, &g);
    assert!(r.by_language.is_empty());
}
