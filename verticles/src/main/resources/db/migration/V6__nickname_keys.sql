-- Nicknames are unique per codelab on a key the writer computes: NFKC, invisible and control
-- characters removed, whitespace collapsed, case-folded. Rows from before get the closest SQL
-- can compute: zero-width and bidi control characters removed, trimmed, lower-cased.
ALTER TABLE attendees ADD COLUMN nickname_key TEXT NOT NULL DEFAULT '';
UPDATE attendees SET nickname_key = lower(trim(
  replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(
  replace(replace(nickname,
    char(8203), ''), char(8204), ''), char(8205), ''), char(8206), ''), char(8207), ''), char(8234), ''),
    char(8235), ''), char(8236), ''), char(8237), ''), char(8238), ''), char(8294), ''), char(8295), ''),
    char(8296), ''), char(8297), ''), char(65279), ''), char(173), '')));
-- Older rows that now share a key keep their nickname and session; only the first joiner can
-- still resume by that nickname.
UPDATE attendees SET nickname_key = nickname_key || '#' || id
WHERE EXISTS (SELECT 1 FROM attendees earlier WHERE earlier.codelab_id = attendees.codelab_id
  AND earlier.nickname_key = attendees.nickname_key
  AND (earlier.joined_at, earlier.id) < (attendees.joined_at, attendees.id));
CREATE UNIQUE INDEX attendees_by_nickname_key ON attendees (codelab_id, nickname_key);
