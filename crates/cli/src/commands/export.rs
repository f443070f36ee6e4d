//! `export`: the evidence as WARC, the documents as corpus JSONL, or the
//! ledger (reviews applied) as CSV, JSON, GeoJSON or a standalone SQLite
//! file through the export crate. Files are written next to themselves first
//! and renamed, so a failed export never leaves a half-written file.
//!
//! Every export is public: private documents, the bytes that held them and
//! withheld origins are left out (`strikewatch_model::public`).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use strikewatch_archive::WarcWriter;
use strikewatch_ingest::formats::corpus::to_corpus_line;
use strikewatch_store::{Store, StoreError};

use super::open_store;
use crate::{ExportArgs, ExportFormat};

pub fn run(db: &str, args: &ExportArgs) -> anyhow::Result<ExitCode> {
    if args.include_private && args.format != ExportFormat::Jsonl {
        anyhow::bail!("--include-private works only with --format jsonl (a reviewers' copy)");
    }
    let store = open_store(db)?;
    match args.format {
        ExportFormat::Warc | ExportFormat::Jsonl => write_archive(store.as_ref(), args),
        ExportFormat::Csv | ExportFormat::Json | ExportFormat::Geojson | ExportFormat::Sqlite => {
            write_ledger(store.as_ref(), args)
        }
    }
}

/// True when `--format csv` should write the incidents table alone: the
/// output path ends in `.csv`. Any other path is a folder of tables.
pub fn is_single_csv(out: &Path) -> bool {
    out.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

fn write_ledger(store: &dyn Store, args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let ledger = store.public_ledger().context("reading the ledger")?;
    let out = &args.out;
    let what = match args.format {
        ExportFormat::Csv if !is_single_csv(out) => {
            let tables = strikewatch_export::ledger_csv(&ledger)?;
            tables
                .write_dir(out)
                .with_context(|| format!("writing tables into {}", out.display()))?;
            let names: Vec<&str> = tables.files().iter().map(|(n, _)| *n).collect();
            say!(
                "wrote {} incidents as {} tables into {}: {}",
                ledger.incidents.len(),
                names.len(),
                out.display(),
                names.join(" ")
            );
            return Ok(ExitCode::SUCCESS);
        }
        ExportFormat::Sqlite => {
            let partial = partial_path(out);
            // The writer creates tables, so it needs a file of its own.
            let _ = std::fs::remove_file(&partial);
            if let Err(e) = strikewatch_export::write_sqlite(&ledger, &partial) {
                let _ = std::fs::remove_file(&partial);
                return Err(anyhow::Error::from(e).context(format!("writing {}", out.display())));
            }
            std::fs::rename(&partial, out)
                .with_context(|| format!("renaming to {}", out.display()))?;
            say!(
                "wrote {} incidents to {}",
                ledger.incidents.len(),
                out.display()
            );
            return Ok(ExitCode::SUCCESS);
        }
        ExportFormat::Csv => strikewatch_export::incidents_csv(&ledger)?,
        ExportFormat::Json => strikewatch_export::ledger_json(&ledger)?,
        ExportFormat::Geojson => strikewatch_export::incidents_geojson(&ledger)?,
        ExportFormat::Warc | ExportFormat::Jsonl => {
            anyhow::bail!("{:?} is not a ledger format", args.format)
        }
    };
    let partial = partial_path(out);
    let written = std::fs::write(&partial, &what)
        .and_then(|()| File::open(&partial)?.sync_all())
        .with_context(|| format!("writing {}", partial.display()));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(e);
    }
    std::fs::rename(&partial, out).with_context(|| format!("renaming to {}", out.display()))?;
    say!(
        "wrote {} incidents ({} bytes) to {}",
        ledger.incidents.len(),
        what.len(),
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn write_archive(store: &dyn Store, args: &ExportArgs) -> anyhow::Result<ExitCode> {
    let partial = partial_path(&args.out);
    let file = File::create(&partial).with_context(|| format!("creating {}", partial.display()))?;
    let mut out = BufWriter::new(file);
    let written = match args.format {
        ExportFormat::Warc => write_warc(store, &args.out, &mut out),
        ExportFormat::Jsonl => write_jsonl(store, args.include_private, &mut out),
        _ => Err(anyhow::anyhow!(
            "{:?} is not an archive format",
            args.format
        )),
    };
    let finished = written.and_then(|n| {
        out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        Ok(n)
    });
    match finished {
        Ok(n) => {
            std::fs::rename(&partial, &args.out)
                .with_context(|| format!("renaming to {}", args.out.display()))?;
            say!("wrote {n} records to {}", args.out.display());
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            Err(e)
        }
    }
}

fn partial_path(out: &Path) -> PathBuf {
    let mut name = out
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".partial");
    out.with_file_name(name)
}

fn write_warc(store: &dyn Store, out_path: &Path, out: &mut dyn Write) -> anyhow::Result<u64> {
    let withheld = store.withheld_blobs()?;
    let np = store
        .non_public()
        .map_err(|e| anyhow::anyhow!("reading private documents: {e}"))?;
    let mut captures = store.captures()?;
    captures.retain(|c| !withheld.contains(&c.sha256) && !np.has_url(&c.origin));
    // The newest capture time dates the file, so the same archive always
    // gives the same bytes.
    let date = captures
        .iter()
        .map(|c| c.captured_at.as_str())
        .max()
        .unwrap_or("1970-01-01T00:00:00Z")
        .to_string();
    let filename = out_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let software = format!("strikewatch/{}", env!("CARGO_PKG_VERSION"));
    let mut warc = WarcWriter::new(out);
    warc.write_warcinfo(
        &filename,
        &date,
        &[
            ("software", &software),
            ("format", "WARC File Format 1.1"),
            (
                "conformsTo",
                "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            ),
            (
                "description",
                "strikewatch evidence archive; payload digests are sha256 in lowercase hex",
            ),
        ],
    )?;
    // Live captures are written as request/response pairs below, so their
    // bodies are not repeated as resource records.
    let mut exchanges = match store.http_log() {
        Some(log) => log.exchanges()?,
        None => Vec::new(),
    };
    exchanges.retain(|x| {
        !x.body_sha256
            .as_ref()
            .is_some_and(|sha| withheld.contains(sha))
            && !np.has_url(&x.url)
            && !np.has_url(&x.requested_url)
    });
    let from_http: std::collections::HashSet<(&str, &str)> = exchanges
        .iter()
        .filter_map(|x| Some((x.url.as_str(), x.body_sha256.as_deref()?)))
        .collect();
    for capture in &captures {
        if from_http.contains(&(capture.origin.as_str(), capture.sha256.as_str())) {
            continue;
        }
        let mut failed: Option<strikewatch_archive::WarcError> = None;
        store.read_blob_stream(&capture.sha256, &mut |stream| {
            if let Err(e) = warc.write_resource(capture, stream) {
                failed = Some(e);
            }
            Ok::<(), StoreError>(())
        })?;
        if let Some(e) = failed {
            return Err(anyhow::Error::from(e)
                .context(format!("capture {} ({})", capture.seq, capture.origin)));
        }
    }
    for x in &exchanges {
        let Some(response_head) = x.response_head.as_deref() else {
            continue; // no response came back: nothing to replay
        };
        let record = strikewatch_archive::HttpExchangeRecord {
            seq: x.seq,
            target_uri: &x.url,
            date: &x.started_at,
            request_head: &x.request_head,
            response_head,
            payload_sha256: x.body_sha256.as_deref(),
            payload_size: x.body_size.unwrap_or(0),
        };
        let written = match x.body_sha256.as_deref() {
            Some(sha) => {
                let mut failed = None;
                store.read_blob_stream(sha, &mut |stream| {
                    failed = warc.write_exchange(&record, stream).err();
                    Ok::<(), StoreError>(())
                })?;
                failed.map_or(Ok(()), Err)
            }
            None => warc.write_exchange(&record, &mut std::io::empty()),
        };
        written.map_err(|e| {
            anyhow::Error::from(e).context(format!("HTTP exchange {} ({})", x.seq, x.url))
        })?;
    }
    let records = warc.records();
    warc.finish()?;
    Ok(records)
}

fn write_jsonl(
    store: &dyn Store,
    include_private: bool,
    out: &mut dyn Write,
) -> anyhow::Result<u64> {
    if include_private {
        eprintln!("including private documents: this copy is for reviewers, never publish it");
    }
    let mut n = 0u64;
    let mut failure: Option<anyhow::Error> = None;
    store.for_each_document(&mut |doc| {
        if doc.private && !include_private {
            return Ok(());
        }
        let written = to_corpus_line(&doc)
            .map_err(anyhow::Error::from)
            .and_then(|line| Ok(writeln!(out, "{line}")?));
        match written {
            Ok(()) => n += 1,
            Err(e) => {
                failure.get_or_insert(e);
            }
        }
        Ok(())
    })?;
    match failure {
        Some(e) => Err(e),
        None => Ok(n),
    }
}
