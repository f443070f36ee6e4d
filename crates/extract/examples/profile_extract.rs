//! A fixed, small workload for instruction-count profiling: the dev corpus
//! extracted `ROUNDS` times on one thread. Prints the bytes read so that
//! instructions per MB can be worked out from a profiler's total.
//! `valgrind --tool=callgrind target/release/examples/profile_extract`

use strikewatch_extract::{Extractor, parse_document_line};

const DEV_DOCS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/dev/docs.jsonl"
));
const ROUNDS: usize = 20;

fn main() {
    let ex = match Extractor::embedded() {
        Ok(ex) => ex,
        Err(e) => {
            eprintln!("lexicons: {e}");
            return;
        }
    };
    let docs: Vec<_> = DEV_DOCS
        .lines()
        .filter_map(|l| parse_document_line(l).ok())
        .collect();
    let mut bytes = 0usize;
    let mut reports = 0usize;
    for _ in 0..ROUNDS {
        for d in &docs {
            bytes += d.text.len();
            reports += std::hint::black_box(ex.extract(d)).incidents.len();
        }
    }
    println!("{bytes} bytes, {reports} strike reports");
}
