//! `strikewatch posts FILE…`: official posts from platform exports.

use std::cell::Cell;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use strikewatch_capture::posts::store_export;
use strikewatch_extract::Extractor;
use strikewatch_model::SourceKind;

use super::capture::{extract_hook, parse_kind};
use super::{EXIT_SKIPPED, open_store};

pub const EXAMPLES: &str = "\
Examples:
  strikewatch posts --author SecWar twitter-archive/data/tweets.js
  strikewatch posts --author 'U.S. Southern Command' ChatExport/result.json
  strikewatch posts --kind news outbox.json

Reads an X/Twitter archive's tweets.js, a Telegram channel export's result.json or an
ActivityPub outbox (Mastodon and similar). The file is archived as one capture; each post
becomes a document (author as source, posted time, URL) that is extracted into the ledger.
Exit code 2 when some file was not an export.";

#[derive(Args, Debug)]
pub struct PostsArgs {
    /// Export files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,

    /// The account's name or handle, when the export does not say (tweets.js never does).
    #[arg(long)]
    pub author: Option<String>,

    /// Kind of source (default official): official, news, ngo, analysis or other.
    #[arg(long, value_parser = parse_kind)]
    pub kind: Option<SourceKind>,

    /// Refuse files larger than this: bytes, or with a KB/MB/GB suffix.
    #[arg(long, default_value = "200MB", value_parser = super::parse_size)]
    pub max_bytes: u64,
}

pub fn run(db: &str, args: &PostsArgs) -> anyhow::Result<ExitCode> {
    let store = open_store(db)?;
    let store = store.as_ref();
    let extractor = Extractor::embedded().context("loading the bundled lexicons")?;
    let stored = Cell::new(0u64);
    let mut hook = extract_hook(store, &extractor, &stored);
    let mut failed = 0u64;
    for file in &args.files {
        // Published as the file's name: no local path leaves the machine.
        let origin = file.file_name().map_or_else(
            || file.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
        if size > args.max_bytes {
            eprintln!(
                "{origin}: {size} bytes, over the size limit of {} bytes (--max-bytes)",
                args.max_bytes
            );
            failed += 1;
            continue;
        }
        let bytes = match std::fs::read(file) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("{origin}: cannot read: {e}");
                failed += 1;
                continue;
            }
        };
        match store_export(
            store,
            &origin,
            &bytes,
            args.author.as_deref(),
            args.kind,
            &mut hook,
        ) {
            Ok(o) => say!(
                "{origin}: {} with {} posts: {} documents added, {} updated, {} unchanged, {} skipped",
                o.platform.as_str(),
                o.posts,
                o.documents.added,
                o.documents.updated,
                o.documents.unchanged,
                o.skipped
            ),
            Err(e @ strikewatch_capture::CaptureError::Store { .. }) => return Err(e.into()),
            Err(e) => {
                eprintln!("{e}");
                failed += 1;
            }
        }
    }
    if stored.get() > 0 {
        strikewatch_pipeline::refresh_ledger(store).context("refreshing the ledger")?;
    }
    Ok(if failed > 0 {
        ExitCode::from(EXIT_SKIPPED)
    } else {
        ExitCode::SUCCESS
    })
}
