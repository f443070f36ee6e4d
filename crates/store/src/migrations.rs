//! Schema migrations: numbered `.sql` files, applied in order on open and
//! recorded in `schema_migrations`. New stages add a file and a line here.

/// One schema step.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

/// Every migration this build knows, in order.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "archive",
        sql: include_str!("../migrations/0001_archive.sql"),
    },
    Migration {
        version: 2,
        name: "ledger",
        sql: include_str!("../migrations/0002_ledger.sql"),
    },
    Migration {
        version: 3,
        name: "incident_order",
        sql: include_str!("../migrations/0003_incident_order.sql"),
    },
    Migration {
        version: 4,
        name: "ledger_generation",
        sql: include_str!("../migrations/0004_ledger_generation.sql"),
    },
    Migration {
        version: 5,
        name: "incident_listing",
        sql: include_str!("../migrations/0005_incident_listing.sql"),
    },
    Migration {
        version: 6,
        name: "ledger_delta",
        sql: include_str!("../migrations/0006_ledger_delta.sql"),
    },
    Migration {
        version: 7,
        name: "incident_summaries",
        sql: include_str!("../migrations/0007_incident_summaries.sql"),
    },
    Migration {
        version: 8,
        name: "history",
        sql: include_str!("../migrations/0008_history.sql"),
    },
    Migration {
        version: 9,
        name: "trackers",
        sql: include_str!("../migrations/0009_trackers.sql"),
    },
    Migration {
        version: 10,
        name: "http_capture",
        sql: include_str!("../migrations/0010_http_capture.sql"),
    },
    Migration {
        version: 11,
        name: "search_index",
        sql: include_str!("../migrations/0011_search_index.sql"),
    },
    Migration {
        version: 13,
        name: "privacy",
        sql: include_str!("../migrations/0013_privacy.sql"),
    },
    Migration {
        version: 14,
        name: "accounts",
        sql: include_str!("../migrations/0014_accounts.sql"),
    },
    Migration {
        version: 15,
        name: "document_versions",
        sql: include_str!("../migrations/0015_document_versions.sql"),
    },
    Migration {
        version: 17,
        name: "listing_order",
        sql: include_str!("../migrations/0017_listing_order.sql"),
    },
    Migration {
        version: 18,
        name: "listing_filters",
        sql: include_str!("../migrations/0018_listing_filters.sql"),
    },
];

/// The newest schema version this build knows.
pub fn latest_version() -> i64 {
    MIGRATIONS.last().map(|m| m.version).unwrap_or(0)
}
