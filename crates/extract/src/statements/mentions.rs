//! Who and what the text mentions outside quotes: actors, generic roles,
//! pronouns, institutions, speech verbs, and people the lexicon does not
//! know but the text introduces by full name next to a speech verb.

use std::collections::HashSet;
use std::ops::Range;

use super::lexicon::{ActorKind, AgentWord, Compiled, Gender, LanguageRules, WordSet};
use super::matcher::{Hit, is_word_bounded};
use super::quotes::Quote;
use super::text::{word_after, word_before};
use crate::text::char_at;

/// A person found in the text who is not in the lexicon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NewPerson {
    pub name: String,
    /// Role words the text gives next to the name ("a law professor").
    pub role: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MentionKind {
    Word(AgentWord),
    NewPerson(usize),
}

#[derive(Debug, Clone)]
pub(crate) struct Mention {
    pub start: usize,
    pub end: usize,
    pub kind: MentionKind,
    pub in_quote: bool,
    /// The object of a preposition ("from the Trump administration"): not a speaker.
    pub prepositional: bool,
}

impl Mention {
    pub fn verb(&self) -> Option<usize> {
        match self.kind {
            MentionKind::Word(AgentWord::Verb(v)) => Some(v),
            _ => None,
        }
    }

    pub fn is_agent(&self) -> bool {
        self.verb().is_none()
    }
}

/// Top-level quote pieces, sorted, for "is this position quoted" tests.
pub(crate) struct QuotedRanges(Vec<Range<usize>>);

impl QuotedRanges {
    pub fn new(quotes: &[Quote]) -> QuotedRanges {
        let mut ranges: Vec<Range<usize>> = quotes
            .iter()
            .filter(|q| !q.nested)
            .flat_map(|q| q.pieces.iter().cloned())
            .collect();
        ranges.sort_by_key(|r| r.start);
        QuotedRanges(ranges)
    }

    pub fn contains(&self, pos: usize) -> bool {
        let i = self.0.partition_point(|r| r.start <= pos);
        i > 0 && pos < self.0[i - 1].end
    }
}

/// Finds all mentions of `text`, from the hits of the agents' phrases over
/// it in its language, including people introduced by name; returns them
/// sorted with the new people.
pub(crate) fn find_mentions(
    lex: &Compiled,
    rules: &LanguageRules,
    text: &str,
    agent_hits: Vec<Hit<'_, AgentWord>>,
    quoted: &QuotedRanges,
) -> (Vec<Mention>, Vec<NewPerson>) {
    let mut mentions: Vec<Mention> = agent_hits
        .into_iter()
        .map(|h| Mention {
            start: h.start,
            end: h.end,
            kind: MentionKind::Word(*h.payload),
            in_quote: false,
            prepositional: false,
        })
        .collect();
    for m in &mut mentions {
        m.in_quote = quoted.contains(m.start);
    }
    add_surnames_of_named_actors(lex, text, &mut mentions, quoted);
    let people = discover_people(lex, rules, text, &mentions, quoted);
    if !people.is_empty() {
        add_people_mentions(text, &people, &mut mentions, quoted);
    }
    for m in &mut mentions {
        m.prepositional = m.is_agent() && is_prepositional(rules, text, m.start);
    }
    (mentions, people)
}

/// A person whose surname alone is too common to be an alias ("Delcy
/// Rodríguez", "Rand Paul") is named by it once the page has given the full
/// name: later "dijo Rodríguez" is hers. The first person named in full
/// with that surname keeps it (the page's subject comes first); another
/// full name with the same surname ("Jorge Rodríguez") stays his own.
fn add_surnames_of_named_actors(
    lex: &Compiled,
    text: &str,
    mentions: &mut Vec<Mention>,
    quoted: &QuotedRanges,
) {
    let mut claimed: Vec<(&str, usize, usize)> = Vec::new();
    for m in mentions.iter().filter(|m| !m.in_quote) {
        let MentionKind::Word(AgentWord::Actor(i)) = m.kind else {
            continue;
        };
        let Some(actor) = lex.actors.get(i) else {
            continue;
        };
        if actor.kind != ActorKind::Person {
            continue;
        }
        // The surname as this page spells it ("Rodriguez" for "Rodríguez").
        let Some(canonical) = actor.name.rsplit(' ').next().filter(|s| *s != actor.name) else {
            continue;
        };
        let said = text.get(m.start..m.end).unwrap_or("");
        let Some(surname) = said.rsplit(' ').next() else {
            continue;
        };
        let full = said.split_whitespace().count() >= 2 && same_letters(surname, canonical);
        let known = actor
            .aliases
            .iter()
            .any(|a| a.eq_ignore_ascii_case(surname));
        if !full || known || claimed.iter().any(|c| c.0 == surname) {
            continue;
        }
        // Someone else named in full with this surname before: theirs.
        let earlier_other = text.get(..m.start).is_some_and(|head| {
            occurrences(head, surname)
                .into_iter()
                .any(|p| follows_a_name_word(text, p))
        });
        if !earlier_other {
            claimed.push((surname, i, m.end));
        }
    }
    let mut added = Vec::new();
    for (surname, actor, from) in claimed {
        let Some(rest) = text.get(from..) else {
            continue;
        };
        for offset in occurrences(rest, surname) {
            let start = from + offset;
            let end = start + surname.len();
            if !is_word_bounded(text, start, end)
                || follows_a_name_word(text, start)
                || mentions.iter().any(|m| m.start < end && start < m.end)
            {
                continue;
            }
            added.push(Mention {
                start,
                end,
                kind: MentionKind::Word(AgentWord::Actor(actor)),
                in_quote: quoted.contains(start),
                prepositional: false,
            });
        }
    }
    if !added.is_empty() {
        mentions.extend(added);
        mentions.sort_by_key(|m| (m.start, m.end));
    }
}

/// Where `needle` starts in `haystack`, left to right and not overlapping,
/// as `match_indices` gives them, from a vectorised search (names are
/// looked for across the whole page). An empty needle keeps
/// `match_indices`' own answer, every char boundary.
fn occurrences(haystack: &str, needle: &str) -> Vec<usize> {
    if needle.is_empty() {
        return haystack.match_indices(needle).map(|(i, _)| i).collect();
    }
    memchr::memmem::find_iter(haystack.as_bytes(), needle.as_bytes()).collect()
}

/// Two spellings of one word that differ only in accents ("Rodríguez",
/// "Rodriguez").
fn same_letters(a: &str, b: &str) -> bool {
    fn base(c: char) -> char {
        match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            other => other,
        }
    }
    a.chars()
        .flat_map(char::to_lowercase)
        .map(base)
        .eq(b.chars().flat_map(char::to_lowercase).map(base))
}

/// A capitalised word joined by one space stands right before `pos`: the
/// word at `pos` ends a longer name ("Jorge Rodríguez").
fn follows_a_name_word(text: &str, pos: usize) -> bool {
    let Some(head) = text.get(..pos).and_then(|h| h.strip_suffix(' ')) else {
        return false;
    };
    // A word that ends a sentence ("Estados Unidos. Rodríguez") is no part of the name.
    head.rsplit(|c: char| c.is_whitespace())
        .next()
        .is_some_and(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars()
                    .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’'))
        })
}

fn is_prepositional(rules: &LanguageRules, text: &str, start: usize) -> bool {
    let Some((wstart, word)) = word_before(text, start) else {
        return false;
    };
    // "bajo la dirección del general Francis L. Donovan", "at the direction
    // of Gen. X": titles stand between a name and the "of" that makes it a
    // possessor. Only "of": after "with Sen. X saying" or "from President
    // X, who said" the person still speaks.
    const GENITIVES: [&str; 7] = ["of", "de", "del", "du", "des", "da", "do"];
    let titles_start = {
        let mut pos = start;
        let mut steps = 0;
        // The word right before the mention is read once, above.
        while steps < 3
            && let Some((s, w)) = if pos == start {
                Some((wstart, word))
            } else {
                word_before(text, pos)
            }
            && joined(text, s + w.len(), pos)
            && contains_lower(&rules.titles, w)
            && !contains_lower(&rules.determiners, w)
        {
            pos = s;
            steps += 1;
        }
        pos
    };
    if titles_start < start
        && let Some((s, w)) = word_before(text, titles_start)
        && joined(text, s + w.len(), titles_start)
        && GENITIVES.contains(&w.to_lowercase().as_str())
    {
        return true;
    }
    let after = start;
    // A comma or other punctuation between the word and the mention breaks the phrase.
    if !joined(text, wstart + word.len(), after) {
        return false;
    }
    if contains_lower(&rules.prepositions, word) {
        return true;
    }
    if contains_lower(&rules.determiners, word)
        && let Some((w2start, w2)) = word_before(text, wstart)
    {
        return joined(text, w2start + w2.len(), wstart) && contains_lower(&rules.prepositions, w2);
    }
    false
}

/// Only spaces between `from` and `to`.
fn joined(text: &str, from: usize, to: usize) -> bool {
    text.get(from..to).is_some_and(|gap| gap.trim().is_empty())
}

/// A capitalised word that may be part of a name.
fn is_name_token(rules: &LanguageRules, word: &str) -> bool {
    let mut chars = word.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if !first.is_uppercase() {
        return false;
    }
    let rest = chars.as_str();
    // An initial ("L.").
    if rest == "." {
        return true;
    }
    // An agency's or a country's acronym ("dijo a la AFP Lenore Burnley",
    // "No US forces were harmed") is no part of a name.
    let acronym = rest.chars().all(char::is_uppercase);
    !acronym
        && !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, '-' | '\'' | '’'))
        && !contains_lower(&rules.not_name_words, word)
        && !contains_lower(&rules.titles, word)
}

/// Whether the lower-case form of `word` is in `set`. Runs on every word of
/// every document, so short words are lowered into a stack buffer instead of
/// a fresh string.
fn contains_lower(set: &WordSet, word: &str) -> bool {
    if set.is_empty() || !set.may_hold_ascii_lower(word) {
        return false;
    }
    if let Some(found) = set.contains_short_lower(word) {
        return found;
    }
    if word
        .bytes()
        .all(|b| !b.is_ascii_uppercase() && b.is_ascii())
    {
        return set.contains(word);
    }
    let mut buf = [0u8; 64];
    if word.is_ascii() {
        let Some(slot) = buf.get_mut(..word.len()) else {
            return set.contains(&word.to_ascii_lowercase());
        };
        slot.copy_from_slice(word.as_bytes());
        slot.make_ascii_lowercase();
        return std::str::from_utf8(slot).is_ok_and(|lower| set.contains(lower));
    }
    let mut len = 0;
    for c in word.chars().flat_map(char::to_lowercase) {
        let n = c.len_utf8();
        let Some(slot) = buf.get_mut(len..len + n) else {
            return set.contains(&word.to_lowercase());
        };
        c.encode_utf8(slot);
        len += n;
    }
    std::str::from_utf8(&buf[..len]).is_ok_and(|lower| set.contains(lower))
}

fn is_initial(word: &str) -> bool {
    // One char before the point, read without counting the word's chars.
    word.strip_suffix('.')
        .and_then(|head| head.chars().next().map(|c| c.len_utf8() == head.len()))
        .unwrap_or(false)
}

/// A word of a run of name words, with whether it is a name word by itself
/// (`is_name_token`), read once as the run is gathered.
#[derive(Debug, Clone, Copy, Default)]
struct NameWord<'t> {
    start: usize,
    word: &'t str,
    name: bool,
}

/// Up to five name words in text order. Held on the stack: runs are read
/// around every speech verb and many commas of a page.
#[derive(Debug, Clone, Copy, Default)]
struct NameRun<'t> {
    words: [NameWord<'t>; NameRun::MAX],
    len: usize,
}

impl<'t> NameRun<'t> {
    const MAX: usize = 5;

    fn as_slice(&self) -> &[NameWord<'t>] {
        self.words.get(..self.len).unwrap_or_default()
    }

    fn len(&self) -> usize {
        self.len
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn push(&mut self, word: NameWord<'t>) {
        if let Some(slot) = self.words.get_mut(self.len) {
            *slot = word;
            self.len += 1;
        }
    }

    fn push_front(&mut self, word: NameWord<'t>) {
        if self.len < NameRun::MAX {
            self.words.copy_within(..self.len, 1);
            self.words[0] = word;
            self.len += 1;
        }
    }
}

/// Turns a run of words into a name: drops leading titles, keeps 2 to 4
/// tokens that start and end with a real name word.
fn name_from_tokens(run: &NameRun<'_>) -> Option<Range<usize>> {
    let not_name = |t: &NameWord<'_>| !t.name || is_initial(t.word);
    let mut toks = run.as_slice();
    while let Some((first, rest)) = toks.split_first()
        && not_name(first)
    {
        toks = rest;
    }
    while let Some((last, rest)) = toks.split_last()
        && not_name(last)
    {
        toks = rest;
    }
    let names = toks.iter().filter(|t| t.name).count();
    if !(2..=4).contains(&names) || toks.len() > 5 {
        return None;
    }
    let first = toks.first()?;
    let last = toks.last()?;
    Some(first.start..last.start + last.word.len())
}

/// `word` as a word of a name run, or `None` when it cannot be one: a name
/// word, or inside a run (`inner`) a particle or an initial.
fn name_word<'t>(
    rules: &LanguageRules,
    start: usize,
    word: &'t str,
    inner: bool,
) -> Option<NameWord<'t>> {
    let name = is_name_token(rules, word);
    (name || (inner && (contains_lower(&rules.particles, word) || is_initial(word))))
        .then_some(NameWord { start, word, name })
}

/// Name words running forward from `pos`, separated by single spaces,
/// after any leading titles ("Sen.", "Adm.").
fn tokens_forward<'t>(rules: &LanguageRules, text: &'t str, mut pos: usize) -> NameRun<'t> {
    let mut out = NameRun::default();
    while let Some((range, word)) = word_after(text, pos) {
        if out.is_empty() && contains_lower(&rules.titles, word) {
            pos = range.end;
            continue;
        }
        let w = if is_initial(word) {
            word
        } else {
            word.trim_end_matches('.')
        };
        if out.len() >= NameRun::MAX {
            break;
        }
        let Some(found) = name_word(rules, range.start, w, !out.is_empty()) else {
            break;
        };
        out.push(found);
        pos = range.start + w.len();
        if !text[pos..].starts_with(' ') {
            break;
        }
    }
    out
}

/// Name words running backward, ending at `pos`, separated by single spaces.
fn tokens_backward<'t>(rules: &LanguageRules, text: &'t str, mut pos: usize) -> NameRun<'t> {
    let mut out = NameRun::default();
    while let Some((start, word)) = word_before(text, pos) {
        if out.len() >= NameRun::MAX {
            break;
        }
        let Some(found) = name_word(rules, start, word, true) else {
            break;
        };
        out.push_front(found);
        pos = start;
        let head = &text[..start];
        let joined_by_space = head.ends_with(' ') && !head.ends_with("  ");
        let prev = head.trim_end().chars().next_back();
        if !joined_by_space || !prev.is_some_and(|c| c.is_alphanumeric() || c == '.') {
            break;
        }
    }
    out
}

/// Role words of an appositive (", a constitutional law professor who ...",
/// ", mother of the fisherman …"): opened by a determiner, which the role
/// leaves out, or by one of the language's `appositive_heads` followed by a
/// preposition or determiner, which the role keeps.
fn appositive(rules: &LanguageRules, text: &str, pos: usize) -> Option<(Range<usize>, String)> {
    let rest = text.get(pos..)?;
    let body = rest.strip_prefix(',')?.trim_start();
    let head = appositive_opening(rules, body)?;
    let after_head = &body[head..];
    let stop = after_head
        .find([',', '.', ';', ':', '"', '“', '”', '«', '»'])
        .unwrap_or(after_head.len());
    let mut role = &after_head[..stop];
    // The role ends where a clause or place opens. One pass over the spaces
    // (each cut starts with one) rather than a substring search per cut:
    // this runs for every speech verb of every page.
    const CUTS: [&str; 6] = [" who ", " que ", " at ", " of the ", " en ", " which "];
    if let Some(i) = role
        .bytes()
        .enumerate()
        .filter(|&(_, b)| b == b' ')
        .map(|(i, _)| i)
        .find(|&i| {
            role.get(i..)
                .is_some_and(|rest| CUTS.iter().any(|c| rest.starts_with(c)))
        })
    {
        role = &role[..i];
    }
    let role = role.trim();
    if role.is_empty() || role.split_whitespace().count() > 8 {
        return None;
    }
    let start = text.len() - rest.len();
    let body_start = text.len() - body.len();
    Some((start..body_start + head + stop, role.to_string()))
}

/// Where the role words of an appositive body start: after its determiner
/// ("the head of …"), or at its head word ("mother of …", "with the AP").
pub(crate) fn appositive_opening(rules: &LanguageRules, body: &str) -> Option<usize> {
    // `split_once(' ')`, from a vectorised byte search: asked at every comma.
    let space = memchr::memchr(b' ', body.as_bytes())?;
    let (first, rest) = (body.get(..space)?, body.get(space + 1..)?);
    if contains_lower(&rules.determiners, first) {
        return Some(first.len() + 1);
    }
    if !contains_lower(&rules.appositive_heads, first) {
        return None;
    }
    // "Ranking Member of …": a second head may follow the first.
    let mut words = rest.split_whitespace();
    let mut next = words.next()?;
    if contains_lower(&rules.appositive_heads, next) {
        next = words.next()?;
    }
    (contains_lower(&rules.prepositions, next) || contains_lower(&rules.determiners, next))
        .then_some(0)
}

fn discover_people(
    lex: &Compiled,
    rules: &LanguageRules,
    text: &str,
    mentions: &[Mention],
    quoted: &QuotedRanges,
) -> Vec<NewPerson> {
    let mut people: Vec<NewPerson> = Vec::new();
    let taken: Vec<Range<usize>> = mentions
        .iter()
        .filter(|m| m.is_agent())
        .map(|m| m.start..m.end)
        .collect();
    let overlaps = |r: &Range<usize>| taken.iter().any(|t| t.start < r.end && r.start < t.end);
    let add = |name: Range<usize>, role: Option<String>, people: &mut Vec<NewPerson>| {
        if overlaps(&name) {
            return;
        }
        let Some(full) = text.get(name) else { return };
        match people.iter_mut().find(|p| p.name == full) {
            Some(p) => {
                if p.role.is_none() {
                    p.role = role;
                }
            }
            None => people.push(NewPerson {
                name: full.to_string(),
                role,
            }),
        }
    };
    for m in mentions
        .iter()
        .filter(|m| m.verb().is_some() && !m.in_quote)
    {
        // "said Ada Samplewood, a law professor"
        let fwd = tokens_forward(rules, text, m.end);
        if let Some(name) = name_from_tokens(&fwd) {
            let role = appositive(rules, text, name.end).map(|a| a.1);
            add(name, role, &mut people);
            continue;
        }
        // "dijo el presidente de Ecuador, Daniel Noboa"
        if let Some((name, role)) = bearer_after_title(rules, text, m.end) {
            add(name, Some(role), &mut people);
            continue;
        }
        // "dijo la periodista venezolana Ronna Rísquez"
        if let Some((name, role)) = bearer_after_role_words(rules, text, m.end) {
            add(name, Some(role), &mut people);
            continue;
        }
        // "Pedro Ruiz, who said his family …": the name before the relative.
        if let Some(name) = name_before_relative(rules, text, m.start) {
            add(name, None, &mut people);
            continue;
        }
        // "Ada Samplewood said" / "Ada Samplewood, a law professor, said"
        let head = text[..m.start].trim_end();
        if head.ends_with(',') {
            let before_comma = head.len() - 1;
            if let Some(open) = text[..before_comma].rfind(',')
                && before_comma - open < 160
                && let Some((_, role)) = appositive(rules, text, open)
                && let Some(name) = name_from_tokens(&tokens_backward(rules, text, open))
            {
                add(name, Some(role), &mut people);
            } else if let Some(open) = text[..before_comma].rfind(',')
                && let Some(name) = name_from_tokens(&tokens_backward(rules, text, before_comma))
                && text
                    .get(open + 1..name.start)
                    .is_some_and(|g| g.trim().is_empty())
                && name.end == before_comma
            {
                // "Colombia's foreign minister, Rosa Villa, said": the name fills the commas.
                add(name, None, &mut people);
            }
            continue;
        }
        let back = tokens_backward(rules, text, m.start);
        if let Some(name) = name_from_tokens(&back) {
            add(name, None, &mut people);
        }
    }
    // "Tom Brown criticised the strikes, saying …": a participle's speaker
    // is the name that opens its sentence, though no speech verb is beside it.
    for m in mentions.iter().filter(|m| {
        !m.in_quote
            && m.verb()
                .and_then(|v| lex.verbs.get(v))
                .is_some_and(|v| v.participle)
    }) {
        if let Some(name) = name_opening_sentence(rules, text, m.start) {
            add(name, None, &mut people);
        }
    }
    // People the text introduces away from any speech verb, to be quoted
    // later by surname or pronoun: "Dr. Ana Ruiz, a maritime law scholar,
    // spoke by phone", "Petty Officer Jo Lind was on the cutter".
    for (name, role) in introduced_people(rules, text, quoted) {
        add(name, role, &mut people);
    }
    // "Ostrowe said", after "Rep. Daniel Ostrowe, a Republican…" told with no quote.
    for m in mentions
        .iter()
        .filter(|m| m.verb().is_some() && !m.in_quote)
    {
        let Some(lone) = lone_name(rules, text, m) else {
            continue;
        };
        if people.iter().any(|p| p.name == lone) {
            continue;
        }
        // The nearest full name before the verb: "the father, also named
        // Ana Ruiz, …" after the victim "Ana María Ruiz" was introduced.
        if let Some(name) = introduced_before(rules, text, lone, m.start) {
            let role = appositive(rules, text, name.end).map(|a| a.1);
            add(name, role, &mut people);
        }
    }
    people
}

/// The full name right before ", who" when the relative pronoun stands
/// right before `verb_start`.
fn name_before_relative(
    rules: &LanguageRules,
    text: &str,
    verb_start: usize,
) -> Option<Range<usize>> {
    let (start, w) = word_before(text, verb_start)?;
    if !contains_lower(&rules.relative_pronouns, w) {
        return None;
    }
    let comma = text.get(..start)?.trim_end();
    let comma_at = comma.strip_suffix(',')?.len();
    name_from_tokens(&tokens_backward(rules, text, comma_at)).filter(|n| n.end == comma_at)
}

/// A full name that opens the sentence holding `pos` and is followed by a
/// lower-case word, its verb ("Tom Brown criticised …").
fn name_opening_sentence(rules: &LanguageRules, text: &str, pos: usize) -> Option<Range<usize>> {
    // A participle far from its sentence's start hangs off another clause.
    const SENTENCE_BYTES: usize = 240;
    let head = text.get(..pos)?;
    let from = head.floor_char_boundary(pos.saturating_sub(SENTENCE_BYTES));
    let start = match head[from..].rfind(['.', '!', '?', '\n', '"', '”', '»']) {
        Some(i) => from + i + 1,
        None if from == 0 => 0,
        None => return None,
    };
    let name = name_from_tokens(&tokens_forward(rules, text, start))?;
    let opens = text.get(start..name.start)?.trim().is_empty();
    let next = word_after(text, name.end).map(|(_, w)| w);
    (opens && next.is_some_and(|w| w.chars().next().is_some_and(char::is_lowercase)))
        .then_some(name)
}

/// A title opened by a determiner right after a speech verb, then its
/// bearer's name after a comma: "señaló el presidente de Ecuador, Daniel
/// Noboa", "said the panel's chairman, Roger Wicker". The title is the role.
fn bearer_after_title(
    rules: &LanguageRules,
    text: &str,
    pos: usize,
) -> Option<(Range<usize>, String)> {
    // Twelve words fit well within this: no search runs to a far comma.
    const TITLE_BYTES: usize = 160;
    let rest = text.get(pos..)?;
    let near = rest.floor_char_boundary(TITLE_BYTES);
    let comma = memchr::memchr(b',', &rest.as_bytes()[..near])?;
    let title = rest.get(..comma)?.trim();
    if title.contains(['.', ';', ':', '"', '“', '”', '«', '»', '\n']) {
        return None;
    }
    let role = role_of_title(rules, title)?;
    let name = name_from_tokens(&tokens_forward(rules, text, pos + comma + 1))?;
    Some((name, role))
}

/// A determiner and lower-case role words right after a speech verb, then
/// their bearer's full name with no comma between: "dijo la periodista e
/// investigadora venezolana Ronna Rísquez", "said the retired admiral Ann
/// Vale". The words are the role.
fn bearer_after_role_words(
    rules: &LanguageRules,
    text: &str,
    pos: usize,
) -> Option<(Range<usize>, String)> {
    const ROLE_WORDS: usize = 6;
    let (first, det) = word_after(text, pos)?;
    if !contains_lower(&rules.determiners, det) {
        return None;
    }
    let mut at = first.end;
    let mut role: Vec<&str> = Vec::new();
    while let Some((range, w)) = word_after(text, at) {
        if w.chars().next().is_some_and(char::is_uppercase) {
            break;
        }
        if role.len() == ROLE_WORDS
            || !w.chars().all(char::is_alphabetic)
            || text.get(at..range.start).is_none_or(|g| g != " ")
        {
            return None;
        }
        role.push(w);
        at = range.end;
    }
    if role.is_empty() || !text.get(at..).is_some_and(|r| r.starts_with(' ')) {
        return None;
    }
    let name = name_from_tokens(&tokens_forward(rules, text, at))?;
    text.get(at..name.start)?
        .trim()
        .is_empty()
        .then(|| (name, role.join(" ")))
}

/// The role a title opened by a determiner gives ("el presidente de
/// Ecuador" → "presidente de Ecuador"), when it is short enough to be one.
fn role_of_title(rules: &LanguageRules, title: &str) -> Option<String> {
    const TITLE_WORDS: usize = 12;
    let mut words = title.split_whitespace();
    if !contains_lower(&rules.determiners, words.next()?) {
        return None;
    }
    let rest: Vec<&str> = words.collect();
    (!rest.is_empty() && rest.len() <= TITLE_WORDS).then(|| rest.join(" "))
}

/// A title that opens its clause with a determiner, then its bearer's name
/// set off by commas: "El ministro venezolano del Interior, Diosdado
/// Cabello, habló"; "The head of the command, Adm. Alvin Holsey, said".
fn bearer_of_leading_title(
    rules: &LanguageRules,
    text: &str,
    comma: usize,
) -> Option<(Range<usize>, String)> {
    // Most commas are followed by no name: look no further.
    let name_follows = text
        .get(comma + 1..)?
        .trim_start()
        .chars()
        .next()
        .is_some_and(char::is_uppercase);
    if !name_follows {
        return None;
    }
    let head = text.get(..comma)?;
    let open = head
        .rfind(['.', ';', ':', '\n', ',', '"', '“', '”', '«', '»', '(', ')'])
        .map_or(0, |i| i + 1);
    let title = head.get(open..)?.trim();
    let role = role_of_title(rules, title)?;
    // Away from a speech verb, the words must hold a title ("ministro").
    if !role
        .split_whitespace()
        .any(|w| contains_lower(&rules.titles, w) && !contains_lower(&rules.determiners, w))
    {
        return None;
    }
    let name = name_from_tokens(&tokens_forward(rules, text, comma + 1))?;
    text.get(name.end..)?
        .starts_with(',')
        .then_some((name, role))
}

/// ", 93," right after a comma: the age news pages give after a name.
fn age_follows(text: &str, comma: usize) -> bool {
    let Some(rest) = text.get(comma + 1..) else {
        return false;
    };
    let rest = rest.strip_prefix(' ').unwrap_or(rest);
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    (1..=3).contains(&digits) && rest[digits..].starts_with(',')
}

/// Full names outside quotes that a title leads or an appositive follows,
/// with the appositive's role words.
fn introduced_people(
    rules: &LanguageRules,
    text: &str,
    quoted: &QuotedRanges,
) -> Vec<(Range<usize>, Option<String>)> {
    let mut found = Vec::new();
    // Every comma of the text, read twice below: a vectorised byte search.
    let commas = || memchr::memchr_iter(b',', text.as_bytes());
    // Name, appositive: "Tobias Rendgaard, a retired captain".
    for comma in commas() {
        if quoted.contains(comma) {
            continue;
        }
        let role = match appositive(rules, text, comma) {
            Some((_, role)) => Some(role),
            // "Cecil McClean, 93, called the strike …": a name with an age.
            None if age_follows(text, comma) => None,
            None => continue,
        };
        if let Some(name) = name_from_tokens(&tokens_backward(rules, text, comma))
            && name.end == comma
        {
            found.push((name, role));
        }
    }
    // Title, name, : "El ministro venezolano del Interior, Diosdado Cabello,
    // habló el miércoles".
    for comma in commas() {
        if quoted.contains(comma) {
            continue;
        }
        if let Some((name, role)) = bearer_of_leading_title(rules, text, comma) {
            found.push((name, Some(role)));
        }
    }
    // Title, name: "Sen. Abel Varga", "la senadora Marta Villaseñor". A
    // title leads a name only when a capitalised word follows it (a chain
    // of titles is read from its last one).
    for (start, word) in words_before_capitals(text) {
        if !contains_lower(&rules.titles, word)
            || contains_lower(&rules.determiners, word)
            || quoted.contains(start)
        {
            continue;
        }
        if let Some(name) = name_from_tokens(&tokens_forward(rules, text, start)) {
            let role = appositive(rules, text, name.end).map(|a| a.1);
            found.push((name, role));
        }
    }
    found
}

/// Each word (a run of non-whitespace) whose next word starts with a
/// capital, with its byte offset. One pass that decodes only non-ASCII
/// characters: it runs over every text with a quote, and most words are
/// followed by a lower-case one.
fn words_before_capitals(text: &str) -> Vec<(usize, &str)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    // The last word read whole (whitespace after it).
    let mut previous: Option<Range<usize>> = None;
    let mut i = 0;
    while let Some((c, len)) = char_at(text, i) {
        if c.is_whitespace() {
            i += len;
            continue;
        }
        if let Some(word) = previous.take()
            && c.is_uppercase()
            && let Some(text_of) = text.get(word.clone())
        {
            out.push((word.start, text_of));
        }
        // The word runs to the next whitespace; printable ASCII, most of
        // it, is stepped over byte by byte.
        let start = i;
        i += len;
        loop {
            while bytes.get(i).is_some_and(|&b| b > b' ' && b < 0x7f) {
                i += 1;
            }
            match char_at(text, i) {
                None => return out,
                Some((c, len)) if c.is_whitespace() => {
                    previous = Some(start..i);
                    i += len;
                    break;
                }
                Some((_, len)) => i += len,
            }
        }
    }
    out
}

/// A single name word right after or right before a speech verb.
fn lone_name<'t>(rules: &LanguageRules, text: &'t str, m: &Mention) -> Option<&'t str> {
    let fwd = tokens_forward(rules, text, m.end);
    if let [NameWord { word: w, .. }] = fwd.as_slice() {
        return Some(w);
    }
    if !fwd.is_empty() {
        return None;
    }
    match tokens_backward(rules, text, m.start).as_slice() {
        [NameWord { word: w, .. }] => Some(w),
        _ => None,
    }
}

/// The last full name before `limit` that ends with the word `surname`.
fn introduced_before(
    rules: &LanguageRules,
    text: &str,
    surname: &str,
    limit: usize,
) -> Option<Range<usize>> {
    let head = text.get(..limit)?;
    // The same matches as `rmatch_indices`, last first and not overlapping,
    // from a vectorised search: this reads the whole text before the verb.
    memchr::memmem::rfind_iter(head.as_bytes(), surname.as_bytes()).find_map(|i| {
        let end = i + surname.len();
        let boundary = text
            .get(end..)
            .is_some_and(|rest| rest.chars().next().is_none_or(|c| !c.is_alphanumeric()));
        if !boundary {
            return None;
        }
        name_from_tokens(&tokens_backward(rules, text, end)).filter(|r| r.end == end)
    })
}

/// Adds mentions of new people by full name or surname.
fn add_people_mentions(
    text: &str,
    people: &[NewPerson],
    mentions: &mut Vec<Mention>,
    quoted: &QuotedRanges,
) {
    let mut patterns: Vec<String> = Vec::new();
    let mut owner: Vec<usize> = Vec::new();
    let mut seen = HashSet::new();
    for (i, p) in people.iter().enumerate() {
        let surname = p.name.rsplit(' ').next().unwrap_or(&p.name).to_string();
        for pat in [p.name.clone(), surname] {
            if seen.insert(pat.clone()) {
                patterns.push(pat);
                owner.push(i);
            }
        }
    }
    // A surname two people share (a victim and his father) names the one
    // whose full name the text gave last before it.
    let full_names: Vec<(usize, usize)> = {
        let mut at: Vec<(usize, usize)> = people
            .iter()
            .enumerate()
            .flat_map(|(i, p)| occurrences(text, &p.name).into_iter().map(move |s| (s, i)))
            .collect();
        at.sort_unstable();
        at
    };
    let surname_of = |i: usize| people.get(i).and_then(|p| p.name.rsplit(' ').next());
    let nearest_owner = |hit: usize, default: usize| {
        let Some(surname) = surname_of(default) else {
            return default;
        };
        full_names
            .iter()
            .take_while(|(s, _)| *s <= hit)
            .filter(|(_, i)| surname_of(*i) == Some(surname))
            .last()
            .map_or(default, |&(_, i)| i)
    };
    // A document names few new people: searching each pattern directly is far
    // cheaper than building an automaton per document. Hits are then taken
    // leftmost first, longest first, without overlaps.
    let mut hits: Vec<(usize, usize, usize)> = Vec::new();
    for (pi, pat) in patterns.iter().enumerate() {
        if pat.is_empty() {
            continue;
        }
        hits.extend(
            occurrences(text, pat)
                .into_iter()
                .map(|s| (s, s + pat.len(), pi)),
        );
    }
    hits.sort_by_key(|&(s, e, pi)| (s, std::cmp::Reverse(e), pi));
    let taken: Vec<Range<usize>> = mentions.iter().map(|m| m.start..m.end).collect();
    let mut added = Vec::new();
    let mut covered_to = 0;
    for (s, e, pi) in hits {
        if s < covered_to {
            continue;
        }
        covered_to = e;
        if !is_word_bounded(text, s, e) || taken.iter().any(|t| t.start < e && s < t.end) {
            continue;
        }
        added.push(Mention {
            start: s,
            end: e,
            kind: MentionKind::NewPerson(nearest_owner(s, owner[pi])),
            in_quote: quoted.contains(s),
            prepositional: false,
        });
    }
    mentions.extend(added);
    mentions.sort_by_key(|m| (m.start, m.end));
}

/// Gender of whoever a person mention names.
pub(crate) fn gender_of(lex: &Compiled, kind: MentionKind) -> Gender {
    match kind {
        MentionKind::Word(AgentWord::Actor(i)) => {
            lex.actors.get(i).map_or(Gender::Unknown, |a| a.gender)
        }
        _ => Gender::Unknown,
    }
}

#[cfg(test)]
mod word_set_tests {
    use super::{WordSet, contains_lower, words_before_capitals};

    #[test]
    fn words_before_capitals_pair_each_word_with_the_next() {
        let text = "la senadora  Marta Villaseñor dijo\u{a0}Él  sen.\nÁngel Ruiz\t";
        let words: Vec<(usize, &str)> = words_before_capitals(text);
        let expected: Vec<(usize, &str)> = ["senadora", "Marta", "dijo", "sen.", "Ángel"]
            .iter()
            .map(|w| (text.find(w).unwrap_or(usize::MAX), *w))
            .collect();
        assert_eq!(words, expected);
        assert!(words_before_capitals("").is_empty());
        assert!(words_before_capitals("Sen.").is_empty());
    }

    /// `words_before_capitals`' definition, one char at a time.
    fn words_before_capitals_char_by_char(text: &str) -> Vec<(usize, &str)> {
        let mut out = Vec::new();
        let mut word_start: Option<usize> = None;
        let mut previous: Option<std::ops::Range<usize>> = None;
        for (i, c) in text.char_indices() {
            if c.is_whitespace() {
                if let Some(start) = word_start.take() {
                    previous = Some(start..i);
                }
            } else if word_start.is_none() {
                word_start = Some(i);
                if let Some(word) = previous.take()
                    && c.is_uppercase()
                {
                    out.push((word.start, &text[word]));
                }
            }
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn words_before_capitals_reads_as_char_by_char(
            text in "[a-zA-Z .,\\n\\t\\x00-\\x20\\x7f\u{a0}\u{85}\u{2028}ÉéÁñ—]{0,60}"
        ) {
            proptest::prop_assert_eq!(
                words_before_capitals(&text),
                words_before_capitals_char_by_char(&text)
            );
        }
    }

    #[test]
    fn contains_lower_ignores_case_in_ascii_and_accented_words() {
        let set: WordSet = ["sen.", "señora", "ministro"]
            .iter()
            .map(|w| w.to_string())
            .collect();
        assert!(contains_lower(&set, "Sen."));
        assert!(contains_lower(&set, "SEÑORA"));
        assert!(contains_lower(&set, "ministro"));
        assert!(!contains_lower(&set, "Ministra"));
        // Screened out by first byte or by length alone.
        assert!(!contains_lower(&set, "Ten."));
        assert!(!contains_lower(&set, "Se."));
        assert!(contains_lower(&set, "SEN."));
        let long = "X".repeat(100);
        assert!(!contains_lower(&set, &long));
    }
}
