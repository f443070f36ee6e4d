//! Ingest with extraction: every stored document is extracted right after
//! it is stored, and the ledger is refreshed once per batch of files.

use std::cell::RefCell;

use strikewatch_archive::{Capture, sha256_hex};
use strikewatch_extract::Extractor;
use strikewatch_ingest::formats::corpus::parse_line;
use strikewatch_ingest::{IngestOptions, Ingester, InputFile, Observer, Skip, Summary};
use strikewatch_model::{Document, Extraction};
use strikewatch_store::Store;

use crate::PipelineError;
use crate::ledger::{EXTRACTION_BATCH, flush, rebuild, refresh_ledger};

/// Archives and stores `files`, extracts each stored document, then
/// refreshes the ledger when a document was added or changed (and
/// re-extracts everything when the store holds documents never extracted).
pub fn ingest_files(
    store: &dyn Store,
    extractor: &Extractor,
    files: &[InputFile],
    skips: &[Skip],
    options: IngestOptions,
    observer: &mut dyn Observer,
) -> Result<Summary, PipelineError> {
    let started = std::time::Instant::now();
    let pending = RefCell::new(Vec::with_capacity(EXTRACTION_BATCH));
    let summary = Ingester::new(store, options, observer)
        .after_store(|doc| {
            let mut pending = pending.borrow_mut();
            pending.push(extractor.extract(doc));
            flush(store, &mut pending, false).map_err(|e| format!("storing extraction: {e}"))
        })
        .run(files, skips)?;
    flush(store, &mut pending.borrow_mut(), true)?;
    tracing::info!(
        documents = summary.documents_added + summary.documents_updated,
        seconds = started.elapsed().as_secs_f64(),
        "archived, stored and extracted"
    );
    if store.extraction_count()? < store.counts()?.documents {
        // Documents stored before extraction was wired in: extract them all.
        rebuild(store, extractor)?;
    } else if summary.documents_added + summary.documents_updated > 0 {
        refresh_ledger(store)?;
    }
    Ok(summary)
}

/// Where documents posted to the site are recorded as coming from.
const POSTED_ORIGIN: &str = "api:documents";

/// Who posts a document, and whether it replaces a stored one.
///
/// A post never silently replaces a document: when the id it asks for (or
/// its URL gives) is taken, it is stored under a new id made from its bytes.
/// Replacing is an explicit act (`replace`: the id of the document to
/// replace), recorded with the bytes the document had before.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Post<'a> {
    /// The API token that posts it (`None` for a local post).
    pub token_id: Option<i64>,
    pub replace: Option<&'a str>,
}

/// What a post stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posted {
    pub id: String,
    /// True when it explicitly replaced a stored document.
    pub replaced: bool,
}

/// Archives one posted corpus-format JSON document, stores, extracts and
/// refreshes the ledger. Returns the document id.
pub fn ingest_json_document(
    store: &dyn Store,
    extractor: &Extractor,
    json: &serde_json::Value,
) -> Result<String, PipelineError> {
    let (document, _, _) = store_json_document(store, extractor, json, &Post::default())?;
    refresh_ledger(store)?;
    Ok(document.id)
}

/// Archives, stores and extracts one posted document (no ledger update);
/// also says whether it replaced a stored one.
pub(crate) fn store_json_document(
    store: &dyn Store,
    extractor: &Extractor,
    json: &serde_json::Value,
    post: &Post<'_>,
) -> Result<(Document, Extraction, bool), PipelineError> {
    let bytes =
        serde_json::to_vec(json).map_err(|e| PipelineError::InvalidDocument(e.to_string()))?;
    let parsed = parse_line(&bytes)
        .map_err(PipelineError::InvalidDocument)?
        .ok_or_else(|| PipelineError::InvalidDocument("empty document".into()))?;
    let sha256 = sha256_hex(&bytes);
    let own_id = format!("posted-{}", &sha256[..16]);
    let mut document = parsed
        .into_document(own_id.clone(), &sha256)
        .map_err(PipelineError::InvalidDocument)?;
    let replaced_sha256 = match post.replace {
        Some(target) => {
            let stored = Store::document(store, target)?
                .ok_or_else(|| PipelineError::NoSuchDocument(target.to_string()))?;
            document.id = stored.id;
            Some(stored.capture_sha256.unwrap_or_default())
        }
        None => {
            if document.id != own_id && Store::document(store, &document.id)?.is_some() {
                // Taken: the same bytes posted again get the same new id.
                document.id = own_id;
            }
            None
        }
    };
    store.put_blob(&sha256, bytes.len() as u64, &mut bytes.as_slice())?;
    let capture = Capture {
        seq: 0,
        sha256: sha256.clone(),
        origin: POSTED_ORIGIN.into(),
        media_type: "application/json".into(),
        captured_at: chrono_now(),
        size: bytes.len() as u64,
    };
    store.write_posted_document(
        &document,
        &capture,
        post.token_id,
        replaced_sha256.as_deref(),
    )?;
    let extraction = extractor.extract(&document);
    store.put_extractions(std::slice::from_ref(&extraction))?;
    Ok((document, extraction, replaced_sha256.is_some()))
}

fn chrono_now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
