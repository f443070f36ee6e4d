//! Verification: stored bytes must hash to the address they are stored
//! under. The store walks its blobs and feeds them here.

use std::io::Read;

use serde::Serialize;

use crate::hash::StreamHasher;

/// One blob whose bytes no longer match its address or recorded size.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mismatch {
    /// The address the blob is stored under.
    pub expected: String,
    /// What its bytes hash to now (empty when they could not be read).
    pub actual: String,
    pub expected_size: u64,
    pub actual_size: u64,
    pub detail: String,
}

/// Result of checking one blob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlobCheck {
    Ok { bytes: u64 },
    Mismatch(Mismatch),
}

/// Re-hashes `reader` and compares with the address and recorded size.
pub fn check_blob(expected: &str, expected_size: u64, reader: &mut dyn Read) -> BlobCheck {
    match StreamHasher::hash_reader(reader) {
        Ok((actual, size)) if actual == expected && size == expected_size => {
            BlobCheck::Ok { bytes: size }
        }
        Ok((actual, size)) => BlobCheck::Mismatch(Mismatch {
            expected: expected.to_string(),
            detail: if actual == expected {
                "recorded size differs".into()
            } else {
                "content hash differs".into()
            },
            actual,
            expected_size,
            actual_size: size,
        }),
        Err(e) => BlobCheck::Mismatch(Mismatch {
            expected: expected.to_string(),
            actual: String::new(),
            expected_size,
            actual_size: 0,
            detail: format!("unreadable: {e}"),
        }),
    }
}

/// Totals of a verification run, plus every problem found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    pub blobs_checked: u64,
    pub bytes_checked: u64,
    pub captures_checked: u64,
    pub mismatches: Vec<Mismatch>,
    /// Dangling references and other structural problems.
    pub problems: Vec<String>,
}

impl VerifyReport {
    pub fn record(&mut self, check: BlobCheck) {
        self.blobs_checked += 1;
        match check {
            BlobCheck::Ok { bytes } => self.bytes_checked += bytes,
            BlobCheck::Mismatch(m) => {
                self.bytes_checked += m.actual_size;
                self.mismatches.push(m);
            }
        }
    }

    pub fn is_clean(&self) -> bool {
        self.mismatches.is_empty() && self.problems.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sha256_hex;

    #[test]
    fn detects_changed_bytes_and_sizes() {
        let good = sha256_hex(b"evidence");
        let mut report = VerifyReport::default();
        report.record(check_blob(&good, 8, &mut &b"evidence"[..]));
        assert!(report.is_clean());
        report.record(check_blob(&good, 8, &mut &b"evidencE"[..]));
        report.record(check_blob(&good, 9, &mut &b"evidence"[..]));
        assert_eq!(report.blobs_checked, 3);
        assert_eq!(report.mismatches.len(), 2);
        assert_eq!(report.mismatches[0].detail, "content hash differs");
        assert_eq!(report.mismatches[1].detail, "recorded size differs");
    }
}
