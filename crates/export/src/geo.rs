//! Incidents as GeoJSON features, for maps. Each incident sits at the
//! coordinates a source stated or at its region's representative point;
//! `point_precision` in the properties says which. Incidents with neither
//! have a null geometry.

use geojson::{Feature, FeatureCollection, Geometry, JsonObject, feature::Id};
use serde_json::{Value, json};
use strikewatch_model::ledger::{Incident, Ledger};

use crate::error::ExportResult;

fn properties(i: &Incident) -> JsonObject {
    let v = json!({
        "id": i.id,
        "date": i.date,
        "date_from": i.date_from,
        "date_to": i.date_to,
        "region": i.region,
        "point_precision": i.point_precision.as_deref().unwrap_or("none"),
        "grade": i.grade.as_str(),
        "vessels_min": i.vessels.min,
        "vessels_max": i.vessels.max,
        "killed_min": i.killed.min,
        "killed_max": i.killed.max,
        "survivors_min": i.survivors.min,
        "survivors_max": i.survivors.max,
        "official_killed": i.official_killed,
        "reviewed_killed": i.reviewed_value("killed"),
        "reports": i.reports.len(),
        "sources": i.source_urls(),
    });
    match v {
        Value::Object(m) => m,
        _ => JsonObject::new(),
    }
}

pub fn incidents_geojson(ledger: &Ledger) -> ExportResult<Vec<u8>> {
    let features: Vec<Feature> = ledger
        .incidents
        .iter()
        .map(|i| Feature {
            bbox: None,
            geometry: i.point.map(Geometry::new_point),
            id: Some(Id::String(i.id.clone())),
            properties: Some(properties(i)),
            foreign_members: None,
        })
        .collect();
    let mut out = serde_json::to_vec_pretty(&FeatureCollection::new(features))?;
    out.push(b'\n');
    Ok(out)
}
