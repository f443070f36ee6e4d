//! `?as_of=`, `/changes` and `/trackers` over a ledger built by the real
//! pipeline from the development corpus (its history replayed day by day
//! and stored) with the sample tracker shipped for the demo imported.

mod common;

use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::http::StatusCode;
use chrono::NaiveDate;
use strikewatch_model::Document;
use strikewatch_model::ledger::{Incident, Reconciliation, Review};
use strikewatch_model::read::{
    ClaimRow, Filter, LedgerRead, ReadResult, SearchRequest, SearchResults, StatementRow,
};
use strikewatch_model::tracking::LedgerAsOf;
use strikewatch_store::SqliteStore;
use strikewatch_web::{WebOptions, router};

const SAMPLE_TRACKER: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/trackers/sample-tracker.csv"
);

/// The development corpus with the sample tracker imported as `sample`.
fn ledger() -> Arc<SqliteStore> {
    static LEDGER: OnceLock<Arc<SqliteStore>> = OnceLock::new();
    LEDGER
        .get_or_init(|| {
            let dev = common::store_with(
                "time-travel",
                &[std::path::Path::new(common::TESTDATA).join("dev/docs.jsonl")],
                &[],
            );
            let bytes = std::fs::read(SAMPLE_TRACKER).unwrap();
            strikewatch_pipeline::import_tracker(
                dev.as_ref(),
                "sample",
                "sample-tracker.csv",
                &bytes,
            )
            .unwrap();
            dev
        })
        .clone()
}

fn app() -> Router {
    router(ledger(), WebOptions::default())
}

/// The stored ledger as of `day`, read from the store itself.
fn as_of(day: NaiveDate) -> LedgerAsOf {
    ledger()
        .ledger_as_of(day)
        .unwrap()
        .expect("a stored history")
}

fn incidents() -> Vec<Incident> {
    common::incidents(ledger().as_ref())
}

use common::http::get;

async fn json(app: &Router, uri: &str) -> serde_json::Value {
    let r = get(app, uri).await;
    assert_eq!(r.status, StatusCode::OK, "{uri}: {}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[tokio::test]
async fn as_of_pages_and_twins_show_the_ledger_of_that_day() {
    let app = app();
    let now = json(&app, "/index.json").await;
    let then = json(&app, "/index.json?as_of=2025-10-20").await;
    let expected = as_of(day("2025-10-20"));
    assert_eq!(then["incidents"], expected.incidents.len());
    assert!(then["incidents"].as_u64() < now["incidents"].as_u64());
    assert_eq!(then["documents"], expected.documents);
    assert!(then["latest_strike"].as_str().unwrap() <= "2025-10-20");

    let before = json(&app, "/incidents.json?as_of=2025-09-01").await;
    assert_eq!(before["total"], 0);
    let listed = json(&app, "/incidents.json?as_of=2025-10-20&per_page=1000").await;
    assert_eq!(listed["total"], expected.incidents.len());
    let csv = get(&app, "/incidents.csv?as_of=2025-10-20").await;
    assert!(csv.content_type().starts_with("text/csv"));
    assert_eq!(csv.body.lines().count(), expected.incidents.len() + 1);

    // Only totals stated in documents published by then.
    let rec = json(&app, "/reconciliation.json?as_of=2025-10-20").await;
    let rows = rec["reconciliation"].as_array().unwrap();
    assert_eq!(rows.len(), expected.reconciliation.len());
    assert!(!rows.is_empty());
    for row in rows {
        let id = row["document_id"].as_str().unwrap();
        let published = ledger()
            .document(id)
            .unwrap()
            .and_then(|d| d.publication_date())
            .unwrap();
        assert!(published <= day("2025-10-20"), "{id}");
    }
    for page in ["/", "/incidents", "/timeline", "/map", "/reconciliation"] {
        let r = get(&app, &format!("{page}?as_of=2025-10-20")).await;
        assert_eq!(r.status, StatusCode::OK, "{page}");
        assert!(r.body.contains("as it stood at the end of"), "{page}");
    }
    for twin in [
        "/timeline.json",
        "/timeline.csv",
        "/map.json",
        "/reconciliation.csv",
    ] {
        let r = get(&app, &format!("{twin}?as_of=2025-10-20")).await;
        assert_eq!(r.status, StatusCode::OK, "{twin}");
    }
}

#[tokio::test]
async fn bad_as_of_and_since_are_400_with_a_clear_message() {
    let app = app();
    for uri in [
        "/incidents?as_of=yesterday",
        "/incidents.json?as_of=2025-02-30",
        "/index.csv?as_of=20251020",
        "/reconciliation.json?as_of=2025-10",
    ] {
        let r = get(&app, uri).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(
            r.body.contains("as_of must be a date YYYY-MM-DD"),
            "{uri}: {}",
            r.body
        );
    }
    let r = get(&app, "/statements.json?as_of=2025-10-20").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("as_of works on"));
    let r = get(&app, "/changes.json?since=last-week").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("since must be a date"));
}

/// A backend that keeps no history: the store's reads, with the history
/// reads left at the trait's defaults.
struct WithoutHistory(Arc<SqliteStore>);

impl LedgerRead for WithoutHistory {
    fn incidents(&self, filter: &Filter) -> ReadResult<Vec<Incident>> {
        self.0.incidents(filter)
    }
    fn incident(&self, id: &str) -> ReadResult<Option<Incident>> {
        self.0.incident(id)
    }
    fn document(&self, id: &str) -> ReadResult<Option<Document>> {
        self.0.document(id)
    }
    fn statements(&self, filter: &Filter) -> ReadResult<Vec<StatementRow>> {
        self.0.statements(filter)
    }
    fn claims(&self, filter: &Filter) -> ReadResult<Vec<ClaimRow>> {
        self.0.claims(filter)
    }
    fn reconciliation(&self, filter: &Filter) -> ReadResult<Vec<Reconciliation>> {
        self.0.reconciliation(filter)
    }
    fn reviews(&self) -> ReadResult<Vec<Review>> {
        self.0.reviews()
    }
    fn search(&self, request: &SearchRequest) -> ReadResult<SearchResults> {
        self.0.search(request)
    }
    fn document_count(&self) -> ReadResult<u64> {
        self.0.document_count()
    }
}

#[tokio::test]
async fn a_ledger_without_history_refuses_as_of() {
    let plain = router(Arc::new(WithoutHistory(ledger())), WebOptions::default());
    let r = get(&plain, "/incidents.json?as_of=2025-10-20").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("keeps no history"));
}

#[tokio::test]
async fn changes_page_through_the_history_for_a_mirror() {
    let app = app();
    let expected = ledger()
        .changes(Some(day("2025-10-01")), None, 0, u64::MAX)
        .unwrap();
    let mut uri = "/changes.json?since=2025-10-01&per_page=7".to_string();
    let mut seen = Vec::new();
    loop {
        let page = json(&app, &uri).await;
        assert_eq!(page["total"], expected.total);
        seen.extend(page["changes"].as_array().unwrap().iter().cloned());
        match page["next"].as_str() {
            Some(next) => uri = next.to_string(),
            None => break,
        }
    }
    assert_eq!(
        serde_json::Value::Array(seen),
        serde_json::to_value(&expected.changes).unwrap()
    );
    assert!(
        expected
            .changes
            .iter()
            .all(|c| c.day > Some(day("2025-10-01")))
    );
    assert!(
        expected
            .changes
            .iter()
            .any(|c| c.kind == strikewatch_model::tracking::ChangeKind::Added)
    );
    let stamped = json(&app, "/changes.json?since=2025-10-01T08:30:00Z&per_page=7").await;
    assert_eq!(stamped["total"], expected.total);
    let csv = get(&app, "/changes.csv?since=2025-10-01").await;
    assert!(
        csv.body
            .starts_with("seq,day,incident_id,kind,fields,into,cause")
    );
    assert_eq!(csv.body.lines().count() as u64, expected.total.min(50) + 1);
}

#[tokio::test]
async fn incident_page_shows_its_history() {
    let app = app();
    let id = &incidents()[0].id;
    let r = get(&app, &format!("/incidents/{id}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("<h2>History</h2>"));
    assert!(r.body.contains("first reported"));
    // An incident page cannot be shown as of a day (full incidents are not kept).
    let r = get(&app, &format!("/incidents/{id}?as_of=2025-10-20")).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn tracker_pages_compare_strike_by_strike_with_evidence() {
    let app = app();
    let list = json(&app, "/trackers.json").await;
    assert_eq!(list["trackers"][0]["name"], "sample");
    assert_eq!(get(&app, "/trackers").await.status, StatusCode::OK);
    assert_eq!(get(&app, "/trackers.csv").await.status, StatusCode::OK);
    let c = json(&app, "/trackers/sample.json").await;
    let rows = c["rows"].as_array().unwrap();
    let status_of = |d: &str, killed: u64| {
        rows.iter()
            .find(|r| r["tracker"]["date"] == d && r["tracker"]["killed"] == killed)
            .map(|r| r["status"].as_str().unwrap().to_string())
    };
    assert_eq!(status_of("2025-09-02", 11).as_deref(), Some("agree"));
    // Counts the people searched for until 2 Jan as presumed dead.
    assert_eq!(status_of("2025-12-30", 9).as_deref(), Some("differs"));
    // Listed boat by boat: one of the two is not a ledger strike of its own.
    assert_eq!(
        status_of("2025-12-18", 2).as_deref(),
        Some("only_in_tracker")
    );
    let presumed = rows
        .iter()
        .find(|r| r["tracker"]["date"] == "2025-12-30")
        .unwrap();
    let killed = presumed["differences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["field"] == "killed")
        .unwrap();
    assert!(!killed["evidence"].as_array().unwrap().is_empty());
    let html = get(&app, "/trackers/sample").await;
    assert_eq!(html.status, StatusCode::OK);
    assert!(html.body.contains("only in tracker"));
    assert!(
        html.body.contains("?hl="),
        "evidence links open the sentence"
    );
    let csv = get(&app, "/trackers/sample.csv").await;
    assert!(csv.body.starts_with("status,day,incident_id"));
    assert_eq!(csv.body.lines().count(), rows.len() + 1);
    assert_eq!(
        get(&app, "/trackers/no-such").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn openapi_paths_answer_with_history_and_a_tracker() {
    let app = app();
    let spec = json(&app, "/openapi.json").await;
    let inc = &incidents()[0].id;
    for (path, ops) in spec["paths"].as_object().unwrap() {
        if ops.get("get").is_none() || path.starts_with("/documents/") {
            continue;
        }
        let uri = path
            .replace("/incidents/{id}", &format!("/incidents/{inc}"))
            .replace("/trackers/{name}", "/trackers/sample");
        assert_eq!(get(&app, &uri).await.status, StatusCode::OK, "{uri}");
    }
}
