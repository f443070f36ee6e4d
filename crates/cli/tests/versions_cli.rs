//! A captured page edited and then deleted: the document page shows its
//! versions with a word-level diff and a gone mark, and its statements stay
//! listed, marked edited or deleted with both texts. Every request goes to
//! fixture servers on 127.0.0.1.

mod common;

use common::{count, fixture_site, free_port, http, json, run, start, stderr, stdout};

fn page(paragraphs: &[&str]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>")).collect();
    format!(
        "<!doctype html><html lang=\"en\"><head><title>Strike in the Caribbean</title>\
         <meta property=\"article:published_time\" content=\"2025-09-16T12:00:00Z\"></head>\
         <body><article>{body}<p>Officials gave no further details about the strike.</p></article></body></html>"
    )
}

const FIRST: &[&str] = &[
    "On Monday, U.S. forces struck a vessel in the southern Caribbean, the Pentagon said.",
    "\u{201c}Six narco-terrorists aboard the vessel were killed in the strike,\u{201d} Secretary of War Pete Hegseth said on X.",
    "\u{201c}We will hunt every one of these boats until the flow stops,\u{201d} Hegseth said.",
];
const EDITED: &[&str] = &[
    "On Monday, U.S. forces struck a vessel in the southern Caribbean, the Pentagon said.",
    "\u{201c}Three narco-terrorists aboard the vessel were killed in the strike,\u{201d} Secretary of War Pete Hegseth said on X.",
];

fn capture(db: &std::path::Path, url: &str) -> String {
    let out = run(db, &["capture", "--allow-private", "--delay", "0", url]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    stdout(&out)
}

#[test]
fn edits_and_deletions_show_as_versions_and_marked_statements() {
    let (base, routes) = fixture_site();
    let path = "/2025/09/15/strike";
    let url = format!("{base}{path}");
    routes
        .lock()
        .unwrap()
        .insert(path.into(), (200, "text/html".into(), page(FIRST)));
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    assert!(capture(&db, &url).contains("new "));
    routes
        .lock()
        .unwrap()
        .insert(path.into(), (200, "text/html".into(), page(EDITED)));
    let text = capture(&db, &url);
    assert!(text.contains("changed"), "{text}");
    assert_eq!(count(&db, "SELECT COUNT(*) FROM document_versions"), 2);

    let addr = free_port();
    let _server = start(&db, addr);
    let id: String = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT id FROM documents", [], |r| r.get(0))
        .unwrap();

    // The document: two versions, each with its dates, and the words changed.
    let reply = http(addr, "GET", &format!("/documents/{id}.json"), &[], "");
    assert_eq!(reply.status, 200, "{}", reply.body);
    let doc = json(&reply);
    let versions = doc["history"]["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(doc["history"]["state"], "live");
    assert!(
        versions[0]["first_seen"].as_str().unwrap() < versions[1]["first_seen"].as_str().unwrap()
    );
    assert!(versions[0]["changes_from_previous"].is_null());
    let changes = versions[1]["changes_from_previous"].as_array().unwrap();
    let of = |op: &str| -> Vec<String> {
        changes
            .iter()
            .filter(|c| c["op"] == op)
            .map(|c| c["text"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(
        of("removed").iter().any(|t| t.contains("Six")),
        "{changes:?}"
    );
    assert!(
        of("added").iter().any(|t| t.contains("Three")),
        "{changes:?}"
    );
    assert!(
        of("removed").iter().any(|t| t.contains("hunt every one")),
        "{changes:?}"
    );
    let html = http(addr, "GET", &format!("/documents/{id}"), &[], "").body;
    assert!(html.contains("<h2>Versions</h2>"), "{html}");
    // Words go with the punctuation around them: the quote mark opens both.
    assert!(
        html.contains("<del>\u{201c}Six</del>") && html.contains("<ins>\u{201c}Three</ins>"),
        "{html}"
    );
    assert!(!html.contains("Gone since"));

    // The statements: the edited quote with both texts; the removed one still listed.
    let listed = json(&http(addr, "GET", "/statements.json?per_page=100", &[], ""));
    let rows = listed["statements"].as_array().unwrap();
    let edited = rows
        .iter()
        .find(|r| {
            r["statement"]["quote"]
                .as_str()
                .unwrap()
                .starts_with("Three")
        })
        .expect("the current quote");
    assert_eq!(edited["edit"]["kind"], "edited");
    assert!(
        edited["edit"]["first_seen"]
            .as_str()
            .unwrap()
            .starts_with("Six narco-terrorists")
    );
    assert!(
        edited["edit"]["now"]
            .as_str()
            .unwrap()
            .starts_with("Three narco-terrorists")
    );
    let removed = rows
        .iter()
        .find(|r| {
            r["statement"]["quote"]
                .as_str()
                .unwrap()
                .starts_with("We will hunt")
        })
        .expect("the statement the edit removed stays listed");
    assert_eq!(removed["edit"]["kind"], "edited");
    assert!(removed["edit"]["now"].is_null());
    let csv = http(addr, "GET", "/statements.csv", &[], "").body;
    assert!(
        csv.lines()
            .next()
            .unwrap()
            .ends_with("edit,edit_since,quote_first_seen,quote_now"),
        "{csv}"
    );
    assert!(csv.contains(",edited,"), "{csv}");
    let page_html = http(addr, "GET", "/statements", &[], "").body;
    assert!(page_html.contains("As first seen:"), "{page_html}");

    // The page is deleted: reported gone, marked on the page, and every
    // statement stays, marked deleted.
    routes
        .lock()
        .unwrap()
        .insert(path.into(), (410, "text/html".into(), "gone".into()));
    assert!(capture(&db, &url).contains("gone         410"));
    let html = http(addr, "GET", &format!("/documents/{id}"), &[], "").body;
    assert!(html.contains("Gone since "), "{html}");
    assert!(html.contains("now answers HTTP 410"), "{html}");
    let doc = json(&http(
        addr,
        "GET",
        &format!("/documents/{id}.json"),
        &[],
        "",
    ));
    assert_eq!(doc["history"]["state"], "gone");
    assert!(doc["history"]["gone_since"].is_string());
    assert_eq!(doc["history"]["versions"].as_array().unwrap().len(), 2);
    let listed = json(&http(addr, "GET", "/statements.json?per_page=100", &[], ""));
    let rows = listed["statements"].as_array().unwrap();
    let marks: Vec<&str> = rows
        .iter()
        .filter(|r| r["document_id"] == id.as_str())
        .map(|r| r["edit"]["kind"].as_str().unwrap_or("none"))
        .collect();
    assert!(marks.len() >= 2, "{rows:?}");
    assert!(marks.iter().all(|m| *m == "deleted"), "{marks:?}");
    let deleted = rows
        .iter()
        .find(|r| {
            r["statement"]["quote"]
                .as_str()
                .unwrap()
                .starts_with("Three")
        })
        .unwrap();
    assert!(deleted["edit"]["now"].is_null());
    assert!(
        deleted["edit"]["first_seen"]
            .as_str()
            .unwrap()
            .starts_with("Six")
    );
    let page_html = http(addr, "GET", "/statements", &[], "").body;
    assert!(page_html.contains("no longer published"), "{page_html}");
    assert_eq!(count(&db, "SELECT COUNT(*) FROM documents"), 1);
}

/// Every statement of a listing, page after page of `per_page`.
fn all_pages(addr: std::net::SocketAddr, query: &str, per_page: usize) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    for page in 1.. {
        let uri = format!("/statements.json?{query}&per_page={per_page}&page={page}");
        let listed = json(&http(addr, "GET", &uri, &[], ""));
        let rows = listed["statements"].as_array().unwrap().clone();
        if rows.is_empty() {
            return out;
        }
        assert!(rows.len() <= per_page);
        out.extend(rows);
    }
    unreachable!()
}

/// Statements only an earlier version of a page holds are stored nowhere in
/// the ledger, while pages read stored statements by index: they are merged
/// into every page where sorting the whole listing would put them, so pages
/// of any size, in either order, put together give the whole listing.
#[test]
fn statement_pages_hold_removed_statements_where_the_listing_does() {
    let (base, routes) = fixture_site();
    let paths = [
        "/2025/09/14/first",
        "/2025/09/15/strike",
        "/2025/09/16/last",
    ];
    for path in paths {
        routes
            .lock()
            .unwrap()
            .insert(path.into(), (200, "text/html".into(), page(FIRST)));
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    for path in paths {
        capture(&db, &format!("{base}{path}"));
    }
    routes
        .lock()
        .unwrap()
        .insert(paths[1].into(), (200, "text/html".into(), page(EDITED)));
    capture(&db, &format!("{base}{}", paths[1]));
    let addr = free_port();
    let _server = start(&db, addr);
    for filter in ["", "speaker=Pete%20Hegseth", "q=hunt"] {
        let whole = json(&http(
            addr,
            "GET",
            &format!("/statements.json?{filter}&per_page=100"),
            &[],
            "",
        ));
        let rows = whole["statements"].as_array().unwrap().clone();
        assert_eq!(whole["total"].as_u64(), Some(rows.len() as u64));
        assert!(
            filter.starts_with("speaker")
                || rows
                    .iter()
                    .any(|r| r["edit"]["now"].is_null() && r["edit"]["kind"] == "edited"),
            "{filter}: a removed statement is listed: {rows:?}"
        );
        let mut reversed = rows.clone();
        reversed.reverse();
        for per_page in [1, 2, 3] {
            assert_eq!(
                all_pages(addr, filter, per_page),
                rows,
                "{filter} {per_page}"
            );
            let desc = format!("{filter}&order=desc");
            assert_eq!(
                all_pages(addr, &desc, per_page),
                reversed,
                "{desc} {per_page}"
            );
        }
    }
}
