-- A large paper's snapshot is written in parts, each in a transaction of its own, then switched to
-- in one small transaction (decision 188): one 8 MB row held the event loop 58–100 ms while
-- SQLite wrote it. `documents.snapshot_generation` NULL: the snapshot is `documents.snapshot`
-- (or none). Otherwise it is the parts of that generation joined in `part` order, and
-- `documents.snapshot` is NULL. Parts of any other generation are a fold that was never switched
-- to (a crash, a store closed mid-way) or one already replaced: no load reads them, and the next
-- fold of the paper deletes them.
CREATE TABLE snapshot_parts (
  doc INTEGER NOT NULL REFERENCES document_keys(key) ON DELETE CASCADE,
  generation INTEGER NOT NULL,
  part INTEGER NOT NULL,
  bytes BLOB NOT NULL,
  PRIMARY KEY (doc, generation, part)
);
ALTER TABLE documents ADD COLUMN snapshot_generation INTEGER;
