//! Document versions: every text a captured URL has shown, with the
//! statements read from it, and the history the document page shows.

use rusqlite::{Connection, OptionalExtension, params};
use strikewatch_model::Extraction;
use strikewatch_model::versions::{DocumentHistory, DocumentVersion};

use crate::StoreError;

/// A text a capture just stored as (the new text of) a document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewDocumentVersion {
    pub document_id: String,
    /// The URL asked for; its state tells whether the page is gone.
    pub requested_url: String,
    /// The final URL after redirects.
    pub url: String,
    pub sha256: String,
    /// The `started_at` of the exchange that fetched it.
    pub seen: String,
    pub text: String,
}

/// Adds `v` as the next version of its document unless the latest version
/// holds the same text. The statements are copied from the document's
/// stored extraction, so call this after the extraction is stored.
pub(crate) fn record(conn: &Connection, v: &NewDocumentVersion) -> Result<Option<u32>, StoreError> {
    let tx = conn.unchecked_transaction()?;
    let latest: Option<(u32, String)> = tx
        .prepare_cached(
            "SELECT version, text FROM document_versions WHERE document_id = ?1
             ORDER BY version DESC LIMIT 1",
        )?
        .query_row([&v.document_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if latest.as_ref().is_some_and(|(_, text)| *text == v.text) {
        return Ok(None);
    }
    let extraction: Option<String> = tx
        .prepare_cached("SELECT json FROM extractions WHERE document_id = ?1")?
        .query_row([&v.document_id], |r| r.get(0))
        .optional()?;
    let statements = match extraction {
        Some(json) => {
            let e: Extraction = serde_json::from_str(&json)?;
            serde_json::to_string(&e.statements)?
        }
        None => "[]".to_string(),
    };
    let version = latest.map_or(1, |(n, _)| n + 1);
    tx.prepare_cached(
        "INSERT INTO document_versions (document_id, version, requested_url, url, sha256,
             first_seen, text, statements)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        v.document_id,
        version,
        v.requested_url,
        v.url,
        v.sha256,
        v.seen,
        v.text,
        statements
    ])?;
    // Pages and validators keyed on the generation must see the new version.
    crate::ledger_rows::bump_generation(&tx)?;
    tx.commit()?;
    Ok(Some(version))
}

/// The versions of one document (texts included when `with_text`) and the
/// state of the URL its latest version was fetched from.
pub(crate) fn history(
    conn: &Connection,
    document_id: &str,
    with_text: bool,
) -> Result<Option<DocumentHistory>, StoreError> {
    let sql = if with_text {
        "SELECT version, requested_url, url, sha256, first_seen, text, statements
         FROM document_versions WHERE document_id = ?1 ORDER BY version"
    } else {
        "SELECT version, requested_url, url, sha256, first_seen, '', statements
         FROM document_versions WHERE document_id = ?1 ORDER BY version"
    };
    let rows = conn
        .prepare_cached(sql)?
        .query_map([document_id], |r| {
            Ok((
                r.get::<_, u32>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    let Some(last) = rows.last() else {
        return Ok(None);
    };
    let requested_url = last.1.clone();
    let mut versions = Vec::with_capacity(rows.len());
    for (i, (version, _, url, sha256, first_seen, text, statements)) in rows.iter().enumerate() {
        let next = rows.get(i + 1).map(|n| n.4.as_str());
        let last_seen: Option<String> = conn
            .prepare_cached(
                "SELECT MAX(started_at) FROM http_exchanges
                 WHERE url = ?1 AND started_at > ?2 AND (?3 IS NULL OR started_at < ?3)
                   AND outcome IN ('ok', 'not_modified')",
            )?
            .query_row(params![url, first_seen, next], |r| r.get(0))?;
        versions.push(DocumentVersion {
            version: *version,
            sha256: sha256.clone(),
            first_seen: first_seen.clone(),
            last_seen,
            text: text.clone(),
            statements: serde_json::from_str(statements)?,
        });
    }
    let state: Option<(String, Option<String>, Option<String>)> = conn
        .prepare_cached("SELECT state, gone_since, note FROM url_states WHERE url = ?1")?
        .query_row([&requested_url], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let (state, gone_since, note) = state.unwrap_or_else(|| ("live".into(), None, None));
    let gone = state == "gone";
    Ok(Some(DocumentHistory {
        document_id: document_id.to_string(),
        url: requested_url,
        gone_since: if gone { gone_since } else { None },
        gone_detail: if gone { note } else { None },
        state,
        versions,
    }))
}

/// Histories (without texts) of the documents with more than one version
/// or whose URL is gone.
pub(crate) fn changed(conn: &Connection) -> Result<Vec<DocumentHistory>, StoreError> {
    let ids = conn
        .prepare_cached(
            "SELECT document_id FROM document_versions GROUP BY document_id
             HAVING COUNT(*) > 1
             UNION
             SELECT v.document_id FROM document_versions v
             JOIN url_states u ON u.url = v.requested_url WHERE u.state = 'gone'
             ORDER BY 1",
        )?
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(h) = history(conn, &id, false)?
            && h.has_changes()
        {
            out.push(h);
        }
    }
    Ok(out)
}
