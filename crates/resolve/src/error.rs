//! Errors of the resolve stage.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum ResolveError {
    /// A data file (regions, tolerances, official actors) does not parse.
    #[error("resolution data file {file} is invalid: {message}")]
    Config { file: String, message: String },
    /// Two documents in one input share an id.
    #[error("document id {0} appears more than once in the input")]
    DuplicateDocument(String),
}
