//! One retrieval of a file or URL: where the bytes came from, when, and
//! their address. Captures are append-only; a changed source is a new one.

use serde::{Deserialize, Serialize};

/// A capture record as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capture {
    /// Order of recording (1, 2, ...); 0 before the store assigns it.
    pub seq: i64,
    /// Origin as given: a URL, or a file path as the user named it.
    pub origin: String,
    /// IANA media type (see [`crate::MediaType::mime`]).
    pub media_type: String,
    /// RFC 3339 UTC time of the retrieval.
    pub captured_at: String,
    pub size: u64,
    pub sha256: String,
}

impl Capture {
    /// The origin as a URI for WARC-Target-URI: URLs unchanged, file paths
    /// as `file:` URIs with unsafe bytes percent-encoded.
    pub fn target_uri(&self) -> String {
        if has_scheme(&self.origin) {
            return self.origin.clone();
        }
        let mut out = String::from("file:");
        for b in self.origin.bytes() {
            if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
                out.push(b as char);
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        out
    }
}

fn has_scheme(origin: &str) -> bool {
    match origin.split_once("://") {
        Some((scheme, _)) => {
            !scheme.is_empty()
                && scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn capture(origin: &str) -> Capture {
        Capture {
            seq: 1,
            origin: origin.into(),
            media_type: "text/plain".into(),
            captured_at: "2025-01-01T00:00:00Z".into(),
            size: 0,
            sha256: String::new(),
        }
    }

    #[test]
    fn urls_stay_and_paths_become_file_uris() {
        assert_eq!(
            capture("https://example.org/a?b").target_uri(),
            "https://example.org/a?b"
        );
        assert_eq!(
            capture("data/my file.txt").target_uri(),
            "file:data/my%20file.txt"
        );
    }
}
