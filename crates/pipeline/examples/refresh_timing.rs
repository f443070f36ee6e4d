//! Where the time of a ledger refresh goes on a large store, and what one
//! added document costs with an incremental resolver held in memory.
//!
//! `cargo run --release -p strikewatch-pipeline --example refresh_timing -- STORE.db`

use std::time::Instant;

use strikewatch_extract::Extractor;
use strikewatch_model::{Document, SourceKind};
use strikewatch_resolve::{Resolver, SourceDocument, apply_reviews};
use strikewatch_store::{SqliteStore, Store};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: refresh_timing STORE.db")?;
    let store = SqliteStore::open(std::path::Path::new(&path))?;
    let t = Instant::now();
    let input = strikewatch_pipeline::load_input(&store)?;
    println!(
        "load {} extractions: {:.0} ms",
        input.documents.len(),
        ms(t)
    );
    let t = Instant::now();
    let mut resolver =
        Resolver::from_input(strikewatch_resolve::ResolveConfig::bundled()?, &input)?;
    println!("resolve: {:.0} ms", ms(t));
    let t = Instant::now();
    let ledger = resolver.ledger();
    println!("assemble ledger: {:.0} ms", ms(t));
    let reviews = store.review_log()?;
    let t = Instant::now();
    let reviewed = apply_reviews(&ledger, &reviews)?;
    println!("apply {} reviews: {:.0} ms", reviews.len(), ms(t));
    let t = Instant::now();
    store.replace_ledger(&reviewed)?;
    println!("persist whole ledger: {:.0} ms", ms(t));

    let extractor = Extractor::embedded()?;
    let doc = Document {
        id: "timing-extra".into(),
        url: None,
        title: Some("Timing".into()),
        published_at: None,
        language: "en".into(),
        source: None,
        source_kind: SourceKind::News,
        text: "The U.S. military struck a boat in the Caribbean on Jan. 4, 2026, killing three \
               people aboard, officials said."
            .into(),
        capture_sha256: None,
        private: false,
    };
    let t = Instant::now();
    let extraction = extractor.extract(&doc);
    println!("extract one: {:.2} ms", ms(t));
    let t = Instant::now();
    let delta = resolver.add(SourceDocument::new(&doc, extraction));
    println!(
        "incremental add: {:.2} ms ({} changed, {} removed)",
        ms(t),
        delta.changed.len(),
        delta.removed.len()
    );
    let t = Instant::now();
    let ledger = resolver.ledger();
    println!("assemble ledger again: {:.0} ms", ms(t));
    std::hint::black_box(ledger);

    // Single-document adds through the live ledger, written as deltas.
    drop(resolver);
    let mut live = strikewatch_pipeline::LiveLedger::load(&store)?;
    let mut times = Vec::new();
    for n in 0..20 {
        let mut doc = doc.clone();
        doc.id = format!("timing-extra-{n}");
        doc.text = format!(
            "The U.S. military struck a boat in the Caribbean on Jan. {}, 2026, killing {} people aboard, officials said.",
            1 + n % 28,
            2 + n % 5
        );
        let t = Instant::now();
        let extraction = extractor.extract(&doc);
        store.write_batch(std::slice::from_ref(&doc), None)?;
        store.put_extractions(std::slice::from_ref(&extraction))?;
        live.add_document(&store, SourceDocument::new(&doc, extraction))?;
        times.push(ms(t));
    }
    times.sort_by(f64::total_cmp);
    println!(
        "live add + delta write, 20 documents: median {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        times[times.len() / 2],
        times[(times.len() * 95 / 100).min(times.len() - 1)],
        times[times.len() - 1]
    );
    Ok(())
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}
