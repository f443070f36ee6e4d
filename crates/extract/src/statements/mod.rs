//! Quotes, attribution to actors, channels and claims.
//!
//! Front door: [`StatementLexicon`] (compiled once) and [`extract_statements`].
//!
//! The pass over one document: split paragraphs and sentences; find the
//! quotes in one pass over the quote marks; find the mentions of actors,
//! roles, pronouns, institutions and speech verbs with one automaton (and
//! people the text introduces by full name); then attribute each top-level
//! quote, read its channel and day from the attributing words, and find the
//! claim cues inside it.

mod attribution;
mod claims;
mod embedded_posts;
mod export_posts;
mod lexicon;
mod matcher;
mod mentions;
mod quotes;
mod spelling;
mod text;
mod transcripts;

#[cfg(test)]
mod tests;

use std::ops::Range;

use chrono::{Datelike, Days, NaiveDate};
use strikewatch_model::{Channel, Claim, Confidence, ConfidenceLevel, Document, Span, Statement};

use attribution::{Decision, Doc, Found, Who, speaker_name, speaker_role};
use claims::{FoundClaim, claims_in_quote, dedupe};
pub use lexicon::{Actor, ActorKind, ActorRole, Gender};
use lexicon::{AgentWord, Compiled, ContextWord, DayWord};
use mentions::{MentionKind, QuotedRanges, find_mentions};
use quotes::{Quote, find_quotes};
use text::{Layout, first_words, word_after, word_count};

/// Compiled actor, speech-verb, channel and claim-cue lexicons for all languages.
#[derive(Debug)]
pub struct StatementLexicon {
    compiled: Compiled,
}

impl StatementLexicon {
    /// Loads the lexicon files embedded in the binary.
    pub fn embedded() -> Result<StatementLexicon, crate::LexiconError> {
        StatementLexicon::from_files(&embedded_files())
    }

    /// Loads lexicon files given as (path relative to the lexicon folder,
    /// contents), e.g. `("en/actors.toml", ...)`. The folder name gives the
    /// language unless the file sets `language`. Files other than
    /// `actors.toml`, `speech.toml` and `claims.toml` are ignored.
    pub fn from_files(files: &[(&str, &str)]) -> Result<StatementLexicon, crate::LexiconError> {
        Ok(StatementLexicon {
            compiled: lexicon::compile(files)?,
        })
    }

    /// Every actor the lexicon knows.
    pub fn actors(&self) -> &[Actor] {
        &self.compiled.actors
    }

    /// The actor with this canonical name.
    pub fn actor(&self, name: &str) -> Option<&Actor> {
        self.compiled
            .actors
            .iter()
            .find(|a| a.name.eq_ignore_ascii_case(name))
    }

    /// The first actor named in `text` by a full name, surname or title
    /// ("Secretary Hegseth", "the Secretary of War").
    pub fn find_actor(&self, text: &str) -> Option<&Actor> {
        self.find_actor_in(text, 0..text.len()).map(|(a, _)| a)
    }

    /// The first person named inside `range` of `text`, with the byte range
    /// of the words that name them. Organisations are left to the caller's
    /// own list of announcing bodies.
    pub fn find_actor_in(&self, text: &str, range: Range<usize>) -> Option<(&Actor, Range<usize>)> {
        self.compiled
            .agents()
            .find(text, range, None)
            .into_iter()
            .find_map(|h| match h.payload {
                AgentWord::Actor(i) => self
                    .compiled
                    .actors
                    .get(*i)
                    .filter(|a| a.kind == ActorKind::Person)
                    .map(|a| (a, h.start..h.end)),
                _ => None,
            })
    }
}

/// The lexicon files this module reads, as (relative path, contents); they
/// count toward the lexicon version hash.
pub fn embedded_files() -> Vec<(&'static str, &'static str)> {
    crate::lexicon::embedded_statement_files()
}

/// Finds quotes attributed to named actors in `doc`, and the claims in them.
pub fn extract_statements(
    lexicon: &StatementLexicon,
    doc: &Document,
) -> (Vec<Statement>, Vec<Claim>) {
    extract_statements_split(lexicon, doc, None)
}

/// As [`extract_statements`], over sentences (byte ranges, in order) that
/// the caller has already split, so the text is not split twice.
pub fn extract_statements_in(
    lexicon: &StatementLexicon,
    doc: &Document,
    sentences: &[Range<usize>],
) -> (Vec<Statement>, Vec<Claim>) {
    extract_statements_split(lexicon, doc, Some(sentences))
}

fn extract_statements_split(
    lexicon: &StatementLexicon,
    doc: &Document,
    sentences: Option<&[Range<usize>]>,
) -> (Vec<Statement>, Vec<Claim>) {
    let lex = &lexicon.compiled;
    let text = doc.text.as_str();
    let doc_lang = doc.language.trim().to_ascii_lowercase();
    let lang = lex
        .languages
        .iter()
        .position(|l| !l.is_empty() && doc_lang.starts_with(l.as_str()));
    let rules = lang
        .and_then(|i| lex.rules.get(i))
        .unwrap_or(&lex.any_rules);
    // A post from a platform export is its author's words, whole.
    if let Some(actor) = export_posts::owner(lex, doc) {
        return export_posts::whole_post(lex, doc, actor, lang, sentences);
    }
    // Most reports quote nobody; skip the layout when no mark could open a
    // quote and no signature could close an embedded post.
    let may_embed = embedded_posts::may_hold_embedded_post(text);
    let may_transcribe = transcripts::may_hold_transcript(text);
    if !quotes::may_hold_quote(text) && !may_embed && !may_transcribe {
        return (Vec::new(), Vec::new());
    }
    let layout = match sentences {
        Some(split) => Layout::from_sentences(text, split.iter().cloned()),
        None => Layout::new(text, &lex.abbreviations),
    };
    let quotes = find_quotes(text, &layout);
    // Statements and claims live in quotes: without one there is nothing to
    // attribute, and the phrase scans over the whole text can be skipped.
    if quotes.is_empty() && !may_embed && !may_transcribe {
        return (Vec::new(), Vec::new());
    }
    let quoted = QuotedRanges::new(&quotes);
    // Speakers, speech verbs, channel and day words: one scan for all.
    let (agent_hits, context_hits) = lex.spoken.find_both(text, lang);
    let (mut mentions, people) = find_mentions(lex, rules, text, agent_hits, &quoted);
    let mut quotes = quotes;
    let quoted = if close_swallowed_attributions(lex, text, &mut quotes, &mut mentions) {
        QuotedRanges::new(&quotes)
    } else {
        quoted
    };
    let context_words: Vec<(Range<usize>, ContextWord)> = context_hits
        .into_iter()
        .filter(|h| !quoted.contains(h.start))
        .map(|h| (h.start..h.end, *h.payload))
        .collect();
    let mut ctx = Doc {
        lex,
        rules,
        text,
        layout: &layout,
        mentions: &mentions,
        people: &people,
        abbreviations: &lex.abbreviations,
        date: doc.publication_date(),
        speakers: Vec::new(),
    };

    let top: Vec<&Quote> = quotes.iter().filter(|q| !q.nested).collect();
    let mut statements: Vec<Statement> = Vec::new();
    let mut found_claims: Vec<(FoundClaim, String)> = Vec::new();
    // The previous quote's outcome in the current paragraph, and where it ends.
    let mut previous: Option<(usize, Option<Found>, usize)> = None;
    // The outcome of the last quote of the paragraph before, when nothing
    // but punctuation follows it there.
    let mut closing: Option<(usize, Option<Found>)> = None;
    for (qi, q) in top.iter().enumerate() {
        let Some(para_idx) = layout.paragraph_at(q.open) else {
            continue;
        };
        let para = layout.paragraphs[para_idx].clone();
        if let Some((p_idx, outcome, end)) = previous.take_if(|p| p.0 != para_idx) {
            let rest = layout
                .paragraphs
                .get(p_idx)
                .and_then(|p| text.get(end.min(p.end)..p.end));
            let tail_start = layout.paragraphs.get(p_idx).map_or(end, |p| end.min(p.end));
            closing = rest
                .is_some_and(|r| is_attribution_tail(&ctx, tail_start, r))
                .then_some((p_idx, outcome));
        }
        // A stray mark paired with the next one can enclose bare punctuation;
        // a lone letter in quotes ("on “X”") names a platform, not a saying.
        let has_words = q
            .pieces
            .iter()
            .filter_map(|p| text.get(p.clone()))
            .flat_map(str::chars)
            .filter(|c| c.is_alphanumeric())
            .nth(1)
            .is_some();
        if !has_words
            || is_nickname(text, q)
            || is_scare_quote(&ctx, q)
            || in_related_link(&ctx, q)
            || is_single_quoted_title(&ctx, q)
            || is_named_programme(&ctx, q)
            || is_given_name(&ctx, q)
        {
            continue;
        }
        let next_open = top.get(qi + 1).map_or(text.len(), |n| n.open);
        let sentence_idx = layout.sentence_at(q.open);
        let sentence_start =
            sentence_idx.map_or(para.start, |s| layout.sentences[s].start.min(q.open));
        let close_sentence = layout.sentence_at(q.after().saturating_sub(1));
        let sentence_end = close_sentence
            .map_or(para.end, |s| layout.sentences[s].end)
            .min(para.end)
            .min(next_open)
            .max(q.after());
        // A quote run over several paragraphs is attributed after its last one.
        let close_para_end = layout
            .paragraph_at(q.after().saturating_sub(1))
            .map_or(para.end, |p| layout.paragraphs[p].end.max(para.end));
        let mut decision = ctx.after_quote(q, close_para_end, next_open);
        if matches!(decision, Decision::Undecided) {
            decision = ctx.before_quote(q, sentence_start, sentence_end);
        }
        if matches!(decision, Decision::Undecided) {
            decision = ctx.end_of_sentence(q, sentence_end);
        }
        // "The boats were “known …” and were “moving …,” according to
        // Hegseth": quotes joined by bare words share the attribution that
        // ends their sentence.
        if matches!(decision, Decision::Undecided)
            && let Some(next) = top.get(qi + 1)
            && close_sentence.is_some()
            && layout.sentence_at(next.open) == close_sentence
            && ctx.mentions_in(q.after()..next.open).next().is_none()
        {
            let whole_end = close_sentence
                .map_or(para.end, |s| layout.sentences[s].end)
                .min(para.end);
            decision = ctx.end_of_sentence(q, whole_end);
        }
        if matches!(decision, Decision::Undecided) {
            decision = ctx.transcript_label(q, sentence_start);
        }
        if matches!(decision, Decision::Undecided) {
            decision = ctx.headline_label(q, para.start);
        }
        if matches!(decision, Decision::Undecided) {
            decision = ctx.named_after_colon(q);
        }
        if matches!(decision, Decision::Undecided) {
            decision = ctx.signed_after(q);
        }
        if matches!(decision, Decision::Undecided)
            && let Some((_, outcome, prev_end)) = &previous
            && continues_previous(&ctx, *prev_end, q.open)
        {
            decision = match outcome {
                Some(found) => Decision::Speaker(found.carried("layout:continued_quote")),
                None => Decision::Reject,
            };
        }
        // A paragraph that is nothing but a quote, after a paragraph that
        // ended with an attributed quote: the same speaker goes on.
        // A quote run over several paragraphs ends in the paragraph it closes in.
        if matches!(decision, Decision::Undecided)
            && q.open == para.start
            && text
                .get(q.after()..close_para_end.max(q.after()))
                .is_some_and(|r| !r.chars().any(char::is_alphanumeric))
            && let Some((p_idx, outcome)) = &closing
            && *p_idx + 1 == para_idx
        {
            decision = match outcome {
                Some(found) => Decision::Speaker(found.carried("layout:next_paragraph")),
                None => Decision::Reject,
            };
        }
        if matches!(decision, Decision::Undecided) && q.open > para.start {
            decision = ctx.lead_in_sentence(q);
        }
        if matches!(decision, Decision::Undecided) && q.open == para.start && para_idx > 0 {
            // "Hegseth said:" closing the paragraph before a quoted paragraph,
            // or "Smith released the following statement …".
            let prev_para = &layout.paragraphs[para_idx - 1];
            let last_sentence = layout.sentence_at(prev_para.end.saturating_sub(1));
            let colon = text
                .get(prev_para.clone())
                .is_some_and(|p| p.ends_with(':'));
            let lead_in =
                last_sentence.is_some_and(|s| ctx.has_lead_in_verb(layout.sentences[s].clone()));
            if (colon || lead_in)
                && let Some(s) = last_sentence
            {
                decision = ctx.before_quote(q, layout.sentences[s].start, q.after());
            }
        }
        if matches!(decision, Decision::Undecided) && q.open == para.start {
            decision = ctx.lead_in_sentence(q);
        }
        if matches!(decision, Decision::Undecided) && q.open == para.start {
            decision = ctx.named_after(q);
        }
        if matches!(decision, Decision::Undecided) && q.open == para.start {
            decision = ctx.named_in_tail(q);
        }
        match decision {
            Decision::Speaker(found) => {
                let mut built_any = false;
                let speakers: Vec<Found> = std::iter::once(found.clone())
                    .chain(ctx.joint_speaker(&found))
                    .collect();
                for (part, found) in paragraphs_of(q)
                    .into_iter()
                    .flat_map(|p| speakers.iter().map(move |f| (p.clone(), f)))
                {
                    let statement_idx = statements.len();
                    let built =
                        build_statement(&ctx, lex, &people, doc, &part, found, &context_words);
                    let Some(mut statement) = built else { continue };
                    built_any = true;
                    let stmt_claims = claims_in_quote(
                        lex,
                        text,
                        &layout,
                        &part.pieces,
                        lang,
                        layout.sentence_at(part.open).or(sentence_idx),
                        statement_idx,
                    );
                    if carries_channel(&ctx, found) {
                        carry_channel(&layout, statements.last(), &mut statement);
                    }
                    attach_claims(&mut statement, stmt_claims, &mut found_claims);
                    statements.push(statement);
                }
                if !built_any {
                    continue;
                }
                // Every sentence the statement covers now has this speaker.
                let first = layout
                    .sentence_at(found.span.start.min(q.open))
                    .unwrap_or(0);
                let last = layout
                    .sentence_at(q.after().saturating_sub(1))
                    .unwrap_or(first);
                for s in first..=last.max(first) {
                    ctx.speakers.push((s, found.who));
                }
                let end = q.after().max(found.span.end);
                previous = Some((para_idx, Some(found), end));
            }
            Decision::Reject => previous = Some((para_idx, None, q.after())),
            Decision::Undecided => previous = None,
        }
    }
    if may_transcribe {
        for line in transcripts::unquoted_turns(&ctx) {
            let covered = statements
                .iter()
                .any(|s| s.span.start < line.text.end && line.text.start < s.span.end);
            if covered {
                continue;
            }
            if let Some(statement) = build_statement(
                &ctx,
                lex,
                &people,
                doc,
                &line.as_quote(),
                &line.found,
                &context_words,
            ) {
                statements.push(statement);
            }
        }
    }
    if may_embed || may_transcribe {
        statements.sort_by_key(|s| s.span.start);
    }
    if may_embed {
        for mut post in embedded_posts::find_embedded_posts(lex, text, &layout, lang) {
            // A post the page put in quote marks: its words are the quote's.
            if let Some(q) = top
                .iter()
                .find(|q| post.text.start <= q.open && q.open < post.text.end)
            {
                post.text = q.start()..q.end().min(post.text.end).max(q.start());
            }
            let covered = statements
                .iter()
                .any(|s| s.span.start < post.text.end && post.text.start < s.span.end);
            if covered {
                continue;
            }
            let statement_idx = statements.len();
            let Some(mut statement) = embedded_post_statement(lex, doc, &post) else {
                continue;
            };
            let pieces = [post.text.clone()];
            let host = layout.sentence_at(post.text.start);
            let post_claims =
                claims_in_quote(lex, text, &layout, &pieces, lang, host, statement_idx);
            attach_claims(&mut statement, post_claims, &mut found_claims);
            statements.push(statement);
        }
        // Posts are found after the quotes; keep the output in text order.
        statements.sort_by_key(|s| s.span.start);
    }
    let statements = without_repeats(statements);
    let claims = dedupe(text, found_claims);
    (statements, claims)
}

/// A page that prints a quote twice (in the body and as the embedded post,
/// or a pull quote, or a copy cut off at the end) gives one statement: a
/// later quote by the same speaker whose words begin the earlier one's, or
/// that the earlier one's begin, is dropped.
/// The kinds of claims a statement makes, once each; the claims themselves
/// join the document's, with the statement's speaker.
fn attach_claims(
    statement: &mut Statement,
    claims: Vec<FoundClaim>,
    found: &mut Vec<(FoundClaim, String)>,
) {
    let mut kinds: Vec<_> = claims.iter().map(|c| c.kind).collect();
    kinds.sort();
    kinds.dedup();
    statement.claims = kinds;
    found.extend(claims.into_iter().map(|c| (c, statement.speaker.clone())));
}

/// A quote run over several paragraphs, each opened by its own mark, is
/// one statement per paragraph: the speaker said each passage, and readers
/// cite them apart.
fn paragraphs_of(q: &Quote) -> Vec<Quote> {
    if q.pieces.len() < 2 {
        return vec![q.clone()];
    }
    let last = q.pieces.len() - 1;
    q.pieces
        .iter()
        .enumerate()
        .map(|(i, piece)| Quote {
            open: if i == 0 { q.open } else { piece.start },
            pieces: vec![piece.clone()],
            close_end: if i == last { q.close_end } else { None },
            nested: q.nested,
        })
        .collect()
}

fn without_repeats(statements: Vec<Statement>) -> Vec<Statement> {
    const MIN_WORDS: usize = 5;
    let key = |s: &Statement| -> String {
        s.quote
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .trim_end_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
    };
    let mut kept: Vec<Statement> = Vec::with_capacity(statements.len());
    for s in statements {
        let k = key(&s);
        let repeat = word_count(&k) >= MIN_WORDS
            && kept.iter().any(|e| {
                let ek = key(e);
                e.speaker == s.speaker && (ek.starts_with(&k) || k.starts_with(&ek))
            });
        if !repeat {
            kept.push(s);
        }
    }
    kept
}

/// A quote whose closing mark the page lost, so that it swallows its own
/// attribution: `“There were two … on Tuesday, Hegseth said in a post on X
/// on Wednesday.` The quote ends at the comma before a named speaker and
/// a speech verb when only a short tail follows them to the paragraph's
/// end. Returns whether any quote changed.
fn close_swallowed_attributions(
    lex: &Compiled,
    text: &str,
    quotes: &mut [Quote],
    mentions: &mut [mentions::Mention],
) -> bool {
    const TAIL_WORDS: usize = 12;
    let mut changed = false;
    for q in quotes
        .iter_mut()
        .filter(|q| q.close_end.is_none() && !q.nested)
    {
        let Some(last) = q.pieces.last().cloned() else {
            continue;
        };
        let inside: Vec<usize> = (0..mentions.len())
            .filter(|&i| last.start <= mentions[i].start && mentions[i].end <= last.end)
            .collect();
        let found = inside.windows(2).rev().find_map(|pair| {
            let (who, verb) = (&mentions[pair[0]], &mentions[pair[1]]);
            let named = matches!(
                who.kind,
                MentionKind::Word(AgentWord::Actor(_)) | MentionKind::NewPerson(_)
            );
            let joined = text
                .get(who.end..verb.start)
                .is_some_and(|g| g.trim().is_empty());
            let comma = text
                .get(last.start..who.start)
                .and_then(|h| h.trim_end().strip_suffix(','))
                .map(|h| last.start + h.len());
            let tail = text.get(verb.end..last.end).unwrap_or("");
            let short_tail = word_count(tail) <= TAIL_WORDS
                && !tail.contains(['"', '“', '”', '«', '»'])
                && lex.verbs.get(verb.verb()?).is_some();
            (named && joined && short_tail).then_some(comma).flatten()
        });
        let Some(comma) = found else { continue };
        if let Some(p) = q.pieces.last_mut() {
            p.end = comma;
        }
        q.close_end = Some(comma);
        for m in mentions
            .iter_mut()
            .filter(|m| m.start >= comma && m.end <= last.end)
        {
            m.in_quote = false;
        }
        changed = true;
    }
    changed
}

/// The statement an embedded post makes: its owner's, posted on the
/// signature's date, on social media.
fn embedded_post_statement(
    lex: &Compiled,
    doc: &Document,
    post: &embedded_posts::EmbeddedPost,
) -> Option<Statement> {
    let text = doc.text.as_str();
    let actor = lex.actors.get(post.actor)?;
    let span = Span::of(text, post.text.start, post.text.end)?;
    let quote = span.text.clone();
    let channel = Some(Channel::SocialPost);
    let speaker_cue = if post.by_handle {
        "speaker:post_handle"
    } else {
        "speaker:post_signature"
    };
    Some(Statement {
        speaker: spelling::as_the_page_spells(text, actor.name.clone()),
        speaker_role: actor
            .role_on(post.date.or(doc.publication_date()))
            .map(str::to_string),
        quote_start: first_words(&quote, 10).to_string(),
        quote,
        channel,
        said_at: post.date,
        span,
        attribution: Span::of(text, post.signature.start, post.signature.end),
        claims: Vec::new(),
        confidence: confidence_of(&[speaker_cue, "layout:embedded_post"], channel),
    })
}

/// An organisation's statements, a dropped subject and a quote continued
/// by layout go on in the same channel; a person named again may have
/// changed it (a post, then an interview).
fn carries_channel(ctx: &Doc<'_>, found: &Found) -> bool {
    const CARRYING: [&str; 3] = [
        "speaker:dropped_subject",
        "layout:continued_quote",
        "layout:next_paragraph",
    ];
    ctx.is_organisation(found.who) || found.cues.iter().any(|c| CARRYING.contains(c))
}

/// A statement that names no channel goes on in the channel of the same
/// speaker's statement just before it: "“A,” the command wrote on X. “B,”
/// it added."
fn carry_channel(layout: &Layout, previous: Option<&Statement>, statement: &mut Statement) {
    const PARAGRAPHS: usize = 2;
    let Some(previous) = previous else { return };
    if statement.channel.is_some() || previous.speaker != statement.speaker {
        return;
    }
    let (Some(a), Some(b)) = (
        layout.paragraph_at(previous.span.start),
        layout.paragraph_at(statement.span.start),
    ) else {
        return;
    };
    if b < a || b - a > PARAGRAPHS {
        return;
    }
    if let Some(channel) = previous.channel {
        statement.channel = Some(channel);
        statement
            .confidence
            .cues
            .push(format!("channel:{}", channel_name(channel)));
        statement
            .confidence
            .cues
            .push("channel:carried".to_string());
    }
}

/// Only a few linking words stand between the previous quote (or its
/// attribution) and this one: `“A,” Hegseth said. “B.”`, or the rest of
/// the attribution's sentence: `“A,” X said at Tuesday's hearing. “B.”`
fn continues_previous(ctx: &Doc<'_>, prev_end: usize, open: usize) -> bool {
    let Some(gap) = ctx.text.get(prev_end..open) else {
        return false;
    };
    if gap.contains('\n') {
        return false;
    }
    if word_count(gap) <= 2 {
        return !ctx.mentions_in(prev_end..open).any(|(_, m)| m.is_agent());
    }
    ends_attribution_sentence(ctx, prev_end, open) && is_attribution_tail(ctx, prev_end, gap)
}

/// The quote opening at `open` starts the sentence right after the one
/// that holds `prev_end`.
fn ends_attribution_sentence(ctx: &Doc<'_>, prev_end: usize, open: usize) -> bool {
    let (Some(a), Some(b)) = (
        ctx.layout.sentence_at(prev_end.saturating_sub(1)),
        ctx.layout.sentence_at(open),
    ) else {
        return false;
    };
    b == a + 1 && ctx.layout.sentences[b].start == open
}

/// What follows an attribution to the end of its sentence or paragraph is a
/// short circumstance (" at Tuesday's hearing.", " after the briefing on
/// Thursday.", " in the post."): few words, nobody named but as the object
/// of a preposition, no other speech verb.
fn is_attribution_tail(ctx: &Doc<'_>, start: usize, tail: &str) -> bool {
    const TAIL_WORDS: usize = 16;
    if word_count(tail) > TAIL_WORDS || tail.contains(['“', '”', '"', '«', '»']) {
        return false;
    }
    let end = start + tail.len();
    // ", Coast Guard Sector Key West search coordinator.": the speaker's
    // own appositive; a body named in it does not speak.
    let appositive_end = tail.strip_prefix(',').map_or(start, |rest| {
        start + 1 + rest.find(',').unwrap_or(rest.len())
    });
    // ", offering no evidence for his claims.": a verb's form after an
    // article or possessive is a noun, not another attribution.
    ctx.mentions_in(start..end).all(|(_, m)| {
        if m.verb().is_some() {
            return ctx.adjectival(m);
        }
        m.prepositional || m.end <= appositive_end || names_no_speaker(ctx, m.kind)
    })
}

/// A mention that cannot speak in an attribution's tail: a place or body
/// that is no speaker ("in the Oval Office"), or the channel ("in a social
/// media post").
fn names_no_speaker(ctx: &Doc<'_>, kind: MentionKind) -> bool {
    match kind {
        MentionKind::Word(AgentWord::NonPerson) => true,
        MentionKind::Word(AgentWord::OrganisationRef(r)) => ctx
            .lex
            .organisation_refs
            .get(r)
            .is_some_and(|o| o.last_speaker),
        _ => false,
    }
}

/// A term of at most three words in quotes right after a word that keeps
/// it at the writer's distance: a so-called “war on drugs”, a suspected
/// “narco-terrorist” boat, la supuesta «narcolancha». The writer's framing,
/// not anybody's statement.
fn is_scare_quote(ctx: &Doc<'_>, q: &Quote) -> bool {
    const TERM_WORDS: usize = 3;
    let [piece] = q.pieces.as_slice() else {
        return false;
    };
    if ctx
        .text
        .get(piece.clone())
        .is_none_or(|t| word_count(t) > TERM_WORDS)
    {
        return false;
    }
    let Some(head) = ctx.text.get(..q.open) else {
        return false;
    };
    if !head.ends_with(char::is_whitespace) {
        return false;
    }
    let mut words = head.split_whitespace().rev();
    let Some(last) = words.next() else {
        return false;
    };
    let last = last.to_lowercase();
    if ctx.rules.scare_words.contains(&last) {
        return true;
    }
    words.next().is_some_and(|w| {
        ctx.rules
            .scare_words
            .contains(&format!("{} {last}", w.to_lowercase()))
    })
}

/// The text of a quote told in one piece, uninterrupted by an attribution.
fn single_piece<'t>(text: &'t str, q: &Quote) -> Option<&'t str> {
    let [piece] = q.pieces.as_slice() else {
        return None;
    };
    text.get(piece.clone())
}

/// A name of at most three words in single quotes after a preposition,
/// capitalised: `en diálogo con ‘Caracol Radio’`, `told 'Face the Nation'`.
/// Pages set outlets, programmes and titles so; nobody says them.
fn is_single_quoted_title(ctx: &Doc<'_>, q: &Quote) -> bool {
    const TITLE_WORDS: usize = 3;
    let single = ctx
        .text
        .get(q.open..)
        .is_some_and(|t| t.starts_with(['\'', '‘']));
    let Some(inner) = single_piece(ctx.text, q) else {
        return false;
    };
    let capitalised = inner.chars().next().is_some_and(char::is_uppercase);
    let after_preposition = text::word_before(ctx.text, q.open)
        .is_some_and(|(_, w)| ctx.rules.prepositions.contains(&w.to_lowercase()));
    single && capitalised && word_count(inner) <= TITLE_WORDS && after_preposition
}

/// A title-cased name of two to four words in quotes that closes its
/// sentence, right after an owner's possessive or an article (`said Sunday on
/// CBS' "Face the Nation."`, `en su conferencia la "Mañanera del Pueblo"`),
/// or that closes its clause right after a preposition.
/// Pages set programmes and shows so; nobody says them.
fn is_named_programme(ctx: &Doc<'_>, q: &Quote) -> bool {
    const TITLE_WORDS: usize = 4;
    let Some(inner) = single_piece(ctx.text, q) else {
        return false;
    };
    let words: Vec<&str> = inner
        .split_whitespace()
        .map(|w| w.trim_end_matches(['.', ',']))
        .collect();
    if !(2..=TITLE_WORDS).contains(&words.len()) {
        return false;
    }
    let title_cased = words.iter().enumerate().all(|(i, w)| {
        let lower = w.to_lowercase();
        w.chars().next().is_some_and(char::is_uppercase)
            || (i > 0
                && (ctx.rules.particles.contains(&lower)
                    || ctx.rules.prepositions.contains(&lower)
                    || ctx.rules.determiners.contains(&lower)))
    });
    let closes_sentence = inner.trim_end().ends_with('.')
        || ctx.text.get(q.after()..).is_none_or(|t| {
            let t = t.trim_start_matches([' ', '\u{a0}']);
            t.is_empty() || t.starts_with(['.', '\n'])
        });
    let owner_or_article = text::word_before(ctx.text, q.open).is_some_and(|(_, w)| {
        let lower = w.to_lowercase();
        lower.ends_with("'s")
            || lower.ends_with("’s")
            || lower.ends_with("s'")
            || lower.ends_with("s’")
            || ctx.rules.determiners.contains(&lower)
    });
    // `the first U.S. death in "Operation Southern Spear."`, `told NBC on
    // "Meet the Press,"`: a title after a preposition, closing its clause.
    let after_preposition = text::word_before(ctx.text, q.open)
        .is_some_and(|(_, w)| ctx.rules.prepositions.contains(&w.to_lowercase()));
    let closes_clause = closes_sentence || inner.trim_end().ends_with(',');
    title_cased && ((closes_sentence && owner_or_article) || (closes_clause && after_preposition))
}

/// `the Joint Task Force "Southern Spear" carried out`, `el plan “Lanza del
/// Sur”`: a capitalised quote of at most four words right after a noun that
/// gives a unit or an operation its name is that name.
fn is_given_name(ctx: &Doc<'_>, q: &Quote) -> bool {
    const NAME_WORDS: usize = 4;
    let Some(inner) = single_piece(ctx.text, q) else {
        return false;
    };
    let capitalised = inner.chars().next().is_some_and(char::is_uppercase);
    if !capitalised || word_count(inner) > NAME_WORDS {
        return false;
    }
    // The longest name-giving noun is a few words: only the text just
    // before the quote is lowered, not the whole page up to it.
    const GIVER_BYTES: usize = 48;
    let mut from = q.open.saturating_sub(GIVER_BYTES);
    while !ctx.text.is_char_boundary(from) {
        from += 1;
    }
    let Some(head) = ctx.text.get(from..q.open) else {
        return false;
    };
    let head = head.trim_end().to_lowercase();
    ctx.rules.name_givers.iter().any(|giver| {
        head.strip_suffix(giver.as_str())
            .is_some_and(|rest| (rest.is_empty() && from == 0) || rest.ends_with([' ', '\n', '(']))
    })
}

/// The quote sits in a related-article teaser spliced into the text
/// ("TE PUEDE INTERESAR: Maduro se declara ‘no culpable’ …", "MIRA AQUÍ:
/// Trump firma …"): the teaser's lead-in stands shortly before it on the same
/// line, with no other quote between, and no attribution follows the quote.
fn in_related_link(ctx: &Doc<'_>, q: &Quote) -> bool {
    const TEASER_WORDS: usize = 20;
    // `« … », a précisé la même source`: a comma hands the quote over to
    // an attribution, so the teaser ended before it.
    let attributed = ctx
        .text
        .get(q.after()..)
        .is_some_and(|t| t.trim_start().starts_with(','));
    if ctx.rules.related_links.is_empty() || attributed {
        return false;
    }
    let Some(head) = ctx.text.get(..q.open) else {
        return false;
    };
    let line = head.rsplit('\n').next().unwrap_or(head);
    let lower = line.to_lowercase();
    ctx.rules.related_links.iter().any(|lead| {
        // `rfind`'s answer, from a vectorised search.
        memchr::memmem::rfind(lower.as_bytes(), lead.as_bytes()).is_some_and(|at| {
            let between = &lower[at + lead.len()..];
            word_count(between) <= TEASER_WORDS
                && !between.contains(['"', '“', '”', '«', '»', '‘', '’'])
        })
    })
}

/// A single capitalised word in quotes between two parts of a name: Frank "Mitch" Bradley.
fn is_nickname(text: &str, q: &Quote) -> bool {
    let Some(inner) = single_piece(text, q) else {
        return false;
    };
    if inner.contains(char::is_whitespace) || !inner.chars().next().is_some_and(char::is_uppercase)
    {
        return false;
    }
    let Some(close) = q.close_end else {
        return false;
    };
    let before = text[..q.open]
        .strip_suffix(' ')
        .and_then(|h| h.chars().next_back());
    let after = word_after(text, close).map(|(_, w)| w);
    let after_gap_is_space = text[close..].starts_with(' ');
    before.is_some_and(char::is_alphabetic)
        && text[..q.open]
            .trim_end()
            .rsplit(' ')
            .next()
            .is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase))
        && after_gap_is_space
        && after.is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase))
}

fn build_statement(
    ctx: &Doc<'_>,
    lex: &Compiled,
    people: &[mentions::NewPerson],
    doc: &Document,
    q: &Quote,
    found: &Found,
    context_words: &[(Range<usize>, ContextWord)],
) -> Option<Statement> {
    let text = ctx.text;
    let span = Span::of(text, q.start(), q.end())?;
    let quote = if q.pieces.len() == 1 {
        span.text.clone()
    } else {
        q.pieces
            .iter()
            .filter_map(|p| text.get(p.clone()))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let quote_start = first_words(&quote, 10).to_string();
    let attribution = Span::of(text, found.span.start, found.span.end);
    let context = statement_context(ctx, found);
    let (channel, day) = channel_and_day(ctx, lex, found, &context, context_words, q.open);
    let publication = doc.publication_date();
    let present = found
        .verb
        .and_then(|v| lex.verbs.get(v))
        .is_some_and(|v| v.present);
    let said_at = match (day, publication) {
        (Some(day), Some(publication)) => resolve_day(day, publication),
        (None, Some(publication)) if present => Some(publication),
        _ => None,
    };
    let speaker = spelling::as_the_page_spells(text, speaker_name(lex, people, found.who));
    let speaker_role = speaker_role(lex, people, found.who, said_at.or(publication));
    let confidence = confidence_of(&found.cues, channel);
    Some(Statement {
        speaker,
        speaker_role,
        quote,
        quote_start,
        channel,
        said_at,
        span,
        attribution,
        claims: Vec::new(),
        confidence,
    })
}

/// Cues that leave a speaker a guess: a pronoun, an anaphor, a role, a
/// dropped subject, a paragraph carried over.
const LOW_CUES: [&str; 7] = [
    "layout:lead_in_sentence",
    "layout:named_after",
    "speaker:pronoun",
    "speaker:organisation_anaphor",
    "speaker:role_reference",
    "speaker:dropped_subject",
    "layout:next_paragraph",
];

/// Cues that name the speaker indirectly: a surname or alias, a post's
/// handle, a quote continuing the previous one.
const MEDIUM_CUES: [&str; 6] = [
    "speaker:alias",
    "layout:signed_after",
    "speaker:post_handle",
    "speaker:post_signature",
    "layout:embedded_post",
    "layout:continued_quote",
];

/// High when the speaker is named beside the quote; medium for an alias, a
/// handle or a continued quote; low for anything resolved by reference.
pub(crate) fn confidence_of(cues: &[&'static str], channel: Option<Channel>) -> Confidence {
    let level = if cues.iter().any(|c| LOW_CUES.contains(c)) {
        ConfidenceLevel::Low
    } else if cues.iter().any(|c| MEDIUM_CUES.contains(c)) {
        ConfidenceLevel::Medium
    } else {
        ConfidenceLevel::High
    };
    let mut names: Vec<String> = cues.iter().map(|c| c.to_string()).collect();
    if let Some(channel) = channel {
        names.push(format!("channel:{}", channel_name(channel)));
    }
    Confidence::new(level, names)
}

fn channel_name(channel: Channel) -> &'static str {
    match channel {
        Channel::SocialPost => "social_post",
        Channel::PressConference => "press_conference",
        Channel::Statement => "statement",
        Channel::Interview => "interview",
        Channel::Testimony => "testimony",
    }
}

/// The attribution's own context plus the sentence before it in the same
/// paragraph when that sentence names the same speaker ("In a statement on
/// Wednesday, Rep. X said ... \"...\" X said.").
fn statement_context(ctx: &Doc<'_>, found: &Found) -> Vec<Range<usize>> {
    let mut ranges = found.context.clone();
    let Some(s) = ctx.layout.sentence_at(found.span.start) else {
        return ranges;
    };
    if s == 0 || ctx.layout.sentence_paragraph[s - 1] != ctx.layout.sentence_paragraph[s] {
        return ranges;
    }
    let prev = ctx.layout.sentences[s - 1].clone();
    let names_speaker = ctx.mentions_in(prev.clone()).any(|(_, m)| {
        !m.in_quote
            && match m.kind {
                MentionKind::Word(AgentWord::Actor(i)) => found.who == Who::Actor(i),
                MentionKind::NewPerson(i) => found.who == Who::New(i),
                _ => false,
            }
    });
    if names_speaker {
        ranges.push(prev);
    }
    ranges
}

fn channel_and_day(
    ctx: &Doc<'_>,
    lex: &Compiled,
    found: &Found,
    context: &[Range<usize>],
    words: &[(Range<usize>, ContextWord)],
    quote_open: usize,
) -> (Option<Channel>, Option<DayWord>) {
    let anchor = found.verb_at.as_ref().map_or(found.span.start, |v| v.start);

    let distance = |r: &Range<usize>| {
        if r.start >= anchor {
            r.start - anchor
        } else {
            anchor - r.end.min(anchor)
        }
    };
    let mut channel: Option<(usize, Channel)> = None;
    let mut day: Option<(usize, DayWord)> = None;
    // Context words are sorted by position: look only inside each context range.
    let inside = context.iter().flat_map(|c| {
        let first = words.partition_point(|(r, _)| r.start < c.start);
        words[first..]
            .iter()
            .take_while(move |(r, _)| r.start < c.end)
            .filter(move |(r, _)| r.end <= c.end)
    });
    for (range, word) in inside {
        let d = distance(range);
        match word {
            ContextWord::Channel(c) => {
                if channel.is_none_or(|(best, _)| d < best) {
                    channel = Some((d, *c));
                }
            }
            ContextWord::Day(w) => {
                // A day well after the verb belongs to the reported content.
                let after_verb = found
                    .verb_at
                    .as_ref()
                    .is_some_and(|v| range.start > v.end + 30 && range.start < quote_open);
                if !after_verb && day.is_none_or(|(best, _)| d < best) {
                    day = Some((d, *w));
                }
            }
        }
    }
    let info = found.verb.and_then(|v| lex.verbs.get(v));
    let implied = info.and_then(|i| i.channel);
    let outlet = info.and_then(|i| i.outlet_channel).filter(|_| {
        found.verb_at.as_ref().is_some_and(|v| {
            word_after(ctx.text, v.end).is_some_and(|(r, w)| {
                w.chars().next().is_some_and(char::is_uppercase)
                    && ctx.mentions_in(r.start..r.start + 1).next().is_none()
            })
        })
    });
    (
        channel.map(|c| c.1).or(implied).or(outlet),
        day.map(|d| d.1),
    )
}

/// The calendar day a day word means, against the publication date.
fn resolve_day(day: DayWord, publication: NaiveDate) -> Option<NaiveDate> {
    match day {
        DayWord::Today => Some(publication),
        DayWord::Yesterday => publication.checked_sub_days(Days::new(1)),
        DayWord::Weekday(w) => {
            let back =
                (publication.weekday().num_days_from_monday() + 7 - w.num_days_from_monday()) % 7;
            publication.checked_sub_days(Days::new(u64::from(back)))
        }
    }
}
