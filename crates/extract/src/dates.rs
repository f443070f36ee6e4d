//! Date expressions: absolute ("Sept. 2", "2 de septiembre", ISO), weekdays,
//! relative words and vague spans, resolved against the publication date.

use chrono::{Datelike, Duration, NaiveDate};

use crate::anchor::Anchors;
use crate::annotate::Annotated;
use crate::lexicon::compiled::Tag;
use crate::lexicon::files::NumericDateOrder;
use crate::text::{Sentence, TokKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateValue {
    Day(NaiveDate),
    /// Inclusive range of days (`earlier this week`).
    Range(NaiveDate, NaiveDate),
    /// A date expression that needs a publication date we do not have.
    Unresolved,
}

impl DateValue {
    pub fn day(self) -> Option<NaiveDate> {
        match self {
            DateValue::Day(d) => Some(d),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateKind {
    MonthDay,
    Weekday,
    Relative,
    Vague,
    EndOfMonth,
    Holiday,
    /// A month named alone ("in September"): some day of it.
    Month,
}

/// A date expression and what its context says it is.
#[derive(Debug, Clone, Copy)]
pub struct DateMention {
    /// First token, including a prefix such as "on" or "late".
    pub start: usize,
    /// First token of the date proper.
    pub core: usize,
    pub end: usize,
    pub value: DateValue,
    pub kind: DateKind,
    /// Marks where a count starts ("since Sept. 2").
    pub since: bool,
    /// The date a total holds for ("as of Nov. 6").
    pub as_of: bool,
    /// "Monday's strike": names a strike already told.
    pub possessive: bool,
    /// When something was said or published ("said Friday").
    pub speech: bool,
    /// Next to a vote, notice, appointment or raid.
    pub noise: bool,
    /// "the first strike since Nov. 15": names the day of an earlier strike only.
    pub reference: bool,
    /// A date naming a strike: possessive ("Thursday's strike") or before
    /// the strike word ("the Dec. 28 attack").
    pub names_strike: bool,
    /// Counted from the strike told before ("two days earlier").
    pub anchored: bool,
    /// The page's own date: a dateline, an "Updated:" line, an editor's
    /// note, a caption or the line closing an embedded post.
    pub page_date: bool,
    /// Told after the lead ("The strike was carried out on Friday").
    pub after_lead: bool,
    /// A day with no year, on a page with no anchor, placed in the
    /// campaign's first year (`campaign_year_day`): a reading, not a statement.
    pub campaign_year: bool,
}

impl DateMention {
    /// The weekday (0 = Monday) of a weekday date a page with no date of
    /// its own could not place.
    pub fn unplaced_weekday(&self, doc: &Annotated) -> Option<u32> {
        if self.value != DateValue::Unresolved {
            return None;
        }
        doc.hits_at(self.core).iter().find_map(|h| match h.tag {
            Tag::Weekday(w) => Some(w),
            _ => None,
        })
    }

    /// Whether this date can be the day of a strike.
    pub fn strike_eligible(&self) -> bool {
        !(self.since
            || self.as_of
            || (self.possessive && !self.names_strike)
            || self.speech
            || self.page_date
            || self.kind == DateKind::EndOfMonth)
    }
}

fn last_on_or_before(month: u32, day: u32, publication: NaiveDate) -> Option<NaiveDate> {
    let this_year = NaiveDate::from_ymd_opt(publication.year(), month, day)?;
    if this_year <= publication {
        Some(this_year)
    } else {
        NaiveDate::from_ymd_opt(publication.year() - 1, month, day)
    }
}

fn month_end(year: i32, month: u32) -> Option<NaiveDate> {
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(ny, nm, 1).map(|d| d - Duration::days(1))
}

fn week_start(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

fn digits(doc: &Annotated, t: usize) -> Option<u32> {
    match doc.tokens.get(t)?.kind {
        TokKind::Digits(v) if doc.word(t).len() <= 4 => v,
        _ => None,
    }
}

/// The day of a month at `t`: digits ("9") or a written ordinal ("9th",
/// "1º de noviembre", "1er novembre").
fn day_of_month(doc: &Annotated, t: usize) -> Option<u32> {
    let day = match doc.tokens.get(t)?.kind {
        TokKind::Ordinal(v) => v,
        _ => digits(doc, t)?,
    };
    (1..=31).contains(&day).then_some(day)
}

fn month_at(doc: &Annotated, t: usize) -> Option<(u32, usize)> {
    doc.hits_at(t).iter().find_map(|h| {
        if let Tag::Month(m) = h.tag {
            Some((m, h.end))
        } else {
            None
        }
    })
}

/// Optional ", 2025" or " 2025" / "de 2025" after a date ending at `t`.
fn year_after(doc: &Annotated, t: usize) -> Option<(i32, usize)> {
    let mut j = t;
    if doc.punct(j) == Some(',') || doc.find_at(j, |g| g == Tag::DayMonthJoiner).is_some() {
        j += 1;
    }
    let y = digits(doc, j)?;
    if (1900..=2100).contains(&y) && doc.word(j).len() == 4 {
        Some((y as i32, j + 1))
    } else {
        None
    }
}

/// An all-digit date with its year: "23.01.2026", "23/01/2026",
/// "23-01-2026" (tokens written without spaces between them). The
/// language's order decides unless one part is above 12. Without a year
/// a pair of digits is a score, a vote or a range, never a date.
fn numeric_date_at(doc: &Annotated, t: usize) -> Option<(u32, u32, Option<i32>, usize)> {
    let first = doc.tokens.get(t)?;
    if !doc.word(t).as_bytes().first()?.is_ascii_digit() {
        return None;
    }
    // The date's text runs over the tokens that touch each other.
    let mut end = t + 1;
    while let (Some(prev), Some(next)) = (doc.tokens.get(end - 1), doc.tokens.get(end)) {
        let part = doc.word(end);
        let joins = part
            .bytes()
            .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'/' | b'-'));
        if prev.end != next.start || !joins || end - t >= 5 {
            break;
        }
        end += 1;
    }
    let last = doc.tokens.get(end - 1)?;
    let raw = doc.text.get(first.start..last.end)?;
    let parts: Vec<&str> = raw.split(['.', '/', '-']).collect();
    let [a, b, y] = parts.as_slice() else {
        return None;
    };
    let small = |p: &str| (1..=2).contains(&p.len()) && p.bytes().all(|c| c.is_ascii_digit());
    if !small(a) || !small(b) || y.len() != 4 || !y.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (a, b, y): (u32, u32, i32) = (a.parse().ok()?, b.parse().ok()?, y.parse().ok()?);
    if !(1990..=2100).contains(&y) {
        return None;
    }
    let day_first = match doc.lang.numeric_dates {
        _ if a > 12 => true,
        _ if b > 12 => false,
        NumericDateOrder::DayFirst => true,
        NumericDateOrder::MonthFirst => false,
    };
    let (m, d) = if day_first { (b, a) } else { (a, b) };
    NaiveDate::from_ymd_opt(y, m, d)?;
    Some((m, d, Some(y), end))
}

/// Parses an absolute month-day at `t`: (month, day, year, end).
fn month_day_at(doc: &Annotated, t: usize) -> Option<(u32, u32, Option<i32>, usize)> {
    if let Some(found) = numeric_date_at(doc, t) {
        return Some(found);
    }
    // Month [.] Day [, Year]
    if let Some((m, mut j)) = month_at(doc, t) {
        if doc.punct(j) == Some('.') {
            j += 1;
        }
        if let Some(d) = day_of_month(doc, j) {
            let end = j + 1;
            return Some(match year_after(doc, end) {
                Some((y, e)) => (m, d, Some(y), e),
                None => (m, d, None, end),
            });
        }
        return None;
    }
    // Day [joiner] Month [, Year]
    let d = day_of_month(doc, t)?;
    let mut j = t + 1;
    if let Some(h) = doc.find_at(j, |g| g == Tag::DayMonthJoiner) {
        j = h.end;
    }
    let (m, end) = month_at(doc, j)?;
    Some(match year_after(doc, end) {
        Some((y, e)) => (m, d, Some(y), e),
        None => (m, d, None, end),
    })
}

/// A day without its year at `t` ("Jan. 23", "23 de enero"): (month, day, end).
pub(crate) fn yearless_day_at(doc: &Annotated, t: usize) -> Option<(u32, u32, usize)> {
    match month_day_at(doc, t)? {
        (m, d, None, end) => Some((m, d, end)),
        _ => None,
    }
}

/// A year the text names at `t`, with the month it starts from: "September
/// 2025" / "septiembre de 2025" give (2025, 9); a bare "2026" gives
/// (2026, 1). Only a four-digit number standing alone is a year.
pub(crate) fn named_year_at(doc: &Annotated, t: usize) -> Option<(i32, u32)> {
    if let Some((m, end)) = month_at(doc, t) {
        let (y, _) = year_after(doc, end)?;
        return Some((y, m));
    }
    let y = digits(doc, t).filter(|y| (2000..=2100).contains(y))?;
    let token = doc.tokens.get(t)?;
    // "2025-26", "2026/02" or a longer number are no year.
    let touches = |k: usize| {
        doc.tokens.get(k).is_some_and(|o| {
            (o.end == token.start || o.start == token.end)
                && !matches!(doc.punct(k), Some(c) if !matches!(c, '/' | '-'))
        })
    };
    if doc.word(t).len() != 4 || touches(t + 1) || (t > 0 && touches(t - 1)) {
        return None;
    }
    Some((y as i32, 1))
}

/// A date with its year at `t` ("May 3, 2026", "3 de mayo de 2026", ISO):
/// (day, end token).
pub fn full_date_at(doc: &Annotated, t: usize) -> Option<(NaiveDate, usize)> {
    if let Some(day) = iso_at(doc, t) {
        return Some((day, t + 1));
    }
    let (m, d, y, end) = month_day_at(doc, t)?;
    Some((NaiveDate::from_ymd_opt(y?, m, d)?, end))
}

fn iso_at(doc: &Annotated, t: usize) -> Option<NaiveDate> {
    let w = doc.word(t);
    if w.len() == 10 && w.as_bytes().get(4) == Some(&b'-') && w.as_bytes().get(7) == Some(&b'-') {
        NaiveDate::parse_from_str(w, "%Y-%m-%d").ok()
    } else {
        None
    }
}

/// Finds every date expression in `doc`.
/// `sentences` tell which dates sit beside a strike word: only those anchor
/// "two days earlier".
pub fn find_dates(
    doc: &Annotated,
    sentences: &[Sentence],
    page_anchors: &Anchors,
) -> Vec<DateMention> {
    let mut out: Vec<DateMention> = Vec::new();
    // Strike days told so far, in order.
    let mut anchors: Vec<NaiveDate> = Vec::new();
    let mut sentence = 0;
    let mut t = 0;
    while t < doc.len() {
        if !may_open_date(doc, t) {
            t += 1;
            continue;
        }
        let direct = parse_at(doc, t, page_anchors.at(t));
        let anchored = direct.is_none();
        let parsed = direct.or_else(|| anchored_at(doc, t, &anchors));
        let Some((value, kind, mut end)) = parsed else {
            t += 1;
            continue;
        };
        // "ayer martes", "yesterday, Tuesday": the weekday after a relative
        // day names the same day and belongs to its wording.
        if kind == DateKind::Relative
            && let Some(day) = value.day()
            && let Some(w) = doc.hits_at(end).iter().find_map(|h| match h.tag {
                Tag::Weekday(w) => Some((w, h.end)),
                _ => None,
            })
            && day.weekday().num_days_from_monday() == w.0
        {
            end = w.1;
        }
        let mut m = DateMention {
            start: t,
            core: t,
            end,
            value,
            kind,
            since: false,
            as_of: false,
            possessive: false,
            speech: false,
            noise: false,
            reference: false,
            names_strike: false,
            anchored: false,
            page_date: false,
            after_lead: false,
            campaign_year: false,
        };
        m.anchored = anchored;
        m.campaign_year = page_anchors.at(t).is_none()
            && matches!(value, DateValue::Day(_))
            && !anchored
            && iso_at(doc, t).is_none()
            && (t..end).all(|k| full_date_at(doc, k).is_none())
            && !weekday_fixes_year(doc, t, value);
        m.page_date = kind == DateKind::MonthDay && crate::anchor::is_page_date(doc, t);
        annotate_context(doc, &mut m);
        // "the January 6 attack on the Capitol" read on a December page: a
        // day before the campaign began is never one of its strikes. On a
        // page whose "today" is only a caption's or an embedded post's date,
        // a day without its year read before the campaign is the next one:
        // the page is newer than its picture ("Nov. 9" under an October
        // photo).
        if let (Some(day), Some(start)) = (m.value.day(), doc.lang.campaign_start)
            && day < start
        {
            let yearless = kind == DateKind::MonthDay
                && iso_at(doc, t).is_none()
                && (t..end).all(|k| full_date_at(doc, k).is_none());
            let weak_anchor = page_anchors.page.is_some_and(|a| a.is_weak());
            match day
                .with_year(day.year() + 1)
                .filter(|_| yearless && weak_anchor)
            {
                Some(next) if next >= start => m.value = DateValue::Day(next),
                _ => m.noise = true,
            }
        }
        while sentence + 1 < sentences.len() && sentences[sentence].end <= t {
            sentence += 1;
        }
        if m.strike_eligible()
            && !m.noise
            && let Some(day) = m.value.day()
            && sentences
                .get(sentence)
                .is_some_and(|s| tells_strike(doc, s.start, s.end))
        {
            anchors.push(day);
        }
        out.push(m);
        t = end;
    }
    stated_elsewhere(&mut out);
    out
}

/// "On Jan. 23" on a page that also says "Friday (Jan 23)": the weekday
/// stated that day's year, so the same day told without it is stated too.
fn stated_elsewhere(dates: &mut [DateMention]) {
    let stated: Vec<NaiveDate> = dates
        .iter()
        .filter(|d| !d.campaign_year && !d.anchored)
        .filter_map(|d| d.value.day())
        .collect();
    for d in dates.iter_mut().filter(|d| d.campaign_year) {
        if d.value.day().is_some_and(|day| stated.contains(&day)) {
            d.campaign_year = false;
        }
    }
}

/// "on October 14" on a page with no date and no year anywhere (a page
/// that names a year has its anchor from it, see `anchor`): the first
/// October 14 from the campaign's first day on. The page itself stays
/// undated: its "Friday" and its totals are not dated by this.
fn campaign_year_day(doc: &Annotated, m: u32, d: u32) -> DateValue {
    let Some(start) = doc.lang.campaign_start else {
        return DateValue::Unresolved;
    };
    let year = if (m, d) >= (start.month(), start.day()) {
        start.year()
    } else {
        start.year() + 1
    };
    NaiveDate::from_ymd_opt(year, m, d).map_or(DateValue::Unresolved, DateValue::Day)
}

/// "Tuesday, Sept. 2" on a page with no year: of the campaign's years, the
/// one in which that day is that weekday. The weekday states the year, so
/// the day is the page's statement, not a reading.
fn campaign_year_by_weekday(doc: &Annotated, m: u32, d: u32, weekday: u32) -> Option<NaiveDate> {
    let start = doc.lang.campaign_start?;
    let first = campaign_year_day(doc, m, d).day()?;
    (0..CAMPAIGN_YEARS)
        .filter_map(|k| NaiveDate::from_ymd_opt(first.year() + k, m, d))
        .find(|day| day >= &start && day.weekday().num_days_from_monday() == weekday)
}

/// How many years from the campaign's start a weekday may place a yearless
/// day in: beyond that, two years share the weekday and it decides nothing.
const CAMPAIGN_YEARS: i32 = 3;

/// Whether the date at `t` opens on a weekday its day agrees with: the
/// weekday fixed the year.
fn weekday_fixes_year(doc: &Annotated, t: usize, value: DateValue) -> bool {
    value.day().is_some_and(|day| {
        doc.hits_at(t)
            .iter()
            .any(|h| matches!(h.tag, Tag::Weekday(w) if w == day.weekday().num_days_from_monday()))
    })
}

/// Whether a date may start at token `t`, as [`parse_at`] or [`anchored_at`]
/// read one: on a figure (a day, an ISO or all-digit date) or on a phrase of
/// one of the date tags they read. Most tokens are neither and skip their
/// probes; a new kind of date read there must be named here too.
fn may_open_date(doc: &Annotated, t: usize) -> bool {
    // The token's first byte is read alone: this is asked of every token.
    doc.tokens
        .get(t)
        .and_then(|k| doc.text.as_bytes().get(k.start))
        .is_some_and(u8::is_ascii_digit)
        || doc.hits_at(t).iter().any(|h| {
            matches!(
                h.tag,
                Tag::Month(_)
                    | Tag::Weekday(_)
                    | Tag::Holiday(_)
                    | Tag::RelDay(_)
                    | Tag::AnchoredDay(_)
                    | Tag::ThisWeek
                    | Tag::ThisMonth
                    | Tag::InMonth
                    | Tag::LastWeek
                    | Tag::EndOfMonth
            )
        })
}

fn parse_at(
    doc: &Annotated,
    t: usize,
    publication: Option<NaiveDate>,
) -> Option<(DateValue, DateKind, usize)> {
    if let Some(day) = iso_at(doc, t) {
        return Some((DateValue::Day(day), DateKind::MonthDay, t + 1));
    }
    if let Some((m, d, y, end)) = month_day_at(doc, t) {
        let value = match (y, publication) {
            (Some(y), _) => {
                NaiveDate::from_ymd_opt(y, m, d).map_or(DateValue::Unresolved, DateValue::Day)
            }
            (None, Some(p)) => {
                last_on_or_before(m, d, p).map_or(DateValue::Unresolved, DateValue::Day)
            }
            (None, None) => campaign_year_day(doc, m, d),
        };
        return Some((value, DateKind::MonthDay, end));
    }
    for h in doc.hits_at(t) {
        match h.tag {
            Tag::Weekday(w) => {
                if let Some(r) = weekday_with_month_day(doc, h.end, w, publication) {
                    return Some(r);
                }
                let value = publication.map_or(DateValue::Unresolved, |p| {
                    let back = (p.weekday().num_days_from_monday() + 7 - w) % 7;
                    DateValue::Day(p - Duration::days(i64::from(back)))
                });
                return Some((value, DateKind::Weekday, h.end));
            }
            Tag::Holiday(md) => return Some(holiday(md, h.end, publication)),
            Tag::RelDay(off) => {
                let value = publication.map_or(DateValue::Unresolved, |p| {
                    DateValue::Day(p + Duration::days(i64::from(off)))
                });
                return Some((value, DateKind::Relative, h.end));
            }
            Tag::ThisWeek => {
                let value = publication.map_or(DateValue::Unresolved, |p| {
                    DateValue::Range(week_start(p), p)
                });
                return Some((value, DateKind::Vague, h.end));
            }
            Tag::ThisMonth => {
                let value = publication.map_or(DateValue::Unresolved, |p| {
                    DateValue::Range(
                        NaiveDate::from_ymd_opt(p.year(), p.month(), 1).unwrap_or(p),
                        p,
                    )
                });
                return Some((value, DateKind::Vague, h.end));
            }
            Tag::InMonth => {
                if let Some(r) = month_alone(doc, h.end, publication) {
                    return Some(r);
                }
            }
            Tag::LastWeek => {
                let value = publication.map_or(DateValue::Unresolved, |p| {
                    let ws = week_start(p);
                    DateValue::Range(ws - Duration::days(7), ws - Duration::days(1))
                });
                return Some((value, DateKind::Vague, h.end));
            }
            Tag::EndOfMonth => {
                if let Some((m, end)) = month_at(doc, h.end) {
                    let value = publication.map_or(DateValue::Unresolved, |p| {
                        let year = if m <= p.month() {
                            p.year()
                        } else {
                            p.year() - 1
                        };
                        month_end(year, m).map_or(DateValue::Unresolved, DateValue::Day)
                    });
                    return Some((value, DateKind::EndOfMonth, end));
                }
            }
            _ => {}
        }
    }
    None
}

/// "in September", "a principios de octubre", "in September 2025": a
/// month named alone after its opening words tells a span of that month —
/// a strike told with it is not the day its story was told. The month is
/// the latest one not after publication; on a page with no date, the
/// campaign's.
fn month_alone(
    doc: &Annotated,
    at: usize,
    publication: Option<NaiveDate>,
) -> Option<(DateValue, DateKind, usize)> {
    let (m, end) = month_at(doc, at)?;
    if month_day_at(doc, at).is_some() {
        return None;
    }
    let (year, end) = match (year_after(doc, end), publication) {
        (Some((y, e)), _) => (Some(y), e),
        (None, Some(p)) if m <= p.month() => (Some(p.year()), end),
        (None, Some(p)) => (Some(p.year() - 1), end),
        (None, None) => (
            doc.lang.campaign_start.map(|s| {
                if m >= s.month() {
                    s.year()
                } else {
                    s.year() + 1
                }
            }),
            end,
        ),
    };
    let value = year
        .and_then(|y| {
            let first = NaiveDate::from_ymd_opt(y, m, 1)?;
            let last = month_end(y, m)?;
            let last = publication.map_or(last, |p| last.min(p));
            (first <= last).then_some(DateValue::Range(first, last))
        })
        .unwrap_or(DateValue::Unresolved);
    Some((value, DateKind::Month, end))
}

/// "Two days earlier": a day counted from the last strike day told before `t`.
fn anchored_at(
    doc: &Annotated,
    t: usize,
    anchors: &[NaiveDate],
) -> Option<(DateValue, DateKind, usize)> {
    let (offset, end) = doc.hits_at(t).iter().find_map(|h| match h.tag {
        Tag::AnchoredDay(off) => Some((off, h.end)),
        _ => None,
    })?;
    let anchor = *anchors.last()?;
    let day = anchor.checked_add_signed(Duration::days(i64::from(offset)))?;
    Some((DateValue::Day(day), DateKind::Relative, end))
}

/// "on Christmas Eve", "en Nochebuena": the latest such day on or before
/// publication.
fn holiday(
    month_day: u32,
    end: usize,
    publication: Option<NaiveDate>,
) -> (DateValue, DateKind, usize) {
    let value = publication
        .and_then(|p| last_on_or_before(month_day / 100, month_day % 100, p))
        .map_or(DateValue::Unresolved, DateValue::Day);
    (value, DateKind::Holiday, end)
}

/// "Saturday, Nov. 1", "on Tuesday (March 3)", "el martes 3 de marzo": the
/// month-day decides the day, and the weekday the year when none is written.
fn weekday_with_month_day(
    doc: &Annotated,
    after: usize,
    weekday: u32,
    publication: Option<NaiveDate>,
) -> Option<(DateValue, DateKind, usize)> {
    let open = match doc.punct(after) {
        Some(',' | '(') => after + 1,
        None if digits(doc, after).is_some() => after,
        _ => return None,
    };
    let (m, d, y, mut end) = month_day_at(doc, open)?;
    if doc.punct(after) == Some('(') && doc.punct(end) == Some(')') {
        end += 1;
    }
    let day = match (y, publication) {
        (Some(y), _) => NaiveDate::from_ymd_opt(y, m, d).map(|d| weekday_nearest(d, weekday)),
        (None, Some(p)) => year_by_weekday(m, d, weekday, p).or(last_on_or_before(m, d, p)),
        (None, None) => campaign_year_by_weekday(doc, m, d, weekday)
            .or_else(|| campaign_year_day(doc, m, d).day()),
    };
    Some((
        day.map_or(DateValue::Unresolved, DateValue::Day),
        DateKind::MonthDay,
        end,
    ))
}

/// "Thursday, February 6, 2026" when February 6 is a Friday: a weekday
/// that disagrees with its full date is the day told in the story (pages'
/// summary boxes slip the number, not the weekday), so the date moves to
/// the nearest such weekday, at most three days away.
fn weekday_nearest(date: NaiveDate, weekday: u32) -> NaiveDate {
    let have = date.weekday().num_days_from_monday();
    let forward = (weekday + 7 - have) % 7;
    let offset = if forward <= 3 {
        i64::from(forward)
    } else {
        i64::from(forward) - 7
    };
    date + Duration::days(offset)
}

/// The year in which month-day falls on `weekday`, nearest to publication
/// and not more than a week after it.
fn year_by_weekday(
    month: u32,
    day: u32,
    weekday: u32,
    publication: NaiveDate,
) -> Option<NaiveDate> {
    let latest = publication + Duration::days(7);
    (publication.year() - 2..=publication.year() + 1)
        .rev()
        .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
        .find(|d| d.weekday().num_days_from_monday() == weekday && *d <= latest)
}

/// "since the campaign began on September 2", "desde que comenzó la campaña
/// el 2 de septiembre": the day a count starts from, told a few words after
/// "since" in the same clause. A strike word between ("since the attack on
/// Nov. 15") names a strike instead.
fn since_began(doc: &Annotated, date: usize) -> bool {
    let lo = date.saturating_sub(8);
    let Some(since) = (lo..date)
        .rev()
        .find(|&k| doc.find_at(k, |g| g == Tag::Since).is_some())
    else {
        return false;
    };
    (since + 1..date).all(|k| {
        !doc.is_punct(k)
            && doc
                .find_at(k, |g| matches!(g, Tag::Trigger | Tag::StrikeNoun))
                .is_none()
    })
}

fn annotate_context(doc: &Annotated, m: &mut DateMention) {
    if let Some(p) = doc.find_ending_at(m.core, |g| g == Tag::DatePrefix) {
        m.start = p.start;
    }
    let before = |pred: fn(Tag) -> bool| {
        doc.find_ending_at(m.start, pred).is_some() || doc.find_ending_at(m.core, pred).is_some()
    };
    m.since = before(|g| g == Tag::Since) || since_began(doc, m.start);
    if m.since
        && doc.punct(m.end) == Some(',')
        && doc.find_at(m.end + 1, |g| g == Tag::EventJoiner).is_some()
    {
        m.since = false;
    }
    if m.since {
        // "the first known attack since Nov. 15" dates the previous strike.
        let lo = m.start.saturating_sub(6);
        let strike_noun = doc
            .any_in(m.start.saturating_sub(4), m.start, |g| g == Tag::StrikeNoun)
            .is_some();
        let first = doc.any_in(lo, m.start, |g| g == Tag::FirstSince).is_some();
        if strike_noun && first {
            m.since = false;
            m.reference = true;
        }
    }
    m.as_of = before(|g| g == Tag::AsOf);
    // "Between Sept. 2 and Jan. 26, the military blew up 36 vessels": the
    // first day starts the count, the last is the day it holds for.
    if before(|g| g == Tag::RangeOpener) {
        m.since = true;
    } else if m.start >= 2
        && doc
            .find_ending_at(m.start, |g| g == Tag::Conjunction)
            .is_some()
        && doc
            .any_in(m.start.saturating_sub(8), m.start, |g| {
                g == Tag::RangeOpener
            })
            .is_some()
    {
        m.as_of = true;
    }
    m.possessive = doc.possessive_at(m.end);
    // "Thursday's strike killed four": the possessive names the strike itself.
    m.names_strike = m.possessive
        && doc
            .find_at(m.end + 2, |g| matches!(g, Tag::Trigger | Tag::StrikeNoun))
            .is_some();
    // "the Dec. 28 attack" names a strike whatever verb comes before.
    let names_strike = doc
        .find_at(m.end, |g| matches!(g, Tag::Trigger | Tag::StrikeNoun))
        .is_some();
    m.names_strike |= names_strike;
    m.speech = !m.names_strike
        && (speech_before(doc, m.start) || doc.find_at(m.end, |g| g == Tag::Speech).is_some());
    // "ordenó el viernes un cuarto ataque", "ordered on Friday a strike": a
    // noise verb whose object, right after the day, is one strike.
    let one_strike_after = doc
        .find_at(m.end, |g| g == Tag::VesselDet)
        .is_some_and(|det| {
            (det.end..det.end + 2).any(|k| doc.find_at(k, |g| g == Tag::StrikeNoun).is_some())
        });
    m.noise = (noise_before(doc, m.start) && !one_strike_after) || noise_after(doc, m.end);
}

/// A noise word right after a date, or in the clause after it at most six
/// tokens on ("la operación del 3 de enero que condujo a la captura de
/// Maduro").
fn noise_after(doc: &Annotated, end: usize) -> bool {
    if doc.any_in(end, end + 3, |g| g == Tag::Noise).is_some() {
        return true;
    }
    let limit = (end + 6).min(doc.tokens.len());
    for t in end..limit {
        if doc.is_punct(t) {
            return false;
        }
        if doc
            .find_at(t, |g| {
                matches!(g, Tag::Trigger | Tag::StrikeNoun | Tag::KillBefore)
            })
            .is_some()
        {
            return false;
        }
        if doc.find_at(t, |g| g == Tag::Noise).is_some() {
            return true;
        }
    }
    false
}

/// A noise word (vote, capture, raid) in the clause before a date, at most
/// six tokens back ("captured Maduro in the early hours of Saturday").
fn noise_before(doc: &Annotated, start: usize) -> bool {
    let mut t = start;
    while t > 0 && start - t < 6 {
        t -= 1;
        if doc.is_punct(t) {
            return false;
        }
        if doc.find_at(t, |g| g == Tag::Noise).is_some() {
            return true;
        }
    }
    false
}

/// A speech or publication word within two content words before `start`,
/// with no strike word in between ("said Friday", "told Congress on Wednesday",
/// but not "announced the strike on Tuesday").
fn speech_before(doc: &Annotated, start: usize) -> bool {
    let mut content = 0;
    let mut t = start;
    while t > 0 && content < 2 {
        t -= 1;
        if doc.is_punct(t) {
            // "The announcement, late Friday, …": the day set off right
            // after a speech word is that speech's.
            return doc.punct(t) == Some(',')
                && t > 0
                && doc
                    .hits_at(t - 1)
                    .iter()
                    .any(|h| h.tag == Tag::Speech && h.end == t);
        }
        let hits = doc.hits_at(t);
        // "informó que el 16 de febrero realizó tres ataques", "said that on
        // Feb. 16 it struck": the day is the reported clause's.
        if hits
            .iter()
            .any(|h| matches!(h.tag, Tag::Trigger | Tag::StrikeNoun | Tag::ReportedClause))
        {
            return false;
        }
        // A speech phrase ending here ("said this on Truth Social on Friday").
        let speech_ends_here = (t.saturating_sub(3)..=t).any(|k| {
            doc.hits_at(k)
                .iter()
                .any(|h| h.tag == Tag::Speech && h.end == t + 1)
        });
        if speech_ends_here {
            return true;
        }
        let function_word = hits
            .iter()
            .any(|h| matches!(h.tag, Tag::Stop | Tag::DatePrefix | Tag::DefiniteDet));
        if !function_word {
            content += 1;
        }
    }
    false
}

/// A sentence with a strike or kill word: its day can anchor a relative one.
fn tells_strike(doc: &Annotated, start: usize, end: usize) -> bool {
    doc.any_in(start, end, |g| {
        matches!(g, Tag::Trigger | Tag::KillAfter | Tag::KillBefore)
    })
    .is_some()
}
