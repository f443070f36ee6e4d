//! Reports flattened for resolution: one strike report of one document, with
//! the facts clustering needs and the [`IncidentReport`] the ledger shows.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{Duration, NaiveDate};
use strikewatch_model::ledger::{IncidentReport, ReportPart};
use strikewatch_model::{DatePrecision, Extraction, SourceKind, Span};

use crate::config::ResolveConfig;
use crate::input::DocMeta;

/// Identifies a report: document id and index in its extraction.
pub(crate) type RepKey = (Arc<str>, usize);

/// Where a report can sit on the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Placement {
    /// One known day.
    Day(NaiveDate),
    /// A short inclusive range of days.
    Range(NaiveDate, NaiveDate),
    /// No usable date: it may only join an incident inside this window
    /// (`None`: it can join none).
    Loose(Option<(NaiveDate, NaiveDate)>),
}

#[derive(Debug, Clone)]
pub(crate) struct Rep {
    pub key: RepKey,
    pub placement: Placement,
    pub report: IncidentReport,
}

/// Sort key for "earliest published first": undated publications last, then
/// document id and report index, so it never depends on insertion order.
pub(crate) type EarliestKey = (bool, Option<NaiveDate>, Arc<str>, usize);

impl Rep {
    pub fn earliest_key(&self) -> EarliestKey {
        (
            self.report.published.is_none(),
            self.report.published,
            self.key.0.clone(),
            self.key.1,
        )
    }

    /// The order in which reports are offered to clusters: the striking
    /// party's first, then earliest published.
    pub fn offer_key(&self) -> (bool, EarliestKey) {
        (!self.report.official, self.earliest_key())
    }

    pub fn doc(&self) -> &str {
        &self.key.0
    }

    pub fn official(&self) -> bool {
        self.report.official
    }

    /// First and last day the report can be about, for window bookkeeping.
    pub fn span_days(&self) -> Option<(NaiveDate, NaiveDate)> {
        match self.placement {
            Placement::Day(d) => Some((d, d)),
            Placement::Range(f, t) => Some((f, t)),
            Placement::Loose(w) => w,
        }
    }
}

/// Flattens one document's strike reports.
pub(crate) fn reps_of(
    meta: &DocMeta,
    extraction: &Extraction,
    cfg: &ResolveConfig,
) -> Vec<Arc<Rep>> {
    let doc: Arc<str> = Arc::from(meta.id.as_str());
    let lookback = Duration::days(cfg.dates.undated_lookback_days);
    let max_range = cfg.dates.max_range_days;
    let reps = extraction
        .incidents
        .iter()
        .enumerate()
        .map(|(index, r)| {
            let official = meta.source_kind == SourceKind::Official
                || r.announced_by
                    .as_deref()
                    .is_some_and(|a| cfg.is_official_actor(a));
            let range = match (r.date_from, r.date_to) {
                (Some(f), Some(t)) => Some((f.min(t), f.max(t))),
                (Some(d), None) | (None, Some(d)) => Some((d, d)),
                (None, None) => None,
            };
            let day = match r.date_precision {
                DatePrecision::Range => None,
                _ => r.date.or(range.filter(|(f, t)| f == t).map(|(f, _)| f)),
            };
            let undated_window = meta
                .published
                .and_then(|p| p.checked_sub_signed(lookback).map(|f| (f, p)));
            let placement = match (day, range) {
                (Some(d), _) => Placement::Day(d),
                (None, Some((f, t))) if (t - f).num_days() <= max_range => {
                    if f == t {
                        Placement::Day(f)
                    } else {
                        Placement::Range(f, t)
                    }
                }
                (None, Some((f, t))) if (t - f).num_days() <= cfg.dates.undated_lookback_days => {
                    Placement::Loose(Some((f, t)))
                }
                (None, Some(_)) => Placement::Loose(None),
                (None, None) => Placement::Loose(undated_window),
            };
            let (date, date_from, date_to) = match placement {
                Placement::Day(d) => (Some(d), Some(d), Some(d)),
                Placement::Range(f, t) => (None, Some(f), Some(t)),
                Placement::Loose(_) => (None, range.map(|x| x.0), range.map(|x| x.1)),
            };
            let report = IncidentReport {
                document_id: meta.id.clone(),
                report_index: index,
                url: meta.url.clone(),
                title: meta.title.clone(),
                published: meta.published,
                source_kind: meta.source_kind,
                official,
                role: r.role,
                date,
                date_text: r.date_text.clone(),
                region: r
                    .region
                    .as_ref()
                    .map(|x| x.trim().to_lowercase())
                    .filter(|x| !x.is_empty()),
                vessels: r.vessels,
                killed: r.killed,
                survivors: r.survivors,
                evidence: r.evidence.clone(),
                date_from,
                date_to,
                killed_at_least: r.killed_at_least,
                announced_by: r.announced_by.clone(),
                undated: matches!(placement, Placement::Loose(_)),
                source: meta.source.clone(),
                location_text: r.location_text.clone(),
                coordinates: r.coordinates.filter(|c| valid_point(*c)),
                parts: Vec::new(),
            };
            Rep {
                key: (doc.clone(), index),
                placement,
                report,
            }
        })
        .collect::<Vec<Rep>>();
    join_announcements(reps, cfg)
        .into_iter()
        .map(Arc::new)
        .collect()
}

/// The reports of one document that are one announcement covering several
/// seas ("three boats, two in the eastern Pacific and one in the
/// Caribbean, killing 11"): same day, same date words, different seas.
/// They become one report with per-sea parts, so the combined toll is
/// counted once and never set against one sea's share.
fn join_announcements(reps: Vec<Rep>, cfg: &ResolveConfig) -> Vec<Rep> {
    let mut groups: BTreeMap<(NaiveDate, usize, usize), Vec<usize>> = BTreeMap::new();
    for (i, rep) in reps.iter().enumerate() {
        if let (Placement::Day(d), Some(_), Some(span)) = (
            rep.placement,
            rep.report.region.as_ref(),
            rep.report.evidence.get("date"),
        ) {
            groups.entry((d, span.start, span.end)).or_default().push(i);
        }
    }
    let mut joined: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for members in groups.into_values() {
        let seas: BTreeSet<&str> = members
            .iter()
            .filter_map(|i| reps[*i].report.region.as_deref())
            .collect();
        if seas.len() >= 2
            && let Some(first) = members.first()
        {
            joined.insert(*first, members);
        }
    }
    if joined.is_empty() {
        return reps;
    }
    let absorbed: BTreeSet<usize> = joined.values().flatten().copied().collect();
    let mut out = Vec::with_capacity(reps.len());
    for (i, rep) in reps.iter().enumerate() {
        if let Some(members) = joined.get(&i) {
            let parts: Vec<&Rep> = members.iter().map(|m| &reps[*m]).collect();
            out.push(announcement(&parts, cfg));
        } else if !absorbed.contains(&i) {
            out.push(rep.clone());
        }
    }
    out
}

/// True when a death figure's own evidence states a different number in
/// digits ("killing 11 men" read as 14): the figure is then not trusted.
fn contradicts_evidence(value: u32, evidence: Option<&Span>) -> bool {
    let Some(span) = evidence else { return false };
    let numbers: Vec<u32> = span
        .text
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|w| w.parse().ok())
        .collect();
    !numbers.is_empty() && !numbers.contains(&value)
}

/// One report for an announcement's per-sea reports.
fn announcement(parts: &[&Rep], cfg: &ResolveConfig) -> Rep {
    // Where the last sea is named: a toll right after it covers them all.
    let sea_end = parts
        .iter()
        .filter_map(|p| p.report.evidence.get("region"))
        .map(|s| s.end)
        .max();
    let reach = cfg.announcement.combined_toll_reach;
    let mut combined: Option<u32> = None;
    let mut report_parts = Vec::with_capacity(parts.len());
    let mut evidence: BTreeMap<String, Span> = BTreeMap::new();
    for p in parts {
        let r = &p.report;
        let sea = r.region.clone().unwrap_or_default();
        let span = r.evidence.get("killed");
        let trusted = r.killed.filter(|k| !contradicts_evidence(*k, span));
        let is_combined = match (span, sea_end) {
            (Some(s), Some(end)) => s.start >= end && s.start <= end + reach,
            _ => false,
        };
        let own = match (trusted, is_combined) {
            (Some(k), true) => {
                combined = Some(combined.map_or(k, |c| c.max(k)));
                None
            }
            (k, _) => k,
        };
        for (field, span) in &r.evidence {
            let per_sea = matches!(field.as_str(), "region" | "vessels" | "survivors")
                || (field == "killed" && !is_combined);
            let key = if per_sea {
                format!("{field} ({sea})")
            } else {
                field.clone()
            };
            evidence.entry(key).or_insert_with(|| span.clone());
        }
        report_parts.push(ReportPart {
            report_index: p.key.1,
            region: sea,
            vessels: r.vessels,
            killed: own.filter(|_| !r.killed_at_least),
        });
    }
    let shares: Vec<u32> = report_parts.iter().filter_map(|p| p.killed).collect();
    let all_shared = shares.len() == report_parts.len();
    let (killed, at_least) = match combined {
        Some(c) => (Some(c), false),
        None if shares.is_empty() => (None, false),
        None => (Some(shares.iter().sum()), !all_shared),
    };
    let vessels: Vec<u32> = parts.iter().filter_map(|p| p.report.vessels).collect();
    let survivors: Vec<u32> = parts.iter().filter_map(|p| p.report.survivors).collect();
    let first = parts[0];
    let mut report = first.report.clone();
    report.region = None;
    report.vessels = (!vessels.is_empty()).then(|| vessels.iter().sum());
    report.killed = killed;
    report.killed_at_least = at_least;
    report.survivors = (!survivors.is_empty()).then(|| survivors.iter().sum());
    report.official = parts.iter().any(|p| p.report.official);
    report.coordinates = None;
    report.evidence = evidence;
    report.parts = report_parts;
    Rep {
        key: first.key.clone(),
        placement: first.placement,
        report,
    }
}

/// Longitude and latitude inside their ranges (a stated point that is not
/// is ignored rather than put on a map).
fn valid_point(c: [f64; 2]) -> bool {
    c[0].is_finite() && c[1].is_finite() && c[0].abs() <= 180.0 && c[1].abs() <= 90.0
}

/// Who published a report, for telling outlets apart.
pub(crate) fn outlet_of(r: &IncidentReport) -> String {
    if let Some(s) = &r.source {
        return s.trim().to_lowercase();
    }
    if let Some(url) = &r.url {
        let rest = url.split_once("://").map_or(url.as_str(), |(_, x)| x);
        let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
        if !host.is_empty() {
            return host.to_lowercase();
        }
    }
    format!("doc:{}", r.document_id)
}
