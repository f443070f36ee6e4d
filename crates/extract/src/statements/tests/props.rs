//! Properties: on any input, extraction returns and every span is valid.

use proptest::prelude::*;
use strikewatch_model::{Document, SourceKind};

use super::lexicon;
use crate::statements::extract_statements;

fn doc(text: String, language: &str) -> Document {
    Document {
        id: "prop".into(),
        url: None,
        title: None,
        published_at: None,
        language: language.into(),
        source: None,
        source_kind: SourceKind::News,
        text,
        capture_sha256: None,
        private: false,
    }
}

fn check(d: &Document) -> Result<(), TestCaseError> {
    let (statements, claims) = extract_statements(lexicon(), d);
    for s in &statements {
        prop_assert!(s.span.is_valid_in(&d.text), "statement span {:?}", s.span);
        if let Some(a) = &s.attribution {
            prop_assert!(a.is_valid_in(&d.text), "attribution span {:?}", a);
        }
        prop_assert!(!s.speaker.is_empty());
        prop_assert!(s.quote_start.split_whitespace().count() <= 10);
    }
    for c in &claims {
        prop_assert!(c.span.is_valid_in(&d.text), "claim span {:?}", c.span);
        prop_assert_eq!(&c.text, &c.span.text);
    }
    Ok(())
}

/// Pieces that reach the deeper rules: names, verbs, pronouns, every quote mark.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Hegseth".to_string()),
        Just("Pete Hegseth".to_string()),
        Just("Trump".to_string()),
        Just("Ada Samplewood".to_string()),
        Just("Samplewood".to_string()),
        Just("the secretary".to_string()),
        Just("a spokesperson".to_string()),
        Just("said".to_string()),
        Just("dijo".to_string()),
        Just("according to".to_string()),
        Just("writing,".to_string()),
        Just("he".to_string()),
        Just("She".to_string()),
        Just("in a post on Friday".to_string()),
        Just("lawful".to_string()),
        Just("fake news".to_string()),
        Just("U.S.".to_string()),
        Just("\n\n".to_string()),
        Just(", ".to_string()),
        Just(". ".to_string()),
        Just(":".to_string()),
        Just(" ".to_string()),
        "[\"'“”‘’«»„‚‹›]",
        "[a-zA-Zé ]{1,8}",
        "\\PC{1,3}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_unicode_never_panics(text in any::<String>()) {
        check(&doc(text, "en"))?;
    }

    #[test]
    fn quote_mark_soup_never_panics(text in "[a-zA Z.,;:!?\n\"'“”‘’«»„‚‹›—é]{0,200}") {
        check(&doc(text.clone(), "en"))?;
        check(&doc(text, "es"))?;
    }

    #[test]
    fn vocabulary_soup_spans_are_valid(parts in prop::collection::vec(fragment(), 0..60), lang in "(en|es|fr)") {
        check(&doc(parts.concat(), &lang))?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// The shortcut that skips documents without quotes never hides one.
    #[test]
    fn no_possible_opener_means_no_quote(parts in prop::collection::vec(fragment(), 0..40)) {
        let text = parts.concat();
        if !crate::statements::quotes::may_hold_quote(&text) {
            let layout = crate::statements::text::Layout::new(&text, &lexicon().compiled.abbreviations);
            prop_assert!(crate::statements::quotes::find_quotes(&text, &layout).is_empty(), "{:?}", text);
        }
    }
}
