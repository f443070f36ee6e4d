//! `serve`: the ledger site over the store, read-only unless `--writes`.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use strikewatch_extract::Extractor;
use strikewatch_model::read::LedgerRead;
use strikewatch_pipeline::StoreWriter;
use strikewatch_store::Store;
use strikewatch_web::{WebOptions, WriteBackend};

use super::open_store;

pub const EXAMPLES: &str = "Examples:\n  strikewatch serve\n  \
strikewatch serve --addr 127.0.0.1:9000 --writes\n\n\
With --writes, POST /documents and POST /reviews need `Authorization: Bearer TOKEN`\n\
(see `strikewatch token create`): reviews are signed with the token's public name,
and a post replaces a stored document only with `?replace=ID` (logged).
Without --writes every write is refused.";

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
                if let Err(e) = warming.load_ledger() {
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
