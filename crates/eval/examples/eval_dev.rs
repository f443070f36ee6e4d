//! Runs the extractor over the dev corpus and prints the score table.
//! `cargo run -p strikewatch-eval --example eval_dev [-- DOCS GOLD]`

use strikewatch_eval::{load_docs, load_gold, score};
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
    let report = score(&docs, &predicted, &gold);
    println!("{}", report.to_table());
    Ok(())
}
