//! Statements and claims read chunk by chunk (keyset cursors over the
//! listing order) give exactly the listing, sorted as the site sorts it.

use chrono::NaiveDate;
use strikewatch_model::ledger::{
    ClaimGroup, ClaimOccurrence, Incident, Ledger, LedgerStatement, Reconciliation, Review,
};
use strikewatch_model::public::NonPublic;
use strikewatch_model::read::{
    Chunk, ClaimRow, Filter, LedgerRead, ListingPage, ReadResult, SearchRequest, SearchResults,
    StatementRow, sort_claim_rows, sort_statement_rows,
};
use strikewatch_model::{ClaimKind, Document, Span, Statement};
use strikewatch_store::{SqliteStore, Store};

fn day(n: u32) -> Option<NaiveDate> {
    // Every seventh row undated; days repeat so ties are common.
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
            speaker: ["A", "B", "=C"][(n % 3) as usize].into(),
            speaker_role: None,
            quote: quote.clone(),
            quote_start: quote.clone(),
            channel: None,
            said_at: if n.is_multiple_of(2) { day(n) } else { None },
            span: Span::of(&quote, 0, quote.len()).unwrap(),
            attribution: None,
            claims: if n.is_multiple_of(2) {
                vec![ClaimKind::LegalBasis]
            } else {
                vec![]
            },
            confidence: Default::default(),
        },
        incidents: vec![],
    }
}

fn claim_group(g: u32) -> ClaimGroup {
    let text = format!("claim {g}");
    ClaimGroup {
        kind: if g.is_multiple_of(2) {
            ClaimKind::LegalBasis
        } else {
            ClaimKind::Other
        },
        key: text.clone(),
        text: text.clone(),
        speakers: vec!["A".into()],
        first_made: None,
        last_made: None,
        occurrences: (0..9)
            .map(|o| ClaimOccurrence {
                document_id: format!("d{}", (g + o) % 11),
                claim_index: o as usize,
                url: None,
                date: day(g * 3 + o),
                speaker: ["A", "B"][(o % 2) as usize].into(),
                text: text.clone(),
                span: Span::of(&text, (o % 3) as usize, text.len()).unwrap(),
            })
            .collect(),
    }
}

fn store() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
    let ledger = Ledger {
        statements: (0..2_500).map(statement).collect(),
        claims: (0..300).map(claim_group).collect(),
        ..Default::default()
    };
    store.replace_ledger(&ledger).unwrap();
    (dir, store)
}

fn filters() -> Vec<Filter> {
    vec![
        Filter::default(),
        Filter {
            speaker: Some("B".into()),
            ..Filter::default()
        },
        Filter {
            kind: Some("legal_basis".into()),
            ..Filter::default()
        },
        Filter {
            from: NaiveDate::from_ymd_opt(2025, 9, 2),
            to: NaiveDate::from_ymd_opt(2025, 9, 4),
            ..Filter::default()
        },
        Filter {
            q: Some("1".into()),
            ..Filter::default()
        },
    ]
}

/// Every row, chunk after chunk.
fn all_chunks<T>(size: usize, mut read: impl FnMut(Option<&str>, usize) -> Chunk<T>) -> Vec<T> {
    let mut out = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let chunk = read(after.as_deref(), size);
        assert!(chunk.rows.len() <= size);
        out.extend(chunk.rows);
        match chunk.next {
            Some(next) => after = Some(next),
            None => return out,
        }
    }
}

#[test]
fn statement_chunks_are_the_sorted_listing() {
    let (_dir, store) = store();
    for filter in filters() {
        for descending in [false, true] {
            let mut expected: Vec<StatementRow> = store.statements(&filter).unwrap();
            sort_statement_rows(&mut expected, descending);
            assert!(!expected.is_empty(), "{filter:?}");
            for size in [1000, 37] {
                let got = all_chunks(size, |after, n| {
                    store
                        .statement_chunk(&filter, descending, after, n)
                        .unwrap()
                });
                assert_eq!(got, expected, "{filter:?} desc={descending} size={size}");
            }
        }
    }
}

#[test]
fn claim_chunks_are_the_sorted_listing() {
    let (_dir, store) = store();
    for filter in filters() {
        for descending in [false, true] {
            let mut expected: Vec<ClaimRow> = store.claims(&filter).unwrap();
            sort_claim_rows(&mut expected, descending);
            assert!(!expected.is_empty(), "{filter:?}");
            for size in [1000, 29] {
                let got = all_chunks(size, |after, n| {
                    store.claim_chunk(&filter, descending, after, n).unwrap()
                });
                assert_eq!(got, expected, "{filter:?} desc={descending} size={size}");
            }
        }
    }
}

#[test]
fn a_cursor_the_store_did_not_give_is_an_error() {
    let (_dir, store) = store();
    let filter = Filter::default();
    assert!(
        store
            .statement_chunk(&filter, false, Some("nonsense"), 10)
            .is_err()
    );
    assert!(
        store
            .claim_chunk(&filter, false, Some("[1,2]"), 10)
            .is_err()
    );
}

/// The listing order comes from an index, not a sort of the whole table.
#[test]
fn chunks_read_the_listing_index() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    drop(SqliteStore::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    for (table, third) in [
        ("ledger_statements", "statement_index"),
        ("ledger_claims", "span_start"),
    ] {
        let sql = format!(
            "EXPLAIN QUERY PLAN SELECT json FROM {table} \
             WHERE ifnull(day, '') >= '2025' \
             AND (ifnull(day, ''), document_id, {third}, position) > ('2025', '', 0, 0) \
             ORDER BY ifnull(day, ''), document_id, {third}, position LIMIT 1000"
        );
        let plan: Vec<String> = conn
            .prepare(&sql)
            .unwrap()
            .query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let plan = plan.join(" | ");
        assert!(plan.contains("_listed"), "{table}: {plan}");
        assert!(!plan.contains("TEMP B-TREE"), "{table}: {plan}");
        // A seek to the cursor, not a scan from the start of the index.
        assert!(plan.contains("SEARCH"), "{table}: {plan}");
    }
}

/// The store with none of its own listing reads: every page and count comes
/// from the trait's defaults, which sort the whole listing (what the pages
/// did before they were read by index).
struct Whole<'a>(&'a SqliteStore);

impl LedgerRead for Whole<'_> {
    fn incidents(&self, f: &Filter) -> ReadResult<Vec<Incident>> {
        self.0.incidents(f)
    }
    fn incident(&self, id: &str) -> ReadResult<Option<Incident>> {
        self.0.incident(id)
    }
    fn document(&self, id: &str) -> ReadResult<Option<Document>> {
        LedgerRead::document(self.0, id)
    }
    fn statements(&self, f: &Filter) -> ReadResult<Vec<StatementRow>> {
        self.0.statements(f)
    }
    fn claims(&self, f: &Filter) -> ReadResult<Vec<ClaimRow>> {
        self.0.claims(f)
    }
    fn reconciliation(&self, f: &Filter) -> ReadResult<Vec<Reconciliation>> {
        self.0.reconciliation(f)
    }
    fn reviews(&self) -> ReadResult<Vec<Review>> {
        self.0.reviews()
    }
    fn search(&self, r: &SearchRequest) -> ReadResult<SearchResults> {
        self.0.search(r)
    }
    fn document_count(&self) -> ReadResult<u64> {
        self.0.document_count()
    }
}

/// Page windows as the site asks for them, the last ones past the end.
fn windows(total: usize) -> Vec<(usize, usize)> {
    let mut out = vec![(0, 1), (0, 50), (3, 7), (total.saturating_sub(2), 5)];
    out.extend((0..total + 40).step_by(97).map(|o| (o, 40)));
    out.push((total + 10, 10));
    out
}

/// One page of a whole listing: its rows and total (cursors differ: the
/// whole listing's count rows, the store's name keys).
fn cut<T: Clone>(all: &ListingPage<T>, offset: usize, limit: usize) -> (Vec<T>, usize) {
    (
        all.rows.iter().skip(offset).take(limit).cloned().collect(),
        all.total,
    )
}

fn rows_and_total<T>(page: ListingPage<T>) -> (Vec<T>, usize) {
    (page.rows, page.total)
}

#[test]
fn pages_read_by_index_are_the_pages_of_the_sorted_listing() {
    let (_dir, store) = store();
    let whole = Whole(&store);
    let hidden = [
        NonPublic::default(),
        NonPublic::new([("d3".to_string(), None), ("d7".to_string(), None)]),
    ];
    for filter in filters() {
        for hide in &hidden {
            for descending in [false, true] {
                let statements = whole.statement_page(&filter, descending, hide).unwrap();
                let claims = whole.claim_page(&filter, descending, hide).unwrap();
                assert!(statements.total > 0 && claims.total > 0, "{filter:?}");
                for (offset, limit) in windows(statements.total.max(claims.total)) {
                    let paged = Filter {
                        offset: Some(offset),
                        limit: Some(limit),
                        ..filter.clone()
                    };
                    assert_eq!(
                        rows_and_total(store.statement_page(&paged, descending, hide).unwrap()),
                        cut(&statements, offset, limit),
                        "statements {paged:?} desc={descending} hidden={hide:?}"
                    );
                    assert_eq!(
                        rows_and_total(store.claim_page(&paged, descending, hide).unwrap()),
                        cut(&claims, offset, limit),
                        "claims {paged:?} desc={descending} hidden={hide:?}"
                    );
                }
            }
            assert_eq!(
                store.statement_speakers(&filter, hide).unwrap(),
                whole.statement_speakers(&filter, hide).unwrap(),
                "{filter:?}"
            );
            assert_eq!(
                store.claim_months(&filter, hide).unwrap(),
                whole.claim_months(&filter, hide).unwrap(),
                "{filter:?}"
            );
        }
        for document in ["d0", "d5", "d12", "nowhere"] {
            assert_eq!(
                store.document_statement(&filter, document).unwrap(),
                whole.document_statement(&filter, document).unwrap(),
                "{filter:?} {document}"
            );
        }
    }
}

/// A page's total is kept for the ledger generation it was counted at: a
/// ledger written again is counted again.
#[test]
fn totals_follow_the_ledger() {
    let (_dir, store) = store();
    let none = NonPublic::default();
    let page = Filter {
        limit: Some(10),
        ..Filter::default()
    };
    assert_eq!(
        store.statement_page(&page, false, &none).unwrap().total,
        2_500
    );
    assert_eq!(
        store.statement_page(&page, true, &none).unwrap().total,
        2_500
    );
    let fewer = Ledger {
        statements: (0..40).map(statement).collect(),
        claims: (0..3).map(claim_group).collect(),
        ..Default::default()
    };
    store.replace_ledger(&fewer).unwrap();
    let again = store.statement_page(&page, false, &none).unwrap();
    assert_eq!(again.total, 40);
    assert_eq!(again.rows.len(), 10);
    assert_eq!(store.claim_page(&page, false, &none).unwrap().total, 27);
}
