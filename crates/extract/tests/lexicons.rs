//! Every lexicon file loads, lists are lower case and without duplicates, and
//! a broken file is reported with its name.

use std::collections::HashSet;
use std::path::Path;

use strikewatch_extract::{Extractor, LexiconError, Lexicons};

#[test]
fn embedded_lexicons_load_and_compile() {
    let lex = Lexicons::embedded().expect("embedded lexicons parse");
    let langs: Vec<&str> = lex.languages.iter().map(|l| l.language.as_str()).collect();
    assert_eq!(langs, ["en", "es"]);
    Extractor::new(lex).expect("embedded lexicons compile");
}

#[test]
fn lists_are_deduplicated_and_lower_case() {
    let lex = Lexicons::embedded().expect("lexicons");
    let mut problems = Vec::new();
    for lang in &lex.languages {
        for (name, list) in lang.named_lists() {
            let mut seen = HashSet::new();
            for item in list {
                if !seen.insert(item) {
                    problems.push(format!("{}/{name}: duplicate {item:?}", lang.language));
                }
                if !name.ends_with(".key") && item != item.to_lowercase() {
                    problems.push(format!("{}/{name}: not lower case {item:?}", lang.language));
                }
                if item.trim() != item || item.is_empty() {
                    problems.push(format!(
                        "{}/{name}: stray whitespace {item:?}",
                        lang.language
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn directory_loading_matches_embedded() {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/lexicons"));
    let from_dir = Lexicons::from_dir(dir).expect("lexicon directory loads");
    let embedded = Lexicons::embedded().expect("embedded");
    assert_eq!(from_dir.sources, embedded.sources);
    assert_eq!(from_dir.version(&[]), embedded.version(&[]));
}

#[test]
fn a_typo_names_the_file() {
    let mut sources: Vec<(String, String)> = strikewatch_extract::lexicon::embedded_files()
        .into_iter()
        .map(|(p, c)| (p.to_string(), c.to_string()))
        .collect();
    for (path, text) in sources.iter_mut() {
        if path == "es/gazetteer.toml" {
            *text = text.replacen("phrases", "phrasez", 1);
        }
    }
    match Lexicons::from_sources(sources) {
        Err(LexiconError::Invalid { file, .. }) => assert_eq!(file, "es/gazetteer.toml"),
        Ok(_) => panic!("a misspelt field must fail"),
    }
}

#[test]
fn version_changes_with_any_file() {
    let lex = Lexicons::embedded().expect("lexicons");
    let a = lex.version(&[("en/actors.toml", "x")]);
    let b = lex.version(&[("en/actors.toml", "y")]);
    assert_ne!(a, b);
    assert_eq!(a.len(), 16);
    let ex = Extractor::embedded().expect("extractor");
    assert_eq!(ex.lexicon_version().len(), 16);
}
