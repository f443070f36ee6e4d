//! Reviews through the binary: recorded with author and reason, applied to
//! the ledger, and refused (with nothing appended) when the id is unknown.

mod common;

use common::{count, run, stderr, stdout};

const DEV_DOCS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/dev/docs.jsonl");

fn incidents(db: &std::path::Path) -> serde_json::Value {
    let out = run(db, &["incidents", "--format", "json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

#[test]
fn reject_retracts_and_the_log_shows_who_and_why() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    assert!(run(&db, &["ingest", DEV_DOCS]).status.success());
    let before = incidents(&db);
    let target = before[0]["id"].as_str().unwrap().to_string();
    assert_ne!(before[0]["grade"], "retracted");

    let out = run(
        &db,
        &[
            "review",
            "reject",
            &target,
            "--author",
            "A. Reviewer",
            "--reason",
            "duplicate of a later report",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("applied"), "{}", stdout(&out));

    let after = incidents(&db);
    let row = after
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == target.as_str())
        .expect("rejected incident is kept");
    assert_eq!(row["grade"], "retracted");
    let retracted = run(
        &db,
        &["incidents", "--grade", "retracted", "--format", "json"],
    );
    let retracted: serde_json::Value = serde_json::from_str(&stdout(&retracted)).unwrap();
    assert_eq!(retracted.as_array().unwrap().len(), 1);

    let log = stdout(&run(&db, &["review", "log"]));
    assert!(log.contains("A. Reviewer"), "{log}");
    assert!(log.contains("duplicate of a later report"), "{log}");
    assert!(log.contains(&format!("reject {target}")), "{log}");
    let log_json: serde_json::Value =
        serde_json::from_str(&stdout(&run(&db, &["review", "log", "--format", "json"]))).unwrap();
    assert_eq!(log_json[0]["author"], "A. Reviewer");
    assert_eq!(log_json[0]["action"], "reject");
    assert_eq!(log_json[0]["applied"], true);

    let out = run(
        &db,
        &[
            "review",
            "correct",
            &target,
            "--field",
            "killed",
            "--value",
            "12",
            "--author",
            "B",
            "--reason",
            "official briefing",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let shown = stdout(&run(&db, &["incidents", "show", &target]));
    assert!(shown.contains("lead killed     12"), "{shown}");
}

#[test]
fn a_review_of_a_missing_incident_is_refused_and_nothing_is_appended() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    assert!(run(&db, &["ingest", DEV_DOCS]).status.success());
    let reviews = || count(&db, "SELECT count(*) FROM reviews");
    assert_eq!(reviews(), 0);

    let out = run(
        &db,
        &[
            "review",
            "confirm",
            "sw-1999-01-01-car-000000",
            "--author",
            "A",
            "--reason",
            "r",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("no incident \"sw-1999-01-01-car-000000\""),
        "{}",
        stderr(&out)
    );
    assert_eq!(reviews(), 0);

    let target = incidents(&db)[0]["id"].as_str().unwrap().to_string();
    // A bad value, a blank reason and a missing --author are refused too.
    for args in [
        vec![
            "review", "correct", &target, "--field", "killed", "--value", "eleven", "--author",
            "A", "--reason", "r",
        ],
        vec![
            "review", "confirm", &target, "--author", "A", "--reason", "  ",
        ],
        vec!["review", "confirm", &target, "--reason", "r"],
        vec![
            "review",
            "merge",
            &target,
            "--into",
            "sw-1999-01-01-car-000000",
            "--author",
            "A",
            "--reason",
            "r",
        ],
        vec![
            "review",
            "speaker",
            "no-such-doc",
            "0",
            "--speaker",
            "X",
            "--author",
            "A",
            "--reason",
            "r",
        ],
    ] {
        let out = run(&db, &args);
        assert!(!out.status.success(), "{args:?} was accepted");
        assert!(!stderr(&out).is_empty());
    }
    assert_eq!(reviews(), 0);
}
