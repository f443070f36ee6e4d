-- Every text a captured URL has shown, with the statements read from it
-- then, so a page edited or deleted later keeps its first words in the
-- ledger. Append-only, like the archive: a version is never rewritten.

CREATE TABLE document_versions (
    document_id    TEXT NOT NULL,
    version        INTEGER NOT NULL CHECK (version >= 1),
    -- The URL asked for (its state says whether it is gone) and the final one.
    requested_url  TEXT NOT NULL,
    url            TEXT NOT NULL,
    sha256         TEXT NOT NULL,
    -- The started_at of the exchange that first showed this text.
    first_seen     TEXT NOT NULL,
    text           TEXT NOT NULL,
    -- JSON list of the statements extracted from this text.
    statements     TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (document_id, version)
);

CREATE TRIGGER document_versions_no_update BEFORE UPDATE ON document_versions
BEGIN SELECT RAISE(ABORT, 'document versions are append-only'); END;
CREATE TRIGGER document_versions_no_delete BEFORE DELETE ON document_versions
BEGIN SELECT RAISE(ABORT, 'document versions are append-only'); END;

-- When each version was last seen: the exchanges of its final URL by time.
CREATE INDEX http_exchanges_by_url ON http_exchanges (url, started_at);
