//! The seed article and the development corpus, scored with the corpus
//! rule for statements (speaker equal ignoring case; normalised
//! quote_start, one a prefix of the other, sharing at least min(6, gold
//! words) words) and claims (kind equal, normalised text equal or one
//! containing the other).

use strikewatch_gold::{GoldClaim, GoldDoc, GoldStatement};
use strikewatch_model::{Claim, ClaimKind, Document, Statement};

use super::lexicon;
use crate::statements::extract_statements;

const SEED_DOCS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/seed/docs.jsonl"
));
const SEED_GOLD: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/seed/gold.jsonl"
));
const DEV_DOCS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/dev/docs.jsonl"
));
const DEV_GOLD: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/dev/gold.jsonl"
));

/// The corpus documents, read as the extractor reads them.
pub(super) fn parse_docs(jsonl: &str) -> Vec<Document> {
    jsonl
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| crate::parse_document_line(l).expect("corpus line parses"))
        .collect()
}

pub(super) fn parse_gold(jsonl: &str) -> Vec<GoldDoc> {
    strikewatch_gold::parse_gold("gold", jsonl).expect("gold file parses")
}

/// The corpus normalisation: curly quotes straight, whitespace collapsed,
/// trailing punctuation stripped, case ignored. (The corpus text is NFC already.)
pub(super) fn normalise(s: &str) -> String {
    let straight: String = s
        .chars()
        .map(|c| match c {
            '“' | '”' | '„' | '«' | '»' => '"',
            '‘' | '’' | '‚' => '\'',
            c => c,
        })
        .collect();
    let collapsed = straight.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed
        .trim_end_matches(|c: char| c.is_ascii_punctuation() || c == '…')
        .to_lowercase()
}

/// True when a predicted quote_start matches a gold one.
pub(super) fn quote_start_matches(predicted: &str, gold: &str) -> bool {
    let (p, g) = (normalise(predicted), normalise(gold));
    let (short, long) = if p.len() <= g.len() {
        (&p, &g)
    } else {
        (&g, &p)
    };
    if !long.starts_with(short.as_str()) {
        return false;
    }
    let gold_words = g.split_whitespace().count();
    short.split_whitespace().count() >= gold_words.min(6)
}

pub(super) fn statement_matches(p: &Statement, g: &GoldStatement) -> bool {
    p.speaker.eq_ignore_ascii_case(&g.speaker)
        && quote_start_matches(&p.quote_start, &g.quote_start)
}

/// Greedy one-to-one matching; returns for each gold statement the index of its prediction.
pub(super) fn match_statements(
    predicted: &[Statement],
    gold: &[GoldStatement],
) -> Vec<Option<usize>> {
    let mut used = vec![false; predicted.len()];
    gold.iter()
        .map(|g| {
            let i = predicted
                .iter()
                .enumerate()
                .position(|(i, p)| !used[i] && statement_matches(p, g))?;
            used[i] = true;
            Some(i)
        })
        .collect()
}

fn claim_matches(p: &Claim, g: &GoldClaim) -> bool {
    let (pt, gt) = (normalise(&p.text), normalise(&g.text));
    p.kind == g.kind
        && g.speaker
            .as_deref()
            .is_some_and(|s| p.speaker.eq_ignore_ascii_case(s))
        && (pt.contains(&gt) || gt.contains(&pt))
}

fn claim_exact(p: &Claim, g: &GoldClaim) -> bool {
    p.kind == g.kind && normalise(&p.text) == normalise(&g.text)
}

#[test]
fn seed_article_statements_and_claims() {
    let doc = &parse_docs(SEED_DOCS)[0];
    let gold = &parse_gold(SEED_GOLD)[0];
    let (statements, claims) = extract_statements(lexicon(), doc);
    for s in &statements {
        assert!(s.span.is_valid_in(&doc.text));
        assert!(
            s.attribution
                .as_ref()
                .is_none_or(|a| a.is_valid_in(&doc.text))
        );
    }
    let matched = match_statements(&statements, &gold.statements);
    for (g, m) in gold.statements.iter().zip(&matched) {
        assert!(
            m.is_some(),
            "gold statement not found: {g:?}\npredicted: {statements:#?}"
        );
    }
    assert_eq!(statements.len(), 9, "no extra statements: {statements:#?}");
    for s in &statements {
        assert_eq!(s.speaker, "Pete Hegseth");
        assert_eq!(s.speaker_role.as_deref(), Some("U.S. Secretary of War"));
    }
    // Channels, dates and claim kinds the gold gives.
    for (g, m) in gold.statements.iter().zip(&matched) {
        let p = &statements[m.expect("matched")];
        assert_eq!(p.channel, g.channel, "channel of {:?}", g.quote_start);
        if let Some(day) = g.said_at {
            assert_eq!(p.said_at, Some(day), "said_at of {:?}", g.quote_start);
        }
        let kinds: Vec<&str> = p.claims.iter().map(|k| k.as_str()).collect();
        for k in &g.claims {
            assert!(
                kinds.contains(&k.as_str()),
                "claim kind {} of {:?}: got {kinds:?}",
                k.as_str(),
                g.quote_start
            );
        }
    }
    let gold_claims = gold.claims.as_ref().expect("seed gold has claims");
    assert_eq!(gold_claims.len(), 8);
    for g in gold_claims {
        assert!(
            claims.iter().any(|p| claim_matches(p, g)),
            "gold claim not found: {g:?}\npredicted: {claims:#?}"
        );
    }
    let exact = gold_claims
        .iter()
        .filter(|g| claims.iter().any(|p| claim_exact(p, g)))
        .count();
    assert!(exact >= 7, "claims with the exact gold text: {exact}/8");
    for c in &claims {
        assert!(c.span.is_valid_in(&doc.text));
        assert_eq!(c.speaker, "Pete Hegseth");
        assert!(ClaimKind::ALL.contains(&c.kind));
    }
}

/// (true positives, predicted, gold) over the development corpus.
fn dev_counts(verbose: bool) -> (usize, usize, usize) {
    let docs = parse_docs(DEV_DOCS);
    let gold = parse_gold(DEV_GOLD);
    let (mut tp, mut predicted, mut expected) = (0, 0, 0);
    for doc in &docs {
        let g = gold
            .iter()
            .find(|g| g.id == doc.id)
            .expect("gold for every doc");
        let (statements, _) = extract_statements(lexicon(), doc);
        let matched = match_statements(&statements, &g.statements);
        let hits = matched.iter().flatten().count();
        if verbose && (hits != statements.len() || hits != g.statements.len()) {
            eprintln!(
                "{}: predicted {:#?}\n gold {:#?}",
                doc.id, statements, g.statements
            );
        }
        tp += hits;
        predicted += statements.len();
        expected += g.statements.len();
    }
    (tp, predicted, expected)
}

#[test]
fn dev_corpus_statement_precision_and_recall() {
    let (tp, predicted, expected) = dev_counts(true);
    assert_eq!(expected, 18);
    let precision = tp as f64 / predicted.max(1) as f64;
    let recall = tp as f64 / expected as f64;
    eprintln!(
        "dev statements: tp {tp}, predicted {predicted}, gold {expected}, P {precision:.3} R {recall:.3}"
    );
    assert!(
        precision >= 0.90 && recall >= 0.90,
        "P {precision:.3} R {recall:.3}"
    );
}

#[test]
fn spans_are_valid_on_every_corpus_document() {
    for doc in parse_docs(DEV_DOCS)
        .iter()
        .chain(parse_docs(SEED_DOCS).iter())
    {
        let (statements, claims) = extract_statements(lexicon(), doc);
        for s in &statements {
            assert!(s.span.is_valid_in(&doc.text), "{}: {:?}", doc.id, s.span);
            assert_eq!(
                s.span.text, s.quote,
                "{}: single-paragraph quote text is its span",
                doc.id
            );
            assert!(
                s.attribution
                    .as_ref()
                    .is_some_and(|a| a.is_valid_in(&doc.text))
            );
            assert!(!s.speaker.is_empty());
        }
        for c in &claims {
            assert!(c.span.is_valid_in(&doc.text), "{}: {:?}", doc.id, c.span);
        }
    }
}

/// Throughput on the development corpus repeated to about 8 MB. Run with
/// `cargo test --release -p strikewatch-extract throughput -- --ignored --nocapture`.
#[test]
#[ignore]
fn throughput() {
    let docs = parse_docs(DEV_DOCS);
    let bytes_per_round: usize = docs.iter().map(|d| d.text.len()).sum();
    let rounds = (8_000_000 / bytes_per_round.max(1)).max(1);
    let started = std::time::Instant::now();
    let mut statements = 0usize;
    for _ in 0..rounds {
        for d in &docs {
            statements += extract_statements(lexicon(), d).0.len();
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let mb = (bytes_per_round * rounds) as f64 / 1e6;
    eprintln!(
        "statements throughput: {mb:.1} MB in {seconds:.2} s = {:.1} MB/s, {:.0} docs/s ({statements} statements)",
        mb / seconds,
        (docs.len() * rounds) as f64 / seconds
    );
}
