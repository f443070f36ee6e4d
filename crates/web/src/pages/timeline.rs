//! The timeline of strikes and the cumulative-deaths chart, with the series
//! behind them as a table (and as the `.json`/`.csv` twins).

use axum::response::Response;
use maud::html;
use strikewatch_model::read::Filter;

use super::{Ctx, html};
use crate::charts;
use crate::error::PageError;
use crate::format::{Csv, Format, json, opt};
use crate::layout::{self, region_label};
use crate::params::encode;

pub(crate) fn page(ctx: &Ctx) -> Result<Response, PageError> {
    let filter = ctx.params.filter()?;
    let incidents = super::summaries(&ctx.state, &filter)?;
    let points = charts::series(&incidents);
    match ctx.format {
        Format::Json => Ok(json(&points)),
        Format::Csv => {
            let mut csv = Csv::new(&[
                "date",
                "incident_id",
                "region",
                "killed_min",
                "killed_max",
                "official_killed",
                "cumulative_min",
                "cumulative_max",
                "cumulative_official",
            ]);
            for p in &points {
                csv.row([
                    p.date.to_string(),
                    p.incident_id.clone(),
                    p.region.clone().unwrap_or_default(),
                    p.killed_min.to_string(),
                    p.killed_max.to_string(),
                    opt(p.official_killed),
                    p.cumulative_min.to_string(),
                    p.cumulative_max.to_string(),
                    p.cumulative_official.to_string(),
                ]);
            }
            Ok(csv.finish("timeline"))
        }
        Format::Html => {
            let stated_filter = Filter {
                from: filter.from,
                to: filter.to,
                ..Filter::default()
            };
            let stated = ctx.state.ledger.reconciliation(&stated_filter)?;
            let body = html! {
                (crate::as_of::banner("/timeline", &ctx.params))
                h2 { "Strikes" }
                (charts::timeline(&points))
                h2 { "Cumulative deaths" }
                (charts::cumulative(&points, &stated))
                h2 { "The series" }
                div.scroll { table {
                    thead { tr { th { "Date" } th { "Region" } th { "Killed" } th { "Official" } th { "Cumulative (min–max)" } th { "Cumulative official" } } }
                    tbody { @for p in &points { tr {
                        td { a href={ "/incidents/" (encode(&p.incident_id)) } { (p.date) } }
                        td { (region_label(p.region.as_deref())) }
                        td.num { (p.killed_min) @if p.killed_max != p.killed_min { "–" (p.killed_max) } }
                        td.num { (layout::opt_text(p.official_killed)) }
                        td.num { (p.cumulative_min) "–" (p.cumulative_max) }
                        td.num { (p.cumulative_official) }
                    } } }
                } }
            };
            Ok(html(layout::page(
                &ctx.state.title,
                "Timeline",
                Some(("/timeline", &ctx.params.query())),
                body,
            )))
        }
    }
}
