//! Finding quoted passages: one pass over the quote marks of each paragraph.
//!
//! Curly marks say which way they face; straight marks and apostrophes are
//! told apart by what stands on either side (a mark between two letters is
//! an apostrophe). A double quote that never closes runs to the end of its
//! paragraph, unless a later quote opens in a new sentence of the same
//! paragraph (then it ends with the sentence before). A paragraph whose last
//! mark opens a quote continues into the next paragraph when that one opens
//! with a quote mark (the English convention for long quotes).

use std::ops::Range;

use super::text::{Layout, is_opening_punct, trim_range};

/// A quoted passage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Quote {
    /// Byte offset of the first opening mark.
    pub open: usize,
    /// The text inside the marks, one range per paragraph, trimmed.
    pub pieces: Vec<Range<usize>>,
    /// Offset just past the closing mark, when the quote closes.
    pub close_end: Option<usize>,
    /// True when the quote sits inside another quote.
    pub nested: bool,
}

impl Quote {
    pub fn start(&self) -> usize {
        self.pieces.first().map_or(self.open, |p| p.start)
    }

    pub fn end(&self) -> usize {
        self.pieces.last().map_or(self.open, |p| p.end)
    }

    /// Where the text after the quote begins.
    pub fn after(&self) -> usize {
        self.close_end.unwrap_or_else(|| self.end())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Double,
    Single,
    Angle,
    SingleAngle,
}

#[derive(Debug, Clone, Copy)]
struct OpenMark {
    pos: usize,
    end: usize,
    ch: char,
    family: Family,
}

#[derive(Debug, Clone)]
struct RawQuote {
    open: usize,
    inner: Range<usize>,
    close_end: Option<usize>,
    family: Family,
    /// Unclosed and nothing follows it in the paragraph.
    runs_to_end: bool,
}

/// All quotes of `text`, in order of their opening marks.
pub(crate) fn find_quotes(text: &str, layout: &Layout) -> Vec<Quote> {
    let mut quotes: Vec<Quote> = Vec::new();
    // Index into `quotes` of a quote that may continue into the next paragraph.
    let mut continuing: Option<(usize, Family)> = None;
    for para in &layout.paragraphs {
        let raws = paragraph_quotes(text, para.clone(), layout);
        let carried = continuing.take();
        for (i, raw) in raws.iter().enumerate() {
            let inner = trim_range(text, raw.inner.clone());
            let merge_into = match carried {
                Some((idx, family)) if i == 0 && raw.open == para.start && raw.family == family => {
                    Some(idx)
                }
                _ => None,
            };
            let target = match merge_into {
                Some(idx) => {
                    if !inner.is_empty() {
                        quotes[idx].pieces.push(inner);
                    }
                    quotes[idx].close_end = raw.close_end;
                    idx
                }
                None => {
                    if inner.is_empty() {
                        continue;
                    }
                    quotes.push(Quote {
                        open: raw.open,
                        pieces: vec![inner],
                        close_end: raw.close_end,
                        nested: false,
                    });
                    quotes.len() - 1
                }
            };
            if raw.runs_to_end && i + 1 == raws.len() {
                continuing = Some((target, raw.family));
            }
        }
    }
    quotes.retain(|q| !q.pieces.is_empty());
    quotes.sort_by_key(|q| q.open);
    mark_nested(&mut quotes);
    quotes
}

fn mark_nested(quotes: &mut [Quote]) {
    let mut outer: Vec<Range<usize>> = Vec::new();
    for q in quotes.iter_mut() {
        // Pieces that end before this quote opens can never contain a later one.
        outer.retain(|p| p.end > q.open);
        if outer.iter().any(|p| p.start <= q.open && q.open < p.end) {
            q.nested = true;
        } else {
            outer.extend(q.pieces.iter().cloned());
        }
    }
}

fn paragraph_quotes(text: &str, para: Range<usize>, layout: &Layout) -> Vec<RawQuote> {
    let Some(slice) = text.get(para.clone()) else {
        return Vec::new();
    };
    let mut stack: Vec<OpenMark> = Vec::new();
    let mut raws: Vec<RawQuote> = Vec::new();
    let mut last_acted: Option<usize> = None;
    for (i, c) in quote_marks(slice) {
        // The characters beside the mark, inside the paragraph.
        let prev = slice.get(..i).and_then(|s| s.chars().next_back());
        let next = slice.get(i + c.len_utf8()..).and_then(|s| s.chars().next());
        let pos = para.start + i;
        let end = pos + c.len_utf8();
        let left = next.is_some_and(|n| !n.is_whitespace())
            && prev.is_none_or(|p| {
                p.is_whitespace() || is_opening_punct(p) || matches!(p, '-' | '/' | ':' | '“' | '«')
            });
        let right = prev.is_some_and(|p| !p.is_whitespace())
            && next.is_none_or(|n| {
                n.is_whitespace()
                    || n.is_ascii_punctuation()
                    || matches!(n, '”' | '’' | '»' | '›' | '—' | '–' | '…')
            });
        let between_letters =
            prev.is_some_and(char::is_alphanumeric) && next.is_some_and(char::is_alphanumeric);
        let mark = OpenMark {
            pos,
            end,
            ch: c,
            family: family_of(c),
        };
        let nearest = |family: Family, chs: &[char]| {
            stack
                .iter()
                .rposition(|m| m.family == family && (chs.is_empty() || chs.contains(&m.ch)))
        };
        let lone_close = stack.is_empty()
            && last_acted.is_none()
            && matches!(c, '"' | '”' | '»')
            && right
            && !left
            && closes_a_lost_opening(text, para.start, pos, prev, next);
        let action = match c {
            _ if lone_close => Action::CloseFromStart,
            '"' => {
                let straight = nearest(Family::Double, &['"']);
                let any = nearest(Family::Double, &[]);
                // `… a supuestos ", señalaron`: a stray space before the
                // closing mark; a comma or stop right after it still closes.
                let spaced_close = straight.is_some()
                    && prev.is_some_and(char::is_whitespace)
                    && next.is_some_and(|n| matches!(n, ',' | '.' | ';'));
                if spaced_close {
                    straight.map_or(Action::Ignore, Action::Close)
                } else if left && !right {
                    Action::Open
                } else if let Some(i) = straight.or(if right && !left { any } else { None }) {
                    Action::Close(i)
                } else if next.is_some_and(|n| !n.is_whitespace()) {
                    Action::Open
                } else {
                    Action::Ignore
                }
            }
            '“' => match nearest(Family::Double, &[]) {
                Some(i) if stack[i].ch == '„' => Action::Close(i),
                Some(i) if right && !left => Action::Close(i),
                _ if next.is_some_and(|n| !n.is_whitespace()) => Action::Open,
                _ => Action::Ignore,
            },
            '”' => match nearest(Family::Double, &[]) {
                Some(i) => Action::Close(i),
                None if left && !right => Action::Open,
                None => Action::Ignore,
            },
            '„' => open_if(next),
            '«' | '‹' => match nearest(mark.family, &[if c == '«' { '»' } else { '›' }]) {
                Some(i) => Action::Close(i),
                // A page that typed the opening mark twice («narcoterroristas«.):
                // after a word and before punctuation or a space it closes.
                None if right && !left && nearest(mark.family, &[c]).is_some() => {
                    nearest(mark.family, &[c]).map_or(Action::Ignore, Action::Close)
                }
                // French sets a space inside guillemets: « Nos services … ».
                None => open_if(
                    slice
                        .get(i + c.len_utf8()..)
                        .and_then(|s| s.chars().find(|n| !is_inline_space(*n))),
                ),
            },
            '»' | '›' => match nearest(mark.family, &[if c == '»' { '«' } else { '‹' }]) {
                Some(i) => Action::Close(i),
                None if left && !right => Action::Open,
                None => Action::Ignore,
            },
            '‚' => open_if(next),
            '‘' => {
                if between_letters {
                    Action::Ignore
                } else if let Some(i) = nearest(Family::Single, &['‚']) {
                    Action::Close(i)
                } else if left {
                    Action::Open
                } else if let (true, Some(i)) = (right, nearest(Family::Single, &[])) {
                    Action::Close(i)
                } else {
                    Action::Ignore
                }
            }
            _ => {
                // ’ or '
                if between_letters {
                    Action::Ignore
                } else if let (true, Some(i)) = (right, nearest(Family::Single, &[])) {
                    Action::Close(i)
                } else if c == '\'' && left && !right {
                    Action::Open
                } else if c == '\''
                    && prev.is_some_and(|p| matches!(p, '.' | '!' | '?'))
                    && next.is_some_and(char::is_uppercase)
                {
                    // "… de Venezuela.'El Comando confirmó …": a page that
                    // lost the space after a full stop.
                    Action::Open
                } else {
                    Action::Ignore
                }
            }
        };
        if !matches!(action, Action::Ignore) {
            last_acted = Some(pos);
        }
        match action {
            Action::Ignore => {}
            Action::CloseFromStart => raws.push(RawQuote {
                open: para.start,
                inner: para.start..pos,
                close_end: Some(end),
                family: mark.family,
                runs_to_end: false,
            }),
            Action::Open => stack.push(mark),
            Action::Close(i) => {
                let opener = stack[i];
                // Marks opened inside and never closed are dropped.
                stack.truncate(i);
                raws.push(RawQuote {
                    open: opener.pos,
                    inner: opener.end..pos,
                    close_end: Some(end),
                    family: opener.family,
                    runs_to_end: false,
                });
            }
        }
    }
    // Unclosed double quotes and guillemets run on; unclosed single marks were apostrophes.
    let unclosed: Vec<OpenMark> = stack
        .into_iter()
        .filter(|m| matches!(m.family, Family::Double | Family::Angle))
        .collect();
    let unclosed_opens: Vec<usize> = unclosed.iter().map(|m| m.pos).collect();
    for m in unclosed {
        let later_open = raws
            .iter()
            .map(|r| r.open)
            .chain(unclosed_opens.iter().copied())
            .filter(|&o| o > m.pos)
            .min();
        let mut end = para.end;
        if let Some(s) = later_open.and_then(|o| layout.sentence_at(o))
            && layout.sentences[s].start > m.end
            && s > 0
        {
            end = layout.sentences[s - 1].end.max(m.end);
        }
        let runs_to_end = end == para.end && last_acted == Some(m.pos);
        raws.push(RawQuote {
            open: m.pos,
            inner: m.end..end,
            close_end: None,
            family: m.family,
            runs_to_end,
        });
    }
    raws.sort_by_key(|r| r.open);
    raws
}

enum Action {
    Open,
    Close(usize),
    /// A closing mark whose opening mark the page lost: the quote runs
    /// from the start of the paragraph.
    CloseFromStart,
    Ignore,
}

/// The first mark of a paragraph closes a quote whose opening mark was
/// lost (`El Congreso no debería ceder su poder”, dijo Kaine`): the
/// paragraph opens with a capitalised sentence of a few words, and a comma
/// next to the mark hands over to the attribution.
fn closes_a_lost_opening(
    text: &str,
    para_start: usize,
    pos: usize,
    prev: Option<char>,
    next: Option<char>,
) -> bool {
    const MIN_WORDS: usize = 4;
    let Some(head) = text.get(para_start..pos) else {
        return false;
    };
    let comma = prev == Some(',') || next == Some(',');
    comma
        && head.chars().next().is_some_and(char::is_uppercase)
        && head.split_whitespace().count() >= MIN_WORDS
}

/// A space inside a line, as French typesetting puts after « and before
/// » (often a no-break or thin no-break space).
fn is_inline_space(c: char) -> bool {
    c.is_whitespace() && c != '\n' && c != '\r'
}

fn open_if(next: Option<char>) -> Action {
    if next.is_some_and(|n| !n.is_whitespace()) {
        Action::Open
    } else {
        Action::Ignore
    }
}

/// False when every quote mark in `text` is an apostrophe between letters
/// ("Venezuela’s"), so that no quote can open anywhere.
pub(crate) fn may_hold_quote(text: &str) -> bool {
    // Most texts hold no quote: the bytes that may start a mark are found
    // with SIMD searches (in no particular order, which `any` does not need).
    let bytes = text.as_bytes();
    let marks = memchr::memchr3_iter(b'"', b'\'', 0xE2, bytes)
        .chain(memchr::memchr_iter(0xC2, bytes))
        .filter_map(|i| {
            let c = text.get(i..)?.chars().next()?;
            is_quote_mark(c).then_some((i, c))
        });
    for (i, c) in marks {
        let prev = text.get(..i).and_then(|s| s.chars().next_back());
        let next = text.get(i + c.len_utf8()..).and_then(|s| s.chars().next());
        let apostrophe = matches!(c, '\'' | '’')
            && prev.is_some_and(char::is_alphanumeric)
            && next.is_some_and(char::is_alphanumeric);
        if !apostrophe {
            return true;
        }
    }
    false
}

/// Every quote mark of `text` with its byte offset, in order. Every quote
/// mark is ASCII or starts with byte 0xC2 or 0xE2 in UTF-8: the bytes are
/// found with SIMD searches and decoded only there, never char by char.
/// Four bytes are more than one search takes, so two run side by side and
/// the earlier of their next offsets goes first, keeping text order.
fn quote_marks(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let bytes = text.as_bytes();
    let mut marks = memchr::memchr3_iter(b'"', b'\'', 0xE2, bytes).peekable();
    let mut latin = memchr::memchr_iter(0xC2, bytes).peekable();
    std::iter::from_fn(move || match (marks.peek(), latin.peek()) {
        (Some(&m), Some(&l)) if l < m => latin.next(),
        (Some(_), _) => marks.next(),
        (None, _) => latin.next(),
    })
    .filter_map(|i| {
        let c = text.get(i..)?.chars().next()?;
        is_quote_mark(c).then_some((i, c))
    })
}

pub(crate) fn is_quote_mark(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '”' | '„' | '‘' | '’' | '‚' | '«' | '»' | '‹' | '›'
    )
}

fn family_of(c: char) -> Family {
    match c {
        '"' | '“' | '”' | '„' => Family::Double,
        '«' | '»' => Family::Angle,
        '‹' | '›' => Family::SingleAngle,
        _ => Family::Single,
    }
}
