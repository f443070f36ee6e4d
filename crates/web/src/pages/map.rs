//! The map page; its JSON twin is GeoJSON.

use axum::response::Response;
use maud::html;
use serde_json::json;

use super::{Ctx, html};
use crate::error::PageError;
use crate::format::{Csv, Format, json, opt};
use crate::layout::{self, range, region_label};
use crate::params::encode;

pub(crate) fn page(ctx: &Ctx) -> Result<Response, PageError> {
    let filter = ctx.params.filter()?;
    let incidents = super::summaries(&ctx.state, &filter)?;
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
