CREATE TABLE round_commands (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  debate_id TEXT NOT NULL REFERENCES debates(id) ON DELETE CASCADE,
  session_id TEXT NOT NULL,
  actor_name TEXT NOT NULL,
  command_json TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('applied', 'refused')),
  reason TEXT,
  phase_index INTEGER NOT NULL,
  server_time INTEGER NOT NULL
);
CREATE INDEX round_commands_by_debate ON round_commands (debate_id, seq);
CREATE TABLE custom_formats (
  id TEXT PRIMARY KEY,
  debate_id TEXT NOT NULL REFERENCES debates(id) ON DELETE CASCADE,
  format_json TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX custom_formats_by_debate ON custom_formats (debate_id);
