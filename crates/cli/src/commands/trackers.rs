//! `trackers`: other organisations' lists of strikes, imported as facts and
//! compared with the ledger strike by strike.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, Subcommand};
use strikewatch_model::tracking::{ComparisonStatus, TrackerComparison};
use strikewatch_store::Store;

use super::open_store;

pub const EXAMPLES: &str = "\
Examples:
  strikewatch trackers import examples/trackers/sample-tracker.csv --name sample
  strikewatch trackers list

A tracker file is CSV with a header naming the columns date (YYYY-MM-DD),
region (Caribbean, Eastern Pacific, C, EP, or empty), vessels, killed,
survivors (whole numbers or empty) and source_url. Re-importing a name stores
a new version that replaces the compared rows; a bad row stops the import with
an error naming the file and line, and nothing is stored. The comparison is
served at /trackers/NAME (and .json, .csv).";

#[derive(Subcommand, Debug)]
pub enum TrackersCommand {
    /// Import a tracker CSV as a new version of NAME and compare it with the ledger.
    #[command(after_help = EXAMPLES)]
    Import(ImportArgs),
    /// The imported trackers and how they compare with the ledger.
    #[command(after_help = "Example:\n  strikewatch trackers list")]
    List,
}

#[derive(Args, Debug)]
pub struct ImportArgs {
    /// The CSV file.
    pub file: std::path::PathBuf,
    /// The tracker's name (letters, digits, `-`, `_`): its page is /trackers/NAME.
    #[arg(long)]
    pub name: String,
}

pub fn run(db: &str, command: &TrackersCommand) -> anyhow::Result<ExitCode> {
    let store = open_store(db)?;
    match command {
        TrackersCommand::Import(args) => {
            let comparison = import_file(store.as_ref(), &args.file, &args.name)?;
            say_comparison(&comparison);
        }
        TrackersCommand::List => {
            let trackers = store.trackers().map_err(|e| anyhow::anyhow!("{e}"))?;
            if trackers.is_empty() {
                say!("No tracker imported yet.");
            }
            for t in trackers {
                say!(
                    "{} v{} ({}): {} strikes; agree {}, differ {}, only in ledger {}, only in tracker {}",
                    t.name,
                    t.version,
                    t.file,
                    t.rows,
                    t.agree,
                    t.differs,
                    t.only_in_ledger,
                    t.only_in_tracker
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Imports `path` as tracker `name` and returns its comparison.
pub fn import_file(
    store: &dyn Store,
    path: &Path,
    name: &str,
) -> anyhow::Result<TrackerComparison> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    // Recorded and published: the file name alone, never a local path.
    let file = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "tracker.csv".into());
    let imported = strikewatch_pipeline::import_tracker(store, name, &file, &bytes)?;
    say!(
        "strikewatch trackers: imported {} strikes from {file} as {} version {}",
        imported.rows,
        imported.name,
        imported.version
    );
    Ok(imported.comparison)
}

/// One line per status, then the differences.
pub fn say_comparison(c: &TrackerComparison) {
    let counts: Vec<String> = ComparisonStatus::ALL
        .iter()
        .map(|s| format!("{} {}", s.as_str(), c.count(*s)))
        .collect();
    say!("{}: {}", c.name, counts.join(", "));
    for row in c
        .rows
        .iter()
        .filter(|r| r.status != ComparisonStatus::Agree)
    {
        let day = row.day.map(|d| d.to_string()).unwrap_or_default();
        let what: Vec<String> = row
            .differences
            .iter()
            .map(|d| {
                format!(
                    "{} ledger {} / tracker {}",
                    d.field,
                    d.ledger.as_deref().unwrap_or("—"),
                    d.tracker.as_deref().unwrap_or("—")
                )
            })
            .collect();
        let incident = row
            .ledger
            .as_ref()
            .map(|l| l.incident_id.as_str())
            .unwrap_or("");
        say!(
            "  {day} {:<15} {incident} {}",
            row.status.as_str(),
            what.join("; ")
        );
    }
}
