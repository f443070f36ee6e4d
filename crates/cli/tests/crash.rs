//! A SIGKILL in the middle of a large ingest leaves a database that
//! `verify` accepts, and a re-run completes it without duplicates.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{BIN, count, run, stderr};

const DOCS: u64 = 40_000;

fn documents_so_far(db: &std::path::Path) -> i64 {
    let Ok(conn) = rusqlite::Connection::open(db) else {
        return 0;
    };
    conn.query_row("SELECT COUNT(*) FROM documents", [], |r| r.get(0))
        .unwrap_or(0)
}

#[test]
fn killed_ingest_is_verified_and_completed_by_a_rerun() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("big.jsonl");
    let db = dir.path().join("crash.db");
    let gen_out = Command::new(BIN)
        .args(["bench", "generate", "--docs", &DOCS.to_string()])
        .arg(&input)
        .output()
        .unwrap();
    assert!(gen_out.status.success(), "{}", stderr(&gen_out));

    let mut child = Command::new(BIN)
        .arg("--db")
        .arg(&db)
        .args(["ingest", "--max-bytes", "1GB"])
        .arg(&input)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until some batches are committed, then kill it hard.
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut seen = 0;
    while Instant::now() < deadline {
        seen = documents_so_far(&db);
        if seen >= 1000 {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let still_running = child.try_wait().unwrap().is_none();
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    assert!(
        still_running,
        "ingest finished before it could be killed; raise DOCS"
    );
    let at_kill = documents_so_far(&db);
    assert!(
        seen >= 1000 && (at_kill as u64) < DOCS,
        "killed at {at_kill} of {DOCS}"
    );
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM captures"),
        0,
        "capture recorded before its documents"
    );

    let verify = run(&db, &["verify"]);
    assert_eq!(verify.status.code(), Some(0), "{}", stderr(&verify));

    let rerun = run(
        &db,
        &["ingest", "--max-bytes", "1GB", input.to_str().unwrap()],
    );
    assert_eq!(rerun.status.code(), Some(0), "{}", stderr(&rerun));
    assert_eq!(count(&db, "SELECT COUNT(*) FROM documents"), DOCS as i64);
    assert_eq!(
        count(&db, "SELECT COUNT(DISTINCT id) FROM documents"),
        DOCS as i64
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM captures"), 1);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM blobs"), 1);
    let verify = run(&db, &["verify"]);
    assert_eq!(verify.status.code(), Some(0), "{}", stderr(&verify));
    // And a third run is a no-op.
    let third = run(
        &db,
        &["ingest", "--max-bytes", "1GB", input.to_str().unwrap()],
    );
    assert!(stderr(&third).contains("already archived"));
}
