//! HTML pages: main text by Readability (dom_smoothie), metadata from the
//! page head (`<title>`, Open Graph and `article:published_time` meta,
//! `<time datetime>`, canonical link, `<html lang>`).
//!
//! Hostile pages are kept within bounds: a first linear pass
//! ([`super::html_scan`]) measures nesting and size, and a page nested
//! deeper than [`MAX_DEPTH`] or with more than [`MAX_ELEMENTS`] elements is
//! read flat from that pass, with no tree built. Readability runs on a
//! thread of its own with a large stack and [`TIME_LIMIT`]; a page it has
//! not finished by then is read flat too. Either way the page is kept, with
//! a note saying how it was read.

use std::sync::mpsc;
use std::time::Duration;

use dom_smoothie::{Config, Readability, TextMode};
use scraper::{Html, Selector};

use super::Parsed;
use super::html_scan::{Scan, scan};
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

/// Deeper nesting than this is read flat: real pages stay far below it.
pub const MAX_DEPTH: usize = 256;
/// More elements than this are read flat.
pub const MAX_ELEMENTS: usize = 100_000;
/// Readability gets this long for one page before it is read flat.
pub const TIME_LIMIT: Duration = Duration::from_secs(10);
/// Stack of the thread that builds the tree and runs Readability.
const STACK_BYTES: usize = 64 * 1024 * 1024;

pub fn parse_html(source: &str) -> Result<Parsed, String> {
    parse_html_within(source, TIME_LIMIT)
}

/// [`parse_html`] with the time limit given.
pub fn parse_html_within(source: &str, time_limit: Duration) -> Result<Parsed, String> {
    let shape = scan(source);
    if shape.depth > MAX_DEPTH || shape.elements > MAX_ELEMENTS {
        let note = format!(
            "HTML nested {} deep with {} elements (limits {MAX_DEPTH} and {MAX_ELEMENTS}): main text not extracted, all text read flat",
            shape.depth, shape.elements
        );
        return flat(shape, note);
    }
    let (sender, receiver) = mpsc::channel();
    let owned = source.to_string();
    let spawned = std::thread::Builder::new()
        .name("html-main-text".into())
        .stack_size(STACK_BYTES)
        .spawn(move || {
            // The receiver may have given up waiting: nothing to tell then.
            let _ = sender.send(parse_tree(&owned));
        });
    if let Err(e) = spawned {
        return Err(format!("cannot start reading HTML: {e}"));
    }
    match receiver.recv_timeout(time_limit) {
        Ok(parsed) => parsed,
        // Over time, or the reader died: the page is read flat. A reader
        // still running finishes on its own; its result is dropped.
        Err(_) => {
            let note = format!(
                "main-text extraction did not finish within {} s: all text read flat",
                time_limit.as_secs_f64()
            );
            flat(shape, note)
        }
    }
}

/// The page read from the scan alone: every text outside scripts, styles,
/// navigation and forms, with the head's metadata.
fn flat(shape: Scan, note: String) -> Result<Parsed, String> {
    let Scan {
        text,
        title,
        mut meta,
        canonical,
        lang,
        time,
        ..
    } = shape;
    if text.trim().is_empty() {
        return Err(format!("no readable text in HTML ({note})"));
    }
    let url = canonical.or_else(|| meta.remove("og:url"));
    let title = meta.remove("og:title").or(title);
    let published_at = ["article:published_time", "datePublished", "date"]
        .iter()
        .find_map(|k| meta.remove(*k))
        .or(time)
        .as_deref()
        .and_then(parse_published);
    Ok(Parsed {
        url,
        title,
        published_at,
        language: lang,
        source: meta.remove("og:site_name"),
        text: join_soft_wraps(&text),
        notes: vec![note],
        ..Parsed::default()
    })
}

/// The page read through a tree: metadata by selectors, main text by
/// Readability.
fn parse_tree(source: &str) -> Result<Parsed, String> {
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
        notes: Vec::new(),
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

    /// Before, 10,000 nested `<div>`s took 16 s and 100,000 did not finish
    /// in two minutes (and could overflow the stack). Now such a page is
    /// read flat from one linear pass, with a note.
    #[test]
    fn deeply_nested_pages_are_read_flat_and_fast() {
        for depth in [10_000, 100_000] {
            let page = format!(
                "<html><head><title>Deep</title></head><body>{}<p>Three dead in a strike.</p>{}</body></html>",
                "<div>".repeat(depth),
                "</div>".repeat(depth)
            );
            let started = std::time::Instant::now();
            let p = parse_html(&page).unwrap();
            assert!(
                started.elapsed() < std::time::Duration::from_secs(5),
                "{depth}: {:?}",
                started.elapsed()
            );
            assert_eq!(normalize_text(&p.text), "Three dead in a strike.");
            assert_eq!(p.title.as_deref(), Some("Deep"));
            assert_eq!(p.notes.len(), 1);
            assert!(
                p.notes[0].contains(&format!("nested {} deep", depth + 2)),
                "{:?}",
                p.notes
            );
        }
    }

    #[test]
    fn pages_with_too_many_elements_are_read_flat() {
        let page = format!(
            "<p>Three dead.</p>{}",
            "<span>x</span>".repeat(MAX_ELEMENTS + 1)
        );
        let p = parse_html(&page).unwrap();
        assert!(p.notes[0].contains("elements"), "{:?}", p.notes);
        assert!(normalize_text(&p.text).starts_with("Three dead."));
    }

    #[test]
    fn extraction_over_its_time_limit_is_read_flat() {
        // Long enough that Readability takes far more than a millisecond.
        let extra = "<p>Officials gave no further details about the vessel.</p>".repeat(5000);
        let page = PAGE.replace("</article>", &format!("{extra}</article>"));
        let p = parse_html_within(&page, std::time::Duration::from_millis(1)).unwrap();
        assert!(p.notes[0].contains("did not finish"), "{:?}", p.notes);
        let text = normalize_text(&p.text);
        assert!(text.contains("killing three people aboard"), "{text}");
        assert!(!text.contains("Subscribe now"), "{text}");
        assert_eq!(
            p.url.as_deref(),
            Some("https://example.org/gazette/strike-three")
        );
        assert_eq!(p.published_at.unwrap().text, "2025-10-16T15:00:00Z");
        assert_eq!(p.language.as_deref(), Some("en-US"));
    }

    #[test]
    fn ordinary_pages_carry_no_note() {
        assert!(parse_html(PAGE).unwrap().notes.is_empty());
    }

    #[test]
    fn short_pages_fall_back_and_empty_pages_fail() {
        let p =
            parse_html("<html><body><p>Three dead.</p><script>x()</script></body></html>").unwrap();
        assert_eq!(normalize_text(&p.text), "Three dead.");
        assert!(parse_html("<html><body><script>x()</script></body></html>").is_err());
    }
}
