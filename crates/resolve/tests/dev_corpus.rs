//! Resolution of the whole dev corpus (gold-derived extractions).

mod common;

use common::*;
use strikewatch_model::ledger::Grade;
use strikewatch_resolve::resolve;

#[test]
fn every_strike_of_the_corpus_is_one_incident() {
    let ledger = resolve(&input(corpus())).unwrap();
    // 29 strike days; the 16 Feb announcement covers two seas in one record.
    assert_eq!(
        ledger.incidents.len(),
        29,
        "{:#?}",
        ledger
            .incidents
            .iter()
            .map(|i| (&i.id, i.date))
            .collect::<Vec<_>>()
    );
    assert_eq!(on(&ledger, "2026-02-16").len(), 1);
    for i in &ledger.incidents {
        assert!(i.date.is_some(), "{} has no date", i.id);
    }
}

#[test]
fn the_first_strike_gathers_all_eight_documents() {
    let ledger = resolve(&input(corpus())).unwrap();
    let sep2 = on(&ledger, "2025-09-02");
    assert_eq!(sep2.len(), 1);
    let i = &sep2[0];
    assert_eq!(
        docs_of(i),
        [
            "dev-001", "dev-002", "dev-003", "dev-004", "dev-006", "dev-028", "dev-029", "dev-045"
        ]
    );
    assert_eq!(i.region.as_deref(), Some("caribbean"));
    assert_eq!((i.killed.min, i.killed.max), (Some(11), Some(11)));
    assert!(i.id.starts_with("sw-2025-09-02-car-"), "{}", i.id);
    assert_eq!(i.point_precision.as_deref(), Some("region"));
}

#[test]
fn duplicate_reports_of_27_october_are_one_incident() {
    let ledger = resolve(&input(corpus())).unwrap();
    let oct27 = on(&ledger, "2025-10-27");
    assert_eq!(oct27.len(), 1);
    assert_eq!(
        docs_of(&oct27[0]),
        ["dev-014", "dev-015", "dev-016", "dev-017", "dev-045"]
    );
    assert_eq!(
        (oct27[0].killed.min, oct27[0].killed.max),
        (Some(14), Some(14))
    );
    assert!(oct27[0].conflicts.is_empty());
    assert_eq!(oct27[0].grade, Grade::Corroborated);
}

#[test]
fn an_undated_mention_joins_the_only_strike_that_fits() {
    let ledger = resolve(&input(corpus())).unwrap();
    let oct16 = &on(&ledger, "2025-10-16")[0];
    let mention = oct16
        .reports
        .iter()
        .find(|r| r.document_id == "dev-015")
        .expect("dev-015 mention attached");
    assert!(mention.undated);
    assert_eq!(oct16.survivors.max, Some(2));
    assert!(ledger.unplaced.is_empty());
}

#[test]
fn rival_date_joins_the_official_account_as_a_conflict() {
    let ledger = resolve(&input(corpus_with_rival_date())).unwrap();
    assert!(
        on(&ledger, "2025-10-15").is_empty(),
        "no incident on the rival date"
    );
    let oct14 = on(&ledger, "2025-10-14");
    assert_eq!(oct14.len(), 1);
    let i = &oct14[0];
    assert_eq!(i.official_date, Some(day("2025-10-14")));
    assert_eq!(
        (i.date_from, i.date_to),
        (Some(day("2025-10-14")), Some(day("2025-10-15")))
    );
    let c = i
        .conflicts
        .iter()
        .find(|c| c.field == "date")
        .expect("date conflict");
    assert_eq!(c.values[0].value, "2025-10-14");
    assert!(c.values[0].official);
    assert_eq!(c.values[1].value, "2025-10-15");
    assert_eq!(c.values[1].documents, ["dev-007"]);
    assert_eq!(i.grade, Grade::Contested);
    assert_eq!(ledger.incidents.len(), 29);
}

#[test]
fn one_announcement_in_two_seas_is_one_record_with_two_parts() {
    let ledger = resolve(&input(corpus())).unwrap();
    let feb16 = on(&ledger, "2026-02-16");
    assert_eq!(feb16.len(), 1, "one announcement, not one incident per sea");
    let i = &feb16[0];
    let regions: Vec<&str> = i.parts.iter().map(|p| p.region.as_str()).collect();
    assert_eq!(regions, ["caribbean", "eastern_pacific"]);
    assert_eq!(i.region, None);
    assert_eq!(docs_of(i), ["dev-044", "dev-045"]);
    assert_eq!(i.killed.max, Some(11), "the combined toll, counted once");
    assert_eq!(i.vessels.max, Some(3));
    assert!(i.conflicts.is_empty(), "{:?}", i.conflicts);
    assert!(i.id.contains("-car-epac-"), "{}", i.id);
}

#[test]
fn official_posts_are_declared_and_lead() {
    let ledger = resolve(&input(corpus())).unwrap();
    let oct17 = &on(&ledger, "2025-10-17")[0];
    assert_eq!(oct17.grade, Grade::Declared);
    assert_eq!(oct17.official_killed, Some(3));
    assert_eq!(oct17.point, None, "no region, no point");
    let nov15 = &on(&ledger, "2025-11-15")[0];
    assert_eq!(nov15.grade, Grade::Corroborated);
    assert_eq!(nov15.official_reports().count(), 1);
    assert!(nov15.independent_reports().count() >= 1);
}

#[test]
fn every_running_total_is_reconciled() {
    let docs = corpus();
    let stated: usize = docs.iter().map(|d| d.extraction.totals.len()).sum();
    let ledger = resolve(&input(docs)).unwrap();
    assert_eq!(ledger.reconciliation.len(), stated);
    for row in &ledger.reconciliation {
        let max = i64::from(row.ledger_killed.max.unwrap());
        if let Some(k) = row.stated_killed {
            assert_eq!(row.killed_gap, Some(i64::from(k) - max));
        }
        assert!(row.span.text.len() > 10, "total span located");
    }
    // dev-022's legal tracker: 16 strikes and 67 dead as of 6 Nov, a day
    // with a strike its text does not report: it is set against the ledger
    // before and after that day's strikes, and the closer one is kept.
    let row = ledger
        .reconciliation
        .iter()
        .find(|r| r.document_id == "dev-022" && r.as_of == Some(day("2025-11-06")))
        .unwrap();
    let sum_upto = |last: &str| -> (u32, usize) {
        let upto: Vec<_> = ledger
            .incidents
            .iter()
            .filter(|i| i.date.unwrap() <= day(last))
            .collect();
        (
            upto.iter().map(|i| i.killed.max.unwrap_or(0)).sum(),
            upto.len(),
        )
    };
    let (after, after_n) = sum_upto("2025-11-06");
    let (before, before_n) = sum_upto("2025-11-05");
    let (expected, n) = if 67i64.abs_diff(i64::from(before)) <= 67i64.abs_diff(i64::from(after)) {
        (before, before_n)
    } else {
        (after, after_n)
    };
    assert_eq!(row.ledger_killed.max, Some(expected));
    assert_eq!(row.ledger_strikes as usize, n);
    assert_eq!(row.strikes_gap, Some(16 - n as i64));
    assert_eq!(row.killed_gap, Some(67 - i64::from(expected)));
    for row in &ledger.reconciliation {
        assert!(row.cause.is_some(), "{} has a cause", row.document_id);
    }
}

#[test]
fn statements_tie_to_the_main_strike_of_their_document() {
    let ledger = resolve(&input(corpus())).unwrap();
    let s = ledger
        .statements
        .iter()
        .find(|s| s.document_id == "dev-014")
        .unwrap();
    let oct27 = &on(&ledger, "2025-10-27")[0];
    assert_eq!(s.incidents, std::slice::from_ref(&oct27.id));
    let by = ledger.statements_by_speaker();
    assert!(by.get("Pete Hegseth").is_some_and(|l| !l.is_empty()));
}
