-- What a published archive must not reveal.
--
-- Private documents (a tip, a leaked memo, a source's message) are archived,
-- extracted and shown to reviewers, but no public reader returns them. The
-- flag is sticky: storing the document again never makes it public.
ALTER TABLE documents ADD COLUMN private INTEGER NOT NULL DEFAULT 0 CHECK (private IN (0, 1));
CREATE INDEX documents_private ON documents (id) WHERE private = 1;

-- Origins withheld from publication. Captures are append-only, so an origin
-- that names a local path (recorded before origins were made relative to
-- the folder given on the command line) is not rewritten: this record says
-- it is withheld and gives the origin every published place uses instead.
CREATE TABLE withheld_origins (
    capture_seq   INTEGER PRIMARY KEY NOT NULL REFERENCES captures (seq),
    public_origin TEXT NOT NULL,
    reason        TEXT NOT NULL,
    recorded_at   TEXT NOT NULL
);
CREATE INDEX withheld_origins_by_public ON withheld_origins (public_origin);
CREATE TRIGGER withheld_origins_no_update BEFORE UPDATE ON withheld_origins
BEGIN SELECT RAISE(ABORT, 'withheld origins are append-only'); END;
CREATE TRIGGER withheld_origins_no_delete BEFORE DELETE ON withheld_origins
BEGIN SELECT RAISE(ABORT, 'withheld origins are append-only'); END;

-- Every file origin with a folder in it (anything but a URL) is published
-- as its file name: the part after the last `/` or `\`.
INSERT INTO withheld_origins (capture_seq, public_origin, reason, recorded_at)
SELECT seq,
       replace(p, rtrim(p, replace(p, '/', '')), ''),
       'local path',
       strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
FROM (SELECT seq, replace(origin, '\', '/') AS p FROM captures
      WHERE instr(origin, '://') = 0
        AND (instr(origin, '/') > 0 OR instr(origin, '\') > 0));

-- Blobs that held a private document: their bytes are never published, even
-- after the document is stored again from newer bytes.
CREATE TABLE withheld_blobs (
    sha256      TEXT PRIMARY KEY NOT NULL REFERENCES blobs (sha256),
    recorded_at TEXT NOT NULL
);
CREATE TRIGGER withheld_blobs_no_update BEFORE UPDATE ON withheld_blobs
BEGIN SELECT RAISE(ABORT, 'withheld blobs are append-only'); END;
CREATE TRIGGER withheld_blobs_no_delete BEFORE DELETE ON withheld_blobs
BEGIN SELECT RAISE(ABORT, 'withheld blobs are append-only'); END;

-- Tracker imports named their file as typed; they are published on the
-- trackers pages, so only the file name is kept (the file's SHA-256 stays).
UPDATE trackers
SET file = replace(replace(file, '\', '/'), rtrim(replace(file, '\', '/'), replace(replace(file, '\', '/'), '/', '')), '')
WHERE instr(file, '/') > 0 OR instr(file, '\') > 0;
UPDATE tracker_comparisons
SET json = json_set(json, '$.file', (SELECT t.file FROM trackers t
                                    WHERE t.name = tracker_comparisons.name
                                    ORDER BY t.version DESC LIMIT 1))
WHERE json_valid(json) AND EXISTS (SELECT 1 FROM trackers t WHERE t.name = tracker_comparisons.name);
