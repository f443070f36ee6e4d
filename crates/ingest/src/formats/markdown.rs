//! A light Markdown-to-text pass: keeps the words, drops the markup.
//! Headings, list items and quotes become their own paragraphs; the first
//! heading (or a `title:` in front matter) becomes the title.

use std::sync::LazyLock;

use regex::Regex;

use super::Parsed;
use crate::dates::parse_published;

static IMAGE: LazyLock<Regex> = LazyLock::new(|| re(r"!\[([^\]]*)\]\([^)]*\)"));
static LINK: LazyLock<Regex> = LazyLock::new(|| re(r"\[([^\]]+)\](?:\([^)]*\)|\[[^\]]*\])"));
static AUTOLINK: LazyLock<Regex> = LazyLock::new(|| re(r"<(https?://[^>\s]+)>"));
static TAG: LazyLock<Regex> = LazyLock::new(|| re(r"</?[A-Za-z][^>]*>"));
static STRONG: LazyLock<Regex> =
    LazyLock::new(|| re(r"\*\*(\S(?:.*?\S)?)\*\*|__(\S(?:.*?\S)?)__|~~(\S(?:.*?\S)?)~~"));
static EMPHASIS: LazyLock<Regex> = LazyLock::new(|| re(r"(^|[^\w*])[*_](\S(?:[^*_]*?\S)?)[*_]"));
static CODE: LazyLock<Regex> = LazyLock::new(|| re(r"`+([^`]+)`+"));
static ESCAPE: LazyLock<Regex> = LazyLock::new(|| re(r"\\([\\`*_{}\[\]()#+\-.!>])"));
static LIST: LazyLock<Regex> = LazyLock::new(|| re(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+"));
static HEADING: LazyLock<Regex> = LazyLock::new(|| re(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$"));
static RULE: LazyLock<Regex> = LazyLock::new(|| re(r"^\s{0,3}(?:[-*_]\s*){3,}$|^\s{0,3}=+\s*$"));
static REFERENCE: LazyLock<Regex> = LazyLock::new(|| re(r"^\s{0,3}\[[^\]]+\]:\s+\S"));

fn re(pattern: &str) -> Regex {
    // The patterns are fixed strings checked by the tests below.
    Regex::new(pattern).unwrap_or_else(|e| panic!("markdown pattern {pattern}: {e}"))
}

pub fn parse_markdown(source: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let body = front_matter(source, &mut parsed);
    // Blocks become paragraphs; the lines of one Markdown paragraph are
    // soft-wrapped, so they are joined with spaces.
    let mut blocks: Vec<String> = Vec::new();
    let mut paragraph: Vec<String> = Vec::new();
    let mut fence: Option<Vec<String>> = None;
    let flush = |paragraph: &mut Vec<String>, blocks: &mut Vec<String>| {
        if !paragraph.is_empty() {
            blocks.push(paragraph.join(" "));
            paragraph.clear();
        }
    };
    for line in body.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            flush(&mut paragraph, &mut blocks);
            match fence.take() {
                Some(code) => blocks.push(code.join("\n")),
                None => fence = Some(Vec::new()),
            }
            continue;
        }
        if let Some(code) = fence.as_mut() {
            code.push(line.to_string());
            continue;
        }
        if line.trim().is_empty() || RULE.is_match(line) || REFERENCE.is_match(line) {
            flush(&mut paragraph, &mut blocks);
            continue;
        }
        if let Some(c) = HEADING.captures(line) {
            flush(&mut paragraph, &mut blocks);
            let text = inline(&c[2]);
            if parsed.title.is_none() && !text.is_empty() {
                parsed.title = Some(text.clone());
            }
            blocks.push(text);
            continue;
        }
        let mut text = line;
        while let Some(rest) = text.trim_start().strip_prefix('>') {
            text = rest;
        }
        if let Some(m) = LIST.find(text) {
            flush(&mut paragraph, &mut blocks);
            text = &text[m.end()..];
        }
        paragraph.push(inline(text));
    }
    flush(&mut paragraph, &mut blocks);
    if let Some(code) = fence {
        blocks.push(code.join("\n"));
    }
    parsed.text = blocks.join("\n\n");
    parsed
}

/// Reads `title:` and `date:` from a leading `---` block; returns the rest.
fn front_matter<'a>(source: &'a str, parsed: &mut Parsed) -> &'a str {
    let Some(rest) = source
        .strip_prefix("---\n")
        .or_else(|| source.strip_prefix("---\r\n"))
    else {
        return source;
    };
    let Some(end) = rest.find("\n---") else {
        return source;
    };
    for line in rest[..end].lines() {
        if let Some((key, value)) = line.split_once(':') {
            let value = value.trim().trim_matches(['"', '\'']).to_string();
            match key.trim() {
                "title" => parsed.title = Some(value),
                "date" | "published" | "published_at" => {
                    parsed.published_at = parse_published(&value)
                }
                "url" => parsed.url = Some(value),
                "lang" | "language" => parsed.language = Some(value),
                _ => {}
            }
        }
    }
    let after = &rest[end + 4..];
    after.split_once('\n').map(|(_, body)| body).unwrap_or("")
}

fn inline(text: &str) -> String {
    let text = IMAGE.replace_all(text, "$1");
    let text = LINK.replace_all(&text, "$1");
    let text = AUTOLINK.replace_all(&text, "$1");
    let text = TAG.replace_all(&text, "");
    let text = CODE.replace_all(&text, "$1");
    let text = STRONG.replace_all(&text, "$1$2$3");
    let text = EMPHASIS.replace_all(&text, "$1$2");
    ESCAPE.replace_all(&text, "$1").into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize_text;

    #[test]
    fn strips_markup_and_keeps_words() {
        let md = "---\ntitle: \"Strike report\"\ndate: 2025-09-02\n---\n# Heading\n\nThe **U.S.** military\n\
                  struck a [vessel](https://example.org) in the _southern_ Caribbean.\n\n\
                  - three killed\n- no survivors\n\n> \"We took it out,\" he said.\n\n\
                  ![chart](c.png) `code` snake_case_word\n\n---\n[ref]: https://example.org\n";
        let p = parse_markdown(md);
        assert_eq!(p.title.as_deref(), Some("Strike report"));
        assert_eq!(p.published_at.unwrap().text, "2025-09-02");
        assert_eq!(
            normalize_text(&p.text),
            "Heading\n\nThe U.S. military struck a vessel in the southern Caribbean.\n\n\
             three killed\n\nno survivors\n\n\"We took it out,\" he said.\n\nchart code snake_case_word"
        );
    }

    #[test]
    fn first_heading_is_the_title_without_front_matter() {
        let p = parse_markdown("Intro line\n\n## *Second* heading ##\n\nBody");
        assert_eq!(p.title.as_deref(), Some("Second heading"));
    }
}
