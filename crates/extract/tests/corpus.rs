//! The dev corpus and the seed article: evidence spans, the seed's lack of
//! strikes, and the JSONL stream.

use strikewatch_extract::{Extractor, extract_jsonl_with, parse_document_line};
use strikewatch_model::Document;

const DEV_DOCS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/dev/docs.jsonl"
));
const SEED_DOCS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/seed/docs.jsonl"
));

fn docs(jsonl: &str) -> Vec<Document> {
    jsonl
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| parse_document_line(l).expect("doc parses"))
        .collect()
}

#[test]
fn every_span_points_at_its_text_in_the_dev_corpus() {
    let ex = Extractor::embedded().expect("extractor");
    let mut checked = 0;
    for doc in docs(DEV_DOCS) {
        let out = ex.extract(&doc);
        assert_eq!(out.id, doc.id);
        for r in &out.incidents {
            assert!(
                r.evidence.contains_key("date") || r.date.is_none(),
                "{}: dated report without date evidence",
                doc.id
            );
            for (field, span) in &r.evidence {
                assert!(
                    span.is_valid_in(&doc.text),
                    "{} incident {field}: {span:?}",
                    doc.id
                );
                checked += 1;
            }
            if let Some(t) = &r.date_text {
                assert!(doc.text.contains(t.as_str()), "{}: date_text {t:?}", doc.id);
            }
        }
        for t in &out.totals {
            assert!(
                t.span.is_valid_in(&doc.text),
                "{} total span {:?}",
                doc.id,
                t.span
            );
            assert_eq!(t.text, t.span.text);
            for (field, span) in &t.evidence {
                assert!(
                    span.is_valid_in(&doc.text),
                    "{} total {field}: {span:?}",
                    doc.id
                );
                checked += 1;
            }
        }
        for s in &out.statements {
            assert!(
                s.span.is_valid_in(&doc.text),
                "{} statement {:?}",
                doc.id,
                s.span
            );
        }
    }
    assert!(checked > 200, "only {checked} spans checked");
}

#[test]
fn seed_article_reports_no_strike() {
    let ex = Extractor::embedded().expect("extractor");
    let seed = docs(SEED_DOCS);
    assert!(!seed.is_empty());
    for doc in seed {
        let out = ex.extract(&doc);
        assert!(
            out.incidents.is_empty(),
            "seed strikes: {:?}",
            out.incidents
        );
    }
}

#[test]
fn jsonl_stream_writes_one_line_per_input_and_names_bad_lines() {
    let ex = Extractor::embedded().expect("extractor");
    let first = DEV_DOCS.lines().next().expect("a line");
    let input = format!(
        "{first}\nnot json\n\n{{\"id\":\"x\",\"published_at\":\"yesterday\",\"text\":\"t\"}}\n"
    );
    let mut out = Vec::new();
    let stats = extract_jsonl_with(&ex, input.as_bytes(), &mut out).expect("stream runs");
    assert_eq!(stats.documents, 1);
    assert_eq!(stats.errors, 2);
    let text = String::from_utf8(out).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3);
    let v: serde_json::Value = serde_json::from_str(lines[0]).expect("json");
    assert_eq!(v["id"], "dev-001");
    assert!(v["incidents"].as_array().is_some_and(|a| !a.is_empty()));
    let e: serde_json::Value = serde_json::from_str(lines[1]).expect("json");
    assert_eq!(e["line"], 2);
    let e: serde_json::Value = serde_json::from_str(lines[2]).expect("json");
    assert_eq!(e["line"], 4);
}

#[test]
fn extractor_is_deterministic_and_shareable_across_threads() {
    let ex = std::sync::Arc::new(Extractor::embedded().expect("extractor"));
    let all = docs(DEV_DOCS);
    let base: Vec<String> = all
        .iter()
        .map(|d| serde_json::to_string(&ex.extract(d)).expect("json"))
        .collect();
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let ex = ex.clone();
            let all = all.clone();
            std::thread::spawn(move || {
                all.iter()
                    .map(|d| serde_json::to_string(&ex.extract(d)).expect("json"))
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().expect("thread"), base);
    }
}
