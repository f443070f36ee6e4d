//! `strikewatch capture` against a fixture server on 127.0.0.1, then the
//! WARC export of what it archived.

mod common;

use common::{count, fixture_site, run, stderr, stdout};

fn page(text: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><title>Strike</title>\
         <meta property=\"article:published_time\" content=\"2025-09-16T12:00:00Z\"></head>\
         <body><article><p>{text}</p><p>Officials gave no further details about the strike.</p></article></body></html>"
    )
}

#[test]
fn capture_feeds_the_ledger_and_exports_warc_request_response_records() {
    let (base, routes) = fixture_site();
    let post = format!("{base}/2025/09/15/strike");
    routes.lock().unwrap().insert(
        "/2025/09/15/strike".into(),
        (200, "text/html".into(), page("On Monday, U.S. forces struck a vessel in the southern Caribbean, killing three male narco-terrorists, Secretary of War Pete Hegseth said.")),
    );
    routes.lock().unwrap().insert(
        "/feed.xml".into(),
        (200, "application/rss+xml".into(), format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title><item><link>{post}</link></item></channel></rss>")),
    );
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");

    // Refused without --allow-private: one readable error, exit code 2.
    let out = run(&db, &["capture", &format!("{base}/feed.xml")]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("refused") && err.contains("--allow-private"),
        "{err}"
    );

    let out = run(
        &db,
        &[
            "capture",
            "--allow-private",
            "--delay",
            "0",
            &format!("{base}/feed.xml"),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    let text = stdout(&out);
    assert!(text.contains("RSS with 1 entries, 1 new"), "{text}");
    assert!(text.contains(&format!("new          200 {post}")), "{text}");
    assert_eq!(count(&db, "SELECT COUNT(*) FROM documents"), 1);
    assert!(count(&db, "SELECT COUNT(*) FROM ledger_incidents") >= 1);
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM documents WHERE published_date = '2025-09-16'"
        ),
        1
    );

    // The post is deleted: reported as gone, and nothing is lost.
    routes.lock().unwrap().remove("/2025/09/15/strike");
    let out = run(&db, &["capture", "--allow-private", "--delay", "0", &post]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).contains("gone         404"),
        "{}",
        stdout(&out)
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM documents"), 1);
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM url_states WHERE state = 'gone'"),
        1
    );

    let out = run(&db, &["urls", "--state", "gone"]);
    let listed = stdout(&out);
    assert!(
        listed.contains(&post) && listed.contains("now answers HTTP 404"),
        "{listed}"
    );
    assert!(!listed.contains("feed.xml"), "{listed}");

    let warc = dir.path().join("out.warc");
    let out = run(&db, &["export", "--format", "warc", warc.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let bytes = std::fs::read(&warc).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        text.matches("WARC-Type: response").count() >= 3,
        "robots, feed, post, 404"
    );
    assert_eq!(
        text.matches("WARC-Type: response").count(),
        text.matches("WARC-Type: request").count()
    );
    assert!(text.contains("WARC-Concurrent-To: <urn:uuid:"));
    // Each body once: no resource record repeats an HTTP capture.
    assert!(!text.contains("WARC-Type: resource"));
    // Validate with warcio when it is installed (pip install warcio).
    if let Ok(o) = std::process::Command::new("warcio")
        .arg("check")
        .arg(&warc)
        .output()
    {
        assert!(
            o.status.success(),
            "warcio check: {}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
    } else {
        eprintln!("warcio not installed: WARC validation skipped");
    }
}

#[test]
fn capture_help_has_an_example() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(&dir.path().join("t.db"), &["capture", "--help"]);
    assert!(stdout(&out).contains("Examples:\n  strikewatch capture"));
}

#[test]
fn watch_once_runs_each_source_and_reports_a_bad_sources_file() {
    let (base, routes) = fixture_site();
    routes.lock().unwrap().insert(
        "/p".into(),
        (200, "text/html".into(), page("Two people were killed when U.S. forces struck a boat in the eastern Pacific on Tuesday.")),
    );
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let sources = dir.path().join("sources.toml");
    std::fs::write(
        &sources,
        format!("[[source]]\nname = \"page\"\nurl = \"{base}/p\"\n"),
    )
    .unwrap();
    let out = run(
        &db,
        &[
            "watch",
            "--sources",
            sources.to_str().unwrap(),
            "--once",
            "--allow-private",
            "--delay",
            "0",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("ok           page: 200 new"),
        "{}",
        stdout(&out)
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM watch_sources"), 1);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM documents"), 1);

    std::fs::write(&sources, "[[source]]\nname = \"x\"\nurl = \"gopher://x\"\n").unwrap();
    let out = run(
        &db,
        &["watch", "--sources", sources.to_str().unwrap(), "--once"],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("sources.toml") && err.contains("only http"),
        "{err}"
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM documents"), 1);
}

#[test]
fn posts_from_exports_become_documents() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.db");
    let tweets = dir.path().join("tweets.js");
    std::fs::write(&tweets, r#"window.YTD.tweets.part0 = [ { "tweet" : { "id_str" : "1963", "created_at" : "Tue Sep 02 21:30:00 +0000 2025", "full_text" : "Earlier today, on President Trump's orders, I directed a lethal kinetic strike on a vessel in the Caribbean. 11 narco-terrorists were killed." } } ]"#).unwrap();
    let bad = dir.path().join("other.json");
    std::fs::write(&bad, "{\"hello\": 1}").unwrap();
    let out = run(
        &db,
        &[
            "posts",
            "--author",
            "SecWar",
            tweets.to_str().unwrap(),
            bad.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("X archive (tweets.js) with 1 posts: 1 documents added"),
        "{}",
        stdout(&out)
    );
    assert!(
        stderr(&out).contains("other.json") && stderr(&out).contains("not a Telegram"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM documents WHERE source = 'SecWar' AND source_kind = 'official' AND url = 'https://x.com/SecWar/status/1963'"
        ),
        1
    );
    assert_eq!(count(&db, "SELECT COUNT(*) FROM captures"), 1);
    // The archive names the export by its file name, never a local path.
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM captures WHERE origin = 'tweets.js'"
        ),
        1
    );
    // The post is its author's statement, on social media, on the day
    // posted: the account @SecWar is an alias of an actor in the lexicon.
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM ledger_statements WHERE speaker = 'Pete Hegseth'
             AND json LIKE '%\"channel\":\"social_post\"%' AND json LIKE '%\"said_at\":\"2025-09-02\"%'
             AND quote LIKE 'Earlier today, on President Trump''s orders%'"
        ),
        1
    );
}
