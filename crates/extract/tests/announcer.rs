//! `announced_by` names whoever the attribution clause of a strike's
//! sentence names, and nobody when no one is named.

use strikewatch_extract::Extractor;
use strikewatch_model::{Document, PublishedAt, SourceKind, StrikeReport, TimePrecision};

fn reports(language: &str, text: &str) -> Vec<StrikeReport> {
    let date = chrono::NaiveDate::from_ymd_opt(2025, 11, 13).expect("date");
    let doc = Document {
        id: "announcer".into(),
        url: None,
        title: None,
        published_at: Some(PublishedAt {
            date,
            text: date.to_string(),
            precision: TimePrecision::Day,
        }),
        language: language.into(),
        source: None,
        source_kind: SourceKind::News,
        text: text.into(),
        capture_sha256: None,
        private: false,
    };
    Extractor::embedded()
        .expect("lexicons")
        .extract(&doc)
        .incidents
}

#[test]
fn a_named_person_in_the_attribution_clause_announced_the_strike() {
    let got = reports(
        "en",
        "The military struck a boat in the Caribbean on Tuesday, killing three people, Hegseth said on social media.",
    );
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].announced_by.as_deref(), Some("Pete Hegseth"));
    let span = &got[0].evidence["announced_by"];
    assert_eq!(span.text, "Hegseth");
}

#[test]
fn an_announcing_body_is_named_by_its_canonical_name() {
    let got = reports(
        "es",
        "El Comando Sur informó que el martes atacó una lancha en el Caribe y murieron tres personas.",
    );
    assert_eq!(got.len(), 1);
    assert_eq!(
        got[0].announced_by.as_deref(),
        Some("U.S. Southern Command")
    );
}

#[test]
fn no_attribution_leaves_announced_by_empty() {
    let got = reports(
        "en",
        "A strike on a boat in the Caribbean on Tuesday killed three people.",
    );
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].announced_by, None);
    assert!(!got[0].evidence.contains_key("announced_by"));
}
