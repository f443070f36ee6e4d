//! The review log: human judgments applied on top of machine output.

use axum::response::Response;
use maud::html;
use strikewatch_model::ledger::ReviewAction;

use super::{Ctx, html};
use crate::error::PageError;
use crate::format::{Csv, Format, json};
use crate::layout;
use crate::params::encode;

/// The action's name, subject and detail as text.
fn describe(a: &ReviewAction) -> (&'static str, String, String) {
    match a {
        ReviewAction::Confirm { incident } => ("confirm", incident.clone(), String::new()),
        ReviewAction::Correct {
            incident,
            field,
            value,
        } => ("correct", incident.clone(), format!("{field} = {value}")),
        ReviewAction::Merge { incident, into } => {
            ("merge", incident.clone(), format!("into {into}"))
        }
        ReviewAction::Split {
            incident,
            document_id,
        } => ("split", incident.clone(), format!("document {document_id}")),
        ReviewAction::Reject { incident } => ("reject", incident.clone(), String::new()),
        ReviewAction::Annotate { incident, note } => ("annotate", incident.clone(), note.clone()),
        ReviewAction::CorrectSpeaker {
            document_id,
            statement_index,
            speaker,
        } => (
            "correct_speaker",
            document_id.clone(),
            format!("statement {statement_index}: {speaker}"),
        ),
    }
}

pub(crate) fn page(ctx: &Ctx) -> Result<Response, PageError> {
    let reviews = ctx.state.ledger.reviews()?;
    match ctx.format {
        Format::Json => Ok(json(&reviews)),
        Format::Csv => {
            let mut csv = Csv::new(&[
                "seq", "at", "author", "action", "subject", "detail", "reason",
            ]);
            for r in &reviews {
                let (action, subject, detail) = describe(&r.action);
                csv.row([
                    r.seq.to_string(),
                    r.at.clone(),
                    r.author.clone(),
                    action.into(),
                    subject,
                    detail,
                    r.reason.clone(),
                ]);
            }
            Ok(csv.finish("reviews"))
        }
        Format::Html => {
            let body = html! {
                p { "The review log is append-only: nothing is deleted, a retraction is a record." }
                div.scroll { table {
                    thead { tr { th { "#" } th { "When" } th { "Who" } th { "Action" } th { "Subject" } th { "Detail" } th { "Why" } } }
                    tbody { @for r in &reviews {
                        @let (action, subject, detail) = describe(&r.action);
                        tr {
                            td.num { (r.seq) } td { (r.at) } td { (r.author) } td { (action) }
                            td { @if action == "correct_speaker" { a href={ "/documents/" (encode(&subject)) } { (subject) } }
                                 @else { a href={ "/incidents/" (encode(&subject)) } { (subject) } } }
                            td { (detail) } td { (r.reason) }
                        }
                    } }
                } }
                @if reviews.is_empty() { p.empty { "No reviews yet." } }
            };
            Ok(html(layout::page(
                &ctx.state.title,
                "Reviews",
                Some(("/reviews", "")),
                body,
            )))
        }
    }
}
