//! `incidents`, `statements`, `claims` and `reconcile`: listings over the
//! built ledger, as an aligned table, JSON rows or CSV.
//!
//! Everything here reads through [`LedgerRead`], so the same code serves any
//! backend; the rendering functions take plain rows and are tested alone.

use std::collections::BTreeMap;
use std::process::ExitCode;

use anyhow::{Context, bail};
use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;
use strikewatch_model::ClaimKind;
use strikewatch_model::ledger::{CountRange, Grade, Incident, Ledger, Reconciliation};
use strikewatch_model::read::{ClaimRow, Filter, LedgerRead, StatementRow};

use super::open_store;

/// Longest cell a table shows before cutting it with `…`.
pub const MAX_CELL: usize = 60;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum, Default)]
pub enum ListFormat {
    /// Aligned columns for reading; long cells are cut.
    #[default]
    Table,
    /// The rows as a JSON array.
    Json,
    /// One CSV row per item, with a header.
    Csv,
}

/// Filters shared by every listing. Empty ones do not filter.
#[derive(Args, Debug, Clone, Default)]
pub struct FilterArgs {
    /// Only items on or after this date (YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<NaiveDate>,
    /// Only items on or before this date (YYYY-MM-DD).
    #[arg(long)]
    pub to: Option<NaiveDate>,
    /// Region (`caribbean`, `eastern_pacific`, ...).
    #[arg(long)]
    pub region: Option<String>,
    /// Incident grade: declared, corroborated, single_source, contested, retracted, suspect.
    #[arg(long)]
    pub grade: Option<String>,
    /// Speaker, as the actor lexicon names them ("Pete Hegseth").
    #[arg(long)]
    pub speaker: Option<String>,
    /// Claim kind: legal_basis, target_identity, evidence, casualties, ...
    #[arg(long)]
    pub kind: Option<String>,
    /// At most this many rows.
    #[arg(long)]
    pub limit: Option<usize>,
}

impl FilterArgs {
    /// Checks the words against the vocabularies, so a typo is an error
    /// rather than an empty listing.
    pub fn to_filter(&self) -> anyhow::Result<Filter> {
        if let Some(g) = &self.grade
            && Grade::parse(g).is_none()
        {
            let known: Vec<&str> = Grade::ALL.iter().map(|g| g.as_str()).collect();
            bail!("unknown grade {g:?} (one of: {})", known.join(", "));
        }
        if let Some(k) = &self.kind
            && ClaimKind::parse(k).is_none()
        {
            let known: Vec<&str> = ClaimKind::ALL.iter().map(|k| k.as_str()).collect();
            bail!("unknown claim kind {k:?} (one of: {})", known.join(", "));
        }
        if let (Some(from), Some(to)) = (self.from, self.to)
            && from > to
        {
            bail!("--from {from} is after --to {to}");
        }
        Ok(Filter {
            from: self.from,
            to: self.to,
            region: self.region.clone(),
            grade: self.grade.clone(),
            speaker: self.speaker.clone(),
            kind: self.kind.clone(),
            q: None,
            limit: self.limit,
            offset: None,
            after: None,
        })
    }
}

#[derive(Args, Debug, Clone)]
pub struct ListArgs {
    #[command(flatten)]
    pub filter: FilterArgs,
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct IncidentsArgs {
    #[command(subcommand)]
    pub command: Option<IncidentsCommand>,
    #[command(flatten)]
    pub list: ListArgs,
}

#[derive(Subcommand, Debug)]
pub enum IncidentsCommand {
    /// One incident: every report, conflict, correction and evidence span.
    #[command(after_help = "Example:\n  strikewatch incidents show sw-2025-09-02-car-1a2b")]
    Show {
        /// Incident id (an id merged into another also works).
        id: String,
        #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
        format: ShowFormat,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    Text,
    Json,
}

pub const INCIDENTS_EXAMPLES: &str = "\
Examples:
  strikewatch incidents
  strikewatch incidents --region caribbean --from 2025-09-01 --to 2025-09-30
  strikewatch incidents --grade contested --format csv > contested.csv
  strikewatch incidents show sw-2025-09-02-car-1a2b

CSV rows carry every source URL of the incident, space-separated.";

pub const STATEMENTS_EXAMPLES: &str = "\
Examples:
  strikewatch statements --speaker \"Pete Hegseth\"
  strikewatch statements --from 2025-10-01 --format json";

pub const CLAIMS_EXAMPLES: &str = "\
Examples:
  strikewatch claims
  strikewatch claims --kind legal_basis --format csv

The table groups claims by kind, with the first and last date each kind was made.";

pub const RECONCILE_EXAMPLES: &str = "\
Examples:
  strikewatch reconcile
  strikewatch reconcile --from 2025-11-01 --format json

Each stated running total is set against the ledger as of its date; a positive
gap means deaths or strikes the ledger does not hold.";

/// Serializes a unit enum to its JSON word (`single_source`, `press_conference`).
fn word<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// `5`, `5–7`, `≥5`, or empty.
pub fn range(r: &CountRange) -> String {
    match (r.min, r.max) {
        (Some(a), Some(b)) if a == b => a.to_string(),
        (Some(a), Some(b)) => format!("{a}–{b}"),
        (Some(a), None) => format!("≥{a}"),
        (None, Some(b)) => format!("≤{b}"),
        (None, None) => String::new(),
    }
}

/// A date, or the range it lies in when only a range is known.
fn incident_date(i: &Incident) -> String {
    match (i.date, i.date_from, i.date_to) {
        (Some(d), _, _) => d.to_string(),
        (None, Some(a), Some(b)) => format!("{a}..{b}"),
        _ => String::new(),
    }
}

/// Cuts `cell` to `max` characters, ending with `…` when cut; newlines and
/// tabs become spaces so a row stays on one line.
pub fn truncate(cell: &str, max: usize) -> String {
    let flat: String = cell
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.chars().count() <= max {
        return flat;
    }
    let mut out: String = flat.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Left-aligned columns separated by two spaces, header first. Cells longer
/// than `max_cell` characters are cut.
pub fn render_table(headers: &[&str], rows: &[Vec<String>], max_cell: usize) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| truncate(c, max_cell)).collect())
        .collect();
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in &cells {
        for (i, c) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(c.chars().count());
            }
        }
    }
    let line = |row: &[String]| -> String {
        let mut s = String::new();
        for (i, c) in row.iter().enumerate() {
            let w = widths.get(i).copied().unwrap_or(0);
            if i + 1 == row.len() {
                s.push_str(c);
            } else {
                s.push_str(c);
                s.push_str(&" ".repeat(w.saturating_sub(c.chars().count()) + 2));
            }
        }
        s.trim_end().to_string()
    };
    let header: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
    let mut out = line(&header);
    out.push('\n');
    for row in &cells {
        out.push_str(&line(row));
        out.push('\n');
    }
    out
}

/// CSV with a header row, through the `csv` crate (quoting is its job).
pub fn render_csv(headers: &[&str], rows: &[Vec<String>]) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(headers)?;
    for row in rows {
        w.write_record(row)?;
    }
    let bytes = w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(String::from_utf8(bytes)?)
}

fn json_rows<T: Serialize>(rows: &T) -> anyhow::Result<String> {
    Ok(serde_json::to_string_pretty(rows)?)
}

const INCIDENT_HEADERS: [&str; 9] = [
    "id",
    "date",
    "region",
    "vessels",
    "killed",
    "survivors",
    "grade",
    "reports",
    "sources",
];

fn incident_cells(i: &Incident) -> Vec<String> {
    let killed = match i.lead_killed() {
        Some(lead) if range(&i.killed) != lead.to_string() && i.killed.min.is_some() => {
            format!("{lead} ({})", range(&i.killed))
        }
        Some(lead) => lead.to_string(),
        None => String::new(),
    };
    vec![
        i.id.clone(),
        incident_date(i),
        opt(i.region.as_deref()),
        range(&i.vessels),
        killed,
        range(&i.survivors),
        i.grade.as_str().to_string(),
        i.reports.len().to_string(),
        i.source_urls().join(" "),
    ]
}

pub fn render_incidents(incidents: &[Incident], format: ListFormat) -> anyhow::Result<String> {
    match format {
        ListFormat::Table => {
            let rows: Vec<Vec<String>> = incidents.iter().map(incident_cells).collect();
            let mut s = render_table(&INCIDENT_HEADERS, &rows, MAX_CELL);
            s.push_str(&format!("{} incidents\n", incidents.len()));
            Ok(s)
        }
        ListFormat::Json => json_rows(&incidents),
        // The export crate's incidents table: one row per incident with
        // ranges, official figures and every source URL.
        ListFormat::Csv => {
            let ledger = Ledger {
                incidents: incidents.to_vec(),
                ..Ledger::default()
            };
            let bytes = strikewatch_export::incidents_csv(&ledger)?;
            Ok(String::from_utf8(bytes)?)
        }
    }
}

const STATEMENT_HEADERS: [&str; 7] = [
    "date", "speaker", "role", "channel", "quote", "document", "url",
];

fn statement_cells(r: &StatementRow) -> Vec<String> {
    let s = &r.statement;
    vec![
        opt(s.said_at.or(r.published)),
        s.speaker.clone(),
        opt(s.speaker_role.as_deref()),
        s.channel.as_ref().map(word).unwrap_or_default(),
        s.quote.clone(),
        format!("{}#{}", r.document_id, r.statement_index),
        opt(r.url.as_deref()),
    ]
}

pub fn render_statements(rows: &[StatementRow], format: ListFormat) -> anyhow::Result<String> {
    let cells: Vec<Vec<String>> = rows.iter().map(statement_cells).collect();
    match format {
        ListFormat::Table => {
            let mut s = render_table(&STATEMENT_HEADERS, &cells, MAX_CELL);
            s.push_str(&format!("{} statements\n", rows.len()));
            Ok(s)
        }
        ListFormat::Json => json_rows(&rows),
        ListFormat::Csv => render_csv(&STATEMENT_HEADERS, &cells),
    }
}

/// Claims of one kind, with when that kind was first and last made.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimKindGroup {
    pub kind: ClaimKind,
    pub count: usize,
    pub first: Option<NaiveDate>,
    pub last: Option<NaiveDate>,
    pub claims: Vec<ClaimRow>,
}

/// Groups claim rows by kind (in the kinds' fixed order), each group in date
/// order; undated claims come last within their group.
pub fn group_claims(rows: &[ClaimRow]) -> Vec<ClaimKindGroup> {
    let mut by_kind: BTreeMap<ClaimKind, Vec<ClaimRow>> = BTreeMap::new();
    for r in rows {
        by_kind.entry(r.claim.kind).or_default().push(r.clone());
    }
    by_kind
        .into_iter()
        .map(|(kind, mut claims)| {
            claims.sort_by(|a, b| {
                (a.published.is_none(), a.published, &a.document_id).cmp(&(
                    b.published.is_none(),
                    b.published,
                    &b.document_id,
                ))
            });
            let dates = claims.iter().filter_map(|c| c.published);
            ClaimKindGroup {
                kind,
                count: claims.len(),
                first: dates.clone().min(),
                last: dates.max(),
                claims,
            }
        })
        .collect()
}

const CLAIM_HEADERS: [&str; 6] = ["kind", "date", "speaker", "text", "document", "url"];

fn claim_cells(r: &ClaimRow) -> Vec<String> {
    vec![
        r.claim.kind.as_str().to_string(),
        opt(r.published),
        r.claim.speaker.clone(),
        r.claim.text.clone(),
        r.document_id.clone(),
        opt(r.url.as_deref()),
    ]
}

pub fn render_claims(rows: &[ClaimRow], format: ListFormat) -> anyhow::Result<String> {
    let groups = group_claims(rows);
    match format {
        ListFormat::Table => {
            let mut s = String::new();
            for g in &groups {
                s.push_str(&format!(
                    "{} — {} claims, first {}, last {}\n",
                    g.kind.as_str(),
                    g.count,
                    g.first.map_or("?".to_string(), |d| d.to_string()),
                    g.last.map_or("?".to_string(), |d| d.to_string()),
                ));
                let cells: Vec<Vec<String>> = g
                    .claims
                    .iter()
                    .map(|r| claim_cells(r)[1..5].to_vec())
                    .collect();
                for line in render_table(&CLAIM_HEADERS[1..5], &cells, MAX_CELL).lines() {
                    s.push_str("  ");
                    s.push_str(line);
                    s.push('\n');
                }
                s.push('\n');
            }
            s.push_str(&format!(
                "{} claims of {} kinds\n",
                rows.len(),
                groups.len()
            ));
            Ok(s)
        }
        ListFormat::Json => json_rows(&groups),
        ListFormat::Csv => {
            let cells: Vec<Vec<String>> = groups
                .iter()
                .flat_map(|g| g.claims.iter().map(claim_cells))
                .collect();
            render_csv(&CLAIM_HEADERS, &cells)
        }
    }
}

const RECONCILE_HEADERS: [&str; 12] = [
    "as_of",
    "attributed_to",
    "stated_strikes",
    "ledger_strikes",
    "strikes_gap",
    "stated_killed",
    "ledger_killed",
    "killed_gap",
    "cause",
    "document",
    "evidence",
    "explanation",
];

fn signed(v: Option<i64>) -> String {
    match v {
        Some(n) if n > 0 => format!("+{n}"),
        Some(n) => n.to_string(),
        None => String::new(),
    }
}

fn reconcile_cells(r: &Reconciliation) -> Vec<String> {
    let stated_killed = match r.stated_killed {
        Some(k) if r.killed_at_least => format!("≥{k}"),
        other => opt(other),
    };
    vec![
        opt(r.as_of),
        opt(r.attributed_to.as_deref()),
        opt(r.stated_strikes),
        r.ledger_strikes.to_string(),
        signed(r.strikes_gap),
        stated_killed,
        range(&r.ledger_killed),
        signed(r.killed_gap),
        r.cause.map_or_else(String::new, |c| c.as_str().to_string()),
        format!("{}#{}", r.document_id, r.total_index),
        r.span.text.clone(),
        r.explanation.text.clone(),
    ]
}

pub fn render_reconciliation(
    rows: &[Reconciliation],
    format: ListFormat,
) -> anyhow::Result<String> {
    let cells: Vec<Vec<String>> = rows.iter().map(reconcile_cells).collect();
    match format {
        ListFormat::Table => {
            let mut s = render_table(&RECONCILE_HEADERS, &cells, MAX_CELL);
            s.push_str(&format!("{} stated totals\n", rows.len()));
            Ok(s)
        }
        ListFormat::Json => json_rows(&rows),
        ListFormat::Csv => render_csv(&RECONCILE_HEADERS, &cells),
    }
}

/// The readable page of one incident.
pub fn render_incident_detail(i: &Incident) -> String {
    let mut s = String::new();
    let mut field = |name: &str, value: String| {
        if !value.is_empty() {
            s.push_str(&format!("{name:<16}{value}\n"));
        }
    };
    field("incident", i.id.clone());
    field("date", incident_date(i));
    field("region", opt(i.region.as_deref()));
    field("vessels", range(&i.vessels));
    field("killed", range(&i.killed));
    field("lead killed", opt(i.lead_killed()));
    field("official killed", opt(i.official_killed));
    field("survivors", range(&i.survivors));
    field("grade", i.grade.as_str().to_string());
    if let Some(sus) = &i.suspect {
        field("suspect", format!("{} ({})", sus.reason, sus.rule));
    }
    if !i.parts.is_empty() {
        let seas: Vec<String> = i
            .parts
            .iter()
            .map(|p| {
                format!(
                    "{} (vessels {}, killed {})",
                    p.region,
                    opt(p.vessels),
                    p.killed
                        .map_or_else(|| "not split".to_string(), |k| k.to_string())
                )
            })
            .collect();
        field("seas", seas.join("; "));
    }
    field("aliases", i.aliases.join(" "));
    s.push_str(&format!("\nreports ({}):\n", i.reports.len()));
    for r in &i.reports {
        s.push_str(&format!(
            "  {} #{}  {}  {}{}\n",
            r.document_id,
            r.report_index,
            opt(r.published),
            opt(r.source.as_deref()),
            if r.official { "  [official]" } else { "" },
        ));
        let mut facts = vec![format!("role {}", word(&r.role))];
        let killed = r
            .killed
            .map(|k| format!("{}{k}", if r.killed_at_least { "≥" } else { "" }));
        for (name, value) in [
            ("date", opt(r.date)),
            ("region", opt(r.region.as_deref())),
            ("vessels", opt(r.vessels)),
            ("killed", opt(killed)),
            ("survivors", opt(r.survivors)),
        ] {
            if !value.is_empty() {
                facts.push(format!("{name} {value}"));
            }
        }
        if r.undated {
            facts.push("attached by counts and region".to_string());
        }
        s.push_str(&format!("    {}\n", facts.join("  ")));
        if let Some(url) = &r.url {
            s.push_str(&format!("    {url}\n"));
        }
        for (name, span) in &r.evidence {
            s.push_str(&format!(
                "    {name:<12} [{}..{}] \"{}\"\n",
                span.start,
                span.end,
                truncate(&span.text, 100)
            ));
        }
    }
    if !i.conflicts.is_empty() {
        s.push_str("\nconflicts:\n");
        for c in &i.conflicts {
            let values: Vec<String> = c
                .values
                .iter()
                .map(|v| {
                    format!(
                        "{} ({}{})",
                        v.value,
                        v.documents.join(", "),
                        if v.official { ", official" } else { "" }
                    )
                })
                .collect();
            s.push_str(&format!("  {}: {}\n", c.field, values.join(" vs ")));
        }
    }
    if !i.corrections.is_empty() {
        s.push_str("\ncorrections:\n");
        for c in &i.corrections {
            s.push_str(&format!(
                "  {}: {} → {} ({})\n",
                c.field, c.from, c.to, c.document_id
            ));
        }
    }
    if !i.reviewed.is_empty() {
        s.push_str("\nreviewed values:\n");
        for v in &i.reviewed {
            s.push_str(&format!(
                "  {} = {} (machine: {}) by {} — {} [review {}]\n",
                v.field,
                v.value,
                v.machine_value.as_deref().unwrap_or("none"),
                v.author,
                v.reason,
                v.seq
            ));
        }
    }
    if !i.notes.is_empty() {
        s.push_str("\nnotes:\n");
        for n in &i.notes {
            s.push_str(&format!("  {n}\n"));
        }
    }
    s
}

fn print(text: &str) {
    say!("{}", text.trim_end());
}

pub fn run_incidents(db: &str, args: &IncidentsArgs) -> anyhow::Result<ExitCode> {
    let store = open_store(db)?;
    let read: &dyn LedgerRead = store.as_ref();
    match &args.command {
        Some(IncidentsCommand::Show { id, format }) => {
            let Some(incident) = read.incident(id).context("reading the incident")? else {
                bail!("no incident {id:?} (list them with `strikewatch incidents`)");
            };
            match format {
                ShowFormat::Text => print(&render_incident_detail(&incident)),
                ShowFormat::Json => print(&json_rows(&incident)?),
            }
        }
        None => {
            let filter = args.list.filter.to_filter()?;
            let rows = read.incidents(&filter).context("listing incidents")?;
            print(&render_incidents(&rows, args.list.format)?);
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run_statements(db: &str, args: &ListArgs) -> anyhow::Result<ExitCode> {
    let store = open_store(db)?;
    let rows = store
        .statements(&args.filter.to_filter()?)
        .context("listing statements")?;
    print(&render_statements(&rows, args.format)?);
    Ok(ExitCode::SUCCESS)
}

pub fn run_claims(db: &str, args: &ListArgs) -> anyhow::Result<ExitCode> {
    let store = open_store(db)?;
    let rows = store
        .claims(&args.filter.to_filter()?)
        .context("listing claims")?;
    print(&render_claims(&rows, args.format)?);
    Ok(ExitCode::SUCCESS)
}

pub fn run_reconcile(db: &str, args: &ListArgs) -> anyhow::Result<ExitCode> {
    let store = open_store(db)?;
    let rows = store
        .reconciliation(&args.filter.to_filter()?)
        .context("reading the reconciliation")?;
    print(&render_reconciliation(&rows, args.format)?);
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use strikewatch_model::{Claim, Span};

    fn incident(id: &str, killed: (u32, u32), url: &str) -> Incident {
        Incident {
            id: id.to_string(),
            date: NaiveDate::from_ymd_opt(2025, 9, 2),
            region: Some("caribbean".into()),
            killed: CountRange {
                min: Some(killed.0),
                max: Some(killed.1),
            },
            reports: vec![strikewatch_model::ledger::IncidentReport {
                document_id: "d1".into(),
                report_index: 0,
                url: Some(url.into()),
                title: None,
                published: None,
                source_kind: Default::default(),
                official: false,
                role: strikewatch_model::ReportRole::Main,
                date: None,
                date_text: None,
                region: None,
                vessels: None,
                killed: Some(killed.1),
                survivors: None,
                evidence: Default::default(),
                date_from: None,
                date_to: None,
                killed_at_least: false,
                announced_by: None,
                undated: false,
                source: None,
                location_text: None,
                coordinates: None,
                parts: Vec::new(),
            }],
            ..Incident::default()
        }
    }

    #[test]
    fn table_aligns_columns_and_cuts_long_cells() {
        let rows = vec![
            vec!["a".to_string(), "x".repeat(100)],
            vec!["longer".to_string(), "y".to_string()],
        ];
        let t = render_table(&["k", "v"], &rows, 10);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines[0], "k       v");
        assert_eq!(lines[1], format!("a       {}…", "x".repeat(9)));
        assert_eq!(lines[2], "longer  y");
        assert_eq!(truncate("line\nbreak", 20), "line break");
    }

    #[test]
    fn ranges_read_as_ranges() {
        assert_eq!(
            range(&CountRange {
                min: Some(3),
                max: Some(3)
            }),
            "3"
        );
        assert_eq!(
            range(&CountRange {
                min: Some(3),
                max: Some(4)
            }),
            "3–4"
        );
        assert_eq!(range(&CountRange::default()), "");
    }

    #[test]
    fn incident_csv_has_one_row_per_incident_with_its_urls() {
        let list = vec![
            incident("sw-a", (3, 4), "https://example.org/a"),
            incident("sw-b", (6, 6), "https://example.org/b, with comma"),
        ];
        let csv_text = render_incidents(&list, ListFormat::Csv).unwrap();
        let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
        let headers = reader.headers().unwrap().clone();
        let id_col = headers.iter().position(|h| h == "id").unwrap();
        let url_col = headers.iter().position(|h| h == "source_urls").unwrap();
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(&rows[0][id_col], "sw-a");
        assert_eq!(&rows[1][url_col], "https://example.org/b, with comma");
        let json: serde_json::Value =
            serde_json::from_str(&render_incidents(&list, ListFormat::Json).unwrap()).unwrap();
        assert_eq!(json[1]["id"], "sw-b");
        let table = render_incidents(&list, ListFormat::Table).unwrap();
        assert!(table.contains("4 (3–4)"), "{table}");
        assert!(table.ends_with("2 incidents\n"));
    }

    #[test]
    fn claims_group_by_kind_with_first_and_last_dates() {
        let claim = |kind, day, text: &str| ClaimRow {
            document_id: format!("d{day}"),
            url: None,
            published: NaiveDate::from_ymd_opt(2025, 10, day),
            claim: Claim {
                kind,
                text: text.into(),
                speaker: "Someone".into(),
                span: Span {
                    start: 0,
                    end: 1,
                    text: "x".into(),
                },
            },
        };
        let rows = vec![
            claim(ClaimKind::Denial, 9, "late"),
            claim(ClaimKind::LegalBasis, 5, "b"),
            claim(ClaimKind::Denial, 2, "early"),
        ];
        let groups = group_claims(&rows);
        assert_eq!(groups.len(), 2);
        let denial = groups.iter().find(|g| g.kind == ClaimKind::Denial).unwrap();
        assert_eq!(denial.count, 2);
        assert_eq!(denial.first, NaiveDate::from_ymd_opt(2025, 10, 2));
        assert_eq!(denial.last, NaiveDate::from_ymd_opt(2025, 10, 9));
        assert_eq!(denial.claims[0].claim.text, "early");
        let table = render_claims(&rows, ListFormat::Table).unwrap();
        assert!(
            table.contains("denial — 2 claims, first 2025-10-02, last 2025-10-09"),
            "{table}"
        );
    }

    #[test]
    fn unknown_filter_words_are_refused() {
        let bad = FilterArgs {
            grade: Some("confirmed".into()),
            ..FilterArgs::default()
        };
        assert!(
            bad.to_filter()
                .unwrap_err()
                .to_string()
                .contains("single_source")
        );
        let good = FilterArgs {
            grade: Some("contested".into()),
            limit: Some(3),
            ..FilterArgs::default()
        };
        assert_eq!(good.to_filter().unwrap().limit, Some(3));
    }
}
