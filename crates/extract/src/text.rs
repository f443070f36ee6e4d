//! Tokens, lines and sentences over a document's text. Offsets are byte
//! offsets into the text; every token starts and ends on a char boundary.

use std::collections::HashSet;

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
fn char_at(text: &str, i: usize) -> Option<(char, usize)> {
    let b = *text.as_bytes().get(i)?;
    if b.is_ascii() {
        return Some((char::from(b), 1));
    }
    let c = text.get(i..)?.chars().next()?;
    Some((c, c.len_utf8()))
}

/// Splits `text` into tokens.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 5);
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
        // Whether the token so far is digits only: a thousands comma or a
        // decimal point joins only there.
        let mut digits_only = c.is_ascii_digit();
        while let Some((d, dlen)) = char_at(text, i) {
            if is_word_char(d) {
                digits_only &= d.is_ascii_digit();
                i += dlen;
                continue;
            }
            // Inner hyphen, or a thousands comma / decimal point between digits.
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
            kind: classify(&text[start..i]),
        });
    }
    tokens
}

fn classify(word: &str) -> TokKind {
    if word.bytes().all(|b| b.is_ascii_digit() || b == b',') {
        let mut value: Option<u32> = Some(0);
        for b in word.bytes().filter(u8::is_ascii_digit) {
            value = value
                .and_then(|v| v.checked_mul(10))
                .and_then(|v| v.checked_add(u32::from(b - b'0')));
        }
        return TokKind::Digits(value);
    }
    if !word.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        return TokKind::Word;
    }
    let lower = word.to_ascii_lowercase();
    for suffix in ["st", "nd", "rd", "th"] {
        if let Some(num) = lower.strip_suffix(suffix)
            && !num.is_empty()
            && num.bytes().all(|b| b.is_ascii_digit())
            && let Ok(v) = num.parse()
        {
            return TokKind::Ordinal(v);
        }
    }
    TokKind::Word
}

/// Splits tokens into sentences. A sentence ends at `.`, `!` or `?` followed
/// by a capital, digit or quote, unless the dot closes an abbreviation or an
/// initial; every line break also ends one.
pub fn sentences(text: &str, tokens: &[Token], abbreviations: &HashSet<String>) -> Vec<Sentence> {
    let mut out = Vec::new();
    if tokens.is_empty() {
        return out;
    }
    let mut line = 0;
    let mut paragraph = 0;
    let mut start = 0;
    let mut i = 0;
    while i < tokens.len() {
        if i > start || i > 0 {
            // Line breaks before token i.
            if i > 0 {
                let gap = &text[tokens[i - 1].end..tokens[i].start];
                let newlines = gap.matches('\n').count();
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

fn ends_sentence(text: &str, tokens: &[Token], i: usize, abbreviations: &HashSet<String>) -> bool {
    let Some(next) = tokens.get(i + 1) else {
        return true;
    };
    if next.start == tokens[i].end {
        // "U.S." style: no space after the dot; a closing quote is handled by the caller.
        if !matches!(
            next.kind,
            TokKind::Punct('"' | '”' | '’' | '\'' | '»' | ')')
        ) {
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
            if abbreviations.contains(&word.to_lowercase()) {
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
