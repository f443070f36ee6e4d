//! `token create NAME`: a bearer token for the site's write API. Printed
//! once; the store keeps only its SHA-256.

use std::process::ExitCode;

use anyhow::{Context, bail};

use super::open_store;

pub const EXAMPLES: &str = "Example:\n  strikewatch token create newsroom-bot\n\n\
The token is printed once and cannot be shown again; use it as\n\
`Authorization: Bearer TOKEN` against `strikewatch serve --writes`.";

pub fn create(db: &str, name: &str) -> anyhow::Result<ExitCode> {
    let name = name.trim();
    if name.is_empty() {
        bail!("a token needs a name");
    }
    let store = open_store(db)?;
    let token = store.create_token(name).context("creating the token")?;
    say!("{token}");
    eprintln!("token {name:?} created; it is shown only this once");
    Ok(ExitCode::SUCCESS)
}
