//! "The killings on Friday raise the death toll to at least 148": a toll
//! raised by a dated strike. The day names the strike the toll includes; the
//! sentence tells no strike of its own (its only death figure is the toll),
//! so it is a running total as of that day, not a strike that killed 148.
//! With a figure of the strike's own before the toll ("a strike on Friday
//! killed three, raising the toll to 148") `toll_beside_strike` applies.

use crate::annotate::Annotated;
use crate::dates::{DateMention, DateValue};
use crate::facts::{CountKind, SentenceFacts};
use crate::lexicon::compiled::Tag;

/// The day of the strike a raised toll includes, when the sentence's only
/// death figure is that toll and one strike day comes before the verb that
/// raises it. A ranked strike ("the 10th since the campaign began on Sept.
/// 2 brought the toll to 43") is left to `ordinal_total`.
pub fn strike_day_before_toll(
    doc: &Annotated,
    facts: &SentenceFacts,
    eligible: &[DateMention],
) -> Option<DateMention> {
    let toll = facts.toll?;
    facts.total_cue?;
    if facts.strike_ordinal.is_some() {
        return None;
    }
    let own_figure = facts.counts.iter().any(|c| {
        (c.kind == CountKind::Killed && c.end <= toll.start) || c.kind == CountKind::Survivors
    });
    if own_figure {
        return None;
    }
    let mut days = eligible
        .iter()
        .filter(|d| !d.possessive && !d.noise && matches!(d.value, DateValue::Day(_)));
    let day = days.next()?;
    let raised = doc.any_in(day.end, toll.start + 1, |g| g == Tag::RaiseVerb)?;
    (days.next().is_none() && raised.end <= toll.start + 1).then_some(*day)
}
