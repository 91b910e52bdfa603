-- What attendees hand in (the V1 table gains a title) and what facilitators attach for them.
-- Files themselves live in storage under storage_key; these rows say who may download them.
ALTER TABLE submissions ADD COLUMN title TEXT NOT NULL DEFAULT '';
CREATE INDEX submissions_by_codelab ON submissions (codelab_id, created_at);
CREATE INDEX submissions_by_attendee ON submissions (attendee_id, created_at);

CREATE TABLE materials (
  id           TEXT PRIMARY KEY,
  codelab_id   TEXT NOT NULL REFERENCES codelabs (id) ON DELETE CASCADE,
  kind         TEXT NOT NULL CHECK (kind IN ('file', 'link', 'image')),
  title        TEXT NOT NULL,
  url          TEXT,
  file_name    TEXT,
  content_type TEXT,
  size_bytes   INTEGER,
  sha256       TEXT,
  storage_key  TEXT,
  created_by   TEXT NOT NULL,
  created_at   INTEGER NOT NULL
);
CREATE INDEX materials_by_codelab ON materials (codelab_id, created_at);
