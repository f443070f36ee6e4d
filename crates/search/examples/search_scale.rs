//! Search latency at scale, in process: indexes a corpus JSONL file repeated
//! until it holds N documents (ids made unique per copy), then runs each
//! query many times and prints p50/p99/max with snippets.
//!
//!   cargo run --release -p strikewatch-search --example search_scale -- \
//!       corpus.jsonl 1000000 DIR caribbean strike "eastern pacific"

use std::io::BufRead;
use std::time::{Duration, Instant};

use strikewatch_model::read::SearchRequest;
use strikewatch_search::{SearchEntry, SearchIndex};

fn field(v: &serde_json::Value, k: &str) -> Option<String> {
    v.get(k).and_then(|x| x.as_str()).map(str::to_string)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, corpus, n, dir, queries @ ..] = args.as_slice() else {
        return Err("usage: search_scale CORPUS.jsonl N DIR QUERY...".into());
    };
    let n: usize = n.parse()?;
    let dir = std::path::Path::new(dir);
    let index = SearchIndex::open(dir)?;
    if index.len() as usize != n {
        let started = Instant::now();
        let mut update = index.update()?;
        update.clear()?;
        let mut added = 0;
        'copies: for copy in 0.. {
            let file = std::io::BufReader::new(std::fs::File::open(corpus)?);
            for line in file.lines() {
                let v: serde_json::Value = serde_json::from_str(&line?)?;
                let id = format!("{}-{copy}", field(&v, "id").unwrap_or_default());
                update.add(&SearchEntry {
                    kind: "document",
                    document_id: id.clone(),
                    id,
                    title: field(&v, "title"),
                    text: field(&v, "text").unwrap_or_default(),
                    language: field(&v, "language").or(Some("en".into())),
                    ..SearchEntry::default()
                })?;
                added += 1;
                if added == n {
                    break 'copies;
                }
            }
        }
        update.commit("search_scale")?;
        println!(
            "indexed {added} documents in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    for q in queries {
        let request = SearchRequest {
            q: q.clone(),
            limit: 20,
            budget: Some(Duration::from_secs(1)),
            ..SearchRequest::default()
        };
        let mut times = Vec::new();
        let mut hits = 0;
        for _ in 0..300 {
            let started = Instant::now();
            let found = index.search(&request)?;
            times.push(started.elapsed());
            hits = found.hits.len();
        }
        times.sort();
        let at = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
        println!(
            "{q:>20}: {hits} hits/page, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms ({} runs)",
            at(0.50).as_secs_f64() * 1e3,
            at(0.99).as_secs_f64() * 1e3,
            times[times.len() - 1].as_secs_f64() * 1e3,
            times.len()
        );
    }
    Ok(())
}
