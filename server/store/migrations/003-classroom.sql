CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  email TEXT NOT NULL UNIQUE COLLATE NOCASE,
  password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE account_sessions (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL
);
CREATE INDEX account_sessions_by_account ON account_sessions (account_id);
ALTER TABLE debates ADD COLUMN owner_id TEXT REFERENCES accounts(id) ON DELETE SET NULL;
ALTER TABLE debates ADD COLUMN team_mode TEXT NOT NULL DEFAULT 'choose';
ALTER TABLE debates ADD COLUMN code_names INTEGER NOT NULL DEFAULT 0;
ALTER TABLE debates ADD COLUMN archived_at INTEGER;
ALTER TABLE debates RENAME COLUMN host_key TO audience_key;
CREATE INDEX debates_by_owner ON debates (owner_id, created_at);
CREATE INDEX sessions_by_debate ON sessions (debate_id, created_at);
