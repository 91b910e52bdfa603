-- The short code of a codelab's projector link (/j/<code>): typed by hand from the back of a room.
ALTER TABLE codelabs ADD COLUMN short_code TEXT;
UPDATE codelabs SET short_code = lower(hex(randomblob(4))) WHERE short_code IS NULL;
CREATE UNIQUE INDEX codelabs_by_short_code ON codelabs (short_code);
