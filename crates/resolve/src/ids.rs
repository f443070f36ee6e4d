//! Citable incident ids: `sw-<date>-<region code>-<6 hex>`, derived from the
//! incident's earliest-published report (its own date and region, and a hash
//! of its document id and index). Later reports of the same strike never
//! change it; neither does the order documents arrive in.

use sha2::{Digest, Sha256};
use strikewatch_model::ledger::IncidentReport;

use crate::config::ResolveConfig;

/// The id an incident gets from its earliest dated report.
pub fn incident_id(first: &IncidentReport, cfg: &ResolveConfig) -> String {
    let date = first.date.or(first.date_from).map_or_else(
        || "undated".to_string(),
        |d| d.format("%Y-%m-%d").to_string(),
    );
    let code = if first.parts.is_empty() {
        cfg.region_code(first.region.as_deref())
    } else {
        let mut codes: Vec<String> = first
            .parts
            .iter()
            .map(|p| cfg.region_code(Some(&p.region)))
            .collect();
        codes.sort();
        codes.dedup();
        codes.join("-")
    };
    let mut h = Sha256::new();
    h.update(first.document_id.as_bytes());
    h.update(b"#");
    h.update(first.report_index.to_string().as_bytes());
    let digest = h.finalize();
    let short: String = digest.iter().take(3).map(|b| format!("{b:02x}")).collect();
    format!("sw-{date}-{code}-{short}")
}
