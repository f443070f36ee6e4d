//! The matching rules of each section of the scoring.

use unicode_normalization::UnicodeNormalization;

use strikewatch_model::{Extraction, ReportRole, RunningTotal, StrikeReport};

use crate::report::{EvalReport, Finding};
use strikewatch_gold::{GoldDoc, GoldIncident, GoldTotal};

fn finding(report: &mut EvalReport, doc: &str, item: &str, problem: &str, detail: String) {
    report.findings.push(Finding {
        document: doc.to_string(),
        item: item.to_string(),
        problem: problem.to_string(),
        detail,
    });
}

fn show(v: Option<u32>) -> String {
    v.map_or("null".into(), |x| x.to_string())
}

fn role_str(r: ReportRole) -> &'static str {
    match r {
        ReportRole::Main => "main",
        ReportRole::Background => "background",
    }
}

fn describe_pred(p: &StrikeReport) -> String {
    format!(
        "date={} region={} vessels={} killed={} survivors={} role={} date_text={:?}",
        p.date.map_or("null".into(), |d| d.to_string()),
        p.region.as_deref().unwrap_or("null"),
        show(p.vessels),
        show(p.killed),
        show(p.survivors),
        role_str(p.role),
        p.date_text.as_deref().unwrap_or("")
    )
}

fn describe_gold(g: &GoldIncident) -> String {
    format!(
        "date={} region={} vessels={} killed={} survivors={} role={} date_text={:?}",
        g.date.map_or("null".into(), |d| d.to_string()),
        g.region.as_deref().unwrap_or("null"),
        show(g.vessels),
        show(g.killed),
        show(g.survivors),
        role_str(g.role),
        g.date_text.as_deref().unwrap_or("")
    )
}

fn field_agreement(g: &GoldIncident, p: &StrikeReport) -> usize {
    usize::from(g.vessels == p.vessels)
        + usize::from(g.killed == p.killed)
        + usize::from(g.survivors == p.survivors)
        + usize::from(g.role == p.role)
}

/// Pairs gold with predictions whose key agrees (`key_ok`), choosing among
/// several the one that agrees on most fields. Returns (gold, pred) pairs.
fn pair_incidents(
    gold: &[GoldIncident],
    pred: &[StrikeReport],
    key_ok: impl Fn(&GoldIncident, &StrikeReport) -> bool,
) -> Vec<(usize, usize)> {
    let mut used = vec![false; pred.len()];
    let mut pairs = Vec::new();
    for (gi, g) in gold.iter().enumerate() {
        let best = (0..pred.len())
            .filter(|&pi| !used[pi] && key_ok(g, &pred[pi]))
            .max_by_key(|&pi| (field_agreement(g, &pred[pi]), std::cmp::Reverse(pi)));
        if let Some(pi) = best {
            used[pi] = true;
            pairs.push((gi, pi));
        }
    }
    pairs
}

fn same_key(g: &GoldIncident, p: &StrikeReport) -> bool {
    g.date == p.date && g.region == p.region
}

fn near_key(g: &GoldIncident, p: &StrikeReport) -> bool {
    let date_ok = match (g.date, p.date) {
        (Some(a), Some(b)) => (a - b).num_days().abs() <= 1,
        (None, None) => true,
        _ => false,
    };
    date_ok && g.region == p.region
}

fn overlaps(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_lowercase(), b.to_lowercase());
    !a.is_empty() && !b.is_empty() && (a.contains(&b) || b.contains(&a))
}

pub fn score_incidents(report: &mut EvalReport, g: &GoldDoc, p: &Extraction) {
    let pairs = pair_incidents(&g.incidents, &p.incidents, same_key);
    report.incidents.tp += pairs.len();
    report.incidents.fp += p.incidents.len() - pairs.len();
    report.incidents.fn_ += g.incidents.len() - pairs.len();
    if g.incidents.is_empty() {
        report.no_strike_documents += 1;
        report.no_strike_false_positives += p.incidents.len();
    }
    for &(gi, pi) in &pairs {
        let (gold, pred) = (&g.incidents[gi], &p.incidents[pi]);
        let checks = [
            (
                "vessels",
                gold.vessels == pred.vessels,
                show(gold.vessels),
                show(pred.vessels),
            ),
            (
                "killed",
                gold.killed == pred.killed,
                show(gold.killed),
                show(pred.killed),
            ),
            (
                "survivors",
                gold.survivors == pred.survivors,
                show(gold.survivors),
                show(pred.survivors),
            ),
            (
                "role",
                gold.role == pred.role,
                role_str(gold.role).to_string(),
                role_str(pred.role).to_string(),
            ),
        ];
        for (name, ok, want, got) in checks {
            report
                .incident_fields
                .entry(name.to_string())
                .or_default()
                .add(ok);
            if !ok {
                let key = format!(
                    "{} {}",
                    gold.date.map_or("null".into(), |d| d.to_string()),
                    gold.region.as_deref().unwrap_or("null")
                );
                finding(
                    report,
                    &g.id,
                    "incident",
                    &format!("field:{name}"),
                    format!("[{key}] gold {want}, got {got}"),
                );
            }
        }
        if let Some(gt) = gold.date_text.as_deref() {
            report
                .date_text_overlap
                .add(pred.date_text.as_deref().is_some_and(|pt| overlaps(gt, pt)));
        }
    }
    for (gi, gold) in g.incidents.iter().enumerate() {
        if !pairs.iter().any(|&(x, _)| x == gi) {
            finding(report, &g.id, "incident", "missed", describe_gold(gold));
        }
    }
    for (pi, pred) in p.incidents.iter().enumerate() {
        if !pairs.iter().any(|&(_, x)| x == pi) {
            finding(report, &g.id, "incident", "false", describe_pred(pred));
        }
    }
    let relaxed = pair_incidents(&g.incidents, &p.incidents, near_key);
    report.incidents_relaxed.tp += relaxed.len();
    report.incidents_relaxed.fp += p.incidents.len() - relaxed.len();
    report.incidents_relaxed.fn_ += g.incidents.len() - relaxed.len();
}

fn describe_total(
    as_of: Option<chrono::NaiveDate>,
    strikes: Option<u32>,
    killed: Option<u32>,
    survivors: Option<u32>,
    text: &str,
) -> String {
    format!(
        "as_of={} strikes={} killed={} survivors={} text={:?}",
        as_of.map_or("null".into(), |d| d.to_string()),
        show(strikes),
        show(killed),
        show(survivors),
        text
    )
}

pub fn score_totals(report: &mut EvalReport, g: &GoldDoc, p: &Extraction) {
    let mut used = vec![false; p.totals.len()];
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for (gi, gt) in g.totals.iter().enumerate() {
        let rank = |t: &RunningTotal| {
            (
                usize::from(t.killed == gt.killed),
                usize::from(t.strikes == gt.strikes),
            )
        };
        let best = (0..p.totals.len())
            .filter(|&pi| !used[pi] && p.totals[pi].as_of == gt.as_of)
            .max_by_key(|&pi| (rank(&p.totals[pi]), std::cmp::Reverse(pi)));
        if let Some(pi) = best {
            used[pi] = true;
            pairs.push((gi, pi));
        }
    }
    report.totals.tp += pairs.len();
    report.totals.fp += p.totals.len() - pairs.len();
    report.totals.fn_ += g.totals.len() - pairs.len();
    for &(gi, pi) in &pairs {
        let (gold, pred): (&GoldTotal, &RunningTotal) = (&g.totals[gi], &p.totals[pi]);
        for (name, want, got) in [
            ("strikes", gold.strikes, pred.strikes),
            ("killed", gold.killed, pred.killed),
            ("survivors", gold.survivors, pred.survivors),
        ] {
            let ok = want == got;
            report
                .total_fields
                .entry(name.to_string())
                .or_default()
                .add(ok);
            if !ok {
                let key = gold.as_of.map_or("null".into(), |d| d.to_string());
                finding(
                    report,
                    &g.id,
                    "total",
                    &format!("field:{name}"),
                    format!("[{key}] gold {}, got {}", show(want), show(got)),
                );
            }
        }
    }
    for (gi, gt) in g.totals.iter().enumerate() {
        if !pairs.iter().any(|&(x, _)| x == gi) {
            let d = describe_total(
                gt.as_of,
                gt.strikes,
                gt.killed,
                gt.survivors,
                gt.text.as_deref().unwrap_or(""),
            );
            finding(report, &g.id, "total", "missed", d);
        }
    }
    for (pi, pt) in p.totals.iter().enumerate() {
        if !pairs.iter().any(|&(_, x)| x == pi) {
            let d = describe_total(pt.as_of, pt.strikes, pt.killed, pt.survivors, &pt.text);
            finding(report, &g.id, "total", "false", d);
        }
    }
}

/// NFC, curly quotes made straight, whitespace collapsed, trailing
/// punctuation stripped, lower case.
pub fn normalize_quote(s: &str) -> String {
    let nfc: String = s.nfc().collect();
    let straight: String = nfc
        .chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{2032}' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' | '\u{2033}' => '"',
            c => c,
        })
        .collect();
    let collapsed = straight.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed
        .trim_end_matches(|c: char| c.is_ascii_punctuation() || c == '…' || c.is_whitespace())
        .to_lowercase()
}

fn quote_match(gold: &str, pred: &str) -> bool {
    let (g, p) = (normalize_quote(gold), normalize_quote(pred));
    if g.is_empty() || p.is_empty() || !(g.starts_with(&p) || p.starts_with(&g)) {
        return false;
    }
    let gold_words = g.split_whitespace().count();
    let shared = g
        .split_whitespace()
        .zip(p.split_whitespace())
        .take_while(|(a, b)| a == b)
        .count();
    shared >= gold_words.min(6)
}

/// Pairs each gold item with the first unused prediction `same` accepts,
/// records every miss and every false report under `(document, item)`, and returns the
/// (true positive, false positive, false negative) counts.
fn match_greedily<G, P>(
    report: &mut EvalReport,
    (doc, item): (&str, &str),
    gold: &[G],
    predicted: &[P],
    same: impl Fn(&G, &P) -> bool,
    describe_gold: impl Fn(&G) -> String,
    describe_predicted: impl Fn(&P) -> String,
) -> (usize, usize, usize) {
    let mut used = vec![false; predicted.len()];
    let mut tp = 0;
    for g in gold {
        match (0..predicted.len()).find(|&i| !used[i] && same(g, &predicted[i])) {
            Some(i) => {
                used[i] = true;
                tp += 1;
            }
            None => finding(report, doc, item, "missed", describe_gold(g)),
        }
    }
    for (p, _) in predicted.iter().zip(&used).filter(|(_, used)| !**used) {
        finding(report, doc, item, "false", describe_predicted(p));
    }
    (tp, predicted.len() - tp, gold.len() - tp)
}

pub fn score_statements(report: &mut EvalReport, g: &GoldDoc, p: &Extraction) {
    let (tp, fp, fn_) = match_greedily(
        report,
        (&g.id, "statement"),
        &g.statements,
        &p.statements,
        |gs, ps| {
            ps.speaker.to_lowercase() == gs.speaker.to_lowercase()
                && quote_match(&gs.quote_start, &ps.quote_start)
        },
        |gs| format!("{}: {:?}", gs.speaker, gs.quote_start),
        |ps| format!("{}: {:?}", ps.speaker, ps.quote_start),
    );
    report.statements.tp += tp;
    report.statements.fp += fp;
    report.statements.fn_ += fn_;
}

pub fn score_claims(report: &mut EvalReport, g: &GoldDoc, p: &Extraction) {
    let Some(gold_claims) = &g.claims else { return };
    let (tp, fp, fn_) = match_greedily(
        report,
        (&g.id, "claim"),
        gold_claims,
        &p.claims,
        |gc, pc| {
            let want = normalize_quote(&gc.text);
            let got = normalize_quote(&pc.text);
            pc.kind == gc.kind && !got.is_empty() && (want.contains(&got) || got.contains(&want))
        },
        |gc| format!("{}: {:?}", gc.kind.as_str(), gc.text),
        |pc| format!("{}: {:?}", pc.kind.as_str(), pc.text),
    );
    report.claims.tp += tp;
    report.claims.fp += fp;
    report.claims.fn_ += fn_;
}
