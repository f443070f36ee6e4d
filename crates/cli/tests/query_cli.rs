//! The listing and export commands on a database built from the dev corpus.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{run, stderr, stdout};

const DEV_DOCS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/dev/docs.jsonl");

fn ingested() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let out = run(&db, &["ingest", DEV_DOCS]);
    assert!(out.status.success(), "{}", stderr(&out));
    (dir, db)
}

fn json_ids(db: &Path, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["incidents", "--format", "json"];
    args.extend_from_slice(extra);
    let out = run(db, &args);
    assert!(out.status.success(), "{}", stderr(&out));
    let rows: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn incidents_in_every_format_agree_and_filters_narrow() {
    let (_dir, db) = ingested();

    let out = run(&db, &["incidents", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let rows = rows.as_array().unwrap();
    assert!(
        rows.iter()
            .any(|r| r["date"] == "2025-09-02" && r["region"] == "caribbean"),
        "no 2025-09-02 caribbean incident"
    );
    let all = json_ids(&db, &[]);
    assert!(all.len() > 3);

    let out = run(&db, &["incidents", "--format", "csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let id_col = headers.iter().position(|h| h == "id").unwrap();
    let url_col = headers.iter().position(|h| h == "source_urls").unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let csv_ids: Vec<String> = records.iter().map(|r| r[id_col].to_string()).collect();
    assert_eq!(csv_ids, all);
    assert!(records.iter().all(|r| r[url_col].starts_with("http")));

    let caribbean = json_ids(&db, &["--region", "caribbean"]);
    assert!(!caribbean.is_empty() && caribbean.len() < all.len());
    let september = json_ids(&db, &["--from", "2025-09-01", "--to", "2025-09-30"]);
    assert!(!september.is_empty() && september.len() < all.len());
    assert!(september.iter().all(|id| id.starts_with("sw-2025-09-")));
    assert_eq!(json_ids(&db, &["--limit", "2"]).len(), 2);

    let table = stdout(&run(&db, &["incidents"]));
    assert!(table.starts_with("id "), "{table}");
    assert!(table.contains(&format!("{} incidents", all.len())));

    let out = run(&db, &["incidents", "--grade", "confirmed"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("unknown grade"));
}

#[test]
fn one_incident_shows_its_reports_and_evidence() {
    let (_dir, db) = ingested();
    let all = json_ids(&db, &["--from", "2025-09-02", "--to", "2025-09-02"]);
    let id = &all[0];
    let out = run(&db, &["incidents", "show", id]);
    assert!(out.status.success(), "{}", stderr(&out));
    let page = stdout(&out);
    assert!(page.contains(&format!("incident        {id}")));
    assert!(page.contains("reports ("));
    // Evidence spans print with their offsets and text.
    assert!(
        page.lines()
            .any(|l| l.trim_start().starts_with("killed") && l.contains('['))
    );

    let out = run(&db, &["incidents", "show", "sw-1999-01-01-car-000000"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("no incident"));
}

#[test]
fn statements_claims_and_reconciliation_list() {
    let (_dir, db) = ingested();
    let out = run(&db, &["statements", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let speakers: BTreeSet<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["statement"]["speaker"].as_str().unwrap())
        .collect();
    assert!(speakers.len() > 1);
    let one = *speakers.iter().next().unwrap();
    let out = run(&db, &["statements", "--speaker", one, "--format", "csv"]);
    let text = stdout(&out);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let narrowed: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert!(!narrowed.is_empty() && narrowed.len() < rows.as_array().unwrap().len());
    assert!(narrowed.iter().all(|r| &r[1] == one));

    let out = run(&db, &["claims", "--format", "json"]);
    let groups: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let groups = groups.as_array().unwrap();
    assert!(!groups.is_empty());
    for g in groups {
        assert_eq!(
            g["count"].as_u64().unwrap() as usize,
            g["claims"].as_array().unwrap().len()
        );
        assert!(g["first"].as_str() <= g["last"].as_str());
    }
    let table = stdout(&run(&db, &["claims"]));
    assert!(table.contains(" claims, first "), "{table}");

    let out = run(&db, &["reconcile", "--format", "json"]);
    let totals: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(!totals.as_array().unwrap().is_empty());
}

#[test]
fn ledger_exports_read_back_with_the_listed_ids() {
    let (dir, db) = ingested();
    let listed = json_ids(&db, &[]);

    let json_path = dir.path().join("ledger.json");
    let out = run(
        &db,
        &["export", "--format", "json", json_path.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let ledger = strikewatch_export::read_ledger_json(&std::fs::read(&json_path).unwrap()).unwrap();
    let exported: Vec<String> = ledger.incidents.iter().map(|i| i.id.clone()).collect();
    assert_eq!(exported, listed);

    let tables = dir.path().join("tables");
    let out = run(
        &db,
        &["export", "--format", "csv", tables.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let back = strikewatch_export::read_ledger_csv(
        &strikewatch_export::CsvTables::read_dir(&tables).unwrap(),
    )
    .unwrap();
    assert_eq!(back.incidents.len(), listed.len());

    let single = dir.path().join("incidents.csv");
    let out = run(
        &db,
        &["export", "--format", "csv", single.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(single.is_file());

    for (format, name) in [("geojson", "i.geojson"), ("sqlite", "l.sqlite")] {
        let path = dir.path().join(name);
        let out = run(&db, &["export", "--format", format, path.to_str().unwrap()]);
        assert!(out.status.success(), "{format}: {}", stderr(&out));
        assert!(std::fs::metadata(&path).unwrap().len() > 0);
    }
    let conn = rusqlite::Connection::open(dir.path().join("l.sqlite")).unwrap();
    let n: i64 = conn
        .query_row("SELECT count(*) FROM incidents", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n as usize, listed.len());
}
