-- As SQLite's 014, the column may be NULL. PostgreSQL still writes every row's time, in
-- milliseconds: several nodes append to one paper's log, so no node knows the second of the entry
-- before its own, and its rows are not the ones the storage target counts (decision 180).
ALTER TABLE document_log ALTER COLUMN written_at DROP NOT NULL;
