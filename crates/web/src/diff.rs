//! Word-level differences between two versions of a captured page.

use std::time::Duration;

use serde::Serialize;
use similar::{Algorithm, ChangeTag, TextDiff};

/// How long one diff may search for the smallest difference; past it the
/// diff is coarser (larger removed/added runs) but still correct.
const DIFF_BUDGET: Duration = Duration::from_millis(300);
/// Unchanged runs longer than this many words are shortened on the page.
const CONTEXT_WORDS: usize = 12;

/// One run of words: the same in both versions, removed, or added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Op {
    Same,
    Removed,
    Added,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Piece {
    pub op: Op,
    pub text: String,
}

/// The runs that turn `old` into `new`, words and the spaces between them
/// kept as they are, consecutive words of one kind joined.
pub(crate) fn word_diff(old: &str, new: &str) -> Vec<Piece> {
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Patience)
        .timeout(DIFF_BUDGET)
        .diff_words(old, new);
    let mut out: Vec<Piece> = Vec::new();
    for change in diff.iter_all_changes() {
        let op = match change.tag() {
            ChangeTag::Equal => Op::Same,
            ChangeTag::Delete => Op::Removed,
            ChangeTag::Insert => Op::Added,
        };
        let text = change.value();
        match out.last_mut() {
            Some(last) if last.op == op => last.text.push_str(text),
            _ => out.push(Piece {
                op,
                text: text.to_string(),
            }),
        }
    }
    out
}

/// True when nothing was removed or added.
pub(crate) fn unchanged(pieces: &[Piece]) -> bool {
    pieces.iter().all(|p| p.op == Op::Same)
}

/// A long unchanged run shortened to its first and last words around a
/// `…`, so a page shows the changes with some context.
pub(crate) fn shorten_same(text: &str, first: bool, last: bool) -> (String, bool, String) {
    let words: Vec<&str> = text.split_inclusive(char::is_whitespace).collect();
    let keep_head = if first { 0 } else { CONTEXT_WORDS };
    let keep_tail = if last { 0 } else { CONTEXT_WORDS };
    if words.len() <= keep_head + keep_tail + CONTEXT_WORDS {
        return (text.to_string(), false, String::new());
    }
    let head: String = words[..keep_head].concat();
    let tail: String = words[words.len() - keep_tail..].concat();
    (head, true, tail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_removed_and_added_are_runs_between_unchanged_text() {
        let d = word_diff(
            "Three narco-terrorists were killed in the Caribbean.",
            "Four narco-terrorists were killed in the eastern Pacific.",
        );
        let removed: Vec<&str> = d
            .iter()
            .filter(|p| p.op == Op::Removed)
            .map(|p| p.text.as_str())
            .collect();
        let added: Vec<&str> = d
            .iter()
            .filter(|p| p.op == Op::Added)
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(removed, ["Three", "Caribbean."]);
        assert_eq!(added, ["Four", "eastern Pacific."]);
        // Same + removed gives the old text back; same + added the new one.
        let old: String = d
            .iter()
            .filter(|p| p.op != Op::Added)
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(old, "Three narco-terrorists were killed in the Caribbean.");
        assert!(unchanged(&word_diff("a b", "a b")));
        assert!(!unchanged(&word_diff("a b", "a c")));
    }

    #[test]
    fn long_unchanged_runs_keep_context_at_both_ends() {
        let text: String = (0..100).map(|i| format!("w{i} ")).collect();
        let (head, cut, tail) = shorten_same(&text, false, false);
        assert!(cut);
        assert!(head.starts_with("w0 ") && head.ends_with("w11 "));
        assert!(tail.starts_with("w88 ") && tail.ends_with("w99 "));
        // At the start of a text only the words before the change are kept.
        let (head, cut, tail) = shorten_same(&text, true, false);
        assert!(cut && head.is_empty() && tail.starts_with("w88 "));
        let (all, cut, _) = shorten_same("a few words ", false, false);
        assert!(!cut);
        assert_eq!(all, "a few words ");
    }
}
