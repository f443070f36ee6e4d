//! The page shell and small pieces shared by every HTML page. Everything is
//! built with `maud`, which escapes every interpolated value.

use axum::http::StatusCode;
use maud::{DOCTYPE, Markup, html};
use strikewatch_model::ledger::CountRange;

use crate::params::Params;

const NAV: [(&str, &str); 10] = [
    ("/", "Overview"),
    ("/incidents", "Incidents"),
    ("/timeline", "Timeline"),
    ("/map", "Map"),
    ("/statements", "Statements"),
    ("/claims", "Claims"),
    ("/reconciliation", "Reconciliation"),
    ("/trackers", "Trackers"),
    ("/reviews", "Reviews"),
    ("/search", "Search"),
];

/// A full HTML page. `twins` is the path (without suffix) and query of the
/// page's `.json`/`.csv` twins, when it has them.
pub(crate) fn page(site: &str, title: &str, twins: Option<(&str, &str)>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (site) }
                link rel="stylesheet" href="/assets/style.css";
                script src="/assets/app.js" defer {}
            }
            body {
                header.site {
                    a.brand href="/" { (site) }
                    nav { @for (href, label) in NAV { a href=(href) { (label) } } }
                }
                main {
                    h1 { (title) }
                    @if let Some((path, query)) = twins {
                        p.twins {
                            "This page as "
                            a href={ (path) ".json" (query) } { "JSON" }
                            " · "
                            a href={ (path) ".csv" (query) } { "CSV" }
                        }
                    }
                    (body)
                }
                footer {
                    p { "A public, sourced record of what is published about the strikes. Every figure links to the sentence it came from. "
                        a href="/openapi.json" { "API description" } }
                }
            }
        }
    }
}

pub(crate) fn error_page(status: StatusCode, message: &str) -> Markup {
    let title = status.canonical_reason().unwrap_or("Error");
    page("strikewatch", title, None, html! { p { (message) } })
}

/// The URL when it is a plain `http(s)` URL, which alone may become a link:
/// `javascript:`, `data:` and the like stay text.
pub(crate) fn safe_url(url: &str) -> Option<&str> {
    let trimmed = url.trim();
    let lower = trimmed.get(..8).unwrap_or(trimmed).to_ascii_lowercase();
    let allowed = lower.starts_with("https://") || lower.starts_with("http://");
    let clean = !trimmed
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || c == '"' || c == '<' || c == '>');
    (allowed && clean).then_some(trimmed)
}

/// A source link, or the URL as inert text when it is not `http(s)`.
pub(crate) fn source_link(url: Option<&str>, label: &str) -> Markup {
    match url {
        Some(u) => match safe_url(u) {
            Some(safe) => {
                html! { a.source href=(safe) rel="noopener noreferrer nofollow external" { (label) } }
            }
            None => html! { span.unsafe-url title="not an http(s) link" { (label) " (" (u) ")" } },
        },
        None => html! { span { (label) } },
    }
}

/// "11", "11–12" or "—".
pub(crate) fn range(r: &CountRange) -> String {
    match (r.min, r.max) {
        (Some(a), Some(b)) if a == b => a.to_string(),
        (Some(a), Some(b)) => format!("{a}–{b}"),
        (Some(a), None) | (None, Some(a)) => a.to_string(),
        (None, None) => "—".to_string(),
    }
}

pub(crate) fn region_label(region: Option<&str>) -> String {
    match region {
        Some("caribbean") => "Caribbean".into(),
        Some("eastern_pacific") => "Eastern Pacific".into(),
        Some(other) => other.replace('_', " "),
        None => "not stated".into(),
    }
}

pub(crate) fn opt_text<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_else(|| "—".into())
}

/// Link to the document viewer with one span highlighted and scrolled to.
pub(crate) fn evidence_href(document_id: &str, start: usize, end: usize) -> String {
    format!(
        "/documents/{}?hl={start}-{end}#span-{start}-{end}",
        crate::params::encode(document_id)
    )
}

/// The 1-based first and last row numbers shown on `page`, or `None` when
/// the page lies past the last row. Saturating: any page number from the
/// query string, up to `usize::MAX`, gives an answer without overflow.
pub(crate) fn shown_rows(page: usize, per_page: usize, total: usize) -> Option<(usize, usize)> {
    let skipped = page.max(1).saturating_sub(1).saturating_mul(per_page);
    (skipped < total).then(|| (skipped + 1, skipped.saturating_add(per_page).min(total)))
}

/// "Showing 1–50 of 79" with previous/next links. The next link reads the
/// page from `next_cursor` when the listing gave one (the cost of a page
/// is then the same however deep it lies); a page read by cursor that gave
/// none is the last.
pub(crate) fn pager(
    path: &str,
    params: &Params,
    page: usize,
    per_page: usize,
    total: usize,
    next_cursor: Option<&str>,
) -> Markup {
    let shown = shown_rows(page, per_page, total);
    let prev = (page > 1).then(|| {
        // Past the end, "previous" goes to the last page that has rows.
        let to = match shown {
            Some(_) => page - 1,
            None => total.div_ceil(per_page.max(1)).max(1),
        };
        params.with("page", Some(&to.to_string())).query()
    });
    let next = match next_cursor {
        Some(c) => Some(params.next_query(page, Some(c))),
        None if params.cursor.is_some() => None,
        None => shown
            .filter(|(_, last)| *last < total)
            .map(|_| params.next_query(page, None)),
    };
    html! {
        nav.pager aria-label="pages" {
            @match shown {
                Some((first, last)) => span { "Showing " (first) "–" (last) " of " (total) },
                None if total == 0 => span { "Showing 0 of 0" },
                None => span { "Page " (page) " is past the last of " (total) " rows" },
            }
            @if let Some(q) = prev { " " a rel="prev" href={ (path) (q) } { "← previous" } }
            @if let Some(q) = next { " " a rel="next" href={ (path) (q) } { "next →" } }
        }
    }
}

/// A column header that sorts by `key`, flipping the order when already sorted by it.
pub(crate) fn sort_header(path: &str, params: &Params, key: &str, label: &str) -> Markup {
    let active = params.sort.as_deref() == Some(key);
    let order = if active && !params.descending() {
        "desc"
    } else {
        "asc"
    };
    let q = params
        .with("sort", Some(key))
        .with("order", Some(order))
        .query();
    let mark = match (active, params.descending()) {
        (true, false) => " ▲",
        (true, true) => " ▼",
        _ => "",
    };
    html! { th aria-sort=(if active { if params.descending() { "descending" } else { "ascending" } } else { "none" }) {
        a href={ (path) (q) } { (label) (mark) }
    } }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Before, `(page - 1) * per_page + 1` overflowed: a panic with overflow
    /// checks on, "Showing 18446744073709551517–6 of 6" without.
    #[test]
    fn pager_saturates_on_huge_pages() {
        assert_eq!(shown_rows(1, 50, 6), Some((1, 6)));
        assert_eq!(shown_rows(2, 5, 6), Some((6, 6)));
        assert_eq!(shown_rows(3, 5, 6), None);
        assert_eq!(shown_rows(0, 5, 6), Some((1, 5)));
        assert_eq!(shown_rows(usize::MAX, 50, 6), None);
        assert_eq!(shown_rows(usize::MAX, usize::MAX, usize::MAX), None);
        assert_eq!(shown_rows(2, usize::MAX, usize::MAX), None);
        let out = pager("/incidents", &Params::default(), usize::MAX, 1000, 6, None).into_string();
        assert!(out.contains("is past the last of 6 rows"), "{out}");
        assert!(out.contains("href=\"/incidents?page=1\""), "{out}");
        assert!(!out.contains("next"), "{out}");
    }
}
