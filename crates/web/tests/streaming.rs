//! Whole listings streamed (`?_stream=1`): the same rows as every page put
//! together, the CSV header once, JSON one array, and `next` links on pages.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use strikewatch_web::{WebOptions, router};
use tower::ServiceExt;

mod common;

fn app() -> Router {
    router(common::dev_ledger(), WebOptions::default())
}

/// A page's status, content type and body.
async fn get(app: &Router, uri: &str) -> (StatusCode, String, String) {
    let r = common::http::get(app, uri).await;
    let ty = r.content_type().to_string();
    (r.status, ty, r.body)
}

/// Every page of a CSV twin, `per_page` rows at a time, put together under
/// one header.
async fn all_pages(app: &Router, path: &str, query: &str, per_page: usize) -> String {
    let mut out = String::new();
    for page in 1.. {
        let (status, _, body) = get(
            app,
            &format!("{path}?{query}&per_page={per_page}&page={page}"),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{path} page {page}");
        let (header, rows) = body.split_once('\n').unwrap_or((&body, ""));
        if page == 1 {
            out.push_str(header);
            out.push('\n');
        }
        if rows.is_empty() {
            return out;
        }
        out.push_str(rows);
    }
    unreachable!()
}

#[tokio::test]
async fn a_streamed_csv_is_every_page_put_together() {
    let app = app();
    let cases = [
        ("/statements.csv", ""),
        ("/statements.csv", "order=desc"),
        ("/claims.csv", ""),
        ("/claims.csv", "order=desc&kind=legal_basis"),
        ("/incidents.csv", "sort=killed&order=desc"),
        ("/incidents.csv", "region=caribbean"),
    ];
    for (path, query) in cases {
        let (status, ty, streamed) = get(&app, &format!("{path}?{query}&_stream=1")).await;
        assert_eq!(status, StatusCode::OK, "{path}?{query}");
        assert!(ty.starts_with("text/csv"), "{ty}");
        let paged = all_pages(&app, path, query, 3).await;
        assert!(
            paged.lines().count() > 2,
            "{path}?{query}: too few rows to compare"
        );
        assert_eq!(streamed, paged, "{path}?{query}");
        let header = streamed.lines().next().unwrap();
        assert_eq!(streamed.lines().filter(|l| *l == header).count(), 1);
    }
}

#[tokio::test]
async fn a_streamed_json_is_one_array_of_the_listed_rows() {
    let app = app();
    for (path, key) in [
        ("/statements.json", "statements"),
        ("/claims.json", "claims"),
        ("/incidents.json", "incidents"),
        ("/changes.json", "changes"),
    ] {
        let (status, ty, body) = get(&app, &format!("{path}?_stream=true")).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(ty, "application/json");
        let rows: Vec<serde_json::Value> = serde_json::from_str(&body).expect("one array");
        let (_, _, paged) = get(&app, &format!("{path}?per_page=1000")).await;
        let paged: serde_json::Value = serde_json::from_str(&paged).unwrap();
        assert_eq!(&serde_json::Value::Array(rows), &paged[key], "{path}");
    }
}

#[tokio::test]
async fn formula_cells_stay_inert_when_streamed() {
    // A statement whose quote opens with a spreadsheet formula, read by
    // the real extractor from a document.
    let formula = r#"{"id": "formula-001", "url": "https://example.net/test/formula", "published_at": "2025-10-02", "language": "en", "source_kind": "news", "source": "Test Outlet", "title": "A formula in a quote", "text": "\"=HYPERLINK(http://x) was all the message said, and we reject it,\" said Pete Hegseth."}"#;
    let ledger = common::store_with("formula", &common::dev_corpus(), &[formula]);
    let app = router(ledger, WebOptions::default());
    let (_, _, body) = get(&app, "/statements.csv?_stream=1").await;
    assert!(body.contains("'=HYPERLINK"), "{body}");
    assert!(!body.contains(",=HYPERLINK"));
}

#[tokio::test]
async fn stream_is_refused_where_nothing_streams_and_when_malformed() {
    let app = app();
    for uri in [
        "/timeline.csv?_stream=1",
        "/index.json?_stream=1",
        "/statements.csv?_stream=yes",
    ] {
        let (status, _, body) = get(&app, uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
        assert!(body.contains("_stream"), "{uri}: {body}");
    }
    // Off is the paged twin.
    let (status, _, body) = get(&app, "/statements.json?_stream=0").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.starts_with('{'));
    // Paging is ignored by a stream but checked all the same.
    let (status, _, _) = get(&app, "/changes.json?_stream=1&page=x").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // A streamed filter is checked like a paged one.
    let (status, _, _) = get(&app, "/statements.csv?_stream=1&from=yesterday").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn pages_link_to_the_next_one_until_the_last() {
    let app = app();
    for path in ["/statements.json", "/claims.json", "/incidents.json"] {
        let mut uri = format!("{path}?per_page=2");
        let mut pages = 0;
        loop {
            let (status, _, body) = get(&app, &uri).await;
            assert_eq!(status, StatusCode::OK);
            let page: serde_json::Value = serde_json::from_str(&body).unwrap();
            pages += 1;
            match page["next"].as_str() {
                Some(next) => {
                    assert!(next.starts_with(path), "{next}");
                    assert!(next.contains("per_page=2"));
                    uri = next.to_string();
                }
                None => break,
            }
        }
        let (_, _, first) = get(&app, &format!("{path}?per_page=2")).await;
        let total = serde_json::from_str::<serde_json::Value>(&first).unwrap()["total"]
            .as_u64()
            .unwrap() as usize;
        assert_eq!(pages, total.div_ceil(2).max(1), "{path}");
    }
}

/// Before, a compressed stream polled the channel's body again after its
/// end, which panicked: the connection broke before the last chunk.
#[tokio::test]
async fn a_compressed_stream_ends_whole() {
    let app = app();
    for uri in [
        "/statements.csv?_stream=1",
        "/claims.json?_stream=1&from=2000-01-01&to=2000-01-01",
    ] {
        let res = app
            .clone()
            .oneshot(
                Request::get(uri)
                    .header(header::ACCEPT_ENCODING, "gzip")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .expect("router answers");
        assert_eq!(res.status(), StatusCode::OK, "{uri}");
        assert_eq!(res.headers()[header::CONTENT_ENCODING], "gzip");
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .expect("a whole body");
        assert!(bytes.starts_with(&[0x1f, 0x8b]), "{uri}");
    }
}
