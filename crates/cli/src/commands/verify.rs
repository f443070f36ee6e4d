use std::process::ExitCode;

use super::{EXIT_FAILURE, open_store};

pub fn run(db: &str) -> anyhow::Result<ExitCode> {
    let store = open_store(db)?;
    let report = store.verify(&mut |_| {})?;
    for m in &report.mismatches {
        eprintln!(
            "MISMATCH blob {}: {} (now {}, {} bytes; recorded {} bytes)",
            m.expected,
            m.detail,
            if m.actual.is_empty() {
                "unreadable"
            } else {
                &m.actual
            },
            m.actual_size,
            m.expected_size
        );
    }
    for p in &report.problems {
        eprintln!("PROBLEM {p}");
    }
    let verdict = if report.is_clean() { "OK" } else { "FAILED" };
    say!(
        "verify {verdict}: {} blobs ({} bytes) re-hashed, {} captures checked, {} mismatches, {} problems",
        report.blobs_checked,
        report.bytes_checked,
        report.captures_checked,
        report.mismatches.len(),
        report.problems.len()
    );
    Ok(if report.is_clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_FAILURE)
    })
}
