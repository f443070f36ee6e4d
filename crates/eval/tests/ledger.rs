//! The ledger measure: phantom dead, missing strikes, toll differences.

use chrono::NaiveDate;
use strikewatch_eval::ledger::{reference_strikes, score_ledger};
use strikewatch_eval::{GoldDoc, GoldIncident};
use strikewatch_model::ReportRole;
use strikewatch_model::ledger::{CountRange, Incident, Ledger};

fn day(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

fn gold_inc(date: &str, region: Option<&str>, killed: u32) -> GoldIncident {
    GoldIncident {
        date: Some(day(date)),
        date_text: None,
        region: region.map(str::to_string),
        vessels: None,
        killed: Some(killed),
        survivors: None,
        role: ReportRole::Main,
        announced_by: None,
    }
}

fn gold(id: &str, incidents: Vec<GoldIncident>) -> GoldDoc {
    serde_json::from_value(serde_json::json!({
        "id": id, "incidents": incidents, "totals": [], "statements": []
    }))
    .expect("gold line")
}

fn incident(id: &str, date: &str, region: Option<&str>, killed: u32) -> Incident {
    Incident {
        id: id.into(),
        date: Some(day(date)),
        region: region.map(str::to_string),
        killed: CountRange {
            min: Some(killed),
            max: Some(killed),
        },
        ..Incident::default()
    }
}

#[test]
fn reference_strikes_merge_mentions_of_one_day() {
    let g = vec![
        gold("a", vec![gold_inc("2025-09-02", Some("caribbean"), 11)]),
        gold("b", vec![gold_inc("2025-09-02", None, 11)]),
        gold("c", vec![gold_inc("2025-09-15", None, 3)]),
    ];
    let refs = reference_strikes(&g);
    assert_eq!(refs.len(), 2, "{refs:?}");
    assert_eq!(refs[0].killed, Some(11));
}

#[test]
fn a_cumulative_sentence_read_as_a_strike_is_phantom() {
    let g = vec![gold(
        "a",
        vec![
            gold_inc("2025-09-02", Some("caribbean"), 11),
            gold_inc("2025-09-15", Some("caribbean"), 3),
        ],
    )];
    let ledger = Ledger {
        incidents: vec![
            incident("one", "2025-09-02", Some("caribbean"), 11),
            incident("two", "2025-09-16", Some("caribbean"), 3),
            incident("phantom", "2025-12-17", Some("caribbean"), 95),
        ],
        ..Ledger::default()
    };
    let s = score_ledger(&ledger, &g, |_| true);
    assert_eq!((s.ledger_killed, s.reference_killed), (109, 14));
    assert_eq!(s.phantom_killed, 95);
    assert!((s.phantom_share - 95.0 / 109.0).abs() < 1e-9);
    assert_eq!(s.phantom_incidents.len(), 1);
    assert!(s.missing_strikes.is_empty());
    // Kept out of the headline, the phantom no longer counts.
    let s = score_ledger(&ledger, &g, |i| i.id != "phantom");
    assert_eq!((s.phantom_killed, s.ledger_killed), (0, 14));
}

#[test]
fn missing_strikes_and_toll_differences_are_listed() {
    let g = vec![gold(
        "a",
        vec![
            gold_inc("2026-02-16", Some("caribbean"), 3),
            gold_inc("2026-02-16", Some("eastern_pacific"), 8),
        ],
    )];
    let ledger = Ledger {
        incidents: vec![incident("c", "2026-02-16", Some("caribbean"), 11)],
        ..Ledger::default()
    };
    let s = score_ledger(&ledger, &g, |_| true);
    assert_eq!(s.missing_strikes.len(), 1);
    assert_eq!(s.toll_differences.len(), 1);
    assert!(s.to_table().contains("missing"));
}

#[test]
fn a_strike_counted_by_two_incidents_is_listed() {
    let g = vec![gold(
        "a",
        vec![gold_inc("2025-09-02", Some("caribbean"), 11)],
    )];
    let ledger = Ledger {
        incidents: vec![
            incident("one", "2025-09-02", Some("caribbean"), 11),
            incident("again", "2025-09-03", None, 11),
        ],
        ..Ledger::default()
    };
    let s = score_ledger(&ledger, &g, |_| true);
    assert_eq!(s.ledger_killed, 22);
    assert_eq!(s.duplicated_strikes.len(), 1);
    assert!(s.phantom_incidents.is_empty());
}
