//! Route tests over a ledger built by the real pipeline from the
//! development corpus (see `common`), without a socket.

mod common;

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use strikewatch_model::ledger::{Grade, Incident};
use strikewatch_model::read::{Filter, LedgerRead};
use strikewatch_store::SqliteStore;
use strikewatch_web::{WebOptions, router};

use common::http::{get, send};
use common::{HOSTILE_DOCUMENT_ID, dev_ledger, incidents};

fn read_only() -> Router {
    router(dev_ledger(), WebOptions::default())
}

/// A router that takes writes, over a ledger of its own (so writes leave
/// the shared one alone), and a token it accepts.
fn writable() -> (Router, Arc<SqliteStore>, String) {
    let ledger = common::store_with("writable", &common::dev_corpus(), &[]);
    let writer = common::store_writer(&ledger);
    let token = common::write_token(&ledger);
    (
        router(
            ledger.clone(),
            WebOptions {
                writes: Some(writer),
                title: None,
                ..WebOptions::default()
            },
        ),
        ledger,
        token,
    )
}

fn data() -> Vec<Incident> {
    incidents(dev_ledger().as_ref())
}

fn first_incident_id() -> String {
    data()[0].id.clone()
}

/// The incident the hostile document reports.
fn hostile_incident_id() -> String {
    data()
        .iter()
        .find(|i| {
            i.reports
                .iter()
                .any(|r| r.document_id == HOSTILE_DOCUMENT_ID)
        })
        .expect("the hostile document backs an incident")
        .id
        .clone()
}

#[tokio::test]
async fn every_page_and_its_twins_answer() {
    let app = read_only();
    let inc = first_incident_id();
    let pages = [
        "/".to_string(),
        "/incidents".into(),
        format!("/incidents/{inc}"),
        "/timeline".into(),
        "/map".into(),
        "/statements".into(),
        "/claims".into(),
        "/reconciliation".into(),
        "/search?q=boat".into(),
        "/documents/dev-001".into(),
        "/reviews".into(),
    ];
    for page in &pages {
        let html = get(&app, page).await;
        assert_eq!(html.status, StatusCode::OK, "{page}");
        assert!(html.content_type().starts_with("text/html"), "{page}");
        assert!(html.body.starts_with("<!DOCTYPE html>"), "{page}");
        let (path, query) = page
            .split_once('?')
            .map(|(p, q)| (p, format!("?{q}")))
            .unwrap_or((page, String::new()));
        let path = if path == "/" { "/index" } else { path };
        for (suffix, ty) in [(".json", "application/json"), (".csv", "text/csv")] {
            let twin = get(&app, &format!("{path}{suffix}{query}")).await;
            assert_eq!(twin.status, StatusCode::OK, "{path}{suffix}");
            assert!(
                twin.content_type().starts_with(ty),
                "{path}{suffix}: {}",
                twin.content_type()
            );
            if suffix == ".json" {
                serde_json::from_str::<serde_json::Value>(&twin.body).expect("valid JSON");
            }
        }
    }
}

#[tokio::test]
async fn security_headers_on_every_response() {
    let app = read_only();
    for uri in [
        "/",
        "/incidents.json",
        "/incidents.csv",
        "/assets/style.css",
        "/no-such-page",
        "/healthz",
    ] {
        let r = get(&app, uri).await;
        let csp = r
            .headers
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert_eq!(
            csp,
            "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
            "{uri}"
        );
        assert_eq!(
            r.headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(),
            "nosniff",
            "{uri}"
        );
    }
    assert_eq!(
        get(&app, "/no-such-page").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(get(&app, "/healthz").await.body, "ok");
}

fn csv_rows(body: &str) -> Vec<csv::StringRecord> {
    csv::Reader::from_reader(body.as_bytes())
        .records()
        .map(|r| r.unwrap())
        .collect()
}

#[tokio::test]
async fn region_filter_applies_to_table_and_twins_alike() {
    let app = read_only();
    let expected = data()
        .iter()
        .filter(|i| i.region.as_deref() == Some("caribbean"))
        .count();
    assert!(expected > 0);
    let csv = get(&app, "/incidents.csv?region=caribbean").await;
    let rows = csv_rows(&csv.body);
    assert_eq!(rows.len(), expected);
    assert!(rows.iter().all(|r| &r[4] == "caribbean"));
    let json: serde_json::Value =
        serde_json::from_str(&get(&app, "/incidents.json?region=caribbean").await.body).unwrap();
    assert_eq!(json["total"], expected);
    let html = get(&app, "/incidents?region=caribbean").await.body;
    assert_eq!(html.matches("<tr data-id=").count(), expected);
    for r in &rows {
        assert!(html.contains(&format!("data-id=\"{}\"", &r[0])));
    }
    // The twins link carries the same filter.
    assert!(html.contains("href=\"/incidents.csv?region=caribbean\""));
}

#[tokio::test]
async fn facets_count_and_link_to_filtered_views() {
    let app = read_only();
    let json: serde_json::Value =
        serde_json::from_str(&get(&app, "/incidents.json").await.body).unwrap();
    let carib = json["facets"]["region"]["caribbean"].as_u64().unwrap();
    let grades: u64 = json["facets"]["grade"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(grades, json["total"].as_u64().unwrap());
    let html = get(&app, "/incidents").await.body;
    assert!(html.contains(&format!(
        "<a href=\"/incidents?region=caribbean\">Caribbean</a> <span class=\"count\">{carib}</span>"
    )));
    assert!(html.contains("href=\"/incidents?month=2025-10\""));
    let oct = csv_rows(&get(&app, "/incidents.csv?month=2025-10").await.body);
    assert!(!oct.is_empty());
    assert!(oct.iter().all(|r| r[1].starts_with("2025-10")));
}

#[tokio::test]
async fn sorting_and_paging() {
    let app = read_only();
    let rows = csv_rows(
        &get(&app, "/incidents.csv?sort=killed&order=desc")
            .await
            .body,
    );
    let killed: Vec<u32> = rows.iter().map(|r| r[9].parse().unwrap_or(0)).collect();
    assert!(killed.windows(2).all(|w| w[0] >= w[1]), "{killed:?}");
    let dates = csv_rows(&get(&app, "/incidents.csv").await.body);
    assert!(dates.windows(2).all(|w| w[0][1] <= w[1][1]));

    let page2 = csv_rows(&get(&app, "/incidents.csv?per_page=5&page=2").await.body);
    assert_eq!(page2.len(), 5);
    assert_eq!(page2[0][0], dates[5][0]);
    let html = get(&app, "/incidents?per_page=5&page=2").await.body;
    assert!(html.contains("Showing 6–10 of"));
    // The next page is read after this one's last row (a cursor), and
    // numbered.
    assert!(html.contains("rel=\"next\" href=\"/incidents?page=3&amp;per_page=5&amp;cursor="));
    assert!(html.contains("rel=\"prev\""));
}

#[tokio::test]
async fn bad_parameters_are_400_not_ignored() {
    let app = read_only();
    assert_eq!(
        get(&app, "/incidents?from=last-week").await.status,
        StatusCode::BAD_REQUEST
    );
    let r = get(&app, "/incidents.json?per_page=lots").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body.contains("per_page"));
    assert_eq!(
        get(&app, "/incidents/no-such-incident").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(&app, "/incidents/no-such-incident.json").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn incident_page_shows_ranges_conflicts_and_evidence_links() {
    let app = read_only();
    let d = data();
    let contested = d
        .iter()
        .find(|i| !i.conflicts.is_empty())
        .expect("a contested incident");
    let html = get(&app, &format!("/incidents/{}", contested.id))
        .await
        .body;
    assert!(html.contains("Where sources disagree"));
    assert!(html.contains("Official (striking party)") && html.contains("Independent"));
    let (min, max) = (contested.killed.min.unwrap(), contested.killed.max.unwrap());
    if min != max {
        assert!(html.contains(&format!("{min}–{max}")));
    }
    // Every report's evidence links to the viewer with hl and the anchor.
    for r in &contested.reports {
        for span in r.evidence.values() {
            let href = format!(
                "/documents/{}?hl={}-{}#span-{}-{}",
                r.document_id, span.start, span.end, span.start, span.end
            );
            assert!(html.contains(&href.replace('&', "&amp;")), "{href}");
        }
        if let Some(url) = r.url.as_deref().filter(|u| u.starts_with("https://")) {
            assert!(html.contains(&format!("href=\"{url}\"")));
        }
    }
    let json: serde_json::Value = serde_json::from_str(
        &get(&app, &format!("/incidents/{}.json", contested.id))
            .await
            .body,
    )
    .unwrap();
    assert_eq!(json["id"], contested.id);
    let csv = csv_rows(
        &get(&app, &format!("/incidents/{}.csv", contested.id))
            .await
            .body,
    );
    assert_eq!(csv.len(), contested.reports.len());
}

#[tokio::test]
async fn document_viewer_highlights_requested_span() {
    let app = read_only();
    let d = data();
    let (doc_id, span) = d
        .iter()
        .flat_map(|i| &i.reports)
        .find_map(|r| {
            r.evidence
                .get("date")
                .map(|s| (r.document_id.clone(), s.clone()))
        })
        .unwrap();
    let html = get(
        &app,
        &format!("/documents/{doc_id}?hl={}-{}", span.start, span.end),
    )
    .await
    .body;
    let anchor = format!(
        "<span class=\"anchor\" id=\"span-{}-{}\"></span><mark class=\"ev active\"",
        span.start, span.end
    );
    assert!(html.contains(&anchor), "anchor then active mark");
    // A span off a char boundary or past the end is ignored, not a panic.
    let r = get(&app, &format!("/documents/{doc_id}?hl=999999-1000000,1-0")).await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn hostile_document_renders_as_inert_text() {
    let app = read_only();
    let id = HOSTILE_DOCUMENT_ID;
    let inc = hostile_incident_id();
    for uri in [
        format!("/documents/{id}"),
        format!("/incidents/{inc}"),
        "/statements".into(),
        "/claims".into(),
        "/search?q=onerror".into(),
    ] {
        let html = get(&app, &uri).await.body;
        assert!(!html.contains("<script>alert"), "{uri}: raw script");
        assert!(!html.contains("<img"), "{uri}: raw img");
        assert!(!html.contains("<b>Hostile"), "{uri}: raw markup in source");
        assert!(
            !html.to_lowercase().contains("href=\"javascript:"),
            "{uri}: javascript link"
        );
        assert!(!html.contains("onerror=alert(1)>"), "{uri}: live attribute");
        // The only script element is the site's own.
        assert_eq!(html.matches("<script").count(), 1, "{uri}");
    }
    let doc = get(&app, &format!("/documents/{id}")).await.body;
    assert!(
        doc.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "title shown literally"
    );
    assert!(
        doc.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "text shown literally"
    );
    assert!(
        doc.contains("class=\"unsafe-url\""),
        "javascript: URL stays text"
    );
    // The quote holding a script element is a statement and a claim, shown
    // as text.
    for uri in ["/statements", "/claims"] {
        let html = get(&app, uri).await.body;
        assert!(
            html.contains("&lt;script&gt;alert(2)&lt;/script&gt; was the message"),
            "{uri}: hostile quote shown literally"
        );
    }
    // CSV cells from hostile text cannot run as spreadsheet formulas.
    let csv = get(&app, &format!("/documents/{id}.csv")).await.body;
    assert!(
        !csv.lines()
            .any(|l| l.split(',').any(|c| c.starts_with('=')))
    );
}

#[tokio::test]
async fn writes_refused_when_read_only() {
    let app = read_only();
    let body = r#"{"author":"a","reason":"b","action":"confirm","incident":"x"}"#;
    let req = Request::post("/reviews")
        .header(header::AUTHORIZATION, "Bearer some-token")
        .body(Body::from(body))
        .unwrap();
    assert_eq!(send(&app, req).await.status, StatusCode::FORBIDDEN);
    let req = Request::post("/documents")
        .body(Body::from(r#"{"id":"x","text":"y"}"#))
        .unwrap();
    assert_eq!(send(&app, req).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        send(
            &app,
            Request::put("/incidents").body(Body::empty()).unwrap()
        )
        .await
        .status,
        StatusCode::METHOD_NOT_ALLOWED
    );
}

#[tokio::test]
async fn writes_need_a_valid_token_and_change_nothing_without_one() {
    let (app, ledger, token) = writable();
    let before = ledger.reviews().unwrap().len();
    let inc = incidents(ledger.as_ref())[0].id.clone();
    let review = format!(
        r#"{{"author":"ed","reason":"checked the post","action":"annotate","incident":"{inc}","note":"n"}}"#
    );
    for auth in [
        None,
        Some("Bearer wrong"),
        Some("Bearer "),
        Some(token.as_str()),
        Some("Basic dGVzdA=="),
    ] {
        let mut req = Request::post("/reviews");
        if let Some(a) = auth {
            req = req.header(header::AUTHORIZATION, a);
        }
        let r = send(&app, req.body(Body::from(review.clone())).unwrap()).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{auth:?}");
        assert_eq!(r.headers.get(header::WWW_AUTHENTICATE).unwrap(), "Bearer");
        let doc = Request::post("/documents")
            .header(header::AUTHORIZATION, "Bearer nope")
            .body(Body::from(r#"{"id":"new-1","text":"t"}"#))
            .unwrap();
        assert_eq!(send(&app, doc).await.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(ledger.reviews().unwrap().len(), before);
    assert!(ledger.document("new-1").unwrap().is_none());

    let ok = Request::post("/reviews")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::from(review))
        .unwrap();
    let r = send(&app, ok).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(ledger.reviews().unwrap().len(), before + 1);
    let doc = Request::post("/documents")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::from(r#"{"id":"new-1","url":"https://example.org/x","published_at":"2025-12-01","source_kind":"news","title":"T","text":"A boat."}"#))
        .unwrap();
    assert_eq!(send(&app, doc).await.status, StatusCode::CREATED);
    assert_eq!(ledger.document("new-1").unwrap().unwrap().text, "A boat.");
    let bad = Request::post("/reviews")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::from("{not json"))
        .unwrap();
    assert_eq!(send(&app, bad).await.status, StatusCode::BAD_REQUEST);
    assert_eq!(ledger.reviews().unwrap().len(), before + 1);
}

#[tokio::test]
async fn openapi_lists_only_paths_that_answer() {
    let app = read_only();
    let spec: serde_json::Value =
        serde_json::from_str(&get(&app, "/openapi.json").await.body).unwrap();
    assert_eq!(spec["openapi"], "3.1.0");
    let inc = first_incident_id();
    let paths = spec["paths"].as_object().unwrap();
    assert!(paths.len() > 20);
    for (path, ops) in paths {
        if ops.get("get").is_none() {
            continue;
        }
        if path.starts_with("/trackers/") {
            // No tracker in this ledger: tests/time_travel.rs imports one.
            continue;
        }
        let uri = path
            .replace("/incidents/{id}", &format!("/incidents/{inc}"))
            .replace("/documents/{id}", "/documents/dev-001");
        assert_eq!(get(&app, &uri).await.status, StatusCode::OK, "{uri}");
    }
    for write in ["/documents", "/reviews"] {
        assert!(paths[write].get("post").is_some());
    }
}

#[tokio::test]
async fn charts_and_map_are_non_empty_svg() {
    let app = read_only();
    let home = get(&app, "/").await.body;
    assert!(home.contains("<svg class=\"chart timeline\""));
    assert!(home.matches("<rect class=\"max\"").count() >= data().len() - 8);
    assert!(home.contains("<path class=\"band\""));
    // Every stated total is drawn with the cause resolution gave its gap.
    assert!(home.contains("<circle class=\"stated "));
    assert!(!home.contains("<circle class=\"stated\""));
    let map = get(&app, "/map").await.body;
    assert!(map.matches("<path d=\"M").count() > 10, "country shapes");
    assert!(
        map.contains("class=\"area\""),
        "region-level placement drawn as an area"
    );
    let geo: serde_json::Value = serde_json::from_str(&get(&app, "/map.json").await.body).unwrap();
    assert_eq!(geo["type"], "FeatureCollection");
    assert!(
        geo["features"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["properties"]["point_precision"] == "region")
    );
}

#[tokio::test]
async fn statements_claims_search_and_reconciliation() {
    let app = read_only();
    let st: serde_json::Value = serde_json::from_str(
        &get(&app, "/statements.json?speaker=Pete%20Hegseth")
            .await
            .body,
    )
    .unwrap();
    let rows = st["statements"].as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .all(|r| r["statement"]["speaker"] == "Pete Hegseth")
    );
    let claims = csv_rows(&get(&app, "/claims.csv?kind=legal_basis").await.body);
    assert!(!claims.is_empty() && claims.iter().all(|r| &r[2] == "legal_basis"));
    let tracker = get(&app, "/claims").await.body;
    assert!(tracker.contains("href=\"/claims?kind=legal_basis\""));
    let hits: serde_json::Value =
        serde_json::from_str(&get(&app, "/search.json?q=Southern%20Command").await.body).unwrap();
    assert!(!hits["hits"].as_array().unwrap().is_empty());
    let rec = csv_rows(&get(&app, "/reconciliation.csv").await.body);
    let stated = dev_ledger().reconciliation(&Filter::default()).unwrap();
    assert_eq!(rec.len(), stated.len());
    for r in &rec {
        if let (Ok(stated), Ok(ledger)) = (r[5].parse::<i64>(), r[8].parse::<i64>()) {
            assert_eq!(r[10].parse::<i64>().unwrap(), stated - ledger);
        }
    }
}

/// The ledger with one more document, whose toll for one strike resolution
/// cannot hold: its incident is graded suspect. Returns the router and the
/// suspect incident.
fn with_suspect() -> (Router, Incident) {
    static LEDGER: std::sync::OnceLock<Arc<SqliteStore>> = std::sync::OnceLock::new();
    let ledger = LEDGER
        .get_or_init(|| {
            common::store_with(
                "suspect",
                &common::dev_corpus(),
                &[
                    common::HOSTILE_DOCUMENT,
                    common::CONFLICTING_DOCUMENT,
                    common::OUT_OF_RANGE_DOCUMENT,
                ],
            )
        })
        .clone();
    let suspect = incidents(ledger.as_ref())
        .into_iter()
        .find(|i| i.grade == Grade::Suspect)
        .expect("the out-of-range report is graded suspect");
    (router(ledger, WebOptions::default()), suspect)
}

#[tokio::test]
async fn suspect_incidents_stay_out_of_headline_charts_and_map_but_are_listed() {
    let (app, suspect) = with_suspect();
    let id = suspect.id.clone();
    let reason = suspect.suspect.as_ref().expect("a reason").reason.clone();
    let index: serde_json::Value =
        serde_json::from_str(&get(&app, "/index.json").await.body).unwrap();
    let clean: serde_json::Value =
        serde_json::from_str(&get(&read_only(), "/index.json").await.body).unwrap();
    // The same headline as the ledger without the out-of-range report.
    assert_eq!(index["incidents"], clean["incidents"]);
    assert_eq!(index["killed"], clean["killed"]);
    assert_eq!(index["excluded"][0]["id"], id.as_str());
    let listed: serde_json::Value =
        serde_json::from_str(&get(&app, "/incidents.json").await.body).unwrap();
    assert_eq!(
        listed["total"].as_u64().unwrap(),
        clean["incidents"].as_u64().unwrap() + 1,
        "listed all the same"
    );
    let timeline: serde_json::Value =
        serde_json::from_str(&get(&app, "/timeline.json").await.body).unwrap();
    assert!(
        timeline
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["incident_id"] != id.as_str())
    );
    let map: serde_json::Value = serde_json::from_str(&get(&app, "/map.json").await.body).unwrap();
    assert!(
        map["features"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["id"] != id.as_str())
    );
    let front = get(&app, "/").await.body;
    assert!(front.contains(&reason), "the exclusion is visible");
    let page = get(&app, &format!("/incidents/{id}")).await.body;
    assert!(page.contains("left out of the headline"));
}

#[tokio::test]
async fn reconciliation_rows_carry_their_cause_and_the_page_sums_them_up() {
    let (app, suspect) = with_suspect();
    let rec: serde_json::Value =
        serde_json::from_str(&get(&app, "/reconciliation.json").await.body).unwrap();
    let rows = rec["reconciliation"].as_array().unwrap();
    assert!(rows.iter().all(|r| r["cause"].is_string()));
    // Distinct windows of days the missing-strike totals point at.
    let windows: std::collections::BTreeSet<String> = rows
        .iter()
        .filter(|r| r["cause"] == "missing_strike")
        .map(|r| {
            format!(
                "{}..{}",
                r["explanation"]["likely_from"], r["explanation"]["likely_to"]
            )
        })
        .collect();
    assert!(!windows.is_empty(), "the dev corpus lacks some strikes");
    assert_eq!(rec["summary"]["strikes_missing"], windows.len());
    assert_eq!(rec["excluded"][0]["id"], suspect.id.as_str());
    let csv = csv_rows(&get(&app, "/reconciliation.csv").await.body);
    assert_eq!(csv.len(), rows.len());
    for (line, row) in csv.iter().zip(rows) {
        assert_eq!(&line[11], row["cause"].as_str().unwrap());
    }
    let html = get(&app, "/reconciliation").await.body;
    let summary = match windows.len() {
        1 => "1 strike missing".to_string(),
        n => format!("{n} strikes missing"),
    };
    assert!(html.contains(&summary), "summary at the top");
    assert!(
        html.contains("class=\"stated missing_strike\""),
        "points by cause"
    );
    let explanation = rows[0]["explanation"]["text"].as_str().unwrap();
    let escaped = explanation
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    assert!(html.contains(&escaped), "{explanation}");
}
