//! `token create|list|revoke`: the write accounts of the site's API. A token
//! is printed once; the store keeps only its SHA-256. Its login name stays
//! on this machine; its public name signs what it writes.

use std::process::ExitCode;

use anyhow::{Context, bail};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use clap::Subcommand;
use strikewatch_store::{NewToken, Scope, TokenError};

use super::open_store;
use super::query::{ListFormat, MAX_CELL, render_table};

pub const EXAMPLES: &str = "Examples:\n  strikewatch token create newsroom-bot --scope documents\n  \
strikewatch token create a.reviewer --public-name \"Desk 7\" --scope reviews --expires 30d\n  \
strikewatch token list\n  strikewatch token revoke 3\n\n\
The token is printed once and cannot be shown again; use it as\n\
`Authorization: Bearer TOKEN` against `strikewatch serve --writes`.\n\
The login name never leaves this machine: reviews are signed with the\n\
public name (a pseudonym is fine; `reviewer-ID` when none is given).";

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Create a token and print it once (only its SHA-256 is stored).
    #[command(after_help = EXAMPLES)]
    Create {
        /// Login name: who or what the token is for (never published).
        name: String,
        /// The name published with its reviews (a pseudonym is fine).
        #[arg(long)]
        public_name: Option<String>,
        /// What it may write: documents, reviews, or both (comma-separated).
        #[arg(long, default_value = "documents,reviews")]
        scope: String,
        /// When it stops working: `30d`, a date `YYYY-MM-DD`, or `never`
        /// (90 days unless said).
        #[arg(long, default_value = "90d")]
        expires: String,
    },
    /// List every token (never the token itself): names, scopes, state.
    List {
        #[arg(long, value_enum, default_value_t = ListFormat::Table)]
        format: ListFormat,
    },
    /// Revoke a token, by id or login name: refused from the next request on.
    Revoke {
        /// Token id (from `token list`) or login name.
        token: String,
    },
}

pub fn run(db: &str, command: &TokenCommand) -> anyhow::Result<ExitCode> {
    match command {
        TokenCommand::Create {
            name,
            public_name,
            scope,
            expires,
        } => create(db, name, public_name.as_deref(), scope, expires),
        TokenCommand::List { format } => list(db, *format),
        TokenCommand::Revoke { token } => revoke(db, token),
    }
}

fn parse_scopes(text: &str) -> anyhow::Result<Vec<Scope>> {
    let mut out = Vec::new();
    for word in text.split(',').map(str::trim).filter(|w| !w.is_empty()) {
        match Scope::parse(word) {
            Some(s) => out.push(s),
            None => bail!("unknown scope {word:?}: use documents, reviews or both"),
        }
    }
    if out.is_empty() {
        bail!("a token needs a scope: documents, reviews or both");
    }
    Ok(out)
}

/// `30d`, `YYYY-MM-DD` (the end of that day, UTC) or `never`.
fn parse_expiry(text: &str, now: DateTime<Utc>) -> anyhow::Result<Option<DateTime<Utc>>> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("never") {
        return Ok(None);
    }
    if let Some(days) = text.strip_suffix('d') {
        let days: i64 = days
            .parse()
            .ok()
            .filter(|d| (1..=3650).contains(d))
            .with_context(|| format!("--expires {text:?}: days must be 1 to 3650"))?;
        return Ok(Some(now + Duration::days(days)));
    }
    let day = NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .with_context(|| format!("--expires {text:?}: use 30d, YYYY-MM-DD or never"))?;
    let end = day
        .and_hms_opt(23, 59, 59)
        .context("no such time")?
        .and_utc();
    Ok(Some(end))
}

fn create(
    db: &str,
    name: &str,
    public_name: Option<&str>,
    scope: &str,
    expires: &str,
) -> anyhow::Result<ExitCode> {
    let scopes = parse_scopes(scope)?;
    let expires_at = parse_expiry(expires, Utc::now())?;
    let store = open_store(db)?;
    let new = NewToken {
        name: name.to_string(),
        public_name: public_name.map(str::to_string),
        scopes,
        expires_at,
    };
    let token = match store.create_token(&new) {
        Ok(t) => t,
        Err(TokenError::Refused(why)) => bail!("{why}"),
        Err(TokenError::Store(e)) => {
            return Err(anyhow::Error::from(e).context("creating the token"));
        }
    };
    say!("{token}");
    let name = name.trim();
    let ends = expires_at.map_or("never expires".to_string(), |e| {
        format!("expires {}", e.format("%Y-%m-%d %H:%M UTC"))
    });
    eprintln!("token {name:?} created ({ends}); it is shown only this once");
    Ok(ExitCode::SUCCESS)
}

fn list(db: &str, format: ListFormat) -> anyhow::Result<ExitCode> {
    let store = open_store(db)?;
    let tokens = store.tokens().context("listing tokens")?;
    let now = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    match format {
        ListFormat::Json => {
            let rows: Vec<serde_json::Value> = tokens
                .iter()
                .map(|t| {
                    let mut v = serde_json::to_value(t).unwrap_or_default();
                    v["status"] = t.status(&now).into();
                    v
                })
                .collect();
            say!("{}", serde_json::to_string_pretty(&rows)?);
        }
        ListFormat::Table | ListFormat::Csv => {
            let header = [
                "id",
                "name",
                "public name",
                "scopes",
                "created",
                "expires",
                "status",
            ];
            let rows: Vec<Vec<String>> = tokens
                .iter()
                .map(|t| {
                    vec![
                        t.id.to_string(),
                        t.name.clone(),
                        t.public_name.clone(),
                        t.scopes
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(","),
                        t.created_at.clone(),
                        t.expires_at.clone().unwrap_or_else(|| "never".into()),
                        t.status(&now).to_string(),
                    ]
                })
                .collect();
            if format == ListFormat::Csv {
                say!("{}", super::query::render_csv(&header, &rows)?);
            } else {
                say!("{}", render_table(&header, &rows, MAX_CELL));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn revoke(db: &str, which: &str) -> anyhow::Result<ExitCode> {
    let store = open_store(db)?;
    let tokens = store.tokens().context("listing tokens")?;
    let now = Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let matching: Vec<_> = match which.trim().parse::<i64>() {
        Ok(id) => tokens.iter().filter(|t| t.id == id).collect(),
        Err(_) => tokens
            .iter()
            .filter(|t| t.name == which.trim() && t.status(&now) != "revoked")
            .collect(),
    };
    let token = match matching.as_slice() {
        [] => bail!("no token {which:?} to revoke (see `strikewatch token list`)"),
        [one] => *one,
        many => bail!(
            "{} tokens are called {which:?} (ids {}): revoke one by id",
            many.len(),
            many.iter()
                .map(|t| t.id.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    if store.revoke_token(token.id)? {
        say!("token {} ({}) revoked", token.id, token.name);
    } else {
        say!("token {} ({}) was already revoked", token.id, token.name);
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiries() {
        let now = DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            parse_expiry("30d", now).unwrap().unwrap().to_rfc3339(),
            "2026-01-31T00:00:00+00:00"
        );
        assert_eq!(parse_expiry("never", now).unwrap(), None);
        assert_eq!(
            parse_expiry("2026-02-01", now)
                .unwrap()
                .unwrap()
                .to_rfc3339(),
            "2026-02-01T23:59:59+00:00"
        );
        for bad in ["0d", "yesterday", "-3d", "2026-13-01"] {
            assert!(parse_expiry(bad, now).is_err(), "{bad}");
        }
    }
}
