//! A speaker's name as the page spells it: "Nicolas Maduro" on a page that
//! drops the accent is written so, not as the lexicon's "Nicolás Maduro", so
//! a reader checking the record against the page finds the name it prints.
//! Only accents, a hyphen or a middle initial may differ; for anything else
//! the lexicon's name is kept.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// `name`, or the page's own spelling of it when the page never writes it
/// as the lexicon does: without its accents ("Nicolas Maduro"), with a
/// space for its hyphen ("Kamla Persad Bissessar"), or without a middle
/// initial ("Francis Donovan" for "Francis L. Donovan").
pub fn as_the_page_spells(text: &str, name: String) -> String {
    if text.contains(name.as_str()) {
        return name;
    }
    // Canonical decomposition splits "á" into "a" and its accent; dropping
    // the combining marks leaves the plain letters.
    let plain: String = name.nfd().filter(|c| !is_combining_mark(*c)).collect();
    let spaced = plain.replace('-', " ");
    let no_initial = without_middle_initials(&plain);
    [plain, spaced, no_initial]
        .into_iter()
        .find(|v| *v != name && v.contains(' ') && text.contains(v.as_str()))
        .unwrap_or(name)
}

/// "Francis L. Donovan" → "Francis Donovan": a one-letter word with its dot
/// between the first and last words dropped.
fn without_middle_initials(name: &str) -> String {
    let words: Vec<&str> = name.split(' ').collect();
    let last = words.len().saturating_sub(1);
    words
        .iter()
        .enumerate()
        .filter(|&(i, w)| i == 0 || i == last || !(w.len() == 2 && w.ends_with('.')))
        .map(|(_, w)| *w)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::as_the_page_spells;

    #[test]
    fn an_unaccented_page_keeps_its_spelling() {
        let page = "Nicolas Maduro called the strikes unlawful.";
        assert_eq!(
            as_the_page_spells(page, "Nicolás Maduro".into()),
            "Nicolas Maduro"
        );
    }

    #[test]
    fn an_accented_page_keeps_the_accent() {
        let page = "Nicolás Maduro habló. Nicolas Maduro también.";
        assert_eq!(
            as_the_page_spells(page, "Nicolás Maduro".into()),
            "Nicolás Maduro"
        );
    }

    #[test]
    fn a_page_without_the_hyphen_or_the_middle_initial_keeps_its_spelling() {
        let page = "Kamla Persad Bissessar backed Gen. Francis Donovan.";
        assert_eq!(
            as_the_page_spells(page, "Kamla Persad-Bissessar".into()),
            "Kamla Persad Bissessar"
        );
        assert_eq!(
            as_the_page_spells(page, "Francis L. Donovan".into()),
            "Francis Donovan"
        );
    }

    #[test]
    fn a_name_the_page_never_spells_in_full_stays_as_the_lexicon_has_it() {
        let page = "Maduro called the strikes unlawful.";
        assert_eq!(
            as_the_page_spells(page, "Nicolás Maduro".into()),
            "Nicolás Maduro"
        );
        assert_eq!(
            as_the_page_spells(page, "Pete Hegseth".into()),
            "Pete Hegseth"
        );
    }
}
