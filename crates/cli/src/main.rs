//! `strikewatch`: the command line. This file holds only the argument
//! definitions and the dispatch; each command lives in `commands/<name>.rs`.

#[macro_use]
mod output;
mod commands;
mod progress;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

const ABOUT: &str = "An open evidence ledger for military strike campaigns: every strike, \
every death toll, every official claim, each traced to the sentence it came from.";

const MAIN_EXAMPLES: &str = "\
Examples:
  strikewatch demo                               # ingest the bundled sample corpus
  strikewatch init --db team.db                  # create an empty database
  strikewatch ingest reports/ posts.jsonl        # archive and ingest files
  strikewatch verify                             # re-hash the whole archive
  strikewatch export --format warc archive.warc  # hand the evidence to WARC tools

Exit codes: 0 success, 1 failure, 2 finished but some inputs were skipped.";

#[derive(Parser, Debug)]
#[command(name = "strikewatch", version, about = ABOUT, after_help = MAIN_EXAMPLES)]
pub struct Cli {
    /// Database: an SQLite file path (created when missing) or a
    /// postgres:// URL (not built yet).
    #[arg(long, global = true, default_value = "strikewatch.db")]
    pub db: String,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create the database, or bring its schema up to date.
    #[command(after_help = "Example:\n  strikewatch init --db ./strikewatch.db")]
    Init,

    /// Archive files and turn them into documents.
    #[command(
        long_about = "Archive files and turn them into documents.\n\n\
            Reads plain text, Markdown, HTML, corpus JSONL (one document per line) and \
            news-please JSON. Directories are walked recursively in sorted order. The raw \
            bytes of every file are stored once, addressed by SHA-256; re-ingesting the same \
            bytes changes nothing. Bad inputs are reported, the rest is ingested, and the \
            exit code is 2.",
        after_help = "Examples:\n  strikewatch ingest testdata/dev/docs.jsonl\n  \
            strikewatch ingest --max-bytes 50MB saved-pages/ notes.md"
    )]
    Ingest(IngestArgs),

    /// Re-hash every archived blob and check every capture against it.
    #[command(after_help = "Example:\n  strikewatch verify --db team.db\n\n\
        Exit code 1 when any blob no longer matches its address.")]
    Verify,

    /// Write the archive (WARC), the documents (JSONL) or the ledger
    /// (CSV, JSON, GeoJSON, SQLite) to a file.
    #[command(
        after_help = "Examples:\n  strikewatch export --format warc evidence.warc\n  \
        strikewatch export --format jsonl documents.jsonl\n  \
        strikewatch export --format json ledger.json\n  \
        strikewatch export --format csv incidents.csv      # the incidents table alone\n  \
        strikewatch export --format csv ledger-tables/     # a folder of every table\n  \
        strikewatch export --format geojson incidents.geojson\n  \
        strikewatch export --format sqlite ledger.sqlite"
    )]
    Export(ExportArgs),

    /// Ingest the bundled sample corpus into the database and show it.
    #[command(after_help = "Example:\n  cargo run --release -- demo")]
    Demo(DemoArgs),

    /// Re-extract every stored document, resolve and replace the ledger.
    #[command(after_help = commands::rebuild::EXAMPLES)]
    Rebuild,

    /// Serve the ledger site and its JSON/CSV API from the database.
    #[command(after_help = commands::serve::EXAMPLES)]
    Serve(ServeArgs),

    /// Manage API tokens for the site's write endpoints.
    #[command(subcommand)]
    Token(commands::token::TokenCommand),

    /// Extract strike reports, totals, statements and claims from documents (JSONL in, JSONL out).
    #[command(after_help = commands::extract::EXAMPLES)]
    Extract(commands::extract::ExtractArgs),

    /// Score the extractor against a gold file.
    #[command(after_help = commands::eval::EXAMPLES)]
    Eval(commands::eval::EvalArgs),

    /// List incidents, or show one with every report and evidence span.
    #[command(after_help = commands::query::INCIDENTS_EXAMPLES)]
    Incidents(commands::query::IncidentsArgs),

    /// List official statements (quotes with speaker, channel and date).
    #[command(after_help = commands::query::STATEMENTS_EXAMPLES)]
    Statements(commands::query::ListArgs),

    /// List claims, grouped by kind, with first and last dates.
    #[command(after_help = commands::query::CLAIMS_EXAMPLES)]
    Claims(commands::query::ListArgs),

    /// Compare stated running totals with the ledger as of their dates.
    #[command(after_help = commands::query::RECONCILE_EXAMPLES)]
    Reconcile(commands::query::ListArgs),

    /// Record a human decision (confirm, correct, merge, split, reject,
    /// annotate, speaker) or show the review log.
    #[command(subcommand, after_help = commands::review::EXAMPLES)]
    Review(commands::review::ReviewCommand),

    /// Fetch URLs, feeds and sitemaps over HTTP(S), archive every exchange
    /// and ingest the pages.
    #[command(after_help = commands::capture::EXAMPLES)]
    Capture(commands::capture::CaptureArgs),

    /// Capture the sources of a sources file on their intervals, until
    /// stopped (or once with --once).
    #[command(after_help = commands::watch::EXAMPLES)]
    Watch(commands::watch::WatchArgs),

    /// Ingest official posts from exports: X tweets.js, Telegram
    /// result.json, ActivityPub outboxes.
    #[command(after_help = commands::posts::EXAMPLES)]
    Posts(commands::posts::PostsArgs),

    /// List captured URLs with their state (live, gone, failing) and versions.
    #[command(after_help = commands::urls::EXAMPLES)]
    Urls(commands::urls::UrlsArgs),

    /// Measure ingest throughput on generated documents.
    #[command(subcommand)]
    Bench(BenchCommand),

    /// Other organisations' lists of strikes, compared with the ledger.
    #[command(subcommand, after_help = commands::trackers::EXAMPLES)]
    Trackers(commands::trackers::TrackersCommand),
}

#[derive(Args, Debug)]
pub struct IngestArgs {
    /// Files or directories to ingest.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,

    /// Skip files larger than this (checked before reading): bytes, or with
    /// a KB/MB/GB suffix. In corpus JSONL the limit is per document (line).
    #[arg(long, default_value = "20MB", value_parser = commands::parse_size)]
    pub max_bytes: u64,

    /// Documents written per transaction.
    #[arg(long, default_value_t = 500, hide = true)]
    pub batch_size: usize,

    /// Archive and extract the documents for review, but never publish them
    /// (site, search, exports, WARC). A corpus line can say `"private": true`.
    #[arg(long)]
    pub private: bool,

    /// Where the bytes came from, recorded as their origin instead of the
    /// file name: a URL (for a folder, files are recorded under it).
    #[arg(long, value_name = "URL")]
    pub origin: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// WARC/1.1: a warcinfo record, then one resource record per capture.
    Warc,
    /// Documents in the corpus JSONL format, one per line, by id.
    Jsonl,
    /// The ledger as CSV: OUT ending in `.csv` gets the incidents table alone
    /// (one row per incident, with its source URLs); any other OUT is a
    /// folder holding every table (incidents, incident_reports, statements,
    /// claims, reconciliation, reviews).
    Csv,
    /// The whole ledger as one JSON document (reads back losslessly).
    Json,
    /// Incidents as a GeoJSON FeatureCollection of points.
    Geojson,
    /// A standalone SQLite file with the ledger tables.
    Sqlite,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    #[arg(long, value_enum)]
    pub format: ExportFormat,

    /// Output file (written next to itself first, then renamed); for
    /// `--format csv` a folder unless it ends in `.csv`.
    pub out: PathBuf,

    /// With `--format jsonl` only: include private documents (marked
    /// `"private": true`, so they stay private when ingested elsewhere). A
    /// reviewers' copy: never publish it.
    #[arg(long)]
    pub include_private: bool,
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on (loopback by default).
    #[arg(long, default_value_t = strikewatch_web::DEFAULT_ADDR)]
    pub addr: std::net::SocketAddr,

    /// Accept POST /documents and POST /reviews with a valid bearer token.
    #[arg(long)]
    pub writes: bool,
}

#[derive(Args, Debug)]
pub struct DemoArgs {
    /// Directory of the sample corpus.
    #[arg(long)]
    pub corpus: Option<PathBuf>,

    /// Address to serve the demo ledger on.
    #[arg(long, default_value_t = strikewatch_web::DEFAULT_ADDR)]
    pub addr: std::net::SocketAddr,

    /// Build the ledger, print a summary and exit without serving.
    #[arg(long)]
    pub no_serve: bool,
}

#[derive(Subcommand, Debug)]
pub enum BenchCommand {
    /// Generate documents, ingest them into a scratch database, report docs/s.
    #[command(after_help = "Example:\n  /usr/bin/time -v strikewatch bench ingest --docs 100000")]
    Ingest(BenchIngestArgs),

    /// Write generated documents (about 2 KB each) as corpus JSONL.
    #[command(after_help = "Example:\n  strikewatch bench generate --docs 10000 big.jsonl")]
    Generate(BenchGenerateArgs),
}

#[derive(Args, Debug)]
pub struct BenchIngestArgs {
    #[arg(long, default_value_t = 100_000)]
    pub docs: u64,

    /// Keep the scratch directory (input and database) instead of removing it.
    #[arg(long)]
    pub keep: bool,
}

#[derive(Args, Debug)]
pub struct BenchGenerateArgs {
    #[arg(long, default_value_t = 100_000)]
    pub docs: u64,

    pub out: PathBuf,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let result = match &cli.command {
        Command::Init => commands::init::run(&cli.db),
        Command::Ingest(args) => commands::ingest::run(&cli.db, args),
        Command::Verify => commands::verify::run(&cli.db),
        Command::Export(args) => commands::export::run(&cli.db, args),
        Command::Demo(args) => commands::demo::run(&cli.db, args),
        Command::Rebuild => commands::rebuild::run(&cli.db),
        Command::Serve(args) => commands::serve::run(&cli.db, args.addr, args.writes),
        Command::Token(command) => commands::token::run(&cli.db, command),
        Command::Extract(args) => commands::extract::run(&cli.db, args),
        Command::Eval(args) => commands::eval::run(args),
        Command::Incidents(args) => commands::query::run_incidents(&cli.db, args),
        Command::Statements(args) => commands::query::run_statements(&cli.db, args),
        Command::Claims(args) => commands::query::run_claims(&cli.db, args),
        Command::Reconcile(args) => commands::query::run_reconcile(&cli.db, args),
        Command::Review(command) => commands::review::run(&cli.db, command),
        Command::Capture(args) => commands::capture::run(&cli.db, args),
        Command::Watch(args) => commands::watch::run(&cli.db, args),
        Command::Posts(args) => commands::posts::run(&cli.db, args),
        Command::Urls(args) => commands::urls::run(&cli.db, args),
        Command::Bench(BenchCommand::Ingest(args)) => commands::bench::run_ingest(args),
        Command::Bench(BenchCommand::Generate(args)) => commands::bench::run_generate(args),
        Command::Trackers(command) => commands::trackers::run(&cli.db, command),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(commands::EXIT_FAILURE)
        }
    }
}
