//! Where the database lives, as given by `--db`.

use std::path::PathBuf;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DbLocation {
    /// An SQLite file (created when missing).
    Sqlite(PathBuf),
    /// A PostgreSQL URL (`postgres://…` or `postgresql://…`).
    Postgres(String),
}

impl DbLocation {
    /// Reads a `--db` value: a `postgres://` URL, a `sqlite:` URL or a path.
    pub fn parse(value: &str) -> DbLocation {
        let lower = value.to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            DbLocation::Postgres(value.to_string())
        } else if let Some(rest) = value.strip_prefix("sqlite://") {
            DbLocation::Sqlite(PathBuf::from(rest))
        } else if let Some(rest) = value.strip_prefix("sqlite:") {
            DbLocation::Sqlite(PathBuf::from(rest))
        } else {
            DbLocation::Sqlite(PathBuf::from(value))
        }
    }

    /// For messages: the path, or the URL with any password hidden.
    pub fn describe(&self) -> String {
        match self {
            DbLocation::Sqlite(path) => path.display().to_string(),
            DbLocation::Postgres(url) => redact(url),
        }
    }
}

/// Hides a password in a URL before it goes into an error message.
pub(crate) fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{scheme}://{user}:***@{host}")
        }
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_paths_and_urls() {
        assert_eq!(DbLocation::parse("x.db"), DbLocation::Sqlite("x.db".into()));
        assert_eq!(
            DbLocation::parse("sqlite:a/b.db"),
            DbLocation::Sqlite("a/b.db".into())
        );
        assert!(matches!(
            DbLocation::parse("postgres://u@h/db"),
            DbLocation::Postgres(_)
        ));
        assert!(matches!(
            DbLocation::parse("PostgreSQL://h/db"),
            DbLocation::Postgres(_)
        ));
        assert_eq!(
            redact("postgres://me:secret@h/db"),
            "postgres://me:***@h/db"
        );
    }
}
