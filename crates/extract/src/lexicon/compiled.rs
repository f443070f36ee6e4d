//! One language's lexicon compiled for matching: every phrase of every list
//! goes into a single Aho-Corasick automaton (ASCII case-insensitive); each
//! pattern carries the tags of the lists it came from.

use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::{HashMap, HashSet};

use aho_corasick::MatchKind;

use super::files::{LanguageFiles, NumericDateOrder};
use super::scan::PhraseDfa;
use crate::LexiconError;

/// What a matched phrase means. Values index into the compiled tables.
#[derive(Debug, Clone, Copy, Eq)]
pub enum Tag {
    Number(u32),
    Ordinal(u32),
    LowerBound,
    OrdinalMarker,
    Comparative,
    Month(u32),
    Weekday(u32),
    RelDay(i32),
    AnchoredDay(i32),
    ThisWeek,
    ThisMonth,
    /// "in September", "a principios de octubre": words before a month
    /// named alone, which then tells a span of that month.
    InMonth,
    LastWeek,
    DatePrefix,
    Since,
    AsOf,
    /// "between Sept. 2 and Jan. 26": the span's first day starts a count,
    /// its last is the day the count holds for.
    RangeOpener,
    EndOfMonth,
    DayMonthJoiner,
    EventJoiner,
    FirstSince,
    DatelineCue,
    /// A word opening a reported clause ("said that", "informó que"): a
    /// date after it is the clause's, not the speech's.
    ReportedClause,
    EditorsNoteCue,
    CaptionCue,
    ArchiveCue,
    /// A holiday: month * 100 + day.
    Holiday(u32),
    Region(u16),
    SameArea,
    RegionBlocker,
    /// "leaders" in "Caribbean leaders": the sea's name is an adjective.
    AdjectiveHead,
    Trigger,
    StrikeNoun,
    VesselNoun,
    StrikeSite,
    EventNoun,
    ArticleNoun,
    Deployment,
    VesselDet,
    DefiniteDet,
    PersonNoun,
    /// A noun naming the dead right after a number ("144 victims").
    DeadNoun,
    /// "of" in "two of the four", "de ellos" in "dos de ellos".
    Partitive,
    /// "and", "y": joins the items of a list.
    Conjunction,
    /// "but", "pero": after a comma, opens a clause.
    ClauseConjunction,
    /// "in", "en": places a share of the strikes in a sea.
    SharePrep,
    /// "during", "durante": the strikes an event happened in.
    OccasionPrep,
    /// "who", "que": opens a relative clause.
    Relative,
    /// "when", "cuando": opens a clause of time.
    Subordinator,
    KillAfter,
    KillBefore,
    Survivor,
    NoSurvivors,
    All,
    Both,
    Aboard,
    Each,
    Another,
    OtherStrike,
    Correction,
    Stop,
    Copula,
    StrikeObject,
    Occurrence,
    TargetGroup(u16),
    Announcer(u16),
    TotalCue,
    TollCue,
    /// A toll wording that names the dead ("death toll").
    DeathToll,
    /// What a total may count that is not the dead ("personnel", "troops").
    NotTheDead,
    /// A round, vague quantity ("un centenar"): no running total's figure.
    VagueFigure,
    /// A word making the next figure approximate ("about 75", "unos 80").
    Approximate,
    /// After a rank, the strike it ranks told before ("the sixth of its kind").
    RankOfKind,
    /// A total's part told after it ("including 11 people earlier this week").
    Inclusion,
    /// A strike told as joining earlier ones ("se suma a otros 40").
    JoinsEarlier,
    SubtotalCue,
    TallyAfterRank,
    RankBlocker,
    RankLead,
    RankLeadWeak,
    GroupCue,
    TollTo,
    StrikeTallyCue,
    CumulativeScope,
    PossessiveDet,
    Speech,
    Noise,
    Hypothetical,
    WeakTrigger,
    AreaCue,
    RaiseVerb,
    GenericTrigger,
    Mishap,
}

/// Tags are compared in every probe of the rules (`|g| g == Tag::Trigger`),
/// hundreds of thousands of times a corpus; the derived comparison of so
/// many variants was not inlined, this one is: same variant, same value.
impl PartialEq for Tag {
    #[inline(always)]
    fn eq(&self, other: &Tag) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
            && self.value() == other.value()
    }
}

impl Tag {
    /// The value a tag carries, 0 for tags without one. Lists every
    /// variant, so a new tag with a value cannot be left out of [`PartialEq`].
    #[inline(always)]
    fn value(self) -> i64 {
        match self {
            Tag::Number(value)
            | Tag::Ordinal(value)
            | Tag::Month(value)
            | Tag::Weekday(value)
            | Tag::Holiday(value) => i64::from(value),
            Tag::RelDay(value) | Tag::AnchoredDay(value) => i64::from(value),
            Tag::Region(value) | Tag::TargetGroup(value) | Tag::Announcer(value) => {
                i64::from(value)
            }
            Tag::LowerBound
            | Tag::OrdinalMarker
            | Tag::Comparative
            | Tag::ThisWeek
            | Tag::ThisMonth
            | Tag::InMonth
            | Tag::LastWeek
            | Tag::DatePrefix
            | Tag::Since
            | Tag::AsOf
            | Tag::RangeOpener
            | Tag::EndOfMonth
            | Tag::DayMonthJoiner
            | Tag::EventJoiner
            | Tag::FirstSince
            | Tag::DatelineCue
            | Tag::ReportedClause
            | Tag::EditorsNoteCue
            | Tag::CaptionCue
            | Tag::ArchiveCue
            | Tag::SameArea
            | Tag::RegionBlocker
            | Tag::AdjectiveHead
            | Tag::Trigger
            | Tag::StrikeNoun
            | Tag::VesselNoun
            | Tag::StrikeSite
            | Tag::EventNoun
            | Tag::ArticleNoun
            | Tag::Deployment
            | Tag::VesselDet
            | Tag::DefiniteDet
            | Tag::PersonNoun
            | Tag::KillAfter
            | Tag::KillBefore
            | Tag::Survivor
            | Tag::NoSurvivors
            | Tag::All
            | Tag::Both
            | Tag::Aboard
            | Tag::Each
            | Tag::Another
            | Tag::OtherStrike
            | Tag::Correction
            | Tag::Stop
            | Tag::Copula
            | Tag::StrikeObject
            | Tag::Occurrence
            | Tag::TotalCue
            | Tag::TollCue
            | Tag::DeathToll
            | Tag::NotTheDead
            | Tag::VagueFigure
            | Tag::Approximate
            | Tag::RankOfKind
            | Tag::Inclusion
            | Tag::JoinsEarlier
            | Tag::DeadNoun
            | Tag::Partitive
            | Tag::Conjunction
            | Tag::ClauseConjunction
            | Tag::SharePrep
            | Tag::OccasionPrep
            | Tag::Relative
            | Tag::Subordinator
            | Tag::SubtotalCue
            | Tag::TallyAfterRank
            | Tag::RankBlocker
            | Tag::RankLead
            | Tag::RankLeadWeak
            | Tag::GroupCue
            | Tag::TollTo
            | Tag::StrikeTallyCue
            | Tag::CumulativeScope
            | Tag::PossessiveDet
            | Tag::Speech
            | Tag::Noise
            | Tag::Hypothetical
            | Tag::WeakTrigger
            | Tag::AreaCue
            | Tag::RaiseVerb
            | Tag::GenericTrigger
            | Tag::Mishap => 0,
        }
    }
}

/// A region of the gazetteer.
#[derive(Debug, Clone)]
pub struct Region {
    pub key: String,
    pub name: String,
    pub point: [f64; 2],
}

/// One language, compiled.
#[derive(Debug)]
pub struct CompiledLanguage {
    pub language: String,
    /// Phrases of several tokens, leftmost-longest (scanned with
    /// [`super::scan::leftmost_matches`]); their tags per pattern id.
    pub(crate) automaton: PhraseDfa,
    pub pattern_tags: Vec<Vec<Tag>>,
    /// Phrases of one token, looked up by the token's lower-case text.
    pub single_token: WordTable,
    pub regions: Vec<Region>,
    pub target_groups: Vec<String>,
    /// Canonical names of the bodies that announce strikes.
    pub announcers: Vec<String>,
    /// Looked up at every full stop after a word: the fast hasher.
    pub abbreviations: FxHashSet<String>,
    /// Number words, for hyphenated compounds ("twenty-one", "three-boat").
    pub number_words: HashMap<String, u32>,
    pub vessel_words: HashSet<String>,
    /// Endings that make digits an ordinal ("42nd", "37º"), lower case.
    pub ordinal_suffixes: Vec<String>,
    /// How this language orders an all-digit date.
    pub numeric_dates: NumericDateOrder,
    /// The campaign's first day, for pages that name no year at all.
    pub campaign_start: Option<chrono::NaiveDate>,
    /// Before this day, "a second strike" is the campaign's second.
    pub follow_up_known: Option<chrono::NaiveDate>,
    /// No running toll of the campaign is below the first strike's dead.
    pub first_strike_killed: Option<u32>,
    /// What the campaign had reached by each day, in day order.
    pub campaign_floor: Vec<super::files::CampaignFloor>,
    /// Above this many dead a figure is no single strike's toll.
    pub max_killed_per_strike: Option<u32>,
    /// Above this many boats a count is no single day's strikes.
    pub max_boats_per_strike: Option<u32>,
}

/// The one-token phrases of a language and their tags, by lower-case text.
/// Asked once per document token: short ASCII words (most of any page) are
/// looked up as one `u64` of their bytes, which hashes and compares in a few
/// instructions; other words by their text.
#[derive(Debug, Default)]
pub struct WordTable {
    /// Keys of up to 8 ASCII bytes (no NUL), as [`pack_short`] packs them.
    short: FxHashMap<u64, Vec<Tag>>,
    /// The keys of `short` again, as a filter most other words fail.
    short_filter: PackedFilter,
    /// Every other key. Both maps use a fast non-keyed hash.
    long: FxHashMap<String, Vec<Tag>>,
    /// The shapes of the ASCII keys in `long`, so that most long ASCII words
    /// of a page, which no key is, skip lower-casing and hashing.
    long_ascii: AsciiShapes,
}

/// A one-hash Bloom filter over packed short words ([`pack_short`]): most
/// words of a page are in no lexicon, and one bit read turns nearly all of
/// them away before a hash table probe. A word the filter holds may still
/// be absent; a word it does not hold is.
#[derive(Debug, Clone)]
pub(crate) struct PackedFilter {
    bits: Vec<u64>,
    /// 64 less the number of bits that index `bits`.
    shift: u32,
}

impl Default for PackedFilter {
    /// Room for a word table's thousands of words.
    fn default() -> PackedFilter {
        PackedFilter::with_index_bits(16)
    }
}

impl PackedFilter {
    /// A filter of `2^index_bits` bits (at least 64).
    pub(crate) fn with_index_bits(index_bits: u32) -> PackedFilter {
        let index_bits = index_bits.clamp(6, 32);
        PackedFilter {
            bits: vec![0; (1usize << index_bits) / 64],
            shift: 64 - index_bits,
        }
    }

    fn bit(&self, packed: u64) -> usize {
        // The top bits of a multiplicative hash.
        (packed.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    pub(crate) fn insert(&mut self, packed: u64) {
        let bit = self.bit(packed);
        if let Some(word) = self.bits.get_mut(bit / 64) {
            *word |= 1 << (bit % 64);
        }
    }

    #[inline]
    pub(crate) fn may_hold(&self, packed: u64) -> bool {
        let bit = self.bit(packed);
        self.bits
            .get(bit / 64)
            .is_none_or(|word| word & (1 << (bit % 64)) != 0)
    }
}

/// Which (length, first byte, last byte) shapes a set of lower-case ASCII
/// words has, as one bit each; bytes are read by their low five bits, so
/// two shapes may share a bit, but a word's shape is never missing.
#[derive(Debug)]
struct AsciiShapes {
    bits: Vec<u64>,
}

impl Default for AsciiShapes {
    fn default() -> AsciiShapes {
        AsciiShapes {
            bits: vec![0; AsciiShapes::WORDS],
        }
    }
}

impl AsciiShapes {
    /// 64 lengths (the last for 63 bytes or more) × 32 × 32 byte classes.
    const WORDS: usize = 64 * 32 * 32 / 64;

    /// The bit of an ASCII word's lower case, read from the word as it is.
    fn bit(word: &[u8]) -> Option<usize> {
        let class = |b: &u8| usize::from(b.to_ascii_lowercase() & 0x1f);
        let first = class(word.first()?);
        let last = class(word.last()?);
        Some((word.len().min(63) << 10) | (first << 5) | last)
    }

    fn insert(&mut self, word: &[u8]) {
        if let Some(bit) = AsciiShapes::bit(word)
            && let Some(slot) = self.bits.get_mut(bit / 64)
        {
            *slot |= 1 << (bit % 64);
        }
    }

    /// False when no word inserted can be `word`'s lower case.
    fn may_hold(&self, word: &[u8]) -> bool {
        AsciiShapes::bit(word)
            .and_then(|bit| self.bits.get(bit / 64).map(|w| w & (1 << (bit % 64)) != 0))
            .unwrap_or(true)
    }
}

/// A word of at most 8 ASCII bytes (no NUL), lower-cased, as one number:
/// its bytes zero-padded, so different words give different numbers.
///
/// Asked of every token of every document, so the eight bytes are tested
/// and lower-cased together, as one `u64`, rather than one by one.
pub(crate) fn pack_short(word: &[u8]) -> Option<u64> {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const ONES: u64 = 0x0101_0101_0101_0101;
    let packed = load_padded(word)?;
    if packed & HIGH != 0 {
        return None;
    }
    // A NUL among the word's own bytes (the padding is NUL by design): set
    // the padding's bits, then look for a zero byte.
    let padding = u64::MAX.checked_shl(8 * word.len() as u32).unwrap_or(0);
    let probe = packed | padding;
    if probe.wrapping_sub(ONES) & !probe & HIGH != 0 {
        return None;
    }
    // Every byte is ASCII (below 0x80), so adding to each cannot carry into
    // the next: the high bit says "at least `A`" and "above `Z`".
    let at_least_a = packed + ONES * (0x80 - u64::from(b'A'));
    let above_z = packed + ONES * (0x7f - u64::from(b'Z'));
    let upper = (at_least_a & !above_z) & HIGH;
    Some(packed | (upper >> 2))
}

/// The bytes of a word of at most 8 bytes as a little-endian `u64`, zero
/// above its length. Read as two overlapping loads (the bytes they share
/// are the same, so or-ing them is exact) instead of a byte copy.
fn load_padded(word: &[u8]) -> Option<u64> {
    let n = word.len();
    let two = |at: usize| -> Option<u64> {
        let bytes: [u8; 2] = word.get(at..at + 2)?.try_into().ok()?;
        Some(u64::from(u16::from_le_bytes(bytes)))
    };
    let four = |at: usize| -> Option<u64> {
        let bytes: [u8; 4] = word.get(at..at + 4)?.try_into().ok()?;
        Some(u64::from(u32::from_le_bytes(bytes)))
    };
    match n {
        0 => Some(0),
        1 => word.first().map(|&b| u64::from(b)),
        2..=3 => Some(two(0)? | (two(n - 2)? << (8 * (n - 2)))),
        4..=8 => Some(four(0)? | (four(n - 4)? << (8 * (n - 4)))),
        _ => None,
    }
}

impl WordTable {
    fn insert(&mut self, key: String, tags: Vec<Tag>) {
        match pack_short(key.as_bytes()) {
            Some(packed) => {
                self.short_filter.insert(packed);
                self.short.insert(packed, tags);
            }
            None => {
                if key.is_ascii() {
                    self.long_ascii.insert(key.as_bytes());
                }
                self.long.insert(key, tags);
            }
        }
    }

    /// The tags of the phrase `word` is, case aside. `scratch` holds the
    /// lower-cased word when it is not a short ASCII one (kept by the
    /// caller, so a document's tokens share one buffer).
    #[inline]
    pub fn get(&self, word: &str, scratch: &mut String) -> Option<&[Tag]> {
        match pack_short(word.as_bytes()) {
            Some(packed) => self.get_short(packed),
            None => self.get_long(word, scratch),
        }
    }

    /// The tags of a packed short word.
    #[inline]
    fn get_short(&self, packed: u64) -> Option<&[Tag]> {
        if !self.short_filter.may_hold(packed) {
            return None;
        }
        self.short.get(&packed).map(Vec::as_slice)
    }

    /// [`WordTable::get`] for the word `text[range]`; a short ASCII word is
    /// read from the bytes, with no char-boundary checks.
    #[inline]
    pub fn get_at(
        &self,
        text: &str,
        range: std::ops::Range<usize>,
        scratch: &mut String,
    ) -> Option<&[Tag]> {
        let bytes = text.as_bytes().get(range.clone()).unwrap_or_default();
        match pack_short(bytes) {
            Some(packed) => self.get_short(packed),
            None => self.get_long(text.get(range).unwrap_or_default(), scratch),
        }
    }

    /// [`WordTable::get`] for a word that is not short ASCII: lower-cased
    /// into `scratch` first. Kept out of line so the short path stays small.
    #[inline(never)]
    fn get_long(&self, word: &str, scratch: &mut String) -> Option<&[Tag]> {
        // An ASCII word lower-cases to an ASCII word of its length, which
        // only an ASCII key can be.
        if word.is_ascii() && !self.long_ascii.may_hold(word.as_bytes()) {
            return None;
        }
        // Already lower-case ASCII (most long words of a page): its own key,
        // as it is not short ASCII.
        if word
            .bytes()
            .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
        {
            return self.long.get(word).map(Vec::as_slice);
        }
        scratch.clear();
        if word.is_ascii() {
            scratch.push_str(word);
            scratch.make_ascii_lowercase();
        } else {
            scratch.extend(word.chars().flat_map(char::to_lowercase));
        }
        // A word of other letters may lower-case to a short ASCII one
        // (the Kelvin sign is a `k`).
        match pack_short(scratch.as_bytes()) {
            Some(packed) => self.get_short(packed),
            None => self.long.get(scratch.as_str()).map(Vec::as_slice),
        }
    }
}

struct Builder {
    index: HashMap<String, usize>,
    patterns: Vec<String>,
    tags: Vec<Vec<Tag>>,
}

impl Builder {
    fn add(&mut self, phrase: &str, tag: Tag) {
        let key = phrase.trim().to_lowercase();
        if key.is_empty() {
            return;
        }
        let id = *self.index.entry(key.clone()).or_insert_with(|| {
            self.patterns.push(key);
            self.tags.push(Vec::new());
            self.patterns.len() - 1
        });
        if !self.tags[id].contains(&tag) {
            self.tags[id].push(tag);
        }
    }

    fn add_all(&mut self, phrases: &[String], tag: Tag) {
        for p in phrases {
            self.add(p, tag);
        }
    }
}

impl CompiledLanguage {
    pub fn compile(files: &LanguageFiles) -> Result<CompiledLanguage, LexiconError> {
        let invalid = |file: &str, message: String| LexiconError::Invalid {
            file: format!("{}/{}", files.language, file),
            message,
        };
        let mut b = Builder {
            index: HashMap::new(),
            patterns: Vec::new(),
            tags: Vec::new(),
        };
        let n = &files.numbers;
        for (w, v) in &n.words {
            b.add(w, Tag::Number(*v));
        }
        for (w, v) in &n.ordinals {
            b.add(w, Tag::Ordinal(*v));
        }
        b.add_all(&n.lower_bound, Tag::LowerBound);
        b.add_all(&n.approximate, Tag::Approximate);
        b.add_all(&n.ordinal_markers, Tag::OrdinalMarker);
        b.add_all(&n.comparatives, Tag::Comparative);
        b.add_all(&n.article_nouns, Tag::ArticleNoun);

        let c = &files.calendar;
        for (w, m) in &c.months {
            if !(1..=12).contains(m) {
                return Err(invalid(
                    "calendar.toml",
                    format!("month {w} = {m} is not 1..=12"),
                ));
            }
            b.add(w, Tag::Month(*m));
        }
        for (w, d) in &c.weekdays {
            if *d > 6 {
                return Err(invalid(
                    "calendar.toml",
                    format!("weekday {w} = {d} is not 0..=6"),
                ));
            }
            b.add(w, Tag::Weekday(*d));
        }
        for (w, off) in &c.relative_days {
            b.add(w, Tag::RelDay(*off));
        }
        for (w, off) in &c.anchored_days {
            b.add(w, Tag::AnchoredDay(*off));
        }
        b.add_all(&c.this_week, Tag::ThisWeek);
        b.add_all(&c.this_month, Tag::ThisMonth);
        b.add_all(&c.in_month, Tag::InMonth);
        b.add_all(&c.last_week, Tag::LastWeek);
        b.add_all(&c.date_prefixes, Tag::DatePrefix);
        b.add_all(&c.since, Tag::Since);
        b.add_all(&c.as_of, Tag::AsOf);
        b.add_all(&c.range_openers, Tag::RangeOpener);
        b.add_all(&c.end_of_month, Tag::EndOfMonth);
        b.add_all(&c.day_month_joiners, Tag::DayMonthJoiner);
        b.add_all(&c.event_joiners, Tag::EventJoiner);
        b.add_all(&c.first_since, Tag::FirstSince);
        b.add_all(&c.dateline_cues, Tag::DatelineCue);
        b.add_all(&c.reported_clause, Tag::ReportedClause);
        b.add_all(&c.editors_note_cues, Tag::EditorsNoteCue);
        b.add_all(&c.caption_cues, Tag::CaptionCue);
        b.add_all(&c.archive_cues, Tag::ArchiveCue);
        for (w, md) in &c.holidays {
            let parsed = md
                .split_once('-')
                .and_then(|(m, d)| Some((m.parse::<u32>().ok()?, d.parse::<u32>().ok()?)))
                .filter(|&(m, d)| chrono::NaiveDate::from_ymd_opt(2024, m, d).is_some());
            let Some((m, d)) = parsed else {
                return Err(invalid(
                    "calendar.toml",
                    format!("holiday {w} = {md:?} is not MM-DD"),
                ));
            };
            b.add(w, Tag::Holiday(m * 100 + d));
        }

        let g = &files.gazetteer;
        let mut regions = Vec::new();
        for (i, r) in g.regions.iter().enumerate() {
            let idx = u16::try_from(i)
                .map_err(|_| invalid("gazetteer.toml", "too many regions".into()))?;
            b.add_all(&r.phrases, Tag::Region(idx));
            regions.push(Region {
                key: r.key.clone(),
                name: r.name.clone(),
                point: r.point,
            });
        }
        b.add_all(&g.same_area, Tag::SameArea);
        b.add_all(&g.blockers, Tag::RegionBlocker);
        b.add_all(&g.area_cues, Tag::AreaCue);
        b.add_all(&g.adjective_heads, Tag::AdjectiveHead);

        let e = &files.events;
        b.add_all(&e.triggers, Tag::Trigger);
        b.add_all(&e.weak_triggers, Tag::WeakTrigger);
        b.add_all(&e.generic_triggers, Tag::GenericTrigger);
        b.add_all(&e.strike_nouns, Tag::StrikeNoun);
        b.add_all(&e.vessel_nouns, Tag::VesselNoun);
        b.add_all(&e.strike_site_cues, Tag::StrikeSite);
        b.add_all(&e.event_nouns, Tag::EventNoun);
        b.add_all(&e.deployment_cues, Tag::Deployment);
        b.add_all(&e.vessel_determiners, Tag::VesselDet);
        b.add_all(&e.definite_determiners, Tag::DefiniteDet);
        b.add_all(&e.possessive_determiners, Tag::PossessiveDet);
        b.add_all(&e.person_nouns, Tag::PersonNoun);
        b.add_all(&e.dead_nouns, Tag::DeadNoun);
        b.add_all(&e.kill_after_number, Tag::KillAfter);
        b.add_all(&e.kill_before_number, Tag::KillBefore);
        b.add_all(&e.survivors, Tag::Survivor);
        b.add_all(&e.no_survivors, Tag::NoSurvivors);
        b.add_all(&e.all_quantifiers, Tag::All);
        b.add_all(&e.both, Tag::Both);
        b.add_all(&e.aboard, Tag::Aboard);
        b.add_all(&e.each, Tag::Each);
        b.add_all(&e.another, Tag::Another);
        b.add_all(&e.other_strike, Tag::OtherStrike);
        b.add_all(&e.group_cues, Tag::GroupCue);
        b.add_all(&e.correction, Tag::Correction);
        b.add_all(&e.stop_words, Tag::Stop);
        b.add_all(&e.copulas, Tag::Copula);
        b.add_all(&e.strike_objects, Tag::StrikeObject);
        b.add_all(&e.occurrence_verbs, Tag::Occurrence);
        b.add_all(&e.partitives, Tag::Partitive);
        b.add_all(&e.conjunctions, Tag::Conjunction);
        b.add_all(&e.clause_conjunctions, Tag::ClauseConjunction);
        b.add_all(&e.share_prepositions, Tag::SharePrep);
        b.add_all(&e.occasion_prepositions, Tag::OccasionPrep);
        b.add_all(&e.relative_pronouns, Tag::Relative);
        b.add_all(&e.subordinators, Tag::Subordinator);
        let mut target_groups = Vec::new();
        for (i, (name, wordings)) in e.target_groups.iter().enumerate() {
            let idx = u16::try_from(i)
                .map_err(|_| invalid("events.toml", "too many target groups".into()))?;
            b.add_all(wordings, Tag::TargetGroup(idx));
            target_groups.push(name.clone());
        }
        let mut announcers = Vec::new();
        for (i, (name, wordings)) in e.announcers.iter().enumerate() {
            let idx = u16::try_from(i)
                .map_err(|_| invalid("events.toml", "too many announcers".into()))?;
            b.add_all(wordings, Tag::Announcer(idx));
            announcers.push(name.clone());
        }

        let t = &files.totals;
        b.add_all(&t.total_cues, Tag::TotalCue);
        b.add_all(&t.toll_cues, Tag::TollCue);
        b.add_all(&t.death_tolls, Tag::DeathToll);
        b.add_all(&t.not_the_dead, Tag::NotTheDead);
        b.add_all(&t.vague_figures, Tag::VagueFigure);
        b.add_all(&t.inclusions, Tag::Inclusion);
        b.add_all(&t.rank_of_kind, Tag::RankOfKind);
        b.add_all(&t.joins_earlier, Tag::JoinsEarlier);
        b.add_all(&t.subtotal_cues, Tag::SubtotalCue);
        b.add_all(&t.tally_after_rank, Tag::TallyAfterRank);
        b.add_all(&t.rank_blockers, Tag::RankBlocker);
        b.add_all(&t.rank_leads, Tag::RankLead);
        b.add_all(&t.rank_leads_weak, Tag::RankLeadWeak);
        b.add_all(&t.toll_to, Tag::TollTo);
        b.add_all(&t.strike_tally_cues, Tag::StrikeTallyCue);
        b.add_all(&t.raise_verbs, Tag::RaiseVerb);
        b.add_all(&t.cumulative_scopes, Tag::CumulativeScope);
        b.add_all(&files.noise.speech, Tag::Speech);
        b.add_all(&files.noise.noise, Tag::Noise);
        b.add_all(&files.noise.hypothetical, Tag::Hypothetical);
        b.add_all(&files.noise.mishap, Tag::Mishap);

        // One-token phrases are looked up per token; only longer phrases go
        // through the automaton (leftmost-longest: of two phrases that
        // overlap, the longer one wins).
        let mut single_token = WordTable::default();
        let mut multi_patterns = Vec::new();
        let mut multi_tags = Vec::new();
        for (pattern, tags) in b.patterns.into_iter().zip(b.tags) {
            if crate::text::tokenize(&pattern).len() == 1 {
                single_token.insert(pattern, tags);
            } else {
                multi_patterns.push(pattern);
                multi_tags.push(tags);
            }
        }
        // A full DFA: the scan over every document is the hot path. Built
        // in the phrases' own code, as the scan reads the text.
        let automaton = PhraseDfa::build(MatchKind::LeftmostLongest, &multi_patterns)
            .map_err(|e| invalid("*", e.to_string()))?;

        Ok(CompiledLanguage {
            language: files.language.clone(),
            automaton,
            pattern_tags: multi_tags,
            single_token,
            regions,
            target_groups,
            announcers,
            abbreviations: files
                .sentences
                .abbreviations
                .iter()
                .map(|a| a.to_lowercase())
                .collect(),
            number_words: n
                .words
                .iter()
                .map(|(k, v)| (k.to_lowercase(), *v))
                .collect(),
            vessel_words: e.vessel_nouns.iter().map(|v| v.to_lowercase()).collect(),
            ordinal_suffixes: n
                .ordinal_suffixes
                .iter()
                .map(|v| v.to_lowercase())
                .collect(),
            numeric_dates: files.calendar.numeric_dates,
            campaign_start: files.calendar.campaign_start,
            follow_up_known: files.calendar.follow_up_known,
            first_strike_killed: files.calendar.first_strike_killed,
            campaign_floor: {
                let mut floor = files.calendar.campaign_floor.clone();
                floor.sort_by_key(|f| f.from);
                floor
            },
            max_killed_per_strike: e.max_killed_per_strike,
            max_boats_per_strike: e.max_boats_per_strike,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `pack_short`'s definition, one byte at a time.
    fn pack_short_bytewise(word: &[u8]) -> Option<u64> {
        if word.len() > 8 {
            return None;
        }
        let mut packed = 0u64;
        for (i, &b) in word.iter().enumerate() {
            if b == 0 || !b.is_ascii() {
                return None;
            }
            packed |= u64::from(b.to_ascii_lowercase()) << (8 * i);
        }
        Some(packed)
    }

    #[test]
    fn packed_words_are_their_lower_cased_bytes() {
        let mut words: Vec<Vec<u8>> = [
            "",
            "a",
            "Z",
            "@[`{",
            "KiLLeD",
            "abcdefgh",
            "ABCDEFGHI",
            "é",
            "a\0b",
        ]
        .iter()
        .map(|w| w.as_bytes().to_vec())
        .collect();
        // Every byte value in every position of short words.
        for len in 1..=8 {
            for b in 0..=255u8 {
                let mut w = b"MixedCa5".get(..len).unwrap_or_default().to_vec();
                w[len - 1] = b;
                words.push(w.clone());
                w[0] = b;
                words.push(w);
            }
        }
        for w in &words {
            assert_eq!(pack_short(w), pack_short_bytewise(w), "{w:?}");
        }
    }

    #[test]
    fn word_table_finds_words_of_any_case_and_length() {
        let mut table = WordTable::default();
        for key in [
            "kill",
            "killed",
            "narco-terrorists",
            "lancha",
            "tripulación",
            "a",
        ] {
            table.insert(key.to_string(), vec![Tag::KillAfter]);
        }
        let mut scratch = String::new();
        for word in [
            "kill",
            "KILLED",
            "Narco-Terrorists",
            "LANCHA",
            "Tripulación",
            "TRIPULACIÓN",
            "A",
            // The Kelvin sign lower-cases to an ASCII `k`.
            "\u{212A}ill",
        ] {
            assert!(table.get(word, &mut scratch).is_some(), "{word}");
        }
        for word in ["kil", "killer", "narco", "", "lanchas", "\0"] {
            assert!(table.get(word, &mut scratch).is_none(), "{word:?}");
        }
    }
}
