mod common;

use std::net::TcpListener;
use std::time::Duration;

use common::{Body, Route, Server, page};
use strikewatch_capture::capture::{Capturer, Hints, Outcome};
use strikewatch_capture::{CaptureError, FetchOptions, Fetcher, capture_all};
use strikewatch_store::{SqliteStore, Store};

fn options() -> FetchOptions {
    FetchOptions {
        allow_private: true,
        host_delay: Duration::ZERO,
        read_timeout: Duration::from_secs(2),
        total_timeout: Duration::from_secs(5),
        ..FetchOptions::default()
    }
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn store() -> (tempfile::TempDir, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("t.db")).unwrap();
    (dir, store)
}

#[test]
fn page_is_archived_with_its_redirects_and_becomes_a_document() {
    let server = Server::start();
    server.set("/old", Route::redirect(301, "/news/2025/10/16/strike"));
    server.set(
        "/news/2025/10/16/strike",
        Route::ok(
            "text/html; charset=utf-8",
            page("Strike kills three", "The U.S. military struck a vessel in the eastern Pacific on Tuesday, killing three people aboard, officials said."),
        )
        .header("ETag", "\"v1\""),
    );
    let (_dir, store) = store();
    let fetcher = Fetcher::new(options()).unwrap();
    let mut stored = Vec::new();
    let capturer = Capturer::new(&fetcher, &store).unwrap().after_store(|d| {
        stored.push(d.id.clone());
        Ok(())
    });
    let url = server.url("/old");
    let report = rt()
        .block_on(capturer.capture(&url, &Hints::default()))
        .unwrap();
    assert_eq!(report.status, 200);
    assert_eq!(report.redirects, 1);
    assert_eq!(report.final_url, server.url("/news/2025/10/16/strike"));
    let Outcome::New { document } = &report.outcome else {
        panic!("{report:?}")
    };
    drop(capturer);
    assert_eq!(stored, vec![document.clone()]);
    let doc = store.document(document).unwrap().unwrap();
    assert_eq!(doc.title.as_deref(), Some("Strike kills three"));
    assert_eq!(doc.language, "en");
    assert_eq!(doc.published_at.unwrap().text, "2025-10-16T15:00:00Z");
    assert!(doc.text.contains("killing three people"));

    let log = store.http_log().unwrap();
    let ex = log.exchanges_for(&url).unwrap();
    assert_eq!(ex.len(), 2);
    assert_eq!(
        (ex[0].status, ex[0].outcome.as_str()),
        (Some(301), "redirect")
    );
    assert_eq!((ex[1].status, ex[1].outcome.as_str()), (Some(200), "ok"));
    assert!(
        ex[1]
            .request_head
            .starts_with("GET /news/2025/10/16/strike HTTP/1.1\r\n")
    );
    assert!(ex[1].request_head.contains("User-Agent: strikewatch/"));
    assert!(
        ex[1]
            .response_head
            .as_deref()
            .unwrap()
            .starts_with("HTTP/1.1 200")
    );
    // One capture record for the page, addressed by the body's hash.
    let caps = store.captures().unwrap();
    assert_eq!(caps.len(), 1);
    assert_eq!(Some(caps[0].sha256.clone()), ex[1].body_sha256);
    // The server saw our User-Agent and was asked for robots.txt first.
    let reqs = server.requests.lock().unwrap().clone();
    assert!(reqs[0].starts_with("GET /robots.txt "));
    assert!(
        reqs.iter()
            .all(|r| r.to_ascii_lowercase().contains("user-agent: strikewatch/"))
    );
    assert!(
        reqs.iter()
            .any(|r| r.to_ascii_lowercase().contains("accept-encoding: gzip,br")),
        "{reqs:?}"
    );
    let state = log.url_state(&url).unwrap().unwrap();
    assert_eq!(state.etag.as_deref(), Some("\"v1\""));
}

#[test]
fn edits_add_versions_and_deletions_are_gone() {
    let server = Server::start();
    let path = "/post/1";
    server.set(path, Route::ok("text/html", page("Post", "Three narco-terrorists were killed in the Caribbean today in a lethal kinetic strike.")));
    let (_dir, store) = store();
    let fetcher = Fetcher::new(options()).unwrap();
    let capturer = Capturer::new(&fetcher, &store).unwrap();
    let url = server.url(path);
    let rt = rt();
    let cap = |c: &Capturer| rt.block_on(c.capture(&url, &Hints::default()));
    assert!(matches!(
        cap(&capturer).unwrap().outcome,
        Outcome::New { .. }
    ));
    assert_eq!(cap(&capturer).unwrap().outcome, Outcome::Unchanged);
    server.set(path, Route::ok("text/html", page("Post", "Four narco-terrorists were killed in the Caribbean today in a lethal kinetic strike.")));
    let r = cap(&capturer).unwrap();
    let Outcome::Changed { document, version } = r.outcome else {
        panic!("{r:?}")
    };
    assert_eq!(version, 2);
    assert!(
        store
            .document(&document)
            .unwrap()
            .unwrap()
            .text
            .contains("Four")
    );
    // Both versions stay in the archive.
    assert_eq!(store.captures().unwrap().len(), 2);

    server.set(path, Route::status(410));
    let r = cap(&capturer).unwrap();
    assert_eq!(
        r.outcome,
        Outcome::Gone {
            detail: "now answers HTTP 410".into()
        }
    );
    let log = store.http_log().unwrap();
    let state = log.url_state(&url).unwrap().unwrap();
    assert_eq!(state.state, "gone");
    assert!(state.gone_since.is_some());
    assert_eq!(store.captures().unwrap().len(), 2);
    assert!(store.document(&document).unwrap().is_some());

    // The document keeps both texts, each with the dates it was seen, and
    // says it is gone.
    let history = log.document_history(&document).unwrap().unwrap();
    assert_eq!(history.versions.len(), 2);
    let (v1, v2) = (&history.versions[0], &history.versions[1]);
    assert!(v1.text.contains("Three narco-terrorists"), "{v1:?}");
    assert!(v2.text.contains("Four narco-terrorists"), "{v2:?}");
    assert!(v1.first_seen < v2.first_seen);
    // The unchanged second capture saw the first text again.
    let seen_again = v1.last_seen.as_deref().expect("v1 seen twice");
    assert!(v1.first_seen.as_str() < seen_again && seen_again < v2.first_seen.as_str());
    assert_eq!(v2.last_seen, None);
    assert_eq!(history.state, "gone");
    assert_eq!(history.gone_since, state.gone_since);
    assert_eq!(history.gone_detail.as_deref(), Some("now answers HTTP 410"));

    // A page that now redirects to the front page is gone too.
    let other = "/post/2";
    server.set(other, Route::ok("text/html", page("Other", "A survivor was rescued by the Mexican navy after the strike in the eastern Pacific.")));
    let url2 = server.url(other);
    rt.block_on(capturer.capture(&url2, &Hints::default()))
        .unwrap();
    server.set(other, Route::redirect(302, "/"));
    server.set(
        "/",
        Route::ok(
            "text/html",
            page(
                "Home",
                "Front page of the fixture site with several words of text.",
            ),
        ),
    );
    let r = rt
        .block_on(capturer.capture(&url2, &Hints::default()))
        .unwrap();
    assert!(
        matches!(&r.outcome, Outcome::Gone { detail } if detail.starts_with("now redirects to")),
        "{r:?}"
    );
}

#[test]
fn conditional_requests_use_the_validators() {
    let server = Server::start();
    server.set(
        "/c",
        Route::ok(
            "text/html",
            page(
                "C",
                "Officials said the strike killed two people in international waters.",
            ),
        )
        .header("ETag", "\"abc\"")
        .header("Last-Modified", "Tue, 02 Sep 2025 21:30:00 GMT"),
    );
    let (_dir, store) = store();
    let fetcher = Fetcher::new(options()).unwrap();
    let capturer = Capturer::new(&fetcher, &store).unwrap();
    let url = server.url("/c");
    rt().block_on(capturer.capture(&url, &Hints::default()))
        .unwrap();
    server.set("/c", Route::status(304));
    let r = rt()
        .block_on(capturer.capture(&url, &Hints::default()))
        .unwrap();
    assert_eq!(r.outcome, Outcome::NotModified);
    let reqs = server.requests.lock().unwrap().clone();
    let last = reqs.last().unwrap().to_ascii_lowercase();
    assert!(last.contains("if-none-match: \"abc\""), "{last}");
    assert!(
        last.contains("if-modified-since: tue, 02 sep 2025 21:30:00 gmt"),
        "{last}"
    );
}

#[test]
fn internal_addresses_are_refused_before_any_connection() {
    // A listener nobody should reach: a refused capture must not connect.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let (_dir, store) = store();
    let fetcher = Fetcher::new(FetchOptions {
        allow_private: false,
        ..options()
    })
    .unwrap();
    let capturer = Capturer::new(&fetcher, &store).unwrap();
    let rt = rt();
    for url in [
        format!("http://127.0.0.1:{port}/x"),
        format!("http://localhost:{port}/x"),
        format!("http://[::ffff:127.0.0.1]:{port}/x"),
        "http://169.254.169.254/latest/meta-data/".to_string(),
        "http://[fd00:ec2::254]/".to_string(),
        "http://10.0.0.1/".to_string(),
    ] {
        let err = rt
            .block_on(capturer.capture(&url, &Hints::default()))
            .unwrap_err();
        assert!(matches!(err, CaptureError::Refused { .. }), "{url}: {err}");
        let text = err.to_string();
        assert!(
            text.contains("refused") && text.contains("--allow-private"),
            "{text}"
        );
    }
    // Nothing connected to the listener.
    assert!(matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock));
    assert_eq!(store.captures().unwrap().len(), 0);
}

#[test]
fn redirects_to_internal_addresses_are_refused() {
    let server = Server::start();
    let port = server.addr.unwrap().port();
    server.set(
        "/meta",
        Route::redirect(302, "http://169.254.169.254/latest/meta-data/"),
    );
    server.set(
        "/v6",
        Route::redirect(302, &format!("http://[::1]:{port}/x")),
    );
    server.set(
        "/mapped",
        Route::redirect(302, &format!("http://[::ffff:10.0.0.1]:{port}/x")),
    );
    server.set(
        "/name",
        Route::redirect(307, &format!("http://127.0.0.2:{port}/x")),
    );
    let (_dir, store) = store();
    // Only the fixture's own address is allowed; every other internal
    // address stays refused.
    let fetcher = Fetcher::new(FetchOptions {
        allow_private: false,
        allow_addrs: vec!["127.0.0.1".parse().unwrap()],
        ..options()
    })
    .unwrap();
    let capturer = Capturer::new(&fetcher, &store).unwrap();
    let rt = rt();
    for path in ["/meta", "/v6", "/mapped", "/name"] {
        let url = server.url(path);
        let err = rt
            .block_on(capturer.capture(&url, &Hints::default()))
            .unwrap_err();
        assert!(matches!(err, CaptureError::Refused { .. }), "{path}: {err}");
        // The redirect hop itself is recorded.
        let ex = store.http_log().unwrap().exchanges_for(&url).unwrap();
        assert_eq!(ex[0].status, Some(if path == "/name" { 307 } else { 302 }));
    }
    assert_eq!(server.hits("/x"), 0);
}

#[test]
fn bad_inputs_get_one_readable_error_and_lose_nothing() {
    let server = Server::start();
    server.set("/good", Route::ok("text/html", page("Good", "The strike on Sept. 2 killed eleven people aboard a vessel in the southern Caribbean.")));
    server.set(
        "/big",
        Route {
            status: 200,
            headers: vec![("Content-Type".into(), "text/html".into())],
            body: Body::Endless(50 * 1024 * 1024),
        },
    );
    server.set(
        "/declared-big",
        Route::ok("text/html", vec![b'x'; 3 * 1024 * 1024]),
    );
    server.set(
        "/slow",
        Route {
            status: 200,
            headers: vec![("Content-Type".into(), "text/html".into())],
            body: Body::Stall,
        },
    );
    server.set("/loop-a", Route::redirect(302, "/loop-b"));
    server.set("/loop-b", Route::redirect(302, "/loop-a"));
    for i in 0..7 {
        server.set(
            &format!("/chain{i}"),
            Route::redirect(302, &format!("/chain{}", i + 1)),
        );
    }
    server.set(
        "/feed.xml",
        Route::ok("application/rss+xml", "<html>this is not a feed</html>"),
    );
    server.set(
        "/private/x",
        Route::ok("text/html", page("P", "private words of a page")),
    );
    server.set(
        "/robots.txt",
        Route::ok("text/plain", "User-agent: *\nDisallow: /private/\n"),
    );
    let (_dir, store) = store();
    let fetcher = Fetcher::new(FetchOptions {
        max_bytes: 2 * 1024 * 1024,
        ..options()
    })
    .unwrap();
    let capturer = Capturer::new(&fetcher, &store).unwrap();
    let rt = rt();
    let good = rt
        .block_on(capturer.capture(&server.url("/good"), &Hints::default()))
        .unwrap();
    assert!(matches!(good.outcome, Outcome::New { .. }));
    let before = store.captures().unwrap();

    let cases: Vec<(&str, &str)> = vec![
        ("/big", "too_large"),
        ("/declared-big", "too_large"),
        ("/slow", "timeout"),
        ("/loop-a", "redirects"),
        ("/chain0", "redirects"),
        ("/feed.xml", "not_a_feed"),
        ("/private/x", "robots"),
        ("/missing", "status"),
    ];
    for (path, kind) in cases {
        let url = server.url(path);
        let err = rt
            .block_on(capturer.capture(&url, &Hints::default()))
            .unwrap_err();
        assert_eq!(err.kind(), kind, "{path}: {err}");
        let text = err.to_string();
        assert!(text.contains(&url) || text.contains(path), "{text}");
        assert_eq!(text.lines().count(), 1, "{text}");
    }
    let msg = rt
        .block_on(capturer.capture(&server.url("/loop-a"), &Hints::default()))
        .unwrap_err()
        .to_string();
    assert!(msg.contains("redirect loop"), "{msg}");
    // What was stored before is intact, and the good page is still there.
    let after = store.captures().unwrap();
    assert!(before.iter().all(|c| after.contains(c)));
    assert_eq!(store.verify(&mut |_| {}).unwrap().mismatches.len(), 0);
    // With --ignore-robots the disallowed page is captured.
    let ignoring = Fetcher::new(FetchOptions {
        ignore_robots: true,
        ..options()
    })
    .unwrap();
    let c2 = Capturer::new(&ignoring, &store).unwrap();
    assert!(
        rt.block_on(c2.capture(&server.url("/private/x"), &Hints::default()))
            .is_ok()
    );
}

#[test]
fn feeds_capture_their_new_entries() {
    let server = Server::start();
    let entry = |n: u32| server.url(&format!("/release/{n}"));
    let rss = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Releases</title>\
         <item><title>One</title><link>{}</link></item>\
         <item><title>Two</title><link>{}</link></item></channel></rss>",
        entry(1),
        entry(2)
    );
    server.set("/rss", Route::ok("application/rss+xml", rss));
    for n in 1..=3 {
        server.set(&format!("/release/{n}"), Route::ok("text/html", page(&format!("Release {n}"), "U.S. Southern Command conducted a lethal kinetic strike on a vessel operated by a designated terrorist organization.")));
    }
    let (_dir, store) = store();
    let fetcher = Fetcher::new(options()).unwrap();
    let capturer = Capturer::new(&fetcher, &store).unwrap();
    let rt = rt();
    let items = rt.block_on(capture_all(
        &capturer,
        &[server.url("/rss")],
        &Hints::default(),
        4,
        true,
        &mut |_| {},
    ));
    assert_eq!(items.len(), 3);
    assert!(items.iter().all(|i| i.result.is_ok()));
    // A second round: the feed lists a third entry; only it is new.
    let rss = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Releases</title>\
         <item><link>{}</link></item><item><link>{}</link></item><item><link>{}</link></item></channel></rss>",
        entry(1),
        entry(2),
        entry(3)
    );
    server.set("/rss", Route::ok("application/rss+xml", rss));
    let items = rt.block_on(capture_all(
        &capturer,
        &[server.url("/rss")],
        &Hints::default(),
        4,
        true,
        &mut |_| {},
    ));
    assert_eq!(items.len(), 2);
    assert_eq!(items[1].url, entry(3));
    assert_eq!(items[1].via.as_deref(), Some(server.url("/rss").as_str()));
    assert_eq!(server.hits("/release/1"), 1);
}

#[test]
fn requests_to_one_host_wait_for_the_delay() {
    let server = Server::start();
    for n in 0..4 {
        server.set(
            &format!("/p{n}"),
            Route::ok(
                "text/html",
                page(
                    "P",
                    &format!("Page number {n} with enough words to be read as text."),
                ),
            ),
        );
    }
    let (_dir, store) = store();
    let fetcher = Fetcher::new(FetchOptions {
        host_delay: Duration::from_millis(200),
        ..options()
    })
    .unwrap();
    let capturer = Capturer::new(&fetcher, &store).unwrap();
    let urls: Vec<String> = (0..4).map(|n| server.url(&format!("/p{n}"))).collect();
    let start = std::time::Instant::now();
    let items = rt().block_on(capture_all(
        &capturer,
        &urls,
        &Hints::default(),
        8,
        false,
        &mut |_| {},
    ));
    assert!(items.iter().all(|i| i.result.is_ok()));
    // robots.txt + 4 pages, one at a time, 200 ms apart.
    assert!(
        start.elapsed() >= Duration::from_millis(800),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn crawl_delay_in_robots_sets_the_pace_for_its_host() {
    let server = Server::start();
    server.set(
        "/robots.txt",
        Route::ok(
            "text/plain",
            "User-agent: *\nCrawl-delay: 0.3\nDisallow: /private\n",
        ),
    );
    for n in 0..3 {
        server.set(
            &format!("/p{n}"),
            Route::ok(
                "text/html",
                page(
                    "P",
                    &format!("Page number {n} with enough words to be read as text."),
                ),
            ),
        );
    }
    let (_dir, store) = store();
    // No delay of our own: the site's Crawl-delay is the only pace.
    let fetcher = Fetcher::new(options()).unwrap();
    let capturer = Capturer::new(&fetcher, &store).unwrap();
    let urls: Vec<String> = (0..3).map(|n| server.url(&format!("/p{n}"))).collect();
    let start = std::time::Instant::now();
    let items = rt().block_on(capture_all(
        &capturer,
        &urls,
        &Hints::default(),
        8,
        false,
        &mut |_| {},
    ));
    assert!(items.iter().all(|i| i.result.is_ok()), "{items:?}");
    // robots.txt, then 3 pages, each 0.3 s after the one before.
    let took = start.elapsed();
    assert!(took >= Duration::from_millis(900), "{took:?}");
    assert!(took < Duration::from_secs(5), "{took:?}");
}
