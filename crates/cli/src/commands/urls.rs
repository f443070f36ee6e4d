//! `strikewatch urls`: every captured URL with its state (live, gone,
//! failing), versions and dates.

use std::process::ExitCode;

use anyhow::Context;
use clap::Args;

use super::open_store;

pub const EXAMPLES: &str = "\
Examples:
  strikewatch urls                 # every captured URL
  strikewatch urls --state gone    # pages that now answer 404/410 or redirect away
  strikewatch urls --json";

#[derive(Args, Debug)]
pub struct UrlsArgs {
    /// Only URLs in this state: live, gone or failing.
    #[arg(long, value_parser = ["live", "gone", "failing"])]
    pub state: Option<String>,

    /// One JSON object per line instead of a table.
    #[arg(long)]
    pub json: bool,
}

pub fn run(db: &str, args: &UrlsArgs) -> anyhow::Result<ExitCode> {
    let store = open_store(db)?;
    let log = store
        .http_log()
        .context("this database keeps no capture log")?;
    let states = log.url_states()?;
    if !args.json {
        say!(
            "{:<8} {:>8}  {:<20}  {:<20}  {:<20}  url",
            "state",
            "versions",
            "first seen",
            "last changed",
            "gone since"
        );
    }
    for s in states
        .iter()
        .filter(|s| args.state.as_deref().is_none_or(|want| s.state == want))
    {
        if args.json {
            say!(
                "{}",
                serde_json::json!({
                    "url": s.url, "state": s.state, "final_url": s.final_url,
                    "versions": s.versions, "first_seen": s.first_seen, "last_seen": s.last_seen,
                    "last_changed": s.last_changed, "gone_since": s.gone_since,
                    "last_status": s.last_status, "note": s.note,
                })
            );
        } else {
            say!(
                "{:<8} {:>8}  {:<20}  {:<20}  {:<20}  {}{}",
                s.state,
                s.versions,
                s.first_seen,
                s.last_changed.as_deref().unwrap_or("-"),
                s.gone_since.as_deref().unwrap_or("-"),
                s.url,
                s.note
                    .as_deref()
                    .map(|n| format!("  ({n})"))
                    .unwrap_or_default()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
