//! The statement lexicon files (actors, speech, claims per language): their
//! TOML shape, merging, and compilation into phrase automata.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{NaiveDate, Weekday};
use serde::Deserialize;
use strikewatch_model::{Channel, ClaimKind};

use super::matcher::{LangScope, PhrasePair, PhraseSet, PhraseSetBuilder};
use crate::LexiconError;
use crate::lexicon::compiled::{PackedFilter, pack_short};

/// A person's grammatical gender as far as pronouns go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
    #[default]
    Unknown,
}

/// A role an actor held, inclusive of both ends; an open end is unbounded.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ActorRole {
    pub title: String,
    #[serde(default)]
    pub from: Option<NaiveDate>,
    #[serde(default)]
    pub until: Option<NaiveDate>,
}

/// Whether an actor is a person or an organisation (a command, a ministry,
/// an NGO): organisations speak through posts and statements, are "it" and
/// "the command", never "he" or "she".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    #[default]
    Person,
    Organisation,
}

/// A named person or organisation the lexicon knows, with the words that
/// refer to them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub name: String,
    pub kind: ActorKind,
    pub gender: Gender,
    pub aliases: Vec<String>,
    pub roles: Vec<ActorRole>,
}

impl Actor {
    /// The role held on `date`; without a date, the most recent role.
    pub fn role_on(&self, date: Option<NaiveDate>) -> Option<&str> {
        let Some(date) = date else {
            return self.roles.last().map(|r| r.title.as_str());
        };
        self.roles
            .iter()
            .rev()
            .find(|r| r.from.is_none_or(|f| f <= date) && r.until.is_none_or(|u| date <= u))
            .map(|r| r.title.as_str())
    }
}

/// What an agent phrase refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AgentWord {
    Actor(usize),
    RoleRef(usize),
    Pronoun(PronounKind),
    /// "the command", "the post", "el comunicado": the organisation last
    /// named as a speaker (index into `Compiled::organisation_refs`).
    OrganisationRef(usize),
    NonPerson,
    /// "a spokesperson", "un portavoz": unnamed, but speaking for the
    /// organisation named beside them ("a Pentagon spokesman", "a
    /// spokeswoman for the Coast Guard", "un portavoz del Comando Sur").
    Spokesperson,
    Verb(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PronounKind {
    Male,
    Female,
    /// "it": an organisation, never a person.
    Organisation,
    /// "they": never a named speaker.
    Other,
}

/// Where a verb's speaker stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub(crate) enum SubjectSide {
    Before,
    After,
    #[default]
    Either,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct VerbInfo {
    pub subject: SubjectSide,
    pub participle: bool,
    pub present: bool,
    pub channel: Option<Channel>,
    pub outlet_channel: Option<Channel>,
    /// The verb introduces the quoted paragraphs after its own ("released
    /// the following statement"), as a closing colon does.
    pub lead_in: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DayWord {
    Weekday(Weekday),
    Today,
    Yesterday,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ContextWord {
    Channel(Channel),
    Day(DayWord),
}

#[derive(Debug, Clone)]
pub(crate) struct RoleReference {
    pub role_contains: Vec<String>,
}

/// Words that refer back to an organisation; when `name_contains` is not
/// empty, only organisations whose canonical name holds one of its words
/// (lower case) qualify ("the command" → "U.S. Southern Command").
#[derive(Debug, Clone)]
pub(crate) struct OrganisationReference {
    pub name_contains: Vec<String>,
    /// "the post", "el comunicado": first the speaker quoted just before,
    /// person or organisation, then the organisation last named.
    pub last_speaker: bool,
}

/// A set of lower-case words, probed for every word of every document, so
/// it uses the fast non-cryptographic hasher and keeps the first bytes and
/// lengths of its words: most probes are answered by those alone.
#[derive(Debug, Clone)]
pub(crate) struct WordSet {
    words: rustc_hash::FxHashSet<String>,
    /// The lower-case words of up to 8 ASCII bytes again, packed into one
    /// number each (`pack_short`): a probe with such a word is one integer
    /// lookup, with no lower-cased copy of the word.
    short: rustc_hash::FxHashSet<u64>,
    /// The words of `short` again, as a filter most probes fail.
    short_filter: PackedFilter,
    /// Bit `b` is set when some word starts with the ASCII byte `b`.
    ascii_heads: u128,
    /// Bit `n` is set when some word is `n` bytes long (63 stands for 63 or more).
    lengths: u64,
}

impl Default for WordSet {
    fn default() -> WordSet {
        WordSet {
            words: Default::default(),
            short: Default::default(),
            // A set holds tens of words: 4,096 bits leave most probes a
            // clear bit.
            short_filter: PackedFilter::with_index_bits(12),
            ascii_heads: 0,
            lengths: 0,
        }
    }
}

impl WordSet {
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    pub fn contains(&self, word: &str) -> bool {
        self.words.contains(word)
    }

    pub fn iter(&self) -> impl Iterator<Item = &String> {
        self.words.iter()
    }

    /// False when no word of the set can be `word` once lower-cased. Only
    /// ASCII words are screened (their lower case keeps the length and
    /// first byte); others always pass.
    pub fn may_hold_ascii_lower(&self, word: &str) -> bool {
        if !word.is_ascii() {
            return true;
        }
        if self.lengths & (1 << word.len().min(63)) == 0 {
            return false;
        }
        word.as_bytes()
            .first()
            .is_none_or(|b| self.ascii_heads & (1 << b.to_ascii_lowercase()) != 0)
    }

    /// Whether the lower case of `word` is in the set, when `word` is of
    /// up to 8 ASCII bytes; `None` for other words.
    pub fn contains_short_lower(&self, word: &str) -> Option<bool> {
        pack_short(word.as_bytes())
            .map(|packed| self.short_filter.may_hold(packed) && self.short.contains(&packed))
    }

    fn insert(&mut self, word: String) {
        // Only a lower-case word can equal a lower-cased probe.
        if !word.bytes().any(|b| b.is_ascii_uppercase())
            && let Some(packed) = pack_short(word.as_bytes())
        {
            self.short_filter.insert(packed);
            self.short.insert(packed);
        }
        self.lengths |= 1 << word.len().min(63);
        if let Some(&b) = word.as_bytes().first()
            && b.is_ascii()
        {
            self.ascii_heads |= 1 << b;
        }
        self.words.insert(word);
    }
}

impl Extend<String> for WordSet {
    fn extend<I: IntoIterator<Item = String>>(&mut self, words: I) {
        for w in words {
            self.insert(w);
        }
    }
}

impl FromIterator<String> for WordSet {
    fn from_iter<I: IntoIterator<Item = String>>(words: I) -> WordSet {
        let mut set = WordSet::default();
        set.extend(words);
        set
    }
}

/// Per-language word lists used by the text rules.
#[derive(Debug, Clone, Default)]
pub(crate) struct LanguageRules {
    pub pro_drop: bool,
    pub prepositions: WordSet,
    /// "executed by Joint Task Force …": the doer of an action, never the
    /// body a later "it said" refers to.
    pub agent_prepositions: WordSet,
    pub determiners: WordSet,
    /// Words that open an appositive with no article: kin ("Ana Ruiz,
    /// mother of …") and affiliation ("Ben Finley, with the AP").
    pub appositive_heads: WordSet,
    /// Pronouns that open a relative clause ("Ana Ruiz, who said …"): the
    /// name before the comma is the clause's subject.
    pub relative_pronouns: WordSet,
    pub titles: WordSet,
    pub not_name_words: WordSet,
    pub particles: WordSet,
    /// Words that join two verbs of one subject ("and", "y").
    pub conjunctions: WordSet,
    /// Words that put a term in scare quotes ("so-called", "supuesta"):
    /// the quoted term after them is the writer's distance, not a statement.
    pub scare_words: WordSet,
    /// Words that, right before a speech verb's form, make it an adjective
    /// ("a strike on alleged smugglers", "the stated aim"): it heads no clause.
    pub adjective_markers: WordSet,
    /// A channel noun and the past participle that modifies it ("a
    /// statement posted online"), lower case: the participle heads no clause.
    pub participle_phrases: WordSet,
    /// Words that make a name next to them say whose office acts ("the
    /// Trump administration", "la administración Trump"): no person speaks.
    pub office_words: WordSet,
    /// Words that open a reported clause ("said that …", "dijo que …"):
    /// what follows is the clause's subject, never the speaker.
    pub complementizers: WordSet,
    /// "with" before a name and a participle ("with Sen. X saying"): the
    /// name is the participle's own subject.
    pub absolute_prepositions: WordSet,
    /// Bodies named by a common noun ("el tribunal"): as a verb's subject
    /// they speak, not a dropped subject carried from the last speaker.
    pub unnamed_bodies: WordSet,
    /// "Desde el Pentágono aseguran": a preposition naming where a
    /// statement comes from; the body after it speaks.
    pub source_prepositions: WordSet,
    /// Openings of a sentence that names who spoke the quote just before
    /// it ("ese fue el aviso que lanzó …", "that was the warning …"), lower case.
    pub cataphoric_leads: Vec<String>,
    /// Lead-ins of a related-article teaser spliced into the text ("TE
    /// PUEDE INTERESAR:", "ALSO READ:"), lower case: a quote in the teaser
    /// is a headline's, not a statement.
    pub related_links: Vec<String>,
    /// Nouns that give a unit or an operation its name ("Joint Task Force",
    /// "plan", "Fuerza Operativa Conjunta"), lower case: a capitalised quote
    /// right after one is that name, not words anybody said.
    pub name_givers: Vec<String>,
}

/// Everything compiled from the lexicon files.
#[derive(Debug)]
pub(crate) struct Compiled {
    pub languages: Vec<String>,
    pub actors: Vec<Actor>,
    pub role_refs: Vec<RoleReference>,
    pub organisation_refs: Vec<OrganisationReference>,
    pub verbs: Vec<VerbInfo>,
    pub rules: Vec<LanguageRules>,
    /// All languages' rules together, for documents in other languages.
    pub any_rules: LanguageRules,
    pub abbreviations: HashSet<String>,
    /// Month words of every language (lower case) and their numbers, for
    /// the dates that close embedded posts.
    pub months: HashMap<String, u32>,
    /// Link words that trail a post's text ("pic.twitter.com/…").
    pub post_link_prefixes: Vec<String>,
    /// Agents and speech verbs, with channel and day words: a document
    /// is scanned for both at once.
    pub spoken: PhrasePair<AgentWord, ContextWord>,
    pub claims: PhraseSet<ClaimKind>,
}

impl Compiled {
    /// Agents and speech verbs.
    pub fn agents(&self) -> &PhraseSet<AgentWord> {
        &self.spoken.first
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ActorsFile {
    language: Option<String>,
    #[serde(default)]
    actor: Vec<ActorEntry>,
    #[serde(default)]
    role_reference: Vec<RoleRefEntry>,
    #[serde(default)]
    organisation_reference: Vec<OrganisationRefEntry>,
    #[serde(default)]
    agents: AgentsEntry,
    #[serde(default)]
    names: NamesEntry,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ActorEntry {
    name: String,
    kind: Option<ActorKind>,
    gender: Option<Gender>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    roles: Vec<ActorRole>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RoleRefEntry {
    phrases: Vec<String>,
    role_contains: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OrganisationRefEntry {
    phrases: Vec<String>,
    #[serde(default)]
    name_contains: Vec<String>,
    #[serde(default)]
    last_speaker: bool,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct AgentsEntry {
    #[serde(default)]
    non_person: Vec<String>,
    #[serde(default)]
    spokespeople: Vec<String>,
    #[serde(default)]
    pronouns_male: Vec<String>,
    #[serde(default)]
    pronouns_female: Vec<String>,
    #[serde(default)]
    pronouns_organisation: Vec<String>,
    #[serde(default)]
    pronouns_other: Vec<String>,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct NamesEntry {
    #[serde(default)]
    titles: Vec<String>,
    #[serde(default)]
    not_name_words: Vec<String>,
    #[serde(default)]
    particles: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SpeechFile {
    language: Option<String>,
    #[serde(default)]
    pro_drop: bool,
    #[serde(default)]
    verb: Vec<VerbEntry>,
    #[serde(default)]
    channels: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    days: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    text: TextEntry,
    #[serde(default)]
    embedded_posts: EmbeddedPostsEntry,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct EmbeddedPostsEntry {
    /// Twelve lists, January first: the words for each month.
    #[serde(default)]
    months: Vec<Vec<String>>,
    #[serde(default)]
    link_prefixes: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VerbEntry {
    words: Vec<String>,
    #[serde(default)]
    subject: SubjectSide,
    #[serde(default)]
    participle: bool,
    #[serde(default)]
    present: bool,
    channel: Option<String>,
    outlet_channel: Option<String>,
    #[serde(default)]
    lead_in: bool,
}

#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct TextEntry {
    #[serde(default)]
    abbreviations: Vec<String>,
    #[serde(default)]
    prepositions: Vec<String>,
    #[serde(default)]
    agent_prepositions: Vec<String>,
    #[serde(default)]
    determiners: Vec<String>,
    #[serde(default)]
    appositive_heads: Vec<String>,
    #[serde(default)]
    relative_pronouns: Vec<String>,
    #[serde(default)]
    conjunctions: Vec<String>,
    #[serde(default)]
    scare_words: Vec<String>,
    #[serde(default)]
    adjective_markers: Vec<String>,
    #[serde(default)]
    participle_phrases: Vec<String>,
    #[serde(default)]
    office_words: Vec<String>,
    #[serde(default)]
    complementizers: Vec<String>,
    #[serde(default)]
    absolute_prepositions: Vec<String>,
    #[serde(default)]
    unnamed_bodies: Vec<String>,
    #[serde(default)]
    source_prepositions: Vec<String>,
    #[serde(default)]
    cataphoric_leads: Vec<String>,
    #[serde(default)]
    related_links: Vec<String>,
    #[serde(default)]
    name_givers: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ClaimsFile {
    language: Option<String>,
    #[serde(default)]
    cues: BTreeMap<String, Vec<String>>,
}

enum FileKind {
    Actors,
    Speech,
    Claims,
}

fn file_kind(path: &str) -> Option<FileKind> {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    match name {
        "actors.toml" => Some(FileKind::Actors),
        "speech.toml" => Some(FileKind::Speech),
        "claims.toml" => Some(FileKind::Claims),
        _ => None,
    }
}

/// The language of a file: its `language` key, else its folder name.
fn file_language(path: &str, declared: Option<String>) -> String {
    if let Some(lang) = declared {
        return lang.trim().to_ascii_lowercase();
    }
    let mut parts = path.rsplit(['/', '\\']);
    parts.next();
    parts.next().unwrap_or("und").to_ascii_lowercase()
}

fn invalid(file: &str, message: impl ToString) -> LexiconError {
    LexiconError::Invalid {
        file: file.to_string(),
        message: message.to_string(),
    }
}

fn parse_channel(file: &str, word: &str) -> Result<Channel, LexiconError> {
    match word {
        "social_post" => Ok(Channel::SocialPost),
        "press_conference" => Ok(Channel::PressConference),
        "statement" => Ok(Channel::Statement),
        "interview" => Ok(Channel::Interview),
        "testimony" => Ok(Channel::Testimony),
        other => Err(invalid(file, format!("unknown channel `{other}`"))),
    }
}

fn parse_day(file: &str, word: &str) -> Result<DayWord, LexiconError> {
    Ok(match word {
        "monday" => DayWord::Weekday(Weekday::Mon),
        "tuesday" => DayWord::Weekday(Weekday::Tue),
        "wednesday" => DayWord::Weekday(Weekday::Wed),
        "thursday" => DayWord::Weekday(Weekday::Thu),
        "friday" => DayWord::Weekday(Weekday::Fri),
        "saturday" => DayWord::Weekday(Weekday::Sat),
        "sunday" => DayWord::Weekday(Weekday::Sun),
        "today" => DayWord::Today,
        "yesterday" => DayWord::Yesterday,
        other => return Err(invalid(file, format!("unknown day key `{other}`"))),
    })
}

fn lower_set(words: &[String], into: &mut impl Extend<String>) {
    into.extend(
        words
            .iter()
            .map(|w| w.trim().to_lowercase())
            .filter(|w| !w.is_empty()),
    );
}

/// Parses and compiles lexicon files given as (path, contents). Files with
/// other names are ignored, so a whole lexicon folder can be passed.
pub(crate) fn compile(files: &[(&str, &str)]) -> Result<Compiled, LexiconError> {
    let mut languages: Vec<String> = Vec::new();
    let lang_index = |lang: &str, languages: &mut Vec<String>| -> usize {
        languages.iter().position(|l| l == lang).unwrap_or_else(|| {
            languages.push(lang.to_string());
            languages.len() - 1
        })
    };
    let mut actors: Vec<Actor> = Vec::new();
    let mut actor_alias_scope: Vec<Vec<(String, usize)>> = Vec::new();
    let mut role_refs: Vec<RoleReference> = Vec::new();
    let mut role_ref_phrases: Vec<(String, usize, usize)> = Vec::new();
    let mut organisation_refs: Vec<OrganisationReference> = Vec::new();
    let mut rules: HashMap<usize, LanguageRules> = HashMap::new();
    let mut abbreviations = HashSet::new();
    let mut months: HashMap<String, u32> = HashMap::new();
    let mut post_link_prefixes: Vec<String> = Vec::new();
    let mut agents = PhraseSetBuilder::new();
    let mut context = PhraseSetBuilder::new();
    let mut claims = PhraseSetBuilder::new();
    // (language, lower-case word) -> merged verb info
    let mut verb_words: BTreeMap<(usize, String), (String, VerbInfo)> = BTreeMap::new();
    let mut saw_any = false;

    for &(path, contents) in files {
        let Some(kind) = file_kind(path) else {
            continue;
        };
        saw_any = true;
        match kind {
            FileKind::Actors => {
                let file: ActorsFile = toml::from_str(contents).map_err(|e| invalid(path, e))?;
                let lang = lang_index(&file_language(path, file.language), &mut languages);
                for entry in file.actor {
                    let name = entry.name.trim().to_string();
                    if name.is_empty() {
                        return Err(invalid(path, "actor with an empty name"));
                    }
                    let idx = match actors.iter().position(|a| a.name == name) {
                        Some(i) => i,
                        None => {
                            actors.push(Actor {
                                name: name.clone(),
                                kind: ActorKind::Person,
                                gender: Gender::Unknown,
                                aliases: Vec::new(),
                                roles: Vec::new(),
                            });
                            actor_alias_scope.push(Vec::new());
                            actors.len() - 1
                        }
                    };
                    let actor = &mut actors[idx];
                    if let Some(k) = entry.kind {
                        actor.kind = k;
                    }
                    if let Some(g) = entry.gender {
                        actor.gender = g;
                    }
                    for role in &entry.roles {
                        if let (Some(f), Some(u)) = (role.from, role.until)
                            && u < f
                        {
                            return Err(invalid(
                                path,
                                format!("role `{}` of {name} ends before it starts", role.title),
                            ));
                        }
                    }
                    actor.roles.extend(entry.roles);
                    actor.roles.sort_by_key(|r| r.from);
                    // The full name always refers to the actor.
                    let mut aliases = entry.aliases;
                    if !actor.aliases.contains(&name) && !aliases.contains(&name) {
                        aliases.push(name.clone());
                    }
                    for alias in aliases {
                        actor_alias_scope[idx].push((alias.clone(), lang));
                        actor.aliases.push(alias);
                    }
                }
                for entry in file.role_reference {
                    let idx = role_refs.len();
                    role_refs.push(RoleReference {
                        role_contains: entry
                            .role_contains
                            .iter()
                            .map(|r| r.to_lowercase())
                            .collect(),
                    });
                    for phrase in entry.phrases {
                        role_ref_phrases.push((phrase, lang, idx));
                    }
                }
                let scope = LangScope::Only(lang);
                for entry in file.organisation_reference {
                    let idx = organisation_refs.len();
                    organisation_refs.push(OrganisationReference {
                        name_contains: entry
                            .name_contains
                            .iter()
                            .map(|w| w.to_lowercase())
                            .collect(),
                        last_speaker: entry.last_speaker,
                    });
                    for phrase in &entry.phrases {
                        agents.add(phrase, scope, AgentWord::OrganisationRef(idx));
                    }
                }
                for w in &file.agents.pronouns_organisation {
                    agents.add(w, scope, AgentWord::Pronoun(PronounKind::Organisation));
                }
                for w in &file.agents.non_person {
                    agents.add(w, scope, AgentWord::NonPerson);
                }
                for w in &file.agents.spokespeople {
                    agents.add(w, scope, AgentWord::Spokesperson);
                }
                for w in &file.agents.pronouns_male {
                    agents.add(w, scope, AgentWord::Pronoun(PronounKind::Male));
                }
                for w in &file.agents.pronouns_female {
                    agents.add(w, scope, AgentWord::Pronoun(PronounKind::Female));
                }
                for w in &file.agents.pronouns_other {
                    agents.add(w, scope, AgentWord::Pronoun(PronounKind::Other));
                }
                let r = rules.entry(lang).or_default();
                lower_set(&file.names.titles, &mut r.titles);
                lower_set(&file.names.not_name_words, &mut r.not_name_words);
                lower_set(&file.names.particles, &mut r.particles);
            }
            FileKind::Speech => {
                let file: SpeechFile = toml::from_str(contents).map_err(|e| invalid(path, e))?;
                let lang = lang_index(&file_language(path, file.language), &mut languages);
                let scope = LangScope::Only(lang);
                for entry in &file.verb {
                    let info = VerbInfo {
                        subject: entry.subject,
                        participle: entry.participle,
                        present: entry.present,
                        channel: entry
                            .channel
                            .as_deref()
                            .map(|c| parse_channel(path, c))
                            .transpose()?,
                        outlet_channel: entry
                            .outlet_channel
                            .as_deref()
                            .map(|c| parse_channel(path, c))
                            .transpose()?,
                        lead_in: entry.lead_in,
                    };
                    for word in &entry.words {
                        let key = (lang, word.trim().to_lowercase());
                        verb_words
                            .entry(key)
                            .and_modify(|(_, merged)| merge_verb(merged, &info))
                            .or_insert_with(|| (word.trim().to_string(), info.clone()));
                    }
                }
                for (channel, words) in &file.channels {
                    let channel = parse_channel(path, channel)?;
                    for w in words {
                        context.add(w, scope, ContextWord::Channel(channel));
                    }
                }
                for (day, words) in &file.days {
                    let day = parse_day(path, day)?;
                    for w in words {
                        context.add(w, scope, ContextWord::Day(day));
                    }
                }
                let r = rules.entry(lang).or_default();
                r.pro_drop |= file.pro_drop;
                lower_set(&file.text.prepositions, &mut r.prepositions);
                lower_set(&file.text.agent_prepositions, &mut r.agent_prepositions);
                lower_set(&file.text.determiners, &mut r.determiners);
                lower_set(&file.text.appositive_heads, &mut r.appositive_heads);
                lower_set(&file.text.relative_pronouns, &mut r.relative_pronouns);
                lower_set(&file.text.conjunctions, &mut r.conjunctions);
                lower_set(&file.text.scare_words, &mut r.scare_words);
                lower_set(&file.text.adjective_markers, &mut r.adjective_markers);
                lower_set(&file.text.participle_phrases, &mut r.participle_phrases);
                lower_set(&file.text.office_words, &mut r.office_words);
                lower_set(&file.text.complementizers, &mut r.complementizers);
                lower_set(
                    &file.text.absolute_prepositions,
                    &mut r.absolute_prepositions,
                );
                lower_set(&file.text.unnamed_bodies, &mut r.unnamed_bodies);
                lower_set(&file.text.source_prepositions, &mut r.source_prepositions);
                r.cataphoric_leads.extend(
                    file.text
                        .cataphoric_leads
                        .iter()
                        .map(|w| w.trim().to_lowercase()),
                );
                r.related_links.extend(
                    file.text
                        .related_links
                        .iter()
                        .map(|w| w.trim().to_lowercase()),
                );
                r.name_givers.extend(
                    file.text
                        .name_givers
                        .iter()
                        .map(|w| w.trim().to_lowercase()),
                );
                lower_set(&file.text.abbreviations, &mut abbreviations);
                let posts = &file.embedded_posts;
                if !posts.months.is_empty() && posts.months.len() != 12 {
                    return Err(invalid(path, "embedded_posts.months needs twelve lists"));
                }
                for (number, words) in (1u32..).zip(&posts.months) {
                    for w in words {
                        months.insert(w.trim().trim_end_matches('.').to_lowercase(), number);
                    }
                }
                for prefix in &posts.link_prefixes {
                    if !post_link_prefixes.contains(prefix) {
                        post_link_prefixes.push(prefix.clone());
                    }
                }
            }
            FileKind::Claims => {
                let file: ClaimsFile = toml::from_str(contents).map_err(|e| invalid(path, e))?;
                let lang = lang_index(&file_language(path, file.language), &mut languages);
                for (kind, words) in &file.cues {
                    let kind = ClaimKind::parse(kind)
                        .ok_or_else(|| invalid(path, format!("unknown claim kind `{kind}`")))?;
                    for w in words {
                        claims.add(w, LangScope::Only(lang), kind);
                    }
                }
            }
        }
    }
    if !saw_any {
        return Err(invalid(
            "statements",
            "no actors.toml, speech.toml or claims.toml given",
        ));
    }

    for (idx, aliases) in actor_alias_scope.iter().enumerate() {
        for (alias, _lang) in aliases {
            // Names are the same in every language.
            agents.add(alias, LangScope::All, AgentWord::Actor(idx));
        }
    }
    for (phrase, lang, idx) in &role_ref_phrases {
        agents.add(phrase, LangScope::Only(*lang), AgentWord::RoleRef(*idx));
    }
    let mut verbs = Vec::new();
    for ((lang, _), (word, info)) in verb_words {
        agents.add(&word, LangScope::Only(lang), AgentWord::Verb(verbs.len()));
        verbs.push(info);
    }

    let mut any_rules = LanguageRules::default();
    let rules: Vec<LanguageRules> = (0..languages.len())
        .map(|i| rules.remove(&i).unwrap_or_default())
        .collect();
    for r in &rules {
        any_rules.pro_drop |= r.pro_drop;
        for (from, to) in [
            (&r.prepositions, &mut any_rules.prepositions),
            (&r.agent_prepositions, &mut any_rules.agent_prepositions),
            (&r.determiners, &mut any_rules.determiners),
            (&r.appositive_heads, &mut any_rules.appositive_heads),
            (&r.relative_pronouns, &mut any_rules.relative_pronouns),
            (&r.titles, &mut any_rules.titles),
            (&r.not_name_words, &mut any_rules.not_name_words),
            (&r.particles, &mut any_rules.particles),
            (&r.conjunctions, &mut any_rules.conjunctions),
            (&r.scare_words, &mut any_rules.scare_words),
            (&r.adjective_markers, &mut any_rules.adjective_markers),
            (&r.participle_phrases, &mut any_rules.participle_phrases),
            (&r.office_words, &mut any_rules.office_words),
            (&r.complementizers, &mut any_rules.complementizers),
            (
                &r.absolute_prepositions,
                &mut any_rules.absolute_prepositions,
            ),
            (&r.unnamed_bodies, &mut any_rules.unnamed_bodies),
            (&r.source_prepositions, &mut any_rules.source_prepositions),
        ] {
            to.extend(from.iter().cloned());
        }
        any_rules
            .related_links
            .extend(r.related_links.iter().cloned());
        any_rules.name_givers.extend(r.name_givers.iter().cloned());
        any_rules
            .cataphoric_leads
            .extend(r.cataphoric_leads.iter().cloned());
    }

    Ok(Compiled {
        languages,
        actors,
        role_refs,
        organisation_refs,
        verbs,
        rules,
        any_rules,
        abbreviations,
        months,
        post_link_prefixes,
        spoken: PhrasePair::build(agents, context, "actors.toml/speech.toml")?,
        claims: claims.build("claims.toml")?,
    })
}

/// Two entries for one verb word: the more specific reading of each field wins.
fn merge_verb(merged: &mut VerbInfo, other: &VerbInfo) {
    if merged.subject == SubjectSide::Either {
        merged.subject = other.subject;
    }
    merged.participle |= other.participle;
    merged.present |= other.present;
    merged.channel = merged.channel.or(other.channel);
    merged.outlet_channel = merged.outlet_channel.or(other.outlet_channel);
}
