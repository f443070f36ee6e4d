//! Sentence by sentence: which dates are strike days, and which counts and
//! regions belong to which date. Total sentences are set aside for `totals`.

use std::collections::HashMap;

use crate::annotate::{Annotated, Hit};
use crate::dates::{DateKind, DateMention, DateValue};
use crate::facts::{
    BreakdownItem, CountItem, CountKind, RegionItem, SentenceFacts, number_at, sentence_facts,
    strikes_just_told,
};
use crate::lexicon::compiled::Tag;
use crate::rules::announced_day::SpeechDay;
use crate::rules::cumulative_over_strikes::cumulative_over_strikes;
use crate::rules::cumulative_since::cumulative_since;
use crate::rules::dated_strike_with_total::{
    strike_day_before_total, strike_part, undated_strike_before_rank, undated_strike_before_total,
};
use crate::rules::day_after_lead::day_after_lead;
use crate::rules::operation_needs_a_boat::operation_without_a_boat;
use crate::rules::ordinal_total::{Rank, attach_rank, campaign_rank, settle_rank};
use crate::rules::toll_beside_strike::{campaign_figure_beside_strike, toll_beside_strike};
use crate::text::Sentence;

/// What one sentence says about one strike.
#[derive(Debug, Clone)]
pub struct Mention {
    pub date: Option<DateMention>,
    pub counts: Vec<CountItem>,
    pub regions: Vec<RegionItem>,
    pub breakdown: Vec<BreakdownItem>,
    pub trigger: Option<Hit>,
    /// The sentence has a factual strike word (a report needs one).
    pub strike_word: bool,
    /// The sentence tells a boat lost by accident (`rules::mishap`).
    pub mishap: bool,
    pub target_group: Option<Hit>,
    pub start: usize,
    pub paragraph: usize,
    pub line: usize,
    pub in_list: bool,
    pub other_strike: bool,
    pub another: bool,
    /// Refers to a boat already told of ("the boat").
    pub definite: bool,
    /// A line that opens with a vessel noun ("Vessel two: 2 killed"): one
    /// boat's share of a strike told per boat.
    pub vessel_line: bool,
    /// A weekday the sentence tells that nothing could place (a page with
    /// no date): it may still state which year a day told with it is in.
    pub unplaced_weekday: Option<u32>,
    /// Two seas the sentence joins (`SentenceFacts::joined_seas`).
    pub joined_seas: Vec<RegionItem>,
    /// Names a sea only for the fleet or the campaign: remembered for a
    /// later "in the same waters", never a strike's region itself.
    pub context_only: bool,
}

/// A sentence that states a running total, with its facts and dates.
pub struct TotalSentence {
    pub sentence: Sentence,
    pub facts: SentenceFacts,
    pub dates: Vec<DateMention>,
    /// The strike the total includes, when the text ties it to one: its
    /// day is the total's as-of.
    pub includes: Option<DateMention>,
    /// "Friday's attack raises the toll to 133": the day of the strike the
    /// sentence tells with its total. The total holds from the page's day;
    /// on a page with no day of its own it holds from this one.
    pub strike_day: Option<DateMention>,
}

pub struct DocumentMentions {
    pub mentions: Vec<Mention>,
    pub totals: Vec<TotalSentence>,
    /// Region of the lines introducing a list, per list line.
    pub list_context: HashMap<usize, u16>,
    /// Days the page says something was said or posted
    /// (`rules::announced_day`).
    pub speech_days: Vec<SpeechDay>,
    /// The page's first two paragraphs tell one strike in words alone, with
    /// no day or figure ("posted a video announcing the U.S. carried out
    /// another strike"): the strike told next with its figures is the news.
    pub lead_tells_strike: bool,
    pub diagnostics: Vec<String>,
}

fn distance(item: (usize, usize), d: &DateMention) -> usize {
    if item.1 <= d.start {
        d.start - item.1
    } else {
        item.0.saturating_sub(d.end)
    }
}

/// Clause index of each token of the sentence: clauses break at `;` and at
/// a comma followed by a conjunction. A colon does not: what follows it
/// gives the clause's own figures ("el 28 de octubre fue el más mortífero:
/// catorce muertos en cuatro lanchas; el 29 …").
fn clauses(doc: &Annotated, s: &Sentence) -> Vec<usize> {
    let mut out = Vec::with_capacity(s.end - s.start);
    let mut c = 0;
    for t in s.start..s.end {
        let p = doc.punct(t);
        let comma_and = p == Some(',')
            && doc
                .find_at(t + 1, |g| {
                    matches!(g, Tag::Conjunction | Tag::ClauseConjunction)
                })
                .is_some();
        if p == Some(';') || comma_and {
            c += 1;
        }
        out.push(c);
    }
    out
}

fn list_date(doc: &Annotated, s: &Sentence, dates: &[DateMention]) -> Option<DateMention> {
    let mut t = s.start;
    while t < s.end && matches!(doc.punct(t), Some('-' | '•' | '*' | '–' | '—')) {
        t += 1;
    }
    let d = dates.iter().find(|d| d.start == t || d.core == t)?;
    if !matches!(d.kind, DateKind::MonthDay) {
        return None;
    }
    matches!(doc.punct(d.end), Some('—' | '–' | ':' | '-')).then_some(*d)
}

pub fn collect(
    doc: &Annotated,
    sentences: &[Sentence],
    dates: &[DateMention],
    page_date: Option<chrono::NaiveDate>,
) -> DocumentMentions {
    // A page from before the follow-up strike became known: its "second
    // strike" is the campaign's second.
    let second_is_campaign = page_date
        .zip(doc.lang.follow_up_known)
        .is_some_and(|(page, known)| page < known);
    let mut out = DocumentMentions {
        mentions: Vec::new(),
        totals: Vec::new(),
        list_context: HashMap::new(),
        speech_days: Vec::new(),
        lead_tells_strike: false,
        diagnostics: Vec::new(),
    };
    let mut list_line: Option<(usize, Option<DateMention>)> = None;
    let mut last_non_list_region: Option<(usize, u16)> = None;
    let mut previous_line_was_list = false;
    let mut intro_region: Option<u16> = None;
    // The campaign rank told by the sentence before ("It was the 29th
    // strike"), until a total takes it or it becomes a total of its own.
    let mut rank_before: Option<Rank> = None;
    let mut previous_rank: Option<Rank> = None;
    // Whether a sentence so far told a strike on a counted boat: "the
    // operation" after one is that strike (`rules::operation_needs_a_boat`).
    let mut boat_strike_told = false;
    for (si, s) in sentences.iter().enumerate() {
        if let Some(unclaimed) = previous_rank.take() {
            settle_rank(&mut out.totals, unclaimed);
        }
        previous_rank = rank_before.take();
        // Dates are in text order: only the slice starting inside the sentence.
        let lo = dates.partition_point(|d| d.start < s.start);
        let hi = dates.partition_point(|d| d.start < s.end);
        let sdates: Vec<DateMention> = dates[lo..hi.max(lo)]
            .iter()
            .filter(|d| d.end <= s.end)
            .copied()
            .collect();
        let first_in_line = si == 0 || sentences[si - 1].line != s.line;
        if first_in_line {
            let ld = list_date(doc, s, &sdates);
            if ld.is_some() && !previous_line_was_list {
                intro_region = last_non_list_region.map(|(_, r)| r);
            }
            previous_line_was_list = ld.is_some();
            list_line = ld.map(|d| (s.line, Some(d)));
        }
        let in_list = matches!(list_line, Some((line, _)) if line == s.line);
        if in_list && let Some(r) = intro_region {
            out.list_context.insert(s.line, r);
        }
        let skip: Vec<(usize, usize)> = sdates.iter().map(|d| (d.start, d.end)).collect();
        let mut facts = sentence_facts(doc, s.start, s.end, &skip);
        if !boat_strike_told && operation_without_a_boat(doc, s.start, s.end) {
            facts.strike_word = false;
            facts.triggers.clear();
        }
        let tells_strike = facts.strike_word
            && facts
                .counts
                .iter()
                .any(|c| matches!(c.kind, CountKind::Killed | CountKind::Vessels));
        out.speech_days.extend(
            sdates
                .iter()
                .filter_map(|d| SpeechDay::of(d, s.paragraph, tells_strike)),
        );
        out.lead_tells_strike |= s.paragraph <= 1
            && !in_list
            && !facts.triggers.is_empty()
            && !facts.other_strike
            && names_one_strike(doc, s)
            && facts
                .counts
                .iter()
                .all(|c| c.kind == CountKind::Strikes && c.value == 1)
            && sdates.is_empty();
        boat_strike_told |=
            facts.strike_word && facts.counts.iter().any(|c| c.kind == CountKind::Vessels);
        rank_before = campaign_rank(doc, s, &facts, &sdates, second_is_campaign && !in_list);
        if !in_list && let Some(r) = facts.regions.iter().rev().find_map(|r| r.region) {
            // "14 ataques en el Caribe y en el Pacífico. Estos son:" — a list
            // under both seas takes neither.
            let both_seas = facts
                .regions
                .iter()
                .any(|o| o.region.is_some_and(|x| x != r));
            last_non_list_region = (!both_seas).then_some((s.line, r));
        }
        if facts.subtotal {
            out.diagnostics
                .push(format!("subtotal skipped: {}", sentence_text(doc, s)));
            continue;
        }
        let mut eligible: Vec<DateMention> = sdates
            .iter()
            .filter(|d| {
                d.strike_eligible()
                    || (in_list
                        && list_line
                            .and_then(|(_, ld)| ld)
                            .is_some_and(|ld| ld.start == d.start))
            })
            .copied()
            .collect();
        // "The strikes began in September and have killed 80": a month named
        // alone never makes a sentence one strike's rather than a total; it
        // dates a strike only once the sentence is read as one.
        let months: Vec<DateMention> = eligible
            .iter()
            .filter(|d| d.kind == DateKind::Month)
            .copied()
            .collect();
        eligible.retain(|d| d.kind != DateKind::Month);
        // "… have killed 148 people in 43 attacks, including 11 earlier this
        // week": the days after the inclusion date its part, not the total.
        let inclusion = included_part(doc, s, &facts);
        let before_inclusion: Vec<DateMention> = eligible
            .iter()
            .filter(|d| inclusion.is_none_or(|k| d.start < k))
            .copied()
            .collect();
        // "With Monday's strike, the toll stands at 79": a possessive date does not make a strike sentence.
        // A campaign count with no strike day is a total even without a cue.
        let campaign_count =
            before_inclusion.is_empty() && counts_the_campaign(doc, s, &facts, &sdates);
        // "The campaign began with a strike that killed 11": one strike's toll.
        let one_strike =
            facts.toll.is_none() && !facts.has(CountKind::Strikes) && names_one_strike(doc, s);
        // "A total of 14 were killed during the three strikes": the strikes
        // just told, counted together, not the campaign's.
        let just_told = facts
            .counts
            .iter()
            .any(|c| crate::facts::died_during_strikes_just_told(doc, c));
        let cued = (facts.total_cue.is_some()
            || crate::rules::strike_tally::strike_tally(doc, s.start, s.end, &facts).is_some())
            && !one_strike
            && !just_told
            && !below_first_strike(doc, &facts);
        // "On Wednesday, the Senate voted … the strikes, which have killed 21":
        // a day that dates a vote or a press conference does not make the
        // tally beside it one strike's toll.
        // "It was the 29th strike. At least 105 people have been killed.": the
        // campaign toll up to that rank.
        let tally_after_rank = previous_rank.is_some()
            && facts.tally_after_rank
            && facts.strike_ordinal.is_none()
            && facts.triggers.is_empty()
            && eligible.is_empty()
            && facts.has(CountKind::Killed)
            && !facts.has(CountKind::Strikes);
        if let Some(day) = strike_day_before_total(doc, &facts, &sdates, &eligible) {
            out.totals.push(TotalSentence {
                sentence: *s,
                facts: facts.clone(),
                dates: sdates.clone(),
                includes: None,
                strike_day: Some(day),
            });
            facts = strike_part(&facts, &day);
        } else if tally_after_rank
            || ((cued
                || campaign_count
                || cumulative_since(&facts, &sdates, &eligible)
                || cumulative_over_strikes(doc, s.start, s.end, &facts, &before_inclusion))
                && before_inclusion.iter().all(|d| d.possessive || d.noise))
        {
            if facts.strike_ordinal.is_some()
                && (facts.has(CountKind::Killed) || facts.toll.is_some())
            {
                // The sentence's own rank is in its own total.
                rank_before = None;
            }
            let own_strike = inclusion
                .filter(|_| eligible.len() > before_inclusion.len())
                .map(|k| part_after(&facts, k))
                .or_else(|| undated_strike_before_total(&facts, &eligible))
                .or_else(|| undated_strike_before_rank(&facts, &eligible));
            let mut total = TotalSentence {
                sentence: *s,
                facts,
                dates: sdates.clone(),
                includes: None,
                strike_day: None,
            };
            if let Some(rank) = previous_rank.take() {
                attach_rank(&mut total, rank);
            }
            out.totals.push(total);
            match own_strike {
                Some(strike) => facts = strike,
                None => continue,
            }
        }
        // "Se estima que 125 personas han muerto en el Caribe y el Pacífico":
        // more dead than any one announcement told, in a sentence with no
        // strike word that made no total of them, is no strike's toll either.
        if !facts.strike_word {
            facts.counts.retain(|c| !beyond_any_strike(doc, c));
        }
        // "dos lanchas fueron atacadas, con un saldo de cinco personas
        // fallecidas": a toll wording in a strike's own sentence, with no
        // campaign cue, is that strike's death figure.
        if let Some(toll) = facts.toll
            && !facts.has(CountKind::Killed)
            && facts.total_cue.is_none()
            && facts.strike_word
        {
            facts.counts.push(toll);
            facts.counts.sort_by_key(|c| c.start);
        }
        if let [day] = eligible.as_slice()
            && let Some(campaign) = campaign_figure_beside_strike(doc, &facts)
            && campaign.start >= day.end
        {
            facts.counts.retain(|c| c.start != campaign.start);
            facts.toll = Some(campaign);
        }
        let corrected_figures = facts.correction
            && facts
                .counts
                .iter()
                .any(|c| matches!(c.kind, CountKind::Killed | CountKind::Survivors));
        if facts.correction {
            facts.counts.clear();
            facts.breakdown.clear();
            out.diagnostics.push(format!(
                "figures replaced by a correction skipped: {}",
                sentence_text(doc, s)
            ));
        }
        if eligible.is_empty() {
            eligible = months;
        }
        if eligible
            .iter()
            .any(|d| matches!(d.value, DateValue::Day(_)))
        {
            eligible.retain(|d| !matches!(d.kind, DateKind::Vague | DateKind::Month));
        }
        // "Two days earlier, …" or "struck the next day" dates a strike; "had
        // leaked a day earlier" dates something else, and a day the sentence
        // names outright wins.
        let named_day = eligible.iter().any(|d| !d.anchored);
        eligible.retain(|d| !d.anchored || (!named_day && anchored_on_strike(doc, s, d)));
        // "Un ataque contra una lancha se realizó el 13": a strike word read
        // inside a count phrase ("un ataque") still makes the sentence a
        // strike's.
        // "La acción tuvo lugar el 8 de marzo", "El hecho ocurrió el sábado":
        // a strike noun or an event noun that took place on a day tells the
        // strike's day (`rules::day_after_lead`).
        let strikeish = corrected_figures
            || !facts.triggers.is_empty()
            || facts.strike_word
            || facts
                .counts
                .iter()
                .any(|c| matches!(c.kind, CountKind::Killed | CountKind::Survivors))
            || eligible.iter().any(|d| day_after_lead(doc, s, d));
        let definite = facts
            .counts
            .iter()
            .any(|c| c.kind == CountKind::VesselsWeak);
        let base = Mention {
            date: None,
            counts: Vec::new(),
            regions: Vec::new(),
            breakdown: Vec::new(),
            trigger: facts.triggers.first().copied(),
            strike_word: facts.strike_word,
            mishap: facts.mishap,
            target_group: facts.target_group,
            start: s.start,
            paragraph: s.paragraph,
            line: s.line,
            in_list,
            other_strike: facts.other_strike,
            another: facts.another,
            definite,
            vessel_line: first_in_line && opens_with_vessel(doc, s),
            unplaced_weekday: sdates.iter().find_map(|d| d.unplaced_weekday(doc)),
            joined_seas: facts.joined_seas.clone(),
            context_only: false,
        };
        let mut made = 0;
        // The date opening a list line ("Nov. 9: ...") dates everything on the line.
        let list_opener = in_list
            && first_in_line
            && list_line
                .and_then(|(_, ld)| ld)
                .is_some_and(|ld| eligible.iter().any(|d| d.start == ld.start));
        if (strikeish || list_opener) && !eligible.is_empty() {
            let clause = clauses(doc, s);
            let clause_of = |t: usize| clause.get(t.saturating_sub(s.start)).copied().unwrap_or(0);
            let nearest = |span: (usize, usize)| -> usize {
                let c = clause_of(span.0);
                let same: Vec<usize> = (0..eligible.len())
                    .filter(|&i| clause_of(eligible[i].start) == c)
                    .collect();
                let pool: Vec<usize> = if same.is_empty() {
                    (0..eligible.len()).collect()
                } else {
                    same
                };
                pool.into_iter()
                    .min_by_key(|&i| distance(span, &eligible[i]))
                    .unwrap_or(0)
            };
            let mut per_date: Vec<Mention> = eligible
                .iter()
                .map(|d| Mention {
                    date: Some(*d),
                    start: d.start,
                    ..base.clone()
                })
                .collect();
            // A reference date ("the first strike since Nov. 15") takes no figures.
            let takers: Vec<usize> = (0..eligible.len())
                .filter(|&i| !eligible[i].reference)
                .collect();
            let nearest = |span: (usize, usize)| -> usize {
                if takers.is_empty() {
                    return nearest(span);
                }
                let c = clause_of(span.0);
                let same: Vec<usize> = takers
                    .iter()
                    .copied()
                    .filter(|&i| clause_of(eligible[i].start) == c)
                    .collect();
                let pool = if same.is_empty() {
                    takers.clone()
                } else {
                    same
                };
                pool.into_iter()
                    .min_by_key(|&i| distance(span, &eligible[i]))
                    .unwrap_or(0)
            };
            for c in &facts.counts {
                per_date[nearest((c.start, c.end))].counts.push(*c);
            }
            for b in &facts.breakdown {
                per_date[nearest((b.start, b.end))].breakdown.push(*b);
            }
            let first_start = eligible.iter().map(|d| d.start).min().unwrap_or(0);
            let last_end = eligible.iter().map(|d| d.end).max().unwrap_or(0);
            for r in &facts.regions {
                if eligible.len() == 1 || r.end <= first_start || r.start >= last_end {
                    for m in per_date
                        .iter_mut()
                        .filter(|m| !m.date.is_some_and(|d| d.reference))
                    {
                        m.regions.push(*r);
                    }
                } else {
                    per_date[nearest((r.start, r.end))].regions.push(*r);
                }
            }
            let multi_region = {
                let mut rs: Vec<u16> = facts.regions.iter().filter_map(|r| r.region).collect();
                rs.sort();
                rs.dedup();
                rs.len() >= 2
            };
            // "strikes on October 27, January 23 and February 9": a day joined
            // to a strike's day by a comma or a conjunction is a strike's too.
            let mut struck_day_before: Option<DateMention> = None;
            for mut m in per_date {
                let Some(mut d) = m.date else { continue };
                let counted = list_opener
                    || d.reference
                    || corrected_figures
                    || m.counts.iter().any(|c| {
                        matches!(
                            c.kind,
                            CountKind::Killed | CountKind::Survivors | CountKind::Vessels
                        )
                    });
                let local_trigger = facts
                    .triggers
                    .iter()
                    .any(|h| h.start + 3 >= d.start && h.start < d.end + 3)
                    || (opens_sentence(doc, s, &d) && facts.strike_word)
                    || day_after_lead(doc, s, &d)
                    || (struck_day_before.is_some_and(|prev| coordinated_days(doc, prev, &d)));
                d.after_lead = !counted && day_after_lead(doc, s, &d);
                m.date = Some(d);
                struck_day_before = (local_trigger && !d.noise).then_some(d);
                if d.noise || !(counted || local_trigger) {
                    out.diagnostics.push(format!(
                        "date not a strike: {}",
                        span_text(doc, d.start, d.end)
                    ));
                    continue;
                }
                if multi_region {
                    hint_regions(doc, &mut m.counts, &facts.regions);
                }
                out.mentions.push(m);
                made += 1;
            }
        }
        if made > 0 {
            let strike_day = eligible
                .iter()
                .find(|d| matches!(d.value, DateValue::Day(_)))
                .copied();
            if let Some(total) = toll_beside_strike(s, &facts, strike_day) {
                out.totals.push(total);
            }
        }
        if made == 0 {
            let has_counts = facts
                .counts
                .iter()
                .any(|c| c.kind != CountKind::Strikes && c.kind != CountKind::Aboard);
            // A sea named in a sentence with no strike word and no figure
            // places the strike only when the sentence places the boats or
            // their crews ("All three were running drugs on Eastern Pacific
            // routes", "400 nautical miles southwest of Acapulco"): most
            // such sentences tell the warships, the deployment or the
            // campaign at large.
            let places_boats = strikeish || has_counts || places_the_boats(doc, s);
            if has_counts || !facts.regions.is_empty() || facts.other_strike {
                let mut m = base.clone();
                m.counts = facts.counts.clone();
                m.regions = facts.regions.clone();
                m.breakdown = facts.breakdown.clone();
                let seas = facts
                    .regions
                    .iter()
                    .filter_map(|r| r.region)
                    .collect::<std::collections::BTreeSet<_>>()
                    .len();
                if seas >= 2 {
                    hint_regions(doc, &mut m.counts, &facts.regions);
                }
                // "Earlier strikes hit boats in both the Caribbean and the
                // eastern Pacific": both seas with no figure place no strike.
                if seas >= 2 && facts.counts.is_empty() && facts.breakdown.is_empty() {
                    m.context_only = true;
                }
                // A sentence with only a region and no strike word fills a region, nothing else.
                if !strikeish && !has_counts {
                    m.counts.clear();
                    m.context_only = !places_boats && !facts.other_strike;
                }
                out.mentions.push(m);
            }
        }
    }
    for rank in [previous_rank, rank_before].into_iter().flatten() {
        settle_rank(&mut out.totals, rank);
    }
    out
}

/// "This morning, on my orders, forces carried out a kinetic strike …",
/// "Esta mañana, siguiendo mis órdenes, … llevaron a cabo un ataque": a day
/// that opens the sentence, before a comma, dates the whole of it, however
/// far the strike word stands ("Earlier this week, …" is too vague to).
fn opens_sentence(doc: &Annotated, s: &Sentence, d: &DateMention) -> bool {
    matches!(d.value, DateValue::Day(_))
        && (s.start..d.start).all(|t| doc.is_punct(t))
        && doc.punct(d.end) == Some(',')
        // "On Sunday, Petro said he met the family of a man killed in one of
        // the strikes": the day dates the saying.
        && doc.any_in(d.end, d.end + 5, |g| g == Tag::Speech).is_none()
}

/// The sentence names the boats or where their crews were: a vessel word or
/// a `strike_site_cues` wording, and no `deployment_cues` one (events lexicon).
fn places_the_boats(doc: &Annotated, s: &Sentence) -> bool {
    doc.any_in(s.start, s.end, |g| matches!(g, Tag::VesselNoun | Tag::StrikeSite))
        .is_some()
        // "el despliegue de buques en el Caribe": the warships, not the boats.
        && doc.any_in(s.start, s.end, |g| g == Tag::Deployment).is_none()
}

/// "has attacked a boat in the Caribbean, which has killed 3 people": a
/// total wording whose every death figure is below the campaign's first
/// strike's dead, and no count of strikes, tells one strike's toll.
fn below_first_strike(doc: &Annotated, facts: &SentenceFacts) -> bool {
    let Some(first) = doc.lang.first_strike_killed else {
        return false;
    };
    let mut dead = facts
        .counts
        .iter()
        .filter(|c| c.kind == CountKind::Killed)
        .map(|c| c.value)
        .chain(facts.toll.map(|t| t.value))
        .peekable();
    dead.peek().is_some() && dead.all(|v| v < first) && !facts.has(CountKind::Strikes)
}

/// "a strike", "un ataque", "a US attack", "a new U.S. military strike": a
/// single strike named with an indefinite article, a few modifiers between
/// them at most. A function word between ("a series of strikes") or any
/// other mark than an abbreviation's dot ends the phrase.
fn names_one_strike(doc: &Annotated, s: &Sentence) -> bool {
    const MODIFIERS: usize = 4;
    doc.first_hits_in(s.start, s.end, |g| g == Tag::VesselDet)
        .any(|h| {
            let mut words = 0;
            for k in h.end..s.end {
                if doc
                    .find_at(k, |g| matches!(g, Tag::StrikeNoun | Tag::Trigger))
                    .is_some()
                {
                    return true;
                }
                if doc.punct(k) == Some('.') {
                    continue;
                }
                words += 1;
                if words > MODIFIERS
                    || doc.is_punct(k)
                    || doc.find_at(k, |g| g == Tag::Stop).is_some()
                {
                    return false;
                }
            }
            false
        })
}

/// An anchored date that opens its sentence or follows a strike word.
fn anchored_on_strike(doc: &Annotated, s: &Sentence, d: &DateMention) -> bool {
    // "the day before the strike", "el día anterior al ataque": a day
    // counted back from the strike dates something else.
    if doc
        .any_in(d.end, (d.end + 3).min(s.end), |g| {
            matches!(g, Tag::Trigger | Tag::StrikeNoun)
        })
        .is_some_and(|h| (d.end..h.start).all(|k| !doc.is_punct(k)))
    {
        return false;
    }
    let mut t = s.start;
    while t < d.start && (doc.is_punct(t) || doc.find_at(t, |g| g == Tag::Stop).is_some()) {
        t += 1;
    }
    t == d.start
        || doc
            .any_in(d.start.saturating_sub(2), d.start, |g| {
                matches!(g, Tag::Trigger | Tag::StrikeNoun)
            })
            .is_some()
}

/// The line opens (after any bullet) with a vessel noun.
fn opens_with_vessel(doc: &Annotated, s: &Sentence) -> bool {
    let mut t = s.start;
    while t < s.end && doc.is_punct(t) {
        t += 1;
    }
    t < s.end && doc.find_at(t, |g| g == Tag::VesselNoun).is_some()
}

/// In a sentence naming several regions, ties each death count to the region
/// named after it and before the next death count.
fn hint_regions(doc: &Annotated, counts: &mut [CountItem], regions: &[RegionItem]) {
    let killed: Vec<usize> = (0..counts.len())
        .filter(|&i| counts[i].kind == CountKind::Killed)
        .collect();
    // The one death figure of a sentence counts the whole announcement when
    // it is told before every sea ("Eleven died in three strikes, two in the
    // eastern Pacific and one in the Caribbean") or, led by its kill word,
    // after every sea ("two in the eastern Pacific and one in the Caribbean,
    // killing 11"); led by its number it is the last sea's ("… and one in
    // the Caribbean, where three died").
    if let [only] = killed[..] {
        let c = counts[only];
        let kill_led = number_at(doc, c.start).is_none();
        if regions.iter().all(|r| r.start >= c.end)
            || (kill_led && regions.iter().all(|r| r.end <= c.start))
        {
            counts[only].region_hint = None;
            return;
        }
    }
    for (n, &i) in killed.iter().enumerate() {
        let next_start = killed
            .get(n + 1)
            .map(|&j| counts[j].start)
            .unwrap_or(usize::MAX);
        let prev_end = n.checked_sub(1).map(|p| counts[killed[p]].end).unwrap_or(0);
        let (start, end) = (counts[i].start, counts[i].end);
        let after = regions
            .iter()
            .find(|r| r.start >= start && r.start < next_start && r.region.is_some());
        // "the Caribbean strike killed three": the region just before the figure.
        let before = regions.iter().rev().find(|r| {
            r.end <= start && r.start >= prev_end && start - r.end <= 5 && r.region.is_some()
        });
        // "two in the eastern Pacific, killing five, and one in the Caribbean":
        // a figure led by its kill word closes the clause before it, so the
        // nearer region wins; one led by its number ("and three on the boat in
        // the Caribbean") opens a share of its own, told after it.
        let kill_led = number_at(doc, start).is_none();
        // "two boats in the eastern Pacific, with four dead on each": a
        // figure told per boat belongs to the boats just named.
        let distributive = counts[i].per_each.is_some();
        let pick = match (before, after) {
            (Some(b), _) if distributive && start - b.end <= 6 => Some(b),
            (Some(b), Some(a)) if kill_led && start - b.end < a.start.saturating_sub(end) => {
                Some(b)
            }
            (_, Some(a)) => Some(a),
            (Some(b), None) if start - b.end <= 4 => Some(b),
            _ => None,
        };
        counts[i].region_hint = pick.and_then(|r| r.region);
    }
}

pub fn span_text<'a>(doc: &Annotated<'a>, start: usize, end: usize) -> &'a str {
    let (s, e) = doc.byte_range(start, end);
    doc.text.get(s..e).unwrap_or("")
}

fn sentence_text<'a>(doc: &Annotated<'a>, s: &Sentence) -> &'a str {
    span_text(doc, s.start, s.end)
}

/// Whether day `next` follows day `prev` with only commas or a conjunction
/// between them ("October 27, January 23 and February 9").
fn coordinated_days(doc: &Annotated, prev: DateMention, next: &DateMention) -> bool {
    next.start > prev.end
        && next.start - prev.end <= 2
        && (prev.end..next.start).all(|k| {
            doc.punct(k) == Some(',') || doc.find_at(k, |g| g == Tag::Conjunction).is_some()
        })
}

/// A death figure above the most any one announcement counted.
fn beyond_any_strike(doc: &Annotated, c: &CountItem) -> bool {
    c.kind == CountKind::Killed && doc.lang.max_killed_per_strike.is_some_and(|m| c.value > m)
}

/// Whether a sentence with no strike day of its own counts the campaign, not
/// one strike: "has announced 17 strikes since Sept. 2, killing 69" (three or
/// more strikes beside a death figure); "ha hundido diecisiete embarcaciones
/// y 66 vidas" (more boats than one day's strikes ever hit); "the strikes
/// have killed over 100 people" (more dead than one announcement ever
/// counted).
/// Where "including" opens a part of the total told before it: a death
/// figure and a total cue come first.
fn included_part(doc: &Annotated, s: &Sentence, facts: &SentenceFacts) -> Option<usize> {
    let k = doc.any_in(s.start, s.end, |g| g == Tag::Inclusion)?.start;
    let killed_before = facts
        .counts
        .iter()
        .any(|c| c.kind == CountKind::Killed && c.end <= k)
        || facts.toll.is_some_and(|t| t.end <= k);
    let cue_before = facts.total_cue.is_some_and(|c| c.end <= k);
    (killed_before && cue_before).then_some(k)
}

/// The strike a total's inclusion tells: its own figures after `k`.
fn part_after(facts: &SentenceFacts, k: usize) -> SentenceFacts {
    let mut f = facts.clone();
    f.counts.retain(|c| c.start >= k);
    f.regions.retain(|r| r.start >= k);
    f.toll = None;
    f.total_cue = None;
    f
}

fn counts_the_campaign(
    doc: &Annotated,
    s: &Sentence,
    facts: &SentenceFacts,
    sdates: &[DateMention],
) -> bool {
    // "Nearly 50 soldiers killed in the raid" names no boat and no strike.
    let boats_or_strikes = doc
        .any_in(s.start, s.end, |g| {
            matches!(g, Tag::Trigger | Tag::StrikeNoun | Tag::VesselNoun)
        })
        .is_some();
    let beyond_one_strike =
        |v: u32| boats_or_strikes && doc.lang.max_killed_per_strike.is_some_and(|m| v > m);
    // "otros tres ataques", "five additional vessels": others than the
    // campaign's.
    let others = |c: &CountItem| {
        doc.any_in(c.start.saturating_sub(1), c.end, |g| g == Tag::Another)
            .is_some()
    };
    let many_strikes = |c: &CountItem| {
        c.kind == CountKind::Strikes && c.value >= 3 && !others(c) && !strikes_just_told(doc, c)
    };
    // "sank five boats over two days, the military said Wednesday", "in late
    // December, when it struck five boats": the boats of the days told.
    let many_boats = |c: &CountItem| {
        c.kind == CountKind::Vessels
            && !others(c)
            && sdates.iter().all(|d| d.kind == DateKind::Month)
            && doc.lang.max_boats_per_strike.is_some_and(|m| c.value > m)
    };
    facts.toll.is_some_and(|t| beyond_one_strike(t.value))
        || facts.has(CountKind::Killed)
            && facts.counts.iter().any(|c| {
                many_strikes(c)
                    || many_boats(c)
                    || (c.kind == CountKind::Killed && beyond_one_strike(c.value))
            })
}
