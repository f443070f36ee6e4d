//! Snippets with highlighted words, cut from a bounded excerpt: the work
//! per hit is the same for a 1 KB note and a 20 MB transcript.

use tantivy::tokenizer::TextAnalyzer;

use crate::query::MatchTerms;

/// Bytes of context kept before the first match.
const LEAD: usize = 60;
/// Bytes a snippet shows (before the ellipses).
pub const SNIPPET_BYTES: usize = 240;
/// At most this many words are highlighted.
const MAX_MARKS: usize = 32;
const ELLIPSIS: &str = "…";

/// A snippet and the byte ranges of its highlighted words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    pub highlights: Vec<[usize; 2]>,
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The snippet of `excerpt` around the first word `terms` matches (as
/// `analyzer` reads it); the excerpt's start when none does.
pub fn snippet(excerpt: &str, analyzer: &mut TextAnalyzer, terms: &MatchTerms) -> Snippet {
    let mut matches: Vec<(usize, usize)> = Vec::new();
    let mut window: Option<(usize, usize)> = None;
    let mut stream = analyzer.token_stream(excerpt);
    while let Some(token) = stream.next() {
        if let Some((_, end)) = window
            && token.offset_from >= end
        {
            break;
        }
        if terms.matches(&token.text) {
            if window.is_none() {
                let start = floor_boundary(excerpt, token.offset_from.saturating_sub(LEAD));
                // Start on a word: skip the cut word's tail.
                let start = if start == 0 {
                    0
                } else {
                    excerpt[start..token.offset_from]
                        .find(char::is_whitespace)
                        .map(|k| start + k + 1)
                        .unwrap_or(start)
                };
                let end = floor_boundary(excerpt, start + SNIPPET_BYTES);
                window = Some((start, end.max(token.offset_to.min(excerpt.len()))));
            }
            if matches.len() < MAX_MARKS {
                matches.push((token.offset_from, token.offset_to));
            }
        }
    }
    let (start, end) = window.unwrap_or_else(|| (0, floor_boundary(excerpt, SNIPPET_BYTES)));
    let mut text = String::with_capacity(end - start + 2 * ELLIPSIS.len());
    let shift = if start > 0 {
        text.push_str(ELLIPSIS);
        ELLIPSIS.len()
    } else {
        0
    };
    text.push_str(&excerpt[start..end]);
    if end < excerpt.len() {
        text.push_str(ELLIPSIS);
    }
    let highlights = matches
        .into_iter()
        .filter(|&(a, b)| a >= start && b <= end)
        .map(|(a, b)| [a - start + shift, b - start + shift])
        .collect();
    Snippet { text, highlights }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::TextField;

    fn terms(words: &[&str]) -> MatchTerms {
        MatchTerms {
            words: words.iter().map(|w| w.to_string()).collect(),
            prefixes: Vec::new(),
        }
    }

    #[test]
    fn highlights_inflected_words_on_char_boundaries() {
        let text = format!(
            "{} Ataques letales en el Caribe; el ataque fue",
            "ñ".repeat(100)
        );
        let mut analyzer = TextField::Spanish.analyzer();
        let s = snippet(&text, &mut analyzer, &terms(&["ataqu"]));
        assert!(s.text.starts_with(ELLIPSIS));
        let marked: Vec<&str> = s.highlights.iter().map(|[a, b]| &s.text[*a..*b]).collect();
        assert_eq!(marked, vec!["Ataques", "ataque"]);
    }

    #[test]
    fn no_match_gives_the_start() {
        let mut analyzer = TextField::Plain.analyzer();
        let s = snippet("short text", &mut analyzer, &terms(&["other"]));
        assert_eq!(s.text, "short text");
        assert!(s.highlights.is_empty());
    }

    #[test]
    fn prefixes_highlight_every_word_they_start() {
        let mut analyzer = TextField::Plain.analyzer();
        let t = MatchTerms {
            prefixes: vec!["str".into()],
            ..MatchTerms::default()
        };
        let s = snippet("a strike, strikes, stroll", &mut analyzer, &t);
        assert_eq!(s.highlights.len(), 3);
    }
}
