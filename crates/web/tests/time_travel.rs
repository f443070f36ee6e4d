//! `?as_of=`, `/changes` and `/trackers` over a ledger resolved by the real
//! resolver from the development gold file (its history replayed day by day)
//! and the sample tracker shipped for the demo.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::NaiveDate;
use strikewatch_model::tracking::{LedgerHistory, TrackerComparison};
use strikewatch_resolve::trackers::{compare_tracker, parse_tracker_csv};
use strikewatch_resolve::{ResolveConfig, ResolveInput, gold::gold_documents, history::history};
use strikewatch_web::{LedgerData, MemoryLedger, WebOptions, router};
use tower::ServiceExt;

const TESTDATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata");
const SAMPLE_TRACKER: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/trackers/sample-tracker.csv"
);

struct Built {
    data: LedgerData,
    history: LedgerHistory,
    comparison: TrackerComparison,
    /// Publication day of every document.
    published: Vec<(String, Option<NaiveDate>)>,
}

fn built() -> &'static Built {
    static BUILT: OnceLock<Built> = OnceLock::new();
    BUILT.get_or_init(|| {
        let read = |f: &str| std::fs::read_to_string(Path::new(TESTDATA).join(f)).unwrap();
        let documents = gold_documents(&read("dev/docs.jsonl"), &read("dev/gold.jsonl")).unwrap();
        let published = documents
            .iter()
            .map(|d| (d.meta.id.clone(), d.meta.published))
            .collect();
        let input = ResolveInput { documents };
        let cfg = ResolveConfig::bundled().unwrap();
        let ledger = strikewatch_resolve::resolve(&input).unwrap();
        let history = history(&input, &[], &cfg).unwrap();
        // The last day of the history is the resolved ledger, row for row.
        let last = history.as_of(NaiveDate::from_ymd_opt(2030, 1, 1).unwrap());
        let mut summaries: Vec<_> = ledger
            .incidents
            .iter()
            .map(strikewatch_model::read::IncidentSummary::of)
            .collect();
        summaries.sort_by(|a, b| (a.sort_day(), &a.id).cmp(&(b.sort_day(), &b.id)));
        assert_eq!(last.incidents, summaries);
        let mut stated = ledger.reconciliation.clone();
        strikewatch_model::tracking::sort_reconciliation(&mut stated);
        assert_eq!(last.reconciliation, stated);
        let rows = parse_tracker_csv(
            "sample-tracker.csv",
            &std::fs::read(SAMPLE_TRACKER).unwrap(),
            &cfg,
        )
        .unwrap();
        let tracker = strikewatch_model::tracking::Tracker {
            name: "sample".into(),
            version: 1,
            file: "sample-tracker.csv".into(),
            sha256: "0".repeat(64),
            rows,
        };
        let comparison = compare_tracker(&tracker, &ledger.incidents);
        Built {
            data: LedgerData {
                incidents: ledger.incidents,
                reconciliations: ledger.reconciliation,
                ..LedgerData::default()
            },
            history,
            comparison,
            published,
        }
    })
}

fn app() -> Router {
    let b = built();
    let ledger = MemoryLedger::new(b.data.clone())
        .with_tracking(b.history.clone(), vec![b.comparison.clone()]);
    router(Arc::new(ledger), WebOptions::default())
}

struct Reply {
    status: StatusCode,
    content_type: String,
    body: String,
}

async fn get(app: &Router, uri: &str) -> Reply {
    let req = Request::get(uri).body(Body::empty()).unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let content_type = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap();
    Reply {
        status,
        content_type,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

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
    let expected = built().history.as_of(day("2025-10-20"));
    assert_eq!(then["incidents"], expected.incidents.len());
    assert!(then["incidents"].as_u64() < now["incidents"].as_u64());
    assert_eq!(then["documents"], expected.documents);
    assert!(then["latest_strike"].as_str().unwrap() <= "2025-10-20");

    let before = json(&app, "/incidents.json?as_of=2025-09-01").await;
    assert_eq!(before["total"], 0);
    let listed = json(&app, "/incidents.json?as_of=2025-10-20&per_page=1000").await;
    assert_eq!(listed["total"], expected.incidents.len());
    let csv = get(&app, "/incidents.csv?as_of=2025-10-20").await;
    assert!(csv.content_type.starts_with("text/csv"));
    assert_eq!(csv.body.lines().count(), expected.incidents.len() + 1);

    // Only totals stated in documents published by then.
    let rec = json(&app, "/reconciliation.json?as_of=2025-10-20").await;
    let rows = rec["reconciliation"].as_array().unwrap();
    assert_eq!(rows.len(), expected.reconciliation.len());
    assert!(!rows.is_empty());
    for row in rows {
        let id = row["document_id"].as_str().unwrap();
        let published = built()
            .published
            .iter()
            .find(|(d, _)| d == id)
            .and_then(|(_, p)| *p)
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

#[tokio::test]
async fn a_ledger_without_history_refuses_as_of() {
    let plain = router(
        Arc::new(MemoryLedger::new(built().data.clone())),
        WebOptions::default(),
    );
    let r = get(&plain, "/incidents.json?as_of=2025-10-20").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("keeps no history"));
}

#[tokio::test]
async fn changes_page_through_the_history_for_a_mirror() {
    let app = app();
    let expected = built()
        .history
        .changes_since(Some(day("2025-10-01")), 0, u64::MAX);
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
    let id = &built().data.incidents[0].id;
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
    let inc = &built().data.incidents[0].id;
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
