ALTER TABLE teams ADD COLUMN paper_locked INTEGER NOT NULL DEFAULT 0;
ALTER TABLE debates ADD COLUMN reveal_policy TEXT NOT NULL DEFAULT 'after-lock';
CREATE TABLE paper_snapshots (
  id TEXT PRIMARY KEY,
  team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  state BLOB NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX paper_snapshots_by_team ON paper_snapshots (team_id, created_at);
