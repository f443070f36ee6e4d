//! Scores extractions against gold files, exactly as `testdata/dev/SCORING.md`
//! describes: per document, summed over the corpus (micro average).
//!
//! Front door: [`score`], [`EvalReport::to_table`], [`load_gold`], [`load_docs`].

mod gold;
pub mod ledger;
mod matching;
mod report;

pub use gold::{
    GoldClaim, GoldDoc, GoldError, GoldIncident, GoldStatement, GoldTotal, LoadError, load_docs,
    load_gold,
};
pub use matching::normalize_quote;
pub use report::{Accuracy, EvalReport, Finding, LanguageScore, Prf};

use strikewatch_model::{Document, Extraction};

/// Scores `predicted` against `gold`, one document at a time. Documents are
/// paired by id; a gold document without a prediction counts as all missed.
/// `docs` gives the documents scored (all gold documents when empty).
pub fn score(docs: &[Document], predicted: &[Extraction], gold: &[GoldDoc]) -> EvalReport {
    let mut report = score_documents(docs, predicted, gold);
    let mut languages: Vec<&str> = docs.iter().map(|d| d.language.as_str()).collect();
    languages.sort_unstable();
    languages.dedup();
    if languages.len() > 1 {
        for lang in languages {
            let subset: Vec<Document> = docs
                .iter()
                .filter(|d| d.language == lang)
                .cloned()
                .collect();
            let part = score_documents(&subset, predicted, gold);
            report
                .by_language
                .insert(lang.to_string(), LanguageScore::of(&part));
        }
    }
    report
}

/// [`score`] without the per-language breakdown.
fn score_documents(docs: &[Document], predicted: &[Extraction], gold: &[GoldDoc]) -> EvalReport {
    let mut report = EvalReport::default();
    let empty = Extraction::default();
    for g in gold {
        if !docs.is_empty() && !docs.iter().any(|d| d.id == g.id) {
            continue;
        }
        let p = predicted.iter().find(|p| p.id == g.id).unwrap_or(&empty);
        report.documents += 1;
        matching::score_incidents(&mut report, g, p);
        matching::score_totals(&mut report, g, p);
        matching::score_statements(&mut report, g, p);
        matching::score_claims(&mut report, g, p);
    }
    report.finish();
    report
}
