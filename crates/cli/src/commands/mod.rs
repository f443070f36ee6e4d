//! One module per command. Each `run` returns the process exit code.

pub mod bench;
pub mod capture;
pub mod demo;
pub mod eval;
pub mod export;
pub mod extract;
pub mod ingest;
pub mod init;
pub mod posts;
pub mod query;
pub mod rebuild;
pub mod review;
pub mod serve;
pub mod token;
pub mod trackers;
pub mod urls;
pub mod verify;
pub mod watch;

use anyhow::Context;
use strikewatch_store::{DbLocation, Store};

pub const EXIT_FAILURE: u8 = 1;
/// The run finished, but some inputs were skipped.
pub const EXIT_SKIPPED: u8 = 2;

/// Opens the database named by `--db`, applying migrations.
pub fn open_store(db: &str) -> anyhow::Result<Box<dyn Store>> {
    let location = DbLocation::parse(db);
    strikewatch_store::open(&location).with_context(|| format!("opening {}", location.describe()))
}

/// Reads `20MB`, `512KB`, `1GB` (powers of 1024) or a plain byte count.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim().to_ascii_uppercase();
    let (digits, unit) = match t.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => t.split_at(i),
        None => (t.as_str(), ""),
    };
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("not a size: {text:?}"))?;
    let factor: u64 = match unit.trim() {
        "" | "B" => 1,
        "K" | "KB" | "KIB" => 1 << 10,
        "M" | "MB" | "MIB" => 1 << 20,
        "G" | "GB" | "GIB" => 1 << 30,
        other => return Err(format!("unknown size unit {other:?} (use B, KB, MB or GB)")),
    };
    n.checked_mul(factor)
        .ok_or_else(|| format!("size too large: {text:?}"))
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("20MB"), Ok(20 * 1024 * 1024));
        assert_eq!(parse_size("512"), Ok(512));
        assert_eq!(parse_size("1 gb"), Ok(1 << 30));
        assert!(parse_size("ten").is_err());
        assert!(parse_size("5PB").is_err());
    }
}
