-- Stored updates that failed to apply when their paper loaded, set aside so the rest still loads
-- (decision 071). Kept with their author and time for the instructor and for repair.
CREATE TABLE quarantined_updates (
  seq INTEGER PRIMARY KEY,
  doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  payload BLOB NOT NULL,
  session_id TEXT,
  created_at INTEGER NOT NULL,
  quarantined_at INTEGER NOT NULL,
  reason TEXT NOT NULL
);
CREATE INDEX quarantined_updates_by_doc ON quarantined_updates (doc_id, seq);
