-- A hold keeps attendees at one step until released; progress past it is refused.
ALTER TABLE codelabs ADD COLUMN held_at_step INTEGER;

-- An attendee may withdraw its own open request; it then reads as cancelled, never as resolved.
ALTER TABLE help_requests ADD COLUMN cancelled_at INTEGER;

CREATE TABLE known_issues (
  codelab_id TEXT NOT NULL REFERENCES codelabs (id) ON DELETE CASCADE,
  step       INTEGER NOT NULL,
  text       TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (codelab_id, step)
);

CREATE TABLE pulse_polls (
  id         TEXT PRIMARY KEY,
  codelab_id TEXT NOT NULL REFERENCES codelabs (id) ON DELETE CASCADE,
  step       INTEGER NOT NULL,
  opened_at  INTEGER NOT NULL,
  closed_at  INTEGER
);
CREATE INDEX pulse_polls_by_codelab ON pulse_polls (codelab_id, opened_at);

CREATE TABLE pulse_answers (
  poll_id     TEXT NOT NULL REFERENCES pulse_polls (id) ON DELETE CASCADE,
  attendee_id TEXT NOT NULL REFERENCES attendees (id) ON DELETE CASCADE,
  answer      TEXT NOT NULL CHECK (answer IN ('yes', 'not-yet')),
  answered_at INTEGER NOT NULL,
  PRIMARY KEY (poll_id, attendee_id)
);
