//! Domain knowledge for resolution, loaded from TOML data files: regions and
//! their representative points, matching tolerances, and the names that mark
//! a report as the striking party's.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::error::ResolveError;

const REGIONS_TOML: &str = include_str!("../data/regions.toml");
const RESOLVE_TOML: &str = include_str!("../data/resolve.toml");

/// One region of the gazetteer.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Region {
    pub key: String,
    /// Short code used inside incident ids; never change a published one.
    pub code: String,
    pub label: String,
    /// Representative `[longitude, latitude]`.
    pub point: [f64; 2],
}

#[derive(Debug, Deserialize)]
struct RegionsFile {
    region: Vec<Region>,
}

/// Day tolerances.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DateRules {
    pub rival_tolerance_days: i64,
    pub max_range_days: i64,
    pub undated_lookback_days: i64,
}

/// Count tolerances.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct CountRules {
    pub killed_abs_tolerance: u32,
    pub killed_rel_tolerance: f64,
    pub vessels_abs_tolerance: u32,
    pub survivors_abs_tolerance: u32,
}

/// What the campaign's strikes look like: an incident outside these bounds
/// is graded `suspect` (a cumulative sentence read as one strike, an event
/// years before the campaign) and kept out of the headline until reviewed.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default)]
pub struct CampaignRules {
    /// The campaign's first day, `YYYY-MM-DD`.
    pub start: String,
    pub max_vessels_per_incident: u32,
    pub max_killed_per_incident: u32,
}

impl Default for CampaignRules {
    fn default() -> Self {
        CampaignRules {
            start: "2025-09-02".into(),
            max_vessels_per_incident: 8,
            max_killed_per_incident: 40,
        }
    }
}

impl CampaignRules {
    pub fn start_date(&self) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(&self.start, "%Y-%m-%d").ok()
    }
}

/// How stated running totals are set against the ledger.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default)]
pub struct ReconcileRules {
    /// Deaths a stated total may be off the ledger's range and still match.
    pub killed_tolerance: u32,
    /// A total that matches the ledger as it stood at most this many days
    /// from its own day is an announcement lag.
    pub lag_days: i64,
    /// The ledger "exceeds" a total when its minimum is above it by more
    /// than max(this, `exceed_rel_tolerance` × the total).
    pub exceed_abs_tolerance: u32,
    pub exceed_rel_tolerance: f64,
    /// At least this many totals, from two documents or more, must be
    /// exceeded before an incident is found that they cannot hold.
    pub min_exceeded_totals: usize,
    /// At most this many incidents are set aside that way.
    pub max_unheld_incidents: usize,
}

impl Default for ReconcileRules {
    fn default() -> Self {
        ReconcileRules {
            killed_tolerance: 0,
            lag_days: 7,
            exceed_abs_tolerance: 5,
            exceed_rel_tolerance: 0.1,
            min_exceeded_totals: 2,
            max_unheld_incidents: 3,
        }
    }
}

impl ReconcileRules {
    /// True when the ledger's minimum `ledger_min` is more than the
    /// tolerance above a stated figure.
    pub fn exceeds(&self, ledger_min: u64, stated: u32) -> bool {
        let rel = (self.exceed_rel_tolerance * f64::from(stated)).floor() as u64;
        ledger_min > u64::from(stated) + rel.max(u64::from(self.exceed_abs_tolerance))
    }
}

/// One announcement covering several seas.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default)]
pub struct AnnouncementRules {
    /// A death figure whose evidence starts at most this many bytes after
    /// the last sea of the announcement is its combined toll, not one sea's.
    pub combined_toll_reach: usize,
}

impl Default for AnnouncementRules {
    fn default() -> Self {
        AnnouncementRules {
            combined_toll_reach: 24,
        }
    }
}

#[derive(Debug, Deserialize)]
struct OfficialFile {
    actors: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct ResolveFile {
    dates: DateRules,
    counts: CountRules,
    official: OfficialFile,
    #[serde(default)]
    campaign: CampaignRules,
    #[serde(default)]
    reconciliation: ReconcileRules,
    #[serde(default)]
    announcement: AnnouncementRules,
}

/// Everything resolution knows about the campaign, compiled once.
#[derive(Debug, Clone)]
pub struct ResolveConfig {
    pub regions: BTreeMap<String, Region>,
    pub dates: DateRules,
    pub counts: CountRules,
    pub campaign: CampaignRules,
    pub reconciliation: ReconcileRules,
    pub announcement: AnnouncementRules,
    /// Lowercased official actor names, longest first.
    official_actors: Vec<Vec<String>>,
}

impl ResolveConfig {
    /// The data files bundled with this crate.
    pub fn bundled() -> Result<ResolveConfig, ResolveError> {
        ResolveConfig::from_toml(REGIONS_TOML, RESOLVE_TOML)
    }

    /// Builds a configuration from the text of a regions file and a
    /// resolution-rules file (same layout as the bundled ones).
    pub fn from_toml(regions: &str, rules: &str) -> Result<ResolveConfig, ResolveError> {
        let regions: RegionsFile = toml::from_str(regions).map_err(|e| ResolveError::Config {
            file: "regions.toml".into(),
            message: e.to_string(),
        })?;
        let rules: ResolveFile = toml::from_str(rules).map_err(|e| ResolveError::Config {
            file: "resolve.toml".into(),
            message: e.to_string(),
        })?;
        if rules.dates.rival_tolerance_days < 0
            || rules.dates.max_range_days < 0
            || rules.dates.undated_lookback_days < 0
        {
            return Err(ResolveError::Config {
                file: "resolve.toml".into(),
                message: "day tolerances must not be negative".into(),
            });
        }
        if rules.campaign.start_date().is_none() {
            return Err(ResolveError::Config {
                file: "resolve.toml".into(),
                message: format!(
                    "campaign start {:?} is not a YYYY-MM-DD date",
                    rules.campaign.start
                ),
            });
        }
        let mut official_actors: Vec<Vec<String>> = rules
            .official
            .actors
            .iter()
            .map(|a| words(a))
            .filter(|w| !w.is_empty())
            .collect();
        official_actors.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        official_actors.dedup();
        Ok(ResolveConfig {
            regions: regions
                .region
                .into_iter()
                .map(|r| (r.key.clone(), r))
                .collect(),
            dates: rules.dates,
            counts: rules.counts,
            campaign: rules.campaign,
            reconciliation: rules.reconciliation,
            announcement: rules.announcement,
            official_actors,
        })
    }

    /// True when `announced_by` names the striking party (whole-word match).
    pub fn is_official_actor(&self, announced_by: &str) -> bool {
        let hay = words(announced_by);
        self.official_actors
            .iter()
            .any(|needle| hay.windows(needle.len()).any(|w| w == needle.as_slice()))
    }

    /// The id code of a region key; unknown keys get a code derived from the
    /// key itself so that ids stay readable.
    pub fn region_code(&self, key: Option<&str>) -> String {
        match key {
            None => "unk".to_string(),
            Some(k) => match self.regions.get(k) {
                Some(r) => r.code.clone(),
                None => k
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric())
                    .take(6)
                    .collect(),
            },
        }
    }

    pub fn region_point(&self, key: &str) -> Option<[f64; 2]> {
        self.regions.get(key).map(|r| r.point)
    }

    /// True when two death tolls can describe the same strike.
    pub fn killed_compatible(&self, lo: u32, hi: u32) -> bool {
        let (lo, hi) = (lo.min(hi), lo.max(hi));
        let rel = (self.counts.killed_rel_tolerance * f64::from(hi)).floor();
        let tol = f64::from(self.counts.killed_abs_tolerance).max(rel);
        f64::from(hi - lo) <= tol
    }

    pub fn vessels_compatible(&self, lo: u32, hi: u32) -> bool {
        lo.abs_diff(hi) <= self.counts.vessels_abs_tolerance
    }

    pub fn survivors_compatible(&self, lo: u32, hi: u32) -> bool {
        lo.abs_diff(hi) <= self.counts.survivors_abs_tolerance
    }
}

/// Lowercased alphanumeric words (dots dropped, so "U.S." is "us").
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '.'))
        .map(|w| {
            w.chars()
                .filter(|c| *c != '.')
                .collect::<String>()
                .to_lowercase()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_config_loads_and_matches_official_names() {
        let c = ResolveConfig::bundled().unwrap();
        assert_eq!(c.region_code(Some("caribbean")), "car");
        assert_eq!(c.region_code(None), "unk");
        assert!(c.is_official_actor("U.S. Southern Command"));
        assert!(c.is_official_actor("Defense Secretary Pete Hegseth"));
        assert!(!c.is_official_actor("residents of a fishing village"));
        assert!(!c.is_official_actor("Trumpet Weekly"));
    }

    #[test]
    fn killed_tolerance_grows_with_the_toll() {
        let c = ResolveConfig::bundled().unwrap();
        assert!(c.killed_compatible(3, 4));
        assert!(!c.killed_compatible(2, 4));
        assert!(c.killed_compatible(11, 13));
        assert!(!c.killed_compatible(3, 6));
    }

    #[test]
    fn bad_files_are_errors() {
        assert!(ResolveConfig::from_toml("nope = [", RESOLVE_TOML).is_err());
        assert!(ResolveConfig::from_toml(REGIONS_TOML, "[dates]\n").is_err());
    }
}
