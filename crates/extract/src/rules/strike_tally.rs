//! "The Pentagon has carried out 16 strikes since September", "ya son al
//! menos ocho los ataques", "la campaña suma 30 ataques": a count of
//! strikes with a wording that makes it the campaign's ("se suma a otros
//! 40", see `joins_earlier_strikes`) is a running total,
//! even when the sentence gives no death figure. Without such a wording a
//! count of strikes is one day's ("three strikes in all", "dos ataques el
//! martes").

use crate::annotate::Annotated;
use crate::facts::{CountItem, CountKind, SentenceFacts};
use crate::lexicon::compiled::Tag;

/// The campaign's count of strikes when the sentence `start..end` tells one.
pub fn strike_tally(
    doc: &Annotated,
    start: usize,
    end: usize,
    facts: &SentenceFacts,
) -> Option<CountItem> {
    doc.any_in(start, end, |g| {
        matches!(g, Tag::StrikeTallyCue | Tag::JoinsEarlier)
    })?;
    facts
        .counts
        .iter()
        .filter(|c| c.kind == CountKind::Strikes && c.value >= 2)
        .max_by_key(|c| c.value)
        .copied()
}
