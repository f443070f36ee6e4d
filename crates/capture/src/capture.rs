//! One URL captured: fetched, every exchange archived, the body handed to
//! the ingest path (HTML → document) or read as a feed, and the URL's state
//! moved on (a new version, unchanged, or gone).

use std::cell::RefCell;

use chrono::{SecondsFormat, Utc};
use strikewatch_archive::{Capture, MediaType, sha256_hex};
use strikewatch_ingest::formats::{Format, parse_single};
use strikewatch_ingest::{QuietObserver, ids, store_documents};
use strikewatch_model::{Document, SourceKind};
use strikewatch_store::{HttpExchange, HttpLog, NewDocumentVersion, Store, StoreError, UrlState};

use crate::error::CaptureError;
use crate::feeds::{FeedKind, looks_like_feed, parse_feed};
use crate::fetch::{Exchange, FetchFailure, Fetched, Fetcher, Validators};
use crate::meta::fill_published;

/// What a capture of one URL came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// A page seen for the first time, read into a document.
    New { document: String },
    /// The page's text changed since the last capture: a new version is
    /// archived and the document now holds the new text.
    Changed { document: String, version: i64 },
    /// New bytes archived, but the document's text is the same.
    Rearchived { document: String, version: i64 },
    /// The same bytes as the last capture.
    Unchanged,
    /// The server answered 304 to a conditional request.
    NotModified,
    /// A page captured before now answers 404/410 or redirects away.
    Gone { detail: String },
    /// A feed or sitemap, archived; `new_entries` are the entry URLs never
    /// captured before.
    Feed {
        kind: FeedKind,
        entries: usize,
        new_entries: Vec<String>,
    },
    /// Archived, but not a kind of body documents are made from.
    Archived { media_type: String },
}

impl Outcome {
    pub fn word(&self) -> &'static str {
        match self {
            Outcome::New { .. } => "new",
            Outcome::Changed { .. } => "changed",
            Outcome::Rearchived { .. } => "re-archived",
            Outcome::Unchanged => "unchanged",
            Outcome::NotModified => "not-modified",
            Outcome::Gone { .. } => "gone",
            Outcome::Feed { .. } => "feed",
            Outcome::Archived { .. } => "archived",
        }
    }
}

/// One URL's report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub url: String,
    pub final_url: String,
    pub status: u16,
    /// Redirects followed.
    pub redirects: usize,
    pub bytes: u64,
    pub outcome: Outcome,
}

/// What the source of a URL says about the documents made from it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hints {
    pub source: Option<String>,
    pub source_kind: Option<SourceKind>,
}

/// Runs after each stored document (extraction hooks in here).
pub type AfterStore<'a> = dyn FnMut(&Document) -> Result<(), String> + 'a;

/// Captures URLs into one store.
pub struct Capturer<'a> {
    fetcher: &'a Fetcher,
    store: &'a dyn Store,
    log: &'a dyn HttpLog,
    after_store: RefCell<Box<AfterStore<'a>>>,
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl<'a> Capturer<'a> {
    pub fn new(fetcher: &'a Fetcher, store: &'a dyn Store) -> Result<Self, CaptureError> {
        let log = store.http_log().ok_or(CaptureError::NoHttpLog)?;
        Ok(Capturer {
            fetcher,
            store,
            log,
            after_store: RefCell::new(Box::new(|_| Ok(()))),
        })
    }

    /// Sets the hook run after each stored document.
    pub fn after_store(self, hook: impl FnMut(&Document) -> Result<(), String> + 'a) -> Self {
        *self.after_store.borrow_mut() = Box::new(hook);
        self
    }

    pub fn fetcher(&self) -> &Fetcher {
        self.fetcher
    }

    /// True when `url` was captured (or tried) before.
    pub fn known(&self, url: &str) -> Result<bool, CaptureError> {
        self.log
            .url_state(url)
            .map(|s| s.is_some())
            .map_err(|e| store_err(url, e))
    }

    /// Captures one URL. Errors are recorded in the exchange log before
    /// they are returned; nothing stored before is changed by a failure.
    pub async fn capture(&self, url: &str, hints: &Hints) -> Result<Report, CaptureError> {
        let prev = self.log.url_state(url).map_err(|e| store_err(url, e))?;
        let validators = prev
            .as_ref()
            .filter(|p| p.state == "live")
            .map(|p| Validators {
                etag: p.etag.clone(),
                last_modified: p.last_modified.clone(),
            });
        match self.fetcher.fetch(url, validators.as_ref()).await {
            Ok(fetched) => self.settle(url, prev, fetched, hints),
            Err(failure) => Err(self.record_failure(url, prev, failure)),
        }
    }

    fn record_failure(
        &self,
        url: &str,
        prev: Option<UrlState>,
        failure: FetchFailure,
    ) -> CaptureError {
        let FetchFailure {
            error,
            hops,
            failed_request,
        } = failure;
        let mut recorded = self.record_hops(url, &hops, None);
        if let Some((at, started_at, head)) = failed_request {
            let exchange = HttpExchange {
                requested_url: url.to_string(),
                hop: hops.len() as u32,
                url: at.to_string(),
                method: "GET".into(),
                started_at,
                request_head: head,
                outcome: "error".into(),
                error: Some(format!("{}: {error}", error.kind())),
                ..HttpExchange::default()
            };
            recorded = recorded.and_then(|()| {
                self.log
                    .record_exchange(&exchange)
                    .map(|_| ())
                    .map_err(|e| store_err(url, e))
            });
        }
        if let Err(store_error) = recorded {
            return store_error;
        }
        if let Some(mut state) = prev {
            state.last_seen = now();
            state.note = Some(error.to_string());
            if state.state != "gone" {
                state.state = "failing".into();
            }
            if let Err(e) = self.log.put_url_state(&state) {
                return store_err(url, e);
            }
        }
        error
    }

    /// Archives each exchange's body and records the exchange. The final
    /// exchange's outcome word is `last_outcome` when given.
    fn record_hops(
        &self,
        url: &str,
        hops: &[Exchange],
        last_outcome: Option<&str>,
    ) -> Result<(), CaptureError> {
        for (i, x) in hops.iter().enumerate() {
            let sha = if x.body.is_empty() {
                None
            } else {
                let sha = sha256_hex(&x.body);
                self.store
                    .put_blob(&sha, x.body.len() as u64, &mut x.body.as_slice())
                    .map_err(|e| store_err(url, e))?;
                Some(sha)
            };
            let outcome = match (i + 1 == hops.len(), last_outcome) {
                (true, Some(word)) => word.to_string(),
                _ => exchange_word(x).to_string(),
            };
            let exchange = HttpExchange {
                requested_url: url.to_string(),
                hop: i as u32,
                url: x.url.to_string(),
                method: "GET".into(),
                started_at: x.started_at.clone(),
                request_head: x.request_head.clone(),
                status: Some(x.status),
                response_head: Some(x.response_head.clone()),
                body_size: sha.as_ref().map(|_| x.body.len() as u64),
                body_sha256: sha,
                media_type: x.header("content-type").map(str::to_string),
                outcome,
                ..HttpExchange::default()
            };
            self.log
                .record_exchange(&exchange)
                .map_err(|e| store_err(url, e))?;
        }
        Ok(())
    }

    fn settle(
        &self,
        url: &str,
        prev: Option<UrlState>,
        fetched: Fetched,
        hints: &Hints,
    ) -> Result<Report, CaptureError> {
        let last = fetched.last();
        let final_url = last.url.to_string();
        let redirects = fetched.hops.len() - 1;
        let was_live = prev.as_ref().is_some_and(|p| p.state != "gone");
        let moved_away = was_live
            && redirects > 0
            && prev
                .as_ref()
                .and_then(|p| p.final_url.as_deref())
                .is_some_and(|f| f != final_url);
        let status = last.status;
        let report = |outcome| Report {
            url: url.to_string(),
            final_url: final_url.clone(),
            status,
            redirects,
            bytes: last.body.len() as u64,
            outcome,
        };
        let seen = now();
        let mut state = prev.clone().unwrap_or_else(|| UrlState {
            url: url.to_string(),
            state: "live".into(),
            first_seen: seen.clone(),
            last_seen: seen.clone(),
            ..UrlState::default()
        });
        state.last_seen = seen.clone();
        state.last_status = Some(status);
        state.note = None;

        // Gone: 404/410, or a page that now redirects somewhere else.
        if matches!(status, 404 | 410) || moved_away {
            self.record_hops(url, &fetched.hops, Some("gone"))?;
            if prev.is_none() {
                return Err(CaptureError::Status {
                    url: url.to_string(),
                    status,
                });
            }
            let detail = if moved_away {
                format!("now redirects to {final_url}")
            } else {
                format!("now answers HTTP {status}")
            };
            if state.state != "gone" {
                state.gone_since = Some(seen);
            }
            state.state = "gone".into();
            state.note = Some(detail.clone());
            self.put_state(url, &state)?;
            return Ok(report(Outcome::Gone { detail }));
        }
        if status == 304 {
            self.record_hops(url, &fetched.hops, Some("not_modified"))?;
            state.state = "live".into();
            self.put_state(url, &state)?;
            return Ok(report(Outcome::NotModified));
        }
        if !(200..300).contains(&status) {
            self.record_hops(url, &fetched.hops, Some("http_error"))?;
            if prev.is_some() {
                state.note = Some(format!("HTTP {status}"));
                if state.state != "gone" {
                    state.state = "failing".into();
                }
                self.put_state(url, &state)?;
            }
            return Err(CaptureError::Status {
                url: url.to_string(),
                status,
            });
        }

        // 2xx: archive, then read the body.
        self.record_hops(url, &fetched.hops, None)?;
        let body = &last.body;
        let sha = sha256_hex(body);
        let same_bytes = state.body_sha256.as_deref() == Some(sha.as_str());
        if !same_bytes {
            state.versions += 1;
            state.last_changed = Some(seen.clone());
        }
        state.state = "live".into();
        state.gone_since = None;
        state.final_url = Some(final_url.clone());
        state.body_sha256 = Some(sha.clone());
        state.etag = last.header("etag").map(str::to_string);
        state.last_modified = last.header("last-modified").map(str::to_string);
        let media = last.media_type();
        let capture = Capture {
            seq: 0,
            origin: final_url.clone(),
            media_type: media
                .clone()
                .unwrap_or_else(|| "application/octet-stream".into()),
            captured_at: seen.clone(),
            size: body.len() as u64,
            sha256: sha.clone(),
        };

        if body.is_empty() {
            self.put_state(url, &state)?;
            return Err(CaptureError::NoDocument {
                url: url.to_string(),
                detail: "empty body".into(),
            });
        }

        if looks_like_feed(media.as_deref(), body) {
            let feed = match parse_feed(body) {
                Ok(feed) => feed,
                Err(detail) => {
                    self.put_state(url, &state)?;
                    return Err(CaptureError::NotAFeed {
                        url: url.to_string(),
                        detail,
                    });
                }
            };
            self.store
                .write_batch(&[], Some(&capture))
                .map_err(|e| store_err(url, e))?;
            let mut new_entries = Vec::new();
            for entry in &feed.entries {
                let Ok(entry_url) = last.url.join(&entry.url) else {
                    continue;
                };
                let entry_url = entry_url.to_string();
                if !self.known(&entry_url)? && !new_entries.contains(&entry_url) {
                    new_entries.push(entry_url);
                }
            }
            self.put_state(url, &state)?;
            return Ok(report(Outcome::Feed {
                kind: feed.kind,
                entries: feed.entries.len(),
                new_entries,
            }));
        }

        let format = match media.as_deref() {
            Some("text/html" | "application/xhtml+xml") => Some(Format::Html),
            Some("text/plain") => Some(Format::PlainText),
            Some("text/markdown") => Some(Format::Markdown),
            None => match MediaType::guess(&final_url, body) {
                MediaType::Html => Some(Format::Html),
                _ => None,
            },
            _ => None,
        };
        let Some(format) = format else {
            self.store
                .write_batch(&[], Some(&capture))
                .map_err(|e| store_err(url, e))?;
            self.put_state(url, &state)?;
            return Ok(report(Outcome::Archived {
                media_type: capture.media_type,
            }));
        };
        let text = crate::meta::utf8_body(body, last.header("content-type"));
        let mut parsed = match parse_single(format, &text) {
            Ok(p) => p,
            Err(detail) => {
                // Keep the bytes as a capture all the same.
                self.store
                    .write_batch(&[], Some(&capture))
                    .map_err(|e| store_err(url, e))?;
                self.put_state(url, &state)?;
                return Err(CaptureError::NoDocument {
                    url: url.to_string(),
                    detail,
                });
            }
        };
        for note in &parsed.notes {
            tracing::warn!(url = %final_url, "{note}");
        }
        if parsed.url.is_none() {
            parsed.url = Some(final_url.clone());
        }
        if parsed.source.is_none() {
            parsed.source = hints.source.clone();
        }
        if hints.source_kind.is_some() {
            parsed.source_kind = hints.source_kind;
        }
        if format == Format::Html {
            fill_published(&mut parsed, body, &final_url);
        }
        let document = parsed
            .into_document(ids::id_from_url(&final_url), &sha)
            .map_err(|detail| CaptureError::NoDocument {
                url: url.to_string(),
                detail,
            })?;
        let id = document.id.clone();
        let text = (!same_bytes).then(|| document.text.clone());
        let mut hook = self.after_store.borrow_mut();
        let (outcome, _) = store_documents(
            self.store,
            std::iter::once(Ok(document)),
            &capture,
            1,
            &mut QuietObserver,
            &mut **hook,
        )
        .map_err(|e| store_err(url, e))?;
        drop(hook);
        // The text as a version of the document (after the hook, so the
        // statements extracted from it are kept with it).
        if let Some(text) = text {
            self.log
                .record_document_version(&NewDocumentVersion {
                    document_id: id.clone(),
                    requested_url: url.to_string(),
                    url: final_url.clone(),
                    sha256: sha.clone(),
                    seen: last.started_at.clone(),
                    text,
                })
                .map_err(|e| store_err(url, e))?;
        }
        self.put_state(url, &state)?;
        let outcome = if outcome.added > 0 {
            Outcome::New { document: id }
        } else if outcome.updated > 0 {
            Outcome::Changed {
                document: id,
                version: state.versions,
            }
        } else if same_bytes {
            Outcome::Unchanged
        } else {
            Outcome::Rearchived {
                document: id,
                version: state.versions,
            }
        };
        Ok(report(outcome))
    }

    fn put_state(&self, url: &str, state: &UrlState) -> Result<(), CaptureError> {
        self.log.put_url_state(state).map_err(|e| store_err(url, e))
    }
}

fn exchange_word(x: &Exchange) -> &'static str {
    match x.status {
        s if x.is_redirect() && s < 400 => "redirect",
        304 => "not_modified",
        404 | 410 => "gone",
        200..=299 => "ok",
        _ => "http_error",
    }
}

fn store_err(url: &str, source: StoreError) -> CaptureError {
    CaptureError::Store {
        url: url.to_string(),
        source,
    }
}
