//! Tokens, lines and sentences over a document's text. Offsets are byte
//! offsets into the text; every token starts and ends on a char boundary.

use rustc_hash::FxHashSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokKind {
    /// Letters, digits and inner hyphens ("narco-terrorists", "49-51").
    Word,
    /// Only digits (with thousands commas): the value when it fits.
    Digits(Option<u32>),
    /// A digit ordinal such as "14th" or "22nd".
    Ordinal(u32),
    Punct(char),
}

#[derive(Debug, Clone, Copy)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub kind: TokKind,
}

/// A sentence: a token range and where it sits.
#[derive(Debug, Clone, Copy)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    /// Index of the line (text between newlines) the sentence is in.
    pub line: usize,
    /// Index of the paragraph (text between blank lines).
    pub paragraph: usize,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// The char at byte `i` of `text` and its length; ASCII bytes (most of any
/// page) skip the UTF-8 decoder.
pub(crate) fn char_at(text: &str, i: usize) -> Option<(char, usize)> {
    let b = *text.as_bytes().get(i)?;
    if b.is_ascii() {
        return Some((char::from(b), 1));
    }
    let c = text.get(i..)?.chars().next()?;
    Some((c, c.len_utf8()))
}

/// Splits `text` into tokens.
///
/// Runs over every byte of every document, so ASCII (nearly all of a page)
/// is read byte by byte and only other characters go through the UTF-8
/// decoder; the token boundaries are exactly those of a char-by-char reading
/// (a test checks both agree).
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    tokenize_into(text, &mut tokens, &[]);
    tokens
}

/// [`tokenize`] into `tokens`, which is cleared first: a caller that keeps
/// one vector from document to document allocates it once. Digits with one
/// of `ordinal_suffixes` become ordinals as they are cut (what
/// [`mark_ordinals`] did in a pass of its own over every token).
pub fn tokenize_into(text: &str, tokens: &mut Vec<Token>, ordinal_suffixes: &[String]) {
    tokens.clear();
    let bytes = text.as_bytes();
    // About one token per four bytes of running text: one allocation.
    tokens.reserve(text.len() / 4 + 1);
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let start = i;
        // ASCII letters, spaces and marks, nearly all of a page, are settled
        // from the byte alone; other chars are decoded.
        let (c, len) = if b.is_ascii() {
            (char::from(b), 1)
        } else {
            match char_at(text, i) {
                Some(decoded) => decoded,
                None => break,
            }
        };
        i += len;
        if !is_ascii_word_byte(b) {
            if c.is_whitespace() {
                continue;
            }
            if !is_word_char(c) {
                tokens.push(Token {
                    start,
                    end: i,
                    kind: TokKind::Punct(c),
                });
                continue;
            }
        }
        i = word_end(text, start, i);
        tokens.push(Token {
            start,
            end: i,
            kind: classify(bytes.get(start..i).unwrap_or_default(), ordinal_suffixes),
        });
    }
}

/// Where the word token that starts at `start` and whose first char ends at
/// `i` ends: letters, digits, inner hyphens, and thousands commas or decimal
/// points while the token so far is ASCII digits only.
fn word_end(text: &str, start: usize, mut i: usize) -> usize {
    let bytes = text.as_bytes();
    loop {
        i += bytes.get(i..).map_or(0, |rest| {
            rest.iter().take_while(|&&b| is_ascii_word_byte(b)).count()
        });
        let Some((d, dlen)) = char_at(text, i) else {
            return i;
        };
        // The ASCII run stopped here, so an ASCII char is no letter or
        // digit; one that cannot join ends the word (a space, nearly
        // always) without the tests below.
        if d.is_ascii() && !matches!(d, '-' | ',' | '.') {
            return i;
        }
        if is_word_char(d) {
            i += dlen;
            continue;
        }
        // Inner hyphen, or a thousands comma / decimal point between digits
        // (asked of the token so far only here: a join is rare).
        let joins = d == '-'
            || ((d == ',' || d == '.')
                && bytes
                    .get(start..i)
                    .is_some_and(|so_far| so_far.iter().all(u8::is_ascii_digit)));
        if joins {
            let ok = match char_at(text, i + dlen) {
                Some((n, _)) if d == '-' => is_word_char(n),
                Some((n, _)) => n.is_ascii_digit(),
                None => false,
            };
            if ok {
                i += dlen;
                continue;
            }
        }
        return i;
    }
}

/// ASCII letters and digits, by byte value.
const ASCII_WORD_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    table
};

/// Whether `b` is an ASCII letter or digit (one table read).
fn is_ascii_word_byte(b: u8) -> bool {
    ASCII_WORD_BYTES[usize::from(b)]
}

/// The kind of the word token `word` (its bytes: only ASCII digits and
/// commas are told apart, and digits with one of `ordinal_suffixes`).
fn classify(word: &[u8], ordinal_suffixes: &[String]) -> TokKind {
    // Most tokens are words that start with a letter.
    if word.first().is_some_and(u8::is_ascii_alphabetic) {
        return TokKind::Word;
    }
    if word.iter().all(|&b| b.is_ascii_digit() || b == b',') {
        let mut value: Option<u32> = Some(0);
        for &b in word.iter().filter(|b| b.is_ascii_digit()) {
            value = value
                .and_then(|v| v.checked_mul(10))
                .and_then(|v| v.checked_add(u32::from(b - b'0')));
        }
        return TokKind::Digits(value);
    }
    if word.first().is_some_and(u8::is_ascii_digit)
        && let Some(v) = std::str::from_utf8(word)
            .ok()
            .and_then(|w| ordinal_value(w, ordinal_suffixes))
    {
        return TokKind::Ordinal(v);
    }
    TokKind::Word
}

/// The value of a word of digits with one of a language's ordinal endings
/// ("42nd", "37º", "9e"); `None` for any other word.
fn ordinal_value(word: &str, suffixes: &[String]) -> Option<u32> {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    let (num, rest) = word.split_at_checked(digits)?;
    if suffixes.iter().any(|s| s.eq_ignore_ascii_case(rest)) {
        num.parse().ok()
    } else {
        None
    }
}

/// Digits with one of a language's ordinal endings become ordinals: the
/// separate pass [`tokenize_into`] now makes as it cuts, kept to check it.
#[cfg(test)]
fn mark_ordinals(text: &str, tokens: &mut [Token], suffixes: &[String]) {
    let bytes = text.as_bytes();
    for tok in tokens.iter_mut() {
        if tok.kind != TokKind::Word || !bytes.get(tok.start).is_some_and(u8::is_ascii_digit) {
            continue;
        }
        if let Some(v) = text
            .get(tok.start..tok.end)
            .and_then(|w| ordinal_value(w, suffixes))
        {
            tok.kind = TokKind::Ordinal(v);
        }
    }
}

/// Splits tokens into sentences. A sentence ends at `.`, `!` or `?` followed
/// by a capital, digit or quote, unless the dot closes an abbreviation or an
/// initial; every line break also ends one.
pub fn sentences(text: &str, tokens: &[Token], abbreviations: &FxHashSet<String>) -> Vec<Sentence> {
    // Sentences run about twenty tokens: room for one in 16.
    let mut out = Vec::with_capacity(tokens.len() / 16 + 1);
    if tokens.is_empty() {
        return out;
    }
    let mut line = 0;
    let mut paragraph = 0;
    let mut start = 0;
    let mut i = 0;
    // The first newline at or after the end of the token before `i` (no
    // token holds one): a gap holds a line break only when this falls in
    // it, so most gaps are not read at all.
    let bytes = text.as_bytes();
    let newline_from = |from: usize| {
        memchr::memchr(b'\n', bytes.get(from..).unwrap_or_default())
            .map_or(usize::MAX, |p| from + p)
    };
    let mut next_newline = newline_from(tokens[0].end);
    while i < tokens.len() {
        if i > start || i > 0 {
            // Line breaks before token i.
            if i > 0 {
                let newlines = if next_newline < tokens[i].start {
                    next_newline = newline_from(tokens[i].end);
                    bytes
                        .get(tokens[i - 1].end..tokens[i].start)
                        .map_or(0, |gap| gap.iter().filter(|&&b| b == b'\n').count())
                } else {
                    0
                };
                if newlines > 0 {
                    if i > start {
                        out.push(Sentence {
                            start,
                            end: i,
                            line,
                            paragraph,
                        });
                    }
                    start = i;
                    line += 1;
                    if newlines > 1 {
                        paragraph += 1;
                    }
                }
            }
        }
        if let TokKind::Punct(c) = tokens[i].kind
            && matches!(c, '.' | '!' | '?')
            && ends_sentence(text, tokens, i, abbreviations)
        {
            let mut end = i + 1;
            // Closing quotes and brackets stuck to the stop belong to the sentence.
            while end < tokens.len()
                && tokens[end].start == tokens[end - 1].end
                && matches!(
                    tokens[end].kind,
                    TokKind::Punct('"' | '”' | '’' | '\'' | '»' | ')')
                )
            {
                end += 1;
            }
            out.push(Sentence {
                start,
                end,
                line,
                paragraph,
            });
            start = end;
            i = end;
            continue;
        }
        i += 1;
    }
    if start < tokens.len() {
        out.push(Sentence {
            start,
            end: tokens.len(),
            line,
            paragraph,
        });
    }
    out
}

/// Whether `word` (lower-cased) is one of `abbreviations`; a word already
/// in lower-case ASCII, the usual case, is looked up without a copy, and a
/// short ASCII word with capitals ("Sept", "Gen") is lowered on the stack:
/// this runs at every stop, and a heap copy cost more than the lookup.
fn is_abbreviation(abbreviations: &FxHashSet<String>, word: &str) -> bool {
    if !word.is_ascii() {
        return abbreviations.contains(&word.to_lowercase());
    }
    if !word.bytes().any(|b| b.is_ascii_uppercase()) {
        return abbreviations.contains(word);
    }
    let mut buf = [0u8; 32];
    match buf.get_mut(..word.len()) {
        Some(lower) => {
            lower.copy_from_slice(word.as_bytes());
            lower.make_ascii_lowercase();
            // ASCII lowered is still ASCII: always valid UTF-8.
            std::str::from_utf8(lower).is_ok_and(|w| abbreviations.contains(w))
        }
        None => abbreviations.contains(&word.to_ascii_lowercase()),
    }
}

/// "…difundida por EVTV Miami.De acuerdo con…": a stop with no space after
/// it, between a word ending in lower case (or a markup tag's `>`) and a
/// capitalised word in lower case after its first letter. "U.S.", "EE.UU."
/// and "p.m." never match.
fn glued_sentence(
    text: &str,
    tokens: &[Token],
    i: usize,
    abbreviations: &FxHashSet<String>,
) -> bool {
    let (Some(prev), Some(next)) = (
        i.checked_sub(1).and_then(|p| tokens.get(p)),
        tokens.get(i + 1),
    ) else {
        return false;
    };
    if tokens[i].kind != TokKind::Punct('.') || next.kind != TokKind::Word {
        return false;
    }
    let before = &text[prev.start..prev.end];
    let ends_lower = prev.kind == TokKind::Word
        && before.chars().count() >= 2
        && before.chars().last().is_some_and(char::is_lowercase)
        && !is_abbreviation(abbreviations, before);
    let tag_end = prev.kind == TokKind::Punct('>');
    let mut after = text[next.start..next.end].chars();
    let capitalised = after.next().is_some_and(char::is_uppercase)
        && after.next().is_some_and(char::is_lowercase);
    (ends_lower || tag_end) && capitalised
}

fn ends_sentence(
    text: &str,
    tokens: &[Token],
    i: usize,
    abbreviations: &FxHashSet<String>,
) -> bool {
    let Some(next) = tokens.get(i + 1) else {
        return true;
    };
    if next.start == tokens[i].end {
        // "U.S." style: no space after the dot; a closing quote is handled by
        // the caller; a scraped page's glued "…in Miami.According to" is a
        // stop all the same.
        if !matches!(
            next.kind,
            TokKind::Punct('"' | '”' | '’' | '\'' | '»' | ')')
        ) && !glued_sentence(text, tokens, i, abbreviations)
        {
            return false;
        }
    }
    if matches!(tokens[i].kind, TokKind::Punct('.')) && i > 0 {
        let prev = tokens[i - 1];
        if prev.end == tokens[i].start && prev.kind == TokKind::Word {
            let word = &text[prev.start..prev.end];
            if word.chars().count() == 1 && word.chars().all(char::is_uppercase) {
                return false;
            }
            if is_abbreviation(abbreviations, word) {
                return false;
            }
        }
    }
    // Skip quotes to find what the next sentence starts with.
    let mut j = i + 1;
    while j < tokens.len()
        && matches!(
            tokens[j].kind,
            TokKind::Punct('"' | '”' | '’' | '\'' | '»' | ')')
        )
    {
        j += 1;
    }
    let Some(first) = tokens.get(j) else {
        return true;
    };
    let first_char = text[first.start..].chars().next().unwrap_or(' ');
    first_char.is_uppercase()
        || first_char.is_ascii_digit()
        || matches!(
            first_char,
            '"' | '“' | '«' | '\'' | '‘' | '¿' | '¡' | '(' | '—' | '-' | '#'
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The tokenizer's definition, one char at a time: the fast path must
    /// cut exactly the same tokens.
    fn tokenize_char_by_char(text: &str) -> Vec<Token> {
        let mut tokens = Vec::new();
        let mut i = 0;
        while let Some((c, len)) = char_at(text, i) {
            let start = i;
            i += len;
            if c.is_whitespace() {
                continue;
            }
            if !is_word_char(c) {
                tokens.push(Token {
                    start,
                    end: i,
                    kind: TokKind::Punct(c),
                });
                continue;
            }
            let mut digits_only = c.is_ascii_digit();
            while let Some((d, dlen)) = char_at(text, i) {
                if is_word_char(d) {
                    digits_only &= d.is_ascii_digit();
                    i += dlen;
                    continue;
                }
                let joins = d == '-' || ((d == ',' || d == '.') && digits_only);
                if joins {
                    let ok = match char_at(text, i + dlen) {
                        Some((n, _)) if d == '-' => is_word_char(n),
                        Some((n, _)) => n.is_ascii_digit(),
                        None => false,
                    };
                    if ok {
                        digits_only = false;
                        i += dlen;
                        continue;
                    }
                }
                break;
            }
            tokens.push(Token {
                start,
                end: i,
                kind: classify(&text.as_bytes()[start..i], &[]),
            });
        }
        tokens
    }

    fn cuts(tokens: &[Token]) -> Vec<(usize, usize, TokKind)> {
        tokens.iter().map(|t| (t.start, t.end, t.kind)).collect()
    }

    fn sentence_texts(text: &str) -> Vec<String> {
        let tokens = tokenize(text);
        let abbreviations: FxHashSet<String> = ["gen".to_string()].into_iter().collect();
        sentences(text, &tokens, &abbreviations)
            .iter()
            .map(|s| text[tokens[s.start].start..tokens[s.end - 1].end].to_string())
            .collect()
    }

    #[test]
    fn glued_stops_of_scraped_pages_end_sentences() {
        assert_eq!(
            sentence_texts(
                "two dead, according to a TV station in Miami.Reports say it was the 31st."
            ),
            [
                "two dead, according to a TV station in Miami.",
                "Reports say it was the 31st."
            ]
        );
        assert_eq!(
            sentence_texts("dos muertos</b>.De acuerdo con el reporte."),
            ["dos muertos</b>.", "De acuerdo con el reporte."]
        );
        // Abbreviations and initials stay inside their sentence.
        for text in [
            "The U.S.Navy said so.",
            "Las fuerzas de EE.UU. atacaron.",
            "At 3 p.m.it ended.",
            "Gen.Donovan said so.",
        ] {
            assert_eq!(sentence_texts(text).len(), 1, "{text}");
        }
    }

    #[test]
    fn numbers_words_and_marks() {
        let text =
            "On Sept. 2, 1,250 narco-terrorists — 14th “strike” in 3.5 days; ¿sí? año 49-51.";
        assert_eq!(cuts(&tokenize(text)), cuts(&tokenize_char_by_char(text)));
        let words: Vec<&str> = tokenize(text)
            .iter()
            .map(|t| &text[t.start..t.end])
            .collect();
        assert_eq!(
            words,
            [
                "On",
                "Sept",
                ".",
                "2",
                ",",
                "1,250",
                "narco-terrorists",
                "—",
                "14th",
                "“",
                "strike",
                "”",
                "in",
                "3.5",
                "days",
                ";",
                "¿",
                "sí",
                "?",
                "año",
                "49-51",
                "."
            ]
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]
        #[test]
        fn fast_tokenizer_cuts_as_char_by_char(
            text in "[a-zA-Z0-9 ,.\\-'\"\n\t’éÉñ—…٣²½\\x00-\\x7f\u{85}\u{a0}\u{2028}]{0,80}"
        ) {
            prop_assert_eq!(cuts(&tokenize(&text)), cuts(&tokenize_char_by_char(&text)));
        }

        #[test]
        fn ordinals_marked_as_cut_as_by_their_own_pass(
            text in "([0-9]{1,3}(st|nd|RD|th|º|e|er)?|one|°| |,|\\.)*"
        ) {
            let suffixes: Vec<String> =
                ["st", "nd", "rd", "th", "º", "e"].iter().map(|s| s.to_string()).collect();
            let mut by_pass = tokenize(&text);
            mark_ordinals(&text, &mut by_pass, &suffixes);
            let mut as_cut = Vec::new();
            tokenize_into(&text, &mut as_cut, &suffixes);
            let kinds = |t: &[Token]| t.iter().map(|k| (k.start, k.end, k.kind)).collect::<Vec<_>>();
            prop_assert_eq!(kinds(&as_cut), kinds(&by_pass));
        }
    }
}
