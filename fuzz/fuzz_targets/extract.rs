//! Extraction never panics and every evidence span points at its text, for
//! any input text, language and publication date.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use strikewatch_extract::Extractor;
use strikewatch_model::{Document, PublishedAt, SourceKind, TimePrecision};

fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| Extractor::embedded().expect("embedded lexicons compile"))
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let language = if data[0] % 2 == 0 { "en" } else { "es" };
    let day_offset = i64::from(u16::from_le_bytes([data[1], data[2]]));
    let date = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).map(|d| d + chrono::Duration::days(day_offset % 800));
    let text = String::from_utf8_lossy(&data[3..]).into_owned();
    let doc = Document {
        id: "fuzz".into(),
        url: None,
        title: None,
        published_at: date.map(|date| PublishedAt { date, text: date.to_string(), precision: TimePrecision::Day }),
        language: language.into(),
        source: None,
        source_kind: SourceKind::News,
        text,
        capture_sha256: None,
    };
    let out = extractor().extract(&doc);
    for r in &out.incidents {
        for span in r.evidence.values() {
            assert!(span.is_valid_in(&doc.text));
        }
    }
    for t in &out.totals {
        assert!(t.span.is_valid_in(&doc.text));
        for span in t.evidence.values() {
            assert!(span.is_valid_in(&doc.text));
        }
    }
});
