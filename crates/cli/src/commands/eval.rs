//! `eval`: run the extractor over a corpus and score it against a gold file
//! (the rules of `testdata/dev/SCORING.md`).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use strikewatch_eval::ledger::resolve_and_score;
use strikewatch_eval::{load_docs, load_gold, score};
use strikewatch_extract::Extractor;

pub const EXAMPLES: &str = "\
Examples:
  strikewatch eval --docs testdata/dev/docs.jsonl --gold testdata/dev/gold.jsonl
  strikewatch eval --docs held-out/docs.jsonl --gold held-out/gold.jsonl --json > score.json
  strikewatch eval --docs testdata/holdout2/docs.jsonl --gold testdata/holdout2/gold.jsonl --ledger

The table gives precision, recall and F1 for incidents, totals, statements and
claims, field accuracy over matched incidents and totals, the headline
measures per language, then every miss (`missed`), every false report
(`false`) and every wrong field (`field:NAME`). `--ledger` also resolves the
extractions into a ledger and compares it with the gold's reference strikes:
dead in incidents no reference strike holds (SPEC's bar: 2 %), strikes
missing, tolls that differ.";

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

    /// Also resolve the extractions into a ledger and score it.
    #[arg(long)]
    pub ledger: bool,
}

pub fn run(args: &EvalArgs) -> anyhow::Result<ExitCode> {
    let docs = load_docs(&args.docs).with_context(|| format!("reading {}", args.docs.display()))?;
    let gold = load_gold(&args.gold).with_context(|| format!("reading {}", args.gold.display()))?;
    let extractor = Extractor::embedded().context("loading the embedded lexicons")?;
    let predicted: Vec<_> = docs.iter().map(|d| extractor.extract(d)).collect();
    let report = score(&docs, &predicted, &gold);
    let ledger = if args.ledger {
        Some(resolve_and_score(&docs, &predicted, &gold).context("resolving the extractions")?)
    } else {
        None
    };
    if args.json {
        let mut value = serde_json::to_value(&report).context("serializing the report")?;
        if let Some(l) = &ledger {
            value["ledger"] = serde_json::to_value(l).context("serializing the ledger score")?;
        }
        say!(
            "{}",
            serde_json::to_string_pretty(&value).context("serializing")?
        );
    } else {
        say!("{}", report.to_table().trim_end());
        if let Some(l) = &ledger {
            say!("\n{}", l.to_table().trim_end());
        }
    }
    Ok(ExitCode::SUCCESS)
}
