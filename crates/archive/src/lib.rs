//! The evidence archive: raw bytes addressed by SHA-256, one capture record
//! per retrieval, verification of stored bytes against their address, and a
//! WARC/1.1 writer to hand the archive to other tools.
//!
//! This crate holds no storage: the store keeps blobs and captures, and uses
//! these types and checks. Nothing here speaks SQL.

pub mod capture;
pub mod hash;
pub mod media;
pub mod verify;
pub mod warc;

pub use capture::Capture;
pub use hash::{Sha256Hex, StreamHasher, is_sha256_hex, sha256_hex, uuid_from_parts};
pub use media::MediaType;
pub use verify::{BlobCheck, Mismatch, VerifyReport, check_blob};
pub use warc::{HttpExchangeRecord, WarcError, WarcWriter};
