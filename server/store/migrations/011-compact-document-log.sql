-- Smaller log rows (issue 13): a paper's update log was ~140 bytes of row overhead per update
-- (a 30-character document id twice, in the row and its index, a 22-character session id and a
-- timestamp). Now each document and each author has an integer key, and a log row is
-- (doc, seq, payload, author, written_at) in one b-tree keyed by (doc, seq): no separate index.
-- Who wrote an entry and when stays on record (the quarantine reports it) at a few bytes a row.
-- AUTOINCREMENT so a deleted document's or author's key is never handed to another one.
CREATE TABLE document_keys (
  key INTEGER PRIMARY KEY AUTOINCREMENT,
  doc_id TEXT NOT NULL UNIQUE REFERENCES documents(id) ON DELETE CASCADE
);
INSERT INTO document_keys (doc_id) SELECT id FROM documents ORDER BY rowid;

CREATE TABLE log_authors (
  key INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id TEXT NOT NULL UNIQUE
);
INSERT INTO log_authors (session_id)
  SELECT DISTINCT session_id FROM document_updates WHERE session_id IS NOT NULL;

CREATE TABLE document_log (
  doc INTEGER NOT NULL REFERENCES document_keys(key) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  payload BLOB NOT NULL,
  -- log_authors.key; NULL for what the server wrote itself (the scaffold, a restore).
  author INTEGER,
  -- Milliseconds since the epoch.
  written_at INTEGER NOT NULL,
  PRIMARY KEY (doc, seq)
) WITHOUT ROWID;
INSERT INTO document_log (doc, seq, payload, author, written_at)
  SELECT document_keys.key, document_updates.seq, document_updates.payload, log_authors.key,
         document_updates.created_at
  FROM document_updates
  JOIN document_keys ON document_keys.doc_id = document_updates.doc_id
  LEFT JOIN log_authors ON log_authors.session_id = document_updates.session_id;

DROP TABLE document_updates;
