//! news-please article JSON: `title`, `maintext`, `url`, `date_publish`
//! (`YYYY-MM-DD HH:MM:SS`), `language`, `source_domain`.

use serde::Deserialize;
use strikewatch_model::SourceKind;

use super::Parsed;
use crate::dates::parse_published;

#[derive(Debug, Deserialize)]
struct Article {
    title: Option<String>,
    maintext: Option<String>,
    url: Option<String>,
    date_publish: Option<String>,
    language: Option<String>,
    source_domain: Option<String>,
}

pub fn parse_newsplease(text: &str) -> Result<Parsed, String> {
    let article: Article = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
    let maintext = article
        .maintext
        .filter(|t| !t.trim().is_empty())
        .ok_or("JSON file is not a news-please article (no maintext)")?;
    Ok(Parsed {
        id: None,
        url: article.url,
        title: article.title,
        // An unreadable date is dropped rather than losing the article.
        published_at: article.date_publish.as_deref().and_then(parse_published),
        language: article.language,
        source: article.source_domain,
        source_kind: Some(SourceKind::News),
        text: maintext,
        private: false,
        notes: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_news_please_fields() {
        let p = parse_newsplease(
            r#"{"title":"Strike","maintext":"Body text.","url":"https://e.org/x",
                "date_publish":"2025-10-16 15:00:00","language":"es","source_domain":"e.org",
                "authors":[],"image_url":null}"#,
        )
        .unwrap();
        assert_eq!(p.published_at.unwrap().text, "2025-10-16T15:00:00Z");
        assert_eq!(p.source.as_deref(), Some("e.org"));
        assert_eq!(p.language.as_deref(), Some("es"));
        assert!(
            parse_newsplease(r#"{"title":"x"}"#)
                .unwrap_err()
                .contains("maintext")
        );
        assert!(parse_newsplease("[1,2]").is_err());
    }
}
