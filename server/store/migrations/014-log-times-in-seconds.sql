-- Smaller log rows again (issue 13, decision 180): a log row's time was milliseconds on every row,
-- 6 of the ~38 bytes a one-character edit costs. It is now the second, kept only on the first
-- entry of a paper in each second: NULL means "the same second as the entry before it". What
-- deletes entries (compaction, the quarantine) first copies the time onto the entry that follows.
CREATE TABLE document_log_by_second (
  doc INTEGER NOT NULL REFERENCES document_keys(key) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  payload BLOB NOT NULL,
  -- log_authors.key; NULL for what the server wrote itself (the scaffold, a restore).
  author INTEGER,
  -- Seconds since the epoch; NULL when the paper's entry before this one has the same second.
  written_at INTEGER,
  PRIMARY KEY (doc, seq)
) WITHOUT ROWID;
INSERT INTO document_log_by_second (doc, seq, payload, author, written_at)
  SELECT doc, seq, payload, author,
         CASE WHEN written_at / 1000 IS lag(written_at / 1000) OVER (PARTITION BY doc ORDER BY seq)
              THEN NULL ELSE written_at / 1000 END
  FROM document_log;
DROP TABLE document_log;
ALTER TABLE document_log_by_second RENAME TO document_log;
