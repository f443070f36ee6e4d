use std::fmt;

use strikewatch_store::StoreError;

/// A problem that stops the whole run (the store failed).
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// One input (a file, or a line of a file) that was not ingested, and why.
/// Reported once; the rest of the batch carries on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    pub origin: String,
    /// 1-based line number for line-oriented formats.
    pub line: Option<u64>,
    pub reason: String,
}

impl Skip {
    pub fn file(origin: &str, reason: impl Into<String>) -> Skip {
        Skip {
            origin: origin.to_string(),
            line: None,
            reason: reason.into(),
        }
    }

    pub fn line(origin: &str, line: u64, reason: impl Into<String>) -> Skip {
        Skip {
            origin: origin.to_string(),
            line: Some(line),
            reason: reason.into(),
        }
    }
}

impl fmt::Display for Skip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.origin, line, self.reason),
            None => write!(f, "{}: {}", self.origin, self.reason),
        }
    }
}
