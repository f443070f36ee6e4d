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
    let pending = RefCell::new(Vec::with_capacity(EXTRACTION_BATCH));
    let summary = Ingester::new(store, options, observer)
        .after_store(|doc| {
            let mut pending = pending.borrow_mut();
            pending.push(extractor.extract(doc));
            flush(store, &mut pending, false).map_err(|e| format!("storing extraction: {e}"))
        })
        .run(files, skips)?;
    flush(store, &mut pending.borrow_mut(), true)?;
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

/// Archives one posted corpus-format JSON document, stores, extracts and
/// refreshes the ledger. Returns the document id.
pub fn ingest_json_document(
    store: &dyn Store,
    extractor: &Extractor,
    json: &serde_json::Value,
) -> Result<String, PipelineError> {
    let (document, _) = store_json_document(store, extractor, json)?;
    refresh_ledger(store)?;
    Ok(document.id)
}

/// Archives, stores and extracts one posted document (no ledger update).
pub(crate) fn store_json_document(
    store: &dyn Store,
    extractor: &Extractor,
    json: &serde_json::Value,
) -> Result<(Document, Extraction), PipelineError> {
    let bytes =
        serde_json::to_vec(json).map_err(|e| PipelineError::InvalidDocument(e.to_string()))?;
    let parsed = parse_line(&bytes)
        .map_err(PipelineError::InvalidDocument)?
        .ok_or_else(|| PipelineError::InvalidDocument("empty document".into()))?;
    let sha256 = sha256_hex(&bytes);
    let document = parsed
        .into_document(format!("posted-{}", &sha256[..16]), &sha256)
        .map_err(PipelineError::InvalidDocument)?;
    store.put_blob(&sha256, bytes.len() as u64, &mut bytes.as_slice())?;
    let capture = Capture {
        seq: 0,
        sha256: sha256.clone(),
        origin: POSTED_ORIGIN.into(),
        media_type: "application/json".into(),
        captured_at: chrono_now(),
        size: bytes.len() as u64,
    };
    store.write_batch(std::slice::from_ref(&document), Some(&capture))?;
    let extraction = extractor.extract(&document);
    store.put_extractions(std::slice::from_ref(&extraction))?;
    Ok((document, extraction))
}

fn chrono_now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
