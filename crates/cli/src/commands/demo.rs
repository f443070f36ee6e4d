//! `demo`: ingest the bundled sample corpus and show what was stored.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::bail;
use strikewatch_ingest::IngestOptions;

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
    let summary = ingest_paths(store.as_ref(), &[dir], IngestOptions::default())?;
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
    say!(
        "Next: `strikewatch verify` re-hashes the archive; `strikewatch export --format warc out.warc` exports it."
    );
    Ok(super::ingest::exit_code(&summary))
}
