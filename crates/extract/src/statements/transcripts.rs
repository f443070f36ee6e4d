//! Transcripts: turns labelled with the speaker's name and a colon, with no
//! quote marks ("SEN. KAINE: Mr. Secretary, who gave the order?"). A page
//! is read as a transcript only when at least two of its paragraphs open
//! with the label of a known speaker, so a lone "Note: …" or a headline
//! "Petro: …" is left alone.

use std::ops::Range;

use super::attribution::{Doc, Found};
use super::quotes::{Quote, is_quote_mark};
use super::text::{line_ranges, word_count};

/// Turns a page needs before its labels are read as a transcript.
const MIN_TURNS: usize = 2;
/// Words a turn must hold after its label to be a statement.
const MIN_TURN_WORDS: usize = 4;
/// Bytes a label may take at the start of a paragraph.
const LABEL_BYTES: usize = 48;

/// One labelled turn.
pub(crate) struct Turn {
    pub text: Range<usize>,
    pub found: Found,
}

impl Turn {
    /// The turn as a quote without marks, for the statement builder.
    pub fn as_quote(&self) -> Quote {
        Quote {
            open: self.text.start,
            pieces: vec![self.text.clone()],
            close_end: None,
            nested: false,
        }
    }
}

/// A cheap screen: a colon followed by a space near the start of a line.
pub(crate) fn may_hold_transcript(text: &str) -> bool {
    line_ranges(text)
        .filter_map(|line| text.get(line))
        .filter(|line| {
            let head = line.get(..LABEL_BYTES.min(line.len())).unwrap_or(line);
            head.contains(": ")
        })
        .nth(MIN_TURNS - 1)
        .is_some()
}

/// Every turn of a transcript page whose label names a known speaker and
/// whose words carry no quote marks (quoted turns are read as quotes).
pub(crate) fn unquoted_turns(ctx: &Doc<'_>) -> Vec<Turn> {
    let mut turns = Vec::new();
    let mut labelled = 0usize;
    // A page that repeats its headline ("Strikes at sea: how many died?")
    // above each section has one line several times, not a dialogue.
    let mut seen: Vec<&str> = Vec::new();
    for para in &ctx.layout.paragraphs {
        let Some(line) = ctx.text.get(para.clone()) else {
            continue;
        };
        let Some(colon) = line
            .get(..LABEL_BYTES.min(line.len()))
            .and_then(|h| h.find(": "))
            .or_else(|| line.find(": ").filter(|&c| c < LABEL_BYTES))
        else {
            continue;
        };
        if seen.contains(&line.trim()) {
            continue;
        }
        seen.push(line.trim());
        let label_end = para.start + colon + 2;
        let Some(found) = ctx.label_speaker(para.start, label_end) else {
            continue;
        };
        labelled += 1;
        let words = &line[colon + 2..];
        if word_count(words) < MIN_TURN_WORDS || words.chars().any(is_quote_mark_not_apostrophe) {
            continue;
        }
        let mut found = found;
        found.cues.push("layout:transcript_label");
        turns.push(Turn {
            text: label_end..para.end,
            found,
        });
    }
    if labelled < MIN_TURNS {
        return Vec::new();
    }
    turns
}

/// Quote marks other than the apostrophe, which turns use freely ("we're").
fn is_quote_mark_not_apostrophe(c: char) -> bool {
    is_quote_mark(c) && !matches!(c, '\'' | '’')
}
