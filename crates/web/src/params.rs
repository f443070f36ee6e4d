//! Query parameters shared by every listing, and links that change one of
//! them while keeping the rest (facets, sorting, paging, twins).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use strikewatch_model::read::Filter;

use crate::error::PageError;

pub(crate) const DEFAULT_PER_PAGE: usize = 50;
pub(crate) const MAX_PER_PAGE: usize = 1000;
/// The largest `page` or `per_page` read; larger is refused (400).
pub(crate) const MAX_NUMBER: usize = 1_000_000_000;

/// The raw query string, kept as text so a bad value is a clear 400 rather
/// than a silently ignored filter.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub(crate) struct Params {
    pub from: Option<String>,
    pub to: Option<String>,
    /// `YYYY-MM`: shorthand for from/to over one month.
    pub month: Option<String>,
    pub region: Option<String>,
    pub grade: Option<String>,
    pub speaker: Option<String>,
    pub kind: Option<String>,
    pub q: Option<String>,
    pub sort: Option<String>,
    pub order: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
    /// Highlight `start-end[,start-end…]` in the document viewer.
    pub hl: Option<String>,
    /// `YYYY-MM-DD`: the ledger as it stood at the end of that day.
    pub as_of: Option<String>,
    /// `/changes`: only changes dated after this day (or timestamp).
    pub since: Option<String>,
    /// `/search`: documents in this language (ISO 639-1).
    pub language: Option<String>,
    /// Where the page starts in a listing walked by cursor (`cursor`): the
    /// `next_cursor` a page gave; `page` then only numbers the page.
    pub cursor: Option<String>,
    /// `1`: the whole listing, streamed (`stream`); not part of any link.
    #[serde(rename = "_stream")]
    pub stream: Option<String>,
}

fn non_empty(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn date(name: &str, v: &Option<String>) -> Result<Option<NaiveDate>, PageError> {
    match non_empty(v) {
        None => Ok(None),
        Some(s) => NaiveDate::parse_from_str(&s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| PageError::BadRequest(format!("{name} must be a date YYYY-MM-DD"))),
    }
}

/// First and last day of a `YYYY-MM` month.
pub(crate) fn month_bounds(month: &str) -> Option<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").ok()?;
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)?
    };
    Some((first, next.pred_opt()?))
}

fn number(name: &str, v: &Option<String>) -> Result<Option<usize>, PageError> {
    match non_empty(v) {
        None => Ok(None),
        Some(s) => s
            .parse::<usize>()
            .ok()
            .filter(|n| *n <= MAX_NUMBER)
            .map(Some)
            .ok_or_else(|| {
                PageError::BadRequest(format!(
                    "{name} must be a whole number from 0 to {MAX_NUMBER}"
                ))
            }),
    }
}

impl Params {
    /// The ledger filter these parameters ask for (without paging: each
    /// listing asks for its page in its own order).
    pub fn filter(&self) -> Result<Filter, PageError> {
        let mut from = date("from", &self.from)?;
        let mut to = date("to", &self.to)?;
        if let Some(m) = non_empty(&self.month) {
            let (first, last) = month_bounds(&m)
                .ok_or_else(|| PageError::BadRequest("month must be YYYY-MM".into()))?;
            from = Some(from.map_or(first, |f| f.max(first)));
            to = Some(to.map_or(last, |t| t.min(last)));
        }
        Ok(Filter {
            from,
            to,
            region: non_empty(&self.region),
            grade: non_empty(&self.grade),
            speaker: non_empty(&self.speaker),
            kind: non_empty(&self.kind),
            q: non_empty(&self.q),
            limit: None,
            offset: None,
            after: None,
        })
    }

    /// 1-based page number and page size.
    pub fn paging(&self) -> Result<(usize, usize), PageError> {
        let page = number("page", &self.page)?.unwrap_or(1).max(1);
        let per_page = number("per_page", &self.per_page)?
            .unwrap_or(DEFAULT_PER_PAGE)
            .clamp(1, MAX_PER_PAGE);
        Ok((page, per_page))
    }

    pub fn descending(&self) -> bool {
        self.order.as_deref() == Some("desc")
    }

    /// The query string (with a leading `?`, or empty) for these parameters.
    pub fn query(&self) -> String {
        let pairs: Vec<(&str, &Option<String>)> = vec![
            ("from", &self.from),
            ("to", &self.to),
            ("month", &self.month),
            ("region", &self.region),
            ("grade", &self.grade),
            ("speaker", &self.speaker),
            ("kind", &self.kind),
            ("q", &self.q),
            ("sort", &self.sort),
            ("order", &self.order),
            ("page", &self.page),
            ("per_page", &self.per_page),
            ("hl", &self.hl),
            ("as_of", &self.as_of),
            ("since", &self.since),
            ("language", &self.language),
            ("cursor", &self.cursor),
        ];
        let parts: Vec<String> = pairs
            .into_iter()
            .filter_map(|(k, v)| non_empty(v).map(|v| format!("{k}={}", encode(&v))))
            .collect();
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }

    /// The query of the page after page `page`: numbered `page + 1`, and
    /// read from `cursor` when one is known (else by its number).
    pub fn next_query(&self, page: usize, cursor: Option<&str>) -> String {
        let mut p = self.with("page", Some(&page.saturating_add(1).to_string()));
        p.cursor = cursor.map(str::to_string);
        p.query()
    }

    /// A copy with one parameter changed (or removed with `None`); any change
    /// other than the page itself goes back to page 1. A cursor is never
    /// kept: it names a place in the listing as it was asked for.
    pub fn with(&self, key: &str, value: Option<&str>) -> Params {
        let mut p = self.clone();
        let v = value.map(str::to_string);
        match key {
            "from" => p.from = v,
            "to" => p.to = v,
            "month" => p.month = v,
            "region" => p.region = v,
            "grade" => p.grade = v,
            "speaker" => p.speaker = v,
            "kind" => p.kind = v,
            "q" => p.q = v,
            "sort" => p.sort = v,
            "order" => p.order = v,
            "per_page" => p.per_page = v,
            "hl" => p.hl = v,
            "as_of" => p.as_of = v,
            "since" => p.since = v,
            "language" => p.language = v,
            _ => {}
        }
        if key == "page" {
            p.page = value.map(str::to_string);
        } else {
            p.page = None;
        }
        p.cursor = None;
        p
    }
}

/// Percent-encodes a query value (RFC 3986 unreserved characters pass).
pub(crate) fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The link to the page after `page` of a listing twin at `path`, when
/// rows are left after it: by `cursor` when the page gave one (the next
/// page then costs the same however deep it is), else by number.
pub(crate) fn next_page(
    path: &str,
    params: &Params,
    page: usize,
    per_page: usize,
    total: usize,
    cursor: Option<&str>,
) -> Option<String> {
    let more =
        cursor.is_some() || (params.cursor.is_none() && page.saturating_mul(per_page) < total);
    more.then(|| format!("{path}{}", params.next_query(page, cursor)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_sets_both_bounds() {
        let p = Params {
            month: Some("2025-12".into()),
            ..Params::default()
        };
        let f = p.filter().unwrap();
        assert_eq!(f.from, NaiveDate::from_ymd_opt(2025, 12, 1));
        assert_eq!(f.to, NaiveDate::from_ymd_opt(2025, 12, 31));
    }

    #[test]
    fn bad_date_is_rejected() {
        let p = Params {
            from: Some("yesterday".into()),
            ..Params::default()
        };
        assert!(p.filter().is_err());
    }

    #[test]
    fn query_encodes_and_resets_page() {
        let p = Params {
            q: Some("a b&c".into()),
            page: Some("3".into()),
            ..Params::default()
        };
        assert_eq!(p.query(), "?q=a%20b%26c&page=3");
        assert_eq!(
            p.with("region", Some("caribbean")).query(),
            "?region=caribbean&q=a%20b%26c"
        );
    }
}
