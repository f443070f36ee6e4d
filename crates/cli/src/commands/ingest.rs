use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use strikewatch_extract::Extractor;
use strikewatch_ingest::{IngestOptions, Summary, collect_inputs_from};
use strikewatch_store::Store;

use super::{EXIT_SKIPPED, open_store};
use crate::IngestArgs;
use crate::progress::TerminalProgress;

pub fn run(db: &str, args: &IngestArgs) -> anyhow::Result<ExitCode> {
    let store = open_store(db)?;
    let options = IngestOptions {
        max_bytes: args.max_bytes,
        batch_size: args.batch_size,
        private: args.private,
    };
    if let Some(origin) = &args.origin {
        check_origin(origin)?;
    }
    let summary = ingest_paths_from(store.as_ref(), &args.paths, args.origin.as_deref(), options)?;
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
    ingest_paths_from(store, paths, None, options)
}

/// `--origin` must say where the bytes came from as a URL (`scheme://…`),
/// never as a local path.
fn check_origin(origin: &str) -> anyhow::Result<()> {
    let scheme_ok = origin.split_once("://").is_some_and(|(scheme, rest)| {
        !scheme.is_empty()
            && !rest.is_empty()
            && scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
    });
    if !scheme_ok || origin.chars().any(char::is_whitespace) {
        anyhow::bail!(
            "--origin must be a URL such as https://example.org/memo.pdf, not {origin:?}"
        );
    }
    Ok(())
}

fn ingest_paths_from(
    store: &dyn Store,
    paths: &[PathBuf],
    origin: Option<&str>,
    options: IngestOptions,
) -> anyhow::Result<Summary> {
    let extractor = Extractor::embedded().context("loading the bundled lexicons")?;
    let (files, skips) = collect_inputs_from(paths, origin);
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
    let indexing = std::time::Instant::now();
    match store.sync_search_index() {
        Ok(done) => tracing::info!(
            documents = done.documents,
            ledger_entries = done.ledger_entries,
            seconds = indexing.elapsed().as_secs_f64(),
            "search index updated"
        ),
        Err(e) => tracing::warn!("updating the search index: {e}"),
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
