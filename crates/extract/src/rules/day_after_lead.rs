//! The strike's day told after the lead: "A skiff was sunk, killing two. The
//! strike was carried out on Thursday." / "El ataque se realizó el jueves."
//! A sentence whose strike word — or a word for the event, "El hecho
//! ocurrió el sábado 15 de noviembre" — is followed by a verb of taking
//! place and then by the date names the day of the strike told before it.

use crate::annotate::Annotated;
use crate::dates::DateMention;
use crate::lexicon::compiled::Tag;
use crate::text::Sentence;

/// Whether `date` closes "<strike word> <occurrence verb> … <date>" in `s`.
pub fn day_after_lead(doc: &Annotated, s: &Sentence, date: &DateMention) -> bool {
    let lo = date.start.saturating_sub(6).max(s.start);
    let Some(verb) = doc.any_in(lo, date.start, |g| g == Tag::Occurrence) else {
        return false;
    };
    if (verb.end..date.start).any(|k| doc.is_punct(k)) {
        return false;
    }
    let is_event = |g: Tag| matches!(g, Tag::StrikeNoun | Tag::Trigger | Tag::EventNoun);
    let before = verb.start.saturating_sub(4).max(s.start);
    if doc.any_in(before, verb.start, is_event).is_some() {
        return true;
    }
    // "El operativo, que según Hegseth ocurrió el lunes", "The operation,
    // which officials said took place on Monday": the event word and a comma
    // open a relative clause a few words longer.
    const RELATIVE_WORDS: usize = 8;
    let farther = verb.start.saturating_sub(RELATIVE_WORDS).max(s.start);
    (farther..before).any(|k| {
        doc.find_at(k, is_event)
            .is_some_and(|h| doc.punct(h.end) == Some(','))
    })
}
