//! Running totals: figures spread over neighbouring sentences.

use strikewatch_extract::Extractor;
use strikewatch_model::{Document, PublishedAt, RunningTotal, SourceKind, TimePrecision};

fn totals(language: &str, text: &str) -> Vec<RunningTotal> {
    let date = chrono::NaiveDate::from_ymd_opt(2025, 11, 20).expect("date");
    let doc = Document {
        id: "totals".into(),
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
        .totals
}

#[test]
fn survivors_in_the_next_sentence_join_the_total() {
    let got = totals(
        "en",
        "The administration has announced 19 strikes since Sept. 2, killing at least 76 people. Two people have survived the strikes so far.",
    );
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].strikes, Some(19));
    assert_eq!(got[0].killed, Some(76));
    assert_eq!(got[0].survivors, Some(2));
    assert_eq!(
        got[0].evidence["survivors"].text,
        "Two people have survived"
    );
}

#[test]
fn survivors_without_a_total_before_them_make_no_total() {
    let got = totals("en", "Two people have survived the strikes so far.");
    assert!(got.is_empty());
}
