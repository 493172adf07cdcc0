-- The PostgreSQL schema equal to SQLite's after migrations 001 to 012 (server/store/migrations),
-- written at once: a fresh PostgreSQL database has no history to replay (docs/decisions/120).
-- Blobs are BYTEA; millisecond times, sequence numbers and keys are BIGINT; SQLite's 0/1 flags stay
-- integers so that both engines read the same rows.
CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
-- SQLite's COLLATE NOCASE on the email.
CREATE UNIQUE INDEX accounts_email_nocase ON accounts (lower(email));

CREATE TABLE account_sessions (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL
);
CREATE INDEX account_sessions_by_account ON account_sessions (account_id);

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
  audience_key TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  reveal_policy TEXT NOT NULL DEFAULT 'after-lock',
  owner_id TEXT REFERENCES accounts(id) ON DELETE SET NULL,
  team_mode TEXT NOT NULL DEFAULT 'choose',
  code_names INTEGER NOT NULL DEFAULT 0,
  archived_at BIGINT
);
CREATE INDEX debates_by_owner ON debates (owner_id, created_at);

CREATE TABLE teams (
  id TEXT PRIMARY KEY,
  debate_id TEXT NOT NULL REFERENCES debates(id) ON DELETE CASCADE,
  side_index INTEGER NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  color TEXT NOT NULL,
  paper_locked INTEGER NOT NULL DEFAULT 0,
  paper_lock_reason TEXT,
  UNIQUE (debate_id, side_index)
);

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  role TEXT NOT NULL,
  display_name TEXT NOT NULL,
  debate_id TEXT NOT NULL REFERENCES debates(id) ON DELETE CASCADE,
  team_id TEXT REFERENCES teams(id) ON DELETE SET NULL,
  color TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  device_id TEXT
);
CREATE INDEX sessions_by_debate ON sessions (debate_id, created_at);

CREATE TABLE documents (
  id TEXT PRIMARY KEY,
  debate_id TEXT NOT NULL REFERENCES debates(id) ON DELETE CASCADE,
  snapshot BYTEA,
  snapshot_seq BIGINT NOT NULL DEFAULT 0,
  scaffold BYTEA
);

CREATE TABLE rounds (
  debate_id TEXT PRIMARY KEY REFERENCES debates(id) ON DELETE CASCADE,
  state_json TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE paper_snapshots (
  id TEXT PRIMARY KEY,
  team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  state BYTEA NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX paper_snapshots_by_team ON paper_snapshots (team_id, created_at);

CREATE TABLE round_commands (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  debate_id TEXT NOT NULL REFERENCES debates(id) ON DELETE CASCADE,
  session_id TEXT NOT NULL,
  actor_name TEXT NOT NULL,
  command_json TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('applied', 'refused')),
  reason TEXT,
  phase_index INTEGER NOT NULL,
  server_time BIGINT NOT NULL
);
CREATE INDEX round_commands_by_debate ON round_commands (debate_id, seq);

CREATE TABLE custom_formats (
  id TEXT PRIMARY KEY,
  debate_id TEXT NOT NULL REFERENCES debates(id) ON DELETE CASCADE,
  format_json TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX custom_formats_by_debate ON custom_formats (debate_id);

CREATE TABLE contributions (
  doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  session_id TEXT NOT NULL,
  minute_start BIGINT NOT NULL,
  inserted INTEGER NOT NULL DEFAULT 0,
  deleted INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (doc_id, session_id, minute_start)
);

CREATE TABLE judging_settings (
  debate_id TEXT PRIMARY KEY REFERENCES debates(id) ON DELETE CASCADE,
  rubric_json TEXT NOT NULL,
  custom_rubric_json TEXT,
  chair_session_id TEXT REFERENCES sessions(id) ON DELETE SET NULL,
  release_stage TEXT NOT NULL DEFAULT 'none',
  updated_at BIGINT NOT NULL
);

CREATE TABLE ballots (
  judge_session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
  debate_id TEXT NOT NULL REFERENCES debates(id) ON DELETE CASCADE,
  status TEXT NOT NULL,
  content_json TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  submitted_at BIGINT
);
CREATE INDEX ballots_by_debate ON ballots (debate_id);

CREATE TABLE audience_votes (
  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  moment TEXT NOT NULL,
  debate_id TEXT NOT NULL REFERENCES debates(id) ON DELETE CASCADE,
  team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  voted_at BIGINT NOT NULL,
  PRIMARY KEY (session_id, moment)
);
CREATE INDEX audience_votes_by_debate ON audience_votes (debate_id);

CREATE TABLE debate_bans (
  id TEXT PRIMARY KEY,
  debate_id TEXT NOT NULL REFERENCES debates(id) ON DELETE CASCADE,
  device_id TEXT NOT NULL,
  display_name TEXT NOT NULL,
  banned_at BIGINT NOT NULL,
  UNIQUE (debate_id, device_id)
);

CREATE TABLE document_keys (
  key BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  doc_id TEXT NOT NULL UNIQUE REFERENCES documents(id) ON DELETE CASCADE
);

CREATE TABLE log_authors (
  key BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  session_id TEXT NOT NULL UNIQUE
);

-- One sequence numbers every update of the store, as SQLite's counter does: a sequence number
-- names one update, and numbers are never reused, even after a rollback or by another node.
CREATE SEQUENCE document_log_seq AS BIGINT;

CREATE TABLE document_log (
  doc BIGINT NOT NULL REFERENCES document_keys(key) ON DELETE CASCADE,
  seq BIGINT NOT NULL,
  payload BYTEA NOT NULL,
  -- log_authors.key; NULL for what the server wrote itself (the scaffold, a restore).
  author BIGINT,
  -- Milliseconds since the epoch.
  written_at BIGINT NOT NULL,
  PRIMARY KEY (doc, seq)
);

CREATE TABLE quarantined_updates (
  seq BIGINT PRIMARY KEY,
  doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  payload BYTEA NOT NULL,
  session_id TEXT,
  created_at BIGINT NOT NULL,
  quarantined_at BIGINT NOT NULL,
  reason TEXT NOT NULL
);
CREATE INDEX quarantined_updates_by_doc ON quarantined_updates (doc_id, seq);
