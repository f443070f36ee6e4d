//! Reading gold and corpus files never panics: any text gives records or
//! one error naming the line.

use proptest::prelude::*;
use strikewatch_gold::{GoldError, gold_extractions, parse_corpus, parse_gold};

const DEV_GOLD: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/dev/gold.jsonl"
));
const DEV_DOCS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/dev/docs.jsonl"
));

/// Lines that look like gold lines, with the shapes and values the format
/// uses, and some it does not.
fn gold_like_line() -> impl Strategy<Value = String> {
    let value = prop_oneof![
        Just("null".to_string()),
        Just("\"main\"".to_string()),
        Just("\"background\"".to_string()),
        Just("\"social_post\"".to_string()),
        Just("\"legal_basis\"".to_string()),
        Just("\"2025-09-02\"".to_string()),
        Just("\"2025-02-30\"".to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        "\\PC{0,12}".prop_map(|s| serde_json::Value::String(s).to_string()),
        Just("[]".to_string()),
        Just("{}".to_string()),
    ];
    let key = prop_oneof![
        Just("id"),
        Just("date"),
        Just("date_text"),
        Just("region"),
        Just("killed"),
        Just("role"),
        Just("text"),
        Just("kind"),
        Just("speaker"),
        Just("quote_start"),
        Just("channel"),
        Just("claims"),
    ];
    let object = prop::collection::vec((key, value), 0..6).prop_map(|fields| {
        let body: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
        format!("{{{}}}", body.join(","))
    });
    let list = |name: &'static str| {
        prop::collection::vec(object.clone(), 0..3)
            .prop_map(move |items| format!("\"{name}\":[{}]", items.join(",")))
    };
    (
        "\\PC{0,8}",
        list("incidents"),
        list("totals"),
        list("statements"),
        list("claims"),
    )
        .prop_map(|(id, incidents, totals, statements, claims)| {
            format!(
                "{{\"id\":{},{incidents},{totals},{statements},{claims}}}",
                serde_json::Value::String(id)
            )
        })
}

/// The longest prefix of `text` at most `len` bytes long.
fn prefix(text: &str, len: usize) -> &str {
    let mut end = len.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

proptest! {
    #[test]
    fn any_text_parses_or_names_its_line(text in "\\PC{0,200}") {
        for result in [parse_gold("gold", &text).err(), parse_corpus("docs", &text).err()] {
            if let Some(GoldError::Line { line, file, .. }) = result {
                prop_assert!(line >= 1 && line <= text.lines().count());
                prop_assert!(file == "gold" || file == "docs");
            }
        }
        let _ = gold_extractions(&text, &text);
    }

    #[test]
    fn gold_like_lines_parse_or_name_their_line(lines in prop::collection::vec(gold_like_line(), 1..5)) {
        let text = lines.join("\n");
        match parse_gold("gold", &text) {
            Ok(docs) => prop_assert_eq!(docs.len(), lines.len()),
            Err(GoldError::Line { line, .. }) => prop_assert!(line >= 1 && line <= lines.len()),
            Err(other) => prop_assert!(false, "unexpected error {}", other),
        }
        let _ = gold_extractions(DEV_DOCS, &text);
    }

    /// Real corpus and gold files cut anywhere never panic.
    #[test]
    fn truncated_files_never_panic(cut in 0usize..DEV_GOLD.len().max(DEV_DOCS.len())) {
        let gold = prefix(DEV_GOLD, cut);
        let docs = prefix(DEV_DOCS, cut);
        let _ = parse_gold("gold", gold);
        let _ = gold_extractions(docs, gold);
        let _ = gold_extractions(docs, DEV_GOLD);
    }
}

#[test]
fn every_gold_file_parses_and_every_span_is_valid() {
    for set in [
        "dev",
        "seed",
        "holdout",
        "holdout2",
        "holdout3",
        "realistic",
    ] {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../testdata")
            .join(set);
        let gold = strikewatch_gold::load_gold(dir.join("gold.jsonl")).expect(set);
        assert!(!gold.is_empty(), "{set}");
        let docs = strikewatch_gold::read(&dir.join("docs.jsonl")).expect(set);
        let golds = strikewatch_gold::read(&dir.join("gold.jsonl")).expect(set);
        for (doc, extraction) in gold_extractions(&docs, &golds).expect(set) {
            for s in extraction.statements.iter().map(|s| &s.span) {
                assert!(
                    s.text.is_empty() || s.is_valid_in(&doc.text),
                    "{set} {}",
                    doc.id
                );
            }
            for r in &extraction.incidents {
                for s in r.evidence.values() {
                    assert!(s.is_valid_in(&doc.text), "{set} {}", doc.id);
                }
            }
        }
    }
}

#[test]
fn a_bad_line_is_named_with_its_file_and_number() {
    let text = "{\"id\":\"a\"}\n\n{\"id\":\"b\",\"incidents\":[{\"role\":\"sideline\"}]}\n";
    let err = parse_gold("dev/gold.jsonl", text).unwrap_err();
    let message = err.to_string();
    assert!(message.starts_with("dev/gold.jsonl line 3: "), "{message}");
    assert!(message.contains("sideline"), "{message}");
    let missing = strikewatch_gold::load_gold("no/such/gold.jsonl").unwrap_err();
    assert!(matches!(missing, GoldError::Io { .. }));
    assert!(missing.to_string().starts_with("no/such/gold.jsonl: "));
}
