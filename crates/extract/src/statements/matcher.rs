//! Word-bounded phrase matching over one automaton per lexicon section.
//!
//! Every section (agents and speech verbs, channel and day words, claim
//! cues) is compiled once into an Aho-Corasick automaton. Matches are
//! filtered to whole words and, for phrases written with a leading capital
//! (names), to capitalised text; overlapping survivors are resolved longest
//! first so "Trump administration" wins over "Trump".

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind};

use crate::LexiconError;

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

/// Phrases with payloads, compiled into one automaton.
#[derive(Debug)]
pub(crate) struct PhraseSet<T> {
    automaton: Option<AhoCorasick>,
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
        if self.patterns.is_empty() {
            return Ok(PhraseSet {
                automaton: None,
                entries: self.entries,
            });
        }
        let automaton = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            // A full DFA: lexicons are small, and this runs over every document byte.
            .kind(Some(AhoCorasickKind::DFA))
            .build(&self.patterns)
            .map_err(|e| LexiconError::Invalid {
                file: section.to_string(),
                message: e.to_string(),
            })?;
        Ok(PhraseSet {
            automaton: Some(automaton),
            entries: self.entries,
        })
    }
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
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        if range.start >= range.end || range.end > text.len() {
            return Vec::new();
        }
        let input = Input::new(text).span(range);
        let mut candidates: Vec<(usize, usize, usize)> = Vec::new();
        for m in automaton.find_overlapping_iter(input) {
            let entry = &self.entries[m.pattern().as_usize()];
            let in_scope = match (entry.scope, lang) {
                (LangScope::All, _) | (_, None) => true,
                (LangScope::Only(l), Some(doc)) => l == doc,
            };
            if !in_scope || !is_word_bounded(text, m.start(), m.end()) {
                continue;
            }
            if entry.needs_capital
                && !text[m.start()..]
                    .chars()
                    .next()
                    .is_some_and(char::is_uppercase)
            {
                continue;
            }
            candidates.push((m.start(), m.end(), m.pattern().as_usize()));
        }
        // Longest first at each start, then greedy left to right.
        candidates.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        let mut hits = Vec::new();
        let mut covered_to = 0usize;
        for (start, end, id) in candidates {
            if start < covered_to {
                // Overlaps an accepted hit; a longer one starting later loses.
                continue;
            }
            hits.push(Hit {
                start,
                end,
                payload: &self.entries[id].payload,
            });
            covered_to = end;
        }
        hits
    }
}

/// True when `text[start..end]` is not glued to letters or digits on either side.
pub(crate) fn is_word_bounded(text: &str, start: usize, end: usize) -> bool {
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
