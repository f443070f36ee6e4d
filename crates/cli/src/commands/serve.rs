//! `serve`: the ledger site over the store, read-only unless `--writes`.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use anyhow::Context;
use strikewatch_extract::Extractor;
use strikewatch_model::ledger::Review;
use strikewatch_model::read::LedgerRead;
use strikewatch_pipeline::{LiveLedger, PipelineError, Post};
use strikewatch_store::{Scope, Store};
use strikewatch_web::{PostedDocument, WebOptions, WriteBackend, WriteError, WriteScope, Writer};

use super::open_store;

pub const EXAMPLES: &str = "Examples:\n  strikewatch serve\n  \
strikewatch serve --addr 127.0.0.1:9000 --writes\n\n\
With --writes, POST /documents and POST /reviews need `Authorization: Bearer TOKEN`\n\
(see `strikewatch token create`): reviews are signed with the token's public name,
and a post replaces a stored document only with `?replace=ID` (logged).
Without --writes every write is refused.";

/// Writes from the site, over the store: documents go through the full
/// pipeline (archive, extraction, ledger update), reviews are appended to
/// the log and applied. The ledger is held in memory after the first write,
/// so each later write re-resolves only what it touches.
pub struct StoreWriter {
    store: Arc<dyn Store>,
    extractor: Extractor,
    /// One write at a time; loaded on the first write.
    live: Mutex<Option<LiveLedger>>,
}

impl StoreWriter {
    pub fn new(store: Arc<dyn Store>, extractor: Extractor) -> Self {
        StoreWriter {
            store,
            extractor,
            live: Mutex::new(None),
        }
    }

    fn with_live<T>(
        &self,
        write: impl FnOnce(&mut LiveLedger, &dyn Store) -> Result<T, PipelineError>,
    ) -> Result<T, WriteError> {
        // Writes are called on an async worker and may take a while (the
        // first one loads the ledger): let the runtime move other requests
        // off this thread meanwhile.
        let on_multi_thread = tokio::runtime::Handle::try_current()
            .is_ok_and(|h| h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread);
        if on_multi_thread {
            tokio::task::block_in_place(|| self.write_live(write))
        } else {
            self.write_live(write)
        }
    }

    fn write_live<T>(
        &self,
        write: impl FnOnce(&mut LiveLedger, &dyn Store) -> Result<T, PipelineError>,
    ) -> Result<T, WriteError> {
        let mut slot = self.live.lock().map_err(backend)?;
        let stale = match slot.as_ref() {
            Some(live) => !live.is_current(self.store.as_ref()).map_err(backend)?,
            None => true,
        };
        if stale {
            *slot = Some(LiveLedger::load(self.store.as_ref()).map_err(backend)?);
        }
        let Some(live) = slot.as_mut() else {
            return Err(WriteError::Backend("ledger not loaded".into()));
        };
        let result = write(live, self.store.as_ref());
        if result.is_err() {
            // The store may now differ from what is held: reload next time.
            *slot = None;
        }
        result.map_err(|e| match e {
            PipelineError::InvalidDocument(m) => WriteError::Invalid(m),
            e @ PipelineError::NoSuchDocument(_) => WriteError::NotFound(e.to_string()),
            other => backend(other),
        })
    }
}

fn backend(e: impl std::fmt::Display) -> WriteError {
    WriteError::Backend(e.to_string())
}

impl WriteBackend for StoreWriter {
    fn authenticate(&self, token: &str) -> Option<Writer> {
        // A store failure refuses the write rather than allowing it.
        let account = self.store.authenticate(token).ok().flatten()?;
        let scopes = account
            .scopes
            .iter()
            .map(|s| match s {
                Scope::Documents => WriteScope::Documents,
                Scope::Reviews => WriteScope::Reviews,
            })
            .collect();
        Some(Writer {
            token_id: account.id,
            public_name: account.public_name,
            scopes,
        })
    }

    fn ingest_document(
        &self,
        by: &Writer,
        json: serde_json::Value,
        replace: Option<&str>,
    ) -> Result<PostedDocument, WriteError> {
        let post = Post {
            token_id: Some(by.token_id),
            replace,
        };
        let posted =
            self.with_live(|live, store| live.ingest_post(store, &self.extractor, &json, &post))?;
        if posted.replaced {
            tracing::info!(document = %posted.id, token = by.token_id, "document replaced");
        }
        Ok(PostedDocument {
            id: posted.id,
            replaced: posted.replaced,
        })
    }

    fn add_review(&self, by: &Writer, review: Review) -> Result<Review, WriteError> {
        // Signed by the token's public name, whatever the body said.
        let author = by.public_name.trim();
        let reason = review.reason.trim();
        if author.is_empty() || reason.is_empty() {
            return Err(WriteError::Invalid(
                "a review needs an author and a reason".into(),
            ));
        }
        self.with_live(|live, store| {
            live.add_review_as(
                store,
                Some(by.token_id),
                author,
                reason,
                review.action.clone(),
            )
        })
    }
}

/// Serves `store` on `addr` until Ctrl-C.
pub fn serve_store(store: Arc<dyn Store>, addr: SocketAddr, writes: bool) -> anyhow::Result<()> {
    let options = WebOptions {
        writes: if writes {
            let extractor = Extractor::embedded().context("loading the bundled lexicons")?;
            let writer = Arc::new(StoreWriter::new(store.clone(), extractor));
            // Load the ledger for writes in the background, so the first
            // write does not wait for it.
            let warming = writer.clone();
            std::thread::spawn(move || {
                if let Err(e) = warming.write_live(|_, _| Ok(())) {
                    tracing::warn!("loading the ledger for writes: {e}");
                }
            });
            Some(writer as Arc<dyn WriteBackend>)
        } else {
            None
        },
        title: None,
        ..WebOptions::default()
    };
    // Bring the search index up to date in the background: searches meanwhile
    // read the index as it stands.
    let indexing = store.clone();
    std::thread::spawn(move || match indexing.sync_search_index() {
        Ok(done) if done.documents + done.ledger_entries > 0 => tracing::info!(
            documents = done.documents,
            ledger_entries = done.ledger_entries,
            "search index caught up"
        ),
        Ok(_) => {}
        Err(e) => tracing::warn!("updating the search index: {e}"),
    });
    let read: Arc<dyn LedgerRead> = store;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime
        .block_on(strikewatch_web::serve(addr, read, options))
        .with_context(|| format!("serving on {addr}"))
}

pub fn run(db: &str, addr: SocketAddr, writes: bool) -> anyhow::Result<ExitCode> {
    let store: Arc<dyn Store> = Arc::from(open_store(db)?);
    say!(
        "strikewatch serve: serving the ledger at http://{addr}/{}",
        if writes { " (writes on)" } else { "" }
    );
    serve_store(store, addr, writes)?;
    Ok(ExitCode::SUCCESS)
}
