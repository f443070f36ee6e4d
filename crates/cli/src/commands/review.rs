//! `review`: human judgment on top of machine output. Each decision is
//! checked against the ledger, appended to the review log (which is never
//! rewritten), and the ledger is rebuilt with it applied.

use std::process::ExitCode;

use anyhow::{Context, bail};
use chrono::NaiveDate;
use clap::{Args, Subcommand, ValueEnum};
use serde::Serialize;
use strikewatch_model::ledger::{Grade, Ledger, Review, ReviewAction, ReviewOutcome};
use strikewatch_store::Store;

use super::open_store;
use super::query::{ListFormat, MAX_CELL, render_csv, render_table};

pub const EXAMPLES: &str = "\
Examples:
  strikewatch review confirm sw-2025-09-02-car-1a2b --author \"A. Reviewer\" --reason \"matches the DoD post\"
  strikewatch review correct sw-2025-09-02-car-1a2b --field killed --value 11 \\
      --author \"A. Reviewer\" --reason \"official figure in the 3 Sep briefing\"
  strikewatch review merge sw-2025-10-03-car-aaaa --into sw-2025-10-03-car-bbbb --author A --reason \"same strike\"
  strikewatch review split sw-2025-10-03-car-bbbb --document dev-007 --author A --reason \"different strike\"
  strikewatch review reject sw-2025-10-03-car-aaaa --author A --reason \"not a strike\"
  strikewatch review annotate sw-2025-10-03-car-bbbb --note \"coordinates disputed\" --author A --reason \"context\"
  strikewatch review speaker dev-012 0 --speaker \"Pete Hegseth\" --author A --reason \"quote is his\"
  strikewatch review log --format csv

Every decision needs a reason and a signature: --author NAME (published as
typed: a pseudonym is fine) or --account LOGIN (a write account, see `token
list`: its public name is published, its login name never is). It is appended
to the review log (the log is never edited) and the ledger is refreshed with
it applied; the machine values stay beside the reviewed ones.";

#[derive(Subcommand, Debug)]
pub enum ReviewCommand {
    /// Mark an incident as checked by a person (a `suspect` incident then
    /// counts in the headline again, its reason kept).
    Confirm {
        incident: String,
        #[command(flatten)]
        by: Signature,
    },
    /// Set a field of an incident (the machine value is kept beside it).
    Correct {
        incident: String,
        #[arg(long, value_enum)]
        field: CorrectableField,
        #[arg(long)]
        value: String,
        #[command(flatten)]
        by: Signature,
    },
    /// Fold one incident into another (its id stays as an alias).
    Merge {
        incident: String,
        #[arg(long)]
        into: String,
        #[command(flatten)]
        by: Signature,
    },
    /// Take one document's reports out of an incident into an incident of their own.
    Split {
        incident: String,
        #[arg(long)]
        document: String,
        #[command(flatten)]
        by: Signature,
    },
    /// Withdraw an incident (graded `retracted`; nothing is deleted).
    Reject {
        incident: String,
        #[command(flatten)]
        by: Signature,
    },
    /// Add a note to an incident.
    Annotate {
        incident: String,
        #[arg(long)]
        note: String,
        #[command(flatten)]
        by: Signature,
    },
    /// Set who said a statement (document id, statement index).
    Speaker {
        document: String,
        statement_index: usize,
        #[arg(long)]
        speaker: String,
        #[command(flatten)]
        by: Signature,
    },
    /// The review log, oldest first, with whether each review applied.
    Log {
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
}

/// Who decided, and why. One of `--author` and `--account` is required;
/// the reason may not be blank.
#[derive(Args, Debug, Clone)]
pub struct Signature {
    /// The name published with the review, as typed (a pseudonym is fine).
    #[arg(long)]
    pub author: Option<String>,
    /// Sign as a write account (a token's login name or id, see `token
    /// list`): its public name is published, its login name never is.
    #[arg(long)]
    pub account: Option<String>,
    #[arg(long)]
    pub reason: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CorrectableField {
    Date,
    Region,
    Vessels,
    Killed,
    Survivors,
    Grade,
}

impl CorrectableField {
    fn name(self) -> &'static str {
        match self {
            CorrectableField::Date => "date",
            CorrectableField::Region => "region",
            CorrectableField::Vessels => "vessels",
            CorrectableField::Killed => "killed",
            CorrectableField::Survivors => "survivors",
            CorrectableField::Grade => "grade",
        }
    }

    /// Checks the value's form, so a typo is refused before it is logged.
    fn check(self, value: &str) -> anyhow::Result<()> {
        let ok = match self {
            CorrectableField::Date => NaiveDate::parse_from_str(value, "%Y-%m-%d").is_ok(),
            CorrectableField::Region => !value.trim().is_empty(),
            CorrectableField::Vessels | CorrectableField::Killed | CorrectableField::Survivors => {
                value.trim().parse::<u32>().is_ok()
            }
            CorrectableField::Grade => Grade::parse(value).is_some(),
        };
        if ok {
            Ok(())
        } else {
            bail!(
                "{value:?} is not a valid {} ({})",
                self.name(),
                match self {
                    CorrectableField::Date => "YYYY-MM-DD",
                    CorrectableField::Region => "a region name",
                    CorrectableField::Grade =>
                        "declared, corroborated, single_source, contested or retracted",
                    _ => "a whole number",
                }
            )
        }
    }
}

fn require_incident(ledger: &Ledger, id: &str) -> anyhow::Result<()> {
    if ledger.incident(id).is_none() {
        bail!(
            "no incident {id:?} in the ledger (list them with `strikewatch incidents`); nothing was recorded"
        );
    }
    Ok(())
}

/// The token (when signing as an account) and the published author.
fn signer(store: &dyn Store, by: &Signature) -> anyhow::Result<(Option<i64>, String)> {
    let account = match (&by.author, by.account.as_deref().map(str::trim)) {
        (Some(author), None) => return Ok((None, author.clone())),
        (None, Some(account)) => account,
        (Some(_), Some(_)) => {
            bail!("sign with --author or --account, not both; nothing was recorded")
        }
        (None, None) => {
            bail!("a review needs --author NAME or --account LOGIN; nothing was recorded")
        }
    };
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let tokens = store.tokens().context("reading the accounts")?;
    let found: Vec<_> = tokens
        .iter()
        .filter(|t| t.status(&now) == "active")
        .filter(|t| t.name == account || t.id.to_string() == account)
        .collect();
    match found.as_slice() {
        [one] => Ok((Some(one.id), one.public_name.clone())),
        [] => bail!(
            "no active account {account:?} (see `strikewatch token list`); nothing was recorded"
        ),
        _ => bail!(
            "several accounts are called {account:?}: sign with the token id; nothing was recorded"
        ),
    }
}

/// Turns the command into a review action, checking every id it names
/// against the current ledger. Errors leave the log untouched.
pub fn build_action(ledger: &Ledger, command: &ReviewCommand) -> anyhow::Result<ReviewAction> {
    Ok(match command {
        ReviewCommand::Confirm { incident, .. } => {
            require_incident(ledger, incident)?;
            ReviewAction::Confirm {
                incident: incident.clone(),
            }
        }
        ReviewCommand::Correct {
            incident,
            field,
            value,
            ..
        } => {
            require_incident(ledger, incident)?;
            field.check(value)?;
            ReviewAction::Correct {
                incident: incident.clone(),
                field: field.name().to_string(),
                value: value.trim().to_string(),
            }
        }
        ReviewCommand::Merge { incident, into, .. } => {
            require_incident(ledger, incident)?;
            require_incident(ledger, into)?;
            let a = ledger.incident(incident).map(|i| &i.id);
            let b = ledger.incident(into).map(|i| &i.id);
            if a == b {
                bail!(
                    "{incident:?} and {into:?} are already the same incident; nothing was recorded"
                );
            }
            ReviewAction::Merge {
                incident: incident.clone(),
                into: into.clone(),
            }
        }
        ReviewCommand::Split {
            incident, document, ..
        } => {
            require_incident(ledger, incident)?;
            let held = ledger
                .incident(incident)
                .is_some_and(|i| i.reports.iter().any(|r| &r.document_id == document));
            if !held {
                bail!(
                    "incident {incident:?} has no report from document {document:?}; nothing was recorded"
                );
            }
            ReviewAction::Split {
                incident: incident.clone(),
                document_id: document.clone(),
            }
        }
        ReviewCommand::Reject { incident, .. } => {
            require_incident(ledger, incident)?;
            ReviewAction::Reject {
                incident: incident.clone(),
            }
        }
        ReviewCommand::Annotate { incident, note, .. } => {
            require_incident(ledger, incident)?;
            if note.trim().is_empty() {
                bail!("--note is empty; nothing was recorded");
            }
            ReviewAction::Annotate {
                incident: incident.clone(),
                note: note.clone(),
            }
        }
        ReviewCommand::Speaker {
            document,
            statement_index,
            speaker,
            ..
        } => {
            let known = ledger
                .statements
                .iter()
                .any(|s| &s.document_id == document && s.statement_index == *statement_index);
            if !known {
                bail!(
                    "document {document:?} has no statement {statement_index} in the ledger (see `strikewatch statements`); nothing was recorded"
                );
            }
            if speaker.trim().is_empty() {
                bail!("--speaker is empty; nothing was recorded");
            }
            ReviewAction::CorrectSpeaker {
                document_id: document.clone(),
                statement_index: *statement_index,
                speaker: speaker.trim().to_string(),
            }
        }
        ReviewCommand::Log { .. } => bail!("`review log` records nothing"),
    })
}

fn signature(command: &ReviewCommand) -> Option<&Signature> {
    match command {
        ReviewCommand::Confirm { by, .. }
        | ReviewCommand::Correct { by, .. }
        | ReviewCommand::Merge { by, .. }
        | ReviewCommand::Split { by, .. }
        | ReviewCommand::Reject { by, .. }
        | ReviewCommand::Annotate { by, .. }
        | ReviewCommand::Speaker { by, .. } => Some(by),
        ReviewCommand::Log { .. } => None,
    }
}

pub fn run(db: &str, command: &ReviewCommand) -> anyhow::Result<ExitCode> {
    let store = open_store(db)?;
    let Some(by) = signature(command) else {
        let ReviewCommand::Log { format } = command else {
            bail!("unreachable review command");
        };
        say!("{}", render_log(store.as_ref(), *format)?.trim_end());
        return Ok(ExitCode::SUCCESS);
    };
    let (token_id, author) = signer(store.as_ref(), by)?;
    if author.trim().is_empty() || by.reason.trim().is_empty() {
        bail!("--author and --reason may not be blank; nothing was recorded");
    }
    let ledger = store.ledger().context("reading the ledger")?;
    let action = build_action(&ledger, command)?;
    let review = store
        .append_review_as(token_id, author.trim(), by.reason.trim(), action)
        .context("appending to the review log")?;
    strikewatch_pipeline::refresh_ledger(store.as_ref())
        .context("refreshing the ledger (the review is recorded; `strikewatch rebuild` retries)")?;
    let outcome = store
        .ledger()
        .context("reading the refreshed ledger")?
        .review_log
        .into_iter()
        .find(|o| o.review.seq == review.seq);
    say!(
        "recorded review {} ({}) by {}",
        review.seq,
        summary(&review.action),
        review.author
    );
    match outcome {
        Some(o) if o.applied => say!("applied: {}", o.detail),
        Some(o) => say!("not applied: {}", o.detail),
        None => say!("the ledger does not show it yet; run `strikewatch rebuild`"),
    }
    Ok(ExitCode::SUCCESS)
}

/// One line saying what a review does.
pub fn summary(action: &ReviewAction) -> String {
    match action {
        ReviewAction::Confirm { incident } => format!("confirm {incident}"),
        ReviewAction::Correct {
            incident,
            field,
            value,
        } => {
            format!("correct {incident} {field}={value}")
        }
        ReviewAction::Merge { incident, into } => format!("merge {incident} into {into}"),
        ReviewAction::Split {
            incident,
            document_id,
        } => {
            format!("split {document_id} out of {incident}")
        }
        ReviewAction::Reject { incident } => format!("reject {incident}"),
        ReviewAction::Annotate { incident, note } => format!("annotate {incident}: {note}"),
        ReviewAction::CorrectSpeaker {
            document_id,
            statement_index,
            speaker,
        } => {
            format!("speaker of {document_id}#{statement_index} = {speaker}")
        }
    }
}

/// A review with how the ledger took it.
#[derive(Debug, Clone, Serialize)]
pub struct LogEntry {
    #[serde(flatten)]
    pub review: Review,
    /// None when the stored ledger predates the review.
    pub applied: Option<bool>,
    pub detail: Option<String>,
}

/// The log from the store, joined with the outcomes the stored ledger holds.
pub fn log_entries(log: Vec<Review>, outcomes: &[ReviewOutcome]) -> Vec<LogEntry> {
    log.into_iter()
        .map(|review| {
            let o = outcomes.iter().find(|o| o.review.seq == review.seq);
            LogEntry {
                applied: o.map(|o| o.applied),
                detail: o.map(|o| o.detail.clone()),
                review,
            }
        })
        .collect()
}

const LOG_HEADERS: [&str; 7] = [
    "seq", "at", "author", "action", "reason", "applied", "detail",
];

pub fn render_entries(entries: &[LogEntry], format: ListFormat) -> anyhow::Result<String> {
    let cells: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            vec![
                e.review.seq.to_string(),
                e.review.at.clone(),
                e.review.author.clone(),
                summary(&e.review.action),
                e.review.reason.clone(),
                match e.applied {
                    Some(true) => "yes".to_string(),
                    Some(false) => "no".to_string(),
                    None => "pending".to_string(),
                },
                e.detail.clone().unwrap_or_default(),
            ]
        })
        .collect();
    match format {
        ListFormat::Table => {
            let mut s = render_table(&LOG_HEADERS, &cells, MAX_CELL);
            s.push_str(&format!("{} reviews\n", entries.len()));
            Ok(s)
        }
        ListFormat::Json => Ok(serde_json::to_string_pretty(entries)?),
        ListFormat::Csv => render_csv(&LOG_HEADERS, &cells),
    }
}

fn render_log(store: &dyn Store, format: ListFormat) -> anyhow::Result<String> {
    let log = store.review_log().context("reading the review log")?;
    let outcomes = store.ledger().map(|l| l.review_log).unwrap_or_default();
    render_entries(&log_entries(log, &outcomes), format)
}
