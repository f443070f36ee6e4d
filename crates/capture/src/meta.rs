//! Publication dates the HTML reader does not look for: JSON-LD
//! `datePublished`, then a date in the URL's path.

use std::sync::LazyLock;

use regex::Regex;
use strikewatch_ingest::dates::parse_published;
use strikewatch_ingest::formats::Parsed;

static JSON_LD_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#""datePublished"\s*:\s*"([^"]{4,40})""#).expect("valid regex"));
static URL_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"/((?:19|20)\d\d)[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?:[/-]|\.html?$|$)")
        .expect("valid regex")
});

/// Sets `published_at` from JSON-LD or the URL when the page's meta tags
/// gave none.
pub fn fill_published(parsed: &mut Parsed, body: &[u8], url: &str) {
    if parsed.published_at.is_some() {
        return;
    }
    let text = String::from_utf8_lossy(body);
    parsed.published_at = JSON_LD_DATE
        .captures_iter(&text)
        .find_map(|c| parse_published(&c[1]))
        .or_else(|| published_from_url(url));
}

/// `/2025/09/02/…` or `/2025-09-02-…` in a URL's path, as a day.
pub fn published_from_url(url: &str) -> Option<strikewatch_model::PublishedAt> {
    let path = url::Url::parse(url).ok()?.path().to_string();
    let c = URL_DATE.captures(&path)?;
    parse_published(&format!("{}-{}-{}", &c[1], &c[2], &c[3]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_then_url() {
        let mut p = Parsed::default();
        let page = br#"<script type="application/ld+json">{"@type":"NewsArticle","datePublished": "2025-09-02T21:30:00Z"}</script>"#;
        fill_published(&mut p, page, "https://example.org/x");
        assert_eq!(p.published_at.unwrap().text, "2025-09-02T21:30:00Z");

        let mut p = Parsed::default();
        fill_published(
            &mut p,
            b"<p>x</p>",
            "https://example.org/2025/10/16/strike-kills-three/",
        );
        assert_eq!(p.published_at.unwrap().text, "2025-10-16");
        assert_eq!(
            published_from_url("https://example.org/news/2025-09-15-boat.html")
                .unwrap()
                .text,
            "2025-09-15"
        );
        assert!(published_from_url("https://example.org/2025/13/01/x").is_none());
        assert!(published_from_url("https://example.org/id/20251016").is_none());
    }
}
