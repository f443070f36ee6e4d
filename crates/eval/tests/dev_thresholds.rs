//! The figures the team reports, measured on the dev corpus. Thresholds are
//! set at what the extractor reaches, never below the acceptance targets.

use strikewatch_eval::{load_docs, load_gold, score};
use strikewatch_extract::Extractor;

const DEV: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/dev");
const SEED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/seed");

#[test]
fn dev_corpus_meets_the_acceptance_thresholds() {
    let docs = load_docs(format!("{DEV}/docs.jsonl")).expect("docs");
    let gold = load_gold(format!("{DEV}/gold.jsonl")).expect("gold");
    let ex = Extractor::embedded().expect("extractor");
    let predicted: Vec<_> = docs.iter().map(|d| ex.extract(d)).collect();
    let r = score(&docs, &predicted, &gold);
    let table = r.to_table();
    assert!(r.incidents.precision >= 0.98, "{table}");
    assert!(r.incidents.recall >= 0.98, "{table}");
    for field in ["killed", "survivors", "vessels", "role"] {
        assert!(
            r.incident_fields[field].accuracy >= 0.97,
            "{field}\n{table}"
        );
    }
    assert!(r.totals.f1 >= 0.97, "{table}");
    assert_eq!(r.no_strike_documents, 5, "{table}");
    assert_eq!(r.no_strike_false_positives, 0, "{table}");
}

#[test]
fn seed_reports_no_strike() {
    let docs = load_docs(format!("{SEED}/docs.jsonl")).expect("docs");
    let gold = load_gold(format!("{SEED}/gold.jsonl")).expect("gold");
    let ex = Extractor::embedded().expect("extractor");
    let predicted: Vec<_> = docs.iter().map(|d| ex.extract(d)).collect();
    let r = score(&docs, &predicted, &gold);
    assert_eq!(r.incidents.fp, 0, "{}", r.to_table());
    assert_eq!(r.totals.fp, 0, "{}", r.to_table());
}
