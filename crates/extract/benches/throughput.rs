//! Single-thread extraction throughput over a ≥ 50 MB corpus built in memory
//! by repeating the dev corpus with small variations. Plain std timing.
//! `cargo bench -p strikewatch-extract`

use std::time::Instant;

use strikewatch_extract::{Extractor, parse_document_line};
use strikewatch_model::Document;

const DEV_DOCS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/dev/docs.jsonl"
));
const TARGET_BYTES: usize = 50 * 1024 * 1024;

/// Varies a text so repeated copies are not byte-identical: numbers shift,
/// paragraphs rotate.
fn vary(text: &str, round: usize) -> String {
    let mut paragraphs: Vec<&str> = text.split("\n\n").collect();
    if paragraphs.len() > 2 {
        let n = paragraphs.len();
        paragraphs[1..n].rotate_left(round % (n - 1));
    }
    let joined = paragraphs.join("\n\n");
    let bump = (round % 9) as u8;
    joined
        .chars()
        .map(|c| {
            if c.is_ascii_digit() && bump > 0 {
                (b'0' + ((c as u8 - b'0' + bump) % 10)) as char
            } else {
                c
            }
        })
        .collect()
}

fn main() {
    let ex = match Extractor::embedded() {
        Ok(ex) => ex,
        Err(e) => {
            eprintln!("lexicons: {e}");
            return;
        }
    };
    let base: Vec<Document> = DEV_DOCS
        .lines()
        .filter_map(|l| parse_document_line(l).ok())
        .collect();
    let mut corpus = Vec::new();
    let mut bytes = 0;
    let mut round = 0;
    while bytes < TARGET_BYTES {
        for d in &base {
            let mut doc = d.clone();
            doc.text = vary(&d.text, round);
            doc.id = format!("{}-{round}", d.id);
            bytes += doc.text.len();
            corpus.push(doc);
        }
        round += 1;
    }
    // Warm up.
    for d in base.iter().take(10) {
        std::hint::black_box(ex.extract(d));
    }
    let start = Instant::now();
    let mut incidents = 0;
    for d in &corpus {
        incidents += std::hint::black_box(ex.extract(d)).incidents.len();
    }
    let secs = start.elapsed().as_secs_f64();
    let mb = bytes as f64 / (1024.0 * 1024.0);
    println!(
        "extract: {} docs, {:.1} MB in {:.2} s on one thread: {:.1} MB/s, {:.0} docs/s ({} strike reports)",
        corpus.len(),
        mb,
        secs,
        mb / secs,
        corpus.len() as f64 / secs,
        incidents
    );
}
