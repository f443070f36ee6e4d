//! Feeds and sitemaps: RSS, Atom and JSON Feed (feed-rs), and XML sitemaps
//! including Google News sitemaps (quick-xml). A feed gives the URLs of
//! its entries; capturing the feed captures the entries it has not seen.

use quick_xml::Reader;
use quick_xml::events::Event;

/// One entry of a feed or sitemap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub url: String,
    pub title: Option<String>,
    /// As the feed gives it (RFC 3339 after feed-rs, raw for sitemaps).
    pub published: Option<String>,
}

/// What kind of list a body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedKind {
    Rss,
    Atom,
    JsonFeed,
    Sitemap,
    SitemapIndex,
}

impl FeedKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FeedKind::Rss => "RSS",
            FeedKind::Atom => "Atom",
            FeedKind::JsonFeed => "JSON Feed",
            FeedKind::Sitemap => "sitemap",
            FeedKind::SitemapIndex => "sitemap index",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feed {
    pub kind: FeedKind,
    pub title: Option<String>,
    pub entries: Vec<Entry>,
}

/// Whether a response looks like a feed or sitemap, from its media type and
/// first bytes. HTML pages never do.
pub fn looks_like_feed(media_type: Option<&str>, body: &[u8]) -> bool {
    let media = media_type.unwrap_or("");
    if media.contains("html") {
        return false;
    }
    if media.contains("rss")
        || media.contains("atom")
        || media.contains("feed+json")
        || media.ends_with("/xml")
        || media.ends_with("+xml")
    {
        return true;
    }
    let head = leading(body, 512).to_ascii_lowercase();
    head.starts_with("<?xml")
        || head.starts_with("<rss")
        || head.starts_with("<feed")
        || head.starts_with("<urlset")
        || head.starts_with("<sitemapindex")
        || (head.starts_with('{') && head.contains("jsonfeed.org"))
}

fn leading(body: &[u8], n: usize) -> String {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let end = body.len().min(n);
    String::from_utf8_lossy(&body[..end])
        .trim_start()
        .to_string()
}

/// Reads a feed or sitemap; the error says why the body is neither.
pub fn parse_feed(body: &[u8]) -> Result<Feed, String> {
    let head = leading(body, 2048).to_ascii_lowercase();
    if head.contains("<urlset") || head.contains("<sitemapindex") {
        return parse_sitemap(body);
    }
    let parsed = feed_rs::parser::parse(body).map_err(|e| e.to_string())?;
    let kind = match parsed.feed_type {
        feed_rs::model::FeedType::Atom => FeedKind::Atom,
        feed_rs::model::FeedType::JSON => FeedKind::JsonFeed,
        _ => FeedKind::Rss,
    };
    let entries = parsed
        .entries
        .into_iter()
        .filter_map(|e| {
            let url = e
                .links
                .iter()
                .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
                .or(e.links.first())
                .map(|l| l.href.trim().to_string())
                .or_else(|| {
                    // RSS items whose guid is a permalink.
                    Some(e.id.trim().to_string()).filter(|id| id.starts_with("http"))
                })?;
            Some(Entry {
                url,
                title: e.title.map(|t| t.content),
                published: e.published.or(e.updated).map(|d| d.to_rfc3339()),
            })
        })
        .collect();
    Ok(Feed {
        kind,
        title: parsed.title.map(|t| t.content),
        entries,
    })
}

/// `<urlset>` (with `news:` title and publication date when present) or
/// `<sitemapindex>`.
fn parse_sitemap(body: &[u8]) -> Result<Feed, String> {
    let mut reader = Reader::from_reader(body);
    let mut buf = Vec::new();
    let mut kind = None;
    let mut entries = Vec::new();
    let mut current: Option<Entry> = None;
    let mut field: Option<&'static str> = None;
    let mut text = String::new();
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| format!("XML error at byte {}: {e}", reader.error_position()))?;
        match event {
            Event::Start(e) => {
                text.clear();
                field = None;
                match e.local_name().as_ref() {
                    "urlset" => kind = Some(FeedKind::Sitemap),
                    "sitemapindex" => kind = Some(FeedKind::SitemapIndex),
                    "url" | "sitemap" => {
                        current = Some(Entry {
                            url: String::new(),
                            title: None,
                            published: None,
                        })
                    }
                    "loc" => field = Some("loc"),
                    "title" => field = Some("title"),
                    "publication_date" => field = Some("date"),
                    "lastmod" => field = Some("lastmod"),
                    _ => {}
                }
            }
            Event::Text(t) => text.push_str(&t.xml_content(quick_xml::XmlVersion::Implicit1_0)),
            Event::CData(t) => text.push_str(&t.into_inner()),
            Event::GeneralRef(r) => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    text.push(c);
                } else {
                    let name = r.into_inner();
                    text.push_str(match name.as_ref() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        _ => "",
                    });
                }
            }
            Event::End(e) => {
                let name = e.local_name();
                if let (Some(entry), Some(f)) = (current.as_mut(), field.take()) {
                    let value = text.trim().to_string();
                    match f {
                        "loc" => entry.url = value,
                        "title" => entry.title = Some(value),
                        "date" => entry.published = Some(value),
                        _ => {
                            if entry.published.is_none() {
                                entry.published = Some(value)
                            }
                        }
                    }
                }
                text.clear();
                if matches!(name.as_ref(), "url" | "sitemap")
                    && let Some(entry) = current.take()
                    && !entry.url.is_empty()
                {
                    entries.push(entry);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    let kind = kind.ok_or("no <urlset> or <sitemapindex> element")?;
    Ok(Feed {
        kind,
        title: None,
        entries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rss_atom_and_json_feed() {
        let rss = br#"<?xml version="1.0"?><rss version="2.0"><channel><title>War Dept</title>
            <item><title>Strike in the Caribbean</title><link>https://example.org/a</link>
            <pubDate>Tue, 02 Sep 2025 21:30:00 GMT</pubDate></item>
            <item><title>No link</title><guid isPermaLink="true">https://example.org/b</guid></item>
            </channel></rss>"#;
        let f = parse_feed(rss).unwrap();
        assert_eq!(f.kind, FeedKind::Rss);
        assert_eq!(f.title.as_deref(), Some("War Dept"));
        let urls: Vec<_> = f.entries.iter().map(|e| e.url.as_str()).collect();
        assert_eq!(urls, ["https://example.org/a", "https://example.org/b"]);
        assert!(
            f.entries[0]
                .published
                .as_deref()
                .unwrap()
                .starts_with("2025-09-02T21:30:00")
        );

        let atom =
            br#"<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
            <title>SOUTHCOM</title><id>urn:x</id><updated>2025-09-03T00:00:00Z</updated>
            <entry><title>Post</title><id>urn:y</id><updated>2025-09-03T00:00:00Z</updated>
            <link rel="alternate" href="https://example.org/post/1"/></entry></feed>"#;
        let f = parse_feed(atom).unwrap();
        assert_eq!(f.kind, FeedKind::Atom);
        assert_eq!(f.entries[0].url, "https://example.org/post/1");

        let json = br#"{"version":"https://jsonfeed.org/version/1.1","title":"Wire",
            "items":[{"id":"1","url":"https://example.org/wire/1","title":"Boat struck"}]}"#;
        assert!(looks_like_feed(Some("application/json"), json));
        let f = parse_feed(json).unwrap();
        assert_eq!(f.kind, FeedKind::JsonFeed);
        assert_eq!(f.entries[0].url, "https://example.org/wire/1");
    }

    #[test]
    fn reads_news_sitemaps_and_indexes() {
        let xml = br#"<?xml version="1.0" encoding="UTF-8"?>
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
                    xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
            <url><loc>https://example.org/2025/09/02/strike</loc>
              <news:news><news:publication><news:name>Ex</news:name><news:language>en</news:language></news:publication>
              <news:publication_date>2025-09-02T21:30:00Z</news:publication_date>
              <news:title>Strike &amp; aftermath</news:title></news:news></url>
            <url><loc>https://example.org/about</loc><lastmod>2025-01-01</lastmod></url>
            </urlset>"#;
        let f = parse_feed(xml).unwrap();
        assert_eq!(f.kind, FeedKind::Sitemap);
        assert_eq!(f.entries.len(), 2);
        assert_eq!(f.entries[0].title.as_deref(), Some("Strike & aftermath"));
        assert_eq!(
            f.entries[0].published.as_deref(),
            Some("2025-09-02T21:30:00Z")
        );
        assert_eq!(f.entries[1].published.as_deref(), Some("2025-01-01"));

        let index = br#"<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
            <sitemap><loc>https://example.org/news-sitemap.xml</loc></sitemap></sitemapindex>"#;
        let f = parse_feed(index).unwrap();
        assert_eq!(f.kind, FeedKind::SitemapIndex);
        assert_eq!(f.entries[0].url, "https://example.org/news-sitemap.xml");
    }

    #[test]
    fn html_and_garbage_are_not_feeds() {
        assert!(!looks_like_feed(
            Some("text/html"),
            b"<?xml version='1.0'?><html>"
        ));
        assert!(looks_like_feed(None, b"  <rss version=\"2.0\">"));
        assert!(parse_feed(b"this is not a feed").is_err());
        assert!(parse_feed(b"{\"hello\": 1}").is_err());
    }
}
