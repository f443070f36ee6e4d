//! `bench`: generated corpus documents (about 2 KB each) for measuring
//! ingest throughput and for crash tests.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use strikewatch_ingest::{IngestOptions, Ingester, collect_inputs};
use strikewatch_store::{SqliteStore, Store};

use crate::progress::TerminalProgress;
use crate::{BenchGenerateArgs, BenchIngestArgs};

const OUTLETS: [&str; 3] = ["Sample Wire", "Demo Daily", "Test Tribune"];
const KINDS: [&str; 3] = ["news", "official_post", "analysis"];

/// A small deterministic generator, so every run writes the same corpus.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n.max(1)
    }
}

const MONTHS_EN: [&str; 12] = [
    "Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.",
    "Dec.",
];
const MONTHS_ES: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];

/// The generated campaign: one strike every third day for a year from
/// 2025-09-02, each with its own region and toll, so a ledger built from the
/// corpus has a few hundred incidents, each reported by many documents.
fn strike(n: u64) -> (chrono::NaiveDate, usize, u64) {
    let first = chrono::NaiveDate::from_ymd_opt(2025, 9, 2).unwrap_or_default();
    let day = first + chrono::Duration::days(3 * n as i64);
    let mixed = n.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
    (day, (mixed % 2) as usize, 1 + mixed % 11)
}

fn document_line(i: u64, rng: &mut Lcg) -> Result<String, serde_json::Error> {
    use chrono::Datelike;
    let (day, region_index, true_killed) = strike(rng.next(120));
    // One report in ten disagrees by one death, as real counts do.
    let killed = if rng.next(10) == 0 {
        true_killed + 1
    } else {
        true_killed
    };
    let published = day + chrono::Duration::days(rng.next(2) as i64);
    let month = (day.month0()) as usize;
    let outlet = OUTLETS[rng.next(OUTLETS.len() as u64) as usize];
    let spanish = i % 7 == 3;
    let lead = if spanish {
        let region = ["el Caribe", "el Pacífico oriental"][region_index];
        format!(
            "CARACAS ({outlet}) — Fuerzas de Estados Unidos atacaron una lancha en {region} el {} \
             de {}, y murieron {killed} personas a bordo, según un breve comunicado oficial que \
             no dio más detalles sobre la operación.",
            day.day(),
            MONTHS_ES[month]
        )
    } else {
        let region = ["southern Caribbean", "eastern Pacific"][region_index];
        format!(
            "WASHINGTON ({outlet}) — The U.S. military struck a vessel in the {region} on {} {}, \
             killing {killed} people aboard, officials said in a short statement that gave no \
             further details about the operation or the people on board.",
            MONTHS_EN[month],
            day.day()
        )
    };
    let mut paragraphs = vec![lead];
    let fillers: &[&str] = if spanish {
        &[
            "El ataque es el más reciente de una campaña contra embarcaciones que, según el \
             gobierno, transportan drogas. No se presentaron pruebas sobre la identidad de los \
             fallecidos ni sobre la carga.",
            "Organizaciones de derechos humanos pidieron una investigación independiente y \
             cuestionaron la base legal de los ataques en aguas internacionales.",
        ]
    } else {
        &[
            "The strike was the latest in a campaign against boats the administration says carry \
             drugs. Officials have not released evidence about the identities of those killed or \
             the cargo, and lawmakers from both parties have asked for the legal basis.",
            "A defense official, speaking on condition of anonymity, said the vessel had been \
             tracked for several hours before the strike. No U.S. forces were harmed, the official \
             said, and the military did not say whether anyone survived the attack.",
            "Analysts who follow the campaign said the pace of strikes had increased in recent \
             weeks. Running totals kept by reporters differ by one to three deaths because some \
             strikes were announced days later and some figures were revised.",
            "Human rights groups said the strikes raised questions under international law and \
             asked for an independent review. The government said every action complied with the \
             law of armed conflict and that the targets were members of designated groups.",
        ]
    };
    while paragraphs.iter().map(String::len).sum::<usize>() < 1800 {
        paragraphs.push(fillers[rng.next(fillers.len() as u64) as usize].to_string());
    }
    let region_word = ["Caribbean", "eastern Pacific"][region_index];
    serde_json::to_string(&serde_json::json!({
        "id": format!("bench-{i:07}"),
        "url": format!("https://example.org/bench/{i}"),
        "published_at": format!("{published}T12:00:00Z"),
        "language": if spanish { "es" } else { "en" },
        "source_kind": KINDS[(i % 3) as usize],
        "title": format!("[sample] Strike in the {region_word} kills {killed}"),
        "text": paragraphs.join("\n\n"),
    }))
}

pub fn generate(out: &Path, docs: u64) -> anyhow::Result<u64> {
    let file = File::create(out).with_context(|| format!("creating {}", out.display()))?;
    let mut w = BufWriter::new(file);
    let mut rng = Lcg(0x5eed);
    let mut bytes = 0u64;
    for i in 1..=docs {
        let line = document_line(i, &mut rng)?;
        w.write_all(line.as_bytes())?;
        w.write_all(b"\n")?;
        bytes += line.len() as u64 + 1;
    }
    w.flush()?;
    Ok(bytes)
}

pub fn run_generate(args: &BenchGenerateArgs) -> anyhow::Result<ExitCode> {
    let bytes = generate(&args.out, args.docs)?;
    say!(
        "wrote {} documents ({bytes} bytes) to {}",
        args.docs,
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn scratch_dir() -> anyhow::Result<PathBuf> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let dir =
        std::env::temp_dir().join(format!("strikewatch-bench-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    Ok(dir)
}

pub fn run_ingest(args: &BenchIngestArgs) -> anyhow::Result<ExitCode> {
    let dir = scratch_dir()?;
    let input = dir.join("bench.jsonl");
    let started = Instant::now();
    let bytes = generate(&input, args.docs)?;
    let generated = started.elapsed();

    let store = SqliteStore::open(&dir.join("bench.db"))?;
    let (files, skips) = collect_inputs(std::slice::from_ref(&input));
    let options = IngestOptions {
        max_bytes: u64::MAX,
        ..IngestOptions::default()
    };
    let started = Instant::now();
    let mut progress = TerminalProgress::new();
    let summary = Ingester::new(&store, options, &mut progress).run(&files, &skips)?;
    let took = started.elapsed().as_secs_f64();
    progress.finish();
    let counts = store.counts()?;
    drop(store);

    say!(
        "generated {} documents ({bytes} bytes) in {:.2}s",
        args.docs,
        generated.as_secs_f64()
    );
    say!("{}", summary.line());
    say!(
        "ingest: {:.2}s, {:.0} documents/s, {:.1} MB/s (hashing, archiving and commits included); store holds {} documents",
        took,
        summary.documents_added as f64 / took.max(1e-9),
        bytes as f64 / 1e6 / took.max(1e-9),
        counts.documents
    );
    if args.keep {
        say!("kept {}", dir.display());
    } else {
        std::fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    Ok(ExitCode::SUCCESS)
}
