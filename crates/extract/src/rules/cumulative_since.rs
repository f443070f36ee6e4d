//! "Since Sept. 2 the military has destroyed 40 boats and killed 124
//! people", "desde septiembre … 105 muertos": a death figure counted from a
//! `since` date, with no strike day of its own, is the campaign's running
//! total, never a strike of that date.

use crate::dates::DateMention;
use crate::facts::{CountKind, SentenceFacts};

pub fn cumulative_since(
    facts: &SentenceFacts,
    dates: &[DateMention],
    eligible: &[DateMention],
) -> bool {
    eligible.is_empty() && facts.has(CountKind::Killed) && dates.iter().any(|d| d.since)
}
