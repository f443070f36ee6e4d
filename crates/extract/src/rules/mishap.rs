//! A boat lost by accident is no strike. "A boat carrying migrants
//! capsized on Sunday; 15 people died" and "another boat sank off the
//! Bahamas and 28 drowned" tell deaths at sea with a boat and, through
//! "sank", a word that elsewhere tells a strike. In a sentence with a
//! mishap word (`noise.mishap`), the strike words that also tell an accident
//! (`events.weak_triggers`) are not strike words, and the sentence's deaths
//! do not make a strike of the boat beside them.

use crate::annotate::Annotated;
use crate::lexicon::compiled::Tag;

/// Whether tokens `start..end` tell a boat lost by accident.
pub fn tells_mishap(doc: &Annotated, start: usize, end: usize) -> bool {
    doc.any_in(start, end, |g| g == Tag::Mishap).is_some()
}

/// Whether token `t` starts a strike word that holds in a mishap sentence.
pub fn strong_trigger_at(doc: &Annotated, t: usize) -> bool {
    doc.find_at(t, |g| g == Tag::Trigger).is_some()
        && doc.find_at(t, |g| g == Tag::WeakTrigger).is_none()
}
