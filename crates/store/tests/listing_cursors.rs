//! Pages read by cursor (`Filter::after`, a page's `next`): a walk from the
//! first page to the last lists every row once, in the listing's order,
//! for incidents in every order, statements and claims under every filter,
//! and keeps doing so while the ledger is written between pages.

use chrono::NaiveDate;
use strikewatch_model::ledger::{
    CountRange, Grade, Incident, IncidentReport, Ledger, LedgerStatement,
};
use strikewatch_model::public::NonPublic;
use strikewatch_model::read::{
    Filter, IncidentOrder, IncidentSort, LedgerRead, ListingPage, StatementRow,
    sort_statement_rows, statement_order,
};
use strikewatch_model::{Span, Statement};
use strikewatch_store::{SqliteStore, Store};

fn day(n: u32) -> Option<NaiveDate> {
    // Every seventh undated; days repeat so ties are common.
    (!n.is_multiple_of(7)).then(|| NaiveDate::from_ymd_opt(2025, 9, 1 + n % 5).unwrap())
}

fn statement(n: u32) -> LedgerStatement {
    let quote = format!("quote number {n}");
    LedgerStatement {
        document_id: format!("d{}", n % 13),
        statement_index: (n % 4) as usize,
        url: None,
        published: day(n + 1),
        reviewed_speaker: None,
        statement: Statement {
            speaker: ["A", "B"][(n % 2) as usize].into(),
            speaker_role: None,
            quote: quote.clone(),
            quote_start: quote.clone(),
            channel: None,
            said_at: if n.is_multiple_of(3) { day(n) } else { None },
            span: Span::of(&quote, 0, quote.len()).unwrap(),
            attribution: None,
            claims: vec![],
            confidence: Default::default(),
        },
        incidents: vec![],
    }
}

fn report(n: usize) -> IncidentReport {
    IncidentReport {
        document_id: format!("r{n}"),
        report_index: 0,
        url: None,
        title: None,
        published: None,
        source_kind: Default::default(),
        official: n.is_multiple_of(2),
        role: Default::default(),
        date: None,
        date_text: None,
        region: None,
        vessels: None,
        killed: None,
        survivors: None,
        evidence: Default::default(),
        date_from: None,
        date_to: None,
        killed_at_least: false,
        announced_by: None,
        undated: false,
        source: None,
        location_text: None,
        coordinates: None,
        parts: Vec::new(),
    }
}

/// Incidents with ties and gaps in every sort key: undated ones, unknown
/// tolls, the same day, region, grade and report count many times.
fn incident(n: u32) -> Incident {
    let grades = [
        Grade::Declared,
        Grade::Corroborated,
        Grade::SingleSource,
        Grade::Contested,
        Grade::Suspect,
    ];
    Incident {
        id: format!("i{n:03}"),
        date: day(n),
        region: Some(["caribbean", "eastern_pacific", "unknown"][(n % 3) as usize].into()),
        grade: grades[(n % 5) as usize],
        killed: CountRange {
            min: (!n.is_multiple_of(4)).then_some(n % 6),
            max: (!n.is_multiple_of(4)).then_some(n % 6),
        },
        reports: (0..(n % 4) as usize).map(report).collect(),
        ..Default::default()
    }
}

fn ledger(statements: u32, incidents: u32) -> Ledger {
    Ledger {
        statements: (0..statements).map(statement).collect(),
        incidents: (0..incidents).map(incident).collect(),
        ..Default::default()
    }
}

fn store(ledger: &Ledger) -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
    store.replace_ledger(ledger).unwrap();
    (dir, store)
}

const ORDERS: [IncidentSort; 5] = [
    IncidentSort::Date,
    IncidentSort::Killed,
    IncidentSort::Region,
    IncidentSort::Grade,
    IncidentSort::Reports,
];

/// Every incident id of a walk by cursor, `per_page` at a time; `between`
/// runs after each page.
fn walk_incidents(
    store: &SqliteStore,
    filter: &Filter,
    order: IncidentOrder,
    per_page: usize,
    mut between: impl FnMut(usize),
) -> Vec<String> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    for n in 0.. {
        let page = store
            .incident_summaries(
                &Filter {
                    limit: Some(per_page),
                    after: after.take(),
                    ..filter.clone()
                },
                order,
            )
            .unwrap();
        assert!(page.rows.len() <= per_page);
        out.extend(page.rows.into_iter().map(|s| s.id));
        between(n);
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    out
}

#[test]
fn incidents_walked_by_cursor_are_the_listing_in_every_order() {
    let (_dir, store) = store(&ledger(0, 61));
    let filters = [
        Filter::default(),
        Filter {
            region: Some("caribbean".into()),
            ..Filter::default()
        },
        Filter {
            from: NaiveDate::from_ymd_opt(2025, 9, 2),
            ..Filter::default()
        },
    ];
    for filter in &filters {
        for sort in ORDERS {
            for descending in [false, true] {
                let order = IncidentOrder { sort, descending };
                let whole = store.incident_summaries(filter, order).unwrap();
                assert!(whole.next.is_none());
                let expected: Vec<String> = whole.rows.into_iter().map(|s| s.id).collect();
                assert!(!expected.is_empty());
                for per_page in [1, 7, 100] {
                    let got = walk_incidents(&store, filter, order, per_page, |_| {});
                    assert_eq!(got, expected, "{filter:?} {order:?} per_page={per_page}");
                }
                // A page read by offset gives the cursor of the page after it.
                let third = store
                    .incident_summaries(
                        &Filter {
                            limit: Some(5),
                            offset: Some(10),
                            ..filter.clone()
                        },
                        order,
                    )
                    .unwrap();
                if let Some(next) = third.next {
                    let fourth = store
                        .incident_summaries(
                            &Filter {
                                limit: Some(5),
                                after: Some(next),
                                ..filter.clone()
                            },
                            order,
                        )
                        .unwrap();
                    let ids: Vec<&str> = fourth.rows.iter().map(|s| s.id.as_str()).collect();
                    let at = expected.len().min(15);
                    let want: Vec<&str> = expected[at..expected.len().min(20)]
                        .iter()
                        .map(String::as_str)
                        .collect();
                    assert_eq!(ids, want, "{order:?}");
                }
            }
        }
    }
}

/// Position of each id in `listing`; the walk is in order when these only
/// grow.
fn in_order(walk: &[String], listing: &[String]) -> bool {
    let at: Vec<usize> = walk
        .iter()
        .map(|id| listing.iter().position(|l| l == id).unwrap())
        .collect();
    at.windows(2).all(|w| w[0] < w[1])
}

#[test]
fn incidents_written_during_a_walk_neither_repeat_nor_push_rows_out() {
    let before = ledger(0, 40);
    let (_dir, store) = store(&before);
    for sort in ORDERS {
        for descending in [false, true] {
            store.replace_ledger(&before).unwrap();
            let order = IncidentOrder { sort, descending };
            let original: Vec<String> = store
                .incident_summaries(&Filter::default(), order)
                .unwrap()
                .rows
                .into_iter()
                .map(|s| s.id)
                .collect();
            // After the second page, thirty incidents more, spread over the
            // whole order.
            let got = walk_incidents(&store, &Filter::default(), order, 6, |n| {
                if n == 1 {
                    store.replace_ledger(&ledger(0, 70)).unwrap();
                }
            });
            let now: Vec<String> = store
                .incident_summaries(&Filter::default(), order)
                .unwrap()
                .rows
                .into_iter()
                .map(|s| s.id)
                .collect();
            assert!(in_order(&got, &now), "{order:?}: {got:?}");
            for id in &original {
                assert_eq!(
                    got.iter().filter(|g| *g == id).count(),
                    1,
                    "{order:?}: {id} in {got:?}"
                );
            }
            assert!(got.len() > original.len(), "{order:?}");
        }
    }
}

/// Every statement of a walk by cursor through `statement_page`.
fn walk_statements(
    store: &SqliteStore,
    filter: &Filter,
    descending: bool,
    hidden: &NonPublic,
    per_page: usize,
    mut between: impl FnMut(usize),
) -> Vec<StatementRow> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    for n in 0.. {
        let ListingPage { rows, next, .. } = store
            .statement_page(
                &Filter {
                    limit: Some(per_page),
                    after: after.take(),
                    ..filter.clone()
                },
                descending,
                hidden,
            )
            .unwrap();
        assert!(rows.len() <= per_page);
        out.extend(rows);
        between(n);
        match next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    out
}

#[test]
fn statements_walked_by_cursor_are_the_listing() {
    let (_dir, store) = store(&ledger(1_200, 0));
    let hidden = NonPublic::new([("d4".to_string(), None)]);
    for filter in [
        Filter::default(),
        Filter {
            speaker: Some("B".into()),
            ..Filter::default()
        },
        Filter {
            from: NaiveDate::from_ymd_opt(2025, 9, 2),
            to: NaiveDate::from_ymd_opt(2025, 9, 4),
            ..Filter::default()
        },
    ] {
        for descending in [false, true] {
            let mut expected = store.statements(&filter).unwrap();
            expected.retain(|r| r.document_id != "d4");
            sort_statement_rows(&mut expected, descending);
            for per_page in [50, 333] {
                let got = walk_statements(&store, &filter, descending, &hidden, per_page, |_| {});
                assert_eq!(got, expected, "{filter:?} desc={descending} {per_page}");
            }
        }
    }
}

#[test]
fn statements_written_during_a_walk_neither_repeat_nor_push_rows_out() {
    let before = ledger(1_000, 0);
    let (_dir, store) = store(&before);
    let none = NonPublic::default();
    for descending in [false, true] {
        store.replace_ledger(&before).unwrap();
        let original = {
            let mut rows = store.statements(&Filter::default()).unwrap();
            sort_statement_rows(&mut rows, descending);
            rows
        };
        // Rows added after the third page, on every day of the listing.
        let got = walk_statements(&store, &Filter::default(), descending, &none, 100, |n| {
            if n == 2 {
                store.replace_ledger(&ledger(1_500, 0)).unwrap();
            }
        });
        for row in &original {
            assert_eq!(
                got.iter().filter(|g| *g == row).count(),
                1,
                "desc={descending}: {row:?}"
            );
        }
        // Listed in order (ties fall to the store's row order, which the
        // listing's key does not show).
        for pair in got.windows(2) {
            let order = statement_order(&pair[0], &pair[1]);
            assert!(
                if descending {
                    order.is_ge()
                } else {
                    order.is_le()
                },
                "desc={descending}: {:?} then {:?}",
                pair[0].statement.quote,
                pair[1].statement.quote
            );
        }
        assert!(got.len() > original.len() && got.len() < 1_500);
    }
}

#[test]
fn cursors_the_store_did_not_give_are_refused_as_such() {
    let (_dir, store) = store(&ledger(30, 12));
    let none = NonPublic::default();
    for bad in ["nonsense", "[1,2]", "[\"a\",\"b\",\"c\",\"d\"]", "{}"] {
        let paged = Filter {
            limit: Some(5),
            after: Some(bad.into()),
            ..Filter::default()
        };
        let e = store.statement_page(&paged, false, &none).unwrap_err();
        assert!(e.is_bad_cursor(), "{bad}: {e}");
        let e = store.claim_page(&paged, true, &none).unwrap_err();
        assert!(e.is_bad_cursor(), "{bad}: {e}");
        let e = store
            .incident_summaries(
                &paged,
                IncidentOrder {
                    sort: IncidentSort::Killed,
                    descending: false,
                },
            )
            .unwrap_err();
        assert!(e.is_bad_cursor(), "{bad}: {e}");
        let e = store.changes(None, Some(bad), 0, 5).unwrap_err();
        assert!(e.is_bad_cursor(), "{bad}: {e}");
    }
    // A date-order cursor has two keys, a killed-order one three.
    let date_cursor = store
        .incident_summaries(
            &Filter {
                limit: Some(2),
                ..Filter::default()
            },
            IncidentOrder::default(),
        )
        .unwrap()
        .next
        .unwrap();
    let killed = IncidentOrder {
        sort: IncidentSort::Killed,
        descending: false,
    };
    let e = store
        .incident_summaries(
            &Filter {
                limit: Some(2),
                after: Some(date_cursor),
                ..Filter::default()
            },
            killed,
        )
        .unwrap_err();
    assert!(e.is_bad_cursor(), "{e}");
}
