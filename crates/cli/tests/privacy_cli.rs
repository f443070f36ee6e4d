//! What a published ledger reveals: nothing of this machine's folders and
//! nothing of a private document, on any public path. A corpus is ingested
//! from a folder with a distinctive absolute path, with private documents
//! beside the public ones (one by `--private`, one by a `"private": true`
//! corpus line that also names it in a review); then every export format is
//! written and every route the site lists (and every link its pages give)
//! is read, and none may hold the folder's path or the private documents'
//! text, title, URL or id.

mod common;

use std::collections::{BTreeSet, VecDeque};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use common::{free_port, http, json, run, start, stderr, stdout};

const DEMO_DOCS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/corpus/docs.jsonl"
);
const SAMPLE_TRACKER: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/trackers/sample-tracker.csv"
);

/// Part of the folder names the corpus sits in: it must appear nowhere.
const LOCAL_MARK: &str = "zq9xlocalpath";

/// A private tip as a corpus line: its own words, URL and id are secret.
const TIP_LINE: &str = r#"{"id":"tip-q7canary","url":"https://leak.example/secret-memo-q7canary","published_at":"2025-11-05","language":"en","source_kind":"news","title":"Memo q7canary from a crew member","text":"On November 4, 2025, U.S. forces struck a boat in the eastern Pacific, killing four people aboard, a crew member told us. He said the q7canary codeword was used on the radio.","private":true}"#;

/// A private memo ingested with `--private`; the only source of its strike,
/// and it also quotes an official (a statement and a claim) and states a
/// running total.
const MEMO_TEXT: &str = "Internal memo q8canary.\n\nOn December 9, 2025, U.S. forces struck a vessel in the Caribbean, killing six people aboard, the memo says. \"The q8canary route is finished and we will keep hitting these boats,\" Defense Secretary Pete Hegseth said. The strikes have killed 140 people in 35 strikes since September, the memo says. Handwritten note: q8canary.\n";

fn secrets() -> Vec<String> {
    vec![
        LOCAL_MARK.to_string(),
        "q7canary".into(),
        "q8canary".into(),
        "leak.example".into(),
        "q9canary".into(),
        strikewatch_ingest::ids::id_from_origin("memo.txt"),
    ]
}

/// The secrets `bytes` holds, if any, leaving out those `asked` holds (a
/// 404 may name the id it was asked for).
fn leaks(bytes: &[u8], asked: &str) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes).to_lowercase();
    let asked = asked.to_lowercase();
    secrets()
        .into_iter()
        .map(|s| s.to_lowercase())
        .filter(|s| text.contains(s) && !asked.contains(s))
        .collect()
}

fn assert_clean(what: &str, bytes: &[u8]) {
    let found = leaks(bytes, what);
    assert!(found.is_empty(), "{what} reveals {found:?}");
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

struct Ledger {
    _dir: tempfile::TempDir,
    db: PathBuf,
    work: PathBuf,
}

/// The demo corpus and the private documents, ingested from folders whose
/// absolute path carries [`LOCAL_MARK`], plus the sample tracker and a
/// review that names the private tip.
fn private_ledger() -> Ledger {
    let dir = tempfile::tempdir().unwrap();
    let home = dir
        .path()
        .join(format!("home-{LOCAL_MARK}-user"))
        .join("newsroom-project");
    let corpus = home.join("corpus");
    let tips = home.join("tips");
    std::fs::create_dir_all(&corpus).unwrap();
    std::fs::create_dir_all(&tips).unwrap();
    std::fs::copy(DEMO_DOCS, corpus.join("docs.jsonl")).unwrap();
    std::fs::write(tips.join("tip.jsonl"), format!("{TIP_LINE}\n")).unwrap();
    std::fs::write(home.join("memo.txt"), MEMO_TEXT).unwrap();
    std::fs::copy(SAMPLE_TRACKER, home.join("sample-tracker.csv")).unwrap();
    let work = dir.path().join("out");
    std::fs::create_dir_all(&work).unwrap();
    let db = work.join("ledger.db");
    let abs = |p: &Path| p.canonicalize().unwrap().to_string_lossy().into_owned();

    for args in [
        vec!["ingest".to_string(), abs(&corpus)],
        vec!["ingest".to_string(), abs(&tips.join("tip.jsonl"))],
        vec![
            "ingest".to_string(),
            "--private".into(),
            abs(&home.join("memo.txt")),
        ],
        vec![
            "trackers".to_string(),
            "import".into(),
            abs(&home.join("sample-tracker.csv")),
            "--name".into(),
            "sample".into(),
        ],
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run(&db, &args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    }
    Ledger {
        _dir: dir,
        db,
        work,
    }
}

/// The incidents a reviewer sees (the full ledger), as JSON rows.
fn reviewer_incidents(db: &Path) -> Vec<serde_json::Value> {
    let out = run(db, &["incidents", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

#[test]
fn no_local_path_is_stored_or_published() {
    let ledger = private_ledger();
    let db_bytes = std::fs::read(&ledger.db).unwrap();
    assert!(
        !String::from_utf8_lossy(&db_bytes).contains(LOCAL_MARK),
        "the database file holds the local path"
    );
    let conn = rusqlite::Connection::open(&ledger.db).unwrap();
    let origins: Vec<String> = conn
        .prepare("SELECT origin FROM captures ORDER BY seq")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(origins, ["docs.jsonl", "tip.jsonl", "memo.txt"]);
    let tracker_file: String = conn
        .query_row("SELECT file FROM trackers", [], |r| r.get(0))
        .unwrap();
    assert_eq!(tracker_file, "sample-tracker.csv");
}

#[test]
fn origin_can_be_given_as_a_url_and_never_as_a_path() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("o.db");
    let out = run(
        &db,
        &[
            "ingest",
            "--origin",
            "https://example.org/corpus/docs.jsonl",
            DEMO_DOCS,
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let conn = rusqlite::Connection::open(&db).unwrap();
    let origin: String = conn
        .query_row("SELECT origin FROM captures", [], |r| r.get(0))
        .unwrap();
    assert_eq!(origin, "https://example.org/corpus/docs.jsonl");
    let out = run(
        &db,
        &["ingest", "--origin", "/home/me/docs.jsonl", DEMO_DOCS],
    );
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stderr(&out).contains("--origin must be a URL"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn no_export_holds_a_private_document_or_a_local_path() {
    let ledger = private_ledger();
    // The private sources did make incidents: reviewers see them.
    let incidents = reviewer_incidents(&ledger.db);
    let dates: BTreeSet<&str> = incidents
        .iter()
        .filter_map(|i| i["date"].as_str())
        .collect();
    assert!(
        dates.contains("2025-12-09"),
        "memo strike missing: {dates:?}"
    );

    let formats = [
        ("csv", "incidents.csv"),
        ("csv", "tables"),
        ("json", "ledger.json"),
        ("geojson", "incidents.geojson"),
        ("sqlite", "ledger.sqlite"),
        ("warc", "evidence.warc"),
        ("jsonl", "documents.jsonl"),
    ];
    for (format, name) in formats {
        let out_path = ledger.work.join(name);
        let out_str = out_path.to_string_lossy().into_owned();
        let out = run(&ledger.db, &["export", "--format", format, &out_str]);
        assert_eq!(out.status.code(), Some(0), "{format}: {}", stderr(&out));
        let files = if out_path.is_dir() {
            files_under(&out_path)
        } else {
            vec![out_path.clone()]
        };
        assert!(!files.is_empty(), "{format} wrote nothing");
        for file in files {
            let bytes = std::fs::read(&file).unwrap();
            let found = leaks(&bytes, "");
            assert!(
                found.is_empty(),
                "export {format} ({}) reveals {found:?}",
                file.display()
            );
        }
    }
    // The public part is all there: the demo corpus's documents and captures.
    let jsonl = std::fs::read_to_string(ledger.work.join("documents.jsonl")).unwrap();
    assert_eq!(
        jsonl.lines().count(),
        std::fs::read_to_string(DEMO_DOCS)
            .unwrap()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .count()
    );
    // A reviewers' copy keeps them, still marked private.
    let copy = ledger.work.join("reviewers.jsonl");
    let out = run(
        &ledger.db,
        &[
            "export",
            "--format",
            "jsonl",
            "--include-private",
            &copy.to_string_lossy(),
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let copy = std::fs::read_to_string(&copy).unwrap();
    let private_lines: Vec<&str> = copy.lines().filter(|l| l.contains("q7canary")).collect();
    assert_eq!(private_lines.len(), 1);
    assert!(
        private_lines[0].contains(r#""private":true"#),
        "{}",
        private_lines[0]
    );
    let warc = std::fs::read(ledger.work.join("evidence.warc")).unwrap();
    let warc = String::from_utf8_lossy(&warc);
    assert!(
        warc.contains("WARC-Target-URI: file:docs.jsonl"),
        "the public capture is kept"
    );
    // The ledger export keeps the private strike's facts without its words.
    let exported: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(ledger.work.join("ledger.json")).unwrap())
            .unwrap();
    let memo_strike = exported["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["date"] == "2025-12-09")
        .expect("the memo's strike is published as a fact");
    assert!(
        memo_strike["reports"][0]["document_id"]
            .as_str()
            .unwrap()
            .starts_with("non-public-")
    );
}

/// Every GET path of the API description, with ids filled in, and the
/// HTML page beside each data twin.
fn listed_paths(addr: SocketAddr, ids: &Ids) -> Vec<String> {
    let spec = json(&http(addr, "GET", "/openapi.json", &[], ""));
    let mut out = Vec::new();
    for (path, ops) in spec["paths"].as_object().unwrap() {
        if ops.get("get").is_none() {
            continue;
        }
        let mut forms = vec![path.clone()];
        for suffix in [".json", ".csv"] {
            if let Some(page) = path.strip_suffix(suffix) {
                forms.push(if page == "/index" {
                    "/".into()
                } else {
                    page.to_string()
                });
            }
        }
        for form in forms {
            let fills: Vec<&String> = if form.contains("{id}") && form.starts_with("/incidents") {
                ids.incidents.iter().collect()
            } else if form.contains("{id}") {
                ids.documents.iter().collect()
            } else if form.contains("{name}") {
                ids.trackers.iter().collect()
            } else {
                out.push(form.clone());
                for query in [
                    "?q=codeword",
                    "?q=handwritten",
                    "?q=memo",
                    "?per_page=500",
                    "?as_of=2025-12-31",
                    "?region=caribbean&per_page=500",
                ] {
                    out.push(format!("{form}{query}"));
                }
                continue;
            };
            for fill in fills {
                out.push(form.replace("{id}", fill).replace("{name}", fill));
            }
        }
    }
    out
}

struct Ids {
    incidents: Vec<String>,
    documents: Vec<String>,
    trackers: Vec<String>,
}

/// Same-site links in a page (`href="/…"`), fragments dropped.
fn links(body: &str) -> Vec<String> {
    body.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.starts_with('/') && !href.starts_with("//"))
        .map(|href| href.split('#').next().unwrap_or("").replace("&amp;", "&"))
        .filter(|href| !href.starts_with("/assets"))
        .collect()
}

#[test]
fn no_page_route_or_search_shows_a_private_document() {
    let ledger = private_ledger();
    // A review names the private tip (its id in the action and the reason).
    let incidents = reviewer_incidents(&ledger.db);
    let tip_incident = incidents
        .iter()
        .find(|i| {
            i["reports"]
                .as_array()
                .is_some_and(|r| r.iter().any(|r| r["document_id"] == "tip-q7canary"))
        })
        .expect("the tip's strike, seen by reviewers")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let out = run(
        &ledger.db,
        &[
            "review",
            "annotate",
            &tip_incident,
            "--note",
            "see tip-q7canary",
            "--author",
            "Desk",
            "--reason",
            "tip-q7canary from https://leak.example/secret-memo-q7canary agrees",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let addr = free_port();
    let _server = start(&ledger.db, addr);
    // A private document posted through the write API is kept back too.
    let token = stdout(&run(&ledger.db, &["token", "create", "desk"]))
        .trim()
        .to_string();
    let posted = http(
        addr,
        "POST",
        "/documents",
        &[
            &format!("Authorization: Bearer {token}"),
            "Content-Type: application/json",
        ],
        r#"{"id":"posted-q9canary","url":"https://leak.example/q9canary","language":"en","published_at":"2025-12-20","text":"On December 19, 2025, U.S. forces struck a boat in the Caribbean, killing three people aboard, according to q9canary.","private":true}"#,
    );
    assert_eq!(posted.status, 201, "{}", posted.body);

    let list = json(&http(addr, "GET", "/incidents.json?per_page=500", &[], ""));
    let mut incident_ids: Vec<String> = list["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect();
    incident_ids.sort();
    let memo_incident = list["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["date"] == "2025-12-09")
        .expect("the memo's strike is listed")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut documents: Vec<String> = std::fs::read_to_string(DEMO_DOCS)
        .unwrap()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|d| d["id"].as_str().map(str::to_string))
        .collect();
    documents.push("tip-q7canary".into());
    documents.push("posted-q9canary".into());
    documents.push(strikewatch_ingest::ids::id_from_origin("memo.txt"));
    let ids = Ids {
        incidents: incident_ids,
        documents,
        trackers: vec!["sample".into()],
    };

    // Read every listed route, then follow every link the pages give
    // (bounded), so pages reached only by a link are read too.
    let mut queue: VecDeque<String> = listed_paths(addr, &ids).into();
    let mut seen: BTreeSet<String> = queue.iter().cloned().collect();
    let mut read = 0usize;
    while let Some(path) = queue.pop_front() {
        let reply = http(addr, "GET", &path, &[], "");
        read += 1;
        assert!(
            reply.status < 500,
            "{path}: {} {}",
            reply.status,
            reply.body
        );
        assert_clean(&format!("GET {path}"), reply.body.as_bytes());
        if seen.len() < 1500 {
            for link in links(&reply.body) {
                if seen.insert(link.clone()) {
                    queue.push_back(link);
                }
            }
        }
    }
    eprintln!("leak check: {read} public pages read");
    assert!(read > 300, "only {read} pages read");

    // The private documents themselves answer 404, and the strike only the
    // memo supports is shown as from a non-public source, without text.
    for id in [
        "tip-q7canary".to_string(),
        strikewatch_ingest::ids::id_from_origin("memo.txt"),
    ] {
        for suffix in ["", ".json", ".csv"] {
            let reply = http(addr, "GET", &format!("/documents/{id}{suffix}"), &[], "");
            assert_eq!(reply.status, 404, "/documents/{id}{suffix}");
        }
    }
    let page = http(addr, "GET", &format!("/incidents/{memo_incident}"), &[], "");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Supported by a non-public source"),
        "{}",
        page.body
    );
    let search = json(&http(addr, "GET", "/search.json?q=memo", &[], ""));
    assert_eq!(search["hits"].as_array().map(Vec::len), Some(0), "{search}");
}
