//! Streams a stored blob through `std::io::Read`, chunk by chunk, so large
//! captures never have to sit in memory.

use std::io::{self, Read};

use crate::{Store, StoreError};

pub struct BlobReader<'a> {
    store: &'a dyn Store,
    sha256: String,
    offset: u64,
}

impl<'a> BlobReader<'a> {
    /// Fails when no blob is stored under `sha256`.
    pub fn open(store: &'a dyn Store, sha256: &str) -> Result<Self, StoreError> {
        match store.blob_size(sha256)? {
            Some(_) => Ok(BlobReader {
                store,
                sha256: sha256.to_string(),
                offset: 0,
            }),
            None => Err(StoreError::MissingBlob(sha256.to_string())),
        }
    }
}

impl Read for BlobReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self
            .store
            .read_blob_at(&self.sha256, self.offset, buf)
            .map_err(io::Error::other)?;
        self.offset += n as u64;
        Ok(n)
    }
}
