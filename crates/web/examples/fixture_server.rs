//! Serves the development fixture (the sample corpus and its gold
//! extraction, plus one hostile document) from memory, for browser tests
//! until the real store is wired in.
//!
//! Usage: `cargo run -p strikewatch-web --example fixture_server -- [ADDR]`
//! (default 127.0.0.1:8080). Set `STRIKEWATCH_WRITE_TOKEN` to enable writes
//! with that bearer token.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use strikewatch_web::{MemoryLedger, MemoryWriter, WebOptions, fixture, hash_token, serve};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_http=info".into()),
        )
        .init();
    let addr: SocketAddr = match std::env::args().nth(1) {
        Some(a) => a.parse()?,
        None => strikewatch_web::DEFAULT_ADDR,
    };
    let testdata = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata"));
    let ledger = Arc::new(MemoryLedger::new(fixture::dev_ledger(testdata)?));
    let writes = std::env::var("STRIKEWATCH_WRITE_TOKEN").ok().map(|t| {
        Arc::new(MemoryWriter::new(ledger.clone(), [hash_token(&t)]))
            as Arc<dyn strikewatch_web::WriteBackend>
    });
    let options = WebOptions {
        writes,
        title: None,
        ..WebOptions::default()
    };
    serve(addr, ledger, options).await?;
    Ok(())
}
