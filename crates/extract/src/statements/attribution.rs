//! Deciding who speaks a quote: the attributing words after the quote
//! ("...," Hegseth wrote), before it in the same sentence (Hegseth said,
//! "..."; according to Hegseth), at the end of the sentence ("...", it said),
//! or the speaker of the previous quote in the same paragraph. Pronouns and
//! generic roles resolve to the person the text last spoke of.

// A statement's context is a list of ranges; one-range lists are intended.
#![allow(clippy::single_range_in_vec_init)]

use std::ops::Range;

use chrono::NaiveDate;

use super::lexicon::{
    ActorKind, AgentWord, Compiled, Gender, LanguageRules, PronounKind, SubjectSide,
};
use super::mentions::{Mention, MentionKind, NewPerson, gender_of};
use super::quotes::Quote;
use super::text::{Layout, word_after, word_before, word_count};

/// Relative pronouns that open a clause about the noun before them.
/// How many mentions back a generic role ("the secretary") may reach.
const ROLE_LOOKBACK: usize = 200;

/// How many paragraphs back "the command" or "it" may find its organisation:
/// reports name the command once and refer to it for several paragraphs.
const ORGANISATION_PARAGRAPHS: usize = 5;

/// A resolved speaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Who {
    Actor(usize),
    New(usize),
}

/// A found attribution.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub who: Who,
    /// The attributing words (subject and verb).
    pub span: Range<usize>,
    /// The speech verb, when there is one.
    pub verb: Option<usize>,
    pub verb_at: Option<Range<usize>>,
    /// Text outside the quote where channel and day words may stand.
    pub context: Vec<Range<usize>>,
    /// Names of the rules that found the speaker (`speaker:named`,
    /// `speaker:organisation_anaphor`, `layout:next_paragraph`…).
    pub cues: Vec<&'static str>,
}

impl Found {
    /// The same speaker carried to another quote by a layout rule.
    pub fn carried(&self, cue: &'static str) -> Found {
        let mut found = self.clone();
        if !found.cues.contains(&cue) {
            found.cues.push(cue);
        }
        found
    }
}

#[derive(Debug, Clone)]
pub(crate) enum Decision {
    Speaker(Found),
    /// The text names a speaker that is not a named person.
    Reject,
    Undecided,
}

/// What one document offers attribution.
pub(crate) struct Doc<'a> {
    pub lex: &'a Compiled,
    pub rules: &'a LanguageRules,
    pub text: &'a str,
    pub layout: &'a Layout,
    pub mentions: &'a [Mention],
    pub people: &'a [NewPerson],
    pub abbreviations: &'a std::collections::HashSet<String>,
    pub date: Option<NaiveDate>,
    /// Speakers of statements found so far, by sentence index.
    pub speakers: Vec<(usize, Who)>,
}

enum Resolved {
    /// A named speaker (person or organisation), and the rule that found it.
    Person(Who, &'static str),
    NotPerson,
    Unknown,
}

impl Doc<'_> {
    fn role_of(&self, who: Who) -> Option<String> {
        match who {
            Who::Actor(i) => self
                .lex
                .actors
                .get(i)
                .and_then(|a| a.role_on(self.date))
                .map(str::to_lowercase),
            Who::New(i) => self
                .people
                .get(i)
                .and_then(|p| p.role.clone())
                .map(|r| r.to_lowercase()),
        }
    }

    pub fn is_organisation(&self, who: Who) -> bool {
        match who {
            Who::Actor(i) => self
                .lex
                .actors
                .get(i)
                .is_some_and(|a| a.kind == ActorKind::Organisation),
            Who::New(_) => false,
        }
    }

    /// `speaker:named` when the mention spells the canonical name (or a
    /// new person's full name), else `speaker:alias` (a surname, a title).
    fn naming_cue(&self, m: &Mention) -> &'static str {
        let said = self.text.get(m.start..m.end).unwrap_or("");
        let full = match m.kind {
            MentionKind::Word(AgentWord::Actor(i)) => {
                self.lex.actors.get(i).map(|a| a.name.as_str())
            }
            MentionKind::NewPerson(i) => self.people.get(i).map(|p| p.name.as_str()),
            _ => None,
        };
        let named = full.is_some_and(|full| {
            said.eq_ignore_ascii_case(full) || (said.len() > full.len() && said.contains(full))
        }) || self.is_full_organisation_name(m, said);
        if named {
            "speaker:named"
        } else {
            "speaker:alias"
        }
    }

    /// An organisation's name in words of its own ("Southern Command",
    /// "el Comando Sur"), not an acronym, a handle or "the Pentagon".
    fn is_full_organisation_name(&self, m: &Mention, said: &str) -> bool {
        let MentionKind::Word(AgentWord::Actor(i)) = m.kind else {
            return false;
        };
        if !self.is_organisation(Who::Actor(i)) {
            return false;
        }
        let words = said
            .split_whitespace()
            .filter(|w| !self.rules.determiners.contains(&w.to_lowercase()))
            .count();
        words >= 2
    }

    fn gender(&self, who: Who) -> Gender {
        match who {
            Who::Actor(i) => gender_of(self.lex, MentionKind::Word(AgentWord::Actor(i))),
            Who::New(_) => Gender::Unknown,
        }
    }

    /// What a mention refers to; roles and pronouns look back from it.
    fn resolve(&self, index: usize) -> Resolved {
        let m = &self.mentions[index];
        match m.kind {
            MentionKind::Word(AgentWord::Actor(i)) => {
                Resolved::Person(Who::Actor(i), self.naming_cue(m))
            }
            MentionKind::NewPerson(i) => Resolved::Person(Who::New(i), self.naming_cue(m)),
            MentionKind::Word(AgentWord::RoleRef(r)) => match self.resolve_role(r, index) {
                Some(who) => Resolved::Person(who, "speaker:role_reference"),
                None => Resolved::NotPerson,
            },
            MentionKind::Word(AgentWord::OrganisationRef(r)) => {
                match self
                    .owner_of(index)
                    .or_else(|| self.author_quoted_before(index, r))
                    .or_else(|| self.previous_organisation(index, r))
                {
                    Some(who) => Resolved::Person(who, "speaker:organisation_anaphor"),
                    None => Resolved::NotPerson,
                }
            }
            MentionKind::Word(AgentWord::Pronoun(PronounKind::Other)) => {
                match self.organisation_just_quoted(m.start) {
                    Some(who) => Resolved::Person(who, "speaker:organisation_anaphor"),
                    None => Resolved::NotPerson,
                }
            }
            MentionKind::Word(AgentWord::Pronoun(PronounKind::Organisation)) => {
                match self.previous_organisation(index, usize::MAX) {
                    Some(who) => Resolved::Person(who, "speaker:organisation_anaphor"),
                    None => Resolved::NotPerson,
                }
            }
            MentionKind::Word(AgentWord::Pronoun(kind)) => {
                let gender = if kind == PronounKind::Male {
                    Gender::Male
                } else {
                    Gender::Female
                };
                match self.previous_speaker(m.start, Some(gender)) {
                    Some(who) => Resolved::Person(who, "speaker:pronoun"),
                    None => Resolved::NotPerson,
                }
            }
            MentionKind::Word(AgentWord::NonPerson) => Resolved::NotPerson,
            MentionKind::Word(AgentWord::Spokesperson) => match self.organisation_spoken_for(index)
            {
                Some(who) => Resolved::Person(who, "speaker:spokesperson_of_organisation"),
                None => Resolved::NotPerson,
            },
            MentionKind::Word(AgentWord::Verb(_)) => Resolved::Unknown,
        }
    }

    /// The last person mentioned before mention `index` whose role matches.
    fn resolve_role(&self, role_ref: usize, index: usize) -> Option<Who> {
        let wanted = &self.lex.role_refs.get(role_ref)?.role_contains;
        if wanted.is_empty() {
            return self.only_person_before(index);
        }
        // Look back a bounded number of mentions so long texts stay linear.
        self.mentions[index.saturating_sub(ROLE_LOOKBACK)..index]
            .iter()
            .rev()
            .filter(|m| !m.in_quote)
            .find_map(|m| {
                let who = match m.kind {
                    MentionKind::Word(AgentWord::Actor(i)) => Who::Actor(i),
                    MentionKind::NewPerson(i) => Who::New(i),
                    _ => return None,
                };
                let role = self.role_of(who)?;
                wanted
                    .iter()
                    .any(|w| role.contains(w.as_str()))
                    .then_some(who)
            })
    }

    /// A title with no role of its own ("el funcionario", "advirtió el
    /// líder chavista") refers back only when one person alone was named
    /// shortly before: with two ("la funcionaria" after Delcy and Jorge
    /// Rodríguez) it could be either.
    fn only_person_before(&self, index: usize) -> Option<Who> {
        // About two sentences of news copy.
        const WINDOW_BYTES: usize = 500;
        let from = self.mentions[index].start.saturating_sub(WINDOW_BYTES);
        let mut found: Option<Who> = None;
        for m in self.mentions[index.saturating_sub(ROLE_LOOKBACK)..index]
            .iter()
            .filter(|m| !m.in_quote && m.start >= from)
        {
            let who = match m.kind {
                MentionKind::Word(AgentWord::Actor(i)) => Who::Actor(i),
                MentionKind::NewPerson(i) => Who::New(i),
                _ => continue,
            };
            if self.is_organisation(who) {
                continue;
            }
            match found {
                Some(f) if f != who => return None,
                _ => found = Some(who),
            }
        }
        found
    }

    /// The organisation an unnamed spokesperson speaks for, named right
    /// beside them: "a spokesman for the Navy", "un portavoz del Comando
    /// Sur", "Southern Command's spokeswoman", or as a modifier, "a Pentagon
    /// spokesperson". A person so named ("a Trump spokesman") is not the
    /// speaker: the spokesperson stays unnamed.
    fn organisation_spoken_for(&self, index: usize) -> Option<Who> {
        let m = &self.mentions[index];
        let modifier = index
            .checked_sub(1)
            .and_then(|i| self.mentions.get(i))
            .filter(|before| !before.in_quote && self.text.get(before.end..m.start) == Some(" "))
            .and_then(|before| match before.kind {
                MentionKind::Word(AgentWord::Actor(i)) => Some(Who::Actor(i)),
                _ => None,
            });
        modifier
            .or_else(|| self.owner_of(index))
            .filter(|who| self.is_organisation(*who))
    }

    /// Whose post or statement a reference names: "Southern Command's post",
    /// "the statement from the Pentagon", "la publicación del Comando Sur".
    fn owner_of(&self, index: usize) -> Option<Who> {
        let m = &self.mentions[index];
        let named = |n: &Mention| match n.kind {
            MentionKind::Word(AgentWord::Actor(i)) => Some(Who::Actor(i)),
            MentionKind::NewPerson(i) => Some(Who::New(i)),
            _ => None,
        };
        if let Some(before) = index.checked_sub(1).and_then(|i| self.mentions.get(i))
            && self
                .text
                .get(before.end..m.start)
                .is_some_and(|g| matches!(g, "'s " | "’s "))
        {
            return named(before);
        }
        let after = self.mentions.get(index + 1)?;
        let gap = self.text.get(m.end..after.start)?;
        let linking = gap.split_whitespace().all(|w| {
            let w = w.to_lowercase();
            self.rules.prepositions.contains(&w) || self.rules.determiners.contains(&w)
        });
        (linking && (1..=2).contains(&word_count(gap)) && !after.in_quote)
            .then(|| named(after))
            .flatten()
    }

    /// For "the post" and "el comunicado": the speaker of the statement in
    /// this paragraph or the one before, person or organisation.
    fn author_quoted_before(&self, index: usize, reference: usize) -> Option<Who> {
        let wanted = self.lex.organisation_refs.get(reference)?;
        if !wanted.last_speaker {
            return None;
        }
        let current = self.layout.sentence_at(self.mentions[index].start)?;
        let para = self.layout.sentence_paragraph[current];
        let &(s, who) = self.speakers.last()?;
        let spoke_in = *self.layout.sentence_paragraph.get(s)?;
        (s <= current && para - spoke_in <= 1).then_some(who)
    }

    /// The organisation an anaphor at mention `index` refers to: the nearer
    /// of the last organisation quoted and the last organisation named
    /// within a few paragraphs. `reference` indexes the organisation
    /// references ("the command" wants a command); `usize::MAX` takes any.
    fn previous_organisation(&self, index: usize, reference: usize) -> Option<Who> {
        let wanted: &[String] = self
            .lex
            .organisation_refs
            .get(reference)
            .map_or(&[], |r| r.name_contains.as_slice());
        let qualifies = |who: Who| match who {
            Who::Actor(i) => self.lex.actors.get(i).is_some_and(|a| {
                a.kind == ActorKind::Organisation
                    && (wanted.is_empty() || {
                        let name = a.name.to_lowercase();
                        wanted.iter().any(|w| name.contains(w.as_str()))
                    })
            }),
            Who::New(_) => false,
        };
        let pos = self.mentions[index].start;
        let current = self.layout.sentence_at(pos)?;
        let para = self.layout.sentence_paragraph[current];
        let near = |s: usize| {
            self.layout
                .sentence_paragraph
                .get(s)
                .is_some_and(|&p| p <= para && para - p <= ORGANISATION_PARAGRAPHS)
        };
        let quoted = self
            .speakers
            .iter()
            .rev()
            .find(|(s, who)| *s <= current && near(*s) && qualifies(*who))
            .copied();
        // A body named after "by" is taken only when no other one is near
        // ("bombardeada por el Comando Sur … indicó la dependencia").
        let from = index.saturating_sub(ROLE_LOOKBACK);
        let named_where = |skip_agents: bool| {
            self.mentions[from..index]
                .iter()
                .enumerate()
                .rev()
                .filter(|(_, m)| !m.in_quote && (!skip_agents || !self.after_agent_preposition(m)))
                .find_map(|(j, m)| match m.kind {
                    MentionKind::Word(AgentWord::Actor(i)) if qualifies(Who::Actor(i)) => {
                        let who = self
                            .reporting_organisation(from + j)
                            .filter(|w| qualifies(*w))
                            .unwrap_or(Who::Actor(i));
                        self.layout.sentence_at(m.start).map(|s| (s, who))
                    }
                    _ => None,
                })
                .filter(|(s, _)| near(*s))
        };
        let named = named_where(true).or_else(|| named_where(false));
        match (quoted, named) {
            (Some(q), Some(n)) => Some(if n.0 > q.0 { n.1 } else { q.1 }),
            (q, n) => q.or(n).map(|x| x.1),
        }
    }

    /// The organisation whose speech verb reports the clause that names
    /// mention `index`: in "The command said Joint Task Force Southern Spear
    /// carried out the strike", the task force is only what the command
    /// told, and a later "it said" is the command again.
    fn reporting_organisation(&self, index: usize) -> Option<Who> {
        let m = &self.mentions[index];
        let sentence = self.layout.sentence_at(m.start)?;
        let sentence_start = self.layout.sentences.get(sentence)?.start;
        self.mentions_in(sentence_start..m.start)
            .filter(|(_, v)| v.verb().is_some() && !v.in_quote)
            .find_map(|(verb, _)| {
                let subject = self.mentions.get(verb.checked_sub(1)?)?;
                if subject.in_quote || subject.start < sentence_start {
                    return None;
                }
                let who = match subject.kind {
                    MentionKind::Word(AgentWord::Actor(i)) => Who::Actor(i),
                    MentionKind::Word(AgentWord::OrganisationRef(_)) => {
                        match self.resolve(verb - 1) {
                            Resolved::Person(who, _) => who,
                            _ => return None,
                        }
                    }
                    _ => return None,
                };
                self.is_organisation(who).then_some(who)
            })
    }

    /// The person a pronoun (or a verb without subject) at `pos` refers to:
    /// the speaker or first person named in this sentence before `pos`, or
    /// in one of the three sentences before it within the previous paragraph.
    pub fn previous_speaker(&self, pos: usize, gender: Option<Gender>) -> Option<Who> {
        let fits = |who: Who| match (gender, self.gender(who)) {
            (Some(_), _) if self.is_organisation(who) => false,
            (None, _) | (_, Gender::Unknown) => true,
            (Some(want), got) => want == got,
        };
        let current = self.layout.sentence_at(pos)?;
        let para = self.layout.sentence_paragraph[current];
        for s in (current.saturating_sub(3)..=current).rev() {
            if para - self.layout.sentence_paragraph[s] > 1 {
                break;
            }
            if let Some(&(_, who)) = self
                .speakers
                .iter()
                .rev()
                .find(|(si, w)| *si == s && fits(*w))
            {
                return Some(who);
            }
            let range = &self.layout.sentences[s];
            let limit = if s == current { pos } else { range.end };
            for (i, m) in self.mentions_in(range.start..limit) {
                if m.in_quote || m.prepositional || self.possessive(m) || self.names_an_office(m) {
                    continue;
                }
                let who = match m.kind {
                    MentionKind::Word(AgentWord::Actor(a)) => Who::Actor(a),
                    MentionKind::NewPerson(p) => Who::New(p),
                    // "El presidente Gustavo Petro": a title before the name it heads.
                    MentionKind::Word(AgentWord::RoleRef(_)) if self.heads_a_name(i) => continue,
                    MentionKind::Word(AgentWord::RoleRef(r)) => match self.resolve_role(r, i) {
                        Some(w) => w,
                        None => continue,
                    },
                    // "La dependencia afirmó …. «…», precisó."
                    MentionKind::Word(AgentWord::OrganisationRef(r)) => {
                        match self
                            .owner_of(i)
                            .or_else(|| self.previous_organisation(i, r))
                        {
                            Some(w) => w,
                            None => continue,
                        }
                    }
                    _ => continue,
                };
                if fits(who) {
                    return Some(who);
                }
            }
        }
        if gender.is_none() {
            return self.last_speaker_unbroken(pos);
        }
        self.last_named_unbroken(pos, gender)
    }

    /// "Hegseth posted a video of the strike.¶ Sign up to our newsletter.¶
    /// …¶ “…,” he wrote on X.": page furniture between a name and its
    /// pronoun names nobody. The last person named within a few paragraphs
    /// is taken when no one else is named since and the gender fits.
    fn last_named_unbroken(&self, pos: usize, gender: Option<Gender>) -> Option<Who> {
        const PARAGRAPHS: usize = 4;
        let current = self.layout.sentence_at(pos)?;
        let para = self.layout.sentence_paragraph[current];
        let first_para = para.saturating_sub(PARAGRAPHS);
        let from = self.layout.paragraphs.get(first_para)?.start;
        let (_, m) = self
            .mentions_in(from..pos)
            .filter(|(_, m)| m.is_agent() && !m.in_quote)
            .last()?;
        if m.prepositional || self.possessive(m) {
            return None;
        }
        let who = match m.kind {
            MentionKind::Word(AgentWord::Actor(a)) => Who::Actor(a),
            MentionKind::NewPerson(p) => Who::New(p),
            _ => return None,
        };
        let fits = match (gender, self.gender(who)) {
            _ if self.is_organisation(who) => false,
            (None, _) | (_, Gender::Unknown) => true,
            (Some(want), got) => want == got,
        };
        fits.then_some(who)
    }

    /// "It said the operation was executed by Joint Task Force Southern
    /// Spear. “…,” it said.": the body after "by" did the deed; the one
    /// speaking is named elsewhere.
    fn after_agent_preposition(&self, m: &Mention) -> bool {
        word_before(self.text, m.start)
            .is_some_and(|(_, w)| self.rules.agent_prepositions.contains(&w.to_lowercase()))
    }

    /// "Joseph's great-uncle, Cecil McClean, … he said": a name in the
    /// possessive names someone else's relative or office, never the one a
    /// later pronoun refers to.
    fn possessive(&self, m: &Mention) -> bool {
        self.text
            .get(m.end..)
            .is_some_and(|rest| rest.starts_with("'s") || rest.starts_with("’s"))
    }

    /// "…,” the Southern Command said in a post. They added that …": a
    /// plural pronoun opening the sentence right after an organisation's
    /// quote is that organisation; anywhere else it names a group nobody
    /// can attribute.
    fn organisation_just_quoted(&self, pos: usize) -> Option<Who> {
        let current = self.layout.sentence_at(pos)?;
        let &(s, who) = self.speakers.last()?;
        (s + 1 == current && self.is_organisation(who)).then_some(who)
    }

    /// A dropped subject across sentences that name nobody: "«A», dijo el
    /// comando. Agregó que …. «B», puntualizó." The last speaker goes on
    /// while no one else is named, for a few paragraphs.
    fn last_speaker_unbroken(&self, pos: usize) -> Option<Who> {
        const PARAGRAPHS: usize = 3;
        let current = self.layout.sentence_at(pos)?;
        let para = self.layout.sentence_paragraph[current];
        let &(s, who) = self.speakers.last()?;
        let spoke_in = *self.layout.sentence_paragraph.get(s)?;
        if s > current || para - spoke_in > PARAGRAPHS {
            return None;
        }
        let from = self.layout.sentences.get(s)?.end;
        let named_since = self
            .mentions_in(from..pos)
            .any(|(_, m)| m.is_agent() && !m.in_quote);
        (!named_since).then_some(who)
    }

    /// [`Self::decide`] for a speaker found by the page's layout rather than
    /// by a verb beside the quote; the layout's cue is added to the reading.
    fn decide_by_layout(&self, index: usize, context: Range<usize>, cue: &'static str) -> Decision {
        match self.decide(index, None, vec![context]) {
            Decision::Speaker(mut found) => {
                found.cues.push(cue);
                Decision::Speaker(found)
            }
            _ => Decision::Undecided,
        }
    }

    fn decide(&self, index: usize, verb: Option<usize>, context: Vec<Range<usize>>) -> Decision {
        let m = &self.mentions[index];
        match self.resolve(index) {
            Resolved::Person(who, cue) => {
                let verb_at = verb.map(|v| self.mentions[v].start..self.mentions[v].end);
                let (start, end) = match &verb_at {
                    Some(v) => (m.start.min(v.start), m.end.max(v.end)),
                    None => (m.start, m.end),
                };
                Decision::Speaker(Found {
                    who,
                    span: start..end,
                    verb: verb.and_then(|v| self.mentions[v].verb()),
                    verb_at,
                    context,
                    cues: vec![cue],
                })
            }
            Resolved::NotPerson => Decision::Reject,
            Resolved::Unknown => Decision::Undecided,
        }
    }

    /// The speaker standing before verb mention `verb`, no earlier than `limit`.
    fn subject_before(
        &self,
        verb: usize,
        limit: usize,
        participle: bool,
        context: &[Range<usize>],
    ) -> Decision {
        let is_participle = self.verb_info(verb).is_some_and(|i| i.participle);
        if is_participle && let Some(d) = self.participle_subject(verb, limit, context) {
            return d;
        }
        let appositive = self.appositive_before(self.mentions[verb].start);
        // "denied the report and said": the report is the first verb's
        // object; the subject stands before the first verb.
        let from = self.coordinated_verb(verb, limit).unwrap_or(verb);
        for i in (0..from).rev() {
            let m = &self.mentions[i];
            if m.start < limit {
                break;
            }
            if m.in_quote || appositive.as_ref().is_some_and(|a| a.contains(&m.start)) {
                continue;
            }
            if m.verb().is_some() {
                if participle
                    || self.coordinated(m.end, self.mentions[verb].start)
                    || self.nominal(m)
                {
                    continue;
                }
                return Decision::Undecided;
            }
            if m.prepositional && !self.after_source_preposition(m) {
                continue;
            }
            if self.is_possessive(m) || self.names_an_office(m) {
                // "Donovan's spokesman said": the spokesman speaks, not Donovan;
                // "la administración Trump afirma": an office, not Trump.
                return Decision::Reject;
            }
            // Measured from the first of coordinated verbs: in "X declared A
            // and declared B", X stands before both and is their subject.
            let subject = self.object_before_conjunction(i, from, limit).unwrap_or(i);
            return self.decide(subject, Some(verb), context.to_vec());
        }
        Decision::Undecided
    }

    /// A participle hangs off its sentence's main clause ("Rubio sent a
    /// letter to Sen. Risch stating …", "Kolvet had defended Hegseth,
    /// writing …"): its speaker is that clause's subject, the first one
    /// named, not the nearest name, which is an object.
    fn participle_subject(
        &self,
        verb: usize,
        limit: usize,
        context: &[Range<usize>],
    ) -> Option<Decision> {
        let verb_start = self.mentions[verb].start;
        let sentence_start = self
            .layout
            .sentence_at(verb_start)
            .map_or(limit, |s| self.layout.sentences[s].start.max(limit));
        let (mut i, mut m) = self
            .mentions_in(sentence_start..verb_start)
            .find(|(_, m)| m.is_agent() && !m.in_quote && !m.prepositional)?;
        if self.is_possessive(m) || self.names_an_office(m) {
            return None;
        }
        // "el presidente Gustavo Petro": the title heads the name that speaks.
        if matches!(m.kind, MentionKind::Word(AgentWord::RoleRef(_))) && self.heads_a_name(i) {
            i += 1;
            m = self.mentions.get(i)?;
        }
        // "with Sen. Rand Paul saying …": the name after "with" is the
        // participle's own subject.
        let nearest = self
            .mentions_in(sentence_start..verb_start)
            .filter(|(_, m)| m.is_agent() && !m.in_quote)
            .last()
            .map(|(_, m)| m.start);
        if nearest.is_some_and(|n| self.after_absolute_preposition(n)) {
            return None;
        }
        // The subject opens the sentence: only titles, articles or an opening
        // phrase before it.
        let lead = self
            .text
            .get(self.opening_phrase_end(sentence_start..verb_start)..m.start)?;
        let opens = lead.split_whitespace().all(|w| {
            let lower = w.to_lowercase();
            w.chars().next().is_some_and(char::is_uppercase)
                || self.rules.titles.contains(&lower)
                || self.rules.determiners.contains(&lower)
                || self.rules.prepositions.contains(&lower)
        });
        if opens {
            return Some(self.decide(i, Some(verb), context.to_vec()));
        }
        // "Turning Point USA's Andrew Kolvet had defended Hegseth, writing":
        // a name the lexicon does not know is the subject, and the name
        // found is the object. Nobody known speaks.
        if lead.contains(['"', '“', '”', '«', '»']) {
            return None;
        }
        let words: Vec<&str> = lead.split_whitespace().collect();
        let capitalised = |w: &str| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().all(|c| c.is_alphabetic() || c == '-')
                && !w.chars().all(char::is_uppercase)
                && !self.rules.titles.contains(&w.to_lowercase())
                && !self.rules.not_name_words.contains(&w.to_lowercase())
        };
        // Two name words, then a lower-case word: the clause's verb.
        let unknown_name = words.windows(3).any(|w| {
            capitalised(w[0])
                && capitalised(w[1])
                && w[2].chars().all(|c| c.is_alphabetic() && c.is_lowercase())
        });
        unknown_name.then_some(Decision::Reject)
    }

    /// "Desde el Comando Sur aseguran que …": the body after a source
    /// preposition (the language's `source_prepositions`, an article may
    /// sit between) is the speaker of a plural verb with no other subject.
    fn after_source_preposition(&self, m: &Mention) -> bool {
        let Some((start, w)) = word_before(self.text, m.start) else {
            return false;
        };
        let lower = w.to_lowercase();
        if self.rules.source_prepositions.contains(&lower) {
            return true;
        }
        self.rules.determiners.contains(&lower)
            && word_before(self.text, start)
                .is_some_and(|(_, p)| self.rules.source_prepositions.contains(&p.to_lowercase()))
    }

    /// The name at `start` follows "with" (titles may sit between): "with
    /// Sen. Rand Paul saying", "con el senador X diciendo".
    fn after_absolute_preposition(&self, start: usize) -> bool {
        const TITLES_BACK: usize = 3;
        let mut pos = start;
        for _ in 0..=TITLES_BACK {
            let Some((s, w)) = word_before(self.text, pos) else {
                return false;
            };
            let lower = w.to_lowercase();
            if self.rules.absolute_prepositions.contains(&lower) {
                return true;
            }
            if !(self.rules.titles.contains(&lower) || self.rules.determiners.contains(&lower)) {
                return false;
            }
            pos = s;
        }
        false
    }

    /// "Kaine questioned Hegseth and later said": a mention followed by a
    /// conjunction joining the speech verb is the object of an earlier
    /// verb; the subject is the first speaker named in the clause before it.
    fn object_before_conjunction(&self, index: usize, verb: usize, limit: usize) -> Option<usize> {
        let m = &self.mentions[index];
        if !self.coordinated(m.end, self.mentions[verb].start) {
            return None;
        }
        let sentence_start = self
            .layout
            .sentence_at(m.start)
            .map_or(limit, |s| self.layout.sentences[s].start.max(limit));
        self.mentions_in(sentence_start..m.start)
            .find(|(_, c)| c.is_agent() && !c.in_quote && !c.prepositional)
            .map(|(j, _)| j)
    }

    /// The speaker named after verb mention `verb`, before `limit`: a person
    /// anywhere in that phrase wins ("said Pentagon spokesperson Kingsley
    /// Wilson"); only non-persons there is a rejection.
    fn subject_after(&self, verb: usize, limit: usize, context: &[Range<usize>]) -> Decision {
        let verb_end = self.mentions[verb].end;
        let mut saw_non_person = false;
        let mut organisation: Option<Found> = None;
        for i in verb + 1..self.mentions.len() {
            let m = &self.mentions[i];
            if m.start >= limit {
                break;
            }
            if m.in_quote {
                continue;
            }
            if m.verb().is_some() {
                break;
            }
            let right_after = self
                .text
                .get(verb_end..m.start)
                .is_some_and(|g| word_count(g) <= 1);
            // "said in the statement": a post or statement after a
            // preposition is the channel, not the speaker.
            let channel_word = matches!(m.kind, MentionKind::Word(AgentWord::OrganisationRef(_)));
            // "de acuerdo con el reporte", "according to the statement": the
            // preposition belongs to the verb, and what follows is its subject.
            let verb_owns_preposition = right_after && self.ends_in_preposition(verb);
            if m.prepositional && !verb_owns_preposition && (!right_after || channel_word) {
                continue;
            }
            if self.is_possessive(m) || self.names_an_office(m) {
                saw_non_person = true;
                continue;
            }
            match self.decide(i, Some(verb), context.to_vec()) {
                // "said Pentagon spokesperson Kingsley Wilson": the person
                // later in the phrase speaks, not the organisation before.
                Decision::Speaker(f) if self.is_organisation(f.who) => {
                    organisation.get_or_insert(f);
                }
                Decision::Speaker(f) => return Decision::Speaker(f),
                Decision::Reject => saw_non_person = true,
                Decision::Undecided => {}
            }
        }
        match organisation {
            // "said a Southern Command spokesperson": an unnamed person speaks.
            Some(_) if saw_non_person => Decision::Reject,
            Some(f) => Decision::Speaker(f),
            None if saw_non_person => Decision::Reject,
            None => Decision::Undecided,
        }
    }

    /// The attributing phrase at mention `verb` ends in a preposition ("de
    /// acuerdo con", "according to").
    fn ends_in_preposition(&self, verb: usize) -> bool {
        let m = &self.mentions[verb];
        self.text
            .get(m.start..m.end)
            .and_then(|v| v.split_whitespace().next_back())
            .is_some_and(|w| self.rules.prepositions.contains(&w.to_lowercase()))
    }

    /// The appositive between commas right before a verb: "Lopez, a member
    /// of the Armed Services Committee, said", "Dill, the chief of incident
    /// management for the Coast Guard's district in Alameda, California,
    /// said" — the committee and the Coast Guard do not speak.
    fn appositive_before(&self, verb_start: usize) -> Option<Range<usize>> {
        const COMMAS_BACK: usize = 3;
        const WORDS: usize = 25;
        let head = self.text.get(..verb_start)?.trim_end();
        let close = head.strip_suffix(',')?.len();
        let mut end = close;
        for _ in 0..COMMAS_BACK {
            let open = head.get(..end)?.rfind(',')?;
            let inner = self.text.get(open + 1..close)?;
            if self.has_break(open + 1, close) || word_count(inner) > WORDS {
                return None;
            }
            if super::mentions::appositive_opening(self.rules, inner.trim_start()).is_some() {
                return Some(open + 1..close);
            }
            end = open;
        }
        None
    }

    /// The nearest earlier speech verb joined to verb mention `verb`.
    fn coordinated_verb(&self, verb: usize, limit: usize) -> Option<usize> {
        let start = self.mentions[verb].start;
        let (i, first) = self.mentions[..verb]
            .iter()
            .enumerate()
            .rev()
            .take_while(|(_, m)| m.start >= limit)
            .find(|(_, m)| m.verb().is_some() && !m.in_quote)?;
        self.coordinated(first.end, start).then_some(i)
    }

    /// Two verbs share their subject: "denied the report and said",
    /// "leyó la orden y luego dijo". The conjunction stands right before the
    /// second verb (an adverb may sit between), so "…, and Kaine said" is a
    /// new subject.
    fn coordinated(&self, first_end: usize, second_start: usize) -> bool {
        const WORDS: usize = 12;
        const AFTER_CONJUNCTION: usize = 2;
        let Some(between) = self.text.get(first_end..second_start) else {
            return false;
        };
        // `insisted that “…” and dismissed`: a quote may stand between.
        let unquoted: String = between
            .chars()
            .filter(|c| !matches!(c, '"' | '“' | '”' | '«' | '»'))
            .collect();
        let broken = unquoted.contains(['\n', ';', '!', '?'])
            || (self.has_break(first_end, second_start)
                && !between.contains(['"', '“', '”', '«', '»']));
        // Words inside a quote between the verbs do not count.
        let outside: usize = between
            .split(['"', '“', '”', '«', '»'])
            .step_by(2)
            .map(word_count)
            .sum();
        if outside > WORDS || broken {
            return false;
        }
        let words: Vec<&str> = between.split_whitespace().collect();
        let Some(last) = words.iter().rposition(|w| {
            let w = w
                .trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase();
            self.rules.conjunctions.contains(&w)
        }) else {
            return false;
        };
        words.len() - last - 1 <= AFTER_CONJUNCTION
            && !words[last + 1..]
                .iter()
                .any(|w| w.chars().next().is_some_and(char::is_uppercase))
    }

    /// The name only says whose office speaks: "the Trump administration",
    /// "la administración Trump", "l'administration de Donald Trump". The
    /// language's `office_words` stand right after the name or right before
    /// it (a preposition may sit between).
    fn names_an_office(&self, m: &Mention) -> bool {
        let office = |w: &str| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            let w = w.rsplit(['\'', '’']).next().unwrap_or(w);
            self.rules.office_words.contains(&w.to_lowercase())
        };
        let after = word_after(self.text, m.end).is_some_and(|(r, w)| {
            r.start == m.end + 1 && office(w.trim_end_matches("'s").trim_end_matches("’s"))
        });
        let before = word_before(self.text, m.start).is_some_and(|(start, w)| {
            office(w)
                || (self.rules.prepositions.contains(&w.to_lowercase())
                    && word_before(self.text, start).is_some_and(|(_, w2)| office(w2)))
        });
        after || before
    }

    /// The mention owns the next noun ("Donovan's spokesman", "Hegseth’s office").
    fn is_possessive(&self, m: &Mention) -> bool {
        self.text
            .get(m.end..)
            .is_some_and(|t| t.starts_with("'s ") || t.starts_with("’s "))
    }

    /// The words between a closed quote and its speech verb name someone
    /// the lexicon does not know and that is not a name: `,” a senior
    /// official said`, `», dijo un funcionario` is handled after the verb.
    fn unnamed_subject(&self, gap: Range<usize>) -> bool {
        let Some(words) = self.text.get(gap.clone()) else {
            return false;
        };
        let words = words
            .trim_start_matches([',', '”', '"', '»', '’', ' '])
            .trim();
        if words.is_empty() || self.mentions_in(gap).any(|(_, m)| m.is_agent()) {
            return false;
        }
        let first = words.split_whitespace().next().unwrap_or("").to_lowercase();
        self.rules.determiners.contains(&first)
            || matches!(
                first.as_str(),
                "one" | "two" | "three" | "several" | "some" | "another"
            )
    }

    /// After the verb, a noun phrase that is no object of a preposition and
    /// names nobody: `said a senior official`, `dijo a la AFP un funcionario`.
    fn unnamed_after(&self, from: usize, to: usize) -> bool {
        let Some(words) = self.text.get(from..to) else {
            return false;
        };
        let words: Vec<String> = words
            .split_whitespace()
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
            .collect();
        words.windows(2).enumerate().any(|(i, pair)| {
            let lower = pair[0].to_lowercase();
            let after_preposition = i
                .checked_sub(1)
                .and_then(|j| words.get(j))
                .is_some_and(|p| self.rules.prepositions.contains(&p.to_lowercase()));
            self.rules.determiners.contains(&lower)
                && !after_preposition
                && pair[1].chars().next().is_some_and(char::is_lowercase)
        })
    }

    /// The other speaker of a joint subject ("Hegseth and Secretary of
    /// State Marco Rubio defended the operations as “…”"): a person named
    /// right before or after the found speaker, joined by a conjunction with
    /// only titles between. Both said it.
    pub fn joint_speaker(&self, found: &Found) -> Option<Found> {
        const GAP_WORDS: usize = 6;
        let j = self
            .mentions
            .iter()
            .position(|m| m.start == found.span.start && m.is_agent())?;
        let person = |m: &Mention| match m.kind {
            MentionKind::Word(AgentWord::Actor(i)) => {
                let who = Who::Actor(i);
                (!self.is_organisation(who)).then_some(who)
            }
            MentionKind::NewPerson(i) => Some(Who::New(i)),
            _ => None,
        };
        let own = person(&self.mentions[j])?;
        let joined = |from: usize, to: usize| {
            self.text.get(from..to).is_some_and(|gap| {
                let words: Vec<String> = gap
                    .split_whitespace()
                    .map(|w| {
                        w.trim_matches(|c: char| !c.is_alphanumeric())
                            .to_lowercase()
                    })
                    .filter(|w| !w.is_empty())
                    .collect();
                !gap.contains([',', ';', '.', '\n', '"', '“', '”', '«', '»'])
                    && words.len() <= GAP_WORDS
                    && words
                        .first()
                        .is_some_and(|w| self.rules.conjunctions.contains(w))
                    && words[1..].iter().all(|w| {
                        self.rules.titles.contains(w)
                            || self.rules.prepositions.contains(w)
                            || self.rules.determiners.contains(w)
                            || gap.contains(&format!(" {}", capitalised(w)))
                    })
            })
        };
        let before = j
            .checked_sub(1)
            .and_then(|k| self.mentions.get(k))
            .filter(|m| !m.in_quote && joined(m.end, self.mentions[j].start))
            .and_then(person);
        let after = self
            .mentions
            .get(j + 1)
            .filter(|m| !m.in_quote && joined(self.mentions[j].end, m.start))
            .and_then(person);
        let other = before.or(after).filter(|w| *w != own)?;
        let mut joint = found.carried("speaker:joint");
        joint.who = other;
        Some(joint)
    }

    /// A verb in `range` that introduces the quoted paragraphs after it
    /// ("released the following statement").
    pub fn has_lead_in_verb(&self, range: Range<usize>) -> bool {
        self.mentions_in(range)
            .any(|(i, m)| !m.in_quote && self.verb_info(i).is_some_and(|v| v.lead_in))
    }

    fn verb_info(&self, verb: usize) -> Option<&super::lexicon::VerbInfo> {
        self.mentions
            .get(verb)
            .and_then(|m| m.verb())
            .and_then(|v| self.lex.verbs.get(v))
    }

    /// Where the clause after `pos` ends: a comma or other clause mark,
    /// a relative pronoun, or `hard_limit`.
    fn clause_end(&self, pos: usize, hard_limit: usize) -> usize {
        // A clause never runs into the next sentence ("», agregó. El diputado X declaró").
        let hard_limit = self
            .layout
            .sentence_at(pos.saturating_sub(1))
            .map_or(hard_limit, |s| {
                hard_limit.min(self.layout.sentences[s].end.max(pos))
            });
        let Some(tail) = self.text.get(pos..hard_limit) else {
            return pos;
        };
        let mut end = tail.len();
        if let Some(i) = tail.find([
            ',', ';', ':', '(', '—', '–', '"', '“', '”', '«', '»', '!', '?',
        ]) {
            end = end.min(i);
        }
        for rel in [" who ", " which ", " que ", " quien ", " that "] {
            if let Some(i) = tail.find(rel) {
                end = end.min(i);
            }
        }
        pos + end
    }

    /// "dijo el presidente de Ecuador, Daniel Noboa", "said the chairman
    /// of the panel, Roger Wicker": a title after the verb names its bearer
    /// after a comma, so the clause runs through the name.
    fn through_named_title(&self, verb_end: usize, clause_end: usize) -> usize {
        const TITLE_WORDS: usize = 12;
        let Some(title) = self.text.get(verb_end..clause_end) else {
            return clause_end;
        };
        let opens_with_determiner = title
            .split_whitespace()
            .next()
            .is_some_and(|w| self.rules.determiners.contains(&w.to_lowercase()));
        if !opens_with_determiner
            || word_count(title) > TITLE_WORDS
            || !self
                .text
                .get(clause_end..)
                .is_some_and(|t| t.starts_with(", "))
        {
            return clause_end;
        }
        let name_start = clause_end + 2;
        match self.mentions_in(name_start..name_start + 1).next() {
            Some((_, m))
                if m.start == name_start
                    && !m.in_quote
                    && matches!(
                        m.kind,
                        MentionKind::Word(AgentWord::Actor(_)) | MentionKind::NewPerson(_)
                    ) =>
            {
                m.end
            }
            _ => clause_end,
        }
    }

    /// A sentence end between `from` and `to` (not counting abbreviations).
    fn has_break(&self, from: usize, to: usize) -> bool {
        let Some(gap) = self.text.get(from..to) else {
            return true;
        };
        if gap.contains(['\n', ';', '!', '?', '“', '«', '"']) {
            return true;
        }
        for (i, _) in gap.match_indices('.') {
            let head = &gap[..i];
            let word_start = head.rfind(char::is_whitespace).map_or(0, |p| p + 1);
            let word = format!("{}.", &head[word_start..]).to_lowercase();
            let initial = word.chars().count() == 2;
            if !(initial || super::text::is_listed_abbreviation(&word, self.abbreviations)) {
                return true;
            }
        }
        false
    }

    pub fn mentions_in(&self, range: Range<usize>) -> impl Iterator<Item = (usize, &Mention)> {
        let first = self.mentions.partition_point(|m| m.start < range.start);
        self.mentions[first..]
            .iter()
            .enumerate()
            .map(move |(i, m)| (first + i, m))
            .take_while(move |(_, m)| m.start < range.end)
    }

    /// Attribution words after a closed quote: `," Hegseth wrote`,
    /// `," said Sen. Jim Risch`, `», dijo un portavoz`.
    pub fn after_quote(&self, q: &Quote, para_end: usize, next_open: usize) -> Decision {
        let Some(close) = q.close_end else {
            return Decision::Undecided;
        };
        let window_end = para_end.min(next_open);
        let Some((vi, verb)) = self
            .mentions_in(close..window_end)
            .find(|(_, m)| m.verb().is_some() && !m.in_quote)
        else {
            return Decision::Undecided;
        };
        let gap = self.text.get(close..verb.start).unwrap_or("");
        // `,” Capt. X, the chief of …, said`: the appositive does not count.
        let appositive_words = self
            .appositive_before(verb.start)
            .filter(|a| a.start > close)
            .and_then(|a| self.text.get(a))
            .map_or(0, word_count);
        if word_count(gap).saturating_sub(appositive_words) > 6 || self.has_break(close, verb.start)
        {
            return Decision::Undecided;
        }
        // `“… allows.” Sen. X had asked …`: a quote that ends with a full stop
        // ends its sentence, so words after it do not attribute it.
        let ends_sentence = self.text.get(..q.end()).is_some_and(|t| t.ends_with('.'))
            && !gap.trim_start().starts_with(',');
        if ends_sentence {
            return Decision::Undecided;
        }
        // `… as “fake news,” and Pentagon officials denied …`: a conjunction
        // opens a new clause; its verb attributes nothing before it.
        let new_clause = gap
            .trim_start_matches(|c: char| !c.is_alphanumeric())
            .split_whitespace()
            .next()
            .is_some_and(|w| self.rules.conjunctions.contains(&w.to_lowercase()));
        if new_clause {
            return Decision::Undecided;
        }
        if self.unnamed_subject(close..verb.start) {
            return Decision::Reject;
        }
        let clause_end = self.clause_end(verb.end, window_end);
        let clause_end = self.through_named_title(verb.end, clause_end);
        let context = vec![close..clause_end.max(verb.end)];
        let has_agent_before = self
            .mentions_in(close..verb.start)
            .any(|(_, m)| m.is_agent());
        let info = self.verb_info(vi);
        if has_agent_before {
            return self.subject_before(vi, close, true, &context);
        }
        if info.is_some_and(|i| i.subject == SubjectSide::Before)
            || (word_count(gap) == 0 && self.inserted_after_speech(q))
        {
            return Decision::Undecided;
        }
        match self.subject_after(vi, clause_end, &context) {
            Decision::Undecided
                if word_count(gap) == 0 && self.unnamed_after(verb.end, clause_end) =>
            {
                Decision::Reject
            }
            Decision::Undecided if self.rules.pro_drop && word_count(gap) == 0 => {
                match self.previous_speaker(q.open, None) {
                    Some(who) => Decision::Speaker(Found {
                        who,
                        span: verb.start..verb.end,
                        verb: verb.verb(),
                        verb_at: Some(verb.start..verb.end),
                        context,
                        cues: vec!["speaker:dropped_subject"],
                    }),
                    None => Decision::Reject,
                }
            }
            d => d,
        }
    }

    /// A quote set between commas inside a reported clause: `The secretary
    /// said intelligence, “without a doubt,” confirmed …`. The verb after it
    /// belongs to the clause, so the speech verb before it attributes it.
    fn inserted_after_speech(&self, q: &Quote) -> bool {
        let Some(s) = self.layout.sentence_at(q.open) else {
            return false;
        };
        let start = self.layout.sentences[s].start;
        let inserted = self
            .text
            .get(start..q.open)
            .is_some_and(|h| h.trim_end().ends_with(','));
        inserted
            && self
                .mentions_in(start..q.open)
                .any(|(_, m)| m.verb().is_some() && !m.in_quote && !self.adjectival(m))
    }

    /// A quote that is a sentence of its own, right after a sentence of the
    /// same paragraph that opens with a named speaker and names nobody else:
    /// `Hegseth kept to the tone of his earlier posts. "…".` The quote is
    /// what that sentence announces.
    pub fn lead_in_sentence(&self, q: &Quote) -> Decision {
        const LEAD_WORDS: usize = 2;
        const TITLE_WORDS: usize = 6;
        let Some(s) = self.layout.sentence_at(q.open) else {
            return Decision::Undecided;
        };
        let sentence = &self.layout.sentences[s];
        let opens_sentence = self
            .text
            .get(sentence.start..q.open)
            .is_some_and(|h| h.trim().is_empty());
        let ends_sentence = self
            .text
            .get(q.after().min(sentence.end)..sentence.end)
            .is_some_and(|t| !t.chars().any(char::is_alphanumeric));
        if s == 0 || !opens_sentence || !ends_sentence {
            return Decision::Undecided;
        }
        // The lead-in is in the quote's paragraph, or is the whole paragraph
        // before a paragraph that is nothing but the quote ("Hegseth issued
        // a warning to smugglers.¶“If you are …”").
        let (prev_para, para) = (
            self.layout.sentence_paragraph[s - 1],
            self.layout.sentence_paragraph[s],
        );
        // The paragraph before may run longer: its last sentence leads in
        // ("… He urged the leaders to follow suit.¶“The only way …”").
        let whole_paragraph_before = prev_para + 1 == para
            && self.layout.paragraphs.get(para).is_some_and(|p| {
                p.start == q.open
                    && self
                        .text
                        .get(q.after().min(p.end)..p.end)
                        .is_some_and(|t| !t.chars().any(char::is_alphanumeric))
            });
        if prev_para != para && !whole_paragraph_before {
            return Decision::Undecided;
        }
        let prev = self.layout.sentences[s - 1].clone();
        let Some(prev_text) = self.text.get(prev.clone()) else {
            return Decision::Undecided;
        };
        // "…, the command said in a statement posted on X. “…”": the
        // attribution ends at the platform's name, so it reads as if the
        // quote stood in its sentence.
        if prev_para == para
            && prev_text.trim_end().ends_with(" X.")
            && let d @ Decision::Speaker(_) = self.before_quote(q, prev.start, q.after())
        {
            return d;
        }
        if prev_text.contains(['"', '“', '”', '«', '»']) {
            return Decision::Undecided;
        }
        // "In a post on X on Friday, Hegseth said …": an opening phrase
        // up to a comma comes before the subject; what it names is no subject.
        let opening_end = self.opening_phrase_end(prev.clone());
        // "Explicó que el Gobierno no tiene pruebas": a body named after the
        // speech verb is in what was said, not its subject.
        let first_verb = self
            .mentions_in(opening_end..prev.end)
            .find(|(_, m)| m.verb().is_some() && !m.in_quote)
            .map_or(prev.end, |(_, m)| m.start);
        let agents: Vec<(usize, &Mention)> = self
            .mentions_in(opening_end..prev.end)
            .filter(|(_, m)| m.is_agent() && !m.in_quote && m.start < first_verb)
            .collect();
        // "Secretary of War Pete Hegseth": a title heading the name is not the subject.
        let title_start = agents
            .first()
            .filter(|&&(i, m)| {
                matches!(m.kind, MentionKind::Word(AgentWord::RoleRef(_))) && self.heads_a_name(i)
            })
            .map(|(_, m)| m.start);
        let agents = if title_start.is_some() {
            &agents[1..]
        } else {
            &agents[..]
        };
        let Some(&(first, m)) = agents.first() else {
            return self.dropped_subject_lead_in(prev);
        };
        let named = match m.kind {
            MentionKind::Word(AgentWord::Actor(i)) => Who::Actor(i),
            MentionKind::NewPerson(i) => Who::New(i),
            // "He urged the leaders to …": a pronoun opening the lead-in.
            MentionKind::Word(AgentWord::Pronoun(PronounKind::Male | PronounKind::Female))
                if m.start == opening_end.max(prev.start)
                    || self
                        .text
                        .get(opening_end..m.start)
                        .is_some_and(|g| g.trim().is_empty()) =>
            {
                return self.decide_by_layout(first, prev, "layout:lead_in_sentence");
            }
            _ => return Decision::Undecided,
        };
        // The name is the sentence's subject: only a title or article before it.
        let lead = self
            .text
            .get(opening_end..title_start.unwrap_or(m.start))
            .unwrap_or("");
        // A title in words of its own may lead the name too ("US Secretary
        // of War Pete Hegseth"): capitalised words joined by prepositions.
        let is_lead_word = |w: &str| {
            let capitalised = w.chars().next().is_some_and(char::is_uppercase)
                && w.chars().all(|c| c.is_alphabetic() || c == '.');
            let w = w.to_lowercase();
            capitalised
                || self.rules.titles.contains(&w)
                || self.rules.determiners.contains(&w)
                || self.rules.prepositions.contains(&w)
        };
        let words: Vec<&str> = lead.split_whitespace().collect();
        let titled_phrase = words.len() <= TITLE_WORDS
            && words
                .first()
                .is_none_or(|w| w.chars().next().is_some_and(char::is_uppercase))
            && words.iter().all(|w| is_lead_word(w));
        let subject = (word_count(lead) <= LEAD_WORDS
            && lead.split_whitespace().all(|w| {
                let w = w.to_lowercase();
                self.rules.titles.contains(&w) || self.rules.determiners.contains(&w)
            }))
            || titled_phrase;
        let nobody_else = agents[1..].iter().all(|(_, o)| {
            o.prepositional
                || match o.kind {
                    MentionKind::Word(AgentWord::Actor(i)) => Who::Actor(i) == named,
                    MentionKind::NewPerson(i) => Who::New(i) == named,
                    _ => false,
                }
        });
        if !subject || !nobody_else {
            return Decision::Undecided;
        }
        self.decide_by_layout(first, prev, "layout:lead_in_sentence")
    }

    /// A lead-in sentence that opens with a speech verb and no subject, in
    /// a language that drops it: "Detalló que todos los ataques …¶“…”."
    /// The speaker is the one who spoke last.
    fn dropped_subject_lead_in(&self, prev: Range<usize>) -> Decision {
        if !self.rules.pro_drop {
            return Decision::Undecided;
        }
        let Some((_, verb)) = self.mentions_in(prev.clone()).next() else {
            return Decision::Undecided;
        };
        let opens = verb.verb().is_some()
            && self
                .text
                .get(prev.start..verb.start)
                .is_some_and(|g| g.trim().is_empty());
        if !opens {
            return Decision::Undecided;
        }
        match self.previous_speaker(verb.start, None) {
            Some(who) => Decision::Speaker(Found {
                who,
                span: verb.start..verb.end,
                verb: verb.verb(),
                verb_at: Some(verb.start..verb.end),
                context: vec![prev],
                cues: vec!["speaker:dropped_subject", "layout:lead_in_sentence"],
            }),
            None => Decision::Undecided,
        }
    }

    /// Where an opening phrase of a sentence ends: "In a post on X on
    /// Friday," or "Al final del comunicado,", a preposition then a few
    /// words up to the first comma. The sentence start when there is none.
    fn opening_phrase_end(&self, sentence: Range<usize>) -> usize {
        const OPENING_WORDS: usize = 10;
        let Some(text) = self.text.get(sentence.clone()) else {
            return sentence.start;
        };
        let first = text
            .split_whitespace()
            .next()
            .map(|w| w.to_lowercase())
            .unwrap_or_default();
        let Some(comma) = text.find(',') else {
            return sentence.start;
        };
        let phrase = &text[..comma];
        if self.rules.prepositions.contains(&first)
            && word_count(phrase) <= OPENING_WORDS
            && !phrase.contains(['"', '“', '«'])
        {
            sentence.start + comma + 1
        } else {
            sentence.start
        }
    }

    /// A quote signed by its speaker's name alone, to the end of the line:
    /// "“La fuerza realizó un ataque letal…” Comando Sur de Estados Unidos".
    pub fn signed_after(&self, q: &Quote) -> Decision {
        let Some(para) = self.layout.paragraph_at(q.open) else {
            return Decision::Undecided;
        };
        let Some(p) = self.layout.paragraphs.get(para) else {
            return Decision::Undecided;
        };
        let from = q.after().min(p.end);
        let line_end = self
            .text
            .get(from..p.end)
            .and_then(|t| t.find('\n'))
            .map_or(p.end, |i| from + i);
        let Some(tail) = self.text.get(from..line_end) else {
            return Decision::Undecided;
        };
        let lead = tail.len() - tail.trim_start().len();
        let name = tail.trim().trim_end_matches('.');
        if name.is_empty() {
            return Decision::Undecided;
        }
        let start = from + lead;
        let end = start + name.len();
        let Some((i, _)) = self
            .mentions_in(start..end)
            .find(|(_, m)| m.is_agent() && m.start == start && m.end == end)
        else {
            return Decision::Undecided;
        };
        self.decide_by_layout(i, start..end, "layout:signed_after")
    }

    /// A paragraph that is nothing but a quote, named in the sentence that
    /// opens the next paragraph: "«Quedan advertidos…».¶ Ese fue el aviso
    /// que lanzó el lunes el presidente Donald Trump …". The sentence opens
    /// with one of the language's `cataphoric_leads`; its first person named
    /// (not after a preposition) speaks.
    pub fn named_after(&self, q: &Quote) -> Decision {
        let Some(para) = self.layout.paragraph_at(q.open) else {
            return Decision::Undecided;
        };
        let Some(p) = self.layout.paragraphs.get(para) else {
            return Decision::Undecided;
        };
        let alone = p.start == q.open
            && self
                .text
                .get(q.after().min(p.end)..p.end)
                .is_some_and(|t| !t.chars().any(char::is_alphanumeric));
        let Some(next) = self.layout.paragraphs.get(para + 1) else {
            return Decision::Undecided;
        };
        let Some(s) = self.layout.sentence_at(next.start) else {
            return Decision::Undecided;
        };
        let sentence = self.layout.sentences[s].clone();
        let opens = self
            .text
            .get(sentence.clone())
            .is_some_and(|t| self.opens_with_cataphoric_lead(t));
        if !alone || !opens {
            return Decision::Undecided;
        }
        let Some(i) = self.first_person_named(sentence.clone(), false) else {
            return Decision::Undecided;
        };
        self.decide_by_layout(i, sentence, "layout:named_after")
    }

    /// The first person (an actor who is no organisation, or a person
    /// found on the page) named outside quotes in `range`; one after a
    /// preposition only when `after_preposition` allows it ("la respuesta
    /// de Trump").
    fn first_person_named(&self, range: Range<usize>, after_preposition: bool) -> Option<usize> {
        let person = |m: &Mention| match m.kind {
            MentionKind::Word(AgentWord::Actor(a)) => !self.is_organisation(Who::Actor(a)),
            MentionKind::NewPerson(_) => true,
            _ => false,
        };
        self.mentions_in(range)
            .find(|(_, m)| !m.in_quote && (after_preposition || !m.prepositional) && person(m))
            .map(|(i, _)| i)
    }

    /// Whether `text` opens with one of the language's `cataphoric_leads`.
    fn opens_with_cataphoric_lead(&self, text: &str) -> bool {
        // Leads are a few words: only the opening of `text` is lowered.
        const LEAD_BYTES: usize = 64;
        let text = text.trim_start();
        let mut end = text.len().min(LEAD_BYTES);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let lower = text.get(..end).unwrap_or(text).to_lowercase();
        self.rules
            .cataphoric_leads
            .iter()
            .any(|lead| lower.starts_with(lead.as_str()))
    }

    /// A quote opening its paragraph, closed by a comma and named in the
    /// clause after it with one of the language's `cataphoric_leads`:
    /// "«Dejen de enviar drogas», fue la respuesta de Trump." The first
    /// person named in that clause speaks, after "de" as well.
    pub fn named_in_tail(&self, q: &Quote) -> Decision {
        let Some(tail) = self.text.get(q.after()..) else {
            return Decision::Undecided;
        };
        let Some(rest) = tail.trim_start().strip_prefix(',') else {
            return Decision::Undecided;
        };
        let opens = self.opens_with_cataphoric_lead(rest);
        let Some(s) = self.layout.sentence_at(q.after()).filter(|_| opens) else {
            return Decision::Undecided;
        };
        let sentence = q.after()..self.layout.sentences[s].end;
        let Some(i) = self.first_person_named(sentence.clone(), true) else {
            return Decision::Undecided;
        };
        self.decide_by_layout(i, sentence, "layout:named_after")
    }

    /// A transcript's label before the quote: `Hegseth: “We will…”`,
    /// `SEN. KAINE: “…”` — a name, a colon, and nothing else in between.
    pub fn transcript_label(&self, q: &Quote, from: usize) -> Decision {
        match self.label_speaker(from, q.open) {
            Some(mut found) => {
                found.cues.push("layout:transcript_label");
                Decision::Speaker(found)
            }
            None => Decision::Undecided,
        }
    }

    /// A headline or deck that opens with its speaker and a colon, the
    /// quote later on the line: "Hegseth: Drug runners will end up 'at the
    /// bottom of the sea'".
    pub fn headline_label(&self, q: &Quote, line_start: usize) -> Decision {
        const HEADLINE_WORDS: usize = 25;
        // A headline is short: looking no further than this keeps a long
        // paragraph full of quotes linear.
        const HEADLINE_BYTES: usize = 300;
        if q.open.saturating_sub(line_start) > HEADLINE_BYTES {
            return Decision::Undecided;
        }
        let Some(head) = self.text.get(line_start..q.open) else {
            return Decision::Undecided;
        };
        let Some(colon) = head.find(':') else {
            return Decision::Undecided;
        };
        let tail = &self.text[q.open..];
        let window = tail.floor_char_boundary(HEADLINE_BYTES);
        let Some(line_end) = tail[..window]
            .find('\n')
            .map(|i| q.open + i)
            .or((window == tail.len()).then_some(self.text.len()))
        else {
            return Decision::Undecided;
        };
        let after_colon = line_start + colon + 1;
        let verb_between = self
            .mentions_in(after_colon..q.open)
            .any(|(_, m)| m.verb().is_some() && !m.in_quote);
        if verb_between
            || self
                .text
                .get(line_start..line_end)
                .is_none_or(|l| word_count(l) > HEADLINE_WORDS)
        {
            return Decision::Undecided;
        }
        match self.label_speaker(line_start, after_colon) {
            Some(mut found) => {
                found.cues.push("layout:headline_label");
                Decision::Speaker(found)
            }
            None => Decision::Undecided,
        }
    }

    /// A quote, a colon and its speaker: "“Estos ataques son
    /// inadmisibles”: Volker Türk", "“Era pescador desde niño”: Petro
    /// denuncia …". The name must open what follows the colon.
    pub fn named_after_colon(&self, q: &Quote) -> Decision {
        let Some(close) = q.close_end else {
            return Decision::Undecided;
        };
        let Some(rest) = self.text.get(close..) else {
            return Decision::Undecided;
        };
        let Some(after) = rest.strip_prefix(':') else {
            return Decision::Undecided;
        };
        let name_start = close + 1 + (after.len() - after.trim_start().len());
        let Some((i, m)) = self.mentions_in(name_start..name_start + 1).next() else {
            return Decision::Undecided;
        };
        if m.start != name_start || m.in_quote || !m.is_agent() {
            return Decision::Undecided;
        }
        match self.decide(i, None, vec![close..m.end]) {
            Decision::Speaker(mut found) => {
                found.cues.push("layout:named_after_colon");
                Decision::Speaker(found)
            }
            _ => Decision::Undecided,
        }
    }

    /// The speaker named by `label: ` filling `from..to`: titles, then one
    /// mention of a named speaker that ends at the colon.
    pub fn label_speaker(&self, from: usize, to: usize) -> Option<Found> {
        const LABEL_WORDS: usize = 6;
        let head = self.text.get(from..to)?.trim_end();
        let label = head.strip_suffix(':')?.trim_end();
        if label.is_empty() || word_count(label) > LABEL_WORDS {
            return None;
        }
        let label_end = from + label.len();
        let (i, m) = self
            .mentions_in(from..label_end)
            .filter(|(_, m)| m.is_agent() && !m.in_quote)
            .last()?;
        if m.end != label_end {
            return None;
        }
        let titles_only = self.text.get(from..m.start)?.split_whitespace().all(|w| {
            let w = w.to_lowercase();
            self.rules.titles.contains(&w) || self.rules.determiners.contains(&w)
        });
        if !titles_only {
            return None;
        }
        match self.decide(i, None, vec![from..to]) {
            Decision::Speaker(found) => Some(found),
            _ => None,
        }
    }

    /// Attribution before the quote in its sentence (window `from..q.open`).
    pub fn before_quote(&self, q: &Quote, from: usize, sentence_end: usize) -> Decision {
        let to = q.open;
        // The rest of the sentence after the quote may name the channel ("... in a post").
        let context = vec![from..to, q.after()..sentence_end.max(q.after())];
        let Some((vi, verb)) = self
            .mentions_in(from..to)
            .filter(|(_, m)| {
                m.verb().is_some() && !m.in_quote && m.end <= to && !self.adjectival(m)
            })
            .last()
        else {
            return Decision::Undecided;
        };
        let Some(info) = self.verb_info(vi) else {
            return Decision::Undecided;
        };
        if info.subject == SubjectSide::After {
            let end = self.clause_end(verb.end, to);
            return self.subject_after(vi, end.max(verb.end), &context);
        }
        // "The ministry urged the government “to cease …”": a body after the
        // verb that cannot speak is its object when a speaker stands before it.
        let mut object_after = false;
        if info.subject == SubjectSide::Either {
            // "said Hegseth: “..." — the name fills the gap up to the quote.
            let gap = self.text.get(verb.end..to).unwrap_or("");
            let trimmed = gap.trim_end().trim_end_matches([',', ':']).trim_end();
            let np_end = verb.end + trimmed.len();
            // "said that Southern Command “immediately” began": the clause's
            // subject follows the complementizer; the speaker is before the verb.
            let opens_clause = trimmed
                .split_whitespace()
                .next()
                .is_some_and(|w| self.rules.complementizers.contains(&w.to_lowercase()));
            if !opens_clause && self.short_phrase(trimmed) && self.is_name_phrase(verb.end..np_end)
            {
                match self.subject_after(vi, np_end + 1, &context) {
                    d @ Decision::Speaker(_) => return d,
                    Decision::Reject => object_after = true,
                    Decision::Undecided => {}
                }
            }
        }
        let before = match self.subject_before(vi, from, info.participle, &context) {
            d @ Decision::Speaker(_) if object_after => return d,
            _ if object_after => return Decision::Reject,
            Decision::Undecided if info.subject == SubjectSide::Either => {
                self.inverted_subject(vi, to, &context)
            }
            d => d,
        };
        let before = match before {
            Decision::Undecided => self.verb_of_outer_clause(vi, from, &context),
            d => d,
        };
        match before {
            Decision::Undecided
                if self.rules.pro_drop
                    && (self.after_relative_pronoun(verb.start)
                        || self.after_unknown_name(verb.start)
                        || self.mentions_in(from..to).any(|(_, m)| {
                            m.verb().is_some() && self.after_common_noun(m.start)
                        })) =>
            {
                Decision::Undecided
            }
            Decision::Undecided if self.rules.pro_drop => {
                match self.previous_speaker(verb.start, None) {
                    Some(who) => Decision::Speaker(Found {
                        who,
                        span: verb.start..verb.end,
                        verb: verb.verb(),
                        verb_at: Some(verb.start..verb.end),
                        context,
                        cues: vec!["speaker:dropped_subject"],
                    }),
                    None => Decision::Undecided,
                }
            }
            d => d,
        }
    }

    /// A speech verb's form used as an adjective: "a strike on alleged
    /// smugglers", "the declared goal", "los supuestos narcotraficantes".
    /// An article or a preposition right before it (the language's
    /// `adjective_markers`) shows it heads no clause.
    pub fn adjectival(&self, m: &Mention) -> bool {
        let Some((_, before)) = word_before(self.text, m.start) else {
            return false;
        };
        let before = before.to_lowercase();
        if self.rules.adjective_markers.contains(&before) {
            return true;
        }
        // "in a statement posted on social media": the channel's participle.
        !self.rules.participle_phrases.is_empty()
            && self.text.get(m.start..m.end).is_some_and(|verb| {
                self.rules
                    .participle_phrases
                    .contains(&format!("{before} {}", verb.to_lowercase()))
            })
    }

    /// A speech verb's form heading a noun phrase: "in a social media
    /// posting said": an article up to three lower-case words before it.
    fn nominal(&self, m: &Mention) -> bool {
        const WORDS_BACK: usize = 3;
        let mut pos = m.start;
        for _ in 0..WORDS_BACK {
            let Some((start, w)) = word_before(self.text, pos) else {
                return false;
            };
            if self.rules.adjective_markers.contains(&w.to_lowercase()) {
                return true;
            }
            let joined = self
                .text
                .get(start + w.len()..pos)
                .is_some_and(|g| g.trim().is_empty());
            if !joined
                || !w.chars().all(|c| c.is_lowercase() || c == '-')
                || self.mentions_in(start..pos).next().is_some()
            {
                return false;
            }
            pos = start;
        }
        false
    }

    /// A role word right before a name is that person's title ("el
    /// presidente Gustavo Petro", "President Trump"), not a reference back
    /// to the last president named.
    fn heads_a_name(&self, index: usize) -> bool {
        const APPOSITION_WORDS: usize = 4;
        let m = &self.mentions[index];
        self.mentions.get(index + 1).is_some_and(|next| {
            let Some(gap) = self.text.get(m.end..next.start) else {
                return false;
            };
            // "la secretaria de Prensa, Karoline Leavitt": a short apposition,
            // not a list ("the president and Hegseth").
            let apposition = word_count(gap) <= APPOSITION_WORDS
                && !gap.contains(['.', ';', ':', '\n', '"', '“', '”', '«', '»'])
                && !gap
                    .split_whitespace()
                    .any(|w| self.rules.conjunctions.contains(&w.to_lowercase()));
            matches!(
                next.kind,
                MentionKind::Word(AgentWord::Actor(_)) | MentionKind::NewPerson(_)
            ) && apposition
        })
    }

    /// In a pro-drop language the subject often follows its verb and a
    /// clause follows the subject: "Este viernes ha informado el Comando Sur
    /// en sus redes que una embarcación que «…»". The speaker must stand
    /// right after the verb (an article aside), before any clause mark.
    fn inverted_subject(&self, vi: usize, to: usize, context: &[Range<usize>]) -> Decision {
        if !self.rules.pro_drop {
            return Decision::Undecided;
        }
        let verb = &self.mentions[vi];
        let end = self.clause_end(verb.end, to);
        let Some(next) = self
            .mentions
            .get(vi + 1)
            .filter(|m| m.start < end && !m.in_quote)
        else {
            return Decision::Undecided;
        };
        let adjacent = self
            .text
            .get(verb.end..next.start)
            .is_some_and(|g| g.trim().is_empty());
        if !adjacent || !next.is_agent() || next.prepositional {
            return Decision::Undecided;
        }
        match self.subject_after(vi, end.max(verb.end), context) {
            d @ Decision::Speaker(_) => d,
            _ => Decision::Undecided,
        }
    }

    /// A capitalised word the lexicon does not know stands right before the
    /// verb ("Colombia dice «basta»"): the verb has a subject, just not a
    /// speaker, so no dropped subject is carried to it.
    fn after_unknown_name(&self, verb_start: usize) -> bool {
        let Some((start, w)) = word_before(self.text, verb_start) else {
            return false;
        };
        let joined = self
            .text
            .get(start + w.len()..verb_start)
            .is_some_and(|g| g.trim().is_empty());
        let sentence_start = self
            .layout
            .sentence_at(start)
            .is_some_and(|s| self.layout.sentences[s].start == start);
        joined
            && w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().all(char::is_alphabetic)
            // "El …", "Y agregó:": a determiner or a conjunction opening
            // the sentence is no name.
            && !(sentence_start
                && (self.rules.determiners.contains(&w.to_lowercase())
                    || self.rules.conjunctions.contains(&w.to_lowercase())))
            && self.mentions_in(start..start + w.len()).next().is_none()
    }

    /// "Southern Command added that intelligence confirmed the boat was
    /// “…”": the verb nearest the quote heads a reported clause whose
    /// subject nobody names; the speaker is the subject of the verb that
    /// opened the clause with a complementizer.
    fn verb_of_outer_clause(&self, verb: usize, from: usize, context: &[Range<usize>]) -> Decision {
        let verb_start = self.mentions[verb].start;
        let outer = self
            .mentions_in(from..verb_start)
            .filter(|(_, m)| m.verb().is_some() && !m.in_quote && !self.adjectival(m))
            .last();
        let Some((oi, o)) = outer else {
            return Decision::Undecided;
        };
        let opens_clause = word_after(self.text, o.end)
            .is_some_and(|(_, w)| self.rules.complementizers.contains(&w.to_lowercase()));
        let unnamed = self
            .mentions_in(o.end..verb_start)
            .all(|(_, m)| m.verb().is_some());
        if !opens_clause || !unnamed {
            return Decision::Undecided;
        }
        let Some(info) = self.verb_info(oi) else {
            return Decision::Undecided;
        };
        if info.subject == SubjectSide::After {
            return Decision::Undecided;
        }
        self.subject_before(oi, from, info.participle, context)
    }

    /// An unnamed body is the subject right before the verb: "El tribunal
    /// agregó que …" (the language's `unnamed_bodies`). The subject is not
    /// dropped, so the last speaker does not go on; "el funcionario dijo"
    /// may still be the person last named.
    fn after_common_noun(&self, verb_start: usize) -> bool {
        let Some((start, noun)) = word_before(self.text, verb_start) else {
            return false;
        };
        let joined = self
            .text
            .get(start + noun.len()..verb_start)
            .is_some_and(|g| g.trim().is_empty());
        let Some((det_start, det)) = word_before(self.text, start) else {
            return false;
        };
        let same_line = self
            .text
            .get(det_start..verb_start)
            .is_some_and(|g| !g.contains('\n'));
        // "En el mensaje mencionó": a preposition makes it no subject.
        let after_preposition = word_before(self.text, det_start)
            .is_some_and(|(_, w)| self.rules.prepositions.contains(&w.to_lowercase()));
        joined
            && same_line
            && !after_preposition
            && self.rules.unnamed_bodies.contains(&noun.to_lowercase())
            && self.rules.determiners.contains(&det.to_lowercase())
            && self
                .mentions_in(det_start..start + noun.len())
                .next()
                .is_none()
    }

    /// The verb opens a relative clause set off by a comma ("Venezuela, que
    /// ha declarado el «estado de conmoción»"): its subject is the noun
    /// before the comma, never a dropped subject carried from the last
    /// speaker. An object relative ("a quienes calificó como") keeps it.
    fn after_relative_pronoun(&self, verb_start: usize) -> bool {
        let Some((start, w)) = word_before(self.text, verb_start) else {
            return false;
        };
        let joined = self
            .text
            .get(start + w.len()..verb_start)
            .is_some_and(|g| g.trim().is_empty());
        joined
            && self.rules.relative_pronouns.contains(&w.to_lowercase())
            && self
                .text
                .get(..start)
                .is_some_and(|h| h.trim_end().ends_with(','))
    }

    /// Every word of `range` is part of a mention, capitalised, or a title,
    /// determiner, preposition or particle: a noun phrase naming someone.
    fn is_name_phrase(&self, range: Range<usize>) -> bool {
        let Some(slice) = self.text.get(range.clone()) else {
            return false;
        };
        let mut offset = range.start;
        for word in slice.split_whitespace() {
            let Some(found) = self.text.get(offset..range.end).and_then(|t| t.find(word)) else {
                return false;
            };
            let start = offset + found;
            offset = start + word.len();
            let covered = self
                .mentions_in(range.clone())
                .any(|(_, m)| m.start <= start && start < m.end);
            let lower = word.to_lowercase();
            let ok = covered
                || word.chars().next().is_some_and(char::is_uppercase)
                || self.rules.titles.contains(&lower)
                || self.rules.determiners.contains(&lower)
                || self.rules.prepositions.contains(&lower)
                || self.rules.particles.contains(&lower);
            if !ok {
                return false;
            }
        }
        true
    }

    /// At most six words with no clause marks; periods only in abbreviations.
    fn short_phrase(&self, s: &str) -> bool {
        word_count(s) <= 6
            && !s.contains([',', ';', ':', '!', '?'])
            && s.split_whitespace().all(|w| {
                !w.contains('.')
                    || self.abbreviations.contains(&w.to_lowercase())
                    || w.chars().count() == 2
            })
    }

    /// Attribution later in the quote's sentence: `... was killed, it said`.
    pub fn end_of_sentence(&self, q: &Quote, sentence_end: usize) -> Decision {
        let from = q.after();
        for (vi, verb) in self.mentions_in(from..sentence_end) {
            if verb.verb().is_none() || verb.in_quote {
                continue;
            }
            let Some(head) = self.text.get(from..verb.start) else {
                continue;
            };
            let Some(comma) = head.rfind(',') else {
                continue;
            };
            let clause_start = from + comma + 1;
            let clause = &head[comma + 1..];
            if word_count(clause) > 5 {
                continue;
            }
            // ", which Trump says killed 11 people": a relative clause
            // speaks of the noun before it, not of the quote.
            let relative = clause
                .split_whitespace()
                .next()
                .is_some_and(|w| self.rules.relative_pronouns.contains(&w.to_lowercase()));
            if relative {
                continue;
            }
            let end = self.clause_end(verb.end, sentence_end);
            let context = vec![clause_start..end.max(verb.end)];
            if self
                .mentions_in(clause_start..verb.start)
                .any(|(_, m)| m.is_agent())
            {
                return self.subject_before(vi, clause_start, true, &context);
            }
            return self.subject_after(vi, end.max(verb.end), &context);
        }
        Decision::Undecided
    }
}

/// Person words for reports: the canonical name and the role on a date.
pub(crate) fn speaker_name(lex: &Compiled, people: &[NewPerson], who: Who) -> String {
    match who {
        Who::Actor(i) => lex
            .actors
            .get(i)
            .map(|a| a.name.clone())
            .unwrap_or_default(),
        Who::New(i) => people.get(i).map(|p| p.name.clone()).unwrap_or_default(),
    }
}

pub(crate) fn speaker_role(
    lex: &Compiled,
    people: &[NewPerson],
    who: Who,
    date: Option<NaiveDate>,
) -> Option<String> {
    match who {
        Who::Actor(i) => lex
            .actors
            .get(i)
            .and_then(|a| a.role_on(date))
            .map(str::to_string),
        Who::New(i) => people.get(i).and_then(|p| p.role.clone()),
    }
}

/// `word` with its first letter upper-case, to find it as written in a title.
fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
