//! The whole ledger as one JSON document.

use strikewatch_model::ledger::Ledger;

use crate::error::ExportResult;

/// Pretty JSON, fields in declaration order, so the same ledger always gives
/// the same bytes.
pub fn ledger_json(ledger: &Ledger) -> ExportResult<Vec<u8>> {
    let mut out = serde_json::to_vec_pretty(ledger)?;
    out.push(b'\n');
    Ok(out)
}

pub fn read_ledger_json(bytes: &[u8]) -> ExportResult<Ledger> {
    Ok(serde_json::from_slice(bytes)?)
}
