//! Requests an attacker without a token can send: none of them may break a
//! page or the server.

mod common;

use axum::http::StatusCode;
use strikewatch_web::{WebOptions, router};

async fn get(app: &axum::Router, uri: &str) -> (StatusCode, String) {
    let r = common::http::get(app, uri).await;
    (r.status, r.body)
}

/// Before, the pager computed `(page - 1) * per_page + 1`: with overflow
/// checks on the page panicked (a 500), without them it said "Showing
/// 18446744073709551517–6 of 6".
#[tokio::test]
async fn the_largest_page_number_is_an_empty_page_not_an_overflow() {
    let ledger = common::dev_ledger();
    let incident = common::incidents(ledger.as_ref())[0].id.clone();
    let app = router(ledger, WebOptions::default());
    let huge = "18446744073709551615";
    // The largest page number the API describes (`params::MAX_NUMBER`).
    let largest = "1000000000";
    for path in [
        "/incidents",
        "/incidents.json",
        "/incidents.csv",
        &format!("/incidents/{incident}"),
        "/statements",
        "/statements.json",
        "/claims",
        "/changes.json",
        "/reviews",
    ] {
        for per_page in ["", "&per_page=1000"] {
            // Past the described range: refused with a readable reason, or
            // (a page that reads its own pager) an empty page; never an
            // overflow.
            let uri = format!("{path}?page={huge}{per_page}");
            let (status, body) = get(&app, &uri).await;
            let refused =
                status == StatusCode::BAD_REQUEST && body.contains("page must be a whole number");
            assert!(
                refused || status == StatusCode::OK,
                "{uri}: {status} {body}"
            );
            assert!(!body.contains("18446744073709551517"), "{uri}");
            // The largest page described: an empty page, no overflow.
            let uri = format!("{path}?page={largest}{per_page}");
            let (status, body) = get(&app, &uri).await;
            assert_eq!(status, StatusCode::OK, "{uri}: {body}");
            assert!(!body.contains("18446744073709551517"), "{uri}");
        }
    }
    let (_, body) = get(&app, &format!("/incidents?page={largest}")).await;
    assert!(body.contains("is past the last of"), "{body}");
}
