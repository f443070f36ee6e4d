//! Exports of the dev-corpus ledger: round trips and byte-identical output.

use strikewatch_export::{
    incidents_csv, incidents_geojson, ledger_csv, ledger_json, read_ledger_csv, read_ledger_json,
    write_sqlite,
};
use strikewatch_gold::gold_extractions;
use strikewatch_model::ledger::{Ledger, Review, ReviewAction};
use strikewatch_resolve::{DocMeta, ResolveInput, SourceDocument, apply_reviews, resolve};

const DOCS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/dev/docs.jsonl"
));
const GOLD: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/dev/gold.jsonl"
));
const SEED_DOCS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/seed/docs.jsonl"
));
const SEED_GOLD: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/seed/gold.jsonl"
));

/// Extractions made from a gold file, as resolution reads them.
fn gold_documents(docs: &str, gold: &str) -> Vec<SourceDocument> {
    gold_extractions(docs, gold)
        .unwrap()
        .into_iter()
        .map(|(doc, extraction)| SourceDocument {
            meta: DocMeta {
                id: doc.id.clone(),
                url: doc.url.clone(),
                title: doc.title.clone(),
                published: doc.published(),
                source: doc.source.clone(),
                source_kind: doc.source_kind(),
            },
            extraction,
        })
        .collect()
}

/// The dev corpus plus the seed article (for claims), with a few reviews.
fn ledger() -> Ledger {
    let mut docs = gold_documents(DOCS, GOLD);
    docs.extend(gold_documents(SEED_DOCS, SEED_GOLD));
    let machine = resolve(&ResolveInput { documents: docs }).unwrap();
    let first = machine.incidents[0].id.clone();
    let second = machine.incidents[1].id.clone();
    let review = |seq, action| Review {
        seq,
        at: "2026-03-01T10:00:00Z".into(),
        author: "ed".into(),
        reason: "check, \"quoted\"".into(),
        action,
    };
    apply_reviews(
        &machine,
        &[
            review(
                1,
                ReviewAction::Correct {
                    incident: first.clone(),
                    field: "killed".into(),
                    value: "12".into(),
                },
            ),
            review(2, ReviewAction::Reject { incident: second }),
            review(
                3,
                ReviewAction::Annotate {
                    incident: first,
                    note: "line one\nline two, with comma".into(),
                },
            ),
            review(
                4,
                ReviewAction::Confirm {
                    incident: "sw-missing".into(),
                },
            ),
        ],
    )
    .unwrap()
}

#[test]
fn csv_tables_read_back_into_the_same_ledger() {
    let l = ledger();
    assert!(!l.claims.is_empty() && !l.statements.is_empty() && !l.reconciliation.is_empty());
    let tables = ledger_csv(&l).unwrap();
    let back = read_ledger_csv(&tables).unwrap();
    assert_eq!(back, l);
    let dir = tempfile::tempdir().unwrap();
    tables.write_dir(dir.path()).unwrap();
    let again = strikewatch_export::CsvTables::read_dir(dir.path()).unwrap();
    assert_eq!(read_ledger_csv(&again).unwrap(), l);
}

#[test]
fn json_reads_back_into_the_same_ledger() {
    let l = ledger();
    assert_eq!(read_ledger_json(&ledger_json(&l).unwrap()).unwrap(), l);
}

#[test]
fn every_incident_row_carries_its_sources() {
    let l = ledger();
    let csv = String::from_utf8(incidents_csv(&l).unwrap()).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let col = headers.iter().position(|h| h == "source_urls").unwrap();
    let rows: Vec<_> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), l.incidents.len());
    for r in rows {
        assert!(r[col].starts_with("https://"), "{:?}", r);
    }
}

#[test]
fn geojson_places_each_incident_with_its_precision() {
    let l = ledger();
    let bytes = incidents_geojson(&l).unwrap();
    let fc: geojson::FeatureCollection = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(fc.features.len(), l.incidents.len());
    for (f, i) in fc.features.iter().zip(&l.incidents) {
        let props = f.properties.as_ref().unwrap();
        assert_eq!(props["id"], i.id.as_str());
        match i.point {
            Some(p) => {
                assert_eq!(props["point_precision"], "region");
                let g = f.geometry.as_ref().unwrap();
                assert_eq!(g.value, geojson::Geometry::new_point(p).value);
            }
            None if i.parts.len() >= 2 => {
                // One announcement in several seas: one point per sea.
                let g = f.geometry.as_ref().unwrap();
                let seas: Vec<[f64; 2]> = i.parts.iter().filter_map(|p| p.point).collect();
                assert_eq!(g.value, geojson::Geometry::new_multi_point(seas).value);
                assert_eq!(props["regions"].as_array().unwrap().len(), 2);
            }
            None => assert!(f.geometry.is_none()),
        }
    }
    assert!(
        l.incidents.iter().any(|i| i.parts.len() >= 2),
        "the corpus holds a two-sea announcement"
    );
}

#[test]
fn the_same_ledger_gives_byte_identical_exports() {
    let (a, b) = (ledger(), ledger());
    assert_eq!(ledger_json(&a).unwrap(), ledger_json(&b).unwrap());
    assert_eq!(ledger_csv(&a).unwrap(), ledger_csv(&b).unwrap());
    assert_eq!(
        incidents_geojson(&a).unwrap(),
        incidents_geojson(&b).unwrap()
    );
    let dir = tempfile::tempdir().unwrap();
    let (pa, pb) = (dir.path().join("a.sqlite"), dir.path().join("b.sqlite"));
    write_sqlite(&a, &pa).unwrap();
    write_sqlite(&b, &pb).unwrap();
    assert_eq!(std::fs::read(&pa).unwrap(), std::fs::read(&pb).unwrap());
}

#[test]
fn sqlite_file_holds_the_ledger_tables() {
    let l = ledger();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    write_sqlite(&l, &path).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    let count = |t: &str| -> i64 {
        conn.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(count("incidents") as usize, l.incidents.len());
    let reports: usize =
        l.incidents.iter().map(|i| i.reports.len()).sum::<usize>() + l.unplaced.len();
    assert_eq!(count("incident_reports") as usize, reports);
    assert_eq!(count("reconciliation") as usize, l.reconciliation.len());
    assert_eq!(count("statements") as usize, l.statements.len());
    assert!(count("claims") > 0);
    assert_eq!(count("reviews"), 4);
    let retracted: i64 = conn
        .query_row(
            "SELECT count(*) FROM incidents WHERE grade = 'retracted'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(retracted, 1);
}

#[test]
fn csv_cells_that_look_like_formulas_are_defused_and_read_back() {
    let mut l = ledger();
    let hostile = "=HYPERLINK(\"http://evil.example\",\"click\")";
    for inc in &mut l.incidents {
        for r in &mut inc.reports {
            r.title = Some(hostile.to_string());
        }
    }
    let tables = ledger_csv(&l).expect("csv");
    let text = String::from_utf8(tables.incident_reports.clone()).expect("utf-8");
    assert!(!text.contains(",=HYPERLINK"), "{text}");
    assert!(text.contains("'=HYPERLINK"), "{text}");
    let back = read_ledger_csv(&tables).expect("reads back");
    assert_eq!(back, l);
}
