//! "Operation" tells a boat strike only beside a boat or a sea. The word
//! carries the campaign's own strikes ("an operation in the eastern Pacific
//! killed two", "Monday's operation hit a low-profile vessel"), but pages
//! about the campaign also tell of other operations: the raid on Caracas
//! ("more than 150 aircraft took part in Saturday's operation"), a capture,
//! a deployment. A sentence whose only strike words are such general words
//! (`events.generic_triggers`) and that names neither a vessel nor a sea
//! region has no strike word, unless the page has already told a strike on
//! a counted boat ("La operación, que se produjo el 31 de diciembre" after
//! "dos lanchas fueron atacadas"): then the operation is that strike.

use crate::annotate::Annotated;
use crate::lexicon::compiled::Tag;

/// Whether the strike words of tokens `start..end` are all general words
/// with no boat or sea beside them.
pub fn operation_without_a_boat(doc: &Annotated, start: usize, end: usize) -> bool {
    // Most sentences have no general strike word: one look at the hits.
    if doc
        .any_in(start, end, |g| g == Tag::GenericTrigger)
        .is_none()
    {
        return false;
    }
    let mut any_trigger = false;
    for t in start..end {
        if doc.find_at(t, |g| g == Tag::Trigger).is_some() {
            any_trigger = true;
            if !is_generic(doc, t) {
                return false;
            }
        }
    }
    any_trigger
        && !(start..end).any(|t| {
            doc.find_at(t, |g| matches!(g, Tag::VesselNoun | Tag::Region(_)))
                .is_some()
                || (doc.find_at(t, |g| g == Tag::StrikeNoun).is_some() && !is_generic(doc, t))
        })
}

fn is_generic(doc: &Annotated, t: usize) -> bool {
    doc.find_at(t, |g| g == Tag::GenericTrigger).is_some()
}
