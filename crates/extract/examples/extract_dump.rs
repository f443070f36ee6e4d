//! Writes the extraction of every line of corpus-format JSONL files, one JSON
//! line each, exactly as `strikewatch extract` writes them. Used to check that
//! a change to the extractor's machinery leaves its output byte-identical.
//! `cargo run --release -p strikewatch-extract --example extract_dump -- A.jsonl [B.jsonl…] > out.jsonl`

use std::io::{BufReader, Write};

use strikewatch_extract::{Extractor, extract_jsonl_with};

fn main() {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        eprintln!("usage: extract_dump DOCS.jsonl [DOCS.jsonl…]");
        std::process::exit(2);
    }
    let extractor = match Extractor::embedded() {
        Ok(ex) => ex,
        Err(e) => {
            eprintln!("lexicons: {e}");
            std::process::exit(1);
        }
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for path in &paths {
        let file = match std::fs::File::open(path) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("{path}: {e}");
                std::process::exit(1);
            }
        };
        if let Err(e) = extract_jsonl_with(&extractor, BufReader::new(file), &mut out) {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    }
    if let Err(e) = out.flush() {
        eprintln!("writing: {e}");
        std::process::exit(1);
    }
}
