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
        if let Some(h) = doc.find_at(t, |g| g == Tag::StrikeNoun)
            && matches!(doc.word(h.end).to_lowercase().as_str(), "to" | "a")
        {
            let mut k = h.end + 1;
            if let Some(lb) = doc.find_at(k, |g| g == Tag::LowerBound) {
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
        let rule = if counted.is_none() && f.toll.is_some() {
            "total:toll_phrase"
        } else if f.total_cue.is_some() {
            "total:cue"
        } else if f.tally_after_rank {
            "total:after_rank"
        } else {
            "total:campaign_count"
        };
        let Some(killed) = counted.or(f.toll) else {
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
        };
        // "The two strikes bring the toll to 75 killed in 19 strikes": the campaign count is the largest.
        let strikes = f
            .counts
            .iter()
            .filter(|c| c.kind == CountKind::Strikes)
            .max_by_key(|c| c.value)
            .copied()
            .or_else(|| strikes_to(doc, ts.sentence.start, ts.sentence.end))
            .or(f.strike_ordinal);
        let survivors = first(CountKind::Survivors);
        let explicit = ts
            .dates
            .iter()
            .find(|d| d.as_of || d.kind == DateKind::EndOfMonth);
        let said = ts.dates.iter().find(|d| d.speech);
        let as_of_cue = match (explicit, said) {
            (Some(_), _) => "as_of:explicit",
            (None, Some(_)) => "as_of:said",
            (None, None) => "as_of:anchor",
        };
        let as_of = explicit
            .or(said)
            .and_then(|d| match d.value {
                DateValue::Day(x) => Some(x),
                _ => None,
            })
            .or(publication);
        let mut items: Vec<CountItem> = vec![killed];
        items.extend(strikes);
        items.extend(survivors);
        let start = items.iter().map(|c| c.start).min().unwrap_or(killed.start);
        let mut end = items.iter().map(|c| c.end).max().unwrap_or(killed.end);
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
            ("killed", Some(killed)),
            ("strikes", strikes),
            ("survivors", survivors),
        ] {
            if let Some(c) = item
                && let Some(s) = span(doc, c.start, c.end)
            {
                evidence.insert(field.to_string(), s);
            }
        }
        if let Some(d) = explicit.or(said)
            && let Some(s) = span(doc, d.start, d.end)
        {
            evidence.insert("as_of".to_string(), s);
        }
        out.push(RunningTotal {
            as_of,
            strikes: strikes.map(|c| c.value),
            killed: Some(killed.value),
            survivors: survivors.map(|c| c.value),
            killed_at_least: killed.at_least,
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
    out
}
