//! Runs the hand-written cases in `cases_en.toml` and `cases_es.toml`, and
//! the cases of phenomena met in real reporting in `real_en.toml`,
//! `real_es.toml` and `real_fr.toml`.

use chrono::NaiveDate;
use serde::Deserialize;
use strikewatch_model::{Document, PublishedAt, SourceKind, TimePrecision};

use super::corpus::normalise;
use super::lexicon;
use crate::statements::extract_statements;

#[derive(Deserialize)]
struct CaseFile {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    published: NaiveDate,
    text: String,
    expect: Vec<Expected>,
}

#[derive(Deserialize, Debug)]
struct Expected {
    speaker: String,
    quote_start: String,
    channel: Option<String>,
    said_at: Option<NaiveDate>,
    role: Option<String>,
    #[serde(default)]
    claims: Vec<String>,
    quote: Option<String>,
    /// "high", "medium" or "low".
    confidence: Option<String>,
    /// Cues that must be among the statement's confidence cues.
    #[serde(default)]
    cues: Vec<String>,
}

fn document(language: &str, case: &Case) -> Document {
    Document {
        id: case.name.clone(),
        url: None,
        title: None,
        published_at: Some(PublishedAt {
            date: case.published,
            text: case.published.to_string(),
            precision: TimePrecision::Day,
        }),
        language: language.to_string(),
        source: None,
        source_kind: SourceKind::News,
        text: case.text.clone(),
        capture_sha256: None,
        private: false,
    }
}

/// Checks every case of a file; returns the failures, one line each.
fn run(language: &str, source: &str) -> Vec<String> {
    let file: CaseFile = toml::from_str(source).expect("case file parses");
    let mut failures = Vec::new();
    for case in &file.case {
        let doc = document(language, case);
        let (statements, claims) = extract_statements(lexicon(), &doc);
        let mut fail = |what: String| failures.push(format!("[{language}] {}: {what}", case.name));
        for s in &statements {
            if !s.span.is_valid_in(&doc.text)
                || s.attribution
                    .as_ref()
                    .is_some_and(|a| !a.is_valid_in(&doc.text))
            {
                fail(format!("invalid span in {s:?}"));
            }
        }
        for c in &claims {
            if !c.span.is_valid_in(&doc.text) {
                fail(format!("invalid claim span {c:?}"));
            }
        }
        if statements.len() != case.expect.len() {
            let got: Vec<_> = statements
                .iter()
                .map(|s| (&s.speaker, &s.quote_start))
                .collect();
            fail(format!(
                "expected {} statements, got {got:?}",
                case.expect.len()
            ));
            continue;
        }
        for (s, e) in statements.iter().zip(&case.expect) {
            if s.speaker != e.speaker {
                fail(format!("speaker {:?}, expected {:?}", s.speaker, e.speaker));
            }
            if s.quote_start != e.quote_start {
                fail(format!(
                    "quote_start {:?}, expected {:?}",
                    s.quote_start, e.quote_start
                ));
            }
            if let Some(q) = &e.quote
                && &s.quote != q
            {
                fail(format!("quote {:?}, expected {q:?}", s.quote));
            }
            if let Some(c) = &e.channel {
                let got = s.channel.map_or("none".to_string(), |c| {
                    serde_json::to_value(c)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default()
                });
                if &got != c {
                    fail(format!("channel {got}, expected {c}"));
                }
            }
            if e.said_at.is_some() && s.said_at != e.said_at {
                fail(format!("said_at {:?}, expected {:?}", s.said_at, e.said_at));
            }
            if let Some(r) = &e.role {
                let got = s.speaker_role.clone().unwrap_or_else(|| "none".to_string());
                if &got != r {
                    fail(format!("role {got:?}, expected {r:?}"));
                }
            }
            if let Some(level) = &e.confidence {
                let got = serde_json::to_value(s.confidence.level)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default();
                if &got != level {
                    fail(format!("confidence {got}, expected {level}"));
                }
            }
            for cue in &e.cues {
                if !s.confidence.cues.contains(cue) {
                    fail(format!("cue {cue} missing from {:?}", s.confidence.cues));
                }
            }
            if s.confidence.cues.is_empty() {
                fail("statement without confidence cues".to_string());
            }
            for k in &e.claims {
                if !s.claims.iter().any(|c| c.as_str() == k) {
                    fail(format!("claim kind {k} missing from {:?}", s.claims));
                }
            }
            if !normalise(&s.quote).starts_with(&normalise(&s.quote_start)) {
                fail("quote_start is not the start of the quote".to_string());
            }
        }
    }
    failures
}

#[test]
fn english_cases() {
    let failures = run("en", include_str!("cases_en.toml"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn spanish_cases() {
    let failures = run("es", include_str!("cases_es.toml"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn english_cases_from_real_reporting() {
    let failures = run("en", include_str!("real_en.toml"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn spanish_cases_from_real_reporting() {
    let failures = run("es", include_str!("real_es.toml"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn french_cases_from_real_reporting() {
    let failures = run("fr", include_str!("real_fr.toml"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn portuguese_cases_from_real_reporting() {
    let failures = run("pt", include_str!("real_pt.toml"));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
