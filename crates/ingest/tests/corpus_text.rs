//! Evidence offsets in the gold files point into the corpus text, so
//! normalization must leave already-normalized corpus text unchanged.

use strikewatch_ingest::formats::corpus::parse_line;
use strikewatch_ingest::normalize::normalize_text;

fn check(path: &str) -> usize {
    let data = std::fs::read_to_string(path).unwrap();
    let mut n = 0;
    for line in data.lines() {
        let parsed = parse_line(line.as_bytes()).unwrap().unwrap();
        assert_eq!(normalize_text(&parsed.text), parsed.text, "{:?}", parsed.id);
        let doc = parsed.into_document("unused".into(), "sha").unwrap();
        assert!(doc.published_at.is_some(), "{}", doc.id);
        assert!(doc.language == "en" || doc.language == "es");
        n += 1;
    }
    n
}

#[test]
fn dev_and_seed_corpora_are_already_normalized() {
    let dev = check(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/dev/docs.jsonl"
    ));
    let seed = check(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/seed/docs.jsonl"
    ));
    assert_eq!((dev, seed), (45, 1));
}
