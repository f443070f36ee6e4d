//! `strikewatch watch --sources sources.toml`: the long-lived capture loop.

use std::cell::Cell;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use strikewatch_capture::watch::{WatchEvent, parse_sources, watch};
use strikewatch_capture::{Capturer, Fetcher};
use strikewatch_extract::Extractor;

use super::capture::{FetchArgs, extract_hook, item_line, runtime};
use super::{EXIT_SKIPPED, open_store};

pub const EXAMPLES: &str = "\
Examples:
  strikewatch watch --sources examples/sources.toml
  strikewatch watch --sources sources.toml --once          # one round, then exit
  strikewatch watch --sources fixtures.toml --allow-private --delay 0 --once

Each source is captured on its interval (jittered ±10%), with conditional requests (ETag,
Last-Modified); a feed's new entries are captured and extracted, and the ledger is updated after
each source's run. Errors back off (up to 6 h). State is kept in the database, so a restarted
watch resumes; Ctrl-C or SIGTERM stops it cleanly. One status line per source run.";

#[derive(Args, Debug)]
pub struct WatchArgs {
    /// The sources file (TOML): `[[source]]` tables with name, url and
    /// optionally interval, kind, publisher and entries.
    #[arg(long)]
    pub sources: PathBuf,

    /// Run every source once, then exit.
    #[arg(long)]
    pub once: bool,

    /// Print every captured URL, not only one line per source.
    #[arg(long, short)]
    pub verbose: bool,

    #[command(flatten)]
    pub fetch: FetchArgs,
}

/// The least time between two ledger refreshes while captures arrive.
const LEDGER_REFRESH_EVERY: std::time::Duration = std::time::Duration::from_millis(750);

pub fn run(db: &str, args: &WatchArgs) -> anyhow::Result<ExitCode> {
    let path = args.sources.display().to_string();
    let text = std::fs::read_to_string(&args.sources).with_context(|| format!("reading {path}"))?;
    let sources = parse_sources(&path, &text)?;
    let store = open_store(db)?;
    let store = store.as_ref();
    let log = store
        .http_log()
        .context("this database keeps no capture log")?;
    let extractor = Extractor::embedded().context("loading the bundled lexicons")?;
    let fetcher = Fetcher::new(args.fetch.options()?)?;
    let stored = Cell::new(0u64);
    let capturer =
        Capturer::new(&fetcher, store)?.after_store(extract_hook(store, &extractor, &stored));
    let rt = runtime()?;
    let mut failed_runs = 0u64;
    // The ledger is brought up to date as captures arrive: every 750 ms at
    // most during a source's run, and at its end, so a page captured just
    // after a refresh began is in the ledger within a second (the refresh
    // itself takes tens of milliseconds at 1,000 documents).
    let refreshed_at = Cell::new(0u64);
    let last_refresh = Cell::new(std::time::Instant::now());
    let ledger_error: Cell<Option<anyhow::Error>> = Cell::new(None);
    let refresh = |force: bool| {
        if stored.get() > refreshed_at.get()
            && (force || last_refresh.get().elapsed() >= LEDGER_REFRESH_EVERY)
        {
            refreshed_at.set(stored.get());
            last_refresh.set(std::time::Instant::now());
            if let Err(e) = strikewatch_pipeline::refresh_ledger(store) {
                ledger_error.set(Some(anyhow::Error::from(e)));
            }
        }
    };
    let result = rt.block_on(async {
        let stop = async {
            #[cfg(unix)]
            {
                use tokio::signal::unix::{SignalKind, signal};
                match signal(SignalKind::terminate()) {
                    Ok(mut term) => {
                        tokio::select! {
                            _ = tokio::signal::ctrl_c() => {}
                            _ = term.recv() => {}
                        }
                    }
                    Err(_) => {
                        let _ = tokio::signal::ctrl_c().await;
                    }
                }
            }
            #[cfg(not(unix))]
            {
                let _ = tokio::signal::ctrl_c().await;
            }
        };
        let mut stop = std::pin::pin!(stop);
        watch(
            &capturer,
            log,
            &sources,
            args.fetch.concurrency,
            args.once,
            stop.as_mut(),
            &mut |event| match event {
                WatchEvent::Scheduled { name, next_due } => {
                    say!("scheduled    {name}: next run {next_due}")
                }
                WatchEvent::Item(item) => {
                    if args.verbose || item.result.is_err() {
                        say!("  {}", item_line(item));
                    }
                    refresh(false);
                }
                WatchEvent::Ran(run) => say!(
                    "{:<12} {}: {}; {} captured, {} documents new or changed, {} failed; next {}",
                    if run.ok { "ok" } else { "error" },
                    run.name,
                    run.summary,
                    run.captured,
                    run.documents,
                    run.failed,
                    run.next_due
                ),
                WatchEvent::Stopped => say!("stopping: signal received, state saved"),
            },
            &mut |run| {
                if !run.ok {
                    failed_runs += 1;
                }
                refresh(true);
            },
        )
        .await
    });
    result?;
    if let Some(e) = ledger_error.take() {
        return Err(e.context("refreshing the ledger"));
    }
    Ok(if args.once && failed_runs > 0 {
        ExitCode::from(EXIT_SKIPPED)
    } else {
        ExitCode::SUCCESS
    })
}
