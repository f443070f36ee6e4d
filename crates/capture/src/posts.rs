//! Official posts from platform exports: an X/Twitter archive's
//! `tweets.js`, a Telegram channel's `result.json`, and an ActivityPub
//! outbox (Mastodon and similar). One document per post, with its author,
//! posted time and URL.

use serde_json::Value;
use strikewatch_archive::sha256_hex;
use strikewatch_ingest::dates::parse_published;
use strikewatch_ingest::formats::Parsed;
use strikewatch_model::SourceKind;
use strikewatch_model::document::EXPORT_POST_ID_PREFIX;

/// Which export a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    X,
    Telegram,
    ActivityPub,
}

impl Platform {
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::X => "X archive (tweets.js)",
            Platform::Telegram => "Telegram export (result.json)",
            Platform::ActivityPub => "ActivityPub outbox",
        }
    }
}

/// One post, ready to become a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Post {
    pub platform: Platform,
    pub id: String,
    pub author: Option<String>,
    pub url: Option<String>,
    /// RFC 3339 as given or converted.
    pub posted_at: Option<String>,
    pub text: String,
}

impl Post {
    /// The post as a parsed document: the author is its source, the id is
    /// stable per platform and post.
    pub fn into_parsed(self, kind: Option<SourceKind>) -> Parsed {
        let platform = match self.platform {
            Platform::X => "x",
            Platform::Telegram => "telegram",
            Platform::ActivityPub => "activitypub",
        };
        let key = format!(
            "{platform}\u{0}{}\u{0}{}",
            self.author.as_deref().unwrap_or(""),
            self.id
        );
        Parsed {
            id: Some(format!(
                "{EXPORT_POST_ID_PREFIX}{}",
                &sha256_hex(key.as_bytes())[..16]
            )),
            url: self.url,
            title: None,
            published_at: self.posted_at.as_deref().and_then(parse_published),
            language: None,
            source: self.author,
            source_kind: Some(kind.unwrap_or(SourceKind::Official)),
            text: self.text,
            private: false,
            notes: Vec::new(),
        }
    }
}

/// Reads an export; `author` names the account when the export does not.
/// The error says why the bytes are none of the three formats.
pub fn parse_posts(bytes: &[u8], author: Option<&str>) -> Result<(Platform, Vec<Post>), String> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|e| format!("invalid UTF-8 at byte {}", e.valid_up_to()))?;
    let trimmed = text.trim_start();
    if trimmed.starts_with("window.YTD.") {
        let json = trimmed
            .split_once('=')
            .map(|(_, j)| j)
            .ok_or("tweets.js without `=`")?;
        let value: Value =
            serde_json::from_str(json.trim().trim_end_matches(';')).map_err(|e| e.to_string())?;
        return Ok((Platform::X, x_posts(&value, author)?));
    }
    let value: Value = serde_json::from_str(trimmed)
        .map_err(|e| format!("not a tweets.js, Telegram or ActivityPub export: {e}"))?;
    if value.get("messages").is_some_and(Value::is_array) {
        return Ok((Platform::Telegram, telegram_posts(&value, author)));
    }
    if value.get("orderedItems").is_some() || value.get("items").is_some() {
        return Ok((Platform::ActivityPub, activitypub_posts(&value, author)));
    }
    Err("a JSON file, but not a Telegram `result.json` (no `messages`) or an ActivityPub outbox (no `orderedItems`)".into())
}

fn str_of<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Value::as_str)
}

fn x_posts(value: &Value, author: Option<&str>) -> Result<Vec<Post>, String> {
    let items = value.as_array().ok_or("tweets.js does not hold a list")?;
    let mut posts = Vec::new();
    for item in items {
        let t = item.get("tweet").unwrap_or(item);
        let Some(id) = str_of(t, "id_str").or_else(|| str_of(t, "id")) else {
            continue;
        };
        let text = str_of(t, "full_text")
            .or_else(|| str_of(t, "text"))
            .unwrap_or("");
        if text.trim().is_empty() {
            continue;
        }
        let posted_at = str_of(t, "created_at").and_then(|c| {
            chrono::DateTime::parse_from_str(c, "%a %b %d %H:%M:%S %z %Y")
                .ok()
                .map(|d| d.with_timezone(&chrono::Utc).to_rfc3339())
        });
        let url = match author {
            Some(a) if !a.contains(' ') => {
                format!("https://x.com/{}/status/{id}", a.trim_start_matches('@'))
            }
            _ => format!("https://x.com/i/web/status/{id}"),
        };
        posts.push(Post {
            platform: Platform::X,
            id: id.to_string(),
            author: author.map(str::to_string),
            url: Some(url),
            posted_at,
            text: unescape_entities(text),
        });
    }
    Ok(posts)
}

fn telegram_posts(value: &Value, author: Option<&str>) -> Vec<Post> {
    let channel = str_of(value, "name");
    let username = str_of(value, "username");
    let mut posts = Vec::new();
    for m in value["messages"].as_array().into_iter().flatten() {
        if str_of(m, "type").is_some_and(|t| t != "message") {
            continue;
        }
        let id = match m.get("id") {
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::String(s)) => s.clone(),
            _ => continue,
        };
        let text = match m.get("text") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Array(parts)) => parts
                .iter()
                .map(|p| match p {
                    Value::String(s) => s.as_str(),
                    other => str_of(other, "text").unwrap_or(""),
                })
                .collect(),
            _ => String::new(),
        };
        if text.trim().is_empty() {
            continue;
        }
        let posted_at = str_of(m, "date").map(|d| {
            if d.len() == 19 {
                format!("{d}Z")
            } else {
                d.to_string()
            }
        });
        posts.push(Post {
            platform: Platform::Telegram,
            id,
            author: author.or(str_of(m, "from")).or(channel).map(str::to_string),
            url: username.map(|u| {
                format!(
                    "https://t.me/{}/{}",
                    u.trim_start_matches('@'),
                    m["id"].as_i64().unwrap_or(0)
                )
            }),
            posted_at,
            text,
        });
    }
    posts
}

fn activitypub_posts(value: &Value, author: Option<&str>) -> Vec<Post> {
    let items = value
        .get("orderedItems")
        .or_else(|| value.get("items"))
        .and_then(Value::as_array);
    let mut posts = Vec::new();
    for item in items.into_iter().flatten() {
        let object = match item.get("object") {
            Some(o) if o.is_object() => o,
            // Announces (boosts) point at another's post: not this account's words.
            _ => continue,
        };
        if str_of(item, "type").is_some_and(|t| t != "Create") {
            continue;
        }
        let html = str_of(object, "content").unwrap_or("");
        let text = html_to_text(html);
        if text.trim().is_empty() {
            continue;
        }
        let id = str_of(object, "id").unwrap_or("").to_string();
        posts.push(Post {
            platform: Platform::ActivityPub,
            url: str_of(object, "url")
                .map(str::to_string)
                .or_else(|| Some(id.clone()).filter(|i| i.starts_with("http"))),
            id,
            author: author
                .map(str::to_string)
                .or_else(|| str_of(object, "attributedTo").map(str::to_string))
                .or_else(|| str_of(item, "actor").map(str::to_string)),
            posted_at: str_of(object, "published")
                .or_else(|| str_of(item, "published"))
                .map(str::to_string),
            text,
        });
    }
    posts
}

/// Post HTML to text: paragraphs and line breaks kept, tags dropped.
fn html_to_text(html: &str) -> String {
    let with_breaks = html
        .replace("</p>", "\n\n")
        .replace("<br>", "\n")
        .replace("<br/>", "\n")
        .replace("<br />", "\n");
    let mut out = String::with_capacity(with_breaks.len());
    let mut in_tag = false;
    for c in with_breaks.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    unescape_entities(out.trim())
}

fn unescape_entities(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// What storing one export did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportOutcome {
    pub platform: Platform,
    pub posts: usize,
    pub documents: strikewatch_store::BatchOutcome,
    /// Posts that gave no document (no text after normalization).
    pub skipped: u64,
}

/// Archives an export file's bytes as one capture (`origin` names it) and
/// stores one document per post; `after_store` runs after each.
pub fn store_export(
    store: &dyn strikewatch_store::Store,
    origin: &str,
    bytes: &[u8],
    author: Option<&str>,
    kind: Option<SourceKind>,
    after_store: &mut dyn FnMut(&strikewatch_model::Document) -> Result<(), String>,
) -> Result<ExportOutcome, crate::CaptureError> {
    let (platform, posts) =
        parse_posts(bytes, author).map_err(|detail| crate::CaptureError::NoDocument {
            url: origin.to_string(),
            detail,
        })?;
    let store_err = |source| crate::CaptureError::Store {
        url: origin.to_string(),
        source,
    };
    let sha = sha256_hex(bytes);
    store
        .put_blob(&sha, bytes.len() as u64, &mut &bytes[..])
        .map_err(store_err)?;
    let capture = strikewatch_archive::Capture {
        seq: 0,
        origin: origin.to_string(),
        media_type: "application/json".into(),
        captured_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        size: bytes.len() as u64,
        sha256: sha.clone(),
    };
    let count = posts.len();
    let documents = posts.into_iter().map(|post| {
        let id = post.id.clone();
        post.into_parsed(kind)
            .into_document(format!("{EXPORT_POST_ID_PREFIX}{id}"), &sha)
            .map_err(|reason| {
                strikewatch_ingest::Skip::file(origin, format!("post {id}: {reason}"))
            })
    });
    let (documents, skipped) = strikewatch_ingest::store_documents(
        store,
        documents,
        &capture,
        500,
        &mut strikewatch_ingest::QuietObserver,
        after_store,
    )
    .map_err(store_err)?;
    Ok(ExportOutcome {
        platform,
        posts: count,
        documents,
        skipped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_x_telegram_and_activitypub_exports() {
        let x = br#"window.YTD.tweets.part0 = [ { "tweet" : { "id_str" : "1963", "created_at" : "Tue Sep 02 21:30:00 +0000 2025", "full_text" : "Earlier today, on President Trump's orders, the Department of War carried out a lethal kinetic strike. 11 narco-terrorists were killed &amp; no U.S. forces were harmed." } } ]"#;
        let (p, posts) = parse_posts(x, Some("SecWar")).unwrap();
        assert_eq!(p, Platform::X);
        assert_eq!(
            posts[0].url.as_deref(),
            Some("https://x.com/SecWar/status/1963")
        );
        assert!(posts[0].text.contains("killed & no"));
        let parsed = posts[0].clone().into_parsed(None);
        assert_eq!(parsed.published_at.unwrap().text, "2025-09-02T21:30:00Z");
        assert_eq!(parsed.source_kind, Some(SourceKind::Official));

        let tg = br#"{"name":"SOUTHCOM","type":"public_channel","username":"southcom","messages":[
            {"id":5,"type":"service","date":"2025-09-01T00:00:00","text":""},
            {"id":6,"type":"message","date":"2025-09-16T01:00:00","from":"SOUTHCOM","text":["Strike on a vessel: ",{"type":"bold","text":"3 killed"},"."]}]}"#;
        let (p, posts) = parse_posts(tg, None).unwrap();
        assert_eq!(p, Platform::Telegram);
        assert_eq!(posts.len(), 1);
        assert_eq!(posts[0].text, "Strike on a vessel: 3 killed.");
        assert_eq!(posts[0].url.as_deref(), Some("https://t.me/southcom/6"));
        assert_eq!(posts[0].author.as_deref(), Some("SOUTHCOM"));

        let ap = br#"{"type":"OrderedCollection","orderedItems":[
            {"type":"Create","actor":"https://social.example/users/cmd","published":"2025-10-03T12:00:00Z",
             "object":{"type":"Note","id":"https://social.example/users/cmd/statuses/1","url":"https://social.example/@cmd/1",
             "content":"<p>Four narco-terrorists were killed.</p><p>More to come.</p>"}},
            {"type":"Announce","actor":"x","object":"https://elsewhere/2"}]}"#;
        let (p, posts) = parse_posts(ap, None).unwrap();
        assert_eq!(p, Platform::ActivityPub);
        assert_eq!(posts.len(), 1);
        assert_eq!(
            posts[0].text,
            "Four narco-terrorists were killed.\n\nMore to come."
        );
        assert_eq!(
            posts[0].author.as_deref(),
            Some("https://social.example/users/cmd")
        );
    }

    #[test]
    fn other_files_are_refused_with_a_reason() {
        assert!(
            parse_posts(b"{\"a\":1}", None)
                .unwrap_err()
                .contains("not a Telegram")
        );
        assert!(
            parse_posts(b"hello", None)
                .unwrap_err()
                .contains("not a tweets.js")
        );
        assert!(parse_posts(b"window.YTD.tweets.part0 = {", None).is_err());
        assert!(parse_posts(b"\xff", None).unwrap_err().contains("UTF-8"));
    }
}
