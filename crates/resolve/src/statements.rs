//! Statements by speaker and claims over time.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use strikewatch_model::ledger::{ClaimGroup, ClaimOccurrence, LedgerStatement};
use strikewatch_model::{ClaimKind, ReportRole};

use crate::input::SourceDocument;

/// Text normalized for grouping claims: lowercase, curly quotes and dashes
/// made plain, punctuation dropped, whitespace collapsed.
pub fn normalize_claim_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        let c = match c {
            '\u{2018}' | '\u{2019}' | '\u{02BC}' => '\'',
            c => c,
        };
        if c.is_alphanumeric() || c == '\'' {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        } else {
            space = true;
        }
    }
    out.trim_matches('\'').to_string()
}

/// The incident a document's statements are about: its one main report's.
fn tied_incident(doc: &SourceDocument, incident_of: &HashMap<(&str, usize), &str>) -> Vec<String> {
    let mains: Vec<usize> = doc
        .extraction
        .incidents
        .iter()
        .enumerate()
        .filter(|(_, r)| r.role == ReportRole::Main)
        .map(|(i, _)| i)
        .collect();
    match mains.as_slice() {
        [one] => incident_of
            .get(&(doc.meta.id.as_str(), *one))
            .map(|id| vec![id.to_string()])
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

pub(crate) fn statements<'a>(
    docs: impl Iterator<Item = &'a SourceDocument>,
    incident_of: &HashMap<(&str, usize), &str>,
) -> Vec<LedgerStatement> {
    let mut out: Vec<LedgerStatement> = Vec::new();
    for doc in docs {
        let tied = tied_incident(doc, incident_of);
        for (i, s) in doc.extraction.statements.iter().enumerate() {
            out.push(LedgerStatement {
                document_id: doc.meta.id.clone(),
                statement_index: i,
                url: doc.meta.url.clone(),
                published: doc.meta.published,
                reviewed_speaker: None,
                statement: s.clone(),
                incidents: tied.clone(),
            });
        }
    }
    sort_statements(&mut out);
    out
}

pub(crate) fn sort_statements(list: &mut [LedgerStatement]) {
    list.sort_by(|a, b| {
        (
            a.date().is_none(),
            a.date(),
            &a.document_id,
            a.statement_index,
        )
            .cmp(&(
                b.date().is_none(),
                b.date(),
                &b.document_id,
                b.statement_index,
            ))
    });
}

/// Groups claims by kind and normalized text.
pub(crate) fn claim_groups(occurrences: Vec<(ClaimKind, ClaimOccurrence)>) -> Vec<ClaimGroup> {
    let mut groups: BTreeMap<(ClaimKind, String), Vec<ClaimOccurrence>> = BTreeMap::new();
    for (kind, occ) in occurrences {
        let key = normalize_claim_text(&occ.text);
        groups.entry((kind, key)).or_default().push(occ);
    }
    groups
        .into_iter()
        .map(|((kind, key), mut occ)| {
            occ.sort_by(|a, b| {
                (a.date.is_none(), a.date, &a.document_id, a.claim_index).cmp(&(
                    b.date.is_none(),
                    b.date,
                    &b.document_id,
                    b.claim_index,
                ))
            });
            let dates: Vec<_> = occ.iter().filter_map(|o| o.date).collect();
            let speakers: BTreeSet<String> = occ.iter().map(|o| o.speaker.clone()).collect();
            ClaimGroup {
                kind,
                key,
                text: occ.first().map(|o| o.text.clone()).unwrap_or_default(),
                speakers: speakers.into_iter().collect(),
                first_made: dates.iter().min().copied(),
                last_made: dates.iter().max().copied(),
                occurrences: occ,
            }
        })
        .collect()
}

/// Claim occurrences of the documents; a claim inside a statement takes the
/// statement's date when it has one.
pub(crate) fn claim_occurrences<'a>(
    docs: impl Iterator<Item = &'a SourceDocument>,
) -> Vec<(ClaimKind, ClaimOccurrence)> {
    let mut out = Vec::new();
    for doc in docs {
        for (i, c) in doc.extraction.claims.iter().enumerate() {
            let said = doc
                .extraction
                .statements
                .iter()
                .find(|s| s.span.start <= c.span.start && c.span.end <= s.span.end)
                .and_then(|s| s.said_at);
            out.push((
                c.kind,
                ClaimOccurrence {
                    document_id: doc.meta.id.clone(),
                    claim_index: i,
                    url: doc.meta.url.clone(),
                    date: said.or(doc.meta.published),
                    speaker: c.speaker.clone(),
                    text: c.text.clone(),
                    span: c.span.clone(),
                },
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::normalize_claim_text;

    #[test]
    fn claim_text_normalizes_quotes_case_and_punctuation() {
        assert_eq!(
            normalize_claim_text("“All actions are in compliance,” with the LAW."),
            "all actions are in compliance with the law"
        );
        assert_eq!(
            normalize_claim_text("We’ve said it"),
            normalize_claim_text("we've  said it!")
        );
    }
}
