//! Extracts a corpus, resolves it into a ledger with the real resolver, and
//! compares the ledger with the reference strikes of the gold file.
//! `cargo run -p strikewatch-eval --example eval_ledger -- DOCS GOLD`

use strikewatch_eval::ledger::resolve_and_score;
use strikewatch_eval::{load_docs, load_gold};
use strikewatch_extract::Extractor;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/dev");
    let docs_path = args.next().unwrap_or_else(|| format!("{root}/docs.jsonl"));
    let gold_path = args.next().unwrap_or_else(|| format!("{root}/gold.jsonl"));
    let docs = load_docs(&docs_path)?;
    let gold = load_gold(&gold_path)?;
    let extractor = Extractor::embedded()?;
    let predicted: Vec<_> = docs.iter().map(|d| extractor.extract(d)).collect();
    print!(
        "{}",
        resolve_and_score(&docs, &predicted, &gold)?.to_table()
    );
    Ok(())
}
