//! API tokens, which are the write accounts: 32 random bytes shown once as
//! hex; only the SHA-256 of the token text is stored, so a copied database
//! grants no write access. Each token has a login name (kept on the server:
//! listings on the command line show it, nothing published does), a public
//! name that signs what it writes, scopes, an optional expiry and a
//! revocation time.

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use crate::StoreError;

const TOKEN_BYTES: usize = 32;
/// Longest public name accepted.
const MAX_PUBLIC_NAME: usize = 80;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of the token text, lower-case hex (the form the store keeps).
pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// A fresh token from the operating system's random source.
pub(crate) fn new_token() -> Result<String, StoreError> {
    let mut bytes = [0u8; TOKEN_BYTES];
    getrandom::fill(&mut bytes).map_err(|e| StoreError::Random(e.to_string()))?;
    Ok(format!("sw_{}", hex(&bytes)))
}

/// What a token may write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// `POST /documents`.
    Documents,
    /// `POST /reviews`.
    Reviews,
}

impl Scope {
    pub const ALL: [Scope; 2] = [Scope::Documents, Scope::Reviews];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Documents => "documents",
            Scope::Reviews => "reviews",
        }
    }

    pub fn parse(word: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.as_str() == word.trim())
    }
}

fn scopes_text(scopes: &[Scope]) -> String {
    let mut sorted = scopes.to_vec();
    sorted.sort();
    sorted.dedup();
    sorted
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

fn scopes_from(text: &str) -> Vec<Scope> {
    text.split(',').filter_map(Scope::parse).collect()
}

/// A token to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewToken {
    /// The login name: who holds the token, for the operator's eyes only.
    pub name: String,
    /// The name published with what it writes; `reviewer-<id>` when `None`.
    pub public_name: Option<String>,
    pub scopes: Vec<Scope>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Why a token cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenRefused {
    #[error("a token needs a login name")]
    NoName,
    #[error("a public name must be 1 to {MAX_PUBLIC_NAME} characters without control characters")]
    BadPublicName,
    #[error("the public name {0:?} is taken by another token")]
    PublicNameTaken(String),
    #[error("a token needs at least one scope (documents, reviews)")]
    NoScope,
    #[error("the expiry {0} is already past")]
    ExpiresInPast(String),
}

/// One stored token, as the command line lists it (never the token itself).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TokenInfo {
    pub id: i64,
    pub name: String,
    pub public_name: String,
    pub scopes: Vec<Scope>,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub revoked_at: Option<String>,
}

impl TokenInfo {
    /// `active`, `expired` or `revoked` at `now` (RFC 3339 UTC).
    pub fn status(&self, now: &str) -> &'static str {
        if self.revoked_at.is_some() {
            "revoked"
        } else if self.expires_at.as_deref().is_some_and(|e| e <= now) {
            "expired"
        } else {
            "active"
        }
    }

    pub fn allows(&self, scope: Scope) -> bool {
        self.scopes.contains(&scope)
    }
}

pub(crate) fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub(crate) fn create_token(conn: &Connection, new: &NewToken) -> Result<String, TokenError> {
    let name = new.name.trim();
    if name.is_empty() {
        return Err(TokenRefused::NoName.into());
    }
    if new.scopes.is_empty() {
        return Err(TokenRefused::NoScope.into());
    }
    let created = now();
    let expires = new
        .expires_at
        .map(|e| e.to_rfc3339_opts(SecondsFormat::Secs, true));
    if let Some(e) = expires.as_deref().filter(|e| *e <= created.as_str()) {
        return Err(TokenRefused::ExpiresInPast(e.to_string()).into());
    }
    let public = match new.public_name.as_deref().map(str::trim) {
        Some(p) => {
            if p.is_empty()
                || p.chars().count() > MAX_PUBLIC_NAME
                || p.chars().any(char::is_control)
            {
                return Err(TokenRefused::BadPublicName.into());
            }
            Some(p.to_string())
        }
        None => None,
    };
    let token = new_token()?;
    let tx = conn.unchecked_transaction().map_err(StoreError::from)?;
    if let Some(p) = &public {
        let taken = tx
            .prepare_cached("SELECT 1 FROM api_tokens WHERE public_name = ?1")
            .and_then(|mut s| s.exists([p]))
            .map_err(StoreError::from)?;
        if taken {
            return Err(TokenRefused::PublicNameTaken(p.clone()).into());
        }
    }
    tx.execute(
        "INSERT INTO api_tokens (name, sha256, created_at, public_name, scopes, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            name,
            hash_token(&token),
            created,
            public.as_deref().unwrap_or(""),
            scopes_text(&new.scopes),
            expires
        ],
    )
    .map_err(StoreError::from)?;
    if public.is_none() {
        let id = tx.last_insert_rowid();
        tx.execute(
            "UPDATE api_tokens SET public_name = 'reviewer-' || id WHERE id = ?1",
            [id],
        )
        .map_err(StoreError::from)?;
    }
    tx.commit().map_err(StoreError::from)?;
    Ok(token)
}

const TOKEN_COLUMNS: &str =
    "id, name, public_name, scopes, created_at, expires_at, revoked_at FROM api_tokens";

fn token_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<TokenInfo> {
    Ok(TokenInfo {
        id: r.get(0)?,
        name: r.get(1)?,
        public_name: r.get(2)?,
        scopes: scopes_from(&r.get::<_, String>(3)?),
        created_at: r.get(4)?,
        expires_at: r.get(5)?,
        revoked_at: r.get(6)?,
    })
}

/// The token `token` is, when it is known, not revoked and not expired.
pub(crate) fn authenticate(
    conn: &Connection,
    token: &str,
) -> Result<Option<TokenInfo>, StoreError> {
    if token.is_empty() {
        return Ok(None);
    }
    let found = conn
        .prepare_cached(&format!("SELECT {TOKEN_COLUMNS} WHERE sha256 = ?1"))?
        .query_row([hash_token(token)], token_from_row)
        .optional()?;
    let now = now();
    Ok(found.filter(|t| t.status(&now) == "active"))
}

pub(crate) fn list_tokens(conn: &Connection) -> Result<Vec<TokenInfo>, StoreError> {
    Ok(conn
        .prepare(&format!("SELECT {TOKEN_COLUMNS} ORDER BY id"))?
        .query_map([], token_from_row)?
        .collect::<rusqlite::Result<_>>()?)
}

/// Revokes token `id`; false when no such token is active.
pub(crate) fn revoke_token(conn: &Connection, id: i64) -> Result<bool, StoreError> {
    let n = conn.execute(
        "UPDATE api_tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
        params![id, now()],
    )?;
    Ok(n > 0)
}

/// A token could not be made: refused as asked, or the store failed.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    #[error(transparent)]
    Refused(#[from] TokenRefused),
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_differ_and_hash_to_hex() {
        let a = new_token().unwrap();
        let b = new_token().unwrap();
        assert_ne!(a, b);
        assert_eq!(hash_token(&a).len(), 64);
        assert_ne!(hash_token(&a), hash_token(&b));
    }

    #[test]
    fn scopes_read_back_sorted_and_unknown_words_dropped() {
        assert_eq!(
            scopes_text(&[Scope::Reviews, Scope::Documents, Scope::Reviews]),
            "documents,reviews"
        );
        assert_eq!(scopes_from("reviews,admin"), [Scope::Reviews]);
    }
}
