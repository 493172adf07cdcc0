-- A round's version, raised by every write of its state: a command is stored only if the round is
-- still at the version it was computed from, so two writers of one round cannot both win
-- (docs/decisions/121).
ALTER TABLE rounds ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
