//! Language of a document: the one the source gives, else detected among
//! the languages strikewatch reads and the others its campaign is most often
//! reported in. Detecting those too matters: a German page forced to choose
//! between English and Spanish would be read with the wrong lexicon, where
//! the extractor should say it has none.

use std::sync::OnceLock;

use lingua::{Language, LanguageDetector, LanguageDetectorBuilder};

/// The languages detection chooses among.
const DETECTABLE: [Language; 8] = [
    Language::English,
    Language::Spanish,
    Language::Portuguese,
    Language::French,
    Language::German,
    Language::Italian,
    Language::Russian,
    Language::Greek,
];

/// Code used when neither the source nor detection gives a language.
pub const UNDETERMINED: &str = "und";

/// How much text detection looks at; the opening is enough and keeps it fast.
const DETECT_PREFIX_BYTES: usize = 4000;

fn detector() -> &'static LanguageDetector {
    static DETECTOR: OnceLock<LanguageDetector> = OnceLock::new();
    DETECTOR.get_or_init(|| LanguageDetectorBuilder::from_languages(&DETECTABLE).build())
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
        Some(language) => language.iso_code_639_1().to_string().to_ascii_lowercase(),
        None => UNDETERMINED.into(),
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

    #[test]
    fn detects_languages_without_a_lexicon() {
        assert_eq!(
            language_of(
                None,
                "Das US-Militär hat erneut ein mutmaßliches Drogenboot in der Karibik angegriffen."
            ),
            "de"
        );
        assert_eq!(
            language_of(
                None,
                "Os Estados Unidos atacaram mais uma embarcação no mar do Caribe, matando três pessoas."
            ),
            "pt"
        );
        assert_eq!(
            language_of(
                None,
                "L'armée américaine a de nouveau frappé un bateau dans les Caraïbes, tuant trois personnes."
            ),
            "fr"
        );
    }
}
