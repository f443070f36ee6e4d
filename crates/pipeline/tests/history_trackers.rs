//! History, time travel and tracker comparison over a real store, on a small
//! ledger built by the real pipeline (extract → resolve) from dev documents:
//! dev-001 (2 Sep strike, published 2 Sep), dev-002 (same strike, 3 Sep),
//! dev-003 (15 Sep strike), dev-044 (16 Feb strikes, published 17 Feb) and
//! dev-045 (a roundup of 18 Feb that widens the 16 Feb Caribbean toll).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use strikewatch_extract::Extractor;
use strikewatch_ingest::{IngestOptions, QuietObserver, collect_inputs};
use strikewatch_model::ledger::ReviewAction;
use strikewatch_model::read::LedgerRead;
use strikewatch_model::tracking::{ChangeKind, ComparisonStatus, LedgerAsOf};
use strikewatch_pipeline::{PipelineError, import_tracker, ingest_files, rebuild, refresh_ledger};
use strikewatch_store::{SqliteStore, Store};

const DEV_DOCS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/dev/docs.jsonl");
const PICKED: [&str; 5] = ["dev-001", "dev-002", "dev-003", "dev-044", "dev-045"];

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The picked dev documents, one file each, in `order`.
fn corpus(dir: &Path, order: &[usize]) -> Vec<PathBuf> {
    let text = std::fs::read_to_string(DEV_DOCS).unwrap();
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| {
            PICKED
                .iter()
                .any(|id| l.contains(&format!("\"id\": \"{id}\"")))
        })
        .collect();
    assert_eq!(lines.len(), PICKED.len());
    order
        .iter()
        .map(|&i| {
            let path = dir.join(format!("doc-{i}.jsonl"));
            std::fs::write(&path, format!("{}\n", lines[i])).unwrap();
            path
        })
        .collect()
}

/// A later report that puts the first strike's toll one higher: the
/// incident's killed range widens on its publication day.
const REVISED_TOLL: &str = r#"{"id":"revised-toll","url":"https://example.org/sample-wire/2025/09/10/first-strike-toll-revised","published_at":"2025-09-10","language":"en","source_kind":"news","title":"[sample] Toll of first boat strike revised","text":"Officials on Wednesday revised the toll of the Sept. 2 strike on a boat in the southern Caribbean, saying 12 people were killed in the attack, not 11."}"#;

fn store_with(dir: &Path, name: &str, order: &[usize]) -> SqliteStore {
    store_with_extra(dir, name, order, &[])
}

fn store_with_extra(dir: &Path, name: &str, order: &[usize], extra: &[&str]) -> SqliteStore {
    let sub = dir.join(name);
    std::fs::create_dir_all(&sub).unwrap();
    let store = SqliteStore::open(&sub.join("ledger.db")).unwrap();
    let mut paths = corpus(&sub, order);
    for (n, line) in extra.iter().enumerate() {
        let path = sub.join(format!("extra-{n}.jsonl"));
        std::fs::write(&path, format!("{line}\n")).unwrap();
        paths.push(path);
    }
    let (files, skips) = collect_inputs(&paths);
    ingest_files(
        &store,
        &Extractor::embedded().unwrap(),
        &files,
        &skips,
        IngestOptions::default(),
        &mut QuietObserver,
    )
    .unwrap();
    store
}

fn as_of(store: &SqliteStore, d: &str) -> LedgerAsOf {
    store.ledger_as_of(day(d)).unwrap().unwrap()
}

fn caribbean_16_feb(view: &LedgerAsOf) -> Option<&strikewatch_model::read::IncidentSummary> {
    view.incidents.iter().find(|i| {
        i.date == Some(day("2026-02-16"))
            && (i.region.as_deref() == Some("caribbean")
                || i.parts.iter().any(|p| p.region == "caribbean"))
    })
}

/// Everything the history shows, as one JSON text.
fn history_json(store: &SqliteStore) -> String {
    let changes = store.changes(None, None, 0, u64::MAX).unwrap();
    let views: Vec<LedgerAsOf> = [
        "2025-09-01",
        "2025-09-02",
        "2025-09-03",
        "2025-09-15",
        "2026-02-17",
        "2026-02-18",
        "2027-01-01",
    ]
    .iter()
    .map(|d| as_of(store, d))
    .collect();
    let histories: Vec<_> = store
        .incidents(&Default::default())
        .unwrap()
        .iter()
        .map(|i| store.incident_history(&i.id).unwrap())
        .collect();
    serde_json::to_string_pretty(&(changes, views, histories)).unwrap()
}

#[test]
fn as_of_shows_an_incident_only_from_its_first_report_and_its_range_widening_later() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_extra(dir.path(), "a", &[0, 1, 2, 3, 4], &[REVISED_TOLL]);

    assert!(as_of(&store, "2025-09-01").incidents.is_empty());
    let first = as_of(&store, "2025-09-02");
    assert_eq!(first.incidents.len(), 1, "{:?}", first.incidents);
    assert_eq!(first.documents, 1);
    assert_eq!(first.incidents[0].report_count, 1);
    assert_eq!(as_of(&store, "2025-09-03").incidents[0].report_count, 2);

    // dev-044 is published on 17 Feb: the strike of the 16th is not in the
    // ledger of the 16th, and is from the 17th.
    assert!(caribbean_16_feb(&as_of(&store, "2026-02-16")).is_none());
    assert!(caribbean_16_feb(&as_of(&store, "2026-02-17")).is_some());

    // An incident whose killed range a later report widens: one figure the
    // day before, a range from the day of the change.
    let all = store.changes(None, None, 0, u64::MAX).unwrap();
    let widened = all
        .changes
        .iter()
        .find(|c| c.kind == ChangeKind::Changed && c.cause.contains("killed range widened"))
        .expect("a later report widens some incident's killed range");
    let change_day = widened.day.expect("a dated change");
    assert_eq!(change_day, day("2025-09-10"));
    assert_eq!(widened.documents, vec!["revised-toll".to_string()]);
    assert!(widened.fields.iter().any(|f| f.field == "killed"));
    let view = |d: NaiveDate| store.ledger_as_of(d).unwrap().unwrap();
    let incident_in = |v: &LedgerAsOf| {
        v.incidents
            .iter()
            .find(|i| i.id == widened.incident_id)
            .cloned()
    };
    let before = incident_in(&view(change_day.pred_opt().unwrap())).expect("there the day before");
    assert_eq!(before.killed.min, before.killed.max);
    let after = incident_in(&view(change_day)).expect("there on the day of the change");
    assert!(after.killed.min < after.killed.max, "{:?}", after.killed);

    let since = store
        .changes(Some(change_day.pred_opt().unwrap()), None, 0, 1000)
        .unwrap();
    assert!(since.changes.iter().any(|c| c.seq == widened.seq));
    assert!(
        since.changes.iter().all(|c| c.day > change_day.pred_opt()),
        "since is exclusive"
    );

    // The incident page's history: added first, then the widening.
    let history = store.incident_history(&after.id).unwrap();
    assert_eq!(history[0].kind, ChangeKind::Added);
    assert!(history[0].day < Some(change_day));
    assert!(history.iter().any(|c| c.seq == widened.seq));

    // Today's view of the ledger matches the stored ledger.
    let now = as_of(&store, "2027-01-01");
    let current = store.incidents(&Default::default()).unwrap();
    let mut ids: Vec<&str> = current.iter().map(|i| i.id.as_str()).collect();
    ids.sort_unstable();
    let mut then: Vec<&str> = now.incidents.iter().map(|i| i.id.as_str()).collect();
    then.sort_unstable();
    assert_eq!(then, ids);
    assert_eq!(now.documents, 6);
    // The last day of the history is the ledger itself, row for row.
    let mut summaries: Vec<_> = current
        .iter()
        .map(strikewatch_model::read::IncidentSummary::of)
        .collect();
    summaries.sort_by(|a, b| (a.sort_day(), &a.id).cmp(&(b.sort_day(), &b.id)));
    assert_eq!(now.incidents, summaries);
    let mut stated = store.reconciliation(&Default::default()).unwrap();
    strikewatch_model::tracking::sort_reconciliation(&mut stated);
    assert_eq!(now.reconciliation, stated);
}

#[test]
fn changes_are_ordered_and_pages_add_up_to_the_whole() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with(dir.path(), "a", &[0, 1, 2, 3, 4]);
    let all = store.changes(None, None, 0, u64::MAX).unwrap();
    assert_eq!(all.total as usize, all.changes.len());
    assert!(all.changes.len() >= 5);
    let seqs: Vec<u64> = all.changes.iter().map(|c| c.seq).collect();
    assert_eq!(seqs, (1..=seqs.len() as u64).collect::<Vec<_>>());
    assert!(all.changes.windows(2).all(|w| w[0].day <= w[1].day));
    let mut paged = Vec::new();
    let mut offset = 0;
    loop {
        let page = store.changes(None, None, offset, 2).unwrap();
        assert_eq!(page.total, all.total);
        if page.changes.is_empty() {
            break;
        }
        offset += page.changes.len() as u64;
        paged.extend(page.changes);
    }
    assert_eq!(paged, all.changes);
    // By cursor (the `seq` of a page's last change), the same changes.
    let mut walked = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = store.changes(None, after.as_deref(), 0, 2).unwrap();
        assert_eq!(page.total, all.total);
        walked.extend(page.changes);
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    assert_eq!(walked, all.changes);
}

#[test]
fn history_and_as_of_views_are_identical_after_rebuild_and_in_any_ingest_order() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with(dir.path(), "a", &[0, 1, 2, 3, 4]);
    let before = history_json(&store);
    rebuild(&store, &Extractor::embedded().unwrap()).unwrap();
    assert_eq!(history_json(&store), before);
    let shuffled = store_with(dir.path(), "b", &[4, 2, 0, 3, 1]);
    assert_eq!(history_json(&shuffled), before);
}

#[test]
fn a_review_is_a_dated_change_with_its_cause() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with(dir.path(), "a", &[0, 1, 2, 3, 4]);
    let target = as_of(&store, "2025-09-02").incidents[0].id.clone();
    let review = store
        .append_review(
            "tester",
            "not a strike",
            ReviewAction::Reject {
                incident: target.clone(),
            },
        )
        .unwrap();
    refresh_ledger(&store).unwrap();
    let review_day = NaiveDate::parse_from_str(&review.at[..10], "%Y-%m-%d").unwrap();
    let history = store.incident_history(&target).unwrap();
    let change = history
        .iter()
        .find(|c| c.reviews == vec![review.seq])
        .expect("the review is in the incident's history");
    assert_eq!(change.day, Some(review_day));
    assert!(change.fields.iter().any(|f| f.field == "grade"));
    assert!(change.cause.contains("review #"), "{}", change.cause);
    // The day before the review, the incident is not retracted yet.
    let eve = review_day.pred_opt().unwrap();
    let then = store.ledger_as_of(eve).unwrap().unwrap();
    let row = then.incidents.iter().find(|i| i.id == target).unwrap();
    assert_ne!(row.grade.as_str(), "retracted");
}

const TRACKER: &str = "\
# an invented tracker for the test
date,region,vessels,killed,survivors,source_url
2025-09-02,Caribbean,1,11,,https://example.org/t/1
2025-09-16,C,1,3,,https://example.org/t/2
2026-02-16,Caribbean,1,3,,https://example.org/t/3
2025-11-01,Caribbean,1,3,,https://example.org/t/4
";

#[test]
fn tracker_comparison_statuses_with_the_ledgers_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with(dir.path(), "a", &[0, 1, 2, 3, 4]);
    let imported = import_tracker(&store, "test", "t.csv", TRACKER.as_bytes()).unwrap();
    assert_eq!((imported.version, imported.rows), (1, 4));
    let c = store.tracker_comparison("test").unwrap().unwrap();
    assert_eq!(c, imported.comparison);
    let by_line = |line: u64| {
        c.rows
            .iter()
            .find(|r| r.tracker.as_ref().is_some_and(|t| t.line == line))
            .unwrap()
    };
    // Same day, same figures.
    assert_eq!(
        by_line(3).status,
        ComparisonStatus::Agree,
        "{:?}",
        by_line(3).differences
    );
    // One day apart: matched, the date differs.
    let shifted = by_line(4);
    assert_eq!(shifted.status, ComparisonStatus::Differs);
    assert_eq!(shifted.differences[0].field, "date");
    // The ledger's 16 Feb Caribbean toll is 11–14: the tracker's 3 differs,
    // and each difference carries the ledger's documents and sentences.
    let differs = by_line(5);
    assert_eq!(differs.status, ComparisonStatus::Differs);
    let killed = differs
        .differences
        .iter()
        .find(|d| d.field == "killed")
        .unwrap();
    assert_eq!(killed.tracker.as_deref(), Some("3"));
    assert!(!killed.evidence.is_empty());
    for e in &killed.evidence {
        let span = e.span.as_ref().expect("a sentence span");
        let doc = Store::document(&store, &e.document_id).unwrap().unwrap();
        assert_eq!(&doc.text[span.start..span.end], span.text);
    }
    // A strike the ledger does not hold, and one the tracker does not.
    assert_eq!(by_line(6).status, ComparisonStatus::OnlyInTracker);
    let only_ledger: Vec<_> = c
        .rows
        .iter()
        .filter(|r| r.status == ComparisonStatus::OnlyInLedger)
        .collect();
    assert!(only_ledger.iter().any(|r| {
        r.ledger
            .as_ref()
            .is_some_and(|l| l.region.as_deref() == Some("eastern_pacific"))
    }));
    let listed = store.trackers().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].only_in_tracker, 1);
}

#[test]
fn tracker_round_trip_bad_rows_and_new_versions() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with(dir.path(), "a", &[0, 1, 2]);
    import_tracker(&store, "test", "t.csv", TRACKER.as_bytes()).unwrap();
    let stored = store.latest_trackers().unwrap();
    assert_eq!(stored[0].rows.len(), 4);
    let first = &stored[0].rows[0];
    assert_eq!(first.line, 3);
    assert_eq!(first.date, day("2025-09-02"));
    assert_eq!(first.region.as_deref(), Some("caribbean"));
    assert_eq!(
        (first.vessels, first.killed, first.survivors),
        (Some(1), Some(11), None)
    );
    assert_eq!(first.source_url.as_deref(), Some("https://example.org/t/1"));
    assert_eq!(stored[0].rows[1].region.as_deref(), Some("caribbean"));

    for (bad, line, words) in [
        (
            "date,region,vessels,killed,survivors,source_url\n2025-09-02,Caribbean,1,11,0,\n2025-13-40,Caribbean,1,3,,\n",
            3,
            "date `2025-13-40`",
        ),
        (
            "date,region,vessels,killed,survivors,source_url\n2025-09-02,Atlantis,1,11,0,\n",
            2,
            "region `Atlantis`",
        ),
        (
            "date,region,vessels,killed,survivors,source_url\n2025-09-02,Caribbean,1,eleven,0,\n",
            2,
            "killed `eleven`",
        ),
        (
            "date,region,vessels,killed,source_url\n2025-09-02,Caribbean,1,11,\n",
            1,
            "`survivors` column",
        ),
    ] {
        let err = import_tracker(&store, "test", "bad.csv", bad.as_bytes()).unwrap_err();
        assert!(matches!(err, PipelineError::Tracker(_)), "{err:?}");
        let text = err.to_string();
        assert!(
            text.starts_with(&format!("bad.csv: line {line}: ")),
            "{text}"
        );
        assert!(text.contains(words), "{text}");
    }
    // Nothing of the bad files was stored.
    assert_eq!(store.latest_trackers().unwrap(), stored);
    assert!(import_tracker(&store, "no spaces", "t.csv", TRACKER.as_bytes()).is_err());

    // A re-import is a new version that replaces the compared rows.
    let second = "date,region,vessels,killed,survivors,source_url\n2025-09-15,Caribbean,1,3,,\n";
    let again = import_tracker(&store, "test", "t2.csv", second.as_bytes()).unwrap();
    assert_eq!(again.version, 2);
    let c = store.tracker_comparison("test").unwrap().unwrap();
    assert_eq!(c.version, 2);
    assert_eq!(
        c.rows.iter().filter(|r| r.tracker.is_some()).count(),
        1,
        "only the new version's rows are compared"
    );
    assert_eq!(c.count(ComparisonStatus::Agree), 1);
}
