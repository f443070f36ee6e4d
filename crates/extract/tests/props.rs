//! Property tests: extraction never panics and every span is valid, on
//! arbitrary Unicode and on mutated corpus texts.

use proptest::prelude::*;
use strikewatch_extract::{Extractor, parse_document_line};
use strikewatch_model::{Document, Extraction, PublishedAt, SourceKind, TimePrecision};

const DEV_DOCS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/dev/docs.jsonl"
));

fn extractor() -> &'static Extractor {
    static EX: std::sync::OnceLock<Extractor> = std::sync::OnceLock::new();
    EX.get_or_init(|| Extractor::embedded().expect("extractor"))
}

fn doc(text: String, language: &str, day: Option<i64>) -> Document {
    let published_at = day.and_then(|d| {
        chrono::NaiveDate::from_ymd_opt(2025, 1, 1).map(|base| base + chrono::Duration::days(d))
    });
    Document {
        id: "p".into(),
        url: None,
        title: None,
        published_at: published_at.map(|date| PublishedAt {
            date,
            text: date.to_string(),
            precision: TimePrecision::Day,
        }),
        language: language.into(),
        source: None,
        source_kind: SourceKind::News,
        text,
        capture_sha256: None,
        private: false,
    }
}

fn assert_spans(out: &Extraction, text: &str) {
    for r in &out.incidents {
        for s in r.evidence.values() {
            assert!(s.is_valid_in(text), "{s:?}");
        }
    }
    for t in &out.totals {
        assert!(t.span.is_valid_in(text));
        for s in t.evidence.values() {
            assert!(s.is_valid_in(text));
        }
    }
}

fn corpus_texts() -> Vec<String> {
    DEV_DOCS
        .lines()
        .filter_map(|l| parse_document_line(l).ok())
        .map(|d| d.text)
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_unicode_never_panics(text in "\\PC{0,400}", es in any::<bool>(), day in proptest::option::of(0i64..800)) {
        let d = doc(text, if es { "es" } else { "en" }, day);
        let out = extractor().extract(&d);
        assert_spans(&out, &d.text);
    }

    #[test]
    fn strike_like_words_never_panic(
        words in proptest::collection::vec(prop_oneof![
            Just("killed"), Just("three"), Just("boats"), Just("on"), Just("Monday"), Just("Sept."), Just("2"),
            Just(","), Just("."), Just("and"), Just("at least"), Just("all"), Just("each"), Just("Caribbean"),
            Just("eastern Pacific"), Just("strike"), Just("since"), Just("—"), Just("\n"), Just("\n\n"),
            Just("el"), Just("martes"), Just("murieron"), Just("lanchas"), Just("’s"), Just("“"), Just("1986"),
            Just("survivors"), Just("none survived"), Just("the same waters"), Just("in"), Just("two"),
        ], 0..60),
        day in proptest::option::of(0i64..800),
    ) {
        let text = words.join(" ");
        let d = doc(text, "en", day);
        let out = extractor().extract(&d);
        assert_spans(&out, &d.text);
        let d = doc(d.text.clone(), "es", day);
        let out = extractor().extract(&d);
        assert_spans(&out, &d.text);
    }

    #[test]
    fn mutated_corpus_texts_never_panic(index in 0usize..45, cut in 0usize..2000, insert in "\\PC{0,12}", delete in 0usize..40) {
        let texts = corpus_texts();
        let mut text = texts[index % texts.len()].clone();
        let mut at = cut.min(text.len());
        while !text.is_char_boundary(at) { at -= 1; }
        text.insert_str(at, &insert);
        let mut end = (at + insert.len() + delete).min(text.len());
        while !text.is_char_boundary(end) { end -= 1; }
        let from = at + insert.len();
        if from <= end { text.replace_range(from..end, ""); }
        let d = doc(text, if index % 7 == 1 { "es" } else { "en" }, Some(300));
        let out = extractor().extract(&d);
        assert_spans(&out, &d.text);
    }
}
