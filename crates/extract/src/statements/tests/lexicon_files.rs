//! Loading lexicon files: errors, merging, actor look-up, roles over time.

use chrono::NaiveDate;

use super::lexicon;
use crate::LexiconError;
use crate::statements::{StatementLexicon, embedded_files};

fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

#[test]
fn lexicon_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<StatementLexicon>();
}

#[test]
fn embedded_files_are_the_six_statement_files() {
    let files = embedded_files();
    let paths: Vec<&str> = files.iter().map(|f| f.0).collect();
    for lang in ["en", "es"] {
        for name in ["actors", "speech", "claims"] {
            assert!(
                paths.contains(&format!("{lang}/{name}.toml").as_str()),
                "{lang}/{name}"
            );
        }
    }
    assert!(files.iter().all(|f| !f.1.trim().is_empty()));
    // Loading them through from_files gives the same actors as embedded().
    let loaded = StatementLexicon::from_files(&files).expect("embedded files load");
    assert_eq!(loaded.actors().len(), lexicon().actors().len());
}

#[test]
fn roles_change_with_the_date() {
    let hegseth = lexicon().actor("Pete Hegseth").expect("Hegseth is known");
    assert_eq!(
        hegseth.role_on(day(2025, 9, 4)),
        Some("U.S. Secretary of Defense")
    );
    assert_eq!(
        hegseth.role_on(day(2025, 9, 5)),
        Some("U.S. Secretary of War")
    );
    assert_eq!(hegseth.role_on(day(2024, 6, 1)), None);
    assert_eq!(hegseth.role_on(None), Some("U.S. Secretary of War"));
}

#[test]
fn find_actor_by_surname_title_or_spanish_alias() {
    let lex = lexicon();
    let name = |t: &str| lex.find_actor(t).map(|a| a.name.as_str());
    assert_eq!(
        name("the Secretary of War announced a strike"),
        Some("Pete Hegseth")
    );
    assert_eq!(name("según el secretario de Guerra"), Some("Pete Hegseth"));
    assert_eq!(name("President Donald Trump said"), Some("Donald Trump"));
    assert_eq!(name("Southern Command said"), None);
    // A surname inside a longer institution phrase is not the person.
    assert_eq!(name("the Trump administration said"), None);
    // Lower-case words are not names.
    assert_eq!(name("the reed beds and cotton fields"), None);
}

#[test]
fn an_edited_folder_can_add_an_actor() {
    let mut files = embedded_files();
    let extra = "[[actor]]\nname = \"Noor Castellanos\"\ngender = \"female\"\naliases = [\"Castellanos\"]\nroles = [{ title = \"Harbor Commissioner\" }]\n";
    files.push(("en/actors_extra/actors.toml", extra));
    // A colleague's file in the same folder is ignored.
    files.push(("en/gazetteer.toml", "not = [valid"));
    let lex = StatementLexicon::from_files(&files).expect("loads");
    assert_eq!(
        lex.find_actor("said Castellanos").map(|a| a.name.as_str()),
        Some("Noor Castellanos")
    );
}

fn error_file(result: Result<StatementLexicon, LexiconError>) -> String {
    match result {
        Err(LexiconError::Invalid { file, message }) => {
            assert!(!message.is_empty());
            file
        }
        Ok(_) => panic!("expected an error"),
    }
}

#[test]
fn broken_files_are_typed_errors() {
    assert_eq!(
        error_file(StatementLexicon::from_files(&[(
            "en/actors.toml",
            "[[actor]\nname="
        )])),
        "en/actors.toml"
    );
    assert_eq!(
        error_file(StatementLexicon::from_files(&[(
            "en/claims.toml",
            "[cues]\nrumour = [\"x\"]"
        )])),
        "en/claims.toml"
    );
    let reversed = "[[actor]]\nname = \"A B\"\nroles = [{ title = \"x\", from = \"2025-02-01\", until = \"2025-01-01\" }]";
    assert_eq!(
        error_file(StatementLexicon::from_files(&[(
            "en/actors.toml",
            reversed
        )])),
        "en/actors.toml"
    );
    assert_eq!(
        error_file(StatementLexicon::from_files(&[(
            "en/speech.toml",
            "[[verb]]\nwords = [\"said\"]\nchannel = \"fax\""
        )])),
        "en/speech.toml"
    );
    assert!(StatementLexicon::from_files(&[]).is_err());
}
