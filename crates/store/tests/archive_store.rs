use strikewatch_archive::{Capture, sha256_hex};
use strikewatch_model::{Document, PublishedAt, SourceKind, TimePrecision};
use strikewatch_store::{DbLocation, SqliteStore, Store, StoreError, open};

fn doc(id: &str, text: &str, sha: &str) -> Document {
    Document {
        id: id.into(),
        url: Some(format!("https://example.org/{id}")),
        title: Some("A title".into()),
        published_at: Some(PublishedAt {
            date: chrono::NaiveDate::from_ymd_opt(2025, 9, 2).unwrap(),
            text: "2025-09-02T21:30:00Z".into(),
            precision: TimePrecision::Second,
        }),
        language: "en".into(),
        source: None,
        source_kind: SourceKind::Official,
        text: text.into(),
        capture_sha256: Some(sha.into()),
        private: false,
    }
}

fn capture(origin: &str, bytes: &[u8]) -> Capture {
    Capture {
        seq: 0,
        origin: origin.into(),
        media_type: "text/plain".into(),
        captured_at: "2025-09-03T00:00:00Z".into(),
        size: bytes.len() as u64,
        sha256: sha256_hex(bytes),
    }
}

fn store_bytes(store: &dyn Store, origin: &str, bytes: &[u8], docs: &[Document]) {
    let cap = capture(origin, bytes);
    store
        .put_blob(&cap.sha256, cap.size, &mut &bytes[..])
        .unwrap();
    store.write_batch(docs, Some(&cap)).unwrap();
}

#[test]
fn blobs_are_stored_once_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("a.db")).unwrap();
    let bytes: Vec<u8> = (0..600_000u32).map(|i| (i % 253) as u8).collect();
    let sha = sha256_hex(&bytes);
    assert!(
        store
            .put_blob(&sha, bytes.len() as u64, &mut bytes.as_slice())
            .unwrap()
    );
    assert!(
        !store
            .put_blob(&sha, bytes.len() as u64, &mut bytes.as_slice())
            .unwrap()
    );
    let mut back = Vec::new();
    store
        .read_blob_stream(&sha, &mut |r| {
            r.read_to_end(&mut back)?;
            Ok(())
        })
        .unwrap();
    assert_eq!(back, bytes);
    let mut middle = [0u8; 10];
    assert_eq!(store.read_blob_at(&sha, 300_000, &mut middle).unwrap(), 10);
    assert_eq!(&middle[..], &bytes[300_000..300_010]);
    assert_eq!(
        store
            .read_blob_at(&sha, bytes.len() as u64, &mut middle)
            .unwrap(),
        0
    );
    assert!(matches!(
        store.read_blob_stream(&"0".repeat(64), &mut |_| Ok(())),
        Err(StoreError::MissingBlob(_))
    ));
    assert_eq!(store.counts().unwrap().blobs, 1);
}

#[test]
fn bytes_that_do_not_match_their_address_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("a.db")).unwrap();
    let sha = sha256_hex(b"first");
    let err = store.put_blob(&sha, 5, &mut &b"other"[..]).unwrap_err();
    assert!(matches!(err, StoreError::ContentChanged { .. }));
    assert_eq!(store.counts().unwrap().blobs, 0);
}

#[test]
fn documents_upsert_and_report_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("a.db")).unwrap();
    store_bytes(
        &store,
        "a.txt",
        b"v1",
        &[doc("d1", "one", &sha256_hex(b"v1"))],
    );
    let same = store
        .write_batch(&[doc("d1", "one", &sha256_hex(b"v1"))], None)
        .unwrap();
    assert_eq!((same.added, same.updated, same.unchanged), (0, 0, 1));
    let cap = capture("a.txt", b"v2");
    store.put_blob(&cap.sha256, 2, &mut &b"v2"[..]).unwrap();
    let changed = store
        .write_batch(&[doc("d1", "two", &cap.sha256)], Some(&cap))
        .unwrap();
    assert_eq!((changed.added, changed.updated), (0, 1));
    assert!(changed.capture_recorded);
    let got = store.document("d1").unwrap().unwrap();
    assert_eq!(got.text, "two");
    assert_eq!(got, doc("d1", "two", &cap.sha256));
    // The old capture stays.
    assert_eq!(store.captures().unwrap().len(), 2);
    assert!(store.has_capture("a.txt", &sha256_hex(b"v1")).unwrap());
}

#[test]
fn captures_and_blobs_cannot_be_changed_or_removed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    let store = SqliteStore::open(&path).unwrap();
    store_bytes(&store, "a.txt", b"evidence", &[]);
    drop(store);
    let raw = rusqlite::Connection::open(&path).unwrap();
    for sql in [
        "UPDATE blobs SET data = x'00'",
        "DELETE FROM blobs",
        "UPDATE captures SET origin = 'elsewhere'",
        "DELETE FROM captures",
    ] {
        let err = raw.execute(sql, []).unwrap_err().to_string();
        assert!(err.contains("append-only"), "{sql}: {err}");
    }
}

#[test]
fn verify_finds_a_corrupted_blob() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    let store = SqliteStore::open(&path).unwrap();
    store_bytes(
        &store,
        "a.txt",
        b"evidence one",
        &[doc("d1", "x", &sha256_hex(b"evidence one"))],
    );
    store_bytes(&store, "b.txt", b"evidence two", &[]);
    let clean = store.verify(&mut |_| {}).unwrap();
    assert!(clean.is_clean());
    assert_eq!((clean.blobs_checked, clean.captures_checked), (2, 2));
    drop(store);

    // Simulate disk corruption: bypass the append-only trigger.
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute_batch(
        "DROP TRIGGER blobs_no_update;
         UPDATE blobs SET data = CAST('evidence ONE' AS BLOB)
         WHERE sha256 = (SELECT sha256 FROM captures WHERE origin = 'a.txt');",
    )
    .unwrap();
    drop(raw);
    let store = SqliteStore::open(&path).unwrap();
    let report = store.verify(&mut |_| {}).unwrap();
    assert!(!report.is_clean());
    assert_eq!(report.mismatches.len(), 1);
    assert_eq!(report.mismatches[0].expected, sha256_hex(b"evidence one"));
    assert_eq!(report.mismatches[0].actual, sha256_hex(b"evidence ONE"));
}

#[test]
fn migrations_are_recorded_and_reopening_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    let store = SqliteStore::open(&path).unwrap();
    let v = store.schema_version().unwrap();
    assert_eq!(v, strikewatch_store::MIGRATIONS.last().unwrap().version);
    drop(store);
    let store = open(&DbLocation::Sqlite(path.clone())).unwrap();
    assert_eq!(store.schema_version().unwrap(), v);
    let raw = rusqlite::Connection::open(&path).unwrap();
    let mode: String = raw
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn postgres_is_recognised_but_not_built() {
    let err = open(&DbLocation::parse(
        "postgres://me:pw@db.example/strikewatch",
    ))
    .err()
    .unwrap();
    let text = err.to_string();
    assert!(text.contains("not built yet"), "{text}");
    assert!(!text.contains("pw@"), "{text}");
}

#[test]
fn documents_are_listed_in_id_order_across_pages() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("a.db")).unwrap();
    let docs: Vec<Document> = (0..1203)
        .map(|i| doc(&format!("d{i:05}"), "t", &sha256_hex(b"b")))
        .collect();
    store_bytes(&store, "b", b"b", &docs);
    let mut seen = Vec::new();
    store
        .for_each_document(&mut |d| {
            seen.push(d.id);
            Ok(())
        })
        .unwrap();
    assert_eq!(seen.len(), 1203);
    assert!(seen.windows(2).all(|w| w[0] < w[1]));
}
