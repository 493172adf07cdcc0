-- As SQLite's 013: a round's version, so that two nodes writing the same round cannot both win.
ALTER TABLE rounds ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
