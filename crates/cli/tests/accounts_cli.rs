//! Write accounts through the real binary and HTTP: tokens are listed,
//! revoked, expire and carry scopes; every write records the token that
//! made it; a review's published author is the token's public name (the
//! login name never leaves the server); a post never silently replaces a
//! stored document.

mod common;

use common::{count, free_port, http, json, run, start, stderr, stdout};

const DEMO_DOCS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/corpus/docs.jsonl"
);

fn token(db: &std::path::Path, args: &[&str]) -> String {
    let mut all = vec!["token", "create"];
    all.extend_from_slice(args);
    let out = run(db, &all);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    stdout(&out).trim().to_string()
}

fn bearer(token: &str) -> String {
    format!("Authorization: Bearer {token}")
}

const JSON: &str = "Content-Type: application/json";

fn first_incident(addr: std::net::SocketAddr) -> String {
    let list = json(&http(addr, "GET", "/incidents.json?per_page=1", &[], ""));
    list["incidents"][0]["id"].as_str().unwrap().to_string()
}

/// Finding: the review author was whatever the poster typed, and no write
/// recorded the token that made it.
#[test]
fn a_review_is_signed_by_its_tokens_public_name() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("a.db");
    assert_eq!(run(&db, &["ingest", DEMO_DOCS]).status.code(), Some(0));
    let t = token(&db, &["alice.login", "--public-name", "Desk 7"]);
    let addr = free_port();
    let _server = start(&db, addr);
    let id = first_incident(addr);
    let body = format!(
        r#"{{"author":"Somebody Else","reason":"checked","action":"confirm","incident":"{id}"}}"#
    );
    let posted = http(addr, "POST", "/reviews", &[&bearer(&t), JSON], &body);
    assert_eq!(posted.status, 201, "{}", posted.body);
    assert_eq!(json(&posted)["author"], "Desk 7");
    let log = http(addr, "GET", "/reviews.json", &[], "");
    assert!(log.body.contains("Desk 7"), "{}", log.body);
    assert!(!log.body.contains("Somebody Else") && !log.body.contains("alice.login"));
    let token_id = count(&db, "SELECT id FROM api_tokens WHERE name = 'alice.login'");
    assert_eq!(
        count(
            &db,
            "SELECT token_id FROM reviews ORDER BY seq DESC LIMIT 1"
        ),
        token_id
    );
    // A review posted without an author is signed the same way.
    let body = format!(r#"{{"reason":"again","action":"confirm","incident":"{id}"}}"#);
    let posted = http(addr, "POST", "/reviews", &[&bearer(&t), JSON], &body);
    assert_eq!(
        (posted.status, json(&posted)["author"].clone()),
        (201, "Desk 7".into())
    );
}

#[test]
fn tokens_are_listed_scoped_revoked_and_expire() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    assert_eq!(run(&db, &["ingest", DEMO_DOCS]).status.code(), Some(0));
    let reviews_only = token(
        &db,
        &[
            "reviewer",
            "--public-name",
            "R1",
            "--scope",
            "reviews",
            "--expires",
            "30d",
        ],
    );
    let documents = token(&db, &["bot", "--scope", "documents"]);
    let listed = run(&db, &["token", "list"]);
    assert_eq!(listed.status.code(), Some(0), "{}", stderr(&listed));
    let listing = stdout(&listed);
    for needle in ["reviewer", "R1", "reviews", "bot", "documents", "active"] {
        assert!(listing.contains(needle), "{needle} not in:\n{listing}");
    }
    assert!(!listing.contains(&reviews_only) && !listing.contains(&documents));

    let addr = free_port();
    let _server = start(&db, addr);
    let id = first_incident(addr);
    let review = format!(r#"{{"reason":"checked","action":"confirm","incident":"{id}"}}"#);
    let doc = r#"{"id":"new-1","text":"A short note.","language":"en"}"#;
    // Scopes: each token writes only what it was made for.
    let refused = http(
        addr,
        "POST",
        "/documents",
        &[&bearer(&reviews_only), JSON],
        doc,
    );
    assert_eq!(refused.status, 403, "{}", refused.body);
    let refused = http(
        addr,
        "POST",
        "/reviews",
        &[&bearer(&documents), JSON],
        &review,
    );
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert_eq!(
        http(
            addr,
            "POST",
            "/reviews",
            &[&bearer(&reviews_only), JSON],
            &review
        )
        .status,
        201
    );
    // The documents token was given the default pseudonym, not its login name.
    let posted = http(
        addr,
        "POST",
        "/documents",
        &[&bearer(&documents), JSON],
        doc,
    );
    assert_eq!(posted.status, 201, "{}", posted.body);

    // Revoked: refused from the next request on.
    let out = run(&db, &["token", "revoke", "reviewer"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let refused = http(
        addr,
        "POST",
        "/reviews",
        &[&bearer(&reviews_only), JSON],
        &review,
    );
    assert_eq!(refused.status, 401, "{}", refused.body);
    assert!(stdout(&run(&db, &["token", "list"])).contains("revoked"));

    // Expired: refused too.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "UPDATE api_tokens SET expires_at = '2001-01-01T00:00:00Z' WHERE name = 'bot'",
        [],
    )
    .unwrap();
    let doc2 = r#"{"id":"new-2","text":"Another note.","language":"en"}"#;
    assert_eq!(
        http(
            addr,
            "POST",
            "/documents",
            &[&bearer(&documents), JSON],
            doc2
        )
        .status,
        401
    );
    assert!(stdout(&run(&db, &["token", "list"])).contains("expired"));

    // A bad expiry or scope is refused when the token is made.
    for args in [
        ["x", "--expires", "yesterday"],
        ["x", "--scope", "admin"],
        ["x", "--expires", "2001-01-01"],
    ] {
        let mut all = vec!["token", "create"];
        all.extend_from_slice(&args);
        let out = run(&db, &all);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stdout(&out));
    }
}

/// Finding: any token holder could silently replace an ingested document
/// (same id: new text, URL, hash and an `official` source kind, which
/// feeds grading).
#[test]
fn a_post_never_silently_replaces_a_document() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    assert_eq!(run(&db, &["ingest", DEMO_DOCS]).status.code(), Some(0));
    let t = token(&db, &["bot", "--public-name", "Wire desk"]);
    let conn = rusqlite::Connection::open(&db).unwrap();
    let before: (String, String, String) = conn
        .query_row(
            "SELECT text, url, source_kind FROM documents WHERE id = 'dev-001'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    let addr = free_port();
    let _server = start(&db, addr);
    let forged = r#"{"id":"dev-001","url":"https://forged.example/a","source_kind":"official_post","language":"en","text":"No strike happened on 2 September."}"#;
    let posted = http(addr, "POST", "/documents", &[&bearer(&t), JSON], forged);
    assert_eq!(posted.status, 201, "{}", posted.body);
    let new_id = json(&posted)["id"].as_str().unwrap().to_string();
    assert_ne!(new_id, "dev-001", "the post took a new id");
    let after: (String, String, String) = conn
        .query_row(
            "SELECT text, url, source_kind FROM documents WHERE id = 'dev-001'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(before, after, "the stored document is unchanged");

    // Replacing is explicit and logged with the token that did it.
    let replaced = http(
        addr,
        "POST",
        "/documents?replace=dev-001",
        &[&bearer(&t), JSON],
        forged,
    );
    assert_eq!(replaced.status, 201, "{}", replaced.body);
    assert_eq!(json(&replaced)["id"], "dev-001");
    assert_eq!(json(&replaced)["replaced"], true);
    let text: String = conn
        .query_row("SELECT text FROM documents WHERE id = 'dev-001'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(text.starts_with("No strike"), "{text}");
    let token_id = count(&db, "SELECT id FROM api_tokens WHERE name = 'bot'");
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM document_writes WHERE document_id = 'dev-001' AND replaced_sha256 IS NOT NULL"
        ),
        1
    );
    assert_eq!(
        count(&db, "SELECT COUNT(DISTINCT token_id) FROM document_writes"),
        1
    );
    assert_eq!(
        count(&db, "SELECT MIN(token_id) FROM document_writes"),
        token_id
    );
    // Replacing a document that does not exist is refused.
    let missing = http(
        addr,
        "POST",
        "/documents?replace=nope",
        &[&bearer(&t), JSON],
        forged,
    );
    assert_eq!(missing.status, 404, "{}", missing.body);
}

#[test]
fn a_command_line_review_can_be_signed_by_an_account() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    assert_eq!(run(&db, &["ingest", DEMO_DOCS]).status.code(), Some(0));
    token(
        &db,
        &["j.doe", "--public-name", "Night desk", "--scope", "reviews"],
    );
    let out = run(&db, &["incidents", "--format", "json"]);
    let rows: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let id = rows[0]["id"].as_str().unwrap().to_string();
    let out = run(
        &db,
        &[
            "review",
            "confirm",
            &id,
            "--account",
            "j.doe",
            "--reason",
            "checked",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let log = stdout(&run(&db, &["review", "log", "--format", "json"]));
    assert!(
        log.contains("Night desk") && !log.contains("j.doe"),
        "{log}"
    );
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM reviews WHERE token_id IS NOT NULL"
        ),
        1
    );
    let out = run(
        &db,
        &[
            "review",
            "confirm",
            &id,
            "--account",
            "nobody",
            "--reason",
            "checked",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert_eq!(count(&db, "SELECT COUNT(*) FROM reviews"), 1);
}
