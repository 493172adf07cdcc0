-- Ballots now score and comment by argument key ("<teamId>~<argumentId>", decision 080). Entries
-- under a bare argument id cannot be attributed to a paper safely, so they are dropped.
UPDATE ballots SET content_json = json_set(
  content_json,
  '$.scores', (SELECT json_group_object(key, json(value)) FROM json_each(ballots.content_json, '$.scores') WHERE key LIKE '%~%'),
  '$.comments', (SELECT json_group_object(key, value) FROM json_each(ballots.content_json, '$.comments') WHERE key LIKE '%~%')
);
