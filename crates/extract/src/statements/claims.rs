//! Claims: cue phrases inside an attributed quote make the quote sentence
//! that carries them a claim of the cue's kind.

use std::ops::Range;

use strikewatch_model::{Claim, ClaimKind, Span};

use super::lexicon::Compiled;
use super::quotes::is_quote_mark;
use super::text::Layout;

/// A claim found in one statement, before de-duplication across statements.
#[derive(Debug, Clone)]
pub(crate) struct FoundClaim {
    pub kind: ClaimKind,
    pub range: Range<usize>,
    /// Index of the document sentence the claim's quote stands in.
    pub host_sentence: Option<usize>,
    /// Index of the statement the claim belongs to.
    pub statement: usize,
}

/// Claims inside the quote pieces of one statement: per kind, the quote
/// sentence with the most cues of that kind (the first on a tie).
pub(crate) fn claims_in_quote(
    lex: &Compiled,
    text: &str,
    layout: &Layout,
    pieces: &[Range<usize>],
    lang: Option<usize>,
    host_sentence: Option<usize>,
    statement: usize,
) -> Vec<FoundClaim> {
    // (kind, sentence range, cue count) in order of first appearance
    let mut tally: Vec<(ClaimKind, Range<usize>, usize)> = Vec::new();
    for piece in pieces {
        for hit in lex.claims.find(text, piece.clone(), lang) {
            let range = claim_sentence(text, layout, piece, hit.start);
            if range.is_empty() {
                continue;
            }
            let kind = *hit.payload;
            match tally.iter_mut().find(|(k, r, _)| *k == kind && *r == range) {
                Some(entry) => entry.2 += 1,
                None => tally.push((kind, range, 1)),
            }
        }
    }
    let mut out: Vec<FoundClaim> = Vec::new();
    for (kind, range, count) in &tally {
        let best = tally
            .iter()
            .filter(|(k, _, _)| k == kind)
            .map(|t| t.2)
            .max()
            .unwrap_or(0);
        if *count == best && !out.iter().any(|c| c.kind == *kind) {
            out.push(FoundClaim {
                kind: *kind,
                range: range.clone(),
                host_sentence,
                statement,
            });
        }
    }
    out.sort_by_key(|c| (c.range.start, c.kind));
    out
}

/// The sentence of the quote around `pos`, trimmed of spaces and quote marks.
fn claim_sentence(text: &str, layout: &Layout, piece: &Range<usize>, pos: usize) -> Range<usize> {
    let (mut start, mut end) = (piece.start, piece.end);
    if let Some(s) = layout.sentence_at(pos) {
        let sentence = &layout.sentences[s];
        start = start.max(sentence.start);
        end = end.min(sentence.end);
    }
    if start >= end {
        return start..start;
    }
    let Some(slice) = text.get(start..end) else {
        return start..start;
    };
    let trimmed_start = slice.trim_start_matches(|c: char| c.is_whitespace() || is_quote_mark(c));
    let lead = slice.len() - trimmed_start.len();
    let trimmed = trimmed_start.trim_end_matches(|c: char| c.is_whitespace() || is_quote_mark(c));
    start + lead..start + lead + trimmed.len()
}

/// Normalised words for comparing claim texts.
fn normalise(s: &str) -> String {
    // One pass: whitespace runs become one space between words (none at
    // either end), then trailing ASCII punctuation goes.
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        let c = fold_claim_char(c);
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    let kept = out
        .trim_end_matches(|c: char| c.is_ascii_punctuation())
        .len();
    out.truncate(kept);
    out
}

/// A char of a claim as compared: typographic quotes made plain, letters
/// lower-cased (the first char of a lower case that has several).
fn fold_claim_char(c: char) -> char {
    match c {
        '“' | '”' | '„' | '«' | '»' => '"',
        '‘' | '’' => '\'',
        c => c.to_lowercase().next().unwrap_or(c),
    }
}

/// Keeps one claim per repeated assertion of one speaker: of two claims of
/// the same kind where one text contains the other, or that come from the
/// same reporting sentence, the longer stays.
pub(crate) fn dedupe(text: &str, claims: Vec<(FoundClaim, String)>) -> Vec<Claim> {
    // Only claims of one kind and speaker are compared: the others' texts
    // are not normalised (most claims have no such partner).
    let rivals = |i: usize| {
        let (a, sa) = &claims[i];
        claims
            .iter()
            .enumerate()
            .any(|(j, (b, sb))| j != i && a.kind == b.kind && sa == sb)
    };
    let norm: Vec<String> = (0..claims.len())
        .map(|i| {
            if rivals(i) {
                normalise(text.get(claims[i].0.range.clone()).unwrap_or(""))
            } else {
                String::new()
            }
        })
        .collect();
    let mut keep = vec![true; claims.len()];
    for i in 0..claims.len() {
        for j in 0..claims.len() {
            if i == j || !keep[j] || !keep[i] {
                continue;
            }
            let (a, sa) = &claims[i];
            let (b, sb) = &claims[j];
            if a.kind != b.kind || sa != sb {
                continue;
            }
            let (la, lb) = (a.range.len(), b.range.len());
            let same_host = a.statement != b.statement
                && a.host_sentence.is_some()
                && a.host_sentence == b.host_sentence;
            let contained = norm[j].contains(norm[i].as_str());
            // i loses to a longer j (ties: the later one loses).
            if (contained || same_host) && (la < lb || (la == lb && i > j)) {
                keep[i] = false;
            }
        }
    }
    claims
        .into_iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .filter_map(|((c, speaker), _)| {
            let span = Span::of(text, c.range.start, c.range.end)?;
            Some(Claim {
                kind: c.kind,
                text: span.text.clone(),
                speaker,
                span,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// `normalise` by its definition: mapped, split on whitespace, joined.
    fn normalise_by_words(s: &str) -> String {
        s.chars()
            .map(fold_claim_char)
            .collect::<String>()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .trim_end_matches(|c: char| c.is_ascii_punctuation())
            .to_string()
    }

    proptest! {
        #[test]
        fn one_pass_normalising_reads_as_split_and_join(
            s in "[a-zA-Z .,!\"'“”«»’ÉİẞΣ\t\n\u{a0}\u{2028}]{0,40}"
        ) {
            prop_assert_eq!(normalise(&s), normalise_by_words(&s));
        }
    }
}
