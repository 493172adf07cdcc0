-- As SQLite's 015 (decision 188). Generations come from a sequence, so two nodes folding the same
-- paper at once stage their parts under different numbers.
CREATE SEQUENCE snapshot_generation_seq AS BIGINT;

CREATE TABLE snapshot_parts (
  doc BIGINT NOT NULL REFERENCES document_keys(key) ON DELETE CASCADE,
  generation BIGINT NOT NULL,
  part INTEGER NOT NULL,
  bytes BYTEA NOT NULL,
  PRIMARY KEY (doc, generation, part)
);
ALTER TABLE documents ADD COLUMN snapshot_generation BIGINT;
