//! The strikewatch extractor: reads one document, says with evidence what it
//! reports. Deterministic, no I/O (except [`extract_jsonl`], which streams).
//!
//! Front door: [`Extractor::embedded`] (or [`Extractor::new`] with
//! [`Lexicons::from_dir`]) and [`Extractor::extract`].

mod anchor;
mod annotate;
mod announcer;
mod confidence;
mod dates;
mod facts;
pub mod jsonl;
pub mod lexicon;
mod mentions;
mod rules;
pub mod statements;
mod strikes;
mod text;
mod totals;

use std::collections::HashMap;

use strikewatch_model::{DateSource, Document, Extraction, ExtractionStatus};

pub use jsonl::{JsonlError, Stats, extract_jsonl, extract_jsonl_with, parse_document_line};
pub use lexicon::Lexicons;
use lexicon::compiled::CompiledLanguage;

/// A lexicon file failed to parse or compile.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    #[error("lexicon {file}: {message}")]
    Invalid { file: String, message: String },
}

/// Compiled lexicons for every language; build once, share across threads.
pub struct Extractor {
    languages: Vec<CompiledLanguage>,
    by_code: HashMap<String, usize>,
    statements: statements::StatementLexicon,
    version: String,
}

impl std::fmt::Debug for Extractor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Extractor")
            .field("languages", &self.by_code.keys())
            .field("version", &self.version)
            .finish()
    }
}

impl Extractor {
    /// Compiles `lexicons` (and the embedded statement lexicons).
    pub fn new(lexicons: Lexicons) -> Result<Extractor, LexiconError> {
        let mut languages = Vec::new();
        let mut by_code = HashMap::new();
        for files in &lexicons.languages {
            by_code.insert(files.language.clone(), languages.len());
            languages.push(CompiledLanguage::compile(files)?);
        }
        let statements = statements::StatementLexicon::from_files(&lexicons.statement_sources())?;
        let version = lexicons.version(&[]);
        Ok(Extractor {
            languages,
            by_code,
            statements,
            version,
        })
    }

    /// The extractor over the lexicons embedded in the binary.
    pub fn embedded() -> Result<Extractor, LexiconError> {
        Extractor::new(Lexicons::embedded()?)
    }

    /// Short SHA-256 hex of every lexicon file that shaped the output.
    pub fn lexicon_version(&self) -> &str {
        &self.version
    }

    /// The compiled lexicon for a language tag (`es`, `es-MX`, `PT_br`);
    /// `None` when no lexicon folder exists for it.
    fn language(&self, code: &str) -> Option<&CompiledLanguage> {
        let code = code.trim().to_ascii_lowercase();
        let primary = code.split(['-', '_']).next().unwrap_or("");
        self.by_code
            .get(primary)
            .and_then(|&idx| self.languages.get(idx))
    }

    /// The language codes this extractor has lexicons for, sorted.
    pub fn languages(&self) -> Vec<&str> {
        let mut codes: Vec<&str> = self.by_code.keys().map(String::as_str).collect();
        codes.sort_unstable();
        codes
    }

    /// What a document in a language without a lexicon yields: no facts, and
    /// a status that says why (rather than reading it with another
    /// language's words and inventing strikes from look-alike numbers).
    fn unsupported(&self, doc: &Document) -> Extraction {
        Extraction {
            id: doc.id.clone(),
            lexicon_version: self.version.clone(),
            status: Some(ExtractionStatus::UnsupportedLanguage),
            diagnostics: vec![format!(
                "no lexicon for language {:?}: nothing extracted",
                doc.language
            )],
            ..Extraction::default()
        }
    }

    /// Everything `doc` reports: strikes, totals, statements and claims.
    pub fn extract(&self, doc: &Document) -> Extraction {
        let Some(lang) = self.language(&doc.language) else {
            return self.unsupported(doc);
        };
        let mut tokens = annotate::spare_tokens();
        text::tokenize_into(&doc.text, &mut tokens, &lang.ordinal_suffixes);
        let annotated = annotate::Annotated::new(&doc.text, tokens, lang);
        let sentences = text::sentences(&doc.text, &annotated.tokens, &lang.abbreviations);
        let anchors = anchor::find_anchors(doc, &annotated);
        let publication = anchors.page.map(|a| a.date);
        let mut found_dates = dates::find_dates(&annotated, &sentences, &anchors);
        rules::quoted_today::quoted_today(&annotated, &mut found_dates, &anchors);
        // Only a page's own date says when it was written; a caption's or a
        // post's may be far older than the page.
        let written = anchors
            .page
            .filter(|a| {
                matches!(
                    a.source,
                    DateSource::PublishedAt | DateSource::Url | DateSource::Dateline
                )
            })
            .map(|a| a.date);
        let mut found = mentions::collect(&annotated, &sentences, &found_dates, written);
        let mut incidents = strikes::build_reports(&annotated, &mut found, &anchors);
        announcer::fill(&annotated, &sentences, &self.statements, &mut incidents);
        let totals = totals::build_totals(&annotated, &found.totals, anchors.page);
        let sentence_bytes: Vec<std::ops::Range<usize>> = sentences
            .iter()
            .map(|s| {
                let (a, b) = annotated.byte_range(s.start, s.end);
                a..b
            })
            .collect();
        let (statements, claims) =
            statements::extract_statements_in(&self.statements, doc, &sentence_bytes);
        let mut diagnostics = found.diagnostics;
        if publication.is_none() {
            diagnostics.push("no publication date: relative dates left unresolved".to_string());
        }
        Extraction {
            id: doc.id.clone(),
            lexicon_version: self.version.clone(),
            incidents,
            totals,
            statements,
            claims,
            diagnostics,
            status: None,
            anchor_date: publication,
            date_source: anchors.page.map(|a| a.source),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extractor_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Extractor>();
    }
}
