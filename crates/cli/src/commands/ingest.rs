use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use strikewatch_extract::Extractor;
use strikewatch_ingest::{IngestOptions, Summary, collect_inputs};
use strikewatch_store::Store;

use super::{EXIT_SKIPPED, open_store};
use crate::IngestArgs;
use crate::progress::TerminalProgress;

pub fn run(db: &str, args: &IngestArgs) -> anyhow::Result<ExitCode> {
    let store = open_store(db)?;
    let options = IngestOptions {
        max_bytes: args.max_bytes,
        batch_size: args.batch_size,
    };
    let summary = ingest_paths(store.as_ref(), &args.paths, options)?;
    say!("{}", summary.line());
    Ok(exit_code(&summary))
}

/// Ingests `paths` with terminal progress, extracting every stored
/// document and refreshing the ledger at the end; shared with `demo`.
pub fn ingest_paths(
    store: &dyn Store,
    paths: &[PathBuf],
    options: IngestOptions,
) -> anyhow::Result<Summary> {
    let extractor = Extractor::embedded().context("loading the bundled lexicons")?;
    let (files, skips) = collect_inputs(paths);
    let mut progress = TerminalProgress::new();
    let summary = strikewatch_pipeline::ingest_files(
        store,
        &extractor,
        &files,
        &skips,
        options,
        &mut progress,
    );
    progress.finish();
    let summary = summary?;
    // Keep the search index in step; a failure here loses nothing stored
    // (the next search or serve catches up).
    if let Err(e) = store.sync_search_index() {
        tracing::warn!("updating the search index: {e}");
    }
    Ok(summary)
}

pub fn exit_code(summary: &Summary) -> ExitCode {
    if summary.skipped > 0 {
        ExitCode::from(EXIT_SKIPPED)
    } else {
        ExitCode::SUCCESS
    }
}
