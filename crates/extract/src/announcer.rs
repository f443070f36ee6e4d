//! Who announced a strike: the person or body named in the attribution
//! clause ("Hegseth said", "Southern Command said") of a sentence that
//! carries the strike's figures.

use std::ops::Range;

use strikewatch_model::{Span, StrikeReport};

use crate::annotate::Annotated;
use crate::lexicon::compiled::Tag;
use crate::statements::StatementLexicon;
use crate::text::Sentence;

/// Evidence fields whose sentence may hold the attribution.
const FIELDS: [&str; 5] = ["killed", "vessels", "survivors", "trigger", "date"];

/// Fills `announced_by` (and its evidence) on every report whose figures
/// sit in a sentence with a speech word and a named actor or body.
pub fn fill(
    doc: &Annotated,
    sentences: &[Sentence],
    statements: &StatementLexicon,
    reports: &mut [StrikeReport],
) {
    for report in reports.iter_mut() {
        let mut seen: Vec<usize> = Vec::new();
        for field in FIELDS {
            let Some(span) = report.evidence.get(field) else {
                continue;
            };
            let Some(si) = sentence_of(doc, sentences, span.start) else {
                continue;
            };
            if seen.contains(&si) {
                continue;
            }
            seen.push(si);
            if let Some((name, range)) = attribution(doc, &sentences[si], statements) {
                if let Some(s) = Span::of(doc.text, range.start, range.end) {
                    report.evidence.insert("announced_by".to_string(), s);
                }
                report.announced_by = Some(name);
                break;
            }
        }
    }
}

fn sentence_of(doc: &Annotated, sentences: &[Sentence], byte: usize) -> Option<usize> {
    sentences.iter().position(|s| {
        let (a, b) = doc.byte_range(s.start, s.end);
        a <= byte && byte < b
    })
}

/// The earliest actor or announcing body in a sentence that has a speech word.
fn attribution(
    doc: &Annotated,
    s: &Sentence,
    statements: &StatementLexicon,
) -> Option<(String, Range<usize>)> {
    doc.any_in(s.start, s.end, |g| g == Tag::Speech)?;
    let (a, b) = doc.byte_range(s.start, s.end);
    let person = statements
        .find_actor_in(doc.text, a..b)
        .map(|(actor, r)| (actor.name.clone(), r));
    let body = (s.start..s.end).find_map(|t| {
        doc.hits_at(t).iter().find_map(|h| match h.tag {
            Tag::Announcer(i) => {
                let name = doc.lang.announcers.get(usize::from(i))?;
                let (hs, he) = doc.byte_range(h.start, h.end);
                Some((name.clone(), hs..he))
            }
            _ => None,
        })
    });
    match (person, body) {
        (Some(p), Some(o)) => Some(if o.1.start < p.1.start { o } else { p }),
        (p, o) => p.or(o),
    }
}
