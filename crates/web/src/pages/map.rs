//! The map page; its JSON twin is GeoJSON.

use axum::response::Response;
use maud::html;
use serde_json::json;

use super::{Ctx, html};
use crate::error::PageError;
use crate::format::{Csv, Format, json, opt};
use crate::layout::{self, range, region_label};
use crate::params::encode;
use strikewatch_model::read::IncidentSummary;

/// One map row per sea: an announcement covering several seas is drawn in
/// each (the split of its toll is unknown unless a source gives it).
fn seas(i: &IncidentSummary) -> Vec<IncidentSummary> {
    if i.parts.is_empty() {
        return vec![i.clone()];
    }
    i.parts
        .iter()
        .map(|p| IncidentSummary {
            region: Some(p.region.clone()),
            point: p.point,
            point_precision: p.point.map(|_| "region".to_string()),
            killed: strikewatch_model::ledger::CountRange {
                min: p.killed,
                max: p.killed,
            },
            vessels: strikewatch_model::ledger::CountRange {
                min: p.vessels,
                max: p.vessels,
            },
            ..i.clone()
        })
        .collect()
}

pub(crate) fn page(ctx: &Ctx) -> Result<Response, PageError> {
    let filter = ctx.params.filter()?;
    let listed = super::summaries(&ctx.state, &filter)?;
    let left_out: Vec<_> = listed.iter().filter(|i| !i.grade.in_headline()).collect();
    let incidents: Vec<IncidentSummary> = listed
        .iter()
        .filter(|i| i.grade.in_headline())
        .flat_map(seas)
        .collect();
    match ctx.format {
        Format::Json => {
            let features: Vec<_> = incidents
                .iter()
                .filter_map(|i| {
                    let [lon, lat] = i.point?;
                    Some(json!({
                        "type": "Feature",
                        "id": i.id,
                        "geometry": { "type": "Point", "coordinates": [lon, lat] },
                        "properties": {
                            "date": i.date, "region": i.region, "point_precision": i.point_precision,
                            "killed_min": i.killed.min, "killed_max": i.killed.max, "grade": i.grade.as_str(),
                        },
                    }))
                })
                .collect();
            Ok(json(
                &json!({ "type": "FeatureCollection", "features": features }),
            ))
        }
        Format::Csv => {
            let mut csv = Csv::new(&[
                "id",
                "date",
                "region",
                "longitude",
                "latitude",
                "point_precision",
                "killed_min",
                "killed_max",
            ]);
            for i in incidents.iter().filter(|i| i.point.is_some()) {
                csv.row([
                    i.id.clone(),
                    opt(i.date),
                    i.region.clone().unwrap_or_default(),
                    opt(i.point.map(|p| p[0])),
                    opt(i.point.map(|p| p[1])),
                    i.point_precision.clone().unwrap_or_default(),
                    opt(i.killed.min),
                    opt(i.killed.max),
                ]);
            }
            Ok(csv.finish("map"))
        }
        Format::Html => {
            let unplaced: Vec<_> = incidents.iter().filter(|i| i.point.is_none()).collect();
            let body = html! {
                (crate::as_of::banner("/map", &ctx.params))
                div.mapbox { (crate::map::render(&incidents)) }
                @if !unplaced.is_empty() {
                    h2 { "Not on the map (no region stated)" }
                    ul { @for i in unplaced { li { a href={ "/incidents/" (encode(&i.id)) } { (super::incidents::summary_date_label(i)) } " · killed " (range(&i.killed)) } } }
                }
                @if !left_out.is_empty() {
                    h2 { "Not on the map (suspect or retracted)" }
                    ul { @for i in &left_out { li { a href={ "/incidents/" (encode(&i.id)) } { (i.id) } " · " (i.grade.as_str())
                        @if let Some(s) = &i.suspect { " — " (s.reason) } } } }
                }
                h2 { "By region" }
                ul {
                    @for region in ["caribbean", "eastern_pacific"] {
                        @let n = incidents.iter().filter(|i| i.region.as_deref() == Some(region)).count();
                        li { a href={ "/incidents?region=" (region) } { (region_label(Some(region))) } ": " (n) " strikes" }
                    }
                }
            };
            Ok(html(layout::page(
                &ctx.state.title,
                "Map",
                Some(("/map", &ctx.params.query())),
                body,
            )))
        }
    }
}
