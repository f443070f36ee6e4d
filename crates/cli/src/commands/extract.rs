//! `extract`: documents in, one JSON extraction per line out. Stateless and
//! streaming: nothing is written to the store, and memory stays flat however
//! long the input is.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::Args;
use strikewatch_extract::{Extractor, parse_document_line};
use strikewatch_model::Document;
use strikewatch_store::StoreError;

use super::{EXIT_SKIPPED, open_store};

pub const EXAMPLES: &str = "\
Examples:
  strikewatch extract --input testdata/seed/docs.jsonl
  cat docs.jsonl | strikewatch extract --output extractions.jsonl
  strikewatch extract --from-store --db team.db --output -

Input lines are in the corpus format ({\"id\",\"text\",\"published_at\",...}).
A line that cannot be read is reported on stderr with its line number and
skipped; the exit code is then 2.";

#[derive(Args, Debug)]
pub struct ExtractArgs {
    /// Corpus-format JSONL to read; `-` (the default) reads stdin.
    #[arg(long, conflicts_with = "from_store")]
    pub input: Option<PathBuf>,

    /// Extract every document held in the store (`--db`) instead.
    #[arg(long)]
    pub from_store: bool,

    /// Where to write the extractions; `-` (the default) is stdout.
    #[arg(long)]
    pub output: Option<PathBuf>,
}

/// What one run did, for the closing line on stderr.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ExtractCounts {
    pub documents: usize,
    pub bad_lines: usize,
}

/// The path named, unless it is absent or `-` (a standard stream).
fn named_path(p: &Option<PathBuf>) -> Option<&std::path::Path> {
    p.as_deref().filter(|p| p.as_os_str() != "-")
}

pub fn run(db: &str, args: &ExtractArgs) -> anyhow::Result<ExitCode> {
    let extractor = Extractor::embedded().context("loading the embedded lexicons")?;
    let writer: Box<dyn Write> = match named_path(&args.output) {
        None => Box::new(std::io::stdout().lock()),
        Some(path) => {
            Box::new(File::create(path).with_context(|| format!("creating {}", path.display()))?)
        }
    };
    let mut out = BufWriter::new(writer);
    let counts = if args.from_store {
        extract_store(db, &extractor, &mut out)?
    } else {
        let input = named_path(&args.input);
        let reader: Box<dyn BufRead> = match input {
            None => Box::new(std::io::stdin().lock()),
            Some(path) => {
                let file =
                    File::open(path).with_context(|| format!("opening {}", path.display()))?;
                Box::new(BufReader::new(file))
            }
        };
        let name = input.map_or_else(|| "stdin".to_string(), |p| p.display().to_string());
        extract_lines(&extractor, reader, &mut out, &mut |line, error| {
            eprintln!("error: {name} line {line}: {error}");
        })?
    };
    if let Err(e) = out.flush() {
        // A closed pipe (`| head`) is not a failure of the extraction.
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            return Err(e).context("writing extractions");
        }
    }
    eprintln!(
        "extracted {} documents{}",
        counts.documents,
        if counts.bad_lines > 0 {
            format!(", skipped {} bad lines", counts.bad_lines)
        } else {
            String::new()
        }
    );
    Ok(if counts.bad_lines > 0 {
        ExitCode::from(EXIT_SKIPPED)
    } else {
        ExitCode::SUCCESS
    })
}

/// Writes one extraction per line for `doc`. A broken pipe ends the output
/// quietly, so it is reported as `Ok(false)`.
fn write_one(extractor: &Extractor, doc: &Document, out: &mut dyn Write) -> anyhow::Result<bool> {
    let extraction = extractor.extract(doc);
    let line = serde_json::to_string(&extraction).context("encoding an extraction")?;
    match writeln!(out, "{line}") {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(e).context("writing extractions"),
    }
}

/// Extracts every non-empty corpus line of `reader`. `on_error` gets the
/// 1-based line number and the reason of each line that cannot be read;
/// the rest of the stream goes on.
pub fn extract_lines(
    extractor: &Extractor,
    mut reader: impl BufRead,
    out: &mut dyn Write,
    on_error: &mut dyn FnMut(usize, &str),
) -> anyhow::Result<ExtractCounts> {
    let mut counts = ExtractCounts::default();
    let mut buf = Vec::new();
    let mut line_no = 0usize;
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .context("reading input")?;
        if n == 0 {
            break;
        }
        line_no += 1;
        // Bytes, not `lines()`: one line of bad UTF-8 must not end the stream.
        let text = match std::str::from_utf8(&buf) {
            Ok(t) => t,
            Err(e) => {
                counts.bad_lines += 1;
                on_error(line_no, &format!("not UTF-8 ({e})"));
                continue;
            }
        };
        if text.trim().is_empty() {
            continue;
        }
        match parse_document_line(text.trim_end_matches(['\n', '\r'])) {
            Ok(doc) => {
                counts.documents += 1;
                if !write_one(extractor, &doc, out)? {
                    break;
                }
            }
            Err(e) => {
                counts.bad_lines += 1;
                on_error(line_no, &e);
            }
        }
    }
    Ok(counts)
}

fn extract_store(
    db: &str,
    extractor: &Extractor,
    out: &mut dyn Write,
) -> anyhow::Result<ExtractCounts> {
    let store = open_store(db)?;
    let mut counts = ExtractCounts::default();
    let mut failure: Option<anyhow::Error> = None;
    let mut open = true;
    store.for_each_document(&mut |doc| {
        if !open || failure.is_some() {
            return Ok::<(), StoreError>(());
        }
        match write_one(extractor, &doc, out) {
            Ok(true) => counts.documents += 1,
            Ok(false) => open = false,
            Err(e) => failure = Some(e),
        }
        Ok(())
    })?;
    match failure {
        Some(e) => Err(e),
        None => Ok(counts),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_lines_are_named_and_the_rest_goes_on() {
        let extractor = Extractor::embedded().unwrap();
        let input = b"{\"id\":\"a\",\"text\":\"Nothing happened.\"}\n\n\
            {\"id\":\"b\",\"text\":\"cut\n\
            \xff\xfe\n\
            {\"id\":\"c\",\"text\":\"Also nothing.\"}\n";
        let mut out = Vec::new();
        let mut errors = Vec::new();
        let counts = extract_lines(&extractor, &input[..], &mut out, &mut |n, e| {
            errors.push((n, e.to_string()))
        })
        .unwrap();
        assert_eq!(
            counts,
            ExtractCounts {
                documents: 2,
                bad_lines: 2
            }
        );
        assert_eq!(errors.iter().map(|e| e.0).collect::<Vec<_>>(), vec![3, 4]);
        let ids: Vec<String> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].to_string())
            .collect();
        assert_eq!(ids, vec!["\"a\"", "\"c\""]);
    }
}
