//! Incidents as GeoJSON features, for maps. Each incident sits at the
//! coordinates a source stated or at its region's representative point;
//! `point_precision` in the properties says which. One announcement covering
//! several seas is a MultiPoint, one point per sea (`regions` lists them; the
//! toll is the combined one). Incidents with neither have a null geometry.

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
        "regions": i.parts.iter().map(|p| p.region.as_str()).collect::<Vec<_>>(),
        "suspect_reason": i.suspect.as_ref().map(|s| s.reason.as_str()),
    });
    match v {
        Value::Object(m) => m,
        _ => JsonObject::new(),
    }
}

/// The incident's point, or one point per sea of a multi-sea announcement.
fn geometry(i: &Incident) -> Option<Geometry> {
    let seas: Vec<[f64; 2]> = i.parts.iter().filter_map(|p| p.point).collect();
    if seas.len() >= 2 {
        return Some(Geometry::new_multi_point(seas));
    }
    i.point.map(Geometry::new_point)
}

pub fn incidents_geojson(ledger: &Ledger) -> ExportResult<Vec<u8>> {
    let features: Vec<Feature> = ledger
        .incidents
        .iter()
        .map(|i| Feature {
            bbox: None,
            geometry: geometry(i),
            id: Some(Id::String(i.id.clone())),
            properties: Some(properties(i)),
            foreign_members: None,
        })
        .collect();
    let mut out = serde_json::to_vec_pretty(&FeatureCollection::new(features))?;
    out.push(b'\n');
    Ok(out)
}
