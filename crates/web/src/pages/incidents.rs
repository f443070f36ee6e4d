//! The incidents table (facets, filters, sorting, pages) and the incident page.

use std::collections::{BTreeMap, HashMap};

use axum::response::Response;
use chrono::NaiveDate;
use maud::{Markup, html};
use serde_json::json;
use strikewatch_model::ledger::{Grade, Incident, IncidentReport};
use strikewatch_model::read::{
    Filter, IncidentFacets, IncidentOrder, IncidentSort, IncidentSummary, SummaryPage,
};

use super::{Ctx, html};
use crate::cursor::{self, Position};
use crate::error::PageError;
use crate::format::{Csv, Format, json, opt, with_next_link};
use crate::highlight::excerpt;
use crate::layout::{
    evidence_href, opt_text, page, pager, range, region_label, sort_header, source_link,
};
use crate::params::{Params, encode, next_page};
use crate::stream::{CHUNK_ROWS, Export};

const GRADES: [Grade; 6] = [
    Grade::Declared,
    Grade::Corroborated,
    Grade::SingleSource,
    Grade::Contested,
    Grade::Retracted,
    Grade::Suspect,
];

/// The facets as the JSON twin and the sidebar show them: facet name to
/// value to count (a facet with no counted rows is left out).
fn facet_map(f: IncidentFacets) -> BTreeMap<&'static str, BTreeMap<String, usize>> {
    [("region", f.region), ("grade", f.grade), ("month", f.month)]
        .into_iter()
        .filter(|(_, counts)| !counts.is_empty())
        .collect()
}

pub(crate) const CSV_HEADER: [&str; 20] = [
    "id",
    "date",
    "date_from",
    "date_to",
    "region",
    "grade",
    "vessels_min",
    "vessels_max",
    "killed_min",
    "killed_max",
    "survivors_min",
    "survivors_max",
    "official_killed",
    "reports",
    "official_reports",
    "independent_reports",
    "conflicts",
    "longitude",
    "latitude",
    "point_precision",
];

pub(crate) fn csv_row(i: &IncidentSummary) -> Vec<String> {
    vec![
        i.id.clone(),
        opt(i.date),
        opt(i.date_from),
        opt(i.date_to),
        i.region.clone().unwrap_or_default(),
        i.grade.as_str().into(),
        opt(i.vessels.min),
        opt(i.vessels.max),
        opt(i.killed.min),
        opt(i.killed.max),
        opt(i.survivors.min),
        opt(i.survivors.max),
        opt(i.official_killed),
        i.report_count.to_string(),
        i.official_report_count.to_string(),
        (i.report_count.saturating_sub(i.official_report_count)).to_string(),
        i.conflicts.join(";"),
        opt(i.point.map(|p| p[0])),
        opt(i.point.map(|p| p[1])),
        i.point_precision.clone().unwrap_or_default(),
    ]
}

/// The order a query asks for, and its name in cursors.
fn order_of(params: &Params) -> (IncidentOrder, String) {
    let order = IncidentOrder {
        sort: IncidentSort::parse(params.sort.as_deref().unwrap_or("date")),
        descending: params.descending(),
    };
    let sort = serde_json::to_value(order.sort)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let dir = if order.descending { "desc" } else { "asc" };
    (order, format!("{sort}:{dir}"))
}

/// Every incident the filters match, in the order asked for, a chunk at a
/// time, each chunk read after the cursor of the one before.
pub(crate) fn export(ctx: &Ctx) -> Result<Export, PageError> {
    let params = &ctx.params;
    let filter = params.filter()?;
    let (order, order_name) = order_of(params);
    let mut after = cursor::stream_start(params.cursor.as_deref(), "incidents", &order_name)?;
    let ledger = ctx.state.ledger.clone();
    Ok(Export {
        name: "incidents",
        header: &CSV_HEADER,
        next: Box::new(move |out| {
            let chunk = Filter {
                limit: Some(CHUNK_ROWS),
                after: after.take(),
                ..filter.clone()
            };
            let SummaryPage { rows, next, .. } = ledger.incident_summaries(&chunk, order)?;
            for i in &rows {
                out.row(i, csv_row);
            }
            after = next;
            Ok(after.is_some())
        }),
    })
}

pub(crate) fn list(ctx: &Ctx) -> Result<Response, PageError> {
    let params = &ctx.params;
    let filter = params.filter()?;
    let (page_no, per_page) = params.paging()?;
    let (order, order_name) = order_of(params);
    let at = cursor::decode(params.cursor.as_deref(), "incidents", &order_name)?;
    let paged = Filter {
        limit: Some(per_page),
        offset: Some((page_no - 1).saturating_mul(per_page)),
        after: at.and_then(|p| p.after),
        ..filter.clone()
    };
    let SummaryPage { rows, total, next } = ctx.state.ledger.incident_summaries(&paged, order)?;
    let next_cursor = next.map(|after| {
        cursor::encode(
            "incidents",
            &order_name,
            Position {
                after: Some(after),
                ..Position::default()
            },
        )
    });
    let next_cursor = next_cursor.as_deref();
    // The CSV twin is the table's rows only; no facets needed there.
    let facet_counts = match ctx.format {
        Format::Csv => BTreeMap::new(),
        _ => facet_map(ctx.state.ledger.incident_facets(&filter)?),
    };
    match ctx.format {
        Format::Json => Ok(json(&json!({
            "total": total, "page": page_no, "per_page": per_page,
            "next": next_page("/incidents.json", params, page_no, per_page, total, next_cursor),
            "next_cursor": next_cursor,
            "filter": filter, "facets": facet_counts, "incidents": rows,
        }))),
        Format::Csv => {
            let mut csv = Csv::new(&CSV_HEADER);
            for i in &rows {
                csv.row(csv_row(i));
            }
            let next = next_cursor
                .map(|c| format!("/incidents.csv{}", params.next_query(page_no, Some(c))));
            Ok(with_next_link(csv.finish("incidents"), next.as_deref()))
        }
        Format::Html => {
            let body = html! {
                (crate::as_of::banner("/incidents", &ctx.params))
                (filter_form(params))
                div.layout {
                    aside.facets { (facet_box(params, &facet_counts)) }
                    section {
                        (pager("/incidents", params, page_no, per_page, total, next_cursor))
                        (table(params, &rows))
                    }
                }
            };
            Ok(html(page(
                &ctx.state.title,
                "Incidents",
                Some(("/incidents", &params.query())),
                body,
            )))
        }
    }
}

fn filter_form(params: &Params) -> Markup {
    let selected = |v: &Option<String>, x: &str| v.as_deref() == Some(x);
    html! {
        form.filters method="get" action="/incidents" {
            label { "From " input type="date" name="from" value=(params.from.clone().unwrap_or_default()); }
            label { "To " input type="date" name="to" value=(params.to.clone().unwrap_or_default()); }
            label { "Region "
                select name="region" {
                    option value="" { "any" }
                    @for r in ["caribbean", "eastern_pacific", "unknown"] {
                        option value=(r) selected[selected(&params.region, r)] { (region_label(if r == "unknown" { None } else { Some(r) })) }
                    }
                }
            }
            label { "Grade "
                select name="grade" {
                    option value="" { "any" }
                    @for g in GRADES {
                        option value=(g.as_str()) selected[selected(&params.grade, g.as_str())] { (g.as_str().replace('_', " ")) }
                    }
                }
            }
            @if let Some(m) = &params.month { input type="hidden" name="month" value=(m); }
            button type="submit" { "Filter" }
            " " a href="/incidents" { "clear" }
        }
    }
}

fn facet_label(facet: &str, value: &str) -> String {
    match facet {
        "region" => region_label(if value == "unknown" {
            None
        } else {
            Some(value)
        }),
        "grade" => value.replace('_', " "),
        _ => value.to_string(),
    }
}

fn facet_box(params: &Params, counts: &BTreeMap<&'static str, BTreeMap<String, usize>>) -> Markup {
    html! {
        @for (facet, title) in [("region", "Region"), ("grade", "Grade"), ("month", "Month")] {
            @let active = match facet { "region" => params.region.clone(), "grade" => params.grade.clone(), _ => params.month.clone() };
            h2 { (title) }
            ul {
                @if let Some(a) = &active {
                    li.active { (facet_label(facet, a)) " " a href={ "/incidents" (params.with(facet, None).query()) } { "× remove" } }
                }
                @for (value, n) in counts.get(facet).into_iter().flatten() {
                    @if active.as_deref() != Some(value.as_str()) {
                        li { a href={ "/incidents" (params.with(facet, Some(value)).query()) } { (facet_label(facet, value)) } " " span.count { (n) } }
                    }
                }
            }
        }
    }
}

fn table(params: &Params, rows: &[IncidentSummary]) -> Markup {
    html! {
        div.scroll {
            table.incidents {
                thead { tr {
                    (sort_header("/incidents", params, "date", "Date"))
                    (sort_header("/incidents", params, "region", "Region"))
                    th { "Vessels" }
                    (sort_header("/incidents", params, "killed", "Killed"))
                    th { "Survivors" }
                    (sort_header("/incidents", params, "grade", "Grade"))
                    (sort_header("/incidents", params, "reports", "Reports"))
                } }
                tbody {
                    @for i in rows {
                        tr data-id=(i.id) {
                            td { a href={ "/incidents/" (encode(&i.id)) } { (days_label(i.date, i.date_from, i.date_to)) } }
                            td { (region_label(i.region.as_deref())) }
                            td.num { (range(&i.vessels)) }
                            td.num { (range(&i.killed)) }
                            td.num { (range(&i.survivors)) }
                            td { span class={ "grade " (i.grade.as_str()) } { (i.grade.as_str().replace('_', " ")) } }
                            td.num { (i.report_count) }
                        }
                    }
                }
            }
        }
        @if rows.is_empty() { p.empty { "No incident matches these filters." } }
    }
}

pub(crate) fn date_label(i: &Incident) -> String {
    days_label(i.date, i.date_from, i.date_to)
}

pub(crate) fn summary_date_label(i: &IncidentSummary) -> String {
    days_label(i.date, i.date_from, i.date_to)
}

fn days_label(date: Option<NaiveDate>, from: Option<NaiveDate>, to: Option<NaiveDate>) -> String {
    match (date, from, to) {
        (Some(d), _, _) => d.to_string(),
        (None, Some(a), Some(b)) if a != b => format!("{a} – {b}"),
        (None, Some(a), _) => a.to_string(),
        _ => "date unknown".into(),
    }
}

/// The incident as JSON with one page of its reports (`page`, `per_page`,
/// as on the HTML page): `reports_total` counts them all and `next` links
/// the following page, so an incident with thousands of reports is read in
/// bounded pieces.
fn json_page(ctx: &Ctx, id: &str, incident: &Incident) -> Result<Response, PageError> {
    let (page_no, per_page) = ctx.params.paging()?;
    let total = incident.reports.len();
    let start = (page_no - 1).saturating_mul(per_page).min(total);
    let end = start.saturating_add(per_page).min(total);
    let mut value =
        serde_json::to_value(incident).map_err(|e| PageError::Internal(e.to_string()))?;
    value["reports"] = serde_json::to_value(&incident.reports[start..end])
        .map_err(|e| PageError::Internal(e.to_string()))?;
    value["reports_total"] = total.into();
    value["next"] = if end < total {
        format!(
            "/incidents/{}.json{}",
            encode(id),
            ctx.params
                .with("page", Some(&(page_no + 1).to_string()))
                .query()
        )
        .into()
    } else {
        serde_json::Value::Null
    };
    Ok(json(&value))
}

pub(crate) fn detail(ctx: &Ctx, id: &str) -> Result<Response, PageError> {
    let incident = ctx
        .state
        .ledger
        .incident(id)?
        .ok_or_else(|| PageError::NotFound(format!("incident {id}")))?;
    match ctx.format {
        Format::Json => json_page(ctx, id, &incident),
        Format::Csv => {
            let mut csv = Csv::new(&[
                "incident_id",
                "document_id",
                "report_index",
                "url",
                "title",
                "published",
                "source_kind",
                "official",
                "role",
                "date",
                "date_text",
                "region",
                "vessels",
                "killed",
                "survivors",
            ]);
            for r in &incident.reports {
                csv.row([
                    incident.id.clone(),
                    r.document_id.clone(),
                    r.report_index.to_string(),
                    r.url.clone().unwrap_or_default(),
                    r.title.clone().unwrap_or_default(),
                    opt(r.published),
                    r.source_kind.as_str().into(),
                    r.official.to_string(),
                    if r.role == strikewatch_model::ReportRole::Main {
                        "main".into()
                    } else {
                        "background".into()
                    },
                    opt(r.date),
                    r.date_text.clone().unwrap_or_default(),
                    r.region.clone().unwrap_or_default(),
                    opt(r.vessels),
                    opt(r.killed),
                    opt(r.survivors),
                ]);
            }
            Ok(csv.finish(&format!(
                "incident-{}",
                incident
                    .id
                    .replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "_")
            )))
        }
        Format::Html => {
            let path = format!("/incidents/{}", encode(&incident.id));
            let title = format!(
                "Strike of {} · {}",
                date_label(&incident),
                region_label(incident.region.as_deref())
            );
            let body = incident_body(ctx, &path, &incident)?;
            Ok(html(page(
                &ctx.state.title,
                &title,
                Some((&path, "")),
                body,
            )))
        }
    }
}

/// Reports shown on one page of an incident: an incident gathering
/// hundreds of documents pages through them instead of quoting them all.
const REPORTS_PER_PAGE: usize = 25;

fn incident_body(ctx: &Ctx, path: &str, i: &Incident) -> Result<Markup, PageError> {
    let (official, independent): (Vec<&IncidentReport>, Vec<&IncidentReport>) =
        i.reports.iter().partition(|r| r.official);
    // Official reports first, then independent ones, a page at a time.
    let (page_no, _) = ctx.params.paging()?;
    let per_page = REPORTS_PER_PAGE;
    let skip = (page_no - 1).saturating_mul(per_page);
    let shown: Vec<(bool, &IncidentReport)> = official
        .iter()
        .map(|r| (true, *r))
        .chain(independent.iter().map(|r| (false, *r)))
        .skip(skip)
        .take(per_page)
        .collect();
    // The texts of every document quoted on this page, read at once.
    let mut ids: Vec<&str> = shown.iter().map(|(_, r)| r.document_id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    let texts: HashMap<String, String> = ctx
        .state
        .ledger
        .document_texts(&ids)
        .unwrap_or_default()
        .into_iter()
        .collect();
    let shown_official: Vec<&IncidentReport> =
        shown.iter().filter(|(o, _)| *o).map(|(_, r)| *r).collect();
    let shown_independent: Vec<&IncidentReport> =
        shown.iter().filter(|(o, _)| !*o).map(|(_, r)| *r).collect();
    let paging = i.reports.len() > per_page;
    Ok(html! {
        dl.figures {
            div { dt { "Killed" } dd { (range(&i.killed)) } }
            div { dt { "Vessels" } dd { (range(&i.vessels)) } }
            div { dt { "Survivors" } dd { (range(&i.survivors)) } }
            div { dt { "Official figure (killed)" } dd { (opt_text(i.official_killed)) } }
            div { dt { "Grade" } dd { span class={ "grade " (i.grade.as_str()) } { (i.grade.as_str().replace('_', " ")) } } }
            div { dt { "Reports" } dd { (official.len()) " official · " (independent.len()) " independent" } }
        }
        p.citation { "Incident id: " code { (i.id) } }
        @if let Some(s) = &i.suspect {
            p.suspect {
                @if i.grade == Grade::Suspect {
                    strong { "Suspect, left out of the headline sums and charts: " }
                } @else {
                    strong { "Flagged suspect, confirmed by a reviewer: " }
                }
                (s.reason) " (" code { (s.rule) } ")"
            }
        }
        @if !i.parts.is_empty() {
            p.parts { "One announcement covering several seas; the toll is the combined one, counted once. "
                @for (n, part) in i.parts.iter().enumerate() {
                    @if n > 0 { "; " }
                    (region_label(Some(&part.region)))
                    @if let Some(v) = part.vessels { ": " (v) " vessel" @if v != 1 { "s" } }
                    @if let Some(k) = part.killed { ", " (k) " killed" } @else { ", split of the toll not given" }
                }
            }
        }
        @if !i.conflicts.is_empty() {
            h2 { "Where sources disagree" }
            div.scroll { table.conflicts {
                thead { tr { th { "Field" } th { "Official (striking party)" } th { "Independent" } } }
                tbody {
                    @for c in &i.conflicts {
                        tr {
                            th scope="row" { (c.field) }
                            @for side in [true, false] {
                                td { ul {
                                    @for v in c.values.iter().filter(|v| v.official == side) {
                                        li { strong { (v.value) } " — "
                                            @for (n, d) in v.documents.iter().enumerate() {
                                                @if n > 0 { ", " }
                                                a href={ "/documents/" (encode(d)) } { (d) }
                                            }
                                        }
                                    }
                                } }
                            }
                        }
                    }
                }
            } }
        }
        @if !i.corrections.is_empty() {
            h2 { "Corrections" }
            ul { @for c in &i.corrections { li { (c.field) ": " (c.from) " → " (c.to) " (" a href={ "/documents/" (encode(&c.document_id)) } { (c.document_id) } ")" } } }
        }
        @if !i.notes.is_empty() {
            h2 { "Review notes" }
            ul { @for n in &i.notes { li { (n) } } }
        }
        (crate::as_of::history_section(&ctx.state.ledger.incident_history(&i.id)?))
        h2 { "Reports" }
        @if paging { (pager(path, &ctx.params, page_no, per_page, i.reports.len(), None)) }
        @for (label, group) in [("Official", &shown_official), ("Independent", &shown_independent)] {
            @if !group.is_empty() {
                h3 { (label) }
                @for r in group.iter() { (report(r, texts.get(&r.document_id).map(String::as_str))) }
            }
        }
        @if paging { (pager(path, &ctx.params, page_no, per_page, i.reports.len(), None)) }
    })
}

/// A report from a private document: its facts, no text and no link.
fn non_public_report(r: &IncidentReport) -> Markup {
    html! {
        article.report.non-public {
            h4 { "Supported by a non-public source" }
            p.meta {
                (r.source_kind.as_str()) " · "
                (if r.role == strikewatch_model::ReportRole::Main { "main report" } else { "background mention" })
                " · its text is kept from publication to protect the source"
            }
            p.values {
                "date " (opt_text(r.date)) " · region " (region_label(r.region.as_deref()))
                " · vessels " (opt_text(r.vessels)) " · killed " (opt_text(r.killed)) " · survivors " (opt_text(r.survivors))
            }
        }
    }
}

/// One report with its evidence quoted from `text` (its document's text,
/// when held).
fn report(r: &IncidentReport, text: Option<&str>) -> Markup {
    if strikewatch_model::public::is_non_public(r) {
        return non_public_report(r);
    }
    let title = r.title.clone().unwrap_or_else(|| r.document_id.clone());
    html! {
        article.report {
            h4 { (source_link(r.url.as_deref(), &title)) }
            p.meta {
                (opt_text(r.published)) " · " (r.source_kind.as_str()) " · "
                (if r.role == strikewatch_model::ReportRole::Main { "main report" } else { "background mention" })
                " · " a href={ "/documents/" (encode(&r.document_id)) } { "document " (r.document_id) }
            }
            p.values {
                "date " (opt_text(r.date)) " · region " (region_label(r.region.as_deref()))
                " · vessels " (opt_text(r.vessels)) " · killed " (opt_text(r.killed)) " · survivors " (opt_text(r.survivors))
            }
            @for (field, span) in &r.evidence {
                div.evidence {
                    span.field { (field) }
                    @if let Some(text) = text.and_then(|t| excerpt(t, span.start, span.end, field)) {
                        blockquote { (text) }
                    } @else {
                        blockquote { mark.ev.active { (span.text) } }
                    }
                    a.open href=(evidence_href(&r.document_id, span.start, span.end)) { "open in document" }
                }
            }
        }
    }
}
