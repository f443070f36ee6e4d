//! A campaign toll told in the sentence of a dated strike: "A strike on
//! Monday killed two men, which raises the toll from the months-long
//! campaign to 160." The strike keeps its own figure; the toll is a running
//! total as of that strike (the strike it includes).

use crate::dates::DateMention;
use crate::facts::{CountKind, SentenceFacts};
use crate::mentions::TotalSentence;
use crate::text::Sentence;

/// The total a strike sentence carries beside its own figure, if any.
pub fn toll_beside_strike(
    s: &Sentence,
    facts: &SentenceFacts,
    strike_day: Option<DateMention>,
) -> Option<TotalSentence> {
    let toll = facts.toll?;
    // The toll figure read as the strike's own count is no second figure.
    let own = facts
        .counts
        .iter()
        .any(|c| c.kind == CountKind::Killed && c.start <= toll.end && toll.start <= c.end);
    if own || !facts.has(CountKind::Killed) {
        return None;
    }
    let total_facts = SentenceFacts {
        toll: Some(toll),
        counts: facts
            .counts
            .iter()
            .filter(|c| c.kind == CountKind::Strikes && c.value >= 3)
            .copied()
            .collect(),
        total_cue: facts.total_cue,
        ..SentenceFacts::default()
    };
    Some(TotalSentence {
        sentence: *s,
        facts: total_facts,
        dates: Vec::new(),
        includes: strike_day,
    })
}
