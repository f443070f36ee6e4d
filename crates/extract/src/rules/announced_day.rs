//! A strike told only by the day it was announced. "Hegseth said Friday he
//! ordered a fourth strike", "Southern Command said late Monday that it
//! carried out a strike", "In a post on X Saturday evening, Hegseth said …":
//! the page names no other day for the strike it is about. Announcements
//! of this campaign came the day of the strike or the day after, so the
//! announcement's day dates the main strike — marked as such
//! (`date:announcement_day`, medium confidence) — rather than leaving it
//! undated. A strike with a day of its own never takes one (`dates`
//! keeps speech days off strikes), and a day more than a week before the
//! page is not an announcement of its news.

use chrono::NaiveDate;

use crate::dates::{DateMention, DateValue};

/// A day the page says something was said or posted, with its paragraph.
#[derive(Debug, Clone, Copy)]
pub struct SpeechDay {
    pub date: DateMention,
    pub paragraph: usize,
    /// The sentence that says it tells a strike with its dead or its boat
    /// ("Southern Command said Friday night that its latest strike … killed
    /// three people").
    pub tells_strike: bool,
}

impl SpeechDay {
    /// A speech day that can stand for a strike's announcement: a whole day,
    /// not the page's own date line nor a day beside a vote or a raid.
    pub fn of(date: &DateMention, paragraph: usize, tells_strike: bool) -> Option<SpeechDay> {
        (date.speech
            && !date.page_date
            && !date.noise
            && !date.since
            && !date.as_of
            && matches!(date.value, DateValue::Day(_)))
        .then_some(SpeechDay {
            date: *date,
            paragraph,
            tells_strike,
        })
    }
}

/// How many paragraphs after the strike's first a sentence that itself
/// tells the strike may give its announcement day: a headline, a summary, a
/// byline and a date line often stand before the lead.
const LEAD_AFTER_FURNITURE: usize = 8;

/// The announcement day for an undated main strike first told in
/// `first_paragraph`: the first speech day in the lead, up to the paragraph
/// after the strike's own — or a few further down when the sentence that
/// says it tells the strike.
pub fn announced_day(
    speech_days: &[SpeechDay],
    first_paragraph: usize,
    publication: Option<NaiveDate>,
) -> Option<DateMention> {
    speech_days
        .iter()
        .filter(|s| {
            s.paragraph <= first_paragraph.max(1) + 1
                || (s.tells_strike && s.paragraph <= first_paragraph.max(1) + LEAD_AFTER_FURNITURE)
        })
        .find(|s| {
            let Some(day) = s.date.value.day() else {
                return false;
            };
            publication.is_none_or(|p| day <= p && (p - day).num_days() <= 7)
        })
        .map(|s| s.date)
}
