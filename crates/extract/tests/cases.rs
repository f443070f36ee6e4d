//! Test documents written for this crate, in English and Spanish, one per
//! phenomenon, with the expected strike reports and totals.

use serde::Deserialize;
use strikewatch_extract::Extractor;
use strikewatch_model::{Document, PublishedAt, ReportRole, SourceKind, TimePrecision};

#[derive(Deserialize, Debug, PartialEq, Eq, PartialOrd, Ord, Clone)]
struct ExpectedIncident {
    date: Option<String>,
    region: Option<String>,
    vessels: Option<u32>,
    killed: Option<u32>,
    survivors: Option<u32>,
    role: String,
}

#[derive(Deserialize, Debug, PartialEq, Eq, PartialOrd, Ord, Clone)]
struct ExpectedTotal {
    as_of: Option<String>,
    strikes: Option<u32>,
    killed: Option<u32>,
}

/// The page's anchor when the case has no publication date.
#[derive(Deserialize, Debug, PartialEq, Eq, Clone)]
struct ExpectedAnchor {
    date: String,
    source: String,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    language: String,
    published: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    anchor: Option<ExpectedAnchor>,
    text: String,
    incidents: Vec<ExpectedIncident>,
    totals: Vec<ExpectedTotal>,
}

fn run_file(file: &str) {
    let cases: Vec<Case> = serde_json::from_str(file).expect("case file parses");
    let extractor = Extractor::embedded().expect("lexicons");
    let mut failures = Vec::new();
    for case in &cases {
        let published_at = case.published.as_ref().map(|p| PublishedAt {
            date: chrono::NaiveDate::parse_from_str(p, "%Y-%m-%d").expect("date"),
            text: p.clone(),
            precision: TimePrecision::Day,
        });
        let doc = Document {
            id: case.name.clone(),
            url: case.url.clone(),
            title: None,
            published_at,
            language: case.language.clone(),
            source: None,
            source_kind: SourceKind::News,
            text: case.text.clone(),
            capture_sha256: None,
            private: false,
        };
        let out = extractor.extract(&doc);
        let mut got: Vec<ExpectedIncident> = out
            .incidents
            .iter()
            .map(|r| ExpectedIncident {
                date: r.date.map(|d| d.to_string()),
                region: r.region.clone(),
                vessels: r.vessels,
                killed: r.killed,
                survivors: r.survivors,
                role: if r.role == ReportRole::Main {
                    "main".into()
                } else {
                    "background".into()
                },
            })
            .collect();
        let mut want = case.incidents.clone();
        got.sort();
        want.sort();
        let mut got_totals: Vec<ExpectedTotal> = out
            .totals
            .iter()
            .map(|t| ExpectedTotal {
                as_of: t.as_of.map(|d| d.to_string()),
                strikes: t.strikes,
                killed: t.killed,
            })
            .collect();
        let mut want_totals = case.totals.clone();
        got_totals.sort();
        want_totals.sort();
        let got_anchor = out
            .anchor_date
            .zip(out.date_source)
            .map(|(d, s)| ExpectedAnchor {
                date: d.to_string(),
                source: serde_json::to_value(s)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
            });
        let anchor_wrong = case.anchor.is_some() && case.anchor != got_anchor;
        if anchor_wrong {
            failures.push(format!(
                "{}: anchor want {:?} got {got_anchor:?}",
                case.name, case.anchor
            ));
        }
        if got != want || got_totals != want_totals {
            failures.push(format!(
                "{}:\n  want {want:?}\n  got  {got:?}\n  want totals {want_totals:?}\n  got totals  {got_totals:?}\n  diagnostics {:?}",
                case.name, out.diagnostics
            ));
        }
        for r in &out.incidents {
            assert!(
                r.evidence.values().all(|s| s.is_valid_in(&doc.text)),
                "{}",
                case.name
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn english_cases() {
    run_file(include_str!("cases/en.json"));
}

#[test]
fn spanish_cases() {
    run_file(include_str!("cases/es.json"));
}

#[test]
fn english_traps_and_vessel_counts() {
    run_file(include_str!("cases/traps_en.json"));
}

#[test]
fn spanish_traps_and_vessel_counts() {
    run_file(include_str!("cases/traps_es.json"));
}

#[test]
fn english_round_three() {
    run_file(include_str!("cases/round3_en.json"));
}

#[test]
fn spanish_round_three() {
    run_file(include_str!("cases/round3_es.json"));
}

#[test]
fn real_pages_en() {
    run_file(include_str!("cases/real_pages_en.json"));
}

#[test]
fn real_pages_es() {
    run_file(include_str!("cases/real_pages_es.json"));
}

#[test]
fn portuguese_cases() {
    run_file(include_str!("cases/pt.json"));
}

#[test]
fn french_cases() {
    run_file(include_str!("cases/fr.json"));
}

#[test]
fn english_page_dates() {
    run_file(include_str!("cases/dates_en.json"));
}

#[test]
fn spanish_page_dates() {
    run_file(include_str!("cases/dates_es.json"));
}

#[test]
fn english_totals() {
    run_file(include_str!("cases/totals_en.json"));
}

#[test]
fn spanish_totals() {
    run_file(include_str!("cases/totals_es.json"));
}

#[test]
fn english_counts() {
    run_file(include_str!("cases/counts_en.json"));
}

#[test]
fn spanish_counts() {
    run_file(include_str!("cases/counts_es.json"));
}
