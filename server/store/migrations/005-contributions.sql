CREATE TABLE contributions (
  doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  session_id TEXT NOT NULL,
  minute_start INTEGER NOT NULL,
  inserted INTEGER NOT NULL DEFAULT 0,
  deleted INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (doc_id, session_id, minute_start)
);
