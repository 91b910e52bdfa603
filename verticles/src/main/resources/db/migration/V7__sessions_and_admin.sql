-- The instance admin is the first account; on an existing database, the oldest facilitator.
ALTER TABLE facilitators ADD COLUMN is_admin INTEGER NOT NULL DEFAULT 0;
ALTER TABLE facilitators ADD COLUMN disabled_at INTEGER;
UPDATE facilitators SET is_admin = 1
  WHERE id = (SELECT id FROM facilitators ORDER BY created_at, rowid LIMIT 1);
CREATE UNIQUE INDEX one_admin ON facilitators (is_admin) WHERE is_admin = 1;

-- Signed-out sessions, kept until their tokens expire.
CREATE TABLE revoked_sessions (
  session_id TEXT PRIMARY KEY,
  subject    TEXT NOT NULL,
  issued_at  INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX revoked_sessions_by_expiry ON revoked_sessions (expires_at);

-- Tokens of the subject issued before not_before are dead (password changed or reset, account disabled).
CREATE TABLE session_cutoffs (
  subject    TEXT PRIMARY KEY,
  not_before INTEGER NOT NULL
);
