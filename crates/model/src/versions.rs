//! The versions of a captured page and what they mean for its statements.
//!
//! Live capture keeps every text a URL has shown ([`DocumentVersion`]) and
//! whether the URL still answers ([`DocumentHistory::state`]). A statement
//! read from a page that was later edited or deleted stays in the ledger:
//! [`DocumentHistory::statement_edits`] pairs the statements as first seen
//! with those read now and marks each one edited or deleted, with both texts.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::extraction::Statement;

/// One text a captured URL has shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentVersion {
    /// 1 for the text first captured, then one more per changed text.
    pub version: u32,
    /// SHA-256 of the bytes this text was read from.
    pub sha256: String,
    /// RFC 3339 UTC: when this text was first fetched.
    pub first_seen: String,
    /// RFC 3339 UTC: the last fetch that still showed this text (the same
    /// bytes, or a `304 Not Modified`), when one did after the first.
    pub last_seen: Option<String>,
    /// The normalized text. Empty in listings that only need statements.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub text: String,
    /// The statements read from this text, as the extractor found them then.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statements: Vec<Statement>,
}

/// Every version of one captured document and whether its URL still answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentHistory {
    pub document_id: String,
    /// The URL as captured (the one asked for).
    pub url: String,
    /// `live`, `gone` (404/410 or redirected away) or `failing` (errors).
    pub state: String,
    /// RFC 3339 UTC, when the URL was first found gone.
    pub gone_since: Option<String>,
    /// What the URL answers now when gone ("now answers HTTP 404").
    pub gone_detail: Option<String>,
    /// Oldest first.
    pub versions: Vec<DocumentVersion>,
}

/// Why a statement is no longer published as first seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EditKind {
    /// The page now shows other words (or none) where the quote was.
    Edited,
    /// The page answers 404/410 or redirects away.
    Deleted,
}

impl EditKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EditKind::Edited => "edited",
            EditKind::Deleted => "deleted",
        }
    }
}

/// The mark a statement carries when its page changed or went away.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementEdit {
    pub kind: EditKind,
    /// RFC 3339 UTC: when the change was first seen.
    pub since: Option<String>,
    /// The quote as first captured.
    pub first_seen: String,
    /// The quote as the page shows it now; `None` when the page no longer
    /// holds it (edited away, or no longer published at all).
    pub now: Option<String>,
}

/// The marks of one document's statements.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatementEdits {
    /// Marks of statements read from the current text, by their quote now.
    pub current: Vec<(String, StatementEdit)>,
    /// Statements of the first text with no counterpart now: they stay
    /// listed with their mark (their spans point into the first version).
    pub removed: Vec<(Statement, StatementEdit)>,
}

/// Word overlap needed to call a new quote the edit of an old one.
const SAME_STATEMENT_OVERLAP: f64 = 0.3;

impl DocumentHistory {
    pub fn is_gone(&self) -> bool {
        self.state == "gone"
    }

    /// True when something about the document's statements may have
    /// changed: more than one version, or gone.
    pub fn has_changes(&self) -> bool {
        self.versions.len() > 1 || self.is_gone()
    }

    /// Pairs the statements of the first version with those of the latest
    /// one (same speaker; the same quote, else the quote sharing most
    /// words) and marks what changed. A gone page marks every statement
    /// deleted, with the quote as first seen and no text now.
    pub fn statement_edits(&self) -> StatementEdits {
        let mut out = StatementEdits::default();
        let (Some(first), Some(latest)) = (self.versions.first(), self.versions.last()) else {
            return out;
        };
        let edited_since = Some(latest.first_seen.clone());
        let mut taken: HashSet<usize> = HashSet::new();
        // Pairs: index in first → index in latest.
        let mut pairs: Vec<(usize, Option<usize>)> = Vec::new();
        // Exact quotes first, so a near match cannot take an unchanged one.
        let mut unpaired: Vec<usize> = Vec::new();
        for (i, old) in first.statements.iter().enumerate() {
            match latest
                .statements
                .iter()
                .enumerate()
                .position(|(j, new)| !taken.contains(&j) && new.quote == old.quote)
            {
                Some(j) => {
                    taken.insert(j);
                    pairs.push((i, Some(j)));
                }
                None => unpaired.push(i),
            }
        }
        for i in unpaired {
            let old = &first.statements[i];
            let best = latest
                .statements
                .iter()
                .enumerate()
                .filter(|(j, new)| !taken.contains(j) && new.speaker == old.speaker)
                .map(|(j, new)| (j, word_overlap(&old.quote, &new.quote)))
                .filter(|(_, o)| *o >= SAME_STATEMENT_OVERLAP)
                .max_by(|a, b| a.1.total_cmp(&b.1));
            if let Some((j, _)) = best {
                taken.insert(j);
            }
            pairs.push((i, best.map(|(j, _)| j)));
        }
        let gone = self.is_gone();
        for (i, j) in pairs {
            let old = &first.statements[i];
            match j {
                Some(j) => {
                    let new = &latest.statements[j];
                    let edit = if gone {
                        StatementEdit {
                            kind: EditKind::Deleted,
                            since: self.gone_since.clone(),
                            first_seen: old.quote.clone(),
                            now: None,
                        }
                    } else if new.quote != old.quote {
                        StatementEdit {
                            kind: EditKind::Edited,
                            since: edited_since.clone(),
                            first_seen: old.quote.clone(),
                            now: Some(new.quote.clone()),
                        }
                    } else {
                        continue;
                    };
                    out.current.push((new.quote.clone(), edit));
                }
                None => {
                    let (kind, since) = if gone {
                        (EditKind::Deleted, self.gone_since.clone())
                    } else {
                        (EditKind::Edited, edited_since.clone())
                    };
                    out.removed.push((
                        old.clone(),
                        StatementEdit {
                            kind,
                            since,
                            first_seen: old.quote.clone(),
                            now: None,
                        },
                    ));
                }
            }
        }
        // Statements that appeared in a later version: deleted with the page.
        if gone {
            for (j, new) in latest.statements.iter().enumerate() {
                if !taken.contains(&j) && !out.current.iter().any(|(q, _)| *q == new.quote) {
                    out.current.push((
                        new.quote.clone(),
                        StatementEdit {
                            kind: EditKind::Deleted,
                            since: self.gone_since.clone(),
                            first_seen: new.quote.clone(),
                            now: None,
                        },
                    ));
                }
            }
        }
        out
    }
}

/// Shared words over all words of the shorter quote (lower-cased, by
/// alphanumeric runs).
fn word_overlap(a: &str, b: &str) -> f64 {
    let words = |s: &str| -> HashSet<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let (a, b) = (words(a), words(b));
    let shorter = a.len().min(b.len());
    if shorter == 0 {
        return 0.0;
    }
    a.intersection(&b).count() as f64 / shorter as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extraction::{Confidence, Span};

    fn st(speaker: &str, quote: &str) -> Statement {
        Statement {
            speaker: speaker.into(),
            speaker_role: None,
            quote: quote.into(),
            quote_start: quote.split(' ').take(10).collect::<Vec<_>>().join(" "),
            channel: None,
            said_at: None,
            span: Span {
                start: 0,
                end: quote.len(),
                text: quote.into(),
            },
            attribution: None,
            claims: Vec::new(),
            confidence: Confidence::default(),
        }
    }

    fn version(n: u32, seen: &str, statements: Vec<Statement>) -> DocumentVersion {
        DocumentVersion {
            version: n,
            sha256: format!("{n:064}"),
            first_seen: seen.into(),
            last_seen: None,
            text: String::new(),
            statements,
        }
    }

    fn history(state: &str, versions: Vec<DocumentVersion>) -> DocumentHistory {
        DocumentHistory {
            document_id: "d".into(),
            url: "https://example.org/p".into(),
            state: state.into(),
            gone_since: (state == "gone").then(|| "2025-10-20T00:00:00Z".into()),
            gone_detail: None,
            versions,
        }
    }

    #[test]
    fn an_edited_quote_keeps_both_texts_and_a_removed_one_stays_listed() {
        let h = history(
            "live",
            vec![
                version(
                    1,
                    "2025-10-01T00:00:00Z",
                    vec![
                        st(
                            "Pete Hegseth",
                            "Six narco-terrorists were killed in the strike.",
                        ),
                        st("Pete Hegseth", "We will hunt every one of these boats."),
                        st("Marco Rubio", "The cartels are on notice."),
                    ],
                ),
                version(
                    2,
                    "2025-10-02T00:00:00Z",
                    vec![
                        st(
                            "Pete Hegseth",
                            "Three narco-terrorists were killed in the strike.",
                        ),
                        st("Marco Rubio", "The cartels are on notice."),
                    ],
                ),
            ],
        );
        let e = h.statement_edits();
        assert_eq!(e.current.len(), 1);
        let (now, mark) = &e.current[0];
        assert_eq!(now, "Three narco-terrorists were killed in the strike.");
        assert_eq!(mark.kind, EditKind::Edited);
        assert_eq!(
            mark.first_seen,
            "Six narco-terrorists were killed in the strike."
        );
        assert_eq!(mark.since.as_deref(), Some("2025-10-02T00:00:00Z"));
        assert_eq!(e.removed.len(), 1);
        assert_eq!(
            e.removed[0].0.quote,
            "We will hunt every one of these boats."
        );
        assert_eq!(e.removed[0].1.now, None);
        assert_eq!(e.removed[0].1.kind, EditKind::Edited);
    }

    #[test]
    fn a_gone_page_marks_every_statement_deleted() {
        let h = history(
            "gone",
            vec![version(
                1,
                "2025-10-01T00:00:00Z",
                vec![st("Pete Hegseth", "Six were killed.")],
            )],
        );
        let e = h.statement_edits();
        assert_eq!(e.current.len(), 1);
        assert_eq!(e.current[0].1.kind, EditKind::Deleted);
        assert_eq!(e.current[0].1.now, None);
        assert_eq!(
            e.current[0].1.since.as_deref(),
            Some("2025-10-20T00:00:00Z")
        );
        assert!(e.removed.is_empty());
    }

    #[test]
    fn an_unchanged_page_marks_nothing() {
        let s = vec![st("Marco Rubio", "The cartels are on notice.")];
        let h = history(
            "live",
            vec![
                version(1, "2025-10-01T00:00:00Z", s.clone()),
                version(2, "2025-10-02T00:00:00Z", s),
            ],
        );
        assert_eq!(h.statement_edits(), StatementEdits::default());
        // Another speaker's new words are not an edit of these.
        let h = history(
            "live",
            vec![
                version(
                    1,
                    "a",
                    vec![st("Marco Rubio", "The cartels are on notice.")],
                ),
                version(
                    2,
                    "b",
                    vec![st("Pete Hegseth", "The cartels are on notice now.")],
                ),
            ],
        );
        let e = h.statement_edits();
        assert!(e.current.is_empty());
        assert_eq!(e.removed.len(), 1);
    }
}
