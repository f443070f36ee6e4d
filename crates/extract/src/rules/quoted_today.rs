//! A quoted post's "today" is the post's day. "“Today we hit another
//! boat,” Hegseth wrote on Saturday evening." in a page dated Sunday: the
//! strike is Saturday's, and is not a second strike of Sunday. The day the
//! page says the post was made ("wrote on Saturday", "posted on Wednesday")
//! wins over the page's date and over an embedded post's footer (often a
//! UTC date, a day late).

use chrono::Duration;

use crate::anchor::Anchors;
use crate::annotate::Annotated;
use crate::dates::{DateKind, DateMention, DateValue};
use crate::lexicon::compiled::Tag;

/// Re-resolves relative days inside quotes or embedded posts against the
/// day the page says the post was made.
pub fn quoted_today(doc: &Annotated, dates: &mut [DateMention], anchors: &Anchors) {
    // Most pages have no relative day at all: nothing to re-resolve.
    if !dates
        .iter()
        .any(|d| d.kind == DateKind::Relative && !d.anchored)
    {
        return;
    }
    let Some(post_day) = dates
        .iter()
        .find(|d| {
            (d.speech || announced_with_strike(doc, d.start))
                && !in_quote(doc, d.start)
                && matches!(d.kind, DateKind::Weekday | DateKind::MonthDay)
        })
        .and_then(|d| d.value.day())
    else {
        return;
    };
    for d in dates.iter_mut() {
        if d.kind != DateKind::Relative || d.anchored {
            continue;
        }
        let embedded = anchors
            .local
            .iter()
            .any(|l| l.start <= d.start && d.start < l.end);
        if !(embedded || in_quote(doc, d.start)) {
            continue;
        }
        let (Some(day), Some(base)) = (d.value.day(), anchors.at(d.start)) else {
            continue;
        };
        let offset = (day - base).num_days();
        if let Some(resolved) = post_day.checked_add_signed(Duration::days(offset)) {
            d.value = DateValue::Day(resolved);
        }
    }
}

/// "Hegseth announced yet another deadly strike on Thursday": a speech
/// word a few words before the day, with the strike it announced between,
/// dates the announcement (and the strike) as well.
fn announced_with_strike(doc: &Annotated, date: usize) -> bool {
    const WORDS: usize = 8;
    let lo = date.saturating_sub(WORDS);
    let Some(speech) = doc.any_in(lo, date, |g| g == Tag::Speech) else {
        return false;
    };
    (speech.end..date).all(|k| !doc.is_punct(k))
        && doc
            .any_in(speech.end, date, |g| {
                matches!(g, Tag::Trigger | Tag::StrikeNoun)
            })
            .is_some()
}

/// Whether token `t` sits inside quote marks opened earlier in its paragraph.
fn in_quote(doc: &Annotated, t: usize) -> bool {
    let mut open = false;
    let mut k = t;
    while k > 0 {
        k -= 1;
        let gap = doc
            .text
            .get(doc.tokens[k].end..doc.tokens.get(k + 1).map_or(doc.tokens[k].end, |n| n.start))
            .unwrap_or("");
        if gap.matches('\n').count() > 1 {
            break;
        }
        match doc.punct(k) {
            Some('“' | '«') => return !open,
            Some('”' | '»') => return false,
            Some('"') => open = !open,
            _ => {}
        }
    }
    open
}
