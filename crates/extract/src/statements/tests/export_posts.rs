//! Posts read from platform exports: the whole text is the account
//! owner's statement when the lexicon knows the account.

use chrono::NaiveDate;
use strikewatch_model::{Channel, Document, PublishedAt, SourceKind, TimePrecision};

use super::lexicon;
use crate::statements::extract_statements;

fn post(id: &str, source: &str, text: &str) -> Document {
    let date = NaiveDate::from_ymd_opt(2025, 9, 2).unwrap();
    Document {
        id: id.into(),
        url: Some("https://x.com/SecWar/status/1963".into()),
        title: None,
        published_at: Some(PublishedAt {
            date,
            text: "2025-09-02T21:30:00Z".into(),
            precision: TimePrecision::Second,
        }),
        language: "en".into(),
        source: Some(source.into()),
        source_kind: SourceKind::Official,
        text: text.into(),
        capture_sha256: None,
        private: false,
    }
}

const TEXT: &str = "Earlier today I directed a lethal kinetic strike on a vessel in the Caribbean. \
    11 narco-terrorists were killed.";

#[test]
fn an_export_post_is_its_account_owners_statement() {
    for account in [
        "SecWar",
        "@SecWar",
        "Pete Hegseth",
        "https://social.example/users/SecWar",
    ] {
        let (statements, _) = extract_statements(lexicon(), &post("post-1963", account, TEXT));
        assert_eq!(statements.len(), 1, "{account}: {statements:?}");
        let s = &statements[0];
        assert_eq!(s.speaker, "Pete Hegseth", "{account}");
        assert_eq!(s.channel, Some(Channel::SocialPost));
        assert_eq!(s.said_at, NaiveDate::from_ymd_opt(2025, 9, 2));
        assert_eq!(s.quote, TEXT);
        assert_eq!(&TEXT[s.span.start..s.span.end], s.span.text);
        assert_eq!(s.speaker_role.as_deref(), Some("U.S. Secretary of Defense"));
    }
    let (statements, _) = extract_statements(lexicon(), &post("post-1", "SOUTHCOM", TEXT));
    assert_eq!(statements[0].speaker, "U.S. Southern Command");
}

#[test]
fn an_unknown_account_or_another_document_makes_no_such_statement() {
    let (statements, _) = extract_statements(lexicon(), &post("post-1", "someone_else", TEXT));
    assert!(statements.is_empty(), "{statements:?}");
    // Part of a name is not the account.
    let (statements, _) = extract_statements(lexicon(), &post("post-1", "Pete Hegseth fans", TEXT));
    assert!(statements.is_empty(), "{statements:?}");
    // A page (not an export's post) with the same source reads quotes only.
    let (statements, _) = extract_statements(lexicon(), &post("doc-1", "SecWar", TEXT));
    assert!(statements.is_empty(), "{statements:?}");
}
