//! Language of a document: the one the source gives, else detected among
//! the languages strikewatch reads (English and Spanish).

use std::sync::OnceLock;

use lingua::{Language, LanguageDetector, LanguageDetectorBuilder};

/// Code used when neither the source nor detection gives a language.
pub const UNDETERMINED: &str = "und";

/// How much text detection looks at; the opening is enough and keeps it fast.
const DETECT_PREFIX_BYTES: usize = 4000;

fn detector() -> &'static LanguageDetector {
    static DETECTOR: OnceLock<LanguageDetector> = OnceLock::new();
    DETECTOR.get_or_init(|| {
        LanguageDetectorBuilder::from_languages(&[Language::English, Language::Spanish]).build()
    })
}

/// Reduces a tag such as `en-US` or `ES` to its lowercase primary subtag.
pub fn primary_subtag(tag: &str) -> Option<String> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    let ok = (2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_lowercase());
    ok.then_some(primary)
}

/// The given language when usable, else the detected one, else `und`.
pub fn language_of(given: Option<&str>, text: &str) -> String {
    if let Some(code) = given.and_then(primary_subtag) {
        return code;
    }
    let mut end = text.len().min(DETECT_PREFIX_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    match detector().detect_language_of(&text[..end]) {
        Some(Language::English) => "en".into(),
        Some(Language::Spanish) => "es".into(),
        _ => UNDETERMINED.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn given_language_wins_and_is_reduced() {
        assert_eq!(language_of(Some("en-US"), "Ataque letal"), "en");
        assert_eq!(language_of(Some("ES"), ""), "es");
    }

    #[test]
    fn detects_short_official_texts() {
        assert_eq!(
            language_of(None, "Ataque letal contra una narcolancha en el Pacífico"),
            "es"
        );
        assert_eq!(language_of(None, "Lethal kinetic strike on a vessel"), "en");
        assert_eq!(language_of(Some("??"), "Tres muertos"), "es");
        assert_eq!(language_of(None, "1234"), UNDETERMINED);
    }
}
