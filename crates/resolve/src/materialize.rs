//! Turning the reports of one strike into the ledger's incident: date and
//! region that lead, min–max counts, the striking party's figures,
//! corrections, conflicts, grade and map point.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use strikewatch_model::ledger::{
    Conflict, ConflictValue, Correction, CountRange, Grade, Incident, IncidentPart, IncidentReport,
};

use crate::config::ResolveConfig;
use crate::ids::incident_id;
use crate::report::outlet_of;
use crate::suspect::rule_suspicion;

/// Canonical report order: earliest published first, then document, index.
pub(crate) fn sort_reports(reports: &mut [IncidentReport]) {
    reports.sort_by(|a, b| {
        (
            a.published.is_none(),
            a.published,
            &a.document_id,
            a.report_index,
        )
            .cmp(&(
                b.published.is_none(),
                b.published,
                &b.document_id,
                b.report_index,
            ))
    });
}

/// The report an incident's id derives from: the earliest dated to a day,
/// else the earliest with any date.
pub(crate) fn id_report(reports: &[IncidentReport]) -> Option<&IncidentReport> {
    reports
        .iter()
        .find(|r| !r.undated && r.date.is_some())
        .or_else(|| reports.iter().find(|r| !r.undated))
        .or_else(|| reports.first())
}

/// The most frequent value; ties go to the one seen first.
fn mode<T: Ord + Copy>(values: impl Iterator<Item = T>) -> Option<T> {
    let mut counts: BTreeMap<T, (usize, usize)> = BTreeMap::new();
    for (i, v) in values.enumerate() {
        let e = counts.entry(v).or_insert((0, i));
        e.0 += 1;
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.1.1.cmp(&a.1.1)))
        .map(|(v, _)| v)
}

fn count_range(
    reports: &[IncidentReport],
    get: impl Fn(&IncidentReport) -> Option<u32>,
) -> CountRange {
    let vals: Vec<u32> = reports.iter().filter_map(get).collect();
    CountRange {
        min: vals.iter().copied().min(),
        max: vals.iter().copied().max(),
    }
}

/// Killed range: exact figures set it; a lower bound only raises the
/// maximum when it is above every exact figure.
fn killed_range(reports: &[IncidentReport]) -> CountRange {
    let exact = count_range(reports, |r| r.killed.filter(|_| !r.killed_at_least));
    let floors = count_range(reports, |r| r.killed.filter(|_| r.killed_at_least));
    match (exact.max, floors.max) {
        (None, _) => floors,
        (Some(hi), Some(f)) if f > hi => CountRange {
            min: exact.min,
            max: Some(f),
        },
        _ => exact,
    }
}

type Getter = fn(&IncidentReport) -> Option<u32>;

const COUNT_FIELDS: [(&str, Getter); 3] = [
    ("vessels", |r| r.vessels),
    ("killed", |r| r.killed.filter(|_| !r.killed_at_least)),
    ("survivors", |r| r.survivors),
];

/// The striking party's latest figure for a field.
fn latest_official(reports: &[IncidentReport], get: Getter) -> Option<u32> {
    reports
        .iter()
        .rev()
        .filter(|r| r.official && !r.undated)
        .find_map(get)
}

/// Later figures replacing earlier ones: along the striking party's reports
/// and any report marked as a correction, in publication order.
fn corrections(reports: &[IncidentReport]) -> Vec<Correction> {
    let chain: Vec<&IncidentReport> = reports
        .iter()
        .filter(|r| r.official || r.evidence.contains_key("correction"))
        .collect();
    let mut out = Vec::new();
    for (field, get) in COUNT_FIELDS {
        let mut prev: Option<u32> = None;
        for r in &chain {
            let Some(v) = get(r) else { continue };
            if let Some(p) = prev
                && p != v
            {
                out.push(Correction {
                    field: field.to_string(),
                    from: p.to_string(),
                    to: v.to_string(),
                    document_id: r.document_id.clone(),
                    span: r
                        .evidence
                        .get(field)
                        .or_else(|| r.evidence.get("correction"))
                        .cloned(),
                });
            }
            prev = Some(v);
        }
    }
    out
}

fn conflict_of(
    field: &str,
    reports: &[IncidentReport],
    value: impl Fn(&IncidentReport) -> Option<String>,
) -> Option<Conflict> {
    let mut by_value: BTreeMap<String, (BTreeSet<String>, bool)> = BTreeMap::new();
    for r in reports {
        if let Some(v) = value(r) {
            let e = by_value.entry(v).or_default();
            e.0.insert(r.document_id.clone());
            e.1 |= r.official;
        }
    }
    if by_value.len() < 2 {
        return None;
    }
    let mut values: Vec<ConflictValue> = by_value
        .into_iter()
        .map(|(value, (docs, official))| ConflictValue {
            value,
            documents: docs.into_iter().collect(),
            official,
        })
        .collect();
    // The striking party's value first, then in value order (numbers by size).
    values.sort_by(|a, b| {
        (!a.official, a.value.len(), &a.value).cmp(&(!b.official, b.value.len(), &b.value))
    });
    Some(Conflict {
        field: field.to_string(),
        values,
    })
}

fn conflicts(reports: &[IncidentReport]) -> Vec<Conflict> {
    let dated: Vec<IncidentReport> = reports.iter().filter(|r| !r.undated).cloned().collect();
    let mut out = Vec::new();
    out.extend(conflict_of("date", &dated, |r| {
        r.date.map(|d| d.format("%Y-%m-%d").to_string())
    }));
    for (field, get) in COUNT_FIELDS {
        out.extend(conflict_of(field, reports, |r| {
            get(r).map(|v| v.to_string())
        }));
    }
    out
}

/// True when a disagreement remains after setting aside figures that a
/// correction replaced.
fn contested(conflicts: &[Conflict], corrections: &[Correction]) -> bool {
    conflicts.iter().any(|c| {
        let replaced: BTreeSet<&str> = corrections
            .iter()
            .filter(|k| k.field == c.field)
            .map(|k| k.from.as_str())
            .collect();
        let finals: BTreeSet<&str> = corrections
            .iter()
            .filter(|k| k.field == c.field)
            .map(|k| k.to.as_str())
            .collect();
        let standing = c
            .values
            .iter()
            .filter(|v| !replaced.contains(v.value.as_str()) || finals.contains(v.value.as_str()))
            .count();
        standing > 1
    })
}

fn grade(reports: &[IncidentReport], contested_now: bool) -> Grade {
    if contested_now {
        return Grade::Contested;
    }
    let official_docs: BTreeSet<&str> = reports
        .iter()
        .filter(|r| r.official)
        .map(|r| r.document_id.as_str())
        .collect();
    let independent: BTreeSet<String> = reports
        .iter()
        .filter(|r| !r.official && !official_docs.contains(r.document_id.as_str()))
        .map(outlet_of)
        .collect();
    if !official_docs.is_empty() {
        if independent.is_empty() {
            Grade::Declared
        } else {
            Grade::Corroborated
        }
    } else if independent.len() >= 2 {
        Grade::Corroborated
    } else {
        Grade::SingleSource
    }
}

/// The seas of an announcement covering several, from its reports' parts:
/// per sea, the striking party's figures first, then the earliest.
fn incident_parts(reports: &[IncidentReport], cfg: &ResolveConfig) -> Vec<IncidentPart> {
    let mut by_sea: BTreeMap<&str, IncidentPart> = BTreeMap::new();
    let ordered = reports
        .iter()
        .filter(|r| r.official)
        .chain(reports.iter().filter(|r| !r.official));
    for r in ordered {
        for p in &r.parts {
            let part = by_sea
                .entry(p.region.as_str())
                .or_insert_with(|| IncidentPart {
                    region: p.region.clone(),
                    point: cfg.region_point(&p.region),
                    vessels: None,
                    killed: None,
                });
            part.vessels = part.vessels.or(p.vessels);
            part.killed = part.killed.or(p.killed);
        }
    }
    by_sea.into_values().collect()
}

/// The grade an incident's reports give, setting suspicion aside.
pub(crate) fn report_grade(i: &Incident) -> Grade {
    grade(&i.reports, contested(&i.conflicts, &i.corrections))
}

/// Builds the machine view of an incident from its reports (any order).
/// `id` is computed from the reports unless given.
pub(crate) fn materialize(
    mut reports: Vec<IncidentReport>,
    id: Option<String>,
    cfg: &ResolveConfig,
) -> Incident {
    sort_reports(&mut reports);
    let dated: Vec<&IncidentReport> = reports.iter().filter(|r| !r.undated).collect();
    let official_date = mode(dated.iter().filter(|r| r.official).filter_map(|r| r.date));
    let date = official_date.or_else(|| mode(dated.iter().filter_map(|r| r.date)));
    let days: Vec<NaiveDate> = dated.iter().filter_map(|r| r.date).collect();
    let (date_from, date_to) = if days.is_empty() {
        let from = dated.iter().filter_map(|r| r.date_from).max();
        let to = dated.iter().filter_map(|r| r.date_to).min();
        match (from, to) {
            (Some(f), Some(t)) if f <= t => (Some(f), Some(t)),
            _ => (
                dated.iter().filter_map(|r| r.date_from).min(),
                dated.iter().filter_map(|r| r.date_to).max(),
            ),
        }
    } else {
        (days.iter().min().copied(), days.iter().max().copied())
    };
    let region = reports
        .iter()
        .filter(|r| r.official)
        .find_map(|r| r.region.clone())
        .or_else(|| reports.iter().find_map(|r| r.region.clone()));
    let stated = reports
        .iter()
        .filter(|r| r.official)
        .chain(reports.iter().filter(|r| !r.official))
        .find_map(|r| r.coordinates);
    let parts = incident_parts(&reports, cfg);
    let region = if parts.len() >= 2 { None } else { region };
    let (point, point_precision) =
        match (stated, region.as_deref().and_then(|k| cfg.region_point(k))) {
            (Some(p), _) => (Some(p), Some("stated".to_string())),
            (None, Some(p)) => (Some(p), Some("region".to_string())),
            (None, None) => (None, None),
        };
    let corrections = corrections(&reports);
    let conflicts = conflicts(&reports);
    let grade = grade(&reports, contested(&conflicts, &corrections));
    let id =
        id.unwrap_or_else(|| id_report(&reports).map_or_else(String::new, |r| incident_id(r, cfg)));
    let mut incident = Incident {
        id,
        date,
        date_from,
        date_to,
        region,
        point,
        point_precision,
        vessels: count_range(&reports, |r| r.vessels),
        killed: killed_range(&reports),
        survivors: count_range(&reports, |r| r.survivors),
        official_killed: latest_official(&reports, COUNT_FIELDS[1].1),
        grade,
        conflicts,
        corrections,
        notes: Vec::new(),
        official_date,
        official_vessels: latest_official(&reports, COUNT_FIELDS[0].1),
        official_survivors: latest_official(&reports, COUNT_FIELDS[2].1),
        aliases: Vec::new(),
        reviewed: Vec::new(),
        reports,
        suspect: None,
        parts,
    };
    incident.suspect = rule_suspicion(&incident, cfg);
    if incident.suspect.is_some() {
        incident.grade = Grade::Suspect;
    }
    incident
}
