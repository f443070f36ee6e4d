//! Full resolution of 100,000 synthetic documents (one in ten stating a
//! running total), the cost of reconciling those totals against the ledger,
//! and the cost of adding one more document to a loaded resolver and to a
//! live (reviewed, reconciled) ledger. Plain std timing: `cargo bench -p
//! strikewatch-resolve`.

use std::time::Instant;

use chrono::{Duration, NaiveDate};
use strikewatch_model::{
    DatePrecision, Extraction, ReportRole, RunningTotal, SourceKind, Span, StrikeReport,
};
use strikewatch_resolve::{
    DocMeta, LiveResolver, ResolveConfig, ResolveInput, Resolver, SourceDocument,
    apply_reviews_with,
};

/// A small deterministic generator (xorshift), so runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

struct Strike {
    date: NaiveDate,
    region: &'static str,
    vessels: u32,
    killed: u32,
}

fn report(s: &Strike, rng: &mut Rng, role: ReportRole) -> StrikeReport {
    let mut date = Some(s.date);
    let mut precision = DatePrecision::Day;
    let roll = rng.below(100);
    if roll < 3 {
        // A rival account a day off.
        date = Some(s.date + Duration::days(1));
    } else if roll < 6 {
        date = None;
        precision = DatePrecision::Unknown;
    }
    let killed = if rng.below(10) == 0 {
        s.killed + 1
    } else {
        s.killed
    };
    StrikeReport {
        date,
        date_precision: precision,
        date_from: date,
        date_to: date,
        date_text: None,
        region: if rng.below(5) == 0 {
            None
        } else {
            Some(s.region.to_string())
        },
        location_text: None,
        coordinates: None,
        vessels: Some(s.vessels),
        killed: Some(killed),
        killed_at_least: false,
        survivors: None,
        target_group: None,
        announced_by: if rng.below(3) == 0 {
            Some("U.S. Southern Command".into())
        } else {
            None
        },
        role,
        evidence: Default::default(),
        confidence: Default::default(),
    }
}

fn corpus(n_docs: usize, seed: u64) -> Vec<SourceDocument> {
    let mut rng = Rng(seed);
    let start = NaiveDate::from_ymd_opt(2025, 9, 1).unwrap_or_default();
    let strikes: Vec<Strike> = (0..n_docs / 40)
        .map(|_| Strike {
            date: start + Duration::days(rng.below(365) as i64),
            region: if rng.below(2) == 0 {
                "caribbean"
            } else {
                "eastern_pacific"
            },
            vessels: 1 + rng.below(3) as u32,
            killed: 1 + rng.below(14) as u32,
        })
        .collect();
    let mut by_day: Vec<(NaiveDate, u32)> = strikes.iter().map(|s| (s.date, s.killed)).collect();
    by_day.sort();
    let stated = |day: NaiveDate| -> (u32, u32) {
        let upto = by_day.partition_point(|(d, _)| *d <= day);
        let killed = by_day[..upto].iter().map(|(_, k)| k).sum();
        (u32::try_from(upto).unwrap_or(u32::MAX), killed)
    };
    (0..n_docs)
        .map(|i| {
            let main = &strikes[rng.below(strikes.len() as u64) as usize];
            let mut incidents = vec![report(main, &mut rng, ReportRole::Main)];
            if rng.below(2) == 0 {
                let bg = &strikes[rng.below(strikes.len() as u64) as usize];
                incidents.push(report(bg, &mut rng, ReportRole::Background));
            }
            let published = main.date + Duration::days(rng.below(4) as i64);
            let mut totals = Vec::new();
            if rng.below(10) == 0 {
                let (strikes, killed) = stated(published);
                let text = format!("{strikes} strikes, {killed} killed");
                totals.push(RunningTotal {
                    as_of: Some(published),
                    strikes: Some(strikes),
                    killed: Some(killed + rng.below(3) as u32),
                    survivors: None,
                    killed_at_least: rng.below(2) == 0,
                    attributed_to: None,
                    span: Span {
                        start: 0,
                        end: text.len(),
                        text: text.clone(),
                    },
                    text,
                    evidence: Default::default(),
                    confidence: Default::default(),
                });
            }
            SourceDocument {
                meta: DocMeta {
                    id: format!("syn-{seed}-{i:06}"),
                    url: Some(format!("https://example.org/outlet-{}/{i}", rng.below(40))),
                    title: None,
                    published: Some(published),
                    source: None,
                    source_kind: if rng.below(8) == 0 {
                        SourceKind::Official
                    } else {
                        SourceKind::News
                    },
                },
                extraction: Extraction {
                    id: format!("syn-{seed}-{i:06}"),
                    incidents,
                    totals,
                    ..Extraction::default()
                },
            }
        })
        .collect()
}

fn main() {
    let n: usize = std::env::var("RESOLVE_BENCH_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let Ok(cfg) = ResolveConfig::bundled() else {
        eprintln!("bundled resolution data does not load");
        return;
    };
    let Ok(cfg_again) = ResolveConfig::bundled() else {
        eprintln!("bundled resolution data does not load");
        return;
    };
    let mut documents = corpus(n + 20, 7);
    let extra = documents.split_off(n);
    let input = ResolveInput { documents };
    let t = Instant::now();
    let Ok(mut resolver) = Resolver::from_input(cfg, &input) else {
        eprintln!("full resolve failed");
        return;
    };
    let resolve_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let ledger = resolver.ledger();
    let ledger_s = t.elapsed().as_secs_f64();
    println!(
        "full resolve: {n} documents -> {} incidents, {} unplaced: {resolve_s:.2} s (+ {ledger_s:.2} s to assemble and reconcile the ledger)",
        ledger.incidents.len(),
        ledger.unplaced.len()
    );
    let t = Instant::now();
    let again = apply_reviews_with(&ledger, &[], &cfg_again);
    let reconcile_s = t.elapsed().as_secs_f64();
    let mut rules: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for s in again.incidents.iter().filter_map(|i| i.suspect.as_ref()) {
        *rules.entry(s.rule.as_str()).or_default() += 1;
    }
    let suspect = format!("{rules:?}");
    println!(
        "reconciliation: {} stated totals against {} incidents, suspect by rule {suspect}: {reconcile_s:.3} s (whole ledger copied and settled)",
        again.reconciliation.len(),
        again.incidents.len()
    );
    std::hint::black_box(again);

    let mut times: Vec<f64> = Vec::new();
    for doc in extra {
        let t = Instant::now();
        let delta = resolver.add(doc);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(delta);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "single add with {n} loaded: median {:.2} ms, max {:.2} ms over {} adds",
        times[times.len() / 2],
        times[times.len() - 1],
        times.len()
    );

    // The live ledger re-reconciles every stated total on each update.
    let more = corpus(n + 20, 8).split_off(n);
    let mut live = LiveResolver::new(resolver, Vec::new());
    let mut times: Vec<f64> = Vec::new();
    for doc in more {
        let t = Instant::now();
        let delta = live.add(doc);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(delta);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "single add to the live, reconciled ledger: median {:.2} ms, max {:.2} ms over {} adds",
        times[times.len() / 2],
        times[times.len() - 1],
        times.len()
    );
}
