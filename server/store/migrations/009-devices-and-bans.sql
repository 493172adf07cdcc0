-- The browser (signed device cookie) each participant joined from, so the control room can flag
-- two people on one browser and a removal can keep that browser out.
ALTER TABLE sessions ADD COLUMN device_id TEXT;
CREATE TABLE debate_bans (
  id TEXT PRIMARY KEY,
  debate_id TEXT NOT NULL REFERENCES debates(id) ON DELETE CASCADE,
  device_id TEXT NOT NULL,
  display_name TEXT NOT NULL,
  banned_at INTEGER NOT NULL,
  UNIQUE (debate_id, device_id)
);
