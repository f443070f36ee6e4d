use std::process::ExitCode;

use super::open_store;

pub fn run(db: &str) -> anyhow::Result<ExitCode> {
    let store = open_store(db)?;
    let counts = store.counts()?;
    say!(
        "{db}: {} schema version {}, {} documents, {} captures",
        store.backend(),
        store.schema_version()?,
        counts.documents,
        counts.captures
    );
    Ok(ExitCode::SUCCESS)
}
