//! Order independence, incremental updates equal to full rebuilds, and
//! stable ids.

mod common;

use common::*;
use proptest::prelude::*;
use strikewatch_resolve::{Resolver, resolve};

fn json(l: &strikewatch_model::ledger::Ledger) -> String {
    serde_json::to_string(l).unwrap()
}

fn full(docs: &[strikewatch_resolve::SourceDocument]) -> String {
    json(&resolve(&input(docs.to_vec())).unwrap())
}

#[test]
fn two_ingest_orders_give_the_same_ledger() {
    let docs = corpus_with_rival_date();
    let mut reversed = docs.clone();
    reversed.reverse();
    assert_eq!(full(&docs), full(&reversed));
    let mut r = Resolver::bundled().unwrap();
    for d in reversed {
        r.add(d);
    }
    assert_eq!(json(&r.ledger()), full(&docs));
}

#[test]
fn adding_another_strike_leaves_existing_ids_alone() {
    let docs = corpus();
    let without: Vec<_> = docs
        .iter()
        .filter(|d| d.meta.id != "dev-042")
        .cloned()
        .collect();
    let before = resolve(&input(without)).unwrap();
    let after = resolve(&input(docs)).unwrap();
    let ids_after: Vec<&str> = after.incidents.iter().map(|i| i.id.as_str()).collect();
    for i in &before.incidents {
        assert!(ids_after.contains(&i.id.as_str()), "{} lost", i.id);
    }
    assert_eq!(after.incidents.len(), before.incidents.len() + 1);
}

#[test]
fn a_later_report_of_the_same_strike_keeps_its_id() {
    let docs = corpus();
    let early: Vec<_> = docs
        .iter()
        .filter(|d| d.meta.id.as_str() <= "dev-014")
        .cloned()
        .collect();
    let id_before = on(&resolve(&input(early)).unwrap(), "2025-10-27")[0]
        .id
        .clone();
    let id_after = on(&resolve(&input(docs)).unwrap(), "2025-10-27")[0]
        .id
        .clone();
    assert_eq!(id_before, id_after);
}

#[test]
fn an_update_reports_what_changed() {
    let docs = corpus();
    let (last, rest) = docs.split_last().unwrap();
    let mut r = Resolver::from_input(
        strikewatch_resolve::ResolveConfig::bundled().unwrap(),
        &input(rest.to_vec()),
    )
    .unwrap();
    let delta = r.add(last.clone());
    assert!(delta.window.is_some());
    assert!(!delta.changed.is_empty());
    assert_eq!(json(&r.ledger()), full(&docs));
    // Removing it again gives the ledger without it.
    r.remove(&last.meta.id);
    assert_eq!(json(&r.ledger()), full(rest));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn incremental_equals_full_rebuild(
        order in Just((0..46usize).collect::<Vec<_>>()).prop_shuffle(),
        keep in proptest::collection::vec(any::<bool>(), 46),
    ) {
        let all = corpus_with_rival_date();
        let chosen: Vec<_> = order
            .iter()
            .filter(|i| **i < all.len() && keep[**i])
            .map(|i| all[*i].clone())
            .collect();
        let mut r = Resolver::bundled().unwrap();
        for (n, d) in chosen.iter().enumerate() {
            r.add(d.clone());
            if n % 7 == 6 {
                prop_assert_eq!(json(&r.ledger()), full(&chosen[..=n]));
            }
        }
        prop_assert_eq!(json(&r.ledger()), full(&chosen));
    }
}

#[test]
fn the_live_ledger_with_local_reviews_equals_a_full_resolve_after_each_document() {
    use strikewatch_model::ledger::{Review, ReviewAction};
    use strikewatch_resolve::{LiveResolver, apply_reviews};
    let docs = corpus();
    let whole = resolve(&input(docs.clone())).unwrap();
    let review = |seq: i64, action: ReviewAction| Review {
        seq,
        at: "2026-01-01T00:00:00Z".into(),
        author: "A".into(),
        reason: "checked".into(),
        action,
    };
    let reviews = vec![
        review(
            1,
            ReviewAction::Correct {
                incident: whole.incidents[2].id.clone(),
                field: "killed".into(),
                value: "9".into(),
            },
        ),
        review(
            2,
            ReviewAction::Reject {
                incident: whole.incidents[5].id.clone(),
            },
        ),
        review(
            3,
            ReviewAction::Confirm {
                incident: whole.incidents[0].id.clone(),
            },
        ),
    ];
    let (first, rest) = docs.split_at(docs.len() / 3);
    let start = Resolver::from_input(
        strikewatch_resolve::ResolveConfig::bundled().unwrap(),
        &input(first.to_vec()),
    )
    .unwrap();
    let mut live = LiveResolver::new(start, reviews.clone());
    let mut seen = first.to_vec();
    for d in rest.iter().rev() {
        let delta = live.add(d.clone());
        assert!(!delta.whole);
        seen.push(d.clone());
        let full = apply_reviews(&resolve(&input(seen.clone())).unwrap(), &reviews).unwrap();
        assert_eq!(json(live.ledger()), json(&full), "after {}", d.meta.id);
    }
}

/// The dev corpus with its documents told `copies` times under other ids
/// (every strike reported by many outlets, as in a large corpus).
fn copied_corpus(copies: usize) -> Vec<strikewatch_resolve::SourceDocument> {
    let docs = corpus_with_rival_date();
    (0..copies)
        .flat_map(|n| {
            docs.iter().map(move |d| {
                let mut d = d.clone();
                if n > 0 {
                    d.meta.id = format!("{}-copy{n}", d.meta.id);
                    d.extraction.id = d.meta.id.clone();
                }
                d
            })
        })
        .collect()
}

#[test]
fn the_replay_gives_the_ledger_a_full_resolve_gives_and_the_same_history() {
    use strikewatch_resolve::ResolveConfig;
    use strikewatch_resolve::history::{history, replay};
    let cfg = ResolveConfig::bundled().unwrap();
    for docs in [corpus(), corpus_with_rival_date(), copied_corpus(3)] {
        let whole = input(docs);
        let replayed = replay(whole.clone(), &[], &cfg).unwrap();
        assert_eq!(
            json(&replayed.machine),
            json(&resolve(&whole).unwrap()),
            "the replay's last day is the whole corpus resolved"
        );
        assert_eq!(replayed.history, history(&whole, &[], &cfg).unwrap());
    }
}
