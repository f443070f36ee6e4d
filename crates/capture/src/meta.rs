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

static META_CHARSET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)"#).expect("valid regex")
});

/// The body as UTF-8: unchanged when it already is; otherwise decoded from
/// the charset of the Content-Type header, else of a `<meta>` tag, else as
/// windows-1252 (what browsers assume). The archive keeps the raw bytes.
pub fn utf8_body<'b>(body: &'b [u8], content_type: Option<&str>) -> std::borrow::Cow<'b, [u8]> {
    if std::str::from_utf8(body).is_ok() {
        return std::borrow::Cow::Borrowed(body);
    }
    let from_header = content_type.and_then(|ct| {
        ct.split(';')
            .filter_map(|p| p.trim().split_once('='))
            .find(|(k, _)| k.trim().eq_ignore_ascii_case("charset"))
            .map(|(_, v)| v.trim().trim_matches('"').to_string())
    });
    let head = String::from_utf8_lossy(&body[..body.len().min(4096)]).into_owned();
    let from_meta = META_CHARSET.captures(&head).map(|c| c[1].to_string());
    let encoding = from_header
        .or(from_meta)
        .and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()))
        .unwrap_or(encoding_rs::WINDOWS_1252);
    let (text, _) = encoding.decode_without_bom_handling(body);
    std::borrow::Cow::Owned(text.into_owned().into_bytes())
}

#[cfg(test)]
mod charset_tests {
    use super::*;

    #[test]
    fn latin1_pages_are_decoded() {
        let body = b"<html><head><meta charset=\"iso-8859-1\"></head><body><p>Ataque en el Pac\xedfico</p></body></html>";
        let out = utf8_body(body, Some("text/html"));
        assert!(
            String::from_utf8(out.into_owned())
                .unwrap()
                .contains("Pacífico")
        );
        let out = utf8_body(b"ni\xf1os", Some("text/plain; charset=ISO-8859-1"));
        assert_eq!(&*out, "niños".as_bytes());
        let out = utf8_body(b"se\xf1al", None);
        assert_eq!(&*out, "señal".as_bytes());
        assert!(matches!(
            utf8_body("ya UTF-8 ñ".as_bytes(), None),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
