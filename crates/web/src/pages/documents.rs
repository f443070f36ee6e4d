//! The document viewer: the normalized text with every evidence span marked,
//! and the spans asked for with `?hl=start-end` drawn stronger.

use axum::response::Response;
use maud::html;
use serde_json::json;

use super::{Ctx, html};
use crate::error::PageError;
use crate::format::{Csv, Format, json};
use crate::highlight::{Mark, highlighted, parse_hl};
use crate::layout::{self, opt_text, source_link};
use crate::params::encode;

pub(crate) fn viewer(ctx: &Ctx, id: &str) -> Result<Response, PageError> {
    let ledger = &ctx.state.ledger;
    let doc = ledger
        .document(id)?
        .ok_or_else(|| PageError::NotFound(format!("document {id}")))?;
    let evidence = ledger.document_evidence(id)?;
    match ctx.format {
        Format::Json => Ok(json(&json!({ "document": doc, "evidence": evidence }))),
        Format::Csv => {
            let mut csv = Csv::new(&[
                "document_id",
                "label",
                "incident_id",
                "start",
                "end",
                "text",
            ]);
            for e in &evidence {
                csv.row([
                    doc.id.clone(),
                    e.label.clone(),
                    e.incident_id.clone().unwrap_or_default(),
                    e.span.start.to_string(),
                    e.span.end.to_string(),
                    e.span.text.clone(),
                ]);
            }
            Ok(csv.finish("document-evidence"))
        }
        Format::Html => {
            let wanted = parse_hl(ctx.params.hl.as_deref());
            let mut marks: Vec<Mark<'_>> = evidence
                .iter()
                .map(|e| Mark {
                    start: e.span.start,
                    end: e.span.end,
                    label: &e.label,
                    active: wanted.contains(&(e.span.start, e.span.end)),
                })
                .collect();
            for (start, end) in &wanted {
                if !marks.iter().any(|m| m.start == *start && m.end == *end) {
                    marks.push(Mark {
                        start: *start,
                        end: *end,
                        label: "highlighted",
                        active: true,
                    });
                }
            }
            let title = doc.title.clone().unwrap_or_else(|| doc.id.clone());
            let path = format!("/documents/{}", encode(&doc.id));
            let body = html! {
                p.meta {
                    (source_link(doc.url.as_deref(), "original source")) " · published "
                    (opt_text(doc.publication_date())) " · " (doc.source_kind.as_str()) " · language " (doc.language)
                    @if let Some(s) = &doc.source { " · " (s) }
                }
                @if let Some(sha) = &doc.capture_sha256 { p.meta { "capture SHA-256 " code { (sha) } } }
                p.meta { (evidence.len()) " evidence spans marked; hover a mark to see what it supports." }
                div.doctext lang=(doc.language) { (highlighted(&doc.text, &marks)) }
                @let incidents: std::collections::BTreeSet<&str> = evidence.iter().filter_map(|e| e.incident_id.as_deref()).collect();
                @if !incidents.is_empty() {
                    h2 { "Incidents this document reports" }
                    ul { @for i in incidents { li { a href={ "/incidents/" (encode(i)) } { (i) } } } }
                }
            };
            Ok(html(layout::page(
                &ctx.state.title,
                &title,
                Some((&path, "")),
                body,
            )))
        }
    }
}
