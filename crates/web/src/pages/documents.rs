//! The document viewer: the normalized text with every evidence span marked,
//! and the spans asked for with `?hl=start-end` drawn stronger.

use axum::response::Response;
use maud::html;
use serde_json::json;

use super::{Ctx, html};
use crate::diff::{Op, Piece, shorten_same, unchanged, word_diff};
use crate::error::PageError;
use crate::format::{Csv, Format, json};
use crate::highlight::{Mark, highlighted, parse_hl};
use crate::layout::{self, opt_text, source_link};
use crate::params::encode;
use strikewatch_model::versions::DocumentHistory;

pub(crate) fn viewer(ctx: &Ctx, id: &str) -> Result<Response, PageError> {
    let ledger = &ctx.state.ledger;
    let doc = ledger
        .document(id)?
        .ok_or_else(|| PageError::NotFound(format!("document {id}")))?;
    let evidence = ledger.document_evidence(id)?;
    let history = ledger.document_history(id)?;
    // Each version after the first, compared word by word with the one before.
    let diffs: Vec<Vec<Piece>> = history
        .as_ref()
        .map(|h| {
            h.versions
                .windows(2)
                .map(|w| word_diff(&w[0].text, &w[1].text))
                .collect()
        })
        .unwrap_or_default();
    match ctx.format {
        Format::Json => Ok(json(&json!({
            "document": doc,
            "evidence": evidence,
            "history": history.as_ref().map(|h| history_json(h, &diffs)),
        }))),
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
                @if let Some(h) = history.as_ref().filter(|h| h.is_gone()) { (gone_mark(h)) }
                p.meta { (evidence.len()) " evidence spans marked; hover a mark to see what it supports." }
                div.doctext lang=(doc.language) { (highlighted(&doc.text, &marks)) }
                @let incidents: std::collections::BTreeSet<&str> = evidence.iter().filter_map(|e| e.incident_id.as_deref()).collect();
                @if !incidents.is_empty() {
                    h2 { "Incidents this document reports" }
                    ul { @for i in incidents { li { a href={ "/incidents/" (encode(i)) } { (i) } } } }
                }
                @if let Some(h) = &history { (versions_section(h, &diffs)) }
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

/// The JSON twin of a document's versions: dates, hashes, texts, and each
/// version's word-level changes from the one before.
fn history_json(h: &DocumentHistory, diffs: &[Vec<Piece>]) -> serde_json::Value {
    let versions: Vec<serde_json::Value> = h
        .versions
        .iter()
        .enumerate()
        .map(|(i, v)| {
            json!({
                "version": v.version,
                "sha256": v.sha256,
                "first_seen": v.first_seen,
                "last_seen": v.last_seen,
                "text": v.text,
                "changes_from_previous": i.checked_sub(1).and_then(|p| diffs.get(p)),
            })
        })
        .collect();
    json!({
        "url": h.url,
        "state": h.state,
        "gone_since": h.gone_since,
        "gone_detail": h.gone_detail,
        "versions": versions,
    })
}

/// `2025-10-16T15:00:00.123Z` as `2025-10-16 15:00 UTC`.
fn when(stamp: &str) -> String {
    match (stamp.get(..10), stamp.get(11..16)) {
        (Some(day), Some(time)) if stamp.ends_with('Z') => format!("{day} {time} UTC"),
        _ => stamp.to_string(),
    }
}

fn gone_mark(h: &DocumentHistory) -> maud::Markup {
    html! {
        p.gone {
            strong { "Gone since " (h.gone_since.as_deref().map(when).unwrap_or_else(|| "an unknown date".into())) }
            @if let Some(d) = &h.gone_detail { ": " (d) }
            ". The archive keeps every version captured before."
        }
    }
}

fn versions_section(h: &DocumentHistory, diffs: &[Vec<Piece>]) -> maud::Markup {
    html! {
        section.versions id="versions" {
            h2 { "Versions" }
            p.meta { "Captured from " (source_link(Some(&h.url), &h.url)) "; "
                (h.versions.len()) @if h.versions.len() == 1 { " version" } @else { " versions" } " seen." }
            table {
                thead { tr { th { "version" } th { "first seen" } th { "last seen" } th { "SHA-256" } } }
                tbody {
                    @for v in &h.versions {
                        tr {
                            td { (v.version) }
                            td { (when(&v.first_seen)) }
                            td { (v.last_seen.as_deref().map(when).unwrap_or_else(|| "—".into())) }
                            td { code { (v.sha256.get(..12).unwrap_or(&v.sha256)) } }
                        }
                    }
                    @if h.is_gone() {
                        tr.gone-row { td { "gone" } td { (h.gone_since.as_deref().map(when).unwrap_or_default()) } td colspan="2" { (h.gone_detail.clone().unwrap_or_default()) } }
                    }
                }
            }
            @for (i, pieces) in diffs.iter().enumerate() {
                @if let (Some(old), Some(new)) = (h.versions.get(i), h.versions.get(i + 1)) {
                    h3 { "Version " (new.version) " (first seen " (when(&new.first_seen)) ") against version " (old.version) }
                    @if unchanged(pieces) {
                        p.meta { "Same words; only the page's bytes changed." }
                    } @else {
                        div.diff lang="und" { (diff_markup(pieces)) }
                    }
                }
            }
        }
    }
}

/// Removed words struck through, added ones underlined, long unchanged
/// runs shortened to the words around the changes.
fn diff_markup(pieces: &[Piece]) -> maud::Markup {
    let last = pieces.len().saturating_sub(1);
    html! {
        @for (i, p) in pieces.iter().enumerate() {
            @match p.op {
                Op::Removed => del { (p.text) },
                Op::Added => ins { (p.text) },
                Op::Same => {
                    @let (head, cut, tail) = shorten_same(&p.text, i == 0, i == last);
                    (head)
                    @if cut { span.elided { "… " } (tail) }
                }
            }
        }
    }
}
