mod common;

use std::time::Duration;

use common::{Route, Server, page};
use strikewatch_capture::capture::Capturer;
use strikewatch_capture::watch::{WatchEvent, parse_sources, watch};
use strikewatch_capture::{FetchOptions, Fetcher};
use strikewatch_store::{SqliteStore, Store};

fn options() -> FetchOptions {
    FetchOptions {
        allow_private: true,
        host_delay: Duration::ZERO,
        ..FetchOptions::default()
    }
}

#[test]
fn watch_runs_sources_keeps_state_and_stops_on_signal() {
    let server = Server::start();
    let items: String = (1..=3)
        .map(|n| {
            format!(
                "<item><link>{}</link></item>",
                server.url(&format!("/r/{n}"))
            )
        })
        .collect();
    server.set("/rss", Route::ok("application/rss+xml", format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>R</title>{items}</channel></rss>")).header("ETag", "\"f1\""));
    for n in 1..=3 {
        server.set(&format!("/r/{n}"), Route::ok("text/html", page("Release", "U.S. forces conducted a lethal kinetic strike on a vessel in the eastern Pacific.")));
    }
    server.set(
        "/page",
        Route::ok(
            "text/html",
            page(
                "Page",
                "A second strike was reported by officials on Tuesday in the Caribbean.",
            ),
        ),
    );
    let toml = format!(
        "[defaults]\ninterval = \"1h\"\n[[source]]\nname = \"releases\"\nurl = \"{}\"\nkind = \"official\"\n[[source]]\nname = \"page\"\nurl = \"{}\"\n[[source]]\nname = \"broken\"\nurl = \"{}\"\n",
        server.url("/rss"),
        server.url("/page"),
        server.url("/missing")
    );
    let sources = parse_sources("sources.toml", &toml).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("w.db")).unwrap();
    let fetcher = Fetcher::new(options()).unwrap();
    let capturer = Capturer::new(&fetcher, &store).unwrap();
    let log = store.http_log().unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();

    let mut runs = Vec::new();
    let mut stopped = false;
    let mut stop = std::pin::pin!(std::future::pending::<()>());
    rt.block_on(watch(
        &capturer,
        log,
        &sources,
        4,
        true,
        stop.as_mut(),
        &mut |e| {
            if let WatchEvent::Stopped = e {
                stopped = true
            }
        },
        &mut |r| runs.push(r.clone()),
    ))
    .unwrap();
    assert!(!stopped);
    assert_eq!(runs.len(), 3);
    let rel = runs.iter().find(|r| r.name == "releases").unwrap();
    assert!(
        rel.ok && rel.summary.contains("3 entries, 3 new"),
        "{rel:?}"
    );
    assert_eq!(rel.documents, 3);
    let broken = runs.iter().find(|r| r.name == "broken").unwrap();
    assert!(!broken.ok && broken.failures_in_a_row == 1, "{broken:?}");
    assert!(broken.summary.contains("404"));
    assert_eq!(store.counts().unwrap().documents, 4);

    // State is kept: a restarted watch waits for the next due time, and a
    // signal stops it cleanly.
    let st = log.watch_state("releases").unwrap().unwrap();
    assert!(st.next_due > st.last_run.clone().unwrap());
    let mut events = Vec::new();
    let _guard = rt.enter();
    let mut stop = std::pin::pin!(tokio::time::sleep(Duration::from_millis(300)));
    let hits_before = server.hits("/rss");
    rt.block_on(watch(
        &capturer,
        log,
        &sources,
        4,
        false,
        stop.as_mut(),
        &mut |e| events.push(format!("{e:?}").split(' ').next().unwrap().to_string()),
        &mut |_| {},
    ))
    .unwrap();
    assert_eq!(server.hits("/rss"), hits_before, "nothing was due");
    assert_eq!(events.last().map(String::as_str), Some("Stopped"));

    // --once again: the feed is asked for conditionally and nothing is new.
    let mut runs = Vec::new();
    let mut stop = std::pin::pin!(std::future::pending::<()>());
    rt.block_on(watch(
        &capturer,
        log,
        &sources,
        4,
        true,
        stop.as_mut(),
        &mut |_| {},
        &mut |r| runs.push(r.clone()),
    ))
    .unwrap();
    let rel = runs.iter().find(|r| r.name == "releases").unwrap();
    assert_eq!(rel.documents, 0);
    let reqs = server.requests.lock().unwrap().clone();
    assert!(
        reqs.iter()
            .rfind(|r| r.starts_with("GET /rss "))
            .unwrap()
            .to_ascii_lowercase()
            .contains("if-none-match: \"f1\"")
    );
    assert_eq!(log.watch_state("broken").unwrap().unwrap().failures, 2);
}

#[test]
fn the_example_sources_file_reads() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/sources.toml");
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.starts_with("# EXAMPLE"));
    let sources = parse_sources(path, &text).unwrap();
    assert!(sources.len() >= 5);
    assert!(
        sources
            .iter()
            .any(|s| s.hints.source_kind == Some(strikewatch_model::SourceKind::Official))
    );
}
