-- Smaller log rows (issue 13): a paper's update log was ~140 bytes of row overhead per update
-- (a 30-character document id twice, in the row and its index, a session id and a timestamp that
-- nothing read). Now each document has an integer key, and a log row is (key, seq, payload) in
-- one b-tree keyed by (doc, seq): no separate index. AUTOINCREMENT so a deleted document's key is
-- never handed to another one.
CREATE TABLE document_keys (
  key INTEGER PRIMARY KEY AUTOINCREMENT,
  doc_id TEXT NOT NULL UNIQUE REFERENCES documents(id) ON DELETE CASCADE
);
INSERT INTO document_keys (doc_id) SELECT id FROM documents ORDER BY rowid;

CREATE TABLE document_log (
  doc INTEGER NOT NULL REFERENCES document_keys(key) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  payload BLOB NOT NULL,
  PRIMARY KEY (doc, seq)
) WITHOUT ROWID;
INSERT INTO document_log (doc, seq, payload)
  SELECT document_keys.key, document_updates.seq, document_updates.payload
  FROM document_updates JOIN document_keys ON document_keys.doc_id = document_updates.doc_id;

DROP TABLE document_updates;
