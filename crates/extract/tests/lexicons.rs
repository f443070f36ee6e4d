//! Every lexicon file loads, lists are lower case and without duplicates, and
//! a broken file is reported with its name.

use std::collections::HashSet;
use std::path::Path;

use strikewatch_extract::{Extractor, LexiconError, Lexicons};

#[test]
fn embedded_lexicons_load_and_compile() {
    let lex = Lexicons::embedded().expect("embedded lexicons parse");
    let langs: Vec<&str> = lex.languages.iter().map(|l| l.language.as_str()).collect();
    assert!(langs.contains(&"en") && langs.contains(&"es"), "{langs:?}");
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

fn document(id: &str, language: &str, text: &str) -> strikewatch_model::Document {
    strikewatch_extract::parse_document_line(
        &serde_json::json!({
            "id": id,
            "language": language,
            "published_at": "2026-02-24",
            "text": text,
        })
        .to_string(),
    )
    .expect("a valid corpus line")
}

#[test]
fn a_language_without_a_lexicon_yields_no_facts_and_says_so() {
    let ex = Extractor::embedded().expect("extractor");
    // German: the digits and place names would otherwise be read with
    // English words and give a strike of three dead.
    let doc = document(
        "de-1",
        "de",
        "Das US-Militär hat am Montag ein Boot in der Karibik angegriffen. \
         Drei Menschen wurden getötet, teilte das Southern Command mit.",
    );
    let out = ex.extract(&doc);
    assert_eq!(
        out.status,
        Some(strikewatch_model::ExtractionStatus::UnsupportedLanguage)
    );
    assert!(out.incidents.is_empty() && out.totals.is_empty());
    assert!(out.statements.is_empty() && out.claims.is_empty());
    let json = serde_json::to_value(&out).expect("serializes");
    assert_eq!(json["status"], "unsupported_language");
    assert!(out.diagnostics.iter().any(|d| d.contains("\"de\"")));
}

#[test]
fn a_supported_language_has_no_status() {
    let ex = Extractor::embedded().expect("extractor");
    let doc = document(
        "en-1",
        "en-US",
        "The U.S. military struck a boat in the Caribbean on Monday, killing three people.",
    );
    let out = ex.extract(&doc);
    assert_eq!(out.status, None);
    assert_eq!(out.incidents.len(), 1);
    let json = serde_json::to_value(&out).expect("serializes");
    assert!(json.get("status").is_none());
}

/// Copies `src` into `dst` recursively (a lexicon folder is two levels deep).
fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).expect("create folder");
    for entry in std::fs::read_dir(src).expect("read folder") {
        let entry = entry.expect("entry");
        let to = dst.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &to);
        } else {
            std::fs::copy(entry.path(), &to).expect("copy file");
        }
    }
}

#[test]
fn a_new_language_folder_is_read_without_code() {
    // A researcher adds a language by adding a folder: here a copy of the
    // English files under the made-up code `qx`.
    let root = std::env::temp_dir().join(format!("sw-lexicons-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let lexicons = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/lexicons"));
    copy_dir(lexicons, &root);
    copy_dir(&lexicons.join("en"), &root.join("qx"));
    let lex = Lexicons::from_dir(&root).expect("folder loads");
    std::fs::remove_dir_all(&root).expect("clean up");
    let ex = Extractor::new(lex).expect("compiles");
    assert!(ex.languages().contains(&"qx"));
    let doc = document(
        "qx-1",
        "qx",
        "The U.S. military struck a boat in the Caribbean on Monday, killing three people. \
         \"No U.S. forces were harmed,\" Pete Hegseth wrote.",
    );
    let out = ex.extract(&doc);
    assert_eq!(out.status, None);
    assert_eq!(out.incidents.len(), 1);
    assert_eq!(out.incidents[0].killed, Some(3));
    assert_eq!(
        out.statements.len(),
        1,
        "statement files come from the folder too"
    );
}
