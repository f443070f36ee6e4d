//! End to end with the real binary: the demo imports the sample tracker,
//! `trackers import` reports bad rows by file and line and keeps what is
//! stored, `rebuild` leaves the history as it was, and the served site
//! answers `as_of`, `/changes.json` and `/trackers`, also after a posted
//! document.

mod common;

use std::net::SocketAddr;
use std::path::Path;

use common::{Reply, count, free_port, http, run, start, stderr, stdout};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/corpus");
const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/trackers/sample-tracker.csv"
);

fn get_json(addr: SocketAddr, path: &str) -> serde_json::Value {
    let Reply { status, body } = http(addr, "GET", path, &[], "");
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).unwrap()
}

fn history_rows(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).unwrap();
    let mut out = String::new();
    for sql in [
        "SELECT seq || ' ' || json FROM ledger_changes ORDER BY seq",
        "SELECT incident_id || from_day || COALESCE(to_day, '') || json FROM ledger_incident_versions ORDER BY 1",
        "SELECT document_id || total_index || from_day || COALESCE(to_day, '') || json FROM ledger_reconciliation_versions ORDER BY 1",
        "SELECT json FROM tracker_comparisons ORDER BY name",
    ] {
        let mut stmt = conn.prepare(sql).unwrap();
        let rows = stmt.query_map([], |r| r.get::<_, String>(0)).unwrap();
        for row in rows {
            out.push_str(&row.unwrap());
            out.push('\n');
        }
    }
    out
}

#[test]
fn trackers_import_and_history_from_the_command_line_and_the_site() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");

    // The demo imports the sample tracker, once.
    let demo = run(&db, &["demo", "--no-serve", "--corpus", CORPUS]);
    assert_eq!(demo.status.code(), Some(0), "{}", stderr(&demo));
    assert!(stdout(&demo).contains("sample: agree"), "{}", stdout(&demo));
    let again = run(&db, &["demo", "--no-serve", "--corpus", CORPUS]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(count(&db, "SELECT COUNT(*) FROM trackers"), 1);
    assert!(count(&db, "SELECT COUNT(*) FROM ledger_changes") >= 30);

    // A bad row: one readable error naming file and line, nothing stored.
    let good = std::fs::read_to_string(SAMPLE).unwrap();
    let bad = good.replacen(
        "2025-10-14,Caribbean,1,6,",
        "2025-10-14,Caribbean,1,six,",
        1,
    );
    let bad_line = bad.lines().position(|l| l.contains(",six,")).unwrap() + 1;
    let bad_path = dir.path().join("bad.csv");
    std::fs::write(&bad_path, &bad).unwrap();
    let bad_path = bad_path.to_str().unwrap();
    let refused = run(&db, &["trackers", "import", bad_path, "--name", "sample"]);
    assert_eq!(refused.status.code(), Some(1));
    let message = stderr(&refused);
    assert!(
        message.contains(&format!("bad.csv: line {bad_line}: killed `six`")),
        "{message}"
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM trackers"), 1);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM tracker_rows"), 31);

    // A second tracker, then a new version of it.
    let other = dir.path().join("other.csv");
    std::fs::write(
        &other,
        "date,region,vessels,killed,survivors,source_url\n2025-09-02,C,1,11,,\n",
    )
    .unwrap();
    let other = other.to_str().unwrap();
    for version in [1, 2] {
        let out = run(&db, &["trackers", "import", other, "--name", "other-org"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(stdout(&out).contains(&format!("as other-org version {version}")));
    }
    let list = run(&db, &["trackers", "list"]);
    assert!(stdout(&list).contains("other-org v2"), "{}", stdout(&list));
    assert!(stdout(&list).contains("sample v1"));
    for args in [
        &["trackers", "--help"][..],
        &["trackers", "import", "--help"],
    ] {
        let help = run(&db, args);
        assert!(stdout(&help).contains("Example"), "{args:?}");
    }

    // Rebuild gives the same history and comparisons.
    let before = history_rows(&db);
    let rebuilt = run(&db, &["rebuild"]);
    assert_eq!(rebuilt.status.code(), Some(0), "{}", stderr(&rebuilt));
    assert_eq!(history_rows(&db), before);

    // The site.
    let token_out = run(&db, &["token", "create", "e2e"]);
    let token = stdout(&token_out).trim().to_string();
    let addr = free_port();
    let _server = start(&db, addr);
    let now = get_json(addr, "/index.json");
    let then = get_json(addr, "/index.json?as_of=2025-10-20");
    assert!(then["incidents"].as_u64() < now["incidents"].as_u64());
    assert_eq!(
        get_json(addr, "/incidents.json?as_of=2025-09-01")["total"],
        0
    );
    let Reply { status, body } = http(addr, "GET", "/timeline.json?as_of=not-a-day", &[], "");
    assert_eq!(status, 400);
    assert!(body.contains("as_of must be a date"), "{body}");
    let tracker = get_json(addr, "/trackers/sample.json");
    assert_eq!(tracker["version"], 1);
    let Reply { status, body: csv } = http(addr, "GET", "/trackers/sample.csv", &[], "");
    assert_eq!(status, 200);
    assert!(csv.contains("only_in_tracker"));

    // A posted document is a dated change a mirror finds with `since`.
    let doc = r#"{"id":"posted-later","published_at":"2026-03-02","language":"en","source_kind":"news","title":"Strike","text":"The U.S. military struck a boat in the eastern Pacific on March 1, killing four people aboard, officials said."}"#;
    let auth = format!("Authorization: Bearer {token}");
    let Reply { status, body } = http(
        addr,
        "POST",
        "/documents",
        &["Content-Type: application/json", &auth],
        doc,
    );
    assert_eq!(status, 201, "{body}");
    let changes = get_json(addr, "/changes.json?since=2026-03-01");
    let listed = changes["changes"].as_array().unwrap();
    assert!(
        listed.iter().any(|c| c["kind"] == "added"
            && c["day"] == "2026-03-02"
            && c["documents"][0] == "posted-later"),
        "{changes}"
    );
    let before_it = get_json(addr, "/index.json?as_of=2026-03-01");
    let with_it = get_json(addr, "/index.json?as_of=2026-03-02");
    assert_eq!(
        with_it["incidents"].as_u64().unwrap(),
        before_it["incidents"].as_u64().unwrap() + 1
    );
}
