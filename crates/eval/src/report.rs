//! The evaluation report: counts, rates, and every miss and false report.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

/// Precision, recall and F1 from true positives, false positives and misses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Prf {
    pub tp: usize,
    pub fp: usize,
    #[serde(rename = "fn")]
    pub fn_: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Prf {
    pub fn compute(&mut self) {
        let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
        self.precision = ratio(self.tp, self.tp + self.fp);
        self.recall = ratio(self.tp, self.tp + self.fn_);
        self.f1 = if self.precision + self.recall == 0.0 {
            0.0
        } else {
            2.0 * self.precision * self.recall / (self.precision + self.recall)
        };
    }
}

/// Share of matched pairs with a field right.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Accuracy {
    pub correct: usize,
    pub total: usize,
    pub accuracy: f64,
}

impl Accuracy {
    pub fn add(&mut self, ok: bool) {
        self.total += 1;
        if ok {
            self.correct += 1;
        }
    }

    fn compute(&mut self) {
        self.accuracy = if self.total == 0 {
            1.0
        } else {
            self.correct as f64 / self.total as f64
        };
    }
}

/// One thing the extractor got wrong, with the document and the values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub document: String,
    /// `incident`, `total`, `statement` or `claim`.
    pub item: String,
    /// `missed`, `false` or `field:<name>`.
    pub problem: String,
    pub detail: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct EvalReport {
    pub documents: usize,
    pub incidents: Prf,
    /// Field accuracy over matched incidents: vessels, killed, survivors, role.
    pub incident_fields: BTreeMap<String, Accuracy>,
    /// Matching that accepts a date within one day of the gold (reported apart).
    pub incidents_relaxed: Prf,
    /// Optional: predicted and gold `date_text` overlap, over matched incidents.
    pub date_text_overlap: Accuracy,
    /// Documents with no gold incident, and incidents predicted on them.
    pub no_strike_documents: usize,
    pub no_strike_false_positives: usize,
    pub totals: Prf,
    pub total_fields: BTreeMap<String, Accuracy>,
    pub statements: Prf,
    /// Claims, on documents whose gold annotates claims.
    pub claims: Prf,
    /// The headline measures per document language (when documents are given).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub by_language: BTreeMap<String, LanguageScore>,
    pub findings: Vec<Finding>,
}

/// The headline measures over the documents of one language.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LanguageScore {
    pub documents: usize,
    pub incidents: Prf,
    pub killed: Accuracy,
    pub totals: Prf,
    pub statements: Prf,
    pub no_strike_false_positives: usize,
}

impl LanguageScore {
    pub(crate) fn of(report: &EvalReport) -> LanguageScore {
        LanguageScore {
            documents: report.documents,
            incidents: report.incidents,
            killed: report
                .incident_fields
                .get("killed")
                .copied()
                .unwrap_or(Accuracy {
                    correct: 0,
                    total: 0,
                    accuracy: 1.0,
                }),
            totals: report.totals,
            statements: report.statements,
            no_strike_false_positives: report.no_strike_false_positives,
        }
    }
}

impl EvalReport {
    pub(crate) fn finish(&mut self) {
        for p in [
            &mut self.incidents,
            &mut self.incidents_relaxed,
            &mut self.totals,
            &mut self.statements,
            &mut self.claims,
        ] {
            p.compute();
        }
        for a in self
            .incident_fields
            .values_mut()
            .chain(self.total_fields.values_mut())
        {
            a.compute();
        }
        self.date_text_overlap.compute();
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }

    /// A readable table of the figures, then every finding.
    pub fn to_table(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "documents scored: {}", self.documents);
        let _ = writeln!(
            s,
            "{:<28} {:>5} {:>5} {:>5} {:>9} {:>7} {:>6}",
            "", "tp", "fp", "fn", "precision", "recall", "f1"
        );
        for (name, p) in [
            ("incidents", &self.incidents),
            ("incidents (date ±1 day)", &self.incidents_relaxed),
            ("totals", &self.totals),
            ("statements", &self.statements),
            ("claims", &self.claims),
        ] {
            let _ = writeln!(
                s,
                "{:<28} {:>5} {:>5} {:>5} {:>9.3} {:>7.3} {:>6.3}",
                name, p.tp, p.fp, p.fn_, p.precision, p.recall, p.f1
            );
        }
        let _ = writeln!(s);
        let _ = writeln!(
            s,
            "{:<28} {:>7} {:>5} {:>8}",
            "field accuracy", "correct", "of", "accuracy"
        );
        for (prefix, fields) in [
            ("incident.", &self.incident_fields),
            ("total.", &self.total_fields),
        ] {
            for (name, a) in fields {
                let _ = writeln!(
                    s,
                    "{:<28} {:>7} {:>5} {:>8.3}",
                    format!("{prefix}{name}"),
                    a.correct,
                    a.total,
                    a.accuracy
                );
            }
        }
        let a = &self.date_text_overlap;
        let _ = writeln!(
            s,
            "{:<28} {:>7} {:>5} {:>8.3}",
            "incident.date_text overlap", a.correct, a.total, a.accuracy
        );
        let _ = writeln!(
            s,
            "\nincidents invented on {} no-strike documents: {}",
            self.no_strike_documents, self.no_strike_false_positives
        );
        if !self.by_language.is_empty() {
            self.write_languages(&mut s);
        }
        if !self.findings.is_empty() {
            let _ = writeln!(s, "\nfindings ({}):", self.findings.len());
            for f in &self.findings {
                let _ = writeln!(
                    s,
                    "  {:<10} {:<10} {:<18} {}",
                    f.document, f.item, f.problem, f.detail
                );
            }
        }
        s
    }

    /// One line per language: incidents P/R, killed exact, totals F1,
    /// statements P/R, strikes invented on no-strike documents.
    fn write_languages(&self, s: &mut String) {
        let _ = writeln!(
            s,
            "\n{:<6} {:>5} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7} {:>9}",
            "lang", "docs", "inc P", "inc R", "killed", "tot F1", "stm P", "stm R", "invented"
        );
        for (lang, l) in &self.by_language {
            let _ = writeln!(
                s,
                "{:<6} {:>5} {:>7.3} {:>7.3} {:>7.3} {:>7.3} {:>7.3} {:>7.3} {:>9}",
                lang,
                l.documents,
                l.incidents.precision,
                l.incidents.recall,
                l.killed.accuracy,
                l.totals.f1,
                l.statements.precision,
                l.statements.recall,
                l.no_strike_false_positives
            );
        }
    }
}
