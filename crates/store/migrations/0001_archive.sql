-- The evidence archive: raw bytes stored once by SHA-256, one capture row per
-- retrieval, and the documents made from captures.

CREATE TABLE blobs (
    sha256 TEXT PRIMARY KEY NOT NULL CHECK (length(sha256) = 64),
    size   INTEGER NOT NULL CHECK (size >= 0),
    data   BLOB NOT NULL
);

CREATE TABLE captures (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    sha256      TEXT NOT NULL REFERENCES blobs (sha256),
    origin      TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    captured_at TEXT NOT NULL,
    size        INTEGER NOT NULL,
    UNIQUE (origin, sha256)
);

CREATE INDEX captures_by_sha256 ON captures (sha256);

-- Append-only: evidence is never rewritten or removed.
CREATE TRIGGER blobs_no_update BEFORE UPDATE ON blobs
BEGIN SELECT RAISE(ABORT, 'blobs are append-only'); END;
CREATE TRIGGER blobs_no_delete BEFORE DELETE ON blobs
BEGIN SELECT RAISE(ABORT, 'blobs are append-only'); END;
CREATE TRIGGER captures_no_update BEFORE UPDATE ON captures
BEGIN SELECT RAISE(ABORT, 'captures are append-only'); END;
CREATE TRIGGER captures_no_delete BEFORE DELETE ON captures
BEGIN SELECT RAISE(ABORT, 'captures are append-only'); END;

-- The current text of each document; a newer capture of the same document
-- replaces the text while older captures stay in the archive.
CREATE TABLE documents (
    id                  TEXT PRIMARY KEY NOT NULL,
    url                 TEXT,
    title               TEXT,
    published_at        TEXT,
    published_date      TEXT,
    published_precision TEXT,
    language            TEXT NOT NULL,
    source              TEXT,
    source_kind         TEXT NOT NULL,
    text                TEXT NOT NULL,
    capture_sha256      TEXT REFERENCES blobs (sha256),
    stored_at           TEXT NOT NULL
);

CREATE INDEX documents_by_url ON documents (url);
CREATE INDEX documents_by_published ON documents (published_date);
