//! The page's "today": the day relative dates ("on Friday", "yesterday")
//! resolve against. The publication date when the document has one; else,
//! in this order, a date in its URL, a dateline or "Updated:" line, an
//! editor's note, a photo caption, an embedded post's closing date, and
//! the latest full date in the text. An embedded post's own relative dates
//! resolve against the post's date, whatever the page's anchor.

use chrono::NaiveDate;
use strikewatch_model::{DateSource, Document};

use crate::annotate::Annotated;
use crate::dates::{full_date_at, named_year_at, yearless_day_at};
use crate::lexicon::compiled::Tag;

/// The day a page's relative dates resolve against, and where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Anchor {
    pub date: NaiveDate,
    pub source: DateSource,
}

impl Anchor {
    /// The rule that gave this anchor, as a confidence cue.
    pub fn cue(self) -> &'static str {
        match self.source {
            DateSource::PublishedAt => "anchor:published_at",
            DateSource::Url => "anchor:url",
            DateSource::Dateline => "anchor:dateline",
            DateSource::EditorsNote => "anchor:editors_note",
            DateSource::Caption => "anchor:caption",
            DateSource::EmbeddedPost => "anchor:embedded_post",
            DateSource::Text => "anchor:text",
        }
    }

    /// A weak anchor: a date that is only near the page's own day.
    pub fn is_weak(self) -> bool {
        matches!(
            self.source,
            DateSource::Caption | DateSource::EmbeddedPost | DateSource::Text
        )
    }
}

/// Tokens `start..end` (an embedded post) whose relative dates resolve
/// against the post's own date.
#[derive(Debug, Clone, Copy)]
pub struct LocalAnchor {
    pub start: usize,
    pub end: usize,
    pub date: NaiveDate,
}

/// The page's anchor and the anchors of the posts it embeds.
pub struct Anchors {
    pub page: Option<Anchor>,
    pub local: Vec<LocalAnchor>,
}

impl Anchors {
    /// The day relative dates at token `t` resolve against.
    pub fn at(&self, t: usize) -> Option<NaiveDate> {
        self.local
            .iter()
            .find(|l| l.start <= t && t < l.end)
            .map(|l| l.date)
            .or(self.page.map(|a| a.date))
    }
}

/// Finds the page's anchor and its embedded posts' anchors.
pub fn find_anchors(document: &Document, doc: &Annotated) -> Anchors {
    let posts = embedded_posts(doc);
    let local = posts.iter().map(|p| p.local).collect();
    let from_page = || {
        document
            .url
            .as_deref()
            .and_then(url_date)
            .or_else(|| line_anchor(doc, &posts))
            .or_else(|| yearless_anchor(doc, document.url.as_deref()))
            .or_else(|| yearless_dateline(doc))
    };
    let stored = document.publication_date().map(|date| Anchor {
        date,
        source: DateSource::PublishedAt,
    });
    let page = match stored {
        // A site that stamps every page 2019-12-01: a stored date before
        // the campaign began gives way to a day the page itself gives
        // within the campaign ("Washington, a 29 de diciembre de 2025").
        Some(s) if before_campaign(doc, s.date) => from_page()
            .filter(|a| !before_campaign(doc, a.date))
            .or(stored),
        Some(_) => stored,
        None => from_page(),
    };
    Anchors { page, local }
}

/// "Washington, 29 dic (EFE).-", "KINGSTOWN, Feb 19 (CMC) –": a wire
/// dateline with no year on a page that names none. The day is the page's,
/// placed in the campaign's first year after `campaign_start` (source
/// `dateline`, weak like any anchor the page itself gives).
fn yearless_dateline(doc: &Annotated) -> Option<Anchor> {
    use chrono::Datelike;
    let start = doc.lang.campaign_start?;
    (0..doc.len().min(400)).find_map(|t| {
        let (m, d) = yearless_dateline_at(doc, t)?;
        let first = NaiveDate::from_ymd_opt(start.year(), m, d)?;
        let date = if first < start {
            NaiveDate::from_ymd_opt(start.year() + 1, m, d)?
        } else {
            first
        };
        Some(Anchor {
            date,
            source: DateSource::Dateline,
        })
    })
}

/// The month and day of a yearless wire dateline opening at token `t`:
/// a capitalised place at a line's start, a comma, the day, then the
/// agency in brackets.
fn yearless_dateline_at(doc: &Annotated, t: usize) -> Option<(u32, u32)> {
    let (m, d, end) = yearless_day_at(doc, t)?;
    let line = line_start(doc, t);
    let capitalised =
        |k: usize| doc.is_punct(k) || doc.word(k).chars().next().is_some_and(char::is_uppercase);
    let dateline = t > line
        && t - line <= 6
        && doc.punct(t - 1) == Some(',')
        && (line..t - 1).all(capitalised)
        && doc.punct(end) == Some('(');
    dateline.then_some((m, d))
}

fn before_campaign(doc: &Annotated, date: NaiveDate) -> bool {
    doc.lang.campaign_start.is_some_and(|start| date < start)
}

/// `/2026/02/23/`, `/2026-02-23-title`, `/20260223/` in a URL.
fn url_date(url: &str) -> Option<Anchor> {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let segments: Vec<&str> = path.split('/').collect();
    let date = segments
        .windows(3)
        .find_map(|w| year_month_day(w[0], w[1], w[2]))
        .or_else(|| segments.iter().find_map(|s| iso_prefix(s)))
        .or_else(|| segments.iter().find_map(|s| compact_date(s)))
        .or_else(|| segments.last().and_then(|s| id_date_prefix(s)))?;
    Some(Anchor {
        date,
        source: DateSource::Url,
    })
}

fn year_month_day(y: &str, m: &str, d: &str) -> Option<NaiveDate> {
    let all_digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !(all_digits(y, 4..=4) && all_digits(m, 1..=2) && all_digits(d, 1..=2)) {
        return None;
    }
    plausible(NaiveDate::from_ymd_opt(
        y.parse().ok()?,
        m.parse().ok()?,
        d.parse().ok()?,
    )?)
}

/// A segment that starts with `YYYY-MM-DD`.
fn iso_prefix(segment: &str) -> Option<NaiveDate> {
    let head = segment.get(..10)?;
    let after = segment[10..].chars().next();
    if after.is_some_and(|c| c.is_ascii_digit()) {
        return None;
    }
    NaiveDate::parse_from_str(head, "%Y-%m-%d")
        .ok()
        .and_then(plausible)
}

/// A segment of exactly eight digits, `YYYYMMDD`.
fn compact_date(segment: &str) -> Option<NaiveDate> {
    if segment.len() != 8 || !segment.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    NaiveDate::parse_from_str(segment, "%Y%m%d")
        .ok()
        .and_then(plausible)
}

/// A page id that opens on its day: `…-cuatro-tripulantes_202510306903229c04f67.html`
/// (a run of digits after `_` whose first eight are `YYYYMMDD` of a recent year).
fn id_date_prefix(segment: &str) -> Option<NaiveDate> {
    segment.split('_').skip(1).find_map(|part| {
        let digits = part.bytes().take_while(u8::is_ascii_digit).count();
        if digits < 8 {
            return None;
        }
        let d = NaiveDate::parse_from_str(part.get(..8)?, "%Y%m%d").ok()?;
        use chrono::Datelike;
        (2020..=2040).contains(&d.year()).then_some(d)
    })
}

/// Page dates are of this century; an id that parses as 1907-01-01 is not one.
fn plausible(d: NaiveDate) -> Option<NaiveDate> {
    use chrono::Datelike;
    (2000..=2100).contains(&d.year()).then_some(d)
}

/// A page with no full date anywhere that still names days ("On Jan. 23",
/// "December 31") and a year ("the first such attack in 2026", "since
/// September 2025", `/2026/02/` in its URL): mirror copies of wire stories
/// often are. The days it names lie in the months before it was written, so
/// the page's day is the last of them once the calendar is cut at the
/// longest stretch no day falls in; its year is the first that is not
/// before any year the page names.
fn yearless_anchor(doc: &Annotated, url: Option<&str>) -> Option<Anchor> {
    let mut days: Vec<(u32, u32)> = Vec::new();
    let url_month = url.and_then(url_year_month);
    let mut latest: Option<(i32, u32)> = None;
    let mut t = 0;
    while t < doc.len() {
        if let Some((m, d, end)) = yearless_day_at(doc, t) {
            days.push((m, d));
            t = end;
            continue;
        }
        if let Some(named) = named_year_at(doc, t) {
            latest = latest.max(Some(named));
        }
        t += 1;
    }
    let (m, d) = last_day_before_gap(&mut days)?;
    // A named year ("since September 2025") is where the days start; the
    // URL's year and month (`/2025/12/`) are where the page stands, after
    // the days it names.
    let year =
        match (latest, url_month) {
            (Some((year, month)), _) if url_month.is_none_or(|u| (year, month) > u) => {
                if m >= month { year } else { year + 1 }
            }
            (_, Some((year, month))) => {
                if m <= month {
                    year
                } else {
                    year - 1
                }
            }
            _ => return None,
        };
    let mut date = NaiveDate::from_ymd_opt(year, m, d)?;
    // "Feb 19, CMC" on a page that names only "2025": a page about the
    // campaign is not older than the campaign, so the day falls in its
    // first year after its start.
    if let Some(start) = doc.lang.campaign_start
        && date < start
    {
        use chrono::Datelike;
        let first = NaiveDate::from_ymd_opt(start.year(), m, d)?;
        date = if first < start {
            NaiveDate::from_ymd_opt(start.year() + 1, m, d)?
        } else {
            first
        };
    }
    Some(Anchor {
        date,
        source: DateSource::Text,
    })
}

/// The last of `days` (month, day) in the shortest stretch of the year
/// that holds them all, read round the turn of the year.
fn last_day_before_gap(days: &mut Vec<(u32, u32)>) -> Option<(u32, u32)> {
    days.sort_unstable();
    days.dedup();
    let position = |(m, d): (u32, u32)| i64::from(m) * 31 + i64::from(d);
    let n = days.len();
    let mut best: Option<(i64, usize)> = None;
    for i in 0..n {
        let here = position(days[i]);
        let next = position(days[(i + 1) % n]);
        let gap = (next - here).rem_euclid(12 * 31);
        // One day alone: its gap is the whole year.
        let gap = if n == 1 { 12 * 31 } else { gap };
        if best.is_none_or(|(g, _)| gap > g) {
            best = Some((gap, i));
        }
    }
    best.map(|(_, i)| days[i])
}

/// `/2026/02/` in a URL: the year and month a page without a day in its
/// URL was filed under.
fn url_year_month(url: &str) -> Option<(i32, u32)> {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let segments: Vec<&str> = path.split('/').collect();
    segments.windows(2).find_map(|w| {
        let year: i32 = w[0].parse().ok().filter(|y| (2000..=2100).contains(y))?;
        let month: u32 = w[1].parse().ok().filter(|m| (1..=12).contains(m))?;
        (w[0].len() == 4 && (1..=2).contains(&w[1].len())).then_some((year, month))
    })
}

/// What kind of line a full date sits in, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum LineKind {
    Dateline,
    EditorsNote,
    Caption,
    EmbeddedPost,
    Text,
}

impl LineKind {
    fn source(self) -> DateSource {
        match self {
            LineKind::Dateline => DateSource::Dateline,
            LineKind::EditorsNote => DateSource::EditorsNote,
            LineKind::Caption => DateSource::Caption,
            LineKind::EmbeddedPost => DateSource::EmbeddedPost,
            LineKind::Text => DateSource::Text,
        }
    }
}

/// The best full date of the text: the first of the best kind of line, or,
/// from plain text, the latest.
fn line_anchor(doc: &Annotated, posts: &[EmbeddedPost]) -> Option<Anchor> {
    let mut best: Option<(LineKind, NaiveDate)> = None;
    let mut t = 0;
    while t < doc.len() {
        let Some((date, end)) = full_date_at(doc, t) else {
            t += 1;
            continue;
        };
        let kind = if posts.iter().any(|p| p.date_token == t) {
            LineKind::EmbeddedPost
        } else if archive_line(doc, t) {
            t = end;
            continue;
        } else {
            line_kind(doc, t)
        };
        best = match best {
            Some((k, d)) if k < kind || (k == kind && (k != LineKind::Text || d >= date)) => {
                Some((k, d))
            }
            _ => Some((kind, date)),
        };
        t = end;
    }
    best.map(|(kind, date)| Anchor {
        date,
        source: kind.source(),
    })
}

/// Whether the full date at token `t` is the page's own date (a dateline,
/// an "Updated:" line, an editor's note, a caption, a post's closing line):
/// such a date tells when the page or post was written, never a strike.
pub fn is_page_date(doc: &Annotated, t: usize) -> bool {
    if full_date_at(doc, t).is_none() {
        return yearless_dateline_at(doc, t).is_some();
    }
    let closes_post = t >= 3 && doc.punct(t - 1) == Some(')') && {
        let open = (t.saturating_sub(5)..t)
            .rev()
            .find(|&k| doc.punct(k) == Some('('));
        open.is_some_and(|o| doc.punct(o + 1) == Some('@'))
    };
    closes_post || page_line(doc, t)
}

/// A dateline, "Updated:" or editor's note line: its cue sits near the
/// line's start, so only the sixteen tokens before the date are read.
fn page_line(doc: &Annotated, date: usize) -> bool {
    let Some(start) = line_start_within(doc, date, 16) else {
        return false;
    };
    has_dateline_cue(doc, start, date)
        || is_dateline(doc, start, date)
        || doc
            .any_in(start, date, |g| g == Tag::EditorsNoteCue)
            .is_some()
}

/// First token of the line holding `t` when it is at most `limit` tokens
/// back; `None` for a longer line (no dateline is that long).
fn line_start_within(doc: &Annotated, t: usize, limit: usize) -> Option<usize> {
    let floor = t.saturating_sub(limit);
    let mut k = t;
    while k > floor {
        let gap = doc
            .text
            .get(doc.tokens[k - 1].end..doc.tokens[k].start)
            .unwrap_or("");
        if gap.contains('\n') {
            return Some(k);
        }
        k -= 1;
    }
    (k == 0).then_some(0)
}

/// First token of the line holding token `t`.
fn line_start(doc: &Annotated, t: usize) -> usize {
    let mut k = t;
    while k > 0 {
        let gap = doc
            .text
            .get(doc.tokens[k - 1].end..doc.tokens[k].start)
            .unwrap_or("");
        if gap.contains('\n') {
            break;
        }
        k -= 1;
    }
    k
}

/// First token of the paragraph holding token `t`.
fn paragraph_start(doc: &Annotated, t: usize) -> usize {
    let mut k = t;
    while k > 0 {
        let gap = doc
            .text
            .get(doc.tokens[k - 1].end..doc.tokens[k].start)
            .unwrap_or("");
        if gap.matches('\n').count() > 1 {
            break;
        }
        k -= 1;
    }
    k
}

/// A dateline cue ("Updated", "Editor's note", "Fecha") among the first
/// words of the line starting at `start`, or right before the date with a
/// colon ("… | Fecha: 5 de febrero de 2026").
fn has_dateline_cue(doc: &Annotated, start: usize, date: usize) -> bool {
    let opening = (start..date)
        .filter(|&k| !doc.is_punct(k))
        .take(3)
        .any(|k| doc.find_at(k, |g| g == Tag::DatelineCue).is_some());
    let labelled = date >= 2
        && doc.punct(date - 1) == Some(':')
        && doc
            .find_ending_at(date - 1, |g| g == Tag::DatelineCue)
            .is_some();
    opening || labelled
}

fn line_kind(doc: &Annotated, date: usize) -> LineKind {
    let start = line_start(doc, date);
    let opening = has_dateline_cue(doc, start, date);
    if opening || is_dateline(doc, start, date) {
        return LineKind::Dateline;
    }
    if doc
        .any_in(start, date, |g| g == Tag::EditorsNoteCue)
        .is_some()
    {
        return LineKind::EditorsNote;
    }
    let line_end = (date..doc.len())
        .find(|&k| {
            k + 1 >= doc.len()
                || doc
                    .text
                    .get(doc.tokens[k].end..doc.tokens[k + 1].start)
                    .unwrap_or("")
                    .contains('\n')
        })
        .map_or(doc.len(), |k| k + 1);
    if doc
        .any_in(start, line_end, |g| g == Tag::CaptionCue)
        .is_some()
    {
        return LineKind::Caption;
    }
    LineKind::Text
}

/// A line captioning an older picture ("FILE PHOTO: …").
fn archive_line(doc: &Annotated, date: usize) -> bool {
    let start = line_start(doc, date);
    doc.any_in(start, date, |g| g == Tag::ArchiveCue).is_some()
}

/// "WASHINGTON, May 3, 2026 —": a place in capitals, a comma, the date.
fn is_dateline(doc: &Annotated, line_start: usize, date: usize) -> bool {
    if date <= line_start || date - line_start > 5 || doc.punct(date - 1) != Some(',') {
        return false;
    }
    (line_start..date - 1).all(|k| {
        let w = doc.word(k);
        doc.is_punct(k)
            || (w.chars().any(char::is_alphabetic) && !w.chars().any(char::is_lowercase))
    })
}

/// A post quoted in full and closed by "— Name (@handle) May 3, 2026".
#[derive(Debug, Clone, Copy)]
struct EmbeddedPost {
    date_token: usize,
    local: LocalAnchor,
}

/// Every "(@handle) <full date>" closing line, with the paragraph it closes.
fn embedded_posts(doc: &Annotated) -> Vec<EmbeddedPost> {
    let mut out = Vec::new();
    for t in 0..doc.len() {
        if doc.punct(t) != Some('@') || doc.punct(t.wrapping_sub(1)) != Some('(') {
            continue;
        }
        let Some(close) = (t + 1..(t + 4).min(doc.len())).find(|&k| doc.punct(k) == Some(')'))
        else {
            continue;
        };
        let Some((date, end)) = full_date_at(doc, close + 1) else {
            continue;
        };
        let start = paragraph_start(doc, t);
        out.push(EmbeddedPost {
            date_token: close + 1,
            local: LocalAnchor { start, end, date },
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_dates() {
        let d = |s: &str| url_date(s).map(|a| a.date.to_string());
        assert_eq!(
            d("https://example.org/world/2026/02/23/boat-strike/"),
            Some("2026-02-23".into())
        );
        assert_eq!(
            d("https://example.org/news/2025-12-30-strike-pacific"),
            Some("2025-12-30".into())
        );
        assert_eq!(
            d("https://example.org/a/20251104/story"),
            Some("2025-11-04".into())
        );
        assert_eq!(
            d("https://example.org/mundo/nuevo-ataque-lancha_202510306903229c04f6767.html"),
            Some("2025-10-30".into())
        );
        assert_eq!(d("https://example.org/mundo/ataque_123456789.html"), None);
        assert_eq!(d("https://example.org/story/123456789"), None);
        assert_eq!(d("https://example.org/2026/02/boat"), None);
    }
}
