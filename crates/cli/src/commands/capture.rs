//! `strikewatch capture URL…`: fetch pages and feeds, archive every HTTP
//! exchange, and feed the documents to extraction and the ledger.

use std::cell::Cell;
use std::net::IpAddr;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Args;
use strikewatch_capture::batch::BatchItem;
use strikewatch_capture::{Capturer, FetchOptions, Fetcher, Hints, Outcome, capture_all};
use strikewatch_extract::Extractor;
use strikewatch_model::SourceKind;
use strikewatch_store::Store;

use super::{EXIT_SKIPPED, open_store};

pub const EXAMPLES: &str = "\
Examples:
  strikewatch capture https://www.southcom.mil/News/PressReleases/
  strikewatch capture --source 'U.S. Southern Command' --kind official https://example.mil/feed.xml
  strikewatch capture --allow-private --delay 0 http://127.0.0.1:8080/fixture.html

Each URL is fetched (robots.txt honoured, one request at a time per host), every HTTP exchange
is archived (export it with `strikewatch export --format warc`), pages become documents that are
extracted into the ledger, and a feed or sitemap is captured with its new entries. A page that
changed since its last capture gets a new version; one that now answers 404/410 or redirects
away is reported as gone. Exit code 2 when some URL failed.";

/// How to fetch; shared by `capture` and `watch`.
#[derive(Args, Debug, Clone)]
pub struct FetchArgs {
    /// Fetch loopback, private, link-local and other internal addresses
    /// (refused by default, also after redirects).
    #[arg(long)]
    pub allow_private: bool,

    /// Allow one internal address while refusing the rest (repeatable).
    #[arg(long = "allow-addr", value_name = "IP")]
    pub allow_addrs: Vec<IpAddr>,

    /// Do not fetch or obey robots.txt.
    #[arg(long)]
    pub ignore_robots: bool,

    /// Refuse bodies larger than this (after decompression): bytes, or
    /// with a KB/MB/GB suffix.
    #[arg(long, default_value = "20MB", value_parser = super::parse_size)]
    pub max_bytes: u64,

    /// Least seconds between two requests to the same host.
    #[arg(long, default_value_t = 1.0)]
    pub delay: f64,

    /// Seconds to wait for a connection, and for the next bytes of a response.
    #[arg(long, default_value_t = 20.0)]
    pub timeout: f64,

    /// URLs fetched at once (across hosts).
    #[arg(long, default_value_t = 32)]
    pub concurrency: usize,
}

impl FetchArgs {
    pub fn options(&self) -> anyhow::Result<FetchOptions> {
        let secs = |v: f64, name: &str| {
            anyhow::ensure!(
                v.is_finite() && v >= 0.0,
                "--{name} must be a number of seconds ≥ 0"
            );
            Ok(Duration::from_secs_f64(v))
        };
        let timeout = secs(self.timeout, "timeout")?;
        Ok(FetchOptions {
            max_bytes: self.max_bytes,
            connect_timeout: timeout,
            read_timeout: timeout,
            total_timeout: timeout * 3,
            allow_private: self.allow_private,
            allow_addrs: self.allow_addrs.clone(),
            ignore_robots: self.ignore_robots,
            host_delay: secs(self.delay, "delay")?,
            ..FetchOptions::default()
        })
    }
}

#[derive(Args, Debug)]
pub struct CaptureArgs {
    /// URLs of pages, feeds (RSS, Atom, JSON Feed) or sitemaps.
    #[arg(required = true)]
    pub urls: Vec<String>,

    #[command(flatten)]
    pub fetch: FetchArgs,

    /// Do not capture the entries of feeds and sitemaps.
    #[arg(long)]
    pub no_entries: bool,

    /// Source name given to documents whose page names none.
    #[arg(long)]
    pub source: Option<String>,

    /// Kind of source: official, news, ngo, analysis or other.
    #[arg(long, value_parser = parse_kind)]
    pub kind: Option<SourceKind>,
}

pub fn parse_kind(text: &str) -> Result<SourceKind, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "official" => Ok(SourceKind::Official),
        "news" => Ok(SourceKind::News),
        "ngo" => Ok(SourceKind::Ngo),
        "analysis" => Ok(SourceKind::Analysis),
        "other" => Ok(SourceKind::Other),
        other => Err(format!(
            "unknown source kind {other:?} (use official, news, ngo, analysis or other)"
        )),
    }
}

/// Totals of a capture run.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    pub new: u64,
    pub changed: u64,
    pub unchanged: u64,
    pub gone: u64,
    pub feeds: u64,
    pub other: u64,
    pub failed: u64,
}

impl Tally {
    pub fn add(&mut self, item: &BatchItem) {
        match &item.result {
            Ok(r) => match r.outcome {
                Outcome::New { .. } => self.new += 1,
                Outcome::Changed { .. } | Outcome::Rearchived { .. } => self.changed += 1,
                Outcome::Unchanged | Outcome::NotModified => self.unchanged += 1,
                Outcome::Gone { .. } => self.gone += 1,
                Outcome::Feed { .. } => self.feeds += 1,
                Outcome::Archived { .. } => self.other += 1,
            },
            Err(_) => self.failed += 1,
        }
    }

    pub fn line(&self) -> String {
        format!(
            "{} new, {} changed, {} unchanged, {} gone, {} feeds, {} other, {} failed",
            self.new, self.changed, self.unchanged, self.gone, self.feeds, self.other, self.failed
        )
    }
}

/// One line for one URL's result.
pub fn item_line(item: &BatchItem) -> String {
    let via = item
        .via
        .as_deref()
        .map(|v| format!(" (entry of {v})"))
        .unwrap_or_default();
    match &item.result {
        Ok(r) => {
            let detail = match &r.outcome {
                Outcome::New { document } => format!("document {document}"),
                Outcome::Changed { document, version } => {
                    format!("document {document}, version {version}")
                }
                Outcome::Rearchived { document, version } => {
                    format!("document {document} (text unchanged), version {version}")
                }
                Outcome::Unchanged | Outcome::NotModified => String::new(),
                Outcome::Gone { detail } => detail.clone(),
                Outcome::Feed {
                    kind,
                    entries,
                    new_entries,
                } => format!(
                    "{} with {entries} entries, {} new",
                    kind.as_str(),
                    new_entries.len()
                ),
                Outcome::Archived { media_type } => format!("archived as {media_type}"),
            };
            let redirects = if r.redirects > 0 {
                format!(" → {}", r.final_url)
            } else {
                String::new()
            };
            format!(
                "{:<12} {} {}{redirects}{via}{}",
                r.outcome.word(),
                r.status,
                item.url,
                if detail.is_empty() {
                    String::new()
                } else {
                    format!(": {detail}")
                }
            )
        }
        Err(e) => format!("{:<12} {e}{via}", "failed"),
    }
}

/// A capturer whose stored documents are extracted at once; returns the
/// extractor's hook for [`Capturer::after_store`].
pub fn extract_hook<'a>(
    store: &'a dyn Store,
    extractor: &'a Extractor,
    stored: &'a Cell<u64>,
) -> impl FnMut(&strikewatch_model::Document) -> Result<(), String> + 'a {
    move |doc| {
        stored.set(stored.get() + 1);
        store
            .put_extractions(std::slice::from_ref(&extractor.extract(doc)))
            .map_err(|e| format!("storing extraction: {e}"))
    }
}

pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")
}

pub fn run(db: &str, args: &CaptureArgs) -> anyhow::Result<ExitCode> {
    let store = open_store(db)?;
    let store = store.as_ref();
    let extractor = Extractor::embedded().context("loading the bundled lexicons")?;
    let fetcher = Fetcher::new(args.fetch.options()?)?;
    let stored = Cell::new(0u64);
    let capturer =
        Capturer::new(&fetcher, store)?.after_store(extract_hook(store, &extractor, &stored));
    let hints = Hints {
        source: args.source.clone(),
        source_kind: args.kind,
    };
    let mut tally = Tally::default();
    let started = Instant::now();
    runtime()?.block_on(capture_all(
        &capturer,
        &args.urls,
        &hints,
        args.fetch.concurrency,
        !args.no_entries,
        &mut |item| {
            tally.add(item);
            if item.result.is_err() {
                eprintln!("{}", item_line(item));
            } else {
                say!("{}", item_line(item));
            }
        },
    ));
    drop(capturer);
    if stored.get() > 0 {
        strikewatch_pipeline::refresh_ledger(store).context("refreshing the ledger")?;
    }
    say!(
        "{} in {:.1}s",
        tally.line(),
        started.elapsed().as_secs_f64()
    );
    Ok(if tally.failed > 0 {
        ExitCode::from(EXIT_SKIPPED)
    } else {
        ExitCode::SUCCESS
    })
}
