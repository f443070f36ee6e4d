//! "Este último ataque se suma a otros 40 similares", "the strike adds to
//! at least 40 others": a strike told as joining so many earlier ones makes
//! the campaign's count one more than that figure.

use crate::annotate::Annotated;
use crate::facts::{CountItem, CountKind, number_at};
use crate::lexicon::compiled::Tag;

/// The campaign's count of strikes, the told strike included, when the
/// sentence `start..end` says a strike joins so many others.
pub fn joins_earlier_strikes(doc: &Annotated, start: usize, end: usize) -> Option<CountItem> {
    let cue = doc.any_in(start, end, |g| g == Tag::JoinsEarlier)?;
    // The strike that joins them is named before the wording, or the others
    // are named strikes ("Este se suma a otros cuatro ataques").
    let strike_before = doc
        .any_in(start, cue.start, |g| {
            matches!(g, Tag::StrikeNoun | Tag::Trigger)
        })
        .is_some();
    let mut k = cue.end;
    // "se suma a los al menos otros cuatro".
    if let Some(det) = doc.find_at(k, |g| g == Tag::DefiniteDet) {
        k = det.end;
    }
    if let Some(lb) = doc.find_at(k, |g| matches!(g, Tag::LowerBound | Tag::Approximate)) {
        k = lb.end;
    }
    let other_before = doc.find_at(k, |g| g == Tag::Another);
    if let Some(o) = other_before {
        k = o.end;
    }
    if let Some(lb) = doc.find_at(k, |g| matches!(g, Tag::LowerBound | Tag::Approximate)) {
        k = lb.end;
    }
    let (value, num_end) = number_at(doc, k)?;
    // "otros 40", "40 other strikes": the figure counts the others only.
    let other_after = doc.find_at(num_end, |g| g == Tag::Another);
    if other_before.is_none() && other_after.is_none() {
        return None;
    }
    let strikes_after = doc
        .any_in(num_end, (num_end + 3).min(end), |g| g == Tag::StrikeNoun)
        .is_some();
    if !strike_before && !strikes_after {
        return None;
    }
    // "se suma a otros dos ataques esta semana": a few strikes of a week or
    // a sea are no campaign's count.
    if num_end > end
        || value < 3
        || doc
            .any_in(num_end, end, |g| g == Tag::RankBlocker)
            .is_some()
    {
        return None;
    }
    Some(CountItem::new(
        CountKind::Strikes,
        value.checked_add(1)?,
        cue.start,
        num_end,
    ))
}
