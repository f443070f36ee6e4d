//! What the store keeps from publication: origins recorded as local paths
//! by databases made before origins were relative (withheld by a record,
//! never rewritten), and private documents (sticky, their bytes withheld).

use strikewatch_archive::{Capture, sha256_hex};
use strikewatch_model::read::LedgerRead;
use strikewatch_model::{Document, SourceKind};
use strikewatch_store::{MIGRATIONS, SqliteStore, Store};

fn doc(id: &str, text: &str, sha: &str, private: bool) -> Document {
    Document {
        id: id.into(),
        url: Some(format!("https://example.org/{id}")),
        title: None,
        published_at: None,
        language: "en".into(),
        source: None,
        source_kind: SourceKind::News,
        text: text.into(),
        capture_sha256: Some(sha.into()),
        private,
    }
}

fn store_bytes(store: &dyn Store, origin: &str, bytes: &[u8], docs: &[Document]) -> String {
    let sha = sha256_hex(bytes);
    let cap = Capture {
        seq: 0,
        origin: origin.into(),
        media_type: "application/jsonl".into(),
        captured_at: "2025-09-03T00:00:00Z".into(),
        size: bytes.len() as u64,
        sha256: sha.clone(),
    };
    store.put_blob(&sha, cap.size, &mut &bytes[..]).unwrap();
    store.write_batch(docs, Some(&cap)).unwrap();
    sha
}

/// A database at the schema from before origins were made relative, with
/// captures recorded under the paths as typed.
fn old_database(path: &std::path::Path) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY NOT NULL,
             name TEXT NOT NULL, applied_at TEXT NOT NULL);",
    )
    .unwrap();
    for m in MIGRATIONS.iter().filter(|m| m.version < 13) {
        conn.execute_batch(m.sql).unwrap();
        conn.execute(
            "INSERT INTO schema_migrations VALUES (?1, ?2, '2025-01-01T00:00:00Z')",
            rusqlite::params![m.version, m.name],
        )
        .unwrap();
    }
    conn.execute(
        "INSERT INTO trackers (name, version, file, sha256) VALUES ('t', 1, '/home/alice/lists/t.csv', 'x')",
        [],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO tracker_comparisons (name, json) VALUES ('t', '{\"name\":\"t\",\"file\":\"/home/alice/lists/t.csv\"}')",
        [],
    )
    .unwrap();
    for (n, origin) in [
        "/home/alice/newsroom/examples/corpus/docs.jsonl",
        "C:\\Users\\alice\\memo.txt",
        "https://example.org/page",
        "notes.md",
    ]
    .iter()
    .enumerate()
    {
        let bytes = format!("bytes {n}");
        let sha = sha256_hex(bytes.as_bytes());
        conn.execute(
            "INSERT INTO blobs (sha256, size, data) VALUES (?1, ?2, ?3)",
            rusqlite::params![sha, bytes.len() as i64, bytes.as_bytes()],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO captures (sha256, origin, media_type, captured_at, size)
             VALUES (?1, ?2, 'text/plain', '2025-01-01T00:00:00Z', ?3)",
            rusqlite::params![sha, origin, bytes.len() as i64],
        )
        .unwrap();
    }
}

#[test]
fn old_local_origins_are_withheld_by_a_record_not_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    old_database(&path);
    let store = SqliteStore::open(&path).unwrap();

    let published: Vec<String> = store
        .captures()
        .unwrap()
        .into_iter()
        .map(|c| c.origin)
        .collect();
    assert_eq!(
        published,
        [
            "docs.jsonl",
            "memo.txt",
            "https://example.org/page",
            "notes.md"
        ]
    );
    // The same bytes under their relative origin are already archived.
    assert!(
        store
            .has_capture("docs.jsonl", &sha256_hex(b"bytes 0"))
            .unwrap()
    );
    drop(store);

    let conn = rusqlite::Connection::open(&path).unwrap();
    let raw: String = conn
        .query_row("SELECT origin FROM captures WHERE seq = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(raw, "/home/alice/newsroom/examples/corpus/docs.jsonl");
    let reasons: Vec<(i64, String)> = conn
        .prepare("SELECT capture_seq, reason FROM withheld_origins ORDER BY capture_seq")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        reasons,
        [(1, "local path".to_string()), (2, "local path".to_string())]
    );
    let tracker: (String, String) = conn
        .query_row(
            "SELECT t.file, c.json FROM trackers t JOIN tracker_comparisons c USING (name)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(tracker.0, "t.csv");
    assert!(!tracker.1.contains("alice"), "{}", tracker.1);
    // The record itself is append-only.
    assert!(
        conn.execute("DELETE FROM withheld_origins", [])
            .unwrap_err()
            .to_string()
            .contains("append-only")
    );
}

#[test]
fn private_stays_private_and_its_bytes_are_withheld() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("p.db")).unwrap();
    let first = store_bytes(
        &store,
        "tips.jsonl",
        b"one",
        &[
            doc("tip-1", "The tip.", "", true),
            doc("pub-1", "Public.", "", false),
        ]
        .map(|mut d| {
            d.capture_sha256 = Some(sha256_hex(b"one"));
            d
        }),
    );
    // Stored again from other bytes without the flag: still private, and
    // both blobs that held it are withheld.
    let second = store_bytes(
        &store,
        "tips-v2.jsonl",
        b"two",
        &[doc(
            "tip-1",
            "The tip, revised.",
            &sha256_hex(b"two"),
            false,
        )],
    );
    let tip = Store::document(&store, "tip-1").unwrap().unwrap();
    assert!(tip.private);
    assert_eq!(tip.text, "The tip, revised.");
    let withheld = store.withheld_blobs().unwrap();
    assert!(
        withheld.contains(&first) && withheld.contains(&second),
        "{withheld:?}"
    );

    let np = LedgerRead::non_public(&store).unwrap();
    assert!(np.has_document("tip-1") && !np.has_document("pub-1"));
    assert!(np.has_url("https://example.org/tip-1"));
}
