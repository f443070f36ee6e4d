//! Test ledgers for the site, built the way `strikewatch ingest` builds
//! them: documents → extract → resolve → a real SQLite file, served by the
//! store's own `LedgerRead`.
#![allow(dead_code)]

pub mod http;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use strikewatch_extract::Extractor;
use strikewatch_ingest::{IngestOptions, QuietObserver, collect_inputs};
use strikewatch_model::ledger::Incident;
use strikewatch_model::read::{Filter, LedgerRead};
use strikewatch_pipeline::{StoreWriter, ingest_files};
use strikewatch_store::{NewToken, Scope, SqliteStore, Store};

pub const TESTDATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata");

/// The development corpus and the seed article.
pub fn dev_corpus() -> Vec<PathBuf> {
    ["dev/docs.jsonl", "seed/docs.jsonl"]
        .iter()
        .map(|f| Path::new(TESTDATA).join(f))
        .collect()
}

/// A document that is hostile on purpose: markup in its title, source and
/// text, `javascript:` links, and a quote holding a script element. It
/// reports a strike, so it backs an incident, and quotes a lawyer, so it
/// gives a statement and a claim.
pub const HOSTILE_DOCUMENT_ID: &str = "hostile-001";
pub const HOSTILE_DOCUMENT: &str = r#"{"id": "hostile-001", "url": "javascript:alert(1)", "published_at": "2025-09-03", "language": "en", "source_kind": "other", "source": "<b>Hostile</b> Outlet", "title": "<script>alert(1)</script>", "text": "A boat was struck in the Caribbean on Tuesday <img src=x onerror=alert(1)>, killing three people aboard, officials said.\n\nMore at <a href=\"javascript:alert(1)\">this link</a> and javascript:alert(1).\n\n\"<script>alert(2)</script> was the message, and the strikes are illegal,\" said Mallory Injector, a lawyer."}"#;

/// An independent outlet that gives the 15 September strike one death more
/// than the official account, so the ledger holds a contested incident.
pub const CONFLICTING_DOCUMENT: &str = r#"{"id": "test-conflict-001", "url": "https://example.net/test/conflicting-count", "published_at": "2025-09-16", "language": "en", "source_kind": "news", "source": "Test Outlet", "title": "A regional outlet gives a different death toll", "text": "A regional outlet said four people were killed in the Sept. 15 strike on a boat in the Caribbean, citing port officials."}"#;

/// A report of one strike with a toll no strike of the campaign has had:
/// resolution grades its incident `suspect` (figures out of range).
pub const OUT_OF_RANGE_DOCUMENT: &str = r#"{"id": "test-suspect-001", "url": "https://example.net/test/out-of-range", "published_at": "2025-11-21", "language": "en", "source_kind": "news", "source": "Test Outlet", "title": "A strike with a toll no strike has had", "text": "A U.S. strike on a vessel in the eastern Pacific on Thursday killed 124 people aboard, officials said."}"#;

/// The ledger the route tests read: the development corpus, the seed
/// article, the hostile document and the conflicting one.
pub fn dev_ledger() -> Arc<SqliteStore> {
    static LEDGER: OnceLock<Arc<SqliteStore>> = OnceLock::new();
    LEDGER
        .get_or_init(|| {
            store_with(
                "dev",
                &dev_corpus(),
                &[HOSTILE_DOCUMENT, CONFLICTING_DOCUMENT],
            )
        })
        .clone()
}

/// Every incident of a ledger, in its own order.
pub fn incidents(ledger: &dyn LedgerRead) -> Vec<Incident> {
    ledger.incidents(&Filter::default()).expect("incidents")
}

/// A store in a fresh folder under the target directory, holding `files`
/// and the extra corpus lines `lines`, ingested with the bundled lexicons.
/// The folder outlives the test process (the ledgers live in statics, which
/// are never dropped): the next run removes the folders of processes gone.
pub fn store_with(name: &str, files: &[PathBuf], lines: &[&str]) -> Arc<SqliteStore> {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("web-ledgers");
    remove_leftovers(&root);
    let dir = root.join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("test folder");
    let mut paths = files.to_vec();
    for (n, line) in lines.iter().enumerate() {
        let path = dir.join(format!("extra-{n}.jsonl"));
        std::fs::write(&path, format!("{line}\n")).expect("test document");
        paths.push(path);
    }
    let store = SqliteStore::open(&dir.join("ledger.db")).expect("store opens");
    let (inputs, skips) = collect_inputs(&paths);
    ingest_files(
        &store,
        &Extractor::embedded().expect("bundled lexicons"),
        &inputs,
        &skips,
        IngestOptions::default(),
        &mut QuietObserver,
    )
    .expect("ingest");
    store.sync_search_index().expect("search index");
    Arc::new(store)
}

/// Removes the ledger folders of test processes no longer running (where
/// `/proc` tells).
fn remove_leftovers(root: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let pid = name.rsplit('-').next().unwrap_or_default();
        if !pid.is_empty() && !Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The write backend `strikewatch serve --writes` runs, over `store`:
/// tokens checked by the store, documents and reviews applied to the live
/// ledger.
pub fn store_writer(store: &Arc<SqliteStore>) -> Arc<StoreWriter> {
    Arc::new(StoreWriter::new(
        store.clone(),
        Extractor::embedded().expect("bundled lexicons"),
    ))
}

/// A new token of `store` allowed both kinds of write.
pub fn write_token(store: &SqliteStore) -> String {
    store
        .create_token(&NewToken {
            name: "test".into(),
            public_name: Some("test reviewer".into()),
            scopes: vec![Scope::Documents, Scope::Reviews],
            expires_at: None,
        })
        .expect("token")
}
