//! The watch loop: every source of a `sources.toml` is captured on its
//! interval (jittered), with conditional requests, backoff on errors and
//! its state in the database, so a restarted watch resumes where it was.

use std::future::Future;
use std::hash::{BuildHasher, Hasher};
use std::pin::Pin;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Deserialize;
use strikewatch_model::SourceKind;
use strikewatch_store::{HttpLog, StoreError, WatchState};

use crate::batch::{BatchItem, capture_all};
use crate::capture::{Capturer, Hints, Outcome};

/// Longest wait after repeated failures.
pub const MAX_BACKOFF: Duration = Duration::from_secs(6 * 3600);

#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error("{path}: {detail}")]
    Config { path: String, detail: String },
    #[error("watch state: {0}")]
    Store(#[from] StoreError),
}

/// One watched source.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub name: String,
    pub url: String,
    pub interval: Duration,
    /// Capture a feed's new entries.
    pub entries: bool,
    pub hints: Hints,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    #[serde(default)]
    defaults: Defaults,
    #[serde(default, rename = "source")]
    sources: Vec<FileSource>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Defaults {
    interval: Option<String>,
    entries: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSource {
    name: String,
    url: String,
    interval: Option<String>,
    entries: Option<bool>,
    /// official, news, ngo, analysis, other
    kind: Option<String>,
    /// Source name given to documents whose pages name none.
    publisher: Option<String>,
}

/// `90`, `90s`, `15m`, `2h`, `1d`.
pub fn parse_interval(text: &str) -> Result<Duration, String> {
    let t = text.trim();
    let (digits, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("not an interval: {text:?} (use e.g. 90s, 15m, 2h)"))?;
    let secs = match unit.trim() {
        "" | "s" => n,
        "m" | "min" => n * 60,
        "h" => n * 3600,
        "d" => n * 86400,
        other => return Err(format!("unknown interval unit {other:?} in {text:?}")),
    };
    if secs == 0 {
        return Err(format!("interval {text:?} must be more than zero"));
    }
    Ok(Duration::from_secs(secs))
}

fn kind_of(word: &str) -> Result<SourceKind, String> {
    match word.trim().to_ascii_lowercase().as_str() {
        "official" => Ok(SourceKind::Official),
        "news" | "wire" => Ok(SourceKind::News),
        "ngo" => Ok(SourceKind::Ngo),
        "analysis" => Ok(SourceKind::Analysis),
        "other" => Ok(SourceKind::Other),
        other => Err(format!(
            "unknown kind {other:?} (use official, news, ngo, analysis or other)"
        )),
    }
}

/// Reads a sources file (TOML); `path` names it in errors.
pub fn parse_sources(path: &str, text: &str) -> Result<Vec<Source>, WatchError> {
    let err = |detail: String| WatchError::Config {
        path: path.to_string(),
        detail,
    };
    let file: FileConfig = toml::from_str(text).map_err(|e| err(e.to_string()))?;
    let default_interval = match &file.defaults.interval {
        Some(i) => parse_interval(i).map_err(err)?,
        None => Duration::from_secs(1800),
    };
    let mut sources = Vec::new();
    for s in file.sources {
        let at = |d: String| err(format!("source {:?}: {d}", s.name));
        if sources.iter().any(|o: &Source| o.name == s.name) {
            return Err(at("the name is used twice".into()));
        }
        crate::fetch::parse_url(&s.url).map_err(|e| at(e.to_string()))?;
        let interval = match &s.interval {
            Some(i) => parse_interval(i).map_err(at)?,
            None => default_interval,
        };
        let source_kind = s.kind.as_deref().map(kind_of).transpose().map_err(at)?;
        sources.push(Source {
            name: s.name.clone(),
            url: s.url.trim().to_string(),
            interval,
            entries: s.entries.or(file.defaults.entries).unwrap_or(true),
            hints: Hints {
                source: s.publisher.clone(),
                source_kind,
            },
        });
    }
    if sources.is_empty() {
        return Err(err("no [[source]] entries".into()));
    }
    Ok(sources)
}

/// A random factor in [0.9, 1.1], so sources with one interval spread out.
fn jitter(d: Duration) -> Duration {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|t| t.as_nanos())
            .unwrap_or(0),
    );
    let unit = (h.finish() % 10_000) as f64 / 10_000.0; // [0, 1)
    d.mul_f64(0.9 + 0.2 * unit)
}

/// The wait before the next try after `failures` failures in a row.
pub fn backoff(interval: Duration, failures: u32) -> Duration {
    if failures == 0 {
        return interval;
    }
    let base = interval.min(Duration::from_secs(300));
    base.saturating_mul(1u32 << failures.min(16))
        .min(MAX_BACKOFF)
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// What one source's run came to.
#[derive(Debug, Clone)]
pub struct SourceRun {
    pub name: String,
    pub ok: bool,
    /// Summary of the run, one line.
    pub summary: String,
    pub captured: usize,
    pub documents: usize,
    pub failed: usize,
    pub failures_in_a_row: u32,
    pub next_due: String,
}

/// What the loop reports.
#[derive(Debug)]
pub enum WatchEvent<'e> {
    /// A source and when it will next run, at start-up.
    Scheduled { name: &'e str, next_due: &'e str },
    /// One URL captured (or failed).
    Item(&'e BatchItem),
    /// A source's run ended.
    Ran(&'e SourceRun),
    /// Stopped by a signal.
    Stopped,
}

/// Runs the loop until `stop` resolves (or, with `once`, after one run of
/// every source). `after_run` is called after each source's run, so the
/// caller can bring the ledger up to date.
#[allow(clippy::too_many_arguments)]
pub async fn watch(
    capturer: &Capturer<'_>,
    log: &dyn HttpLog,
    sources: &[Source],
    concurrency: usize,
    once: bool,
    mut stop: Pin<&mut (dyn Future<Output = ()> + '_)>,
    on_event: &mut dyn FnMut(WatchEvent<'_>),
    after_run: &mut dyn FnMut(&SourceRun),
) -> Result<(), WatchError> {
    let now = Utc::now();
    let mut states = Vec::with_capacity(sources.len());
    for s in sources {
        let state = match log.watch_state(&s.name)? {
            Some(st) if st.url == s.url => st,
            // New source, or its URL changed: due now.
            _ => WatchState {
                name: s.name.clone(),
                url: s.url.clone(),
                next_due: rfc3339(now),
                ..WatchState::default()
            },
        };
        on_event(WatchEvent::Scheduled {
            name: &s.name,
            next_due: &state.next_due,
        });
        states.push(state);
    }
    let mut ran_once = vec![false; sources.len()];
    loop {
        if once && ran_once.iter().all(|r| *r) {
            return Ok(());
        }
        let now = Utc::now();
        let due_at = |st: &WatchState| {
            DateTime::parse_from_rfc3339(&st.next_due)
                .map(|t| t.with_timezone(&Utc))
                .unwrap_or(now)
        };
        // With --once every source runs now; otherwise the most overdue.
        let next = (0..sources.len())
            .filter(|&i| !(once && ran_once[i]))
            .min_by_key(|&i| if once { now } else { due_at(&states[i]) });
        let Some(i) = next else { return Ok(()) };
        let wait = (due_at(&states[i]) - now)
            .to_std()
            .unwrap_or(Duration::ZERO);
        if !once && !wait.is_zero() {
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = stop.as_mut() => {
                    on_event(WatchEvent::Stopped);
                    return Ok(());
                }
            }
        }
        let source = &sources[i];
        let mut items_seen: Vec<(bool, bool)> = Vec::new();
        let mut on_item = |item: &BatchItem| {
            let doc = matches!(
                item.result,
                Ok(ref r) if matches!(r.outcome, Outcome::New { .. } | Outcome::Changed { .. })
            );
            items_seen.push((item.result.is_ok(), doc));
            on_event(WatchEvent::Item(item));
        };
        let round = capture_all(
            capturer,
            std::slice::from_ref(&source.url),
            &source.hints,
            concurrency,
            source.entries,
            &mut on_item,
        );
        let items = tokio::select! {
            items = round => Some(items),
            _ = stop.as_mut() => None,
        };
        let Some(items) = items else {
            // In-flight fetches are dropped; everything already stored
            // stays, and this source runs again on the next start.
            on_event(WatchEvent::Stopped);
            return Ok(());
        };
        ran_once[i] = true;
        let head = &items[0];
        let ok = head.result.is_ok();
        let state = &mut states[i];
        state.failures = if ok { 0 } else { state.failures + 1 };
        let wait = jitter(backoff(source.interval, state.failures));
        let finished = Utc::now();
        state.last_run = Some(rfc3339(finished));
        state.next_due = rfc3339(
            finished + chrono::Duration::from_std(wait).unwrap_or(chrono::Duration::hours(1)),
        );
        let summary = match &head.result {
            Ok(r) => match &r.outcome {
                Outcome::Feed {
                    kind,
                    entries,
                    new_entries,
                } => format!(
                    "{} {}: {entries} entries, {} new",
                    r.status,
                    kind.as_str(),
                    new_entries.len()
                ),
                other => format!("{} {}", r.status, other.word()),
            },
            Err(e) => e.to_string(),
        };
        state.last_result = Some(summary.clone());
        log.put_watch_state(state)?;
        let run = SourceRun {
            name: source.name.clone(),
            ok,
            summary,
            captured: items_seen.iter().filter(|(ok, _)| *ok).count(),
            documents: items_seen.iter().filter(|(_, d)| *d).count(),
            failed: items_seen.iter().filter(|(ok, _)| !*ok).count(),
            failures_in_a_row: state.failures,
            next_due: state.next_due.clone(),
        };
        after_run(&run);
        on_event(WatchEvent::Ran(&run));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_and_backoff() {
        assert_eq!(parse_interval("90"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_interval("15m"), Ok(Duration::from_secs(900)));
        assert_eq!(parse_interval("2h"), Ok(Duration::from_secs(7200)));
        assert!(parse_interval("0s").is_err());
        assert!(parse_interval("soon").is_err());
        let i = Duration::from_secs(900);
        assert_eq!(backoff(i, 0), i);
        assert_eq!(backoff(i, 1), Duration::from_secs(600));
        assert_eq!(backoff(i, 3), Duration::from_secs(2400));
        assert_eq!(backoff(i, 30), MAX_BACKOFF);
        for _ in 0..20 {
            let j = jitter(Duration::from_secs(1000));
            assert!(j >= Duration::from_secs(900) && j <= Duration::from_secs(1100));
        }
    }

    #[test]
    fn sources_file_is_checked() {
        let ok = r#"
            [defaults]
            interval = "20m"
            [[source]]
            name = "SOUTHCOM releases"
            url = "https://www.southcom.mil/rss"
            kind = "official"
            publisher = "U.S. Southern Command"
            [[source]]
            name = "Wire"
            url = "https://example.org/feed"
            interval = "5m"
            entries = false
        "#;
        let s = parse_sources("s.toml", ok).unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].interval, Duration::from_secs(1200));
        assert_eq!(s[0].hints.source_kind, Some(SourceKind::Official));
        assert!(!s[1].entries);
        for (bad, needle) in [
            ("[[source]]\nname = \"a\"\nurl = \"ftp://x\"", "only http"),
            (
                "[[source]]\nname = \"a\"\nurl = \"https://x.org\"\nkind = \"army\"",
                "unknown kind",
            ),
            (
                "[[source]]\nname = \"a\"\nurl = \"https://x.org\"\nintervall = \"5m\"",
                "unknown field",
            ),
            ("", "no [[source]]"),
            (
                "[[source]]\nname = \"a\"\nurl = \"https://x.org\"\n[[source]]\nname = \"a\"\nurl = \"https://y.org\"",
                "twice",
            ),
        ] {
            let e = parse_sources("s.toml", bad).unwrap_err().to_string();
            assert!(e.starts_with("s.toml: ") && e.contains(needle), "{e}");
        }
    }
}
