//! `extract` and `eval` through the binary: stateless extraction, named bad
//! lines, and the score table with its JSON twin.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::{BIN, run, stderr, stdout};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata");

#[test]
fn the_seed_article_gives_nine_statements_and_no_incident() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("unused.db");
    let out = run(
        &db,
        &["extract", "--input", &format!("{DATA}/seed/docs.jsonl")],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["statements"].as_array().unwrap().len(), 9);
    assert_eq!(lines[0]["incidents"].as_array().unwrap().len(), 0);
    // Stateless: no database was created.
    assert!(!db.exists());
}

#[test]
fn a_truncated_line_is_named_and_the_rest_is_extracted() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let output = dir.path().join("out.jsonl");
    std::fs::write(
        &input,
        "{\"id\":\"a\",\"text\":\"Nothing happened.\"}\n\
         {\"id\":\"b\",\"text\":\"The strike kil\n\
         {\"id\":\"c\",\"published_at\":\"2025-10-01\",\"text\":\"Still nothing.\"}\n",
    )
    .unwrap();
    let out = run(
        &dir.path().join("unused.db"),
        &[
            "extract",
            "--input",
            input.to_str().unwrap(),
            "--output",
            output.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("line 2"), "{err}");
    assert_eq!(err.matches("error:").count(), 1, "{err}");
    let ids: Vec<String> = std::fs::read_to_string(&output)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(ids, ["a", "c"]);
}

#[test]
fn extract_reads_stdin_and_the_store() {
    let mut child = Command::new(BIN)
        .args(["extract"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"{\"id\":\"s1\",\"text\":\"Quiet day.\"}\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(stdout(&out).contains("\"id\":\"s1\""));

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    assert!(
        run(&db, &["ingest", &format!("{DATA}/dev/docs.jsonl")])
            .status
            .success()
    );
    let out = run(&db, &["extract", "--from-store"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).lines().count(), 45);
}

#[test]
fn eval_prints_the_table_and_parseable_json() {
    let db = tempfile::tempdir().unwrap().path().join("unused.db");
    let docs = format!("{DATA}/dev/docs.jsonl");
    let gold = format!("{DATA}/dev/gold.jsonl");
    let out = run(&db, &["eval", "--docs", &docs, "--gold", &gold]);
    assert!(out.status.success(), "{}", stderr(&out));
    let table = stdout(&out);
    assert!(table.contains("documents scored: 45"), "{table}");
    for row in ["incidents", "totals", "statements", "claims", "precision"] {
        assert!(table.contains(row), "{row} missing: {table}");
    }

    let out = run(&db, &["eval", "--docs", &docs, "--gold", &gold, "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(report["documents"], 45);
    let f1 = report["incidents"]["f1"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&f1));
    // Every miss and false report is listed in both forms.
    let findings = report["findings"].as_array().unwrap();
    for f in findings {
        assert!(table.contains(f["detail"].as_str().unwrap()));
    }

    let out = run(&db, &["eval", "--docs", "missing.jsonl", "--gold", &gold]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("missing.jsonl"));
}
