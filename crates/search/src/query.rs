//! The search language, read without ever failing: words (all must match),
//! `"quoted phrases"`, `prefix*` and `-excluded` words. Anything else is
//! taken as plain words, so no input is an error.

use std::collections::HashSet;

use tantivy::query::{
    BooleanQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Searcher, Term};

use crate::fields::{Fields, TextField};

/// At most this many index terms stand for one `prefix*`, whatever the
/// index holds: a one-letter prefix costs no more than a short query.
pub const MAX_PREFIX_TERMS: usize = 64;
/// Words past this many are ignored.
const MAX_PARTS: usize = 16;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Part {
    /// One word, or several read as a phrase (`"a b"`, or `narco-terrorist`
    /// which the analyzer splits).
    Words(String),
    Prefix(String),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Parsed {
    pub include: Vec<Part>,
    pub exclude: Vec<Part>,
}

/// Splits the query into its parts.
pub(crate) fn parse(q: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let mut rest = q.trim();
    while !rest.is_empty() && parsed.include.len() + parsed.exclude.len() < MAX_PARTS {
        let (negated, body) = match rest.strip_prefix('-') {
            Some(b) => (true, b),
            None => (false, rest),
        };
        let (part, after) = if let Some(quoted) = body.strip_prefix('"') {
            match quoted.find('"') {
                Some(end) => (Part::Words(quoted[..end].to_string()), &quoted[end + 1..]),
                None => (Part::Words(quoted.to_string()), ""),
            }
        } else {
            let end = body.find(char::is_whitespace).unwrap_or(body.len());
            let word = &body[..end];
            let part = match word.strip_suffix('*') {
                Some(stem) if !stem.is_empty() && stem.chars().all(char::is_alphanumeric) => {
                    Part::Prefix(stem.to_string())
                }
                _ => Part::Words(word.to_string()),
            };
            (part, &body[end..])
        };
        if negated {
            parsed.exclude.push(part);
        } else {
            parsed.include.push(part);
        }
        rest = after.trim_start();
    }
    parsed
}

fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while let Some(t) = stream.next() {
        out.push(t.text.clone());
    }
    out
}

/// What a snippet highlights in one text field: analysed words and
/// prefixes.
#[derive(Debug, Clone, Default)]
pub(crate) struct MatchTerms {
    pub words: HashSet<String>,
    pub prefixes: Vec<String>,
}

impl MatchTerms {
    pub fn matches(&self, token: &str) -> bool {
        self.words.contains(token) || self.prefixes.iter().any(|p| token.starts_with(p.as_str()))
    }
}

/// The query for the parsed parts, plus the words to highlight per field.
pub(crate) struct Built {
    pub query: Option<Box<dyn Query>>,
    /// One word or prefix and no filters: a plain union of terms, which
    /// top-k collection prunes block by block (block-max WAND).
    pub prunable: bool,
    pub highlight: [MatchTerms; 3],
}

fn field_index(field: TextField) -> usize {
    match field {
        TextField::English => 0,
        TextField::Spanish => 1,
        TextField::Plain => 2,
    }
}

pub(crate) fn highlight_for(built: &[MatchTerms; 3], field: TextField) -> &MatchTerms {
    &built[field_index(field)]
}

/// The index terms of `field` starting with `prefix`, at most
/// [`MAX_PREFIX_TERMS`], over every segment.
fn expand_prefix(searcher: &Searcher, field: tantivy::schema::Field, prefix: &str) -> Vec<Term> {
    let mut found: Vec<Vec<u8>> = Vec::new();
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let Ok(mut stream) = inverted.terms().range().ge(prefix.as_bytes()).into_stream() else {
            continue;
        };
        let mut taken = 0;
        while stream.advance() && taken < MAX_PREFIX_TERMS {
            let key = stream.key();
            if !key.starts_with(prefix.as_bytes()) {
                break;
            }
            found.push(key.to_vec());
            taken += 1;
        }
    }
    found.sort();
    found.dedup();
    found.truncate(MAX_PREFIX_TERMS);
    found
        .into_iter()
        .filter_map(|k| String::from_utf8(k).ok())
        .map(|k| Term::from_field_text(field, &k))
        .collect()
}

/// One part over every text field: a disjunction of each field's reading.
fn part_query(
    part: &Part,
    fields: &Fields,
    searcher: &Searcher,
    highlight: Option<&mut [MatchTerms; 3]>,
) -> Option<Box<dyn Query>> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut highlight = highlight;
    for field in TextField::ALL {
        let f = fields.text(field);
        let mut analyzer = field.analyzer();
        match part {
            Part::Words(text) => {
                let words = tokens(&mut analyzer, text);
                if let Some(h) = highlight.as_deref_mut() {
                    h[field_index(field)].words.extend(words.iter().cloned());
                }
                match words.len() {
                    0 => {}
                    1 => clauses.push((
                        Occur::Should,
                        Box::new(TermQuery::new(
                            Term::from_field_text(f, &words[0]),
                            IndexRecordOption::WithFreqs,
                        )),
                    )),
                    _ => {
                        let terms = words.iter().map(|w| Term::from_field_text(f, w)).collect();
                        clauses.push((Occur::Should, Box::new(PhraseQuery::new(terms))));
                    }
                }
            }
            Part::Prefix(stem) => {
                // Prefixes are matched against indexed terms as they are,
                // lowercased and unaccented but not stemmed.
                let mut plain = TextField::Plain.analyzer();
                let Some(prefix) = tokens(&mut plain, stem).into_iter().next() else {
                    continue;
                };
                if let Some(h) = highlight.as_deref_mut() {
                    h[field_index(field)].prefixes.push(prefix.clone());
                }
                for term in expand_prefix(searcher, f, &prefix) {
                    clauses.push((
                        Occur::Should,
                        Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)),
                    ));
                }
            }
        }
    }
    if clauses.is_empty() {
        None
    } else {
        Some(Box::new(BooleanQuery::new(clauses)))
    }
}

/// Builds the query for `parsed` with `filters` (each matched exactly,
/// adding nothing to the score).
pub(crate) fn build(
    parsed: &Parsed,
    fields: &Fields,
    searcher: &Searcher,
    filters: Vec<Box<dyn Query>>,
) -> Built {
    let mut highlight: [MatchTerms; 3] = Default::default();
    let mut include = Vec::new();
    for part in &parsed.include {
        match part_query(part, fields, searcher, Some(&mut highlight)) {
            Some(q) => include.push(q),
            // A word the analyzer drops entirely (punctuation) asks nothing;
            // a prefix that no index term has matches nothing.
            None if matches!(part, Part::Prefix(_)) => {
                return Built {
                    query: Some(Box::new(EmptyQuery)),
                    prunable: false,
                    highlight,
                };
            }
            None => {}
        }
    }
    if include.is_empty() {
        return Built {
            query: None,
            prunable: false,
            highlight,
        };
    }
    let exclude: Vec<Box<dyn Query>> = parsed
        .exclude
        .iter()
        .filter_map(|p| part_query(p, fields, searcher, None))
        .collect();
    if include.len() == 1 && exclude.is_empty() && filters.is_empty() {
        return Built {
            query: include.pop(),
            prunable: true,
            highlight,
        };
    }
    let mut clauses: Vec<(Occur, Box<dyn Query>)> =
        include.into_iter().map(|q| (Occur::Must, q)).collect();
    clauses.extend(exclude.into_iter().map(|q| (Occur::MustNot, q)));
    clauses.extend(filters.into_iter().map(|q| {
        (
            Occur::Must,
            Box::new(ConstScoreQuery::new(q, 0.0)) as Box<dyn Query>,
        )
    }));
    Built {
        query: Some(Box::new(BooleanQuery::new(clauses))),
        prunable: false,
        highlight,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_words_phrases_prefixes_and_exclusions() {
        let p = parse(r#"caribbean "lethal kinetic" strik* -pacific "open"#);
        assert_eq!(
            p.include,
            vec![
                Part::Words("caribbean".into()),
                Part::Words("lethal kinetic".into()),
                Part::Prefix("strik".into()),
                Part::Words("open".into()),
            ]
        );
        assert_eq!(p.exclude, vec![Part::Words("pacific".into())]);
    }

    #[test]
    fn syntax_alone_is_plain_words() {
        let p = parse("* ** (a OR b) AND( ^2 :");
        assert!(p.include.iter().all(|x| matches!(x, Part::Words(_))));
        assert!(parse("").include.is_empty());
    }
}
