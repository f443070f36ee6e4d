//! The two phrase scans every document goes through, as loops over the
//! bytes driving an Aho-Corasick DFA: the library's iterators give the same
//! matches, but return to their caller at every match and save their state
//! at every byte, which made them the largest single cost of extraction.
//! The tests below check both loops against the library's iterators.
//!
//! Both take a [`PhraseDfa`]: a DFA over the phrases written in a code of
//! their own, one number per byte they use (ASCII capitals as small
//! letters), with the table that reads the text in that code. The library's
//! ASCII case-insensitive DFA matches the same, but its alphabet has a class
//! for each case of each letter and one for every run of bytes between two
//! the phrases use (the accented letters' bytes lie apart): over a hundred
//! classes where the code needs some fifty, every state's row of
//! transitions twice as wide, and tables of megabytes that miss the cache
//! at nearly every step of the scan.

use std::ops::Range;

use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, BuildError, MatchKind};

/// A phrase DFA and the table its text is read through.
#[derive(Debug)]
pub(crate) struct PhraseDfa {
    dfa: DFA,
    /// Each byte of the text in the phrases' code: its ASCII lower case
    /// numbered as the phrases' bytes were, 0 for a byte no phrase uses.
    read_as: [u8; 256],
}

impl PhraseDfa {
    /// A full DFA of `kind` over `patterns`: what the library builds with
    /// ASCII case-insensitivity matches the same phrases at the same
    /// places, with the same pattern ids (a phrase written twice in
    /// different cases is two patterns in both, the first one preferred).
    pub(crate) fn build<P: AsRef<str>>(
        kind: MatchKind,
        patterns: impl IntoIterator<Item = P>,
    ) -> Result<PhraseDfa, BuildError> {
        let folded: Vec<Vec<u8>> = patterns
            .into_iter()
            .map(|p| p.as_ref().to_ascii_lowercase().into_bytes())
            .collect();
        // Number the bytes the phrases use from 1 in order of use; 0 is
        // every byte they do not. No phrase byte is an ASCII capital, so
        // at most 230 numbers are given and a `u8` holds them.
        let mut code = [0u8; 256];
        let mut next: u8 = 1;
        for &b in folded.iter().flatten() {
            let slot = &mut code[usize::from(b)];
            if *slot == 0 {
                *slot = next;
                next = next.saturating_add(1);
            }
        }
        let mut read_as = [0u8; 256];
        for (b, slot) in (0..=u8::MAX).zip(read_as.iter_mut()) {
            *slot = code[usize::from(b.to_ascii_lowercase())];
        }
        let dfa = DFA::builder()
            .match_kind(kind)
            // The loops never call a prefilter, and with one the start
            // states would count as special and send every step out of
            // the fast path.
            .prefilter(false)
            .build(
                folded
                    .iter()
                    .map(|p| p.iter().map(|&b| code[usize::from(b)]).collect::<Vec<u8>>()),
            )?;
        Ok(PhraseDfa { dfa, read_as })
    }

    /// The text's byte `byte` as the automaton reads it.
    #[inline]
    fn read(&self, byte: u8) -> u8 {
        self.read_as[usize::from(byte)]
    }
}

/// The non-overlapping matches of a leftmost-longest `dfa` over `haystack`,
/// in order, handed to `each` as (start, end, pattern): what the library's
/// `find_iter` gives. Phrases are never empty, so neither is a match (an
/// empty one would step ahead a byte).
pub(crate) fn leftmost_matches(
    phrases: &PhraseDfa,
    haystack: &[u8],
    mut each: impl FnMut(usize, usize, usize),
) {
    let dfa = &phrases.dfa;
    let Ok(start_state) = dfa.start_state(Anchored::No) else {
        return;
    };
    let mut at = 0;
    while at <= haystack.len() {
        // One leftmost search from `at`: the last match state seen before
        // the automaton dies (or the text ends) holds the match.
        let mut sid = start_state;
        let mut found = dfa.is_match(sid).then_some((sid, at));
        let mut end = at;
        for &byte in haystack.get(at..).unwrap_or_default() {
            end += 1;
            sid = dfa.next_state(Anchored::No, sid, phrases.read(byte));
            if dfa.is_special(sid) {
                if dfa.is_dead(sid) {
                    break;
                }
                if dfa.is_match(sid) {
                    found = Some((sid, end));
                }
            }
        }
        let Some((sid, end)) = found else {
            return;
        };
        let pattern = dfa.match_pattern(sid, 0);
        let start = end.saturating_sub(dfa.pattern_len(pattern));
        each(start, end, pattern.as_usize());
        at = if end > start { end } else { end + 1 };
    }
}

/// Every match of a standard `dfa` in `haystack[range]`, overlapping ones
/// included, handed to `each` as (start, end, pattern): what the library's
/// `find_overlapping_iter` gives. In order of end, then as the automaton
/// lists a state's matches.
pub(crate) fn overlapping_matches(
    phrases: &PhraseDfa,
    haystack: &[u8],
    range: Range<usize>,
    mut each: impl FnMut(usize, usize, usize),
) {
    let dfa = &phrases.dfa;
    let Ok(mut sid) = dfa.start_state(Anchored::No) else {
        return;
    };
    let mut report = |sid, end: usize| {
        for i in 0..dfa.match_len(sid) {
            let pattern = dfa.match_pattern(sid, i);
            if let Some(start) = end.checked_sub(dfa.pattern_len(pattern)) {
                each(start, end, pattern.as_usize());
            }
        }
    };
    if dfa.is_match(sid) {
        report(sid, range.start);
    }
    let Some(bytes) = haystack.get(range.clone()) else {
        return;
    };
    let mut end = range.start;
    for &byte in bytes {
        end += 1;
        sid = dfa.next_state(Anchored::No, sid, phrases.read(byte));
        if dfa.is_special(sid) {
            if dfa.is_dead(sid) {
                return;
            }
            if dfa.is_match(sid) {
                report(sid, end);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{AhoCorasick, AhoCorasickKind, Input, MatchKind};
    use proptest::prelude::*;

    const PATTERNS: [&str; 11] = [
        "the strike",
        "strike",
        "Strike",
        "U.S. Southern Command",
        "strikes on",
        "on boats",
        "u.s. southern command",
        "southern",
        "s",
        "lancha rápida",
        "él",
    ];

    /// Ours over folded phrases, and the library's case-insensitive one
    /// over the phrases as written.
    fn both(kind: MatchKind) -> (PhraseDfa, AhoCorasick) {
        let dfa = PhraseDfa::build(kind, PATTERNS).unwrap_or_else(|e| panic!("{e}"));
        let library = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(kind)
            .kind(Some(AhoCorasickKind::DFA))
            .build(PATTERNS)
            .unwrap_or_else(|e| panic!("{e}"));
        (dfa, library)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]
        #[test]
        fn leftmost_loop_finds_what_find_iter_finds(
            text in "(the |THE |strikes? |on |boats |U\\.S\\. |southern |command |lancha |rápida |Él |él |x|\\.| )*"
        ) {
            let (dfa, library) = both(MatchKind::LeftmostLongest);
            let mut ours = Vec::new();
            leftmost_matches(&dfa, text.as_bytes(), |s, e, p| ours.push((s, e, p)));
            let theirs: Vec<_> = library
                .find_iter(&text)
                .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
                .collect();
            prop_assert_eq!(ours, theirs);
        }

        #[test]
        fn overlapping_loop_finds_what_find_overlapping_iter_finds(
            text in "(the |THE |strikes? |on |boats |U\\.S\\. |southern |command |lancha |rápida |Él |él |x|\\.| )*",
            from in 0usize..8,
        ) {
            let (dfa, library) = both(MatchKind::Standard);
            let range = from.min(text.len())..text.len();
            let mut ours = Vec::new();
            overlapping_matches(&dfa, text.as_bytes(), range.clone(), |s, e, p| {
                ours.push((s, e, p))
            });
            let theirs: Vec<_> = library
                .find_overlapping_iter(Input::new(&text).span(range))
                .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
                .collect();
            prop_assert_eq!(ours, theirs);
        }
    }
}
