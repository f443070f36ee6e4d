//! Ordinal strike counts: "It was the campaign's twelfth such attack",
//! "Wednesday's strike was the 26th", "el séptimo ataque desde septiembre".
//! A rank of the campaign is a running total of strikes; a cumulative toll
//! told in the next sentence takes it as its strike count, otherwise it is
//! a total of its own. Ranks within a week, a year, a sea or a command's
//! tenure ("the second such strike this week", "the first in the Caribbean
//! since November") are not the campaign's.

use crate::annotate::Annotated;
use crate::dates::{DateMention, DateValue};
use crate::facts::{CountItem, CountKind, SentenceFacts};
use crate::lexicon::compiled::Tag;
use crate::mentions::TotalSentence;
use crate::text::Sentence;

/// A campaign rank and the sentence that told it.
#[derive(Debug, Clone)]
pub struct Rank {
    pub item: CountItem,
    pub sentence: Sentence,
    /// The strike the rank is of, when the sentence names it ("Wednesday's strike").
    pub named: Option<DateMention>,
}

/// The campaign rank told by sentence `s`, if any.
pub fn campaign_rank(
    doc: &Annotated,
    s: &Sentence,
    facts: &SentenceFacts,
    dates: &[DateMention],
    second_is_campaign: bool,
) -> Option<Rank> {
    let item = facts.strike_ordinal.filter(|o| o.value >= 2)?;
    // Before the follow-up strike on one boat was known, "a second strike",
    // "the second strike" could only count the campaign.
    let early_second = second_is_campaign
        && item.value == 2
        && doc
            .find_ending_at(item.start, |g| {
                matches!(g, Tag::DefiniteDet | Tag::RankLeadWeak)
            })
            .is_some();
    let blocked = doc
        .first_hits_in(s.start, s.end, |g| {
            matches!(g, Tag::RankBlocker | Tag::Noise)
        })
        .any(|h| h.tag == Tag::Noise || !scope_holds_campaign(doc, dates, h.start));
    let led = led(doc, item.start)
        || article_led(doc, item.start, item.value)
        || weakly_led(doc, item.start, item.value)
        || early_second;
    if blocked || facts.subtotal || !led || regional(doc, facts, item) {
        return None;
    }
    let named = dates
        .iter()
        .find(|d| d.names_strike || d.possessive)
        .copied();
    Some(Rank {
        item,
        sentence: *s,
        named,
    })
}

/// "its third strike this month" on a page of September 2025: a span that
/// holds the campaign's first day narrows nothing — the month is the
/// campaign so far. The blocker at `t` is such a span's wording.
fn scope_holds_campaign(doc: &Annotated, dates: &[DateMention], t: usize) -> bool {
    let Some(start) = doc.lang.campaign_start else {
        return false;
    };
    dates.iter().any(|d| {
        d.start <= t
            && t < d.end
            && matches!(d.value, DateValue::Range(a, b) if a <= start && start <= b)
    })
}

/// "It was the 12th", "the campaign's ninth", "fue el octavo": a rank lead
/// ends at most four tokens before the ordinal ("was the campaign's 22nd",
/// "is now the 26th"). "A second strike" (a follow-up) has none.
fn led(doc: &Annotated, ordinal: usize) -> bool {
    (ordinal.saturating_sub(4)..=ordinal).any(|end| {
        doc.find_ending_at(end, |g| g == Tag::RankLead)
            .is_some_and(|h| {
                (h.end..ordinal)
                    .all(|k| !doc.is_punct(k) || matches!(doc.punct(k), Some('\'' | '’')))
            })
    })
}

/// "ordered a fourth strike", "conducted its 10th strike", "with this
/// eighth deadly strike": a weak lead right before the ordinal, from the
/// third rank on ("a second strike" is as often a follow-up on one boat).
fn weakly_led(doc: &Annotated, ordinal: usize, rank: u32) -> bool {
    rank >= 3
        && doc
            .find_ending_at(ordinal, |g| g == Tag::RankLeadWeak)
            .is_some()
}

/// "the eighth strike in the Pacific": one sea named right after the rank
/// (a campaign over both seas names both). "a fourth strike on a small
/// boat off Venezuela" places the boat, not the count.
fn regional(doc: &Annotated, facts: &SentenceFacts, item: CountItem) -> bool {
    let mut seas: Vec<u16> = facts.regions.iter().filter_map(|r| r.region).collect();
    seas.sort_unstable();
    seas.dedup();
    seas.len() == 1
        && facts.regions.iter().any(|r| {
            r.start >= item.end
                && r.start <= item.end + 4
                && doc
                    .any_in(item.end, r.start, |g| g == Tag::VesselNoun)
                    .is_none()
        })
}

/// "it was the 12th", "fue el octavo" (a copula and an article), "in the
/// seventh attack", "en el séptimo ataque" (a function word and an
/// article, rank three or more: "in the second strike" is a follow-up).
/// Read from the tags already found, so that such frequent word pairs need
/// no phrase of their own.
fn article_led(doc: &Annotated, ordinal: usize, rank: u32) -> bool {
    let Some(det) = doc.find_ending_at(ordinal, |g| g == Tag::DefiniteDet) else {
        return false;
    };
    doc.find_ending_at(det.start, |g| g == Tag::Copula)
        .is_some()
        || (rank >= 3 && doc.find_ending_at(det.start, |g| g == Tag::Stop).is_some())
}

/// A rank no total after it took: "The latest strike brings the death toll
/// to at least 156. This was the 45th strike since September." — the rank
/// told in the sentence right after a total without a strike count is that
/// total's; otherwise it is a total of its own.
pub fn settle_rank(totals: &mut Vec<TotalSentence>, rank: Rank) {
    if let Some(last) = totals.last_mut()
        && last.sentence.end <= rank.sentence.start
        && rank.sentence.start - last.sentence.end <= 1
        && rank.sentence.paragraph <= last.sentence.paragraph + 1
        && last.facts.strike_ordinal.is_none()
        && !last.facts.has(CountKind::Strikes)
        && (last.facts.has(CountKind::Killed) || last.facts.toll.is_some())
    {
        last.facts.strike_ordinal = Some(rank.item);
        if last.includes.is_none() {
            last.includes = rank.named;
        }
        return;
    }
    totals.push(rank_total(rank));
}

/// A rank told with no toll beside it: a total of strikes only.
pub fn rank_total(rank: Rank) -> TotalSentence {
    let facts = SentenceFacts {
        strike_ordinal: Some(rank.item),
        ..SentenceFacts::default()
    };
    TotalSentence {
        sentence: rank.sentence,
        facts,
        dates: Vec::new(),
        includes: rank.named,
        strike_day: None,
    }
}

/// Gives a total told right after a rank that rank as its strike count.
pub fn attach_rank(total: &mut TotalSentence, rank: Rank) {
    if total.facts.strike_ordinal.is_none() && !total.facts.has(CountKind::Strikes) {
        total.facts.strike_ordinal = Some(rank.item);
        if total.includes.is_none() {
            total.includes = rank.named;
        }
    }
}
