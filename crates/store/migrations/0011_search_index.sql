-- Full-text search moves to the search index kept beside the database
-- (strikewatch-search): the FTS5 copies of every document and statement go.
DROP TABLE IF EXISTS documents_fts;
DROP TABLE IF EXISTS statements_fts;

-- Every document write, in order: the index reads what changed after the
-- last change it holds. An index that holds none is filled whole.
CREATE TABLE document_changes (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    document_rowid INTEGER NOT NULL
);
CREATE TRIGGER documents_changes_on_insert AFTER INSERT ON documents
BEGIN
    INSERT INTO document_changes (document_rowid) VALUES (new.rowid);
END;
CREATE TRIGGER documents_changes_on_update AFTER UPDATE ON documents
BEGIN
    INSERT INTO document_changes (document_rowid) VALUES (new.rowid);
END;
