//! Posts embedded in a page without quote marks. Pages that embed a post
//! from X keep its text as a paragraph and close it with a signature line:
//!
//! ```text
//! Four men aboard the vessel were killed. pic.twitter.com/AbC123
//! — U.S. Southern Command (@Southcom) December 31, 2025
//! ```
//!
//! The text is a statement of the account's owner (found by handle, else by
//! the name before it), posted on the signature's date.

use std::ops::Range;

use chrono::NaiveDate;

use super::lexicon::{AgentWord, Compiled};
use super::text::{Layout, trim_range, word_count};

/// Words a signature's name may hold before its handle.
const SIGNATURE_NAME_WORDS: usize = 10;
/// Words a signature may hold after its handle (the date).
const SIGNATURE_DATE_WORDS: usize = 6;

/// One embedded post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EmbeddedPost {
    /// The post's text, without the links that trail it.
    pub text: Range<usize>,
    /// The signature, from its dash to its end.
    pub signature: Range<usize>,
    /// Index of the actor who owns the account.
    pub actor: usize,
    /// True when the handle named the actor (else the name did).
    pub by_handle: bool,
    pub date: Option<NaiveDate>,
}

/// A cheap screen: no signature can stand in a text without "(@".
pub(crate) fn may_hold_embedded_post(text: &str) -> bool {
    text.contains("(@")
}

/// How many paragraphs above its last one a post pasted in another
/// language may run.
const POST_PARAGRAPHS: usize = 4;

/// Every embedded post of `text` (a page in language `lang`) whose account
/// the lexicon knows.
pub(crate) fn find_embedded_posts(
    lex: &Compiled,
    text: &str,
    layout: &Layout,
    lang: Option<usize>,
) -> Vec<EmbeddedPost> {
    let mut posts = Vec::new();
    for (i, para) in layout.paragraphs.iter().enumerate() {
        let Some(sig) = signature_in(text, para.clone()) else {
            continue;
        };
        // The signature opens its own line: the post is the line before.
        // Otherwise the post runs from the line's start to the dash.
        let body = if sig.dash == para.start {
            match i.checked_sub(1).and_then(|p| layout.paragraphs.get(p)) {
                Some(prev) => foreign_post_start(lex, text, layout, i - 1, lang)..prev.end,
                None => continue,
            }
        } else {
            para.start..sig.dash
        };
        let body = without_trailing_links(lex, text, body);
        if word_count(text.get(body.clone()).unwrap_or("")) < 3 {
            continue;
        }
        let Some((actor, by_handle)) = account_owner(lex, text, &sig) else {
            continue;
        };
        posts.push(EmbeddedPost {
            text: body,
            signature: sig.dash..para.end,
            actor,
            by_handle,
            date: signature_date(lex, text.get(sig.after_handle..para.end).unwrap_or("")),
        });
    }
    posts
}

/// Where a post pasted above its signature begins when it is written in
/// another language than the page (an English post in a Spanish report):
/// the paragraphs before its last one that are in the post's language
/// belong to it. Otherwise the post is its last paragraph alone.
fn foreign_post_start(
    lex: &Compiled,
    text: &str,
    layout: &Layout,
    last: usize,
    page: Option<usize>,
) -> usize {
    let start_of = |p: usize| layout.paragraphs.get(p).map_or(0, |r| r.start);
    let Some(page) = page else {
        return start_of(last);
    };
    let language_of = |p: usize| {
        layout
            .paragraphs
            .get(p)
            .and_then(|r| text.get(r.clone()))
            .and_then(|t| paragraph_language(lex, t))
    };
    let Some(post) = language_of(last).filter(|&l| l != page) else {
        return start_of(last);
    };
    let mut first = last;
    while first > 0 && last - first < POST_PARAGRAPHS && language_of(first - 1) == Some(post) {
        first -= 1;
    }
    start_of(first)
}

/// The language whose articles and prepositions a paragraph uses most,
/// when at least two of them decide it.
fn paragraph_language(lex: &Compiled, paragraph: &str) -> Option<usize> {
    const MIN_HITS: usize = 2;
    let words: Vec<String> = paragraph
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .collect();
    let mut counts: Vec<(usize, usize)> = lex
        .rules
        .iter()
        .enumerate()
        .map(|(l, r)| {
            let hits = words
                .iter()
                .filter(|w| {
                    r.determiners.contains(w.as_str()) || r.prepositions.contains(w.as_str())
                })
                .count();
            (hits, l)
        })
        .collect();
    counts.sort_by(|a, b| b.cmp(a));
    match counts.as_slice() {
        [(best, l), (second, _), ..] if *best >= MIN_HITS && best > second => Some(*l),
        [(best, l)] if *best >= MIN_HITS => Some(*l),
        _ => None,
    }
}

/// Where a signature's parts stand.
struct Signature {
    dash: usize,
    name: Range<usize>,
    handle: Range<usize>,
    after_handle: usize,
}

/// "— Name (@handle) date" closing the paragraph `para`.
fn signature_in(text: &str, para: Range<usize>) -> Option<Signature> {
    let line = text.get(para.clone())?;
    let open = line.rfind("(@")?;
    let close = open + line.get(open..)?.find(')')?;
    let handle = para.start + open + 1..para.start + close;
    let handle_text = text.get(handle.clone())?;
    if handle_text.len() < 2
        || !handle_text[1..]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return None;
    }
    let date_part = line.get(close + 1..)?;
    if word_count(date_part) > SIGNATURE_DATE_WORDS {
        return None;
    }
    // The dash that opens the signature: the last one before the handle
    // that starts the line or follows a space.
    let head = line.get(..open)?;
    let dash = head
        .char_indices()
        .filter(|&(i, c)| {
            matches!(c, '—' | '–' | '-')
                && (i == 0 || head[..i].ends_with(char::is_whitespace))
                && head[i + c.len_utf8()..].starts_with(char::is_whitespace)
        })
        .map(|(i, _)| i)
        .next_back()?;
    let dash_len = head[dash..].chars().next().map_or(1, char::len_utf8);
    let name = trim_range(text, para.start + dash + dash_len..para.start + open);
    let name_words = word_count(text.get(name.clone())?);
    if name_words == 0 || name_words > SIGNATURE_NAME_WORDS {
        return None;
    }
    Some(Signature {
        dash: para.start + dash,
        name,
        handle,
        after_handle: para.start + close + 1,
    })
}

/// The post's text up to the links that trail it ("… pic.twitter.com/x").
fn without_trailing_links(lex: &Compiled, text: &str, body: Range<usize>) -> Range<usize> {
    let mut body = trim_range(text, body);
    loop {
        let Some(slice) = text.get(body.clone()) else {
            return body;
        };
        let last_start = slice.rfind(char::is_whitespace).map_or(0, |i| {
            i + slice[i..].chars().next().map_or(1, char::len_utf8)
        });
        let last = &slice[last_start..];
        let is_link = lex.post_link_prefixes.iter().any(|p| {
            last.get(..p.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(p))
        });
        if !is_link || last_start == 0 {
            return body;
        }
        body = trim_range(text, body.start..body.start + last_start);
    }
}

/// The actor the handle names, else the actor the signature's name names.
fn account_owner(lex: &Compiled, text: &str, sig: &Signature) -> Option<(usize, bool)> {
    let actor_in = |range: Range<usize>, whole: bool| {
        lex.agents()
            .find(text, range.clone(), None)
            .into_iter()
            .find_map(|h| match h.payload {
                AgentWord::Actor(i) if !whole || (h.start == range.start && h.end == range.end) => {
                    Some(*i)
                }
                _ => None,
            })
    };
    if let Some(i) = actor_in(sig.handle.clone(), true) {
        return Some((i, true));
    }
    actor_in(sig.name.clone(), false).map(|i| (i, false))
}

/// "December 31, 2025", "Dec. 31, 2025", "31 de diciembre de 2025".
fn signature_date(lex: &Compiled, words: &str) -> Option<NaiveDate> {
    let mut month = None;
    let mut day = None;
    let mut year = None;
    for word in words.split(|c: char| c.is_whitespace() || c == ',') {
        let word = word.trim_matches(|c: char| !c.is_alphanumeric());
        if word.is_empty() {
            continue;
        }
        if let Ok(n) = word.parse::<i32>() {
            match word.len() {
                1 | 2 if day.is_none() => day = u32::try_from(n).ok(),
                4 if year.is_none() => year = Some(n),
                _ => {}
            }
        } else if month.is_none() {
            month = lex.months.get(&word.to_lowercase()).copied();
        }
    }
    NaiveDate::from_ymd_opt(year?, month?, day?)
}
