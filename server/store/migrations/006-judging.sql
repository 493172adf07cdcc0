CREATE TABLE judging_settings (
  debate_id TEXT PRIMARY KEY REFERENCES debates(id) ON DELETE CASCADE,
  rubric_json TEXT NOT NULL,
  custom_rubric_json TEXT,
  chair_session_id TEXT REFERENCES sessions(id) ON DELETE SET NULL,
  release_stage TEXT NOT NULL DEFAULT 'none',
  updated_at INTEGER NOT NULL
);
CREATE TABLE ballots (
  judge_session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
  debate_id TEXT NOT NULL REFERENCES debates(id) ON DELETE CASCADE,
  status TEXT NOT NULL,
  content_json TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  submitted_at INTEGER
);
CREATE INDEX ballots_by_debate ON ballots (debate_id);
CREATE TABLE audience_votes (
  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
  moment TEXT NOT NULL,
  debate_id TEXT NOT NULL REFERENCES debates(id) ON DELETE CASCADE,
  team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  voted_at INTEGER NOT NULL,
  PRIMARY KEY (session_id, moment)
);
CREATE INDEX audience_votes_by_debate ON audience_votes (debate_id);
