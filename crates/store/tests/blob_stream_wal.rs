//! A blob streamed while its reader writes: the write-ahead log stays
//! bounded, because the stream holds no read transaction between pieces.

use std::io::BufRead;

use strikewatch_archive::sha256_hex;
use strikewatch_store::{SqliteStore, Store};

fn wal_bytes(db: &std::path::Path) -> u64 {
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(wal).map_or(0, |m| m.len())
}

/// Before, the stream held one read transaction from its first byte to its
/// last: no checkpoint could pass it, and the log grew by every byte
/// written meanwhile (here 48 MiB).
#[test]
fn writes_during_a_blob_stream_leave_the_log_bounded() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("ledger.db");
    let store = SqliteStore::open(&path).expect("store opens");
    // A corpus file of a few lines.
    let corpus: Vec<u8> = (0..48)
        .flat_map(|n| format!("line {n}\n").into_bytes())
        .collect();
    let sha = sha256_hex(&corpus);
    assert!(
        store
            .put_blob(&sha, corpus.len() as u64, &mut corpus.as_slice())
            .unwrap()
    );
    let mut lines = 0;
    let mut largest = 0;
    store
        .read_blob_stream(&sha, &mut |stream| {
            for line in stream.lines() {
                let line = line?;
                // What a line gives, written while the stream is open.
                let bytes: Vec<u8> = line.bytes().cycle().take(1024 * 1024).collect();
                let written = sha256_hex(&bytes);
                store.put_blob(&written, bytes.len() as u64, &mut bytes.as_slice())?;
                lines += 1;
                largest = largest.max(wal_bytes(&path));
            }
            Ok(())
        })
        .expect("stream");
    assert_eq!(lines, 48);
    assert!(
        largest < 32 * 1024 * 1024,
        "the log grew to {largest} bytes while 48 MiB were written"
    );
}

/// A blob longer than one piece reads back whole, byte for byte.
#[test]
fn a_blob_streams_back_whole_across_pieces() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let store = SqliteStore::open(&dir.path().join("ledger.db")).expect("store opens");
    let bytes: Vec<u8> = (0..(70 * 1024 * 1024u32))
        .map(|n| (n % 251) as u8)
        .collect();
    let sha = sha256_hex(&bytes);
    store
        .put_blob(&sha, bytes.len() as u64, &mut bytes.as_slice())
        .unwrap();
    let mut back = Vec::new();
    store
        .read_blob_stream(&sha, &mut |stream| {
            std::io::copy(stream, &mut back)?;
            Ok(())
        })
        .expect("stream");
    assert_eq!(back.len(), bytes.len());
    assert!(back == bytes, "the bytes read back differ");
}
