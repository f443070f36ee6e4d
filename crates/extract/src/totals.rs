//! Campaign-wide running totals, kept apart from strikes.

use std::collections::BTreeMap;

use strikewatch_model::{RunningTotal, Span};

use crate::anchor::Anchor;
use crate::annotate::Annotated;
use crate::confidence::{TotalBasis, total_confidence};
use crate::dates::{DateKind, DateValue};
use crate::facts::{CountItem, CountKind, number_at};
use crate::lexicon::compiled::Tag;
use crate::mentions::TotalSentence;

fn span(doc: &Annotated, start: usize, end: usize) -> Option<Span> {
    let (s, e) = doc.byte_range(start, end);
    Span::of(doc.text, s, e)
}

/// "the number of disclosed strikes to 13".
fn strikes_to(doc: &Annotated, start: usize, end: usize) -> Option<CountItem> {
    for t in start..end {
        // "the number of people killed by the strikes to 83" counts the dead.
        let after_kill = doc
            .any_in(t.saturating_sub(3), t, |g| {
                matches!(g, Tag::KillAfter | Tag::KillBefore)
            })
            .is_some();
        if let Some(h) = doc.find_at(t, |g| g == Tag::StrikeNoun)
            && !after_kill
            && matches!(doc.word(h.end).to_lowercase().as_str(), "to" | "a")
        {
            let mut k = h.end + 1;
            if let Some(lb) = doc.find_at(k, |g| matches!(g, Tag::LowerBound | Tag::Approximate)) {
                k = lb.end;
            }
            if let Some((v, e)) = number_at(doc, k) {
                return Some(CountItem {
                    kind: CountKind::Strikes,
                    value: v,
                    at_least: false,
                    start: t,
                    end: e,
                    per_each: None,
                    region_hint: None,
                });
            }
        }
    }
    None
}

/// The campaign's count of strikes a total sentence gives. "The two strikes
/// bring the toll to 75 killed in 19 strikes": the campaign count is the
/// largest; "the seven previous strikes … this eighth strike": a rank counts
/// itself too; "un nuevo ataque" names one strike, never the campaign's count.
fn campaign_strikes(doc: &Annotated, ts: &TotalSentence) -> Option<CountItem> {
    let f = &ts.facts;
    f.counts
        .iter()
        .filter(|c| c.kind == CountKind::Strikes && c.value >= 2)
        .max_by_key(|c| c.value)
        .copied()
        .or_else(|| strikes_to(doc, ts.sentence.start, ts.sentence.end))
        .into_iter()
        .chain(f.strike_ordinal)
        .max_by_key(|c| c.value)
}

pub fn build_totals(
    doc: &Annotated,
    sentences: &[TotalSentence],
    anchor: Option<Anchor>,
) -> Vec<RunningTotal> {
    let publication = anchor.map(|a| a.date);
    let mut out: Vec<RunningTotal> = Vec::new();
    for ts in sentences {
        let f = &ts.facts;
        // "an earlier count of 46": a figure a correction replaced is no total.
        if f.correction {
            continue;
        }
        let first = |kind: CountKind| {
            f.counts
                .iter()
                .find(|c| c.kind == kind && c.per_each.is_none())
                .copied()
        };
        let counted = first(CountKind::Killed);
        // Only a rank told alone (see `rules::ordinal_total`) is a total
        // without a death figure.
        let ordinal_only = f.counts.is_empty()
            && f.toll.is_none()
            && f.total_cue.is_none()
            && f.strike_ordinal.is_some();
        let rule = if ordinal_only {
            "total:ordinal"
        } else if counted.is_none() && f.toll.is_none() {
            "total:strike_count"
        } else if counted.is_none() && f.toll.is_some() {
            "total:toll_phrase"
        } else if f.total_cue.is_some() {
            "total:cue"
        } else if f.tally_after_rank {
            "total:cumulative_wording"
        } else {
            "total:campaign_count"
        };
        // "killing all six people aboard and lifting the death toll to 43":
        // a strike's figure told before the toll cue is not the total.
        let read = match (counted, f.toll) {
            (Some(c), Some(t)) if c.end <= t.start => Some(t),
            (c, t) => c.or(t),
        };
        let killed = read.filter(|c| !below_first_strike(doc, c.value) && !vague(doc, c));
        let strikes = campaign_strikes(doc, ts);
        // "its 20th strike …, killing four": the rank stays a total when
        // the figure beside it is only the strike's own.
        let rank_beside_own_toll = read.is_some() && killed.is_none() && f.strike_ordinal.is_some();
        // "has carried out 16 strikes since September", "ya son al menos ocho
        // los ataques": a cued count of strikes with no death figure is a
        // total of strikes alone.
        let strikes_only = killed.is_none()
            && crate::rules::strike_tally::strike_tally(
                doc,
                ts.sentence.start,
                ts.sentence.end,
                f,
            )
            .is_some()
            // "brings the total number of bombings to at least 36"
            || (killed.is_none()
                && f.total_cue.is_some()
                && strikes_to(doc, ts.sentence.start, ts.sentence.end).is_some());
        if killed.is_none() && !ordinal_only && !strikes_only && !rank_beside_own_toll {
            // "Three people have survived the strikes so far": the survivors
            // of the total told just before.
            if let Some(s) = first(CountKind::Survivors)
                && let Some(prev) = out.last_mut()
                && prev.survivors.is_none()
                && let Some(sp) = span(doc, s.start, s.end)
            {
                prev.survivors = Some(s.value);
                prev.evidence.insert("survivors".to_string(), sp);
            }
            continue;
        }
        let survivors = first(CountKind::Survivors);
        let explicit = ts
            .dates
            .iter()
            .find(|d| d.as_of || d.kind == DateKind::EndOfMonth);
        let said = ts.dates.iter().find(|d| d.speech);
        let includes = ts.includes.as_ref();
        let stated = explicit.or(includes).or(said);
        // A page dated only by a caption, an embedded post or a day in its
        // text is near its own day, not on it: a total it gives with no day
        // of its own holds from the strike told with it, else stays undated.
        let page_day = publication.filter(|_| !anchor.is_some_and(|a| a.is_weak()));
        let strike_day = ts.strike_day.and_then(|d| d.value.day());
        let as_of_cue = match (explicit, includes, said, page_day, strike_day) {
            (Some(_), _, _, _, _) => "as_of:explicit",
            (None, Some(_), _, _, _) => "as_of:strike",
            (None, None, Some(_), _, _) => "as_of:said",
            (None, None, None, Some(_), _) => "as_of:anchor",
            (None, None, None, None, Some(_)) => "as_of:strike",
            (None, None, None, None, None) => "as_of:none",
        };
        let as_of = stated
            .and_then(|d| match d.value {
                DateValue::Day(x) => Some(x),
                _ => None,
            })
            .or(page_day)
            .or(strike_day);
        // A figure below what the campaign had reached is a part of it; the
        // rest of the sentence's total stands without it.
        let killed = killed.filter(|c| !below_campaign_floor(doc, as_of, None, Some(c.value)));
        let strikes = strikes.filter(|c| !below_campaign_floor(doc, as_of, Some(c.value), None));
        if killed.is_none() && strikes.is_none() {
            continue;
        }
        let items: Vec<CountItem> = [killed, strikes, survivors].into_iter().flatten().collect();
        let (Some(start), Some(mut end)) = (
            items.iter().map(|c| c.start).min(),
            items.iter().map(|c| c.end).max(),
        ) else {
            continue;
        };
        if let Some(d) = explicit
            && d.end > end
            && d.start <= end + 1
        {
            end = d.end;
        }
        let Some(whole) = span(doc, start, end) else {
            continue;
        };
        let mut evidence = BTreeMap::new();
        for (field, item) in [
            ("killed", killed),
            ("strikes", strikes),
            ("survivors", survivors),
        ] {
            if let Some(c) = item
                && let Some(s) = span(doc, c.start, c.end)
            {
                evidence.insert(field.to_string(), s);
            }
        }
        if let Some(d) = stated.or(ts.strike_day.as_ref().filter(|_| page_day.is_none()))
            && let Some(s) = span(doc, d.start, d.end)
        {
            evidence.insert("as_of".to_string(), s);
        }
        // A headline printed twice, a summary box: one total told again. The
        // same figures as of the strike and as of the next day's page are
        // one total too: no strike falls between them.
        let told_again = out.iter_mut().find(|t| {
            days_apart(t.as_of, as_of).is_some_and(|d| d <= 1)
                && t.killed == killed.map(|c| c.value)
                && (t.strikes.is_none()
                    || strikes.is_none()
                    || t.strikes == strikes.map(|c| c.value))
        });
        if let Some(earlier) = told_again {
            if earlier.strikes.is_none() {
                earlier.strikes = strikes.map(|c| c.value);
            }
            // Still the figure a day later: it holds as of the later day.
            if as_of > earlier.as_of {
                earlier.as_of = as_of;
            }
            continue;
        }
        out.push(RunningTotal {
            as_of,
            strikes: strikes.map(|c| c.value),
            killed: killed.map(|c| c.value),
            survivors: survivors.map(|c| c.value),
            killed_at_least: killed.is_some_and(|c| c.at_least),
            attributed_to: None,
            text: whole.text.clone(),
            span: whole,
            evidence,
            confidence: total_confidence(&TotalBasis {
                rule,
                as_of: as_of_cue,
                anchor,
            }),
        });
    }
    fold_strike_counts(&mut out);
    out
}

/// "más de un centenar de personas": a round, vague quantity
/// (`vague_figures`, totals lexicons) is no total's figure.
fn vague(doc: &Annotated, c: &CountItem) -> bool {
    (c.start..c.end.max(c.start + 1)).any(|k| doc.find_at(k, |g| g == Tag::VagueFigure).is_some())
}

/// "claiming to have killed two", "en total tres … murieron": fewer dead
/// than the campaign's first strike killed is one strike's toll, never the
/// campaign's.
fn below_first_strike(doc: &Annotated, killed: u32) -> bool {
    doc.lang
        .first_strike_killed
        .is_some_and(|first| killed < first)
}

/// "three more strikes … killing a total of 11" on a February page, "six
/// known attacks this year", "otras doce personas esta semana": a total
/// below what the campaign had already reached by its day is a part of it
/// (one announcement, one week, one sea, one year), not its running total.
fn below_campaign_floor(
    doc: &Annotated,
    as_of: Option<chrono::NaiveDate>,
    strikes: Option<u32>,
    killed: Option<u32>,
) -> bool {
    let Some(day) = as_of else {
        return false;
    };
    doc.lang
        .campaign_floor
        .iter()
        .rev()
        .find(|f| f.from <= day)
        .is_some_and(|f| {
            strikes.is_some_and(|n| n < f.strikes) || killed.is_some_and(|n| n < f.killed)
        })
}

fn days_apart(a: Option<chrono::NaiveDate>, b: Option<chrono::NaiveDate>) -> Option<i64> {
    match (a, b) {
        (Some(a), Some(b)) => Some((a - b).num_days().abs()),
        (None, None) => Some(0),
        _ => None,
    }
}

/// "bringing the campaign to 17 strikes" … "17 strikes and at least 69
/// dead": a count of strikes alone joins the total of the same day that
/// gives the dead, instead of standing as a second total.
fn fold_strike_counts(out: &mut Vec<RunningTotal>) {
    let mut i = 0;
    while i < out.len() {
        let alone = out[i].killed.is_none() && out[i].strikes.is_some();
        let partner = alone
            .then(|| {
                (0..out.len()).find(|&j| {
                    j != i
                        && out[j].as_of == out[i].as_of
                        && out[j].killed.is_some()
                        && (out[j].strikes.is_none() || out[j].strikes == out[i].strikes)
                })
            })
            .flatten();
        let Some(j) = partner else {
            i += 1;
            continue;
        };
        let count = out.remove(i);
        let j = if j > i { j - 1 } else { j };
        if out[j].strikes.is_none() {
            out[j].strikes = count.strikes;
            if let Some(span) = count.evidence.get("strikes") {
                out[j].evidence.insert("strikes".to_string(), span.clone());
            }
        }
    }
}
