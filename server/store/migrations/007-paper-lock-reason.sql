-- Why a paper is locked, in words for the students who can no longer edit it ("the end of Drafting").
ALTER TABLE teams ADD COLUMN paper_lock_reason TEXT;
