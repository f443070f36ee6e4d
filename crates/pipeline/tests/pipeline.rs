//! The pipeline end to end over a real store: ingest extracts and resolves,
//! rebuild gives what a fresh ingest gives, input order does not matter,
//! reviews and posted documents refresh the ledger.

use std::path::{Path, PathBuf};

use strikewatch_extract::Extractor;
use strikewatch_ingest::{IngestOptions, QuietObserver, collect_inputs};
use strikewatch_model::ledger::{Ledger, ReviewAction};
use strikewatch_model::read::{Filter, LedgerRead};
use strikewatch_pipeline::{ingest_files, ingest_json_document, rebuild, refresh_ledger};
use strikewatch_store::{SqliteStore, Store};

const DEV_DOCS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/dev/docs.jsonl");

fn ingest(store: &SqliteStore, paths: &[PathBuf]) {
    let extractor = Extractor::embedded().unwrap();
    let (files, skips) = collect_inputs(paths);
    let summary = ingest_files(
        store,
        &extractor,
        &files,
        &skips,
        IngestOptions::default(),
        &mut QuietObserver,
    )
    .unwrap();
    assert_eq!(summary.skipped, 0);
}

fn fresh(dir: &Path, name: &str, paths: &[PathBuf]) -> SqliteStore {
    let store = SqliteStore::open(&dir.join(name)).unwrap();
    ingest(&store, paths);
    store
}

fn json(ledger: &Ledger) -> String {
    serde_json::to_string_pretty(ledger).unwrap()
}

/// A ledger's JSON with every clock time ("2026-01-05T10:20:30…") cut to its
/// day; plain dates, which carry the ledger's facts, are left alone.
fn without_clock_times(json: &str) -> String {
    let bytes = json.as_bytes();
    let mut out = String::with_capacity(json.len());
    let mut i = 0;
    while i < json.len() {
        let is_time = bytes.len() >= i + 19
            && bytes[i + 10] == b'T'
            && bytes[i + 4] == b'-'
            && bytes[i + 13] == b':'
            && bytes[i..i + 4].iter().all(u8::is_ascii_digit);
        if is_time {
            out.push_str(&json[i..i + 10]);
            i += 19;
        } else {
            let c = json[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// The dev corpus split into files in a shuffled order (a fixed stride over
/// the lines), one document per file.
fn shuffled_copies(dir: &Path) -> Vec<PathBuf> {
    let text = std::fs::read_to_string(DEV_DOCS).unwrap();
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let n = lines.len();
    let sub = dir.join("shuffled");
    std::fs::create_dir_all(&sub).unwrap();
    (0..n)
        .map(|i| {
            let line = lines[(i * 7 + 3) % n];
            let path = sub.join(format!("part-{i:03}.jsonl"));
            std::fs::write(&path, format!("{line}\n")).unwrap();
            path
        })
        .collect()
}

#[test]
fn ingest_builds_and_stores_the_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let store = fresh(dir.path(), "a.db", &[DEV_DOCS.into()]);
    let ledger = store.ledger().unwrap();
    assert!(
        ledger.incidents.len() >= 10,
        "{} incidents",
        ledger.incidents.len()
    );
    // The first strike of the campaign, reported by many documents.
    let first = ledger
        .incidents
        .iter()
        .find(|i| i.date.map(|d| d.to_string()).as_deref() == Some("2025-09-02"))
        .expect("an incident on 2025-09-02");
    assert_eq!(first.region.as_deref(), Some("caribbean"));
    assert!(first.reports.len() >= 8, "{} reports", first.reports.len());
    // The read side answers from the same stored ledger.
    assert_eq!(
        store.incidents(&Filter::default()).unwrap(),
        ledger.incidents
    );
    assert_eq!(store.incident(&first.id).unwrap().as_ref(), Some(first));
    assert_eq!(store.document_count().unwrap(), 45);
}

#[test]
fn rebuild_gives_the_ledger_of_a_fresh_ingest() {
    let dir = tempfile::tempdir().unwrap();
    let a = fresh(dir.path(), "a.db", &[DEV_DOCS.into()]);
    let b = fresh(dir.path(), "b.db", &[DEV_DOCS.into()]);
    let extractor = Extractor::embedded().unwrap();
    let stats = rebuild(&b, &extractor).unwrap();
    assert_eq!(stats.documents, 45);
    assert_eq!(json(&a.ledger().unwrap()), json(&b.ledger().unwrap()));
    // Rebuilding twice changes nothing either.
    rebuild(&b, &extractor).unwrap();
    assert_eq!(json(&a.ledger().unwrap()), json(&b.ledger().unwrap()));
}

#[test]
fn rebuild_replaces_stale_extractions() {
    let dir = tempfile::tempdir().unwrap();
    let store = fresh(dir.path(), "a.db", &[DEV_DOCS.into()]);
    let expected = json(&store.ledger().unwrap());
    // An extraction from an older lexicon that found nothing.
    let mut stale = Vec::new();
    store
        .for_each_extraction(&mut |e| {
            let mut x = e.extraction;
            x.incidents.clear();
            x.lexicon_version = "old".into();
            stale.push(x);
            Ok(())
        })
        .unwrap();
    store.put_extractions(&stale).unwrap();
    refresh_ledger(&store).unwrap();
    assert!(store.ledger().unwrap().incidents.is_empty());
    rebuild(&store, &Extractor::embedded().unwrap()).unwrap();
    assert_eq!(json(&store.ledger().unwrap()), expected);
}

#[test]
fn input_order_does_not_change_the_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let a = fresh(dir.path(), "a.db", &[DEV_DOCS.into()]);
    let parts = shuffled_copies(dir.path());
    let b = fresh(dir.path(), "b.db", &parts);
    let la = a.ledger().unwrap();
    let lb = b.ledger().unwrap();
    let ids = |l: &Ledger| l.incidents.iter().map(|i| i.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&la), ids(&lb));
    assert_eq!(json(&la), json(&lb));
}

#[test]
fn a_review_is_applied_on_refresh_and_kept_by_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let store = fresh(dir.path(), "a.db", &[DEV_DOCS.into()]);
    let id = store.ledger().unwrap().incidents[0].id.clone();
    let review = store
        .append_review(
            "A. Reviewer",
            "checked against the announcement",
            ReviewAction::Annotate {
                incident: id.clone(),
                note: "video released the same day".into(),
            },
        )
        .unwrap();
    assert_eq!(review.seq, 1);
    refresh_ledger(&store).unwrap();
    let noted = store.incident(&id).unwrap().unwrap();
    assert!(
        noted.notes.iter().any(|n| n.contains("video released")),
        "{:?}",
        noted.notes
    );
    rebuild(&store, &Extractor::embedded().unwrap()).unwrap();
    let again = store.incident(&id).unwrap().unwrap();
    assert_eq!(again.notes, noted.notes);
    assert_eq!(store.reviews().unwrap().len(), 1);
}

#[test]
fn a_posted_document_is_archived_extracted_and_resolved() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("a.db")).unwrap();
    let extractor = Extractor::embedded().unwrap();
    let doc = serde_json::json!({
        "id": "posted-1",
        "url": "https://example.org/news/strike",
        "title": "U.S. strike on a boat in the Caribbean kills three",
        "published_at": "2025-10-03",
        "language": "en",
        "source_kind": "news",
        "text": "The U.S. military struck a boat in the Caribbean on Friday, Oct. 3, killing three people aboard, Defense Secretary Pete Hegseth said."
    });
    let id = ingest_json_document(&store, &extractor, &doc).unwrap();
    assert_eq!(id, "posted-1");
    assert!(Store::document(&store, "posted-1").unwrap().is_some());
    assert_eq!(store.counts().unwrap().captures, 1);
    let ledger = store.ledger().unwrap();
    let backed: Vec<_> = ledger
        .incidents
        .iter()
        .filter(|i| i.reports.iter().any(|r| r.document_id == "posted-1"))
        .collect();
    assert_eq!(backed.len(), 1, "{ledger:#?}");
    assert!(
        store
            .search(&search_request("Hegseth", 10))
            .unwrap()
            .hits
            .iter()
            .any(|h| h.document_id == "posted-1")
    );
    let bad = serde_json::json!({"title": "no text"});
    assert!(ingest_json_document(&store, &extractor, &bad).is_err());
}

fn posted_strike() -> serde_json::Value {
    serde_json::json!({
        "id": "posted-live",
        "url": "https://example.org/news/live",
        "title": "Strike in the Caribbean kills two",
        "published_at": "2025-09-16",
        "language": "en",
        "source_kind": "news",
        "text": "The U.S. military struck a boat in the Caribbean on Sept. 15, killing two people aboard, officials said. \"We will keep going,\" Hegseth wrote."
    })
}

#[test]
fn the_live_ledger_writes_what_a_full_refresh_writes() {
    let dir = tempfile::tempdir().unwrap();
    let extractor = Extractor::embedded().unwrap();
    let full = fresh(dir.path(), "full.db", &[DEV_DOCS.into()]);
    let live_store = fresh(dir.path(), "live.db", &[DEV_DOCS.into()]);
    let mut live = strikewatch_pipeline::LiveLedger::load(&live_store).unwrap();
    assert_eq!(json(live.ledger()), json(&full.ledger().unwrap()));

    ingest_json_document(&full, &extractor, &posted_strike()).unwrap();
    live.ingest_json(&live_store, &extractor, &posted_strike())
        .unwrap();
    assert_eq!(
        json(&live_store.ledger().unwrap()),
        json(&full.ledger().unwrap())
    );
    assert_eq!(
        live_store.incidents(&Filter::default()).unwrap(),
        full.incidents(&Filter::default()).unwrap()
    );

    let target = full.ledger().unwrap().incidents[3].id.clone();
    let action = ReviewAction::Reject {
        incident: target.clone(),
    };
    full.append_review("A", "not a strike", action.clone())
        .unwrap();
    refresh_ledger(&full).unwrap();
    live.add_review(&live_store, "A", "not a strike", action)
        .unwrap();
    let (a, b) = (full.ledger().unwrap(), live_store.ledger().unwrap());
    // The two reviews were written a moment apart, possibly in different
    // seconds: their clock times are the one thing that may differ.
    assert_eq!(
        without_clock_times(&json(&a)),
        without_clock_times(&json(&b))
    );
    assert_eq!(json(live.ledger()), json(&b));
    assert_eq!(
        live_store.incident(&target).unwrap().map(|i| i.grade),
        full.incident(&target).unwrap().map(|i| i.grade)
    );
    assert_eq!(
        live_store
            .search(&search_request("keep going", 5))
            .unwrap()
            .hits
            .len(),
        full.search(&search_request("keep going", 5))
            .unwrap()
            .hits
            .len()
    );
}

#[test]
fn documents_stored_without_extraction_are_extracted_on_the_next_ingest() {
    let dir = tempfile::tempdir().unwrap();
    let expected = fresh(dir.path(), "a.db", &[DEV_DOCS.into()]);
    // Documents stored by plain ingest, with no extraction behind them.
    let legacy = SqliteStore::open(&dir.path().join("b.db")).unwrap();
    let (files, skips) = collect_inputs(&[PathBuf::from(DEV_DOCS)]);
    strikewatch_ingest::Ingester::new(&legacy, IngestOptions::default(), &mut QuietObserver)
        .run(&files, &skips)
        .unwrap();
    assert_eq!(legacy.extraction_count().unwrap(), 0);
    // Re-ingesting the same bytes stores nothing new but fills the gap.
    ingest(&legacy, &[DEV_DOCS.into()]);
    assert_eq!(legacy.extraction_count().unwrap(), 45);
    assert_eq!(
        json(&legacy.ledger().unwrap()),
        json(&expected.ledger().unwrap())
    );
}

#[test]
fn a_live_ledger_knows_when_another_process_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let store = fresh(dir.path(), "a.db", &[DEV_DOCS.into()]);
    let live = strikewatch_pipeline::LiveLedger::load(&store).unwrap();
    assert!(live.is_current(&store).unwrap());
    let elsewhere = SqliteStore::open(store.path()).unwrap();
    refresh_ledger(&elsewhere).unwrap();
    assert!(!live.is_current(&store).unwrap());
}

fn search_request(q: &str, limit: usize) -> strikewatch_model::read::SearchRequest {
    strikewatch_model::read::SearchRequest {
        q: q.into(),
        limit,
        ..Default::default()
    }
}
