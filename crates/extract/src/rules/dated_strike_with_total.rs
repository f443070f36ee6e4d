//! A dated strike with the campaign's total in the same sentence. "The
//! killings on Friday raise the death toll to at least 148"; "The strike on
//! Tuesday was one of the 35 military strikes against boats that have killed
//! 115 people since early September". The day names a strike; the figures
//! after it are the campaign's, a running total — never a strike that
//! killed 148 or hit 35 boats. The strike keeps its day (and whatever the
//! sentence told of it before the day). The total's as-of follows the
//! scoring rules: an explicit date, else the day it was said, else the
//! page's date.
//! With a figure of the strike's own before the total ("a strike on Friday
//! killed three, raising the toll to 148") `toll_beside_strike` applies.

use crate::annotate::Annotated;
use crate::dates::{DateMention, DateValue};
use crate::facts::{CountKind, SentenceFacts};
use crate::lexicon::compiled::Tag;

/// The day of the strike a total told after it includes: one strike day,
/// then only the campaign's figures, joined by a verb that raises a toll,
/// a count of three or more strikes, or a "since" date.
/// A ranked strike ("the 10th since the campaign began on Sept. 2 brought
/// the toll to 43") is left to `ordinal_total`.
pub fn strike_day_before_total(
    doc: &Annotated,
    facts: &SentenceFacts,
    dates: &[DateMention],
    eligible: &[DateMention],
) -> Option<DateMention> {
    facts.total_cue?;
    if facts.strike_ordinal.is_some() || facts.has(CountKind::Survivors) {
        return None;
    }
    // "Friday's attack raises the death toll to 133": a possessive day that
    // names the strike is its day as much as "the attack on Friday".
    let mut days = eligible.iter().filter(|d| {
        (!d.possessive || d.names_strike) && !d.noise && matches!(d.value, DateValue::Day(_))
    });
    let day = *days.next()?;
    if days.next().is_some() {
        return None;
    }
    // "The strike on Friday raises the total number of strikes to 36": with
    // no death figure, a count of the campaign's strikes is the figure.
    let figure = facts
        .counts
        .iter()
        .filter(|c| c.kind == CountKind::Killed)
        .map(|c| c.start)
        .chain(facts.toll.map(|t| t.start))
        .min()
        .or_else(|| {
            facts
                .counts
                .iter()
                .filter(|c| c.kind == CountKind::Strikes && c.value >= 3 && c.start >= day.end)
                .map(|c| c.start)
                .min()
        })?;
    let own_figure = facts
        .counts
        .iter()
        .any(|c| c.kind == CountKind::Killed && c.start < day.end);
    // "atacadas ayer, con saldo de 14 muertos, ya suman … 57 personas
    // fallecidas": two death figures after the day, the later one larger —
    // the strike's own, then the campaign's (`campaign_figure_beside_strike`).
    let mut after_day = facts
        .counts
        .iter()
        .filter(|c| c.kind == CountKind::Killed && c.start >= day.end);
    let own_then_campaign = match (after_day.next(), after_day.next_back()) {
        (Some(first), Some(last)) => last.value > first.value,
        _ => false,
    };
    if own_figure || own_then_campaign || figure < day.end {
        return None;
    }
    // The campaign's figure is the one a total wording introduces ("have
    // killed 115", "raise the toll to 148"), not "three strikes killed 14
    // people, the deadliest day so far".
    doc.any_in(day.end, figure + 1, |g| {
        matches!(g, Tag::TotalCue | Tag::TollCue)
    })?;
    let raised = doc
        .any_in(day.end, figure + 1, |g| g == Tag::RaiseVerb)
        .is_some();
    let campaign_strikes = facts
        .counts
        .iter()
        .any(|c| c.kind == CountKind::Strikes && c.value >= 3 && c.start >= day.end);
    let since = dates.iter().any(|d| d.since && d.start >= day.end);
    (raised || campaign_strikes || since).then_some(day)
}

/// "The army announced on Monday the deaths of two people in a new strike
/// on a boat, which raises the toll to 130": a total sentence that first
/// tells a strike with a figure of its own and no day of its own (the day
/// is the announcement's). The strike part — the death figure before the
/// toll — is a strike report; the toll stays the total's.
pub fn undated_strike_before_total(
    facts: &SentenceFacts,
    eligible: &[DateMention],
) -> Option<SentenceFacts> {
    let toll = facts.toll?;
    if !eligible.is_empty()
        || !facts.strike_word
        || facts
            .counts
            .iter()
            .any(|c| c.kind == CountKind::Strikes && c.value >= 2)
    {
        return None;
    }
    let own: Vec<_> = facts
        .counts
        .iter()
        .filter(|c| c.end <= toll.start && c.kind != CountKind::Strikes)
        .copied()
        .collect();
    if !own.iter().any(|c| c.kind == CountKind::Killed) {
        return None;
    }
    let mut f = facts.clone();
    f.counts = own;
    f.toll = None;
    f.total_cue = None;
    f.regions.retain(|r| r.start < toll.start);
    Some(f)
}

/// "The military carried out another strike on a boat in the Caribbean
/// Sea, marking at least the 15th such operation": a rank sentence that
/// first tells the strike it ranks, with its sea. The part before the rank
/// — its boats and sea, no death figure — is that strike's report; the
/// rank stays the total's.
pub fn undated_strike_before_rank(
    facts: &SentenceFacts,
    eligible: &[DateMention],
) -> Option<SentenceFacts> {
    let rank = facts.strike_ordinal?;
    if facts.toll.is_some() || !eligible.is_empty() || !facts.strike_word {
        return None;
    }
    let before = |start: usize| start < rank.start;
    if !facts
        .regions
        .iter()
        .any(|r| before(r.start) && r.region.is_some())
        || facts.triggers.iter().all(|t| !before(t.start))
    {
        return None;
    }
    let mut f = facts.clone();
    f.counts
        .retain(|c| before(c.start) && c.kind == CountKind::Vessels);
    f.breakdown.clear();
    f.total_cue = None;
    f.strike_ordinal = None;
    f.regions.retain(|r| before(r.start));
    Some(f)
}

/// The sentence's facts with the total's figures (those after the strike's
/// day) taken out: what is left tells the strike.
pub fn strike_part(facts: &SentenceFacts, day: &DateMention) -> SentenceFacts {
    let mut f = facts.clone();
    // The seas named with the campaign's figures are the campaign's.
    let figures = facts
        .counts
        .iter()
        .filter(|c| c.start >= day.end)
        .map(|c| c.start)
        .chain(facts.toll.map(|t| t.start))
        .min()
        .unwrap_or(usize::MAX);
    f.regions.retain(|r| r.start < figures);
    f.counts.retain(|c| c.start < day.end);
    f.toll = None;
    f.total_cue = None;
    f
}
