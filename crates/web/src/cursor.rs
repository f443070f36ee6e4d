//! Cursors of the listing twins (`?cursor=`): where the next page of a
//! listing starts, so a client walks a whole listing at the same cost per
//! page however deep it goes, and rows written meanwhile neither repeat nor
//! push others out.
//!
//! A cursor is opaque to clients: URL-safe base64 of a small JSON record
//! naming the listing and its order (a cursor of another listing or order
//! is refused with a message saying so, never read as a wrong position),
//! the ledger backend's own cursor of the last row listed, and for
//! statements how many rows kept nowhere in the ledger (statements only an
//! earlier version of a page holds) the walk has listed so far.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use crate::error::PageError;

/// The longest cursor read; the API description says so too.
pub(crate) const MAX_CURSOR: usize = 2048;

/// Where a page starts in a listing walked by cursor.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Position {
    /// The backend's cursor of the last stored row listed (none before the
    /// first).
    #[serde(rename = "a", default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// Rows kept nowhere in the ledger listed so far.
    #[serde(rename = "x", default, skip_serializing_if = "is_zero")]
    pub extra: usize,
    /// Every stored row has been listed; only extra rows are left.
    #[serde(rename = "e", default, skip_serializing_if = "is_false")]
    pub stored_done: bool,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Serialize, Deserialize)]
struct Envelope {
    /// The listing (`incidents`, `statements`, `claims`, `changes`).
    l: String,
    /// Its order (sort key and direction).
    o: String,
    #[serde(flatten)]
    at: Position,
}

/// The cursor of `position` in `listing` read in `order`.
pub(crate) fn encode(listing: &str, order: &str, position: Position) -> String {
    let envelope = Envelope {
        l: listing.to_string(),
        o: order.to_string(),
        at: position,
    };
    // Serializing strings and numbers cannot fail.
    let json = serde_json::to_vec(&envelope).unwrap_or_default();
    URL_SAFE_NO_PAD.encode(json)
}

/// The position a `cursor` parameter names, checked against the listing and
/// order it is given to; `None` when the parameter is absent or blank.
pub(crate) fn decode(
    raw: Option<&str>,
    listing: &str,
    order: &str,
) -> Result<Option<Position>, PageError> {
    let Some(raw) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let garbled = || {
        PageError::BadRequest(
            "cursor is not one this listing gave: pass back the next_cursor of a page \
             unchanged (or leave cursor out to start from the first page)"
                .to_string(),
        )
    };
    if raw.len() > MAX_CURSOR {
        return Err(garbled());
    }
    let bytes = URL_SAFE_NO_PAD.decode(raw).map_err(|_| garbled())?;
    let envelope: Envelope = serde_json::from_slice(&bytes).map_err(|_| garbled())?;
    if envelope.l != listing {
        return Err(PageError::BadRequest(format!(
            "cursor belongs to the {} listing, not to {listing}",
            envelope.l
        )));
    }
    if envelope.o != order {
        return Err(PageError::BadRequest(format!(
            "cursor was made for the order {}, not {order}: keep sort and order as they \
             were, or leave cursor out to start again",
            envelope.o
        )));
    }
    Ok(Some(envelope.at))
}

/// Where a streamed export given a `cursor` starts: after the stored row
/// the cursor names (the stream lists stored rows only). A cursor that is
/// garbled, too long or of another listing or order is refused as on a page.
pub(crate) fn stream_start(
    raw: Option<&str>,
    listing: &str,
    order: &str,
) -> Result<Option<String>, PageError> {
    Ok(decode(raw, listing, order)?.and_then(|p| p.after))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_as_written() {
        let at = Position {
            after: Some("[\"2025-09-02\",\"doc \\\"1\\\"\",3,7]".into()),
            extra: 2,
            stored_done: false,
        };
        let c = encode("statements", "asc", at.clone());
        assert!(
            c.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
            "{c}"
        );
        assert_eq!(decode(Some(&c), "statements", "asc").unwrap(), Some(at));
        assert_eq!(decode(Some(" "), "statements", "asc").unwrap(), None);
    }

    #[test]
    fn wrong_or_garbled_cursors_are_refused_with_a_reason() {
        let c = encode("claims", "asc", Position::default());
        let said = |r: Result<Option<Position>, PageError>| match r {
            Err(PageError::BadRequest(why)) => why,
            other => panic!("not refused: {other:?}"),
        };
        assert!(said(decode(Some(&c), "statements", "asc")).contains("claims listing"));
        assert!(said(decode(Some(&c), "claims", "desc")).contains("order asc"));
        for bad in ["%%%", "abc", "eyJ", &"A".repeat(MAX_CURSOR + 1)] {
            assert!(said(decode(Some(bad), "claims", "asc")).contains("not one this listing gave"));
        }
    }
}
