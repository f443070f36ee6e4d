//! Paragraphs, sentences and small word helpers over a document's text.
//! All positions are byte offsets on char boundaries.

use std::collections::HashSet;
use std::ops::Range;

/// Paragraph and sentence ranges of one text (trimmed, in order).
#[derive(Debug, Default)]
pub(crate) struct Layout {
    pub paragraphs: Vec<Range<usize>>,
    pub sentences: Vec<Range<usize>>,
    /// Paragraph index of each sentence.
    pub sentence_paragraph: Vec<usize>,
}

impl Layout {
    pub fn new(text: &str, abbreviations: &HashSet<String>) -> Layout {
        let mut layout = Layout::default();
        let mut line_start = 0usize;
        for line in text.split_inclusive('\n') {
            let range = trim_range(text, line_start..line_start + line.len());
            line_start += line.len();
            if range.is_empty() {
                continue;
            }
            let index = layout.paragraphs.len();
            for sentence in split_sentences(text, range.clone(), abbreviations) {
                layout.sentences.push(sentence);
                layout.sentence_paragraph.push(index);
            }
            layout.paragraphs.push(range);
        }
        layout
    }

    /// The layout over sentences already split by the strike extractor (byte
    /// ranges in order), so the text is split once; paragraphs are its
    /// non-blank lines, as in [`Layout::new`].
    pub fn from_sentences(text: &str, sentences: impl Iterator<Item = Range<usize>>) -> Layout {
        // Sized once: a paragraph per line at most, and about a part per
        // sentence, rather than regrown as they fill.
        let lines = memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1;
        let parts = sentences.size_hint().0;
        let mut layout = Layout {
            paragraphs: Vec::with_capacity(lines),
            sentences: Vec::with_capacity(parts),
            sentence_paragraph: Vec::with_capacity(parts),
        };
        for line in line_ranges(text) {
            let range = trim_range(text, line);
            if !range.is_empty() {
                layout.paragraphs.push(range);
            }
        }
        let mut para = 0usize;
        for sentence in sentences {
            let sentence = trim_range(text, sentence);
            if sentence.is_empty() {
                continue;
            }
            while para + 1 < layout.paragraphs.len()
                && layout.paragraphs[para].end <= sentence.start
            {
                para += 1;
            }
            let before = layout.sentences.len();
            split_after_platform(text, sentence, &mut layout.sentences);
            let added = layout.sentences.len() - before;
            layout
                .sentence_paragraph
                .extend(std::iter::repeat_n(para, added));
        }
        layout
    }

    /// Index of the sentence containing `pos` (or the last one starting before it).
    pub fn sentence_at(&self, pos: usize) -> Option<usize> {
        let after = self.sentences.partition_point(|s| s.start <= pos);
        after.checked_sub(1)
    }

    pub fn paragraph_at(&self, pos: usize) -> Option<usize> {
        let after = self.paragraphs.partition_point(|p| p.start <= pos);
        after.checked_sub(1)
    }
}

/// The byte ranges of the lines of `text`, newlines left out, as
/// `split('\n')` gives them (an empty last line after a final newline
/// included). Newlines are found by a vectorised byte search: this runs
/// over every page.
pub(crate) fn line_ranges(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len()));
    ends.scan(0, |start, end| {
        let line = *start..end;
        *start = end + 1;
        Some(line)
    })
}

/// Shrinks a range to exclude surrounding whitespace.
pub(crate) fn trim_range(text: &str, range: Range<usize>) -> Range<usize> {
    let Some(slice) = text.get(range.clone()) else {
        return range.start..range.start;
    };
    let start = range.start + (slice.len() - slice.trim_start().len());
    let end = range.start + slice.trim_end().len();
    if end < start {
        start..start
    } else {
        start..end
    }
}

pub(crate) fn is_closing_punct(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | '»' | '›' | '“' | ')' | ']')
}

pub(crate) fn is_opening_punct(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '‘' | '«' | '‹' | '„' | '‚' | '(' | '[' | '¿' | '¡' | '—' | '–'
    )
}

/// Splits one paragraph into sentences: a terminator, optional closing
/// marks, whitespace, then a capital, a digit or an opening mark. Known
/// abbreviations and single-letter initials do not end a sentence.
fn split_sentences(
    text: &str,
    para: Range<usize>,
    abbreviations: &HashSet<String>,
) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let Some(slice) = text.get(para.clone()) else {
        return out;
    };
    let chars: Vec<(usize, char)> = slice.char_indices().collect();
    let mut start = 0usize;
    let mut i = 0usize;
    while i < chars.len() {
        let (off, c) = chars[i];
        if matches!(c, '.' | '!' | '?' | '…') {
            let mut j = i + 1;
            while j < chars.len() && is_closing_punct(chars[j].1) {
                j += 1;
            }
            let end_off = chars.get(j).map_or(slice.len(), |x| x.0);
            let mut k = j;
            while k < chars.len() && chars[k].1.is_whitespace() {
                k += 1;
            }
            let had_space = k > j;
            let next = chars.get(k).map(|x| x.1);
            let starts_new =
                next.is_some_and(|n| n.is_uppercase() || n.is_ascii_digit() || is_opening_punct(n));
            if had_space && starts_new && !(c == '.' && is_abbreviation(slice, off, abbreviations))
            {
                out.push(trim_range(text, para.start + start..para.start + end_off));
                start = chars[k].0;
                i = k;
                continue;
            }
        }
        i += 1;
    }
    let last = trim_range(text, para.start + start..para.end);
    if !last.is_empty() {
        out.push(last);
    }
    out.retain(|r| !r.is_empty());
    out
}

/// Splits a sentence that runs on past "on X." ("Hegseth posted it on X.
/// “We will…”"): the platform's one-letter name after a lower-case word
/// ends a sentence, though a general splitter reads it as an initial.
/// The parts are appended to `parts` (the layout's own list: no list per
/// sentence).
fn split_after_platform(text: &str, sentence: Range<usize>, parts: &mut Vec<Range<usize>>) {
    let Some(slice) = text.get(sentence.clone()) else {
        parts.push(sentence);
        return;
    };
    // Empty parts are left out.
    let mut push = |part: Range<usize>| {
        if !part.is_empty() {
            parts.push(part);
        }
    };
    let mut start = 0usize;
    // Most sentences hold no capital X at all: no substring search for them.
    let platform_dots = if memchr::memchr(b'X', slice.as_bytes()).is_some() {
        slice.match_indices(" X.").map(|(i, _)| i).collect()
    } else {
        Vec::new()
    };
    for i in platform_dots {
        let dot = i + 2;
        let rest = &slice[dot + 1..];
        let next = rest.trim_start_matches(is_closing_punct);
        let closing = rest.len() - next.len();
        let spaced = next.starts_with(char::is_whitespace);
        let opens = next
            .trim_start()
            .chars()
            .next()
            .is_some_and(|n| n.is_uppercase() || is_opening_punct(n));
        if spaced && opens && platform_follows_lowercase(slice, i) {
            let end = dot + 1 + closing;
            push(trim_range(
                text,
                sentence.start + start..sentence.start + end,
            ));
            start = end;
        }
    }
    push(trim_range(text, sentence.start + start..sentence.end));
}

/// The word before the space at `space` is lower case ("on X.", "en X.").
fn platform_follows_lowercase(slice: &str, space: usize) -> bool {
    slice[..space]
        .rsplit(char::is_whitespace)
        .next()
        .is_some_and(|w| !w.is_empty() && w.chars().all(char::is_lowercase))
}

/// True when the word ending with the period at `dot` is an abbreviation or an initial.
fn is_abbreviation(slice: &str, dot: usize, abbreviations: &HashSet<String>) -> bool {
    let before = &slice[..dot];
    let word_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| c.is_whitespace())
        .map_or(0, |(p, c)| p + c.len_utf8());
    let word = before[word_start..].trim_start_matches(is_opening_punct);
    let mut letters = word.chars();
    if let (Some(first), None) = (letters.next(), letters.next())
        && first.is_uppercase()
    {
        // "on X." names the platform and may end the sentence.
        let platform =
            first == 'X' && platform_follows_lowercase(slice, word_start.saturating_sub(1));
        return !platform;
    }
    is_listed_abbreviation(&format!("{word}.").to_lowercase(), abbreviations)
}

/// Whether `word` (lower case, with its final period) is one of
/// `abbreviations`, or a party letter joined to one ("d-ariz.").
pub(crate) fn is_listed_abbreviation(word: &str, abbreviations: &HashSet<String>) -> bool {
    abbreviations.contains(word)
        || word
            .rsplit_once('-')
            .is_some_and(|(_, tail)| abbreviations.contains(tail))
}

/// Whitespace as `char::is_whitespace` reads it, for an ASCII byte.
fn is_ascii_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

/// Whether an ASCII byte belongs to a word of [`word_before`] and
/// [`word_after`]: a letter, a digit, an apostrophe, a hyphen or a period.
fn is_ascii_word_part(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'\'' | b'-' | b'.')
}

/// The word (letters, digits, apostrophes, hyphens, periods) that ends right
/// before `pos`, skipping whitespace; with its start.
///
/// Asked around every quote and mention, so the bytes are read back while
/// they are ASCII; a non-ASCII char on the way (a curly apostrophe, an
/// accented letter, a wide space) sends the question to the char reading.
pub(crate) fn word_before(text: &str, pos: usize) -> Option<(usize, &str)> {
    let bytes = text.as_bytes().get(..pos)?;
    text.get(..pos)?;
    let mut end = bytes.len();
    while let Some(&b) = end.checked_sub(1).and_then(|i| bytes.get(i)) {
        if !is_ascii_space(b) {
            break;
        }
        end -= 1;
    }
    let mut start = end;
    loop {
        match start.checked_sub(1).and_then(|i| bytes.get(i)) {
            Some(&b) if !b.is_ascii() => return word_before_by_chars(text, pos),
            Some(&b) if is_ascii_word_part(b) => start -= 1,
            _ => break,
        }
    }
    if start >= end {
        None
    } else {
        Some((start, text.get(start..end)?))
    }
}

/// [`word_before`] by its definition, on chars.
fn word_before_by_chars(text: &str, pos: usize) -> Option<(usize, &str)> {
    let head = text.get(..pos)?;
    let trimmed = head.trim_end();
    let end = trimmed.len();
    let start = trimmed
        .char_indices()
        .rev()
        .find(|&(_, c)| !(c.is_alphanumeric() || matches!(c, '\'' | '’' | '-' | '.')))
        .map_or(0, |(i, c)| i + c.len_utf8());
    if start >= end {
        None
    } else {
        Some((start, &text[start..end]))
    }
}

/// The word that starts right after `pos`, skipping whitespace; with its range.
/// Read on the bytes while they are ASCII, as [`word_before`] is.
pub(crate) fn word_after(text: &str, pos: usize) -> Option<(Range<usize>, &str)> {
    let bytes = text.as_bytes();
    text.get(pos..)?;
    let mut start = pos;
    while bytes.get(start).is_some_and(|&b| is_ascii_space(b)) {
        start += 1;
    }
    let mut end = start;
    loop {
        match bytes.get(end) {
            Some(&b) if !b.is_ascii() => return word_after_by_chars(text, pos),
            Some(&b) if is_ascii_word_part(b) => end += 1,
            _ => break,
        }
    }
    if end == start {
        None
    } else {
        Some((start..end, text.get(start..end)?))
    }
}

/// [`word_after`] by its definition, on chars.
fn word_after_by_chars(text: &str, pos: usize) -> Option<(Range<usize>, &str)> {
    let tail = text.get(pos..)?;
    let lead = tail.len() - tail.trim_start().len();
    let start = pos + lead;
    let rest = &text[start..];
    let len = rest
        .char_indices()
        .find(|&(_, c)| !(c.is_alphanumeric() || matches!(c, '\'' | '’' | '-' | '.')))
        .map_or(rest.len(), |(i, _)| i);
    if len == 0 {
        None
    } else {
        Some((start..start + len, &text[start..start + len]))
    }
}

/// Number of whitespace-separated words in `s` that hold a letter or digit.
/// An ASCII `s` (nearly every gap and clause it is asked of) is counted on
/// its bytes.
pub(crate) fn word_count(s: &str) -> usize {
    if !s.is_ascii() {
        return word_count_by_chars(s);
    }
    let mut count = 0;
    // Whether the word being read has a letter or digit yet, and whether
    // one is being read.
    let mut counted = false;
    for &b in s.as_bytes() {
        if is_ascii_space(b) {
            counted = false;
        } else if !counted && b.is_ascii_alphanumeric() {
            counted = true;
            count += 1;
        }
    }
    count
}

/// [`word_count`] by its definition, on chars.
fn word_count_by_chars(s: &str) -> usize {
    s.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// The first `n` whitespace-separated words of `s`, exactly as written.
pub(crate) fn first_words(s: &str, n: usize) -> &str {
    let mut count = 0;
    let mut in_word = false;
    for (i, c) in s.char_indices() {
        if c.is_whitespace() {
            if in_word {
                count += 1;
                if count == n {
                    return &s[..i];
                }
            }
            in_word = false;
        } else {
            in_word = true;
        }
    }
    s.trim_end()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]
        #[test]
        fn byte_readings_agree_with_char_readings(
            text in "[a-zA-Z0-9 .,'’\\-\t\n\u{0B}\u{0C}\r\u{A0}\u{2004}é“”]{0,24}",
            at in 0usize..30,
        ) {
            prop_assert_eq!(word_count(&text), word_count_by_chars(&text));
            prop_assert_eq!(word_before(&text, at), word_before_by_chars(&text, at));
            prop_assert_eq!(word_after(&text, at), word_after_by_chars(&text, at));
        }
    }

    #[test]
    fn abbreviation_check_survives_multibyte_whitespace() {
        let abbreviations: HashSet<String> = ["gen.".to_string()].into_iter().collect();
        // U+2004 (three-per-em space) is three bytes long.
        let slice = "said\u{2004}Gen. Smith";
        let dot = slice.find('.').unwrap();
        assert!(is_abbreviation(slice, dot, &abbreviations));
        let plain = "a\u{2004}report. Next";
        let dot = plain.find('.').unwrap();
        assert!(!is_abbreviation(plain, dot, &abbreviations));
    }

    #[test]
    fn line_ranges_cut_as_split_does() {
        for text in ["", "\n", "a", "a\n", "\na\n\nb", "é\r\nü\n\n"] {
            let ranges: Vec<&str> = line_ranges(text).map(|r| &text[r]).collect();
            let split: Vec<&str> = text.split('\n').collect();
            assert_eq!(ranges, split, "{text:?}");
        }
    }

    #[test]
    fn layout_splits_text_with_multibyte_whitespace() {
        let abbreviations = HashSet::new();
        let text = "An earlier\u{2004}version. Correction\u{2004}appended. Here it is.";
        let layout = Layout::new(text, &abbreviations);
        assert!(layout.sentence_at(text.len() - 2).is_some());
    }
}
