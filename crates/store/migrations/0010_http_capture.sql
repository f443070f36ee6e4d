-- Live capture: every HTTP exchange (request and response head, body by
-- hash) is recorded append-only; the state of each captured URL (validators
-- for conditional requests, last content, live or gone) and of each watched
-- source is kept beside it and updated in place.

CREATE TABLE http_exchanges (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    -- The URL asked for by the user or a feed; hops of one redirect chain share it.
    requested_url  TEXT NOT NULL,
    hop            INTEGER NOT NULL CHECK (hop >= 0),
    url            TEXT NOT NULL,
    method         TEXT NOT NULL,
    started_at     TEXT NOT NULL,
    request_head   TEXT NOT NULL,
    status         INTEGER,
    response_head  TEXT,
    body_sha256    TEXT REFERENCES blobs (sha256),
    body_size      INTEGER,
    media_type     TEXT,
    -- ok, redirect, not_modified, gone, http_error, error
    outcome        TEXT NOT NULL,
    error          TEXT
);

CREATE INDEX http_exchanges_by_requested ON http_exchanges (requested_url, seq);

CREATE TRIGGER http_exchanges_no_update BEFORE UPDATE ON http_exchanges
BEGIN SELECT RAISE(ABORT, 'http exchanges are append-only'); END;
CREATE TRIGGER http_exchanges_no_delete BEFORE DELETE ON http_exchanges
BEGIN SELECT RAISE(ABORT, 'http exchanges are append-only'); END;

CREATE TABLE url_states (
    url            TEXT PRIMARY KEY NOT NULL,
    -- live, gone, failing
    state          TEXT NOT NULL,
    final_url      TEXT,
    etag           TEXT,
    last_modified  TEXT,
    body_sha256    TEXT,
    versions       INTEGER NOT NULL DEFAULT 0,
    first_seen     TEXT NOT NULL,
    last_seen      TEXT NOT NULL,
    last_changed   TEXT,
    gone_since     TEXT,
    last_status    INTEGER,
    note           TEXT
);

CREATE TABLE watch_sources (
    name           TEXT PRIMARY KEY NOT NULL,
    url            TEXT NOT NULL,
    next_due       TEXT NOT NULL,
    failures       INTEGER NOT NULL DEFAULT 0,
    last_run       TEXT,
    last_result    TEXT
);
