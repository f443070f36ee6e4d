//! Posts read from platform exports (an X archive, a Telegram channel, an
//! ActivityPub outbox). Such a document has no quote marks to find: its
//! whole text is what its account posted. When the account (the document's
//! source) is a known actor, by a name or handle of the actors lexicon,
//! the text is one statement of that actor, on social media, on the day
//! posted.

use std::ops::Range;

use strikewatch_model::{Channel, Claim, Document, Span, Statement};

use super::claims::{claims_in_quote, dedupe};
use super::confidence_of;
use super::lexicon::{AgentWord, Compiled};
use super::text::{Layout, first_words, trim_range};

/// The actor who owns the account a post came from, when the document is
/// an export's post and the lexicon knows the account.
pub(super) fn owner(lex: &Compiled, doc: &Document) -> Option<usize> {
    if !doc.is_export_post() {
        return None;
    }
    let source = doc.source.as_deref()?.trim();
    account_names(source)
        .iter()
        .find_map(|name| whole_actor(lex, name))
}

/// The forms an account may be named by: as given, as a handle (`@name`),
/// and, for an ActivityPub actor URL, the handle its last path segment is.
fn account_names(source: &str) -> Vec<String> {
    let mut names = vec![source.to_string()];
    let bare = source.trim_start_matches('@');
    let handle_like =
        |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if handle_like(bare) {
        names.push(format!("@{bare}"));
    }
    if (source.starts_with("http://") || source.starts_with("https://"))
        && let Some(last) = source
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .map(|s| s.trim_start_matches('@'))
            .filter(|s| handle_like(s))
    {
        names.push(format!("@{last}"));
    }
    names
}

/// The actor an alias names when it covers all of `name`.
fn whole_actor(lex: &Compiled, name: &str) -> Option<usize> {
    lex.agents()
        .find(name, 0..name.len(), None)
        .into_iter()
        .find_map(|h| match h.payload {
            AgentWord::Actor(i) if h.start == 0 && h.end == name.len() => Some(*i),
            _ => None,
        })
}

/// The post's text as one statement of `actor`, with the claims in it.
pub(super) fn whole_post(
    lex: &Compiled,
    doc: &Document,
    actor: usize,
    lang: Option<usize>,
    sentences: Option<&[Range<usize>]>,
) -> (Vec<Statement>, Vec<Claim>) {
    let text = doc.text.as_str();
    let Some(who) = lex.actors.get(actor) else {
        return (Vec::new(), Vec::new());
    };
    let range = trim_range(text, 0..text.len());
    let Some(span) = Span::of(text, range.start, range.end).filter(|s| !s.text.is_empty()) else {
        return (Vec::new(), Vec::new());
    };
    let layout = match sentences {
        Some(split) => Layout::from_sentences(text, split.iter().cloned()),
        None => Layout::new(text, &lex.abbreviations),
    };
    let found = claims_in_quote(
        lex,
        text,
        &layout,
        std::slice::from_ref(&range),
        lang,
        layout.sentence_at(range.start),
        0,
    );
    let mut kinds: Vec<_> = found.iter().map(|c| c.kind).collect();
    kinds.sort();
    kinds.dedup();
    let said_at = doc.publication_date();
    let channel = Some(Channel::SocialPost);
    let statement = Statement {
        speaker: who.name.clone(),
        speaker_role: who.role_on(said_at).map(str::to_string),
        quote_start: first_words(&span.text, 10).to_string(),
        quote: span.text.clone(),
        channel,
        said_at,
        span,
        attribution: None,
        claims: kinds,
        confidence: confidence_of(&["speaker:post_account", "layout:whole_post"], channel),
    };
    let claims = dedupe(
        text,
        found.into_iter().map(|c| (c, who.name.clone())).collect(),
    );
    (vec![statement], claims)
}
