//! Readers get arbitrary bytes from the outside world: they may refuse
//! them, but never panic, and what they accept normalizes to stable text.

use proptest::prelude::*;
use strikewatch_ingest::formats::{Format, corpus, parse_single};
use strikewatch_ingest::normalize::normalize_text;

fn markupish() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..300),
        "[<>/a-z =\"'#*_\\[\\]()!`{}:,\\n -]{0,300}".prop_map(String::into_bytes),
        "(<p>|</p>|<script>|<article>|<h1>|# |\\*\\*|\\[x\\]\\(y\\)|\\{\"text\":\"|\"\\}|\\n\\n|word |é|\u{301})*"
            .prop_map(String::into_bytes),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn readers_never_panic(bytes in markupish()) {
        for format in [Format::PlainText, Format::Markdown, Format::Html, Format::NewsPlease] {
            if let Ok(parsed) = parse_single(format, &bytes)
                && let Ok(doc) = parsed.into_document("id".into(), "sha")
            {
                prop_assert_eq!(normalize_text(&doc.text), doc.text.clone());
                prop_assert!(!doc.text.is_empty());
            }
        }
        let _ = corpus::parse_line(&bytes);
    }
}
