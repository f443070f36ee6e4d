//! Prints what the extractor reads in corpus-format documents, compactly.
//! `cargo run -p strikewatch-extract --example probe -- docs.jsonl [id]`

use std::io::BufRead;

use strikewatch_extract::{Extractor, parse_document_line};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args.get(1) else {
        eprintln!("usage: probe DOCS.jsonl [ID]");
        return;
    };
    let only = args.get(2);
    let Ok(ex) = Extractor::embedded() else {
        eprintln!("lexicons failed");
        return;
    };
    let reader: Box<dyn BufRead> = if path == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        match std::fs::File::open(path) {
            Ok(f) => Box::new(std::io::BufReader::new(f)),
            Err(e) => {
                eprintln!("{path}: {e}");
                return;
            }
        }
    };
    for line in reader.lines().map_while(Result::ok) {
        let Ok(doc) = parse_document_line(&line) else {
            continue;
        };
        if only.is_some_and(|o| *o != doc.id) {
            continue;
        }
        let out = ex.extract(&doc);
        println!(
            "== {} anchor {:?} {:?}",
            doc.id, out.anchor_date, out.date_source
        );
        for r in &out.incidents {
            println!(
                "  I {:?} {:?} {:?} v{:?} k{:?} s{:?} {:?} {:?} {:?}",
                r.date.map(|d| d.to_string()),
                r.date_text,
                r.region,
                r.vessels,
                r.killed,
                r.survivors,
                r.role,
                r.confidence.level,
                r.confidence.cues
            );
        }
        for t in &out.totals {
            println!(
                "  T {:?} s{:?} k{:?} {:?} {:?} | {}",
                t.as_of.map(|d| d.to_string()),
                t.strikes,
                t.killed,
                t.confidence.level,
                t.confidence.cues,
                t.text
            );
        }
        for st in &out.statements {
            println!(
                "  S {} | {} | {:?}",
                st.speaker, st.quote_start, st.confidence.cues
            );
        }
        if only.is_some() {
            for d in &out.diagnostics {
                println!("  D {d}");
            }
        }
    }
}
