//! The review log on top of machine output.

mod common;

use common::*;
use strikewatch_model::ledger::{Grade, Review, ReviewAction};
use strikewatch_resolve::{apply_reviews, resolve};

fn review(seq: i64, action: ReviewAction) -> Review {
    Review {
        seq,
        at: "2026-03-01T10:00:00Z".into(),
        author: "analyst".into(),
        reason: format!("reason {seq}"),
        action,
    }
}

#[test]
fn rejecting_retracts_without_deleting_and_drops_from_totals() {
    let machine = resolve(&input(corpus())).unwrap();
    let sep2 = on(&machine, "2025-09-02")[0].id.clone();
    let reviewed = apply_reviews(
        &machine,
        &[review(
            1,
            ReviewAction::Reject {
                incident: sep2.clone(),
            },
        )],
    )
    .unwrap();
    let i = reviewed.incident(&sep2).unwrap();
    assert_eq!(i.grade, Grade::Retracted);
    assert_eq!(
        i.reviewed[0].machine_value.as_deref(),
        Some(machine.incident(&sep2).unwrap().grade.as_str())
    );
    assert_eq!(reviewed.incidents.len(), machine.incidents.len());
    let before = machine
        .reconciliation
        .iter()
        .find(|r| r.document_id == "dev-003")
        .unwrap();
    let after = reviewed
        .reconciliation
        .iter()
        .find(|r| r.document_id == "dev-003")
        .unwrap();
    assert_eq!(after.ledger_strikes + 1, before.ledger_strikes);
    assert!(reviewed.review_log[0].applied);
}

#[test]
fn corrections_sit_next_to_machine_values() {
    let machine = resolve(&input(corpus())).unwrap();
    let id = on(&machine, "2025-10-16")[0].id.clone();
    let log = [
        review(
            1,
            ReviewAction::Correct {
                incident: id.clone(),
                field: "killed".into(),
                value: "3".into(),
            },
        ),
        review(
            2,
            ReviewAction::Correct {
                incident: id.clone(),
                field: "killed".into(),
                value: "many".into(),
            },
        ),
        review(
            3,
            ReviewAction::Annotate {
                incident: id.clone(),
                note: "check Colombian sources".into(),
            },
        ),
        review(
            4,
            ReviewAction::Confirm {
                incident: "sw-nope".into(),
            },
        ),
    ];
    let reviewed = apply_reviews(&machine, &log).unwrap();
    let i = reviewed.incident(&id).unwrap();
    assert_eq!(
        i.killed,
        machine.incident(&id).unwrap().killed,
        "machine value kept"
    );
    assert_eq!(i.reviewed_value("killed"), Some("3"));
    assert_eq!(i.lead_killed(), Some(3));
    assert!(i.notes.iter().any(|n| n.contains("Colombian")));
    let applied: Vec<bool> = reviewed.review_log.iter().map(|o| o.applied).collect();
    assert_eq!(applied, [true, false, true, false]);
    // Rebuilding and re-applying gives the same ledger.
    let again = apply_reviews(&resolve(&input(corpus())).unwrap(), &log).unwrap();
    assert_eq!(
        serde_json::to_string(&again).unwrap(),
        serde_json::to_string(&reviewed).unwrap()
    );
}

#[test]
fn merge_and_split_move_reports_and_keep_ids_citable() {
    let machine = resolve(&input(corpus())).unwrap();
    let a = on(&machine, "2025-12-30")[0].id.clone();
    let b = on(&machine, "2025-12-31")[0].id.clone();
    let merged = apply_reviews(
        &machine,
        &[review(
            1,
            ReviewAction::Merge {
                incident: b.clone(),
                into: a.clone(),
            },
        )],
    )
    .unwrap();
    assert_eq!(merged.incidents.len(), machine.incidents.len() - 1);
    let m = merged.incident(&b).expect("old id resolves through alias");
    assert_eq!(m.id, a);
    assert!(m.conflicts.iter().any(|c| c.field == "date"));

    let split = apply_reviews(
        &merged,
        &[review(
            2,
            ReviewAction::Split {
                incident: a.clone(),
                document_id: "dev-039".into(),
            },
        )],
    )
    .unwrap();
    assert_eq!(split.incidents.len(), machine.incidents.len());
    assert!(
        split
            .incident(&a)
            .unwrap()
            .reports
            .iter()
            .all(|r| r.document_id != "dev-039")
    );
    assert!(
        split
            .incidents
            .iter()
            .any(|i| i.reports.iter().all(|r| r.document_id == "dev-039"))
    );
}

#[test]
fn a_speaker_correction_follows_into_claims() {
    let machine = resolve(&input(corpus())).unwrap();
    let s = &machine.statements[0];
    let log = [review(
        1,
        ReviewAction::CorrectSpeaker {
            document_id: s.document_id.clone(),
            statement_index: s.statement_index,
            speaker: "Someone Else".into(),
        },
    )];
    let reviewed = apply_reviews(&machine, &log).unwrap();
    let t = reviewed
        .statements
        .iter()
        .find(|x| x.document_id == s.document_id && x.statement_index == s.statement_index)
        .unwrap();
    assert_eq!(t.speaker(), "Someone Else");
    assert_eq!(
        t.statement.speaker, s.statement.speaker,
        "machine speaker kept"
    );
}
