//! Listing twins walked by cursor (`next_cursor` passed back as `cursor`):
//! every row once, in the listing's order, the same rows the whole listing
//! streams; HTML pages link on by cursor, CSV pages by their `Link` header;
//! a cursor the listing did not give is refused with 400 and a reason.

use axum::Router;
use axum::http::StatusCode;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;
use strikewatch_web::{WebOptions, router};

mod common;

fn app() -> Router {
    router(common::dev_ledger(), WebOptions::default())
}

async fn get(app: &Router, uri: &str) -> (StatusCode, String) {
    let r = common::http::get(app, uri).await;
    (r.status, r.body)
}

async fn json(app: &Router, uri: &str) -> Value {
    let (status, body) = get(app, uri).await;
    assert_eq!(status, StatusCode::OK, "{uri}: {body}");
    serde_json::from_str(&body).unwrap()
}

/// Every row of a listing twin, page after page by `next_cursor`.
async fn walk(app: &Router, path: &str, query: &str, rows: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    for n in 1.. {
        let uri = match &cursor {
            Some(c) => format!("{path}?{query}&page={n}&cursor={c}"),
            None => format!("{path}?{query}"),
        };
        let page = json(app, &uri).await;
        assert_eq!(page["page"], n, "{uri}");
        out.extend(page[rows].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => {
                // The next link is the same page, by the same cursor.
                let next = page["next"].as_str().unwrap();
                assert!(next.contains(&format!("cursor={c}")), "{next}");
                assert!(next.contains(&format!("page={}", n + 1)), "{next}");
                cursor = Some(c.to_string());
            }
            None => {
                assert!(page["next"].is_null(), "{uri}");
                return out;
            }
        }
    }
    unreachable!()
}

#[tokio::test]
async fn a_walk_by_cursor_lists_every_row_once_in_order() {
    let app = app();
    for (path, query, rows) in [
        ("/statements.json", "per_page=3", "statements"),
        ("/statements.json", "per_page=4&order=desc", "statements"),
        ("/claims.json", "per_page=3", "claims"),
        ("/incidents.json", "per_page=2", "incidents"),
        (
            "/incidents.json",
            "per_page=2&sort=killed&order=desc",
            "incidents",
        ),
        (
            "/incidents.json",
            "per_page=3&sort=region&region=caribbean",
            "incidents",
        ),
        ("/changes.json", "per_page=5", "changes"),
    ] {
        let walked = walk(&app, path, query, rows).await;
        let whole = json(&app, &format!("{path}?{query}&_stream=1")).await;
        let whole = whole.as_array().unwrap();
        assert!(whole.len() > 3, "{path}?{query}: too few rows to page");
        assert_eq!(&walked, whole, "{path}?{query}");
    }
}

/// A page's status, `Link` header and body.
async fn get_linked(app: &Router, uri: &str) -> (StatusCode, Option<String>, String) {
    let r = common::http::get(app, uri).await;
    let link = r.header(axum::http::header::LINK).map(str::to_string);
    (r.status, link, r.body)
}

/// The CSV without its header line.
fn csv_rows(body: &str) -> &str {
    body.split_once('\n').map_or("", |(_, rows)| rows)
}

/// A CSV page links to the next by the cursor its JSON twin gives: walked
/// by `Link` headers, a listing gives the rows of its stream, page for page
/// the rows of the JSON walk, and its last page has no link.
#[tokio::test]
async fn csv_pages_link_to_the_next_page_by_the_json_twins_cursor() {
    let app = app();
    for (path, query) in [
        ("/statements", "per_page=3"),
        ("/claims", "per_page=3&order=desc"),
        ("/incidents", "per_page=2&sort=killed&order=desc"),
        ("/changes", "per_page=5"),
    ] {
        let mut csv_uri = format!("{path}.csv?{query}");
        let mut json_uri = Some(format!("{path}.json?{query}"));
        let mut walked = String::new();
        let mut pages = 0;
        loop {
            let (status, link, body) = get_linked(&app, &csv_uri).await;
            assert_eq!(status, StatusCode::OK, "{csv_uri}: {body}");
            walked.push_str(csv_rows(&body));
            pages += 1;
            // The JSON twin of the same page: its next is the CSV's link.
            let twin = json(&app, json_uri.as_deref().unwrap()).await;
            let json_next = twin["next"].as_str().map(str::to_string);
            assert_eq!(
                json_next.is_some(),
                twin["next_cursor"].is_string(),
                "{csv_uri}"
            );
            match link {
                Some(link) => {
                    let target = link
                        .strip_prefix('<')
                        .and_then(|l| l.strip_suffix(">; rel=\"next\""))
                        .unwrap_or_else(|| panic!("{csv_uri}: Link {link}"));
                    let cursor = twin["next_cursor"].as_str().unwrap();
                    assert!(target.contains(&format!("cursor={cursor}")), "{target}");
                    assert_eq!(
                        Some(target.replacen(".csv", ".json", 1)),
                        json_next,
                        "{csv_uri}"
                    );
                    csv_uri = target.to_string();
                    json_uri = json_next;
                }
                None => {
                    assert_eq!(json_next, None, "{csv_uri}: the JSON twin goes on");
                    break;
                }
            }
        }
        assert!(pages > 1, "{path}?{query}: one page only");
        let (_, link, whole) = get_linked(&app, &format!("{path}.csv?{query}&_stream=1")).await;
        assert_eq!(link, None, "a stream is the whole listing");
        assert_eq!(walked, csv_rows(&whole), "{path}?{query}");
    }
}

#[tokio::test]
async fn page_numbers_still_work_beside_cursors() {
    let app = app();
    let by_number = json(&app, "/statements.json?per_page=3&page=2").await;
    let first = json(&app, "/statements.json?per_page=3").await;
    let by_cursor = json(
        &app,
        &format!(
            "/statements.json?per_page=3&page=2&cursor={}",
            first["next_cursor"].as_str().unwrap()
        ),
    )
    .await;
    assert_eq!(by_number["statements"], by_cursor["statements"]);
    assert_eq!(by_number["total"], by_cursor["total"]);
    // A page asked for by number gives the cursor of the page after it.
    let third = json(
        &app,
        &format!(
            "/statements.json?per_page=3&page=3&cursor={}",
            by_number["next_cursor"].as_str().unwrap()
        ),
    )
    .await;
    let third_by_number = json(&app, "/statements.json?per_page=3&page=3").await;
    assert_eq!(third["statements"], third_by_number["statements"]);
}

#[tokio::test]
async fn html_pages_link_to_the_next_page_by_cursor() {
    let app = app();
    for path in ["/statements", "/claims", "/incidents"] {
        let (status, body) = get(&app, &format!("{path}?per_page=2")).await;
        assert_eq!(status, StatusCode::OK);
        let next = body
            .split("rel=\"next\" href=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("{path}: no next link"))
            .replace("&amp;", "&");
        assert!(next.contains("cursor="), "{path}: {next}");
        assert!(next.contains("page=2"), "{path}: {next}");
        let (status, second) = get(&app, &next).await;
        assert_eq!(status, StatusCode::OK, "{next}");
        assert!(second.contains("Showing 3–4 of"), "{next}");
    }
}

#[tokio::test]
async fn a_cursor_the_listing_did_not_give_is_refused_with_a_reason() {
    let app = app();
    let claims = json(&app, "/claims.json?per_page=2").await;
    let claims_cursor = claims["next_cursor"].as_str().unwrap().to_string();
    let by_date = json(&app, "/incidents.json?per_page=2").await;
    let date_cursor = by_date["next_cursor"].as_str().unwrap().to_string();
    // Well formed, but naming a row key the store cannot read.
    let forged = URL_SAFE_NO_PAD.encode(br#"{"l":"statements","o":"asc","a":"[1,2]"}"#);
    let long = "A".repeat(5000);
    for (uri, says) in [
        (
            "/statements.json?cursor=%%%".to_string(),
            "not one this listing gave",
        ),
        (
            "/statements.json?cursor=bm9uc2Vuc2U".to_string(),
            "not one this listing gave",
        ),
        (
            format!("/statements.json?cursor={forged}"),
            "not one this listing gave",
        ),
        (
            format!("/statements.csv?cursor={long}"),
            "not one this listing gave",
        ),
        (
            format!("/statements.json?cursor={claims_cursor}"),
            "claims listing",
        ),
        (
            format!("/claims.json?order=desc&cursor={claims_cursor}"),
            "order asc",
        ),
        (
            format!("/incidents.json?sort=killed&cursor={date_cursor}"),
            "order date:asc",
        ),
        (
            format!("/changes.json?cursor={date_cursor}"),
            "incidents listing",
        ),
        (format!("/incidents?cursor={forged}"), "statements listing"),
    ] {
        let (status, body) = get(&app, &uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
        assert!(body.contains(says), "{uri}: {body}");
    }
}

#[tokio::test]
async fn a_stream_checks_its_cursor_and_starts_after_it() {
    let app = app();
    let long = "A".repeat(5000);
    for path in [
        "/statements.csv",
        "/claims.csv",
        "/incidents.csv",
        "/changes.csv",
    ] {
        let uri = format!("{path}?_stream=1&cursor={long}");
        let (status, body) = get(&app, &uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}: {body}");
        assert!(body.contains("not one this listing gave"), "{uri}: {body}");
    }
    // The whole stream, and the stream from the first page's cursor: the
    // second is the first without that page.
    let first = json(&app, "/statements.json?per_page=3").await;
    let cursor = first["next_cursor"].as_str().unwrap().to_string();
    let whole = json(&app, "/statements.json?_stream=1").await;
    let rest = json(&app, &format!("/statements.json?_stream=1&cursor={cursor}")).await;
    let whole = whole.as_array().unwrap();
    assert_eq!(rest.as_array().unwrap().as_slice(), &whole[3..]);
}
