//! What the ledger's history costs on a large store: loading the
//! extractions, resolving the ledger, replaying the history day by day and
//! writing it (the ledger is written too, so the store can be served).
//!
//! `cargo run --release -p strikewatch-pipeline --example history_timing -- STORE.db`

use std::time::Instant;

use strikewatch_resolve::history::history;
use strikewatch_resolve::{ResolveConfig, resolve};
use strikewatch_store::{SqliteStore, Store};

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: history_timing STORE.db")?;
    let store = SqliteStore::open(std::path::Path::new(&path))?;
    let t = Instant::now();
    let input = strikewatch_pipeline::load_input(&store)?;
    println!(
        "load {} extractions: {:.0} ms",
        input.documents.len(),
        ms(t)
    );
    let t = Instant::now();
    let ledger = resolve(&input)?;
    println!(
        "resolve: {:.0} ms ({} incidents)",
        ms(t),
        ledger.incidents.len()
    );
    let t = Instant::now();
    let h = history(&input, &store.review_log()?, &ResolveConfig::bundled()?)?;
    println!(
        "history replay: {:.0} ms ({} days, {} changes, {} incident versions, {} reconciliation versions)",
        ms(t),
        h.days.len(),
        h.changes.len(),
        h.incidents.len(),
        h.reconciliation.len()
    );
    let t = Instant::now();
    store.replace_history(&h)?;
    println!("write history: {:.0} ms", ms(t));
    let t = Instant::now();
    store.replace_ledger(&ledger)?;
    println!("write ledger: {:.0} ms", ms(t));
    Ok(())
}
