//! Mentions grouped into strike reports: one per strike day (and region),
//! with the main strike of the document told apart from background ones.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use strikewatch_model::{DatePrecision, ReportRole, Span, StrikeReport};

use crate::anchor::Anchors;
use crate::annotate::Annotated;
use crate::confidence::{RegionFrom, ReportBasis, report_confidence};
use crate::dates::{DateKind, DateMention, DateValue};
use crate::facts::{CountItem, CountKind, RegionItem};
use crate::mentions::{DocumentMentions, Mention};
use crate::rules::announced_day::announced_day;

struct Draft {
    date: Option<DateMention>,
    mentions: Vec<Mention>,
    other_strike: bool,
}

impl Draft {
    fn first(&self) -> &Mention {
        &self.mentions[0]
    }

    fn region(&self) -> Option<u16> {
        self.mentions
            .iter()
            .flat_map(|m| m.regions.iter())
            .find_map(|r| r.region)
    }

    /// The paragraph that first tells the strike's dead or survivors (a
    /// headline above it may tell it in words or by its boat), else its first.
    fn told_with_figures(&self) -> usize {
        self.mentions
            .iter()
            .find(|m| {
                m.counts
                    .iter()
                    .any(|c| matches!(c.kind, CountKind::Killed | CountKind::Survivors))
            })
            .unwrap_or(self.first())
            .paragraph
    }

    fn day(&self) -> Option<NaiveDate> {
        self.date.and_then(|d| d.value.day())
    }

    fn has_counts(&self) -> bool {
        self.mentions.iter().flat_map(|m| m.counts.iter()).any(|c| {
            matches!(
                c.kind,
                CountKind::Killed
                    | CountKind::Survivors
                    | CountKind::Vessels
                    | CountKind::VesselsWeak
            )
        })
    }
}

/// Undated lines told before a dated strike whose death toll is another
/// ("four men died after a recent strike" … "On December 15, three boats
/// were destroyed and eight killed"): two strikes, not one. Lines that
/// count several strikes, or a larger toll, sum up the dated ones and stay
/// with them.
fn tolls_differ(pending: &[Mention], dated: &Mention) -> bool {
    // "two strikes in two days that left five dead": a summary of the
    // strikes told next, not one of its own.
    let summary = pending
        .iter()
        .flat_map(|m| m.counts.iter())
        .any(|c| c.kind == CountKind::Strikes && c.value >= 2);
    if summary {
        return false;
    }
    let killed = |m: &Mention| {
        m.counts
            .iter()
            .find(|c| c.kind == CountKind::Killed && c.per_each.is_none())
            .map(|c| c.value)
    };
    // A larger toll before the dated lines is their sum ("three boats in
    // two seas, eleven dead" … "four on each of two boats in the Pacific").
    match (pending.iter().find_map(killed), killed(dated)) {
        (Some(a), Some(b)) => a < b,
        _ => false,
    }
}

/// "Hegseth announced Friday a strike overnight that killed six" … two
/// paragraphs on, "two of the strikes this week were in the Pacific": a
/// vague span told paragraphs after an undated strike with its own figures
/// is not that strike's day (the strike keeps the announcement's day).
fn vague_day_far_below(pending: &[Mention], dated: &Mention) -> bool {
    let vague = dated
        .date
        .is_some_and(|d| matches!(d.value, DateValue::Range(..)));
    let counted = pending.iter().any(|m| {
        m.strike_word
            && m.counts
                .iter()
                .any(|c| matches!(c.kind, CountKind::Killed | CountKind::Vessels))
    });
    let first = pending.iter().map(|m| m.paragraph).min();
    vague && counted && first.is_some_and(|p| dated.paragraph > p + 1)
}

/// "Hegseth has defended the strike on a boat in the Caribbean": a strike
/// told with no day or time word at all and no dead or survivors, only the
/// boat, is a reference to some strike, not a report of one.
fn boat_alone(d: &Draft) -> bool {
    d.date.is_none()
        && !d
            .mentions
            .iter()
            .flat_map(|m| m.counts.iter())
            .any(|c| matches!(c.kind, CountKind::Killed | CountKind::Survivors))
}

/// An undated page: "a strike … killed six, in a dawn operation on
/// Wednesday" (a weekday with nothing to count it from) … "the strike took
/// place … on October 15". The lead's strike and the one day the page names
/// are the same strike when nothing tells them apart: the day is the only
/// dated strike, in the lead's sea, with no other toll and not told as
/// another. The lead takes the day.
fn date_lead_from_later_day(drafts: &mut Vec<Draft>, publication: Option<NaiveDate>) {
    let Some(lead) = drafts
        .iter()
        .position(|d| !d.other_strike && !d.first().in_list && d.first().paragraph <= 1)
        .or_else(|| undated_page_lead(drafts, publication))
    else {
        return;
    };
    if drafts[lead].day().is_some()
        || drafts[lead]
            .date
            .is_some_and(|d| matches!(d.value, DateValue::Range(..)))
    {
        return;
    }
    let dated: Vec<usize> = (0..drafts.len())
        .filter(|&i| drafts[i].day().is_some())
        .collect();
    let [only] = dated.as_slice() else {
        return;
    };
    let killed = |d: &Draft| {
        d.mentions
            .iter()
            .flat_map(|m| m.counts.iter())
            .find(|c| c.kind == CountKind::Killed)
            .map(|c| c.value)
    };
    let later = &drafts[*only];
    let same = *only > lead
        && !later.other_strike
        && !later.mentions.iter().any(|m| m.another || m.in_list)
        && compatible(later.region(), drafts[lead].region())
        && (killed(later).is_none() || killed(later) == killed(&drafts[lead]));
    if !same {
        return;
    }
    let later = drafts.remove(*only);
    let d = &mut drafts[lead];
    d.date = later.date;
    d.mentions.extend(later.mentions);
    d.mentions.sort_by_key(|m| m.start);
}

/// "a burst of attacks in April, when the military struck at least five
/// boats in five days": a strike dated only by its month, told with more
/// boats or dead than one announcement ever counted, or with a count of
/// strikes, is that month's run of strikes, not one report.
fn month_of_strikes(doc: &Annotated, d: &Draft) -> bool {
    if !d.date.is_some_and(|x| x.kind == DateKind::Month) {
        return false;
    }
    let over = |limit: Option<u32>, v: u32| limit.is_some_and(|m| v > m);
    d.mentions
        .iter()
        .flat_map(|m| m.counts.iter())
        .any(|c| match c.kind {
            CountKind::Vessels | CountKind::VesselsWeak => {
                over(doc.lang.max_boats_per_strike, c.value)
            }
            CountKind::Killed => over(doc.lang.max_killed_per_strike, c.value),
            CountKind::Strikes => c.value >= 2,
            _ => false,
        })
}

fn compatible(a: Option<u16>, b: Option<u16>) -> bool {
    a.is_none() || b.is_none() || a == b
}

/// Where the strike was: the first sea named by a mention that names one
/// sea only. A sentence naming both ("un operativo que mantiene en aguas
/// del Caribe y del Pacífico oriental") describes the campaign's area; it
/// places the strike only when nothing else does.
fn strike_sea(d: &Draft) -> Option<RegionItem> {
    let seas = |m: &Mention| {
        let mut found: Vec<u16> = m.regions.iter().filter_map(|r| r.region).collect();
        found.sort_unstable();
        found.dedup();
        found.len()
    };
    let first_in = |m: &Mention| m.regions.iter().find(|r| r.region.is_some()).copied();
    d.mentions
        .iter()
        .filter(|m| seas(m) == 1)
        .find_map(first_in)
        .or_else(|| d.mentions.iter().find_map(first_in))
}

fn mention_region(m: &Mention) -> Option<u16> {
    m.regions.iter().find_map(|r| r.region)
}

/// Groups mentions into strike reports.
pub fn build_reports(
    doc: &Annotated,
    found: &mut DocumentMentions,
    anchors: &Anchors,
) -> Vec<StrikeReport> {
    let publication = anchors.page.map(|a| a.date);
    let mut drafts: Vec<Draft> = Vec::new();
    let mut current: Option<usize> = None;
    let mut pending: Vec<Mention> = Vec::new();
    let mut last_region: Option<u16> = None;
    for mut m in std::mem::take(&mut found.mentions) {
        // "in the same waters": the region told just before.
        for r in m.regions.iter_mut() {
            if r.region.is_none() {
                r.region = last_region;
                r.carried = true;
            }
        }
        if let Some(r) = mention_region(&m) {
            last_region = Some(r);
        }
        if m.context_only {
            continue;
        }
        let region = mention_region(&m);
        let reference = m.date.is_some_and(|d| d.reference);
        let target = match m.date.map(|d| d.value) {
            Some(DateValue::Day(day)) => {
                let same = drafts.iter().position(|d| {
                    !d.other_strike && d.day() == Some(day) && compatible(d.region(), region)
                });
                let rival = current.filter(|&c| {
                    let d = &drafts[c];
                    m.definite
                        && !m.another
                        && !m.in_list
                        && !d.other_strike
                        && compatible(d.region(), region)
                        && d.day().is_some_and(|cd| (cd - day).num_days().abs() <= 1)
                });
                if let (None, Some(c)) = (same, rival) {
                    found.diagnostics.push(format!(
                        "date {day} read as another account of the strike of {}",
                        drafts[c].day().map(|d| d.to_string()).unwrap_or_default()
                    ));
                }
                same.or(rival)
            }
            Some(_) => None,
            None if m.other_strike => None,
            None => match current {
                Some(c) => Some(c),
                None => {
                    pending.push(m);
                    continue;
                }
            },
        };
        let idx = match target {
            Some(i) => {
                drafts[i].mentions.push(m);
                i
            }
            None => {
                let other_strike = m.other_strike;
                let date = m.date;
                let mut mentions = vec![m];
                // Undated lines before "an earlier strike … on Tuesday", "the
                // first such attack since December 22", or before a dated
                // strike with another toll, are not about it.
                if !other_strike
                    && !reference
                    && !tolls_differ(&pending, &mentions[0])
                    && !vague_day_far_below(&pending, &mentions[0])
                {
                    mentions.append(&mut pending);
                }
                drafts.push(Draft {
                    date,
                    mentions,
                    other_strike,
                });
                drafts.len() - 1
            }
        };
        // A reference date names an earlier strike; what follows is not about it.
        if !reference || current.is_none() {
            current = Some(idx);
        }
    }

    // A strike told with a figure but no date at all is still a report
    // (beside strikes told apart from it). The strike word and the figure
    // must be told together.
    if pending.iter().any(|m| {
        m.strike_word
            && m.counts
                .iter()
                .any(|c| matches!(c.kind, CountKind::Killed | CountKind::Vessels))
    }) {
        drafts.push(Draft {
            date: None,
            mentions: std::mem::take(&mut pending),
            other_strike: false,
        });
    }

    date_lead_from_later_day(&mut drafts, publication);

    // A vague span ("this week") that holds a dated strike of the same region is that strike.
    let mut i = 0;
    while i < drafts.len() {
        let absorb = match drafts[i].date.map(|d| d.value) {
            Some(DateValue::Range(a, b)) if !drafts[i].other_strike => {
                // "… the third such strike this month. The strike comes after
                // an attack on Monday": a strike told as another is not it.
                drafts.iter().position(|d| {
                    !d.other_strike
                        && d.day().is_some_and(|day| a <= day && day <= b)
                        && compatible(d.region(), drafts[i].region())
                })
            }
            _ => None,
        };
        if let Some(j) = absorb {
            let mut moved = std::mem::take(&mut drafts[i].mentions);
            drafts[j].mentions.append(&mut moved);
            drafts[j].mentions.sort_by_key(|m| m.start);
            drafts.remove(i);
            continue;
        }
        i += 1;
    }

    drafts.retain(|d| !month_of_strikes(doc, d));

    // A strike report needs a strike word somewhere in its mentions: a date
    // beside a death figure ("relatives of two men killed … filed on
    // Tuesday") is not one. A dated list line is a strike by its place.
    // A boat told with a death toll is a strike even in words the lexicon
    // lacks ("four people aboard a boat were killed on Tuesday").
    drafts.retain(|d| {
        let counted = |kinds: &[CountKind]| {
            d.mentions
                .iter()
                .filter(|m| !m.mishap)
                .flat_map(|m| m.counts.iter())
                .any(|c| kinds.contains(&c.kind))
        };
        (d.day().is_some() || d.has_counts())
            && (d.mentions.iter().any(|m| m.strike_word || m.in_list)
                || (counted(&[CountKind::Killed])
                    && counted(&[CountKind::Vessels, CountKind::VesselsWeak])))
    });
    let main = drafts
        .iter()
        .enumerate()
        .filter(|(_, d)| !d.other_strike && !d.first().in_list && d.first().paragraph <= 1)
        .min_by_key(|(_, d)| d.first().start)
        .map(|(i, _)| i)
        .or_else(|| late_news(&drafts, publication))
        .or_else(|| undated_page_lead(&drafts, publication))
        .or_else(|| lead_told_in_words(&drafts, found.lead_tells_strike))
        .or_else(|| lead_below_furniture(&drafts, publication))
        .or_else(|| follow_up_lead(&drafts));

    // The main strike told only by its announcement's day, or by a span
    // that holds it ("said Friday … its third strike this month").
    let mut main = main;
    if let Some(m) = main
        && let Some(day) = announced_day(
            &found.speech_days,
            drafts[m].told_with_figures(),
            publication,
        )
        && (drafts[m].date.is_none() || span_holds(drafts[m].date, day.value.day()))
    {
        match drafts
            .iter()
            .position(|d| d.day().is_some() && d.day() == day.value.day())
        {
            None => drafts[m].date = Some(day),
            // "… said Feb. 9" … "The Feb. 9 strike": the same strike.
            Some(j) if same_strike_told_again(&drafts[m], &drafts[j]) => {
                main = Some(absorb_main(&mut drafts, m, j));
            }
            Some(_) => {}
        }
    }
    // "in a dawn operation on Wednesday" … "on October 15" on a page with no
    // date: the weekday of the day told later.
    if let Some(m) = main
        && let Some(w) = drafts[m].date.and_then(|d| d.unplaced_weekday(doc))
        && let Some(j) = drafts.iter().position(|d| {
            d.day()
                .is_some_and(|day| day.weekday().num_days_from_monday() == w)
        })
        && same_strike_told_again(&drafts[m], &drafts[j])
    {
        main = Some(absorb_main(&mut drafts, m, j));
    }

    main = fold_weekdays_into_days(doc, &mut drafts, main);

    if let Some(m) = main
        && let Some(j) = day_naming_quoted_today(&drafts, m)
    {
        main = Some(absorb_main(&mut drafts, m, j));
    }

    let mut reports = Vec::new();
    for (i, d) in drafts.iter().enumerate() {
        if boat_alone(d) {
            continue;
        }
        let role = if Some(i) == main {
            ReportRole::Main
        } else {
            ReportRole::Background
        };
        let mut drafted = draft_reports(doc, d, role, &found.list_context);
        let confidence = report_confidence(&basis(d, &drafted, anchors));
        for r in &mut drafted {
            r.confidence = confidence.clone();
        }
        reports.extend(drafted);
    }
    reports
}

/// Whether the dated draft `later` can be the main strike `main` told again:
/// neither is another strike, their seas agree and their tolls do not differ.
fn same_strike_told_again(main: &Draft, later: &Draft) -> bool {
    let killed = |d: &Draft| {
        d.mentions
            .iter()
            .flat_map(|m| m.counts.iter())
            .find(|c| c.kind == CountKind::Killed && c.per_each.is_none())
            .map(|c| c.value)
    };
    // "The Feb. 9 strike follows … a previous attack": the day names its
    // strike; the earlier one is another.
    let named = later.date.is_some_and(|d| d.names_strike);
    !main.other_strike
        && (!later.other_strike || named)
        && compatible(main.region(), later.region())
        && match (killed(main), killed(later)) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        }
}

/// "“Today, … carried out a lethal kinetic strike,” Hegseth said" on a page
/// dated the day after … "Tuesday's strike is the latest": a "today" read
/// against the page's date is a day late; the day that names the strike a
/// day off is the main strike's own.
fn day_naming_quoted_today(drafts: &[Draft], m: usize) -> Option<usize> {
    let main = &drafts[m];
    let relative = main
        .date
        .is_some_and(|d| d.kind == DateKind::Relative && !d.anchored);
    let day = main.day().filter(|_| relative)?;
    drafts.iter().enumerate().position(|(j, d)| {
        j != m
            && d.date.is_some_and(|x| x.names_strike)
            && d.day()
                .is_some_and(|x| x != day && (x - day).num_days().abs() <= 1)
            && same_strike_told_again(main, d)
    })
}

/// Folds the dated draft `j` into the main draft `m`, which takes its day;
/// returns the main draft's index after `j` is removed.
fn absorb_main(drafts: &mut Vec<Draft>, m: usize, j: usize) -> usize {
    let later = drafts.remove(j);
    let m = if j < m { m - 1 } else { m };
    drafts[m].date = later.date;
    drafts[m].mentions.extend(later.mentions);
    drafts[m].mentions.sort_by_key(|x| x.start);
    m
}

/// "a Dec. 30 strike on a convoy" … "struck the first of the three boats on
/// Tuesday" on a page with no date: a weekday nothing could place, told of
/// a strike that is not the main one, is the one dated strike falling on
/// that weekday, when nothing tells them apart. Returns the main draft's
/// index after the folds.
fn fold_weekdays_into_days(
    doc: &Annotated,
    drafts: &mut Vec<Draft>,
    mut main: Option<usize>,
) -> Option<usize> {
    let mut i = 0;
    while i < drafts.len() {
        let weekday = drafts[i].date.and_then(|d| d.unplaced_weekday(doc));
        let target = weekday.and_then(|w| {
            let mut on_it = (0..drafts.len()).filter(|&j| {
                drafts[j]
                    .day()
                    .is_some_and(|day| day.weekday().num_days_from_monday() == w)
            });
            let only = on_it.next().filter(|_| on_it.next().is_none())?;
            same_strike_told_again(&drafts[only], &drafts[i]).then_some(only)
        });
        let Some(j) = target.filter(|_| Some(i) != main) else {
            i += 1;
            continue;
        };
        let folded = drafts.remove(i);
        let j = if i < j { j - 1 } else { j };
        drafts[j].mentions.extend(folded.mentions);
        drafts[j].mentions.sort_by_key(|x| x.start);
        main = main.map(|m| if i < m { m - 1 } else { m });
    }
    main
}

/// Whether the strike is also told by a weekday nothing else placed, on
/// which `day` falls ("on Tuesday" … "the Dec. 30 strike"): the page then
/// states the day's year.
fn weekday_told(doc: &Annotated, d: &Draft, day: NaiveDate) -> bool {
    let w = day.weekday().num_days_from_monday();
    d.mentions.iter().any(|m| {
        m.unplaced_weekday == Some(w) || m.date.and_then(|x| x.unplaced_weekday(doc)) == Some(w)
    })
}

/// A feature that opens on something else and announces the news further
/// down: the latest strike dated within a few days of publication is the main one.
fn late_news(drafts: &[Draft], publication: Option<NaiveDate>) -> Option<usize> {
    let publication = publication?;
    drafts
        .iter()
        .enumerate()
        .filter(|(_, d)| !d.other_strike && !d.first().in_list)
        .filter_map(|(i, d)| d.day().map(|day| (i, day)))
        .filter(|&(_, day)| day <= publication && (publication - day).num_days() <= 3)
        .max_by_key(|&(i, day)| (day, std::cmp::Reverse(i)))
        .map(|(i, _)| i)
}

/// Whether `date` is a vague span ("this month", "this week") holding `day`.
fn span_holds(date: Option<DateMention>, day: Option<NaiveDate>) -> bool {
    match (date.map(|d| d.value), day) {
        (Some(DateValue::Range(a, b)), Some(x)) => a <= x && x <= b,
        _ => false,
    }
}

/// A page with no day of its own that opens on headlines, bylines and
/// empty "Published" lines: its first strike told is its news.
fn undated_page_lead(drafts: &[Draft], publication: Option<NaiveDate>) -> Option<usize> {
    if publication.is_some() {
        return None;
    }
    first_told(drafts)
}

/// The first strike the page tells that is neither told as another nor a
/// list line.
fn first_told(drafts: &[Draft]) -> Option<usize> {
    drafts
        .iter()
        .enumerate()
        .filter(|(_, d)| !d.other_strike && !d.first().in_list)
        .min_by_key(|(_, d)| d.first().start)
        .map(|(i, _)| i)
}

/// Whether the draft tells its strike's dead or survivors.
fn tells_the_dead(d: &Draft) -> bool {
    d.mentions
        .iter()
        .flat_map(|m| m.counts.iter())
        .any(|c| matches!(c.kind, CountKind::Killed | CountKind::Survivors))
}

/// "President Trump posted a video announcing the U.S. carried out another
/// strike" … three paragraphs on, the post with its dead: a lead that tells
/// a strike in words alone makes the first strike told after it, with its
/// dead or survivors and no day of its own, the news.
fn lead_told_in_words(drafts: &[Draft], lead_tells_strike: bool) -> Option<usize> {
    if !lead_tells_strike {
        return None;
    }
    first_told(drafts).filter(|&i| drafts[i].date.is_none() && tells_the_dead(&drafts[i]))
}

/// How far down a page of headlines, site names, language menus and date
/// lines the news lead may start.
const FURNITURE_PARAGRAPHS: usize = 10;

/// A page that opens on other stories' headlines, the site's name, a date
/// line and a language menu: its first strike told with its dead or
/// survivors, a few paragraphs down, with no day or a day close to the
/// page's, is the news ("President Donald Trump on Monday said US forces had
/// killed three people in another strike").
fn lead_below_furniture(drafts: &[Draft], publication: Option<NaiveDate>) -> Option<usize> {
    first_told(drafts).filter(|&i| {
        let d = &drafts[i];
        d.first().paragraph <= FURNITURE_PARAGRAPHS
            && tells_the_dead(d)
            && match (d.day(), publication) {
                (Some(day), Some(p)) => day <= p && (p - day).num_days() <= 3,
                (Some(_), None) => false,
                (None, _) => true,
            }
    })
}

/// A follow-up story ("families of two men killed in the Oct. 14 strike
/// sued on Tuesday"): its lead, under the headline and furniture, tells one
/// earlier strike alone, with its dead. That strike is what the page is
/// about, however old; a roundup's lead tells several.
fn follow_up_lead(drafts: &[Draft]) -> Option<usize> {
    first_told(drafts).filter(|&i| {
        let d = &drafts[i];
        let paragraph = d.first().paragraph;
        paragraph <= FURNITURE_PARAGRAPHS
            && tells_the_dead(d)
            && drafts
                .iter()
                .enumerate()
                .all(|(j, o)| j == i || o.mentions.iter().all(|m| m.paragraph > paragraph))
    })
}

/// What a draft's report rests on, for its confidence.
fn basis(d: &Draft, drafted: &[StrikeReport], anchors: &Anchors) -> ReportBasis {
    let own_region = d
        .mentions
        .iter()
        .flat_map(|m| m.regions.iter())
        .find(|r| r.region.is_some());
    let region = match own_region {
        Some(r) if r.carried => RegionFrom::SameArea,
        Some(_) => RegionFrom::Own,
        None if drafted.iter().any(|r| r.region.is_some()) => RegionFrom::ListHeading,
        None => RegionFrom::Missing,
    };
    let dated_paragraph = d
        .mentions
        .iter()
        .find(|m| m.date.is_some())
        .map(|m| m.paragraph);
    // The toll told in another paragraph than the day (carried over).
    let toll_paragraph = d
        .mentions
        .iter()
        .find(|m| m.counts.iter().any(|c| c.kind == CountKind::Killed))
        .map(|m| m.paragraph);
    let carried = matches!((dated_paragraph, toll_paragraph), (Some(a), Some(b)) if a != b);
    ReportBasis {
        date: d.date,
        anchor: anchors.page,
        post_anchor: d.date.is_some_and(|dm| {
            anchors
                .local
                .iter()
                .any(|l| l.start <= dm.start && dm.start < l.end)
        }),
        region,
        killed: drafted.iter().any(|r| r.killed.is_some()),
        strike_word: d.mentions.iter().any(|m| m.strike_word),
        list_line: d.first().in_list,
        carried,
    }
}

fn span(doc: &Annotated, start: usize, end: usize) -> Option<Span> {
    let (s, e) = doc.byte_range(start, end);
    Span::of(doc.text, s, e)
}

fn first_of(d: &Draft, pred: impl Fn(&CountItem) -> bool) -> Option<CountItem> {
    d.mentions
        .iter()
        .flat_map(|m| m.counts.iter())
        .find(|c| pred(c))
        .copied()
}

fn draft_reports(
    doc: &Annotated,
    d: &Draft,
    role: ReportRole,
    list_context: &std::collections::HashMap<usize, u16>,
) -> Vec<StrikeReport> {
    let mut evidence = BTreeMap::new();
    let (date, precision, from, to, date_text) = match d.date {
        Some(dm) => {
            if let Some(s) = span(doc, dm.start, dm.end) {
                evidence.insert("date".to_string(), s);
            }
            let text = span(doc, dm.start, dm.end).map(|s| s.text);
            match dm.value {
                // A day placed in the campaign's first year is a reading the
                // page never states ("on Oct. 27" with no year anywhere): the
                // report keeps its words and leaves the day open.
                DateValue::Day(x) if dm.campaign_year && !weekday_told(doc, d, x) => {
                    (None, DatePrecision::Unknown, None, None, text)
                }
                DateValue::Day(x) => (Some(x), DatePrecision::Day, Some(x), Some(x), text),
                DateValue::Range(a, b) => (None, DatePrecision::Range, Some(a), Some(b), text),
                DateValue::Unresolved => (None, DatePrecision::Unknown, None, None, text),
            }
        }
        None => (None, DatePrecision::Unknown, None, None, None),
    };
    let region_item = strike_sea(d);
    let mut region = region_item.and_then(|r| r.region);
    if let Some(r) = region_item
        && let Some(s) = span(doc, r.start, r.end)
    {
        evidence.insert("region".to_string(), s);
    }
    if region.is_none() && d.first().in_list {
        region = list_context.get(&d.first().line).copied();
    }
    // "the bombing of 21 boats" in a headline over one strike's story: a
    // boat count far above any one announcement's (twice the most boats
    // ever announced at once) is the campaign's, never the strike's.
    let one_strike_boats = |c: &CountItem| {
        doc.lang
            .max_boats_per_strike
            .is_none_or(|m| c.value <= m.saturating_mul(2))
    };
    let vessels_item = first_of(d, |c| c.kind == CountKind::Vessels && one_strike_boats(c))
        .or_else(|| {
            first_of(d, |c| {
                c.kind == CountKind::VesselsWeak && one_strike_boats(c)
            })
        });
    // "two vessels … a third": the highest rank told raises the count.
    let ranked = d
        .mentions
        .iter()
        .flat_map(|m| m.counts.iter())
        .filter(|c| c.kind == CountKind::VesselOrdinal)
        .map(|c| c.value)
        .max();
    let vessels = match (vessels_item.map(|c| c.value), ranked) {
        (Some(v), Some(r)) => Some(v.max(r)),
        (v, None) => v,
        (None, Some(_)) => None,
    };
    // A campaign's figure told beside the strike is not its toll when the
    // strike has one of its own; a figure no strike has had, told alone,
    // stays for the resolver to grade suspect and a reviewer to judge.
    let plausible = |c: &CountItem| doc.lang.max_killed_per_strike.is_none_or(|m| c.value <= m);
    let killed_item = first_of(d, |c| c.kind == CountKind::Killed && plausible(c))
        .or_else(|| first_of(d, |c| c.kind == CountKind::Killed));
    let per_boat: Vec<CountItem> = d
        .mentions
        .iter()
        .filter(|m| m.vessel_line)
        .filter_map(|m| {
            m.counts
                .iter()
                .find(|c| c.kind == CountKind::Killed && plausible(c))
        })
        .copied()
        .collect();
    // "Vessel one: 3 killed / Vessel two: 2 killed": the strike's toll is the sum.
    let killed = if per_boat.len() >= 2 {
        Some(per_boat.iter().map(|c| c.value).sum())
    } else {
        killed_item.map(|c| per_each(c, vessels))
    };
    let survivors_item = first_of(d, |c| c.kind == CountKind::Survivors && c.value == 0)
        .or_else(|| first_of(d, |c| c.kind == CountKind::Survivors));
    for (field, item) in [
        ("vessels", vessels_item),
        ("killed", killed_item),
        ("survivors", survivors_item),
    ] {
        if let Some(c) = item
            && let Some(s) = span(doc, c.start, c.end)
        {
            evidence.insert(field.to_string(), s);
        }
    }
    if let Some(t) = d.mentions.iter().find_map(|m| m.trigger)
        && let Some(s) = span(doc, t.start, t.end)
    {
        evidence.insert("trigger".to_string(), s);
    }
    let target_group = d
        .mentions
        .iter()
        .find_map(|m| m.target_group)
        .and_then(|h| {
            if let crate::lexicon::compiled::Tag::TargetGroup(i) = h.tag {
                if let Some(s) = span(doc, h.start, h.end) {
                    evidence.insert("target_group".to_string(), s);
                }
                doc.lang.target_groups.get(usize::from(i)).cloned()
            } else {
                None
            }
        });
    let base = StrikeReport {
        date,
        date_precision: precision,
        date_from: from,
        date_to: to,
        date_text,
        region: region
            .and_then(|r| doc.lang.regions.get(usize::from(r)))
            .map(|r| r.key.clone()),
        location_text: region_item
            .and_then(|r| span(doc, r.start, r.end))
            .map(|s| s.text),
        coordinates: None,
        vessels,
        killed,
        killed_at_least: killed_item.is_some_and(|c| c.at_least),
        survivors: survivors_item.map(|c| c.value),
        target_group,
        announced_by: None,
        role,
        evidence,
        confidence: Default::default(),
    };

    // One announcement over two seas: one report per region, from its share
    // of the boats ("two in the eastern Pacific and one in the Caribbean")
    // or, failing that, of the dead ("four in the eastern Pacific and seven
    // in the Caribbean").
    let mut split: Vec<(u16, Option<u32>, usize, usize)> = Vec::new();
    for b in d.mentions.iter().flat_map(|m| m.breakdown.iter()) {
        if !split.iter().any(|(r, ..)| *r == b.region) {
            split.push((b.region, Some(b.value), b.start, b.end));
        }
    }
    if split.len() < 2 {
        split.clear();
        for c in d.mentions.iter().flat_map(|m| m.counts.iter()) {
            if c.kind == CountKind::Killed
                && let Some(r) = c.region_hint
                && !split.iter().any(|(x, ..)| *x == r)
            {
                split.push((r, None, c.start, c.end));
            }
        }
    }
    if split.len() < 2 {
        split = one_count_over_joined_seas(doc, d);
    }
    if split.len() < 2 {
        return vec![base];
    }
    split
        .into_iter()
        .map(|(r, v, s, e)| {
            let mut rep = base.clone();
            rep.region = doc.lang.regions.get(usize::from(r)).map(|x| x.key.clone());
            rep.vessels = v;
            rep.survivors = None;
            rep.evidence.remove("survivors");
            rep.evidence.remove("killed");
            rep.evidence.remove("vessels");
            if let Some(sp) = span(doc, s, e) {
                rep.location_text = Some(sp.text.clone());
                rep.evidence.insert("region".into(), sp.clone());
                if v.is_some() {
                    rep.evidence.insert("vessels".into(), sp);
                }
            }
            let hinted: Vec<CountItem> = d
                .mentions
                .iter()
                .flat_map(|m| m.counts.iter())
                .filter(|c| c.kind == CountKind::Killed && c.region_hint == Some(r))
                .copied()
                .collect();
            rep.killed = if hinted.is_empty() {
                None
            } else {
                Some(hinted.iter().map(|c| per_each(*c, v)).sum())
            };
            rep.killed_at_least = hinted.iter().any(|c| c.at_least);
            if let Some(c) = hinted.first()
                && let Some(sp) = span(doc, c.start, c.end)
            {
                rep.evidence.insert("killed".into(), sp);
            }
            rep
        })
        .collect()
}

/// "targeted three vessels operating in the Eastern Pacific and Caribbean",
/// "Tres ataques en el Pacífico y el Caribe": a count of boats or strikes
/// right before two joined seas is one announcement over both, one report
/// per sea with no share of the boats or dead the page does not give. Seas
/// joined farther from the count ("two boats …, as part of operations in
/// the Caribbean and eastern Pacific") are the campaign's waters.
fn one_count_over_joined_seas(doc: &Annotated, d: &Draft) -> Vec<(u16, Option<u32>, usize, usize)> {
    const REACH: usize = 8;
    for m in &d.mentions {
        let Some(first) = m.joined_seas.first() else {
            continue;
        };
        let counted = m.counts.iter().any(|c| {
            matches!(c.kind, CountKind::Vessels | CountKind::Strikes)
                && c.value >= 2
                // "at least 14 vessels in the Caribbean and Pacific": more
                // boats than one announcement has had are the campaign's.
                && doc.lang.max_boats_per_strike.is_none_or(|most| c.value <= most)
                && c.end <= first.start
                && first.start - c.end <= REACH
                && (c.end..first.start).all(|k| doc.punct(k).is_none())
        });
        if !counted {
            continue;
        }
        let mut seas: Vec<(u16, Option<u32>, usize, usize)> = Vec::new();
        for r in &m.joined_seas {
            if let Some(region) = r.region
                && !seas.iter().any(|(x, ..)| *x == region)
            {
                seas.push((region, None, r.start, r.end));
            }
        }
        if seas.len() >= 2 {
            return seas;
        }
    }
    Vec::new()
}

fn per_each(c: CountItem, vessels: Option<u32>) -> u32 {
    match c.per_each {
        Some(Some(n)) => c.value.saturating_mul(n),
        Some(None) => c.value.saturating_mul(vessels.unwrap_or(1).max(1)),
        None => c.value,
    }
}
