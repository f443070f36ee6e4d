//! A command's area is no strike's place. Pages introduce Southern Command
//! with what it covers: "SOUTHCOM, which is responsible for military
//! activities in Latin America and the Caribbean, said three men were
//! killed" tells of a strike in the eastern Pacific. A sea named in the
//! clause after an area wording (`gazetteer.area_cues`: "responsible for",
//! "oversees", "responsable de") is not where a strike happened.

use crate::annotate::Annotated;
use crate::lexicon::compiled::Tag;

/// How far back from a region an area wording is looked for.
const REACH: usize = 10;

/// Whether the region starting at token `t` sits in an area description
/// opened earlier in the same clause (no comma, parenthesis or stop between).
pub fn in_area_description(doc: &Annotated, sentence_start: usize, t: usize) -> bool {
    let lo = t.saturating_sub(REACH).max(sentence_start);
    for k in (lo..t).rev() {
        if matches!(doc.punct(k), Some(',' | ';' | '(' | ')' | '.' | ':')) {
            return false;
        }
        if doc.find_at(k, |g| g == Tag::AreaCue).is_some() {
            return true;
        }
    }
    false
}
