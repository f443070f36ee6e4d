//! Never a targeting aid: the map places an incident only as precisely as
//! its evidence states. The sources of the development corpus name seas,
//! never coordinates, so every point the site draws or publishes must be
//! its region's one anchor point, marked `region`, drawn as an area and
//! never as a dot.

mod common;

use std::collections::BTreeMap;

use common::{free_port, http, json, run, start, stderr};

const DEV_DOCS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/dev/docs.jsonl");

#[test]
fn the_map_is_never_more_precise_than_its_evidence() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db");
    let out = run(&db, &["ingest", DEV_DOCS]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let addr = free_port();
    let _server = start(&db, addr);

    let geo = json(&http(addr, "GET", "/map.json", &[], ""));
    let features = geo["features"].as_array().unwrap();
    assert!(features.len() > 10, "{} features", features.len());
    let mut anchors: BTreeMap<String, serde_json::Value> = BTreeMap::new();
    for f in features {
        let props = &f["properties"];
        assert_eq!(props["point_precision"], "region", "{f}");
        let region = props["region"].as_str().unwrap_or("").to_string();
        let point = f["geometry"]["coordinates"].clone();
        let anchor = anchors
            .entry(region.clone())
            .or_insert_with(|| point.clone());
        assert_eq!(
            *anchor, point,
            "{region}: one anchor per region, not per incident"
        );
    }
    // The CSV twin says the same; the drawing has no dot of stated
    // coordinates, only region areas.
    let csv = http(addr, "GET", "/map.csv", &[], "").body;
    assert!(csv.lines().skip(1).all(|l| l.contains(",region,")), "{csv}");
    let page = http(addr, "GET", "/map", &[], "").body;
    assert!(!page.contains("stated coordinates"), "a dot was drawn");
    assert!(page.contains("the exact place is not known"));
}
