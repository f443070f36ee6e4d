//! Server-side SVG charts: a timeline of strikes and cumulative deaths
//! (ledger min–max band against the striking party's figures and stated
//! running totals). Plain SVG: printable, readable without JavaScript.

use chrono::{Datelike, NaiveDate};
use maud::{Markup, html};
use strikewatch_model::ledger::{GapCause, Reconciliation};
use strikewatch_model::read::IncidentSummary;

const W: f64 = 900.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 30.0;

/// One point of the cumulative series, per incident in date order.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct SeriesPoint {
    pub date: NaiveDate,
    pub incident_id: String,
    pub region: Option<String>,
    pub killed_min: u32,
    pub killed_max: u32,
    pub official_killed: Option<u32>,
    pub cumulative_min: u32,
    pub cumulative_max: u32,
    pub cumulative_official: u32,
}

/// Incidents with a date that count in the headline (suspect and retracted
/// ones are left out), in date order, with running sums.
pub(crate) fn series(incidents: &[IncidentSummary]) -> Vec<SeriesPoint> {
    let mut dated: Vec<(NaiveDate, &IncidentSummary)> = incidents
        .iter()
        .filter(|i| i.grade.in_headline())
        .filter_map(|i| i.date.or(i.date_from).map(|d| (d, i)))
        .collect();
    dated.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)));
    let (mut cmin, mut cmax, mut coff) = (0u32, 0u32, 0u32);
    dated
        .into_iter()
        .map(|(date, i)| {
            let kmin = i.killed.min.or(i.killed.max).unwrap_or(0);
            let kmax = i.killed.max.or(i.killed.min).unwrap_or(0);
            cmin = cmin.saturating_add(kmin);
            cmax = cmax.saturating_add(kmax);
            coff = coff.saturating_add(i.official_killed.unwrap_or(0));
            SeriesPoint {
                date,
                incident_id: i.id.clone(),
                region: i.region.clone(),
                killed_min: kmin,
                killed_max: kmax,
                official_killed: i.official_killed,
                cumulative_min: cmin,
                cumulative_max: cmax,
                cumulative_official: coff,
            }
        })
        .collect()
}

struct TimeScale {
    start: NaiveDate,
    days: f64,
}

impl TimeScale {
    fn new(first: NaiveDate, last: NaiveDate) -> TimeScale {
        let start = first.pred_opt().unwrap_or(first);
        let days = ((last - start).num_days() + 2).max(1) as f64;
        TimeScale { start, days }
    }

    fn x(&self, d: NaiveDate) -> f64 {
        LEFT + (d - self.start).num_days() as f64 / self.days * (W - LEFT - RIGHT)
    }

    /// First days of each month inside the scale.
    fn month_ticks(&self) -> Vec<NaiveDate> {
        let end = self.start + chrono::Duration::days(self.days as i64);
        let mut ticks = Vec::new();
        let mut d = NaiveDate::from_ymd_opt(self.start.year(), self.start.month(), 1);
        while let Some(day) = d {
            if day > end {
                break;
            }
            if day >= self.start {
                ticks.push(day);
            }
            d = if day.month() == 12 {
                NaiveDate::from_ymd_opt(day.year() + 1, 1, 1)
            } else {
                NaiveDate::from_ymd_opt(day.year(), day.month() + 1, 1)
            };
        }
        ticks
    }
}

fn y_of(value: f64, max: f64, height: f64) -> f64 {
    height - BOTTOM - value / max * (height - TOP - BOTTOM)
}

/// A round axis maximum and step for values up to `max`.
fn nice(max: u32) -> (f64, f64) {
    let max = f64::from(max.max(1));
    let raw = max / 4.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    ((max / step).ceil() * step, step)
}

fn axes(scale: &TimeScale, ymax: f64, step: f64, height: f64) -> Markup {
    let mut ys = Vec::new();
    let mut v = 0.0;
    while v <= ymax + 0.01 {
        ys.push(v);
        v += step;
    }
    html! {
        g.axis {
            @for v in &ys {
                @let y = y_of(*v, ymax, height);
                line.grid x1=(LEFT) x2=(W - RIGHT) y1=(fmt(y)) y2=(fmt(y)) {}
                text x=(LEFT - 6.0) y=(fmt(y + 4.0)) text-anchor="end" { (v) }
            }
            @for t in scale.month_ticks() {
                @let x = scale.x(t);
                line x1=(fmt(x)) x2=(fmt(x)) y1=(height - BOTTOM) y2=(height - BOTTOM + 5.0) {}
                text x=(fmt(x + 2.0)) y=(height - 8.0) { (t.format("%b %Y")) }
            }
        }
    }
}

fn fmt(v: f64) -> String {
    format!("{v:.1}")
}

fn empty(label: &str) -> Markup {
    html! { p.empty { "No dated incidents to draw for " (label) "." } }
}

/// Bars per strike (height = killed, max in light and min in dark), by region.
pub(crate) fn timeline(points: &[SeriesPoint]) -> Markup {
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return empty("the timeline");
    };
    let height = 220.0;
    let scale = TimeScale::new(first.date, last.date);
    let (ymax, step) = nice(points.iter().map(|p| p.killed_max).max().unwrap_or(1));
    let bar = ((W - LEFT - RIGHT) / scale.days).clamp(2.0, 8.0);
    html! {
        svg.chart.timeline viewBox={ "0 0 " (W) " " (height) } role="img" aria-labelledby="timeline-title" {
            title id="timeline-title" { "Strikes over time; bar height is the number killed" }
            (axes(&scale, ymax, step, height))
            @for p in points {
                @let x = scale.x(p.date) - bar / 2.0;
                @let ytop = y_of(f64::from(p.killed_max), ymax, height);
                @let ymin = y_of(f64::from(p.killed_min), ymax, height);
                @let base = height - BOTTOM;
                a href={ "/incidents/" (crate::params::encode(&p.incident_id)) } {
                    g class={ "bar " (p.region.as_deref().unwrap_or("unknown")) } {
                        title { (p.date) " · " (crate::layout::region_label(p.region.as_deref())) " · killed "
                            (p.killed_min) @if p.killed_max != p.killed_min { "–" (p.killed_max) } }
                        rect.max x=(fmt(x)) y=(fmt(ytop)) width=(fmt(bar)) height=(fmt((base - ytop).max(1.0))) {}
                        rect.min x=(fmt(x)) y=(fmt(ymin)) width=(fmt(bar)) height=(fmt((base - ymin).max(0.0))) {}
                    }
                }
            }
        }
        ul.legend {
            li { span.swatch.caribbean {} "Caribbean" }
            li { span.swatch.eastern_pacific {} "Eastern Pacific" }
            li { span.swatch.unknown {} "Region not stated" }
        }
    }
}

/// Cumulative deaths: the ledger's min–max band, the running sum of the
/// striking party's own figures, and running totals as sources stated them.
pub(crate) fn cumulative(points: &[SeriesPoint], stated: &[Reconciliation]) -> Markup {
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return empty("cumulative deaths");
    };
    let height = 300.0;
    let stated: Vec<(NaiveDate, u32, &Reconciliation)> = stated
        .iter()
        .filter_map(|r| Some((r.as_of?, r.stated_killed?, r)))
        .collect();
    let first_date = stated
        .iter()
        .map(|s| s.0)
        .chain([first.date])
        .min()
        .unwrap_or(first.date);
    let last_date = stated
        .iter()
        .map(|s| s.0)
        .chain([last.date])
        .max()
        .unwrap_or(last.date);
    let scale = TimeScale::new(first_date, last_date);
    let top = points
        .iter()
        .map(|p| p.cumulative_max)
        .chain(stated.iter().map(|s| s.1))
        .max()
        .unwrap_or(1);
    let (ymax, step) = nice(top);
    let y = |v: u32| fmt(y_of(f64::from(v), ymax, height));
    let end_x = fmt(W - RIGHT);
    // Step lines: flat until the next strike, then up.
    let step_path = |get: fn(&SeriesPoint) -> u32| {
        let mut d = format!("M{},{}", fmt(scale.x(first_date)), y(0));
        let mut prev = 0;
        for p in points {
            let x = fmt(scale.x(p.date));
            d.push_str(&format!("L{x},{}L{x},{}", y(prev), y(get(p))));
            prev = get(p);
        }
        d.push_str(&format!("L{end_x},{}", y(prev)));
        d
    };
    let upper = step_path(|p| p.cumulative_max);
    let lower = step_path(|p| p.cumulative_min);
    // The band: along the max line, then back along the min line.
    let mut band = upper.clone();
    let mut back: Vec<(String, String)> = Vec::new();
    let mut prev = 0;
    back.push((fmt(scale.x(first_date)), y(0)));
    for p in points {
        let x = fmt(scale.x(p.date));
        back.push((x.clone(), y(prev)));
        back.push((x, y(p.cumulative_min)));
        prev = p.cumulative_min;
    }
    back.push((end_x.clone(), y(prev)));
    for (x, yy) in back.iter().rev() {
        band.push_str(&format!("L{x},{yy}"));
    }
    band.push('Z');
    let official = step_path(|p| p.cumulative_official);
    html! {
        svg.chart.cumulative viewBox={ "0 0 " (W) " " (height) } role="img" aria-labelledby="cumulative-title" {
            title id="cumulative-title" { "Cumulative deaths: ledger range, official figures and stated totals" }
            (axes(&scale, ymax, step, height))
            path.band d=(band) {}
            path.ledger-max d=(upper) {}
            path.ledger-min d=(lower) {}
            path.official d=(official) {}
            @for (date, killed, r) in &stated {
                a href=(crate::layout::evidence_href(&r.document_id, r.span.start, r.span.end)) {
                    circle class=(cause_class(r)) cx=(fmt(scale.x(*date))) cy=(y(*killed)) r="4" {
                        title { (date) ": " (killed) " killed, as stated in " (r.document_id)
                            @if let Some(c) = r.cause { " — " (c.as_str().replace('_', " ")) } }
                    }
                }
            }
        }
        ul.legend {
            li { span.swatch.band {} "Ledger range (min–max over sources)" }
            li { span.swatch.official {} "Striking party's own figures, summed" }
            li { span.swatch.stated {} "Running totals as stated by a source" }
            @for cause in causes_shown(&stated) {
                li { span class={ "swatch stated " (cause.as_str()) } {} (cause.as_str().replace('_', " ")) }
            }
        }
    }
}

/// The CSS classes of a stated total's point: `stated` and its cause.
fn cause_class(r: &Reconciliation) -> String {
    match r.cause {
        Some(c) => format!("stated {}", c.as_str()),
        None => "stated".to_string(),
    }
}

/// The causes among the points drawn, in their fixed order.
fn causes_shown(stated: &[(NaiveDate, u32, &Reconciliation)]) -> Vec<GapCause> {
    GapCause::ALL
        .into_iter()
        .filter(|c| stated.iter().any(|(_, _, r)| r.cause == Some(*c)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_axis_covers_the_maximum() {
        for m in [1, 7, 11, 99, 144, 1000] {
            let (top, step) = nice(m);
            assert!(top >= f64::from(m), "{m}");
            assert!(step > 0.0);
        }
    }
}
