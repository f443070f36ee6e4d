//! The site's write backend over a real SQLite file: a posted document goes
//! through archive, extraction and the live ledger into the file and is read
//! back from it; a refused or failed write leaves what is stored as it was;
//! tokens are checked by the store.

use std::sync::Arc;

use serde_json::json;
use strikewatch_extract::Extractor;
use strikewatch_model::ledger::{Review, ReviewAction};
use strikewatch_model::read::{Filter, LedgerRead};
use strikewatch_model::writes::{WriteBackend, WriteError, WriteScope, Writer};
use strikewatch_pipeline::{StoreWriter, ingest_json_document, refresh_ledger};
use strikewatch_store::{NewToken, Scope, SqliteStore, Store};

fn strike_report(id: &str, day: u32, dead: &str) -> serde_json::Value {
    json!({
        "id": id,
        "url": format!("https://example.org/{id}"),
        "published_at": format!("2025-10-{day:02}"),
        "language": "en",
        "source_kind": "news",
        "source": "Test Outlet",
        "title": "A strike on a boat",
        "text": format!(
            "A U.S. strike on a vessel in the Caribbean on Oct. {day} killed {dead} people aboard, officials said."
        ),
    })
}

/// A writer over a fresh SQLite file, and a token of that file.
struct Desk {
    dir: tempfile::TempDir,
    store: Arc<SqliteStore>,
    writer: StoreWriter,
    token: String,
}

impl Desk {
    /// A token allowed `scopes`, published as "Night Desk".
    fn new(scopes: Vec<Scope>) -> Desk {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(SqliteStore::open(&dir.path().join("ledger.db")).unwrap());
        let token = store
            .create_token(&NewToken {
                name: "desk".into(),
                public_name: Some("Night Desk".into()),
                scopes,
                expires_at: None,
            })
            .unwrap();
        let writer = StoreWriter::new(store.clone(), Extractor::embedded().unwrap());
        Desk {
            dir,
            store,
            writer,
            token,
        }
    }

    /// A desk allowed both kinds of write, with its account.
    fn writing() -> (Desk, Writer) {
        let desk = Desk::new(vec![Scope::Documents, Scope::Reviews]);
        let by = desk.writer.authenticate(&desk.token).unwrap();
        (desk, by)
    }

    /// Another connection to the same file, as another process opens it.
    fn reopen(&self) -> SqliteStore {
        SqliteStore::open(&self.dir.path().join("ledger.db")).unwrap()
    }
}

/// The incidents backed by `document`, read from `ledger`.
fn incidents_of(ledger: &dyn LedgerRead, document: &str) -> Vec<String> {
    ledger
        .incidents(&Filter::default())
        .unwrap()
        .into_iter()
        .filter(|i| i.reports.iter().any(|r| r.document_id == document))
        .map(|i| i.id)
        .collect()
}

fn review(reason: &str, action: ReviewAction) -> Review {
    Review {
        seq: 0,
        at: "2025-10-20T00:00:00Z".into(),
        author: "whoever the body named".into(),
        reason: reason.into(),
        action,
    }
}

#[test]
fn tokens_are_checked_by_the_store() {
    let desk = Desk::new(vec![Scope::Reviews]);
    let (writer, store, token) = (&desk.writer, &desk.store, &desk.token);
    let account = writer.authenticate(token).expect("a fresh token is valid");
    assert_eq!(account.public_name, "Night Desk");
    assert_eq!(account.scopes, vec![WriteScope::Reviews]);
    assert!(writer.authenticate("not-a-token").is_none());
    assert!(writer.authenticate("").is_none());
    assert!(store.revoke_token(account.token_id).unwrap());
    assert!(writer.authenticate(token).is_none(), "revoked");
}

#[test]
fn a_posted_document_and_a_review_reach_the_sqlite_file() {
    let (desk, by) = Desk::writing();
    let writer = &desk.writer;
    writer.load_ledger().unwrap();

    let posted = writer
        .ingest_document(&by, strike_report("post-1", 14, "three"), None)
        .unwrap();
    assert_eq!(posted.id, "post-1");
    assert!(!posted.replaced);

    // Read back through a second connection to the same file.
    let reopened = desk.reopen();
    let document = LedgerRead::document(&reopened, "post-1").unwrap().unwrap();
    assert!(document.text.contains("killed three people"));
    let incidents = incidents_of(&reopened, "post-1");
    assert_eq!(incidents.len(), 1, "the posted report backs one incident");

    let stored = writer
        .add_review(
            &by,
            review(
                "  checked against the port log ",
                ReviewAction::Annotate {
                    incident: incidents[0].clone(),
                    note: "port log agrees".into(),
                },
            ),
        )
        .unwrap();
    assert_eq!(stored.author, "Night Desk", "signed by the token's name");
    assert_eq!(stored.reason, "checked against the port log");
    let reviews = reopened.reviews().unwrap();
    assert_eq!(reviews.len(), 1);
    assert_eq!(reviews[0].author, "Night Desk");
    assert_eq!(reviews[0].seq, stored.seq);

    // The same id posted again is a new document, never a replacement.
    let again = writer
        .ingest_document(&by, strike_report("post-1", 15, "two"), None)
        .unwrap();
    assert_ne!(again.id, "post-1");
    assert!(!again.replaced);
    let kept = LedgerRead::document(&reopened, "post-1").unwrap().unwrap();
    assert!(kept.text.contains("killed three people"));

    // An explicit replacement keeps the id and replaces the text.
    let replaced = writer
        .ingest_document(&by, strike_report("post-1", 14, "four"), Some("post-1"))
        .unwrap();
    assert_eq!(replaced.id, "post-1");
    assert!(replaced.replaced);
    let now = LedgerRead::document(&reopened, "post-1").unwrap().unwrap();
    assert!(now.text.contains("killed four people"));
}

#[test]
fn a_failed_write_leaves_what_is_stored() {
    let (desk, by) = Desk::writing();
    let (writer, store) = (&desk.writer, &desk.store);
    writer
        .ingest_document(&by, strike_report("post-1", 14, "three"), None)
        .unwrap();
    let incident = incidents_of(store.as_ref(), "post-1")[0].clone();
    let ledger_before = store.ledger().unwrap();
    let counts_before = store.counts().unwrap();

    for (body, replace) in [
        (json!(["not", "a", "document"]), None),
        (json!({"id": "post-2"}), None),
        (json!({"id": "post-1", "text": ""}), Some("post-1")),
    ] {
        let refused = writer.ingest_document(&by, body.clone(), replace);
        assert!(
            matches!(refused, Err(WriteError::Invalid(_))),
            "{body}: {refused:?}"
        );
    }
    let missing = writer.ingest_document(&by, strike_report("post-3", 16, "two"), Some("gone"));
    assert!(
        matches!(missing, Err(WriteError::NotFound(ref m)) if m.contains("gone")),
        "{missing:?}"
    );
    let blank = writer.add_review(
        &by,
        review(
            "   ",
            ReviewAction::Confirm {
                incident: incident.clone(),
            },
        ),
    );
    assert!(matches!(blank, Err(WriteError::Invalid(_))), "{blank:?}");
    let nameless = Writer {
        public_name: " ".into(),
        ..by.clone()
    };
    let unsigned = writer.add_review(
        &nameless,
        review("fine", ReviewAction::Confirm { incident }),
    );
    assert!(
        matches!(unsigned, Err(WriteError::Invalid(_))),
        "{unsigned:?}"
    );

    assert_eq!(store.counts().unwrap(), counts_before);
    let kept = LedgerRead::document(store.as_ref(), "post-1")
        .unwrap()
        .unwrap();
    assert!(kept.text.contains("killed three people"));
    assert!(store.reviews().unwrap().is_empty());
    assert_eq!(store.ledger().unwrap(), ledger_before);

    // The writer still writes after the failures.
    writer
        .ingest_document(&by, strike_report("post-4", 17, "two"), None)
        .unwrap();
    assert_eq!(incidents_of(store.as_ref(), "post-4").len(), 1);
}

#[test]
fn a_ledger_written_by_another_process_is_loaded_before_the_next_write() {
    let (desk, by) = Desk::writing();
    let writer = &desk.writer;
    writer
        .ingest_document(&by, strike_report("post-1", 14, "three"), None)
        .unwrap();
    // The command line ingests a document into the same file meanwhile.
    let other = desk.reopen();
    ingest_json_document(
        &other,
        &Extractor::embedded().unwrap(),
        &strike_report("local-1", 3, "six"),
    )
    .unwrap();
    assert_eq!(incidents_of(&other, "local-1").len(), 1);

    // A second account of the strike the command line stored: it joins that
    // incident only when the writer has loaded the ledger again.
    writer
        .ingest_document(&by, strike_report("post-2", 3, "six"), None)
        .unwrap();
    let joined = incidents_of(&other, "post-2");
    assert_eq!(joined, incidents_of(&other, "local-1"));
    assert_eq!(joined.len(), 1);
    assert_eq!(incidents_of(&other, "post-1").len(), 1);
    // What the writer stored is what a full refresh gives.
    let written = other.ledger().unwrap();
    refresh_ledger(&other).unwrap();
    assert_eq!(other.ledger().unwrap(), written);
}
