CREATE TABLE settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
INSERT INTO settings (key, value) VALUES ('epoch', lower(hex(randomblob(16))));
INSERT INTO settings (key, value) VALUES ('jwt_secret', lower(hex(randomblob(32))));

CREATE TABLE facilitators (
  id            TEXT PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name  TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  created_at    INTEGER NOT NULL
);

CREATE TABLE codelabs (
  id               TEXT PRIMARY KEY,
  title            TEXT NOT NULL,
  summary          TEXT NOT NULL DEFAULT '',
  author           TEXT NOT NULL DEFAULT '',
  categories       TEXT NOT NULL DEFAULT '[]',
  visibility       TEXT NOT NULL CHECK (visibility IN ('public', 'private')),
  join_code        TEXT,
  joins_closed     INTEGER NOT NULL DEFAULT 0,
  archived         INTEGER NOT NULL DEFAULT 0,
  last_seq         INTEGER NOT NULL DEFAULT 0,
  public_seq       INTEGER NOT NULL DEFAULT 0,
  facilitators_seq INTEGER NOT NULL DEFAULT 0,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
);

CREATE TABLE codelab_members (
  codelab_id     TEXT NOT NULL REFERENCES codelabs (id) ON DELETE CASCADE,
  facilitator_id TEXT NOT NULL REFERENCES facilitators (id) ON DELETE CASCADE,
  role           TEXT NOT NULL CHECK (role IN ('owner', 'assistant')),
  PRIMARY KEY (codelab_id, facilitator_id)
);
CREATE INDEX codelab_members_by_facilitator ON codelab_members (facilitator_id);

CREATE TABLE steps (
  codelab_id       TEXT NOT NULL REFERENCES codelabs (id) ON DELETE CASCADE,
  position         INTEGER NOT NULL,
  id               TEXT NOT NULL UNIQUE,
  title            TEXT NOT NULL,
  markdown         TEXT NOT NULL,
  html             TEXT NOT NULL,
  duration_minutes INTEGER NOT NULL,
  PRIMARY KEY (codelab_id, position)
);

CREATE TABLE attendees (
  id              TEXT PRIMARY KEY,
  codelab_id      TEXT NOT NULL REFERENCES codelabs (id) ON DELETE CASCADE,
  nickname        TEXT NOT NULL COLLATE NOCASE,
  code_hash       TEXT NOT NULL,
  current_step    INTEGER NOT NULL DEFAULT 0,
  step_started_at INTEGER NOT NULL,
  inbox_seq       INTEGER NOT NULL DEFAULT 0,
  joined_at       INTEGER NOT NULL,
  last_seen_at    INTEGER NOT NULL,
  UNIQUE (codelab_id, nickname)
);

CREATE TABLE step_completions (
  attendee_id  TEXT NOT NULL REFERENCES attendees (id) ON DELETE CASCADE,
  step         INTEGER NOT NULL,
  completed_at INTEGER NOT NULL,
  PRIMARY KEY (attendee_id, step)
);

CREATE TABLE events (
  codelab_id  TEXT NOT NULL REFERENCES codelabs (id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  event_id    TEXT UNIQUE,
  stream      TEXT NOT NULL CHECK (stream IN ('public', 'facilitators', 'attendee')),
  attendee_id TEXT,
  stream_seq  INTEGER NOT NULL,
  type        TEXT NOT NULL,
  actor_role  TEXT NOT NULL,
  actor_id    TEXT NOT NULL,
  payload     TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (codelab_id, seq)
) WITHOUT ROWID;

CREATE TABLE help_requests (
  id          TEXT PRIMARY KEY,
  codelab_id  TEXT NOT NULL REFERENCES codelabs (id) ON DELETE CASCADE,
  attendee_id TEXT NOT NULL REFERENCES attendees (id) ON DELETE CASCADE,
  step        INTEGER NOT NULL,
  message     TEXT NOT NULL DEFAULT '',
  status      TEXT NOT NULL CHECK (status IN ('open', 'claimed', 'resolved')),
  claimed_by  TEXT REFERENCES facilitators (id) ON DELETE SET NULL,
  created_at  INTEGER NOT NULL,
  claimed_at  INTEGER,
  resolved_at INTEGER
);
CREATE INDEX help_requests_by_codelab ON help_requests (codelab_id, status);

CREATE TABLE chat_messages (
  id                 TEXT PRIMARY KEY,
  codelab_id         TEXT NOT NULL REFERENCES codelabs (id) ON DELETE CASCADE,
  sender_role        TEXT NOT NULL,
  sender_id          TEXT NOT NULL,
  sender_name        TEXT NOT NULL,
  direct_attendee_id TEXT REFERENCES attendees (id) ON DELETE CASCADE,
  text               TEXT NOT NULL,
  created_at         INTEGER NOT NULL
);
CREATE INDEX chat_messages_by_codelab ON chat_messages (codelab_id, created_at);

CREATE TABLE announcements (
  id         TEXT PRIMARY KEY,
  codelab_id TEXT NOT NULL REFERENCES codelabs (id) ON DELETE CASCADE,
  author_id  TEXT NOT NULL,
  text       TEXT NOT NULL,
  pinned     INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);

CREATE TABLE submissions (
  id           TEXT PRIMARY KEY,
  codelab_id   TEXT NOT NULL REFERENCES codelabs (id) ON DELETE CASCADE,
  attendee_id  TEXT NOT NULL REFERENCES attendees (id) ON DELETE CASCADE,
  kind         TEXT NOT NULL CHECK (kind IN ('file', 'link')),
  url          TEXT,
  file_name    TEXT,
  content_type TEXT,
  size_bytes   INTEGER,
  sha256       TEXT,
  storage_key  TEXT,
  created_at   INTEGER NOT NULL
);

CREATE TABLE audit_log (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  at         INTEGER NOT NULL,
  actor_role TEXT NOT NULL,
  actor_id   TEXT NOT NULL,
  action     TEXT NOT NULL,
  codelab_id TEXT,
  detail     TEXT NOT NULL DEFAULT '{}'
);
