//! Lexicon phrases found in a document, aligned to tokens.

use std::cell::RefCell;

use crate::lexicon::compiled::{CompiledLanguage, Tag};
use crate::text::{TokKind, Token};

/// The vectors of the last [`Annotated`] dropped on this thread, cleared,
/// for the next document: a page's tokens and hits take several vectors of
/// a few bytes per byte of text, and allocating them afresh for every
/// document (and the allocator merging their freed space) cost more than
/// filling them.
#[derive(Default)]
struct Spare {
    tokens: Vec<Token>,
    hits: Vec<Hit>,
    first_hit: Vec<usize>,
    by_end: Vec<usize>,
    first_end: Vec<usize>,
    next: Vec<usize>,
}

thread_local! {
    static SPARE: RefCell<Spare> = RefCell::new(Spare::default());
}

/// A vector grown past this many items by one huge document is freed
/// rather than kept for the thread's next one: room for pages of some
/// 500 KB, about 10 MB kept per thread at most.
const KEEP_AT_MOST: usize = 1 << 17;

/// Takes one spare vector (empty, perhaps with room); a fresh one when the
/// thread has none to give.
fn take_spare<T>(field: impl FnOnce(&mut Spare) -> &mut Vec<T>) -> Vec<T> {
    SPARE
        .try_with(|spare| {
            spare
                .try_borrow_mut()
                .map(|mut spare| std::mem::take(field(&mut spare)))
                .unwrap_or_default()
        })
        .unwrap_or_default()
}

/// Gives `v` back, cleared, unless it grew too large to keep.
fn give_spare<T>(mut v: Vec<T>, field: impl FnOnce(&mut Spare) -> &mut Vec<T>) {
    if v.capacity() > KEEP_AT_MOST {
        return;
    }
    v.clear();
    // A thread being torn down keeps nothing: the vector is just freed.
    let _ = SPARE.try_with(|spare| {
        if let Ok(mut spare) = spare.try_borrow_mut() {
            *field(&mut spare) = v;
        }
    });
}

/// An empty vector for a document's tokens, for [`crate::text::tokenize_into`]:
/// the one the thread's last [`Annotated`] held, when there is one.
pub fn spare_tokens() -> Vec<Token> {
    take_spare(|s| &mut s.tokens)
}

/// A lexicon phrase covering tokens `start..end`.
#[derive(Debug, Clone, Copy)]
pub struct Hit {
    pub start: usize,
    pub end: usize,
    pub tag: Tag,
}

/// A document's text, tokens and phrase hits.
pub struct Annotated<'a> {
    pub text: &'a str,
    pub tokens: Vec<Token>,
    pub lang: &'a CompiledLanguage,
    hits: Vec<Hit>,
    /// `hits[first_hit[t]..first_hit[t + 1]]` start at token `t`.
    first_hit: Vec<usize>,
    /// Hit indices ordered by end token, then by start (longest first):
    /// `by_end[first_end[e]..first_end[e + 1]]` end at token `e`.
    by_end: Vec<usize>,
    first_end: Vec<usize>,
}

impl<'a> Annotated<'a> {
    pub fn new(text: &'a str, tokens: Vec<Token>, lang: &'a CompiledLanguage) -> Annotated<'a> {
        let (hits, first_hit) = hits_by_start(text, &tokens, lang);
        // Bucket the hits by end token (a counting sort); hits are already in
        // start order, so each bucket comes out longest first.
        let mut first_end = take_spare(|s| &mut s.first_end);
        first_end.resize(tokens.len() + 2, 0);
        for h in &hits {
            if let Some(c) = first_end.get_mut(h.end + 1) {
                *c += 1;
            }
        }
        for e in 1..first_end.len() {
            first_end[e] += first_end[e - 1];
        }
        let mut next = take_spare(|s| &mut s.next);
        next.extend_from_slice(&first_end);
        let mut by_end = take_spare(|s| &mut s.by_end);
        by_end.resize(hits.len(), 0);
        for (i, h) in hits.iter().enumerate() {
            if let Some(slot) = next.get_mut(h.end) {
                by_end[*slot] = i;
                *slot += 1;
            }
        }
        give_spare(next, |s| &mut s.next);
        Annotated {
            text,
            tokens,
            lang,
            hits,
            first_hit,
            by_end,
            first_end,
        }
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// Hits starting at token `t`, longest first.
    #[inline]
    pub fn hits_at(&self, t: usize) -> &[Hit] {
        if t >= self.tokens.len() {
            return &[];
        }
        &self.hits[self.first_hit[t]..self.first_hit[t + 1]]
    }

    /// The longest hit at `t` whose tag satisfies `pred`.
    #[inline]
    pub fn find_at(&self, t: usize, pred: impl Fn(Tag) -> bool) -> Option<Hit> {
        self.hits_at(t).iter().copied().find(|h| pred(h.tag))
    }

    /// The longest hit ending exactly at token `end` (exclusive) whose tag satisfies `pred`.
    #[inline]
    pub fn find_ending_at(&self, end: usize, pred: impl Fn(Tag) -> bool) -> Option<Hit> {
        let lo = end.saturating_sub(8);
        let (Some(&a), Some(&b)) = (self.first_end.get(end), self.first_end.get(end + 1)) else {
            return None;
        };
        self.by_end[a..b]
            .iter()
            .map(|&i| self.hits[i])
            .find(|h| h.start >= lo && h.start < end && pred(h.tag))
    }

    /// Whether any hit with a tag satisfying `pred` starts in `range`.
    #[inline]
    pub fn any_in(&self, start: usize, end: usize, pred: impl Fn(Tag) -> bool) -> Option<Hit> {
        // Hits are stored by start token, so the hits starting in the range
        // are one slice, in the order a token-by-token probe would meet them.
        let end = end.min(self.tokens.len());
        if start >= end {
            return None;
        }
        let (Some(&a), Some(&b)) = (self.first_hit.get(start), self.first_hit.get(end)) else {
            return None;
        };
        self.hits.get(a..b)?.iter().copied().find(|h| pred(h.tag))
    }

    /// For each token of `start..end` in order, the longest hit starting
    /// there whose tag satisfies `pred` (what `find_at` gives token by
    /// token), read from the one slice of hits in the range instead of a
    /// probe per token: most tokens hold no hit at all.
    #[inline]
    pub fn first_hits_in(
        &self,
        start: usize,
        end: usize,
        pred: impl Fn(Tag) -> bool,
    ) -> impl Iterator<Item = Hit> {
        let end = end.min(self.tokens.len());
        let range = match (self.first_hit.get(start), self.first_hit.get(end)) {
            (Some(&a), Some(&b)) if start < end => a..b,
            _ => 0..0,
        };
        // The start of the last hit given (none can start at `usize::MAX`).
        let mut last_start = usize::MAX;
        let slice = self.hits.get(range).unwrap_or_default();
        slice.iter().copied().filter(move |h| {
            // The tag first: most hits fail it.
            if !pred(h.tag) || last_start == h.start {
                return false;
            }
            last_start = h.start;
            true
        })
    }

    #[inline]
    pub fn word(&self, t: usize) -> &'a str {
        self.tokens
            .get(t)
            .map(|k| &self.text[k.start..k.end])
            .unwrap_or("")
    }

    /// The bytes of token `t` (empty past the last token), for tests of its
    /// bytes: no char-boundary checks, unlike [`Annotated::word`].
    #[inline]
    pub fn word_bytes(&self, t: usize) -> &'a [u8] {
        self.tokens
            .get(t)
            .and_then(|k| self.text.as_bytes().get(k.start..k.end))
            .unwrap_or_default()
    }

    #[inline]
    pub fn is_punct(&self, t: usize) -> bool {
        matches!(self.tokens.get(t).map(|k| k.kind), Some(TokKind::Punct(_)))
    }

    #[inline]
    pub fn punct(&self, t: usize) -> Option<char> {
        match self.tokens.get(t).map(|k| k.kind) {
            Some(TokKind::Punct(c)) => Some(c),
            _ => None,
        }
    }

    pub fn is_quote(&self, t: usize) -> bool {
        matches!(self.punct(t), Some('"' | '“' | '”' | '«' | '»' | '‘'))
    }

    /// Byte range of tokens `start..end`.
    pub fn byte_range(&self, start: usize, end: usize) -> (usize, usize) {
        let s = self
            .tokens
            .get(start)
            .map(|t| t.start)
            .unwrap_or(self.text.len());
        let e = if end == 0 {
            s
        } else {
            self.tokens
                .get(end - 1)
                .map(|t| t.end)
                .unwrap_or(self.text.len())
        };
        (s, e.max(s))
    }

    /// Whether token `t` is a possessive `'s` start.
    pub fn possessive_at(&self, t: usize) -> bool {
        matches!(self.punct(t), Some('\'' | '’'))
            && self.word(t + 1).eq_ignore_ascii_case("s")
            && self.tokens.get(t + 1).map(|k| k.start) == self.tokens.get(t).map(|k| k.end)
    }
}

impl Drop for Annotated<'_> {
    /// Hands the vectors to the thread's next document.
    fn drop(&mut self) {
        give_spare(std::mem::take(&mut self.tokens), |s| &mut s.tokens);
        give_spare(std::mem::take(&mut self.hits), |s| &mut s.hits);
        give_spare(std::mem::take(&mut self.first_hit), |s| &mut s.first_hit);
        give_spare(std::mem::take(&mut self.by_end), |s| &mut s.by_end);
        give_spare(std::mem::take(&mut self.first_end), |s| &mut s.first_end);
    }
}

/// Hits of the lexicon's phrases of several tokens: one automaton pass over
/// the text, kept where a match starts and ends on token boundaries. In text
/// order (the automaton's matches do not overlap).
fn phrase_hits(text: &str, tokens: &[Token], lang: &CompiledLanguage) -> Vec<Hit> {
    // A phrase of several words is rare beside the tokens: room for one in 16.
    let mut hits = Vec::with_capacity(tokens.len() / 16 + 1);
    let bytes = text.as_bytes();
    // Cheap word-boundary test on ASCII neighbours before the token lookup.
    let inside_word = |i: usize| bytes.get(i).is_some_and(|b| b.is_ascii_alphanumeric());
    crate::lexicon::scan::leftmost_matches(&lang.automaton, bytes, |m_start, m_end, pattern| {
        if (m_start > 0 && inside_word(m_start - 1)) || inside_word(m_end) {
            return;
        }
        let Ok(start) = tokens.binary_search_by_key(&m_start, |t| t.start) else {
            return;
        };
        let Ok(end) = tokens.binary_search_by_key(&m_end, |t| t.end) else {
            return;
        };
        if end < start {
            return;
        }
        for tag in lang
            .pattern_tags
            .get(pattern)
            .map_or(&[][..], Vec::as_slice)
        {
            hits.push(Hit {
                start,
                end: end + 1,
                tag: *tag,
            });
        }
    });
    hits
}

/// Every hit by start token, longest first, and where both lists say the
/// same the phrase hit before the one-word hit: what a stable sort of the
/// phrase hits followed by the one-word hits gives. Built in one pass over
/// the tokens (a phrase starting at a token is at least as long as the
/// token, so it goes before the token's one-word hits), with where each
/// token's hits begin: `hits[first_hit[t]..first_hit[t + 1]]` start at `t`.
fn hits_by_start(text: &str, tokens: &[Token], lang: &CompiledLanguage) -> (Vec<Hit>, Vec<usize>) {
    let mut phrases = phrase_hits(text, tokens, lang);
    // In order already (the automaton's matches do not overlap); a list
    // out of order is sorted all the same.
    let key = |h: &Hit| (h.start, std::cmp::Reverse(h.end));
    if !phrases.is_sorted_by_key(key) {
        phrases.sort_by_key(key);
    }
    let mut next_phrase = 0;
    // About two hits for three tokens: room for one a token, no regrowth.
    let mut hits = take_spare(|s| &mut s.hits);
    hits.reserve(phrases.len() + tokens.len());
    let mut first_hit = take_spare(|s| &mut s.first_hit);
    first_hit.reserve(tokens.len() + 1);
    let mut lower = String::new();
    for (t, tok) in tokens.iter().enumerate() {
        first_hit.push(hits.len());
        while let Some(&phrase) = phrases.get(next_phrase)
            && phrase.start <= t
        {
            hits.push(phrase);
            next_phrase += 1;
        }
        if let Some(tags) = lang
            .single_token
            .get_at(text, tok.start..tok.end, &mut lower)
        {
            hits.extend(tags.iter().map(|&tag| Hit {
                start: t,
                end: t + 1,
                tag,
            }));
        }
    }
    hits.extend_from_slice(phrases.get(next_phrase..).unwrap_or_default());
    first_hit.push(hits.len());
    (hits, first_hit)
}
