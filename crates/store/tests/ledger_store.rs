//! The derived side of the store: review log, tokens, the stored ledger and
//! the queries over it.

use chrono::NaiveDate;
use strikewatch_model::ledger::{
    ClaimGroup, ClaimOccurrence, Grade, Incident, IncidentReport, Ledger, LedgerStatement,
    ReviewAction,
};
use strikewatch_model::read::{Filter, LedgerRead};
use strikewatch_model::{ClaimKind, Document, SourceKind, Span, Statement};
use strikewatch_store::{SqliteStore, Store, hash_token};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn doc(id: &str, title: &str, text: &str) -> Document {
    Document {
        id: id.into(),
        url: Some(format!("https://example.org/{id}")),
        title: Some(title.into()),
        published_at: None,
        language: "en".into(),
        source: None,
        source_kind: SourceKind::News,
        text: text.into(),
        capture_sha256: None,
        private: false,
    }
}

fn report(document_id: &str) -> IncidentReport {
    IncidentReport {
        document_id: document_id.into(),
        report_index: 0,
        url: None,
        title: Some(format!("Report in {document_id}")),
        published: None,
        source_kind: SourceKind::News,
        official: false,
        role: Default::default(),
        date: None,
        date_text: None,
        region: None,
        vessels: None,
        killed: Some(3),
        survivors: None,
        evidence: [(
            "killed".to_string(),
            Span::of("killing three", 0, 13).unwrap(),
        )]
        .into_iter()
        .collect(),
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

fn incident(id: &str, date: &str, region: &str, grade: Grade, docs: &[&str]) -> Incident {
    Incident {
        id: id.into(),
        date: Some(day(date)),
        region: Some(region.into()),
        grade,
        reports: docs.iter().map(|d| report(d)).collect(),
        aliases: vec![format!("{id}-old")],
        ..Default::default()
    }
}

fn statement(document_id: &str, speaker: &str, quote: &str, said: &str) -> LedgerStatement {
    LedgerStatement {
        document_id: document_id.into(),
        statement_index: 0,
        url: None,
        published: None,
        reviewed_speaker: None,
        statement: Statement {
            speaker: speaker.into(),
            speaker_role: None,
            quote: quote.into(),
            quote_start: quote.into(),
            channel: None,
            said_at: Some(day(said)),
            span: Span::of(quote, 0, quote.len()).unwrap(),
            attribution: None,
            claims: vec![ClaimKind::LegalBasis],
            confidence: Default::default(),
        },
        incidents: vec![],
    }
}

fn sample_ledger() -> Ledger {
    Ledger {
        incidents: vec![
            incident(
                "sw-a",
                "2025-09-02",
                "caribbean",
                Grade::Declared,
                &["d1", "d2"],
            ),
            incident(
                "sw-b",
                "2025-10-20",
                "eastern_pacific",
                Grade::SingleSource,
                &["d2"],
            ),
        ],
        statements: vec![
            statement(
                "d1",
                "Pete Hegseth",
                "narco-terrorists were aboard",
                "2025-09-02",
            ),
            statement("d2", "Someone Else", "we acted lawfully", "2025-10-21"),
        ],
        claims: vec![ClaimGroup {
            kind: ClaimKind::LegalBasis,
            key: "we acted lawfully".into(),
            text: "we acted lawfully".into(),
            speakers: vec!["Someone Else".into()],
            first_made: Some(day("2025-10-21")),
            last_made: Some(day("2025-10-21")),
            occurrences: vec![ClaimOccurrence {
                document_id: "d2".into(),
                claim_index: 0,
                url: None,
                date: Some(day("2025-10-21")),
                speaker: "Someone Else".into(),
                text: "we acted lawfully".into(),
                span: Span::of("we acted lawfully", 0, 17).unwrap(),
            }],
        }],
        ..Default::default()
    }
}

fn store_with_ledger(dir: &tempfile::TempDir) -> SqliteStore {
    let store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
    store
        .write_batch(
            &[
                doc(
                    "d1",
                    "Strike in the Caribbean",
                    "A boat was struck; narco-terrorists were aboard.",
                ),
                doc(
                    "d2",
                    "Pacific strike",
                    "Officials said we acted lawfully in the eastern Pacific.",
                ),
            ],
            None,
        )
        .unwrap();
    store.replace_ledger(&sample_ledger()).unwrap();
    store
}

#[test]
fn the_stored_ledger_reads_back_whole_and_is_replaced_whole() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_ledger(&dir);
    assert_eq!(store.ledger().unwrap(), sample_ledger());
    store.replace_ledger(&Ledger::default()).unwrap();
    assert_eq!(store.ledger().unwrap(), Ledger::default());
    assert!(store.incidents(&Filter::default()).unwrap().is_empty());
    assert!(
        store
            .search(&search_request("lawfully", 10))
            .unwrap()
            .hits
            .iter()
            .all(|h| h.kind != "statement")
    );
}

#[test]
fn incident_filters_use_dates_region_grade_text_and_pages() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_ledger(&dir);
    let ids = |f: Filter| -> Vec<String> {
        store
            .incidents(&f)
            .unwrap()
            .into_iter()
            .map(|i| i.id)
            .collect()
    };
    assert_eq!(ids(Filter::default()), ["sw-a", "sw-b"]);
    assert_eq!(
        ids(Filter {
            from: Some(day("2025-10-01")),
            ..Default::default()
        }),
        ["sw-b"]
    );
    assert_eq!(
        ids(Filter {
            to: Some(day("2025-09-02")),
            ..Default::default()
        }),
        ["sw-a"]
    );
    assert_eq!(
        ids(Filter {
            region: Some("caribbean".into()),
            ..Default::default()
        }),
        ["sw-a"]
    );
    assert_eq!(
        ids(Filter {
            grade: Some("single_source".into()),
            ..Default::default()
        }),
        ["sw-b"]
    );
    assert_eq!(
        ids(Filter {
            q: Some("REPORT IN D1".into()),
            ..Default::default()
        }),
        ["sw-a"]
    );
    assert_eq!(
        ids(Filter {
            limit: Some(1),
            offset: Some(1),
            ..Default::default()
        }),
        ["sw-b"]
    );
    assert_eq!(
        store.incident("sw-b-old").unwrap().map(|i| i.id).as_deref(),
        Some("sw-b")
    );
    assert!(store.incident("nope").unwrap().is_none());
}

#[test]
fn statements_claims_and_evidence_are_found_by_their_columns() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_ledger(&dir);
    let by = |speaker: &str| Filter {
        speaker: Some(speaker.into()),
        ..Default::default()
    };
    let rows = store.statements(&by("Pete Hegseth")).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].document_id, "d1");
    let kind = Filter {
        kind: Some("legal_basis".into()),
        ..Default::default()
    };
    assert_eq!(store.statements(&kind).unwrap().len(), 2);
    let none = Filter {
        kind: Some("legal".into()),
        ..Default::default()
    };
    assert!(store.statements(&none).unwrap().is_empty());
    assert_eq!(store.claims(&kind).unwrap().len(), 1);
    let later = Filter {
        from: Some(day("2025-10-01")),
        ..Default::default()
    };
    assert_eq!(store.statements(&later).unwrap()[0].document_id, "d2");
    let evidence = store.document_evidence("d2").unwrap();
    let labels: Vec<&str> = evidence.iter().map(|e| e.label.as_str()).collect();
    assert!(
        labels.contains(&"killed") && labels.contains(&"quote"),
        "{labels:?}"
    );
    assert!(labels.contains(&"claim:legal_basis"), "{labels:?}");
    // Incident evidence points at the incidents the document backs.
    let backs: Vec<_> = evidence
        .iter()
        .filter_map(|e| e.incident_id.as_deref())
        .collect();
    assert_eq!(backs, ["sw-a", "sw-b"]);
}

#[test]
fn search_finds_documents_and_quotes_and_never_fails_on_syntax() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_ledger(&dir);
    let hits = store
        .search(&search_request("narco-terrorists", 10))
        .unwrap()
        .hits;
    assert!(
        hits.iter()
            .any(|h| h.kind == "document" && h.document_id == "d1"),
        "{hits:?}"
    );
    assert!(
        hits.iter()
            .any(|h| h.kind == "statement" && h.document_id == "d1"),
        "{hits:?}"
    );
    for hostile in [
        "\"unbalanced",
        "AND OR NOT",
        "title:(",
        "*",
        "NEAR(",
        "'; DROP TABLE x",
    ] {
        assert!(
            store.search(&search_request(hostile, 10)).is_ok(),
            "{hostile}"
        );
    }
    let caribbean = store.search(&search_request("caribbean", 10)).unwrap().hits;
    assert_eq!(caribbean[0].document_id, "d1");
    // A changed document is re-indexed, not indexed twice.
    store
        .write_batch(
            &[doc("d1", "Strike", "Nothing about that sea any more.")],
            None,
        )
        .unwrap();
    // The incident in that sea is still found; the document is not.
    assert!(
        store
            .search(&search_request("caribbean", 10))
            .unwrap()
            .hits
            .iter()
            .all(|h| h.kind == "incident")
    );
    assert_eq!(
        store
            .search(&search_request("nothing", 10))
            .unwrap()
            .hits
            .len(),
        1
    );
}

#[test]
fn the_review_log_is_append_only() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
    let action = ReviewAction::Confirm {
        incident: "sw-a".into(),
    };
    let first = store.append_review("A", "checked", action.clone()).unwrap();
    let second = store.append_review("B", "rechecked", action).unwrap();
    assert_eq!((first.seq, second.seq), (1, 2));
    assert_eq!(store.review_log().unwrap(), vec![first.clone(), second]);
    assert_eq!(store.reviews().unwrap()[0], first);
    let conn = rusqlite::Connection::open(store.path()).unwrap();
    assert!(conn.execute("UPDATE reviews SET author = 'X'", []).is_err());
    assert!(conn.execute("DELETE FROM reviews", []).is_err());
    assert_eq!(store.review_log().unwrap().len(), 2);
}

#[test]
fn tokens_are_shown_once_and_stored_hashed() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("s.db")).unwrap();
    let token = store
        .create_token(&strikewatch_store::NewToken {
            name: "bot".into(),
            public_name: None,
            scopes: strikewatch_store::Scope::ALL.to_vec(),
            expires_at: None,
        })
        .unwrap();
    assert!(store.token_is_valid(&token).unwrap());
    assert!(!store.token_is_valid("sw_wrong").unwrap());
    assert!(!store.token_is_valid("").unwrap());
    let conn = rusqlite::Connection::open(store.path()).unwrap();
    let stored: String = conn
        .query_row(
            "SELECT sha256 FROM api_tokens WHERE name = 'bot'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(stored, hash_token(&token));
    assert!(!stored.contains(&token));
}

#[test]
fn an_update_writes_the_new_ledger_in_ledger_order() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_ledger(&dir);
    let old = sample_ledger();
    let mut new = old.clone();
    // sw-b changes, sw-a goes, sw-0 (earlier than all) and an undated one arrive.
    new.incidents[1].grade = Grade::Corroborated;
    new.incidents.remove(0);
    new.incidents.insert(
        0,
        incident("sw-0", "2025-08-30", "caribbean", Grade::Declared, &["d1"]),
    );
    let mut undated = incident("sw-u", "2025-01-01", "caribbean", Grade::Declared, &["d2"]);
    undated.date = None;
    new.incidents.insert(0, undated);
    new.statements.pop();
    store.update_ledger(&old, &new).unwrap();
    assert_eq!(store.ledger().unwrap(), new);
    let ids: Vec<String> = store
        .incidents(&Filter::default())
        .unwrap()
        .into_iter()
        .map(|i| i.id)
        .collect();
    assert_eq!(ids, ["sw-u", "sw-0", "sw-b"]);
    assert!(store.incident("sw-a").unwrap().is_none());
    assert!(store.incident("sw-a-old").unwrap().is_none());
    assert_eq!(
        store.incident("sw-b").unwrap().map(|i| i.grade),
        Some(Grade::Corroborated)
    );
    assert!(
        store
            .search(&search_request("lawfully", 10))
            .unwrap()
            .hits
            .iter()
            .all(|h| h.kind != "statement")
    );
}

#[test]
fn readers_never_see_half_a_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let store = std::sync::Arc::new(store_with_ledger(&dir));
    let small = sample_ledger();
    let mut large = sample_ledger();
    large.incidents = (0..60)
        .map(|n| {
            incident(
                &format!("sw-{n:03}"),
                "2025-11-01",
                "caribbean",
                Grade::Declared,
                &["d1"],
            )
        })
        .collect();
    let writer = {
        let store = store.clone();
        std::thread::spawn(move || {
            for round in 0..20 {
                let next = if round % 2 == 0 { &large } else { &small };
                store.replace_ledger(next).unwrap();
            }
        })
    };
    let readers: Vec<_> = (0..3)
        .map(|_| {
            let store = store.clone();
            std::thread::spawn(move || {
                for _ in 0..60 {
                    let n = store.incidents(&Filter::default()).unwrap().len();
                    assert!(n == 2 || n == 60, "saw {n} incidents");
                }
            })
        })
        .collect();
    writer.join().unwrap();
    for r in readers {
        r.join().unwrap();
    }
}

#[test]
fn a_ledger_written_elsewhere_is_seen_by_the_next_listing() {
    let dir = tempfile::tempdir().unwrap();
    let serving = store_with_ledger(&dir);
    assert_eq!(serving.incidents(&Filter::default()).unwrap().len(), 2);
    // Another process (here: another handle on the same file) applies a review.
    let other = SqliteStore::open(serving.path()).unwrap();
    let mut reviewed = sample_ledger();
    reviewed.incidents[0].grade = Grade::Retracted;
    other.replace_ledger(&reviewed).unwrap();
    let seen = serving.incidents(&Filter::default()).unwrap();
    assert_eq!(seen[0].grade, Grade::Retracted);
    assert_eq!(seen, reviewed.incidents);
}

/// Every listing row as the full incidents would summarise it.
fn summaries_match_incidents(store: &SqliteStore) {
    use strikewatch_model::read::{IncidentOrder, IncidentSort, IncidentSummary};
    let expected: Vec<IncidentSummary> = store
        .incidents(&Filter::default())
        .unwrap()
        .iter()
        .map(IncidentSummary::of)
        .collect();
    let listed = store
        .incident_summaries(&Filter::default(), IncidentOrder::default())
        .unwrap();
    assert_eq!(listed.rows, expected);
    assert_eq!(listed.total, expected.len());
    let by_reports = store
        .incident_summaries(
            &Filter::default(),
            IncidentOrder {
                sort: IncidentSort::Reports,
                descending: true,
            },
        )
        .unwrap();
    let counts: Vec<usize> = by_reports.rows.iter().map(|s| s.report_count).collect();
    let mut sorted = counts.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(counts, sorted);
}

#[test]
fn summaries_follow_whole_and_delta_writes_and_are_filled_in_on_open() {
    use strikewatch_model::ledger::LedgerDelta;
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_ledger(&dir);
    summaries_match_incidents(&store);

    let mut ledger = sample_ledger();
    ledger.incidents[1].reports.push(report("d1"));
    ledger.incidents[1].official_killed = Some(4);
    let changed = ledger.incidents[1].id.clone();
    let gone = ledger.incidents.remove(0).id;
    let delta = LedgerDelta {
        incidents: vec![changed.clone()],
        removed_incidents: vec![gone],
        ..Default::default()
    };
    store.apply_ledger_delta(&ledger, &delta).unwrap();
    summaries_match_incidents(&store);
    let page = store
        .incident_summaries(&Filter::default(), Default::default())
        .unwrap();
    let row = page.rows.iter().find(|s| s.id == changed).unwrap();
    assert_eq!(row.official_killed, Some(4));
    assert_eq!(row.report_count, ledger.incidents[0].reports.len());

    // A ledger stored before summaries were: they are written on open.
    let path = dir.path().join("s.db");
    drop(store);
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute("DELETE FROM ledger_incident_summaries", [])
        .unwrap();
    let reopened = SqliteStore::open(&path).unwrap();
    summaries_match_incidents(&reopened);
}

fn search_request(q: &str, limit: usize) -> strikewatch_model::read::SearchRequest {
    strikewatch_model::read::SearchRequest {
        q: q.into(),
        limit,
        ..Default::default()
    }
}
