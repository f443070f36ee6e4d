//! Whole listings in one response (`?_stream=1` on a `.csv` or `.json`
//! twin): rows are read from the ledger a chunk at a time and written out
//! as the client takes them, so an export of a million rows holds one chunk
//! in memory, never the listing.
//!
//! - A chunk is read on a blocking thread, then handed to the response body
//!   through a channel with room for one chunk: the next read starts only
//!   when the client has taken the one before. A client that hangs up drops
//!   the body, the next hand-over fails and no further chunk is read.
//! - A client that takes nothing for [`SEND_WAIT`] is cut off, and so is
//!   every stream when a chunk cannot be read: the body then ends with an
//!   error, so the connection is closed before the closing chunk and the
//!   client sees a broken transfer, never a short file that looks whole.
//! - The first chunk is read before the head is sent, so a bad cursor or an
//!   unreadable ledger still gets its status code.
//! - Streams keep their lane turn (`limits::Lane::Export`) until their last
//!   byte is handed over, and never pass through the page cache.
//!
//! CSV: the header once, then every row through the same spreadsheet-safe
//! cells as the paged twin. JSON: one array of the rows the paged twin lists.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use http_body_util::channel::Channel;
use serde::Serialize;
use strikewatch_model::cells::spreadsheet_cell;

use crate::error::{FormattedError, PageError};
use crate::format::Format;
use crate::limits::Turn;
use crate::pages::Ctx;

/// Rows read from the ledger at a time.
pub(crate) const CHUNK_ROWS: usize = 1000;
/// How long a chunk waits for the client to take it.
const SEND_WAIT: Duration = Duration::from_secs(30);

/// Rows of one listing being written in one format.
pub(crate) struct Encoder {
    format: Format,
    /// What is ready to send.
    out: Vec<u8>,
    /// Rows written so far.
    rows: u64,
    error: Option<String>,
}

impl Encoder {
    fn new(format: Format, header: &'static [&'static str]) -> Encoder {
        let mut encoder = Encoder {
            format,
            out: Vec::new(),
            rows: 0,
            error: None,
        };
        match format {
            Format::Csv => encoder.cells(header.iter().map(|h| (*h).to_string())),
            _ => encoder.out.push(b'['),
        }
        encoder
    }

    fn cells(&mut self, cells: impl IntoIterator<Item = String>) {
        let cells: Vec<String> = cells
            .into_iter()
            .map(|c| spreadsheet_cell(&c).into_owned())
            .collect();
        let mut writer = csv::Writer::from_writer(&mut self.out);
        if let Err(e) = writer
            .write_record(&cells)
            .and_then(|()| Ok(writer.flush()?))
        {
            self.error.get_or_insert(e.to_string());
        }
    }

    /// Writes one row: as `row` in JSON, as the cells `csv` gives in CSV
    /// (worked out only for CSV).
    pub fn row<R: Serialize>(&mut self, row: &R, csv: impl FnOnce(&R) -> Vec<String>) {
        match self.format {
            Format::Csv => self.cells(csv(row)),
            _ => {
                if self.rows > 0 {
                    self.out.push(b',');
                }
                self.out.push(b'\n');
                if let Err(e) = serde_json::to_writer(&mut self.out, row) {
                    self.error.get_or_insert(e.to_string());
                }
            }
        }
        self.rows += 1;
    }

    /// What has been written since the last call.
    fn take(&mut self) -> Result<Bytes, PageError> {
        if let Some(e) = self.error.take() {
            return Err(PageError::Internal(e));
        }
        Ok(Bytes::from(std::mem::take(&mut self.out)))
    }

    /// The end of the listing.
    fn finish(&mut self) -> Result<Bytes, PageError> {
        if self.format != Format::Csv {
            self.out.extend_from_slice(b"\n]\n");
        }
        self.take()
    }
}

/// Reads the next chunk of a listing into the encoder; `Ok(false)` once the
/// listing is done.
pub(crate) type NextChunk = Box<dyn FnMut(&mut Encoder) -> Result<bool, PageError> + Send>;

/// A listing to stream: its file name, CSV header and chunk reader.
pub(crate) struct Export {
    pub name: &'static str,
    pub header: &'static [&'static str],
    pub next: NextChunk,
}

/// Builds the export a request asks for (parameters checked, nothing read
/// yet); runs on a blocking thread.
pub(crate) type Exporter = fn(&Ctx) -> Result<Export, PageError>;

/// Whether the request asks for the whole listing streamed.
pub(crate) fn wanted(value: Option<&str>) -> Result<bool, PageError> {
    match value.map(str::trim) {
        None | Some("" | "0" | "false") => Ok(false),
        Some("1" | "true") => Ok(true),
        Some(_) => Err(PageError::BadRequest(
            "_stream must be 1 or true (or 0, false, empty)".into(),
        )),
    }
}

/// One step of the stream: the bytes ready, and the export when more
/// chunks follow.
type Step = (Bytes, Option<(Export, Encoder)>);

/// Reads the next chunk; after the last, the closing bytes.
fn step(mut export: Export, mut encoder: Encoder) -> Result<Step, PageError> {
    let more = (export.next)(&mut encoder)?;
    if more {
        let bytes = encoder.take()?;
        Ok((bytes, Some((export, encoder))))
    } else {
        Ok((encoder.finish()?, None))
    }
}

/// The streamed response for `exporter` under `ctx`, holding `turn` until
/// the last byte is handed over.
pub(crate) async fn respond(
    ctx: Ctx,
    path: String,
    exporter: Exporter,
    turn: Option<Turn>,
) -> Response {
    let format = ctx.format;
    let first = tokio::task::spawn_blocking(move || {
        let ctx = crate::pages::with_as_of(ctx, &path)?;
        let export = exporter(&ctx)?;
        let encoder = Encoder::new(format, export.header);
        let name = export.name;
        step(export, encoder).map(|s| (name, s))
    })
    .await;
    let (name, (bytes, rest)) = match first {
        Ok(Ok(found)) => found,
        Ok(Err(e)) => return FormattedError(e, format).into_response(),
        Err(e) => {
            return FormattedError(PageError::Internal(e.to_string()), format).into_response();
        }
    };
    let (mut sender, body) = Channel::<Bytes, PageFailure>::new(1);
    tokio::spawn(async move {
        let _turn = turn;
        let mut next = Some((bytes, rest));
        while let Some((bytes, rest)) = next.take() {
            if !bytes.is_empty() {
                match tokio::time::timeout(SEND_WAIT, sender.send_data(bytes)).await {
                    Ok(Ok(())) => {}
                    // The client hung up: nothing more is read.
                    Ok(Err(_)) => {
                        tracing::info!("a streamed export stopped: the client hung up");
                        return;
                    }
                    Err(_) => {
                        sender.abort(PageFailure("the client took nothing for too long"));
                        return;
                    }
                }
            }
            let Some((export, encoder)) = rest else {
                return;
            };
            match tokio::task::spawn_blocking(move || step(export, encoder)).await {
                Ok(Ok(found)) => next = Some(found),
                Ok(Err(e)) => {
                    tracing::error!(error = ?e, "a streamed export stopped");
                    sender.abort(PageFailure("the ledger could not be read"));
                    return;
                }
                Err(e) => {
                    tracing::error!(error = %e, "a streamed export stopped");
                    sender.abort(PageFailure("the export stopped"));
                    return;
                }
            }
        }
    });
    let body = Fused {
        inner: body,
        done: false,
    };
    let mut response = (StatusCode::OK, Body::new(body)).into_response();
    let headers = response.headers_mut();
    let (kind, suffix) = match format {
        Format::Csv => ("text/csv; charset=utf-8", "csv"),
        _ => ("application/json", "json"),
    };
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}.{suffix}\"")) {
        headers.insert(CONTENT_DISPOSITION, v);
    }
    response
}

/// A body that stays ended once it has ended. The channel's body panics
/// when polled again after its end, which the compression layer does.
struct Fused<B> {
    inner: B,
    done: bool,
}

impl<B: hyper::body::Body + Unpin> hyper::body::Body for Fused<B> {
    type Data = B::Data;
    type Error = B::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<hyper::body::Frame<B::Data>, B::Error>>> {
        if self.done {
            return std::task::Poll::Ready(None);
        }
        let polled = std::pin::Pin::new(&mut self.inner).poll_frame(cx);
        if matches!(polled, std::task::Poll::Ready(None | Some(Err(_)))) {
            self.done = true;
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.done
    }
}

/// Why a stream stopped before its end.
#[derive(Debug)]
pub(crate) struct PageFailure(&'static str);

impl std::fmt::Display for PageFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for PageFailure {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_has_its_header_once_and_safe_cells() {
        let mut e = Encoder::new(Format::Csv, &["a", "b"]);
        e.row(&1, |_| vec!["=cmd()".into(), "x,y".into()]);
        let first = e.take().unwrap();
        e.row(&2, |_| vec!["2".into(), "z".into()]);
        let rest = e.finish().unwrap();
        let all = [first, rest].concat();
        let text = String::from_utf8(all).unwrap();
        assert_eq!(text.matches("a,b").count(), 1);
        assert!(text.contains("'=cmd()"), "{text}");
        assert!(text.contains("\"x,y\""));
    }

    #[test]
    fn json_is_one_array() {
        let mut e = Encoder::new(Format::Json, &[]);
        let mut all = Vec::new();
        for n in 0..3 {
            e.row(&serde_json::json!({ "n": n }), |_| Vec::new());
            all.extend_from_slice(&e.take().unwrap());
        }
        all.extend_from_slice(&e.finish().unwrap());
        let parsed: Vec<serde_json::Value> = serde_json::from_slice(&all).unwrap();
        assert_eq!(parsed.len(), 3);
        let mut empty = Encoder::new(Format::Json, &[]);
        let none: Vec<serde_json::Value> =
            serde_json::from_slice(&empty.finish().unwrap()).unwrap();
        assert!(none.is_empty());
    }

    #[test]
    fn only_yes_or_no() {
        assert!(!wanted(None).unwrap());
        assert!(!wanted(Some("0")).unwrap());
        assert!(!wanted(Some(" ")).unwrap());
        assert!(wanted(Some("1")).unwrap());
        assert!(wanted(Some("true")).unwrap());
        assert!(wanted(Some("yes please")).is_err());
    }
}
