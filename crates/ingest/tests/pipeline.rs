use std::cell::RefCell;

use strikewatch_ingest::{IngestOptions, Ingester, QuietObserver, collect_inputs};
use strikewatch_store::{SqliteStore, Store};

#[test]
fn every_stored_document_reaches_the_hook_in_batches() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("docs.jsonl");
    let lines: Vec<String> = (0..1234)
        .map(|i| format!(r#"{{"id":"d{i:04}","language":"en","text":"Line {i}."}}"#))
        .collect();
    std::fs::write(&input, lines.join("\n")).unwrap();
    let store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
    let (files, skips) = collect_inputs(std::slice::from_ref(&input));
    let seen = RefCell::new(Vec::new());
    // No size limit at all must not overflow.
    let options = IngestOptions {
        max_bytes: u64::MAX,
        batch_size: 100,
        private: false,
    };
    let mut quiet = QuietObserver;
    let summary = Ingester::new(&store, options, &mut quiet)
        .after_store(|doc| {
            seen.borrow_mut().push(doc.id.clone());
            Ok(())
        })
        .run(&files, &skips)
        .unwrap();
    assert_eq!(summary.documents_added, 1234);
    assert_eq!(summary.skipped, 0);
    assert_eq!(seen.borrow().len(), 1234);
    assert_eq!(store.counts().unwrap().documents, 1234);
    let doc = store.document("d0042").unwrap().unwrap();
    assert_eq!(doc.text, "Line 42.");
    assert_eq!(
        doc.capture_sha256.as_deref(),
        Some(store.captures().unwrap()[0].sha256.as_str())
    );
}

/// A corpus JSONL file larger than the size limit is read; the limit holds
/// for each document, and an over-long line is skipped by its number.
#[test]
fn the_jsonl_limit_is_per_document() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
    let mut jsonl = String::new();
    for i in 0..40 {
        jsonl.push_str(&format!(
            "{{\"id\": \"d{i}\", \"text\": \"Document {i} about a strike in the Caribbean.\"}}\n"
        ));
    }
    let long = format!(
        "{{\"id\": \"long\", \"text\": \"{}\"}}\n",
        "word ".repeat(200)
    );
    jsonl.insert_str(0, &long);
    let path = dir.path().join("big.jsonl");
    std::fs::write(&path, &jsonl).unwrap();
    let options = IngestOptions {
        max_bytes: 500,
        ..IngestOptions::default()
    };
    assert!(jsonl.len() > 4 * 500);
    let (files, skips) = collect_inputs(std::slice::from_ref(&path));
    let mut quiet = QuietObserver;
    let summary = Ingester::new(&store, options, &mut quiet)
        .run(&files, &skips)
        .unwrap();
    assert_eq!(summary.documents_added, 40, "{summary:?}");
    assert_eq!(summary.skipped, 1, "{summary:?}");
    assert!(store.document("long").unwrap().is_none());
    assert!(store.document("d39").unwrap().is_some());
}
