//! Stable document ids for inputs that do not carry one.
//!
//! An id derived from a URL (or, without one, from the file's origin path)
//! stays the same when the source changes, so a new capture of the same
//! page updates the same document. Lines of a JSONL file with neither an
//! `id` nor a `url` get an id from the file's hash and line number.

use strikewatch_archive::sha256_hex;

const PREFIX: &str = "doc-";
const HEX_CHARS: usize = 16;

fn short(parts: &[&str]) -> String {
    let digest = sha256_hex(parts.join("\u{0}").as_bytes());
    format!("{PREFIX}{}", &digest[..HEX_CHARS])
}

pub fn id_from_url(url: &str) -> String {
    short(&["url", url.trim()])
}

pub fn id_from_origin(origin: &str) -> String {
    short(&["origin", origin])
}

pub fn id_from_line(capture_sha256: &str, line: u64) -> String {
    short(&["line", capture_sha256, &line.to_string()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_distinct() {
        assert_eq!(
            id_from_url("https://example.org/a"),
            id_from_url(" https://example.org/a")
        );
        assert_ne!(
            id_from_url("https://example.org/a"),
            id_from_url("https://example.org/b")
        );
        assert_ne!(id_from_url("x"), id_from_origin("x"));
        assert_eq!(id_from_line("ab", 3).len(), PREFIX.len() + HEX_CHARS);
    }
}
