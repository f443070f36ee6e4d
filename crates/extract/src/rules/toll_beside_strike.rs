//! A campaign toll told in the sentence of a dated strike: "A strike on
//! Monday killed two men, which raises the toll from the months-long
//! campaign to 160." The strike keeps its own figure; the toll is a running
//! total as of that strike (the strike it includes).

use crate::annotate::Annotated;
use crate::dates::DateMention;
use crate::facts::{CountItem, CountKind, SentenceFacts};
use crate::lexicon::compiled::Tag;
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
        strike_day: None,
    })
}

/// "A strike killed four people on Thursday, amid a growing controversy
/// over a campaign that has taken more than 87 lives": with no toll wording,
/// a larger death figure told after the strike's own behind a campaign cue
/// is the campaign's toll, to be read as one — when the sentence names one
/// strike day and the figure comes after it ("after an attack on Monday that
/// killed three and the campaign's opening strike on Sept. 2, when 11
/// died" tells two strikes).
pub fn campaign_figure_beside_strike(doc: &Annotated, facts: &SentenceFacts) -> Option<CountItem> {
    let mut killed = facts.counts.iter().filter(|c| c.kind == CountKind::Killed);
    let own = killed.next()?;
    // A toll wording on the strike's own figure ("con saldo de 14 muertos")
    // leaves room for the campaign's after it ("ya suman … 57 personas
    // fallecidas").
    if facts
        .toll
        .is_some_and(|t| !(t.start <= own.end && own.start <= t.end))
    {
        return None;
    }
    let campaign = killed.find(|c| c.value > own.value)?;
    doc.any_in(own.end, campaign.start + 1, |g| {
        matches!(g, Tag::TotalCue | Tag::TallyAfterRank)
    })?;
    Some(*campaign)
}
