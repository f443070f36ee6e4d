//! `eval`: run the extractor over a corpus and score it against a gold file
//! (the rules of `testdata/dev/SCORING.md`).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use strikewatch_eval::{load_docs, load_gold, score};
use strikewatch_extract::Extractor;

pub const EXAMPLES: &str = "\
Examples:
  strikewatch eval --docs testdata/dev/docs.jsonl --gold testdata/dev/gold.jsonl
  strikewatch eval --docs held-out/docs.jsonl --gold held-out/gold.jsonl --json > score.json

The table gives precision, recall and F1 for incidents, totals, statements and
claims, field accuracy over matched incidents and totals, then every miss
(`missed`), every false report (`false`) and every wrong field (`field:NAME`).";

#[derive(Args, Debug)]
pub struct EvalArgs {
    /// Documents, corpus-format JSONL.
    #[arg(long)]
    pub docs: PathBuf,

    /// Gold annotations, one JSON object per document.
    #[arg(long)]
    pub gold: PathBuf,

    /// Print the figures and findings as JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &EvalArgs) -> anyhow::Result<ExitCode> {
    let docs = load_docs(&args.docs).with_context(|| format!("reading {}", args.docs.display()))?;
    let gold = load_gold(&args.gold).with_context(|| format!("reading {}", args.gold.display()))?;
    let extractor = Extractor::embedded().context("loading the embedded lexicons")?;
    let predicted: Vec<_> = docs.iter().map(|d| extractor.extract(d)).collect();
    let report = score(&docs, &predicted, &gold);
    if args.json {
        say!("{}", report.to_json());
    } else {
        say!("{}", report.to_table().trim_end());
    }
    Ok(ExitCode::SUCCESS)
}
