//! "At least 27 people have been killed in similar strikes", "at least 83
//! people have been killed since these operations began", "los ataques han
//! causado 75 bajas": a death figure with a cumulative wording, told of
//! strikes as many, with no strike day of its own, is the campaign's running
//! total — never a strike that killed 27. "Three people have been killed"
//! alone, or "in the two strikes", stays a strike's figure.

use crate::annotate::Annotated;
use crate::dates::DateMention;
use crate::facts::{CountKind, SentenceFacts, strikes_just_told};
use crate::lexicon::compiled::Tag;

pub fn cumulative_over_strikes(
    doc: &Annotated,
    start: usize,
    end: usize,
    facts: &SentenceFacts,
    eligible: &[DateMention],
) -> bool {
    eligible.is_empty()
        && facts.tally_after_rank
        && (facts.has(CountKind::Killed) || facts.toll.is_some())
        // "in the two strikes", "in the three strikes": one day's strikes,
        // counted.
        && !facts.counts.iter().any(|c| {
            c.kind == CountKind::Strikes && (c.value < 3 || strikes_just_told(doc, c))
        })
        && doc.any_in(start, end, |g| g == Tag::CumulativeScope).is_some()
}
