//! The map of the Caribbean and eastern Pacific, drawn server-side as SVG
//! over bundled Natural Earth country shapes (see `assets/README.md`).
//! Incidents are placed at their `point`; region-level placement is drawn
//! as a dashed circle so it does not read as a location.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use maud::{Markup, PreEscaped, html};
use serde::Deserialize;
use strikewatch_model::read::IncidentSummary;

/// Projected basemap: SVG path data in a `width` × `height` viewBox.
#[derive(Debug, Deserialize)]
pub(crate) struct Basemap {
    /// `[west, south, east, north]` in degrees.
    pub bbox: [f64; 4],
    pub width: f64,
    pub height: f64,
    pub countries: Vec<Country>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct Country {
    pub name: String,
    pub d: String,
}

pub(crate) const BASEMAP_JSON: &str = include_str!("../assets/basemap.json");

/// The bundled basemap, parsed once. A broken file gives an empty map
/// (tested), never a panic.
pub(crate) fn basemap() -> &'static Basemap {
    static MAP: OnceLock<Basemap> = OnceLock::new();
    MAP.get_or_init(|| {
        serde_json::from_str(BASEMAP_JSON).unwrap_or(Basemap {
            bbox: [-125.0, -5.0, -55.0, 35.0],
            width: 1000.0,
            height: 592.0,
            countries: Vec::new(),
        })
    })
}

/// Lon/lat to viewBox x/y; must match `project()` in `tools/make-basemap.mjs`.
pub(crate) fn project(map: &Basemap, lon: f64, lat: f64) -> (f64, f64) {
    let [west, south, east, north] = map.bbox;
    (
        (lon - west) / (east - west) * map.width,
        (north - lat) / (north - south) * map.height,
    )
}

/// Path data holds only the `M`, `L`, `Z` commands, digits, dots, commas and
/// minus signs written by the conversion script; anything else is refused so
/// the raw paste below cannot carry markup.
fn safe_path(d: &str) -> bool {
    d.bytes()
        .all(|b| matches!(b, b'0'..=b'9' | b'.' | b',' | b'-' | b'M' | b'L' | b'Z'))
}

pub(crate) fn render(incidents: &[IncidentSummary]) -> Markup {
    let map = basemap();
    let mut groups: BTreeMap<(i64, i64, bool), Vec<&IncidentSummary>> = BTreeMap::new();
    for i in incidents {
        if let Some([lon, lat]) = i.point {
            if !(lon.is_finite() && lat.is_finite()) {
                continue;
            }
            let region_level = i.point_precision.as_deref() != Some("stated");
            let key = (
                (lon * 100.0).round() as i64,
                (lat * 100.0).round() as i64,
                region_level,
            );
            groups.entry(key).or_default().push(i);
        }
    }
    let [west, south, east, north] = map.bbox;
    let graticule_lons: Vec<f64> = (0..)
        .map(|k| (west / 10.0).ceil() * 10.0 + 10.0 * f64::from(k))
        .take_while(|l| *l <= east)
        .collect();
    let graticule_lats: Vec<f64> = (0..)
        .map(|k| (south / 10.0).ceil() * 10.0 + 10.0 * f64::from(k))
        .take_while(|l| *l <= north)
        .collect();
    html! {
        svg.map viewBox={ "0 0 " (map.width) " " (map.height) } role="img" aria-labelledby="map-title" {
            title id="map-title" { "Reported strikes in the Caribbean and eastern Pacific" }
            rect.sea x="0" y="0" width=(map.width) height=(map.height) {}
            g.graticule {
                @for lon in &graticule_lons {
                    @let (x, _) = project(map, *lon, 0.0);
                    line x1=(format!("{x:.1}")) x2=(format!("{x:.1}")) y1="0" y2=(map.height) {}
                    text x=(format!("{:.1}", x + 3.0)) y=(map.height - 6.0) { (format!("{}°W", -lon)) }
                }
                @for lat in &graticule_lats {
                    @let (_, y) = project(map, 0.0, *lat);
                    line x1="0" x2=(map.width) y1=(format!("{y:.1}")) y2=(format!("{y:.1}")) {}
                    text x="4" y=(format!("{:.1}", y - 3.0)) { (format!("{}°{}", lat.abs(), if *lat < 0.0 { "S" } else { "N" })) }
                }
            }
            g.land {
                @for c in map.countries.iter().filter(|c| safe_path(&c.d)) {
                    path d=(PreEscaped(&c.d)) { title { (c.name) } }
                }
            }
            g.incidents {
                @for ((lon, lat, region_level), group) in &groups {
                    @let (x, y) = project(map, *lon as f64 / 100.0, *lat as f64 / 100.0);
                    @let killed: u32 = group.iter().filter_map(|i| i.killed.max).sum();
                    @if *region_level {
                        @let r = 18.0 + (group.len() as f64).sqrt() * 9.0;
                        @let region = group[0].region.as_deref().unwrap_or("unknown");
                        a href={ "/incidents?region=" (crate::params::encode(region)) } { g.placement.region {
                            title { (group.len()) " strikes placed at region level (" (crate::layout::region_label(group[0].region.as_deref())) "), " (killed) " killed; the exact place is not known" }
                            circle.area cx=(format!("{x:.1}")) cy=(format!("{y:.1}")) r=(format!("{r:.1}")) {}
                            text.count x=(format!("{x:.1}")) y=(format!("{:.1}", y + 5.0)) text-anchor="middle" { (group.len()) }
                        } }
                    } @else {
                        @for i in group {
                            a href={ "/incidents/" (crate::params::encode(&i.id)) } {
                                circle.stated cx=(format!("{x:.1}")) cy=(format!("{y:.1}")) r="5" {
                                    title { (i.id) " · stated coordinates" }
                                }
                            }
                        }
                    }
                }
            }
        }
        p.legend-note {
            "Dashed circles: strikes placed only by region (the number inside counts them). "
            "Solid dots: coordinates stated by a source. Basemap: Natural Earth 1:110m."
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_basemap_parses_and_is_safe() {
        let map: Basemap = serde_json::from_str(BASEMAP_JSON).unwrap();
        assert!(map.countries.len() > 10);
        assert!(map.countries.iter().all(|c| safe_path(&c.d)));
        assert!(map.countries.iter().any(|c| c.name == "Venezuela"));
    }

    #[test]
    fn projection_maps_corners() {
        let map = basemap();
        let (x, y) = project(map, -125.0, 35.0);
        assert!(x.abs() < 1e-9 && y.abs() < 1e-9);
        let (x, y) = project(map, -55.0, -5.0);
        assert!((x - map.width).abs() < 1e-9 && (y - map.height).abs() < 1e-9);
    }

    fn summary(id: &str, point: [f64; 2], precision: &str) -> IncidentSummary {
        serde_json::from_value(serde_json::json!({
            "id": id, "date": "2025-09-02", "date_from": null, "date_to": null,
            "region": "caribbean", "point": point, "point_precision": precision,
            "vessels": {"min": 1, "max": 1}, "killed": {"min": 3, "max": 3},
            "survivors": {"min": null, "max": null}, "official_killed": null,
            "grade": "declared", "report_count": 1, "official_report_count": 1,
            "conflicts": [], "sources": []
        }))
        .unwrap()
    }

    /// Only coordinates a source stated are drawn as a dot; a point known
    /// only from a region is drawn as the region's area, however many
    /// incidents share it.
    #[test]
    fn only_stated_coordinates_are_drawn_as_a_dot() {
        let region = render(&[
            summary("sw-a", [-68.0, 13.0], "region"),
            summary("sw-b", [-68.0, 13.0], "region"),
        ])
        .into_string();
        assert!(!region.contains("circle class=\"stated\""), "{region}");
        assert!(region.contains("the exact place is not known"));
        // A precision it does not know is not taken as stated.
        let unknown = render(&[summary("sw-c", [-68.0, 13.0], "guessed")]).into_string();
        assert!(!unknown.contains("circle class=\"stated\""));
        let stated = render(&[summary("sw-d", [-68.25, 12.5], "stated")]).into_string();
        assert_eq!(stated.matches("circle class=\"stated\"").count(), 1);
    }

    #[test]
    fn markup_in_path_data_is_refused() {
        assert!(!safe_path("M1,2L3,4\"/><script>"));
    }
}
