//! End to end with the real binary: ingest the dev corpus, serve it as a
//! child process on a free loopback port, and read the site over HTTP.

mod common;

use common::{count, free_port, http, json, run, start, stderr, stdout};

const DEV_DOCS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/dev/docs.jsonl");

#[test]
fn the_served_ledger_shows_the_ingested_corpus_and_guards_writes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("e2e.db");
    let out = run(&db, &["ingest", DEV_DOCS]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let token_out = run(&db, &["token", "create", "e2e"]);
    assert_eq!(token_out.status.code(), Some(0), "{}", stderr(&token_out));
    let token = stdout(&token_out).trim().to_string();
    assert!(token.len() >= 32, "{token}");

    let addr = free_port();
    let _server = start(&db, addr);

    let health = http(addr, "GET", "/healthz", &[], "");
    assert_eq!((health.status, health.body.trim()), (200, "ok"));

    let list = http(addr, "GET", "/incidents.json?per_page=500", &[], "");
    assert_eq!(list.status, 200, "{}", list.body);
    let list = json(&list);
    let incidents = list["incidents"].as_array().expect("incidents array");
    let first = incidents
        .iter()
        .find(|i| i["date"] == "2025-09-02" && i["region"] == "caribbean")
        .expect("the 2025-09-02 strike in the Caribbean");
    // Listing rows are summaries: the report count and sources, not the reports.
    let reports = first["report_count"].as_u64().unwrap_or(0);
    assert!(reports >= 8, "{reports} reports");
    assert!(
        first.get("reports").is_none(),
        "listing rows carry no full reports"
    );
    let id = first["id"].as_str().unwrap();

    let page = http(addr, "GET", &format!("/incidents/{id}"), &[], "");
    assert_eq!(page.status, 200);
    assert!(page.body.contains(id) && page.body.contains("2025-09-02"));
    let detail = json(&http(
        addr,
        "GET",
        &format!("/incidents/{id}.json"),
        &[],
        "",
    ));
    assert_eq!(detail["id"], id);
    let detailed = detail["reports"].as_array().map(Vec::len).unwrap_or(0);
    assert_eq!(
        detailed as u64, reports,
        "the incident JSON holds every report"
    );
    assert_eq!(http(addr, "GET", "/incidents/sw-none", &[], "").status, 404);

    let search = http(addr, "GET", "/search.json?q=%22unbalanced", &[], "");
    assert_eq!(search.status, 200, "{}", search.body);

    // A write without a token is refused and changes nothing.
    let before = count(&db, "SELECT COUNT(*) FROM reviews");
    let review =
        format!(r#"{{"author":"A","reason":"checked","action":"confirm","incident":"{id}"}}"#);
    let json_header = "Content-Type: application/json";
    let refused = http(addr, "POST", "/reviews", &[json_header], &review);
    assert_eq!(refused.status, 401, "{}", refused.body);
    let wrong = http(
        addr,
        "POST",
        "/reviews",
        &[json_header, "Authorization: Bearer sw_not_a_token"],
        &review,
    );
    assert_eq!(wrong.status, 401);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM reviews"), before);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM documents"), 45);

    // With the token the review is appended and the ledger refreshed.
    let auth = format!("Authorization: Bearer {token}");
    let accepted = http(addr, "POST", "/reviews", &[json_header, &auth], &review);
    assert_eq!(accepted.status, 201, "{}", accepted.body);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM reviews"), before + 1);
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM ledger_review_log"),
        before + 1
    );

    // A posted document is archived, extracted and placed in the ledger.
    let doc = r#"{"id":"posted-e2e","published_at":"2025-11-20","language":"en","source_kind":"news","title":"Strike","text":"The U.S. military struck a boat in the eastern Pacific on Nov. 19, killing four people aboard, officials said."}"#;
    let unauthorized = http(addr, "POST", "/documents", &[json_header], doc);
    assert_eq!(unauthorized.status, 401);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM documents"), 45);
    let posted = http(addr, "POST", "/documents", &[json_header, &auth], doc);
    assert_eq!(posted.status, 201, "{}", posted.body);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM documents"), 46);
    let viewer = http(addr, "GET", "/documents/posted-e2e", &[], "");
    assert_eq!(viewer.status, 200);
    // The document's evidence names the incident it backs, and that incident
    // lists the document among its reports.
    let evidence = json(&http(addr, "GET", "/documents/posted-e2e.json", &[], ""));
    let incident_id = evidence["evidence"]
        .as_array()
        .and_then(|e| e.iter().find_map(|e| e["incident_id"].as_str()))
        .expect("the posted document backs an incident")
        .to_string();
    let incident = json(&http(
        addr,
        "GET",
        &format!("/incidents/{incident_id}.json"),
        &[],
        "",
    ));
    let placed = incident["reports"]
        .as_array()
        .is_some_and(|r| r.iter().any(|r| r["document_id"] == "posted-e2e"));
    assert!(placed, "{incident_id} lists the posted document");
}

#[test]
fn demo_without_serving_prints_the_ledger_summary_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/corpus");
    let first = run(&db, &["demo", "--no-serve", "--corpus", corpus]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let text = stdout(&first);
    assert!(text.contains("Ledger: "), "{text}");
    assert!(text.contains("Reconciliation: "), "{text}");
    let incidents = count(&db, "SELECT COUNT(*) FROM ledger_incidents");
    assert!(incidents >= 10);
    let again = run(&db, &["demo", "--no-serve", "--corpus", corpus]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM ledger_incidents"),
        incidents
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM documents"), 45);

    let rebuilt = run(&db, &["rebuild"]);
    assert_eq!(rebuilt.status.code(), Some(0), "{}", stderr(&rebuilt));
    assert!(stdout(&rebuilt).contains("rebuilt 45 documents"));
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM ledger_incidents"),
        incidents
    );
}
