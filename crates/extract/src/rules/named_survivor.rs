//! One survivor told without a number: "the survivor", "a survivor", "el
//! sobreviviente"; "a third person survived", "un tercero resultó ileso",
//! "el tercero salió con vida" (the one left of three). Each is one survivor.

use crate::annotate::Annotated;
use crate::facts::{CountItem, CountKind};
use crate::lexicon::compiled::Tag;
use crate::text::TokKind;

/// One survivor named by a determiner in tokens `start..end`, if any.
pub fn named_survivor(doc: &Annotated, start: usize, end: usize) -> Option<CountItem> {
    // Most sentences name no survivor: one look over the hits first.
    doc.any_in(start, end, |g| g == Tag::Survivor)?;
    (start..end).find_map(|t| {
        let det = doc.find_at(t, |g| matches!(g, Tag::VesselDet | Tag::DefiniteDet))?;
        let mut k = det.end;
        if is_ordinal(doc, k) {
            k += 1;
            if let Some(p) = doc.find_at(k, |g| g == Tag::PersonNoun) {
                k = p.end;
            }
        }
        let word = doc.find_at(k, |g| g == Tag::Survivor)?;
        if word.end > end || doc.word(word.end - 1).ends_with('s') {
            return None;
        }
        Some(CountItem::new(CountKind::Survivors, 1, t, word.end))
    })
}

fn is_ordinal(doc: &Annotated, t: usize) -> bool {
    matches!(doc.tokens.get(t).map(|k| k.kind), Some(TokKind::Ordinal(_)))
        || doc.find_at(t, |g| matches!(g, Tag::Ordinal(_))).is_some()
}
