//! Word-bounded phrase matching over one automaton per lexicon section and language.
//!
//! Every section (agents and speech verbs, channel and day words, claim
//! cues) is compiled once into an Aho-Corasick automaton. Matches are
//! filtered to whole words and, for phrases written with a leading capital
//! (names), to capitalised text; overlapping survivors are resolved longest
//! first so "Trump administration" wins over "Trump".

use std::ops::Range;

use aho_corasick::MatchKind;

use crate::LexiconError;
use crate::lexicon::scan::{PhraseDfa, overlapping_matches};

/// Which languages a phrase applies to: an index into the lexicon's
/// language list, or every language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LangScope {
    Only(usize),
    All,
}

#[derive(Debug)]
struct Entry<T> {
    payload: T,
    scope: LangScope,
    needs_capital: bool,
}

/// One automaton over some of a set's phrases, with the entry each of its
/// patterns stands for.
#[derive(Debug)]
struct Compiled {
    automaton: PhraseDfa,
    entry_of: Vec<usize>,
}

/// Phrases with payloads, compiled once per language: a document is scanned
/// only for its own language's phrases and the shared ones, so adding a
/// language does not slow the others down.
#[derive(Debug)]
pub(crate) struct PhraseSet<T> {
    /// Every phrase, for text of no particular language.
    every: Option<Compiled>,
    /// Phrases of language `l` and the shared ones, at index `l`.
    by_lang: Vec<Option<Compiled>>,
    /// The shared phrases alone, for a language with none of its own.
    shared: Option<Compiled>,
    /// Whether `by_lang` and `shared` were built: a set read through a
    /// [`PhrasePair`] has only `every`.
    per_language: bool,
    entries: Vec<Entry<T>>,
}

/// One accepted match.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hit<'a, T> {
    pub start: usize,
    pub end: usize,
    pub payload: &'a T,
}

/// Collects phrases before compiling them.
pub(crate) struct PhraseSetBuilder<T> {
    patterns: Vec<String>,
    entries: Vec<Entry<T>>,
}

impl<T> PhraseSetBuilder<T> {
    pub fn new() -> Self {
        PhraseSetBuilder {
            patterns: Vec::new(),
            entries: Vec::new(),
        }
    }

    /// Adds a phrase; blank phrases are ignored. A phrase starting with a
    /// non-ASCII lower-case letter also gets its capitalised form, because
    /// the automaton folds ASCII case only ("él" / "Él").
    pub fn add(&mut self, phrase: &str, scope: LangScope, payload: T)
    where
        T: Clone,
    {
        let phrase = phrase.trim();
        let Some(first) = phrase.chars().next() else {
            return;
        };
        // Pages set the apostrophe straight or curly ("Colombia's",
        // "Colombia’s"); the lexicon writes it straight.
        if phrase.contains('\'') {
            self.add(&phrase.replace('\'', "’"), scope, payload.clone());
        }
        let needs_capital = first.is_uppercase();
        if !first.is_ascii() && first.is_lowercase() {
            let capitalised: String = first.to_uppercase().chain(phrase.chars().skip(1)).collect();
            self.patterns.push(capitalised);
            self.entries.push(Entry {
                payload: payload.clone(),
                scope,
                needs_capital: false,
            });
        }
        self.patterns.push(phrase.to_string());
        self.entries.push(Entry {
            payload,
            scope,
            needs_capital,
        });
    }

    pub fn build(self, section: &str) -> Result<PhraseSet<T>, LexiconError> {
        let scopes: Vec<LangScope> = self.entries.iter().map(|e| e.scope).collect();
        let (by_lang, shared) = compile_by_language(&self.patterns, &scopes, section)?;
        let all: Vec<usize> = (0..self.entries.len()).collect();
        let every = compile(&self.patterns, all, section)?;
        Ok(PhraseSet {
            every,
            by_lang,
            shared,
            per_language: true,
            entries: self.entries,
        })
    }

    /// The set with its automaton over every language only: a language's
    /// phrases are then read from that one, filtered to its scope.
    fn build_every_language(self, section: &str) -> Result<PhraseSet<T>, LexiconError> {
        let all: Vec<usize> = (0..self.entries.len()).collect();
        let every = compile(&self.patterns, all, section)?;
        Ok(PhraseSet {
            every,
            by_lang: Vec::new(),
            shared: None,
            per_language: false,
            entries: self.entries,
        })
    }
}

/// Two phrase sets whose matches over a whole document are wanted together
/// (speakers and speech verbs; channel and day words): per language, one
/// automaton of both sets' phrases, so the document is scanned once for
/// both. The sets themselves keep their automaton over every language.
#[derive(Debug)]
pub(crate) struct PhrasePair<A, B> {
    pub first: PhraseSet<A>,
    pub second: PhraseSet<B>,
    /// Over both sets' phrases in scope for each language; pattern ids below
    /// `first.entries.len()` are the first set's entries, the rest the
    /// second's.
    by_lang: Vec<Option<Compiled>>,
    /// Over the phrases of every language, for languages past `by_lang`.
    shared: Option<Compiled>,
}

impl<A, B> PhrasePair<A, B> {
    pub fn build(
        first: PhraseSetBuilder<A>,
        second: PhraseSetBuilder<B>,
        section: &str,
    ) -> Result<PhrasePair<A, B>, LexiconError> {
        let patterns: Vec<String> = first
            .patterns
            .iter()
            .chain(&second.patterns)
            .cloned()
            .collect();
        let scopes: Vec<LangScope> = first
            .entries
            .iter()
            .map(|e| e.scope)
            .chain(second.entries.iter().map(|e| e.scope))
            .collect();
        let (by_lang, shared) = compile_by_language(&patterns, &scopes, section)?;
        Ok(PhrasePair {
            first: first.build_every_language(section)?,
            second: second.build_every_language(section)?,
            by_lang,
            shared,
        })
    }

    /// What `first.find` and `second.find` give over the whole of `text`
    /// for `lang`, from one scan.
    pub fn find_both<'a>(
        &'a self,
        text: &str,
        lang: Option<usize>,
    ) -> (Vec<Hit<'a, A>>, Vec<Hit<'a, B>>) {
        let whole = 0..text.len();
        let compiled = match lang {
            None => None,
            Some(l) => match self.by_lang.get(l) {
                Some(own) => own.as_ref(),
                None => self.shared.as_ref(),
            },
        };
        let Some(Compiled {
            automaton,
            entry_of,
        }) = compiled.filter(|_| !text.is_empty())
        else {
            return (
                self.first.find(text, whole.clone(), lang),
                self.second.find(text, whole, lang),
            );
        };
        let split = self.first.entries.len();
        let mut first: Vec<(usize, usize, usize)> = Vec::with_capacity(text.len() / 64);
        let mut second: Vec<(usize, usize, usize)> = Vec::new();
        overlapping_matches(automaton, text.as_bytes(), whole, |start, end, pattern| {
            let Some(&id) = entry_of.get(pattern) else {
                return;
            };
            match id.checked_sub(split) {
                None if self.first.accepts(id, text, start, end, lang) => {
                    first.push((start, end, id));
                }
                Some(own) if self.second.accepts(own, text, start, end, lang) => {
                    second.push((start, end, own));
                }
                _ => {}
            }
        });
        (self.first.resolve(first), self.second.resolve(second))
    }
}

/// The automata of `patterns` per language (the phrases in scope for each
/// language index below the largest one named) and over the phrases of
/// every language.
fn compile_by_language(
    patterns: &[String],
    scopes: &[LangScope],
    section: &str,
) -> Result<(Vec<Option<Compiled>>, Option<Compiled>), LexiconError> {
    let languages = scopes
        .iter()
        .filter_map(|scope| match scope {
            LangScope::Only(l) => Some(l + 1),
            LangScope::All => None,
        })
        .max()
        .unwrap_or(0);
    let in_scope = |l: usize| {
        move |i: &usize| match scopes.get(*i) {
            Some(LangScope::All) => true,
            Some(LangScope::Only(own)) => *own == l,
            None => false,
        }
    };
    let all: Vec<usize> = (0..scopes.len()).collect();
    let mut by_lang = Vec::with_capacity(languages);
    for l in 0..languages {
        let ids = all.iter().copied().filter(in_scope(l)).collect();
        by_lang.push(compile(patterns, ids, section)?);
    }
    let shared_ids = all
        .iter()
        .copied()
        .filter(|i| scopes.get(*i) == Some(&LangScope::All))
        .collect();
    let shared = compile(patterns, shared_ids, section)?;
    Ok((by_lang, shared))
}

/// The automaton over `patterns[ids]`; `None` when `ids` is empty.
fn compile(
    patterns: &[String],
    ids: Vec<usize>,
    section: &str,
) -> Result<Option<Compiled>, LexiconError> {
    if ids.is_empty() {
        return Ok(None);
    }
    // A full DFA: lexicons are small, and this runs over every document
    // byte. Built in the phrases' own code, as the scan reads the text.
    let automaton = PhraseDfa::build(MatchKind::Standard, ids.iter().map(|i| &patterns[*i]))
        .map_err(|e| LexiconError::Invalid {
            file: section.to_string(),
            message: e.to_string(),
        })?;
    Ok(Some(Compiled {
        automaton,
        entry_of: ids,
    }))
}

impl<T> PhraseSet<T> {
    /// Whole-word, non-overlapping matches inside `range` of `text` for the
    /// given language (None: every language), in text order.
    pub fn find<'a>(
        &'a self,
        text: &str,
        range: Range<usize>,
        lang: Option<usize>,
    ) -> Vec<Hit<'a, T>> {
        // A set without automata per language reads a language's phrases
        // from the one over every language: `accepts` keeps those in scope.
        let compiled = match lang {
            Some(l) if self.per_language => match self.by_lang.get(l) {
                Some(own) => own.as_ref(),
                None => self.shared.as_ref(),
            },
            _ => self.every.as_ref(),
        };
        let Some(Compiled {
            automaton,
            entry_of,
        }) = compiled
        else {
            return Vec::new();
        };
        if range.start >= range.end || range.end > text.len() {
            return Vec::new();
        }
        // Room for a match every 64 bytes, about what prose holds.
        let mut candidates: Vec<(usize, usize, usize)> = Vec::with_capacity(range.len() / 64);
        overlapping_matches(automaton, text.as_bytes(), range, |start, end, pattern| {
            if let Some(&id) = entry_of.get(pattern)
                && self.accepts(id, text, start, end, lang)
            {
                candidates.push((start, end, id));
            }
        });
        self.resolve(candidates)
    }

    /// Whether the match `start..end` of entry `id` counts for `lang`: in
    /// scope, a whole word, and capitalised when its phrase is.
    fn accepts(
        &self,
        id: usize,
        text: &str,
        start: usize,
        end: usize,
        lang: Option<usize>,
    ) -> bool {
        let Some(entry) = self.entries.get(id) else {
            return false;
        };
        let in_scope = match (entry.scope, lang) {
            (LangScope::All, _) | (_, None) => true,
            (LangScope::Only(l), Some(doc)) => l == doc,
        };
        if !in_scope || !is_word_bounded(text, start, end) {
            return false;
        }
        !entry.needs_capital
            || text
                .get(start..)
                .and_then(|rest| rest.chars().next())
                .is_some_and(char::is_uppercase)
    }

    /// The hits of accepted matches (start, end, entry): longest first at
    /// each start, then greedy left to right.
    fn resolve(&self, mut candidates: Vec<(usize, usize, usize)>) -> Vec<Hit<'_, T>> {
        candidates.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        let mut hits = Vec::with_capacity(candidates.len());
        let mut covered_to = 0usize;
        for (start, end, id) in candidates {
            if start < covered_to {
                // Overlaps an accepted hit; a longer one starting later loses.
                continue;
            }
            let Some(entry) = self.entries.get(id) else {
                continue;
            };
            hits.push(Hit {
                start,
                end,
                payload: &entry.payload,
            });
            covered_to = end;
        }
        hits
    }
}

/// [`is_word_bounded`] read from the bytes when the match's first and last
/// bytes and its neighbours are ASCII (nearly every match); `None` otherwise.
fn ascii_word_bounded(bytes: &[u8], start: usize, end: usize) -> Option<bool> {
    let first = *bytes.get(start).filter(|b| b.is_ascii())?;
    let last = *bytes.get(end.checked_sub(1)?).filter(|b| b.is_ascii())?;
    if start >= end {
        return None;
    }
    let before = match start.checked_sub(1) {
        Some(i) => Some(*bytes.get(i).filter(|b| b.is_ascii())?),
        None => None,
    };
    let after = match bytes.get(end) {
        Some(b) if !b.is_ascii() => return None,
        other => other.copied(),
    };
    let glued_before =
        before.is_some_and(|b| b.is_ascii_alphanumeric()) && first.is_ascii_alphanumeric();
    let glued_after =
        after.is_some_and(|b| b.is_ascii_alphanumeric()) && last.is_ascii_alphanumeric();
    Some(!glued_before && !glued_after)
}

/// True when `text[start..end]` is not glued to letters or digits on either side.
pub(crate) fn is_word_bounded(text: &str, start: usize, end: usize) -> bool {
    ascii_word_bounded(text.as_bytes(), start, end)
        .unwrap_or_else(|| chars_word_bounded(text, start, end))
}

/// [`is_word_bounded`] by its definition, on chars.
fn chars_word_bounded(text: &str, start: usize, end: usize) -> bool {
    let before = text.get(..start).and_then(|s| s.chars().next_back());
    let after = text.get(end..).and_then(|s| s.chars().next());
    let first = text.get(start..end).and_then(|s| s.chars().next());
    let last = text.get(start..end).and_then(|s| s.chars().next_back());
    let glued_before =
        before.is_some_and(char::is_alphanumeric) && first.is_some_and(char::is_alphanumeric);
    let glued_after =
        after.is_some_and(char::is_alphanumeric) && last.is_some_and(char::is_alphanumeric);
    !glued_before && !glued_after
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn ascii_bounds_read_as_char_bounds(
            text in "[a-zA-Z0-9 ,.'é٣—-]{0,12}",
            start in 0usize..14,
            len in 0usize..6,
        ) {
            let end = start + len;
            if let Some(bounded) = ascii_word_bounded(text.as_bytes(), start, end) {
                prop_assert_eq!(bounded, chars_word_bounded(&text, start, end));
            }
        }
    }
}
