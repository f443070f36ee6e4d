//! The ingest pipeline: archive each file's bytes, turn them into
//! documents, store the documents in batched transactions, and call a hook
//! after each stored document.
//!
//! Crash safety: a file's blob is committed first, its documents in batches,
//! and its capture record last, together with the final batch. A run killed
//! half-way leaves no capture for that file, so the next run reads it again;
//! documents are keyed by id, so the repeat adds no duplicates.

use std::cell::Cell;
use std::fs::File;
use std::io::{BufRead, Read};
use std::rc::Rc;

use chrono::{SecondsFormat, Utc};
use strikewatch_archive::{Capture, MediaType, StreamHasher, sha256_hex};
use strikewatch_model::Document;
use strikewatch_store::{BatchOutcome, Store, StoreError};

use crate::formats::{Format, corpus, parse_single};
use crate::walk::InputFile;
use crate::{IngestError, Skip, ids};

/// Default `--max-bytes`: 20 MB.
pub const DEFAULT_MAX_BYTES: u64 = 20 * 1024 * 1024;
/// The largest corpus JSONL file: one archive blob (SQLite's value limit).
const MAX_LINES_FILE: u64 = 1_000_000_000;
/// Documents per transaction.
pub const DEFAULT_BATCH_SIZE: usize = 500;

#[derive(Debug, Clone, Copy)]
pub struct IngestOptions {
    /// Files larger than this are skipped, judged from metadata before
    /// reading. In a corpus JSONL file the limit is per document: each line
    /// over it is skipped, the file itself may be any size the archive holds.
    pub max_bytes: u64,
    pub batch_size: usize,
    /// Store every document of the run as private (`ingest --private`):
    /// archived and extracted, never published.
    pub private: bool,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            max_bytes: DEFAULT_MAX_BYTES,
            batch_size: DEFAULT_BATCH_SIZE,
            private: false,
        }
    }
}

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileOutcome {
    Stored {
        documents: BatchOutcome,
        skipped_lines: u64,
        new_bytes: u64,
    },
    /// The same bytes from the same origin are already archived.
    AlreadyArchived {
        sha256: String,
    },
    Skipped,
}

/// Totals of one run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: u64,
    pub captures_added: u64,
    pub already_archived: u64,
    pub documents_added: u64,
    pub documents_updated: u64,
    /// Documents stored before with the same content.
    pub documents_unchanged: u64,
    /// Files and lines reported as skipped.
    pub skipped: u64,
    /// Bytes of blobs newly written to the archive.
    pub bytes_archived: u64,
    /// Bytes of input read.
    pub bytes_read: u64,
}

impl Summary {
    pub fn line(&self) -> String {
        format!(
            "{} documents added, {} updated, {} duplicate, {} skipped; {} files ({} new captures, {} already archived); {} bytes archived",
            self.documents_added,
            self.documents_updated,
            self.documents_unchanged,
            self.skipped,
            self.files,
            self.captures_added,
            self.already_archived,
            self.bytes_archived
        )
    }
}

/// Progress and reports from a run. Every method has a do-nothing default.
pub trait Observer {
    fn started(&mut self, _files: usize, _total_bytes: u64) {}
    fn file_started(&mut self, _file: &InputFile) {}
    /// Input bytes processed since the last call.
    fn advanced(&mut self, _bytes: u64) {}
    fn skipped(&mut self, _skip: &Skip) {}
    /// An input was read, but not in the usual way (see [`crate::formats::Parsed::notes`]).
    fn noted(&mut self, _origin: &str, _note: &str) {}
    fn batch_committed(&mut self, _outcome: &BatchOutcome) {}
    fn file_done(&mut self, _file: &InputFile, _outcome: &FileOutcome) {}
}

/// An observer that ignores everything.
pub struct QuietObserver;
impl Observer for QuietObserver {}

/// Called after each document is stored (extraction will hook in here).
pub type AfterStore<'a> = dyn FnMut(&Document) -> Result<(), String> + 'a;

/// Stores `documents` from one capture in batches of `batch_size`, each
/// batch one transaction; the capture record goes in with the last batch.
/// Items that are `Err` are reported to `observer` and counted as skipped.
pub fn store_documents<I>(
    store: &dyn Store,
    documents: I,
    capture: &Capture,
    batch_size: usize,
    observer: &mut dyn Observer,
    after_store: &mut AfterStore<'_>,
) -> Result<(BatchOutcome, u64), StoreError>
where
    I: Iterator<Item = Result<Document, Skip>>,
{
    let batch_size = batch_size.max(1);
    let mut total = BatchOutcome::default();
    let mut skipped = 0u64;
    let mut batch: Vec<Document> = Vec::with_capacity(batch_size);
    let mut documents = documents.peekable();
    loop {
        match documents.next() {
            Some(Ok(doc)) => batch.push(doc),
            Some(Err(skip)) => {
                skipped += 1;
                observer.skipped(&skip);
            }
            None => {}
        }
        let last = documents.peek().is_none();
        if batch.len() >= batch_size || last {
            let outcome = store.write_batch(&batch, last.then_some(capture))?;
            observer.batch_committed(&outcome);
            total.absorb(outcome);
            for doc in &batch {
                if let Err(reason) = after_store(doc) {
                    skipped += 1;
                    observer.skipped(&Skip::file(&doc.id, reason));
                }
            }
            batch.clear();
        }
        if last {
            return Ok((total, skipped));
        }
    }
}

/// Runs ingest over files against one store.
pub struct Ingester<'a> {
    store: &'a dyn Store,
    options: IngestOptions,
    observer: &'a mut dyn Observer,
    after_store: Box<AfterStore<'a>>,
}

impl<'a> Ingester<'a> {
    pub fn new(
        store: &'a dyn Store,
        options: IngestOptions,
        observer: &'a mut dyn Observer,
    ) -> Self {
        Ingester {
            store,
            options,
            observer,
            after_store: Box::new(|_| Ok(())),
        }
    }

    /// Sets the hook run after each stored document.
    pub fn after_store(mut self, hook: impl FnMut(&Document) -> Result<(), String> + 'a) -> Self {
        self.after_store = Box::new(hook);
        self
    }

    /// Ingests `files` in order; `skips` found while listing are reported
    /// first. Only a store failure stops the run.
    pub fn run(&mut self, files: &[InputFile], skips: &[Skip]) -> Result<Summary, IngestError> {
        let mut summary = Summary::default();
        for skip in skips {
            self.observer.skipped(skip);
            summary.skipped += 1;
        }
        let total_bytes = files.iter().map(|f| f.size).sum();
        self.observer.started(files.len(), total_bytes);
        for file in files {
            self.observer.file_started(file);
            let outcome = self.ingest_file(file)?;
            summary.files += 1;
            match &outcome {
                FileOutcome::Stored {
                    documents,
                    skipped_lines,
                    new_bytes,
                } => {
                    summary.captures_added += u64::from(documents.capture_recorded);
                    summary.documents_added += documents.added;
                    summary.documents_updated += documents.updated;
                    summary.documents_unchanged += documents.unchanged;
                    summary.skipped += skipped_lines;
                    summary.bytes_archived += new_bytes;
                    summary.bytes_read += file.size;
                }
                FileOutcome::AlreadyArchived { .. } => {
                    summary.already_archived += 1;
                    summary.bytes_read += file.size;
                    self.observer.advanced(file.size);
                }
                FileOutcome::Skipped => {
                    summary.skipped += 1;
                    self.observer.advanced(file.size);
                }
            }
            self.observer.file_done(file, &outcome);
        }
        Ok(summary)
    }

    fn skip(&mut self, skip: Skip) -> Result<FileOutcome, IngestError> {
        self.observer.skipped(&skip);
        Ok(FileOutcome::Skipped)
    }

    fn ingest_file(&mut self, file: &InputFile) -> Result<FileOutcome, IngestError> {
        let origin = file.origin.as_str();
        let lines = file.size > self.options.max_bytes && {
            let mut head = [0u8; 512];
            let n = File::open(&file.path)
                .and_then(|mut f| read_up_to(&mut f, &mut head))
                .unwrap_or(0);
            Format::for_media(MediaType::guess(origin, &head[..n])) == Format::CorpusLines
        };
        if file.size > self.options.max_bytes && !lines {
            let reason = format!(
                "file is {} bytes, over the size limit of {} bytes (--max-bytes)",
                file.size, self.options.max_bytes
            );
            return self.skip(Skip::file(origin, reason));
        }
        if file.size == 0 {
            return self.skip(Skip::file(origin, "empty file"));
        }
        let mut head = [0u8; 512];
        let head_len = match File::open(&file.path).and_then(|mut f| read_up_to(&mut f, &mut head))
        {
            Ok(n) => n,
            Err(e) => return self.skip(Skip::file(origin, format!("cannot read: {e}"))),
        };
        let media = MediaType::guess(origin, &head[..head_len]);
        match Format::for_media(media) {
            Format::CorpusLines => self.ingest_lines(file, media),
            format => self.ingest_single(file, media, format),
        }
    }

    fn capture(file: &InputFile, media: MediaType, sha256: &str, size: u64) -> Capture {
        Capture {
            seq: 0,
            origin: file.origin.clone(),
            media_type: media.mime().to_string(),
            captured_at: Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
            size,
            sha256: sha256.to_string(),
        }
    }

    /// A file that is one document: read whole (it is under the size limit).
    fn ingest_single(
        &mut self,
        file: &InputFile,
        media: MediaType,
        format: Format,
    ) -> Result<FileOutcome, IngestError> {
        let origin = file.origin.as_str();
        let mut bytes = Vec::with_capacity(file.size as usize);
        let read = File::open(&file.path).and_then(|f| {
            f.take(self.options.max_bytes.saturating_add(1))
                .read_to_end(&mut bytes)
        });
        if let Err(e) = read {
            return self.skip(Skip::file(origin, format!("cannot read: {e}")));
        }
        if bytes.len() as u64 > self.options.max_bytes {
            return self.skip(Skip::file(
                origin,
                "file grew over the size limit while being read",
            ));
        }
        if bytes.is_empty() {
            return self.skip(Skip::file(origin, "empty file"));
        }
        let sha = sha256_hex(&bytes);
        if self.store.has_capture(origin, &sha)? {
            return Ok(FileOutcome::AlreadyArchived { sha256: sha });
        }
        let document = match parse_single(format, &bytes).and_then(|p| {
            for note in &p.notes {
                self.observer.noted(origin, note);
            }
            p.into_document(ids::id_from_origin(origin), &sha)
        }) {
            Ok(mut doc) => {
                doc.private |= self.options.private;
                doc
            }
            Err(reason) => return self.skip(Skip::file(origin, reason)),
        };
        let size = bytes.len() as u64;
        let new_blob = self.store.put_blob(&sha, size, &mut bytes.as_slice())?;
        let capture = Self::capture(file, media, &sha, size);
        let (documents, skipped_lines) = store_documents(
            self.store,
            std::iter::once(Ok(document)),
            &capture,
            self.options.batch_size,
            self.observer,
            &mut *self.after_store,
        )?;
        self.observer.advanced(file.size);
        Ok(FileOutcome::Stored {
            documents,
            skipped_lines,
            new_bytes: if new_blob { size } else { 0 },
        })
    }

    /// A corpus JSONL file: hashed and archived by streaming, then read back
    /// line by line from the archive, so documents come from stored bytes.
    fn ingest_lines(
        &mut self,
        file: &InputFile,
        media: MediaType,
    ) -> Result<FileOutcome, IngestError> {
        let origin = file.origin.as_str();
        // The limit is per line here; the file is bounded by what one
        // archive blob can hold.
        let limit = MAX_LINES_FILE;
        let line_limit = self.options.max_bytes;
        let hashed = File::open(&file.path)
            .and_then(|f| StreamHasher::hash_reader(&mut f.take(limit.saturating_add(1))));
        let (sha, size) = match hashed {
            Ok(v) => v,
            Err(e) => return self.skip(Skip::file(origin, format!("cannot read: {e}"))),
        };
        if size > limit {
            return self.skip(Skip::file(
                origin,
                format!("file is over {limit} bytes, more than one archive blob holds"),
            ));
        }
        if size == 0 {
            return self.skip(Skip::file(origin, "empty file"));
        }
        if self.store.has_capture(origin, &sha)? {
            return Ok(FileOutcome::AlreadyArchived { sha256: sha });
        }
        let stored = File::open(&file.path)
            .map_err(StoreError::from)
            .and_then(|mut f| self.store.put_blob(&sha, size, &mut f));
        let new_blob = match stored {
            Ok(new) => new,
            Err(StoreError::ContentChanged { .. }) => {
                return self.skip(Skip::file(origin, "file changed while being read"));
            }
            Err(StoreError::Io(e)) => {
                return self.skip(Skip::file(origin, format!("cannot read: {e}")));
            }
            Err(e) => return Err(e.into()),
        };

        let capture = Self::capture(file, media, &sha, size);
        let consumed = Rc::new(Cell::new(0u64));
        let mut progress = LineProgress {
            inner: &mut *self.observer,
            consumed: Rc::clone(&consumed),
            reported: 0,
        };
        let mut stored = (BatchOutcome::default(), 0u64);
        let store = self.store;
        let batch_size = self.options.batch_size;
        let after_store = &mut *self.after_store;
        store.read_blob_stream(&sha, &mut |stream| {
            let lines = CorpusLines {
                reader: stream,
                origin,
                sha: &sha,
                line: 0,
                max_line: line_limit,
                buf: Vec::new(),
                consumed: Rc::clone(&consumed),
                failed: false,
                private: self.options.private,
            };
            stored = store_documents(
                store,
                lines,
                &capture,
                batch_size,
                &mut progress,
                after_store,
            )?;
            Ok(())
        })?;
        let (documents, skipped_lines) = stored;
        let rest = size.saturating_sub(progress.reported);
        self.observer.advanced(rest);
        Ok(FileOutcome::Stored {
            documents,
            skipped_lines,
            new_bytes: if new_blob { size } else { 0 },
        })
    }
}

fn read_up_to(reader: &mut dyn Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match reader.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

/// Documents from the lines of a stored corpus file.
struct CorpusLines<'s, R: BufRead> {
    reader: R,
    origin: &'s str,
    sha: &'s str,
    line: u64,
    /// A line (one document) longer than this is skipped.
    max_line: u64,
    buf: Vec<u8>,
    consumed: Rc<Cell<u64>>,
    failed: bool,
    /// Every line is private (else only lines that say so).
    private: bool,
}

/// Reads up to and including the next newline, keeping at most `keep`
/// bytes in `buf` and skipping the rest of the line; returns the line's
/// whole length.
fn read_line_bounded<R: BufRead>(
    reader: &mut R,
    buf: &mut Vec<u8>,
    keep: u64,
) -> std::io::Result<u64> {
    let mut total = 0u64;
    loop {
        let available = reader.fill_buf()?;
        if available.is_empty() {
            return Ok(total);
        }
        let (chunk, done) = match available.iter().position(|b| *b == b'\n') {
            Some(i) => (&available[..=i], true),
            None => (available, false),
        };
        let room = keep.saturating_sub(buf.len() as u64) as usize;
        buf.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let n = chunk.len();
        reader.consume(n);
        total += n as u64;
        if done {
            return Ok(total);
        }
    }
}

impl<R: BufRead> Iterator for CorpusLines<'_, R> {
    type Item = Result<Document, Skip>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.failed {
            self.buf.clear();
            // One byte past the limit tells an over-long line from one at it.
            let keep = self.max_line.saturating_add(2);
            let n = match read_line_bounded(&mut self.reader, &mut self.buf, keep) {
                Ok(0) => return None,
                Ok(n) => n,
                Err(e) => {
                    self.failed = true;
                    return Some(Err(Skip::file(
                        self.origin,
                        format!("archive read failed: {e}"),
                    )));
                }
            };
            self.line += 1;
            self.consumed.set(self.consumed.get() + n);
            let mut bytes = self.buf.as_slice();
            bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
            bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
            // A kept line has its end in `buf`; a cut one is longer than
            // the limit plus any line end.
            if bytes.len() as u64 > self.max_line || n > self.max_line.saturating_add(2) {
                return Some(Err(Skip::line(
                    self.origin,
                    self.line,
                    format!(
                        "line is {n} bytes, over the per-document limit of {} bytes (--max-bytes)",
                        self.max_line
                    ),
                )));
            }
            let fallback = ids::id_from_line(self.sha, self.line);
            match corpus::parse_line(bytes) {
                Ok(None) => continue,
                Ok(Some(mut parsed)) => {
                    parsed.private |= self.private;
                    return Some(
                        parsed
                            .into_document(fallback, self.sha)
                            .map_err(|reason| Skip::line(self.origin, self.line, reason)),
                    );
                }
                Err(reason) => return Some(Err(Skip::line(self.origin, self.line, reason))),
            }
        }
        None
    }
}

/// Turns committed batches of a line file into byte progress.
struct LineProgress<'o> {
    inner: &'o mut dyn Observer,
    consumed: Rc<Cell<u64>>,
    reported: u64,
}

impl Observer for LineProgress<'_> {
    fn skipped(&mut self, skip: &Skip) {
        self.inner.skipped(skip);
    }

    fn batch_committed(&mut self, outcome: &BatchOutcome) {
        let now = self.consumed.get();
        self.inner.advanced(now.saturating_sub(self.reported));
        self.reported = now;
        self.inner.batch_committed(outcome);
    }
}
