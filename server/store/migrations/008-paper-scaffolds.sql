-- The scaffold the server wrote for each paper, kept apart from the update log (which compaction
-- folds away), so judging can tell the server's argument ids and headings from students' copies.
ALTER TABLE documents ADD COLUMN scaffold BLOB;
UPDATE documents SET scaffold = (
  SELECT payload FROM document_updates
  WHERE document_updates.doc_id = documents.id AND document_updates.session_id IS NULL
  ORDER BY seq LIMIT 1
) WHERE snapshot IS NULL;
