//! HTML pages: main text by Readability (dom_smoothie), metadata from the
//! page head (`<title>`, Open Graph and `article:published_time` meta,
//! `<time datetime>`, canonical link, `<html lang>`).

use dom_smoothie::{Config, Readability, TextMode};
use scraper::{Html, Selector};

use super::Parsed;
use crate::dates::parse_published;

fn selector(css: &str) -> Option<Selector> {
    Selector::parse(css).ok()
}

fn first_attr(page: &Html, css: &str, attr: &str) -> Option<String> {
    let sel = selector(css)?;
    page.select(&sel)
        .filter_map(|e| e.value().attr(attr))
        .map(|v| v.trim().to_string())
        .find(|v| !v.is_empty())
}

fn first_text(page: &Html, css: &str) -> Option<String> {
    let sel = selector(css)?;
    page.select(&sel)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .find(|t| !t.is_empty())
}

pub fn parse_html(source: &str) -> Result<Parsed, String> {
    let page = Html::parse_document(source);
    let url = first_attr(&page, r#"link[rel="canonical"]"#, "href")
        .or_else(|| first_attr(&page, r#"meta[property="og:url"]"#, "content"));
    let title = first_attr(&page, r#"meta[property="og:title"]"#, "content")
        .or_else(|| first_text(&page, "title"));
    let published_raw = [
        r#"meta[property="article:published_time"]"#,
        r#"meta[name="article:published_time"]"#,
        r#"meta[itemprop="datePublished"]"#,
        r#"meta[name="date"]"#,
    ]
    .iter()
    .find_map(|css| first_attr(&page, css, "content"))
    .or_else(|| first_attr(&page, "time[datetime]", "datetime"));
    let language = first_attr(&page, "html[lang]", "lang");
    let source_name = first_attr(&page, r#"meta[property="og:site_name"]"#, "content");

    let config = Config {
        text_mode: TextMode::Formatted,
        ..Config::default()
    };
    let article =
        Readability::new(source, url.as_deref(), Some(config)).and_then(|mut r| r.parse());
    let (text, article_title, article_time) = match article {
        Ok(a) if !a.text_content.trim().is_empty() => {
            (a.text_content.to_string(), Some(a.title), a.published_time)
        }
        _ => (fallback_text(&page), None, None),
    };
    if text.trim().is_empty() {
        return Err("no readable text in HTML".into());
    }
    let text = join_soft_wraps(&text);
    let published_at = published_raw
        .or(article_time)
        .as_deref()
        .and_then(parse_published);
    Ok(Parsed {
        id: None,
        url,
        title: title.or(article_title.filter(|t| !t.trim().is_empty())),
        published_at,
        language,
        source: source_name,
        source_kind: None,
        text,
        private: false,
    })
}

/// In HTML a line break in the source is just a space; blank lines are the
/// paragraph breaks of the extracted text.
fn join_soft_wraps(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    text.split("\n\n")
        .map(|p| p.replace('\n', " "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// When Readability finds no article (very short pages), keep the text of
/// headings, paragraphs and list items outside navigation and scripts.
fn fallback_text(page: &Html) -> String {
    let Some(sel) = selector("h1, h2, h3, h4, p, li, blockquote, td") else {
        return String::new();
    };
    let skip = [
        "nav", "header", "footer", "script", "style", "noscript", "aside", "form",
    ];
    page.select(&sel)
        .filter(|e| {
            !e.ancestors().any(|a| {
                a.value()
                    .as_element()
                    .is_some_and(|el| skip.contains(&el.name()))
            })
        })
        .map(|e| e.text().collect::<String>())
        .filter(|t| !t.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize_text;

    const PAGE: &str = r#"<!doctype html><html lang="en-US"><head>
        <title>Strike kills three | Example Gazette</title>
        <meta property="og:site_name" content="Example Gazette">
        <meta property="article:published_time" content="2025-10-16T15:00:00Z">
        <link rel="canonical" href="https://example.org/gazette/strike-three">
        <style>body { color: red }</style><script>var tracking = 1;</script>
        </head><body>
        <nav><a href="/">Home</a> <a href="/world">World</a> <a href="/subscribe">Subscribe now</a></nav>
        <article><h1>Strike kills three</h1>
        <p>The U.S. military struck a vessel in the eastern Pacific on Tuesday, killing three
        people aboard, officials said in a statement released late in the evening.</p>
        <p>It was the latest in a series of strikes on boats that the administration says were
        carrying drugs, and the Pentagon gave no further details about the location.</p>
        <p>Lawmakers from both parties asked for the legal basis of the campaign and for the
        evidence that the people killed were smugglers, without an answer so far.</p>
        </article>
        <footer>Copyright Example Gazette. All rights reserved.</footer>
        </body></html>"#;

    #[test]
    fn extracts_main_text_and_metadata() {
        let p = parse_html(PAGE).unwrap();
        assert_eq!(
            p.url.as_deref(),
            Some("https://example.org/gazette/strike-three")
        );
        assert_eq!(
            p.title.as_deref(),
            Some("Strike kills three | Example Gazette")
        );
        assert_eq!(p.published_at.unwrap().text, "2025-10-16T15:00:00Z");
        assert_eq!(p.language.as_deref(), Some("en-US"));
        assert_eq!(p.source.as_deref(), Some("Example Gazette"));
        let text = normalize_text(&p.text);
        assert!(text.contains("killing three people aboard"), "{text}");
        assert!(text.contains("\n\nIt was the latest"), "{text}");
        for noise in [
            "Subscribe now",
            "tracking",
            "color: red",
            "All rights reserved",
        ] {
            assert!(!text.contains(noise), "{noise} in {text}");
        }
    }

    #[test]
    fn short_pages_fall_back_and_empty_pages_fail() {
        let p =
            parse_html("<html><body><p>Three dead.</p><script>x()</script></body></html>").unwrap();
        assert_eq!(normalize_text(&p.text), "Three dead.");
        assert!(parse_html("<html><body><script>x()</script></body></html>").is_err());
    }
}
