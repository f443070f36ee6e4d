//! A speaker's name as the page spells it: "Nicolas Maduro" on a page that
//! drops the accent is written so, not as the lexicon's "Nicolás Maduro", so
//! a reader checking the record against the page finds the name it prints.
//! Only accents differ: the lexicon's name is kept for anything else.

/// `name`, or its unaccented spelling when the page writes only that one.
pub fn as_the_page_spells(text: &str, name: String) -> String {
    if name.is_ascii() || text.contains(name.as_str()) {
        return name;
    }
    let plain: String = name.chars().map(without_accent).collect();
    if plain != name && text.contains(plain.as_str()) {
        plain
    } else {
        name
    }
}

/// A Latin letter without its accent; any other char as it is.
fn without_accent(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'Á' | 'À' | 'Â' | 'Ä' | 'Ã' | 'Å' => 'A',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'É' | 'È' | 'Ê' | 'Ë' => 'E',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'Í' | 'Ì' | 'Î' | 'Ï' => 'I',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
        'Ó' | 'Ò' | 'Ô' | 'Ö' | 'Õ' => 'O',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'Ú' | 'Ù' | 'Û' | 'Ü' => 'U',
        'ñ' => 'n',
        'Ñ' => 'N',
        'ç' => 'c',
        'Ç' => 'C',
        c => c,
    }
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
