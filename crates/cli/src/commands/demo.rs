//! `demo`: build the demo ledger from the bundled sample corpus and serve
//! it (or, with `--no-serve`, print a summary and exit). Re-running on an
//! existing demo database changes nothing: the same bytes are archived once.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::bail;
use strikewatch_ingest::IngestOptions;
use strikewatch_model::ledger::Ledger;
use strikewatch_store::Store;

use super::ingest::ingest_paths;
use super::open_store;
use crate::DemoArgs;

/// The sample corpus relative to the repository root.
const CORPUS_DIR: &str = "examples/corpus";

fn corpus_dir(args: &DemoArgs) -> anyhow::Result<PathBuf> {
    if let Some(dir) = &args.corpus {
        return Ok(dir.clone());
    }
    let here = PathBuf::from(CORPUS_DIR);
    if here.is_dir() {
        return Ok(here);
    }
    let built = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(CORPUS_DIR);
    if built.is_dir() {
        return Ok(built);
    }
    bail!("sample corpus not found: run from the repository root or pass --corpus DIR")
}

pub fn run(db: &str, args: &DemoArgs) -> anyhow::Result<ExitCode> {
    let dir = corpus_dir(args)?;
    let store = open_store(db)?;
    say!("strikewatch demo: ingesting {} into {db}", dir.display());
    let summary = ingest_paths(
        store.as_ref(),
        std::slice::from_ref(&dir),
        IngestOptions::default(),
    )?;
    say!("{}", summary.line());

    say!();
    say!(
        "{:<10} {:<4} {:<10} {:<9} title",
        "id",
        "lang",
        "published",
        "kind"
    );
    store.for_each_document(&mut |doc| {
        let published = doc
            .publication_date()
            .map(|d| d.to_string())
            .unwrap_or_default();
        let title: String = doc
            .title
            .as_deref()
            .unwrap_or("")
            .chars()
            .take(70)
            .collect();
        say!(
            "{:<10} {:<4} {:<10} {:<9} {title}",
            doc.id,
            doc.language,
            published,
            doc.source_kind.as_str()
        );
        Ok(())
    })?;
    let counts = store.counts()?;
    say!();
    say!(
        "{db} holds {} documents from {} captures ({} blobs, {} bytes of evidence).",
        counts.documents,
        counts.captures,
        counts.blobs,
        counts.blob_bytes
    );
    let ledger = store.ledger()?;
    say_ledger_summary(&ledger);
    import_sample_tracker(store.as_ref(), &dir)?;
    if args.no_serve {
        say!(
            "Next: `strikewatch serve` shows the ledger; `strikewatch verify` re-hashes the archive."
        );
        return Ok(super::ingest::exit_code(&summary));
    }
    say!();
    say!(
        "strikewatch demo: serving the ledger at http://{}/",
        args.addr
    );
    say!("(Ctrl-C stops the server; the database stays for `strikewatch serve`.)");
    let store: Arc<dyn Store> = Arc::from(store);
    super::serve::serve_store(store, args.addr, false)?;
    Ok(ExitCode::SUCCESS)
}

/// The sample tracker beside the corpus (`examples/trackers/`), imported
/// as `sample` unless that version is already stored.
const SAMPLE_TRACKER: &str = "sample-tracker.csv";

fn import_sample_tracker(store: &dyn Store, corpus: &Path) -> anyhow::Result<()> {
    let path = corpus.join("../trackers").join(SAMPLE_TRACKER);
    let Ok(bytes) = std::fs::read(&path) else {
        return Ok(());
    };
    let sha = strikewatch_pipeline::file_sha256(&bytes);
    let stored = store.latest_trackers()?;
    if stored.iter().any(|t| t.name == "sample" && t.sha256 == sha) {
        return Ok(());
    }
    say!();
    let comparison = super::trackers::import_file(store, &path, "sample")?;
    super::trackers::say_comparison(&comparison);
    Ok(())
}

/// Incidents, statements, stated totals and how far the totals are from
/// the ledger.
fn say_ledger_summary(ledger: &Ledger) {
    let reports: usize = ledger.incidents.iter().map(|i| i.reports.len()).sum();
    let killed: u32 = ledger
        .incidents
        .iter()
        .filter(|i| i.grade.in_headline())
        .filter_map(|i| i.lead_killed())
        .sum();
    say!(
        "Ledger: {} incidents from {reports} reports ({} unplaced), {killed} killed by the leading figures; \
         {} statements, {} claim groups, {} stated running totals.",
        ledger.incidents.len(),
        ledger.unplaced.len(),
        ledger.statements.len(),
        ledger.claims.len(),
        ledger.reconciliation.len()
    );
    let gaps: Vec<_> = ledger
        .reconciliation
        .iter()
        .filter(|r| r.cause != Some(strikewatch_model::ledger::GapCause::Matched))
        .collect();
    let mut causes: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for r in &ledger.reconciliation {
        *causes
            .entry(r.cause.map_or("not compared", |c| c.as_str()))
            .or_default() += 1;
    }
    let causes: Vec<String> = causes.iter().map(|(c, n)| format!("{n} {c}")).collect();
    let suspect = ledger
        .incidents
        .iter()
        .filter(|i| i.grade == strikewatch_model::ledger::Grade::Suspect)
        .count();
    say!(
        "Reconciliation: {} stated totals, {}; {suspect} suspect incidents left out of the headline.",
        ledger.reconciliation.len(),
        causes.join(", ")
    );
    for r in gaps.iter().take(10) {
        let as_of = r
            .as_of
            .map(|d| d.to_string())
            .unwrap_or_else(|| "undated".into());
        let who = r.attributed_to.as_deref().unwrap_or("unattributed");
        say!(
            "  {as_of} {who} ({}): stated {} strikes / {} killed; ledger {} strikes / {} killed — {}",
            r.document_id,
            r.stated_strikes
                .map(|n| n.to_string())
                .unwrap_or_else(|| "-".into()),
            r.stated_killed
                .map(|n| n.to_string())
                .unwrap_or_else(|| "-".into()),
            r.ledger_strikes,
            r.ledger_killed
                .max
                .map(|n| n.to_string())
                .unwrap_or_else(|| "-".into()),
            r.explanation.text,
        );
    }
}
