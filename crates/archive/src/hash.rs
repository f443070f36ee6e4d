//! Content addressing: SHA-256, written as 64 lowercase hex digits.

use std::fmt::Write as _;
use std::io::{self, Read};

use sha2::{Digest, Sha256};

/// A SHA-256 digest as lowercase hex (the archive's address for bytes).
pub type Sha256Hex = String;

/// Hashes `bytes` and returns the lowercase hex digest.
pub fn sha256_hex(bytes: &[u8]) -> Sha256Hex {
    let mut hasher = StreamHasher::new();
    hasher.update(bytes);
    hasher.finish()
}

/// True when `text` looks like an address: 64 lowercase hex digits.
pub fn is_sha256_hex(text: &str) -> bool {
    text.len() == 64
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Incremental SHA-256 that also counts bytes, so callers can hash a
/// stream without holding it in memory.
#[derive(Default, Clone)]
pub struct StreamHasher {
    inner: Sha256,
    len: u64,
}

impl StreamHasher {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn update(&mut self, bytes: &[u8]) {
        self.inner.update(bytes);
        self.len += bytes.len() as u64;
    }

    /// Bytes hashed so far.
    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn finish(self) -> Sha256Hex {
        to_hex(&self.inner.finalize())
    }

    /// Reads `reader` to its end, hashing everything; returns digest and size.
    pub fn hash_reader(reader: &mut dyn Read) -> io::Result<(Sha256Hex, u64)> {
        let mut hasher = StreamHasher::new();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            hasher.update(&buf[..n]);
        }
        let len = hasher.len();
        Ok((hasher.finish(), len))
    }
}

fn to_hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        // Writing to a String cannot fail.
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// First 16 bytes of SHA-256 over `parts` joined by NUL, as an RFC 4122
/// version-8 UUID string. Used for deterministic WARC record ids.
pub fn uuid_from_parts(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            hasher.update([0u8]);
        }
        hasher.update(part.as_bytes());
    }
    let digest = hasher.finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&digest[..16]);
    b[6] = (b[6] & 0x0f) | 0x80; // version 8: custom, name-based
    b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
    let h = to_hex(&b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digest_of_abc() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn streaming_equals_one_shot() {
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let (digest, len) = StreamHasher::hash_reader(&mut data.as_slice()).unwrap();
        assert_eq!(digest, sha256_hex(&data));
        assert_eq!(len, data.len() as u64);
        assert!(is_sha256_hex(&digest));
        assert!(!is_sha256_hex("ABC"));
    }

    #[test]
    fn uuid_is_deterministic_and_well_formed() {
        let a = uuid_from_parts(&["x", "y"]);
        assert_eq!(a, uuid_from_parts(&["x", "y"]));
        assert_ne!(a, uuid_from_parts(&["xy"]));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "8");
    }
}
