CREATE TABLE debates (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    motion TEXT NOT NULL,
    reading_title TEXT NOT NULL,
    reading_credit TEXT NOT NULL,
    reading_text TEXT NOT NULL,
    format_id TEXT NOT NULL,
    student_code TEXT NOT NULL UNIQUE,
    judge_code TEXT NOT NULL UNIQUE,
    host_key TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE teams (
    id TEXT PRIMARY KEY,
    debate_id TEXT NOT NULL REFERENCES debates(id) ON DELETE CASCADE,
    side_index INTEGER NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    color TEXT NOT NULL,
    UNIQUE (debate_id, side_index)
  );
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    role TEXT NOT NULL,
    display_name TEXT NOT NULL,
    debate_id TEXT NOT NULL REFERENCES debates(id) ON DELETE CASCADE,
    team_id TEXT REFERENCES teams(id) ON DELETE SET NULL,
    color TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    debate_id TEXT NOT NULL REFERENCES debates(id) ON DELETE CASCADE,
    snapshot BLOB,
    snapshot_seq INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE document_updates (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    payload BLOB NOT NULL,
    session_id TEXT,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX document_updates_by_doc ON document_updates (doc_id, seq);
  CREATE TABLE rounds (
    debate_id TEXT PRIMARY KEY REFERENCES debates(id) ON DELETE CASCADE,
    state_json TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
