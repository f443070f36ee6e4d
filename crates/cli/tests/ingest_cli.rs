mod common;

use common::{count, run, stderr, stdout};
use strikewatch_model::Document;
use strikewatch_store::{SqliteStore, Store};

const DEV_DOCS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/dev/docs.jsonl");

#[test]
fn bad_inputs_are_reported_once_and_the_rest_is_ingested() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir_all(input.join("sub")).unwrap();
    std::fs::write(
        input.join("a_good.txt"),
        "Three people were killed.\n\nNo survivors.",
    )
    .unwrap();
    let mut lines = Vec::new();
    lines.extend_from_slice(br#"{"id":"ok-1","language":"en","text":"A good line."}"#);
    lines.extend_from_slice(b"\n{\"id\":\"bad-utf8\",\"text\":\"caf\xe9\"}\n");
    lines.extend_from_slice(br#"{"id":"ok-2","language":"es","text":"Otra linea."}"#);
    lines.extend_from_slice(b"\n{\"id\":\"cut\",\"text\":\"trunc");
    std::fs::write(input.join("b_lines.jsonl"), &lines).unwrap();
    std::fs::write(
        input.join("c_binary.html"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    )
    .unwrap();
    std::fs::write(input.join("d_empty.txt"), b"").unwrap();
    std::fs::write(input.join("e_big.txt"), "x".repeat(5000)).unwrap();
    std::fs::write(input.join("sub/f_bad.txt"), b"bad \xff\xfe bytes").unwrap();
    std::fs::write(
        input.join("sub/g_news.json"),
        r#"{"title":"T","maintext":"Strike reported.","url":"https://example.org/n",
           "date_publish":"2025-10-16 15:00:00","language":"en","source_domain":"example.org"}"#,
    )
    .unwrap();
    std::fs::write(
        input.join("sub/h_notes.md"),
        "# Notes\n\nThe **strike** was *reported*.",
    )
    .unwrap();
    let paragraph = "The U.S. military struck a vessel in the eastern Pacific on Tuesday, killing \
                     three people aboard, officials said in a statement late in the evening.";
    std::fs::write(
        input.join("sub/i_page.html"),
        format!(
            r#"<html lang="en"><head><title>Strike kills three</title>
            <link rel="canonical" href="https://example.org/page">
            <meta property="article:published_time" content="2025-10-21T18:00:00Z"></head>
            <body><nav>Home | World | Subscribe</nav><article><h1>Strike kills three</h1>
            <p>{paragraph}</p><p>{paragraph}</p><p>{paragraph}</p></article>
            <script>track()</script></body></html>"#
        ),
    )
    .unwrap();

    let db = dir.path().join("s.db");
    let out = run(
        &db,
        &["ingest", "--max-bytes", "4000", input.to_str().unwrap()],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    for (needle, reason) in [
        ("b_lines.jsonl:2:", "invalid UTF-8"),
        ("b_lines.jsonl:4:", "invalid JSON"),
        ("c_binary.html:", "binary"),
        ("d_empty.txt:", "empty file"),
        ("e_big.txt:", "size limit"),
        ("f_bad.txt:", "invalid UTF-8"),
    ] {
        let hits: Vec<&str> = err.lines().filter(|l| l.contains(needle)).collect();
        assert_eq!(
            hits.len(),
            1,
            "{needle} reported {} times in:\n{err}",
            hits.len()
        );
        assert!(hits[0].contains(reason), "{needle}: {}", hits[0]);
    }
    // a_good, ok-1, ok-2, news, notes, page.
    assert_eq!(count(&db, "SELECT COUNT(*) FROM documents"), 6);
    assert!(
        stdout(&out).contains("6 documents added"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("6 skipped"), "{}", stdout(&out));
    let store = SqliteStore::open(&db).unwrap();
    let notes = store
        .document(&strikewatch_ingest::ids::id_from_origin("sub/h_notes.md"))
        .unwrap()
        .unwrap();
    assert_eq!(notes.text, "Notes\n\nThe strike was reported.");
    assert_eq!(notes.title.as_deref(), Some("Notes"));
    let page = store
        .document(&strikewatch_ingest::ids::id_from_url(
            "https://example.org/page",
        ))
        .unwrap()
        .unwrap();
    assert_eq!(page.title.as_deref(), Some("Strike kills three"));
    assert_eq!(page.publication_date().unwrap().to_string(), "2025-10-21");
    assert!(page.text.contains(paragraph), "{}", page.text);
    assert!(
        !page.text.contains("Subscribe") && !page.text.contains("track()"),
        "{}",
        page.text
    );
    assert_eq!(page.language, "en");
}

#[test]
fn same_bytes_twice_is_a_no_op_and_new_bytes_are_a_new_capture() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let file = dir.path().join("post.txt");
    std::fs::write(&file, "First version.").unwrap();
    let first = run(&db, &["ingest", file.to_str().unwrap()]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let again = run(&db, &["ingest", file.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(0));
    assert!(
        stderr(&again).contains("already archived"),
        "{}",
        stderr(&again)
    );
    assert!(stdout(&again).contains("0 documents added"));
    assert_eq!(count(&db, "SELECT COUNT(*) FROM captures"), 1);

    std::fs::write(&file, "Second version, edited.").unwrap();
    let edited = run(&db, &["ingest", file.to_str().unwrap()]);
    assert!(stdout(&edited).contains("1 updated"), "{}", stdout(&edited));
    assert_eq!(count(&db, "SELECT COUNT(*) FROM captures"), 2);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM blobs"), 2);
    assert_eq!(count(&db, "SELECT COUNT(*) FROM documents"), 1);
    let text: String = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT text FROM documents", [], |r| r.get(0))
        .unwrap();
    assert_eq!(text, "Second version, edited.");
}

#[test]
fn verify_fails_on_a_corrupted_blob() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    assert_eq!(run(&db, &["ingest", DEV_DOCS]).status.code(), Some(0));
    let ok = run(&db, &["verify"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
    assert!(stdout(&ok).contains("verify OK"));

    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "DROP TRIGGER blobs_no_update;
         UPDATE blobs SET data = CAST(replace(CAST(data AS TEXT), 'killing 11', 'killing 12') AS BLOB);",
    )
    .unwrap();
    drop(conn);
    let bad = run(&db, &["verify"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(stderr(&bad).contains("MISMATCH"), "{}", stderr(&bad));
    assert!(stdout(&bad).contains("1 mismatches"));
}

fn without_capture(mut d: Document) -> Document {
    d.capture_sha256 = None;
    d
}

fn all_documents(db: &std::path::Path) -> Vec<Document> {
    let store = SqliteStore::open(db).unwrap();
    let mut docs = Vec::new();
    store
        .for_each_document(&mut |d| {
            docs.push(without_capture(d));
            Ok(())
        })
        .unwrap();
    docs
}

#[test]
fn jsonl_export_round_trips_and_warc_export_holds_every_capture() {
    let dir = tempfile::tempdir().unwrap();
    let db1 = dir.path().join("one.db");
    let db2 = dir.path().join("two.db");
    let seed = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/seed/docs.jsonl"
    );
    assert_eq!(
        run(&db1, &["ingest", DEV_DOCS, seed]).status.code(),
        Some(0)
    );
    let jsonl = dir.path().join("docs.jsonl");
    let out = run(
        &db1,
        &["export", "--format", "jsonl", jsonl.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        run(&db2, &["ingest", jsonl.to_str().unwrap()])
            .status
            .code(),
        Some(0)
    );
    let (a, b) = (all_documents(&db1), all_documents(&db2));
    assert_eq!(a.len(), 46);
    assert_eq!(a, b);

    // Exporting again gives the same bytes.
    let again = dir.path().join("again.jsonl");
    run(
        &db1,
        &["export", "--format", "jsonl", again.to_str().unwrap()],
    );
    assert_eq!(
        std::fs::read(&jsonl).unwrap(),
        std::fs::read(&again).unwrap()
    );

    let warc = dir.path().join("e.warc");
    let out = run(
        &db1,
        &["export", "--format", "warc", warc.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let data = std::fs::read(&warc).unwrap();
    let text = String::from_utf8_lossy(&data);
    assert!(text.starts_with("WARC/1.1\r\nWARC-Type: warcinfo\r\n"));
    assert_eq!(text.matches("WARC-Type: resource\r\n").count(), 2);
    let dev_sha = strikewatch_archive::sha256_hex(&std::fs::read(DEV_DOCS).unwrap());
    assert!(text.contains(&format!("WARC-Payload-Digest: sha256:{dev_sha}\r\n")));
    let warc2 = dir.path().join("e2.warc");
    run(
        &db1,
        &["export", "--format", "warc", warc2.to_str().unwrap()],
    );
    // Same archive, same file (apart from the file name in warcinfo).
    let text2 =
        String::from_utf8_lossy(&std::fs::read(&warc2).unwrap()).replace("e2.warc", "e.warc");
    assert_eq!(text2.len(), text.len());
}

#[test]
fn postgres_urls_get_a_clear_not_built_error() {
    let out = common::run(
        std::path::Path::new("postgres://u:secret@localhost/sw"),
        &["init"],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("not built yet"), "{err}");
    assert!(!err.contains("secret"), "{err}");
}

#[test]
fn every_command_has_help_with_an_example() {
    for cmd in [
        "init",
        "ingest",
        "verify",
        "export",
        "demo",
        "rebuild",
        "serve",
        "token create",
        "bench ingest",
        "bench generate",
        "trackers",
        "trackers import",
        "trackers list",
    ] {
        let mut args: Vec<&str> = cmd.split(' ').collect();
        args.push("--help");
        let out = std::process::Command::new(common::BIN)
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        let text = stdout(&out);
        assert!(text.contains("Example"), "{cmd}: {text}");
    }
}

#[test]
fn init_creates_a_migrated_database_and_demo_lists_the_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("new.db");
    let out = run(&db, &["init"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(&format!(
            "schema version {}",
            strikewatch_store::MIGRATIONS
                .last()
                .map(|m| m.version)
                .unwrap_or(0)
        )),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        count(&db, "SELECT MAX(version) FROM schema_migrations"),
        strikewatch_store::MIGRATIONS
            .last()
            .map(|m| m.version)
            .unwrap_or(0)
    );

    let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/corpus");
    let demo = run(&db, &["demo", "--no-serve", "--corpus", corpus]);
    assert_eq!(demo.status.code(), Some(0), "{}", stderr(&demo));
    let text = stdout(&demo);
    assert!(text.contains("45 documents added"), "{text}");
    assert!(text.contains("dev-045"), "{text}");
    let again = run(&db, &["demo", "--no-serve", "--corpus", corpus]);
    assert!(stderr(&again).contains("already archived"));
    assert_eq!(count(&db, "SELECT COUNT(*) FROM documents"), 45);
}
