//! The strikewatch extractor: reads one document, says with evidence what it
//! reports. Deterministic, no I/O.

pub mod statements;

/// A lexicon file failed to parse or compile.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    #[error("lexicon {file}: {message}")]
    Invalid { file: String, message: String },
}
