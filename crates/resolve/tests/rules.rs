//! Resolution rules on small hand-made inputs.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use proptest::prelude::*;
use strikewatch_model::ledger::{Grade, Ledger};
use strikewatch_model::{DatePrecision, Extraction, ReportRole, SourceKind, Span, StrikeReport};
use strikewatch_resolve::{DocMeta, ResolveInput, Resolver, SourceDocument, resolve};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn rep(date: Option<&str>, region: Option<&str>, killed: Option<u32>) -> StrikeReport {
    let date = date.map(d);
    StrikeReport {
        date,
        date_precision: if date.is_some() {
            DatePrecision::Day
        } else {
            DatePrecision::Unknown
        },
        date_from: date,
        date_to: date,
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

fn doc(id: &str, published: &str, kind: SourceKind, reports: Vec<StrikeReport>) -> SourceDocument {
    SourceDocument {
        meta: DocMeta {
            id: id.into(),
            url: Some(format!("https://{id}.example.org/story")),
            title: None,
            published: Some(d(published)),
            source: None,
            source_kind: kind,
        },
        extraction: Extraction {
            id: id.into(),
            incidents: reports,
            ..Extraction::default()
        },
    }
}

fn run(docs: Vec<SourceDocument>) -> Ledger {
    resolve(&ResolveInput { documents: docs }).unwrap()
}

#[test]
fn one_document_stating_two_strikes_on_one_day_keeps_them_apart() {
    let l = run(vec![doc(
        "a",
        "2025-11-02",
        SourceKind::News,
        vec![
            rep(Some("2025-11-01"), Some("caribbean"), Some(3)),
            rep(Some("2025-11-01"), Some("caribbean"), Some(3)),
        ],
    )]);
    assert_eq!(l.incidents.len(), 2);
}

#[test]
fn incompatible_tolls_on_one_day_are_two_strikes_and_close_ones_a_conflict() {
    let l = run(vec![
        doc(
            "a",
            "2025-11-02",
            SourceKind::News,
            vec![rep(Some("2025-11-01"), Some("caribbean"), Some(3))],
        ),
        doc(
            "b",
            "2025-11-02",
            SourceKind::News,
            vec![rep(Some("2025-11-01"), Some("caribbean"), Some(9))],
        ),
        doc(
            "c",
            "2025-11-03",
            SourceKind::News,
            vec![rep(Some("2025-11-01"), Some("caribbean"), Some(4))],
        ),
    ]);
    assert_eq!(l.incidents.len(), 2);
    let three = l
        .incidents
        .iter()
        .find(|i| i.killed.min == Some(3))
        .unwrap();
    assert_eq!(three.killed.max, Some(4));
    assert_eq!(three.grade, Grade::Contested);
    assert_eq!(three.conflicts[0].field, "killed");
}

#[test]
fn a_later_official_figure_is_a_correction_and_leads() {
    let l = run(vec![
        doc(
            "a",
            "2025-10-17",
            SourceKind::Official,
            vec![rep(Some("2025-10-16"), Some("caribbean"), Some(1))],
        ),
        doc(
            "b",
            "2025-10-18",
            SourceKind::Official,
            vec![rep(Some("2025-10-16"), Some("caribbean"), Some(2))],
        ),
    ]);
    assert_eq!(l.incidents.len(), 1);
    let i = &l.incidents[0];
    assert_eq!(i.official_killed, Some(2));
    assert_eq!(
        (i.corrections[0].from.as_str(), i.corrections[0].to.as_str()),
        ("1", "2")
    );
    assert_eq!(
        i.grade,
        Grade::Declared,
        "a corrected figure is not a dispute"
    );
}

#[test]
fn an_ambiguous_undated_mention_stays_unplaced() {
    let l = run(vec![
        doc(
            "a",
            "2025-11-02",
            SourceKind::News,
            vec![rep(Some("2025-11-01"), Some("caribbean"), Some(3))],
        ),
        doc(
            "b",
            "2025-11-05",
            SourceKind::News,
            vec![rep(Some("2025-11-04"), Some("caribbean"), Some(3))],
        ),
        doc(
            "c",
            "2025-11-06",
            SourceKind::News,
            vec![rep(None, Some("caribbean"), Some(3))],
        ),
        doc(
            "e",
            "2025-11-06",
            SourceKind::News,
            vec![rep(None, None, None)],
        ),
    ]);
    assert_eq!(l.incidents.len(), 2);
    assert_eq!(l.unplaced.len(), 2);
}

#[test]
fn a_range_report_joins_the_strike_inside_its_range() {
    let mut week = rep(None, Some("eastern_pacific"), Some(4));
    week.date_precision = DatePrecision::Range;
    week.date_from = Some(d("2025-12-01"));
    week.date_to = Some(d("2025-12-05"));
    week.evidence.insert(
        "date".into(),
        Span {
            start: 0,
            end: 4,
            text: "week".into(),
        },
    );
    let l = run(vec![
        doc(
            "a",
            "2025-12-04",
            SourceKind::News,
            vec![rep(Some("2025-12-04"), Some("eastern_pacific"), Some(4))],
        ),
        doc("b", "2025-12-06", SourceKind::News, vec![week.clone()]),
    ]);
    assert_eq!(l.incidents.len(), 1);
    assert_eq!(l.incidents[0].reports.len(), 2);
    // Alone, it is an incident with a date range and no day.
    let alone = run(vec![doc("b", "2025-12-06", SourceKind::News, vec![week])]);
    assert_eq!(alone.incidents.len(), 1);
    assert_eq!(alone.incidents[0].date, None);
    assert_eq!(alone.incidents[0].date_from, Some(d("2025-12-01")));
}

#[test]
fn a_rival_date_without_an_official_account_is_its_own_report() {
    let l = run(vec![
        doc(
            "a",
            "2025-10-16",
            SourceKind::News,
            vec![rep(Some("2025-10-14"), Some("caribbean"), Some(6))],
        ),
        doc(
            "b",
            "2025-10-16",
            SourceKind::News,
            vec![rep(Some("2025-10-15"), Some("caribbean"), Some(6))],
        ),
    ]);
    assert_eq!(l.incidents.len(), 2, "no official date to prefer");
}

fn synthetic(n: usize, seed: u64) -> Vec<SourceDocument> {
    let mut x = seed.max(1);
    let mut next = move |m: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % m
    };
    let start = d("2025-09-01");
    (0..n)
        .map(|i| {
            let day = start + Duration::days(next(120) as i64);
            let region = ["caribbean", "eastern_pacific"][next(2) as usize];
            let date = if next(8) == 0 {
                None
            } else {
                Some(day.format("%Y-%m-%d").to_string())
            };
            let mut r = rep(date.as_deref(), Some(region), Some(1 + next(6) as u32));
            if next(4) == 0 {
                r.announced_by = Some("Southern Command".into());
            }
            let published = (day + Duration::days(next(3) as i64))
                .format("%Y-%m-%d")
                .to_string();
            doc(&format!("s{i:03}"), &published, SourceKind::News, vec![r])
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// Spread over four months, updates touch only part of the timeline:
    /// the windowed update must still equal a full rebuild.
    #[test]
    fn windowed_updates_equal_full_rebuilds(seed in 1u64..u64::MAX, n in 20usize..160) {
        let docs = synthetic(n, seed);
        let mut r = Resolver::bundled().unwrap();
        for doc in &docs {
            r.add(doc.clone());
        }
        let full = resolve(&ResolveInput { documents: docs.clone() }).unwrap();
        prop_assert_eq!(serde_json::to_string(&r.ledger()).unwrap(), serde_json::to_string(&full).unwrap());
        // Remove a third of them again.
        let kept: Vec<_> = docs.iter().enumerate().filter(|(i, _)| i % 3 != 0).map(|(_, d)| d.clone()).collect();
        for (i, doc) in docs.iter().enumerate() {
            if i % 3 == 0 {
                r.remove(&doc.meta.id);
            }
        }
        let full = resolve(&ResolveInput { documents: kept }).unwrap();
        prop_assert_eq!(serde_json::to_string(&r.ledger()).unwrap(), serde_json::to_string(&full).unwrap());
    }
}
