//! A ledger whose numbers add up, built with the real pipeline (extract →
//! resolve): stated totals placed and explained, suspect incidents kept out
//! of the headline, one announcement covering two seas counted once.

use chrono::NaiveDate;
use strikewatch_extract::{Extractor, parse_document_line};
use strikewatch_model::ledger::{GapCause, Grade, Incident, Ledger, ReviewAction};
use strikewatch_pipeline::{ingest_json_document, rebuild, refresh_ledger};
use strikewatch_resolve::{ResolveInput, SourceDocument, resolve};
use strikewatch_store::{SqliteStore, Store};

const DEV_DOCS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/dev/docs.jsonl"
));

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The dev corpus and any extra lines, extracted by the real extractor.
fn extracted(extra: &[serde_json::Value]) -> Vec<SourceDocument> {
    let extractor = Extractor::embedded().unwrap();
    let extra: Vec<String> = extra.iter().map(|v| v.to_string()).collect();
    DEV_DOCS
        .lines()
        .filter(|l| !l.trim().is_empty())
        .chain(extra.iter().map(String::as_str))
        .map(|line| {
            let doc = parse_document_line(line).unwrap();
            let extraction = extractor.extract(&doc);
            SourceDocument::new(&doc, extraction)
        })
        .collect()
}

fn ledger_of(docs: Vec<SourceDocument>) -> Ledger {
    resolve(&ResolveInput { documents: docs }).unwrap()
}

/// Deaths the headline sums: incidents that count, by their lower figure.
fn headline_killed(l: &Ledger) -> u32 {
    l.incidents
        .iter()
        .filter(|i| i.grade.in_headline())
        .filter_map(|i| i.killed.min)
        .sum()
}

fn headline_count(l: &Ledger) -> usize {
    l.incidents.iter().filter(|i| i.grade.in_headline()).count()
}

fn planted(id: &str, published: &str, text: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "url": format!("https://example.org/planted/{id}"),
        "title": "[planted] roundup",
        "published_at": published,
        "language": "en",
        "source_kind": "news",
        "text": text,
    })
}

/// A cumulative sentence read as one strike of 2 September.
fn cumulative_as_strike() -> serde_json::Value {
    planted(
        "planted-cumulative",
        "2025-09-03",
        "U.S. forces struck 40 vessels in the Caribbean on Sept. 2, killing 124 people, officials said.",
    )
}

fn suspects(l: &Ledger) -> Vec<&Incident> {
    l.incidents
        .iter()
        .filter(|i| i.grade == Grade::Suspect)
        .collect()
}

#[test]
fn a_cumulative_sentence_read_as_a_strike_is_suspect_and_the_headline_stays() {
    let clean = ledger_of(extracted(&[]));
    let dirty = ledger_of(extracted(&[cumulative_as_strike()]));
    let flagged = suspects(&dirty);
    let planted: Vec<&&Incident> = flagged
        .iter()
        .filter(|i| {
            i.reports
                .iter()
                .any(|r| r.document_id == "planted-cumulative")
        })
        .collect();
    assert_eq!(
        planted.len(),
        1,
        "the planted strike is one suspect incident"
    );
    let s = planted[0].suspect.as_ref().unwrap();
    assert!(s.reason.contains("124"), "{}", s.reason);
    assert_eq!(headline_killed(&dirty), headline_killed(&clean));
    assert_eq!(headline_count(&dirty), headline_count(&clean));
    // The reconciliation is the clean one's, but names the incident.
    for (a, b) in clean.reconciliation.iter().zip(&dirty.reconciliation) {
        assert_eq!(a.ledger_killed, b.ledger_killed, "{}", b.document_id);
    }
}

/// A strike with plausible figures that no stated total holds: no
/// threshold fires, only the totals can tell.
fn phantom() -> serde_json::Value {
    planted(
        "planted-phantom",
        "2025-09-09",
        "The U.S. military struck a boat in the Caribbean on Sept. 8, killing 30 people, officials said.",
    )
}

#[test]
fn an_incident_the_totals_cannot_hold_is_suspect_and_named() {
    let clean = ledger_of(extracted(&[]));
    let dirty = ledger_of(extracted(&[phantom()]));
    let flagged: Vec<&Incident> = suspects(&dirty)
        .into_iter()
        .filter(|i| i.reports.iter().any(|r| r.document_id == "planted-phantom"))
        .collect();
    assert_eq!(flagged.len(), 1);
    assert_eq!(
        flagged[0].suspect.as_ref().unwrap().rule,
        "totals_cannot_hold"
    );
    assert_eq!(headline_killed(&dirty), headline_killed(&clean));
    let named: Vec<_> = dirty
        .reconciliation
        .iter()
        .filter(|r| r.cause == Some(GapCause::SuspectIncident))
        .collect();
    assert!(!named.is_empty());
    assert!(
        named
            .iter()
            .all(|r| r.explanation.incidents.contains(&flagged[0].id))
    );
}

#[test]
fn a_day_before_the_campaign_is_no_strike_at_extraction() {
    let old = planted(
        "planted-2001",
        "2001-09-12",
        "U.S. forces struck a boat in the Caribbean on Sept. 11, 2001, killing three people, officials said.",
    );
    let clean = ledger_of(extracted(&[]));
    let dirty = ledger_of(extracted(&[old]));
    assert!(
        dirty
            .incidents
            .iter()
            .all(|i| i.date.is_none_or(|d| d >= day("2025-09-02")))
    );
    assert_eq!(headline_killed(&dirty), headline_killed(&clean));
}

#[test]
fn an_incident_dated_before_the_campaign_is_suspect() {
    // An extraction from elsewhere (an older lexicon, an import) may still
    // carry such a day: the resolver keeps it out of the headline.
    let late = planted(
        "planted-2001",
        "2025-09-12",
        "U.S. forces struck a boat in the Caribbean on Sept. 11, killing three people, officials said.",
    );
    let clean = ledger_of(extracted(&[]));
    let mut docs = extracted(&[late]);
    let planted_doc = docs
        .iter_mut()
        .find(|d| d.meta.id == "planted-2001")
        .unwrap();
    assert_eq!(planted_doc.extraction.incidents.len(), 1);
    let report = &mut planted_doc.extraction.incidents[0];
    report.date = Some(day("2001-09-11"));
    report.date_from = report.date;
    report.date_to = report.date;
    let dirty = ledger_of(docs);
    let flagged: Vec<&Incident> = suspects(&dirty)
        .into_iter()
        .filter(|i| i.date.is_some_and(|d| d < day("2025-01-01")))
        .collect();
    assert_eq!(flagged.len(), 1);
    assert_eq!(flagged[0].suspect.as_ref().unwrap().rule, "before_campaign");
    assert_eq!(headline_killed(&dirty), headline_killed(&clean));
}

#[test]
fn a_reviewer_confirming_a_suspect_incident_lifts_it() {
    let dirty = ledger_of(extracted(&[cumulative_as_strike()]));
    let id = suspects(&dirty)[0].id.clone();
    let review = strikewatch_model::ledger::Review {
        seq: 1,
        at: "2026-01-01T00:00:00Z".into(),
        author: "r".into(),
        reason: "checked".into(),
        action: ReviewAction::Confirm {
            incident: id.clone(),
        },
    };
    let reviewed = strikewatch_resolve::apply_reviews(&dirty, &[review]).unwrap();
    let i = reviewed.incident(&id).unwrap();
    assert_ne!(i.grade, Grade::Suspect);
    assert!(i.suspect.is_some(), "the reason stays visible");
    assert!(headline_killed(&reviewed) > headline_killed(&dirty));
}

#[test]
fn every_stated_total_of_the_dev_corpus_is_matched_or_explained() {
    let l = ledger_of(extracted(&[]));
    assert!(!l.reconciliation.is_empty());
    for r in &l.reconciliation {
        assert!(r.cause.is_some(), "{} has no cause", r.document_id);
        assert!(!r.explanation.text.is_empty());
    }
    let matched = l
        .reconciliation
        .iter()
        .filter(|r| r.cause == Some(GapCause::Matched))
        .count();
    assert!(
        matched * 2 > l.reconciliation.len(),
        "most totals match: {matched} of {}",
        l.reconciliation.len()
    );
}

#[test]
fn a_total_is_placed_at_the_strike_its_text_reports() {
    // dev-007, published 16 October (the day of another strike), reports
    // the strike of 14 October "bringing" the total to 27: compared with the
    // ledger through the 14th, not through the day it was given. dev-008,
    // published on the 18th, counts the strike of the 16th but not the 17th.
    let l = ledger_of(extracted(&[]));
    for (doc, through) in [("dev-007", "2025-10-14"), ("dev-008", "2025-10-16")] {
        let row = l
            .reconciliation
            .iter()
            .find(|r| r.document_id == doc)
            .unwrap();
        assert_eq!(
            row.cause,
            Some(GapCause::Matched),
            "{}",
            row.explanation.text
        );
        assert_eq!(
            row.explanation.compared_through,
            Some(day(through)),
            "{doc}"
        );
        assert_eq!(row.killed_gap, Some(0));
    }
}

#[test]
fn a_total_given_on_the_day_of_a_strike_it_reports_includes_it() {
    // dev-013 reports the strike of 24 October and, the same day, the tenth
    // strike's total: compared with the ledger including that strike.
    let l = ledger_of(extracted(&[]));
    let row = l
        .reconciliation
        .iter()
        .find(|r| r.document_id == "dev-013")
        .unwrap();
    assert_eq!(row.as_of, Some(day("2025-10-24")));
    assert_eq!(
        row.cause,
        Some(GapCause::Matched),
        "{}",
        row.explanation.text
    );
    assert_eq!(row.explanation.compared_through, Some(day("2025-10-24")));
}

#[test]
fn a_missing_strike_between_two_totals_gets_its_window() {
    // The ledger lacks the strike of 3 October: drop its reports from every
    // extraction, as an extractor that missed it would.
    let mut docs = extracted(&[]);
    for d in &mut docs {
        d.extraction
            .incidents
            .retain(|r| r.date != Some(day("2025-10-03")));
    }
    let l = ledger_of(docs);
    let missing: Vec<_> = l
        .reconciliation
        .iter()
        .filter(|r| r.cause == Some(GapCause::MissingStrike))
        .collect();
    assert!(!missing.is_empty());
    let first = missing[0];
    let (from, to) = (
        first.explanation.likely_from.unwrap(),
        first.explanation.likely_to.unwrap(),
    );
    assert!(
        from <= day("2025-10-03") && day("2025-10-03") <= to,
        "window {from}..{to}: {}",
        first.explanation.text
    );
    assert!(to - from < chrono::Duration::days(30));
}

#[test]
fn one_announcement_in_two_seas_is_one_record_counted_once() {
    let l = ledger_of(extracted(&[]));
    let feb16: Vec<&Incident> = l
        .incidents
        .iter()
        .filter(|i| i.date == Some(day("2026-02-16")))
        .collect();
    assert_eq!(feb16.len(), 1, "one announcement record");
    let i = feb16[0];
    let seas: Vec<&str> = i.parts.iter().map(|p| p.region.as_str()).collect();
    assert_eq!(seas, ["caribbean", "eastern_pacific"]);
    assert!(
        i.parts.iter().all(|p| p.point.is_some()),
        "both seas on the map"
    );
    assert_ne!(i.grade, Grade::Contested);
    assert!(
        i.conflicts.iter().all(|c| c.field != "killed"),
        "{:?}",
        i.conflicts
    );
    assert_eq!(i.killed.max, Some(11), "the combined toll, once");
    assert_eq!(i.vessels.max, Some(3));
}

#[test]
fn rebuild_and_live_updates_give_the_same_reconciliation() {
    let dir = tempfile::tempdir().unwrap();
    let extractor = Extractor::embedded().unwrap();
    let store = SqliteStore::open(&dir.path().join("a.db")).unwrap();
    let live_store = SqliteStore::open(&dir.path().join("b.db")).unwrap();
    let mut live = strikewatch_pipeline::LiveLedger::load(&live_store).unwrap();
    for line in DEV_DOCS.lines().filter(|l| !l.trim().is_empty()) {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        ingest_json_document(&store, &extractor, &value).unwrap();
        live.ingest_json(&live_store, &extractor, &value).unwrap();
    }
    for extra in [cumulative_as_strike(), phantom()] {
        ingest_json_document(&store, &extractor, &extra).unwrap();
        live.ingest_json(&live_store, &extractor, &extra).unwrap();
    }
    refresh_ledger(&store).unwrap();
    let incremental = store.ledger().unwrap();
    rebuild(&store, &extractor).unwrap();
    let rebuilt = store.ledger().unwrap();
    let json = |l: &Ledger| serde_json::to_string(&l.reconciliation).unwrap();
    assert_eq!(json(&incremental), json(&rebuilt));
    assert_eq!(json(&live_store.ledger().unwrap()), json(&rebuilt));
    let grades = |l: &Ledger| {
        l.incidents
            .iter()
            .map(|i| (i.id.clone(), i.grade))
            .collect::<Vec<_>>()
    };
    assert_eq!(grades(&live_store.ledger().unwrap()), grades(&rebuilt));
}
