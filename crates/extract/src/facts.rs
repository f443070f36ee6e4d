//! What one sentence states: counts (killed, survivors, vessels, strikes),
//! regions, and the cue words that decide how a sentence is read.

use crate::annotate::{Annotated, Hit};
use crate::lexicon::compiled::Tag;
use crate::text::TokKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountKind {
    Killed,
    Survivors,
    Vessels,
    /// "the boat": one vessel, used only when no other count is given.
    VesselsWeak,
    Strikes,
    /// "three men aboard": people on the boat, not a death toll.
    Aboard,
    /// "a third boat was hit": at least that many boats in the strike.
    VesselOrdinal,
}

#[derive(Debug, Clone, Copy)]
pub struct CountItem {
    pub kind: CountKind,
    pub value: u32,
    pub at_least: bool,
    pub start: usize,
    pub end: usize,
    /// Per-boat figure: `Some(Some(n))` "on each of the n boats", `Some(None)` "on each".
    pub per_each: Option<Option<u32>>,
    /// Region named right after the figure when a sentence names several.
    pub region_hint: Option<u16>,
}

impl CountItem {
    pub fn new(kind: CountKind, value: u32, start: usize, end: usize) -> CountItem {
        CountItem {
            kind,
            value,
            at_least: false,
            start,
            end,
            per_each: None,
            region_hint: None,
        }
    }
}

/// A region wording; `region` is `None` for "in the same waters".
#[derive(Debug, Clone, Copy)]
pub struct RegionItem {
    pub region: Option<u16>,
    pub start: usize,
    pub end: usize,
    /// Taken from the region told before ("in the same waters").
    pub carried: bool,
}

/// "two in the eastern Pacific and one in the Caribbean".
#[derive(Debug, Clone, Copy)]
pub struct BreakdownItem {
    pub region: u16,
    pub value: u32,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Default, Clone)]
pub struct SentenceFacts {
    pub counts: Vec<CountItem>,
    pub regions: Vec<RegionItem>,
    pub breakdown: Vec<BreakdownItem>,
    pub triggers: Vec<Hit>,
    /// A factual strike word anywhere in the sentence, count phrases included.
    pub strike_word: bool,
    /// The sentence tells a boat lost by accident (`rules::mishap`).
    pub mishap: bool,
    pub toll: Option<CountItem>,
    pub strike_ordinal: Option<CountItem>,
    pub target_group: Option<Hit>,
    pub total_cue: Option<Hit>,
    pub subtotal: bool,
    /// A cumulative death wording ("have been killed"), a total after a ranked strike.
    pub tally_after_rank: bool,
    pub correction: bool,
    pub other_strike: bool,
    pub another: bool,
    /// Two seas joined ("in the Pacific and Caribbean"), kept out of
    /// `regions`: the campaign's waters, or one announcement's two seas.
    pub joined_seas: Vec<RegionItem>,
}

impl SentenceFacts {
    pub fn has(&self, kind: CountKind) -> bool {
        self.counts.iter().any(|c| c.kind == kind)
    }
}

enum Head {
    Vessel(usize),
    Strike(usize),
    Kill(usize),
    Survivor(usize),
    Person(usize),
    None,
}

fn is_year(doc: &Annotated, t: usize, v: u32) -> bool {
    doc.word(t).len() == 4 && (1900..=2100).contains(&v)
}

/// A cardinal at `t`: (value, end token).
pub fn number_at(doc: &Annotated, t: usize) -> Option<(u32, usize)> {
    let tok = doc.tokens.get(t)?;
    match tok.kind {
        TokKind::Digits(Some(v)) => {
            if is_year(doc, t, v)
                || doc.punct(t + 1) == Some('%')
                || doc.punct(t.wrapping_sub(1)) == Some('$')
            {
                return None;
            }
            // "3 p.m.", "10:30"
            if doc.punct(t + 1) == Some(':') {
                return None;
            }
            Some((v, t + 1))
        }
        TokKind::Word => {
            if let Some(h) = doc.find_at(t, |g| matches!(g, Tag::Number(_)))
                && let Tag::Number(v) = h.tag
            {
                // "han dejado un total de 109": an article, not one.
                if v == 1 && doc.find_at(h.end, |g| g == Tag::ArticleNoun).is_some() {
                    return None;
                }
                return Some((v, h.end));
            }
            // "twenty-one"
            if has_hyphen(doc.word_bytes(t)) {
                let w = doc.word(t).to_lowercase();
                let mut sum = 0;
                for part in w.split('-') {
                    sum += *doc.lang.number_words.get(part)?;
                }
                return Some((sum, t + 1));
            }
            None
        }
        _ => None,
    }
}

/// Whether a word holds an ASCII hyphen. Asked of nearly every token; a
/// plain byte loop beats the general substring search on such short words.
#[allow(clippy::manual_contains)] // measured: the loop is faster on short words
fn has_hyphen(word: &[u8]) -> bool {
    word.iter().any(|&b| b == b'-')
}

/// "three-boat": a number fused to a vessel noun.
fn compound_vessels(doc: &Annotated, t: usize) -> Option<u32> {
    if !has_hyphen(doc.word_bytes(t)) {
        return None;
    }
    let w = doc.word(t).to_lowercase();
    let (num, noun) = w.split_once('-')?;
    if !doc.lang.vessel_words.contains(noun) {
        return None;
    }
    doc.lang
        .number_words
        .get(num)
        .copied()
        .or_else(|| num.parse().ok())
}

fn head_after(doc: &Annotated, from: usize, end: usize) -> Head {
    let mut k = from;
    let mut mods = 0;
    while k < end && mods <= 3 {
        if doc.is_quote(k) {
            k += 1;
            continue;
        }
        if doc.is_punct(k) || number_at(doc, k).is_some() {
            break;
        }
        let hits = doc.hits_at(k);
        let find = |tag: Tag| hits.iter().find(|h| h.tag == tag).map(|h| h.end);
        if let Some(e) = find(Tag::VesselNoun) {
            return Head::Vessel(e);
        }
        if let Some(e) = find(Tag::StrikeNoun) {
            return Head::Strike(e);
        }
        if let Some(e) = find(Tag::KillAfter).or_else(|| find(Tag::DeadNoun)) {
            return Head::Kill(e);
        }
        if let Some(e) = find(Tag::Survivor) {
            return Head::Survivor(e);
        }
        if let Some(e) = find(Tag::PersonNoun) {
            return Head::Person(e);
        }
        if let Some(e) = find(Tag::Copula) {
            k = e;
            continue;
        }
        // "son nueve los ataques": an article right after the number.
        if k == from && hits.iter().any(|h| h.tag == Tag::DefiniteDet) {
            k += 1;
            continue;
        }
        if hits
            .iter()
            .any(|h| matches!(h.tag, Tag::Stop | Tag::Each | Tag::Aboard))
        {
            break;
        }
        mods += 1;
        k += 1;
    }
    Head::None
}

/// After a person noun: the verb that says what happened to them.
/// Returns (kind, end, aboard seen).
fn person_predicate(doc: &Annotated, from: usize, end: usize) -> Option<(CountKind, usize, bool)> {
    let mut aboard = false;
    let mut k = from;
    let limit = (from + 9).min(end);
    while k < limit {
        if doc.is_quote(k) || doc.punct(k) == Some(',') {
            k += 1;
            continue;
        }
        // "Dos tripulantes de una lancha murieron": the boat they were on.
        if let Some(det) = doc.find_at(k, |g| g == Tag::VesselDet)
            && let Some(noun_end) = vessel_after_determiner(doc, det.end, end, 3)
        {
            k = noun_end;
            continue;
        }
        if doc.is_punct(k) || number_at(doc, k).is_some() {
            break;
        }
        let hits = doc.hits_at(k);
        if let Some(h) = hits.iter().find(|h| h.tag == Tag::KillAfter) {
            return Some((CountKind::Killed, h.end, aboard));
        }
        if let Some(h) = hits.iter().find(|h| h.tag == Tag::Survivor) {
            return Some((CountKind::Survivors, h.end, aboard));
        }
        if let Some(h) = hits.iter().find(|h| h.tag == Tag::Aboard) {
            aboard = true;
            k = h.end;
            continue;
        }
        if hits
            .iter()
            .any(|h| matches!(h.tag, Tag::Speech | Tag::Both))
        {
            break;
        }
        // "all six were killed" is its own count; "all narco-terrorists" is not.
        if hits.iter().any(|h| h.tag == Tag::All)
            && (number_at(doc, k + 1).is_some()
                || doc.find_at(k + 1, |g| g == Tag::Copula).is_some())
        {
            break;
        }
        if let Some(rel) = hits.iter().find(|h| h.tag == Tag::Relative) {
            // "three people who died in the strike", "tres personas que
            // murieron": a relative clause right on the people, led by its
            // kill word, counts them.
            if k == from
                && let Some(told) = predicate_after_relative(doc, rel.end, limit)
            {
                return Some((told.0, told.1, aboard));
            }
            break;
        }
        if hits.iter().any(|h| h.tag == Tag::Subordinator) {
            break;
        }
        k += 1;
    }
    if aboard {
        Some((CountKind::Aboard, k, true))
    } else {
        None
    }
}

/// The kill or survival word opening a relative clause ("who died", "who
/// were all killed", "que murieron", "who survived"), copulas and "all"
/// aside.
fn predicate_after_relative(
    doc: &Annotated,
    from: usize,
    limit: usize,
) -> Option<(CountKind, usize)> {
    let mut k = from;
    while k < limit {
        if let Some(h) = doc.find_at(k, |g| g == Tag::KillAfter) {
            return Some((CountKind::Killed, h.end));
        }
        if let Some(h) = doc.find_at(k, |g| g == Tag::Survivor) {
            return Some((CountKind::Survivors, h.end));
        }
        match doc.find_at(k, |g| matches!(g, Tag::Copula | Tag::All)) {
            Some(h) => k = h.end,
            None => return None,
        }
    }
    None
}

/// The tags the probes of [`sentence_facts`]' token loop open on ("both",
/// a determiner, an ordinal, a strike noun, a number word); a probe that
/// opens on another tag must name it here, or it is never tried.
fn opens_count(tag: Tag) -> bool {
    opens_on_determiner(tag) || opens_beyond_determiner(tag)
}

/// The determiners of [`opens_count`]: a token whose only such tags these
/// are can open one count alone, a boat after it
/// ([`one_vessel_after_determiner`]).
fn opens_on_determiner(tag: Tag) -> bool {
    matches!(tag, Tag::VesselDet | Tag::DefiniteDet)
}

/// The tags of [`opens_count`] other than determiners.
fn opens_beyond_determiner(tag: Tag) -> bool {
    matches!(
        tag,
        Tag::Both | Tag::Ordinal(_) | Tag::StrikeNoun | Tag::Number(_)
    )
}

/// "a boat", "the vessel": one boat after the determiner at `t`, when no
/// number stands at `t` itself.
fn one_vessel_after_determiner(doc: &Annotated, t: usize, end: usize) -> Option<CountItem> {
    let det = doc.find_at(t, opens_on_determiner)?;
    let definite = det.tag == Tag::DefiniteDet;
    let noun_end = vessel_after_determiner(doc, det.end, end, if definite { 1 } else { 3 })?;
    let kind = if definite {
        CountKind::VesselsWeak
    } else {
        CountKind::Vessels
    };
    number_at(doc, t)
        .is_none()
        .then(|| CountItem::new(kind, 1, t, noun_end))
}

fn in_spans(spans: &[(usize, usize)], t: usize) -> bool {
    spans.iter().any(|&(s, e)| s <= t && t < e)
}

/// Reads the facts of the sentence `start..end`; `skip` are token spans
/// (dates) whose numbers are not counts.
pub fn sentence_facts(
    doc: &Annotated,
    start: usize,
    end: usize,
    skip: &[(usize, usize)],
) -> SentenceFacts {
    let mut f = SentenceFacts::default();
    let mut consumed_kill: Vec<usize> = Vec::new();
    let mut part_of: Option<(u32, usize, usize)> = None;
    let mut t = start;
    while t < end {
        // Whether a phrase here may open a count (see below), read in the
        // same pass over the token's hits.
        let mut may_open = false;
        let mut opens_beyond = false;
        for h in doc.hits_at(t) {
            may_open |= opens_count(h.tag);
            opens_beyond |= opens_beyond_determiner(h.tag);
            match h.tag {
                Tag::Trigger => f.triggers.push(*h),
                Tag::TotalCue if f.total_cue.is_none() => f.total_cue = Some(*h),
                Tag::SubtotalCue => f.subtotal = true,
                Tag::Correction => f.correction = true,
                Tag::OtherStrike => f.other_strike = true,
                Tag::Another => f.another = true,
                Tag::TargetGroup(_) if f.target_group.is_none() => f.target_group = Some(*h),
                Tag::NoSurvivors => {
                    f.counts
                        .push(CountItem::new(CountKind::Survivors, 0, h.start, h.end))
                }
                _ => {}
            }
        }
        // A plain word or mark with no phrase that may open a count on it
        // and no hyphen cannot open any of the patterns below (each needs
        // such a hit here, a digit token, or a hyphenated compound): skip
        // the probes. Most words with a phrase are stop words and the like.
        let plain = matches!(
            doc.tokens.get(t).map(|k| k.kind),
            Some(TokKind::Word | TokKind::Punct(_))
        ) && !has_hyphen(doc.word_bytes(t));
        if !may_open && plain {
            t += 1;
            continue;
        }
        if in_spans(skip, t) {
            t += 1;
            continue;
        }
        // A plain determiner ("the", "a"), most of the tokens that get
        // here: of the probes below only the boat after it can open on it.
        if plain && !opens_beyond {
            match one_vessel_after_determiner(doc, t, end) {
                Some(item) => {
                    f.counts.push(item);
                    t = item.end;
                }
                None => t += 1,
            }
            continue;
        }
        // "both were killed"
        if doc.find_at(t, |g| g == Tag::Both).is_some() {
            let mut k = t + 1;
            while let Some(h) = doc.find_at(k, |g| g == Tag::Copula) {
                k = h.end;
            }
            if let Some(h) = doc.find_at(k, |g| g == Tag::KillAfter) {
                f.counts
                    .push(CountItem::new(CountKind::Killed, 2, t, h.end));
                f.counts
                    .push(CountItem::new(CountKind::Survivors, 0, t, h.end));
                t = h.end;
                continue;
            }
        }
        if let Some(v) = compound_vessels(doc, t) {
            f.counts
                .push(CountItem::new(CountKind::Vessels, v, t, t + 1));
            t += 1;
            continue;
        }
        if let Some(item) = one_vessel_after_determiner(doc, t, end) {
            f.counts.push(item);
            t = item.end;
            continue;
        }
        if let Some(item) = ordinal_vessel(doc, t, end) {
            f.counts.push(item);
            t = item.end;
            continue;
        }
        if let Some(ord) = numbered_strike(doc, t, end) {
            if f.strike_ordinal.is_none() {
                f.strike_ordinal = Some(ord);
            }
            t = ord.end;
            continue;
        }
        if let Some(ord) = ordinal_strike(doc, t, end).or_else(|| rank_of_its_kind(doc, start, t)) {
            if f.strike_ordinal.is_none() {
                f.strike_ordinal = Some(ord);
            }
            t += 1;
            continue;
        }
        let Some((value, num_end)) = number_at(doc, t) else {
            t += 1;
            continue;
        };
        // "un tercer ataque": the article before a rank is no count of one.
        if value == 1 && ordinal_strike(doc, num_end, end).is_some() {
            t = num_end;
            continue;
        }
        if let Some(p) = doc.find_at(num_end, |g| g == Tag::Partitive) {
            // "two of the strikes took place in the eastern Pacific"
            if let Some(b) = regional_share_after(doc, value, t, num_end, end) {
                f.breakdown.push(b);
            }
            // "two of the four crew members were killed": the part, told
            // of the group's number just after.
            part_of = Some((value, t, p.end + 2));
            t = num_end;
            continue;
        }
        let part = part_of.take().filter(|&(_, _, until)| t <= until);
        let mut lead = t;
        let mut at_least = false;
        if let Some(lb) = doc.find_ending_at(t, |g| matches!(g, Tag::LowerBound | Tag::Approximate))
        {
            at_least = lb.tag == Tag::LowerBound;
            lead = lb.start;
        }
        let all_before = doc.find_ending_at(lead, |g| g == Tag::All).is_some();
        let definite_before = doc
            .find_ending_at(lead, |g| g == Tag::DefiniteDet)
            .is_some();
        let mut item: Option<CountItem> = None;
        let mut zero_survivors = false;
        match head_after(doc, num_end, end) {
            Head::Vessel(e) => item = Some(CountItem::new(CountKind::Vessels, value, t, e)),
            Head::Strike(e) => {
                item = Some(CountItem::new(CountKind::Strikes, value, t, e));
                // "two strikes on boats": as many boats as strikes.
                if let Some(ve) = plural_vessels_after(doc, e, end) {
                    f.counts
                        .push(CountItem::new(CountKind::Vessels, value, t, ve));
                }
            }
            Head::Kill(e) => {
                item = Some(CountItem::new(CountKind::Killed, value, t, e));
                zero_survivors = all_before;
            }
            // "killed two survivors": the kill word decides.
            Head::Survivor(e) => {
                // ("left one survivor" keeps its survivor: a leave word is no kill word after a number.)
                let killing = active_kill(doc, lead, &consumed_kill)
                    .filter(|&k| doc.find_at(k, |g| g == Tag::KillAfter).is_some());
                item = Some(match killing {
                    Some(kill) => {
                        consumed_kill.push(kill);
                        CountItem::new(CountKind::Killed, value, kill, e)
                    }
                    None => CountItem::new(CountKind::Survivors, value, t, e),
                })
            }
            Head::Person(pe) => {
                if let Some(kill) = active_kill(doc, lead, &consumed_kill) {
                    consumed_kill.push(kill);
                    item = Some(CountItem::new(CountKind::Killed, value, kill, pe));
                    zero_survivors = all_before;
                } else if let Some((kind, e, aboard)) = person_predicate(doc, pe, end) {
                    item = Some(CountItem::new(kind, value, t, e));
                    // "Four people aboard a boat were killed": the boat the
                    // count stepped over is one vessel.
                    if (aboard || kind == CountKind::Killed)
                        && let Some(v) = vessel_within(doc, pe, e)
                    {
                        f.counts.push(v);
                    }
                    zero_survivors =
                        kind == CountKind::Killed && (all_before || (definite_before && aboard));
                }
            }
            Head::None => {
                if let Some(kill) = active_kill(doc, lead, &consumed_kill) {
                    consumed_kill.push(kill);
                    item = Some(CountItem::new(CountKind::Killed, value, kill, num_end));
                } else if elliptic(doc, lead)
                    && f.has(CountKind::Killed)
                    && regional_share_after(doc, value, t, num_end, end).is_none()
                {
                    item = Some(CountItem::new(CountKind::Killed, value, t, num_end));
                }
            }
        }
        if let Some(b) = regional_share_after(doc, value, t, num_end, end) {
            if item.is_none() && killed_share(&f) {
                // "Eleven were killed, four in the eastern Pacific and
                // seven in the Caribbean": shares of the dead, not boats.
                item = Some(CountItem::new(CountKind::Killed, value, t, num_end));
            } else {
                f.breakdown.push(b);
            }
        }
        if let Some(mut it) = item {
            it.at_least = at_least;
            // "dos de las seis víctimas mortales": a group named as the dead
            // is the toll; the part is some of them.
            let group_are_the_dead = it.kind == CountKind::Killed
                && doc
                    .any_in(num_end, it.end.max(num_end + 1), |g| g == Tag::DeadNoun)
                    .is_some();
            if let Some((part_value, part_start, _)) = part
                && matches!(it.kind, CountKind::Killed | CountKind::Survivors)
                && !group_are_the_dead
            {
                it.value = part_value;
                it.start = part_start;
            }
            if it.kind == CountKind::Killed {
                it.per_each = per_each_after(doc, it.end.max(num_end), end);
            }
            let next = it.end.max(num_end);
            f.counts.push(it);
            if zero_survivors {
                f.counts
                    .push(CountItem::new(CountKind::Survivors, 0, lead, next));
            }
            t = next;
        } else {
            t = num_end;
        }
    }
    // "with three men aboard; none of them survived"
    if f.counts
        .iter()
        .any(|c| c.kind == CountKind::Survivors && c.value == 0)
        && !f.has(CountKind::Killed)
        && let Some(a) = f
            .counts
            .iter()
            .find(|c| c.kind == CountKind::Aboard)
            .copied()
    {
        f.counts.push(CountItem {
            kind: CountKind::Killed,
            ..a
        });
    }
    merge_per_boat_deaths(doc, &mut f.counts, end);
    if !f.has(CountKind::Survivors)
        && let Some(one) = crate::rules::named_survivor::named_survivor(doc, start, end)
    {
        f.counts.push(one);
    }
    // Looked up over the whole sentence: the wording sits inside a count phrase.
    f.tally_after_rank = doc
        .any_in(start, end, |g| g == Tag::TallyAfterRank)
        .is_some();
    // Strike words inside a count phrase ("three strikes") were stepped over above.
    let governed = hypothetical_events(doc, start, end);
    f.strike_word = doc
        .first_hits_in(start, end, |g| g == Tag::Trigger)
        .any(|h| !governed.contains(&h.start));
    drop_hypothetical(&governed, &mut f);
    if crate::rules::mishap::tells_mishap(doc, start, end) {
        f.mishap = true;
        f.strike_word = f.strike_word
            && (start..end)
                .any(|t| !governed.contains(&t) && crate::rules::mishap::strong_trigger_at(doc, t));
        f.triggers
            .retain(|h| crate::rules::mishap::strong_trigger_at(doc, h.start));
    }
    drop_survivors_killed_later(doc, &mut f.counts);
    let (regions, joined_seas) = regions_in(doc, start, end);
    f.regions = regions;
    f.joined_seas = joined_seas;
    // Told with a strike, the fleet's waters would become the strike's sea;
    // told alone, they stay the sentence's for a later "in the same waters".
    if f.strike_word {
        f.regions.retain(|r| !fleet_waters(doc, start, r.start));
    }
    f.toll = toll_figure(doc, start, end, skip);
    if let Some(t) = f.toll
        && toll_counts_strikes(doc, t, start, end)
        && !f
            .counts
            .iter()
            .any(|c| c.kind == CountKind::Strikes && c.value == t.value)
    {
        f.toll = None;
        f.counts
            .push(CountItem::new(CountKind::Strikes, t.value, t.start, t.end));
    }
    // "Carranza was among 32 people killed in attacks on boats last month":
    // a group's figure that one person is part of, not a strike's toll —
    // unless the sentence names the one boat ("among six killed in a strike
    // on a vessel").
    let one_boat = f.counts.iter().any(|c| c.kind == CountKind::Vessels);
    f.counts.retain(|c| {
        // "entre las más de 60 personas asesinadas": past a lower bound.
        let head = doc
            .find_ending_at(c.start, |g| matches!(g, Tag::LowerBound | Tag::Approximate))
            .map_or(c.start, |lb| lb.start);
        one_boat
            || c.kind != CountKind::Killed
            || [c.start, head]
                .iter()
                .all(|&t| doc.find_ending_at(t, |g| g == Tag::GroupCue).is_none())
    });
    if let Some(c) = crate::rules::joins_earlier_strikes::joins_earlier_strikes(doc, start, end) {
        f.counts.push(c);
    }
    f.counts.sort_by_key(|c| c.start);
    f
}

/// A plural vessel noun without a number of its own right after a strike
/// noun and a joining word ("strikes on boats", "ataques contra lanchas").
fn plural_vessels_after(doc: &Annotated, strike_end: usize, end: usize) -> Option<usize> {
    let join = doc.find_at(strike_end, |g| g == Tag::StrikeObject)?;
    let mut k = join.end;
    if doc.find_at(k, |g| g == Tag::DefiniteDet).is_some() {
        k += 1;
    }
    for j in k..(k + 2).min(end) {
        if number_at(doc, j).is_some() || doc.is_punct(j) {
            return None;
        }
        if let Some(h) = doc.find_at(j, |g| g == Tag::VesselNoun) {
            let plural = doc.word(h.end - 1).ends_with('s');
            return plural.then_some(h.end);
        }
    }
    None
}

/// One boat named with an indefinite article between `from` and `end`.
fn vessel_within(doc: &Annotated, from: usize, end: usize) -> Option<CountItem> {
    (from..end).find_map(|k| {
        let det = doc.find_at(k, |g| g == Tag::VesselDet)?;
        let noun_end = vessel_after_determiner(doc, det.end, end, 3)?;
        Some(CountItem::new(CountKind::Vessels, 1, k, noun_end))
    })
}

fn vessel_after_determiner(
    doc: &Annotated,
    from: usize,
    end: usize,
    max_mods: usize,
) -> Option<usize> {
    let mut k = from;
    let mut mods = 0;
    while k < end && mods <= max_mods {
        if doc.is_punct(k) {
            return None;
        }
        let hits = doc.hits_at(k);
        if let Some(h) = hits.iter().find(|h| h.tag == Tag::VesselNoun) {
            // A plural noun is not one boat; "boat strikes" is not a boat.
            let plural = doc.word(h.end - 1).ends_with('s');
            let modifier = doc
                .find_at(h.end, |g| matches!(g, Tag::StrikeNoun | Tag::Trigger))
                .is_some();
            return (!plural && !modifier).then_some(h.end);
        }
        if hits.iter().any(|h| {
            matches!(
                h.tag,
                Tag::Stop | Tag::PersonNoun | Tag::StrikeNoun | Tag::Trigger
            )
        }) {
            return None;
        }
        mods += 1;
        k += 1;
    }
    None
}

/// A kill word right before the number at `lead` ("killing 11", "killed the three").
fn active_kill(doc: &Annotated, lead: usize, consumed: &[usize]) -> Option<usize> {
    let mut p = lead;
    // "killing all 11 people", "killed the three", "mató a sus tres
    // ocupantes", "killing the “six men”" (a quote opening on the figure).
    loop {
        if let Some(d) = doc.find_ending_at(p, |g| {
            matches!(g, Tag::DefiniteDet | Tag::All | Tag::PossessiveDet)
        }) {
            p = d.start;
        } else if p > 0 && matches!(doc.punct(p - 1), Some('“' | '"' | '«')) {
            p -= 1;
        } else {
            break;
        }
    }
    let h = doc.find_ending_at(p, |g| g == Tag::KillBefore)?;
    if consumed.contains(&h.start) {
        None
    } else {
        Some(h.start)
    }
}

/// "… and three on Wednesday": a bare number coordinated with a death count.
/// A region phrase within the three tokens after a bare number ("and one in
/// the Caribbean"): the number is a share of boats by sea, not a death figure.
fn elliptic(doc: &Annotated, lead: usize) -> bool {
    if lead == 0 {
        return false;
    }
    doc.punct(lead - 1) == Some(',')
        || doc
            .find_ending_at(lead, |g| g == Tag::Conjunction)
            .is_some()
}

/// "on each of the two boats", "en cada una de las dos primeras
/// embarcaciones": how many boats "each" spans, when it says.
fn boats_counted_after_each(doc: &Annotated, from: usize, end: usize) -> Option<u32> {
    for j in from..(from + 5).min(end) {
        if doc.is_punct(j) {
            return None;
        }
        // "cada una de las dos primeras embarcaciones": the first number
        // names no boats; one modifier may stand between the next and its noun.
        if let Some((n, ne)) = number_at(doc, j)
            && (ne..(ne + 2).min(end)).any(|k| doc.find_at(k, |g| g == Tag::VesselNoun).is_some())
        {
            return Some(n);
        }
    }
    None
}

fn per_each_after(doc: &Annotated, from: usize, end: usize) -> Option<Option<u32>> {
    for k in from..(from + 3).min(end) {
        if let Some(h) = doc.find_at(k, |g| g == Tag::Each) {
            return Some(boats_counted_after_each(doc, h.end, end));
        }
        if doc.is_punct(k) {
            break;
        }
    }
    None
}

/// "two in the eastern Pacific", "two of the strikes took place in the
/// eastern Pacific", "dos de ellas en el Pacífico": a share of one
/// announcement's strikes in one sea. A share with no noun of its own must
/// name its sea at once ("one in the Caribbean").
fn regional_share_after(
    doc: &Annotated,
    value: u32,
    start: usize,
    num_end: usize,
    end: usize,
) -> Option<BreakdownItem> {
    let shared_noun = |k: usize| doc.find_at(k, |g| matches!(g, Tag::VesselNoun | Tag::StrikeNoun));
    let mut q = num_end;
    let mut named = false;
    if let Some(h) = shared_noun(q) {
        q = h.end;
        named = true;
    } else if let Some(p) = doc.find_at(q, |g| g == Tag::Partitive) {
        q = p.end;
        if doc.find_at(q, |g| g == Tag::DefiniteDet).is_some() {
            q += 1;
        }
        if let Some(h) = shared_noun(q) {
            q = h.end;
        }
        named = true;
    }
    if named {
        // "… were in", "… took place in", "… are struck in", "… ocurrieron en"
        while let Some(h) = doc.find_at(q, |g| {
            matches!(
                g,
                Tag::Copula | Tag::Occurrence | Tag::Trigger | Tag::WeakTrigger
            )
        }) {
            q = h.end;
        }
    }
    let prep = doc.find_at(q, |g| g == Tag::SharePrep)?;
    q = prep.end;
    if doc.find_at(q, |g| g == Tag::DefiniteDet).is_some() {
        q += 1;
    }
    if q >= end {
        return None;
    }
    let h = doc.find_at(q, |g| matches!(g, Tag::Region(_)))?;
    // "has destroyed at least 14 vessels in the Caribbean and Pacific": more
    // boats than one announcement ever hit, or a sea joined to another, is
    // the campaign's reach, not one night's share.
    let too_many = doc.lang.max_boats_per_strike.is_some_and(|m| value > m);
    let seas_joined = doc.find_at(h.end, |g| g == Tag::Conjunction).is_some()
        && (h.end + 1..(h.end + 3).min(end))
            .any(|k| doc.find_at(k, |g| matches!(g, Tag::Region(_))).is_some());
    if too_many || seas_joined {
        return None;
    }
    match h.tag {
        Tag::Region(r) => Some(BreakdownItem {
            region: r,
            value,
            start,
            end: h.end,
        }),
        _ => None,
    }
}

/// A regional share told right after a death count (with no count of boats
/// or strikes since, and no share of the boats before) shares out the dead:
/// "Eleven were killed, four in the eastern Pacific and seven in the
/// Caribbean"; but "two in the eastern Pacific, killing five, and one in the
/// Caribbean" shares out boats.
fn killed_share(f: &SentenceFacts) -> bool {
    f.breakdown.is_empty()
        && f.counts
            .iter()
            .rev()
            .find(|c| {
                matches!(
                    c.kind,
                    CountKind::Killed | CountKind::Vessels | CountKind::Strikes
                )
            })
            .is_some_and(|c| c.kind == CountKind::Killed)
}

/// "strike number 29", "el ataque número 29", "este ataque es el número 44".
fn numbered_strike(doc: &Annotated, t: usize, end: usize) -> Option<CountItem> {
    let noun = doc.find_at(t, |g| g == Tag::StrikeNoun)?;
    let mut k = noun.end;
    if let Some(copula) = doc.find_at(k, |g| g == Tag::Copula) {
        k = copula.end;
        if let Some(det) = doc.find_at(k, |g| g == Tag::DefiniteDet) {
            k = det.end;
        }
    }
    let marker = doc.find_at(k, |g| g == Tag::OrdinalMarker)?;
    if marker.end >= end {
        return None;
    }
    let (value, num_end) = number_at(doc, marker.end)?;
    Some(CountItem::new(CountKind::Strikes, value, t, num_end))
}

/// "the 14th known strike", "el sexto ataque", "the campaign's 22nd".
/// The rank a token gives: digits with an ordinal ending ("20th") or an
/// ordinal word ("sixth", "quinto").
fn rank_at(doc: &Annotated, t: usize) -> Option<u32> {
    match doc.tokens.get(t)?.kind {
        TokKind::Ordinal(v) => Some(v),
        _ => match doc.find_at(t, |g| matches!(g, Tag::Ordinal(_)))?.tag {
            Tag::Ordinal(v) => Some(v),
            _ => None,
        },
    }
}

fn ordinal_strike(doc: &Annotated, t: usize, end: usize) -> Option<CountItem> {
    let value = rank_at(doc, t)?;
    if let TokKind::Ordinal(v) = doc.tokens.get(t)?.kind {
        let next = doc.word(t + 1).to_lowercase();
        if matches!(
            next.as_str(),
            "time" | "times" | "day" | "week" | "month" | "year" | "anniversary"
        ) {
            return None;
        }
        return Some(CountItem::new(CountKind::Strikes, v, t, t + 1));
    }
    for k in t + 1..(t + 4).min(end) {
        if let Some(h) = doc.find_at(k, |g| g == Tag::StrikeNoun) {
            return Some(CountItem::new(CountKind::Strikes, value, t, h.end));
        }
        if doc.is_punct(k) {
            break;
        }
    }
    None
}

/// "The attack on the submersible was at least the sixth of its kind
/// since September": a rank word followed by words referring it to a
/// strike named earlier in the sentence.
fn rank_of_its_kind(doc: &Annotated, start: usize, t: usize) -> Option<CountItem> {
    let value = rank_at(doc, t)?;
    let kind = doc.find_at(t + 1, |g| g == Tag::RankOfKind)?;
    doc.any_in(start, t, |g| matches!(g, Tag::StrikeNoun | Tag::Trigger))?;
    Some(CountItem::new(CountKind::Strikes, value, t, kind.end))
}

/// "a follow-up strike that killed two survivors", "mató a los dos
/// sobrevivientes": the dead are an earlier strike's survivors, killed in a
/// second pass; they are no strike's toll told here (the page rarely gives
/// the whole toll beside them).
fn drop_survivors_killed_later(doc: &Annotated, counts: &mut Vec<CountItem>) {
    counts.retain(|c| {
        c.kind != CountKind::Killed
            || !(c.start..c.end + 1).any(|k| doc.find_at(k, |g| g == Tag::Survivor).is_some())
    });
}

/// The seas a sentence names, and apart from them the seas it joins.
fn regions_in(doc: &Annotated, start: usize, end: usize) -> (Vec<RegionItem>, Vec<RegionItem>) {
    let mut out = Vec::new();
    // Tokens before `t` belong to a region already read.
    let mut t = start;
    for h in doc.first_hits_in(start, end, |g| matches!(g, Tag::Region(_) | Tag::SameArea)) {
        if h.start < t || h.end > end {
            continue;
        }
        t = h.start;
        let mut b = t;
        if doc.find_ending_at(b, |g| g == Tag::DefiniteDet).is_some() {
            b -= 1;
        }
        let blocked = doc.find_ending_at(b, |g| g == Tag::RegionBlocker).is_some()
            || doc.find_ending_at(t, |g| g == Tag::RegionBlocker).is_some()
            || doc.find_at(h.end, |g| g == Tag::AdjectiveHead).is_some()
            || crate::rules::area_of_command::in_area_description(doc, start, t);
        if !blocked {
            let region = if let Tag::Region(r) = h.tag {
                Some(r)
            } else {
                None
            };
            out.push(RegionItem {
                region,
                start: h.start,
                end: h.end,
                carried: false,
            });
        }
        t = h.end;
    }
    let joined = drop_joined_seas(doc, &mut out);
    (out, joined)
}

/// "desde que Washington desplegara buques de guerra en aguas del Caribe",
/// "the buildup of warships in the Caribbean": a sea a few words after a
/// `deployment_cues` wording (events lexicon), with no strike word between,
/// is where the fleet is, never where a boat was hit.
fn fleet_waters(doc: &Annotated, start: usize, region: usize) -> bool {
    const REACH: usize = 8;
    let from = region.saturating_sub(REACH).max(start);
    doc.first_hits_in(from, region, |g| g == Tag::Deployment)
        .last()
        .is_some_and(|d| {
            doc.any_in(d.end, region, |g| {
                matches!(g, Tag::Trigger | Tag::StrikeNoun)
            })
            .is_none()
        })
}

/// "as part of operations in the Caribbean and eastern Pacific", "en aguas
/// del Caribe y del Pacífico": two seas joined name the campaign's waters
/// or a day's strikes in both, never one strike's sea.
fn drop_joined_seas(doc: &Annotated, regions: &mut Vec<RegionItem>) -> Vec<RegionItem> {
    let joined = |a: &RegionItem, b: &RegionItem| {
        a.region.is_some()
            && b.region.is_some()
            && a.region != b.region
            && b.start - a.end <= 3
            && (a.end..b.start).all(|k| {
                doc.find_at(k, |g| matches!(g, Tag::Conjunction | Tag::DefiniteDet))
                    .is_some()
                    || doc.punct(k).is_some()
                    // "del", "de la", "of the": a short word of the joint.
                    || doc.word(k).len() <= 3
            })
            && (a.end..b.start).any(|k| doc.find_at(k, |g| g == Tag::Conjunction).is_some())
    };
    let mut drop = vec![false; regions.len()];
    for i in 1..regions.len() {
        if joined(&regions[i - 1], &regions[i]) {
            drop[i - 1] = true;
            drop[i] = true;
        }
    }
    let joined = regions
        .iter()
        .zip(&drop)
        .filter(|(_, d)| **d)
        .map(|(r, _)| *r)
        .collect();
    let mut k = 0;
    regions.retain(|_| {
        k += 1;
        !drop[k - 1]
    });
    joined
}

/// Whether the figure a total wording gives counts strikes, not the dead:
/// "bringing the total number of strikes … to at least 26" (a strike noun,
/// and no word of people or deaths, between the wording and the figure),
/// "el total de ataques reconocidos asciende a 14" (a count noun of strikes
/// before the wording), "eleva a 44 el número de ataques" (one right after
/// the figure). Never after a wording that names the dead ("the death toll
/// from these strikes stands at 87") nor before them ("el saldo de estas
/// acciones asciende a 21 muertos").
fn toll_counts_strikes(doc: &Annotated, toll: CountItem, start: usize, end: usize) -> bool {
    if doc.find_at(toll.start, |g| g == Tag::DeathToll).is_some()
        || matches!(
            head_after(doc, toll.end, end),
            Head::Kill(_) | Head::Person(_)
        )
    {
        return false;
    }
    let dead_between = |a: usize, b: usize| {
        doc.any_in(a, b, |g| {
            matches!(
                g,
                Tag::KillAfter | Tag::KillBefore | Tag::PersonNoun | Tag::DeathToll
            )
        })
        .is_some()
    };
    let strike_in_span = doc
        .any_in(toll.start, toll.end, |g| g == Tag::StrikeNoun)
        .is_some()
        && !dead_between(toll.start, toll.end);
    let count_noun_before = (start..toll.start).any(|k| {
        strikes_count_noun_at(doc, k, toll.start).is_some_and(|e| !dead_between(e, toll.start))
    });
    let count_noun_after =
        (toll.end..(toll.end + 2).min(end)).any(|k| strikes_count_noun_at(doc, k, end).is_some());
    strike_in_span || count_noun_before || count_noun_after
}

/// "el número de ataques", "the number of known strikes": a count noun at
/// `k` naming strikes within the next few tokens. Returns where the strike
/// noun ends.
fn strikes_count_noun_at(doc: &Annotated, k: usize, end: usize) -> Option<usize> {
    let noun = doc.find_at(k, |g| g == Tag::ArticleNoun)?;
    (noun.end..(noun.end + 3).min(end)).find_map(|j| {
        if doc.is_punct(j) {
            return None;
        }
        doc.find_at(j, |g| g == Tag::StrikeNoun).map(|h| h.end)
    })
}

/// The figure after a toll cue ("the death toll to at least 87"). A cue too
/// far from the figure gives way to a later one: "the total number of
/// fatalities from these strikes now stands at a minimum of 87".
fn toll_figure(
    doc: &Annotated,
    start: usize,
    end: usize,
    skip: &[(usize, usize)],
) -> Option<CountItem> {
    doc.first_hits_in(start, end, |g| g == Tag::TollCue)
        .find_map(|cue| figure_after_toll_cue(doc, cue, end, skip))
}

fn figure_after_toll_cue(
    doc: &Annotated,
    cue: Hit,
    end: usize,
    skip: &[(usize, usize)],
) -> Option<CountItem> {
    let mut k = cue.end;
    let mut at_least = false;
    // Past sixteen tokens only a figure brought by "to" is the toll's: "the
    // number of deaths from U.S. strikes on suspected smuggling boats in the
    // eastern Pacific and the Caribbean to at least 105".
    let mut brought = false;
    while k < (cue.end + 32).min(end) {
        if matches!(doc.punct(k), Some(';' | ':')) {
            break;
        }
        if k >= cue.end + 16 && !brought {
            if let Some(to) = doc.find_at(k, |g| g == Tag::TollTo) {
                brought = true;
                k = to.end;
            } else {
                k += 1;
            }
            continue;
        }
        if let Some(lb) = doc.find_at(k, |g| matches!(g, Tag::LowerBound | Tag::Approximate)) {
            at_least = lb.tag == Tag::LowerBound;
            k = lb.end;
            continue;
        }
        if doc.find_at(k, |g| g == Tag::NotTheDead).is_some() {
            return None;
        }
        if !in_spans(skip, k)
            && let Some((v, ne)) = number_at(doc, k)
        {
            let difference = doc.find_at(ne, |g| g == Tag::Comparative).is_some();
            // "a tally kept by one wire service put the number at 46": a
            // figure below any campaign toll, naming no dead, is not the toll's.
            let head = head_after(doc, ne, end);
            let too_few = doc.lang.first_strike_killed.is_some_and(|first| v < first)
                && !matches!(head, Head::Kill(_) | Head::Person(_));
            if difference || too_few || matches!(head, Head::Strike(_) | Head::Vessel(_)) {
                k = ne;
                continue;
            }
            let mut item = CountItem::new(CountKind::Killed, v, cue.start, ne);
            item.at_least = at_least;
            return Some(item);
        }
        k += 1;
    }
    None
}

/// Token positions of strike and kill words that a hypothetical cue governs
/// ("would strike", "threatened on Thursday to hit", "amenazó con atacar"):
/// the cue comes at most four tokens before, with no punctuation between.
fn hypothetical_events(doc: &Annotated, start: usize, end: usize) -> Vec<usize> {
    let mut out = Vec::new();
    for cue in doc.first_hits_in(start, end, |g| g == Tag::Hypothetical) {
        for k in cue.end..(cue.end + 4).min(end) {
            if doc.is_punct(k) {
                break;
            }
            if doc
                .find_at(k, |g| {
                    matches!(g, Tag::Trigger | Tag::KillBefore | Tag::KillAfter)
                })
                .is_some()
            {
                out.push(k);
            }
        }
    }
    out
}

/// A threatened or supposed strike is no event: its kill figures go, and
/// when nothing factual is left the sentence loses its strike words and
/// boats too ("a strike on a boat would kill everyone aboard").
fn drop_hypothetical(governed: &[usize], f: &mut SentenceFacts) {
    if governed.is_empty() {
        return;
    }
    f.counts.retain(|c| {
        c.kind != CountKind::Killed
            || !governed
                .iter()
                .any(|&g| c.start <= g && g < c.end.max(c.start + 1) + 1)
    });
    f.triggers.retain(|h| !governed.contains(&h.start));
    if !f.has(CountKind::Killed) {
        f.triggers.clear();
        f.strike_word = false;
        f.counts
            .retain(|c| !matches!(c.kind, CountKind::Vessels | CountKind::VesselsWeak));
    }
}

/// "a third boat", "a third was hit", "una tercera lancha": the rank of a
/// boat told after others, which makes the strike's boats at least that many.
/// The ordinal of a boat named just after a count ("on the first boat",
/// "on the second"), looked for in the three tokens after `from`.
fn boat_ordinal_after(doc: &Annotated, from: usize, end: usize) -> Option<u32> {
    (from..(from + 4).min(end)).find_map(|k| {
        if doc.is_punct(k) {
            return None;
        }
        doc.find_ending_at(k, |g| matches!(g, Tag::VesselDet | Tag::DefiniteDet))?;
        if let TokKind::Ordinal(v) = doc.tokens.get(k)?.kind {
            return Some(v);
        }
        if let Some(Tag::Ordinal(v)) = doc
            .find_at(k, |g| matches!(g, Tag::Ordinal(_)))
            .map(|h| h.tag)
        {
            return Some(v);
        }
        // "on the first boat": one word before a boat noun names a boat of
        // its own (rank 0: first is not a rank word, so as not to read "the
        // first strike" as a rank).
        doc.find_at(k + 1, |g| g == Tag::VesselNoun).map(|_| 0)
    })
}

/// "three on the first boat and two on the second": deaths told boat by
/// boat in one sentence are one strike's toll, their sum.
fn merge_per_boat_deaths(doc: &Annotated, counts: &mut Vec<CountItem>, end: usize) {
    let shares: Vec<(usize, u32)> = counts
        .iter()
        .enumerate()
        .filter(|(_, c)| c.kind == CountKind::Killed && c.per_each.is_none())
        .filter_map(|(i, c)| boat_ordinal_after(doc, c.end, end).map(|o| (i, o)))
        .collect();
    let killed = counts
        .iter()
        .filter(|c| c.kind == CountKind::Killed)
        .count();
    let mut ordinals: Vec<u32> = shares.iter().map(|s| s.1).collect();
    ordinals.sort_unstable();
    ordinals.dedup();
    if shares.len() < 2 || shares.len() != killed || ordinals.len() != shares.len() {
        return;
    }
    let parts: Vec<CountItem> = shares
        .iter()
        .filter_map(|&(i, _)| counts.get(i).copied())
        .collect();
    let Some(first) = parts.first().copied() else {
        return;
    };
    let merged = CountItem {
        value: parts.iter().map(|c| c.value).sum(),
        at_least: parts.iter().any(|c| c.at_least),
        start: parts.iter().map(|c| c.start).min().unwrap_or(first.start),
        end: parts.iter().map(|c| c.end).max().unwrap_or(first.end),
        ..first
    };
    counts.retain(|c| c.kind != CountKind::Killed);
    counts.push(merged);
}

fn ordinal_vessel(doc: &Annotated, t: usize, end: usize) -> Option<CountItem> {
    doc.find_ending_at(t, |g| matches!(g, Tag::VesselDet | Tag::DefiniteDet))?;
    let value = match doc.tokens.get(t)?.kind {
        TokKind::Ordinal(v) => v,
        _ => match doc.find_at(t, |g| matches!(g, Tag::Ordinal(_)))?.tag {
            Tag::Ordinal(v) => v,
            _ => return None,
        },
    };
    let mut k = t + 1;
    if k < end
        && let Some(h) = doc.find_at(k, |g| g == Tag::VesselNoun)
    {
        let plural = doc.word(h.end - 1).ends_with('s');
        let modifier = doc
            .find_at(h.end, |g| matches!(g, Tag::StrikeNoun | Tag::Trigger))
            .is_some();
        return (!plural && !modifier)
            .then(|| CountItem::new(CountKind::VesselOrdinal, value, t, h.end));
    }
    while k < end && doc.find_at(k, |g| g == Tag::Copula).is_some() {
        k += 1;
    }
    let h = doc
        .find_at(k, |g| g == Tag::Trigger)
        .filter(|_| k > t + 1)?;
    Some(CountItem::new(CountKind::VesselOrdinal, value, t, h.end))
}

/// "A total of 13 were killed in the three strikes, with one survivor": a
/// few strikes named with a definite article are the ones just told, one
/// day's, not the campaign's.
pub fn strikes_just_told(doc: &Annotated, c: &CountItem) -> bool {
    c.kind == CountKind::Strikes
        && doc
            .find_ending_at(c.start, |g| g == Tag::DefiniteDet)
            .is_some()
        && doc.lang.max_boats_per_strike.is_some_and(|m| c.value <= m)
}

/// "A total of 14 were killed during the three strikes": the strikes just
/// told, after a preposition of the occasion. "Together the two strikes
/// have killed 14" (the strikes as the subject) counts the campaign so far.
pub fn died_during_strikes_just_told(doc: &Annotated, c: &CountItem) -> bool {
    strikes_just_told(doc, c)
        && doc
            .find_ending_at(c.start, |g| g == Tag::DefiniteDet)
            .is_some_and(|det| {
                doc.find_ending_at(det.start, |g| {
                    matches!(g, Tag::OccasionPrep | Tag::SharePrep)
                })
                .is_some()
            })
}
