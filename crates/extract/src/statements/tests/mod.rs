//! Tests of the statements module: the seed article, the development
//! corpus, hand-written cases per phenomenon, and properties.

mod cases;
mod corpus;
mod export_posts;
mod lexicon_files;
mod props;

use std::sync::OnceLock;

use super::StatementLexicon;

/// The embedded lexicon, compiled once for all tests.
pub(super) fn lexicon() -> &'static StatementLexicon {
    static LEXICON: OnceLock<StatementLexicon> = OnceLock::new();
    LEXICON.get_or_init(|| StatementLexicon::embedded().expect("embedded lexicon compiles"))
}
