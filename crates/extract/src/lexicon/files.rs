//! The lexicon files as they are written: one serde struct per file kind.

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NumbersFile {
    pub version: u32,
    pub words: BTreeMap<String, u32>,
    #[serde(default)]
    pub ordinals: BTreeMap<String, u32>,
    #[serde(default)]
    pub lower_bound: Vec<String>,
    /// Words making the next figure approximate ("about 75", "unos 80"): read
    /// as the figure, not as a lower bound.
    #[serde(default)]
    pub approximate: Vec<String>,
    /// Words between a strike noun and its number ("strike number 29").
    #[serde(default)]
    pub ordinal_markers: Vec<String>,
    /// Words that make the number before them a difference, not a count
    /// ("one lower", "two more").
    #[serde(default)]
    pub comparatives: Vec<String>,
    /// Nouns after which "one" is an article, not a count ("un total de
    /// 109", "una cifra de").
    #[serde(default)]
    pub article_nouns: Vec<String>,
    /// Endings that make digits an ordinal ("42nd", "37º", "9e").
    #[serde(default)]
    pub ordinal_suffixes: Vec<String>,
}

/// How a language writes an all-digit date.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NumericDateOrder {
    #[default]
    DayFirst,
    MonthFirst,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarFile {
    pub version: u32,
    pub months: BTreeMap<String, u32>,
    pub weekdays: BTreeMap<String, u32>,
    #[serde(default)]
    pub relative_days: BTreeMap<String, i32>,
    /// Words that name a day relative to the strike told just before
    /// ("two days earlier" = -2).
    #[serde(default)]
    pub anchored_days: BTreeMap<String, i32>,
    #[serde(default)]
    pub this_week: Vec<String>,
    #[serde(default)]
    pub this_month: Vec<String>,
    /// Words before a month named alone ("in September"): the strike
    /// told with it happened some time in that month.
    #[serde(default)]
    pub in_month: Vec<String>,
    #[serde(default)]
    pub last_week: Vec<String>,
    #[serde(default)]
    pub date_prefixes: Vec<String>,
    #[serde(default)]
    pub since: Vec<String>,
    #[serde(default)]
    pub as_of: Vec<String>,
    /// Words opening a span of days ("between Sept. 2 and Jan. 26"): its
    /// days bound a count, they date no strike.
    #[serde(default)]
    pub range_openers: Vec<String>,
    #[serde(default)]
    pub end_of_month: Vec<String>,
    #[serde(default)]
    pub day_month_joiners: Vec<String>,
    #[serde(default)]
    pub event_joiners: Vec<String>,
    #[serde(default)]
    pub first_since: Vec<String>,
    /// Words opening a line whose full date is the page's own ("Updated:",
    /// "Published:"): the anchor of a page without a publication date.
    #[serde(default)]
    pub dateline_cues: Vec<String>,
    /// Words opening a reported clause ("that", "que"): a date after one
    /// belongs to what was said, not to when it was said.
    #[serde(default)]
    pub reported_clause: Vec<String>,
    /// "Editor's note": a full date in such a line anchors the page.
    #[serde(default)]
    pub editors_note_cues: Vec<String>,
    /// Words of a photo caption ("Photo:", "file photo"): its date anchors
    /// a page that has no better one.
    #[serde(default)]
    pub caption_cues: Vec<String>,
    /// Order of an all-digit date with its year ("23.01.2026", "1/23/2026"):
    /// `day_first` (the default) or `month_first`. A part above 12 decides.
    #[serde(default)]
    pub numeric_dates: NumericDateOrder,
    /// "FILE PHOTO", "foto de archivo": a caption of an older picture, whose
    /// date never anchors the page.
    #[serde(default)]
    pub archive_cues: Vec<String>,
    /// Holidays by name, as "MM-DD" ("christmas eve" = "12-24").
    #[serde(default)]
    pub holidays: BTreeMap<String, String>,
    /// The campaign's first day (`YYYY-MM-DD`). A page with no date and no
    /// year anywhere reads "on October 14" as the first October 14 on or
    /// after it: such pages are about the campaign's first year.
    #[serde(default)]
    pub campaign_start: Option<chrono::NaiveDate>,
    /// The day the first follow-up strike on one boat's survivors became
    /// known: before it, "a second strike" can only be the campaign's second.
    #[serde(default)]
    pub follow_up_known: Option<chrono::NaiveDate>,
    /// The dead of the campaign's first strike: no running toll of the
    /// campaign is lower, so a smaller figure is one strike's toll.
    #[serde(default)]
    pub first_strike_killed: Option<u32>,
    /// What the campaign had reached by a day, counted low: a running total
    /// as of that day or later below it is a part (one announcement, one
    /// week, one sea, one year), never the campaign's.
    #[serde(default)]
    pub campaign_floor: Vec<CampaignFloor>,
}

/// One step of `campaign_floor`: from `from` on, no running total of the
/// campaign counts fewer strikes or dead than these.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignFloor {
    pub from: chrono::NaiveDate,
    pub strikes: u32,
    pub killed: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionEntry {
    pub key: String,
    pub name: String,
    /// Representative `[longitude, latitude]`.
    pub point: [f64; 2],
    pub phrases: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GazetteerFile {
    pub version: u32,
    pub regions: Vec<RegionEntry>,
    #[serde(default)]
    pub same_area: Vec<String>,
    #[serde(default)]
    pub blockers: Vec<String>,
    /// Wordings that open a command's area ("responsible for", "oversees"):
    /// a sea named after one in the same clause is no strike's place.
    #[serde(default)]
    pub area_cues: Vec<String>,
    /// Nouns right after a sea's name that make the name an adjective
    /// ("Caribbean leaders", "Caribbean nations"): no strike's place.
    #[serde(default)]
    pub adjective_heads: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventsFile {
    pub version: u32,
    pub triggers: Vec<String>,
    /// The most dead one strike of the campaign has been reported with, with
    /// room to spare: a larger figure beside a smaller one ("killed six … the
    /// operation with which the United States has killed more than 150
    /// people") counts the campaign, not the strike.
    #[serde(default)]
    pub max_killed_per_strike: Option<u32>,
    /// The most boats one day's strikes have been reported to hit, with room
    /// to spare: more boats counted with a death figure and no strike day
    /// ("has sunk seventeen boats and 66 lives") count the campaign.
    #[serde(default)]
    pub max_boats_per_strike: Option<u32>,
    /// Strike words that also tell an accident ("the boat sank"): no strike
    /// in a sentence that tells a mishap (`noise.mishap`).
    #[serde(default)]
    pub weak_triggers: Vec<String>,
    /// General strike words ("operation"): strike words only beside a
    /// vessel or a sea region (`rules::operation_needs_a_boat`).
    #[serde(default)]
    pub generic_triggers: Vec<String>,
    pub strike_nouns: Vec<String>,
    pub vessel_nouns: Vec<String>,
    /// Wordings that place the struck boats or their crews ("nautical miles",
    /// "in the water", "all three"): a sea named beside one, in a sentence
    /// with no strike word, is the strike's region.
    #[serde(default)]
    pub strike_site_cues: Vec<String>,
    /// Wordings of the naval deployment ("warships", "el despliegue"): a
    /// sentence with one tells where the fleet is, not where a boat was struck.
    #[serde(default)]
    pub deployment_cues: Vec<String>,
    /// Words for the event told before ("the incident", "el hecho"): with a
    /// verb of taking place and a day after it, the strike's day
    /// (`rules::day_after_lead`).
    #[serde(default)]
    pub event_nouns: Vec<String>,
    #[serde(default)]
    pub vessel_determiners: Vec<String>,
    #[serde(default)]
    pub definite_determiners: Vec<String>,
    /// "killed its three crew", "mató a sus tres ocupantes": a possessive
    /// between a kill word and its figure.
    #[serde(default)]
    pub possessive_determiners: Vec<String>,
    pub person_nouns: Vec<String>,
    /// Nouns that name the dead only right after their number ("144
    /// victims"): elsewhere ("identified as possible victims") they are no
    /// kill word.
    #[serde(default)]
    pub dead_nouns: Vec<String>,
    pub kill_after_number: Vec<String>,
    pub kill_before_number: Vec<String>,
    pub survivors: Vec<String>,
    #[serde(default)]
    pub no_survivors: Vec<String>,
    #[serde(default)]
    pub all_quantifiers: Vec<String>,
    #[serde(default)]
    pub both: Vec<String>,
    #[serde(default)]
    pub aboard: Vec<String>,
    #[serde(default)]
    pub each: Vec<String>,
    #[serde(default)]
    pub another: Vec<String>,
    #[serde(default)]
    pub other_strike: Vec<String>,
    /// Words that put one person inside a group's figure ("was among 32
    /// people killed", "entre los 32 muertos"): the figure is no strike's.
    #[serde(default)]
    pub group_cues: Vec<String>,
    #[serde(default)]
    pub correction: Vec<String>,
    #[serde(default)]
    pub stop_words: Vec<String>,
    #[serde(default)]
    pub copulas: Vec<String>,
    /// Words joining a strike noun to what it hit ("strikes on boats").
    #[serde(default)]
    pub strike_objects: Vec<String>,
    /// Verbs saying a strike took place ("was carried out", "se realizó"):
    /// "The strike was carried out on Friday" dates the strike told before.
    #[serde(default)]
    pub occurrence_verbs: Vec<String>,
    /// Words joining a number to the group it is a part of: "two of the
    /// four", "two of the strikes", "dos de ellos".
    #[serde(default)]
    pub partitives: Vec<String>,
    /// Words joining the items of a list: "two in the Pacific and one in the
    /// Caribbean"; after a comma, a figure with one before it is elliptic.
    #[serde(default)]
    pub conjunctions: Vec<String>,
    /// Besides `conjunctions`, words that after a comma open a clause of
    /// their own ("…, but the command gave no toll").
    #[serde(default)]
    pub clause_conjunctions: Vec<String>,
    /// Relative pronouns: "three people who died in the strike".
    #[serde(default)]
    pub relative_pronouns: Vec<String>,
    /// Words opening a clause of time ("when", "cuando"): a count's verb is
    /// never in it.
    #[serde(default)]
    pub subordinators: Vec<String>,
    /// Prepositions placing a share of one announcement's strikes in a sea:
    /// "two in the eastern Pacific".
    #[serde(default)]
    pub share_prepositions: Vec<String>,
    /// Prepositions naming the strikes deaths happened in: "killed during
    /// the three strikes".
    #[serde(default)]
    pub occasion_prepositions: Vec<String>,
    /// Canonical group name = wordings.
    #[serde(default)]
    pub target_groups: BTreeMap<String, Vec<String>>,
    /// Bodies that announce strikes, canonical name = wordings ("Southern
    /// Command"); named persons come from the statement actors.
    #[serde(default)]
    pub announcers: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TotalsFile {
    pub version: u32,
    pub total_cues: Vec<String>,
    #[serde(default)]
    pub toll_cues: Vec<String>,
    /// Toll wordings that name the dead themselves ("death toll", "número
    /// de muertos"): a strike word between one and its figure never makes
    /// the figure a count of strikes ("the death toll from these strikes
    /// stands at 87").
    #[serde(default)]
    pub death_tolls: Vec<String>,
    /// What else a total wording may count ("the total number of US
    /// personnel in the region to 16,000"): named between a toll wording and
    /// its figure, the figure is not the dead.
    #[serde(default)]
    pub not_the_dead: Vec<String>,
    /// Round, vague quantities ("un centenar", "a hundred"): the annotation
    /// rules record no total from "more than a hundred", so no total takes
    /// such a figure.
    #[serde(default)]
    pub vague_figures: Vec<String>,
    /// Words after a total that tell a part of it ("including 11 people
    /// earlier this week", "entre ellos"): a day after one dates that part,
    /// not the total.
    #[serde(default)]
    pub inclusions: Vec<String>,
    /// Words after a rank that refer it to the strike told before it in
    /// the sentence ("was at least the sixth of its kind").
    #[serde(default)]
    pub rank_of_kind: Vec<String>,
    /// Wordings that tell a strike as joining earlier ones ("se suma a otros
    /// 40"): the campaign's count is that figure and one.
    #[serde(default)]
    pub joins_earlier: Vec<String>,
    #[serde(default)]
    pub subtotal_cues: Vec<String>,
    /// Cumulative death wordings ("have been killed") read as a running
    /// total only right after a sentence that ranks a strike ("the 29th strike").
    #[serde(default)]
    pub tally_after_rank: Vec<String>,
    /// Words that make a strike's rank a rank within a week, a year, a sea
    /// or a command's tenure, not the campaign's ("this week", "under").
    #[serde(default)]
    pub rank_blockers: Vec<String>,
    /// Words right before a rank that make it the campaign's ("it was the",
    /// "the campaign's", "fue el").
    #[serde(default)]
    pub rank_leads: Vec<String>,
    /// Weaker leads that make a rank the campaign's only from the third on
    /// ("ordered a fourth strike", "its 10th strike", "this eighth deadly
    /// strike"): "a second strike" is as often a follow-up on the same boat.
    #[serde(default)]
    pub rank_leads_weak: Vec<String>,
    /// The word that brings a toll wording to its figure ("to" in "the
    /// number of deaths from … strikes in the Caribbean to at least 105"):
    /// a figure after it may stand far from the wording.
    #[serde(default)]
    pub toll_to: Vec<String>,
    /// Wordings that make a count of strikes the campaign's, with or without
    /// a death figure ("has carried out 16 strikes since September", "ya son
    /// ocho los ataques"): `rules::strike_tally`.
    #[serde(default)]
    pub strike_tally_cues: Vec<String>,
    /// Verbs that raise a toll ("raise", "brought", "eleva"): a dated strike
    /// before one names the strike the toll includes (`rules::dated_strike_with_total`).
    #[serde(default)]
    pub raise_verbs: Vec<String>,
    /// Strikes named as many, across the campaign ("in similar strikes",
    /// "since these operations", "los ataques"): with a cumulative death
    /// wording and no strike day, the figure is the campaign's
    /// (`rules::cumulative_over_strikes`).
    #[serde(default)]
    pub cumulative_scopes: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoiseFile {
    pub version: u32,
    pub speech: Vec<String>,
    pub noise: Vec<String>,
    /// Words that make a strike word a threat or a supposition ("would
    /// strike", "threatened to hit", "amenazó con atacar").
    #[serde(default)]
    pub hypothetical: Vec<String>,
    /// Words of a boat lost by accident ("capsized", "drowned", "naufragó"):
    /// deaths told with them are no strike's.
    #[serde(default)]
    pub mishap: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SentencesFile {
    pub version: u32,
    pub abbreviations: Vec<String>,
}

/// All strike-side lexicon files of one language.
#[derive(Debug, Clone)]
pub struct LanguageFiles {
    pub language: String,
    pub numbers: NumbersFile,
    pub calendar: CalendarFile,
    pub gazetteer: GazetteerFile,
    pub events: EventsFile,
    pub totals: TotalsFile,
    pub noise: NoiseFile,
    pub sentences: SentencesFile,
}

impl LanguageFiles {
    /// Every phrase list of this language with a name, for the checks that
    /// lists are deduplicated and lower case.
    pub fn named_lists(&self) -> Vec<(&'static str, Vec<&str>)> {
        fn keys<V>(m: &BTreeMap<String, V>) -> Vec<&str> {
            m.keys().map(String::as_str).collect()
        }
        fn list(v: &[String]) -> Vec<&str> {
            v.iter().map(String::as_str).collect()
        }
        let mut out = vec![
            ("numbers.words", keys(&self.numbers.words)),
            ("numbers.ordinals", keys(&self.numbers.ordinals)),
            ("numbers.lower_bound", list(&self.numbers.lower_bound)),
            ("numbers.approximate", list(&self.numbers.approximate)),
            (
                "numbers.ordinal_markers",
                list(&self.numbers.ordinal_markers),
            ),
            ("numbers.comparatives", list(&self.numbers.comparatives)),
            ("numbers.article_nouns", list(&self.numbers.article_nouns)),
            (
                "numbers.ordinal_suffixes",
                list(&self.numbers.ordinal_suffixes),
            ),
            ("calendar.months", keys(&self.calendar.months)),
            ("calendar.weekdays", keys(&self.calendar.weekdays)),
            ("calendar.relative_days", keys(&self.calendar.relative_days)),
            ("calendar.anchored_days", keys(&self.calendar.anchored_days)),
            ("calendar.this_week", list(&self.calendar.this_week)),
            ("calendar.this_month", list(&self.calendar.this_month)),
            ("calendar.in_month", list(&self.calendar.in_month)),
            ("calendar.last_week", list(&self.calendar.last_week)),
            ("calendar.date_prefixes", list(&self.calendar.date_prefixes)),
            ("calendar.since", list(&self.calendar.since)),
            ("calendar.as_of", list(&self.calendar.as_of)),
            ("calendar.end_of_month", list(&self.calendar.end_of_month)),
            ("calendar.event_joiners", list(&self.calendar.event_joiners)),
            ("calendar.first_since", list(&self.calendar.first_since)),
            ("calendar.dateline_cues", list(&self.calendar.dateline_cues)),
            (
                "calendar.reported_clause",
                list(&self.calendar.reported_clause),
            ),
            (
                "calendar.editors_note_cues",
                list(&self.calendar.editors_note_cues),
            ),
            ("calendar.caption_cues", list(&self.calendar.caption_cues)),
            ("calendar.archive_cues", list(&self.calendar.archive_cues)),
            ("calendar.holidays", keys(&self.calendar.holidays)),
            ("gazetteer.same_area", list(&self.gazetteer.same_area)),
            ("gazetteer.blockers", list(&self.gazetteer.blockers)),
            ("gazetteer.area_cues", list(&self.gazetteer.area_cues)),
            (
                "gazetteer.adjective_heads",
                list(&self.gazetteer.adjective_heads),
            ),
            ("events.triggers", list(&self.events.triggers)),
            ("events.weak_triggers", list(&self.events.weak_triggers)),
            (
                "events.generic_triggers",
                list(&self.events.generic_triggers),
            ),
            ("events.strike_nouns", list(&self.events.strike_nouns)),
            ("events.vessel_nouns", list(&self.events.vessel_nouns)),
            (
                "events.vessel_determiners",
                list(&self.events.vessel_determiners),
            ),
            (
                "events.definite_determiners",
                list(&self.events.definite_determiners),
            ),
            (
                "events.possessive_determiners",
                list(&self.events.possessive_determiners),
            ),
            ("events.person_nouns", list(&self.events.person_nouns)),
            ("events.dead_nouns", list(&self.events.dead_nouns)),
            (
                "events.kill_after_number",
                list(&self.events.kill_after_number),
            ),
            (
                "events.kill_before_number",
                list(&self.events.kill_before_number),
            ),
            ("events.survivors", list(&self.events.survivors)),
            ("events.no_survivors", list(&self.events.no_survivors)),
            ("events.all_quantifiers", list(&self.events.all_quantifiers)),
            ("events.both", list(&self.events.both)),
            ("events.strike_objects", list(&self.events.strike_objects)),
            (
                "events.occurrence_verbs",
                list(&self.events.occurrence_verbs),
            ),
            ("events.partitives", list(&self.events.partitives)),
            ("events.conjunctions", list(&self.events.conjunctions)),
            (
                "events.clause_conjunctions",
                list(&self.events.clause_conjunctions),
            ),
            (
                "events.relative_pronouns",
                list(&self.events.relative_pronouns),
            ),
            ("events.subordinators", list(&self.events.subordinators)),
            (
                "events.share_prepositions",
                list(&self.events.share_prepositions),
            ),
            (
                "events.occasion_prepositions",
                list(&self.events.occasion_prepositions),
            ),
            (
                "events.strike_site_cues",
                list(&self.events.strike_site_cues),
            ),
            ("events.deployment_cues", list(&self.events.deployment_cues)),
            ("events.event_nouns", list(&self.events.event_nouns)),
            ("events.aboard", list(&self.events.aboard)),
            ("events.each", list(&self.events.each)),
            ("events.another", list(&self.events.another)),
            ("events.other_strike", list(&self.events.other_strike)),
            ("events.group_cues", list(&self.events.group_cues)),
            ("events.correction", list(&self.events.correction)),
            ("events.stop_words", list(&self.events.stop_words)),
            ("events.copulas", list(&self.events.copulas)),
            ("totals.total_cues", list(&self.totals.total_cues)),
            ("totals.toll_cues", list(&self.totals.toll_cues)),
            ("totals.death_tolls", list(&self.totals.death_tolls)),
            ("totals.not_the_dead", list(&self.totals.not_the_dead)),
            ("totals.vague_figures", list(&self.totals.vague_figures)),
            ("totals.inclusions", list(&self.totals.inclusions)),
            ("totals.rank_of_kind", list(&self.totals.rank_of_kind)),
            ("totals.joins_earlier", list(&self.totals.joins_earlier)),
            ("totals.subtotal_cues", list(&self.totals.subtotal_cues)),
            (
                "totals.tally_after_rank",
                list(&self.totals.tally_after_rank),
            ),
            (
                "totals.cumulative_scopes",
                list(&self.totals.cumulative_scopes),
            ),
            ("totals.rank_blockers", list(&self.totals.rank_blockers)),
            ("totals.rank_leads", list(&self.totals.rank_leads)),
            ("totals.rank_leads_weak", list(&self.totals.rank_leads_weak)),
            ("totals.toll_to", list(&self.totals.toll_to)),
            (
                "totals.strike_tally_cues",
                list(&self.totals.strike_tally_cues),
            ),
            ("totals.raise_verbs", list(&self.totals.raise_verbs)),
            ("noise.speech", list(&self.noise.speech)),
            ("noise.noise", list(&self.noise.noise)),
            ("noise.hypothetical", list(&self.noise.hypothetical)),
            ("noise.mishap", list(&self.noise.mishap)),
            (
                "sentences.abbreviations",
                list(&self.sentences.abbreviations),
            ),
        ];
        let mut region_keys = Vec::new();
        for region in &self.gazetteer.regions {
            region_keys.push(region.key.as_str());
        }
        out.push(("gazetteer.regions.key", region_keys));
        let all_phrases = self
            .gazetteer
            .regions
            .iter()
            .flat_map(|r| r.phrases.iter().map(String::as_str))
            .collect();
        out.push(("gazetteer.regions.phrases", all_phrases));
        let groups = self
            .events
            .target_groups
            .values()
            .flat_map(|v| v.iter().map(String::as_str))
            .collect();
        out.push(("events.target_groups", groups));
        let announcers = self
            .events
            .announcers
            .values()
            .flat_map(|v| v.iter().map(String::as_str))
            .collect();
        out.push(("events.announcers", announcers));
        out
    }
}
